/* asl_io.c - templates (JSONata `{% %}`, JSONPath `.$`), paths against state data, errors. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/cj.h"
#include "common/mem.h"
#include "engine/asl_int.h"

/* ======================================================================
 * Errors
 * ====================================================================== */

void asl_err_set(asl_err *e, const char *error, unsigned flags, const char *fmt, ...)
{
	asl_err_clear(e);
	e->error = error ? mem_strdup(error) : NULL;
	e->flags = flags;
	if (fmt) {
		sb b = SB_INIT;
		va_list ap;
		va_start(ap, fmt);
		sb_vprintf(&b, fmt, ap);
		va_end(ap);
		if (!b.buf)
			sb_cat(&b, "");
		e->cause = sb_steal(&b);
	}
}

void asl_err_clear(asl_err *e)
{
	mem_free(e->error);
	mem_free(e->cause);
	mem_free(e->location);
	memset(e, 0, sizeof *e);
}

void asl_err_move(asl_err *dst, asl_err *src)
{
	asl_err_clear(dst);
	*dst = *src;
	memset(src, 0, sizeof *src);
}

/* ======================================================================
 * Variables
 * ====================================================================== */

const cJSON *asl_scope_get(const asl_scope *s, const char *name)
{
	for (; s; s = s->parent) {
		const cJSON *v = s->vars ? cJSON_GetObjectItemCaseSensitive(s->vars, name) : NULL;
		if (v)
			return v;
	}
	return NULL;
}

/* ======================================================================
 * Templates
 * ====================================================================== */

void asl_tmpl_free(asl_tmpl *t)
{
	if (!t)
		return;
	cJSON_Delete(t->lit);
	jsonata_free(t->expr);
	mem_free(t->src);
	asl_path_free(t->path);
	asl_intr_free(t->intr);
	mem_free(t->field);
	for (size_t i = 0; i < t->n; i++) {
		if (t->keys)
			mem_free(t->keys[i]);
		asl_tmpl_free(t->kids[i]);
	}
	mem_free(t->keys);
	mem_free(t->kids);
	mem_free(t);
}

int asl_data_path(const asl_data *d, const asl_path *p, cJSON **out, sb *err)
{
	const cJSON *root;
	switch (asl_path_root(p)) {
	case ASL_ROOT_CONTEXT: root = d->context; break;
	case ASL_ROOT_VAR:
		root = asl_scope_get(d->scope, asl_path_var(p));
		if (!root) {
			if (err)
				sb_printf(err, "The variable '%s' is not defined", asl_path_var(p));
			return -1;
		}
		break;
	default: root = d->input; break;
	}
	return asl_path_eval(p, root, out, err);
}

/* --- JSONata --------------------------------------------------------- */

static const cJSON *scope_lookup(void *ctx, const char *name)
{
	return asl_scope_get(ctx, name);
}

int asl_jsonata_eval(const jsonata_expr *x, const char *src, const char *field, const asl_data *d, cJSON **out,
                     asl_err *e)
{
	/* $states by reference: nothing is copied but the members' headers */
	cJSON *bind = cJSON_CreateObject();
	cJSON *st = cJSON_CreateObject();
	const cJSON *in = d->states_input ? d->states_input : d->input;
	if (in)
		cJSON_AddItemReferenceToObject(st, "input", (cJSON *)in);
	if (d->result)
		cJSON_AddItemReferenceToObject(st, "result", (cJSON *)d->result);
	if (d->error_output)
		cJSON_AddItemReferenceToObject(st, "errorOutput", (cJSON *)d->error_output);
	if (d->context)
		cJSON_AddItemReferenceToObject(st, "context", (cJSON *)d->context);
	cJSON_AddItemToObject(bind, "states", st);
	jsonata_opts o = {0};
	o.bindings = bind;
	o.lookup = scope_lookup;
	o.lookup_ctx = (void *)d->scope;
	o.clock = d->clock;
	o.seed = d->seed;
	o.flags = JSONATA_SFN | JSONATA_FUNCTION_RESULT_ERROR;
	jsonata_error je = {0};
	cJSON *r = NULL;
	int rc = jsonata_eval(x, in, &o, &r, &je);
	cJSON_Delete(bind);
	if (rc && !strcmp(je.code, "U1003")) {
		/* a function has no JSON value */
		asl_err_set(e, "States.QueryEvaluationError", ASL_ERR_STATE_PREFIX | ASL_ERR_EVALFAIL,
		            "The JSONata expression '%s' specified for the field '%s' returned an unsupported result type.",
		            src, field);
		jsonata_error_clear(&je);
		return -1;
	}
	if (rc) {
		asl_err_set(e, "States.QueryEvaluationError", ASL_ERR_STATE_PREFIX | ASL_ERR_EVALFAIL,
		            "The JSONata expression '%s' specified for the field '%s' threw an error during evaluation. "
		            "%s: %s",
		            src, field, je.code, je.message ? je.message : "");
		jsonata_error_clear(&je);
		return -1;
	}
	*out = r;
	return 0;
}

static int tmpl_eval(const asl_tmpl *t, const asl_data *d, cJSON **out, asl_err *e)
{
	switch (t->kind) {
	case TM_LIT: *out = cJSON_Duplicate(t->lit, 1); return 0;
	case TM_OBJ: {
		cJSON *o = cJSON_CreateObject();
		for (size_t i = 0; i < t->n; i++) {
			cJSON *v;
			if (tmpl_eval(t->kids[i], d, &v, e)) {
				cJSON_Delete(o);
				return -1;
			}
			cJSON_AddItemToObject(o, t->keys[i], v);
		}
		*out = o;
		return 0;
	}
	case TM_ARR: {
		cJSON *a = cJSON_CreateArray();
		for (size_t i = 0; i < t->n; i++) {
			cJSON *v;
			if (tmpl_eval(t->kids[i], d, &v, e)) {
				cJSON_Delete(a);
				return -1;
			}
			cJSON_AddItemToArray(a, v);
		}
		*out = a;
		return 0;
	}
	case TM_JSONATA: {
		cJSON *r = NULL;
		if (asl_jsonata_eval(t->expr, t->src, t->field, d, &r, e))
			return -1;
		if (!r) {
			asl_err_set(e, "States.QueryEvaluationError", ASL_ERR_STATE_PREFIX | ASL_ERR_EVALFAIL,
			            "The JSONata expression '%s' specified for the field '%s' returned nothing (undefined).",
			            t->src, t->field);
			return -1;
		}
		*out = r;
		return 0;
	}
	case TM_PATH: {
		sb m = SB_INIT;
		if (asl_data_path(d, t->path, out, &m)) {
			const cJSON *doc = asl_path_root(t->path) == ASL_ROOT_CONTEXT ? d->context : d->input;
			char *in = cj_print(doc);
			asl_err_set(e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL,
			            "The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'", t->src,
			            t->field, in ? in : "");
			mem_free(in);
			sb_free(&m);
			return -1;
		}
		sb_free(&m);
		return 0;
	}
	case TM_INTR: {
		sb m = SB_INIT;
		const char *fp = NULL;
		if (asl_intr_eval(t->intr, d, out, &m, &fp)) {
			if (fp) {
				char *in = cj_print(d->input);
				asl_err_set(e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL,
				            "The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'",
				            fp, t->field, in ? in : "");
				mem_free(in);
			} else
				asl_err_set(e, "States.Runtime", ASL_ERR_STATE_PREFIX | ASL_ERR_FATAL,
				            "The evaluation of the intrinsic function '%s' specified for the field '%s' failed: %s",
				            t->src, t->field, sb_str(&m));
			sb_free(&m);
			return -1;
		}
		sb_free(&m);
		return 0;
	}
	}
	return -1;
}

int asl_tmpl_eval(const asl_tmpl *t, const asl_data *d, cJSON **out, asl_err *e)
{
	*out = NULL;
	return tmpl_eval(t, d, out, e);
}
