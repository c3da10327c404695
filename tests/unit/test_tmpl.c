/* test_tmpl: unit tests for lib/tmpl, rendering templates from a temp dir. */

/* ctemplate's cache and root dir are process-global: every test that
 * needs tmpl_init lives in this one suite. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/tmpl.h"
#include "tests.h"

#define PRAGMA "{{%AUTOESCAPE context=\"HTML\"}}"

static char dir[] = "/tmp/souk-tmpl-XXXXXX";
static int init_rc = -2;
static ctx *C;

static const struct {
	const char *name, *text;
} files[] = {
	{"page.tpl", PRAGMA "<p>{{NAME}}</p><ul>{{#ITEM}}<li>{{V}}</li>{{/ITEM}}</ul>{{>FOOT}}"},
	{"foot.tpl", PRAGMA "<footer>{{YEAR}} {{PRICE}}</footer>"},
	{"attr.tpl", PRAGMA "<a href=\"{{URL}}\" title=\"{{T}}\">x</a>"},
	{"show.tpl", PRAGMA "{{#SHOWN}}yes{{/SHOWN}}{{#HIDDEN}}no{{/HIDDEN}}"},
	{"text.tpl", "{{! text mail }}\nHello {{NAME}},\n\n{{#ITEM}}  {{V}}\n{{/ITEM}}bye\n"},
};
#define NFILES (sizeof(files) / sizeof(files[0]))

static void path_of(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static int write_file(const char *name, const char *text)
{
	char p[256];
	path_of(p, sizeof(p), name);
	FILE *f = fopen(p, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static int setup(void)
{
	if (!mkdtemp(dir))
		return -1;
	for (size_t i = 0; i < NFILES; i++)
		if (write_file(files[i].name, files[i].text) < 0)
			return -1;
	init_rc = tmpl_init(dir);
	C = t_ctx_new(0);
	return 0;
}

static int teardown(void)
{
	char p[256];
	for (size_t i = 0; i < NFILES; i++) {
		path_of(p, sizeof(p), files[i].name);
		unlink(p);
	}
	path_of(p, sizeof(p), "bad.tpl");
	unlink(p);
	rmdir(dir);
	app_ctx_free(C);
	return 0;
}

/* Renders file with d into a fresh buffer; returns tmpl_render's result. */
static int render(const char *file, tmpl_dict *d, buf *out)
{
	buf_init(out, C->a, 0);
	return tmpl_render(file, d, out);
}

static void test_init_loads(void)
{
	CU_ASSERT_EQUAL(init_rc, 0);
}

static void test_escape_sections_includes(void)
{
	app_ctx_begin(C);
	tmpl_dict *d = tmpl_dict_new(C->a);
	CU_ASSERT_PTR_NOT_NULL(d);
	tmpl_set(d, "NAME", "<script>&\"'");
	tmpl_set_i64(tmpl_section(d, "ITEM"), "V", 1);
	tmpl_setn(tmpl_section(d, "ITEM"), "V", (str){"2xx", 1});
	tmpl_set(tmpl_section(d, "ITEM"), "V", "<b>");
	tmpl_dict *foot = tmpl_include(d, "FOOT", "foot.tpl");
	CU_ASSERT_PTR_NOT_NULL(foot);
	tmpl_set_i64(foot, "YEAR", 2024);
	tmpl_set_money(foot, "PRICE", -1234);
	buf out;
	CU_ASSERT_EQUAL(render("page.tpl", d, &out), 0);
	ASSERT_STR(buf_str(&out), "<p>&lt;script&gt;&amp;&quot;&#39;</p>"
	                          "<ul><li>1</li><li>2</li><li>&lt;b&gt;</li></ul>"
	                          "<footer>2024 -12.34</footer>");
}

static void test_empty_section_no_include(void)
{
	app_ctx_begin(C);
	tmpl_dict *d = tmpl_dict_new(C->a);
	tmpl_set(d, "NAME", NULL); /* NULL renders as empty */
	buf out;
	CU_ASSERT_EQUAL(render("page.tpl", d, &out), 0);
	ASSERT_STR(buf_str(&out), "<p></p><ul></ul>");

	d = tmpl_dict_new(C->a);
	tmpl_show(d, "SHOWN");
	CU_ASSERT_EQUAL(render("show.tpl", d, &out), 0);
	ASSERT_STR(buf_str(&out), "yes");
}

static void test_attribute_context(void)
{
	app_ctx_begin(C);
	tmpl_dict *d = tmpl_dict_new(C->a);
	tmpl_set(d, "URL", "javascript:alert(1)");
	tmpl_set(d, "T", "\" onclick=\"x");
	buf out;
	CU_ASSERT_EQUAL(render("attr.tpl", d, &out), 0);
	ASSERT_STR(buf_str(&out), "<a href=\"#\" title=\"&quot; onclick=&quot;x\">x</a>");
	tmpl_set(d, "URL", "/p?a=1&b=2");
	CU_ASSERT_EQUAL(render("attr.tpl", d, &out), 0);
	ASSERT_STR(buf_str(&out), "<a href=\"/p?a=1&amp;b=2\" title=\"&quot; onclick=&quot;x\">x</a>");
}

static void test_unknown_and_append(void)
{
	app_ctx_begin(C);
	tmpl_dict *d = tmpl_dict_new(C->a);
	buf out;
	buf_init(&out, C->a, 0);
	buf_puts(&out, "head:");
	CU_ASSERT_EQUAL(tmpl_render("show.tpl", d, &out), 0);
	ASSERT_STR(buf_str(&out), "head:"); /* appended nothing, kept the prefix */
	tmpl_show(d, "HIDDEN");
	CU_ASSERT_EQUAL(tmpl_render("show.tpl", d, &out), 0);
	ASSERT_STR(buf_str(&out), "head:no");
	t_stderr_begin(); /* ctemplate complains on stderr */
	CU_ASSERT_EQUAL(tmpl_render("nope.tpl", d, &out), -1);
	t_stderr_end();

	buf small;
	buf_init(&small, C->a, 3);
	tmpl_set(d, "NAME", "longer than three");
	CU_ASSERT_EQUAL(tmpl_render("page.tpl", d, &small), -1); /* truncated = failure */
}

static void test_text_keeps_lines_unescaped(void)
{
	app_ctx_begin(C);
	tmpl_dict *d = tmpl_dict_new(C->a);
	tmpl_set(d, "NAME", "Tom & \"Jerry\" <t@x>");
	tmpl_set(tmpl_section(d, "ITEM"), "V", "a's");
	tmpl_set(tmpl_section(d, "ITEM"), "V", "b");
	buf out;
	buf_init(&out, C->a, 0);
	CU_ASSERT_EQUAL(tmpl_render_text("text.tpl", d, &out), 0);
	ASSERT_STR(buf_str(&out), "\nHello Tom & \"Jerry\" <t@x>,\n\n  a's\n  b\nbye\n");
	/* the same file through the HTML path is stripped (a separate cache entry) */
	buf_init(&out, C->a, 0);
	CU_ASSERT_EQUAL(tmpl_render("text.tpl", d, &out), 0);
	CU_ASSERT_PTR_NULL(strchr(out.p, '\n'));
}

/* Regression: on a full arena arena_defer deletes the new dictionary at
 * once, and tmpl_dict_new used to return it anyway. NULL or live; the
 * probe reads it in instrumented code so ASan can tell. */
static void dict_on_full_arena(void)
{
	ctx *c = t_ctx_new(4096);
	t_arena_fill(c->a);
	tmpl_dict *d = tmpl_dict_new(c->a);
	if (d)
		(void)*(volatile char *)d;
	_exit(0);
}

static void test_regress_dict_full_arena(void)
{
	CU_ASSERT_EQUAL(t_in_child(dict_on_full_arena), 0);
}

/* Last: a broken template makes tmpl_init fail (and name it on stderr). */
static void test_broken_template(void)
{
	CU_ASSERT_EQUAL(write_file("bad.tpl", PRAGMA "{{#OPEN}}never closed"), 0);
	t_stderr_begin();
	CU_ASSERT_EQUAL(tmpl_init(dir), -1);
	const char *err = t_stderr_end();
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "bad.tpl failed to load"));
}

void add_tmpl_tests(void)
{
	CU_pSuite s = CU_add_suite("tmpl", setup, teardown);
	CU_add_test(s, "tmpl_init loads a dir", test_init_loads);
	CU_add_test(s, "auto-escape, sections repeat, includes", test_escape_sections_includes);
	CU_add_test(s, "empty section, no include, tmpl_show", test_empty_section_no_include);
	CU_add_test(s, "attribute and URL contexts", test_attribute_context);
	CU_add_test(s, "unknown template -1; output appends", test_unknown_and_append);
	CU_add_test(s, "text templates keep lines and do not escape", test_text_keeps_lines_unescaped);
	CU_add_test(s, "regress: tmpl_dict_new on a full arena: no use-after-free", test_regress_dict_full_arena);
	CU_add_test(s, "broken template fails tmpl_init", test_broken_template);
}
