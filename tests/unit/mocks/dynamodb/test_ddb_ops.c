/* test_ddb_ops.c - the operations in-process: tables, items, updates, queries, snapshot, plain JSON. */
#include "tests/unit/mocks/dynamodb/ddb_test_util.h"

#include "mocks/dynamodb/ddb_attr.h"
#include "tests/suites.h"

START_TEST(ddb_put_item_should_store_and_get_item_should_read_back)
{
	create_pk_sk("Tab");
	ck_assert_str_eq(ddb("PutItem", "{\"TableName\":\"Tab\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"01\"},\"v\":{\"S\":\"x\"}}}"),
	                 "{}");
	ck_assert_str_eq(ddb("GetItem", "{\"TableName\":\"Tab\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1.0\"}}}"),
	                 "{\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"},\"v\":{\"S\":\"x\"}}}");
	ck_assert_str_eq(ddb("GetItem", "{\"TableName\":\"Tab\",\"Key\":{\"pk\":{\"S\":\"b\"},\"sk\":{\"N\":\"1\"}}}"), "{}");
}
END_TEST

START_TEST(ddb_put_item_should_reject_missing_key)
{
	create_pk_sk("Tab");
	ck_assert_str_eq(ddb("PutItem", "{\"TableName\":\"Tab\",\"Item\":{\"pk\":{\"S\":\"a\"}}}"),
	                 "ValidationException: One or more parameter values were invalid: Missing the key sk in the item");
	ck_assert_str_eq(ddb("PutItem", "{\"TableName\":\"Tab\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"}}}"),
	                 "ValidationException: One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S");
	ck_assert_str_eq(ddb("PutItem", "{\"TableName\":\"Nope\",\"Item\":{\"pk\":{\"S\":\"a\"}}}"),
	                 "ResourceNotFoundException: Requested resource not found");
}
END_TEST

START_TEST(ddb_put_item_should_honour_conditions_and_return_the_item_on_failure)
{
	create_pk_sk("Tab");
	const char *put = "{\"TableName\":\"Tab\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}},"
	                  "\"ConditionExpression\":\"attribute_not_exists(pk)\"}";
	ck_assert_str_eq(ddb("PutItem", put), "{}");
	ck_assert_str_eq(ddb("PutItem", put), "ConditionalCheckFailedException: The conditional request failed");
	ck_assert_str_eq(ddb("PutItem", "{\"TableName\":\"Tab\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}},"
	                                "\"Expected\":{\"pk\":{\"Exists\":false}}}"),
	                 "ConditionalCheckFailedException: The conditional request failed");
}
END_TEST

START_TEST(ddb_update_item_should_apply_set_remove_add_delete)
{
	create_pk_sk("Tab");
	ddb("PutItem", "{\"TableName\":\"Tab\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"},\"n\":{\"N\":\"0.1\"},"
	               "\"l\":{\"L\":[{\"S\":\"x\"},{\"S\":\"y\"},{\"S\":\"z\"}]},\"s\":{\"SS\":[\"p\",\"q\"]},\"gone\":{\"S\":\"g\"}}}");
	const char *r = ddb("UpdateItem",
	                    "{\"TableName\":\"Tab\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}},"
	                    "\"UpdateExpression\":\"SET n = n + :d, m.#k = :v REMOVE gone, l[0], l[2] ADD c :one DELETE s :q\","
	                    "\"ExpressionAttributeNames\":{\"#k\":\"key\"},"
	                    "\"ExpressionAttributeValues\":{\":d\":{\"N\":\"0.2\"},\":v\":{\"S\":\"v\"},\":one\":{\"N\":\"1\"},"
	                    "\":q\":{\"SS\":[\"q\"]}},\"ReturnValues\":\"ALL_NEW\"}");
	/* m does not exist, so m.key cannot be set */
	ck_assert_str_eq(r, "ValidationException: The document path provided in the update expression is invalid for update");
	r = ddb("UpdateItem",
	        "{\"TableName\":\"Tab\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}},"
	        "\"UpdateExpression\":\"SET n = n + :d REMOVE gone, l[0], l[2] ADD c :one DELETE s :q\","
	        "\"ExpressionAttributeValues\":{\":d\":{\"N\":\"0.2\"},\":one\":{\"N\":\"1\"},\":q\":{\"SS\":[\"q\"]}},"
	        "\"ReturnValues\":\"UPDATED_NEW\"}");
	ck_assert_str_eq(r, "{\"Attributes\":{\"n\":{\"N\":\"0.3\"},\"l\":{\"L\":[{\"S\":\"y\"}]},\"c\":{\"N\":\"1\"},"
	                    "\"s\":{\"SS\":[\"p\"]}}}");
}
END_TEST

START_TEST(ddb_update_item_should_refuse_key_attributes_and_overlapping_paths)
{
	create_pk_sk("Tab");
	ck_assert_str_eq(ddb("UpdateItem", "{\"TableName\":\"Tab\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}},"
	                                   "\"UpdateExpression\":\"SET pk = :v\",\"ExpressionAttributeValues\":{\":v\":{\"S\":\"b\"}}}"),
	                 "ValidationException: One or more parameter values were invalid: Cannot update attribute pk. "
	                 "This attribute is part of the key");
	ck_assert_str_eq(ddb("UpdateItem", "{\"TableName\":\"Tab\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}},"
	                                   "\"UpdateExpression\":\"SET a = :v REMOVE a.b\",\"ExpressionAttributeValues\":{\":v\":{\"S\":\"b\"}}}"),
	                 "ValidationException: Invalid UpdateExpression: Two document paths overlap with each other; must remove "
	                 "or rewrite one of these paths; path one: [a], path two: [a, b]");
}
END_TEST

START_TEST(ddb_query_should_walk_a_partition_in_sort_order_both_ways)
{
	create_pk_sk("Tab");
	const char *sks[] = {"10", "-2", "3.5", "100", "0"};
	for (int i = 0; i < 5; i++) {
		char req[256];
		snprintf(req, sizeof req, "{\"TableName\":\"Tab\",\"Item\":{\"pk\":{\"S\":\"p\"},\"sk\":{\"N\":\"%s\"}}}", sks[i]);
		ddb("PutItem", req);
	}
	ddb("PutItem", "{\"TableName\":\"Tab\",\"Item\":{\"pk\":{\"S\":\"q\"},\"sk\":{\"N\":\"1\"}}}");
	const char *q = "{\"TableName\":\"Tab\",\"KeyConditionExpression\":\"pk = :p AND sk BETWEEN :a AND :b\","
	                "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"p\"},\":a\":{\"N\":\"0\"},\":b\":{\"N\":\"10\"}},"
	                "\"ProjectionExpression\":\"sk\"}";
	ck_assert_str_eq(member_of(ddb("Query", q), "Items"), "[{\"sk\":{\"N\":\"0\"}},{\"sk\":{\"N\":\"3.5\"}},{\"sk\":{\"N\":\"10\"}}]");
	const char *r = ddb("Query", "{\"TableName\":\"Tab\",\"KeyConditionExpression\":\"pk = :p AND sk > :a\","
	                             "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"p\"},\":a\":{\"N\":\"0\"}},"
	                             "\"ScanIndexForward\":false,\"Limit\":2}");
	ck_assert_str_eq(member_of(r, "Items"), "[{\"pk\":{\"S\":\"p\"},\"sk\":{\"N\":\"100\"}},{\"pk\":{\"S\":\"p\"},\"sk\":{\"N\":\"10\"}}]");
	ck_assert_str_eq(member_of(r, "LastEvaluatedKey"), "{\"pk\":{\"S\":\"p\"},\"sk\":{\"N\":\"10\"}}");
	r = ddb("Query", "{\"TableName\":\"Tab\",\"KeyConditionExpression\":\"pk = :p AND sk > :a\","
	                 "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"p\"},\":a\":{\"N\":\"0\"}},"
	                 "\"ScanIndexForward\":false,\"ExclusiveStartKey\":{\"pk\":{\"S\":\"p\"},\"sk\":{\"N\":\"10\"}}}");
	ck_assert_str_eq(member_of(r, "Items"), "[{\"pk\":{\"S\":\"p\"},\"sk\":{\"N\":\"3.5\"}}]");
	/* Limit counts items before the filter */
	r = ddb("Scan", "{\"TableName\":\"Tab\",\"FilterExpression\":\"sk > :z\","
	                "\"ExpressionAttributeValues\":{\":z\":{\"N\":\"50\"}},\"Limit\":3}");
	ck_assert_str_eq(member_of(r, "Count"), "0");
	ck_assert_str_eq(member_of(r, "ScannedCount"), "3");
}
END_TEST

START_TEST(ddb_query_should_report_key_condition_mistakes)
{
	create_pk_sk("Tab");
	ck_assert_str_eq(ddb("Query", "{\"TableName\":\"Tab\",\"KeyConditionExpression\":\"sk = :a\","
	                              "\"ExpressionAttributeValues\":{\":a\":{\"N\":\"0\"}}}"),
	                 "ValidationException: Query condition missed key schema element: pk");
	ck_assert_str_eq(ddb("Query", "{\"TableName\":\"Tab\",\"KeyConditionExpression\":\"pk = :a OR pk = :a\","
	                              "\"ExpressionAttributeValues\":{\":a\":{\"S\":\"0\"}}}"),
	                 "ValidationException: Invalid operator used in KeyConditionExpression: OR");
	ck_assert_str_eq(ddb("Query", "{\"TableName\":\"Tab\",\"KeyConditionExpression\":\"pk = :a\","
	                              "\"ExpressionAttributeValues\":{\":a\":{\"N\":\"0\"}}}"),
	                 "ValidationException: One or more parameter values were invalid: Condition parameter type does not match schema type");
}
END_TEST

START_TEST(ddb_snapshot_should_list_items_in_key_order)
{
	create_pk_sk("Tab");
	ddb("PutItem", "{\"TableName\":\"Tab\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"2\"}}}");
	ddb("PutItem", "{\"TableName\":\"Tab\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"-1\"}}}");
	const mock_service *svc = mock_service_find("dynamodb");
	cJSON *snap = svc->snapshot(tw);
	char *txt = cj_print(snap);
	ck_assert_str_eq(txt, "{\"Tab\":{\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\","
	                      "\"KeyType\":\"RANGE\"}],\"Items\":[{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"-1\"}},"
	                      "{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"2\"}}]}}");
	mem_free(txt);
	cJSON_Delete(snap);
}
END_TEST

START_TEST(ddb_attr_should_convert_to_and_from_plain_json)
{
	cJSON *typed = cJSON_Parse("{\"s\":{\"S\":\"x\"},\"n\":{\"N\":\"1.5\"},\"b\":{\"BOOL\":true},\"z\":{\"NULL\":true},"
	                           "\"m\":{\"M\":{\"l\":{\"L\":[{\"N\":\"2\"},{\"SS\":[\"a\"]}]}}},\"ns\":{\"NS\":[\"1\",\"2\"]}}");
	cJSON *plain = ddb_attr_to_plain(typed);
	char *txt = cj_print(plain);
	ck_assert_str_eq(txt, "{\"s\":\"x\",\"n\":1.5,\"b\":true,\"z\":null,\"m\":{\"l\":[2,[\"a\"]]},\"ns\":[1,2]}");
	mem_free(txt);
	cJSON *one = cJSON_Parse("{\"S\":\"only\"}");
	cJSON *p1 = ddb_attr_to_plain(one);
	ck_assert_str_eq(p1->valuestring, "only");
	cJSON *back = ddb_attr_from_plain(plain);
	txt = cj_print(back);
	ck_assert_str_eq(txt, "{\"M\":{\"s\":{\"S\":\"x\"},\"n\":{\"N\":\"1.5\"},\"b\":{\"BOOL\":true},\"z\":{\"NULL\":true},"
	                      "\"m\":{\"M\":{\"l\":{\"L\":[{\"N\":\"2\"},{\"L\":[{\"S\":\"a\"}]}]}}},\"ns\":{\"L\":[{\"N\":\"1\"},{\"N\":\"2\"}]}}}");
	mem_free(txt);
	cJSON_Delete(typed);
	cJSON_Delete(plain);
	cJSON_Delete(one);
	cJSON_Delete(p1);
	cJSON_Delete(back);
}
END_TEST

START_TEST(ddb_ttl_should_hide_expired_items_on_the_world_clock)
{
	create_pk_sk("Tab");
	ck_assert_str_eq(ddb("UpdateTimeToLive", "{\"TableName\":\"Tab\",\"TimeToLiveSpecification\":{\"Enabled\":true,"
	                                         "\"AttributeName\":\"exp\"}}"),
	                 "{\"TimeToLiveSpecification\":{\"Enabled\":true,\"AttributeName\":\"exp\"}}");
	/* the clock reads 1700000000 s */
	ddb("PutItem", "{\"TableName\":\"Tab\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"},\"exp\":{\"N\":\"1700000100\"}}}");
	ck_assert_str_ne(ddb("GetItem", "{\"TableName\":\"Tab\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}}}"), "{}");
	clk_set_ms(tclock, 1700000200000LL);
	ck_assert_str_eq(ddb("GetItem", "{\"TableName\":\"Tab\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}}}"), "{}");
	ck_assert_str_eq(member_of(ddb("Scan", "{\"TableName\":\"Tab\"}"), "Count"), "0");
}
END_TEST

START_TEST(ddb_index_writes_should_be_charged_for_the_entry_and_only_when_it_changes)
{
	const char *r = ddb("CreateTable",
	                    "{\"TableName\":\"Cap\",\"BillingMode\":\"PAY_PER_REQUEST\",\"AttributeDefinitions\":["
	                    "{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},{\"AttributeName\":\"g\",\"AttributeType\":\"S\"}],"
	                    "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],\"GlobalSecondaryIndexes\":["
	                    "{\"IndexName\":\"byG\",\"KeySchema\":[{\"AttributeName\":\"g\",\"KeyType\":\"HASH\"}],"
	                    "\"Projection\":{\"ProjectionType\":\"KEYS_ONLY\"}}]}");
	ck_assert_msg(strstr(r, "TableDescription") != NULL, "%s", r);
	char req[4096], pad[2001];
	memset(pad, 'x', 2000);
	pad[2000] = 0;
	/* a 2 KB item: the table pays 2 units, the keys-only index entry 1 */
	snprintf(req, sizeof req,
	         "{\"TableName\":\"Cap\",\"ReturnConsumedCapacity\":\"INDEXES\",\"Item\":{\"pk\":{\"S\":\"a\"},"
	         "\"g\":{\"S\":\"g1\"},\"pad\":{\"S\":\"%s\"}}}", pad);
	ck_assert_str_eq(member_of(ddb("PutItem", req), "ConsumedCapacity"),
	                 "{\"TableName\":\"Cap\",\"CapacityUnits\":3,\"WriteCapacityUnits\":3,"
	                 "\"Table\":{\"CapacityUnits\":2,\"WriteCapacityUnits\":2},"
	                 "\"GlobalSecondaryIndexes\":{\"byG\":{\"CapacityUnits\":1,\"WriteCapacityUnits\":1}}}");
	/* a non-projected attribute changes: the index entry does not */
	ck_assert_str_eq(member_of(ddb("UpdateItem", "{\"TableName\":\"Cap\",\"Key\":{\"pk\":{\"S\":\"a\"}},"
	                                             "\"UpdateExpression\":\"SET v = :v\",\"ExpressionAttributeValues\":"
	                                             "{\":v\":{\"N\":\"1\"}},\"ReturnConsumedCapacity\":\"TOTAL\"}"),
	                           "ConsumedCapacity"),
	                 "{\"TableName\":\"Cap\",\"CapacityUnits\":2,\"WriteCapacityUnits\":2}");
	/* the index key changes: delete the old entry and put the new one */
	ck_assert_str_eq(member_of(ddb("UpdateItem", "{\"TableName\":\"Cap\",\"Key\":{\"pk\":{\"S\":\"a\"}},"
	                                             "\"UpdateExpression\":\"SET g = :g\",\"ExpressionAttributeValues\":"
	                                             "{\":g\":{\"S\":\"g2\"}},\"ReturnConsumedCapacity\":\"TOTAL\"}"),
	                           "ConsumedCapacity"),
	                 "{\"TableName\":\"Cap\",\"CapacityUnits\":4,\"WriteCapacityUnits\":4}");
	/* the item leaves the index: one write */
	ck_assert_str_eq(member_of(ddb("DeleteItem", "{\"TableName\":\"Cap\",\"Key\":{\"pk\":{\"S\":\"a\"}},"
	                                             "\"ReturnConsumedCapacity\":\"TOTAL\"}"),
	                           "ConsumedCapacity"),
	                 "{\"TableName\":\"Cap\",\"CapacityUnits\":3,\"WriteCapacityUnits\":3}");
}
END_TEST

Suite *suite_ddb_ops(void)
{
	Suite *s = suite_create("mocks/dynamodb/ops");
	TCase *tc = tcase_create("ops");
	tcase_add_checked_fixture(tc, ddb_setup, ddb_teardown);
	tcase_add_test(tc, ddb_put_item_should_store_and_get_item_should_read_back);
	tcase_add_test(tc, ddb_put_item_should_reject_missing_key);
	tcase_add_test(tc, ddb_put_item_should_honour_conditions_and_return_the_item_on_failure);
	tcase_add_test(tc, ddb_update_item_should_apply_set_remove_add_delete);
	tcase_add_test(tc, ddb_update_item_should_refuse_key_attributes_and_overlapping_paths);
	tcase_add_test(tc, ddb_query_should_walk_a_partition_in_sort_order_both_ways);
	tcase_add_test(tc, ddb_query_should_report_key_condition_mistakes);
	tcase_add_test(tc, ddb_snapshot_should_list_items_in_key_order);
	tcase_add_test(tc, ddb_attr_should_convert_to_and_from_plain_json);
	tcase_add_test(tc, ddb_ttl_should_hide_expired_items_on_the_world_clock);
	tcase_add_test(tc, ddb_index_writes_should_be_charged_for_the_entry_and_only_when_it_changes);
	suite_add_tcase(s, tc);
	return s;
}
