/* fuzz_ddb_expr.c - libFuzzer harness: DynamoDB's expression parsers and evaluators, through the operations.
 *
 * The first byte picks the expression (condition, update, projection, key
 * condition, filter); the rest is its text. Names #a..#c and values :n, :s,
 * :l, :m, :ss are defined (unused ones are expected errors). Every answer must
 * be a success or a ValidationException/ConditionalCheckFailedException with
 * a message; anything else (or a crash, a leak, a hang) is a finding.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/cj.h"
#include "common/mem.h"
#include "mocks/mock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static mock_world *world;

static void call(const char *op, const char *json)
{
	cJSON *in = cJSON_Parse(json);
	cJSON *out = NULL;
	if (in && mock_call(world, "dynamodb", op, in, &out, NULL) == 0)
		cJSON_Delete(out);
	cJSON_Delete(in);
}

static void init(void)
{
	sb err = SB_INIT;
	world = mock_world_new(NULL, &err);
	if (!world)
		abort();
	call("CreateTable", "{\"TableName\":\"Fuzz\",\"BillingMode\":\"PAY_PER_REQUEST\","
	                    "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},"
	                    "{\"AttributeName\":\"sk\",\"AttributeType\":\"N\"}],"
	                    "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}]}");
	call("PutItem", "{\"TableName\":\"Fuzz\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"},\"n\":{\"N\":\"5\"},"
	                "\"s\":{\"S\":\"text\"},\"l\":{\"L\":[{\"N\":\"1\"},{\"M\":{\"x\":{\"S\":\"y\"}}}]},"
	                "\"m\":{\"M\":{\"a\":{\"L\":[]},\"b\":{\"SS\":[\"p\"]}}},\"ss\":{\"SS\":[\"p\",\"q\"]}}}");
	sb_free(&err);
}

static const char *const ops[] = {"PutItem", "UpdateItem", "GetItem", "Query", "Scan"};
static const char *const members[] = {"ConditionExpression", "UpdateExpression", "ProjectionExpression",
                                      "KeyConditionExpression", "FilterExpression"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!world)
		init();
	if (size < 1 || size > 8192)
		return 0;
	int kind = data[0] % 5;
	cJSON *in = cJSON_CreateObject();
	cJSON_AddStringToObject(in, "TableName", "Fuzz");
	if (kind == 0)
		cJSON_AddItemToObject(in, "Item", cJSON_Parse("{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"},\"n\":{\"N\":\"6\"}}"));
	if (kind == 1 || kind == 2)
		cJSON_AddItemToObject(in, "Key", cJSON_Parse("{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}}"));
	if (kind == 1)
		cJSON_AddStringToObject(in, "ReturnValues", "UPDATED_NEW");
	char *text = mem_strndup((const char *)data + 1, size - 1);
	cJSON_AddStringToObject(in, members[kind], text);
	mem_free(text);
	cJSON_AddItemToObject(in, "ExpressionAttributeNames", cJSON_Parse("{\"#a\":\"n\",\"#b\":\"l\",\"#c\":\"pk\"}"));
	if (kind != 2)
		cJSON_AddItemToObject(in, "ExpressionAttributeValues",
		                      cJSON_Parse("{\":n\":{\"N\":\"1\"},\":s\":{\"S\":\"a\"},\":l\":{\"L\":[{\"S\":\"z\"}]},"
		                                  "\":m\":{\"M\":{}},\":ss\":{\"SS\":[\"q\"]}}"));
	cJSON *out = NULL;
	sb err = SB_INIT;
	int rc = mock_call(world, "dynamodb", ops[kind], in, &out, &err);
	if (rc == 0) {
		cJSON_Delete(out);
	} else {
		const char *e = sb_str(&err);
		if (strncmp(e, "ValidationException: ", 21) && strncmp(e, "ConditionalCheckFailedException: ", 33))
			__builtin_trap();
	}
	sb_free(&err);
	cJSON_Delete(in);
	/* keep the item in a known shape for the next input */
	if (kind == 1)
		call("PutItem", "{\"TableName\":\"Fuzz\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"},\"n\":{\"N\":\"5\"},"
		                "\"s\":{\"S\":\"text\"},\"l\":{\"L\":[{\"N\":\"1\"},{\"M\":{\"x\":{\"S\":\"y\"}}}]},"
		                "\"m\":{\"M\":{\"a\":{\"L\":[]},\"b\":{\"SS\":[\"p\"]}}},\"ss\":{\"SS\":[\"q\"]}}}");
	return 0;
}
