/* fuzz_scenario.c - libFuzzer harness: any bytes as a scenario file, then its expectations against a fixed world.
 *
 * Loading must either give a file or a list of "file:line:column" problems,
 * never crash, leak or hang; a file that loads is then judged against a
 * small snapshot, which exercises the matchers (including $regex through
 * JSONata) and the assertions on whatever the input holds.
 */
#include <stdint.h>
#include <string.h>

#include "common/mem.h"
#include "runner/check.h"
#include "runner/match.h"
#include "runner/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char snapshot[] =
	"{\"execution\": {\"status\": \"SUCCEEDED\", \"output\": {\"a\": [1, \"x\", null]}, \"path\": [\"A\", \"B\"],"
	" \"history\": [{\"id\": 1, \"type\": \"ExecutionStarted\", \"timestamp\": 0}], \"variables\": {}},"
	" \"dynamodb\": {\"T\": [{\"PK\": \"k\", \"v\": 1}]}, \"sqs\": {\"q\": [{\"Body\": {\"t\": 1}}]},"
	" \"lambda\": {\"f\": [{\"Payload\": {\"p\": true}}]}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		mem_init();
		ready = 1;
	}
	sb err = SB_INIT;
	/* stateMachine paths resolve against this folder; it need not exist */
	runner_file *f = runner_file_parse((const char *)data, size, "fuzz/in.scenario.json", &err);
	if (f) {
		cJSON *snap = cJSON_Parse(snapshot), *keys = cJSON_Parse("{\"T\": [\"PK\"]}");
		for (size_t i = 0; i < f->n; i++) {
			runner_mismatches mm = {0};
			runner_check(&f->v[i], snap, keys, &mm);
			runner_mismatches_free(&mm);
		}
		cJSON_Delete(snap);
		cJSON_Delete(keys);
		runner_file_free(f);
	}
	sb_free(&err);
	return 0;
}
