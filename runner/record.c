/* record.c - expectations written from a real run; the layout files are written in. */
#include "runner/record.h"

#include <string.h>

#include "common/cj.h"
#include "common/clock.h"
#include "common/mem.h"

static int is_uuid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	if (strlen(s) != sizeof shape - 1)
		return 0;
	for (size_t i = 0; shape[i]; i++) {
		char c = s[i];
		int hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
		if (shape[i] == '-' ? c != '-' : !hex)
			return 0;
	}
	return 1;
}

static cJSON *matcher(const char *name, cJSON *arg)
{
	cJSON *m = cJSON_CreateObject();
	cJSON_AddItemToObject(m, name, arg);
	return m;
}

/* A copy of v with its run-dependent values replaced by matchers. */
static cJSON *stable(const cJSON *v, const char *member)
{
	static const char *const anything[] = {"SdkHttpMetadata", "SdkResponseMetadata", NULL};
	static const char *const ids[] = {"MessageId", "RequestId", "MD5OfMessageBody", "MD5OfBody",
	                                  "MD5OfMessageAttributes", "SequenceNumber", NULL};
	for (const char *const *a = anything; member && *a; a++)
		if (!strcmp(member, *a))
			return matcher("$any", cJSON_CreateTrue());
	for (const char *const *a = ids; member && *a; a++)
		if (!strcmp(member, *a) && cJSON_IsString(v))
			return matcher("$type", cJSON_CreateString("string"));
	if (cJSON_IsString(v)) {
		int64_t ms;
		if (strchr(v->valuestring, 'T') && clk_parse_iso(v->valuestring, &ms) == 0)
			return matcher("$timestamp", cJSON_CreateTrue());
		if (is_uuid(v->valuestring))
			return matcher("$regex",
			               cJSON_CreateString("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"));
		return cJSON_Duplicate(v, 1);
	}
	if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
		cJSON *c = cJSON_IsObject(v) ? cJSON_CreateObject() : cJSON_CreateArray();
		const cJSON *e;
		cJSON_ArrayForEach(e, v)
		{
			cJSON *x = stable(e, e->string);
			if (cJSON_IsObject(v))
				cJSON_AddItemToObject(c, e->string, x);
			else
				cJSON_AddItemToArray(c, x);
		}
		return c;
	}
	return cJSON_Duplicate(v, 1);
}

static int fill(cJSON *expect, const char *name, cJSON *v)
{
	if (!v)
		return 0;
	if (cJSON_GetObjectItemCaseSensitive(expect, name)) {
		cJSON_Delete(v);
		return 0;
	}
	cJSON_AddItemToObject(expect, name, v);
	return 1;
}

static const cJSON *member(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k); }

int runner_record(cJSON *expect, const cJSON *snap, const cJSON *keys)
{
	const cJSON *ex = member(snap, "execution");
	int n = 0;
	n += fill(expect, "status", cJSON_Duplicate(member(ex, "status"), 1));
	n += fill(expect, "path", cJSON_Duplicate(member(ex, "path"), 1));
	if (member(ex, "output"))
		n += fill(expect, "output", stable(member(ex, "output"), NULL));
	if (member(ex, "error"))
		n += fill(expect, "error", cJSON_Duplicate(member(ex, "error"), 1));
	if (member(ex, "cause"))
		n += fill(expect, "cause", stable(member(ex, "cause"), NULL));

	cJSON *ddb = cJSON_CreateObject();
	const cJSON *t;
	cJSON_ArrayForEach(t, member(snap, "dynamodb"))
	{
		cJSON *items = cJSON_AddArrayToObject(ddb, t->string);
		const cJSON *it;
		cJSON_ArrayForEach(it, t)
		{
			cJSON *x = cJSON_CreateObject();
			const cJSON *a;
			cJSON_ArrayForEach(a, it)
			{
				int key = 0;
				const cJSON *k;
				cJSON_ArrayForEach(k, member(keys, t->string)) key |= !strcmp(k->valuestring, a->string);
				cJSON_AddItemToObject(x, a->string, key ? cJSON_Duplicate(a, 1) : stable(a, a->string));
			}
			cJSON_AddItemToArray(items, x);
		}
	}
	n += fill(expect, "dynamodb", ddb->child ? ddb : (cJSON_Delete(ddb), NULL));

	cJSON *sqs = cJSON_CreateObject();
	const cJSON *q;
	cJSON_ArrayForEach(q, member(snap, "sqs"))
	{
		cJSON *msgs = cJSON_AddArrayToObject(sqs, q->string);
		const cJSON *m;
		cJSON_ArrayForEach(m, q)
		{
			cJSON *x = cJSON_CreateObject();
			cJSON_AddItemToObject(x, "Body", stable(member(m, "Body"), "Body"));
			cJSON_AddItemToArray(msgs, x);
		}
	}
	n += fill(expect, "sqs", sqs->child ? sqs : (cJSON_Delete(sqs), NULL));

	cJSON *lam = cJSON_CreateObject();
	const cJSON *f;
	cJSON_ArrayForEach(f, member(snap, "lambda"))
	{
		cJSON *calls = cJSON_AddArrayToObject(lam, f->string);
		const cJSON *c;
		cJSON_ArrayForEach(c, f)
		{
			const cJSON *p = member(c, "Payload");
			cJSON_AddItemToArray(calls, p ? stable(p, NULL) : cJSON_CreateNull());
		}
	}
	n += fill(expect, "lambda", lam->child ? lam : (cJSON_Delete(lam), NULL));
	return n;
}

/* ======================================================================
 * Layout
 * ====================================================================== */

/* Compact JSON text with ", " and ": " between members, as people write it. */
static void spaced(const cJSON *v, sb *out)
{
	char *flat = cj_print(v);
	int in_str = 0;
	for (const char *p = flat; *p; p++) {
		sb_catc(out, *p);
		if (in_str && *p == '\\' && p[1]) {
			sb_catc(out, *++p);
			continue;
		}
		if (*p == '"')
			in_str = !in_str;
		else if (!in_str && (*p == ',' || *p == ':'))
			sb_catc(out, ' ');
	}
	mem_free(flat);
}

static void pretty(const cJSON *v, int level, sb *out)
{
	sb flat = SB_INIT;
	spaced(v, &flat);
	size_t room = 100 > 2 * (size_t)level ? 100 - 2 * (size_t)level : 0;
	if (flat.len <= room || !(cJSON_IsObject(v) || cJSON_IsArray(v)) || !v->child) {
		sb_cat(out, sb_str(&flat));
		sb_free(&flat);
		return;
	}
	sb_free(&flat);
	int obj = cJSON_IsObject(v);
	sb_cat(out, obj ? "{\n" : "[\n");
	const cJSON *e;
	cJSON_ArrayForEach(e, v)
	{
		for (int i = 0; i <= level; i++)
			sb_cat(out, "  ");
		if (obj) {
			sb_cat_json_str(out, e->string, strlen(e->string));
			sb_cat(out, ": ");
		}
		pretty(e, level + 1, out);
		sb_cat(out, e->next ? ",\n" : "\n");
	}
	for (int i = 0; i < level; i++)
		sb_cat(out, "  ");
	sb_catc(out, obj ? '}' : ']');
}

void runner_json_pretty(const cJSON *v, sb *out) { pretty(v, 0, out); }
