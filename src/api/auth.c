/*
 * auth.c — logging in and out, the session cookie, and the caller of every request.
 *
 * The cookie "px_session" carries a random 256-bit token; the database keeps only its hash,
 * with the CSRF token, the idle and absolute expiry, and the client. Any app server can
 * therefore answer any request. A session ends after session_idle_minutes without requests
 * or session_max_hours after login, whichever comes first; last_seen is written at most
 * once a minute so reads stay reads.
 *
 * Five wrong passwords in a row lock an account for 15 minutes (the lock is one UPDATE, so
 * parallel guesses cannot slip past the count). Unknown user names cost the same argon2id
 * work as known ones, so timing does not reveal which names exist. Every attempt goes to
 * the login log.
 */
#include <pthread.h>
#include <string.h>

#include "api/api.h"
#include "base/date.h"
#include "domain/password.h"
#include "domain/enums.h"

#define MAX_FAILURES 5
#define LOCK_SECONDS (15 * 60)
#define TOUCH_EVERY  60

static const char cookie_name[] = "px_session";

px_err api_authenticate(struct http_req *r)
{
	const char *token = http_cookie(r, cookie_name);
	if (!token || strlen(token) < 20 || strlen(token) > 64)
		return PX_OK;
	secret_token_hash(token, API(r)->session_hash);
	struct session_info si;
	px_err rc = sessions_lookup(API(r)->db, &r->arena, API(r)->session_hash, &si);
	if (rc == PX_ERR_NOT_FOUND)
		return PX_OK;
	if (rc)
		return rc;
	int64_t now = time_now();
	int64_t idle = API(r)->app->session_idle_minutes * 60;
	if (si.expires_at <= now || si.last_seen + idle <= now) {
		sessions_delete(API(r)->db, API(r)->session_hash);
		return PX_OK;
	}
	if (now - si.last_seen >= TOUCH_EVERY)
		sessions_touch(API(r)->db, API(r)->session_hash, now);
	API(r)->who = si.who;
	snprintf(API(r)->csrf_token, sizeof API(r)->csrf_token, "%s", si.csrf_token);
	API(r)->session_expires = si.expires_at;
	/* An account with an initial (or reset) password may only look at its session, change
	 * the password, log out, or use what needs no login. */
	if (si.must_change_password && r->route && r->route->perm != PERM_PUBLIC &&
	    strcmp(r->route->pattern, "/api/v1/session") &&
	    strcmp(r->route->pattern, "/api/v1/session/password"))
		return PX_ERR_PASSWORD_CHANGE;
	return PX_OK;
}

/* The permissions this role holds, with their scope, for the web UI to shape its menus. */
static json_t *permissions_json(enum role role)
{
	static const char *const scope_names[] = { "none", "all",  "region",
						   "unit", "self", "classes" };
	json_t *j = json_object();
	for (int p = PERM_REGION_READ; p < PERM__COUNT; p++) {
		enum scope s = perm_scope(role, (enum perm)p);
		if (s != SCOPE_NONE)
			json_object_set_new(j, perm_name((enum perm)p),
					    json_string(scope_names[s]));
	}
	return j;
}

static px_err reply_session(struct http_req *r, int64_t user_id, const char *csrf, int status)
{
	struct user u;
	px_err rc = users_get(API(r)->db, &r->arena, user_id, &u);
	if (rc)
		return rc;
	json_t *user = api_user_json(r, &u);
	json_object_set_new(user, "permissions", permissions_json(role_from_code(u.role)));
	return http_reply_json(r, status, json_pack("{so ss}", "user", user, "csrf_token", csrf));
}

px_err api_session_get(struct http_req *r)
{
	return reply_session(r, API(r)->who.user_id, API(r)->csrf_token, 200);
}

/* A valid argon2id hash of a password nobody has, so unknown users cost a real check. */
static char dummy[128];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
	char pw[44];
	secret_random_token(pw);
	if (secret_password_hash(pw, dummy))
		dummy[0] = '\0';
}

static const char *dummy_hash(void)
{
	pthread_once(&dummy_once, dummy_init);
	return dummy;
}

/* Create a session for the user inside the caller's transaction, and set the cookie.
 * csrf receives the new CSRF token. */
static px_err start_session(struct http_req *r, int64_t user_id, char csrf[44])
{
	char token[44], token_hash[65];
	secret_random_token(token);
	secret_random_token(csrf);
	secret_token_hash(token, token_hash);
	int64_t max_age = API(r)->app->session_max_hours * 3600;
	px_err rc = sessions_create(API(r)->db, token_hash, user_id, csrf, time_now() + max_age,
				    r->ip, r->user_agent);
	if (rc)
		return rc;
	http_add_header(r, "Set-Cookie",
			arena_printf(&r->arena,
				     "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
				     cookie_name, token, (long long)max_age,
				     API(r)->app->cookie_secure ? "; Secure" : ""));
	return PX_OK;
}

/* The answer to the failure that locks an account. */
static const char *locked_now(int en)
{
	return en ? "Wrong user name or password. The account is now locked for 15 minutes"
		  : "用户名或密码错误。连续失败 5 次,账号已锁定 15 分钟";
}

px_err api_login(struct http_req *r)
{
	json_t *body;
	px_err rc = http_json_body(r, &body);
	if (rc)
		return rc;
	const char *username = api_json_text(r, body, "username");
	const char *password = api_json_text(r, body, "password");
	json_decref(body);
	int en = px_lang_is_en(r->lang);
	if (!username || !*username || strlen(username) > 64)
		api_problem(r, "username", "required", "请输入用户名", "Enter the user name");
	if (!password || !*password || strlen(password) > 256)
		api_problem(r, "password", "required", "请输入密码", "Enter the password");
	if (r->problems.n)
		return PX_ERR_INVALID;

	struct user u;
	rc = users_get_by_username(API(r)->db, &r->arena, username, &u);
	if (rc == PX_ERR_NOT_FOUND) {
		/* An unknown name fails exactly as a known one would, lockout included, so the
		 * answers do not tell which names exist. */
		secret_password_verify(dummy_hash(), password);
		bool locked = false;
		if ((rc = unknown_login_locked(API(r)->db, username, time_now(), &locked)))
			return rc;
		if (locked) {
			login_log_add(API(r)->db, username, 0, "locked", r->ip, r->user_agent);
			return PX_ERR_LOCKED;
		}
		rc = unknown_login_failed(API(r)->db, username, MAX_FAILURES, LOCK_SECONDS,
					  &locked);
		login_log_add(API(r)->db, username, 0, "unknown_user", r->ip, r->user_agent);
		if (rc)
			return rc;
		if (locked)
			r->message = locked_now(en);
		return PX_ERR_BAD_CREDENTIALS;
	}
	if (rc)
		return rc;
	int64_t now = time_now();
	if (u.locked_until > now) {
		login_log_add(API(r)->db, username, u.id, "locked", r->ip, r->user_agent);
		return PX_ERR_LOCKED;
	}
	if (!secret_password_verify(u.password_hash, password)) {
		bool locked = false;
		rc = users_login_failed(API(r)->db, u.id, MAX_FAILURES, LOCK_SECONDS, &locked);
		login_log_add(API(r)->db, username, u.id,
			      locked ? "bad_password_locked" : "bad_password", r->ip,
			      r->user_agent);
		if (rc)
			return rc;
		if (locked)
			r->message = locked_now(en);
		return PX_ERR_BAD_CREDENTIALS;
	}
	if (!u.active) {
		login_log_add(API(r)->db, username, u.id, "disabled", r->ip, r->user_agent);
		return PX_ERR_INACTIVE;
	}
	if (secret_password_needs_rehash(u.password_hash)) {
		char hash[128];
		if (!secret_password_hash(password, hash))
			users_set_password(API(r)->db, u.id, hash, u.must_change_password);
	}
	char csrf[44];
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = users_login_succeeded(API(r)->db, u.id);
	if (!rc)
		rc = start_session(r, u.id, csrf);
	if (!rc)
		rc = login_log_add(API(r)->db, username, u.id, "ok", r->ip, r->user_agent);
	if (rc) {
		store_rollback(API(r)->db);
		return rc;
	}
	if ((rc = store_commit(API(r)->db)))
		return rc;
	return reply_session(r, u.id, csrf, 201);
}

px_err api_logout(struct http_req *r)
{
	px_err rc = sessions_delete(API(r)->db, API(r)->session_hash);
	if (rc)
		return rc;
	login_log_add(API(r)->db, API(r)->who.username, API(r)->who.user_id, "logout", r->ip,
		      r->user_agent);
	http_add_header(r, "Set-Cookie",
			arena_printf(&r->arena, "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
				     cookie_name));
	r->status = 204;
	return PX_OK;
}

px_err api_password_change(struct http_req *r)
{
	json_t *body;
	px_err rc = http_json_body(r, &body);
	if (rc)
		return rc;
	const char *old_pw = api_json_text(r, body, "old_password");
	const char *new_pw = api_json_text(r, body, "new_password");
	json_decref(body);
	struct user u;
	if ((rc = users_get(API(r)->db, &r->arena, API(r)->who.user_id, &u)))
		return rc;
	if (!old_pw || !secret_password_verify(u.password_hash, old_pw)) {
		api_problem(r, "old_password", "wrong", "当前密码不正确",
			    "The current password is wrong");
		return PX_ERR_INVALID;
	}
	if (!new_pw || password_check(new_pw, u.username, r->lang, &r->problems))
		return r->problems.n ? PX_ERR_WEAK_PASSWORD : PX_ERR_INVALID;
	if (!strcmp(new_pw, old_pw)) {
		api_problem(r, "new_password", "unchanged", "新密码不能与当前密码相同",
			    "Choose a password different from the current one");
		return PX_ERR_WEAK_PASSWORD;
	}
	char hash[128];
	if ((rc = secret_password_hash(new_pw, hash)))
		return rc;
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = users_set_password(API(r)->db, u.id, hash, false);
	/* Other sessions of this user end; this one stays. */
	if (!rc)
		rc = sessions_delete_user(API(r)->db, u.id);
	char csrf[44];
	if (!rc)
		rc = start_session(r, u.id, csrf);
	if ((rc = api_audit_commit(r, rc, "password_change", "user", u.id, NULL, NULL)))
		return rc;
	return reply_session(r, u.id, csrf, 200);
}
