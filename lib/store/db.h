/* db: the PostgreSQL connection of a process; the only user of libpq. */
#ifndef SOUK_DB_H
#define SOUK_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"

typedef struct db db;
typedef struct db_res db_res;

/* A prepared statement: name and SQL text with $1.. parameters. Modules
 * keep their statements in a static table and register it once. */
typedef struct db_stmt {
	const char *name;
	const char *sql;
} db_stmt;

/* Adds statements to the process-wide registry; every connection prepares
 * all of them when it opens (a late registration on its next use).
 * Idempotent per name: the same name with the same text again is a no-op,
 * so modules register unguarded; the same name with another text aborts
 * (a programmer error). Thread-safe. */
void db_register(const db_stmt *stmts, size_t n);

/* A handle that connects lazily (first use) and again after a failure. */
db *db_new(const char *conninfo);
void db_free(db *d);

/* Runs a registered statement with text parameters (NULL = SQL NULL).
 * On failure records it in c (503 database down, 409 constraint
 * violation, 500 otherwise) and returns NULL. The result belongs to the
 * request arena. */
db_res *db_exec(ctx *c, const char *stmt, int nparams, const char *const *params);

/* Transactions on the process connection. A request that ends inside a
 * transaction is rolled back by the dispatcher (db_request_end). */
int db_begin(ctx *c);
int db_commit(ctx *c);
void db_rollback(ctx *c);
void db_request_end(db *d);
/* true between db_begin and db_commit/db_rollback on this connection. */
bool db_in_tx(const db *d);

/* For work that must be atomic whether or not its caller has a
 * transaction open: db_tx_join begins one only when none is open (*own
 * says which); db_tx_leave(c, own, rc) commits or rolls back only a
 * transaction it owns and otherwise hands rc back, leaving the caller's
 * transaction to the caller. */
int db_tx_join(ctx *c, bool *own);
int db_tx_leave(ctx *c, bool own, int rc);

/* true when the database answers (for /healthz); never records a failure. */
bool db_ping(ctx *c);

/* SQLSTATE of the last failed db_exec ("" when none). */
const char *db_sqlstate(const db *d);

int db_rows(const db_res *r);
long long db_affected(const db_res *r);
/* Column by name; NULL for SQL NULL or an unknown column. */
const char *db_val(const db_res *r, int row, const char *col);
int64_t db_i64(const db_res *r, int row, const char *col); /* 0 for NULL */
bool db_bool(const db_res *r, int row, const char *col);   /* 't' */
bool db_null(const db_res *r, int row, const char *col);
/* Frees r's rows now rather than at the request's end: for a large
 * result its caller is done with before long work in the same request
 * (souk-searchd's refresh that turns into a load). r reads as no rows
 * after; the request's end then has nothing left to free. */
void db_res_drop(db_res *r);

/* Streams the rows of a constant `COPY (SELECT ...) TO STDOUT` statement
 * (no input goes into it: it is not prepared, so it takes no parameters)
 * to row(): NULL for SQL NULL, lens[i] the fields' lengths, valid during
 * the call only. Text format (binary false; the statement says nothing
 * of format): fields unescaped and NUL-terminated. Binary (the statement
 * ends "(FORMAT binary)"): each field's bytes in the type's send format,
 * not terminated. row returns 0 to go on, -1 to stop (the failure,
 * recorded by row or else as a 500, ends the COPY and drops the
 * connection). For bulk reads (souk-searchd's index load) where a result
 * set would not fit in memory. */
typedef int (*db_copy_row_fn)(void *arg, char **cols, const size_t *lens, int ncols);
int db_copy_out(ctx *c, const char *sql, bool binary, db_copy_row_fn row, void *arg);

/* db_copy_out's binary COPY run as nparts parts at once, each on a
 * connection of its own (c's for the first, new ones for the others,
 * closed at the end), all in one snapshot (REPEATABLE READ, the first's
 * exported to the others): the same rows as one COPY would give, as
 * long as the parts split them. Part k's transaction has the settings
 * souk.part_lo = lo[k] and souk.part_hi = hi[k] (for the statement's
 * WHERE: current_setting('souk.part_lo')). Rows of all parts reach row()
 * interleaved, from this thread. So the server's side of a bulk read
 * takes several cores (souk-searchd's load: the backend's CPU was more
 * than the loading thread's). At most DB_COPY_MAX_PARTS; not inside a
 * transaction. */
#define DB_COPY_MAX_PARTS 8
int db_copy_out_parts(ctx *c, const char *sql, int nparts, const char *const *lo,
                      const char *const *hi, db_copy_row_fn row, void *arg);

/* An int64 as a parameter string in the arena; when the arena refuses
 * it, a marker that db_exec refuses (500) before sending anything. */
const char *db_param_i64(ctx *c, int64_t v);

#endif
