/*
 * docs.c — the documentation rows of the routes (see docs.h).
 */
#include "api/docs.h"

#include "api/api.h"
#include "service/accounts.h"
#include "service/registry.h"
#include "service/system.h"

/* The body specs, beside their handlers. */
extern const struct body_spec api_region_body, api_unit_body, api_cadre_body, api_user_body,
	api_password_reset_body, api_login_body, api_password_change_body;

#define XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* clang-format off */
const struct route_doc api_route_docs[] = {
	{api_health, 200, REPLY_ONE, NULL, &svc_health_shape, NULL, NULL, "/healthz"},
	{api_openapi, 200, REPLY_ONE, NULL, NULL, NULL, NULL, "/api/v1/openapi.json", "This document (OpenAPI 3.0)"},
	{api_vocabularies, 200, REPLY_ONE, NULL, &svc_vocab_shape, NULL, NULL, "/api/v1/vocabularies"},

	{api_login, 201, REPLY_ONE, &api_login_body, &svc_session_shape, NULL, NULL, NULL, "Every test logs in this way, with the deployment's passwords"},
	{api_session_get, 200, REPLY_ONE, NULL, &svc_session_shape, NULL, "admin", "/api/v1/session"},
	{api_logout, 204, REPLY_NONE, NULL, NULL, NULL, "admin", "/api/v1/session", "Ends the session it is sent with"},
	{api_password_change, 200, REPLY_ONE, &api_password_change_body, &svc_session_shape, NULL, NULL, NULL, "Exercised by the session tests, which know the passwords"},

	{api_regions_list, 200, REPLY_LIST, NULL, &svc_region_shape, NULL, "admin", "/api/v1/regions"},
	{api_regions_create, 201, REPLY_ONE, &api_region_body, &svc_region_shape, NULL, "sysadmin", "/api/v1/regions"},
	{api_regions_get, 200, REPLY_ONE, NULL, &svc_region_shape, NULL, "admin", "/api/v1/regions/3"},
	{api_regions_update, 200, REPLY_ONE, &api_region_body, &svc_region_shape, NULL, "sysadmin", "/api/v1/regions/@new"},
	{api_regions_delete, 204, REPLY_NONE, NULL, NULL, NULL, "sysadmin", "/api/v1/regions/@new"},

	{api_units_export, 200, REPLY_FILE, NULL, NULL, XLSX, "admin", "/api/v1/units/export?type=township"},
	{api_units_list, 200, REPLY_LIST, NULL, &svc_unit_shape, NULL, "admin", "/api/v1/units?region_id=3&type=township"},
	{api_units_create, 201, REPLY_ONE, &api_unit_body, &svc_unit_shape, NULL, "admin", "/api/v1/units"},
	{api_units_get, 200, REPLY_ONE, NULL, &svc_unit_shape, NULL, "admin", "/api/v1/units/1"},
	{api_units_update, 200, REPLY_ONE, &api_unit_body, &svc_unit_shape, NULL, "admin", "/api/v1/units/@new"},
	{api_units_delete, 204, REPLY_NONE, NULL, NULL, NULL, "admin", "/api/v1/units/@new"},

	{api_cadres_export, 200, REPLY_FILE, NULL, NULL, XLSX, "admin", "/api/v1/cadres/export?unit_id=1"},
	{api_cadres_list, 200, REPLY_LIST, NULL, &svc_cadre_shape, NULL, "admin", "/api/v1/cadres?unit_id=1&is_head=1"},
	{api_cadres_create, 201, REPLY_ONE, &api_cadre_body, &svc_cadre_shape, NULL, "admin", "/api/v1/cadres"},
	{api_cadres_get, 200, REPLY_ONE, NULL, &svc_cadre_shape, NULL, "admin", "/api/v1/cadres/1"},
	{api_cadres_update, 200, REPLY_ONE, &api_cadre_body, &svc_cadre_shape, NULL, "admin", "/api/v1/cadres/@new"},
	{api_cadres_history, 200, REPLY_LIST, NULL, &svc_cadre_history_shape, NULL, "admin", "/api/v1/cadres/1/history"},
	{api_cadres_reveal, 200, REPLY_ONE, NULL, &svc_cadre_reveal_shape, NULL, "admin", "/api/v1/cadres/1/reveal"},

	{api_users_list, 200, REPLY_LIST, NULL, &svc_user_shape, NULL, "admin", "/api/v1/users?role=unit_liaison"},
	{api_users_create, 201, REPLY_ONE, &api_user_body, &svc_user_shape, NULL, "admin", "/api/v1/users"},
	{api_users_get, 200, REPLY_ONE, NULL, &svc_user_shape, NULL, "admin", "/api/v1/users/5"},
	{api_users_update, 200, REPLY_ONE, &api_user_body, &svc_user_shape, NULL, "admin", "/api/v1/users/@new"},
	{api_users_reset_password, 200, REPLY_ONE, &api_password_reset_body, &svc_password_reset_shape, NULL, "admin", "/api/v1/users/@new/password"},
	{api_audit_list, 200, REPLY_LIST, NULL, &svc_audit_shape, NULL, "sysadmin", "/api/v1/audit-log?entity=unit"},
	{api_login_log_list, 200, REPLY_LIST, NULL, &svc_login_shape, NULL, "sysadmin", "/api/v1/login-log"},

	{api_stats_overview, 200, REPLY_ONE, NULL, &svc_stats_shape, NULL, "viewer1", "/api/v1/stats/overview"},
};
/* clang-format on */

const size_t api_route_doc_count = sizeof api_route_docs / sizeof api_route_docs[0];

const struct route_doc *api_route_doc(route_handler *handler)
{
	for (size_t i = 0; i < api_route_doc_count; i++)
		if (api_route_docs[i].handler == handler)
			return &api_route_docs[i];
	return NULL;
}
