/*
 * class_sessions.c — the sessions (课程) of a class: add, edit, remove, and move or pin one
 * with the conflicts the move causes (see schedule.h).
 *
 * A move is checked against every class with sessions in the dates concerned (the class's
 * own, and the target day when it lies outside them), as the week grid shows them; a dry
 * run answers with those conflicts and saves nothing. Conflicts are shown, not refused: the
 * manager decides.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/enums.h"
#include "service/schedule_int.h"

/* The session's fields and experts from the form into t (*experts, *n_experts: the list
 * given, or SIZE_MAX when left out). */
static px_err session_of_form(struct svc *c, const struct session_form *f, struct tsession *t,
			      int64_t **experts, size_t *n_experts)
{
	struct field_ctx fc = { .pb = c->problems, .arena = c->arena, .lang = c->lang };
	session_validate(&fc, &f->in, t);
	const json_t *ex = f->experts;
	*n_experts = SIZE_MAX;
	if (ex) {
		if (!json_is_array(ex) || json_array_size(ex) > 20) {
			svc_problem(c, "experts", "invalid", "授课专家应为专家编号列表",
				    "experts must be a list of expert ids");
		} else {
			*n_experts = json_array_size(ex);
			*experts = arena_alloc(c->arena, (*n_experts + 1) * sizeof **experts);
			size_t i;
			json_t *v;
			json_array_foreach(ex, i, v)
			{
				struct expert e;
				int64_t eid = json_is_integer(v) ? json_integer_value(v) : -1;
				if (eid <= 0 || experts_get(c->db, c->arena, eid, &e)) {
					svc_problem(c, "experts", "not_found", "授课专家不存在",
						    "No such expert");
					break;
				}
				(*experts)[i] = eid;
			}
		}
	}
	return svc_problems_rc(c);
}

px_err svc_session_create(struct svc *c, int64_t class_id, const struct session_form *f,
			  json_t **out)
{
	struct class_row row;
	px_err rc = schedule_class_load(c, PERM_CLASS_WRITE, class_id, &row);
	if (!rc)
		rc = schedule_class_open(c, &row);
	if (rc)
		return rc;
	struct tsession t;
	int64_t *experts = NULL;
	size_t ne;
	if ((rc = session_of_form(c, f, &t, &experts, &ne)))
		return rc;
	t.class_id = row.c.id;
	t.day[0] = '\0';
	t.slot = -1;
	t.sort_order = (int)row.session_count + 1;
	if ((rc = svc_begin(c)))
		return rc;
	rc = sessions_insert_class(c->db, &t);
	if (!rc && ne != SIZE_MAX)
		rc = session_experts_set(c->db, t.id, experts, ne);
	json_t *after = rc ? NULL : schedule_session_saved(c, t.class_id, t.id, &rc);
	rc = svc_commit(c, rc, "create", "session", t.id, NULL, after);
	if (rc) {
		json_decref(after);
		return rc;
	}
	*out = after;
	return PX_OK;
}

px_err svc_session_update(struct svc *c, int64_t id, const struct session_form *f, json_t **out)
{
	struct tsession before;
	struct class_row row;
	px_err rc = schedule_session_load(c, PERM_CLASS_WRITE, id, &before, &row);
	if (rc)
		return rc;
	int64_t version = json_is_integer(f->version) ? (int64_t)json_integer_value(f->version)
						      : before.version;
	struct tsession t;
	int64_t *experts = NULL;
	size_t ne;
	if ((rc = session_of_form(c, f, &t, &experts, &ne)))
		return rc;
	t.id = before.id;
	t.sort_order = before.sort_order;
	if ((rc = svc_begin(c)))
		return rc;
	json_t *was = schedule_session_saved(c, before.class_id, before.id, &rc);
	if (!rc)
		rc = tsessions_update(c->db, &t, version);
	if (!rc && ne != SIZE_MAX)
		rc = session_experts_set(c->db, t.id, experts, ne);
	json_t *after = rc ? NULL : schedule_session_saved(c, before.class_id, t.id, &rc);
	rc = svc_commit(c, rc, "update", "session", t.id, was, after);
	json_decref(was);
	if (rc) {
		json_decref(after);
		return rc;
	}
	*out = after;
	return PX_OK;
}

px_err svc_session_delete(struct svc *c, int64_t id)
{
	struct tsession before;
	struct class_row row;
	px_err rc = schedule_session_load(c, PERM_CLASS_WRITE, id, &before, &row);
	if (rc)
		return rc;
	if ((rc = svc_begin(c)))
		return rc;
	json_t *was = schedule_session_saved(c, before.class_id, before.id, &rc);
	if (!rc)
		rc = tsessions_delete(c->db, before.id);
	rc = svc_commit(c, rc, "delete", "session", before.id, was, NULL);
	json_decref(was);
	return rc;
}

/* ---- moving and pinning ---- */

static const struct view_field placement_view_fields[] = {
	{ "session", VIEW_OBJECT, "The session as it is (or, in a dry run, would be) placed",
	  &svc_class_session_shape },
	{ "affected", VIEW_OBJECTS, "The other sessions it now clashes with on that half-day",
	  &svc_class_session_shape },
	{ "saved", VIEW_BOOL, "false: a dry run, nothing was saved" },
};
const struct view_spec svc_placement_shape = VIEW_SPEC("PlacementResult", placement_view_fields);

/* The rooms of groups 2..N as sent into t: one per further group, each a real room, none
 * used twice (nor the first group's). */
static void group_rooms_of(struct svc *c, const json_t *gr, struct tsession *t)
{
	size_t want = t->groups > 1 ? (size_t)t->groups - 1 : 0;
	if (json_array_size(gr) > want)
		svc_problem(c, "group_rooms", "too_many", "教室数多于研讨分组数",
			    "More rooms than the seminar has groups");
	t->n_group_rooms = (int)json_array_size(gr);
	t->group_rooms = arena_alloc(c->arena, (size_t)(t->n_group_rooms + 1) * sizeof(int64_t));
	for (int g = 0; g < t->n_group_rooms && !c->problems->n; g++) {
		json_t *v = json_array_get(gr, (size_t)g);
		int64_t id = json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
		struct room m;
		if (id < 0 || (id > 0 && rooms_get(c->db, c->arena, id, &m)))
			svc_problem(c, "group_rooms", "not_found", "分组教室不存在",
				    "No such room for a group");
		for (int k = 0; id > 0 && k < g; k++)
			if (t->group_rooms[k] == id)
				id = -2;
		if (id > 0 && id == t->room_id)
			id = -2;
		if (id == -2)
			svc_problem(c, "group_rooms", "duplicate", "同一教室不能同时分给两个研讨组",
				    "One room cannot hold two groups at once");
		t->group_rooms[g] = id;
	}
}

/* An id as the API reads one: a positive integer or numeric string; 0 for null or absent;
 * -1 when malformed. */
static int64_t id_of(const json_t *v)
{
	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v))
		return json_integer_value(v) > 0 ? (int64_t)json_integer_value(v) : -1;
	if (json_is_string(v)) {
		char *end;
		long long n = strtoll(json_string_value(v), &end, 10);
		return *end || n <= 0 ? -1 : n;
	}
	return -1;
}

/* The placement the form asks for, applied to t (problems to c->problems). */
static void placement_of_form(struct svc *c, const struct placement_form *f, struct tsession *t)
{
	struct field_ctx fc = { .pb = c->problems, .arena = c->arena, .lang = c->lang };
	static const struct field_def day_f = { "day", "日期", "Date", false, 0, NULL };
	/* a key left out keeps its value: {"pinned": true} pins in place */
	const char *day =
		f->day ? field_date(&fc, &day_f, schedule_json_text(c, f->day), false) : NULL;
	const json_t *slot = f->slot;
	int64_t room = id_of(f->room_id);
	const json_t *gr = f->group_rooms;
	if (day && *day) {
		if (!json_is_integer(slot) || json_integer_value(slot) < 0 ||
		    json_integer_value(slot) >= SLOTS_PER_DAY)
			svc_problem(c, "slot", "invalid", "时段应为 0(上午)、1(下午)或 2(晚上)",
				    "slot must be 0, 1 or 2");
		snprintf(t->day, sizeof t->day, "%s", day);
		t->slot = json_is_integer(slot) ? (int)json_integer_value(slot) : -1;
	} else if (day) {
		t->day[0] = '\0'; /* unplace */
		t->slot = -1;
		room = 0;
	}
	if (room < 0)
		problems_add(c->problems, 0, "room_id", "invalid", "room_id");
	else if (f->room_id) {
		struct room m;
		if (room > 0 && rooms_get(c->db, c->arena, room, &m))
			svc_problem(c, "room_id", "not_found", "教室不存在", "No such room");
		t->room_id = room;
	}
	if (json_is_null(gr)) {
		t->n_group_rooms = 0; /* null clears the groups' rooms */
		gr = NULL;
	}
	if (gr && !json_is_array(gr))
		svc_problem(c, "group_rooms", "invalid", "各组教室应为教室编号列表",
			    "group_rooms must be a list of room ids");
	if (json_is_array(gr))
		group_rooms_of(c, gr, t);
	for (int g = 0; !json_is_array(gr) && t->room_id > 0 && g < t->n_group_rooms; g++)
		if (t->group_rooms[g] == t->room_id)
			svc_problem(c, "room_id", "duplicate", "该教室已分给本课程的另一个研讨组",
				    "This room already holds another group of the session");
	if (json_is_boolean(f->pinned))
		t->pinned = json_is_true(f->pinned);
}

px_err svc_session_place(struct svc *c, int64_t id, const struct placement_form *f, json_t **out)
{
	struct tsession t;
	struct class_row row;
	px_err rc = schedule_session_load(c, PERM_CLASS_WRITE, id, &t, &row);
	if (rc)
		return rc;
	placement_of_form(c, f, &t);
	if ((rc = svc_problems_rc(c)))
		return rc;
	/* conflicts as they would be after the move: over the class's dates, and the target
	 * day when it lies outside them */
	const char *from = row.c.start_date, *to = row.c.end_date;
	if (t.day[0] && strcmp(t.day, from) < 0)
		from = t.day;
	if (t.day[0] && strcmp(t.day, to) > 0)
		to = t.day;
	int64_t *ids;
	size_t n;
	if ((rc = schedule_neighbours(c, from, to, t.class_id, &ids, &n)))
		return rc;
	struct timetable_data d;
	if ((rc = timetable_load(c->db, ids, n, c->lang, &d)))
		return rc;
	/* the neighbours the caller may not read: booked only, named by no conflict */
	if ((rc = schedule_mark_unreadable(c, &d))) {
		timetable_data_release(&d);
		return rc;
	}
	for (size_t i = 0; i < d.in.n_sessions; i++)
		if (d.in.sessions[i].id == t.id) {
			struct tsession *s = (struct tsession *)&d.in.sessions[i];
			memcpy(s->day, t.day, sizeof t.day);
			s->slot = t.slot;
			s->room_id = t.room_id;
			s->pinned = t.pinned;
			s->group_rooms = t.group_rooms;
			s->n_group_rooms = t.n_group_rooms;
		}
	struct schedule_conflicts cf;
	schedule_conflicts(&d.in, &cf);
	if (!f->dry_run && !(rc = svc_begin(c))) {
		rc = tsessions_place(c->db, &t);
		json_t *after = json_pack("{ss si sI sb}", "day", t.day, "slot", t.slot, "room_id",
					  (json_int_t)t.room_id, "pinned", t.pinned);
		rc = svc_commit(c, rc, "place", "session", t.id, NULL, after);
		json_decref(after);
	}
	json_t *sj = NULL, *others = json_array();
	for (size_t i = 0; i < d.in.n_sessions; i++) {
		const struct tsession *s = &d.in.sessions[i];
		if (s->id == t.id) {
			sj = schedule_session_view(c, s, &d, &cf);
			continue;
		}
		/* the other sessions this move now clashes with */
		for (size_t k = 0; k < cf.n; k++)
			if (cf.items[k].session_id == s->id && s->slot == t.slot &&
			    !strcmp(s->day, t.day)) {
				json_array_append_new(others, schedule_session_view(c, s, &d, &cf));
				break;
			}
	}
	schedule_conflicts_release(&cf);
	timetable_data_release(&d);
	if (rc) {
		json_decref(sj);
		json_decref(others);
		return rc;
	}
	*out = json_pack("{so* so sb}", "session", sj, "affected", others, "saved", !f->dry_run);
	return PX_OK;
}
