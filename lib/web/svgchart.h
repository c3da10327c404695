/* svgchart: bar and line charts drawn on the server as an SVG string (no
 * chart script in the browser); labels and titles are escaped here. */
#ifndef SOUK_SVGCHART_H
#define SOUK_SVGCHART_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* One point: a label (the x axis, NULL for none) and a value >= 0
 * (negative values are drawn as 0). */
typedef struct svgchart_point {
	const char *label;
	int64_t value;
} svgchart_point;

typedef struct svgchart_opts {
	int width, height;  /* the viewBox; 0: 600 x 200 */
	const char *title;  /* the accessible name (<title>), required */
	bool money;         /* values are cents: axis and tooltips as 12.34 */
	int label_every;    /* x labels on every Nth point (0: about 6 labels) */
} svgchart_opts;

/* Geometry shared by both kinds, exposed for the unit tests: the plot
 * area inside the margins and the top of the value axis. */
#define SVGCHART_LEFT 56
#define SVGCHART_RIGHT 8
#define SVGCHART_TOP 10
#define SVGCHART_BOTTOM 24
/* The axis top for a largest value: the next 1, 2 or 5 x 10^k at or
 * above it (1 for 0), so gridlines fall on round numbers. */
int64_t svgchart_nice_max(int64_t v);

/* Appends one <svg> element (role img, <title>, gridlines, axis labels)
 * to out: one bar per point, or one polyline with a dot per point. With
 * no points (or all zero), the frame with a "No data" text. Every point
 * carries a <title> "label: value" for hover. 0, or -1 when out failed
 * (arena cap). */
int svgchart_bar(buf *out, const svgchart_opts *o, const svgchart_point *pts, size_t n);
int svgchart_line(buf *out, const svgchart_opts *o, const svgchart_point *pts, size_t n);

/* Appends s with & < > " ' escaped for XML text and attributes. */
void svgchart_escape(buf *out, const char *s);

#endif
