/* lam_ops.c - the lambda operation table (placeholder: no operations yet). */
#include "mocks/lambda/lam.h"

static const mock_op lam_ops[] = {
	{NULL, NULL, 0},
};

const mock_service lam_service = {
	.name = "lambda",
	.slot = MOCK_SVC_LAMBDA,
	.target_prefix = NULL,
	.json_type_prefix = NULL,
	.json_content_type = "application/json",
	.ops = lam_ops,
};
