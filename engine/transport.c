/* transport.c - helpers shared by every transport implementation. */
#include "engine/transport.h"

#include <string.h>

#include "common/mem.h"

void transport_result_free(transport_result *res)
{
	cJSON_Delete(res->out);
	cJSON_Delete(res->headers);
	cJSON_Delete(res->err_body);
	mem_free(res->request_id);
	mem_free(res->err_type);
	mem_free(res->err_message);
	memset(res, 0, sizeof *res);
}
