/* db: lazy libpq connection, prepared-statement registry, error mapping. */
#include "store/db.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

#define DB_MAX_STMTS 256

static db_stmt registry[DB_MAX_STMTS];
/* Published after the entry is written: a connection on another thread
 * (souk-searchd registers late) prepares only complete entries. */
static atomic_size_t nregistry;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

struct db {
	char *conninfo;
	PGconn *conn;
	size_t nprepared; /* registry[0 .. nprepared) are prepared on conn */
	bool in_tx;
	char sqlstate[6];
};

struct db_res {
	PGresult *res;
};

void db_register(const db_stmt *stmts, size_t n)
{
	pthread_mutex_lock(&registry_lock);
	for (size_t i = 0; i < n; i++) {
		size_t have = atomic_load(&nregistry), j = 0;
		while (j < have && strcmp(registry[j].name, stmts[i].name) != 0)
			j++;
		if (j < have) {
			/* a module registered by several users: once is enough; a
			 * name reused for other SQL is a programmer error */
			if (strcmp(registry[j].sql, stmts[i].sql) != 0) {
				log_msg(LOG_ERROR, NULL, "db: statement %s registered with two texts",
				        stmts[i].name);
				abort();
			}
			continue;
		}
		if (have == DB_MAX_STMTS) {
			log_msg(LOG_ERROR, NULL, "db: statement registry full");
			abort();
		}
		registry[have] = stmts[i];
		atomic_store(&nregistry, have + 1);
	}
	pthread_mutex_unlock(&registry_lock);
}

db *db_new(const char *conninfo)
{
	db *d = calloc(1, sizeof(*d));
	if (!d || !(d->conninfo = strdup(conninfo)))
		abort();
	return d;
}

static void drop(db *d)
{
	if (d->conn)
		PQfinish(d->conn);
	d->conn = NULL;
	d->nprepared = 0;
	d->in_tx = false;
}

void db_free(db *d)
{
	if (!d)
		return;
	drop(d);
	free(d->conninfo);
	free(d);
}

/* Prepares the statements registered since the connection's last
 * preparation (all of them on a new connection; a module that registers
 * late, as souk-searchd's index does, gets its own on the next use). */
static int prepare_all(db *d)
{
	size_t n = atomic_load(&nregistry);
	for (size_t i = d->nprepared; i < n; i++) {
		PGresult *r = PQprepare(d->conn, registry[i].name, registry[i].sql, 0, NULL);
		bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		if (!ok)
			log_msg(LOG_ERROR, NULL, "db: prepare %s failed: %s", registry[i].name,
			        PQresultErrorMessage(r));
		PQclear(r);
		if (!ok)
			return -1;
		d->nprepared = i + 1;
	}
	return 0;
}

/* An idle connection whose server went away (restart, admin shutdown) has
 * a readable socket: the goodbye message or EOF. A healthy idle connection
 * has nothing to say (we use no LISTEN), so readable means gone. Noticing
 * it costs one poll() and spares the request a 503. Never inside a
 * transaction, where reconnecting would silently lose the transaction. */
static bool idle_conn_dead(db *d)
{
	if (d->in_tx)
		return false;
	struct pollfd p = {.fd = PQsocket(d->conn), .events = POLLIN};
	return p.fd < 0 || poll(&p, 1, 0) != 0;
}

/* Connects (again) when needed; -1 when the server cannot be reached. */
static int ensure(db *d)
{
	if (d->conn && PQstatus(d->conn) == CONNECTION_OK && !idle_conn_dead(d)) {
		if (d->nprepared == atomic_load(&nregistry))
			return 0;
		if (prepare_all(d) == 0)
			return 0;
	}
	drop(d);
	const char *keys[] = {"dbname", "connect_timeout", "application_name", NULL};
	const char *vals[] = {d->conninfo, "3", "souk", NULL};
	d->conn = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(d->conn) != CONNECTION_OK) {
		log_msg(LOG_WARN, NULL, "db: connect failed: %s", PQerrorMessage(d->conn));
		drop(d);
		return -1;
	}
	if (prepare_all(d) < 0) {
		drop(d);
		return -1;
	}
	return 0;
}

/* A result's deferred clear, unless db_res_drop came first. */
static void res_clear(void *p)
{
	db_res_drop(p);
}

void db_res_drop(db_res *r)
{
	PQclear(r->res); /* NULL: already dropped, a no-op */
	r->res = NULL;
}

/* The connection is of no further use: broken, the server shutting down,
 * or (25006, read-only transaction) a primary demoted to a standby by a
 * failover. Reconnecting finds the new primary (target_session_attrs in
 * a multi-host conninfo, docs/CLUSTER.md). */
static bool conn_lost(const db *d, const char *state)
{
	return !d->conn || PQstatus(d->conn) != CONNECTION_OK ||
	       (state && (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0 ||
	                  strcmp(state, "25006") == 0));
}

/* Maps a failed result to the request's error; drops a broken connection
 * so the next request reconnects. */
static void fail(ctx *c, db *d, PGresult *r, const char *stmt)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	snprintf(d->sqlstate, sizeof(d->sqlstate), "%s", state ? state : "");
	const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(d->conn);
	bool lost = conn_lost(d, state);
	ctx_log(c, lost ? LOG_WARN : LOG_ERROR, "db: %s failed: sqlstate=%s %s", stmt,
	        d->sqlstate, msg ? msg : "");
	if (lost) {
		drop(d);
		ctx_fail(c, 503, "unavailable", "the database is unavailable, please try again");
	} else if (state && strncmp(state, "23", 2) == 0) {
		ctx_fail(c, 409, "conflict", "the change conflicts with the current data");
	} else if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)) {
		ctx_fail(c, 503, "retry", "the database was busy, please try again");
	} else {
		ctx_fail(c, 500, "internal", "internal error");
	}
}

/* What db_param_i64 gives when the arena refuses it: db_exec refuses it
 * in turn, before anything is sent (an empty value would reach SQL). */
static const char param_failed[] = "";

db_res *db_exec(ctx *c, const char *stmt, int nparams, const char *const *params)
{
	db *d = c->db;
	d->sqlstate[0] = '\0';
	for (int i = 0; i < nparams; i++)
		if (params[i] == param_failed)
			return ctx_fail(c, 500, "internal", "request too large"), NULL;
	if (ensure(d) < 0) {
		ctx_log(c, LOG_WARN, "db: %s: no connection", stmt);
		return ctx_fail(c, 503, "unavailable", "the database is unavailable, please try again"),
		       NULL;
	}
	PGresult *r = PQexecPrepared(d->conn, stmt, nparams, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK && !d->in_tx &&
	    conn_lost(d, PQresultErrorField(r, PG_DIAG_SQLSTATE))) {
		/* Outside a transaction nothing of the request's is lost with
		 * the connection: one new connection (the new primary after a
		 * failover) and one more try, instead of a 503. Inside one, the
		 * transaction's earlier statements are gone: 503 below. */
		ctx_log(c, LOG_WARN, "db: %s: connection lost (%s); reconnecting once", stmt,
		        PQerrorMessage(d->conn));
		PQclear(r);
		drop(d);
		if (ensure(d) < 0) {
			ctx_log(c, LOG_WARN, "db: %s: no connection", stmt);
			return ctx_fail(c, 503, "unavailable",
			                "the database is unavailable, please try again"),
			       NULL;
		}
		r = PQexecPrepared(d->conn, stmt, nparams, params, NULL, NULL, 0);
		st = PQresultStatus(r);
	}
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		fail(c, d, r, stmt);
		PQclear(r);
		return NULL;
	}
	db_res *res = arena_alloc(c->a, sizeof(*res));
	if (!res) {
		PQclear(r);
		ctx_fail(c, 500, "internal", "request too large");
		return NULL;
	}
	res->res = r;
	arena_defer(c->a, res_clear, res);
	return res;
}

/* BEGIN/COMMIT/ROLLBACK carry no input, so they are sent as plain text. */
static int run_plain(ctx *c, const char *sql)
{
	db *d = c->db;
	if (ensure(d) < 0)
		return ctx_fail(c, 503, "unavailable", "the database is unavailable, please try again");
	PGresult *r = PQexecParams(d->conn, sql, 0, NULL, NULL, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && !d->in_tx && strcmp(sql, "BEGIN") == 0 &&
	    conn_lost(d, PQresultErrorField(r, PG_DIAG_SQLSTATE))) {
		/* a BEGIN on a dead connection: nothing was sent yet, reconnect */
		PQclear(r);
		drop(d);
		if (ensure(d) < 0)
			return ctx_fail(c, 503, "unavailable",
			                "the database is unavailable, please try again");
		r = PQexecParams(d->conn, sql, 0, NULL, NULL, NULL, NULL, 0);
	}
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fail(c, d, r, sql);
		PQclear(r);
		return SOUK_ERR;
	}
	PQclear(r);
	return SOUK_OK;
}

int db_begin(ctx *c)
{
	if (run_plain(c, "BEGIN") < 0)
		return SOUK_ERR;
	c->db->in_tx = true;
	return SOUK_OK;
}

int db_commit(ctx *c)
{
	c->db->in_tx = false;
	return run_plain(c, "COMMIT");
}

void db_rollback(ctx *c)
{
	db *d = c->db;
	d->in_tx = false;
	if (d->conn && PQstatus(d->conn) == CONNECTION_OK) {
		PGresult *r = PQexecParams(d->conn, "ROLLBACK", 0, NULL, NULL, NULL, NULL, 0);
		PQclear(r);
	}
}

void db_request_end(db *d)
{
	if (d->in_tx && d->conn) {
		PGresult *r = PQexecParams(d->conn, "ROLLBACK", 0, NULL, NULL, NULL, NULL, 0);
		PQclear(r);
	}
	d->in_tx = false;
}

bool db_in_tx(const db *d)
{
	return d->in_tx;
}

int db_tx_join(ctx *c, bool *own)
{
	*own = !db_in_tx(c->db);
	return *own ? db_begin(c) : SOUK_OK;
}

int db_tx_leave(ctx *c, bool own, int rc)
{
	if (!own)
		return rc;
	if (rc == SOUK_OK)
		return db_commit(c);
	db_rollback(c);
	return SOUK_ERR;
}

bool db_ping(ctx *c)
{
	db *d = c->db;
	if (ensure(d) < 0)
		return false;
	PGresult *r = PQexecParams(d->conn, "SELECT 1", 0, NULL, NULL, NULL, NULL, 0);
	bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
	PQclear(r);
	if (!ok)
		drop(d);
	return ok;
}

const char *db_sqlstate(const db *d)
{
	return d->sqlstate;
}

int db_rows(const db_res *r)
{
	return PQntuples(r->res);
}

long long db_affected(const db_res *r)
{
	const char *n = PQcmdTuples(r->res);
	int64_t v = 0;
	str_to_i64(str_c(n), 0, INT64_MAX, &v);
	return v;
}

const char *db_val(const db_res *r, int row, const char *col)
{
	int f = PQfnumber(r->res, col);
	if (f < 0 || row < 0 || row >= PQntuples(r->res) || PQgetisnull(r->res, row, f))
		return NULL;
	return PQgetvalue(r->res, row, f);
}

bool db_null(const db_res *r, int row, const char *col)
{
	return db_val(r, row, col) == NULL;
}

int64_t db_i64(const db_res *r, int row, const char *col)
{
	const char *v = db_val(r, row, col);
	int64_t n = 0;
	if (v)
		str_to_i64(str_c(v), INT64_MIN, INT64_MAX, &n);
	return n;
}

bool db_bool(const db_res *r, int row, const char *col)
{
	const char *v = db_val(r, row, col);
	return v && v[0] == 't';
}

const char *db_param_i64(ctx *c, int64_t v)
{
	buf b;
	buf_init(&b, c->a, 32);
	if (buf_printf(&b, "%lld", (long long)v) < 0)
		return param_failed;
	return b.p;
}

/* COPY's text format: backslash escapes (\\b \\f \\n \\r \\t \\v, octal,
 * \\x hex, any other character stands for itself), \\N for NULL. Splits
 * line (without its newline) into fields, unescaping in place. */
static int copy_split(char *line, size_t n, char **cols, size_t *lens, int max)
{
	int nc = 0;
	size_t i = 0;
	for (;;) {
		if (nc == max)
			return -1;
		char *out = line + i, *w = out;
		if (i + 2 <= n && line[i] == '\\' && line[i + 1] == 'N' &&
		    (i + 2 == n || line[i + 2] == '\t')) {
			cols[nc] = NULL;
			lens[nc++] = 0;
			i += 2;
		} else {
			while (i < n && line[i] != '\t') {
				char ch = line[i++];
				if (ch == '\\' && i < n) {
					ch = line[i++];
					switch (ch) {
					case 'b': ch = '\b'; break;
					case 'f': ch = '\f'; break;
					case 'n': ch = '\n'; break;
					case 'r': ch = '\r'; break;
					case 't': ch = '\t'; break;
					case 'v': ch = '\v'; break;
					case 'x': {
						int v = 0, k = 0;
						for (; k < 2 && i < n && isxdigit((unsigned char)line[i]); k++, i++)
							v = v * 16 + (isdigit((unsigned char)line[i])
							                  ? line[i] - '0'
							                  : (line[i] | 0x20) - 'a' + 10);
						ch = k ? (char)v : 'x';
						break;
					}
					default:
						if (ch >= '0' && ch <= '7') {
							int v = ch - '0';
							for (int k = 1; k < 3 && i < n && line[i] >= '0' && line[i] <= '7';
							     k++, i++)
								v = v * 8 + (line[i] - '0');
							ch = (char)v;
						}
					}
				}
				*w++ = ch;
			}
			lens[nc] = (size_t)(w - out);
			cols[nc++] = out;
			/* the field's end: a tab (overwritten) or the line's end */
			if (i < n)
				line[i] = '\0';
			*w = '\0';
		}
		if (i >= n)
			return nc;
		i++; /* the tab */
	}
}

static uint32_t be32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

/* COPY's binary format: after the file header (first message only), a
 * tuple is an int16 field count (-1: the trailer) and per field an int32
 * length (-1: NULL) and the bytes. *ncols = -1 for the trailer or a bare
 * header. -1 when malformed. */
static int copy_split_binary(char *msg, size_t n, bool *first, char **cols, size_t *lens,
                             int max, int *ncols)
{
	static const char sig[11] = "PGCOPY\n\377\r\n";
	size_t i = 0;
	*ncols = -1;
	if (*first) {
		*first = false;
		if (n < 19 || memcmp(msg, sig, sizeof(sig)) != 0)
			return -1;
		uint32_t ext = be32(msg + 15);
		if (ext > n - 19)
			return -1;
		i = 19 + ext;
		if (i == n)
			return 0;
	}
	if (n - i < 2)
		return -1;
	int16_t nf = (int16_t)((unsigned char)msg[i] << 8 | (unsigned char)msg[i + 1]);
	i += 2;
	if (nf == -1)
		return 0;
	if (nf < 0 || nf > max)
		return -1;
	for (int f = 0; f < nf; f++) {
		if (n - i < 4)
			return -1;
		int32_t len = (int32_t)be32(msg + i);
		i += 4;
		if (len < 0) {
			cols[f] = NULL;
			lens[f] = 0;
			continue;
		}
		if ((size_t)len > n - i)
			return -1;
		cols[f] = msg + i;
		lens[f] = (size_t)len;
		i += (size_t)len;
	}
	*ncols = nf;
	return i == n ? 0 : -1;
}

#define DB_COPY_MAX_COLS 64

/* One COPY message (a text line, or a binary message: *first while the
 * file header is still to come) split into columns and handed to row:
 * row's result, -1 when the message is malformed (nothing handed). */
static int copy_message(char *line, size_t len, bool binary, bool *first, db_copy_row_fn row,
                        void *arg)
{
	char *cols[DB_COPY_MAX_COLS];
	size_t lens[DB_COPY_MAX_COLS];
	int nc;
	if (binary) {
		if (copy_split_binary(line, len, first, cols, lens, DB_COPY_MAX_COLS, &nc) < 0)
			return -1;
		return nc >= 0 ? row(arg, cols, lens, nc) : 0;
	}
	if (len && line[len - 1] == '\n')
		len--;
	nc = copy_split(line, len, cols, lens, DB_COPY_MAX_COLS);
	return nc < 0 ? -1 : row(arg, cols, lens, nc);
}

int db_copy_out(ctx *c, const char *sql, bool binary, db_copy_row_fn row, void *arg)
{
	db *d = c->db;
	d->sqlstate[0] = '\0';
	if (ensure(d) < 0) {
		ctx_log(c, LOG_WARN, "db: copy: no connection");
		return ctx_fail(c, 503, "unavailable", "the database is unavailable, please try again");
	}
	PGresult *r = PQexecParams(d->conn, sql, 0, NULL, NULL, NULL, NULL, binary ? 1 : 0);
	if (PQresultStatus(r) != PGRES_COPY_OUT) {
		fail(c, d, r, "copy");
		PQclear(r);
		return SOUK_ERR;
	}
	PQclear(r);
	int rc = SOUK_OK;
	bool first = true;
	for (;;) {
		char *line = NULL;
		int n = PQgetCopyData(d->conn, &line, 0);
		if (n == -1)
			break;
		if (n < 0) {
			/* -2 can leave the connection mid-COPY (out of memory, no
			 * COPY in progress) with its status still OK: drop it, the
			 * next use reconnects. */
			fail(c, d, NULL, "copy");
			drop(d);
			return SOUK_ERR;
		}
		int r2 = copy_message(line, (size_t)n, binary, &first, row, arg);
		PQfreemem(line);
		if (r2 < 0) {
			/* Stopping a COPY half way leaves the connection mid-
			 * protocol: drop it, the next use reconnects. */
			ctx_log(c, LOG_ERROR, "db: copy: a row was refused, connection dropped");
			drop(d);
			return ctx_fail(c, 500, "internal", "internal error");
		}
	}
	while ((r = PQgetResult(d->conn)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == SOUK_OK) {
			fail(c, d, r, "copy");
			rc = SOUK_ERR;
		}
		PQclear(r);
	}
	return rc;
}

/* ---- one COPY in parts, on several connections sharing a snapshot ---- */

/* A part's connection: c's own for part 0, a new one for the others. */
typedef struct {
	PGconn *conn;
	bool own, first, done;
} copy_part;

/* Runs constant SQL with no result rows; false (logged) on failure. */
static bool part_exec(ctx *c, PGconn *conn, const char *sql, int np, const char *const *p)
{
	PGresult *r = PQexecParams(conn, sql, np, NULL, p, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);
	bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
	if (!ok)
		ctx_log(c, LOG_WARN, "db: copy in parts: %s", PQresultErrorMessage(r));
	PQclear(r);
	return ok;
}

/* A snapshot id as pg_export_snapshot() prints it (hex digits and
 * dashes): SET TRANSACTION SNAPSHOT takes no parameter, so the id goes
 * into its text, and only such an id does. */
static bool snapshot_id_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

/* Opens part k's transaction in snapshot snap (NULL: exports it into
 * snap, part 0) and sets its bounds. */
static bool part_begin(ctx *c, copy_part *p, char *snap, size_t snapsz, const char *lo,
                       const char *hi)
{
	if (!part_exec(c, p->conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL))
		return false;
	if (!snap[0]) {
		PGresult *r = PQexec(p->conn, "SELECT pg_export_snapshot()");
		bool ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
		          snapshot_id_ok(PQgetvalue(r, 0, 0));
		if (ok)
			snprintf(snap, snapsz, "%s", PQgetvalue(r, 0, 0));
		else
			ctx_log(c, LOG_WARN, "db: copy in parts: no snapshot: %s",
			        PQresultErrorMessage(r));
		PQclear(r);
		if (!ok)
			return false;
	} else {
		char sql[128];
		snprintf(sql, sizeof(sql), "SET TRANSACTION SNAPSHOT '%s'", snap);
		if (!part_exec(c, p->conn, sql, 0, NULL))
			return false;
	}
	const char *b[] = {lo, hi};
	return part_exec(c, p->conn,
	                 "SELECT set_config('souk.part_lo', $1, true),"
	                 " set_config('souk.part_hi', $2, true)",
	                 2, b);
}

/* Hands every row a part's connection has ready to row(); -1 when the
 * stream or a row fails (recorded), 0 otherwise (p->done at its end). */
static int part_drain(ctx *c, copy_part *p, db_copy_row_fn row, void *arg)
{
	for (;;) {
		char *line = NULL;
		int n = PQgetCopyData(p->conn, &line, 1);
		if (n == 0)
			return 0;
		if (n == -1) {
			int rc = 0;
			PGresult *r;
			while ((r = PQgetResult(p->conn)) != NULL) {
				if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == 0) {
					ctx_log(c, LOG_WARN, "db: copy in parts: %s", PQresultErrorMessage(r));
					rc = -1;
				}
				PQclear(r);
			}
			p->done = true;
			return rc;
		}
		if (n < 0) {
			ctx_log(c, LOG_WARN, "db: copy in parts: %s", PQerrorMessage(p->conn));
			return -1;
		}
		int r2 = copy_message(line, (size_t)n, true, &p->first, row, arg);
		PQfreemem(line);
		if (r2 < 0) {
			ctx_log(c, LOG_ERROR, "db: copy in parts: a row was refused");
			return -1;
		}
	}
}

/* Waits until a part's connection has input, and reads it in. */
static int parts_wait(ctx *c, copy_part *ps, int n)
{
	struct pollfd pf[DB_COPY_MAX_PARTS];
	int k = 0, idx[DB_COPY_MAX_PARTS];
	for (int i = 0; i < n; i++)
		if (!ps[i].done) {
			pf[k] = (struct pollfd){.fd = PQsocket(ps[i].conn), .events = POLLIN};
			idx[k++] = i;
		}
	if (poll(pf, (nfds_t)k, -1) < 0)
		return 0; /* EINTR: look again */
	for (int j = 0; j < k; j++)
		if (pf[j].revents && !PQconsumeInput(ps[idx[j]].conn)) {
			ctx_log(c, LOG_WARN, "db: copy in parts: %s", PQerrorMessage(ps[idx[j]].conn));
			return -1;
		}
	return 0;
}

int db_copy_out_parts(ctx *c, const char *sql, int nparts, const char *const *lo,
                      const char *const *hi, db_copy_row_fn row, void *arg)
{
	db *d = c->db;
	d->sqlstate[0] = '\0';
	if (nparts < 1 || nparts > DB_COPY_MAX_PARTS || d->in_tx)
		return ctx_fail(c, 500, "internal", "internal error");
	if (ensure(d) < 0) {
		ctx_log(c, LOG_WARN, "db: copy: no connection");
		return ctx_fail(c, 503, "unavailable", "the database is unavailable, please try again");
	}
	copy_part ps[DB_COPY_MAX_PARTS] = {{0}};
	char snap[80] = "";
	bool ok = true;
	d->in_tx = true;
	for (int k = 0; k < nparts && ok; k++) {
		ps[k].first = true;
		ps[k].own = k == 0;
		if (k == 0) {
			ps[k].conn = d->conn;
		} else {
			const char *keys[] = {"dbname", "connect_timeout", "application_name", NULL};
			const char *vals[] = {d->conninfo, "3", "souk", NULL};
			ps[k].conn = PQconnectdbParams(keys, vals, 1);
			if (PQstatus(ps[k].conn) != CONNECTION_OK) {
				ctx_log(c, LOG_WARN, "db: copy in parts: connect failed: %s",
				        PQerrorMessage(ps[k].conn));
				ok = false;
				break;
			}
		}
		ok = part_begin(c, &ps[k], snap, sizeof(snap), lo[k], hi[k]);
	}
	/* every part's COPY is sent before any is read: the backends start
	 * together */
	for (int k = 0; k < nparts && ok; k++)
		ok = PQsendQueryParams(ps[k].conn, sql, 0, NULL, NULL, NULL, NULL, 1) == 1;
	for (int k = 0; k < nparts && ok; k++) {
		PGresult *r = PQgetResult(ps[k].conn);
		ok = PQresultStatus(r) == PGRES_COPY_OUT;
		if (!ok)
			ctx_log(c, LOG_WARN, "db: copy in parts: %s",
			        r ? PQresultErrorMessage(r) : PQerrorMessage(ps[k].conn));
		PQclear(r);
	}
	int left = nparts;
	while (ok && left) {
		for (int k = 0; k < nparts && ok; k++)
			if (!ps[k].done) {
				ok = part_drain(c, &ps[k], row, arg) == 0;
				left -= ps[k].done ? 1 : 0;
			}
		if (ok && left)
			ok = parts_wait(c, ps, nparts) == 0;
	}
	for (int k = 0; k < nparts && ok; k++)
		ok = part_exec(c, ps[k].conn, "COMMIT", 0, NULL);
	for (int k = 1; k < nparts; k++)
		if (ps[k].conn)
			PQfinish(ps[k].conn);
	d->in_tx = false;
	if (!ok) {
		/* a part stopped half way leaves c's connection mid-protocol or
		 * in the transaction: drop it, the next use reconnects */
		drop(d);
		if (!c->err_status)
			ctx_fail(c, 503, "unavailable", "the database is unavailable, please try again");
		return SOUK_ERR;
	}
	return SOUK_OK;
}
