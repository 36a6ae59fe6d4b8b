/*
 * timetable.h — timetables of classes: load what a solve needs from the store, run the
 * engine, save the placements; and the conflicts of the current placements.
 *
 * A solve covers one class or several that share experts and rooms (a party school's
 * term). Placements are written only when the engine returns a timetable that meets every
 * hard constraint, in one transaction with its audit entry: an impossible request leaves
 * the old timetable as it was and answers with the engine's explanation.
 */
#ifndef PX_API_TIMETABLE_H
#define PX_API_TIMETABLE_H

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

struct solve_request {
	const int64_t *class_ids;
	size_t n_classes;
	long time_limit_ms;
	long max_iterations; /* > 0: reproducible (demo, tests) */
	uint64_t seed;
	bool keep_previous;
	const struct tt_weights *weights; /* NULL: tt_weights_peixun() */
	const char *lang;
	const struct principal *who; /* for the audit entry; NULL from the CLI */
	const char *ip;              /* for the audit entry: where it was asked from ("": none) */
	tt_progress_fn *progress;
	void *progress_ctx;
	const atomic_int *cancel; /* non-zero: stop soon; nothing is saved (PX_ERR_CANCELLED) */
	/* Called inside the transaction that saves the placements, before its commit (NULL:
	 * none): an error (a job cancelled or taken over meanwhile) saves nothing. */
	px_err (*confirm)(void *ctx);
	void *confirm_ctx;
	/* Called first inside that transaction, before anything is written (NULL: none): PX_OK
	 * when every class arranged may still be changed by whoever asked; else its error
	 * (PX_ERR_STATE: archived, PX_ERR_NOT_FOUND: out of reach) with *closed set to that
	 * class — then nothing is saved, and out->closed tells the caller, which may arrange
	 * again without it (its sessions were moved in this solve's answer). */
	px_err (*recheck)(void *ctx, const int64_t *class_ids, size_t n, int64_t *closed);
	void *recheck_ctx;
	/* Called once the classes are loaded (NULL: none — the command line sees everything):
	 * marks the classes whoever asked may not read (in.unreadable), so that neither the
	 * explanation nor the problems name another office's classes or topics. */
	px_err (*mark)(void *ctx, struct timetable_data *d);
	void *mark_ctx;
};

struct solve_outcome {
	bool feasible;
	struct tt_cost cost;
	long iterations, elapsed_ms;
	size_t sessions, placed;
	char *explanation;        /* caller frees; "" when feasible */
	struct problems problems; /* problems with the input (caller releases) */
	int64_t closed;           /* the class rq->recheck refused, else 0 */
};

/*
 * Solve and save. PX_OK: feasible, placements saved. PX_ERR_INFEASIBLE: nothing saved,
 * out->explanation names the constraints in conflict. PX_ERR_INVALID: the input itself is
 * wrong (out->problems). PX_ERR_CANCELLED: rq->cancel was set (or rq->confirm refused),
 * nothing saved. rq->recheck's error (out->closed set): a class may no longer be changed,
 * nothing saved. Initializes *out.
 */
px_err timetable_solve(struct store *db, const struct solve_request *rq, struct solve_outcome *out);
void solve_outcome_release(struct solve_outcome *o);

#endif
