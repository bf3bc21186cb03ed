/* lam_function.c - functions, versions, aliases and tags as LMDB records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/b64.h"
#include "common/cj.h"
#include "common/hash.h"
#include "common/mem.h"
#include "engine/jsonata/jsonata.h"
#include "mocks/lambda/lam_int.h"
#include "mocks/lambda/lam_zip.h"

/* ======================================================================
 * Keys, records, shared helpers
 * ====================================================================== */

void lam_key(sb *k, const char *region, const char *name, const char *part)
{
	sb_cat(k, region);
	sb_catc(k, '\0');
	sb_cat(k, name);
	sb_catc(k, '\0');
	if (part)
		sb_cat(k, part);
}

void lam_ver_part(const char *version, char out[LAM_VER_LEN])
{
	if (!strcmp(version, LAM_LATEST))
		snprintf(out, LAM_VER_LEN, "%s", LAM_LATEST);
	else
		snprintf(out, LAM_VER_LEN, "%010lu", strtoul(version, NULL, 10));
}

char *lam_fn_arn(mock_req *rq, const char *region, const char *name, const char *qualifier)
{
	if (qualifier && *qualifier)
		return arena_printf(rq->ar, "arn:aws:lambda:%s:%s:function:%s:%s", region, rq->w->account, name, qualifier);
	return arena_printf(rq->ar, "arn:aws:lambda:%s:%s:function:%s", region, rq->w->account, name);
}

void lam_fail_not_found(mock_req *rq, const char *region, const char *name, const char *qualifier)
{
	mock_fail(rq, AWSERR_LAM_ResourceNotFoundException, "Function not found: %s",
	          lam_fn_arn(rq, region, name, qualifier));
}

static cJSON *get_json(store_txn *t, store_db db, const sb *k)
{
	store_val v;
	if (store_get(t, db, k->buf, k->len, &v))
		return NULL;
	return cj_parse(v.data, v.len, NULL);
}

static int put_json(mock_req *rq, store_txn *t, store_db db, const sb *k, const cJSON *v)
{
	char *s = cj_print(v);
	int rc = store_put(t, db, k->buf, k->len, s, strlen(s), 0);
	mem_free(s);
	if (rc)
		mock_fail_store(rq, rc);
	return rc ? -1 : 0;
}

static uint64_t meta_get(store_txn *t, lam_state *st, const sb *k)
{
	store_val v;
	uint64_t n = 0;
	if (!store_get(t, st->meta, k->buf, k->len, &v) && v.len == 8)
		memcpy(&n, v.data, 8);
	return n;
}

static int meta_put(mock_req *rq, store_txn *t, lam_state *st, const sb *k, uint64_t n)
{
	int rc = store_put(t, st->meta, k->buf, k->len, &n, 8, 0);
	if (rc)
		mock_fail_store(rq, rc);
	return rc ? -1 : 0;
}

static void meta_key(sb *k, char tag, const char *region, const char *name)
{
	sb_catc(k, tag);
	sb_catc(k, '\0');
	lam_key(k, region, name, NULL);
}

cJSON *lam_cfg_public(const cJSON *cfg)
{
	cJSON *o = cJSON_CreateObject();
	for (const cJSON *x = cfg ? cfg->child : NULL; x; x = x->next)
		if (x->string && x->string[0] != '_')
			cJSON_AddItemToObject(o, x->string, cJSON_Duplicate(x, 1));
	return o;
}

static void set_str(cJSON *o, const char *k, const char *v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(o, k);
	cJSON_AddStringToObject(o, k, v);
}

static void set_num(cJSON *o, const char *k, double v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(o, k);
	cJSON_AddNumberToObject(o, k, v);
}

static void set_item(cJSON *o, const char *k, cJSON *v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(o, k);
	cJSON_AddItemToObject(o, k, v);
}

/* Lambda's timestamps: 2025-10-20T10:30:00.000+0000 */
static void lam_time(int64_t ms, char out[CLK_ISO_LEN + 8])
{
	char iso[CLK_ISO_LEN];
	clk_fmt_iso(ms, iso);
	size_t n = strlen(iso);
	if (n && iso[n - 1] == 'Z')
		iso[n - 1] = '\0';
	snprintf(out, CLK_ISO_LEN + 8, "%s+0000", iso);
}

static void new_revision(mock_req *rq, cJSON *cfg)
{
	char id[UUID_LEN];
	mock_world_uuid(rq->w, id);
	set_str(cfg, "RevisionId", id);
}

static void touch(mock_req *rq, cJSON *cfg)
{
	char t[CLK_ISO_LEN + 8];
	lam_time(rq->now_ms, t);
	set_str(cfg, "LastModified", t);
	new_revision(rq, cfg);
}

int lam_fn_load(mock_req *rq, store_txn *t, const char *region, const char *name, const char *qualifier,
                cJSON **cfg, char version[LAM_VER_LEN])
{
	lam_state *st = lam_st(rq->w);
	const char *q = qualifier && *qualifier ? qualifier : LAM_LATEST;
	char ver[LAM_VER_LEN];
	if (!strcmp(q, LAM_LATEST) || lam_is_version(q)) {
		snprintf(ver, sizeof ver, "%s", q);
	} else {
		sb k = SB_INIT;
		lam_key(&k, region, name, q);
		cJSON *a = get_json(t, st->aliases, &k);
		sb_free(&k);
		const char *fv = cj_str(a, "FunctionVersion");
		if (!fv) {
			cJSON_Delete(a);
			lam_fail_not_found(rq, region, name, qualifier);
			return -1;
		}
		snprintf(ver, sizeof ver, "%s", fv);
		cJSON_Delete(a);
	}
	char part[LAM_VER_LEN];
	lam_ver_part(ver, part);
	sb k = SB_INIT;
	lam_key(&k, region, name, part);
	*cfg = get_json(t, st->fns, &k);
	sb_free(&k);
	if (!*cfg) {
		lam_fail_not_found(rq, region, name, qualifier && *qualifier ? qualifier : NULL);
		return -1;
	}
	snprintf(version, LAM_VER_LEN, "%s", ver);
	return 0;
}

/* ======================================================================
 * Validation of configuration members
 * ====================================================================== */

static const char *const runtimes[] = {
	"nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x",
	"java8", "java8.al2", "java11", "python2.7", "python3.6", "python3.7", "python3.8", "python3.9",
	"dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet6", "dotnet8", "nodejs4.3-edge",
	"go1.x", "ruby2.5", "ruby2.7", "provided", "provided.al2", "nodejs18.x", "python3.10", "java17", "ruby3.2",
	"ruby3.3", "ruby3.4", "python3.11", "nodejs20.x", "provided.al2023", "python3.12", "java21", "python3.13",
	"nodejs22.x", "nodejs24.x", "python3.14", "java25", "dotnet10", "ruby4.0", NULL,
};

static const char *const reserved_env[] = {
	"_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
	"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
	"AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
	"AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", NULL,
};

static int runtime_known(const char *r)
{
	for (const char *const *p = runtimes; *p; p++)
		if (!strcmp(*p, r))
			return 1;
	return 0;
}

typedef struct compile_check {
	const char *text;
	jsonata_error err;
	int ok;
} compile_check;

static void *compile_main(void *arg)
{
	compile_check *c = arg;
	jsonata_expr *e = jsonata_compile(c->text, strlen(c->text), &c->err);
	c->ok = e != NULL;
	jsonata_free(e);
	return NULL;
}

static const char *const behavior_keys[] = {"returns", "error", "expression", "responses", "command", NULL};

int lam_behavior_check(mock_req *rq, const cJSON *b, int nested)
{
	if (!cJSON_IsObject(b)) {
		mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
		          "Behavior must be an object with one of returns, error, expression, responses, command");
		return -1;
	}
	const char *kind = NULL;
	int n = 0;
	for (const cJSON *x = b->child; x; x = x->next) {
		int known = 0;
		for (const char *const *k = behavior_keys; *k; k++)
			if (!strcmp(x->string, *k)) {
				known = 1;
				kind = *k;
				n++;
			}
		if (!known && !(x->string && !strcmp(x->string, "cwd"))) {
			mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
			          "Behavior has an unknown member \"%s\" (expected one of returns, error, expression, "
			          "responses, command)",
			          x->string);
			return -1;
		}
	}
	if (n != 1) {
		mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
		          "Behavior must have exactly one of returns, error, expression, responses, command");
		return -1;
	}
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(b, kind);
	if (cJSON_GetObjectItemCaseSensitive(b, "cwd") &&
	    (strcmp(kind, "command") || !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(b, "cwd")))) {
		mock_fail(rq, AWSERR_LAM_InvalidParameterValueException, "Behavior.cwd is a string that goes with command");
		return -1;
	}
	if (!strcmp(kind, "error")) {
		if (!cJSON_IsObject(v)) {
			mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
			          "Behavior.error must be {\"type\", \"message\"} or {\"service\", \"message\"}");
			return -1;
		}
		for (const cJSON *x = v->child; x; x = x->next) {
			if (strcmp(x->string, "type") && strcmp(x->string, "message") && strcmp(x->string, "service")) {
				mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
				          "Behavior.error has an unknown member \"%s\" (type, message, service)", x->string);
				return -1;
			}
			if (!cJSON_IsString(x)) {
				mock_fail(rq, AWSERR_LAM_InvalidParameterValueException, "Behavior.error.%s must be a string",
				          x->string);
				return -1;
			}
		}
		if (cJSON_GetObjectItemCaseSensitive(v, "service") && cJSON_GetObjectItemCaseSensitive(v, "type")) {
			mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
			          "Behavior.error has either type (a function error) or service (a service error)");
			return -1;
		}
	} else if (!strcmp(kind, "expression") || !strcmp(kind, "command")) {
		if (!cJSON_IsString(v) || !*v->valuestring) {
			mock_fail(rq, AWSERR_LAM_InvalidParameterValueException, "Behavior.%s must be a non-empty string", kind);
			return -1;
		}
		if (!strcmp(kind, "expression")) { /* a syntax error is the author's: say so now */
			compile_check c = {v->valuestring, {{0}, 0, NULL, NULL, NULL, NULL}, 0};
			if (lam_on_big_stack(compile_main, &c) || !c.ok) {
				mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
				          "Behavior.expression is not valid JSONata: %s at %d: %s", c.err.code, c.err.position,
				          c.err.message ? c.err.message : "");
				jsonata_error_clear(&c.err);
				return -1;
			}
		}
	} else if (!strcmp(kind, "responses")) {
		if (nested || !cJSON_IsArray(v) || !v->child) {
			mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
			          nested ? "Behavior.responses cannot be nested" :
			                   "Behavior.responses must be a non-empty array");
			return -1;
		}
		for (const cJSON *r = v->child; r; r = r->next) {
			if (!cJSON_IsObject(r) || !r->child || r->child->next)
				continue; /* a plain value, answered as it is */
			for (const char *const *k = behavior_keys; *k; k++)
				if (!strcmp(r->child->string, *k) && lam_behavior_check(rq, r, 1))
					return -1;
		}
	}
	return 0;
}

/* The behaviour of rq->in: "Behavior", or the STEPBENCH_BEHAVIOR variable. */
static int behavior_from_input(mock_req *rq, const cJSON *in, cJSON **out)
{
	*out = NULL;
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(in, "Behavior");
	if (b && !cJSON_IsNull(b)) {
		if (lam_behavior_check(rq, b, 0))
			return -1;
		*out = cJSON_Duplicate(b, 1);
		return 0;
	}
	const char *env = cj_str(cj_obj(cj_obj(in, "Environment"), "Variables"), "STEPBENCH_BEHAVIOR");
	if (env) {
		cJSON *p = cj_parse(env, strlen(env), NULL);
		if (!p) {
			mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
			          "STEPBENCH_BEHAVIOR must hold a Behavior as JSON text");
			return -1;
		}
		if (lam_behavior_check(rq, p, 0)) {
			cJSON_Delete(p);
			return -1;
		}
		*out = p;
	}
	return 0;
}

/* Apply the configuration members of in to cfg (create or update). */
static int apply_config(mock_req *rq, const cJSON *in, cJSON *cfg)
{
	const cJSON *x;
	if ((x = cJSON_GetObjectItemCaseSensitive(in, "Runtime")) && !cJSON_IsNull(x)) {
		if (!cJSON_IsString(x) || !runtime_known(x->valuestring)) {
			sb list = SB_INIT;
			for (const char *const *p = runtimes; *p; p++)
				sb_printf(&list, "%s%s", p == runtimes ? "" : ", ", *p);
			mock_fail(rq, AWSERR_LAM_ValidationException,
			          "1 validation error detected: Value '%s' at 'runtime' failed to satisfy constraint: Member "
			          "must satisfy enum value set: [%s] or be a valid ARN",
			          cJSON_IsString(x) ? x->valuestring : "?", sb_str(&list));
			sb_free(&list);
			return -1;
		}
		set_str(cfg, "Runtime", x->valuestring);
	}
	if ((x = cJSON_GetObjectItemCaseSensitive(in, "Role")) && !cJSON_IsNull(x)) {
		if (!cJSON_IsString(x) || strncmp(x->valuestring, "arn:aws", 7) || !strstr(x->valuestring, ":role/")) {
			mock_fail(rq, AWSERR_LAM_ValidationException,
			          "1 validation error detected: Value '%s' at 'role' failed to satisfy constraint: Member must "
			          "satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+",
			          cJSON_IsString(x) ? x->valuestring : "?");
			return -1;
		}
		set_str(cfg, "Role", x->valuestring);
	}
	if ((x = cJSON_GetObjectItemCaseSensitive(in, "Handler")) && !cJSON_IsNull(x)) {
		if (!cJSON_IsString(x) || strlen(x->valuestring) > 128 || strpbrk(x->valuestring, " \t\r\n")) {
			mock_fail(rq, AWSERR_LAM_ValidationException,
			          "1 validation error detected: Value '%s' at 'handler' failed to satisfy constraint: Member "
			          "must satisfy regular expression pattern: [^\\s]+",
			          cJSON_IsString(x) ? x->valuestring : "?");
			return -1;
		}
		set_str(cfg, "Handler", x->valuestring);
	}
	if ((x = cJSON_GetObjectItemCaseSensitive(in, "Description")) && !cJSON_IsNull(x)) {
		if (!cJSON_IsString(x) || strlen(x->valuestring) > 256) {
			mock_fail(rq, AWSERR_LAM_ValidationException,
			          "1 validation error detected: Value at 'description' failed to satisfy constraint: Member "
			          "must have length less than or equal to 256");
			return -1;
		}
		set_str(cfg, "Description", x->valuestring);
	}
	if ((x = cJSON_GetObjectItemCaseSensitive(in, "Timeout")) && !cJSON_IsNull(x)) {
		if (!cJSON_IsNumber(x) || x->valuedouble < 1 || x->valuedouble > 900 ||
		    x->valuedouble != (double)(int)x->valuedouble) {
			mock_fail(rq, AWSERR_LAM_ValidationException,
			          "1 validation error detected: Value '%g' at 'timeout' failed to satisfy constraint: Member "
			          "must have value %s",
			          cJSON_IsNumber(x) ? x->valuedouble : 0.0,
			          cJSON_IsNumber(x) && x->valuedouble > 900 ? "less than or equal to 900" :
			                                                      "greater than or equal to 1");
			return -1;
		}
		set_num(cfg, "Timeout", x->valuedouble);
	}
	if ((x = cJSON_GetObjectItemCaseSensitive(in, "MemorySize")) && !cJSON_IsNull(x)) {
		if (!cJSON_IsNumber(x) || x->valuedouble < 128 || x->valuedouble > 10240) {
			mock_fail(rq, AWSERR_LAM_ValidationException,
			          "1 validation error detected: Value '%g' at 'memorySize' failed to satisfy constraint: "
			          "Member must have value %s",
			          cJSON_IsNumber(x) ? x->valuedouble : 0.0,
			          cJSON_IsNumber(x) && x->valuedouble > 10240 ? "less than or equal to 10240" :
			                                                        "greater than or equal to 128");
			return -1;
		}
		set_num(cfg, "MemorySize", (double)(int)x->valuedouble);
	}
	if ((x = cJSON_GetObjectItemCaseSensitive(in, "Environment")) && !cJSON_IsNull(x)) {
		const cJSON *vars = cJSON_GetObjectItemCaseSensitive(x, "Variables");
		if (!cJSON_IsObject(x) || (vars && !cJSON_IsObject(vars) && !cJSON_IsNull(vars))) {
			mock_fail(rq, AWSERR_LAM_InvalidRequestContentException,
			          "Could not parse request body into json: Environment must be {\"Variables\": {...}}");
			return -1;
		}
		sb used = SB_INIT;
		cJSON *copy = cJSON_CreateObject();
		for (const cJSON *v = vars ? vars->child : NULL; v; v = v->next) {
			if (!cJSON_IsString(v)) {
				cJSON_Delete(copy);
				sb_free(&used);
				mock_fail(rq, AWSERR_LAM_InvalidRequestContentException,
				          "Could not parse request body into json: the value of environment variable %s is not a "
				          "string",
				          v->string);
				return -1;
			}
			for (const char *const *r = reserved_env; *r; r++)
				if (!strcmp(*r, v->string))
					sb_printf(&used, "%s%s", used.len ? ", " : "", v->string);
			cJSON_AddStringToObject(copy, v->string, v->valuestring);
		}
		if (used.len) {
			cJSON_Delete(copy);
			mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
			          "Lambda was unable to configure your environment variables because the environment variables "
			          "you have provided contains reserved keys that are currently not supported for modification. "
			          "Reserved keys used in this request: %s",
			          sb_str(&used));
			sb_free(&used);
			return -1;
		}
		sb_free(&used);
		if (copy->child) {
			cJSON *env = cJSON_CreateObject();
			cJSON_AddItemToObject(env, "Variables", copy);
			set_item(cfg, "Environment", env);
		} else {
			cJSON_Delete(copy);
			cJSON_DeleteItemFromObjectCaseSensitive(cfg, "Environment");
		}
	}
	if ((x = cJSON_GetObjectItemCaseSensitive(in, "TracingConfig")) && cJSON_IsObject(x)) {
		const char *mode = cj_str(x, "Mode");
		cJSON *tc = cJSON_CreateObject();
		cJSON_AddStringToObject(tc, "Mode", mode && !strcmp(mode, "Active") ? "Active" : "PassThrough");
		set_item(cfg, "TracingConfig", tc);
	}
	if ((x = cJSON_GetObjectItemCaseSensitive(in, "DeadLetterConfig")) && cJSON_IsObject(x))
		set_item(cfg, "DeadLetterConfig", cJSON_Duplicate(x, 1));
	if ((x = cJSON_GetObjectItemCaseSensitive(in, "EphemeralStorage")) && cJSON_IsObject(x))
		set_item(cfg, "EphemeralStorage", cJSON_Duplicate(x, 1));
	if ((x = cJSON_GetObjectItemCaseSensitive(in, "Architectures")) && cJSON_IsArray(x))
		set_item(cfg, "Architectures", cJSON_Duplicate(x, 1));
	cJSON *b;
	if (behavior_from_input(rq, in, &b))
		return -1;
	if (b)
		set_item(cfg, "_behavior", b);
	return 0;
}

/* Checks that a function without a behaviour can run: the members its runtime needs. */
static int check_runnable(mock_req *rq, const cJSON *cfg, int has_code)
{
	if (cJSON_GetObjectItemCaseSensitive(cfg, "_behavior"))
		return 0;
	const char *rt = cj_str(cfg, "Runtime");
	if (!has_code) {
		mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
		          "Please provide a source for function code (Code.ZipFile), or a stepbench Behavior.");
		return -1;
	}
	if (!rt) {
		mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
		          "The runtime parameter of null is not supported for functions with the Zip package type.");
		return -1;
	}
	if (!cj_str(cfg, "Handler") && strncmp(rt, "provided", 8)) {
		mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
		          "The handler parameter of null is not valid for the %s runtime.", rt);
		return -1;
	}
	return 0;
}

/* Decode and check a base64 zip; on success *zip (caller frees) holds the bytes. */
static int decode_zip(mock_req *rq, const cJSON *zf, sb *zip)
{
	if (!cJSON_IsString(zf) || b64_decode(zf->valuestring, strlen(zf->valuestring), 0, zip)) {
		mock_fail(rq, AWSERR_LAM_InvalidRequestContentException,
		          "Could not parse request body into json: ZipFile is not base64 text");
		return -1;
	}
	sb why = SB_INIT;
	if (lam_zip_check(zip->buf ? zip->buf : "", zip->len, &why)) {
		mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
		          "Could not unzip uploaded file. Please check your file, then try to upload again. (%s)",
		          sb_str(&why));
		sb_free(&why);
		return -1;
	}
	sb_free(&why);
	return 0;
}

static void set_code_facts(cJSON *cfg, const void *p, size_t n)
{
	unsigned char d[32];
	hash_sha256(p ? p : "", n, d);
	sb s = SB_INIT;
	b64_encode(d, sizeof d, &s);
	set_str(cfg, "CodeSha256", sb_str(&s));
	set_num(cfg, "CodeSize", (double)n);
	sb_free(&s);
}

/* The zip from Code (create) or from the request itself (update). */
static int code_from(mock_req *rq, const cJSON *code, sb *zip, int *has)
{
	*has = 0;
	if (!code)
		return 0;
	const cJSON *zf = cJSON_GetObjectItemCaseSensitive(code, "ZipFile");
	if (cj_str(code, "S3Bucket") || cj_str(code, "S3Key")) {
		mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
		          "stepbench takes function code from ZipFile only (S3Bucket/S3Key need an S3 endpoint it does "
		          "not host)");
		return -1;
	}
	if (cj_str(code, "ImageUri")) {
		mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
		          "stepbench runs Zip packages only (container images need Docker)");
		return -1;
	}
	if (!zf || cJSON_IsNull(zf))
		return 0;
	if (decode_zip(rq, zf, zip))
		return -1;
	*has = 1;
	return 0;
}

static int store_code(mock_req *rq, const char *region, const char *name, const char *part, const sb *zip)
{
	sb k = SB_INIT;
	lam_key(&k, region, name, part);
	int rc = store_put(rq->txn, lam_st(rq->w)->code, k.buf, k.len, zip->buf ? zip->buf : "", zip->len, 0);
	sb_free(&k);
	if (rc)
		mock_fail_store(rq, rc);
	return rc ? -1 : 0;
}

/* Name, region and no qualifier: what create-like calls need. */
static int plain_fname(mock_req *rq, lam_fname *f, const char **region)
{
	if (lam_req_fname(rq, NULL, f, region))
		return -1;
	if (*f->qualifier) {
		mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
		          "Unsupported operation for a qualified function name: %s:%s", f->name, f->qualifier);
		return -1;
	}
	return 0;
}

static cJSON *load_latest(mock_req *rq, const char *region, const char *name)
{
	cJSON *cfg = NULL;
	char ver[LAM_VER_LEN];
	if (lam_fn_load(rq, rq->txn, region, name, NULL, &cfg, ver))
		return NULL;
	return cfg;
}

static int save_cfg(mock_req *rq, const char *region, const char *name, const char *version, const cJSON *cfg)
{
	char part[LAM_VER_LEN];
	lam_ver_part(version, part);
	sb k = SB_INIT;
	lam_key(&k, region, name, part);
	int rc = put_json(rq, rq->txn, lam_st(rq->w)->fns, &k, cfg);
	sb_free(&k);
	return rc;
}

/* ======================================================================
 * Versions (used by CreateFunction/UpdateFunctionCode with Publish too)
 * ====================================================================== */

/* Publish $LATEST as a new version unless the last one is unchanged; answers its configuration. */
static cJSON *publish(mock_req *rq, const char *region, const char *name, cJSON *latest, const char *description)
{
	lam_state *st = lam_st(rq->w);
	sb mk = SB_INIT;
	meta_key(&mk, 'v', region, name);
	uint64_t last = meta_get(rq->txn, st, &mk);
	const char *rev = cj_str(latest, "RevisionId");
	if (last) {
		char v[LAM_VER_LEN], part[LAM_VER_LEN];
		snprintf(v, sizeof v, "%llu", (unsigned long long)last);
		lam_ver_part(v, part);
		sb k = SB_INIT;
		lam_key(&k, region, name, part);
		cJSON *prev = get_json(rq->txn, st->fns, &k);
		sb_free(&k);
		const char *src = cj_str(prev, "_source_revision");
		if (prev && src && rev && !strcmp(src, rev)) {
			sb_free(&mk);
			return prev;
		}
		cJSON_Delete(prev);
	}
	uint64_t n = last + 1;
	if (meta_put(rq, rq->txn, st, &mk, n)) {
		sb_free(&mk);
		return NULL;
	}
	sb_free(&mk);
	char v[LAM_VER_LEN], part[LAM_VER_LEN];
	snprintf(v, sizeof v, "%llu", (unsigned long long)n);
	lam_ver_part(v, part);
	cJSON *ver = cJSON_Duplicate(latest, 1);
	cJSON_DeleteItemFromObjectCaseSensitive(ver, "_tags");
	set_str(ver, "Version", v);
	set_str(ver, "FunctionArn", lam_fn_arn(rq, region, name, v));
	set_str(ver, "_source_revision", rev ? rev : "");
	if (description)
		set_str(ver, "Description", description);
	new_revision(rq, ver);
	/* the version keeps its own copy of the code */
	sb lk = SB_INIT, vk = SB_INIT;
	lam_key(&lk, region, name, LAM_LATEST);
	lam_key(&vk, region, name, part);
	store_val code;
	int rc = store_get(rq->txn, st->code, lk.buf, lk.len, &code);
	if (rc == 0) {
		sb copy = SB_INIT; /* the value points into the map: copy before writing */
		sb_catn(&copy, code.data, code.len);
		rc = store_put(rq->txn, st->code, vk.buf, vk.len, copy.buf ? copy.buf : "", copy.len, 0);
		sb_free(&copy);
	} else if (rc == STORE_NOTFOUND) {
		rc = 0;
	}
	sb_free(&lk);
	sb_free(&vk);
	if (rc) {
		mock_fail_store(rq, rc);
		cJSON_Delete(ver);
		return NULL;
	}
	if (save_cfg(rq, region, name, v, ver)) {
		cJSON_Delete(ver);
		return NULL;
	}
	return ver;
}

/* ======================================================================
 * Functions
 * ====================================================================== */

/* CreateFunction: FunctionName, Role, Code{ZipFile}, Runtime?, Handler?, Description?,
 * Timeout?, MemorySize?, Environment?, Publish?, Tags?, Behavior? (stepbench) */
void lam_op_create_function(mock_req *rq)
{
	lam_fname f;
	const char *region;
	if (plain_fname(rq, &f, &region))
		return;
	lam_state *st = lam_st(rq->w);
	cJSON *cfg = cJSON_CreateObject();
	sb zip = SB_INIT;
	cJSON *ver = NULL;
	cJSON_AddStringToObject(cfg, "FunctionName", f.name);
	cJSON_AddStringToObject(cfg, "FunctionArn", lam_fn_arn(rq, region, f.name, NULL));
	if (apply_config(rq, rq->in, cfg))
		goto out;
	if (!cJSON_GetObjectItemCaseSensitive(cfg, "_behavior") && !cj_str(cfg, "Role")) {
		mock_fail(rq, AWSERR_LAM_ValidationException,
		          "1 validation error detected: Value null at 'role' failed to satisfy constraint: Member must "
		          "not be null");
		goto out;
	}
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(rq->in, "Code");
	const char *pt = cj_str(rq->in, "PackageType");
	if (pt && strcmp(pt, "Zip")) {
		mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
		          "stepbench runs Zip packages only (PackageType %s needs Docker)", pt);
		goto out;
	}
	int has_code;
	if (code_from(rq, code, &zip, &has_code) || check_runnable(rq, cfg, has_code))
		goto out;
	sb k = SB_INIT;
	lam_key(&k, region, f.name, LAM_LATEST);
	store_val v;
	int exists = store_get(rq->txn, st->fns, k.buf, k.len, &v) == 0;
	sb_free(&k);
	if (exists) {
		mock_fail(rq, AWSERR_LAM_ResourceConflictException, "Function already exist: %s", f.name);
		goto out;
	}
	if (!cj_str(cfg, "Role"))
		cJSON_AddItemToObject(cfg, "Role",
		                      cJSON_CreateString(arena_printf(rq->ar, "arn:aws:iam::%s:role/stepbench-lambda",
		                                                      rq->w->account)));
	if (!cJSON_GetObjectItemCaseSensitive(cfg, "Timeout"))
		set_num(cfg, "Timeout", 3);
	if (!cJSON_GetObjectItemCaseSensitive(cfg, "MemorySize"))
		set_num(cfg, "MemorySize", 128);
	if (!cJSON_GetObjectItemCaseSensitive(cfg, "Description"))
		set_str(cfg, "Description", "");
	set_code_facts(cfg, zip.buf, zip.len);
	set_str(cfg, "Version", LAM_LATEST);
	if (!cJSON_GetObjectItemCaseSensitive(cfg, "TracingConfig")) {
		cJSON *tc = cJSON_AddObjectToObject(cfg, "TracingConfig");
		cJSON_AddStringToObject(tc, "Mode", "PassThrough");
	}
	set_str(cfg, "State", "Active");
	set_str(cfg, "LastUpdateStatus", "Successful");
	set_str(cfg, "PackageType", "Zip");
	if (!cJSON_GetObjectItemCaseSensitive(cfg, "Architectures")) {
		cJSON *a = cJSON_AddArrayToObject(cfg, "Architectures");
		cJSON_AddItemToArray(a, cJSON_CreateString("x86_64"));
	}
	if (!cJSON_GetObjectItemCaseSensitive(cfg, "EphemeralStorage")) {
		cJSON *es = cJSON_AddObjectToObject(cfg, "EphemeralStorage");
		cJSON_AddNumberToObject(es, "Size", 512);
	}
	cJSON *lc = cJSON_AddObjectToObject(cfg, "LoggingConfig");
	cJSON_AddStringToObject(lc, "LogFormat", "Text");
	cJSON_AddStringToObject(lc, "LogGroup", arena_printf(rq->ar, "/aws/lambda/%s", f.name));
	const cJSON *tags = cJSON_GetObjectItemCaseSensitive(rq->in, "Tags");
	if (cJSON_IsObject(tags) && tags->child)
		cJSON_AddItemToObject(cfg, "_tags", cJSON_Duplicate(tags, 1));
	touch(rq, cfg);
	if (save_cfg(rq, region, f.name, LAM_LATEST, cfg))
		goto out;
	if (has_code && store_code(rq, region, f.name, LAM_LATEST, &zip))
		goto out;
	/* a recreated function counts its invocations from one again */
	sb mk = SB_INIT;
	meta_key(&mk, 'n', region, f.name);
	store_del(rq->txn, st->meta, mk.buf, mk.len);
	sb_free(&mk);
	if (cj_bool(rq->in, "Publish", 0)) {
		ver = publish(rq, region, f.name, cfg, NULL);
		if (!ver)
			goto out;
		rq->out = lam_cfg_public(ver);
	} else {
		rq->out = lam_cfg_public(cfg);
	}
out:
	cJSON_Delete(ver);
	cJSON_Delete(cfg);
	sb_free(&zip);
}

/* GetFunctionConfiguration: FunctionName, Qualifier? */
void lam_op_get_function_configuration(mock_req *rq)
{
	lam_fname f;
	const char *region;
	cJSON *cfg;
	char ver[LAM_VER_LEN];
	if (lam_req_fname(rq, "Qualifier", &f, &region) || lam_fn_load(rq, rq->txn, region, f.name, f.qualifier, &cfg, ver))
		return;
	rq->out = lam_cfg_public(cfg);
	cJSON_Delete(cfg);
}

static cJSON *tags_of(mock_req *rq, const char *region, const char *name)
{
	sb k = SB_INIT;
	lam_key(&k, region, name, LAM_LATEST);
	cJSON *latest = get_json(rq->txn, lam_st(rq->w)->fns, &k);
	sb_free(&k);
	cJSON *t = cJSON_DetachItemFromObjectCaseSensitive(latest, "_tags");
	cJSON_Delete(latest);
	return t ? t : cJSON_CreateObject();
}

/* GetFunction: FunctionName, Qualifier? */
void lam_op_get_function(mock_req *rq)
{
	lam_fname f;
	const char *region;
	cJSON *cfg;
	char ver[LAM_VER_LEN];
	if (lam_req_fname(rq, "Qualifier", &f, &region) || lam_fn_load(rq, rq->txn, region, f.name, f.qualifier, &cfg, ver))
		return;
	rq->out = cJSON_CreateObject();
	cJSON_AddItemToObject(rq->out, "Configuration", lam_cfg_public(cfg));
	cJSON *code = cJSON_AddObjectToObject(rq->out, "Code");
	cJSON_AddStringToObject(code, "RepositoryType", "S3");
	char part[LAM_VER_LEN];
	lam_ver_part(ver, part);
	cJSON_AddStringToObject(code, "Location",
	                        arena_printf(rq->ar, "%s/_stepbench/lambda/code/%s/%s/%s", rq->w->endpoint, region,
	                                     f.name, ver));
	cJSON *tags = tags_of(rq, region, f.name);
	if (tags->child)
		cJSON_AddItemToObject(rq->out, "Tags", tags);
	else
		cJSON_Delete(tags);
	cJSON_Delete(cfg);
}

/* Page size from MaxItems (1..10000, default 50); -1 after failing rq. */
static int max_items(mock_req *rq)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(rq->in, "MaxItems");
	if (!m || cJSON_IsNull(m))
		return 50;
	if (!cJSON_IsNumber(m) || m->valuedouble < 1 || m->valuedouble > 10000) {
		mock_fail(rq, AWSERR_LAM_ValidationException,
		          "1 validation error detected: Value '%g' at 'maxItems' failed to satisfy constraint: Member must "
		          "have value between 1 and 10000",
		          cJSON_IsNumber(m) ? m->valuedouble : 0.0);
		return -1;
	}
	return (int)m->valuedouble;
}

/* Walk keys under prefix in order, starting after the (base64) Marker; fn
 * returns 1 to count the record, 0 to skip it. Sets NextMarker when more remain. */
typedef int (*walk_fn)(mock_req *rq, const store_val *k, const store_val *v, size_t plen, cJSON *list);

static void walk(mock_req *rq, store_db db, const sb *prefix, const char *list_name, walk_fn fn)
{
	int limit = max_items(rq);
	if (limit < 0)
		return;
	sb start = SB_INIT;
	const char *marker = cj_str(rq->in, "Marker");
	if (marker && *marker) {
		sb m = SB_INIT;
		if (b64_decode(marker, strlen(marker), 1, &m)) {
			sb_free(&m);
			mock_fail(rq, AWSERR_LAM_InvalidParameterValueException, "Invalid Marker: %s", marker);
			return;
		}
		sb_catn(&start, prefix->buf, prefix->len);
		sb_catn(&start, m.buf ? m.buf : "", m.len);
		sb_catc(&start, '\0'); /* strictly after the marker's key */
		sb_free(&m);
	} else {
		sb_catn(&start, prefix->buf, prefix->len);
	}
	rq->out = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(rq->out, list_name);
	store_cur *c;
	int rc = store_cur_open(rq->txn, db, &c);
	if (rc) {
		sb_free(&start);
		mock_fail_store(rq, rc);
		return;
	}
	store_val k = {start.buf, start.len}, v;
	int n = 0;
	sb last = SB_INIT;
	for (rc = store_cur_get(c, STORE_SET_RANGE, &k, &v); rc == 0; rc = store_cur_get(c, STORE_NEXT, &k, &v)) {
		if (k.len < prefix->len || memcmp(k.data, prefix->buf, prefix->len))
			break;
		if (n == limit) { /* one more record that counts: there is a next page */
			cJSON *scratch = cJSON_CreateArray();
			int more = fn(rq, &k, &v, prefix->len, scratch);
			cJSON_Delete(scratch);
			if (!more)
				continue;
			sb m = SB_INIT;
			b64_encode(last.buf ? last.buf : "", last.len, &m);
			cJSON_AddStringToObject(rq->out, "NextMarker", sb_str(&m));
			sb_free(&m);
			break;
		}
		if (fn(rq, &k, &v, prefix->len, list)) {
			n++;
			sb_clear(&last);
			sb_catn(&last, (const char *)k.data + prefix->len, k.len - prefix->len);
		}
	}
	store_cur_close(c);
	sb_free(&start);
	sb_free(&last);
}

static int list_fn_cb(mock_req *rq, const store_val *k, const store_val *v, size_t plen, cJSON *list)
{
	const char *all = cj_str(rq->in, "FunctionVersion");
	const char *rest = (const char *)k->data + plen;
	const char *nul = memchr(rest, '\0', k->len - plen);
	if (!nul)
		return 0;
	size_t vl = k->len - plen - (size_t)(nul + 1 - rest);
	if (!(all && !strcmp(all, "ALL")) && !(vl == strlen(LAM_LATEST) && !memcmp(nul + 1, LAM_LATEST, vl)))
		return 0;
	cJSON *cfg = cj_parse(v->data, v->len, NULL);
	if (!cfg)
		return 0;
	cJSON_AddItemToArray(list, lam_cfg_public(cfg));
	cJSON_Delete(cfg);
	return 1;
}

/* ListFunctions: MasterRegion?, FunctionVersion? (ALL), Marker?, MaxItems? */
void lam_op_list_functions(mock_req *rq)
{
	const char *fv = cj_str(rq->in, "FunctionVersion");
	if (fv && strcmp(fv, "ALL")) {
		mock_fail(rq, AWSERR_LAM_ValidationException,
		          "1 validation error detected: Value '%s' at 'functionVersion' failed to satisfy constraint: "
		          "Member must satisfy enum value set: [ALL]",
		          fv);
		return;
	}
	sb prefix = SB_INIT;
	sb_cat(&prefix, rq->region);
	sb_catc(&prefix, '\0');
	walk(rq, lam_st(rq->w)->fns, &prefix, "Functions", list_fn_cb);
	sb_free(&prefix);
}

static int list_ver_cb(mock_req *rq, const store_val *k, const store_val *v, size_t plen, cJSON *list)
{
	(void)rq;
	(void)k;
	(void)plen;
	cJSON *cfg = cj_parse(v->data, v->len, NULL);
	if (!cfg)
		return 0;
	cJSON_AddItemToArray(list, lam_cfg_public(cfg));
	cJSON_Delete(cfg);
	return 1;
}

/* ListVersionsByFunction: FunctionName, Marker?, MaxItems? */
void lam_op_list_versions_by_function(mock_req *rq)
{
	lam_fname f;
	const char *region;
	if (plain_fname(rq, &f, &region))
		return;
	cJSON *latest = load_latest(rq, region, f.name);
	if (!latest)
		return;
	cJSON_Delete(latest);
	sb prefix = SB_INIT;
	lam_key(&prefix, region, f.name, NULL);
	walk(rq, lam_st(rq->w)->fns, &prefix, "Versions", list_ver_cb);
	sb_free(&prefix);
}

/* UpdateFunctionCode: FunctionName, ZipFile, Publish?, DryRun?, RevisionId? */
void lam_op_update_function_code(mock_req *rq)
{
	lam_fname f;
	const char *region;
	if (plain_fname(rq, &f, &region))
		return;
	cJSON *cfg = load_latest(rq, region, f.name), *ver = NULL;
	sb zip = SB_INIT;
	if (!cfg)
		return;
	const char *rev = cj_str(rq->in, "RevisionId");
	if (rev && strcmp(rev, cj_str(cfg, "RevisionId") ? cj_str(cfg, "RevisionId") : "")) {
		mock_fail(rq, AWSERR_LAM_PreconditionFailedException,
		          "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias "
		          "API to retrieve the latest Revision Id");
		goto out;
	}
	int has;
	if (code_from(rq, rq->in, &zip, &has))
		goto out;
	if (!has) {
		mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
		          "Please provide a source for function code (ZipFile).");
		goto out;
	}
	if (cj_bool(rq->in, "DryRun", 0)) {
		set_code_facts(cfg, zip.buf, zip.len);
		rq->out = lam_cfg_public(cfg);
		goto out;
	}
	set_code_facts(cfg, zip.buf, zip.len);
	touch(rq, cfg);
	if (save_cfg(rq, region, f.name, LAM_LATEST, cfg) || store_code(rq, region, f.name, LAM_LATEST, &zip))
		goto out;
	if (cj_bool(rq->in, "Publish", 0)) {
		if (!(ver = publish(rq, region, f.name, cfg, NULL)))
			goto out;
		rq->out = lam_cfg_public(ver);
	} else {
		rq->out = lam_cfg_public(cfg);
	}
out:
	cJSON_Delete(ver);
	cJSON_Delete(cfg);
	sb_free(&zip);
}

/* UpdateFunctionConfiguration: FunctionName, Role?, Handler?, Description?, Timeout?,
 * MemorySize?, Environment?, Runtime?, RevisionId?, Behavior? (stepbench) */
void lam_op_update_function_configuration(mock_req *rq)
{
	lam_fname f;
	const char *region;
	if (plain_fname(rq, &f, &region))
		return;
	cJSON *cfg = load_latest(rq, region, f.name);
	if (!cfg)
		return;
	const char *rev = cj_str(rq->in, "RevisionId");
	if (rev && strcmp(rev, cj_str(cfg, "RevisionId") ? cj_str(cfg, "RevisionId") : "")) {
		mock_fail(rq, AWSERR_LAM_PreconditionFailedException,
		          "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias "
		          "API to retrieve the latest Revision Id");
		cJSON_Delete(cfg);
		return;
	}
	if (apply_config(rq, rq->in, cfg) || check_runnable(rq, cfg, cJSON_GetNumberValue(cJSON_GetObjectItem(cfg, "CodeSize")) > 0)) {
		cJSON_Delete(cfg);
		return;
	}
	touch(rq, cfg);
	if (!save_cfg(rq, region, f.name, LAM_LATEST, cfg))
		rq->out = lam_cfg_public(cfg);
	cJSON_Delete(cfg);
}

/* Aliases of a function that point at version (NULL: any), as "a, b". */
static void aliases_of(mock_req *rq, const char *region, const char *name, const char *version, sb *names)
{
	sb prefix = SB_INIT;
	lam_key(&prefix, region, name, NULL);
	store_cur *c;
	if (store_cur_open(rq->txn, lam_st(rq->w)->aliases, &c)) {
		sb_free(&prefix);
		return;
	}
	store_val k = {prefix.buf, prefix.len}, v;
	for (int rc = store_cur_get(c, STORE_SET_RANGE, &k, &v); rc == 0; rc = store_cur_get(c, STORE_NEXT, &k, &v)) {
		if (k.len < prefix.len || memcmp(k.data, prefix.buf, prefix.len))
			break;
		cJSON *a = cj_parse(v.data, v.len, NULL);
		const char *fv = cj_str(a, "FunctionVersion");
		if (!version || (fv && !strcmp(fv, version)))
			sb_printf(names, "%s%.*s", names->len ? ", " : "", (int)(k.len - prefix.len),
			          (const char *)k.data + prefix.len);
		cJSON_Delete(a);
	}
	store_cur_close(c);
	sb_free(&prefix);
}

/* DeleteFunction: FunctionName, Qualifier? */
void lam_op_delete_function(mock_req *rq)
{
	lam_fname f;
	const char *region;
	if (lam_req_fname(rq, "Qualifier", &f, &region))
		return;
	lam_state *st = lam_st(rq->w);
	cJSON *cfg;
	char ver[LAM_VER_LEN];
	if (*f.qualifier && strcmp(f.qualifier, LAM_LATEST)) {
		if (!lam_is_version(f.qualifier)) {
			mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
			          "Deletion of aliases is not supported. Use DeleteAlias to delete alias %s.", f.qualifier);
			return;
		}
		if (lam_fn_load(rq, rq->txn, region, f.name, f.qualifier, &cfg, ver))
			return;
		cJSON_Delete(cfg);
		sb names = SB_INIT;
		aliases_of(rq, region, f.name, ver, &names);
		if (names.len) {
			mock_fail(rq, AWSERR_LAM_ResourceConflictException,
			          "Unable to delete version because the following aliases reference it: [%s]", sb_str(&names));
			sb_free(&names);
			return;
		}
		sb_free(&names);
		char part[LAM_VER_LEN];
		lam_ver_part(ver, part);
		sb k = SB_INIT;
		lam_key(&k, region, f.name, part);
		store_del(rq->txn, st->fns, k.buf, k.len);
		store_del(rq->txn, st->code, k.buf, k.len);
		sb_free(&k);
		return;
	}
	if (*f.qualifier) {
		mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
		          "$LATEST version cannot be deleted without deleting the function.");
		return;
	}
	if (!(cfg = load_latest(rq, region, f.name)))
		return;
	cJSON_Delete(cfg);
	sb prefix = SB_INIT, mk = SB_INIT;
	lam_key(&prefix, region, f.name, NULL);
	int rc = store_del_prefix(rq->txn, st->fns, prefix.buf, prefix.len);
	if (!rc)
		rc = store_del_prefix(rq->txn, st->code, prefix.buf, prefix.len);
	if (!rc)
		rc = store_del_prefix(rq->txn, st->aliases, prefix.buf, prefix.len);
	meta_key(&mk, 'n', region, f.name);
	if (!rc && store_del(rq->txn, st->meta, mk.buf, mk.len) == STORE_NOTFOUND)
		rc = 0;
	sb_clear(&mk);
	meta_key(&mk, 'v', region, f.name);
	int rc2 = store_del(rq->txn, st->meta, mk.buf, mk.len);
	if (!rc && rc2 && rc2 != STORE_NOTFOUND)
		rc = rc2;
	if (rc && rc != STORE_NOTFOUND)
		mock_fail_store(rq, rc);
	sb_free(&prefix);
	sb_free(&mk);
}

/* PublishVersion: FunctionName, CodeSha256?, Description?, RevisionId? */
void lam_op_publish_version(mock_req *rq)
{
	lam_fname f;
	const char *region;
	if (plain_fname(rq, &f, &region))
		return;
	cJSON *cfg = load_latest(rq, region, f.name);
	if (!cfg)
		return;
	const char *sha = cj_str(rq->in, "CodeSha256"), *rev = cj_str(rq->in, "RevisionId");
	if (sha && strcmp(sha, cj_str(cfg, "CodeSha256") ? cj_str(cfg, "CodeSha256") : "")) {
		mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
		          "CodeSHA256 (%s) is different from current CodeSHA256 in $LATEST (%s). Please try again with the "
		          "CodeSHA256 in $LATEST.",
		          sha, cj_str(cfg, "CodeSha256"));
	} else if (rev && strcmp(rev, cj_str(cfg, "RevisionId") ? cj_str(cfg, "RevisionId") : "")) {
		mock_fail(rq, AWSERR_LAM_PreconditionFailedException,
		          "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias "
		          "API to retrieve the latest Revision Id");
	} else {
		cJSON *ver = publish(rq, region, f.name, cfg, cj_str(rq->in, "Description"));
		if (ver)
			rq->out = lam_cfg_public(ver);
		cJSON_Delete(ver);
	}
	cJSON_Delete(cfg);
}

/* ======================================================================
 * Aliases
 * ====================================================================== */

static int alias_name(mock_req *rq, const char **name)
{
	*name = cj_str(rq->in, "Name");
	if (!*name || !lam_alias_valid(*name)) {
		mock_fail(rq, AWSERR_LAM_ValidationException,
		          "1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must "
		          "satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)",
		          *name ? *name : "null");
		return -1;
	}
	return 0;
}

/* The version an alias may point at must exist. */
static int version_exists(mock_req *rq, const char *region, const char *name, const char *version)
{
	if (!strcmp(version, LAM_LATEST) || lam_is_version(version)) {
		cJSON *cfg;
		char ver[LAM_VER_LEN];
		if (lam_fn_load(rq, rq->txn, region, name, version, &cfg, ver))
			return -1;
		cJSON_Delete(cfg);
		return 0;
	}
	mock_fail(rq, AWSERR_LAM_ValidationException,
	          "1 validation error detected: Value '%s' at 'functionVersion' failed to satisfy constraint: Member "
	          "must satisfy regular expression pattern: (\\$LATEST|[0-9]+)",
	          version);
	return -1;
}

static cJSON *alias_get(mock_req *rq, const char *region, const char *fn, const char *alias, sb *key)
{
	lam_key(key, region, fn, alias);
	cJSON *a = get_json(rq->txn, lam_st(rq->w)->aliases, key);
	if (!a)
		mock_fail(rq, AWSERR_LAM_ResourceNotFoundException, "Cannot find alias arn: %s",
		          lam_fn_arn(rq, region, fn, alias));
	return a;
}

/* CreateAlias: FunctionName, Name, FunctionVersion, Description?, RoutingConfig? */
void lam_op_create_alias(mock_req *rq)
{
	lam_fname f;
	const char *region, *name;
	if (plain_fname(rq, &f, &region) || alias_name(rq, &name))
		return;
	const char *fv = cj_str(rq->in, "FunctionVersion");
	if (!fv) {
		mock_fail(rq, AWSERR_LAM_ValidationException,
		          "1 validation error detected: Value null at 'functionVersion' failed to satisfy constraint: "
		          "Member must not be null");
		return;
	}
	cJSON *latest = load_latest(rq, region, f.name);
	if (!latest)
		return;
	cJSON_Delete(latest);
	if (version_exists(rq, region, f.name, fv))
		return;
	sb k = SB_INIT;
	lam_key(&k, region, f.name, name);
	store_val v;
	if (store_get(rq->txn, lam_st(rq->w)->aliases, k.buf, k.len, &v) == 0) {
		mock_fail(rq, AWSERR_LAM_ResourceConflictException, "Alias already exists: %s",
		          lam_fn_arn(rq, region, f.name, name));
		sb_free(&k);
		return;
	}
	cJSON *a = cJSON_CreateObject();
	cJSON_AddStringToObject(a, "AliasArn", lam_fn_arn(rq, region, f.name, name));
	cJSON_AddStringToObject(a, "Name", name);
	cJSON_AddStringToObject(a, "FunctionVersion", fv);
	cJSON_AddStringToObject(a, "Description", cj_str(rq->in, "Description") ? cj_str(rq->in, "Description") : "");
	const cJSON *rc = cJSON_GetObjectItemCaseSensitive(rq->in, "RoutingConfig");
	if (cJSON_IsObject(rc))
		cJSON_AddItemToObject(a, "RoutingConfig", cJSON_Duplicate(rc, 1));
	new_revision(rq, a);
	if (!put_json(rq, rq->txn, lam_st(rq->w)->aliases, &k, a))
		rq->out = a;
	else
		cJSON_Delete(a);
	sb_free(&k);
}

/* GetAlias: FunctionName, Name */
void lam_op_get_alias(mock_req *rq)
{
	lam_fname f;
	const char *region, *name;
	if (plain_fname(rq, &f, &region) || alias_name(rq, &name))
		return;
	sb k = SB_INIT;
	rq->out = alias_get(rq, region, f.name, name, &k);
	sb_free(&k);
}

/* UpdateAlias: FunctionName, Name, FunctionVersion?, Description?, RoutingConfig?, RevisionId? */
void lam_op_update_alias(mock_req *rq)
{
	lam_fname f;
	const char *region, *name;
	if (plain_fname(rq, &f, &region) || alias_name(rq, &name))
		return;
	sb k = SB_INIT;
	cJSON *a = alias_get(rq, region, f.name, name, &k);
	if (!a) {
		sb_free(&k);
		return;
	}
	const char *rev = cj_str(rq->in, "RevisionId"), *fv = cj_str(rq->in, "FunctionVersion");
	if (rev && strcmp(rev, cj_str(a, "RevisionId") ? cj_str(a, "RevisionId") : "")) {
		mock_fail(rq, AWSERR_LAM_PreconditionFailedException,
		          "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias "
		          "API to retrieve the latest Revision Id");
		goto out;
	}
	if (fv) {
		if (version_exists(rq, region, f.name, fv))
			goto out;
		set_str(a, "FunctionVersion", fv);
	}
	if (cj_str(rq->in, "Description"))
		set_str(a, "Description", cj_str(rq->in, "Description"));
	const cJSON *routing = cJSON_GetObjectItemCaseSensitive(rq->in, "RoutingConfig");
	if (cJSON_IsObject(routing))
		set_item(a, "RoutingConfig", cJSON_Duplicate(routing, 1));
	new_revision(rq, a);
	if (!put_json(rq, rq->txn, lam_st(rq->w)->aliases, &k, a)) {
		rq->out = a;
		a = NULL;
	}
out:
	cJSON_Delete(a);
	sb_free(&k);
}

/* DeleteAlias: FunctionName, Name */
void lam_op_delete_alias(mock_req *rq)
{
	lam_fname f;
	const char *region, *name;
	if (plain_fname(rq, &f, &region) || alias_name(rq, &name))
		return;
	sb k = SB_INIT;
	lam_key(&k, region, f.name, name);
	int rc = store_del(rq->txn, lam_st(rq->w)->aliases, k.buf, k.len);
	if (rc && rc != STORE_NOTFOUND) /* deleting an absent alias succeeds, as in Lambda */
		mock_fail_store(rq, rc);
	sb_free(&k);
}

static int list_alias_cb(mock_req *rq, const store_val *k, const store_val *v, size_t plen, cJSON *list)
{
	(void)k;
	(void)plen;
	cJSON *a = cj_parse(v->data, v->len, NULL);
	const char *want = cj_str(rq->in, "FunctionVersion"), *fv = cj_str(a, "FunctionVersion");
	if (!a || (want && (!fv || strcmp(want, fv)))) {
		cJSON_Delete(a);
		return 0;
	}
	cJSON_AddItemToArray(list, a);
	return 1;
}

/* ListAliases: FunctionName, FunctionVersion?, Marker?, MaxItems? */
void lam_op_list_aliases(mock_req *rq)
{
	lam_fname f;
	const char *region;
	if (plain_fname(rq, &f, &region))
		return;
	cJSON *latest = load_latest(rq, region, f.name);
	if (!latest)
		return;
	cJSON_Delete(latest);
	sb prefix = SB_INIT;
	lam_key(&prefix, region, f.name, NULL);
	walk(rq, lam_st(rq->w)->aliases, &prefix, "Aliases", list_alias_cb);
	sb_free(&prefix);
}

/* ======================================================================
 * Tags (on the unqualified function)
 * ====================================================================== */

static cJSON *tag_target(mock_req *rq, const char **region, lam_fname *f)
{
	const char *res = cj_str(rq->in, "Resource");
	if (!res || strncmp(res, "arn:", 4) || lam_fname_parse(res, f)) {
		mock_fail(rq, AWSERR_LAM_ValidationException,
		          "1 validation error detected: Value '%s' at 'resource' failed to satisfy constraint: Member must "
		          "satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-"
		          "[a-z]+-\\d{1}:\\d{12}:function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?",
		          res ? res : "null");
		return NULL;
	}
	if (*f->qualifier) {
		mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
		          "Tags on function aliases and versions are not supported. Please specify a function ARN.");
		return NULL;
	}
	*region = f->region;
	return load_latest(rq, *region, f->name);
}

/* ListTags: Resource */
void lam_op_list_tags(mock_req *rq)
{
	lam_fname f;
	const char *region;
	cJSON *cfg = tag_target(rq, &region, &f);
	if (!cfg)
		return;
	cJSON *t = cJSON_DetachItemFromObjectCaseSensitive(cfg, "_tags");
	rq->out = cJSON_CreateObject();
	cJSON_AddItemToObject(rq->out, "Tags", t ? t : cJSON_CreateObject());
	cJSON_Delete(cfg);
}

/* TagResource: Resource, Tags */
void lam_op_tag_resource(mock_req *rq)
{
	lam_fname f;
	const char *region;
	const cJSON *tags = cJSON_GetObjectItemCaseSensitive(rq->in, "Tags");
	cJSON *cfg = tag_target(rq, &region, &f);
	if (!cfg)
		return;
	if (!cJSON_IsObject(tags)) {
		mock_fail(rq, AWSERR_LAM_ValidationException,
		          "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not "
		          "be null");
		cJSON_Delete(cfg);
		return;
	}
	cJSON *t = cJSON_GetObjectItemCaseSensitive(cfg, "_tags");
	if (!t)
		t = cJSON_AddObjectToObject(cfg, "_tags");
	for (const cJSON *x = tags->child; x; x = x->next)
		if (cJSON_IsString(x))
			set_str(t, x->string, x->valuestring);
	save_cfg(rq, region, f.name, LAM_LATEST, cfg);
	cJSON_Delete(cfg);
}

/* UntagResource: Resource, TagKeys */
void lam_op_untag_resource(mock_req *rq)
{
	lam_fname f;
	const char *region;
	cJSON *cfg = tag_target(rq, &region, &f);
	if (!cfg)
		return;
	cJSON *t = cJSON_GetObjectItemCaseSensitive(cfg, "_tags");
	const cJSON *keys = cJSON_GetObjectItemCaseSensitive(rq->in, "TagKeys");
	for (const cJSON *x = keys ? keys->child : NULL; x && t; x = x->next)
		if (cJSON_IsString(x))
			cJSON_DeleteItemFromObjectCaseSensitive(t, x->valuestring);
	save_cfg(rq, region, f.name, LAM_LATEST, cfg);
	cJSON_Delete(cfg);
}

/* GetAccountSettings */
void lam_op_get_account_settings(mock_req *rq)
{
	size_t count = 0;
	double total = 0;
	store_cur *c;
	int rc = store_cur_open(rq->txn, lam_st(rq->w)->fns, &c);
	if (rc) {
		mock_fail_store(rq, rc);
		return;
	}
	store_val k, v;
	for (rc = store_cur_get(c, STORE_FIRST, &k, &v); rc == 0; rc = store_cur_get(c, STORE_NEXT, &k, &v)) {
		size_t rl = strnlen(k.data, k.len);
		if (rl != strlen(rq->region) || memcmp(k.data, rq->region, rl))
			continue;
		cJSON *cfg = cj_parse(v.data, v.len, NULL);
		total += cj_num(cfg, "CodeSize", 0);
		const char *ver = cj_str(cfg, "Version");
		if (ver && !strcmp(ver, LAM_LATEST))
			count++;
		cJSON_Delete(cfg);
	}
	store_cur_close(c);
	rq->out = cJSON_CreateObject();
	cJSON *lim = cJSON_AddObjectToObject(rq->out, "AccountLimit");
	cJSON_AddNumberToObject(lim, "TotalCodeSize", 80530636800.0);
	cJSON_AddNumberToObject(lim, "CodeSizeUnzipped", 262144000);
	cJSON_AddNumberToObject(lim, "CodeSizeZipped", 52428800);
	cJSON_AddNumberToObject(lim, "ConcurrentExecutions", 1000);
	cJSON_AddNumberToObject(lim, "UnreservedConcurrentExecutions", 1000);
	cJSON *use = cJSON_AddObjectToObject(rq->out, "AccountUsage");
	cJSON_AddNumberToObject(use, "TotalCodeSize", total);
	cJSON_AddNumberToObject(use, "FunctionCount", (double)count);
}

