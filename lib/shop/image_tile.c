/* image_tile: an SVG tile from brand, category and colour, so listings differ at a glance. */
#include "shop/image_tile.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Colour words found in the catalog's colour field, first match wins
 * ("Navy Blue" is navy, "Black/White" black). */
static const struct {
	const char *word, *hex;
} colors[] = {
	{"navy", "#1f2f5c"},    {"black", "#222222"},   {"white", "#f4f4f0"},  {"charcoal", "#3b3f45"},
	{"grey", "#8a8f96"},    {"gray", "#8a8f96"},    {"silver", "#b8bcc2"}, {"stainless", "#a9adb3"},
	{"chrome", "#c9ccd1"},  {"nickel", "#a7a49b"},  {"rose gold", "#d9a59a"}, {"gold", "#c9a23a"},
	{"brass", "#b5913f"},   {"red", "#c0392b"},     {"pink", "#e58fb0"},   {"orange", "#e67e22"},
	{"yellow", "#f1c40f"},  {"green", "#2e8b57"},   {"blue", "#2f6fb8"},   {"purple", "#7d4fa8"},
	{"brown", "#7b4b2a"},   {"chestnut", "#8b4a2b"}, {"tan", "#c8a47e"},   {"beige", "#d9c7a7"},
	{"khaki", "#bfb07a"},   {"natural", "#d8c9a8"}, {"clear", "#dfe9ee"},
};

static uint32_t fnv(const char *s, uint32_t h)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The colour as hex: a known word, else a hue chosen by the reference. */
static void tile_color(const image_tile *t, char out[8])
{
	char low[64] = "";
	size_t n = 0;
	for (const char *p = t->color; p && *p && n + 1 < sizeof low; p++)
		low[n++] = (char)tolower((unsigned char)*p);
	low[n] = '\0';
	size_t best = (size_t)-1;
	const char *hex = NULL;
	for (size_t i = 0; i < sizeof colors / sizeof colors[0]; i++) {
		const char *at = strstr(low, colors[i].word);
		if (at && (size_t)(at - low) < best) {
			best = (size_t)(at - low);
			hex = colors[i].hex;
		}
	}
	if (hex) {
		memcpy(out, hex, 8);
		return;
	}
	/* HSL(h, 45 %, 45 %) without floating point fuss: six hue sectors. */
	uint32_t h = fnv(t->ref, fnv(t->brand, 2166136261u)) % 360;
	int c = 104, x = (int)(c * (60 - (int)(h % 120 > 60 ? h % 120 - 60 : 60 - h % 120)) / 60), m = 63;
	int r = 0, g = 0, b = 0;
	switch (h / 60) {
	case 0: r = c, g = x; break;
	case 1: r = x, g = c; break;
	case 2: g = c, b = x; break;
	case 3: g = x, b = c; break;
	case 4: r = x, b = c; break;
	default: r = c, b = x; break;
	}
	static const char hx[] = "0123456789abcdef";
	int v[3] = {r + m, g + m, b + m};
	out[0] = '#';
	for (int i = 0; i < 3; i++) {
		out[1 + 2 * i] = hx[(v[i] >> 4) & 15];
		out[2 + 2 * i] = hx[v[i] & 15];
	}
	out[7] = '\0';
}

/* Light colours get dark ink, dark ones white ink. */
static const char *ink_on(const char *hex)
{
	int v[3];
	for (int i = 0; i < 3; i++) {
		char d[3] = {hex[1 + 2 * i], hex[2 + 2 * i], 0};
		v[i] = (int)strtol(d, NULL, 16);
	}
	return (299 * v[0] + 587 * v[1] + 114 * v[2]) / 1000 > 150 ? "#1b1b1b" : "#ffffff";
}

static int put_escaped(buf *b, const char *s, size_t max)
{
	size_t n = 0;
	/* the cut counts characters: a UTF-8 sequence is never split */
	for (; s && *s && (n < max || ((unsigned char)*s & 0xC0) == 0x80); s++) {
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\t')
				buf_putc(b, *s);
		}
	}
	return b->failed ? -1 : 0;
}

/* Up to two initials of the brand (letters or digits), upper-cased. */
static void initials(const char *brand, char out[3])
{
	int k = 0;
	bool word = false;
	for (const char *p = brand; p && *p && k < 2; p++) {
		bool al = isalnum((unsigned char)*p);
		if (al && !word)
			out[k++] = (char)toupper((unsigned char)*p);
		word = al;
	}
	if (k == 0)
		out[k++] = '?';
	out[k] = '\0';
}

int image_tile_svg(buf *b, const image_tile *t)
{
	char col[8], ini[3];
	tile_color(t, col);
	initials(t->brand, ini);
	const char *ink = ink_on(col);
	uint32_t h = fnv(t->ref, 2166136261u);
	int angle = (int)(h % 180), gap = 28 + (int)((h >> 8) % 40);
	/* a band at an angle and width of the reference's own: two listings
	 * of the same brand and colour still look different (a band, not a
	 * pattern: cheap to draw on the request that asks) */
	buf_printf(b,
	           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"800\" viewBox=\"0 0 800 800\">"
	           "<rect width=\"800\" height=\"800\" fill=\"#f6f5f2\"/>"
	           "<rect x=\"-300\" y=\"%d\" width=\"1400\" height=\"%d\" fill=\"%s\" opacity=\"0.14\" "
	           "transform=\"rotate(%d 400 400)\"/>",
	           400 - gap * 2, gap * 4, col, angle);
	/* the three views: the object whole, turned, and a close-up */
	switch (t->pos % IMAGE_TILE_VIEWS) {
	case 0:
		buf_printf(b, "<circle cx=\"400\" cy=\"360\" r=\"230\" fill=\"%s\"/>", col);
		break;
	case 1:
		buf_printf(b, "<rect x=\"190\" y=\"150\" width=\"420\" height=\"420\" rx=\"60\" fill=\"%s\" "
		              "transform=\"rotate(12 400 360)\"/>", col);
		break;
	default:
		buf_printf(b, "<circle cx=\"400\" cy=\"360\" r=\"330\" fill=\"%s\"/>"
		              "<circle cx=\"400\" cy=\"360\" r=\"250\" fill=\"none\" stroke=\"%s\" "
		              "stroke-width=\"6\" opacity=\"0.5\"/>", col, ink);
		break;
	}
	buf_printf(b,
	           "<text x=\"400\" y=\"%d\" font-family=\"DejaVu Sans, sans-serif\" font-weight=\"bold\" "
	           "font-size=\"%d\" text-anchor=\"middle\" fill=\"%s\">%s</text>",
	           t->pos % IMAGE_TILE_VIEWS == 2 ? 420 : 405, t->pos % IMAGE_TILE_VIEWS == 2 ? 190 : 150, ink,
	           ini);
	buf_puts(b, "<rect x=\"0\" y=\"640\" width=\"800\" height=\"160\" fill=\"#ffffff\" opacity=\"0.92\"/>"
	            "<text x=\"400\" y=\"705\" font-family=\"DejaVu Sans, sans-serif\" font-weight=\"bold\" "
	            "font-size=\"46\" text-anchor=\"middle\" fill=\"#1b1b1b\">");
	put_escaped(b, t->brand && *t->brand ? t->brand : "Souk", 28);
	buf_puts(b, "</text><text x=\"400\" y=\"760\" font-family=\"DejaVu Sans, sans-serif\" "
	            "font-size=\"32\" text-anchor=\"middle\" fill=\"#555555\">");
	put_escaped(b, t->category, 40);
	buf_puts(b, "</text></svg>");
	return b->failed ? -1 : 0;
}
