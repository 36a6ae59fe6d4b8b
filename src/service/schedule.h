/*
 * schedule.h — operations on timetables (课表): the sessions of a class, the week grids with
 * their conflicts, auto-arrange (a job), one's own schedule, the printable and calendar
 * documents, and the ITC-2007 benchmark files.
 *
 *	class_sessions.c  add, edit, remove, move and pin a session
 *	grids.c           the week grids of a class, an expert, a room; the default weights
 *	solve.c           auto-arrange as a job of kind timetable.solve
 *	itc.c             the ITC-2007 benchmark: solve and score .ctt instances
 *	my_schedule.c     one's own sessions (a trainee's classes, an expert's lectures)
 *	schedule_docs.c   a class's timetable as .pdf/.ics, an expert's and one's own as .ics
 *	schedule.c        what they share: the class of a timetable in the caller's scope, the
 *	                  JSON view of a session, the classes a view of some dates must load
 *
 * Conflicts are computed over every class whose dates overlap the ones shown, so a session
 * dragged onto a half-day when its expert teaches another class, or into a room another
 * class uses, is marked at once. An archived (已归档) class's timetable is a closed record:
 * nothing of it changes. Results are JSON views in the caller's language, the shapes the
 * API replies with.
 */
#ifndef PX_SERVICE_SCHEDULE_H
#define PX_SERVICE_SCHEDULE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "domain/training.h"
#include "service/svc.h"

struct class_row;

/* The shapes of the views (svc.h): a session as its class's timetable shows it (schedule.c),
 * a placement's reply (class_sessions.c), the grids and the weights (grids.c), the reply to
 * queuing a solve (solve.c; the job's result is job_timetable_solve_result, jobs.h), one's
 * own schedule (my_schedule.c). */
extern const struct view_spec svc_class_session_shape, svc_placement_shape, svc_class_grid_shape,
	svc_expert_grid_shape, svc_room_grid_shape, svc_weights_shape, svc_solve_queued_shape,
	svc_my_schedule_shape, svc_timetable_cost_shape, svc_timetable_applied_shape,
	svc_timetable_undo_shape, svc_timetable_undone_shape;

/* ---- sessions (class_sessions.c) ---- */

/* What adding or editing a session brings: the fields as text (day and slot unused: a
 * session is placed by svc_session_place), and as sent: experts (a list of expert ids;
 * NULL: left out, so an edit keeps them) and the version an edit expects. */
struct session_form {
	struct session_input in;
	const json_t *experts;
	const json_t *version;
};

/* A new, unplaced session at the end of the class's list (the class writable by the caller
 * and not archived). */
px_err svc_session_create(struct svc *c, int64_t class_id, const struct session_form *f,
			  json_t **out);
px_err svc_session_update(struct svc *c, int64_t id, const struct session_form *f, json_t **out);
px_err svc_session_delete(struct svc *c, int64_t id);

/* A move, pin or unpin, as sent (NULL: the key was left out and keeps its value): day ("" or
 * null unplaces), slot (0, 1 or 2 with a day), room_id (null or 0: none), pinned, and
 * group_rooms (the rooms of groups 2..N of a seminar; null clears them). */
struct placement_form {
	const json_t *day, *slot, *room_id, *pinned, *group_rooms;
	bool dry_run; /* only the conflicts the move would cause; nothing saved */
};
/* {session, affected: the other sessions it now clashes with, saved}. */
px_err svc_session_place(struct svc *c, int64_t id, const struct placement_form *f, json_t **out);

/* ---- grids (grids.c) ---- */

/* The week grid of a class: {class, days, slots, sessions (with conflicts), rooms,
 * session_count, placed_count, conflict_count} (svc_class_grid_shape). */
px_err svc_class_timetable(struct svc *c, int64_t class_id, json_t **out);
/* An expert's or a room's grid from..to (NULL, or not a date: the last month of its
 * sessions, else from today; at most a year): {expert or room, and a grid's members}. */
px_err svc_expert_timetable(struct svc *c, int64_t id, const char *from, const char *to,
			    json_t **out);
px_err svc_room_timetable(struct svc *c, int64_t id, const char *from, const char *to,
			  json_t **out);
/* The soft-constraint weights auto-arrange uses unless told otherwise. */
px_err svc_timetable_weights(struct svc *c, json_t **out);

/* ---- auto-arrange (solve.c) ---- */

/* How to arrange, as sent (NULL: left out): time_limit (seconds, 1..300, default 10),
 * max_iterations, seed, keep_previous (default true), whole_term (default true: the class's
 * term, as far as the caller may change it), weights ({"preference": 3, …}). */
struct solve_form {
	const json_t *time_limit, *max_iterations, *seed, *keep_previous, *whole_term, *weights;
};
/* Queue the solve as a job of kind timetable.solve: {job_id, status: "queued", classes}. */
px_err svc_class_solve(struct svc *c, int64_t class_id, const struct solve_form *f, json_t **out);
/* The same solve now, in this thread (the command line): *result as the job's result
 * (caller decrefs); progress (0..1) goes to on_progress. */
px_err svc_class_solve_now(struct svc *c, int64_t class_id, const struct solve_form *f,
			   void (*on_progress)(void *ctx, double fraction), void *ctx,
			   json_t **result);

/* The cost of the class's timetable as it stands, by constraint (svc_timetable_cost_shape):
 * the figure a solve of the class starts from (its classes as a solve with the default
 * options takes them, the default weights), and the one `peixun demo` prints. */
px_err svc_timetable_cost(struct svc *c, int64_t class_id, json_t **out);
/* Apply the proposal of the caller's own solve job `job_id` (a JSON integer as sent) to the
 * class and the classes it arranged with it (svc_timetable_applied_shape). Refused: a class
 * ended (PX_ERR_INVALID) or archived (PX_ERR_STATE), out of the caller's reach, the job not
 * the caller's (PX_ERR_NOT_FOUND), without a proposal (PX_ERR_STATE), or stale — a session
 * of those classes changed since it was made, or it now clashes with a neighbour
 * (PX_ERR_CONFLICT). Audited per class (solve_apply). */
px_err svc_timetable_apply(struct svc *c, int64_t class_id, const json_t *job_id, json_t **out);
/* The same with the proposal in hand (the command line's solve, job_id 0). */
px_err svc_timetable_apply_proposal(struct svc *c, int64_t class_id, int64_t job_id,
				    const json_t *proposal, json_t **out);
/* Whether the class's last applied proposal can be undone now, and why not
 * (svc_timetable_undo_shape). */
px_err svc_timetable_undo_state(struct svc *c, int64_t class_id, json_t **out);
/* Undo it: every session it moved back where it was (svc_timetable_undone_shape). Refused
 * when there is none (PX_ERR_STATE), when any session of its classes changed after it, or
 * when the old placements would now clash with neighbours (PX_ERR_CONFLICT), or for a class
 * that ended (PX_ERR_INVALID). Audited per class (solve_undo). */
px_err svc_timetable_undo(struct svc *c, int64_t class_id, json_t **out);

/* ---- ITC-2007 track 3 benchmark files (itc.c) ---- */

struct itc_run_options {
	const char *source; /* the instance's file name, for the report */
	uint64_t seed;
	long time_limit_ms, max_iterations; /* 0: none */
	/* search parameters; 0 picks the tuned default (docs/engine-timetable.md) */
	double t_start, t_end;
	int hard_weight, keep_room_percent, kempe_permille;
};
/* What a run found. Release with itc_run_release. */
struct itc_run {
	struct buf solution; /* the competition's format (empty when there is none) */
	struct buf report;   /* the score's breakdown (empty when none could be made) */
	char *explanation;   /* why no feasible timetable was found, or NULL */
	char *message;       /* what went wrong, or NULL */
	enum { ITC_BAD_NONE, ITC_BAD_INSTANCE, ITC_BAD_SOLUTION } bad; /* which text */
	long hard_total, soft_total;                                   /* the validator's score */
};
/*
 * Solve the instance text[0..n) and score the solution text with the independent validator.
 * PX_OK: feasible, and the validator agrees with the engine's own total (both in
 * out->report). PX_ERR_INFEASIBLE: a solution with hard violations all the same, and
 * out->explanation. PX_ERR_INTERNAL with out->message: the written solution does not parse
 * (no report), or the validator and the engine disagree. A bad instance: its error with
 * out->message and out->bad, and no solution.
 */
px_err svc_itc_solve(const char *text, size_t n, const struct itc_run_options *o, const char *lang,
		     struct itc_run *out);
/* Score solution[0..sn) of the instance text[0..n): the breakdown in out->report;
 * PX_ERR_INFEASIBLE when it breaks hard constraints; a text that does not parse: its error
 * with out->message and out->bad. */
px_err svc_itc_validate(const char *text, size_t n, const char *solution, size_t sn,
			const char *lang, struct itc_run *out);
void itc_run_release(struct itc_run *r);

/* ---- one's own schedule (my_schedule.c) and documents (schedule_docs.c) ---- */

/* {sessions}: a trainee's classes' placed sessions and an expert's own lectures. */
px_err svc_my_schedule(struct svc *c, json_t **out);

/* A file to hand over: its bytes, type and name (in c->arena). */
struct schedule_file {
	struct buf data;
	const char *content_type;
	const char *filename;
};
/* A class's timetable as a printable A4 PDF (pdf) or iCalendar. */
px_err svc_class_timetable_file(struct svc *c, int64_t class_id, bool pdf,
				struct schedule_file *out);
/* An expert's lectures as iCalendar. */
px_err svc_expert_timetable_ics(struct svc *c, int64_t id, struct schedule_file *out);
/* One's own schedule as iCalendar. */
px_err svc_my_schedule_ics(struct svc *c, struct schedule_file *out);

#endif
