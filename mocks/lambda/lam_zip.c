/* lam_zip.c - zip archives in memory: central directory walk, inflate, extraction. */
#include "mocks/lambda/lam_zip.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "common/file.h"
#include "common/hash.h"
#include "common/mem.h"

#define SIG_EOCD 0x06054b50u
#define SIG_CEN 0x02014b50u
#define SIG_LOC 0x04034b50u
#define EOCD_LEN 22u
#define CEN_LEN 46u
#define LOC_LEN 30u

static uint32_t rd16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int lam_zip_name_safe(const char *name)
{
	if (!*name || name[0] == '/' || strchr(name, '\\'))
		return 0;
	for (const char *p = name; *p;) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 0;
		if (!e)
			break;
		p = e + 1;
	}
	return 1;
}

/* Inflates raw deflate data of exactly usize bytes into out. */
static int inflate_raw(const unsigned char *src, size_t slen, size_t usize, unsigned char *out, sb *err)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, -MAX_WBITS) != Z_OK) {
		sb_printf(err, "cannot start the inflater");
		return -1;
	}
	int rc = Z_OK;
	size_t in_done = 0, out_done = 0;
	/* avail_in/avail_out are 32-bit: feed in chunks */
	while (rc == Z_OK) {
		size_t ci = slen - in_done, co = usize - out_done + 1;
		z.next_in = (unsigned char *)(uintptr_t)(src + in_done);
		z.avail_in = ci > (1u << 30) ? (1u << 30) : (uInt)ci;
		z.next_out = out + out_done;
		z.avail_out = co > (1u << 30) ? (1u << 30) : (uInt)co;
		uInt ai = z.avail_in, ao = z.avail_out;
		rc = inflate(&z, Z_NO_FLUSH);
		in_done += ai - z.avail_in;
		out_done += ao - z.avail_out;
		if (rc == Z_BUF_ERROR && ai == z.avail_in && ao == z.avail_out)
			break; /* no progress: input ran out */
		if (rc == Z_BUF_ERROR)
			rc = Z_OK;
	}
	inflateEnd(&z);
	if (rc != Z_STREAM_END || out_done != usize) {
		sb_printf(err, "corrupt deflate data");
		return -1;
	}
	return 0;
}

int lam_zip_each(const void *zipv, size_t len, int (*fn)(void *ctx, const lam_zip_entry *e), void *ctx,
                 sb *err)
{
	const unsigned char *z = zipv;
	if (len < EOCD_LEN) {
		sb_printf(err, "not a zip file (too short)");
		return -1;
	}
	/* the end record is the last 22 bytes plus a comment of up to 64 KB */
	size_t eocd = 0;
	int found = 0;
	size_t lo = len > EOCD_LEN + 65535u ? len - EOCD_LEN - 65535u : 0;
	for (size_t i = len - EOCD_LEN + 1; i-- > lo;) {
		if (rd32(z + i) == SIG_EOCD && i + EOCD_LEN + rd16(z + i + 20) == len) {
			eocd = i;
			found = 1;
			break;
		}
	}
	if (!found) {
		sb_printf(err, "not a zip file (no end of central directory)");
		return -1;
	}
	const unsigned char *e = z + eocd;
	uint32_t disk = rd16(e + 4), cd_disk = rd16(e + 6), n_disk = rd16(e + 8), n = rd16(e + 10);
	uint32_t cd_size = rd32(e + 12), cd_off = rd32(e + 16);
	if (n == 0xFFFF || cd_size == 0xFFFFFFFFu || cd_off == 0xFFFFFFFFu) {
		sb_printf(err, "zip64 archives are not supported");
		return -1;
	}
	if (disk || cd_disk || n_disk != n) {
		sb_printf(err, "multi-disk zip archives are not supported");
		return -1;
	}
	if ((uint64_t)cd_off + cd_size > eocd) {
		sb_printf(err, "corrupt zip (central directory out of bounds)");
		return -1;
	}
	if (n > LAM_ZIP_MAX_ENTRIES) {
		sb_printf(err, "too many entries in the zip (%u)", n);
		return -1;
	}
	uint64_t total = 0;
	size_t p = cd_off, end = (size_t)cd_off + cd_size;
	for (uint32_t i = 0; i < n; i++) {
		if (p + CEN_LEN > end || rd32(z + p) != SIG_CEN) {
			sb_printf(err, "corrupt zip (bad central header %u)", i);
			return -1;
		}
		const unsigned char *c = z + p;
		uint32_t made_by = rd16(c + 4), flags = rd16(c + 8), method = rd16(c + 10);
		uint32_t crc = rd32(c + 16), csize = rd32(c + 20), usize = rd32(c + 24);
		uint32_t nl = rd16(c + 28), xl = rd16(c + 30), cl = rd16(c + 32);
		uint32_t ext = rd32(c + 38), loff = rd32(c + 42);
		if (p + CEN_LEN + nl + xl + cl > end) {
			sb_printf(err, "corrupt zip (central header %u out of bounds)", i);
			return -1;
		}
		if (csize == 0xFFFFFFFFu || usize == 0xFFFFFFFFu || loff == 0xFFFFFFFFu) {
			sb_printf(err, "zip64 entries are not supported");
			return -1;
		}
		char *name = mem_strndup((const char *)c + CEN_LEN, nl);
		p += CEN_LEN + nl + xl + cl;
		int rc = 0;
		unsigned char *buf = NULL;
		if (strlen(name) != nl || !lam_zip_name_safe(name)) {
			sb_printf(err, "unsafe entry name in the zip: \"%s\"", name);
			rc = -1;
		} else if (flags & 1u) {
			sb_printf(err, "encrypted zip entries are not supported (%s)", name);
			rc = -1;
		} else if (method != 0 && method != 8) {
			sb_printf(err, "zip entry %s uses compression method %u (only stored and deflate are supported)",
			          name, method);
			rc = -1;
		} else if ((uint64_t)loff + LOC_LEN > cd_off || rd32(z + loff) != SIG_LOC) {
			sb_printf(err, "corrupt zip (bad local header for %s)", name);
			rc = -1;
		} else if ((total += usize) > LAM_ZIP_MAX_TOTAL) {
			sb_printf(err, "the zip's contents exceed %llu bytes unzipped", (unsigned long long)LAM_ZIP_MAX_TOTAL);
			rc = -1;
		} else if (method == 0 && csize != usize) {
			sb_printf(err, "corrupt zip (stored entry %s has different sizes)", name);
			rc = -1;
		}
		size_t data = 0;
		if (!rc) {
			data = (size_t)loff + LOC_LEN + rd16(z + loff + 26) + rd16(z + loff + 28);
			if ((uint64_t)data + csize > cd_off) {
				sb_printf(err, "corrupt zip (data of %s out of bounds)", name);
				rc = -1;
			}
		}
		if (!rc) {
			lam_zip_entry en;
			memset(&en, 0, sizeof en);
			en.name = name;
			en.len = usize;
			en.is_dir = nl > 0 && name[nl - 1] == '/';
			if ((made_by >> 8) == 3) { /* unix: st_mode in the high half */
				unsigned m = ext >> 16;
				en.mode = m & 07777;
				en.is_link = (m & 0170000) == 0120000;
				if ((m & 0170000) == 0040000)
					en.is_dir = 1;
			}
			if (method == 0) {
				en.data = z + data;
			} else {
				buf = mem_alloc((size_t)usize + 1); /* one spare byte detects an overlong stream */
				if (inflate_raw(z + data, csize, usize, buf, err)) {
					sb_printf(err, " in %s", name);
					rc = -1;
				}
				en.data = buf;
			}
			if (!rc && hash_crc32(en.data, en.len) != crc) {
				sb_printf(err, "CRC mismatch in zip entry %s", name);
				rc = -1;
			}
			if (!rc)
				rc = fn(ctx, &en);
		}
		mem_free(buf);
		mem_free(name);
		if (rc)
			return rc;
	}
	return 0;
}

static int check_cb(void *ctx, const lam_zip_entry *e)
{
	(void)ctx;
	(void)e;
	return 0;
}

int lam_zip_check(const void *zip, size_t len, sb *err) { return lam_zip_each(zip, len, check_cb, NULL, err); }

typedef struct extract_ctx {
	const char *dir;
	sb *err;
} extract_ctx;

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int extract_cb(void *ctx, const lam_zip_entry *e)
{
	extract_ctx *x = ctx;
	sb path = SB_INIT, parent = SB_INIT;
	int rc = 0;
	file_join(x->dir, e->name, &path);
	if (e->is_dir) {
		if (file_mkdirs(sb_str(&path))) {
			sb_printf(x->err, "cannot create %s: %s", sb_str(&path), strerror(errno));
			rc = -1;
		}
		goto done;
	}
	file_dirname(sb_str(&path), &parent);
	if (file_mkdirs(sb_str(&parent))) {
		sb_printf(x->err, "cannot create %s: %s", sb_str(&parent), strerror(errno));
		rc = -1;
		goto done;
	}
	unsigned mode = e->mode && !e->is_link ? (e->mode & 0777) | 0600 : 0644;
	int fd = open(sb_str(&path), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0) {
		sb_printf(x->err, "cannot write %s: %s", sb_str(&path), strerror(errno));
		rc = -1;
		goto done;
	}
	if (write_all(fd, e->data, e->len) || fchmod(fd, mode)) {
		sb_printf(x->err, "cannot write %s: %s", sb_str(&path), strerror(errno));
		rc = -1;
	}
	close(fd);
done:
	sb_free(&path);
	sb_free(&parent);
	return rc;
}

int lam_zip_extract(const void *zip, size_t len, const char *dir, sb *err)
{
	extract_ctx x = {dir, err};
	return lam_zip_each(zip, len, extract_cb, &x, err) ? -1 : 0;
}
