/* iam_ops.c - IAM roles and policies on LMDB, and the operation table. */
#include "mocks/iam/iam.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "common/cj.h"
#include "common/clock.h"
#include "common/mem.h"

/* Records (JSON values) by key:
 *   iam.roles     <role name>                -> Role object, AssumeRolePolicyDocument as text
 *   iam.inline    <role name> \0 <policy>    -> policy document text
 *   iam.policies  <policy arn>               -> Policy object plus "Document"
 *   iam.attached  <role name> \0 <arn>       -> ""
 */
typedef struct iam_state {
	store_db roles, inl, pols, att;
} iam_state;

static iam_state *st_of(mock_world *w) { return w->state[MOCK_SVC_IAM]; }

/* ======================================================================
 * Small helpers
 * ====================================================================== */

static cJSON *rec_get(store_txn *t, store_db db, const char *k, size_t kl)
{
	store_val v;
	if (store_get(t, db, k, kl, &v))
		return NULL;
	return cj_parse(v.data, v.len, NULL);
}

static int rec_put(mock_req *rq, store_db db, const char *k, size_t kl, const cJSON *rec)
{
	char *text = cj_print(rec);
	int rc = store_put(rq->txn, db, k, kl, text, strlen(text), 0);
	mem_free(text);
	if (rc)
		mock_fail_store(rq, rc);
	return rc;
}

/* key = a \0 b */
static size_t pair_key(char *buf, size_t cap, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la + 1 + lb > cap)
		return 0;
	memcpy(buf, a, la);
	buf[la] = '\0';
	memcpy(buf + la + 1, b, lb);
	return la + 1 + lb;
}

static const char *req_str(mock_req *rq, const char *field, const char *member)
{
	const char *v = cj_str(rq->in, field);
	if (!v)
		mock_fail(rq, AWSERR_IAM_ValidationError,
		          "1 validation error detected: Value null at '%s' failed to satisfy constraint: "
		          "Member must not be null",
		          member);
	return v;
}

/* Names of roles and policies: 1-64 (roles) / 1-128 (policies) of [\w+=,.@-] */
static int check_name(mock_req *rq, const char *v, const char *member, size_t max)
{
	size_t n = strlen(v);
	int ok = n >= 1 && n <= max;
	for (size_t i = 0; ok && i < n; i++)
		ok = isalnum((unsigned char)v[i]) || strchr("_+=,.@-", v[i]);
	if (!ok)
		mock_fail(rq, AWSERR_IAM_ValidationError,
		          "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: "
		          "Member must %s",
		          v, member,
		          n < 1 || n > max ? (max == 64 ? "have length less than or equal to 64"
		                                        : "have length less than or equal to 128")
		                           : "satisfy regular expression pattern: [\\w+=,.@-]+");
	return ok ? 0 : -1;
}

static const char *path_of(mock_req *rq)
{
	const char *p = cj_str(rq->in, "Path");
	if (!p)
		return "/";
	size_t n = strlen(p);
	if (n == 0 || p[0] != '/' || p[n - 1] != '/' || n > 512) {
		mock_fail(rq, AWSERR_IAM_ValidationError,
		          "The specified value for path is invalid. It must begin and end with / and contain only "
		          "alphanumeric characters and/or / characters.");
		return NULL;
	}
	return p;
}

static void new_id(mock_req *rq, const char *prefix, char out[24])
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	char u[UUID_LEN];
	mock_world_uuid(rq->w, u);
	snprintf(out, 24, "%s", prefix);
	size_t k = strlen(out);
	for (size_t i = 0; k < 21 && u[i]; i++)
		if (u[i] != '-')
			out[k++] = al[(unsigned char)u[i] % 32];
	out[k] = '\0';
}

static void now_iso(mock_req *rq, char buf[CLK_ISO_LEN])
{
	clk_fmt_iso(rq->now_ms, buf);
	/* IAM dates carry whole seconds */
	char *dot = strchr(buf, '.');
	if (dot)
		memcpy(dot, "Z", 2);
}

static int check_doc(mock_req *rq, const char *doc, int kind)
{
	sb err = SB_INIT;
	iam_policy *p = iam_policy_parse(doc, strlen(doc), kind, &err);
	if (!p)
		mock_fail(rq, AWSERR_IAM_MalformedPolicyDocument, "%s", sb_str(&err));
	iam_policy_free(p);
	sb_free(&err);
	return p ? 0 : -1;
}

/* The role record, or NULL after failing NoSuchEntity. */
static cJSON *role_get(mock_req *rq, store_txn *t, const char *name)
{
	cJSON *r = rec_get(t, st_of(rq->w)->roles, name, strlen(name));
	if (!r)
		mock_fail(rq, AWSERR_IAM_NoSuchEntity, "The role with name %s cannot be found.", name);
	return r;
}

/* Deletes the JSON text of the form <name>\0... keys: count matching */
static int count_prefix(store_txn *t, store_db db, const char *name)
{
	size_t pl = strlen(name) + 1;
	store_cur *c;
	int n = 0;
	if (store_cur_open(t, db, &c))
		return 0;
	store_val k = {name, pl};
	int rc = store_cur_get(c, STORE_SET_RANGE, &k, NULL);
	while (rc == 0 && k.len >= pl && !memcmp(k.data, name, pl)) {
		n++;
		rc = store_cur_get(c, STORE_NEXT, &k, NULL);
	}
	store_cur_close(c);
	return n;
}

/* ======================================================================
 * Roles
 * ====================================================================== */

/* CreateRole: RoleName, AssumeRolePolicyDocument, Path?, Description?, MaxSessionDuration?, Tags? */
static void iam_op_create_role(mock_req *rq)
{
	const char *name = req_str(rq, "RoleName", "roleName");
	const char *trust = name ? req_str(rq, "AssumeRolePolicyDocument", "assumeRolePolicyDocument") : NULL;
	const char *path = trust ? path_of(rq) : NULL;
	if (!path || check_name(rq, name, "roleName", 64) || check_doc(rq, trust, IAM_RESOURCE))
		return;
	iam_state *s = st_of(rq->w);
	store_val v;
	if (store_get(rq->txn, s->roles, name, strlen(name), &v) == 0) {
		mock_fail(rq, AWSERR_IAM_EntityAlreadyExists, "Role with name %s already exists.", name);
		return;
	}
	char id[24], date[CLK_ISO_LEN];
	new_id(rq, "AROA", id);
	now_iso(rq, date);
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "Path", path);
	cJSON_AddStringToObject(r, "RoleName", name);
	cJSON_AddStringToObject(r, "RoleId", id);
	cJSON_AddStringToObject(r, "Arn", arena_printf(rq->ar, "arn:aws:iam::%s:role%s%s", rq->w->account, path, name));
	cJSON_AddStringToObject(r, "CreateDate", date);
	cJSON_AddStringToObject(r, "AssumeRolePolicyDocument", trust);
	if (cj_str(rq->in, "Description"))
		cJSON_AddStringToObject(r, "Description", cj_str(rq->in, "Description"));
	cJSON_AddNumberToObject(r, "MaxSessionDuration", cj_num(rq->in, "MaxSessionDuration", 3600));
	cJSON *tags = cj_arr(rq->in, "Tags");
	if (tags)
		cJSON_AddItemToObject(r, "Tags", cJSON_Duplicate(tags, 1));
	if (rec_put(rq, s->roles, name, strlen(name), r) == 0) {
		rq->out = cJSON_CreateObject();
		cJSON_AddItemToObject(rq->out, "Role", r);
	} else {
		cJSON_Delete(r);
	}
}

/* GetRole: RoleName */
static void iam_op_get_role(mock_req *rq)
{
	const char *name = req_str(rq, "RoleName", "roleName");
	cJSON *r = name ? role_get(rq, rq->txn, name) : NULL;
	if (!r)
		return;
	rq->out = cJSON_CreateObject();
	cJSON_AddItemToObject(rq->out, "Role", r);
}

/* DeleteRole: RoleName (no inline or attached policies left) */
static void iam_op_delete_role(mock_req *rq)
{
	const char *name = req_str(rq, "RoleName", "roleName");
	cJSON *r = name ? role_get(rq, rq->txn, name) : NULL;
	if (!r)
		return;
	cJSON_Delete(r);
	iam_state *s = st_of(rq->w);
	if (count_prefix(rq->txn, s->inl, name)) {
		mock_fail(rq, AWSERR_IAM_DeleteConflict, "Cannot delete entity, must delete policies first.");
		return;
	}
	if (count_prefix(rq->txn, s->att, name)) {
		mock_fail(rq, AWSERR_IAM_DeleteConflict, "Cannot delete entity, must detach all policies first.");
		return;
	}
	int rc = store_del(rq->txn, s->roles, name, strlen(name));
	if (rc)
		mock_fail_store(rq, rc);
}

/* Paginates the items of db whose keys start with prefix (pl bytes; 0 = all)
 * by Marker/MaxItems, handing each value to add(). */
static void paginate(mock_req *rq, store_db db, const char *prefix, size_t pl, const char *list_name,
                     cJSON *(*make)(mock_req *rq, store_val k, store_val v))
{
	int max = (int)cj_num(rq->in, "MaxItems", 100);
	if (max < 1 || max > 1000) {
		mock_fail(rq, AWSERR_IAM_ValidationError,
		          "1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: "
		          "Member must have value less than or equal to 1000",
		          max);
		return;
	}
	const char *marker = cj_str(rq->in, "Marker");
	store_cur *c;
	int rc = store_cur_open(rq->txn, db, &c);
	if (rc) {
		mock_fail_store(rq, rc);
		return;
	}
	sb start = SB_INIT;
	if (marker)
		sb_cat(&start, marker); /* the marker is the key to resume at */
	else if (pl)
		sb_catn(&start, prefix, pl);
	store_val k = {start.buf, start.len}, v;
	rc = start.len ? store_cur_get(c, STORE_SET_RANGE, &k, &v) : store_cur_get(c, STORE_FIRST, &k, &v);
	cJSON *list = cJSON_CreateArray();
	int n = 0, truncated = 0;
	while (rc == 0 && (pl == 0 || (k.len >= pl && !memcmp(k.data, prefix, pl)))) {
		if (n == max) {
			truncated = 1;
			break;
		}
		cJSON *item = make(rq, k, v);
		if (item) {
			cJSON_AddItemToArray(list, item);
			n++;
		}
		rc = store_cur_get(c, STORE_NEXT, &k, &v);
	}
	rq->out = cJSON_CreateObject();
	cJSON_AddItemToObject(rq->out, list_name, list);
	cJSON_AddBoolToObject(rq->out, "IsTruncated", truncated);
	if (truncated)
		cJSON_AddItemToObject(rq->out, "Marker", cJSON_CreateString(arena_strndup(rq->ar, k.data, k.len)));
	store_cur_close(c);
	sb_free(&start);
}

static cJSON *make_role(mock_req *rq, store_val k, store_val v)
{
	(void)k;
	cJSON *r = cj_parse(v.data, v.len, NULL);
	const char *pp = cj_str(rq->in, "PathPrefix");
	if (r && pp && strncmp(cj_str(r, "Path") ? cj_str(r, "Path") : "/", pp, strlen(pp))) {
		cJSON_Delete(r);
		return NULL;
	}
	return r;
}

/* ListRoles: PathPrefix?, Marker?, MaxItems? */
static void iam_op_list_roles(mock_req *rq) { paginate(rq, st_of(rq->w)->roles, NULL, 0, "Roles", make_role); }

/* ======================================================================
 * Inline role policies
 * ====================================================================== */

/* PutRolePolicy: RoleName, PolicyName, PolicyDocument */
static void iam_op_put_role_policy(mock_req *rq)
{
	const char *role = req_str(rq, "RoleName", "roleName");
	const char *name = role ? req_str(rq, "PolicyName", "policyName") : NULL;
	const char *doc = name ? req_str(rq, "PolicyDocument", "policyDocument") : NULL;
	if (!doc || check_name(rq, name, "policyName", 128) || check_doc(rq, doc, IAM_IDENTITY))
		return;
	cJSON *r = role_get(rq, rq->txn, role);
	if (!r)
		return;
	cJSON_Delete(r);
	char key[512];
	size_t kl = pair_key(key, sizeof key, role, name);
	int rc = store_put(rq->txn, st_of(rq->w)->inl, key, kl, doc, strlen(doc), 0);
	if (rc)
		mock_fail_store(rq, rc);
}

/* GetRolePolicy: RoleName, PolicyName */
static void iam_op_get_role_policy(mock_req *rq)
{
	const char *role = req_str(rq, "RoleName", "roleName");
	const char *name = role ? req_str(rq, "PolicyName", "policyName") : NULL;
	if (!name)
		return;
	cJSON *r = role_get(rq, rq->txn, role);
	if (!r)
		return;
	cJSON_Delete(r);
	char key[512];
	size_t kl = pair_key(key, sizeof key, role, name);
	store_val v;
	if (!kl || store_get(rq->txn, st_of(rq->w)->inl, key, kl, &v)) {
		mock_fail(rq, AWSERR_IAM_NoSuchEntity, "The role policy with name %s cannot be found.", name);
		return;
	}
	rq->out = cJSON_CreateObject();
	cJSON_AddStringToObject(rq->out, "RoleName", role);
	cJSON_AddStringToObject(rq->out, "PolicyName", name);
	cJSON_AddStringToObject(rq->out, "PolicyDocument", arena_strndup(rq->ar, v.data, v.len));
}

static cJSON *make_pair_second(mock_req *rq, store_val k, store_val v)
{
	(void)rq;
	(void)v;
	const char *z = memchr(k.data, '\0', k.len);
	if (!z)
		return NULL;
	size_t off = (size_t)(z - (const char *)k.data) + 1;
	char *name = mem_strndup((const char *)k.data + off, k.len - off);
	cJSON *s = cJSON_CreateString(name);
	mem_free(name);
	return s;
}

/* ListRolePolicies: RoleName, Marker?, MaxItems? */
static void iam_op_list_role_policies(mock_req *rq)
{
	const char *role = req_str(rq, "RoleName", "roleName");
	cJSON *r = role ? role_get(rq, rq->txn, role) : NULL;
	if (!r)
		return;
	cJSON_Delete(r);
	paginate(rq, st_of(rq->w)->inl, role, strlen(role) + 1, "PolicyNames", make_pair_second);
}

/* DeleteRolePolicy: RoleName, PolicyName */
static void iam_op_delete_role_policy(mock_req *rq)
{
	const char *role = req_str(rq, "RoleName", "roleName");
	const char *name = role ? req_str(rq, "PolicyName", "policyName") : NULL;
	if (!name)
		return;
	cJSON *r = role_get(rq, rq->txn, role);
	if (!r)
		return;
	cJSON_Delete(r);
	char key[512];
	size_t kl = pair_key(key, sizeof key, role, name);
	if (!kl || store_del(rq->txn, st_of(rq->w)->inl, key, kl))
		mock_fail(rq, AWSERR_IAM_NoSuchEntity, "The role policy with name %s cannot be found.", name);
}

/* ======================================================================
 * Managed policies
 * ====================================================================== */

static cJSON *policy_get(mock_req *rq, const char *arn)
{
	cJSON *p = rec_get(rq->txn, st_of(rq->w)->pols, arn, strlen(arn));
	if (!p)
		mock_fail(rq, AWSERR_IAM_NoSuchEntity, "Policy %s does not exist or is not attachable.", arn);
	return p;
}

/* The public Policy shape: the record without its document. */
static cJSON *policy_public(const cJSON *rec)
{
	cJSON *p = cJSON_Duplicate(rec, 1);
	cJSON_DeleteItemFromObjectCaseSensitive(p, "Document");
	return p;
}

/* CreatePolicy: PolicyName, PolicyDocument, Path?, Description? */
static void iam_op_create_policy(mock_req *rq)
{
	const char *name = req_str(rq, "PolicyName", "policyName");
	const char *doc = name ? req_str(rq, "PolicyDocument", "policyDocument") : NULL;
	const char *path = doc ? path_of(rq) : NULL;
	if (!path || check_name(rq, name, "policyName", 128) || check_doc(rq, doc, IAM_IDENTITY))
		return;
	const char *arn = arena_printf(rq->ar, "arn:aws:iam::%s:policy%s%s", rq->w->account, path, name);
	store_val v;
	if (store_get(rq->txn, st_of(rq->w)->pols, arn, strlen(arn), &v) == 0) {
		mock_fail(rq, AWSERR_IAM_EntityAlreadyExists,
		          "A policy called %s already exists. Duplicate names are not allowed.", name);
		return;
	}
	char id[24], date[CLK_ISO_LEN];
	new_id(rq, "ANPA", id);
	now_iso(rq, date);
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "PolicyName", name);
	cJSON_AddStringToObject(p, "PolicyId", id);
	cJSON_AddStringToObject(p, "Arn", arn);
	cJSON_AddStringToObject(p, "Path", path);
	cJSON_AddStringToObject(p, "DefaultVersionId", "v1");
	cJSON_AddNumberToObject(p, "AttachmentCount", 0);
	cJSON_AddNumberToObject(p, "PermissionsBoundaryUsageCount", 0);
	cJSON_AddBoolToObject(p, "IsAttachable", 1);
	if (cj_str(rq->in, "Description"))
		cJSON_AddStringToObject(p, "Description", cj_str(rq->in, "Description"));
	cJSON_AddStringToObject(p, "CreateDate", date);
	cJSON_AddStringToObject(p, "UpdateDate", date);
	cJSON_AddStringToObject(p, "Document", doc);
	if (rec_put(rq, st_of(rq->w)->pols, arn, strlen(arn), p) == 0) {
		rq->out = cJSON_CreateObject();
		cJSON_AddItemToObject(rq->out, "Policy", policy_public(p));
	}
	cJSON_Delete(p);
}

/* GetPolicy: PolicyArn */
static void iam_op_get_policy(mock_req *rq)
{
	const char *arn = req_str(rq, "PolicyArn", "policyArn");
	cJSON *p = arn ? policy_get(rq, arn) : NULL;
	if (!p)
		return;
	rq->out = cJSON_CreateObject();
	cJSON_AddItemToObject(rq->out, "Policy", policy_public(p));
	cJSON_Delete(p);
}

/* GetPolicyVersion: PolicyArn, VersionId */
static void iam_op_get_policy_version(mock_req *rq)
{
	const char *arn = req_str(rq, "PolicyArn", "policyArn");
	const char *ver = arn ? req_str(rq, "VersionId", "versionId") : NULL;
	cJSON *p = ver ? policy_get(rq, arn) : NULL;
	if (!p)
		return;
	if (strcmp(ver, "v1")) {
		mock_fail(rq, AWSERR_IAM_NoSuchEntity, "Policy %s version %s does not exist or is not attachable.", arn,
		          ver);
		cJSON_Delete(p);
		return;
	}
	cJSON *v = cJSON_CreateObject();
	cJSON_AddStringToObject(v, "Document", cj_str(p, "Document"));
	cJSON_AddStringToObject(v, "VersionId", "v1");
	cJSON_AddBoolToObject(v, "IsDefaultVersion", 1);
	cJSON_AddStringToObject(v, "CreateDate", cj_str(p, "CreateDate"));
	rq->out = cJSON_CreateObject();
	cJSON_AddItemToObject(rq->out, "PolicyVersion", v);
	cJSON_Delete(p);
}

/* DeletePolicy: PolicyArn (not attached anywhere) */
static void iam_op_delete_policy(mock_req *rq)
{
	const char *arn = req_str(rq, "PolicyArn", "policyArn");
	cJSON *p = arn ? policy_get(rq, arn) : NULL;
	if (!p)
		return;
	int attached = (int)cj_num(p, "AttachmentCount", 0);
	cJSON_Delete(p);
	if (attached) {
		mock_fail(rq, AWSERR_IAM_DeleteConflict, "Cannot delete a policy attached to entities.");
		return;
	}
	int rc = store_del(rq->txn, st_of(rq->w)->pols, arn, strlen(arn));
	if (rc)
		mock_fail_store(rq, rc);
}

static cJSON *make_policy(mock_req *rq, store_val k, store_val v)
{
	(void)k;
	cJSON *p = cj_parse(v.data, v.len, NULL);
	if (!p)
		return NULL;
	const char *pp = cj_str(rq->in, "PathPrefix");
	int only_attached = cj_bool(rq->in, "OnlyAttached", 0);
	if ((pp && strncmp(cj_str(p, "Path"), pp, strlen(pp))) ||
	    (only_attached && cj_num(p, "AttachmentCount", 0) == 0)) {
		cJSON_Delete(p);
		return NULL;
	}
	cJSON *pub = policy_public(p);
	cJSON_Delete(p);
	return pub;
}

/* ListPolicies: Scope?, OnlyAttached?, PathPrefix?, Marker?, MaxItems? (customer-managed policies only) */
static void iam_op_list_policies(mock_req *rq)
{
	const char *scope = cj_str(rq->in, "Scope");
	if (scope && !strcmp(scope, "AWS")) {
		rq->out = cJSON_CreateObject();
		cJSON_AddItemToObject(rq->out, "Policies", cJSON_CreateArray());
		cJSON_AddBoolToObject(rq->out, "IsTruncated", 0);
		return;
	}
	paginate(rq, st_of(rq->w)->pols, NULL, 0, "Policies", make_policy);
}

static void attach_count(mock_req *rq, const char *arn, int delta)
{
	cJSON *p = policy_get(rq, arn);
	if (!p)
		return;
	cJSON_ReplaceItemInObjectCaseSensitive(p, "AttachmentCount",
	                                       cJSON_CreateNumber(cj_num(p, "AttachmentCount", 0) + delta));
	rec_put(rq, st_of(rq->w)->pols, arn, strlen(arn), p);
	cJSON_Delete(p);
}

/* AttachRolePolicy: RoleName, PolicyArn */
static void iam_op_attach_role_policy(mock_req *rq)
{
	const char *role = req_str(rq, "RoleName", "roleName");
	const char *arn = role ? req_str(rq, "PolicyArn", "policyArn") : NULL;
	if (!arn)
		return;
	cJSON *r = role_get(rq, rq->txn, role);
	if (!r)
		return;
	cJSON_Delete(r);
	cJSON *p = policy_get(rq, arn);
	if (!p)
		return;
	cJSON_Delete(p);
	char key[1024];
	size_t kl = pair_key(key, sizeof key, role, arn);
	store_val v;
	if (!kl || store_get(rq->txn, st_of(rq->w)->att, key, kl, &v) == 0)
		return; /* attaching twice is a no-op, as on AWS */
	int rc = store_put(rq->txn, st_of(rq->w)->att, key, kl, "", 0, 0);
	if (rc) {
		mock_fail_store(rq, rc);
		return;
	}
	attach_count(rq, arn, +1);
}

/* DetachRolePolicy: RoleName, PolicyArn */
static void iam_op_detach_role_policy(mock_req *rq)
{
	const char *role = req_str(rq, "RoleName", "roleName");
	const char *arn = role ? req_str(rq, "PolicyArn", "policyArn") : NULL;
	if (!arn)
		return;
	cJSON *r = role_get(rq, rq->txn, role);
	if (!r)
		return;
	cJSON_Delete(r);
	char key[1024];
	size_t kl = pair_key(key, sizeof key, role, arn);
	if (!kl || store_del(rq->txn, st_of(rq->w)->att, key, kl)) {
		mock_fail(rq, AWSERR_IAM_NoSuchEntity, "Policy %s was not found.", arn);
		return;
	}
	attach_count(rq, arn, -1);
}

static cJSON *make_attached(mock_req *rq, store_val k, store_val v)
{
	cJSON *arn = make_pair_second(rq, k, v);
	if (!arn)
		return NULL;
	cJSON *o = cJSON_CreateObject();
	const char *a = arn->valuestring, *slash = strrchr(a, '/');
	cJSON_AddStringToObject(o, "PolicyName", slash ? slash + 1 : a);
	cJSON_AddItemToObject(o, "PolicyArn", arn);
	return o;
}

/* ListAttachedRolePolicies: RoleName, PathPrefix?, Marker?, MaxItems? */
static void iam_op_list_attached_role_policies(mock_req *rq)
{
	const char *role = req_str(rq, "RoleName", "roleName");
	cJSON *r = role ? role_get(rq, rq->txn, role) : NULL;
	if (!r)
		return;
	cJSON_Delete(r);
	paginate(rq, st_of(rq->w)->att, role, strlen(role) + 1, "AttachedPolicies", make_attached);
}

/* ======================================================================
 * For authorization
 * ====================================================================== */

static const char *role_name_of(const char *role)
{
	/* arn:aws:iam::<account>:role/<path/>name, or a bare name */
	if (strncmp(role, "arn:", 4))
		return role;
	const char *r = strstr(role, ":role/");
	if (!r)
		return NULL;
	const char *slash = strrchr(r, '/');
	return slash + 1;
}

void iam_policies_free(iam_policy **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		iam_policy_free(v[i]);
	mem_free(v);
}

static void push_policy(iam_policy ***v, size_t *n, const void *text, size_t len)
{
	sb err = SB_INIT;
	iam_policy *p = iam_policy_parse(text, len, IAM_IDENTITY, &err);
	sb_free(&err);
	if (!p) /* stored documents were validated on the way in */
		return;
	*v = mem_realloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = p;
}

int iam_role_policies(mock_world *w, const char *role, iam_policy ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	iam_state *s = st_of(w);
	const char *name = role ? role_name_of(role) : NULL;
	store_txn *t;
	if (!name || !*name || store_txn_begin(w->st, 1, &t))
		return -1;
	store_val v;
	if (store_get(t, s->roles, name, strlen(name), &v)) {
		store_txn_abort(t);
		return -1;
	}
	size_t pl = strlen(name) + 1;
	store_db dbs[2] = {s->inl, s->att};
	for (int d = 0; d < 2; d++) {
		store_cur *c;
		if (store_cur_open(t, dbs[d], &c))
			continue;
		store_val k = {name, pl};
		int rc = store_cur_get(c, STORE_SET_RANGE, &k, &v);
		while (rc == 0 && k.len >= pl && !memcmp(k.data, name, pl)) {
			if (d == 0) {
				push_policy(out, n, v.data, v.len);
			} else {
				store_val pv;
				if (!store_get(t, s->pols, (const char *)k.data + pl, k.len - pl, &pv)) {
					cJSON *rec = cj_parse(pv.data, pv.len, NULL);
					const char *doc = cj_str(rec, "Document");
					if (doc)
						push_policy(out, n, doc, strlen(doc));
					cJSON_Delete(rec);
				}
			}
			rc = store_cur_get(c, STORE_NEXT, &k, &v);
		}
		store_cur_close(c);
	}
	store_txn_abort(t);
	return 0;
}

/* ======================================================================
 * Service
 * ====================================================================== */

static int iam_init(mock_world *w, sb *err)
{
	iam_state *s = mem_calloc(1, sizeof *s);
	int rc;
	if ((rc = store_db_open(w->st, "iam.roles", 0, &s->roles)) ||
	    (rc = store_db_open(w->st, "iam.inline", 0, &s->inl)) ||
	    (rc = store_db_open(w->st, "iam.policies", 0, &s->pols)) ||
	    (rc = store_db_open(w->st, "iam.attached", 0, &s->att))) {
		sb_printf(err, "iam: %s", store_strerror(rc));
		mem_free(s);
		return -1;
	}
	w->state[MOCK_SVC_IAM] = s;
	return 0;
}

static void iam_fini(mock_world *w)
{
	mem_free(w->state[MOCK_SVC_IAM]);
	w->state[MOCK_SVC_IAM] = NULL;
}

static const mock_op iam_ops[] = {
	{"AttachRolePolicy", iam_op_attach_role_policy, MOCK_WRITE},
	{"CreatePolicy", iam_op_create_policy, MOCK_WRITE},
	{"CreateRole", iam_op_create_role, MOCK_WRITE},
	{"DeletePolicy", iam_op_delete_policy, MOCK_WRITE},
	{"DeleteRole", iam_op_delete_role, MOCK_WRITE},
	{"DeleteRolePolicy", iam_op_delete_role_policy, MOCK_WRITE},
	{"DetachRolePolicy", iam_op_detach_role_policy, MOCK_WRITE},
	{"GetPolicy", iam_op_get_policy, MOCK_READONLY},
	{"GetPolicyVersion", iam_op_get_policy_version, MOCK_READONLY},
	{"GetRole", iam_op_get_role, MOCK_READONLY},
	{"GetRolePolicy", iam_op_get_role_policy, MOCK_READONLY},
	{"ListAttachedRolePolicies", iam_op_list_attached_role_policies, MOCK_READONLY},
	{"ListPolicies", iam_op_list_policies, MOCK_READONLY},
	{"ListRolePolicies", iam_op_list_role_policies, MOCK_READONLY},
	{"ListRoles", iam_op_list_roles, MOCK_READONLY},
	{"PutRolePolicy", iam_op_put_role_policy, MOCK_WRITE},
	{NULL, NULL, 0},
};

const mock_service iam_service = {
	.name = "iam",
	.slot = MOCK_SVC_IAM,
	.ops = iam_ops,
	.init = iam_init,
	.fini = iam_fini,
	.http = iam_http,
};
