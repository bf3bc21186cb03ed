/* server.c - civetweb front door (the only file that includes civetweb.h). */
#include "mocks/server/server.h"

#include <civetweb.h>
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <time.h>
#include <ucontext.h>

#include "common/cj.h"
#include "common/log.h"
#include "common/mem.h"
#include "common/version.h"

/* ======================================================================
 * Big stacks
 *
 * civetweb's worker threads are built with small stacks (about 100 KB in
 * Debian's package), too small for what a request may do: parse deeply
 * nested JSON, evaluate JSONata, run an execution. So every request runs on
 * a 16 MB stack of its worker thread's own (mapped on its first request,
 * unmapped when the worker ends), switched to with swapcontext. This used to
 * be a companion thread per worker; handing each request to it and back
 * cost two futex wake-ups and two context switches, most of a GetItem's
 * time on a 2-core machine. Same thread, so thread-local state is the
 * worker's. Under ASan the switches are announced as fiber switches.
 * ====================================================================== */

#define SRV_STACK_SIZE ((size_t)16 << 20)
#define SRV_GUARD_SIZE ((size_t)64 << 10)
/* bodies up to this size go out in the same write as the headers */
#define SRV_ONE_WRITE_MAX ((size_t)256 << 10)

#if defined(__SANITIZE_ADDRESS__)
#define SRV_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SRV_ASAN 1
#endif
#endif
#ifndef SRV_ASAN
#define SRV_ASAN 0
#endif
#if SRV_ASAN
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old, size_t *size_old);
#endif

typedef struct bigstack {
	char *map;  /* guard + stack */
	char *base; /* lowest usable address */
	ucontext_t caller, callee;
	void (*fn)(void *);
	void *arg;
	const void *caller_bottom; /* ASan: the worker's own stack */
	size_t caller_size;
} bigstack;

static pthread_key_t bigstack_key;
static pthread_once_t bigstack_once = PTHREAD_ONCE_INIT;
static _Thread_local bigstack *tl_bigstack;

/* Runs when a worker thread ends. */
static void bigstack_end(void *p)
{
	bigstack *b = p;
	munmap(b->map, SRV_GUARD_SIZE + SRV_STACK_SIZE);
	mem_free(b);
}

static void bigstack_key_init(void) { pthread_key_create(&bigstack_key, bigstack_end); }

static bigstack *bigstack_get(void)
{
	if (tl_bigstack)
		return tl_bigstack;
	pthread_once(&bigstack_once, bigstack_key_init);
	void *m = mmap(NULL, SRV_GUARD_SIZE + SRV_STACK_SIZE, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	if (mprotect(m, SRV_GUARD_SIZE, PROT_NONE)) { /* overflow faults instead of writing the heap */
		munmap(m, SRV_GUARD_SIZE + SRV_STACK_SIZE);
		return NULL;
	}
	bigstack *b = mem_calloc(1, sizeof *b);
	b->map = m;
	b->base = b->map + SRV_GUARD_SIZE;
	if (getcontext(&b->callee)) {
		bigstack_end(b);
		return NULL;
	}
	pthread_setspecific(bigstack_key, b);
	tl_bigstack = b;
	return b;
}

static void bigstack_entry(void)
{
	bigstack *b = tl_bigstack;
#if SRV_ASAN
	__sanitizer_finish_switch_fiber(NULL, &b->caller_bottom, &b->caller_size);
#endif
	b->fn(b->arg);
#if SRV_ASAN
	__sanitizer_start_switch_fiber(NULL, b->caller_bottom, b->caller_size);
#endif
	/* returning resumes b->caller (uc_link) */
}

/* fn(arg) on a large stack; on the caller's own when none can be mapped. */
static void run_on_big_stack(void (*fn)(void *), void *arg)
{
	bigstack *b = bigstack_get();
	if (!b) {
		fn(arg);
		return;
	}
	b->fn = fn;
	b->arg = arg;
	b->callee.uc_stack.ss_sp = b->base;
	b->callee.uc_stack.ss_size = SRV_STACK_SIZE;
	b->callee.uc_link = &b->caller;
	makecontext(&b->callee, bigstack_entry, 0);
#if SRV_ASAN
	void *fake = NULL;
	__sanitizer_start_switch_fiber(&fake, b->base, SRV_STACK_SIZE);
#endif
	if (swapcontext(&b->caller, &b->callee))
		fn(arg);
#if SRV_ASAN
	__sanitizer_finish_switch_fiber(fake, NULL, NULL);
#endif
}

struct srv {
	struct mg_context *ctx;
	mock_world *w;
	size_t max_body;
	int port;
};

/* ======================================================================
 * Helpers
 * ====================================================================== */

int srv_scope_from_auth(const char *auth, char region[32], char service[32])
{
	const char *c = auth ? strstr(auth, "Credential=") : NULL;
	if (!c)
		return -1;
	c += strlen("Credential=");
	/* AKID/date/region/service/aws4_request */
	const char *parts[5];
	int n = 0;
	parts[n++] = c;
	for (const char *p = c; *p && *p != ',' && *p != ' ' && n < 5; p++)
		if (*p == '/')
			parts[n++] = p + 1;
	if (n < 5)
		return -1;
	size_t rl = (size_t)(parts[3] - parts[2] - 1), sl = (size_t)(parts[4] - parts[3] - 1);
	if (rl == 0 || rl >= 32 || sl >= 32)
		return -1;
	for (size_t i = 0; i < rl; i++) /* regions are [a-z0-9-]: anything else is not one */
		if (!(islower((unsigned char)parts[2][i]) || isdigit((unsigned char)parts[2][i]) || parts[2][i] == '-'))
			return -1;
	memcpy(region, parts[2], rl);
	region[rl] = '\0';
	if (service) {
		memcpy(service, parts[3], sl);
		service[sl] = '\0';
	}
	return 0;
}

static const char *conn_header(const mock_http *h, const char *name)
{
	return mg_get_header((const struct mg_connection *)h->conn, name);
}

/* 1 when the header lines in h (our own "Name: value\r\n" lines) include
 * name at the start of a line, case-insensitively. */
static int has_header_line(const sb *h, const char *name)
{
	size_t nl = strlen(name);
	for (const char *p = h->buf; p && *p;) {
		if (!strncasecmp(p, name, nl) && p[nl] == ':')
			return 1;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

/* The Date header as civetweb writes it, formatted once a second per thread. */
static const char *date_now(void)
{
	static _Thread_local time_t last = -1;
	static _Thread_local char buf[64];
	time_t t = time(NULL);
	if (t != last) {
		struct tm tm;
		if (gmtime_r(&t, &tm))
			strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
		else
			snprintf(buf, sizeof buf, "Thu, 01 Jan 1970 00:00:00 GMT");
		last = t;
	}
	return buf;
}

/*
 * Writes the answer. civetweb's header API (mg_response_header_send) sends
 * every header line with its own send(): nine TCP segments per answer with
 * tcp_nodelay, each one a wake-up of the client. So the common case is
 * written here in one mg_write, byte for byte what the header API would
 * have sent: status line, Content-Type, Content-Length, our header lines,
 * Date, and the Connection header civetweb would suggest. That suggestion is
 * only known here for an HTTP/1.1 request without a Connection header
 * (keep-alive); anything else, or header lines of our own naming Date or
 * Connection (a 413's "Connection: close"), goes through the header API.
 */
static void send_answer(struct mg_connection *c, const char *method, mock_http_out *out)
{
	char len[32];
	int status = out->status ? out->status : 200;
	const char *type = out->content_type ? out->content_type : "application/json";
	int body = out->body.len && strcmp(method, "HEAD");
	snprintf(len, sizeof len, "%zu", out->body.len);
	const struct mg_request_info *ri = mg_get_request_info(c);
	if (ri && ri->http_version && !strcmp(ri->http_version, "1.1") && !mg_get_header(c, "Connection") &&
	    !has_header_line(&out->headers, "Date") && !has_header_line(&out->headers, "Connection")) {
		sb a = SB_INIT;
		sb_printf(&a, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %s\r\n", status,
		          mg_get_response_code_text(c, status), type, len);
		if (out->headers.len)
			sb_catn(&a, out->headers.buf, out->headers.len);
		sb_printf(&a, "Date: %s\r\nConnection: keep-alive\r\n\r\n", date_now());
		if (body && out->body.len <= SRV_ONE_WRITE_MAX) {
			sb_catn(&a, out->body.buf, out->body.len);
			body = 0;
		}
		mg_write(c, a.buf, a.len);
		sb_free(&a);
		if (body)
			mg_write(c, out->body.buf, out->body.len);
		return;
	}
	mg_response_header_start(c, status);
	mg_response_header_add(c, "Content-Type", type, -1);
	mg_response_header_add(c, "Content-Length", len, -1);
	if (out->headers.len)
		mg_response_header_add_lines(c, sb_str(&out->headers));
	mg_response_header_send(c);
	if (body)
		mg_write(c, out->body.buf, out->body.len);
}

/* Reads the whole body; -1 when it exceeds max (the rest is not read). */
static int read_body(struct mg_connection *c, size_t max, sb *body)
{
	char buf[16384];
	for (;;) {
		int n = mg_read(c, buf, sizeof buf);
		if (n <= 0)
			return 0;
		if (body->len + (size_t)n > max)
			return -1;
		sb_catn(body, buf, (size_t)n);
	}
}

/* ======================================================================
 * The bench's own endpoints: /_stepbench/...
 * ====================================================================== */

static void json_answer(mock_http_out *out, int status, cJSON *body)
{
	out->status = status;
	out->content_type = "application/json";
	cj_print_sb(body, &out->body);
	cJSON_Delete(body);
}

static void bench_error(mock_http_out *out, int status, const char *type, const char *msg)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "__type", type);
	cJSON_AddStringToObject(o, "message", msg);
	json_answer(out, status, o);
}

/* POST /_stepbench/faults {"service","operation","count"?,"error","message"?}
 * GET lists them, DELETE clears them. */
static void bench_faults(mock_world *w, const mock_http *in, mock_http_out *out)
{
	if (!strcmp(in->method, "GET")) {
		json_answer(out, 200, mock_faults_json(w));
		return;
	}
	if (!strcmp(in->method, "DELETE")) {
		mock_faults_clear(w);
		json_answer(out, 200, cJSON_CreateObject());
		return;
	}
	if (strcmp(in->method, "POST")) {
		bench_error(out, 405, "MethodNotAllowed", "use GET, POST or DELETE");
		return;
	}
	cJSON *b = cj_parse(in->body, in->body_len, NULL);
	const char *svc = cj_str(b, "service"), *op = cj_str(b, "operation"), *type = cj_str(b, "error");
	cJSON *count = cJSON_GetObjectItemCaseSensitive(b, "count");
	if (!cJSON_IsObject(b) || !svc || !op || !type || (count && !cJSON_IsNumber(count))) {
		bench_error(out, 400, "ValidationException",
		            "expected {\"service\": string, \"operation\": string, \"error\": string, "
		            "\"count\"?: number (default 1, -1 = always), \"message\"?: string}");
	} else if (!mock_service_find(svc)) {
		bench_error(out, 400, "ValidationException", "unknown service (dynamodb, sqs, lambda, states)");
	} else {
		mock_fault_add(w, svc, op, count ? (int)count->valuedouble : 1, type, cj_str(b, "message"));
		json_answer(out, 200, mock_faults_json(w));
	}
	cJSON_Delete(b);
}

static int bench_endpoint(mock_world *w, const mock_http *in, mock_http_out *out)
{
	const char *p = in->path + strlen("/_stepbench");
	if (!strcmp(p, "/health")) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "status", "ok");
		cJSON_AddStringToObject(o, "version", STEPBENCH_VERSION);
		cJSON *s = cJSON_AddArrayToObject(o, "services");
		for (const mock_service *const *sv = mock_services; *sv; sv++)
			cJSON_AddItemToArray(s, cJSON_CreateString((*sv)->name));
		cJSON_AddStringToObject(o, "account", w->account);
		cJSON_AddStringToObject(o, "region", w->region);
		json_answer(out, 200, o);
		return 1;
	}
	if (!strcmp(p, "/faults")) {
		bench_faults(w, in, out);
		return 1;
	}
	return 0;
}

/* ======================================================================
 * Routing
 * ====================================================================== */

static void route(srv *s, mock_http *in, mock_http_out *out)
{
	mock_world *w = s->w;
	if (!strncmp(in->path, "/_stepbench/", 12)) {
		if (bench_endpoint(w, in, out))
			return;
		for (const mock_service *const *sv = mock_services; *sv; sv++)
			if ((*sv)->http && (*sv)->http(w, in, out))
				return;
		bench_error(out, 404, "NotFound", "no such stepbench endpoint");
		return;
	}
	const char *target = in->header(in, "X-Amz-Target");
	if (target) {
		const char *op = NULL;
		const mock_service *svc = mock_service_by_target(target, &op);
		if (!svc) {
			proto_json_error_raw(NULL, "UnknownOperationException", 400,
			                     "The X-Amz-Target header names no service this endpoint hosts", out);
			return;
		}
		proto_json_answer(w, svc, op, in, out);
		return;
	}
	for (const mock_service *const *sv = mock_services; *sv; sv++)
		if ((*sv)->http && (*sv)->http(w, in, out))
			return;
	bench_error(out, 404, "UnknownOperationException",
	            "stepbench could not tell which service this request is for "
	            "(no X-Amz-Target header and no service route matches)");
}

typedef struct routed {
	srv *s;
	mock_http *in;
	mock_http_out *out;
} routed;

static void route_job(void *p)
{
	routed *r = p;
	route(r->s, r->in, r->out);
}

static int on_request(struct mg_connection *c)
{
	srv *s = mg_get_user_data(mg_get_context(c));
	const struct mg_request_info *ri = mg_get_request_info(c);
	mock_http in = {0};
	mock_http_out out = {0, NULL, SB_INIT, SB_INIT};
	sb body = SB_INIT;
	in.method = ri->request_method;
	in.path = ri->local_uri ? ri->local_uri : ri->request_uri;
	in.query = ri->query_string;
	in.header = conn_header;
	in.conn = c;
	in.host = mg_get_header(c, "Host");
	char region[32];
	if (srv_scope_from_auth(mg_get_header(c, "Authorization"), region, NULL))
		snprintf(region, sizeof region, "%s", s->w->region);
	in.region = region;
	if (read_body(c, s->max_body, &body)) {
		bench_error(&out, 413, "RequestEntityTooLarge", "the request body is larger than this server accepts");
		sb_printf(&out.headers, "Connection: close\r\n");
	} else {
		in.body = body.buf ? body.buf : "";
		in.body_len = body.len;
		routed r = {s, &in, &out};
		run_on_big_stack(route_job, &r);
	}
	send_answer(c, in.method, &out);
	int status = out.status;
	sb_free(&body);
	sb_free(&out.body);
	sb_free(&out.headers);
	return status ? status : 200;
}

static int on_log(const struct mg_connection *c, const char *msg)
{
	(void)c;
	log_debug("civetweb: %s", msg);
	return 1;
}

/* ======================================================================
 * Start and stop
 * ====================================================================== */

srv *srv_start(mock_world *w, const srv_opts *o, sb *err)
{
	static int lib_ready;
	if (!lib_ready) {
		mg_init_library(0);
		lib_ready = 1;
	}
	srv_opts dflt = {0};
	if (!o)
		o = &dflt;
	srv *s = mem_calloc(1, sizeof *s);
	s->w = w;
	s->max_body = o->max_body ? o->max_body : (size_t)72 << 20;
	char ports[128], threads[16];
	snprintf(ports, sizeof ports, "%s:%d", o->host ? o->host : "127.0.0.1", o->port);
	snprintf(threads, sizeof threads, "%d", o->threads > 0 ? o->threads : 128);
	const char *opts[] = {
		"listening_ports", ports,
		"num_threads", threads,
		"enable_keep_alive", "yes",
		"keep_alive_timeout_ms", "60000",
		/* long polls (SQS WaitTimeSeconds up to 20 s) and synchronous
		 * executions must not be cut off */
		"request_timeout_ms", "600000",
		"listen_backlog", "1024",
		/* headers and body go out in separate writes: without this, Nagle's
		 * algorithm and the client's delayed ACK add ~40 ms per request */
		"tcp_nodelay", "1",
		NULL,
	};
	struct mg_callbacks cb;
	memset(&cb, 0, sizeof cb);
	cb.begin_request = on_request;
	cb.log_message = on_log;
	s->ctx = mg_start(&cb, s, opts);
	if (!s->ctx) {
		sb_printf(err, "cannot listen on %s (in use, or not an address of this machine?)", ports);
		mem_free(s);
		return NULL;
	}
	struct mg_server_port sp[4];
	int n = mg_get_server_ports(s->ctx, 4, sp);
	s->port = n > 0 ? sp[0].port : o->port;
	return s;
}

int srv_port(const srv *s) { return s->port; }

void srv_stop(srv *s)
{
	if (!s)
		return;
	mg_stop(s->ctx);
	mem_free(s);
}
