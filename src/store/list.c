/*
 * list.c — the skeleton of every paged list (see list.h).
 */
#include "store/list.h"

px_err store_list(struct store *s, struct arena *a, const struct list_spec *spec, const void *query,
		  const struct list_page *page, void **items, size_t *n, int64_t *total)
{
	struct qb count, rows;
	qb_init(&count, "SELECT COUNT(*)");
	qb_sql(&count, spec->count_from ? spec->count_from : spec->from);
	qb_init(&rows, spec->columns);
	qb_sql(&rows, spec->from);
	if (spec->filter) {
		spec->filter(a, &count, query);
		spec->filter(a, &rows, query);
	}
	if (spec->n_sorts) {
		qb_order(&rows, spec->sorts, spec->n_sorts, page->sort, spec->tiebreak);
	} else {
		qb_sql(&rows, " ORDER BY ");
		qb_sql(&rows, spec->order);
	}
	qb_page(&rows, page->page, page->page_size);
	return qb_list(s, a, &count, &rows, spec->read, spec->row_size, items, n, total);
}
