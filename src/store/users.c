/*
 * users.c — user accounts: roles, scope anchors, passwords, lockout. See accounts.h.
 */
#include "store/accounts.h"

#include <stdio.h>

#include "base/date.h"
#include "store/list.h"

/* An account's region: its own, else its unit's, else (a trainee) its cadre's unit's; and
 * the login throttle's count under its name (failed_logins, locked_until: the account's
 * failures from every address, accounts.h — users.failed_logins and users.locked_until are
 * no longer used). */
#define USER_FROM                                                                                  \
	" FROM users us LEFT JOIN regions g ON g.id = us.region_id "                               \
	"LEFT JOIN units u ON u.id = us.unit_id LEFT JOIN regions ug ON ug.id = u.region_id "      \
	"LEFT JOIN cadres c ON c.id = us.cadre_id LEFT JOIN units cu ON cu.id = c.unit_id "        \
	"LEFT JOIN regions cg ON cg.id = cu.region_id "                                            \
	"LEFT JOIN login_throttle lt ON lt.username = us.username"
#define USER_PATH "COALESCE(g.path, ug.path, cg.path, '')"

#define USER_COLUMNS                                                                               \
	"SELECT us.id, us.username, us.display_name, us.password_hash, us.role, "                  \
	"COALESCE(us.region_id, 0), COALESCE(us.unit_id, 0), COALESCE(us.cadre_id, 0), "           \
	"COALESCE(us.expert_id, 0), COALESCE(g.name, ''), COALESCE(u.name, ''), "                  \
	"COALESCE(c.name, ''), " USER_PATH ", us.active, COALESCE(lt.failed_logins, 0), "          \
	"COALESCE(lt.locked_until, 0), us.must_change_password, us.last_login_at, us.version, "    \
	"us.created_at, "                                                                          \
	"us.updated_at"
#define USER_SELECT USER_COLUMNS USER_FROM

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
	return store_run(
		s,
		"UPDATE users SET password_hash = ?, must_change_password = ?, "
		"password_changed_at = ?, updated_at = ?, version = version + 1 WHERE id = ?",
		PX_ERR_NOT_FOUND, "tiiii", hash, (int64_t)must_change, now, now, id);
}

static const struct sort_key user_sorts[] = {
	{ "username", "us.username" },
	{ "display_name", "us.display_name" },
	{ "role", "us.role" },
	{ "last_login_at", "us.last_login_at" },
	{ "created_at", "us.created_at" },
};

/*
 * The accounts of a region (issue 9, item 11): those anchored inside it, and the accounts
 * without a region that serve it — a class manager who runs one of its classes, an expert
 * whose record it entered or (to read, not to manage) who teaches one of its classes'
 * sessions. Teaching gives no more than sight: any office may put any expert on a session,
 * and that must not let it reset the expert's password.
 */
static void serving_filter(struct qb *q, const char *path, bool manage)
{
	qb_where(q,
		 manage ? "(" USER_PATH " LIKE CAST(? AS TEXT) || '%' OR (us.role = "
			  "'class_manager' AND EXISTS (SELECT 1 FROM class_managers sm JOIN "
			  "classes sk ON sk.id = sm.class_id JOIN regions sg ON sg.id = "
			  "sk.region_id WHERE sm.user_id = us.id AND sg.path LIKE CAST(? AS "
			  "TEXT) || '%')) OR (us.role = 'expert' AND EXISTS (SELECT 1 FROM "
			  "experts sx JOIN regions sg ON sg.id = sx.region_id WHERE sx.id = "
			  "us.expert_id AND sg.path LIKE CAST(? AS TEXT) || '%')))"
			: "(" USER_PATH " LIKE CAST(? AS TEXT) || '%' OR (us.role = "
			  "'class_manager' AND EXISTS (SELECT 1 FROM class_managers sm JOIN "
			  "classes sk ON sk.id = sm.class_id JOIN regions sg ON sg.id = "
			  "sk.region_id WHERE sm.user_id = us.id AND sg.path LIKE CAST(? AS "
			  "TEXT) || '%')) OR (us.role = 'expert' AND (EXISTS (SELECT 1 FROM "
			  "experts sx JOIN regions sg ON sg.id = sx.region_id WHERE sx.id = "
			  "us.expert_id AND sg.path LIKE CAST(? AS TEXT) || '%') OR EXISTS "
			  "(SELECT 1 FROM session_experts se JOIN class_sessions ss ON ss.id = "
			  "se.session_id JOIN classes sk ON sk.id = ss.class_id JOIN regions sg "
			  "ON sg.id = sk.region_id WHERE se.expert_id = us.expert_id AND sg.path "
			  "LIKE CAST(? AS TEXT) || '%'))))");
	for (int i = 0; i < (manage ? 3 : 4); i++)
		qb_arg_text(q, path);
}

px_err users_in_region(struct store *s, int64_t user_id, const char *path, bool manage, bool *yes)
{
	struct qb q;
	int64_t n = 0;
	qb_init(&q, "SELECT COUNT(*)" USER_FROM);
	qb_where(&q, "us.id = ?");
	qb_arg_int(&q, user_id);
	serving_filter(&q, path, manage);
	px_err rc = qb_count(s, &q, &n);
	*yes = n > 0;
	return rc;
}

static void user_filters(struct arena *a, struct qb *q, const void *query)
{
	const struct user_query *uq = query;
	if (uq->scope.scope == SCOPE_REGION) {
		serving_filter(q, uq->scope.region_path, false);
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

static const struct list_spec user_list = {
	.columns = USER_COLUMNS,
	.from = USER_FROM,
	.sorts = user_sorts,
	.n_sorts = sizeof user_sorts / sizeof user_sorts[0],
	.tiebreak = "us.id",
	.filter = user_filters,
	.read = read_user,
	.row_size = sizeof(struct user),
};

px_err users_list(struct store *s, struct arena *a, const struct user_query *uq,
		  struct user **items, size_t *n, int64_t *total)
{
	struct list_page page = { uq->sort, uq->page, uq->page_size };
	return store_list(s, a, &user_list, uq, &page, (void **)items, n, total);
}

px_err users_login_succeeded(struct store *s, int64_t id)
{
	return store_run(s, "UPDATE users SET last_login_at = ? WHERE id = ?", PX_OK, "ii",
			 time_now(), id);
}
