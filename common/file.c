/* file.c - whole-file reading and atomic writing. */
#include "common/file.h"

#include "common/mem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void file_err(sb *err, const char *path)
{
	if (err)
		sb_printf(err, "%s: %s", path, strerror(errno));
}

char *file_read(const char *path, size_t max, size_t *len, sb *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		file_err(err, path);
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		file_err(err, path);
		return NULL;
	}
	sb s = SB_INIT;
	char buf[65536];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			sb_free(&s);
			errno = e;
			file_err(err, path);
			return NULL;
		}
		if (n == 0)
			break;
		if (s.len + (size_t)n > max) {
			close(fd);
			sb_free(&s);
			errno = EFBIG;
			file_err(err, path);
			return NULL;
		}
		sb_catn(&s, buf, (size_t)n);
	}
	close(fd);
	if (len)
		*len = s.len;
	return sb_steal(&s);
}

int file_write(const char *path, const void *p, size_t n, sb *err)
{
	sb tmp = SB_INIT;
	sb_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		file_err(err, path);
		sb_free(&tmp);
		return -1;
	}
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			unlink(tmp.buf);
			sb_free(&tmp);
			errno = e;
			file_err(err, path);
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	if (close(fd) || rename(tmp.buf, path)) {
		int e = errno;
		unlink(tmp.buf);
		sb_free(&tmp);
		errno = e;
		file_err(err, path);
		return -1;
	}
	sb_free(&tmp);
	return 0;
}

int file_mkdirs(const char *dir)
{
	char *d = mem_strdup(dir);
	for (char *p = d + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0755) && errno != EEXIST) {
			mem_free(d);
			return -1;
		}
		*p = '/';
	}
	int r = mkdir(d, 0755) && errno != EEXIST ? -1 : 0;
	mem_free(d);
	return r;
}

int file_rmtree(const char *dir)
{
	DIR *dh = opendir(dir);
	if (!dh)
		return errno == ENOENT ? 0 : (errno == ENOTDIR ? unlink(dir) : -1);
	struct dirent *e;
	int rc = 0;
	sb p = SB_INIT;
	while ((e = readdir(dh))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		sb_clear(&p);
		sb_printf(&p, "%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(p.buf, &st) == 0 && S_ISDIR(st.st_mode))
			rc |= file_rmtree(p.buf);
		else if (unlink(p.buf) && errno != ENOENT)
			rc = -1;
	}
	closedir(dh);
	sb_free(&p);
	if (rmdir(dir) && errno != ENOENT)
		rc = -1;
	return rc;
}

void file_dirname(const char *path, sb *out)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		sb_cat(out, ".");
	else if (slash == path)
		sb_cat(out, "/");
	else
		sb_catn(out, path, (size_t)(slash - path));
}

void file_join(const char *dir, const char *rel, sb *out)
{
	if (rel[0] == '/' || !dir || !dir[0] || !strcmp(dir, ".")) {
		sb_cat(out, rel);
		return;
	}
	sb_cat(out, dir);
	if (dir[strlen(dir) - 1] != '/')
		sb_catc(out, '/');
	sb_cat(out, rel);
}

void file_beside(const char *file, const char *rel, sb *out)
{
	sb dir = SB_INIT;
	file_dirname(file, &dir);
	file_join(sb_str(&dir), rel, out);
	sb_free(&dir);
}
