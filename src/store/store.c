/*
 * store.c — the backend-independent half of store.h: choosing a driver by DSN, the
 * per-connection statement cache, nested transactions and small conveniences.
 */
#include "store/store.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"

#define CACHE_SLOTS 1024 /* power of two; statements, not rows */

struct cache_entry {
	char *sql;
	uint64_t hash;
	struct store_stmt *st;
};

#define RECENT_SLOTS 64 /* direct-mapped by the SQL's address: constant SQL skips hashing */

struct store_cache {
	struct cache_entry slot[CACHE_SLOTS];
	int used;
	struct {
		const char *sql; /* the caller's pointer (a string literal, usually) */
		struct cache_entry *entry;
	} recent[RECENT_SLOTS];
};

/* Every statement handed out remembers its connection through this header. */
struct store_stmt_head {
	struct store *owner;
};

bool store_dsn_is_pg(const char *dsn)
{
	return !strncmp(dsn, "postgresql://", 13) || !strncmp(dsn, "postgres://", 11) ||
	       strstr(dsn, "dbname=") != NULL;
}

px_err store_open(const char *dsn, struct store **out, struct buf *why)
{
	const struct store_driver *drv =
		store_dsn_is_pg(dsn) ? &store_pg_driver : &store_sqlite_driver;
	*out = NULL;
	px_err rc = drv->open(dsn, out, why);
	if (rc)
		return rc;
	(*out)->drv = drv;
	(*out)->cache = xcalloc(1, sizeof(struct store_cache));
	return PX_OK;
}

static void cache_clear(struct store *s)
{
	struct store_cache *c = s->cache;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		if (c->slot[i].sql) {
			s->drv->finalize(c->slot[i].st);
			free(c->slot[i].sql);
			c->slot[i].sql = NULL;
		}
	}
	c->used = 0;
	memset(c->recent, 0, sizeof c->recent);
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->cache) {
		cache_clear(s);
		free(s->cache);
	}
	s->drv->close(s);
}

enum store_kind store_kind(const struct store *s)
{
	return s->drv->kind;
}

const char *store_errmsg(struct store *s)
{
	return s->drv->errmsg(s);
}

void store_bulk(struct store *s, enum store_bulk mode)
{
	if (s->drv->bulk)
		s->drv->bulk(s, mode);
}

/* Counts the commits of this process (see store_generation). */
static _Atomic uint64_t generation = 1;

static void generation_bump(void)
{
	atomic_fetch_add_explicit(&generation, 1, memory_order_release);
}

px_err store_exec(struct store *s, const char *sql)
{
	/* Like a write statement: not inside a read snapshot, whose COMMIT would come later. */
	store_snapshot_end(s);
	px_err rc = s->drv->exec(s, sql);
	generation_bump();
	return rc;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

px_err store_prepare(struct store *s, const char *sql, struct store_stmt **out)
{
	struct store_cache *c = s->cache;
	size_t r = ((uintptr_t)sql >> 3) & (RECENT_SLOTS - 1);
	/* A pointer hit is only trusted when the entry still holds the same text: a freed
	 * dynamic query may leave its address to another. */
	if (c->recent[r].sql == sql && c->recent[r].entry->sql &&
	    !strcmp(c->recent[r].entry->sql, sql)) {
		*out = c->recent[r].entry->st;
		return PX_OK;
	}
	uint64_t h = fnv1a(sql);
	size_t i = h & (CACHE_SLOTS - 1);
	for (;; i = (i + 1) & (CACHE_SLOTS - 1)) {
		struct cache_entry *e = &c->slot[i];
		if (!e->sql)
			break;
		if (e->hash == h && !strcmp(e->sql, sql)) {
			c->recent[r].sql = sql;
			c->recent[r].entry = e;
			*out = e->st;
			return PX_OK;
		}
	}
	/* Keep the table at most 3/4 full: dynamic SQL (list filters) could otherwise grow it
	 * without bound. Clearing is rare and only costs re-preparing. */
	if (c->used >= CACHE_SLOTS * 3 / 4) {
		cache_clear(s);
		i = h & (CACHE_SLOTS - 1);
	}
	struct store_stmt *st;
	px_err rc = s->drv->prepare(s, sql, &st);
	if (rc)
		return rc;
	((struct store_stmt_head *)st)->owner = s;
	c->slot[i] = (struct cache_entry){ xstrdup(sql), h, st };
	c->used++;
	*out = st;
	return PX_OK;
}

static struct store *owner(struct store_stmt *st)
{
	return ((struct store_stmt_head *)st)->owner;
}

void store_done(struct store_stmt *st)
{
	if (!st)
		return;
	struct store *s = owner(st);
	bool wrote = s->drv->readonly && !s->drv->readonly(st);
	s->drv->reset(st);
	/* Outside a transaction a write commits by itself, at the latest here. */
	if (wrote && !s->txn_depth)
		generation_bump();
}

px_err store_bind_null(struct store_stmt *st, int i)
{
	return owner(st)->drv->bind_null(st, i);
}

px_err store_bind_int64(struct store_stmt *st, int i, int64_t v)
{
	return owner(st)->drv->bind_int64(st, i, v);
}

px_err store_bind_double(struct store_stmt *st, int i, double v)
{
	return owner(st)->drv->bind_double(st, i, v);
}

px_err store_bind_textn(struct store_stmt *st, int i, const char *s, size_t n)
{
	return owner(st)->drv->bind_text(st, i, s, n);
}

px_err store_bind_text(struct store_stmt *st, int i, const char *s)
{
	return store_bind_textn(st, i, s, strlen(s));
}

px_err store_bind_text_or_null(struct store_stmt *st, int i, const char *s)
{
	return s ? store_bind_text(st, i, s) : store_bind_null(st, i);
}

px_err store_step(struct store_stmt *st, bool *row)
{
	struct store *s = owner(st);
	/* A write ends the request's read snapshot first: it must not commit with it later,
	 * nor work on data older than the newest. */
	if (s->snapshot && !s->drv->readonly(st))
		store_snapshot_end(s);
	px_err rc = s->drv->step(st, row);
	if (rc && s->txn_depth && !s->txn_err)
		s->txn_err = rc;
	return rc;
}

int store_column_count(struct store_stmt *st)
{
	return owner(st)->drv->column_count(st);
}

bool store_column_is_null(struct store_stmt *st, int col)
{
	return owner(st)->drv->column_is_null(st, col);
}

int64_t store_column_int64(struct store_stmt *st, int col)
{
	return owner(st)->drv->column_int64(st, col);
}

double store_column_double(struct store_stmt *st, int col)
{
	return owner(st)->drv->column_double(st, col);
}

const char *store_column_textn(struct store_stmt *st, int col, size_t *len)
{
	return owner(st)->drv->column_text(st, col, len);
}

const char *store_column_text(struct store_stmt *st, int col)
{
	return owner(st)->drv->column_text(st, col, NULL);
}

int64_t store_changes(struct store_stmt *st)
{
	return owner(st)->drv->changes(st);
}

/* Transaction control: SQLite keeps the few statements prepared (a request has two or
 * four of them and parsing each was a visible share of a small GET). */
static px_err txn_exec(struct store *s, const char *sql)
{
	if (s->drv->kind != STORE_SQLITE)
		return s->drv->exec(s, sql);
	struct store_stmt *st = NULL;
	px_err rc = store_prepare(s, sql, &st);
	bool row;
	if (!rc) {
		rc = s->drv->step(st, &row);
		s->drv->reset(st);
	}
	return rc;
}

void store_snapshot_begin(struct store *s)
{
	if (s->drv->kind != STORE_SQLITE || s->snapshot || s->txn_depth)
		return;
	/* Read before the snapshot's first statement: every commit it counts is in it. */
	s->snapshot_generation = atomic_load_explicit(&generation, memory_order_acquire);
	s->snapshot = txn_exec(s, "BEGIN") == PX_OK;
}

void store_snapshot_end(struct store *s)
{
	if (!s->snapshot)
		return;
	s->snapshot = false;
	if (txn_exec(s, "COMMIT"))
		txn_exec(s, "ROLLBACK");
}

px_err store_begin(struct store *s)
{
	if (s->txn_depth++ > 0)
		return PX_OK;
	store_snapshot_end(s);
	s->txn_err = PX_OK;
	px_err rc = txn_exec(s, s->drv->kind == STORE_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN");
	if (rc)
		s->txn_depth = 0;
	return rc;
}

px_err store_commit(struct store *s)
{
	if (s->txn_depth == 0)
		return PX_ERR_INTERNAL;
	if (--s->txn_depth > 0)
		return PX_OK;
	if (s->txn_err) {
		txn_exec(s, "ROLLBACK");
		return s->txn_err;
	}
	px_err rc = txn_exec(s, "COMMIT");
	if (rc)
		txn_exec(s, "ROLLBACK");
	else
		generation_bump();
	return rc;
}

uint64_t store_generation(struct store *s)
{
	if (s->drv->kind != STORE_SQLITE || !s->snapshot)
		return 0;
	/* PRAGMA data_version changes when another connection (of this process or any other)
	 * has committed since this connection last asked: count that as a commit too, and
	 * do not vouch for this snapshot. */
	struct store_stmt *st = NULL;
	bool row = false;
	if (store_prepare(s, "PRAGMA data_version", &st) || store_step(st, &row) || !row) {
		store_done(st);
		return 0;
	}
	int64_t v = store_column_int64(st, 0);
	store_done(st);
	if (v != s->data_version) {
		s->data_version = v;
		generation_bump();
		return 0;
	}
	/* A commit of this process since the snapshot began may or may not be in it. */
	uint64_t now = atomic_load_explicit(&generation, memory_order_acquire);
	return now == s->snapshot_generation ? now : 0;
}
void store_rollback(struct store *s)
{
	if (s->txn_depth == 0)
		return;
	if (!s->txn_err)
		s->txn_err = PX_ERR_INTERNAL;
	if (--s->txn_depth > 0)
		return;
	txn_exec(s, "ROLLBACK");
}

static px_err bind_va(struct store_stmt *st, int first, const char *fmt, va_list ap)
{
	px_err rc = PX_OK;
	for (int k = 0; fmt[k] && !rc; k++) {
		int i = first - 1 + k;
		switch (fmt[k]) {
		case 'i': rc = store_bind_int64(st, i + 1, va_arg(ap, int64_t)); break;
		case 'I': {
			int64_t v = va_arg(ap, int64_t);
			rc = v > 0 ? store_bind_int64(st, i + 1, v) : store_bind_null(st, i + 1);
			break;
		}
		case 't': rc = store_bind_text_or_null(st, i + 1, va_arg(ap, const char *)); break;
		case 'd': rc = store_bind_double(st, i + 1, va_arg(ap, double)); break;
		case 'n': rc = store_bind_null(st, i + 1); break;
		default: rc = PX_ERR_INTERNAL;
		}
	}
	return rc;
}

px_err store_bindf(struct store_stmt *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	px_err rc = bind_va(st, 1, fmt, ap);
	va_end(ap);
	return rc;
}

px_err store_bindf_at(struct store_stmt *st, int first, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	px_err rc = bind_va(st, first, fmt, ap);
	va_end(ap);
	return rc;
}

/* Prepare sql, bind fmt's parameters from ap and step once. *st is left for the caller to
 * read and give back (NULL when the prepare failed: store_done takes that too). */
static px_err step_once(struct store *s, const char *sql, struct store_stmt **st, bool *row,
			const char *fmt, va_list ap)
{
	*row = false;
	px_err rc = store_prepare(s, sql, st);
	if (rc) {
		*st = NULL;
		return rc;
	}
	rc = bind_va(*st, 1, fmt, ap);
	if (!rc)
		rc = store_step(*st, row);
	return rc;
}

px_err store_run(struct store *s, const char *sql, px_err none, const char *fmt, ...)
{
	struct store_stmt *st;
	bool row;
	va_list ap;
	va_start(ap, fmt);
	px_err rc = step_once(s, sql, &st, &row, fmt, ap);
	va_end(ap);
	if (!rc && none && store_changes(st) == 0)
		rc = none;
	store_done(st);
	return rc;
}

px_err store_insert_id(struct store *s, const char *sql, int64_t *id, const char *fmt, ...)
{
	struct store_stmt *st;
	bool row;
	va_list ap;
	va_start(ap, fmt);
	px_err rc = step_once(s, sql, &st, &row, fmt, ap);
	va_end(ap);
	if (!rc && row)
		*id = store_column_int64(st, 0);
	else if (!rc)
		rc = PX_ERR_CONFLICT;
	store_done(st);
	return rc;
}

px_err store_query_int64(struct store *s, const char *sql, int64_t *out, const char *fmt, ...)
{
	struct store_stmt *st;
	bool row;
	va_list ap;
	va_start(ap, fmt);
	px_err rc = step_once(s, sql, &st, &row, fmt, ap);
	va_end(ap);
	if (!rc && !row)
		rc = PX_ERR_NOT_FOUND;
	if (!rc)
		*out = store_column_int64(st, 0);
	store_done(st);
	return rc;
}

/* ---- bulk loading (store_copy_*) ---- */

#define COPY_FLUSH (64 * 1024) /* bytes of COPY data handed to the driver at a time */

struct store_copy {
	bool native;             /* the driver's COPY; else a prepared INSERT a row */
	struct store_stmt *stmt; /* that INSERT */
	struct buf data;         /* COPY text not yet handed to the driver */
	int64_t rows, stored;    /* given, and taken by the table (the INSERT's changes) */
	int64_t failed;          /* the row (1-based) that failed, 0 if none */
	px_err rc;
};

px_err store_copy_begin(struct store *s, const char *table, const char *columns, int ncolumns)
{
	if (s->copy)
		return PX_ERR_INTERNAL;
	store_snapshot_end(s);
	struct store_copy *cp = xcalloc(1, sizeof *cp);
	cp->native = s->drv->copy_begin != NULL;
	struct buf sql = BUF_INIT(0);
	px_err rc;
	if (cp->native) {
		buf_printf(&sql, "COPY %s (%s) FROM STDIN", table, columns);
		rc = sql.err ? sql.err : s->drv->copy_begin(s, sql.data);
		buf_init(&cp->data, 0);
	} else {
		buf_printf(&sql, "INSERT INTO %s (%s) VALUES (", table, columns);
		for (int i = 0; i < ncolumns; i++)
			buf_puts(&sql, i ? ", ?" : "?");
		buf_putc(&sql, ')');
		rc = sql.err ? sql.err : store_prepare(s, sql.data, &cp->stmt);
	}
	buf_release(&sql);
	if (rc) {
		if (s->txn_depth && !s->txn_err)
			s->txn_err = rc;
		free(cp);
		return rc;
	}
	s->copy = cp;
	return PX_OK;
}

/* One value in COPY's text format: \N for NULL; backslash, tab, newline and carriage return
 * escaped. */
static void copy_text(struct buf *b, const char *v)
{
	if (!v) {
		buf_add(b, "\\N", 2);
		return;
	}
	const char *run = v;
	for (const char *p = v;; p++) {
		char c = *p;
		if (c && c != '\\' && c != '\t' && c != '\n' && c != '\r')
			continue;
		buf_add(b, run, (size_t)(p - run));
		if (!c)
			break;
		buf_putc(b, '\\');
		buf_putc(b, c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\');
		run = p + 1;
	}
}

static void copy_int(struct buf *b, int64_t v)
{
	char digits[24];
	int n = snprintf(digits, sizeof digits, "%lld", (long long)v);
	buf_add(b, digits, (size_t)n);
}

/* A row as a line of COPY text, formats as bind_va. */
static px_err copy_line(struct buf *b, const char *fmt, va_list ap)
{
	for (int k = 0; fmt[k]; k++) {
		if (k)
			buf_putc(b, '\t');
		switch (fmt[k]) {
		case 'i': copy_int(b, va_arg(ap, int64_t)); break;
		case 'I': {
			int64_t v = va_arg(ap, int64_t);
			if (v > 0)
				copy_int(b, v);
			else
				copy_text(b, NULL);
			break;
		}
		case 't': copy_text(b, va_arg(ap, const char *)); break;
		case 'd': buf_printf(b, "%.17g", va_arg(ap, double)); break;
		case 'n': copy_text(b, NULL); break;
		default: return PX_ERR_INTERNAL;
		}
	}
	buf_putc(b, '\n');
	return b->err;
}

px_err store_copy_row(struct store *s, const char *fmt, ...)
{
	struct store_copy *cp = s->copy;
	if (!cp)
		return PX_ERR_INTERNAL;
	if (cp->rc)
		return cp->rc;
	cp->rows++;
	va_list ap;
	va_start(ap, fmt);
	px_err rc;
	if (cp->native) {
		rc = copy_line(&cp->data, fmt, ap);
		if (!rc && cp->data.len >= COPY_FLUSH) {
			rc = s->drv->copy_put(s, cp->data.data, cp->data.len);
			buf_reset(&cp->data);
		}
	} else {
		bool row;
		rc = bind_va(cp->stmt, 1, fmt, ap);
		if (!rc)
			rc = s->drv->step(cp->stmt, &row);
		if (!rc)
			cp->stored += s->drv->changes(cp->stmt);
		s->drv->reset(cp->stmt);
	}
	va_end(ap);
	if (rc) {
		cp->rc = rc;
		cp->failed = cp->rows;
		if (s->txn_depth && !s->txn_err)
			s->txn_err = rc;
	}
	return rc;
}

px_err store_copy_end(struct store *s, int64_t *stored, int64_t *failed)
{
	struct store_copy *cp = s->copy;
	*stored = 0;
	*failed = 0;
	if (!cp)
		return PX_ERR_INTERNAL;
	s->copy = NULL;
	px_err rc = cp->rc;
	if (cp->native) {
		if (!rc && cp->data.len)
			rc = s->drv->copy_put(s, cp->data.data, cp->data.len);
		/* ended also after a failure: the connection must leave the COPY state */
		int64_t line = 0;
		px_err erc = s->drv->copy_end(s, &cp->stored, &line);
		if (!rc && erc) {
			rc = erc;
			cp->failed = line;
		}
		buf_release(&cp->data);
	}
	if (rc && s->txn_depth && !s->txn_err)
		s->txn_err = rc;
	if (!rc && !s->txn_depth) /* else the commit counts */
		generation_bump();
	*stored = cp->stored;
	*failed = cp->failed;
	free(cp);
	return rc;
}
