/* transport_inproc.c - implements engine/transport.h by calling mock_dispatch. */
#include "mocks/transport_inproc.h"

#include <string.h>

#include "common/hash.h"
#include "common/mem.h"

typedef struct inproc {
	transport t;
	mock_world *w;
	mock_principal who;
	int has_who;
} inproc;

static char *dup_or_null(const char *s) { return s ? mem_strdup(s) : NULL; }

static int inproc_call(transport *t, const char *service, const char *op, const char *region, const cJSON *in,
                       transport_result *res)
{
	inproc *ip = (inproc *)t;
	mock_world *w = ip->w;
	const mock_service *svc = mock_service_find(service);
	if (!svc) {
		res->status = 0;
		res->err_type = mem_strdup("SdkClientException");
		res->err_message = mem_strdup("Unable to execute HTTP request: no such service");
		return TRANSPORT_CLIENT_ERROR;
	}
	mock_req *rq = mock_req_new(w, svc, region, in, "engine");
	if (ip->has_who)
		rq->who = &ip->who;
	int rc = mock_dispatch(rq, op);
	res->request_id = mem_strdup(rq->request_id);
	res->headers = rq->out_headers;
	rq->out_headers = NULL;
	if (rc == 0) {
		res->status = 200;
		res->out = mock_req_take_out(rq);
	} else {
		res->status = rq->err.status;
		res->err_type = dup_or_null(rq->err.type);
		res->err_message = dup_or_null(rq->err.message);
		res->err_body = rq->err.extra;
		rq->err.extra = NULL;
	}
	mock_req_free(rq);
	return rc == 0 ? TRANSPORT_OK : TRANSPORT_AWS_ERROR;
}

static void inproc_close(transport *t)
{
	inproc *ip = (inproc *)t;
	mem_free((char *)ip->who.role_arn);
	mem_free((char *)ip->who.session);
	mem_free((char *)ip->who.source_arn);
	mem_free(ip);
}

transport *transport_inproc_new_as(mock_world *w, const transport_identity *id)
{
	inproc *ip = mem_calloc(1, sizeof *ip);
	ip->t.call = inproc_call;
	ip->t.close = inproc_close;
	ip->t.ctx = w;
	ip->w = w;
	if (id && id->role_arn) {
		ip->has_who = 1;
		ip->who.role_arn = mem_strdup(id->role_arn);
		ip->who.session = dup_or_null(id->session);
		ip->who.source_arn = dup_or_null(id->source_arn);
	}
	return &ip->t;
}

transport *transport_inproc_new(mock_world *w) { return transport_inproc_new_as(w, NULL); }

transport *transport_inproc_new_for_execution(mock_world *w, const char *role_arn, const char *exec_arn,
                                              const char *sm_arn)
{
	if (!role_arn || !*role_arn)
		return transport_inproc_new(w);
	static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	unsigned char h[32];
	hash_sha256(exec_arn, strlen(exec_arn), h);
	char session[33];
	for (int i = 0; i < 32; i++)
		session[i] = letters[h[i] % 52];
	session[32] = '\0';
	transport_identity id = {role_arn, session, sm_arn};
	return transport_inproc_new_as(w, &id);
}
