/* resources.c - the resources a definition uses, against what a scenario's given creates. */
#include "runner/resources.h"

#include <stddef.h>
#include <string.h>

#include "common/cj.h"
#include "common/mem.h"
#include "runner/check.h"
#include "runner/graph.h"

/* 1 when list (given entries) has an entry whose key names name. */
static int created(const runner_list *list, const char *key, const char *name)
{
	for (size_t i = 0; i < list->n; i++) {
		const char *v = cj_str(list->v[i], key);
		char *n = v ? runner_resource_name(v) : NULL;
		int same = n && !strcmp(n, name);
		mem_free(n);
		if (same)
			return 1;
	}
	return 0;
}

int runner_check_resources(const runner_scenario *s, const cJSON *definition, sb *err)
{
	static const struct {
		const char *service, *what, *key;
		size_t off;
	} kinds[] = {
		{"dynamodb", "table", "TableName", offsetof(runner_given, tables)},
		{"sqs", "queue", "QueueName", offsetof(runner_given, queues)},
		{"lambda", "function", "FunctionName", offsetof(runner_given, functions)},
	};
	runner_graph *g = runner_graph_build(definition);
	cJSON *res = runner_graph_resources(g);
	int missing = 0;
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		const runner_list *list = (const runner_list *)((const char *)&s->given + kinds[k].off);
		const cJSON *r;
		cJSON_ArrayForEach(r, cj_obj(res, kinds[k].service))
		{
			if (created(list, kinds[k].key, r->string))
				continue;
			const cJSON *st;
			const char *unmocked = NULL;
			cJSON_ArrayForEach(st, cj_arr(r, "states")) if (!runner_scenario_mock(s, st->valuestring) && !unmocked)
				unmocked = st->valuestring;
			if (!unmocked)
				continue;
			runner_file_where(s->file, s->node, 0, err);
			sb_printf(err, "scenario '%s': state '%s' uses the %s '%s', which given does not create\n",
			          s->name ? s->name : "?", unmocked, kinds[k].what, r->string);
			missing++;
		}
	}
	cJSON_Delete(res);
	runner_graph_free(g);
	return missing;
}
