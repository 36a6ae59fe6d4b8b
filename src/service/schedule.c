/*
 * schedule.c — what the timetable operations share (schedule_int.h): the class of a
 * timetable in the caller's scope, a session's JSON view, the neighbours of some dates, one's
 * own classes.
 */
#include "service/schedule_int.h"

#include <stdio.h>
#include <string.h>

#include "base/mem.h"
#include "domain/enums.h"

const char *const schedule_weight_keys[TT_SOFT__COUNT] = {
	[TT_SOFT_ROOM_CAPACITY] = "room_capacity",
	[TT_SOFT_MIN_DAYS] = "min_days",
	[TT_SOFT_COMPACTNESS] = "compactness",
	[TT_SOFT_ROOM_STABILITY] = "room_stability",
	[TT_SOFT_PREFERENCE] = "preference",
	[TT_SOFT_TEACHER_DAYS] = "teacher_days",
	[TT_SOFT_MOVED] = "moved",
	[TT_SOFT_MOVED_ROOM] = "moved_room",
};

/* ---- the class of a timetable ---- */

/* Whether the caller may use perm on the class id of that region (its row already read). */
static px_err class_reach(struct svc *c, enum perm perm, int64_t id, const char *region_path,
			  bool *yes)
{
	struct scope_filter f = svc_scope(c, perm);
	*yes = false;
	switch (f.scope) {
	case SCOPE_ALL: *yes = true; return PX_OK;
	case SCOPE_REGION:
		*yes = svc_may(c, perm, &(struct scope_target){ .region_path = region_path });
		return PX_OK;
	case SCOPE_CLASSES: return class_managed_by(c->db, id, c->who->user_id, yes);
	case SCOPE_UNIT: return enrollments_reach(c->db, id, c->who->unit_id, 0, yes);
	case SCOPE_SELF: return enrollments_reach(c->db, id, 0, c->who->cadre_id, yes);
	case SCOPE_NONE: break;
	}
	return PX_OK;
}

px_err schedule_class_load(struct svc *c, enum perm perm, int64_t id, struct class_row *row)
{
	if (id <= 0)
		return PX_ERR_NOT_FOUND;
	px_err rc = classes_get(c->db, c->arena, id, row);
	bool yes = false;
	if (!rc)
		rc = class_reach(c, perm, id, row->region_path, &yes);
	return rc ? rc : yes ? PX_OK : PX_ERR_NOT_FOUND;
}

px_err schedule_mark_unreadable(struct svc *c, struct timetable_data *d)
{
	size_t n = d->in.n_classes;
	d->unreadable = arena_alloc(&d->arena, (n + 1) * sizeof *d->unreadable);
	for (size_t k = 0; k < n; k++) {
		bool yes = false;
		px_err rc = class_reach(c, PERM_CLASS_READ, d->in.classes[k].id, d->region_paths[k],
					&yes);
		if (rc)
			return rc;
		d->unreadable[k] = !yes;
	}
	d->in.unreadable = d->unreadable;
	return PX_OK;
}

px_err schedule_class_open(struct svc *c, const struct class_row *row)
{
	if (strcmp(row->c.status, "archived"))
		return PX_OK;
	return svc_fail(c, PX_ERR_STATE, "该班次已归档,课表已存档,不能修改",
			"The class is archived: its timetable is a closed record");
}

px_err schedule_class_arrangeable(struct svc *c, const struct class_row *row)
{
	px_err rc = schedule_class_open(c, row);
	if (rc || strcmp(row->c.status, "completed"))
		return rc;
	svc_problem(c, "status", "ended",
		    "该班次已结业:课表是学员学时的依据,不能自动排课,也不能应用或撤销排课方案;"
		    "如需更正,请手动调整单节课程",
		    "The class has ended: its timetable is what the trainees' hours rest on, so "
		    "it is not auto-arranged, nor is a proposal applied or undone; correct single "
		    "sessions by hand instead");
	return svc_fail(c, PX_ERR_INVALID, "该班次已结业,不能自动排课,也不能应用或撤销排课方案",
			"The class has ended: it is not auto-arranged, nor is a proposal applied "
			"or undone");
}

px_err schedule_session_load(struct svc *c, enum perm perm, int64_t id, struct tsession *t,
			     struct class_row *row)
{
	px_err rc = id > 0 ? tsessions_get(c->db, c->arena, id, t) : PX_ERR_NOT_FOUND;
	if (!rc)
		rc = schedule_class_load(c, perm, t->class_id, row);
	if (!rc && perm == PERM_CLASS_WRITE)
		rc = schedule_class_open(c, row);
	return rc;
}

/* ---- a session as JSON ---- */

static const struct view_field room_ref_fields[] = {
	{ "id", VIEW_INT, "The room" },
	{ "name", VIEW_TEXT, "Its name" },
};
static const struct view_spec room_ref_shape = VIEW_SPEC("SessionRoom", room_ref_fields);

static const struct view_field group_room_fields[] = {
	{ "group", VIEW_INT, "The group (2..N; the first is in `room`)" },
	{ "room_id", VIEW_INT, "Its room" },
	{ "name", VIEW_TEXT, "The room's name" },
};
static const struct view_spec group_room_shape = VIEW_SPEC("GroupRoom", group_room_fields);

static const struct view_field expert_ref_fields[] = {
	{ "id", VIEW_INT, "The expert" },
	{ "name", VIEW_TEXT, "Name" },
};
static const struct view_spec expert_ref_shape = VIEW_SPEC("SessionExpert", expert_ref_fields);

static const struct view_field conflict_fields[] = {
	{ "code", VIEW_TEXT,
	  "room_clash, expert_clash, class_clash, expert_unavailable, outside_dates, "
	  "room_too_small, room_kind or order" },
	{ "message", VIEW_TEXT, "What clashes, in the caller's language" },
};
static const struct view_spec conflict_shape = VIEW_SPEC("Conflict", conflict_fields);

static const struct view_field session_view_fields[] = {
	{ "id", VIEW_INT, "Id" },
	{ "class_id", VIEW_INT, "Its class" },
	{ "class_name", VIEW_TEXT, "The class's name" },
	{ "kind", VIEW_TEXT, "lecture, seminar, site_visit, opening, closing …" },
	{ "kind_label", VIEW_TEXT, "Its label" },
	{ "topic", VIEW_TEXT, "Topic" },
	{ "description", VIEW_TEXT, "What it covers" },
	{ "hours", VIEW_NUMBER, "Credited hours" },
	{ "room_kind", VIEW_TEXT, "The kind of room it needs (any, none …)" },
	{ "groups", VIEW_INT, "Groups held at once in as many rooms (a seminar), else 1" },
	{ "preferred_slot", VIEW_INT, "The half-day it prefers (0–2), or null", NULL, false, true },
	{ "day", VIEW_TEXT, "The day it is placed on, or null while unplaced", NULL, false, true },
	{ "slot", VIEW_INT, "0 morning, 1 afternoon, 2 evening, or null while unplaced", NULL,
	  false, true },
	{ "slot_label", VIEW_TEXT, "Its label (\"\" while unplaced)" },
	{ "time_fixed", VIEW_BOOL, "Exact times were given instead of the slot's" },
	{ "start_time", VIEW_TEXT, "HH:MM (\"\" while unplaced without exact times)" },
	{ "end_time", VIEW_TEXT, "HH:MM" },
	{ "room", VIEW_OBJECT, "Its room (the first group's), or null", &room_ref_shape, false,
	  true },
	{ "group_rooms", VIEW_OBJECTS, "The rooms of groups 2..N", &group_room_shape },
	{ "pinned", VIEW_BOOL, "Auto-arrange leaves it where it is" },
	{ "experts", VIEW_OBJECTS, "Who teaches it", &expert_ref_shape },
	{ "conflicts", VIEW_OBJECTS,
	  "What its placement clashes with, over every class of its dates (in a grid or a "
	  "placement's reply; [] elsewhere)",
	  &conflict_shape },
	{ "version", VIEW_INT, "Send it back with an edit (optimistic locking)" },
	{ "booked_only", VIEW_BOOL,
	  "A session of a class the caller may not read (another office's, sharing the expert "
	  "or room): only its time is shown — day, slot, times; kind_label is 已占用 (Booked), "
	  "id, class_id, hours and version 0, the other texts empty, room null, no experts, "
	  "group rooms or conflicts" },
};
const struct view_spec svc_class_session_shape = VIEW_SPEC("ClassSession", session_view_fields);

bool schedule_booked_only(struct svc *c, const struct tsession *t, const struct timetable_data *d)
{
	bool hide = false;
	for (size_t k = 0; d && d->unreadable && k < d->in.n_classes; k++)
		if (d->in.classes[k].id == t->class_id)
			hide = d->unreadable[k];
	for (int x = 0; hide && c->who->expert_id > 0 && x < t->n_experts; x++)
		if (t->experts[x] == c->who->expert_id)
			hide = false;
	return hide;
}

/* Its day, slot and times, as every view of a session shows them. */
static void time_members(struct svc *c, json_t *j, const struct tsession *t)
{
	json_object_set_new(j, "day", t->day[0] ? json_string(t->day) : json_null());
	json_object_set_new(j, "slot", t->slot >= 0 ? json_integer(t->slot) : json_null());
	bool slot_ok = t->slot >= 0 && t->slot < SLOTS_PER_DAY;
	json_object_set_new(
		j, "slot_label",
		json_string(slot_ok ? svc_label(c, &enum_slot, enum_slot.items[t->slot].code)
				    : ""));
	json_object_set_new(j, "time_fixed", json_boolean(*t->start_time || *t->end_time));
	json_object_set_new(j, "start_time",
			    json_string(*t->start_time ? t->start_time
					: slot_ok      ? slot_start[t->slot]
						       : ""));
	json_object_set_new(j, "end_time",
			    json_string(*t->end_time ? t->end_time
					: slot_ok    ? slot_end[t->slot]
						     : ""));
}

/* Another office's session: when, and that it is booked — nothing else of it. */
static json_t *booked_view(struct svc *c, const struct tsession *t)
{
	json_t *j =
		json_pack("{si si ss ss ss ss ss sf ss si so}", "id", 0, "class_id", 0,
			  "class_name", "", "kind", "", "kind_label",
			  svc_text(c, "已占用", "Booked"), "topic", "", "description", "", "hours",
			  0.0, "room_kind", "", "groups", 1, "preferred_slot", json_null());
	time_members(c, j, t);
	json_object_set_new(j, "room", json_null());
	json_object_set_new(j, "group_rooms", json_array());
	json_object_set_new(j, "pinned", json_false());
	json_object_set_new(j, "experts", json_array());
	json_object_set_new(j, "conflicts", json_array());
	json_object_set_new(j, "version", json_integer(0));
	json_object_set_new(j, "booked_only", json_true());
	return j;
}

json_t *schedule_session_view(struct svc *c, const struct tsession *t,
			      const struct timetable_data *d, const struct schedule_conflicts *cf)
{
	if (schedule_booked_only(c, t, d))
		return booked_view(c, t);
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(t->id));
	json_object_set_new(j, "class_id", json_integer(t->class_id));
	const char *class_name = "";
	for (size_t k = 0; d && k < d->in.n_classes; k++)
		if (d->in.classes[k].id == t->class_id)
			class_name = d->in.classes[k].name;
	json_object_set_new(j, "class_name", json_string(class_name));
	json_object_set_new(j, "kind", json_string(t->kind));
	json_object_set_new(j, "kind_label",
			    json_string(svc_label(c, &enum_session_kind, t->kind)));
	json_object_set_new(j, "topic", json_string(t->topic));
	json_object_set_new(j, "description", json_string(t->description));
	json_object_set_new(j, "hours", json_real(t->hours));
	json_object_set_new(j, "room_kind", json_string(t->room_kind));
	json_object_set_new(j, "groups", json_integer(t->groups));
	json_object_set_new(j, "preferred_slot",
			    t->preferred_slot >= 0 ? json_integer(t->preferred_slot) : json_null());
	time_members(c, j, t);
	json_t *room = json_null();
	json_t *group_rooms = json_array();
	for (size_t m = 0; d && m < d->in.n_rooms; m++) {
		if (d->in.rooms[m].id == t->room_id)
			room = json_pack("{sI ss}", "id", (json_int_t)t->room_id, "name",
					 d->in.rooms[m].name);
		for (int g = 0; g < t->n_group_rooms; g++)
			if (d->in.rooms[m].id == t->group_rooms[g])
				json_array_append_new(group_rooms,
						      json_pack("{si sI ss}", "group", g + 2,
								"room_id",
								(json_int_t)t->group_rooms[g],
								"name", d->in.rooms[m].name));
	}
	json_object_set_new(j, "room", room);
	json_object_set_new(j, "group_rooms", group_rooms);
	json_object_set_new(j, "pinned", json_boolean(t->pinned));
	json_t *experts = json_array();
	for (int x = 0; x < t->n_experts; x++) {
		const char *name = "";
		for (size_t e = 0; d && e < d->in.n_experts; e++)
			if (d->in.experts[e].id == t->experts[x])
				name = d->in.experts[e].name;
		json_array_append_new(experts, json_pack("{sI ss}", "id", (json_int_t)t->experts[x],
							 "name", name));
	}
	json_object_set_new(j, "experts", experts);
	json_t *conflicts = json_array();
	for (size_t i = 0; cf && i < cf->n; i++)
		if (cf->items[i].session_id == t->id)
			json_array_append_new(conflicts,
					      json_pack("{ss ss}", "code", cf->items[i].code,
							"message", cf->items[i].message));
	json_object_set_new(j, "conflicts", conflicts);
	json_object_set_new(j, "version", json_integer(t->version));
	json_object_set_new(j, "booked_only", json_false());
	return j;
}

json_t *schedule_session_saved(struct svc *c, int64_t class_id, int64_t id, px_err *rc)
{
	struct timetable_data d;
	if ((*rc = timetable_load(c->db, &class_id, 1, c->lang, &d)))
		return NULL;
	json_t *j = NULL;
	for (size_t i = 0; !j && i < d.in.n_sessions; i++)
		if (d.in.sessions[i].id == id)
			j = schedule_session_view(c, &d.in.sessions[i], &d, NULL);
	timetable_data_release(&d);
	if (!j)
		*rc = PX_ERR_NOT_FOUND;
	return j;
}

/* ---- what a view loads ---- */

px_err schedule_neighbours(struct svc *c, const char *from, const char *to, int64_t must,
			   int64_t **ids, size_t *n)
{
	int64_t *busy;
	size_t m;
	px_err rc = tsessions_busy_classes(c->db, c->arena, from, to, TIMETABLE_MAX_NEIGHBOURS,
					   &busy, &m);
	if (rc)
		return rc;
	*ids = arena_alloc(c->arena, (m + 1) * sizeof **ids);
	*n = 0;
	bool have = must <= 0;
	for (size_t i = 0; i < m; i++) {
		(*ids)[(*n)++] = busy[i];
		have = have || busy[i] == must;
	}
	if (!have)
		(*ids)[(*n)++] = must;
	return PX_OK;
}

bool schedule_of_class(const struct tsession *t, const void *key)
{
	return t->class_id == *(const int64_t *)key;
}

bool schedule_of_expert(const struct tsession *t, const void *key)
{
	int64_t id = *(const int64_t *)key;
	for (int x = 0; x < t->n_experts; x++)
		if (t->experts[x] == id)
			return true;
	return false;
}

bool schedule_of_room(const struct tsession *t, const void *key)
{
	int64_t id = *(const int64_t *)key;
	if (t->room_id == id)
		return true;
	for (int g = 0; g < t->n_group_rooms; g++)
		if (t->group_rooms[g] == id)
			return true;
	return false;
}

bool schedule_is_mine(const struct tsession *t, const void *key)
{
	const struct schedule_mine *m = key;
	if (m->expert_id > 0 && schedule_of_expert(t, &m->expert_id))
		return true;
	for (size_t k = 0; k < m->n; k++)
		if (m->rosters[k] == t->class_id)
			return true;
	return false;
}

void schedule_add_class(int64_t ids[SCHEDULE_MAX_CLASSES], size_t *n, int64_t id)
{
	size_t k = 0;
	while (k < *n && ids[k] != id)
		k++;
	if (k == *n && *n < SCHEDULE_MAX_CLASSES)
		ids[(*n)++] = id;
}

/*
 * The classes of the caller's own schedule, at most SCHEDULE_MAX_CLASSES: a trainee's
 * rosters (also returned in *rosters, all of them), then the classes of an expert's
 * sessions.
 */
static px_err own_classes(struct svc *c, int64_t all[SCHEDULE_MAX_CLASSES], size_t *n_all,
			  int64_t **rosters, size_t *n_rosters)
{
	*rosters = NULL;
	*n_rosters = 0;
	*n_all = 0;
	px_err rc = PX_OK;
	if (c->who->cadre_id > 0)
		rc = enrollments_classes_of(c->db, c->arena, c->who->cadre_id, rosters, n_rosters);
	struct tsession *own = NULL;
	size_t n_own = 0;
	if (!rc && c->who->expert_id > 0)
		rc = tsessions_of_expert(c->db, c->arena, c->who->expert_id, &own, &n_own);
	if (rc)
		return rc;
	for (size_t i = 0; i < *n_rosters && *n_all < SCHEDULE_MAX_CLASSES; i++)
		all[(*n_all)++] = (*rosters)[i];
	for (size_t i = 0; i < n_own; i++)
		schedule_add_class(all, n_all, own[i].class_id);
	return PX_OK;
}

px_err schedule_load_mine(struct svc *c, struct timetable_data *d, struct schedule_mine *m)
{
	int64_t all[SCHEDULE_MAX_CLASSES], *ids;
	size_t na, n;
	memset(d, 0, sizeof *d);
	px_err rc = own_classes(c, all, &na, &ids, &n);
	if (rc)
		return rc;
	*m = (struct schedule_mine){ c->who->expert_id, ids, n };
	if (na && (rc = timetable_load(c->db, all, na, c->lang, d)))
		timetable_data_release(d);
	return rc;
}

const char *schedule_json_text(struct svc *c, const json_t *v)
{
	if (!v || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return arena_strndup(c->arena, json_string_value(v), json_string_length(v));
	if (json_is_integer(v))
		return arena_printf(c->arena, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v)) /* 15 digits: 1234567.89 as written (%g's 6: 1.23457e+06) */
		return arena_printf(c->arena, "%.15g", json_real_value(v));
	if (json_is_boolean(v))
		return json_is_true(v) ? "1" : "0";
	return arena_strdup(c->arena, "\x01"); /* an object or array: fails every text check */
}
