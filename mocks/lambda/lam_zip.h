/* lam_zip.h - a small zip reader: stored and deflated entries, extraction.
 *
 * Reads the central directory of a zip held in memory (PKWARE APPNOTE:
 * end-of-central-directory record, central headers, local headers) and
 * inflates deflated entries with zlib. Enough for Lambda deployment
 * packages; zip64, encryption and multi-disk archives are refused with a
 * message.
 *
 * Untrusted input: every offset and size is checked against the buffer,
 * CRC-32s are verified, entry names that would escape the target directory
 * (absolute, "..", backslashes, NUL) are refused, and the total size and
 * entry count are capped.
 *
 * Ownership: entries point into the caller's buffer and into memory the
 * iteration owns; nothing outlives the callback.
 * Errors: -1 with a one-line reason appended to err.
 */
#ifndef STEPBENCH_LAM_ZIP_H
#define STEPBENCH_LAM_ZIP_H

#include <stddef.h>
#include <stdint.h>

#include "common/sb.h"

#define LAM_ZIP_MAX_TOTAL ((uint64_t)262144000) /* Lambda's unzipped size limit */
#define LAM_ZIP_MAX_ENTRIES 100000

typedef struct lam_zip_entry {
	const char *name;   /* NUL-terminated copy of the entry's name */
	const unsigned char *data; /* the uncompressed bytes */
	size_t len;
	unsigned mode;      /* unix permission bits when the zip has them, else 0 */
	int is_dir;
	int is_link;
} lam_zip_entry;

/**
 * Call fn for each entry, in central-directory order, with its bytes
 * uncompressed and checked. fn returns 0 to go on, non-zero to stop (that
 * value is then returned).
 * @return 0 when every entry was visited, -1 on a malformed archive (err),
 *         or fn's non-zero value.
 */
int lam_zip_each(const void *zip, size_t len, int (*fn)(void *ctx, const lam_zip_entry *e), void *ctx,
                 sb *err);

/** Check the whole archive (every entry inflates and matches its CRC). */
int lam_zip_check(const void *zip, size_t len, sb *err);

/**
 * Extract every entry under dir (which must exist): directories are created,
 * files written with their unix mode (0644 when the zip has none; the
 * executable bits are kept), symbolic links written as plain files.
 */
int lam_zip_extract(const void *zip, size_t len, const char *dir, sb *err);

/** 1 when name is a safe relative path (no "..", no leading '/', no '\\'). */
int lam_zip_name_safe(const char *name);

#endif
