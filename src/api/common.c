/*
 * common.c — helpers shared by the API's resource files (see api.h).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/date.h"
#include "base/jsonw.h"
#include "base/utf8.h"
#include "domain/enums.h"
#include "api/body.h"
#include "api/query.h"
#include "service/sheets.h"

/* ?format=xlsx turns a list into a spreadsheet of every matching row (up to this many). */
#define XLSX_LIST_MAX 10000

static bool wants_xlsx(struct http_req *r)
{
	const char *f = http_query(r, "format");
	return f && !strcmp(f, "xlsx");
}

/* What every list reads: page, its size, a search text and a sort key. */
struct list_query {
	int64_t page, page_size;
	const char *q, *sort;
};
static const struct query_field list_fields[] = {
	{ "page", QUERY_INT, offsetof(struct list_query, page), NULL, 1, 1000000000,
	  "Page, from 1" },
	{ "page_size", QUERY_INT, offsetof(struct list_query, page_size), NULL, 1, 1000000,
	  "Rows a page (a list caps it: 200, or 500 for units and rooms)" },
	{ "q", QUERY_TEXT, offsetof(struct list_query, q), NULL, 0, 0, "Search text" },
	{ "sort", QUERY_TEXT, offsetof(struct list_query, sort), NULL, 0, 0,
	  "A sort key; -key for descending (an unknown key sorts the default way)" },
};
const struct query_spec api_page_query = QUERY_SPEC(list_fields);

px_err api_list_params(struct http_req *r, struct page_query *p, long max_page_size)
{
	struct list_query l = { .page = 1, .page_size = 20 };
	px_err rc = api_query(r, &api_page_query, &l);
	*p = (struct page_query){ .page = l.page,
				  .page_size =
					  l.page_size > max_page_size ? max_page_size : l.page_size,
				  .q = l.q,
				  .sort = l.sort };
	if (wants_xlsx(r)) {
		p->page = 1;
		p->page_size = XLSX_LIST_MAX;
	}
	return rc;
}

px_err api_list_query(struct http_req *r, struct page_query *p, long max_page_size,
		      const struct query_spec *spec, void *filter)
{
	px_err rc = api_list_params(r, p, max_page_size);
	px_err rq = api_query(r, spec, filter);
	return rc ? rc : rq;
}

bool api_wants_xlsx(struct http_req *r)
{
	return wants_xlsx(r);
}

/* The page as .xlsx by its list's sheet (service/sheets.c), audited there; takes items. */
static px_err reply_page_xlsx(struct http_req *r, json_t *items, int64_t total,
			      const struct sheet_spec *sheet, const char *q)
{
	struct svc *c = api_svc(r);
	if (!sheet) { /* a list without columns of its own (a cadre's history) */
		json_decref(items);
		svc_problem(c, "format", "invalid", "此列表不能导出为 Excel",
			    "This list cannot be exported as .xlsx");
		return PX_ERR_INVALID;
	}
	struct buf out = BUF_INIT(0);
	px_err rc = svc_list_sheet(c, sheet, items, total, q, &out);
	json_decref(items);
	if (!rc)
		rc = api_reply_xlsx(r, &out, svc_sheet_filename(c, sheet));
	buf_release(&out);
	return rc;
}

static px_err reply_list(struct http_req *r, json_t *items, int64_t total,
			 const struct page_query *p)
{
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
	if (wants_xlsx(r))
		return reply_page_xlsx(r, items, page->total, page->sheet, p ? p->q : NULL);
	return reply_list(r, items, page->total, p ? p : &all);
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

static struct api_in read_in(struct http_req *r, const struct body_spec *spec, void *input,
			     bool optional)
{
	struct api_in in = { 0 };
	if (strstr(r->route->pattern, "{id}"))
		in.rc = http_param_id(r, "id", &in.id);
	if (!in.rc && spec)
		in.rc = api_body(r, spec, input, optional);
	return in;
}

struct api_in api_in(struct http_req *r, const struct body_spec *spec, void *input)
{
	return read_in(r, spec, input, false);
}

struct api_in api_in_optional(struct http_req *r, const struct body_spec *spec, void *input)
{
	return read_in(r, spec, input, true);
}

px_err api_done(struct http_req *r, struct api_in *in, px_err rc, int status)
{
	json_t *out = in->out;
	in->out = NULL;
	return api_reply(r, rc, status, out);
}

px_err api_view_by_id(struct http_req *r, api_view_fn *op, int status)
{
	struct api_in in = api_in(r, NULL, NULL);
	return api_done(r, &in, in.rc ? in.rc : op(api_svc(r), in.id, &in.out), status);
}

px_err api_delete_by_id(struct http_req *r, api_delete_fn *op)
{
	struct api_in in = api_in(r, NULL, NULL);
	return api_done(r, &in, in.rc ? in.rc : op(api_svc(r), in.id), 204);
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

void api_problem(struct http_req *r, const char *field, const char *code, const char *zh,
		 const char *en)
{
	problems_add(&r->problems, 0, field, code, "%s", px_lang_is_en(r->lang) ? en : zh);
}

json_t *api_time_json(int64_t t)
{
	if (t <= 0)
		return json_null();
	char s[21];
	return json_string(time_format_iso(t, s));
}
