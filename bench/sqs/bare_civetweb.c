/* bare_civetweb.c - the ceiling: civetweb configured as stepbench serve, answering every request with {}.
 *
 *   bare_civetweb PORT   (prints "bare civetweb serving http://127.0.0.1:PORT" once listening)
 *
 * It reads the body and answers with the same headers a JSON 1.0 answer
 * carries, so the difference to stepbench is the mock's own work.
 */
#include <civetweb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int on_request(struct mg_connection *c)
{
	char buf[16384];
	while (mg_read(c, buf, sizeof buf) > 0)
		;
	mg_response_header_start(c, 200);
	mg_response_header_add(c, "Content-Type", "application/x-amz-json-1.0", -1);
	mg_response_header_add(c, "Content-Length", "2", -1);
	mg_response_header_add(c, "x-amzn-RequestId", "00000000-0000-0000-0000-000000000000", -1);
	mg_response_header_send(c);
	mg_write(c, "{}", 2);
	return 200;
}

int main(int argc, char **argv)
{
	char ports[64];
	snprintf(ports, sizeof ports, "127.0.0.1:%s", argc > 1 ? argv[1] : "0");
	const char *opts[] = {"listening_ports", ports, "num_threads", "128", "enable_keep_alive", "yes",
	                      "keep_alive_timeout_ms", "60000", "request_timeout_ms", "600000",
	                      "listen_backlog", "1024", "tcp_nodelay", "1", NULL};
	struct mg_callbacks cb = {0};
	cb.begin_request = on_request;
	mg_init_library(0);
	struct mg_context *ctx = mg_start(&cb, NULL, opts);
	if (!ctx) {
		fprintf(stderr, "bare_civetweb: cannot listen on %s\n", ports);
		return 1;
	}
	struct mg_server_port sp[1];
	mg_get_server_ports(ctx, 1, sp);
	printf("bare civetweb serving http://127.0.0.1:%d\n", sp[0].port);
	fflush(stdout);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (!stop)
		pause();
	mg_stop(ctx);
	return 0;
}
