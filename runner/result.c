/* result.c - releasing results; the result of a file that did not load. */
#include <string.h>

#include "common/cj.h"
#include "common/mem.h"
#include "runner/match.h"
#include "runner/run.h"

void runner_result_clear(runner_result *r)
{
	mem_free(r->file);
	mem_free(r->name);
	mem_free(r->state_machine);
	mem_free(r->status);
	mem_free(r->exec_error);
	mem_free(r->exec_cause);
	cJSON_Delete(r->path);
	cJSON_Delete(r->history);
	cJSON_Delete(r->world);
	cJSON_Delete(r->output);
	cJSON_Delete(r->calls);
	cJSON_Delete(r->role);
	cJSON_Delete(r->policy_check);
	runner_mismatches_free(&r->mm);
	mem_free(r->error);
	memset(r, 0, sizeof *r);
}

void runner_result_file_error(runner_result *r, const char *file, const char *problems)
{
	r->file = mem_strdup(file);
	const char *b = strrchr(file, '/');
	r->name = mem_strdup(b ? b + 1 : file);
	r->outcome = RUNNER_ERROR;
	r->error = mem_strdup(problems);
}

static const char *const outcomes[] = {"passed", "failed", "error"};

static void add_str(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
}

static void add_tree(cJSON *o, const char *k, const cJSON *v)
{
	if (v)
		cJSON_AddItemToObject(o, k, cJSON_Duplicate(v, 1));
}

cJSON *runner_result_json(const runner_result *r)
{
	cJSON *o = cJSON_CreateObject();
	add_str(o, "file", r->file);
	add_str(o, "name", r->name);
	add_str(o, "stateMachine", r->state_machine);
	cJSON_AddNumberToObject(o, "index", r->index);
	cJSON_AddStringToObject(o, "outcome", outcomes[r->outcome]);
	cJSON_AddNumberToObject(o, "seconds", r->seconds);
	add_str(o, "status", r->status);
	add_str(o, "error", r->exec_error);
	add_str(o, "cause", r->exec_cause);
	add_tree(o, "path", r->path);
	add_tree(o, "output", r->output);
	cJSON *mm = cJSON_AddArrayToObject(o, "mismatches");
	for (size_t i = 0; i < r->mm.n; i++) {
		const runner_mismatch *m = &r->mm.v[i];
		cJSON *x = cJSON_CreateObject();
		add_str(x, "path", m->path);
		add_str(x, "message", m->message);
		add_str(x, "expected", m->expected);
		add_str(x, "actual", m->actual);
		cJSON_AddNumberToObject(x, "line", m->line);
		cJSON_AddNumberToObject(x, "column", m->col);
		cJSON_AddItemToArray(mm, x);
	}
	add_str(o, "problems", r->error);
	add_tree(o, "calls", r->calls);
	add_tree(o, "role", r->role);
	add_tree(o, "policyCheck", r->policy_check);
	add_tree(o, "history", r->history);
	add_tree(o, "world", r->world);
	return o;
}

static char *str_of(const cJSON *o, const char *k)
{
	const char *v = cj_str(o, k);
	return v ? mem_strdup(v) : NULL;
}

/* Take member k out of o (no copy: results from workers carry whole
 * histories and worlds, and copying them cost the parent more than the
 * scenarios cost the workers). */
static cJSON *tree_of(cJSON *o, const char *k)
{
	return cJSON_DetachItemFromObjectCaseSensitive(o, k);
}

int runner_result_from_json(cJSON *j, runner_result *r)
{
	memset(r, 0, sizeof *r);
	const char *oc = cj_str(j, "outcome");
	int k = 0;
	while (oc && k < 3 && strcmp(outcomes[k], oc))
		k++;
	if (!oc || k == 3 || !cj_str(j, "file") || !cj_str(j, "name"))
		return -1;
	r->outcome = (runner_outcome)k;
	r->file = str_of(j, "file");
	r->name = str_of(j, "name");
	r->state_machine = str_of(j, "stateMachine");
	r->index = (int)cj_num(j, "index", 0);
	r->seconds = cj_num(j, "seconds", 0);
	r->status = str_of(j, "status");
	r->exec_error = str_of(j, "error");
	r->exec_cause = str_of(j, "cause");
	r->path = tree_of(j, "path");
	r->output = tree_of(j, "output");
	const cJSON *x;
	cJSON_ArrayForEach(x, cj_arr(j, "mismatches"))
	{
		runner_mismatch *m =
			runner_mismatch_add_text(&r->mm, cj_str(x, "path") ? cj_str(x, "path") : "",
		                             cj_str(x, "message") ? cj_str(x, "message") : "", cj_str(x, "expected"),
		                             cj_str(x, "actual"));
		m->line = (int)cj_num(x, "line", 0);
		m->col = (int)cj_num(x, "column", 0);
	}
	r->error = str_of(j, "problems");
	r->history = tree_of(j, "history");
	r->world = tree_of(j, "world");
	r->calls = tree_of(j, "calls");
	r->role = tree_of(j, "role");
	r->policy_check = tree_of(j, "policyCheck");
	return 0;
}
