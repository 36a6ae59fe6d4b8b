/*
 * sessions.c — /api/v1/classes/{id}/sessions and /api/v1/sessions/{id}: HTTP ↔ the
 * operations of service/class_sessions.c (add, edit, remove, move and pin a session).
 */
#include <stddef.h>
#include <string.h>

#include "api/api.h"
#include "api/body.h"
#include "service/schedule.h"

#define SESSION_TEXT(name, member, doc, ex)                                                        \
	{                                                                                          \
		name, BODY_TEXT, offsetof(struct session_form, in.member), NULL, false, doc, ex    \
	}

static const struct body_field session_body_fields[] = {
	SESSION_TEXT("kind", kind, "Kind: lecture, seminar, site_visit, opening, closing …",
		     "\"lecture\""),
	SESSION_TEXT("topic", topic, "Topic (required)", "\"深入学习贯彻党的二十大精神\""),
	SESSION_TEXT("description", description, "What it covers", "\"\""),
	SESSION_TEXT("hours", hours, "Credited hours", "3"),
	SESSION_TEXT("room_kind", room_kind, "The kind of room it needs", "\"lecture_hall\""),
	SESSION_TEXT("groups", groups, "A seminar held by N groups at once in N rooms", "1"),
	SESSION_TEXT("preferred_slot", preferred_slot, "0 morning, 1 afternoon, 2 evening", "2"),
	SESSION_TEXT("start_time", start_time, "Exact start (HH:MM), or empty for the slot's",
		     "\"\""),
	SESSION_TEXT("end_time", end_time, "Exact end (HH:MM), or empty for the slot's", "\"\""),
	{ "experts", BODY_RAW, offsetof(struct session_form, experts), NULL, false,
	  "The ids of its experts (left out: an edit keeps them)", "[3]" },
	{ "version", BODY_RAW, offsetof(struct session_form, version), NULL, false,
	  "The version an edit expects (optimistic locking)", "1" },
};
const struct body_spec api_session_body = BODY_SPEC("SessionForm", session_body_fields);

static const struct body_field placement_body_fields[] = {
	{ "day", BODY_RAW, offsetof(struct placement_form, day), NULL, false,
	  "The day (YYYY-MM-DD); \"\" or null unplaces; left out: stays", "\"2023-02-20\"" },
	{ "slot", BODY_RAW, offsetof(struct placement_form, slot), NULL, false,
	  "0 morning, 1 afternoon, 2 evening (with a day)", "0" },
	{ "room_id", BODY_RAW, offsetof(struct placement_form, room_id), NULL, false,
	  "The room (null: none; left out: stays)", "4" },
	{ "pinned", BODY_RAW, offsetof(struct placement_form, pinned), NULL, false,
	  "Pinned sessions stay where they are when auto-arranging", "true" },
	{ "group_rooms", BODY_RAW, offsetof(struct placement_form, group_rooms), NULL, false,
	  "Rooms of a seminar's groups 2..N (null clears them)", "[5, 6]" },
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
