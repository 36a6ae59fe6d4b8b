/*
 * experts.c — experts (师资库) and their half-day availability. See training.h.
 */
#include "store/training.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/mem.h"
#include "store/list.h"

px_err experts_insert(struct store *s, struct expert *e)
{
	int64_t now = time_now();
	return store_insert_id(s,
			       "INSERT INTO experts (region_id, name, institution, title, topics, "
			       "bio, availability, created_at, updated_at) "
			       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			       &e->id, "Ittttttii", e->region_id, e->name,
			       e->institution ? e->institution : "", e->title ? e->title : "",
			       e->topics ? e->topics : "", e->bio ? e->bio : "",
			       e->availability ? e->availability : "open", now, now);
}

#define EXPERT_COLUMNS                                                                             \
	"SELECT id, COALESCE(region_id, 0), name, institution, title, topics, bio, availability, " \
	"version"
#define EXPERT_SELECT EXPERT_COLUMNS " FROM experts"

static void read_expert(struct arena *a, struct store_stmt *st, void *out)
{
	struct expert *e = out;
	e->id = store_column_int64(st, 0);
	e->region_id = store_column_int64(st, 1);
	e->name = row_text(a, st, 2);
	e->institution = row_text(a, st, 3);
	e->title = row_text(a, st, 4);
	e->topics = row_text(a, st, 5);
	e->bio = row_text(a, st, 6);
	e->availability = row_text(a, st, 7);
	e->version = store_column_int64(st, 8);
}

px_err experts_get(struct store *s, struct arena *a, int64_t id, struct expert *out)
{
	return store_get_row(s, a, EXPERT_SELECT " WHERE id = ?", id, read_expert, out);
}

/* query: the search text (const char *), or NULL */
static void expert_filters(struct arena *a, struct qb *q, const void *query)
{
	const char *text = query;
	if (text && *text) {
		const char *pat = like_contains(a, text);
		qb_where(q, "(name LIKE ? ESCAPE '\\' OR institution LIKE ? ESCAPE '\\' OR "
			    "topics LIKE ? ESCAPE '\\')");
		qb_arg_text(q, pat);
		qb_arg_text(q, pat);
		qb_arg_text(q, pat);
	}
}

static const struct list_spec expert_list = {
	.columns = EXPERT_COLUMNS,
	.from = " FROM experts",
	.order = "id",
	.filter = expert_filters,
	.read = read_expert,
	.row_size = sizeof(struct expert),
};

px_err experts_list(struct store *s, struct arena *a, const char *q, long page, long page_size,
		    struct expert **items, size_t *n, int64_t *total)
{
	struct list_page p = { NULL, page, page_size };
	return store_list(s, a, &expert_list, q, &p, (void **)items, n, total);
}

px_err experts_update(struct store *s, const struct expert *e, int64_t version)
{
	return store_run(s,
			 "UPDATE experts SET name = ?, institution = ?, title = ?, "
			 "topics = ?, bio = ?, availability = ?, updated_at = ?, "
			 "version = version + 1 WHERE id = ? AND version = ?",
			 PX_ERR_CONFLICT, "ttttttiii", e->name,
			 e->institution ? e->institution : "", e->title ? e->title : "",
			 e->topics ? e->topics : "", e->bio ? e->bio : "",
			 e->availability ? e->availability : "open", time_now(), e->id, version);
}

px_err expert_slots_set(struct store *s, int64_t expert_id, const struct expert_slot *slots,
			size_t n)
{
	px_err rc =
		store_run(s, "DELETE FROM expert_slots WHERE expert_id = ?", PX_OK, "i", expert_id);
	for (size_t i = 0; !rc && i < n; i++)
		rc = store_run(s,
			       "INSERT INTO expert_slots (expert_id, day, slot) VALUES (?, ?, ?) "
			       "ON CONFLICT DO NOTHING",
			       PX_OK, "iti", expert_id, slots[i].day, (int64_t)slots[i].slot);
	return rc;
}

static void read_slot(struct arena *a, struct store_stmt *st, void *out)
{
	(void)a;
	struct expert_slot *e = out;
	e->expert_id = store_column_int64(st, 0);
	snprintf(e->day, sizeof e->day, "%s", store_column_text(st, 1));
	e->slot = (int)store_column_int64(st, 2);
}

px_err expert_slots_get(struct store *s, struct arena *a, int64_t expert_id,
			struct expert_slot **out, size_t *n)
{
	struct qb q;
	qb_init(&q, "SELECT expert_id, day, slot FROM expert_slots WHERE expert_id = ? "
		    "ORDER BY day, slot");
	qb_arg_int(&q, expert_id);
	return qb_rows(s, a, &q, read_slot, sizeof **out, (void **)out, n);
}
