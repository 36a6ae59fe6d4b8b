/*
 * compliance.h — the dashboard's reads of the compliance rows (学时达标情况; docs/ledger.md).
 *
 * The ledger keeps one row per cadre and window (table `compliance`, migration 0011) with
 * what the domain's evaluation required and what was credited; the status on a day follows
 * from those numbers. These queries compute that status in SQL — once, for both databases,
 * in integer day arithmetic, exactly as req_standing() of domain/requirement.c does from the
 * same numbers — and count it over the windows a dashboard asks about, inside the caller's
 * scope. tests/unit/store/test_compliance.c holds the SQL to req_standing over the edge days.
 *
 * A window selector names the windows: the calendar year Y ("year", the rules of window
 * kind year: keys "year:Y:<rule code>"), the period holding Y ("period": "period:P:<code>"
 * with P the first year of the rule's period that holds Y), or the promotions of year Y
 * ("promotion": "promotion:YYYY-MM-DD:<code>" with the promotion in Y). Year and period
 * windows are found by their exact keys (the rule codes of requirement_rules and of the
 * built-in 2023 rules), which the index compliance_window(window_key, unit_id) answers
 * for a unit as well as for a whole region; promotions by a range of keys.
 */
#ifndef PX_STORE_COMPLIANCE_H
#define PX_STORE_COMPLIANCE_H

#include <stdint.h>

#include "base/arena.h"
#include "domain/perm.h"
#include "domain/requirement.h"
#include "store/store.h"

#define COMPLIANCE_STATUSES 5 /* enum req_status: met, on_track, behind, overdue, left */

struct compliance_query {
	struct scope_filter scope; /* the caller's, for stats.read */
	const char *window_kind;   /* "year" | "period" | "promotion" */
	int year;
	const char *hours_kind; /* "centralized" | "online" */
	int32_t today;          /* the day the status is read on */
	/* filters; 0 / NULL / "": none */
	int64_t region_id; /* units in this region's subtree */
	int64_t unit_id;
	const char *unit_type, *category, *rank_level;
};

/* The counts of one combination of unit, category, rank level and first-in-command. */
struct compliance_group {
	int64_t unit_id;
	const char *unit_name, *unit_type, *region_path;
	const char *category, *rank_level;
	int is_head;
	int64_t count[COMPLIANCE_STATUSES]; /* by enum req_status */
	int64_t max_req_centi_hours;        /* the largest requirement of hours among them */
};

/* Every combination present in the selected windows (rows in arena). */
px_err compliance_groups(struct store *s, struct arena *a, const struct compliance_query *q,
			 struct compliance_group **out, size_t *n);

/* The credited hours of the selected windows in bins: counts[0] nothing credited (≤ 0),
 * counts[i] for i in 1..n_edges below edges[i-1] (and at least the edge before), and
 * counts[n_edges + 1] at least the last edge. edges ascending, n_edges ≤ 8. */
px_err compliance_histogram(struct store *s, const struct compliance_query *q, const int64_t *edges,
			    size_t n_edges, int64_t *counts);

/* Windows after a promotion open on q->today (their span holds it), in the scope and
 * filters of q (its window, kind and year are not read): how many, and how many of them
 * are neither met nor cut — newly promoted leaders still without 任职培训. */
px_err compliance_promotions_open(struct store *s, const struct compliance_query *q, int64_t *open,
				  int64_t *unmet);

/* A row of the behind list: who, where, and what is missing by when. */
struct compliance_behind {
	int64_t cadre_id;
	const char *name, *unit_name, *post, *rank_level, *category, *rule_code, *window_key;
	enum req_status status; /* behind or overdue */
	int64_t req_centi_days, req_centi_hours, got_centi_days, got_centi_hours;
	int req_classes, got_classes;
	int64_t missing_centi_days, missing_centi_hours;
	int missing_classes;
	int32_t deadline; /* the span's end, or the day the cadre left */
};

/* The windows behind or overdue on q->today (`status` "behind" or "overdue" for one of
 * them, NULL for both), most missing hours first (then missing days, then the cadre's id):
 * one page and the count of all. */
px_err compliance_behind_list(struct store *s, struct arena *a, const struct compliance_query *q,
			      const char *status, long page, long page_size,
			      struct compliance_behind **out, size_t *n, int64_t *total);

/* The children of a region (id, name, path; by sort order), for grouping by region;
 * parent_id 0: the roots. */
struct compliance_region {
	int64_t id;
	const char *name, *path;
};
px_err compliance_child_regions(struct store *s, struct arena *a, int64_t parent_id,
				struct compliance_region **out, size_t *n);

#endif
