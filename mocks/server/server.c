/* server.c - civetweb front door (the only file that includes civetweb.h). */
#include "mocks/server/server.h"

#include <civetweb.h>
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/cj.h"
#include "common/log.h"
#include "common/mem.h"
#include "common/version.h"

/* ======================================================================
 * Big stacks
 *
 * civetweb's worker threads are built with small stacks (about 100 KB in
 * Debian's package), too small for what a request may do: parse deeply
 * nested JSON, evaluate JSONata, run an execution. So each worker thread
 * gets a companion thread with a large stack, created on its first request,
 * and hands every request to it; the worker only reads and writes the
 * socket. Thread-local state everywhere else stays per request thread.
 * ====================================================================== */

#define SRV_STACK_SIZE ((size_t)16 << 20)

typedef struct companion {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	void (*fn)(void *);
	void *arg;
	int state; /* 0 idle, 1 work posted, 2 work done, 3 quit */
} companion;

static pthread_key_t companion_key;
static pthread_once_t companion_once = PTHREAD_ONCE_INIT;

static void *companion_main(void *p)
{
	companion *c = p;
	pthread_mutex_lock(&c->mu);
	for (;;) {
		while (c->state != 1 && c->state != 3)
			pthread_cond_wait(&c->cv, &c->mu);
		if (c->state == 3)
			break;
		pthread_mutex_unlock(&c->mu);
		c->fn(c->arg);
		pthread_mutex_lock(&c->mu);
		c->state = 2;
		pthread_cond_broadcast(&c->cv);
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

/* Runs when a worker thread ends: stop and reap its companion. */
static void companion_end(void *p)
{
	companion *c = p;
	pthread_mutex_lock(&c->mu);
	c->state = 3;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->th, NULL);
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	mem_free(c);
}

static void companion_key_init(void) { pthread_key_create(&companion_key, companion_end); }

static companion *companion_get(void)
{
	pthread_once(&companion_once, companion_key_init);
	companion *c = pthread_getspecific(companion_key);
	if (c)
		return c;
	c = mem_calloc(1, sizeof *c);
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, SRV_STACK_SIZE);
	int rc = pthread_create(&c->th, &at, companion_main, c);
	pthread_attr_destroy(&at);
	if (rc) {
		pthread_cond_destroy(&c->cv);
		pthread_mutex_destroy(&c->mu);
		mem_free(c);
		return NULL;
	}
	pthread_setspecific(companion_key, c);
	return c;
}

/* fn(arg) on a large stack; on the caller's own when no thread can be made. */
static void run_on_big_stack(void (*fn)(void *), void *arg)
{
	companion *c = companion_get();
	if (!c) {
		fn(arg);
		return;
	}
	pthread_mutex_lock(&c->mu);
	c->fn = fn;
	c->arg = arg;
	c->state = 1;
	pthread_cond_broadcast(&c->cv);
	while (c->state != 2)
		pthread_cond_wait(&c->cv, &c->mu);
	c->state = 0;
	pthread_mutex_unlock(&c->mu);
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

static const char *status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	default: return "";
	}
}

static void send_answer(struct mg_connection *c, const char *method, mock_http_out *out)
{
	char len[32];
	snprintf(len, sizeof len, "%zu", out->body.len);
	mg_response_header_start(c, out->status ? out->status : 200);
	mg_response_header_add(c, "Content-Type", out->content_type ? out->content_type : "application/json", -1);
	mg_response_header_add(c, "Content-Length", len, -1);
	if (out->headers.len)
		mg_response_header_add_lines(c, sb_str(&out->headers));
	mg_response_header_send(c);
	if (out->body.len && strcmp(method, "HEAD"))
		mg_write(c, out->body.buf, out->body.len);
	(void)status_text;
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
