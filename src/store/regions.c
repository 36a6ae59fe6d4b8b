/*
 * regions.c — the region tree (行政区划). See registry.h.
 *
 * A region's path is its ancestors' ids and its own, "/1/2/5/": subtree queries are one
 * prefix match on an indexed column, and scope checks compare strings without recursion.
 * The path is written right after the insert, inside the caller's transaction.
 */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/mem.h"
#include "store/query.h"
#include "store/registry.h"

px_err regions_insert(struct store *s, struct region *r)
{
	int64_t now = time_now();
	char parent_path[256] = "/";
	px_err rc;
	if (r->parent_id > 0) {
		struct arena a;
		arena_init(&a);
		struct region parent;
		rc = regions_get(s, &a, r->parent_id, &parent);
		if (!rc)
			snprintf(parent_path, sizeof parent_path, "%s", parent.path);
		arena_release(&a);
		if (rc)
			return rc;
	}
	rc = store_insert_id(
		s,
		"INSERT INTO regions (parent_id, code, name, level, path, sort_order, "
		"created_at, updated_at) VALUES (?, ?, ?, ?, '', ?, ?, ?) RETURNING id",
		&r->id, "Itttiii", r->parent_id, r->code ? r->code : "", r->name, r->level,
		(int64_t)r->sort_order, now, now);
	if (rc)
		return rc;
	char path[300];
	snprintf(path, sizeof path, "%s%lld/", parent_path, (long long)r->id);
	rc = store_run(s, "UPDATE regions SET path = ? WHERE id = ?", PX_OK, "ti", path, r->id);
	r->path = NULL;
	return rc;
}

#define REGION_COLS                                                                                \
	"g.id, COALESCE(g.parent_id, 0), g.code, g.name, g.level, g.path, g.sort_order, "          \
	"(SELECT COUNT(*) FROM units x WHERE x.region_id = g.id)"

static void read_region(struct arena *a, struct store_stmt *st, void *out)
{
	struct region *r = out;
	r->id = store_column_int64(st, 0);
	r->parent_id = store_column_int64(st, 1);
	r->code = row_text(a, st, 2);
	r->name = row_text(a, st, 3);
	r->level = row_text(a, st, 4);
	r->path = row_text(a, st, 5);
	r->sort_order = (int)store_column_int64(st, 6);
	r->unit_count = store_column_int64(st, 7);
}

px_err regions_get(struct store *s, struct arena *a, int64_t id, struct region *out)
{
	return store_get_row(s, a, "SELECT " REGION_COLS " FROM regions g WHERE g.id = ?", id,
			     read_region, out);
}

px_err regions_list(struct store *s, struct arena *a, const struct scope_filter *f,
		    struct region **out, size_t *n)
{
	struct qb q;
	qb_init(&q, "SELECT " REGION_COLS " FROM regions g");
	if (f->scope == SCOPE_REGION) {
		qb_where(&q, "g.path LIKE CAST(? AS TEXT) || '%'");
		qb_arg_text(&q, f->region_path);
	} else if (f->scope != SCOPE_ALL) {
		qb_where(&q, "1 = 0");
	}
	qb_sql(&q, " ORDER BY g.path, g.sort_order, g.id");
	return qb_rows(s, a, &q, read_region, sizeof **out, (void **)out, n);
}

px_err regions_update(struct store *s, const struct region *r)
{
	return store_run(s,
			 "UPDATE regions SET code = ?, name = ?, level = ?, sort_order = ?, "
			 "updated_at = ? WHERE id = ?",
			 PX_ERR_NOT_FOUND, "tttiii", r->code ? r->code : "", r->name, r->level,
			 (int64_t)r->sort_order, time_now(), r->id);
}

px_err regions_delete(struct store *s, int64_t id)
{
	int64_t uses = 0;
	px_err rc = store_query_int64(s,
				      "SELECT (SELECT COUNT(*) FROM regions WHERE parent_id = ?) + "
				      "(SELECT COUNT(*) FROM units WHERE region_id = ?) + "
				      "(SELECT COUNT(*) FROM users WHERE region_id = ?)",
				      &uses, "iii", id, id, id);
	if (rc)
		return rc;
	if (uses)
		return PX_ERR_CONFLICT;
	return store_run(s, "DELETE FROM regions WHERE id = ?", PX_ERR_NOT_FOUND, "i", id);
}

px_err regions_count(struct store *s, int64_t *n)
{
	return store_query_int64(s, "SELECT COUNT(*) FROM regions", n, "");
}
