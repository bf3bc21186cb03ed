/* iam_policy.h - IAM policy documents: parsed once, evaluated as AWS evaluates them.
 *
 * Covers what a workflow's execution role and a Lambda function's
 * resource-based policy use: Effect Allow/Deny; Action/NotAction with `*` and
 * `?` (case-insensitive); Resource/NotResource with ARN wildcards per ARN
 * segment (case-sensitive); Principal/NotPrincipal in resource-based
 * policies; Condition blocks with the String*, Arn*, Bool, Numeric*, Date*
 * and Null operators, their IfExists forms and the ForAnyValue:/ForAllValues:
 * set qualifiers. Several operators in a block, several keys under an
 * operator: all must hold; several values for a key: any may match.
 *
 * Decisions follow AWS's logic for a request within one account: an explicit
 * Deny in any policy wins; otherwise an Allow in the identity-based policies
 * or in the resource-based policy allows; otherwise the request is
 * implicitly denied.
 *
 * Ownership: iam_policy_parse returns a policy the caller frees with
 * iam_policy_free; it copies what it needs from the input. Requests are
 * borrowed for the call. Errors: parsing fails with AWS's
 * MalformedPolicyDocument wording in err.
 */
#ifndef STEPBENCH_IAM_POLICY_H
#define STEPBENCH_IAM_POLICY_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/sb.h"

typedef struct iam_policy iam_policy;

enum {
	IAM_IDENTITY = 0, /* an identity-based policy: no Principal allowed */
	IAM_RESOURCE = 1, /* a resource-based policy: Principal required */
};

/**
 * Parse a policy document (JSON text).
 * @param kind  IAM_IDENTITY or IAM_RESOURCE
 * @param err   receives the reason when NULL is returned
 */
iam_policy *iam_policy_parse(const char *text, size_t len, int kind, sb *err);
/** The same from a parsed document. */
iam_policy *iam_policy_from_json(const cJSON *doc, int kind, sb *err);
void iam_policy_free(iam_policy *p);

typedef struct iam_request {
	const char *action;    /* "sqs:SendMessage" */
	const char *resource;  /* "arn:aws:sqs:us-east-1:000000000000:user-onboarding" */
	/* the caller, for resource-based policies */
	const char *principal_arn;     /* e.g. the assumed role's ARN (or NULL) */
	const char *principal_account; /* "000000000000" (or NULL) */
	const char *principal_service; /* "states.amazonaws.com" when a service calls (or NULL) */
	/* condition context: {"aws:SourceArn": "...", "aws:SecureTransport": "true", "k": ["a","b"]} */
	const cJSON *context;
} iam_request;

typedef enum {
	IAM_NONE = 0,  /* no statement applies */
	IAM_ALLOW = 1, /* an Allow applies and no Deny */
	IAM_DENY = 2,  /* a Deny applies */
} iam_effect;

/** What p says about r. */
iam_effect iam_policy_eval(const iam_policy *p, const iam_request *r);

typedef enum {
	IAM_ALLOWED,
	IAM_IMPLICIT_DENY,       /* no policy allows */
	IAM_DENY_IDENTITY,       /* an explicit Deny in an identity-based policy */
	IAM_DENY_RESOURCE,       /* an explicit Deny in the resource-based policy */
} iam_decision;

/**
 * Decide a request within one account.
 * @param identity  the caller's identity-based policies (n of them)
 * @param resource  the resource's policy, or NULL
 */
iam_decision iam_decide(const iam_policy *const *identity, size_t n, const iam_policy *resource,
                        const iam_request *r);

/**
 * AWS's access-denied message for a decision, e.g.
 * "User: arn:aws:sts::000000000000:assumed-role/R/S is not authorized to
 * perform: sqs:SendMessage on resource: arn:... because no identity-based
 * policy allows the sqs:SendMessage action". Appended to out.
 */
void iam_denied_message(iam_decision d, const char *caller_arn, const iam_request *r, sb *out);

/** Glob match with `*` and `?`; icase for case-insensitive (actions). */
int iam_glob(const char *pattern, const char *s, int icase);
/** ARN match as IAM's Resource element does it: `*`/`?` within a segment
 *  (case-sensitive), a `*` that ends a segment also across colons; a
 *  pattern of "*" matches anything. */
int iam_arn_match(const char *pattern, const char *arn);

#endif
