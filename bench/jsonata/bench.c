/* bench.c - times stepbench's JSONata (compile once, convert the document once, evaluate many).
 * usage: bench EXPRS.json SUITE_DATASETS_DIR REPS -> one "name<TAB>ns_per_eval" line per expression */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/file.h"
#include "common/mem.h"
#include "engine/jsonata/jsonata.h"

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static cJSON *load(const char *path)
{
	size_t len;
	char *t = file_read(path, 1u << 28, &len, NULL);
	if (!t) {
		fprintf(stderr, "bench: cannot read %s\n", path);
		exit(2);
	}
	cJSON *j = cJSON_ParseWithLength(t, len);
	mem_free(t);
	return j;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void eval_once(const jsonata_expr *e, const jsonata_doc *d)
{
	jsonata_error err;
	memset(&err, 0, sizeof err);
	cJSON *r = NULL;
	if (jsonata_eval_doc(e, d, NULL, &r, &err) < 0) {
		fprintf(stderr, "bench: %s: %s\n", err.code, err.message);
		exit(1);
	}
	cJSON_Delete(r);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench EXPRS.json DATASETS_DIR [REPS]\n");
		return 2;
	}
	mem_init();
	int reps = argc > 3 ? atoi(argv[3]) : 5;
	if (reps < 1 || reps > 99)
		reps = 5;
	cJSON *cases = load(argv[1]);
	for (const cJSON *c = cases->child; c; c = c->next) {
		const char *name = cJSON_GetObjectItem(c, "name")->valuestring;
		const char *expr = cJSON_GetObjectItem(c, "expr")->valuestring;
		char path[1024];
		snprintf(path, sizeof path, "%s/%s.json", argv[2], cJSON_GetObjectItem(c, "dataset")->valuestring);
		cJSON *input = load(path);
		jsonata_doc *d = jsonata_doc_new(input);
		cJSON_Delete(input);
		jsonata_error err;
		memset(&err, 0, sizeof err);
		jsonata_expr *e = jsonata_compile(expr, strlen(expr), &err);
		if (!e) {
			fprintf(stderr, "bench: %s: %s\n", name, err.message);
			return 1;
		}
		double t0 = now_ns();
		long warm = 0;
		while (now_ns() - t0 < 300e6) {
			eval_once(e, d);
			warm++;
		}
		long per = warm * 2 / 3 > 0 ? warm * 2 / 3 : 1; /* ~200 ms per repetition */
		double samples[99];
		for (int r = 0; r < reps; r++) {
			t0 = now_ns();
			for (long i = 0; i < per; i++)
				eval_once(e, d);
			samples[r] = (now_ns() - t0) / (double)per;
		}
		qsort(samples, (size_t)reps, sizeof samples[0], cmp_d);
		printf("%s\t%.0f\n", name, samples[reps / 2]);
		fflush(stdout);
		jsonata_free(e);
		jsonata_doc_free(d);
	}
	cJSON_Delete(cases);
	return 0;
}
