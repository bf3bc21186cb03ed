/* hash.h - MD5, SHA-1, SHA-2, HMAC-SHA256 and CRC32, one-shot.
 *
 * Used for SQS message digests, States.Hash/$hash, SigV4 and DynamoDB's
 * x-amz-crc32. Digests are written to caller buffers; no allocation except
 * hash_named's output to a caller sb.
 */
#ifndef STEPBENCH_HASH_H
#define STEPBENCH_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "common/sb.h"

void hash_md5(const void *p, size_t n, unsigned char out[16]);
void hash_sha1(const void *p, size_t n, unsigned char out[20]);
void hash_sha256(const void *p, size_t n, unsigned char out[32]);
void hash_sha384(const void *p, size_t n, unsigned char out[48]);
void hash_sha512(const void *p, size_t n, unsigned char out[64]);
void hash_hmac_sha256(const void *key, size_t klen, const void *p, size_t n, unsigned char out[32]);
/** CRC-32 (IEEE 802.3, as zlib's crc32). */
uint32_t hash_crc32(const void *p, size_t n);

/** Append n bytes as lowercase hex to out. */
void hash_hex(const unsigned char *b, size_t n, sb *out);
/** Lowercase hex of n bytes into out (2n+1 bytes). */
void hash_hex_buf(const unsigned char *b, size_t n, char *out);

/**
 * Append the lowercase hex digest of p under the algorithm named as Step
 * Functions names them: "MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512".
 * @return 0, or -1 for an unknown algorithm (out untouched).
 */
int hash_named(const char *alg, const void *p, size_t n, sb *out);

#endif
