/*
 * query.c — see query.h.
 */
#include "store/query.h"

#include <stdio.h>
#include <string.h>

void qb_init(struct qb *q, const char *select)
{
	memset(q, 0, sizeof *q);
	buf_init(&q->sql, 16384);
	buf_puts(&q->sql, select);
}

void qb_release(struct qb *q)
{
	buf_release(&q->sql);
}

void qb_where(struct qb *q, const char *cond)
{
	buf_puts(&q->sql, q->has_where ? " AND " : " WHERE ");
	buf_puts(&q->sql, cond);
	q->has_where = true;
}

void qb_arg_int(struct qb *q, int64_t v)
{
	if (q->nargs >= QB_MAX_ARGS) {
		q->err = PX_ERR_INTERNAL;
		return;
	}
	q->args[q->nargs].type = 'i';
	q->args[q->nargs++].i = v;
}

void qb_arg_text(struct qb *q, const char *t)
{
	if (q->nargs >= QB_MAX_ARGS) {
		q->err = PX_ERR_INTERNAL;
		return;
	}
	q->args[q->nargs].type = 't';
	q->args[q->nargs++].t = t;
}

void qb_sql(struct qb *q, const char *sql)
{
	buf_puts(&q->sql, sql);
}

void qb_scope(struct qb *q, const struct scope_filter *f, bool has_cadres)
{
	switch (f->scope) {
	case SCOPE_ALL: break;
	case SCOPE_REGION:
		if (path_successor(f->region_path, q->upper, sizeof q->upper)) {
			qb_where(q, "g.path >= ? AND g.path < ?");
			qb_arg_text(q, f->region_path);
			qb_arg_text(q, q->upper);
		} else { /* no upper bound to be had: the prefix as a pattern (no index) */
			qb_where(q, "g.path LIKE CAST(? AS TEXT) || '%'");
			qb_arg_text(q, f->region_path);
		}
		break;
	case SCOPE_UNIT: /* with cadres, on their own column: its index answers it */
		qb_where(q, has_cadres ? "c.unit_id = ?" : "u.id = ?");
		qb_arg_int(q, f->unit_id);
		break;
	case SCOPE_SELF:
		if (has_cadres) {
			qb_where(q, "c.id = ?");
			qb_arg_int(q, f->cadre_id);
		} else {
			qb_where(q, "u.id = (SELECT unit_id FROM cadres WHERE id = ?)");
			qb_arg_int(q, f->cadre_id);
		}
		break;
	case SCOPE_CLASSES:
		/* Trainees on the rosters of the classes the caller manages. */
		if (has_cadres)
			qb_where(q, "c.id IN (SELECT e.cadre_id FROM enrollments e JOIN "
				    "class_managers m "
				    "ON m.class_id = e.class_id WHERE m.user_id = ?)");
		else
			qb_where(q,
				 "u.id IN (SELECT c2.unit_id FROM enrollments e JOIN "
				 "class_managers m "
				 "ON m.class_id = e.class_id JOIN cadres c2 ON c2.id = e.cadre_id "
				 "WHERE m.user_id = ?)");
		qb_arg_int(q, f->user_id);
		break;
	case SCOPE_NONE: qb_where(q, "1 = 0"); break;
	}
}

bool path_successor(const char *prefix, char *out, size_t size)
{
	size_t n = strlen(prefix);
	if (n >= size)
		return false;
	memcpy(out, prefix, n + 1);
	while (n > 0 && (unsigned char)out[n - 1] == 0xFF)
		out[--n] = '\0';
	if (n == 0)
		return false;
	out[n - 1] = (char)((unsigned char)out[n - 1] + 1);
	return true;
}

void qb_region_subtree(struct qb *q, const char *column, int64_t region_id)
{
	/* a path ends with '/', whose successor is '0': the subtree is [path, path - '/' + '0') */
	char cond[256];
	snprintf(cond, sizeof cond,
		 "%s >= (SELECT path FROM regions WHERE id = ?) AND %s < (SELECT "
		 "substr(path, 1, length(path) - 1) || '0' FROM regions WHERE id = ?)",
		 column, column);
	qb_where(q, cond);
	qb_arg_int(q, region_id);
	qb_arg_int(q, region_id);
}

void qb_order(struct qb *q, const struct sort_key *keys, size_t n, const char *sort,
	      const char *tiebreak)
{
	bool desc = false;
	const struct sort_key *k = &keys[0];
	if (sort && *sort) {
		if (*sort == '-') {
			desc = true;
			sort++;
		}
		for (size_t i = 0; i < n; i++)
			if (!strcmp(keys[i].key, sort)) {
				k = &keys[i];
				break;
			}
	}
	buf_printf(&q->sql, " ORDER BY %s%s, %s%s", k->sql, desc ? " DESC" : "", tiebreak,
		   desc ? " DESC" : "");
}

void qb_page(struct qb *q, long page, long page_size)
{
	/* Numbers in the text, not parameters: PostgreSQL plans a LIMIT it cannot see as a
	 * tenth of the rows, so a prepared page with parameters never got its generic plan and
	 * was planned anew on every execution (a list page: 0.33 ms of planning for 0.15 ms of
	 * work). The text then varies with the page, as cached statements may. */
	if (page < 1)
		page = 1;
	if (page_size < 0)
		page_size = 0;
	buf_printf(&q->sql, " LIMIT %ld OFFSET %lld", page_size,
		   (long long)(page - 1) * (long long)page_size);
}

px_err qb_prepare(struct store *s, struct qb *q, struct store_stmt **st)
{
	if (q->err)
		return q->err;
	if (q->sql.err)
		return q->sql.err;
	px_err rc = store_prepare(s, q->sql.data, st);
	for (int i = 0; !rc && i < q->nargs; i++)
		rc = q->args[i].type == 'i' ? store_bind_int64(*st, i + 1, q->args[i].i)
					    : store_bind_text(*st, i + 1, q->args[i].t);
	if (rc && *st) {
		store_done(*st);
		*st = NULL;
	}
	return rc;
}

const char *like_contains(struct arena *a, const char *text)
{
	size_t n = strlen(text);
	char *p = arena_alloc(a, n * 2 + 3);
	size_t k = 0;
	p[k++] = '%';
	for (size_t i = 0; i < n; i++) {
		if (text[i] == '%' || text[i] == '_' || text[i] == '\\')
			p[k++] = '\\';
		p[k++] = text[i];
	}
	p[k++] = '%';
	p[k] = '\0';
	return p;
}

/* One row by its one parameter: the text key when `text`, else the id. */
static px_err get_row(struct store *s, struct arena *a, const char *sql, bool text, int64_t id,
		      const char *key, row_reader *read, void *out)
{
	struct store_stmt *st;
	px_err rc = store_prepare(s, sql, &st);
	if (rc)
		return rc;
	bool row = false;
	rc = text ? store_bindf(st, "t", key) : store_bindf(st, "i", id);
	if (!rc)
		rc = store_step(st, &row);
	if (!rc && !row)
		rc = PX_ERR_NOT_FOUND;
	if (!rc)
		read(a, st, out);
	store_done(st);
	return rc;
}

px_err store_get_row(struct store *s, struct arena *a, const char *sql, int64_t id,
		     row_reader *read, void *out)
{
	return get_row(s, a, sql, false, id, NULL, read, out);
}

px_err store_get_row_text(struct store *s, struct arena *a, const char *sql, const char *key,
			  row_reader *read, void *out)
{
	return get_row(s, a, sql, true, 0, key, read, out);
}

px_err qb_count(struct store *s, struct qb *q, int64_t *total)
{
	struct store_stmt *st = NULL;
	bool row = false;
	px_err rc = qb_prepare(s, q, &st);
	if (!rc)
		rc = store_step(st, &row);
	*total = !rc && row ? store_column_int64(st, 0) : 0;
	store_done(st);
	qb_release(q);
	return rc;
}

px_err qb_each(struct store *s, struct qb *q, row_reader *read, void *row,
	       void (*each)(void *ctx, const void *row), void *ctx)
{
	struct store_stmt *st = NULL;
	bool more = false;
	px_err rc = qb_prepare(s, q, &st);
	while (!rc && !(rc = store_step(st, &more)) && more) {
		read(NULL, st, row);
		each(ctx, row);
	}
	store_done(st);
	qb_release(q);
	return rc;
}

px_err qb_rows(struct store *s, struct arena *a, struct qb *q, row_reader *read, size_t size,
	       void **items, size_t *n)
{
	struct store_stmt *st = NULL;
	bool row = false;
	size_t cap = 0;
	*items = NULL;
	*n = 0;
	px_err rc = qb_prepare(s, q, &st);
	while (!rc && !(rc = store_step(st, &row)) && row) {
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			void *bigger = arena_alloc(a, ncap * size);
			if (*n)
				memcpy(bigger, *items, *n * size);
			*items = bigger;
			cap = ncap;
		}
		read(a, st, (char *)*items + *n * size);
		(*n)++;
	}
	store_done(st);
	qb_release(q);
	return rc;
}

px_err qb_list(struct store *s, struct arena *a, struct qb *count, struct qb *page,
	       row_reader *read, size_t size, void **items, size_t *n, int64_t *total)
{
	*items = NULL;
	*n = 0;
	px_err rc = qb_count(s, count, total);
	if (rc) {
		qb_release(page);
		return rc;
	}
	return qb_rows(s, a, page, read, size, items, n);
}

void row_read_id(struct arena *a, struct store_stmt *st, void *out)
{
	(void)a;
	*(int64_t *)out = store_column_int64(st, 0);
}
