/*
 * reply.c — route matching, parameters, and building replies (JSON, bytes, errors).
 * Nothing here knows libmicrohttpd; server.c turns the reply into a response.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "http/http.h"

/* Match one pattern segment by segment; {name} captures a segment. */
static bool match_pattern(const char *pattern, const char *path, struct http_req *r)
{
	int n = 0;
	const char *p = pattern, *q = path;
	while (*p && *q) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			const char *qe = strchr(q, '/');
			if (!qe)
				qe = q + strlen(q);
			if (!pe || qe == q || n >= HTTP_MAX_PARAMS)
				return false;
			if (r) {
				r->param_names[n] =
					arena_strndup(&r->arena, p + 1, (size_t)(pe - p - 1));
				r->param_values[n] = arena_strndup(&r->arena, q, (size_t)(qe - q));
			}
			n++;
			p = pe + 1;
			q = qe;
			continue;
		}
		if (*p != *q)
			return false;
		p++;
		q++;
	}
	if (*p || *q)
		return false;
	if (r)
		r->nparams = n;
	return true;
}

const struct route *http_match(const struct route *routes, size_t n, const char *method,
			       const char *path, struct http_req *r, bool *path_matched)
{
	*path_matched = false;
	for (size_t i = 0; i < n; i++) {
		if (!match_pattern(routes[i].pattern, path, NULL))
			continue;
		*path_matched = true;
		if (strcmp(routes[i].method, method) &&
		    !(strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0))
			continue;
		if (r)
			match_pattern(routes[i].pattern, path, r);
		return &routes[i];
	}
	return NULL;
}

const char *http_param(struct http_req *r, const char *name)
{
	for (int i = 0; i < r->nparams; i++)
		if (!strcmp(r->param_names[i], name))
			return r->param_values[i];
	return NULL;
}

px_err http_param_id(struct http_req *r, const char *name, int64_t *id)
{
	/* Only the canonical form: digits, no sign, no leading zero, at most 18 of them — so
	 * that "+1", "01" or "1 " do not name record 1. */
	const char *v = http_param(r, name);
	size_t n = v ? strlen(v) : 0;
	if (n == 0 || n > 18 || v[0] == '0')
		return PX_ERR_NOT_FOUND;
	int64_t x = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return PX_ERR_NOT_FOUND;
		x = x * 10 + (v[i] - '0');
	}
	*id = x;
	return PX_OK;
}

long http_query_long(struct http_req *r, const char *name, long def, long min, long max)
{
	const char *v = http_query(r, name);
	if (!v || !*v)
		return def;
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || *end)
		return def;
	return n < min ? min : n > max ? max : n;
}

void http_add_header(struct http_req *r, const char *name, const char *value)
{
	struct http_header *h = arena_alloc(&r->arena, sizeof *h);
	h->name = arena_strdup(&r->arena, name);
	h->value = arena_strdup(&r->arena, value);
	h->next = r->headers;
	r->headers = h;
}

px_err http_reply_json(struct http_req *r, int status, json_t *j)
{
	r->status = status;
	r->content_type = "application/json; charset=utf-8";
	buf_reset(&r->out);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!text)
		return PX_ERR_NOMEM;
	buf_puts(&r->out, text);
	free(text);
	return r->out.err;
}

struct buf *http_reply_begin(struct http_req *r, int status, const char *content_type)
{
	r->status = status;
	r->content_type = content_type;
	buf_reset(&r->out);
	buf_grow(&r->out, 16384);
	return &r->out;
}

px_err http_reply_bytes(struct http_req *r, int status, const char *content_type, const void *data,
			size_t len, const char *filename)
{
	r->status = status;
	r->content_type = content_type;
	buf_reset(&r->out);
	buf_add(&r->out, data, len);
	if (filename) {
		/* RFC 6266: an ASCII fallback plus the UTF-8 name, percent-encoded. */
		struct buf h = BUF_INIT(4096);
		buf_puts(&h, "attachment; filename=\"download");
		const char *dot = strrchr(filename, '.');
		if (dot && strlen(dot) < 8)
			buf_puts(&h, dot);
		buf_puts(&h, "\"; filename*=UTF-8''");
		for (const unsigned char *p = (const unsigned char *)filename; *p; p++) {
			if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
				buf_putc(&h, (char)*p);
			else
				buf_printf(&h, "%%%02X", *p);
		}
		if (!h.err)
			http_add_header(r, "Content-Disposition", h.data);
		buf_release(&h);
	}
	return r->out.err;
}

void http_reply_error(struct http_req *r, px_err e)
{
	json_t *details = json_array();
	for (size_t i = 0; i < r->problems.n; i++) {
		const struct problem *p = &r->problems.items[i];
		json_t *d = json_object();
		if (p->row)
			json_object_set_new(d, "row", json_integer(p->row));
		if (p->field)
			json_object_set_new(d, "field", json_string(p->field));
		if (p->code)
			json_object_set_new(d, "code", json_string(p->code));
		json_object_set_new(d, "message", json_string(p->message));
		json_array_append_new(details, d);
	}
	if (r->problems.dropped) {
		json_t *d = json_object();
		json_object_set_new(d, "code", json_string("more"));
		json_object_set_new(d, "count", json_integer((json_int_t)r->problems.dropped));
		json_object_set_new(d, "message",
				    json_string(px_lang_is_en(r->lang)
							? "further problems not listed"
							: "其余问题未列出"));
		json_array_append_new(details, d);
	}
	json_t *err = json_object();
	json_object_set_new(err, "code", json_string(px_err_code(e)));
	json_object_set_new(err, "message",
			    json_string(r->message ? r->message : px_err_message(e, r->lang)));
	json_object_set_new(err, "details", details);
	if (r->error_extra) {
		json_object_update(err, r->error_extra);
		json_decref(r->error_extra);
		r->error_extra = NULL;
	}
	/* a refusal for now (429, 503) that knows when it ends says so as HTTP does */
	json_t *after = json_object_get(err, "retry_after");
	int status = px_err_http_status(e);
	if ((status == 429 || status == 503) && json_is_integer(after))
		http_add_header(
			r, "Retry-After",
			arena_printf(&r->arena, "%lld", (long long)json_integer_value(after)));
	json_t *root = json_object();
	json_object_set_new(root, "error", err);
	http_reply_json(r, status, root);
}

px_err http_json_body(struct http_req *r, json_t **out)
{
	json_error_t jerr;
	*out = NULL;
	if (r->body.len == 0) {
		r->message = px_lang_is_en(r->lang) ? "The request body is empty" : "请求内容为空";
		return PX_ERR_BAD_JSON;
	}
	json_t *j = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &jerr);
	if (!j || !json_is_object(j)) {
		json_decref(j);
		problems_add(&r->problems, 0, NULL, "parse", "%s (line %d, column %d)",
			     j ? "expected a JSON object" : jerr.text, jerr.line, jerr.column);
		return PX_ERR_BAD_JSON;
	}
	*out = j;
	return PX_OK;
}
