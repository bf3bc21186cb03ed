/* test_ddb_batch.c - batches and transactions in-process: all-or-nothing, reasons in order, tokens. */
#include "tests/unit/mocks/dynamodb/ddb_test_util.h"

#include "tests/suites.h"

START_TEST(ddb_batch_write_item_should_write_nothing_when_one_request_is_invalid)
{
	create_pk_sk("Tab");
	ck_assert_str_eq(ddb("BatchWriteItem", "{\"RequestItems\":{\"Tab\":[{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}}}},"
	                                       "{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"b\"}}}}]}}"),
	                 "ValidationException: One or more parameter values were invalid: Missing the key sk in the item");
	ck_assert_str_eq(member_of(ddb("Scan", "{\"TableName\":\"Tab\"}"), "Count"), "0");
	ck_assert_str_eq(ddb("BatchWriteItem", "{\"RequestItems\":{\"Tab\":[{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}}}},"
	                                       "{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"b\"},\"sk\":{\"N\":\"2\"}}}}]}}"),
	                 "{\"UnprocessedItems\":{}}");
	ck_assert_str_eq(member_of(ddb("BatchGetItem", "{\"RequestItems\":{\"Tab\":{\"Keys\":[{\"pk\":{\"S\":\"b\"},\"sk\":{\"N\":\"2\"}},"
	                                               "{\"pk\":{\"S\":\"z\"},\"sk\":{\"N\":\"2\"}}],\"ProjectionExpression\":\"pk\"}}}"),
	                           "Responses"),
	                 "{\"Tab\":[{\"pk\":{\"S\":\"b\"}}]}");
}
END_TEST

START_TEST(ddb_transact_write_items_should_cancel_with_reasons_in_order)
{
	create_pk_sk("Tab");
	ddb("PutItem", "{\"TableName\":\"Tab\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"},\"v\":{\"N\":\"1\"},\"w\":{\"S\":\"text\"}}}");
	const char *req =
		"{\"TransactItems\":[{\"Put\":{\"TableName\":\"Tab\",\"Item\":{\"pk\":{\"S\":\"n\"},\"sk\":{\"N\":\"1\"}}}},"
		"{\"Update\":{\"TableName\":\"Tab\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}},\"UpdateExpression\":\"SET v = v + :x\","
		"\"ConditionExpression\":\"v > :x\",\"ExpressionAttributeValues\":{\":x\":{\"N\":\"5\"}}}}]}";
	ck_assert_str_eq(ddb("TransactWriteItems", req),
	                 "TransactionCanceledException: Transaction cancelled, please refer cancellation reasons for specific "
	                 "reasons [None, ConditionalCheckFailed]");
	/* the Put before the failed check did not happen */
	ck_assert_str_eq(ddb("GetItem", "{\"TableName\":\"Tab\",\"Key\":{\"pk\":{\"S\":\"n\"},\"sk\":{\"N\":\"1\"}}}"), "{}");
	ck_assert_str_eq(ddb("TransactWriteItems",
	                     "{\"TransactItems\":[{\"Update\":{\"TableName\":\"Tab\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}},"
	                     "\"UpdateExpression\":\"SET w = w + :x\",\"ExpressionAttributeValues\":{\":x\":{\"N\":\"1\"}}}}]}"),
	                 "TransactionCanceledException: Transaction cancelled, please refer cancellation reasons for specific "
	                 "reasons [ValidationError]");
}
END_TEST

START_TEST(ddb_transact_write_items_should_apply_a_token_once)
{
	create_pk_sk("Tab");
	const char *req = "{\"ClientRequestToken\":\"tok\",\"TransactItems\":[{\"Update\":{\"TableName\":\"Tab\","
	                  "\"Key\":{\"pk\":{\"S\":\"c\"},\"sk\":{\"N\":\"1\"}},\"UpdateExpression\":\"ADD n :one\","
	                  "\"ExpressionAttributeValues\":{\":one\":{\"N\":\"1\"}}}}]}";
	ck_assert_str_eq(ddb("TransactWriteItems", req), "{}");
	ck_assert_str_eq(ddb("TransactWriteItems", req), "{}");
	ck_assert_str_eq(ddb("GetItem", "{\"TableName\":\"Tab\",\"Key\":{\"pk\":{\"S\":\"c\"},\"sk\":{\"N\":\"1\"}},\"ProjectionExpression\":\"n\"}"),
	                 "{\"Item\":{\"n\":{\"N\":\"1\"}}}");
	/* ten minutes later the token is forgotten */
	clk_set_ms(tclock, 1700000000000LL + 11 * 60 * 1000);
	ck_assert_str_eq(ddb("TransactWriteItems", req), "{}");
	ck_assert_str_eq(ddb("GetItem", "{\"TableName\":\"Tab\",\"Key\":{\"pk\":{\"S\":\"c\"},\"sk\":{\"N\":\"1\"}},\"ProjectionExpression\":\"n\"}"),
	                 "{\"Item\":{\"n\":{\"N\":\"2\"}}}");
}
END_TEST

START_TEST(ddb_indexes_should_follow_updates_in_the_same_transaction)
{
	ck_assert_msg(strstr(ddb("CreateTable",
	                         "{\"TableName\":\"Idx\",\"BillingMode\":\"PAY_PER_REQUEST\",\"AttributeDefinitions\":["
	                         "{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},{\"AttributeName\":\"g\",\"AttributeType\":\"S\"}],"
	                         "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],\"GlobalSecondaryIndexes\":[{"
	                         "\"IndexName\":\"byG\",\"KeySchema\":[{\"AttributeName\":\"g\",\"KeyType\":\"HASH\"}],"
	                         "\"Projection\":{\"ProjectionType\":\"KEYS_ONLY\"}}]}"),
	                     "TableDescription"),
	              "create");
	ddb("PutItem", "{\"TableName\":\"Idx\",\"Item\":{\"pk\":{\"S\":\"1\"},\"g\":{\"S\":\"red\"},\"x\":{\"S\":\"y\"}}}");
	const char *q = "{\"TableName\":\"Idx\",\"IndexName\":\"byG\",\"KeyConditionExpression\":\"g = :g\","
	                "\"ExpressionAttributeValues\":{\":g\":{\"S\":\"red\"}}}";
	ck_assert_str_eq(member_of(ddb("Query", q), "Items"), "[{\"pk\":{\"S\":\"1\"},\"g\":{\"S\":\"red\"}}]");
	ddb("UpdateItem", "{\"TableName\":\"Idx\",\"Key\":{\"pk\":{\"S\":\"1\"}},\"UpdateExpression\":\"SET g = :b\","
	                  "\"ExpressionAttributeValues\":{\":b\":{\"S\":\"blue\"}}}");
	ck_assert_str_eq(member_of(ddb("Query", q), "Count"), "0");
	ddb("UpdateItem", "{\"TableName\":\"Idx\",\"Key\":{\"pk\":{\"S\":\"1\"}},\"UpdateExpression\":\"REMOVE g\"}");
	ck_assert_str_eq(member_of(ddb("Scan", "{\"TableName\":\"Idx\",\"IndexName\":\"byG\"}"), "Count"), "0");
	ck_assert_str_eq(ddb("PutItem", "{\"TableName\":\"Idx\",\"Item\":{\"pk\":{\"S\":\"2\"},\"g\":{\"N\":\"1\"}}}"),
	                 "ValidationException: One or more parameter values were invalid: Type mismatch for Index Key g "
	                 "Expected: S Actual: N IndexName: byG");
}
END_TEST

START_TEST(ddb_execute_statement_should_insert_within_its_own_transaction)
{
	create_pk_sk("Tab");
	ck_assert_str_eq(ddb("ExecuteStatement", "{\"Statement\":\"INSERT INTO Tab VALUE {'pk': ?, 'sk': 7, 'v': 'x'}\","
	                                         "\"Parameters\":[{\"S\":\"k\"}]}"),
	                 "{}");
	ck_assert_str_eq(ddb("ExecuteStatement", "{\"Statement\":\"INSERT INTO Tab VALUE {'pk': 'k', 'sk': 7}\"}"),
	                 "DuplicateItemException: Duplicate primary key exists in table");
	ck_assert_str_eq(ddb("ExecuteStatement", "{\"Statement\":\"SELECT v FROM Tab WHERE pk = 'k'\"}"),
	                 "{\"Items\":[{\"v\":{\"S\":\"x\"}}]}");
}
END_TEST

Suite *suite_ddb_batch(void)
{
	Suite *s = suite_create("mocks/dynamodb/batch");
	TCase *tc = tcase_create("batch");
	tcase_add_checked_fixture(tc, ddb_setup, ddb_teardown);
	tcase_add_test(tc, ddb_batch_write_item_should_write_nothing_when_one_request_is_invalid);
	tcase_add_test(tc, ddb_transact_write_items_should_cancel_with_reasons_in_order);
	tcase_add_test(tc, ddb_transact_write_items_should_apply_a_token_once);
	tcase_add_test(tc, ddb_indexes_should_follow_updates_in_the_same_transaction);
	tcase_add_test(tc, ddb_execute_statement_should_insert_within_its_own_transaction);
	suite_add_tcase(s, tc);
	return s;
}
