/*
 * audit.c — the audit log and the login log. See accounts.h.
 */
#include "store/accounts.h"

#include <stdio.h>

#include "base/date.h"
#include "store/list.h"

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

static void login_log_filters(struct arena *a, struct qb *q, const void *query)
{
	const struct log_query *lq = query;
	(void)a;
	if (lq->q && *lq->q) {
		qb_where(q, "l.username = ?");
		qb_arg_text(q, lq->q);
	}
}

static void audit_filters(struct arena *a, struct qb *q, const void *query)
{
	const struct log_query *lq = query;
	login_log_filters(a, q, lq);
	if (lq->entity && *lq->entity) {
		qb_where(q, "l.entity = ?");
		qb_arg_text(q, lq->entity);
		if (lq->entity_id > 0) {
			qb_where(q, "l.entity_id = ?");
			qb_arg_text(q, arena_printf(a, "%lld", (long long)lq->entity_id));
		}
	}
}

/* Both logs read into a log_entry, newest first: the login log's outcome as the action. */
static const struct list_spec audit_log_list = {
	.columns = "SELECT l.id, l.at, COALESCE(l.user_id, 0), l.username, l.action, "
		   "l.entity, l.entity_id, l.before_json, l.after_json, l.ip, ''",
	.from = " FROM audit_log l",
	.order = "l.id DESC",
	.filter = audit_filters,
	.read = read_log,
	.row_size = sizeof(struct log_entry),
};

static const struct list_spec login_log_spec = {
	.columns = "SELECT l.id, l.at, COALESCE(l.user_id, 0), l.username, l.outcome, "
		   "'', '', '', '', l.ip, l.user_agent",
	.from = " FROM login_log l",
	.order = "l.id DESC",
	.filter = login_log_filters,
	.read = read_log,
	.row_size = sizeof(struct log_entry),
};

px_err audit_list(struct store *s, struct arena *a, const struct log_query *q,
		  struct log_entry **items, size_t *n, int64_t *total)
{
	struct list_page page = { NULL, q->page, q->page_size };
	return store_list(s, a, &audit_log_list, q, &page, (void **)items, n, total);
}

px_err login_log_list(struct store *s, struct arena *a, const struct log_query *q,
		      struct log_entry **items, size_t *n, int64_t *total)
{
	struct list_page page = { NULL, q->page, q->page_size };
	return store_list(s, a, &login_log_spec, q, &page, (void **)items, n, total);
}

px_err audit_last(struct store *s, struct arena *a, const char *entity, int64_t entity_id,
		  const char *a1, const char *a2, struct log_entry *out)
{
	struct qb q;
	qb_init(&q, "SELECT l.id, l.at, COALESCE(l.user_id, 0), l.username, l.action, l.entity, "
		    "l.entity_id, l.before_json, l.after_json, l.ip, '' FROM audit_log l");
	qb_where(&q, "l.entity = ?"); /* the index audit_log_entity */
	qb_arg_text(&q, entity);
	qb_where(&q, "l.entity_id = ?");
	qb_arg_text(&q, arena_printf(a, "%lld", (long long)entity_id));
	qb_where(&q, "l.action IN (?, ?)");
	qb_arg_text(&q, a1);
	qb_arg_text(&q, a2 ? a2 : a1);
	qb_sql(&q, " ORDER BY l.id DESC LIMIT 1");
	struct log_entry *rows = NULL;
	size_t n = 0;
	px_err rc = qb_rows(s, a, &q, read_log, sizeof *rows, (void **)&rows, &n);
	if (!rc && n == 0)
		rc = PX_ERR_NOT_FOUND;
	if (!rc)
		*out = rows[0];
	return rc;
}
