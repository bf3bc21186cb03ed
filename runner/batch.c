/* batch.c - selection, worker processes over pipes, results back in item order. */
#include "runner/batch.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cj.h"
#include "common/mem.h"
#include "runner/run.h"

void runner_batch_add(runner_batch *b, const runner_scenario *s, const char *file, const char *problems)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->v = mem_realloc(b->v, b->cap * sizeof *b->v);
	}
	b->v[b->n++] = (runner_item){s, file, problems};
}

void runner_batch_free(runner_batch *b)
{
	mem_free(b->v);
	memset(b, 0, sizeof *b);
}

static int matches(const runner_scenario *s, const char *f)
{
	if (!strncmp(f, "tag:", 4))
		return runner_scenario_has_tag(s, f + 4);
	return s->name && strcasestr(s->name, f) != NULL;
}

void runner_batch_filter(runner_batch *b, const char *const *filters, size_t nfilters)
{
	if (!nfilters)
		return;
	size_t k = 0;
	for (size_t i = 0; i < b->n; i++) {
		int keep = !b->v[i].s;
		for (size_t f = 0; f < nfilters && !keep; f++)
			keep = matches(b->v[i].s, filters[f]);
		if (keep)
			b->v[k++] = b->v[i];
	}
	b->n = k;
}

void runner_batch_shard(runner_batch *b, int k, int n)
{
	size_t j = 0;
	for (size_t i = 0; i < b->n; i++)
		if ((int)(i % (size_t)n) == k - 1)
			b->v[j++] = b->v[i];
	b->n = j;
}

/* One item, here. */
static void run_item(runner_ctx *ctx, const runner_item *it, int keep_world, runner_result *r)
{
	if (it->s)
		runner_run(ctx, it->s, r);
	else
		runner_result_file_error(r, it->file, it->problems);
	if (!keep_world) { /* nothing will show it: do not carry it (or send it from a worker) */
		cJSON_Delete(r->world);
		r->world = NULL;
	}
}

/* ======================================================================
 * In order: results are announced once every earlier one is known
 * ====================================================================== */

typedef struct order {
	const runner_batch_opts *o;
	runner_result *results;
	unsigned char *done;
	size_t next;  /* the first result not announced yet */
	size_t n;
	int failed;
} order;

static void order_done(order *q, size_t i)
{
	q->done[i] = 1;
	if (q->results[i].outcome != RUNNER_PASS)
		q->failed = 1;
	while (q->next < q->n && q->done[q->next]) {
		if (q->o->on_result && q->results[q->next].file)
			q->o->on_result(q->o->ctx, &q->results[q->next]);
		q->next++;
	}
}

/* ======================================================================
 * Workers: a task pipe in (item numbers, one per line), a result pipe out
 * (one compact JSON result per line)
 * ====================================================================== */

typedef struct worker {
	pid_t pid;
	int task_fd, result_fd;
	long busy; /* the item it runs, -1 when idle */
	sb in;     /* bytes read, not yet a whole line */
} worker;

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void worker_main(const runner_batch *b, int keep_world, int task_fd, int result_fd)
{
	FILE *in = fdopen(task_fd, "r");
	runner_ctx *ctx = runner_ctx_new();
	char line[64];
	while (in && fgets(line, sizeof line, in)) {
		long i = strtol(line, NULL, 10);
		if (i < 0 || (size_t)i >= b->n)
			break;
		runner_result r = {0};
		run_item(ctx, &b->v[i], keep_world, &r);
		r.index = (int)i;
		cJSON *j = runner_result_json(&r);
		char *t = cJSON_PrintUnformatted(j);
		sb out = SB_INIT;
		sb_cat(&out, t);
		sb_catc(&out, '\n');
		int rc = write_all(result_fd, out.buf, out.len);
		sb_free(&out);
		cJSON_free(t);
		cJSON_Delete(j);
		runner_result_clear(&r);
		if (rc)
			break;
	}
	runner_ctx_free(ctx);
	_exit(0);
}

static void send_task(worker *w, long i)
{
	char line[32];
	int n = snprintf(line, sizeof line, "%ld\n", i);
	w->busy = i;
	if (write_all(w->task_fd, line, (size_t)n)) {
		close(w->task_fd);
		w->task_fd = -1;
	}
}

static void stop_worker(worker *w)
{
	if (w->task_fd >= 0)
		close(w->task_fd);
	w->task_fd = -1;
}

/* A worker that died with an item in hand: that item is an error. */
static void worker_lost(worker *w, const runner_batch *b, order *q)
{
	if (w->busy < 0)
		return;
	int st = 0;
	sb why = SB_INIT;
	if (waitpid(w->pid, &st, 0) == w->pid && WIFSIGNALED(st))
		sb_printf(&why, "the worker process running this scenario was killed by signal %d\n", WTERMSIG(st));
	else
		sb_cat(&why, "the worker process running this scenario exited before answering\n");
	w->pid = -1;
	runner_result *r = &q->results[w->busy];
	runner_result_file_error(r, b->v[w->busy].file, sb_str(&why));
	if (b->v[w->busy].s) {
		mem_free(r->name);
		r->name = mem_strdup(b->v[w->busy].s->name);
	}
	r->index = (int)w->busy;
	sb_free(&why);
	order_done(q, (size_t)w->busy);
	w->busy = -1;
}

/* Whole lines read from w become results. */
static void worker_read(worker *w, const runner_batch *b, order *q)
{
	char buf[65536];
	ssize_t n = read(w->result_fd, buf, sizeof buf);
	if (n <= 0) {
		if (n < 0 && errno == EINTR)
			return;
		close(w->result_fd);
		w->result_fd = -1;
		worker_lost(w, b, q);
		return;
	}
	sb_catn(&w->in, buf, (size_t)n);
	char *nl;
	while (w->in.len && (nl = memchr(w->in.buf, '\n', w->in.len))) {
		size_t len = (size_t)(nl - w->in.buf);
		cJSON *j = cj_parse(w->in.buf, len, NULL);
		runner_result r;
		if (j && runner_result_from_json(j, &r) == 0 && r.index >= 0 && (size_t)r.index < b->n &&
		    r.index == w->busy) {
			runner_result_clear(&q->results[r.index]);
			q->results[r.index] = r;
			w->busy = -1;
			order_done(q, (size_t)r.index);
		} else if (j) {
			runner_result_clear(&r);
		}
		cJSON_Delete(j);
		memmove(w->in.buf, nl + 1, w->in.len - len - 1);
		w->in.len -= len + 1;
		w->in.buf[w->in.len] = '\0';
	}
}

static size_t run_parallel(const runner_batch *b, const runner_batch_opts *o, order *q)
{
	int nw = o->jobs < (int)b->n ? o->jobs : (int)b->n;
	worker *ws = mem_calloc((size_t)nw, sizeof *ws);
	fflush(stdout);
	fflush(stderr);
	/* a worker that exits early must not kill the parent with SIGPIPE */
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	sigaction(SIGPIPE, &ign, &old);
	for (int i = 0; i < nw; i++) {
		int tp[2], rp[2];
		if (pipe(tp) || pipe(rp)) {
			perror("stepbench: pipe");
			exit(2);
		}
		pid_t pid = fork();
		if (pid < 0) {
			perror("stepbench: fork");
			exit(2);
		}
		if (pid == 0) {
			close(tp[1]);
			close(rp[0]);
			for (int k = 0; k < i; k++) { /* the other workers' pipes */
				if (ws[k].task_fd >= 0)
					close(ws[k].task_fd);
				if (ws[k].result_fd >= 0)
					close(ws[k].result_fd);
			}
			worker_main(b, o->keep_world, tp[0], rp[1]);
		}
		close(tp[0]);
		close(rp[1]);
		ws[i] = (worker){pid, tp[1], rp[0], -1, SB_INIT};
	}
	size_t next = 0, produced = 0;
	for (int i = 0; i < nw && next < b->n; i++)
		send_task(&ws[i], (long)next++);
	struct pollfd *pf = mem_calloc((size_t)nw, sizeof *pf);
	for (;;) {
		int live = 0;
		for (int i = 0; i < nw; i++) {
			pf[i].fd = ws[i].result_fd;
			pf[i].events = POLLIN;
			pf[i].revents = 0;
			live += ws[i].result_fd >= 0 && ws[i].busy >= 0;
		}
		if (!live)
			break;
		if (poll(pf, (nfds_t)nw, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < nw; i++) {
			if (!(pf[i].revents & (POLLIN | POLLHUP | POLLERR)) || ws[i].result_fd < 0)
				continue;
			worker_read(&ws[i], b, q);
			if (ws[i].busy >= 0)
				continue;
			if (next < b->n && !(o->fail_fast && q->failed) && ws[i].task_fd >= 0)
				send_task(&ws[i], (long)next++);
			else
				stop_worker(&ws[i]);
		}
	}
	for (int i = 0; i < nw; i++) {
		stop_worker(&ws[i]);
		if (ws[i].result_fd >= 0)
			close(ws[i].result_fd);
		if (ws[i].pid > 0)
			waitpid(ws[i].pid, NULL, 0);
		sb_free(&ws[i].in);
	}
	for (size_t i = 0; i < b->n; i++)
		produced += q->results[i].file != NULL;
	sigaction(SIGPIPE, &old, NULL);
	mem_free(pf);
	mem_free(ws);
	return produced;
}

size_t runner_batch_run(const runner_batch *b, const runner_batch_opts *o, runner_result *results)
{
	order q = {o, results, mem_calloc(b->n + 1, 1), 0, b->n, 0};
	size_t produced = 0;
	if (o->jobs > 1 && !o->record && b->n > 1) {
		produced = run_parallel(b, o, &q);
		/* after --fail-fast, results past a scenario that never ran */
		for (size_t i = q.next; i < b->n; i++)
			if (q.done[i] && o->on_result && results[i].file)
				o->on_result(o->ctx, &results[i]);
	} else {
		runner_ctx *ctx = runner_ctx_new();
		runner_ctx_set_record(ctx, o->record);
		for (size_t i = 0; i < b->n && !(o->fail_fast && q.failed); i++) {
			run_item(ctx, &b->v[i], o->keep_world, &results[i]);
			results[i].index = (int)i;
			produced++;
			order_done(&q, i);
		}
		runner_ctx_free(ctx);
	}
	mem_free(q.done);
	return produced;
}
