/*
 * login_sessions.c — login sessions and the throttle of failed logins. See accounts.h.
 */
#include "store/accounts.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "store/query.h"

px_err sessions_create(struct store *s, const char *token_hash, int64_t user_id, const char *csrf,
		       int64_t expires_at, const char *ip, const char *ua)
{
	int64_t now = time_now();
	char ua_short[256];
	snprintf(ua_short, sizeof ua_short, "%s", ua ? ua : "");
	return store_run(s,
			 "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, "
			 "last_seen, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			 PX_OK, "titiiitt", token_hash, user_id, csrf, now, now, expires_at,
			 ip ? ip : "", ua_short);
}

static void read_session_info(struct arena *a, struct store_stmt *st, void *row)
{
	struct session_info *out = row;
	out->who = (struct principal){ 0 };
	snprintf(out->csrf_token, sizeof out->csrf_token, "%s", store_column_text(st, 0));
	out->last_seen = store_column_int64(st, 1);
	out->expires_at = store_column_int64(st, 2);
	out->created_at = store_column_int64(st, 3);
	out->who.user_id = store_column_int64(st, 4);
	out->who.username = row_text(a, st, 5);
	out->display_name = row_text(a, st, 6);
	out->who.role = role_from_code(store_column_text(st, 7));
	out->who.region_id = store_column_int64(st, 8);
	out->who.region_path = row_text(a, st, 9);
	out->who.unit_id = store_column_int64(st, 10);
	out->who.cadre_id = store_column_int64(st, 11);
	out->who.expert_id = store_column_int64(st, 12);
	out->must_change_password = (int)store_column_int64(st, 13);
}

px_err sessions_lookup(struct store *s, struct arena *a, const char *token_hash,
		       struct session_info *out)
{
	return store_get_row_text(
		s, a,
		"SELECT s.csrf_token, s.last_seen, s.expires_at, s.created_at, us.id, us.username, "
		"us.display_name, us.role, COALESCE(us.region_id, 0), COALESCE(g.path, ''), "
		"COALESCE(us.unit_id, c.unit_id, 0), COALESCE(us.cadre_id, 0), "
		"COALESCE(us.expert_id, 0), us.must_change_password "
		"FROM sessions s JOIN users us ON us.id = s.user_id "
		"LEFT JOIN regions g ON g.id = us.region_id LEFT JOIN cadres c ON c.id = "
		"us.cadre_id "
		"WHERE s.token_hash = ? AND us.active = 1",
		token_hash, read_session_info, out);
}

px_err sessions_touch(struct store *s, const char *token_hash, int64_t now)
{
	return store_run(s, "UPDATE sessions SET last_seen = ? WHERE token_hash = ?", PX_OK, "it",
			 now, token_hash);
}

px_err sessions_delete(struct store *s, const char *token_hash)
{
	return store_run(s, "DELETE FROM sessions WHERE token_hash = ?", PX_OK, "t", token_hash);
}

px_err sessions_delete_user(struct store *s, int64_t user_id)
{
	return store_run(s, "DELETE FROM sessions WHERE user_id = ?", PX_OK, "i", user_id);
}

px_err sessions_purge_expired(struct store *s, int64_t now, int64_t idle_seconds)
{
	px_err rc = store_run(s, "DELETE FROM sessions WHERE expires_at < ? OR last_seen < ?",
			      PX_OK, "ii", now, now - idle_seconds);
	if (!rc)
		rc = store_run(s, "DELETE FROM login_throttle WHERE last_failed_at < ?", PX_OK, "i",
			       now - 30 * 86400);
	return rc;
}

/*
 * The throttle's keys, all in login_throttle.username (0003): a user name as typed (known or
 * not, so that no answer tells which names exist); a name from one source address, the
 * name, US (0x1f) and the address; a source address, US and the address. A user name with a
 * control character never reaches here (svc_login refuses it), so no typed name can pass
 * for a pair or a source.
 */
static const char *throttle_key(char *buf, size_t size, const char *name, const char *source)
{
	if (!source)
		return name;
	snprintf(buf, size, "%s\x1f%s", name ? name : "", source);
	return buf;
}

#define KEY_SIZE 256

px_err login_throttle_get(struct store *s, const char *name, const char *source,
			  struct login_count *out)
{
	char buf[KEY_SIZE];
	const char *key = throttle_key(buf, sizeof buf, name, source);
	*out = (struct login_count){ 0 };
	struct store_stmt *st;
	bool row = false;
	px_err rc = store_prepare(
		s, "SELECT failed_logins, locked_until FROM login_throttle WHERE username = ?",
		&st);
	if (!rc)
		rc = store_bindf(st, "t", key);
	if (!rc)
		rc = store_step(st, &row);
	if (!rc && row)
		*out = (struct login_count){ (int)store_column_int64(st, 0),
					     store_column_int64(st, 1) };
	store_done(st);
	return rc;
}

px_err login_throttle_fail(struct store *s, const char *name, const char *source, int64_t now,
			   int64_t window, int lock_at, int64_t lock_seconds,
			   struct login_count *out)
{
	char buf[KEY_SIZE];
	const char *key = throttle_key(buf, sizeof buf, name, source);
	/* One statement, so that parallel failures each count. All SET expressions read the
	 * row as it was: a count whose last failure is older than the window starts again. */
	static const char sql[] =
		"INSERT INTO login_throttle (username, failed_logins, locked_until, "
		"last_failed_at) VALUES (?, 1, 0, ?) ON CONFLICT (username) DO UPDATE SET "
		"failed_logins = CASE WHEN login_throttle.last_failed_at < ? THEN 1 "
		"WHEN ? > 0 AND login_throttle.failed_logins + 1 >= ? THEN 0 "
		"ELSE login_throttle.failed_logins + 1 END, "
		"locked_until = CASE WHEN login_throttle.last_failed_at >= ? AND ? > 0 AND "
		"login_throttle.failed_logins + 1 >= ? THEN ? ELSE login_throttle.locked_until "
		"END, "
		"last_failed_at = ? RETURNING failed_logins, locked_until";
	int64_t since = now - window, at = lock_at;
	*out = (struct login_count){ 0 };
	struct store_stmt *st;
	bool row = false;
	px_err rc = store_prepare(s, sql, &st);
	if (!rc)
		rc = store_bindf(st, "tiiiiiiiii", key, now, since, at, at, since, at, at,
				 now + lock_seconds, now);
	if (!rc)
		rc = store_step(st, &row);
	if (!rc && row)
		*out = (struct login_count){ (int)store_column_int64(st, 0),
					     store_column_int64(st, 1) };
	store_done(st);
	return rc;
}

px_err login_throttle_hold(struct store *s, const char *name, const char *source, int64_t until)
{
	char buf[KEY_SIZE];
	return store_run(s,
			 "UPDATE login_throttle SET locked_until = CASE WHEN locked_until > ? THEN "
			 "locked_until ELSE ? END WHERE username = ?",
			 PX_OK, "iit", until, until, throttle_key(buf, sizeof buf, name, source));
}

px_err login_throttle_clear(struct store *s, const char *name, const char *source)
{
	char buf[KEY_SIZE];
	return store_run(s, "DELETE FROM login_throttle WHERE username = ?", PX_OK, "t",
			 throttle_key(buf, sizeof buf, name, source));
}

px_err login_throttle_forget(struct store *s, const char *name)
{
	char prefix[KEY_SIZE];
	snprintf(prefix, sizeof prefix, "%s\x1f", name);
	/* the name's pairs: every key that starts with the name and US (substr counts
	 * characters on both databases; strlen is right for the ASCII names accounts have,
	 * and a longer count only compares more) */
	return store_run(s,
			 "DELETE FROM login_throttle WHERE username = ? OR "
			 "substr(username, 1, ?) = ?",
			 PX_OK, "tit", name, (int64_t)strlen(prefix), prefix);
}
