/* file.h - whole-file reading and atomic writing.
 * Ownership: file_read returns a mem.h buffer the caller frees (mem_free).
 * Errors: NULL / -1 with errno set; err (if given) gets "path: strerror". */
#ifndef STEPBENCH_FILE_H
#define STEPBENCH_FILE_H

#include <stddef.h>

#include "common/sb.h"

/** Read the whole file (NUL-terminated, *len excludes the NUL); files over
 *  max bytes fail with EFBIG. */
char *file_read(const char *path, size_t max, size_t *len, sb *err);
/** Write n bytes to path through a temporary file and rename. */
int file_write(const char *path, const void *p, size_t n, sb *err);
/** Create dir and its parents (like mkdir -p). */
int file_mkdirs(const char *dir);
/** Remove a directory tree (rm -rf); missing is not an error. */
int file_rmtree(const char *dir);
/** The directory part of path ("." when it has none), appended to out. */
void file_dirname(const char *path, sb *out);
/** Join dir and rel (rel unchanged when absolute), appended to out. */
void file_join(const char *dir, const char *rel, sb *out);
/** rel resolved against the folder of file (rel unchanged when absolute),
 *  appended to out: what a file's relative reference names. */
void file_beside(const char *file, const char *rel, sb *out);

#endif
