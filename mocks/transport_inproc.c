/* transport_inproc.c - implements engine/transport.h by calling mock_dispatch. */
#include "mocks/transport_inproc.h"

#include "common/mem.h"

static char *dup_or_null(const char *s) { return s ? mem_strdup(s) : NULL; }

static int inproc_call(transport *t, const char *service, const char *op, const char *region, const cJSON *in,
                       transport_result *res)
{
	mock_world *w = t->ctx;
	const mock_service *svc = mock_service_find(service);
	if (!svc) {
		res->status = 0;
		res->err_type = mem_strdup("SdkClientException");
		res->err_message = mem_strdup("Unable to execute HTTP request: no such service");
		return TRANSPORT_CLIENT_ERROR;
	}
	mock_req *rq = mock_req_new(w, svc, region, in, "engine");
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

static void inproc_close(transport *t) { mem_free(t); }

transport *transport_inproc_new(mock_world *w)
{
	transport *t = mem_calloc(1, sizeof *t);
	t->call = inproc_call;
	t->close = inproc_close;
	t->ctx = w;
	return t;
}
