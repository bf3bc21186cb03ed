/* awserr.c - the error catalogue table. */
#include "mocks/awserr.h"

#include <string.h>

static const awserr_info table[] = {
#define AWSERR(svc, type, status, sender, legacy) {#svc, #type, status, sender, legacy},
#include "mocks/awserr.def"
#include "mocks/dynamodb/ddb_errors.def"
#include "mocks/sqs/sqs_errors.def"
#include "mocks/lambda/lam_errors.def"
#include "mocks/stepfunctions/sfn_errors.def"
#include "mocks/iam/iam_errors.def"
#undef AWSERR
};

const awserr_info *awserr_get(awserr_code code) { return &table[code]; }

/* the catalogue's short service tags, by SigV4 service name */
static const char *tag_of(const char *service)
{
	static const char *const map[][2] = {
		{"dynamodb", "DDB"}, {"sqs", "SQS"}, {"lambda", "LAM"}, {"states", "SFN"}, {"iam", "IAM"},
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (!strcmp(map[i][0], service))
			return map[i][1];
	return service;
}

const awserr_info *awserr_find(const char *service, const char *type)
{
	const char *tag = tag_of(service);
	const awserr_info *any = NULL;
	for (size_t i = 0; i < AWSERR__COUNT; i++) {
		if (strcmp(table[i].type, type))
			continue;
		if (!strcmp(table[i].service, tag))
			return &table[i];
		if (!strcmp(table[i].service, "ANY"))
			any = &table[i];
	}
	return any;
}
