/* transport_http.c - the engine's transport over HTTP/1.1 and POSIX sockets, SigV4-signed. */
#include "engine/transport_http.h"

#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common/cj.h"
#include "common/hash.h"
#include "common/mem.h"

#define MAX_RESPONSE (64u << 20)

typedef struct http_tp {
	transport t;
	char *host; /* "127.0.0.1" */
	char *port; /* "4566" */
	char *hostport;
	char *region;
} http_tp;

/* ======================================================================
 * Requests and responses
 * ====================================================================== */

typedef struct http_req {
	const char *method;
	sb path;  /* URI path, already percent-encoded */
	sb query; /* canonical query string (sorted, encoded) */
	const char *content_type;
	const char *target; /* X-Amz-Target or NULL */
	cJSON *extra;       /* {name: value} further headers (lowercase names) */
	const char *body;
	size_t body_len;
	const char *service; /* SigV4 service name */
	const char *region;
} http_req;

typedef struct http_resp {
	int status;
	cJSON *headers; /* {Name: value} as received */
	sb body;
} http_resp;

static void uri_encode(const char *s, int keep_slash, sb *out)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~' || (keep_slash && *p == '/'))
			sb_catc(out, (char)*p);
		else
			sb_printf(out, "%%%02X", *p);
	}
}

static void hexsha(const void *p, size_t n, char out[65])
{
	unsigned char d[32];
	hash_sha256(p, n, d);
	hash_hex_buf(d, 32, out);
}

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);
	return v && *v ? v : dflt;
}

/* Authorization (SigV4) and the signed headers, appended to hdr. */
static void sign(const http_req *rq, const char *hostport, sb *hdr)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	char amzdate[32], date[16];
	strftime(amzdate, sizeof amzdate, "%Y%m%dT%H%M%SZ", &tm);
	strftime(date, sizeof date, "%Y%m%d", &tm);
	const char *akid = env_or("AWS_ACCESS_KEY_ID", "test");
	const char *secret = env_or("AWS_SECRET_ACCESS_KEY", "test");
	const char *token = getenv("AWS_SESSION_TOKEN");
	char payload_hash[65];
	hexsha(rq->body ? rq->body : "", rq->body_len, payload_hash);
	/* canonical headers: content-type, host, x-amz-date, x-amz-target (sorted) */
	sb ch = SB_INIT, signed_h = SB_INIT;
	if (rq->content_type) {
		sb_printf(&ch, "content-type:%s\n", rq->content_type);
		sb_cat(&signed_h, "content-type;");
	}
	sb_printf(&ch, "host:%s\n", hostport);
	sb_cat(&signed_h, "host;");
	sb_printf(&ch, "x-amz-date:%s\n", amzdate);
	sb_cat(&signed_h, "x-amz-date");
	if (token) {
		sb_printf(&ch, "x-amz-security-token:%s\n", token);
		sb_cat(&signed_h, ";x-amz-security-token");
	}
	if (rq->target) {
		sb_printf(&ch, "x-amz-target:%s\n", rq->target);
		sb_cat(&signed_h, ";x-amz-target");
	}
	sb canon = SB_INIT;
	sb_printf(&canon, "%s\n%s\n%s\n%s\n%s\n%s", rq->method, rq->path.len ? sb_str(&rq->path) : "/",
	          sb_str(&rq->query), sb_str(&ch), sb_str(&signed_h), payload_hash);
	char canon_hash[65];
	hexsha(canon.buf, canon.len, canon_hash);
	sb sts = SB_INIT;
	sb_printf(&sts, "AWS4-HMAC-SHA256\n%s\n%s/%s/%s/aws4_request\n%s", amzdate, date, rq->region, rq->service,
	          canon_hash);
	unsigned char k[32], k2[32];
	sb key = SB_INIT;
	sb_printf(&key, "AWS4%s", secret);
	hash_hmac_sha256(key.buf, key.len, date, strlen(date), k);
	hash_hmac_sha256(k, 32, rq->region, strlen(rq->region), k2);
	hash_hmac_sha256(k2, 32, rq->service, strlen(rq->service), k);
	hash_hmac_sha256(k, 32, "aws4_request", 12, k2);
	unsigned char sig[32];
	hash_hmac_sha256(k2, 32, sts.buf, sts.len, sig);
	char sighex[65];
	hash_hex_buf(sig, 32, sighex);
	sb_printf(hdr, "X-Amz-Date: %s\r\n", amzdate);
	if (token)
		sb_printf(hdr, "X-Amz-Security-Token: %s\r\n", token);
	sb_printf(hdr, "Authorization: AWS4-HMAC-SHA256 Credential=%s/%s/%s/%s/aws4_request, SignedHeaders=%s, "
	               "Signature=%s\r\n",
	          akid, date, rq->region, rq->service, sb_str(&signed_h), sighex);
	sb_free(&ch);
	sb_free(&signed_h);
	sb_free(&canon);
	sb_free(&sts);
	sb_free(&key);
}

static int dial(const http_tp *h, sb *err)
{
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	int rc = getaddrinfo(h->host, h->port, &hints, &res);
	if (rc) {
		sb_printf(err, "Unable to execute HTTP request: %s: %s", h->host, gai_strerror(rc));
		return -1;
	}
	int fd = -1, last = 0;
	for (struct addrinfo *a = res; a; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
		if (fd < 0)
			continue;
		struct timeval tv = {900, 0}; /* a Lambda may run for 15 minutes */
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
			break;
		last = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		sb_printf(err, "Unable to execute HTTP request: Connect to %s:%s failed: %s", h->host, h->port,
		          strerror(last ? last : ECONNREFUSED));
	return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Read the whole response (the request asked for Connection: close). */
static int read_response(int fd, http_resp *out, sb *err)
{
	sb raw = SB_INIT;
	char buf[65536];
	for (;;) {
		ssize_t r = recv(fd, buf, sizeof buf, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			sb_printf(err, "Unable to execute HTTP request: %s", strerror(errno));
			sb_free(&raw);
			return -1;
		}
		if (r == 0)
			break;
		if (raw.len + (size_t)r > MAX_RESPONSE) {
			sb_cat(err, "Unable to execute HTTP request: the response is too large");
			sb_free(&raw);
			return -1;
		}
		sb_catn(&raw, buf, (size_t)r);
	}
	const char *s = sb_str(&raw);
	const char *eoh = strstr(s, "\r\n\r\n");
	int status = 0;
	if (!eoh || sscanf(s, "HTTP/%*d.%*d %d", &status) != 1) {
		sb_cat(err, "Unable to execute HTTP request: the endpoint did not answer HTTP");
		sb_free(&raw);
		return -1;
	}
	out->status = status;
	out->headers = cJSON_CreateObject();
	int chunked = 0;
	long clen = -1;
	const char *line = strstr(s, "\r\n") + 2;
	while (line < eoh) {
		const char *end = strstr(line, "\r\n");
		const char *colon = memchr(line, ':', (size_t)(end - line));
		if (colon) {
			char *name = mem_strndup(line, (size_t)(colon - line));
			const char *v = colon + 1;
			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			char *val = mem_strndup(v, (size_t)(end - v));
			if (!strcasecmp(name, "Transfer-Encoding") && strstr(val, "chunked"))
				chunked = 1;
			if (!strcasecmp(name, "Content-Length"))
				clen = strtol(val, NULL, 10);
			cJSON_AddStringToObject(out->headers, name, val);
			mem_free(name);
			mem_free(val);
		}
		line = end + 2;
	}
	const char *body = eoh + 4;
	size_t avail = raw.len - (size_t)(body - s);
	if (chunked) {
		const char *p = body, *lim = body + avail;
		while (p < lim) {
			char *e;
			unsigned long n = strtoul(p, &e, 16);
			const char *data = strstr(e, "\r\n");
			if (!data || n == 0)
				break;
			data += 2;
			if ((size_t)(lim - data) < n)
				n = (unsigned long)(lim - data);
			sb_catn(&out->body, data, n);
			p = data + n + 2;
		}
	} else {
		if (clen >= 0 && (size_t)clen < avail)
			avail = (size_t)clen;
		sb_catn(&out->body, body, avail);
	}
	sb_free(&raw);
	return 0;
}

static int do_http(const http_tp *h, http_req *rq, http_resp *out, sb *err)
{
	int fd = dial(h, err);
	if (fd < 0)
		return -1;
	sb msg = SB_INIT;
	sb_printf(&msg, "%s %s%s%s HTTP/1.1\r\nHost: %s\r\n", rq->method, rq->path.len ? sb_str(&rq->path) : "/",
	          rq->query.len ? "?" : "", sb_str(&rq->query), h->hostport);
	if (rq->content_type)
		sb_printf(&msg, "Content-Type: %s\r\n", rq->content_type);
	if (rq->target)
		sb_printf(&msg, "X-Amz-Target: %s\r\n", rq->target);
	for (const cJSON *x = rq->extra ? rq->extra->child : NULL; x; x = x->next)
		sb_printf(&msg, "%s: %s\r\n", x->string, x->valuestring);
	sign(rq, h->hostport, &msg);
	sb_printf(&msg, "Content-Length: %zu\r\nConnection: close\r\nUser-Agent: stepbench-engine\r\n\r\n", rq->body_len);
	if (rq->body_len)
		sb_catn(&msg, rq->body, rq->body_len);
	int rc = send_all(fd, msg.buf, msg.len);
	sb_free(&msg);
	if (rc) {
		sb_printf(err, "Unable to execute HTTP request: %s", strerror(errno));
		close(fd);
		return -1;
	}
	rc = read_response(fd, out, err);
	close(fd);
	return rc;
}

/* ======================================================================
 * Protocols
 * ====================================================================== */

static const char *header(const cJSON *h, const char *name)
{
	for (const cJSON *x = h ? h->child : NULL; x; x = x->next)
		if (!strcasecmp(x->string, name))
			return x->valuestring;
	return NULL;
}

static void fill_error(http_resp *hr, transport_result *res)
{
	cJSON *b = hr->body.len ? cJSON_ParseWithLength(hr->body.buf, hr->body.len) : NULL;
	const char *type = header(res->headers ? res->headers : hr->headers, "x-amzn-ErrorType");
	if (!type && b)
		type = cj_str(b, "__type");
	if (!type && b)
		type = cj_str(b, "Type");
	char *t = type ? mem_strdup(type) : mem_strdup("UnknownError");
	char *hash = strrchr(t, '#');
	if (hash)
		memmove(t, hash + 1, strlen(hash + 1) + 1);
	char *colon = strchr(t, ':'); /* "ResourceNotFoundException:http://..." */
	if (colon)
		*colon = 0;
	res->err_type = t;
	const char *m = b ? cj_str(b, "message") : NULL;
	if (!m && b)
		m = cj_str(b, "Message");
	res->err_message = mem_strdup(m ? m : "");
	if (b && cJSON_GetArraySize(b) > 2)
		res->err_body = b;
	else
		cJSON_Delete(b);
}

static void take_headers(http_resp *hr, transport_result *res)
{
	const char *rid = header(hr->headers, "x-amzn-RequestId");
	if (!rid)
		rid = header(hr->headers, "x-amz-request-id");
	res->request_id = mem_strdup(rid ? rid : "");
	res->headers = hr->headers;
	hr->headers = NULL;
	res->status = hr->status;
}

static int json10_call(http_tp *h, const char *service, const char *target_prefix, const char *sigv4, const char *op,
                       const char *region, const cJSON *in, transport_result *res)
{
	http_req rq = {0};
	rq.method = "POST";
	sb_cat(&rq.path, "/");
	rq.content_type = "application/x-amz-json-1.0";
	char target[160];
	snprintf(target, sizeof target, "%s.%s", target_prefix, op);
	rq.target = target;
	char *body = in ? cj_print(in) : mem_strdup("{}");
	rq.body = body;
	rq.body_len = strlen(body);
	rq.service = sigv4;
	rq.region = region;
	http_resp hr = {0};
	sb err = SB_INIT;
	int rc = do_http(h, &rq, &hr, &err);
	mem_free(body);
	sb_free(&rq.path);
	(void)service;
	if (rc) {
		res->err_type = mem_strdup("SdkClientException");
		res->err_message = sb_steal(&err);
		return TRANSPORT_CLIENT_ERROR;
	}
	sb_free(&err);
	take_headers(&hr, res);
	if (hr.status / 100 != 2) {
		fill_error(&hr, res);
		sb_free(&hr.body);
		return TRANSPORT_AWS_ERROR;
	}
	res->out = hr.body.len ? cJSON_ParseWithLength(hr.body.buf, hr.body.len) : cJSON_CreateObject();
	sb_free(&hr.body);
	if (!res->out) {
		res->err_type = mem_strdup("SdkClientException");
		res->err_message = mem_strdup("Unable to unmarshall response: the body is not JSON");
		return TRANSPORT_CLIENT_ERROR;
	}
	return TRANSPORT_OK;
}

/* Lambda's Invoke: POST /2015-03-31/functions/<name>/invocations */
static int lambda_invoke(http_tp *h, const char *region, const cJSON *in, transport_result *res)
{
	http_req rq = {0};
	rq.method = "POST";
	rq.service = "lambda";
	rq.region = region;
	const char *fn = cj_str(in, "FunctionName");
	sb_cat(&rq.path, "/2015-03-31/functions/");
	uri_encode(fn ? fn : "", 0, &rq.path);
	sb_cat(&rq.path, "/invocations");
	const char *q = cj_str(in, "Qualifier");
	if (q) {
		sb_cat(&rq.query, "Qualifier=");
		uri_encode(q, 0, &rq.query);
	}
	rq.extra = cJSON_CreateObject();
	static const char *const hdrs[][2] = {{"InvocationType", "X-Amz-Invocation-Type"},
	                                      {"LogType", "X-Amz-Log-Type"},
	                                      {"ClientContext", "X-Amz-Client-Context"}};
	for (int i = 0; i < 3; i++)
		if (cj_str(in, hdrs[i][0]))
			cJSON_AddStringToObject(rq.extra, hdrs[i][1], cj_str(in, hdrs[i][0]));
	const cJSON *pl = cJSON_GetObjectItemCaseSensitive(in, "Payload");
	char *body = cJSON_IsString(pl) ? mem_strdup(pl->valuestring) : pl ? cj_print(pl) : mem_strdup("");
	rq.body = body;
	rq.body_len = strlen(body);
	rq.content_type = "application/json";
	http_resp hr = {0};
	sb err = SB_INIT;
	int rc = do_http(h, &rq, &hr, &err);
	mem_free(body);
	sb_free(&rq.path);
	sb_free(&rq.query);
	cJSON_Delete(rq.extra);
	if (rc) {
		res->err_type = mem_strdup("SdkClientException");
		res->err_message = sb_steal(&err);
		return TRANSPORT_CLIENT_ERROR;
	}
	sb_free(&err);
	take_headers(&hr, res);
	if (hr.status / 100 != 2) {
		fill_error(&hr, res);
		sb_free(&hr.body);
		return TRANSPORT_AWS_ERROR;
	}
	res->out = cJSON_CreateObject();
	cJSON_AddNumberToObject(res->out, "StatusCode", hr.status);
	const char *fe = header(res->headers, "X-Amz-Function-Error");
	if (fe)
		cJSON_AddStringToObject(res->out, "FunctionError", fe);
	const char *ev = header(res->headers, "X-Amz-Executed-Version");
	cJSON_AddStringToObject(res->out, "ExecutedVersion", ev ? ev : "$LATEST");
	const char *lr = header(res->headers, "X-Amz-Log-Result");
	if (lr)
		cJSON_AddStringToObject(res->out, "LogResult", lr);
	cJSON_AddStringToObject(res->out, "Payload", sb_str(&hr.body));
	sb_free(&hr.body);
	return TRANSPORT_OK;
}

static int http_call(transport *t, const char *service, const char *op, const char *region, const cJSON *in,
                     transport_result *res)
{
	http_tp *h = (http_tp *)t;
	memset(res, 0, sizeof *res);
	if (!region)
		region = h->region;
	if (!strcmp(service, "dynamodb"))
		return json10_call(h, service, "DynamoDB_20120810", "dynamodb", op, region, in, res);
	if (!strcmp(service, "sqs"))
		return json10_call(h, service, "AmazonSQS", "sqs", op, region, in, res);
	if (!strcmp(service, "states"))
		return json10_call(h, service, "AWSStepFunctions", "states", op, region, in, res);
	if (!strcmp(service, "lambda") && !strcmp(op, "Invoke"))
		return lambda_invoke(h, region, in, res);
	res->err_type = mem_strdup("SdkClientException");
	sb m = SB_INIT;
	sb_printf(&m, "Unable to execute HTTP request: stepbench's HTTP transport does not speak %s:%s", service, op);
	res->err_message = sb_steal(&m);
	return TRANSPORT_CLIENT_ERROR;
}

static void http_close(transport *t)
{
	http_tp *h = (http_tp *)t;
	mem_free(h->host);
	mem_free(h->port);
	mem_free(h->hostport);
	mem_free(h->region);
	mem_free(h);
}

transport *transport_http_new(const char *endpoint, const char *region)
{
	if (!endpoint || strncmp(endpoint, "http://", 7))
		return NULL;
	const char *hp = endpoint + 7;
	size_t n = strcspn(hp, "/");
	if (!n)
		return NULL;
	http_tp *h = mem_calloc(1, sizeof *h);
	h->hostport = mem_strndup(hp, n);
	const char *colon = NULL;
	if (h->hostport[0] == '[') { /* [v6]:port */
		const char *rb = strchr(h->hostport, ']');
		if (rb) {
			h->host = mem_strndup(h->hostport + 1, (size_t)(rb - h->hostport - 1));
			colon = rb[1] == ':' ? rb + 1 : NULL;
		}
	} else {
		colon = strrchr(h->hostport, ':');
		h->host = colon ? mem_strndup(h->hostport, (size_t)(colon - h->hostport)) : mem_strdup(h->hostport);
	}
	if (!h->host)
		h->host = mem_strdup(h->hostport);
	h->port = mem_strdup(colon ? colon + 1 : "80");
	h->region = mem_strdup(region ? region : "us-east-1");
	h->t.call = http_call;
	h->t.close = http_close;
	h->t.ctx = h;
	return &h->t;
}
