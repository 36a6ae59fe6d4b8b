/*
 * timetable.h — timetables of classes: load what a solve needs from the store, the cost of a
 * timetable, and a solve's proposal.
 *
 * A solve covers one class or several that share experts and rooms (a party school's
 * term), with every other class that has a session placed in their dates as fixed context.
 * It saves nothing: it proposes. The proposal says which sessions move where (day, slot,
 * room, the rooms of a seminar's groups) and rests on the versions of the sessions it was
 * made from; the caller applies it (service/solve.c: checked, audited, refused once those
 * sessions changed) or, the demo, writes it at once.
 *
 * The cost of a timetable is one function, timetable_cost: the engine's evaluation of the
 * placements as they are (schedule_current) in the problem schedule_build makes of them.
 * The demo prints it, the API shows it for the current timetable, a solve gives it before
 * and after. The two minimal-perturbation families (moved, moved_room) compare a placement
 * with the previous one; a timetable evaluated as it stands is its own previous, so they
 * are 0 there: they are what a solve pays for moving, and its moves are listed instead.
 */
#ifndef PX_API_TIMETABLE_H
#define PX_API_TIMETABLE_H

#include <jansson.h>
#include <stdatomic.h>

#include "domain/schedule.h"
#include "domain/perm.h"
#include "store/store.h"

/* Everything about the classes a solve or a conflict check needs, loaded in one go. */
struct timetable_data {
	struct arena arena;
	struct schedule_input in;
	int64_t (*order)[2];
	const char **region_paths; /* per class of in.classes: its region's path */
	bool *unreadable;          /* per class, once marked (schedule_mark_unreadable) */
};

/* At most this many classes with sessions in the dates looked at are loaded beside the ones
 * shown or arranged (tsessions_busy_classes): for a grid's clashes and a solve's context. */
#define TIMETABLE_MAX_NEIGHBOURS 2000

px_err timetable_load(struct store *db, const int64_t *class_ids, size_t n, const char *lang,
		      struct timetable_data *d);
void timetable_data_release(struct timetable_data *d);

/* The classes ids[0..n) and their context: every other class with a session placed within
 * their dates, up to TIMETABLE_MAX_NEIGHBOURS (d->in.fixed_classes: their placed sessions
 * are pinned where they are, their unplaced ones left out). Release d with
 * timetable_data_release. */
px_err timetable_load_context(struct store *db, const int64_t *class_ids, size_t n,
			      const char *lang, struct timetable_data *d);

/*
 * The cost of the timetable d holds, as it stands: hard violations and the weighted soft
 * families (w; NULL: tt_weights_peixun()), by the engine's evaluator. Problems with the
 * input itself go to pb (PX_ERR_INVALID), as a solve would find them.
 */
px_err timetable_cost(const struct timetable_data *d, const struct tt_weights *w,
		      struct problems *pb, struct tt_cost *out);

struct solve_request {
	const int64_t *class_ids;
	size_t n_classes;
	long time_limit_ms;
	long max_iterations; /* > 0: reproducible (demo, tests) */
	uint64_t seed;
	bool keep_previous;
	const struct tt_weights *weights; /* NULL: tt_weights_peixun() */
	const char *lang;
	tt_progress_fn *progress;
	void *progress_ctx;
	const atomic_int *cancel; /* non-zero: stop soon (PX_ERR_CANCELLED, no proposal) */
	/* Called once the classes are loaded (NULL: none — the command line sees everything):
	 * marks the classes whoever asked may not read (in.unreadable), so that neither the
	 * explanation nor the problems name another office's classes or topics. */
	px_err (*mark)(void *ctx, struct timetable_data *d);
	void *mark_ctx;
};

struct solve_outcome {
	bool feasible;
	struct tt_weights weights;    /* the solve's */
	struct tt_cost before, after; /* timetable_cost of the placements now, and proposed */
	long iterations, elapsed_ms;
	size_t sessions, placed;     /* of the classes arranged; placed in the proposal */
	size_t moved, rooms_changed; /* sessions the proposal moves; of them, only their rooms */
	char *explanation;           /* caller frees; "" when feasible */
	struct problems problems;    /* problems with the input (caller releases) */
	/* When feasible (caller decrefs): {classes: [id], base: [{id, version}] — every session
	 * of the classes arranged as the solve found it —, moves: [{session_id, class_id, topic,
	 * kind, change: placed|moved|room|unplaced, from, to}]} where from and to are
	 * {day ("" unplaced), slot (-1), room_id (0 none), group_rooms: [id]}. */
	json_t *proposal;
};

/*
 * Solve and propose; nothing is written. PX_OK: feasible, out->proposal. PX_ERR_INFEASIBLE:
 * out->explanation names the constraints in conflict. PX_ERR_INVALID: the input itself is
 * wrong (out->problems). PX_ERR_CANCELLED: rq->cancel was set. Initializes *out.
 */
px_err timetable_solve(struct store *db, const struct solve_request *rq, struct solve_outcome *out);
void solve_outcome_release(struct solve_outcome *o);

/* Write placements {session_id, to: {day, slot, room_id, group_rooms}} (a proposal's moves,
 * or an undo's) onto their sessions, each keeping its pin; inside the caller's transaction.
 * The session ids are the caller's to have checked. */
px_err timetable_write_moves(struct store *db, struct arena *a, const json_t *moves);

#endif
