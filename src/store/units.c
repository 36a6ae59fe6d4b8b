/*
 * units.c — units (单位). See registry.h.
 */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "store/list.h"
#include "store/registry.h"

px_err units_insert(struct store *s, struct unit *u)
{
	int64_t now = time_now();
	/* PX_ERR_CONFLICT: name or code taken; nothing written */
	return store_insert_id(
		s,
		"INSERT INTO units (region_id, parent_id, code, name, short_name, type, "
		"industries, sort_order, created_at, updated_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
		&u->id, "iItttttiii", u->region_id, u->parent_id,
		u->code && *u->code ? u->code : NULL, u->name, u->short_name ? u->short_name : "",
		u->type, u->industries ? u->industries : "", (int64_t)u->sort_order, now, now);
}

#define UNIT_COLUMNS                                                                               \
	"SELECT u.id, u.region_id, COALESCE(u.code, ''), u.name, u.short_name, u.type, "           \
	"u.industries, u.sort_order, u.version, u.created_at, u.updated_at, g.name, g.path, "      \
	"u.cadre_count, COALESCE(u.parent_id, 0)"
#define UNIT_FROM   " FROM units u JOIN regions g ON g.id = u.region_id"
#define UNIT_SELECT UNIT_COLUMNS UNIT_FROM

static void read_unit(struct arena *a, struct store_stmt *st, void *out)
{
	struct unit_row *r = out;
	r->u.id = store_column_int64(st, 0);
	r->u.region_id = store_column_int64(st, 1);
	r->u.code = row_text(a, st, 2);
	r->u.name = row_text(a, st, 3);
	r->u.short_name = row_text(a, st, 4);
	r->u.type = row_text(a, st, 5);
	r->u.industries = row_text(a, st, 6);
	r->u.sort_order = (int)store_column_int64(st, 7);
	r->version = store_column_int64(st, 8);
	r->created_at = store_column_int64(st, 9);
	r->updated_at = store_column_int64(st, 10);
	r->region_name = row_text(a, st, 11);
	r->region_path = row_text(a, st, 12);
	r->cadre_count = store_column_int64(st, 13);
	r->u.parent_id = store_column_int64(st, 14);
}

px_err units_get(struct store *s, struct arena *a, int64_t id, struct unit_row *out)
{
	return store_get_row(s, a, UNIT_SELECT " WHERE u.id = ?", id, read_unit, out);
}

static const struct sort_key unit_sorts[] = {
	{ "sort_order", "g.path, u.sort_order" },
	{ "name", "u.name" },
	{ "type", "u.type" },
	{ "cadre_count", "u.cadre_count" },
	{ "created_at", "u.created_at" },
	{ "updated_at", "u.updated_at" },
};

static void unit_filters(struct arena *a, struct qb *q, const void *query)
{
	const struct unit_query *uq = query;
	qb_scope(q, &uq->scope, false);
	if (uq->region_id > 0) {
		qb_where(q, "g.path LIKE (SELECT path FROM regions WHERE id = ?) || '%'");
		qb_arg_int(q, uq->region_id);
	}
	if (uq->type && *uq->type) {
		qb_where(q, "u.type = ?");
		qb_arg_text(q, uq->type);
	}
	if (uq->q && *uq->q) {
		qb_where(q, "(u.name LIKE ? ESCAPE '\\' OR u.short_name LIKE ? ESCAPE '\\')");
		const char *pat = like_contains(a, uq->q);
		qb_arg_text(q, pat);
		qb_arg_text(q, pat);
	}
}

static const struct list_spec unit_list = {
	.columns = UNIT_COLUMNS,
	.from = UNIT_FROM,
	.sorts = unit_sorts,
	.n_sorts = sizeof unit_sorts / sizeof unit_sorts[0],
	.tiebreak = "u.id",
	.filter = unit_filters,
	.read = read_unit,
	.row_size = sizeof(struct unit_row),
};

px_err units_list(struct store *s, struct arena *a, const struct unit_query *uq,
		  struct unit_row **items, size_t *n, int64_t *total)
{
	struct list_page page = { uq->sort, uq->page, uq->page_size };
	return store_list(s, a, &unit_list, uq, &page, (void **)items, n, total);
}

px_err units_update(struct store *s, const struct unit *u, int64_t version)
{
	return store_run(
		s,
		"UPDATE units SET region_id = ?, parent_id = ?, code = ?, name = ?, "
		"short_name = ?, type = ?, industries = ?, sort_order = ?, updated_at = ?, "
		"version = version + 1 WHERE id = ? AND version = ?",
		PX_ERR_CONFLICT, "iItttttiiii", u->region_id, u->parent_id,
		u->code && *u->code ? u->code : NULL, u->name, u->short_name ? u->short_name : "",
		u->type, u->industries ? u->industries : "", (int64_t)u->sort_order, time_now(),
		u->id, version);
}

px_err units_delete(struct store *s, int64_t id)
{
	int64_t uses = 0;
	px_err rc = store_query_int64(s,
				      "SELECT (SELECT COUNT(*) FROM cadres WHERE unit_id = ?) + "
				      "(SELECT COUNT(*) FROM users WHERE unit_id = ?)",
				      &uses, "ii", id, id);
	if (rc)
		return rc;
	if (uses)
		return PX_ERR_CONFLICT;
	return store_run(s, "DELETE FROM units WHERE id = ?", PX_ERR_NOT_FOUND, "i", id);
}

px_err units_find_by_name(struct store *s, const char *region_path, const char *name, int64_t *id)
{
	char pattern[300];
	snprintf(pattern, sizeof pattern, "%s%%", region_path ? region_path : "/");
	return store_query_int64(s,
				 "SELECT u.id FROM units u JOIN regions g ON g.id = u.region_id "
				 "WHERE (u.name = ? OR u.short_name = ?) AND g.path LIKE ? "
				 "ORDER BY (u.name = ?) DESC, u.id LIMIT 2",
				 id, "tttt", name, name, pattern, name);
}

px_err units_recount(struct store *s)
{
	return store_exec(s, "UPDATE units SET cadre_count = "
			     "(SELECT COUNT(*) FROM cadres c WHERE c.unit_id = units.id)");
}
