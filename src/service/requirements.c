/*
 * requirements.c — the requirement rule versions of a region and the hours conversion rules
 * (学时要求, 学时折算): see ledger.h and docs/ledger.md.
 *
 * A new version is checked by the domain (req_version_check: each rule, the rules together,
 * the dates against the region's other versions), saved with its rules — closing an earlier
 * open version the day before it starts — in one audited transaction, and then the region's
 * cadres are judged again by a ledger.evaluate job, one cadre a transaction, so that a large
 * region is not one long write.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "domain/hours.h"
#include "service/app.h"
#include "service/jobs.h"
#include "service/ledger.h"
#include "service/ledger_int.h"
#include "service/training.h"
#include "store/ledger.h"
#include "store/registry.h"
#include "store/training.h"

/* ---- views ---- */

static const struct view_field rule_fields[] = {
	{ "code", VIEW_TEXT, "Unique in its version" },
	{ "title", VIEW_TEXT, "What people read" },
	{ "hours_kind", VIEW_TEXT, "centralized or online" },
	{ "hours_kind_label", VIEW_TEXT, "Its label" },
	{ "window_kind", VIEW_TEXT, "year, period or promotion" },
	{ "window_kind_label", VIEW_TEXT, "Its label" },
	{ "period_years", VIEW_INT, "A period's length in years (1 otherwise)" },
	{ "period_first_year", VIEW_INT, "A year a period starts (0 otherwise)" },
	{ "levels", VIEW_TEXTS, "Rank levels it binds (or grades; both empty: every cadre)" },
	{ "grades", VIEW_TEXTS, "Civil-service grades it binds" },
	{ "categories", VIEW_TEXTS, "Categories it binds (empty: any)" },
	{ "leading", VIEW_TEXT, "any, leading or non_leading" },
	{ "training_types", VIEW_TEXTS, "Class kinds whose entries count (empty: every entry)" },
	{ "min_days", VIEW_NUMBER, "Days to reach (0: not asked)" },
	{ "min_hours", VIEW_NUMBER, "学时 to reach (0: not asked)" },
	{ "min_classes", VIEW_INT, "Classes to complete (0: not asked)" },
};
static const struct view_spec rule_shape = VIEW_SPEC("RequirementRule", rule_fields);

static const struct view_field version_fields[] = {
	{ "id", VIEW_ID, "Id; null: the built-in 2023 rules" },
	{ "region_id", VIEW_ID, "The region whose version it is; null for the built-in rules" },
	{ "region_name", VIEW_TEXT, "Its name (\"\" for the built-in rules)" },
	{ "title", VIEW_TEXT, "Title" },
	{ "effective_from", VIEW_TEXT, "In force from (YYYY-MM-DD)" },
	{ "effective_to", VIEW_TEXT, "To this day inclusive; \"\": open" },
	{ "note", VIEW_TEXT, "Note" },
	{ "in_force", VIEW_BOOL, "In force today" },
	{ "version", VIEW_INT, "Its row's version" },
	{ "created_at", VIEW_TIME, "When it was entered (null for the built-in rules)" },
	{ "rules", VIEW_OBJECTS, "Its rules, senior first", &rule_shape },
	{ "closed_id", VIEW_ID, "A new version: the earlier open version it closed, or null", NULL,
	  true },
	{ "job_id", VIEW_INT,
	  "A new version: the ledger.evaluate job judging the region's cadres again", NULL, true },
};
const struct view_spec svc_requirement_shape = VIEW_SPEC("RequirementVersion", version_fields);

static const struct view_field in_force_fields[] = {
	{ "source", VIEW_TEXT,
	  "own (the region's versions), inherited (an ancestor's) or defaults (built in)" },
	{ "source_label", VIEW_TEXT, "Its label" },
	{ "region_id", VIEW_ID, "The caller's region" },
	{ "governing_region_id", VIEW_ID, "The region whose versions apply; null: defaults" },
	{ "governing_region_name", VIEW_TEXT, "Its name; \"\" for the defaults" },
	{ "versions", VIEW_OBJECTS, "The versions, oldest first", &svc_requirement_shape },
};
const struct view_spec svc_requirements_shape = VIEW_SPEC("RequirementsInForce", in_force_fields);

static json_t *codes_json(const char *s)
{
	return svc_codes_json(s ? s : "");
}

static json_t *rule_view(struct svc *c, const struct req_rule *r)
{
	json_t *j = json_object();
	json_object_set_new(j, "code", json_string(r->code));
	json_object_set_new(j, "title", json_string(r->title));
	json_object_set_new(j, "hours_kind", json_string(r->hours_kind));
	json_object_set_new(j, "hours_kind_label",
			    json_string(svc_label(c, &enum_hours_kind, r->hours_kind)));
	json_object_set_new(j, "window_kind", json_string(r->window_kind));
	json_object_set_new(j, "window_kind_label",
			    json_string(svc_label(c, &enum_window_kind, r->window_kind)));
	json_object_set_new(j, "period_years", json_integer(r->period_years));
	json_object_set_new(j, "period_first_year", json_integer(r->period_first_year));
	json_object_set_new(j, "levels", codes_json(r->levels));
	json_object_set_new(j, "grades", codes_json(r->grades));
	json_object_set_new(j, "categories", codes_json(r->categories));
	json_object_set_new(j, "leading",
			    json_string(r->leading && *r->leading ? r->leading : "any"));
	json_object_set_new(j, "training_types", codes_json(r->training_types));
	json_object_set_new(j, "min_days", ledger_amount_json(r->min_centi_days));
	json_object_set_new(j, "min_hours", ledger_amount_json(r->min_centi_hours));
	json_object_set_new(j, "min_classes", json_integer(r->min_classes));
	return j;
}

static json_t *rules_view(struct svc *c, const struct req_rule *r, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, rule_view(c, &r[i]));
	return a;
}

static bool in_force_today(const char *from, const char *to)
{
	char today[11];
	date_format(date_today_cst(), today);
	return strcmp(from, today) <= 0 && (!to || !*to || strcmp(today, to) <= 0);
}

static json_t *version_view(struct svc *c, const struct req_version_row *v)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(v->id));
	json_object_set_new(j, "region_id", json_integer(v->region_id));
	json_object_set_new(j, "region_name", json_string(v->region_name));
	json_object_set_new(j, "title", json_string(v->title));
	json_object_set_new(j, "effective_from", json_string(v->effective_from));
	json_object_set_new(j, "effective_to", json_string(v->effective_to));
	json_object_set_new(j, "note", json_string(v->note));
	json_object_set_new(j, "in_force",
			    json_boolean(in_force_today(v->effective_from, v->effective_to)));
	json_object_set_new(j, "version", json_integer(v->version));
	json_object_set_new(j, "created_at", svc_time_json(v->created_at));
	json_object_set_new(j, "rules", rules_view(c, v->rules, v->n_rules));
	return j;
}

static json_t *defaults_view(struct svc *c)
{
	const struct req_version *d = &req_defaults_2023;
	char from[11];
	json_t *j = json_object();
	json_object_set_new(j, "id", json_null());
	json_object_set_new(j, "region_id", json_null());
	json_object_set_new(j, "region_name", json_string(""));
	json_object_set_new(j, "title", json_string(d->title));
	json_object_set_new(j, "effective_from", json_string(date_format(d->from, from)));
	json_object_set_new(j, "effective_to", json_string(""));
	json_object_set_new(j, "note", json_string(""));
	json_object_set_new(j, "in_force", json_true());
	json_object_set_new(j, "version", json_integer(1));
	json_object_set_new(j, "created_at", json_null());
	json_object_set_new(j, "rules", rules_view(c, d->rules, d->n));
	return j;
}

/* ---- the caller's region ---- */

/* The region a caller's requirements are read for: its own, else its unit's, else its
 * cadre's unit's. */
static px_err caller_region(struct svc *c, int64_t *id, const char **path)
{
	const struct principal *p = c->who;
	if (p->region_id > 0 && p->region_path && *p->region_path) {
		*id = p->region_id;
		*path = p->region_path;
		return PX_OK;
	}
	int64_t unit = p->unit_id;
	if (unit <= 0 && p->cadre_id > 0) {
		struct cadre_row r;
		px_err rc = cadres_get(c->db, c->arena, p->cadre_id, &r);
		if (rc)
			return rc;
		unit = r.c.unit_id;
	}
	if (unit <= 0)
		return svc_fail(c, PX_ERR_FORBIDDEN, "您的账号没有所属地区",
				"Your account has no region");
	struct unit_row u;
	px_err rc = units_get(c->db, c->arena, unit, &u);
	if (rc)
		return rc;
	*id = u.u.region_id;
	*path = u.region_path;
	return PX_OK;
}

px_err svc_requirements_in_force(struct svc *c, json_t **out)
{
	int64_t region = 0;
	const char *path = "";
	px_err rc = caller_region(c, &region, &path);
	struct req_version_row *rows = NULL;
	size_t n = 0;
	int64_t governing = 0;
	if (!rc)
		rc = ledger_versions_for(c, path, &rows, &n, &governing);
	if (rc)
		return rc;
	const char *source = !governing ? "defaults" : governing == region ? "own" : "inherited";
	json_t *versions = json_array();
	if (!governing)
		json_array_append_new(versions, defaults_view(c));
	for (size_t i = 0; i < n; i++)
		json_array_append_new(versions, version_view(c, &rows[i]));
	const char *label = !strcmp(source, "own") ? svc_text(c, "本地区", "The region's own")
			    : !strcmp(source, "inherited") ? svc_text(c, "沿用上级", "Inherited")
							   : svc_text(c, "内置默认", "Built in");
	*out = json_pack("{ss ss so so ss so}", "source", source, "source_label", label,
			 "region_id", svc_id_json(region), "governing_region_id",
			 svc_id_json(governing), "governing_region_name",
			 n ? rows[0].region_name : "", "versions", versions);
	return PX_OK;
}

/* A version is seen by the callers of its region, the regions under it and above it. */
static bool version_visible(const char *mine, const char *its)
{
	size_t a = strlen(mine), b = strlen(its);
	return (a <= b && !strncmp(mine, its, a)) || (b <= a && !strncmp(its, mine, b));
}

px_err svc_requirement_get(struct svc *c, int64_t id, json_t **out)
{
	int64_t region = 0;
	const char *path = "";
	px_err rc = caller_region(c, &region, &path);
	struct req_version_row v;
	if (!rc)
		rc = req_version_get(c->db, c->arena, id, &v);
	struct region g;
	if (!rc)
		rc = regions_get(c->db, c->arena, v.region_id, &g);
	if (rc)
		return rc;
	if (!c->who->shell && !version_visible(path, g.path))
		return PX_ERR_NOT_FOUND;
	*out = version_view(c, &v);
	return PX_OK;
}

/* ---- a new version ---- */

static const char *member_text(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A list of codes as sent: an array of strings, or one text joined by commas. */
static const char *member_codes(struct svc *c, json_t *o, const char *k, long row, bool *bad)
{
	json_t *v = json_object_get(o, k);
	if (!v || json_is_null(v))
		return "";
	if (json_is_string(v))
		return json_string_value(v);
	if (!json_is_array(v)) {
		*bad = true;
		return "";
	}
	struct buf b = BUF_INIT(64);
	size_t i;
	json_t *it;
	json_array_foreach(v, i, it)
	{
		if (!json_is_string(it)) {
			*bad = true;
			continue;
		}
		if (b.len)
			buf_puts(&b, ",");
		buf_puts(&b, json_string_value(it));
	}
	const char *s = arena_strdup(c->arena, b.data ? b.data : "");
	buf_release(&b);
	(void)row;
	return s;
}

static int64_t member_centi(json_t *o, const char *k, bool *bad)
{
	json_t *v = json_object_get(o, k);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_number(v)) {
		*bad = true;
		return 0;
	}
	double x = json_number_value(v) * 100.0;
	if (!isfinite(x) || fabs(x) > 1e12 || fabs(x - (double)llround(x)) > 1e-6) {
		*bad = true;
		return 0;
	}
	return (int64_t)llround(x);
}

static int member_int(json_t *o, const char *k, int dflt, bool *bad)
{
	json_t *v = json_object_get(o, k);
	if (!v || json_is_null(v))
		return dflt;
	if (!json_is_integer(v) || json_integer_value(v) < -100000 ||
	    json_integer_value(v) > 100000) {
		*bad = true;
		return dflt;
	}
	return (int)json_integer_value(v);
}

/* The rules as sent into r[0..n); a member of the wrong type is a problem on its row. */
static size_t rules_of(struct svc *c, json_t *a, struct req_rule **out)
{
	size_t n = json_is_array(a) ? json_array_size(a) : 0;
	if (n > 64) {
		svc_problem(c, "rules", "too_many", "规则不能超过 64 条", "At most 64 rules");
		n = 0;
	}
	struct req_rule *r = arena_alloc(c->arena, (n + 1) * sizeof *r);
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(a, i);
		long row = (long)i + 1;
		if (!json_is_object(o)) {
			problems_add(c->problems, row, "rules", "invalid", "%s",
				     svc_text(c, "每条规则应为一个对象", "A rule is an object"));
			continue;
		}
		static const char *const names[] = { "levels", "grades", "categories",
						     "training_types" };
		bool bad[6] = { false };
		const char *lists[4];
		for (size_t k = 0; k < 4; k++)
			lists[k] = member_codes(c, o, names[k], row, &bad[0]);
		const char *code = member_text(o, "code"), *title = member_text(o, "title");
		const char *leading = member_text(o, "leading");
		r[i] = (struct req_rule){
			.code = code ? code : "",
			.title = title ? title : "",
			.hours_kind =
				member_text(o, "hours_kind") ? member_text(o, "hours_kind") : "",
			.window_kind =
				member_text(o, "window_kind") ? member_text(o, "window_kind") : "",
			.period_years = member_int(o, "period_years", 1, &bad[1]),
			.period_first_year = member_int(o, "period_first_year", 0, &bad[1]),
			.levels = lists[0],
			.grades = lists[1],
			.categories = lists[2],
			.training_types = lists[3],
			.leading = leading && *leading ? leading : "any",
			.min_centi_days = member_centi(o, "min_days", &bad[2]),
			.min_centi_hours = member_centi(o, "min_hours", &bad[3]),
			.min_classes = member_int(o, "min_classes", 0, &bad[4]),
		};
		static const char *const what[] = { "levels", "period_years", "min_days",
						    "min_hours", "min_classes" };
		for (size_t k = 0; k < 5; k++)
			if (bad[k])
				problems_add(c->problems, row, what[k], "invalid", "%s",
					     svc_text(c, "类型不正确", "Wrong type"));
	}
	*out = r;
	return n;
}

static px_err evaluate_queue(struct svc *c, int64_t region_id, int64_t *job_id)
{
	json_t *params = json_pack("{sI}", "region_id", (json_int_t)region_id);
	return jobs_enqueue(c, &job_ledger_evaluate, params, NULL, 0, job_id);
}

px_err svc_requirement_create(struct svc *c, const struct requirement_form *f, json_t **out)
{
	if (c->who->region_id <= 0 || !c->who->region_path || !*c->who->region_path)
		return svc_fail(c, PX_ERR_FORBIDDEN, "您的账号没有所属地区",
				"Your account has no region");
	struct req_version_row v = { .region_id = c->who->region_id,
				     .title = f->title ? f->title : "",
				     .effective_from = f->effective_from ? f->effective_from : "",
				     .effective_to = f->effective_to ? f->effective_to : "",
				     .note = f->note ? f->note : "",
				     .created_by = c->who->user_id };
	if (strlen(v.title) > 200)
		svc_problem(c, "title", "too_long", "标题过长", "The title is too long");
	if (strlen(v.note) > 1000)
		svc_problem(c, "note", "too_long", "备注过长", "The note is too long");
	int32_t from = ledger_iso_day(v.effective_from);
	int32_t to = *v.effective_to ? ledger_iso_day(v.effective_to) : DATE_NONE;
	if (*v.effective_from && from == DATE_NONE)
		svc_problem(c, "effective_from", "invalid", "日期格式应为 YYYY-MM-DD",
			    "A date is YYYY-MM-DD");
	if (*v.effective_to && to == DATE_NONE)
		svc_problem(c, "effective_to", "invalid", "日期格式应为 YYYY-MM-DD",
			    "A date is YYYY-MM-DD");
	if (!json_is_array(f->rules) && f->rules)
		svc_problem(c, "rules", "invalid", "规则应为数组", "rules: an array");
	v.n_rules = rules_of(c, f->rules, &v.rules);
	if (svc_problems_rc(c))
		return PX_ERR_INVALID;
	px_err rc = svc_begin(c);
	if (rc)
		return rc;
	/* the region's own versions, as the domain checks against them */
	int64_t ids[1] = { v.region_id };
	struct req_version_row *others = NULL;
	size_t no = 0;
	rc = req_versions_of(c->db, c->arena, ids, 1, &others, &no);
	int64_t close_id = 0;
	if (!rc) {
		struct req_version dv = { .id = 0,
					  .from = from,
					  .to = to,
					  .title = v.title,
					  .rules = v.rules,
					  .n = v.n_rules };
		struct req_version *ov = ledger_domain_versions(c, others, no);
		req_version_check(&dv, ov, no, &close_id, c->problems, c->lang);
		rc = svc_problems_rc(c);
	}
	if (!rc && close_id) {
		char day[11];
		rc = req_version_close(c->db, close_id, date_format(from - 1, day));
	}
	if (!rc)
		rc = req_version_insert(c->db, &v);
	struct req_version_row saved;
	if (!rc)
		rc = req_version_get(c->db, c->arena, v.id, &saved);
	json_t *view = rc ? NULL : version_view(c, &saved);
	if (view)
		json_object_set_new(view, "closed_id", svc_id_json(close_id));
	rc = svc_commit(c, rc, "create", "requirement_version", v.id, NULL, view);
	if (rc) {
		json_decref(view);
		return rc;
	}
	int64_t job = 0;
	if ((rc = evaluate_queue(c, v.region_id, &job))) {
		json_decref(view);
		return rc;
	}
	json_object_set_new(view, "job_id", json_integer(job));
	*out = view;
	return PX_OK;
}

/* ---- the ledger.evaluate job ---- */

static const struct view_field evaluate_fields[] = {
	{ "region_id", VIEW_INT, "The region whose cadres were judged again" },
	{ "cadres", VIEW_INT, "Cadres judged" },
	{ "code", VIEW_TEXT, "Why it failed", NULL, true },
	{ "explanation", VIEW_TEXT, "Its explanation", NULL, true },
};
const struct view_spec job_ledger_evaluate_result =
	VIEW_SPEC("LedgerEvaluateResult", evaluate_fields);

static px_err evaluate_run(struct job_run *j)
{
	struct svc *c = j->c;
	json_int_t region_id = 0;
	json_unpack((json_t *)j->params, "{s?I}", "region_id", &region_id);
	struct region g;
	px_err rc = regions_get(c->db, c->arena, region_id, &g);
	if (!rc &&
	    !svc_may(c, PERM_REQUIREMENT_WRITE, &(struct scope_target){ .region_path = g.path }))
		rc = PX_ERR_FORBIDDEN;
	int64_t *ids = NULL;
	size_t n = 0;
	if (!rc)
		rc = ledger_cadres_in_region(c->db, c->arena, g.path, &ids, &n);
	size_t done = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		if ((rc = store_begin(c->db)))
			break;
		rc = svc_ledger_reevaluate_tx(c, ids[i]);
		if ((rc = ledger_commit(c, rc)))
			break;
		done++;
		if (i % 16 == 15 || i + 1 == n)
			job_progress(j, (double)(i + 1) / (double)n, NULL);
	}
	j->result = json_pack("{sI sI}", "region_id", (json_int_t)region_id, "cadres",
			      (json_int_t)done);
	return rc;
}

const struct job_kind job_ledger_evaluate = {
	.name = "ledger.evaluate",
	.perm = PERM_REQUIREMENT_WRITE,
	.cap = offsetof(struct app, jobs_evaluate_max),
	.run = evaluate_run,
	.stoppable = false,
	.max_attempts = 3, /* judging again is idempotent: a lost run may run again */
	.per_user = 0,
	.coalesce = true, /* a run judges by the versions stored when it runs */
	.lost_zh = "重新评估干部学时达标情况的服务器意外停止,请重新保存规则版本或稍后重试",
	.lost_en = "The server judging the cadres again stopped; save the version again or retry",
};

/* ---- hours conversion rules ---- */

static const struct view_field hours_rules_view_fields[] = {
	{ "region_id", VIEW_ID, "The region whose rules these are (a class's: its region)" },
	{ "class_id", VIEW_ID, "The class whose rules these are; null for a region's" },
	{ "source", VIEW_TEXT,
	  "own (stored for it), region (a class's region's), inherited (an ancestor region's) or "
	  "defaults" },
	{ "rules", VIEW_OBJECT,
	  "half_day_hours, evening_hours, minutes_per_hour, short_min_minutes, short_max_minutes, "
	  "short_hours, day_hours, half_day_days, day_days" },
	{ "version", VIEW_INT, "Send it back with a PUT (0: nothing stored for it yet)" },
};
const struct view_spec svc_hours_rules_shape = VIEW_SPEC("HoursRules", hours_rules_view_fields);

static json_t *rules_json(const struct hours_rules *r)
{
	json_t *j = json_object();
	for (size_t i = 0; i < hours_rules_field_count; i++) {
		const struct hours_rules_field *f = &hours_rules_fields[i];
		int64_t v = hours_rules_value(r, f);
		json_object_set_new(
			j, f->name,
			f->centi ? (v % 100 ? json_real((double)v / 100.0) : json_integer(v / 100))
				 : json_integer(v));
	}
	return j;
}

/* Members of o over r; a member not known or not a number is a problem. */
static void rules_over(struct svc *c, json_t *o, struct hours_rules *r)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v)
	{
		const struct hours_rules_field *f = NULL;
		for (size_t i = 0; i < hours_rules_field_count && !f; i++)
			if (!strcmp(hours_rules_fields[i].name, k))
				f = &hours_rules_fields[i];
		if (!f) {
			problems_add(c->problems, 0, "rules", "unknown", "%s: %s",
				     svc_text(c, "未知的规则项", "Unknown member"), k);
			continue;
		}
		double x =
			json_is_number(v) ? json_number_value(v) * (f->centi ? 100.0 : 1.0) : NAN;
		if (!isfinite(x) || fabs(x) > 1e9 || fabs(x - (double)llround(x)) > 1e-6) {
			problems_add(c->problems, 0, f->name, "invalid", "%s",
				     svc_text(c, "应为数字(学时最多两位小数,分钟为整数)",
					      "A number (hours with two decimals at most, minutes "
					      "whole)"));
			continue;
		}
		*hours_rules_member(r, f) = (int64_t)llround(x);
	}
}

/* The stored rules of an owner over `base` (a text that is not an object leaves base). */
static void rules_from_text(struct svc *c, const char *text, struct hours_rules *r)
{
	json_t *o = json_loads(text, 0, NULL);
	if (json_is_object(o)) {
		struct problems pb, *keep = c->problems;
		problems_init(&pb);
		c->problems = &pb;
		rules_over(c, o, r);
		c->problems = keep;
		problems_release(&pb);
	}
	json_decref(o);
}

/* What a region inherits: its nearest ancestor's stored rules (path "/1/2/3/", itself left
 * out when `self` is false), else the defaults. */
static px_err region_rules(struct svc *c, const char *path, bool self, struct hours_rules *r,
			   const char **source)
{
	*r = hours_rules_default;
	*source = "defaults";
	int64_t ids[32];
	size_t n = 0;
	for (const char *p = path; *p && n < 32;) {
		if (*p == '/') {
			p++;
			continue;
		}
		char *end;
		ids[n++] = strtoll(p, &end, 10);
		if (end == p)
			break;
		p = end;
	}
	for (size_t i = n; i-- > 0;) {
		if (!self && i == n - 1)
			continue;
		const char *text;
		int64_t version;
		px_err rc = hours_rules_get(c->db, c->arena, ids[i], 0, &text, &version);
		if (rc)
			return rc;
		if (text) {
			rules_from_text(c, text, r);
			*source = i == n - 1 ? "own" : "inherited";
			return PX_OK;
		}
	}
	return PX_OK;
}

/* Where the rules of (region, class) lie, checked against the caller's scope. */
struct rules_owner {
	int64_t region_id, class_id;
	const char *path;
};

static px_err owner_of(struct svc *c, int64_t region_id, int64_t class_id, bool write,
		       struct rules_owner *o)
{
	o->region_id = region_id;
	o->class_id = class_id;
	if (class_id) {
		struct class_row k;
		px_err rc = svc_load(c, &svc_class_kind, write ? PERM_CLASS_WRITE : PERM_CLASS_READ,
				     class_id, &k);
		if (rc)
			return rc;
		o->region_id = k.c.region_id;
		o->path = k.region_path;
		return PX_OK;
	}
	struct region g;
	px_err rc = regions_get(c->db, c->arena, region_id, &g);
	if (rc)
		return rc;
	if (!svc_may(c, PERM_REQUIREMENT_WRITE, &(struct scope_target){ .region_path = g.path }))
		return PX_ERR_NOT_FOUND;
	o->path = g.path;
	return PX_OK;
}

static px_err rules_view_of(struct svc *c, const struct rules_owner *o, json_t **out)
{
	struct hours_rules r;
	const char *source;
	const char *text;
	int64_t version = 0;
	px_err rc = PX_OK;
	if (o->class_id) {
		rc = hours_rules_get(c->db, c->arena, 0, o->class_id, &text, &version);
		if (!rc)
			rc = region_rules(c, o->path, true, &r, &source);
		if (!rc && text) {
			rules_from_text(c, text, &r);
			source = "own";
		} else if (!rc && strcmp(source, "defaults")) {
			source = "region";
		}
	} else {
		rc = hours_rules_get(c->db, c->arena, o->region_id, 0, &text, &version);
		if (!rc)
			rc = region_rules(c, o->path, true, &r, &source);
	}
	if (rc)
		return rc;
	*out = json_pack("{so so ss so sI}", "region_id", svc_id_json(o->region_id), "class_id",
			 svc_id_json(o->class_id), "source", source, "rules", rules_json(&r),
			 "version", (json_int_t)version);
	return PX_OK;
}

px_err svc_hours_rules_get(struct svc *c, int64_t region_id, int64_t class_id, json_t **out)
{
	struct rules_owner o;
	px_err rc = owner_of(c, region_id, class_id, false, &o);
	return rc ? rc : rules_view_of(c, &o, out);
}

px_err svc_hours_rules_put(struct svc *c, int64_t region_id, int64_t class_id, json_t *rules,
			   int64_t version, json_t **out)
{
	struct rules_owner o;
	px_err rc = owner_of(c, region_id, class_id, true, &o);
	if (rc)
		return rc;
	json_t *before = NULL;
	if ((rc = rules_view_of(c, &o, &before)))
		return rc;
	struct hours_rules r;
	/* the members not sent stay as they are (own or inherited) */
	json_t *now = json_object_get(before, "rules");
	r = hours_rules_default;
	rules_over(c, now, &r);
	if (!json_is_object(rules))
		svc_problem(c, "rules", "required", "请提供折算规则", "rules: an object");
	else
		rules_over(c, rules, &r);
	if (!svc_problems_rc(c))
		hours_rules_check(&r, c->problems, c->lang);
	if ((rc = svc_problems_rc(c))) {
		json_decref(before);
		return rc;
	}
	json_t *stored = rules_json(&r);
	char *text = json_dumps(stored, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(stored);
	if (version < 0)
		version = json_integer_value(json_object_get(before, "version"));
	if (!(rc = svc_begin(c)))
		rc = hours_rules_put(c->db, o.class_id ? 0 : o.region_id, o.class_id, text, version,
				     c->who->user_id);
	free(text);
	if (rc == PX_ERR_CONFLICT && !problems_count(c->problems))
		c->message = svc_text(c, "折算规则已被他人修改,请刷新后重试",
				      "Someone else changed these rules; reload and retry");
	json_t *after = NULL;
	if (!rc)
		rc = rules_view_of(c, &o, &after);
	rc = svc_commit(c, rc, "update", "hours_rules", o.class_id ? o.class_id : o.region_id,
			before, after);
	json_decref(before);
	if (rc) {
		json_decref(after);
		return rc;
	}
	*out = after;
	return PX_OK;
}
