/* registry.c - every service the mocks host, in start-up order. */
#include "mocks/dynamodb/ddb.h"
#include "mocks/iam/iam.h"
#include "mocks/lambda/lam.h"
#include "mocks/sqs/sqs.h"
#include "mocks/stepfunctions/sfn.h"

const mock_service *const mock_services[] = {
	&ddb_service,
	&iam_service, /* before sqs: both answer the query protocol; IAM claims only its own */
	&sqs_service,
	&lam_service,
	&sfn_service,
	NULL,
};
