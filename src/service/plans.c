/*
 * plans.c — annual plans (年度培训计划) and their approval chain: see training.h.
 *
 * A plan drafted by a unit (its liaison) goes to the unit it answers to (主管单位), when it
 * has one, then to the organization department of its region; one drafted by the
 * department needs only the department's approval. The chain is fixed when the plan is
 * submitted (chain_parent), so a unit that gains or loses its parent meanwhile does not
 * reroute a plan already on its way.
 */
#include <string.h>

#include "service/approvals.h"
#include "service/sheets.h"
#include "store/training.h"

/* The chain a plan's approval walks: the one it was submitted into, less a parent step whose
 * parent the unit no longer has (plans from before 0004 read the units as they are). */
static struct approval_chain plan_chain(const struct plan *p)
{
	bool parent = p->unit_parent_id > 0;
	if (p->chain_parent >= 0 && !strcmp(p->status, "submitted"))
		parent = parent && p->chain_parent;
	return approval_chain_for(p->unit_id > 0, parent);
}

static px_err plan_get(struct svc *c, int64_t id, void *row)
{
	return plans_get(c->db, c->arena, id, row);
}

/* A liaison sees its unit's plans and those of the units under it; others by region. */
static px_err plan_visible(struct svc *c, enum perm perm, const void *row)
{
	const struct plan *p = row;
	if (svc_scope(c, perm).scope == SCOPE_UNIT)
		return p->unit_id == c->who->unit_id || p->unit_parent_id == c->who->unit_id
			       ? PX_OK
			       : PX_ERR_NOT_FOUND;
	return svc_may(c, perm, &(struct scope_target){ .region_path = p->region_path })
		       ? PX_OK
		       : PX_ERR_NOT_FOUND;
}

static json_t *plan_view(struct svc *c, const void *row)
{
	const struct plan *p = row;
	struct approval_chain chain = plan_chain(p);
	struct approval_state st = { p->status, p->step };
	const char *waiting = approval_waiting_for(&chain, &st);
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(p->id));
	json_object_set_new(j, "region_id", json_integer(p->region_id));
	json_object_set_new(j, "region_name", json_string(p->region_name));
	json_object_set_new(j, "unit_id", p->unit_id ? json_integer(p->unit_id) : json_null());
	json_object_set_new(j, "unit_name", json_string(p->unit_name));
	json_object_set_new(j, "year", json_integer(p->year));
	json_object_set_new(j, "title", json_string(p->title));
	json_object_set_new(j, "budget", json_real((double)p->budget_cents / 100.0));
	json_object_set_new(j, "status", json_string(p->status));
	json_object_set_new(j, "status_label",
			    json_string(svc_label(c, &enum_approval, p->status)));
	json_object_set_new(j, "waiting_for", waiting ? json_string(waiting) : json_null());
	json_object_set_new(j, "class_count", json_integer(p->class_count));
	json_object_set_new(j, "version", json_integer(p->version));
	json_object_set_new(j, "created_at", svc_time_json(p->created_at));
	return j;
}

static const struct view_field plan_view_fields[] = {
	{ "id", VIEW_INT, "Id" },
	{ "region_id", VIEW_INT, "The region it belongs to" },
	{ "region_name", VIEW_TEXT, "Its name" },
	{ "unit_id", VIEW_ID, "The unit that drafted it; null: the organization department's own" },
	{ "unit_name", VIEW_TEXT, "Its name (\"\" for the department's)" },
	{ "year", VIEW_INT, "The year it plans" },
	{ "title", VIEW_TEXT, "Title" },
	{ "budget", VIEW_NUMBER, "Budget in yuan" },
	{ "status", VIEW_TEXT, "Approval state: none (a draft), submitted, approved or rejected" },
	{ "status_label", VIEW_TEXT, "Its label" },
	{ "waiting_for", VIEW_TEXT,
	  "The step it waits at while submitted: parent (the unit it answers to) or org (the "
	  "organization department); null otherwise",
	  NULL, false, true },
	{ "class_count", VIEW_INT, "Classes in it" },
	{ "version", VIEW_INT, "Send it back with an update (optimistic locking)" },
	{ "created_at", VIEW_TIME, "When it was drafted" },
	{ "approvals", VIEW_OBJECTS, "Its approval history, oldest first (one plan, an approval)",
	  &svc_approval_shape, true },
};
const struct view_spec svc_plan_shape = VIEW_SPEC("Plan", plan_view_fields);

static const struct sheet_column plan_columns[] = {
	{ "year", &plan_fields[PF_YEAR], NULL, NULL, 8 },
	{ "title", &plan_fields[PF_TITLE], NULL, NULL, 36 },
	{ "region_name", NULL, "所属地区", "Region" },
	{ "unit_name", NULL, "单位", "Unit", 20 },
	{ "budget", &plan_fields[PF_BUDGET], NULL, NULL, 12 },
	{ "status_label", NULL, "审批状态", "Approval", 12 },
	{ "class_count", NULL, "班次数", "Classes", 8 },
	{ "created_at", NULL, "创建时间", "Created", 20, true },
};
static const struct sheet_spec plan_sheet =
	SHEET_SPEC("plan", "培训计划", "Training plans", plan_columns);

const struct svc_kind svc_plan_kind = {
	.entity = "plan",
	.row_size = sizeof(struct plan),
	.get = plan_get,
	.visible = plan_visible,
	.view = plan_view,
	.shape = &svc_plan_shape,
	.sheet = &plan_sheet,
};

/* Who the caller is to the plan's chain: its drafter (the account that drafted it, the
 * liaison of its unit, or for a department's plan an organization admin of the region), the
 * parent unit's liaison, an organization admin above it. */
static struct approval_actor plan_actor(struct svc *c, const struct plan *p)
{
	const struct principal *me = c->who;
	struct scope_target at = { .region_path = p->region_path };
	struct approval_actor who = { 0 };
	who.drafter =
		p->created_by == me->user_id ||
		(me->role == ROLE_UNIT_LIAISON && p->unit_id == me->unit_id) ||
		(me->role == ROLE_ORG_ADMIN && p->unit_id == 0 && svc_may(c, PERM_PLAN_WRITE, &at));
	who.parent_approver = me->role == ROLE_UNIT_LIAISON && p->unit_parent_id > 0 &&
			      p->unit_parent_id == me->unit_id;
	who.org_approver = svc_may(c, PERM_PLAN_APPROVE, &at);
	int64_t submitter = 0;
	approvals_submitter(c->db, "plan", p->id, &submitter);
	who.submitter = submitter > 0 && submitter == me->user_id;
	return who;
}

struct plan_list_args {
	struct scope_filter scope;
	int year;
	const struct page_query *page;
};

static px_err list_plans(struct svc *c, const void *query, void **rows, size_t *n, int64_t *total)
{
	const struct plan_list_args *q = query;
	return plans_list(c->db, c->arena, &q->scope, q->year, q->page->page, q->page->page_size,
			  (struct plan **)rows, n, total);
}

px_err svc_plans_list(struct svc *c, int year, const struct page_query *p, struct svc_page *out)
{
	struct plan_list_args q = { svc_scope(c, PERM_PLAN_READ), year, p };
	return svc_list_generic(c, &svc_plan_kind, list_plans, &q, out);
}

px_err svc_plan_get(struct svc *c, int64_t id, json_t **out)
{
	struct plan p;
	px_err rc = svc_load(c, &svc_plan_kind, PERM_PLAN_READ, id, &p);
	if (rc)
		return rc;
	*out = plan_view(c, &p);
	json_object_set_new(*out, "approvals", svc_approvals_view(c, "plan", p.id));
	return PX_OK;
}

/* The form's fields onto p (title, year, budget). */
static px_err plan_of_form(struct svc *c, const struct plan_form *f, struct plan *p)
{
	struct field_ctx fc = { .pb = c->problems, .arena = c->arena, .lang = c->lang };
	struct plan_draft d;
	plan_validate(&fc, &f->in, &d);
	p->title = d.title;
	p->year = d.year;
	p->budget_cents = d.budget_cents;
	return svc_problems_rc(c);
}

static px_err insert_plan(struct svc *c, void *input, int64_t *id)
{
	struct plan *p = input;
	px_err rc = plans_insert(c->db, p);
	*id = p->id;
	return rc;
}

px_err svc_plan_create(struct svc *c, const struct plan_form *f, json_t **out)
{
	struct plan p = { .created_by = c->who->user_id };
	px_err rc = plan_of_form(c, f, &p);
	if (rc)
		return rc;
	if (c->who->role == ROLE_UNIT_LIAISON) {
		struct unit_row u;
		if ((rc = units_get(c->db, c->arena, c->who->unit_id, &u)))
			return rc;
		p.unit_id = u.u.id;
		p.region_id = u.u.region_id;
	} else {
		p.region_id = c->who->region_id;
	}
	if (p.region_id <= 0)
		return PX_ERR_FORBIDDEN;
	return svc_create_generic(c, &svc_plan_kind, insert_plan, &p, NULL, out);
}

struct plan_change {
	struct plan p;
	int64_t version;
};

static px_err update_plan(struct svc *c, const void *before, void *input)
{
	(void)before;
	struct plan_change *ch = input;
	return plans_update(c->db, &ch->p, ch->version);
}

px_err svc_plan_update(struct svc *c, int64_t id, const struct plan_form *f, json_t **out)
{
	struct plan before;
	px_err rc = svc_load(c, &svc_plan_kind, PERM_PLAN_READ, id, &before);
	if (rc)
		return rc;
	if (!plan_actor(c, &before).drafter)
		return PX_ERR_FORBIDDEN;
	if (!strcmp(before.status, "submitted") || !strcmp(before.status, "approved"))
		return svc_fail(c, PX_ERR_STATE, "审批中或已通过的计划不能修改",
				"A plan under approval or approved cannot be edited");
	struct plan_change ch = { .p = before,
				  .version = f->version >= 0 ? f->version : before.version };
	if ((rc = plan_of_form(c, f, &ch.p)))
		return rc;
	return svc_update_generic(c, &svc_plan_kind, "update", &before, id, update_plan, &ch, out);
}

px_err svc_plan_approval(struct svc *c, int64_t id, const struct approval_form *f, json_t **out)
{
	struct plan p;
	px_err rc = svc_load(c, &svc_plan_kind, PERM_PLAN_READ, id, &p);
	if (rc)
		return rc;
	enum approval_action a;
	if ((rc = svc_approval_read(c, f, &a)))
		return rc;
	/* a submission takes the chain as the units stand now, and keeps it */
	struct approval_chain chain =
		a == APPROVAL_SUBMIT ? approval_chain_for(p.unit_id > 0, p.unit_parent_id > 0)
				     : plan_chain(&p);
	int chain_parent =
		a == APPROVAL_SUBMIT ? p.unit_id > 0 && p.unit_parent_id > 0 : p.chain_parent;
	struct approval_state st = { p.status, p.step };
	struct approval_actor who = plan_actor(c, &p);
	int step_before = p.step;
	bool has_comment = f->comment && *f->comment;
	if ((rc = approval_apply(&chain, &st, a, &who, has_comment)))
		return svc_approval_refused(c, rc, &who);
	if ((rc = svc_begin(c)))
		return rc;
	rc = plans_set_approval(c->db, p.id, st.status, st.step, chain_parent, p.version);
	if (!rc)
		rc = approvals_add(c->db, "plan", p.id, step_before, svc_approval_names[a],
				   f->comment, c->who->user_id);
	struct plan saved;
	if (!rc)
		rc = plans_get(c->db, c->arena, p.id, &saved);
	return svc_approval_commit(c, rc, svc_approval_names[a], "plan", p.id,
				   rc ? NULL : plan_view(c, &saved), out);
}
