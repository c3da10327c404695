/* svgchart: server-drawn SVG bar and line charts for the admin dashboard. */
#include "web/svgchart.h"

enum { KIND_BAR, KIND_LINE };

void svgchart_escape(buf *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		case '\'': buf_puts(out, "&#39;"); break;
		default: buf_putc(out, *s);
		}
	}
}

int64_t svgchart_nice_max(int64_t v)
{
	if (v <= 1)
		return 1;
	int64_t p = 1;
	while (p <= INT64_MAX / 10 && p * 10 < v)
		p *= 10;
	/* p < v <= 10p: the first of p, 2p, 5p, 10p that holds v */
	static const int steps[] = {1, 2, 5, 10};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (p <= INT64_MAX / steps[i] && p * steps[i] >= v)
			return p * steps[i];
	return v;
}

static void value_text(buf *out, int64_t v, bool money)
{
	if (money)
		buf_money(out, v);
	else
		buf_printf(out, "%lld", (long long)v);
}

/* The axis label of a gridline: money without cents ("1,200" reads better
 * than "1200.00" on an axis). */
static void axis_text(buf *out, int64_t v, bool money)
{
	buf_printf(out, "%lld", (long long)(money ? v / 100 : v));
}

static int draw(buf *out, const svgchart_opts *o, const svgchart_point *pts, size_t n, int kind)
{
	int w = o->width > 0 ? o->width : 600, h = o->height > 0 ? o->height : 200;
	double pw = w - SVGCHART_LEFT - SVGCHART_RIGHT, ph = h - SVGCHART_TOP - SVGCHART_BOTTOM;
	int64_t max = 0;
	for (size_t i = 0; i < n; i++)
		if (pts[i].value > max)
			max = pts[i].value;
	int64_t top = svgchart_nice_max(max);
	double base = SVGCHART_TOP + ph;

	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-%s\" "
	                "viewBox=\"0 0 %d %d\" role=\"img\" preserveAspectRatio=\"xMidYMid meet\">",
	           kind == KIND_BAR ? "bar" : "line", w, h);
	buf_puts(out, "<title>");
	svgchart_escape(out, o->title);
	buf_puts(out, "</title>");
	/* gridlines at 0, 1/2 and the top, labelled on the left */
	for (int g = 0; g <= 2; g++) {
		double y = base - ph * g / 2.0;
		buf_printf(out, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>",
		           SVGCHART_LEFT, y, w - SVGCHART_RIGHT, y);
		buf_printf(out, "<text class=\"axis\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">",
		           SVGCHART_LEFT - 6, y + 4);
		axis_text(out, top * g / 2, o->money);
		buf_puts(out, "</text>");
	}
	if (n == 0 || max == 0) {
		buf_printf(out, "<text class=\"empty\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">No "
		                "data</text></svg>",
		           SVGCHART_LEFT + pw / 2, SVGCHART_TOP + ph / 2);
		return out->failed ? -1 : 0;
	}
	double slot = pw / (double)n;
	int every = o->label_every > 0 ? o->label_every : (int)((n + 5) / 6);
	if (kind == KIND_LINE) {
		buf_puts(out, "<polyline class=\"series\" fill=\"none\" points=\"");
		for (size_t i = 0; i < n; i++) {
			int64_t v = pts[i].value > 0 ? pts[i].value : 0;
			buf_printf(out, "%s%.1f,%.1f", i ? " " : "", SVGCHART_LEFT + slot * (i + 0.5),
			           base - ph * (double)v / (double)top);
		}
		buf_puts(out, "\"/>");
	}
	for (size_t i = 0; i < n; i++) {
		int64_t v = pts[i].value > 0 ? pts[i].value : 0;
		double hgt = ph * (double)v / (double)top, cx = SVGCHART_LEFT + slot * (i + 0.5);
		if (kind == KIND_BAR)
			buf_printf(out, "<rect class=\"series\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			                "height=\"%.1f\">",
			           SVGCHART_LEFT + slot * i + slot * 0.1, base - hgt, slot * 0.8, hgt);
		else
			buf_printf(out, "<circle class=\"series\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\">", cx,
			           base - hgt);
		buf_puts(out, "<title>");
		if (pts[i].label) {
			svgchart_escape(out, pts[i].label);
			buf_puts(out, ": ");
		}
		value_text(out, v, o->money);
		buf_puts(out, kind == KIND_BAR ? "</title></rect>" : "</title></circle>");
		if (pts[i].label && i % (size_t)every == 0) {
			buf_printf(out, "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", cx,
			           h - 6);
			svgchart_escape(out, pts[i].label);
			buf_puts(out, "</text>");
		}
	}
	buf_puts(out, "</svg>");
	return out->failed ? -1 : 0;
}

int svgchart_bar(buf *out, const svgchart_opts *o, const svgchart_point *pts, size_t n)
{
	return draw(out, o, pts, n, KIND_BAR);
}

int svgchart_line(buf *out, const svgchart_opts *o, const svgchart_point *pts, size_t n)
{
	return draw(out, o, pts, n, KIND_LINE);
}
