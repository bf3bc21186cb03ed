/* test_jn_value.c - the value type: JavaScript number text, object key order, equality, JSON text. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/arena.h"
#include "engine/jsonata/jn_value.h"
#include "tests/suites.h"

static void num_is(double d, const char *want)
{
	char b[32];
	jn_num_js(d, b);
	ck_assert_str_eq(b, want);
}

START_TEST(jn_num_js_should_print_numbers_as_javascript_does)
{
	num_is(0, "0");
	num_is(-0.0, "0");
	num_is(42, "42");
	num_is(-7, "-7");
	num_is(0.1 + 0.2, "0.30000000000000004");
	num_is(1e21, "1e+21");
	num_is(1e-7, "1e-7");
	num_is(0.000001, "0.000001");
	num_is(123456789012345680000.0, "123456789012345680000");
	num_is(9.33262154439441e+155, "9.33262154439441e+155");
	num_is(-2.5e-300, "-2.5e-300");
	num_is(NAN, "NaN");
	num_is(-INFINITY, "-Infinity");
	ck_assert(jn_num_prec15(0.1 + 0.2) == 0.3);
	ck_assert(jn_num_prec15(1.0 / 3) == 0.333333333333333);
}
END_TEST

START_TEST(jn_obj_should_put_array_index_keys_first_in_numeric_order)
{
	arena *a = arena_new();
	jn_value o = jn_object(a, 0);
	const char *keys[] = {"b", "10", "a", "2", "02", "-1", "0"};
	for (int i = 0; i < 7; i++)
		jn_obj_set_c(a, o, keys[i], jn_number(i));
	const char *want[] = {"0", "2", "10", "b", "a", "02", "-1"};
	ck_assert_uint_eq(jn_obj_len(o), 7);
	for (uint32_t i = 0; i < 7; i++)
		ck_assert_str_eq(jn_obj_key_at(o, i)->s, want[i]);
	ck_assert_double_eq(jn_num(jn_obj_get(o, "10", 2)), 1);
	jn_obj_del(o, "2", 1);
	ck_assert(jn_is_undef(jn_obj_get(o, "2", 1)));
	ck_assert_str_eq(jn_obj_key_at(o, 1)->s, "10");
	/* a big object still finds every key through its hash index */
	jn_value big = jn_object(a, 0);
	char k[16];
	for (int i = 0; i < 200; i++) {
		snprintf(k, sizeof k, "k%d", i);
		jn_obj_set_c(a, big, k, jn_number(i));
	}
	for (int i = 0; i < 200; i += 17) {
		snprintf(k, sizeof k, "k%d", i);
		ck_assert_double_eq(jn_num(jn_obj_get(big, k, strlen(k))), i);
	}
	arena_free(a);
}
END_TEST

START_TEST(jn_deep_equal_and_json_should_ignore_sequence_flags)
{
	arena *a = arena_new();
	jn_value x = jn_array(a, 0, JN_SEQ), y = jn_array(a, 0, 0);
	jn_arr_push(a, x, jn_string(a, "a\n\"\x01"));
	jn_arr_push(a, y, jn_string(a, "a\n\"\x01"));
	ck_assert(jn_deep_equal(x, y));
	jn_arr_push(a, y, jn_null());
	ck_assert(!jn_deep_equal(x, y));
	sb out = SB_INIT;
	ck_assert_int_eq(jn_json_append(&out, y, 0), 0);
	ck_assert_str_eq(sb_str(&out), "[\"a\\n\\\"\\u0001\",null]");
	sb_free(&out);
	arena_free(a);
}
END_TEST

Suite *suite_jn_value(void)
{
	Suite *s = suite_create("engine/jsonata/value");
	TCase *tc = tcase_create("value");
	tcase_add_test(tc, jn_num_js_should_print_numbers_as_javascript_does);
	tcase_add_test(tc, jn_obj_should_put_array_index_keys_first_in_numeric_order);
	tcase_add_test(tc, jn_deep_equal_and_json_should_ignore_sequence_flags);
	suite_add_tcase(s, tc);
	return s;
}
