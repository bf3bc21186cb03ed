/* test_jn_fn_sfn.c - the Step Functions additions: $partition $range $hash $random(seed) $uuid $parse, no $eval. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "engine/jsonata/jsonata.h"
#include "tests/suites.h"

static char *sfn(const char *expr, unsigned flags)
{
	jsonata_error err;
	memset(&err, 0, sizeof err);
	jsonata_opts o;
	memset(&o, 0, sizeof o);
	o.flags = flags;
	jsonata_expr *e = jsonata_compile(expr, strlen(expr), &err);
	ck_assert_ptr_nonnull(e);
	cJSON *res = NULL;
	char *out;
	if (jsonata_eval(e, NULL, &o, &res, &err) < 0) {
		out = malloc(16);
		snprintf(out, 16, "ERR %s", err.code);
	} else if (!res) {
		out = strdup("undefined");
	} else {
		char *t = jsonata_print(res, 0);
		out = strdup(t);
		mem_free(t);
	}
	cJSON_Delete(res);
	jsonata_error_clear(&err);
	jsonata_free(e);
	return out;
}

#define EXPECT_SFN(expr, want)                          \
	do {                                            \
		char *got_ = sfn(expr, JSONATA_SFN);    \
		ck_assert_str_eq(got_, want);           \
		free(got_);                             \
	} while (0)

START_TEST(sfn_partition_should_chunk_with_a_shorter_last_chunk)
{
	EXPECT_SFN("$partition([1,2,3,4,5,6,7,8,9], 3)", "[[1,2,3],[4,5,6],[7,8,9]]");
	EXPECT_SFN("$partition([1,2,3,4,5], 2)", "[[1,2],[3,4],[5]]");
	EXPECT_SFN("$partition([], 2)", "[]");
	EXPECT_SFN("$partition([1,2], 0)", "ERR D3202");
	/* AWS: the chunk size must be a non-zero, positive integer */
	EXPECT_SFN("$partition([1,2], -1)", "ERR D3202");
	EXPECT_SFN("$partition([1,2], 1.5)", "ERR D3202");
	EXPECT_SFN("$partition([1,2,3], 5)", "[[1,2,3]]");
	EXPECT_SFN("$partition([1,2,3], 1)", "[[1],[2],[3]]");
	EXPECT_SFN("$partition([1,2], 'x')", "ERR T0410");
	EXPECT_SFN("$partition(nothing, 2)", "undefined");
}
END_TEST

START_TEST(sfn_range_should_include_the_end_and_collapse_one_item)
{
	EXPECT_SFN("$range(0, 10, 2)", "[0,2,4,6,8,10]");
	EXPECT_SFN("$range(5, 1, -2)", "[5,3,1]");
	EXPECT_SFN("$range(1, 1, 1)", "1");
	EXPECT_SFN("$range(1, 5, 0)", "ERR D3203");
	EXPECT_SFN("$range(0, 1, 0.25)", "[0,0.25,0.5,0.75,1]");
	EXPECT_SFN("$range(0, 9, 4)", "[0,4,8]");
	EXPECT_SFN("$range(5, 1, 1)", "undefined");
	EXPECT_SFN("$range(0, 1e9, 1)", "ERR D3203");
	EXPECT_SFN("$range('a', 2, 1)", "ERR T0410");
}
END_TEST

START_TEST(sfn_hash_should_support_the_states_hash_algorithms)
{
	EXPECT_SFN("$hash('abc', 'SHA-256')", "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"");
	EXPECT_SFN("$hash('', 'MD5')", "\"d41d8cd98f00b204e9800998ecf8427e\"");
	EXPECT_SFN("$hash('abc', 'SHA-1')", "\"a9993e364706816aba3e25717850c26c9cd0d89d\"");
	EXPECT_SFN("$hash('abc', 'SHA-384')",
	           "\"cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7\"");
	EXPECT_SFN("$hash('abc', 'SHA-512')",
	           "\"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	           "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f\"");
	EXPECT_SFN("$hash('abc', 'SHA-3')", "ERR D3200");
	/* the names are exact: AWS lists them in upper case */
	EXPECT_SFN("$hash('abc', 'sha-256')", "ERR D3200");
	EXPECT_SFN("$hash(123, 'MD5')", "ERR T0410");
}
END_TEST

START_TEST(sfn_random_should_be_deterministic_with_a_seed)
{
	EXPECT_SFN("$random(42) = $random(42)", "true");
	EXPECT_SFN("$random(42) = $random(43)", "false");
	EXPECT_SFN("($r := $random(); $r >= 0 and $r < 1)", "true");
	EXPECT_SFN("($r := $random(7); $r >= 0 and $r < 1)", "true");
	/* the same seed gives the same number in another evaluation too */
	char *a = sfn("$random(42)", JSONATA_SFN), *b = sfn("$random(42)", JSONATA_SFN);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	EXPECT_SFN("$random('x')", "ERR T0410");
	/* AWS: there is no $randomSeeded */
	EXPECT_SFN("$randomSeeded(1)", "ERR T1006");
}
END_TEST

START_TEST(sfn_uuid_and_parse_should_work_and_eval_should_be_gone)
{
	char *u = sfn("$uuid()", JSONATA_SFN);
	ck_assert_int_eq((int)strlen(u), 38);
	ck_assert_int_eq(u[15], '4');
	free(u);
	EXPECT_SFN("$parse('{\"a\":[1,2]}').a[1]", "2");
	EXPECT_SFN("$parse('nope')", "ERR D3201");
	EXPECT_SFN("$parse('42')", "42");
	EXPECT_SFN("$parse('\"s\"')", "\"s\"");
	EXPECT_SFN("$parse('[1')", "ERR D3201");
	EXPECT_SFN("$parse(1)", "ERR T0410");
	EXPECT_SFN("$eval('1+1')", "ERR T1006");
	char *plain = sfn("$eval('1+1')", 0);
	ck_assert_str_eq(plain, "2");
	free(plain);
	plain = sfn("$partition([1], 1)", 0);
	ck_assert_str_eq(plain, "ERR T1006");
	free(plain);
}
END_TEST

Suite *suite_jn_fn_sfn(void)
{
	Suite *s = suite_create("engine/jsonata/sfn");
	TCase *tc = tcase_create("sfn");
	tcase_add_test(tc, sfn_partition_should_chunk_with_a_shorter_last_chunk);
	tcase_add_test(tc, sfn_range_should_include_the_end_and_collapse_one_item);
	tcase_add_test(tc, sfn_hash_should_support_the_states_hash_algorithms);
	tcase_add_test(tc, sfn_random_should_be_deterministic_with_a_seed);
	tcase_add_test(tc, sfn_uuid_and_parse_should_work_and_eval_should_be_gone);
	suite_add_tcase(s, tc);
	return s;
}
