/* test_lam_zip.c - the zip reader: stored and deflated entries, modes, corruption, unsafe names. */
#include <check.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "common/file.h"
#include "common/hash.h"
#include "common/mem.h"
#include "mocks/lambda/lam_zip.h"
#include "tests/suites.h"

/* ---- a small zip writer for the tests ---------------------------------- */

typedef struct zent {
	const char *name;
	const char *data;
	int deflate;
	unsigned mode; /* 0: no unix attributes */
} zent;

static void w16(sb *s, unsigned v)
{
	sb_catc(s, (char)(v & 0xff));
	sb_catc(s, (char)((v >> 8) & 0xff));
}

static void w32(sb *s, unsigned long v)
{
	w16(s, (unsigned)(v & 0xffff));
	w16(s, (unsigned)((v >> 16) & 0xffff));
}

static void build_zip(const zent *e, int n, sb *out)
{
	sb cd = SB_INIT;
	for (int i = 0; i < n; i++) {
		size_t len = strlen(e[i].data);
		unsigned long crc = hash_crc32(e[i].data, len);
		unsigned char *comp = NULL;
		size_t clen = len;
		if (e[i].deflate) {
			z_stream z;
			memset(&z, 0, sizeof z);
			ck_assert_int_eq(deflateInit2(&z, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
			comp = malloc(deflateBound(&z, len) + 16);
			z.next_in = (unsigned char *)(uintptr_t)e[i].data;
			z.avail_in = (uInt)len;
			z.next_out = comp;
			z.avail_out = (uInt)deflateBound(&z, len) + 16;
			ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
			clen = z.total_out;
			deflateEnd(&z);
		}
		size_t off = out->len;
		w32(out, 0x04034b50);
		w16(out, 20);
		w16(out, 0);
		w16(out, e[i].deflate ? 8 : 0);
		w16(out, 0);
		w16(out, 0x21);
		w32(out, crc);
		w32(out, clen);
		w32(out, len);
		w16(out, (unsigned)strlen(e[i].name));
		w16(out, 0);
		sb_cat(out, e[i].name);
		if (comp)
			sb_catn(out, (const char *)comp, clen);
		else
			sb_catn(out, e[i].data, len);
		free(comp);
		w32(&cd, 0x02014b50);
		w16(&cd, e[i].mode ? (3u << 8) | 20 : 20);
		w16(&cd, 20);
		w16(&cd, 0);
		w16(&cd, e[i].deflate ? 8 : 0);
		w16(&cd, 0);
		w16(&cd, 0x21);
		w32(&cd, crc);
		w32(&cd, clen);
		w32(&cd, len);
		w16(&cd, (unsigned)strlen(e[i].name));
		w16(&cd, 0);
		w16(&cd, 0);
		w16(&cd, 0);
		w16(&cd, 0);
		w32(&cd, e[i].mode ? (unsigned long)(e[i].mode | 0100000) << 16 : 0);
		w32(&cd, off);
		sb_cat(&cd, e[i].name);
	}
	size_t cd_off = out->len;
	sb_catn(out, cd.buf ? cd.buf : "", cd.len);
	w32(out, 0x06054b50);
	w16(out, 0);
	w16(out, 0);
	w16(out, (unsigned)n);
	w16(out, (unsigned)n);
	w32(out, cd.len);
	w32(out, cd_off);
	w16(out, 0);
	sb_free(&cd);
}

typedef struct seen {
	char names[8][64];
	char data[8][256];
	unsigned modes[8];
	int n;
} seen;

static int collect(void *ctx, const lam_zip_entry *e)
{
	seen *s = ctx;
	snprintf(s->names[s->n], 64, "%s", e->name);
	snprintf(s->data[s->n], 256, "%.*s", (int)e->len, (const char *)e->data);
	s->modes[s->n] = e->mode;
	s->n++;
	return 0;
}

START_TEST(lam_zip_should_read_stored_and_deflated_entries)
{
	const char *big = "the same words again and again, the same words again and again, the same words again";
	zent e[] = {{"lambda_function.py", "def h(e, c):\n    return 1\n", 0, 0644},
	            {"pkg/mod.py", big, 1, 0755}};
	sb z = SB_INIT, err = SB_INIT;
	build_zip(e, 2, &z);
	seen s;
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(lam_zip_each(z.buf, z.len, collect, &s, &err), 0);
	ck_assert_int_eq(s.n, 2);
	ck_assert_str_eq(s.names[0], "lambda_function.py");
	ck_assert_str_eq(s.data[0], "def h(e, c):\n    return 1\n");
	ck_assert_str_eq(s.names[1], "pkg/mod.py");
	ck_assert_str_eq(s.data[1], big);
	ck_assert_uint_eq(s.modes[1], 0755);
	sb_free(&z);
	sb_free(&err);
}
END_TEST

START_TEST(lam_zip_should_extract_files_with_their_modes)
{
	zent e[] = {{"bootstrap", "#!/bin/sh\necho hi\n", 1, 0755}, {"lib/data.txt", "payload", 0, 0}};
	sb z = SB_INIT, err = SB_INIT, p = SB_INIT;
	build_zip(e, 2, &z);
	char dir[] = "/tmp/stepbench-zip-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_msg(lam_zip_extract(z.buf, z.len, dir, &err) == 0, "%s", sb_str(&err));
	sb_printf(&p, "%s/bootstrap", dir);
	struct stat st;
	ck_assert_int_eq(stat(sb_str(&p), &st), 0);
	ck_assert(st.st_mode & S_IXUSR);
	sb_clear(&p);
	sb_printf(&p, "%s/lib/data.txt", dir);
	size_t len;
	char *text = file_read(sb_str(&p), 1024, &len, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, "payload");
	ck_assert_int_eq(stat(sb_str(&p), &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0644);
	mem_free(text);
	file_rmtree(dir);
	sb_free(&z);
	sb_free(&err);
	sb_free(&p);
}
END_TEST

START_TEST(lam_zip_should_reject_a_crc_mismatch)
{
	zent e[] = {{"a.txt", "hello", 0, 0}};
	sb z = SB_INIT, err = SB_INIT;
	build_zip(e, 1, &z);
	z.buf[30 + 5] = 'j'; /* the first data byte of the stored entry */
	ck_assert_int_eq(lam_zip_check(z.buf, z.len, &err), -1);
	ck_assert_ptr_nonnull(strstr(sb_str(&err), "CRC mismatch"));
	sb_free(&z);
	sb_free(&err);
}
END_TEST

START_TEST(lam_zip_should_reject_what_is_not_a_zip)
{
	sb err = SB_INIT;
	ck_assert_int_eq(lam_zip_check("", 0, &err), -1);
	ck_assert_int_eq(lam_zip_check("PK\003\004 not really a zip at all, no end record here", 50, &err), -1);
	zent e[] = {{"a.txt", "hello hello hello hello", 1, 0}};
	sb z = SB_INIT;
	build_zip(e, 1, &z);
	for (size_t cut = 1; cut < z.len; cut++) { /* every truncation fails cleanly */
		sb_clear(&err);
		ck_assert_int_eq(lam_zip_check(z.buf, z.len - cut, &err), -1);
	}
	/* a deflate stream that ends early */
	sb_clear(&z);
	build_zip(e, 1, &z);
	z.buf[30 + 5] ^= 0x55;
	sb_clear(&err);
	ck_assert_int_eq(lam_zip_check(z.buf, z.len, &err), -1);
	sb_free(&z);
	sb_free(&err);
}
END_TEST

START_TEST(lam_zip_should_refuse_names_that_escape_the_directory)
{
	ck_assert(lam_zip_name_safe("a/b/c.py"));
	ck_assert(lam_zip_name_safe("dir/"));
	ck_assert(lam_zip_name_safe("..a/b"));
	ck_assert(!lam_zip_name_safe("../x"));
	ck_assert(!lam_zip_name_safe("a/../../x"));
	ck_assert(!lam_zip_name_safe("a/.."));
	ck_assert(!lam_zip_name_safe("/etc/passwd"));
	ck_assert(!lam_zip_name_safe("a\\b"));
	ck_assert(!lam_zip_name_safe(""));
	zent e[] = {{"../evil.py", "x", 0, 0}};
	sb z = SB_INIT, err = SB_INIT;
	build_zip(e, 1, &z);
	ck_assert_int_eq(lam_zip_check(z.buf, z.len, &err), -1);
	ck_assert_ptr_nonnull(strstr(sb_str(&err), "unsafe entry name"));
	sb_free(&z);
	sb_free(&err);
}
END_TEST

START_TEST(lam_zip_should_refuse_zip64_archives)
{
	zent e[] = {{"a", "b", 0, 0}};
	sb z = SB_INIT, err = SB_INIT;
	build_zip(e, 1, &z);
	memset(z.buf + z.len - 22 + 16, 0xff, 4); /* central directory offset */
	ck_assert_int_eq(lam_zip_check(z.buf, z.len, &err), -1);
	ck_assert_ptr_nonnull(strstr(sb_str(&err), "zip64"));
	sb_free(&z);
	sb_free(&err);
}
END_TEST

Suite *suite_lam_zip(void)
{
	Suite *s = suite_create("mocks/lambda/zip");
	TCase *tc = tcase_create("zip");
	tcase_add_test(tc, lam_zip_should_read_stored_and_deflated_entries);
	tcase_add_test(tc, lam_zip_should_extract_files_with_their_modes);
	tcase_add_test(tc, lam_zip_should_reject_a_crc_mismatch);
	tcase_add_test(tc, lam_zip_should_reject_what_is_not_a_zip);
	tcase_add_test(tc, lam_zip_should_refuse_names_that_escape_the_directory);
	tcase_add_test(tc, lam_zip_should_refuse_zip64_archives);
	suite_add_tcase(s, tc);
	return s;
}
