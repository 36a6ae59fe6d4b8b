/*
 * approval.h — the approval chain of plans and ad-hoc classes (unit → parent unit →
 * organization department), as a pure state machine.
 *
 * A plan or class drafted by a unit goes up its chain: the unit it reports to (主管单位),
 * when it has one, then the organization department of its region. One drafted by the
 * organization department itself needs only that department's approval. Each step can
 * approve (the next step takes over, or the item is approved) or reject with a comment (the
 * drafter edits and resubmits, and the chain starts again from its first step).
 */
#ifndef PX_APPROVAL_H
#define PX_APPROVAL_H

#include <stdbool.h>

#include "base/err.h"

enum approval_step { APPROVAL_STEP_PARENT, APPROVAL_STEP_ORG };

struct approval_chain {
	int n;
	enum approval_step steps[2];
};

/* The chain for an item drafted by a unit (has_unit) whose unit reports to a parent. */
struct approval_chain approval_chain_for(bool has_unit, bool unit_has_parent);

enum approval_action { APPROVAL_SUBMIT, APPROVAL_APPROVE, APPROVAL_REJECT };

/* Who is acting, as far as the chain cares. */
struct approval_actor {
	bool drafter;         /* may edit and submit the item */
	bool parent_approver; /* the liaison of the drafting unit's parent unit */
	bool org_approver;    /* an organization admin whose region contains the item */
	bool submitter;       /* this account submitted the item (SPEC §7: it approves no step) */
};

struct approval_state {
	const char *status; /* "none", "submitted", "approved", "rejected" (enum_approval) */
	int step;           /* index into the chain while submitted */
};

/*
 * Apply an action. Returns PX_OK and updates *s; PX_ERR_FORBIDDEN for an actor who takes no
 * part in the chain (whatever the state), or who is not the one this step waits for;
 * PX_ERR_STATE when the action does not fit the status (e.g. approving a draft);
 * PX_ERR_FORBIDDEN too when the submitter would approve or reject at any step (separation
 * of duties: another account of the approving office may);
 * PX_ERR_INVALID when a rejection has no comment.
 */
px_err approval_apply(const struct approval_chain *c, struct approval_state *s,
		      enum approval_action a, const struct approval_actor *who, bool has_comment);

/* The step that must act next ("parent" / "org"), or NULL when none does. */
const char *approval_waiting_for(const struct approval_chain *c, const struct approval_state *s);

bool approval_action_from(const char *s, enum approval_action *a);

#endif
