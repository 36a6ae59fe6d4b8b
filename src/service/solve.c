/*
 * solve.c — auto-arrange (自动排课) as a job of kind timetable.solve (see schedule.h and
 * jobs.h).
 *
 * Queuing checks everything that depends on the caller: the class (writable, not
 * archived), the options (time limit, weights), and which classes of its term are arranged
 * with it — only those the caller may change; the others stay put and are respected. The
 * job then holds a fixed list of classes and options, so any server can run it. Running it
 * loads the classes, runs the engine (timetable_solve) and saves the placements only when
 * they meet every hard constraint, in one transaction that first confirms the job is still
 * this run's. The engine stops between its steps when the job is cancelled or the server
 * stops; a solve saves nothing until its end, so a run whose server died is simply run again
 * (max_attempts).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/mem.h"
#include "service/app.h"
#include "service/jobs.h"
#include "service/schedule_int.h"

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
	/* archived meanwhile: closed, as at queuing */
	struct class_row row;
	px_err rc = classes_get(c->db, c->arena, ids[0], &row);
	if (!rc)
		rc = schedule_class_open(c, &row);
	if (rc) {
		if (c->message)
			j->result = json_pack("{ss}", "explanation", c->message);
		return rc;
	}
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
	struct solve_request rq = {
		.class_ids = ids,
		.n_classes = n,
		.time_limit_ms = (long)json_integer_value(json_object_get(p, "time_limit_ms")),
		.max_iterations = (long)json_integer_value(json_object_get(p, "max_iterations")),
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
	};
	struct solve_outcome o;
	rc = timetable_solve(c->db, &rq, &o);
	json_t *problems = json_array();
	for (size_t i = 0; i < o.problems.n; i++)
		json_array_append_new(
			problems,
			json_pack("{ss ss}", "field",
				  o.problems.items[i].field ? o.problems.items[i].field : "",
				  "message", o.problems.items[i].message));
	j->result = json_pack("{sb ss sI sI sI sI ss so}", "feasible", o.feasible, "code",
			      px_err_code(rc), "placed", (json_int_t)o.placed, "sessions",
			      (json_int_t)o.sessions, "soft_cost", (json_int_t)o.cost.soft_total,
			      "iterations", (json_int_t)o.iterations, "explanation",
			      o.explanation ? o.explanation : "", "problems", problems);
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
