/* lam_int.h - private declarations shared by the Lambda mock's files.
 *
 * Storage (one LMDB database per kind, keys prefixed by region and name so
 * every function's records sort together):
 *   lambda.functions  REGION\0NAME\0VER -> configuration JSON (VER is
 *                     "$LATEST" or the version zero-padded to 10 digits, so
 *                     versions sort numerically); members starting with '_'
 *                     are internal (behaviour, tags...) and never answered
 *   lambda.code       same key -> the zip bytes
 *   lambda.aliases    REGION\0NAME\0ALIAS -> AliasConfiguration JSON
 *   lambda.log        REGION\0NAME\0 + 8-byte big-endian sequence -> record
 *   lambda.meta       "seq" -> the log's sequence (8 bytes, never reset);
 *                     "p\0REGION\0NAME\0QUALIFIER" -> the resource-based policy JSON
 *                     (QUALIFIER empty for the unqualified function);
 *                     "n\0REGION\0NAME" -> invocations since creation;
 *                     "v\0REGION\0NAME" -> the last published version
 */
#ifndef STEPBENCH_LAM_INT_H
#define STEPBENCH_LAM_INT_H

#include <stdint.h>

#include "mocks/lambda/lam.h"

typedef struct lam_state {
	store_db fns, code, aliases, log, meta;
	pthread_mutex_t mu; /* guards jobs */
	pthread_cond_t cv;
	int jobs; /* Event invocations running */
} lam_state;

static inline lam_state *lam_st(mock_world *w) { return w->state[MOCK_SVC_LAMBDA]; }

#define LAM_LATEST "$LATEST"
#define LAM_VER_LEN 24 /* a version number or "$LATEST", NUL-terminated */
#define LAM_NAME_MAX 64
#define LAM_QUAL_MAX 128
#define LAM_PAYLOAD_MAX 6291456 /* synchronous request and response */
#define LAM_EVENT_MAX 1048576   /* asynchronous request */

/* ---- names (lam_name.c) -------------------------------------------------- */

/** A FunctionName taken apart. Empty strings for absent parts. */
typedef struct lam_fname {
	char region[32];
	char account[16];
	char name[LAM_NAME_MAX + 1];
	char qualifier[LAM_QUAL_MAX + 1];
} lam_fname;

/**
 * Parse a name, ARN or partial ARN with an optional qualifier.
 * @return 0, or -1 when s is not a function name Lambda would accept.
 */
int lam_fname_parse(const char *s, lam_fname *out);
/** 1 when s is a valid function name (not an ARN): [a-zA-Z0-9-_]{1,64}. */
int lam_name_valid(const char *s);
/** 1 when s is a valid alias name: [a-zA-Z0-9-_]{1,128}, not all digits. */
int lam_alias_valid(const char *s);
/** 1 when s is all digits (a version number). */
int lam_is_version(const char *s);

/**
 * Resolve rq->in's FunctionName (and member qual_key, e.g. "Qualifier") into
 * region, name and qualifier, failing the request (ValidationException,
 * InvalidParameterValueException) when they are malformed or disagree.
 * *region points into rq's arena or f.
 */
int lam_req_fname(mock_req *rq, const char *qual_key, lam_fname *f, const char **region);

/* ---- keys and records (lam_function.c) ---------------------------------- */

/** Build REGION\0NAME\0PART into k (PART may be NULL for the prefix only). */
void lam_key(sb *k, const char *region, const char *name, const char *part);
/** The key part of a version: "$LATEST" or the zero-padded number. */
void lam_ver_part(const char *version, char out[LAM_VER_LEN]);

/** The function ARN, qualified when qualifier is not NULL (arena string). */
char *lam_fn_arn(mock_req *rq, const char *region, const char *name, const char *qualifier);

/** Fail rq with Lambda's "Function not found: ARN" (404). The ARN is
 *  qualified when qualifier is not NULL: the control-plane operations
 *  (GetFunction, UpdateFunctionCode, DeleteFunction, AddPermission...) name
 *  the bare ARN unless a Qualifier was asked; Invoke always names the
 *  qualifier it looked for, "$LATEST" by default. */
void lam_fail_not_found(mock_req *rq, const char *region, const char *name, const char *qualifier);

/**
 * Load a function's configuration record for a qualifier ("" or NULL:
 * $LATEST; a version; an alias, resolved). On success *cfg is the record
 * (caller owns) and version (LAM_VER_LEN bytes) the version it resolved to. Fails
 * the request with ResourceNotFoundException when absent.
 */
int lam_fn_load(mock_req *rq, store_txn *t, const char *region, const char *name, const char *qualifier,
                cJSON **cfg, char version[LAM_VER_LEN]);

/** Copy of cfg without internal members (those starting with '_'). */
cJSON *lam_cfg_public(const cJSON *cfg);

/** Parse a Behavior (JSON); on a bad shape fail rq and return -1. */
int lam_behavior_check(mock_req *rq, const cJSON *b, int nested);

/* ---- handlers --------------------------------------------------------- */

void lam_op_create_function(mock_req *rq);
void lam_op_get_function(mock_req *rq);
void lam_op_get_function_configuration(mock_req *rq);
void lam_op_list_functions(mock_req *rq);
void lam_op_update_function_code(mock_req *rq);
void lam_op_update_function_configuration(mock_req *rq);
void lam_op_delete_function(mock_req *rq);
void lam_op_publish_version(mock_req *rq);
void lam_op_list_versions_by_function(mock_req *rq);
void lam_op_create_alias(mock_req *rq);
void lam_op_get_alias(mock_req *rq);
void lam_op_update_alias(mock_req *rq);
void lam_op_delete_alias(mock_req *rq);
void lam_op_list_aliases(mock_req *rq);
void lam_op_list_tags(mock_req *rq);
/* resource-based policies (lam_policy.c) */
void lam_op_add_permission(mock_req *rq);
void lam_op_remove_permission(mock_req *rq);
void lam_op_get_policy(mock_req *rq);
void lam_op_tag_resource(mock_req *rq);
void lam_op_untag_resource(mock_req *rq);
void lam_op_get_account_settings(mock_req *rq);
void lam_op_invoke(mock_req *rq);

/* ---- the REST codec (lam_rest.c) ---------------------------------------- */

int lam_http(mock_world *w, const mock_http *in, mock_http_out *out);

/** A route: which operation a method and path name, and the path's parameters. */
typedef struct lam_route {
	const char *op;      /* NULL: no Lambda route */
	char *function;      /* decoded {FunctionName}, or NULL (heap) */
	char *alias;         /* decoded {Name} of an alias route, or NULL (heap) */
	char *resource;      /* decoded {Resource} of a tags route, or NULL (heap) */
	char *sid;           /* decoded {StatementId} of a policy route, or NULL (heap) */
	int status;          /* the success status the operation answers */
} lam_route;

/** Match method and path against Lambda's routes. Returns 0 when matched
 *  (free with lam_route_free), -1 otherwise. */
int lam_route_match(const char *method, const char *path, lam_route *r);
void lam_route_free(lam_route *r);

/* ---- runtimes (lam_run.c) ------------------------------------------------ */

/** What one invocation produced. */
typedef struct lam_outcome {
	sb payload;        /* the answer's payload text */
	sb logs;           /* captured output */
	int function_error; /* 1: FunctionError Unhandled */
	char *svc_type;    /* a service error instead of an answer (heap), or NULL */
	char *svc_message; /* heap */
	double duration_ms;
	long max_rss_mb;   /* 0 when nothing ran */
} lam_outcome;

void lam_outcome_free(lam_outcome *o);

/** Everything a run needs, copied out of the store (no transaction held). */
typedef struct lam_job {
	mock_world *w;
	char region[32];
	char name[LAM_NAME_MAX + 1];
	char qualifier[LAM_QUAL_MAX + 1]; /* as asked ("$LATEST" when none) */
	char version[LAM_VER_LEN];                 /* executed version */
	char request_id[UUID_LEN];
	char *function_arn;               /* heap */
	cJSON *cfg;                       /* the configuration record (owned) */
	char *zip;                        /* code bytes (heap), or NULL */
	size_t zip_len;
	char *payload;                    /* the event text (heap) */
	size_t payload_len;
	char *client_context;             /* decoded ClientContext JSON (heap), or NULL */
	uint64_t number;                  /* 1 for the function's first invocation */
	int64_t now_ms;                   /* world clock at the start */
} lam_job;

void lam_job_free(lam_job *j);

/** Run j's behaviour or code; fills o. Never holds a transaction. */
void lam_run(const lam_job *j, lam_outcome *o);

/** Run fn(arg) on a thread with a 16 MB stack and wait for it; -1 when no
 *  thread could be started. For recursive work (JSONata) called from
 *  civetweb's workers, whose stacks are small. */
int lam_on_big_stack(void *(*fn)(void *), void *arg);

/** 1 when the function of cfg has code this machine can run (no behaviour). */
int lam_runtime_supported(const char *runtime);

/* ---- child processes (lam_proc.c) -------------------------------------- */

typedef struct lam_proc {
	const char *path;         /* executable (absolute) */
	char *const *argv;
	char *const *envp;
	const char *cwd;
	const char *in;           /* stdin bytes */
	size_t in_len;
	int result_fd3;           /* 1: the result comes on fd 3 and stdout+stderr
	                             are the log; 0: the result is stdout and
	                             stderr the log */
	int timeout_ms;           /* <= 0: none */
	size_t max_result;        /* bytes kept (the rest is counted) */
	size_t max_log;           /* bytes kept (the tail) */
} lam_proc;

typedef struct lam_proc_out {
	sb result, log;
	size_t result_total;      /* bytes the child wrote as its result */
	int timed_out;
	int exit_code;            /* when it exited; -1 when killed by a signal */
	int signal;               /* the signal that killed it, or 0 */
	double duration_ms;
	long max_rss_kb;
} lam_proc_out;

/**
 * Spawn p in its own process group, feed stdin, collect the result and the
 * log, kill the group at the timeout or when the child exits, reap it.
 * @return 0 when the child ran (whatever its outcome), -1 with err when it
 *         could not be started.
 */
int lam_proc_run(const lam_proc *p, lam_proc_out *o, sb *err);
void lam_proc_out_free(lam_proc_out *o);

/* ---- bootstraps (lam_boot.c, generated from lam_boot.py / lam_boot.js) -- */

extern const char lam_boot_py[];
extern const char lam_boot_js[];

/* ---- the log (lam_invoke.c) ---------------------------------------------- */

/** Append one record of job j and outcome o to the log (short write txn). */
int lam_log_append(mock_world *w, const lam_job *j, const char *invocation_type, const lam_outcome *o,
                   sb *err);

#endif
