/*
 * timetable.h — the timetable engine: curriculum-based course timetabling (排课).
 *
 * One model covers peixun's classes and the ITC-2007 track 3 benchmark:
 *
 *   period   = day × slot (peixun: 3 slots a day, 上午/下午/晚上; ITC: the file's periods/day)
 *   room     = capacity + kind (lecture hall, seminar room …)
 *   teacher  = an expert (专家) with unavailable periods
 *   group    = a set of trainees who attend one event at a time (ITC curriculum, peixun class
 *              or seminar sub-group); two courses sharing a group or a teacher never meet in
 *              the same period
 *   course   = a set of events sharing teachers, groups, a number of students and a minimum
 *              number of working days
 *   event    = one lecture/session of a course: needs a room of some kind (or no room),
 *              may be pinned, forbidden in periods, prefer periods, have a previous placement
 *   order    = event A strictly before event B (a seminar after its lectures)
 *   link     = events that must share one period (a seminar run by 6 groups in 6 rooms)
 *
 * The problem is built with the tt_add_* functions. They follow the sticky-error pattern of
 * buf.h: each returns the new index (or nothing) and, on a bad argument, records the first
 * error (PX_ERR_INVALID and a message naming the call) and returns -1; check once with
 * tt_problem_error() or let tt_solve() report it. Names are copied. Everything is pure: no
 * I/O, no globals; the result depends only on the problem, the seed and the iteration budget
 * (when options.max_iterations drives the schedule).
 *
 * Hard constraints: every event placed; one event per room and period; a teacher, a group and
 * a course in one event per period; forbidden and unavailable periods; allowed rooms (kind,
 * and capacity ≥ students when the course asks for it); pins; order; links.
 * Soft constraints: see enum tt_soft and struct tt_weights. The ITC-2007 UD2 objective is
 * tt_weights_itc2007(): RoomCapacity 1, MinimumWorkingDays 5, CurriculumCompactness 2,
 * RoomStability 1, the peixun extras 0.
 */
#ifndef PX_TIMETABLE_H
#define PX_TIMETABLE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

#define TT_ANY_ROOM (-1) /* event room kind: any room */
#define TT_NO_ROOM  (-2) /* event room kind: needs no room (site visit, online) */

/* Hard constraint families, reported by tt_evaluate. Numbers index tt_hard_name(). */
enum tt_hard {
	TT_HARD_UNPLACED,         /* an event without a period */
	TT_HARD_ROOM_CLASH,       /* two events in one room and period (extra events counted) */
	TT_HARD_TEACHER_CLASH,    /* a teacher in two events of one period */
	TT_HARD_GROUP_CLASH,      /* a group in two events of one period */
	TT_HARD_COURSE_CLASH,     /* two events of one course in one period */
	TT_HARD_FORBIDDEN,        /* an event in a forbidden or unavailable period */
	TT_HARD_ROOM_NOT_ALLOWED, /* wrong kind, too small where capacity is hard, or missing room
				   */
	TT_HARD_PIN,              /* a pinned event elsewhere than its pin */
	TT_HARD_ORDER,            /* an order "A before B" broken */
	TT_HARD_LINK, /* linked events in different periods (periods beyond the first) */
	TT_HARD__COUNT
};

/* Soft constraint families; each is counted in units and multiplied by its weight. */
enum tt_soft {
	TT_SOFT_ROOM_CAPACITY,  /* per student over the room's capacity, per event */
	TT_SOFT_MIN_DAYS,       /* per day a course spreads over fewer than its minimum */
	TT_SOFT_COMPACTNESS,    /* per event of a group with no adjacent event of that group */
	TT_SOFT_ROOM_STABILITY, /* per room a course uses beyond the first */
	TT_SOFT_PREFERENCE,     /* the event's penalty for its period (tt_event_prefer) */
	TT_SOFT_TEACHER_DAYS,   /* per day a teacher teaches beyond the fewest possible */
	TT_SOFT_MOVED,          /* per event whose period differs from the previous solution */
	TT_SOFT_MOVED_ROOM,     /* per event in its previous period but another room */
	TT_SOFT__COUNT
};

/* Integer weights of the soft families (index = enum tt_soft). */
struct tt_weights {
	int w[TT_SOFT__COUNT];
};

/* ITC-2007 UD2: 1, 5, 2, 1 and zero for the peixun extras. */
struct tt_weights tt_weights_itc2007(void);
/* peixun's defaults: the UD2 weights plus preferences 1, teacher days 2, moved 10/2. */
struct tt_weights tt_weights_peixun(void);

/* Names of the constraint families for reports: English (ITC names where they exist) and
 * zh-CN. Never NULL for a valid index. */
const char *tt_hard_name(enum tt_hard h, const char *lang);
const char *tt_soft_name(enum tt_soft s, const char *lang);

struct tt_problem;

/* A new empty problem of days × slots_per_day periods; never NULL (aborts on OOM). Bad sizes
 * are recorded as the sticky error. Free with tt_problem_free. */
struct tt_problem *tt_problem_new(int days, int slots_per_day);
void tt_problem_free(struct tt_problem *p);

/* The first error recorded while building (PX_OK if none); *msg (optional) receives a
 * borrowed English message naming the call, valid until tt_problem_free. */
px_err tt_problem_error(const struct tt_problem *p, const char **msg);

void tt_problem_set_weights(struct tt_problem *p, const struct tt_weights *w);
struct tt_weights tt_problem_weights(const struct tt_problem *p);

/* Optional display names used by explanations: day d (e.g. "2月18日"), slot s (e.g. "上午"),
 * and the word for one period (zh "半天", en "half-day"; default "时段"/"period"). */
void tt_problem_set_day_name(struct tt_problem *p, int day, const char *name);
void tt_problem_set_slot_name(struct tt_problem *p, int slot, const char *name);
void tt_problem_set_period_word(struct tt_problem *p, const char *zh, const char *en);

int tt_add_room(struct tt_problem *p, const char *name, int capacity, int kind);
int tt_add_teacher(struct tt_problem *p, const char *name);
void tt_teacher_unavailable(struct tt_problem *p, int teacher, int period);
int tt_add_group(struct tt_problem *p, const char *name, int size);
/* students < 0: the sum of the sizes of the course's groups. */
int tt_add_course(struct tt_problem *p, const char *name, int min_days, int students);
void tt_course_add_teacher(struct tt_problem *p, int course, int teacher);
void tt_course_add_group(struct tt_problem *p, int course, int group);
void tt_course_forbid(struct tt_problem *p, int course, int period);
/* When set, rooms with capacity < students are not allowed (hard) instead of penalised. */
void tt_course_capacity_hard(struct tt_problem *p, int course, bool hard);

/* An event of `course`; room_kind is a room kind, TT_ANY_ROOM or TT_NO_ROOM. name may be
 * NULL (explanations then say "<course> #k"). */
int tt_add_event(struct tt_problem *p, int course, const char *name, int room_kind);
void tt_event_forbid(struct tt_problem *p, int event, int period);
/* Pin to a period (and a room, or -1 for any allowed room). */
void tt_event_pin(struct tt_problem *p, int event, int period, int room);
/* Penalty units for placing the event in `period` (e.g. a seminar: 1 in the morning). */
void tt_event_prefer(struct tt_problem *p, int event, int period, int penalty);
/* The event's placement in a previous solution (minimal-perturbation re-solve). */
void tt_event_previous(struct tt_problem *p, int event, int period, int room);
/* `before` must be in an earlier period than `after`. */
void tt_add_order(struct tt_problem *p, int before, int after);
/* a and b must share a period (links are transitive). */
void tt_add_link(struct tt_problem *p, int a, int b);

int tt_problem_periods(const struct tt_problem *p);
int tt_problem_events(const struct tt_problem *p);
int tt_problem_rooms(const struct tt_problem *p);
int tt_event_course(const struct tt_problem *p, int event);

/* A placement of every event: period[e] (-1 = unplaced) and room[e] (-1 = none). */
struct tt_solution {
	int n_events;
	int *period;
	int *room;
};

/* Allocate for the problem's events, all unplaced. Release with tt_solution_release. */
void tt_solution_init(struct tt_solution *s, const struct tt_problem *p);
void tt_solution_release(struct tt_solution *s);

/* Cost of a solution, per family (unweighted units) and weighted totals. */
struct tt_cost {
	long hard[TT_HARD__COUNT];
	long soft[TT_SOFT__COUNT];
	long hard_total; /* sum of hard units */
	long soft_total; /* sum of weight × soft units */
};

/*
 * The full (non-incremental) evaluator: recomputes every family from scratch. Works for any
 * solution, also one with clashes, forbidden periods or out-of-range rooms (counted as hard).
 * Errors: PX_ERR_INVALID when the problem has a sticky error or sizes differ.
 */
px_err tt_evaluate(const struct tt_problem *p, const struct tt_solution *s, struct tt_cost *out);

/* Progress callback: fraction of the budget used (0..1) and the best costs so far
 * (best_hard < 0 before anything was placed). Called from the solving thread about 20 times
 * a second of solving. */
typedef void tt_progress_fn(void *ctx, double fraction, long best_hard, long best_soft);

struct tt_options {
	uint64_t seed;
	long time_limit_ms;  /* 0: none */
	long max_iterations; /* 0: none; when > 0 the cooling follows iterations, not the clock,
				so the result is reproducible whatever the machine (the time
				limit, if also set, only cuts the run short). Both 0: 2,000,000
				iterations */
	tt_progress_fn *progress;
	void *progress_ctx;
	const atomic_int *cancel; /* optional: solving stops soon after *cancel becomes non-zero */
	/* Search parameters; 0 picks the tuned default (see docs/engine-timetable.md). */
	double t_start, t_end; /* annealing temperatures */
	int hard_weight;       /* weight of one hard unit during the search */
	int keep_room_percent; /* how often a move keeps the event's room (-1: never) */
	int kempe_permille;    /* share of Kempe-chain moves (-1: none) */
};

/* One explanation line in both languages (owned by the report). */
struct tt_issue {
	enum tt_hard kind;
	char *zh;
	char *en;
};

struct tt_report {
	struct tt_cost cost; /* of the returned solution, by tt_evaluate */
	bool feasible;
	long iterations;
	long elapsed_ms;
	bool prechecked_infeasible; /* the counting checks proved it before any search */
	int n_issues;
	struct tt_issue *issues;
};

void tt_report_release(struct tt_report *r);
/* All issues, one per line, in zh-CN or en (lang as px_lang_is_en). Caller frees. */
char *tt_report_explain(const struct tt_report *r, const char *lang);

/*
 * Solve. `out` is initialised here (release with tt_solution_release) and receives the best
 * assignment found; `report` is initialised here too (release with tt_report_release).
 * Returns PX_OK when the solution satisfies every hard constraint; PX_ERR_INFEASIBLE when the
 * necessary-condition checks prove it impossible (no search; out stays unplaced) or when the
 * search ended without a feasible timetable (out = the best found) — report.issues then name
 * the constraints in conflict; PX_ERR_INVALID when the problem has a sticky error (out and
 * report are still initialised, empty).
 */
px_err tt_solve(const struct tt_problem *p, const struct tt_options *opt, struct tt_solution *out,
		struct tt_report *report);

/*
 * Put events back in their previous rooms (tt_event_previous) where that costs nothing: an
 * event in its previous period but another room takes its previous room back when it is
 * free then, or trades rooms with the event there — each change kept only when no hard
 * constraint breaks and the weighted soft cost falls (tt_evaluate). The search places linked
 * events (a seminar's groups) in whatever rooms are free and never trades them back; call
 * this on its result. Not part of tt_solve, whose result it does not change. Deterministic.
 * Returns how many changes it kept (0 for a problem with a sticky error or a solution of
 * another size).
 */
int tt_restore_rooms(const struct tt_problem *p, struct tt_solution *s);

/*
 * The necessary-condition checks alone (counting per teacher, group and room kind, pins,
 * order cycles, links). Fills report->issues; returns PX_ERR_INFEASIBLE if any was found.
 * `report` is initialised here.
 */
px_err tt_precheck(const struct tt_problem *p, struct tt_report *report);

#endif
