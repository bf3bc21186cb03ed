/* authz.h - IAM enforcement for calls a workflow makes with its execution role.
 *
 * AWS services authorize every call against the caller's policies. Here the
 * check sits at the one dispatch point: a request that carries a principal
 * (mock_req.who, set by an in-process transport made with an identity) is
 * evaluated before its transaction opens. Enforcement applies only when the
 * principal's role exists in the IAM mock; without a declared role nothing is
 * enforced, which is stepbench's default.
 *
 * The mapping from a service call to the IAM actions and resource ARNs AWS
 * checks is also what `stepbench policy` uses to write least-privilege
 * policies.
 */
#ifndef STEPBENCH_AUTHZ_H
#define STEPBENCH_AUTHZ_H

#include <cjson/cJSON.h>

#include "mocks/mock.h"

/**
 * The permissions a call needs: an array of {"action": "sqs:SendMessage",
 * "resource": "arn:aws:sqs:us-east-1:000000000000:q"} (resource "*" when the
 * action takes no resource). Caller owns the array. Unknown services give [].
 */
cJSON *authz_needs(const char *account, const char *region, const char *service, const char *op,
                   const cJSON *in);

/**
 * Authorize rq (which has a principal) for op: 0 when allowed or when there
 * is nothing to enforce; -1 with rq failed with the service's access-denied
 * error and AWS's message otherwise. Opens (and closes) its own read
 * transaction: call it while holding none.
 */
int authz_check(mock_req *rq, const char *op);

/** arn:aws:sts::<account>:assumed-role/<role name>/<session> for p. */
void authz_caller_arn(const mock_principal *p, sb *out);

#endif
