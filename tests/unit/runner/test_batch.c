/* test_batch.c - selecting scenarios: filters by name and tag, shards that split deterministically. */
#include <check.h>
#include <string.h>

#include "common/mem.h"
#include "runner/batch.h"
#include "tests/suites.h"

static runner_file *f;
static runner_batch b;

static void setup(void)
{
	const char *t = "{\"stateMachine\": \"minimal.asl.json\", \"scenarios\": ["
	                "{\"name\": \"Alpha one\", \"tags\": [\"smoke\"], \"expect\": {}},"
	                "{\"name\": \"beta\", \"expect\": {}},"
	                "{\"name\": \"gamma ALPHA\", \"expect\": {}},"
	                "{\"name\": \"delta\", \"tags\": [\"smoke\"], \"expect\": {}},"
	                "{\"name\": \"epsilon\", \"expect\": {}}]}";
	sb err = SB_INIT;
	f = runner_file_parse(t, strlen(t), "tests/data/runner/t.scenario.json", &err);
	ck_assert_msg(f != NULL, "%s", sb_str(&err));
	sb_free(&err);
	memset(&b, 0, sizeof b);
	for (size_t i = 0; i < f->n; i++) {
		runner_batch_add(&b, &f->v[i], f->path, NULL);
		if (i == 1)
			runner_batch_add(&b, NULL, "broken.scenario.json", "broken.scenario.json:1:1: nope\n");
	}
}

static void teardown(void)
{
	runner_batch_free(&b);
	runner_file_free(f);
}

static void names(sb *out)
{
	for (size_t i = 0; i < b.n; i++)
		sb_printf(out, "%s%s", i ? "," : "", b.v[i].s ? b.v[i].s->name : b.v[i].file);
}

START_TEST(filter_should_keep_names_containing_the_text_and_tags_and_broken_files)
{
	const char *filters[] = {"alpha", "tag:smoke"};
	runner_batch_filter(&b, filters, 2);
	sb s = SB_INIT;
	names(&s);
	ck_assert_str_eq(sb_str(&s), "Alpha one,broken.scenario.json,gamma ALPHA,delta");
	sb_free(&s);
}
END_TEST

START_TEST(shards_should_split_the_list_into_disjoint_deterministic_parts)
{
	runner_batch copy = {0};
	for (size_t i = 0; i < b.n; i++)
		runner_batch_add(&copy, b.v[i].s, b.v[i].file, b.v[i].problems);
	runner_batch_shard(&b, 1, 2);
	sb s = SB_INIT;
	names(&s);
	ck_assert_str_eq(sb_str(&s), "Alpha one,broken.scenario.json,delta");
	sb_clear(&s);
	runner_batch_shard(&copy, 2, 2);
	runner_batch tmp = b;
	b = copy;
	names(&s);
	b = tmp;
	ck_assert_str_eq(sb_str(&s), "beta,gamma ALPHA,epsilon");
	sb_free(&s);
	runner_batch_free(&copy);
}
END_TEST

Suite *suite_runner_batch(void)
{
	Suite *s = suite_create("runner/batch");
	TCase *tc = tcase_create("batch");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, filter_should_keep_names_containing_the_text_and_tags_and_broken_files);
	tcase_add_test(tc, shards_should_split_the_list_into_disjoint_deterministic_parts);
	suite_add_tcase(s, tc);
	return s;
}
