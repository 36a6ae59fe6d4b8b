/*
 * jobs.h — the job runner: every long piece of work (a timetable solve, a large import) is a
 * job in the database, run by whichever app server claims it, readable from any of them.
 *
 * The shape is Oban's and River's, over both stores (store/jobs.h):
 *
 *   kinds   A table of job kinds (struct job_kind): a name, the function that does the work,
 *           the permission that reading one's job of that kind needs, a cap (a key of the
 *           configuration: how many run at once on one server — more wait queued), whether
 *           a run can be stopped between its steps, and whether a run whose server died may
 *           be run again from the start.
 *   queue   An operation queues a job (jobs_enqueue) with its parameters, its input sealed
 *           with the personal-data key (an upload), the caller's language and principal;
 *           only its creator reads or cancels it (svc_job_get, svc_job_cancel). One user's
 *           unfinished jobs of a kind are counted and inserted one request at a time, so
 *           the kind's per_user limit holds for requests that come together. A job queued
 *           at the shell says so; none is ever taken for the shell's for want of a creator.
 *   claim   Each server runs, per kind, as many worker threads as the kind's cap. A worker
 *           claims the oldest queued job of its kind (PostgreSQL: FOR UPDATE SKIP LOCKED;
 *           SQLite: a guarded UPDATE), reads its creator's account again (the job runs with
 *           the creator's present rights; a disabled or demoted creator's fails with a
 *           reason), runs it on its own connection and writes the outcome:
 *           done, failed (the result says why, in the creator's language) or cancelled.
 *           Progress goes to the database as it runs (at most twice a second), so any
 *           server can report it. A job queued on this server wakes its workers at once;
 *           jobs queued elsewhere are found by polling (jobs_poll_ms).
 *   beat    One keeper thread per server writes the heartbeat of every job the server runs
 *           (jobs_heartbeat_seconds). The same statement tells it which of them have a
 *           cancel requested and which are no longer its own; those are told to stop.
 *   rescue  The keeper also looks for running jobs whose heartbeat is older than
 *           jobs_lapse_seconds: their server died (kill -9, a lost machine). A kind that may
 *           re-run goes back to the queue, up to its max_attempts; any other ends failed
 *           with the kind's reason in its creator's words. A job is never left "running".
 *   cancel  A queued job is cancelled at once. A running job of a stoppable kind is marked;
 *           its run sees the mark at its next step (job_stopping) and stops, saving
 *           nothing. A run that cannot stop (an import is one transaction) cannot be
 *           cancelled once started. A marked job that goes back to the queue (a stop, a
 *           rescue) ends cancelled instead: a cancel is never lost.
 *   stop    When the server stops, stoppable runs are interrupted and given back to the
 *           queue (the attempt not counted); the others are waited for.
 *   conns   Every thread's connection is opened again when it fails (with a backoff).
 *
 * The command line runs a kind synchronously through the same function (jobs_run_inline),
 * without a row: what a server would run is what the shell runs.
 */
#ifndef PX_SERVICE_JOBS_H
#define PX_SERVICE_JOBS_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "service/svc.h"

struct app;
struct job_slot;

/* A run of a job, as its kind's function sees it. */
struct job_run {
	struct svc *c;        /* the creator's principal, language and address; the worker's
			       * connection, an arena and problems of this run */
	int64_t id;           /* the job (0 when run inline) */
	const json_t *params; /* as queued */
	const void *input;    /* the unsealed input (NULL when none), valid during the run */
	size_t input_len;
	json_t *result;        /* set by run: the job's result (the runner takes it) */
	atomic_int *stop;      /* non-zero: stop soon (read it through job_stopping) */
	struct job_slot *slot; /* the runner's; NULL inline */
	/* inline only: where progress goes (may be NULL) */
	void (*on_progress)(void *ctx, double fraction);
	void *progress_ctx;
};

struct job_kind {
	const char *name; /* the jobs row's kind: "timetable.solve" */
	enum perm perm;   /* reading one's own job of this kind needs this permission too */
	size_t cap;       /* offsetof(struct app, …): a long, how many at once on one server */
	/* The work. PX_OK: done, j->result its result; an error: failed, j->result says why
	 * (its "code" is added when missing); PX_ERR_CANCELLED after job_stopping said so. */
	px_err (*run)(struct job_run *j);
	bool stoppable;   /* run watches job_stopping between its steps */
	int max_attempts; /* a run whose server died is run again while attempts < this */
	int per_user;     /* unfinished jobs of this kind one user may have (0: no limit) */
	/* A job queued again by its creator with the same parameters while one such waits
	 * queued is that one (jobs_enqueue answers its id): for work that reads the database
	 * when it runs, queued after the change it is for is committed: the waiting run
	 * covers that change too (ledger.evaluate). */
	bool coalesce;
	const char *busy_zh, *busy_en; /* the refusal when per_user is reached */
	const char *lost_zh, *lost_en; /* why a run whose server died was not run again */
};

/* The kinds (the runner's table; each is defined by its module), and the shapes of their
 * results (svc.h), which a job's view unites. */
extern const struct job_kind job_timetable_solve; /* solve.c */
extern const struct job_kind job_registry_import; /* import_job.c */
extern const struct job_kind job_ledger_evaluate; /* requirements.c */
extern const struct view_spec job_timetable_solve_result, job_registry_import_result,
	job_ledger_evaluate_result;
/* A job's view (svc_job_get, svc_job_cancel). */
extern const struct view_spec svc_job_shape;

/* A kind by name, or NULL. */
const struct job_kind *job_kind_find(const char *name);

/* ---- inside a run ---- */

/* Report progress (0..1) and what the work has found so far (partial, taken; NULL keeps
 * the last). Written to the job at most twice a second; reading it back tells the run
 * whether it should stop (see job_stopping). */
void job_progress(struct job_run *j, double fraction, json_t *partial);
/* True when the run should stop soon: its creator cancelled it, the server is stopping, or
 * the job was taken over by another server. */
bool job_stopping(const struct job_run *j);
/* Inside the transaction that saves a run's outcome: PX_OK while the job is still this
 * run's, PX_ERR_CANCELLED when it was cancelled or taken over meanwhile (then nothing must
 * be saved). It writes the job's heartbeat, so the job stays this run's until that
 * transaction ends: no rescue can requeue it between the confirm and the commit
 * (store/jobs.h, jobs_confirm). PX_OK inline. */
px_err job_confirm(struct job_run *j);

/* ---- operations ---- */

/*
 * Queue a job of kind k with params (taken) and input[0..n) (may be NULL; sealed with the
 * personal-data key before it is stored), created by the caller in its language. *id gets
 * the job's id. PX_ERR_BUSY (with the kind's message) when the caller already has
 * k->per_user unfinished jobs of this kind. Wakes this server's workers.
 */
px_err jobs_enqueue(struct svc *c, const struct job_kind *k, json_t *params, const void *input,
		    size_t n, int64_t *id);
/* One's own job: {id, kind, status, progress, result, attempts, cancel_requested,
 * created_at, updated_at, started_at, finished_at}; not found for anyone else's. */
px_err svc_job_get(struct svc *c, int64_t id, json_t **out);
/* Cancel one's own job (audited) and give its view: a queued job is cancelled, a running
 * one stops at its next step (cancel_requested). PX_ERR_STATE when it has ended, or when it
 * is running and its kind cannot stop. */
px_err svc_job_cancel(struct svc *c, int64_t id, json_t **out);
/* Run a job of kind k now, in this thread, with the caller's context (the command line):
 * the same function a server runs, without a row. *result gets its result (caller
 * decrefs). params is taken. */
px_err jobs_run_inline(struct svc *c, const struct job_kind *k, json_t *params, const void *input,
		       size_t n, void (*on_progress)(void *ctx, double fraction), void *ctx,
		       json_t **result);

/* ---- the runner of a server ---- */

/* Start the workers and the keeper of this process (app->jobs). Each thread opens its own
 * connection, and opens it again (at once, then after 1, 2, 4 … 30 s) when it fails. */
px_err jobs_runner_start(struct app *app, struct buf *why);
/* Stop them: stoppable runs go back to the queue, the others are waited for. Call before
 * app_db_close_all. Nothing when none was started. */
void jobs_runner_stop(struct app *app);

#endif
