/* test_lam_rest.c - REST routes to operations and the HTTP codec's answers. */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/cj.h"
#include "mocks/lambda/lam_int.h"
#include "tests/suites.h"

static void route(const char *method, const char *path, const char *op, const char *fn, int status)
{
	lam_route r;
	ck_assert_msg(lam_route_match(method, path, &r) == 0, "%s %s did not match", method, path);
	ck_assert_str_eq(r.op, op);
	if (fn)
		ck_assert_str_eq(r.function, fn);
	ck_assert_int_eq(r.status, status);
	lam_route_free(&r);
}

START_TEST(lam_route_should_map_methods_and_paths_to_operations)
{
	route("POST", "/2015-03-31/functions", "CreateFunction", NULL, 201);
	route("GET", "/2015-03-31/functions/", "ListFunctions", NULL, 200);
	route("GET", "/2015-03-31/functions/f", "GetFunction", "f", 200);
	route("DELETE", "/2015-03-31/functions/f", "DeleteFunction", "f", 204);
	route("GET", "/2015-03-31/functions/f/configuration", "GetFunctionConfiguration", "f", 200);
	route("PUT", "/2015-03-31/functions/f/configuration", "UpdateFunctionConfiguration", "f", 200);
	route("PUT", "/2015-03-31/functions/f/code", "UpdateFunctionCode", "f", 200);
	route("POST", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af/invocations",
	      "Invoke", "arn:aws:lambda:us-east-1:000000000000:function:f", 200);
	route("POST", "/2015-03-31/functions/f/versions", "PublishVersion", "f", 201);
	route("GET", "/2015-03-31/functions/f/versions", "ListVersionsByFunction", "f", 200);
	route("POST", "/2015-03-31/functions/f/aliases", "CreateAlias", "f", 201);
	route("GET", "/2015-03-31/functions/f/aliases", "ListAliases", "f", 200);
	route("PUT", "/2015-03-31/functions/f/aliases/live", "UpdateAlias", "f", 200);
	route("DELETE", "/2015-03-31/functions/f/aliases/live", "DeleteAlias", "f", 204);
	route("GET", "/2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af", "ListTags", NULL,
	      200);
	route("POST", "/2017-03-31/tags/x", "TagResource", NULL, 204);
	route("GET", "/2016-08-19/account-settings/", "GetAccountSettings", NULL, 200);
	lam_route r;
	ck_assert_int_eq(lam_route_match("GET", "/2015-03-31/functions/f/aliases/live", &r), 0);
	ck_assert_str_eq(r.alias, "live");
	lam_route_free(&r);
}
END_TEST

START_TEST(lam_route_should_not_match_other_paths_or_methods)
{
	lam_route r;
	const char *m[][2] = {{"PUT", "/2015-03-31/functions"},         {"POST", "/2015-03-31/functions/f"},
	                      {"GET", "/2015-03-31/functions/f/invocations"}, {"GET", "/2015-03-31/functions/f/bogus"},
	                      {"GET", "/2015-03-31/functions//code"},     {"POST", "/"},
	                      {"GET", "/2015-03-31/functions/f/aliases/a/b"}, {"GET", "/_stepbench/health"}};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
		ck_assert_msg(lam_route_match(m[i][0], m[i][1], &r) == -1, "%s %s matched", m[i][0], m[i][1]);
}
END_TEST

/* ---- the codec end to end, with a fake request ---------------------------- */

typedef struct fake {
	const char *hdr[4][2];
} fake;

static const char *fake_header(const mock_http *h, const char *name)
{
	const fake *f = h->conn;
	for (int i = 0; i < 4 && f->hdr[i][0]; i++)
		if (!strcasecmp(f->hdr[i][0], name))
			return f->hdr[i][1];
	return NULL;
}

static mock_world *w;

static void setup(void)
{
	sb err = SB_INIT;
	w = mock_world_new(NULL, &err);
	ck_assert_msg(w != NULL, "%s", sb_str(&err));
}

static void teardown(void) { mock_world_free(w); }

static int call(const char *method, const char *path, const char *query, const char *body, fake *f,
                mock_http_out *out)
{
	fake none = {{{NULL, NULL}}};
	mock_http in = {method, path, query, body, body ? strlen(body) : 0, "us-east-1", "localhost",
	                fake_header, f ? f : &none};
	memset(out, 0, sizeof *out);
	return lam_http(w, &in, out);
}

static void out_free(mock_http_out *o)
{
	sb_free(&o->body);
	sb_free(&o->headers);
}

START_TEST(lam_http_should_answer_invoke_with_headers_and_a_raw_payload)
{
	mock_http_out o;
	ck_assert_int_eq(call("POST", "/2015-03-31/functions", NULL,
	                      "{\"FunctionName\": \"f\", \"Behavior\": {\"error\": {\"type\": \"Boom\", \"message\": "
	                      "\"m\"}}}",
	                      NULL, &o),
	                 1);
	ck_assert_int_eq(o.status, 201);
	out_free(&o);
	fake f = {{{"X-Amz-Log-Type", "Tail"}, {NULL, NULL}}};
	ck_assert_int_eq(call("POST", "/2015-03-31/functions/f/invocations", "Qualifier=%24LATEST", "{\"a\":1}", &f, &o),
	                 1);
	ck_assert_int_eq(o.status, 200);
	ck_assert_str_eq(sb_str(&o.body), "{\"errorMessage\":\"m\",\"errorType\":\"Boom\",\"stackTrace\":[]}");
	ck_assert_ptr_nonnull(strstr(sb_str(&o.headers), "X-Amz-Function-Error: Unhandled\r\n"));
	ck_assert_ptr_nonnull(strstr(sb_str(&o.headers), "X-Amz-Executed-Version: $LATEST\r\n"));
	ck_assert_ptr_nonnull(strstr(sb_str(&o.headers), "X-Amz-Log-Result: "));
	out_free(&o);
}
END_TEST

START_TEST(lam_http_should_render_errors_as_lambda_does)
{
	mock_http_out o;
	ck_assert_int_eq(call("GET", "/2015-03-31/functions/ghost", NULL, NULL, NULL, &o), 1);
	ck_assert_int_eq(o.status, 404);
	ck_assert_ptr_nonnull(strstr(sb_str(&o.headers), "x-amzn-ErrorType: ResourceNotFoundException\r\n"));
	cJSON *b = cj_parse(o.body.buf, o.body.len, NULL);
	ck_assert_str_eq(cj_str(b, "Type"), "User");
	ck_assert_str_eq(cj_str(b, "Message"), "Function not found: arn:aws:lambda:us-east-1:000000000000:function:ghost");
	cJSON_Delete(b);
	out_free(&o);
	ck_assert_int_eq(call("POST", "/2015-03-31/functions", NULL, "[1,2", NULL, &o), 1);
	ck_assert_int_eq(o.status, 400);
	ck_assert_ptr_nonnull(strstr(sb_str(&o.headers), "x-amzn-ErrorType: InvalidRequestContentException\r\n"));
	out_free(&o);
	ck_assert_int_eq(call("GET", "/2015-03-31/functions", "MaxItems=0", NULL, NULL, &o), 1);
	ck_assert_int_eq(o.status, 400);
	ck_assert_ptr_nonnull(strstr(sb_str(&o.headers), "x-amzn-ErrorType: ValidationException\r\n"));
	out_free(&o);
	ck_assert_int_eq(call("GET", "/2015-03-31/nothing", NULL, NULL, NULL, &o), 1);
	ck_assert_int_eq(o.status, 404);
	out_free(&o);
	ck_assert_int_eq(call("POST", "/", NULL, "Action=SendMessage", NULL, &o), 0); /* not Lambda's */
	out_free(&o);
}
END_TEST

START_TEST(lam_http_should_serve_the_invocation_log)
{
	mock_http_out o;
	call("POST", "/2015-03-31/functions", NULL, "{\"FunctionName\": \"g\", \"Behavior\": {\"returns\": 5}}", NULL, &o);
	out_free(&o);
	call("POST", "/2015-03-31/functions/g/invocations", NULL, "", NULL, &o);
	ck_assert_str_eq(sb_str(&o.body), "5");
	out_free(&o);
	ck_assert_int_eq(call("GET", "/_stepbench/lambda/invocations", "function=g", NULL, NULL, &o), 1);
	cJSON *b = cj_parse(o.body.buf, o.body.len, NULL);
	cJSON *list = cj_arr(b, "g");
	ck_assert_int_eq(cJSON_GetArraySize(list), 1);
	ck_assert_int_eq((int)cj_num(list->child, "Result", 0), 5);
	cJSON_Delete(b);
	out_free(&o);
	ck_assert_int_eq(call("GET", "/_stepbench/lambda/invocations", "function=never", NULL, NULL, &o), 1);
	ck_assert_str_eq(sb_str(&o.body), "{\"never\":[]}");
	out_free(&o);
	ck_assert_int_eq(call("GET", "/_stepbench/health", NULL, NULL, NULL, &o), 0);
	out_free(&o);
}
END_TEST

Suite *suite_lam_rest(void)
{
	Suite *s = suite_create("mocks/lambda/rest");
	TCase *tc = tcase_create("routes");
	tcase_add_test(tc, lam_route_should_map_methods_and_paths_to_operations);
	tcase_add_test(tc, lam_route_should_not_match_other_paths_or_methods);
	suite_add_tcase(s, tc);
	TCase *tc2 = tcase_create("codec");
	tcase_add_checked_fixture(tc2, setup, teardown);
	tcase_add_test(tc2, lam_http_should_answer_invoke_with_headers_and_a_raw_payload);
	tcase_add_test(tc2, lam_http_should_render_errors_as_lambda_does);
	tcase_add_test(tc2, lam_http_should_serve_the_invocation_log);
	suite_add_tcase(s, tc2);
	return s;
}
