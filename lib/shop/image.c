/* image: decode checked bytes with libvips, write every served size as WebP. */
#include "shop/image.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vips/vips.h>
#include <webp/mux.h>

#include "core/cfg.h"
#include "core/log.h"

const image_size image_sizes[IMAGE_NSIZES] = {
	{"thumb", 96},
	{"card", 320},
	{"page", 800},
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_rc = -1;

/* Once per process, at first use: a pool worker forks before it draws,
 * so libvips' threads are never inherited across a fork. One thread per
 * image and no operation cache: a worker draws one picture at a time and
 * must not hold memory between requests. */
static void init_vips(void)
{
	init_rc = vips_init("souk");
	if (init_rc == 0) {
		vips_concurrency_set(1);
		vips_cache_set_max(0);
		vips_cache_set_max_mem(0);
	}
}

/* The loader libvips would pick for the bytes, if `kinds` allows it. */
static const char *allowed_loader(const void *bytes, size_t n, int kinds)
{
	const char *ld = vips_foreign_find_load_buffer(bytes, n);
	vips_error_clear(); /* "not a known format" is our message, not libvips' */
	if (!ld)
		return NULL;
	if (kinds & IMAGE_PHOTO) {
		if (!strcmp(ld, "VipsForeignLoadJpegBuffer") || !strcmp(ld, "VipsForeignLoadPngBuffer") ||
		    !strcmp(ld, "VipsForeignLoadWebpBuffer"))
			return ld;
	}
	if ((kinds & IMAGE_SVG) && !strcmp(ld, "VipsForeignLoadSvgBuffer"))
		return ld;
	return NULL;
}

static int bad(ctx *c, const char *why)
{
	ctx_log(c, LOG_WARN, "image: %s (%s)", why, vips_error_buffer());
	vips_error_clear();
	return ctx_fail(c, 400, "bad_image", "%s", why);
}

/* libvips 8.14.1 (Debian 12) puts an EXIF chunk in every WebP, "strip"
 * or not: the upload's own fields (GPS, camera, artist) and orientation
 * and resolution it adds itself. libwebpmux, the library libvips adds
 * chunks with, takes the EXIF and XMP chunks out of the encoded file
 * (the ICC profile stays: the colours depend on it). 0, or -1. */
static int webp_strip(const void *bytes, size_t n, WebPData *out)
{
	WebPData in = {bytes, n};
	WebPMux *mux = WebPMuxCreate(&in, 0);
	if (!mux)
		return -1;
	WebPMuxDeleteChunk(mux, "EXIF"); /* WEBP_MUX_NOT_FOUND when there is none */
	WebPMuxDeleteChunk(mux, "XMP ");
	WebPDataInit(out);
	WebPMuxError e = WebPMuxAssemble(mux, out);
	WebPMuxDelete(mux);
	return e == WEBP_MUX_OK ? 0 : -1;
}

static int write_all(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t w = fwrite(p, 1, n, f);
	return (fclose(f) == 0 && w == n) ? 0 : -1;
}

/* DIR/STEM-NAME.webp into path; false when it does not fit. */
static bool size_path(char *path, size_t cap, const char *dir, const char *stem, const image_size *sz)
{
	int k = snprintf(path, cap, "%s/%s-%s.webp", dir, stem, sz->name);
	return k >= 0 && (size_t)k < cap;
}

/* One size: thumbnail of the decoded image, written aside then renamed. */
static int write_size(ctx *c, VipsImage *in, const image_size *sz, const char *dir, const char *stem)
{
	char path[1024], tmp[1100];
	if (!size_path(path, sizeof path, dir, stem, sz))
		return ctx_fail(c, 500, "internal", "image path too long");
	snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
	VipsImage *out = NULL;
	if (vips_thumbnail_image(in, &out, sz->px, "height", sz->px, "size", VIPS_SIZE_DOWN, NULL)) {
		ctx_log(c, LOG_ERROR, "image: thumbnail %s: %s", sz->name, vips_error_buffer());
		vips_error_clear();
		return ctx_fail(c, 500, "internal", "could not resize the image");
	}
	void *enc = NULL;
	size_t en = 0;
	WebPData clean = {NULL, 0};
	int rc = vips_webpsave_buffer(out, &enc, &en, "Q", 80, "strip", TRUE, NULL);
	g_object_unref(out);
	const char *why = rc ? vips_error_buffer()
	                  : webp_strip(enc, en, &clean) ? "could not remove the metadata"
	                  : write_all(tmp, clean.bytes, clean.size) || rename(tmp, path) ? "write or rename failed"
	                                                                                 : NULL;
	g_free(enc);
	WebPDataClear(&clean);
	if (why) {
		ctx_log(c, LOG_ERROR, "image: write %s: %s", path, why);
		vips_error_clear();
		unlink(tmp);
		return ctx_fail(c, 500, "internal", "could not write the image");
	}
	return SOUK_OK;
}

/* The checks before any decoding: library, size, format. */
static int precheck(ctx *c, const void *bytes, size_t n, int kinds, const char **loader)
{
	pthread_once(&once, init_vips);
	if (init_rc)
		return ctx_fail(c, 500, "internal", "image library unavailable");
	if (n == 0)
		return ctx_fail(c, 400, "bad_image", "The image is empty.");
	if (n > IMAGE_MAX_BYTES)
		return ctx_fail(c, 400, "bad_image", "The image is larger than 10 MB.");
	if (!(*loader = allowed_loader(bytes, n, kinds)))
		return ctx_fail(c, 400, "bad_image", "%s",
		                (kinds & IMAGE_PHOTO) ? "The file is not a JPEG, PNG or WebP image."
		                                      : "The file is not an image Souk can read.");
	return SOUK_OK;
}

int image_write_size(ctx *c, const void *bytes, size_t n, int kinds, const char *dir,
                     const char *stem, const image_size *sz)
{
	const char *ld;
	if (precheck(c, bytes, n, kinds, &ld) < 0)
		return SOUK_ERR;
	if (strcmp(ld, "VipsForeignLoadSvgBuffer") != 0)
		return image_write_sizes(c, bytes, n, kinds, dir, stem); /* photos: decoded whole once */
	/* SVG: rendered at the size asked (thumbnail scales the vector on load) */
	VipsImage *img = NULL;
	if (vips_thumbnail_buffer((void *)bytes, n, &img, sz->px, "height", sz->px, NULL))
		return bad(c, "The image could not be drawn.");
	int rc = write_size(c, img, sz, dir, stem);
	g_object_unref(img);
	return rc;
}

int image_write_sizes(ctx *c, const void *bytes, size_t n, int kinds, const char *dir,
                      const char *stem)
{
	const char *ld;
	if (precheck(c, bytes, n, kinds, &ld) < 0)
		return SOUK_ERR;
	VipsImage *img = vips_image_new_from_buffer(bytes, n, "", "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	if (!img)
		return bad(c, "The image could not be read; it may be damaged.");
	if ((double)vips_image_get_width(img) * vips_image_get_height(img) > IMAGE_MAX_PIXELS) {
		g_object_unref(img);
		return ctx_fail(c, 400, "bad_image", "The image is larger than 40 megapixels.");
	}
	/* Upright first: the stored sizes carry no EXIF to turn them later. */
	VipsImage *up = NULL;
	if (vips_autorot(img, &up, NULL)) {
		g_object_unref(img);
		return bad(c, "The image could not be read; it may be damaged.");
	}
	g_object_unref(img);
	/* Decoding everything here is the check that the whole file is an
	 * image, not only its header. */
	VipsImage *mem = vips_image_copy_memory(up);
	g_object_unref(up);
	if (!mem)
		return bad(c, "The image could not be decoded; it may be truncated or damaged.");
	int rc = SOUK_OK;
	for (int i = 0; i < IMAGE_NSIZES && rc == SOUK_OK; i++)
		rc = write_size(c, mem, &image_sizes[i], dir, stem);
	g_object_unref(mem);
	return rc;
}

const char *image_dir(void)
{
	return cfg_env_str("SOUK_IMG_DIR", "var/img");
}

void image_remove_sizes(const char *dir, const char *stem)
{
	char path[1024];
	for (int i = 0; i < IMAGE_NSIZES; i++)
		if (size_path(path, sizeof path, dir, stem, &image_sizes[i]))
			unlink(path);
}

const char *image_pictures_dir(ctx *c, const char *dir)
{
	buf b;
	buf_init(&b, c->a, 512);
	buf_printf(&b, "%s/p", dir);
	if (b.failed || (mkdir(dir, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(b.p, 0755) < 0 && errno != EEXIST)) {
		ctx_log(c, LOG_ERROR, "image: mkdir %s/p: %s", dir, b.failed ? "name too long" : strerror(errno));
		ctx_fail(c, 500, "internal", "could not store the picture");
		return NULL;
	}
	return b.p;
}
