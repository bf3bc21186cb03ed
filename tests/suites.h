/* suites.h - prototypes of every unit suite (generated list, see Makefile).
 * Each test file includes this so its suite_<name>() has a prototype. */
#ifndef STEPBENCH_TEST_SUITES_H
#define STEPBENCH_TEST_SUITES_H

#include <check.h>

#define SUITE(name) Suite *name(void);
#include "suites.inc"
#undef SUITE

#endif
