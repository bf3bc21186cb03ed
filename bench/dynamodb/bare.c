/* bare.c - the HTTP ceiling for the DynamoDB benchmark: civetweb with stepbench's options, answering {}.
 *
 *   bare PORT      (0: any; prints "bare civetweb serving http://127.0.0.1:PORT" when listening)
 *
 * It reads the whole body and answers with a JSON 1.0 answer's headers, so
 * what stepbench costs beyond this is the mock's own work.
 */
#include <civetweb.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static int answer(struct mg_connection *c)
{
	char buf[8192];
	while (mg_read(c, buf, sizeof buf) > 0)
		;
	mg_response_header_start(c, 200);
	mg_response_header_add(c, "Content-Type", "application/x-amz-json-1.0", -1);
	mg_response_header_add(c, "Content-Length", "2", -1);
	mg_response_header_add(c, "x-amz-crc32", "2745614147", -1);
	mg_response_header_add(c, "x-amzn-RequestId", "00000000-0000-4000-8000-000000000000", -1);
	mg_response_header_send(c);
	mg_write(c, "{}", 2);
	return 200;
}

int main(int argc, char **argv)
{
	char ports[64];
	snprintf(ports, sizeof ports, "127.0.0.1:%s", argc > 1 ? argv[1] : "0");
	const char *opts[] = {"listening_ports", ports, "num_threads", "128", "enable_keep_alive", "yes",
	                      "keep_alive_timeout_ms", "60000", "request_timeout_ms", "600000", "listen_backlog",
	                      "1024", "tcp_nodelay", "1", NULL};
	struct mg_callbacks cb;
	memset(&cb, 0, sizeof cb);
	cb.begin_request = answer;
	mg_init_library(0);
	struct mg_context *ctx = mg_start(&cb, NULL, opts);
	if (!ctx) {
		fprintf(stderr, "bare: cannot listen on %s\n", ports);
		return 1;
	}
	struct mg_server_port sp;
	mg_get_server_ports(ctx, 1, &sp);
	printf("bare civetweb serving http://127.0.0.1:%d\n", sp.port);
	fflush(stdout);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (!stopping)
		pause();
	mg_stop(ctx);
	return 0;
}
