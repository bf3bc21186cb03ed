/* test_lam_ops.c - the operation table and the embedded runtime bootstraps. */
#include <check.h>
#include <string.h>

#include "common/file.h"
#include "common/mem.h"
#include "mocks/lambda/lam_int.h"
#include "tests/suites.h"

START_TEST(lam_ops_should_be_sorted_for_bsearch)
{
	const mock_op *ops = lam_service.ops;
	int n = 0;
	for (; ops[n + 1].name; n++)
		ck_assert_msg(strcmp(ops[n].name, ops[n + 1].name) < 0, "%s before %s", ops[n].name, ops[n + 1].name);
	ck_assert_int_ge(n, 18);
}
END_TEST

START_TEST(lam_invoke_should_never_hold_a_dispatcher_transaction)
{
	for (const mock_op *op = lam_service.ops; op->name; op++)
		if (!strcmp(op->name, "Invoke"))
			ck_assert_uint_eq(op->flags, MOCK_NOTXN);
}
END_TEST

static void same_as_file(const char *embedded, const char *path)
{
	size_t len;
	char *text = file_read(path, 1 << 20, &len, NULL);
	ck_assert_msg(text != NULL, "cannot read %s (run the tests from the repository root)", path);
	ck_assert_msg(!strcmp(text, embedded), "%s differs from lam_boot.c: run mocks/lambda/gen_boot.sh", path);
	mem_free(text);
}

START_TEST(lam_boot_should_embed_the_bootstrap_scripts_unchanged)
{
	same_as_file(lam_boot_py, "mocks/lambda/lam_boot.py");
	same_as_file(lam_boot_js, "mocks/lambda/lam_boot.js");
}
END_TEST

Suite *suite_lam_ops(void)
{
	Suite *s = suite_create("mocks/lambda/ops");
	TCase *tc = tcase_create("ops");
	tcase_add_test(tc, lam_ops_should_be_sorted_for_bsearch);
	tcase_add_test(tc, lam_invoke_should_never_hold_a_dispatcher_transaction);
	tcase_add_test(tc, lam_boot_should_embed_the_bootstrap_scripts_unchanged);
	suite_add_tcase(s, tc);
	return s;
}
