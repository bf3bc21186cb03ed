/* test_ddb_expr.c - the expression parsers' messages and the evaluator, through ConditionExpression and friends. */
#include "tests/unit/mocks/dynamodb/ddb_test_util.h"

#include "tests/suites.h"

/* A conditional put on an existing item {pk:a, sk:1, s:"hello", n:5, l:[1,"x"], ss:{p,q}, m:{k:"v"}}. */
static const char *cond(const char *expr, const char *names, const char *values)
{
	static char req[2048];
	snprintf(req, sizeof req,
	         "{\"TableName\":\"Tab\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"},\"s\":{\"S\":\"hello\"},\"n\":{\"N\":\"5\"},"
	         "\"l\":{\"L\":[{\"N\":\"1\"},{\"S\":\"x\"}]},\"ss\":{\"SS\":[\"p\",\"q\"]},\"m\":{\"M\":{\"k\":{\"S\":\"v\"}}}},"
	         "\"ConditionExpression\":\"%s\"%s%s%s%s}",
	         expr, names ? ",\"ExpressionAttributeNames\":" : "", names ? names : "",
	         values ? ",\"ExpressionAttributeValues\":" : "", values ? values : "");
	return ddb("PutItem", req);
}

static void seed(void)
{
	create_pk_sk("Tab");
	ck_assert_str_eq(cond("attribute_not_exists(pk)", NULL, NULL), "{}");
}

#define TRUE_ "{}"
#define FALSE_ "ConditionalCheckFailedException: The conditional request failed"

START_TEST(ddb_expr_should_evaluate_comparisons_and_functions)
{
	seed();
	ck_assert_str_eq(cond("n > :v AND n <= :w", NULL, "{\":v\":{\"N\":\"4.99\"},\":w\":{\"N\":\"5\"}}"), TRUE_);
	ck_assert_str_eq(cond("n BETWEEN :v AND :w", NULL, "{\":v\":{\"N\":\"6\"},\":w\":{\"N\":\"7\"}}"), FALSE_);
	ck_assert_str_eq(cond("s IN (:v, :w)", NULL, "{\":v\":{\"S\":\"x\"},\":w\":{\"S\":\"hello\"}}"), TRUE_);
	ck_assert_str_eq(cond("begins_with(s, :v) AND contains(s, :w)", NULL, "{\":v\":{\"S\":\"he\"},\":w\":{\"S\":\"ll\"}}"), TRUE_);
	ck_assert_str_eq(cond("contains(ss, :v) AND contains(l, :w)", NULL, "{\":v\":{\"S\":\"q\"},\":w\":{\"S\":\"x\"}}"), TRUE_);
	ck_assert_str_eq(cond("size(s) = :v AND size(l) = :w AND size(m) = :x", NULL,
	                      "{\":v\":{\"N\":\"5\"},\":w\":{\"N\":\"2\"},\":x\":{\"N\":\"1\"}}"), TRUE_);
	ck_assert_str_eq(cond("attribute_type(n, :t) AND m.k = :v AND l[1] = :x", NULL,
	                      "{\":t\":{\"S\":\"N\"},\":v\":{\"S\":\"v\"},\":x\":{\"S\":\"x\"}}"), TRUE_);
	ck_assert_str_eq(cond("NOT (absent = :v) AND (absent <> :v OR n = :v)", NULL, "{\":v\":{\"N\":\"1\"}}"), TRUE_);
	ck_assert_str_eq(cond("#s < :v", "{\"#s\":\"s\"}", "{\":v\":{\"N\":\"1\"}}"), FALSE_); /* S < N: false */
}
END_TEST

START_TEST(ddb_expr_should_report_syntax_errors_with_token_and_context)
{
	seed();
	ck_assert_str_eq(cond("n = ", NULL, NULL),
	                 "ValidationException: Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"= \"");
	ck_assert_str_eq(cond("n = :v :w", NULL, "{\":v\":{\"N\":\"1\"},\":w\":{\"N\":\"1\"}}"),
	                 "ValidationException: Invalid ConditionExpression: Syntax error; token: \":w\", near: \":v :w\"");
	ck_assert_str_eq(cond("n == :v", NULL, "{\":v\":{\"N\":\"1\"}}"),
	                 "ValidationException: Invalid ConditionExpression: Syntax error; token: \"=\", near: \"== :v\"");
	ck_assert_str_eq(cond("  ", NULL, NULL), "ValidationException: Invalid ConditionExpression: The expression can not be empty;");
	ck_assert_str_eq(cond("((n = :v))", NULL, "{\":v\":{\"N\":\"1\"}}"),
	                 "ValidationException: Invalid ConditionExpression: The expression has redundant parentheses;");
}
END_TEST

START_TEST(ddb_expr_should_report_names_values_and_functions)
{
	seed();
	ck_assert_str_eq(cond("status = :v", NULL, "{\":v\":{\"N\":\"1\"}}"),
	                 "ValidationException: Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status");
	ck_assert_str_eq(cond("#x = :v", NULL, "{\":v\":{\"N\":\"1\"}}"),
	                 "ValidationException: Invalid ConditionExpression: An expression attribute name used in the document path is "
	                 "not defined; attribute name: #x");
	ck_assert_str_eq(cond("n = :nope", NULL, "{\":v\":{\"N\":\"1\"}}"),
	                 "ValidationException: Invalid ConditionExpression: An expression attribute value used in expression is not "
	                 "defined; attribute value: :nope");
	ck_assert_str_eq(cond("n = :v", "{\"#a\":\"x\",\"#b\":\"y\"}", "{\":v\":{\"N\":\"1\"}}"),
	                 "ValidationException: Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}");
	ck_assert_str_eq(cond("n = :v", NULL, "{\":v\":{\"N\":\"1\"},\":w\":{\"N\":\"1\"}}"),
	                 "ValidationException: Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}");
	ck_assert_str_eq(cond("frobnicate(n)", NULL, NULL),
	                 "ValidationException: Invalid ConditionExpression: Invalid function name; function: frobnicate");
	ck_assert_str_eq(cond("begins_with(n)", NULL, NULL),
	                 "ValidationException: Invalid ConditionExpression: Incorrect number of operands for operator or function; "
	                 "operator or function: begins_with, number of operands: 1");
	ck_assert_str_eq(cond("begins_with(s, :v)", NULL, "{\":v\":{\"N\":\"1\"}}"),
	                 "ValidationException: Invalid ConditionExpression: Incorrect operand type for operator or function; "
	                 "operator or function: begins_with, operand type: N");
	ck_assert_str_eq(cond("size(s)", NULL, NULL),
	                 "ValidationException: Invalid ConditionExpression: The function is not allowed to be used this way in an "
	                 "expression; function: size");
	ck_assert_str_eq(cond("n BETWEEN :b AND :a", NULL, "{\":a\":{\"N\":\"1\"},\":b\":{\"N\":\"2\"}}"),
	                 "ValidationException: Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater "
	                 "than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: "
	                 "AttributeValue: {N:1}");
	ck_assert_str_eq(cond("n = :v", NULL, "{\"v\":{\"N\":\"1\"}}"),
	                 "ValidationException: ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"");
	ck_assert_str_eq(cond("n = :v", NULL, "{\":v\":{\"SS\":[]}}"),
	                 "ValidationException: ExpressionAttributeValues contains invalid value: One or more parameter values were "
	                 "invalid: An string set  may not be empty for key :v");
}
END_TEST

START_TEST(ddb_expr_should_refuse_mixing_expressions_and_legacy_parameters)
{
	seed();
	ck_assert_str_eq(ddb("PutItem", "{\"TableName\":\"Tab\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}},"
	                                "\"ConditionExpression\":\"attribute_exists(pk)\",\"Expected\":{\"pk\":{\"Exists\":true,"
	                                "\"Value\":{\"S\":\"a\"}}}}"),
	                 "ValidationException: Can not use both expression and non-expression parameters in the same request: "
	                 "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}");
	ck_assert_str_eq(ddb("PutItem", "{\"TableName\":\"Tab\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}},"
	                                "\"ExpressionAttributeValues\":{\":v\":{\"S\":\"a\"}}}"),
	                 "ValidationException: ExpressionAttributeValues can only be specified when using expressions");
}
END_TEST

START_TEST(ddb_projection_should_select_nested_paths_and_list_elements)
{
	seed();
	const char *r = ddb("GetItem", "{\"TableName\":\"Tab\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}},"
	                               "\"ProjectionExpression\":\"m.k, l[1], n, nothing\"}");
	ck_assert_str_eq(r, "{\"Item\":{\"m\":{\"M\":{\"k\":{\"S\":\"v\"}}},\"l\":{\"L\":[{\"S\":\"x\"}]},\"n\":{\"N\":\"5\"}}}");
	ck_assert_str_eq(ddb("GetItem", "{\"TableName\":\"Tab\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}},"
	                                "\"ProjectionExpression\":\"m, m.k\"}"),
	                 "ValidationException: Invalid ProjectionExpression: Two document paths overlap with each other; must "
	                 "remove or rewrite one of these paths; path one: [m], path two: [m, k]");
}
END_TEST

Suite *suite_ddb_expr(void)
{
	Suite *s = suite_create("mocks/dynamodb/expr");
	TCase *tc = tcase_create("expr");
	tcase_add_checked_fixture(tc, ddb_setup, ddb_teardown);
	tcase_add_test(tc, ddb_expr_should_evaluate_comparisons_and_functions);
	tcase_add_test(tc, ddb_expr_should_report_syntax_errors_with_token_and_context);
	tcase_add_test(tc, ddb_expr_should_report_names_values_and_functions);
	tcase_add_test(tc, ddb_expr_should_refuse_mixing_expressions_and_legacy_parameters);
	tcase_add_test(tc, ddb_projection_should_select_nested_paths_and_list_elements);
	suite_add_tcase(s, tc);
	return s;
}
