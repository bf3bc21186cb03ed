/* test_cj.c - located JSON parsing, positions and deep equality. */
#include <check.h>
#include <string.h>

#include "common/cj.h"
#include "common/mem.h"
#include "tests/suites.h"

static char *parse_error(const char *text)
{
	sb err = SB_INIT;
	cj_doc *d = cj_doc_parse(text, strlen(text), "f.json", &err);
	ck_assert_ptr_null(d);
	return sb_steal(&err);
}

START_TEST(cj_doc_parse_should_report_line_and_column_of_a_syntax_error)
{
	char *e = parse_error("{\n  \"a\": 1,\n  \"b\" 2\n}");
	ck_assert_str_eq(e, "f.json:3:7: expected ':' after the member name");
	mem_free(e);
	e = parse_error("{\"a\": [1, 2,]}");
	ck_assert_str_eq(e, "f.json:1:13: trailing comma");
	mem_free(e);
	e = parse_error("");
	ck_assert_str_eq(e, "f.json:1:1: empty document: expected a JSON value");
	mem_free(e);
	e = parse_error("{\"a\": 1} x");
	ck_assert_str_eq(e, "f.json:1:10: unexpected text after the JSON value");
	mem_free(e);
	e = parse_error("{\"a\": 'x'}");
	ck_assert_str_eq(e, "f.json:1:7: strings take double quotes");
	mem_free(e);
	e = parse_error("[\"abc");
	ck_assert_str_eq(e, "f.json:1:6: unterminated string");
	mem_free(e);
}
END_TEST

START_TEST(cj_doc_pos_should_locate_keys_and_values)
{
	const char *t = "{\n  \"name\": \"x\",\n  \"list\": [true, {\"k\": null}]\n}";
	sb err = SB_INIT;
	cj_doc *d = cj_doc_parse(t, strlen(t), "s.json", &err);
	ck_assert_ptr_nonnull(d);
	cJSON *root = cj_doc_root(d);
	int line, col;
	cj_doc_pos(d, cJSON_GetObjectItem(root, "name"), 1, &line, &col);
	ck_assert_int_eq(line, 2);
	ck_assert_int_eq(col, 3);
	cj_doc_pos(d, cJSON_GetObjectItem(root, "name"), 0, &line, &col);
	ck_assert_int_eq(col, 11);
	cJSON *k = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "list"), 1), "k");
	cj_doc_pos(d, k, 1, &line, &col);
	ck_assert_int_eq(line, 3);
	ck_assert_int_eq(col, 19);
	sb w = SB_INIT;
	cj_doc_where(d, k, 0, &w);
	ck_assert_str_eq(sb_str(&w), "s.json:3:24: ");
	sb_free(&w);
	cj_doc_free(d);
}
END_TEST

START_TEST(cj_doc_parse_should_decode_escapes_and_reject_bad_utf8)
{
	const char *t = "[\"a\\u00e9\\ud83d\\ude00\\n\"]";
	cj_doc *d = cj_doc_parse(t, strlen(t), "x", NULL);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(cJSON_GetArrayItem(cj_doc_root(d), 0)->valuestring, "a\xC3\xA9\xF0\x9F\x98\x80\n");
	cj_doc_free(d);
	char *e = parse_error("[\"\xC3\x28\"]");
	ck_assert_str_eq(e, "f.json:1:3: invalid UTF-8 in string");
	mem_free(e);
}
END_TEST

START_TEST(cj_doc_parse_should_refuse_excessive_nesting)
{
	char buf[CJ_MAX_DEPTH + 10];
	memset(buf, '[', sizeof buf - 1);
	buf[sizeof buf - 1] = '\0';
	char *e = parse_error(buf);
	ck_assert_ptr_nonnull(strstr(e, "nesting too deep"));
	mem_free(e);
}
END_TEST

START_TEST(cj_equal_should_ignore_key_order_and_number_form)
{
	cJSON *a = cJSON_Parse("{\"a\": 1, \"b\": [1, {\"c\": true}]}");
	cJSON *b = cJSON_Parse("{\"b\": [1.0, {\"c\": true}], \"a\": 1e0}");
	cJSON *c = cJSON_Parse("{\"b\": [{\"c\": true}, 1], \"a\": 1}");
	ck_assert(cj_equal(a, b));
	ck_assert(!cj_equal(a, c));
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(c);
}
END_TEST

START_TEST(cj_path_key_should_quote_odd_names)
{
	sb p = SB_INIT;
	sb_cat(&p, "$");
	cj_path_key(&p, "items");
	cj_path_index(&p, 2);
	cj_path_key(&p, "it's odd");
	ck_assert_str_eq(sb_str(&p), "$.items[2]['it\\'s odd']");
	sb_free(&p);
}
END_TEST

Suite *suite_cj(void)
{
	Suite *s = suite_create("common/cj");
	TCase *tc = tcase_create("cj");
	tcase_add_test(tc, cj_doc_parse_should_report_line_and_column_of_a_syntax_error);
	tcase_add_test(tc, cj_doc_pos_should_locate_keys_and_values);
	tcase_add_test(tc, cj_doc_parse_should_decode_escapes_and_reject_bad_utf8);
	tcase_add_test(tc, cj_doc_parse_should_refuse_excessive_nesting);
	tcase_add_test(tc, cj_equal_should_ignore_key_order_and_number_form);
	tcase_add_test(tc, cj_path_key_should_quote_odd_names);
	suite_add_tcase(s, tc);
	return s;
}
