/* mock.h - the contract between service handlers, the dispatcher, and callers.
 *
 * A service (DynamoDB, SQS, Lambda, Step Functions) is a mock_service: a
 * sorted table of operations plus optional hooks. Every operation handler has
 * the same shape, `void ddb_op_put_item(mock_req *rq)`: it reads rq->in (the
 * request in the SDK's JSON shape, whatever protocol it arrived by) and
 * either sets rq->out or calls mock_fail(). Handlers never see HTTP: the
 * in-process transport (the engine's Task states, the scenario runner) and
 * the HTTP front door (the AWS CLI and SDKs) get identical answers.
 *
 * Transactions (STYLE C3): mock_dispatch opens the LMDB transaction the op's
 * flags ask for, runs the handler, and commits only if the handler recorded
 * no error, so every API call is one transaction. Handlers never open or
 * close rq->txn. Ops that wait (long polls, running a Lambda handler, a
 * synchronous execution) are MOCK_NOTXN and open short transactions
 * themselves with mock_txn_begin/mock_txn_end, never holding one while they
 * wait.
 *
 * Ownership: a mock_req owns its arena, its output and its error; the
 * caller frees the request (and so all of that) with mock_req_free after
 * reading the result, or takes the output first with mock_req_take_out.
 * rq->in is borrowed for the duration of the dispatch.
 *
 * Errors: mock_fail records an AWS error (type, HTTP status, fault side,
 * the legacy query-protocol code and a message); the protocol codecs render
 * it in each protocol's shape. The error catalogue is awserr.h.
 */
#ifndef STEPBENCH_MOCK_H
#define STEPBENCH_MOCK_H

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/clock.h"
#include "common/sb.h"
#include "common/uuid.h"
#include "mocks/awserr.h"
#include "mocks/store/store.h"

typedef struct mock_world mock_world;
typedef struct mock_req mock_req;
typedef struct mock_service mock_service;

typedef void (*mock_handler)(mock_req *rq);

/* mock_op.flags: which transaction the dispatcher opens. */
enum {
	MOCK_READONLY = 1u << 0, /* a read-only transaction */
	MOCK_WRITE = 1u << 1,    /* the write transaction: commit on success, abort on error */
	MOCK_NOTXN = 1u << 2,    /* none: the handler waits, or manages short transactions */
};

typedef struct mock_op {
	const char *name; /* e.g. "PutItem": the part after the dot in X-Amz-Target */
	mock_handler fn;
	unsigned flags;
} mock_op;

/* The error a handler recorded. type == NULL means no error. */
typedef struct mock_error {
	const char *type;   /* "ResourceNotFoundException", "QueueDoesNotExist", ... */
	int status;         /* HTTP status AWS answers with */
	int sender;         /* 1: a Sender (client) fault, 0: Receiver (server) */
	const char *legacy; /* query-protocol code (SQS "AWS.SimpleQueueService.NonExistentQueue"); NULL: same as type */
	char *message;      /* in the request's arena */
	cJSON *extra;       /* extra members for the error body (CancellationReasons, Item...); owned by the request */
} mock_error;

/* Who makes a call, when it is made with a role's credentials (a workflow's
 * execution role). Calls without a principal are not authorized at all. */
typedef struct mock_principal {
	const char *role_arn;   /* arn:aws:iam::<account>:role/<path><name> */
	const char *session;    /* the STS session name */
	const char *source_arn; /* the calling state machine or execution, or NULL */
} mock_principal;

struct mock_req {
	mock_world *w;
	const mock_service *svc;
	const mock_op *op;
	const char *region;  /* from the caller (credential scope, engine); never NULL */
	const cJSON *in;     /* request in the SDK's JSON shape; borrowed */
	cJSON *out;          /* response set by the handler; owned by the request */
	store_txn *txn;      /* per op flags; NULL for MOCK_NOTXN */
	arena *ar;           /* freed with the request */
	int64_t now_ms;      /* the world clock when the request arrived */
	char request_id[UUID_LEN];
	mock_error err;
	const char *caller;  /* "engine", "http", "runner": for logs only */
	const mock_principal *who; /* borrowed; NULL: no IAM enforcement (see mocks/authz.h) */
	cJSON *out_headers;  /* optional response headers a handler adds (REST protocols); owned */
	const struct mock_http *http; /* the HTTP request when one carried this call, else NULL;
	                                 for protocol details only (e.g. SQS's x-amzn-query-mode) */
};

/* ---- HTTP hooks for protocols the generic JSON 1.0 codec does not cover -- */

typedef struct mock_http {
	const char *method;  /* "GET", "POST", ... */
	const char *path;    /* URL path, not decoded */
	const char *query;   /* raw query string without '?', or NULL */
	const char *body;
	size_t body_len;
	const char *region;  /* from the SigV4 credential scope, or the world's default */
	const char *host;    /* the Host header, for URLs the answer contains */
	/* Header lookup (case-insensitive); NULL when absent. */
	const char *(*header)(const struct mock_http *h, const char *name);
	void *conn;          /* for header() */
} mock_http;

typedef struct mock_http_out {
	int status;
	const char *content_type; /* static string */
	sb body;
	sb headers; /* extra "Name: value\r\n" lines */
} mock_http_out;

/* ---- services ---------------------------------------------------------- */

/* Slots of per-service state in mock_world.state. */
enum { MOCK_SVC_DYNAMODB, MOCK_SVC_SQS, MOCK_SVC_LAMBDA, MOCK_SVC_STATES, MOCK_SVC_IAM, MOCK_NSVC };

struct mock_service {
	const char *name;              /* "dynamodb", "sqs", "lambda", "states", "iam": SigV4 service name */
	int slot;                      /* MOCK_SVC_* */
	const char *target_prefix;     /* X-Amz-Target prefix, e.g. "DynamoDB_20120810"; NULL if none */
	const char *json_type_prefix;  /* "__type" prefix in JSON errors, e.g. "com.amazonaws.dynamodb.v20120810#" */
	const char *json_content_type; /* e.g. "application/x-amz-json-1.0" */
	const mock_op *ops;            /* sorted by name (strcmp), ended by {NULL} */
	/* Open databases and set w->state[slot]; 0 or -1 with a message in err. */
	int (*init)(mock_world *w, sb *err);
	/* Release w->state[slot]; must accept a world whose init did not run. */
	void (*fini)(mock_world *w);
	/* Optional: answer a raw HTTP request this service's protocol needs
	 * (Lambda's REST routes, SQS's query protocol). Return 1 if handled
	 * (out filled), 0 if the request is not this service's. */
	int (*http)(mock_world *w, const mock_http *in, mock_http_out *out);
	/* Optional: add headers/members to a JSON-protocol error answer
	 * (SQS's x-amzn-query-error). */
	void (*json_error_hook)(const mock_req *rq, mock_http_out *out);
	/* Optional: the service's part of the world snapshot for scenario
	 * assertions ({table: [items]}, {queue: [messages]}...); caller owns. */
	cJSON *(*snapshot)(mock_world *w);
};

/* Every service, in a fixed order, NULL-terminated (mocks/registry.c). */
extern const mock_service *const mock_services[];
/** The service named name ("dynamodb", ...), or NULL. */
const mock_service *mock_service_find(const char *name);
/** The service whose X-Amz-Target prefix is the part of target before the dot. */
const mock_service *mock_service_by_target(const char *target, const char **op);

/* ---- faults ------------------------------------------------------------- */

typedef struct mock_fault mock_fault;

/* ---- the world ---------------------------------------------------------- */

struct mock_world {
	store *st;
	clk *clock;
	char account[16];       /* "000000000000" unless configured */
	char region[32];        /* default region: "us-east-1" */
	char endpoint[128];     /* base URL clients reach us at, e.g. "http://127.0.0.1:4566"; "" in-process */
	void *state[MOCK_NSVC]; /* per-service private state */
	pthread_mutex_t mu;     /* guards rng and faults */
	rng rng;                /* ids; seeded per scenario for determinism */
	mock_fault *faults;
	void *engine_host;      /* set by whoever hosts workflow executions (stepfunctions mock) */
};

typedef struct mock_world_opts {
	const char *data_dir; /* NULL: a temporary store removed on close */
	int nosync;           /* persisted store without fsync per commit */
	clk *clock;           /* NULL: the real clock (borrowed: outlives the world) */
	const char *account;  /* NULL: "000000000000" */
	const char *region;   /* NULL: "us-east-1" */
	const char *endpoint; /* NULL: "" */
	uint64_t seed;        /* 0: seed ids from the system */
} mock_world_opts;

/**
 * Open the store and initialise every service.
 * @return the world (caller frees with mock_world_free) or NULL with err.
 */
mock_world *mock_world_new(const mock_world_opts *o, sb *err);
void mock_world_free(mock_world *w);

/** A fresh id (UUID v4) from the world's generator. */
void mock_world_uuid(mock_world *w, char out[UUID_LEN]);
/** An ARN in this world: arn:aws:<service>:<region>:<account>:<resource>. */
char *mock_arn(mock_req *rq, const char *service, const char *resource_fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * Make the next `count` calls of service/op fail with the given error (a
 * type from the service's catalogue gets its status; unknown types get
 * status 400). count < 0: fail forever. Thread-safe.
 */
void mock_fault_add(mock_world *w, const char *service, const char *op, int count, const char *type,
                    const char *message);
/** Remove every fault. */
void mock_faults_clear(mock_world *w);
/** The fault list as JSON [{service, op, remaining, type, message}]. */
cJSON *mock_faults_json(mock_world *w);

/* ---- requests ----------------------------------------------------------- */

/**
 * A request for svc/op. region NULL means the world's default. in is
 * borrowed until mock_dispatch returns.
 */
mock_req *mock_req_new(mock_world *w, const mock_service *svc, const char *region, const cJSON *in,
                       const char *caller);
void mock_req_free(mock_req *rq);
/** Take ownership of rq->out (may be NULL). */
cJSON *mock_req_take_out(mock_req *rq);

/**
 * Look op up in the request's service, apply faults, open the transaction
 * its flags ask for, run the handler, commit or abort. Unknown operations
 * fail with UnknownOperationException. Returns 0 on success, -1 when
 * rq->err is set. A handler that neither fails nor sets out gets {}.
 */
int mock_dispatch(mock_req *rq, const char *op);

/** Convenience: dispatch once; on success *out (caller owns) is the answer.
 *  On failure returns -1 and, when err is not NULL, appends "Type: message". */
int mock_call(mock_world *w, const char *service, const char *op, const cJSON *in, cJSON **out, sb *err);

/** Record an error from the catalogue, with a printf message. */
void mock_fail(mock_req *rq, awserr_code code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/** Record an error outside the catalogue. */
void mock_fail_as(mock_req *rq, const char *type, int status, int sender, const char *legacy,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/** 1 when the handler already failed. */
static inline int mock_failed(const mock_req *rq) { return rq->err.type != NULL; }

/** For MOCK_NOTXN handlers: begin a short transaction on the world's store.
 *  On failure the request is failed with InternalFailure and NULL returned. */
store_txn *mock_txn_begin(mock_req *rq, int readonly);
/** Commit (or abort, when the request has failed) a short transaction;
 *  a failed commit fails the request. Returns 0 on a successful commit. */
int mock_txn_end(mock_req *rq, store_txn *t);

/** Fail the request for a store error rc (InternalFailure with its text). */
void mock_fail_store(mock_req *rq, int rc);

#endif
