/*
 * grids.c — the week grids (see schedule.h): a class's, an expert's, a room's, each the
 * days and slots of its dates with the sessions placed there and their conflicts with every
 * class that shares those dates; and the default weights of auto-arrange.
 */
#include <string.h>

#include "base/arena.h"
#include "base/date.h"
#include "domain/enums.h"
#include "service/schedule_int.h"
#include "service/training.h"

/* ---- the shapes of the grids ---- */

static const struct view_field slot_fields[] = {
	{ "slot", VIEW_INT, "0 morning, 1 afternoon, 2 evening" },
	{ "label", VIEW_TEXT, "Its label" },
	{ "start", VIEW_TEXT, "Its default start (HH:MM)" },
	{ "end", VIEW_TEXT, "Its default end" },
};
static const struct view_spec slot_shape = VIEW_SPEC("Slot", slot_fields);

static const struct view_field room_fields_view[] = {
	{ "id", VIEW_INT, "The room" },
	{ "site", VIEW_TEXT, "Where" },
	{ "name", VIEW_TEXT, "Name" },
	{ "kind", VIEW_TEXT, "lecture_hall, seminar_room or offsite" },
	{ "capacity", VIEW_INT, "Seats" },
};
static const struct view_spec grid_room_shape = VIEW_SPEC("GridRoom", room_fields_view);

/* What every grid holds; a class's, an expert's and a room's add what it is of. */
/* clang-format off */
#define GRID_FIELDS                                                                                \
	{ "days", VIEW_TEXTS, "Its days (YYYY-MM-DD), the columns" },                              \
	{ "slots", VIEW_OBJECTS, "The half-days of a day, the rows", &slot_shape },                \
	{ "sessions", VIEW_OBJECTS,                                                                \
	  "Its sessions, placed and (a class's) unplaced, with their conflicts",                   \
	  &svc_class_session_shape },                                                              \
	{ "rooms", VIEW_OBJECTS, "Every room, for placing a session", &grid_room_shape },          \
	{ "session_count", VIEW_INT, "Sessions shown" },                                           \
	{ "placed_count", VIEW_INT, "Of them placed" },                                            \
	{ "conflict_count", VIEW_INT, "Their conflicts" }
/* clang-format on */

static const struct view_field class_grid_fields[] = {
	{ "class", VIEW_OBJECT, "The class", &svc_class_shape },
	GRID_FIELDS,
};
const struct view_spec svc_class_grid_shape = VIEW_SPEC("ClassTimetable", class_grid_fields);

static const struct view_field expert_head_fields[] = {
	{ "id", VIEW_INT, "The expert" },
	{ "name", VIEW_TEXT, "Name" },
	{ "institution", VIEW_TEXT, "Where the expert works" },
};
static const struct view_spec expert_head_shape = VIEW_SPEC("GridExpert", expert_head_fields);
static const struct view_field expert_grid_fields[] = {
	{ "expert", VIEW_OBJECT, "Whose lectures", &expert_head_shape },
	GRID_FIELDS,
};
const struct view_spec svc_expert_grid_shape = VIEW_SPEC("ExpertTimetable", expert_grid_fields);

static const struct view_field room_head_fields[] = {
	{ "id", VIEW_INT, "The room" },
	{ "name", VIEW_TEXT, "Name" },
	{ "site", VIEW_TEXT, "Where" },
	{ "capacity", VIEW_INT, "Seats" },
};
static const struct view_spec room_head_shape = VIEW_SPEC("GridRoomHead", room_head_fields);
static const struct view_field room_grid_fields[] = {
	{ "room", VIEW_OBJECT, "Whose sessions (any group's)", &room_head_shape },
	GRID_FIELDS,
};
const struct view_spec svc_room_grid_shape = VIEW_SPEC("RoomTimetable", room_grid_fields);

static const struct view_field weight_fields[] = {
	{ "key", VIEW_TEXT, "The soft constraint, as solve's weights name it" },
	{ "label", VIEW_TEXT, "What it asks, in the caller's language" },
	{ "default", VIEW_INT, "Its weight unless told otherwise (0–1000)" },
};
static const struct view_spec weight_shape = VIEW_SPEC("Weight", weight_fields);
static const struct view_field weights_fields[] = {
	{ "weights", VIEW_OBJECTS, "Every soft constraint", &weight_shape },
};
const struct view_spec svc_weights_shape = VIEW_SPEC("Weights", weights_fields);

/* ---- the grids ---- */

static json_t *slots_json(struct svc *c)
{
	json_t *slots = json_array();
	for (int s = 0; s < SLOTS_PER_DAY; s++)
		json_array_append_new(slots,
				      json_pack("{si ss ss ss}", "slot", s, "label",
						svc_label(c, &enum_slot, enum_slot.items[s].code),
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

/* Into head, a grid's members (GRID_FIELDS); takes sessions. */
static void grid_members(struct svc *c, json_t *head, const char *from, const char *to,
			 json_t *sessions, const struct room *r, size_t n_rooms, size_t shown,
			 size_t placed, size_t conflicts)
{
	json_t *rooms = json_array();
	for (size_t m = 0; m < n_rooms; m++)
		json_array_append_new(rooms,
				      json_pack("{sI ss ss ss si}", "id", (json_int_t)r[m].id,
						"site", r[m].site, "name", r[m].name, "kind",
						r[m].kind, "capacity", r[m].capacity));
	json_object_set_new(head, "days", days_json(from, to));
	json_object_set_new(head, "slots", slots_json(c));
	json_object_set_new(head, "sessions", sessions);
	json_object_set_new(head, "rooms", rooms);
	json_object_set_new(head, "session_count", json_integer((json_int_t)shown));
	json_object_set_new(head, "placed_count", json_integer((json_int_t)placed));
	json_object_set_new(head, "conflict_count", json_integer((json_int_t)conflicts));
}

/* Into head: the grid of the sessions selected by `keep` (class, expert or room) among
 * the classes ids[0..n), with their conflicts. A session of a class the caller may not read
 * (another office's, sharing the expert or room) shows only that the time is booked, and a
 * clash with it names no class or topic of it. head is freed on failure. */
static px_err grid(struct svc *c, const int64_t *ids, size_t n, const char *from, const char *to,
		   schedule_filter *keep, const void *key, json_t *head)
{
	struct timetable_data d;
	px_err rc = timetable_load(c->db, ids, n, c->lang, &d);
	if (!rc && (rc = schedule_mark_unreadable(c, &d)))
		timetable_data_release(&d);
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
		/* another office's unplaced session takes no time: not even that it exists */
		if (!keep(t, key) || (t->slot < 0 && schedule_booked_only(c, t, &d)))
			continue;
		json_t *j = schedule_session_view(c, t, &d, &cf);
		conflicts += json_array_size(json_object_get(j, "conflicts"));
		placed += t->slot >= 0;
		shown++;
		json_array_append_new(sessions, j);
	}
	grid_members(c, head, from, to, sessions, d.in.rooms, d.in.n_rooms, shown, placed,
		     conflicts);
	schedule_conflicts_release(&cf);
	timetable_data_release(&d);
	return PX_OK;
}

px_err svc_class_timetable(struct svc *c, int64_t class_id, json_t **out)
{
	struct class_row row;
	px_err rc = schedule_class_load(c, PERM_CLASS_READ, class_id, &row);
	if (rc)
		return rc;
	int64_t id = row.c.id;
	int64_t *ids;
	size_t n;
	if ((rc = schedule_neighbours(c, row.c.start_date, row.c.end_date, id, &ids, &n)))
		return rc;
	json_t *head = json_pack("{so}", "class", svc_class_view(c, &row));
	if ((rc = grid(c, ids, n, row.c.start_date, row.c.end_date, schedule_of_class, &id, head)))
		return rc;
	*out = head;
	return PX_OK;
}

/* An expert's or a room's grid: from..to, by default the last month of its sessions (else
 * from today), at most a year. */
static px_err resource_grid(struct svc *c, bool expert, int64_t id, const char *from,
			    const char *to, json_t **out)
{
	json_t *head;
	px_err rc;
	if (expert) {
		struct expert e;
		if ((rc = id > 0 ? experts_get(c->db, c->arena, id, &e) : PX_ERR_NOT_FOUND))
			return rc;
		head = json_pack("{s{sI ss ss}}", "expert", "id", (json_int_t)e.id, "name", e.name,
				 "institution", e.institution);
	} else {
		struct room m;
		if ((rc = id > 0 ? rooms_get(c->db, c->arena, id, &m) : PX_ERR_NOT_FOUND))
			return rc;
		head = json_pack("{s{sI ss ss si}}", "room", "id", (json_int_t)m.id, "name", m.name,
				 "site", m.site, "capacity", m.capacity);
	}
	char fbuf[11], tbuf[11];
	int32_t f = from ? date_parse(from, strlen(from)) : DATE_NONE;
	int32_t t = to ? date_parse(to, strlen(to)) : DATE_NONE;
	if (f == DATE_NONE) {
		/* open where the sessions are: the last month of them, else from today */
		char first[11], last[11];
		if ((rc = tsessions_day_range(c->db, expert ? id : 0, expert ? 0 : id, first,
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
	if ((rc = schedule_neighbours(c, fbuf, tbuf, 0, &ids, &n))) {
		json_decref(head);
		return rc;
	}
	if (n == 0) { /* no class has sessions then: an empty grid, the same members */
		struct room *rooms;
		size_t nr;
		int64_t total;
		if ((rc = rooms_list(c->db, c->arena, NULL, 1, 100000, &rooms, &nr, &total))) {
			json_decref(head);
			return rc;
		}
		grid_members(c, head, fbuf, tbuf, json_array(), rooms, nr, 0, 0, 0);
		*out = head;
		return PX_OK;
	}
	if ((rc = grid(c, ids, n, fbuf, tbuf, expert ? schedule_of_expert : schedule_of_room, &id,
		       head)))
		return rc;
	*out = head;
	return PX_OK;
}

px_err svc_expert_timetable(struct svc *c, int64_t id, const char *from, const char *to,
			    json_t **out)
{
	return resource_grid(c, true, id, from, to, out);
}

px_err svc_room_timetable(struct svc *c, int64_t id, const char *from, const char *to, json_t **out)
{
	return resource_grid(c, false, id, from, to, out);
}

px_err svc_timetable_weights(struct svc *c, json_t **out)
{
	struct tt_weights w = tt_weights_peixun();
	json_t *arr = json_array();
	for (int k = 0; k < TT_SOFT__COUNT; k++)
		json_array_append_new(
			arr, json_pack("{ss ss si}", "key", schedule_weight_keys[k], "label",
				       tt_soft_name((enum tt_soft)k, c->lang), "default", w.w[k]));
	*out = json_pack("{so}", "weights", arr);
	return PX_OK;
}
