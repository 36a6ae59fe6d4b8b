/*
 * timetable.c — see timetable.h.
 */
#include "service/timetable.h"

#include <jansson.h>
#include <string.h>

#include "base/mem.h"
#include "store/accounts.h"
#include "store/training.h"

void timetable_data_release(struct timetable_data *d)
{
	arena_release(&d->arena);
	memset(d, 0, sizeof *d);
}

px_err timetable_load(struct store *db, const int64_t *class_ids, size_t n, const char *lang,
		      struct timetable_data *d)
{
	memset(d, 0, sizeof *d);
	arena_init(&d->arena);
	struct arena *a = &d->arena;
	d->in.lang = lang;
	struct training_class *classes = arena_alloc(a, (n + 1) * sizeof *classes);
	d->region_paths = arena_alloc(a, (n + 1) * sizeof *d->region_paths);
	px_err rc = PX_OK;
	for (size_t k = 0; !rc && k < n; k++) {
		struct class_row row;
		if (!(rc = classes_get(db, a, class_ids[k], &row))) {
			classes[k] = row.c;
			d->region_paths[k] = row.region_path ? row.region_path : "";
		}
	}
	d->in.classes = classes;
	d->in.n_classes = n;
	struct tsession *sessions = NULL;
	size_t ns = 0;
	if (!rc)
		rc = tsessions_of_classes(db, a, class_ids, n, &sessions, &ns);
	d->in.sessions = sessions;
	d->in.n_sessions = ns;
	/* every expert named by a session, with its marked half-days */
	size_t cap = 16, ne = 0, nslots = 0, cap_slots = 64;
	struct expert *experts = arena_alloc(a, cap * sizeof *experts);
	struct expert_slot *slots = arena_alloc(a, cap_slots * sizeof *slots);
	for (size_t i = 0; !rc && i < ns; i++) {
		for (int x = 0; !rc && x < sessions[i].n_experts; x++) {
			int64_t id = sessions[i].experts[x];
			size_t e = 0;
			while (e < ne && experts[e].id != id)
				e++;
			if (e < ne)
				continue;
			if (ne == cap) {
				struct expert *bigger = arena_alloc(a, cap * 2 * sizeof *bigger);
				memcpy(bigger, experts, ne * sizeof *experts);
				experts = bigger;
				cap *= 2;
			}
			if ((rc = experts_get(db, a, id, &experts[ne])))
				break;
			ne++;
			struct expert_slot *es;
			size_t nes;
			if ((rc = expert_slots_get(db, a, id, &es, &nes)))
				break;
			if (nslots + nes > cap_slots) {
				while (nslots + nes > cap_slots)
					cap_slots *= 2;
				struct expert_slot *bigger =
					arena_alloc(a, cap_slots * sizeof *bigger);
				if (nslots)
					memcpy(bigger, slots, nslots * sizeof *slots);
				slots = bigger;
			}
			if (nes) /* an expert without availability has none (es NULL) */
				memcpy(slots + nslots, es, nes * sizeof *es);
			nslots += nes;
		}
	}
	d->in.experts = experts;
	d->in.n_experts = ne;
	d->in.slots = slots;
	d->in.n_slots = nslots;
	struct room *rooms = NULL;
	size_t nr = 0;
	int64_t total;
	if (!rc)
		rc = rooms_list(db, a, NULL, 1, 100000, &rooms, &nr, &total);
	d->in.rooms = rooms;
	d->in.n_rooms = nr;
	struct session_order_pair *pairs = NULL;
	size_t np = 0;
	if (!rc)
		rc = session_order_of_classes(db, a, class_ids, n, &pairs, &np);
	d->order = arena_alloc(a, (np + 1) * sizeof *d->order);
	for (size_t i = 0; i < np; i++) {
		d->order[i][0] = pairs[i].before_id;
		d->order[i][1] = pairs[i].after_id;
	}
	d->in.order = (const int64_t(*)[2])d->order;
	d->in.n_order = np;
	if (rc)
		timetable_data_release(d);
	return rc;
}

void solve_outcome_release(struct solve_outcome *o)
{
	free(o->explanation);
	problems_release(&o->problems);
	memset(o, 0, sizeof *o);
}

/*
 * The classes a solve must respect besides the ones it arranges: every other class with a
 * session placed within their dates (empty classes cannot clash, so however many of them a
 * term holds, none pushes a real neighbour out). Their placed sessions will be pinned.
 */
static px_err context_classes(struct store *db, struct arena *a, const int64_t *ids, size_t n,
			      int64_t **all, size_t *n_all)
{
	char from[11] = "9999-12-31", to[11] = "0000-01-01";
	for (size_t k = 0; k < n; k++) {
		struct class_row row;
		px_err rc = classes_get(db, a, ids[k], &row);
		if (rc)
			return rc;
		if (strcmp(row.c.start_date, from) < 0)
			memcpy(from, row.c.start_date, sizeof from);
		if (strcmp(row.c.end_date, to) > 0)
			memcpy(to, row.c.end_date, sizeof to);
	}
	/* every class with a session in those dates: their placements are fixed context */
	int64_t *busy;
	size_t m;
	px_err rc = tsessions_busy_classes(db, a, from, to, TIMETABLE_MAX_NEIGHBOURS, &busy, &m);
	if (rc)
		return rc;
	*all = arena_alloc(a, (n + m + 1) * sizeof **all);
	memcpy(*all, ids, n * sizeof *ids);
	*n_all = n;
	for (size_t i = 0; i < m; i++) {
		size_t k = 0;
		while (k < *n_all && (*all)[k] != busy[i])
			k++;
		if (k == *n_all)
			(*all)[(*n_all)++] = busy[i];
	}
	return PX_OK;
}

px_err timetable_solve(struct store *db, const struct solve_request *rq, struct solve_outcome *out)
{
	memset(out, 0, sizeof *out);
	problems_init(&out->problems);
	struct arena ctx;
	arena_init(&ctx);
	int64_t *all;
	size_t n_all;
	px_err rc = context_classes(db, &ctx, rq->class_ids, rq->n_classes, &all, &n_all);
	struct timetable_data d;
	if (!rc)
		rc = timetable_load(db, all, n_all, rq->lang, &d);
	if (!rc && rq->mark && (rc = rq->mark(rq->mark_ctx, &d)))
		timetable_data_release(&d);
	if (rc) {
		arena_release(&ctx);
		return rc;
	}
	d.in.keep_previous = rq->keep_previous;
	d.in.fixed_classes = all + rq->n_classes;
	d.in.n_fixed = n_all - rq->n_classes;
	struct tt_problem *p = NULL;
	struct schedule_map map;
	if ((rc = schedule_build(&d.in, &p, &map, &out->problems))) {
		timetable_data_release(&d);
		arena_release(&ctx);
		return rc;
	}
	if (rq->weights)
		tt_problem_set_weights(p, rq->weights);
	struct tt_options opt = { .seed = rq->seed ? rq->seed : 1,
				  .time_limit_ms = rq->time_limit_ms,
				  .max_iterations = rq->max_iterations,
				  .progress = rq->progress,
				  .progress_ctx = rq->progress_ctx,
				  .cancel = rq->cancel };
	struct tt_solution sol;
	struct tt_report rep;
	rc = tt_solve(p, &opt, &sol, &rep);
	out->cost = rep.cost;
	out->feasible = rep.feasible && rc == PX_OK;
	out->iterations = rep.iterations;
	out->elapsed_ms = rep.elapsed_ms;
	for (size_t i = 0; i < d.in.n_sessions; i++)
		for (size_t k = 0; k < rq->n_classes; k++)
			out->sessions += d.in.sessions[i].class_id == rq->class_ids[k];
	out->explanation = out->feasible ? xstrdup("") : tt_report_explain(&rep, rq->lang);
	bool cancelled = rq->cancel && atomic_load(rq->cancel);
	if (cancelled) {
		rc = PX_ERR_CANCELLED; /* stopped early: its best so far is not what was asked */
		out->feasible = false;
	} else if (out->feasible) {
		struct tsession *ts = (struct tsession *)d.in.sessions;
		schedule_apply(&map, &sol, ts, d.in.n_sessions, &d.arena);
		rc = store_begin(db);
		/* the classes may have closed while the engine ran (archived, out of reach): looked
		 * at again in the transaction that writes them */
		if (!rc && rq->recheck)
			rc = rq->recheck(rq->recheck_ctx, rq->class_ids, rq->n_classes,
					 &out->closed);
		for (size_t i = 0; !rc && i < d.in.n_sessions; i++) {
			bool mine = false;
			for (size_t k = 0; k < rq->n_classes; k++)
				mine = mine || ts[i].class_id == rq->class_ids[k];
			if (!mine)
				continue; /* another class's session: pinned, unchanged */
			rc = tsessions_place(db, &ts[i]);
			if (ts[i].slot >= 0)
				out->placed++;
		}
		if (!rc) {
			json_t *ids = json_array();
			for (size_t k = 0; k < rq->n_classes; k++)
				json_array_append_new(ids, json_integer(rq->class_ids[k]));
			json_t *after = json_pack("{so sI sI sI}", "classes", ids, "sessions",
						  (json_int_t)out->placed, "soft_cost",
						  (json_int_t)rep.cost.soft_total, "iterations",
						  (json_int_t)rep.iterations);
			char *text = json_dumps(after, JSON_COMPACT);
			rc = audit_add(db, rq->who, rq->ip ? rq->ip : "", "solve", "timetable",
				       rq->n_classes == 1 ? rq->class_ids[0] : 0, NULL, text);
			free(text);
			json_decref(after);
		}
		if (!rc && rq->confirm)
			rc = rq->confirm(rq->confirm_ctx);
		if (!rc)
			rc = store_commit(db);
		else
			store_rollback(db);
	} else if (rc != PX_ERR_INVALID) {
		rc = PX_ERR_INFEASIBLE;
	}
	tt_solution_release(&sol);
	tt_report_release(&rep);
	tt_problem_free(p);
	schedule_map_release(&map);
	timetable_data_release(&d);
	arena_release(&ctx);
	return rc;
}
