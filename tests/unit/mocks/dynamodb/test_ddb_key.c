/* test_ddb_key.c - order-preserving key encoding and the ordered walk over long keys. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/b64.h"
#include "mocks/dynamodb/ddb_int.h"
#include "tests/suites.h"

static cJSON *av(const char *type, const char *v)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, type, v);
	return o;
}

static int enc_cmp(const char *type, const char *a, const char *b)
{
	cJSON *x = av(type, a), *y = av(type, b);
	sb ea = SB_INIT, eb = SB_INIT;
	ddb_key_enc(&ea, x);
	ddb_key_enc(&eb, y);
	size_t n = ea.len < eb.len ? ea.len : eb.len;
	int r = memcmp(ea.buf, eb.buf, n);
	if (!r)
		r = ea.len < eb.len ? -1 : ea.len > eb.len;
	ck_assert_int_eq(ddb_key_comp_len(ddb_type_parse(type), (unsigned char *)ea.buf, ea.len), ea.len);
	sb_free(&ea);
	sb_free(&eb);
	cJSON_Delete(x);
	cJSON_Delete(y);
	return r;
}

START_TEST(ddb_key_enc_should_order_numbers_numerically)
{
	const char *asc[] = {"-1e125", "-100", "-10.5", "-10", "-1", "-0.5", "-0.0001", "0", "1e-130", "0.5", "1", "1.01",
	                     "9", "10", "11", "100", "1e125"};
	for (size_t i = 0; i + 1 < sizeof asc / sizeof *asc; i++)
		ck_assert_msg(enc_cmp("N", asc[i], asc[i + 1]) < 0, "%s < %s", asc[i], asc[i + 1]);
	ck_assert_int_eq(enc_cmp("N", "1.0", "1"), 0);
}
END_TEST

START_TEST(ddb_key_enc_should_order_strings_by_bytes_and_be_prefix_free)
{
	const char *asc[] = {"", "A", "Z", "a", "a\x01", "aa", "ab", "b", "\xc3\xa9"};
	for (size_t i = 1; i + 1 < sizeof asc / sizeof *asc; i++)
		ck_assert_msg(enc_cmp("S", asc[i], asc[i + 1]) < 0, "%s < %s", asc[i], asc[i + 1]);
	/* binary with zero bytes: "a" < "a\0" < "a\0\0" < "a\1" */
	const char *b64[] = {"YQ==", "YQA=", "YQAA", "YQE="};
	for (size_t i = 0; i + 1 < 4; i++)
		ck_assert_msg(enc_cmp("B", b64[i], b64[i + 1]) < 0, "%s < %s", b64[i], b64[i + 1]);
}
END_TEST

static store *st;
static store_db db;
static arena *ar;

static void setup(void)
{
	ck_assert_int_eq(store_open(NULL, STORE_TEMP, &st), 0);
	ck_assert_int_eq(store_db_open(st, "t", 0, &db), 0);
	ar = arena_new();
}

static void teardown(void)
{
	ddb_key_prefix = STORE_MAX_KEY - 32;
	arena_free(ar);
	store_close(st);
}

static void put(store_txn *t, const char *full)
{
	unsigned char k[STORE_MAX_KEY];
	size_t kn = ddb_key_stored((const unsigned char *)full, strlen(full), k);
	sb v = SB_INIT;
	ddb_val_build(&v, (const unsigned char *)full, strlen(full), 1, full, strlen(full));
	ck_assert_int_eq(store_put(t, db, k, kn, v.buf, v.len, 0), 0);
	sb_free(&v);
}

static void walk(store_txn *t, const char *lo, const char *hi, int rev, sb *out)
{
	ddb_walk *w = ddb_walk_open(ar, t, db, (const unsigned char *)lo, strlen(lo), (const unsigned char *)hi,
	                            hi ? strlen(hi) : 0, rev);
	ddb_entry e;
	while (ddb_walk_next(w, &e) == 1) {
		sb_catn(out, (const char *)e.key, e.keyn);
		sb_catc(out, ' ');
	}
	ddb_walk_close(w);
}

/* With a 4-byte prefix, every key longer than 4 bytes is stored as a prefix
 * and a hash: the walk must still return whole keys in order. */
START_TEST(ddb_walk_should_order_truncated_keys_and_honour_bounds)
{
	ddb_key_prefix = 4;
	const char *keys[] = {"abcdz", "abcda", "abcd", "abc", "abcdm", "abce", "abcdmm", "b", "abcdb"};
	store_txn *t;
	ck_assert_int_eq(store_txn_begin(st, 0, &t), 0);
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		put(t, keys[i]);
	sb out = SB_INIT;
	walk(t, "", NULL, 0, &out);
	ck_assert_str_eq(sb_str(&out), "abc abcd abcda abcdb abcdm abcdmm abcdz abce b ");
	sb_clear(&out);
	walk(t, "", NULL, 1, &out);
	ck_assert_str_eq(sb_str(&out), "b abce abcdz abcdmm abcdm abcdb abcda abcd abc ");
	sb_clear(&out);
	walk(t, "abcdb", "abcdn", 0, &out);
	ck_assert_str_eq(sb_str(&out), "abcdb abcdm abcdmm ");
	sb_clear(&out);
	walk(t, "abcdb", "abcdn", 1, &out);
	ck_assert_str_eq(sb_str(&out), "abcdmm abcdm abcdb ");
	sb_clear(&out);
	walk(t, "abcd", "abcdm", 1, &out);
	ck_assert_str_eq(sb_str(&out), "abcdb abcda abcd ");
	sb_free(&out);
	store_txn_abort(t);
}
END_TEST

Suite *suite_ddb_key(void)
{
	Suite *s = suite_create("mocks/dynamodb/key");
	TCase *tc = tcase_create("key");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ddb_key_enc_should_order_numbers_numerically);
	tcase_add_test(tc, ddb_key_enc_should_order_strings_by_bytes_and_be_prefix_free);
	tcase_add_test(tc, ddb_walk_should_order_truncated_keys_and_honour_bounds);
	suite_add_tcase(s, tc);
	return s;
}
