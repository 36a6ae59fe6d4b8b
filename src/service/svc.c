/*
 * svc.c — the operations' context and the skeletons every resource shares (see svc.h).
 */
#include "service/svc.h"

#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "service/app.h"
#include "store/accounts.h"
#include "store/store.h"

void svc_init_shell(struct svc *c, struct store *db, const struct app *app, const char *lang,
		    struct arena *arena, struct problems *problems)
{
	*c = (struct svc){ .db = db,
			   .who = &principal_shell,
			   .lang = lang && px_lang_is_en(lang) ? "en" : "zh-CN",
			   .ip = "",
			   .arena = arena,
			   .problems = problems,
			   .app = app };
}

const struct secret_keys *svc_keys(const struct svc *c)
{
	return &c->app->keys;
}

const char *svc_db_message(const struct svc *c)
{
	return store_errmsg(c->db);
}

void svc_db_close(struct svc *c)
{
	store_close(c->db);
	c->db = NULL;
}

bool svc_en(const struct svc *c)
{
	return px_lang_is_en(c->lang);
}

const char *svc_text(const struct svc *c, const char *zh, const char *en)
{
	return svc_en(c) ? en : zh;
}

const char *svc_label(const struct svc *c, const struct enum_table *t, const char *code)
{
	return enum_label(t, code, c->lang);
}

void svc_problem(struct svc *c, const char *field, const char *code, const char *zh, const char *en)
{
	problems_add(c->problems, 0, field, code, "%s", svc_text(c, zh, en));
}

px_err svc_fail(struct svc *c, px_err rc, const char *zh, const char *en)
{
	c->message = svc_text(c, zh, en);
	return rc;
}

px_err svc_problems_rc(const struct svc *c)
{
	return c->problems->n ? PX_ERR_INVALID : PX_OK;
}

struct scope_filter svc_scope(const struct svc *c, enum perm perm)
{
	return scope_filter_for(c->who, perm);
}

bool svc_has(const struct svc *c, enum perm perm)
{
	return principal_scope(c->who, perm) != SCOPE_NONE;
}

bool svc_may(const struct svc *c, enum perm perm, const struct scope_target *t)
{
	return principal_may(c->who, perm, t);
}

px_err svc_check_reference(struct svc *c, px_err rc, enum perm perm, const struct scope_target *t,
			   const char *field, const char *zh, const char *en)
{
	if (rc == PX_ERR_NOT_FOUND || (!rc && !svc_may(c, perm, t))) {
		svc_problem(c, field, "not_found", zh, en);
		return PX_OK;
	}
	return rc;
}

px_err svc_begin(struct svc *c)
{
	return store_begin(c->db);
}

px_err svc_audit(struct svc *c, const char *action, const char *entity, int64_t id, json_t *before,
		 json_t *after)
{
	char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char *a = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	px_err rc =
		audit_add(c->db, c->who->shell ? NULL : c->who, c->ip, action, entity, id, b, a);
	free(b);
	free(a);
	return rc;
}

px_err svc_commit(struct svc *c, px_err rc, const char *action, const char *entity, int64_t id,
		  json_t *before, json_t *after)
{
	if (!rc)
		rc = svc_audit(c, action, entity, id, before, after);
	if (!rc)
		return store_commit(c->db);
	store_rollback(c->db);
	return rc;
}

/* ---- around a request ---- */

void svc_read_begin(struct svc *c)
{
	store_snapshot_begin(c->db);
}

bool svc_request_end(struct svc *c)
{
	bool open = c->db->txn_depth > 0;
	while (c->db->txn_depth)
		store_rollback(c->db);
	store_snapshot_end(c->db);
	return open;
}

uint64_t svc_generation(struct svc *c)
{
	return store_generation(c->db);
}

const char *svc_db_error(struct svc *c)
{
	return store_errmsg(c->db);
}

/* ---- the generic skeletons ---- */

px_err svc_load(struct svc *c, const struct svc_kind *k, enum perm perm, int64_t id, void *row)
{
	if (id <= 0)
		return PX_ERR_NOT_FOUND;
	px_err rc = k->get(c, id, row);
	return rc ? rc : k->visible(c, perm, row);
}

/* Read the row back and give its view; NULL on failure (*rc says why). */
static json_t *saved_view(struct svc *c, const struct svc_kind *k, int64_t id, px_err *rc)
{
	void *row = arena_alloc(c->arena, k->row_size); /* zeroed */
	if ((*rc = k->get(c, id, row)))
		return NULL;
	return k->view(c, row);
}

px_err svc_create_generic(struct svc *c, const struct svc_kind *k, svc_insert_fn *insert,
			  void *input, int64_t *id_out, json_t **out)
{
	px_err rc = svc_begin(c);
	if (rc)
		return rc;
	int64_t id = 0;
	json_t *after = NULL;
	rc = insert(c, input, &id);
	if (!rc)
		after = saved_view(c, k, id, &rc);
	rc = svc_commit(c, rc, "create", k->entity, id, NULL, after);
	if (!rc && id_out)
		*id_out = id;
	if (!rc && out)
		*out = after;
	else
		json_decref(after);
	return rc;
}

px_err svc_update_generic(struct svc *c, const struct svc_kind *k, const char *action,
			  const void *before, int64_t id, svc_change_fn *change, void *input,
			  json_t **out)
{
	px_err rc = svc_begin(c);
	if (rc)
		return rc;
	/* The view before the change is taken first: a view may read more than the row (an
	 * expert's marked half-days), and the change rewrites that too. */
	json_t *after = NULL, *was = k->view(c, before);
	rc = change(c, before, input);
	if (!rc)
		after = saved_view(c, k, id, &rc);
	rc = svc_commit(c, rc, action, k->entity, id, was, after);
	json_decref(was);
	if (rc == PX_ERR_CONFLICT && !c->problems->n && !c->message && k->stale_zh)
		svc_fail(c, rc, k->stale_zh, k->stale_en);
	if (!rc && out)
		*out = after;
	else
		json_decref(after);
	return rc;
}

px_err svc_delete_generic(struct svc *c, const struct svc_kind *k, const void *before, int64_t id,
			  svc_change_fn *del)
{
	px_err rc = svc_begin(c);
	if (rc)
		return rc;
	rc = del(c, before, NULL);
	json_t *was = rc ? NULL : k->view(c, before);
	rc = svc_commit(c, rc, "delete", k->entity, id, was, NULL);
	json_decref(was);
	return rc;
}

px_err svc_list_generic(struct svc *c, const struct svc_kind *k, svc_list_fn *list,
			const void *query, struct svc_page *out)
{
	void *rows;
	size_t n;
	out->items = NULL;
	out->total = 0;
	out->sheet = k->sheet;
	px_err rc = list(c, query, &rows, &n, &out->total);
	if (rc)
		return rc;
	out->items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out->items, k->view(c, (char *)rows + i * k->row_size));
	return PX_OK;
}

/* ---- small conversions ---- */

json_t *svc_time_json(int64_t t)
{
	if (t <= 0)
		return json_null();
	char s[21];
	return json_string(time_format_iso(t, s));
}

json_t *svc_id_json(int64_t id)
{
	return id > 0 ? json_integer(id) : json_null();
}

json_t *svc_codes_json(const char *joined)
{
	json_t *a = json_array();
	for (const char *p = joined; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		if (n)
			json_array_append_new(a, json_stringn(p, n));
		p += n + (comma ? 1 : 0);
	}
	return a;
}

bool svc_json_ids(const json_t *arr, int64_t *ids, size_t max, size_t *n)
{
	*n = 0;
	if (!json_is_array(arr) || json_array_size(arr) > max)
		return false;
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *v = json_array_get(arr, i);
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return false;
		for (size_t k = 0; k < *n; k++)
			if (ids[k] == json_integer_value(v))
				return false;
		ids[(*n)++] = json_integer_value(v);
	}
	return true;
}
