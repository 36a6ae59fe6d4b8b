/*
 * training.h — operations on annual plans and their approval chain, classes, experts and
 * rooms (plans.c, classes.c, experts.c, rooms.c).
 *
 * Who sees what:
 *  - a plan: the organization admins and viewers of its region; a liaison sees its unit's
 *    plans and those of the units that answer to it (it approves their parent step);
 *  - a class: the organization admin of its region; the class managers of it; a unit
 *    liaison when a cadre of its unit is on the roster; a trainee on the roster; a viewer
 *    of the region. The organization admin and its class managers change it;
 *  - experts (师资库) and rooms are shared by every region for use, but kept by the region
 *    that entered them: only that region (or one above it) changes them.
 * Anything outside the caller's scope is "not found". Writes are one transaction each with
 * their audit entry; results are the JSON views the API replies with.
 *
 * Plans, and classes that belong to no plan, go through the approval chain of
 * domain/approval.h (unit → parent unit → organization department). A class leaves 草稿
 * only once approved (on its own or with its plan); the account that drafted an item does
 * not approve it.
 */
#ifndef PX_SERVICE_TRAINING_H
#define PX_SERVICE_TRAINING_H

#include "domain/training.h"
#include "service/svc.h"

struct class_row;

/* ---- the approval chain ---- */

/* What an approval step brings: "submit" (or "resubmit"), "approve" or "reject", and the
 * comment (required to reject; at most 1000 bytes of text without control characters). */
struct approval_form {
	const char *action;
	const char *comment;
};

/* ---- plans ---- */

extern const struct svc_kind svc_plan_kind;
extern const struct view_spec svc_plan_shape;

struct plan_form {
	struct plan_input in; /* title, year, budget as text (NULL = absent) */
	int64_t version;      /* the version an update expects; -1 = not given */
};

/* The plans in the caller's scope, newest year first; year 0 = every year. */
px_err svc_plans_list(struct svc *c, int year, const struct page_query *p, struct svc_page *out);
/* One plan with its approval history ("approvals"). */
px_err svc_plan_get(struct svc *c, int64_t id, json_t **out);
/* A liaison's plan is its unit's; anyone else's is its region's (PX_ERR_FORBIDDEN without
 * one). */
px_err svc_plan_create(struct svc *c, const struct plan_form *f, json_t **out);
/* Only its drafter edits it (PX_ERR_FORBIDDEN), and not while under approval or once
 * approved (PX_ERR_STATE). */
px_err svc_plan_update(struct svc *c, int64_t id, const struct plan_form *f, json_t **out);
/* One step of the chain; the plan with its approval history. A submission takes the chain
 * as the units stand then, and keeps it. */
px_err svc_plan_approval(struct svc *c, int64_t id, const struct approval_form *f, json_t **out);
/*
 * Put a class into the plan, or take it out of it (a class is in one plan at most): the
 * plan in the caller's plan.write scope, the class in its class.write scope and of the
 * plan's region. Refused (PX_ERR_STATE) while the plan is under approval; a plan already
 * approved takes only a class approved on its own (SPEC §7), and lets go only of a class
 * that did not leave draft on the plan's approval; an archived class stays where it is. The
 * plan as JSON, with its class count.
 */
px_err svc_plan_class_add(struct svc *c, int64_t plan_id, int64_t class_id, json_t **out);
px_err svc_plan_class_remove(struct svc *c, int64_t plan_id, int64_t class_id, json_t **out);

/* ---- classes ---- */

extern const struct svc_kind svc_class_kind;
extern const struct view_spec svc_class_shape;

struct class_form {
	struct class_input in; /* the fields as text (NULL = absent; the organizer, the
				  managers' phone and the report left out of an update stay) */
	int64_t plan_id;       /* 0 = none, -1 = absent (an update keeps it), -2 malformed */
	json_t *manager_ids;   /* 班主任: an array of account ids, NULL = absent (kept) */
	int64_t version;       /* -1 = not given */
};
#define CLASS_FORM_INIT                                                                            \
	{                                                                                          \
		.plan_id = -1, .version = -1                                                       \
	}

struct class_filter {
	int64_t plan_id;           /* 0 = any */
	const char *term, *status; /* NULL or "" = any */
	const char *from, *to;     /* overlapping these dates; NULL or "" = open */
};

/* Load the class `id` if it lies inside the caller's scope for perm (into row; strings in
 * c->arena), else PX_ERR_NOT_FOUND. */
px_err svc_class_load(struct svc *c, enum perm perm, int64_t id, struct class_row *row);
/* The class as JSON (the API's reply, the audit log's before/after). */
json_t *svc_class_view(struct svc *c, const struct class_row *row);

/* The classes in the caller's scope, latest start first. */
px_err svc_classes_list(struct svc *c, const struct class_filter *f, const struct page_query *p,
			struct svc_page *out);
/* One class with its approval history ("approvals"). */
px_err svc_class_get(struct svc *c, int64_t id, json_t **out);
/* The class belongs to the caller's region; it leaves draft only once approved. Its plan
 * follows the rules of svc_plan_class_add. Its managers (manager_ids) are class-manager
 * accounts the caller may see, named by an organization admin (a class manager may send
 * its class's managers back unchanged, not change them). */
px_err svc_class_create(struct svc *c, const struct class_form *f, json_t **out);
/* Never fewer places than trainees; leaving draft needs the approval. */
px_err svc_class_update(struct svc *c, int64_t id, const struct class_form *f, json_t **out);
/* Only a draft class without trainees (PX_ERR_STATE otherwise). */
px_err svc_class_delete(struct svc *c, int64_t id);
/* One step of the chain of a class outside any plan (PX_ERR_STATE for one in a plan). */
px_err svc_class_approval(struct svc *c, int64_t id, const struct approval_form *f, json_t **out);

/* ---- experts and rooms ---- */

/* Experts and rooms are shared for use across regions, but kept by the region that entered
 * them (region_id; 0: by none): PX_OK when the caller's region is that one or above it,
 * else PX_ERR_FORBIDDEN with a message (a record kept elsewhere may be used, not changed). */
px_err svc_kept_here(struct svc *c, int64_t region_id);

/* ---- experts ---- */

extern const struct svc_kind svc_expert_kind;
extern const struct view_spec svc_expert_shape;

struct expert_form {
	struct expert_input in;
	/* The marked half-days, [{"day": "2023-02-18", "slot": 0}, …] (slot 0–2: morning,
	 * afternoon, evening): busy ones of an "open" expert, the only ones of a "restricted"
	 * one. NULL keeps them as they are (none for a new expert). Borrowed. */
	json_t *slots;
	int64_t version; /* -1 = not given */
};

/* Experts whose name, institution or topics contain p->q, in the order entered. */
px_err svc_experts_list(struct svc *c, const struct page_query *p, struct svc_page *out);
/* One expert with its marked half-days ("slots"). */
px_err svc_expert_get(struct svc *c, int64_t id, json_t **out);
/* The expert is kept by the caller's region. */
px_err svc_expert_create(struct svc *c, const struct expert_form *f, json_t **out);
/* Only by the region that keeps it (PX_ERR_FORBIDDEN otherwise). */
px_err svc_expert_update(struct svc *c, int64_t id, const struct expert_form *f, json_t **out);

/* ---- rooms ---- */

extern const struct svc_kind svc_room_kind;
extern const struct view_spec svc_room_shape;

struct room_form {
	struct room_input in;
	int64_t version; /* -1 = not given */
};

/* The rooms of a site (NULL or "": every site), by site, kind and the order entered. */
px_err svc_rooms_list(struct svc *c, const char *site, const struct page_query *p,
		      struct svc_page *out);
/* A name taken at the site is a "duplicate" problem with PX_ERR_CONFLICT. */
px_err svc_room_create(struct svc *c, const struct room_form *f, json_t **out);
/* Only by the region that keeps it (PX_ERR_FORBIDDEN otherwise). */
px_err svc_room_update(struct svc *c, int64_t id, const struct room_form *f, json_t **out);

#endif
