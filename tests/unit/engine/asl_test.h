/* asl_test.h - helpers shared by the engine's unit tests: run a definition on
 * a virtual clock against a scripted transport, read the history. */
#ifndef STEPBENCH_ASL_TEST_H
#define STEPBENCH_ASL_TEST_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/cj.h"
#include "common/clock.h"
#include "common/mem.h"
#include "engine/engine.h"

#define T0_MS 1760956200000LL /* 2025-10-20T10:30:00Z */

/* A transport answering from a script: each call takes the next answer
 * {"out": {...}} or {"error": "Type", "message": "..."}; calls are logged. */
typedef struct fake_tp {
	transport t;
	cJSON *answers; /* array */
	int next;
	cJSON *calls;   /* [{service, op, in}] */
	clk *clock;
	int64_t delay_ms; /* each call takes this long on the clock */
} fake_tp;

static inline int fake_call(transport *t, const char *service, const char *op, const char *region, const cJSON *in,
                            transport_result *res)
{
	(void)region;
	fake_tp *f = (fake_tp *)t;
	cJSON *c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "service", service);
	cJSON_AddStringToObject(c, "op", op);
	cJSON_AddItemToObject(c, "in", cJSON_Duplicate(in, 1));
	cJSON_AddItemToArray(f->calls, c);
	if (f->delay_ms && f->clock)
		clk_sleep_ms(f->clock, f->delay_ms);
	int n = cJSON_GetArraySize(f->answers);
	const cJSON *a = n ? cJSON_GetArrayItem(f->answers, f->next < n ? f->next : n - 1) : NULL;
	f->next++;
	res->request_id = mem_strdup("11111111-2222-3333-4444-555555555555");
	if (a && cj_str(a, "error")) {
		res->status = (int)cj_num(a, "status", 400);
		res->err_type = mem_strdup(cj_str(a, "error"));
		res->err_message = mem_strdup(cj_str(a, "message") ? cj_str(a, "message") : "");
		return TRANSPORT_AWS_ERROR;
	}
	res->status = 200;
	res->out = a && cJSON_GetObjectItem(a, "out") ? cJSON_Duplicate(cJSON_GetObjectItem(a, "out"), 1)
	                                              : cJSON_CreateObject();
	return TRANSPORT_OK;
}

static inline fake_tp *fake_new(const char *answers_json)
{
	fake_tp *f = mem_calloc(1, sizeof *f);
	f->t.call = fake_call;
	f->answers = cJSON_Parse(answers_json ? answers_json : "[]");
	ck_assert_ptr_nonnull(f->answers);
	f->calls = cJSON_CreateArray();
	return f;
}

static inline void fake_free(fake_tp *f)
{
	if (!f)
		return;
	cJSON_Delete(f->answers);
	cJSON_Delete(f->calls);
	mem_free(f);
}

typedef struct run {
	engine_def *d;
	engine_exec *x;
	clk *clock;
	int own_clock;
	engine_diags diags;
} run;

static inline engine_def *load_text(const char *def, engine_diags *dg)
{
	cJSON *j = cJSON_Parse(def);
	ck_assert_msg(j != NULL, "test definition is not JSON: %s", def);
	engine_def *d = engine_def_load(j, dg);
	cJSON_Delete(j);
	return d;
}

/* Run def on input with env filled in (tp may be NULL). */
static inline run run_env(const char *def, const char *input, engine_env *env)
{
	run r = {0};
	r.d = load_text(def, &r.diags);
	if (!r.d) {
		char *m = engine_diags_message(&r.diags);
		ck_abort_msg("definition rejected: %s", m);
	}
	if (env->clock)
		r.clock = env->clock;
	else {
		r.clock = clk_virtual_new(T0_MS);
		r.own_clock = 1;
		env->clock = r.clock;
	}
	if (!env->region)
		env->region = "us-east-1";
	if (!env->account)
		env->account = "000000000000";
	if (!env->state_machine_arn)
		env->state_machine_arn = "arn:aws:states:us-east-1:000000000000:stateMachine:test";
	if (!env->state_machine_name)
		env->state_machine_name = "test";
	if (!env->execution_arn)
		env->execution_arn = "arn:aws:states:us-east-1:000000000000:execution:test:run-1";
	if (!env->execution_name)
		env->execution_name = "run-1";
	if (!env->role_arn)
		env->role_arn = "arn:aws:iam::000000000000:role/sfn";
	if (!env->seed)
		env->seed = 42;
	cJSON *in = cJSON_Parse(input ? input : "{}");
	ck_assert_ptr_nonnull(in);
	r.x = engine_exec_new(r.d, env, in);
	cJSON_Delete(in);
	engine_exec_run(r.x);
	return r;
}

static inline run run_def(const char *def, const char *input, transport *tp)
{
	engine_env env = {0};
	env.tp = tp;
	return run_env(def, input, &env);
}

static inline void run_free(run *r)
{
	engine_exec_free(r->x);
	engine_def_free(r->d);
	if (r->own_clock)
		clk_free(r->clock);
	engine_diags_free(&r->diags);
}

/* The output as compact JSON (caller frees with mem_free). */
static inline char *out_text(const run *r)
{
	const cJSON *o = engine_exec_output(r->x);
	return o ? cj_print(o) : mem_strdup("(none)");
}

static inline void assert_output(const run *r, const char *want_json)
{
	ck_assert_msg(engine_exec_status(r->x) == ENGINE_SUCCEEDED, "status %s: %s: %s",
	              engine_status_name(engine_exec_status(r->x)),
	              engine_exec_error(r->x) ? engine_exec_error(r->x) : "-",
	              engine_exec_cause(r->x) ? engine_exec_cause(r->x) : "-");
	cJSON *w = cJSON_Parse(want_json);
	ck_assert_ptr_nonnull(w);
	char *got = out_text(r);
	ck_assert_msg(cj_equal(w, engine_exec_output(r->x)), "output %s, wanted %s", got, want_json);
	mem_free(got);
	cJSON_Delete(w);
}

static inline void assert_failed(const run *r, const char *error, const char *cause_part)
{
	ck_assert_msg(engine_exec_status(r->x) == ENGINE_FAILED, "status %s, wanted FAILED",
	              engine_status_name(engine_exec_status(r->x)));
	const char *e = engine_exec_error(r->x), *c = engine_exec_cause(r->x);
	if (error)
		ck_assert_msg(e && !strcmp(e, error), "error %s, wanted %s (cause %s)", e ? e : "(none)", error,
		              c ? c : "(none)");
	else
		ck_assert_msg(!e, "error %s, wanted none", e);
	if (cause_part)
		ck_assert_msg(c && strstr(c, cause_part), "cause %s, wanted it to contain %s", c ? c : "(none)",
		              cause_part);
}

/* The history's event types joined by spaces (caller frees). */
static inline char *event_types(const run *r)
{
	sb b = SB_INIT;
	for (const cJSON *e = engine_exec_history(r->x)->child; e; e = e->next) {
		if (b.len)
			sb_catc(&b, ' ');
		sb_cat(&b, cj_str(e, "type"));
	}
	return sb_steal(&b);
}

static inline const cJSON *event_at(const run *r, int id)
{
	return cJSON_GetArrayItem(engine_exec_history(r->x), id - 1);
}

#endif
