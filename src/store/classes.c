/*
 * classes.c — classes (培训班) and their managers. See training.h.
 */
#include "store/training.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/mem.h"
#include "store/list.h"

px_err classes_insert(struct store *s, struct training_class *c, int64_t created_by)
{
	int64_t now = time_now();
	return store_insert_id(
		s,
		"INSERT INTO classes (plan_id, region_id, name, host, location, off_site, "
		"start_date, end_date, capacity, credited_hours, credited_days, kind, status, "
		"approval, step, target_levels, target_categories, batch_of, batch_no, term, "
		"organizer, manager_phone, report_date, report_time, report_place, created_by, "
		"created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		"?, "
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		&c->id, "IitttittiddtttittIittttttIii", c->plan_id, c->region_id, c->name,
		c->host ? c->host : "", c->location ? c->location : "", (int64_t)c->off_site,
		c->start_date, c->end_date, (int64_t)c->capacity, c->credited_hours,
		c->credited_days, c->kind, c->status ? c->status : "draft",
		c->approval ? c->approval : "none", (int64_t)c->step,
		c->target_levels ? c->target_levels : "",
		c->target_categories ? c->target_categories : "", c->batch_of, (int64_t)c->batch_no,
		c->term ? c->term : "", c->organizer ? c->organizer : "",
		c->manager_phone ? c->manager_phone : "", c->report_date,
		c->report_time ? c->report_time : "", c->report_place ? c->report_place : "",
		created_by, now, now);
}

#define CLASS_COLUMNS                                                                              \
	"SELECT k.id, COALESCE(k.plan_id, 0), k.region_id, k.name, k.host, k.location, "           \
	"k.off_site, k.start_date, k.end_date, k.capacity, k.credited_hours, k.credited_days, "    \
	"k.kind, k.status, k.approval, k.step, k.target_levels, k.target_categories, "             \
	"COALESCE(k.batch_of, 0), k.batch_no, k.term, k.version, k.created_at, k.updated_at, "     \
	"g.name, g.path, COALESCE(pl.title, ''), "                                                 \
	"(SELECT COUNT(*) FROM enrollments e WHERE e.class_id = k.id AND e.state NOT IN "          \
	"('withdrawn', 'replaced', 'declined')), "                                                 \
	"(SELECT COUNT(*) FROM class_sessions x WHERE x.class_id = k.id), "                        \
	"(SELECT COUNT(*) FROM class_sessions x WHERE x.class_id = k.id AND x.slot >= 0), "        \
	"(SELECT COALESCE(SUM(x.hours), 0) FROM class_sessions x WHERE x.class_id = k.id), "       \
	"k.organizer, k.manager_phone, k.report_date, k.report_time, k.report_place"
#define CLASS_COUNT_FROM " FROM classes k JOIN regions g ON g.id = k.region_id"
#define CLASS_FROM       CLASS_COUNT_FROM " LEFT JOIN plans pl ON pl.id = k.plan_id"
#define CLASS_SELECT     CLASS_COLUMNS CLASS_FROM

static void read_class(struct arena *a, struct store_stmt *st, void *out)
{
	struct class_row *r = out;
	struct training_class *c = &r->c;
	c->id = store_column_int64(st, 0);
	c->plan_id = store_column_int64(st, 1);
	c->region_id = store_column_int64(st, 2);
	c->name = row_text(a, st, 3);
	c->host = row_text(a, st, 4);
	c->location = row_text(a, st, 5);
	c->off_site = (int)store_column_int64(st, 6);
	snprintf(c->start_date, sizeof c->start_date, "%s", store_column_text(st, 7));
	snprintf(c->end_date, sizeof c->end_date, "%s", store_column_text(st, 8));
	c->capacity = (int)store_column_int64(st, 9);
	c->credited_hours = store_column_double(st, 10);
	c->credited_days = store_column_double(st, 11);
	c->kind = row_text(a, st, 12);
	c->status = row_text(a, st, 13);
	c->approval = row_text(a, st, 14);
	c->step = (int)store_column_int64(st, 15);
	c->target_levels = row_text(a, st, 16);
	c->target_categories = row_text(a, st, 17);
	c->batch_of = store_column_int64(st, 18);
	c->batch_no = (int)store_column_int64(st, 19);
	c->term = row_text(a, st, 20);
	c->version = store_column_int64(st, 21);
	r->created_at = store_column_int64(st, 22);
	r->updated_at = store_column_int64(st, 23);
	r->region_name = row_text(a, st, 24);
	r->region_path = row_text(a, st, 25);
	r->plan_title = row_text(a, st, 26);
	c->enrolled = store_column_int64(st, 27);
	r->session_count = store_column_int64(st, 28);
	r->placed_count = store_column_int64(st, 29);
	r->session_hours = store_column_double(st, 30);
	c->organizer = row_text(a, st, 31);
	c->manager_phone = row_text(a, st, 32);
	snprintf(c->report_date, sizeof c->report_date, "%s", store_column_text(st, 33));
	c->report_time = row_text(a, st, 34);
	c->report_place = row_text(a, st, 35);
}

px_err classes_get(struct store *s, struct arena *a, int64_t id, struct class_row *out)
{
	return store_get_row(s, a, CLASS_SELECT " WHERE k.id = ?", id, read_class, out);
}

static void class_filters(struct arena *a, struct qb *q, const void *query)
{
	const struct class_query *cq = query;
	if (cq->scope.scope == SCOPE_CLASSES) {
		qb_where(q, "k.id IN (SELECT class_id FROM class_managers WHERE user_id = ?)");
		qb_arg_int(q, cq->scope.user_id);
	} else if (cq->scope.scope == SCOPE_REGION) {
		qb_where(q, "g.path LIKE CAST(? AS TEXT) || '%'");
		qb_arg_text(q, cq->scope.region_path);
	} else if (cq->scope.scope == SCOPE_SELF) {
		qb_where(q, "k.id IN (SELECT class_id FROM enrollments WHERE cadre_id = ?)");
		qb_arg_int(q, cq->scope.cadre_id);
	} else if (cq->scope.scope == SCOPE_UNIT) {
		qb_where(q, "k.id IN (SELECT e.class_id FROM enrollments e JOIN cadres c ON c.id = "
			    "e.cadre_id WHERE c.unit_id = ?)");
		qb_arg_int(q, cq->scope.unit_id);
	} else if (cq->scope.scope != SCOPE_ALL) {
		qb_where(q, "1 = 0");
	}
	if (cq->plan_id > 0) {
		qb_where(q, "k.plan_id = ?");
		qb_arg_int(q, cq->plan_id);
	}
	if (cq->term && *cq->term) {
		qb_where(q, "k.term = ?");
		qb_arg_text(q, cq->term);
	}
	if (cq->status && *cq->status) {
		qb_where(q, "k.status = ?");
		qb_arg_text(q, cq->status);
	}
	if (cq->q && *cq->q) {
		qb_where(q, "(k.name LIKE ? ESCAPE '\\' OR k.host LIKE ? ESCAPE '\\')");
		const char *pat = like_contains(a, cq->q);
		qb_arg_text(q, pat);
		qb_arg_text(q, pat);
	}
	if (cq->from && *cq->from) {
		qb_where(q, "k.end_date >= ?");
		qb_arg_text(q, cq->from);
	}
	if (cq->to && *cq->to) {
		qb_where(q, "k.start_date <= ?");
		qb_arg_text(q, cq->to);
	}
}

static const struct list_spec class_list = {
	.columns = CLASS_COLUMNS,
	.from = CLASS_FROM,
	.count_from = CLASS_COUNT_FROM,
	.order = "k.start_date DESC, k.id DESC",
	.filter = class_filters,
	.read = read_class,
	.row_size = sizeof(struct class_row),
};

px_err classes_list(struct store *s, struct arena *a, const struct class_query *cq,
		    struct class_row **items, size_t *n, int64_t *total)
{
	struct list_page page = { NULL, cq->page, cq->page_size };
	return store_list(s, a, &class_list, cq, &page, (void **)items, n, total);
}

px_err classes_update(struct store *s, const struct training_class *c, int64_t version)
{
	return store_run(
		s,
		"UPDATE classes SET plan_id = ?, name = ?, host = ?, location = ?, off_site = ?, "
		"start_date = ?, end_date = ?, capacity = ?, credited_hours = ?, credited_days = "
		"?, kind = ?, status = ?, target_levels = ?, target_categories = ?, batch_no = ?, "
		"term = ?, organizer = ?, manager_phone = ?, report_date = ?, report_time = ?, "
		"report_place = ?, updated_at = ?, version = version + 1 WHERE id = ? AND "
		"version = ?",
		PX_ERR_CONFLICT, "Itttittiddttttittttttiii", c->plan_id, c->name,
		c->host ? c->host : "", c->location ? c->location : "", (int64_t)c->off_site,
		c->start_date, c->end_date, (int64_t)c->capacity, c->credited_hours,
		c->credited_days, c->kind, c->status, c->target_levels ? c->target_levels : "",
		c->target_categories ? c->target_categories : "", (int64_t)c->batch_no,
		c->term ? c->term : "", c->organizer ? c->organizer : "",
		c->manager_phone ? c->manager_phone : "", c->report_date,
		c->report_time ? c->report_time : "", c->report_place ? c->report_place : "",
		time_now(), c->id, version);
}

px_err classes_delete(struct store *s, int64_t id)
{
	return store_run(s, "DELETE FROM classes WHERE id = ?", PX_ERR_NOT_FOUND, "i", id);
}

px_err classes_set_approval(struct store *s, int64_t id, const char *status, int step,
			    int64_t version)
{
	return store_run(s,
			 "UPDATE classes SET approval = ?, step = ?, updated_at = ?, "
			 "version = version + 1 WHERE id = ? AND version = ?",
			 PX_ERR_CONFLICT, "tiiii", status, (int64_t)step, time_now(), id, version);
}

px_err classes_set_plan(struct store *s, int64_t id, int64_t plan_id, int64_t version)
{
	return store_run(s,
			 "UPDATE classes SET plan_id = ?, updated_at = ?, version = version + 1 "
			 "WHERE id = ? AND version = ?",
			 PX_ERR_CONFLICT, "Iiii", plan_id, time_now(), id, version);
}

px_err class_managers_set(struct store *s, int64_t class_id, int64_t user_id)
{
	return store_run(s,
			 "INSERT INTO class_managers (class_id, user_id) VALUES (?, ?) "
			 "ON CONFLICT DO NOTHING",
			 PX_OK, "ii", class_id, user_id);
}

px_err class_managers_remove(struct store *s, int64_t class_id, int64_t user_id)
{
	return store_run(s, "DELETE FROM class_managers WHERE class_id = ? AND user_id = ?", PX_OK,
			 "ii", class_id, user_id);
}

static void read_manager(struct arena *a, struct store_stmt *st, void *out)
{
	struct class_manager *m = out;
	m->user_id = store_column_int64(st, 0);
	m->display_name = row_text(a, st, 1);
	m->active = (int)store_column_int64(st, 2);
}

px_err class_managers_of(struct store *s, struct arena *a, int64_t class_id,
			 struct class_manager **items, size_t *n)
{
	struct qb q;
	qb_init(&q, "SELECT u.id, u.display_name, u.active FROM class_managers m JOIN users u ON "
		    "u.id = m.user_id WHERE m.class_id = ? ORDER BY u.display_name, u.id");
	qb_arg_int(&q, class_id);
	return qb_rows(s, a, &q, read_manager, sizeof **items, (void **)items, n);
}

static void read_managed(struct arena *a, struct store_stmt *st, void *out)
{
	struct managed_class *m = out;
	m->id = store_column_int64(st, 0);
	m->name = row_text(a, st, 1);
	snprintf(m->start_date, sizeof m->start_date, "%s", store_column_text(st, 2));
	snprintf(m->end_date, sizeof m->end_date, "%s", store_column_text(st, 3));
	m->region_path = row_text(a, st, 4);
}

px_err classes_managed_by(struct store *s, struct arena *a, int64_t user_id,
			  struct managed_class **items, size_t *n)
{
	struct qb q;
	qb_init(&q, "SELECT k.id, k.name, k.start_date, k.end_date, g.path FROM class_managers m "
		    "JOIN classes k ON k.id = m.class_id JOIN regions g ON g.id = k.region_id "
		    "WHERE m.user_id = ? ORDER BY k.start_date DESC, k.id DESC");
	qb_arg_int(&q, user_id);
	return qb_rows(s, a, &q, read_managed, sizeof **items, (void **)items, n);
}

px_err class_managed_by(struct store *s, int64_t class_id, int64_t user_id, bool *yes)
{
	int64_t n = 0;
	px_err rc = store_query_int64(
		s, "SELECT COUNT(*) FROM class_managers WHERE class_id = ? AND user_id = ?", &n,
		"ii", class_id, user_id);
	*yes = n > 0;
	return rc;
}

px_err classes_of_term(struct store *s, struct arena *a, const char *term, int64_t **ids, size_t *n)
{
	struct qb q;
	qb_init(&q, "SELECT id FROM classes WHERE term = ? AND term <> '' ORDER BY id");
	qb_arg_text(&q, term);
	return qb_rows(s, a, &q, row_read_id, sizeof **ids, (void **)ids, n);
}
