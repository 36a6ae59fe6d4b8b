/*
 * rooms.c — rooms (教室/研讨室) and who keeps the shared resources: see training.h.
 */
#include <string.h>

#include "service/training.h"
#include "service/sheets.h"
#include "store/training.h"

px_err svc_kept_here(struct svc *c, int64_t region_id)
{
	if (region_id <= 0)
		return PX_OK;
	struct region g;
	px_err rc = regions_get(c->db, c->arena, region_id, &g);
	if (rc)
		return rc == PX_ERR_NOT_FOUND ? PX_OK : rc;
	const char *mine = c->who->region_path ? c->who->region_path : "";
	if (*mine && !strncmp(g.path, mine, strlen(mine)))
		return PX_OK;
	return svc_fail(c, PX_ERR_FORBIDDEN, "该记录由其他地区维护,可以选用,不能修改",
			"Another region keeps this record: you may use it, not change it");
}

static px_err room_get(struct svc *c, int64_t id, void *row)
{
	return rooms_get(c->db, c->arena, id, row);
}

/* Shared for use across regions, as experts are. */
static px_err room_visible(struct svc *c, enum perm perm, const void *row)
{
	(void)c;
	(void)perm;
	(void)row;
	return PX_OK;
}

static json_t *room_view(struct svc *c, const void *row)
{
	const struct room *m = row;
	return json_pack("{sI ss ss si ss ss sI}", "id", (json_int_t)m->id, "site", m->site, "name",
			 m->name, "capacity", m->capacity, "kind", m->kind, "kind_label",
			 svc_label(c, &enum_room_kind, m->kind), "version", (json_int_t)m->version);
}

static const struct view_field room_view_fields[] = {
	{ "id", VIEW_INT, "Id" },
	{ "site", VIEW_TEXT, "The place it is at" },
	{ "name", VIEW_TEXT, "Name, unique at its site" },
	{ "capacity", VIEW_INT, "Seats" },
	{ "kind", VIEW_TEXT, "lecture_hall, seminar_room or offsite" },
	{ "kind_label", VIEW_TEXT, "Its label" },
	{ "version", VIEW_INT, "Send it back with an update (optimistic locking)" },
};
const struct view_spec svc_room_shape = VIEW_SPEC("Room", room_view_fields);

static const struct sheet_column room_columns[] = {
	{ "site", &room_fields[RMF_SITE], NULL, NULL, 24 },
	{ "name", &room_fields[RMF_NAME], NULL, NULL, 20 },
	{ "kind_label", &room_fields[RMF_KIND] },
	{ "capacity", &room_fields[RMF_CAPACITY], NULL, NULL, 8 },
};
static const struct sheet_spec room_sheet = SHEET_SPEC("room", "教室", "Rooms", room_columns);

const struct svc_kind svc_room_kind = {
	.entity = "room",
	.row_size = sizeof(struct room),
	.get = room_get,
	.visible = room_visible,
	.view = room_view,
	.shape = &svc_room_shape,
	.sheet = &room_sheet,
};

struct room_list_args {
	const char *site;
	const struct page_query *page;
};

static px_err list_rooms(struct svc *c, const void *query, void **rows, size_t *n, int64_t *total)
{
	const struct room_list_args *q = query;
	return rooms_list(c->db, c->arena, q->site, q->page->page, q->page->page_size,
			  (struct room **)rows, n, total);
}

px_err svc_rooms_list(struct svc *c, const char *site, const struct page_query *p,
		      struct svc_page *out)
{
	struct room_list_args q = { site, p };
	return svc_list_generic(c, &svc_room_kind, list_rooms, &q, out);
}

static px_err room_of_form(struct svc *c, const struct room_form *f, struct room *m)
{
	struct field_ctx fc = { .pb = c->problems, .arena = c->arena, .lang = c->lang };
	room_validate(&fc, &f->in, m);
	return svc_problems_rc(c);
}

static px_err insert_room(struct svc *c, void *input, int64_t *id)
{
	struct room *m = input;
	px_err rc = rooms_insert(c->db, m);
	*id = m->id;
	if (rc == PX_ERR_CONFLICT)
		svc_problem(c, "name", "duplicate", "该地点已有同名教室",
			    "This site already has a room of that name");
	return rc;
}

px_err svc_room_create(struct svc *c, const struct room_form *f, json_t **out)
{
	struct room m;
	px_err rc = room_of_form(c, f, &m);
	if (rc)
		return rc;
	m.region_id = c->who->region_id;
	return svc_create_generic(c, &svc_room_kind, insert_room, &m, NULL, out);
}

struct room_change {
	struct room m;
	int64_t version;
};

static px_err update_room(struct svc *c, const void *before, void *input)
{
	(void)before;
	struct room_change *ch = input;
	return rooms_update(c->db, &ch->m, ch->version);
}

px_err svc_room_update(struct svc *c, int64_t id, const struct room_form *f, json_t **out)
{
	struct room before;
	px_err rc = svc_load(c, &svc_room_kind, PERM_ROOM_WRITE, id, &before);
	if (!rc)
		rc = svc_kept_here(c, before.region_id);
	if (rc)
		return rc;
	struct room_change ch = { .version = f->version >= 0 ? f->version : before.version };
	if ((rc = room_of_form(c, f, &ch.m)))
		return rc;
	ch.m.id = id;
	return svc_update_generic(c, &svc_room_kind, "update", &before, id, update_room, &ch, out);
}
