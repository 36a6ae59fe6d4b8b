/*
 * schedule_int.h — what the timetable operations share (schedule.c); not for callers of
 * the module, whose header is schedule.h.
 */
#ifndef PX_SERVICE_SCHEDULE_INT_H
#define PX_SERVICE_SCHEDULE_INT_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/schedule.h"
#include "service/schedule.h"
#include "service/timetable.h"
#include "store/training.h"

/* Classes arranged together (a term), or of one's own schedule, at most. */
#define SCHEDULE_MAX_CLASSES 20

/* The API's names of the soft-constraint weights (enum tt_soft). */
extern const char *const schedule_weight_keys[TT_SOFT__COUNT];

/*
 * The class `id` if the caller may use `perm` on it, else PX_ERR_NOT_FOUND: the
 * organization admin of its region, its class manager, a unit liaison with a cadre of its
 * unit on the roster, a trainee on it, a viewer of the region (as the classes module
 * decides for its own routes).
 */
px_err schedule_class_load(struct svc *c, enum perm perm, int64_t id, struct class_row *row);
/* Mark in d the classes the caller may not read (class.read, as schedule_class_load decides):
 * their sessions show as booked only (schedule_session_view) and no conflict message names
 * them (schedule_input.unreadable). */
px_err schedule_mark_unreadable(struct svc *c, struct timetable_data *d);
/* True when the session shows as booked only: d marks its class unreadable, and it is not
 * the caller's own lecture (an expert sees its own sessions in full). */
bool schedule_booked_only(struct svc *c, const struct tsession *t, const struct timetable_data *d);
/* PX_ERR_STATE (with the message) when the class is archived: its timetable is closed. */
px_err schedule_class_open(struct svc *c, const struct class_row *row);
/* schedule_class_open, and for a class that has ended (已结业) PX_ERR_INVALID with a problem
 * on "status" and the message: auto-arrange, and applying or undoing its proposals, are
 * refused there (single sessions may still be corrected, with a warning). */
px_err schedule_class_arrangeable(struct svc *c, const struct class_row *row);
/* The session `id` and its class, for `perm` (a write also needs the class open). */
px_err schedule_session_load(struct svc *c, enum perm perm, int64_t id, struct tsession *t,
			     struct class_row *row);

/* A session as JSON (of svc_class_session_shape); d (names of its class, experts and rooms)
 * and cf (its conflicts) may be NULL. A session of a class d marks unreadable — unless it is
 * the caller's own lecture — shows only its time, as booked (booked_only). */
json_t *schedule_session_view(struct svc *c, const struct tsession *t,
			      const struct timetable_data *d, const struct schedule_conflicts *cf);
/* The session of its class's timetable as a grid shows it (names, no conflicts); NULL with
 * *rc when it cannot be read. */
json_t *schedule_session_saved(struct svc *c, int64_t class_id, int64_t id, px_err *rc);

/* The classes to load for a view of these dates: every class with a session placed in them,
 * and `must` (> 0), whose unplaced sessions the view shows too. Ids in c->arena. */
px_err schedule_neighbours(struct svc *c, const char *from, const char *to, int64_t must,
			   int64_t **ids, size_t *n);

/* Which sessions a grid or a document shows: of a class, an expert, a room (key points to
 * the id), or one's own (struct schedule_mine). */
typedef bool schedule_filter(const struct tsession *t, const void *key);
schedule_filter schedule_of_class, schedule_of_expert, schedule_of_room, schedule_is_mine;

/* One's own sessions: an expert's lectures and every session of the classes on one's
 * rosters. */
struct schedule_mine {
	int64_t expert_id;
	const int64_t *rosters;
	size_t n;
};
/* One's own classes loaded (d stays empty when there are none), and the filter's key. */
px_err schedule_load_mine(struct svc *c, struct timetable_data *d, struct schedule_mine *m);
/* Add a class to a set of at most SCHEDULE_MAX_CLASSES: once, and not when it is full. */
void schedule_add_class(int64_t ids[SCHEDULE_MAX_CLASSES], size_t *n, int64_t id);

/* A value as sent, as text: strings as they are, numbers and booleans printed, null → NULL,
 * an object or array → text that fails every check (as the API reads text fields). */
const char *schedule_json_text(struct svc *c, const json_t *v);

#endif
