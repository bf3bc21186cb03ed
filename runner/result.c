/* result.c - releasing results; the result of a file that did not load. */
#include <string.h>

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
