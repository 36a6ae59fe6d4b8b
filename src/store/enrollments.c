/*
 * enrollments.c — rosters (调训/报名): who is enrolled in which class. See training.h.
 */
#include "store/training.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/mem.h"
#include "store/query.h"

px_err enrollments_add(struct store *s, int64_t class_id, int64_t cadre_id, const char *state)
{
	int64_t now = time_now();
	return store_run(s,
			 "INSERT INTO enrollments (class_id, cadre_id, state, created_at, "
			 "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
			 PX_OK, "iitii", class_id, cadre_id, state, now, now);
}

px_err enrollments_managed_by(struct store *s, int64_t user_id, int64_t cadre_id, bool *yes)
{
	int64_t n = 0;
	px_err rc =
		store_query_int64(s,
				  "SELECT COUNT(*) FROM enrollments e JOIN class_managers m ON "
				  "m.class_id = e.class_id WHERE m.user_id = ? AND e.cadre_id = ?",
				  &n, "ii", user_id, cadre_id);
	*yes = n > 0;
	return rc;
}

px_err enrollments_unit_in_class(struct store *s, int64_t class_id, int64_t unit_id, bool *yes)
{
	int64_t n = 0;
	px_err rc = store_query_int64(s,
				      "SELECT COUNT(*) FROM enrollments e JOIN cadres c ON c.id = "
				      "e.cadre_id WHERE e.class_id = ? AND c.unit_id = ?",
				      &n, "ii", class_id, unit_id);
	*yes = n > 0;
	return rc;
}

px_err enrollments_cadre_in_class(struct store *s, int64_t class_id, int64_t cadre_id, bool *yes)
{
	int64_t n = 0;
	px_err rc = store_query_int64(s,
				      "SELECT COUNT(*) FROM enrollments WHERE class_id = ? AND "
				      "cadre_id = ?",
				      &n, "ii", class_id, cadre_id);
	*yes = n > 0;
	return rc;
}

px_err enrollments_group(struct store *s, int64_t class_id, int64_t cadre_id, int *group)
{
	int64_t g = 0;
	px_err rc =
		store_query_int64(s,
				  "SELECT COALESCE(MAX(seminar_group), 0) FROM enrollments WHERE "
				  "class_id = ? AND cadre_id = ?",
				  &g, "ii", class_id, cadre_id);
	*group = (int)g;
	return rc;
}

px_err enrollments_count(struct store *s, int64_t class_id, int64_t *n)
{
	return store_query_int64(
		s,
		"SELECT COUNT(*) FROM enrollments WHERE class_id = ? AND state NOT "
		"IN ('withdrawn', 'replaced', 'declined')",
		n, "i", class_id);
}

px_err enrollments_classes_of(struct store *s, struct arena *a, int64_t cadre_id, int64_t **ids,
			      size_t *n)
{
	struct qb q;
	qb_init(&q, "SELECT class_id FROM enrollments WHERE cadre_id = ? AND state NOT IN "
		    "('withdrawn', 'replaced', 'declined') ORDER BY class_id");
	qb_arg_int(&q, cadre_id);
	return qb_rows(s, a, &q, row_read_id, sizeof **ids, (void **)ids, n);
}

px_err enrollments_reach(struct store *s, int64_t class_id, int64_t unit_id, int64_t cadre_id,
			 bool *yes)
{
	int64_t n = 0;
	px_err rc = unit_id > 0 ? store_query_int64(s,
						    "SELECT COUNT(*) FROM enrollments e JOIN "
						    "cadres c ON c.id = e.cadre_id WHERE "
						    "e.class_id = ? AND c.unit_id = ?",
						    &n, "ii", class_id, unit_id)
				: store_query_int64(s,
						    "SELECT COUNT(*) FROM enrollments WHERE "
						    "class_id = ? AND cadre_id = ?",
						    &n, "ii", class_id, cadre_id);
	*yes = !rc && n > 0;
	return rc;
}
