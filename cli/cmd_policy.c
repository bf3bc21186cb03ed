/* cmd_policy.c - `stepbench policy`: the least-privilege IAM policy a workflow needs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "common/cj.h"
#include "common/file.h"
#include "common/mem.h"
#include "runner/policy.h"
#include "runner/run.h"
#include "runner/tap.h"

static int usage(FILE *f)
{
	fprintf(f, "usage: stepbench policy WORKFLOW.asl.json [--scenarios DIR]... [--account ID] [--region R]\n"
	           "                        [--state-machine-arn ARN] [--json]\n"
	           "  Prints the identity-based policy the state machine's execution role needs:\n"
	           "  exactly the actions its Task states call, on the resources they name, and\n"
	           "  the resource-based permission for each Lambda function it invokes.\n"
	           "  --scenarios DIR  also run the scenarios under DIR that use WORKFLOW (roles not\n"
	           "                   enforced) and grant what they touched where the definition\n"
	           "                   computes a resource at run time; warnings go to stderr\n");
	return 2;
}

/* Run the scenarios under dirs whose state machine is wf, without enforcing
 * their roles, and narrow g's wildcards to what they touched. 0, or 2 when
 * a folder cannot be read. */
static int use_scenarios(policy_gen *g, const char *wf, const char *const *dirs, size_t ndirs)
{
	char **files = NULL;
	size_t nf = 0;
	sb err = SB_INIT;
	if (runner_discover(dirs, ndirs, &files, &nf, &err)) {
		fprintf(stderr, "stepbench policy: %s", sb_str(&err));
		sb_free(&err);
		for (size_t i = 0; i < nf; i++)
			mem_free(files[i]);
		mem_free(files);
		return 2;
	}
	char *want = realpath(wf, NULL);
	runner_ctx *c = runner_ctx_new();
	runner_ctx_set_roles(c, 0);
	cJSON *calls = cJSON_CreateArray();
	size_t ran = 0;
	for (size_t i = 0; i < nf; i++) {
		sb_clear(&err);
		runner_file *f = runner_file_load(files[i], &err);
		if (!f) {
			fprintf(stderr, "warning: skipped an invalid scenario file:\n%s", sb_str(&err));
			mem_free(files[i]);
			continue;
		}
		for (size_t k = 0; k < f->n; k++) {
			const runner_scenario *s = &f->v[k];
			char *sm = s->state_machine ? realpath(s->state_machine, NULL) : NULL;
			int mine = sm && want && !strcmp(sm, want);
			free(sm);
			if (!mine)
				continue;
			runner_result r = {0};
			runner_run(c, s, &r);
			ran++;
			/* one declaring a role may expect the denial it no longer meets */
			if (r.outcome != RUNNER_PASS && !s->role.declared)
				fprintf(stderr, "warning: scenario '%s' (%s) did not pass; the calls it made still count\n", s->name,
				        f->path);
			const cJSON *x;
			cJSON_ArrayForEach(x, r.calls) runner_tap_note(calls, cj_str(x, "action"), cj_str(x, "resource"), 0);
			runner_result_clear(&r);
		}
		runner_file_free(f);
		mem_free(files[i]);
	}
	mem_free(files);
	if (!ran)
		fprintf(stderr, "warning: no scenario found uses %s\n", wf);
	policy_gen_use_calls(g, calls);
	cJSON_Delete(calls);
	runner_ctx_free(c);
	free(want);
	sb_free(&err);
	return 0;
}

int cmd_policy(int argc, char **argv)
{
	const char *path = NULL, *account = "000000000000", *region = "us-east-1", *sm_arn = NULL;
	int json = 0;
	const char *dirs[64];
	size_t ndirs = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--json")) {
			json = 1;
		} else if (!strcmp(a, "--scenarios")) {
			if (i + 1 >= argc || ndirs == sizeof dirs / sizeof *dirs)
				return usage(stderr);
			dirs[ndirs++] = argv[++i];
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
	if (ndirs && use_scenarios(g, path, dirs, ndirs)) {
		policy_gen_free(g);
		cj_doc_free(doc);
		sb_free(&err);
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
		/* with scenarios, warnings go to stderr: stdout is the policy alone */
		if (warnings->child && !ndirs)
			printf("\n# Warnings\n");
		for (const cJSON *w = ndirs ? NULL : warnings->child; w; w = w->next)
			printf("- %s\n", w->valuestring);
	}
	for (const cJSON *w = ndirs ? warnings->child : NULL; w; w = w->next)
		fprintf(stderr, "warning: %s\n", w->valuestring);
	cJSON_Delete(fns);
	policy_gen_free(g);
	cj_doc_free(doc);
	sb_free(&err);
	return 0;
}
