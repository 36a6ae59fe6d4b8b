/*
 * users.c — /api/v1/users (accounts) and the two logs: HTTP ↔ service/users.c, logs.c.
 */
#include <stddef.h>

#include "api/api.h"
#include "api/body.h"
#include "service/accounts.h"

static const struct body_field user_body_fields[] = {
	{ "username", BODY_TEXT, offsetof(struct user_form, username), NULL, true,
	  "Log-in name: 3 to 32 letters, digits, '_', '.' or '-' (create only)",
	  "\"example_liaison\"" },
	{ "password", BODY_TEXT, offsetof(struct user_form, password), NULL, false,
	  "Initial password (create only; generated and shown once when absent)", NULL },
	{ "display_name", BODY_TEXT, offsetof(struct user_form, display_name), NULL, true,
	  "The name people see", "\"美林街道联络员\"" },
	{ "role", BODY_TEXT, offsetof(struct user_form, role), NULL, true,
	  "sysadmin, org_admin, class_manager, unit_liaison, trainee, expert or viewer",
	  "\"unit_liaison\"" },
	{ "active", BODY_BOOL, offsetof(struct user_form, active), NULL, false,
	  "false disables the account (and logs it out)", "true" },
	{ "region_id", BODY_REF, offsetof(struct user_form, region_id), NULL, false,
	  "Region the scope hangs on (org_admin, viewer); null clears", "null" },
	{ "unit_id", BODY_REF, offsetof(struct user_form, unit_id), NULL, false,
	  "Unit the scope hangs on (unit_liaison); null clears", "3" },
	{ "cadre_id", BODY_REF, offsetof(struct user_form, cadre_id), NULL, false,
	  "The trainee's own cadre record; null clears", "null" },
	{ "version", BODY_INT, offsetof(struct user_form, version), NULL, false,
	  "The version an update expects (optimistic locking)", "1" },
};
const struct body_spec api_user_body = BODY_SPEC("UserForm", user_body_fields);

static const struct body_field password_body_fields[] = {
	{ "password", BODY_TEXT, 0, NULL, false,
	  "The new password (generated and shown once when absent)", NULL },
};
const struct body_spec api_password_reset_body = BODY_SPEC("PasswordReset", password_body_fields);

px_err api_users_list(struct http_req *r)
{
	struct page_query p;
	api_list_params(r, &p, 200);
	struct svc_page page;
	px_err rc = svc_users_list(api_svc(r), http_query(r, "role"), &p, &page);
	return rc ? rc : api_reply_page(r, &page, &p);
}

px_err api_users_get(struct http_req *r)
{
	int64_t id;
	json_t *out = NULL;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = svc_user_get(api_svc(r), id, &out);
	return api_reply(r, rc, 200, out);
}

px_err api_users_create(struct http_req *r)
{
	struct user_form f = USER_FORM_INIT;
	json_t *out = NULL;
	px_err rc = api_body(r, &api_user_body, &f, false);
	if (!rc)
		rc = svc_user_create(api_svc(r), &f, &out);
	return api_reply(r, rc, 201, out);
}

px_err api_users_update(struct http_req *r)
{
	int64_t id;
	struct user_form f = USER_FORM_INIT;
	json_t *out = NULL;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = api_body(r, &api_user_body, &f, false);
	f.username = f.password = NULL; /* neither changes here */
	if (!rc)
		rc = svc_user_update(api_svc(r), id, &f, &out);
	return api_reply(r, rc, 200, out);
}

px_err api_users_reset_password(struct http_req *r)
{
	int64_t id;
	const char *password = NULL;
	json_t *out = NULL;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = api_body(r, &api_password_reset_body, &password, true);
	if (!rc)
		rc = svc_user_reset_password(api_svc(r), id, password, &out);
	return api_reply(r, rc, 200, out);
}

px_err api_audit_list(struct http_req *r)
{
	struct page_query p;
	api_list_params(r, &p, 200);
	struct log_filter f = { .entity = http_query(r, "entity"),
				.entity_id = http_query_long(r, "entity_id", 0, 0, INT32_MAX) };
	struct svc_page page;
	px_err rc = svc_audit_list(api_svc(r), &f, &p, &page);
	return rc ? rc : api_reply_page(r, &page, &p);
}

px_err api_login_log_list(struct http_req *r)
{
	struct page_query p;
	api_list_params(r, &p, 200);
	struct svc_page page;
	px_err rc = svc_login_log_list(api_svc(r), &p, &page);
	return rc ? rc : api_reply_page(r, &page, &p);
}
