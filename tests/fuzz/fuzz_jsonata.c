/* fuzz_jsonata.c - libFuzzer harness: JSONata text parsed and evaluated against a small fixed document. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/mem.h"
#include "engine/jsonata/jsonata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char doc_text[] =
	"{\"Account\":{\"Name\":\"Firefly\",\"Order\":[{\"OrderID\":\"o1\",\"Product\":[{\"Name\":\"Hat\","
	"\"Price\":34.45,\"Quantity\":2,\"Tags\":[\"a\",\"b\"]},{\"Name\":\"Coat\",\"Price\":107.99,"
	"\"Quantity\":1}]},{\"OrderID\":\"o2\",\"Product\":[{\"Name\":\"Hat\",\"Price\":34.45,"
	"\"Quantity\":4}]}]},\"n\":[1,2.5,-3,null,true,\"x\",{\"k\":[[1],[2,[3]]]}],\"s\":\"h\\u00e9llo w\\u00f6rld\"}";

static jsonata_doc *doc;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!doc) {
		mem_init();
		cJSON *j = cJSON_Parse(doc_text);
		doc = jsonata_doc_new(j);
		cJSON_Delete(j);
	}
	if (size > 4096)
		return 0;
	jsonata_error err;
	memset(&err, 0, sizeof err);
	jsonata_expr *e = jsonata_compile((const char *)data, size, &err);
	if (!e) {
		/* every syntax error has a code and a message */
		if (!err.code[0] || !err.message)
			__builtin_trap();
		jsonata_error_clear(&err);
		return 0;
	}
	jsonata_opts o;
	memset(&o, 0, sizeof o);
	o.max_depth = 400;
	o.timeout_ms = 500;
	o.seed = 1;
	for (int mode = 0; mode < 2; mode++) {
		o.flags = mode ? JSONATA_SFN : 0;
		cJSON *r = NULL;
		if (jsonata_eval_doc(e, doc, &o, &r, &err) < 0) {
			if (!err.code[0] || !err.message)
				__builtin_trap();
			char *j = jsonata_error_json(&err);
			mem_free(j);
			jsonata_error_clear(&err);
		} else if (r) {
			char *t = jsonata_print(r, 0);
			mem_free(t);
			cJSON_Delete(r);
		}
	}
	jsonata_free(e);
	return 0;
}
