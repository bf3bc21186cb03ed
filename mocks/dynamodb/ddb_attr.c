/* ddb_attr.c - AttributeValues: validation, equality, order, size, plain JSON. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/b64.h"
#include "common/mem.h"
#include "mocks/dynamodb/ddb_int.h"

static const char *const type_names[] = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"};
#define NTYPES ((int)(sizeof type_names / sizeof *type_names))
#define MAX_DEPTH 32

const char *ddb_type_name(ddb_type t) { return t >= 0 && t < NTYPES ? type_names[t] : "?"; }

ddb_type ddb_type_parse(const char *s)
{
	if (!s)
		return DDB_T_NONE;
	for (int i = 0; i < NTYPES; i++)
		if (!strcmp(s, type_names[i]))
			return (ddb_type)i;
	return DDB_T_NONE;
}

ddb_type ddb_av_type(const cJSON *av)
{
	if (!cJSON_IsObject(av) || !av->child || av->child->next)
		return DDB_T_NONE;
	return ddb_type_parse(av->child->string);
}

int ddb_av_num(const cJSON *s, ddb_num *out)
{
	if (!cJSON_IsString(s))
		return -1;
	return ddb_num_parse(s->valuestring, strlen(s->valuestring), out) ? -1 : 0;
}

int ddb_b64_bytes(const char *s, sb *out) { return b64_decode(s, strlen(s), 0, out); }

cJSON *ddb_av_new_num(const ddb_num *n)
{
	char buf[DDB_NUM_FMT_MAX];
	ddb_num_format(n, buf);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "N", buf);
	return o;
}

/* ======================================================================
 * Validation of values from requests
 * ====================================================================== */

static int ser_fail(mock_req *rq, const cJSON *v, const char *want)
{
	const char *got = cJSON_IsNumber(v) ? "NUMBER_VALUE" :
	                  cJSON_IsBool(v)   ? (cJSON_IsTrue(v) ? "TRUE_VALUE" : "FALSE_VALUE") :
	                  cJSON_IsString(v) ? "VALUE_STRING" :
	                  cJSON_IsArray(v)  ? "START_ARRAY" :
	                  cJSON_IsObject(v) ? "START_OBJECT" : "VALUE_NULL";
	mock_fail(rq, AWSERR_ANY_SerializationException, "%s cannot be converted to %s", got, want);
	return -1;
}

static int num_fix(mock_req *rq, cJSON *s)
{
	ddb_num n;
	int rc = ddb_num_parse(s->valuestring, strlen(s->valuestring), &n);
	if (rc) {
		DDB_ERR(rq, ValidationException, "%s", ddb_num_strerror(rc));
		return -1;
	}
	char buf[DDB_NUM_FMT_MAX];
	ddb_num_format(&n, buf);
	if (strcmp(buf, s->valuestring))
		cJSON_SetValuestring(s, buf);
	return 0;
}

static void collection_text(const cJSON *arr, sb *out)
{
	sb_catc(out, '[');
	for (const cJSON *e = arr->child; e; e = e->next) {
		if (e != arr->child)
			sb_cat(out, ", ");
		sb_cat(out, e->valuestring);
	}
	sb_catc(out, ']');
}

static int set_check(mock_req *rq, cJSON *arr, ddb_type t)
{
	if (!cJSON_IsArray(arr))
		return ser_fail(rq, arr, "List");
	if (!arr->child) {
		if (t == DDB_T_SS)
			DDB_ERR(rq, ValidationException, DDB_INVALID "An string set  may not be empty");
		else if (t == DDB_T_NS)
			DDB_ERR(rq, ValidationException, DDB_INVALID "An number set  may not be empty");
		else
			DDB_ERR(rq, ValidationException, DDB_INVALID "Binary sets should not be empty");
		return -1;
	}
	for (cJSON *e = arr->child; e; e = e->next) {
		if (!cJSON_IsString(e))
			return ser_fail(rq, e, "String");
		if (t == DDB_T_NS && num_fix(rq, e))
			return -1;
		if (t == DDB_T_BS) {
			sb b = SB_INIT;
			int bad = ddb_b64_bytes(e->valuestring, &b);
			sb_free(&b);
			if (bad) {
				mock_fail(rq, AWSERR_ANY_SerializationException, "Invalid Base64 value");
				return -1;
			}
		}
	}
	/* duplicates: after normalisation, so 1 and 1.0 collide as DynamoDB's do */
	for (cJSON *e = arr->child; e; e = e->next)
		for (cJSON *f = e->next; f; f = f->next)
			if (!strcmp(e->valuestring, f->valuestring)) {
				sb msg = SB_INIT;
				collection_text(arr, &msg);
				DDB_ERR(rq, ValidationException, DDB_INVALID "Input collection %s contains duplicates.",
				        sb_str(&msg));
				sb_free(&msg);
				return -1;
			}
	return 0;
}

int ddb_av_check(mock_req *rq, cJSON *av, int depth)
{
	if (!cJSON_IsObject(av))
		return ser_fail(rq, av, "AttributeValue");
	if (depth > MAX_DEPTH) {
		DDB_ERR(rq, ValidationException, "Nesting Levels have exceeded supported limits");
		return -1;
	}
	cJSON *content = NULL;
	ddb_type t = DDB_T_NONE;
	int n = 0;
	for (cJSON *m = av->child; m; m = m->next) {
		ddb_type mt = ddb_type_parse(m->string);
		if (mt == DDB_T_NONE || cJSON_IsNull(m))
			continue;
		n++;
		t = mt;
		content = m;
	}
	if (n == 0) {
		DDB_ERR(rq, ValidationException,
		        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
		return -1;
	}
	if (n > 1) {
		DDB_ERR(rq, ValidationException,
		        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
		return -1;
	}
	/* drop members the service ignores so the stored value has one member */
	for (cJSON *m = av->child, *next; m; m = next) {
		next = m->next;
		if (m != content)
			cJSON_Delete(cJSON_DetachItemViaPointer(av, m));
	}
	switch (t) {
	case DDB_T_S:
		return cJSON_IsString(content) ? 0 : ser_fail(rq, content, "String");
	case DDB_T_N:
		if (!cJSON_IsString(content))
			return ser_fail(rq, content, "String");
		return num_fix(rq, content);
	case DDB_T_B: {
		if (!cJSON_IsString(content))
			return ser_fail(rq, content, "Blob");
		sb b = SB_INIT;
		int bad = ddb_b64_bytes(content->valuestring, &b);
		sb_free(&b);
		if (bad) {
			mock_fail(rq, AWSERR_ANY_SerializationException, "Invalid Base64 value");
			return -1;
		}
		return 0;
	}
	case DDB_T_BOOL:
		return cJSON_IsBool(content) ? 0 : ser_fail(rq, content, "Boolean");
	case DDB_T_NULL:
		if (!cJSON_IsBool(content))
			return ser_fail(rq, content, "Boolean");
		if (!cJSON_IsTrue(content)) {
			DDB_ERR(rq, ValidationException, DDB_INVALID "Null attribute value types must have the value of true");
			return -1;
		}
		return 0;
	case DDB_T_M:
		if (!cJSON_IsObject(content))
			return ser_fail(rq, content, "Map");
		for (cJSON *m = content->child; m; m = m->next)
			if (ddb_av_check(rq, m, depth + 1))
				return -1;
		return 0;
	case DDB_T_L:
		if (!cJSON_IsArray(content))
			return ser_fail(rq, content, "List");
		for (cJSON *m = content->child; m; m = m->next)
			if (ddb_av_check(rq, m, depth + 1))
				return -1;
		return 0;
	case DDB_T_SS:
	case DDB_T_NS:
	case DDB_T_BS:
		return set_check(rq, content, t);
	default:
		return -1;
	}
}

int ddb_item_check(mock_req *rq, cJSON *item)
{
	if (!cJSON_IsObject(item))
		return ser_fail(rq, item, "Map");
	for (cJSON *a = item->child; a; a = a->next)
		if (ddb_av_check(rq, a, 1))
			return -1;
	return 0;
}

/* ======================================================================
 * Equality, order, size
 * ====================================================================== */

static int bytes_cmp(const char *a, const char *b)
{
	sb x = SB_INIT, y = SB_INIT;
	ddb_b64_bytes(a, &x);
	ddb_b64_bytes(b, &y);
	size_t n = x.len < y.len ? x.len : y.len;
	int r = n ? memcmp(x.buf, y.buf, n) : 0;
	if (!r && x.len != y.len)
		r = x.len < y.len ? -1 : 1;
	sb_free(&x);
	sb_free(&y);
	return r;
}

static int num_text_cmp(const char *a, const char *b)
{
	ddb_num x, y;
	if (ddb_num_parse(a, strlen(a), &x) || ddb_num_parse(b, strlen(b), &y))
		return strcmp(a, b);
	return ddb_num_cmp(&x, &y);
}

int ddb_av_cmp(const cJSON *a, const cJSON *b)
{
	ddb_type t = ddb_av_type(a);
	const char *x = a->child->valuestring, *y = b->child->valuestring;
	if (!x || !y)
		return 0;
	if (t == DDB_T_N)
		return num_text_cmp(x, y);
	if (t == DDB_T_B)
		return bytes_cmp(x, y);
	return strcmp(x, y);
}

static int scalar_eq(ddb_type t, const char *x, const char *y)
{
	if (t == DDB_T_N || t == DDB_T_NS)
		return num_text_cmp(x, y) == 0;
	if (t == DDB_T_B || t == DDB_T_BS)
		return bytes_cmp(x, y) == 0;
	return !strcmp(x, y);
}

int ddb_av_equal(const cJSON *a, const cJSON *b)
{
	ddb_type t = ddb_av_type(a);
	if (t == DDB_T_NONE || t != ddb_av_type(b))
		return 0;
	const cJSON *x = a->child, *y = b->child;
	switch (t) {
	case DDB_T_S:
	case DDB_T_N:
	case DDB_T_B:
		return cJSON_IsString(x) && cJSON_IsString(y) && scalar_eq(t, x->valuestring, y->valuestring);
	case DDB_T_BOOL:
	case DDB_T_NULL:
		return cJSON_IsTrue(x) == cJSON_IsTrue(y);
	case DDB_T_M: {
		if (cJSON_GetArraySize(x) != cJSON_GetArraySize(y))
			return 0;
		for (const cJSON *m = x->child; m; m = m->next) {
			const cJSON *o = cJSON_GetObjectItemCaseSensitive(y, m->string);
			if (!o || !ddb_av_equal(m, o))
				return 0;
		}
		return 1;
	}
	case DDB_T_L: {
		const cJSON *m = x->child, *o = y->child;
		for (; m && o; m = m->next, o = o->next)
			if (!ddb_av_equal(m, o))
				return 0;
		return !m && !o;
	}
	default: { /* sets: same size and every element of x in y */
		if (cJSON_GetArraySize(x) != cJSON_GetArraySize(y))
			return 0;
		for (const cJSON *m = x->child; m; m = m->next) {
			int found = 0;
			for (const cJSON *o = y->child; o && !found; o = o->next)
				found = cJSON_IsString(m) && cJSON_IsString(o) && scalar_eq(t, m->valuestring, o->valuestring);
			if (!found)
				return 0;
		}
		return 1;
	}
	}
}

static size_t b64_len(const char *s)
{
	size_t n = strlen(s), pad = 0;
	while (n > pad && s[n - 1 - pad] == '=')
		pad++;
	return (n - pad) * 3 / 4;
}

static size_t num_text_size(const char *s)
{
	ddb_num n;
	if (ddb_num_parse(s, strlen(s), &n))
		return strlen(s);
	return ddb_num_size(&n);
}

size_t ddb_av_size(const cJSON *av)
{
	ddb_type t = ddb_av_type(av);
	const cJSON *c = ddb_av_content(av);
	size_t n = 0;
	switch (t) {
	case DDB_T_S: return strlen(c->valuestring ? c->valuestring : "");
	case DDB_T_N: return num_text_size(c->valuestring ? c->valuestring : "0");
	case DDB_T_B: return b64_len(c->valuestring ? c->valuestring : "");
	case DDB_T_BOOL:
	case DDB_T_NULL: return 1;
	case DDB_T_M:
		n = 3;
		for (const cJSON *m = c->child; m; m = m->next)
			n += 1 + strlen(m->string) + ddb_av_size(m);
		return n;
	case DDB_T_L:
		n = 3;
		for (const cJSON *m = c->child; m; m = m->next)
			n += 1 + ddb_av_size(m);
		return n;
	case DDB_T_SS:
	case DDB_T_NS:
	case DDB_T_BS:
		for (const cJSON *m = c->child; m; m = m->next) {
			const char *s = m->valuestring ? m->valuestring : "";
			n += t == DDB_T_SS ? strlen(s) : t == DDB_T_NS ? num_text_size(s) : b64_len(s);
		}
		return n;
	default: return 0;
	}
}

size_t ddb_item_size(const cJSON *item)
{
	size_t n = 0;
	for (const cJSON *a = item ? item->child : NULL; a; a = a->next)
		n += strlen(a->string) + ddb_av_size(a);
	return n;
}

/* ======================================================================
 * Plain JSON (ddb_attr.h)
 * ====================================================================== */

static int looks_typed(const cJSON *v, int depth);

static int looks_typed_map(const cJSON *m, int depth)
{
	for (const cJSON *e = m->child; e; e = e->next)
		if (!looks_typed(e, depth + 1))
			return 0;
	return 1;
}

static int string_array(const cJSON *a)
{
	if (!cJSON_IsArray(a))
		return 0;
	for (const cJSON *e = a->child; e; e = e->next)
		if (!cJSON_IsString(e))
			return 0;
	return 1;
}

/* Does v have the shape of one typed value? */
static int looks_typed(const cJSON *v, int depth)
{
	if (depth > 64 || !cJSON_IsObject(v) || !v->child || v->child->next)
		return 0;
	const cJSON *c = v->child;
	switch (ddb_type_parse(c->string)) {
	case DDB_T_S:
	case DDB_T_N:
	case DDB_T_B: return cJSON_IsString(c);
	case DDB_T_BOOL: return cJSON_IsBool(c);
	case DDB_T_NULL: return cJSON_IsTrue(c);
	case DDB_T_M: return cJSON_IsObject(c) && looks_typed_map(c, depth);
	case DDB_T_L: {
		if (!cJSON_IsArray(c))
			return 0;
		for (const cJSON *e = c->child; e; e = e->next)
			if (!looks_typed(e, depth + 1))
				return 0;
		return 1;
	}
	case DDB_T_SS:
	case DDB_T_NS:
	case DDB_T_BS: return string_array(c);
	default: return 0;
	}
}

static cJSON *value_to_plain(const cJSON *av)
{
	const cJSON *c = ddb_av_content(av);
	switch (ddb_av_type(av)) {
	case DDB_T_S:
	case DDB_T_B: return cJSON_CreateString(cJSON_IsString(c) ? c->valuestring : "");
	case DDB_T_N: return cJSON_CreateNumber(cJSON_IsString(c) ? strtod(c->valuestring, NULL) : 0);
	case DDB_T_BOOL: return cJSON_CreateBool(cJSON_IsTrue(c));
	case DDB_T_M: {
		cJSON *o = cJSON_CreateObject();
		for (const cJSON *m = c->child; m; m = m->next)
			cJSON_AddItemToObject(o, m->string, value_to_plain(m));
		return o;
	}
	case DDB_T_L: {
		cJSON *a = cJSON_CreateArray();
		for (const cJSON *m = c->child; m; m = m->next)
			cJSON_AddItemToArray(a, value_to_plain(m));
		return a;
	}
	case DDB_T_SS:
	case DDB_T_NS:
	case DDB_T_BS: {
		cJSON *a = cJSON_CreateArray();
		int num = ddb_av_type(av) == DDB_T_NS;
		for (const cJSON *m = cJSON_IsArray(c) ? c->child : NULL; m; m = m->next) {
			const char *s = cJSON_IsString(m) ? m->valuestring : "";
			cJSON_AddItemToArray(a, num ? cJSON_CreateNumber(strtod(s, NULL)) : cJSON_CreateString(s));
		}
		return a;
	}
	default: return cJSON_CreateNull();
	}
}

cJSON *ddb_attr_to_plain(const cJSON *v)
{
	if (looks_typed(v, 0))
		return value_to_plain(v);
	if (!cJSON_IsObject(v))
		return cJSON_CreateNull();
	cJSON *o = cJSON_CreateObject();
	for (const cJSON *m = v->child; m; m = m->next)
		cJSON_AddItemToObject(o, m->string, value_to_plain(m));
	return o;
}

static void num_text(double d, char *buf, size_t n)
{
	if (d == floor(d) && fabs(d) < 1e15) {
		snprintf(buf, n, "%.0f", d);
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, n, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

cJSON *ddb_attr_from_plain(const cJSON *p)
{
	cJSON *o = cJSON_CreateObject();
	if (cJSON_IsBool(p)) {
		cJSON_AddBoolToObject(o, "BOOL", cJSON_IsTrue(p));
	} else if (cJSON_IsNumber(p)) {
		char buf[64];
		num_text(p->valuedouble, buf, sizeof buf);
		cJSON_AddStringToObject(o, "N", buf);
	} else if (cJSON_IsString(p)) {
		cJSON_AddStringToObject(o, "S", p->valuestring);
	} else if (cJSON_IsArray(p)) {
		cJSON *a = cJSON_AddArrayToObject(o, "L");
		for (const cJSON *e = p->child; e; e = e->next)
			cJSON_AddItemToArray(a, ddb_attr_from_plain(e));
	} else if (cJSON_IsObject(p)) {
		cJSON *m = cJSON_AddObjectToObject(o, "M");
		for (const cJSON *e = p->child; e; e = e->next)
			cJSON_AddItemToObject(m, e->string, ddb_attr_from_plain(e));
	} else {
		cJSON_AddBoolToObject(o, "NULL", 1);
	}
	return o;
}

cJSON *ddb_attr_item_from_plain(const cJSON *p)
{
	cJSON *o = cJSON_CreateObject();
	for (const cJSON *e = cJSON_IsObject(p) ? p->child : NULL; e; e = e->next)
		cJSON_AddItemToObject(o, e->string, ddb_attr_from_plain(e));
	return o;
}
