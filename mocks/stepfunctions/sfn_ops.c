/* sfn_ops.c - the states operation table (placeholder: no operations yet). */
#include "mocks/stepfunctions/sfn.h"

static const mock_op sfn_ops[] = {
	{NULL, NULL, 0},
};

const mock_service sfn_service = {
	.name = "states",
	.slot = MOCK_SVC_STATES,
	.target_prefix = "AWSStepFunctions",
	.json_type_prefix = "com.amazonaws.states#",
	.json_content_type = "application/x-amz-json-1.0",
	.ops = sfn_ops,
};
