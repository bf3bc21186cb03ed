/* json.c - the results for machines: summary, every result, coverage. */
#include "reports/report.h"

void report_json(const runner_result *v, size_t n, double seconds, const cJSON *coverage, sb *out)
{
	size_t k[3] = {0, 0, 0};
	for (size_t i = 0; i < n; i++)
		k[v[i].outcome]++;
	cJSON *o = cJSON_CreateObject();
	cJSON *s = cJSON_AddObjectToObject(o, "summary");
	cJSON_AddNumberToObject(s, "total", (double)n);
	cJSON_AddNumberToObject(s, "passed", (double)k[RUNNER_PASS]);
	cJSON_AddNumberToObject(s, "failed", (double)k[RUNNER_FAIL]);
	cJSON_AddNumberToObject(s, "errors", (double)k[RUNNER_ERROR]);
	cJSON_AddNumberToObject(s, "seconds", seconds);
	cJSON *rs = cJSON_AddArrayToObject(o, "results");
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(rs, runner_result_json(&v[i]));
	cJSON_AddItemToObject(o, "coverage", coverage ? cJSON_Duplicate(coverage, 1) : cJSON_CreateArray());
	char *t = cJSON_Print(o);
	sb_cat(out, t);
	sb_catc(out, '\n');
	cJSON_free(t);
	cJSON_Delete(o);
}

int report_json_write(const char *path, const runner_result *v, size_t n, double seconds, const cJSON *coverage,
                      sb *err)
{
	sb text = SB_INIT;
	report_json(v, n, seconds, coverage, &text);
	int rc = report_write_file(path, &text, err);
	sb_free(&text);
	return rc;
}
