/* awserr.h - the catalogue of AWS errors the mocks answer with (STYLE C4).
 *
 * Each service lists its errors in its own X-macro file, one row each:
 *   AWSERR(SVC, Type, http_status, sender_fault, legacy_code)
 * giving the enum constant AWSERR_<SVC>_<Type>. legacy_code is the code the
 * query protocol (and SQS's x-amzn-query-error header) uses when it differs
 * from Type, else NULL. The lists are included once for the enum and once for
 * the table, so the two cannot drift apart.
 */
#ifndef STEPBENCH_AWSERR_H
#define STEPBENCH_AWSERR_H


typedef enum {
#define AWSERR(svc, type, status, sender, legacy) AWSERR_##svc##_##type,
#include "mocks/awserr.def"
#include "mocks/dynamodb/ddb_errors.def"
#include "mocks/sqs/sqs_errors.def"
#include "mocks/lambda/lam_errors.def"
#include "mocks/stepfunctions/sfn_errors.def"
#include "mocks/iam/iam_errors.def"
#undef AWSERR
	AWSERR__COUNT
} awserr_code;

typedef struct awserr_info {
	const char *service; /* "ANY" for errors every service may answer */
	const char *type;
	int status;
	int sender;
	const char *legacy;
} awserr_info;

/** The row of code. */
const awserr_info *awserr_get(awserr_code code);
/** The row for service's error type (falling back to the "ANY" rows), or NULL. */
const awserr_info *awserr_find(const char *service, const char *type);

#endif
