/* test_layout.c - boxes in rows by distance from StartAt, containers around inner scopes, edges. */
#include <check.h>
#include <string.h>

#include "common/cj.h"
#include "common/file.h"
#include "common/mem.h"
#include "runner/layout.h"
#include "tests/suites.h"

static const cJSON *state(const cJSON *lay, const char *name)
{
	const cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(lay, "states")) if (!strcmp(cj_str(s, "name"), name)) return s;
	ck_abort_msg("no state %s", name);
	return NULL;
}

static int inside(const cJSON *in, const cJSON *out)
{
	return cj_num(in, "x", 0) >= cj_num(out, "x", 0) && cj_num(in, "y", 0) >= cj_num(out, "y", 0) &&
	       cj_num(in, "x", 0) + cj_num(in, "w", 0) <= cj_num(out, "x", 0) + cj_num(out, "w", 0) &&
	       cj_num(in, "y", 0) + cj_num(in, "h", 0) <= cj_num(out, "y", 0) + cj_num(out, "h", 0);
}

START_TEST(layout_should_put_states_in_rows_and_inner_scopes_inside_their_container)
{
	size_t len;
	char *t = file_read("tests/data/runner/retry-catch.asl.json", 1u << 20, &len, NULL);
	cJSON *d = cj_parse(t, len, NULL);
	mem_free(t);
	cJSON *lay = runner_layout(d);
	ck_assert_str_eq(cj_str(lay, "start"), "Charge");
	const cJSON *charge = state(lay, "Charge"), *fan = state(lay, "Fan Out"), *ship = state(lay, "Ship");
	const cJSON *check = state(lay, "Check"), *declined = state(lay, "Declined");
	ck_assert(cj_num(fan, "y", 0) > cj_num(charge, "y", 0));
	ck_assert(cj_num(check, "y", 0) > cj_num(fan, "y", 0) + cj_num(fan, "h", 0));
	ck_assert(cj_bool(fan, "container", 0));
	ck_assert(inside(ship, fan));
	/* Declined is one step from Charge (a catcher), so it shares Fan Out's row */
	ck_assert(cj_num(declined, "y", 0) == cj_num(fan, "y", 0));
	ck_assert(cj_num(lay, "width", 0) >= cj_num(fan, "x", 0) + cj_num(fan, "w", 0));
	int catches = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(lay, "edges"))
	{
		catches += !strcmp(cj_str(e, "kind"), "catch");
		ck_assert(!strncmp(cj_str(e, "d"), "M", 1));
	}
	ck_assert_int_eq(catches, 3);
	cJSON_Delete(lay);
	cJSON_Delete(d);
}
END_TEST

Suite *suite_runner_layout(void)
{
	Suite *s = suite_create("runner/layout");
	TCase *tc = tcase_create("layout");
	tcase_add_test(tc, layout_should_put_states_in_rows_and_inner_scopes_inside_their_container);
	suite_add_tcase(s, tc);
	return s;
}
