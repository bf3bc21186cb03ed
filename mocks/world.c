/* world.c - the mocks' shared context: store, clock, identity, services. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/mem.h"
#include "mocks/mock.h"

mock_world *mock_world_new(const mock_world_opts *o, sb *err)
{
	mock_world_opts dflt = {0};
	if (!o)
		o = &dflt;
	mock_world *w = mem_calloc(1, sizeof *w);
	pthread_mutex_init(&w->mu, NULL);
	w->clock = o->clock ? o->clock : clk_real();
	snprintf(w->account, sizeof w->account, "%s", o->account ? o->account : "000000000000");
	snprintf(w->region, sizeof w->region, "%s", o->region ? o->region : "us-east-1");
	snprintf(w->endpoint, sizeof w->endpoint, "%s", o->endpoint ? o->endpoint : "");
	if (o->seed)
		rng_seed(&w->rng, o->seed);
	else
		rng_seed_system(&w->rng);
	unsigned fl = o->data_dir ? (o->nosync ? STORE_NOSYNC : 0) : STORE_TEMP;
	int rc = store_open(o->data_dir, fl, &w->st);
	if (rc) {
		sb_printf(err, "cannot open the store%s%s: %s", o->data_dir ? " in " : "",
		          o->data_dir ? o->data_dir : "", store_strerror(rc));
		pthread_mutex_destroy(&w->mu);
		mem_free(w);
		return NULL;
	}
	for (const mock_service *const *s = mock_services; *s; s++) {
		if ((*s)->init && (*s)->init(w, err)) {
			mock_world_free(w);
			return NULL;
		}
	}
	return w;
}

void mock_world_free(mock_world *w)
{
	if (!w)
		return;
	/* services stop in reverse order: later ones may use earlier ones */
	size_t n = 0;
	while (mock_services[n])
		n++;
	while (n--)
		if (mock_services[n]->fini)
			mock_services[n]->fini(w);
	mock_faults_clear(w);
	store_close(w->st);
	pthread_mutex_destroy(&w->mu);
	mem_free(w);
}

void mock_world_uuid(mock_world *w, char out[UUID_LEN])
{
	pthread_mutex_lock(&w->mu);
	uuid_v4(&w->rng, out);
	pthread_mutex_unlock(&w->mu);
}

char *mock_arn(mock_req *rq, const char *service, const char *resource_fmt, ...)
{
	char res[1024];
	va_list ap;
	va_start(ap, resource_fmt);
	vsnprintf(res, sizeof res, resource_fmt, ap);
	va_end(ap);
	return arena_printf(rq->ar, "arn:aws:%s:%s:%s:%s", service, rq->region, rq->w->account, res);
}

const mock_service *mock_service_find(const char *name)
{
	for (const mock_service *const *s = mock_services; *s; s++)
		if (!strcmp((*s)->name, name))
			return *s;
	return NULL;
}

const mock_service *mock_service_by_target(const char *target, const char **op)
{
	const char *dot = strchr(target, '.');
	if (!dot)
		return NULL;
	size_t n = (size_t)(dot - target);
	for (const mock_service *const *s = mock_services; *s; s++) {
		const char *p = (*s)->target_prefix;
		if (p && strlen(p) == n && !strncmp(p, target, n)) {
			*op = dot + 1;
			return *s;
		}
	}
	return NULL;
}
