/* log.h - leveled logging to stderr.
 *
 * The level is process-wide (LOG_WARN by default; STEPBENCH_LOG=debug|info|
 * warn|error overrides it at first use). Messages are one line each,
 * prefixed with the level. Thread-safe: each message is one write.
 */
#ifndef STEPBENCH_LOG_H
#define STEPBENCH_LOG_H

typedef enum { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF } log_level;

void log_set_level(log_level l);
log_level log_get_level(void);
void log_msg(log_level l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
