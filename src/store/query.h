/*
 * query.h — building a SELECT with optional filters, sorting and paging, safely.
 *
 * Filters are appended as SQL text with `?` placeholders and their values are kept beside
 * them; nothing a user sends is ever pasted into SQL. Sort keys come from a whitelist table
 * (struct sort_key), so `?sort=-name` can only pick one of the listed expressions.
 */
#ifndef PX_QUERY_H
#define PX_QUERY_H

#include <stdint.h>

#include "store/registry.h"
#include "store/store.h"

#define QB_MAX_ARGS 24

struct qb {
	struct buf sql;
	int nargs;
	bool has_where;
	struct {
		char type; /* 'i' or 't' */
		int64_t i;
		const char *t;
	} args[QB_MAX_ARGS];
	px_err err;
	char upper[256]; /* the successor of the scope's path prefix (qb_scope) */
};

struct sort_key {
	const char *key; /* API name */
	const char *sql; /* expression; a tiebreak on id is always added */
};

void qb_init(struct qb *q, const char *select);
void qb_release(struct qb *q);
/* Append " WHERE cond" or " AND cond". */
void qb_where(struct qb *q, const char *cond);
void qb_arg_int(struct qb *q, int64_t v);
void qb_arg_text(struct qb *q, const char *t);
/* Append raw SQL (constant text only). */
void qb_sql(struct qb *q, const char *sql);
/* Add the data-scope condition for a query whose tables are aliased
 * `g` (regions), `u` (units) and, when cadres are involved, `c`. A region's subtree is a
 * range of paths, g.path >= '/1/2/' AND g.path < '/1/20' (the prefix and its successor,
 * byte by byte), which both databases answer from the index on regions(path). */
void qb_scope(struct qb *q, const struct scope_filter *f, bool has_cadres);
/* The same range for the subtree of the region with this id: `column` (a path) inside it. */
void qb_region_subtree(struct qb *q, const char *column, int64_t region_id);
/* The smallest text greater than every text that starts with prefix (its last byte
 * incremented, dropping trailing 0xFF bytes) into out; false when it does not fit or there
 * is none (a prefix of 0xFF bytes only). */
bool path_successor(const char *prefix, char *out, size_t size);
/* " ORDER BY <key> [DESC], <tiebreak>"; unknown keys fall back to the first row. */
void qb_order(struct qb *q, const struct sort_key *keys, size_t n, const char *sort,
	      const char *tiebreak);
/* " LIMIT n OFFSET m" from a 1-based page (numbers in the text: see query.c). */
void qb_page(struct qb *q, long page, long page_size);
/* Prepare (through the cache) and bind. */
px_err qb_prepare(struct store *s, struct qb *q, struct store_stmt **st);

/* Reads the current row of st into *out (a struct of the caller's kind), strings into a
 * (or, with a NULL arena, pointing into the statement: see qb_each). */
typedef void row_reader(struct arena *a, struct store_stmt *st, void *out);

/* For row readers: text column i copied into a, or with a NULL arena borrowed from the
 * statement (valid until its next step, as qb_each allows). Inline: the busiest lists
 * read millions of these. */
static inline const char *row_text(struct arena *a, struct store_stmt *st, int i)
{
	size_t n;
	const char *t = store_column_textn(st, i, &n);
	return a ? arena_strndup(a, t, n) : t;
}

/* A row reader for a query of one id column (into an int64_t). */
void row_read_id(struct arena *a, struct store_stmt *st, void *out);

/* One row by id: `sql` has one parameter, the id. PX_ERR_NOT_FOUND when there is none. */
px_err store_get_row(struct store *s, struct arena *a, const char *sql, int64_t id,
		     row_reader *read, void *out);
/* The same by a text key (a user name, a token hash). */
px_err store_get_row_text(struct store *s, struct arena *a, const char *sql, const char *key,
			  row_reader *read, void *out);
/* Run a "SELECT COUNT(*) …" built in q into *total; releases q. */
px_err qb_count(struct store *s, struct qb *q, int64_t *total);
/* Run q and read every row into a new arena array of `size`-byte elements; releases q. */
px_err qb_rows(struct store *s, struct arena *a, struct qb *q, row_reader *read, size_t size,
	       void **items, size_t *n);
/* One page of a list and the count of all its rows: `count` ("SELECT COUNT(*) …") into
 * *total as qb_count, then `page` (the same filters, with order and page) as qb_rows.
 * Releases both. */
px_err qb_list(struct store *s, struct arena *a, struct qb *count, struct qb *page,
	       row_reader *read, size_t size, void **items, size_t *n, int64_t *total);

/* Run q and hand each row to `each` as it is read: `read` gets a NULL arena and may point
 * into the statement's own memory, valid only during the call (no copies: the busiest
 * lists are written straight out). Releases q. */
px_err qb_each(struct store *s, struct qb *q, row_reader *read, void *row,
	       void (*each)(void *ctx, const void *row), void *ctx);

/* LIKE pattern for a substring search: escapes % _ \ and wraps in %…% (arena copy). */
const char *like_contains(struct arena *a, const char *text);

#endif
