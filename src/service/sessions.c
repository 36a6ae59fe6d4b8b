/*
 * sessions.c — logging in and out, the caller of a session, changing one's password: see
 * accounts.h.
 *
 * A session ends after session_idle_minutes without requests or session_max_hours after
 * login, whichever comes first; last_seen is written at most once a minute so reads stay
 * reads. Five wrong passwords in a row lock an account for 15 minutes (the lock is one
 * UPDATE, so parallel guesses cannot slip past the count). Unknown user names cost the same
 * argon2id work as known ones and are counted and locked the same way, so neither timing nor
 * answers reveal which names exist. Every attempt goes to the login log.
 */
#include <pthread.h>
#include <string.h>

#include "base/date.h"
#include "base/secret.h"
#include "domain/password.h"
#include "service/accounts.h"
#include "service/app.h"
#include "store/accounts.h"
#include "store/store.h"

#define MAX_FAILURES 5
#define LOCK_SECONDS (15 * 60)
#define TOUCH_EVERY  60

static const struct view_field session_view_fields[] = {
	{ "user", VIEW_OBJECT, "The account, with its permissions", &svc_user_shape },
	{ "csrf_token", VIEW_TEXT, "Send it as X-CSRF-Token with every write" },
};
const struct view_spec svc_session_shape = VIEW_SPEC("Session", session_view_fields);

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

/* {"user": the account's view with its permissions, "csrf_token": csrf} */
static px_err session_json(struct svc *c, int64_t user_id, const char *csrf, json_t **out)
{
	json_t *user = NULL;
	struct user u;
	px_err rc = users_get(c->db, c->arena, user_id, &u);
	if (rc)
		return rc;
	/* The view as the account itself sees it (at login the caller is nobody yet). */
	struct principal self = { .user_id = u.id,
				  .role = role_from_code(u.role),
				  .region_id = u.region_id,
				  .region_path = u.region_path ? u.region_path : "",
				  .unit_id = u.unit_id,
				  .cadre_id = u.cadre_id,
				  .expert_id = u.expert_id,
				  .username = u.username };
	struct svc as_self = *c;
	as_self.who = &self;
	user = svc_user_kind.view(&as_self, &u);
	json_object_set_new(user, "permissions", permissions_json(role_from_code(u.role)));
	*out = json_pack("{so ss}", "user", user, "csrf_token", csrf);
	return PX_OK;
}

px_err svc_session_view(struct svc *c, const char *csrf, json_t **out)
{
	return session_json(c, c->who->user_id, csrf, out);
}

px_err svc_session_find(struct svc *c, const char *token, char hash[65], struct principal *who,
			char *csrf, int64_t *expires, bool *must_change)
{
	if (!token || strlen(token) < 20 || strlen(token) > 64)
		return PX_ERR_NOT_FOUND;
	secret_token_hash(token, hash);
	struct session_info si;
	px_err rc = sessions_lookup(c->db, c->arena, hash, &si);
	if (rc)
		return rc;
	int64_t now = time_now();
	int64_t idle = c->app->session_idle_minutes * 60;
	if (si.expires_at <= now || si.last_seen + idle <= now) {
		sessions_delete(c->db, hash);
		return PX_ERR_NOT_FOUND;
	}
	if (now - si.last_seen >= TOUCH_EVERY)
		sessions_touch(c->db, hash, now);
	*who = si.who;
	snprintf(csrf, 48, "%s", si.csrf_token);
	*expires = si.expires_at;
	*must_change = si.must_change_password;
	return PX_OK;
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

/* Create a session for the user inside the caller's transaction. */
static px_err start_session(struct svc *c, int64_t user_id, const char *user_agent,
			    struct session_start *s)
{
	char token_hash[65];
	secret_random_token(s->token);
	secret_random_token(s->csrf);
	secret_token_hash(s->token, token_hash);
	s->max_age = c->app->session_max_hours * 3600;
	return sessions_create(c->db, token_hash, user_id, s->csrf, time_now() + s->max_age, c->ip,
			       user_agent);
}

/* The answer to the failure that locks an account. */
static px_err locked_now(struct svc *c)
{
	return svc_fail(c, PX_ERR_BAD_CREDENTIALS,
			"用户名或密码错误。连续失败 5 次,账号已锁定 15 分钟",
			"Wrong user name or password. The account is now locked for 15 minutes");
}

/* A wrong password under a name with no account: the same work, count and lock. */
static px_err unknown_user(struct svc *c, const char *username, const char *password,
			   const char *ua)
{
	secret_password_verify(dummy_hash(), password);
	bool locked = false;
	px_err rc = unknown_login_locked(c->db, username, time_now(), &locked);
	if (rc)
		return rc;
	if (locked) {
		login_log_add(c->db, username, 0, "locked", c->ip, ua);
		return PX_ERR_LOCKED;
	}
	rc = unknown_login_failed(c->db, username, MAX_FAILURES, LOCK_SECONDS, &locked);
	login_log_add(c->db, username, 0, "unknown_user", c->ip, ua);
	if (rc)
		return rc;
	return locked ? locked_now(c) : PX_ERR_BAD_CREDENTIALS;
}

px_err svc_login(struct svc *c, const char *username, const char *password, const char *user_agent,
		 struct session_start *out)
{
	if (!username || !*username || strlen(username) > 64)
		svc_problem(c, "username", "required", "请输入用户名", "Enter the user name");
	if (!password || !*password || strlen(password) > 256)
		svc_problem(c, "password", "required", "请输入密码", "Enter the password");
	if (c->problems->n)
		return PX_ERR_INVALID;
	struct user u;
	px_err rc = users_get_by_username(c->db, c->arena, username, &u);
	if (rc == PX_ERR_NOT_FOUND)
		return unknown_user(c, username, password, user_agent);
	if (rc)
		return rc;
	if (u.locked_until > time_now()) {
		login_log_add(c->db, username, u.id, "locked", c->ip, user_agent);
		return PX_ERR_LOCKED;
	}
	if (!secret_password_verify(u.password_hash, password)) {
		bool locked = false;
		rc = users_login_failed(c->db, u.id, MAX_FAILURES, LOCK_SECONDS, &locked);
		login_log_add(c->db, username, u.id,
			      locked ? "bad_password_locked" : "bad_password", c->ip, user_agent);
		if (rc)
			return rc;
		return locked ? locked_now(c) : PX_ERR_BAD_CREDENTIALS;
	}
	if (!u.active) {
		login_log_add(c->db, username, u.id, "disabled", c->ip, user_agent);
		return PX_ERR_INACTIVE;
	}
	if (secret_password_needs_rehash(u.password_hash)) {
		char hash[128];
		if (!secret_password_hash(password, hash))
			users_set_password(c->db, u.id, hash, u.must_change_password);
	}
	if ((rc = svc_begin(c)))
		return rc;
	rc = users_login_succeeded(c->db, u.id);
	if (!rc)
		rc = start_session(c, u.id, user_agent, out);
	if (!rc)
		rc = login_log_add(c->db, username, u.id, "ok", c->ip, user_agent);
	if (rc) {
		store_rollback(c->db);
		return rc;
	}
	if ((rc = store_commit(c->db)))
		return rc;
	return session_json(c, u.id, out->csrf, &out->user);
}

px_err svc_logout(struct svc *c, const char *session_hash, const char *user_agent)
{
	px_err rc = sessions_delete(c->db, session_hash);
	if (!rc)
		login_log_add(c->db, c->who->username, c->who->user_id, "logout", c->ip,
			      user_agent);
	return rc;
}

px_err svc_password_change(struct svc *c, const char *old_pw, const char *new_pw,
			   const char *user_agent, struct session_start *out)
{
	struct user u;
	px_err rc = users_get(c->db, c->arena, c->who->user_id, &u);
	if (rc)
		return rc;
	if (!old_pw || !secret_password_verify(u.password_hash, old_pw)) {
		svc_problem(c, "old_password", "wrong", "当前密码不正确",
			    "The current password is wrong");
		return PX_ERR_INVALID;
	}
	if (!new_pw || password_check(new_pw, u.username, c->lang, c->problems))
		return c->problems->n ? PX_ERR_WEAK_PASSWORD : PX_ERR_INVALID;
	if (!strcmp(new_pw, old_pw)) {
		svc_problem(c, "new_password", "unchanged", "新密码不能与当前密码相同",
			    "Choose a password different from the current one");
		return PX_ERR_WEAK_PASSWORD;
	}
	char hash[128];
	if ((rc = secret_password_hash(new_pw, hash)))
		return rc;
	if ((rc = svc_begin(c)))
		return rc;
	rc = users_set_password(c->db, u.id, hash, false);
	/* Other sessions of this user end; this one is replaced by a fresh one. */
	if (!rc)
		rc = sessions_delete_user(c->db, u.id);
	if (!rc)
		rc = start_session(c, u.id, user_agent, out);
	if ((rc = svc_commit(c, rc, "password_change", "user", u.id, NULL, NULL)))
		return rc;
	return session_json(c, u.id, out->csrf, &out->user);
}

px_err svc_sessions_purge(struct svc *c)
{
	return sessions_purge_expired(c->db, time_now(), c->app->session_idle_minutes * 60);
}
