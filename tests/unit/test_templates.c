/* test_templates: every template in the repo starts with the HTML auto-escape pragma. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "tests.h"

#ifndef SOUK_SRCDIR
#error "SOUK_SRCDIR must name the source tree (set in Makefile.am)"
#endif

#define PRAGMA "{{%AUTOESCAPE context=\"HTML\"}}"

static void test_autoescape_first(void)
{
	DIR *d = opendir(SOUK_SRCDIR "/templates");
	CU_ASSERT_PTR_NOT_NULL(d);
	if (!d)
		return;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".tpl") != 0)
			continue;
		char path[1024], head[sizeof(PRAGMA)] = "";
		snprintf(path, sizeof(path), "%s/templates/%s", SOUK_SRCDIR, e->d_name);
		FILE *f = fopen(path, "rb");
		size_t got = f ? fread(head, 1, sizeof(head) - 1, f) : 0;
		head[got] = '\0';
		if (f)
			fclose(f);
		char msg[1200];
		snprintf(msg, sizeof(msg), "%s must start with %s", path, PRAGMA);
		CU_assertImplementation(strcmp(head, PRAGMA) == 0 ? CU_TRUE : CU_FALSE, __LINE__, msg,
		                        __FILE__, "", CU_FALSE);
		n++;
	}
	closedir(d);
	CU_ASSERT(n > 0);
}

void add_templates_tests(void)
{
	CU_pSuite s = CU_add_suite("templates", NULL, NULL);
	CU_add_test(s, "repo templates start with AUTOESCAPE HTML", test_autoescape_first);
}
