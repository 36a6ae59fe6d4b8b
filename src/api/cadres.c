/*
 * cadres.c — /api/v1/cadres: the registry of cadres, their history, and revealing a
 * protected number.
 *
 * Lists and single reads show ID and phone numbers masked, whatever the role; the full
 * numbers come only from POST /cadres/{id}/reveal, which needs cadre.reveal and leaves an
 * audit entry naming who looked. Writes go through cadre_validate (the same rules as the
 * importer), reject a second cadre with the same ID number, and write the audit entry in
 * the same transaction (with masked numbers only).
 */
#include <string.h>

#include "api/api.h"
#include "base/date.h"
#include "base/jsonw.h"
#include "domain/enums.h"

struct cadre_out {
	struct http_req *r;
	struct jsonw w;
};

static void write_row(void *ctx, const void *row)
{
	struct cadre_out *o = ctx;
	api_cadre_write(o->r, &o->w, row);
}

struct cadre_query api_cadre_query(struct http_req *r, const struct list_params *p, enum perm perm)
{
	const char *head = http_query(r, "is_head");
	struct cadre_query q = {
		.scope = api_scope(r, perm),
		.region_id = http_query_long(r, "region_id", 0, 0, INT32_MAX),
		.unit_id = http_query_long(r, "unit_id", 0, 0, INT32_MAX),
		.q = p->q,
		.rank_level = http_query(r, "rank_level"),
		.category = http_query(r, "category"),
		.status = http_query(r, "status"),
		.is_head = head && *head ? (!strcmp(head, "1") || !strcmp(head, "true")) : -1,
	};
	if (q.rank_level && !*q.rank_level)
		q.rank_level = NULL;
	if (q.category && !*q.category)
		q.category = NULL;
	if (q.status && !*q.status)
		q.status = NULL;
	return q;
}

px_err api_cadres_list(struct http_req *r)
{
	struct list_params p;
	api_list_params(r, &p, 200);
	struct cadre_query q = api_cadre_query(r, &p, PERM_CADRE_READ);
	q.sort = p.sort;
	q.page = p.page;
	q.page_size = p.page_size;
	/* The busiest reply of the registry: each row written as it is read, without copies
	 * or a jansson tree. */
	struct buf *b = http_reply_begin(r, 200, "application/json; charset=utf-8");
	struct cadre_out out = { .r = r, .w = JSONW_INIT(b) };
	jw_object(&out.w);
	jw_key(&out.w, "items");
	jw_array(&out.w);
	int64_t total = 0;
	px_err rc =
		cadres_each(API(r)->db, &r->arena, &API(r)->app->keys, &q, write_row, &out, &total);
	if (rc)
		return rc;
	jw_end(&out.w);
	jw_kint(&out.w, "total", total);
	jw_kint(&out.w, "page", p.page);
	jw_kint(&out.w, "page_size", p.page_size);
	jw_end(&out.w);
	return b->err;
}

/* Load a cadre inside the caller's scope for `perm`, else not found. */
static px_err visible_cadre(struct http_req *r, enum perm perm, struct cadre_row *c)
{
	int64_t id;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = cadres_get(API(r)->db, &r->arena, id, c);
	if (rc)
		return rc;
	struct scope_filter f = api_scope(r, perm);
	if (f.scope == SCOPE_CLASSES) {
		/* a class manager: the trainees on its rosters */
		int64_t n = 0;
		rc = store_query_int64(
			API(r)->db,
			"SELECT COUNT(*) FROM enrollments e JOIN class_managers m ON "
			"m.class_id = e.class_id WHERE m.user_id = ? AND e.cadre_id = ?",
			&n, "ii", API(r)->who.user_id, c->c.id);
		return rc ? rc : n ? PX_OK : PX_ERR_NOT_FOUND;
	}
	struct scope_target t = { .region_path = c->region_path,
				  .unit_id = c->c.unit_id,
				  .cadre_id = c->c.id };
	return api_in_scope(r, perm, &t) ? PX_OK : PX_ERR_NOT_FOUND;
}

px_err api_cadres_get(struct http_req *r)
{
	struct cadre_row c;
	px_err rc = visible_cadre(r, PERM_CADRE_READ, &c);
	if (rc)
		return rc;
	struct buf *b = http_reply_begin(r, 200, "application/json; charset=utf-8");
	struct jsonw w = JSONW_INIT(b);
	api_cadre_write(r, &w, &c);
	return b->err;
}

/*
 * Validate a JSON body into c: the fields of cadre_validate plus unit_id, which must name a
 * unit inside the caller's write scope. `keep_id` (an update) lets a body without id_number
 * keep the stored number.
 */
static px_err cadre_from_body(struct http_req *r, json_t *body, struct cadre *c,
			      const char *keep_id, const char *keep_phone)
{
	struct field_ctx fc = {
		.pb = &r->problems, .arena = &r->arena, .lang = r->lang, .today = date_today_cst()
	};
	struct cadre_input in = { 0 };
	for (int i = 0; i < CF__COUNT; i++)
		in.v[i] = api_json_text(r, body, cadre_fields[i].name);
	if (keep_id && !json_object_get(body, "id_number"))
		in.v[CF_ID_NUMBER] = keep_id;
	if (keep_phone && !json_object_get(body, "phone"))
		in.v[CF_PHONE] = keep_phone;
	cadre_validate(&fc, &in, c);
	int64_t unit_id = api_json_id(body, "unit_id");
	if (unit_id <= 0) {
		api_problem(r, "unit_id", "required", "单位不能为空", "Unit is required");
	} else {
		struct unit_row u = { 0 };
		px_err rc = units_get(API(r)->db, &r->arena, unit_id, &u);
		if ((rc = api_check_reference(r, rc, PERM_CADRE_WRITE,
					      &(struct scope_target){ .region_path = u.region_path,
								      .unit_id = u.u.id },
					      "unit_id", "单位不存在或不在您的管理范围内",
					      "Unit: no such unit in your scope")))
			return rc;
		c->unit_id = unit_id;
	}
	return r->problems.n ? PX_ERR_INVALID : PX_OK;
}

static px_err duplicate_id(struct http_req *r)
{
	api_problem(r, "id_number", "duplicate", "该身份证号已登记,不能重复录入",
		    "A cadre with this ID number is already registered");
	return PX_ERR_CONFLICT;
}

px_err api_cadres_create(struct http_req *r)
{
	json_t *body;
	px_err rc = http_json_body(r, &body);
	if (rc)
		return rc;
	struct cadre c;
	rc = cadre_from_body(r, body, &c, NULL, NULL);
	json_decref(body);
	if (rc)
		return rc;
	struct cadre_sealed z;
	if ((rc = cadre_seal(&API(r)->app->keys, &c, &z)))
		return rc;
	bool exists = false;
	if ((rc = cadres_id_hash_exists(API(r)->db, z.id_hash, 0, &exists)) || exists) {
		return rc ? rc : duplicate_id(r);
	}
	if (!(rc = store_begin(API(r)->db))) {
		rc = cadres_insert(API(r)->db, &c, &z, time_now(), true);
		struct cadre_row saved;
		if (!rc)
			rc = cadres_get(API(r)->db, &r->arena, c.id, &saved);
		json_t *after = rc ? NULL : api_cadre_json(r, &saved);
		rc = api_commit_write(r, rc, 201, "create", "cadre", c.id, NULL, after);
	}
	return rc == PX_ERR_CONFLICT ? duplicate_id(r) : rc;
}

px_err api_cadres_update(struct http_req *r)
{
	struct cadre_row before;
	px_err rc = visible_cadre(r, PERM_CADRE_WRITE, &before);
	if (rc)
		return rc;
	json_t *body;
	if ((rc = http_json_body(r, &body)))
		return rc;
	struct buf id = BUF_INIT(64), phone = BUF_INIT(64);
	if ((rc = cadres_reveal(API(r)->db, &API(r)->app->keys, before.c.id, &id, &phone))) {
		json_decref(body);
		goto done;
	}
	int64_t version = api_json_version(body, before.version);
	const char *reason = api_json_text(r, body, "change_reason");
	const char *eff = api_json_text(r, body, "effective_date");
	struct cadre c;
	rc = cadre_from_body(r, body, &c, id.data ? id.data : "", phone.data ? phone.data : "");
	json_decref(body);
	if (reason && strlen(reason) > 300) {
		api_problem(r, "change_reason", "too_long", "变动原因过长",
			    "The reason is too long");
		rc = PX_ERR_INVALID;
	}
	if (rc)
		goto done;
	struct cadre_sealed z;
	if ((rc = cadre_seal(&API(r)->app->keys, &c, &z)))
		goto done;
	bool exists = false;
	rc = cadres_id_hash_exists(API(r)->db, z.id_hash, before.c.id, &exists);
	if (!rc && exists)
		rc = duplicate_id(r);
	if (!rc && !(rc = store_begin(API(r)->db))) {
		rc = cadres_update(API(r)->db, &before, &c, &z, version, API(r)->who.user_id,
				   reason, eff, r->lang);
		struct cadre_row saved;
		if (!rc)
			rc = cadres_get(API(r)->db, &r->arena, before.c.id, &saved);
		json_t *after = rc ? NULL : api_cadre_json(r, &saved);
		rc = api_commit_write(r, rc, 200, "update", "cadre", before.c.id,
				      api_cadre_json(r, &before), after);
	}
	if (rc == PX_ERR_CONFLICT && !r->problems.n)
		r->message = px_lang_is_en(r->lang)
				     ? "Someone else changed this cadre; reload and retry"
				     : "该干部信息已被他人修改,请刷新后重试";
done:
	buf_release(&id);
	buf_release(&phone);
	return rc;
}

px_err api_cadres_history(struct http_req *r)
{
	struct cadre_row c;
	px_err rc = visible_cadre(r, PERM_CADRE_READ, &c);
	if (rc)
		return rc;
	struct cadre_history *h;
	size_t n;
	if ((rc = cadres_history(API(r)->db, &r->arena, c.c.id, &h, &n)))
		return rc;
	static const struct {
		const char *field, *zh, *en;
	} names[] = {
		{ "unit", "单位", "Unit" },
		{ "post", "职务", "Post" },
		{ "rank_level", "职级层次", "Rank level" },
		{ "grade", "公务员职级", "Grade" },
		{ "category", "干部类别", "Category" },
		{ "status", "状态", "Status" },
		{ "is_head", "一把手", "First-in-command" },
	};
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *label = h[i].field;
		for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
			if (!strcmp(names[k].field, h[i].field))
				label = px_lang_is_en(r->lang) ? names[k].en : names[k].zh;
		json_t *j = json_object();
		json_object_set_new(j, "id", json_integer(h[i].id));
		json_object_set_new(j, "field", json_string(h[i].field));
		json_object_set_new(j, "field_label", json_string(label));
		json_object_set_new(j, "old_value", json_string(h[i].old_value));
		json_object_set_new(j, "new_value", json_string(h[i].new_value));
		json_object_set_new(j, "old_label", json_string(h[i].old_label));
		json_object_set_new(j, "new_label", json_string(h[i].new_label));
		json_object_set_new(j, "effective_date", json_string(h[i].effective_date));
		json_object_set_new(j, "reason", json_string(h[i].reason));
		json_object_set_new(j, "changed_at", api_time_json(h[i].changed_at));
		json_object_set_new(j, "changed_by", json_string(h[i].changed_by_name));
		json_array_append_new(arr, j);
	}
	struct list_params p = { 1, (long)n, NULL, NULL };
	return api_reply_list(r, arr, (int64_t)n, &p);
}

px_err api_cadres_reveal(struct http_req *r)
{
	struct cadre_row c;
	px_err rc = visible_cadre(r, PERM_CADRE_REVEAL, &c);
	if (rc)
		return rc;
	struct buf id = BUF_INIT(64), phone = BUF_INIT(64);
	if ((rc = cadres_reveal(API(r)->db, &API(r)->app->keys, c.c.id, &id, &phone)))
		goto out;
	/* Looking at personal data is itself recorded. */
	json_t *what = json_pack("{ss}", "fields", "id_number,phone");
	rc = api_audit(r, "reveal", "cadre", c.c.id, NULL, what);
	json_decref(what);
	if (!rc)
		rc = http_reply_json(r, 200,
				     json_pack("{sI ss ss}", "id", (json_int_t)c.c.id, "id_number",
					       id.data ? id.data : "", "phone",
					       phone.data ? phone.data : ""));
out:
	buf_release(&id);
	buf_release(&phone);
	return rc;
}
