/* cmd_serve.c - `stepbench serve`: the mocks over HTTP for real AWS clients. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "common/log.h"
#include "mocks/server/server.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: stepbench serve [--host 127.0.0.1] [--port 4566] [--data DIR] [--threads N]\n"
	                "                       [--region us-east-1] [--account 000000000000] [--sync]\n"
	                "  --port 0 picks a free port; the chosen URL is printed on stdout.\n"
	                "  --data DIR persists to DIR (default: a temporary store, gone on exit).\n"
	                "  --sync fsyncs every write (power-loss durable); by default a write is\n"
	                "    durable against a crash of this process once it is acknowledged.\n");
	return 2;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	srv_opts so = {0};
	mock_world_opts wo = {0};
	so.port = 4566;
	int sync = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--sync")) {
			sync = 1;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage();
			return 0;
		}
		if (!v)
			return usage();
		if (!strcmp(a, "--host"))
			so.host = v;
		else if (!strcmp(a, "--port")) {
			if (parse_int(v, 0, 65535, &so.port))
				return usage();
		} else if (!strcmp(a, "--threads")) {
			if (parse_int(v, 1, 4096, &so.threads))
				return usage();
		} else if (!strcmp(a, "--data"))
			wo.data_dir = v;
		else if (!strcmp(a, "--region"))
			wo.region = v;
		else if (!strcmp(a, "--account"))
			wo.account = v;
		else
			return usage();
		i++;
	}
	wo.nosync = !sync;
	char endpoint[128];
	sb err = SB_INIT;
	mock_world *w = mock_world_new(&wo, &err);
	if (!w) {
		fprintf(stderr, "stepbench serve: %s\n", sb_str(&err));
		sb_free(&err);
		return 2;
	}
	srv *s = srv_start(w, &so, &err);
	if (!s) {
		fprintf(stderr, "stepbench serve: %s\n", sb_str(&err));
		sb_free(&err);
		mock_world_free(w);
		return 2;
	}
	snprintf(endpoint, sizeof endpoint, "http://%s:%d", so.host ? so.host : "127.0.0.1", srv_port(s));
	snprintf(w->endpoint, sizeof w->endpoint, "%s", endpoint);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	printf("stepbench %s serving %s (data: %s)\n", STEPBENCH_VERSION, endpoint,
	       wo.data_dir ? wo.data_dir : "temporary");
	fflush(stdout);
	while (!stop_requested)
		pause();
	srv_stop(s);
	mock_world_free(w);
	sb_free(&err);
	return 0;
}
