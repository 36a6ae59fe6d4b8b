/*
 * timetable_problem.c — building a tt_problem and compiling it into a tt_model.
 *
 * The builder keeps plain growable arrays and a sticky error (the first bad call wins, later
 * calls still return -1 or do nothing harmful). tt_model_build flattens the problem for the
 * search: allowed periods and rooms per event, CSR lists, link sets by union-find, order lists
 * in both directions, and the per-course room capacity penalty table. Also here: the constraint
 * family names table, the default weights, display labels, solutions and reports.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/mem.h"
#include "engine/timetable_int.h"

/* One row per constraint family: English (ITC names where the competition has one), zh-CN. */
static const char *const hard_names[TT_HARD__COUNT][2] = {
	[TT_HARD_UNPLACED] = { "Lectures", "课次未排" },
	[TT_HARD_ROOM_CLASH] = { "RoomOccupancy", "教室冲突" },
	[TT_HARD_TEACHER_CLASH] = { "TeacherConflicts", "专家冲突" },
	[TT_HARD_GROUP_CLASH] = { "GroupConflicts", "班级冲突" },
	[TT_HARD_COURSE_CLASH] = { "CourseConflicts", "同一课程同时段" },
	[TT_HARD_FORBIDDEN] = { "Availability", "不可用时段" },
	[TT_HARD_ROOM_NOT_ALLOWED] = { "RoomNotAllowed", "教室类型或容量不符" },
	[TT_HARD_PIN] = { "Pinned", "固定安排被改动" },
	[TT_HARD_ORDER] = { "Order", "先后顺序" },
	[TT_HARD_LINK] = { "SamePeriod", "同时段安排" },
};

static const char *const soft_names[TT_SOFT__COUNT][2] = {
	[TT_SOFT_ROOM_CAPACITY] = { "RoomCapacity", "教室容量不足" },
	[TT_SOFT_MIN_DAYS] = { "MinimumWorkingDays", "课程分布天数不足" },
	[TT_SOFT_COMPACTNESS] = { "CurriculumCompactness", "孤立课次" },
	[TT_SOFT_ROOM_STABILITY] = { "RoomStability", "教室不固定" },
	[TT_SOFT_PREFERENCE] = { "PreferredPeriods", "非首选时段" },
	[TT_SOFT_TEACHER_DAYS] = { "TeacherCompactness", "专家授课天数分散" },
	[TT_SOFT_MOVED] = { "MovedPeriod", "相对原课表改动时段" },
	[TT_SOFT_MOVED_ROOM] = { "MovedRoom", "相对原课表改动教室" },
};

const char *tt_hard_name(enum tt_hard h, const char *lang)
{
	if ((unsigned)h >= TT_HARD__COUNT)
		return "?";
	return hard_names[h][px_lang_is_en(lang) ? 0 : 1];
}

const char *tt_soft_name(enum tt_soft s, const char *lang)
{
	if ((unsigned)s >= TT_SOFT__COUNT)
		return "?";
	return soft_names[s][px_lang_is_en(lang) ? 0 : 1];
}

struct tt_weights tt_weights_itc2007(void)
{
	struct tt_weights w = { { 0 } };
	w.w[TT_SOFT_ROOM_CAPACITY] = 1;
	w.w[TT_SOFT_MIN_DAYS] = 5;
	w.w[TT_SOFT_COMPACTNESS] = 2;
	w.w[TT_SOFT_ROOM_STABILITY] = 1;
	return w;
}

struct tt_weights tt_weights_peixun(void)
{
	struct tt_weights w = tt_weights_itc2007();
	w.w[TT_SOFT_PREFERENCE] = 1;
	w.w[TT_SOFT_TEACHER_DAYS] = 2;
	w.w[TT_SOFT_MOVED] = 10;
	w.w[TT_SOFT_MOVED_ROOM] = 2;
	return w;
}

/* ---- builder ---------------------------------------------------------------------------- */

static void fail(struct tt_problem *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct tt_problem *p, const char *fmt, ...)
{
	if (p->err)
		return;
	p->err = PX_ERR_INVALID;
	struct buf b = BUF_INIT(1024);
	va_list ap;
	va_start(ap, fmt);
	char tmp[512];
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	buf_puts(&b, tmp);
	p->errmsg = buf_detach(&b, NULL);
}

/* Grow *arr (of *cap elements of size sz) to hold at least n. */
static void reserve(void **arr, int *cap, int n, size_t sz)
{
	if (n <= *cap)
		return;
	int c = *cap ? *cap : 8;
	while (c < n)
		c *= 2;
	*arr = xrealloc(*arr, (size_t)c * sz);
	*cap = c;
}

#define PUSH(arr, n, cap) (reserve((void **)&(arr), &(cap), (n) + 1, sizeof *(arr)), &(arr)[(n)++])

struct tt_problem *tt_problem_new(int days, int slots_per_day)
{
	struct tt_problem *p = xcalloc(1, sizeof *p);
	p->weights = tt_weights_itc2007();
	if (days < 1 || slots_per_day < 1 || days > 366 || slots_per_day > 48) {
		fail(p, "tt_problem_new: %d days × %d slots is out of range", days, slots_per_day);
		days = days < 1 ? 1 : days > 366 ? 366 : days;
		slots_per_day = slots_per_day < 1 ? 1 : slots_per_day > 48 ? 48 : slots_per_day;
	}
	p->days = days;
	p->slots = slots_per_day;
	p->periods = days * slots_per_day;
	p->day_names = xcalloc((size_t)days, sizeof *p->day_names);
	p->slot_names = xcalloc((size_t)slots_per_day, sizeof *p->slot_names);
	return p;
}

void tt_problem_free(struct tt_problem *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->days; i++)
		free(p->day_names[i]);
	for (int i = 0; i < p->slots; i++)
		free(p->slot_names[i]);
	free(p->day_names);
	free(p->slot_names);
	free(p->period_word_zh);
	free(p->period_word_en);
	for (int i = 0; i < p->n_rooms; i++)
		free(p->rooms[i].name);
	for (int i = 0; i < p->n_teachers; i++) {
		free(p->teachers[i].name);
		free(p->teachers[i].unavailable);
	}
	for (int i = 0; i < p->n_groups; i++)
		free(p->groups[i].name);
	for (int i = 0; i < p->n_courses; i++) {
		free(p->courses[i].name);
		free(p->courses[i].teachers);
		free(p->courses[i].groups);
		free(p->courses[i].forbidden);
	}
	for (int i = 0; i < p->n_events; i++) {
		free(p->events[i].name);
		free(p->events[i].forbidden);
		free(p->events[i].preference);
	}
	free(p->rooms);
	free(p->teachers);
	free(p->groups);
	free(p->courses);
	free(p->events);
	free(p->orders);
	free(p->links);
	free(p->errmsg);
	free(p);
}

px_err tt_problem_error(const struct tt_problem *p, const char **msg)
{
	if (msg)
		*msg = p->errmsg ? p->errmsg : "";
	return p->err;
}

void tt_problem_set_weights(struct tt_problem *p, const struct tt_weights *w)
{
	for (int i = 0; i < TT_SOFT__COUNT; i++)
		if (w->w[i] < 0 || w->w[i] > 1000000) {
			fail(p, "tt_problem_set_weights: weight %d of %s is out of range", w->w[i],
			     soft_names[i][0]);
			return;
		}
	p->weights = *w;
}

struct tt_weights tt_problem_weights(const struct tt_problem *p)
{
	return p->weights;
}

void tt_problem_set_day_name(struct tt_problem *p, int day, const char *name)
{
	if (day < 0 || day >= p->days || !name) {
		fail(p, "tt_problem_set_day_name: day %d out of range", day);
		return;
	}
	free(p->day_names[day]);
	p->day_names[day] = xstrdup(name);
}

void tt_problem_set_slot_name(struct tt_problem *p, int slot, const char *name)
{
	if (slot < 0 || slot >= p->slots || !name) {
		fail(p, "tt_problem_set_slot_name: slot %d out of range", slot);
		return;
	}
	free(p->slot_names[slot]);
	p->slot_names[slot] = xstrdup(name);
}

void tt_problem_set_period_word(struct tt_problem *p, const char *zh, const char *en)
{
	free(p->period_word_zh);
	free(p->period_word_en);
	p->period_word_zh = xstrdup(zh);
	p->period_word_en = xstrdup(en);
}

static bool bad_name(struct tt_problem *p, const char *fn, const char *name)
{
	if (name && *name)
		return false;
	fail(p, "%s: empty name", fn);
	return true;
}

int tt_add_room(struct tt_problem *p, const char *name, int capacity, int kind)
{
	if (bad_name(p, "tt_add_room", name))
		return -1;
	if (capacity < 0 || kind < 0) {
		fail(p, "tt_add_room(%s): capacity %d or kind %d is negative", name, capacity,
		     kind);
		return -1;
	}
	struct tt_room_def *r = PUSH(p->rooms, p->n_rooms, p->cap_rooms);
	*r = (struct tt_room_def){ xstrdup(name), capacity, kind };
	return p->n_rooms - 1;
}

int tt_add_teacher(struct tt_problem *p, const char *name)
{
	if (bad_name(p, "tt_add_teacher", name))
		return -1;
	struct tt_teacher_def *t = PUSH(p->teachers, p->n_teachers, p->cap_teachers);
	*t = (struct tt_teacher_def){ xstrdup(name), NULL };
	return p->n_teachers - 1;
}

static bool bad_index(struct tt_problem *p, const char *fn, const char *what, int i, int n)
{
	if (i >= 0 && i < n)
		return false;
	fail(p, "%s: %s %d out of range (0..%d)", fn, what, i, n - 1);
	return true;
}

static void set_flag(uint8_t **flags, int periods, int period)
{
	if (!*flags)
		*flags = xcalloc((size_t)periods, 1);
	(*flags)[period] = 1;
}

void tt_teacher_unavailable(struct tt_problem *p, int teacher, int period)
{
	if (bad_index(p, "tt_teacher_unavailable", "teacher", teacher, p->n_teachers) ||
	    bad_index(p, "tt_teacher_unavailable", "period", period, p->periods))
		return;
	set_flag(&p->teachers[teacher].unavailable, p->periods, period);
}

int tt_add_group(struct tt_problem *p, const char *name, int size)
{
	if (bad_name(p, "tt_add_group", name))
		return -1;
	if (size < 0) {
		fail(p, "tt_add_group(%s): negative size", name);
		return -1;
	}
	struct tt_group_def *g = PUSH(p->groups, p->n_groups, p->cap_groups);
	*g = (struct tt_group_def){ xstrdup(name), size };
	return p->n_groups - 1;
}

int tt_add_course(struct tt_problem *p, const char *name, int min_days, int students)
{
	if (bad_name(p, "tt_add_course", name))
		return -1;
	if (min_days < 0 || min_days > p->days) {
		fail(p, "tt_add_course(%s): minimum days %d out of range", name, min_days);
		return -1;
	}
	struct tt_course_def *c = PUSH(p->courses, p->n_courses, p->cap_courses);
	memset(c, 0, sizeof *c);
	c->name = xstrdup(name);
	c->min_days = min_days;
	c->students = students;
	return p->n_courses - 1;
}

static bool has(const int *v, int n, int x)
{
	for (int i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

void tt_course_add_teacher(struct tt_problem *p, int course, int teacher)
{
	if (bad_index(p, "tt_course_add_teacher", "course", course, p->n_courses) ||
	    bad_index(p, "tt_course_add_teacher", "teacher", teacher, p->n_teachers))
		return;
	struct tt_course_def *c = &p->courses[course];
	if (!has(c->teachers, c->n_teachers, teacher))
		*PUSH(c->teachers, c->n_teachers, c->cap_teachers) = teacher;
}

void tt_course_add_group(struct tt_problem *p, int course, int group)
{
	if (bad_index(p, "tt_course_add_group", "course", course, p->n_courses) ||
	    bad_index(p, "tt_course_add_group", "group", group, p->n_groups))
		return;
	struct tt_course_def *c = &p->courses[course];
	if (!has(c->groups, c->n_groups, group))
		*PUSH(c->groups, c->n_groups, c->cap_groups) = group;
}

void tt_course_forbid(struct tt_problem *p, int course, int period)
{
	if (bad_index(p, "tt_course_forbid", "course", course, p->n_courses) ||
	    bad_index(p, "tt_course_forbid", "period", period, p->periods))
		return;
	set_flag(&p->courses[course].forbidden, p->periods, period);
}

void tt_course_capacity_hard(struct tt_problem *p, int course, bool hard)
{
	if (bad_index(p, "tt_course_capacity_hard", "course", course, p->n_courses))
		return;
	p->courses[course].capacity_hard = hard;
}

int tt_add_event(struct tt_problem *p, int course, const char *name, int room_kind)
{
	if (bad_index(p, "tt_add_event", "course", course, p->n_courses))
		return -1;
	if (room_kind < TT_NO_ROOM) {
		fail(p, "tt_add_event: room kind %d is invalid", room_kind);
		return -1;
	}
	struct tt_event_def *e = PUSH(p->events, p->n_events, p->cap_events);
	*e = (struct tt_event_def){ .course = course,
				    .name = name && *name ? xstrdup(name) : NULL,
				    .room_kind = room_kind,
				    .pin_period = -1,
				    .pin_room = -1,
				    .prev_period = -1,
				    .prev_room = -1 };
	return p->n_events - 1;
}

void tt_event_forbid(struct tt_problem *p, int event, int period)
{
	if (bad_index(p, "tt_event_forbid", "event", event, p->n_events) ||
	    bad_index(p, "tt_event_forbid", "period", period, p->periods))
		return;
	set_flag(&p->events[event].forbidden, p->periods, period);
}

void tt_event_pin(struct tt_problem *p, int event, int period, int room)
{
	if (bad_index(p, "tt_event_pin", "event", event, p->n_events) ||
	    bad_index(p, "tt_event_pin", "period", period, p->periods))
		return;
	if (room != -1 && bad_index(p, "tt_event_pin", "room", room, p->n_rooms))
		return;
	p->events[event].pin_period = period;
	p->events[event].pin_room = room;
}

void tt_event_prefer(struct tt_problem *p, int event, int period, int penalty)
{
	if (bad_index(p, "tt_event_prefer", "event", event, p->n_events) ||
	    bad_index(p, "tt_event_prefer", "period", period, p->periods))
		return;
	if (penalty < 0 || penalty > 1000000) {
		fail(p, "tt_event_prefer: penalty %d out of range", penalty);
		return;
	}
	struct tt_event_def *e = &p->events[event];
	if (!e->preference)
		e->preference = xcalloc((size_t)p->periods, sizeof *e->preference);
	e->preference[period] = penalty;
}

void tt_event_previous(struct tt_problem *p, int event, int period, int room)
{
	if (bad_index(p, "tt_event_previous", "event", event, p->n_events) ||
	    bad_index(p, "tt_event_previous", "period", period, p->periods))
		return;
	if (room != -1 && bad_index(p, "tt_event_previous", "room", room, p->n_rooms))
		return;
	p->events[event].prev_period = period;
	p->events[event].prev_room = room;
}

void tt_add_order(struct tt_problem *p, int before, int after)
{
	if (bad_index(p, "tt_add_order", "event", before, p->n_events) ||
	    bad_index(p, "tt_add_order", "event", after, p->n_events))
		return;
	*PUSH(p->orders, p->n_orders, p->cap_orders) = (struct tt_pair){ before, after };
}

void tt_add_link(struct tt_problem *p, int a, int b)
{
	if (bad_index(p, "tt_add_link", "event", a, p->n_events) ||
	    bad_index(p, "tt_add_link", "event", b, p->n_events))
		return;
	*PUSH(p->links, p->n_links, p->cap_links) = (struct tt_pair){ a, b };
}

int tt_problem_periods(const struct tt_problem *p)
{
	return p->periods;
}

int tt_problem_events(const struct tt_problem *p)
{
	return p->n_events;
}

int tt_problem_rooms(const struct tt_problem *p)
{
	return p->n_rooms;
}

int tt_event_course(const struct tt_problem *p, int event)
{
	return event >= 0 && event < p->n_events ? p->events[event].course : -1;
}

int tt_course_students(const struct tt_problem *p, int c)
{
	const struct tt_course_def *cd = &p->courses[c];
	if (cd->students >= 0)
		return cd->students;
	int s = 0;
	for (int i = 0; i < cd->n_groups; i++)
		s += p->groups[cd->groups[i]].size;
	return s;
}

/* ---- the compiled model ----------------------------------------------------------------- */

static int uf_find(int *parent, int x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

/* Build CSR arrays from (key, value) pairs: off[n+1], val[m]. */
static void csr(int n, int m, const int *key, const int *val, int **off_out, int **val_out)
{
	int *off = xcalloc((size_t)n + 1, sizeof *off);
	int *out = xmalloc((size_t)(m ? m : 1) * sizeof *out);
	for (int i = 0; i < m; i++)
		off[key[i] + 1]++;
	for (int i = 0; i < n; i++)
		off[i + 1] += off[i];
	int *fill = xmalloc((size_t)(n ? n : 1) * sizeof *fill);
	memcpy(fill, off, (size_t)n * sizeof *fill);
	for (int i = 0; i < m; i++)
		out[fill[key[i]]++] = val[i];
	free(fill);
	*off_out = off;
	*val_out = out;
}

void tt_model_build(struct tt_model *m, const struct tt_problem *p)
{
	memset(m, 0, sizeof *m);
	m->p = p;
	m->E = p->n_events;
	m->C = p->n_courses;
	m->T = p->n_teachers;
	m->G = p->n_groups;
	m->R = p->n_rooms;
	m->P = p->periods;
	m->D = p->days;
	m->S = p->slots;
	m->w = p->weights;
	int E = m->E, C = m->C, R = m->R, P = m->P;

	/* courses */
	m->c_students = xmalloc((size_t)(C ? C : 1) * sizeof(int));
	m->c_min_days = xmalloc((size_t)(C ? C : 1) * sizeof(int));
	m->c_teach_off = xcalloc((size_t)C + 1, sizeof(int));
	m->c_group_off = xcalloc((size_t)C + 1, sizeof(int));
	int nt = 0, ng = 0;
	for (int c = 0; c < C; c++) {
		nt += p->courses[c].n_teachers;
		ng += p->courses[c].n_groups;
	}
	m->c_teach = xmalloc((size_t)(nt ? nt : 1) * sizeof(int));
	m->c_group = xmalloc((size_t)(ng ? ng : 1) * sizeof(int));
	nt = ng = 0;
	for (int c = 0; c < C; c++) {
		const struct tt_course_def *cd = &p->courses[c];
		m->c_students[c] = tt_course_students(p, c);
		m->c_min_days[c] = cd->min_days;
		for (int i = 0; i < cd->n_teachers; i++)
			m->c_teach[nt++] = cd->teachers[i];
		for (int i = 0; i < cd->n_groups; i++)
			m->c_group[ng++] = cd->groups[i];
		m->c_teach_off[c + 1] = nt;
		m->c_group_off[c + 1] = ng;
	}
	m->c_cap_pen = xcalloc((size_t)C * R + 1, sizeof(int));
	for (int c = 0; c < C; c++)
		for (int r = 0; r < R; r++) {
			int over = m->c_students[c] - p->rooms[r].capacity;
			m->c_cap_pen[c * R + r] = over > 0 ? over : 0;
		}

	/* events: allowed periods and rooms */
	m->ev_course = xmalloc((size_t)(E ? E : 1) * sizeof(int));
	m->ev_period_ok = xcalloc((size_t)E * P + 1, 1);
	m->ev_room_ok = xcalloc((size_t)E * R + 1, 1);
	m->ev_noroom = xcalloc((size_t)(E ? E : 1), 1);
	m->ev_pin_period = xmalloc((size_t)(E ? E : 1) * sizeof(int));
	m->ev_pin_room = xmalloc((size_t)(E ? E : 1) * sizeof(int));
	m->ev_prev_period = xmalloc((size_t)(E ? E : 1) * sizeof(int));
	m->ev_prev_room = xmalloc((size_t)(E ? E : 1) * sizeof(int));
	m->ev_periods_off = xcalloc((size_t)E + 1, sizeof(int));
	m->ev_rooms_off = xcalloc((size_t)E + 1, sizeof(int));
	bool any_pref = false;
	for (int e = 0; e < E; e++)
		if (p->events[e].preference)
			any_pref = true;
	if (any_pref)
		m->ev_pref = xcalloc((size_t)E * P, sizeof(int));
	int np = 0, nr = 0;
	for (int e = 0; e < E; e++) {
		const struct tt_event_def *ed = &p->events[e];
		const struct tt_course_def *cd = &p->courses[ed->course];
		int c = ed->course;
		m->ev_course[e] = c;
		m->ev_pin_period[e] = ed->pin_period;
		m->ev_pin_room[e] = ed->pin_room;
		m->ev_prev_period[e] = ed->prev_period;
		m->ev_prev_room[e] = ed->prev_room;
		if (ed->preference)
			memcpy(m->ev_pref + (size_t)e * P, ed->preference, (size_t)P * sizeof(int));
		for (int q = 0; q < P; q++) {
			bool ok = true;
			if (cd->forbidden && cd->forbidden[q])
				ok = false;
			if (ed->forbidden && ed->forbidden[q])
				ok = false;
			for (int i = 0; i < cd->n_teachers; i++) {
				const uint8_t *u = p->teachers[cd->teachers[i]].unavailable;
				if (u && u[q])
					ok = false;
			}
			if (ed->pin_period >= 0 && q != ed->pin_period)
				ok = false;
			m->ev_period_ok[(size_t)e * P + q] = ok;
			np += ok;
		}
		m->ev_noroom[e] = ed->room_kind == TT_NO_ROOM;
		for (int r = 0; r < R && ed->room_kind != TT_NO_ROOM; r++) {
			bool ok = ed->room_kind == TT_ANY_ROOM || p->rooms[r].kind == ed->room_kind;
			if (cd->capacity_hard && p->rooms[r].capacity < m->c_students[c])
				ok = false;
			if (ed->pin_room >= 0 && r != ed->pin_room)
				ok = false;
			m->ev_room_ok[(size_t)e * R + r] = ok;
			nr += ok;
		}
	}
	m->ev_periods = xmalloc((size_t)(np ? np : 1) * sizeof(int));
	m->ev_rooms = xmalloc((size_t)(nr ? nr : 1) * sizeof(int));
	np = nr = 0;
	for (int e = 0; e < E; e++) {
		for (int q = 0; q < P; q++)
			if (m->ev_period_ok[(size_t)e * P + q])
				m->ev_periods[np++] = q;
		for (int r = 0; r < R; r++)
			if (m->ev_room_ok[(size_t)e * R + r])
				m->ev_rooms[nr++] = r;
		m->ev_periods_off[e + 1] = np;
		m->ev_rooms_off[e + 1] = nr;
	}

	/* course → events */
	int *tmp = xmalloc((size_t)(E ? E : 1) * sizeof(int));
	for (int e = 0; e < E; e++)
		tmp[e] = e;
	csr(C, E, m->ev_course, tmp, &m->c_events_off, &m->c_events);

	/* links: union-find, then ids for sets of two or more */
	int *parent = xmalloc((size_t)(E ? E : 1) * sizeof(int));
	for (int e = 0; e < E; e++)
		parent[e] = e;
	for (int i = 0; i < p->n_links; i++) {
		int a = uf_find(parent, p->links[i].a), b = uf_find(parent, p->links[i].b);
		if (a != b)
			parent[a < b ? b : a] = a < b ? a : b;
	}
	m->ev_link = xmalloc((size_t)(E ? E : 1) * sizeof(int));
	int *size = xcalloc((size_t)(E ? E : 1), sizeof(int));
	for (int e = 0; e < E; e++)
		size[uf_find(parent, e)]++;
	int *id = xmalloc((size_t)(E ? E : 1) * sizeof(int));
	m->n_linksets = 0;
	for (int e = 0; e < E; e++)
		id[e] = (uf_find(parent, e) == e && size[e] > 1) ? m->n_linksets++ : -1;
	int nm = 0;
	for (int e = 0; e < E; e++) {
		m->ev_link[e] = id[uf_find(parent, e)];
		if (m->ev_link[e] >= 0)
			tmp[nm++] = e;
	}
	int *keys = xmalloc((size_t)(nm ? nm : 1) * sizeof(int));
	for (int i = 0; i < nm; i++)
		keys[i] = m->ev_link[tmp[i]];
	csr(m->n_linksets, nm, keys, tmp, &m->link_off, &m->link_members);
	free(keys);
	free(size);
	free(id);
	free(parent);
	free(tmp);

	/* orders in both directions */
	int no = p->n_orders;
	int *oa = xmalloc((size_t)(no ? no : 1) * sizeof(int));
	int *ob = xmalloc((size_t)(no ? no : 1) * sizeof(int));
	for (int i = 0; i < no; i++) {
		oa[i] = p->orders[i].a;
		ob[i] = p->orders[i].b;
	}
	csr(E, no, oa, ob, &m->ord_after_off, &m->ord_after);
	csr(E, no, ob, oa, &m->ord_before_off, &m->ord_before);
	m->has_order = no > 0;
	free(oa);
	free(ob);

	/* fewest days a teacher's events could take: ceil(events / slots) */
	m->t_min_days = xcalloc((size_t)(m->T ? m->T : 1), sizeof(int));
	for (int c = 0; c < C; c++)
		for (int i = m->c_teach_off[c]; i < m->c_teach_off[c + 1]; i++)
			m->t_min_days[m->c_teach[i]] += m->c_events_off[c + 1] - m->c_events_off[c];
	for (int t = 0; t < m->T; t++)
		m->t_min_days[t] = (m->t_min_days[t] + m->S - 1) / m->S;

	for (int e = 0; e < E; e++)
		m->has_noroom |= m->ev_noroom[e];
	if (C <= 4096) {
		m->c_conflict = xcalloc((size_t)C * C + 1, 1);
		/* via teachers and groups: list each resource's courses, then mark pairs */
		int n_res = m->T + m->G;
		int *key = xmalloc((size_t)(nt + ng + 1) * sizeof(int));
		int *val = xmalloc((size_t)(nt + ng + 1) * sizeof(int));
		int k = 0;
		for (int c = 0; c < C; c++) {
			for (int i = m->c_teach_off[c]; i < m->c_teach_off[c + 1]; i++)
				key[k] = m->c_teach[i], val[k++] = c;
			for (int i = m->c_group_off[c]; i < m->c_group_off[c + 1]; i++)
				key[k] = m->T + m->c_group[i], val[k++] = c;
		}
		int *off, *members;
		csr(n_res, k, key, val, &off, &members);
		for (int r = 0; r < n_res; r++)
			for (int i = off[r]; i < off[r + 1]; i++)
				for (int j = off[r]; j < off[r + 1]; j++)
					m->c_conflict[(size_t)members[i] * C + members[j]] = 1;
		for (int c = 0; c < C; c++)
			m->c_conflict[(size_t)c * C + c] = 1;
		free(off);
		free(members);
		free(key);
		free(val);
	}
}

void tt_model_release(struct tt_model *m)
{
	free(m->ev_course);
	free(m->ev_period_ok);
	free(m->ev_periods_off);
	free(m->ev_periods);
	free(m->ev_room_ok);
	free(m->ev_rooms_off);
	free(m->ev_rooms);
	free(m->ev_noroom);
	free(m->ev_pin_period);
	free(m->ev_pin_room);
	free(m->ev_prev_period);
	free(m->ev_prev_room);
	free(m->ev_pref);
	free(m->ev_link);
	free(m->link_off);
	free(m->link_members);
	free(m->ord_after_off);
	free(m->ord_after);
	free(m->ord_before_off);
	free(m->ord_before);
	free(m->c_students);
	free(m->c_min_days);
	free(m->c_teach_off);
	free(m->c_teach);
	free(m->c_group_off);
	free(m->c_group);
	free(m->c_cap_pen);
	free(m->c_events_off);
	free(m->c_events);
	free(m->t_min_days);
	free(m->c_conflict);
	memset(m, 0, sizeof *m);
}

/* ---- labels, solutions, reports ---------------------------------------------------------- */

char *tt_period_label(const struct tt_problem *p, int period, bool en)
{
	if (period < 0 || period >= p->periods)
		return xstrdup(en ? "no period" : "未排时段");
	int d = period / p->slots, s = period % p->slots;
	char day[64], slot[64];
	if (p->day_names[d])
		snprintf(day, sizeof day, "%s", p->day_names[d]);
	else
		snprintf(day, sizeof day, en ? "day %d" : "第%d天", d + 1);
	if (p->slot_names[s])
		snprintf(slot, sizeof slot, "%s", p->slot_names[s]);
	else
		snprintf(slot, sizeof slot, en ? "slot %d" : "第%d节", s + 1);
	return xasprintf(en ? "%s, %s" : "%s%s", day, slot);
}

char *tt_event_label(const struct tt_problem *p, int event, bool en)
{
	const struct tt_event_def *ed = &p->events[event];
	if (ed->name)
		return xstrdup(ed->name);
	int k = 0;
	for (int e = 0; e < event; e++)
		k += p->events[e].course == ed->course;
	return xasprintf(en ? "%s #%d" : "%s 第%d次", p->courses[ed->course].name, k + 1);
}

void tt_solution_init(struct tt_solution *s, const struct tt_problem *p)
{
	int n = p->n_events;
	s->n_events = n;
	s->period = xmalloc((size_t)(n ? n : 1) * sizeof(int));
	s->room = xmalloc((size_t)(n ? n : 1) * sizeof(int));
	for (int i = 0; i < n; i++)
		s->period[i] = s->room[i] = -1;
}

void tt_solution_release(struct tt_solution *s)
{
	free(s->period);
	free(s->room);
	s->period = s->room = NULL;
	s->n_events = 0;
}

void tt_report_add(struct tt_report *r, enum tt_hard kind, char *zh, char *en)
{
	r->issues = xrealloc(r->issues, (size_t)(r->n_issues + 1) * sizeof *r->issues);
	r->issues[r->n_issues++] = (struct tt_issue){ kind, zh, en };
}

void tt_report_release(struct tt_report *r)
{
	for (int i = 0; i < r->n_issues; i++) {
		free(r->issues[i].zh);
		free(r->issues[i].en);
	}
	free(r->issues);
	memset(r, 0, sizeof *r);
}

char *tt_report_explain(const struct tt_report *r, const char *lang)
{
	bool en = px_lang_is_en(lang);
	struct buf b = BUF_INIT(0);
	for (int i = 0; i < r->n_issues; i++) {
		buf_puts(&b, en ? r->issues[i].en : r->issues[i].zh);
		buf_putc(&b, '\n');
	}
	if (!b.data)
		return xstrdup("");
	return buf_detach(&b, NULL);
}
