/* image: the one path from image bytes to the sizes the shop serves (libvips). */
#ifndef SOUK_IMAGE_H
#define SOUK_IMAGE_H

#include <stddef.h>

#include "core/ctx.h"

#define IMAGE_MAX_BYTES (10 * 1024 * 1024) /* an upload larger than this is refused */
#define IMAGE_MAX_PIXELS (40 * 1000 * 1000) /* decompression bombs: refused before decoding */

/* The sizes every product picture is written in: each fits a square box of
 * `px` (never enlarged), WebP, metadata stripped. File: DIR/STEM-NAME.webp. */
typedef struct image_size {
	const char *name; /* "thumb", "card", "page" */
	int px;
} image_size;
extern const image_size image_sizes[];
#define IMAGE_NSIZES 3

/* Which decoders the bytes may go through. Photos (JPEG, PNG, WebP) are
 * what sellers upload; SVG is for tiles Souk draws itself (image_tile.h),
 * never for outside bytes. */
enum { IMAGE_PHOTO = 1, IMAGE_SVG = 2 };

/* Decodes `n` bytes (checked: the whole image is decoded, at most
 * IMAGE_MAX_BYTES and IMAGE_MAX_PIXELS, of a format allowed by `kinds`),
 * turns it upright (EXIF orientation), and writes every size of
 * image_sizes to DIR/STEM-NAME.webp without metadata. Each file appears
 * whole (written aside, then renamed), so a server never reads half of one.
 * The bytes stay the caller's. 0, or SOUK_ERR with 400 "bad_image" (a
 * message saying what is wrong with the image) or 500 (could not write). */
int image_write_sizes(ctx *c, const void *bytes, size_t n, int kinds, const char *dir,
                      const char *stem);

/* The same checks, one size only: sz is one of image_sizes. An SVG is
 * drawn straight at that size (no larger picture is made first), which
 * is what lets a tile be drawn on the request that asks for it. */
int image_write_size(ctx *c, const void *bytes, size_t n, int kinds, const char *dir,
                     const char *stem, const image_size *sz);

/* DIR/p, the folder of /img/p/ (every product picture), created when
 * missing; NULL with 500 recorded when it cannot be. */
const char *image_pictures_dir(ctx *c, const char *dir);

/* Removes every size of stem under dir (missing ones too): what
 * image_write_sizes wrote, for a picture whose row is gone or never came. */
void image_remove_sizes(const char *dir, const char *stem);

/* The folder nginx serves /img/ from: SOUK_IMG_DIR (bin/souk sets it;
 * var/img when run by hand). Pictures live under its p/. */
const char *image_dir(void);

#endif
