/* db: lazy libpq connection, prepared-statement registry, error mapping. */
#include "db.h"

#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define DB_MAX_STMTS 256

static db_stmt registry[DB_MAX_STMTS];
static size_t nregistry;

struct db {
	char *conninfo;
	PGconn *conn;
	bool in_tx;
	char sqlstate[6];
};

struct db_res {
	PGresult *res;
};

void db_register(const db_stmt *stmts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (nregistry == DB_MAX_STMTS) {
			log_msg(LOG_ERROR, NULL, "db: statement registry full");
			abort();
		}
		registry[nregistry++] = stmts[i];
	}
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

static int prepare_all(db *d)
{
	for (size_t i = 0; i < nregistry; i++) {
		PGresult *r = PQprepare(d->conn, registry[i].name, registry[i].sql, 0, NULL);
		bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		if (!ok)
			log_msg(LOG_ERROR, NULL, "db: prepare %s failed: %s", registry[i].name,
			        PQresultErrorMessage(r));
		PQclear(r);
		if (!ok)
			return -1;
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
	if (d->conn && PQstatus(d->conn) == CONNECTION_OK && !idle_conn_dead(d))
		return 0;
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

static void res_clear(void *p)
{
	PQclear(p);
}

/* Maps a failed result to the request's error; drops a broken connection
 * so the next request reconnects. */
static void fail(ctx *c, db *d, PGresult *r, const char *stmt)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	snprintf(d->sqlstate, sizeof(d->sqlstate), "%s", state ? state : "");
	const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(d->conn);
	bool conn_lost = !d->conn || PQstatus(d->conn) != CONNECTION_OK ||
	                 (state && (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0));
	ctx_log(c, conn_lost ? LOG_WARN : LOG_ERROR, "db: %s failed: sqlstate=%s %s", stmt,
	        d->sqlstate, msg ? msg : "");
	if (conn_lost) {
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

db_res *db_exec(ctx *c, const char *stmt, int nparams, const char *const *params)
{
	db *d = c->db;
	d->sqlstate[0] = '\0';
	if (ensure(d) < 0) {
		ctx_log(c, LOG_WARN, "db: %s: no connection", stmt);
		return ctx_fail(c, 503, "unavailable", "the database is unavailable, please try again"),
		       NULL;
	}
	PGresult *r = PQexecPrepared(d->conn, stmt, nparams, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);
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
	arena_defer(c->a, res_clear, r);
	return res;
}

/* BEGIN/COMMIT/ROLLBACK carry no input, so they are sent as plain text. */
static int run_plain(ctx *c, const char *sql)
{
	db *d = c->db;
	if (ensure(d) < 0)
		return ctx_fail(c, 503, "unavailable", "the database is unavailable, please try again");
	PGresult *r = PQexecParams(d->conn, sql, 0, NULL, NULL, NULL, NULL, 0);
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
	buf_printf(&b, "%lld", (long long)v);
	return b.p;
}
