/* test_jsonata.c - the public API: compile, evaluate, bindings, lookup, errors, guards, documents. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/mem.h"
#include "engine/jsonata/jsonata.h"
#include "tests/suites.h"

/* evaluate expr over input (JSON text or NULL); returns the JSON text of the
 * result, "undefined", or "ERR <code>" (caller frees) */
static char *ev(const char *expr, const char *input, const jsonata_opts *o)
{
	jsonata_error err;
	memset(&err, 0, sizeof err);
	jsonata_expr *e = jsonata_compile(expr, strlen(expr), &err);
	char *out;
	if (!e) {
		out = malloc(16);
		snprintf(out, 16, "ERR %s", err.code);
		jsonata_error_clear(&err);
		return out;
	}
	cJSON *in = input ? cJSON_Parse(input) : NULL;
	cJSON *res = NULL;
	if (jsonata_eval(e, in, o, &res, &err) < 0) {
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
	cJSON_Delete(in);
	jsonata_error_clear(&err);
	jsonata_free(e);
	return out;
}

#define EXPECT(expr, input, opts, want)                \
	do {                                           \
		char *got_ = ev(expr, input, opts);    \
		ck_assert_str_eq(got_, want);          \
		free(got_);                            \
	} while (0)

START_TEST(jsonata_eval_should_navigate_paths_with_sequence_semantics)
{
	const char *doc = "{\"a\":{\"b\":[{\"c\":1},{\"c\":2},{\"c\":[3,4]}]},\"s\":\"x\"}";
	EXPECT("a.b.c", doc, NULL, "[1,2,3,4]");
	EXPECT("a.b[0].c", doc, NULL, "1");
	EXPECT("a.b[-1].c", doc, NULL, "[3,4]");
	EXPECT("a.b[c = 2].c", doc, NULL, "2");
	EXPECT("a.nothing", doc, NULL, "undefined");
	EXPECT("a.b[0].c[]", doc, NULL, "[1]");
	EXPECT("$count(a.b)", doc, NULL, "3");
	EXPECT("s & '!'", doc, NULL, "\"x!\"");
}
END_TEST

START_TEST(jsonata_eval_should_build_objects_and_arrays)
{
	EXPECT("{\"n\": 1 + 2, \"l\": [1, 'two', true, null]}", NULL, NULL, "{\"n\":3,\"l\":[1,\"two\",true,null]}");
	EXPECT("[1..5][$ % 2 = 1]", NULL, NULL, "[1,3,5]");
	EXPECT("1 = 1 and (2 > 3 or 'a' < 'b')", NULL, NULL, "true");
	EXPECT("$string(0.1 + 0.2)", NULL, NULL, "\"0.3\"");
	EXPECT("0.1 + 0.2", NULL, NULL, "0.30000000000000004");
	EXPECT("1e21 * 10", NULL, NULL, "1e+22");
}
END_TEST

START_TEST(jsonata_eval_should_read_bindings_before_the_lookup_callback)
{
	cJSON *b = cJSON_Parse("{\"states\":{\"input\":{\"user\":\"ann\"}},\"n\":5}");
	jsonata_opts o;
	memset(&o, 0, sizeof o);
	o.bindings = b;
	EXPECT("$states.input.user", NULL, &o, "\"ann\"");
	EXPECT("$n * 2", NULL, &o, "10");
	EXPECT("$exists($missing)", NULL, &o, "false");
	cJSON_Delete(b);
}
END_TEST

static cJSON *lookup_doc;
static int lookups;
static const cJSON *lookup(void *ctx, const char *name)
{
	(void)ctx;
	lookups++;
	return cJSON_GetObjectItemCaseSensitive(lookup_doc, name);
}

START_TEST(jsonata_eval_should_ask_the_lookup_callback_for_unbound_variables)
{
	lookup_doc = cJSON_Parse("{\"states\":{\"input\":{\"user\":\"bob\"}},\"count\":7}");
	jsonata_opts o;
	memset(&o, 0, sizeof o);
	o.lookup = lookup;
	lookups = 0;
	EXPECT("$states.input.user & $states.input.user", NULL, &o, "\"bobbob\"");
	ck_assert_int_eq(lookups, 1); /* converted once, then bound */
	EXPECT("$count", NULL, &o, "7");   /* a host variable shadows the built-in */
	EXPECT("$sum([1,2])", NULL, &o, "3");
	cJSON_Delete(lookup_doc);
}
END_TEST

START_TEST(jsonata_errors_should_carry_code_position_and_message)
{
	jsonata_error err;
	memset(&err, 0, sizeof err);
	jsonata_expr *e = jsonata_compile("1 + ", 4, &err);
	ck_assert_ptr_null(e);
	ck_assert_str_eq(err.code, "S0207");
	ck_assert_str_eq(err.message, "Unexpected end of expression");
	jsonata_error_clear(&err);

	e = jsonata_compile("\"a\" + 1", 7, &err);
	ck_assert_ptr_nonnull(e);
	cJSON *r = NULL;
	ck_assert_int_eq(jsonata_eval(e, NULL, NULL, &r, &err), -1);
	ck_assert_str_eq(err.code, "T2001");
	ck_assert_str_eq(err.message, "The left side of the \"+\" operator must evaluate to a number");
	ck_assert_str_eq(err.token, "+");
	ck_assert_int_eq(err.position, 5);
	char *j = jsonata_error_json(&err);
	ck_assert_str_eq(j, "{\"code\": \"T2001\", \"message\": \"The left side of the \\\"+\\\" operator must evaluate "
	                    "to a number\", \"position\": 5, \"token\": \"+\", \"value\": \"a\"}");
	mem_free(j);
	jsonata_error_clear(&err);
	jsonata_free(e);
	EXPECT("$error('boom')", NULL, NULL, "ERR D3137");
	EXPECT("$sum('x')", NULL, NULL, "ERR T0412");
	EXPECT("$substring()", NULL, NULL, "ERR T0410");
}
END_TEST

START_TEST(jsonata_guards_should_stop_runaway_recursion_with_U1001)
{
	jsonata_opts o;
	memset(&o, 0, sizeof o);
	/* no explicit limit: the default depth and the C stack check still stop it */
	EXPECT("($f := function($n){$n + $f($n + 1)}; $f(0))", NULL, &o, "ERR U1001");
	o.max_depth = 302;
	o.timeout_ms = 2000;
	EXPECT("($f := function($n){$n = 0 ? 1 : $n * $f($n - 1)}; $f(99))", NULL, &o, "9.33262154439441e+155");
	EXPECT("($f := function($n){$n = 0 ? 1 : $n * $f($n - 1)}; $f(100))", NULL, &o, "ERR U1001");
	/* tail calls neither grow the depth nor the C stack (no time limit here:
	 * the suite also runs under valgrind) */
	o.max_depth = 50;
	o.timeout_ms = 0;
	EXPECT("($f := function($n, $a){$n = 0 ? $a : $f($n - 1, $a + 1)}; $f(100000, 0))", NULL, &o, "100000");
	o.max_depth = 0;
	o.timeout_ms = 100;
	EXPECT("($inf := function(){$inf()}; $inf())", NULL, &o, "ERR U1001");
}
END_TEST

START_TEST(jsonata_now_should_read_the_given_clock_once_per_evaluation)
{
	clk *c = clk_virtual_new(1760956200500LL);
	jsonata_opts o;
	memset(&o, 0, sizeof o);
	o.clock = c;
	EXPECT("$now()", NULL, &o, "\"2025-10-20T10:30:00.500Z\"");
	EXPECT("$millis()", NULL, &o, "1760956200500");
	EXPECT("$now() = $now()", NULL, &o, "true");
	clk_free(c);
}
END_TEST

START_TEST(jsonata_function_results_should_be_undefined_unless_opts_ask_for_U1003)
{
	jsonata_opts o;
	memset(&o, 0, sizeof o);
	EXPECT("$fn := function($x){$x}", NULL, &o, "undefined");
	EXPECT("$sum", NULL, &o, "undefined");
	o.flags = JSONATA_FUNCTION_RESULT_ERROR;
	EXPECT("$fn := function($x){$x}", NULL, &o, "ERR U1003");
	EXPECT("$sum", NULL, &o, "ERR U1003");
	/* only a function result itself: values around functions are unchanged */
	EXPECT("($fn := function($x){$x}; $fn(1))", NULL, &o, "1");
	EXPECT("{'a': 1, 'f': $sum}", NULL, &o, "{\"a\":1}");
	EXPECT("nothing", "{}", &o, "undefined");
}
END_TEST

START_TEST(jsonata_doc_should_be_reusable_across_evaluations)
{
	cJSON *j = cJSON_Parse("{\"items\":[{\"p\":2},{\"p\":3}]}");
	jsonata_doc *d = jsonata_doc_new(j);
	cJSON_Delete(j);
	jsonata_error err;
	memset(&err, 0, sizeof err);
	jsonata_expr *e = jsonata_compile("$sum(items.p)", 13, &err);
	/* a transform updates a clone, never the shared document */
	jsonata_expr *t = jsonata_compile("$ ~> |items|{'p': 0}|", 21, &err);
	for (int i = 0; i < 3; i++) {
		cJSON *r = NULL;
		ck_assert_int_eq(jsonata_eval_doc(e, d, NULL, &r, &err), 0);
		ck_assert_double_eq(r->valuedouble, 5);
		cJSON_Delete(r);
		ck_assert_int_eq(jsonata_eval_doc(t, d, NULL, &r, &err), 0);
		cJSON_Delete(r);
	}
	jsonata_free(e);
	jsonata_free(t);
	jsonata_doc_free(d);
}
END_TEST

Suite *suite_jsonata(void)
{
	Suite *s = suite_create("engine/jsonata/jsonata");
	TCase *tc = tcase_create("api");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, jsonata_eval_should_navigate_paths_with_sequence_semantics);
	tcase_add_test(tc, jsonata_eval_should_build_objects_and_arrays);
	tcase_add_test(tc, jsonata_eval_should_read_bindings_before_the_lookup_callback);
	tcase_add_test(tc, jsonata_eval_should_ask_the_lookup_callback_for_unbound_variables);
	tcase_add_test(tc, jsonata_errors_should_carry_code_position_and_message);
	tcase_add_test(tc, jsonata_guards_should_stop_runaway_recursion_with_U1001);
	tcase_add_test(tc, jsonata_now_should_read_the_given_clock_once_per_evaluation);
	tcase_add_test(tc, jsonata_doc_should_be_reusable_across_evaluations);
	tcase_add_test(tc, jsonata_function_results_should_be_undefined_unless_opts_ask_for_U1003);
	suite_add_tcase(s, tc);
	return s;
}
