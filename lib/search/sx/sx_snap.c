/* sx_snap: the index on local disk, so that a restart reads one file
 * instead of the whole catalog from PostgreSQL (at a million products a
 * file of ~1 GB against a 23 s COPY that keeps both cores busy).
 *
 * A snapshot is the index's contents in the order sx_data holds them,
 * pointers written as the bytes they point to: the slot arrays as they
 * are; each document's entries, colours, sizes and strings; the
 * dictionaries' names in id order (their hash tables are built again);
 * every posting list's blocks as coded (sx_post.h); the categories.
 * Reading copies them into a fresh index as a compaction would
 * (sx_compact.c), so a restored index is an ordinary one: refreshes
 * change it as any other. What it does not hold is checked where it is
 * read: the watermark it was taken at (rows stamped since are re-read
 * by the refresh) and the reconciliation's sums (which compare versions,
 * so a snapshot of other rows is repaired like any missed write).
 *
 * The file is this build's memory layout, not an interchange format: a
 * header names the layout (SX_SNAP_VERSION and the sizes below) and the
 * database it was read from (sx_index_dbid); anything else is refused
 * and the daemon loads from PostgreSQL. A checksum over everything
 * (xxHash's XXH3) refuses a file cut short or damaged. */
#include "search/sx/sx_index_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

/* Change with anything this file copies as bytes: sx_doc's or sx_fcol's
 * fields, sx_entries' packing, sx_post's block coding. */
#define SX_SNAP_VERSION 1u
static const char magic[8] = "SOUKSXS\n", end_magic[8] = "SXSEND\n";
#define SX_SNAP_DB 128 /* the header's room for the database's identity */

/* ---- writing ---- */

typedef struct {
	FILE *f;
	XXH3_state_t *h;
	bool failed;
} wr;

static void w_bytes(wr *w, const void *p, size_t n)
{
	if (!n || w->failed)
		return;
	if (fwrite(p, 1, n, w->f) != n)
		w->failed = true;
	XXH3_64bits_update(w->h, p, n);
}

static void w_u32(wr *w, uint32_t v)
{
	w_bytes(w, &v, sizeof(v));
}

static void w_u64(wr *w, uint64_t v)
{
	w_bytes(w, &v, sizeof(v));
}

static void w_str(wr *w, const char *s, size_t n)
{
	w_u32(w, (uint32_t)n);
	w_bytes(w, s, n);
}

static void w_dict(wr *w, const sx_dict *d)
{
	w_u32(w, d->n);
	for (uint32_t i = 0; i < d->n; i++)
		w_str(w, d->names[i], d->lens[i]);
}

static void w_doc(wr *w, const sx_doc *x)
{
	size_t eb = x->nentries ? sx_ents_bytes(x->ents, x->nentries) : 0;
	w_u32(w, (uint32_t)eb);
	w_bytes(w, x->ents, eb);
	w_bytes(w, x->colors, x->ncolors * sizeof(uint32_t));
	w_bytes(w, x->sizes, x->nsizes * sizeof(uint32_t));
	w_str(w, x->ref, strlen(x->ref));
	w_str(w, x->title, strlen(x->title));
	w_str(w, x->image, strlen(x->image));
}

static void w_plist(wr *w, const sx_plist *pl)
{
	w_u32(w, pl->n);
	w_u32(w, pl->df);
	w_u32(w, pl->nb);
	w_u32(w, pl->sigs);
	for (uint32_t i = 0; i < pl->nb; i++) {
		const sx_pblock *b = &pl->b[i];
		size_t n = sx_pblock_data_bytes(b);
		w_u32(w, b->first);
		w_u32(w, (uint32_t)b->n | (uint32_t)b->width << 16 | (uint32_t)b->sigs << 24);
		w_u32(w, (uint32_t)n);
		w_bytes(w, b->data, n);
	}
}

static void w_data(wr *w, const sx_data *d)
{
	w_u32(w, d->nslots);
	w_u32(w, d->nlive);
	for (uint32_t s = 0; s < d->nslots; s++) {
		sx_doc x = d->docs[s];
		/* no addresses in the file: they are written as what they hold */
		x.colors = x.sizes = NULL;
		x.ref = x.title = x.image = NULL;
		x.ents = NULL;
		w_bytes(w, &x, sizeof(x));
	}
	w_bytes(w, d->xids, d->nslots * sizeof(*d->xids));
	w_bytes(w, d->vers, d->nslots * sizeof(*d->vers));
	w_bytes(w, d->cat_col, d->nslots * sizeof(*d->cat_col));
	w_bytes(w, d->fcols, d->nslots * sizeof(*d->fcols));
	for (uint32_t s = 0; s < d->nslots; s++)
		w_doc(w, &d->docs[s]);
	w_u32(w, d->id_cap);
	w_u32(w, d->id_n);
	w_bytes(w, d->id_keys, d->id_cap * sizeof(*d->id_keys));
	w_bytes(w, d->id_vals, d->id_cap * sizeof(*d->id_vals));
	const sx_dict *dicts[] = {&d->lex, &d->brands, &d->groups, &d->colors, &d->sizes};
	for (size_t i = 0; i < sizeof(dicts) / sizeof(dicts[0]); i++)
		w_dict(w, dicts[i]);
	w_bytes(w, d->brand_group, d->brands.n * sizeof(*d->brand_group));
	for (uint32_t l = 0; l < d->lex.n; l++)
		w_plist(w, &d->post[l]);
	const sx_cats *cs = d->cats;
	w_u32(w, cs->n);
	for (uint32_t i = 0; i < cs->n; i++) {
		const sx_category *c = &cs->cats[i];
		w_u64(w, (uint64_t)c->id);
		w_u64(w, (uint64_t)c->parent_id);
		w_str(w, c->name, strlen(c->name));
		w_str(w, c->slug, strlen(c->slug));
		w_str(w, c->path, strlen(c->path));
	}
}

/* The header: what must match for the rest to be read. */
static void w_header(wr *w, const sx_index *ix, const char *db)
{
	char dbid[SX_SNAP_DB] = {0}, sig[sizeof(ix->cat_sig)] = {0};
	snprintf(dbid, sizeof(dbid), "%s", db);
	memcpy(sig, ix->cat_sig, sizeof(sig));
	w_bytes(w, magic, sizeof(magic));
	w_u32(w, SX_SNAP_VERSION);
	w_u32(w, (uint32_t)sizeof(sx_doc));
	w_u32(w, (uint32_t)sizeof(sx_fcol));
	w_u32(w, SX_PB_MAX);
	w_bytes(w, dbid, sizeof(dbid));
	w_u64(w, ix->watermark);
	w_bytes(w, sig, sizeof(sig));
}

int sx_index_snap_write(sx_index *ix, const char *path, const char *db, char *why, size_t whysz)
{
	char tmp[4096];
	/* the writer's own: two daemons given one path each rename a whole file */
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp)) {
		snprintf(why, whysz, "path too long");
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(why, whysz, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	wr w = {fdopen(fd, "wb"), XXH3_createState(), false};
	if (!w.f || !w.h)
		abort(); /* out of memory, as everywhere in the index */
	setvbuf(w.f, NULL, _IOFBF, 1 << 20);
	XXH3_64bits_reset(w.h);
	w_header(&w, ix, db);
	w_data(&w, ix->d);
	uint64_t sum = XXH3_64bits_digest(w.h);
	if (!w.failed && (fwrite(&sum, sizeof(sum), 1, w.f) != 1 ||
	                  fwrite(end_magic, sizeof(end_magic), 1, w.f) != 1))
		w.failed = true;
	/* No fsync: a file the kernel had not written when the machine
	 * stopped fails its checksum and is refused; the next start loads
	 * from PostgreSQL. Flushing a gigabyte here would hold the writer
	 * (and so the refresh) for as long as the disk takes. */
	if (fflush(w.f) != 0)
		w.failed = true;
	int saved = errno;
	if (fclose(w.f) != 0)
		w.failed = true;
	XXH3_freeState(w.h);
	if (w.failed || rename(tmp, path) != 0) {
		snprintf(why, whysz, "%s: %s", tmp, strerror(w.failed ? saved : errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* ---- reading ---- */

typedef struct {
	const uint8_t *p, *end;
	bool bad; /* read past the end: a file cut inside what it says it holds */
} rd;

static const void *r_take(rd *r, size_t n)
{
	if (r->bad || n > (size_t)(r->end - r->p)) {
		r->bad = true;
		return NULL;
	}
	const void *p = r->p;
	r->p += n;
	return p;
}

static void r_bytes(rd *r, void *dst, size_t n)
{
	const void *p = r_take(r, n);
	if (p && n)
		memcpy(dst, p, n);
	else if (n)
		memset(dst, 0, n);
}

static uint32_t r_u32(rd *r)
{
	uint32_t v;
	r_bytes(r, &v, sizeof(v));
	return v;
}

static uint64_t r_u64(rd *r)
{
	uint64_t v;
	r_bytes(r, &v, sizeof(v));
	return v;
}

/* A string into pool p (NUL-terminated); "" when the file is short. */
static const char *r_str(rd *r, sx_pool *p)
{
	uint32_t n = r_u32(r);
	const char *s = r_take(r, n);
	return sx_pool_strndup(p, s ? s : "", s ? n : 0);
}

/* A string malloc'ed (NUL-terminated), for what is copied again. */
static char *r_cstr(rd *r)
{
	uint32_t n = r_u32(r);
	const char *s = r_take(r, n);
	char *d = malloc((s ? n : 0) + 1);
	if (!d)
		abort();
	if (s && n)
		memcpy(d, s, n);
	d[s ? n : 0] = '\0';
	return d;
}

static void *r_array(rd *r, size_t n, size_t size)
{
	void *a = calloc(n ? n : 1, size);
	if (!a)
		abort();
	r_bytes(r, a, n * size);
	return a;
}

/* The same into a mapping of its own (the slot arrays, the id map:
 * sx_index_int.h). */
static void *r_map_array(rd *r, size_t n, size_t size)
{
	void *a = sx_map_resize(NULL, 0, n * size);
	if (a)
		r_bytes(r, a, n * size);
	return a;
}

static void *r_pool_mem(rd *r, sx_pool *p, size_t n, size_t align)
{
	const void *src = r_take(r, n);
	return src ? sx_pool_memdup(p, src, n, align) : NULL;
}

static void r_dict(rd *r, sx_dict *d, sx_pool *names)
{
	uint32_t n = r_u32(r);
	for (uint32_t i = 0; i < n && !r->bad; i++) {
		uint32_t len = r_u32(r);
		const char *s = r_take(r, len);
		if (s && sx_dict_add(d, names, s, len, NULL) != i)
			r->bad = true; /* a name twice: not what a dictionary writes */
	}
}

static void r_plist(rd *r, sx_plist *pl, uint32_t nslots)
{
	pl->n = r_u32(r);
	pl->df = r_u32(r);
	uint32_t nb = r_u32(r);
	pl->sigs = r_u32(r) != 0;
	if (r->bad || nb > (size_t)(r->end - r->p) / 12) {
		r->bad = true;
		return;
	}
	sx_plist_reserve_empty(pl, nb);
	pl->nb = nb;
	for (uint32_t i = 0; i < nb && !r->bad; i++) {
		sx_pblock *b = &pl->b[i];
		b->first = r_u32(r);
		uint32_t shape = r_u32(r), n = r_u32(r);
		b->n = (uint16_t)shape;
		b->width = (uint8_t)(shape >> 16);
		b->sigs = (uint8_t)(shape >> 24);
		const uint8_t *data = r_take(r, n);
		if (r->bad || b->first >= nslots || sx_pblock_restore(pl, b, data, n) < 0)
			r->bad = true;
	}
}

static void r_data(rd *r, sx_data *d)
{
	uint32_t nslots = r_u32(r);
	d->nlive = r_u32(r);
	if (r->bad || nslots > (size_t)(r->end - r->p) / sizeof(sx_doc)) {
		r->bad = true;
		return;
	}
	d->nslots = d->cap = nslots;
	d->docs = r_map_array(r, nslots, sizeof(*d->docs));
	sx_advise_huge(d->docs, (size_t)nslots * sizeof(*d->docs));
	d->xids = r_map_array(r, nslots, sizeof(*d->xids));
	d->vers = r_map_array(r, nslots, sizeof(*d->vers));
	d->cat_col = r_map_array(r, nslots, sizeof(*d->cat_col));
	d->fcols = r_map_array(r, nslots, sizeof(*d->fcols));
	for (uint32_t s = 0; s < nslots && !r->bad; s++) {
		sx_doc *x = &d->docs[s];
		uint32_t eb = r_u32(r);
		x->ents = r_pool_mem(r, &d->pool, eb, 1);
		if (!r->bad && x->nentries &&
		    (eb < SX_ENTS_HEAD || sx_ents_bytes(x->ents, x->nentries) != eb))
			r->bad = true;
		x->colors = r_pool_mem(r, &d->pool, x->ncolors * sizeof(uint32_t), _Alignof(uint32_t));
		x->sizes = r_pool_mem(r, &d->pool, x->nsizes * sizeof(uint32_t), _Alignof(uint32_t));
		x->ref = r_str(r, &d->pool);
		x->title = r_str(r, &d->pool);
		x->image = r_str(r, &d->pool);
	}
	uint32_t id_cap = r_u32(r);
	d->id_n = r_u32(r);
	if (r->bad || (id_cap & (id_cap - 1)) != 0 || d->id_n > id_cap ||
	    id_cap > (size_t)(r->end - r->p) / 12) {
		r->bad = true;
		return;
	}
	d->id_cap = id_cap;
	d->id_keys = r_map_array(r, id_cap, sizeof(*d->id_keys));
	d->id_vals = r_map_array(r, id_cap, sizeof(*d->id_vals));
	sx_dict *dicts[] = {&d->lex, &d->brands, &d->groups, &d->colors, &d->sizes};
	for (size_t i = 0; i < sizeof(dicts) / sizeof(dicts[0]); i++)
		r_dict(r, dicts[i], &d->names);
	if (r->bad)
		return;
	d->bg_cap = d->brands.n;
	d->brand_group = r_array(r, d->brands.n, sizeof(*d->brand_group));
	d->post_cap = d->lex.n;
	d->post = calloc(d->lex.n ? d->lex.n : 1, sizeof(*d->post));
	if (!d->post)
		abort();
	for (uint32_t l = 0; l < d->lex.n; l++)
		d->post[l].slab = &d->post_slab;
	for (uint32_t l = 0; l < d->lex.n && !r->bad; l++)
		r_plist(r, &d->post[l], nslots);
	uint32_t ncats = r_u32(r);
	for (uint32_t i = 0; i < ncats && !r->bad; i++) {
		int64_t id = (int64_t)r_u64(r), parent = (int64_t)r_u64(r);
		char *name = r_cstr(r), *slug = r_cstr(r), *path = r_cstr(r);
		if (!r->bad && sx_cats_add(d->cats, id, parent, name, slug, path) < 0)
			r->bad = true;
		free(name);
		free(slug);
		free(path);
	}
	sx_cats_finish(d->cats);
}

/* The file at path mapped; *n its size. NULL with why set. */
static const uint8_t *map_file(const char *path, size_t *n, char *why, size_t whysz)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, whysz, "%s", errno == ENOENT ? "no such file" : strerror(errno));
		return NULL;
	}
	struct stat st;
	void *m = MAP_FAILED;
	if (fstat(fd, &st) == 0 && st.st_size > 0)
		m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	int saved = errno;
	close(fd);
	if (m == MAP_FAILED) {
		snprintf(why, whysz, "%s", st.st_size == 0 ? "truncated" : strerror(saved));
		return NULL;
	}
	madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
	*n = (size_t)st.st_size;
	return m;
}

/* The header's checks, in the order that names the cause best. */
static bool header_ok(rd *r, const char *db, uint64_t *watermark, char *sig, size_t sigsz,
                      char *why, size_t whysz)
{
	char m[sizeof(magic)], dbid[SX_SNAP_DB] = {0}, want[SX_SNAP_DB] = {0};
	r_bytes(r, m, sizeof(m));
	if (r->bad || memcmp(m, magic, sizeof(m)) != 0) {
		snprintf(why, whysz, "not a snapshot");
		return false;
	}
	uint32_t version = r_u32(r), doc = r_u32(r), fcol = r_u32(r), pbmax = r_u32(r);
	if (version != SX_SNAP_VERSION || doc != sizeof(sx_doc) || fcol != sizeof(sx_fcol) ||
	    pbmax != SX_PB_MAX) {
		snprintf(why, whysz, "format version");
		return false;
	}
	r_bytes(r, dbid, sizeof(dbid));
	snprintf(want, sizeof(want), "%s", db);
	if (memcmp(dbid, want, sizeof(want)) != 0) {
		snprintf(why, whysz, "another database");
		return false;
	}
	*watermark = r_u64(r);
	r_bytes(r, sig, sigsz);
	sig[sigsz - 1] = '\0';
	return !r->bad;
}

int sx_index_snap_read(sx_index *ix, const char *path, const char *db, char *why, size_t whysz)
{
	size_t n = 0;
	const uint8_t *m = map_file(path, &n, why, whysz);
	if (!m)
		return -1;
	int rc = -1;
	const size_t tail = sizeof(uint64_t) + sizeof(end_magic);
	rd r = {m, m + (n > tail ? n - tail : 0), false};
	uint64_t watermark = 0, sum;
	char sig[sizeof(ix->cat_sig)];
	if (n < sizeof(magic) || memcmp(m, magic, sizeof(magic)) != 0) {
		snprintf(why, whysz, "not a snapshot");
		goto out;
	}
	if (!header_ok(&r, db, &watermark, sig, sizeof(sig), why, whysz)) {
		if (r.bad)
			snprintf(why, whysz, "truncated");
		goto out;
	}
	if (n <= tail || memcmp(m + n - sizeof(end_magic), end_magic, sizeof(end_magic)) != 0) {
		snprintf(why, whysz, "truncated");
		goto out;
	}
	memcpy(&sum, m + n - tail, sizeof(sum));
	if (XXH3_64bits(m, n - tail) != sum) {
		snprintf(why, whysz, "checksum mismatch");
		goto out;
	}
	sx_data *d = sx_data_new();
	r_data(&r, d);
	if (r.bad || r.p != r.end) {
		/* whole and checksummed, yet not what this code writes */
		snprintf(why, whysz, "malformed");
		sx_data_free(d);
		goto out;
	}
	pthread_rwlock_wrlock(&ix->lock);
	sx_data *old = ix->d;
	ix->d = d;
	ix->loads++;
	pthread_rwlock_unlock(&ix->lock);
	sx_data_free(old);
	ix->watermark = watermark;
	memcpy(ix->cat_sig, sig, sizeof(ix->cat_sig));
	ix->loaded = true;
	rc = 0;
out:
	munmap((void *)m, n);
	return rc;
}
