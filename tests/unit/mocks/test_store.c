/* test_store.c - the LMDB adapter: transactions, cursors, prefixes. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mocks/store/store.h"
#include "tests/suites.h"

static store *st;
static store_db db;

static void setup(void)
{
	ck_assert_int_eq(store_open(NULL, STORE_TEMP, &st), 0);
	ck_assert_int_eq(store_db_open(st, "t", 0, &db), 0);
}

static void teardown(void)
{
	char *path = strdup(store_path(st));
	store_close(st);
	store_pool_clear();
	ck_assert_int_ne(access(path, F_OK), 0); /* the temporary directory is gone */
	free(path);
}

static void put(store_txn *t, const char *k, const char *v)
{
	ck_assert_int_eq(store_put(t, db, k, strlen(k), v, strlen(v), 0), 0);
}

START_TEST(store_should_commit_and_abort_whole_transactions)
{
	store_txn *t;
	ck_assert_int_eq(store_txn_begin(st, 0, &t), 0);
	put(t, "a", "1");
	ck_assert_int_eq(store_txn_commit(t), 0);
	ck_assert_int_eq(store_txn_begin(st, 0, &t), 0);
	put(t, "b", "2");
	store_txn_abort(t);
	ck_assert_int_eq(store_txn_begin(st, 1, &t), 0);
	store_val v;
	ck_assert_int_eq(store_get(t, db, "a", 1, &v), 0);
	ck_assert_int_eq(v.len, 1);
	ck_assert_int_eq(memcmp(v.data, "1", 1), 0);
	ck_assert_int_eq(store_get(t, db, "b", 1, &v), STORE_NOTFOUND);
	store_txn_abort(t);
}
END_TEST

START_TEST(store_put_should_refuse_overwrite_when_asked_and_oversized_keys)
{
	store_txn *t;
	char big[STORE_MAX_KEY + 1];
	memset(big, 'k', sizeof big);
	ck_assert_int_eq(store_txn_begin(st, 0, &t), 0);
	put(t, "a", "1");
	ck_assert_int_eq(store_put(t, db, "a", 1, "2", 1, 1), STORE_EXISTS);
	ck_assert_int_eq(store_put(t, db, big, sizeof big, "x", 1, 0), STORE_BAD);
	ck_assert_int_eq(store_put(t, db, big, STORE_MAX_KEY, "x", 1, 0), 0);
	store_txn_abort(t);
	ck_assert_str_eq(store_strerror(STORE_NOTFOUND), "not found");
}
END_TEST

START_TEST(store_cursor_should_walk_in_byte_order_and_delete_prefixes)
{
	store_txn *t;
	ck_assert_int_eq(store_txn_begin(st, 0, &t), 0);
	const char *keys[] = {"q1/b", "q2/a", "q1/a", "q1/c", "q0/z"};
	for (int i = 0; i < 5; i++)
		put(t, keys[i], "v");
	store_cur *c;
	ck_assert_int_eq(store_cur_open(t, db, &c), 0);
	store_val k = {"q1/", 3};
	ck_assert_int_eq(store_cur_get(c, STORE_SET_RANGE, &k, NULL), 0);
	ck_assert_int_eq(memcmp(k.data, "q1/a", 4), 0);
	ck_assert_int_eq(store_cur_get(c, STORE_NEXT, &k, NULL), 0);
	ck_assert_int_eq(memcmp(k.data, "q1/b", 4), 0);
	store_cur_close(c);
	ck_assert_int_eq(store_del_prefix(t, db, "q1/", 3), 0);
	size_t n;
	ck_assert_int_eq(store_count(t, db, &n), 0);
	ck_assert_uint_eq(n, 2);
	/* deleting up to the end of the database */
	ck_assert_int_eq(store_del_prefix(t, db, "q2/", 3), 0);
	ck_assert_int_eq(store_count(t, db, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(store_txn_commit(t), 0);
}
END_TEST

START_TEST(store_temp_should_come_back_empty_after_close)
{
	store_txn *t;
	ck_assert_int_eq(store_txn_begin(st, 0, &t), 0);
	put(t, "a", "1");
	ck_assert_int_eq(store_txn_commit(t), 0);
	store_db other;
	ck_assert_int_eq(store_db_open(st, "other", 1, &other), 0);
	ck_assert_int_eq(store_txn_begin(st, 0, &t), 0);
	ck_assert_int_eq(store_put(t, other, "k", 1, "v", 1, 0), 0);
	ck_assert_int_eq(store_txn_commit(t), 0);
	char *path = strdup(store_path(st));
	store_close(st);

	/* the next temporary store reuses the environment, with nothing in it */
	ck_assert_int_eq(store_open(NULL, STORE_TEMP, &st), 0);
	ck_assert_str_eq(store_path(st), path);
	ck_assert_int_eq(store_db_open(st, "t", 0, &db), 0);
	ck_assert_int_eq(store_db_open(st, "other", 1, &other), 0);
	ck_assert_int_eq(store_db_open(st, "other", 0, &other), EINVAL); /* flags must agree */
	ck_assert_int_eq(store_txn_begin(st, 1, &t), 0);
	store_val v;
	ck_assert_int_eq(store_get(t, db, "a", 1, &v), STORE_NOTFOUND);
	ck_assert_int_eq(store_get(t, other, "k", 1, &v), STORE_NOTFOUND);
	store_txn_abort(t);

	/* two open at once are two environments */
	store *second;
	ck_assert_int_eq(store_open(NULL, STORE_TEMP, &second), 0);
	ck_assert_str_ne(store_path(second), store_path(st));
	store_close(second);
	free(path);
}
END_TEST

Suite *suite_store(void)
{
	Suite *s = suite_create("mocks/store");
	TCase *tc = tcase_create("store");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, store_should_commit_and_abort_whole_transactions);
	tcase_add_test(tc, store_put_should_refuse_overwrite_when_asked_and_oversized_keys);
	tcase_add_test(tc, store_cursor_should_walk_in_byte_order_and_delete_prefixes);
	tcase_add_test(tc, store_temp_should_come_back_empty_after_close);
	suite_add_tcase(s, tc);
	return s;
}
