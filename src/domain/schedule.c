/*
 * schedule.c — see schedule.h.
 */
#include "domain/schedule.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/mem.h"
#include "domain/enums.h"

enum { RK_LECTURE, RK_SEMINAR, RK_OFFSITE, RK__COUNT };

static int room_kind_index(const char *kind)
{
	if (!strcmp(kind, "seminar_room"))
		return RK_SEMINAR;
	if (!strcmp(kind, "offsite"))
		return RK_OFFSITE;
	return RK_LECTURE;
}

/* Penalty for placing a session of this kind in this slot when it states no preference. */
static int default_penalty(const char *kind, int slot)
{
	if (!strcmp(kind, "seminar"))
		return slot == 2 ? 0 : 2; /* evening seminars, as in the seed's class */
	if (!strcmp(kind, "site_visit") || !strcmp(kind, "opening") || !strcmp(kind, "closing"))
		return slot == 2 ? 5 : 0;
	if (!strcmp(kind, "lecture"))
		return slot == 2 ? 2 : 0;
	return 0;
}

int schedule_period(const struct schedule_map *map, const char *day, int slot)
{
	if (!day || !*day || slot < 0 || slot >= SLOTS_PER_DAY)
		return -1;
	int32_t d = date_parse(day, strlen(day));
	if (d == DATE_NONE || d < map->first_day || d >= map->first_day + map->days)
		return -1;
	return (d - map->first_day) * SLOTS_PER_DAY + slot;
}

void schedule_map_release(struct schedule_map *map)
{
	free(map->event_session);
	free(map->event_group);
	free(map->room_id);
	memset(map, 0, sizeof *map);
}

static int find_id(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return (int)i;
	return -1;
}

/* ---- what the reader may not see (schedule_input.unreadable) ---- */

static const char *booked(bool en)
{
	return en ? SCHEDULE_BOOKED_EN : SCHEDULE_BOOKED_ZH;
}

/* True when the session's class is one the reader may not see. */
static bool hidden(const struct schedule_input *in, const struct tsession *t)
{
	for (size_t k = 0; in->unreadable && k < in->n_classes; k++)
		if (in->classes[k].id == t->class_id)
			return in->unreadable[k];
	return false;
}

/* A class's name, or a session's topic, as a message to the reader may call it. */
static const char *class_name(const struct schedule_input *in, size_t k, bool en)
{
	return in->unreadable && in->unreadable[k] ? booked(en) : in->classes[k].name;
}

static const char *topic(const struct schedule_input *in, const struct tsession *t, bool en)
{
	return hidden(in, t) ? booked(en) : t->topic;
}

px_err schedule_build(const struct schedule_input *in, struct tt_problem **out,
		      struct schedule_map *map, struct problems *pb)
{
	bool en = px_lang_is_en(in->lang);
	memset(map, 0, sizeof *map);
	*out = NULL;
	if (in->n_classes == 0) {
		problems_add(pb, 0, "classes", "empty", "%s",
			     en ? "No class to schedule" : "没有需要排课的班次");
		return PX_ERR_INVALID;
	}
	/* The period range: every day of every class being arranged. A fixed class (another
	 * class whose placed sessions this solve must respect) neither widens the range nor
	 * brings its own dates: its sessions only occupy their half-days, wherever they are. */
	int32_t first = INT32_MAX, last = INT32_MIN;
	int32_t *cstart = xcalloc(in->n_classes, sizeof *cstart);
	int32_t *cend = xcalloc(in->n_classes, sizeof *cend);
	for (size_t k = 0; k < in->n_classes; k++) {
		cstart[k] =
			date_parse(in->classes[k].start_date, strlen(in->classes[k].start_date));
		cend[k] = date_parse(in->classes[k].end_date, strlen(in->classes[k].end_date));
		if (find_id(in->fixed_classes, in->n_fixed, in->classes[k].id) >= 0) {
			cstart[k] = INT32_MIN;
			cend[k] = INT32_MAX;
			continue;
		}
		if (cstart[k] == DATE_NONE || cend[k] == DATE_NONE || cend[k] < cstart[k]) {
			problems_add(pb, 0, "start_date", "invalid",
				     en ? "Class %s has no valid dates"
					: "班次「%s」的起止日期无效",
				     class_name(in, k, en));
			continue;
		}
		first = cstart[k] < first ? cstart[k] : first;
		last = cend[k] > last ? cend[k] : last;
	}
	if (!pb->n && first == INT32_MAX)
		problems_add(pb, 0, "classes", "empty", "%s",
			     en ? "No class to schedule" : "没有需要排课的班次");
	if (pb->n) {
		free(cstart);
		free(cend);
		return PX_ERR_INVALID;
	}
	map->first_day = first;
	map->days = last - first + 1;
	map->fixed_classes = in->fixed_classes;
	map->n_fixed = in->n_fixed;
	struct tt_problem *p = tt_problem_new(map->days, SLOTS_PER_DAY);
	struct tt_weights w = tt_weights_peixun();
	tt_problem_set_weights(p, &w);
	tt_problem_set_period_word(p, "半天", "half-day");
	for (int d = 0; d < map->days; d++) {
		int y, m, dd;
		date_to_ymd(first + d, &y, &m, &dd);
		char name[32];
		if (en)
			snprintf(name, sizeof name, "%04d-%02d-%02d", y, m, dd);
		else
			snprintf(name, sizeof name, "%d月%d日", m, dd);
		tt_problem_set_day_name(p, d, name);
	}
	for (int s = 0; s < SLOTS_PER_DAY; s++)
		tt_problem_set_slot_name(p, s, en ? enum_slot.items[s].en : enum_slot.items[s].zh);

	/* Sites: the distinct locations of the classes. */
	const char **sites = xcalloc(in->n_classes, sizeof *sites);
	int n_sites = 0;
	int *class_site = xcalloc(in->n_classes, sizeof *class_site);
	for (size_t k = 0; k < in->n_classes; k++) {
		const char *loc = in->classes[k].location ? in->classes[k].location : "";
		int s = 0;
		while (s < n_sites && strcmp(sites[s], loc))
			s++;
		if (s == n_sites)
			sites[n_sites++] = loc;
		class_site[k] = s;
	}
	map->room_id = xcalloc(in->n_rooms + 1, sizeof *map->room_id);
	int *site_rooms = xcalloc((size_t)n_sites, sizeof *site_rooms);
	for (size_t r = 0; r < in->n_rooms; r++) {
		int s = 0;
		while (s < n_sites && strcmp(sites[s], in->rooms[r].site))
			s++;
		if (s == n_sites)
			continue; /* a room of another site */
		char name[200];
		snprintf(name, sizeof name, "%s", in->rooms[r].name);
		tt_add_room(p, name, in->rooms[r].capacity,
			    s * RK__COUNT + room_kind_index(in->rooms[r].kind));
		map->room_id[map->n_rooms++] = in->rooms[r].id;
		site_rooms[s]++;
	}

	/* Groups (one per class) and teachers (the experts). */
	int *class_group = xcalloc(in->n_classes, sizeof *class_group);
	int *class_size = xcalloc(in->n_classes, sizeof *class_size);
	int64_t *class_ids = xcalloc(in->n_classes, sizeof *class_ids);
	for (size_t k = 0; k < in->n_classes; k++) {
		class_ids[k] = in->classes[k].id;
		class_size[k] = in->classes[k].enrolled > 0 ? (int)in->classes[k].enrolled
							    : in->classes[k].capacity;
		if (class_size[k] < 1)
			class_size[k] = 1;
		class_group[k] = tt_add_group(p, class_name(in, k, en), class_size[k]);
	}
	int64_t *expert_ids = xcalloc(in->n_experts + 1, sizeof *expert_ids);
	int *teacher = xcalloc(in->n_experts + 1, sizeof *teacher);
	for (size_t e = 0; e < in->n_experts; e++) {
		expert_ids[e] = in->experts[e].id;
		teacher[e] = tt_add_teacher(p, in->experts[e].name);
		bool restricted = !strcmp(in->experts[e].availability, "restricted");
		int periods = map->days * SLOTS_PER_DAY;
		for (int per = 0; per < periods; per++) {
			char day[11];
			date_format(first + per / SLOTS_PER_DAY, day);
			bool marked = false;
			for (size_t s = 0; s < in->n_slots && !marked; s++)
				marked = in->slots[s].expert_id == in->experts[e].id &&
					 in->slots[s].slot == per % SLOTS_PER_DAY &&
					 !strcmp(in->slots[s].day, day);
			if (marked != restricted)
				tt_teacher_unavailable(p, teacher[e], per);
		}
	}

	/* Sessions: courses and events. */
	int *first_event = xcalloc(in->n_sessions + 1, sizeof *first_event);
	size_t cap_events = in->n_sessions * 2 + 8;
	map->event_session = xcalloc(cap_events, sizeof *map->event_session);
	map->event_group = xcalloc(cap_events, sizeof *map->event_group);
	for (size_t i = 0; i < in->n_sessions; i++) {
		const struct tsession *t = &in->sessions[i];
		int k = find_id(class_ids, in->n_classes, t->class_id);
		first_event[i] = -1;
		if (k < 0) {
			problems_add(pb, 0, "class_id", "not_found",
				     en ? "Session %s belongs to no class being scheduled"
					: "课程「%s」不属于本次排课的班次",
				     topic(in, t, en));
			continue;
		}
		bool fixed = find_id(in->fixed_classes, in->n_fixed, t->class_id) >= 0;
		if (fixed && schedule_period(map, t->day, t->slot) < 0)
			continue; /* another class's unplaced session: not part of this solve */
		int groups = t->groups > 0 ? t->groups : 1;
		bool needs_room = strcmp(t->room_kind, "none") != 0;
		int kind = !needs_room ? TT_NO_ROOM
				       : class_site[k] * RK__COUNT +
						 room_kind_index(!strcmp(t->room_kind, "any")
									 ? "lecture_hall"
									 : t->room_kind);
		if (needs_room && site_rooms[class_site[k]] == 0)
			problems_add(pb, 0, "location", "no_rooms",
				     en ? "Class %s: no rooms are registered at \"%s\""
					: "班次「%s」的培训地点「%s」没有登记教室",
				     class_name(in, (size_t)k, en), sites[class_site[k]]);
		int period = schedule_period(map, t->day, t->slot);
		for (int g = 0; g < groups; g++) {
			char name[300];
			if (groups > 1)
				snprintf(name, sizeof name, en ? "%s (group %d)" : "%s(第%d组)",
					 topic(in, t, en), g + 1);
			else
				snprintf(name, sizeof name, "%s", topic(in, t, en));
			int size =
				groups > 1 ? (class_size[k] + groups - 1) / groups : class_size[k];
			int course = tt_add_course(p, name, 1, size);
			tt_course_capacity_hard(p, course, true);
			if (g == 0) {
				tt_course_add_group(p, course, class_group[k]);
				for (int x = 0; x < t->n_experts; x++) {
					int e = find_id(expert_ids, in->n_experts, t->experts[x]);
					if (e < 0)
						problems_add(pb, 0, "experts", "not_found",
							     en ? "Session %s: unknown expert"
								: "课程「%s」:授课专家不存在",
							     topic(in, t, en));
					else
						tt_course_add_teacher(p, course, teacher[e]);
				}
			}
			/* only inside the class's dates */
			for (int per = 0; per < map->days * SLOTS_PER_DAY; per++) {
				int32_t d = first + per / SLOTS_PER_DAY;
				if (d < cstart[k] || d > cend[k])
					tt_course_forbid(p, course, per);
			}
			int ev = tt_add_event(p, course, name, kind);
			if (ev < 0)
				continue;
			if ((size_t)ev >= cap_events) {
				cap_events *= 2;
				map->event_session =
					xrealloc(map->event_session,
						 cap_events * sizeof *map->event_session);
				map->event_group = xrealloc(map->event_group,
							    cap_events * sizeof *map->event_group);
			}
			map->event_session[ev] = i;
			map->event_group[ev] = g + 1;
			map->n_events = ev + 1;
			if (g == 0)
				first_event[i] = ev;
			else
				tt_add_link(p, first_event[i], ev);
			for (int per = 0; per < map->days * SLOTS_PER_DAY; per++) {
				int slot = per % SLOTS_PER_DAY;
				int pen = t->preferred_slot >= 0
						  ? (slot == t->preferred_slot ? 0 : 3)
						  : default_penalty(t->kind, slot);
				if (pen)
					tt_event_prefer(p, ev, per, pen);
			}
			int64_t room_id = g == 0                     ? t->room_id
					  : g - 1 < t->n_group_rooms ? t->group_rooms[g - 1]
								     : 0;
			int room = room_id > 0
					   ? find_id(map->room_id, (size_t)map->n_rooms, room_id)
					   : -1;
			if ((t->pinned || fixed) && period >= 0)
				tt_event_pin(p, ev, period, room);
			else if (in->keep_previous && period >= 0)
				tt_event_previous(p, ev, period, room);
		}
	}
	/* Order: explicit pairs, then opening first and closing last within a class. */
	for (size_t o = 0; o < in->n_order; o++) {
		int a = -1, b = -1;
		for (size_t i = 0; i < in->n_sessions; i++) {
			if (in->sessions[i].id == in->order[o][0])
				a = first_event[i];
			if (in->sessions[i].id == in->order[o][1])
				b = first_event[i];
		}
		if (a >= 0 && b >= 0)
			tt_add_order(p, a, b);
	}
	for (size_t i = 0; i < in->n_sessions; i++) {
		const struct tsession *t = &in->sessions[i];
		bool opening = !strcmp(t->kind, "opening"), closing = !strcmp(t->kind, "closing");
		if ((!opening && !closing) || first_event[i] < 0)
			continue;
		for (size_t j = 0; j < in->n_sessions; j++) {
			const struct tsession *u = &in->sessions[j];
			if (j == i || u->class_id != t->class_id || first_event[j] < 0 ||
			    !strcmp(u->kind, t->kind))
				continue;
			if (opening)
				tt_add_order(p, first_event[i], first_event[j]);
			else
				tt_add_order(p, first_event[j], first_event[i]);
		}
	}
	free(cstart);
	free(cend);
	free(sites);
	free(class_site);
	free(site_rooms);
	free(class_group);
	free(class_size);
	free(class_ids);
	free(expert_ids);
	free(teacher);
	free(first_event);
	const char *msg = NULL;
	px_err rc = tt_problem_error(p, &msg);
	if (rc) {
		problems_add(pb, 0, NULL, "engine", "%s", msg ? msg : "invalid problem");
	}
	if (rc || pb->n) {
		tt_problem_free(p);
		schedule_map_release(map);
		return PX_ERR_INVALID;
	}
	*out = p;
	return PX_OK;
}

void schedule_apply(const struct schedule_map *map, const struct tt_solution *sol,
		    struct tsession *sessions, size_t n_sessions, struct arena *a)
{
	for (int ev = 0; ev < map->n_events && ev < sol->n_events; ev++) {
		size_t i = map->event_session[ev];
		if (i >= n_sessions)
			continue;
		struct tsession *t = &sessions[i];
		if (find_id(map->fixed_classes, map->n_fixed, t->class_id) >= 0)
			continue;
		int g = map->event_group[ev];
		int per = sol->period[ev];
		int64_t room = sol->room[ev] >= 0 && sol->room[ev] < map->n_rooms
				       ? map->room_id[sol->room[ev]]
				       : 0;
		if (g == 1) {
			if (per < 0) {
				t->day[0] = '\0';
				t->slot = -1;
				t->room_id = 0;
				continue;
			}
			date_format(map->first_day + per / SLOTS_PER_DAY, t->day);
			t->slot = per % SLOTS_PER_DAY;
			t->room_id = room;
			if (t->groups > 1 && t->n_group_rooms != t->groups - 1) {
				t->group_rooms =
					arena_alloc(a, (size_t)t->groups * sizeof *t->group_rooms);
				t->n_group_rooms = t->groups - 1;
			}
		} else {
			if (t->n_group_rooms != t->groups - 1) {
				t->group_rooms =
					arena_alloc(a, (size_t)t->groups * sizeof *t->group_rooms);
				t->n_group_rooms = t->groups - 1;
			}
			if (g - 2 < t->n_group_rooms)
				t->group_rooms[g - 2] = room;
		}
	}
}

void schedule_current(const struct schedule_map *map, const struct tt_problem *p,
		      const struct tsession *sessions, size_t n_sessions, struct tt_solution *sol)
{
	tt_solution_init(sol, p);
	for (int ev = 0; ev < map->n_events && ev < sol->n_events; ev++) {
		size_t i = map->event_session[ev];
		if (i >= n_sessions)
			continue;
		const struct tsession *t = &sessions[i];
		int g = map->event_group[ev];
		sol->period[ev] = schedule_period(map, t->day, t->slot);
		int64_t room = g == 1                     ? t->room_id
			       : g - 2 < t->n_group_rooms ? t->group_rooms[g - 2]
							  : 0;
		if (sol->period[ev] < 0 || room <= 0 || !strcmp(t->room_kind, "none"))
			continue;
		sol->room[ev] = find_id(map->room_id, (size_t)map->n_rooms, room);
	}
}

/* ---- conflicts of a hand-made placement ---- */

static void add_conflict(struct schedule_conflicts *c, int64_t session, const char *code,
			 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void add_conflict(struct schedule_conflicts *c, int64_t session, const char *code,
			 const char *fmt, ...)
{
	if (c->n == c->alloc) {
		c->alloc = c->alloc ? c->alloc * 2 : 16;
		c->items = xrealloc(c->items, c->alloc * sizeof *c->items);
	}
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = xstrdup(code);
	va_end(ap);
	c->items[c->n++] = (struct schedule_conflict){ session, code, msg };
}

void schedule_conflicts_release(struct schedule_conflicts *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->items[i].message);
	free(c->items);
	memset(c, 0, sizeof *c);
}

static const struct room *room_of(const struct schedule_input *in, int64_t id)
{
	for (size_t r = 0; r < in->n_rooms; r++)
		if (in->rooms[r].id == id)
			return &in->rooms[r];
	return NULL;
}

static const struct training_class *class_of(const struct schedule_input *in, int64_t id)
{
	for (size_t k = 0; k < in->n_classes; k++)
		if (in->classes[k].id == id)
			return &in->classes[k];
	return NULL;
}

static const struct expert *expert_of(const struct schedule_input *in, int64_t id)
{
	for (size_t e = 0; e < in->n_experts; e++)
		if (in->experts[e].id == id)
			return &in->experts[e];
	return NULL;
}

/* The rooms a placed session occupies (its own and its groups'). */
static int rooms_of(const struct tsession *t, int64_t *out, int max)
{
	int n = 0;
	if (t->room_id > 0 && n < max)
		out[n++] = t->room_id;
	for (int g = 0; g < t->n_group_rooms && n < max; g++)
		if (t->group_rooms[g] > 0)
			out[n++] = t->group_rooms[g];
	return n;
}

/* On self's side, its clash with other over a room or an expert (`what`, its name): other by
 * its topic, or as another office's booking when the reader may not see it. */
static void add_clash(struct schedule_conflicts *out, const struct schedule_input *in, bool en,
		      bool room, const struct tsession *self, const struct tsession *other,
		      const char *what)
{
	const char *mine = topic(in, self, en);
	if (room && hidden(in, other))
		add_conflict(out, self->id, "room_clash",
			     en ? "%s: room %s is taken by " SCHEDULE_BOOKED_EN
				: "「%s」:%s 已被" SCHEDULE_BOOKED_ZH "占用",
			     mine, what);
	else if (room)
		add_conflict(out, self->id, "room_clash",
			     en ? "%s: room %s is taken by %s" : "「%s」:%s 已被「%s」占用", mine,
			     what, other->topic);
	else if (hidden(in, other))
		add_conflict(out, self->id, "expert_clash",
			     en ? "%s: expert %s has " SCHEDULE_BOOKED_EN " then"
				: "「%s」:专家 %s 该时段已有" SCHEDULE_BOOKED_ZH,
			     mine, what);
	else
		add_conflict(out, self->id, "expert_clash",
			     en ? "%s: expert %s also teaches %s then"
				: "「%s」:专家 %s 同时还要讲授「%s」",
			     mine, what, other->topic);
}

void schedule_conflicts(const struct schedule_input *in, struct schedule_conflicts *out)
{
	bool en = px_lang_is_en(in->lang);
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < in->n_sessions; i++) {
		const struct tsession *a = &in->sessions[i];
		if (!a->day[0] || a->slot < 0)
			continue;
		const struct training_class *k = class_of(in, a->class_id);
		const char *ta = topic(in, a, en);
		if (k && (strcmp(a->day, k->start_date) < 0 || strcmp(a->day, k->end_date) > 0))
			add_conflict(out, a->id, "outside_dates",
				     en ? "%s is outside the class's dates (%s to %s)"
					: "「%s」不在班次起止日期(%s 至 %s)内",
				     ta, k->start_date, k->end_date);
		int64_t ra[64];
		int nra = rooms_of(a, ra, 64);
		int size = k ? (k->enrolled > 0 ? (int)k->enrolled : k->capacity) : 0;
		int groups = a->groups > 0 ? a->groups : 1;
		for (int x = 0; x < nra; x++) {
			const struct room *rm = room_of(in, ra[x]);
			if (!rm)
				continue;
			int need = (size + groups - 1) / groups;
			if (rm->capacity < need)
				add_conflict(out, a->id, "room_too_small",
					     en ? "%s: room %s holds %d, the class needs %d"
						: "「%s」:%s 容纳 %d 人,需要 %d 人",
					     ta, rm->name, rm->capacity, need);
			if (strcmp(a->room_kind, "any") && strcmp(a->room_kind, "none") &&
			    strcmp(a->room_kind, rm->kind))
				add_conflict(out, a->id, "room_kind",
					     en ? "%s needs a %s, %s is not one"
						: "「%s」需要%s,%s 不符合",
					     ta,
					     enum_label(&enum_room_kind, a->room_kind, in->lang),
					     rm->name);
		}
		/* experts' own availability */
		for (int x = 0; x < a->n_experts; x++) {
			const struct expert *e = expert_of(in, a->experts[x]);
			if (!e)
				continue;
			bool marked = false;
			for (size_t s = 0; s < in->n_slots && !marked; s++)
				marked = in->slots[s].expert_id == e->id &&
					 in->slots[s].slot == a->slot &&
					 !strcmp(in->slots[s].day, a->day);
			bool restricted = !strcmp(e->availability, "restricted");
			if (marked != restricted)
				add_conflict(out, a->id, "expert_unavailable",
					     en ? "%s: expert %s is not available then"
						: "「%s」:专家 %s 该时段不可授课",
					     ta, e->name);
		}
		/* clashes with every later session in the same half-day */
		for (size_t j = i + 1; j < in->n_sessions; j++) {
			const struct tsession *b = &in->sessions[j];
			if (b->slot != a->slot || strcmp(b->day, a->day))
				continue;
			if (b->class_id == a->class_id) {
				add_conflict(out, a->id, "class_clash",
					     en ? "%s and %s are at the same time for one class"
						: "「%s」与「%s」在同一时段,学员无法同时参加",
					     ta, topic(in, b, en));
				add_conflict(out, b->id, "class_clash",
					     en ? "%s and %s are at the same time for one class"
						: "「%s」与「%s」在同一时段,学员无法同时参加",
					     topic(in, b, en), ta);
			}
			int64_t rb[64];
			int nrb = rooms_of(b, rb, 64);
			for (int x = 0; x < nra; x++)
				for (int y = 0; y < nrb; y++)
					if (ra[x] == rb[y]) {
						const struct room *rm = room_of(in, ra[x]);
						const char *rn = rm ? rm->name : "?";
						add_clash(out, in, en, true, a, b, rn);
						add_clash(out, in, en, true, b, a, rn);
					}
			for (int x = 0; x < a->n_experts; x++)
				for (int y = 0; y < b->n_experts; y++)
					if (a->experts[x] == b->experts[y]) {
						const struct expert *e =
							expert_of(in, a->experts[x]);
						const char *n = e ? e->name : "?";
						add_clash(out, in, en, false, a, b, n);
						add_clash(out, in, en, false, b, a, n);
					}
		}
	}
	/* order */
	for (size_t o = 0; o < in->n_order; o++) {
		const struct tsession *a = NULL, *b = NULL;
		for (size_t i = 0; i < in->n_sessions; i++) {
			if (in->sessions[i].id == in->order[o][0])
				a = &in->sessions[i];
			if (in->sessions[i].id == in->order[o][1])
				b = &in->sessions[i];
		}
		if (!a || !b || !a->day[0] || !b->day[0] || a->slot < 0 || b->slot < 0)
			continue;
		int cmp = strcmp(a->day, b->day);
		if (cmp > 0 || (cmp == 0 && a->slot >= b->slot))
			add_conflict(out, b->id, "order",
				     en ? "%s must come after %s" : "「%s」应安排在「%s」之后",
				     topic(in, b, en), topic(in, a, en));
	}
}
