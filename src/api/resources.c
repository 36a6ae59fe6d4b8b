/*
 * resources.c — /api/v1/experts (师资库, with half-day availability) and /api/v1/rooms.
 */
#include <string.h>

#include "api/api.h"
#include "base/date.h"
#include "domain/enums.h"
#include "store/training.h"

static json_t *expert_json(struct http_req *r, const struct expert *e, bool with_slots)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(e->id));
	json_object_set_new(j, "name", json_string(e->name));
	json_object_set_new(j, "institution", json_string(e->institution));
	json_object_set_new(j, "title", json_string(e->title));
	json_object_set_new(j, "topics", json_string(e->topics));
	json_object_set_new(j, "bio", json_string(e->bio));
	json_object_set_new(j, "availability", json_string(e->availability));
	json_object_set_new(j, "version", json_integer(e->version));
	if (with_slots) {
		struct expert_slot *slots;
		size_t n;
		json_t *arr = json_array();
		if (!expert_slots_get(API(r)->db, &r->arena, e->id, &slots, &n))
			for (size_t i = 0; i < n; i++)
				json_array_append_new(arr, json_pack("{ss si}", "day", slots[i].day,
								     "slot", slots[i].slot));
		json_object_set_new(j, "slots", arr);
	}
	return j;
}

px_err api_experts_list(struct http_req *r)
{
	struct page_query p;
	api_list_params(r, &p, 200);
	struct expert *items;
	size_t n;
	int64_t total = 0;
	px_err rc =
		experts_list(API(r)->db, &r->arena, p.q, p.page, p.page_size, &items, &n, &total);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, expert_json(r, &items[i], false));
	return api_reply_list(r, arr, total, &p);
}

px_err api_experts_get(struct http_req *r)
{
	int64_t id;
	struct expert e;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = experts_get(API(r)->db, &r->arena, id, &e);
	return rc ? rc : http_reply_json(r, 200, expert_json(r, &e, true));
}

static px_err expert_from_body(struct http_req *r, json_t *body, struct expert *e)
{
	struct field_ctx fc = { .pb = &r->problems, .arena = &r->arena, .lang = r->lang };
	struct expert_input in = { .name = api_json_text(r, body, "name"),
				   .institution = api_json_text(r, body, "institution"),
				   .title = api_json_text(r, body, "title"),
				   .topics = api_json_text(r, body, "topics"),
				   .bio = api_json_text(r, body, "bio"),
				   .availability = api_json_text(r, body, "availability") };
	expert_validate(&fc, &in, e);
	return r->problems.n ? PX_ERR_INVALID : PX_OK;
}

/* "slots": [{"day":"2023-02-18","slot":0}, …] → array; NULL key → *n = SIZE_MAX (absent). */
static px_err slots_from_body(struct http_req *r, json_t *body, int64_t expert_id,
			      struct expert_slot **out, size_t *n)
{
	json_t *v = json_object_get(body, "slots");
	*n = SIZE_MAX;
	if (!v)
		return PX_OK;
	if (!json_is_array(v) || json_array_size(v) > 2000) {
		api_problem(r, "slots", "invalid", "可授课时段应为 {day, slot} 的列表",
			    "slots must be a list of {day, slot}");
		return PX_ERR_INVALID;
	}
	*n = json_array_size(v);
	*out = arena_alloc(&r->arena, (*n + 1) * sizeof **out);
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e)
	{
		const char *day = json_string_value(json_object_get(e, "day"));
		json_t *slot = json_object_get(e, "slot");
		int32_t d = day ? date_parse(day, strlen(day)) : DATE_NONE;
		if (d == DATE_NONE || !json_is_integer(slot) || json_integer_value(slot) < 0 ||
		    json_integer_value(slot) > 2) {
			problems_add(&r->problems, (long)i + 1, "slots", "invalid", "%s",
				     px_lang_is_en(r->lang)
					     ? "a slot needs a valid day and slot 0–2"
					     : "时段须有有效日期和 0–2 的时段号");
			return PX_ERR_INVALID;
		}
		(*out)[i].expert_id = expert_id;
		date_format(d, (*out)[i].day);
		(*out)[i].slot = (int)json_integer_value(slot);
	}
	return PX_OK;
}

px_err api_experts_create(struct http_req *r)
{
	json_t *body;
	px_err rc = http_json_body(r, &body);
	if (rc)
		return rc;
	struct expert e;
	struct expert_slot *slots = NULL;
	size_t n;
	rc = expert_from_body(r, body, &e);
	if (!rc)
		rc = slots_from_body(r, body, 0, &slots, &n);
	json_decref(body);
	if (rc)
		return rc;
	e.region_id = API(r)->who.region_id;
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = experts_insert(API(r)->db, &e);
	for (size_t i = 0; !rc && n != SIZE_MAX && i < n; i++)
		slots[i].expert_id = e.id;
	if (!rc && n != SIZE_MAX)
		rc = expert_slots_set(API(r)->db, e.id, slots, n);
	struct expert saved;
	if (!rc)
		rc = experts_get(API(r)->db, &r->arena, e.id, &saved);
	json_t *after = rc ? NULL : expert_json(r, &saved, true);
	return api_commit_write(r, rc, 201, "create", "expert", e.id, NULL, after);
}

/* Experts and rooms are shared for use across regions, but kept by the region that entered
 * them: only that region (or one above it) changes them. */
static px_err kept_here(struct http_req *r, int64_t region_id)
{
	if (region_id <= 0)
		return PX_OK;
	struct region g;
	px_err rc = regions_get(API(r)->db, &r->arena, region_id, &g);
	if (rc)
		return rc == PX_ERR_NOT_FOUND ? PX_OK : rc;
	const char *mine = API(r)->who.region_path ? API(r)->who.region_path : "";
	if (*mine && !strncmp(g.path, mine, strlen(mine)))
		return PX_OK;
	r->message = px_lang_is_en(r->lang) ? "Another region keeps this record: you may use it, "
					      "not change it"
					    : "该记录由其他地区维护,可以选用,不能修改";
	return PX_ERR_FORBIDDEN;
}

px_err api_experts_update(struct http_req *r)
{
	int64_t id;
	struct expert before;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = experts_get(API(r)->db, &r->arena, id, &before);
	if (!rc)
		rc = kept_here(r, before.region_id);
	if (rc)
		return rc;
	json_t *body;
	if ((rc = http_json_body(r, &body)))
		return rc;
	int64_t version = api_json_version(body, before.version);
	struct expert e;
	struct expert_slot *slots = NULL;
	size_t n;
	rc = expert_from_body(r, body, &e);
	if (!rc)
		rc = slots_from_body(r, body, id, &slots, &n);
	json_decref(body);
	if (rc)
		return rc;
	e.id = id;
	json_t *b = expert_json(r, &before, true);
	if ((rc = store_begin(API(r)->db))) {
		json_decref(b);
		return rc;
	}
	rc = experts_update(API(r)->db, &e, version);
	if (!rc && n != SIZE_MAX)
		rc = expert_slots_set(API(r)->db, id, slots, n);
	struct expert saved;
	if (!rc)
		rc = experts_get(API(r)->db, &r->arena, id, &saved);
	json_t *after = rc ? NULL : expert_json(r, &saved, true);
	return api_commit_write(r, rc, 200, "update", "expert", id, b, after);
}

static json_t *room_json(struct http_req *r, const struct room *m)
{
	return json_pack("{sI ss ss si ss ss sI}", "id", (json_int_t)m->id, "site", m->site, "name",
			 m->name, "capacity", m->capacity, "kind", m->kind, "kind_label",
			 api_label(r, &enum_room_kind, m->kind), "version", (json_int_t)m->version);
}

px_err api_rooms_list(struct http_req *r)
{
	struct page_query p;
	api_list_params(r, &p, 500);
	struct room *items;
	size_t n;
	int64_t total = 0;
	px_err rc = rooms_list(API(r)->db, &r->arena, http_query(r, "site"), p.page, p.page_size,
			       &items, &n, &total);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, room_json(r, &items[i]));
	return api_reply_list(r, arr, total, &p);
}

static px_err room_from_body(struct http_req *r, json_t *body, struct room *m)
{
	struct field_ctx fc = { .pb = &r->problems, .arena = &r->arena, .lang = r->lang };
	struct room_input in = { .site = api_json_text(r, body, "site"),
				 .name = api_json_text(r, body, "name"),
				 .capacity = api_json_text(r, body, "capacity"),
				 .kind = api_json_text(r, body, "kind") };
	room_validate(&fc, &in, m);
	return r->problems.n ? PX_ERR_INVALID : PX_OK;
}

static px_err room_conflict(struct http_req *r)
{
	api_problem(r, "name", "duplicate", "该地点已有同名教室",
		    "This site already has a room of that name");
	return PX_ERR_CONFLICT;
}

px_err api_rooms_create(struct http_req *r)
{
	json_t *body;
	px_err rc = http_json_body(r, &body);
	if (rc)
		return rc;
	struct room m;
	rc = room_from_body(r, body, &m);
	json_decref(body);
	if (rc)
		return rc;
	m.region_id = API(r)->who.region_id;
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = rooms_insert(API(r)->db, &m);
	json_t *after = rc ? NULL : room_json(r, &m);
	rc = api_commit_write(r, rc, 201, "create", "room", m.id, NULL, after);
	return rc == PX_ERR_CONFLICT ? room_conflict(r) : rc;
}

px_err api_rooms_update(struct http_req *r)
{
	int64_t id;
	struct room before;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = rooms_get(API(r)->db, &r->arena, id, &before);
	if (!rc)
		rc = kept_here(r, before.region_id);
	if (rc)
		return rc;
	json_t *body;
	if ((rc = http_json_body(r, &body)))
		return rc;
	int64_t version = api_json_version(body, before.version);
	struct room m;
	rc = room_from_body(r, body, &m);
	json_decref(body);
	if (rc)
		return rc;
	m.id = id;
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = rooms_update(API(r)->db, &m, version);
	struct room saved;
	if (!rc)
		rc = rooms_get(API(r)->db, &r->arena, id, &saved);
	json_t *after = rc ? NULL : room_json(r, &saved);
	return api_commit_write(r, rc, 200, "update", "room", id, room_json(r, &before), after);
}
