/* test_graph.c - definitions as graphs: scopes, edges, error handlers, resources. */
#include <check.h>
#include <string.h>

#include "common/cj.h"
#include "common/file.h"
#include "common/mem.h"
#include "runner/graph.h"
#include "tests/suites.h"

static cJSON *load(const char *path)
{
	size_t len;
	char *t = file_read(path, 1u << 20, &len, NULL);
	ck_assert_ptr_nonnull(t);
	cJSON *d = cj_parse(t, len, NULL);
	mem_free(t);
	ck_assert_ptr_nonnull(d);
	return d;
}

START_TEST(graph_should_hold_every_state_in_its_scope_with_its_transitions)
{
	cJSON *d = load("tests/data/runner/retry-catch.asl.json");
	runner_graph *g = runner_graph_build(d);
	ck_assert_int_eq(g->ns, 7);
	ck_assert_int_eq(g->nsc, 2);
	ck_assert_int_eq(g->sc[0].start, runner_graph_find(g, "Charge"));
	int fan = runner_graph_find(g, "Fan Out"), ship = runner_graph_find(g, "Ship");
	ck_assert_int_eq(g->s[fan].ninner, 1);
	ck_assert_int_eq(g->sc[g->s[fan].inner_first].start, ship);
	ck_assert_int_eq(g->s[ship].scope, 1);
	ck_assert(g->s[ship].end);
	int charge = runner_graph_find(g, "Charge");
	ck_assert_int_eq(g->s[charge].nretry, 2);
	ck_assert_int_eq(g->s[charge].ncatch, 2);
	/* Next, 2 rules + Default, 3 catchers, Fan Out -> Check */
	int rules = 0, catches = 0, defaults = 0;
	for (size_t i = 0; i < g->ne; i++) {
		rules += g->e[i].kind == RUNNER_EDGE_RULE;
		catches += g->e[i].kind == RUNNER_EDGE_CATCH;
		defaults += g->e[i].kind == RUNNER_EDGE_DEFAULT;
		ck_assert_int_ge(g->e[i].to, 0);
	}
	ck_assert_int_eq(rules, 2);
	ck_assert_int_eq(catches, 3);
	ck_assert_int_eq(defaults, 1);
	ck_assert_int_eq(runner_graph_find(g, "Nope"), -1);
	runner_graph_free(g);
	cJSON_Delete(d);
}
END_TEST

START_TEST(graph_handler_should_follow_the_wildcards_of_asl)
{
	cJSON *l = cJSON_Parse("[{\"ErrorEquals\": [\"A\", \"B\"]}, {\"ErrorEquals\": [\"States.TaskFailed\"]}, "
	                       "{\"ErrorEquals\": [\"States.ALL\"]}]");
	ck_assert_int_eq(runner_graph_handler(l, "B"), 0);
	ck_assert_int_eq(runner_graph_handler(l, "Lambda.Unknown"), 1);
	ck_assert_int_eq(runner_graph_handler(l, "States.Timeout"), 2);
	ck_assert_int_eq(runner_graph_handler(l, "States.Runtime"), -1);
	ck_assert_int_eq(runner_graph_handler(NULL, "A"), -1);
	cJSON_Delete(l);
}
END_TEST

START_TEST(graph_resources_should_name_tables_queues_and_functions)
{
	cJSON *d = load("scenarios/user-onboarding/user-onboarding.asl.json");
	runner_graph *g = runner_graph_build(d);
	cJSON *r = runner_graph_resources(g);
	char *t = cj_print(r);
	ck_assert_str_eq(t, "{\"dynamodb\":{\"User\":{\"states\":[\"Save User Details\"],\"keys\":[{\"name\":\"PK\",\"type\":"
	                    "\"S\"},{\"name\":\"SK\",\"type\":\"S\"}]}},\"sqs\":{\"user-onboarding\":{\"states\":[\"Send User "
	                    "Onboarded Event\"]}},\"lambda\":{\"user-onboarding\":{\"states\":[\"Process Referral\"]}}}");
	mem_free(t);
	cJSON_Delete(r);
	runner_graph_free(g);
	cJSON_Delete(d);
}
END_TEST

Suite *suite_runner_graph(void)
{
	Suite *s = suite_create("runner/graph");
	TCase *tc = tcase_create("graph");
	tcase_add_test(tc, graph_should_hold_every_state_in_its_scope_with_its_transitions);
	tcase_add_test(tc, graph_handler_should_follow_the_wildcards_of_asl);
	tcase_add_test(tc, graph_resources_should_name_tables_queues_and_functions);
	suite_add_tcase(s, tc);
	return s;
}
