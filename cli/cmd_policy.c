/* cmd_policy.c - `stepbench policy`: the least-privilege IAM policy a workflow needs. */
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "common/cj.h"
#include "common/file.h"
#include "common/mem.h"
#include "runner/policy.h"

static int usage(FILE *f)
{
	fprintf(f, "usage: stepbench policy WORKFLOW.asl.json [--account ID] [--region R]\n"
	           "                        [--state-machine-arn ARN] [--json]\n"
	           "  Prints the identity-based policy the state machine's execution role needs:\n"
	           "  exactly the actions its Task states call, on the resources they name, and\n"
	           "  the resource-based permission for each Lambda function it invokes.\n");
	return 2;
}

int cmd_policy(int argc, char **argv)
{
	const char *path = NULL, *account = "000000000000", *region = "us-east-1", *sm_arn = NULL;
	int json = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--json")) {
			json = 1;
		} else if (!strcmp(a, "--account") || !strcmp(a, "--region") || !strcmp(a, "--state-machine-arn")) {
			if (i + 1 >= argc)
				return usage(stderr);
			const char *v = argv[++i];
			if (!strcmp(a, "--account"))
				account = v;
			else if (!strcmp(a, "--region"))
				region = v;
			else
				sm_arn = v;
		} else if (a[0] == '-' || path) {
			return usage(stderr);
		} else {
			path = a;
		}
	}
	if (!path)
		return usage(stderr);
	sb err = SB_INIT;
	size_t len;
	char *text = file_read(path, (size_t)16 << 20, &len, &err);
	if (!text) {
		fprintf(stderr, "stepbench policy: %s\n", sb_str(&err));
		sb_free(&err);
		return 2;
	}
	cj_doc *doc = cj_doc_parse(text, len, path, &err);
	mem_free(text);
	if (!doc) {
		fprintf(stderr, "%s\n", sb_str(&err));
		sb_free(&err);
		return 2;
	}
	policy_gen *g = policy_gen_new(account, region);
	if (policy_gen_add_definition(g, cj_doc_root(doc), path)) {
		fprintf(stderr, "%s:1:1: not a state machine definition (no \"States\" object)\n", path);
		policy_gen_free(g);
		cj_doc_free(doc);
		return 2;
	}
	char default_arn[512];
	if (!sm_arn) {
		/* the state machine's ARN as it will be deployed, named after the file */
		const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		size_t n = strcspn(base, ".");
		snprintf(default_arn, sizeof default_arn, "arn:aws:states:%s:%s:stateMachine:%.*s", region, account, (int)n,
		         base);
		sm_arn = default_arn;
	}
	cJSON *pol = policy_gen_policy(g), *fns = policy_gen_functions(g);
	const cJSON *warnings = policy_gen_warnings(g);
	if (json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddItemToObject(o, "policy", pol);
		cJSON *perms = cJSON_AddArrayToObject(o, "lambdaPermissions");
		for (const cJSON *f = fns->child; f; f = f->next) {
			cJSON *p = cJSON_CreateObject();
			cJSON_AddStringToObject(p, "FunctionName", f->valuestring);
			cJSON_AddStringToObject(p, "StatementId", "stepfunctions-invoke");
			cJSON_AddStringToObject(p, "Action", "lambda:InvokeFunction");
			cJSON_AddStringToObject(p, "Principal", "states.amazonaws.com");
			cJSON_AddStringToObject(p, "SourceArn", sm_arn);
			cJSON_AddItemToArray(perms, p);
		}
		cJSON_AddItemToObject(o, "warnings", cJSON_Duplicate(warnings, 1));
		sb out = SB_INIT;
		cj_pretty_sb(o, &out);
		printf("%s\n", sb_str(&out));
		sb_free(&out);
		cJSON_Delete(o);
	} else {
		sb out = SB_INIT;
		cj_pretty_sb(pol, &out);
		printf("# Identity-based policy for the execution role of %s\n%s\n", path, sb_str(&out));
		sb_free(&out);
		cJSON_Delete(pol);
		if (fns->child)
			printf("\n# Resource-based permission on each Lambda function it invokes, for a function\n"
			       "# whose own policy names who may invoke it:\n");
		for (const cJSON *f = fns->child; f; f = f->next)
			printf("aws lambda add-permission --function-name %s --statement-id stepfunctions-invoke \\\n"
			       "    --action lambda:InvokeFunction --principal states.amazonaws.com --source-arn %s\n",
			       f->valuestring, sm_arn);
		if (warnings->child)
			printf("\n# Warnings\n");
		for (const cJSON *w = warnings->child; w; w = w->next)
			printf("- %s\n", w->valuestring);
	}
	cJSON_Delete(fns);
	policy_gen_free(g);
	cj_doc_free(doc);
	sb_free(&err);
	return 0;
}
