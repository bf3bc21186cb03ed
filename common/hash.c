/* hash.c - MD5 (RFC 1321), SHA-1/SHA-2 (FIPS 180-4), HMAC (RFC 2104), CRC32. */
#include "common/hash.h"

#include <string.h>

/* ---- shared block driver ---------------------------------------------- */

/* Feeds whole blocks of the message and its padding to fn. The length is
 * appended big-endian (SHA) or little-endian (MD5) in lenbytes bytes. */
typedef void (*block_fn)(void *state, const unsigned char *block);

static void md_pad_run(void *state, block_fn fn, size_t bsz, size_t lenbytes, int little,
                       const unsigned char *p, size_t n)
{
	unsigned char buf[128];
	size_t i = 0;
	for (; i + bsz <= n; i += bsz)
		fn(state, p + i);
	size_t rest = n - i;
	memset(buf, 0, sizeof buf);
	memcpy(buf, p + i, rest);
	buf[rest] = 0x80;
	if (rest + 1 + lenbytes > bsz) {
		fn(state, buf);
		memset(buf, 0, sizeof buf);
	}
	uint64_t bitlen = (uint64_t)n * 8;
	for (size_t k = 0; k < 8; k++) {
		unsigned char b = (unsigned char)(bitlen >> (8 * k));
		if (little)
			buf[bsz - lenbytes + k] = b;
		else
			buf[bsz - 1 - k] = b;
	}
	fn(state, buf);
}

static uint32_t rol32(uint32_t x, unsigned r) { return (x << r) | (x >> (32 - r)); }
static uint32_t ror32(uint32_t x, unsigned r) { return (x >> r) | (x << (32 - r)); }
static uint64_t ror64(uint64_t x, unsigned r) { return (x >> r) | (x << (64 - r)); }

static uint32_t be32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t be64(const unsigned char *b) { return (uint64_t)be32(b) << 32 | be32(b + 4); }

/* ---- MD5 ---------------------------------------------------------------- */

static const uint32_t md5_k[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
static const unsigned char md5_r[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                        5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

static void md5_block(void *state, const unsigned char *blk)
{
	uint32_t *h = state, m[16];
	for (int i = 0; i < 16; i++)
		m[i] = (uint32_t)blk[4 * i] | (uint32_t)blk[4 * i + 1] << 8 | (uint32_t)blk[4 * i + 2] << 16 |
		       (uint32_t)blk[4 * i + 3] << 24;
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
	for (unsigned i = 0; i < 64; i++) {
		uint32_t f;
		unsigned g;
		if (i < 16)
			f = (b & c) | (~b & d), g = i;
		else if (i < 32)
			f = (d & b) | (~d & c), g = (5 * i + 1) % 16;
		else if (i < 48)
			f = b ^ c ^ d, g = (3 * i + 5) % 16;
		else
			f = c ^ (b | ~d), g = (7 * i) % 16;
		uint32_t t = d;
		d = c;
		c = b;
		b = b + rol32(a + f + md5_k[i] + m[g], md5_r[i]);
		a = t;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d;
}

void hash_md5(const void *p, size_t n, unsigned char out[16])
{
	uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
	md_pad_run(h, md5_block, 64, 8, 1, p, n);
	for (int i = 0; i < 16; i++)
		out[i] = (unsigned char)(h[i / 4] >> (8 * (i % 4)));
}

/* ---- SHA-1 -------------------------------------------------------------- */

static void sha1_block(void *state, const unsigned char *blk)
{
	uint32_t *h = state, w[80];
	for (int i = 0; i < 16; i++)
		w[i] = be32(blk + 4 * i);
	for (int i = 16; i < 80; i++)
		w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
	for (int i = 0; i < 80; i++) {
		uint32_t f, k;
		if (i < 20)
			f = (b & c) | (~b & d), k = 0x5a827999;
		else if (i < 40)
			f = b ^ c ^ d, k = 0x6ed9eba1;
		else if (i < 60)
			f = (b & c) | (b & d) | (c & d), k = 0x8f1bbcdc;
		else
			f = b ^ c ^ d, k = 0xca62c1d6;
		uint32_t t = rol32(a, 5) + f + e + k + w[i];
		e = d, d = c, c = rol32(b, 30), b = a, a = t;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
}

void hash_sha1(const void *p, size_t n, unsigned char out[20])
{
	uint32_t h[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
	md_pad_run(h, sha1_block, 64, 8, 0, p, n);
	for (int i = 0; i < 20; i++)
		out[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
}

/* ---- SHA-256 ------------------------------------------------------------ */

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static void sha256_block(void *state, const unsigned char *blk)
{
	uint32_t *h = state, w[64];
	for (int i = 0; i < 16; i++)
		w[i] = be32(blk + 4 * i);
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t S1 = ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25);
		uint32_t ch = (e & f) ^ (~e & g);
		uint32_t t1 = hh + S1 + ch + sha256_k[i] + w[i];
		uint32_t S0 = ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22);
		uint32_t mj = (a & b) ^ (a & c) ^ (b & c);
		uint32_t t2 = S0 + mj;
		hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

void hash_sha256(const void *p, size_t n, unsigned char out[32])
{
	uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	md_pad_run(h, sha256_block, 64, 8, 0, p, n);
	for (int i = 0; i < 32; i++)
		out[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
}

/* ---- SHA-512 / SHA-384 -------------------------------------------------- */

static const uint64_t sha512_k[80] = {
	0x428a2f98d728ae22ull, 0x7137449123ef65cdull, 0xb5c0fbcfec4d3b2full, 0xe9b5dba58189dbbcull,
	0x3956c25bf348b538ull, 0x59f111f1b605d019ull, 0x923f82a4af194f9bull, 0xab1c5ed5da6d8118ull,
	0xd807aa98a3030242ull, 0x12835b0145706fbeull, 0x243185be4ee4b28cull, 0x550c7dc3d5ffb4e2ull,
	0x72be5d74f27b896full, 0x80deb1fe3b1696b1ull, 0x9bdc06a725c71235ull, 0xc19bf174cf692694ull,
	0xe49b69c19ef14ad2ull, 0xefbe4786384f25e3ull, 0x0fc19dc68b8cd5b5ull, 0x240ca1cc77ac9c65ull,
	0x2de92c6f592b0275ull, 0x4a7484aa6ea6e483ull, 0x5cb0a9dcbd41fbd4ull, 0x76f988da831153b5ull,
	0x983e5152ee66dfabull, 0xa831c66d2db43210ull, 0xb00327c898fb213full, 0xbf597fc7beef0ee4ull,
	0xc6e00bf33da88fc2ull, 0xd5a79147930aa725ull, 0x06ca6351e003826full, 0x142929670a0e6e70ull,
	0x27b70a8546d22ffcull, 0x2e1b21385c26c926ull, 0x4d2c6dfc5ac42aedull, 0x53380d139d95b3dfull,
	0x650a73548baf63deull, 0x766a0abb3c77b2a8ull, 0x81c2c92e47edaee6ull, 0x92722c851482353bull,
	0xa2bfe8a14cf10364ull, 0xa81a664bbc423001ull, 0xc24b8b70d0f89791ull, 0xc76c51a30654be30ull,
	0xd192e819d6ef5218ull, 0xd69906245565a910ull, 0xf40e35855771202aull, 0x106aa07032bbd1b8ull,
	0x19a4c116b8d2d0c8ull, 0x1e376c085141ab53ull, 0x2748774cdf8eeb99ull, 0x34b0bcb5e19b48a8ull,
	0x391c0cb3c5c95a63ull, 0x4ed8aa4ae3418acbull, 0x5b9cca4f7763e373ull, 0x682e6ff3d6b2b8a3ull,
	0x748f82ee5defb2fcull, 0x78a5636f43172f60ull, 0x84c87814a1f0ab72ull, 0x8cc702081a6439ecull,
	0x90befffa23631e28ull, 0xa4506cebde82bde9ull, 0xbef9a3f7b2c67915ull, 0xc67178f2e372532bull,
	0xca273eceea26619cull, 0xd186b8c721c0c207ull, 0xeada7dd6cde0eb1eull, 0xf57d4f7fee6ed178ull,
	0x06f067aa72176fbaull, 0x0a637dc5a2c898a6ull, 0x113f9804bef90daeull, 0x1b710b35131c471bull,
	0x28db77f523047d84ull, 0x32caab7b40c72493ull, 0x3c9ebe0a15c9bebcull, 0x431d67c49c100d4cull,
	0x4cc5d4becb3e42b6ull, 0x597f299cfc657e2aull, 0x5fcb6fab3ad6faecull, 0x6c44198c4a475817ull};

static void sha512_block(void *state, const unsigned char *blk)
{
	uint64_t *h = state, w[80];
	for (int i = 0; i < 16; i++)
		w[i] = be64(blk + 8 * i);
	for (int i = 16; i < 80; i++) {
		uint64_t s0 = ror64(w[i - 15], 1) ^ ror64(w[i - 15], 8) ^ (w[i - 15] >> 7);
		uint64_t s1 = ror64(w[i - 2], 19) ^ ror64(w[i - 2], 61) ^ (w[i - 2] >> 6);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	uint64_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
	for (int i = 0; i < 80; i++) {
		uint64_t S1 = ror64(e, 14) ^ ror64(e, 18) ^ ror64(e, 41);
		uint64_t ch = (e & f) ^ (~e & g);
		uint64_t t1 = hh + S1 + ch + sha512_k[i] + w[i];
		uint64_t S0 = ror64(a, 28) ^ ror64(a, 34) ^ ror64(a, 39);
		uint64_t mj = (a & b) ^ (a & c) ^ (b & c);
		uint64_t t2 = S0 + mj;
		hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

static void sha512_family(const uint64_t init[8], const void *p, size_t n, unsigned char *out, size_t outlen)
{
	uint64_t h[8];
	memcpy(h, init, sizeof h);
	md_pad_run(h, sha512_block, 128, 16, 0, p, n);
	for (size_t i = 0; i < outlen; i++)
		out[i] = (unsigned char)(h[i / 8] >> (56 - 8 * (i % 8)));
}

void hash_sha512(const void *p, size_t n, unsigned char out[64])
{
	static const uint64_t init[8] = {0x6a09e667f3bcc908ull, 0xbb67ae8584caa73bull, 0x3c6ef372fe94f82bull,
	                                 0xa54ff53a5f1d36f1ull, 0x510e527fade682d1ull, 0x9b05688c2b3e6c1full,
	                                 0x1f83d9abfb41bd6bull, 0x5be0cd19137e2179ull};
	sha512_family(init, p, n, out, 64);
}

void hash_sha384(const void *p, size_t n, unsigned char out[48])
{
	static const uint64_t init[8] = {0xcbbb9d5dc1059ed8ull, 0x629a292a367cd507ull, 0x9159015a3070dd17ull,
	                                 0x152fecd8f70e5939ull, 0x67332667ffc00b31ull, 0x8eb44a8768581511ull,
	                                 0xdb0c2e0d64f98fa7ull, 0x47b5481dbefa4fa4ull};
	sha512_family(init, p, n, out, 48);
}

/* ---- HMAC-SHA256 -------------------------------------------------------- */

void hash_hmac_sha256(const void *key, size_t klen, const void *p, size_t n, unsigned char out[32])
{
	unsigned char k[64] = {0}, inner[32];
	if (klen > 64)
		hash_sha256(key, klen, k);
	else
		memcpy(k, key, klen);
	/* inner = H((k ^ ipad) || msg), out = H((k ^ opad) || inner) */
	sb buf = SB_INIT;
	unsigned char pad[64];
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	sb_catn(&buf, (const char *)pad, 64);
	sb_catn(&buf, p, n);
	hash_sha256(buf.buf, buf.len, inner);
	sb_clear(&buf);
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	sb_catn(&buf, (const char *)pad, 64);
	sb_catn(&buf, (const char *)inner, 32);
	hash_sha256(buf.buf, buf.len, out);
	sb_free(&buf);
}

/* ---- CRC32 -------------------------------------------------------------- */

/* Slicing-by-8: eight tables let the loop take eight bytes per step
 * (DynamoDB answers carry a CRC of the whole body; a 32 KB Query page spent
 * a third of its time here with one byte per step). */
uint32_t hash_crc32(const void *p, size_t n)
{
	static uint32_t t[8][256];
	static int ready;
	if (!ready) { /* racing initialisations write identical values */
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
			t[0][i] = c;
		}
		for (uint32_t i = 0; i < 256; i++)
			for (int s = 1; s < 8; s++)
				t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
		ready = 1;
	}
	const unsigned char *b = p;
	uint32_t c = 0xFFFFFFFFu;
	for (; n >= 8; n -= 8, b += 8) {
		uint32_t lo = c ^ ((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24);
		uint32_t hi = (uint32_t)b[4] | (uint32_t)b[5] << 8 | (uint32_t)b[6] << 16 | (uint32_t)b[7] << 24;
		c = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24] ^
		    t[3][hi & 0xFF] ^ t[2][(hi >> 8) & 0xFF] ^ t[1][(hi >> 16) & 0xFF] ^ t[0][hi >> 24];
	}
	for (size_t i = 0; i < n; i++)
		c = t[0][(c ^ b[i]) & 0xFF] ^ (c >> 8);
	return c ^ 0xFFFFFFFFu;
}

/* ---- hex and by name ---------------------------------------------------- */

void hash_hex_buf(const unsigned char *b, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[b[i] >> 4];
		out[2 * i + 1] = hx[b[i] & 15];
	}
	out[2 * n] = '\0';
}

void hash_hex(const unsigned char *b, size_t n, sb *out)
{
	char buf[129];
	while (n) {
		size_t k = n > 64 ? 64 : n;
		hash_hex_buf(b, k, buf);
		sb_catn(out, buf, 2 * k);
		b += k;
		n -= k;
	}
}

int hash_named(const char *alg, const void *p, size_t n, sb *out)
{
	unsigned char d[64];
	size_t len;
	if (!strcmp(alg, "MD5"))
		hash_md5(p, n, d), len = 16;
	else if (!strcmp(alg, "SHA-1"))
		hash_sha1(p, n, d), len = 20;
	else if (!strcmp(alg, "SHA-256"))
		hash_sha256(p, n, d), len = 32;
	else if (!strcmp(alg, "SHA-384"))
		hash_sha384(p, n, d), len = 48;
	else if (!strcmp(alg, "SHA-512"))
		hash_sha512(p, n, d), len = 64;
	else
		return -1;
	hash_hex(d, len, out);
	return 0;
}
