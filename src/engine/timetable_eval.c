/*
 * timetable_eval.c — the full cost evaluator: every constraint family recomputed from scratch.
 *
 * This is deliberately the slow, obvious version: tables of counts built from the solution,
 * then one loop per family. The search keeps its own incremental counters
 * (timetable_search.c); tests compare the two after random moves, and the ITC validator
 * (itc2007_validate.c) is a third, independent reading of the competition's rules.
 */
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "engine/timetable_int.h"

static void count_clashes(long *cost, const int *cnt, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cnt[i] > 1)
			*cost += cnt[i] - 1;
}

px_err tt_evaluate(const struct tt_problem *p, const struct tt_solution *s, struct tt_cost *out)
{
	memset(out, 0, sizeof *out);
	if (p->err || s->n_events != p->n_events)
		return PX_ERR_INVALID;
	struct tt_model m;
	tt_model_build(&m, p);
	int E = m.E, C = m.C, T = m.T, G = m.G, R = m.R, P = m.P, D = m.D, S = m.S;
	int *room_cnt = xcalloc((size_t)R * P + 1, sizeof(int));
	int *teach_cnt = xcalloc((size_t)T * P + 1, sizeof(int));
	int *group_cnt = xcalloc((size_t)G * P + 1, sizeof(int));
	int *course_cnt = xcalloc((size_t)C * P + 1, sizeof(int));
	int *course_day = xcalloc((size_t)C * D + 1, sizeof(int));
	int *course_room = xcalloc((size_t)C * R + 1, sizeof(int));
	int *teach_day = xcalloc((size_t)T * D + 1, sizeof(int));

	for (int e = 0; e < E; e++) {
		int q = s->period[e], r = s->room[e], c = m.ev_course[e];
		if (q < 0 || q >= P) {
			out->hard[TT_HARD_UNPLACED]++;
			continue;
		}
		bool room_valid = r >= 0 && r < R;
		if (m.ev_noroom[e] ? r != -1 : !(room_valid && m.ev_room_ok[(size_t)e * R + r]))
			out->hard[TT_HARD_ROOM_NOT_ALLOWED]++;
		if (!m.ev_period_ok[(size_t)e * P + q] && m.ev_pin_period[e] < 0)
			out->hard[TT_HARD_FORBIDDEN]++;
		else if (!m.ev_period_ok[(size_t)e * P + q]) {
			/* pinned elsewhere: is it also forbidden for another reason? */
			const struct tt_event_def *ed = &p->events[e];
			const struct tt_course_def *cd = &p->courses[c];
			bool forbidden = (cd->forbidden && cd->forbidden[q]) ||
					 (ed->forbidden && ed->forbidden[q]);
			for (int i = 0; i < cd->n_teachers; i++) {
				const uint8_t *u = p->teachers[cd->teachers[i]].unavailable;
				if (u && u[q])
					forbidden = true;
			}
			if (forbidden)
				out->hard[TT_HARD_FORBIDDEN]++;
		}
		if (m.ev_pin_period[e] >= 0 &&
		    (q != m.ev_pin_period[e] || (m.ev_pin_room[e] >= 0 && r != m.ev_pin_room[e])))
			out->hard[TT_HARD_PIN]++;
		int d = q / S;
		if (room_valid) {
			room_cnt[(size_t)q * R + r]++;
			course_room[(size_t)c * R + r]++;
			out->soft[TT_SOFT_ROOM_CAPACITY] += m.c_cap_pen[(size_t)c * R + r];
		}
		course_cnt[(size_t)c * P + q]++;
		course_day[(size_t)c * D + d]++;
		for (int i = m.c_teach_off[c]; i < m.c_teach_off[c + 1]; i++) {
			teach_cnt[(size_t)m.c_teach[i] * P + q]++;
			teach_day[(size_t)m.c_teach[i] * D + d]++;
		}
		for (int i = m.c_group_off[c]; i < m.c_group_off[c + 1]; i++)
			group_cnt[(size_t)m.c_group[i] * P + q]++;
		if (m.ev_pref)
			out->soft[TT_SOFT_PREFERENCE] += m.ev_pref[(size_t)e * P + q];
		if (m.ev_prev_period[e] >= 0) {
			if (q != m.ev_prev_period[e])
				out->soft[TT_SOFT_MOVED]++;
			else if (r != m.ev_prev_room[e])
				out->soft[TT_SOFT_MOVED_ROOM]++;
		}
	}
	count_clashes(&out->hard[TT_HARD_ROOM_CLASH], room_cnt, (size_t)R * P);
	count_clashes(&out->hard[TT_HARD_TEACHER_CLASH], teach_cnt, (size_t)T * P);
	count_clashes(&out->hard[TT_HARD_GROUP_CLASH], group_cnt, (size_t)G * P);
	count_clashes(&out->hard[TT_HARD_COURSE_CLASH], course_cnt, (size_t)C * P);

	/* order: each pair whose events are both placed and not strictly ordered */
	for (int i = 0; i < p->n_orders; i++) {
		int a = s->period[p->orders[i].a], b = s->period[p->orders[i].b];
		if (a >= 0 && a < P && b >= 0 && b < P && a >= b)
			out->hard[TT_HARD_ORDER]++;
	}
	/* links: per link set, distinct periods among placed members beyond the first */
	for (int k = 0; k < m.n_linksets; k++) {
		int distinct = 0;
		for (int i = m.link_off[k]; i < m.link_off[k + 1]; i++) {
			int q = s->period[m.link_members[i]];
			if (q < 0 || q >= P)
				continue;
			bool seen = false;
			for (int j = m.link_off[k]; j < i; j++)
				if (s->period[m.link_members[j]] == q)
					seen = true;
			distinct += !seen;
		}
		if (distinct > 1)
			out->hard[TT_HARD_LINK] += distinct - 1;
	}

	for (int c = 0; c < C; c++) {
		int days = 0, rooms = 0;
		for (int d = 0; d < D; d++)
			days += course_day[(size_t)c * D + d] > 0;
		for (int r = 0; r < R; r++)
			rooms += course_room[(size_t)c * R + r] > 0;
		if (days < m.c_min_days[c])
			out->soft[TT_SOFT_MIN_DAYS] += m.c_min_days[c] - days;
		if (rooms > 1)
			out->soft[TT_SOFT_ROOM_STABILITY] += rooms - 1;
	}
	/* compactness: an event of a group whose neighbouring slots that day hold none */
	for (int g = 0; g < G; g++)
		for (int d = 0; d < D; d++)
			for (int sl = 0; sl < S; sl++) {
				const int *cnt = group_cnt + (size_t)g * P + (size_t)d * S;
				if (!cnt[sl])
					continue;
				bool before = sl > 0 && cnt[sl - 1] > 0;
				bool after = sl + 1 < S && cnt[sl + 1] > 0;
				if (!before && !after)
					out->soft[TT_SOFT_COMPACTNESS] += cnt[sl];
			}
	for (int t = 0; t < T; t++) {
		int days = 0;
		for (int d = 0; d < D; d++)
			days += teach_day[(size_t)t * D + d] > 0;
		if (days > m.t_min_days[t])
			out->soft[TT_SOFT_TEACHER_DAYS] += days - m.t_min_days[t];
	}

	for (int h = 0; h < TT_HARD__COUNT; h++)
		out->hard_total += out->hard[h];
	for (int k = 0; k < TT_SOFT__COUNT; k++)
		out->soft_total += (long)m.w.w[k] * out->soft[k];

	free(room_cnt);
	free(teach_cnt);
	free(group_cnt);
	free(course_cnt);
	free(course_day);
	free(course_room);
	free(teach_day);
	tt_model_release(&m);
	return PX_OK;
}
