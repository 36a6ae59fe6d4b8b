/*
 * jobs.c — background jobs: kind, state, progress and result. See training.h.
 */
#include "store/training.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/mem.h"
#include "store/query.h"

px_err jobs_insert(struct store *s, struct job *j)
{
	int64_t now = time_now();
	return store_insert_id(
		s,
		"INSERT INTO jobs (kind, status, progress, params_json, result_json, "
		"created_by, created_at, updated_at) VALUES (?, ?, 0, ?, '{}', ?, ?, ?) "
		"RETURNING id",
		&j->id, "tttIii", j->kind, j->status, j->params_json ? j->params_json : "{}",
		j->created_by, now, now);
}

static void read_job(struct arena *a, struct store_stmt *st, void *row)
{
	struct job *out = row;
	out->id = store_column_int64(st, 0);
	out->kind = row_text(a, st, 1);
	out->status = row_text(a, st, 2);
	out->progress = store_column_double(st, 3);
	out->params_json = row_text(a, st, 4);
	out->result_json = row_text(a, st, 5);
	out->created_by = store_column_int64(st, 6);
	out->created_at = store_column_int64(st, 7);
	out->updated_at = store_column_int64(st, 8);
}

px_err jobs_get(struct store *s, struct arena *a, int64_t id, struct job *out)
{
	return store_get_row(
		s, a,
		"SELECT id, kind, status, progress, params_json, result_json, "
		"COALESCE(created_by, 0), created_at, updated_at FROM jobs WHERE id = ?",
		id, read_job, out);
}

px_err jobs_update(struct store *s, int64_t id, const char *status, double progress,
		   const char *result_json)
{
	return store_run(s,
			 "UPDATE jobs SET status = ?, progress = ?, result_json = "
			 "COALESCE(?, result_json), updated_at = ? WHERE id = ?",
			 PX_ERR_NOT_FOUND, "tdtii", status, progress, result_json, time_now(), id);
}
