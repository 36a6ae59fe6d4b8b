/*
 * sqlite.c — the SQLite backend of store.h.
 *
 * One connection per thread (opened with SQLITE_OPEN_NOMUTEX). Text parameters are bound in
 * place (SQLITE_STATIC): callers keep them alive until the statement is done, as store.h
 * says, and a million-row import then copies nothing twice. Every connection runs in WAL
 * mode with synchronous=FULL, so a write acknowledged to a client survives kill -9 and
 * power loss; foreign keys are on; a busy connection waits up to 10 s for a writer lock
 * before reporting PX_ERR_BUSY. Statements are prepared with SQLITE_PREPARE_PERSISTENT since
 * store.c caches them for the life of the connection.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/mem.h"
#include "store/store.h"

/*
 * During a bulk load a thread asks the kernel, every FLUSH_EVERY_MS, to start writing the
 * WAL to disk (sync_file_range, Linux; PostgreSQL's *_flush_after do the same). Otherwise
 * the pages of a million rows wait in the page cache for the commit's fsync, and the disk
 * works only while everything else waits for it. Only the WAL: the database file must never
 * be opened and closed beside SQLite, since closing any descriptor of a file drops every
 * POSIX lock the process holds on it — SQLite's included (a second process could then
 * delete the WAL under a running server).
 */
#define FLUSH_EVERY_MS 50

struct flusher {
	pthread_t thread;
	atomic_bool stop;
	int fd; /* the WAL's */
};

struct sqlite_store {
	struct store base;
	sqlite3 *db;
	struct flusher *flusher; /* while in STORE_BULK_LOAD */
};

struct sqlite_stmt {
	struct store *owner; /* must stay first: see store.c */
	struct sqlite_store *conn;
	sqlite3_stmt *st;
	int64_t changes;
};

static px_err map_rc(sqlite3 *db, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE: return PX_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return PX_ERR_BUSY;
	case SQLITE_CONSTRAINT: return PX_ERR_CONFLICT;
	case SQLITE_NOMEM: return PX_ERR_NOMEM;
	case SQLITE_TOOBIG: return PX_ERR_TOO_LARGE;
	default: (void)db; return PX_ERR_DB;
	}
}

static px_err sq_exec(struct store *s, const char *sql)
{
	struct sqlite_store *c = (struct sqlite_store *)s;
	return map_rc(c->db, sqlite3_exec(c->db, sql, NULL, NULL, NULL));
}

static void flusher_stop(struct sqlite_store *c);

static void sq_close(struct store *s)
{
	struct sqlite_store *c = (struct sqlite_store *)s;
	flusher_stop(c);
	sqlite3_close_v2(c->db);
	free(c);
}

/* Before SQLite's first use: no memory statistics (they take a global mutex on every
 * allocation, which every thread of the server paid for on every row). */
static void sq_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/*
 * px_search_text(name, post): the text that the cadres' search index (FTS5, migration 0007)
 * is given for a cadre — every pair of neighbouring characters within the name and within
 * the post, with spaces between, so that the ASCII tokenizer makes each pair a token (A–Z
 * folded to a–z, as LIKE folds them; a pair with ASCII punctuation or a space in it yields
 * its other character, or nothing). A query of two characters or more looks up its pairs,
 * whose lists are short; a single character is no pair and is a scan (within the caller's
 * scope), as is a query without a pair of token characters. Single characters are not
 * indexed: they would more than double the tokens a row (and the load's time) for queries
 * that match a tenth of a province anyway. The index is written and, on update, unwritten
 * with this text, so it must stay what it is for rows already indexed; cadres.c builds
 * queries of the same tokens.
 */
static void search_text(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t total = 0;
	for (int i = 0; i < argc; i++)
		total += (size_t)sqlite3_value_bytes(argv[i]);
	char *out = sqlite3_malloc64(total * 3 + 8);
	if (!out) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	size_t n = 0;
	for (int i = 0; i < argc; i++) {
		const char *t = (const char *)sqlite3_value_text(argv[i]);
		if (!t)
			continue;
		const char *prev = NULL; /* the character before this one */
		for (const char *p = t; *p;) {
			const char *next = p + 1;
			while ((*next & 0xC0) == 0x80)
				next++;
			if (prev) { /* the pair that ends here */
				if (n)
					out[n++] = ' ';
				memcpy(out + n, prev, (size_t)(next - prev));
				n += (size_t)(next - prev);
			}
			prev = p;
			p = next;
		}
	}
	out[n] = '\0';
	sqlite3_result_text64(ctx, out, n, sqlite3_free, SQLITE_UTF8);
}

static px_err sq_open(const char *dsn, struct store **out, struct buf *why)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sq_configure);
	struct sqlite_store *c = xcalloc(1, sizeof *c);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	int rc = sqlite3_open_v2(dsn, &c->db, flags, NULL);
	if (rc != SQLITE_OK) {
		if (why)
			buf_printf(why, "cannot open %s: %s", dsn,
				   c->db ? sqlite3_errmsg(c->db) : "out of memory");
		sqlite3_close_v2(c->db);
		free(c);
		return PX_ERR_DB;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_create_function(c->db, "px_search_text", 2,
				SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
				search_text, NULL, NULL);
	sqlite3_busy_timeout(c->db, 10000);
	static const char *const pragmas = "PRAGMA journal_mode=WAL;"
					   "PRAGMA synchronous=FULL;"
					   "PRAGMA foreign_keys=ON;"
					   "PRAGMA temp_store=MEMORY;"
					   "PRAGMA cache_size=-8192;";
	char *err = NULL;
	rc = sqlite3_exec(c->db, pragmas, NULL, NULL, &err);
	if (rc != SQLITE_OK) {
		if (why)
			buf_printf(why, "cannot set up %s: %s", dsn, err ? err : "?");
		sqlite3_free(err);
		sqlite3_close_v2(c->db);
		free(c);
		return map_rc(NULL, rc) == PX_ERR_BUSY ? PX_ERR_BUSY : PX_ERR_DB;
	}
	*out = &c->base;
	return PX_OK;
}

static px_err sq_prepare(struct store *s, const char *sql, struct store_stmt **out)
{
	struct sqlite_store *c = (struct sqlite_store *)s;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK)
		return map_rc(c->db, rc) ? map_rc(c->db, rc) : PX_ERR_DB;
	struct sqlite_stmt *w = xcalloc(1, sizeof *w);
	w->conn = c;
	w->st = st;
	*out = (struct store_stmt *)w;
	return PX_OK;
}

#define W(st) ((struct sqlite_stmt *)(st))

static px_err sq_bind_null(struct store_stmt *st, int i)
{
	return map_rc(W(st)->conn->db, sqlite3_bind_null(W(st)->st, i));
}

static px_err sq_bind_int64(struct store_stmt *st, int i, int64_t v)
{
	return map_rc(W(st)->conn->db, sqlite3_bind_int64(W(st)->st, i, v));
}

static px_err sq_bind_double(struct store_stmt *st, int i, double v)
{
	return map_rc(W(st)->conn->db, sqlite3_bind_double(W(st)->st, i, v));
}

static px_err sq_bind_text(struct store_stmt *st, int i, const char *s, size_t n)
{
	return map_rc(W(st)->conn->db,
		      sqlite3_bind_text64(W(st)->st, i, s, n, SQLITE_STATIC, SQLITE_UTF8));
}

static px_err sq_step(struct store_stmt *st, bool *row)
{
	int rc = sqlite3_step(W(st)->st);
	*row = rc == SQLITE_ROW;
	if (rc == SQLITE_DONE)
		W(st)->changes = sqlite3_changes64(W(st)->conn->db);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return PX_OK;
	px_err e = map_rc(W(st)->conn->db, rc);
	return e ? e : PX_ERR_DB;
}

static bool sq_readonly(struct store_stmt *st)
{
	return sqlite3_stmt_readonly(W(st)->st) != 0;
}

static int sq_column_count(struct store_stmt *st)
{
	return sqlite3_column_count(W(st)->st);
}

static bool sq_column_is_null(struct store_stmt *st, int col)
{
	return sqlite3_column_type(W(st)->st, col) == SQLITE_NULL;
}

static int64_t sq_column_int64(struct store_stmt *st, int col)
{
	return sqlite3_column_int64(W(st)->st, col);
}

static double sq_column_double(struct store_stmt *st, int col)
{
	return sqlite3_column_double(W(st)->st, col);
}

static const char *sq_column_text(struct store_stmt *st, int col, size_t *len)
{
	const unsigned char *t = sqlite3_column_text(W(st)->st, col);
	if (len)
		*len = t ? (size_t)sqlite3_column_bytes(W(st)->st, col) : 0;
	return t ? (const char *)t : "";
}

static int64_t sq_changes(struct store_stmt *st)
{
	return W(st)->changes;
}

static void sq_reset(struct store_stmt *st)
{
	sqlite3_reset(W(st)->st);
	sqlite3_clear_bindings(W(st)->st);
}

static void sq_finalize(struct store_stmt *st)
{
	if (!st)
		return;
	sqlite3_finalize(W(st)->st);
	free(st);
}

static void *flush_main(void *arg)
{
	struct flusher *f = arg;
	const struct timespec pause = { 0, FLUSH_EVERY_MS * 1000000L };
	while (!atomic_load(&f->stop)) {
		sync_file_range(f->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
		nanosleep(&pause, NULL);
	}
	return NULL;
}

static void flusher_start(struct sqlite_store *c)
{
	const char *path = sqlite3_db_filename(c->db, "main");
	if (c->flusher || !path || !*path)
		return;
	char wal[4096];
	snprintf(wal, sizeof wal, "%s-wal", path);
	int fd = open(wal, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return; /* only slower */
	struct flusher *f = xcalloc(1, sizeof *f);
	f->fd = fd;
	atomic_init(&f->stop, false);
	if (pthread_create(&f->thread, NULL, flush_main, f)) {
		close(fd);
		free(f);
		return;
	}
	c->flusher = f;
}

static void flusher_stop(struct sqlite_store *c)
{
	struct flusher *f = c->flusher;
	if (!f)
		return;
	atomic_store(&f->stop, true);
	pthread_join(f->thread, NULL);
	close(f->fd);
	free(f);
	c->flusher = NULL;
}

static void sq_bulk(struct store *s, enum store_bulk mode)
{
	struct sqlite_store *c = (struct sqlite_store *)s;
	if (mode == STORE_BULK_LOAD)
		flusher_start(c);
	else
		flusher_stop(c);
	static const char *const pragmas[] = {
		[STORE_BULK_OFF] = "PRAGMA cache_size=-8192; PRAGMA threads=0; "
				   "PRAGMA temp_store=MEMORY",
		[STORE_BULK_WRITE] = "PRAGMA cache_size=-262144",
		[STORE_BULK_LOAD] = "PRAGMA cache_size=-2048; PRAGMA threads=2; "
				    "PRAGMA temp_store=FILE",
	};
	sqlite3_exec(c->db, pragmas[mode], NULL, NULL, NULL);
}

static const char *sq_errmsg(struct store *s)
{
	return sqlite3_errmsg(((struct sqlite_store *)s)->db);
}

const struct store_driver store_sqlite_driver = {
	.name = "sqlite",
	.kind = STORE_SQLITE,
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.bind_null = sq_bind_null,
	.bind_int64 = sq_bind_int64,
	.bind_double = sq_bind_double,
	.bind_text = sq_bind_text,
	.step = sq_step,
	.readonly = sq_readonly,
	.column_count = sq_column_count,
	.column_is_null = sq_column_is_null,
	.column_int64 = sq_column_int64,
	.column_double = sq_column_double,
	.column_text = sq_column_text,
	.changes = sq_changes,
	.reset = sq_reset,
	.finalize = sq_finalize,
	.errmsg = sq_errmsg,
	.bulk = sq_bulk,
};
