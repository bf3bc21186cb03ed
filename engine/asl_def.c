/* asl_def.c - load and validate a definition into an immutable state graph. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/cj.h"
#include "common/clock.h"
#include "common/mem.h"
#include "engine/asl_int.h"

static const char *const type_names[] = {
#define ASL_STATE(n) #n,
#include "engine/asl_states.def"
#undef ASL_STATE
};

const char *asl_type_name(asl_type t) { return (unsigned)t < ASL_NTYPES ? type_names[t] : "?"; }

/* ======================================================================
 * Diagnostics
 * ====================================================================== */

typedef struct ld {
	engine_diags *diags;
	int nerr;
	engine_def *d;
	/* every state of the machine, nested ones too (names are global) */
	asl_state **all;
	int nall, capall;
} ld;

void engine_diags_free(engine_diags *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		mem_free(d->v[i].path);
		mem_free(d->v[i].message);
		mem_free(d->v[i].code);
	}
	mem_free(d->v);
	memset(d, 0, sizeof *d);
}

__attribute__((format(printf, 4, 5))) static void diag(ld *L, const char *path, const char *code, const char *fmt,
                                                        ...)
{
	L->nerr++;
	if (!L->diags)
		return;
	engine_diags *d = L->diags;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->v = mem_realloc(d->v, d->cap * sizeof *d->v);
	}
	sb m = SB_INIT;
	sb_printf(&m, "%s: ", code);
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(&m, fmt, ap);
	va_end(ap);
	engine_diag *g = &d->v[d->n++];
	g->path = path ? mem_strdup(path) : NULL;
	g->message = sb_steal(&m);
	g->code = mem_strdup(code);
}

#define SCHEMA "SCHEMA_VALIDATION_FAILED"

char *engine_diags_message(const engine_diags *d)
{
	sb m = SB_INIT;
	sb_cat(&m, "Invalid State Machine Definition: '");
	for (size_t i = 0; i < d->n; i++) {
		if (i)
			sb_cat(&m, ", ");
		sb_cat(&m, d->v[i].message);
		sb_printf(&m, " at %s", d->v[i].path ? d->v[i].path : "null");
	}
	sb_catc(&m, '\'');
	return sb_steal(&m);
}

static char *pjoin(const char *base, const char *key)
{
	sb b = SB_INIT;
	sb_printf(&b, "%s/%s", base, key);
	return sb_steal(&b);
}

/* ======================================================================
 * Templates
 * ====================================================================== */

static int is_jsonata_str(const cJSON *v)
{
	if (!cJSON_IsString(v))
		return 0;
	size_t n = strlen(v->valuestring);
	return n >= 4 && !strncmp(v->valuestring, "{%", 2) && !strcmp(v->valuestring + n - 2, "%}");
}

static int has_dynamic(const asl_tmpl *t)
{
	return t->kind != TM_LIT;
}

static asl_tmpl *tm_new(asl_tm_kind k)
{
	asl_tmpl *t = mem_calloc(1, sizeof *t);
	t->kind = k;
	return t;
}

/* Collapse an object/array template without dynamic parts into a literal. */
static asl_tmpl *tm_maybe_lit(asl_tmpl *t, const cJSON *src)
{
	for (size_t i = 0; i < t->n; i++)
		if (has_dynamic(t->kids[i]))
			return t;
	asl_tmpl_free(t);
	asl_tmpl *l = tm_new(TM_LIT);
	l->lit = cJSON_Duplicate(src, 1);
	return l;
}

static asl_tmpl *compile_jsonata_str(ld *L, const char *s, const char *field, const char *dpath)
{
	size_t n = strlen(s);
	const char *b = s + 2, *e = s + n - 2;
	while (b < e && isspace((unsigned char)*b))
		b++;
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	asl_tmpl *t = tm_new(TM_JSONATA);
	t->src = mem_strndup(b, (size_t)(e - b));
	t->field = mem_strdup(field);
	jsonata_error je = {0};
	t->expr = jsonata_compile(t->src, strlen(t->src), &je);
	if (!t->expr) {
		diag(L, dpath, SCHEMA, "The JSONata expression '%s' specified for the field '%s' is invalid: %s: %s", t->src,
		     field, je.code, je.message ? je.message : "");
		jsonata_error_clear(&je);
		asl_tmpl_free(t);
		return NULL;
	}
	return t;
}

/* JSONata: any string that is entirely {% ... %} is an expression. */
static asl_tmpl *compile_jsonata(ld *L, const cJSON *v, const char *field, const char *dpath)
{
	if (is_jsonata_str(v))
		return compile_jsonata_str(L, v->valuestring, field, dpath);
	if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
		int obj = cJSON_IsObject(v);
		asl_tmpl *t = tm_new(obj ? TM_OBJ : TM_ARR);
		int n = cJSON_GetArraySize(v);
		t->kids = mem_calloc((size_t)n + 1, sizeof *t->kids);
		if (obj)
			t->keys = mem_calloc((size_t)n + 1, sizeof *t->keys);
		int i = 0, bad = 0;
		for (const cJSON *c = v->child; c; c = c->next, i++) {
			sb f = SB_INIT;
			if (obj)
				sb_printf(&f, "%s/%s", field, c->string);
			else
				sb_printf(&f, "%s[%d]", field, i); /* AWS: "Output/values[0]" */
			asl_tmpl *k = compile_jsonata(L, c, sb_str(&f), dpath);
			sb_free(&f);
			if (!k) {
				bad = 1;
				k = tm_new(TM_LIT);
				k->lit = cJSON_CreateNull();
			}
			if (obj)
				t->keys[t->n] = mem_strdup(c->string);
			t->kids[t->n++] = k;
		}
		if (bad) {
			asl_tmpl_free(t);
			return NULL;
		}
		return tm_maybe_lit(t, v);
	}
	asl_tmpl *t = tm_new(TM_LIT);
	t->lit = cJSON_Duplicate(v, 1);
	return t;
}

/* A `.$` value: a path, a context path, a variable path or an intrinsic. */
static asl_tmpl *compile_dollar(ld *L, const char *s, const char *field, const char *dpath)
{
	asl_tmpl *t;
	if (asl_intr_looks_like(s)) {
		t = tm_new(TM_INTR);
		t->intr = asl_intr_compile(s, NULL);
	} else {
		t = tm_new(TM_PATH);
		t->path = asl_path_compile(s, NULL);
	}
	if (!t->intr && !t->path) {
		diag(L, dpath, SCHEMA, "The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call",
		     field);
		asl_tmpl_free(t);
		return NULL;
	}
	t->src = mem_strdup(s);
	t->field = mem_strdup(field);
	return t;
}

/* JSONPath payload template: keys ending ".$" are evaluated. */
static asl_tmpl *compile_payload(ld *L, const cJSON *v, const char *dpath)
{
	if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
		int obj = cJSON_IsObject(v);
		asl_tmpl *t = tm_new(obj ? TM_OBJ : TM_ARR);
		int n = cJSON_GetArraySize(v);
		t->kids = mem_calloc((size_t)n + 1, sizeof *t->kids);
		if (obj)
			t->keys = mem_calloc((size_t)n + 1, sizeof *t->keys);
		int bad = 0;
		for (const cJSON *c = v->child; c; c = c->next) {
			asl_tmpl *k;
			size_t kl = obj ? strlen(c->string) : 0;
			if (obj && kl > 2 && !strcmp(c->string + kl - 2, ".$")) {
				if (!cJSON_IsString(c)) {
					diag(L, dpath, SCHEMA,
					     "The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call",
					     c->string);
					k = NULL;
				} else
					k = compile_dollar(L, c->valuestring, c->string, dpath);
				if (k)
					t->keys[t->n] = mem_strndup(c->string, kl - 2);
			} else {
				k = compile_payload(L, c, dpath);
				if (obj && k)
					t->keys[t->n] = mem_strdup(c->string);
			}
			if (!k) {
				bad = 1;
				continue;
			}
			t->kids[t->n++] = k;
		}
		if (bad) {
			asl_tmpl_free(t);
			return NULL;
		}
		return tm_maybe_lit(t, v);
	}
	asl_tmpl *t = tm_new(TM_LIT);
	t->lit = cJSON_Duplicate(v, 1);
	return t;
}

/* ======================================================================
 * Field tables: which fields each state type allows in each language
 * ====================================================================== */

enum { QL_BOTH = 0, QL_PATH = 1, QL_ATA = 2 };
#define T(x) (1u << ASL_##x)
#define T_ALL ((1u << ASL_NTYPES) - 1)

typedef struct field_rule {
	const char *name;
	unsigned types;
	int ql;
} field_rule;

static const field_rule field_rules[] = {
	{"Type", T_ALL, QL_BOTH},
	{"Comment", T_ALL, QL_BOTH},
	{"QueryLanguage", T_ALL, QL_BOTH},
	{"Next", T_ALL & ~(T(Choice) | T(Succeed) | T(Fail)), QL_BOTH},
	{"End", T_ALL & ~(T(Choice) | T(Succeed) | T(Fail)), QL_BOTH},
	{"InputPath", T_ALL & ~T(Fail), QL_PATH},
	{"OutputPath", T_ALL & ~T(Fail), QL_PATH},
	{"Output", T_ALL & ~T(Fail), QL_ATA},
	{"Assign", T_ALL & ~(T(Succeed) | T(Fail)), QL_BOTH},
	{"Parameters", T(Pass) | T(Task) | T(Parallel) | T(Map), QL_PATH},
	{"ResultPath", T(Pass) | T(Task) | T(Parallel) | T(Map), QL_PATH},
	{"ResultSelector", T(Task) | T(Parallel) | T(Map), QL_PATH},
	{"Result", T(Pass), QL_PATH},
	{"Arguments", T(Task) | T(Parallel), QL_ATA},
	{"Resource", T(Task), QL_BOTH},
	{"Credentials", T(Task), QL_BOTH},
	{"TimeoutSeconds", T(Task), QL_BOTH},
	{"HeartbeatSeconds", T(Task), QL_BOTH},
	{"TimeoutSecondsPath", T(Task), QL_PATH},
	{"HeartbeatSecondsPath", T(Task), QL_PATH},
	{"Retry", T(Task) | T(Parallel) | T(Map), QL_BOTH},
	{"Catch", T(Task) | T(Parallel) | T(Map), QL_BOTH},
	{"Choices", T(Choice), QL_BOTH},
	{"Default", T(Choice), QL_BOTH},
	{"Seconds", T(Wait), QL_BOTH},
	{"Timestamp", T(Wait), QL_BOTH},
	{"SecondsPath", T(Wait), QL_PATH},
	{"TimestampPath", T(Wait), QL_PATH},
	{"Error", T(Fail), QL_BOTH},
	{"Cause", T(Fail), QL_BOTH},
	{"ErrorPath", T(Fail), QL_PATH},
	{"CausePath", T(Fail), QL_PATH},
	{"Branches", T(Parallel), QL_BOTH},
	{"ItemProcessor", T(Map), QL_BOTH},
	{"Iterator", T(Map), QL_BOTH},
	{"ItemSelector", T(Map), QL_BOTH},
	{"ItemsPath", T(Map), QL_PATH},
	{"Items", T(Map), QL_ATA},
	{"MaxConcurrency", T(Map), QL_BOTH},
	{"MaxConcurrencyPath", T(Map), QL_PATH},
	{"ToleratedFailurePercentage", T(Map), QL_BOTH},
	{"ToleratedFailureCount", T(Map), QL_BOTH},
	{"ToleratedFailurePercentagePath", T(Map), QL_PATH},
	{"ToleratedFailureCountPath", T(Map), QL_PATH},
	{"ItemReader", T(Map), QL_BOTH},
	{"ItemBatcher", T(Map), QL_BOTH},
	{"ResultWriter", T(Map), QL_BOTH},
	{"Label", T(Map), QL_BOTH},
	{NULL, 0, 0},
};

/* ======================================================================
 * Pieces
 * ====================================================================== */

static int parse_type(const char *s, asl_type *t)
{
	for (int i = 0; i < ASL_NTYPES; i++)
		if (!strcmp(s, type_names[i])) {
			*t = (asl_type)i;
			return 0;
		}
	return -1;
}

/* A path field: string or null. */
static void get_path(ld *L, const cJSON *st, const char *key, const char *spath, asl_path **out, int *isnull,
                     int reference)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(st, key);
	if (!v)
		return;
	char *dp = pjoin(spath, key);
	if (cJSON_IsNull(v))
		*isnull = 1;
	else if (!cJSON_IsString(v))
		diag(L, dp, SCHEMA, "The field '%s' must be a string or null", key);
	else {
		*out = asl_path_compile(v->valuestring, NULL);
		if (!*out)
			diag(L, dp, SCHEMA, "The value for the field '%s' must be a valid JSONPath", key);
		else if (reference && !asl_path_is_reference(*out)) {
			diag(L, dp, SCHEMA, "The value for the field '%s' must be a valid ReferencePath", key);
		}
	}
	mem_free(dp);
}

static const char *ql_name(int jsonata) { return jsonata ? "JSONata" : "JSONPath"; }

/* A numeric field: literal / "{% %}" (JSONata) / a *Path twin (JSONPath). */
static void get_num(ld *L, const cJSON *st, asl_state *s, const char *spath, const char *name, const char *pathname,
                    asl_field *f, double min, double max, int integer)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(st, name);
	const cJSON *p = pathname ? cJSON_GetObjectItemCaseSensitive(st, pathname) : NULL;
	if (v && p) {
		diag(L, spath, SCHEMA, "There should only be one of the following fields: [%s, %s]", name, pathname);
		return;
	}
	f->name = name;
	if (v) {
		char *dp = pjoin(spath, name);
		if (s->jsonata && is_jsonata_str(v)) {
			f->t = compile_jsonata_str(L, v->valuestring, name, dp);
			f->set = f->t != NULL;
		} else if (!cJSON_IsNumber(v) || (integer && v->valuedouble != floor(v->valuedouble))) {
			diag(L, dp, SCHEMA, "The value for the field '%s' must be %s", name, integer ? "an integer" : "a number");
		} else if (v->valuedouble < min) {
			diag(L, dp, SCHEMA, integer ? "Minimum value is %.0f" : "Minimum value is %.1f", min);
		} else if (v->valuedouble > max) {
			diag(L, dp, SCHEMA, integer ? "Maximum value is %.0f" : "Maximum value is %.1f", max);
		} else {
			f->t = tm_new(TM_LIT);
			f->t->lit = cJSON_Duplicate(v, 1);
			f->set = 1;
		}
		mem_free(dp);
	} else if (p) {
		char *dp = pjoin(spath, pathname);
		f->name = pathname;
		asl_path *ap = cJSON_IsString(p) ? asl_path_compile(p->valuestring, NULL) : NULL;
		if (!ap)
			diag(L, dp, SCHEMA, "Value is not a Reference Path");
		else {
			f->t = tm_new(TM_PATH);
			f->t->path = ap;
			f->t->src = mem_strdup(p->valuestring);
			f->t->field = mem_strdup(pathname);
			f->set = 1;
		}
		mem_free(dp);
	}
}

static void get_errors(ld *L, const cJSON *o, const char *dp, char ***errs, int *n)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "ErrorEquals");
	if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) == 0) {
		diag(L, dp, SCHEMA, "These fields are required: [ErrorEquals]");
		return;
	}
	*errs = mem_calloc((size_t)cJSON_GetArraySize(e), sizeof **errs);
	for (const cJSON *c = e->child; c; c = c->next) {
		if (!cJSON_IsString(c)) {
			diag(L, dp, SCHEMA, "The values of 'ErrorEquals' must be strings");
			continue;
		}
		(*errs)[(*n)++] = mem_strdup(c->valuestring);
	}
	for (int i = 0; i < *n; i++)
		if (!strcmp((*errs)[i], "States.ALL") && *n > 1)
			diag(L, dp, SCHEMA, "States.ALL must appear alone in ErrorEquals");
}

static void get_retry(ld *L, const cJSON *st, asl_state *s, const char *spath)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(st, "Retry");
	if (!r)
		return;
	if (!cJSON_IsArray(r)) {
		char *dp = pjoin(spath, "Retry");
		diag(L, dp, SCHEMA, "The field 'Retry' must be an array");
		mem_free(dp);
		return;
	}
	int n = cJSON_GetArraySize(r), i = 0;
	s->retry = mem_calloc((size_t)n + 1, sizeof *s->retry);
	for (const cJSON *c = r->child; c; c = c->next, i++) {
		sb dp = SB_INIT;
		sb_printf(&dp, "%s/Retry[%d]", spath, i);
		asl_retrier *rt = &s->retry[s->nretry++];
		rt->interval = 1;
		rt->max_attempts = 3;
		rt->backoff = 2.0;
		get_errors(L, c, sb_str(&dp), &rt->errors, &rt->nerr);
		for (const cJSON *f = c->child; f; f = f->next) {
			const char *k = f->string;
			if (!strcmp(k, "ErrorEquals") || !strcmp(k, "Comment"))
				continue;
			if (!strcmp(k, "IntervalSeconds") && cJSON_IsNumber(f) && f->valuedouble >= 1)
				rt->interval = f->valuedouble;
			else if (!strcmp(k, "MaxAttempts") && cJSON_IsNumber(f) && f->valuedouble >= 0)
				rt->max_attempts = (int)f->valuedouble;
			else if (!strcmp(k, "BackoffRate") && cJSON_IsNumber(f) && f->valuedouble >= 1.0)
				rt->backoff = f->valuedouble;
			else if (!strcmp(k, "MaxDelaySeconds") && cJSON_IsNumber(f) && f->valuedouble >= 1)
				rt->max_delay = f->valuedouble;
			else if (!strcmp(k, "JitterStrategy") && cJSON_IsString(f) &&
			         (!strcmp(f->valuestring, "FULL") || !strcmp(f->valuestring, "NONE")))
				rt->jitter_full = !strcmp(f->valuestring, "FULL");
			else if (!strcmp(k, "IntervalSeconds") || !strcmp(k, "MaxAttempts") || !strcmp(k, "BackoffRate") ||
			         !strcmp(k, "MaxDelaySeconds") || !strcmp(k, "JitterStrategy"))
				diag(L, sb_str(&dp), SCHEMA, "The value for the field '%s' is invalid", k);
			else
				diag(L, sb_str(&dp), SCHEMA, "Field '%s' is not supported", k);
		}
		for (int e = 0; e < rt->nerr; e++)
			if (!strcmp(rt->errors[e], "States.ALL") && c->next)
				diag(L, sb_str(&dp), SCHEMA, "States.ALL must appear in the last retrier");
		sb_free(&dp);
	}
}

static void get_catch(ld *L, const cJSON *st, asl_state *s, const char *spath)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(st, "Catch");
	if (!r)
		return;
	if (!cJSON_IsArray(r)) {
		char *dp = pjoin(spath, "Catch");
		diag(L, dp, SCHEMA, "The field 'Catch' must be an array");
		mem_free(dp);
		return;
	}
	int n = cJSON_GetArraySize(r), i = 0;
	s->catchers = mem_calloc((size_t)n + 1, sizeof *s->catchers);
	for (const cJSON *c = r->child; c; c = c->next, i++) {
		sb dp = SB_INIT;
		sb_printf(&dp, "%s/Catch[%d]", spath, i);
		asl_catcher *ct = &s->catchers[s->ncatch++];
		get_errors(L, c, sb_str(&dp), &ct->errors, &ct->nerr);
		const char *next = cj_str(c, "Next");
		if (!next)
			diag(L, sb_str(&dp), SCHEMA, "These fields are required: [Next]");
		else
			ct->next_name = mem_strdup(next);
		for (const cJSON *f = c->child; f; f = f->next) {
			const char *k = f->string;
			if (!strcmp(k, "ErrorEquals") || !strcmp(k, "Next") || !strcmp(k, "Comment"))
				continue;
			if (!strcmp(k, "ResultPath")) {
				if (s->jsonata)
					diag(L, sb_str(&dp), SCHEMA,
					     "The QueryLanguage is set to 'JSONata', but field 'ResultPath' is only supported for the "
					     "'JSONPath' QueryLanguage");
				else
					get_path(L, c, "ResultPath", sb_str(&dp), &ct->result_path, &ct->result_path_null, 1);
			} else if (!strcmp(k, "Output")) {
				if (!s->jsonata)
					diag(L, sb_str(&dp), SCHEMA,
					     "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the "
					     "'JSONata' QueryLanguage");
				else {
					char fld[64];
					snprintf(fld, sizeof fld, "Catch[%d]/Output", i);
					ct->output = compile_jsonata(L, f, fld, sb_str(&dp));
				}
			} else if (!strcmp(k, "Assign")) {
				if (!cJSON_IsObject(f))
					diag(L, sb_str(&dp), SCHEMA, "The field 'Assign' must be an object");
				else {
					char fld[64];
					snprintf(fld, sizeof fld, "Catch[%d]/Assign", i);
					ct->assign = s->jsonata ? compile_jsonata(L, f, fld, sb_str(&dp)) : compile_payload(L, f, sb_str(&dp));
				}
			} else
				diag(L, sb_str(&dp), SCHEMA, "Field '%s' is not supported", k);
		}
		for (int e = 0; e < ct->nerr; e++)
			if (!strcmp(ct->errors[e], "States.ALL") && c->next)
				diag(L, sb_str(&dp), SCHEMA, "States.ALL must appear in the last catcher");
		sb_free(&dp);
	}
}

/* ---- resources ------------------------------------------------------ */

void asl_resource_free(asl_resource *r)
{
	mem_free(r->arn);
	mem_free(r->service);
	mem_free(r->api);
	mem_free(r->op);
	mem_free(r->hist_resource);
	mem_free(r->hist_type);
	mem_free(r->region);
	memset(r, 0, sizeof *r);
}

/* Optimized integrations the engine knows, and which patterns they allow. */
static const struct {
	const char *service, *api;
	int patterns; /* bit per PAT_* */
} optimized[] = {
	{"lambda", "invoke", 1 << PAT_REQUEST | 1 << PAT_TOKEN},
	{"dynamodb", "getItem", 1 << PAT_REQUEST},
	{"dynamodb", "putItem", 1 << PAT_REQUEST},
	{"dynamodb", "updateItem", 1 << PAT_REQUEST},
	{"dynamodb", "deleteItem", 1 << PAT_REQUEST},
	{"sqs", "sendMessage", 1 << PAT_REQUEST | 1 << PAT_TOKEN},
	{"sns", "publish", 1 << PAT_REQUEST | 1 << PAT_TOKEN},
	{"events", "putEvents", 1 << PAT_REQUEST | 1 << PAT_TOKEN},
	{"states", "startExecution", 1 << PAT_REQUEST | 1 << PAT_SYNC | 1 << PAT_TOKEN},
	{"ecs", "runTask", 1 << PAT_REQUEST | 1 << PAT_SYNC | 1 << PAT_TOKEN},
	{"batch", "submitJob", 1 << PAT_REQUEST | 1 << PAT_SYNC},
	{"glue", "startJobRun", 1 << PAT_REQUEST | 1 << PAT_SYNC},
	{"apigateway", "invoke", 1 << PAT_REQUEST | 1 << PAT_TOKEN},
	{"http", "invoke", 1 << PAT_REQUEST},
	{NULL, NULL, 0},
};

int asl_parse_resource(const char *arn, asl_resource *r, sb *why)
{
	memset(r, 0, sizeof *r);
	r->arn = mem_strdup(arn);
	if (!strncmp(arn, "arn:aws:lambda:", 15)) {
		/* arn:aws:lambda:<region>:<acct>:function:<name>[:<qualifier>] */
		const char *p = arn + 15;
		const char *c1 = strchr(p, ':');
		const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c1 || !c2 || strncmp(c2 + 1, "function:", 9) || !c2[10]) {
			sb_cat(why, "not a Lambda function ARN");
			return -1;
		}
		r->kind = RES_LAMBDA_ARN;
		r->region = mem_strndup(p, (size_t)(c1 - p));
		r->service = mem_strdup("lambda");
		r->api = mem_strdup("invoke");
		r->op = mem_strdup("Invoke");
		return 0;
	}
	if (!strncmp(arn, "arn:aws:states:", 15) && strstr(arn, ":activity:")) {
		r->kind = RES_ACTIVITY;
		r->service = mem_strdup("states");
		return 0;
	}
	if (strncmp(arn, "arn:aws:states:::", 17)) {
		sb_cat(why, "not recognized");
		return -1;
	}
	const char *p = arn + 17;
	int sdk = 0;
	if (!strncmp(p, "aws-sdk:", 8)) {
		sdk = 1;
		p += 8;
	}
	const char *colon = strchr(p, ':');
	if (!colon || colon == p || !colon[1]) {
		sb_cat(why, "not recognized");
		return -1;
	}
	r->service = mem_strndup(p, (size_t)(colon - p));
	const char *api = colon + 1;
	const char *dot = strchr(api, '.');
	size_t alen = dot ? (size_t)(dot - api) : strlen(api);
	r->api = mem_strndup(api, alen);
	r->pattern = PAT_REQUEST;
	if (dot) {
		if (!strcmp(dot, ".waitForTaskToken"))
			r->pattern = PAT_TOKEN;
		else if (!strcmp(dot, ".sync") || !strcmp(dot, ".sync:2"))
			r->pattern = PAT_SYNC;
		else {
			sb_cat(why, "not recognized");
			return -1;
		}
	}
	for (const char *q = r->api; *q; q++)
		if (!isalnum((unsigned char)*q)) {
			sb_cat(why, "not recognized");
			return -1;
		}
	r->op = mem_strdup(r->api);
	r->op[0] = (char)toupper((unsigned char)r->op[0]);
	r->hist_resource = mem_strdup(api);
	if (sdk) {
		r->kind = RES_SDK;
		sb t = SB_INIT;
		sb_printf(&t, "aws-sdk:%s", r->service);
		r->hist_type = sb_steal(&t);
		if (r->pattern == PAT_SYNC) {
			sb_cat(why, "not recognized");
			return -1;
		}
		return 0;
	}
	r->kind = RES_OPTIMIZED;
	r->hist_type = mem_strdup(r->service);
	for (int i = 0; optimized[i].service; i++)
		if (!strcmp(optimized[i].service, r->service) && !strcmp(optimized[i].api, r->api)) {
			if (!(optimized[i].patterns & (1 << r->pattern))) {
				sb_cat(why, "not recognized");
				return -1;
			}
			return 0;
		}
	sb_cat(why, "not recognized");
	return -1;
}

/* ---- Choice rules ---------------------------------------------------- */

static const struct {
	const char *name;
	asl_cr_op op;
	int vtype; /* 's' string, 'n' number, 'b' bool, 't' timestamp, 'S' string pattern */
	int path;
} cr_ops[] = {
	{"StringEquals", CR_STR_EQ, 's', 0},
	{"StringEqualsPath", CR_STR_EQ, 's', 1},
	{"StringLessThan", CR_STR_LT, 's', 0},
	{"StringLessThanPath", CR_STR_LT, 's', 1},
	{"StringGreaterThan", CR_STR_GT, 's', 0},
	{"StringGreaterThanPath", CR_STR_GT, 's', 1},
	{"StringLessThanEquals", CR_STR_LE, 's', 0},
	{"StringLessThanEqualsPath", CR_STR_LE, 's', 1},
	{"StringGreaterThanEquals", CR_STR_GE, 's', 0},
	{"StringGreaterThanEqualsPath", CR_STR_GE, 's', 1},
	{"StringMatches", CR_STR_MATCH, 's', 0},
	{"NumericEquals", CR_NUM_EQ, 'n', 0},
	{"NumericEqualsPath", CR_NUM_EQ, 'n', 1},
	{"NumericLessThan", CR_NUM_LT, 'n', 0},
	{"NumericLessThanPath", CR_NUM_LT, 'n', 1},
	{"NumericGreaterThan", CR_NUM_GT, 'n', 0},
	{"NumericGreaterThanPath", CR_NUM_GT, 'n', 1},
	{"NumericLessThanEquals", CR_NUM_LE, 'n', 0},
	{"NumericLessThanEqualsPath", CR_NUM_LE, 'n', 1},
	{"NumericGreaterThanEquals", CR_NUM_GE, 'n', 0},
	{"NumericGreaterThanEqualsPath", CR_NUM_GE, 'n', 1},
	{"BooleanEquals", CR_BOOL_EQ, 'b', 0},
	{"BooleanEqualsPath", CR_BOOL_EQ, 'b', 1},
	{"TimestampEquals", CR_TS_EQ, 't', 0},
	{"TimestampEqualsPath", CR_TS_EQ, 't', 1},
	{"TimestampLessThan", CR_TS_LT, 't', 0},
	{"TimestampLessThanPath", CR_TS_LT, 't', 1},
	{"TimestampGreaterThan", CR_TS_GT, 't', 0},
	{"TimestampGreaterThanPath", CR_TS_GT, 't', 1},
	{"TimestampLessThanEquals", CR_TS_LE, 't', 0},
	{"TimestampLessThanEqualsPath", CR_TS_LE, 't', 1},
	{"TimestampGreaterThanEquals", CR_TS_GE, 't', 0},
	{"TimestampGreaterThanEqualsPath", CR_TS_GE, 't', 1},
	{"IsNull", CR_IS_NULL, 'b', 0},
	{"IsPresent", CR_IS_PRESENT, 'b', 0},
	{"IsNumeric", CR_IS_NUMERIC, 'b', 0},
	{"IsString", CR_IS_STRING, 'b', 0},
	{"IsBoolean", CR_IS_BOOLEAN, 'b', 0},
	{"IsTimestamp", CR_IS_TIMESTAMP, 'b', 0},
	{NULL, 0, 0, 0},
};

static void rule_free(asl_rule *r)
{
	if (!r)
		return;
	asl_path_free(r->var);
	cJSON_Delete(r->value);
	asl_path_free(r->value_path);
	for (int i = 0; i < r->nkids; i++)
		rule_free(r->kids[i]);
	mem_free(r->kids);
	mem_free(r);
}

static asl_rule *parse_rule(ld *L, const cJSON *o, const char *dp, int top)
{
	if (!cJSON_IsObject(o)) {
		diag(L, dp, SCHEMA, "A choice rule must be an object");
		return NULL;
	}
	asl_rule *r = mem_calloc(1, sizeof *r);
	const cJSON *v;
	int nops = 0;
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "And")) || (v = cJSON_GetObjectItemCaseSensitive(o, "Or"))) {
		nops++;
		r->op = !strcmp(v->string, "And") ? CR_AND : CR_OR;
		if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0) {
			diag(L, dp, SCHEMA, "The field '%s' must be a non-empty array", v->string);
		} else {
			r->kids = mem_calloc((size_t)cJSON_GetArraySize(v), sizeof *r->kids);
			int i = 0;
			for (const cJSON *c = v->child; c; c = c->next, i++) {
				sb p = SB_INIT;
				sb_printf(&p, "%s/%s[%d]", dp, v->string, i);
				asl_rule *k = parse_rule(L, c, sb_str(&p), 0);
				sb_free(&p);
				if (k)
					r->kids[r->nkids++] = k;
			}
		}
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "Not"))) {
		nops++;
		r->op = CR_NOT;
		sb p = SB_INIT;
		sb_printf(&p, "%s/Not", dp);
		asl_rule *k = parse_rule(L, v, sb_str(&p), 0);
		sb_free(&p);
		if (k) {
			r->kids = mem_calloc(1, sizeof *r->kids);
			r->kids[r->nkids++] = k;
		}
	}
	for (const cJSON *f = o->child; f; f = f->next) {
		const char *k = f->string;
		if (!strcmp(k, "And") || !strcmp(k, "Or") || !strcmp(k, "Not") || !strcmp(k, "Variable") ||
		    !strcmp(k, "Comment"))
			continue;
		if (top && (!strcmp(k, "Next") || !strcmp(k, "Assign") || !strcmp(k, "Output")))
			continue;
		int found = 0;
		for (int i = 0; cr_ops[i].name; i++) {
			if (strcmp(cr_ops[i].name, k))
				continue;
			found = 1;
			nops++;
			r->op = cr_ops[i].op;
			if (cr_ops[i].path) {
				r->value_path = cJSON_IsString(f) ? asl_path_compile(f->valuestring, NULL) : NULL;
				if (!r->value_path)
					diag(L, dp, SCHEMA, "The value for the field '%s' must be a valid JSONPath", k);
			} else {
				int ok = 0;
				switch (cr_ops[i].vtype) {
				case 's': ok = cJSON_IsString(f); break;
				case 'n': ok = cJSON_IsNumber(f); break;
				case 'b': ok = cJSON_IsBool(f); break;
				case 't': {
					int64_t ms;
					ok = cJSON_IsString(f) && clk_parse_iso(f->valuestring, &ms) == 0;
					break;
				}
				}
				if (!ok)
					diag(L, dp, SCHEMA, "The value for the field '%s' has the wrong type", k);
				r->value = cJSON_Duplicate(f, 1);
			}
		}
		if (!found)
			diag(L, dp, SCHEMA, "Field '%s' is not supported", k);
	}
	if (nops != 1) {
		diag(L, dp, SCHEMA, nops ? "A choice rule must have exactly one comparison operator"
		                         : "A choice rule must have a comparison operator");
		rule_free(r);
		return NULL;
	}
	if (r->op != CR_AND && r->op != CR_OR && r->op != CR_NOT) {
		const char *var = cj_str(o, "Variable");
		if (!var)
			diag(L, dp, SCHEMA, "These fields are required: [Variable]");
		else if (!(r->var = asl_path_compile(var, NULL)))
			diag(L, dp, SCHEMA, "The value for the field 'Variable' must be a valid JSONPath");
	} else if (cJSON_GetObjectItemCaseSensitive(o, "Variable"))
		diag(L, dp, SCHEMA, "Field 'Variable' is not supported");
	return r;
}

/* ======================================================================
 * States and machines
 * ====================================================================== */

static void state_free(asl_state *s);
static asl_machine *load_machine(ld *L, const cJSON *m, const char *mpath, int jsonata, int top);

static void machine_free(asl_machine *m)
{
	if (!m)
		return;
	for (int i = 0; i < m->n; i++)
		state_free(m->states[i]);
	mem_free(m->states);
	mem_free(m->start_name);
	mem_free(m);
}

static void field_free(asl_field *f) { asl_tmpl_free(f->t); }

static void state_free(asl_state *s)
{
	if (!s)
		return;
	mem_free(s->name);
	mem_free(s->next_name);
	asl_path_free(s->input_path);
	asl_path_free(s->output_path);
	asl_path_free(s->result_path);
	asl_tmpl_free(s->parameters);
	asl_tmpl_free(s->result_selector);
	cJSON_Delete(s->result);
	asl_tmpl_free(s->arguments);
	asl_tmpl_free(s->output);
	asl_tmpl_free(s->assign);
	asl_resource_free(&s->res);
	field_free(&s->timeout);
	field_free(&s->heartbeat);
	for (int i = 0; i < s->nretry; i++) {
		for (int j = 0; j < s->retry[i].nerr; j++)
			mem_free(s->retry[i].errors[j]);
		mem_free(s->retry[i].errors);
	}
	mem_free(s->retry);
	for (int i = 0; i < s->ncatch; i++) {
		asl_catcher *c = &s->catchers[i];
		for (int j = 0; j < c->nerr; j++)
			mem_free(c->errors[j]);
		mem_free(c->errors);
		mem_free(c->next_name);
		asl_path_free(c->result_path);
		asl_tmpl_free(c->output);
		asl_tmpl_free(c->assign);
	}
	mem_free(s->catchers);
	for (int i = 0; i < s->nchoices; i++) {
		asl_choice *c = &s->choices[i];
		rule_free(c->rule);
		asl_tmpl_free(c->cond);
		mem_free(c->next_name);
		asl_tmpl_free(c->assign);
		asl_tmpl_free(c->output);
	}
	mem_free(s->choices);
	mem_free(s->default_name);
	field_free(&s->seconds);
	field_free(&s->timestamp);
	field_free(&s->error);
	field_free(&s->cause);
	for (int i = 0; i < s->nbranches; i++)
		machine_free(s->branches[i]);
	mem_free(s->branches);
	machine_free(s->proc);
	field_free(&s->items);
	field_free(&s->max_conc);
	field_free(&s->tol_count);
	field_free(&s->tol_pct);
	field_free(&s->batch_max);
	field_free(&s->batch_bytes);
	asl_tmpl_free(s->batch_input);
	mem_free(s->label);
	mem_free(s);
}

static void get_next_end(ld *L, const cJSON *st, asl_state *s, const char *spath)
{
	const cJSON *next = cJSON_GetObjectItemCaseSensitive(st, "Next");
	const cJSON *end = cJSON_GetObjectItemCaseSensitive(st, "End");
	if (s->type == ASL_Choice || s->type == ASL_Succeed || s->type == ASL_Fail)
		return;
	if (next && end) {
		diag(L, spath, SCHEMA, "There should only be one of the following fields: [Next, End]");
		return;
	}
	if (next) {
		if (!cJSON_IsString(next)) {
			char *dp = pjoin(spath, "Next");
			diag(L, dp, SCHEMA, "The field 'Next' must be a string");
			mem_free(dp);
		} else
			s->next_name = mem_strdup(next->valuestring);
		return;
	}
	if (end) {
		if (!cJSON_IsTrue(end)) {
			char *dp = pjoin(spath, "End");
			diag(L, dp, SCHEMA, "The field 'End' must be true");
			mem_free(dp);
		} else
			s->end = 1;
		return;
	}
	diag(L, spath, SCHEMA, "These fields are required: [Next | End]");
}

static asl_tmpl *get_assign(ld *L, const cJSON *st, asl_state *s, const char *spath)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(st, "Assign");
	if (!a)
		return NULL;
	char *dp = pjoin(spath, "Assign");
	asl_tmpl *t = NULL;
	if (!cJSON_IsObject(a))
		diag(L, dp, SCHEMA, "The field 'Assign' must be an object");
	else {
		for (const cJSON *c = a->child; c; c = c->next) {
			size_t kl = strlen(c->string);
			const char *nm = c->string;
			char *base = (!s->jsonata && kl > 2 && !strcmp(nm + kl - 2, ".$")) ? mem_strndup(nm, kl - 2)
			                                                                    : mem_strdup(nm);
			if (!strcmp(base, "states"))
				diag(L, dp, SCHEMA, "The variable name 'states' is reserved");
			mem_free(base);
		}
		t = s->jsonata ? compile_jsonata(L, a, "Assign", dp) : compile_payload(L, a, dp);
	}
	mem_free(dp);
	return t;
}

static void load_choice(ld *L, const cJSON *st, asl_state *s, const char *spath)
{
	const cJSON *ch = cJSON_GetObjectItemCaseSensitive(st, "Choices");
	if (!cJSON_IsArray(ch) || cJSON_GetArraySize(ch) == 0) {
		diag(L, spath, SCHEMA, ch ? "The field 'Choices' must be a non-empty array"
		                          : "These fields are required: [Choices]");
		return;
	}
	s->choices = mem_calloc((size_t)cJSON_GetArraySize(ch), sizeof *s->choices);
	int i = 0;
	for (const cJSON *c = ch->child; c; c = c->next, i++) {
		sb dp = SB_INIT;
		sb_printf(&dp, "%s/Choices[%d]", spath, i);
		asl_choice *cc = &s->choices[s->nchoices++];
		const char *next = cj_str(c, "Next");
		if (!next)
			diag(L, sb_str(&dp), SCHEMA, "These fields are required: [Next]");
		else
			cc->next_name = mem_strdup(next);
		if (s->jsonata) {
			const cJSON *cond = cJSON_GetObjectItemCaseSensitive(c, "Condition");
			if (!cond)
				diag(L, sb_str(&dp), SCHEMA, "These fields are required: [Condition]");
			else if (cJSON_IsBool(cond)) {
				cc->cond = tm_new(TM_LIT);
				cc->cond->lit = cJSON_Duplicate(cond, 1);
			} else if (is_jsonata_str(cond)) {
				char fld[64];
				snprintf(fld, sizeof fld, "Choices[%d]/Condition", i);
				cc->cond = compile_jsonata_str(L, cond->valuestring, fld, sb_str(&dp));
			}
			else
				diag(L, sb_str(&dp), SCHEMA, "The field 'Condition' must be a JSONata expression or a boolean");
			for (const cJSON *f = c->child; f; f = f->next) {
				const char *k = f->string;
				if (!strcmp(k, "Condition") || !strcmp(k, "Next") || !strcmp(k, "Comment") || !strcmp(k, "Assign") ||
				    !strcmp(k, "Output"))
					continue;
				diag(L, sb_str(&dp), SCHEMA,
				     "The QueryLanguage is set to 'JSONata', but field '%s' is only supported for the 'JSONPath' "
				     "QueryLanguage",
				     k);
			}
			const cJSON *o = cJSON_GetObjectItemCaseSensitive(c, "Output");
			if (o) {
				char fld[64];
				snprintf(fld, sizeof fld, "Choices[%d]/Output", i);
				cc->output = compile_jsonata(L, o, fld, sb_str(&dp));
			}
		} else {
			if (cJSON_GetObjectItemCaseSensitive(c, "Condition"))
				diag(L, sb_str(&dp), SCHEMA,
				     "The QueryLanguage is set to 'JSONPath', but field 'Condition' is only supported for the "
				     "'JSONata' QueryLanguage");
			else
				cc->rule = parse_rule(L, c, sb_str(&dp), 1);
			if (cJSON_GetObjectItemCaseSensitive(c, "Output"))
				diag(L, sb_str(&dp), SCHEMA,
				     "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the "
				     "'JSONata' QueryLanguage");
		}
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(c, "Assign");
		if (a) {
			char fld[64];
			snprintf(fld, sizeof fld, "Choices[%d]/Assign", i);
			if (!cJSON_IsObject(a))
				diag(L, sb_str(&dp), SCHEMA, "The field 'Assign' must be an object");
			else
				cc->assign = s->jsonata ? compile_jsonata(L, a, fld, sb_str(&dp)) : compile_payload(L, a, sb_str(&dp));
		}
		sb_free(&dp);
	}
	const char *dflt = cj_str(st, "Default");
	if (dflt)
		s->default_name = mem_strdup(dflt);
}

static void load_wait(ld *L, const cJSON *st, asl_state *s, const char *spath)
{
	int n = 0;
	static const char *const fields[] = {"Seconds", "Timestamp", "SecondsPath", "TimestampPath"};
	for (int i = 0; i < 4; i++)
		if (cJSON_GetObjectItemCaseSensitive(st, fields[i]))
			n++;
	if (n != 1) {
		diag(L, spath, SCHEMA,
		     n ? "There should only be one of the following fields: [Seconds, Timestamp, SecondsPath, TimestampPath]"
		       : "These fields are required: [Seconds | Timestamp | SecondsPath | TimestampPath]");
		return;
	}
	get_num(L, st, s, spath, "Seconds", "SecondsPath", &s->seconds, 0, 99999999, 1);
	const cJSON *ts = cJSON_GetObjectItemCaseSensitive(st, "Timestamp");
	const cJSON *tsp = cJSON_GetObjectItemCaseSensitive(st, "TimestampPath");
	if (ts) {
		char *dp = pjoin(spath, "Timestamp");
		s->timestamp.name = "Timestamp";
		int64_t ms;
		if (s->jsonata && is_jsonata_str(ts)) {
			s->timestamp.t = compile_jsonata_str(L, ts->valuestring, "Timestamp", dp);
			s->timestamp.set = s->timestamp.t != NULL;
		} else if (!cJSON_IsString(ts) || clk_parse_iso(ts->valuestring, &ms))
			diag(L, dp, SCHEMA, "String does not match RFC3339 timestamp");
		else {
			s->timestamp.t = tm_new(TM_LIT);
			s->timestamp.t->lit = cJSON_Duplicate(ts, 1);
			s->timestamp.set = 1;
		}
		mem_free(dp);
	} else if (tsp) {
		char *dp = pjoin(spath, "TimestampPath");
		s->timestamp.name = "TimestampPath";
		asl_path *p = cJSON_IsString(tsp) ? asl_path_compile(tsp->valuestring, NULL) : NULL;
		if (!p)
			diag(L, dp, SCHEMA, "Value is not a Reference Path");
		else {
			s->timestamp.t = tm_new(TM_PATH);
			s->timestamp.t->path = p;
			s->timestamp.t->src = mem_strdup(tsp->valuestring);
			s->timestamp.t->field = mem_strdup("TimestampPath");
			s->timestamp.set = 1;
		}
		mem_free(dp);
	}
}

/* Fail Error/Cause: literal, JSONata, or *Path (path or intrinsic). */
static void load_fail_field(ld *L, const cJSON *st, asl_state *s, const char *spath, const char *name,
                            const char *pname, asl_field *f)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(st, name);
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(st, pname);
	if (v && p) {
		diag(L, spath, SCHEMA, "There should only be one of the following fields: [%s, %s]", name, pname);
		return;
	}
	if (v) {
		char *dp = pjoin(spath, name);
		f->name = name;
		if (!cJSON_IsString(v))
			diag(L, dp, SCHEMA, "The field '%s' must be a string", name);
		else if (s->jsonata && is_jsonata_str(v)) {
			f->t = compile_jsonata_str(L, v->valuestring, name, dp);
			f->set = f->t != NULL;
		} else {
			f->t = tm_new(TM_LIT);
			f->t->lit = cJSON_Duplicate(v, 1);
			f->set = 1;
		}
		mem_free(dp);
	} else if (p) {
		char *dp = pjoin(spath, pname);
		f->name = pname;
		if (!cJSON_IsString(p))
			diag(L, dp, SCHEMA, "The field '%s' must be a string", pname);
		else {
			f->t = compile_dollar(L, p->valuestring, pname, dp);
			f->set = f->t != NULL;
		}
		mem_free(dp);
	}
}

static asl_machine *load_sub(ld *L, const cJSON *m, const char *path, int jsonata)
{
	if (!cJSON_IsObject(m)) {
		diag(L, path, SCHEMA, "The value must be an object");
		return NULL;
	}
	return load_machine(L, m, path, jsonata, 0);
}

static void load_map(ld *L, const cJSON *st, asl_state *s, const char *spath)
{
	const cJSON *proc = cJSON_GetObjectItemCaseSensitive(st, "ItemProcessor");
	const cJSON *iter = cJSON_GetObjectItemCaseSensitive(st, "Iterator");
	if (proc && iter)
		diag(L, spath, SCHEMA, "There should only be one of the following fields: [ItemProcessor, Iterator]");
	else if (!proc && !iter)
		diag(L, spath, SCHEMA, "These fields are required: [ItemProcessor]");
	else {
		const cJSON *m = proc ? proc : iter;
		char *dp = pjoin(spath, proc ? "ItemProcessor" : "Iterator");
		const cJSON *pc = cJSON_GetObjectItemCaseSensitive(m, "ProcessorConfig");
		const char *mode = pc ? cj_str(pc, "Mode") : NULL;
		if (mode && !strcmp(mode, "DISTRIBUTED"))
			s->distributed = 1;
		else if (mode && strcmp(mode, "INLINE"))
			diag(L, dp, SCHEMA, "The value for the field 'Mode' must be INLINE or DISTRIBUTED");
		s->proc = load_sub(L, m, dp, L->d->jsonata ? 1 : s->jsonata);
		mem_free(dp);
	}
	const cJSON *sel = cJSON_GetObjectItemCaseSensitive(st, "ItemSelector");
	const cJSON *par = cJSON_GetObjectItemCaseSensitive(st, "Parameters");
	if (sel && par)
		diag(L, spath, SCHEMA, "There should only be one of the following fields: [ItemSelector, Parameters]");
	else if (sel || par) {
		char *dp = pjoin(spath, sel ? "ItemSelector" : "Parameters");
		s->parameters = s->jsonata ? compile_jsonata(L, sel ? sel : par, sel ? "ItemSelector" : "Parameters", dp)
		                           : compile_payload(L, sel ? sel : par, dp);
		mem_free(dp);
	}
	if (s->jsonata) {
		const cJSON *it = cJSON_GetObjectItemCaseSensitive(st, "Items");
		if (it) {
			char *dp = pjoin(spath, "Items");
			s->items.name = "Items";
			if (is_jsonata_str(it))
				s->items.t = compile_jsonata_str(L, it->valuestring, "Items", dp);
			else if (cJSON_IsArray(it))
				s->items.t = compile_jsonata(L, it, "Items", dp);
			else
				diag(L, dp, SCHEMA, "The field 'Items' must be an array or a JSONata expression");
			s->items.set = s->items.t != NULL;
			mem_free(dp);
		}
	} else {
		asl_path *p = NULL;
		int isnull = 0;
		get_path(L, st, "ItemsPath", spath, &p, &isnull, 0);
		if (p) {
			s->items.t = tm_new(TM_PATH);
			s->items.t->path = p;
			s->items.t->src = mem_strdup(asl_path_text(p));
			s->items.t->field = mem_strdup("ItemsPath");
			s->items.set = 1;
			s->items.name = "ItemsPath";
		}
	}
	get_num(L, st, s, spath, "MaxConcurrency", s->jsonata ? NULL : "MaxConcurrencyPath", &s->max_conc, 0, 2147483647,
	        1);
	get_num(L, st, s, spath, "ToleratedFailureCount", s->jsonata ? NULL : "ToleratedFailureCountPath", &s->tol_count,
	        0, 2147483647, 1);
	get_num(L, st, s, spath, "ToleratedFailurePercentage", s->jsonata ? NULL : "ToleratedFailurePercentagePath",
	        &s->tol_pct, 0, 100, 0);
	const cJSON *ib = cJSON_GetObjectItemCaseSensitive(st, "ItemBatcher");
	if (ib) {
		char *dp = pjoin(spath, "ItemBatcher");
		if (!cJSON_IsObject(ib))
			diag(L, dp, SCHEMA, "The field 'ItemBatcher' must be an object");
		else if (!s->distributed)
			diag(L, dp, SCHEMA, "Field 'ItemBatcher' is only supported for a Map state in DISTRIBUTED mode");
		else {
			s->batcher = 1;
			asl_state tmp = *s; /* get_num reads the batcher object as a state */
			get_num(L, ib, &tmp, dp, "MaxItemsPerBatch", s->jsonata ? NULL : "MaxItemsPerBatchPath", &s->batch_max,
			        0, 2147483647, 1);
			get_num(L, ib, &tmp, dp, "MaxInputBytesPerBatch", s->jsonata ? NULL : "MaxInputBytesPerBatchPath",
			        &s->batch_bytes, 0, 262144, 1);
			const cJSON *bi = cJSON_GetObjectItemCaseSensitive(ib, "BatchInput");
			if (bi)
				s->batch_input = s->jsonata ? compile_jsonata(L, bi, "ItemBatcher/BatchInput", dp)
				                            : compile_payload(L, bi, dp);
		}
		mem_free(dp);
	}
	s->item_reader = cJSON_GetObjectItemCaseSensitive(st, "ItemReader") != NULL;
	s->result_writer = cJSON_GetObjectItemCaseSensitive(st, "ResultWriter") != NULL;
	const char *label = cj_str(st, "Label");
	if (label)
		s->label = mem_strdup(label);
}

static void push_all(ld *L, asl_state *s)
{
	if (L->nall == L->capall) {
		L->capall = L->capall ? L->capall * 2 : 32;
		L->all = mem_realloc(L->all, (size_t)L->capall * sizeof *L->all);
	}
	L->all[L->nall++] = s;
}

static asl_state *load_state(ld *L, const char *name, const cJSON *st, const char *spath, int mjsonata)
{
	if (!cJSON_IsObject(st)) {
		diag(L, spath, SCHEMA, "A state must be an object");
		return NULL;
	}
	const cJSON *ty = cJSON_GetObjectItemCaseSensitive(st, "Type");
	if (!ty) {
		diag(L, spath, SCHEMA, "These fields are required: [Type]");
		return NULL;
	}
	asl_state *s = mem_calloc(1, sizeof *s);
	s->name = mem_strdup(name);
	if (!cJSON_IsString(ty) || parse_type(ty->valuestring, &s->type)) {
		char *dp = pjoin(spath, "Type");
		char *t = cj_print(ty);
		diag(L, dp, SCHEMA,
		     "The value %s for the field 'Type' is not a valid state type (Pass, Task, Choice, Wait, Succeed, Fail, "
		     "Parallel, Map)",
		     t);
		mem_free(t);
		mem_free(dp);
		state_free(s);
		return NULL;
	}
	if (strlen(name) > 80)
		diag(L, spath, SCHEMA, "State names must be 80 characters or fewer");
	s->jsonata = mjsonata;
	const cJSON *ql = cJSON_GetObjectItemCaseSensitive(st, "QueryLanguage");
	if (ql) {
		if (!cJSON_IsString(ql) || (strcmp(ql->valuestring, "JSONata") && strcmp(ql->valuestring, "JSONPath"))) {
			char *dp = pjoin(spath, "QueryLanguage");
			diag(L, dp, SCHEMA, "The value for the field 'QueryLanguage' must be JSONPath or JSONata");
			mem_free(dp);
		} else if (!strcmp(ql->valuestring, "JSONPath") && L->d->jsonata)
			diag(L, spath, SCHEMA, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine");
		else
			s->jsonata = !strcmp(ql->valuestring, "JSONata");
	}
	/* fields allowed for the type and the query language */
	for (const cJSON *f = st->child; f; f = f->next) {
		const field_rule *r = NULL;
		for (const field_rule *x = field_rules; x->name; x++)
			if (!strcmp(x->name, f->string))
				r = x;
		if (!r || !(r->types & (1u << s->type)))
			diag(L, spath, SCHEMA, "Field '%s' is not supported", f->string);
		else if (r->ql != QL_BOTH && (r->ql == QL_ATA) != (s->jsonata != 0))
			diag(L, spath, SCHEMA,
			     "The QueryLanguage is set to '%s', but field '%s' is only supported for the '%s' QueryLanguage",
			     ql_name(s->jsonata), f->string, ql_name(!s->jsonata));
	}
	get_next_end(L, st, s, spath);
	if (!s->jsonata) {
		get_path(L, st, "InputPath", spath, &s->input_path, &s->input_path_null, 0);
		get_path(L, st, "OutputPath", spath, &s->output_path, &s->output_path_null, 0);
		get_path(L, st, "ResultPath", spath, &s->result_path, &s->result_path_null, 1);
		const cJSON *v;
		if (s->type != ASL_Map && (v = cJSON_GetObjectItemCaseSensitive(st, "Parameters"))) {
			char *dp = pjoin(spath, "Parameters");
			s->parameters = compile_payload(L, v, dp);
			mem_free(dp);
		}
		if ((v = cJSON_GetObjectItemCaseSensitive(st, "ResultSelector"))) {
			char *dp = pjoin(spath, "ResultSelector");
			s->result_selector = compile_payload(L, v, dp);
			mem_free(dp);
		}
		if ((v = cJSON_GetObjectItemCaseSensitive(st, "Result")))
			s->result = cJSON_Duplicate(v, 1);
	} else {
		const cJSON *v;
		if ((v = cJSON_GetObjectItemCaseSensitive(st, "Arguments"))) {
			char *dp = pjoin(spath, "Arguments");
			s->arguments = compile_jsonata(L, v, "Arguments", dp);
			mem_free(dp);
		}
		if ((v = cJSON_GetObjectItemCaseSensitive(st, "Output"))) {
			char *dp = pjoin(spath, "Output");
			s->output = compile_jsonata(L, v, "Output", dp);
			mem_free(dp);
		}
	}
	s->assign = get_assign(L, st, s, spath);
	switch (s->type) {
	case ASL_Task: {
		const char *res = cj_str(st, "Resource");
		char *dp = pjoin(spath, "Resource");
		if (!res)
			diag(L, spath, SCHEMA, "These fields are required: [Resource]");
		else {
			sb why = SB_INIT;
			if (asl_parse_resource(res, &s->res, &why)) {
				sb shown = SB_INIT;
				const char *p = strncmp(res, "arn:aws:", 8) ? res : NULL;
				if (p)
					sb_cat(&shown, res);
				else
					sb_printf(&shown, "arn:<partition>:%s", res + 8);
				diag(L, dp, SCHEMA,
				     "The resource provided %s is not recognized. The value is not a valid resource ARN, or the "
				     "resource is not available in this region.",
				     sb_str(&shown));
				sb_free(&shown);
			} else if (s->res.pattern == PAT_TOKEN)
				L->d->uses_token = 1;
			sb_free(&why);
		}
		mem_free(dp);
		get_num(L, st, s, spath, "TimeoutSeconds", s->jsonata ? NULL : "TimeoutSecondsPath", &s->timeout, 1,
		        99999999, 1);
		get_num(L, st, s, spath, "HeartbeatSeconds", s->jsonata ? NULL : "HeartbeatSecondsPath", &s->heartbeat, 1,
		        99999999, 1);
		if (s->timeout.set && s->heartbeat.set && s->timeout.t->kind == TM_LIT && s->heartbeat.t->kind == TM_LIT &&
		    s->heartbeat.t->lit->valuedouble >= s->timeout.t->lit->valuedouble)
			diag(L, spath, SCHEMA, "The value of 'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'");
		get_retry(L, st, s, spath);
		get_catch(L, st, s, spath);
		break;
	}
	case ASL_Choice: load_choice(L, st, s, spath); break;
	case ASL_Wait: load_wait(L, st, s, spath); break;
	case ASL_Fail:
		load_fail_field(L, st, s, spath, "Error", "ErrorPath", &s->error);
		load_fail_field(L, st, s, spath, "Cause", "CausePath", &s->cause);
		break;
	case ASL_Parallel: {
		const cJSON *b = cJSON_GetObjectItemCaseSensitive(st, "Branches");
		if (!cJSON_IsArray(b) || cJSON_GetArraySize(b) == 0)
			diag(L, spath, SCHEMA, b ? "The field 'Branches' must be a non-empty array"
			                         : "These fields are required: [Branches]");
		else {
			s->branches = mem_calloc((size_t)cJSON_GetArraySize(b), sizeof *s->branches);
			int i = 0;
			for (const cJSON *c = b->child; c; c = c->next, i++) {
				sb dp = SB_INIT;
				sb_printf(&dp, "%s/Branches[%d]", spath, i);
				asl_machine *m = load_sub(L, c, sb_str(&dp), L->d->jsonata ? 1 : s->jsonata);
				sb_free(&dp);
				if (m)
					s->branches[s->nbranches++] = m;
			}
		}
		get_retry(L, st, s, spath);
		get_catch(L, st, s, spath);
		break;
	}
	case ASL_Map:
		load_map(L, st, s, spath);
		get_retry(L, st, s, spath);
		get_catch(L, st, s, spath);
		break;
	default: break;
	}
	return s;
}

static asl_state *find_state(const asl_machine *m, const char *name)
{
	for (int i = 0; i < m->n; i++)
		if (!strcmp(m->states[i]->name, name))
			return m->states[i];
	return NULL;
}

static void resolve(ld *L, asl_machine *m, const char *mpath)
{
	for (int i = 0; i < m->n; i++) {
		asl_state *s = m->states[i];
		sb sp = SB_INIT;
		sb_printf(&sp, "%s/States/%s", mpath, s->name);
		if (s->next_name && !(s->next = find_state(m, s->next_name))) {
			char *dp = pjoin(sb_str(&sp), "Next");
			diag(L, dp, "MISSING_TRANSITION_TARGET", "Missing 'Next' target: %s", s->next_name);
			mem_free(dp);
		}
		for (int k = 0; k < s->nchoices; k++)
			if (s->choices[k].next_name && !(s->choices[k].next = find_state(m, s->choices[k].next_name))) {
				sb dp = SB_INIT;
				sb_printf(&dp, "%s/Choices[%d]/Next", sb_str(&sp), k);
				diag(L, sb_str(&dp), "MISSING_TRANSITION_TARGET", "Missing 'Next' target: %s",
				     s->choices[k].next_name);
				sb_free(&dp);
			}
		if (s->default_name && !(s->dflt = find_state(m, s->default_name))) {
			char *dp = pjoin(sb_str(&sp), "Default");
			diag(L, dp, "MISSING_TRANSITION_TARGET", "Missing 'Next' target: %s", s->default_name);
			mem_free(dp);
		}
		for (int k = 0; k < s->ncatch; k++)
			if (s->catchers[k].next_name && !(s->catchers[k].next = find_state(m, s->catchers[k].next_name))) {
				sb dp = SB_INIT;
				sb_printf(&dp, "%s/Catch[%d]/Next", sb_str(&sp), k);
				diag(L, sb_str(&dp), "MISSING_TRANSITION_TARGET", "Missing 'Next' target: %s",
				     s->catchers[k].next_name);
				sb_free(&dp);
			}
		sb_free(&sp);
	}
	if (m->start_name && !(m->start = find_state(m, m->start_name))) {
		char *dp = pjoin(mpath, "StartAt");
		diag(L, dp, "MISSING_TRANSITION_TARGET", "Missing 'Next' target: %s", m->start_name);
		mem_free(dp);
	}
	if (!m->start)
		return;
	/* reachability and a terminal state */
	char *seen = mem_calloc((size_t)m->n + 1, 1);
	asl_state **stack = mem_calloc((size_t)m->n + 1, sizeof *stack);
	int sp = 0, terminal = 0;
	stack[sp++] = m->start;
	seen[0] = 0;
	for (int i = 0; i < m->n; i++)
		if (m->states[i] == m->start)
			seen[i] = 1;
	while (sp) {
		asl_state *s = stack[--sp];
		if (s->end || s->type == ASL_Succeed || s->type == ASL_Fail)
			terminal = 1;
		for (int k = -2; k < s->nchoices + s->ncatch; k++) {
			asl_state *t = k == -2          ? s->next
			               : k == -1        ? s->dflt
			               : k < s->nchoices ? s->choices[k].next
			                                : s->catchers[k - s->nchoices].next;
			if (!t)
				continue;
			for (int j = 0; j < m->n; j++)
				if (m->states[j] == t && !seen[j]) {
					seen[j] = 1;
					stack[sp++] = t;
				}
		}
	}
	if (!terminal)
		diag(L, NULL, "MISSING_END_STATE", "Workflow has no terminal state");
	else
		for (int i = 0; i < m->n; i++)
			if (!seen[i]) {
				sb dp = SB_INIT;
				sb_printf(&dp, "%s/States/%s", mpath, m->states[i]->name);
				diag(L, sb_str(&dp), "MISSING_TRANSITION_TARGET", "State \"%s\" is not reachable.",
				     m->states[i]->name);
				sb_free(&dp);
			}
	mem_free(seen);
	mem_free(stack);
}

static asl_machine *load_machine(ld *L, const cJSON *j, const char *mpath, int jsonata, int top)
{
	const cJSON *states = cJSON_GetObjectItemCaseSensitive(j, "States");
	const cJSON *start = cJSON_GetObjectItemCaseSensitive(j, "StartAt");
	if (!states || !start) {
		diag(L, *mpath ? mpath : "/", SCHEMA, "These fields are required: [%s%s%s]", states ? "" : "States",
		     !states && !start ? ", " : "", start ? "" : "StartAt");
		return NULL;
	}
	if (!cJSON_IsObject(states) || !states->child) {
		char *dp = pjoin(mpath, "States");
		diag(L, dp, SCHEMA, "The field 'States' must be an object with at least one state");
		mem_free(dp);
		return NULL;
	}
	if (!cJSON_IsString(start)) {
		char *dp = pjoin(mpath, "StartAt");
		diag(L, dp, SCHEMA, "The field 'StartAt' must be a string");
		mem_free(dp);
		return NULL;
	}
	for (const cJSON *f = j->child; f; f = f->next) {
		static const char *const top_ok[] = {"Comment", "StartAt", "States", "Version", "TimeoutSeconds",
		                                     "QueryLanguage", NULL};
		static const char *const sub_ok[] = {"Comment", "StartAt", "States", "ProcessorConfig", "QueryLanguage",
		                                     NULL};
		const char *const *ok = top ? top_ok : sub_ok;
		int found = 0;
		for (int i = 0; ok[i]; i++)
			found |= !strcmp(ok[i], f->string);
		if (!found)
			diag(L, *mpath ? mpath : "/", SCHEMA, "Field '%s' is not supported", f->string);
	}
	asl_machine *m = mem_calloc(1, sizeof *m);
	m->jsonata = jsonata;
	m->start_name = mem_strdup(start->valuestring);
	int n = cJSON_GetArraySize(states);
	m->states = mem_calloc((size_t)n + 1, sizeof *m->states);
	for (const cJSON *c = states->child; c; c = c->next) {
		sb sp = SB_INIT;
		sb_printf(&sp, "%s/States/%s", mpath, c->string);
		asl_state *s = load_state(L, c->string, c, sb_str(&sp), jsonata);
		sb_free(&sp);
		if (s) {
			s->m = m;
			m->states[m->n++] = s;
			push_all(L, s);
		}
	}
	resolve(L, m, mpath);
	return m;
}

/* ======================================================================
 * Public
 * ====================================================================== */

engine_def *engine_def_load(const cJSON *definition, engine_diags *diags)
{
	ld L = {0};
	L.diags = diags;
	if (!cJSON_IsObject(definition)) {
		diag(&L, "/", SCHEMA, "The definition must be a JSON object");
		return NULL;
	}
	engine_def *d = mem_calloc(1, sizeof *d);
	L.d = d;
	d->json = cJSON_Duplicate(definition, 1);
	const cJSON *ql = cJSON_GetObjectItemCaseSensitive(definition, "QueryLanguage");
	if (ql) {
		if (!cJSON_IsString(ql) || (strcmp(ql->valuestring, "JSONata") && strcmp(ql->valuestring, "JSONPath")))
			diag(&L, "/QueryLanguage", SCHEMA, "The value for the field 'QueryLanguage' must be JSONPath or JSONata");
		else
			d->jsonata = !strcmp(ql->valuestring, "JSONata");
	}
	const cJSON *to = cJSON_GetObjectItemCaseSensitive(definition, "TimeoutSeconds");
	if (to) {
		if (!cJSON_IsNumber(to) || to->valuedouble < 1 || to->valuedouble != floor(to->valuedouble))
			diag(&L, "/TimeoutSeconds", SCHEMA, "The value for the field 'TimeoutSeconds' must be a positive integer");
		else
			d->timeout_seconds = to->valuedouble > 2147483647 ? 2147483647 : (int)to->valuedouble;
	}
	d->top = load_machine(&L, definition, "", d->jsonata, 1);
	/* state names are unique in the whole machine, branches included */
	for (int i = 0; i < L.nall; i++)
		for (int j = 0; j < i; j++)
			if (!strcmp(L.all[i]->name, L.all[j]->name)) {
				diag(&L, "/States", SCHEMA, "Duplicate State name: %s", L.all[i]->name);
				break;
			}
	mem_free(L.all);
	if (L.nerr || !d->top) {
		if (!L.nerr)
			diag(&L, "/", SCHEMA, "The definition is invalid");
		engine_def_free(d);
		return NULL;
	}
	return d;
}

void engine_def_free(engine_def *d)
{
	if (!d)
		return;
	machine_free(d->top);
	cJSON_Delete(d->json);
	mem_free(d);
}

int engine_def_uses_task_token(const engine_def *d) { return d->uses_token; }
