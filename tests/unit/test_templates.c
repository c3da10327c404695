/* test_templates: every HTML template in the repo starts with the HTML
 * auto-escape pragma; text mail templates (templates/mail/) declare
 * themselves as such and never carry a pragma or include. */
#include <dirent.h>
#include <stdbool.h>
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

/* ctemplate has no text context (AUTOESCAPE accepts HTML, JAVASCRIPT,
 * CSS, JSON, XML), so text/plain mail bodies are unescaped templates kept
 * apart in templates/mail/, rendered only by tmpl_render_text. They must
 * say so on their first line and must not pull in other templates. */
#define MAIL_MARKER "{{! text/plain mail body:"

static void test_mail_templates_marked(void)
{
	DIR *d = opendir(SOUK_SRCDIR "/templates/mail");
	CU_ASSERT_PTR_NOT_NULL(d);
	if (!d)
		return;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		size_t len = strlen(e->d_name);
		char path[1024], text[8192] = "", msg[1200];
		snprintf(path, sizeof(path), "%s/templates/mail/%s", SOUK_SRCDIR, e->d_name);
		snprintf(msg, sizeof(msg), "%s: a .tpl that starts with %s, without AUTOESCAPE or {{>",
		         path, MAIL_MARKER);
		FILE *f = fopen(path, "rb");
		size_t got = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
		text[got] = '\0';
		if (f)
			fclose(f);
		bool ok = len > 4 && strcmp(e->d_name + len - 4, ".tpl") == 0 &&
		          strncmp(text, MAIL_MARKER, strlen(MAIL_MARKER)) == 0 &&
		          !strstr(text, "AUTOESCAPE") && !strstr(text, "{{>");
		CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, __LINE__, msg, __FILE__, "", CU_FALSE);
		n++;
	}
	closedir(d);
	CU_ASSERT(n >= 4);
}

void add_templates_tests(void)
{
	CU_pSuite s = CU_add_suite("templates", NULL, NULL);
	CU_add_test(s, "repo templates start with AUTOESCAPE HTML", test_autoescape_first);
	CU_add_test(s, "mail templates are marked text and stand alone", test_mail_templates_marked);
}
