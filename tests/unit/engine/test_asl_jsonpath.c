/* test_asl_jsonpath.c - the Jayway-flavoured JSONPath: selection, errors, ResultPath. */
#include <check.h>

#include "engine/asl_jsonpath.h"
#include "tests/suites.h"
#include "tests/unit/engine/asl_test.h"

static const char *doc_text = "{\"a\": {\"b\": [1, 2, 3], \"c\": \"x\"}, \"items\": [{\"k\": 0, \"s\": 0}, {\"k\": 1, "
                              "\"s\": 1}, {\"k\": 2, \"s\": 0}], \"odd-name\": true, \"q'uote\": 5}";

/* Evaluate path on the test document; returns compact JSON or "ERR: msg". */
static char *eval(const char *path)
{
	cJSON *doc = cJSON_Parse(doc_text);
	sb err = SB_INIT;
	asl_path *p = asl_path_compile(path, &err);
	char *r;
	if (!p) {
		sb b = SB_INIT;
		sb_printf(&b, "COMPILE: %s", sb_str(&err));
		r = sb_steal(&b);
	} else {
		cJSON *out = NULL;
		if (asl_path_eval(p, doc, &out, &err)) {
			sb b = SB_INIT;
			sb_printf(&b, "ERR: %s", sb_str(&err));
			r = sb_steal(&b);
		} else
			r = cj_print(out);
		cJSON_Delete(out);
	}
	asl_path_free(p);
	sb_free(&err);
	cJSON_Delete(doc);
	return r;
}

#define ASSERT_EVAL(path, want)                                                                                      \
	do {                                                                                                         \
		char *r_ = eval(path);                                                                               \
		ck_assert_msg(!strcmp(r_, want), "%s gave %s, wanted %s", path, r_, want);                            \
		mem_free(r_);                                                                                        \
	} while (0)

START_TEST(jsonpath_should_select_names_indices_and_brackets)
{
	ASSERT_EVAL("$", doc_text[0] == '{' ? "{\"a\":{\"b\":[1,2,3],\"c\":\"x\"},\"items\":[{\"k\":0,\"s\":0},{\"k\":1,"
	                                      "\"s\":1},{\"k\":2,\"s\":0}],\"odd-name\":true,\"q'uote\":5}"
	                                    : "");
	ASSERT_EVAL("$.a.c", "\"x\"");
	ASSERT_EVAL("$.a.b[1]", "2");
	ASSERT_EVAL("$['a']['c']", "\"x\"");
	ASSERT_EVAL("$.odd-name", "true");
	ASSERT_EVAL("$['q\\'uote']", "5");
	ASSERT_EVAL("$.a.b[-1]", "3");
}
END_TEST

START_TEST(jsonpath_should_return_arrays_for_indefinite_paths)
{
	ASSERT_EVAL("$.items[*].k", "[0,1,2]");
	ASSERT_EVAL("$.items[1:].k", "[1,2]");
	ASSERT_EVAL("$.items[:1].k", "[0]");
	ASSERT_EVAL("$.a.b[0,2]", "[1,3]");
	ASSERT_EVAL("$..k", "[0,1,2]");
	ASSERT_EVAL("$.items[?(@.s == 0)].k", "[0,2]");
	ASSERT_EVAL("$.items[?(@.k > 0 && @.s == 0)].k", "[2]");
	ASSERT_EVAL("$.nothing[*]", "[]");
	ASSERT_EVAL("$.a.b.length()", "3");
}
END_TEST

START_TEST(jsonpath_should_word_missing_paths_as_jayway)
{
	ASSERT_EVAL("$.nope", "ERR: No results for path: $['nope']");
	ASSERT_EVAL("$.a.nope", "ERR: No results for path: $['a']['nope']");
	ASSERT_EVAL("$.no.such.path", "ERR: Missing property in path $['no']");
	ASSERT_EVAL("$.a.b[7]", "ERR: No results for path: $['a']['b'][7]");
}
END_TEST

START_TEST(jsonpath_should_know_its_root)
{
	sb e = SB_INIT;
	asl_path *p = asl_path_compile("$$.Execution.Id", &e);
	ck_assert_int_eq(asl_path_root(p), ASL_ROOT_CONTEXT);
	asl_path_free(p);
	p = asl_path_compile("$myVar.x[0]", &e);
	ck_assert_int_eq(asl_path_root(p), ASL_ROOT_VAR);
	ck_assert_str_eq(asl_path_var(p), "myVar");
	ck_assert(asl_path_definite(p));
	asl_path_free(p);
	p = asl_path_compile("$.a", &e);
	ck_assert_int_eq(asl_path_root(p), ASL_ROOT_INPUT);
	ck_assert(asl_path_is_reference(p));
	asl_path_free(p);
	ck_assert_ptr_null(asl_path_compile("a.b", &e));
	ck_assert_ptr_null(asl_path_compile("$.a[", NULL));
	sb_free(&e);
}
END_TEST

START_TEST(jsonpath_set_should_create_objects_and_refuse_non_objects)
{
	cJSON *doc = cJSON_Parse("{\"a\": 1}");
	asl_path *p = asl_path_compile("$.x.y", NULL);
	ck_assert_int_eq(asl_path_set(p, &doc, cJSON_CreateNumber(7), NULL), 0);
	char *t = cj_print(doc);
	ck_assert_str_eq(t, "{\"a\":1,\"x\":{\"y\":7}}");
	mem_free(t);
	asl_path_free(p);
	p = asl_path_compile("$.a.b", NULL);
	sb err = SB_INIT;
	ck_assert_int_eq(asl_path_set(p, &doc, cJSON_CreateNumber(7), &err), -1);
	ck_assert(strstr(sb_str(&err), "Unable to apply ResultPath"));
	sb_free(&err);
	asl_path_free(p);
	p = asl_path_compile("$", NULL);
	ck_assert_int_eq(asl_path_set(p, &doc, cJSON_CreateString("r"), NULL), 0);
	ck_assert_str_eq(doc->valuestring, "r");
	asl_path_free(p);
	cJSON_Delete(doc);
}
END_TEST

START_TEST(jsonpath_should_replace_an_existing_member_keeping_its_name)
{
	cJSON *doc = cJSON_Parse("{\"v\": [1], \"w\": 2}");
	asl_path *p = asl_path_compile("$.v", NULL);
	ck_assert_int_eq(asl_path_set(p, &doc, cJSON_CreateString("new"), NULL), 0);
	char *t = cj_print(doc);
	ck_assert_str_eq(t, "{\"v\":\"new\",\"w\":2}");
	mem_free(t);
	asl_path_free(p);
	cJSON_Delete(doc);
}
END_TEST

Suite *suite_asl_jsonpath(void)
{
	Suite *s = suite_create("asl_jsonpath");
	TCase *t = tcase_create("paths");
	tcase_add_test(t, jsonpath_should_select_names_indices_and_brackets);
	tcase_add_test(t, jsonpath_should_return_arrays_for_indefinite_paths);
	tcase_add_test(t, jsonpath_should_word_missing_paths_as_jayway);
	tcase_add_test(t, jsonpath_should_know_its_root);
	tcase_add_test(t, jsonpath_set_should_create_objects_and_refuse_non_objects);
	tcase_add_test(t, jsonpath_should_replace_an_existing_member_keeping_its_name);
	suite_add_tcase(s, t);
	return s;
}
