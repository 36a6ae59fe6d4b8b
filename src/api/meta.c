/*
 * meta.c — the routes about the API itself and the system: health, vocabularies, the
 * OpenAPI document (generated from the route table, so it cannot miss a route), and the
 * overview statistics behind the dashboard chart.
 */
#include <string.h>

#include "api/api.h"
#include "service/registry.h"
#include "service/system.h"

px_err api_health(struct http_req *r)
{
	json_t *out = NULL;
	px_err rc = svc_health(api_svc(r), &out);
	return api_reply(r, rc, 200, out);
}

px_err api_vocabularies(struct http_req *r)
{
	json_t *out = NULL;
	px_err rc = svc_vocabularies(api_svc(r), &out);
	return api_reply(r, rc, 200, out);
}

px_err api_stats_overview(struct http_req *r)
{
	json_t *out = NULL;
	px_err rc = svc_stats_overview(api_svc(r), &out);
	return api_reply(r, rc, 200, out);
}

/* ---- OpenAPI ---- */

static json_t *error_response(const char *description)
{
	return json_pack("{ss s{s{s{ss}}}}", "description", description, "content",
			 "application/json", "schema", "$ref", "#/components/schemas/Error");
}

static json_t *operation(const struct route *rt)
{
	json_t *op = json_object();
	json_object_set_new(op, "summary", json_string(rt->summary));
	json_object_set_new(op, "tags", json_pack("[s]", rt->tag));
	json_object_set_new(op, "x-permission", json_string(perm_name(rt->perm)));
	json_t *params = json_array();
	for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
		const char *e = strchr(p, '}');
		json_array_append_new(params, json_pack("{ss% ss sb s{ss}}", "name", p + 1,
							(size_t)(e - p - 1), "in", "path",
							"required", 1, "schema", "type", "string"));
	}
	if (rt->flags & ROUTE_LIST) {
		static const char *const lp[][2] = { { "page", "integer" },
						     { "page_size", "integer" },
						     { "q", "string" },
						     { "sort", "string" } };
		for (size_t i = 0; i < 4; i++)
			json_array_append_new(params,
					      json_pack("{ss ss s{ss}}", "name", lp[i][0], "in",
							"query", "schema", "type", lp[i][1]));
	}
	if (json_array_size(params))
		json_object_set_new(op, "parameters", params);
	else
		json_decref(params);
	bool write = strcmp(rt->method, "GET") != 0;
	if (write && strcmp(rt->method, "DELETE")) {
		const char *ct = (rt->flags & ROUTE_RAW_BODY) ? "application/octet-stream"
							      : "application/json";
		json_object_set_new(op, "requestBody",
				    json_pack("{sb s{s{s{ss}}}}", "required", 1, "content", ct,
					      "schema", "type",
					      (rt->flags & ROUTE_RAW_BODY) ? "string" : "object"));
	}
	json_t *responses = json_object();
	json_object_set_new(responses, "200",
			    (rt->flags & ROUTE_LIST)
				    ? json_pack("{ss s{s{s{ss}}}}", "description", "OK", "content",
						"application/json", "schema", "$ref",
						"#/components/schemas/List")
				    : json_pack("{ss}", "description", "OK"));
	json_object_set_new(responses, "default", error_response("Error envelope"));
	json_object_set_new(op, "responses", responses);
	if (rt->perm != PERM_PUBLIC) {
		json_t *sec = write ? json_pack("[{s[] s[]}]", "session", "csrf")
				    : json_pack("[{s[]}]", "session");
		json_object_set_new(op, "security", sec);
	}
	return op;
}

px_err api_openapi(struct http_req *r)
{
	json_t *paths = json_object();
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
		json_object_set_new(item, method, operation(rt));
	}
	json_t *error_schema =
		json_pack("{ss s[s] s{s{ss s[ss] s{s{ss} s{ss} s{ss}}}}}", "type", "object",
			  "required", "error", "properties", "error", "type", "object", "required",
			  "code", "message", "properties", "code", "type", "string", "message",
			  "type", "string", "details", "type", "array");
	json_t *list_schema = json_pack(
		"{ss s[ssss] s{s{ss} s{ss} s{ss} s{ss}}}", "type", "object", "required", "items",
		"total", "page", "page_size", "properties", "items", "type", "array", "total",
		"type", "integer", "page", "type", "integer", "page_size", "type", "integer");
	json_t *doc = json_pack(
		"{ss s{ss ss ss} s[{ss}] so s{s{s{ss ss ss} s{ss ss ss}} s{so so}}}", "openapi",
		"3.0.3", "info", "title", "peixun API", "version", "1", "description",
		"Cadre education and training management. Log in with POST /api/v1/session; "
		"send the session cookie, and X-CSRF-Token on every write.",
		"servers", "url", "/", "paths", paths, "components", "securitySchemes", "session",
		"type", "apiKey", "in", "cookie", "name", "px_session", "csrf", "type", "apiKey",
		"in", "header", "name", "X-CSRF-Token", "schemas", "Error", error_schema, "List",
		list_schema);
	if (!doc)
		return PX_ERR_INTERNAL;
	return http_reply_json(r, 200, doc);
}
