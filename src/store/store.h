/*
 * store.h — the database interface: one table of methods, two backends.
 *
 * Like SQLite's VFS, a backend is a `struct store_driver`: open, prepare, bind, step,
 * column, reset, finalize, exec and the last error. sqlite.c and pg.c implement it; the
 * rest of peixun writes its SQL once, in the subset both databases share, with `?`
 * placeholders (pg.c turns them into $1, $2 …). Where the dialects truly differ the caller
 * asks store_kind() — that should be rare and is grep-able.
 *
 * Conventions the SQL follows so that it runs on both:
 *   - ids are BIGINT (SQLite: INTEGER PRIMARY KEY rowid alias); new ids come back from
 *     `INSERT … RETURNING id`, which both support;
 *   - booleans are INTEGER 0/1, timestamps BIGINT seconds since the epoch, dates TEXT
 *     'YYYY-MM-DD', binary data TEXT (base64);
 *   - a parameter whose type PostgreSQL cannot infer is written CAST(? AS TEXT) etc.
 *
 * Connections are not shared between threads. store_prepare() keeps a per-connection cache
 * of prepared statements keyed by the SQL text, so repository code simply asks for its SQL
 * every time; the statement it gets back is reset and unbound. A statement must be given
 * back with store_done() (which resets it) before the same SQL is prepared again on that
 * connection.
 */
#ifndef PX_STORE_H
#define PX_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

enum store_kind { STORE_SQLITE, STORE_PG };
/* How a connection is tuned for a large write (see store_bulk). */
enum store_bulk { STORE_BULK_OFF, STORE_BULK_WRITE, STORE_BULK_LOAD };

struct store;
struct store_stmt;

struct store_driver {
	const char *name;
	enum store_kind kind;
	px_err (*open)(const char *dsn, struct store **out, struct buf *why);
	void (*close)(struct store *s);
	/* Run one or more statements without parameters or results (migrations). */
	px_err (*exec)(struct store *s, const char *sql);
	px_err (*prepare)(struct store *s, const char *sql, struct store_stmt **out);
	px_err (*bind_null)(struct store_stmt *st, int i);
	px_err (*bind_int64)(struct store_stmt *st, int i, int64_t v);
	px_err (*bind_double)(struct store_stmt *st, int i, double v);
	/* The text must stay valid until the statement is stepped to its end or given back
	 * (SQLite binds it in place; PostgreSQL copies it). */
	px_err (*bind_text)(struct store_stmt *st, int i, const char *s, size_t n);
	/* *row is true when a row is available, false when the statement is done. */
	px_err (*step)(struct store_stmt *st, bool *row);
	/* True when the statement only reads (NULL: the backend keeps no snapshots). */
	bool (*readonly)(struct store_stmt *st);
	int (*column_count)(struct store_stmt *st);
	bool (*column_is_null)(struct store_stmt *st, int col);
	int64_t (*column_int64)(struct store_stmt *st, int col);
	double (*column_double)(struct store_stmt *st, int col);
	/* Borrowed until the next step/reset; "" for NULL. */
	const char *(*column_text)(struct store_stmt *st, int col, size_t *len);
	/* Rows changed by the last completed INSERT/UPDATE/DELETE. */
	int64_t (*changes)(struct store_stmt *st);
	void (*reset)(struct store_stmt *st);
	void (*finalize)(struct store_stmt *st);
	const char *(*errmsg)(struct store *s);
	/* Tune the connection for one large write (NULL: nothing to tune). */
	void (*bulk)(struct store *s, enum store_bulk mode);
	/* Bulk loading in the database's own protocol (PostgreSQL's COPY … FROM STDIN; NULL:
	 * store.c inserts a row a statement instead). begin runs the COPY statement; put sends
	 * rows in COPY's text format; end finishes it: *rows gets how many rows the table took,
	 * and on failure *failed_line the line of the data (1-based) that failed, 0 if unknown. */
	px_err (*copy_begin)(struct store *s, const char *sql);
	px_err (*copy_put)(struct store *s, const char *data, size_t n);
	px_err (*copy_end)(struct store *s, int64_t *rows, int64_t *failed_line);
};

/* The common head of every connection; drivers embed it first. */
struct store_cache;
struct store_copy;
struct store {
	const struct store_driver *drv;
	struct store_cache *cache;
	int txn_depth;
	px_err txn_err;               /* first error inside the current transaction */
	bool snapshot;                /* inside store_snapshot_begin's read transaction */
	int64_t data_version;         /* SQLite's PRAGMA data_version when last asked */
	uint64_t snapshot_generation; /* store_generation when the snapshot began */
	struct store_copy *copy;      /* between store_copy_begin and store_copy_end */
};

extern const struct store_driver store_sqlite_driver;
extern const struct store_driver store_pg_driver;

/*
 * Open a connection: "postgresql://…" or "postgres://…" (or "host=… dbname=…") selects
 * PostgreSQL, anything else is a SQLite file path. On failure *why says what went wrong.
 */
px_err store_open(const char *dsn, struct store **out, struct buf *why);
void store_close(struct store *s);
enum store_kind store_kind(const struct store *s);
bool store_dsn_is_pg(const char *dsn);
const char *store_errmsg(struct store *s);

px_err store_exec(struct store *s, const char *sql);

/*
 * Before and after a large write, outside a transaction. STORE_BULK_WRITE: rows go into
 * tables that keep their indexes (an import of a few thousand rows): SQLite gets a page
 * cache big enough to keep those indexes in memory. STORE_BULK_LOAD: the indexes are built
 * afresh at the end (a million rows): SQLite's CREATE INDEX sorts in runs the size of the
 * page cache, and small runs sorted by a second thread and merged from temporary files beat
 * one big sort in memory by far (a million keys: 0.4 s against 1.2 s with 256 MiB and
 * temp_store=MEMORY); so a small cache, two threads and file-backed temporaries — the
 * sorted keys are the indexed columns (names, unit ids, the blind index), nothing the
 * database file does not hold in the clear already. STORE_BULK_OFF restores the defaults.
 * PostgreSQL: STORE_BULK_LOAD gives the index builds at the load's end 256 MiB to sort in.
 */
void store_bulk(struct store *s, enum store_bulk mode);

/*
 * One consistent read for a whole request (SQLite: a deferred BEGIN, so the statements
 * of a GET share one snapshot and one read lock instead of taking one each). A write
 * inside ends the snapshot first: store_begin then starts from the newest data.
 * PostgreSQL: nothing (a transaction there would only add round trips).
 */
void store_snapshot_begin(struct store *s);
void store_snapshot_end(struct store *s);

/*
 * A number that changes whenever the database may have changed: any commit by this
 * process, and (noticed through SQLite's data_version) any commit by another process. Two
 * snapshots given the same non-zero generation hold the same data, so a reply computed in
 * one may be served again for the other (the server's reply cache). 0 means "cannot vouch":
 * outside a snapshot, a commit since the snapshot began, another process's commit first
 * noticed here, or PostgreSQL (whose other clients' commits cannot be seen cheaply).
 */
uint64_t store_generation(struct store *s);

/* Prepared statement from the cache (see above). */
px_err store_prepare(struct store *s, const char *sql, struct store_stmt **out);
/* Give a statement back: resets it for the next user. NULL is fine. */
void store_done(struct store_stmt *st);

px_err store_bind_null(struct store_stmt *st, int i);
px_err store_bind_int64(struct store_stmt *st, int i, int64_t v);
px_err store_bind_double(struct store_stmt *st, int i, double v);
px_err store_bind_text(struct store_stmt *st, int i, const char *s);
px_err store_bind_textn(struct store_stmt *st, int i, const char *s, size_t n);
/* NULL s binds SQL NULL. */
px_err store_bind_text_or_null(struct store_stmt *st, int i, const char *s);

px_err store_step(struct store_stmt *st, bool *row);
int store_column_count(struct store_stmt *st);
bool store_column_is_null(struct store_stmt *st, int col);
int64_t store_column_int64(struct store_stmt *st, int col);
double store_column_double(struct store_stmt *st, int col);
const char *store_column_text(struct store_stmt *st, int col);
const char *store_column_textn(struct store_stmt *st, int col, size_t *len);
int64_t store_changes(struct store_stmt *st);

/*
 * Transactions nest by counting: only the outermost begin/commit reach the database, and a
 * rollback anywhere makes the outermost commit fail with the first error. SQLite uses
 * BEGIN IMMEDIATE so that writers queue up front instead of deadlocking on upgrade.
 */
px_err store_begin(struct store *s);
px_err store_commit(struct store *s);
void store_rollback(struct store *s);

/*
 * Convenience: run `sql` with the given text/int parameters and read one int64 from the
 * first column of the first row (PX_ERR_NOT_FOUND when there is no row).
 */
px_err store_query_int64(struct store *s, const char *sql, int64_t *out, const char *fmt, ...);

/*
 * Convenience for a statement that returns no rows: run `sql` with parameters as
 * store_bindf. When it changes no row the result is `none`: PX_OK where that is fine,
 * PX_ERR_NOT_FOUND for an id that is not there, PX_ERR_CONFLICT for a stale version
 * (the optimistic lock "… WHERE id = ? AND version = ?").
 */
px_err store_run(struct store *s, const char *sql, px_err none, const char *fmt, ...);

/*
 * Convenience for "INSERT … RETURNING id": *id gets the new id. PX_ERR_CONFLICT when no row
 * comes back (an "ON CONFLICT DO NOTHING" that did nothing), and *id is left as it was.
 */
px_err store_insert_id(struct store *s, const char *sql, int64_t *id, const char *fmt, ...);

/*
 * Bind parameters from a format string: 'i' int64_t, 'I' an int64_t id that binds NULL when
 * ≤ 0, 't' const char * (NULL → SQL NULL), 'd' double, 'n' NULL. Binds positions
 * 1..strlen(fmt).
 */
px_err store_bindf(struct store_stmt *st, const char *fmt, ...);
/* The same from position `first` on (a statement of many rows binds each row's part). */
px_err store_bindf_at(struct store_stmt *st, int first, const char *fmt, ...);

/*
 * Many rows into one table as fast as the backend takes them: PostgreSQL's COPY … FROM STDIN
 * (rows stream to the server in COPY's text format, no round trip a row), SQLite one prepared
 * INSERT a row (a statement costs no round trip there). The caller never asks which:
 *
 *	store_copy_begin(s, "cadres", "unit_id, name, …", 17);
 *	for each row: store_copy_row(s, "itt…", …);   formats as store_bindf
 *	store_copy_end(s, &stored, &failed);
 *
 * Between begin and end the connection runs nothing else. A row that fails is reported by
 * store_copy_row (SQLite) or only by store_copy_end (PostgreSQL: the first failure undoes
 * the whole COPY); either way *failed gets its number (1-based, counting the rows of this
 * copy; 0 when unknown) and the error is the transaction's, so its commit fails. *stored
 * gets how many rows the table took: fewer than were given when a trigger skipped some.
 * store_copy_end always ends the copy, also after a failure.
 */
px_err store_copy_begin(struct store *s, const char *table, const char *columns, int ncolumns);
px_err store_copy_row(struct store *s, const char *fmt, ...);
px_err store_copy_end(struct store *s, int64_t *stored, int64_t *failed);

/* Apply the migrations that are not yet applied; *applied gets how many ran. */
px_err store_migrate(struct store *s, int *applied, struct buf *why);
/* Run migration `version` (its SQL and data steps) again in a transaction of its own, as if
 * the database were just before it: for the tests of a migration's data step, whatever
 * migrations came after it. */
px_err store_migration_rerun(struct store *s, int version, struct buf *why);
/* The highest migration this program knows, and the database's current version. */
int store_schema_latest(void);
px_err store_schema_version(struct store *s, int *version);

#endif
