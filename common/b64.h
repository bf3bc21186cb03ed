/* b64.h - base64 (RFC 4648) encoding and decoding.
 * Ownership: results are appended to a caller-owned sb. */
#ifndef STEPBENCH_B64_H
#define STEPBENCH_B64_H

#include <stddef.h>

#include "common/sb.h"

/** Append the padded standard base64 of n bytes of p to out. */
void b64_encode(const void *p, size_t n, sb *out);
/**
 * Decode n characters of standard base64 (padding optional, no whitespace)
 * and append the bytes to out. When url is non-zero the URL-safe alphabet
 * ('-' and '_') is accepted too.
 * @return 0, or -1 if the text is not base64 (out then holds a prefix).
 */
int b64_decode(const char *s, size_t n, int url, sb *out);

#endif
