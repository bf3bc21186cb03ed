/* fuzz_sqs_attrs.c - libFuzzer harness: the message-attribute parser, validator and digest. */
#include <stddef.h>
#include <stdint.h>

#include "common/cj.h"
#include "mocks/sqs/sqs_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *a = cj_parse((const char *)data, size, NULL);
	if (a) {
		for (int sys = 0; sys < 2; sys++) {
			size_t sz = 0;
			sb err = SB_INIT;
			int rc = sqs_attrs_check(a, sys, &sz, &err);
			char md5[33];
			int mrc = sqs_md5_of_attributes(a, md5);
			/* every attribute set the validator accepts has a digest */
			if (rc == 0 && cJSON_IsObject(a) && a->child && mrc != 0)
				__builtin_trap();
			sb_free(&err);
		}
		cJSON_Delete(a);
	}
	sqs_body_valid((const char *)data, size);
	return 0;
}
