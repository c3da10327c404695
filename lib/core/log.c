/* log: structured single-line logging. */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static int min_level = LOG_INFO;
static const char *names[] = {"debug", "info", "warn", "error"};

void log_set_level(int level)
{
	min_level = level;
}

void log_msg(int level, const char *rid, const char *fmt, ...)
{
	if (level < min_level)
		return;
	char msg[2048], line[4600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	int n = snprintf(line, sizeof(line),
	                 "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s pid=%d%s%s msg=\"",
	                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	                 tm.tm_sec, ts.tv_nsec / 1000000, names[level & 3], (int)getpid(),
	                 rid ? " rid=" : "", rid ? rid : "");
	size_t o = n > 0 ? (size_t)n : 0;
	for (const char *p = msg; *p && o + 3 < sizeof(line); p++) {
		if (*p == '"' || *p == '\\') {
			line[o++] = '\\';
			line[o++] = *p;
		} else if (*p == '\n' || *p == '\r') {
			line[o++] = ' ';
		} else {
			line[o++] = *p;
		}
	}
	line[o++] = '"';
	line[o++] = '\n';
	fwrite(line, 1, o, stderr);
}
