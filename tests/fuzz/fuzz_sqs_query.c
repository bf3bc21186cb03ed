/* fuzz_sqs_query.c - libFuzzer harness: SQS's query-protocol form decoder and XML renderer. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/cj.h"
#include "mocks/sqs/sqs_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ops[] = {"CreateQueue", "SendMessage", "SendMessageBatch", "ReceiveMessage",
	                                  "DeleteMessageBatch", "ChangeMessageVisibilityBatch", "TagQueue"};
	const char *op = ops[size ? data[0] % (sizeof ops / sizeof *ops) : 0];
	sb err = SB_INIT;
	cJSON *in = sqs_query_decode(op, (const char *)data, size, &err);
	if (in) {
		/* what was decoded must render and digest without trouble */
		sb xml = SB_INIT;
		sqs_query_render(op, in, "00000000-0000-0000-0000-000000000000", &xml);
		char md5[33];
		sqs_md5_of_attributes(cJSON_GetObjectItemCaseSensitive(in, "MessageAttributes"), md5);
		sb_free(&xml);
		cJSON_Delete(in);
	}
	sb_free(&err);
	return 0;
}
