/*
 * remask.c — the data step of migration 0008: masks recomputed inside stored JSON.
 *
 * The migration's SQL recomputes cadres.id_masked. What SQL cannot say alike on both
 * databases is done here, in the migration's transaction, over JSON the program wrote:
 * the cadre views of audit entries (an id_number masked by the older rule beside the full
 * birth date gave the whole number: it keeps its region code only now), the search text
 * and file name an export recorded, the messages of import problems (imports.errors_json)
 * and those of import jobs' results (ID and phone numbers masked by mask_numbers). Rows
 * are read by id in batches, so a long audit log takes no more memory than a short one.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "domain/mask.h"
#include "store/migrations.h"
#include "store/store.h"

/* Mask the members that may hold a number, anywhere in v; true when one changed. */
static bool remask_value(json_t *v)
{
	bool changed = false;
	if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e) changed |= remask_value(e);
		return changed;
	}
	if (!json_is_object(v))
		return false;
	const char *key;
	json_t *m;
	json_object_foreach(v, key, m)
	{
		if (!json_is_string(m)) {
			changed |= remask_value(m);
			continue;
		}
		bool id = !strcmp(key, "id_number") && json_string_length(m) == 18;
		if (!id && strcmp(key, "query") && strcmp(key, "file") && strcmp(key, "message"))
			continue;
		char *s = xstrdup(json_string_value(m));
		if (id)
			mask_idcard_again(s);
		else
			mask_numbers(s);
		if (strcmp(s, json_string_value(m))) {
			json_string_set(m, s);
			changed = true;
		}
		free(s);
	}
	return changed;
}

/* The text masked (caller frees), or NULL when nothing changed or it is no JSON. */
static char *remask_text(const char *text, size_t dump_flags)
{
	if (!text || !*text)
		return NULL;
	json_t *v = json_loads(text, 0, NULL);
	char *out = v && remask_value(v) ? json_dumps(v, dump_flags) : NULL;
	json_decref(v);
	return out;
}

#define BATCH   256
#define STR_(x) #x
#define STR(x)  STR_(x)

struct remask_table {
	const char *select; /* id and the JSON columns of the rows with id > ?, by id, BATCH */
	const char *update; /* the JSON columns, then the id */
	int columns;        /* 1 or 2 */
	size_t dump_flags;  /* as the program writes them */
};

static const struct remask_table tables[] = {
	{ "SELECT id, before_json, after_json FROM audit_log "
	  "WHERE (entity = 'cadre' OR action = 'export') AND id > ? "
	  "ORDER BY id LIMIT " STR(BATCH),
	  "UPDATE audit_log SET before_json = ?, after_json = ? WHERE id = ?", 2,
	  JSON_COMPACT | JSON_SORT_KEYS },
	{ "SELECT id, errors_json FROM imports WHERE errors_json <> '[]' AND id > ? ORDER BY id "
	  "LIMIT " STR(BATCH),
	  "UPDATE imports SET errors_json = ? WHERE id = ?", 1, JSON_COMPACT },
	{ "SELECT id, result_json FROM jobs WHERE kind = 'registry.import' AND id > ? ORDER BY "
	  "id LIMIT " STR(BATCH),
	  "UPDATE jobs SET result_json = ? WHERE id = ?", 1, JSON_COMPACT },
};

struct remask_row {
	int64_t id;
	char *text[2];   /* as stored */
	char *masked[2]; /* NULL: unchanged */
};

static px_err remask_batch(struct store *s, const struct remask_table *t, int64_t *after,
			   bool *more)
{
	struct remask_row rows[BATCH];
	size_t n = 0;
	struct store_stmt *st;
	px_err rc = store_prepare(s, t->select, &st);
	if (!rc)
		rc = store_bindf(st, "i", *after);
	bool row = false;
	while (!rc && n < BATCH && !(rc = store_step(st, &row)) && row) {
		struct remask_row *r = &rows[n++];
		r->id = store_column_int64(st, 0);
		for (int k = 0; k < t->columns; k++) {
			const char *text = store_column_text(st, 1 + k);
			r->text[k] = xstrdup(text ? text : "");
			r->masked[k] = remask_text(r->text[k], t->dump_flags);
		}
	}
	store_done(st);
	for (size_t i = 0; i < n; i++) {
		struct remask_row *r = &rows[i];
		bool changed = r->masked[0] || (t->columns > 1 && r->masked[1]);
		const char *a = r->masked[0] ? r->masked[0] : r->text[0];
		if (!rc && changed)
			rc = t->columns > 1
				     ? store_run(s, t->update, PX_OK, "tti", a,
						 r->masked[1] ? r->masked[1] : r->text[1], r->id)
				     : store_run(s, t->update, PX_OK, "ti", a, r->id);
		for (int k = 0; k < t->columns; k++) {
			free(r->text[k]);
			free(r->masked[k]);
		}
	}
	*more = !rc && n == BATCH;
	if (n)
		*after = rows[n - 1].id;
	return rc;
}

px_err store_remask_0008(struct store *s)
{
	px_err rc = PX_OK;
	for (size_t i = 0; !rc && i < sizeof tables / sizeof tables[0]; i++) {
		int64_t after = 0;
		bool more = true;
		while (!rc && more)
			rc = remask_batch(s, &tables[i], &after, &more);
	}
	return rc;
}
