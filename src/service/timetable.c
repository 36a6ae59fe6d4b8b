/*
 * timetable.c — see timetable.h.
 */
#include "service/timetable.h"

#include <jansson.h>
#include <stdio.h>
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
	json_decref(o->proposal);
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

px_err timetable_load_context(struct store *db, const int64_t *class_ids, size_t n,
			      const char *lang, struct timetable_data *d)
{
	struct arena ctx;
	arena_init(&ctx);
	int64_t *all;
	size_t n_all;
	px_err rc = context_classes(db, &ctx, class_ids, n, &all, &n_all);
	if (!rc)
		rc = timetable_load(db, all, n_all, lang, d);
	if (!rc) {
		int64_t *fixed = arena_alloc(&d->arena, (n_all - n + 1) * sizeof *fixed);
		memcpy(fixed, all + n, (n_all - n) * sizeof *fixed);
		d->in.fixed_classes = fixed;
		d->in.n_fixed = n_all - n;
	}
	arena_release(&ctx);
	return rc;
}

px_err timetable_cost(const struct timetable_data *d, const struct tt_weights *w,
		      struct problems *pb, struct tt_cost *out)
{
	memset(out, 0, sizeof *out);
	/* what is placed is its own previous placement: nothing counts as moved */
	struct schedule_input in = d->in;
	in.keep_previous = true;
	struct tt_problem *p;
	struct schedule_map map;
	px_err rc = schedule_build(&in, &p, &map, pb);
	if (rc)
		return rc;
	if (w)
		tt_problem_set_weights(p, w);
	struct tt_solution s;
	schedule_current(&map, p, in.sessions, in.n_sessions, &s);
	rc = tt_evaluate(p, &s, out);
	tt_solution_release(&s);
	tt_problem_free(p);
	schedule_map_release(&map);
	return rc;
}

/* ---- the proposal ---- */

static bool arranged(const struct solve_request *rq, int64_t class_id)
{
	for (size_t k = 0; k < rq->n_classes; k++)
		if (rq->class_ids[k] == class_id)
			return true;
	return false;
}

/* A session's placement as it is stored — an unplaced one's rooms too, which the store
 * keeps: an undo puts back exactly that. */
static json_t *placement_json(const struct tsession *t)
{
	json_t *groups = json_array();
	for (int g = 0; g < t->n_group_rooms; g++)
		json_array_append_new(groups, json_integer(t->group_rooms[g]));
	bool placed = t->day[0] && t->slot >= 0;
	return json_pack("{ss si sI so}", "day", placed ? t->day : "", "slot",
			 placed ? t->slot : -1, "room_id", (json_int_t)t->room_id, "group_rooms",
			 groups);
}

static bool same_rooms(const struct tsession *a, const struct tsession *b)
{
	if (a->room_id != b->room_id)
		return false;
	int na = 0, nb = 0; /* rooms given (a seminar may have fewer than groups - 1) */
	for (int g = 0; g < a->n_group_rooms; g++)
		na += a->group_rooms[g] > 0;
	for (int g = 0; g < b->n_group_rooms; g++)
		nb += b->group_rooms[g] > 0;
	if (na != nb)
		return false;
	for (int g = 0; g < a->n_group_rooms && g < b->n_group_rooms; g++)
		if (a->group_rooms[g] != b->group_rooms[g])
			return false;
	return true;
}

/* What changes from a to b: NULL (nothing), "placed", "unplaced", "moved" or "room". */
static const char *change_of(const struct tsession *a, const struct tsession *b)
{
	bool pa = a->day[0] && a->slot >= 0, pb = b->day[0] && b->slot >= 0;
	if (!pa && !pb)
		return NULL;
	if (!pa)
		return "placed";
	if (!pb)
		return "unplaced";
	if (a->slot != b->slot || strcmp(a->day, b->day))
		return "moved";
	return same_rooms(a, b) ? NULL : "room";
}

/* The proposal of the sessions `now` (as loaded) and `to` (solved), parallel arrays. */
static json_t *proposal_json(const struct solve_request *rq, const struct tsession *now,
			     const struct tsession *to, size_t n, struct solve_outcome *out)
{
	json_t *classes = json_array(), *base = json_array(), *moves = json_array();
	for (size_t k = 0; k < rq->n_classes; k++)
		json_array_append_new(classes, json_integer(rq->class_ids[k]));
	for (size_t i = 0; i < n; i++) {
		if (!arranged(rq, now[i].class_id))
			continue;
		json_array_append_new(base, json_pack("{sI sI}", "id", (json_int_t)now[i].id,
						      "version", (json_int_t)now[i].version));
		const char *change = change_of(&now[i], &to[i]);
		if (!change)
			continue;
		out->moved++;
		out->rooms_changed += !strcmp(change, "room");
		json_array_append_new(moves, json_pack("{sI sI ss ss ss so so}", "session_id",
						       (json_int_t)now[i].id, "class_id",
						       (json_int_t)now[i].class_id, "topic",
						       now[i].topic, "kind", now[i].kind, "change",
						       change, "from", placement_json(&now[i]),
						       "to", placement_json(&to[i])));
	}
	return json_pack("{so so so}", "classes", classes, "base", base, "moves", moves);
}

px_err timetable_solve(struct store *db, const struct solve_request *rq, struct solve_outcome *out)
{
	memset(out, 0, sizeof *out);
	problems_init(&out->problems);
	out->weights = rq->weights ? *rq->weights : tt_weights_peixun();
	struct timetable_data d;
	px_err rc = timetable_load_context(db, rq->class_ids, rq->n_classes, rq->lang, &d);
	if (rc)
		return rc;
	if (rq->mark && (rc = rq->mark(rq->mark_ctx, &d))) {
		timetable_data_release(&d);
		return rc;
	}
	for (size_t i = 0; i < d.in.n_sessions; i++)
		out->sessions += arranged(rq, d.in.sessions[i].class_id);
	/* the timetable as it is, by the one cost function */
	if ((rc = timetable_cost(&d, &out->weights, &out->problems, &out->before))) {
		timetable_data_release(&d);
		return rc;
	}
	d.in.keep_previous = rq->keep_previous;
	struct tt_problem *p = NULL;
	struct schedule_map map;
	if ((rc = schedule_build(&d.in, &p, &map, &out->problems))) {
		timetable_data_release(&d);
		return rc;
	}
	tt_problem_set_weights(p, &out->weights);
	struct tt_options opt = { .seed = rq->seed ? rq->seed : 1,
				  .time_limit_ms = rq->time_limit_ms,
				  .max_iterations = rq->max_iterations,
				  .progress = rq->progress,
				  .progress_ctx = rq->progress_ctx,
				  .cancel = rq->cancel };
	struct tt_solution sol;
	struct tt_report rep;
	rc = tt_solve(p, &opt, &sol, &rep);
	out->feasible = rep.feasible && rc == PX_OK;
	out->iterations = rep.iterations;
	out->elapsed_ms = rep.elapsed_ms;
	out->explanation = out->feasible ? xstrdup("") : tt_report_explain(&rep, rq->lang);
	bool cancelled = rq->cancel && atomic_load(rq->cancel);
	if (cancelled) {
		rc = PX_ERR_CANCELLED; /* stopped early: its best so far is not what was asked */
		out->feasible = false;
	} else if (out->feasible) {
		/* the search hands a seminar's groups whatever rooms are free: those that stay in
		 * their half-day get their rooms back where that costs nothing */
		if (rq->keep_previous) {
			tt_restore_rooms(p, &sol);
			/* the search starts from nothing, not from the timetable as it is: when
			 * that is already feasible and no dearer than what it found (moves
			 * counted), the proposal is to leave it as it is */
			struct tt_solution cur;
			struct tt_cost found, now;
			schedule_current(&map, p, d.in.sessions, d.in.n_sessions, &cur);
			if (!tt_evaluate(p, &sol, &found) && !tt_evaluate(p, &cur, &now) &&
			    now.hard_total == 0 && now.soft_total <= found.soft_total) {
				tt_solution_release(&sol);
				sol = cur;
			} else {
				tt_solution_release(&cur);
			}
		}
		size_t n = d.in.n_sessions;
		struct tsession *to = arena_alloc(&d.arena, (n + 1) * sizeof *to);
		memcpy(to, d.in.sessions, n * sizeof *to);
		for (size_t i = 0; i < n; i++) { /* their own group rooms: apply writes them */
			int g = to[i].n_group_rooms;
			to[i].group_rooms =
				arena_alloc(&d.arena, ((size_t)g + 1) * sizeof(int64_t));
			if (g)
				memcpy(to[i].group_rooms, d.in.sessions[i].group_rooms,
				       (size_t)g * sizeof(int64_t));
		}
		schedule_apply(&map, &sol, to, n, &d.arena);
		for (size_t i = 0; i < n; i++)
			out->placed += arranged(rq, to[i].class_id) && to[i].slot >= 0;
		const struct tsession *now = d.in.sessions;
		out->proposal = proposal_json(rq, now, to, n, out);
		/* the proposal as a timetable, by the same function as the one before */
		d.in.sessions = to;
		rc = timetable_cost(&d, &out->weights, &out->problems, &out->after);
		d.in.sessions = now;
	} else if (rc != PX_ERR_INVALID) {
		rc = PX_ERR_INFEASIBLE;
	}
	tt_solution_release(&sol);
	tt_report_release(&rep);
	tt_problem_free(p);
	schedule_map_release(&map);
	timetable_data_release(&d);
	return rc;
}

/* A placement {day, slot, room_id, group_rooms} onto t (group rooms in the arena). */
static void placement_into(struct arena *a, const json_t *to, struct tsession *t)
{
	const char *day = json_string_value(json_object_get(to, "day"));
	snprintf(t->day, sizeof t->day, "%s", day ? day : "");
	t->slot = t->day[0] ? (int)json_integer_value(json_object_get(to, "slot")) : -1;
	t->room_id = (int64_t)json_integer_value(json_object_get(to, "room_id"));
	const json_t *groups = json_object_get(to, "group_rooms");
	size_t n = json_array_size(groups);
	t->group_rooms = arena_alloc(a, (n + 1) * sizeof *t->group_rooms);
	t->n_group_rooms = (int)n;
	for (size_t g = 0; g < n; g++)
		t->group_rooms[g] = (int64_t)json_integer_value(json_array_get(groups, g));
}

px_err timetable_write_moves(struct store *db, struct arena *a, const json_t *moves)
{
	size_t i;
	const json_t *m;
	json_array_foreach(moves, i, m)
	{
		struct tsession t;
		int64_t id = (int64_t)json_integer_value(json_object_get(m, "session_id"));
		px_err rc = tsessions_get(db, a, id, &t);
		if (rc)
			return rc;
		placement_into(a, json_object_get(m, "to"), &t);
		if ((rc = tsessions_place(db, &t)))
			return rc;
	}
	return PX_OK;
}
