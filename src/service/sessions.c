/*
 * sessions.c — logging in and out, the caller of a session, changing one's password: see
 * accounts.h.
 *
 * A session ends after session_idle_minutes without requests or session_max_hours after
 * login, whichever comes first; last_seen is written at most once a minute so reads stay
 * reads. Failed logins are throttled by account and source (domain/password.h): five in a
 * row for one name from one address lock that name there for 15 minutes, and only there;
 * the name's failures from every address, past 50, slow every address down; one address's
 * failures over any names, past 100, lock the address. Each count is one statement, so
 * parallel guesses cannot slip past it. Unknown user names cost the same argon2id work as
 * known ones and are counted and locked under the same keys, so neither timing nor answers
 * reveal which names exist. Every attempt goes to the login log.
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

#define TOUCH_EVERY 60

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

/* Minutes (at least 1) until t. */
static int minutes_until(int64_t t, int64_t now)
{
	return t > now ? (int)((t - now + 59) / 60) : 1;
}

/*
 * Whether the throttle refuses this try before any password is looked at: the source is
 * locked, or the name from this source, or the name is slowed down everywhere. A refusal is
 * logged and not counted (the owner's try after the wait is not pushed further away).
 */
static px_err throttled(struct svc *c, const char *username, int64_t user_id, const char *ua,
			int64_t now)
{
	struct login_count src, pair, name;
	px_err rc = login_throttle_get(c->db, NULL, c->ip, &src);
	if (!rc)
		rc = login_throttle_get(c->db, username, c->ip, &pair);
	if (!rc)
		rc = login_throttle_get(c->db, username, NULL, &name);
	if (rc)
		return rc;
	bool en = svc_en(c);
	if (src.locked_until > now) {
		login_log_add(c->db, username, user_id, "source_locked", c->ip, ua);
		c->message = arena_printf(
			c->arena,
			en ? "Too many failed logins from this address; try again in %d minutes"
			   : "此网络地址登录失败次数过多,已暂停登录,请 %d 分钟后再试",
			minutes_until(src.locked_until, now));
		return PX_ERR_LOCKED;
	}
	if (pair.locked_until > now) {
		login_log_add(c->db, username, user_id, "locked", c->ip, ua);
		c->message = arena_printf(c->arena,
					  en ? "Too many failed logins; the account is locked from "
					       "this address for %d "
					       "minutes (other addresses are not affected)"
					     : "登录失败次数过多,该账号在此网络地址已锁定,请 %d "
					       "分钟后再试(其他地址不受影响)",
					  minutes_until(pair.locked_until, now));
		return PX_ERR_LOCKED;
	}
	if (name.locked_until > now) {
		login_log_add(c->db, username, user_id, "throttled", c->ip, ua);
		c->message = arena_printf(c->arena,
					  en ? "Too many failed logins for this account from many "
					       "addresses; try again "
					       "in %d seconds"
					     : "该账号近期在多处登录失败次数过多,请 %d 秒后再试",
					  (int)(name.locked_until - now));
		return PX_ERR_LOCKED;
	}
	return PX_OK;
}

/* Count a wrong password under the three keys; *locked: it locked the name here. */
static px_err count_failure(struct svc *c, const char *username, int64_t now, bool *locked)
{
	struct login_count pair, name, src;
	px_err rc = login_throttle_fail(c->db, username, c->ip, now, LOGIN_WINDOW_SECONDS,
					LOGIN_PAIR_MAX, LOGIN_LOCK_SECONDS, &pair);
	if (!rc)
		rc = login_throttle_fail(c->db, username, NULL, now, LOGIN_WINDOW_SECONDS, 0, 0,
					 &name);
	int wait = rc ? 0 : login_name_wait(name.failed);
	if (!rc && wait)
		rc = login_throttle_hold(c->db, username, NULL, now + wait);
	if (!rc)
		rc = login_throttle_fail(c->db, NULL, c->ip, now, LOGIN_WINDOW_SECONDS,
					 LOGIN_SOURCE_MAX, LOGIN_LOCK_SECONDS, &src);
	*locked = !rc && pair.locked_until > now;
	return rc;
}

/* The answer to the failure that locks the name at this address. */
static px_err locked_now(struct svc *c)
{
	return svc_fail(c, PX_ERR_BAD_CREDENTIALS,
			"用户名或密码错误。连续失败 5 次,该账号在此网络地址已锁定 15 分钟",
			"Wrong user name or password. The account is now locked from this address "
			"for 15 minutes");
}

px_err svc_login(struct svc *c, const char *username, const char *password, const char *user_agent,
		 struct session_start *out)
{
	if (!username || !*username || strlen(username) > 64)
		svc_problem(c, "username", "required", "请输入用户名", "Enter the user name");
	/* no account has one, and the throttle's keys are built with one */
	for (const char *p = username; p && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			svc_problem(c, "username", "invalid", "用户名含有控制字符",
				    "The user name holds a control character");
			break;
		}
	if (!password || !*password || strlen(password) > 256)
		svc_problem(c, "password", "required", "请输入密码", "Enter the password");
	if (c->problems->n)
		return PX_ERR_INVALID;
	struct user u;
	px_err rc = users_get_by_username(c->db, c->arena, username, &u);
	if (rc && rc != PX_ERR_NOT_FOUND)
		return rc;
	bool known = !rc;
	int64_t now = time_now();
	if ((rc = throttled(c, username, known ? u.id : 0, user_agent, now)))
		return rc;
	/* an unknown name costs a real verification too */
	if (!secret_password_verify(known ? u.password_hash : dummy_hash(), password)) {
		bool locked = false;
		rc = count_failure(c, username, now, &locked);
		login_log_add(c->db, username, known ? u.id : 0,
			      !known   ? "unknown_user"
			      : locked ? "bad_password_locked"
				       : "bad_password",
			      c->ip, user_agent);
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
	/* the owner is back from here: this address's count of the name is cleared; the
	 * name's count from every address is not (whoever fails elsewhere is still slowed) */
	rc = login_throttle_clear(c->db, username, c->ip);
	if (!rc)
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
	/* a new password: whatever was counted against the old one is forgotten */
	if (!rc)
		rc = login_throttle_forget(c->db, u.username);
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
