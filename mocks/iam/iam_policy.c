/* iam_policy.c - IAM policy parsing and single-account evaluation. */
#include "mocks/iam/iam_policy.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/cj.h"
#include "common/clock.h"
#include "common/mem.h"

/* ======================================================================
 * Parsed form
 * ====================================================================== */

typedef struct strlist {
	char **v;
	size_t n;
} strlist;

typedef enum {
	OP_STRING_EQ,
	OP_STRING_NE,
	OP_STRING_EQ_IC,
	OP_STRING_NE_IC,
	OP_STRING_LIKE,
	OP_STRING_NOT_LIKE,
	OP_NUM_EQ,
	OP_NUM_NE,
	OP_NUM_LT,
	OP_NUM_LE,
	OP_NUM_GT,
	OP_NUM_GE,
	OP_DATE_EQ,
	OP_DATE_NE,
	OP_DATE_LT,
	OP_DATE_LE,
	OP_DATE_GT,
	OP_DATE_GE,
	OP_BOOL,
	OP_ARN_EQ,
	OP_ARN_LIKE,
	OP_ARN_NE,
	OP_ARN_NOT_LIKE,
	OP_NULL,
} cond_op;

static const struct {
	const char *name;
	cond_op op;
	int negated;
} cond_ops[] = {
	{"StringEquals", OP_STRING_EQ, 0},
	{"StringNotEquals", OP_STRING_NE, 1},
	{"StringEqualsIgnoreCase", OP_STRING_EQ_IC, 0},
	{"StringNotEqualsIgnoreCase", OP_STRING_NE_IC, 1},
	{"StringLike", OP_STRING_LIKE, 0},
	{"StringNotLike", OP_STRING_NOT_LIKE, 1},
	{"NumericEquals", OP_NUM_EQ, 0},
	{"NumericNotEquals", OP_NUM_NE, 1},
	{"NumericLessThan", OP_NUM_LT, 0},
	{"NumericLessThanEquals", OP_NUM_LE, 0},
	{"NumericGreaterThan", OP_NUM_GT, 0},
	{"NumericGreaterThanEquals", OP_NUM_GE, 0},
	{"DateEquals", OP_DATE_EQ, 0},
	{"DateNotEquals", OP_DATE_NE, 1},
	{"DateLessThan", OP_DATE_LT, 0},
	{"DateLessThanEquals", OP_DATE_LE, 0},
	{"DateGreaterThan", OP_DATE_GT, 0},
	{"DateGreaterThanEquals", OP_DATE_GE, 0},
	{"Bool", OP_BOOL, 0},
	{"ArnEquals", OP_ARN_EQ, 0},
	{"ArnLike", OP_ARN_LIKE, 0},
	{"ArnNotEquals", OP_ARN_NE, 1},
	{"ArnNotLike", OP_ARN_NOT_LIKE, 1},
	{"Null", OP_NULL, 0},
};

enum { SET_NONE, SET_ANY, SET_ALL };

typedef struct cond {
	cond_op op;
	int negated, if_exists, set;
	char *key;
	strlist values;
} cond;

typedef struct stmt {
	int deny;
	int not_action, not_resource, not_principal;
	int has_resource, has_principal;
	strlist actions, resources;
	int principal_any;
	strlist principal_aws, principal_service;
	cond *conds;
	size_t nconds;
} stmt;

struct iam_policy {
	stmt *st;
	size_t n;
};

static void strlist_free(strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		mem_free(l->v[i]);
	mem_free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void strlist_add(strlist *l, const char *s)
{
	l->v = mem_realloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = mem_strdup(s);
}

void iam_policy_free(iam_policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		stmt *s = &p->st[i];
		strlist_free(&s->actions);
		strlist_free(&s->resources);
		strlist_free(&s->principal_aws);
		strlist_free(&s->principal_service);
		for (size_t k = 0; k < s->nconds; k++) {
			mem_free(s->conds[k].key);
			strlist_free(&s->conds[k].values);
		}
		mem_free(s->conds);
	}
	mem_free(p->st);
	mem_free(p);
}

/* ======================================================================
 * Parsing
 * ====================================================================== */

/* A string or an array of scalars; scalars other than strings are written
 * as JSON (policies may say `true` or `5` where a string is meant). */
static int scalar_text(const cJSON *v, sb *out)
{
	if (cJSON_IsString(v)) {
		sb_cat(out, v->valuestring);
		return 0;
	}
	if (cJSON_IsBool(v)) {
		sb_cat(out, cJSON_IsTrue(v) ? "true" : "false");
		return 0;
	}
	if (cJSON_IsNumber(v)) {
		cj_print_sb(v, out);
		return 0;
	}
	return -1;
}

static int read_list(const cJSON *v, strlist *out)
{
	sb t = SB_INIT;
	if (cJSON_IsArray(v)) {
		if (!cJSON_GetArraySize(v))
			return -1;
		for (const cJSON *x = v->child; x; x = x->next) {
			sb_clear(&t);
			if (scalar_text(x, &t)) {
				sb_free(&t);
				return -1;
			}
			strlist_add(out, sb_str(&t));
		}
	} else {
		if (scalar_text(v, &t)) {
			sb_free(&t);
			return -1;
		}
		strlist_add(out, sb_str(&t));
	}
	sb_free(&t);
	return 0;
}

static int parse_principal(stmt *s, const cJSON *p, sb *err)
{
	if (cJSON_IsString(p) && !strcmp(p->valuestring, "*")) {
		s->principal_any = 1;
		return 0;
	}
	if (!cJSON_IsObject(p)) {
		sb_cat(err, "Invalid principal in policy");
		return -1;
	}
	for (const cJSON *k = p->child; k; k = k->next) {
		strlist *dst;
		if (!strcmp(k->string, "AWS"))
			dst = &s->principal_aws;
		else if (!strcmp(k->string, "Service"))
			dst = &s->principal_service;
		else if (!strcmp(k->string, "Federated") || !strcmp(k->string, "CanonicalUser"))
			continue; /* never the caller of a workflow's tasks */
		else {
			sb_printf(err, "Invalid principal in policy: \"%s\"", k->string);
			return -1;
		}
		if (read_list(k, dst)) {
			sb_cat(err, "Invalid principal in policy");
			return -1;
		}
	}
	for (size_t i = 0; i < s->principal_aws.n; i++)
		if (!strcmp(s->principal_aws.v[i], "*"))
			s->principal_any = 1;
	return 0;
}

static int parse_condition(stmt *s, const cJSON *c, sb *err)
{
	if (!cJSON_IsObject(c)) {
		sb_cat(err, "Syntax errors in policy.");
		return -1;
	}
	for (const cJSON *opj = c->child; opj; opj = opj->next) {
		const char *name = opj->string;
		int set = SET_NONE, if_exists = 0;
		if (!strncmp(name, "ForAnyValue:", 12))
			set = SET_ANY, name += 12;
		else if (!strncmp(name, "ForAllValues:", 13))
			set = SET_ALL, name += 13;
		char base[64];
		size_t nl = strlen(name);
		if (nl >= sizeof base)
			nl = sizeof base - 1;
		memcpy(base, name, nl);
		base[nl] = '\0';
		if (nl > 8 && !strcmp(base + nl - 8, "IfExists")) {
			base[nl - 8] = '\0';
			if_exists = 1;
		}
		size_t oi = 0, no = sizeof cond_ops / sizeof *cond_ops;
		while (oi < no && strcmp(cond_ops[oi].name, base))
			oi++;
		if (oi == no || (if_exists && cond_ops[oi].op == OP_NULL)) {
			sb_printf(err, "Invalid Condition type : %s", opj->string);
			return -1;
		}
		if (!cJSON_IsObject(opj)) {
			sb_cat(err, "Syntax errors in policy.");
			return -1;
		}
		for (const cJSON *kv = opj->child; kv; kv = kv->next) {
			if (!strchr(kv->string, ':')) {
				sb_cat(err, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
				return -1;
			}
			cond cd = {cond_ops[oi].op, cond_ops[oi].negated, if_exists, set, NULL, {NULL, 0}};
			if (read_list(kv, &cd.values)) {
				sb_cat(err, "Syntax errors in policy.");
				strlist_free(&cd.values);
				return -1;
			}
			cd.key = mem_strdup(kv->string);
			s->conds = mem_realloc(s->conds, (s->nconds + 1) * sizeof *s->conds);
			s->conds[s->nconds++] = cd;
		}
	}
	return 0;
}

static int parse_stmt(stmt *s, const cJSON *j, int kind, sb *err)
{
	if (!cJSON_IsObject(j)) {
		sb_cat(err, "Syntax errors in policy.");
		return -1;
	}
	const cJSON *eff = cJSON_GetObjectItemCaseSensitive(j, "Effect");
	if (!eff) {
		sb_cat(err, "Missing required field Effect");
		return -1;
	}
	if (!cJSON_IsString(eff) || (strcmp(eff->valuestring, "Allow") && strcmp(eff->valuestring, "Deny"))) {
		sb_printf(err, "Invalid effect: %s", cJSON_IsString(eff) ? eff->valuestring : "(not a string)");
		return -1;
	}
	s->deny = !strcmp(eff->valuestring, "Deny");
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, "Action");
	const cJSON *na = cJSON_GetObjectItemCaseSensitive(j, "NotAction");
	if (a && na) {
		sb_cat(err, "Syntax errors in policy.");
		return -1;
	}
	if (!a && !na) {
		sb_cat(err, "Policy statement must contain actions.");
		return -1;
	}
	s->not_action = na != NULL;
	if (read_list(a ? a : na, &s->actions)) {
		sb_cat(err, "Syntax errors in policy.");
		return -1;
	}
	for (size_t i = 0; i < s->actions.n; i++)
		if (strcmp(s->actions.v[i], "*") && !strchr(s->actions.v[i], ':')) {
			sb_cat(err, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
			return -1;
		}
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(j, "Resource");
	const cJSON *nr = cJSON_GetObjectItemCaseSensitive(j, "NotResource");
	if (r && nr) {
		sb_cat(err, "Syntax errors in policy.");
		return -1;
	}
	if (r || nr) {
		s->has_resource = 1;
		s->not_resource = nr != NULL;
		if (read_list(r ? r : nr, &s->resources)) {
			sb_cat(err, "Syntax errors in policy.");
			return -1;
		}
	} else if (kind == IAM_IDENTITY) {
		sb_cat(err, "Policy statement must contain resources.");
		return -1;
	}
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(j, "Principal");
	const cJSON *np = cJSON_GetObjectItemCaseSensitive(j, "NotPrincipal");
	if ((p || np) && kind == IAM_IDENTITY) {
		sb_cat(err, "Policy document should not specify a principal.");
		return -1;
	}
	if (kind == IAM_RESOURCE) {
		if (!p && !np) {
			sb_cat(err, "Missing required field Principal");
			return -1;
		}
		s->has_principal = 1;
		s->not_principal = np != NULL;
		if (parse_principal(s, p ? p : np, err))
			return -1;
	}
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(j, "Condition");
	if (c && parse_condition(s, c, err))
		return -1;
	return 0;
}

iam_policy *iam_policy_from_json(const cJSON *doc, int kind, sb *err)
{
	if (!cJSON_IsObject(doc)) {
		sb_cat(err, "Syntax errors in policy.");
		return NULL;
	}
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, "Version");
	if (v && (!cJSON_IsString(v) ||
	          (strcmp(v->valuestring, "2012-10-17") && strcmp(v->valuestring, "2008-10-17")))) {
		sb_cat(err, "The policy failed legacy parsing");
		return NULL;
	}
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "Statement");
	if (!st || (!cJSON_IsObject(st) && !cJSON_IsArray(st))) {
		sb_cat(err, "Syntax errors in policy.");
		return NULL;
	}
	size_t n = cJSON_IsArray(st) ? (size_t)cJSON_GetArraySize(st) : 1;
	if (n == 0) {
		sb_cat(err, "Syntax errors in policy.");
		return NULL;
	}
	iam_policy *p = mem_calloc(1, sizeof *p);
	p->st = mem_calloc(n, sizeof *p->st);
	const cJSON *one = cJSON_IsArray(st) ? st->child : st;
	for (size_t i = 0; i < n; i++, one = one->next) {
		p->n = i + 1;
		if (parse_stmt(&p->st[i], one, kind, err)) {
			iam_policy_free(p);
			return NULL;
		}
		if (!cJSON_IsArray(st))
			break;
	}
	return p;
}

iam_policy *iam_policy_parse(const char *text, size_t len, int kind, sb *err)
{
	cJSON *doc = cj_parse(text, len, NULL);
	if (!doc) {
		sb_cat(err, "Syntax errors in policy.");
		return NULL;
	}
	iam_policy *p = iam_policy_from_json(doc, kind, err);
	cJSON_Delete(doc);
	return p;
}

/* ======================================================================
 * Matching
 * ====================================================================== */

int iam_glob(const char *p, const char *s, int icase)
{
	/* iterative glob with one backtrack point: linear enough for policy sizes */
	const char *star = NULL, *mark = NULL;
	while (*s) {
		char pc = *p, sc = *s;
		if (icase) {
			pc = (char)tolower((unsigned char)pc);
			sc = (char)tolower((unsigned char)sc);
		}
		if (*p == '*') {
			star = p++;
			mark = s;
		} else if (*p && (*p == '?' || pc == sc)) {
			p++;
			s++;
		} else if (star) {
			p = star + 1;
			s = ++mark;
		} else {
			return 0;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

/*
 * ARN wildcards (IAM "Resource" rules): `*` and `?` work within a segment
 * (the parts between colons), except that a `*` ending a segment may also
 * match across colons. Matched by dynamic programming over the string, so a
 * hostile pattern costs O(|pattern| x |arn|), never exponential time.
 */
int iam_arn_match(const char *pattern, const char *arn)
{
	if (!strcmp(pattern, "*"))
		return 1;
	size_t n = strlen(arn);
	if (n > 4096 || strlen(pattern) > 4096)
		return 0;
	unsigned char *cur = mem_calloc(n + 1, 1), *nxt = mem_calloc(n + 1, 1);
	cur[0] = 1;
	for (const char *p = pattern; *p; p++) {
		if (*p == '*') {
			int cross = p[1] == ':' || p[1] == '\0';
			nxt[0] = cur[0];
			for (size_t j = 1; j <= n; j++)
				nxt[j] = cur[j] || (nxt[j - 1] && (cross || arn[j - 1] != ':'));
		} else {
			nxt[0] = 0;
			for (size_t j = 1; j <= n; j++)
				nxt[j] = cur[j - 1] && (*p == '?' ? arn[j - 1] != ':' : arn[j - 1] == *p);
		}
		unsigned char *t = cur;
		cur = nxt;
		nxt = t;
	}
	int ok = cur[n];
	mem_free(cur);
	mem_free(nxt);
	return ok;
}

static int list_match_action(const strlist *l, const char *action)
{
	for (size_t i = 0; i < l->n; i++)
		if (iam_glob(l->v[i], action, 1))
			return 1;
	return 0;
}

static int list_match_arn(const strlist *l, const char *arn)
{
	for (size_t i = 0; i < l->n; i++)
		if (iam_arn_match(l->v[i], arn))
			return 1;
	return 0;
}

/* "arn:aws:sts::123:assumed-role/R/session" -> role R of account 123 */
static int principal_matches_aws(const char *entry, const iam_request *r)
{
	if (!strcmp(entry, "*"))
		return 1;
	const char *arn = r->principal_arn, *acct = r->principal_account;
	if (acct && (!strcmp(entry, acct))) /* a bare account id */
		return 1;
	char root[64];
	if (acct) {
		snprintf(root, sizeof root, "arn:aws:iam::%s:root", acct);
		if (!strcmp(entry, root))
			return 1;
	}
	if (!arn)
		return 0;
	if (!strcmp(entry, arn))
		return 1;
	/* a role ARN names every session of the role */
	const char *ar = strstr(arn, ":assumed-role/");
	const char *rr = strstr(entry, ":role/");
	if (ar && rr && acct && strstr(entry, acct)) {
		const char *rn = ar + strlen(":assumed-role/"), *slash = strchr(rn, '/');
		const char *en = strrchr(rr, '/') + 1; /* the role name after any path */
		size_t n = slash ? (size_t)(slash - rn) : strlen(rn);
		return strlen(en) == n && !strncmp(en, rn, n);
	}
	return 0;
}

static int principal_matches(const stmt *s, const iam_request *r)
{
	int m = s->principal_any;
	for (size_t i = 0; !m && i < s->principal_aws.n; i++)
		m = principal_matches_aws(s->principal_aws.v[i], r);
	for (size_t i = 0; !m && i < s->principal_service.n; i++)
		m = r->principal_service && !strcmp(s->principal_service.v[i], r->principal_service);
	return s->not_principal ? !m : m;
}

static int parse_date(const char *s, double *out)
{
	int64_t ms;
	if (!clk_parse_iso(s, &ms)) {
		*out = (double)ms / 1000.0;
		return 0;
	}
	char *end;
	double d = strtod(s, &end);
	if (*s && !*end) {
		*out = d; /* epoch seconds */
		return 0;
	}
	return -1;
}

/* Does one context value match one policy value under op (the positive
 * form of negated operators)? */
static int value_match(cond_op op, const char *ctx, const char *pol)
{
	switch (op) {
	case OP_STRING_EQ:
	case OP_STRING_NE: return !strcmp(ctx, pol);
	case OP_STRING_EQ_IC:
	case OP_STRING_NE_IC: return !strcasecmp(ctx, pol);
	case OP_STRING_LIKE:
	case OP_STRING_NOT_LIKE: return iam_glob(pol, ctx, 0);
	case OP_BOOL: return !strcasecmp(ctx, pol);
	case OP_ARN_EQ:
	case OP_ARN_LIKE:
	case OP_ARN_NE:
	case OP_ARN_NOT_LIKE: return iam_arn_match(pol, ctx);
	case OP_NULL: return 0;
	default: break;
	}
	double a, b;
	int dates = op >= OP_DATE_EQ && op <= OP_DATE_GE;
	if (dates ? (parse_date(ctx, &a) || parse_date(pol, &b)) : 0)
		return 0;
	if (!dates) {
		char *e1, *e2;
		a = strtod(ctx, &e1);
		b = strtod(pol, &e2);
		if (!*ctx || *e1 || !*pol || *e2)
			return 0;
	}
	switch (op) {
	case OP_NUM_EQ:
	case OP_NUM_NE:
	case OP_DATE_EQ:
	case OP_DATE_NE: return a == b;
	case OP_NUM_LT:
	case OP_DATE_LT: return a < b;
	case OP_NUM_LE:
	case OP_DATE_LE: return a <= b;
	case OP_NUM_GT:
	case OP_DATE_GT: return a > b;
	case OP_NUM_GE:
	case OP_DATE_GE: return a >= b;
	default: return 0;
	}
}

static int any_policy_value(const cond *c, const char *ctx)
{
	for (size_t i = 0; i < c->values.n; i++)
		if (value_match(c->op, ctx, c->values.v[i]))
			return 1;
	return 0;
}

static int ctx_text(const cJSON *v, sb *out)
{
	sb_clear(out);
	return scalar_text(v, out);
}

static int cond_holds(const cond *c, const cJSON *context)
{
	const cJSON *v = NULL;
	/* condition keys are case-insensitive */
	for (const cJSON *x = context ? context->child : NULL; x && !v; x = x->next)
		if (!strcasecmp(x->string, c->key))
			v = x;
	if (c->op == OP_NULL) {
		int want_absent = c->values.n && !strcasecmp(c->values.v[0], "true");
		int absent = !v || cJSON_IsNull(v) || (cJSON_IsArray(v) && !cJSON_GetArraySize(v));
		return want_absent == absent;
	}
	if (!v || cJSON_IsNull(v)) {
		if (c->set == SET_ALL)
			return 1;
		return c->if_exists || (c->negated && c->set == SET_NONE);
	}
	sb t = SB_INIT;
	int result;
	if (cJSON_IsArray(v)) {
		int n = cJSON_GetArraySize(v), hits = 0;
		for (const cJSON *x = v->child; x; x = x->next)
			hits += !ctx_text(x, &t) && any_policy_value(c, sb_str(&t));
		if (c->set == SET_ALL)
			result = c->negated ? hits == 0 : hits == n;
		else
			result = c->negated ? hits == 0 : hits > 0;
	} else {
		int hit = !ctx_text(v, &t) && any_policy_value(c, sb_str(&t));
		result = c->negated ? !hit : hit;
	}
	sb_free(&t);
	return result;
}

static int stmt_applies(const stmt *s, const iam_request *r)
{
	int am = list_match_action(&s->actions, r->action);
	if (s->not_action ? am : !am)
		return 0;
	if (s->has_resource) {
		int rm = r->resource && list_match_arn(&s->resources, r->resource);
		if (s->not_resource ? rm : !rm)
			return 0;
	}
	if (s->has_principal && !principal_matches(s, r))
		return 0;
	for (size_t i = 0; i < s->nconds; i++)
		if (!cond_holds(&s->conds[i], r->context))
			return 0;
	return 1;
}

iam_effect iam_policy_eval(const iam_policy *p, const iam_request *r)
{
	iam_effect e = IAM_NONE;
	for (size_t i = 0; p && i < p->n; i++) {
		if (!stmt_applies(&p->st[i], r))
			continue;
		if (p->st[i].deny)
			return IAM_DENY;
		e = IAM_ALLOW;
	}
	return e;
}

iam_decision iam_decide(const iam_policy *const *identity, size_t n, const iam_policy *resource,
                        const iam_request *r)
{
	int allowed = 0;
	for (size_t i = 0; i < n; i++) {
		iam_effect e = iam_policy_eval(identity[i], r);
		if (e == IAM_DENY)
			return IAM_DENY_IDENTITY;
		allowed |= e == IAM_ALLOW;
	}
	if (resource) {
		iam_effect e = iam_policy_eval(resource, r);
		if (e == IAM_DENY)
			return IAM_DENY_RESOURCE;
		allowed |= e == IAM_ALLOW;
	}
	return allowed ? IAM_ALLOWED : IAM_IMPLICIT_DENY;
}

void iam_denied_message(iam_decision d, const char *caller_arn, const iam_request *r, sb *out)
{
	sb_printf(out, "User: %s is not authorized to perform: %s on resource: %s", caller_arn ? caller_arn : "anonymous",
	          r->action, r->resource ? r->resource : "*");
	switch (d) {
	case IAM_DENY_IDENTITY: sb_cat(out, " with an explicit deny in an identity-based policy"); break;
	case IAM_DENY_RESOURCE: sb_cat(out, " with an explicit deny in a resource-based policy"); break;
	case IAM_IMPLICIT_DENY:
		sb_printf(out, " because no identity-based policy allows the %s action", r->action);
		break;
	case IAM_ALLOWED: break;
	}
}
