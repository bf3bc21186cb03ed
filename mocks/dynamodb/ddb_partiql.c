/* ddb_partiql.c - ExecuteStatement: PartiQL SELECT/INSERT/UPDATE/DELETE, translated to the item operations.
 *
 * A statement is tokenised, its document paths and literals become
 * ExpressionAttributeNames/Values placeholders, and its clauses become the
 * request of GetItem-like Query/Scan, PutItem, UpdateItem or DeleteItem,
 * which then runs in this same transaction. Covered: single-table
 * statements; SELECT with a projection and WHERE (a hash-key equality turns
 * it into a Query, otherwise a Scan); INSERT ... VALUE {map}; UPDATE ...
 * SET/REMOVE ... WHERE <full key> [AND condition]; DELETE ... WHERE <full
 * key> [AND condition]; literals (strings, numbers, booleans, null, lists,
 * maps, <<sets>>), ? parameters, IS [NOT] MISSING.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/cj.h"
#include "mocks/dynamodb/ddb_expr.h"

typedef enum { P_EOF, P_IDENT, P_QIDENT, P_STR, P_NUM, P_PARAM, P_PUNCT, P_BAD } ptype;

typedef struct ptok {
	ptype t;
	const char *s;
	size_t n;
} ptok;

typedef struct pq {
	mock_req *rq;
	ptok *tk;
	int nt, i;
	const cJSON *params;
	int next_param;
	cJSON *names, *values; /* owned until handed to the request */
	int nnames, nvalues;
	const char *err;       /* first error */
} pq;

#define PQ_FAIL(p, msg)                \
	do {                               \
		if (!(p)->err)                 \
			(p)->err = (msg);          \
	} while (0)

static void plex(pq *p, const char *src)
{
	size_t len = strlen(src), cap = 16, i = 0;
	p->tk = arena_alloc(p->rq->ar, cap * sizeof *p->tk);
	p->nt = 0;
	for (;;) {
		while (i < len && isspace((unsigned char)src[i]))
			i++;
		if ((size_t)p->nt + 1 >= cap) {
			p->tk = arena_realloc(p->rq->ar, p->tk, cap * sizeof *p->tk, cap * 2 * sizeof *p->tk);
			cap *= 2;
		}
		ptok *t = &p->tk[p->nt++];
		t->s = src + i;
		if (i >= len) {
			t->t = P_EOF;
			t->n = 0;
			return;
		}
		char c = src[i];
		size_t st = i;
		if (isalpha((unsigned char)c) || c == '_') {
			while (i < len && (isalnum((unsigned char)src[i]) || src[i] == '_'))
				i++;
			t->t = P_IDENT;
		} else if (isdigit((unsigned char)c) || (c == '-' && i + 1 < len && isdigit((unsigned char)src[i + 1]) &&
		                                          p->nt > 1 && p->tk[p->nt - 2].t == P_PUNCT &&
		                                          strchr("=<>,([{:", p->tk[p->nt - 2].s[0]))) {
			i++;
			while (i < len && (isdigit((unsigned char)src[i]) || src[i] == '.' || src[i] == 'e' || src[i] == 'E' ||
			                   ((src[i] == '-' || src[i] == '+') && (src[i - 1] == 'e' || src[i - 1] == 'E'))))
				i++;
			t->t = P_NUM;
		} else if (c == '\'' || c == '"') {
			i++;
			while (i < len && !(src[i] == c && !(i + 1 < len && src[i + 1] == c)))
				i += src[i] == c ? 2 : 1;
			if (i >= len) {
				t->t = P_BAD;
				t->n = len - st;
				return;
			}
			i++;
			t->t = c == '"' ? P_QIDENT : P_STR;
		} else if (c == '?') {
			i++;
			t->t = P_PARAM;
		} else {
			static const char *const two[] = {"<>", "!=", "<=", ">=", "<<", ">>"};
			t->t = P_PUNCT;
			i++;
			for (size_t k = 0; k < sizeof two / sizeof *two; k++)
				if (i < len && src[i - 1] == two[k][0] && src[i] == two[k][1]) {
					i++;
					break;
				}
			if (!strchr("=<>!,()[]{}.:+-*", c))
				t->t = P_BAD;
		}
		t->n = (size_t)(src + i - t->s);
	}
}

static ptok *cur(pq *p) { return &p->tk[p->i]; }

static int is_kw(const ptok *t, const char *kw)
{
	return t->t == P_IDENT && t->n == strlen(kw) && !strncasecmp(t->s, kw, t->n);
}

static int is_p(const ptok *t, const char *punct)
{
	return t->t == P_PUNCT && t->n == strlen(punct) && !strncmp(t->s, punct, t->n);
}

/* A quoted string or identifier's text, with doubled quotes undone. */
static char *unquote(pq *p, const ptok *t)
{
	char *o = arena_alloc(p->rq->ar, t->n);
	size_t k = 0;
	for (size_t i = 1; i + 1 < t->n; i++) {
		o[k++] = t->s[i];
		if (t->s[i] == t->s[0])
			i++;
	}
	o[k] = 0;
	return o;
}

static const char *name_ph(pq *p, const char *name)
{
	for (cJSON *m = p->names->child; m; m = m->next)
		if (!strcmp(m->valuestring, name))
			return m->string;
	char *ph = arena_printf(p->rq->ar, "#p%d", p->nnames++);
	cJSON_AddStringToObject(p->names, ph, name);
	return ph;
}

static const char *value_ph(pq *p, cJSON *av)
{
	char *ph = arena_printf(p->rq->ar, ":v%d", p->nvalues++);
	cJSON_AddItemToObject(p->values, ph, av);
	return ph;
}

/* A literal or parameter at the cursor, as an AttributeValue (new), or NULL. */
static cJSON *literal(pq *p)
{
	ptok *t = cur(p);
	if (t->t == P_PARAM) {
		p->i++;
		const cJSON *v = cJSON_GetArrayItem(p->params, p->next_param++);
		if (!v) {
			PQ_FAIL(p, "Number of parameters in request and statement don't match.");
			return NULL;
		}
		return cJSON_Duplicate(v, 1);
	}
	cJSON *o = cJSON_CreateObject();
	if (t->t == P_STR) {
		p->i++;
		cJSON_AddStringToObject(o, "S", unquote(p, t));
		return o;
	}
	if (t->t == P_NUM) {
		p->i++;
		char *txt = arena_strndup(p->rq->ar, t->s, t->n);
		cJSON_AddStringToObject(o, "N", txt);
		return o;
	}
	if (is_kw(t, "true") || is_kw(t, "false")) {
		p->i++;
		cJSON_AddBoolToObject(o, "BOOL", is_kw(t, "true"));
		return o;
	}
	if (is_kw(t, "null")) {
		p->i++;
		cJSON_AddBoolToObject(o, "NULL", 1);
		return o;
	}
	if (is_p(t, "[") || is_p(t, "<<")) {
		int set = is_p(t, "<<");
		p->i++;
		cJSON *l = cJSON_CreateArray();
		while (!is_p(cur(p), set ? ">>" : "]")) {
			cJSON *e = literal(p);
			if (!e) {
				cJSON_Delete(l);
				cJSON_Delete(o);
				return NULL;
			}
			cJSON_AddItemToArray(l, e);
			if (is_p(cur(p), ","))
				p->i++;
			else if (!is_p(cur(p), set ? ">>" : "]")) {
				PQ_FAIL(p, "Statement wasn't well formed, can't be processed: Expected , or closing bracket");
				cJSON_Delete(l);
				cJSON_Delete(o);
				return NULL;
			}
		}
		p->i++;
		if (!set) {
			cJSON_AddItemToObject(o, "L", l);
			return o;
		}
		/* a set: every element a string, or every element a number */
		const char *kind = l->child ? ddb_type_name(ddb_av_type(l->child)) : "S";
		cJSON *arr = cJSON_CreateArray();
		for (cJSON *e = l->child; e; e = e->next)
			if (cJSON_IsString(e->child))
				cJSON_AddItemToArray(arr, cJSON_CreateString(e->child->valuestring));
		cJSON_AddItemToObject(o, !strcmp(kind, "N") ? "NS" : !strcmp(kind, "B") ? "BS" : "SS", arr);
		cJSON_Delete(l);
		return o;
	}
	if (is_p(t, "{")) {
		p->i++;
		cJSON *m = cJSON_AddObjectToObject(o, "M");
		while (!is_p(cur(p), "}")) {
			ptok *k = cur(p);
			if (k->t != P_STR && k->t != P_QIDENT) {
				PQ_FAIL(p, "Statement wasn't well formed, can't be processed: Expected a quoted key");
				cJSON_Delete(o);
				return NULL;
			}
			char *key = unquote(p, k);
			p->i++;
			if (!is_p(cur(p), ":")) {
				PQ_FAIL(p, "Statement wasn't well formed, can't be processed: Expected :");
				cJSON_Delete(o);
				return NULL;
			}
			p->i++;
			cJSON *v = literal(p);
			if (!v) {
				cJSON_Delete(o);
				return NULL;
			}
			cJSON_AddItemToObject(m, key, v);
			if (is_p(cur(p), ","))
				p->i++;
		}
		p->i++;
		return o;
	}
	cJSON_Delete(o);
	return NULL;
}

/* Translate tokens up to one of the stop keywords (or EOF) into expression
 * text, paths and literals becoming placeholders. */
static int translate(pq *p, sb *out, const char *const *stops)
{
	size_t path_start = out->len;
	int in_path = 0;
	while (cur(p)->t != P_EOF) {
		ptok *t = cur(p);
		for (const char *const *s = stops; s && *s; s++)
			if (is_kw(t, *s))
				return 0;
		if (t->t == P_BAD) {
			PQ_FAIL(p, "Statement wasn't well formed, can't be processed: Unexpected character");
			return -1;
		}
		if (is_kw(t, "IS")) {
			int not = is_kw(&p->tk[p->i + 1], "NOT");
			if (!is_kw(&p->tk[p->i + 1 + not], "MISSING")) {
				PQ_FAIL(p, "Statement wasn't well formed, can't be processed: only IS [NOT] MISSING is supported");
				return -1;
			}
			char *path = arena_strndup(p->rq->ar, out->buf + path_start, out->len - path_start);
			out->len = path_start;
			sb_printf(out, "%s(%s)", not ? "attribute_exists" : "attribute_not_exists", path);
			p->i += 2 + not;
			in_path = 0;
			continue;
		}
		if ((t->t == P_IDENT || t->t == P_QIDENT) && !(t->t == P_IDENT && is_p(&p->tk[p->i + 1], "(")) &&
		    !(t->t == P_IDENT && (is_kw(t, "AND") || is_kw(t, "OR") || is_kw(t, "NOT") || is_kw(t, "BETWEEN") ||
		                          is_kw(t, "IN") || is_kw(t, "true") || is_kw(t, "false") || is_kw(t, "null")))) {
			const char *name = t->t == P_QIDENT ? unquote(p, t) : arena_strndup(p->rq->ar, t->s, t->n);
			if (!in_path || !(out->len && out->buf[out->len - 1] == '.')) {
				sb_catc(out, ' ');
				path_start = out->len;
			}
			sb_cat(out, name_ph(p, name));
			in_path = 1;
			p->i++;
			continue;
		}
		if (in_path && (is_p(t, ".") || is_p(t, "["))) {
			sb_catn(out, t->s, t->n);
			if (is_p(t, "[")) {
				p->i++;
				if (cur(p)->t != P_NUM) {
					PQ_FAIL(p, "Statement wasn't well formed, can't be processed: Expected a list index");
					return -1;
				}
				sb_catn(out, cur(p)->s, cur(p)->n);
				p->i++;
				if (!is_p(cur(p), "]")) {
					PQ_FAIL(p, "Statement wasn't well formed, can't be processed: Expected ]");
					return -1;
				}
				sb_catc(out, ']');
			}
			p->i++;
			continue;
		}
		in_path = 0;
		cJSON *lit = literal(p);
		if (lit) {
			sb_catc(out, ' ');
			sb_cat(out, value_ph(p, lit));
			continue;
		}
		if (p->err)
			return -1;
		sb_catc(out, ' ');
		if (is_p(t, "!="))
			sb_cat(out, "<>");
		else
			sb_catn(out, t->s, t->n);
		p->i++;
	}
	return 0;
}

/* The table named at the cursor ("T" or T), optionally ."Index". */
static int table_ref(pq *p, char **table, char **index)
{
	ptok *t = cur(p);
	if (t->t != P_QIDENT && t->t != P_IDENT) {
		PQ_FAIL(p, "Statement wasn't well formed, can't be processed: Expected a table name");
		return -1;
	}
	*table = t->t == P_QIDENT ? unquote(p, t) : arena_strndup(p->rq->ar, t->s, t->n);
	p->i++;
	*index = NULL;
	if (is_p(cur(p), ".")) {
		p->i++;
		t = cur(p);
		*index = t->t == P_QIDENT ? unquote(p, t) : arena_strndup(p->rq->ar, t->s, t->n);
		p->i++;
	}
	return 0;
}

/* Run handler fn with request req (owned here) as if it were the call. */
static void run_as(mock_req *rq, mock_handler fn, cJSON *req)
{
	const cJSON *saved = rq->in;
	rq->in = req;
	fn(rq);
	rq->in = saved;
	cJSON_Delete(req);
}

static void add_exprs(pq *p, cJSON *req)
{
	if (p->names->child)
		cJSON_AddItemToObject(req, "ExpressionAttributeNames", cJSON_Duplicate(p->names, 1));
	if (p->values->child)
		cJSON_AddItemToObject(req, "ExpressionAttributeValues", cJSON_Duplicate(p->values, 1));
}

/* The key attributes of t pinned by `name = value` conjuncts of the WHERE
 * text (#pN = :vM at the top level, joined by AND). */
static cJSON *key_from_where(pq *p, const ddb_table *t, const char *where, int need_range)
{
	cJSON *key = cJSON_CreateObject();
	const char *names[2] = {t->hk.name, t->rk.name};
	int depth = 0, has_or = 0;
	for (const char *c = where; *c; c++) {
		depth += *c == '(' ? 1 : *c == ')' ? -1 : 0;
		if (depth == 0 && !strncasecmp(c, " OR ", 4))
			has_or = 1;
	}
	for (int k = 0; k < 2 && !has_or; k++) {
		if (!names[k])
			continue;
		const char *ph = NULL;
		for (cJSON *m = p->names->child; m; m = m->next)
			if (!strcmp(m->valuestring, names[k]))
				ph = m->string;
		if (!ph)
			continue;
		char pat[64];
		snprintf(pat, sizeof pat, " %s = :v", ph);
		const char *hit = strstr(where, pat);
		if (!hit || (hit[strlen(pat) + strspn(hit + strlen(pat), "0123456789")] != ' ' &&
		             hit[strlen(pat) + strspn(hit + strlen(pat), "0123456789")] != 0))
			continue;
		char vph[32];
		snprintf(vph, sizeof vph, ":v%.*s", (int)strspn(hit + strlen(pat), "0123456789"), hit + strlen(pat));
		cJSON *v = cJSON_GetObjectItemCaseSensitive(p->values, vph);
		if (v)
			cJSON_AddItemToObject(key, names[k], cJSON_Duplicate(v, 1));
	}
	int want = need_range && t->rk.name ? 2 : 1;
	if (cJSON_GetArraySize(key) < want) {
		cJSON_Delete(key);
		return NULL;
	}
	return key;
}

/* ExecuteStatement: Statement, Parameters?, ConsistentRead?, NextToken?, Limit?,
 * ReturnConsumedCapacity?, ReturnValuesOnConditionCheckFailure? */
void ddb_op_execute_statement(mock_req *rq)
{
	const char *stmt = cj_str(rq->in, "Statement");
	if (!stmt) {
		DDB_ERR(rq, ValidationException,
		        "1 validation error detected: Value null at 'statement' failed to satisfy constraint: Member must not be null");
		return;
	}
	pq p;
	memset(&p, 0, sizeof p);
	p.rq = rq;
	p.params = cj_arr(rq->in, "Parameters");
	for (cJSON *v = p.params ? p.params->child : NULL; v; v = v->next)
		if (ddb_av_check(rq, v, 1))
			return;
	p.names = cJSON_CreateObject();
	p.values = cJSON_CreateObject();
	plex(&p, stmt);
	sb where = SB_INIT, upd = SB_INIT, proj = SB_INIT;
	char *table = NULL, *index = NULL;
	cJSON *req = cJSON_CreateObject();
	ptok *verb = cur(&p);
	p.i++;
	if (is_kw(verb, "SELECT")) {
		static const char *const from[] = {"FROM", NULL};
		int star = is_p(cur(&p), "*");
		if (star)
			p.i++;
		else if (translate(&p, &proj, from))
			goto bad;
		if (!is_kw(cur(&p), "FROM")) {
			PQ_FAIL(&p, "Statement wasn't well formed, can't be processed: Expected FROM");
			goto bad;
		}
		p.i++;
		if (table_ref(&p, &table, &index))
			goto bad;
		if (is_kw(cur(&p), "WHERE")) {
			p.i++;
			if (translate(&p, &where, NULL))
				goto bad;
		}
		if (cur(&p)->t != P_EOF) {
			PQ_FAIL(&p, "Statement wasn't well formed, can't be processed: Unexpected text after the statement");
			goto bad;
		}
		ddb_table *t = ddb_table_get(rq, table, 0);
		if (!t)
			goto out;
		ddb_index *ix = index ? ddb_table_index(t, index) : NULL;
		const ddb_keydef *hk = ix ? &ix->hk : &t->hk;
		cJSON_AddStringToObject(req, "TableName", table);
		if (index)
			cJSON_AddStringToObject(req, "IndexName", index);
		if (proj.len)
			cJSON_AddStringToObject(req, "ProjectionExpression", proj.buf + 1);
		ddb_table view = *t;
		view.hk = *hk;
		view.rk.name = NULL;
		cJSON *key = where.len ? key_from_where(&p, &view, sb_str(&where), 0) : NULL;
		if (where.len)
			cJSON_AddStringToObject(req, "FilterExpression", sb_str(&where) + 1);
		if (key) {
			const char *ph = NULL;
			for (cJSON *m = p.names->child; m; m = m->next)
				if (!strcmp(m->valuestring, hk->name))
					ph = m->string;
			const char *vph = NULL;
			for (cJSON *m = p.values->child; m; m = m->next)
				if (ddb_av_equal(m, key->child))
					vph = m->string;
			cJSON_AddStringToObject(req, "KeyConditionExpression", arena_printf(rq->ar, "%s = %s", ph, vph));
			cJSON_Delete(key);
		}
		if (cj_bool(rq->in, "ConsistentRead", 0))
			cJSON_AddBoolToObject(req, "ConsistentRead", 1);
		add_exprs(&p, req);
		int is_query = cJSON_GetObjectItemCaseSensitive(req, "KeyConditionExpression") != NULL;
		if (is_query)
			cJSON_AddBoolToObject(req, "_stepbench_partiql", 1);
		run_as(rq, is_query ? ddb_op_query : ddb_op_scan, req);
		req = NULL;
		if (!mock_failed(rq) && rq->out) {
			/* ExecuteStatement answers Items (and a LastEvaluatedKey), not Count */
			cJSON_DeleteItemFromObjectCaseSensitive(rq->out, "Count");
			cJSON_DeleteItemFromObjectCaseSensitive(rq->out, "ScannedCount");
		}
		goto out;
	}
	if (is_kw(verb, "INSERT")) {
		if (!is_kw(cur(&p), "INTO")) {
			PQ_FAIL(&p, "Statement wasn't well formed, can't be processed: Expected INTO");
			goto bad;
		}
		p.i++;
		if (table_ref(&p, &table, &index))
			goto bad;
		if (!is_kw(cur(&p), "VALUE")) {
			PQ_FAIL(&p, "Statement wasn't well formed, can't be processed: Expected VALUE");
			goto bad;
		}
		p.i++;
		cJSON *v = literal(&p);
		if (!v || ddb_av_type(v) != DDB_T_M || cur(&p)->t != P_EOF) {
			cJSON_Delete(v);
			PQ_FAIL(&p, "Statement wasn't well formed, can't be processed: Expected a map after VALUE");
			goto bad;
		}
		ddb_table *t = ddb_table_get(rq, table, 0);
		if (!t) {
			cJSON_Delete(v);
			goto out;
		}
		cJSON_AddStringToObject(req, "TableName", table);
		cJSON_AddItemToObject(req, "Item", cJSON_DetachItemViaPointer(v, v->child));
		cJSON_Delete(v);
		cJSON_AddStringToObject(req, "ConditionExpression", "attribute_not_exists(#k)");
		cJSON *n = cJSON_AddObjectToObject(req, "ExpressionAttributeNames");
		cJSON_AddStringToObject(n, "#k", t->hk.name);
		run_as(rq, ddb_op_put_item, req);
		req = NULL;
		if (mock_failed(rq) && !strcmp(rq->err.type, "ConditionalCheckFailedException")) {
			memset(&rq->err, 0, sizeof rq->err);
			DDB_ERR(rq, DuplicateItemException, "Duplicate primary key exists in table");
		}
		goto out;
	}
	if (is_kw(verb, "UPDATE") || is_kw(verb, "DELETE")) {
		int is_update = is_kw(verb, "UPDATE");
		if (!is_update) {
			if (!is_kw(cur(&p), "FROM")) {
				PQ_FAIL(&p, "Statement wasn't well formed, can't be processed: Expected FROM");
				goto bad;
			}
			p.i++;
		}
		if (table_ref(&p, &table, &index))
			goto bad;
		static const char *const clause_end[] = {"SET", "REMOVE", "WHERE", NULL};
		/* PartiQL repeats SET and REMOVE per change; an update expression has each once */
		sb sets = SB_INIT, removes = SB_INIT;
		while (is_update && (is_kw(cur(&p), "SET") || is_kw(cur(&p), "REMOVE"))) {
			sb *dst = is_kw(cur(&p), "SET") ? &sets : &removes;
			p.i++;
			if (dst->len)
				sb_catc(dst, ',');
			if (translate(&p, dst, clause_end)) {
				sb_free(&sets);
				sb_free(&removes);
				goto bad;
			}
		}
		if (sets.len)
			sb_printf(&upd, " SET%s", sets.buf);
		if (removes.len)
			sb_printf(&upd, " REMOVE%s", removes.buf);
		sb_free(&sets);
		sb_free(&removes);
		if (!is_kw(cur(&p), "WHERE")) {
			PQ_FAIL(&p, "Statement wasn't well formed, can't be processed: Expected WHERE");
			goto bad;
		}
		p.i++;
		if (translate(&p, &where, NULL))
			goto bad;
		ddb_table *t = ddb_table_get(rq, table, 0);
		if (!t)
			goto out;
		cJSON *key = key_from_where(&p, t, sb_str(&where), 1);
		if (!key) {
			DDB_ERR(rq, ValidationException,
			        "Where clause does not contain a mandatory equality on all key attributes");
			goto out;
		}
		cJSON_AddStringToObject(req, "TableName", table);
		cJSON_AddItemToObject(req, "Key", key);
		/* the WHERE (keys included, which always hold) must hold, and an
		 * UPDATE needs the item to exist */
		cJSON_AddStringToObject(req, "ConditionExpression",
		                        is_update ? arena_printf(rq->ar, "attribute_exists(%s) AND (%s)", name_ph(&p, t->hk.name),
		                                                 sb_str(&where) + 1) :
		                                    arena_printf(rq->ar, "(%s)", sb_str(&where) + 1));
		if (is_update && upd.len)
			cJSON_AddStringToObject(req, "UpdateExpression", upd.buf + 1);
		add_exprs(&p, req);
		if (cj_str(rq->in, "ReturnValuesOnConditionCheckFailure"))
			cJSON_AddStringToObject(req, "ReturnValuesOnConditionCheckFailure",
			                        cj_str(rq->in, "ReturnValuesOnConditionCheckFailure"));
		int is_delete = !is_update;
		if (is_delete) {
			/* deleting an item that is not there is not an error */
			cJSON *probe = NULL;
			sb k = SB_INIT;
			int missing = ddb_key_from_item(rq, t, key, 0, &k) == 0 &&
			              ddb_item_load(rq, t, (unsigned char *)k.buf, k.len, &probe) == 0 && !probe;
			sb_free(&k);
			cJSON_Delete(probe);
			if (missing) {
				rq->out = cJSON_CreateObject();
				cJSON_AddArrayToObject(rq->out, "Items");
				goto out;
			}
		}
		run_as(rq, is_update ? ddb_op_update_item : ddb_op_delete_item, req);
		req = NULL;
		if (!mock_failed(rq)) {
			cJSON_Delete(rq->out);
			rq->out = cJSON_CreateObject();
			cJSON_AddArrayToObject(rq->out, "Items");
		}
		goto out;
	}
	PQ_FAIL(&p, "Statement wasn't well formed, can't be processed: Unsupported statement");
bad:
	DDB_ERR(rq, ValidationException, "%s", p.err ? p.err : "Statement wasn't well formed, can't be processed");
out:
	if (!mock_failed(rq) && p.params && p.next_param != cJSON_GetArraySize(p.params))
		DDB_ERR(rq, ValidationException, "Number of parameters in request and statement don't match.");
	cJSON_Delete(req);
	cJSON_Delete(p.names);
	cJSON_Delete(p.values);
	sb_free(&where);
	sb_free(&upd);
	sb_free(&proj);
}
