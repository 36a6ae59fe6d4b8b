/*
 * training.c — plans, approvals, classes, experts, rooms, sessions, rosters and jobs.
 * See training.h.
 */
#include "store/training.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/mem.h"
#include "store/query.h"

/* ---- plans ---- */

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

#define PLAN_SELECT                                                                                \
	"SELECT p.id, p.region_id, COALESCE(p.unit_id, 0), p.year, p.title, p.budget_cents, "      \
	"p.status, p.step, p.version, COALESCE(p.created_by, 0), p.created_at, p.updated_at, "     \
	"g.name, g.path, COALESCE(u.name, ''), COALESCE(u.parent_id, 0), "                         \
	"(SELECT COUNT(*) FROM classes k WHERE k.plan_id = p.id), p.chain_parent "                 \
	"FROM plans p JOIN regions g ON g.id = p.region_id LEFT JOIN units u ON u.id = p.unit_id"

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

static void plan_filters(struct qb *q, const struct scope_filter *f, int year)
{
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

px_err plans_list(struct store *s, struct arena *a, const struct scope_filter *f, int year,
		  long page, long page_size, struct plan **items, size_t *n, int64_t *total)
{
	struct qb count, rows;
	qb_init(&count, "SELECT COUNT(*) FROM plans p JOIN regions g ON g.id = p.region_id "
			"LEFT JOIN units u ON u.id = p.unit_id");
	plan_filters(&count, f, year);
	qb_init(&rows, PLAN_SELECT);
	plan_filters(&rows, f, year);
	qb_sql(&rows, " ORDER BY p.year DESC, p.id DESC");
	qb_page(&rows, page, page_size);
	return qb_list(s, a, &count, &rows, read_plan, sizeof **items, (void **)items, n, total);
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

/* ---- classes ---- */

px_err classes_insert(struct store *s, struct training_class *c, int64_t created_by)
{
	int64_t now = time_now();
	return store_insert_id(
		s,
		"INSERT INTO classes (plan_id, region_id, name, host, location, off_site, "
		"start_date, "
		"end_date, capacity, credited_hours, credited_days, kind, status, approval, step, "
		"target_levels, target_categories, batch_of, batch_no, term, created_by, "
		"created_at, "
		"updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		"?, ?, "
		"?) RETURNING id",
		&c->id, "IitttittiddtttittIitIii", c->plan_id, c->region_id, c->name,
		c->host ? c->host : "", c->location ? c->location : "", (int64_t)c->off_site,
		c->start_date, c->end_date, (int64_t)c->capacity, c->credited_hours,
		c->credited_days, c->kind, c->status ? c->status : "draft",
		c->approval ? c->approval : "none", (int64_t)c->step,
		c->target_levels ? c->target_levels : "",
		c->target_categories ? c->target_categories : "", c->batch_of, (int64_t)c->batch_no,
		c->term ? c->term : "", created_by, now, now);
}

#define CLASS_SELECT                                                                               \
	"SELECT k.id, COALESCE(k.plan_id, 0), k.region_id, k.name, k.host, k.location, "           \
	"k.off_site, k.start_date, k.end_date, k.capacity, k.credited_hours, k.credited_days, "    \
	"k.kind, k.status, k.approval, k.step, k.target_levels, k.target_categories, "             \
	"COALESCE(k.batch_of, 0), k.batch_no, k.term, k.version, k.created_at, k.updated_at, "     \
	"g.name, g.path, COALESCE(pl.title, ''), "                                                 \
	"(SELECT COUNT(*) FROM enrollments e WHERE e.class_id = k.id AND e.state NOT IN "          \
	"('withdrawn', 'replaced', 'declined')), "                                                 \
	"(SELECT COUNT(*) FROM class_sessions x WHERE x.class_id = k.id), "                        \
	"(SELECT COUNT(*) FROM class_sessions x WHERE x.class_id = k.id AND x.slot >= 0) "         \
	"FROM classes k JOIN regions g ON g.id = k.region_id LEFT JOIN plans pl ON pl.id = "       \
	"k.plan_id"

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
}

px_err classes_get(struct store *s, struct arena *a, int64_t id, struct class_row *out)
{
	return store_get_row(s, a, CLASS_SELECT " WHERE k.id = ?", id, read_class, out);
}

static void class_filters(struct arena *a, struct qb *q, const struct class_query *cq)
{
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

px_err classes_list(struct store *s, struct arena *a, const struct class_query *cq,
		    struct class_row **items, size_t *n, int64_t *total)
{
	struct qb count, rows;
	qb_init(&count, "SELECT COUNT(*) FROM classes k JOIN regions g ON g.id = k.region_id");
	class_filters(a, &count, cq);
	qb_init(&rows, CLASS_SELECT);
	class_filters(a, &rows, cq);
	qb_sql(&rows, " ORDER BY k.start_date DESC, k.id DESC");
	qb_page(&rows, cq->page, cq->page_size);
	return qb_list(s, a, &count, &rows, read_class, sizeof **items, (void **)items, n, total);
}

px_err classes_update(struct store *s, const struct training_class *c, int64_t version)
{
	return store_run(
		s,
		"UPDATE classes SET plan_id = ?, name = ?, host = ?, location = ?, off_site = ?, "
		"start_date = ?, end_date = ?, capacity = ?, credited_hours = ?, credited_days = "
		"?, "
		"kind = ?, status = ?, target_levels = ?, target_categories = ?, batch_no = ?, "
		"term = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
		PX_ERR_CONFLICT, "Itttittiddttttitiii", c->plan_id, c->name, c->host ? c->host : "",
		c->location ? c->location : "", (int64_t)c->off_site, c->start_date, c->end_date,
		(int64_t)c->capacity, c->credited_hours, c->credited_days, c->kind, c->status,
		c->target_levels ? c->target_levels : "",
		c->target_categories ? c->target_categories : "", (int64_t)c->batch_no,
		c->term ? c->term : "", time_now(), c->id, version);
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

px_err class_managers_set(struct store *s, int64_t class_id, int64_t user_id)
{
	return store_run(s,
			 "INSERT INTO class_managers (class_id, user_id) VALUES (?, ?) "
			 "ON CONFLICT DO NOTHING",
			 PX_OK, "ii", class_id, user_id);
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

static void read_id(struct arena *a, struct store_stmt *st, void *out)
{
	(void)a;
	*(int64_t *)out = store_column_int64(st, 0);
}

px_err classes_of_term(struct store *s, struct arena *a, const char *term, int64_t **ids, size_t *n)
{
	struct qb q;
	qb_init(&q, "SELECT id FROM classes WHERE term = ? AND term <> '' ORDER BY id");
	qb_arg_text(&q, term);
	return qb_rows(s, a, &q, read_id, sizeof **ids, (void **)ids, n);
}

/* ---- experts ---- */

px_err experts_insert(struct store *s, struct expert *e)
{
	int64_t now = time_now();
	return store_insert_id(s,
			       "INSERT INTO experts (region_id, name, institution, title, topics, "
			       "bio, availability, created_at, updated_at) "
			       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			       &e->id, "Ittttttii", e->region_id, e->name,
			       e->institution ? e->institution : "", e->title ? e->title : "",
			       e->topics ? e->topics : "", e->bio ? e->bio : "",
			       e->availability ? e->availability : "open", now, now);
}

#define EXPERT_SELECT                                                                              \
	"SELECT id, COALESCE(region_id, 0), name, institution, title, topics, bio, availability, " \
	"version FROM experts"

static void read_expert(struct arena *a, struct store_stmt *st, void *out)
{
	struct expert *e = out;
	e->id = store_column_int64(st, 0);
	e->region_id = store_column_int64(st, 1);
	e->name = row_text(a, st, 2);
	e->institution = row_text(a, st, 3);
	e->title = row_text(a, st, 4);
	e->topics = row_text(a, st, 5);
	e->bio = row_text(a, st, 6);
	e->availability = row_text(a, st, 7);
	e->version = store_column_int64(st, 8);
}

px_err experts_get(struct store *s, struct arena *a, int64_t id, struct expert *out)
{
	return store_get_row(s, a, EXPERT_SELECT " WHERE id = ?", id, read_expert, out);
}

/* pat: a LIKE pattern (like_contains) or NULL */
static void expert_filters(struct qb *q, const char *pat)
{
	if (pat) {
		qb_where(q, "(name LIKE ? ESCAPE '\\' OR institution LIKE ? ESCAPE '\\' OR "
			    "topics LIKE ? ESCAPE '\\')");
		qb_arg_text(q, pat);
		qb_arg_text(q, pat);
		qb_arg_text(q, pat);
	}
}

px_err experts_list(struct store *s, struct arena *a, const char *q, long page, long page_size,
		    struct expert **items, size_t *n, int64_t *total)
{
	const char *pat = q && *q ? like_contains(a, q) : NULL;
	struct qb count, rows;
	qb_init(&count, "SELECT COUNT(*) FROM experts");
	expert_filters(&count, pat);
	qb_init(&rows, EXPERT_SELECT);
	expert_filters(&rows, pat);
	qb_sql(&rows, " ORDER BY id");
	qb_page(&rows, page, page_size);
	return qb_list(s, a, &count, &rows, read_expert, sizeof **items, (void **)items, n, total);
}

px_err experts_update(struct store *s, const struct expert *e, int64_t version)
{
	return store_run(s,
			 "UPDATE experts SET name = ?, institution = ?, title = ?, "
			 "topics = ?, bio = ?, availability = ?, updated_at = ?, "
			 "version = version + 1 WHERE id = ? AND version = ?",
			 PX_ERR_CONFLICT, "ttttttiii", e->name,
			 e->institution ? e->institution : "", e->title ? e->title : "",
			 e->topics ? e->topics : "", e->bio ? e->bio : "",
			 e->availability ? e->availability : "open", time_now(), e->id, version);
}

px_err expert_slots_set(struct store *s, int64_t expert_id, const struct expert_slot *slots,
			size_t n)
{
	px_err rc =
		store_run(s, "DELETE FROM expert_slots WHERE expert_id = ?", PX_OK, "i", expert_id);
	for (size_t i = 0; !rc && i < n; i++)
		rc = store_run(s,
			       "INSERT INTO expert_slots (expert_id, day, slot) VALUES (?, ?, ?) "
			       "ON CONFLICT DO NOTHING",
			       PX_OK, "iti", expert_id, slots[i].day, (int64_t)slots[i].slot);
	return rc;
}

static void read_slot(struct arena *a, struct store_stmt *st, void *out)
{
	(void)a;
	struct expert_slot *e = out;
	e->expert_id = store_column_int64(st, 0);
	snprintf(e->day, sizeof e->day, "%s", store_column_text(st, 1));
	e->slot = (int)store_column_int64(st, 2);
}

px_err expert_slots_get(struct store *s, struct arena *a, int64_t expert_id,
			struct expert_slot **out, size_t *n)
{
	struct qb q;
	qb_init(&q, "SELECT expert_id, day, slot FROM expert_slots WHERE expert_id = ? "
		    "ORDER BY day, slot");
	qb_arg_int(&q, expert_id);
	return qb_rows(s, a, &q, read_slot, sizeof **out, (void **)out, n);
}

/* ---- rooms ---- */

px_err rooms_insert(struct store *s, struct room *r)
{
	int64_t now = time_now();
	return store_insert_id(s,
			       "INSERT INTO rooms (region_id, site, name, capacity, kind, "
			       "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
			       "ON CONFLICT DO NOTHING RETURNING id",
			       &r->id, "Ittitii", r->region_id, r->site, r->name,
			       (int64_t)r->capacity, r->kind, now, now);
}

#define ROOM_SELECT                                                                                \
	"SELECT id, COALESCE(region_id, 0), site, name, capacity, kind, version FROM rooms"

static void read_room(struct arena *a, struct store_stmt *st, void *out)
{
	struct room *r = out;
	r->id = store_column_int64(st, 0);
	r->region_id = store_column_int64(st, 1);
	r->site = row_text(a, st, 2);
	r->name = row_text(a, st, 3);
	r->capacity = (int)store_column_int64(st, 4);
	r->kind = row_text(a, st, 5);
	r->version = store_column_int64(st, 6);
}

px_err rooms_get(struct store *s, struct arena *a, int64_t id, struct room *out)
{
	return store_get_row(s, a, ROOM_SELECT " WHERE id = ?", id, read_room, out);
}

px_err rooms_list(struct store *s, struct arena *a, const char *site, long page, long page_size,
		  struct room **items, size_t *n, int64_t *total)
{
	struct qb count, rows;
	qb_init(&count, "SELECT COUNT(*) FROM rooms");
	qb_init(&rows, ROOM_SELECT);
	if (site && *site) {
		qb_where(&count, "site = ?");
		qb_arg_text(&count, site);
		qb_where(&rows, "site = ?");
		qb_arg_text(&rows, site);
	}
	/* within a site and kind, as the office entered them (第一、第二 …研讨室: names sort
	 * by code point, not as people count) */
	qb_sql(&rows, " ORDER BY site, kind, id");
	qb_page(&rows, page, page_size);
	return qb_list(s, a, &count, &rows, read_room, sizeof **items, (void **)items, n, total);
}

px_err rooms_update(struct store *s, const struct room *r, int64_t version)
{
	return store_run(s,
			 "UPDATE rooms SET site = ?, name = ?, capacity = ?, kind = ?, "
			 "updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
			 PX_ERR_CONFLICT, "ttitiii", r->site, r->name, (int64_t)r->capacity,
			 r->kind, time_now(), r->id, version);
}

/* ---- sessions ---- */

px_err sessions_insert_class(struct store *s, struct tsession *t)
{
	int64_t now = time_now();
	return store_insert_id(
		s,
		"INSERT INTO class_sessions (class_id, kind, topic, description, hours, room_kind, "
		"groups, preferred_slot, day, slot, start_time, end_time, room_id, pinned, "
		"sort_order, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		"?, "
		"?, ?, ?, ?) RETURNING id",
		&t->id, "itttdtiitittIiiii", t->class_id, t->kind, t->topic,
		t->description ? t->description : "", t->hours, t->room_kind ? t->room_kind : "any",
		(int64_t)(t->groups > 0 ? t->groups : 1), (int64_t)t->preferred_slot, t->day,
		(int64_t)t->slot, t->start_time ? t->start_time : "",
		t->end_time ? t->end_time : "", t->room_id, (int64_t)t->pinned,
		(int64_t)t->sort_order, now, now);
}

#define SESSION_SELECT                                                                             \
	"SELECT s.id, s.class_id, s.kind, s.topic, s.description, s.hours, s.room_kind, "          \
	"s.groups, s.preferred_slot, s.day, s.slot, s.start_time, s.end_time, "                    \
	"COALESCE(s.room_id, 0), s.pinned, s.sort_order, s.version FROM class_sessions s"

static void read_session(struct arena *a, struct store_stmt *st, void *out)
{
	struct tsession *t = out;
	t->id = store_column_int64(st, 0);
	t->class_id = store_column_int64(st, 1);
	t->kind = row_text(a, st, 2);
	t->topic = row_text(a, st, 3);
	t->description = row_text(a, st, 4);
	t->hours = store_column_double(st, 5);
	t->room_kind = row_text(a, st, 6);
	t->groups = (int)store_column_int64(st, 7);
	t->preferred_slot = (int)store_column_int64(st, 8);
	snprintf(t->day, sizeof t->day, "%s", store_column_text(st, 9));
	t->slot = (int)store_column_int64(st, 10);
	t->start_time = row_text(a, st, 11);
	t->end_time = row_text(a, st, 12);
	t->room_id = store_column_int64(st, 13);
	t->pinned = (int)store_column_int64(st, 14);
	t->sort_order = (int)store_column_int64(st, 15);
	t->version = store_column_int64(st, 16);
	t->experts = NULL;
	t->n_experts = 0;
	t->group_rooms = NULL;
	t->n_group_rooms = 0;
}

/* Attach experts and group rooms to sessions (one query each for the whole set). */
static px_err attach(struct store *s, struct arena *a, struct tsession *ts, size_t n)
{
	if (n == 0)
		return PX_OK;
	for (int pass = 0; pass < 2; pass++) {
		struct qb q;
		qb_init(&q, pass == 0 ? "SELECT session_id, expert_id FROM session_experts"
				      : "SELECT session_id, room_id, group_no FROM session_rooms");
		/* bounded by the sessions' range, then matched in memory */
		int64_t lo = ts[0].id, hi = ts[0].id;
		for (size_t i = 1; i < n; i++) {
			lo = ts[i].id < lo ? ts[i].id : lo;
			hi = ts[i].id > hi ? ts[i].id : hi;
		}
		qb_where(&q, "session_id >= ?");
		qb_arg_int(&q, lo);
		qb_where(&q, "session_id <= ?");
		qb_arg_int(&q, hi);
		qb_sql(&q, pass == 0 ? " ORDER BY session_id, expert_id"
				     : " ORDER BY session_id, group_no");
		struct store_stmt *st = NULL;
		bool row = false;
		px_err rc = qb_prepare(s, &q, &st);
		while (!rc && !(rc = store_step(st, &row)) && row) {
			int64_t sid = store_column_int64(st, 0), v = store_column_int64(st, 1);
			for (size_t i = 0; i < n; i++) {
				if (ts[i].id != sid)
					continue;
				int64_t **arr = pass == 0 ? &ts[i].experts : &ts[i].group_rooms;
				int *cnt = pass == 0 ? &ts[i].n_experts : &ts[i].n_group_rooms;
				int64_t *bigger =
					arena_alloc(a, (size_t)(*cnt + 1) * sizeof *bigger);
				if (*cnt)
					memcpy(bigger, *arr, (size_t)*cnt * sizeof *bigger);
				bigger[(*cnt)++] = v;
				*arr = bigger;
				break;
			}
		}
		store_done(st);
		qb_release(&q);
		if (rc)
			return rc;
	}
	return PX_OK;
}

px_err tsessions_get(struct store *s, struct arena *a, int64_t id, struct tsession *out)
{
	px_err rc = store_get_row(s, a, SESSION_SELECT " WHERE s.id = ?", id, read_session, out);
	return rc ? rc : attach(s, a, out, 1);
}

static px_err read_sessions(struct store *s, struct arena *a, struct qb *q, struct tsession **out,
			    size_t *n)
{
	px_err rc = qb_rows(s, a, q, read_session, sizeof **out, (void **)out, n);
	return rc ? rc : attach(s, a, *out, *n);
}

/* " IN (?, ?, …)" for n ids (n ≤ QB_MAX_ARGS - a few) */
static px_err in_list(struct qb *q, const int64_t *ids, size_t n)
{
	if (n == 0 || n > QB_MAX_ARGS - 4)
		return PX_ERR_INVALID;
	qb_sql(q, " IN (");
	for (size_t i = 0; i < n; i++) {
		qb_sql(q, i ? ", ?" : "?");
		qb_arg_int(q, ids[i]);
	}
	qb_sql(q, ")");
	return PX_OK;
}

px_err tsessions_of_classes(struct store *s, struct arena *a, const int64_t *class_ids,
			    size_t n_classes, struct tsession **out, size_t *n)
{
	struct qb q;
	qb_init(&q, SESSION_SELECT " WHERE s.class_id");
	px_err rc = in_list(&q, class_ids, n_classes);
	qb_sql(&q, " ORDER BY s.class_id, s.sort_order, s.id");
	if (!rc)
		rc = read_sessions(s, a, &q, out, n);
	qb_release(&q);
	return rc;
}

px_err tsessions_of_expert(struct store *s, struct arena *a, int64_t expert_id,
			   struct tsession **out, size_t *n)
{
	struct qb q;
	qb_init(&q, SESSION_SELECT " WHERE s.id IN (SELECT session_id FROM session_experts WHERE "
				   "expert_id = ?) ORDER BY s.day, s.slot");
	qb_arg_int(&q, expert_id);
	px_err rc = read_sessions(s, a, &q, out, n);
	qb_release(&q);
	return rc;
}

px_err tsessions_busy_classes(struct store *s, struct arena *a, const char *from, const char *to,
			      size_t max, int64_t **ids, size_t *n)
{
	*ids = arena_alloc(a, (max + 1) * sizeof **ids);
	*n = 0;
	struct store_stmt *st;
	px_err rc =
		store_prepare(s,
			      "SELECT DISTINCT class_id FROM class_sessions WHERE day <> '' AND "
			      "day >= ? AND day <= ? ORDER BY class_id LIMIT ?",
			      &st);
	if (!rc)
		rc = store_bindf(st, "tti", from, to, (int64_t)max + 1);
	bool row = false;
	while (!rc && !(rc = store_step(st, &row)) && row && *n <= max)
		(*ids)[(*n)++] = store_column_int64(st, 0);
	store_done(st);
	if (!rc && *n > max)
		rc = PX_ERR_BUSY;
	return rc;
}

px_err tsessions_day_range(struct store *s, int64_t expert_id, int64_t room_id, char first[11],
			   char last[11])
{
	struct store_stmt *st;
	px_err rc = store_prepare(s,
				  expert_id > 0 ? "SELECT COALESCE(MIN(s.day), ''), "
						  "COALESCE(MAX(s.day), '') FROM class_sessions s "
						  "JOIN session_experts se ON se.session_id = s.id "
						  "WHERE se.expert_id = ? AND "
						  "s.day <> ''"
						: "SELECT COALESCE(MIN(s.day), ''), "
						  "COALESCE(MAX(s.day), '') FROM class_sessions s "
						  "WHERE (s.room_id = ? OR s.id IN (SELECT "
						  "session_id FROM session_rooms WHERE "
						  "room_id = ?)) AND s.day <> ''",
				  &st);
	if (rc)
		return rc;
	rc = expert_id > 0 ? store_bindf(st, "i", expert_id)
			   : store_bindf(st, "ii", room_id, room_id);
	bool row = false;
	if (!rc)
		rc = store_step(st, &row);
	first[0] = last[0] = '\0';
	if (!rc && row) {
		snprintf(first, 11, "%s", store_column_text(st, 0));
		snprintf(last, 11, "%s", store_column_text(st, 1));
	}
	store_done(st);
	return rc;
}

px_err tsessions_update(struct store *s, const struct tsession *t, int64_t version)
{
	px_err rc = store_run(
		s,
		"UPDATE class_sessions SET kind = ?, topic = ?, description = ?, hours = ?, "
		"room_kind = ?, groups = ?, preferred_slot = ?, start_time = ?, end_time = ?, "
		"sort_order = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = "
		"?",
		PX_ERR_CONFLICT, "tttdtiittiiii", t->kind, t->topic,
		t->description ? t->description : "", t->hours, t->room_kind, (int64_t)t->groups,
		(int64_t)t->preferred_slot, t->start_time ? t->start_time : "",
		t->end_time ? t->end_time : "", (int64_t)t->sort_order, time_now(), t->id, version);
	/* fewer groups: the rooms of the groups that are gone go too */
	if (!rc)
		rc = store_run(s, "DELETE FROM session_rooms WHERE session_id = ? AND group_no > ?",
			       PX_OK, "ii", t->id, (int64_t)(t->groups > 1 ? t->groups : 1));
	return rc;
}

px_err tsessions_place(struct store *s, const struct tsession *t)
{
	px_err rc =
		store_run(s,
			  "UPDATE class_sessions SET day = ?, slot = ?, room_id = ?, pinned = ?, "
			  "updated_at = ?, version = version + 1 WHERE id = ?",
			  PX_ERR_NOT_FOUND, "tiIiii", t->day, (int64_t)t->slot, t->room_id,
			  (int64_t)t->pinned, time_now(), t->id);
	if (rc)
		return rc;
	rc = store_run(s, "DELETE FROM session_rooms WHERE session_id = ?", PX_OK, "i", t->id);
	for (int g = 0; !rc && g < t->n_group_rooms; g++) {
		if (t->group_rooms[g] <= 0)
			continue;
		rc = store_run(s,
			       "INSERT INTO session_rooms (session_id, group_no, room_id) "
			       "VALUES (?, ?, ?)",
			       PX_OK, "iii", t->id, (int64_t)(g + 2), t->group_rooms[g]);
	}
	return rc;
}

px_err tsessions_delete(struct store *s, int64_t id)
{
	return store_run(s, "DELETE FROM class_sessions WHERE id = ?", PX_ERR_NOT_FOUND, "i", id);
}

px_err session_experts_set(struct store *s, int64_t session_id, const int64_t *experts, size_t n)
{
	px_err rc = store_run(s, "DELETE FROM session_experts WHERE session_id = ?", PX_OK, "i",
			      session_id);
	for (size_t i = 0; !rc && i < n; i++)
		rc = store_run(s,
			       "INSERT INTO session_experts (session_id, expert_id) VALUES (?, ?) "
			       "ON CONFLICT DO NOTHING",
			       PX_OK, "ii", session_id, experts[i]);
	return rc;
}

px_err session_order_add(struct store *s, int64_t before_id, int64_t after_id)
{
	return store_run(s,
			 "INSERT INTO session_order (before_id, after_id) VALUES (?, ?) "
			 "ON CONFLICT DO NOTHING",
			 PX_OK, "ii", before_id, after_id);
}

static void read_pair(struct arena *a, struct store_stmt *st, void *out)
{
	(void)a;
	struct session_order_pair *p = out;
	p->before_id = store_column_int64(st, 0);
	p->after_id = store_column_int64(st, 1);
}

px_err session_order_of_classes(struct store *s, struct arena *a, const int64_t *class_ids,
				size_t n_classes, struct session_order_pair **out, size_t *n)
{
	struct qb q;
	qb_init(&q, "SELECT o.before_id, o.after_id FROM session_order o JOIN class_sessions b ON "
		    "b.id = o.before_id WHERE b.class_id");
	px_err rc = in_list(&q, class_ids, n_classes);
	if (rc) {
		qb_release(&q);
		return rc;
	}
	return qb_rows(s, a, &q, read_pair, sizeof **out, (void **)out, n);
}

/* ---- rosters ---- */

px_err enrollments_add(struct store *s, int64_t class_id, int64_t cadre_id, const char *state)
{
	int64_t now = time_now();
	return store_run(s,
			 "INSERT INTO enrollments (class_id, cadre_id, state, created_at, "
			 "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
			 PX_OK, "iitii", class_id, cadre_id, state, now, now);
}

px_err enrollments_managed_by(struct store *s, int64_t user_id, int64_t cadre_id, bool *yes)
{
	int64_t n = 0;
	px_err rc =
		store_query_int64(s,
				  "SELECT COUNT(*) FROM enrollments e JOIN class_managers m ON "
				  "m.class_id = e.class_id WHERE m.user_id = ? AND e.cadre_id = ?",
				  &n, "ii", user_id, cadre_id);
	*yes = n > 0;
	return rc;
}

px_err enrollments_count(struct store *s, int64_t class_id, int64_t *n)
{
	return store_query_int64(
		s,
		"SELECT COUNT(*) FROM enrollments WHERE class_id = ? AND state NOT "
		"IN ('withdrawn', 'replaced', 'declined')",
		n, "i", class_id);
}

px_err enrollments_classes_of(struct store *s, struct arena *a, int64_t cadre_id, int64_t **ids,
			      size_t *n)
{
	struct qb q;
	qb_init(&q, "SELECT class_id FROM enrollments WHERE cadre_id = ? AND state NOT IN "
		    "('withdrawn', 'replaced', 'declined') ORDER BY class_id");
	qb_arg_int(&q, cadre_id);
	return qb_rows(s, a, &q, read_id, sizeof **ids, (void **)ids, n);
}

/* ---- jobs ---- */

px_err jobs_insert(struct store *s, struct job *j)
{
	int64_t now = time_now();
	return store_insert_id(
		s,
		"INSERT INTO jobs (kind, status, progress, params_json, result_json, "
		"created_by, created_at, updated_at) VALUES (?, ?, 0, ?, '{}', ?, ?, ?) "
		"RETURNING id",
		&j->id, "tttIii", j->kind, j->status, j->params_json ? j->params_json : "{}",
		j->created_by, now, now);
}

static void read_job(struct arena *a, struct store_stmt *st, void *row)
{
	struct job *out = row;
	out->id = store_column_int64(st, 0);
	out->kind = row_text(a, st, 1);
	out->status = row_text(a, st, 2);
	out->progress = store_column_double(st, 3);
	out->params_json = row_text(a, st, 4);
	out->result_json = row_text(a, st, 5);
	out->created_by = store_column_int64(st, 6);
	out->created_at = store_column_int64(st, 7);
	out->updated_at = store_column_int64(st, 8);
}

px_err jobs_get(struct store *s, struct arena *a, int64_t id, struct job *out)
{
	return store_get_row(
		s, a,
		"SELECT id, kind, status, progress, params_json, result_json, "
		"COALESCE(created_by, 0), created_at, updated_at FROM jobs WHERE id = ?",
		id, read_job, out);
}

px_err jobs_update(struct store *s, int64_t id, const char *status, double progress,
		   const char *result_json)
{
	return store_run(s,
			 "UPDATE jobs SET status = ?, progress = ?, result_json = "
			 "COALESCE(?, result_json), updated_at = ? WHERE id = ?",
			 PX_ERR_NOT_FOUND, "tdtii", status, progress, result_json, time_now(), id);
}
