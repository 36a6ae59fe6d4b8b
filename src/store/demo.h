/*
 * demo.h — the few reads and writes that only the demo world (`peixun demo`) needs beside
 * the repositories it shares with everything else: a history dated in the past, and the
 * cadres it puts on rosters. Same conventions as registry.h.
 */
#ifndef PX_STORE_DEMO_H
#define PX_STORE_DEMO_H

#include "store/store.h"

/* The ids of the first `max` cadres of general rank who head no unit, in id order, into ids
 * (room for max); *n how many there were. */
px_err demo_staff_ids(struct store *s, size_t max, int64_t *ids, size_t *n);
/* Date the approval history of an item: its submissions at submitted_at, every other step
 * at decided_at (epoch seconds). */
px_err demo_approvals_date(struct store *s, const char *entity, int64_t id, int64_t submitted_at,
			   int64_t decided_at);
/* Put the classes of the region that begin in [from, to] into the plan. */
px_err demo_plan_hold(struct store *s, int64_t plan_id, int64_t region_id, const char *from,
		      const char *to);

#endif
