/*
 * schedule.h — a class timetable as a problem for the timetable engine, and back.
 *
 * The builder turns the classes of one solve (a class, or a party school's term of
 * concurrent classes), their sessions, the experts and the rooms into a tt_problem:
 *
 *   periods   every day from the first class's start to the last one's end × 上午/下午/晚上;
 *   groups    one per class (its trainees: the roster, or the capacity while the roster is
 *             empty); a session may only fall inside its class's dates;
 *   teachers  the experts; an "open" expert is unavailable on the half-days marked busy,
 *             a "restricted" one on every half-day not marked;
 *   rooms     the rooms of the classes' sites; a room's kind for the engine combines site
 *             and kind, so a class only gets rooms of its own site and of the kind a session
 *             asks for (capacity ≥ class size is hard);
 *   courses   one per session (one event each); a seminar held by N groups is N courses —
 *             the first carries the class, the others its sub-groups — linked to one period
 *             in N seminar rooms;
 *   order     the explicit pairs, plus the opening before and the closing after every other
 *             session of its class;
 *   prefs     a session's preferred slot (seminars default to the evening, the seed's
 *             practice); placed, unpinned sessions become the previous solution, so a
 *             re-solve moves as little as it can; pinned ones stay.
 *
 * Pure: no I/O; names are copied into the problem for its explanations.
 */
#ifndef PX_SCHEDULE_H
#define PX_SCHEDULE_H

#include <stddef.h>

#include "base/problem.h"
#include "domain/training.h"
#include "engine/timetable.h"

struct schedule_input {
	const struct training_class *classes;
	size_t n_classes;
	const struct tsession *sessions;
	size_t n_sessions;
	const struct expert *experts;
	size_t n_experts;
	const struct expert_slot *slots; /* marks of every expert above */
	size_t n_slots;
	const struct room *rooms;
	size_t n_rooms;
	const int64_t (*order)[2]; /* {before_id, after_id} */
	size_t n_order;
	const char *lang;
	bool keep_previous; /* use current placements as the previous solution */
	/* Classes that share the period but are not being arranged: their placed sessions are
	 * pinned where they are (so nothing clashes with them) and their unplaced ones left
	 * out. */
	const int64_t *fixed_classes;
	size_t n_fixed;
	/* Per class (parallel to classes; NULL: none): a class whose reader may not see it —
	 * another office's, whose experts and rooms it shares. No problem, conflict message or
	 * engine name (of a group, a course) carries its name or its sessions' topics: they
	 * read SCHEDULE_BOOKED_ZH / _EN instead. */
	const bool *unreadable;
};

/* What a message calls a class or session that its reader may not see. */
#define SCHEDULE_BOOKED_ZH "其他单位的安排"
#define SCHEDULE_BOOKED_EN "another office's booking"

/* What each engine index stands for. */
struct schedule_map {
	int32_t first_day; /* date of period 0 */
	int days;
	int n_events;
	size_t *event_session; /* event → index into input sessions */
	int *event_group;      /* event → group number (1 = the class, 2.. the sub-groups) */
	int n_rooms;
	int64_t *room_id;             /* engine room → room id */
	const int64_t *fixed_classes; /* borrowed from the input */
	size_t n_fixed;
};

/*
 * Build. On success *out is a new problem (tt_problem_free) and map is filled
 * (schedule_map_release). Problems with the input itself (a session whose class is not in
 * the input, an expert unknown, a class without dates) are added to pb and PX_ERR_INVALID is
 * returned.
 */
px_err schedule_build(const struct schedule_input *in, struct tt_problem **out,
		      struct schedule_map *map, struct problems *pb);
void schedule_map_release(struct schedule_map *map);

/* Write a solution back into the sessions (day, slot, room, group rooms); group rooms are
 * allocated from the arena. */
void schedule_apply(const struct schedule_map *map, const struct tt_solution *sol,
		    struct tsession *sessions, size_t n_sessions, struct arena *a);

/* The sessions' placements as a solution of the problem schedule_build made from them (the
 * inverse of schedule_apply): each event in its session's period (-1 when unplaced or
 * outside the map) and in its group's room (-1 when it has none, needs none, or has one the
 * map does not hold). sol is initialised here (tt_solution_release). */
void schedule_current(const struct schedule_map *map, const struct tt_problem *p,
		      const struct tsession *sessions, size_t n_sessions, struct tt_solution *sol);

/* A conflict of the current placements, for the timetable grid to mark at once. */
struct schedule_conflict {
	int64_t session_id;
	const char *code; /* room_clash, expert_clash, class_clash, expert_unavailable,
			     outside_dates, room_too_small, room_kind, order */
	char *message;    /* in the input's language; owned by the list */
};

struct schedule_conflicts {
	struct schedule_conflict *items;
	size_t n, alloc;
};

/* Every conflict of the placed sessions of the input (unplaced ones are not conflicts). */
void schedule_conflicts(const struct schedule_input *in, struct schedule_conflicts *out);
void schedule_conflicts_release(struct schedule_conflicts *c);

/* The engine's period of a day/slot, or -1 when outside the map. */
int schedule_period(const struct schedule_map *map, const char *day, int slot);

#endif
