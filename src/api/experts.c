/*
 * experts.c — /api/v1/experts (师资库, with half-day availability): HTTP ↔ the operations
 * of service/experts.c.
 */
#include <stddef.h>

#include "api/api.h"
#include "api/body.h"
#include "service/training.h"

#define EXPERT_FIELD(member, k, doc, ex)                                                           \
	{                                                                                          \
		NULL, BODY_TEXT, offsetof(struct expert_form, in.member), &expert_fields[k], 0,    \
			doc, ex                                                                    \
	}

static const struct body_field expert_body_fields[] = {
	EXPERT_FIELD(name, EF_NAME, NULL, "\"林晓峰\""),
	EXPERT_FIELD(institution, EF_INSTITUTION, NULL, "\"中共泉州市委党校\""),
	EXPERT_FIELD(title, EF_TITLE, NULL, "\"副教授\""),
	EXPERT_FIELD(topics, EF_TOPICS, "What the expert lectures on (free text)",
		     "\"乡村振兴、县域经济\""),
	EXPERT_FIELD(bio, EF_BIO, NULL, "\"\""),
	EXPERT_FIELD(availability, EF_AVAILABILITY,
		     "open: any half-day but the marked ones (default); restricted: only the "
		     "marked ones",
		     "\"restricted\""),
	{ "slots", BODY_JSON, offsetof(struct expert_form, slots), NULL, false,
	  "Marked half-days [{day, slot 0–2}]: busy ones when availability is open, the only "
	  "ones when restricted (absent: kept as they are)",
	  "[{\"day\": \"2024-06-03\", \"slot\": 0}, {\"day\": \"2024-06-04\", \"slot\": 0}]" },
	{ "version", BODY_INT, offsetof(struct expert_form, version), NULL, false,
	  "The version an update expects (optimistic locking)", "1" },
};
const struct body_spec api_expert_body = BODY_SPEC("ExpertForm", expert_body_fields);

px_err api_experts_list(struct http_req *r)
{
	struct page_query p;
	struct svc_page page;
	px_err rc = api_list_params(r, &p, 200);
	if (!rc)
		rc = svc_experts_list(api_svc(r), &p, &page);
	return rc ? rc : api_reply_page(r, &page, &p);
}

px_err api_experts_get(struct http_req *r)
{
	return api_view_by_id(r, svc_expert_get, 200);
}

px_err api_experts_create(struct http_req *r)
{
	struct expert_form f = { .version = -1 };
	struct api_in in = api_in(r, &api_expert_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_expert_create(api_svc(r), &f, &in.out), 201);
}

px_err api_experts_update(struct http_req *r)
{
	struct expert_form f = { .version = -1 };
	struct api_in in = api_in(r, &api_expert_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_expert_update(api_svc(r), in.id, &f, &in.out),
			200);
}
