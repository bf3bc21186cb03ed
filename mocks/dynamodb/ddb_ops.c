/* ddb_ops.c - the dynamodb operation table (placeholder: no operations yet). */
#include "mocks/dynamodb/ddb.h"

static const mock_op ddb_ops[] = {
	{NULL, NULL, 0},
};

const mock_service ddb_service = {
	.name = "dynamodb",
	.slot = MOCK_SVC_DYNAMODB,
	.target_prefix = "DynamoDB_20120810",
	.json_type_prefix = "com.amazonaws.dynamodb.v20120810#",
	.json_content_type = "application/x-amz-json-1.0",
	.ops = ddb_ops,
};
