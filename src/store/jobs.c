/*
 * jobs.c — background jobs: the queue the job runner shares across servers. See jobs.h.
 */
#include "store/jobs.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/mem.h"
#include "store/query.h"
#include "store/store.h"

#define JOB_COLS                                                                                   \
	"id, kind, status, progress, params_json, result_json, lang, COALESCE(created_by, 0), "    \
	"creator_role, creator_username, creator_region_id, creator_region_path, "                 \
	"creator_unit_id, creator_cadre_id, creator_expert_id, creator_ip, owner, attempts, "      \
	"cancel_requested, created_at, updated_at, started_at, heartbeat_at, finished_at"

/* creator_role of a job queued at the shell: said, never inferred from a missing creator
 * (no role has this code). */
#define CREATOR_SHELL "@shell"

static void read_job(struct arena *a, struct store_stmt *st, void *row)
{
	struct job *j = row;
	j->id = store_column_int64(st, 0);
	j->kind = row_text(a, st, 1);
	j->status = row_text(a, st, 2);
	j->progress = store_column_double(st, 3);
	j->params_json = row_text(a, st, 4);
	j->result_json = row_text(a, st, 5);
	j->lang = row_text(a, st, 6);
	const char *role = store_column_text(st, 8);
	j->creator = (struct principal){
		.shell = !strcmp(role, CREATOR_SHELL),
		.user_id = store_column_int64(st, 7),
		.role = role_from_code(role),
		.username = row_text(a, st, 9),
		.region_id = store_column_int64(st, 10),
		.region_path = row_text(a, st, 11),
		.unit_id = store_column_int64(st, 12),
		.cadre_id = store_column_int64(st, 13),
		.expert_id = store_column_int64(st, 14),
	};
	j->creator_ip = row_text(a, st, 15);
	j->owner = row_text(a, st, 16);
	j->attempts = (int)store_column_int64(st, 17);
	j->cancel_requested = store_column_int64(st, 18) != 0;
	j->created_at = store_column_int64(st, 19);
	j->updated_at = store_column_int64(st, 20);
	j->started_at = store_column_int64(st, 21);
	j->heartbeat_at = store_column_int64(st, 22);
	j->finished_at = store_column_int64(st, 23);
}

px_err jobs_insert(struct store *s, struct job *j, const char *payload, int per_user)
{
	int64_t now = time_now();
	const struct principal *p = &j->creator;
	if (!p->shell && p->user_id <= 0)
		return PX_ERR_INVALID; /* a job runs as a user, or as the shell if it says so */
	px_err rc = store_begin(s);
	if (rc)
		return rc;
	/* The count and the insert are one step per user: on SQLite the write transaction
	 * (BEGIN IMMEDIATE) already runs one at a time; on PostgreSQL the creator's row is
	 * locked first, so a second request of the same user waits here and then counts the
	 * first one's job. Another user's requests do not wait. */
	if (per_user > 0 && !p->shell && p->user_id > 0) {
		int64_t open = 0;
		if (store_kind(s) == STORE_PG)
			rc = store_query_int64(
				s, "SELECT id FROM users WHERE id = ? FOR NO KEY UPDATE", &open,
				"i", p->user_id);
		if (!rc)
			rc = jobs_unfinished(s, p->user_id, j->kind, &open);
		if (!rc && open >= per_user)
			rc = PX_ERR_BUSY;
	}
	if (!rc)
		rc = store_insert_id(
			s,
			"INSERT INTO jobs (kind, status, progress, params_json, result_json, lang, "
			"created_by, creator_role, creator_username, creator_region_id, "
			"creator_region_path, creator_unit_id, creator_cadre_id, "
			"creator_expert_id, "
			"creator_ip, payload, created_at, updated_at) VALUES (?, 'queued', 0, ?, "
			"'{}', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			&j->id, "tttIttitiiittii", j->kind, j->params_json ? j->params_json : "{}",
			j->lang ? j->lang : "zh-CN", p->shell ? 0 : p->user_id,
			p->shell ? CREATOR_SHELL : role_code(p->role),
			p->username ? p->username : "", p->region_id,
			p->region_path ? p->region_path : "", p->unit_id, p->cadre_id, p->expert_id,
			j->creator_ip ? j->creator_ip : "", payload ? payload : "", now, now);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

px_err jobs_get(struct store *s, struct arena *a, int64_t id, struct job *out)
{
	return store_get_row(s, a, "SELECT " JOB_COLS " FROM jobs WHERE id = ?", id, read_job, out);
}

static void read_text0(struct arena *a, struct store_stmt *st, void *out)
{
	*(const char **)out = row_text(a, st, 0);
}

px_err jobs_payload(struct store *s, struct arena *a, int64_t id, const char **out)
{
	return store_get_row(s, a, "SELECT payload FROM jobs WHERE id = ?", id, read_text0, out);
}

px_err jobs_unfinished(struct store *s, int64_t user_id, const char *kind, int64_t *n)
{
	return store_query_int64(s,
				 "SELECT COUNT(*) FROM jobs WHERE created_by = ? AND kind = ? AND "
				 "status IN ('queued', 'running')",
				 n, "it", user_id, kind);
}

px_err jobs_queued_same(struct store *s, int64_t user_id, const char *kind, const char *params,
			int64_t *id)
{
	*id = 0;
	return store_query_int64(
		s,
		"SELECT COALESCE(MAX(id), 0) FROM jobs WHERE created_by = ? AND kind = ? "
		"AND status = 'queued' AND cancel_requested = 0 AND params_json = ?",
		id, "itt", user_id, kind, params);
}

/* Run a statement that returns at most one job row (UPDATE … RETURNING): *got says whether
 * it did. */
static px_err one_job(struct store_stmt *st, struct arena *a, struct job *out, bool *got)
{
	bool row = false;
	px_err rc = store_step(st, &row);
	if (!rc && row)
		read_job(a, st, out);
	/* step to the end, so that SQLite's statement completes (and commits) here */
	for (bool more = row; !rc && more;)
		rc = store_step(st, &more);
	*got = !rc && row;
	store_done(st);
	return rc;
}

/* A claim never clears cancel_requested: a job whose cancel was asked is not claimed at all
 * (jobs_release and jobs_requeue_lapsed end such a job cancelled, so none should wait
 * queued; an older version's row that does is left alone rather than run). */
#define CLAIM_SET                                                                                  \
	"UPDATE jobs SET status = 'running', owner = ?, attempts = attempts + 1, progress = 0, "   \
	"result_json = '{}', started_at = ?, heartbeat_at = ?, updated_at = ? "

px_err jobs_claim(struct store *s, struct arena *a, const char *kind, const char *owner,
		  struct job *out, bool *got)
{
	int64_t now = time_now();
	struct store_stmt *st;
	px_err rc;
	*got = false;
	if (store_kind(s) == STORE_PG) {
		/* servers claiming at once skip each other's rows instead of queueing behind them
		 */
		rc = store_prepare(s,
				   CLAIM_SET
				   "WHERE id = (SELECT id FROM jobs WHERE status = "
				   "'queued' AND kind = ? AND cancel_requested = 0 ORDER "
				   "BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING " JOB_COLS,
				   &st);
		if (rc)
			return rc;
		if ((rc = store_bindf(st, "tiiit", owner, now, now, now, kind))) {
			store_done(st);
			return rc;
		}
		return one_job(st, a, out, got);
	}
	/* SQLite: one writer at a time. Look first (a read takes no write lock, so an idle
	 * server's polling does not queue behind the writers), then claim that row if it is
	 * still queued; a claim lost to another process is simply no claim this time. */
	int64_t id = 0;
	rc = store_query_int64(s,
			       "SELECT id FROM jobs WHERE status = 'queued' AND kind = ? AND "
			       "cancel_requested = 0 ORDER BY id LIMIT 1",
			       &id, "t", kind);
	if (rc == PX_ERR_NOT_FOUND)
		return PX_OK;
	if (rc)
		return rc;
	if ((rc = store_prepare(s,
				CLAIM_SET
				"WHERE id = ? AND status = 'queued' AND cancel_requested = 0 "
				"RETURNING " JOB_COLS,
				&st)))
		return rc;
	if ((rc = store_bindf(st, "tiiii", owner, now, now, now, id))) {
		store_done(st);
		return rc;
	}
	return one_job(st, a, out, got);
}

px_err jobs_progress(struct store *s, int64_t id, const char *owner, double progress,
		     const char *result_json, bool *lost, bool *cancel)
{
	struct store_stmt *st = NULL;
	bool row = false;
	int64_t asked = 0;
	px_err rc = store_prepare(s,
				  "UPDATE jobs SET progress = ?, result_json = COALESCE(?, "
				  "result_json), updated_at = ? WHERE id = ? AND owner = ? AND "
				  "status = 'running' RETURNING cancel_requested",
				  &st);
	if (!rc)
		rc = store_bindf(st, "dtiit", progress, result_json, time_now(), id, owner);
	if (!rc)
		rc = store_step(st, &row);
	if (!rc && row)
		asked = store_column_int64(st, 0);
	for (bool more = row; !rc && more;)
		rc = store_step(st, &more);
	store_done(st);
	*lost = !rc && !row;
	*cancel = !rc && asked;
	return rc;
}

px_err jobs_confirm(struct store *s, int64_t id, const char *owner, bool *yes)
{
	int64_t now = time_now();
	px_err rc = store_run(s,
			      "UPDATE jobs SET heartbeat_at = ?, updated_at = ? WHERE id = ? AND "
			      "owner = ? AND status = 'running' AND cancel_requested = 0",
			      PX_ERR_NOT_FOUND, "iiit", now, now, id, owner);
	*yes = rc == PX_OK;
	return rc == PX_ERR_NOT_FOUND ? PX_OK : rc;
}

px_err jobs_heartbeat(struct store *s, const char *owner, struct job_beat *out, size_t max,
		      size_t *n)
{
	struct store_stmt *st = NULL;
	*n = 0;
	px_err rc = store_prepare(s,
				  "UPDATE jobs SET heartbeat_at = ? WHERE owner = ? AND status = "
				  "'running' RETURNING id, cancel_requested",
				  &st);
	if (!rc)
		rc = store_bindf(st, "it", time_now(), owner);
	bool row = !rc;
	while (!rc && row) {
		rc = store_step(st, &row);
		if (!rc && row && *n < max)
			out[(*n)++] = (struct job_beat){ store_column_int64(st, 0),
							 store_column_int64(st, 1) != 0 };
	}
	store_done(st);
	return rc;
}

px_err jobs_finish(struct store *s, int64_t id, const char *owner, const char *status,
		   const char *result_json)
{
	int64_t now = time_now();
	return store_run(
		s,
		"UPDATE jobs SET status = ?, progress = CASE WHEN CAST(? AS TEXT) = 'done' "
		"THEN 1 ELSE progress END, result_json = ?, payload = '', finished_at = ?, "
		"updated_at = ? WHERE id = ? AND owner = ? AND status = 'running'",
		PX_ERR_NOT_FOUND, "tttiiit", status, status, result_json, now, now, id, owner);
}

/* What a running job that goes back to the queue becomes: queued for any server, or, when
 * its cancel was asked meanwhile (its run had not seen it yet), cancelled — the user was
 * told it would stop, so it must not run again. One statement, so a cancel cannot slip in
 * between the look and the change. */
#define BACK_TO_QUEUE                                                                              \
	"status = CASE WHEN cancel_requested = 1 THEN 'cancelled' ELSE 'queued' END, "             \
	"owner = CASE WHEN cancel_requested = 1 THEN owner ELSE '' END, "                          \
	"progress = CASE WHEN cancel_requested = 1 THEN progress ELSE 0 END, "                     \
	"result_json = CASE WHEN cancel_requested = 1 THEN '{\"code\":\"cancelled\"}' ELSE '{}' "  \
	"END, payload = CASE WHEN cancel_requested = 1 THEN '' ELSE payload END, "                 \
	"finished_at = CASE WHEN cancel_requested = 1 THEN ? ELSE finished_at END, "               \
	"updated_at = ? "

px_err jobs_release(struct store *s, int64_t id, const char *owner)
{
	int64_t now = time_now();
	return store_run(s,
			 "UPDATE jobs SET " BACK_TO_QUEUE ", attempts = attempts - CASE WHEN "
			 "cancel_requested = 1 THEN 0 ELSE 1 END WHERE id = ? "
			 "AND owner = ? AND status = 'running'",
			 PX_ERR_NOT_FOUND, "iiit", now, now, id, owner);
}

px_err jobs_cancel(struct store *s, int64_t id, bool stoppable, const char **was)
{
	int64_t now = time_now();
	*was = NULL;
	/* One statement: a queued job is cancelled outright (no runner has it); a running one
	 * of a kind that can stop is marked, and its runner stops at its next step. A job
	 * claimed, released or rescued meanwhile is judged as it is now, never as it was. */
	struct store_stmt *st = NULL;
	bool row = false;
	bool queued = false;
	px_err rc = store_prepare(
		s,
		"UPDATE jobs SET cancel_requested = 1, "
		"status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END, "
		"result_json = CASE WHEN status = 'queued' "
		"THEN '{\"code\":\"cancelled\"}' ELSE result_json END, "
		"payload = CASE WHEN status = 'queued' THEN '' ELSE payload END, "
		"finished_at = CASE WHEN status = 'queued' THEN ? ELSE finished_at END, "
		"updated_at = ? WHERE id = ? AND (status = 'queued' OR "
		"(status = 'running' AND CAST(? AS INTEGER) = 1)) RETURNING status",
		&st);
	if (!rc)
		rc = store_bindf(st, "iiii", now, now, id, (int64_t)stoppable);
	if (!rc)
		rc = store_step(st, &row);
	if (!rc && row)
		queued = !strcmp(store_column_text(st, 0), "cancelled");
	for (bool more = row; !rc && more;)
		rc = store_step(st, &more);
	store_done(st);
	if (rc)
		return rc;
	if (row) {
		*was = queued ? "queued" : "running";
		return PX_OK;
	}
	/* nothing to cancel: it has ended, or it runs and cannot stop */
	int64_t running = 0;
	rc = store_query_int64(s,
			       "SELECT CASE WHEN status = 'running' THEN 1 ELSE 0 END FROM jobs "
			       "WHERE id = ?",
			       &running, "i", id);
	if (rc && rc != PX_ERR_NOT_FOUND)
		return rc;
	*was = running ? "running" : "ended";
	return PX_ERR_STATE;
}

static void read_lapsed(struct arena *a, struct store_stmt *st, void *row)
{
	struct job *j = row;
	memset(j, 0, sizeof *j);
	j->id = store_column_int64(st, 0);
	j->kind = row_text(a, st, 1);
	j->attempts = (int)store_column_int64(st, 2);
	j->lang = row_text(a, st, 3);
	j->cancel_requested = store_column_int64(st, 4) != 0;
	j->owner = row_text(a, st, 5);
	j->heartbeat_at = store_column_int64(st, 6);
}

px_err jobs_lapsed(struct store *s, struct arena *a, int64_t before, size_t max, struct job **out,
		   size_t *n)
{
	struct qb q;
	qb_init(&q, "SELECT id, kind, attempts, lang, cancel_requested, owner, heartbeat_at FROM "
		    "jobs WHERE status = 'running' AND heartbeat_at < ? ORDER BY heartbeat_at, id "
		    "LIMIT ?");
	qb_arg_int(&q, before);
	qb_arg_int(&q, (int64_t)max);
	return qb_rows(s, a, &q, read_lapsed, sizeof **out, (void **)out, n);
}

/* Run a guarded UPDATE: *done says whether it changed a row. */
static px_err run_guarded(px_err rc, bool *done)
{
	*done = rc == PX_OK;
	return rc == PX_ERR_NOT_FOUND ? PX_OK : rc;
}

px_err jobs_requeue_lapsed(struct store *s, int64_t id, int64_t before, bool *done)
{
	int64_t now = time_now();
	return run_guarded(store_run(s,
				     "UPDATE jobs SET " BACK_TO_QUEUE "WHERE id = ? AND status = "
				     "'running' AND heartbeat_at < ?",
				     PX_ERR_NOT_FOUND, "iiii", now, now, id, before),
			   done);
}

px_err jobs_end_lapsed(struct store *s, int64_t id, int64_t before, const char *status,
		       const char *result_json, bool *done)
{
	int64_t now = time_now();
	return run_guarded(store_run(s,
				     "UPDATE jobs SET status = ?, result_json = ?, payload = '', "
				     "finished_at = ?, updated_at = ? WHERE id = ? AND status = "
				     "'running' AND heartbeat_at < ?",
				     PX_ERR_NOT_FOUND, "ttiiii", status, result_json, now, now, id,
				     before),
			   done);
}

struct creator_row {
	struct principal *p;
	bool *active;
};

static void read_creator(struct arena *a, struct store_stmt *st, void *row)
{
	const struct creator_row *r = row;
	*r->p = (struct principal){
		.user_id = store_column_int64(st, 0),
		.username = row_text(a, st, 1),
		.role = role_from_code(store_column_text(st, 2)),
		.region_id = store_column_int64(st, 3),
		.region_path = row_text(a, st, 4),
		.unit_id = store_column_int64(st, 5),
		.cadre_id = store_column_int64(st, 6),
		.expert_id = store_column_int64(st, 7),
	};
	*r->active = store_column_int64(st, 8) != 0;
}

px_err jobs_creator(struct store *s, struct arena *a, int64_t user_id, struct principal *out,
		    bool *active)
{
	/* the principal a session of this account gets (sessions_lookup), whatever its state */
	struct creator_row r = { out, active };
	return store_get_row(
		s, a,
		"SELECT us.id, us.username, us.role, COALESCE(us.region_id, 0), "
		"COALESCE(g.path, ''), COALESCE(us.unit_id, c.unit_id, 0), "
		"COALESCE(us.cadre_id, 0), COALESCE(us.expert_id, 0), us.active FROM "
		"users us LEFT JOIN regions g ON g.id = us.region_id LEFT JOIN cadres c "
		"ON c.id = us.cadre_id WHERE us.id = ?",
		user_id, read_creator, &r);
}

px_err jobs_hold_classes(struct store *s, const int64_t *ids, size_t n)
{
	if (store_kind(s) != STORE_PG)
		return PX_OK; /* SQLite: the write transaction holds the whole database */
	/* in the order of their ids, as every solve takes them */
	int64_t prev = 0;
	for (size_t done = 0; done < n; done++) {
		int64_t next = INT64_MAX;
		for (size_t k = 0; k < n; k++)
			if (ids[k] > prev && ids[k] < next)
				next = ids[k];
		if (next == INT64_MAX)
			break;
		int64_t got = 0;
		px_err rc = store_query_int64(s, "SELECT id FROM classes WHERE id = ? FOR SHARE",
					      &got, "i", next);
		if (rc && rc != PX_ERR_NOT_FOUND)
			return rc;
		prev = next;
	}
	return PX_OK;
}

px_err jobs_ping(struct store *s)
{
	int64_t one = 0;
	return store_query_int64(s, "SELECT 1", &one, "");
}

px_err jobs_end_cancelled_queued(struct store *s)
{
	/* a read first: a server that finds none (the rule) takes no write lock */
	int64_t any = 0;
	px_err rc = store_query_int64(s,
				      "SELECT COUNT(*) FROM jobs WHERE status = 'queued' AND "
				      "cancel_requested = 1",
				      &any, "");
	if (rc || !any)
		return rc;
	int64_t now = time_now();
	return store_run(
		s,
		"UPDATE jobs SET status = 'cancelled', result_json = "
		"'{\"code\":\"cancelled\"}', payload = '', finished_at = ?, updated_at = ? "
		"WHERE status = 'queued' AND cancel_requested = 1",
		PX_OK, "ii", now, now);
}
