/* asl_run.c - executions: strands, the discrete-event scheduler, history, tokens. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/b64.h"
#include "common/cj.h"
#include "common/mem.h"
#include "engine/asl_int.h"

/* ======================================================================
 * Strands
 * ====================================================================== */

static void rq_push(engine_exec *x, asl_strand *s);

static asl_strand *strand_new(engine_exec *x, const asl_machine *m, asl_strand *parent, int index, cJSON *input)
{
	asl_strand *s = mem_calloc(1, sizeof *s);
	s->x = x;
	s->m = m;
	s->parent = parent;
	s->index = index;
	s->st = m->start;
	s->input = input;
	s->phase = PH_ENTER;
	s->heap_pos = -1;
	if (x->nall == x->capall) {
		x->capall = x->capall ? x->capall * 2 : 16;
		x->all = mem_realloc(x->all, x->capall * sizeof *x->all);
	}
	x->all[x->nall++] = s;
	return s;
}

/* Release what a finished strand holds (the struct stays until the end). */
static void strand_release(asl_strand *s)
{
	cJSON_Delete(s->input);
	s->input = NULL;
	cJSON_Delete(s->eff);
	s->eff = NULL;
	cJSON_Delete(s->args);
	s->args = NULL;
	cJSON_Delete(s->items);
	s->items = NULL;
	asl_kid_outputs_free(s);
	cJSON_Delete(s->scope.vars);
	s->scope.vars = NULL;
	mem_free(s->attempts);
	s->attempts = NULL;
	mem_free(s->kids);
	s->kids = NULL;
	asl_err_clear(&s->kid_err);
}

static void strand_free(asl_strand *s)
{
	strand_release(s);
	cJSON_Delete(s->output);
	asl_err_clear(&s->err);
	mem_free(s);
}

void asl_state_reset(asl_strand *s)
{
	cJSON_Delete(s->eff);
	s->eff = NULL;
	cJSON_Delete(s->args);
	s->args = NULL;
	s->deadline_ms = 0;
	s->hb_ms = 0;
	asl_token_drop(s);
}

/* ======================================================================
 * Time and the scheduler
 * ====================================================================== */

int64_t asl_now(asl_strand *s) { return clk_now_ms(s->x->env.clock); }

static void rq_push(engine_exec *x, asl_strand *s)
{
	if (s->queued)
		return;
	if (x->rq_len == x->rq_cap) {
		size_t ncap = x->rq_cap ? x->rq_cap * 2 : 16;
		asl_strand **n = mem_alloc(ncap * sizeof *n);
		for (size_t i = 0; i < x->rq_len; i++)
			n[i] = x->runq[(x->rq_head + i) % x->rq_cap];
		mem_free(x->runq);
		x->runq = n;
		x->rq_cap = ncap;
		x->rq_head = 0;
	}
	x->runq[(x->rq_head + x->rq_len) % x->rq_cap] = s;
	x->rq_len++;
	s->queued = 1;
}

static asl_strand *rq_pop(engine_exec *x)
{
	if (!x->rq_len)
		return NULL;
	asl_strand *s = x->runq[x->rq_head];
	x->rq_head = (x->rq_head + 1) % x->rq_cap;
	x->rq_len--;
	s->queued = 0;
	return s;
}

/* Timer heap ordered by (wake_ms, seq) so equal times keep their order. */
static int heap_less(const asl_strand *a, const asl_strand *b)
{
	return a->wake_ms < b->wake_ms || (a->wake_ms == b->wake_ms && a->timer_seq < b->timer_seq);
}

static void heap_swap(engine_exec *x, long i, long j)
{
	asl_strand *t = x->heap[i];
	x->heap[i] = x->heap[j];
	x->heap[j] = t;
	x->heap[i]->heap_pos = i;
	x->heap[j]->heap_pos = j;
}

static void heap_up(engine_exec *x, long i)
{
	while (i > 0) {
		long p = (i - 1) / 2;
		if (!heap_less(x->heap[i], x->heap[p]))
			break;
		heap_swap(x, i, p);
		i = p;
	}
}

static void heap_down(engine_exec *x, long i)
{
	for (;;) {
		long l = 2 * i + 1, r = l + 1, m = i;
		if (l < x->heap_n && heap_less(x->heap[l], x->heap[m]))
			m = l;
		if (r < x->heap_n && heap_less(x->heap[r], x->heap[m]))
			m = r;
		if (m == i)
			break;
		heap_swap(x, i, m);
		i = m;
	}
}

static void heap_remove(engine_exec *x, asl_strand *s)
{
	long i = s->heap_pos;
	if (i < 0)
		return;
	x->heap_n--;
	if (i != x->heap_n) {
		x->heap[i] = x->heap[x->heap_n];
		x->heap[i]->heap_pos = i;
		heap_down(x, i);
		heap_up(x, i);
	}
	s->heap_pos = -1;
}

static void heap_add(engine_exec *x, asl_strand *s)
{
	heap_remove(x, s);
	if (x->heap_n == x->heap_cap) {
		x->heap_cap = x->heap_cap ? x->heap_cap * 2 : 16;
		x->heap = mem_realloc(x->heap, (size_t)x->heap_cap * sizeof *x->heap);
	}
	s->timer_seq = ++x->timer_seq;
	x->heap[x->heap_n] = s;
	s->heap_pos = x->heap_n++;
	heap_up(x, s->heap_pos);
}

void asl_block_timer(asl_strand *s, int64_t wake_ms)
{
	s->block = BLK_TIMER;
	s->wake_ms = wake_ms;
	heap_add(s->x, s);
}

static void wake(asl_strand *s)
{
	heap_remove(s->x, s);
	s->block = BLK_NONE;
	rq_push(s->x, s);
}

/* ======================================================================
 * History
 * ====================================================================== */

static char *details_key(const char *type)
{
	sb b = SB_INIT;
	size_t n = strlen(type);
	if (n > 12 && !strcmp(type + n - 12, "StateEntered"))
		sb_cat(&b, "stateEnteredEventDetails");
	else if (n > 11 && !strcmp(type + n - 11, "StateExited"))
		sb_cat(&b, "stateExitedEventDetails");
	else {
		sb_catc(&b, (char)(type[0] >= 'A' && type[0] <= 'Z' ? type[0] - 'A' + 'a' : type[0]));
		sb_cat(&b, type + 1);
		sb_cat(&b, "EventDetails");
	}
	return sb_steal(&b);
}

static long event_add(engine_exec *x, long prev, const char *type, cJSON *details)
{
	if (x->history_full) {
		cJSON_Delete(details);
		return x->nevents;
	}
	if (x->nevents == ASL_MAX_EVENTS - 1 && strcmp(type, "ExecutionSucceeded") && strcmp(type, "ExecutionFailed") &&
	    strcmp(type, "ExecutionAborted") && strcmp(type, "ExecutionTimedOut")) {
		/* event 25,000 can only end the execution: it fails */
		cJSON_Delete(details);
		details = cJSON_CreateObject();
		cJSON_AddStringToObject(details, "error", "States.Runtime");
		cJSON_AddStringToObject(details, "cause", "The execution reached the maximum number of history events (25000).");
		type = "ExecutionFailed";
		x->error = mem_strdup("States.Runtime");
		x->cause = mem_strdup("The execution reached the maximum number of history events (25000).");
		x->history_full = 1;
	}
	cJSON *ev = cJSON_CreateObject();
	pthread_mutex_lock(&x->mu);
	long id = ++x->nevents;
	if (x->history_full)
		x->status = ENGINE_FAILED;
	cJSON_AddNumberToObject(ev, "timestamp", (double)clk_now_ms(x->env.clock));
	cJSON_AddStringToObject(ev, "type", type);
	cJSON_AddNumberToObject(ev, "id", (double)id);
	cJSON_AddNumberToObject(ev, "previousEventId", (double)prev);
	if (details) {
		char *k = details_key(type);
		cJSON_AddItemToObject(ev, k, details);
		mem_free(k);
	}
	cJSON_AddItemToArray(x->history, ev);
	pthread_mutex_unlock(&x->mu);
	if (x->env.on_event)
		x->env.on_event(x->env.on_event_ctx, x, ev);
	return id;
}

long asl_event(asl_strand *s, const char *type, cJSON *details)
{
	if (s->hidden) {
		/* a child execution's own history: numbered, not kept */
		cJSON_Delete(details);
		s->prev_id = ++s->child_root->child_nevents;
		return s->prev_id;
	}
	long id = event_add(s->x, s->prev_id, type, details);
	s->prev_id = id;
	return id;
}

/* ======================================================================
 * Context object
 * ====================================================================== */

cJSON *asl_context(asl_strand *s, int with_task_token, const cJSON *map_item, long map_index)
{
	engine_exec *x = s->x;
	cJSON *c = cJSON_CreateObject();
	cJSON *ex = cJSON_CreateObject();
	cJSON_AddStringToObject(ex, "Id", x->env.execution_arn ? x->env.execution_arn : "");
	cJSON_AddItemReferenceToObject(ex, "Input", x->input);
	cJSON_AddStringToObject(ex, "StartTime", x->start_iso);
	cJSON_AddStringToObject(ex, "Name", x->env.execution_name ? x->env.execution_name : "");
	cJSON_AddStringToObject(ex, "RoleArn", x->env.role_arn ? x->env.role_arn : "");
	if (!x->env.type || strcmp(x->env.type, "EXPRESS"))
		cJSON_AddNumberToObject(ex, "RedriveCount", 0); /* Standard workflows only (redrive) */
	cJSON_AddItemToObject(c, "Execution", ex);
	cJSON *sm = cJSON_CreateObject();
	cJSON_AddStringToObject(sm, "Id", x->env.state_machine_arn ? x->env.state_machine_arn : "");
	cJSON_AddStringToObject(sm, "Name", x->env.state_machine_name ? x->env.state_machine_name : "");
	cJSON_AddItemToObject(c, "StateMachine", sm);
	if (s->st) {
		cJSON *st = cJSON_CreateObject();
		char iso[CLK_ISO_LEN];
		clk_fmt_iso(s->entered_ms, iso);
		cJSON_AddStringToObject(st, "Name", s->st->name);
		cJSON_AddStringToObject(st, "EnteredTime", iso);
		if (s->st->type == ASL_Task || s->st->type == ASL_Parallel || s->st->type == ASL_Map)
			cJSON_AddNumberToObject(st, "RetryCount", s->retry_count);
		cJSON_AddItemToObject(c, "State", st);
	}
	if (with_task_token && s->tok) {
		cJSON *t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "Token", s->tok->token);
		cJSON_AddItemToObject(c, "Task", t);
	}
	if (map_item) {
		cJSON *m = cJSON_CreateObject(), *it = cJSON_CreateObject();
		cJSON_AddNumberToObject(it, "Index", (double)map_index);
		cJSON_AddItemReferenceToObject(it, "Value", (cJSON *)map_item);
		cJSON_AddItemToObject(m, "Item", it);
		cJSON_AddItemToObject(c, "Map", m);
	}
	return c;
}

void asl_data_init(asl_strand *s, asl_data *d, const cJSON *input, const cJSON *context)
{
	memset(d, 0, sizeof *d);
	d->input = input;
	d->context = context;
	d->scope = &s->scope;
	d->clock = s->x->env.clock;
	d->rng = &s->x->rng;
	d->seed = s->x->env.seed ? s->x->env.seed + (uint64_t)s->x->nevents : 0;
}

/* ======================================================================
 * Strand outcomes, children
 * ====================================================================== */

static void child_done(asl_strand *c);
static void exec_done(engine_exec *x);

static void cancel_tree(asl_strand *s)
{
	if (s->cancelled || s->done)
		return;
	s->cancelled = 1;
	heap_remove(s->x, s);
	asl_token_drop(s);
	for (int i = 0; i < s->nkids; i++)
		if (s->kids[i])
			cancel_tree(s->kids[i]);
}

void asl_strand_finish(asl_strand *s)
{
	s->done = 1;
	s->output = s->input;
	s->input = NULL;
	if (s->parent)
		child_done(s);
	else
		exec_done(s->x);
}

void asl_strand_fail(asl_strand *s, asl_err *e)
{
	s->done = 1;
	s->failed = 1;
	asl_err_move(&s->err, e);
	if (s->parent)
		child_done(s);
	else
		exec_done(s->x);
}

void asl_children_begin(asl_strand *s, int n)
{
	mem_free(s->kids);
	s->kids = mem_calloc((size_t)n + 1, sizeof *s->kids);
	s->nkids = n;
	s->started = s->running = s->finished = s->failed_kids = 0;
	s->kid_failed_any = s->kid_failed_hard = 0;
	asl_err_clear(&s->kid_err);
	asl_kid_outputs_free(s);
	s->kid_out = mem_calloc((size_t)n + 1, sizeof *s->kid_out);
}

void asl_child_spawn(asl_strand *p, const asl_machine *m, int index, cJSON *input, long prev_id, int isolated)
{
	asl_strand *c = strand_new(p->x, m, p, index, input);
	c->scope.parent = isolated ? NULL : &p->scope;
	c->prev_id = prev_id;
	if (isolated) {
		c->hidden = 1;
		c->child_root = c;
		c->child_nevents = 1; /* its ExecutionStarted */
		c->prev_id = 1;
	} else if (p->hidden) {
		c->hidden = 1;
		c->child_root = p->child_root;
	}
	p->kids[index] = c;
	p->started++;
	p->running++;
	rq_push(p->x, c);
}

void asl_children_wait(asl_strand *s)
{
	if (s->finished >= s->nkids || (s->running == 0 && (s->kid_failed_any || s->kid_failed_hard)))
		rq_push(s->x, s);
	else
		s->block = BLK_CHILDREN;
}

void asl_children_end(asl_strand *s)
{
	for (int i = 0; i < s->nkids; i++)
		if (s->kids[i])
			cancel_tree(s->kids[i]);
	asl_kid_outputs_free(s);
	mem_free(s->kids);
	s->kids = NULL;
	s->nkids = 0;
}

void asl_kid_outputs_free(asl_strand *s)
{
	if (s->kid_out)
		for (int i = 0; i < s->nkids; i++)
			cJSON_Delete(s->kid_out[i]);
	mem_free(s->kid_out);
	s->kid_out = NULL;
}

cJSON *asl_kid_outputs_take(asl_strand *s)
{
	cJSON *a = cJSON_CreateArray();
	for (int i = 0; i < s->nkids; i++) {
		cJSON_AddItemToArray(a, s->kid_out && s->kid_out[i] ? s->kid_out[i] : cJSON_CreateNull());
		if (s->kid_out)
			s->kid_out[i] = NULL;
	}
	return a;
}

static int tolerated(asl_strand *p)
{
	if (p->st->type != ASL_Map || (p->tol_count < 0 && p->tol_pct < 0))
		return 0;
	int n = p->nkids;
	if (p->tol_count >= 0 && p->failed_kids > p->tol_count &&
	    !(p->tol_pct >= 0 && n > 0 && p->failed_kids * 100.0 / n <= p->tol_pct))
		return 0;
	if (p->tol_pct >= 0 && n > 0 && p->failed_kids * 100.0 / n > p->tol_pct &&
	    !(p->tol_count >= 0 && p->failed_kids <= p->tol_count))
		return 0;
	return 1;
}

static void child_done(asl_strand *c)
{
	asl_strand *p = c->parent;
	if (p->cancelled || c->cancelled || !p->kids || p->kids[c->index] != c)
		return;
	p->running--;
	p->finished++;
	int is_map = p->st->type == ASL_Map;
	int iter_events = is_map && !p->st->distributed;
	if (c->failed) {
		if (iter_events) {
			cJSON *d = cJSON_CreateObject();
			cJSON_AddNumberToObject(d, "index", c->index);
			cJSON_AddStringToObject(d, "name", p->st->name);
			long id = event_add(p->x, c->prev_id, "MapIterationFailed", d);
			p->prev_id = id;
		} else if (!c->hidden)
			p->prev_id = c->prev_id;
		p->failed_kids++;
		if (is_map && tolerated(p)) {
			cJSON *eo = cJSON_CreateObject();
			if (c->err.error)
				cJSON_AddStringToObject(eo, "Error", c->err.error);
			else
				cJSON_AddNullToObject(eo, "Error");
			if (c->err.cause || c->err.error)
				cJSON_AddStringToObject(eo, "Cause", c->err.cause ? c->err.cause : "");
			else
				cJSON_AddNullToObject(eo, "Cause");
			cJSON_Delete(p->kid_out[c->index]);
			p->kid_out[c->index] = eo;
		} else if (!p->kid_failed_any) {
			p->kid_failed_any = 1;
			if (is_map && (p->tol_count >= 0 || p->tol_pct >= 0))
				asl_err_set(&p->kid_err, "States.ExceedToleratedFailureThreshold", 0,
				            "The specified tolerated failure threshold was exceeded");
			else
				asl_err_move(&p->kid_err, &c->err);
			for (int i = 0; i < p->nkids; i++)
				if (p->kids[i] && p->kids[i] != c && !p->kids[i]->done) {
					if (iter_events) {
						cJSON *d = cJSON_CreateObject();
						cJSON_AddNumberToObject(d, "index", i);
						cJSON_AddStringToObject(d, "name", p->st->name);
						p->prev_id = event_add(p->x, p->kids[i]->prev_id, "MapIterationAborted", d);
					}
					cancel_tree(p->kids[i]);
				}
			p->running = 0;
			if (p->block == BLK_CHILDREN) {
				p->block = BLK_NONE;
				rq_push(p->x, p);
			}
			strand_release(c);
			return;
		}
	} else {
		if (iter_events) {
			cJSON *d = cJSON_CreateObject();
			cJSON_AddNumberToObject(d, "index", c->index);
			cJSON_AddStringToObject(d, "name", p->st->name);
			p->prev_id = event_add(p->x, c->prev_id, "MapIterationSucceeded", d);
		} else if (!c->hidden)
			p->prev_id = c->prev_id;
		cJSON_Delete(p->kid_out[c->index]);
		p->kid_out[c->index] = c->output;
		c->output = NULL;
	}
	strand_release(c);
	if (is_map)
		asl_map_fill(p);
	if ((p->finished >= p->nkids || (p->kid_failed_hard && p->running == 0)) && p->block == BLK_CHILDREN) {
		p->block = BLK_NONE;
		rq_push(p->x, p);
	}
}

/* ======================================================================
 * Callback tokens
 * ====================================================================== */

void asl_token_new(asl_strand *s)
{
	engine_exec *x = s->x;
	asl_token *t = mem_calloc(1, sizeof *t);
	char rnd[UUID_LEN];
	uuid_v4(&x->rng, rnd);
	sb raw = SB_INIT, enc = SB_INIT;
	sb_printf(&raw, "%s#%ld#%s", x->env.execution_arn ? x->env.execution_arn : "", ++x->token_seq, rnd);
	b64_encode(raw.buf, raw.len, &enc);
	sb_free(&raw);
	t->token = sb_steal(&enc);
	t->s = s;
	t->next_poll = -1;
	pthread_mutex_lock(&x->mu);
	t->next = x->tokens;
	x->tokens = t;
	pthread_mutex_unlock(&x->mu);
	s->tok = t;
}

static void token_free(asl_token *t)
{
	mem_free(t->token);
	cJSON_Delete(t->output);
	mem_free(t->error);
	mem_free(t->cause);
	mem_free(t);
}

void asl_token_drop(asl_strand *s)
{
	asl_token *t = s->tok;
	if (!t)
		return;
	engine_exec *x = s->x;
	pthread_mutex_lock(&x->mu);
	for (asl_token **pp = &x->tokens; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	pthread_mutex_unlock(&x->mu);
	token_free(t);
	s->tok = NULL;
}

static void token_schedule(asl_strand *s)
{
	asl_token *t = s->tok;
	int64_t w = s->deadline_ms;
	if (s->hb_ms && t->heartbeat_at + s->hb_ms < w)
		w = t->heartbeat_at + s->hb_ms;
	if (t->next_poll >= 0 && t->next_poll < w)
		w = t->next_poll;
	s->block = BLK_TOKEN;
	s->wake_ms = w;
	heap_add(s->x, s);
}

static void token_poll(asl_strand *s, const cJSON *params, const cJSON *submitted)
{
	engine_exec *x = s->x;
	asl_token *t = s->tok;
	t->next_poll = -1;
	if (!x->env.responder)
		return;
	engine_token_info ti = {t->token, s->st->name, s->st->res.arn, params, submitted};
	int64_t again = x->env.responder(x->env.responder_ctx, x, &ti);
	if (s->tok == t && again >= 0)
		t->next_poll = asl_now(s) + again;
}

void asl_token_wait(asl_strand *s, const cJSON *params, const cJSON *submitted)
{
	cJSON_Delete(s->args);
	s->args = params ? cJSON_Duplicate(params, 1) : NULL;
	cJSON_Delete(s->eff);
	s->eff = submitted ? cJSON_Duplicate(submitted, 1) : NULL; /* kept for later polls */
	token_poll(s, params, submitted);
	if (s->tok && s->tok->outcome)
		rq_push(s->x, s);
	else
		token_schedule(s);
}

void asl_token_resume(asl_strand *s)
{
	asl_token *t = s->tok;
	if (!t)
		return;
	heap_remove(s->x, s);
	s->block = BLK_NONE;
	pthread_mutex_lock(&s->x->mu);
	int outcome = t->outcome;
	cJSON *out = t->output;
	t->output = NULL;
	char *err = t->error, *cause = t->cause;
	t->error = t->cause = NULL;
	pthread_mutex_unlock(&s->x->mu);
	if (outcome == 1) {
		mem_free(err);
		mem_free(cause);
		asl_task_succeeded(s, out ? out : cJSON_CreateNull());
		return;
	}
	if (outcome == 2) {
		asl_err e = {0};
		e.error = err;
		e.cause = cause;
		asl_task_failed(s, &e);
		return;
	}
	int64_t now = asl_now(s);
	if (now >= s->deadline_ms || (s->hb_ms && now >= t->heartbeat_at + s->hb_ms)) {
		asl_task_timed_out(s, now < s->deadline_ms);
		return;
	}
	if (t->next_poll >= 0 && now >= t->next_poll) {
		token_poll(s, s->args, s->eff);
		if (s->tok && s->tok->outcome) {
			rq_push(s->x, s);
			return;
		}
	}
	token_schedule(s);
}

static asl_token *token_find(engine_exec *x, const char *token)
{
	for (asl_token *t = x->tokens; t; t = t->next)
		if (!strcmp(t->token, token))
			return t;
	return NULL;
}

static int token_answer(engine_exec *x, const char *token, int outcome, const cJSON *output, const char *error,
                        const char *cause)
{
	pthread_mutex_lock(&x->mu);
	asl_token *t = token_find(x, token);
	if (!t || t->outcome) {
		pthread_mutex_unlock(&x->mu);
		return -1;
	}
	if (outcome == 3)
		t->heartbeat_at = clk_now_ms(x->env.clock);
	else {
		t->outcome = outcome;
		t->output = output ? cJSON_Duplicate(output, 1) : NULL;
		t->error = error ? mem_strdup(error) : NULL;
		t->cause = cause ? mem_strdup(cause) : NULL;
		x->external_pending = 1;
	}
	pthread_cond_broadcast(&x->cv);
	pthread_mutex_unlock(&x->mu);
	return 0;
}

int engine_exec_send_task_success(engine_exec *x, const char *token, const cJSON *output)
{
	return token_answer(x, token, 1, output, NULL, NULL);
}

int engine_exec_send_task_failure(engine_exec *x, const char *token, const char *error, const char *cause)
{
	return token_answer(x, token, 2, NULL, error, cause);
}

int engine_exec_send_task_heartbeat(engine_exec *x, const char *token)
{
	return token_answer(x, token, 3, NULL, NULL, NULL);
}

char *engine_token_execution(const char *token)
{
	sb raw = SB_INIT;
	if (!token || b64_decode(token, strlen(token), 0, &raw)) {
		sb_free(&raw);
		return NULL;
	}
	const char *s = sb_str(&raw);
	const char *h = strchr(s, '#');
	char *arn = h ? mem_strndup(s, (size_t)(h - s)) : NULL;
	sb_free(&raw);
	return arn;
}

void engine_exec_stop(engine_exec *x, const char *error, const char *cause)
{
	pthread_mutex_lock(&x->mu);
	if (!x->stop_requested) {
		x->stop_requested = 1;
		x->stop_error = error ? mem_strdup(error) : NULL;
		x->stop_cause = cause ? mem_strdup(cause) : NULL;
	}
	pthread_cond_broadcast(&x->cv);
	pthread_mutex_unlock(&x->mu);
}

/* ======================================================================
 * Executions
 * ====================================================================== */

static void set_status(engine_exec *x, engine_status st)
{
	pthread_mutex_lock(&x->mu);
	x->status = st;
	pthread_mutex_unlock(&x->mu);
}

static void exec_done(engine_exec *x)
{
	asl_strand *r = x->root;
	if (x->history_full)
		return; /* ExecutionFailed was recorded as event 25,000 */
	if (r->failed) {
		cJSON *d = cJSON_CreateObject();
		if (r->err.error)
			cJSON_AddStringToObject(d, "error", r->err.error);
		if (r->err.cause)
			cJSON_AddStringToObject(d, "cause", r->err.cause);
		event_add(x, r->prev_id, "ExecutionFailed", d);
		x->error = r->err.error ? mem_strdup(r->err.error) : NULL;
		x->cause = r->err.cause ? mem_strdup(r->err.cause) : NULL;
		set_status(x, ENGINE_FAILED);
	} else {
		cJSON *d = cJSON_CreateObject();
		char *t = cj_print(r->output);
		cJSON_AddStringToObject(d, "output", t ? t : "null");
		mem_free(t);
		cJSON *tr = cJSON_CreateObject();
		cJSON_AddFalseToObject(tr, "truncated");
		cJSON_AddItemToObject(d, "outputDetails", tr);
		event_add(x, r->prev_id, "ExecutionSucceeded", d);
		x->output = r->output;
		r->output = NULL;
		set_status(x, ENGINE_SUCCEEDED);
	}
}

engine_exec *engine_exec_new(const engine_def *d, const engine_env *env, const cJSON *input)
{
	engine_exec *x = mem_calloc(1, sizeof *x);
	x->d = d;
	x->env = *env;
	if (!x->env.clock)
		x->env.clock = clk_real();
	x->input = input ? cJSON_Duplicate(input, 1) : cJSON_CreateObject();
	x->history = cJSON_CreateArray();
	x->status = ENGINE_RUNNING;
	pthread_mutex_init(&x->mu, NULL);
	pthread_cond_init(&x->cv, NULL);
	if (env->seed)
		rng_seed(&x->rng, env->seed);
	else
		rng_seed_system(&x->rng);
	return x;
}

static void abort_all(engine_exec *x, const char *type, const char *error, const char *cause, engine_status st)
{
	cancel_tree(x->root);
	cJSON *d = cJSON_CreateObject();
	if (error)
		cJSON_AddStringToObject(d, "error", error);
	if (cause)
		cJSON_AddStringToObject(d, "cause", cause);
	long last;
	pthread_mutex_lock(&x->mu);
	last = x->nevents;
	pthread_mutex_unlock(&x->mu);
	event_add(x, last, type, d);
	x->error = error ? mem_strdup(error) : NULL;
	x->cause = cause ? mem_strdup(cause) : NULL;
	x->root->done = 1;
	set_status(x, st);
}

/* Wake strands whose tokens were answered by another thread. */
static void drain_external(engine_exec *x)
{
	pthread_mutex_lock(&x->mu);
	int pending = x->external_pending;
	x->external_pending = 0;
	pthread_mutex_unlock(&x->mu);
	if (!pending)
		return;
	for (size_t i = 0; i < x->nall; i++) {
		asl_strand *s = x->all[i];
		if (s->block == BLK_TOKEN && s->tok && !s->cancelled) {
			pthread_mutex_lock(&x->mu);
			int o = s->tok->outcome;
			pthread_mutex_unlock(&x->mu);
			if (o)
				wake(s);
		}
	}
}

engine_status engine_exec_run(engine_exec *x)
{
	if (x->running || x->root)
		return x->status;
	x->running = 1;
	x->start_ms = clk_now_ms(x->env.clock);
	clk_fmt_iso(x->start_ms, x->start_iso);
	if (x->d->timeout_seconds)
		x->exec_deadline = x->start_ms + (int64_t)x->d->timeout_seconds * 1000;
	cJSON *d = cJSON_CreateObject();
	char *t = cj_print(x->input);
	cJSON_AddStringToObject(d, "input", t);
	mem_free(t);
	cJSON *tr = cJSON_CreateObject();
	cJSON_AddFalseToObject(tr, "truncated");
	cJSON_AddItemToObject(d, "inputDetails", tr);
	if (x->env.role_arn)
		cJSON_AddStringToObject(d, "roleArn", x->env.role_arn);
	long first = event_add(x, 0, "ExecutionStarted", d);
	x->root = strand_new(x, x->d->top, NULL, 0, cJSON_Duplicate(x->input, 1));
	x->root->prev_id = first;
	rq_push(x, x->root);
	int virt = clk_is_virtual(x->env.clock);
	while (!x->root->done) {
		pthread_mutex_lock(&x->mu);
		int stop = x->stop_requested;
		pthread_mutex_unlock(&x->mu);
		if (stop) {
			abort_all(x, "ExecutionAborted", x->stop_error, x->stop_cause, ENGINE_ABORTED);
			break;
		}
		if (x->history_full) {
			cancel_tree(x->root);
			x->root->done = 1;
			break;
		}
		drain_external(x);
		asl_strand *s = rq_pop(x);
		if (s) {
			if (s->cancelled || s->done)
				continue;
			s->block = BLK_NONE;
			asl_state_step(s);
			while (!s->done && !s->cancelled && s->block == BLK_NONE && !s->queued && s->phase != PH_DONE &&
			       x->rq_len == 0 && !x->history_full)
				asl_state_step(s);
			if (!s->done && !s->cancelled && s->block == BLK_NONE && !s->queued)
				rq_push(x, s);
			continue;
		}
		/* nothing runnable: the next timer (or the execution deadline) */
		int64_t next = x->heap_n ? x->heap[0]->wake_ms : INT64_MAX;
		if (x->exec_deadline && x->exec_deadline < next)
			next = x->exec_deadline;
		if (next == INT64_MAX && virt) {
			/* nothing can ever happen: cannot be reached with deadlines on every wait */
			asl_err e = {0};
			asl_err_set(&e, "States.Runtime", 0, "The execution cannot make progress");
			asl_strand_fail(x->root, &e);
			break;
		}
		if (virt)
			clk_set_ms(x->env.clock, next);
		else {
			pthread_mutex_lock(&x->mu);
			while (!x->external_pending && !x->stop_requested) {
				int64_t now = clk_now_ms(x->env.clock);
				if (next != INT64_MAX && now >= next)
					break;
				if (next == INT64_MAX)
					pthread_cond_wait(&x->cv, &x->mu);
				else {
					struct timespec ts;
					clock_gettime(CLOCK_REALTIME, &ts);
					int64_t ms = next - now;
					ts.tv_sec += ms / 1000;
					ts.tv_nsec += (ms % 1000) * 1000000L;
					if (ts.tv_nsec >= 1000000000L) {
						ts.tv_sec++;
						ts.tv_nsec -= 1000000000L;
					}
					if (pthread_cond_timedwait(&x->cv, &x->mu, &ts) == ETIMEDOUT)
						break;
				}
			}
			pthread_mutex_unlock(&x->mu);
		}
		int64_t now = clk_now_ms(x->env.clock);
		if (x->exec_deadline && now >= x->exec_deadline) {
			abort_all(x, "ExecutionTimedOut", "States.Timeout", NULL, ENGINE_TIMED_OUT);
			break;
		}
		while (x->heap_n && x->heap[0]->wake_ms <= now) {
			asl_strand *w = x->heap[0];
			heap_remove(x, w);
			if (w->cancelled)
				continue;
			w->block = BLK_NONE;
			rq_push(x, w);
		}
	}
	x->running = 0;
	return x->status;
}

engine_status engine_exec_status(const engine_exec *x) { return x->status; }

engine_status engine_exec_status_locked(engine_exec *x)
{
	pthread_mutex_lock(&x->mu);
	engine_status s = x->status;
	pthread_mutex_unlock(&x->mu);
	return s;
}

const char *engine_status_name(engine_status s)
{
	switch (s) {
	case ENGINE_RUNNING: return "RUNNING";
	case ENGINE_SUCCEEDED: return "SUCCEEDED";
	case ENGINE_FAILED: return "FAILED";
	case ENGINE_TIMED_OUT: return "TIMED_OUT";
	case ENGINE_ABORTED: return "ABORTED";
	}
	return "RUNNING";
}

const cJSON *engine_exec_output(const engine_exec *x) { return x->status == ENGINE_SUCCEEDED ? x->output : NULL; }
const char *engine_exec_error(const engine_exec *x) { return x->error; }
const char *engine_exec_cause(const engine_exec *x) { return x->cause; }
const cJSON *engine_exec_history(const engine_exec *x) { return x->history; }

cJSON *engine_exec_history_copy(engine_exec *x)
{
	pthread_mutex_lock(&x->mu);
	cJSON *h = cJSON_Duplicate(x->history, 1);
	pthread_mutex_unlock(&x->mu);
	return h;
}

const cJSON *engine_exec_variables(const engine_exec *x)
{
	if (!x->root)
		return NULL;
	if (!x->root->scope.vars)
		((engine_exec *)x)->root->scope.vars = cJSON_CreateObject();
	return x->root->scope.vars;
}

void engine_exec_free(engine_exec *x)
{
	if (!x)
		return;
	/* the root keeps its variables until here */
	for (size_t i = 0; i < x->nall; i++)
		strand_free(x->all[i]);
	mem_free(x->all);
	while (x->tokens) {
		asl_token *t = x->tokens;
		x->tokens = t->next;
		token_free(t);
	}
	mem_free(x->runq);
	mem_free(x->heap);
	cJSON_Delete(x->mock_counts);
	cJSON_Delete(x->input);
	cJSON_Delete(x->output);
	cJSON_Delete(x->history);
	mem_free(x->error);
	mem_free(x->cause);
	mem_free(x->stop_error);
	mem_free(x->stop_cause);
	pthread_mutex_destroy(&x->mu);
	pthread_cond_destroy(&x->cv);
	mem_free(x);
}
