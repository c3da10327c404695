/* test_image: decoding checks, every size written as WebP, tiles distinct; sellers' photos (EXIF gone, bombs refused from the header, names). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <vips/vips.h>

#include "shop/image.h"
#include "shop/image_tile.h"
#include "shop/seller_photo.h"
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

/* ---------------------------------------------------------------- sellers' photos */

/* An EXIF block: IFD0 with Artist "SOUK-EXIF-ARTIST" and a GPS IFD whose
 * GPSLatitudeRef is "N" (little-endian TIFF; offsets from the "II"). */
static const unsigned char exif[] = {
	'E', 'x', 'i', 'f', 0, 0,
	'I', 'I', 0x2a, 0, 8, 0, 0, 0,
	2, 0,                                            /* IFD0: two entries */
	0x3b, 0x01, 2, 0, 17, 0, 0, 0, 56, 0, 0, 0,      /* Artist, ASCII[17] at 56 */
	0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0,       /* GPSInfo IFD at 38 */
	0, 0, 0, 0,                                      /* no next IFD */
	1, 0,                                            /* GPS IFD: one entry */
	0x01, 0x00, 2, 0, 2, 0, 0, 0, 'N', 0, 0, 0,      /* GPSLatitudeRef "N" */
	0, 0, 0, 0,
	'S', 'O', 'U', 'K', '-', 'E', 'X', 'I', 'F', '-', 'A', 'R', 'T', 'I', 'S', 'T', 0,
};

/* A w x h colour JPEG (made here) with the EXIF block spliced in after
 * SOI as an APP1 segment, as a camera writes it. g_free the result. */
static void *jpeg_with_exif(int w, int h, size_t *n)
{
	VipsImage *black = NULL, *img = NULL;
	void *jpg = NULL;
	size_t jn = 0;
	if (vips_black(&black, w, h, "bands", 3, NULL) || vips_linear1(black, &img, 1.0, 120.0, NULL) ||
	    vips_jpegsave_buffer(img, &jpg, &jn, "strip", TRUE, NULL))
		return NULL;
	g_object_unref(black);
	g_object_unref(img);
	size_t seg = sizeof exif + 2;
	unsigned char *out = g_malloc(jn + seg + 2);
	memcpy(out, jpg, 2); /* FF D8 */
	out[2] = 0xff, out[3] = 0xe1, out[4] = (unsigned char)(seg >> 8), out[5] = (unsigned char)seg;
	memcpy(out + 6, exif, sizeof exif);
	memcpy(out + 6 + sizeof exif, (char *)jpg + 2, jn - 2);
	g_free(jpg);
	*n = jn + seg + 2;
	return out;
}

static bool has_exif(const char *path)
{
	VipsImage *im = vips_image_new_from_file(path, NULL);
	if (!im)
		return true; /* unreadable counts as a failure of the test */
	bool yes = vips_image_get_typeof(im, "exif-data") != 0;
	g_object_unref(im);
	return yes;
}

static bool file_holds(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	static char data[1 << 20];
	size_t n = fread(data, 1, sizeof data, f);
	fclose(f);
	return memmem(data, n, needle, strlen(needle)) != NULL;
}

static void test_exif_stripped(void)
{
	size_t n = 0;
	void *jpg = jpeg_with_exif(1200, 900, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(jpg);
	/* the input does carry it, so the test below can fail */
	VipsImage *in = vips_image_new_from_buffer(jpg, n, "", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	CU_ASSERT(vips_image_get_typeof(in, "exif-data") != 0);
	g_object_unref(in);
	CU_ASSERT(memmem(jpg, n, "SOUK-EXIF-ARTIST", 16) != NULL);

	CU_ASSERT_EQUAL_FATAL(image_write_sizes(t_c, jpg, n, IMAGE_PHOTO, dir, "e0"), 0);
	g_free(jpg);
	for (int i = 0; i < IMAGE_NSIZES; i++) {
		char path[256];
		snprintf(path, sizeof path, "%s/e0-%s.webp", dir, image_sizes[i].name);
		VipsImage *im = vips_image_new_from_file(path, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(im);
		CU_ASSERT_EQUAL(vips_image_get_width(im), image_sizes[i].px); /* 4:3 fitted in the box */
		CU_ASSERT_EQUAL(vips_image_get_height(im), image_sizes[i].px * 3 / 4);
		g_object_unref(im);
		CU_ASSERT_FALSE(has_exif(path));
		CU_ASSERT_FALSE(file_holds(path, "SOUK-EXIF-ARTIST"));
		CU_ASSERT_FALSE(file_holds(path, "Exif"));
	}
}

static void test_webp_accepted(void)
{
	VipsImage *black = NULL;
	void *webp = NULL;
	size_t n = 0;
	CU_ASSERT_FATAL(vips_black(&black, 300, 500, "bands", 3, NULL) == 0);
	CU_ASSERT_FATAL(vips_webpsave_buffer(black, &webp, &n, NULL) == 0);
	g_object_unref(black);
	CU_ASSERT_EQUAL(image_write_sizes(t_c, webp, n, IMAGE_PHOTO, dir, "w0"), 0);
	char path[256];
	snprintf(path, sizeof path, "%s/w0-card.webp", dir);
	VipsImage *im = vips_image_new_from_file(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(im);
	CU_ASSERT_EQUAL(vips_image_get_width(im), 192); /* 300x500 into 320x320 */
	CU_ASSERT_EQUAL(vips_image_get_height(im), 320);
	g_object_unref(im);
	g_free(webp);
}

/* 8000 x 6000 one-bit grey: a 48-megapixel PNG of a few kilobytes that
 * decodes to 48 MB. Refused from its header, quickly, writing nothing. */
static void test_bomb(void)
{
	VipsImage *black = NULL;
	void *png = NULL;
	size_t n = 0;
	CU_ASSERT_FATAL(vips_black(&black, 8000, 6000, NULL) == 0);
	CU_ASSERT_FATAL(vips_pngsave_buffer(black, &png, &n, "bitdepth", 1, "compression", 9, NULL) == 0);
	g_object_unref(black);
	CU_ASSERT(n < 200 * 1024);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ctx_begin(t_c);
	CU_ASSERT_EQUAL(image_write_sizes(t_c, png, n, IMAGE_PHOTO, dir, "b0"), SOUK_ERR);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CU_ASSERT_EQUAL(t_c->err_status, 400);
	CU_ASSERT_STRING_EQUAL(t_c->err_msg, "The image is larger than 40 megapixels.");
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	CU_ASSERT(ms < 500); /* the header only: decoding 48 MP takes seconds under the sanitizers */
	struct stat st;
	char path[256];
	snprintf(path, sizeof path, "%s/b0-thumb.webp", dir);
	CU_ASSERT_NOT_EQUAL(stat(path, &st), 0);
	ctx_begin(t_c);
	g_free(png);
}

static void test_names(void)
{
	CU_ASSERT_PTR_NOT_NULL(sphoto_name_ok("12-u0123456789abcdef"));
	CU_ASSERT_PTR_NULL(sphoto_name_ok(""));
	CU_ASSERT_PTR_NULL(sphoto_name_ok(NULL));
	CU_ASSERT_PTR_NULL(sphoto_name_ok("../../etc/passwd"));
	CU_ASSERT_PTR_NULL(sphoto_name_ok("12-u01.webp"));
	CU_ASSERT_PTR_NULL(sphoto_name_ok("a b"));
	char longname[62];
	memset(longname, 'a', 61);
	longname[61] = '\0';
	CU_ASSERT_PTR_NULL(sphoto_name_ok(longname));
	longname[60] = '\0';
	CU_ASSERT_PTR_NOT_NULL(sphoto_name_ok(longname));
}

void add_photo_tests(void)
{
	CU_pSuite s = CU_add_suite("photo", setup, teardown);
	CU_add_test(s, "a JPEG's EXIF (GPS, artist) is in no size", test_exif_stripped);
	CU_add_test(s, "a WebP is accepted and fitted", test_webp_accepted);
	CU_add_test(s, "a decompression bomb is refused from its header", test_bomb);
	CU_add_test(s, "photo names", test_names);
}
