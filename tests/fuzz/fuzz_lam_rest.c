/* fuzz_lam_rest.c - libFuzzer harness: Lambda's REST codec on arbitrary requests.
 *
 * The input is "METHOD\nPATH\nQUERY\nBODY": it goes through the service's
 * http hook (routes, percent-decoding, query parameters, FunctionName/ARN
 * parsing, JSON bodies, the handlers) against a world holding one function
 * with a returns behaviour. Every request must get an answer with a status;
 * a crash, a leak or a hang is a finding.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "mocks/lambda/lam_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static mock_world *world;

static const char *no_header(const mock_http *h, const char *name)
{
	(void)h;
	(void)name;
	return NULL;
}

static char *line(const char **p, const char *end)
{
	const char *s = *p, *nl = memchr(s, '\n', (size_t)(end - s));
	size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
	*p = nl ? nl + 1 : end;
	return mem_strndup(s, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!world) {
		mem_init();
		sb err = SB_INIT;
		world = mock_world_new(NULL, &err);
		if (!world)
			abort();
		cJSON *in = cJSON_Parse("{\"FunctionName\": \"f\", \"Behavior\": {\"returns\": {\"ok\": 1}}}");
		cJSON *out = NULL;
		if (mock_call(world, "lambda", "CreateFunction", in, &out, &err))
			abort();
		cJSON_Delete(in);
		cJSON_Delete(out);
		sb_free(&err);
	}
	const char *p = (const char *)data, *end = p + size;
	char *method = line(&p, end), *path = line(&p, end), *query = line(&p, end);
	char *body = mem_strndup(p, (size_t)(end - p));
	/* commands are the one behaviour that would run a shell: keep them out */
	if (!strstr(body, "command") && path[0] == '/') {
		mock_http in = {method, path, *query ? query : NULL, body, strlen(body), "us-east-1", "localhost",
		                no_header, NULL};
		mock_http_out out = {0, NULL, SB_INIT, SB_INIT};
		if (lam_http(world, &in, &out) && !out.status)
			__builtin_trap(); /* an answered request has a status */
		sb_free(&out.body);
		sb_free(&out.headers);
	}
	mem_free(method);
	mem_free(path);
	mem_free(query);
	mem_free(body);
	return 0;
}
