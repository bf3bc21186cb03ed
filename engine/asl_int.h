/* asl_int.h - the engine's private types: the loaded state graph, compiled
 * templates, and the runtime (executions, strands, scheduler).
 *
 * Definitions (asl_def.c) are immutable after engine_def_load: every field
 * below the asl_machine is read-only at run time and shared by executions.
 * A definition owns a private copy of its JSON; compiled JSONata
 * expressions, JSONPaths and intrinsics are compiled once at load.
 *
 * Runtime (asl_run.c): an execution is a set of strands - the top-level
 * run, each Parallel branch, each Map iteration - advanced one at a time by
 * a discrete-event scheduler on the engine clock. A strand runs until it
 * blocks (Wait, Retry backoff, a callback token, children), so a one-hour
 * Wait on the virtual clock only moves the clock. Everything a strand
 * allocates is owned by the strand (cJSON trees) and freed when the
 * execution is freed.
 */
#ifndef STEPBENCH_ASL_INT_H
#define STEPBENCH_ASL_INT_H

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdint.h>

#include "common/sb.h"
#include "common/uuid.h"
#include "engine/asl_jsonpath.h"
#include "engine/engine.h"
#include "engine/jsonata/jsonata.h"

/* Step Functions' payload limit (input, output, results, variables). */
#define ASL_MAX_PAYLOAD 262144
/* Step Functions' hard quota of history events per execution. */
#define ASL_MAX_EVENTS 25000

typedef enum {
#define ASL_STATE(n) ASL_##n,
#include "engine/asl_states.def"
#undef ASL_STATE
	ASL_NTYPES
} asl_type;

/** "Pass", "Task", ... */
const char *asl_type_name(asl_type t);

/* ======================================================================
 * Errors
 * ====================================================================== */

/* An ASL error value: a name and a cause, either may be NULL (a Fail state
 * without them). flags say how it is reported. */
enum {
	ASL_ERR_STATE_PREFIX = 1u << 0, /* prefix the cause with "An error occurred while
	                                   executing the state '<S>' (entered at the event id #<n>). " */
	ASL_ERR_EVALFAIL = 1u << 1,     /* a JSONata failure: emits EvaluationFailed */
	ASL_ERR_FATAL = 1u << 2,        /* States.Runtime-like: neither retried nor caught */
	ASL_ERR_HEARTBEAT = 1u << 3,    /* a missed heartbeat: reported as States.Timeout, also
	                                   matched by States.HeartbeatTimeout in Retry/Catch */
};

typedef struct asl_err {
	char *error;
	char *cause;
	unsigned flags;
	char *location; /* EvaluationFailed.location, e.g. "Output" */
} asl_err;

void asl_err_set(asl_err *e, const char *error, unsigned flags, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void asl_err_clear(asl_err *e);
void asl_err_move(asl_err *dst, asl_err *src);

/* ======================================================================
 * Intrinsic functions (asl_intrinsics.c)
 * ====================================================================== */

typedef struct asl_intr asl_intr;

/** Compile `States.Fn(args)`; NULL with a message in err if it is not one. */
asl_intr *asl_intr_compile(const char *text, sb *err);
void asl_intr_free(asl_intr *f);
/** 1 if text looks like an intrinsic call ("States." followed by a name and '('). */
int asl_intr_looks_like(const char *text);

/* ======================================================================
 * Variables
 * ====================================================================== */

/* One scope: the top level, a Parallel branch, a Map iteration. Inner scopes
 * read outer ones; Assign writes only to its own. */
typedef struct asl_scope {
	cJSON *vars; /* object {name: value}; owned */
	const struct asl_scope *parent;
} asl_scope;

const cJSON *asl_scope_get(const asl_scope *s, const char *name);

struct asl_data;
/**
 * Evaluate f. On failure err has the message and *failed_path the text of
 * a path argument that matched nothing (NULL when a function failed).
 */
int asl_intr_eval(const asl_intr *f, const struct asl_data *d, cJSON **out, sb *err, const char **failed_path);

/* ======================================================================
 * Templates: values with JSONata `{% %}` strings or JSONPath `.$` keys
 * ====================================================================== */

typedef enum { TM_LIT, TM_OBJ, TM_ARR, TM_JSONATA, TM_PATH, TM_INTR } asl_tm_kind;

typedef struct asl_tmpl {
	asl_tm_kind kind;
	cJSON *lit;          /* TM_LIT (owned) */
	jsonata_expr *expr;  /* TM_JSONATA */
	char *src;           /* expression text inside {% %}, path or call text */
	asl_path *path;      /* TM_PATH */
	asl_intr *intr;      /* TM_INTR */
	char *field;         /* for messages: "Arguments/FunctionName" (JSONata), "value.$" (JSONPath) */
	size_t n;
	char **keys;         /* TM_OBJ member names (".$" stripped) */
	struct asl_tmpl **kids;
} asl_tmpl;

void asl_tmpl_free(asl_tmpl *t);

/* What expressions see while they are evaluated. */
typedef struct asl_data {
	const cJSON *input;     /* JSONPath `$` */
	const cJSON *context;   /* `$$`, $states.context */
	const cJSON *result;    /* $states.result (JSONata), NULL when not available */
	const cJSON *error_output; /* $states.errorOutput, NULL when not available */
	const cJSON *states_input; /* $states.input (JSONata); defaults to input */
	const asl_scope *scope;
	clk *clock;
	rng *rng;               /* States.UUID, MathRandom; $random/$uuid seed */
	uint64_t seed;
} asl_data;

/**
 * Evaluate a template. JSONata failures give States.QueryEvaluationError
 * (flags STATE_PREFIX|EVALFAIL); JSONPath failures States.Runtime
 * (STATE_PREFIX|FATAL), with AWS's cause text minus the state prefix.
 * @param out  out: the value (caller owns)
 * @return 0 or -1 with *e set.
 */
int asl_tmpl_eval(const asl_tmpl *t, const asl_data *d, cJSON **out, asl_err *e);

/** Resolve a JSONPath against d ($, $$ or a variable). Borrowed result for
 *  definite paths would be nicer; this copies. 0 or -1 with the message in err. */
int asl_data_path(const asl_data *d, const asl_path *p, cJSON **out, sb *err);

/** Evaluate one JSONata expression against d (field for messages). *out may
 *  be NULL (undefined) on success. */
int asl_jsonata_eval(const jsonata_expr *x, const char *src, const char *field, const asl_data *d,
                     cJSON **out, asl_err *e);

/* ======================================================================
 * The loaded definition
 * ====================================================================== */

typedef struct asl_state asl_state;
typedef struct asl_machine asl_machine;

typedef struct asl_retrier {
	char **errors;
	int nerr;
	double interval;    /* seconds */
	int max_attempts;
	double backoff;
	double max_delay;   /* seconds; 0 = none */
	int jitter_full;
} asl_retrier;

typedef struct asl_catcher {
	char **errors;
	int nerr;
	char *next_name;
	asl_state *next;
	asl_path *result_path; /* JSONPath; NULL + result_path_null = discard */
	int result_path_null;
	asl_tmpl *output;      /* JSONata */
	asl_tmpl *assign;
} asl_catcher;

/* Choice rules (JSONPath). */
typedef enum {
	CR_AND, CR_OR, CR_NOT,
	CR_STR_EQ, CR_STR_LT, CR_STR_GT, CR_STR_LE, CR_STR_GE, CR_STR_MATCH,
	CR_NUM_EQ, CR_NUM_LT, CR_NUM_GT, CR_NUM_LE, CR_NUM_GE,
	CR_BOOL_EQ,
	CR_TS_EQ, CR_TS_LT, CR_TS_GT, CR_TS_LE, CR_TS_GE,
	CR_IS_NULL, CR_IS_PRESENT, CR_IS_NUMERIC, CR_IS_STRING, CR_IS_BOOLEAN, CR_IS_TIMESTAMP,
} asl_cr_op;

typedef struct asl_rule {
	asl_cr_op op;
	asl_path *var;
	cJSON *value;          /* literal operand */
	asl_path *value_path;  /* ...Path operand */
	struct asl_rule **kids;
	int nkids;
} asl_rule;

typedef struct asl_choice {
	asl_rule *rule;        /* JSONPath */
	asl_tmpl *cond;        /* JSONata: TM_JSONATA or a TM_LIT boolean */
	char *next_name;
	asl_state *next;
	asl_tmpl *assign, *output;
} asl_choice;

/* A field that may be a literal, a JSONPath (…Path) or a JSONata template. */
typedef struct asl_field {
	int set;
	asl_tmpl *t;
	const char *name; /* "TimeoutSeconds", "SecondsPath"... */
} asl_field;

typedef enum { RES_LAMBDA_ARN, RES_OPTIMIZED, RES_SDK, RES_ACTIVITY } asl_res_kind;
enum { PAT_REQUEST, PAT_SYNC, PAT_TOKEN };

typedef struct asl_resource {
	asl_res_kind kind;
	char *arn;           /* as written */
	char *service;       /* "lambda", "dynamodb", "sqs", ... */
	char *api;           /* "invoke", "putItem" (as written, camelCase) */
	char *op;            /* "Invoke", "PutItem" */
	int pattern;         /* PAT_* */
	char *hist_resource; /* "invoke", "sendMessage.waitForTaskToken" */
	char *hist_type;     /* "lambda", "aws-sdk:dynamodb" */
	char *region;        /* direct Lambda ARN's region */
} asl_resource;

struct asl_state {
	asl_type type;
	char *name;
	int jsonata;
	asl_machine *m;
	char *next_name;
	asl_state *next;
	int end;

	/* JSONPath */
	asl_path *input_path, *output_path, *result_path;
	int input_path_null, output_path_null, result_path_null;
	asl_tmpl *parameters;      /* Parameters; Map: ItemSelector or legacy Parameters */
	asl_tmpl *result_selector;
	cJSON *result;             /* Pass Result */
	/* JSONata */
	asl_tmpl *arguments, *output;
	/* both */
	asl_tmpl *assign;

	/* Task */
	asl_resource res;
	asl_field timeout, heartbeat;
	asl_retrier *retry;
	int nretry;
	asl_catcher *catchers;
	int ncatch;
	/* Choice */
	asl_choice *choices;
	int nchoices;
	char *default_name;
	asl_state *dflt;
	/* Wait */
	asl_field seconds, timestamp;
	/* Fail */
	asl_field error, cause;
	/* Parallel */
	asl_machine **branches;
	int nbranches;
	/* Map */
	asl_machine *proc;
	asl_field items;           /* JSONata Items / JSONPath ItemsPath */
	int batcher;               /* ItemBatcher present */
	asl_field batch_max, batch_bytes;
	asl_tmpl *batch_input;     /* ItemBatcher.BatchInput */
	int item_reader, result_writer; /* S3: ItemReader / ResultWriter present */
	asl_field max_conc, tol_count, tol_pct;
	int distributed;
	char *label;
};

struct asl_machine {
	char *start_name;
	asl_state *start;
	asl_state **states;
	int n;
	int jsonata; /* the machine's QueryLanguage (inherited by its states) */
};

struct engine_def {
	cJSON *json;
	asl_machine *top;
	int jsonata;            /* top-level QueryLanguage is JSONata */
	int timeout_seconds;    /* 0 = none */
	int uses_token;         /* some Task waits for a task token */
};

/* asl_def.c helpers used elsewhere */
int asl_parse_resource(const char *arn, asl_resource *r, sb *why);
void asl_resource_free(asl_resource *r);

/* ======================================================================
 * Runtime
 * ====================================================================== */

typedef struct asl_strand asl_strand;
typedef struct asl_token asl_token;

/* Phases of a state visit. */
enum {
	PH_ENTER,      /* emit <Type>StateEntered */
	PH_ATTEMPT,    /* (re)start the work: an attempt */
	PH_RESUME,     /* woken: timer / children / token */
	PH_RETRY_WAIT, /* backoff elapsed: go to PH_ATTEMPT */
	PH_DONE,
};

enum { BLK_NONE, BLK_TIMER, BLK_CHILDREN, BLK_TOKEN };

struct asl_token {
	char *token;
	asl_strand *s;
	int outcome;          /* 0 waiting, 1 success, 2 failure */
	cJSON *output;
	char *error, *cause;
	int64_t heartbeat_at; /* last heartbeat (ms) */
	int64_t next_poll;    /* responder: next call; -1 never */
	struct asl_token *next;
};

struct asl_strand {
	engine_exec *x;
	const asl_machine *m;
	asl_strand *parent;
	int index;            /* branch / iteration index */
	asl_scope scope;
	const asl_state *st;
	cJSON *input;         /* raw state input */
	int phase;
	int block;            /* BLK_* */
	int64_t wake_ms;      /* BLK_TIMER, or a deadline while BLK_TOKEN */
	int queued;           /* in the run queue */
	int cancelled;
	long heap_pos;        /* index in the timer heap, -1 if none */
	uint64_t timer_seq;   /* FIFO order among equal wake times */
	long entered_id;      /* this state's Entered event id */
	long prev_id;         /* previousEventId for the next event of this strand */
	int64_t entered_ms;
	int retry_count;
	int *attempts;        /* per retrier */
	/* per attempt */
	cJSON *eff;           /* effective input (after InputPath / Parameters) */
	cJSON *args;          /* task parameters, branch input */
	int64_t deadline_ms;  /* task TimeoutSeconds; 0 none */
	int64_t hb_ms;        /* HeartbeatSeconds in ms; 0 none */
	asl_token *tok;
	/* children (Parallel, Map) */
	asl_strand **kids;
	int nkids, started, running, finished, failed_kids;
	int max_conc;
	double tol_count, tol_pct;  /* < 0: not set */
	cJSON *items;         /* Map items */
	cJSON **kid_out;      /* outputs by child index (owned until collected) */
	const cJSON *item_cur; /* Map: the next item to start */
	asl_err kid_err;
	int kid_failed_any;   /* a child failed (its error may have no name) */
	int kid_failed_hard;  /* the Map could not start an iteration */
	long kids_last_id;
	/* outcome of the strand (when its machine ends) */
	int done, failed;
	cJSON *output;
	asl_err err;
	/* Distributed Map iterations are child executions: their events go to
	 * their own history (not kept), numbered from their own start */
	int hidden;
	asl_strand *child_root;
	long child_nevents;
};

struct engine_exec {
	const engine_def *d;
	engine_env env;
	cJSON *input;
	cJSON *context_base;  /* Execution + StateMachine members */
	char start_iso[CLK_ISO_LEN];
	int64_t start_ms;
	engine_status status;
	cJSON *output;
	char *error, *cause;
	cJSON *history;       /* array */
	long nevents;
	rng rng;
	asl_strand *root;
	/* scheduler */
	asl_strand **runq;
	size_t rq_head, rq_len, rq_cap;
	asl_strand **heap;
	long heap_n, heap_cap;
	uint64_t timer_seq;
	cJSON *mock_counts;   /* engine_env.mock: invocations per state */
	asl_strand **all;     /* every strand, for freeing */
	size_t nall, capall;
	asl_token *tokens;
	long token_seq;
	int64_t exec_deadline;
	/* external events (thread-safe) */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop_requested;
	char *stop_error, *stop_cause;
	int external_pending;
	int running;
	int history_full;     /* the 25,000-event quota was reached */
	engine_event_fn on_event;
	void *on_event_ctx;
};

/* ---- asl_run.c: strands, the scheduler, history, context ------------- */

/** Record a history event for strand s (details owned; may be NULL).
 *  Returns the event id. */
long asl_event(asl_strand *s, const char *type, cJSON *details);
int64_t asl_now(asl_strand *s);
/** The Context object for s's current state (caller owns; the execution
 *  input inside is a reference). map_item/map_index: Map iteration data. */
cJSON *asl_context(asl_strand *s, int with_task_token, const cJSON *map_item, long map_index);
void asl_data_init(asl_strand *s, asl_data *d, const cJSON *input, const cJSON *context);
/** Block s until wake_ms on the engine clock (then PH_* continues). */
void asl_block_timer(asl_strand *s, int64_t wake_ms);
/** The strand's machine fails with e (moved out of e). */
void asl_strand_fail(asl_strand *s, asl_err *e);
/** The strand's machine ends successfully; its output is s->input. */
void asl_strand_finish(asl_strand *s);
/** Forget the per-visit data of the current state. */
void asl_state_reset(asl_strand *s);
/* Parallel/Map children */
void asl_children_begin(asl_strand *s, int n);
/** Start a child strand running m with input (owned); prev_id is the
 *  previousEventId of its first event; isolated: no outer variables. */
void asl_child_spawn(asl_strand *parent, const asl_machine *m, int index, cJSON *input, long prev_id, int isolated);
/** Block until the children are done (or wake at once if they are). */
void asl_children_wait(asl_strand *s);
void asl_children_end(asl_strand *s);
/** The children's outputs as an array in child order (caller owns). */
cJSON *asl_kid_outputs_take(asl_strand *s);
void asl_kid_outputs_free(asl_strand *s);
/* callback tokens */
void asl_token_new(asl_strand *s);
void asl_token_wait(asl_strand *s, const cJSON *params, const cJSON *submitted);
void asl_token_resume(asl_strand *s);
void asl_token_drop(asl_strand *s);

/* ---- asl_states.c ------------------------------------------------------ */

/** Advance s by one phase of its current state. */
void asl_state_step(asl_strand *s);
/** The current state's work failed: Retry, Catch, or fail the strand. */
void asl_state_error(asl_strand *s, asl_err *e);
void asl_map_fill(asl_strand *s);
void asl_task_timed_out(asl_strand *s, int heartbeat);
void asl_task_failed(asl_strand *s, asl_err *e);
void asl_task_succeeded(asl_strand *s, cJSON *result);

/* ---- asl_task.c -------------------------------------------------------- */

/**
 * Call the task's service (or the mock hook). 0: *result is the
 * integration's result in AWS's shape; -1: *e is the ASL error; 1: a
 * .waitForTaskToken task was submitted, *result is the service's answer.
 */
int asl_task_invoke(asl_strand *s, const cJSON *params, cJSON **result, asl_err *e);

#endif
