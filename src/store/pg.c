/*
 * pg.c — the PostgreSQL backend of store.h (libpq).
 *
 * Statements are prepared server-side once per connection (PQprepare, names "px1", "px2"
 * …) after turning the shared SQL's `?` placeholders into $1, $2 …; parameters travel as
 * text, results come back as text and are parsed on access. A statement's result is read
 * whole by PQexecPrepared: callers that may read many rows (exports) page through them with
 * keyset queries, which keeps memory bounded on both backends.
 *
 * Server notices go to a no-op processor instead of stderr. Errors are mapped by SQLSTATE:
 * integrity violations (class 23) → PX_ERR_CONFLICT, serialization failures and deadlocks →
 * PX_ERR_BUSY, a lost connection → PX_ERR_DB.
 */
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "store/store.h"

struct pg_store {
	struct store base;
	PGconn *conn;
	unsigned next_name;
	char err[512];
};

struct pg_stmt {
	struct store *owner; /* must stay first: see store.c */
	struct pg_store *conn;
	char name[16];
	int nparams;
	char **values; /* nparams strings (owned) or NULL for SQL NULL */
	PGresult *res;
	int row;   /* current row index, -1 before the first step */
	int nrows; /* rows in res */
	int64_t changes;
};

static void notice_sink(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static void set_err(struct pg_store *c, const char *msg)
{
	snprintf(c->err, sizeof c->err, "%s", msg ? msg : "unknown PostgreSQL error");
	size_t n = strlen(c->err);
	while (n && (c->err[n - 1] == '\n' || c->err[n - 1] == ' '))
		c->err[--n] = '\0';
}

/* Map a failed result to a px_err, remembering the server's message. */
static px_err map_result(struct pg_store *c, PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	set_err(c, res ? PQresultErrorMessage(res) : PQerrorMessage(c->conn));
	if (!state)
		return PX_ERR_DB;
	if (!strncmp(state, "23", 2))
		return PX_ERR_CONFLICT;
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))
		return PX_ERR_BUSY;
	if (!strcmp(state, "57014"))
		return PX_ERR_TIMEOUT;
	if (!strcmp(state, "22001") || !strcmp(state, "54000"))
		return PX_ERR_TOO_LARGE;
	return PX_ERR_DB;
}

static px_err pg_exec(struct store *s, const char *sql)
{
	struct pg_store *c = (struct pg_store *)s;
	PGresult *res = PQexec(c->conn, sql);
	ExecStatusType st = PQresultStatus(res);
	px_err rc = PX_OK;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
		rc = map_result(c, res);
	PQclear(res);
	return rc;
}

static void pg_close(struct store *s)
{
	struct pg_store *c = (struct pg_store *)s;
	PQfinish(c->conn);
	free(c);
}

static px_err pg_open(const char *dsn, struct store **out, struct buf *why)
{
	struct pg_store *c = xcalloc(1, sizeof *c);
	c->conn = PQconnectdb(dsn);
	if (!c->conn || PQstatus(c->conn) != CONNECTION_OK) {
		if (why)
			buf_printf(why, "cannot connect to PostgreSQL: %s",
				   c->conn ? PQerrorMessage(c->conn) : "out of memory");
		PQfinish(c->conn);
		free(c);
		return PX_ERR_DB;
	}
	PQsetNoticeProcessor(c->conn, notice_sink, NULL);
	px_err rc = pg_exec(&c->base, "SET client_encoding TO 'UTF8'; SET TIME ZONE 'UTC';"
				      "SET client_min_messages TO warning");
	if (rc) {
		if (why)
			buf_printf(why, "cannot set up the PostgreSQL session: %s", c->err);
		pg_close(&c->base);
		return rc;
	}
	*out = &c->base;
	return PX_OK;
}

/* Turn ? into $n outside string literals, identifiers and comments; count parameters. */
static char *translate(const char *sql, int *nparams)
{
	struct buf b = BUF_INIT(0);
	int n = 0;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'' || *p == '"') {
			char q = *p;
			buf_putc(&b, *p);
			while (p[1] && p[1] != q)
				buf_putc(&b, *++p);
			if (p[1])
				buf_putc(&b, *++p);
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				buf_putc(&b, *p++);
			if (!*p)
				break;
			buf_putc(&b, *p);
		} else if (*p == '?') {
			buf_printf(&b, "$%d", ++n);
		} else {
			buf_putc(&b, *p);
		}
	}
	*nparams = n;
	return buf_detach(&b, NULL);
}

static px_err pg_prepare(struct store *s, const char *sql, struct store_stmt **out)
{
	struct pg_store *c = (struct pg_store *)s;
	int n;
	char *text = translate(sql, &n);
	struct pg_stmt *w = xcalloc(1, sizeof *w);
	w->conn = c;
	snprintf(w->name, sizeof w->name, "px%u", ++c->next_name);
	PGresult *res = PQprepare(c->conn, w->name, text, n, NULL);
	free(text);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		px_err rc = map_result(c, res);
		PQclear(res);
		free(w);
		return rc;
	}
	PQclear(res);
	w->nparams = n;
	w->values = xcalloc((size_t)n + 1, sizeof *w->values);
	w->row = -1;
	*out = (struct store_stmt *)w;
	return PX_OK;
}

#define W(st) ((struct pg_stmt *)(st))

static px_err set_param(struct store_stmt *st, int i, char *value)
{
	struct pg_stmt *w = W(st);
	if (i < 1 || i > w->nparams) {
		free(value);
		set_err(w->conn, "parameter index out of range");
		return PX_ERR_INTERNAL;
	}
	free(w->values[i - 1]);
	w->values[i - 1] = value;
	return PX_OK;
}

static px_err pg_bind_null(struct store_stmt *st, int i)
{
	return set_param(st, i, NULL);
}

static px_err pg_bind_int64(struct store_stmt *st, int i, int64_t v)
{
	return set_param(st, i, xasprintf("%lld", (long long)v));
}

static px_err pg_bind_double(struct store_stmt *st, int i, double v)
{
	return set_param(st, i, xasprintf("%.17g", v));
}

static px_err pg_bind_text(struct store_stmt *st, int i, const char *s, size_t n)
{
	if (memchr(s, '\0', n)) {
		set_err(W(st)->conn, "text parameter contains a NUL byte");
		return PX_ERR_INVALID;
	}
	return set_param(st, i, xstrndup(s, n));
}

static px_err pg_step(struct store_stmt *st, bool *row)
{
	struct pg_stmt *w = W(st);
	*row = false;
	if (!w->res) {
		w->res = PQexecPrepared(w->conn->conn, w->name, w->nparams,
					(const char *const *)w->values, NULL, NULL, 0);
		ExecStatusType s = PQresultStatus(w->res);
		if (s == PGRES_TUPLES_OK) {
			w->nrows = PQntuples(w->res);
			const char *ct = PQcmdTuples(w->res);
			w->changes = *ct ? strtoll(ct, NULL, 10) : 0;
		} else if (s == PGRES_COMMAND_OK) {
			w->nrows = 0;
			const char *ct = PQcmdTuples(w->res);
			w->changes = *ct ? strtoll(ct, NULL, 10) : 0;
		} else {
			px_err rc = map_result(w->conn, w->res);
			PQclear(w->res);
			w->res = NULL;
			return rc;
		}
		w->row = -1;
	}
	if (w->row + 1 < w->nrows) {
		w->row++;
		*row = true;
	} else {
		w->row = w->nrows;
	}
	return PX_OK;
}

static int pg_column_count(struct store_stmt *st)
{
	return W(st)->res ? PQnfields(W(st)->res) : 0;
}

static bool valid_cell(struct pg_stmt *w, int col)
{
	return w->res && w->row >= 0 && w->row < w->nrows && col >= 0 && col < PQnfields(w->res);
}

static bool pg_column_is_null(struct store_stmt *st, int col)
{
	struct pg_stmt *w = W(st);
	return !valid_cell(w, col) || PQgetisnull(w->res, w->row, col);
}

static int64_t pg_column_int64(struct store_stmt *st, int col)
{
	struct pg_stmt *w = W(st);
	if (!valid_cell(w, col))
		return 0;
	const char *v = PQgetvalue(w->res, w->row, col);
	if (v[0] == 't' && v[1] == '\0')
		return 1; /* a boolean expression such as EXISTS(…) */
	return strtoll(v, NULL, 10);
}

static double pg_column_double(struct store_stmt *st, int col)
{
	struct pg_stmt *w = W(st);
	return valid_cell(w, col) ? strtod(PQgetvalue(w->res, w->row, col), NULL) : 0.0;
}

static const char *pg_column_text(struct store_stmt *st, int col, size_t *len)
{
	struct pg_stmt *w = W(st);
	if (!valid_cell(w, col)) {
		if (len)
			*len = 0;
		return "";
	}
	if (len)
		*len = (size_t)PQgetlength(w->res, w->row, col);
	return PQgetvalue(w->res, w->row, col);
}

static int64_t pg_changes(struct store_stmt *st)
{
	return W(st)->changes;
}

static void pg_reset(struct store_stmt *st)
{
	struct pg_stmt *w = W(st);
	PQclear(w->res);
	w->res = NULL;
	w->row = -1;
	w->nrows = 0;
	for (int i = 0; i < w->nparams; i++) {
		free(w->values[i]);
		w->values[i] = NULL;
	}
}

static void pg_finalize(struct store_stmt *st)
{
	if (!st)
		return;
	pg_reset(st);
	/* The cache finalizes statements on a live connection when it is cleared; free their
	 * server-side half too, or a long-lived connection would accumulate them. */
	struct pg_stmt *w = W(st);
	if (w->conn->conn && PQstatus(w->conn->conn) == CONNECTION_OK) {
		char sql[40];
		snprintf(sql, sizeof sql, "DEALLOCATE %s", w->name);
		PQclear(PQexec(w->conn->conn, sql));
	}
	free(w->values);
	free(w);
}

/* ---- COPY … FROM STDIN ---- */

static px_err pg_copy_begin(struct store *s, const char *sql)
{
	struct pg_store *c = (struct pg_store *)s;
	PGresult *res = PQexec(c->conn, sql);
	px_err rc = PQresultStatus(res) == PGRES_COPY_IN ? PX_OK : map_result(c, res);
	PQclear(res);
	return rc;
}

static px_err pg_copy_put(struct store *s, const char *data, size_t n)
{
	struct pg_store *c = (struct pg_store *)s;
	if (n > INT32_MAX || PQputCopyData(c->conn, data, (int)n) != 1) {
		set_err(c, PQerrorMessage(c->conn));
		return PX_ERR_DB;
	}
	return PX_OK;
}

/* The line of the COPY data that failed, from the error's context ("COPY cadres, line 41002,
 * column name: …"); 0 when it does not say. */
static int64_t copy_failed_line(const PGresult *res)
{
	const char *ctx = PQresultErrorField(res, PG_DIAG_CONTEXT);
	const char *at = ctx ? strstr(ctx, ", line ") : NULL;
	return at ? strtoll(at + 7, NULL, 10) : 0;
}

static px_err pg_copy_end(struct store *s, int64_t *rows, int64_t *failed_line)
{
	struct pg_store *c = (struct pg_store *)s;
	*rows = 0;
	*failed_line = 0;
	px_err rc = PX_OK;
	if (PQputCopyEnd(c->conn, NULL) != 1) {
		set_err(c, PQerrorMessage(c->conn));
		rc = PX_ERR_DB;
	}
	/* read every result: the connection is usable again only after the last */
	PGresult *res;
	int still_in = 0;
	while ((res = PQgetResult(c->conn))) {
		ExecStatusType st = PQresultStatus(res);
		if (st == PGRES_COMMAND_OK) {
			const char *n = PQcmdTuples(res);
			*rows = *n ? strtoll(n, NULL, 10) : 0;
		} else if (st == PGRES_COPY_IN) { /* not ended after all: give up on it */
			PQclear(res);
			if (!rc) {
				set_err(c, "COPY did not end");
				rc = PX_ERR_DB;
			}
			if (++still_in > 1)
				break;
			PQputCopyEnd(c->conn, "abandoned");
			continue;
		} else if (!rc) {
			rc = map_result(c, res);
			*failed_line = copy_failed_line(res);
		}
		PQclear(res);
	}
	return rc;
}

static const char *pg_errmsg(struct store *s)
{
	return ((struct pg_store *)s)->err;
}

/* A bulk load rebuilds indexes at its end (cadres_bulk.c): sort their keys in memory. */
static void pg_bulk(struct store *s, enum store_bulk mode)
{
	PQclear(PQexec(((struct pg_store *)s)->conn, mode == STORE_BULK_LOAD
							     ? "SET maintenance_work_mem = '256MB'"
							     : "RESET maintenance_work_mem"));
}

const struct store_driver store_pg_driver = {
	.name = "postgresql",
	.kind = STORE_PG,
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.bind_null = pg_bind_null,
	.bind_int64 = pg_bind_int64,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.step = pg_step,
	.column_count = pg_column_count,
	.column_is_null = pg_column_is_null,
	.column_int64 = pg_column_int64,
	.column_double = pg_column_double,
	.column_text = pg_column_text,
	.changes = pg_changes,
	.reset = pg_reset,
	.finalize = pg_finalize,
	.errmsg = pg_errmsg,
	.bulk = pg_bulk,
	.copy_begin = pg_copy_begin,
	.copy_put = pg_copy_put,
	.copy_end = pg_copy_end,
};
