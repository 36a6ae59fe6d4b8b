/*
 * plans.c — /api/v1/plans: HTTP ↔ the operations of service/plans.c (annual plans and
 * their approval chain). The approval body is shared with the classes' (classes.c).
 */
#include <stddef.h>

#include "api/api.h"
#include "api/body.h"
#include "api/query.h"
#include "service/training.h"

#define PLAN_FIELD(k, doc, ex)                                                                     \
	{                                                                                          \
		NULL, BODY_TEXT, offsetof(struct plan_form, in.v[k]), &plan_fields[k], 0, doc, ex  \
	}

static const struct body_field plan_body_fields[] = {
	PLAN_FIELD(PF_TITLE, NULL, "\"溪美街道2024年度干部教育培训计划\""),
	PLAN_FIELD(PF_YEAR, "2000–2100", "2024"),
	PLAN_FIELD(PF_BUDGET, "In yuan, 2 decimals at most", "120000.00"),
	{ "version", BODY_INT, offsetof(struct plan_form, version), NULL, false,
	  "The version an update expects (optimistic locking)", "1" },
};
const struct body_spec api_plan_body = BODY_SPEC("PlanForm", plan_body_fields);

static const struct body_field approval_body_fields[] = {
	{ "action", BODY_TEXT, offsetof(struct approval_form, action), NULL, true,
	  "submit (or resubmit) by the drafter; approve or reject by the step's approver",
	  "\"submit\"" },
	{ "comment", BODY_TEXT, offsetof(struct approval_form, comment), NULL, false,
	  "The opinion (required to reject; at most 1000 bytes, lines allowed, no control "
	  "characters)",
	  "\"请审批\"" },
};
const struct body_spec api_approval_body = BODY_SPEC("ApprovalStep", approval_body_fields);

struct plan_query {
	int64_t year;
};
static const struct query_field plan_query_fields[] = {
	{ "year", QUERY_INT, offsetof(struct plan_query, year), NULL, 1900, 3000,
	  "Plans of this year" },
};
const struct query_spec api_plan_query = QUERY_SPEC(plan_query_fields);

px_err api_plans_list(struct http_req *r)
{
	struct page_query p;
	struct plan_query f = { 0 };
	struct svc_page page;
	px_err rc = api_list_query(r, &p, 200, &api_plan_query, &f);
	if (!rc)
		rc = svc_plans_list(api_svc(r), (int)f.year, &p, &page);
	return rc ? rc : api_reply_page(r, &page, &p);
}

px_err api_plans_get(struct http_req *r)
{
	return api_view_by_id(r, svc_plan_get, 200);
}

px_err api_plans_create(struct http_req *r)
{
	struct plan_form f = { .version = -1 };
	struct api_in in = api_in(r, &api_plan_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_plan_create(api_svc(r), &f, &in.out), 201);
}

px_err api_plans_update(struct http_req *r)
{
	struct plan_form f = { .version = -1 };
	struct api_in in = api_in(r, &api_plan_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_plan_update(api_svc(r), in.id, &f, &in.out),
			200);
}

px_err api_plans_approval(struct http_req *r)
{
	struct approval_form f = { 0 };
	struct api_in in = api_in(r, &api_approval_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_plan_approval(api_svc(r), in.id, &f, &in.out),
			200);
}

/* PUT / DELETE /plans/{id}/classes/{class_id}: a class into the plan, or out of it. */
static px_err plan_class(struct http_req *r, bool add)
{
	struct api_in in = api_in(r, NULL, NULL);
	int64_t class_id = 0;
	if (!in.rc)
		in.rc = http_param_id(r, "class_id", &class_id);
	struct svc *c = api_svc(r);
	return api_done(r, &in,
			in.rc ? in.rc
			: add ? svc_plan_class_add(c, in.id, class_id, &in.out)
			      : svc_plan_class_remove(c, in.id, class_id, &in.out),
			200);
}

px_err api_plan_classes_add(struct http_req *r)
{
	return plan_class(r, true);
}

px_err api_plan_classes_remove(struct http_req *r)
{
	return plan_class(r, false);
}
