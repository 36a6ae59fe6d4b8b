/*
 * proofs.c — issued 学时证明 and the rate limits of the public pages. See proofs.h.
 */
#include "store/proofs.h"

#include "store/query.h"

px_err proofs_insert(struct store *s, const struct hours_proof *p, int64_t *id)
{
	return store_insert_id(s,
			       "INSERT INTO hours_proofs (code, cadre_id, issuer, period, summary, "
			       "issued_by, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
			       "ON CONFLICT (code) DO NOTHING RETURNING id",
			       id, "tittIi", p->code, p->cadre_id, p->issuer, p->period, p->summary,
			       p->issued_by, p->issued_at);
}

px_err proofs_by_code(struct store *s, struct arena *a, const char *code, struct hours_proof *out)
{
	struct store_stmt *st;
	px_err rc = store_prepare(s,
				  "SELECT id, code, cadre_id, issuer, period, summary, "
				  "COALESCE(issued_by, 0), issued_at, revoked_at, revoke_reason "
				  "FROM hours_proofs WHERE code = ?",
				  &st);
	if (rc)
		return rc;
	bool row = false;
	if (!(rc = store_bindf(st, "t", code)))
		rc = store_step(st, &row);
	if (!rc && !row)
		rc = PX_ERR_NOT_FOUND;
	if (!rc) {
		out->id = store_column_int64(st, 0);
		out->code = row_text(a, st, 1);
		out->cadre_id = store_column_int64(st, 2);
		out->issuer = row_text(a, st, 3);
		out->period = row_text(a, st, 4);
		out->summary = row_text(a, st, 5);
		out->issued_by = store_column_int64(st, 6);
		out->issued_at = store_column_int64(st, 7);
		out->revoked_at = store_column_int64(st, 8);
		out->revoke_reason = row_text(a, st, 9);
	}
	store_done(st);
	return rc;
}

px_err proofs_revoke(struct store *s, int64_t id, int64_t at, const char *reason)
{
	return store_run(s,
			 "UPDATE hours_proofs SET revoked_at = ?, revoke_reason = ? "
			 "WHERE id = ? AND revoked_at = 0",
			 PX_ERR_CONFLICT, "iti", at, reason, id);
}

px_err rate_limit_hit(struct store *s, const char *key, int64_t now, int64_t window_seconds,
		      int64_t *hits)
{
	int64_t start = now - now % window_seconds;
	return store_query_int64(s,
				 "INSERT INTO rate_limits (key, window_start, hits) VALUES (?, ?, 1) "
				 "ON CONFLICT (key) DO UPDATE SET "
				 "hits = CASE WHEN rate_limits.window_start = excluded.window_start "
				 "THEN rate_limits.hits + 1 ELSE 1 END, "
				 "window_start = excluded.window_start RETURNING hits",
				 hits, "ti", key, start);
}

px_err rate_limits_purge(struct store *s, int64_t before)
{
	return store_run(s, "DELETE FROM rate_limits WHERE window_start < ?", PX_OK, "i", before);
}
