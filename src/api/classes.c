/*
 * classes.c — /api/v1/classes: HTTP ↔ the operations of service/classes.c (training
 * classes, and the approval of those outside any plan).
 */
#include <stddef.h>

#include "api/api.h"
#include "api/body.h"
#include "api/query.h"
#include "service/training.h"

#define CLASS_FIELD(type, member, k, doc, ex)                                                      \
	{                                                                                          \
		NULL, type, offsetof(struct class_form, in.member), &class_fields[k], 0, doc, ex   \
	}

static const struct body_field class_body_fields[] = {
	CLASS_FIELD(BODY_TEXT, name, CLF_NAME, NULL, "\"乡村振兴专题培训班\""),
	CLASS_FIELD(BODY_TEXT, host, CLF_HOST, "Who runs it", "\"南安市委党校\""),
	CLASS_FIELD(BODY_TEXT, location, CLF_LOCATION, "Where it is held", "\"南安市委党校\""),
	CLASS_FIELD(BODY_TEXT, off_site, CLF_OFF_SITE, "Held away from home (异地)", "false"),
	CLASS_FIELD(BODY_TEXT, start_date, CLF_START_DATE, "YYYY-MM-DD", "\"2024-06-03\""),
	CLASS_FIELD(BODY_TEXT, end_date, CLF_END_DATE, "YYYY-MM-DD, within a year of the start",
		    "\"2024-06-07\""),
	CLASS_FIELD(BODY_TEXT, capacity, CLF_CAPACITY, "Places, 1–10000, never below the trainees",
		    "40"),
	CLASS_FIELD(BODY_TEXT, credited_hours, CLF_CREDITED_HOURS, "0–10000, 2 decimals at most",
		    "36.0"),
	CLASS_FIELD(BODY_TEXT, credited_days, CLF_CREDITED_DAYS, "0–366, 2 decimals at most",
		    "5.0"),
	CLASS_FIELD(BODY_TEXT, kind, CLF_KIND, NULL, "\"topic\""),
	CLASS_FIELD(BODY_TEXT, status, CLF_STATUS,
		    "Leaves draft only once approved, on its own or with its plan (default draft)",
		    "\"draft\""),
	/* target lists may come as arrays of codes */
	CLASS_FIELD(BODY_CODES, target_levels, CLF_TARGET_LEVELS,
		    "Codes (or one text, joined by , or 、)", "[\"township_section\"]"),
	CLASS_FIELD(BODY_CODES, target_categories, CLF_TARGET_CATEGORIES,
		    "Codes (or one text, joined by , or 、)", "[\"party_gov_leader\"]"),
	CLASS_FIELD(BODY_TEXT, term, CLF_TERM,
		    "Classes of one term are auto-arranged together, sharing experts and rooms",
		    "\"2024年夏季学期\""),
	CLASS_FIELD(BODY_TEXT, batch_no, CLF_BATCH_NO, "0–100", "0"),
	CLASS_FIELD(
		BODY_TEXT, organizer, CLF_ORGANIZER,
		"主办单位: who organizes it (host is who runs it); an update without it keeps it",
		"\"中共南安市委组织部\""),
	CLASS_FIELD(BODY_TEXT, manager_phone, CLF_MANAGER_PHONE,
		    "The class managers' contact phone (a mobile or a landline); kept when absent",
		    "\"0595-86383123\""),
	CLASS_FIELD(BODY_TEXT, report_date, CLF_REPORT_DATE,
		    "报到: the day trainees report, YYYY-MM-DD, the first day or up to 30 days "
		    "before; kept when absent",
		    "\"2024-06-02\""),
	CLASS_FIELD(BODY_TEXT, report_time, CLF_REPORT_TIME,
		    "Its time as written; kept when absent", "\"14:00–20:00\""),
	CLASS_FIELD(BODY_TEXT, report_place, CLF_REPORT_PLACE, "Where; kept when absent",
		    "\"南安市委党校学员楼大厅\""),
	{ "manager_ids", BODY_JSON, offsetof(struct class_form, manager_ids), NULL, false,
	  "班主任: the ids of class-manager accounts (replaces the set; absent keeps it). Only an "
	  "organization admin changes them",
	  "[3]" },
	{ "plan_id", BODY_REF, offsetof(struct class_form, plan_id), NULL, false,
	  "The annual plan it belongs to (null: an ad-hoc class, approved on its own)", "null" },
	{ "version", BODY_INT, offsetof(struct class_form, version), NULL, false,
	  "The version an update expects (optimistic locking)", "1" },
};
const struct body_spec api_class_body = BODY_SPEC("ClassForm", class_body_fields);

/* ---- classes ---- */

/* clang-format off */
static const struct query_field class_query_fields[] = {
	{ "plan_id", QUERY_ID, offsetof(struct class_filter, plan_id), NULL, 0, 0, "Classes of this plan" },
	{ "term", QUERY_TEXT, offsetof(struct class_filter, term), NULL, 0, 0, "Classes of this term (a party school's concurrent classes)" },
	{ "status", QUERY_CODE, offsetof(struct class_filter, status), &enum_class_status, 0, 0, "Status" },
	{ "from", QUERY_DATE, offsetof(struct class_filter, from), NULL, 0, 0, "Classes running on or after this day" },
	{ "to", QUERY_DATE, offsetof(struct class_filter, to), NULL, 0, 0, "Classes running on or before this day" },
};
/* clang-format on */
const struct query_spec api_class_query = QUERY_SPEC(class_query_fields);

px_err api_classes_list(struct http_req *r)
{
	struct page_query p;
	struct class_filter f = { 0 };
	struct svc_page page;
	px_err rc = api_list_query(r, &p, 200, &api_class_query, &f);
	if (!rc)
		rc = svc_classes_list(api_svc(r), &f, &p, &page);
	return rc ? rc : api_reply_page(r, &page, &p);
}

px_err api_classes_get(struct http_req *r)
{
	return api_view_by_id(r, svc_class_get, 200);
}

px_err api_classes_create(struct http_req *r)
{
	struct class_form f = CLASS_FORM_INIT;
	struct api_in in = api_in(r, &api_class_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_class_create(api_svc(r), &f, &in.out), 201);
}

px_err api_classes_update(struct http_req *r)
{
	struct class_form f = CLASS_FORM_INIT;
	struct api_in in = api_in(r, &api_class_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_class_update(api_svc(r), in.id, &f, &in.out),
			200);
}

px_err api_classes_delete(struct http_req *r)
{
	return api_delete_by_id(r, svc_class_delete);
}

px_err api_classes_approval(struct http_req *r)
{
	struct approval_form f = { 0 };
	struct api_in in = api_in(r, &api_approval_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_class_approval(api_svc(r), in.id, &f, &in.out),
			200);
}
