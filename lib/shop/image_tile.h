/* image_tile: the SVG picture Souk draws for a product that has no photo. */
#ifndef SOUK_IMAGE_TILE_H
#define SOUK_IMAGE_TILE_H

#include "core/buf.h"

/* What a tile is drawn from; NULL strings count as empty. */
typedef struct image_tile {
	const char *ref;      /* the product's reference: varies the pattern */
	const char *brand;    /* its initials and name are drawn */
	const char *category; /* the leaf category's name, drawn under the brand */
	const char *color;    /* "Navy Blue", "black", ...: the tile's colour */
	int pos;              /* 0 front, 1 side, 2 detail: a gallery of three */
} image_tile;

#define IMAGE_TILE_VIEWS 3
#define IMAGE_TILE_PX 800

/* Appends an 800x800 SVG document for t to b (texts XML-escaped). The
 * same input always gives the same bytes; products differing in ref,
 * brand, category or colour give visibly different tiles. 0 or -1 (b full). */
int image_tile_svg(buf *b, const image_tile *t);

#endif
