/*
 * openapi.c — GET /api/v1/openapi.json: the OpenAPI 3.0 document, made from the route table
 * (routes.c: every route, its permission and summary), the routes' documentation rows
 * (docs.c: success status and reply kind), the body specs the handlers read bodies by
 * (body.h) and the shapes the views have (svc.h). Nothing in it is written twice, so it
 * cannot miss a route or disagree with what the server reads and replies.
 *
 * Each documented operation carries `x-example` (the demo account, the path, and the body
 * made of the spec's field examples) — the OpenAPI test sends it and checks the reply
 * against the documented schema.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/docs.h"
#include "api/query.h"

/* The document's named schemas, and which table each name is (a shape or a body spec): one
 * name for two tables would give one of them the other's schema. */
struct components {
	json_t *schemas;
	json_t *owners;    /* name → the table's address */
	const char *clash; /* a name two tables have */
};

/* True when the schema `name` of `owner` is still to be made (it is claimed now). */
static bool claim(struct components *k, const char *name, const void *owner)
{
	json_t *had = json_object_get(k->owners, name);
	if (!had) {
		json_object_set_new(k->owners, name, json_integer((json_int_t)(uintptr_t)owner));
		json_object_set_new(k->schemas, name, json_object()); /* against recursion */
		return true;
	}
	if (json_integer_value(had) != (json_int_t)(uintptr_t)owner)
		k->clash = name;
	return false;
}

/* The JSON Schema of a view shape's member; registers nested shapes. */
static json_t *shape_ref(const struct view_spec *v, struct components *k);

static json_t *member_schema(const struct view_field *f, struct components *k)
{
	json_t *s = NULL;
	switch (f->type) {
	case VIEW_INT: s = json_pack("{ss}", "type", "integer"); break;
	case VIEW_ID: s = json_pack("{ss sb}", "type", "integer", "nullable", 1); break;
	case VIEW_TEXT: s = json_pack("{ss}", "type", "string"); break;
	case VIEW_BOOL: s = json_pack("{ss}", "type", "boolean"); break;
	case VIEW_TIME:
		s = json_pack("{ss ss sb}", "type", "string", "format", "date-time", "nullable", 1);
		break;
	case VIEW_NUMBER: s = json_pack("{ss}", "type", "number"); break;
	case VIEW_TEXTS:
		s = json_pack("{ss s{ss}}", "type", "array", "items", "type", "string");
		break;
	case VIEW_INTS:
		s = json_pack("{ss s{ss}}", "type", "array", "items", "type", "integer");
		break;
	case VIEW_OBJECT:
		s = f->of ? shape_ref(f->of, k) : json_pack("{ss}", "type", "object");
		break;
	case VIEW_OBJECTS:
		s = json_pack("{ss so}", "type", "array", "items",
			      f->of ? shape_ref(f->of, k) : json_pack("{ss}", "type", "object"));
		break;
	case VIEW_ANY: s = json_object(); break;
	}
	/* OpenAPI 3.0: nullable sits beside the type it widens; a reference takes no siblings,
	 * so one that is nullable or described is wrapped in allOf */
	bool ref = json_object_get(s, "$ref") != NULL;
	if (ref && (f->nullable || f->doc))
		s = json_pack("{s[o]}", "allOf", s);
	if (f->nullable && f->type != VIEW_ANY)
		json_object_set_new(s, "nullable", json_true());
	if (f->doc)
		json_object_set_new(s, "description", json_string(f->doc));
	return s;
}

static json_t *object_schema(const struct view_spec *v, struct components *k)
{
	json_t *props = json_object(), *required = json_array();
	for (size_t i = 0; i < v->n; i++) {
		json_object_set_new(props, v->fields[i].name, member_schema(&v->fields[i], k));
		if (!v->fields[i].optional)
			json_array_append_new(required, json_string(v->fields[i].name));
	}
	json_t *s = json_pack("{ss so sb}", "type", "object", "properties", props,
			      "additionalProperties", 0);
	if (json_array_size(required)) /* OpenAPI 3.0: none is no list */
		json_object_set_new(s, "required", required);
	else
		json_decref(required);
	return s;
}

static json_t *shape_ref(const struct view_spec *v, struct components *k)
{
	if (claim(k, v->name, v)) {
		json_t *s;
		if (v->any_of) {
			json_t *alts = json_array();
			for (size_t i = 0; i < v->n_any; i++)
				json_array_append_new(alts, shape_ref(v->any_of[i], k));
			s = json_pack("{so}", "anyOf", alts);
		} else {
			s = object_schema(v, k);
		}
		json_object_set_new(k->schemas, v->name, s);
	}
	return json_pack("{ss+}", "$ref", "#/components/schemas/", v->name);
}

static json_t *body_ref(const struct body_spec *b, struct components *k)
{
	if (claim(k, b->name, b))
		json_object_set_new(k->schemas, b->name, api_body_schema(b));
	return json_pack("{ss+}", "$ref", "#/components/schemas/", b->name);
}

/* The example body: each field's example. */
static json_t *body_example(const struct body_spec *b)
{
	json_t *ex = json_object();
	for (size_t i = 0; i < b->n; i++) {
		const struct body_field *f = &b->fields[i];
		json_t *v = f->example ? json_loads(f->example, JSON_DECODE_ANY, NULL) : NULL;
		if (v)
			json_object_set_new(ex, f->name ? f->name : f->def->name, v);
	}
	return ex;
}

static json_t *json_content(json_t *schema)
{
	return json_pack("{s{so}}", "application/json", "schema", schema);
}

static json_t *reply_object(const struct route_doc *d, struct components *k)
{
	json_t *resp = json_pack("{ss}", "description", "OK");
	switch (d->kind) {
	case REPLY_ONE:
	case REPLY_ACCEPTED:
		json_object_set_new(resp, "content",
				    json_content(d->reply ? shape_ref(d->reply, k)
							  : json_pack("{ss}", "type", "object")));
		break;
	case REPLY_LIST:
		json_object_set_new(
			resp, "content",
			json_content(json_pack(
				"{ss s[ssss] s{s{ss so} s{ss} s{ss} s{ss} s{ss ss}} sb}", "type",
				"object", "required", "items", "total", "page", "page_size",
				"properties", "items", "type", "array", "items",
				shape_ref(d->reply, k), "total", "type", "integer", "page", "type",
				"integer", "page_size", "type", "integer", "total_capped", "type",
				"boolean", "description",
				"Present (true) when a search matched more than total, the most it "
				"counts (1000)",
				"additionalProperties", 0)));
		break;
	case REPLY_FILE:
		json_object_set_new(resp, "content",
				    json_pack("{s{s{ss ss}}}", d->file_type, "schema", "type",
					      "string", "format", "binary"));
		break;
	case REPLY_NONE: json_object_set_new(resp, "description", json_string("Done")); break;
	}
	return resp;
}

/* The parameters of a query spec (query.h), as the reader takes them. */
static void query_params(json_t *params, const struct query_spec *q)
{
	for (size_t i = 0; i < q->n; i++) {
		const struct query_field *f = &q->fields[i];
		json_t *s = json_object();
		switch (f->type) {
		case QUERY_ID:
			json_object_set_new(s, "type", json_string("integer"));
			json_object_set_new(s, "minimum", json_integer(1));
			break;
		case QUERY_INT:
			json_object_set_new(s, "type", json_string("integer"));
			json_object_set_new(s, "minimum", json_integer(f->min));
			json_object_set_new(s, "maximum", json_integer(f->max));
			break;
		case QUERY_BOOL:
			json_object_set_new(s, "type", json_string("integer"));
			json_object_set_new(s, "enum", json_pack("[ii]", 0, 1));
			break;
		case QUERY_TEXT:
			json_object_set_new(s, "type", json_string("string"));
			json_object_set_new(s, "maxLength", json_integer(200));
			break;
		case QUERY_CODE: {
			json_t *codes = json_array();
			for (size_t k = 0; k < f->choices->n; k++)
				json_array_append_new(codes,
						      json_string(f->choices->items[k].code));
			json_object_set_new(s, "type", json_string("string"));
			json_object_set_new(s, "enum", codes);
			break;
		}
		case QUERY_DATE:
			json_object_set_new(s, "type", json_string("string"));
			json_object_set_new(s, "format", json_string("date"));
			break;
		}
		json_array_append_new(params,
				      json_pack("{ss ss so ss}", "name", f->name, "in", "query",
						"schema", s, "description", f->doc ? f->doc : ""));
	}
}

static json_t *operation(const struct route *rt, struct components *k)
{
	const struct route_doc *d = api_route_doc(rt->handler);
	json_t *op = json_object();
	json_object_set_new(op, "summary", json_string(rt->summary));
	json_object_set_new(op, "tags", json_pack("[s]", rt->tag));
	json_object_set_new(op, "x-permission", json_string(perm_name((enum perm)rt->perm)));
	json_object_set_new(op, "operationId",
			    json_sprintf("%s %s", rt->method, rt->pattern)); /* unique */
	json_t *params = json_array();
	for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
		const char *e = strchr(p, '}');
		json_array_append_new(params, json_pack("{ss% ss sb s{ss}}", "name", p + 1,
							(size_t)(e - p - 1), "in", "path",
							"required", 1, "schema", "type", "string"));
	}
	if (rt->flags & ROUTE_LIST) {
		query_params(params, &api_page_query);
		json_array_append_new(params, json_pack("{ss ss s{ss s[s]} ss}", "name", "format",
							"in", "query", "schema", "type", "string",
							"enum", "xlsx", "description",
							"xlsx: the whole list as a spreadsheet"));
	}
	for (size_t i = 0; i < api_route_query_count; i++)
		if (api_route_queries[i].handler == rt->handler)
			query_params(params, api_route_queries[i].query);
	if (json_array_size(params))
		json_object_set_new(op, "parameters", params);
	else
		json_decref(params);
	json_t *responses = json_object();
	if (rt->flags & ROUTE_RAW_BODY)
		json_object_set_new(op, "requestBody",
				    json_pack("{sb s{s{s{ss ss}}}}", "required", 1, "content",
					      "application/octet-stream", "schema", "type",
					      "string", "format", "binary"));
	if (d) {
		if (d->body)
			json_object_set_new(op, "requestBody",
					    json_pack("{sb so}", "required", 1, "content",
						      json_content(body_ref(d->body, k))));
		char status[8];
		snprintf(status, sizeof status, "%d", d->status);
		json_object_set_new(responses, status, reply_object(d, k));
		if (d->example_path) {
			json_t *ex = json_pack("{ss}", "path", d->example_path);
			if (d->example_as)
				json_object_set_new(ex, "as", json_string(d->example_as));
			if (d->body)
				json_object_set_new(ex, "body", body_example(d->body));
			if (d->creates)
				json_object_set_new(ex, "creates", json_string(d->creates));
			if (d->example_file)
				json_object_set_new(ex, "file", json_string(d->example_file));
			json_object_set_new(op, "x-example", ex);
		}
		if (d->note)
			json_object_set_new(op, "description", json_string(d->note));
	} else {
		json_object_set_new(op, "x-undocumented", json_true());
		json_object_set_new(responses, "200", json_pack("{ss}", "description", "OK"));
	}
	json_object_set_new(
		responses, "default",
		json_pack("{ss so}", "description", "The error envelope", "content",
			  json_content(json_pack("{ss}", "$ref", "#/components/schemas/Error"))));
	json_object_set_new(op, "responses", responses);
	if (rt->perm != PERM_PUBLIC)
		json_object_set_new(op, "security",
				    http_is_write(rt->method)
					    ? json_pack("[{s[] s[]}]", "session", "csrf")
					    : json_pack("[{s[]}]", "session"));
	return op;
}

static json_t *error_schema(void)
{
	json_t *detail = json_pack("{ss s[s] s{s{ss} s{ss} s{ss} s{ss} s{ss}}}", "type", "object",
				   "required", "message", "properties", "row", "type", "integer",
				   "field", "type", "string", "code", "type", "string", "message",
				   "type", "string", "count", "type", "integer");
	return json_pack("{ss s[s] s{s{ss s[sss] s{s{ss} s{ss} s{ss so}}}}}", "type", "object",
			 "required", "error", "properties", "error", "type", "object", "required",
			 "code", "message", "details", "properties", "code", "type", "string",
			 "message", "type", "string", "details", "type", "array", "items", detail);
}

px_err api_openapi(struct http_req *r)
{
	json_t *paths = json_object(), *schemas = json_object();
	struct components comp = { schemas, json_object(), NULL };
	static const char error_owner = 0;
	claim(&comp, "Error", &error_owner);
	json_object_set_new(schemas, "Error", error_schema());
	for (size_t i = 0; i < api_route_count; i++) {
		const struct route *rt = &api_routes[i];
		json_t *item = json_object_get(paths, rt->pattern);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, rt->pattern, item);
		}
		char method[8];
		size_t k = 0;
		for (; rt->method[k] && k < sizeof method - 1; k++)
			method[k] = (char)(rt->method[k] | 0x20);
		method[k] = '\0';
		json_object_set_new(item, method, operation(rt, &comp));
	}
	json_t *doc = json_pack(
		"{ss s{ss ss ss} s[{ss}] so s{s{s{ss ss ss} s{ss ss ss}} so}}", "openapi", "3.0.3",
		"info", "title", "peixun API", "version", "1", "description",
		"Cadre education and training management. Log in with POST /api/v1/session; "
		"send the session cookie, and X-CSRF-Token on every write.",
		"servers", "url", "/", "paths", paths, "components", "securitySchemes", "session",
		"type", "apiKey", "in", "cookie", "name", "px_session", "csrf", "type", "apiKey",
		"in", "header", "name", "X-CSRF-Token", "schemas", schemas);
	json_decref(comp.owners);
	if (comp.clash) { /* a bug: say which, and give no document that lies */
		fprintf(stderr, "peixun: openapi: two tables (shapes, body specs) are named %s\n",
			comp.clash);
		json_decref(doc);
		return PX_ERR_INTERNAL;
	}
	if (!doc)
		return PX_ERR_INTERNAL;
	return http_reply_json(r, 200, doc);
}
