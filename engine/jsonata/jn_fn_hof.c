/* jn_fn_hof.c - higher-order built-ins: $map $filter $single $reduce. */
#include "engine/jsonata/jn_fn.h"

int jn_hof_args(jn_value fn, jn_value *out, jn_value v, jn_value k, jn_value whole)
{
	int ar = jn_is_fn(fn) ? jn_fn_arity(fn) : 1;
	out[0] = v;
	int n = 1;
	if (ar >= 2)
		out[n++] = k;
	if (ar >= 3)
		out[n++] = whole;
	return n;
}

jn_value jn_fn_map(jn_call *c, jn_value *args, int nargs)
{
	jn_value a = JN_ARG(0), fn = JN_ARG(1);
	if (jn_is_undef(a))
		return a;
	uint32_t n = jn_arr_len(a);
	jn_value r = jn_array(c->cx->a, n, JN_SEQ);
	for (uint32_t i = 0; i < n; i++) {
		jn_value *fa = arena_alloc(c->cx->a, sizeof(jn_value) * 3);
		int k = jn_hof_args(fn, fa, jn_arr_get(a, i), jn_number(i), a);
		jn_value v = jn_call_fn(c, fn, fa, k);
		JN_TRY(v);
		if (!jn_is_undef(v))
			jn_arr_push(c->cx->a, r, v);
	}
	return r;
}

jn_value jn_fn_filter(jn_call *c, jn_value *args, int nargs)
{
	jn_value a = JN_ARG(0), fn = JN_ARG(1);
	if (jn_is_undef(a))
		return a;
	uint32_t n = jn_arr_len(a);
	jn_value r = jn_array(c->cx->a, 0, JN_SEQ);
	for (uint32_t i = 0; i < n; i++) {
		jn_value *fa = arena_alloc(c->cx->a, sizeof(jn_value) * 3);
		jn_value e = jn_arr_get(a, i);
		int k = jn_hof_args(fn, fa, e, jn_number(i), a);
		jn_value v = jn_call_fn(c, fn, fa, k);
		JN_TRY(v);
		if (jn_boolean(v) == 1)
			jn_arr_push(c->cx->a, r, e);
	}
	return r;
}

jn_value jn_fn_single(jn_call *c, jn_value *args, int nargs)
{
	jn_value a = JN_ARG(0), fn = JN_ARG(1);
	if (jn_is_undef(a))
		return a;
	int found = 0;
	jn_value result = jn_undefined();
	for (uint32_t i = 0; i < jn_arr_len(a); i++) {
		jn_value e = jn_arr_get(a, i);
		int pos = 1;
		if (!jn_is_undef(fn)) {
			jn_value *fa = arena_alloc(c->cx->a, sizeof(jn_value) * 3);
			int k = jn_hof_args(fn, fa, e, jn_number(i), a);
			jn_value v = jn_call_fn(c, fn, fa, k);
			JN_TRY(v);
			pos = jn_boolean(v) == 1;
		}
		if (pos) {
			if (found) {
				jn_value err = jn_error(c->cx, JN_E_D3138);
				jn_errp(err)->index = (int)i;
				return err;
			}
			result = e;
			found = 1;
		}
	}
	if (!found)
		return jn_error(c->cx, JN_E_D3139);
	return result;
}

jn_value jn_fn_reduce(jn_call *c, jn_value *args, int nargs)
{
	jn_value a = JN_ARG(0), fn = JN_ARG(1), init = JN_ARG(2);
	if (jn_is_undef(a))
		return a;
	int ar = jn_fn_arity(fn);
	if (ar < 2) {
		jn_value e = jn_error(c->cx, JN_E_D3050);
		jn_errp(e)->index = 1;
		return e;
	}
	uint32_t n = jn_arr_len(a), i;
	jn_value result;
	if (jn_is_undef(init) && n > 0) {
		result = jn_arr_get(a, 0);
		i = 1;
	} else {
		result = init;
		i = 0;
	}
	for (; i < n; i++) {
		jn_value *fa = arena_alloc(c->cx->a, sizeof(jn_value) * 4);
		int k = 0;
		fa[k++] = result;
		fa[k++] = jn_arr_get(a, i);
		if (ar >= 3)
			fa[k++] = jn_number(i);
		if (ar >= 4)
			fa[k++] = a;
		result = jn_call_fn(c, fn, fa, k);
		JN_TRY(result);
	}
	return result;
}
