/* jn_fn_array.c - array built-ins: $append $reverse $sort $shuffle $distinct $zip, and Step Functions' $partition $range. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/jsonata/jn_fn.h"

jn_value jn_fn_append(jn_call *c, jn_value *args, int nargs) { return jn_append(c->cx, JN_ARG(0), JN_ARG(1)); }

jn_value jn_fn_reverse(jn_call *c, jn_value *args, int nargs)
{
	jn_value a = JN_ARG(0);
	if (jn_is_undef(a) || jn_arr_len(a) <= 1)
		return a;
	uint32_t n = jn_arr_len(a);
	jn_value r = jn_array(c->cx->a, n, 0);
	for (uint32_t i = 0; i < n; i++)
		jn_arr_push(c->cx->a, r, jn_arr_get(a, n - 1 - i));
	return r;
}

static int default_cmp(void *ud, jn_value a, jn_value b, jn_value *err)
{
	(void)ud;
	(void)err;
	if (jn_is_num(a))
		return jn_num(a) > jn_num(b);
	return jn_str_cmp(jn_strp(a), jn_strp(b)) > 0;
}

typedef struct fn_cmp {
	jn_call *c;
	jn_value fn;
} fn_cmp;

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

static int user_cmp(void *ud, jn_value a, jn_value b, jn_value *err)
{
	fn_cmp *u = ud;
	jn_value *args = arena_alloc(u->c->cx->a, sizeof(jn_value) * 2);
	args[0] = a;
	args[1] = b;
	jn_value r = jn_call_fn(u->c, u->fn, args, 2);
	if (jn_is_err(r)) {
		*err = r;
		return -1;
	}
	return js_truthy(r);
}

jn_value jn_fn_sort(jn_call *c, jn_value *args, int nargs)
{
	jn_value a = JN_ARG(0), fn = JN_ARG(1);
	if (jn_is_undef(a) || jn_arr_len(a) <= 1)
		return a;
	if (jn_is_undef(fn)) {
		int nums = 1, strs = 1;
		for (uint32_t i = 0; i < jn_arr_len(a); i++) {
			jn_value v = jn_arr_get(a, i), err;
			int num = jn_is_numeric(c->cx, v, &err);
			if (num < 0)
				return err;
			if (!num)
				nums = 0;
			if (!jn_is_str(v))
				strs = 0;
		}
		if (!nums && !strs) {
			jn_value e = jn_error(c->cx, JN_E_D3070);
			jn_errp(e)->index = 1;
			return e;
		}
		return jn_sort_values(c->cx, a, default_cmp, NULL);
	}
	fn_cmp u = {c, fn};
	return jn_sort_values(c->cx, a, user_cmp, &u);
}

jn_value jn_fn_shuffle(jn_call *c, jn_value *args, int nargs)
{
	jn_value a = JN_ARG(0);
	if (jn_is_undef(a) || jn_arr_len(a) <= 1)
		return a;
	uint32_t n = jn_arr_len(a);
	jn_value r = jn_array(c->cx->a, n, 0);
	jn_value *out = jn_arrp(r)->items;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t j = (uint32_t)floor(jn_random(c->cx) * (i + 1));
		if (j > i)
			j = i;
		if (i != j)
			out[i] = out[j];
		out[j] = jn_arr_get(a, i);
	}
	jn_arrp(r)->len = n;
	return r;
}

jn_value jn_fn_distinct(jn_call *c, jn_value *args, int nargs)
{
	jn_value a = JN_ARG(0);
	if (jn_is_undef(a) || !jn_is_arr(a) || jn_arr_len(a) <= 1)
		return a;
	jn_value r = jn_array(c->cx->a, 0, jn_is_seq(a) ? JN_SEQ : 0);
	for (uint32_t i = 0; i < jn_arr_len(a); i++) {
		jn_value v = jn_arr_get(a, i);
		int found = 0;
		for (uint32_t j = 0; j < jn_arr_len(r); j++)
			if (jn_deep_equal(v, jn_arr_get(r, j))) {
				found = 1;
				break;
			}
		if (!found)
			jn_arr_push(c->cx->a, r, v);
	}
	return r;
}

jn_value jn_fn_zip(jn_call *c, jn_value *args, int nargs)
{
	jn_value r = jn_array(c->cx->a, 0, 0);
	if (nargs == 0)
		return r;
	uint32_t len = UINT32_MAX;
	for (int i = 0; i < nargs; i++) {
		uint32_t l = jn_is_arr(args[i]) ? jn_arr_len(args[i]) : 0;
		if (l < len)
			len = l;
	}
	for (uint32_t k = 0; k < len; k++) {
		jn_value t = jn_array(c->cx->a, (uint32_t)nargs, 0);
		for (int i = 0; i < nargs; i++)
			jn_arr_push(c->cx->a, t, jn_arr_get(args[i], k));
		jn_arr_push(c->cx->a, r, t);
	}
	return r;
}

/* ---- Step Functions additions -------------------------------------------------- */

jn_value jn_fn_partition(jn_call *c, jn_value *args, int nargs)
{
	jn_value a = JN_ARG(0), sz = JN_ARG(1);
	if (jn_is_undef(a))
		return a;
	double size = jn_num(sz);
	if (!(size >= 1) || size != trunc(size) || !isfinite(size))
		return jn_fn_error_msg(c, JN_E_D3202, "The chunk size argument of $partition must be a positive integer");
	jn_value r = jn_array(c->cx->a, 0, 0);
	uint32_t n = jn_arr_len(a), step = size > n ? (n ? n : 1) : (uint32_t)size;
	for (uint32_t i = 0; i < n; i += step) {
		uint32_t m = n - i < step ? n - i : step;
		jn_value chunk = jn_array(c->cx->a, m, 0);
		for (uint32_t k = 0; k < m; k++)
			jn_arr_push(c->cx->a, chunk, jn_arr_get(a, i + k));
		jn_arr_push(c->cx->a, r, chunk);
	}
	return r;
}

jn_value jn_fn_range(jn_call *c, jn_value *args, int nargs)
{
	jn_value s = JN_ARG(0), e = JN_ARG(1), st = JN_ARG(2);
	if (jn_is_undef(s) || jn_is_undef(e))
		return jn_undefined();
	double start = jn_num(s), end = jn_num(e), step = jn_is_undef(st) ? 1 : jn_num(st);
	if (step == 0 || !isfinite(step) || !isfinite(start) || !isfinite(end))
		return jn_fn_error_msg(c, JN_E_D3203, "The step argument of $range must be a non-zero number");
	double count = floor((end - start) / step) + 1;
	if (count > 1e7)
		return jn_fn_error_msg(c, JN_E_D3203, "The sequence generated by $range must not exceed 1e7 items");
	/* a sequence: one item comes back as that item */
	jn_value r = jn_array(c->cx->a, count > 0 ? (uint32_t)count : 0, JN_SEQ);
	for (double i = 0; i < count; i++)
		jn_arr_push(c->cx->a, r, jn_number(start + i * step));
	return r;
}
