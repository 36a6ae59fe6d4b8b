/*
 * solve.c — auto-arrange (自动排课) as a job of kind timetable.solve (see schedule.h and
 * jobs.h).
 *
 * Queuing checks everything that depends on the caller: the class (writable, not
 * archived), the options (time limit, weights), and which classes of its term are arranged
 * with it — only those the caller may change; the others stay put and are respected. The
 * job then holds a fixed list of classes and options, so any server can run it. A job may
 * run long after it was queued (behind the cap, or again after a rescue), so running it
 * first looks at its classes again with its creator's present rights: one archived
 * meanwhile, or no longer the creator's to change, is left where it is (respected as any
 * neighbour) — and when that is the class it was asked for, the job fails with the reason.
 * It then loads the classes, runs the engine (timetable_solve) and saves the placements
 * only when they meet every hard constraint, in one transaction that holds the classes,
 * looks at them once more (a class that closed while the engine ran: arranged again
 * without it), and confirms the job is still this run's. The engine stops between its steps
 * when the job is cancelled or the server stops; a solve saves nothing until its end, so a
 * run whose server died is simply run again (max_attempts).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/mem.h"
#include "service/app.h"
#include "service/jobs.h"
#include "service/schedule_int.h"
#include "store/jobs.h"

#define SOLVE_DEFAULT_SECONDS 10
#define SOLVE_MAX_SECONDS     300

/* The job's parameters from the form, checked for the caller; params (taken by the
 * caller) and *n_classes on success. */
static px_err solve_params(struct svc *c, int64_t class_id, const struct solve_form *f,
			   json_t **params, size_t *n_classes)
{
	struct class_row row;
	px_err rc = schedule_class_load(c, PERM_CLASS_WRITE, class_id, &row);
	if (!rc)
		rc = schedule_class_open(c, &row);
	if (rc)
		return rc;
	int64_t id = row.c.id;
	long limit = json_is_integer(f->time_limit) ? (long)json_integer_value(f->time_limit)
						    : SOLVE_DEFAULT_SECONDS;
	if (limit < 1 || limit > SOLVE_MAX_SECONDS) {
		svc_problem(c, "time_limit", "invalid", "求解时限应为 1 至 300 秒",
			    "time_limit is 1 to 300 seconds");
		return PX_ERR_INVALID;
	}
	bool keep = f->keep_previous ? json_is_true(f->keep_previous) : true;
	bool with_term = (f->whole_term ? json_is_true(f->whole_term) : true) && *row.c.term;
	/* soft-constraint weights: {"preference": 3, …}; unknown keys are refused */
	json_t *weights = NULL;
	if (json_is_object(f->weights)) {
		weights = json_object();
		const char *key;
		json_t *val;
		json_object_foreach((json_t *)f->weights, key, val)
		{
			int k = 0;
			while (k < TT_SOFT__COUNT && strcmp(schedule_weight_keys[k], key))
				k++;
			if (k == TT_SOFT__COUNT || !json_is_integer(val) ||
			    json_integer_value(val) < 0 || json_integer_value(val) > 1000) {
				problems_add(c->problems, 0, "weights", "invalid",
					     svc_en(c) ? "weights: %s is not a soft constraint or "
							 "not 0–1000"
						       : "权重:%s 不是软约束名,或不在 0–1000 之间",
					     key);
				continue;
			}
			json_object_set_new(weights, key, json_integer(json_integer_value(val)));
		}
		if (c->problems->n) {
			json_decref(weights);
			return PX_ERR_INVALID;
		}
	}
	int64_t *ids = NULL;
	size_t n = 0;
	if (with_term && (rc = classes_of_term(c->db, c->arena, row.c.term, &ids, &n))) {
		json_decref(weights);
		return rc;
	}
	/* only the term's classes the caller may change are arranged; the others stay put */
	size_t kept = 0;
	for (size_t k = 0; with_term && k < n; k++) {
		struct class_row other;
		if (ids[k] == id || (!schedule_class_load(c, PERM_CLASS_WRITE, ids[k], &other) &&
				     strcmp(other.c.status, "archived")))
			ids[kept++] = ids[k];
	}
	if (with_term)
		n = kept;
	if (!with_term || n == 0 || n > SCHEDULE_MAX_CLASSES) {
		ids = &id;
		n = 1;
	}
	json_t *classes = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(classes, json_integer(ids[k]));
	*params = json_pack(
		"{sI so sI sI sI sb}", "class_id", (json_int_t)id, "classes", classes,
		"time_limit_ms", (json_int_t)limit * 1000, "max_iterations",
		(json_int_t)(json_is_integer(f->max_iterations)
				     ? json_integer_value(f->max_iterations)
				     : 0),
		"seed",
		(json_int_t)(json_is_integer(f->seed) ? json_integer_value(f->seed) : time_now()),
		"keep_previous", keep);
	if (weights)
		json_object_set_new(*params, "weights", weights);
	*n_classes = n;
	return PX_OK;
}

static const struct view_field queued_fields[] = {
	{ "job_id", VIEW_INT, "The job: follow it at GET /api/v1/jobs/{job_id}" },
	{ "status", VIEW_TEXT, "queued" },
	{ "classes", VIEW_INT, "How many classes it arranges (the class, or those of its term)" },
};
const struct view_spec svc_solve_queued_shape = VIEW_SPEC("SolveQueued", queued_fields);

static const struct view_field problem_fields[] = {
	{ "field", VIEW_TEXT, "What it is about (\"\" when the whole)" },
	{ "message", VIEW_TEXT, "What is wrong, in the creator's language" },
};
static const struct view_spec problem_shape = VIEW_SPEC("SolveProblem", problem_fields);

/* A solve job's result: while it runs, the best found so far; at its end, what it did. */
static const struct view_field result_fields[] = {
	{ "best_hard", VIEW_INT, "While running: hard violations of the best so far", NULL, true },
	{ "best_soft", VIEW_INT, "While running: its soft cost", NULL, true },
	{ "feasible", VIEW_BOOL, "Every hard constraint met (then the placements were saved)", NULL,
	  true },
	{ "code", VIEW_TEXT, "ok, or why not: infeasible, cancelled, invalid_state, server_lost …",
	  NULL, true },
	{ "placed", VIEW_INT, "Sessions placed", NULL, true },
	{ "sessions", VIEW_INT, "Sessions of the classes arranged", NULL, true },
	{ "soft_cost", VIEW_INT, "The soft constraints' weighted cost", NULL, true },
	{ "iterations", VIEW_INT, "Search steps", NULL, true },
	{ "explanation", VIEW_TEXT, "Why no feasible timetable was found (\"\" when one was)", NULL,
	  true },
	{ "problems", VIEW_OBJECTS, "What could not be arranged at all", &problem_shape, true },
};
const struct view_spec job_timetable_solve_result = VIEW_SPEC("SolveResult", result_fields);

px_err svc_class_solve(struct svc *c, int64_t class_id, const struct solve_form *f, json_t **out)
{
	json_t *params;
	size_t n;
	int64_t job_id = 0;
	px_err rc = solve_params(c, class_id, f, &params, &n);
	if (!rc)
		rc = jobs_enqueue(c, &job_timetable_solve, params, NULL, 0, &job_id);
	if (!rc)
		*out = json_pack("{sI ss si}", "job_id", (json_int_t)job_id, "status", "queued",
				 "classes", (int)n);
	return rc;
}

px_err svc_class_solve_now(struct svc *c, int64_t class_id, const struct solve_form *f,
			   void (*on_progress)(void *ctx, double fraction), void *ctx,
			   json_t **result)
{
	json_t *params;
	size_t n;
	px_err rc = solve_params(c, class_id, f, &params, &n);
	if (rc)
		return rc;
	return jobs_run_inline(c, &job_timetable_solve, params, NULL, 0, on_progress, ctx, result);
}

/* ---- the job ---- */

static void solve_progress(void *ctx, double fraction, long best_hard, long best_soft)
{
	job_progress(ctx, fraction,
		     json_pack("{sI sI}", "best_hard", (json_int_t)best_hard, "best_soft",
			       (json_int_t)best_soft));
}

static px_err solve_confirm(void *ctx)
{
	return job_confirm(ctx);
}

/* PX_OK when whoever asked (the creator, with its rights as they are now) may still change
 * the class: in its reach for class.write, and its timetable open (not archived). Else
 * PX_ERR_NOT_FOUND or PX_ERR_STATE, with the message. */
static px_err class_writable(struct svc *c, int64_t id)
{
	struct class_row row;
	px_err rc = schedule_class_load(c, PERM_CLASS_WRITE, id, &row);
	if (rc == PX_ERR_NOT_FOUND)
		return svc_fail(c, rc, "该班次已不存在,或您已无权修改它",
				"The class no longer exists, or you may no longer change it");
	return rc ? rc : schedule_class_open(c, &row);
}

static bool closed_class(px_err rc)
{
	return rc == PX_ERR_NOT_FOUND || rc == PX_ERR_STATE;
}

/* The saving transaction's look at the classes (solve_request.recheck): held against change
 * until it commits (store/jobs.h), then checked as at the start of the run. */
static px_err solve_recheck(void *ctx, const int64_t *ids, size_t n, int64_t *closed)
{
	struct job_run *j = ctx;
	px_err rc = jobs_hold_classes(j->c->db, ids, n);
	for (size_t k = 0; !rc && k < n; k++)
		if ((rc = class_writable(j->c, ids[k])) && closed_class(rc))
			*closed = ids[k];
	return rc;
}

/* The classes of the solve's context that its creator may not read (solve_request.mark):
 * the explanation and the problems call them another office's booking. */
static px_err solve_mark(void *ctx, struct timetable_data *d)
{
	struct job_run *j = ctx;
	return schedule_mark_unreadable(j->c, d);
}

/* At most this many times a solve starts again because one of its classes closed while it
 * ran (each time without that class). */
#define SOLVE_ROUNDS 3

static px_err solve_run(struct job_run *j)
{
	struct svc *c = j->c;
	const json_t *p = j->params;
	const json_t *classes = json_object_get(p, "classes");
	size_t n = json_array_size(classes);
	if (!n || n > SCHEDULE_MAX_CLASSES)
		return PX_ERR_INVALID;
	int64_t *ids = arena_alloc(c->arena, n * sizeof *ids);
	for (size_t k = 0; k < n; k++)
		ids[k] = (int64_t)json_integer_value(json_array_get(classes, k));
	int64_t asked = (int64_t)json_integer_value(json_object_get(p, "class_id"));
	if (asked <= 0)
		asked = ids[0];
	json_t *skipped = json_array();
	struct tt_weights weights = tt_weights_peixun();
	const json_t *wj = json_object_get(p, "weights");
	const char *key;
	json_t *val;
	json_object_foreach((json_t *)wj, key, val)
	{
		for (int k = 0; k < TT_SOFT__COUNT; k++)
			if (!strcmp(schedule_weight_keys[k], key))
				weights.w[k] = (int)json_integer_value(val);
	}
	struct solve_outcome o;
	px_err rc;
	for (int round = 1;; round++) {
		/* The job may have waited (behind the cap, or for a rescue) since it was queued:
		 * the classes its creator may no longer change — archived meanwhile, out of its
		 * reach — are not arranged. They stay where they are, and their placed sessions
		 * are respected as any neighbour's (timetable_solve's context). The class it was
		 * asked for is the job: without it, the job fails with the reason. */
		size_t kept = 0;
		for (size_t k = 0; k < n; k++) {
			rc = class_writable(c, ids[k]);
			if (!rc) {
				ids[kept++] = ids[k];
			} else if (ids[k] != asked && closed_class(rc)) {
				json_array_append_new(skipped, json_integer(ids[k]));
			} else {
				j->result = json_pack("{ss}", "explanation",
						      closed_class(rc) && c->message
							      ? c->message
							      : px_err_message(rc, c->lang));
				json_decref(skipped);
				return rc;
			}
		}
		n = kept;
		struct solve_request rq = {
			.class_ids = ids,
			.n_classes = n,
			.time_limit_ms =
				(long)json_integer_value(json_object_get(p, "time_limit_ms")),
			.max_iterations =
				(long)json_integer_value(json_object_get(p, "max_iterations")),
			.seed = (uint64_t)json_integer_value(json_object_get(p, "seed")),
			.keep_previous = json_is_true(json_object_get(p, "keep_previous")),
			.weights = json_is_object(wj) ? &weights : NULL,
			.lang = c->lang,
			.who = c->who->shell ? NULL : c->who,
			.ip = c->ip,
			.progress = solve_progress,
			.progress_ctx = j,
			.cancel = j->stop,
			.confirm = solve_confirm,
			.confirm_ctx = j,
			.recheck = solve_recheck,
			.recheck_ctx = j,
			.mark = solve_mark,
			.mark_ctx = j,
		};
		rc = timetable_solve(c->db, &rq, &o);
		if (!o.closed || !closed_class(rc) || job_stopping(j))
			break;
		/* a class closed while the engine ran: its answer moved that class's sessions, so
		 * it is arranged again without it (or fails, when it is the one asked for) */
		if (round == SOLVE_ROUNDS) {
			solve_outcome_release(&o);
			json_decref(skipped);
			j->result = json_pack("{ss}", "explanation",
					      svc_text(c,
						       "排课期间该学期的班次多次变动("
						       "归档或权限变更),课表未作改动,请重新发起",
						       "The term's classes kept changing "
						       "(archived, or out of reach) "
						       "while they were arranged; the timetable "
						       "was not changed — start "
						       "again"));
			return PX_ERR_CONFLICT;
		}
		fprintf(stderr,
			"peixun: job %lld: class %lld may no longer be changed; arranging again "
			"without it\n",
			(long long)j->id, (long long)o.closed);
		solve_outcome_release(&o);
	}
	json_t *problems = json_array();
	for (size_t i = 0; i < o.problems.n; i++)
		json_array_append_new(
			problems,
			json_pack("{ss ss}", "field",
				  o.problems.items[i].field ? o.problems.items[i].field : "",
				  "message", o.problems.items[i].message));
	j->result = json_pack("{sb ss sI sI sI sI ss so so}", "feasible", o.feasible, "code",
			      px_err_code(rc), "placed", (json_int_t)o.placed, "sessions",
			      (json_int_t)o.sessions, "soft_cost", (json_int_t)o.cost.soft_total,
			      "iterations", (json_int_t)o.iterations, "explanation",
			      o.explanation ? o.explanation : "", "problems", problems, "skipped",
			      skipped);
	solve_outcome_release(&o);
	return rc;
}

const struct job_kind job_timetable_solve = {
	.name = "timetable.solve",
	.perm = PERM_CLASS_WRITE,
	.cap = offsetof(struct app, jobs_solve_max),
	.run = solve_run,
	.stoppable = true,
	.max_attempts = 2,
	.per_user = 3,
	.busy_zh = "您已有 3 个自动排课任务在排队或运行,请等其中一个完成后再试",
	.busy_en = "You already have 3 auto-arrange jobs queued or running; wait for one to "
		   "finish",
	.lost_zh = "排课任务所在的服务器意外停止,重试后仍未完成;课表未作改动,请重新发起自动排课",
	.lost_en = "The server arranging this timetable stopped, and so did the retry; the "
		   "timetable was not changed — start auto-arrange again",
};
