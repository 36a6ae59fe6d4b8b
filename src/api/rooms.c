/*
 * rooms.c — /api/v1/rooms (教室/研讨室): HTTP ↔ the operations of service/rooms.c.
 */
#include <stddef.h>

#include "api/api.h"
#include "api/body.h"
#include "api/query.h"
#include "service/training.h"

#define ROOM_FIELD(member, k, doc, ex)                                                             \
	{                                                                                          \
		NULL, BODY_TEXT, offsetof(struct room_form, in.member), &room_fields[k], 0, doc,   \
			ex                                                                         \
	}

static const struct body_field room_body_fields[] = {
	ROOM_FIELD(site, RMF_SITE, "The place it is at (a school, a base)", "\"南安市委党校\""),
	ROOM_FIELD(name, RMF_NAME, "Unique at its site", "\"研讨室G\""),
	ROOM_FIELD(capacity, RMF_CAPACITY, "Seats, 1–5000", "16"),
	ROOM_FIELD(kind, RMF_KIND, "lecture_hall, seminar_room or offsite", "\"seminar_room\""),
	{ "version", BODY_INT, offsetof(struct room_form, version), NULL, false,
	  "The version an update expects (optimistic locking)", "1" },
};
const struct body_spec api_room_body = BODY_SPEC("RoomForm", room_body_fields);

struct room_query {
	const char *site;
};
static const struct query_field room_query_fields[] = {
	{ "site", QUERY_TEXT, offsetof(struct room_query, site), NULL, 0, 0,
	  "Rooms of this site (a school, a hotel …)" },
};
const struct query_spec api_room_query = QUERY_SPEC(room_query_fields);

px_err api_rooms_list(struct http_req *r)
{
	struct page_query p;
	struct room_query f = { 0 };
	struct svc_page page;
	px_err rc = api_list_query(r, &p, 500, &api_room_query, &f);
	if (!rc)
		rc = svc_rooms_list(api_svc(r), f.site, &p, &page);
	return rc ? rc : api_reply_page(r, &page, &p);
}

px_err api_rooms_create(struct http_req *r)
{
	struct room_form f = { .version = -1 };
	struct api_in in = api_in(r, &api_room_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_room_create(api_svc(r), &f, &in.out), 201);
}

px_err api_rooms_update(struct http_req *r)
{
	struct room_form f = { .version = -1 };
	struct api_in in = api_in(r, &api_room_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_room_update(api_svc(r), in.id, &f, &in.out),
			200);
}
