/*
 * auth.c — /api/v1/session: logging in and out, one's own password, and the caller of every
 * request (the session cookie), over the operations of service/sessions.c.
 *
 * The cookie "px_session" carries a random 256-bit token (HttpOnly, SameSite=Strict, Secure
 * behind HTTPS); the database keeps only its hash.
 */
#include <stddef.h>
#include <string.h>

#include "api/api.h"
#include "api/body.h"
#include "service/accounts.h"

static const char cookie_name[] = "px_session";

px_err api_authenticate(struct http_req *r)
{
	struct api_ctx *x = API(r);
	bool must_change = false;
	px_err rc = svc_session_find(&x->svc, http_cookie(r, cookie_name), x->session_hash, &x->who,
				     x->csrf_token, &x->session_expires, &must_change);
	if (rc == PX_ERR_NOT_FOUND)
		return PX_OK; /* nobody: the route's permission decides */
	if (rc)
		return rc;
	/* An account with an initial (or reset) password may only look at its session, change
	 * the password, log out, or use what needs no login. */
	if (must_change && r->route && r->route->perm != PERM_PUBLIC &&
	    strcmp(r->route->pattern, "/api/v1/session") &&
	    strcmp(r->route->pattern, "/api/v1/session/password"))
		return PX_ERR_PASSWORD_CHANGE;
	return PX_OK;
}

static void set_cookie(struct http_req *r, const char *token, int64_t max_age)
{
	http_add_header(r, "Set-Cookie",
			arena_printf(&r->arena,
				     "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
				     cookie_name, token, (long long)max_age,
				     API(r)->app->cookie_secure && max_age ? "; Secure" : ""));
}

struct login_form {
	const char *username, *password;
};
static const struct body_field login_body_fields[] = {
	{ "username", BODY_TEXT, offsetof(struct login_form, username), NULL, true, "Log-in name",
	  "\"admin\"" },
	{ "password", BODY_TEXT, offsetof(struct login_form, password), NULL, true, "Password",
	  "\"Peixun-Demo-2023\"" },
};
const struct body_spec api_login_body = BODY_SPEC("Login", login_body_fields);

px_err api_login(struct http_req *r)
{
	struct login_form f = { 0 };
	struct session_start s = { 0 };
	px_err rc = api_body(r, &api_login_body, &f, false);
	if (!rc)
		rc = svc_login(api_svc(r), f.username, f.password, r->user_agent, &s);
	if (!rc)
		set_cookie(r, s.token, s.max_age);
	return api_reply(r, rc, 201, s.user);
}

px_err api_session_get(struct http_req *r)
{
	json_t *out = NULL;
	px_err rc = svc_session_view(api_svc(r), API(r)->csrf_token, &out);
	return api_reply(r, rc, 200, out);
}

px_err api_logout(struct http_req *r)
{
	px_err rc = svc_logout(api_svc(r), API(r)->session_hash, r->user_agent);
	if (!rc)
		set_cookie(r, "", 0);
	return api_reply(r, rc, 204, NULL);
}

struct password_form {
	const char *old_password, *new_password;
};
static const struct body_field password_change_fields[] = {
	{ "old_password", BODY_TEXT, offsetof(struct password_form, old_password), NULL, true,
	  "The current password", "\"Peixun-Demo-2023\"" },
	{ "new_password", BODY_TEXT, offsetof(struct password_form, new_password), NULL, true,
	  "The new password (the policy: at least 10 characters of three kinds, not the user name)",
	  "\"Nan-An-Xuexi-2024\"" },
};
const struct body_spec api_password_change_body =
	BODY_SPEC("PasswordChange", password_change_fields);

px_err api_password_change(struct http_req *r)
{
	struct password_form f = { 0 };
	struct session_start s = { 0 };
	px_err rc = api_body(r, &api_password_change_body, &f, false);
	if (!rc)
		rc = svc_password_change(api_svc(r), f.old_password, f.new_password, r->user_agent,
					 &s);
	if (!rc)
		set_cookie(r, s.token, s.max_age);
	return api_reply(r, rc, 200, s.user);
}
