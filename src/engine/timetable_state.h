/*
 * timetable_state.h — the search state: a placement plus every counter the cost needs, kept
 * up to date in O(affected) by tt_state_place / tt_state_unplace.
 *
 * The state never places an event in a period or room its model forbids and never puts two
 * events in one room (callers swap instead), so RoomOccupancy, Availability, pins and room
 * kinds hold by construction; the hard count kept here is what the search may break: unplaced
 * events, teacher/group/course clashes, orders and links. `soft` is the weighted soft cost.
 * Internal to the engine.
 */
#ifndef PX_TIMETABLE_STATE_H
#define PX_TIMETABLE_STATE_H

#include "engine/timetable_int.h"

struct tt_state {
	const struct tt_model *m;
	int *period, *room; /* [E] */
	int *room_occ;      /* [P*R] event or -1 */
	int *t_cnt;         /* [T*P] */
	int *g_cnt;         /* [G*P] */
	uint64_t *g_occ;    /* [G*D] bit s set when the group has an event in slot s that day */
	int *c_cnt;         /* [C*P] */
	int *c_day;         /* [C*D] */
	int *c_ndays;       /* [C] */
	int *c_room;        /* [C*R] */
	int *c_nrooms;      /* [C] */
	int *t_day;         /* [T*D] */
	int *t_ndays;       /* [T] */
	int *cap_pen;       /* [C*R] weighted room capacity penalty */
	long hard;          /* hard units the search can break */
	long soft;          /* weighted soft cost */
	int w_mwd, w_cmp, w_stab, w_pref, w_tdays, w_moved, w_moved_room;
};

/* An empty state (all events unplaced) over model m. */
void tt_state_init(struct tt_state *st, const struct tt_model *m);
void tt_state_release(struct tt_state *st);

/* Place unplaced event e in (period, room); room -1 for events that need none. The caller
 * guarantees the room is free and both are allowed. */
void tt_state_place(struct tt_state *st, int e, int period, int room);
/* Take e out (no-op when unplaced). */
void tt_state_unplace(struct tt_state *st, int e);

/*
 * The change of hard units and weighted soft cost if e moved to (q2, r2) and, when e2 ≥ 0, e2
 * (the occupant of (q2, r2)) moved to e's place — computed without changing the state. Returns
 * false when this fast path does not apply (e unplaced, orders or links involved, e2 of e's
 * course): then apply the move and compare costs instead.
 */
bool tt_state_delta(struct tt_state *st, int e, int q2, int r2, int e2, long *hard, long *soft);

/* hard × hw + soft */
static inline long tt_state_cost(const struct tt_state *st, long hw)
{
	return st->hard * hw + st->soft;
}

#endif
