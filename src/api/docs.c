/*
 * docs.c — the documentation rows of the routes (see docs.h).
 */
#include "api/docs.h"

#include "api/api.h"
#include "api/query.h"
#include "service/accounts.h"
#include "service/approvals.h"
#include "service/compliance.h"
#include "service/importer.h"
#include "service/jobs.h"
#include "service/ledger.h"
#include "service/registry.h"
#include "service/schedule.h"
#include "service/system.h"
#include "service/training.h"

/* The body specs, beside their handlers. */
extern const struct body_spec api_region_body, api_unit_body, api_cadre_body, api_user_body,
	api_password_reset_body, api_login_body, api_password_change_body, api_plan_body,
	api_class_body, api_session_body, api_placement_body, api_solve_body, api_expert_body,
	api_room_body, api_apply_body, api_ledger_adjustment_body, api_ledger_correction_body,
	api_requirement_body, api_hours_rules_body;

#define XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define PDF  "application/pdf"
#define ICS  "text/calendar"

/* clang-format off */
const struct route_doc api_route_docs[] = {
	{api_health, 200, REPLY_ONE, NULL, &svc_health_shape, NULL, NULL, "/healthz"},
	{api_openapi, 200, REPLY_ONE, NULL, NULL, NULL, NULL, "/api/v1/openapi.json", "This document (OpenAPI 3.0)"},
	{api_vocabularies, 200, REPLY_ONE, NULL, &svc_vocab_shape, NULL, NULL, "/api/v1/vocabularies"},

	{api_login, 201, REPLY_ONE, &api_login_body, &svc_session_shape, NULL, NULL, NULL, "Every test logs in this way, with the deployment's passwords"},
	{api_session_get, 200, REPLY_ONE, NULL, &svc_session_shape, NULL, "admin", "/api/v1/session"},
	{api_logout, 204, REPLY_NONE, NULL, NULL, NULL, "admin", "/api/v1/session", "Ends the session it is sent with"},
	{api_password_change, 200, REPLY_ONE, &api_password_change_body, &svc_session_shape, NULL, NULL, NULL, "Exercised by the session tests, which know the passwords"},

	{api_regions_list, 200, REPLY_LIST, NULL, &svc_region_shape, NULL, "admin", "/api/v1/regions"},
	{api_regions_create, 201, REPLY_ONE, &api_region_body, &svc_region_shape, NULL, "sysadmin", "/api/v1/regions"},
	{api_regions_get, 200, REPLY_ONE, NULL, &svc_region_shape, NULL, "admin", "/api/v1/regions/3"},
	{api_regions_update, 200, REPLY_ONE, &api_region_body, &svc_region_shape, NULL, "sysadmin", "/api/v1/regions/@new"},
	{api_regions_delete, 204, REPLY_NONE, NULL, NULL, NULL, "sysadmin", "/api/v1/regions/@new"},

	{api_units_export, 200, REPLY_FILE, NULL, NULL, XLSX, "admin", "/api/v1/units/export?type=township"},
	{api_units_list, 200, REPLY_LIST, NULL, &svc_unit_shape, NULL, "admin", "/api/v1/units?region_id=3&type=township"},
	{api_units_create, 201, REPLY_ONE, &api_unit_body, &svc_unit_shape, NULL, "admin", "/api/v1/units"},
	{api_units_get, 200, REPLY_ONE, NULL, &svc_unit_shape, NULL, "admin", "/api/v1/units/1"},
	{api_units_update, 200, REPLY_ONE, &api_unit_body, &svc_unit_shape, NULL, "admin", "/api/v1/units/@new"},
	{api_units_delete, 204, REPLY_NONE, NULL, NULL, NULL, "admin", "/api/v1/units/@new"},

	{api_cadres_export, 200, REPLY_FILE, NULL, NULL, XLSX, "admin", "/api/v1/cadres/export?unit_id=1"},
	{api_cadres_list, 200, REPLY_LIST, NULL, &svc_cadre_shape, NULL, "admin", "/api/v1/cadres?unit_id=1&is_head=1"},
	{api_cadres_create, 201, REPLY_ONE, &api_cadre_body, &svc_cadre_shape, NULL, "admin", "/api/v1/cadres"},
	{api_cadres_get, 200, REPLY_ONE, NULL, &svc_cadre_shape, NULL, "admin", "/api/v1/cadres/1"},
	{api_cadres_update, 200, REPLY_ONE, &api_cadre_body, &svc_cadre_shape, NULL, "admin", "/api/v1/cadres/@new"},
	{api_cadres_history, 200, REPLY_LIST, NULL, &svc_cadre_history_shape, NULL, "admin", "/api/v1/cadres/1/history"},
	{api_cadres_reveal, 200, REPLY_ONE, NULL, &svc_cadre_reveal_shape, NULL, "admin", "/api/v1/cadres/1/reveal"},

	/* an upload's example is a small CSV file (`example_file`), checked only (dry_run) */
	{api_import_template, 200, REPLY_FILE, NULL, NULL, XLSX, "admin", "/api/v1/imports/template?kind=cadres"},
	{api_import_create, 200, REPLY_ONE, NULL, &svc_import_result_shape, NULL, "admin", "/api/v1/imports?kind=units&dry_run=1&filename=units.csv", "A dry run answers 200, an import that went in 201 (the same shape), async=1 202 {job_id} (the job's result is this reply); a refused file 422 import_rejected with one detail per problem, the problems by kind (summary), the columns not imported (ignored_columns), the rows skipped (skipped_rows) and its import_id", NULL, "单位名称,单位类型,所属地区\n南安市示例中心,事业单位,南安市\n"},
	{api_import_list, 200, REPLY_LIST, NULL, &svc_import_run_shape, NULL, "admin", "/api/v1/imports?flagged=0"},
	{api_import_get, 200, REPLY_ONE, NULL, &svc_import_shape, NULL, "admin", "/api/v1/imports/@new"},
	{api_import_report, 200, REPLY_FILE, NULL, NULL, XLSX, NULL, NULL, "Only a refused run has one: exercised by the import tests"},

	{api_users_list, 200, REPLY_LIST, NULL, &svc_user_shape, NULL, "admin", "/api/v1/users?role=unit_liaison"},
	{api_users_create, 201, REPLY_ONE, &api_user_body, &svc_user_shape, NULL, "admin", "/api/v1/users"},
	{api_users_get, 200, REPLY_ONE, NULL, &svc_user_shape, NULL, "admin", "/api/v1/users/5"},
	{api_users_update, 200, REPLY_ONE, &api_user_body, &svc_user_shape, NULL, "admin", "/api/v1/users/@new"},
	{api_users_reset_password, 200, REPLY_ONE, &api_password_reset_body, &svc_password_reset_shape, NULL, "admin", "/api/v1/users/@new/password"},
	{api_audit_list, 200, REPLY_LIST, NULL, &svc_audit_shape, NULL, "sysadmin", "/api/v1/audit-log?entity=unit"},
	{api_login_log_list, 200, REPLY_LIST, NULL, &svc_login_shape, NULL, "sysadmin", "/api/v1/login-log"},

	/* the examples of the training world act on what they make (the demo has no plans): a
	 * unit's plan, and a class of 2024 with one session, which a solve queued for it and
	 * then cancelled arranges */
	{api_plans_list, 200, REPLY_LIST, NULL, &svc_plan_shape, NULL, "admin", "/api/v1/plans?year=2024"},
	{api_plans_create, 201, REPLY_ONE, &api_plan_body, &svc_plan_shape, NULL, "liaison1", "/api/v1/plans", "A liaison's plan is its unit's; an organization admin's is the department's"},
	{api_plans_get, 200, REPLY_ONE, NULL, &svc_plan_shape, NULL, "admin", "/api/v1/plans/@new"},
	{api_plans_update, 200, REPLY_ONE, &api_plan_body, &svc_plan_shape, NULL, "liaison1", "/api/v1/plans/@new"},
	{api_plans_approval, 200, REPLY_ONE, &api_approval_body, &svc_plan_shape, NULL, "liaison1", "/api/v1/plans/@new/approval", "The plan with its approval history"},
	{api_plan_classes_add, 200, REPLY_ONE, NULL, &svc_plan_shape, NULL, "admin", "/api/v1/plans/1/classes/5", "The plan (its class count). The example puts the seed's class into the demo's 2023 plan, which holds it already: nothing changes"},
	{api_plan_classes_remove, 200, REPLY_ONE, NULL, &svc_plan_shape, NULL, NULL, NULL, "The plan (its class count); exercised by the plan tests (tests/api/training.test.mjs), which take out what they put in"},

	{api_classes_list, 200, REPLY_LIST, NULL, &svc_class_shape, NULL, "admin", "/api/v1/classes?status=published&from=2023-03-01&to=2023-03-31"},
	{api_classes_create, 201, REPLY_ONE, &api_class_body, &svc_class_shape, NULL, "admin", "/api/v1/classes"},
	{api_classes_get, 200, REPLY_ONE, NULL, &svc_class_shape, NULL, "manager", "/api/v1/classes/5"},
	{api_classes_update, 200, REPLY_ONE, &api_class_body, &svc_class_shape, NULL, "admin", "/api/v1/classes/@new"},
	{api_classes_delete, 204, REPLY_NONE, NULL, NULL, NULL, "admin", "/api/v1/classes/@new"},
	{api_classes_approval, 200, REPLY_ONE, &api_approval_body, &svc_class_shape, NULL, "admin", "/api/v1/classes/@new/approval", "The class with its approval history"},
	{api_class_sessions_create, 201, REPLY_ONE, &api_session_body, &svc_class_session_shape, NULL, "admin", "/api/v1/classes/@new/sessions", "The new session, unplaced", "/api/v1/sessions"},
	{api_class_timetable, 200, REPLY_ONE, NULL, &svc_class_grid_shape, NULL, "manager", "/api/v1/classes/5/timetable"},
	{api_class_timetable_pdf, 200, REPLY_FILE, NULL, NULL, PDF, "manager", "/api/v1/classes/5/timetable.pdf"},
	{api_class_timetable_ics, 200, REPLY_FILE, NULL, NULL, ICS, "manager", "/api/v1/classes/5/timetable.ics"},
	{api_class_solve, 202, REPLY_ACCEPTED, &api_solve_body, &svc_solve_queued_shape, NULL, "admin", "/api/v1/classes/@new/timetable/solve", "Follow the job at GET /api/v1/jobs/{job_id}; its result is a SolveResult", "/api/v1/jobs"},
	{api_class_timetable_cost, 200, REPLY_ONE, NULL, &svc_timetable_cost_shape, NULL, "manager", "/api/v1/classes/5/timetable/cost", "The figure `peixun demo` prints for the class's timetable"},
	{api_class_timetable_apply, 200, REPLY_ONE, &api_apply_body, &svc_timetable_applied_shape, NULL, NULL, NULL, "Needs a finished solve with a proposal: exercised by the solve tests (tests/api/solve.test.mjs)"},
	{api_class_timetable_undo_state, 200, REPLY_ONE, NULL, &svc_timetable_undo_shape, NULL, "admin", "/api/v1/classes/@new/timetable/undo", "Nothing applied to the new class yet: available false, with the reason"},
	{api_class_timetable_undo, 200, REPLY_ONE, NULL, &svc_timetable_undone_shape, NULL, NULL, NULL, "Needs an applied proposal: exercised by the solve tests (tests/api/solve.test.mjs)"},
	{api_sessions_update, 200, REPLY_ONE, &api_session_body, &svc_class_session_shape, NULL, "admin", "/api/v1/sessions/@new"},
	{api_sessions_delete, 204, REPLY_NONE, NULL, NULL, NULL, "admin", "/api/v1/sessions/@new"},
	{api_sessions_place, 200, REPLY_ONE, &api_placement_body, &svc_placement_shape, NULL, "admin", "/api/v1/sessions/@new/placement", "Conflicts are shown, not refused"},
	{api_timetable_weights, 200, REPLY_ONE, NULL, &svc_weights_shape, NULL, "manager", "/api/v1/timetable/weights"},
	{api_jobs_get, 200, REPLY_ONE, NULL, &svc_job_shape, NULL, "admin", "/api/v1/jobs/@new"},
	{api_jobs_cancel, 200, REPLY_ONE, NULL, &svc_job_shape, NULL, "admin", "/api/v1/jobs/@new/cancel", "The job, cancelled or (running) asked to stop"},
	{api_my_schedule_ics, 200, REPLY_FILE, NULL, NULL, ICS, "trainee1", "/api/v1/me/schedule.ics"},
	{api_my_schedule, 200, REPLY_ONE, NULL, &svc_my_schedule_shape, NULL, "trainee1", "/api/v1/me/schedule"},

	{api_experts_list, 200, REPLY_LIST, NULL, &svc_expert_shape, NULL, "admin", "/api/v1/experts?page_size=20"},
	{api_experts_create, 201, REPLY_ONE, &api_expert_body, &svc_expert_shape, NULL, "admin", "/api/v1/experts"},
	{api_experts_get, 200, REPLY_ONE, NULL, &svc_expert_shape, NULL, "admin", "/api/v1/experts/1"},
	{api_experts_update, 200, REPLY_ONE, &api_expert_body, &svc_expert_shape, NULL, "admin", "/api/v1/experts/@new"},
	{api_expert_timetable, 200, REPLY_ONE, NULL, &svc_expert_grid_shape, NULL, "admin", "/api/v1/experts/1/timetable?from=2023-02-18&to=2023-02-25"},
	{api_expert_timetable_ics, 200, REPLY_FILE, NULL, NULL, ICS, "admin", "/api/v1/experts/1/timetable.ics"},
	{api_rooms_list, 200, REPLY_LIST, NULL, &svc_room_shape, NULL, "admin", "/api/v1/rooms?page_size=50"},
	{api_rooms_create, 201, REPLY_ONE, &api_room_body, &svc_room_shape, NULL, "admin", "/api/v1/rooms"},
	{api_rooms_update, 200, REPLY_ONE, &api_room_body, &svc_room_shape, NULL, "admin", "/api/v1/rooms/@new"},
	{api_room_timetable, 200, REPLY_ONE, NULL, &svc_room_grid_shape, NULL, "admin", "/api/v1/rooms/1/timetable?from=2023-02-18&to=2023-02-25"},

	/* the ledger's writes append what cannot be taken back: exercised by the ledger tests */
	{api_ledger_record, 200, REPLY_ONE, NULL, &svc_ledger_record_shape, NULL, "admin", "/api/v1/cadres/1/ledger"},
	{api_ledger_adjust, 201, REPLY_ONE, &api_ledger_adjustment_body, &svc_ledger_entry_shape, NULL, NULL, NULL, "The new entry. Entries are appended for good, so the example is not run on the demo: exercised by tests/api/ledger.test.mjs"},
	{api_ledger_correct, 201, REPLY_ONE, &api_ledger_correction_body, &svc_ledger_entry_shape, NULL, NULL, NULL, "The correction, an entry of its own: exercised by tests/api/ledger.test.mjs"},
	{api_online_template, 200, REPLY_FILE, NULL, NULL, XLSX, "admin", "/api/v1/ledger/imports/online/template"},
	{api_online_import, 201, REPLY_ONE, NULL, &svc_online_import_shape, NULL, NULL, NULL, "A dry run answers 200 (the same shape); a refused file 422 import_rejected with one detail per problem and its import_id. Needs ID numbers of the deployment's cadres: exercised by tests/api/online-hours.test.mjs"},
	{api_requirements_list, 200, REPLY_ONE, NULL, &svc_requirements_shape, NULL, "admin", "/api/v1/requirements"},
	{api_requirements_get, 200, REPLY_ONE, NULL, &svc_requirement_shape, NULL, NULL, NULL, "The demo has no versions of its own: exercised by tests/api/ledger.test.mjs"},
	{api_requirements_create, 201, REPLY_ONE, &api_requirement_body, &svc_requirement_shape, NULL, NULL, NULL, "The new version with the job judging the region's cadres again (job_id). It would change every later test's standing: exercised by tests/api/ledger.test.mjs"},
	{api_region_hours_rules_get, 200, REPLY_ONE, NULL, &svc_hours_rules_shape, NULL, "admin", "/api/v1/regions/3/hours-rules"},
	{api_region_hours_rules_put, 200, REPLY_ONE, &api_hours_rules_body, &svc_hours_rules_shape, NULL, NULL, NULL, "Exercised by tests/api/ledger.test.mjs"},
	{api_class_hours_rules_get, 200, REPLY_ONE, NULL, &svc_hours_rules_shape, NULL, "manager", "/api/v1/classes/5/hours-rules"},
	{api_class_hours_rules_put, 200, REPLY_ONE, &api_hours_rules_body, &svc_hours_rules_shape, NULL, NULL, NULL, "Exercised by tests/api/ledger.test.mjs"},

	{api_stats_overview, 200, REPLY_ONE, NULL, &svc_stats_shape, NULL, "viewer1", "/api/v1/stats/overview"},
	{api_compliance_summary, 200, REPLY_ONE, NULL, &svc_compliance_summary_shape, NULL, "viewer1", "/api/v1/compliance/summary?window=year:2023&hours_kind=centralized&as_of=2023-09-01"},
	{api_compliance_behind, 200, REPLY_LIST, NULL, &svc_compliance_behind_shape, NULL, "admin", "/api/v1/compliance/behind?window=year:2023&unit_type=township&page_size=5"},
};
/* clang-format on */

const size_t api_route_doc_count = sizeof api_route_docs / sizeof api_route_docs[0];

const struct route_doc *api_route_doc(route_handler *handler)
{
	for (size_t i = 0; i < api_route_doc_count; i++)
		if (api_route_docs[i].handler == handler)
			return &api_route_docs[i];
	return NULL;
}

/* The routes' filters, beside their handlers. */
extern const struct query_spec api_cadre_query, api_unit_query, api_class_query, api_plan_query,
	api_room_query, api_user_query, api_log_query, api_import_template_query, api_import_query,
	api_import_list_query, api_online_import_query, api_compliance_summary_query,
	api_compliance_behind_query;

const struct route_query api_route_queries[] = {
	{ api_cadres_list, &api_cadre_query },
	{ api_cadres_export, &api_cadre_query },
	{ api_units_list, &api_unit_query },
	{ api_units_export, &api_unit_query },
	{ api_classes_list, &api_class_query },
	{ api_plans_list, &api_plan_query },
	{ api_rooms_list, &api_room_query },
	{ api_users_list, &api_user_query },
	{ api_audit_list, &api_log_query },
	{ api_import_template, &api_import_template_query },
	{ api_import_create, &api_import_query },
	{ api_import_list, &api_import_list_query },
	{ api_online_import, &api_online_import_query },
	{ api_compliance_summary, &api_compliance_summary_query },
	{ api_compliance_behind, &api_compliance_behind_query },
};
const size_t api_route_query_count = sizeof api_route_queries / sizeof api_route_queries[0];
