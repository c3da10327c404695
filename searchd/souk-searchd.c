/* souk-searchd: the search daemon: answers search_query frames from the
 * handler pools over a Unix socket, from its in-memory index (sx_index,
 * kept fresh every 100 ms), with the memory engine (sx_search). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "http/app.h"
#include "shop/catalog.h"
#include "store/db.h"
#include "core/js.h"
#include "core/log.h"
#include "http/prefork.h"
#include "store/rds.h"
#include "search/search_frame.h"
#include "search/search_int.h"
#include "search/search_remote.h"
#include "search/sx/sx_index.h"
#include "snapshot.h"

/* The in-memory index (lib/search/sx/sx_index.c) and engine (lib/search/sx/sx_search.c).
 * Built with -DSEARCHD_MEMORY=0 the daemon answers with the SQL engine
 * instead: the whole path (wire, socket, fallback, freshness) without
 * the index. */
#ifndef SEARCHD_MEMORY
#define SEARCHD_MEMORY 1
#endif
#if SEARCHD_MEMORY
#include "search/sx/sx_search.h"
#include "store/store.h"
#include "core/unixsock.h"
#endif

#define SEARCHD_MAX_THREADS 64
#define SEARCHD_REFRESH_MS 100
#define SEARCHD_IO_MS 1000

/* Shared between threads: the stop flag (atomic), and, read-only once
 * the threads start, the engine, the listening socket and the config.
 * The index's own lock guards everything the index holds. */
static atomic_bool stopping;
static search_engine engine;
static int listen_fd = -1;
static sx_index *index_;
static int reconcile_s = SX_RECONCILE_DEFAULT_S;
/* For the status frame: the live product count after the last refresh,
 * and reconciliations run / that found a difference. */
static atomic_uint_fast32_t st_products;
static atomic_uint_fast64_t st_reconciles, st_repairs;
/* Where the index came from at start: read-only once the threads run. */
static const char *loaded_from = "postgresql";

/* ------------------------------------------------------------ serving */

static str error_reply(ctx *c)
{
	int status = c->err_status ? c->err_status : 500;
	json_object *o = js_obj(c);
	js_bool(o, "ok", false);
	js_i64(o, "status", status);
	js_str(o, "code", c->err_code ? c->err_code : "internal");
	js_str(o, "message", c->err_msg ? c->err_msg : "internal error");
	return str_c(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
}

/* {"status":true}: what the index holds, for operators and benches
 * (bench/search.sh checks the count before it measures). */
static bool status_frame(ctx *c, str in, str *out)
{
	bool want = false;
	json_object *q = in.len <= 64 ? js_parse(c, in) : NULL; /* queries are longer */
	if (!q || js_get_bool(q, "status", &want) != 1 || !want || json_object_object_length(q) != 1)
		return false;
	json_object *o = js_obj(c), *st = json_object_new_object();
	js_bool(o, "ok", true);
	js_i64(st, "products", (int64_t)atomic_load(&st_products));
	js_i64(st, "reconcile_s", reconcile_s);
	js_i64(st, "reconciles", (int64_t)atomic_load(&st_reconciles));
	js_i64(st, "repairs", (int64_t)atomic_load(&st_repairs));
	js_str(st, "loaded_from", loaded_from);
	json_object_object_add(o, "status", st);
	*out = str_c(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	return true;
}

/* One request on fd: a frame in, a frame out. -1: close the connection. */
static int serve_one(ctx *c, int fd)
{
	ctx_begin(c);
	str in;
	if (search_frame_read(fd, c->a, &in, unixsock_now_ms() + SEARCHD_IO_MS) < 0)
		return -1;
	str st;
	if (status_frame(c, in, &st))
		return search_frame_write(fd, st, unixsock_now_ms() + SEARCHD_IO_MS);
	search_query q;
	search_result res;
	str out;
	if (search_query_from_json(c, in, &q) == SOUK_OK &&
	    search_execute(c, &q, &engine, &res) == SOUK_OK) {
		/* the binary frame (search_frame.h): the pool renders once */
		out = search_result_to_frame(c, &res);
		if (!out.p) {
			ctx_fail(c, 500, "internal", "out of memory");
			out = error_reply(c);
		}
	} else {
		if (c->err_status >= 500)
			ctx_log(c, LOG_WARN, "searchd: %d %s: %s", c->err_status,
			        c->err_code ? c->err_code : "internal", c->err_msg ? c->err_msg : "");
		out = error_reply(c);
	}
	return search_frame_write(fd, out, unixsock_now_ms() + SEARCHD_IO_MS);
}

/* The threads share one epoll set: the listening socket and every
 * connection, each connection armed for one event at a time
 * (EPOLLONESHOT), so whichever thread is idle serves whichever handler
 * asks next; a slow request holds up no other connection. A handler
 * process keeps its connection between requests. */
static int epoll_fd = -1;

static void *server_main(void *arg)
{
	(void)arg;
	ctx *c = store_ctx_new(cfg_get());
	if (!c) {
		log_msg(LOG_ERROR, NULL, "searchd: thread setup: out of memory");
		atomic_store(&stopping, true);
	}
	struct epoll_event evs[8];
	while (!atomic_load(&stopping)) {
		int n = epoll_wait(epoll_fd, evs, 8, SEARCHD_REFRESH_MS);
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			if (fd == listen_fd) {
				int cfd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
				if (cfd < 0)
					continue; /* another thread took it */
				struct epoll_event ce = {.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT,
				                         .data.fd = cfd};
				if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, cfd, &ce) < 0)
					close(cfd);
				continue;
			}
			struct epoll_event re = {.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT,
			                         .data.fd = fd};
			if (serve_one(c, fd) < 0 || epoll_ctl(epoll_fd, EPOLL_CTL_MOD, fd, &re) < 0)
				close(fd); /* closing removes it from the set */
		}
	}
	store_ctx_free(c);
	return NULL;
}

/* ------------------------------------------------------------ freshness */

/* The index's writers take turns: the refresh, and a reconciliation's
 * repair (its long read of PostgreSQL's sums runs beside the refresh). */
static pthread_mutex_t writer = PTHREAD_MUTEX_INITIALIZER;

/* Applies changed products every 100 ms; a batch applied bumps
 * catalog:version so no result computed before it stays in the Redis
 * cache under the version the handlers now read. */
static void *refresh_main(void *arg)
{
	(void)arg;
	ctx *c = store_ctx_new(cfg_get());
	bool failing = false;
	while (c && !atomic_load(&stopping)) {
		ctx_begin(c);
		pthread_mutex_lock(&writer);
		uint64_t loads = sx_index_loads(index_);
		int n = sx_index_refresh(index_, c);
		if (sx_index_loads(index_) != loads)
			app_give_back_arena(); /* the rows read, the load's scratch */
		if (n >= 0)
			atomic_store(&st_products, sx_index_nlive(index_));
		snapshot_tick(index_, c, n, false);
		pthread_mutex_unlock(&writer);
		/* PostgreSQL down: say so once, then once more when it is back;
		 * the index keeps answering with what it has meanwhile. */
		if (n < 0 && !failing)
			ctx_log(c, LOG_WARN, "searchd: refresh failed (%s); the index is stale until "
			        "it succeeds", c->err_msg ? c->err_msg : "?");
		else if (n >= 0 && failing)
			ctx_log(c, LOG_INFO, "searchd: refresh recovered");
		failing = n < 0;
		if (n > 0 && rds_incr(c, "catalog:version") < 0)
			ctx_log(c, LOG_WARN, "searchd: catalog:version not bumped (redis down)");
		struct timespec ts = {failing ? 1 : 0, failing ? 0 : SEARCHD_REFRESH_MS * 1000000L};
		nanosleep(&ts, NULL);
	}
	store_ctx_free(c);
	return NULL;
}

/* One reconciliation (sx_index_reconcile_find, then _repair as the
 * writer); logs what it found. true when it changed the index. */
static bool reconcile(ctx *c)
{
	sx_reconcile_stats st;
	int64_t *sus;
	size_t n;
	int rc = sx_index_reconcile_find(index_, c, &sus, &n, &st);
	if (rc == SOUK_OK && n) {
		pthread_mutex_lock(&writer);
		rc = sx_index_reconcile_repair(index_, c, sus, n, &st);
		atomic_store(&st_products, sx_index_nlive(index_));
		bool applied = rc == SOUK_OK && (st.reread || st.withdrawn || st.reloaded);
		snapshot_tick(index_, c, applied, false);
		pthread_mutex_unlock(&writer);
	}
	free(sus);
	/* ranges read row by row (or a load): their results are freed,
	 * their memory at this thread's arena's top */
	if (st.differed)
		app_give_back_arena();
	if (rc != SOUK_OK) {
		ctx_log(c, LOG_WARN, "searchd: reconcile failed (%s); next in %d s",
		        c->err_msg ? c->err_msg : "?", reconcile_s);
		return false;
	}
	atomic_fetch_add(&st_reconciles, 1);
	bool changed = st.reread || st.withdrawn || st.reloaded;
	if (changed)
		atomic_fetch_add(&st_repairs, 1);
	/* Repairs are what the refresh could never see: a warning. Ranges
	 * that differed only by commits newer than the refresh: debug. */
	ctx_log(c, changed ? LOG_WARN : LOG_DEBUG,
	        "searchd: reconcile: %u of %u ranges differed, %u products re-read, %u withdrawn "
	        "(missed by the refresh)%s%s; %u newer left to the refresh; sums %.0f ms, all %.0f ms",
	        st.differed, st.ranges, st.reread, st.withdrawn,
	        st.reloaded ? ", catalog loaded again" : "",
	        st.outdated ? ", dropped: the catalog was loaded since the sums" : "", st.newer,
	        st.sql_ms, st.ms);
	return changed;
}

/* Every reconcile_s: reconciles, and bumps catalog:version when that
 * changed the index. */
static void *reconcile_main(void *arg)
{
	(void)arg;
	ctx *c = store_ctx_new(cfg_get());
	/* A snapshot may be of rows the refresh cannot see changed (written
	 * with the stamp off while the daemon was down): compared at once. */
	int64_t next = unixsock_now_ms() +
	               (strcmp(loaded_from, "snapshot") == 0 ? 0 : (int64_t)reconcile_s * 1000);
	while (c && !atomic_load(&stopping)) {
		struct timespec ts = {0, SEARCHD_REFRESH_MS * 1000000L};
		nanosleep(&ts, NULL);
		if (unixsock_now_ms() < next)
			continue;
		ctx_begin(c);
		if (reconcile(c) && rds_incr(c, "catalog:version") < 0)
			ctx_log(c, LOG_WARN, "searchd: catalog:version not bumped (redis down)");
		next = unixsock_now_ms() + (int64_t)reconcile_s * 1000;
	}
	store_ctx_free(c);
	return NULL;
}

/* ------------------------------------------------------------ start */


/* Waits up to ms for SIGTERM/SIGINT (blocked in every thread). */
static bool wait_stop(const sigset_t *set, int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	int sig = sigtimedwait(set, NULL, &ts);
	if (sig == SIGTERM || sig == SIGINT)
		atomic_store(&stopping, true);
	return atomic_load(&stopping);
}

/* Loads the index, retrying while PostgreSQL is not there. Until it is
 * loaded the socket does not exist: the pools answer with SQL. */
static int load_index(ctx *c, const sigset_t *set)
{
	index_ = sx_index_new();
	if (!index_)
		return -1;
	for (int delay = 200;; delay = delay < 5000 ? delay * 2 : 5000) {
		ctx_begin(c);
		int64_t t0 = unixsock_now_ms();
		snapshot_use use = snapshot_load(index_, c);
		bool snap = use != SNAPSHOT_UNUSED;
		if (!snap)
			ctx_begin(c);
		if (snap || sx_index_load(index_, c) == SOUK_OK) {
			app_give_back_arena();
			loaded_from = use == SNAPSHOT_USED ? "snapshot" : "postgresql";
#if SEARCHD_MEMORY
			sx_search_engine(index_, &engine);
#else
			engine = search_sql_engine;
#endif
			if (!snap)
				log_msg(LOG_INFO, NULL,
				        "searchd: index loaded in %lld ms: %u products, %zu bytes",
				        (long long)(unixsock_now_ms() - t0), sx_index_nlive(index_),
				        sx_index_bytes(index_));
			return 0;
		}
		log_msg(LOG_WARN, NULL, "searchd: index load failed (%s); retrying in %d ms",
		        c->err_msg ? c->err_msg : "?", delay);
		if (wait_stop(set, delay))
			return -1;
	}
}

int main(void)
{
	const cfg *cf = cfg_load();
	log_set_level(cf->log_level);
	app_tune_malloc(APP_MALLOC_SEARCHD);
	const char *path = search_remote_socket();
	if (!path) {
		log_msg(LOG_ERROR, NULL, "searchd: set SOUK_SEARCHD_SOCKET (or SOUK_VAR)");
		return 2;
	}
	int nthreads = (int)cfg_env_num("SOUK_SEARCHD_THREADS", 2, 1, SEARCHD_MAX_THREADS);
	reconcile_s = (int)cfg_env_num("SOUK_SEARCHD_RECONCILE_S", SX_RECONCILE_DEFAULT_S, 1, 86400);
	catalog_register();
	search_register();
#if SEARCHD_MEMORY
	sx_search_register();
#endif

	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* threads inherit the mask */
	prefork_write_pidfile(cf->pidfile);
	unlink(path); /* a stale socket would take connections nobody answers */

	bool snap = snapshot_configure();
	log_msg(LOG_INFO, NULL, "searchd: starting: %d threads, refresh every %d ms, reconcile every %d s, "
	        "snapshot %s", nthreads, SEARCHD_REFRESH_MS, reconcile_s, snap ? "on" : "off");
	ctx *c = store_ctx_new(cf);
	int rc = 0;
	pthread_t th[SEARCHD_MAX_THREADS + 2];
	int started = 0;
	if (!c || load_index(c, &set) < 0)
		goto out;
	if ((listen_fd = unixsock_listen(path, 512)) < 0) {
		log_msg(LOG_ERROR, NULL, "searchd: cannot listen on %s: %s", path, strerror(errno));
		rc = 1;
		goto out;
	}
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = listen_fd};
	if ((epoll_fd = epoll_create1(EPOLL_CLOEXEC)) < 0 ||
	    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listen_fd, &ev) < 0) {
		log_msg(LOG_ERROR, NULL, "searchd: epoll: %s", strerror(errno));
		rc = 1;
		goto out;
	}
	atomic_store(&st_products, sx_index_nlive(index_)); /* before the writers start */
	for (int i = 0; i < nthreads; i++)
		if (pthread_create(&th[started], NULL, server_main, NULL) == 0)
			started++;
	if (pthread_create(&th[started], NULL, refresh_main, NULL) == 0)
		started++;
	if (pthread_create(&th[started], NULL, reconcile_main, NULL) == 0)
		started++;
	log_msg(LOG_INFO, NULL, "searchd: serving %s with %d threads, engine %s", path, nthreads,
	        engine.name);
	while (!wait_stop(&set, 1000))
		;
out:
	atomic_store(&stopping, true);
	log_msg(LOG_INFO, NULL, "searchd: stopping");
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	/* every writer has stopped: this thread is the index's writer now */
	if (c && index_ && started) {
		ctx_begin(c);
		snapshot_tick(index_, c, 0, true);
	}
	if (epoll_fd >= 0)
		close(epoll_fd);
	if (listen_fd >= 0) {
		close(listen_fd);
		unlink(path);
	}
	store_ctx_free(c);
	if (index_)
		sx_index_free(index_);
	if (cf->pidfile)
		unlink(cf->pidfile);
	log_msg(LOG_INFO, NULL, "searchd: stopped");
	return rc;
}
