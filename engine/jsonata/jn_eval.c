/* jn_eval.c - the evaluator: the reference's evaluate() and its helpers, node by node. */
#include "engine/jsonata/jn_eval.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/mem.h"
#include "engine/jsonata/jn_int.h"

/* The recursive path (jn_eval -> eval_inner -> an evaluator -> jn_eval)
 * should cost as little C stack as possible per level: evaluators with big
 * frames stay out of line so that jn_eval's own frame stays small. */
#define JN_NOINLINE __attribute__((noinline))

/* ====================================================================== */
/* errors                                                                 */
/* ====================================================================== */

static const char *const code_names[] = {
#define JN_ERR(c, m) #c,
#include "engine/jsonata/jn_errors.def"
#undef JN_ERR
};

static const char *const code_msgs[] = {
#define JN_ERR(c, m) m,
#include "engine/jsonata/jn_errors.def"
#undef JN_ERR
};

const char *jn_code_name(jn_code c) { return code_names[c]; }

jn_value jn_error(jn_ctx *cx, jn_code code)
{
	jn_err *e = arena_calloc(cx->a, sizeof *e);
	e->code = code;
	e->pos = -1;
	jn_value v = {JN_ERROR, {.e = e}};
	return v;
}

jn_value jn_error_v(jn_ctx *cx, jn_code code, jn_value value)
{
	jn_value v = jn_error(cx, code);
	v.u.e->value = value;
	v.u.e->has_value = 1;
	return v;
}

/* give an error the operator's position and token (the reference's catch blocks) */
static jn_value at_op(jn_value err, const jn_node *n, const char *token)
{
	if (jn_is_err(err)) {
		err.u.e->pos = n->pos;
		err.u.e->token = token;
	}
	return err;
}

static void json_field(sb *out, jn_value v, int has)
{
	if (!has || jn_is_undef(v)) {
		sb_cat(out, "undefined");
		return;
	}
	if (jn_is_fn(v)) {
		sb_cat(out, "{}");
		return;
	}
	if (jn_is_num(v) && !isfinite(jn_num(v))) {
		sb_cat(out, "null");
		return;
	}
	jn_json_append(out, v, 0);
}

static void message_of(const jn_err *e, sb *out)
{
	if (e->message) {
		/* an explicit message ($error, $assert, the guards, pictures) */
		sb_cat(out, e->message);
		return;
	}
	const char *t = code_msgs[e->code];
	while (*t) {
		if (t[0] == '{' && t[1] == '{') {
			int raw = t[2] == '{';
			const char *f = t + (raw ? 3 : 2);
			const char *end = strstr(f, raw ? "}}}" : "}}");
			if (!end)
				break;
			size_t fl = (size_t)(end - f);
			char name[32];
			snprintf(name, sizeof name, "%.*s", (int)(fl < 31 ? fl : 31), f);
			if (!strcmp(name, "message")) {
				sb_cat(out, e->message ? e->message : "undefined");
			} else if (!strcmp(name, "functionName")) {
				sb_cat(out, e->fn_name ? e->fn_name : "undefined");
			} else if (!strcmp(name, "token")) {
				if (!e->token)
					sb_cat(out, "undefined");
				else if (raw)
					sb_cat(out, e->token);
				else
					jn_json_str(out, e->token, strlen(e->token));
			} else if (!strcmp(name, "value")) {
				if (raw && e->has_value && jn_is_str(e->value))
					sb_cat(out, jn_str(e->value));
				else
					json_field(out, e->value, e->has_value);
			} else if (!strcmp(name, "value2")) {
				json_field(out, e->value2, e->has_value2);
			} else if (!strcmp(name, "exp")) {
				json_field(out, e->exp, e->has_exp);
			} else if (!strcmp(name, "index")) {
				if (e->index)
					sb_printf(out, "%d", e->index);
				else
					sb_cat(out, "undefined");
			} else if (!strcmp(name, "type")) {
				if (e->type)
					jn_json_str(out, e->type, strlen(e->type));
				else
					sb_cat(out, "undefined");
			}
			t = end + (raw ? 3 : 2);
			continue;
		}
		sb_catc(out, *t++);
	}
}

static char *dup_str(const char *s) { return s ? mem_strdup(s) : NULL; }

void jn_error_export(arena *a, jn_value err, jsonata_error *pe)
{
	(void)a;
	const jn_err *e = err.u.e;
	jsonata_error_clear(pe);
	snprintf(pe->code, sizeof pe->code, "%s", code_names[e->code]);
	pe->position = e->pos;
	sb m = SB_INIT;
	message_of(e, &m);
	pe->message = sb_steal(&m);
	pe->token = dup_str(e->token);
	if (e->has_value && !jn_is_undef(e->value)) {
		sb v = SB_INIT;
		json_field(&v, e->value, 1);
		pe->value = sb_steal(&v);
	}
	pe->function_name = dup_str(e->fn_name);
}

/* ====================================================================== */
/* frames                                                                 */
/* ====================================================================== */

jn_frame *jn_frame_new(jn_ctx *cx, jn_frame *parent)
{
	jn_frame *f = arena_alloc(cx->a, sizeof *f);
	f->parent = parent;
	f->n = 0;
	f->cap = 4;
	f->names = f->inl_names;
	f->vals = f->inl_vals;
	return f;
}

void jn_frame_bind(jn_ctx *cx, jn_frame *f, const char *name, jn_value v)
{
	for (uint32_t i = 0; i < f->n; i++)
		if (f->names[i] == name || strcmp(f->names[i], name) == 0) {
			f->vals[i] = v;
			return;
		}
	if (f->n == f->cap) {
		uint32_t nc = f->cap * 2;
		const char **nn = arena_alloc(cx->a, sizeof(char *) * nc);
		jn_value *nv = arena_alloc(cx->a, sizeof(jn_value) * nc);
		memcpy(nn, f->names, sizeof(char *) * f->n);
		memcpy(nv, f->vals, sizeof(jn_value) * f->n);
		f->names = nn;
		f->vals = nv;
		f->cap = nc;
	}
	f->names[f->n] = name;
	f->vals[f->n] = v;
	f->n++;
}

static int frames_find(jn_frame *f, const char *name, jn_value *out)
{
	for (; f; f = f->parent)
		for (uint32_t i = 0; i < f->n; i++)
			if (f->names[i] == name || (f->names[i][0] == name[0] && strcmp(f->names[i], name) == 0)) {
				*out = f->vals[i];
				return 1;
			}
	return 0;
}

/* after the frames: the host's lookup callback (converted once, then bound
 * in the root frame), then the built-ins */
static int host_find(jn_ctx *cx, const char *name, jn_value *out)
{
	if (!cx->opts || !cx->opts->lookup)
		return 0;
	const cJSON *j = cx->opts->lookup(cx->opts->lookup_ctx, name);
	if (!j)
		return 0;
	*out = jn_from_cjson(cx->a, j, 1);
	jn_frame_bind(cx, cx->root, arena_strdup(cx->a, name), *out);
	return 1;
}

jn_value jn_frame_lookup(jn_ctx *cx, jn_frame *f, const char *name, int *found)
{
	jn_value v;
	*found = 1;
	if (frames_find(f, name, &v) || host_find(cx, name, &v))
		return v;
	const jn_builtin *b = jn_builtin_find(name, cx->flags);
	if (b)
		return jn_builtin_value(b);
	*found = 0;
	return jn_undefined();
}

/* ====================================================================== */
/* function values                                                        */
/* ====================================================================== */

jn_value jn_fn_new(jn_ctx *cx, jn_kind kind, jn_fnkind type)
{
	jn_fn *f = arena_calloc(cx->a, sizeof *f);
	f->type = type;
	jn_value v = {(uint8_t)kind, {.f = f}};
	return v;
}

int jn_fn_arity(jn_value f)
{
	return f.u.f->arity;
}

/* ====================================================================== */
/* guards                                                                 */
/* ====================================================================== */

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static jn_value guard_error(jn_ctx *cx, const char *msg)
{
	jn_value e = jn_error(cx, JN_E_U1001);
	e.u.e->message = msg;
	return e;
}

static const char msg_depth[] =
	"Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.";
static const char msg_time[] = "Expression evaluation timeout: Check for infinite loop";

static jn_value check_guards(jn_ctx *cx)
{
	if (cx->depth > cx->max_depth)
		return guard_error(cx, msg_depth);
	char probe;
	if ((uintptr_t)&probe < cx->stack_limit)
		return guard_error(cx, msg_depth);
	if (cx->timeout_ms > 0 && (++cx->ticks & 255) == 0 && mono_ms() - cx->t0_ms > cx->timeout_ms)
		return guard_error(cx, msg_time);
	return jn_undefined();
}

/* ====================================================================== */
/* shared helpers (the reference's functions.js pieces the evaluator uses) */
/* ====================================================================== */

int jn_is_numeric(jn_ctx *cx, jn_value v, jn_value *err)
{
	if (!jn_is_num(v))
		return 0;
	double d = jn_num(v);
	if (isnan(d))
		return 0;
	if (isinf(d)) {
		if (err)
			*err = jn_error_v(cx, JN_E_D1001, v);
		return -1;
	}
	return 1;
}

int jn_boolean(jn_value v)
{
	switch (jn_kind_of(v)) {
	case JN_UNDEFINED:
		return -1;
	case JN_ARRAY: {
		uint32_t n = jn_arr_len(v);
		if (jn_stack_exhausted())
			return 0;
		if (n == 1)
			return jn_boolean(jn_arr_get(v, 0)) == 1;
		for (uint32_t i = 0; i < n; i++)
			if (jn_boolean(jn_arr_get(v, i)) == 1)
				return 1;
		return 0;
	}
	case JN_STRING:
		return jn_str_len(v) > 0;
	case JN_NUMBER:
		return !isnan(jn_num(v)) && jn_num(v) != 0;
	case JN_OBJECT:
		return jn_obj_len(v) > 0;
	case JN_BOOL:
		return jn_truth(v);
	default:
		return 0;
	}
}

jn_value jn_append(jn_ctx *cx, jn_value a, jn_value b)
{
	if (jn_is_undef(a))
		return b;
	if (jn_is_undef(b))
		return a;
	uint32_t na = jn_is_arr(a) ? jn_arr_len(a) : 1, nb = jn_is_arr(b) ? jn_arr_len(b) : 1;
	jn_value r = jn_array(cx->a, na + nb, 0);
	if (jn_is_arr(a))
		jn_arr_push_all(cx->a, r, a);
	else
		jn_arr_push(cx->a, r, a);
	if (jn_is_arr(b))
		jn_arr_push_all(cx->a, r, b);
	else
		jn_arr_push(cx->a, r, b);
	return r;
}

jn_value jn_lookup(jn_ctx *cx, jn_value input, jn_text *key)
{
	if (jn_is_arr(input)) {
		if (jn_stack_exhausted())
			return jn_error(cx, JN_E_U1002);
		jn_value r = jn_seq(cx->a);
		uint32_t n = jn_arr_len(input);
		for (uint32_t i = 0; i < n; i++) {
			jn_value res = jn_lookup(cx, jn_arr_get(input, i), key);
			JN_TRY(res);
			if (jn_is_undef(res))
				continue;
			if (jn_is_arr(res))
				jn_arr_push_all(cx->a, r, res);
			else
				jn_arr_push(cx->a, r, res);
		}
		return r;
	}
	if (jn_is_obj(input))
		return jn_obj_get_s(input, key);
	return jn_undefined();
}

jn_value jn_stringify(jn_ctx *cx, jn_value v, int pretty)
{
	if (jn_is_undef(v))
		return v;
	if (jn_is_str(v))
		return v;
	if (jn_is_fn(v))
		return jn_string_n(cx->a, "", 0);
	if (jn_is_num(v) && !isfinite(jn_num(v)))
		return jn_error_v(cx, JN_E_D3001, v);
	if (jn_is_num(v) && !pretty) {
		char nb[32];
		jn_num_js(jn_num_prec15(jn_num(v)), nb);
		return jn_string(cx->a, nb);
	}
	if (jn_is_arr(v) && (jn_arr_flags_of(v) & JN_OUTER) && jn_arr_len(v) > 0)
		v = jn_arr_get(v, 0);
	sb b = SB_INIT;
	int r = jn_json_append(&b, v, JN_JSON_PREC15 | (pretty ? JN_JSON_PRETTY : 0));
	if (r < 0) {
		sb_free(&b);
		return jn_error(cx, r == -2 ? JN_E_U1002 : JN_E_D1001);
	}
	return jn_sb_value(cx, &b);
}

jn_value jn_sb_value(jn_ctx *cx, sb *b)
{
	jn_value v = jn_string_n(cx->a, b->buf ? b->buf : "", b->len);
	sb_free(b);
	return v;
}

size_t jn_utf16_to_byte(const char *s, size_t len, double idx)
{
	if (!(idx > 0))
		return 0;
	size_t u = 0, i = 0;
	while (i < len && (double)u < idx) {
		unsigned char c = (unsigned char)s[i];
		size_t l = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		u += l == 4 ? 2 : 1;
		i += l;
	}
	return i > len ? len : i;
}

/* the reference's merge sort: same splits, same comparison order */
static jn_value msort(jn_ctx *cx, jn_value *items, uint32_t n, jn_value *tmp, jn_cmp_fn cmp, void *ud)
{
	if (n <= 1)
		return jn_undefined();
	uint32_t mid = n / 2;
	jn_value e = msort(cx, items, mid, tmp, cmp, ud);
	JN_TRY(e);
	e = msort(cx, items + mid, n - mid, tmp, cmp, ud);
	JN_TRY(e);
	uint32_t i = 0, j = mid, k = 0;
	while (i < mid && j < n) {
		jn_value err = jn_undefined();
		int swap = cmp(ud, items[i], items[j], &err);
		if (swap < 0)
			return err;
		tmp[k++] = swap ? items[j++] : items[i++];
	}
	while (i < mid)
		tmp[k++] = items[i++];
	while (j < n)
		tmp[k++] = items[j++];
	memcpy(items, tmp, sizeof(jn_value) * n);
	return jn_undefined();
}

jn_value jn_sort_values(jn_ctx *cx, jn_value arr, jn_cmp_fn cmp, void *ud)
{
	uint32_t n = jn_arr_len(arr);
	if (n <= 1)
		return arr;
	jn_value r = jn_array(cx->a, n, 0);
	jn_arr_push_all(cx->a, r, arr);
	jn_value *tmp = arena_alloc(cx->a, sizeof(jn_value) * n);
	jn_value e = msort(cx, jn_arrp(r)->items, n, tmp, cmp, ud);
	JN_TRY(e);
	return r;
}

double jn_random(jn_ctx *cx)
{
	if (!cx->rng_ready) {
		if (cx->opts && cx->opts->seed)
			rng_seed(&cx->rng, cx->opts->seed);
		else
			rng_seed_system(&cx->rng);
		cx->rng_ready = 1;
	}
	return rng_double(&cx->rng);
}

/* JavaScript truthiness (for the reference's `if (lookup(...))`) */
static int js_truthy(jn_value v)
{
	switch (jn_kind_of(v)) {
	case JN_UNDEFINED:
	case JN_NULL:
		return 0;
	case JN_BOOL:
		return jn_truth(v);
	case JN_NUMBER:
		return jn_num(v) != 0 && !isnan(jn_num(v));
	case JN_STRING:
		return jn_str_len(v) > 0;
	default:
		return 1;
	}
}

/* ====================================================================== */
/* evaluate                                                               */
/* ====================================================================== */

static jn_value eval_inner(jn_ctx *cx, const jn_node *n, jn_value input, jn_frame *env);
static JN_NOINLINE jn_value eval_filter(jn_ctx *cx, const jn_node *pred, jn_value input, jn_frame *env);
static jn_value eval_group(jn_ctx *cx, const jn_group *g, jn_value input, jn_frame *env);
static JN_NOINLINE jn_value eval_function(jn_ctx *cx, const jn_node *n, jn_value input, jn_frame *env, const jn_value *applyto);

jn_value jn_eval(jn_ctx *cx, const jn_node *n, jn_value input, jn_frame *env)
{
	cx->depth++;
	jn_value g = check_guards(cx);
	if (jn_is_err(g)) {
		cx->depth--;
		return g;
	}
	jn_value r = eval_inner(cx, n, input, env);
	if (jn_is_err(r))
		goto out;
	for (int i = 0; i < n->npredicate; i++) {
		r = eval_filter(cx, n->predicate[i].expr, r, env);
		if (jn_is_err(r))
			goto out;
	}
	if (n->type != JN_AST_PATH && n->group) {
		r = eval_group(cx, n->group, r, env);
		if (jn_is_err(r))
			goto out;
	}
	g = check_guards(cx);
	if (jn_is_err(g)) {
		r = g;
		goto out;
	}
	if (jn_is_arr(r) && (jn_arrp(r)->flags & (JN_SEQ | JN_TUPLES)) == JN_SEQ) {
		if (n->keep_array)
			jn_arrp(r)->flags |= JN_KEEP;
		uint32_t len = jn_arr_len(r);
		if (len == 0)
			r = jn_undefined();
		else if (len == 1 && !(jn_arrp(r)->flags & JN_KEEP))
			r = jn_arr_get(r, 0);
	}
out:
	cx->depth--;
	return r;
}

/* ---- paths -------------------------------------------------------------- */

static jn_frame *frame_from_tuple(jn_ctx *cx, jn_frame *env, jn_value t)
{
	jn_frame *f = jn_frame_new(cx, env);
	jn_tuple *tp = t.u.t;
	for (uint32_t i = 0; i < tp->n; i++)
		jn_frame_bind(cx, f, tp->names[i], tp->vals[i]);
	return f;
}

static JN_NOINLINE jn_value eval_sort(jn_ctx *cx, const jn_node *n, jn_value input, jn_frame *env);

static JN_NOINLINE jn_value eval_stages(jn_ctx *cx, const jn_node *step, jn_value input, jn_frame *env)
{
	jn_value r = input;
	for (int s = 0; s < step->nstages; s++) {
		const jn_stage *st = &step->stages[s];
		if (st->type == JN_STAGE_FILTER) {
			r = eval_filter(cx, st->expr, r, env);
			JN_TRY(r);
		} else if (jn_is_arr(r)) {
			for (uint32_t i = 0; i < jn_arr_len(r); i++) {
				jn_value t = jn_arr_get(r, i);
				if (t.kind == JN_TUPLE)
					jn_tuple_bind(cx->a, t, st->name, jn_number(i));
			}
		}
	}
	return r;
}

static JN_NOINLINE jn_value eval_step(jn_ctx *cx, const jn_node *step, jn_value input, jn_frame *env, int last)
{
	if (step->type == JN_AST_SORT) {
		jn_value r = eval_sort(cx, step, input, env);
		JN_TRY(r);
		if (step->nstages)
			r = eval_stages(cx, step, r, env);
		return r;
	}
	uint32_t n = jn_arr_len(input);
	jn_value result = jn_array(cx->a, n, JN_SEQ);
	for (uint32_t i = 0; i < n; i++) {
		jn_value res = jn_eval(cx, step, jn_arr_get(input, i), env);
		JN_TRY(res);
		for (int s = 0; s < step->nstages; s++) {
			res = eval_filter(cx, step->stages[s].expr, res, env);
			JN_TRY(res);
		}
		if (!jn_is_undef(res))
			jn_arr_push(cx->a, result, res);
	}
	jn_arr *ra = jn_arrp(result);
	if (last && ra->len == 1 && jn_is_arr(ra->items[0]) && !(jn_arrp(ra->items[0])->flags & JN_SEQ))
		return ra->items[0];
	/* flatten: arrays (except constructed ones) spill their items */
	int flat = 1;
	for (uint32_t i = 0; i < ra->len; i++)
		if (jn_is_arr(ra->items[i]) && !(jn_arrp(ra->items[i])->flags & JN_CONS)) {
			flat = 0;
			break;
		}
	if (flat)
		return result;
	jn_value out = jn_array(cx->a, ra->len, JN_SEQ);
	for (uint32_t i = 0; i < ra->len; i++) {
		jn_value res = ra->items[i];
		if (!jn_is_arr(res) || (jn_arrp(res)->flags & JN_CONS))
			jn_arr_push(cx->a, out, res);
		else
			jn_arr_push_all(cx->a, out, res);
	}
	return out;
}

static JN_NOINLINE jn_value eval_tuple_step(jn_ctx *cx, const jn_node *step, jn_value input, jn_value tuples, jn_frame *env)
{
	jn_value result;
	if (step->type == JN_AST_SORT) {
		if (!jn_is_undef(tuples)) {
			result = eval_sort(cx, step, tuples, env);
			JN_TRY(result);
		} else {
			jn_value sorted = eval_sort(cx, step, input, env);
			JN_TRY(sorted);
			result = jn_array(cx->a, jn_arr_len(sorted), JN_SEQ | JN_TUPLES);
			for (uint32_t i = 0; i < jn_arr_len(sorted); i++) {
				jn_value t = jn_tuple_new(cx->a, jn_arr_get(sorted, i));
				if (step->index)
					jn_tuple_bind(cx->a, t, step->index, jn_number(i));
				jn_arr_push(cx->a, result, t);
			}
		}
		if (step->nstages)
			result = eval_stages(cx, step, result, env);
		return result;
	}
	if (jn_is_undef(tuples)) {
		uint32_t n = jn_arr_len(input);
		tuples = jn_array(cx->a, n, 0);
		for (uint32_t i = 0; i < n; i++)
			jn_arr_push(cx->a, tuples, jn_tuple_new(cx->a, jn_arr_get(input, i)));
	}
	result = jn_array(cx->a, jn_arr_len(tuples), JN_SEQ | JN_TUPLES);
	for (uint32_t e = 0; e < jn_arr_len(tuples); e++) {
		jn_value te = jn_arr_get(tuples, e);
		jn_frame *senv = frame_from_tuple(cx, env, te);
		jn_value res = jn_eval(cx, step, te.u.t->at, senv);
		JN_TRY(res);
		if (jn_is_undef(res))
			continue;
		int is_tuples = jn_is_arr(res) && (jn_arrp(res)->flags & JN_TUPLES);
		uint32_t cnt = jn_is_arr(res) ? jn_arr_len(res) : 1;
		for (uint32_t b = 0; b < cnt; b++) {
			jn_value item = jn_is_arr(res) ? jn_arr_get(res, b) : res;
			jn_value t = jn_tuple_copy(cx->a, te);
			if (is_tuples && item.kind == JN_TUPLE) {
				jn_tuple *src = item.u.t;
				t.u.t->at = src->at;
				for (uint32_t k = 0; k < src->n; k++)
					jn_tuple_bind(cx->a, t, src->names[k], src->vals[k]);
			} else {
				if (step->focus) {
					jn_tuple_bind(cx->a, t, step->focus, item);
					t.u.t->at = te.u.t->at;
				} else {
					t.u.t->at = item;
				}
				if (step->index)
					jn_tuple_bind(cx->a, t, step->index, jn_number(b));
				if (step->ancestor)
					jn_tuple_bind(cx->a, t, step->ancestor->label, te.u.t->at);
			}
			jn_arr_push(cx->a, result, t);
		}
	}
	if (step->nstages)
		result = eval_stages(cx, step, result, env);
	return result;
}

static JN_NOINLINE jn_value eval_path(jn_ctx *cx, const jn_node *n, jn_value input, jn_frame *env)
{
	jn_value inseq;
	if (jn_is_arr(input) && n->list[0]->type != JN_AST_VARIABLE)
		inseq = input;
	else
		inseq = jn_seq1(cx->a, input);
	jn_value rseq = jn_undefined(), tuples = jn_undefined();
	int is_tuple = 0;
	for (int i = 0; i < n->nlist; i++) {
		const jn_node *step = n->list[i];
		if (step->tuple)
			is_tuple = 1;
		if (i == 0 && step->cons_array) {
			rseq = jn_eval(cx, step, inseq, env);
		} else if (is_tuple) {
			tuples = eval_tuple_step(cx, step, inseq, tuples, env);
			JN_TRY(tuples);
		} else {
			rseq = eval_step(cx, step, inseq, env, i == n->nlist - 1);
		}
		JN_TRY(rseq);
		if (!is_tuple && (jn_is_undef(rseq) || (jn_is_arr(rseq) && jn_arr_len(rseq) == 0)))
			break;
		if (!step->focus)
			inseq = rseq;
	}
	if (is_tuple) {
		if (n->tuple) {
			rseq = tuples;
		} else {
			uint32_t cnt = jn_is_arr(tuples) ? jn_arr_len(tuples) : 0;
			rseq = jn_array(cx->a, cnt, JN_SEQ);
			for (uint32_t i = 0; i < cnt; i++) {
				jn_value t = jn_arr_get(tuples, i);
				jn_arr_push(cx->a, rseq, t.kind == JN_TUPLE ? t.u.t->at : t);
			}
		}
	}
	if (n->keep_singleton && !jn_is_undef(rseq)) {
		if (jn_is_arr(rseq) && (jn_arrp(rseq)->flags & JN_CONS) && !(jn_arrp(rseq)->flags & JN_SEQ))
			rseq = jn_seq1(cx->a, rseq);
		if (jn_is_arr(rseq) && (jn_arrp(rseq)->flags & JN_SEQ))
			jn_arrp(rseq)->flags |= JN_KEEP;
	}
	if (n->group)
		rseq = eval_group(cx, n->group, is_tuple ? tuples : rseq, env);
	return rseq;
}

/* ---- predicates ----------------------------------------------------------- */

static int arr_of_numbers(jn_ctx *cx, jn_value v, jn_value *err)
{
	if (!jn_is_arr(v))
		return 0;
	for (uint32_t i = 0; i < jn_arr_len(v); i++) {
		int r = jn_is_numeric(cx, jn_arr_get(v, i), err);
		if (r < 0)
			return -1;
		if (!r)
			return 0;
	}
	return 1;
}

static JN_NOINLINE jn_value eval_filter(jn_ctx *cx, const jn_node *pred, jn_value input, jn_frame *env)
{
	uint32_t flags = JN_SEQ;
	if (jn_is_arr(input) && (jn_arrp(input)->flags & JN_TUPLES))
		flags |= JN_TUPLES;
	jn_value results = jn_array(cx->a, 0, flags);
	if (!jn_is_arr(input))
		input = jn_seq1(cx->a, input);
	uint32_t len = jn_arr_len(input);
	if (pred->type == JN_AST_NUMBER) {
		double idx = floor(jn_num(pred->val));
		if (idx < 0)
			idx = (double)len + idx;
		if (idx >= 0 && idx < (double)len) {
			jn_value item = jn_arr_get(input, (uint32_t)idx);
			if (jn_is_arr(item))
				return item;
			if (!jn_is_undef(item))
				jn_arr_push(cx->a, results, item);
		}
		return results;
	}
	int tuples = (jn_arrp(input)->flags & JN_TUPLES) != 0;
	for (uint32_t i = 0; i < len; i++) {
		jn_value item = jn_arr_get(input, i), context = item;
		jn_frame *fenv = env;
		if (tuples && item.kind == JN_TUPLE) {
			context = item.u.t->at;
			fenv = frame_from_tuple(cx, env, item);
		}
		jn_value res = jn_eval(cx, pred, context, fenv);
		JN_TRY(res);
		jn_value err;
		int num = jn_is_numeric(cx, res, &err);
		if (num < 0)
			return err;
		if (num) {
			double ii = floor(jn_num(res));
			if (ii < 0)
				ii = (double)len + ii;
			if (ii == (double)i)
				jn_arr_push(cx->a, results, item);
			continue;
		}
		int an = arr_of_numbers(cx, res, &err);
		if (an < 0)
			return err;
		if (an) {
			for (uint32_t k = 0; k < jn_arr_len(res); k++) {
				double ii = floor(jn_num(jn_arr_get(res, k)));
				if (ii < 0)
					ii = (double)len + ii;
				if (ii == (double)i)
					jn_arr_push(cx->a, results, item);
			}
		} else if (jn_boolean(res) == 1) {
			jn_arr_push(cx->a, results, item);
		}
	}
	return results;
}

/* ---- names, wildcards, descendants ------------------------------------- */

static jn_value flatten_into(jn_ctx *cx, jn_value out, jn_value v)
{
	if (jn_is_arr(v)) {
		if (jn_stack_exhausted())
			return jn_error(cx, JN_E_U1002);
		for (uint32_t i = 0; i < jn_arr_len(v); i++) {
			jn_value r = flatten_into(cx, out, jn_arr_get(v, i));
			JN_TRY(r);
		}
	} else {
		jn_arr_push(cx->a, out, v);
	}
	return out;
}

static JN_NOINLINE jn_value eval_wildcard(jn_ctx *cx, jn_value input)
{
	jn_value results = jn_seq(cx->a);
	if (jn_is_arr(input) && (jn_arrp(input)->flags & JN_OUTER) && jn_arr_len(input) > 0)
		input = jn_arr_get(input, 0);
	if (jn_is_obj(input)) {
		for (uint32_t i = 0; i < jn_obj_len(input); i++) {
			jn_value v = jn_obj_val_at(input, i);
			if (jn_is_arr(v)) {
				jn_value flat = flatten_into(cx, jn_array(cx->a, 0, 0), v);
				JN_TRY(flat);
				results = jn_append(cx, results, flat);
			} else {
				jn_arr_push(cx->a, results, v);
			}
		}
	} else if (jn_is_arr(input)) {
		/* the reference walks an array's own keys too: its items */
		for (uint32_t i = 0; i < jn_arr_len(input); i++) {
			jn_value v = jn_arr_get(input, i);
			if (jn_is_arr(v)) {
				jn_value flat = flatten_into(cx, jn_array(cx->a, 0, 0), v);
				JN_TRY(flat);
				results = jn_append(cx, results, flat);
			} else {
				jn_arr_push(cx->a, results, v);
			}
		}
	}
	return results;
}

static int descend(jn_ctx *cx, jn_value input, jn_value out)
{
	if (jn_stack_exhausted())
		return -1;
	if (!jn_is_arr(input))
		jn_arr_push(cx->a, out, input);
	if (jn_is_arr(input)) {
		for (uint32_t i = 0; i < jn_arr_len(input); i++)
			if (descend(cx, jn_arr_get(input, i), out) < 0)
				return -1;
	} else if (jn_is_obj(input)) {
		for (uint32_t i = 0; i < jn_obj_len(input); i++)
			if (descend(cx, jn_obj_val_at(input, i), out) < 0)
				return -1;
	}
	return 0;
}

static JN_NOINLINE jn_value eval_descendants(jn_ctx *cx, jn_value input)
{
	if (jn_is_undef(input))
		return input;
	jn_value r = jn_seq(cx->a);
	if (descend(cx, input, r) < 0)
		return jn_error(cx, JN_E_U1002);
	if (jn_arr_len(r) == 1)
		return jn_arr_get(r, 0);
	return r;
}

/* ---- operators ---------------------------------------------------------- */

static jn_value eval_numeric(jn_ctx *cx, const jn_node *n, jn_value l, jn_value r)
{
	jn_value err;
	int ln = jn_is_numeric(cx, l, &err);
	if (ln < 0)
		return at_op(err, n, n->opstr);
	if (!jn_is_undef(l) && !ln)
		return at_op(jn_error_v(cx, JN_E_T2001, l), n, n->opstr);
	int rn = jn_is_numeric(cx, r, &err);
	if (rn < 0)
		return at_op(err, n, n->opstr);
	if (!jn_is_undef(r) && !rn)
		return at_op(jn_error_v(cx, JN_E_T2002, r), n, n->opstr);
	if (jn_is_undef(l) || jn_is_undef(r))
		return jn_undefined();
	double a = jn_num(l), b = jn_num(r);
	switch (n->op) {
	case JN_OP_ADD: return jn_number(a + b);
	case JN_OP_SUB: return jn_number(a - b);
	case JN_OP_MUL: return jn_number(a * b);
	case JN_OP_DIV: return jn_number(a / b);
	default: return jn_number(fmod(a, b));
	}
}

static int cmp_str(jn_value a, jn_value b) { return jn_str_cmp(jn_strp(a), jn_strp(b)); }

static jn_value eval_comparison(jn_ctx *cx, const jn_node *n, jn_value l, jn_value r)
{
	int lc = jn_is_undef(l) || jn_is_str(l) || jn_is_num(l);
	int rc = jn_is_undef(r) || jn_is_str(r) || jn_is_num(r);
	if (!lc || !rc) {
		jn_value bad = !(jn_is_str(l) || jn_is_num(l)) ? l : r;
		return at_op(jn_error_v(cx, JN_E_T2010, bad), n, n->opstr);
	}
	if (jn_is_undef(l) || jn_is_undef(r))
		return jn_undefined();
	if (l.kind != r.kind) {
		jn_value e = jn_error_v(cx, JN_E_T2009, l);
		e.u.e->value2 = r;
		e.u.e->has_value2 = 1;
		return at_op(e, n, n->opstr);
	}
	int res;
	if (jn_is_num(l)) {
		double a = jn_num(l), b = jn_num(r);
		switch (n->op) {
		case JN_OP_LT: res = a < b; break;
		case JN_OP_LE: res = a <= b; break;
		case JN_OP_GT: res = a > b; break;
		default: res = a >= b; break;
		}
	} else {
		int c = cmp_str(l, r);
		switch (n->op) {
		case JN_OP_LT: res = c < 0; break;
		case JN_OP_LE: res = c <= 0; break;
		case JN_OP_GT: res = c > 0; break;
		default: res = c >= 0; break;
		}
	}
	return jn_bool(res);
}

/* JavaScript's === (identity for objects, arrays and functions) */
static int strict_equal(jn_value a, jn_value b)
{
	if (a.kind != b.kind)
		return 0;
	switch (jn_kind_of(a)) {
	case JN_UNDEFINED:
	case JN_NULL:
		return 1;
	case JN_BOOL:
		return a.u.b == b.u.b;
	case JN_NUMBER:
		return a.u.n == b.u.n;
	case JN_STRING:
		return jn_str_eq(a.u.s, b.u.s);
	default:
		return a.u.f == b.u.f;
	}
}

static jn_value eval_range(jn_ctx *cx, const jn_node *n, jn_value l, jn_value r)
{
	if (!jn_is_undef(l) && (!jn_is_num(l) || jn_num(l) != trunc(jn_num(l)) || !isfinite(jn_num(l))))
		return at_op(jn_error_v(cx, JN_E_T2003, l), n, "..");
	if (!jn_is_undef(r) && (!jn_is_num(r) || jn_num(r) != trunc(jn_num(r)) || !isfinite(jn_num(r))))
		return at_op(jn_error_v(cx, JN_E_T2004, r), n, "..");
	if (jn_is_undef(l) || jn_is_undef(r))
		return jn_undefined();
	double a = jn_num(l), b = jn_num(r);
	if (a > b)
		return jn_undefined();
	double size = b - a + 1;
	if (size > 1e7)
		return at_op(jn_error_v(cx, JN_E_D2014, jn_number(size)), n, "..");
	uint32_t cnt = (uint32_t)size;
	jn_value res = jn_array(cx->a, cnt, JN_SEQ);
	jn_value *it = jn_arrp(res)->items;
	for (uint32_t i = 0; i < cnt; i++) {
		it[i] = jn_number(a + i);
		if ((i & 0xFFFF) == 0xFFFF && cx->timeout_ms > 0 && mono_ms() - cx->t0_ms > cx->timeout_ms)
			return guard_error(cx, msg_time);
	}
	jn_arrp(res)->len = cnt;
	return res;
}

static JN_NOINLINE jn_value eval_binary(jn_ctx *cx, const jn_node *n, jn_value input, jn_frame *env)
{
	jn_value l = jn_eval(cx, n->lhs, input, env);
	JN_TRY(l);
	if (n->op == JN_OP_AND || n->op == JN_OP_OR) {
		int lb = jn_boolean(l) == 1;
		if (n->op == JN_OP_AND && !lb)
			return jn_bool(0);
		if (n->op == JN_OP_OR && lb)
			return jn_bool(1);
		jn_value r = jn_eval(cx, n->rhs, input, env);
		JN_TRY(r);
		return jn_bool(jn_boolean(r) == 1);
	}
	jn_value r = jn_eval(cx, n->rhs, input, env);
	JN_TRY(r);
	switch (n->op) {
	case JN_OP_ADD:
	case JN_OP_SUB:
	case JN_OP_MUL:
	case JN_OP_DIV:
	case JN_OP_MOD:
		return eval_numeric(cx, n, l, r);
	case JN_OP_EQ:
	case JN_OP_NE:
		if (jn_is_undef(l) || jn_is_undef(r))
			return jn_bool(0);
		return jn_bool(jn_deep_equal(l, r) ^ (n->op == JN_OP_NE));
	case JN_OP_LT:
	case JN_OP_LE:
	case JN_OP_GT:
	case JN_OP_GE:
		return eval_comparison(cx, n, l, r);
	case JN_OP_CONCAT: {
		sb b = SB_INIT;
		jn_value ls = jn_stringify(cx, l, 0);
		if (jn_is_err(ls))
			return at_op(ls, n, "&");
		jn_value rs = jn_stringify(cx, r, 0);
		if (jn_is_err(rs))
			return at_op(rs, n, "&");
		if (!jn_is_undef(ls))
			sb_catn(&b, jn_str(ls), jn_str_len(ls));
		if (!jn_is_undef(rs))
			sb_catn(&b, jn_str(rs), jn_str_len(rs));
		return jn_sb_value(cx, &b);
	}
	case JN_OP_RANGE:
		return eval_range(cx, n, l, r);
	case JN_OP_IN: {
		if (jn_is_undef(l) || jn_is_undef(r))
			return jn_bool(0);
		if (!jn_is_arr(r))
			return jn_bool(strict_equal(r, l));
		for (uint32_t i = 0; i < jn_arr_len(r); i++)
			if (strict_equal(jn_arr_get(r, i), l))
				return jn_bool(1);
		return jn_bool(0);
	}
	default:
		return jn_undefined();
	}
}

/* ---- unary: negation, array and object constructors ---------------------- */

static JN_NOINLINE jn_value eval_group_pairs(jn_ctx *cx, jn_node *const *keys, jn_node *const *vals, int npairs, int pos,
                                 jn_value input, jn_frame *env);

static JN_NOINLINE jn_value eval_unary(jn_ctx *cx, const jn_node *n, jn_value input, jn_frame *env)
{
	switch (n->op) {
	case JN_OP_NEG: {
		jn_value r = jn_eval(cx, n->expr, input, env);
		JN_TRY(r);
		if (jn_is_undef(r))
			return r;
		jn_value err;
		int num = jn_is_numeric(cx, r, &err);
		if (num < 0)
			return err;
		if (num)
			return jn_number(-jn_num(r));
		jn_value e = jn_error_v(cx, JN_E_D1002, r);
		e.u.e->pos = n->pos;
		e.u.e->token = "-";
		return e;
	}
	case JN_OP_ARRAY: {
		jn_value result = jn_array(cx->a, (uint32_t)n->nlist, 0);
		for (int i = 0; i < n->nlist; i++) {
			const jn_node *item = n->list[i];
			jn_value v = jn_eval(cx, item, input, env);
			JN_TRY(v);
			if (jn_is_undef(v))
				continue;
			if (item->type == JN_AST_UNARY && item->op == JN_OP_ARRAY)
				jn_arr_push(cx->a, result, v);
			else if (jn_is_arr(v) && jn_arr_len(result) == 0 && jn_arr_len(v) > 64)
				result = jn_arr_view(cx->a, v, 0); /* a later push copies, never writes into v */
			else if (jn_is_arr(v))
				jn_arr_push_all(cx->a, result, v);
			else
				jn_arr_push(cx->a, result, v);
		}
		if (n->cons_array)
			jn_arrp(result)->flags |= JN_CONS;
		return result;
	}
	case JN_OP_OBJECT:
		return eval_group_pairs(cx, n->list, n->vals, n->nlist, n->pos, input, env);
	default:
		return jn_undefined();
	}
}

/* ---- grouping and object construction ------------------------------------- */

static jn_value reduce_tuples(jn_ctx *cx, jn_value stream)
{
	if (!jn_is_arr(stream))
		return stream;
	uint32_t n = jn_arr_len(stream);
	if (n == 0)
		return jn_tuple_new(cx->a, jn_undefined());
	jn_value r = jn_tuple_copy(cx->a, jn_arr_get(stream, 0));
	for (uint32_t i = 1; i < n; i++) {
		jn_tuple *t = jn_arr_get(stream, i).u.t;
		r.u.t->at = jn_append(cx, r.u.t->at, t->at);
		for (uint32_t k = 0; k < t->n; k++)
			jn_tuple_bind(cx->a, r, t->names[k], jn_append(cx, jn_tuple_get(r, t->names[k]), t->vals[k]));
	}
	return r;
}

typedef struct group_entry {
	jn_text *key;
	jn_value data;
	int expr_index;
} group_entry;

static JN_NOINLINE jn_value eval_group_pairs(jn_ctx *cx, jn_node *const *keys, jn_node *const *vals, int npairs, int pos,
                                 jn_value input, jn_frame *env)
{
	int reduce = jn_is_arr(input) && (jn_arrp(input)->flags & JN_TUPLES);
	if (!jn_is_arr(input))
		input = jn_seq1(cx->a, input);
	uint32_t len = jn_arr_len(input);
	int empty = len == 0 && !reduce;
	if (empty)
		len = 1;
	/* groups keep first-seen order; a temporary object indexes them by key */
	jn_value index = jn_object(cx->a, 0);
	group_entry *groups = NULL;
	uint32_t ng = 0, capg = 0;
	for (uint32_t i = 0; i < len; i++) {
		jn_value item = empty ? jn_undefined() : jn_arr_get(input, i);
		jn_frame *genv = reduce ? frame_from_tuple(cx, env, item) : env;
		jn_value ctx = reduce ? item.u.t->at : item;
		for (int p = 0; p < npairs; p++) {
			jn_value key = jn_eval(cx, keys[p], ctx, genv);
			JN_TRY(key);
			if (!jn_is_str(key) && !jn_is_undef(key)) {
				jn_value e = jn_error_v(cx, JN_E_T1003, key);
				e.u.e->pos = pos;
				return e;
			}
			if (jn_is_undef(key))
				continue;
			jn_value slot = jn_obj_get_s(index, jn_strp(key));
			if (!jn_is_undef(slot)) {
				group_entry *g = &groups[(uint32_t)jn_num(slot)];
				if (g->expr_index != p) {
					jn_value e = jn_error_v(cx, JN_E_D1009, key);
					e.u.e->pos = pos;
					return e;
				}
				g->data = jn_append(cx, g->data, item);
			} else {
				if (ng == capg) {
					uint32_t nc = capg ? capg * 2 : 8;
					groups = arena_realloc(cx->a, groups, sizeof(group_entry) * capg, sizeof(group_entry) * nc);
					capg = nc;
				}
				groups[ng].key = jn_strp(key);
				groups[ng].data = item;
				groups[ng].expr_index = p;
				jn_obj_set(cx->a, index, jn_strp(key), jn_number(ng));
				ng++;
			}
		}
	}
	jn_value result = jn_object(cx->a, ng);
	for (uint32_t g = 0; g < ng; g++) {
		jn_value context = groups[g].data;
		jn_frame *venv = env;
		if (reduce) {
			jn_value t = reduce_tuples(cx, groups[g].data);
			context = t.u.t->at;
			venv = frame_from_tuple(cx, env, t);
		}
		jn_value v = jn_eval(cx, vals[groups[g].expr_index], context, venv);
		JN_TRY(v);
		if (!jn_is_undef(v))
			jn_obj_set(cx->a, result, groups[g].key, v);
	}
	return result;
}

static jn_value eval_group(jn_ctx *cx, const jn_group *g, jn_value input, jn_frame *env)
{
	return eval_group_pairs(cx, g->keys, g->vals, g->n, g->pos, input, env);
}

/* ---- order-by ------------------------------------------------------------- */

typedef struct sort_ud {
	jn_ctx *cx;
	const jn_node *n;
	jn_frame *env;
	int tuples;
} sort_ud;

static int sort_cmp(void *p, jn_value a, jn_value b, jn_value *err)
{
	sort_ud *u = p;
	jn_ctx *cx = u->cx;
	int comp = 0;
	for (int t = 0; comp == 0 && t < u->n->nterms; t++) {
		const jn_term *term = &u->n->terms[t];
		jn_value ca = a, cb = b;
		jn_frame *ea = u->env, *eb = u->env;
		if (u->tuples && a.kind == JN_TUPLE) {
			ca = a.u.t->at;
			ea = frame_from_tuple(cx, u->env, a);
		}
		jn_value aa = jn_eval(cx, term->expr, ca, ea);
		if (jn_is_err(aa)) {
			*err = aa;
			return -1;
		}
		if (u->tuples && b.kind == JN_TUPLE) {
			cb = b.u.t->at;
			eb = frame_from_tuple(cx, u->env, b);
		}
		jn_value bb = jn_eval(cx, term->expr, cb, eb);
		if (jn_is_err(bb)) {
			*err = bb;
			return -1;
		}
		if (jn_is_undef(aa)) {
			comp = jn_is_undef(bb) ? 0 : 1;
			continue;
		}
		if (jn_is_undef(bb)) {
			comp = -1;
			continue;
		}
		if (!(jn_is_str(aa) || jn_is_num(aa)) || !(jn_is_str(bb) || jn_is_num(bb))) {
			*err = jn_error_v(cx, JN_E_T2008, !(jn_is_str(aa) || jn_is_num(aa)) ? aa : bb);
			err->u.e->pos = u->n->pos;
			return -1;
		}
		if (aa.kind != bb.kind) {
			*err = jn_error_v(cx, JN_E_T2007, aa);
			err->u.e->value2 = bb;
			err->u.e->has_value2 = 1;
			err->u.e->pos = u->n->pos;
			return -1;
		}
		int c;
		if (jn_is_num(aa))
			c = jn_num(aa) == jn_num(bb) ? 0 : jn_num(aa) < jn_num(bb) ? -1 : 1;
		else
			c = cmp_str(aa, bb) == 0 ? 0 : cmp_str(aa, bb) < 0 ? -1 : 1;
		if (c == 0)
			continue;
		comp = term->descending ? -c : c;
	}
	return comp == 1;
}

static JN_NOINLINE jn_value eval_sort(jn_ctx *cx, const jn_node *n, jn_value input, jn_frame *env)
{
	sort_ud u = {cx, n, env, jn_is_arr(input) && (jn_arrp(input)->flags & JN_TUPLES)};
	if (!jn_is_arr(input))
		return input;
	return jn_sort_values(cx, input, sort_cmp, &u);
}

/* ---- functions ------------------------------------------------------------ */

static JN_NOINLINE jn_value eval_lambda(jn_ctx *cx, const jn_node *n, jn_value input, jn_frame *env)
{
	jn_value f = jn_fn_new(cx, JN_LAMBDA, JN_FN_LAMBDA);
	jn_fn *fp = f.u.f;
	fp->node = n;
	fp->input = input;
	fp->env = env;
	fp->thunk = n->thunk;
	fp->sig = n->sig;
	fp->nparams = n->nlist;
	if (n->nlist) {
		fp->params = arena_alloc(cx->a, sizeof(char *) * (size_t)n->nlist);
		for (int i = 0; i < n->nlist; i++)
			fp->params[i] = n->list[i]->name;
	}
	fp->arity = n->nlist;
	return f;
}

static jn_value apply_procedure(jn_ctx *cx, jn_fn *proc, jn_value *args, int nargs)
{
	jn_frame *env = jn_frame_new(cx, proc->env);
	for (int i = 0; i < proc->nparams; i++)
		jn_frame_bind(cx, env, proc->params[i], i < nargs ? args[i] : jn_undefined());
	return jn_eval(cx, proc->node->expr, proc->input, env);
}

static JN_NOINLINE jn_value apply_regex(jn_ctx *cx, jn_fn *f, jn_value *args, int nargs);
static JN_NOINLINE jn_value apply_transform(jn_ctx *cx, jn_fn *f, jn_value *args, int nargs, jn_frame *env);

/* fill a partially applied built-in's holes in order, then call it as the
 * reference's applyNativeFunction does (its signature still checks types) */
static JN_NOINLINE jn_value apply_partial(jn_ctx *cx, jn_fn *f, jn_value *args, int nargs, jn_frame *env)
{
	jn_value *full = arena_alloc(cx->a, sizeof(jn_value) * (size_t)(f->nbound + 1));
	int k = 0;
	for (int i = 0; i < f->nbound; i++)
		full[i] = f->hole[i] ? (k < nargs ? args[k++] : jn_undefined()) : f->bound[i];
	int nfull = f->nbound;
	while (nfull > 0 && jn_is_undef(full[nfull - 1]))
		nfull--;
	jn_value *va;
	int nva;
	jn_value e = jn_sig_validate(cx, jn_builtin_sig(f->bi), full, nfull, jn_undefined(), NULL, 0, &va, &nva);
	JN_TRY(e);
	jn_call c = {cx, jn_undefined(), f->env ? f->env : env, -1, f->bi};
	return f->bi->fn(&c, va, nva);
}

static jn_value apply_inner(jn_ctx *cx, jn_value proc, jn_value *args, int nargs, jn_value input, jn_frame *env)
{
	if (!jn_is_fn(proc))
		return jn_error(cx, JN_E_T1006);
	jn_fn *f = proc.u.f;
	const jn_sig *sig = f->type == JN_FN_BUILTIN ? jn_builtin_sig(f->bi) : f->sig;
	if (f->type == JN_FN_TRANSFORM) {
		/* the transform's signature '<(oa):o>' */
		int bad = -1;
		if (nargs >= 1 && !(jn_is_obj(args[0]) || jn_is_arr(args[0]) || jn_is_undef(args[0])))
			bad = 0;
		else if (nargs > 1)
			bad = 1;
		if (bad >= 0) {
			jn_value e = jn_error_v(cx, JN_E_T0410, args[bad]);
			e.u.e->index = bad + 1;
			return e;
		}
	}
	jn_value vbuf[8];
	if (sig) {
		jn_value *va;
		int nva;
		jn_value e = jn_sig_validate(cx, sig, args, nargs, input, vbuf, 8, &va, &nva);
		JN_TRY(e);
		args = va;
		nargs = nva;
	}
	switch (f->type) {
	case JN_FN_LAMBDA:
		return apply_procedure(cx, f, args, nargs);
	case JN_FN_BUILTIN: {
		jn_call c = {cx, input, env, -1, f->bi};
		return f->bi->fn(&c, args, nargs);
	}
	case JN_FN_PARTIAL:
		return apply_partial(cx, f, args, nargs, env);
	case JN_FN_REGEX:
	case JN_FN_REGEX_NEXT:
		return apply_regex(cx, f, args, nargs);
	case JN_FN_TRANSFORM:
		return apply_transform(cx, f, args, nargs, env);
	}
	return jn_error(cx, JN_E_T1006);
}

static jn_value apply_full(jn_ctx *cx, jn_value proc, jn_value *args, int nargs, jn_value input, jn_frame *env,
                           const char *token, int pos)
{
	jn_value r = apply_inner(cx, proc, args, nargs, input, env);
	if (jn_is_err(r)) {
		if (!r.u.e->token && token)
			r.u.e->token = token;
		if (pos >= 0 && r.u.e->pos < 0)
			r.u.e->pos = pos;
		return r;
	}
	/* the trampoline: a tail call comes back as a thunk */
	while (r.kind == JN_LAMBDA && r.u.f->thunk) {
		jn_fn *t = r.u.f;
		const jn_node *body = t->node->expr;
		jn_value next = jn_eval(cx, body->procedure, t->input, t->env);
		JN_TRY(next);
		jn_value *targs = arena_alloc(cx->a, sizeof(jn_value) * (size_t)(body->nlist + 1));
		for (int i = 0; i < body->nlist; i++) {
			targs[i] = jn_eval(cx, body->list[i], t->input, t->env);
			JN_TRY(targs[i]);
		}
		const char *ntok = body->procedure->type == JN_AST_VARIABLE ? body->procedure->name : NULL;
		r = apply_inner(cx, next, targs, body->nlist, input, env);
		if (jn_is_err(r)) {
			if (!r.u.e->token && ntok)
				r.u.e->token = ntok;
			if (r.u.e->pos < 0)
				r.u.e->pos = body->procedure->pos;
			return r;
		}
		jn_value g = check_guards(cx);
		JN_TRY(g);
	}
	return r;
}

jn_value jn_apply(jn_ctx *cx, jn_value proc, jn_value *args, int nargs, jn_value input, jn_frame *env)
{
	return apply_full(cx, proc, args, nargs, input, env, NULL, -1);
}

jn_value jn_call_fn(jn_call *c, jn_value fn, jn_value *args, int nargs)
{
	return apply_full(c->cx, fn, args, nargs, jn_null(), c->env, NULL, -1);
}

static const char *proc_name(const jn_node *n)
{
	const jn_node *p = n->procedure;
	if (p->type == JN_AST_PATH)
		return p->list[0]->name;
	return p->name;
}

static JN_NOINLINE jn_value eval_function(jn_ctx *cx, const jn_node *n, jn_value input, jn_frame *env, const jn_value *applyto)
{
	jn_value proc = jn_eval(cx, n->procedure, input, env);
	JN_TRY(proc);
	if (jn_is_undef(proc) && n->procedure->type == JN_AST_PATH && n->procedure->list[0]->name) {
		int found;
		jn_value v = jn_frame_lookup(cx, env, n->procedure->list[0]->name, &found);
		if (found && js_truthy(v)) {
			jn_value e = jn_error(cx, JN_E_T1005);
			e.u.e->pos = n->pos;
			e.u.e->token = n->procedure->list[0]->name;
			return e;
		}
	}
	int nargs = n->nlist + (applyto ? 1 : 0);
	jn_value argbuf[4];
	jn_value *args = nargs <= 4 ? argbuf : arena_alloc(cx->a, sizeof(jn_value) * (size_t)nargs);
	int k = 0;
	if (applyto)
		args[k++] = *applyto;
	for (int i = 0; i < n->nlist; i++) {
		jn_value a = jn_eval(cx, n->list[i], input, env);
		JN_TRY(a);
		args[k++] = a;
	}
	return apply_full(cx, proc, args, nargs, input, env, proc_name(n), n->pos);
}

static JN_NOINLINE jn_value eval_partial(jn_ctx *cx, const jn_node *n, jn_value input, jn_frame *env)
{
	int nargs = n->nlist;
	jn_value *args = arena_alloc(cx->a, sizeof(jn_value) * (size_t)(nargs ? nargs : 1));
	unsigned char *hole = arena_calloc(cx->a, (size_t)(nargs ? nargs : 1));
	for (int i = 0; i < nargs; i++) {
		const jn_node *a = n->list[i];
		if (a->type == JN_AST_OPERATOR && a->opstr && !strcmp(a->opstr, "?")) {
			hole[i] = 1;
			args[i] = jn_undefined();
		} else {
			args[i] = jn_eval(cx, a, input, env);
			JN_TRY(args[i]);
		}
	}
	jn_value proc = jn_eval(cx, n->procedure, input, env);
	JN_TRY(proc);
	if (jn_is_undef(proc) && n->procedure->type == JN_AST_PATH && n->procedure->list[0]->name) {
		int found;
		jn_value v = jn_frame_lookup(cx, env, n->procedure->list[0]->name, &found);
		if (found && js_truthy(v)) {
			jn_value e = jn_error(cx, JN_E_T1007);
			e.u.e->pos = n->pos;
			e.u.e->token = n->procedure->list[0]->name;
			return e;
		}
	}
	if (proc.kind == JN_LAMBDA && proc.u.f->type == JN_FN_LAMBDA) {
		jn_fn *src = proc.u.f;
		jn_value f = jn_fn_new(cx, JN_LAMBDA, JN_FN_LAMBDA);
		jn_fn *fp = f.u.f;
		fp->env = jn_frame_new(cx, src->env ? src->env : env);
		fp->params = arena_alloc(cx->a, sizeof(char *) * (size_t)(src->nparams ? src->nparams : 1));
		for (int i = 0; i < src->nparams; i++) {
			if (i < nargs && hole[i])
				fp->params[fp->nparams++] = src->params[i];
			else
				jn_frame_bind(cx, fp->env, src->params[i], i < nargs ? args[i] : jn_undefined());
		}
		fp->node = src->node;
		fp->input = src->input;
		fp->arity = fp->nparams;
		return f;
	}
	if (proc.kind == JN_FUNCTION && proc.u.f->type == JN_FN_BUILTIN) {
		const jn_builtin *bi = proc.u.f->bi;
		int np = bi->arity;
		jn_value f = jn_fn_new(cx, JN_LAMBDA, JN_FN_PARTIAL);
		jn_fn *fp = f.u.f;
		fp->bi = bi;
		fp->env = env;
		fp->nbound = np;
		fp->bound = arena_alloc(cx->a, sizeof(jn_value) * (size_t)(np ? np : 1));
		fp->hole = arena_calloc(cx->a, (size_t)(np ? np : 1));
		for (int i = 0; i < np; i++) {
			if (i < nargs && hole[i]) {
				fp->hole[i] = 1;
				fp->arity++;
			} else {
				fp->bound[i] = i < nargs ? args[i] : jn_undefined();
			}
		}
		return f;
	}
	if (proc.kind == JN_LAMBDA && proc.u.f->type == JN_FN_PARTIAL) {
		/* partially applying a partial: its holes take the new arguments in order */
		jn_fn *src = proc.u.f;
		jn_value f = jn_fn_new(cx, JN_LAMBDA, JN_FN_PARTIAL);
		jn_fn *fp = f.u.f;
		*fp = *src;
		fp->bound = arena_alloc(cx->a, sizeof(jn_value) * (size_t)(src->nbound ? src->nbound : 1));
		fp->hole = arena_calloc(cx->a, (size_t)(src->nbound ? src->nbound : 1));
		fp->arity = 0;
		int k = 0;
		for (int i = 0; i < src->nbound; i++) {
			if (!src->hole[i]) {
				fp->bound[i] = src->bound[i];
				continue;
			}
			if (k < nargs && hole[k]) {
				fp->hole[i] = 1;
				fp->arity++;
			} else {
				fp->bound[i] = k < nargs ? args[k] : jn_undefined();
			}
			k++;
		}
		return f;
	}
	jn_value e = jn_error(cx, JN_E_T1008);
	e.u.e->pos = n->pos;
	e.u.e->token = proc_name(n);
	return e;
}

static JN_NOINLINE jn_value eval_apply(jn_ctx *cx, const jn_node *n, jn_value input, jn_frame *env)
{
	jn_value l = jn_eval(cx, n->lhs, input, env);
	JN_TRY(l);
	if (n->rhs->type == JN_AST_FUNCTION)
		return eval_function(cx, n->rhs, input, env, &l);
	jn_value func = jn_eval(cx, n->rhs, input, env);
	JN_TRY(func);
	if (!jn_is_fn(func)) {
		jn_value e = jn_error_v(cx, JN_E_T2006, func);
		e.u.e->pos = n->pos;
		return e;
	}
	if (jn_is_fn(l)) {
		jn_value chain = jn_eval(cx, cx->expr->chain, jn_null(), env);
		JN_TRY(chain);
		jn_value args[2] = {l, func};
		jn_value *a = arena_alloc(cx->a, sizeof args);
		memcpy(a, args, sizeof args);
		return jn_apply(cx, chain, a, 2, jn_null(), env);
	}
	jn_value *a = arena_alloc(cx->a, sizeof(jn_value));
	a[0] = l;
	return jn_apply(cx, func, a, 1, jn_null(), env);
}

/* ---- regex closures -------------------------------------------------------- */

static JN_NOINLINE jn_value regex_result(jn_ctx *cx, const jn_regex *re, jn_value str, size_t from, const jn_node *node);

static JN_NOINLINE jn_value apply_regex(jn_ctx *cx, jn_fn *f, jn_value *args, int nargs)
{
	if (f->type == JN_FN_REGEX_NEXT) {
		if (f->from >= jn_str_len(f->str))
			return jn_undefined();
		jn_value next = regex_result(cx, f->re, f->str, f->from, f->node);
		JN_TRY(next);
		if (jn_is_obj(next)) {
			jn_value m = jn_obj_get(next, "match", 5);
			if (jn_is_str(m) && jn_str_len(m) == 0) {
				jn_value e = jn_error_v(cx, JN_E_D1004, jn_string(cx->a, f->re->source));
				e.u.e->pos = f->node ? f->node->pos : -1;
				return e;
			}
		}
		return next;
	}
	if (nargs < 1 || !jn_is_str(args[0]))
		return jn_undefined();
	size_t from = 0;
	if (nargs > 1 && jn_is_num(args[1]))
		from = jn_utf16_to_byte(jn_str(args[0]), jn_str_len(args[0]), jn_num(args[1]));
	return regex_result(cx, f->re, args[0], from, f->node);
}

static JN_NOINLINE jn_value regex_result(jn_ctx *cx, const jn_regex *re, jn_value str, size_t from, const jn_node *node)
{
	if (!cx->rx)
		cx->rx = jn_rx_scratch_new();
	size_t ovbuf[64];
	size_t *ov = re->ngroups < 31 ? ovbuf : arena_alloc(cx->a, sizeof(size_t) * 2 * (size_t)(re->ngroups + 1));
	const char *s = jn_str(str);
	size_t len = jn_str_len(str);
	int rc = jn_regex_exec(re, cx->rx, s, len, from, ov);
	if (rc < 0)
		return jn_error_v(cx, JN_E_D1004, jn_string(cx->a, re->source));
	if (rc == 0)
		return jn_undefined();
	jn_value o = jn_object(cx->a, 5);
	jn_obj_set_c(cx->a, o, "match", jn_string_n(cx->a, s + ov[0], ov[1] - ov[0]));
	double start = (double)jn_utf16_len(s, ov[0]);
	jn_obj_set_c(cx->a, o, "start", jn_number(start));
	jn_obj_set_c(cx->a, o, "end", jn_number(start + (double)jn_utf16_len(s + ov[0], ov[1] - ov[0])));
	jn_value groups = jn_array(cx->a, (uint32_t)re->ngroups, 0);
	for (int g = 1; g <= re->ngroups; g++) {
		if (ov[2 * g] == JN_RX_UNSET)
			jn_arr_push(cx->a, groups, jn_undefined());
		else
			jn_arr_push(cx->a, groups, jn_string_n(cx->a, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]));
	}
	jn_obj_set_c(cx->a, o, "groups", groups);
	jn_value next = jn_fn_new(cx, JN_FUNCTION, JN_FN_REGEX_NEXT);
	next.u.f->re = re;
	next.u.f->str = str;
	next.u.f->from = ov[1];
	next.u.f->node = node;
	next.u.f->arity = 0;
	jn_obj_set_c(cx->a, o, "next", next);
	return o;
}

/* ---- transforms ------------------------------------------------------------ */

static JN_NOINLINE jn_value apply_transform(jn_ctx *cx, jn_fn *f, jn_value *args, int nargs, jn_frame *env)
{
	(void)env;
	jn_value obj = nargs > 0 ? args[0] : jn_undefined();
	if (jn_is_undef(obj))
		return obj;
	const jn_node *n = f->node;
	int found;
	jn_value clone = jn_frame_lookup(cx, f->env, "clone", &found);
	if (!jn_is_fn(clone)) {
		jn_value e = jn_error(cx, JN_E_T2013);
		e.u.e->pos = n->pos;
		return e;
	}
	jn_value *ca = arena_alloc(cx->a, sizeof(jn_value));
	ca[0] = obj;
	jn_value result = jn_apply(cx, clone, ca, 1, jn_null(), f->env);
	JN_TRY(result);
	jn_value matches = jn_eval(cx, n->pattern, result, f->env);
	JN_TRY(matches);
	if (jn_is_undef(matches))
		return result;
	if (!jn_is_arr(matches))
		matches = jn_seq1(cx->a, matches);
	for (uint32_t i = 0; i < jn_arr_len(matches); i++) {
		jn_value match = jn_arr_get(matches, i);
		jn_value update = jn_eval(cx, n->update, match, f->env);
		JN_TRY(update);
		if (!jn_is_undef(update)) {
			if (!jn_is_obj(update)) {
				jn_value e = jn_error_v(cx, JN_E_T2011, update);
				e.u.e->pos = n->update->pos;
				return e;
			}
			if (jn_is_obj(match) && !jn_objp(match)->frozen)
				for (uint32_t k = 0; k < jn_obj_len(update); k++)
					jn_obj_set(cx->a, match, jn_obj_key_at(update, k), jn_obj_val_at(update, k));
		}
		if (n->del) {
			jn_value del = jn_eval(cx, n->del, match, f->env);
			JN_TRY(del);
			if (jn_is_undef(del))
				continue;
			jn_value val = del;
			if (!jn_is_arr(del))
				del = jn_seq1(cx->a, del);
			for (uint32_t k = 0; k < jn_arr_len(del); k++)
				if (!jn_is_str(jn_arr_get(del, k))) {
					jn_value e = jn_error_v(cx, JN_E_T2012, val);
					e.u.e->pos = n->del->pos;
					return e;
				}
			if (jn_is_obj(match) && !jn_objp(match)->frozen)
				for (uint32_t k = 0; k < jn_arr_len(del); k++) {
					jn_value key = jn_arr_get(del, k);
					jn_obj_del(match, jn_str(key), jn_str_len(key));
				}
		}
	}
	return result;
}

/* ---- the dispatcher -------------------------------------------------------- */

static jn_value eval_inner(jn_ctx *cx, const jn_node *n, jn_value input, jn_frame *env)
{
	switch (n->type) {
	case JN_AST_PATH:
		return eval_path(cx, n, input, env);
	case JN_AST_BINARY:
		return eval_binary(cx, n, input, env);
	case JN_AST_UNARY:
		return eval_unary(cx, n, input, env);
	case JN_AST_NAME:
		return jn_lookup(cx, input, jn_strp(n->val));
	case JN_AST_STRING:
	case JN_AST_NUMBER:
	case JN_AST_VALUE:
		return n->val;
	case JN_AST_WILDCARD:
		return eval_wildcard(cx, input);
	case JN_AST_DESCENDANT:
		return eval_descendants(cx, input);
	case JN_AST_PARENT: {
		jn_value v;
		return frames_find(env, n->slot->label, &v) ? v : jn_undefined();
	}
	case JN_AST_CONDITION: {
		jn_value c = jn_eval(cx, n->expr, input, env);
		JN_TRY(c);
		if (jn_boolean(c) == 1)
			return jn_eval(cx, n->then, input, env);
		if (n->els)
			return jn_eval(cx, n->els, input, env);
		return jn_undefined();
	}
	case JN_AST_BLOCK: {
		jn_frame *f = jn_frame_new(cx, env);
		jn_value r = jn_undefined();
		for (int i = 0; i < n->nlist; i++) {
			r = jn_eval(cx, n->list[i], input, f);
			JN_TRY(r);
		}
		return r;
	}
	case JN_AST_BIND: {
		jn_value v = jn_eval(cx, n->rhs, input, env);
		JN_TRY(v);
		jn_frame_bind(cx, env, n->lhs->name, v);
		return v;
	}
	case JN_AST_REGEX: {
		jn_value f = jn_fn_new(cx, JN_FUNCTION, JN_FN_REGEX);
		f.u.f->re = n->re;
		f.u.f->node = n;
		f.u.f->arity = 2;
		return f;
	}
	case JN_AST_FUNCTION:
		return eval_function(cx, n, input, env, NULL);
	case JN_AST_VARIABLE: {
		if (n->name[0] == '\0')
			return (jn_is_arr(input) && (jn_arrp(input)->flags & JN_OUTER) && jn_arr_len(input) > 0)
			               ? jn_arr_get(input, 0)
			               : input;
		jn_value v;
		if (frames_find(env, n->name, &v) || host_find(cx, n->name, &v))
			return v;
		const jn_builtin *b = jn_builtin_find(n->name, cx->flags);
		return b ? jn_builtin_value(b) : jn_undefined();
	}
	case JN_AST_LAMBDA:
		return eval_lambda(cx, n, input, env);
	case JN_AST_PARTIAL:
		return eval_partial(cx, n, input, env);
	case JN_AST_APPLY:
		return eval_apply(cx, n, input, env);
	case JN_AST_TRANSFORM: {
		jn_value f = jn_fn_new(cx, JN_FUNCTION, JN_FN_TRANSFORM);
		f.u.f->node = n;
		f.u.f->env = env;
		f.u.f->arity = 1;
		return f;
	}
	default:
		return jn_undefined();
	}
}

/* ====================================================================== */
/* $eval                                                                  */
/* ====================================================================== */

jn_value jn_eval_text(jn_call *c, const char *text, size_t len, jn_value input)
{
	jn_ctx *cx = c->cx;
	jn_parse_err pe;
	char *src = arena_strndup(cx->a, text, len);
	jn_node *ast = jn_parse(cx->a, src, len, &pe, &cx->relist);
	if (!ast) {
		jn_err tmp;
		memset(&tmp, 0, sizeof tmp);
		for (int i = 0; i < JN_E__COUNT; i++)
			if (!strcmp(code_names[i], pe.code))
				tmp.code = (jn_code)i;
		tmp.token = pe.token;
		tmp.value = pe.value;
		tmp.has_value = !jn_is_undef(pe.value);
		sb m = SB_INIT;
		message_of(&tmp, &m);
		jn_value e = jn_error_v(cx, JN_E_D3120, jn_sb_value(cx, &m));
		return e;
	}
	jn_value r = jn_eval(cx, ast, input, c->env);
	if (jn_is_err(r)) {
		if (r.u.e->code == JN_E_U1001)
			return r;
		sb m = SB_INIT;
		message_of(r.u.e, &m);
		return jn_error_v(cx, JN_E_D3121, jn_sb_value(cx, &m));
	}
	return r;
}

/* ====================================================================== */
/* public API                                                             */
/* ====================================================================== */

void jsonata_error_clear(jsonata_error *e)
{
	if (!e)
		return;
	mem_free(e->message);
	mem_free(e->token);
	mem_free(e->value);
	mem_free(e->function_name);
	memset(e, 0, sizeof *e);
	e->position = -1;
}

static jn_code code_of(const char *name)
{
	for (int i = 0; i < JN_E__COUNT; i++)
		if (!strcmp(code_names[i], name))
			return (jn_code)i;
	return JN_E_S0201;
}

jsonata_expr *jsonata_compile(const char *text, size_t len, jsonata_error *err)
{
	if (err)
		jsonata_error_clear(err);
	jsonata_expr *e = mem_alloc(sizeof *e);
	e->a = arena_new();
	e->src = arena_strndup(e->a, text, len);
	e->len = len;
	e->relist = NULL;
	e->chain = NULL;
	jn_parse_err pe;
	e->root = jn_parse(e->a, e->src, len, &pe, &e->relist);
	if (e->root) {
		jn_parse_err ce;
		e->chain = jn_parse(e->a, jn_chain_src, strlen(jn_chain_src), &ce, &e->relist);
	}
	if (!e->root) {
		if (err) {
			jn_err tmp;
			memset(&tmp, 0, sizeof tmp);
			tmp.code = code_of(pe.code);
			tmp.pos = pe.pos;
			tmp.token = pe.token;
			tmp.value = pe.value;
			tmp.has_value = !jn_is_undef(pe.value);
			jn_value v = {JN_ERROR, {.e = &tmp}};
			jn_error_export(e->a, v, err);
		}
		jsonata_free(e);
		return NULL;
	}
	return e;
}

void jsonata_free(jsonata_expr *e)
{
	if (!e)
		return;
	jn_regex_free_all(e->relist);
	arena_free(e->a);
	mem_free(e);
}

const char *jsonata_source(const jsonata_expr *e) { return e->src; }

/* The lowest address evaluation may reach on this thread's stack (computed
 * once per thread: finding the main thread's stack reads /proc). */
static _Thread_local uintptr_t stack_lo, stack_hi;

static uintptr_t stack_floor(void)
{
	char here;
	uintptr_t cur = (uintptr_t)&here;
	if (stack_hi && cur < stack_hi && cur > stack_lo)
		return stack_lo;
	stack_hi = cur + 64 * 1024;
	pthread_attr_t at;
	void *addr = NULL;
	size_t size = 0;
	uintptr_t lo = 0;
	if (pthread_getattr_np(pthread_self(), &at) == 0) {
		if (pthread_attr_getstack(&at, &addr, &size) == 0)
			lo = (uintptr_t)addr;
		pthread_attr_destroy(&at);
	}
	/* keep a generous margin for the C code between two checks (and for
	 * sanitizer builds, whose frames are larger) */
	uintptr_t margin = 512 * 1024;
	/* not on the thread's own stack (a server request runs on a stack of
	 * its own, mocks/server/server.c): assume only the 4 MB below */
	if (!lo || lo + margin >= cur || cur >= lo + size)
		stack_lo = cur > 4 * 1024 * 1024 ? cur - 4 * 1024 * 1024 : 0;
	else
		stack_lo = lo + margin;
	return stack_lo;
}

int jsonata_eval_value(const jsonata_expr *e, jn_value input, const jsonata_opts *opts, arena *a,
                       jn_value *result, jsonata_error *err)
{
	jn_ctx cx;
	memset(&cx, 0, sizeof cx);
	cx.a = a;
	cx.opts = opts;
	cx.expr = e;
	cx.flags = opts ? opts->flags : 0;
	cx.explicit_depth = opts && opts->max_depth > 0;
	cx.max_depth = cx.explicit_depth ? opts->max_depth : JN_DEFAULT_MAX_DEPTH;
	cx.timeout_ms = opts ? opts->timeout_ms : 0;
	cx.t0_ms = mono_ms();
	cx.stack_limit = stack_floor();
	jn_stack_low = cx.stack_limit;
	clk *ck = opts && opts->clock ? opts->clock : clk_real();
	cx.now_ms = clk_now_ms(ck);
	cx.root = jn_frame_new(&cx, NULL);
	if (opts && opts->bindings && cJSON_IsObject(opts->bindings)) {
		for (const cJSON *b = opts->bindings->child; b; b = b->next)
			if (b->string)
				jn_frame_bind(&cx, cx.root, arena_strdup(a, b->string), jn_from_cjson(a, b, 1));
	}
	if (jn_is_arr(input) && !(jn_arrp(input)->flags & JN_SEQ)) {
		jn_value w = jn_seq1(a, input);
		jn_arrp(w)->flags |= JN_OUTER;
		input = w;
	}
	jn_frame_bind(&cx, cx.root, "$", input);
	jn_value r = jn_eval(&cx, e->root, input, cx.root);
	jn_rx_scratch_free(cx.rx);
	int rc = 0;
	if (jn_is_err(r)) {
		if (err)
			jn_error_export(a, r, err);
		rc = -1;
	} else {
		*result = r;
	}
	jn_regex_free_all(cx.relist);
	return rc;
}

char *jsonata_error_json(const jsonata_error *err)
{
	sb b = SB_INIT;
	sb_cat(&b, "{\"code\": ");
	sb_cat_json_str(&b, err->code, strlen(err->code));
	sb_cat(&b, ", \"message\": ");
	const char *m = err->message ? err->message : "";
	sb_cat_json_str(&b, m, strlen(m));
	sb_printf(&b, ", \"position\": %d", err->position);
	if (err->token) {
		sb_cat(&b, ", \"token\": ");
		sb_cat_json_str(&b, err->token, strlen(err->token));
	}
	if (err->value)
		sb_printf(&b, ", \"value\": %s", err->value);
	if (err->function_name) {
		sb_cat(&b, ", \"functionName\": ");
		sb_cat_json_str(&b, err->function_name, strlen(err->function_name));
	}
	sb_catc(&b, '}');
	return sb_steal(&b);
}
