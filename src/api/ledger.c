/*
 * ledger.c — /api/v1/cadres/{id}/ledger, /ledger/{id}/corrections, /requirements and the
 * hours rules of regions and classes: HTTP ↔ the operations of service/ledger.h. No entry
 * can be changed or removed through any route: a correction is an entry of its own.
 */
#include <stddef.h>

#include "api/api.h"
#include "api/body.h"
#include "service/ledger.h"

static const struct body_field adjustment_fields[] = {
	{ "hours_kind", BODY_TEXT, offsetof(struct ledger_adjustment_form, hours_kind), NULL, false,
	  "centralized (default) or online", "\"centralized\"" },
	{ "training_type", BODY_TEXT, offsetof(struct ledger_adjustment_form, training_type), NULL,
	  false, "A class kind (main, topic, appointment …) or \"\"", "\"topic\"" },
	{ "title", BODY_TEXT, offsetof(struct ledger_adjustment_form, title), NULL, true,
	  "The training (at most 200 bytes)", "\"补录:2023年乡镇干部专题培训\"" },
	{ "organizer", BODY_TEXT, offsetof(struct ledger_adjustment_form, organizer), NULL, false,
	  "Who organized it", "\"南安市委组织部\"" },
	{ "start_date", BODY_TEXT, offsetof(struct ledger_adjustment_form, start_date), NULL, false,
	  "YYYY-MM-DD, not after end_date", "\"2023-03-01\"" },
	{ "end_date", BODY_TEXT, offsetof(struct ledger_adjustment_form, end_date), NULL, true,
	  "YYYY-MM-DD, not in the future: the day it counts for", "\"2023-03-02\"" },
	{ "hours", BODY_NUMBER, offsetof(struct ledger_adjustment_form, hours), NULL, false,
	  "学时, ≥ 0, two decimals at most, at most 24 a day of the dates", "8" },
	{ "days", BODY_NUMBER, offsetof(struct ledger_adjustment_form, days), NULL, false,
	  "Days (天), ≥ 0, at most one a day of the dates", "1" },
	{ "classes", BODY_INT, offsetof(struct ledger_adjustment_form, classes), NULL, false,
	  "Classes completed (a 任职培训 class: 1)", "0" },
	{ "reason", BODY_TEXT, offsetof(struct ledger_adjustment_form, reason), NULL, true,
	  "Why (at most 500 bytes)", "\"补录纸质档案\"" },
};
const struct body_spec api_ledger_adjustment_body =
	BODY_SPEC("LedgerAdjustment", adjustment_fields);

static const struct body_field correction_fields[] = {
	{ "reason", BODY_TEXT, offsetof(struct ledger_correction_form, reason), NULL, true,
	  "Why (at most 500 bytes)", "\"学时登记有误\"" },
	{ "hours", BODY_NUMBER, offsetof(struct ledger_correction_form, hours), NULL, false,
	  "The change of 学时 (negative takes back; the entry's net stays ≥ 0)", "-0.5" },
	{ "days", BODY_NUMBER, offsetof(struct ledger_correction_form, days), NULL, false,
	  "The change of days", "0" },
};
const struct body_spec api_ledger_correction_body =
	BODY_SPEC("LedgerCorrection", correction_fields);

static const struct body_field requirement_fields[] = {
	{ "title", BODY_TEXT, offsetof(struct requirement_form, title), NULL, true, "Title",
	  "\"南安市2025年干部教育培训学时要求\"" },
	{ "effective_from", BODY_TEXT, offsetof(struct requirement_form, effective_from), NULL,
	  true, "In force from (YYYY-MM-DD); an earlier open version is closed the day before",
	  "\"2025-01-01\"" },
	{ "effective_to", BODY_TEXT, offsetof(struct requirement_form, effective_to), NULL, false,
	  "To this day inclusive; \"\" or absent: open", "\"\"" },
	{ "note", BODY_TEXT, offsetof(struct requirement_form, note), NULL, false, "Note", "\"\"" },
	{ "rules", BODY_JSON, offsetof(struct requirement_form, rules), NULL, true,
	  "The rules, senior first: {code, title, hours_kind, window_kind, period_years, "
	  "period_first_year, levels, grades, categories, leading, training_types, min_days, "
	  "min_hours, min_classes} (a problem names the rule by its row, 1-based)",
	  "[{\"code\":\"township_yearly\",\"title\":\"乡科级及以下每年 12 天或 90 学时\","
	  "\"hours_kind\":\"centralized\",\"window_kind\":\"year\",\"levels\":[\"township_"
	  "section\"],"
	  "\"min_days\":12,\"min_hours\":90}]" },
};
const struct body_spec api_requirement_body =
	BODY_SPEC("RequirementVersionForm", requirement_fields);

struct hours_rules_form {
	json_t *rules;
	int64_t version;
};
static const struct body_field hours_rules_fields_body[] = {
	{ "rules", BODY_JSON, offsetof(struct hours_rules_form, rules), NULL, true,
	  "Some or all members (the rest stay as they are): half_day_hours, evening_hours, "
	  "minutes_per_hour, short_min_minutes, short_max_minutes, short_hours, day_hours, "
	  "half_day_days, day_days",
	  "{\"half_day_hours\":4,\"day_hours\":8}" },
	{ "version", BODY_INT, offsetof(struct hours_rules_form, version), NULL, false,
	  "The version read (0: nothing stored yet); absent: the current one", "0" },
};
const struct body_spec api_hours_rules_body = BODY_SPEC("HoursRulesForm", hours_rules_fields_body);

px_err api_ledger_record(struct http_req *r)
{
	return api_view_by_id(r, svc_ledger_record, 200);
}

px_err api_ledger_adjust(struct http_req *r)
{
	struct ledger_adjustment_form f = { 0 };
	struct api_in in = api_in(r, &api_ledger_adjustment_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_ledger_adjust(api_svc(r), in.id, &f, &in.out),
			201);
}

px_err api_ledger_correct(struct http_req *r)
{
	struct ledger_correction_form f = { 0 };
	struct api_in in = api_in(r, &api_ledger_correction_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_ledger_correct(api_svc(r), in.id, &f, &in.out),
			201);
}

px_err api_requirements_list(struct http_req *r)
{
	json_t *out = NULL;
	px_err rc = svc_requirements_in_force(api_svc(r), &out);
	return api_reply(r, rc, 200, out);
}

px_err api_requirements_get(struct http_req *r)
{
	return api_view_by_id(r, svc_requirement_get, 200);
}

px_err api_requirements_create(struct http_req *r)
{
	struct requirement_form f = { 0 };
	struct api_in in = api_in(r, &api_requirement_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_requirement_create(api_svc(r), &f, &in.out),
			201);
}

static px_err region_rules_get(struct svc *c, int64_t id, json_t **out)
{
	return svc_hours_rules_get(c, id, 0, out);
}

static px_err class_rules_get(struct svc *c, int64_t id, json_t **out)
{
	return svc_hours_rules_get(c, 0, id, out);
}

px_err api_region_hours_rules_get(struct http_req *r)
{
	return api_view_by_id(r, region_rules_get, 200);
}

px_err api_class_hours_rules_get(struct http_req *r)
{
	return api_view_by_id(r, class_rules_get, 200);
}

static px_err rules_put(struct http_req *r, bool cls)
{
	struct hours_rules_form f = { .version = -1 };
	struct api_in in = api_in(r, &api_hours_rules_body, &f);
	struct svc *c = api_svc(r);
	return api_done(r, &in,
			in.rc ? in.rc
			      : svc_hours_rules_put(c, cls ? 0 : in.id, cls ? in.id : 0, f.rules,
						    f.version, &in.out),
			200);
}

px_err api_region_hours_rules_put(struct http_req *r)
{
	return rules_put(r, false);
}

px_err api_class_hours_rules_put(struct http_req *r)
{
	return rules_put(r, true);
}
