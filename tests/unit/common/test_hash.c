/* test_hash.c - digests against the published test vectors. */
#include <check.h>
#include <string.h>

#include "common/b64.h"
#include "common/hash.h"
#include "tests/suites.h"

static void check_named(const char *alg, const char *msg, const char *hex)
{
	sb out = SB_INIT;
	ck_assert_int_eq(hash_named(alg, msg, strlen(msg), &out), 0);
	ck_assert_str_eq(sb_str(&out), hex);
	sb_free(&out);
}

START_TEST(hash_named_should_match_fips_and_rfc_vectors)
{
	check_named("MD5", "", "d41d8cd98f00b204e9800998ecf8427e");
	check_named("MD5", "The quick brown fox jumps over the lazy dog", "9e107d9d372bb6826bd81d3542a419d6");
	check_named("SHA-1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d");
	check_named("SHA-256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check_named("SHA-256", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	check_named("SHA-384", "abc",
	            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
	            "8086072ba1e7cc2358baeca134c825a7");
	check_named("SHA-512", "abc",
	            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	sb out = SB_INIT;
	ck_assert_int_eq(hash_named("SHA-3", "x", 1, &out), -1);
	sb_free(&out);
}
END_TEST

START_TEST(hash_should_handle_every_padding_boundary)
{
	/* lengths around the 56/64 and 112/128 byte padding edges */
	char buf[200];
	memset(buf, 'a', sizeof buf);
	unsigned char d1[32], d2[32];
	hash_sha256(buf, 55, d1);
	hash_sha256(buf, 56, d2);
	ck_assert(memcmp(d1, d2, 32) != 0);
	sb out = SB_INIT;
	hash_named("MD5", buf, 64, &out);
	ck_assert_str_eq(sb_str(&out), "014842d480b571495a4a0363793f7367");
	sb_clear(&out);
	hash_named("SHA-512", buf, 112, &out);
	ck_assert_str_eq(sb_str(&out),
	                 "c01d080efd492776a1c43bd23dd99d0a2e626d481e16782e75d54c2503b5dc32"
	                 "bd05f0f1ba33e568b88fd2d970929b719ecbb152f58f130a407c8830604b70ca");
	sb_free(&out);
}
END_TEST

START_TEST(hash_hmac_sha256_should_match_rfc4231)
{
	unsigned char key[20], d[32];
	memset(key, 0x0b, sizeof key);
	hash_hmac_sha256(key, 20, "Hi There", 8, d);
	sb out = SB_INIT;
	hash_hex(d, 32, &out);
	ck_assert_str_eq(sb_str(&out), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	sb_free(&out);
}
END_TEST

START_TEST(hash_crc32_should_match_zlib)
{
	ck_assert_uint_eq(hash_crc32("123456789", 9), 0xCBF43926u);
	ck_assert_uint_eq(hash_crc32("", 0), 0u);
	ck_assert_uint_eq(hash_crc32("The quick brown fox jumps over the lazy dog", 43), 1095738169u);
	unsigned char seq[771];
	for (int i = 0; i < 768; i++)
		seq[i] = (unsigned char)(i & 0xFF);
	memcpy(seq + 768, "abc", 3);
	ck_assert_uint_eq(hash_crc32(seq, sizeof seq), 2637863204u); /* zlib.crc32 */
}
END_TEST

START_TEST(b64_should_round_trip_and_reject_garbage)
{
	sb e = SB_INIT, d = SB_INIT;
	b64_encode("foob", 4, &e);
	ck_assert_str_eq(sb_str(&e), "Zm9vYg==");
	ck_assert_int_eq(b64_decode(e.buf, e.len, 0, &d), 0);
	ck_assert_str_eq(sb_str(&d), "foob");
	sb_clear(&d);
	ck_assert_int_eq(b64_decode("Zm9v!", 5, 0, &d), -1);
	sb_free(&e);
	sb_free(&d);
}
END_TEST

Suite *suite_hash(void)
{
	Suite *s = suite_create("common/hash");
	TCase *tc = tcase_create("hash");
	tcase_add_test(tc, hash_named_should_match_fips_and_rfc_vectors);
	tcase_add_test(tc, hash_should_handle_every_padding_boundary);
	tcase_add_test(tc, hash_hmac_sha256_should_match_rfc4231);
	tcase_add_test(tc, hash_crc32_should_match_zlib);
	tcase_add_test(tc, b64_should_round_trip_and_reject_garbage);
	suite_add_tcase(s, tc);
	return s;
}
