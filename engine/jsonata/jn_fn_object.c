/* jn_fn_object.c - booleans, objects, types and errors: $boolean $keys $lookup $spread $merge $each $sift $error $assert $type $clone. */
#include <math.h>
#include <string.h>

#include "engine/jsonata/jn_fn.h"

jn_value jn_fn_boolean(jn_call *c, jn_value *args, int nargs)
{
	(void)c;
	jn_value a = JN_ARG(0);
	int b = jn_boolean(a);
	return b < 0 ? jn_undefined() : jn_bool(b);
}

jn_value jn_fn_not(jn_call *c, jn_value *args, int nargs)
{
	(void)c;
	jn_value a = JN_ARG(0);
	int b = jn_boolean(a);
	return b < 0 ? jn_undefined() : jn_bool(!b);
}

jn_value jn_fn_exists(jn_call *c, jn_value *args, int nargs)
{
	(void)c;
	return jn_bool(!jn_is_undef(JN_ARG(0)));
}

jn_value jn_fn_keys(jn_call *c, jn_value *args, int nargs)
{
	jn_value a = JN_ARG(0);
	jn_value r = jn_seq(c->cx->a);
	if (jn_is_arr(a)) {
		jn_value seen = jn_object(c->cx->a, 0);
		for (uint32_t i = 0; i < jn_arr_len(a); i++) {
			jn_value o = jn_arr_get(a, i);
			if (!jn_is_obj(o))
				continue;
			for (uint32_t k = 0; k < jn_obj_len(o); k++) {
				jn_text *key = jn_obj_key_at(o, k);
				if (jn_is_undef(jn_obj_get_s(seen, key))) {
					jn_obj_set(c->cx->a, seen, key, jn_bool(1));
					jn_arr_push(c->cx->a, r, jn_string_of(key));
				}
			}
		}
	} else if (jn_is_obj(a)) {
		for (uint32_t k = 0; k < jn_obj_len(a); k++)
			jn_arr_push(c->cx->a, r, jn_string_of(jn_obj_key_at(a, k)));
	}
	return r;
}

jn_value jn_fn_lookup(jn_call *c, jn_value *args, int nargs)
{
	jn_value a = JN_ARG(0), k = JN_ARG(1);
	if (!jn_is_str(k))
		return jn_undefined();
	return jn_lookup(c->cx, a, jn_strp(k));
}

static jn_value spread(jn_call *c, jn_value a)
{
	if (jn_is_arr(a)) {
		if (jn_stack_exhausted())
			return jn_error(c->cx, JN_E_U1002);
		jn_value r = jn_seq(c->cx->a);
		for (uint32_t i = 0; i < jn_arr_len(a); i++) {
			jn_value s = spread(c, jn_arr_get(a, i));
			JN_TRY(s);
			r = jn_append(c->cx, r, s);
		}
		return r;
	}
	if (jn_is_obj(a)) {
		jn_value r = jn_seq(c->cx->a);
		for (uint32_t k = 0; k < jn_obj_len(a); k++) {
			jn_value o = jn_object(c->cx->a, 1);
			jn_obj_set(c->cx->a, o, jn_obj_key_at(a, k), jn_obj_val_at(a, k));
			jn_arr_push(c->cx->a, r, o);
		}
		return r;
	}
	return a;
}

jn_value jn_fn_spread(jn_call *c, jn_value *args, int nargs) { return spread(c, JN_ARG(0)); }

jn_value jn_fn_merge(jn_call *c, jn_value *args, int nargs)
{
	jn_value a = JN_ARG(0);
	if (jn_is_undef(a))
		return a;
	jn_value r = jn_object(c->cx->a, 0);
	for (uint32_t i = 0; i < jn_arr_len(a); i++) {
		jn_value o = jn_arr_get(a, i);
		if (!jn_is_obj(o))
			continue;
		for (uint32_t k = 0; k < jn_obj_len(o); k++)
			jn_obj_set(c->cx->a, r, jn_obj_key_at(o, k), jn_obj_val_at(o, k));
	}
	return r;
}

jn_value jn_fn_each(jn_call *c, jn_value *args, int nargs)
{
	jn_value o = JN_ARG(0), fn = JN_ARG(1);
	jn_value r = jn_seq(c->cx->a);
	if (!jn_is_obj(o))
		return r;
	for (uint32_t k = 0; k < jn_obj_len(o); k++) {
		jn_value *fa = arena_alloc(c->cx->a, sizeof(jn_value) * 3);
		int n = jn_hof_args(fn, fa, jn_obj_val_at(o, k), jn_string_of(jn_obj_key_at(o, k)), o);
		jn_value v = jn_call_fn(c, fn, fa, n);
		JN_TRY(v);
		if (!jn_is_undef(v))
			jn_arr_push(c->cx->a, r, v);
	}
	return r;
}

jn_value jn_fn_sift(jn_call *c, jn_value *args, int nargs)
{
	jn_value o = JN_ARG(0), fn = JN_ARG(1);
	if (!jn_is_obj(o))
		return jn_undefined();
	jn_value r = jn_object(c->cx->a, 0);
	for (uint32_t k = 0; k < jn_obj_len(o); k++) {
		if (!jn_is_fn(fn))
			return jn_error(c->cx, JN_E_T1006);
		jn_value *fa = arena_alloc(c->cx->a, sizeof(jn_value) * 3);
		int n = jn_hof_args(fn, fa, jn_obj_val_at(o, k), jn_string_of(jn_obj_key_at(o, k)), o);
		jn_value v = jn_call_fn(c, fn, fa, n);
		JN_TRY(v);
		if (jn_boolean(v) == 1)
			jn_obj_set(c->cx->a, r, jn_obj_key_at(o, k), jn_obj_val_at(o, k));
	}
	return jn_obj_len(r) ? r : jn_undefined();
}

jn_value jn_fn_error(jn_call *c, jn_value *args, int nargs)
{
	jn_value m = JN_ARG(0);
	return jn_fn_error_msg(c, JN_E_D3137,
	                       jn_is_str(m) && jn_str_len(m) ? jn_str(m) : "$error() function evaluated");
}

jn_value jn_fn_assert(jn_call *c, jn_value *args, int nargs)
{
	jn_value cond = JN_ARG(0), m = JN_ARG(1);
	if (cond.kind == JN_BOOL && jn_truth(cond))
		return jn_undefined();
	return jn_fn_error_msg(c, JN_E_D3141,
	                       jn_is_str(m) && jn_str_len(m) ? jn_str(m) : "$assert() statement failed");
}

jn_value jn_fn_type(jn_call *c, jn_value *args, int nargs)
{
	jn_value v = JN_ARG(0);
	const char *t;
	switch (jn_kind_of(v)) {
	case JN_UNDEFINED:
		return v;
	case JN_NULL:
		t = "null";
		break;
	case JN_NUMBER: {
		jn_value err;
		int num = jn_is_numeric(c->cx, v, &err);
		if (num < 0)
			return err;
		t = num ? "number" : "object";
		break;
	}
	case JN_STRING:
		t = "string";
		break;
	case JN_BOOL:
		t = "boolean";
		break;
	case JN_ARRAY:
		t = "array";
		break;
	case JN_FUNCTION:
	case JN_LAMBDA:
		t = "function";
		break;
	default:
		t = "object";
	}
	return jn_string(c->cx->a, t);
}

/* JSON.parse($string(v)): a deep copy where numbers keep 15 significant digits */
jn_value jn_fn_clone(jn_call *c, jn_value *args, int nargs)
{
	jn_value a = JN_ARG(0);
	if (jn_is_undef(a))
		return a;
	jn_value s = jn_stringify(c->cx, a, 0);
	JN_TRY(s);
	int ok;
	jn_value v = jn_parse_json(c->cx, jn_str(s), jn_str_len(s), &ok);
	if (!ok)
		return jn_undefined();
	return v;
}
