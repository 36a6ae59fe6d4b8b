/*
 * timetable_state.c — incremental cost bookkeeping for the search (see timetable_state.h).
 *
 * Each place/unplace touches only what the event affects: its room cell, its course's period,
 * day and room counters, its teachers' period (and day) counters, and for each of its groups
 * the three slots around it on that day (compactness is local: an event is isolated when the
 * slots just before and after hold nothing of its group). Orders and links look at the
 * event's partners only. The cost of a move is the cost after minus the cost before; a
 * rejected move is undone by the inverse calls.
 */
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "engine/timetable_state.h"

static int *ints(size_t n)
{
	return xcalloc(n ? n : 1, sizeof(int));
}

void tt_state_init(struct tt_state *st, const struct tt_model *m)
{
	memset(st, 0, sizeof *st);
	st->m = m;
	size_t E = m->E, P = m->P, R = m->R, T = m->T, G = m->G, C = m->C, D = m->D;
	st->period = ints(E);
	st->room = ints(E);
	for (size_t e = 0; e < E; e++)
		st->period[e] = st->room[e] = -1;
	st->room_occ = ints(P * R);
	for (size_t i = 0; i < P * R; i++)
		st->room_occ[i] = -1;
	st->t_cnt = ints(T * P);
	st->g_cnt = ints(G * P);
	st->c_cnt = ints(C * P);
	st->c_day = ints(C * D);
	st->c_ndays = ints(C);
	st->c_room = ints(C * R);
	st->c_nrooms = ints(C);
	st->t_day = ints(T * D);
	st->t_ndays = ints(T);
	st->cap_pen = ints(C * R);
	for (size_t i = 0; i < C * R; i++)
		st->cap_pen[i] = m->c_cap_pen[i] * m->w.w[TT_SOFT_ROOM_CAPACITY];
	st->w_mwd = m->w.w[TT_SOFT_MIN_DAYS];
	st->w_cmp = m->w.w[TT_SOFT_COMPACTNESS];
	st->w_stab = m->w.w[TT_SOFT_ROOM_STABILITY];
	st->w_pref = m->ev_pref ? m->w.w[TT_SOFT_PREFERENCE] : 0;
	st->w_tdays = m->w.w[TT_SOFT_TEACHER_DAYS];
	st->w_moved = m->w.w[TT_SOFT_MOVED];
	st->w_moved_room = m->w.w[TT_SOFT_MOVED_ROOM];
	st->hard = E; /* every event starts unplaced */
	/* every course starts below its minimum working days */
	for (size_t c = 0; c < C; c++)
		st->soft += (long)st->w_mwd * m->c_min_days[c];
}

void tt_state_release(struct tt_state *st)
{
	free(st->period);
	free(st->room);
	free(st->room_occ);
	free(st->t_cnt);
	free(st->g_cnt);
	free(st->c_cnt);
	free(st->c_day);
	free(st->c_ndays);
	free(st->c_room);
	free(st->c_nrooms);
	free(st->t_day);
	free(st->t_ndays);
	free(st->cap_pen);
	memset(st, 0, sizeof *st);
}

/* Isolated events among slots s-1..s+1 of one group-day (cnt points at slot 0 of the day). */
static inline int isolated3(const int *cnt, int s, int S)
{
	int lo = s > 0 ? s - 1 : 0, hi = s + 1 < S ? s + 1 : S - 1, n = 0;
	for (int x = lo; x <= hi; x++)
		if (cnt[x] && (x == 0 || !cnt[x - 1]) && (x == S - 1 || !cnt[x + 1]))
			n += cnt[x];
	return n;
}

/* Distinct periods beyond the first among the placed members of link set k. */
static int link_cost(const struct tt_state *st, int k)
{
	const struct tt_model *m = st->m;
	int distinct = 0;
	for (int i = m->link_off[k]; i < m->link_off[k + 1]; i++) {
		int q = st->period[m->link_members[i]];
		if (q < 0)
			continue;
		bool seen = false;
		for (int j = m->link_off[k]; j < i && !seen; j++)
			seen = st->period[m->link_members[j]] == q;
		distinct += !seen;
	}
	return distinct > 1 ? distinct - 1 : 0;
}

/* Broken orders between e (at period q) and its partners; e itself must be unplaced. */
static int order_cost(const struct tt_state *st, int e, int q)
{
	const struct tt_model *m = st->m;
	int n = 0;
	for (int i = m->ord_after_off[e]; i < m->ord_after_off[e + 1]; i++) {
		int b = st->period[m->ord_after[i]];
		n += b >= 0 && q >= b;
	}
	for (int i = m->ord_before_off[e]; i < m->ord_before_off[e + 1]; i++) {
		int a = st->period[m->ord_before[i]];
		n += a >= 0 && a >= q;
	}
	return n;
}

/* Shared by place (dir = +1) and unplace (dir = -1): every counter moves by dir. */
static inline void update(struct tt_state *st, int e, int q, int r, int dir)
{
	const struct tt_model *m = st->m;
	const int c = m->ev_course[e], P = m->P, D = m->D, S = m->S, R = m->R;
	const int d = q / S, s = q - d * S;
	long hard = 0, soft = 0;

	if (r >= 0) {
		st->room_occ[q * R + r] = dir > 0 ? e : -1;
		soft += st->cap_pen[c * R + r];
		int *cr = &st->c_room[c * R + r];
		if (dir > 0) {
			if ((*cr)++ == 0 && st->c_nrooms[c]++ >= 1)
				soft += st->w_stab;
		} else {
			if (--(*cr) == 0 && --st->c_nrooms[c] >= 1)
				soft += st->w_stab;
		}
	}
	/* a course meeting twice in a period */
	int *cc = &st->c_cnt[c * P + q];
	if (dir > 0 ? (*cc)++ >= 1 : --(*cc) >= 1)
		hard++;
	int *cd = &st->c_day[c * D + d];
	if (dir > 0 ? (*cd)++ == 0 : --(*cd) == 0) {
		/* the course gains or loses a working day */
		/* placing: penalty falls when below the minimum; unplacing: the cost removed is
		 * negative when the course drops below it */
		if (dir > 0) {
			if (st->c_ndays[c]++ < m->c_min_days[c])
				soft -= st->w_mwd;
		} else {
			if (--st->c_ndays[c] < m->c_min_days[c])
				soft -= st->w_mwd;
		}
	}
	for (int i = m->c_teach_off[c]; i < m->c_teach_off[c + 1]; i++) {
		int t = m->c_teach[i];
		int *tc = &st->t_cnt[t * P + q];
		if (dir > 0 ? (*tc)++ >= 1 : --(*tc) >= 1)
			hard++;
		if (st->w_tdays) {
			int *td = &st->t_day[t * D + d];
			if (dir > 0 ? (*td)++ == 0 : --(*td) == 0) {
				if (dir > 0) {
					if (++st->t_ndays[t] > m->t_min_days[t])
						soft += st->w_tdays;
				} else {
					if (st->t_ndays[t]-- > m->t_min_days[t])
						soft += st->w_tdays;
				}
			}
		}
	}
	for (int i = m->c_group_off[c]; i < m->c_group_off[c + 1]; i++) {
		int *cnt = &st->g_cnt[m->c_group[i] * P + d * S];
		int before = isolated3(cnt, s, S);
		if (dir > 0 ? cnt[s]++ >= 1 : --cnt[s] >= 1)
			hard++;
		int after = isolated3(cnt, s, S);
		/* soft is accumulated as "cost added by placing"; for unplace the sign flips below
		 */
		soft += (long)st->w_cmp * (dir > 0 ? after - before : before - after);
	}
	if (st->w_pref)
		soft += (long)st->w_pref * m->ev_pref[(size_t)e * P + q];
	if (m->ev_prev_period[e] >= 0) {
		if (q != m->ev_prev_period[e])
			soft += st->w_moved;
		else if (r != m->ev_prev_room[e])
			soft += st->w_moved_room;
	}
	st->hard += dir * hard;
	st->soft += dir * soft;
}

void tt_state_place(struct tt_state *st, int e, int q, int r)
{
	const struct tt_model *m = st->m;
	int k = m->ev_link[e];
	long link_before = k >= 0 ? link_cost(st, k) : 0;
	if (m->has_order)
		st->hard += order_cost(st, e, q);
	st->period[e] = q;
	st->room[e] = r;
	update(st, e, q, r, +1);
	st->hard -= 1; /* no longer unplaced */
	if (k >= 0)
		st->hard += link_cost(st, k) - link_before;
}

void tt_state_unplace(struct tt_state *st, int e)
{
	const struct tt_model *m = st->m;
	int q = st->period[e], r = st->room[e];
	if (q < 0)
		return;
	int k = m->ev_link[e];
	long link_before = k >= 0 ? link_cost(st, k) : 0;
	update(st, e, q, r, -1);
	st->period[e] = -1;
	st->room[e] = -1;
	st->hard += 1;
	if (m->has_order)
		st->hard -= order_cost(st, e, q);
	if (k >= 0)
		st->hard += link_cost(st, k) - link_before;
}
