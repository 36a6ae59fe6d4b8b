/*
 * accounts.c — users, sessions, login log and audit log. See accounts.h.
 */
#include "store/accounts.h"

#include <stdio.h>

#include "base/date.h"
#include "store/query.h"

/* An account's region: its own, else its unit's, else (a trainee) its cadre's unit's. */
#define USER_FROM                                                                                  \
	" FROM users us LEFT JOIN regions g ON g.id = us.region_id "                               \
	"LEFT JOIN units u ON u.id = us.unit_id LEFT JOIN regions ug ON ug.id = u.region_id "      \
	"LEFT JOIN cadres c ON c.id = us.cadre_id LEFT JOIN units cu ON cu.id = c.unit_id "        \
	"LEFT JOIN regions cg ON cg.id = cu.region_id"
#define USER_PATH "COALESCE(g.path, ug.path, cg.path, '')"

#define USER_SELECT                                                                                \
	"SELECT us.id, us.username, us.display_name, us.password_hash, us.role, "                  \
	"COALESCE(us.region_id, 0), COALESCE(us.unit_id, 0), COALESCE(us.cadre_id, 0), "           \
	"COALESCE(us.expert_id, 0), COALESCE(g.name, ''), COALESCE(u.name, ''), "                  \
	"COALESCE(c.name, ''), " USER_PATH ", us.active, us.failed_logins, "                       \
	"us.locked_until, us.must_change_password, us.last_login_at, us.version, us.created_at, "  \
	"us.updated_at" USER_FROM

static void read_user(struct arena *a, struct store_stmt *st, void *out)
{
	struct user *u = out;
	u->id = store_column_int64(st, 0);
	u->username = row_text(a, st, 1);
	u->display_name = row_text(a, st, 2);
	u->password_hash = row_text(a, st, 3);
	u->role = row_text(a, st, 4);
	u->region_id = store_column_int64(st, 5);
	u->unit_id = store_column_int64(st, 6);
	u->cadre_id = store_column_int64(st, 7);
	u->expert_id = store_column_int64(st, 8);
	u->region_name = row_text(a, st, 9);
	u->unit_name = row_text(a, st, 10);
	u->cadre_name = row_text(a, st, 11);
	u->region_path = row_text(a, st, 12);
	u->active = (int)store_column_int64(st, 13);
	u->failed_logins = (int)store_column_int64(st, 14);
	u->locked_until = store_column_int64(st, 15);
	u->must_change_password = (int)store_column_int64(st, 16);
	u->last_login_at = store_column_int64(st, 17);
	u->version = store_column_int64(st, 18);
	u->created_at = store_column_int64(st, 19);
	u->updated_at = store_column_int64(st, 20);
}

px_err users_get(struct store *s, struct arena *a, int64_t id, struct user *out)
{
	return store_get_row(s, a, USER_SELECT " WHERE us.id = ?", id, read_user, out);
}

px_err users_get_by_username(struct store *s, struct arena *a, const char *username,
			     struct user *out)
{
	return store_get_row_text(s, a, USER_SELECT " WHERE us.username = ?", username, read_user,
				  out);
}

px_err users_insert(struct store *s, struct user *u)
{
	int64_t now = time_now();
	return store_insert_id(s,
			       "INSERT INTO users (username, display_name, password_hash, role, "
			       "region_id, unit_id, cadre_id, expert_id, active, "
			       "must_change_password, password_changed_at, created_at, updated_at) "
			       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			       &u->id, "ttttIIIIiiiii", u->username, u->display_name,
			       u->password_hash, u->role, u->region_id, u->unit_id, u->cadre_id,
			       u->expert_id, (int64_t)u->active, (int64_t)u->must_change_password,
			       now, now, now);
}

px_err users_update(struct store *s, const struct user *u, int64_t version)
{
	return store_run(s,
			 "UPDATE users SET display_name = ?, role = ?, region_id = ?, "
			 "unit_id = ?, cadre_id = ?, expert_id = ?, active = ?, "
			 "updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
			 PX_ERR_CONFLICT, "ttIIIIiiii", u->display_name, u->role, u->region_id,
			 u->unit_id, u->cadre_id, u->expert_id, (int64_t)u->active, time_now(),
			 u->id, version);
}

px_err users_link_expert(struct store *s, int64_t user_id, int64_t expert_id)
{
	return store_run(s, "UPDATE users SET expert_id = ? WHERE id = ?", PX_OK, "ii", expert_id,
			 user_id);
}

px_err users_set_password(struct store *s, int64_t id, const char *hash, bool must_change)
{
	int64_t now = time_now();
	return store_run(s,
			 "UPDATE users SET password_hash = ?, must_change_password = ?, "
			 "password_changed_at = ?, failed_logins = 0, locked_until = 0, "
			 "updated_at = ?, version = version + 1 WHERE id = ?",
			 PX_ERR_NOT_FOUND, "tiiii", hash, (int64_t)must_change, now, now, id);
}

static const struct sort_key user_sorts[] = {
	{ "username", "us.username" },
	{ "display_name", "us.display_name" },
	{ "role", "us.role" },
	{ "last_login_at", "us.last_login_at" },
	{ "created_at", "us.created_at" },
};

static void user_filters(struct arena *a, struct qb *q, const struct user_query *uq)
{
	if (uq->scope.scope == SCOPE_REGION) {
		qb_where(q, USER_PATH " LIKE CAST(? AS TEXT) || '%'");
		qb_arg_text(q, uq->scope.region_path);
	} else if (uq->scope.scope != SCOPE_ALL) {
		qb_where(q, "1 = 0");
	}
	if (uq->q && *uq->q) {
		const char *pat = like_contains(a, uq->q);
		qb_where(q,
			 "(us.username LIKE ? ESCAPE '\\' OR us.display_name LIKE ? ESCAPE '\\')");
		qb_arg_text(q, pat);
		qb_arg_text(q, pat);
	}
	if (uq->role && *uq->role) {
		qb_where(q, "us.role = ?");
		qb_arg_text(q, uq->role);
	}
}

px_err users_list(struct store *s, struct arena *a, const struct user_query *uq,
		  struct user **items, size_t *n, int64_t *total)
{
	struct qb count, rows;
	qb_init(&count, "SELECT COUNT(*)" USER_FROM);
	user_filters(a, &count, uq);
	qb_init(&rows, USER_SELECT);
	user_filters(a, &rows, uq);
	qb_order(&rows, user_sorts, sizeof user_sorts / sizeof user_sorts[0], uq->sort, "us.id");
	qb_page(&rows, uq->page, uq->page_size);
	return qb_list(s, a, &count, &rows, read_user, sizeof **items, (void **)items, n, total);
}

px_err users_login_failed(struct store *s, int64_t id, int max_failures, int64_t lock_seconds,
			  bool *locked)
{
	/* One statement so that concurrent failures cannot both read the old count. */
	int64_t now = time_now(), until = 0;
	px_err rc = store_query_int64(
		s,
		"UPDATE users SET "
		"locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END, "
		"failed_logins = CASE WHEN failed_logins + 1 >= ? THEN 0 ELSE failed_logins + 1 "
		"END "
		"WHERE id = ? RETURNING locked_until",
		&until, "iiii", (int64_t)max_failures, now + lock_seconds, (int64_t)max_failures,
		id);
	*locked = !rc && until > now;
	return rc == PX_ERR_NOT_FOUND ? PX_OK : rc; /* no such user: nothing to lock */
}

px_err users_login_succeeded(struct store *s, int64_t id)
{
	return store_run(s,
			 "UPDATE users SET failed_logins = 0, locked_until = 0, "
			 "last_login_at = ? WHERE id = ?",
			 PX_OK, "ii", time_now(), id);
}

/* ---- sessions ---- */

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

/* ---- logs ---- */

px_err login_log_add(struct store *s, const char *username, int64_t user_id, const char *outcome,
		     const char *ip, const char *ua)
{
	char name[65], ua_short[256];
	snprintf(name, sizeof name, "%s", username ? username : "");
	snprintf(ua_short, sizeof ua_short, "%s", ua ? ua : "");
	return store_run(s,
			 "INSERT INTO login_log (at, username, user_id, outcome, ip, "
			 "user_agent) VALUES (?, ?, ?, ?, ?, ?)",
			 PX_OK, "itIttt", time_now(), name, user_id, outcome, ip ? ip : "",
			 ua_short);
}

px_err audit_add(struct store *s, const struct principal *who, const char *ip, const char *action,
		 const char *entity, int64_t entity_id, const char *before_json,
		 const char *after_json)
{
	char eid[24] = "";
	if (entity_id)
		snprintf(eid, sizeof eid, "%lld", (long long)entity_id);
	return store_run(s,
			 "INSERT INTO audit_log (at, user_id, username, action, entity, "
			 "entity_id, before_json, after_json, ip) "
			 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			 PX_OK, "iIttttttt", time_now(), who ? who->user_id : 0,
			 who && who->username ? who->username : "(cli)", action, entity, eid,
			 before_json ? before_json : "", after_json ? after_json : "",
			 ip ? ip : "");
}

static void read_log(struct arena *a, struct store_stmt *st, void *out)
{
	struct log_entry *e = out;
	e->id = store_column_int64(st, 0);
	e->at = store_column_int64(st, 1);
	e->user_id = store_column_int64(st, 2);
	e->username = row_text(a, st, 3);
	e->action = row_text(a, st, 4);
	e->entity = row_text(a, st, 5);
	e->entity_id = row_text(a, st, 6);
	e->before_json = row_text(a, st, 7);
	e->after_json = row_text(a, st, 8);
	e->ip = row_text(a, st, 9);
	e->user_agent = row_text(a, st, 10);
}

static void log_filters(struct arena *a, struct qb *q, const struct log_query *lq, bool audit)
{
	qb_sql(q, audit ? " FROM audit_log l" : " FROM login_log l");
	if (lq->q && *lq->q) {
		qb_where(q, "l.username = ?");
		qb_arg_text(q, lq->q);
	}
	if (audit && lq->entity && *lq->entity) {
		qb_where(q, "l.entity = ?");
		qb_arg_text(q, lq->entity);
		if (lq->entity_id > 0) {
			qb_where(q, "l.entity_id = ?");
			qb_arg_text(q, arena_printf(a, "%lld", (long long)lq->entity_id));
		}
	}
}

static px_err log_list(struct store *s, struct arena *a, const struct log_query *lq, bool audit,
		       struct log_entry **items, size_t *n, int64_t *total)
{
	struct qb count, rows;
	qb_init(&count, "SELECT COUNT(*)");
	log_filters(a, &count, lq, audit);
	qb_init(&rows, audit ? "SELECT l.id, l.at, COALESCE(l.user_id, 0), l.username, l.action, "
			       "l.entity, l.entity_id, l.before_json, l.after_json, l.ip, ''"
			     : "SELECT l.id, l.at, COALESCE(l.user_id, 0), l.username, l.outcome, "
			       "'', '', '', '', l.ip, l.user_agent");
	log_filters(a, &rows, lq, audit);
	qb_sql(&rows, " ORDER BY l.id DESC");
	qb_page(&rows, lq->page, lq->page_size);
	return qb_list(s, a, &count, &rows, read_log, sizeof **items, (void **)items, n, total);
}

px_err audit_list(struct store *s, struct arena *a, const struct log_query *q,
		  struct log_entry **items, size_t *n, int64_t *total)
{
	return log_list(s, a, q, true, items, n, total);
}

px_err login_log_list(struct store *s, struct arena *a, const struct log_query *q,
		      struct log_entry **items, size_t *n, int64_t *total)
{
	return log_list(s, a, q, false, items, n, total);
}

/* ---- import runs ---- */

px_err imports_insert(struct store *s, struct import_record *r)
{
	return store_insert_id(s,
			       "INSERT INTO imports (at, user_id, kind, filename, format, status, "
			       "total_rows, imported_rows, error_count, errors_json, file_enc) "
			       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			       &r->id, "iIttttiiitt", r->at, r->user_id, r->kind, r->filename,
			       r->format, r->status, r->total_rows, r->imported_rows,
			       r->error_count, r->errors_json ? r->errors_json : "[]",
			       r->file_enc ? r->file_enc : "");
}

static void read_import(struct arena *a, struct store_stmt *st, void *row)
{
	struct import_record *out = row;
	out->id = store_column_int64(st, 0);
	out->at = store_column_int64(st, 1);
	out->user_id = store_column_int64(st, 2);
	out->kind = row_text(a, st, 3);
	out->filename = row_text(a, st, 4);
	out->format = row_text(a, st, 5);
	out->status = row_text(a, st, 6);
	out->total_rows = store_column_int64(st, 7);
	out->imported_rows = store_column_int64(st, 8);
	out->error_count = store_column_int64(st, 9);
	out->errors_json = row_text(a, st, 10);
	out->file_enc = row_text(a, st, 11);
}

px_err imports_get(struct store *s, struct arena *a, int64_t id, struct import_record *out)
{
	return store_get_row(s, a,
			     "SELECT id, at, COALESCE(user_id, 0), kind, filename, format, status, "
			     "total_rows, imported_rows, error_count, errors_json, file_enc "
			     "FROM imports WHERE id = ?",
			     id, read_import, out);
}
