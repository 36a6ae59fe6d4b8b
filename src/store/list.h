/*
 * list.h — the one skeleton of every paged list of the repositories.
 *
 * A list is always the same two statements: the count of every matching row, then one page
 * of them in a total order. Both carry the same filters, so a repository writes them once,
 * as a filter function over its own query struct, and describes the rest as data: which
 * columns it reads (and how, a row reader), from which tables, in which orders. store_list
 * builds and runs both statements from that description:
 *
 *	SELECT COUNT(*) <count_from> <filters>
 *	<columns> <from> <filters> ORDER BY <sort key or fixed order> LIMIT ? OFFSET ?
 *
 * A list that lets the caller choose its order names its sort keys (a whitelist: `?sort=-x`
 * can only pick one of them, descending with '-'; an unknown key falls back to the first)
 * and a tiebreak that makes the order total; a list whose order is fixed gives it as text
 * and ignores the caller's sort.
 */
#ifndef PX_STORE_LIST_H
#define PX_STORE_LIST_H

#include "store/query.h"

/* Add the WHERE conditions of `query` (the repository's own query struct) to q. Called once
 * for the count and once for the page, so it must add the same conditions both times. */
typedef void list_filter_fn(struct arena *a, struct qb *q, const void *query);

struct list_spec {
	const char *columns;          /* "SELECT u.id, u.name, …" */
	const char *from;             /* " FROM units u JOIN regions g ON g.id = u.region_id" */
	const char *count_from;       /* the count's FROM when it needs fewer joins; NULL: from */
	const struct sort_key *sorts; /* the keys the caller may sort by, or NULL */
	size_t n_sorts;
	const char *tiebreak;   /* with sorts: the last key, unique ("u.id") */
	const char *order;      /* without sorts: the fixed order ("p.year DESC, p.id DESC") */
	list_filter_fn *filter; /* NULL: every row */
	row_reader *read;       /* one row into a struct of row_size bytes */
	size_t row_size;
};

/* Which page, in which order. */
struct list_page {
	const char *sort; /* a key of the spec's sorts, '-' first for descending; NULL: default */
	long page;        /* 1-based */
	long page_size;
};

/*
 * One page of the list `spec` filtered by `query`: *items (a new array of *n rows of
 * spec->row_size bytes in the arena, strings too) and *total, the count of every matching
 * row. PX_ERR_INTERNAL when the filters need more parameters than a qb holds.
 */
px_err store_list(struct store *s, struct arena *a, const struct list_spec *spec, const void *query,
		  const struct list_page *page, void **items, size_t *n, int64_t *total);

#endif
