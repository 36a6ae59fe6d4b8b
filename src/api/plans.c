/*
 * plans.c — /api/v1/plans: HTTP ↔ the operations of service/plans.c (annual plans and
 * their approval chain). The approval body is shared with the classes' (classes.c).
 */
#include <stddef.h>

#include "api/api.h"
#include "api/body.h"
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

px_err api_plans_list(struct http_req *r)
{
	struct page_query p;
	api_list_params(r, &p, 200);
	int year = (int)http_query_long(r, "year", 0, 0, 3000);
	struct svc_page page;
	px_err rc = svc_plans_list(api_svc(r), year, &p, &page);
	return rc ? rc : api_reply_page(r, &page, &p);
}

px_err api_plans_get(struct http_req *r)
{
	int64_t id;
	json_t *out = NULL;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = svc_plan_get(api_svc(r), id, &out);
	return api_reply(r, rc, 200, out);
}

px_err api_plans_create(struct http_req *r)
{
	struct plan_form f = { .version = -1 };
	json_t *out = NULL;
	px_err rc = api_body(r, &api_plan_body, &f, false);
	if (!rc)
		rc = svc_plan_create(api_svc(r), &f, &out);
	return api_reply(r, rc, 201, out);
}

px_err api_plans_update(struct http_req *r)
{
	int64_t id;
	struct plan_form f = { .version = -1 };
	json_t *out = NULL;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = api_body(r, &api_plan_body, &f, false);
	if (!rc)
		rc = svc_plan_update(api_svc(r), id, &f, &out);
	return api_reply(r, rc, 200, out);
}

px_err api_plans_approval(struct http_req *r)
{
	int64_t id;
	struct approval_form f = { 0 };
	json_t *out = NULL;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = api_body(r, &api_approval_body, &f, false);
	if (!rc)
		rc = svc_plan_approval(api_svc(r), id, &f, &out);
	return api_reply(r, rc, 200, out);
}
