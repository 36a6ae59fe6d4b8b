/*
 * sessions.c — /api/v1/classes/{id}/sessions and /api/v1/sessions/{id}: HTTP ↔ the
 * operations of service/class_sessions.c (add, edit, remove, move and pin a session).
 */
#include <stddef.h>
#include <string.h>

#include "api/api.h"
#include "api/body.h"
#include "service/schedule.h"

#define SESSION_FIELD(member, k, doc, ex)                                                          \
	{                                                                                          \
		NULL, BODY_TEXT, offsetof(struct session_form, in.member), &session_fields[k], 0,  \
			doc, ex                                                                    \
	}

static const struct body_field session_body_fields[] = {
	SESSION_FIELD(kind, SF_KIND, "lecture, seminar, site_visit, opening, closing …",
		      "\"lecture\""),
	SESSION_FIELD(topic, SF_TOPIC, NULL, "\"县域经济高质量发展\""),
	SESSION_FIELD(description, SF_DESCRIPTION, "What it covers", "\"\""),
	SESSION_FIELD(hours, SF_HOURS, "Credited hours, 0–24 (2 decimals at most)", "3.0"),
	SESSION_FIELD(room_kind, SF_ROOM_KIND,
		      "The kind of room it needs (none: no room; empty: any)", "\"lecture_hall\""),
	SESSION_FIELD(groups, SF_GROUPS, "A seminar held by N groups at once in N rooms, 1–50",
		      "1"),
	SESSION_FIELD(
		preferred_slot, SF_PREFERRED_SLOT,
		"0 morning, 1 afternoon, 2 evening (or morning, afternoon, evening; empty: none)",
		"0"),
	SESSION_FIELD(start_time, SF_START_TIME, "Exact start (HH:MM), or empty for the slot's",
		      "\"\""),
	SESSION_FIELD(end_time, SF_END_TIME, "Exact end (HH:MM), or empty for the slot's", "\"\""),
	{ "experts", BODY_RAW, offsetof(struct session_form, experts), NULL, false,
	  "The ids of its experts (left out: an edit keeps them)", "[13]" },
	{ "version", BODY_RAW, offsetof(struct session_form, version), NULL, false,
	  "The version an edit expects (optimistic locking; left out: not checked)", "1" },
};
const struct body_spec api_session_body = BODY_SPEC("SessionForm", session_body_fields);

static const struct body_field placement_body_fields[] = {
	{ "day", BODY_RAW, offsetof(struct placement_form, day), NULL, false,
	  "The day (YYYY-MM-DD); \"\" or null unplaces; left out: stays", "\"2024-06-04\"" },
	{ "slot", BODY_RAW, offsetof(struct placement_form, slot), NULL, false,
	  "0 morning, 1 afternoon, 2 evening (with a day)", "0" },
	{ "room_id", BODY_RAW, offsetof(struct placement_form, room_id), NULL, false,
	  "The room (null or 0: none; left out: stays)", "8" },
	{ "pinned", BODY_RAW, offsetof(struct placement_form, pinned), NULL, false,
	  "Pinned sessions stay where they are when auto-arranging (left out: stays)", "true" },
	{ "group_rooms", BODY_RAW, offsetof(struct placement_form, group_rooms), NULL, false,
	  "The rooms of a seminar's groups 2..N, e.g. [13, 14] for three groups (null clears "
	  "them; left out: they stay)",
	  "[]" },
};
const struct body_spec api_placement_body = BODY_SPEC("Placement", placement_body_fields);

px_err api_class_sessions_create(struct http_req *r)
{
	struct session_form f = { 0 };
	struct api_in in = api_in(r, &api_session_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_session_create(api_svc(r), in.id, &f, &in.out),
			201);
}

px_err api_sessions_update(struct http_req *r)
{
	struct session_form f = { 0 };
	struct api_in in = api_in(r, &api_session_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_session_update(api_svc(r), in.id, &f, &in.out),
			200);
}

px_err api_sessions_delete(struct http_req *r)
{
	return api_delete_by_id(r, svc_session_delete);
}

px_err api_sessions_place(struct http_req *r)
{
	const char *dry = http_query(r, "dry_run");
	struct placement_form f = { .dry_run = dry && !strcmp(dry, "1") };
	struct api_in in = api_in(r, &api_placement_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_session_place(api_svc(r), in.id, &f, &in.out),
			200);
}
