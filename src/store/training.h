/*
 * training.h — repositories of plans, approvals, classes, experts, rooms, sessions and
 * enrollments (background jobs: jobs.h). Same conventions as registry.h: SQL once for both
 * databases, rows into the caller's arena, data scope as a filter.
 */
#ifndef PX_STORE_TRAINING_H
#define PX_STORE_TRAINING_H

#include "domain/training.h"
#include "store/registry.h"

/* ---- plans and approvals ---- */

struct plan {
	int64_t id;
	int64_t region_id;
	int64_t unit_id; /* drafting unit, 0 when drafted by the organization department */
	int year;
	const char *title;
	int64_t budget_cents;
	const char *status; /* enum_approval */
	int step;
	int64_t version;
	int64_t created_by;
	int64_t created_at, updated_at;
	const char *region_name, *region_path, *unit_name;
	int64_t unit_parent_id; /* the drafting unit's parent, 0 when none */
	int64_t class_count;
	int chain_parent; /* chain at submission: 1 with the parent's step, 0 without, -1 never */
};

px_err plans_insert(struct store *s, struct plan *p);
px_err plans_get(struct store *s, struct arena *a, int64_t id, struct plan *out);
px_err plans_list(struct store *s, struct arena *a, const struct scope_filter *f, int year,
		  long page, long page_size, struct plan **items, size_t *n, int64_t *total);
px_err plans_update(struct store *s, const struct plan *p, int64_t version);
/* Status and step after an approval action (optimistic on version). */
px_err plans_set_approval(struct store *s, int64_t id, const char *status, int step,
			  int chain_parent, int64_t version);

struct approval_entry {
	int64_t id;
	int step;
	const char *action;
	const char *comment;
	const char *user_name;
	int64_t at;
};
px_err approvals_add(struct store *s, const char *entity, int64_t entity_id, int step,
		     const char *action, const char *comment, int64_t user_id);
/* The account that submitted the item last (0 when never, or at the shell). */
px_err approvals_submitter(struct store *s, const char *entity, int64_t entity_id,
			   int64_t *user_id);
px_err approvals_list(struct store *s, struct arena *a, const char *entity, int64_t entity_id,
		      struct approval_entry **items, size_t *n);

/* ---- classes ---- */

struct class_row {
	struct training_class c;
	const char *region_name, *region_path, *plan_title;
	int64_t session_count, placed_count;
	double session_hours; /* the hours of its sessions, added up */
	int64_t created_at, updated_at;
};

struct class_query {
	struct scope_filter scope; /* SCOPE_CLASSES: the caller's classes (user_id) */
	int64_t plan_id;
	const char *term;
	const char *status;
	const char *q;
	const char *from, *to; /* overlapping this date range */
	long page, page_size;
};

px_err classes_insert(struct store *s, struct training_class *c, int64_t created_by);
px_err classes_get(struct store *s, struct arena *a, int64_t id, struct class_row *out);
px_err classes_list(struct store *s, struct arena *a, const struct class_query *q,
		    struct class_row **items, size_t *n, int64_t *total);
px_err classes_update(struct store *s, const struct training_class *c, int64_t version);
px_err classes_delete(struct store *s, int64_t id);
px_err classes_set_approval(struct store *s, int64_t id, const char *status, int step,
			    int64_t version);
/* Put a class into a plan (0: into none), optimistic on version. */
px_err classes_set_plan(struct store *s, int64_t id, int64_t plan_id, int64_t version);
px_err class_managers_set(struct store *s, int64_t class_id, int64_t user_id);
/* Take one account off a class's managers (nothing when it is not one). */
px_err class_managers_remove(struct store *s, int64_t class_id, int64_t user_id);

/* 班主任 of a class: its managers' accounts, by name. */
struct class_manager {
	int64_t user_id;
	const char *display_name;
	int active;
};
px_err class_managers_of(struct store *s, struct arena *a, int64_t class_id,
			 struct class_manager **items, size_t *n);

/* A class an account manages, with the path of its region (for the caller's scope). */
struct managed_class {
	int64_t id;
	const char *name;
	char start_date[11], end_date[11];
	const char *region_path;
};
/* The classes an account manages, the latest first. */
px_err classes_managed_by(struct store *s, struct arena *a, int64_t user_id,
			  struct managed_class **items, size_t *n);
/* True when the user manages the class. */
px_err class_managed_by(struct store *s, int64_t class_id, int64_t user_id, bool *yes);
/* Ids of every class of a term (a party school's concurrent classes). */
px_err classes_of_term(struct store *s, struct arena *a, const char *term, int64_t **ids,
		       size_t *n);

/* ---- experts and rooms ---- */

px_err experts_insert(struct store *s, struct expert *e);
px_err experts_get(struct store *s, struct arena *a, int64_t id, struct expert *out);
px_err experts_list(struct store *s, struct arena *a, const char *q, long page, long page_size,
		    struct expert **items, size_t *n, int64_t *total);
px_err experts_update(struct store *s, const struct expert *e, int64_t version);
/* Replace the marked half-days of an expert (inside the caller's transaction). */
px_err expert_slots_set(struct store *s, int64_t expert_id, const struct expert_slot *slots,
			size_t n);
px_err expert_slots_get(struct store *s, struct arena *a, int64_t expert_id,
			struct expert_slot **out, size_t *n);

px_err rooms_insert(struct store *s, struct room *r);
px_err rooms_get(struct store *s, struct arena *a, int64_t id, struct room *out);
px_err rooms_list(struct store *s, struct arena *a, const char *site, long page, long page_size,
		  struct room **items, size_t *n, int64_t *total);
px_err rooms_update(struct store *s, const struct room *r, int64_t version);

/* ---- sessions ---- */

px_err sessions_insert_class(struct store *s, struct tsession *t);
px_err tsessions_get(struct store *s, struct arena *a, int64_t id, struct tsession *out);
/* Every session of the classes, with experts and group rooms, ordered by class, day, slot. */
px_err tsessions_of_classes(struct store *s, struct arena *a, const int64_t *class_ids,
			    size_t n_classes, struct tsession **out, size_t *n);
/* Sessions an expert teaches (any class). */
px_err tsessions_of_expert(struct store *s, struct arena *a, int64_t expert_id,
			   struct tsession **out, size_t *n);
/* The classes with a session placed between from and to (inclusive), at most max, in *ids
 * (arena): the only classes a placement in those dates can clash with. PX_ERR_BUSY when there
 * are more than max. */
px_err tsessions_busy_classes(struct store *s, struct arena *a, const char *from, const char *to,
			      size_t max, int64_t **ids, size_t *n);
/* First and last day an expert (expert_id > 0) or a room teaches or is used; "" when never. */
px_err tsessions_day_range(struct store *s, int64_t expert_id, int64_t room_id, char first[11],
			   char last[11]);
px_err tsessions_update(struct store *s, const struct tsession *t, int64_t version);
/* Placement only (day, slot, room, group rooms, pinned); version bumps. */
px_err tsessions_place(struct store *s, const struct tsession *t);
px_err tsessions_delete(struct store *s, int64_t id);
px_err session_experts_set(struct store *s, int64_t session_id, const int64_t *experts, size_t n);
px_err session_order_add(struct store *s, int64_t before_id, int64_t after_id);
struct session_order_pair {
	int64_t before_id, after_id;
};
px_err session_order_of_classes(struct store *s, struct arena *a, const int64_t *class_ids,
				size_t n_classes, struct session_order_pair **out, size_t *n);

/* ---- rosters ---- */

px_err enrollments_add(struct store *s, int64_t class_id, int64_t cadre_id, const char *state);
px_err enrollments_count(struct store *s, int64_t class_id, int64_t *n);
/* The seminar group (研讨小组) a cadre is in on a class's roster: 1..N, 0 while none is
 * assigned (enrollments.seminar_group; nothing assigns groups yet: SPEC §4.3). */
px_err enrollments_group(struct store *s, int64_t class_id, int64_t cadre_id, int *group);
/* True when a cadre of the unit is on the class's roster (in any state). */
px_err enrollments_unit_in_class(struct store *s, int64_t class_id, int64_t unit_id, bool *yes);
/* True when the cadre is on the class's roster (in any state). */
px_err enrollments_cadre_in_class(struct store *s, int64_t class_id, int64_t cadre_id, bool *yes);
/* True when the cadre is on the roster of a class the user manages. */
px_err enrollments_managed_by(struct store *s, int64_t user_id, int64_t cadre_id, bool *yes);
/* True when a cadre of the unit (unit_id > 0), else the cadre itself, is on the class's
 * roster in any state (who may look at a class besides its managers). */
px_err enrollments_reach(struct store *s, int64_t class_id, int64_t unit_id, int64_t cadre_id,
			 bool *yes);
/* Classes a cadre is enrolled in (any state but withdrawn/replaced/declined). */
px_err enrollments_classes_of(struct store *s, struct arena *a, int64_t cadre_id, int64_t **ids,
			      size_t *n);

#endif
