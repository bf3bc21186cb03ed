/* mockcfg.c - answers of mocked states; Step Functions Local mock files as suites. */
#include "runner/mockcfg.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/cj.h"
#include "common/file.h"
#include "common/mem.h"
#include "runner/scenario.h"

static void answer(const cJSON *a, cJSON **result, char **error, char **cause)
{
	const cJSON *ret = cJSON_GetObjectItemCaseSensitive(a, "Return");
	if (ret) {
		*result = cJSON_Duplicate(ret, 1);
		return;
	}
	const cJSON *thr = cJSON_GetObjectItemCaseSensitive(a, "Throw");
	*error = mem_strdup(cj_str(thr, "Error") ? cj_str(thr, "Error") : "States.TaskFailed");
	*cause = mem_strdup(cj_str(thr, "Cause") ? cj_str(thr, "Cause") : "");
}

void runner_mock_answer(const cJSON *answers, const char *state, int n, cJSON **result, char **error, char **cause)
{
	if (cJSON_IsArray(answers)) {
		int k = cJSON_GetArraySize(answers);
		answer(cJSON_GetArrayItem(answers, n < k ? n : k - 1), result, error, cause);
		return;
	}
	if (cJSON_GetObjectItemCaseSensitive(answers, "Return") || cJSON_GetObjectItemCaseSensitive(answers, "Throw")) {
		answer(answers, result, error, cause);
		return;
	}
	const cJSON *r;
	cJSON_ArrayForEach(r, answers)
	{
		char *e;
		long lo = strtol(r->string, &e, 10), hi = lo;
		if (*e == '-')
			hi = strtol(e + 1, &e, 10);
		if (n >= lo && n <= hi) {
			answer(r, result, error, cause);
			return;
		}
	}
	sb c = SB_INIT;
	sb_printf(&c, "stepbench: no mocked response for invocation %d of state '%s'", n, state);
	*error = mem_strdup("States.Runtime");
	*cause = sb_steal(&c);
}

/* ======================================================================
 * MockConfigFile.json
 * ====================================================================== */

static void where(const cj_doc *d, const cJSON *n, int key, sb *err, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void where(const cj_doc *d, const cJSON *n, int key, sb *err, const char *fmt, ...)
{
	cj_doc_where(d, n, key, err);
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(err, fmt, ap);
	va_end(ap);
	sb_catc(err, '\n');
}

char *runner_mockcfg_suite(const char *config_path, const char *const *machines, int nmachines, const cJSON *input,
                           sb *err)
{
	size_t len;
	char *text = file_read(config_path, RUNNER_MAX_FILE, &len, err);
	if (!text) {
		sb_catc(err, '\n');
		return NULL;
	}
	cj_doc *d = cj_doc_parse(text, len, config_path, err);
	mem_free(text);
	if (!d) {
		sb_catc(err, '\n');
		return NULL;
	}
	size_t before = err->len;
	const cJSON *root = cj_doc_root(d);
	const cJSON *sms = cj_obj(root, "StateMachines");
	const cJSON *responses = cj_obj(root, "MockedResponses");
	if (!sms)
		where(d, root, 0, err, "%s", "a mock configuration needs an object 'StateMachines'");
	if (!responses)
		where(d, root, 0, err, "%s", "a mock configuration needs an object 'MockedResponses'");
	cJSON *suite = cJSON_CreateObject();
	cJSON_AddStringToObject(suite, "name", config_path);
	cJSON *list = cJSON_AddArrayToObject(suite, "scenarios");
	for (int i = 0; i < nmachines && sms && responses; i++) {
		const char *eq = strchr(machines[i], '=');
		if (!eq) {
			sb_printf(err, "--state-machine %s: expected NAME=path.asl.json\n", machines[i]);
			continue;
		}
		char *name = mem_strndup(machines[i], (size_t)(eq - machines[i]));
		char abs[PATH_MAX];
		const cJSON *sm = cj_obj(sms, name);
		if (!sm)
			sb_printf(err, "%s: no state machine '%s' in StateMachines\n", config_path, name);
		else if (!realpath(eq + 1, abs))
			sb_printf(err, "--state-machine %s: cannot read '%s'\n", machines[i], eq + 1);
		const cJSON *tc, *cases = cj_obj(sm, "TestCases");
		cJSON_ArrayForEach(tc, cases)
		{
			cJSON *sc = cJSON_CreateObject();
			sb n = SB_INIT;
			sb_printf(&n, "%s: %s", name, tc->string);
			cJSON_AddStringToObject(sc, "name", n.buf);
			sb_free(&n);
			cJSON_AddStringToObject(sc, "stateMachine", abs);
			if (input)
				cJSON_AddItemToObject(sc, "input", cJSON_Duplicate(input, 1));
			cJSON *mock = cJSON_AddObjectToObject(sc, "mock");
			const cJSON *st;
			cJSON_ArrayForEach(st, tc)
			{
				const cJSON *resp = cJSON_IsString(st) ? cj_obj(responses, st->valuestring) : NULL;
				if (!resp)
					where(d, st, 0, err, "no mocked response named %s in MockedResponses",
					      cJSON_IsString(st) ? st->valuestring : "(not a string)");
				else
					cJSON_AddItemToObject(mock, st->string, cJSON_Duplicate(resp, 1));
			}
			cJSON_AddObjectToObject(sc, "expect");
			cJSON_AddItemToArray(list, sc);
		}
		if (sm && !cJSON_GetArraySize(cases))
			where(d, sm, 1, err, "state machine %s has no TestCases", name);
		mem_free(name);
	}
	cj_doc_free(d);
	char *out = err->len == before ? cJSON_Print(suite) : NULL;
	cJSON_Delete(suite);
	if (!out)
		return NULL;
	char *copy = mem_strdup(out); /* cJSON_Print allocates through mem_init's hooks, but keep one owner rule */
	cJSON_free(out);
	return copy;
}
