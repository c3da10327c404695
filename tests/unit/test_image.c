/* test_image: decoding checks, every size written as WebP, tiles distinct. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vips/vips.h>

#include "shop/image.h"
#include "shop/image_tile.h"
#include "tests.h"

static char dir[64];

static int setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/souk-test-image-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	return t_ctx_setup();
}

static int teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return t_ctx_teardown();
}

static const char *tile(const char *ref, const char *brand, const char *cat, const char *color, int pos)
{
	buf b;
	buf_init(&b, t_c->a, 0);
	image_tile t = {.ref = ref, .brand = brand, .category = cat, .color = color, .pos = pos};
	return image_tile_svg(&b, &t) == 0 ? b.p : NULL;
}

/* Width and height of a written file (decoded again), and its first bytes. */
static int file_dims(const char *stem, const char *size, int *w, int *h, char magic[12])
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s-%s.webp", dir, stem, size);
	FILE *f = fopen(path, "rb");
	if (!f || fread(magic, 1, 12, f) != 12) {
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	VipsImage *im = vips_image_new_from_file(path, NULL);
	if (!im)
		return -1;
	*w = vips_image_get_width(im), *h = vips_image_get_height(im);
	g_object_unref(im);
	return 0;
}

static void test_tile_sizes(void)
{
	const char *svg = tile("B01", "Anker & Co", "Bluetooth <Speakers>", "Navy Blue", 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "Anker &amp; Co"));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "Bluetooth &lt;Speakers&gt;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "#1f2f5c")); /* navy, not blue */
	CU_ASSERT_EQUAL(image_write_sizes(t_c, svg, strlen(svg), IMAGE_SVG, dir, "t0"), 0);
	for (int i = 0; i < IMAGE_NSIZES; i++) {
		int w = 0, h = 0;
		char magic[12];
		CU_ASSERT_EQUAL_FATAL(file_dims("t0", image_sizes[i].name, &w, &h, magic), 0);
		CU_ASSERT(memcmp(magic, "RIFF", 4) == 0 && memcmp(magic + 8, "WEBP", 4) == 0);
		CU_ASSERT_EQUAL(w, image_sizes[i].px);
		CU_ASSERT_EQUAL(h, image_sizes[i].px);
	}
}

/* One size only: drawn straight at that size, the others not made. */
static void test_one_size(void)
{
	const char *svg = tile("B09", "Anker", "Speakers", "Red", 2);
	CU_ASSERT_EQUAL(image_write_size(t_c, svg, strlen(svg), IMAGE_SVG, dir, "one", &image_sizes[0]), 0);
	int w = 0, h = 0;
	char magic[12];
	CU_ASSERT_EQUAL(file_dims("one", "thumb", &w, &h, magic), 0);
	CU_ASSERT_EQUAL(w, 96);
	CU_ASSERT_NOT_EQUAL(file_dims("one", "card", &w, &h, magic), 0);
	ctx_begin(t_c);
	CU_ASSERT_EQUAL(image_write_size(t_c, "<svg", 4, IMAGE_PHOTO, dir, "one2", &image_sizes[0]), SOUK_ERR);
	CU_ASSERT_EQUAL(t_c->err_status, 400);
	ctx_begin(t_c);
}

static void test_tiles_differ(void)
{
	const char *a = tile("B01", "Anker", "Speakers", "Black", 0);
	const char *b = tile("B02", "Anker", "Speakers", "Black", 0); /* same listing text, other product */
	const char *c = tile("B01", "Anker", "Speakers", "Black", 1); /* another view */
	const char *d = tile("B01", "Anker", "Speakers", "Black", 0);
	CU_ASSERT(strcmp(a, b) != 0);
	CU_ASSERT(strcmp(a, c) != 0);
	CU_ASSERT_STRING_EQUAL(a, d); /* same input, same bytes: versioned names stay valid */
	/* a long UTF-8 brand is cut between characters, never inside one */
	const char *e = tile("B03", "ÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄ", "", NULL, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(e, "ÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄ</text>"));
	CU_ASSERT_EQUAL(image_write_sizes(t_c, e, strlen(e), IMAGE_SVG, dir, "t1"), 0);
}

/* A wide PNG (made here) is fitted into each box, never enlarged, and
 * leaves no metadata; a photo upload may not be SVG. */
static void test_photo(void)
{
	VipsImage *black = NULL, *wide = NULL;
	CU_ASSERT_FATAL(vips_black(&black, 640, 200, "bands", 3, NULL) == 0);
	CU_ASSERT_FATAL(vips_linear1(black, &wide, 1.0, 90.0, NULL) == 0);
	void *png = NULL;
	size_t n = 0;
	CU_ASSERT_FATAL(vips_pngsave_buffer(wide, &png, &n, NULL) == 0);
	g_object_unref(black);
	g_object_unref(wide);
	CU_ASSERT_EQUAL(image_write_sizes(t_c, png, n, IMAGE_PHOTO, dir, "p0"), 0);
	int w, h;
	char magic[12];
	CU_ASSERT_EQUAL(file_dims("p0", "thumb", &w, &h, magic), 0);
	CU_ASSERT_EQUAL(w, 96);
	CU_ASSERT_EQUAL(h, 30);
	CU_ASSERT_EQUAL(file_dims("p0", "page", &w, &h, magic), 0);
	CU_ASSERT_EQUAL(w, 640); /* not enlarged to 800 */
	CU_ASSERT_EQUAL(h, 200);

	/* truncated: the header reads, the pixels do not */
	ctx_begin(t_c);
	CU_ASSERT_EQUAL(image_write_sizes(t_c, png, n / 2, IMAGE_PHOTO, dir, "p1"), SOUK_ERR);
	CU_ASSERT_EQUAL(t_c->err_status, 400);
	CU_ASSERT_STRING_EQUAL(t_c->err_code, "bad_image");
	g_free(png);
	struct stat st;
	char path[128];
	snprintf(path, sizeof path, "%s/p1-thumb.webp", dir);
	CU_ASSERT_NOT_EQUAL(stat(path, &st), 0); /* nothing written for a bad image */

	const char *svg = tile("B01", "Anker", "Speakers", "Black", 0);
	ctx_begin(t_c);
	CU_ASSERT_EQUAL(image_write_sizes(t_c, svg, strlen(svg), IMAGE_PHOTO, dir, "p2"), SOUK_ERR);
	CU_ASSERT_STRING_EQUAL(t_c->err_msg, "The file is not a JPEG, PNG or WebP image.");
	ctx_begin(t_c);
	CU_ASSERT_EQUAL(image_write_sizes(t_c, "GIF89a....", 10, IMAGE_PHOTO, dir, "p3"), SOUK_ERR);
	CU_ASSERT_EQUAL(t_c->err_status, 400);
	ctx_begin(t_c);
	CU_ASSERT_EQUAL(image_write_sizes(t_c, "x", IMAGE_MAX_BYTES + 1, IMAGE_PHOTO, dir, "p4"), SOUK_ERR);
	CU_ASSERT_STRING_EQUAL(t_c->err_msg, "The image is larger than 10 MB.");
	ctx_begin(t_c);
}

void add_image_tests(void)
{
	CU_pSuite s = CU_add_suite("image", setup, teardown);
	CU_add_test(s, "tile is written in every size as WebP", test_tile_sizes);
	CU_add_test(s, "one size, drawn at that size", test_one_size);
	CU_add_test(s, "tiles differ by product and view", test_tiles_differ);
	CU_add_test(s, "photos: fitted, checked by decoding", test_photo);
}
