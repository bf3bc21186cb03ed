/* fuzz_iam_policy.c - libFuzzer harness: IAM policy documents parsed and evaluated.
 *
 * The input is a policy document; it is parsed as an identity-based and as a
 * resource-based policy, and each policy that parses is evaluated against a
 * few requests a workflow makes (with and without a condition context), and
 * decided alone and together. Checks beyond "no crash": a decision agrees
 * with the single policy's effect, and a wildcard-free request matches
 * itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/sb.h"
#include "mocks/iam/iam_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const iam_request reqs[] = {
	{.action = "sqs:SendMessage", .resource = "arn:aws:sqs:us-east-1:000000000000:user-onboarding"},
	{.action = "dynamodb:PutItem", .resource = "arn:aws:dynamodb:us-east-1:000000000000:table/User"},
	{.action = "lambda:InvokeFunction",
	 .resource = "arn:aws:lambda:us-east-1:000000000000:function:user-onboarding:$LATEST",
	 .principal_service = "states.amazonaws.com",
	 .principal_account = "000000000000"},
	{.action = "", .resource = ""},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static cJSON *ctx;
	if (!ctx)
		ctx = cJSON_Parse("{\"aws:SourceArn\": \"arn:aws:states:us-east-1:000000000000:stateMachine:m\","
		                  " \"aws:SecureTransport\": \"true\", \"aws:SourceAccount\": \"000000000000\","
		                  " \"aws:TagKeys\": [\"a\", \"b\"], \"aws:CurrentTime\": \"2025-10-20T10:30:00Z\"}");
	for (int kind = IAM_IDENTITY; kind <= IAM_RESOURCE; kind++) {
		sb err = SB_INIT;
		iam_policy *p = iam_policy_parse((const char *)data, size, kind, &err);
		if (!p && !err.len)
			__builtin_trap(); /* a refusal always says why */
		sb_free(&err);
		if (!p)
			continue;
		for (size_t i = 0; i < sizeof reqs / sizeof *reqs; i++) {
			for (int c = 0; c < 2; c++) {
				iam_request r = reqs[i];
				r.context = c ? ctx : NULL;
				iam_effect e = iam_policy_eval(p, &r);
				const iam_policy *one[] = {p};
				iam_decision d = kind == IAM_IDENTITY ? iam_decide(one, 1, NULL, &r)
				                                      : iam_decide(NULL, 0, p, &r);
				if ((e == IAM_ALLOW) != (d == IAM_ALLOWED) || (e == IAM_DENY) != (d != IAM_ALLOWED && d != IAM_IMPLICIT_DENY))
					__builtin_trap();
				if (d != IAM_ALLOWED) {
					sb msg = SB_INIT;
					iam_denied_message(d, "arn:aws:sts::000000000000:assumed-role/r/s", &r, &msg);
					sb_free(&msg);
				}
			}
		}
		iam_policy_free(p);
	}
	/* the glob matchers over the input split in two at its first newline */
	const char *nl = memchr(data, '\n', size);
	if (nl) {
		size_t n = (size_t)(nl - (const char *)data);
		sb pat = SB_INIT, s = SB_INIT;
		sb_catn(&pat, (const char *)data, n);
		sb_catn(&s, nl + 1, size - n - 1);
		iam_glob(sb_str(&pat), sb_str(&s), 1);
		iam_arn_match(sb_str(&pat), sb_str(&s));
		if (!strpbrk(sb_str(&s), "*?") && !iam_glob(sb_str(&s), sb_str(&s), 0))
			__builtin_trap();
		sb_free(&pat);
		sb_free(&s);
	}
	return 0;
}
