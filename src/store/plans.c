/*
 * plans.c — plans and their approvals (年度培训计划, the approval chain). See training.h.
 */
#include "store/training.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/mem.h"
#include "store/list.h"

px_err plans_insert(struct store *s, struct plan *p)
{
	int64_t now = time_now();
	return store_insert_id(s,
			       "INSERT INTO plans (region_id, unit_id, year, title, budget_cents, "
			       "status, step, created_by, created_at, updated_at) "
			       "VALUES (?, ?, ?, ?, ?, 'none', 0, ?, ?, ?) RETURNING id",
			       &p->id, "iIitiIii", p->region_id, p->unit_id, (int64_t)p->year,
			       p->title, p->budget_cents, p->created_by, now, now);
}

#define PLAN_COLUMNS                                                                               \
	"SELECT p.id, p.region_id, COALESCE(p.unit_id, 0), p.year, p.title, p.budget_cents, "      \
	"p.status, p.step, p.version, COALESCE(p.created_by, 0), p.created_at, p.updated_at, "     \
	"g.name, g.path, COALESCE(u.name, ''), COALESCE(u.parent_id, 0), "                         \
	"(SELECT COUNT(*) FROM classes k WHERE k.plan_id = p.id), p.chain_parent"
#define PLAN_FROM                                                                                  \
	" FROM plans p JOIN regions g ON g.id = p.region_id LEFT JOIN units u ON u.id = p.unit_id"
#define PLAN_SELECT PLAN_COLUMNS PLAN_FROM

static void read_plan(struct arena *a, struct store_stmt *st, void *out)
{
	struct plan *p = out;
	p->id = store_column_int64(st, 0);
	p->region_id = store_column_int64(st, 1);
	p->unit_id = store_column_int64(st, 2);
	p->year = (int)store_column_int64(st, 3);
	p->title = row_text(a, st, 4);
	p->budget_cents = store_column_int64(st, 5);
	p->status = row_text(a, st, 6);
	p->step = (int)store_column_int64(st, 7);
	p->version = store_column_int64(st, 8);
	p->created_by = store_column_int64(st, 9);
	p->created_at = store_column_int64(st, 10);
	p->updated_at = store_column_int64(st, 11);
	p->region_name = row_text(a, st, 12);
	p->region_path = row_text(a, st, 13);
	p->unit_name = row_text(a, st, 14);
	p->unit_parent_id = store_column_int64(st, 15);
	p->class_count = store_column_int64(st, 16);
	p->chain_parent = (int)store_column_int64(st, 17);
}

px_err plans_get(struct store *s, struct arena *a, int64_t id, struct plan *out)
{
	return store_get_row(s, a, PLAN_SELECT " WHERE p.id = ?", id, read_plan, out);
}

struct plan_list_query {
	const struct scope_filter *scope;
	int year;
};

static void plan_filters(struct arena *a, struct qb *q, const void *query)
{
	const struct plan_list_query *pq = query;
	const struct scope_filter *f = pq->scope;
	int year = pq->year;
	(void)a;
	if (f->scope == SCOPE_UNIT) {
		qb_where(q, "(p.unit_id = ? OR u.parent_id = ?)");
		qb_arg_int(q, f->unit_id);
		qb_arg_int(q, f->unit_id);
	} else {
		qb_scope(q, f, false);
	}
	if (year) {
		qb_where(q, "p.year = ?");
		qb_arg_int(q, year);
	}
}

static const struct list_spec plan_list = {
	.columns = PLAN_COLUMNS,
	.from = PLAN_FROM,
	.order = "p.year DESC, p.id DESC",
	.filter = plan_filters,
	.read = read_plan,
	.row_size = sizeof(struct plan),
};

px_err plans_list(struct store *s, struct arena *a, const struct scope_filter *f, int year,
		  long page, long page_size, struct plan **items, size_t *n, int64_t *total)
{
	struct plan_list_query q = { f, year };
	struct list_page p = { NULL, page, page_size };
	return store_list(s, a, &plan_list, &q, &p, (void **)items, n, total);
}

px_err plans_update(struct store *s, const struct plan *p, int64_t version)
{
	return store_run(s,
			 "UPDATE plans SET year = ?, title = ?, budget_cents = ?, "
			 "updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
			 PX_ERR_CONFLICT, "itiiii", (int64_t)p->year, p->title, p->budget_cents,
			 time_now(), p->id, version);
}

px_err plans_set_approval(struct store *s, int64_t id, const char *status, int step,
			  int chain_parent, int64_t version)
{
	return store_run(s,
			 "UPDATE plans SET status = ?, step = ?, chain_parent = ?, updated_at = ?, "
			 "version = version + 1 WHERE id = ? AND version = ?",
			 PX_ERR_CONFLICT, "tiiiii", status, (int64_t)step, (int64_t)chain_parent,
			 time_now(), id, version);
}

px_err approvals_add(struct store *s, const char *entity, int64_t entity_id, int step,
		     const char *action, const char *comment, int64_t user_id)
{
	return store_run(s,
			 "INSERT INTO approvals (entity, entity_id, step, action, comment, "
			 "user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			 PX_OK, "tiittIi", entity, entity_id, (int64_t)step, action,
			 comment ? comment : "", user_id, time_now());
}

static void read_approval(struct arena *a, struct store_stmt *st, void *out)
{
	struct approval_entry *e = out;
	e->id = store_column_int64(st, 0);
	e->step = (int)store_column_int64(st, 1);
	e->action = row_text(a, st, 2);
	e->comment = row_text(a, st, 3);
	e->user_name = row_text(a, st, 4);
	e->at = store_column_int64(st, 5);
}

px_err approvals_submitter(struct store *s, const char *entity, int64_t entity_id, int64_t *user_id)
{
	*user_id = 0;
	px_err rc =
		store_query_int64(s,
				  "SELECT COALESCE(user_id, 0) FROM approvals WHERE entity = ? AND "
				  "entity_id = ? AND action = 'submit' ORDER BY id DESC LIMIT 1",
				  user_id, "ti", entity, entity_id);
	return rc == PX_ERR_NOT_FOUND ? PX_OK : rc;
}

px_err approvals_list(struct store *s, struct arena *a, const char *entity, int64_t entity_id,
		      struct approval_entry **items, size_t *n)
{
	struct qb q;
	qb_init(&q, "SELECT ap.id, ap.step, ap.action, ap.comment, COALESCE(us.display_name, ''), "
		    "ap.at FROM approvals ap LEFT JOIN users us ON us.id = ap.user_id "
		    "WHERE ap.entity = ? AND ap.entity_id = ? ORDER BY ap.id");
	qb_arg_text(&q, entity);
	qb_arg_int(&q, entity_id);
	return qb_rows(s, a, &q, read_approval, sizeof **items, (void **)items, n);
}
