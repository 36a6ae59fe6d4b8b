/*
 * demo.c — what only the demo world writes and reads (see demo.h).
 */
#include "store/demo.h"

px_err demo_staff_ids(struct store *s, size_t max, int64_t *ids, size_t *n)
{
	struct store_stmt *st = NULL;
	*n = 0;
	px_err rc = store_prepare(s,
				  "SELECT id FROM cadres WHERE is_head = 0 AND rank_level = "
				  "'general' ORDER BY id LIMIT ?",
				  &st);
	if (!rc)
		rc = store_bindf(st, "i", (int64_t)max);
	bool row = false;
	while (!rc && !(rc = store_step(st, &row)) && row && *n < max)
		ids[(*n)++] = store_column_int64(st, 0);
	store_done(st);
	return rc;
}

px_err demo_approvals_date(struct store *s, const char *entity, int64_t id, int64_t submitted_at,
			   int64_t decided_at)
{
	return store_run(s,
			 "UPDATE approvals SET at = CASE action WHEN 'submit' THEN CAST(? AS "
			 "BIGINT) ELSE CAST(? AS BIGINT) END WHERE entity = ? AND entity_id = ?",
			 PX_OK, "iiti", submitted_at, decided_at, entity, id);
}

px_err demo_plan_hold(struct store *s, int64_t plan_id, int64_t region_id, const char *from,
		      const char *to)
{
	return store_run(s,
			 "UPDATE classes SET plan_id = ? WHERE region_id = ? AND start_date >= ? "
			 "AND start_date <= ?",
			 PX_OK, "iitt", plan_id, region_id, from, to);
}
