/* sqs_ops.c - the sqs operation table (placeholder: no operations yet). */
#include "mocks/sqs/sqs.h"

static const mock_op sqs_ops[] = {
	{NULL, NULL, 0},
};

const mock_service sqs_service = {
	.name = "sqs",
	.slot = MOCK_SVC_SQS,
	.target_prefix = "AmazonSQS",
	.json_type_prefix = "com.amazonaws.sqs#",
	.json_content_type = "application/x-amz-json-1.0",
	.ops = sqs_ops,
};
