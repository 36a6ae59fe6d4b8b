/*
 * timetable_explain.c — why a timetable cannot be made, in words a class manager can act on.
 *
 * tt_precheck runs necessary conditions before any search: each event has an allowed period
 * and room; per teacher and per group, the events must fit in the periods their events may
 * use (a counting argument); per set of rooms, the events that can use only those rooms must
 * fit in them; pinned events must not clash; orders must not form a cycle or contradict pins;
 * linked events must be able to meet at once. Each failure becomes one issue naming the
 * teacher, group, rooms or events involved, in zh-CN and English.
 *
 * tt_explain_solution describes what is still broken in the best assignment a failed search
 * found (clashes with the period and the events, unplaced events, orders, links).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/mem.h"
#include "engine/timetable_int.h"

#define MAX_ISSUES 30

static void add(struct tt_report *r, enum tt_hard kind, char *zh, char *en)
{
	tt_report_add(r, kind, zh, en);
}

/* Period word of the problem ("时段"/"period" unless set). */
static const char *pword(const struct tt_problem *p, bool en)
{
	if (en)
		return p->period_word_en ? p->period_word_en : "periods";
	return p->period_word_zh ? p->period_word_zh : "时段";
}

static char *ev(const struct tt_problem *p, int e, bool en)
{
	return tt_event_label(p, e, en);
}

/* The events of teacher t (or group g when teacher < 0): count and union of allowed periods. */
static void resource_load(const struct tt_model *m, int teacher, int group, int *events,
			  int *periods, uint8_t *seen)
{
	memset(seen, 0, (size_t)m->P);
	*events = 0;
	*periods = 0;
	for (int c = 0; c < m->C; c++) {
		bool uses = false;
		if (teacher >= 0)
			for (int i = m->c_teach_off[c]; i < m->c_teach_off[c + 1]; i++)
				uses |= m->c_teach[i] == teacher;
		else
			for (int i = m->c_group_off[c]; i < m->c_group_off[c + 1]; i++)
				uses |= m->c_group[i] == group;
		if (!uses)
			continue;
		for (int k = m->c_events_off[c]; k < m->c_events_off[c + 1]; k++) {
			int e = m->c_events[k];
			(*events)++;
			for (int j = m->ev_periods_off[e]; j < m->ev_periods_off[e + 1]; j++) {
				int q = m->ev_periods[j];
				if (!seen[q]) {
					seen[q] = 1;
					(*periods)++;
				}
			}
		}
	}
}

static void check_events(const struct tt_model *m, struct tt_report *r)
{
	const struct tt_problem *p = m->p;
	for (int e = 0; e < m->E && r->n_issues < MAX_ISSUES; e++) {
		int np = m->ev_periods_off[e + 1] - m->ev_periods_off[e];
		int nr = m->ev_rooms_off[e + 1] - m->ev_rooms_off[e];
		char *zh = ev(p, e, false), *en = ev(p, e, true);
		if (np == 0) {
			const struct tt_event_def *ed = &p->events[e];
			if (ed->pin_period >= 0) {
				char *pz = tt_period_label(p, ed->pin_period, false);
				char *pe = tt_period_label(p, ed->pin_period, true);
				add(r, TT_HARD_PIN,
				    xasprintf("课次 %s 被固定在 "
					      "%s,但该时段不可用(课程禁排或专家不可用)",
					      zh, pz),
				    xasprintf("event %s is pinned to %s, which is forbidden for it "
					      "(course or expert unavailable)",
					      en, pe));
				free(pz);
				free(pe);
			} else {
				add(r, TT_HARD_FORBIDDEN,
				    xasprintf("课次 %s "
					      "没有任何可用%s(课程禁排与专家不可用覆盖了全部%s)",
					      zh, pword(p, false), pword(p, false)),
				    xasprintf("event %s has no allowed %s (course and expert "
					      "unavailability cover them all)",
					      en, pword(p, true)));
			}
		}
		if (!m->ev_noroom[e] && nr == 0) {
			const struct tt_event_def *ed = &p->events[e];
			int c = ed->course;
			if (ed->pin_room >= 0)
				add(r, TT_HARD_ROOM_NOT_ALLOWED,
				    xasprintf(
					    "课次 %s 被固定在教室 %s,但该教室类型或容量(%d 人)不符",
					    zh, p->rooms[ed->pin_room].name, m->c_students[c]),
				    xasprintf(
					    "event %s is pinned to room %s, whose kind or capacity "
					    "does not fit %d students",
					    en, p->rooms[ed->pin_room].name, m->c_students[c]));
			else
				add(r, TT_HARD_ROOM_NOT_ALLOWED,
				    xasprintf("课次 %s 需要能容纳 %d 人的%s教室,但没有这样的教室",
					      zh, m->c_students[c],
					      ed->room_kind >= 0 ? "指定类型" : ""),
				    xasprintf("event %s needs a room%s for %d students, and none "
					      "fits",
					      en, ed->room_kind >= 0 ? " of its kind" : "",
					      m->c_students[c]));
		}
		free(zh);
		free(en);
	}
}

static void check_counts(const struct tt_model *m, struct tt_report *r)
{
	const struct tt_problem *p = m->p;
	uint8_t *seen = xmalloc((size_t)m->P);
	for (int t = 0; t < m->T && r->n_issues < MAX_ISSUES; t++) {
		int n, a;
		resource_load(m, t, -1, &n, &a, seen);
		if (n > a)
			add(r, TT_HARD_TEACHER_CLASH,
			    xasprintf("专家 %s 只有 %d 个可用%s,却安排了 %d 场课程",
				      p->teachers[t].name, a, pword(p, false), n),
			    xasprintf("expert %s is available on %d %s but has %d sessions",
				      p->teachers[t].name, a, pword(p, true), n));
	}
	for (int g = 0; g < m->G && r->n_issues < MAX_ISSUES; g++) {
		int n, a;
		resource_load(m, -1, g, &n, &a, seen);
		if (n > a)
			add(r, TT_HARD_GROUP_CLASH,
			    xasprintf("班级 %s 有 %d 个课次,但只有 %d 个%s%s", p->groups[g].name, n,
				      a, a < m->P ? "可用" : "", pword(p, false)),
			    xasprintf("group %s has %d sessions but only %d usable %s",
				      p->groups[g].name, n, a, pword(p, true)));
	}
	free(seen);

	/* rooms: for each distinct allowed-room set S, the events confined to S must fit in
	 * |S| × periods */
	int R = m->R, E = m->E;
	int *done = xcalloc((size_t)(E ? E : 1), sizeof(int));
	for (int e = 0; e < E && r->n_issues < MAX_ISSUES; e++) {
		if (m->ev_noroom[e] || done[e])
			continue;
		const uint8_t *set = m->ev_room_ok + (size_t)e * R;
		int size = m->ev_rooms_off[e + 1] - m->ev_rooms_off[e];
		if (size == 0)
			continue;
		int n = 0;
		for (int f = 0; f < E; f++) {
			if (m->ev_noroom[f])
				continue;
			const uint8_t *fs = m->ev_room_ok + (size_t)f * R;
			bool subset = true, same = true;
			for (int k = 0; k < R; k++) {
				if (fs[k] && !set[k])
					subset = false;
				if (fs[k] != set[k])
					same = false;
			}
			if (same)
				done[f] = 1;
			n += subset && m->ev_rooms_off[f + 1] > m->ev_rooms_off[f];
		}
		long cap = (long)size * m->P;
		if (n > cap) {
			struct buf names = BUF_INIT(0);
			for (int k = 0, shown = 0; k < R; k++)
				if (set[k] && shown++ < 6)
					buf_printf(&names, "%s%s", shown > 1 ? ", " : "",
						   p->rooms[k].name);
			if (size > 6)
				buf_puts(&names, ", …");
			add(r, TT_HARD_ROOM_CLASH,
			    xasprintf(
				    "教室 %s 共 %d 间 × %d 个%s = %ld 个教室时段,却有 %d 个课次只能"
				    "安排在这些教室",
				    names.data, size, m->P, pword(p, false), cap, n),
			    xasprintf(
				    "rooms %s offer %d × %d %s = %ld room slots, but %d events can "
				    "only use them",
				    names.data, size, m->P, pword(p, true), cap, n));
			buf_release(&names);
		}
	}
	free(done);
}

/* Shared teacher or group of two courses (name of the first found), else NULL. */
static const char *shared_resource(const struct tt_model *m, int c1, int c2, bool *is_teacher)
{
	const struct tt_problem *p = m->p;
	for (int i = m->c_teach_off[c1]; i < m->c_teach_off[c1 + 1]; i++)
		for (int j = m->c_teach_off[c2]; j < m->c_teach_off[c2 + 1]; j++)
			if (m->c_teach[i] == m->c_teach[j]) {
				*is_teacher = true;
				return p->teachers[m->c_teach[i]].name;
			}
	for (int i = m->c_group_off[c1]; i < m->c_group_off[c1 + 1]; i++)
		for (int j = m->c_group_off[c2]; j < m->c_group_off[c2 + 1]; j++)
			if (m->c_group[i] == m->c_group[j]) {
				*is_teacher = false;
				return p->groups[m->c_group[i]].name;
			}
	return NULL;
}

/* Two events that must be at the same time (pins or a link): why they cannot. */
static void clash_pair(const struct tt_model *m, struct tt_report *r, int a, int b,
		       const char *why_zh, const char *why_en)
{
	const struct tt_problem *p = m->p;
	int ca = m->ev_course[a], cb = m->ev_course[b];
	bool teacher = false;
	const char *who = ca == cb ? p->courses[ca].name : shared_resource(m, ca, cb, &teacher);
	if (!who)
		return;
	char *za = ev(p, a, false), *zb = ev(p, b, false), *ea = ev(p, a, true),
	     *eb = ev(p, b, true);
	if (ca == cb)
		add(r, TT_HARD_COURSE_CLASH,
		    xasprintf("课次 %s 与 %s %s,但同属课程 %s", za, zb, why_zh, who),
		    xasprintf("events %s and %s %s but belong to the same course %s", ea, eb,
			      why_en, who));
	else
		add(r, teacher ? TT_HARD_TEACHER_CLASH : TT_HARD_GROUP_CLASH,
		    xasprintf("课次 %s 与 %s %s,却共用%s %s", za, zb, why_zh,
			      teacher ? "专家" : "班级", who),
		    xasprintf("events %s and %s %s but share the %s %s", ea, eb, why_en,
			      teacher ? "expert" : "group", who));
	free(za);
	free(zb);
	free(ea);
	free(eb);
}

static void check_pins_and_links(const struct tt_model *m, struct tt_report *r)
{
	const struct tt_problem *p = m->p;
	for (int a = 0; a < m->E && r->n_issues < MAX_ISSUES; a++) {
		int qa = m->ev_pin_period[a];
		if (qa < 0)
			continue;
		for (int b = a + 1; b < m->E && r->n_issues < MAX_ISSUES; b++) {
			if (m->ev_pin_period[b] != qa)
				continue;
			char *pz = tt_period_label(p, qa, false),
			     *pe = tt_period_label(p, qa, true);
			char *wz = xasprintf("都固定在 %s", pz),
			     *we = xasprintf("are both pinned to %s", pe);
			int ra = m->ev_pin_room[a], rb = m->ev_pin_room[b];
			if (ra >= 0 && ra == rb) {
				char *za = ev(p, a, false), *zb = ev(p, b, false);
				char *ea = ev(p, a, true), *eb = ev(p, b, true);
				add(r, TT_HARD_ROOM_CLASH,
				    xasprintf("课次 %s 与 %s %s 的同一教室 %s", za, zb, wz,
					      p->rooms[ra].name),
				    xasprintf("events %s and %s %s in the same room %s", ea, eb, we,
					      p->rooms[ra].name));
				free(za);
				free(zb);
				free(ea);
				free(eb);
			} else {
				clash_pair(m, r, a, b, wz, we);
			}
			free(pz);
			free(pe);
			free(wz);
			free(we);
		}
	}
	for (int k = 0; k < m->n_linksets && r->n_issues < MAX_ISSUES; k++) {
		int lo = m->link_off[k], hi = m->link_off[k + 1];
		for (int i = lo; i < hi; i++)
			for (int j = i + 1; j < hi; j++)
				clash_pair(m, r, m->link_members[i], m->link_members[j],
					   "须同时进行", "must run at the same time");
		bool any = false;
		for (int q = 0; q < m->P && !any; q++) {
			bool all = true;
			for (int i = lo; i < hi && all; i++)
				all = m->ev_period_ok[(size_t)m->link_members[i] * m->P + q];
			any = all;
		}
		if (!any) {
			char *za = ev(p, m->link_members[lo], false);
			char *ea = ev(p, m->link_members[lo], true);
			add(r, TT_HARD_LINK,
			    xasprintf("须同时进行的 %d 个课次(含 %s)没有一个共同可用的%s", hi - lo,
				      za, pword(p, false)),
			    xasprintf("the %d events that must run together (incl. %s) share no "
				      "allowed %s",
				      hi - lo, ea, pword(p, true)));
			free(za);
			free(ea);
		}
	}
}

/* Order: cycles (depth-first search) and pairs whose allowed periods cannot be ordered. */
static bool order_dfs(const struct tt_model *m, int e, int *state, int *stack, int *depth,
		      int *cycle_from)
{
	state[e] = 1;
	stack[(*depth)++] = e;
	for (int i = m->ord_after_off[e]; i < m->ord_after_off[e + 1]; i++) {
		int f = m->ord_after[i];
		if (state[f] == 1) {
			*cycle_from = f;
			return true;
		}
		if (state[f] == 0 && order_dfs(m, f, state, stack, depth, cycle_from))
			return true;
	}
	state[e] = 2;
	(*depth)--;
	return false;
}

static void check_order(const struct tt_model *m, struct tt_report *r)
{
	const struct tt_problem *p = m->p;
	if (!m->has_order)
		return;
	int *state = xcalloc((size_t)m->E, sizeof(int));
	int *stack = xmalloc((size_t)m->E * sizeof(int));
	for (int e = 0; e < m->E; e++) {
		int depth = 0, from = -1;
		if (state[e] || !order_dfs(m, e, state, stack, &depth, &from))
			continue;
		struct buf zh = BUF_INIT(0), en = BUF_INIT(0);
		int start = 0;
		while (stack[start] != from)
			start++;
		for (int i = start; i <= depth; i++) {
			int x = i < depth ? stack[i] : from;
			char *z = ev(p, x, false), *n = ev(p, x, true);
			buf_printf(&zh, "%s%s", i > start ? " → " : "", z);
			buf_printf(&en, "%s%s", i > start ? " → " : "", n);
			free(z);
			free(n);
		}
		add(r, TT_HARD_ORDER, xasprintf("先后顺序成环,无法同时满足:%s", zh.data),
		    xasprintf("the order constraints form a cycle: %s", en.data));
		buf_release(&zh);
		buf_release(&en);
		break;
	}
	free(state);
	free(stack);
	for (int i = 0; i < p->n_orders && r->n_issues < MAX_ISSUES; i++) {
		int a = p->orders[i].a, b = p->orders[i].b;
		int na = m->ev_periods_off[a + 1] - m->ev_periods_off[a];
		int nb = m->ev_periods_off[b + 1] - m->ev_periods_off[b];
		if (!na || !nb)
			continue;
		int earliest_a = m->ev_periods[m->ev_periods_off[a]];
		int latest_b = m->ev_periods[m->ev_periods_off[b + 1] - 1];
		if (earliest_a < latest_b)
			continue;
		char *za = ev(p, a, false), *zb = ev(p, b, false), *ea = ev(p, a, true),
		     *eb = ev(p, b, true);
		char *pz = tt_period_label(p, earliest_a, false),
		     *pe = tt_period_label(p, earliest_a, true);
		char *qz = tt_period_label(p, latest_b, false),
		     *qe = tt_period_label(p, latest_b, true);
		add(r, TT_HARD_ORDER,
		    xasprintf("课次 %s 须在 %s 之前,但前者最早只能在 %s,后者最晚只能在 %s", za, zb,
			      pz, qz),
		    xasprintf("event %s must come before %s, but the first can be no earlier than "
			      "%s and the second no later than %s",
			      ea, eb, pe, qe));
		free(za);
		free(zb);
		free(ea);
		free(eb);
		free(pz);
		free(pe);
		free(qz);
		free(qe);
	}
}

px_err tt_precheck(const struct tt_problem *p, struct tt_report *report)
{
	memset(report, 0, sizeof *report);
	if (p->err)
		return PX_ERR_INVALID;
	struct tt_model m;
	tt_model_build(&m, p);
	check_events(&m, report);
	check_counts(&m, report);
	check_pins_and_links(&m, report);
	check_order(&m, report);
	tt_model_release(&m);
	return report->n_issues ? PX_ERR_INFEASIBLE : PX_OK;
}

/* ---- after a failed search -------------------------------------------------------------- */

/* Events of the list in one line: "A、B、C" / "A, B, C". */
static void join_events(const struct tt_problem *p, const int *evs, int n, struct buf *zh,
			struct buf *en)
{
	for (int i = 0; i < n; i++) {
		char *z = ev(p, evs[i], false), *e = ev(p, evs[i], true);
		buf_printf(zh, "%s%s", i ? "、" : "", z);
		buf_printf(en, "%s%s", i ? ", " : "", e);
		free(z);
		free(e);
	}
}

/* Clash of a teacher (kind 0), group (1) or course (2) in period q. */
static void explain_clash(const struct tt_model *m, const struct tt_solution *s, int kind, int who,
			  int q, struct tt_report *r)
{
	const struct tt_problem *p = m->p;
	int *evs = xmalloc((size_t)m->E * sizeof(int));
	int n = 0;
	for (int e = 0; e < m->E; e++) {
		if (s->period[e] != q)
			continue;
		int c = m->ev_course[e];
		bool uses = kind == 2 && c == who;
		if (kind == 0)
			for (int i = m->c_teach_off[c]; i < m->c_teach_off[c + 1]; i++)
				uses |= m->c_teach[i] == who;
		if (kind == 1)
			for (int i = m->c_group_off[c]; i < m->c_group_off[c + 1]; i++)
				uses |= m->c_group[i] == who;
		if (uses)
			evs[n++] = e;
	}
	static const char *const what[3][2] = { { "专家", "expert" },
						{ "班级", "group" },
						{ "课程", "course" } };
	static const enum tt_hard kinds[3] = { TT_HARD_TEACHER_CLASH, TT_HARD_GROUP_CLASH,
					       TT_HARD_COURSE_CLASH };
	const char *name = kind == 0   ? p->teachers[who].name
			   : kind == 1 ? p->groups[who].name
				       : p->courses[who].name;
	struct buf zh = BUF_INIT(0), en = BUF_INIT(0);
	join_events(p, evs, n, &zh, &en);
	char *pz = tt_period_label(p, q, false), *pe = tt_period_label(p, q, true);
	add(r, kinds[kind],
	    xasprintf("%s %s 在 %s 同时有 %d 个课次:%s", what[kind][0], name, pz, n, zh.data),
	    xasprintf("%s %s has %d events at once in %s: %s", what[kind][1], name, n, pe,
		      en.data));
	free(pz);
	free(pe);
	buf_release(&zh);
	buf_release(&en);
	free(evs);
}

void tt_explain_solution(const struct tt_problem *p, const struct tt_solution *s,
			 struct tt_report *r)
{
	struct tt_model m;
	tt_model_build(&m, p);
	int P = m.P;
	int *cnt = xcalloc((size_t)P, sizeof(int));
	for (int e = 0; e < m.E && r->n_issues < MAX_ISSUES; e++) {
		if (s->period[e] >= 0)
			continue;
		char *z = ev(p, e, false), *n = ev(p, e, true);
		add(r, TT_HARD_UNPLACED,
		    xasprintf("课次 %s 未能排入:没有同时满足专家、班级和教室要求的空闲%s", z,
			      pword(p, false)),
		    xasprintf("event %s could not be placed: no free %s suits its expert, group "
			      "and room at once",
			      n, pword(p, true)));
		free(z);
		free(n);
	}
	/* kind 0 teachers, 1 groups, 2 courses */
	int counts[3] = { m.T, m.G, m.C };
	for (int kind = 0; kind < 3; kind++)
		for (int who = 0; who < counts[kind] && r->n_issues < MAX_ISSUES; who++) {
			memset(cnt, 0, (size_t)P * sizeof(int));
			for (int e = 0; e < m.E; e++) {
				int q = s->period[e], c = m.ev_course[e];
				if (q < 0)
					continue;
				bool uses = kind == 2 && c == who;
				if (kind == 0)
					for (int i = m.c_teach_off[c]; i < m.c_teach_off[c + 1];
					     i++)
						uses |= m.c_teach[i] == who;
				if (kind == 1)
					for (int i = m.c_group_off[c]; i < m.c_group_off[c + 1];
					     i++)
						uses |= m.c_group[i] == who;
				cnt[q] += uses;
			}
			for (int q = 0; q < P && r->n_issues < MAX_ISSUES; q++)
				if (cnt[q] > 1)
					explain_clash(&m, s, kind, who, q, r);
		}
	for (int i = 0; i < p->n_orders && r->n_issues < MAX_ISSUES; i++) {
		int a = p->orders[i].a, b = p->orders[i].b;
		int qa = s->period[a], qb = s->period[b];
		if (qa < 0 || qb < 0 || qa < qb)
			continue;
		char *za = ev(p, a, false), *zb = ev(p, b, false), *ea = ev(p, a, true),
		     *eb = ev(p, b, true);
		char *pz = tt_period_label(p, qa, false), *pe = tt_period_label(p, qa, true);
		char *qz = tt_period_label(p, qb, false), *qe = tt_period_label(p, qb, true);
		add(r, TT_HARD_ORDER, xasprintf("课次 %s(%s)应在 %s(%s)之前", za, pz, zb, qz),
		    xasprintf("event %s (%s) should come before %s (%s)", ea, pe, eb, qe));
		free(za);
		free(zb);
		free(ea);
		free(eb);
		free(pz);
		free(pe);
		free(qz);
		free(qe);
	}
	for (int k = 0; k < m.n_linksets && r->n_issues < MAX_ISSUES; k++) {
		int lo = m.link_off[k], hi = m.link_off[k + 1];
		bool split = false;
		for (int i = lo + 1; i < hi; i++)
			split |= s->period[m.link_members[i]] != s->period[m.link_members[lo]];
		if (!split)
			continue;
		struct buf zh = BUF_INIT(0), en = BUF_INIT(0);
		join_events(p, m.link_members + lo, hi - lo, &zh, &en);
		add(r, TT_HARD_LINK,
		    xasprintf("须同时进行的课次未能排在同一%s:%s", pword(p, false), zh.data),
		    xasprintf("events that must run together are not in one %s: %s", pword(p, true),
			      en.data));
		buf_release(&zh);
		buf_release(&en);
	}
	if (r->n_issues == 0)
		add(r, TT_HARD_UNPLACED, xstrdup("在时限内未找到满足全部硬性约束的课表"),
		    xstrdup("no timetable satisfying every hard constraint was found in the time "
			    "given"));
	free(cnt);
	tt_model_release(&m);
}
