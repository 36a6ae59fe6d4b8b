/*
 * compliance.h — the compliance dashboard (学时达标情况; docs/ledger.md): how the cadres of
 * the caller's region stand against the training requirements, and who is behind.
 *
 * Both operations read for stats.read (the organization admin and the viewer of a region)
 * inside the caller's scope; a filter that names a region or unit outside it finds nothing.
 * The figures are counted by store/compliance.c from the compliance rows the ledger keeps
 * fresh, with the status of each window on the day asked (`as_of`, default today in
 * Beijing) computed exactly as req_standing() does.
 */
#ifndef PX_SERVICE_COMPLIANCE_H
#define PX_SERVICE_COMPLIANCE_H

#include <jansson.h>

#include "service/svc.h"

/* What both read (the API's query spec fills it; NULL / "" / 0: the default or none). */
struct compliance_filter {
	const char *window; /* "year:2023" (default: this year), "period:2023", "promotion:2023" */
	const char *hours_kind; /* "centralized" (default) | "online" */
	const char *as_of;      /* YYYY-MM-DD: the day the status is read on (default today) */
	int64_t region_id, unit_id;
	const char *unit_type, *category, *rank_level;
	const char *status; /* the behind list: "behind" | "overdue" | NULL for both */
};

/* The summary: counts by status, the compliance rate (met / (all − left)), first-in-command
 * leaders' coverage, newly promoted leaders without 任职培训, the credited hours in bins of
 * the requirement, and the counts by child region, unit type, unit (the 30 with the most
 * behind or overdue), category and rank level. A malformed window is a problem on
 * `window` (PX_ERR_INVALID). */
px_err svc_compliance_summary(struct svc *c, const struct compliance_filter *f, json_t **out);
extern const struct view_spec svc_compliance_summary_shape;

/* Who is behind or overdue, most missing hours first: name, unit, post, rank, status, what
 * is missing and by when — no ID or phone number, no record id. Its sheet exports it
 * (audited as an export of "compliance"). */
px_err svc_compliance_behind(struct svc *c, const struct compliance_filter *f,
			     const struct page_query *p, struct svc_page *out);
extern const struct view_spec svc_compliance_behind_shape;

#endif
