/* lam_bench.c - Invoke latency over one keep-alive HTTP connection on loopback.
 *
 *   lam_bench PORT FUNCTION COUNT [WARMUP]
 *
 * Sends COUNT sequential POST /2015-03-31/functions/FUNCTION/invocations
 * with a small JSON event after WARMUP unmeasured ones, checks every answer
 * is a 200, and prints one JSON line: count, mean, p50, p90, p99, max (ms)
 * and invocations per second. Plain libc, so the client adds little to what
 * it measures.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* One request and its whole answer; returns the status or -1. */
static int roundtrip(int fd, const char *req, size_t rlen)
{
	static char buf[1 << 16];
	for (size_t off = 0; off < rlen;) {
		ssize_t w = write(fd, req + off, rlen - off);
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	size_t have = 0;
	char *body = NULL;
	long clen = -1;
	for (;;) {
		ssize_t n = read(fd, buf + have, sizeof buf - have - 1);
		if (n <= 0)
			return -1;
		have += (size_t)n;
		buf[have] = '\0';
		if (!body && (body = strstr(buf, "\r\n\r\n"))) {
			body += 4;
			char *cl = strcasestr(buf, "\r\nContent-Length:");
			clen = cl ? strtol(cl + 17, NULL, 10) : 0;
		}
		if (body && (long)(have - (size_t)(body - buf)) >= clen)
			break;
		if (have >= sizeof buf - 1)
			return -1;
	}
	return (int)strtol(buf + 9, NULL, 10);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: lam_bench PORT FUNCTION COUNT [WARMUP]\n");
		return 2;
	}
	int port = atoi(argv[1]), count = atoi(argv[3]), warm = argc > 4 ? atoi(argv[4]) : 20;
	const char *fn = argv[2];
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa)) {
		perror("connect");
		return 1;
	}
	const char *body = "{\"userId\":\"user-12345\",\"created\":\"2025-10-20T10:30:00Z\"}";
	char req[1024];
	int rlen = snprintf(req, sizeof req,
	                    "POST /2015-03-31/functions/%s/invocations HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
	                    "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
	                    fn, port, strlen(body), body);
	double *lat = calloc((size_t)count, sizeof *lat);
	for (int i = 0; i < warm; i++)
		if (roundtrip(fd, req, (size_t)rlen) != 200) {
			fprintf(stderr, "warm-up invocation failed\n");
			return 1;
		}
	double t0 = now_ms();
	for (int i = 0; i < count; i++) {
		double s = now_ms();
		int st = roundtrip(fd, req, (size_t)rlen);
		lat[i] = now_ms() - s;
		if (st != 200) {
			fprintf(stderr, "invocation %d answered %d\n", i, st);
			return 1;
		}
	}
	double total = now_ms() - t0, sum = 0;
	for (int i = 0; i < count; i++)
		sum += lat[i];
	qsort(lat, (size_t)count, sizeof *lat, cmp);
	printf("{\"function\": \"%s\", \"count\": %d, \"mean_ms\": %.3f, \"p50_ms\": %.3f, \"p90_ms\": %.3f, "
	       "\"p99_ms\": %.3f, \"max_ms\": %.3f, \"per_second\": %.1f}\n",
	       fn, count, sum / count, lat[count / 2], lat[count * 9 / 10], lat[count * 99 / 100], lat[count - 1],
	       count / (total / 1e3));
	free(lat);
	close(fd);
	return 0;
}
