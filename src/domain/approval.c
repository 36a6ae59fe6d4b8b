/*
 * approval.c — see approval.h.
 */
#include "domain/approval.h"

#include <string.h>

struct approval_chain approval_chain_for(bool has_unit, bool unit_has_parent)
{
	struct approval_chain c = { 0 };
	if (has_unit && unit_has_parent)
		c.steps[c.n++] = APPROVAL_STEP_PARENT;
	c.steps[c.n++] = APPROVAL_STEP_ORG;
	return c;
}

/* The step a submitted request waits at. The chain is read from the units as they are now:
 * when a unit loses its parent while its plan waits there, the step past the shortened chain
 * is its last (the organization department's), so the plan does not hang. */
static int current_step(const struct approval_chain *c, int step)
{
	return step >= c->n ? c->n - 1 : step;
}

static bool may_act(const struct approval_chain *c, int step, const struct approval_actor *who)
{
	if (step < 0 || step >= c->n)
		return false;
	return c->steps[step] == APPROVAL_STEP_PARENT ? who->parent_approver : who->org_approver;
}

px_err approval_apply(const struct approval_chain *c, struct approval_state *s,
		      enum approval_action a, const struct approval_actor *who, bool has_comment)
{
	/* Someone who takes no part in the chain is refused whatever the state, so that the
	 * answer tells a stranger nothing of where the item stands. */
	if (!who->drafter && !who->parent_approver && !who->org_approver)
		return PX_ERR_FORBIDDEN;
	switch (a) {
	case APPROVAL_SUBMIT:
		if (strcmp(s->status, "none") && strcmp(s->status, "rejected"))
			return PX_ERR_STATE;
		if (!who->drafter)
			return PX_ERR_FORBIDDEN;
		s->status = "submitted";
		s->step = 0;
		return PX_OK;
	case APPROVAL_APPROVE:
		if (strcmp(s->status, "submitted"))
			return PX_ERR_STATE;
		s->step = current_step(c, s->step);
		if (!may_act(c, s->step, who) || who->submitter)
			return PX_ERR_FORBIDDEN;
		if (s->step + 1 < c->n) {
			s->step++;
		} else {
			s->status = "approved";
			s->step = c->n;
		}
		return PX_OK;
	case APPROVAL_REJECT:
		if (strcmp(s->status, "submitted"))
			return PX_ERR_STATE;
		if (!may_act(c, current_step(c, s->step), who) || who->submitter)
			return PX_ERR_FORBIDDEN;
		if (!has_comment)
			return PX_ERR_INVALID;
		s->status = "rejected";
		s->step = 0;
		return PX_OK;
	}
	return PX_ERR_INVALID;
}

const char *approval_waiting_for(const struct approval_chain *c, const struct approval_state *s)
{
	int step = current_step(c, s->step);
	if (strcmp(s->status, "submitted") || step < 0)
		return NULL;
	return c->steps[step] == APPROVAL_STEP_PARENT ? "parent" : "org";
}

bool approval_action_from(const char *s, enum approval_action *a)
{
	static const struct {
		const char *name;
		enum approval_action a;
	} names[] = { { "submit", APPROVAL_SUBMIT },
		      { "resubmit", APPROVAL_SUBMIT },
		      { "approve", APPROVAL_APPROVE },
		      { "reject", APPROVAL_REJECT } };
	for (size_t i = 0; s && i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(s, names[i].name)) {
			*a = names[i].a;
			return true;
		}
	return false;
}
