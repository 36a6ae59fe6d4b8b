/*
 * class_sessions.c — the sessions of classes (课程): placements, experts, group rooms,
 * order. See training.h.
 */
#include "store/training.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/mem.h"
#include "store/query.h"

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
