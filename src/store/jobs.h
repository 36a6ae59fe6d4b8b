/*
 * jobs.h — the repository of background jobs: a queue in the database that every app
 * server shares (the job runner, service/jobs.h, is its only user besides the reads).
 *
 * A job's life is a few guarded updates, each of which names the state it expects, so that
 * two servers (or a server and a user's cancel) racing for one job cannot both win:
 *
 *	queued ──claim──▶ running ──finish──▶ done | failed | cancelled
 *	   ▲                 │                                  ▲
 *	   └──release/requeue┘   (shutdown; a lapsed heartbeat  │
 *	                          of a kind that may re-run) ───┘ when a cancel was asked
 *
 * Claiming takes the oldest queued job of a kind: on PostgreSQL in one statement,
 * `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING …`, so servers
 * claiming at once never wait for each other nor take the same job; on SQLite (one writer at
 * a time) a plain `UPDATE … WHERE id = ? AND status = 'queued'` after a read that finds a
 * candidate — a server polling an empty queue never takes the write lock. Every write of a
 * running job names its owner, so a server that lost its job (rescued elsewhere while it was
 * frozen) changes nothing. Times are epoch seconds of the server that writes them.
 */
#ifndef PX_STORE_JOBS_H
#define PX_STORE_JOBS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "domain/perm.h"

struct store;

struct job {
	int64_t id;
	const char *kind;   /* "timetable.solve", "registry.import" … */
	const char *status; /* queued, running, done, failed, cancelled */
	double progress;    /* 0..1 */
	const char *params_json, *result_json;
	const char *lang;         /* the creator's language: results and reasons use it */
	struct principal creator; /* who queued it (creator.user_id: created_by), and the
				   * scope it had then; creator.shell for a job queued at the
				   * shell, which is stored as such (creator_role "@shell"), never
				   * taken from a missing created_by */
	const char *creator_ip;   /* for the audit entries the job writes */
	const char *owner;        /* the server running it (or that ran it), "" when none */
	int attempts;             /* how many times it was claimed */
	bool cancel_requested;    /* a cancel waits for the runner to see it */
	int64_t created_at, updated_at, started_at, heartbeat_at, finished_at;
};

/* Queue a job: kind, params_json, lang and creator from j (status and times are set here);
 * `payload` (may be NULL) is its sealed input. j->id gets the new id. The creator is a user
 * (user_id > 0) or the shell (creator.shell); anything else is PX_ERR_INVALID. With per_user > 0, a
 * creator (not the shell) who already has that many unfinished jobs of the kind is refused
 * (PX_ERR_BUSY): counted and inserted one request of the user at a time, so requests that
 * arrive together cannot all pass the count. */
px_err jobs_insert(struct store *s, struct job *j, const char *payload, int per_user);
px_err jobs_get(struct store *s, struct arena *a, int64_t id, struct job *out);
/* The sealed input of a job ("" once it ended). */
px_err jobs_payload(struct store *s, struct arena *a, int64_t id, const char **out);
/* How many jobs of a kind a user has queued or running. */
px_err jobs_unfinished(struct store *s, int64_t user_id, const char *kind, int64_t *n);
/* The newest job of this kind, creator and parameters (their JSON text) still queued and not
 * asked to cancel: *id, or 0 when none. */
px_err jobs_queued_same(struct store *s, int64_t user_id, const char *kind, const char *params,
			int64_t *id);

/* Claim the oldest queued job of `kind` for `owner`: it becomes running with a fresh
 * heartbeat, one more attempt, progress 0. *got says whether there was one (then *out). A
 * job whose cancel was asked is never claimed, and a claim never clears that mark. */
px_err jobs_claim(struct store *s, struct arena *a, const char *kind, const char *owner,
		  struct job *out, bool *got);
/* Progress of a running job of `owner` (result_json NULL: unchanged). *lost becomes true
 * when the job is no longer its own, *cancel when its creator asked to cancel it. */
px_err jobs_progress(struct store *s, int64_t id, const char *owner, double progress,
		     const char *result_json, bool *lost, bool *cancel);
/* Inside the transaction that saves a run's outcome: *yes when the job is still running
 * under `owner` with no cancel requested. It is a write (the heartbeat), so the job stays
 * the run's until that transaction ends: on PostgreSQL its row lock holds back a rescue
 * (or a cancel) until the commit, and a rescue that waited then finds the heartbeat fresh;
 * on SQLite the transaction holds the write lock anyway, and the fresh heartbeat keeps a
 * rescue that waited for it from requeueing a job that has just saved. */
px_err jobs_confirm(struct store *s, int64_t id, const char *owner, bool *yes);

/* The heartbeat of one server: every running job of `owner` gets heartbeat_at = now. The
 * ids of those jobs (at most max) and whether each has a cancel requested come back, so that
 * the server notices a job taken from it and a cancel in the same statement. */
struct job_beat {
	int64_t id;
	bool cancel_requested;
};
px_err jobs_heartbeat(struct store *s, const char *owner, struct job_beat *out, size_t max,
		      size_t *n);

/* End a running job of `owner`: status done, failed or cancelled, its result, progress 1
 * when done; the payload is emptied. PX_ERR_NOT_FOUND when it is no longer its own. */
px_err jobs_finish(struct store *s, int64_t id, const char *owner, const char *status,
		   const char *result_json);
/* Give a running job of `owner` back to the queue (the server stops): queued, no owner, the
 * attempt not counted — or, when its cancel was asked before its run saw it, cancelled
 * (finished, its input emptied, result {"code":"cancelled"}, the attempt counted): a cancel
 * the user was told about is never lost. */
px_err jobs_release(struct store *s, int64_t id, const char *owner);

/* A user's cancel: a queued job becomes cancelled at once (*was "queued"); a running one of
 * a kind that can stop (`stoppable`) is marked for its runner (*was "running"). In one
 * statement, so a job claimed between the caller's look and the cancel is not marked when
 * its kind cannot stop. PX_ERR_STATE when there is nothing to cancel: *was "running" (it
 * runs and cannot stop) or "ended". */
px_err jobs_cancel(struct store *s, int64_t id, bool stoppable, const char **was);

/* Running jobs whose heartbeat is older than `before` (their server stopped beating), at
 * most max, oldest first: id, kind, attempts, lang and cancel_requested are read. */
px_err jobs_lapsed(struct store *s, struct arena *a, int64_t before, size_t max, struct job **out,
		   size_t *n);
/* Take over a lapsed job: back to the queue for any server (guarded by the lapse, so a
 * heartbeat that came meanwhile wins), or cancelled, as jobs_release, when its cancel was
 * asked. *done says whether it changed. */
px_err jobs_requeue_lapsed(struct store *s, int64_t id, int64_t before, bool *done);
/* Or end it as `status` (failed, or cancelled when one was asked) with its result. */
px_err jobs_end_lapsed(struct store *s, int64_t id, int64_t before, const char *status,
		       const char *result_json, bool *done);

/* The creator of a job as it is now: the principal a login of that account gets (role,
 * region and its path, unit, cadre, expert), and whether the account is still active. The
 * runner reads it when it claims a job, so that a job runs with its creator's present
 * rights, not those it had when it was queued. PX_ERR_NOT_FOUND when there is no such
 * account. */
px_err jobs_creator(struct store *s, struct arena *a, int64_t user_id, struct principal *out,
		    bool *active);

/* Inside a job's saving transaction: the classes it writes the sessions of, held against
 * change until the transaction ends, so that the checks the job makes of them (archived?
 * still the creator's to change?) stay true until its commit. PostgreSQL: the rows are
 * locked FOR SHARE (an archive waits for the commit); SQLite: nothing to do, the write
 * transaction holds the whole database. */
px_err jobs_hold_classes(struct store *s, const int64_t *ids, size_t n);

/* PX_OK while the connection answers (a runner's test of a connection after an error). */
px_err jobs_ping(struct store *s);
/* End as cancelled the queued jobs that carry a cancel mark: only an older version left
 * such jobs (its release and rescue requeued them marked), which no claim takes. Run once
 * by each server's keeper when it starts. */
px_err jobs_end_cancelled_queued(struct store *s);

#endif
