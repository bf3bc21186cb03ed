/* fuzz_lam_zip.c - libFuzzer harness: the Lambda mock's zip reader on arbitrary bytes.
 *
 * Every input must be read to the end or refused with a reason; a crash, an
 * out-of-bounds read, a leak or a hang is a finding. Entries are visited (and
 * inflated, CRC-checked) but not written anywhere.
 */
#include <stddef.h>
#include <stdint.h>

#include "mocks/lambda/lam_zip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sb err = SB_INIT;
	if (lam_zip_check(data, size, &err) && !err.len)
		__builtin_trap(); /* a refusal always says why */
	sb_free(&err);
	return 0;
}
