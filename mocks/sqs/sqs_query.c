/* sqs_query.c - the query protocol: form-encoded Action=... in, XML out. */
#include <string.h>

#include "mocks/sqs/sqs_int.h"

int sqs_query_http(mock_world *w, const mock_http *in, mock_http_out *out)
{
	(void)w, (void)in, (void)out;
	return 0;
}
