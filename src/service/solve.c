/*
 * solve.c — auto-arrange (自动排课) as a job of kind timetable.solve, the proposal it makes,
 * applying that proposal and undoing the last one applied (see schedule.h and jobs.h).
 *
 * Queuing checks everything that depends on the caller: the class (writable, neither
 * archived nor ended), the options (time limit, weights), and which classes of its term are
 * arranged with it — only those the caller may change; the others stay put and are
 * respected. The job then holds a fixed list of classes and options, so any server can run
 * it. A job may run long after it was queued (behind the cap, or again after a rescue), so
 * running it first looks at its classes again with its creator's present rights: one
 * archived or ended meanwhile, or no longer the creator's to change, is left where it is
 * (respected as any neighbour) — and when that is the class it was asked for, the job
 * fails with the reason. It then runs the engine (timetable_solve), which writes nothing:
 * the job's result is a proposal — the sessions it moves, the versions of the sessions it
 * was made from, and the cost before and after by constraint (timetable_cost, the one cost
 * function). A run whose server died is simply run again (max_attempts).
 *
 * Applying (svc_timetable_apply) is an operation of its own: the creator of the job, the
 * classes still writable, open and not ended, held until it commits; refused when any
 * session of them changed since the proposal was made (a version, a session added or
 * removed: manual edits meanwhile are never overwritten) or when the proposal now clashes
 * with a neighbour's placements. Each class gets an audit entry `solve_apply` holding the
 * placements it replaced and the versions its sessions have after it. Those entries are what
 * an undo rests on (svc_timetable_undo): the newest timetable entry of the class must be
 * that apply — not undone, no later apply —, every class of it still has exactly the
 * recorded sessions and versions (any edit after the apply refuses the undo), and putting
 * the old placements back must not clash with neighbours more than they did before. The
 * undo is audited (`solve_undo`) and cannot be undone; solving again is.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/mem.h"
#include "service/app.h"
#include "service/jobs.h"
#include "service/schedule_int.h"
#include "store/accounts.h"
#include "store/jobs.h"

#define SOLVE_DEFAULT_SECONDS 10
#define SOLVE_MAX_SECONDS     300

/* The classes a solve of the class arranges: the class, and with `with_term` the classes of
 * its term that the caller may change and that are neither archived nor ended (the others
 * stay put and are respected); ids in c->arena. */
static px_err solve_classes(struct svc *c, const struct class_row *row, bool with_term,
			    int64_t **ids, size_t *n)
{
	*n = 0;
	px_err rc = with_term && *row->c.term
			    ? classes_of_term(c->db, c->arena, row->c.term, ids, n)
			    : PX_OK;
	if (rc)
		return rc;
	size_t kept = 0;
	for (size_t k = 0; k < *n; k++) {
		struct class_row other;
		if ((*ids)[k] == row->c.id ||
		    (!schedule_class_load(c, PERM_CLASS_WRITE, (*ids)[k], &other) &&
		     strcmp(other.c.status, "archived") && strcmp(other.c.status, "completed")))
			(*ids)[kept++] = (*ids)[k];
	}
	*n = kept;
	if (*n == 0 || *n > SCHEDULE_MAX_CLASSES) {
		*ids = arena_alloc(c->arena, sizeof **ids);
		(*ids)[0] = row->c.id;
		*n = 1;
	}
	return PX_OK;
}

/* The job's parameters from the form, checked for the caller; params (taken by the
 * caller) and *n_classes on success. */
static px_err solve_params(struct svc *c, int64_t class_id, const struct solve_form *f,
			   json_t **params, size_t *n_classes)
{
	struct class_row row;
	px_err rc = schedule_class_load(c, PERM_CLASS_WRITE, class_id, &row);
	if (!rc)
		rc = schedule_class_arrangeable(c, &row);
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
	if ((rc = solve_classes(c, &row, with_term, &ids, &n))) {
		json_decref(weights);
		return rc;
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

/* ---- the cost of a timetable, as the API shows it ---- */

static const struct view_field constraint_fields[] = {
	{ "key", VIEW_TEXT, "The soft constraint, as solve's weights name it" },
	{ "label", VIEW_TEXT, "What it asks, in the caller's language" },
	{ "weight", VIEW_INT, "Its weight in this figure" },
	{ "units", VIEW_INT, "How often it is not met" },
	{ "cost", VIEW_INT, "weight × units" },
};
static const struct view_spec constraint_shape = VIEW_SPEC("CostConstraint", constraint_fields);
static const struct view_field cost_fields[] = {
	{ "classes", VIEW_INTS,
	  "The classes it is of (arranged together); the sessions of other "
	  "classes in their dates count where they are" },
	{ "hard", VIEW_INT,
	  "Hard constraints broken (clashes, unavailable experts, wrong rooms …)" },
	{ "unplaced", VIEW_INT, "Sessions (and seminar groups) without a half-day" },
	{ "soft", VIEW_INT, "The weighted soft cost: the sum of the constraints' costs" },
	{ "constraints", VIEW_OBJECTS, "Each soft constraint of a timetable", &constraint_shape },
};
const struct view_spec svc_timetable_cost_shape = VIEW_SPEC("TimetableCost", cost_fields);

/* The view of a cost (timetable_cost) of the classes. The two minimal-perturbation families
 * are left out: a timetable as it stands is its own previous placement (0 there), and what
 * a proposal moves is listed as its moves. */
static json_t *cost_view(struct svc *c, const json_t *classes, const struct tt_cost *k,
			 const struct tt_weights *w)
{
	json_t *list = json_array();
	for (int f = 0; f < TT_SOFT__COUNT; f++) {
		if (f == TT_SOFT_MOVED || f == TT_SOFT_MOVED_ROOM)
			continue;
		json_array_append_new(list,
				      json_pack("{ss ss si sI sI}", "key", schedule_weight_keys[f],
						"label", tt_soft_name((enum tt_soft)f, c->lang),
						"weight", w->w[f], "units", (json_int_t)k->soft[f],
						"cost", (json_int_t)((long)w->w[f] * k->soft[f])));
	}
	return json_pack("{sO sI sI sI so}", "classes", classes, "hard",
			 (json_int_t)(k->hard_total - k->hard[TT_HARD_UNPLACED]), "unplaced",
			 (json_int_t)k->hard[TT_HARD_UNPLACED], "soft", (json_int_t)k->soft_total,
			 "constraints", list);
}

/* ---- a proposal ---- */

static const struct view_field placement_fields[] = {
	{ "day", VIEW_TEXT, "YYYY-MM-DD, \"\" when unplaced" },
	{ "slot", VIEW_INT, "0 morning, 1 afternoon, 2 evening; -1 when unplaced" },
	{ "room_id", VIEW_INT, "Its room (the first group's), 0 when none" },
	{ "group_rooms", VIEW_INTS, "The rooms of a seminar's groups 2..N" },
};
static const struct view_spec placement_shape = VIEW_SPEC("ProposedPlacement", placement_fields);
static const struct view_field move_fields[] = {
	{ "session_id", VIEW_INT, "The session" },
	{ "class_id", VIEW_INT, "Its class" },
	{ "topic", VIEW_TEXT, "Its topic" },
	{ "kind", VIEW_TEXT, "Its kind (lecture, seminar …)" },
	{ "change", VIEW_TEXT,
	  "placed, moved (another half-day), room (only its rooms) or unplaced" },
	{ "from", VIEW_OBJECT, "Where it is now", &placement_shape },
	{ "to", VIEW_OBJECT, "Where the proposal puts it", &placement_shape },
};
static const struct view_spec move_shape = VIEW_SPEC("ProposedMove", move_fields);
static const struct view_field base_fields[] = {
	{ "id", VIEW_INT, "A session of the classes arranged" },
	{ "version", VIEW_INT, "Its version when the proposal was made" },
};
static const struct view_spec base_shape = VIEW_SPEC("ProposalBase", base_fields);
static const struct view_field proposal_fields[] = {
	{ "classes", VIEW_INTS, "The classes it arranges" },
	{ "base", VIEW_OBJECTS,
	  "Every session of them as the proposal found it: applying is refused once one changed",
	  &base_shape },
	{ "moves", VIEW_OBJECTS, "What it changes (nothing else moves)", &move_shape },
};
static const struct view_spec proposal_shape = VIEW_SPEC("Proposal", proposal_fields);

/* A solve job's result: while it runs, the best found so far; at its end, what it found. */
static const struct view_field result_fields[] = {
	{ "best_hard", VIEW_INT, "While running: hard violations of the best so far", NULL, true },
	{ "best_soft", VIEW_INT, "While running: its soft cost (with what moving costs)", NULL,
	  true },
	{ "feasible", VIEW_BOOL, "Every hard constraint met (then there is a proposal)", NULL,
	  true },
	{ "code", VIEW_TEXT, "ok, or why not: infeasible, cancelled, invalid_state, server_lost …",
	  NULL, true },
	{ "placed", VIEW_INT, "Sessions the proposal places", NULL, true },
	{ "sessions", VIEW_INT, "Sessions of the classes arranged", NULL, true },
	{ "soft_cost", VIEW_INT, "The proposal's soft cost (cost_after.soft)", NULL, true },
	{ "iterations", VIEW_INT, "Search steps", NULL, true },
	{ "explanation", VIEW_TEXT, "Why no feasible timetable was found (\"\" when one was)", NULL,
	  true },
	{ "problems", VIEW_OBJECTS, "What could not be arranged at all", &problem_shape, true },
	{ "skipped", VIEW_INTS, "Classes of the term left where they are (closed since queued)",
	  NULL, true },
	{ "moved", VIEW_INT, "Sessions the proposal changes", NULL, true },
	{ "rooms_changed", VIEW_INT, "Of them, those that keep their half-day and change rooms",
	  NULL, true },
	{ "cost_before", VIEW_OBJECT, "The cost of the timetable now", &svc_timetable_cost_shape,
	  true },
	{ "cost_after", VIEW_OBJECT, "The cost of the timetable proposed",
	  &svc_timetable_cost_shape, true },
	{ "proposal", VIEW_OBJECT,
	  "Not applied: POST /api/v1/classes/{id}/timetable/apply with this job's id applies it",
	  &proposal_shape, true },
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

/* PX_OK when whoever asked (the creator, with its rights as they are now) may still change
 * the class: in its reach for class.write, its timetable open (not archived) and the class
 * not ended. Else PX_ERR_NOT_FOUND, PX_ERR_STATE or PX_ERR_INVALID, with the message. */
static px_err class_writable(struct svc *c, int64_t id)
{
	struct class_row row;
	px_err rc = schedule_class_load(c, PERM_CLASS_WRITE, id, &row);
	if (rc == PX_ERR_NOT_FOUND)
		return svc_fail(c, rc, "该班次已不存在,或您已无权修改它",
				"The class no longer exists, or you may no longer change it");
	return rc ? rc : schedule_class_arrangeable(c, &row);
}

static bool closed_class(px_err rc)
{
	return rc == PX_ERR_NOT_FOUND || rc == PX_ERR_STATE || rc == PX_ERR_INVALID;
}

/* The classes of the solve's context that its creator may not read (solve_request.mark):
 * the explanation and the problems call them another office's booking. */
static px_err solve_mark(void *ctx, struct timetable_data *d)
{
	struct job_run *j = ctx;
	return schedule_mark_unreadable(j->c, d);
}

static json_t *ids_json(const int64_t *ids, size_t n)
{
	json_t *a = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(a, json_integer(ids[k]));
	return a;
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
	int64_t asked = (int64_t)json_integer_value(json_object_get(p, "class_id"));
	if (asked <= 0)
		asked = ids[0];
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
	/* The job may have waited (behind the cap, or for a rescue) since it was queued: the
	 * classes its creator may no longer change — archived or ended meanwhile, out of its
	 * reach — are not arranged. They stay where they are, and their placed sessions are
	 * respected as any neighbour's (timetable_solve's context). The class it was asked for
	 * is the job: without it, the job fails with the reason. Whatever closes while the
	 * engine runs is refused when the proposal is applied. */
	json_t *skipped = json_array();
	size_t kept = 0;
	for (size_t k = 0; k < n; k++) {
		px_err rc = class_writable(c, ids[k]);
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
	problems_release(c->problems); /* a refusal's problem above is its message */
	problems_init(c->problems);
	struct solve_request rq = {
		.class_ids = ids,
		.n_classes = n,
		.time_limit_ms = (long)json_integer_value(json_object_get(p, "time_limit_ms")),
		.max_iterations = (long)json_integer_value(json_object_get(p, "max_iterations")),
		.seed = (uint64_t)json_integer_value(json_object_get(p, "seed")),
		.keep_previous = json_is_true(json_object_get(p, "keep_previous")),
		.weights = &weights,
		.lang = c->lang,
		.progress = solve_progress,
		.progress_ctx = j,
		.cancel = j->stop,
		.mark = solve_mark,
		.mark_ctx = j,
	};
	struct solve_outcome o;
	px_err rc = timetable_solve(c->db, &rq, &o);
	json_t *problems = json_array();
	for (size_t i = 0; i < o.problems.n; i++)
		json_array_append_new(
			problems,
			json_pack("{ss ss}", "field",
				  o.problems.items[i].field ? o.problems.items[i].field : "",
				  "message", o.problems.items[i].message));
	j->result = json_pack("{sb ss sI sI sI sI ss so so}", "feasible", o.feasible, "code",
			      px_err_code(rc), "placed", (json_int_t)o.placed, "sessions",
			      (json_int_t)o.sessions, "soft_cost", (json_int_t)o.after.soft_total,
			      "iterations", (json_int_t)o.iterations, "explanation",
			      o.explanation ? o.explanation : "", "problems", problems, "skipped",
			      skipped);
	if (!rc && o.proposal) {
		json_t *arranged = ids_json(ids, n);
		json_object_set_new(j->result, "cost_before",
				    cost_view(c, arranged, &o.before, &o.weights));
		json_object_set_new(j->result, "cost_after",
				    cost_view(c, arranged, &o.after, &o.weights));
		json_decref(arranged);
		json_object_set_new(j->result, "moved", json_integer((json_int_t)o.moved));
		json_object_set_new(j->result, "rooms_changed",
				    json_integer((json_int_t)o.rooms_changed));
		json_object_set(j->result, "proposal", o.proposal);
	}
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

/* ---- the cost of the current timetable ---- */

px_err svc_timetable_cost(struct svc *c, int64_t class_id, json_t **out)
{
	struct class_row row;
	px_err rc = schedule_class_load(c, PERM_CLASS_WRITE, class_id, &row);
	int64_t *ids = NULL;
	size_t n = 0;
	if (!rc)
		rc = solve_classes(c, &row, true, &ids, &n);
	struct timetable_data d;
	if (!rc)
		rc = timetable_load_context(c->db, ids, n, c->lang, &d);
	if (rc)
		return rc;
	struct tt_weights w = tt_weights_peixun();
	struct tt_cost k;
	if (!(rc = schedule_mark_unreadable(c, &d)))
		rc = timetable_cost(&d, &w, c->problems, &k);
	timetable_data_release(&d);
	if (rc)
		return rc;
	json_t *classes = ids_json(ids, n);
	*out = cost_view(c, classes, &k, &w);
	json_decref(classes);
	return PX_OK;
}

/* ---- applying a proposal ---- */

static const struct view_field applied_fields[] = {
	{ "job_id", VIEW_INT, "The solve whose proposal it was" },
	{ "classes", VIEW_INTS, "The classes it arranged" },
	{ "moved", VIEW_INT, "Sessions it changed" },
	{ "rooms_changed", VIEW_INT, "Of them, those that only changed rooms" },
	{ "cost", VIEW_OBJECT, "The cost of the timetable now", &svc_timetable_cost_shape },
};
const struct view_spec svc_timetable_applied_shape = VIEW_SPEC("TimetableApplied", applied_fields);

/* The classes of a proposal or of an apply's entry (at most SCHEDULE_MAX_CLASSES). */
static size_t class_list(struct svc *c, const json_t *classes, int64_t **ids)
{
	size_t n = json_array_size(classes);
	if (n > SCHEDULE_MAX_CLASSES)
		n = 0;
	*ids = arena_alloc(c->arena, (n + 1) * sizeof **ids);
	for (size_t k = 0; k < n; k++)
		(*ids)[k] = (int64_t)json_integer_value(json_array_get(classes, k));
	return n;
}

static bool has_class(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t k = 0; k < n; k++)
		if (ids[k] == id)
			return true;
	return false;
}

/* In the caller's transaction: the classes held against change, each still writable, open and
 * not ended for the caller; then their sessions (in c->arena). */
static px_err hold_classes(struct svc *c, const int64_t *ids, size_t n, struct tsession **ts,
			   size_t *nts)
{
	px_err rc = jobs_hold_classes(c->db, ids, n);
	for (size_t k = 0; !rc && k < n; k++)
		rc = class_writable(c, ids[k]);
	return rc ? rc : tsessions_of_classes(c->db, c->arena, ids, n, ts, nts);
}

/* The cost of the classes' timetable with `moves` made (their "to"), all in memory: the
 * check that a change does not clash with what its neighbours hold now. */
static px_err cost_with(struct svc *c, const int64_t *ids, size_t n, const json_t *moves,
			struct tt_cost *before, struct tt_cost *after)
{
	struct timetable_data d;
	px_err rc = timetable_load_context(c->db, ids, n, c->lang, &d);
	if (rc)
		return rc;
	struct problems pb;
	problems_init(&pb);
	if (!(rc = schedule_mark_unreadable(c, &d)))
		rc = timetable_cost(&d, NULL, &pb, before);
	struct tsession *ts = (struct tsession *)d.in.sessions;
	size_t i;
	const json_t *m;
	json_array_foreach(moves, i, m)
	{
		int64_t id = (int64_t)json_integer_value(json_object_get(m, "session_id"));
		for (size_t s = 0; s < d.in.n_sessions; s++)
			if (ts[s].id == id) {
				const json_t *to = json_object_get(m, "to");
				const char *day = json_string_value(json_object_get(to, "day"));
				snprintf(ts[s].day, sizeof ts[s].day, "%s", day ? day : "");
				ts[s].slot = ts[s].day[0] ? (int)json_integer_value(
								    json_object_get(to, "slot"))
							  : -1;
				ts[s].room_id =
					(int64_t)json_integer_value(json_object_get(to, "room_id"));
				const json_t *g = json_object_get(to, "group_rooms");
				ts[s].n_group_rooms = (int)json_array_size(g);
				ts[s].group_rooms = arena_alloc(&d.arena, (json_array_size(g) + 1) *
										  sizeof(int64_t));
				for (size_t x = 0; x < json_array_size(g); x++)
					ts[s].group_rooms[x] =
						(int64_t)json_integer_value(json_array_get(g, x));
			}
	}
	if (!rc)
		rc = timetable_cost(&d, NULL, &pb, after);
	problems_release(&pb);
	timetable_data_release(&d);
	return rc;
}

static json_t *versions_of(const struct tsession *ts, size_t n, int64_t class_id)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		if (ts[i].class_id == class_id)
			json_array_append_new(a, json_pack("{sI sI}", "id", (json_int_t)ts[i].id,
							   "version", (json_int_t)ts[i].version));
	return a;
}

/* True when the sessions ts[0..n) of the classes (each of its class's) are exactly `want`:
 * [{id, version}], the same ids, none more, none fewer, none changed. */
static bool same_versions(const struct tsession *ts, size_t n, const json_t *want)
{
	if (json_array_size(want) != n)
		return false;
	size_t i;
	const json_t *w;
	json_array_foreach(want, i, w)
	{
		int64_t id = (int64_t)json_integer_value(json_object_get(w, "id"));
		int64_t v = (int64_t)json_integer_value(json_object_get(w, "version"));
		size_t s = 0;
		while (s < n && ts[s].id != id)
			s++;
		if (s == n || ts[s].version != v)
			return false;
	}
	return true;
}

/* The moves of class k among `moves`, as an audit entry keeps them: {session_id, day, slot,
 * room_id, group_rooms} of `side` ("from" or "to"). */
static json_t *placements_of(const json_t *moves, int64_t class_id, const char *side)
{
	json_t *a = json_array();
	size_t i;
	const json_t *m;
	json_array_foreach(moves, i, m)
	{
		if ((int64_t)json_integer_value(json_object_get(m, "class_id")) != class_id)
			continue;
		json_t *p = json_deep_copy(json_object_get(m, side));
		json_object_set(p, "session_id", json_object_get(m, "session_id"));
		json_object_set(p, "class_id", json_object_get(m, "class_id"));
		json_array_append_new(a, p);
	}
	return a;
}

/* Placements as an audit entry keeps them, back into moves {session_id, class_id, to}. */
static json_t *moves_of(const json_t *placements, json_t *into)
{
	size_t i;
	const json_t *p;
	json_array_foreach(placements, i, p)
	{
		json_t *to = json_pack("{sO sO sO sO}", "day", json_object_get(p, "day"), "slot",
				       json_object_get(p, "slot"), "room_id",
				       json_object_get(p, "room_id"), "group_rooms",
				       json_object_get(p, "group_rooms"));
		json_array_append_new(into, json_pack("{sO sO so}", "session_id",
						      json_object_get(p, "session_id"), "class_id",
						      json_object_get(p, "class_id"), "to", to));
	}
	return into;
}

static px_err stale(struct svc *c)
{
	return svc_fail(
		c, PX_ERR_CONFLICT,
		"课表在生成该方案之后已有改动(手动调整、增删课程或另一次排课),方案已失效,"
		"未作任何改动;请重新自动排课",
		"The timetable changed after the proposal was made (a session moved, added "
		"or removed, or another solve applied): the proposal is stale and nothing was "
		"changed — auto-arrange again");
}

static px_err clashes_now(struct svc *c)
{
	return svc_fail(
		c, PX_ERR_CONFLICT,
		"同期其他班次的安排在此期间有变动,该方案已与之冲突,未作任何改动;"
		"请重新自动排课",
		"Other classes of those dates changed meanwhile and the proposal now clashes "
		"with them: nothing was changed — auto-arrange again");
}

px_err svc_timetable_apply_proposal(struct svc *c, int64_t class_id, int64_t job_id,
				    const json_t *proposal, json_t **out)
{
	int64_t *ids;
	size_t n = class_list(c, json_object_get(proposal, "classes"), &ids);
	const json_t *moves = json_object_get(proposal, "moves");
	if (!n || !has_class(ids, n, class_id) || !json_is_array(moves)) {
		svc_problem(c, "job_id", "invalid", "该排课方案不是本班次的",
			    "That proposal is not one of this class");
		return PX_ERR_INVALID;
	}
	struct tsession *ts;
	size_t nts;
	px_err rc = svc_begin(c);
	if (!rc)
		rc = hold_classes(c, ids, n, &ts, &nts);
	/* made from exactly these sessions, as they are now: else it would overwrite what
	 * changed meanwhile */
	if (!rc && !same_versions(ts, nts, json_object_get(proposal, "base")))
		rc = stale(c);
	struct tt_cost before, after;
	if (!rc)
		rc = cost_with(c, ids, n, moves, &before, &after);
	if (!rc && after.hard_total > 0)
		rc = clashes_now(c);
	if (!rc)
		rc = timetable_write_moves(c->db, c->arena, moves);
	if (!rc)
		rc = tsessions_of_classes(c->db, c->arena, ids, n, &ts, &nts);
	/* one entry a class: what it replaced, and the versions its sessions have now (an undo
	 * rests on both) */
	json_t *classes = ids_json(ids, n);
	for (size_t k = 0; !rc && k < n; k++) {
		json_t *b = json_pack("{so}", "sessions", placements_of(moves, ids[k], "from"));
		json_t *a = json_pack("{sI sO so so sI}", "job_id", (json_int_t)job_id, "classes",
				      classes, "sessions", placements_of(moves, ids[k], "to"),
				      "versions", versions_of(ts, nts, ids[k]), "hard_before",
				      (json_int_t)before.hard_total);
		rc = k + 1 < n ? svc_audit(c, "solve_apply", "timetable", ids[k], b, a)
			       : svc_commit(c, rc, "solve_apply", "timetable", ids[k], b, a);
		json_decref(b);
		json_decref(a);
	}
	if (rc) {
		json_decref(classes);
		if (c->db->txn_depth)
			store_rollback(c->db);
		return rc;
	}
	size_t rooms = 0, i;
	const json_t *m;
	json_array_foreach(moves, i, m)
	{
		const char *change = json_string_value(json_object_get(m, "change"));
		rooms += change && !strcmp(change, "room");
	}
	struct tt_weights w = tt_weights_peixun();
	*out = json_pack("{sI sO sI sI so}", "job_id", (json_int_t)job_id, "classes", classes,
			 "moved", (json_int_t)json_array_size(moves), "rooms_changed",
			 (json_int_t)rooms, "cost", cost_view(c, classes, &after, &w));
	json_decref(classes);
	return PX_OK;
}

px_err svc_timetable_apply(struct svc *c, int64_t class_id, const json_t *job, json_t **out)
{
	struct class_row row;
	px_err rc = schedule_class_load(c, PERM_CLASS_WRITE, class_id, &row);
	if (!rc)
		rc = schedule_class_arrangeable(c, &row);
	if (rc)
		return rc;
	if (!json_is_integer(job) || json_integer_value(job) <= 0) {
		svc_problem(c, "job_id", "required", "请指明要应用的排课方案(job_id)",
			    "job_id: the solve whose proposal to apply");
		return PX_ERR_INVALID;
	}
	int64_t job_id = (int64_t)json_integer_value(job);
	/* the job as its creator reads it, and only its creator (404 for anyone else) */
	struct job j;
	if ((rc = jobs_get(c->db, c->arena, job_id, &j)))
		return rc;
	if (c->who->shell || j.creator.user_id <= 0 || j.creator.user_id != c->who->user_id ||
	    strcmp(j.kind, job_timetable_solve.name))
		return PX_ERR_NOT_FOUND;
	if (strcmp(j.status, "done"))
		return svc_fail(
			c, PX_ERR_STATE,
			!strcmp(j.status, "queued") || !strcmp(j.status, "running")
				? "该次自动排课尚未完成,还没有方案"
				: "该次自动排课没有得出方案,无可应用",
			!strcmp(j.status, "queued") || !strcmp(j.status, "running")
				? "That solve has not finished: there is no proposal yet"
				: "That solve found no proposal: there is nothing to apply");
	json_t *result = json_loads(j.result_json ? j.result_json : "{}", 0, NULL);
	const json_t *proposal = json_object_get(result, "proposal");
	if (!json_is_object(proposal)) {
		json_decref(result);
		return svc_fail(c, PX_ERR_STATE, "该次自动排课没有得出方案,无可应用",
				"That solve found no proposal: there is nothing to apply");
	}
	rc = svc_timetable_apply_proposal(c, row.c.id, job_id, proposal, out);
	json_decref(result);
	return rc;
}

/* ---- undoing the last applied proposal ---- */

static const struct view_field undo_fields[] = {
	{ "available", VIEW_BOOL, "Whether the last applied solve can be undone now" },
	{ "reason", VIEW_TEXT, "Why not (\"\" when it can), in the caller's language" },
	{ "job_id", VIEW_INT, "The solve whose proposal was applied last (0: none)" },
	{ "applied_at", VIEW_TIME, "When", NULL, false, true },
	{ "applied_by", VIEW_TEXT, "By whom (user name)" },
	{ "classes", VIEW_INTS, "The classes it arranged" },
	{ "moved", VIEW_INT, "Sessions it changed (an undo puts them back)" },
};
const struct view_spec svc_timetable_undo_shape = VIEW_SPEC("TimetableUndo", undo_fields);

static const struct view_field undone_fields[] = {
	{ "job_id", VIEW_INT, "The solve whose proposal was undone" },
	{ "classes", VIEW_INTS, "The classes it had arranged" },
	{ "restored", VIEW_INT, "Sessions put back where they were" },
	{ "cost", VIEW_OBJECT, "The cost of the timetable now", &svc_timetable_cost_shape },
};
const struct view_spec svc_timetable_undone_shape = VIEW_SPEC("TimetableUndone", undone_fields);

/* The last apply of a class, and whether it may be undone now. */
struct undo_plan {
	bool found;         /* an apply not undone is the class's newest timetable entry */
	int64_t job_id, at; /* of the apply */
	const char *by;     /* its user name */
	json_t *classes;    /* [id] */
	json_t *restore;    /* the moves back: [{session_id, class_id, to}] */
	json_t *undone;     /* the placements the apply made, as entries keep them */
	long hard_before;   /* the hard violations before the apply */
	const char *reason; /* NULL: it may be undone */
};

static void undo_plan_release(struct undo_plan *u)
{
	json_decref(u->classes);
	json_decref(u->restore);
	json_decref(u->undone);
	memset(u, 0, sizeof *u);
}

/* The plan of the class's last apply (with its classes' sessions now, in c->arena). A class
 * it arranged may not be changed any more: that error. */
static px_err undo_find(struct svc *c, int64_t class_id, struct undo_plan *u)
{
	memset(u, 0, sizeof *u);
	struct log_entry e;
	px_err rc =
		audit_last(c->db, c->arena, "timetable", class_id, "solve_apply", "solve_undo", &e);
	if (rc == PX_ERR_NOT_FOUND || (!rc && strcmp(e.action, "solve_apply"))) {
		u->reason = svc_text(c,
				     rc ? "本班次没有应用过自动排课方案,无可撤销"
					: "最近一次应用的排课方案已经撤销",
				     rc ? "No auto-arrange proposal was applied to this class: "
					  "nothing to undo"
					: "The last proposal applied was undone already");
		return PX_OK;
	}
	if (rc)
		return rc;
	json_t *after = json_loads(e.after_json, 0, NULL);
	u->found = true;
	u->job_id = (int64_t)json_integer_value(json_object_get(after, "job_id"));
	u->at = e.at;
	u->by = e.username;
	u->classes = json_incref(json_object_get(after, "classes"));
	u->hard_before = (long)json_integer_value(json_object_get(after, "hard_before"));
	json_decref(after);
	u->restore = json_array();
	u->undone = json_array();
	int64_t *ids;
	size_t n = class_list(c, u->classes, &ids);
	bool changed = n == 0;
	for (size_t k = 0; !rc && k < n; k++) {
		/* each class's own entry of the same apply, still its newest */
		struct log_entry ek;
		rc = audit_last(c->db, c->arena, "timetable", ids[k], "solve_apply", "solve_undo",
				&ek);
		if (rc == PX_ERR_NOT_FOUND) {
			rc = PX_OK;
			changed = true;
			continue;
		}
		if (rc)
			break;
		json_t *a = json_loads(ek.after_json, 0, NULL),
		       *b = json_loads(ek.before_json, 0, NULL);
		if (strcmp(ek.action, "solve_apply") || ek.at != e.at ||
		    (int64_t)json_integer_value(json_object_get(a, "job_id")) != u->job_id) {
			changed = true;
		} else {
			/* every session of the class exactly as the apply left it */
			struct tsession *ts;
			size_t nts;
			if (!(rc = class_writable(c, ids[k])) &&
			    !(rc = tsessions_of_classes(c->db, c->arena, &ids[k], 1, &ts, &nts)))
				changed |= !same_versions(ts, nts, json_object_get(a, "versions"));
			moves_of(json_object_get(b, "sessions"), u->restore);
			json_array_extend(u->undone, json_object_get(a, "sessions"));
		}
		json_decref(a);
		json_decref(b);
	}
	if (!rc && changed)
		u->reason =
			svc_text(c,
				 "应用该方案之后课表已有改动(手动调整、增删课程或再次排课),"
				 "撤销会覆盖这些改动,因此不能撤销",
				 "The timetable changed after the proposal was applied (a session "
				 "moved, added or removed, or another solve): undoing it would "
				 "overwrite that, so it cannot be undone");
	if (rc && closed_class(rc)) { /* a class of it may no longer be changed: why not */
		u->reason = c->message ? c->message : px_err_message(rc, c->lang);
		problems_release(c->problems);
		problems_init(c->problems);
		c->message = NULL;
		rc = PX_OK;
	}
	return rc;
}

static json_t *undo_view(const struct undo_plan *u)
{
	json_t *classes = u->classes ? json_incref(u->classes) : json_array();
	return json_pack("{sb ss sI so ss so sI}", "available", !u->reason, "reason",
			 u->reason ? u->reason : "", "job_id", (json_int_t)u->job_id, "applied_at",
			 u->found ? svc_time_json(u->at) : json_null(), "applied_by",
			 u->by ? u->by : "", "classes", classes, "moved",
			 (json_int_t)(u->restore ? json_array_size(u->restore) : 0));
}

px_err svc_timetable_undo_state(struct svc *c, int64_t class_id, json_t **out)
{
	struct class_row row;
	px_err rc = schedule_class_load(c, PERM_CLASS_WRITE, class_id, &row);
	if (rc)
		return rc;
	struct undo_plan u;
	if (!(rc = undo_find(c, row.c.id, &u)))
		*out = undo_view(&u);
	undo_plan_release(&u);
	return rc;
}

px_err svc_timetable_undo(struct svc *c, int64_t class_id, json_t **out)
{
	struct class_row row;
	px_err rc = schedule_class_load(c, PERM_CLASS_WRITE, class_id, &row);
	if (!rc)
		rc = schedule_class_arrangeable(c, &row);
	if (rc)
		return rc;
	if ((rc = svc_begin(c)))
		return rc;
	struct undo_plan u;
	int64_t *ids = NULL;
	size_t n = 0;
	struct tsession *ts;
	size_t nts;
	/* looked at in the transaction that writes, the classes held until it commits */
	rc = undo_find(c, row.c.id, &u);
	if (!rc && u.classes) {
		n = class_list(c, u.classes, &ids);
		rc = hold_classes(c, ids, n, &ts, &nts);
		if (!rc) { /* again, now that they are held */
			undo_plan_release(&u);
			rc = undo_find(c, row.c.id, &u);
		}
	}
	if (!rc && u.reason)
		rc = svc_fail(c, u.found ? PX_ERR_CONFLICT : PX_ERR_STATE, u.reason, u.reason);
	struct tt_cost before, after;
	if (!rc)
		rc = cost_with(c, ids, n, u.restore, &before, &after);
	/* the old placements back must not clash with what neighbours did since */
	if (!rc && after.hard_total > u.hard_before)
		rc = svc_fail(c, PX_ERR_CONFLICT,
			      "同期其他班次在此期间占用了原来的时段、专家或教室,撤销会造成冲突,"
			      "未作任何改动",
			      "Other classes of those dates have taken the former half-days, "
			      "experts or rooms since: undoing would clash, nothing was changed");
	if (!rc)
		rc = timetable_write_moves(c->db, c->arena, u.restore);
	for (size_t k = 0; !rc && k < n; k++) {
		json_t *b = json_array(), *a = json_array();
		size_t i;
		json_t *p;
		json_array_foreach(u.undone, i, p)
		{
			if (json_integer_value(json_object_get(p, "class_id")) == ids[k])
				json_array_append(b, p);
		}
		json_array_foreach(u.restore, i, p)
		{
			if (json_integer_value(json_object_get(p, "class_id")) != ids[k])
				continue;
			json_t *x = json_deep_copy(json_object_get(p, "to"));
			json_object_set(x, "session_id", json_object_get(p, "session_id"));
			json_object_set(x, "class_id", json_object_get(p, "class_id"));
			json_array_append_new(a, x);
		}
		json_t *bj = json_pack("{so}", "sessions", b);
		json_t *aj = json_pack("{sI so}", "job_id", (json_int_t)u.job_id, "sessions", a);
		rc = k + 1 < n ? svc_audit(c, "solve_undo", "timetable", ids[k], bj, aj)
			       : svc_commit(c, rc, "solve_undo", "timetable", ids[k], bj, aj);
		json_decref(bj);
		json_decref(aj);
	}
	if (rc) {
		undo_plan_release(&u);
		if (c->db->txn_depth)
			store_rollback(c->db);
		return rc;
	}
	struct tt_weights w = tt_weights_peixun();
	*out = json_pack("{sI sO sI so}", "job_id", (json_int_t)u.job_id, "classes", u.classes,
			 "restored", (json_int_t)json_array_size(u.restore), "cost",
			 cost_view(c, u.classes, &after, &w));
	undo_plan_release(&u);
	return PX_OK;
}
