/*
 * compliance.c — /api/v1/compliance: the compliance dashboard (学时达标情况), HTTP ↔
 * service/compliance.c. The summary's figures and the behind list (?format=xlsx: the list
 * as a spreadsheet, audited as an export).
 */
#include <stddef.h>

#include "api/api.h"
#include "api/query.h"
#include "service/compliance.h"

/* clang-format off */
#define COMPLIANCE_FILTERS \
	{ "window", QUERY_TEXT, offsetof(struct compliance_filter, window), NULL, 0, 0, "The windows: year:2023 (default this year), period:2023 (the period holding 2023), promotion:2023 (promotions in 2023)" }, \
	{ "hours_kind", QUERY_CODE, offsetof(struct compliance_filter, hours_kind), &enum_hours_kind, 0, 0, "Kind of hours (default centralized)" }, \
	{ "as_of", QUERY_DATE, offsetof(struct compliance_filter, as_of), NULL, 0, 0, "The day the status is read on (default today)" }, \
	{ "region_id", QUERY_ID, offsetof(struct compliance_filter, region_id), NULL, 0, 0, "Units in this region's subtree" }, \
	{ "unit_type", QUERY_CODE, offsetof(struct compliance_filter, unit_type), &enum_unit_type, 0, 0, "Unit type" }, \
	{ "unit_id", QUERY_ID, offsetof(struct compliance_filter, unit_id), NULL, 0, 0, "One unit" }, \
	{ "category", QUERY_CODE, offsetof(struct compliance_filter, category), &enum_category, 0, 0, "Cadre category" }, \
	{ "rank_level", QUERY_CODE, offsetof(struct compliance_filter, rank_level), &enum_rank_level, 0, 0, "Rank level" }

static const struct query_field summary_fields[] = { COMPLIANCE_FILTERS };
static const struct query_field behind_fields[] = {
	COMPLIANCE_FILTERS,
	{ "status", QUERY_TEXT, offsetof(struct compliance_filter, status), NULL, 0, 0, "behind or overdue (default both)" },
};
/* clang-format on */
const struct query_spec api_compliance_summary_query = QUERY_SPEC(summary_fields);
const struct query_spec api_compliance_behind_query = QUERY_SPEC(behind_fields);

px_err api_compliance_summary(struct http_req *r)
{
	struct compliance_filter f = { 0 };
	json_t *out = NULL;
	px_err rc = api_query(r, &api_compliance_summary_query, &f);
	if (!rc)
		rc = svc_compliance_summary(api_svc(r), &f, &out);
	return api_reply(r, rc, 200, out);
}

px_err api_compliance_behind(struct http_req *r)
{
	struct page_query p;
	struct compliance_filter f = { 0 };
	struct svc_page page;
	px_err rc = api_list_query(r, &p, 200, &api_compliance_behind_query, &f);
	if (rc)
		return rc; /* a filter dropped would list, or export, the whole scope */
	rc = svc_compliance_behind(api_svc(r), &f, &p, &page);
	return rc ? rc : api_reply_page(r, &page, &p);
}
