/*
 * approvals.h — what plans.c and classes.c share of the approval chain: reading a step's
 * form, the messages of a refused step, the history as JSON, and the end of a step.
 */
#ifndef PX_SERVICE_APPROVALS_H
#define PX_SERVICE_APPROVALS_H

#include "domain/approval.h"
#include "service/training.h"

/* The names of enum approval_action in the audit log and the history. */
extern const char *const svc_approval_names[3];

/* The form's action into *a, and its comment checked; problems on "action" or "comment"
 * and PX_ERR_INVALID when they are wrong. */
px_err svc_approval_read(struct svc *c, const struct approval_form *f, enum approval_action *a);
/* What approval_apply refused, with its message (a step that is not the caller's, an action
 * that does not fit the state, a rejection without a reason); returns rc. */
px_err svc_approval_refused(struct svc *c, px_err rc, const struct approval_actor *who);
/* The history of an item, oldest first, as a JSON array (empty when it cannot be read); its
 * entries have this shape. */
json_t *svc_approvals_view(struct svc *c, const char *entity, int64_t id);
extern const struct view_spec svc_approval_shape;
/*
 * The end of a step, inside the transaction the caller began: the audit entry (`action`,
 * nothing → after) and the commit, or the rollback when rc is an error. On success *out is
 * `after` with its history; takes `after` either way.
 */
px_err svc_approval_commit(struct svc *c, px_err rc, const char *action, const char *entity,
			   int64_t id, json_t *after, json_t **out);

#endif
