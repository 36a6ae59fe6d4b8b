/*
 * schedule.c — sessions of a class, its timetable (the week grid's data with conflicts),
 * moving and pinning a session, solving in the background, and one's own schedule.
 *
 * Conflicts are computed over every class whose dates overlap the ones shown, so a session
 * dragged onto a half-day when its expert teaches another class, or into a room another
 * class uses, is marked at once. Solving runs on its own thread and connection; its
 * progress is written to the jobs table, where any app server can read it.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "service/timetable.h"
#include "base/date.h"
#include "base/mem.h"
#include "domain/enums.h"
#include "files/timetable_doc.h"
#include "store/training.h"

#define MAX_CLASSES 20 /* classes arranged together (a term), or of one's own schedule */
#define MAX_SOLVES  2  /* background solves at once in this process: each takes a core */

static atomic_int solves_running;

/* The API's names of the soft-constraint weights (enum tt_soft). */
static const char *const weight_keys[TT_SOFT__COUNT] = {
	[TT_SOFT_ROOM_CAPACITY] = "room_capacity",
	[TT_SOFT_MIN_DAYS] = "min_days",
	[TT_SOFT_COMPACTNESS] = "compactness",
	[TT_SOFT_ROOM_STABILITY] = "room_stability",
	[TT_SOFT_PREFERENCE] = "preference",
	[TT_SOFT_TEACHER_DAYS] = "teacher_days",
	[TT_SOFT_MOVED] = "moved",
	[TT_SOFT_MOVED_ROOM] = "moved_room",
};

/* ---- sessions ---- */

static json_t *session_json(struct http_req *r, const struct tsession *t,
			    const struct timetable_data *d, const struct schedule_conflicts *cf)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(t->id));
	json_object_set_new(j, "class_id", json_integer(t->class_id));
	for (size_t k = 0; d && k < d->in.n_classes; k++)
		if (d->in.classes[k].id == t->class_id)
			json_object_set_new(j, "class_name", json_string(d->in.classes[k].name));
	json_object_set_new(j, "kind", json_string(t->kind));
	json_object_set_new(j, "kind_label",
			    json_string(api_label(r, &enum_session_kind, t->kind)));
	json_object_set_new(j, "topic", json_string(t->topic));
	json_object_set_new(j, "description", json_string(t->description));
	json_object_set_new(j, "hours", json_real(t->hours));
	json_object_set_new(j, "room_kind", json_string(t->room_kind));
	json_object_set_new(j, "groups", json_integer(t->groups));
	json_object_set_new(j, "preferred_slot",
			    t->preferred_slot >= 0 ? json_integer(t->preferred_slot) : json_null());
	json_object_set_new(j, "day", t->day[0] ? json_string(t->day) : json_null());
	json_object_set_new(j, "slot", t->slot >= 0 ? json_integer(t->slot) : json_null());
	bool slot_ok = t->slot >= 0 && t->slot < SLOTS_PER_DAY;
	json_object_set_new(
		j, "slot_label",
		json_string(slot_ok ? api_label(r, &enum_slot, enum_slot.items[t->slot].code)
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
	return j;
}

/* The class of a session, checked for the permission; the session in *t. */
/* An archived (已归档) class's timetable is a closed record: nothing of it changes. An ended
 * (已结业) one may still be corrected, which the grid warns about. */
static px_err timetable_open(struct http_req *r, const struct class_row *row)
{
	if (strcmp(row->c.status, "archived"))
		return PX_OK;
	r->message = px_lang_is_en(r->lang) ? "The class is archived: its timetable is a closed "
					      "record"
					    : "该班次已归档,课表已存档,不能修改";
	return PX_ERR_STATE;
}

static px_err visible_session(struct http_req *r, enum perm perm, struct tsession *t)
{
	int64_t id;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = tsessions_get(API(r)->db, &r->arena, id, t);
	struct class_row row;
	if (!rc)
		rc = api_class_visible(r, perm, t->class_id, &row);
	if (!rc && perm == PERM_CLASS_WRITE)
		rc = timetable_open(r, &row);
	return rc;
}

static px_err session_from_body(struct http_req *r, json_t *body, struct tsession *t,
				int64_t **experts, size_t *n_experts)
{
	struct field_ctx fc = { .pb = &r->problems, .arena = &r->arena, .lang = r->lang };
	struct session_input in = { .kind = api_json_text(r, body, "kind"),
				    .topic = api_json_text(r, body, "topic"),
				    .description = api_json_text(r, body, "description"),
				    .hours = api_json_text(r, body, "hours"),
				    .room_kind = api_json_text(r, body, "room_kind"),
				    .groups = api_json_text(r, body, "groups"),
				    .preferred_slot = api_json_text(r, body, "preferred_slot"),
				    .start_time = api_json_text(r, body, "start_time"),
				    .end_time = api_json_text(r, body, "end_time") };
	session_validate(&fc, &in, t);
	json_t *ex = json_object_get(body, "experts");
	*n_experts = SIZE_MAX;
	if (ex) {
		if (!json_is_array(ex) || json_array_size(ex) > 20) {
			api_problem(r, "experts", "invalid", "授课专家应为专家编号列表",
				    "experts must be a list of expert ids");
		} else {
			*n_experts = json_array_size(ex);
			*experts = arena_alloc(&r->arena, (*n_experts + 1) * sizeof **experts);
			size_t i;
			json_t *v;
			json_array_foreach(ex, i, v)
			{
				struct expert e;
				int64_t eid = json_is_integer(v) ? json_integer_value(v) : -1;
				if (eid <= 0 || experts_get(API(r)->db, &r->arena, eid, &e)) {
					api_problem(r, "experts", "not_found", "授课专家不存在",
						    "No such expert");
					break;
				}
				(*experts)[i] = eid;
			}
		}
	}
	return r->problems.n ? PX_ERR_INVALID : PX_OK;
}

px_err api_class_sessions_create(struct http_req *r)
{
	struct class_row row;
	px_err rc = api_class_from_path(r, PERM_CLASS_WRITE, &row);
	if (!rc)
		rc = timetable_open(r, &row);
	if (rc)
		return rc;
	int64_t class_id = row.c.id;
	json_t *body;
	if ((rc = http_json_body(r, &body)))
		return rc;
	struct tsession t;
	int64_t *experts = NULL;
	size_t ne;
	rc = session_from_body(r, body, &t, &experts, &ne);
	json_decref(body);
	if (rc)
		return rc;
	t.class_id = class_id;
	t.day[0] = '\0';
	t.slot = -1;
	t.sort_order = (int)row.session_count + 1;
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = sessions_insert_class(API(r)->db, &t);
	if (!rc && ne != SIZE_MAX)
		rc = session_experts_set(API(r)->db, t.id, experts, ne);
	struct tsession saved;
	if (!rc)
		rc = tsessions_get(API(r)->db, &r->arena, t.id, &saved);
	json_t *after = rc ? NULL : session_json(r, &saved, NULL, NULL);
	return api_commit_write(r, rc, 201, "create", "session", t.id, NULL, after);
}

px_err api_sessions_update(struct http_req *r)
{
	struct tsession before;
	px_err rc = visible_session(r, PERM_CLASS_WRITE, &before);
	if (rc)
		return rc;
	json_t *body;
	if ((rc = http_json_body(r, &body)))
		return rc;
	int64_t version = api_json_version(body, before.version);
	struct tsession t;
	int64_t *experts = NULL;
	size_t ne;
	rc = session_from_body(r, body, &t, &experts, &ne);
	json_decref(body);
	if (rc)
		return rc;
	t.id = before.id;
	t.sort_order = before.sort_order;
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = tsessions_update(API(r)->db, &t, version);
	if (!rc && ne != SIZE_MAX)
		rc = session_experts_set(API(r)->db, t.id, experts, ne);
	struct tsession saved;
	if (!rc)
		rc = tsessions_get(API(r)->db, &r->arena, t.id, &saved);
	json_t *after = rc ? NULL : session_json(r, &saved, NULL, NULL);
	return api_commit_write(r, rc, 200, "update", "session", t.id,
				session_json(r, &before, NULL, NULL), after);
}

px_err api_sessions_delete(struct http_req *r)
{
	struct tsession before;
	px_err rc = visible_session(r, PERM_CLASS_WRITE, &before);
	if (rc)
		return rc;
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = tsessions_delete(API(r)->db, before.id);
	return api_commit_write(r, rc, 204, "delete", "session", before.id,
				session_json(r, &before, NULL, NULL), NULL);
}

/* ---- timetable views ---- */

/* The classes to load for a view of these dates: every class with a session placed in them
 * (and `must`, whose unplaced sessions the view shows too). */
static px_err neighbours(struct http_req *r, const char *from, const char *to, int64_t must,
			 int64_t **ids, size_t *n)
{
	int64_t *busy;
	size_t m;
	px_err rc = tsessions_busy_classes(API(r)->db, &r->arena, from, to,
					   TIMETABLE_MAX_NEIGHBOURS, &busy, &m);
	if (rc)
		return rc;
	*ids = arena_alloc(&r->arena, (m + 1) * sizeof **ids);
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

static json_t *slots_json(struct http_req *r)
{
	json_t *slots = json_array();
	for (int s = 0; s < SLOTS_PER_DAY; s++)
		json_array_append_new(slots,
				      json_pack("{si ss ss ss}", "slot", s, "label",
						api_label(r, &enum_slot, enum_slot.items[s].code),
						"start", slot_start[s], "end", slot_end[s]));
	return slots;
}

static json_t *days_json(const char *from, const char *to)
{
	json_t *days = json_array();
	int32_t a = date_parse(from, strlen(from)), b = date_parse(to, strlen(to));
	for (int32_t d = a; a != DATE_NONE && b != DATE_NONE && d <= b && d - a < 400; d++) {
		char s[11];
		json_array_append_new(days, json_string(date_format(d, s)));
	}
	return days;
}

/* Which sessions a grid or a document shows: of a class, an expert, a room (key points to the
 * id), or one's own (struct mine). */
typedef bool session_filter(const struct tsession *t, const void *key);

/* A grid of the sessions selected by `keep` (class, expert or room) with their conflicts. */
static px_err reply_grid(struct http_req *r, const int64_t *ids, size_t n, const char *from,
			 const char *to, session_filter *keep, const void *key, json_t *head)
{
	struct timetable_data d;
	px_err rc = timetable_load(API(r)->db, ids, n, r->lang, &d);
	if (rc) {
		json_decref(head);
		return rc;
	}
	struct schedule_conflicts cf;
	schedule_conflicts(&d.in, &cf);
	json_t *sessions = json_array();
	size_t conflicts = 0, placed = 0, shown = 0;
	for (size_t i = 0; i < d.in.n_sessions; i++) {
		const struct tsession *t = &d.in.sessions[i];
		if (!keep(t, key))
			continue;
		json_t *j = session_json(r, t, &d, &cf);
		conflicts += json_array_size(json_object_get(j, "conflicts"));
		placed += t->slot >= 0;
		shown++;
		json_array_append_new(sessions, j);
	}
	json_t *rooms = json_array();
	for (size_t m = 0; m < d.in.n_rooms; m++)
		json_array_append_new(
			rooms,
			json_pack("{sI ss ss ss si}", "id", (json_int_t)d.in.rooms[m].id, "site",
				  d.in.rooms[m].site, "name", d.in.rooms[m].name, "kind",
				  d.in.rooms[m].kind, "capacity", d.in.rooms[m].capacity));
	json_object_set_new(head, "days", days_json(from, to));
	json_object_set_new(head, "slots", slots_json(r));
	json_object_set_new(head, "sessions", sessions);
	json_object_set_new(head, "rooms", rooms);
	json_object_set_new(head, "session_count", json_integer((json_int_t)shown));
	json_object_set_new(head, "placed_count", json_integer((json_int_t)placed));
	json_object_set_new(head, "conflict_count", json_integer((json_int_t)conflicts));
	schedule_conflicts_release(&cf);
	timetable_data_release(&d);
	return http_reply_json(r, 200, head);
}

static bool of_class(const struct tsession *t, const void *key)
{
	return t->class_id == *(const int64_t *)key;
}

static bool of_expert(const struct tsession *t, const void *key)
{
	int64_t id = *(const int64_t *)key;
	for (int x = 0; x < t->n_experts; x++)
		if (t->experts[x] == id)
			return true;
	return false;
}

static bool of_room(const struct tsession *t, const void *key)
{
	int64_t id = *(const int64_t *)key;
	if (t->room_id == id)
		return true;
	for (int g = 0; g < t->n_group_rooms; g++)
		if (t->group_rooms[g] == id)
			return true;
	return false;
}

px_err api_class_timetable(struct http_req *r)
{
	struct class_row row;
	px_err rc = api_class_from_path(r, PERM_CLASS_READ, &row);
	if (rc)
		return rc;
	int64_t id = row.c.id;
	int64_t *ids;
	size_t n;
	if ((rc = neighbours(r, row.c.start_date, row.c.end_date, id, &ids, &n)))
		return rc;
	json_t *head = json_pack("{so}", "class", api_class_json(r, &row));
	return reply_grid(r, ids, n, row.c.start_date, row.c.end_date, of_class, &id, head);
}

/* Expert and room views: ?from=&to= (default: the next 30 days from `from`). */
static px_err resource_grid(struct http_req *r, bool expert)
{
	int64_t id;
	px_err rc = http_param_id(r, "id", &id);
	if (rc)
		return rc;
	json_t *head;
	if (expert) {
		struct expert e;
		if ((rc = experts_get(API(r)->db, &r->arena, id, &e)))
			return rc;
		head = json_pack("{s{sI ss ss}}", "expert", "id", (json_int_t)e.id, "name", e.name,
				 "institution", e.institution);
	} else {
		struct room m;
		if ((rc = rooms_get(API(r)->db, &r->arena, id, &m)))
			return rc;
		head = json_pack("{s{sI ss ss si}}", "room", "id", (json_int_t)m.id, "name", m.name,
				 "site", m.site, "capacity", m.capacity);
	}
	const char *from = http_query(r, "from"), *to = http_query(r, "to");
	char fbuf[11], tbuf[11];
	int32_t f = from ? date_parse(from, strlen(from)) : DATE_NONE;
	int32_t t = to ? date_parse(to, strlen(to)) : DATE_NONE;
	if (f == DATE_NONE) {
		/* open where the sessions are: the last month of them, else from today */
		char first[11], last[11];
		if ((rc = tsessions_day_range(API(r)->db, expert ? id : 0, expert ? 0 : id, first,
					      last))) {
			json_decref(head);
			return rc;
		}
		int32_t a = date_parse(first, strlen(first)), b = date_parse(last, strlen(last));
		if (a != DATE_NONE && b != DATE_NONE) {
			f = b - a > 30 ? b - 30 : a;
			if (t == DATE_NONE)
				t = b;
		} else {
			f = date_today_cst();
		}
	}
	if (t == DATE_NONE || t < f || t - f > 366)
		t = f + 30;
	date_format(f, fbuf);
	date_format(t, tbuf);
	int64_t *ids;
	size_t n;
	if ((rc = neighbours(r, fbuf, tbuf, 0, &ids, &n))) {
		json_decref(head);
		return rc;
	}
	if (n == 0) {
		json_object_set_new(head, "days", days_json(fbuf, tbuf));
		json_object_set_new(head, "slots", slots_json(r));
		json_object_set_new(head, "sessions", json_array());
		return http_reply_json(r, 200, head);
	}
	return reply_grid(r, ids, n, fbuf, tbuf, expert ? of_expert : of_room, &id, head);
}

px_err api_expert_timetable(struct http_req *r)
{
	return resource_grid(r, true);
}

px_err api_room_timetable(struct http_req *r)
{
	return resource_grid(r, false);
}

/* ---- moving and pinning ---- */

px_err api_sessions_place(struct http_req *r)
{
	struct tsession t;
	px_err rc = visible_session(r, PERM_CLASS_WRITE, &t);
	if (rc)
		return rc;
	struct class_row row;
	if ((rc = classes_get(API(r)->db, &r->arena, t.class_id, &row)))
		return rc;
	json_t *body;
	if ((rc = http_json_body(r, &body)))
		return rc;
	struct field_ctx fc = { .pb = &r->problems, .arena = &r->arena, .lang = r->lang };
	static const struct field_def day_f = { "day", "日期", "Date", false, 0, NULL };
	/* a key left out keeps its value: {"pinned": true} pins in place */
	const char *day = json_object_get(body, "day")
				  ? field_date(&fc, &day_f, api_json_text(r, body, "day"), false)
				  : NULL;
	json_t *slot = json_object_get(body, "slot");
	int64_t room = api_json_id(body, "room_id");
	json_t *pinned = json_object_get(body, "pinned");
	json_t *gr = json_object_get(body, "group_rooms");
	if (day && *day) {
		if (!json_is_integer(slot) || json_integer_value(slot) < 0 ||
		    json_integer_value(slot) >= SLOTS_PER_DAY)
			api_problem(r, "slot", "invalid", "时段应为 0(上午)、1(下午)或 2(晚上)",
				    "slot must be 0, 1 or 2");
		snprintf(t.day, sizeof t.day, "%s", day);
		t.slot = json_is_integer(slot) ? (int)json_integer_value(slot) : -1;
	} else if (day) {
		t.day[0] = '\0'; /* unplace */
		t.slot = -1;
		room = 0;
	}
	if (room < 0)
		problems_add(&r->problems, 0, "room_id", "invalid", "room_id");
	else if (json_object_get(body, "room_id")) {
		struct room m;
		if (room > 0 && rooms_get(API(r)->db, &r->arena, room, &m))
			api_problem(r, "room_id", "not_found", "教室不存在", "No such room");
		t.room_id = room;
	}
	if (json_is_null(gr)) {
		t.n_group_rooms = 0; /* null clears the groups' rooms */
		gr = NULL;
	}
	if (gr && !json_is_array(gr))
		api_problem(r, "group_rooms", "invalid", "各组教室应为教室编号列表",
			    "group_rooms must be a list of room ids");
	if (json_is_array(gr)) {
		/* rooms of groups 2..N: one per further group, each a real room, none used twice
		 * (nor the first group's) */
		size_t want = t.groups > 1 ? (size_t)t.groups - 1 : 0;
		if (json_array_size(gr) > want)
			api_problem(r, "group_rooms", "too_many", "教室数多于研讨分组数",
				    "More rooms than the seminar has groups");
		t.n_group_rooms = (int)json_array_size(gr);
		t.group_rooms =
			arena_alloc(&r->arena, (size_t)(t.n_group_rooms + 1) * sizeof(int64_t));
		for (int g = 0; g < t.n_group_rooms && !r->problems.n; g++) {
			json_t *v = json_array_get(gr, (size_t)g);
			int64_t id = json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
			struct room m;
			if (id < 0 || (id > 0 && rooms_get(API(r)->db, &r->arena, id, &m)))
				api_problem(r, "group_rooms", "not_found", "分组教室不存在",
					    "No such room for a group");
			for (int k = 0; id > 0 && k < g; k++)
				if (t.group_rooms[k] == id)
					id = -2;
			if (id > 0 && id == t.room_id)
				id = -2;
			if (id == -2)
				api_problem(r, "group_rooms", "duplicate",
					    "同一教室不能同时分给两个研讨组",
					    "One room cannot hold two groups at once");
			t.group_rooms[g] = id;
		}
	}
	for (int g = 0; !json_is_array(gr) && t.room_id > 0 && g < t.n_group_rooms; g++)
		if (t.group_rooms[g] == t.room_id)
			api_problem(r, "room_id", "duplicate", "该教室已分给本课程的另一个研讨组",
				    "This room already holds another group of the session");
	if (json_is_boolean(pinned))
		t.pinned = json_is_true(pinned);
	json_decref(body);
	if (r->problems.n)
		return PX_ERR_INVALID;
	const char *dry = http_query(r, "dry_run");
	bool dry_run = dry && !strcmp(dry, "1");
	/* conflicts as they would be after the move */
	int64_t *ids;
	size_t n;
	/* the class's dates, and the target day when it lies outside them */
	const char *from = row.c.start_date, *to = row.c.end_date;
	if (t.day[0] && strcmp(t.day, from) < 0)
		from = t.day;
	if (t.day[0] && strcmp(t.day, to) > 0)
		to = t.day;
	if ((rc = neighbours(r, from, to, t.class_id, &ids, &n)))
		return rc;
	struct timetable_data d;
	if ((rc = timetable_load(API(r)->db, ids, n, r->lang, &d)))
		return rc;
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
	if (!dry_run) {
		rc = store_begin(API(r)->db);
		if (!rc)
			rc = tsessions_place(API(r)->db, &t);
		json_t *after = json_pack("{ss si sI sb}", "day", t.day, "slot", t.slot, "room_id",
					  (json_int_t)t.room_id, "pinned", t.pinned);
		rc = api_audit_commit(r, rc, "place", "session", t.id, NULL, after);
		json_decref(after);
	}
	json_t *sj = NULL, *others = json_array();
	for (size_t i = 0; i < d.in.n_sessions; i++) {
		const struct tsession *s = &d.in.sessions[i];
		if (s->id == t.id) {
			sj = session_json(r, s, &d, &cf);
			continue;
		}
		/* the other sessions this move now clashes with */
		for (size_t c = 0; c < cf.n; c++)
			if (cf.items[c].session_id == s->id && s->slot == t.slot &&
			    !strcmp(s->day, t.day)) {
				json_array_append_new(others, session_json(r, s, &d, &cf));
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
	return http_reply_json(
		r, 200,
		json_pack("{so* so sb}", "session", sj, "affected", others, "saved", !dry_run));
}

/* ---- solving in the background ---- */

struct solve_job {
	struct app *app;
	int64_t job_id;
	int64_t *class_ids;
	size_t n;
	long time_limit_ms;
	long max_iterations;
	uint64_t seed;
	bool keep_previous;
	bool has_weights;
	struct tt_weights weights;
	char lang[8];
	struct principal who;
	char username[65];
	struct store *db;
	int64_t last_write_ms;
};

static void solve_progress(void *ctx, double fraction, long best_hard, long best_soft)
{
	struct solve_job *j = ctx;
	int64_t now = time_mono_ms();
	if (now - j->last_write_ms < 500)
		return;
	j->last_write_ms = now;
	char result[96];
	snprintf(result, sizeof result, "{\"best_hard\":%ld,\"best_soft\":%ld}", best_hard,
		 best_soft);
	jobs_update(j->db, j->job_id, "running", fraction, result);
}

static void *solve_thread(void *arg)
{
	struct solve_job *j = arg;
	struct buf why = BUF_INIT(1024);
	if (store_open(j->app->dsn, &j->db, &why)) {
		fprintf(stderr, "peixun: solve job %lld: %s\n", (long long)j->job_id, why.data);
		buf_release(&why);
		goto out;
	}
	buf_release(&why);
	jobs_update(j->db, j->job_id, "running", 0, NULL);
	struct solve_request rq = { .class_ids = j->class_ids,
				    .n_classes = j->n,
				    .time_limit_ms = j->time_limit_ms,
				    .max_iterations = j->max_iterations,
				    .seed = j->seed,
				    .keep_previous = j->keep_previous,
				    .weights = j->has_weights ? &j->weights : NULL,
				    .lang = j->lang,
				    .who = &j->who,
				    .progress = solve_progress,
				    .progress_ctx = j };
	struct solve_outcome o;
	px_err rc = timetable_solve(j->db, &rq, &o);
	json_t *problems = json_array();
	for (size_t i = 0; i < o.problems.n; i++)
		json_array_append_new(
			problems,
			json_pack("{ss ss}", "field",
				  o.problems.items[i].field ? o.problems.items[i].field : "",
				  "message", o.problems.items[i].message));
	json_t *res = json_pack("{sb ss sI sI sI sI ss so}", "feasible", o.feasible, "code",
				px_err_code(rc), "placed", (json_int_t)o.placed, "sessions",
				(json_int_t)o.sessions, "soft_cost", (json_int_t)o.cost.soft_total,
				"iterations", (json_int_t)o.iterations, "explanation",
				o.explanation ? o.explanation : "", "problems", problems);
	char *text = json_dumps(res, JSON_COMPACT);
	jobs_update(j->db, j->job_id, rc ? "failed" : "done", 1.0, text);
	free(text);
	json_decref(res);
	solve_outcome_release(&o);
	store_close(j->db);
out:
	free(j->class_ids);
	free(j);
	atomic_fetch_sub(&solves_running, 1);
	return NULL;
}

px_err api_class_solve(struct http_req *r)
{
	struct class_row row;
	px_err rc = api_class_from_path(r, PERM_CLASS_WRITE, &row);
	if (!rc)
		rc = timetable_open(r, &row);
	if (rc)
		return rc;
	int64_t id = row.c.id;
	json_t *body = NULL;
	if (r->body.len && (rc = http_json_body(r, &body)))
		return rc;
	json_t *tl = json_object_get(body, "time_limit");
	json_t *it = json_object_get(body, "max_iterations");
	json_t *kp = json_object_get(body, "keep_previous");
	json_t *term = json_object_get(body, "whole_term");
	json_t *seed = json_object_get(body, "seed");
	long limit = json_is_integer(tl) ? (long)json_integer_value(tl) : 10;
	if (limit < 1 || limit > 300) {
		json_decref(body);
		api_problem(r, "time_limit", "invalid", "求解时限应为 1 至 300 秒",
			    "time_limit is 1 to 300 seconds");
		return PX_ERR_INVALID;
	}
	struct solve_job *j = xcalloc(1, sizeof *j);
	j->app = API(r)->app;
	j->time_limit_ms = limit * 1000;
	j->max_iterations = json_is_integer(it) ? (long)json_integer_value(it) : 0;
	j->seed = json_is_integer(seed) ? (uint64_t)json_integer_value(seed) : (uint64_t)time_now();
	j->keep_previous = kp ? json_is_true(kp) : true;
	snprintf(j->lang, sizeof j->lang, "%s", r->lang);
	j->who = API(r)->who;
	snprintf(j->username, sizeof j->username, "%s",
		 API(r)->who.username ? API(r)->who.username : "");
	j->who.username = j->username;
	j->who.region_path = NULL;
	bool with_term = (term ? json_is_true(term) : true) && *row.c.term;
	/* soft-constraint weights: {"preference": 3, …}; unknown keys are refused */
	json_t *wj = json_object_get(body, "weights");
	if (json_is_object(wj)) {
		j->has_weights = true;
		j->weights = tt_weights_peixun();
		const char *key;
		json_t *val;
		json_object_foreach(wj, key, val)
		{
			int k = 0;
			while (k < TT_SOFT__COUNT && strcmp(weight_keys[k], key))
				k++;
			if (k == TT_SOFT__COUNT || !json_is_integer(val) ||
			    json_integer_value(val) < 0 || json_integer_value(val) > 1000) {
				problems_add(&r->problems, 0, "weights", "invalid",
					     px_lang_is_en(r->lang)
						     ? "weights: %s is not a soft constraint or "
						       "not 0–1000"
						     : "权重:%s 不是软约束名,或不在 0–1000 之间",
					     key);
				continue;
			}
			j->weights.w[k] = (int)json_integer_value(val);
		}
		if (r->problems.n) {
			json_decref(body);
			free(j);
			return PX_ERR_INVALID;
		}
	}
	json_decref(body);
	int64_t *ids = NULL;
	size_t n = 0;
	if (with_term && (rc = classes_of_term(API(r)->db, &r->arena, row.c.term, &ids, &n))) {
		free(j);
		return rc;
	}
	/* only the term's classes the caller may change are arranged; the others stay put */
	size_t kept = 0;
	for (size_t k = 0; with_term && k < n; k++) {
		struct class_row other;
		if (ids[k] == id || (!api_class_visible(r, PERM_CLASS_WRITE, ids[k], &other) &&
				     strcmp(other.c.status, "archived")))
			ids[kept++] = ids[k];
	}
	if (with_term)
		n = kept;
	if (!with_term || n == 0 || n > MAX_CLASSES) {
		ids = &id;
		n = 1;
	}
	j->class_ids = xmalloc(n * sizeof *j->class_ids);
	memcpy(j->class_ids, ids, n * sizeof *ids);
	j->n = n;
	struct job job = { .kind = "timetable_solve",
			   .status = "queued",
			   .created_by = API(r)->who.user_id };
	json_t *params = json_pack("{sI si sb}", "class_id", (json_int_t)id, "classes", (int)n,
				   "keep_previous", j->keep_previous);
	char *ptext = json_dumps(params, JSON_COMPACT);
	job.params_json = ptext;
	rc = jobs_insert(API(r)->db, &job);
	free(ptext);
	json_decref(params);
	if (rc) {
		free(j->class_ids);
		free(j);
		return rc;
	}
	j->job_id = job.id;
	if (atomic_fetch_add(&solves_running, 1) >= MAX_SOLVES) {
		atomic_fetch_sub(&solves_running, 1);
		jobs_update(API(r)->db, job.id, "failed", 0, "{\"code\":\"busy\"}");
		free(j->class_ids);
		free(j);
		r->message = px_lang_is_en(r->lang)
				     ? "Other timetables are being arranged; try again in a minute"
				     : "其他课表正在自动排课,请稍后再试";
		return PX_ERR_BUSY;
	}
	pthread_t th;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &attr, solve_thread, j)) {
		pthread_attr_destroy(&attr);
		jobs_update(API(r)->db, job.id, "failed", 0, "{\"code\":\"internal_error\"}");
		free(j->class_ids);
		free(j);
		atomic_fetch_sub(&solves_running, 1);
		return PX_ERR_INTERNAL;
	}
	pthread_attr_destroy(&attr);
	return http_reply_json(r, 202,
			       json_pack("{sI ss si}", "job_id", (json_int_t)job.id, "status",
					 "queued", "classes", (int)n));
}

px_err api_jobs_get(struct http_req *r)
{
	int64_t id;
	struct job j;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = jobs_get(API(r)->db, &r->arena, id, &j);
	if (!rc && j.created_by != API(r)->who.user_id)
		rc = PX_ERR_NOT_FOUND;
	if (rc)
		return rc;
	json_t *result = json_loads(j.result_json, 0, NULL);
	return http_reply_json(r, 200,
			       json_pack("{sI ss ss sf so so so}", "id", (json_int_t)j.id, "kind",
					 j.kind, "status", j.status, "progress", j.progress,
					 "result", result ? result : json_object(), "created_at",
					 api_time_json(j.created_at), "updated_at",
					 api_time_json(j.updated_at)));
}

/* ---- one's own schedule ---- */

/* Add a class to a set of at most MAX_CLASSES: once, and not at all when it is full. */
static void add_class(int64_t ids[MAX_CLASSES], size_t *n, int64_t id)
{
	size_t k = 0;
	while (k < *n && ids[k] != id)
		k++;
	if (k == *n && *n < MAX_CLASSES)
		ids[(*n)++] = id;
}

/*
 * The classes of the caller's own schedule, at most MAX_CLASSES: a trainee's rosters (also
 * returned in *rosters, all of them), then the classes of an expert's sessions.
 */
static px_err own_classes(struct http_req *r, int64_t all[MAX_CLASSES], size_t *n_all,
			  int64_t **rosters, size_t *n_rosters)
{
	*rosters = NULL;
	*n_rosters = 0;
	*n_all = 0;
	px_err rc = PX_OK;
	if (API(r)->who.cadre_id > 0)
		rc = enrollments_classes_of(API(r)->db, &r->arena, API(r)->who.cadre_id, rosters,
					    n_rosters);
	struct tsession *own = NULL;
	size_t n_own = 0;
	if (!rc && API(r)->who.expert_id > 0)
		rc = tsessions_of_expert(API(r)->db, &r->arena, API(r)->who.expert_id, &own,
					 &n_own);
	if (rc)
		return rc;
	for (size_t i = 0; i < *n_rosters && *n_all < MAX_CLASSES; i++)
		all[(*n_all)++] = (*rosters)[i];
	for (size_t i = 0; i < n_own; i++)
		add_class(all, n_all, own[i].class_id);
	return PX_OK;
}

/* One's own sessions: an expert's lectures and every session of the classes on one's rosters,
 * the same for the page and the .ics. */
struct mine {
	int64_t expert_id;
	const int64_t *rosters;
	size_t n;
};

static bool is_mine(const struct tsession *t, const void *key)
{
	const struct mine *m = key;
	if (m->expert_id > 0 && of_expert(t, &m->expert_id))
		return true;
	for (size_t k = 0; k < m->n; k++)
		if (m->rosters[k] == t->class_id)
			return true;
	return false;
}

/* One's own classes loaded (d stays empty when there are none), and the filter that picks
 * one's sessions from them. */
static px_err load_mine(struct http_req *r, struct timetable_data *d, struct mine *m)
{
	int64_t all[MAX_CLASSES], *ids;
	size_t na, n;
	memset(d, 0, sizeof *d);
	px_err rc = own_classes(r, all, &na, &ids, &n);
	if (rc)
		return rc;
	*m = (struct mine){ API(r)->who.expert_id, ids, n };
	if (na && (rc = timetable_load(API(r)->db, all, na, r->lang, d)))
		timetable_data_release(d);
	return rc;
}

px_err api_my_schedule(struct http_req *r)
{
	struct timetable_data d;
	struct mine mine;
	px_err rc = load_mine(r, &d, &mine);
	if (rc)
		return rc;
	json_t *sessions = json_array();
	for (size_t i = 0; i < d.in.n_sessions; i++) {
		const struct tsession *t = &d.in.sessions[i];
		if (is_mine(t, &mine) && t->slot >= 0)
			json_array_append_new(sessions, session_json(r, t, &d, NULL));
	}
	timetable_data_release(&d);
	return http_reply_json(r, 200, json_pack("{so}", "sessions", sessions));
}

/* ---- printable and calendar exports ---- */

/* Join the names of a session's experts and rooms into arena strings. */
static void item_names(struct http_req *r, const struct timetable_data *d, const struct tsession *t,
		       struct tdoc_item *it)
{
	struct buf b = BUF_INIT(4096);
	for (int x = 0; x < t->n_experts; x++)
		for (size_t e = 0; e < d->in.n_experts; e++)
			if (d->in.experts[e].id == t->experts[x]) {
				if (b.len)
					buf_puts(&b, px_lang_is_en(r->lang) ? ", " : "、");
				buf_puts(&b, d->in.experts[e].name);
			}
	it->experts = arena_strdup(&r->arena, b.data ? b.data : "");
	buf_reset(&b);
	it->site = "";
	for (size_t m = 0; m < d->in.n_rooms; m++) {
		bool used = d->in.rooms[m].id == t->room_id;
		for (int g = 0; g < t->n_group_rooms; g++)
			used = used || d->in.rooms[m].id == t->group_rooms[g];
		if (!used)
			continue;
		if (b.len)
			buf_puts(&b, px_lang_is_en(r->lang) ? ", " : "、");
		buf_puts(&b, d->in.rooms[m].name);
		it->site = d->in.rooms[m].site;
	}
	it->room = arena_strdup(&r->arena, b.data ? b.data : "");
	buf_release(&b);
}

static px_err reply_doc(struct http_req *r, const struct timetable_data *d, session_filter *keep,
			const void *key, const char *title, const char *subtitle, const char *first,
			const char *last, bool pdf, const char *filename)
{
	struct tdoc doc = { .title = title,
			    .subtitle = subtitle,
			    .lang = r->lang,
			    .footer = "peixun 干部教育培训管理系统" };
	snprintf(doc.first_day, sizeof doc.first_day, "%s", first);
	snprintf(doc.last_day, sizeof doc.last_day, "%s", last);
	for (int s = 0; s < SLOTS_PER_DAY; s++) {
		doc.slot_labels[s] = api_label(r, &enum_slot, enum_slot.items[s].code);
		doc.slot_times[s] = arena_printf(&r->arena, "%s–%s", slot_start[s], slot_end[s]);
	}
	struct tdoc_item *items = arena_alloc(&r->arena, (d->in.n_sessions + 1) * sizeof *items);
	size_t n = 0;
	for (size_t i = 0; i < d->in.n_sessions; i++) {
		const struct tsession *t = &d->in.sessions[i];
		if (t->slot < 0 || !t->day[0] || (keep && !keep(t, key)))
			continue;
		struct tdoc_item *it = &items[n++];
		it->id = t->id;
		memcpy(it->day, t->day, sizeof it->day);
		it->slot = t->slot;
		it->start = *t->start_time ? t->start_time : slot_start[t->slot];
		it->end = *t->end_time ? t->end_time : slot_end[t->slot];
		it->kind_label = api_label(r, &enum_session_kind, t->kind);
		it->topic = t->topic;
		for (size_t k = 0; k < d->in.n_classes; k++)
			if (d->in.classes[k].id == t->class_id)
				it->class_name = d->in.classes[k].name;
		item_names(r, d, t, it);
	}
	doc.items = items;
	doc.n = n;
	struct buf out = BUF_INIT(0);
	px_err rc = pdf ? tdoc_pdf(&doc, &out) : tdoc_ics(&doc, &out);
	if (!rc)
		rc = http_reply_bytes(r, 200,
				      pdf ? "application/pdf" : "text/calendar; charset=utf-8",
				      out.data, out.len, filename);
	buf_release(&out);
	return rc;
}

static px_err class_doc(struct http_req *r, bool pdf)
{
	struct class_row row;
	px_err rc = api_class_from_path(r, PERM_CLASS_READ, &row);
	if (rc)
		return rc;
	int64_t id = row.c.id;
	struct timetable_data d;
	if ((rc = timetable_load(API(r)->db, &id, 1, r->lang, &d)))
		return rc;
	bool en = px_lang_is_en(r->lang);
	const char *sub = arena_printf(&r->arena,
				       en ? "%s · %s · %s to %s · %lld trainees"
					  : "承办:%s  地点:%s  时间:%s 至 %s  学员:%lld 人",
				       row.c.host, row.c.location, row.c.start_date, row.c.end_date,
				       (long long)row.c.enrolled);
	const char *title =
		arena_printf(&r->arena, en ? "%s — timetable" : "%s 课程表", row.c.name);
	rc = reply_doc(r, &d, of_class, &id, title, sub, row.c.start_date, row.c.end_date, pdf,
		       arena_printf(&r->arena, "%s%s", row.c.name, pdf ? ".pdf" : ".ics"));
	timetable_data_release(&d);
	return rc;
}

px_err api_class_timetable_pdf(struct http_req *r)
{
	return class_doc(r, true);
}

px_err api_class_timetable_ics(struct http_req *r)
{
	return class_doc(r, false);
}

px_err api_expert_timetable_ics(struct http_req *r)
{
	int64_t id;
	struct expert e;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = experts_get(API(r)->db, &r->arena, id, &e);
	if (rc)
		return rc;
	struct tsession *own;
	size_t n;
	if ((rc = tsessions_of_expert(API(r)->db, &r->arena, id, &own, &n)))
		return rc;
	int64_t ids[MAX_CLASSES];
	size_t na = 0;
	for (size_t i = 0; i < n; i++)
		add_class(ids, &na, own[i].class_id);
	struct timetable_data d = { 0 };
	if (na && (rc = timetable_load(API(r)->db, ids, na, r->lang, &d)))
		return rc;
	const char *title = arena_printf(
		&r->arena, px_lang_is_en(r->lang) ? "%s — lectures" : "%s 授课安排", e.name);
	rc = reply_doc(r, &d, of_expert, &id, title, NULL, "2000-01-01", "2000-01-01", false,
		       arena_printf(&r->arena, "%s.ics", e.name));
	if (na)
		timetable_data_release(&d);
	return rc;
}

px_err api_my_schedule_ics(struct http_req *r)
{
	struct timetable_data d;
	struct mine mine;
	px_err rc = load_mine(r, &d, &mine);
	if (rc)
		return rc;
	const char *title = px_lang_is_en(r->lang) ? "My training schedule" : "我的培训课表";
	rc = reply_doc(r, &d, is_mine, &mine, title, NULL, "2000-01-01", "2000-01-01", false,
		       px_lang_is_en(r->lang) ? "my-schedule.ics" : "我的课表.ics");
	timetable_data_release(&d);
	return rc;
}

px_err api_timetable_weights(struct http_req *r)
{
	struct tt_weights w = tt_weights_peixun();
	json_t *arr = json_array();
	for (int k = 0; k < TT_SOFT__COUNT; k++)
		json_array_append_new(arr, json_pack("{ss ss si}", "key", weight_keys[k], "label",
						     tt_soft_name((enum tt_soft)k, r->lang),
						     "default", w.w[k]));
	return http_reply_json(r, 200, json_pack("{so}", "weights", arr));
}
