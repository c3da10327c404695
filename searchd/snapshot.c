/* snapshot: souk-searchd's policy for its index snapshot (snapshot.h). */
#include "snapshot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/cfg.h"
#include "core/log.h"
#include "core/unixsock.h"

#define SNAPSHOT_DEFAULT_S 300

static char path[4096];
static char dbid[128]; /* the database's, once read */
static int every_s = SNAPSHOT_DEFAULT_S;
/* the writer's alone (the refresh thread, or main after it stopped) */
static uint64_t loads_written; /* ix's loads at the last write */
static bool dirty;             /* applied changes since the last write */
static time_t next_write;
/* The process writing the snapshot from its copy-on-write image of the
 * index, as Redis's BGSAVE does: the refresh goes on meanwhile (written
 * by the refresh thread itself, a gigabyte held it back 6-10 s on the
 * shared 2-core machine). 0: none. */
static pid_t child;
static int64_t child_t0;

bool snapshot_configure(void)
{
	const char *p = getenv("SOUK_SEARCHD_SNAPSHOT"), *var = getenv("SOUK_VAR");
	int n = -1;
	if (p && *p) {
		n = strcmp(p, "off") == 0 ? -1 : snprintf(path, sizeof(path), "%s", p);
	} else if (var && *var) {
		char dir[4096];
		/* its own directory: a snapshot is ~1 GB a million products */
		if (snprintf(dir, sizeof(dir), "%s/searchd", var) >= (int)sizeof(dir) ||
		    (mkdir(dir, 0700) < 0 && errno != EEXIST))
			log_msg(LOG_WARN, NULL, "searchd: snapshots off: cannot make %s/searchd: %s", var,
			        strerror(errno));
		else
			n = snprintf(path, sizeof(path), "%s/index.snap", dir);
	}
	if (n < 0 || (size_t)n >= sizeof(path)) {
		path[0] = '\0';
		return false;
	}
	every_s = (int)cfg_env_num("SOUK_SEARCHD_SNAPSHOT_S", SNAPSHOT_DEFAULT_S, 1, 86400);
	return true;
}

static bool have_dbid(ctx *c)
{
	if (!dbid[0] && sx_index_dbid(c, dbid, sizeof(dbid)) != SOUK_OK) {
		dbid[0] = '\0';
		return false;
	}
	return true;
}

snapshot_use snapshot_load(sx_index *ix, ctx *c)
{
	if (!path[0] || !have_dbid(c))
		return SNAPSHOT_UNUSED;
	char why[512];
	int64_t t0 = unixsock_now_ms();
	if (sx_index_snap_read(ix, path, dbid, why, sizeof(why)) < 0) {
		log_msg(LOG_INFO, NULL, "searchd: snapshot %s not used: %s", path, why);
		return SNAPSHOT_UNUSED;
	}
	int64_t t1 = unixsock_now_ms();
	uint64_t loads = sx_index_loads(ix);
	int n = sx_index_refresh(ix, c);
	if (n < 0)
		log_msg(LOG_WARN, NULL, "searchd: refresh after the snapshot failed (%s); serving it "
		        "until a refresh succeeds", c->err_msg ? c->err_msg : "?");
	log_msg(LOG_INFO, NULL, "searchd: index loaded from snapshot %s in %lld ms: %u products, "
	        "%zu bytes; then %d changed since applied in %lld ms", path, (long long)(t1 - t0),
	        sx_index_nlive(ix), sx_index_bytes(ix), n, (long long)(unixsock_now_ms() - t1));
	/* the snapshot is on disk: only what was applied since is new (a
	 * reload, more changed than a refresh reads, is written at once) */
	bool reloaded = sx_index_loads(ix) != loads;
	loads_written = reloaded ? 0 : loads;
	dirty = n > 0;
	next_write = time(NULL) + every_s;
	return reloaded ? SNAPSHOT_RELOADED : SNAPSHOT_USED;
}

static void log_written(int64_t t0)
{
	struct stat st;
	log_msg(LOG_INFO, NULL, "searchd: snapshot written to %s: %lld MB in %lld ms", path,
	        stat(path, &st) == 0 ? (long long)st.st_size >> 20 : -1LL,
	        (long long)(unixsock_now_ms() - t0));
}

/* The writing child's end, waited for when block; false while it runs. */
static bool reap(bool block)
{
	int st = 0;
	if (!child)
		return true;
	pid_t r = waitpid(child, &st, block ? 0 : WNOHANG);
	if (r == 0)
		return false;
	if (r == child && WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		log_written(child_t0);
	} else {
		/* the child logged why; what it was writing is due again */
		dirty = true;
		log_msg(LOG_WARN, NULL, "searchd: snapshot writer %d failed", (int)child);
	}
	child = 0;
	return true;
}

/* Writes ix's snapshot: in a child when background (the caller goes on
 * at once), else here. false when it could not be written. */
static bool write_snapshot(sx_index *ix, bool background)
{
	int64_t t0 = unixsock_now_ms();
	char why[512];
	pid_t p = background ? fork() : -1;
	if (p == 0) {
		/* only this thread exists here: the index is not changing */
		int rc = sx_index_snap_write(ix, path, dbid, why, sizeof(why));
		if (rc < 0)
			log_msg(LOG_WARN, NULL, "searchd: snapshot not written: %s", why);
		_exit(rc < 0 ? 1 : 0);
	}
	if (p > 0) {
		child = p;
		child_t0 = t0;
		return true;
	}
	if (sx_index_snap_write(ix, path, dbid, why, sizeof(why)) < 0) {
		log_msg(LOG_WARN, NULL, "searchd: snapshot not written: %s", why);
		return false;
	}
	log_written(t0);
	return true;
}

void snapshot_tick(sx_index *ix, ctx *c, int applied, bool stopping)
{
	if (!path[0])
		return;
	if (applied > 0)
		dirty = true;
	if (!reap(stopping))
		return; /* one writer at a time */
	/* a load from PostgreSQL (at start, or the refresh's or the repair's
	 * reload): written at once, it is the slow path a restart avoids */
	bool loaded = sx_index_loads(ix) != loads_written;
	if (!loaded && !(dirty && (stopping || time(NULL) >= next_write)))
		return;
	next_write = time(NULL) + every_s;
	if (!have_dbid(c)) {
		log_msg(LOG_WARN, NULL, "searchd: snapshot not written: %s",
		        c->err_msg ? c->err_msg : "no database identity");
		return;
	}
	/* tried whatever comes of it: a failure is tried again after the
	 * period, or at the next load */
	loads_written = sx_index_loads(ix);
	dirty = !write_snapshot(ix, !stopping);
}
