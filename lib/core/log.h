/* log: one-line key=value logs on stderr, each with a request id. */
#ifndef SOUK_LOG_H
#define SOUK_LOG_H

enum { LOG_DEBUG = 0, LOG_INFO = 1, LOG_WARN = 2, LOG_ERROR = 3 };

void log_set_level(int level);
/* rid may be NULL (process events). The message is free text; it is quoted
 * and CR/LF/quotes are escaped so one event stays one line. */
void log_msg(int level, const char *rid, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
