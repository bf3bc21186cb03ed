/* lam_proc.c - run one child process: stdin in, result and log out, a hard timeout, always reaped.
 *
 * The child is started with posix_spawn (no fork of the multi-threaded
 * server), in its own process group so that the timeout, or the end of the
 * invocation, kills whatever it started too. Every descriptor above fd 3 is
 * closed in the child; ours are O_CLOEXEC. SIGPIPE is blocked in this thread
 * while we write the child's stdin, so a child that exits early cannot kill
 * a caller that has not ignored SIGPIPE.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/mem.h"
#include "mocks/lambda/lam_int.h"

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* A pipe whose ends are CLOEXEC and numbered above 9, so that dup2 onto
 * 0-3 in the child never meets a descriptor already in place. */
static int hi_pipe(int fd[2])
{
	int p[2];
	if (pipe2(p, O_CLOEXEC))
		return -1;
	for (int i = 0; i < 2; i++) {
		int h = fcntl(p[i], F_DUPFD_CLOEXEC, 10);
		if (h < 0) {
			close(p[0]);
			close(p[1]);
			if (i == 1)
				close(fd[0]);
			return -1;
		}
		close(p[i]);
		fd[i] = h;
	}
	return 0;
}

static void closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void nonblock(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

/* civetweb's worker threads have small stacks: the read buffer lives on the heap */
#define READ_BUF 65536

/* Reads what fd has now; returns 1 at EOF or error (fd closed), 0 otherwise. */
static int drain(int *fd, char *buf, sb *dst, size_t cap, size_t *total, int keep_tail)
{
	for (;;) {
		ssize_t n = read(*fd, buf, READ_BUF);
		if (n > 0) {
			if (total)
				*total += (size_t)n;
			if (keep_tail) {
				sb_catn(dst, buf, (size_t)n);
				if (dst->len > 2 * cap + READ_BUF) { /* keep the last cap bytes */
					memmove(dst->buf, dst->buf + dst->len - cap, cap);
					dst->len = cap;
					dst->buf[cap] = '\0';
				}
			} else if (dst->len < cap) {
				size_t room = cap - dst->len;
				sb_catn(dst, buf, (size_t)n < room ? (size_t)n : room);
			}
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		closep(fd);
		return 1;
	}
}

static void trim_tail(sb *s, size_t cap)
{
	if (s->len > cap) {
		memmove(s->buf, s->buf + s->len - cap, cap);
		s->len = cap;
		s->buf[cap] = '\0';
	}
}

int lam_proc_run(const lam_proc *p, lam_proc_out *o, sb *err)
{
	memset(o, 0, sizeof *o);
	o->exit_code = -1;
	int in[2] = {-1, -1}, lg[2] = {-1, -1}, rs[2] = {-1, -1};
	if (hi_pipe(in) || hi_pipe(lg) || hi_pipe(rs)) {
		sb_printf(err, "cannot create pipes: %s", strerror(errno));
		closep(&in[0]), closep(&in[1]), closep(&lg[0]), closep(&lg[1]);
		return -1;
	}
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	if (p->result_fd3) {
		posix_spawn_file_actions_adddup2(&fa, lg[1], 1);
		posix_spawn_file_actions_adddup2(&fa, lg[1], 2);
		posix_spawn_file_actions_adddup2(&fa, rs[1], 3);
		posix_spawn_file_actions_addclosefrom_np(&fa, 4);
	} else {
		posix_spawn_file_actions_adddup2(&fa, rs[1], 1);
		posix_spawn_file_actions_adddup2(&fa, lg[1], 2);
		posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	}
	if (p->cwd)
		posix_spawn_file_actions_addchdir_np(&fa, p->cwd);
	sigset_t none, dflt;
	sigemptyset(&none);
	sigemptyset(&dflt);
	sigaddset(&dflt, SIGPIPE);
	sigaddset(&dflt, SIGINT);
	sigaddset(&dflt, SIGTERM);
	sigaddset(&dflt, SIGCHLD);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dflt);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	double t0 = mono_ms();
	pid_t pid;
	int rc = posix_spawn(&pid, p->path, &fa, &at, p->argv, p->envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	closep(&in[0]);
	closep(&lg[1]);
	closep(&rs[1]);
	if (rc) {
		sb_printf(err, "cannot start %s: %s", p->path, strerror(rc));
		closep(&in[1]), closep(&lg[0]), closep(&rs[0]);
		return -1;
	}
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	nonblock(in[1]);
	nonblock(lg[0]);
	nonblock(rs[0]);
	sigset_t pipe_set, old_mask;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
	size_t in_off = 0;
	char *buf = mem_alloc(READ_BUF);
	if (!p->in_len)
		closep(&in[1]);
	int exited = 0;
	double deadline = p->timeout_ms > 0 ? t0 + p->timeout_ms : 0;
	while (!exited) {
		struct pollfd pf[4];
		int n = 0, i_in = -1, i_lg = -1, i_rs = -1, i_pid = -1;
		if (in[1] >= 0)
			pf[i_in = n++] = (struct pollfd){in[1], POLLOUT, 0};
		if (lg[0] >= 0)
			pf[i_lg = n++] = (struct pollfd){lg[0], POLLIN, 0};
		if (rs[0] >= 0)
			pf[i_rs = n++] = (struct pollfd){rs[0], POLLIN, 0};
		if (pidfd >= 0)
			pf[i_pid = n++] = (struct pollfd){pidfd, POLLIN, 0};
		int wait = -1;
		if (deadline) {
			double left = deadline - mono_ms();
			if (left <= 0) {
				o->timed_out = 1;
				break;
			}
			wait = (int)left + 1;
		}
		if (pidfd < 0 && (wait < 0 || wait > 20))
			wait = 20; /* no pidfd: look at the child now and then */
		int r = poll(pf, (nfds_t)n, wait);
		if (r < 0 && errno != EINTR)
			break;
		if (i_in >= 0 && pf[i_in].revents) {
			ssize_t w = write(in[1], p->in + in_off, p->in_len - in_off);
			if (w > 0)
				in_off += (size_t)w;
			if ((w < 0 && errno != EAGAIN && errno != EINTR) || in_off == p->in_len)
				closep(&in[1]); /* done, or the child stopped reading (EPIPE) */
		}
		if (i_lg >= 0 && pf[i_lg].revents)
			drain(&lg[0], buf, &o->log, p->max_log, NULL, 1);
		if (i_rs >= 0 && pf[i_rs].revents)
			drain(&rs[0], buf, &o->result, p->max_result, &o->result_total, 0);
		if (i_pid >= 0 && pf[i_pid].revents)
			exited = 1;
		if (pidfd < 0) {
			siginfo_t si;
			memset(&si, 0, sizeof si);
			if (!waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) && si.si_pid == pid)
				exited = 1;
		}
	}
	/* the child has exited (or timed out): take what is buffered, then end
	 * the whole process group before reaping, while its id is still ours */
	if (lg[0] >= 0)
		drain(&lg[0], buf, &o->log, p->max_log, NULL, 1);
	if (rs[0] >= 0)
		drain(&rs[0], buf, &o->result, p->max_result, &o->result_total, 0);
	kill(-pid, SIGKILL);
	int status = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
		;
	o->duration_ms = mono_ms() - t0;
	/* a pending SIGPIPE from our writes must not reach the caller */
	struct timespec zero = {0, 0};
	while (sigtimedwait(&pipe_set, NULL, &zero) > 0)
		;
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	if (o->timed_out) {
		o->exit_code = -1;
		o->signal = SIGKILL;
	} else if (WIFEXITED(status)) {
		o->exit_code = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		o->signal = WTERMSIG(status);
	}
	o->max_rss_kb = ru.ru_maxrss;
	trim_tail(&o->log, p->max_log);
	closep(&in[1]);
	closep(&lg[0]);
	closep(&rs[0]);
	closep(&pidfd);
	mem_free(buf);
	return 0;
}

void lam_proc_out_free(lam_proc_out *o)
{
	sb_free(&o->result);
	sb_free(&o->log);
}
