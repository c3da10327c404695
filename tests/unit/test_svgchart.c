/* test_svgchart: unit tests for lib/web/svgchart (scaling, coordinates,
 * escaping of labels, the empty chart). */
#include <string.h>

#include "web/svgchart.h"
#include "tests.h"

/* The number of times needle occurs in hay. */
static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void test_nice_max(void)
{
	CU_ASSERT_EQUAL(svgchart_nice_max(0), 1);
	CU_ASSERT_EQUAL(svgchart_nice_max(1), 1);
	CU_ASSERT_EQUAL(svgchart_nice_max(7), 10);
	CU_ASSERT_EQUAL(svgchart_nice_max(10), 10);
	CU_ASSERT_EQUAL(svgchart_nice_max(11), 20);
	CU_ASSERT_EQUAL(svgchart_nice_max(20), 20);
	CU_ASSERT_EQUAL(svgchart_nice_max(21), 50);
	CU_ASSERT_EQUAL(svgchart_nice_max(51), 100);
	CU_ASSERT_EQUAL(svgchart_nice_max(123456), 200000);
}

/* 600 x 200: the plot is x 56..592 (536 wide), y 10..176 (166 high). */
static void test_bar_coordinates(void)
{
	arena *a = arena_new(0);
	buf b;
	buf_init(&b, a, 0);
	svgchart_point p[] = {{"Mon", 10}, {"Tue", 5}, {"Wed", 0}, {"Thu", 20}};
	svgchart_opts o = {.title = "Orders per day"};
	CU_ASSERT_EQUAL(svgchart_bar(&b, &o, p, 4), 0);
	/* the top of the axis is 20; slot 134 wide, bars 80 % of it */
	CU_ASSERT_PTR_NOT_NULL(strstr(b.p, "viewBox=\"0 0 600 200\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.p, "<title>Orders per day</title>"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(b.p, "<rect class=\"series\" x=\"69.4\" y=\"93.0\" width=\"107.2\" height=\"83.0\">"
	                "<title>Mon: 10</title></rect>"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(b.p, "x=\"203.4\" y=\"134.5\" width=\"107.2\" height=\"41.5\"><title>Tue: 5<"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.p, "y=\"176.0\" width=\"107.2\" height=\"0.0\"><title>Wed: 0<"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.p, "x=\"471.4\" y=\"10.0\" width=\"107.2\" height=\"166.0\""));
	CU_ASSERT_EQUAL(count(b.p, "<rect "), 4);
	/* gridlines labelled 0, 10, 20 */
	CU_ASSERT_PTR_NOT_NULL(strstr(b.p, "text-anchor=\"end\">0</text>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.p, "text-anchor=\"end\">10</text>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.p, "text-anchor=\"end\">20</text>"));
	CU_ASSERT_PTR_NULL(strstr(b.p, "No data"));
	CU_ASSERT_TRUE(b.len > 0 && !strcmp(b.p + b.len - 6, "</svg>"));
	arena_free(a);
}

static void test_line_money(void)
{
	arena *a = arena_new(0);
	buf b;
	buf_init(&b, a, 0);
	svgchart_point p[] = {{"d1", 12345}, {"d2", 0}};
	svgchart_opts o = {.width = 400, .height = 100, .title = "Revenue", .money = true};
	CU_ASSERT_EQUAL(svgchart_line(&b, &o, p, 2), 0);
	/* top 20000 cents; plot 336 x 66 from (56, 10): slots of 168 */
	CU_ASSERT_PTR_NOT_NULL(strstr(b.p, "points=\"140.0,35.3 308.0,76.0\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.p, "<circle class=\"series\" cx=\"140.0\" cy=\"35.3\" r=\"3\">"
	                                   "<title>d1: 123.45</title>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.p, "text-anchor=\"end\">200</text>")); /* dollars on the axis */
	CU_ASSERT_EQUAL(count(b.p, "<circle "), 2);
	arena_free(a);
}

static void test_escaping(void)
{
	arena *a = arena_new(0);
	buf b;
	buf_init(&b, a, 0);
	svgchart_point p[] = {{"<script>\"x\" & 'y'", 3}};
	svgchart_opts o = {.title = "Top </title><script>"};
	CU_ASSERT_EQUAL(svgchart_bar(&b, &o, p, 1), 0);
	CU_ASSERT_PTR_NULL(strstr(b.p, "<script"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.p, "<title>Top &lt;/title&gt;&lt;script&gt;</title>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.p, "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;: 3"));
	arena_free(a);
}

static void test_empty(void)
{
	arena *a = arena_new(0);
	buf b;
	buf_init(&b, a, 0);
	svgchart_opts o = {.title = "Nothing"};
	CU_ASSERT_EQUAL(svgchart_bar(&b, &o, NULL, 0), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.p, ">No data</text></svg>"));
	CU_ASSERT_EQUAL(count(b.p, "<rect"), 0);
	buf_clear(&b);
	svgchart_point z[] = {{"a", 0}, {"b", -5}};
	CU_ASSERT_EQUAL(svgchart_line(&b, &o, z, 2), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.p, "No data"));
	CU_ASSERT_PTR_NULL(strstr(b.p, "polyline"));
	arena_free(a);
}

static void test_labels_thinned(void)
{
	arena *a = arena_new(0);
	buf b;
	buf_init(&b, a, 0);
	svgchart_point p[30];
	for (int i = 0; i < 30; i++)
		p[i] = (svgchart_point){"d", i + 1};
	svgchart_opts o = {.title = "30 days"};
	CU_ASSERT_EQUAL(svgchart_bar(&b, &o, p, 30), 0);
	CU_ASSERT_EQUAL(count(b.p, "<rect "), 30);
	/* a label every (30 + 5) / 6 = 5 points: 0, 5, ..., 25 */
	CU_ASSERT_EQUAL(count(b.p, "text-anchor=\"middle\">d</text>"), 6);
	arena_free(a);
}

void add_svgchart_tests(void)
{
	CU_pSuite s = CU_add_suite("svgchart", NULL, NULL);
	CU_add_test(s, "axis top on round numbers", test_nice_max);
	CU_add_test(s, "bar coordinates and scaling", test_bar_coordinates);
	CU_add_test(s, "line chart in money", test_line_money);
	CU_add_test(s, "labels and titles escaped", test_escaping);
	CU_add_test(s, "empty data: the frame and No data", test_empty);
	CU_add_test(s, "x labels thinned to about six", test_labels_thinned);
}
