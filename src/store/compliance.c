/*
 * compliance.c — the dashboard's SQL over the compliance rows (see compliance.h).
 *
 * The status of a row on a day is one SQL expression (status_sql), the same text on both
 * databases, that reads the row's numbers the way req_standing() does:
 *
 *   met_on set                      → met
 *   cut set and today ≥ cut         → left
 *   today > end_day                 → overdue
 *   got × len ≥ req × elapsed       → on track (days or hours; classes rounded:
 *                                     got × len × 2 ≥ req × elapsed × 2 − len)
 *   else                            → behind
 *
 * with len = end_day − start_day + 1 and elapsed = today − start_day + 1 (0 before the
 * span; it cannot pass len, the span's end being the row's end). Everything is integers —
 * day numbers and hundredths — so the two databases cannot round differently. `today` is
 * written into the text as a number (and the cut compared with its YYYY-MM-DD), as qb_page
 * writes its numbers: it is the server's, never a user's text, and it keeps the
 * statement's parameters for the filters.
 */
#include "store/compliance.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "store/query.h"

#define COMPLIANCE_FROM                                                                            \
	" FROM compliance k JOIN cadres c ON c.id = k.cadre_id JOIN units u ON u.id = k.unit_id "  \
	"JOIN regions g ON g.id = u.region_id"

/* Window keys a selector may name as an IN list; more (many rule codes) are not read. */
#define MAX_KEYS 12

static void status_sql(struct qb *q, int32_t today)
{
	char day[11], elapsed[96];
	date_format(today, day);
	snprintf(elapsed, sizeof elapsed,
		 "(CASE WHEN %d < k.start_day THEN 0 ELSE %d - k.start_day + 1 END)", (int)today,
		 (int)today);
	const char *len = "(k.end_day - k.start_day + 1)";
	buf_printf(
		&q->sql,
		"CASE WHEN k.met_on <> '' THEN %d"
		" WHEN k.cut <> '' AND k.cut <= '%s' THEN %d"
		" WHEN %d > k.end_day THEN %d"
		" WHEN (k.req_centi_days > 0 AND k.got_centi_days * %s >= k.req_centi_days * %s)"
		" OR (k.req_centi_hours > 0 AND k.got_centi_hours * %s >= k.req_centi_hours * %s)"
		" OR (k.req_classes > 0 AND k.got_classes * %s * 2 >= k.req_classes * %s * 2 - %s)"
		" THEN %d ELSE %d END",
		REQ_MET, day, REQ_LEFT, (int)today, REQ_OVERDUE, len, elapsed, len, elapsed, len,
		elapsed, len, REQ_ON_TRACK, REQ_BEHIND);
}

/* The first year of the period of rule (first, years) that holds `year`. */
static int period_start(int first, int years, int year)
{
	if (years < 1)
		years = 1;
	int d = year - first;
	int k = d >= 0 ? d / years : -((-d + years - 1) / years);
	return first + k * years;
}

static void add_key(struct arena *a, const char **keys, size_t *n, const char *kind, int year,
		    const char *code)
{
	const char *key = arena_printf(a, "%s:%d:%s", kind, year, code);
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(keys[i], key))
			return;
	if (*n < MAX_KEYS)
		keys[(*n)++] = key;
}

/* The keys of a year's or a period's windows: every rule of that window kind and hours,
 * the built-in ones and those of any region's versions. */
static px_err window_keys(struct store *s, struct arena *a, const struct compliance_query *cq,
			  const char **keys, size_t *n)
{
	*n = 0;
	const struct req_version *d = &req_defaults_2023;
	for (size_t i = 0; i < d->n; i++) {
		const struct req_rule *r = &d->rules[i];
		if (strcmp(r->window_kind, cq->window_kind) ||
		    strcmp(r->hours_kind, cq->hours_kind))
			continue;
		bool period = !strcmp(r->window_kind, "period");
		add_key(a, keys, n, r->window_kind,
			period ? period_start(r->period_first_year, r->period_years, cq->year)
			       : cq->year,
			r->code);
	}
	struct store_stmt *st;
	px_err rc = store_prepare(s,
				  "SELECT DISTINCT code, period_years, period_first_year FROM "
				  "requirement_rules WHERE window_kind = ? AND hours_kind = ?",
				  &st);
	if (rc)
		return rc;
	bool row = false;
	rc = store_bindf(st, "tt", cq->window_kind, cq->hours_kind);
	bool period = !strcmp(cq->window_kind, "period");
	while (!rc && !(rc = store_step(st, &row)) && row)
		add_key(a, keys, n, cq->window_kind,
			period ? period_start((int)store_column_int64(st, 2),
					      (int)store_column_int64(st, 1), cq->year)
			       : cq->year,
			store_column_text(st, 0));
	store_done(st);
	return rc;
}

/* The promotions of the years [from, to): a range of keys. "promotion:2024-" ≤ every key of
 * a promotion in 2024 < "promotion:2025-", whether the database compares bytes or, as a
 * locale's collation may, letters and digits first. */
static void promotion_range(struct qb *q, struct arena *a, int from, int to)
{
	qb_where(q, "k.window_key >= ? AND k.window_key < ?");
	qb_arg_text(q, arena_printf(a, "promotion:%04d-", from));
	qb_arg_text(q, arena_printf(a, "promotion:%04d-", to));
}

/* The filters of q besides the window: scope, region, unit, unit type, category, rank. */
static void common_filters(struct qb *q, const struct compliance_query *cq)
{
	qb_scope(q, &cq->scope, true);
	if (cq->region_id > 0)
		qb_region_subtree(q, "g.path", cq->region_id);
	if (cq->unit_id > 0) {
		qb_where(q, "k.unit_id = ?");
		qb_arg_int(q, cq->unit_id);
	}
	if (cq->unit_type && *cq->unit_type) {
		qb_where(q, "u.type = ?");
		qb_arg_text(q, cq->unit_type);
	}
	if (cq->category && *cq->category) {
		qb_where(q, "c.category = ?");
		qb_arg_text(q, cq->category);
	}
	if (cq->rank_level && *cq->rank_level) {
		qb_where(q, "c.rank_level = ?");
		qb_arg_text(q, cq->rank_level);
	}
}

/* The window, its hours and the filters. */
static px_err filters(struct store *s, struct arena *a, struct qb *q,
		      const struct compliance_query *cq)
{
	if (!strcmp(cq->window_kind, "promotion")) {
		promotion_range(q, a, cq->year, cq->year + 1);
	} else {
		const char *keys[MAX_KEYS];
		size_t n = 0;
		px_err rc = window_keys(s, a, cq, keys, &n);
		if (rc)
			return rc;
		if (n == 0) {
			qb_where(q, "1 = 0");
		} else {
			struct buf in = BUF_INIT(0);
			buf_puts(&in, "k.window_key IN (");
			for (size_t i = 0; i < n; i++) {
				buf_puts(&in, i ? ", ?" : "?");
				qb_arg_text(q, keys[i]);
			}
			buf_puts(&in, ")");
			qb_where(q, in.data);
			buf_release(&in);
		}
		qb_where(q, "k.hours_kind = ?");
		qb_arg_text(q, cq->hours_kind);
	}
	common_filters(q, cq);
	return PX_OK;
}

static void read_group(struct arena *a, struct store_stmt *st, void *out)
{
	struct compliance_group *g = out;
	memset(g, 0, sizeof *g);
	g->unit_id = store_column_int64(st, 0);
	g->unit_name = row_text(a, st, 1);
	g->unit_type = row_text(a, st, 2);
	g->region_path = row_text(a, st, 3);
	g->category = row_text(a, st, 4);
	g->rank_level = row_text(a, st, 5);
	g->is_head = (int)store_column_int64(st, 6);
	int64_t status = store_column_int64(st, 7);
	if (status >= 0 && status < COMPLIANCE_STATUSES)
		g->count[status] = store_column_int64(st, 8);
	g->max_req_centi_hours = store_column_int64(st, 9);
}

px_err compliance_groups(struct store *s, struct arena *a, const struct compliance_query *cq,
			 struct compliance_group **out, size_t *n)
{
	struct qb q;
	qb_init(&q, "SELECT k.unit_id, u.name, u.type, g.path, c.category, c.rank_level, "
		    "c.is_head, ");
	status_sql(&q, cq->today);
	qb_sql(&q, ", COUNT(*), MAX(k.req_centi_hours)");
	qb_sql(&q, COMPLIANCE_FROM);
	px_err rc = filters(s, a, &q, cq);
	if (rc) {
		qb_release(&q);
		return rc;
	}
	qb_sql(&q, " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 5, 6, 7, 8");
	/* one row per status: fold them into one group per combination */
	void *items;
	size_t rows;
	rc = qb_rows(s, a, &q, read_group, sizeof(struct compliance_group), &items, &rows);
	if (rc)
		return rc;
	struct compliance_group *g = items;
	size_t k = 0;
	for (size_t i = 0; i < rows; i++) {
		struct compliance_group *p = k ? &g[k - 1] : NULL;
		if (p && p->unit_id == g[i].unit_id && !strcmp(p->category, g[i].category) &&
		    !strcmp(p->rank_level, g[i].rank_level) && p->is_head == g[i].is_head) {
			for (int st = 0; st < COMPLIANCE_STATUSES; st++)
				p->count[st] += g[i].count[st];
			if (g[i].max_req_centi_hours > p->max_req_centi_hours)
				p->max_req_centi_hours = g[i].max_req_centi_hours;
		} else {
			g[k++] = g[i];
		}
	}
	*out = g;
	*n = k;
	return PX_OK;
}

px_err compliance_histogram(struct store *s, const struct compliance_query *cq,
			    const int64_t *edges, size_t n_edges, int64_t *counts)
{
	if (n_edges > 8)
		return PX_ERR_INTERNAL;
	memset(counts, 0, (n_edges + 2) * sizeof *counts);
	struct arena a;
	arena_init(&a);
	struct qb q;
	qb_init(&q, "SELECT CASE WHEN k.got_centi_hours <= 0 THEN 0");
	for (size_t i = 0; i < n_edges; i++)
		buf_printf(&q.sql, " WHEN k.got_centi_hours < %lld THEN %zu", (long long)edges[i],
			   i + 1);
	buf_printf(&q.sql, " ELSE %zu END, COUNT(*)", n_edges + 1);
	qb_sql(&q, COMPLIANCE_FROM);
	px_err rc = filters(s, &a, &q, cq);
	if (!rc) {
		qb_sql(&q, " GROUP BY 1");
		struct store_stmt *st = NULL;
		bool row = false;
		rc = qb_prepare(s, &q, &st);
		while (!rc && !(rc = store_step(st, &row)) && row) {
			int64_t bin = store_column_int64(st, 0);
			if (bin >= 0 && (size_t)bin <= n_edges + 1)
				counts[bin] = store_column_int64(st, 1);
		}
		store_done(st);
	}
	qb_release(&q);
	arena_release(&a);
	return rc;
}

px_err compliance_promotions_open(struct store *s, const struct compliance_query *cq, int64_t *open,
				  int64_t *unmet)
{
	struct arena a;
	arena_init(&a);
	char day[11];
	date_format(cq->today, day);
	int y, m, d;
	date_to_ymd(cq->today, &y, &m, &d);
	struct qb q;
	qb_init(&q, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN k.met_on = '' AND (k.cut = '' OR "
		    "k.cut > ?) THEN 1 ELSE 0 END), 0)");
	qb_arg_text(&q, day);
	qb_sql(&q, COMPLIANCE_FROM);
	/* a promotion's window is its year: one open today began this year or the last */
	promotion_range(&q, &a, y - 1, y + 1);
	qb_where(&q, "k.start_day <= ? AND k.end_day >= ?");
	qb_arg_int(&q, cq->today);
	qb_arg_int(&q, cq->today);
	common_filters(&q, cq);
	struct store_stmt *st = NULL;
	bool row = false;
	px_err rc = qb_prepare(s, &q, &st);
	if (!rc)
		rc = store_step(st, &row);
	*open = !rc && row ? store_column_int64(st, 0) : 0;
	*unmet = !rc && row ? store_column_int64(st, 1) : 0;
	store_done(st);
	qb_release(&q);
	arena_release(&a);
	return rc;
}

/* The inner select of the behind list: its columns with the status and what is missing. */
static px_err behind_select(struct store *s, struct arena *a, struct qb *q,
			    const struct compliance_query *cq, const char *outer,
			    const char *status)
{
	qb_init(q, outer);
	qb_sql(q, " FROM (SELECT k.cadre_id, c.name, u.name AS unit_name, c.post, c.rank_level, "
		  "c.category, k.rule_code, k.window_key, ");
	status_sql(q, cq->today);
	qb_sql(q, " AS st, k.req_centi_days, k.req_centi_hours, k.got_centi_days, "
		  "k.got_centi_hours, k.req_classes, k.got_classes, k.end_day, k.cut, "
		  "CASE WHEN k.req_centi_hours > k.got_centi_hours THEN k.req_centi_hours - "
		  "k.got_centi_hours ELSE 0 END AS mh, "
		  "CASE WHEN k.req_centi_days > k.got_centi_days THEN k.req_centi_days - "
		  "k.got_centi_days ELSE 0 END AS md");
	qb_sql(q, COMPLIANCE_FROM);
	px_err rc = filters(s, a, q, cq);
	if (status && !strcmp(status, "behind"))
		buf_printf(&q->sql, ") x WHERE x.st = %d", REQ_BEHIND);
	else if (status && !strcmp(status, "overdue"))
		buf_printf(&q->sql, ") x WHERE x.st = %d", REQ_OVERDUE);
	else
		buf_printf(&q->sql, ") x WHERE x.st IN (%d, %d)", REQ_BEHIND, REQ_OVERDUE);
	return rc;
}

static void read_behind(struct arena *a, struct store_stmt *st, void *out)
{
	struct compliance_behind *b = out;
	b->cadre_id = store_column_int64(st, 0);
	b->name = row_text(a, st, 1);
	b->unit_name = row_text(a, st, 2);
	b->post = row_text(a, st, 3);
	b->rank_level = row_text(a, st, 4);
	b->category = row_text(a, st, 5);
	b->rule_code = row_text(a, st, 6);
	b->window_key = row_text(a, st, 7);
	b->status = (enum req_status)store_column_int64(st, 8);
	b->req_centi_days = store_column_int64(st, 9);
	b->req_centi_hours = store_column_int64(st, 10);
	b->got_centi_days = store_column_int64(st, 11);
	b->got_centi_hours = store_column_int64(st, 12);
	b->req_classes = (int)store_column_int64(st, 13);
	b->got_classes = (int)store_column_int64(st, 14);
	int32_t end = (int32_t)store_column_int64(st, 15);
	const char *cut = store_column_text(st, 16);
	int32_t cut_day = cut && *cut ? date_parse(cut, strlen(cut)) : DATE_NONE;
	b->deadline = cut_day != DATE_NONE ? cut_day : end;
	b->missing_centi_hours = store_column_int64(st, 17);
	b->missing_centi_days = store_column_int64(st, 18);
	b->missing_classes = b->req_classes > b->got_classes ? b->req_classes - b->got_classes : 0;
}

px_err compliance_behind_list(struct store *s, struct arena *a, const struct compliance_query *cq,
			      const char *status, long page, long page_size,
			      struct compliance_behind **out, size_t *n, int64_t *total)
{
	struct qb count, rows;
	px_err rc = behind_select(s, a, &count, cq, "SELECT COUNT(*)", status);
	px_err rr = behind_select(s, a, &rows, cq, "SELECT x.*", status);
	if (rc || rr) {
		qb_release(&count);
		qb_release(&rows);
		return rc ? rc : rr;
	}
	qb_sql(&rows, " ORDER BY x.mh DESC, x.md DESC, x.cadre_id, x.window_key");
	qb_page(&rows, page, page_size);
	void *items;
	rc = qb_list(s, a, &count, &rows, read_behind, sizeof(struct compliance_behind), &items, n,
		     total);
	*out = items;
	return rc;
}

static void read_region(struct arena *a, struct store_stmt *st, void *out)
{
	struct compliance_region *r = out;
	r->id = store_column_int64(st, 0);
	r->name = row_text(a, st, 1);
	r->path = row_text(a, st, 2);
}

px_err compliance_child_regions(struct store *s, struct arena *a, int64_t parent_id,
				struct compliance_region **out, size_t *n)
{
	struct qb q;
	qb_init(&q, "SELECT id, name, path FROM regions WHERE ");
	if (parent_id > 0) {
		qb_sql(&q, "parent_id = ?");
		qb_arg_int(&q, parent_id);
	} else { /* the shell's scope: the roots */
		qb_sql(&q, "parent_id IS NULL");
	}
	qb_sql(&q, " ORDER BY sort_order, id");
	void *items;
	px_err rc = qb_rows(s, a, &q, read_region, sizeof(struct compliance_region), &items, n);
	*out = items;
	return rc;
}
