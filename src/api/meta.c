/*
 * meta.c — the routes about the system: health, vocabularies, and the overview statistics
 * behind the dashboard chart (the OpenAPI document is openapi.c's).
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
