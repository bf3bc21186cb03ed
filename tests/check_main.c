/* check_main.c - runs every Check suite under tests/unit.
 *
 * Suites register themselves: a test file that defines
 * `Suite *suite_<name>(void)` at the start of a line is listed in the
 * generated suites.inc by the Makefile. CK_RUN_SUITE=<name> runs one suite,
 * CK_RUN_CASE=<name> one test case, CK_FORK=no runs in-process (for gdb).
 */
#include <check.h>
#include <stdlib.h>

#include "common/mem.h"

#include "tests/suites.h"

int main(void)
{
	mem_init();
	SRunner *sr = srunner_create(NULL);
#define SUITE(name) srunner_add_suite(sr, name());
#include "suites.inc"
#undef SUITE
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
