/*
 * users.c — /api/v1/users (accounts) and the two logs: HTTP ↔ service/users.c, logs.c.
 */
#include <stddef.h>

#include "api/api.h"
#include "api/body.h"
#include "api/query.h"
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
	{ "class_ids", BODY_JSON, offsetof(struct user_form, class_ids), NULL, false,
	  "A class manager's classes, among the caller's: it then runs exactly these of them "
	  "(absent: unchanged; its classes outside the caller's scope stay)",
	  "[]" },
	{ "version", BODY_INT, offsetof(struct user_form, version), NULL, false,
	  "The version an update expects (optimistic locking)", "1" },
};
const struct body_spec api_user_body = BODY_SPEC("UserForm", user_body_fields);

static const struct body_field password_body_fields[] = {
	{ "password", BODY_TEXT, 0, NULL, false,
	  "The new password (generated and shown once when absent)", NULL },
};
const struct body_spec api_password_reset_body = BODY_SPEC("PasswordReset", password_body_fields);

struct user_filter_q {
	const char *role;
};
static const struct query_field user_query_fields[] = {
	{ "role", QUERY_CODE, offsetof(struct user_filter_q, role), &enum_role, 0, 0,
	  "Accounts of this role" },
};
const struct query_spec api_user_query = QUERY_SPEC(user_query_fields);

px_err api_users_list(struct http_req *r)
{
	struct page_query p;
	struct user_filter_q f = { 0 };
	struct svc_page page;
	px_err rc = api_list_query(r, &p, 200, &api_user_query, &f);
	if (!rc)
		rc = svc_users_list(api_svc(r), f.role, &p, &page);
	return rc ? rc : api_reply_page(r, &page, &p);
}

px_err api_users_get(struct http_req *r)
{
	return api_view_by_id(r, svc_user_get, 200);
}

px_err api_users_create(struct http_req *r)
{
	struct user_form f = USER_FORM_INIT;
	struct api_in in = api_in(r, &api_user_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_user_create(api_svc(r), &f, &in.out), 201);
}

px_err api_users_update(struct http_req *r)
{
	struct user_form f = USER_FORM_INIT;
	struct api_in in = api_in(r, &api_user_body, &f);
	f.username = f.password = NULL; /* neither changes here */
	return api_done(r, &in, in.rc ? in.rc : svc_user_update(api_svc(r), in.id, &f, &in.out),
			200);
}

px_err api_users_reset_password(struct http_req *r)
{
	const char *password = NULL;
	struct api_in in = api_in_optional(r, &api_password_reset_body, &password);
	return api_done(
		r, &in,
		in.rc ? in.rc : svc_user_reset_password(api_svc(r), in.id, password, &in.out), 200);
}

static const struct query_field log_query_fields[] = {
	{ "entity", QUERY_TEXT, offsetof(struct log_filter, entity), NULL, 0, 0,
	  "Entries about this kind of record (cadre, unit …)" },
	{ "entity_id", QUERY_ID, offsetof(struct log_filter, entity_id), NULL, 0, 0,
	  "Entries about this record" },
};
const struct query_spec api_log_query = QUERY_SPEC(log_query_fields);

px_err api_audit_list(struct http_req *r)
{
	struct page_query p;
	struct log_filter f = { 0 };
	struct svc_page page;
	px_err rc = api_list_query(r, &p, 200, &api_log_query, &f);
	if (!rc)
		rc = svc_audit_list(api_svc(r), &f, &p, &page);
	return rc ? rc : api_reply_page(r, &page, &p);
}

px_err api_login_log_list(struct http_req *r)
{
	struct page_query p;
	struct svc_page page;
	px_err rc = api_list_params(r, &p, 200);
	if (!rc)
		rc = svc_login_log_list(api_svc(r), &p, &page);
	return rc ? rc : api_reply_page(r, &page, &p);
}
