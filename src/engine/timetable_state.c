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
	st->g_occ = xcalloc(G * D + 1, sizeof(uint64_t));
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
	free(st->g_occ);
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

/* Isolated events among the slots of `window` in one group-day: occ has a bit per occupied
 * slot, cnt the events per slot (more than one only while clashing). A slot is isolated when
 * occupied and both neighbours are empty (slots outside the day count as empty). */
static inline int isolated(uint64_t occ, const int *cnt, uint64_t window)
{
	uint64_t iso = occ & ~(occ << 1) & ~(occ >> 1) & window;
	int n = 0;
	while (iso) {
		n += cnt[__builtin_ctzll(iso)];
		iso &= iso - 1;
	}
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
	const uint64_t window = (7ull << s) >> 1; /* slots s-1, s, s+1 */
	for (int i = m->c_group_off[c]; i < m->c_group_off[c + 1]; i++) {
		int g = m->c_group[i];
		int *cnt = &st->g_cnt[g * P + d * S];
		uint64_t *occ = &st->g_occ[g * D + d];
		int before = isolated(*occ, cnt, window);
		if (dir > 0 ? cnt[s]++ >= 1 : --cnt[s] >= 1)
			hard++;
		else
			*occ ^= 1ull << s; /* the slot went from empty to used or back */
		int after = isolated(*occ, cnt, window);
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

/* ---- pure delta of a MOVE or SWAP -------------------------------------------------------- */

static inline bool in_list(const int *v, int lo, int hi, int x)
{
	for (int i = lo; i < hi; i++)
		if (v[i] == x)
			return true;
	return false;
}

/* Change of max(0, x) … as used by the day and room counters. */
static inline int pos(int x)
{
	return x > 0 ? x : 0;
}

/* Days a course or teacher covers after moving one event from day d1 to day d2. */
static inline int days_after(const int *day_cnt, int ndays, int d1, int d2)
{
	if (d1 == d2)
		return ndays;
	return ndays - (day_cnt[d1] == 1) + (day_cnt[d2] == 0);
}

/* Soft and hard change for one group when one of its events moves q1 → q2 (q1 ≠ q2). The
 * counters are touched and restored; the state is unchanged on return. */
static inline void group_delta(struct tt_state *st, int g, int q1, int q2, long *hard, long *soft)
{
	const struct tt_model *m = st->m;
	const int S = m->S, P = m->P, D = m->D;
	int d1 = q1 / S, s1 = q1 - d1 * S, d2 = q2 / S, s2 = q2 - d2 * S;
	int *cnt = &st->g_cnt[g * P];
	*hard += (cnt[q2] >= 1) - (cnt[q1] >= 2);
	const uint64_t w1 = (7ull << s1) >> 1, w2 = (7ull << s2) >> 1;
	uint64_t *occ = &st->g_occ[g * D];
	int *c1 = cnt + d1 * S, *c2 = cnt + d2 * S;
	if (d1 == d2) {
		uint64_t o = occ[d1], w = w1 | w2;
		int before = isolated(o, c1, w);
		if (c1[s1] == 1)
			o &= ~(1ull << s1);
		if (c1[s2] == 0)
			o |= 1ull << s2;
		c1[s1]--;
		c1[s2]++;
		int after = isolated(o, c1, w);
		c1[s1]++;
		c1[s2]--;
		*soft += (long)st->w_cmp * (after - before);
		return;
	}
	uint64_t o1 = occ[d1], o2 = occ[d2];
	int before = isolated(o1, c1, w1) + isolated(o2, c2, w2);
	uint64_t n1 = c1[s1] == 1 ? o1 & ~(1ull << s1) : o1;
	uint64_t n2 = o2 | (1ull << s2);
	c1[s1]--;
	c2[s2]++;
	int after = isolated(n1, c1, w1) + isolated(n2, c2, w2);
	c1[s1]++;
	c2[s2]--;
	*soft += (long)st->w_cmp * (after - before);
}

/* Soft cost of event e at (q, r) that depends only on itself: capacity, preference, moved. */
static inline long own_cost(const struct tt_state *st, int e, int q, int r)
{
	const struct tt_model *m = st->m;
	long c = r >= 0 ? st->cap_pen[m->ev_course[e] * m->R + r] : 0;
	if (st->w_pref)
		c += (long)st->w_pref * m->ev_pref[(size_t)e * m->P + q];
	if (m->ev_prev_period[e] >= 0) {
		if (q != m->ev_prev_period[e])
			c += st->w_moved;
		else if (r != m->ev_prev_room[e])
			c += st->w_moved_room;
	}
	return c;
}

/* Course-level change when one event of course c moves (q1, r1) → (q2, r2). */
static inline void course_delta(struct tt_state *st, int c, int q1, int r1, int q2, int r2,
				long *hard, long *soft)
{
	const struct tt_model *m = st->m;
	const int S = m->S, P = m->P, D = m->D, R = m->R;
	if (q1 != q2) {
		*hard += (st->c_cnt[c * P + q2] >= 1) - (st->c_cnt[c * P + q1] >= 2);
		int nd = st->c_ndays[c], md = m->c_min_days[c];
		int nd2 = days_after(st->c_day + c * D, nd, q1 / S, q2 / S);
		*soft += (long)st->w_mwd * (pos(md - nd2) - pos(md - nd));
	}
	if (r1 != r2 && r1 >= 0 && r2 >= 0) {
		const int *cr = st->c_room + c * R;
		int n = st->c_nrooms[c];
		int n2 = n - (cr[r1] == 1) + (cr[r2] == 0);
		*soft += (long)st->w_stab * (n2 - n);
	}
}

/* Teachers and groups of course a moving q1 → q2, except those course b (or -1) moves back. */
static inline void resources_delta(struct tt_state *st, int a, int b, int q1, int q2, long *hard,
				   long *soft)
{
	const struct tt_model *m = st->m;
	const int S = m->S, P = m->P, D = m->D;
	for (int i = m->c_teach_off[a]; i < m->c_teach_off[a + 1]; i++) {
		int t = m->c_teach[i];
		if (b >= 0 && in_list(m->c_teach, m->c_teach_off[b], m->c_teach_off[b + 1], t))
			continue;
		*hard += (st->t_cnt[t * P + q2] >= 1) - (st->t_cnt[t * P + q1] >= 2);
		if (st->w_tdays) {
			int nd = st->t_ndays[t], tm = m->t_min_days[t];
			int nd2 = days_after(st->t_day + t * D, nd, q1 / S, q2 / S);
			*soft += (long)st->w_tdays * (pos(nd2 - tm) - pos(nd - tm));
		}
	}
	for (int i = m->c_group_off[a]; i < m->c_group_off[a + 1]; i++) {
		int g = m->c_group[i];
		if (b >= 0 && in_list(m->c_group, m->c_group_off[b], m->c_group_off[b + 1], g))
			continue;
		group_delta(st, g, q1, q2, hard, soft);
	}
}

bool tt_state_delta(struct tt_state *st, int e, int q2, int r2, int e2, long *hard, long *soft)
{
	const struct tt_model *m = st->m;
	int q1 = st->period[e], r1 = st->room[e];
	if (q1 < 0 || m->has_order || m->ev_link[e] >= 0)
		return false;
	int c = m->ev_course[e], c2 = e2 >= 0 ? m->ev_course[e2] : -1;
	if (e2 >= 0 && (c2 == c || m->ev_link[e2] >= 0))
		return false;
	*hard = 0;
	*soft = own_cost(st, e, q2, r2) - own_cost(st, e, q1, r1);
	course_delta(st, c, q1, r1, q2, r2, hard, soft);
	if (e2 >= 0) {
		*soft += own_cost(st, e2, q1, r1) - own_cost(st, e2, q2, r2);
		course_delta(st, c2, q2, r2, q1, r1, hard, soft);
	}
	if (q1 != q2) {
		resources_delta(st, c, c2, q1, q2, hard, soft);
		if (e2 >= 0)
			resources_delta(st, c2, c, q2, q1, hard, soft);
	}
	return true;
}
