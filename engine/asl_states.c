/* asl_states.c - the state executors: data flow, Retry/Catch, Choice rules, Wait, Parallel, Map. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "common/cj.h"
#include "common/mem.h"
#include "engine/asl_int.h"

/* ======================================================================
 * Small helpers
 * ====================================================================== */

static char *json_text(const cJSON *v)
{
	char *t = cj_print(v);
	return t ? t : mem_strdup("null");
}

static cJSON *details_io(const char *name, const char *key, const cJSON *v)
{
	cJSON *d = cJSON_CreateObject();
	if (name)
		cJSON_AddStringToObject(d, "name", name);
	char *t = json_text(v);
	cJSON_AddStringToObject(d, key, t);
	mem_free(t);
	cJSON *tr = cJSON_CreateObject();
	cJSON_AddFalseToObject(tr, "truncated");
	cJSON_AddItemToObject(d, !strcmp(key, "input") ? "inputDetails" : "outputDetails", tr);
	return d;
}

static char *ev_type(const asl_state *st, const char *suffix)
{
	sb b = SB_INIT;
	sb_printf(&b, "%s%s", asl_type_name(st->type), suffix);
	return sb_steal(&b);
}

/* Prefix a state error's cause with the state and its Entered event id. */
static void prefix_cause(asl_strand *s, asl_err *e)
{
	if (!(e->flags & ASL_ERR_STATE_PREFIX))
		return;
	sb b = SB_INIT;
	sb_printf(&b, "An error occurred while executing the state '%s' (entered at the event id #%ld). %s", s->st->name,
	          s->entered_id, e->cause ? e->cause : "");
	mem_free(e->cause);
	e->cause = sb_steal(&b);
	e->flags &= ~(unsigned)ASL_ERR_STATE_PREFIX;
}

static size_t json_size(const cJSON *v)
{
	char *t = cj_print(v);
	size_t n = t ? strlen(t) : 4;
	mem_free(t);
	return n;
}

/* The data expressions of the current state see. */
static void data_for(asl_strand *s, asl_data *d, const cJSON *input, cJSON **ctx)
{
	*ctx = asl_context(s, s->tok != NULL, NULL, -1);
	asl_data_init(s, d, input, *ctx);
	d->states_input = s->input;
}

/* ======================================================================
 * Transitions and outcomes
 * ====================================================================== */

/* Leave the state successfully with output (owned), applying assigned
 * variables (owned object or NULL), and go to next (NULL: the machine ends). */
static void state_exit(asl_strand *s, cJSON *output, cJSON *assigned, const asl_state *next)
{
	if (json_size(output) > ASL_MAX_PAYLOAD) {
		asl_err e = {0};
		asl_err_set(&e, "States.DataLimitExceeded", 0,
		            "The state/task '%s' returned a result with a size exceeding the maximum number of bytes service "
		            "limit.",
		            s->st->name);
		cJSON_Delete(output);
		cJSON_Delete(assigned);
		asl_strand_fail(s, &e);
		return;
	}
	if (s->st->type != ASL_Fail) {
		char *type = ev_type(s->st, "StateExited");
		cJSON *d = details_io(s->st->name, "output", output);
		if (assigned) {
			cJSON *av = cJSON_CreateObject();
			for (const cJSON *c = assigned->child; c; c = c->next) {
				char *t = json_text(c);
				cJSON_AddStringToObject(av, c->string, t);
				mem_free(t);
			}
			cJSON_AddItemToObject(d, "assignedVariables", av);
			cJSON *tr = cJSON_CreateObject();
			cJSON_AddFalseToObject(tr, "truncated");
			cJSON_AddItemToObject(d, "assignedVariablesDetails", tr);
		}
		asl_event(s, type, d);
		mem_free(type);
	}
	if (assigned) {
		if (!s->scope.vars)
			s->scope.vars = cJSON_CreateObject();
		cJSON *c;
		while ((c = assigned->child)) {
			cJSON_DetachItemViaPointer(assigned, c);
			cJSON *old = cJSON_GetObjectItemCaseSensitive(s->scope.vars, c->string);
			if (old)
				cJSON_ReplaceItemViaPointer(s->scope.vars, old, c);
			else {
				char *k = mem_strdup(c->string);
				cJSON_AddItemToObject(s->scope.vars, k, c);
				mem_free(k);
			}
		}
		cJSON_Delete(assigned);
	}
	asl_state_reset(s);
	cJSON_Delete(s->input);
	s->input = output;
	if (next) {
		s->st = next;
		s->phase = PH_ENTER;
	} else
		asl_strand_finish(s);
}

static int err_matches(const asl_err *e, char **names, int n)
{
	for (int i = 0; i < n; i++) {
		if (!e->error) {
			/* a failure without a name (SendTaskFailure with no error) */
			if (!strcmp(names[i], "States.ALL") || !strcmp(names[i], "States.TaskFailed"))
				return 1;
			continue;
		}
		if (!strcmp(names[i], e->error))
			return 1;
		if (!strcmp(names[i], "States.ALL"))
			return 1;
		if (!strcmp(names[i], "States.TaskFailed") && strcmp(e->error, "States.Timeout"))
			return 1;
		if (!strcmp(names[i], "States.HeartbeatTimeout") && (e->flags & ASL_ERR_HEARTBEAT))
			return 1;
	}
	return 0;
}

static cJSON *error_output(const asl_err *e)
{
	cJSON *o = cJSON_CreateObject();
	if (e->error)
		cJSON_AddStringToObject(o, "Error", e->error);
	else
		cJSON_AddNullToObject(o, "Error");
	if (e->cause || e->error)
		cJSON_AddStringToObject(o, "Cause", e->cause ? e->cause : ""); /* States.Timeout: "" */
	else
		cJSON_AddNullToObject(o, "Cause"); /* SendTaskFailure with neither */
	return o;
}

/* A state's work failed: Retry, then Catch, else fail the strand. */
void asl_state_error(asl_strand *s, asl_err *e)
{
	const asl_state *st = s->st;
	prefix_cause(s, e);
	if (e->flags & ASL_ERR_EVALFAIL) {
		cJSON *d = cJSON_CreateObject();
		if (e->error)
			cJSON_AddStringToObject(d, "error", e->error);
		if (e->cause)
			cJSON_AddStringToObject(d, "cause", e->cause);
		if (e->location)
			cJSON_AddStringToObject(d, "location", e->location);
		cJSON_AddStringToObject(d, "state", st->name);
		asl_event(s, "EvaluationFailed", d);
	}
	if (!(e->flags & ASL_ERR_FATAL)) {
		for (int i = 0; i < st->nretry; i++) {
			const asl_retrier *r = &st->retry[i];
			if (!err_matches(e, r->errors, r->nerr))
				continue;
			if (s->attempts[i] >= r->max_attempts)
				break;
			double delay = r->interval * pow(r->backoff, s->attempts[i]);
			if (r->max_delay > 0 && delay > r->max_delay)
				delay = r->max_delay;
			if (r->jitter_full)
				delay = rng_double(&s->x->rng) * delay;
			s->attempts[i]++;
			s->retry_count++;
			asl_err_clear(e);
			s->phase = PH_RETRY_WAIT;
			asl_block_timer(s, asl_now(s) + (int64_t)llround(delay * 1000.0));
			return;
		}
		for (int i = 0; i < st->ncatch; i++) {
			const asl_catcher *c = &st->catchers[i];
			if (!err_matches(e, c->errors, c->nerr))
				continue;
			cJSON *eo = error_output(e);
			cJSON *out = NULL, *assigned = NULL;
			asl_err e2 = {0};
			cJSON *ctx;
			asl_data d;
			data_for(s, &d, s->input, &ctx);
			if (st->jsonata) {
				d.error_output = eo;
				if (c->assign && asl_tmpl_eval(c->assign, &d, &assigned, &e2) == 0 && c->output)
					asl_tmpl_eval(c->output, &d, &out, &e2);
				else if (!c->assign && c->output)
					asl_tmpl_eval(c->output, &d, &out, &e2);
				if (!e2.flags && !e2.error && !out)
					out = cJSON_Duplicate(eo, 1);
			} else {
				if (c->assign) {
					d.input = eo;
					asl_tmpl_eval(c->assign, &d, &assigned, &e2);
				}
				if (!e2.error) {
					out = cJSON_Duplicate(s->input, 1);
					if (c->result_path_null) {
						/* keep the input */
					} else if (c->result_path) {
						sb m = SB_INIT;
						if (asl_path_set(c->result_path, &out, cJSON_Duplicate(eo, 1), &m)) {
							asl_err_set(&e2, "States.ResultPathMatchFailure", ASL_ERR_STATE_PREFIX, "%s", sb_str(&m));
							cJSON_Delete(out);
							out = NULL;
						}
						sb_free(&m);
					} else {
						cJSON_Delete(out);
						out = cJSON_Duplicate(eo, 1);
					}
				}
			}
			cJSON_Delete(ctx);
			cJSON_Delete(eo);
			if (e2.error) {
				cJSON_Delete(out);
				cJSON_Delete(assigned);
				asl_err_clear(e);
				prefix_cause(s, &e2);
				asl_strand_fail(s, &e2);
				return;
			}
			asl_err_clear(e);
			state_exit(s, out, assigned, c->next);
			return;
		}
	}
	asl_strand_fail(s, e);
}

/* The state's work produced result (owned): ResultSelector, ResultPath,
 * OutputPath (JSONPath) or Output (JSONata), Assign, then exit. */
static void state_result(asl_strand *s, cJSON *result)
{
	const asl_state *st = s->st;
	asl_err e = {0};
	cJSON *ctx, *assigned = NULL, *out = NULL;
	asl_data d;
	data_for(s, &d, result, &ctx);
	if (st->jsonata) {
		int has_result = st->type == ASL_Task || st->type == ASL_Parallel || st->type == ASL_Map;
		if (has_result)
			d.result = result;
		if (st->assign && asl_tmpl_eval(st->assign, &d, &assigned, &e))
			goto fail;
		if (st->output) {
			if (asl_tmpl_eval(st->output, &d, &out, &e))
				goto fail;
		} else
			out = cJSON_Duplicate(has_result ? result : s->input, 1);
	} else {
		/* Assign sees the result as `$` */
		if (st->assign && asl_tmpl_eval(st->assign, &d, &assigned, &e))
			goto fail;
		cJSON *sel = NULL;
		if (st->result_selector) {
			if (asl_tmpl_eval(st->result_selector, &d, &sel, &e))
				goto fail;
		} else
			sel = cJSON_Duplicate(result, 1);
		if (st->type == ASL_Choice || st->type == ASL_Wait || st->type == ASL_Succeed) {
			out = sel; /* the effective input */
		} else {
			out = cJSON_Duplicate(s->input, 1);
			if (st->result_path_null)
				cJSON_Delete(sel);
			else if (st->result_path) {
				sb m = SB_INIT;
				if (asl_path_set(st->result_path, &out, sel, &m)) {
					asl_err_set(&e, "States.ResultPathMatchFailure", ASL_ERR_STATE_PREFIX, "%s", sb_str(&m));
					sb_free(&m);
					cJSON_Delete(out);
					out = NULL;
					goto fail;
				}
				sb_free(&m);
			} else {
				cJSON_Delete(out);
				out = sel;
			}
		}
		if (st->output_path_null) {
			cJSON_Delete(out);
			out = cJSON_CreateObject();
		} else if (st->output_path) {
			/* OutputPath sees the variables from before this state */
			asl_data d2 = d;
			d2.input = out;
			cJSON *o2 = NULL;
			sb m = SB_INIT;
			if (asl_data_path(&d2, st->output_path, &o2, &m)) {
				asl_err_set(&e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL, "Invalid path '%s' : %s",
				            asl_path_text(st->output_path), sb_str(&m));
				sb_free(&m);
				goto fail;
			}
			sb_free(&m);
			cJSON_Delete(out);
			out = o2;
		}
	}
	cJSON_Delete(ctx);
	cJSON_Delete(result);
	state_exit(s, out, assigned, st->next);
	return;
fail:
	cJSON_Delete(ctx);
	cJSON_Delete(result);
	cJSON_Delete(out);
	cJSON_Delete(assigned);
	if (st->type == ASL_Task || st->type == ASL_Parallel || st->type == ASL_Map)
		asl_state_error(s, &e);
	else {
		prefix_cause(s, &e);
		if (e.flags & ASL_ERR_EVALFAIL) {
			cJSON *dd = cJSON_CreateObject();
			cJSON_AddStringToObject(dd, "error", e.error);
			cJSON_AddStringToObject(dd, "cause", e.cause ? e.cause : "");
			cJSON_AddStringToObject(dd, "state", st->name);
			asl_event(s, "EvaluationFailed", dd);
		}
		asl_strand_fail(s, &e);
	}
}

/* Errors raised before a state's work starts (paths, arguments). */
static void state_fail_early(asl_strand *s, asl_err *e)
{
	if (s->st->type == ASL_Task || s->st->type == ASL_Parallel || s->st->type == ASL_Map)
		asl_state_error(s, e);
	else {
		prefix_cause(s, e);
		if (e->flags & ASL_ERR_EVALFAIL) {
			cJSON *d = cJSON_CreateObject();
			cJSON_AddStringToObject(d, "error", e->error);
			cJSON_AddStringToObject(d, "cause", e->cause ? e->cause : "");
			cJSON_AddStringToObject(d, "state", s->st->name);
			asl_event(s, "EvaluationFailed", d);
		}
		asl_strand_fail(s, e);
	}
}

/* JSONPath InputPath: the effective input (owned) or -1. */
static int effective_input(asl_strand *s, cJSON **eff, asl_err *e)
{
	const asl_state *st = s->st;
	if (st->jsonata || (!st->input_path && !st->input_path_null)) {
		*eff = cJSON_Duplicate(s->input, 1);
		return 0;
	}
	if (st->input_path_null) {
		*eff = cJSON_CreateObject();
		return 0;
	}
	cJSON *ctx;
	asl_data d;
	data_for(s, &d, s->input, &ctx);
	sb m = SB_INIT;
	int rc = asl_data_path(&d, st->input_path, eff, &m);
	if (rc)
		asl_err_set(e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL, "Invalid path '%s' : %s",
		            asl_path_text(st->input_path), sb_str(&m));
	sb_free(&m);
	cJSON_Delete(ctx);
	return rc;
}

/* Parameters (JSONPath, on the effective input) or Arguments (JSONata). */
static int state_args(asl_strand *s, const cJSON *eff, cJSON **args, asl_err *e)
{
	const asl_state *st = s->st;
	const asl_tmpl *t = st->jsonata ? st->arguments : (st->type == ASL_Map ? NULL : st->parameters);
	if (!t) {
		*args = cJSON_Duplicate(eff, 1);
		return 0;
	}
	cJSON *ctx;
	asl_data d;
	data_for(s, &d, eff, &ctx);
	int rc = asl_tmpl_eval(t, &d, args, e);
	cJSON_Delete(ctx);
	return rc;
}

static int parse_number_text(const char *t, int real, double *out)
{
	char *end;
	if (!*t || isspace((unsigned char)*t))
		return -1;
	double v = real ? strtod(t, &end) : (double)strtoll(t, &end, 10);
	if (*end)
		return -1;
	*out = v;
	return 0;
}

/* A numeric field's value (literal, path or JSONata), as an integer
 * unless real is set. Returns 0 (unset: *out untouched), or -1 with e. */
static int field_number(asl_strand *s, const asl_field *f, const cJSON *input, int real, double *out, asl_err *e)
{
	if (!f->set)
		return 0;
	cJSON *v = NULL, *ctx;
	asl_data d;
	data_for(s, &d, input, &ctx);
	int rc = 0;
	if (f->t->kind == TM_PATH) {
		sb m = SB_INIT;
		if (asl_data_path(&d, f->t->path, &v, &m)) {
			asl_err_set(e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL,
			            "The %s field refers to a path that does not exist: %s", f->name, f->t->src);
			rc = -1;
		} else if (cJSON_IsString(v) && parse_number_text(v->valuestring, real, out) == 0) {
			/* a numeric string is read as Java's parseInt/parseDouble would */
		} else if (!cJSON_IsNumber(v) || (!real && v->valuedouble != floor(v->valuedouble))) {
			char *t = cJSON_IsString(v) ? mem_strdup(v->valuestring) : json_text(v);
			asl_err_set(e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL,
			            "The %s field refers to value \"%s\" which is not a valid %s: %s", f->name, t,
			            real ? "float" : "integer", f->t->src);
			mem_free(t);
			rc = -1;
		} else
			*out = v->valuedouble;
		sb_free(&m);
	} else if (f->t->kind == TM_LIT) {
		*out = f->t->lit->valuedouble;
	} else {
		if (asl_tmpl_eval(f->t, &d, &v, e))
			rc = -1;
		else if (!cJSON_IsNumber(v) || (!real && v->valuedouble != floor(v->valuedouble))) {
			char *t = json_text(v);
			asl_err_set(e, "States.QueryEvaluationError", ASL_ERR_STATE_PREFIX | ASL_ERR_EVALFAIL,
			            "The JSONata expression '%s' specified for the field '%s' returned an unexpected result type. "
			            "Expected '%s', but was '%s' for value: %s",
			            f->t->src, f->name, real ? "number" : "integer", cj_type_name(v), t);
			mem_free(t);
			rc = -1;
		} else
			*out = v->valuedouble;
	}
	cJSON_Delete(v);
	cJSON_Delete(ctx);
	return rc;
}

/* ======================================================================
 * Pass, Succeed, Fail
 * ====================================================================== */

static void run_pass(asl_strand *s)
{
	const asl_state *st = s->st;
	asl_err e = {0};
	if (st->jsonata) {
		state_result(s, cJSON_Duplicate(s->input, 1));
		return;
	}
	cJSON *eff;
	if (effective_input(s, &eff, &e)) {
		state_fail_early(s, &e);
		return;
	}
	cJSON *res;
	if (st->result) {
		res = cJSON_Duplicate(st->result, 1);
		cJSON_Delete(eff);
	} else {
		if (state_args(s, eff, &res, &e)) {
			cJSON_Delete(eff);
			state_fail_early(s, &e);
			return;
		}
		cJSON_Delete(eff);
	}
	state_result(s, res);
}

static void run_succeed(asl_strand *s)
{
	asl_err e = {0};
	if (s->st->jsonata) {
		state_result(s, cJSON_Duplicate(s->input, 1));
		return;
	}
	cJSON *eff;
	if (effective_input(s, &eff, &e)) {
		state_fail_early(s, &e);
		return;
	}
	state_result(s, eff);
}

static int fail_field(asl_strand *s, const asl_field *f, char **out, asl_err *e)
{
	*out = NULL;
	if (!f->set)
		return 0;
	cJSON *v = NULL, *ctx;
	asl_data d;
	data_for(s, &d, s->input, &ctx);
	int rc = asl_tmpl_eval(f->t, &d, &v, e);
	cJSON_Delete(ctx);
	if (rc)
		return -1;
	if (cJSON_IsString(v))
		*out = mem_strdup(v->valuestring);
	else if (f->t->kind == TM_JSONATA) {
		char *t = json_text(v);
		asl_err_set(e, "States.QueryEvaluationError", ASL_ERR_STATE_PREFIX | ASL_ERR_EVALFAIL,
		            "The JSONata expression '%s' specified for the field '%s' returned an unexpected result type. "
		            "Expected 'string', but was '%s' for value: %s",
		            f->t->src, f->name, cj_type_name(v), t);
		mem_free(t);
		cJSON_Delete(v);
		return -1;
	} else {
		asl_err_set(e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL,
		            "The value of the field '%s' must be a string", f->name);
		cJSON_Delete(v);
		return -1;
	}
	cJSON_Delete(v);
	return 0;
}

static void run_fail(asl_strand *s)
{
	asl_err e = {0};
	char *error = NULL, *cause = NULL;
	if (fail_field(s, &s->st->error, &error, &e) || fail_field(s, &s->st->cause, &cause, &e)) {
		mem_free(error);
		state_fail_early(s, &e);
		return;
	}
	e.error = error;
	e.cause = cause;
	asl_strand_fail(s, &e);
}

/* ======================================================================
 * Choice
 * ====================================================================== */

static int str_matches(const char *p, const char *s)
{
	/* '*' matches any run; '\*' is a literal star; '\\' a backslash */
	while (*p) {
		if (*p == '*') {
			while (*p == '*')
				p++;
			if (!*p)
				return 1;
			for (const char *t = s; *t; t++)
				if (str_matches(p, t))
					return 1;
			return str_matches(p, s + strlen(s));
		}
		char c = *p;
		if (c == '\\' && (p[1] == '*' || p[1] == '\\')) {
			c = p[1];
			p++;
		}
		if (*s != c)
			return 0;
		p++;
		s++;
	}
	return *s == 0;
}

static int is_timestamp(const cJSON *v, int64_t *ms)
{
	int64_t t;
	return cJSON_IsString(v) && clk_parse_iso(v->valuestring, ms ? ms : &t) == 0;
}

static int rule_eval(asl_strand *s, const asl_rule *r, const asl_data *d, asl_err *e)
{
	switch (r->op) {
	case CR_AND:
		for (int i = 0; i < r->nkids; i++) {
			int v = rule_eval(s, r->kids[i], d, e);
			if (v <= 0)
				return v;
		}
		return 1;
	case CR_OR:
		for (int i = 0; i < r->nkids; i++) {
			int v = rule_eval(s, r->kids[i], d, e);
			if (v != 0)
				return v;
		}
		return 0;
	case CR_NOT: {
		int v = rule_eval(s, r->kids[0], d, e);
		return v < 0 ? v : !v;
	}
	default: break;
	}
	cJSON *val = NULL;
	int present = asl_data_path(d, r->var, &val, NULL) == 0;
	if (present && !asl_path_definite(r->var) && cJSON_IsArray(val) && cJSON_GetArraySize(val) == 0)
		present = 0;
	int res = 0;
	if (r->op == CR_IS_PRESENT) {
		res = present == cJSON_IsTrue(r->value);
		cJSON_Delete(val);
		return res;
	}
	if (!present) {
		cJSON_Delete(val);
		if (r->op >= CR_IS_NULL) {
			/* a missing variable is not null, numeric...: IsX:false holds */
			return cJSON_IsFalse(r->value);
		}
		asl_err_set(e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL,
		            "Invalid path '%s': The choice state's condition path references an invalid value.",
		            asl_path_text(r->var));
		return -1;
	}
	const cJSON *cmp = r->value;
	cJSON *cmp_owned = NULL;
	if (r->value_path) {
		if (asl_data_path(d, r->value_path, &cmp_owned, NULL)) {
			cJSON_Delete(val);
			asl_err_set(e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL,
			            "Invalid path '%s': The choice state's condition path references an invalid value.",
			            asl_path_text(r->value_path));
			return -1;
		}
		cmp = cmp_owned;
	}
	switch (r->op) {
	case CR_STR_EQ: case CR_STR_LT: case CR_STR_GT: case CR_STR_LE: case CR_STR_GE:
		if (cJSON_IsString(val) && cJSON_IsString(cmp)) {
			int c = strcmp(val->valuestring, cmp->valuestring);
			res = r->op == CR_STR_EQ ? c == 0 : r->op == CR_STR_LT ? c < 0 : r->op == CR_STR_GT ? c > 0
			                                  : r->op == CR_STR_LE ? c <= 0 : c >= 0;
		}
		break;
	case CR_STR_MATCH:
		res = cJSON_IsString(val) && cJSON_IsString(cmp) && str_matches(cmp->valuestring, val->valuestring);
		break;
	case CR_NUM_EQ: case CR_NUM_LT: case CR_NUM_GT: case CR_NUM_LE: case CR_NUM_GE:
		if (cJSON_IsNumber(val) && cJSON_IsNumber(cmp)) {
			double a = val->valuedouble, b = cmp->valuedouble;
			res = r->op == CR_NUM_EQ ? a == b : r->op == CR_NUM_LT ? a < b : r->op == CR_NUM_GT ? a > b
			                                  : r->op == CR_NUM_LE ? a <= b : a >= b;
		}
		break;
	case CR_BOOL_EQ:
		res = cJSON_IsBool(val) && cJSON_IsBool(cmp) && cJSON_IsTrue(val) == cJSON_IsTrue(cmp);
		break;
	case CR_TS_EQ: case CR_TS_LT: case CR_TS_GT: case CR_TS_LE: case CR_TS_GE: {
		int64_t a, b;
		if (is_timestamp(val, &a) && is_timestamp(cmp, &b))
			res = r->op == CR_TS_EQ ? a == b : r->op == CR_TS_LT ? a < b : r->op == CR_TS_GT ? a > b
			                                 : r->op == CR_TS_LE ? a <= b : a >= b;
		break;
	}
	case CR_IS_NULL: res = cJSON_IsNull(val) == cJSON_IsTrue(cmp); break;
	case CR_IS_NUMERIC: res = cJSON_IsNumber(val) == cJSON_IsTrue(cmp); break;
	case CR_IS_STRING: res = cJSON_IsString(val) == cJSON_IsTrue(cmp); break;
	case CR_IS_BOOLEAN: res = cJSON_IsBool(val) == cJSON_IsTrue(cmp); break;
	case CR_IS_TIMESTAMP: res = is_timestamp(val, NULL) == cJSON_IsTrue(cmp); break;
	default: break;
	}
	cJSON_Delete(val);
	cJSON_Delete(cmp_owned);
	return res;
}

static void run_choice(asl_strand *s)
{
	const asl_state *st = s->st;
	asl_err e = {0};
	cJSON *eff;
	if (effective_input(s, &eff, &e)) {
		state_fail_early(s, &e);
		return;
	}
	cJSON *ctx;
	asl_data d;
	data_for(s, &d, eff, &ctx);
	const asl_choice *hit = NULL;
	for (int i = 0; i < st->nchoices && !hit; i++) {
		const asl_choice *c = &st->choices[i];
		int v;
		if (st->jsonata) {
			cJSON *r = NULL;
			if (asl_tmpl_eval(c->cond, &d, &r, &e))
				v = -1;
			else if (!cJSON_IsBool(r)) {
				char *t = json_text(r);
				asl_err_set(&e, "States.QueryEvaluationError", ASL_ERR_STATE_PREFIX | ASL_ERR_EVALFAIL,
				            "The JSONata expression '%s' specified for the field 'Choices[%d]/Condition' returned an "
				            "unexpected result type. Expected 'boolean', but was '%s' for value: %s",
				            c->cond->src ? c->cond->src : t, i, cj_type_name(r), t);
				mem_free(t);
				v = -1;
			} else
				v = cJSON_IsTrue(r);
			cJSON_Delete(r);
		} else
			v = rule_eval(s, c->rule, &d, &e);
		if (v < 0) {
			cJSON_Delete(ctx);
			cJSON_Delete(eff);
			state_fail_early(s, &e);
			return;
		}
		if (v)
			hit = c;
	}
	const asl_state *next = hit ? hit->next : st->dflt;
	if (!next) {
		cJSON_Delete(ctx);
		cJSON_Delete(eff);
		asl_err_set(&e, "States.NoChoiceMatched", ASL_ERR_STATE_PREFIX, "No Choice Rules matched and no Default");
		/* AWS's cause names the input: keep the recorded wording */
		asl_err_clear(&e);
		char *t = json_text(s->input);
		asl_err_set(&e, "States.NoChoiceMatched", 0, "No choice rule matched for input: %s", t);
		mem_free(t);
		state_fail_early(s, &e);
		return;
	}
	const asl_tmpl *assign = hit ? hit->assign : st->assign;
	const asl_tmpl *output = st->jsonata ? (hit ? (hit->output ? hit->output : NULL) : st->output) : NULL;
	if (st->jsonata && hit && !hit->output)
		output = NULL;
	cJSON *assigned = NULL, *out = NULL;
	if (assign && asl_tmpl_eval(assign, &d, &assigned, &e))
		goto fail;
	if (st->jsonata) {
		if (output) {
			if (asl_tmpl_eval(output, &d, &out, &e))
				goto fail;
		} else
			out = cJSON_Duplicate(s->input, 1);
	} else {
		if (st->output_path_null)
			out = cJSON_CreateObject();
		else if (st->output_path) {
			sb m = SB_INIT;
			asl_data d2 = d;
			d2.input = eff;
			if (asl_data_path(&d2, st->output_path, &out, &m)) {
				asl_err_set(&e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL, "Invalid path '%s' : %s",
				            asl_path_text(st->output_path), sb_str(&m));
				sb_free(&m);
				goto fail;
			}
			sb_free(&m);
		} else
			out = cJSON_Duplicate(eff, 1);
	}
	cJSON_Delete(ctx);
	cJSON_Delete(eff);
	state_exit(s, out, assigned, next);
	return;
fail:
	cJSON_Delete(ctx);
	cJSON_Delete(eff);
	cJSON_Delete(assigned);
	cJSON_Delete(out);
	state_fail_early(s, &e);
}

/* ======================================================================
 * Wait
 * ====================================================================== */

static void run_wait(asl_strand *s)
{
	const asl_state *st = s->st;
	asl_err e = {0};
	cJSON *eff;
	if (effective_input(s, &eff, &e)) {
		state_fail_early(s, &e);
		return;
	}
	int64_t now = asl_now(s), until = now;
	cJSON *ctx;
	asl_data d;
	data_for(s, &d, eff, &ctx);
	cJSON *v = NULL;
	if (st->seconds.set) {
		const asl_tmpl *t = st->seconds.t;
		if (t->kind == TM_LIT)
			until = now + (int64_t)t->lit->valuedouble * 1000;
		else if (t->kind == TM_PATH) {
			if (asl_data_path(&d, t->path, &v, NULL))
				asl_err_set(&e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL,
				            "The SecondsPath parameter does not reference an input value: %s", t->src);
			else if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble)) {
				char *txt = cJSON_IsString(v) ? mem_strdup(v->valuestring) : json_text(v);
				asl_err_set(&e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL,
				            "The SecondsPath parameter cannot be parsed as a long value: %s == %s", t->src, txt);
				mem_free(txt);
			} else if (v->valuedouble < 0) {
				char *txt = json_text(v);
				asl_err_set(&e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL,
				            "The SecondsPath parameter references a negative value: %s == %s", t->src, txt);
				mem_free(txt);
			} else
				until = now + (int64_t)v->valuedouble * 1000;
		} else {
			if (asl_tmpl_eval(t, &d, &v, &e) == 0) {
				if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) || v->valuedouble < 0) {
					char *txt = json_text(v);
					asl_err_set(&e, "States.QueryEvaluationError", ASL_ERR_STATE_PREFIX | ASL_ERR_EVALFAIL,
					            "The JSONata expression '%s' specified for the field 'Seconds' returned an unexpected "
					            "result type. Expected 'integer', but was '%s' for value: %s",
					            t->src, cj_type_name(v), txt);
					mem_free(txt);
				} else
					until = now + (int64_t)v->valuedouble * 1000;
			}
		}
	} else if (st->timestamp.set) {
		const asl_tmpl *t = st->timestamp.t;
		int64_t ms;
		if (t->kind == TM_LIT) {
			clk_parse_iso(t->lit->valuestring, &ms);
			until = ms;
		} else if (t->kind == TM_PATH) {
			if (asl_data_path(&d, t->path, &v, NULL))
				asl_err_set(&e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL,
				            "The TimestampPath parameter does not reference an input value: %s", t->src);
			else if (!cJSON_IsString(v) || clk_parse_iso(v->valuestring, &ms)) {
				char *txt = cJSON_IsString(v) ? mem_strdup(v->valuestring) : json_text(v);
				asl_err_set(&e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL,
				            "The TimestampPath parameter does not reference a valid ISO-8601 extended offset "
				            "date-time format string: %s == %s",
				            t->src, txt);
				mem_free(txt);
			} else
				until = ms;
		} else if (asl_tmpl_eval(t, &d, &v, &e) == 0) {
			if (!cJSON_IsString(v) || clk_parse_iso(v->valuestring, &ms)) {
				char *txt = cJSON_IsString(v) ? mem_strdup(v->valuestring) : json_text(v);
				asl_err_set(&e, "States.QueryEvaluationError", ASL_ERR_STATE_PREFIX | ASL_ERR_EVALFAIL,
				            "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format "
				            "string: %s",
				            txt);
				mem_free(txt);
			} else
				until = ms;
		}
	}
	cJSON_Delete(v);
	cJSON_Delete(ctx);
	if (e.error) {
		cJSON_Delete(eff);
		state_fail_early(s, &e);
		return;
	}
	cJSON_Delete(s->eff);
	s->eff = eff;
	s->phase = PH_RESUME;
	if (until > now)
		asl_block_timer(s, until);
}

static void resume_wait(asl_strand *s)
{
	cJSON *eff = s->eff;
	s->eff = NULL;
	state_result(s, eff);
}

/* ======================================================================
 * Task
 * ====================================================================== */

static const char *task_ev(const asl_state *st, const char *what, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s", st->res.kind == RES_LAMBDA_ARN ? "LambdaFunction" : "Task", what);
	return buf;
}

static cJSON *task_details(const asl_state *st)
{
	cJSON *d = cJSON_CreateObject();
	if (st->res.kind == RES_LAMBDA_ARN)
		return d;
	cJSON_AddStringToObject(d, "resourceType", st->res.hist_type ? st->res.hist_type : st->res.service);
	cJSON_AddStringToObject(d, "resource", st->res.hist_resource ? st->res.hist_resource : st->res.arn);
	return d;
}

/* Task attempt: arguments, TaskScheduled/Started, the call. */
static void run_task(asl_strand *s)
{
	const asl_state *st = s->st;
	asl_err e = {0};
	char evb[64];
	if (st->res.pattern == PAT_TOKEN && !s->tok)
		asl_token_new(s);
	cJSON *eff;
	if (effective_input(s, &eff, &e)) {
		state_fail_early(s, &e);
		return;
	}
	cJSON *args = NULL;
	int rc = state_args(s, eff, &args, &e);
	double timeout = 0, hb = 0;
	if (!rc)
		rc = field_number(s, &st->timeout, eff, 0, &timeout, &e);
	if (!rc)
		rc = field_number(s, &st->heartbeat, eff, 0, &hb, &e);
	cJSON_Delete(eff);
	if (rc) {
		cJSON_Delete(args);
		state_fail_early(s, &e);
		return;
	}
	if (st->timeout.set && timeout <= 0) {
		cJSON_Delete(args);
		asl_err_set(&e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL,
		            "The TimeoutSecondsPath parameter references a non-positive value");
		state_fail_early(s, &e);
		return;
	}
	/* scheduled */
	cJSON *d = task_details(st);
	if (st->res.kind == RES_LAMBDA_ARN) {
		cJSON_AddStringToObject(d, "resource", st->res.arn);
		char *t = json_text(args);
		cJSON_AddStringToObject(d, "input", t);
		mem_free(t);
		cJSON *tr = cJSON_CreateObject();
		cJSON_AddFalseToObject(tr, "truncated");
		cJSON_AddItemToObject(d, "inputDetails", tr);
		if (st->timeout.set)
			cJSON_AddNumberToObject(d, "timeoutInSeconds", timeout);
	} else {
		cJSON_AddStringToObject(d, "region", s->x->env.region ? s->x->env.region : "us-east-1");
		char *t = json_text(args);
		cJSON_AddStringToObject(d, "parameters", t);
		mem_free(t);
		if (st->timeout.set)
			cJSON_AddNumberToObject(d, "timeoutInSeconds", timeout);
		if (st->heartbeat.set)
			cJSON_AddNumberToObject(d, "heartbeatInSeconds", hb);
	}
	asl_event(s, task_ev(st, "Scheduled", evb, sizeof evb), d);
	cJSON *sd = task_details(st);
	asl_event(s, task_ev(st, "Started", evb, sizeof evb), cJSON_GetArraySize(sd) ? sd : (cJSON_Delete(sd), NULL));
	int64_t t0 = asl_now(s);
	s->deadline_ms = st->timeout.set ? t0 + (int64_t)(timeout * 1000) : 0;
	s->hb_ms = st->heartbeat.set ? (int64_t)(hb * 1000) : 0;
	cJSON *result = NULL;
	rc = asl_task_invoke(s, args, &result, &e);
	int64_t t1 = asl_now(s);
	if (rc >= 0 && s->deadline_ms && t1 > s->deadline_ms && rc == 0) {
		/* the call outlived TimeoutSeconds */
		cJSON_Delete(result);
		cJSON_Delete(args);
		asl_task_timed_out(s, 0);
		return;
	}
	if (rc == 1) {
		/* callback: TaskSubmitted, then wait for the token */
		cJSON *sub = task_details(st);
		char *t = json_text(result);
		cJSON_AddStringToObject(sub, "output", t);
		mem_free(t);
		cJSON *tr = cJSON_CreateObject();
		cJSON_AddFalseToObject(tr, "truncated");
		cJSON_AddItemToObject(sub, "outputDetails", tr);
		asl_event(s, "TaskSubmitted", sub);
		if (!s->deadline_ms)
			s->deadline_ms = t0 + 99999999LL * 1000;
		s->tok->heartbeat_at = t1;
		s->phase = PH_RESUME;
		asl_token_wait(s, args, result);
		cJSON_Delete(args);
		cJSON_Delete(result);
		return;
	}
	cJSON_Delete(args);
	if (rc < 0) {
		asl_task_failed(s, &e);
		return;
	}
	asl_task_succeeded(s, result);
}

void asl_task_timed_out(asl_strand *s, int heartbeat)
{
	char evb[64];
	cJSON *d = task_details(s->st);
	cJSON_AddStringToObject(d, "error", "States.Timeout");
	asl_event(s, task_ev(s->st, "TimedOut", evb, sizeof evb), d);
	asl_token_drop(s);
	asl_err e = {0};
	asl_err_set(&e, "States.Timeout", heartbeat ? ASL_ERR_HEARTBEAT : 0, NULL);
	asl_state_error(s, &e);
}

void asl_task_failed(asl_strand *s, asl_err *e)
{
	char evb[64];
	cJSON *d = task_details(s->st);
	if (e->error)
		cJSON_AddStringToObject(d, "error", e->error);
	if (e->cause)
		cJSON_AddStringToObject(d, "cause", e->cause);
	asl_event(s, task_ev(s->st, "Failed", evb, sizeof evb), d);
	asl_token_drop(s);
	asl_state_error(s, e);
}

void asl_task_succeeded(asl_strand *s, cJSON *result)
{
	char evb[64];
	const asl_state *st = s->st;
	if (json_size(result) > ASL_MAX_PAYLOAD) {
		asl_err e = {0};
		asl_err_set(&e, "States.DataLimitExceeded", 0,
		            "The state/task '%s' returned a result with a size exceeding the maximum number of bytes service "
		            "limit.",
		            st->res.kind == RES_LAMBDA_ARN ? st->res.arn : st->res.service);
		cJSON_Delete(result);
		asl_task_failed(s, &e);
		return;
	}
	cJSON *d = task_details(st);
	char *t = json_text(result);
	cJSON_AddStringToObject(d, "output", t);
	mem_free(t);
	cJSON *tr = cJSON_CreateObject();
	cJSON_AddFalseToObject(tr, "truncated");
	cJSON_AddItemToObject(d, "outputDetails", tr);
	asl_event(s, task_ev(st, "Succeeded", evb, sizeof evb), d);
	asl_token_drop(s);
	state_result(s, result);
}

/* ======================================================================
 * Parallel and Map
 * ====================================================================== */

static void run_parallel(asl_strand *s)
{
	const asl_state *st = s->st;
	asl_err e = {0};
	cJSON *eff, *args;
	if (effective_input(s, &eff, &e)) {
		state_fail_early(s, &e);
		return;
	}
	if (state_args(s, eff, &args, &e)) {
		cJSON_Delete(eff);
		state_fail_early(s, &e);
		return;
	}
	cJSON_Delete(eff);
	long started = asl_event(s, "ParallelStateStarted", NULL);
	asl_children_begin(s, st->nbranches);
	for (int i = 0; i < st->nbranches; i++)
		asl_child_spawn(s, st->branches[i], i, cJSON_Duplicate(args, 1), started, 0);
	cJSON_Delete(args);
	s->phase = PH_RESUME;
	asl_children_wait(s);
}

static void run_map(asl_strand *s)
{
	const asl_state *st = s->st;
	asl_err e = {0};
	cJSON *eff;
	if (effective_input(s, &eff, &e)) {
		state_fail_early(s, &e);
		return;
	}
	cJSON *items = NULL, *ctx;
	asl_data d;
	data_for(s, &d, eff, &ctx);
	if (st->jsonata) {
		if (st->items.set) {
			if (asl_tmpl_eval(st->items.t, &d, &items, &e) == 0 && !cJSON_IsArray(items)) {
				char *t = json_text(items);
				asl_err_set(&e, "States.QueryEvaluationError", ASL_ERR_STATE_PREFIX | ASL_ERR_EVALFAIL,
				            "The JSONata expression '%s' specified for the field 'Items' returned an unexpected result "
				            "type. Expected 'array', but was '%s' for value: %s",
				            st->items.t->src, cj_type_name(items), t);
				mem_free(t);
			}
		} else if (!cJSON_IsArray(eff)) {
			char *t = json_text(eff);
			asl_err_set(&e, "States.QueryEvaluationError", ASL_ERR_STATE_PREFIX | ASL_ERR_EVALFAIL,
			            "Map state input must be an array but was: %s", t);
			mem_free(t);
		} else
			items = cJSON_Duplicate(eff, 1);
	} else {
		if (st->items.set) {
			sb m = SB_INIT;
			if (asl_data_path(&d, st->items.t->path, &items, &m))
				asl_err_set(&e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL, "Invalid path '%s' : %s",
				            st->items.t->src, sb_str(&m));
			sb_free(&m);
		} else
			items = cJSON_Duplicate(eff, 1);
		if (!e.error && !cJSON_IsArray(items)) {
			char *t = json_text(items);
			asl_err_set(&e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL,
			            "Map state input must be an array but was: %s", t);
			mem_free(t);
		}
	}
	if (!e.error && (st->item_reader || st->result_writer))
		asl_err_set(&e, st->item_reader ? "States.ItemReaderFailed" : "States.ResultWriterFailed",
		            ASL_ERR_STATE_PREFIX,
		            "stepbench has no S3 to %s: ItemReader and ResultWriter are not supported",
		            st->item_reader ? "read the items from" : "write the results to");
	if (!e.error && st->batcher) {
		/* ItemBatcher: each iteration gets {"Items": [...], "BatchInput"?: ...} */
		double bmax = 0, bbytes = 0;
		cJSON *binput = NULL;
		if (field_number(s, &st->batch_max, eff, 0, &bmax, &e) == 0 &&
		    field_number(s, &st->batch_bytes, eff, 0, &bbytes, &e) == 0 &&
		    (!st->batch_input || asl_tmpl_eval(st->batch_input, &d, &binput, &e) == 0)) {
			cJSON *batches = cJSON_CreateArray(), *cur = NULL;
			size_t cur_bytes = 0;
			int in_cur = 0;
			for (cJSON *it = items->child; it; it = it->next) {
				size_t sz = json_size(it);
				if (!cur || (bmax > 0 && in_cur >= (int)bmax) || (bbytes > 0 && cur_bytes + sz > (size_t)bbytes)) {
					cJSON *b = cJSON_CreateObject();
					if (binput)
						cJSON_AddItemToObject(b, "BatchInput", cJSON_Duplicate(binput, 1));
					cur = cJSON_AddArrayToObject(b, "Items");
					cJSON_AddItemToArray(batches, b);
					cur_bytes = 0;
					in_cur = 0;
				}
				cJSON_AddItemToArray(cur, cJSON_Duplicate(it, 1));
				cur_bytes += sz;
				in_cur++;
			}
			cJSON_Delete(items);
			items = batches;
		}
		cJSON_Delete(binput);
	}
	cJSON_Delete(ctx);
	double mc = 0, tc = -1, tp = -1;
	if (!e.error && field_number(s, &st->max_conc, eff, 0, &mc, &e) == 0 &&
	    field_number(s, &st->tol_count, eff, 0, &tc, &e) == 0 && field_number(s, &st->tol_pct, eff, 1, &tp, &e) == 0) {
		if (st->tol_count.set && tc < 0)
			asl_err_set(&e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL,
			            "ToleratedFailureCount cannot be negative.");
		else if (st->tol_pct.set && (tp < 0 || tp > 100))
			asl_err_set(&e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL,
			            "ToleratedFailurePercentage must be between 0 and 100.");
		else if (st->max_conc.set && mc < 0)
			asl_err_set(&e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL,
			            "MaxConcurrency cannot be negative.");
	}
	if (e.error) {
		cJSON_Delete(items);
		cJSON_Delete(eff);
		state_fail_early(s, &e);
		return;
	}
	cJSON_Delete(s->eff);
	s->eff = eff;
	int n = cJSON_GetArraySize(items);
	cJSON *md = cJSON_CreateObject();
	cJSON_AddNumberToObject(md, "length", n);
	asl_event(s, "MapStateStarted", md);
	if (st->distributed) {
		/* the iterations are child executions of a Map Run */
		engine_exec *x = s->x;
		cJSON *rd = cJSON_CreateObject();
		char uu[UUID_LEN];
		uuid_v4(&x->rng, uu);
		sb arn = SB_INIT;
		sb_printf(&arn, "arn:aws:states:%s:%s:mapRun:%s/%s:%s", x->env.region ? x->env.region : "us-east-1",
		          x->env.account ? x->env.account : "000000000000",
		          x->env.state_machine_name ? x->env.state_machine_name : "", st->label ? st->label : st->name, uu);
		cJSON_AddStringToObject(rd, "mapRunArn", sb_str(&arn));
		sb_free(&arn);
		asl_event(s, "MapRunStarted", rd);
	}
	asl_children_begin(s, n);
	cJSON_Delete(s->items);
	s->items = items;
	s->item_cur = items->child;
	s->max_conc = (int)mc;
	s->tol_count = st->tol_count.set ? tc : -1;
	s->tol_pct = st->tol_pct.set ? tp : -1;
	s->phase = PH_RESUME;
	asl_map_fill(s);
	asl_children_wait(s);
}

/* Start Map iterations up to MaxConcurrency. */
void asl_map_fill(asl_strand *s)
{
	const asl_state *st = s->st;
	int n = s->nkids;
	while (s->started < n && (s->max_conc <= 0 || s->running < s->max_conc) && !s->kid_err.error &&
	       !s->kid_failed_hard) {
		int i = s->started;
		const cJSON *item = s->item_cur;
		if (item)
			s->item_cur = item->next;
		cJSON *in = NULL;
		asl_err e = {0};
		if (st->parameters) {
			cJSON *ctx = asl_context(s, 0, item, i);
			asl_data d;
			asl_data_init(s, &d, s->eff, ctx);
			d.states_input = s->input;
			int rc = asl_tmpl_eval(st->parameters, &d, &in, &e);
			cJSON_Delete(ctx);
			if (rc) {
				prefix_cause(s, &e);
				asl_err_move(&s->kid_err, &e);
				s->kid_failed_hard = 1;
				return;
			}
		} else
			in = cJSON_Duplicate(item, 1);
		long id = s->prev_id;
		if (!st->distributed) {
			cJSON *md = cJSON_CreateObject();
			cJSON_AddStringToObject(md, "name", st->name);
			cJSON_AddNumberToObject(md, "index", i);
			id = asl_event(s, "MapIterationStarted", md);
		}
		asl_child_spawn(s, st->proc, i, in, id, st->distributed);
	}
}

/* Children finished (or one failed): the Parallel/Map outcome. */
static void resume_children(asl_strand *s)
{
	const asl_state *st = s->st;
	const char *pfx = st->type == ASL_Map ? "MapState" : "ParallelState";
	char ev[64];
	if (st->type == ASL_Map && st->distributed) {
		int failed = s->kid_err.error || s->kid_failed_hard || s->kid_failed_any;
		cJSON *d = NULL;
		if (failed) {
			d = cJSON_CreateObject();
			if (s->kid_err.error)
				cJSON_AddStringToObject(d, "error", s->kid_err.error);
			if (s->kid_err.cause)
				cJSON_AddStringToObject(d, "cause", s->kid_err.cause);
		}
		asl_event(s, failed ? "MapRunFailed" : "MapRunSucceeded", d);
	}
	if (s->kid_err.error || s->kid_failed_hard || s->kid_failed_any) {
		snprintf(ev, sizeof ev, "%sFailed", pfx);
		asl_event(s, ev, NULL);
		asl_err e = {0};
		asl_err_move(&e, &s->kid_err);
		asl_children_end(s);
		asl_state_error(s, &e);
		return;
	}
	snprintf(ev, sizeof ev, "%sSucceeded", pfx);
	asl_event(s, ev, NULL);
	cJSON *res = asl_kid_outputs_take(s);
	asl_children_end(s);
	if (st->type == ASL_Map) {
		cJSON_Delete(s->items);
		s->items = NULL;
	}
	state_result(s, res);
}

/* ======================================================================
 * Entry
 * ====================================================================== */

void asl_state_step(asl_strand *s)
{
	const asl_state *st = s->st;
	switch (s->phase) {
	case PH_ENTER: {
		if (s->hidden && s->child_root->child_nevents >= ASL_MAX_EVENTS - 2) {
			/* a Map Run's child execution has its own 25,000-event quota */
			asl_err e = {0};
			asl_err_set(&e, "States.Runtime", 0,
			            "The execution reached the maximum number of history events (25000).");
			asl_strand_fail(s, &e);
			return;
		}
		char *type = ev_type(st, "StateEntered");
		cJSON *d = details_io(st->name, "input", s->input);
		s->entered_id = asl_event(s, type, d);
		mem_free(type);
		s->entered_ms = asl_now(s);
		s->retry_count = 0;
		mem_free(s->attempts);
		s->attempts = st->nretry ? mem_calloc((size_t)st->nretry, sizeof *s->attempts) : NULL;
		s->phase = PH_ATTEMPT;
		return;
	}
	case PH_RETRY_WAIT: s->phase = PH_ATTEMPT; return;
	case PH_ATTEMPT:
		switch (st->type) {
		case ASL_Pass: run_pass(s); return;
		case ASL_Task: run_task(s); return;
		case ASL_Choice: run_choice(s); return;
		case ASL_Wait: run_wait(s); return;
		case ASL_Succeed: run_succeed(s); return;
		case ASL_Fail: run_fail(s); return;
		case ASL_Parallel: run_parallel(s); return;
		case ASL_Map: run_map(s); return;
		default: return;
		}
	case PH_RESUME:
		switch (st->type) {
		case ASL_Wait: resume_wait(s); return;
		case ASL_Task: asl_token_resume(s); return;
		case ASL_Parallel:
		case ASL_Map: resume_children(s); return;
		default: return;
		}
	default: return;
	}
}
