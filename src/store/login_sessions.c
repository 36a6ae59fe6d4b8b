/*
 * login_sessions.c — login sessions and the throttle of unknown user names. See accounts.h.
 */
#include "store/accounts.h"

#include <stdio.h>

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

px_err unknown_login_locked(struct store *s, const char *username, int64_t now, bool *locked)
{
	int64_t until = 0;
	px_err rc =
		store_query_int64(s, "SELECT locked_until FROM login_throttle WHERE username = ?",
				  &until, "t", username);
	*locked = !rc && until > now;
	return rc == PX_ERR_NOT_FOUND ? PX_OK : rc;
}

px_err unknown_login_failed(struct store *s, const char *username, int max_failures,
			    int64_t lock_seconds, bool *locked)
{
	/* the same single statement as users_login_failed, as an upsert */
	int64_t now = time_now(), until = 0;
	px_err rc = store_query_int64(
		s,
		"INSERT INTO login_throttle (username, failed_logins, locked_until, "
		"last_failed_at) "
		"VALUES (?, 1, 0, ?) ON CONFLICT (username) DO UPDATE SET "
		"locked_until = CASE WHEN login_throttle.failed_logins + 1 >= ? THEN ? "
		"ELSE login_throttle.locked_until END, "
		"failed_logins = CASE WHEN login_throttle.failed_logins + 1 >= ? THEN 0 "
		"ELSE login_throttle.failed_logins + 1 END, last_failed_at = ? "
		"RETURNING locked_until",
		&until, "tiiiii", username, now, (int64_t)max_failures, now + lock_seconds,
		(int64_t)max_failures, now);
	*locked = !rc && until > now;
	return rc;
}
