/* test_ddb_num.c - DynamoDB numbers: parsing, canonical text, order, exact arithmetic. */
#include <check.h>
#include <string.h>

#include "mocks/dynamodb/ddb_int.h"
#include "tests/suites.h"

static ddb_num num(const char *s)
{
	ddb_num n;
	ck_assert_msg(ddb_num_parse(s, strlen(s), &n) == 0, "parse %s", s);
	return n;
}

static const char *canon(const char *s)
{
	static char buf[DDB_NUM_FMT_MAX];
	ddb_num n = num(s);
	ddb_num_format(&n, buf);
	return buf;
}

START_TEST(ddb_num_should_print_canonical_plain_text)
{
	ck_assert_str_eq(canon("001.500"), "1.5");
	ck_assert_str_eq(canon("-0"), "0");
	ck_assert_str_eq(canon("0.000"), "0");
	ck_assert_str_eq(canon("1e2"), "100");
	ck_assert_str_eq(canon("1.5E+2"), "150");
	ck_assert_str_eq(canon("-12.5e-3"), "-0.0125");
	ck_assert_str_eq(canon("+7"), "7");
	ck_assert_str_eq(canon(".5"), "0.5");
	ck_assert_str_eq(canon("5."), "5");
	char tiny[200] = "0.";
	for (int i = 0; i < 129; i++)
		strcat(tiny, "0");
	strcat(tiny, "1");
	ck_assert_str_eq(canon("1E-130"), tiny);
}
END_TEST

START_TEST(ddb_num_should_reject_what_dynamodb_rejects)
{
	ddb_num n;
	const char *bad[] = {"", "-", "abc", "1.2.3", "1e", "e5", " 1", "1 ", "0x10", "Infinity", "NaN", "1e+"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ck_assert_msg(ddb_num_parse(bad[i], strlen(bad[i]), &n) == DDB_NUM_EINVALID, "%s", bad[i]);
	ck_assert_int_eq(ddb_num_parse("1E126", 5, &n), DDB_NUM_EOVERFLOW);
	ck_assert_int_eq(ddb_num_parse("1E-131", 6, &n), DDB_NUM_EUNDERFLOW);
	ck_assert_int_eq(ddb_num_parse("123456789012345678901234567890123456789", 39, &n), DDB_NUM_EPRECISION);
	/* trailing zeros are not significant */
	ck_assert_int_eq(ddb_num_parse("1234567890123456789012345678901234567800000", 43, &n), 0);
	ck_assert_int_eq(ddb_num_parse("9.9999999999999999999999999999999999999E+125", 44, &n), 0);
}
END_TEST

START_TEST(ddb_num_should_compare_numerically)
{
	const char *asc[] = {"-1e125", "-100", "-10.5", "-1", "-0.001", "0", "1e-130", "0.001", "1", "1.5", "2", "10", "100",
	                     "99999999999999999999999999999999999999"};
	for (size_t i = 0; i + 1 < sizeof asc / sizeof *asc; i++) {
		ddb_num a = num(asc[i]), b = num(asc[i + 1]);
		ck_assert_msg(ddb_num_cmp(&a, &b) < 0, "%s < %s", asc[i], asc[i + 1]);
		ck_assert_msg(ddb_num_cmp(&b, &a) > 0, "%s > %s", asc[i + 1], asc[i]);
	}
	ddb_num a = num("1.0"), b = num("1");
	ck_assert_int_eq(ddb_num_cmp(&a, &b), 0);
}
END_TEST

static const char *add(const char *x, const char *y, int *rc)
{
	static char buf[DDB_NUM_FMT_MAX];
	ddb_num a = num(x), b = num(y), r;
	*rc = ddb_num_add(&a, &b, &r);
	ddb_num_format(&r, buf);
	return buf;
}

START_TEST(ddb_num_should_add_exactly_with_38_digits)
{
	int rc;
	ck_assert_str_eq(add("0.1", "0.2", &rc), "0.3");
	ck_assert_str_eq(add("99999999999999999999999999999999999998", "1", &rc), "99999999999999999999999999999999999999");
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(add("1", "-1", &rc), "0");
	ck_assert_str_eq(add("-5.5", "2.25", &rc), "-3.25");
	ck_assert_str_eq(add("100", "-0.01", &rc), "99.99");
	ck_assert_str_eq(add("12345678901234567890123456789012345678", "-12345678901234567890123456789012345677", &rc), "1");
	add("99999999999999999999999999999999999999", "1", &rc); /* 39 digits of 1e38 would be 1 digit: fine */
	ck_assert_int_eq(rc, 0);
	add("1", "1e-40", &rc);
	ck_assert_int_eq(rc, DDB_NUM_EPRECISION);
	add("9.9999999999999999999999999999999999999E+125", "1E+125", &rc);
	ck_assert_int_eq(rc, DDB_NUM_EOVERFLOW);
	ddb_num a = num("10"), b = num("3"), r;
	ck_assert_int_eq(ddb_num_sub(&a, &b, &r), 0);
	char buf[DDB_NUM_FMT_MAX];
	ddb_num_format(&r, buf);
	ck_assert_str_eq(buf, "7");
}
END_TEST

Suite *suite_ddb_num(void)
{
	Suite *s = suite_create("mocks/dynamodb/num");
	TCase *tc = tcase_create("num");
	tcase_add_test(tc, ddb_num_should_print_canonical_plain_text);
	tcase_add_test(tc, ddb_num_should_reject_what_dynamodb_rejects);
	tcase_add_test(tc, ddb_num_should_compare_numerically);
	tcase_add_test(tc, ddb_num_should_add_exactly_with_38_digits);
	suite_add_tcase(s, tc);
	return s;
}
