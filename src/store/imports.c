/*
 * imports.c — import runs (the imports table). See accounts.h.
 *
 * A run is a row from its start: imports_start inserts it as "running" in the same step as
 * it counts the account's runs of the past hour (the limit that keeps one account from
 * testing ID numbers in bulk, docs/security.md), and imports_finish writes its outcome.
 * A rejected run keeps its file (encrypted) for its error report, within a cap per account
 * (imports_cap_kept) and until a purge (imports_purge) after the retention.
 *
 * SQLite reads a whole text value to compare it, also a kept file of megabytes with ''; the
 * conditions on file_enc therefore come after the cheaper ones (SQLite evaluates AND from
 * the left), and only a rejected run can have a file.
 */
#include "store/accounts.h"

#include <stdio.h>

#include "base/date.h"
#include "store/list.h"
#include "store/query.h"

#define HOUR 3600

px_err imports_recent(struct store *s, int64_t user_id, int64_t since, long limit, int64_t *count,
		      int64_t *nth_at)
{
	*count = *nth_at = 0;
	struct store_stmt *st;
	px_err rc = store_prepare(s,
				  "SELECT at FROM imports WHERE user_id = ? AND at > ? "
				  "ORDER BY at DESC LIMIT ?",
				  &st);
	if (!rc)
		rc = store_bindf(st, "iii", user_id, since, (int64_t)(limit > 0 ? limit : 1 << 30));
	bool row = false;
	while (!rc && !(rc = store_step(st, &row)) && row) {
		++*count;
		if (limit > 0 && *count == limit)
			*nth_at = store_column_int64(st, 0);
	}
	store_done(st);
	return rc;
}

px_err imports_start(struct store *s, struct import_record *r, long per_hour, int64_t *retry_at)
{
	*retry_at = 0;
	px_err rc = store_begin(s);
	if (rc)
		return rc;
	if (per_hour > 0 && r->user_id > 0) {
		/* SQLite: the write transaction (BEGIN IMMEDIATE) runs one at a time already;
		 * PostgreSQL: the account's row is locked first, so a second request of the same
		 * account waits here and then counts the first one's run */
		int64_t id = 0, n = 0, nth = 0;
		if (store_kind(s) == STORE_PG)
			rc = store_query_int64(
				s, "SELECT id FROM users WHERE id = ? FOR NO KEY UPDATE", &id, "i",
				r->user_id);
		if (!rc)
			rc = imports_recent(s, r->user_id, r->at - HOUR, per_hour, &n, &nth);
		if (!rc && n >= per_hour) {
			*retry_at = nth + HOUR;
			rc = PX_ERR_RATE_LIMITED;
		}
	}
	if (!rc)
		rc = store_insert_id(s,
				     "INSERT INTO imports (at, user_id, kind, filename, format, "
				     "status) VALUES (?, ?, ?, ?, ?, 'running') RETURNING id",
				     &r->id, "iIttt", r->at, r->user_id, r->kind,
				     r->filename ? r->filename : "", r->format ? r->format : "");
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

px_err imports_finish(struct store *s, const struct import_record *r)
{
	return store_run(s,
			 "UPDATE imports SET format = ?, status = ?, total_rows = ?, "
			 "imported_rows = ?, error_count = ?, errors_json = ?, file_enc = ? "
			 "WHERE id = ?",
			 PX_ERR_NOT_FOUND, "ttiiitti", r->format ? r->format : "", r->status,
			 r->total_rows, r->imported_rows, r->error_count,
			 r->errors_json ? r->errors_json : "[]", r->file_enc ? r->file_enc : "",
			 r->id);
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

px_err imports_cap_kept(struct store *s, int64_t user_id, int64_t cap, int64_t *dropped)
{
	if (dropped)
		*dropped = 0;
	struct store_stmt *st;
	px_err rc = store_prepare(s,
				  "SELECT id, LENGTH(file_enc) FROM imports WHERE user_id = ? "
				  "AND status = 'rejected' AND file_enc <> '' ORDER BY id DESC",
				  &st);
	if (!rc)
		rc = store_bindf(st, "i", user_id);
	int64_t sum = 0, from = 0; /* the newest run that does not fit */
	bool row = false;
	while (!rc && !(rc = store_step(st, &row)) && row) {
		sum += store_column_int64(st, 1);
		if (sum > cap) {
			from = store_column_int64(st, 0);
			break;
		}
	}
	store_done(st);
	if (rc || !from)
		return rc;
	/* status = 'rejected' first: no other run has a file to compare */
	struct store_stmt *up;
	rc = store_prepare(s,
			   "UPDATE imports SET file_enc = '' WHERE user_id = ? AND id <= ? "
			   "AND status = 'rejected' AND file_enc <> ''",
			   &up);
	if (!rc)
		rc = store_bindf(up, "ii", user_id, from);
	if (!rc)
		rc = store_step(up, &row);
	if (!rc && dropped)
		*dropped = store_changes(up);
	store_done(up);
	return rc;
}

px_err imports_purge(struct store *s, int64_t before, int64_t stale, int64_t *purged)
{
	*purged = 0;
	struct store_stmt *st;
	px_err rc = store_prepare(s,
				  "UPDATE imports SET file_enc = '' WHERE at <= ? "
				  "AND status = 'rejected' AND file_enc <> ''",
				  &st);
	bool row = false;
	if (!rc)
		rc = store_bindf(st, "i", before);
	if (!rc)
		rc = store_step(st, &row);
	if (!rc)
		*purged = store_changes(st);
	store_done(st);
	if (!rc)
		rc = store_run(s,
			       "UPDATE imports SET status = 'failed' WHERE status = 'running' "
			       "AND at < ?",
			       PX_OK, "i", stale);
	return rc;
}

/* ---- the list ------------------------------------------------------------------------------ */

/* Who started a run, and where that account is anchored (as users.c reads it). */
#define RUN_FROM                                                                                   \
	" FROM imports i LEFT JOIN users us ON us.id = i.user_id "                                 \
	"LEFT JOIN regions g ON g.id = us.region_id LEFT JOIN units u ON u.id = us.unit_id "       \
	"LEFT JOIN regions ug ON ug.id = u.region_id LEFT JOIN cadres c ON c.id = us.cadre_id "    \
	"LEFT JOIN units cu ON cu.id = c.unit_id LEFT JOIN regions cg ON cg.id = cu.region_id "
#define RUN_PATH "COALESCE(g.path, ug.path, cg.path, '')"
#define RUN_ELSEWHERE                                                                              \
	"SELECT l.after_json FROM audit_log l WHERE l.entity = 'import' "                          \
	"AND l.entity_id = CAST(i.id AS TEXT) AND l.action = 'registered_elsewhere'"

static void read_run(struct arena *a, struct store_stmt *st, void *row)
{
	struct import_run_row *out = row;
	struct import_record *r = &out->rec;
	r->id = store_column_int64(st, 0);
	r->at = store_column_int64(st, 1);
	r->user_id = store_column_int64(st, 2);
	r->kind = row_text(a, st, 3);
	r->filename = row_text(a, st, 4);
	r->format = row_text(a, st, 5);
	r->status = row_text(a, st, 6);
	r->total_rows = store_column_int64(st, 7);
	r->imported_rows = store_column_int64(st, 8);
	r->error_count = store_column_int64(st, 9);
	r->errors_json = "";
	r->file_enc = NULL;
	out->kept = store_column_int64(st, 10) != 0;
	out->username = row_text(a, st, 11);
	out->display_name = row_text(a, st, 12);
	out->place = row_text(a, st, 13);
	out->elsewhere_json = row_text(a, st, 14);
}

static void run_filters(struct arena *a, struct qb *q, const void *query)
{
	const struct import_query *iq = query;
	if (iq->scope.scope == SCOPE_REGION) {
		qb_where(q, RUN_PATH " LIKE CAST(? AS TEXT) || '%'");
		qb_arg_text(q, iq->scope.region_path);
	} else if (iq->scope.scope != SCOPE_ALL) {
		qb_where(q, "i.user_id = ?");
		qb_arg_int(q, iq->user_id > 0 ? iq->user_id : -1);
	}
	if (iq->q && *iq->q) {
		qb_where(q, "(i.filename LIKE ? ESCAPE '\\' OR us.username = ?)");
		qb_arg_text(q, like_contains(a, iq->q));
		qb_arg_text(q, iq->q);
	}
	if (iq->flagged)
		qb_where(q, "EXISTS (" RUN_ELSEWHERE ")");
}

static const struct list_spec run_list = {
	.columns = "SELECT i.id, i.at, COALESCE(i.user_id, 0), i.kind, i.filename, i.format, "
		   "i.status, i.total_rows, i.imported_rows, i.error_count, "
		   "CASE WHEN i.status = 'rejected' AND i.file_enc <> '' THEN 1 ELSE 0 END, "
		   "COALESCE(us.username, ''), COALESCE(us.display_name, ''), "
		   "COALESCE(u.name, cu.name, g.name, ''), "
		   "COALESCE((" RUN_ELSEWHERE " ORDER BY l.id DESC LIMIT 1), '')",
	.from = RUN_FROM,
	.order = "i.id DESC",
	.filter = run_filters,
	.read = read_run,
	.row_size = sizeof(struct import_run_row),
};

px_err imports_list(struct store *s, struct arena *a, const struct import_query *q,
		    struct import_run_row **items, size_t *n, int64_t *total)
{
	struct list_page page = { NULL, q->page, q->page_size };
	return store_list(s, a, &run_list, q, &page, (void **)items, n, total);
}
