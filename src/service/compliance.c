/*
 * compliance.c — the compliance dashboard's operations (see compliance.h).
 *
 * The store counts the selected windows once, by unit × category × rank level ×
 * first-in-command × status (store/compliance.c: one scan of the window's rows in the
 * caller's scope); this file folds those counts into every grouping the dashboard shows —
 * child region, unit type, unit, category, rank level — and the totals, so the groupings
 * always add up to the same totals. The histogram's bins come from the requirement of the
 * selected windows (the largest requirement of hours among them: 90 学时 for a 乡科级 year,
 * 550 for a period): nothing, below a third, below two thirds, below it, reached.
 */
#include "service/compliance.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "service/sheets.h"
#include "store/compliance.h"

/* ---- shapes ---- */

static const struct view_field counts_fields[] = {
	{ "all", VIEW_INT, "Windows counted" },
	{ "met", VIEW_INT, "Reached (已达标)" },
	{ "on_track", VIEW_INT, "Open and at least the elapsed share credited (进度正常)" },
	{ "behind", VIEW_INT, "Open and behind the elapsed share (进度滞后)" },
	{ "overdue", VIEW_INT, "Ended unreached (逾期未完成)" },
	{ "left", VIEW_INT,
	  "The cadre left inside the window unreached (已离岗): not counted in the rate" },
	{ "rate", VIEW_NUMBER, "met / (all − left), 0..1; null when nothing counts", NULL, false,
	  true },
};
static const struct view_spec counts_shape = VIEW_SPEC("ComplianceCounts", counts_fields);

static const struct view_field group_fields[] = {
	{ "code", VIEW_TEXT, "What the group is: a region's or unit's id, or a vocabulary code" },
	{ "label", VIEW_TEXT, "Its name in the caller's language" },
	{ "all", VIEW_INT, "Windows counted" },
	{ "met", VIEW_INT, "Reached" },
	{ "on_track", VIEW_INT, "On track" },
	{ "behind", VIEW_INT, "Behind" },
	{ "overdue", VIEW_INT, "Overdue" },
	{ "left", VIEW_INT, "Left" },
	{ "rate", VIEW_NUMBER, "met / (all − left); null when nothing counts", NULL, false, true },
};
static const struct view_spec group_shape = VIEW_SPEC("ComplianceGroup", group_fields);

static const struct view_field heads_fields[] = {
	{ "all", VIEW_INT, "Windows of first-in-command leaders (一把手)" },
	{ "met", VIEW_INT, "Of them reached" },
	{ "left", VIEW_INT, "Of them left" },
	{ "rate", VIEW_NUMBER, "met / (all − left); null when none", NULL, false, true },
};
static const struct view_spec heads_shape = VIEW_SPEC("ComplianceHeads", heads_fields);

static const struct view_field promo_fields[] = {
	{ "open", VIEW_INT, "Windows after a promotion open on the day (提任后一年内)" },
	{ "lacking", VIEW_INT,
	  "Of them neither met nor left: newly promoted leaders still without 任职培训" },
};
static const struct view_spec promo_shape = VIEW_SPEC("CompliancePromotions", promo_fields);

static const struct view_field bin_fields[] = {
	{ "label", VIEW_TEXT, "The bin as people read it: 0, <30, 30–60, ≥90 (学时)" },
	{ "from", VIEW_NUMBER, "Credited hours from (inclusive; 0 for the first two)" },
	{ "to", VIEW_NUMBER, "Below this many hours; null for the last", NULL, false, true },
	{ "count", VIEW_INT, "Windows in it" },
};
static const struct view_spec bin_shape = VIEW_SPEC("ComplianceBin", bin_fields);

static const struct view_field summary_fields[] = {
	{ "window", VIEW_TEXT,
	  "The windows counted: year:2023, period:2023 (the period holding 2023), promotion:2023" },
	{ "hours_kind", VIEW_TEXT, "centralized or online" },
	{ "as_of", VIEW_TEXT, "The day the status is read on (YYYY-MM-DD)" },
	{ "totals", VIEW_OBJECT, "Counts by status, and the compliance rate", &counts_shape },
	{ "heads", VIEW_OBJECT, "First-in-command leaders' coverage", &heads_shape },
	{ "promotions", VIEW_OBJECT, "Newly promoted leaders and 任职培训", &promo_shape },
	{ "requirement_hours", VIEW_NUMBER,
	  "The requirement the bins are cut from (0: none in hours)" },
	{ "histogram", VIEW_OBJECTS, "Credited hours in bins", &bin_shape },
	{ "by_region", VIEW_OBJECTS,
	  "By child region of the caller's (or the filter's) region; units of that region itself "
	  "last",
	  &group_shape },
	{ "by_unit_type", VIEW_OBJECTS, "By unit type", &group_shape },
	{ "by_unit", VIEW_OBJECTS, "By unit: the 30 with the most behind or overdue",
	  &group_shape },
	{ "units", VIEW_INT, "Units with windows counted (by_unit shows at most 30)" },
	{ "by_category", VIEW_OBJECTS, "By cadre category", &group_shape },
	{ "by_rank_level", VIEW_OBJECTS, "By rank level, senior first", &group_shape },
};
const struct view_spec svc_compliance_summary_shape =
	VIEW_SPEC("ComplianceSummary", summary_fields);

static const struct view_field behind_fields[] = {
	{ "name", VIEW_TEXT, "The cadre's name" },
	{ "unit_name", VIEW_TEXT, "Its unit" },
	{ "post", VIEW_TEXT, "Its post" },
	{ "rank_level", VIEW_TEXT, "Rank level (code)" },
	{ "rank_level_label", VIEW_TEXT, "Rank level" },
	{ "category_label", VIEW_TEXT, "Category" },
	{ "rule_code", VIEW_TEXT, "The requirement rule of the window" },
	{ "window_key", VIEW_TEXT, "The window: year:2023:township_down_yearly …" },
	{ "status", VIEW_TEXT, "behind or overdue" },
	{ "status_label", VIEW_TEXT, "The status in the caller's language" },
	{ "required_hours", VIEW_NUMBER, "学时 required over the span (prorated; 0: none)" },
	{ "credited_hours", VIEW_NUMBER, "学时 credited" },
	{ "missing_hours", VIEW_NUMBER, "学时 still missing (≥ 0)" },
	{ "required_days", VIEW_NUMBER, "Days required (0: none)" },
	{ "credited_days", VIEW_NUMBER, "Days credited" },
	{ "missing_days", VIEW_NUMBER, "Days still missing (≥ 0)" },
	{ "required_classes", VIEW_INT, "Classes required (任职培训; 0: none)" },
	{ "missing_classes", VIEW_INT, "Classes still missing" },
	{ "deadline", VIEW_TEXT, "The window's end (YYYY-MM-DD), or the day the cadre left" },
};
const struct view_spec svc_compliance_behind_shape = VIEW_SPEC("ComplianceBehind", behind_fields);

static const char *hours_text(struct svc *c, json_t *item, const char *key)
{
	return arena_printf(c->arena, "%g", json_number_value(json_object_get(item, key)));
}
static const char *missing_hours_cell(struct svc *c, json_t *item)
{
	return hours_text(c, item, "missing_hours");
}
static const char *missing_days_cell(struct svc *c, json_t *item)
{
	return hours_text(c, item, "missing_days");
}
static const char *required_hours_cell(struct svc *c, json_t *item)
{
	return hours_text(c, item, "required_hours");
}
static const char *credited_hours_cell(struct svc *c, json_t *item)
{
	return hours_text(c, item, "credited_hours");
}

/* The sheet is the list's columns, and nothing more. */
static const struct sheet_column behind_columns[] = {
	{ "name", NULL, "姓名", "Name", 10 },
	{ "unit_name", NULL, "单位", "Unit", 24 },
	{ "post", NULL, "职务", "Post", 18 },
	{ "rank_level_label", NULL, "职级", "Rank level", 10 },
	{ "status_label", NULL, "状态", "Status", 10 },
	{ "required_hours", NULL, "应修学时", "Hours required", 10, false, required_hours_cell },
	{ "credited_hours", NULL, "已修学时", "Hours credited", 10, false, credited_hours_cell },
	{ "missing_hours", NULL, "差额学时", "Hours missing", 10, false, missing_hours_cell },
	{ "missing_days", NULL, "差额天数", "Days missing", 10, false, missing_days_cell },
	{ "deadline", NULL, "截止日期", "Deadline", 12 },
};
static const struct sheet_spec behind_sheet =
	SHEET_SPEC("compliance", "学时未达标人员", "Cadres behind on training", behind_columns);

/* ---- reading the filter ---- */

static bool read_year(const char *s, int *year)
{
	if (strlen(s) != 4)
		return false;
	int y = 0;
	for (int i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		y = y * 10 + (s[i] - '0');
	}
	*year = y;
	return y >= 1990 && y <= 2100;
}

static px_err read_filter(struct svc *c, const struct compliance_filter *f,
			  struct compliance_query *q)
{
	*q = (struct compliance_query){ 0 };
	q->scope = svc_scope(c, PERM_STATS_READ);
	q->today = date_today_cst();
	if (f->as_of && *f->as_of) {
		q->today = date_parse(f->as_of, strlen(f->as_of));
		if (q->today == DATE_NONE)
			svc_problem(c, "as_of", "invalid", "日期格式应为 YYYY-MM-DD",
				    "A date is YYYY-MM-DD");
	}
	int y = 2023, m, d;
	if (q->today != DATE_NONE)
		date_to_ymd(q->today, &y, &m, &d);
	q->window_kind = "year";
	q->year = y;
	if (f->window && *f->window) {
		const char *colon = strchr(f->window, ':');
		size_t kind_len = colon ? (size_t)(colon - f->window) : strlen(f->window);
		static const char *const kinds[] = { "year", "period", "promotion" };
		const char *kind = NULL;
		for (size_t i = 0; i < 3; i++)
			if (strlen(kinds[i]) == kind_len && !strncmp(f->window, kinds[i], kind_len))
				kind = kinds[i];
		if (!kind || (colon && !read_year(colon + 1, &q->year)))
			svc_problem(c, "window", "invalid",
				    "统计口径应为 year:年份、period:年份 或 promotion:年份",
				    "A window is year:YYYY, period:YYYY or promotion:YYYY");
		else
			q->window_kind = kind;
	}
	q->hours_kind = f->hours_kind && *f->hours_kind ? f->hours_kind : "centralized";
	q->region_id = f->region_id;
	q->unit_id = f->unit_id;
	q->unit_type = f->unit_type;
	q->category = f->category;
	q->rank_level = f->rank_level;
	return svc_problems_rc(c);
}

/* ---- folding the counts ---- */

struct agg {
	const char *code, *label;
	int64_t count[COMPLIANCE_STATUSES];
};

static void agg_add(struct agg *a, const int64_t *count)
{
	for (int s = 0; s < COMPLIANCE_STATUSES; s++)
		a->count[s] += count[s];
}

static int64_t agg_all(const struct agg *a)
{
	int64_t n = 0;
	for (int s = 0; s < COMPLIANCE_STATUSES; s++)
		n += a->count[s];
	return n;
}

static json_t *rate_json(int64_t met, int64_t all, int64_t left)
{
	int64_t base = all - left;
	if (base <= 0)
		return json_null();
	return json_real((double)(met * 10000 / base) / 10000.0);
}

static json_t *counts_json(const struct agg *a, bool group)
{
	json_t *j = json_object();
	if (group) {
		json_object_set_new(j, "code", json_string(a->code));
		json_object_set_new(j, "label", json_string(a->label));
	}
	int64_t all = agg_all(a);
	json_object_set_new(j, "all", json_integer(all));
	for (int s = 0; s < COMPLIANCE_STATUSES; s++)
		json_object_set_new(j, req_status_code((enum req_status)s),
				    json_integer(a->count[s]));
	json_object_set_new(j, "rate", rate_json(a->count[REQ_MET], all, a->count[REQ_LEFT]));
	return j;
}

/* One group per code of a vocabulary, in its order; codes outside it after, as they are. */
static json_t *by_code(struct svc *c, const struct enum_table *t, const struct compliance_group *g,
		       size_t n, size_t member)
{
	struct agg *a = arena_alloc(c->arena, (t->n + n + 1) * sizeof *a);
	size_t k = 0;
	for (size_t i = 0; i < t->n; i++)
		a[k++] = (struct agg){ t->items[i].code, svc_label(c, t, t->items[i].code), { 0 } };
	for (size_t i = 0; i < n; i++) {
		const char *code = *(const char *const *)((const char *)&g[i] + member);
		size_t j = 0;
		while (j < k && strcmp(a[j].code, code))
			j++;
		if (j == k)
			a[k++] = (struct agg){ code, code, { 0 } };
		agg_add(&a[j], g[i].count);
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < k; i++)
		if (agg_all(&a[i]) > 0)
			json_array_append_new(arr, counts_json(&a[i], true));
	return arr;
}

static px_err by_region(struct svc *c, const struct compliance_query *q,
			const struct compliance_group *g, size_t n, json_t **out)
{
	int64_t base = q->region_id > 0 ? q->region_id : c->who->region_id;
	struct compliance_region *ch = NULL;
	size_t nch = 0;
	px_err rc = compliance_child_regions(c->db, c->arena, base, &ch, &nch);
	if (rc)
		return rc;
	struct agg *a = arena_alloc(c->arena, (nch + 1) * sizeof *a);
	for (size_t i = 0; i < nch; i++)
		a[i] = (struct agg){ arena_printf(c->arena, "%lld", (long long)ch[i].id),
				     ch[i].name,
				     { 0 } };
	/* units of the base region itself, and of regions outside every child (none) */
	a[nch] = (struct agg){ arena_printf(c->arena, "%lld", (long long)base),
			       svc_text(c, "本级", "The region itself"),
			       { 0 } };
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < nch && strncmp(g[i].region_path, ch[j].path, strlen(ch[j].path)))
			j++;
		agg_add(&a[j], g[i].count);
	}
	*out = json_array();
	for (size_t i = 0; i <= nch; i++)
		if (agg_all(&a[i]) > 0)
			json_array_append_new(*out, counts_json(&a[i], true));
	return PX_OK;
}

static int64_t not_met(const struct agg *a)
{
	return a->count[REQ_BEHIND] + a->count[REQ_OVERDUE];
}

static int cmp_units(const void *x, const void *y)
{
	const struct agg *a = x, *b = y;
	int64_t d = not_met(b) - not_met(a);
	if (d)
		return d > 0 ? 1 : -1;
	d = agg_all(b) - agg_all(a);
	if (d)
		return d > 0 ? 1 : -1;
	return strcmp(a->label, b->label);
}

/* The units, the 30 with the most behind or overdue first. g is ordered by unit. */
static json_t *by_unit(struct svc *c, const struct compliance_group *g, size_t n, int64_t *units)
{
	struct agg *a = arena_alloc(c->arena, (n + 1) * sizeof *a);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!k || (i > 0 && g[i].unit_id != g[i - 1].unit_id))
			a[k++] = (struct agg){ arena_printf(c->arena, "%lld",
							    (long long)g[i].unit_id),
					       g[i].unit_name,
					       { 0 } };
		agg_add(&a[k - 1], g[i].count);
	}
	qsort(a, k, sizeof *a, cmp_units);
	*units = (int64_t)k;
	json_t *arr = json_array();
	for (size_t i = 0; i < k && i < 30; i++)
		json_array_append_new(arr, counts_json(&a[i], true));
	return arr;
}

static json_t *hours_json(int64_t centi)
{
	return json_real((double)centi / 100.0);
}

static const char *hours_label(struct svc *c, int64_t centi)
{
	return arena_printf(c->arena, "%g", (double)centi / 100.0);
}

static px_err histogram(struct svc *c, const struct compliance_query *q, int64_t req, json_t **out)
{
	*out = json_array();
	if (req <= 0)
		return PX_OK;
	int64_t edges[3];
	size_t ne = 0;
	int64_t third = req / 3 / 100 * 100, two = req * 2 / 3 / 100 * 100;
	if (third > 0 && two > third) {
		edges[ne++] = third;
		edges[ne++] = two;
	}
	edges[ne++] = req;
	int64_t counts[5];
	px_err rc = compliance_histogram(c->db, q, edges, ne, counts);
	if (rc)
		return rc;
	for (size_t i = 0; i <= ne + 1; i++) {
		int64_t from = i <= 1 ? 0 : edges[i - 2];
		const char *label =
			i == 0   ? "0"
			: i == 1 ? arena_printf(c->arena, "<%s", hours_label(c, edges[0]))
			: i == ne + 1
				? arena_printf(c->arena, "≥%s", hours_label(c, edges[ne - 1]))
				: arena_printf(c->arena, "%s–%s", hours_label(c, edges[i - 2]),
					       hours_label(c, edges[i - 1]));
		json_array_append_new(*out, json_pack("{ss so so sI}", "label", label, "from",
						      hours_json(from), "to",
						      i == 0        ? hours_json(0)
						      : i == ne + 1 ? json_null()
								    : hours_json(edges[i - 1]),
						      "count", (json_int_t)counts[i]));
	}
	return PX_OK;
}

px_err svc_compliance_summary(struct svc *c, const struct compliance_filter *f, json_t **out)
{
	struct compliance_query q;
	px_err rc = read_filter(c, f, &q);
	if (rc)
		return rc;
	struct compliance_group *g;
	size_t n;
	if ((rc = compliance_groups(c->db, c->arena, &q, &g, &n)))
		return rc;
	struct agg totals = { 0 }, heads = { 0 };
	int64_t req = 0;
	for (size_t i = 0; i < n; i++) {
		agg_add(&totals, g[i].count);
		if (g[i].is_head)
			agg_add(&heads, g[i].count);
		if (g[i].max_req_centi_hours > req)
			req = g[i].max_req_centi_hours;
	}
	int64_t open = 0, lacking = 0, units = 0;
	json_t *hist = NULL, *regions = NULL;
	if (!rc)
		rc = compliance_promotions_open(c->db, &q, &open, &lacking);
	if (!rc)
		rc = histogram(c, &q, req, &hist);
	if (!rc)
		rc = by_region(c, &q, g, n, &regions);
	if (rc) {
		json_decref(hist);
		json_decref(regions);
		return rc;
	}
	char day[11];
	json_t *j = json_object();
	json_object_set_new(j, "window",
			    json_string(arena_printf(c->arena, "%s:%d", q.window_kind, q.year)));
	json_object_set_new(j, "hours_kind", json_string(q.hours_kind));
	json_object_set_new(j, "as_of", json_string(date_format(q.today, day)));
	json_object_set_new(j, "totals", counts_json(&totals, false));
	int64_t hall = agg_all(&heads);
	json_object_set_new(
		j, "heads",
		json_pack("{sI sI sI so}", "all", (json_int_t)hall, "met",
			  (json_int_t)heads.count[REQ_MET], "left",
			  (json_int_t)heads.count[REQ_LEFT], "rate",
			  rate_json(heads.count[REQ_MET], hall, heads.count[REQ_LEFT])));
	json_object_set_new(
		j, "promotions",
		json_pack("{sI sI}", "open", (json_int_t)open, "lacking", (json_int_t)lacking));
	json_object_set_new(j, "requirement_hours", hours_json(req));
	json_object_set_new(j, "histogram", hist);
	json_object_set_new(j, "by_region", regions);
	json_object_set_new(
		j, "by_unit_type",
		by_code(c, &enum_unit_type, g, n, offsetof(struct compliance_group, unit_type)));
	json_object_set_new(j, "by_unit", by_unit(c, g, n, &units));
	json_object_set_new(j, "units", json_integer(units));
	json_object_set_new(
		j, "by_category",
		by_code(c, &enum_category, g, n, offsetof(struct compliance_group, category)));
	json_object_set_new(
		j, "by_rank_level",
		by_code(c, &enum_rank_level, g, n, offsetof(struct compliance_group, rank_level)));
	*out = j;
	return PX_OK;
}

static json_t *behind_view(struct svc *c, const struct compliance_behind *b)
{
	char day[11];
	const char *status = req_status_code(b->status);
	json_t *j = json_object();
	json_object_set_new(j, "name", json_string(b->name));
	json_object_set_new(j, "unit_name", json_string(b->unit_name));
	json_object_set_new(j, "post", json_string(b->post));
	json_object_set_new(j, "rank_level", json_string(b->rank_level));
	json_object_set_new(j, "rank_level_label",
			    json_string(svc_label(c, &enum_rank_level, b->rank_level)));
	json_object_set_new(j, "category_label",
			    json_string(svc_label(c, &enum_category, b->category)));
	json_object_set_new(j, "rule_code", json_string(b->rule_code));
	json_object_set_new(j, "window_key", json_string(b->window_key));
	json_object_set_new(j, "status", json_string(status));
	json_object_set_new(j, "status_label", json_string(svc_label(c, &enum_compliance, status)));
	json_object_set_new(j, "required_hours", hours_json(b->req_centi_hours));
	json_object_set_new(j, "credited_hours", hours_json(b->got_centi_hours));
	json_object_set_new(j, "missing_hours", hours_json(b->missing_centi_hours));
	json_object_set_new(j, "required_days", hours_json(b->req_centi_days));
	json_object_set_new(j, "credited_days", hours_json(b->got_centi_days));
	json_object_set_new(j, "missing_days", hours_json(b->missing_centi_days));
	json_object_set_new(j, "required_classes", json_integer(b->req_classes));
	json_object_set_new(j, "missing_classes", json_integer(b->missing_classes));
	json_object_set_new(j, "deadline", json_string(date_format(b->deadline, day)));
	return j;
}

px_err svc_compliance_behind(struct svc *c, const struct compliance_filter *f,
			     const struct page_query *p, struct svc_page *out)
{
	struct compliance_query q;
	out->items = NULL;
	out->total = 0;
	out->sheet = &behind_sheet;
	px_err rc = read_filter(c, f, &q);
	if (f->status && *f->status && strcmp(f->status, "behind") && strcmp(f->status, "overdue"))
		svc_problem(c, "status", "invalid",
			    "状态应为 behind(进度滞后)或 overdue(逾期未完成)",
			    "The status is behind or overdue");
	if (rc || (rc = svc_problems_rc(c)))
		return rc;
	struct compliance_behind *rows;
	size_t n;
	rc = compliance_behind_list(c->db, c->arena, &q, f->status, p->page, p->page_size, &rows,
				    &n, &out->total);
	if (rc)
		return rc;
	out->items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out->items, behind_view(c, &rows[i]));
	return PX_OK;
}
