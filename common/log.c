/* log.c - leveled logging to stderr. */
#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int level = -1;

static log_level env_level(void)
{
	const char *e = getenv("STEPBENCH_LOG");
	if (!e)
		return LOG_WARN;
	static const char *names[] = {"debug", "info", "warn", "error", "off"};
	for (int i = 0; i <= LOG_OFF; i++)
		if (!strcmp(e, names[i]))
			return (log_level)i;
	return LOG_WARN;
}

void log_set_level(log_level l) { level = (int)l; }

log_level log_get_level(void)
{
	if (level < 0)
		level = (int)env_level();
	return (log_level)level;
}

void log_msg(log_level l, const char *fmt, ...)
{
	if (l < log_get_level())
		return;
	static const char *tags[] = {"debug", "info", "warn", "error"};
	char buf[2048];
	int n = snprintf(buf, sizeof buf, "stepbench: %s: ", tags[l]);
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
	va_end(ap);
	size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
	if (len > sizeof buf - 2)
		len = sizeof buf - 2;
	buf[len++] = '\n';
	ssize_t w = write(2, buf, len);
	(void)w;
}
