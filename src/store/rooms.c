/*
 * rooms.c — rooms (教室/研讨室). See training.h.
 */
#include "store/training.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/mem.h"
#include "store/list.h"

px_err rooms_insert(struct store *s, struct room *r)
{
	int64_t now = time_now();
	return store_insert_id(s,
			       "INSERT INTO rooms (region_id, site, name, capacity, kind, "
			       "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
			       "ON CONFLICT DO NOTHING RETURNING id",
			       &r->id, "Ittitii", r->region_id, r->site, r->name,
			       (int64_t)r->capacity, r->kind, now, now);
}

#define ROOM_COLUMNS "SELECT id, COALESCE(region_id, 0), site, name, capacity, kind, version"
#define ROOM_SELECT  ROOM_COLUMNS " FROM rooms"

static void read_room(struct arena *a, struct store_stmt *st, void *out)
{
	struct room *r = out;
	r->id = store_column_int64(st, 0);
	r->region_id = store_column_int64(st, 1);
	r->site = row_text(a, st, 2);
	r->name = row_text(a, st, 3);
	r->capacity = (int)store_column_int64(st, 4);
	r->kind = row_text(a, st, 5);
	r->version = store_column_int64(st, 6);
}

px_err rooms_get(struct store *s, struct arena *a, int64_t id, struct room *out)
{
	return store_get_row(s, a, ROOM_SELECT " WHERE id = ?", id, read_room, out);
}

/* query: the site (const char *), or NULL for every site */
static void room_filters(struct arena *a, struct qb *q, const void *query)
{
	const char *site = query;
	(void)a;
	if (site && *site) {
		qb_where(q, "site = ?");
		qb_arg_text(q, site);
	}
}

static const struct list_spec room_list = {
	.columns = ROOM_COLUMNS,
	.from = " FROM rooms",
	/* within a site and kind, as the office entered them (第一、第二 …研讨室: names sort
	 * by code point, not as people count) */
	.order = "site, kind, id",
	.filter = room_filters,
	.read = read_room,
	.row_size = sizeof(struct room),
};

px_err rooms_list(struct store *s, struct arena *a, const char *site, long page, long page_size,
		  struct room **items, size_t *n, int64_t *total)
{
	struct list_page p = { NULL, page, page_size };
	return store_list(s, a, &room_list, site, &p, (void **)items, n, total);
}

px_err rooms_update(struct store *s, const struct room *r, int64_t version)
{
	return store_run(s,
			 "UPDATE rooms SET site = ?, name = ?, capacity = ?, kind = ?, "
			 "updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
			 PX_ERR_CONFLICT, "ttitiii", r->site, r->name, (int64_t)r->capacity,
			 r->kind, time_now(), r->id, version);
}
