/*
 * timetable_int.h — internals shared by the timetable_*.c files; not for other layers.
 *
 * struct tt_problem is what the builder fills: plain growable arrays, names copied.
 * struct tt_model is the compiled, flattened form the search and the checks read: per-event
 * allowed periods and rooms (course forbids ∪ teacher unavailability ∪ event forbids ∪ pins),
 * CSR lists of a course's teachers and groups, link sets and order lists. tt_model_build()
 * makes one from a problem without sticky error; tt_model_release() frees it.
 */
#ifndef PX_TIMETABLE_INT_H
#define PX_TIMETABLE_INT_H

#include <stdint.h>

#include "engine/timetable.h"

struct tt_room_def {
	char *name;
	int capacity;
	int kind;
};

struct tt_teacher_def {
	char *name;
	uint8_t *unavailable; /* NULL or one flag per period */
};

struct tt_group_def {
	char *name;
	int size;
};

struct tt_course_def {
	char *name;
	int min_days;
	int students; /* < 0: sum of group sizes */
	bool capacity_hard;
	int *teachers, n_teachers, cap_teachers;
	int *groups, n_groups, cap_groups;
	uint8_t *forbidden; /* NULL or one flag per period */
};

struct tt_event_def {
	int course;
	char *name;
	int room_kind;
	int pin_period, pin_room;   /* -1: not pinned */
	int prev_period, prev_room; /* -1: no previous placement */
	uint8_t *forbidden;         /* NULL or one flag per period */
	int *preference;            /* NULL or penalty units per period */
};

struct tt_pair {
	int a, b;
};

struct tt_problem {
	px_err err;
	char *errmsg;
	int days, slots, periods;
	struct tt_weights weights;
	char **day_names;  /* days entries, NULL = default */
	char **slot_names; /* slots entries */
	char *period_word_zh, *period_word_en;

	struct tt_room_def *rooms;
	int n_rooms, cap_rooms;
	struct tt_teacher_def *teachers;
	int n_teachers, cap_teachers;
	struct tt_group_def *groups;
	int n_groups, cap_groups;
	struct tt_course_def *courses;
	int n_courses, cap_courses;
	struct tt_event_def *events;
	int n_events, cap_events;
	struct tt_pair *orders;
	int n_orders, cap_orders;
	struct tt_pair *links;
	int n_links, cap_links;
};

/* The compiled model. All arrays are owned by the model. */
struct tt_model {
	const struct tt_problem *p;
	int E, C, T, G, R, P, D, S;
	struct tt_weights w;

	int *ev_course;        /* [E] */
	uint8_t *ev_period_ok; /* [E*P] 1 = allowed */
	int *ev_periods_off;   /* [E+1] CSR of allowed periods */
	int *ev_periods;
	uint8_t *ev_room_ok; /* [E*R] */
	int *ev_rooms_off;   /* [E+1] CSR of allowed rooms (empty for TT_NO_ROOM) */
	int *ev_rooms;
	uint8_t *ev_noroom;  /* [E] */
	int *ev_pin_period;  /* [E] -1 = free */
	int *ev_pin_room;    /* [E] */
	int *ev_prev_period; /* [E] */
	int *ev_prev_room;   /* [E] */
	int *ev_pref;        /* [E*P] or NULL when no event has preferences */
	int *ev_link;        /* [E] link set id or -1 */
	int n_linksets;
	int *link_off, *link_members;     /* CSR over link sets */
	int *ord_after_off, *ord_after;   /* [E+1] CSR: events that must come after e */
	int *ord_before_off, *ord_before; /* [E+1] CSR: events that must come before e */
	bool has_order;

	int *c_students;              /* [C] */
	int *c_min_days;              /* [C] */
	int *c_teach_off, *c_teach;   /* CSR */
	int *c_group_off, *c_group;   /* CSR */
	int *c_cap_pen;               /* [C*R] students over capacity (0 if fits) */
	int *c_events_off, *c_events; /* CSR of a course's events */
	int *t_min_days;              /* [T] fewest days a teacher's events could take */
	uint8_t *c_conflict; /* [C*C] courses sharing a teacher or group (or equal); NULL when C
				is too large for the matrix */
	bool has_noroom;     /* some event needs no room */
};

void tt_model_build(struct tt_model *m, const struct tt_problem *p);
void tt_model_release(struct tt_model *m);

/* Students of course c once group sizes are summed. */
int tt_course_students(const struct tt_problem *p, int c);

/* Display names for explanations: "周一 上午"-style period label, event label. Caller frees. */
char *tt_period_label(const struct tt_problem *p, int period, bool en);
char *tt_event_label(const struct tt_problem *p, int event, bool en);

/* Append an issue to a report (takes ownership of zh and en). */
void tt_report_add(struct tt_report *r, enum tt_hard kind, char *zh, char *en);

/* Issues for the hard violations of a complete solution (used after a failed search). */
void tt_explain_solution(const struct tt_problem *p, const struct tt_solution *s,
			 struct tt_report *r);

#endif
