/* run.c - one scenario, hermetically: seed, execute, snapshot, judge. */
#include "runner/run.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "common/clock.h"
#include "common/mem.h"
#include "engine/engine.h"
#include "mocks/mock.h"
#include "mocks/transport_inproc.h"
#include "runner/check.h"
#include "runner/machine.h"
#include "runner/match.h"
#include "runner/mockcfg.h"
#include "runner/record.h"
#include "runner/tap.h"
#include "runner/world.h"

/* ======================================================================
 * State machines, loaded once per run
 * ====================================================================== */

typedef struct cached {
	char *path;
	runner_machine *m; /* NULL when it did not load */
	char *error;       /* why */
} cached;

struct runner_ctx {
	cached *v;
	size_t n, cap;
	int record;
	int no_roles;
};

void runner_ctx_set_record(runner_ctx *c, int record) { c->record = record; }
void runner_ctx_set_roles(runner_ctx *c, int roles) { c->no_roles = !roles; }

runner_ctx *runner_ctx_new(void) { return mem_calloc(1, sizeof(runner_ctx)); }

void runner_ctx_free(runner_ctx *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		mem_free(c->v[i].path);
		runner_machine_free(c->v[i].m);
		mem_free(c->v[i].error);
	}
	mem_free(c->v);
	mem_free(c);
}

static const cached *machine_get(runner_ctx *c, const char *path)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].path, path))
			return &c->v[i];
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 8;
		c->v = mem_realloc(c->v, c->cap * sizeof *c->v);
	}
	cached *e = &c->v[c->n++];
	sb err = SB_INIT;
	e->path = mem_strdup(path);
	e->m = runner_machine_load(path, &err);
	e->error = e->m ? NULL : sb_steal(&err);
	sb_free(&err);
	return e;
}

/* ======================================================================
 * Results
 * ====================================================================== */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* FNV-1a: the same scenario name always seeds the same identifiers. */
static uint64_t seed_of(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h ? h : 1;
}

/* An execution name AWS would accept: letters, digits, '-' and '_', at most 80. */
static void exec_name(const char *scenario, char out[81])
{
	size_t n = 0;
	for (const char *p = scenario; *p && n < 80; p++) {
		char ch = *p;
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
		         ch == '_';
		if (ok)
			out[n++] = ch;
		else if (n && out[n - 1] != '-')
			out[n++] = '-';
	}
	while (n && out[n - 1] == '-')
		n--;
	if (!n)
		out[n++] = 'x';
	out[n] = '\0';
}

static char *dup_or_null(const char *s) { return s ? mem_strdup(s) : NULL; }

/* ======================================================================
 * Running
 * ====================================================================== */

/* engine_mock_fn: the scenario's mocked states answer instead of their service. */
static int mock_state(void *ctx, const char *state, int invocation, cJSON **result, char **error, char **cause)
{
	const cJSON *answers = runner_scenario_mock(ctx, state);
	if (!answers)
		return 0;
	runner_mock_answer(answers, state, invocation, result, error, cause);
	return 1;
}

/* Answers to .waitForTaskToken tokens, from the scenario's `callbacks`: the
 * n-th token of a state (from 0) gets the n-th answer, sent at once as
 * SendTaskSuccess (Return) or SendTaskFailure (Throw). A state without
 * callbacks is left waiting: its HeartbeatSeconds/TimeoutSeconds decide. */
#define CALLBACK_STATES 32
typedef struct callbacks {
	const runner_scenario *s;
	pthread_mutex_t mu; /* Map and Parallel branches may wait at once */
	size_t n;
	char state[CALLBACK_STATES][81]; /* state names are at most 80 characters */
	int count[CALLBACK_STATES];
} callbacks;

static int64_t answer_token(void *ctx, engine_exec *x, const engine_token_info *t)
{
	callbacks *cb = ctx;
	const cJSON *answers = runner_scenario_callback(cb->s, t->state);
	if (!answers)
		return -1;
	pthread_mutex_lock(&cb->mu);
	size_t i = 0;
	while (i < cb->n && strcmp(cb->state[i], t->state))
		i++;
	if (i == cb->n) {
		if (cb->n == CALLBACK_STATES)
			i = CALLBACK_STATES - 1; /* more states than anyone writes: share the last counter */
		else
			snprintf(cb->state[cb->n++], sizeof cb->state[0], "%.80s", t->state);
	}
	int n = cb->count[i]++;
	pthread_mutex_unlock(&cb->mu);
	cJSON *result = NULL;
	char *error = NULL, *cause = NULL;
	runner_mock_answer(answers, t->state, n, &result, &error, &cause);
	if (error)
		engine_exec_send_task_failure(x, t->token, error, cause);
	else
		engine_exec_send_task_success(x, t->token, result);
	cJSON_Delete(result);
	mem_free(error);
	mem_free(cause);
	return -1;
}

/* What the result says about the declared role, for --check-policy. */
static cJSON *role_json(const runner_scenario *s, const char *arn)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", s->role.name);
	cJSON_AddStringToObject(o, "arn", arn);
	cJSON *p = cJSON_AddArrayToObject(o, "policies");
	for (size_t i = 0; i < s->role.policies.n; i++)
		cJSON_AddItemToArray(p, cJSON_Duplicate(s->role.policies.v[i], 1));
	/* a scenario expecting the execution's error tests a denial on purpose */
	if (cJSON_GetObjectItemCaseSensitive(s->expect, "error"))
		cJSON_AddTrueToObject(o, "expectsError");
	return o;
}

static void execute(runner_ctx *c, const runner_scenario *s, const runner_machine *m, mock_world *w, clk *clock,
                    const char *role_arn, runner_result *r)
{
	char name[81], sm_arn[256], ex_arn[400], role[256];
	exec_name(s->name, name);
	snprintf(sm_arn, sizeof sm_arn, "arn:aws:states:%s:%s:stateMachine:%s", w->region, w->account, m->name);
	snprintf(ex_arn, sizeof ex_arn, "arn:aws:states:%s:%s:execution:%s:%s", w->region, w->account, m->name, name);
	if (role_arn)
		snprintf(role, sizeof role, "%s", role_arn);
	else
		snprintf(role, sizeof role, "arn:aws:iam::%s:role/stepbench", w->account);
	/* With a declared role the calls are made as a session of it, on behalf
	 * of the state machine, as `serve` makes them: the services then enforce
	 * its policies. */
	r->calls = cJSON_CreateArray();
	transport *tp = runner_tap_new(transport_inproc_new_for_execution(w, role_arn, ex_arn, sm_arn), w->account,
	                               w->region, r->calls);
	if (role_arn)
		r->role = role_json(s, role_arn);
	callbacks cb = {.s = s, .mu = PTHREAD_MUTEX_INITIALIZER};
	engine_env env = {
		.tp = tp,
		.clock = clock,
		.region = w->region,
		.account = w->account,
		.state_machine_arn = sm_arn,
		.state_machine_name = m->name,
		.execution_arn = ex_arn,
		.execution_name = name,
		.role_arn = role,
		.type = "STANDARD",
		.seed = seed_of(s->name),
		.mock = s->mocks.n ? mock_state : NULL,
		.mock_ctx = (void *)s,
		.responder = s->callbacks.n ? answer_token : NULL,
		.responder_ctx = &cb,
	};
	cJSON *empty = s->input ? NULL : cJSON_CreateObject();
	engine_exec *x = engine_exec_new(m->def, &env, s->input ? s->input : empty);
	engine_exec_run(x);
	cJSON *exj = runner_execution_json(x);
	engine_exec_free(x);
	pthread_mutex_destroy(&cb.mu);
	cJSON_Delete(empty);
	tp->close(tp);

	r->status = dup_or_null(cj_str(exj, "status"));
	r->exec_error = dup_or_null(cj_str(exj, "error"));
	r->exec_cause = dup_or_null(cj_str(exj, "cause"));
	r->path = cJSON_Duplicate(cj_arr(exj, "path"), 1);
	r->history = cJSON_Duplicate(cj_arr(exj, "history"), 1);

	r->output = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(exj, "output"), 1);

	cJSON *keys = NULL;
	cJSON *snap = runner_world_snapshot(w, exj, &keys);
	/* the expect object belongs to the file's document, which --record rewrites */
	if (c->record && s->expect && runner_record((cJSON *)s->expect, snap, keys))
		((runner_file *)s->file)->dirty = 1;
	runner_check(s, snap, keys, &r->mm);
	r->outcome = r->mm.n ? RUNNER_FAIL : RUNNER_PASS;
	r->world = cJSON_CreateObject();
	static const char *const parts[] = {"dynamodb", "sqs", "lambda"};
	for (int i = 0; i < 3; i++)
		cJSON_AddItemToObject(r->world, parts[i], cJSON_DetachItemFromObjectCaseSensitive(snap, parts[i]));
	cJSON_Delete(snap);
	cJSON_Delete(keys);
}

void runner_run(runner_ctx *c, const runner_scenario *s, runner_result *r)
{
	double t0 = now_s();
	r->file = mem_strdup(s->file->path);
	r->name = mem_strdup(s->name);
	r->state_machine = mem_strdup(s->state_machine);
	const cached *cm = machine_get(c, s->state_machine);
	if (!cm->m) {
		r->outcome = RUNNER_ERROR;
		r->error = mem_strdup(cm->error);
		r->seconds = now_s() - t0;
		return;
	}
	clk *clock = clk_virtual_new(s->clock_ms);
	sb err = SB_INIT, role = SB_INIT;
	mock_world_opts o = {.clock = clock, .seed = seed_of(s->name)};
	mock_world *w = mock_world_new(&o, &err);
	if (!w) {
		r->outcome = RUNNER_ERROR;
		r->error = sb_steal(&err);
	} else if (runner_seed(w, s, &err) || (!c->no_roles && runner_seed_role(w, s, &role, &err))) {
		r->outcome = RUNNER_ERROR;
		r->error = sb_steal(&err);
	} else {
		execute(c, s, cm->m, w, clock, s->role.declared && !c->no_roles ? sb_str(&role) : NULL, r);
	}
	sb_free(&err);
	sb_free(&role);
	mock_world_free(w);
	clk_free(clock);
	r->seconds = now_s() - t0;
}

/* ======================================================================
 * Discovery
 * ====================================================================== */

typedef struct list {
	char **v;
	size_t n, cap;
} list;

static void list_add(list *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = mem_realloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = s;
}

static int walk(const char *dir, list *out, sb *err)
{
	DIR *d = opendir(dir);
	if (!d) {
		sb_printf(err, "%s: %s\n", dir, strerror(errno));
		return -1;
	}
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue; /* ., .., and hidden folders such as .git */
		sb p = SB_INIT;
		sb_printf(&p, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
		struct stat st;
		if (lstat(sb_str(&p), &st) == 0 && S_ISDIR(st.st_mode)) {
			if (walk(sb_str(&p), out, err))
				rc = -1;
		} else if (runner_is_scenario_name(e->d_name)) {
			list_add(out, sb_steal(&p));
		}
		sb_free(&p);
	}
	closedir(d);
	return rc;
}

static int by_path(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int runner_discover(const char *const *paths, size_t npaths, char ***files, size_t *nfiles, sb *err)
{
	list l = {0};
	int rc = 0;
	for (size_t i = 0; i < npaths; i++) {
		struct stat st;
		if (stat(paths[i], &st) != 0) {
			sb_printf(err, "%s: %s\n", paths[i], strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			if (walk(paths[i], &l, err))
				rc = -1;
		} else {
			list_add(&l, mem_strdup(paths[i]));
		}
	}
	if (l.n)
		qsort(l.v, l.n, sizeof *l.v, by_path);
	/* the same file named twice runs once */
	size_t k = 0;
	for (size_t i = 0; i < l.n; i++) {
		if (k && !strcmp(l.v[k - 1], l.v[i]))
			mem_free(l.v[i]);
		else
			l.v[k++] = l.v[i];
	}
	*files = l.v;
	*nfiles = k;
	return rc;
}
