/*
 * jobs.c — the job runner: queue, claim, heartbeat, rescue, cancel (see jobs.h).
 *
 * Threads: per kind, as many workers as its cap; one keeper. Each has its own database
 * connection (struct conn), opened again when it fails. They share the runner's lock only for the
 * list of running jobs (the slots on the workers' stacks, which the keeper marks when they must
 * stop) and the wake-up counter; no database call is made under the lock.
 */
#include "service/jobs.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/date.h"
#include "base/mem.h"
#include "base/secret.h"
#include "service/app.h"
#include "store/jobs.h"
#include "store/store.h"

/* The kind → runner table. */
static const struct job_kind *const kinds[] = {
	&job_timetable_solve,
	&job_registry_import,
	&job_ledger_evaluate,
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

#define PROGRESS_EVERY_MS 500 /* progress writes of one job, at most */
#define MAX_BEATS         256 /* running jobs of one server the heartbeat reports */
#define RESCUE_BATCH      32  /* lapsed jobs looked at per keeper round */

const struct job_kind *job_kind_find(const char *name)
{
	for (size_t i = 0; name && i < N_KINDS; i++)
		if (!strcmp(kinds[i]->name, name))
			return kinds[i];
	return NULL;
}

/* Why a run was told to stop; the first reason wins. */
enum stop_why { STOP_NONE, STOP_CANCEL, STOP_SHUTDOWN, STOP_LOST };

/* One job this server runs: on its worker's stack, listed in the runner while it runs. */
struct job_slot {
	struct jobs_runner *rn;
	struct store *db;
	int64_t id;
	const struct job_kind *kind;
	atomic_int stop; /* the run's j->stop */
	atomic_int why;  /* enum stop_why */
	int64_t claimed_ms, last_write_ms;
	struct job_slot *next;
};

struct worker {
	struct jobs_runner *rn;
	const struct job_kind *kind;
	pthread_t thread;
};

struct jobs_runner {
	struct app *app;
	char owner[128]; /* this server in the jobs it runs: host:pid:random */
	pthread_mutex_t lock;
	pthread_cond_t wake; /* workers: a job was queued here, or the runner stops */
	pthread_cond_t tick; /* the keeper: it stops */
	unsigned long wakes;
	bool stopping, keeper_stopping;
	struct worker *workers;
	size_t n_workers;
	pthread_t keeper;
	bool has_keeper;
	struct job_slot *running;
};

static void slot_stop(struct job_slot *s, enum stop_why why)
{
	int none = STOP_NONE;
	atomic_compare_exchange_strong(&s->why, &none, (int)why);
	atomic_store(&s->stop, 1);
}

/* The reason text of a job in its creator's language. */
static const char *in_lang(const char *lang, const char *zh, const char *en)
{
	return px_lang_is_en(lang) ? en : zh;
}

/* ---- the runner's connections ---- */

/* A thread's own connection (each worker's, the keeper's). A connection that fails —
 * PostgreSQL restarted, a network blip — is closed and opened again, at once and then after
 * 1, 2, 4 … 30 s, so the server goes on beating and claiming instead of leaving its jobs to
 * the others' rescue. One line is logged when it is lost and one when it is back. */
struct conn {
	const struct app *app;
	const char *name; /* "the keeper", "a timetable.solve worker" */
	struct store *db;
	bool lost;       /* failed since it was last open: say so when it is back */
	long backoff_ms; /* the wait before the next try, once a try failed */
	int64_t retry_ms;
};

#define REOPEN_FIRST_MS 1000
#define REOPEN_MAX_MS   30000

/* The connection, opened when it is not (NULL while it cannot be, until the next try). */
static struct store *conn_get(struct conn *k)
{
	if (k->db)
		return k->db;
	int64_t now = time_mono_ms();
	if (now < k->retry_ms)
		return NULL;
	struct buf why = BUF_INIT(256);
	if (store_open(k->app->dsn, &k->db, &why)) {
		k->db = NULL;
		if (!k->lost) /* a first open that fails; a reopen that fails was said already */
			fprintf(stderr, "peixun: jobs: %s cannot open the database: %s\n", k->name,
				why.data ? why.data : "");
		k->lost = true;
		k->backoff_ms = k->backoff_ms ? k->backoff_ms * 2 : REOPEN_FIRST_MS;
		if (k->backoff_ms > REOPEN_MAX_MS)
			k->backoff_ms = REOPEN_MAX_MS;
		k->retry_ms = now + k->backoff_ms;
	} else {
		if (k->lost)
			fprintf(stderr, "peixun: jobs: %s has its database connection again\n",
				k->name);
		k->lost = false;
		k->backoff_ms = 0;
	}
	buf_release(&why);
	return k->db;
}

/* After a statement of `what` failed: a connection that no longer answers is closed (and
 * opened again by conn_get); on one that does, the statement's own error is logged. Either
 * way one line. True when the connection was lost. */
static bool conn_failed(struct conn *k, const char *what)
{
	if (!k->db)
		return true;
	char msg[256]; /* on one line: libpq's messages run over several */
	snprintf(msg, sizeof msg, "%s", store_errmsg(k->db));
	size_t n = 0;
	for (const char *c = msg; *c; c++)
		if ((*c != '\n' && *c != '\t' && *c != ' ') || (n && msg[n - 1] != ' '))
			msg[n++] = *c == '\n' || *c == '\t' ? ' ' : *c;
	while (n && msg[n - 1] == ' ')
		n--;
	msg[n] = '\0';
	if (!jobs_ping(k->db)) {
		fprintf(stderr, "peixun: jobs: %s failed: %s\n", what, msg);
		return false;
	}
	fprintf(stderr,
		"peixun: jobs: %s lost its database connection (%s: %s); opening it again\n",
		k->name, what, msg);
	store_close(k->db);
	k->db = NULL;
	k->lost = true;
	k->backoff_ms = 0;
	k->retry_ms = 0; /* the first try at once */
	return true;
}

static void conn_close(struct conn *k)
{
	if (k->db)
		store_close(k->db);
	k->db = NULL;
}

/* ---- inside a run ---- */

bool job_stopping(const struct job_run *j)
{
	return j->stop && atomic_load(j->stop);
}

void job_progress(struct job_run *j, double fraction, json_t *partial)
{
	if (!j->slot) {
		if (j->on_progress)
			j->on_progress(j->progress_ctx, fraction);
		json_decref(partial);
		return;
	}
	struct job_slot *s = j->slot;
	int64_t now = time_mono_ms();
	if (now - s->last_write_ms < PROGRESS_EVERY_MS) {
		json_decref(partial);
		return;
	}
	s->last_write_ms = now;
	char *text = partial ? json_dumps(partial, JSON_COMPACT) : NULL;
	json_decref(partial);
	bool lost = false, cancel = false;
	if (!jobs_progress(s->db, s->id, s->rn->owner,
			   fraction < 0   ? 0
			   : fraction > 1 ? 1
					  : fraction,
			   text, &lost, &cancel)) {
		if (lost)
			slot_stop(s, STOP_LOST);
		else if (cancel)
			slot_stop(s, STOP_CANCEL);
	}
	free(text);
}

px_err job_confirm(struct job_run *j)
{
	if (!j->slot)
		return job_stopping(j) ? PX_ERR_CANCELLED : PX_OK;
	if (job_stopping(j))
		return PX_ERR_CANCELLED;
	bool yes = false; /* and the job stays this run's until the save commits (jobs.h) */
	px_err rc = jobs_confirm(j->slot->db, j->id, j->slot->rn->owner, &yes);
	return rc ? rc : yes ? PX_OK : PX_ERR_CANCELLED;
}

/* ---- operations ---- */

static void wake_workers(struct jobs_runner *rn)
{
	if (!rn)
		return;
	pthread_mutex_lock(&rn->lock);
	rn->wakes++;
	pthread_cond_broadcast(&rn->wake);
	pthread_mutex_unlock(&rn->lock);
}

px_err jobs_enqueue(struct svc *c, const struct job_kind *k, json_t *params, const void *input,
		    size_t n, int64_t *id)
{
	px_err rc = PX_OK;
	/* a first look spares sealing an upload that would be refused; the count that decides
	 * is made with the insert (store/jobs.h) */
	int64_t open = 0;
	if (k->per_user && !c->who->shell && input &&
	    !jobs_unfinished(c->db, c->who->user_id, k->name, &open) && open >= k->per_user)
		rc = svc_fail(c, PX_ERR_BUSY, k->busy_zh, k->busy_en);
	char *text = rc ? NULL : params ? json_dumps(params, JSON_COMPACT) : xstrdup("{}");
	json_decref(params);
	if (!rc && k->coalesce && !input && !c->who->shell) {
		int64_t same = 0;
		rc = jobs_queued_same(c->db, c->who->user_id, k->name, text, &same);
		if (!rc && same) {
			free(text);
			*id = same;
			return PX_OK;
		}
	}
	struct buf sealed = BUF_INIT(0);
	if (!rc && input)
		rc = secret_encrypt(svc_keys(c), input, n, &sealed);
	if (!rc) {
		struct job j = { .kind = k->name,
				 .params_json = text,
				 .lang = c->lang,
				 .creator = *c->who,
				 .creator_ip = c->ip };
		rc = jobs_insert(c->db, &j, sealed.data, k->per_user);
		if (rc == PX_ERR_BUSY)
			svc_fail(c, rc, k->busy_zh, k->busy_en);
		*id = j.id;
	}
	buf_release(&sealed);
	free(text);
	if (!rc)
		wake_workers(c->app->jobs);
	return rc;
}

/* One's own job of a kind one may still use; not found for anyone else's. */
static px_err visible_job(struct svc *c, int64_t id, struct job *j, const struct job_kind **k)
{
	px_err rc = id > 0 ? jobs_get(c->db, c->arena, id, j) : PX_ERR_NOT_FOUND;
	if (rc)
		return rc;
	*k = job_kind_find(j->kind);
	if (c->who->shell || j->creator.user_id <= 0 || j->creator.user_id != c->who->user_id ||
	    (*k && !svc_has(c, (*k)->perm)))
		return PX_ERR_NOT_FOUND;
	return PX_OK;
}

static const struct view_spec *const results[] = { &job_timetable_solve_result,
						   &job_registry_import_result,
						   &job_ledger_evaluate_result };
static const struct view_spec result_shape = VIEW_UNION("JobResult", results);

static const struct view_field job_view_fields[] = {
	{ "id", VIEW_INT, "Id" },
	{ "kind", VIEW_TEXT, "timetable.solve, registry.import or ledger.evaluate" },
	{ "status", VIEW_TEXT, "queued, running, done, failed or cancelled" },
	{ "progress", VIEW_NUMBER, "0 to 1" },
	{ "result", VIEW_OBJECT,
	  "What it found, as its kind tells it: {} while queued, the best so far while running, "
	  "the outcome at its end (code says why it failed)",
	  &result_shape },
	{ "attempts", VIEW_INT, "Runs started (a run whose server died may run again)" },
	{ "cancel_requested", VIEW_BOOL, "Its creator asked it to stop" },
	{ "created_at", VIEW_TIME, "Queued" },
	{ "updated_at", VIEW_TIME, "Last progress" },
	{ "started_at", VIEW_TIME, "Its run began (null while queued)" },
	{ "finished_at", VIEW_TIME, "It ended (null until then)" },
};
const struct view_spec svc_job_shape = VIEW_SPEC("Job", job_view_fields);

static json_t *job_view(const struct job *j)
{
	json_t *result = json_loads(j->result_json, 0, NULL);
	if (!json_is_object(result)) {
		json_decref(result);
		result = json_object();
	}
	return json_pack("{sI ss ss sf so si sb so so so so}", "id", (json_int_t)j->id, "kind",
			 j->kind, "status", j->status, "progress", j->progress, "result", result,
			 "attempts", j->attempts, "cancel_requested", j->cancel_requested,
			 "created_at", svc_time_json(j->created_at), "updated_at",
			 svc_time_json(j->updated_at), "started_at", svc_time_json(j->started_at),
			 "finished_at", svc_time_json(j->finished_at));
}

px_err svc_job_get(struct svc *c, int64_t id, json_t **out)
{
	struct job j;
	const struct job_kind *k;
	px_err rc = visible_job(c, id, &j, &k);
	if (!rc)
		*out = job_view(&j);
	return rc;
}

static px_err cannot_stop(struct svc *c)
{
	return svc_fail(c, PX_ERR_STATE, "该任务已开始运行,无法中途停止,请等待其完成",
			"This job is already running and cannot be stopped; wait for it to finish");
}

px_err svc_job_cancel(struct svc *c, int64_t id, json_t **out)
{
	struct job j;
	const struct job_kind *k;
	px_err rc = visible_job(c, id, &j, &k);
	if (rc)
		return rc;
	if (!strcmp(j.status, "running") && (!k || !k->stoppable))
		return cannot_stop(c);
	if ((rc = svc_begin(c)))
		return rc;
	const char *was = NULL;
	rc = jobs_cancel(c->db, id, k && k->stoppable, &was);
	json_t *after = NULL;
	if (!rc && !(rc = jobs_get(c->db, c->arena, id, &j)))
		after = job_view(&j);
	json_t *before = rc ? NULL : json_pack("{ss}", "status", was);
	rc = svc_commit(c, rc, "cancel", "job", id, before, after);
	json_decref(before);
	if (rc == PX_ERR_STATE && was && !strcmp(was, "running")) /* claimed meanwhile */
		cannot_stop(c);
	else if (rc == PX_ERR_STATE)
		svc_fail(c, rc, "该任务已结束,无需取消", "The job has already ended");
	if (rc) {
		json_decref(after);
		return rc;
	}
	*out = after;
	return PX_OK;
}

px_err jobs_run_inline(struct svc *c, const struct job_kind *k, json_t *params, const void *input,
		       size_t n, void (*on_progress)(void *ctx, double fraction), void *ctx,
		       json_t **result)
{
	atomic_int stop = 0;
	struct job_run j = { .c = c,
			     .params = params,
			     .input = input,
			     .input_len = n,
			     .stop = &stop,
			     .on_progress = on_progress,
			     .progress_ctx = ctx };
	px_err rc = k->run(&j);
	json_decref(params);
	if (!j.result)
		j.result = json_object();
	if (rc && !json_object_get(j.result, "code"))
		json_object_set_new(j.result, "code", json_string(px_err_code(rc)));
	*result = j.result;
	return rc;
}

/* ---- running a claimed job ---- */

/* Write the outcome of a run: done, failed or cancelled (or back to the queue, or nothing
 * when the job is no longer this server's). */
static px_err finish(struct job_slot *s, px_err rc, json_t *result)
{
	const struct jobs_runner *rn = s->rn;
	enum stop_why why = (enum stop_why)atomic_load(&s->why);
	if (why == STOP_LOST) {
		fprintf(stderr, "peixun: job %lld (%s) was taken over by another server\n",
			(long long)s->id, s->kind->name);
		return PX_OK;
	}
	if (rc && why == STOP_SHUTDOWN && s->kind->stoppable) {
		/* back to the queue — or cancelled, when its cancel came before the run saw it */
		struct arena a;
		arena_init(&a);
		struct job now;
		px_err wrc = jobs_release(s->db, s->id, rn->owner);
		if (!wrc)
			fprintf(stderr, "peixun: job %lld (%s) interrupted: %s\n", (long long)s->id,
				s->kind->name,
				!jobs_get(s->db, &a, s->id, &now) &&
						!strcmp(now.status, "cancelled")
					? "cancelled, as its creator had asked"
					: "back in the queue");
		arena_release(&a);
		return wrc == PX_ERR_NOT_FOUND ? PX_OK : wrc;
	}
	const char *status = !rc ? "done" : rc == PX_ERR_CANCELLED ? "cancelled" : "failed";
	if (rc && !json_object_get(result, "code"))
		json_object_set_new(result, "code", json_string(px_err_code(rc)));
	char *text = json_dumps(result, JSON_COMPACT);
	px_err wrc = jobs_finish(s->db, s->id, rn->owner, status, text ? text : "{}");
	free(text);
	if (wrc == PX_ERR_NOT_FOUND) {
		fprintf(stderr, "peixun: job %lld (%s) was taken over by another server\n",
			(long long)s->id, s->kind->name);
		return PX_OK;
	}
	return wrc;
}

static bool runner_stopping(struct jobs_runner *rn)
{
	pthread_mutex_lock(&rn->lock);
	bool yes = rn->stopping;
	pthread_mutex_unlock(&rn->lock);
	return yes;
}

/* Record the outcome; when the worker's connection died meanwhile (the run's statements
 * failed with it), on the connection opened again — the job is still this server's, and
 * its keeper beats on — until it is written or the server stops (then another server's
 * rescue ends it). */
static void record(struct conn *k, struct job_slot *s, px_err rc, json_t *result)
{
	for (;;) {
		px_err wrc = finish(s, rc, result);
		if (!wrc)
			return;
		char what[96];
		snprintf(what, sizeof what, "recording the outcome of job %lld", (long long)s->id);
		if (!conn_failed(k, what))
			return; /* the statement failed, not the connection: nothing more to do */
		while (!(s->db = conn_get(k))) {
			if (runner_stopping(s->rn))
				return;
			usleep(100 * 1000);
		}
	}
}

/* Who a job runs as: the shell only when it was queued at the shell (said so in its row);
 * else its creator as the account is now — still active, with its present role and anchors
 * (re-read, not the snapshot taken at queuing), and still holding the kind's permission.
 * Otherwise the job is not run and *refused says why, in the creator's language. */
static const struct principal nobody = { .region_path = "", .username = "" };

static px_err run_as(struct store *db, struct arena *a, const struct job_kind *k,
		     const struct job *job, const char *lang, const struct principal **who,
		     json_t **refused)
{
	if (job->creator.shell) {
		*who = &principal_shell;
		return PX_OK;
	}
	const char *zh, *en;
	px_err rc = PX_ERR_FORBIDDEN;
	if (job->creator.user_id <= 0) {
		zh = "该任务没有创建者,未运行";
		en = "This job has no creator; it was not run";
	} else {
		struct principal *p = arena_alloc(a, sizeof *p);
		bool active = false;
		rc = jobs_creator(db, a, job->creator.user_id, p, &active);
		if (rc && rc != PX_ERR_NOT_FOUND)
			return rc; /* the database failed: the job fails with its code */
		if (!rc && active && principal_scope(p, k->perm) != SCOPE_NONE) {
			*who = p;
			return PX_OK;
		}
		rc = PX_ERR_FORBIDDEN;
		if (!active) {
			zh = "创建该任务的账号已停用或已不存在,任务未运行";
			en = "The account that queued this job has been disabled or no longer "
			     "exists; the job was not run";
		} else {
			zh = "创建该任务的账号已无权执行此类任务(其角色或权限范围已变更),"
			     "任务未运行";
			en = "The account that queued this job may no longer do it (its role or "
			     "scope has changed); the job was not run";
		}
	}
	*refused =
		json_pack("{ss ss}", "code", px_err_code(rc), "explanation", in_lang(lang, zh, en));
	return rc;
}

static void run_job(struct jobs_runner *rn, const struct job_kind *k, struct conn *conn,
		    struct arena *a, const struct job *job)
{
	struct store *db = conn->db;
	struct problems pb;
	problems_init(&pb);
	const char *lang = px_lang_is_en(job->lang) ? "en" : "zh-CN";
	const struct principal *who = &nobody;
	json_t *refused = NULL;
	px_err rc = run_as(db, a, k, job, lang, &who, &refused);
	struct svc c = { .db = db,
			 .who = who,
			 .lang = lang,
			 .ip = job->creator_ip,
			 .arena = a,
			 .problems = &pb,
			 .app = rn->app };
	struct job_slot s = {
		.rn = rn, .db = db, .id = job->id, .kind = k, .claimed_ms = time_mono_ms()
	};
	atomic_init(&s.stop, 0);
	atomic_init(&s.why, STOP_NONE);
	pthread_mutex_lock(&rn->lock);
	s.next = rn->running;
	rn->running = &s;
	if (rn->stopping && k->stoppable)
		slot_stop(&s, STOP_SHUTDOWN);
	pthread_mutex_unlock(&rn->lock);

	json_t *params = json_loads(job->params_json, 0, NULL);
	struct buf input = BUF_INIT(0);
	const char *sealed = "";
	if (!rc)
		rc = jobs_payload(db, a, job->id, &sealed);
	if (!rc && *sealed)
		rc = secret_decrypt(&rn->app->keys, sealed, &input);
	struct job_run j = { .c = &c,
			     .id = job->id,
			     .params = params,
			     .input = input.data,
			     .input_len = input.len,
			     .stop = &s.stop,
			     .slot = &s,
			     .result = refused };
	if (!rc)
		rc = k->run(&j);
	if (!j.result)
		j.result = json_object();

	pthread_mutex_lock(&rn->lock);
	for (struct job_slot **p = &rn->running; *p; p = &(*p)->next)
		if (*p == &s) {
			*p = s.next;
			break;
		}
	pthread_mutex_unlock(&rn->lock);
	record(conn, &s, rc, j.result);
	json_decref(j.result);
	json_decref(params);
	if (input.data)
		memset(input.data, 0,
		       input.len); /* the creator's upload: not left in freed memory */
	buf_release(&input);
	problems_release(&pb);
}

/* ---- threads ---- */

static void deadline_in(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct jobs_runner *rn = w->rn;
	char name[96];
	snprintf(name, sizeof name, "a %s worker", w->kind->name);
	struct conn conn = { .app = rn->app, .name = name };
	for (;;) {
		pthread_mutex_lock(&rn->lock);
		bool stopping = rn->stopping;
		unsigned long seen = rn->wakes;
		pthread_mutex_unlock(&rn->lock);
		if (stopping)
			break;
		bool got = false;
		struct store *db = conn_get(&conn);
		if (db) {
			struct arena a;
			arena_init(&a);
			struct job job;
			px_err rc = jobs_claim(db, &a, w->kind->name, rn->owner, &job, &got);
			if (rc && rc != PX_ERR_BUSY)
				conn_failed(&conn, "claiming a job");
			if (!rc && got)
				run_job(rn, w->kind, &conn, &a, &job);
			arena_release(&a);
		}
		if (got)
			continue; /* more may be waiting */
		struct timespec until;
		deadline_in(&until, rn->app->jobs_poll_ms);
		pthread_mutex_lock(&rn->lock);
		while (!rn->stopping && rn->wakes == seen)
			if (pthread_cond_timedwait(&rn->wake, &rn->lock, &until) == ETIMEDOUT)
				break;
		pthread_mutex_unlock(&rn->lock);
	}
	conn_close(&conn);
	return NULL;
}

/* The heartbeat of the jobs this server runs; those no longer its own, or cancelled, are
 * told to stop. */
static px_err beat(struct jobs_runner *rn, struct store *db)
{
	pthread_mutex_lock(&rn->lock);
	bool any = rn->running != NULL;
	pthread_mutex_unlock(&rn->lock);
	if (!any)
		return PX_OK;
	int64_t asked_ms = time_mono_ms();
	struct job_beat beats[MAX_BEATS];
	size_t n = 0;
	px_err rc = jobs_heartbeat(db, rn->owner, beats, MAX_BEATS, &n);
	if (rc)
		return rc;
	pthread_mutex_lock(&rn->lock);
	for (struct job_slot *s = rn->running; s; s = s->next) {
		size_t k = 0;
		while (k < n && beats[k].id != s->id)
			k++;
		if (k < n && beats[k].cancel_requested)
			slot_stop(s, STOP_CANCEL);
		else if (k == n && s->claimed_ms < asked_ms && n < MAX_BEATS)
			slot_stop(s, STOP_LOST); /* rescued elsewhere while this server was away */
	}
	pthread_mutex_unlock(&rn->lock);
	return PX_OK;
}

static bool runs_here(struct jobs_runner *rn, int64_t id)
{
	pthread_mutex_lock(&rn->lock);
	struct job_slot *s = rn->running;
	while (s && s->id != id)
		s = s->next;
	pthread_mutex_unlock(&rn->lock);
	return s != NULL;
}

/* Jobs whose server stopped beating: run again (a kind that may), else ended with a
 * reason in their creator's words. */
static px_err rescue(struct jobs_runner *rn, struct store *db)
{
	struct arena a;
	arena_init(&a);
	int64_t before = time_now() - rn->app->jobs_lapse_seconds;
	struct job *lapsed;
	size_t n = 0;
	px_err failed = jobs_lapsed(db, &a, before, RESCUE_BATCH, &lapsed, &n);
	if (failed)
		n = 0;
	bool requeued = false;
	for (size_t i = 0; i < n; i++) {
		const struct job *j = &lapsed[i];
		if (runs_here(rn, j->id))
			continue; /* alive here: its heartbeat only failed to be written */
		const struct job_kind *k = job_kind_find(j->kind);
		bool done = false;
		px_err rc;
		const char *what;
		if (j->cancel_requested && k && k->stoppable) {
			rc = jobs_end_lapsed(db, j->id, before, "cancelled",
					     "{\"code\":\"cancelled\"}", &done);
			what = "ended as cancelled";
		} else if (k && j->attempts < k->max_attempts) {
			rc = jobs_requeue_lapsed(db, j->id, before, &done);
			requeued = requeued || done;
			what = "queued again";
		} else {
			const char *why =
				k ? in_lang(j->lang, k->lost_zh, k->lost_en)
				  : in_lang(j->lang, "运行该任务的服务器意外停止,任务未能完成",
					    "The server running this job stopped before it "
					    "finished");
			json_t *res =
				json_pack("{ss ss}", "code", "server_lost", "explanation", why);
			char *text = json_dumps(res, JSON_COMPACT);
			rc = jobs_end_lapsed(db, j->id, before, "failed", text, &done);
			free(text);
			json_decref(res);
			what = "failed";
		}
		if (rc) {
			fprintf(stderr, "peixun: jobs: cannot rescue job %lld: %s\n",
				(long long)j->id, store_errmsg(db));
			failed = rc;
			break; /* the connection may be gone: the others wait for the next round */
		} else if (done)
			fprintf(stderr,
				"peixun: job %lld (%s) lost its server %s (no heartbeat for %lld "
				"s): "
				"%s\n",
				(long long)j->id, j->kind, j->owner,
				(long long)(time_now() - j->heartbeat_at), what);
	}
	arena_release(&a);
	if (requeued)
		wake_workers(rn);
	return failed;
}

static void *keeper_main(void *arg)
{
	struct jobs_runner *rn = arg;
	struct conn conn = { .app = rn->app, .name = "the keeper" };
	bool cleaned = false;
	for (;;) {
		struct timespec until;
		deadline_in(&until, rn->app->jobs_heartbeat_seconds * 1000);
		pthread_mutex_lock(&rn->lock);
		while (!rn->keeper_stopping)
			if (pthread_cond_timedwait(&rn->tick, &rn->lock, &until) == ETIMEDOUT)
				break;
		bool stop = rn->keeper_stopping;
		pthread_mutex_unlock(&rn->lock);
		if (stop)
			break;
		struct store *db = conn_get(&conn);
		if (!db)
			continue;
		/* once: cancels an older version left on queued jobs (store/jobs.h) */
		if (!cleaned) {
			if (jobs_end_cancelled_queued(db) &&
			    conn_failed(&conn, "ending jobs cancelled while queued"))
				continue; /* tried again on the new connection */
			cleaned = true;
		}
		if (beat(rn, db) && conn_failed(&conn, "the heartbeat"))
			continue;
		if (rescue(rn, db))
			conn_failed(&conn, "the rescue");
	}
	conn_close(&conn);
	return NULL;
}

static long kind_cap(const struct app *app, const struct job_kind *k)
{
	return *(const long *)((const char *)app + k->cap);
}

px_err jobs_runner_start(struct app *app, struct buf *why)
{
	struct jobs_runner *rn = xcalloc(1, sizeof *rn);
	rn->app = app;
	char host[64] = "";
	gethostname(host, sizeof host - 1);
	char token[44];
	secret_random_token(token);
	snprintf(rn->owner, sizeof rn->owner, "%s:%ld:%.8s", *host ? host : "peixun",
		 (long)getpid(), token);
	pthread_mutex_init(&rn->lock, NULL);
	pthread_cond_init(&rn->wake, NULL);
	pthread_cond_init(&rn->tick, NULL);
	size_t total = 0;
	for (size_t i = 0; i < N_KINDS; i++)
		total += (size_t)kind_cap(app, kinds[i]);
	rn->workers = xcalloc(total + 1, sizeof *rn->workers);
	app->jobs = rn;
	px_err rc = PX_OK;
	for (size_t i = 0; !rc && i < N_KINDS; i++)
		for (long k = 0; !rc && k < kind_cap(app, kinds[i]); k++) {
			struct worker *w = &rn->workers[rn->n_workers];
			*w = (struct worker){ .rn = rn, .kind = kinds[i] };
			if (pthread_create(&w->thread, NULL, worker_main, w)) {
				buf_printf(why, "cannot start a job worker: %s", strerror(errno));
				rc = PX_ERR_INTERNAL;
			} else {
				rn->n_workers++;
			}
		}
	if (!rc) {
		if (pthread_create(&rn->keeper, NULL, keeper_main, rn)) {
			buf_printf(why, "cannot start the job keeper: %s", strerror(errno));
			rc = PX_ERR_INTERNAL;
		} else {
			rn->has_keeper = true;
		}
	}
	if (rc)
		jobs_runner_stop(app);
	return rc;
}

void jobs_runner_stop(struct app *app)
{
	struct jobs_runner *rn = app->jobs;
	if (!rn)
		return;
	pthread_mutex_lock(&rn->lock);
	rn->stopping = true;
	for (struct job_slot *s = rn->running; s; s = s->next)
		if (s->kind->stoppable)
			slot_stop(s, STOP_SHUTDOWN);
	pthread_cond_broadcast(&rn->wake);
	pthread_mutex_unlock(&rn->lock);
	/* the keeper beats on while the workers finish what cannot be interrupted */
	for (size_t i = 0; i < rn->n_workers; i++)
		pthread_join(rn->workers[i].thread, NULL);
	if (rn->has_keeper) {
		pthread_mutex_lock(&rn->lock);
		rn->keeper_stopping = true;
		pthread_cond_broadcast(&rn->tick);
		pthread_mutex_unlock(&rn->lock);
		pthread_join(rn->keeper, NULL);
	}
	pthread_cond_destroy(&rn->wake);
	pthread_cond_destroy(&rn->tick);
	pthread_mutex_destroy(&rn->lock);
	free(rn->workers);
	free(rn);
	app->jobs = NULL;
}
