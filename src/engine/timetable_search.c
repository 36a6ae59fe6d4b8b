/*
 * timetable_search.c — tt_solve: greedy construction, then simulated annealing.
 *
 * Construction places the most constrained events first (fewest allowed periods, then most
 * teachers and groups), each where the weighted cost (hard_weight × hard + soft) grows least;
 * linked events are placed together. An event that finds no free room stays unplaced (a hard
 * unit) for the annealer to repair.
 *
 * The annealer (after Bellio, Ceschia, Di Gaspero, Schaerf, Urli 2016) draws one move at a
 * time and accepts it by the Metropolis rule at temperature T, which falls geometrically from
 * t_start to t_end over the budget (time, or iterations when max_iterations is set, which
 * makes runs reproducible on any machine). Moves:
 *   MOVE/SWAP — a random event to a random allowed period and room (the same room with some
 *               probability); if the room is taken there, the occupant goes to the event's old
 *               place (a swap), when allowed there;
 *   KEMPE     — swap two periods for the events of a conflict chain (see move_kempe);
 *   LINK      — a same-period set moves as a whole to a new period, each member keeping its
 *               room when free.
 * A MOVE/SWAP is priced without touching the state (tt_state_delta) and applied only when
 * accepted; the other moves are applied to the incremental state (timetable_state.c), priced
 * as cost after minus cost before, and undone when rejected. Hard units weigh hard_weight
 * during the search; only hard-free states become the best solution.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/mem.h"
#include "engine/timetable_state.h"

/* Tuned defaults (see docs/engine-timetable.md). */
#define DEFAULT_T_START     8.0
#define DEFAULT_T_END       0.15
#define DEFAULT_HARD_WEIGHT 50
#define DEFAULT_ITERATIONS  2000000L
#define KEEP_ROOM_PERCENT   40  /* a MOVE keeps the event's room this often */
#define KEMPE_PERMILLE      100 /* share of Kempe-chain moves */
#define KEMPE_MAX_CHAIN     64
#define CHECK_EVERY         1024

/* xoshiro256** seeded by splitmix64: small, fast, reproducible. */
struct rng {
	uint64_t s[4];
};

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *g, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		g->s[i] = splitmix(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(struct rng *g)
{
	uint64_t *s = g->s;
	uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

/* Uniform in [0, n) by multiply-shift (n ≤ 2^32). */
static inline int rng_below(struct rng *g, int n)
{
	return (int)(((rng_next(g) >> 32) * (uint64_t)n) >> 32);
}

static inline double rng_unit(struct rng *g)
{
	return (double)(rng_next(g) >> 11) * (1.0 / 9007199254740992.0);
}

struct search {
	const struct tt_model *m;
	struct tt_state st;
	struct rng rng;
	long hw;
	double temp;
	int keep_room; /* percent */
	int kempe;     /* per mille */
	int *movable;  /* events a move may pick */
	int n_movable;
	int *best_period, *best_room;
	long best_hard, best_soft;
	long iterations;
	/* scratch for Kempe chains and link moves */
	int *chain, *mark, *saved_p, *saved_r;
	int mark_gen;
};

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void save_best(struct search *x)
{
	memcpy(x->best_period, x->st.period, (size_t)x->m->E * sizeof(int));
	memcpy(x->best_room, x->st.room, (size_t)x->m->E * sizeof(int));
	x->best_hard = x->st.hard;
	x->best_soft = x->st.soft;
}

static void maybe_best(struct search *x)
{
	if (x->st.hard < x->best_hard || (x->st.hard == x->best_hard && x->st.soft < x->best_soft))
		save_best(x);
}

static inline bool accept(struct search *x, long delta)
{
	if (delta <= 0)
		return true;
	if (x->temp <= 0 || delta > 40 * x->temp)
		return false;
	return rng_unit(&x->rng) < exp(-(double)delta / x->temp);
}

/* ---- construction ----------------------------------------------------------------------- */

struct order_key {
	int event;
	int pinned; /* 0 for pinned events: they go first, nothing may take their place */
	int periods;
	int degree;
	int tie;
};

static int cmp_key(const void *a, const void *b)
{
	const struct order_key *x = a, *y = b;
	if (x->pinned != y->pinned)
		return x->pinned < y->pinned ? -1 : 1;
	if (x->periods != y->periods)
		return x->periods < y->periods ? -1 : 1;
	if (x->degree != y->degree)
		return x->degree > y->degree ? -1 : 1;
	return x->tie < y->tie ? -1 : x->tie > y->tie;
}

/* A free allowed room for e in period q, trying `prefer` first, else from a random offset. */
static int free_room(struct search *x, int e, int q, int prefer)
{
	const struct tt_model *m = x->m;
	if (m->ev_noroom[e])
		return -1;
	if (prefer >= 0 && m->ev_room_ok[(size_t)e * m->R + prefer] &&
	    x->st.room_occ[q * m->R + prefer] < 0)
		return prefer;
	int lo = m->ev_rooms_off[e], n = m->ev_rooms_off[e + 1] - lo;
	if (n == 0)
		return -2;
	int start = rng_below(&x->rng, n);
	for (int i = 0; i < n; i++) {
		int r = m->ev_rooms[lo + (start + i) % n];
		if (x->st.room_occ[q * m->R + r] < 0)
			return r;
	}
	return -2;
}

/* Place all members of link set k in period q (each in a free room); false if impossible,
 * in which case nothing is placed. */
static bool place_link(struct search *x, int k, int q)
{
	const struct tt_model *m = x->m;
	int lo = m->link_off[k], hi = m->link_off[k + 1];
	for (int i = lo; i < hi; i++)
		if (!m->ev_period_ok[(size_t)m->link_members[i] * m->P + q])
			return false;
	for (int i = lo; i < hi; i++) {
		int e = m->link_members[i];
		int r = free_room(x, e, q, x->saved_r[e]);
		if (r == -2) {
			for (int j = lo; j < i; j++)
				tt_state_unplace(&x->st, m->link_members[j]);
			return false;
		}
		tt_state_place(&x->st, e, q, r);
	}
	return true;
}

static void construct(struct search *x)
{
	const struct tt_model *m = x->m;
	int E = m->E;
	struct order_key *keys = xmalloc((size_t)(E ? E : 1) * sizeof *keys);
	for (int e = 0; e < E; e++) {
		int c = m->ev_course[e];
		keys[e] = (struct order_key){
			.event = e,
			.pinned = m->ev_pin_period[e] >= 0 ? 0 : 1,
			.periods = m->ev_periods_off[e + 1] - m->ev_periods_off[e],
			.degree = (m->c_teach_off[c + 1] - m->c_teach_off[c]) * 4 +
				  (m->c_group_off[c + 1] - m->c_group_off[c]),
			.tie = rng_below(&x->rng, 1 << 30),
		};
		x->saved_r[e] = -1;
	}
	qsort(keys, (size_t)E, sizeof *keys, cmp_key);
	for (int i = 0; i < E; i++) {
		int e = keys[i].event;
		if (x->st.period[e] >= 0)
			continue;
		int k = m->ev_link[e];
		long best = -1;
		int best_q = -1, best_r = -1, ties = 0;
		for (int j = m->ev_periods_off[e]; j < m->ev_periods_off[e + 1]; j++) {
			int q = m->ev_periods[j];
			if (k >= 0) {
				long before = tt_state_cost(&x->st, x->hw);
				if (!place_link(x, k, q))
					continue;
				long cost = tt_state_cost(&x->st, x->hw) - before;
				for (int a = m->link_off[k]; a < m->link_off[k + 1]; a++)
					tt_state_unplace(&x->st, m->link_members[a]);
				if (best < 0 || cost < best) {
					best = cost;
					best_q = q;
				}
				continue;
			}
			int lo = m->ev_rooms_off[e], hi = m->ev_rooms_off[e + 1];
			for (int a = m->ev_noroom[e] ? -1 : lo; a < hi; a++) {
				int r = a < 0 ? -1 : m->ev_rooms[a];
				if (r >= 0 && x->st.room_occ[q * m->R + r] >= 0)
					continue;
				long before = tt_state_cost(&x->st, x->hw);
				tt_state_place(&x->st, e, q, r);
				long cost = tt_state_cost(&x->st, x->hw) - before;
				tt_state_unplace(&x->st, e);
				if (best < 0 || cost < best) {
					best = cost;
					best_q = q;
					best_r = r;
					ties = 1;
				} else if (cost == best && rng_below(&x->rng, ++ties) == 0) {
					best_q = q;
					best_r = r;
				}
				if (a < 0)
					break;
			}
		}
		if (best_q < 0)
			continue; /* stays unplaced: the annealer will try to make room */
		if (k >= 0)
			place_link(x, k, best_q);
		else
			tt_state_place(&x->st, e, best_q, best_r);
	}
	free(keys);
}

/* ---- moves ------------------------------------------------------------------------------ */

/* MOVE/SWAP of event e. */
static void move_swap(struct search *x, int e)
{
	const struct tt_model *m = x->m;
	struct tt_state *st = &x->st;
	int P = m->P, R = m->R;
	int p1 = st->period[e], r1 = st->room[e];
	int lo = m->ev_periods_off[e], np = m->ev_periods_off[e + 1] - lo;
	int p2 = m->ev_periods[lo + rng_below(&x->rng, np)];
	int r2 = -1;
	if (!m->ev_noroom[e]) {
		if (r1 >= 0 && rng_below(&x->rng, 100) < x->keep_room)
			r2 = r1;
		else {
			int rl = m->ev_rooms_off[e], nr = m->ev_rooms_off[e + 1] - rl;
			r2 = m->ev_rooms[rl + rng_below(&x->rng, nr)];
		}
	}
	if (p2 == p1 && r2 == r1)
		return;
	int e2 = r2 >= 0 ? st->room_occ[p2 * R + r2] : -1;
	if (e2 >= 0) {
		if (m->ev_course[e2] == m->ev_course[e] && p1 >= 0)
			return; /* two lectures of one course trading places changes nothing */
		if (m->ev_link[e2] >= 0)
			return; /* linked events move only together */
		if (p1 < 0 && m->ev_pin_period[e2] >= 0)
			return; /* an unplaced event never pushes a pinned one out */
		if (p1 >= 0 &&
		    (!m->ev_period_ok[(size_t)e2 * P + p1] || !m->ev_room_ok[(size_t)e2 * R + r1]))
			return;
	}
	long dh, ds;
	if (tt_state_delta(st, e, p2, r2, e2, &dh, &ds)) {
		/* the fast path: price first, apply only what is accepted */
		long delta = dh * x->hw + ds;
		if (!accept(x, delta))
			return;
		tt_state_unplace(st, e);
		if (e2 >= 0)
			tt_state_unplace(st, e2);
		tt_state_place(st, e, p2, r2);
		if (e2 >= 0)
			tt_state_place(st, e2, p1, r1);
		if (delta < 0)
			maybe_best(x);
		return;
	}
	long before = tt_state_cost(st, x->hw);
	tt_state_unplace(st, e);
	if (e2 >= 0)
		tt_state_unplace(st, e2);
	tt_state_place(st, e, p2, r2);
	if (e2 >= 0 && p1 >= 0)
		tt_state_place(st, e2, p1, r1);
	long delta = tt_state_cost(st, x->hw) - before;
	if (accept(x, delta)) {
		if (delta < 0)
			maybe_best(x);
		return;
	}
	tt_state_unplace(st, e);
	if (e2 >= 0)
		tt_state_unplace(st, e2);
	if (p1 >= 0)
		tt_state_place(st, e, p1, r1);
	if (e2 >= 0)
		tt_state_place(st, e2, p2, r2);
}

/* KEMPE: swap periods p1 (e's) and p2 (random) for the chain of events reachable from e by
 * conflicts (a shared teacher, group or course) between the two periods. Each chain event
 * keeps its room when free in its new period, else takes a free allowed room; the move is
 * dropped when a chain event may not go to its new period or finds no room. */
static void move_kempe(struct search *x, int e)
{
	const struct tt_model *m = x->m;
	struct tt_state *st = &x->st;
	const int P = m->P, R = m->R, C = m->C;
	int p1 = st->period[e];
	if (p1 < 0 || m->ev_link[e] >= 0)
		return;
	int lo = m->ev_periods_off[e], np = m->ev_periods_off[e + 1] - lo;
	int p2 = m->ev_periods[lo + rng_below(&x->rng, np)];
	if (p2 == p1)
		return;
	int gen = ++x->mark_gen;
	int n = 0;
	x->chain[n++] = e;
	x->mark[e] = gen;
	for (int i = 0; i < n; i++) {
		int a = x->chain[i];
		int to = st->period[a] == p1 ? p2 : p1;
		if (!m->ev_period_ok[(size_t)a * P + to] || m->ev_link[a] >= 0)
			return;
		const uint8_t *conf = m->c_conflict + (size_t)m->ev_course[a] * C;
		const int *occ = st->room_occ + to * R;
		for (int r = 0; r < R; r++) {
			int b = occ[r];
			if (b < 0 || x->mark[b] == gen || !conf[m->ev_course[b]])
				continue;
			if (n == KEMPE_MAX_CHAIN)
				return;
			x->mark[b] = gen;
			x->chain[n++] = b;
		}
	}
	long before = tt_state_cost(st, x->hw);
	for (int i = 0; i < n; i++) {
		int a = x->chain[i];
		x->saved_p[a] = st->period[a];
		x->saved_r[a] = st->room[a];
		tt_state_unplace(st, a);
	}
	bool ok = true;
	for (int pass = 0; pass < 2 && ok; pass++)
		for (int i = 0; i < n; i++) {
			int a = x->chain[i];
			if (st->period[a] >= 0)
				continue;
			int to = x->saved_p[a] == p1 ? p2 : p1, r = x->saved_r[a];
			if (pass == 0) {
				/* first pass: events whose own room is free in the new period */
				if (st->room_occ[to * R + r] < 0)
					tt_state_place(st, a, to, r);
				continue;
			}
			r = free_room(x, a, to, -1);
			if (r == -2) {
				ok = false;
				break;
			}
			tt_state_place(st, a, to, r);
		}
	if (ok) {
		long delta = tt_state_cost(st, x->hw) - before;
		if (accept(x, delta)) {
			if (delta < 0)
				maybe_best(x);
			return;
		}
	}
	for (int i = 0; i < n; i++)
		tt_state_unplace(st, x->chain[i]);
	for (int i = 0; i < n; i++) {
		int a = x->chain[i];
		tt_state_place(st, a, x->saved_p[a], x->saved_r[a]);
	}
}

/* LINK move: the link set of e goes to a random period allowed for e. */
static void move_link(struct search *x, int e)
{
	const struct tt_model *m = x->m;
	struct tt_state *st = &x->st;
	int k = m->ev_link[e];
	int lo = m->ev_periods_off[e], np = m->ev_periods_off[e + 1] - lo;
	int q = m->ev_periods[lo + rng_below(&x->rng, np)];
	int a = m->link_off[k], b = m->link_off[k + 1];
	for (int i = a; i < b; i++)
		if (m->ev_pin_period[m->link_members[i]] >= 0)
			return;
	long before = tt_state_cost(st, x->hw);
	for (int i = a; i < b; i++) {
		int ev = m->link_members[i];
		x->saved_p[ev] = st->period[ev];
		x->saved_r[ev] = st->room[ev];
		tt_state_unplace(st, ev);
	}
	if (place_link(x, k, q)) {
		long delta = tt_state_cost(st, x->hw) - before;
		if (accept(x, delta)) {
			if (delta < 0)
				maybe_best(x);
			return;
		}
		for (int i = a; i < b; i++)
			tt_state_unplace(st, m->link_members[i]);
	}
	for (int i = a; i < b; i++) {
		int ev = m->link_members[i];
		if (x->saved_p[ev] >= 0)
			tt_state_place(st, ev, x->saved_p[ev], x->saved_r[ev]);
	}
}

/* ---- the annealer ----------------------------------------------------------------------- */

static void search_init(struct search *x, const struct tt_model *m, const struct tt_options *opt)
{
	memset(x, 0, sizeof *x);
	x->m = m;
	tt_state_init(&x->st, m);
	rng_seed(&x->rng, opt->seed);
	x->hw = opt->hard_weight > 0 ? opt->hard_weight : DEFAULT_HARD_WEIGHT;
	x->keep_room = opt->keep_room_percent > 0   ? opt->keep_room_percent
		       : opt->keep_room_percent < 0 ? 0
						    : KEEP_ROOM_PERCENT;
	x->kempe = opt->kempe_permille > 0   ? opt->kempe_permille
		   : opt->kempe_permille < 0 ? 0
					     : KEMPE_PERMILLE;
	/* Kempe chains need the conflict matrix and every event in a room */
	if (!m->c_conflict || m->has_noroom)
		x->kempe = 0;
	int E = m->E;
	size_t n = (size_t)(E ? E : 1);
	x->movable = xmalloc(n * sizeof(int));
	x->best_period = xmalloc(n * sizeof(int));
	x->best_room = xmalloc(n * sizeof(int));
	x->chain = xmalloc(n * sizeof(int));
	x->mark = xcalloc(n, sizeof(int));
	x->saved_p = xmalloc(n * sizeof(int));
	x->saved_r = xmalloc(n * sizeof(int));
	for (int e = 0; e < E; e++) {
		int np = m->ev_periods_off[e + 1] - m->ev_periods_off[e];
		int nr = m->ev_rooms_off[e + 1] - m->ev_rooms_off[e];
		if (np == 0 || (!m->ev_noroom[e] && nr == 0))
			continue; /* cannot be placed at all (the precheck reports it) */
		if (np > 1 || nr > 1 || m->ev_link[e] >= 0)
			x->movable[x->n_movable++] = e;
	}
}

static void search_release(struct search *x)
{
	tt_state_release(&x->st);
	free(x->movable);
	free(x->best_period);
	free(x->best_room);
	free(x->chain);
	free(x->mark);
	free(x->saved_p);
	free(x->saved_r);
}

static void anneal(struct search *x, const struct tt_options *opt, long start_ms)
{
	double t0 = opt->t_start > 0 ? opt->t_start : DEFAULT_T_START;
	double t1 = opt->t_end > 0 ? opt->t_end : DEFAULT_T_END;
	long max_it = opt->max_iterations;
	long limit = opt->time_limit_ms;
	if (max_it <= 0 && limit <= 0)
		max_it = DEFAULT_ITERATIONS;
	bool by_iterations = max_it > 0;
	double log_ratio = log(t1 / t0);
	long last_report = start_ms;
	x->temp = t0;
	if (x->n_movable == 0)
		return;
	for (;;) {
		if ((x->iterations & (CHECK_EVERY - 1)) == 0) {
			long now = now_ms();
			double frac = by_iterations ? (double)x->iterations / (double)max_it
						    : (double)(now - start_ms) / (double)limit;
			if (by_iterations && limit > 0 && now - start_ms >= limit)
				break;
			if (frac >= 1.0)
				break;
			if (opt->cancel && atomic_load(opt->cancel))
				break;
			x->temp = t0 * exp(log_ratio * frac);
			if (opt->progress && now - last_report >= 50) {
				last_report = now;
				opt->progress(opt->progress_ctx, frac, x->best_hard, x->best_soft);
			}
		}
		x->iterations++;
		int e = x->movable[rng_below(&x->rng, x->n_movable)];
		if (x->m->ev_link[e] >= 0)
			move_link(x, e);
		else if (x->kempe && rng_below(&x->rng, 1000) < x->kempe)
			move_kempe(x, e);
		else
			move_swap(x, e);
	}
}

px_err tt_solve(const struct tt_problem *p, const struct tt_options *opt, struct tt_solution *out,
		struct tt_report *report)
{
	memset(report, 0, sizeof *report);
	tt_solution_init(out, p);
	if (p->err)
		return PX_ERR_INVALID;
	long start = now_ms();
	px_err rc = tt_precheck(p, report);
	if (rc) {
		report->prechecked_infeasible = true;
		tt_evaluate(p, out, &report->cost);
		goto out;
	}
	struct tt_model m;
	tt_model_build(&m, p);
	struct search x;
	search_init(&x, &m, opt);
	construct(&x);
	save_best(&x);
	anneal(&x, opt, start);
	memcpy(out->period, x.best_period, (size_t)m.E * sizeof(int));
	memcpy(out->room, x.best_room, (size_t)m.E * sizeof(int));
	report->iterations = x.iterations;
	search_release(&x);
	tt_model_release(&m);

	tt_evaluate(p, out, &report->cost);
	report->feasible = report->cost.hard_total == 0;
	if (!report->feasible) {
		tt_explain_solution(p, out, report);
		rc = PX_ERR_INFEASIBLE;
	}
	if (opt->progress)
		opt->progress(opt->progress_ctx, 1.0, report->cost.hard_total,
			      report->cost.soft_total);
out:
	report->elapsed_ms = now_ms() - start;
	return rc;
}
