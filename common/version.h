/* version.h - the stepbench version, reported by the CLI and /_stepbench/health. */
#ifndef STEPBENCH_VERSION_H
#define STEPBENCH_VERSION_H

#define STEPBENCH_VERSION "0.1.0"

#endif
