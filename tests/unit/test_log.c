/* test_log: unit tests for lib/log (one quoted line per event). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "tests.h"

/* Runs one log_msg at min level `min`; out receives what reached stderr. */
static void capture(int min, int level, const char *rid, const char *msg, char *out, size_t n)
{
	t_stderr_begin();
	log_set_level(min);
	log_msg(level, rid, "%s", msg);
	log_set_level(getenv("SOUK_TEST_LOG") ? LOG_INFO : LOG_ERROR + 1);
	snprintf(out, n, "%s", t_stderr_end());
}

static void test_line(void)
{
	char out[512];
	capture(LOG_INFO, LOG_WARN, "abc123", "said \"hi\"\r\nnext\\line", out, sizeof(out));
	CU_ASSERT(strncmp(out, "ts=", 3) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " level=warn pid="));
	const char *tail = strstr(out, " rid=abc123 msg=");
	CU_ASSERT_PTR_NOT_NULL(tail);
	if (tail)
		ASSERT_CSTR(tail, " rid=abc123 msg=\"said \\\"hi\\\"  next\\\\line\"\n");
	CU_ASSERT_PTR_NULL(strchr(out, '\r'));
	CU_ASSERT_EQUAL(strchr(out, '\n'), out + strlen(out) - 1); /* one line */

	capture(LOG_INFO, LOG_ERROR, NULL, "boot", out, sizeof(out));
	CU_ASSERT_PTR_NULL(strstr(out, "rid="));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " level=error pid="));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " msg=\"boot\"\n"));
}

static void test_level_filter(void)
{
	char out[512];
	capture(LOG_WARN, LOG_INFO, "r", "quiet", out, sizeof(out));
	ASSERT_CSTR(out, "");
	capture(LOG_DEBUG, LOG_DEBUG, "r", "loud", out, sizeof(out));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "level=debug"));
}

static void test_long_message_bounded(void)
{
	static char big[5000], out[8192];
	memset(big, '"', sizeof(big) - 1); /* every byte doubles when escaped */
	capture(LOG_INFO, LOG_INFO, "r", big, out, sizeof(out));
	size_t n = strlen(out);
	CU_ASSERT(n > 100 && n < 4700);
	CU_ASSERT(n > 0 && out[n - 1] == '\n');
}

void add_log_tests(void)
{
	CU_pSuite s = CU_add_suite("log", NULL, NULL);
	CU_add_test(s, "one key=value line, quotes and CR/LF escaped", test_line);
	CU_add_test(s, "level filter", test_level_filter);
	CU_add_test(s, "long message stays bounded", test_long_message_bounded);
}
