/* cmd_jsonata.c - `stepbench jsonata`: evaluate one JSONata expression and print the result. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "common/cj.h"
#include "common/file.h"
#include "common/mem.h"
#include "engine/jsonata/jsonata.h"

#define MAX_INPUT (256u * 1024 * 1024)

static const char usage_line[] =
	"usage: stepbench jsonata EXPR [--input FILE|-] [--bindings JSON] [--timeout-ms N] [--max-depth N] [--sfn]\n";

static int usage(const char *why)
{
	if (why)
		fprintf(stderr, "stepbench jsonata: %s\n", why);
	fputs(usage_line, stderr);
	return 2;
}

static char *read_stdin(size_t *len)
{
	sb b = SB_INIT;
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
		if (b.len + n > MAX_INPUT) {
			sb_free(&b);
			return NULL;
		}
		sb_catn(&b, buf, n);
	}
	*len = b.len;
	return sb_steal(&b);
}

static cJSON *parse_json(const char *what, const char *text, size_t len)
{
	size_t errpos = 0;
	cJSON *j = cj_parse(text, len, &errpos);
	if (!j)
		fprintf(stderr, "stepbench jsonata: %s is not valid JSON (at byte %zu)\n", what, errpos);
	return j;
}

static int parse_int(const char *s, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < 0 || v > 1000000000)
		return -1;
	*out = (int)v;
	return 0;
}

/* jsonata EXPR [--input FILE|-] [--bindings JSON] [--timeout-ms N] [--max-depth N] [--sfn] */
int cmd_jsonata(int argc, char **argv)
{
	if (argc < 2)
		return usage("missing EXPR");
	const char *expr = argv[1]; /* verbatim, even when it starts with '-' */
	const char *input_path = NULL, *bindings_text = NULL;
	jsonata_opts opts;
	memset(&opts, 0, sizeof opts);
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--sfn")) {
			opts.flags |= JSONATA_SFN;
		} else if (i + 1 < argc && !strcmp(a, "--input")) {
			input_path = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--bindings")) {
			bindings_text = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--timeout-ms")) {
			if (parse_int(argv[++i], &opts.timeout_ms) < 0)
				return usage("--timeout-ms needs a non-negative integer");
		} else if (i + 1 < argc && !strcmp(a, "--max-depth")) {
			if (parse_int(argv[++i], &opts.max_depth) < 0)
				return usage("--max-depth needs a non-negative integer");
		} else {
			char msg[200];
			snprintf(msg, sizeof msg, "unexpected argument '%.150s'", a);
			return usage(msg);
		}
	}

	cJSON *input = NULL, *bindings = NULL;
	int rc = 2;
	if (input_path) {
		size_t len = 0;
		char *text;
		if (!strcmp(input_path, "-")) {
			text = read_stdin(&len);
			if (!text) {
				fprintf(stderr, "stepbench jsonata: standard input is too large\n");
				return 2;
			}
		} else {
			sb err = SB_INIT;
			text = file_read(input_path, MAX_INPUT, &len, &err);
			if (!text) {
				fprintf(stderr, "stepbench jsonata: %s\n", sb_str(&err));
				sb_free(&err);
				return 2;
			}
		}
		input = parse_json("the input", text, len);
		mem_free(text);
		if (!input)
			return 2;
	}
	if (bindings_text) {
		bindings = parse_json("--bindings", bindings_text, strlen(bindings_text));
		if (!bindings)
			goto out;
		if (!cJSON_IsObject(bindings)) {
			fprintf(stderr, "stepbench jsonata: --bindings must be a JSON object\n");
			goto out;
		}
		opts.bindings = bindings;
	}

	jsonata_error err;
	memset(&err, 0, sizeof err);
	jsonata_expr *e = jsonata_compile(expr, strlen(expr), &err);
	cJSON *result = NULL;
	if (!e || jsonata_eval(e, input, &opts, &result, &err) < 0) {
		char *j = jsonata_error_json(&err);
		fprintf(stderr, "%s\n", j);
		mem_free(j);
		jsonata_error_clear(&err);
		jsonata_free(e);
		rc = 2;
		goto out;
	}
	if (result) {
		char *text = jsonata_print(result, 0);
		printf("%s\n", text);
		mem_free(text);
		cJSON_Delete(result);
	}
	jsonata_free(e);
	rc = 0;
out:
	cJSON_Delete(input);
	cJSON_Delete(bindings);
	return rc;
}
