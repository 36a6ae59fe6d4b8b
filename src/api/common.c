/*
 * common.c — helpers shared by the API's resource files (see api.h).
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/date.h"
#include "base/jsonw.h"
#include "base/utf8.h"
#include "domain/enums.h"
#include "service/sheets.h"

/* ?format=xlsx turns a list into a spreadsheet of every matching row (up to this many). */
#define XLSX_LIST_MAX 10000

static bool wants_xlsx(struct http_req *r)
{
	const char *f = http_query(r, "format");
	return f && !strcmp(f, "xlsx");
}

void api_list_params(struct http_req *r, struct page_query *p, long max_page_size)
{
	p->page = http_query_long(r, "page", 1, 1, 1000000000);
	p->page_size = http_query_long(r, "page_size", 20, 1, max_page_size);
	if (wants_xlsx(r)) {
		p->page = 1;
		p->page_size = XLSX_LIST_MAX;
	}
	const char *q = http_query(r, "q");
	p->q = NULL;
	if (q) {
		size_t n = utf8_trim(&q, strlen(q));
		if (n && n <= 200 && utf8_valid(q, n))
			p->q = arena_strndup(&r->arena, q, n);
	}
	p->sort = http_query(r, "sort");
}

/* The list as .xlsx (service/sheets.c); takes items. */
static px_err reply_list_xlsx(struct http_req *r, json_t *items)
{
	struct buf out = BUF_INIT(0);
	px_err rc = svc_list_sheet(api_svc(r), items, &out);
	json_decref(items);
	if (!rc)
		rc = api_reply_xlsx(r, &out, px_lang_is_en(r->lang) ? "list.xlsx" : "列表.xlsx");
	buf_release(&out);
	return rc;
}

px_err api_reply_list(struct http_req *r, json_t *items, int64_t total, const struct page_query *p)
{
	if (wants_xlsx(r))
		return reply_list_xlsx(r, items);
	json_t *j = json_object();
	json_object_set_new(j, "items", items);
	json_object_set_new(j, "total", json_integer(total));
	json_object_set_new(j, "page", json_integer(p->page));
	json_object_set_new(j, "page_size", json_integer(p->page_size));
	return http_reply_json(r, 200, j);
}

px_err api_reply_page(struct http_req *r, struct svc_page *page, const struct page_query *p)
{
	struct page_query all = { 1, (long)json_array_size(page->items), NULL, NULL };
	json_t *items = page->items;
	page->items = NULL;
	return api_reply_list(r, items, page->total, p ? p : &all);
}

px_err api_reply(struct http_req *r, px_err rc, int status, json_t *out)
{
	if (rc) {
		json_decref(out);
		return rc;
	}
	if (!out) {
		r->status = status;
		return PX_OK;
	}
	return http_reply_json(r, status, out);
}

px_err api_reply_xlsx(struct http_req *r, const struct buf *file, const char *filename)
{
	return http_reply_bytes(r, 200,
				"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
				file->data, file->len, filename);
}

const char *api_json_text(struct http_req *r, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return arena_strndup(&r->arena, json_string_value(v), json_string_length(v));
	if (json_is_integer(v))
		return arena_printf(&r->arena, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v)) /* 15 digits: 1234567.89 as written (%g's 6: 1.23457e+06) */
		return arena_printf(&r->arena, "%.15g", json_real_value(v));
	if (json_is_boolean(v))
		return json_is_true(v) ? "1" : "0";
	return arena_strdup(&r->arena, "\x01"); /* an object or array: fails every text check */
}

int64_t api_json_id(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v))
		return json_integer_value(v) > 0 ? json_integer_value(v) : -1;
	if (json_is_string(v)) {
		char *end;
		long long n = strtoll(json_string_value(v), &end, 10);
		return *end || n <= 0 ? -1 : n;
	}
	return -1;
}

int64_t api_json_version(json_t *body, int64_t current)
{
	json_t *v = json_object_get(body, "version");
	return json_is_integer(v) ? json_integer_value(v) : current;
}

const char *api_json_codes(struct http_req *r, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_array(v))
		return api_json_text(r, obj, key);
	struct buf b = BUF_INIT(4096);
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e)
	{
		if (i)
			buf_putc(&b, ',');
		buf_puts(&b, json_is_string(e) ? json_string_value(e) : "\x01");
	}
	const char *t = arena_strdup(&r->arena, b.data ? b.data : "");
	buf_release(&b);
	return t;
}

json_t *api_codes_json(const char *joined)
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

void api_problem(struct http_req *r, const char *field, const char *code, const char *zh,
		 const char *en)
{
	problems_add(&r->problems, 0, field, code, "%s", px_lang_is_en(r->lang) ? en : zh);
}

px_err api_check_reference(struct http_req *r, px_err rc, enum perm perm,
			   const struct scope_target *t, const char *field, const char *zh,
			   const char *en)
{
	if (rc == PX_ERR_NOT_FOUND || (!rc && !api_in_scope(r, perm, t))) {
		api_problem(r, field, "not_found", zh, en);
		return PX_OK;
	}
	return rc;
}

px_err api_audit(struct http_req *r, const char *action, const char *entity, int64_t id,
		 json_t *before, json_t *after)
{
	char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char *a = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	px_err rc = audit_add(API(r)->db, &API(r)->who, r->ip, action, entity, id, b, a);
	free(b);
	free(a);
	return rc;
}

px_err api_audit_commit(struct http_req *r, px_err rc, const char *action, const char *entity,
			int64_t id, json_t *before, json_t *after)
{
	if (!rc)
		rc = api_audit(r, action, entity, id, before, after);
	if (!rc)
		rc = store_commit(API(r)->db);
	else
		store_rollback(API(r)->db);
	return rc;
}

px_err api_commit_write(struct http_req *r, px_err rc, int status, const char *action,
			const char *entity, int64_t id, json_t *before, json_t *after)
{
	rc = api_audit_commit(r, rc, action, entity, id, before, after);
	json_decref(before);
	if (rc) {
		json_decref(after);
		return rc;
	}
	if (!after) {
		r->status = status; /* 204: nothing to say */
		return PX_OK;
	}
	return http_reply_json(r, status, after);
}

struct scope_filter api_scope(struct http_req *r, enum perm perm)
{
	return scope_filter_for(&API(r)->who, perm);
}

bool api_in_scope(struct http_req *r, enum perm perm, const struct scope_target *t)
{
	struct scope_filter f = api_scope(r, perm);
	return scope_contains(&API(r)->who, f.scope, t);
}

const char *api_label(struct http_req *r, const struct enum_table *t, const char *code)
{
	return enum_label(t, code, r->lang);
}

json_t *api_time_json(int64_t t)
{
	if (t <= 0)
		return json_null();
	char s[21];
	return json_string(time_format_iso(t, s));
}

json_t *api_region_json(struct http_req *r, const struct region *g)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(g->id));
	json_object_set_new(j, "parent_id",
			    g->parent_id > 0 ? json_integer(g->parent_id) : json_null());
	json_object_set_new(j, "code", json_string(g->code));
	json_object_set_new(j, "name", json_string(g->name));
	json_object_set_new(j, "level", json_string(g->level));
	json_object_set_new(j, "level_label",
			    json_string(api_label(r, &enum_region_level, g->level)));
	json_object_set_new(j, "sort_order", json_integer(g->sort_order));
	json_object_set_new(j, "unit_count", json_integer(g->unit_count));
	return j;
}

json_t *api_unit_json(struct http_req *r, const struct unit_row *u)
{
	json_t *tags = api_codes_json(u->u.industries);
	json_t *j = json_pack("{sI sI ss ss ss ss ss so si sI sI so so}", "id", (json_int_t)u->u.id,
			      "region_id", (json_int_t)u->u.region_id, "region_name",
			      u->region_name, "code", u->u.code ? u->u.code : "", "name", u->u.name,
			      "short_name", u->u.short_name ? u->u.short_name : "", "type",
			      u->u.type, "industries", tags, "sort_order", u->u.sort_order,
			      "cadre_count", (json_int_t)u->cadre_count, "version",
			      (json_int_t)u->version, "created_at", api_time_json(u->created_at),
			      "updated_at", api_time_json(u->updated_at));
	json_object_set_new(j, "type_label", json_string(api_label(r, &enum_unit_type, u->u.type)));
	json_object_set_new(j, "parent_id",
			    u->u.parent_id ? json_integer(u->u.parent_id) : json_null());
	return j;
}

/* A time as ISO 8601 text, or null for 0. */
static void jw_time(struct jsonw *w, const char *key, int64_t t)
{
	jw_key(w, key);
	if (t <= 0) {
		jw_null(w);
		return;
	}
	char s[21];
	jw_str(w, time_format_iso(t, s));
}

void api_cadre_write(struct http_req *r, struct jsonw *w, const struct cadre_row *row)
{
	const struct cadre *c = &row->c;
	jw_object(w);
	jw_kint(w, "id", c->id);
	jw_kstr(w, "name", c->name);
	jw_kstr(w, "gender", c->gender);
	jw_kstr(w, "gender_label", api_label(r, &enum_gender, c->gender));
	jw_kstr(w, "birth_date", c->birth_date);
	jw_kstr(w, "id_number", c->id_number);
	jw_kstr(w, "phone", c->phone ? c->phone : "");
	jw_kint(w, "unit_id", c->unit_id);
	jw_kstr(w, "unit_name", row->unit_name);
	jw_kstr(w, "unit_type", row->unit_type);
	jw_kstr(w, "post", c->post ? c->post : "");
	jw_kbool(w, "is_head", c->is_head > 0);
	jw_kstr(w, "rank_level", c->rank_level);
	jw_kstr(w, "rank_level_label", api_label(r, &enum_rank_level, c->rank_level));
	jw_kstr(w, "grade", c->grade ? c->grade : "");
	jw_kstr(w, "grade_label", c->grade && *c->grade ? api_label(r, &enum_grade, c->grade) : "");
	jw_kstr(w, "category", c->category);
	jw_kstr(w, "category_label", api_label(r, &enum_category, c->category));
	jw_kstr(w, "post_date", c->post_date ? c->post_date : "");
	jw_kstr(w, "promotion_date", c->promotion_date ? c->promotion_date : "");
	jw_kstr(w, "status", c->status);
	jw_kstr(w, "status_label", api_label(r, &enum_status, c->status));
	jw_kint(w, "version", row->version);
	jw_time(w, "created_at", row->created_at);
	jw_time(w, "updated_at", row->updated_at);
	jw_end(w);
}

json_t *api_cadre_json(struct http_req *r, const struct cadre_row *row)
{
	struct buf b = BUF_INIT(0);
	struct jsonw w = JSONW_INIT(&b);
	api_cadre_write(r, &w, row);
	json_t *j = json_loadb(b.data, b.len, 0, NULL);
	buf_release(&b);
	return j ? j : json_object();
}

json_t *api_user_json(struct http_req *r, const struct user *u)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(u->id));
	json_object_set_new(j, "username", json_string(u->username));
	json_object_set_new(j, "display_name", json_string(u->display_name));
	json_object_set_new(j, "role", json_string(u->role));
	json_object_set_new(j, "role_label", json_string(api_label(r, &enum_role, u->role)));
	json_object_set_new(j, "region_id",
			    u->region_id ? json_integer(u->region_id) : json_null());
	json_object_set_new(j, "region_name", json_string(u->region_name ? u->region_name : ""));
	json_object_set_new(j, "unit_id", u->unit_id ? json_integer(u->unit_id) : json_null());
	json_object_set_new(j, "unit_name", json_string(u->unit_name ? u->unit_name : ""));
	json_object_set_new(j, "cadre_id", u->cadre_id ? json_integer(u->cadre_id) : json_null());
	json_object_set_new(j, "cadre_name", json_string(u->cadre_name ? u->cadre_name : ""));
	json_object_set_new(j, "expert_id",
			    u->expert_id ? json_integer(u->expert_id) : json_null());
	json_object_set_new(j, "active", json_boolean(u->active));
	json_object_set_new(j, "locked", json_boolean(u->locked_until > time_now()));
	json_object_set_new(j, "must_change_password", json_boolean(u->must_change_password));
	json_object_set_new(j, "last_login_at", api_time_json(u->last_login_at));
	json_object_set_new(j, "version", json_integer(u->version));
	json_object_set_new(j, "created_at", api_time_json(u->created_at));
	return j;
}
