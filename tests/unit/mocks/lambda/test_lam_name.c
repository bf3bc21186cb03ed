/* test_lam_name.c - function names, full and partial ARNs, qualifiers. */
#include <check.h>
#include <string.h>

#include "mocks/lambda/lam_int.h"
#include "tests/suites.h"

START_TEST(lam_fname_should_accept_names_arns_and_partial_arns)
{
	lam_fname f;
	ck_assert_int_eq(lam_fname_parse("user-onboarding", &f), 0);
	ck_assert_str_eq(f.name, "user-onboarding");
	ck_assert_str_eq(f.qualifier, "");
	ck_assert_str_eq(f.region, "");
	ck_assert_int_eq(lam_fname_parse("fn:prod", &f), 0);
	ck_assert_str_eq(f.name, "fn");
	ck_assert_str_eq(f.qualifier, "prod");
	ck_assert_int_eq(lam_fname_parse("arn:aws:lambda:eu-west-1:123456789012:function:fn_1", &f), 0);
	ck_assert_str_eq(f.region, "eu-west-1");
	ck_assert_str_eq(f.account, "123456789012");
	ck_assert_str_eq(f.name, "fn_1");
	ck_assert_int_eq(lam_fname_parse("arn:aws:lambda:us-east-1:000000000000:function:fn:$LATEST", &f), 0);
	ck_assert_str_eq(f.qualifier, "$LATEST");
	ck_assert_int_eq(lam_fname_parse("123456789012:function:fn:7", &f), 0);
	ck_assert_str_eq(f.account, "123456789012");
	ck_assert_str_eq(f.name, "fn");
	ck_assert_str_eq(f.qualifier, "7");
}
END_TEST

START_TEST(lam_fname_should_reject_what_lambda_rejects)
{
	lam_fname f;
	const char *bad[] = {"", "has space", "a:b:c", "arn:aws:s3:::bucket", "arn:aws:lambda:us-east-1:123:function:f",
	                     "arn:aws:lambda:us-east-1:123456789012:layer:f", "fn:", "fn:a.b", "12345:function:f",
	                     "arn:aws:lambda:us-east-1:123456789012:function:f:1:2",
	                     "a-very-long-function-name-that-goes-on-and-on-past-sixty-four-chars", NULL};
	for (int i = 0; bad[i]; i++)
		ck_assert_msg(lam_fname_parse(bad[i], &f) == -1, "accepted %s", bad[i]);
}
END_TEST

START_TEST(lam_alias_names_should_not_be_all_digits)
{
	ck_assert(lam_alias_valid("prod"));
	ck_assert(lam_alias_valid("v2-blue_green"));
	ck_assert(!lam_alias_valid("42"));
	ck_assert(!lam_alias_valid(""));
	ck_assert(lam_is_version("42"));
	ck_assert(!lam_is_version("$LATEST"));
	ck_assert(lam_name_valid("a-b_c"));
	ck_assert(!lam_name_valid("a.b"));
}
END_TEST

START_TEST(lam_ver_part_should_sort_versions_numerically)
{
	char a[LAM_VER_LEN], b[LAM_VER_LEN], l[LAM_VER_LEN];
	lam_ver_part("9", a);
	lam_ver_part("10", b);
	lam_ver_part("$LATEST", l);
	ck_assert_int_lt(strcmp(a, b), 0);
	ck_assert_int_lt(strcmp(l, a), 0);
	ck_assert_str_eq(l, "$LATEST");
}
END_TEST

Suite *suite_lam_name(void)
{
	Suite *s = suite_create("mocks/lambda/name");
	TCase *tc = tcase_create("name");
	tcase_add_test(tc, lam_fname_should_accept_names_arns_and_partial_arns);
	tcase_add_test(tc, lam_fname_should_reject_what_lambda_rejects);
	tcase_add_test(tc, lam_alias_names_should_not_be_all_digits);
	tcase_add_test(tc, lam_ver_part_should_sort_versions_numerically);
	suite_add_tcase(s, tc);
	return s;
}
