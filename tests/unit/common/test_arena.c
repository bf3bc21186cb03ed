/* test_arena.c - the bump allocator and the string buffer. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "common/arena.h"
#include "common/mem.h"
#include "common/sb.h"
#include "tests/suites.h"

START_TEST(arena_alloc_should_align_and_keep_earlier_blocks_intact)
{
	arena *a = arena_new();
	char *first = arena_strdup(a, "first");
	for (int i = 0; i < 10000; i++) {
		void *p = arena_alloc(a, (size_t)(i % 97) + 1);
		ck_assert_int_eq((uintptr_t)p % 16, 0);
		memset(p, 0xAB, (size_t)(i % 97) + 1);
	}
	void *big = arena_alloc(a, 1 << 20);
	memset(big, 1, 1 << 20);
	ck_assert_str_eq(first, "first");
	arena_reset(a);
	ck_assert_uint_eq(arena_used(a), 0);
	ck_assert_str_eq(arena_printf(a, "%d-%s", 42, "x"), "42-x");
	arena_free(a);
}
END_TEST

START_TEST(arena_realloc_should_preserve_contents)
{
	arena *a = arena_new();
	char *p = arena_alloc(a, 4);
	memcpy(p, "abc", 4);
	p = arena_realloc(a, p, 4, 100000);
	ck_assert_str_eq(p, "abc");
	arena_free(a);
}
END_TEST

START_TEST(sb_should_grow_and_escape)
{
	sb s = SB_INIT;
	ck_assert_str_eq(sb_str(&s), "");
	for (int i = 0; i < 1000; i++)
		sb_printf(&s, "%d,", i);
	ck_assert_uint_eq(s.len, strlen(s.buf));
	sb_clear(&s);
	sb_cat_json_str(&s, "a\"b\\c\n\x01", 7);
	ck_assert_str_eq(sb_str(&s), "\"a\\\"b\\\\c\\n\\u0001\"");
	sb_clear(&s);
	sb_cat_xml(&s, "<a & 'b'>\x01", 10);
	ck_assert_str_eq(sb_str(&s), "&lt;a &amp; &apos;b&apos;&gt;");
	char *owned = sb_steal(&s);
	ck_assert_ptr_null(s.buf);
	mem_free(owned);
}
END_TEST

Suite *suite_arena(void)
{
	Suite *s = suite_create("common/arena");
	TCase *tc = tcase_create("arena");
	tcase_add_test(tc, arena_alloc_should_align_and_keep_earlier_blocks_intact);
	tcase_add_test(tc, arena_realloc_should_preserve_contents);
	tcase_add_test(tc, sb_should_grow_and_escape);
	suite_add_tcase(s, tc);
	return s;
}
