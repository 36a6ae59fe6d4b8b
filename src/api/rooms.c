/*
 * rooms.c — /api/v1/rooms (教室/研讨室): HTTP ↔ the operations of service/rooms.c.
 */
#include <stddef.h>

#include "api/api.h"
#include "api/body.h"
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

px_err api_rooms_list(struct http_req *r)
{
	struct page_query p;
	api_list_params(r, &p, 500);
	struct svc_page page;
	px_err rc = svc_rooms_list(api_svc(r), http_query(r, "site"), &p, &page);
	return rc ? rc : api_reply_page(r, &page, &p);
}

px_err api_rooms_create(struct http_req *r)
{
	struct room_form f = { .version = -1 };
	json_t *out = NULL;
	px_err rc = api_body(r, &api_room_body, &f, false);
	if (!rc)
		rc = svc_room_create(api_svc(r), &f, &out);
	return api_reply(r, rc, 201, out);
}

px_err api_rooms_update(struct http_req *r)
{
	int64_t id;
	struct room_form f = { .version = -1 };
	json_t *out = NULL;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = api_body(r, &api_room_body, &f, false);
	if (!rc)
		rc = svc_room_update(api_svc(r), id, &f, &out);
	return api_reply(r, rc, 200, out);
}
