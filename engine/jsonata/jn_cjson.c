/* jn_cjson.c - the cJSON boundary: documents in, results out (the one file that uses cJSON). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/mem.h"
#include "engine/jsonata/jn_int.h"

jn_value jn_from_cjson(arena *a, const cJSON *j, int frozen)
{
	if (!j || jn_stack_exhausted())
		return jn_undefined();
	if (cJSON_IsNull(j))
		return jn_null();
	if (cJSON_IsTrue(j))
		return jn_bool(1);
	if (cJSON_IsFalse(j))
		return jn_bool(0);
	if (cJSON_IsNumber(j))
		return jn_number(j->valuedouble);
	if (cJSON_IsString(j))
		return jn_string(a, j->valuestring ? j->valuestring : "");
	if (cJSON_IsArray(j)) {
		uint32_t n = 0;
		for (const cJSON *c = j->child; c; c = c->next)
			n++;
		jn_value arr = jn_array(a, n, 0);
		for (const cJSON *c = j->child; c; c = c->next)
			jn_arr_push(a, arr, jn_from_cjson(a, c, frozen));
		return arr;
	}
	if (cJSON_IsObject(j)) {
		uint32_t n = 0;
		for (const cJSON *c = j->child; c; c = c->next)
			n++;
		jn_value obj = jn_object(a, n);
		for (const cJSON *c = j->child; c; c = c->next)
			jn_obj_set(a, obj, jn_str_new(a, c->string ? c->string : "", c->string ? strlen(c->string) : 0),
			           jn_from_cjson(a, c, frozen));
		jn_objp(obj)->frozen = (uint32_t)frozen;
		return obj;
	}
	return jn_undefined(); /* raw / invalid items */
}

static _Thread_local int too_deep;

static cJSON *to_cjson(jn_value v, int in_array)
{
	if (jn_stack_exhausted()) {
		too_deep = 1;
		return NULL;
	}
	switch (jn_kind_of(v)) {
	case JN_NULL:
		return cJSON_CreateNull();
	case JN_BOOL:
		return cJSON_CreateBool(jn_truth(v));
	case JN_NUMBER:
		return cJSON_CreateNumber(jn_num(v)); /* -0 stays -0; printers write 0 */
	case JN_STRING:
		return cJSON_CreateString(jn_str(v));
	case JN_ARRAY: {
		cJSON *a = cJSON_CreateArray();
		for (uint32_t i = 0; i < jn_arr_len(v); i++) {
			cJSON *c = to_cjson(jn_arr_get(v, i), 1);
			cJSON_AddItemToArray(a, c ? c : cJSON_CreateNull());
		}
		return a;
	}
	case JN_OBJECT: {
		cJSON *o = cJSON_CreateObject();
		for (uint32_t i = 0; i < jn_obj_len(v); i++) {
			cJSON *c = to_cjson(jn_obj_val_at(v, i), 0);
			if (c)
				cJSON_AddItemToObject(o, jn_obj_key_at(v, i)->s, c);
		}
		return o;
	}
	case JN_TUPLE:
		return to_cjson(v.u.t->at, in_array);
	default:
		return in_array ? cJSON_CreateNull() : NULL;
	}
}

cJSON *jn_to_cjson(jn_value v)
{
	too_deep = 0;
	cJSON *r = to_cjson(v, 0);
	if (too_deep) {
		cJSON_Delete(r);
		return NULL;
	}
	return r;
}

/* the result out, or U1002 when it nests too deeply for the stack, or U1003
 * for a function when opts ask (JSONATA_FUNCTION_RESULT_ERROR) */
static int result_out(jn_value r, const jsonata_opts *opts, cJSON **result, jsonata_error *err)
{
	if (opts && (opts->flags & JSONATA_FUNCTION_RESULT_ERROR) && jn_is_fn(r)) {
		if (err) {
			jsonata_error_clear(err);
			snprintf(err->code, sizeof err->code, "U1003");
			err->message = mem_strdup("The result is a function, which has no JSON value");
		}
		return -1;
	}
	*result = jn_to_cjson(r);
	if (!too_deep)
		return 0;
	if (err) {
		jsonata_error_clear(err);
		snprintf(err->code, sizeof err->code, "U1002");
		err->message = mem_strdup("The value nests too deeply to be processed");
	}
	return -1;
}

jn_value jn_parse_json(jn_ctx *cx, const char *text, size_t len, int *ok)
{
	cJSON *j = cJSON_ParseWithLength(text, len);
	if (!j) {
		*ok = 0;
		return jn_undefined();
	}
	*ok = 1;
	jn_value v = jn_from_cjson(cx->a, j, 0);
	cJSON_Delete(j);
	return v;
}

/* ---- pre-converted documents ---------------------------------------------- */

struct jsonata_doc {
	arena *a;
	jn_value v;
};

jsonata_doc *jsonata_doc_new(const cJSON *json)
{
	jsonata_doc *d = mem_alloc(sizeof *d);
	d->a = arena_new();
	d->v = json ? jn_from_cjson(d->a, json, 1) : jn_undefined();
	return d;
}

void jsonata_doc_free(jsonata_doc *d)
{
	if (!d)
		return;
	arena_free(d->a);
	mem_free(d);
}

int jsonata_eval_doc(const jsonata_expr *e, const jsonata_doc *input, const jsonata_opts *opts, cJSON **result,
                     jsonata_error *err)
{
	if (err)
		jsonata_error_clear(err);
	*result = NULL;
	arena *a = arena_new();
	jn_value r;
	int rc = jsonata_eval_value(e, input ? input->v : jn_undefined(), opts, a, &r, err);
	if (rc == 0)
		rc = result_out(r, opts, result, err);
	arena_free(a);
	return rc;
}

int jsonata_eval(const jsonata_expr *e, const cJSON *input, const jsonata_opts *opts, cJSON **result,
                 jsonata_error *err)
{
	if (err)
		jsonata_error_clear(err);
	*result = NULL;
	arena *a = arena_new();
	jn_value in = input ? jn_from_cjson(a, input, 1) : jn_undefined();
	jn_value r;
	int rc = jsonata_eval_value(e, in, opts, a, &r, err);
	if (rc == 0)
		rc = result_out(r, opts, result, err);
	arena_free(a);
	return rc;
}

/* ---- JSON text as JavaScript writes it --------------------------------------- */

static void print_rec(sb *out, const cJSON *j, int pretty, int level)
{
	if (level > 10000) { /* a cJSON tree from elsewhere: stay within the stack */
		sb_cat(out, "null");
		return;
	}
	if (cJSON_IsNumber(j)) {
		char nb[32];
		if (!isfinite(j->valuedouble))
			sb_cat(out, "null");
		else {
			jn_num_js(j->valuedouble == 0 ? 0.0 : j->valuedouble, nb);
			sb_cat(out, nb);
		}
	} else if (cJSON_IsString(j)) {
		const char *s = j->valuestring ? j->valuestring : "";
		jn_json_str(out, s, strlen(s));
	} else if (cJSON_IsTrue(j)) {
		sb_cat(out, "true");
	} else if (cJSON_IsFalse(j)) {
		sb_cat(out, "false");
	} else if (cJSON_IsArray(j) || cJSON_IsObject(j)) {
		int obj = cJSON_IsObject(j);
		sb_catc(out, obj ? '{' : '[');
		for (const cJSON *c = j->child; c; c = c->next) {
			if (c != j->child)
				sb_catc(out, ',');
			if (pretty) {
				sb_catc(out, '\n');
				for (int i = 0; i <= level; i++)
					sb_cat(out, "  ");
			}
			if (obj) {
				const char *k = c->string ? c->string : "";
				jn_json_str(out, k, strlen(k));
				sb_cat(out, pretty ? ": " : ":");
			}
			print_rec(out, c, pretty, level + 1);
		}
		if (pretty && j->child) {
			sb_catc(out, '\n');
			for (int i = 0; i < level; i++)
				sb_cat(out, "  ");
		}
		sb_catc(out, obj ? '}' : ']');
	} else {
		sb_cat(out, "null");
	}
}

char *jsonata_print(const cJSON *v, int pretty)
{
	sb b = SB_INIT;
	print_rec(&b, v, pretty, 0);
	return sb_steal(&b);
}
