/*
 * routes.c — every route of the HTTP API, as one table.
 *
 * A row is: method, path, handler, the permission checked before the handler runs, the
 * body cap (0 = 256 KiB JSON), flags, the OpenAPI tag and summary. The server refuses a
 * request whose caller lacks the permission (401/403) before the handler sees it; the
 * handler then checks the data scope of the objects it touches. openapi.json is generated
 * from this table, so the document and the server cannot disagree. C marks the busiest
 * reads, whose replies the server may serve again while nothing commits (reply_cache.h).
 */
#include "api/api.h"

#define L   ROUTE_LIST
#define RAW ROUTE_RAW_BODY
#define C   ROUTE_CACHE

/* clang-format off */
const struct route api_routes[] = {
	{"GET", "/healthz", api_health, PERM_PUBLIC, 0, 0, "system", "200 when the database is reachable"},
	{"GET", "/api/v1/openapi.json", api_openapi, PERM_PUBLIC, 0, 0, "system", "This document"},
	{"GET", "/api/v1/vocabularies", api_vocabularies, PERM_PUBLIC, 0, 0, "system", "Codes and labels of every vocabulary (rank levels, unit types …)"},

	{"POST", "/api/v1/session", api_login, PERM_PUBLIC, 4096, 0, "session", "Log in: {username, password} → cookie + {user, csrf_token}"},
	{"GET", "/api/v1/session", api_session_get, PERM_LOGGED_IN, 0, 0, "session", "The logged-in user, permissions and CSRF token"},
	{"DELETE", "/api/v1/session", api_logout, PERM_LOGGED_IN, 0, 0, "session", "Log out"},
	{"PUT", "/api/v1/session/password", api_password_change, PERM_LOGGED_IN, 4096, 0, "session", "Change one's own password"},

	{"GET", "/api/v1/regions", api_regions_list, PERM_REGION_READ, 0, L | C, "registry", "The region tree (flat, with parent ids)"},
	{"POST", "/api/v1/regions", api_regions_create, PERM_REGION_WRITE, 0, 0, "registry", "Create a region"},
	{"GET", "/api/v1/regions/{id}", api_regions_get, PERM_REGION_READ, 0, 0, "registry", "One region"},
	{"PUT", "/api/v1/regions/{id}", api_regions_update, PERM_REGION_WRITE, 0, 0, "registry", "Update a region"},
	{"DELETE", "/api/v1/regions/{id}", api_regions_delete, PERM_REGION_WRITE, 0, 0, "registry", "Delete an empty region"},

	{"GET", "/api/v1/units/export", api_units_export, PERM_UNIT_READ, 0, 0, "registry", "Units as .xlsx (same filters as the list)"},
	{"GET", "/api/v1/units", api_units_list, PERM_UNIT_READ, 0, L | C, "registry", "Units (filters: region_id, type)"},
	{"POST", "/api/v1/units", api_units_create, PERM_UNIT_WRITE, 0, 0, "registry", "Create a unit"},
	{"GET", "/api/v1/units/{id}", api_units_get, PERM_UNIT_READ, 0, 0, "registry", "One unit"},
	{"PUT", "/api/v1/units/{id}", api_units_update, PERM_UNIT_WRITE, 0, 0, "registry", "Update a unit (send its version)"},
	{"DELETE", "/api/v1/units/{id}", api_units_delete, PERM_UNIT_WRITE, 0, 0, "registry", "Delete a unit without cadres or accounts"},

	{"GET", "/api/v1/cadres/export", api_cadres_export, PERM_CADRE_EXPORT, 0, 0, "registry", "Cadres as .xlsx, numbers masked (reveal=1: unmasked, needs cadre.reveal; audited)"},
	{"GET", "/api/v1/cadres", api_cadres_list, PERM_CADRE_READ, 0, L | C, "registry", "Cadres, numbers masked (filters: region_id, unit_id, rank_level, category, status, is_head)"},
	{"POST", "/api/v1/cadres", api_cadres_create, PERM_CADRE_WRITE, 0, 0, "registry", "Register a cadre"},
	{"GET", "/api/v1/cadres/{id}", api_cadres_get, PERM_CADRE_READ, 0, C, "registry", "One cadre, numbers masked"},
	{"PUT", "/api/v1/cadres/{id}", api_cadres_update, PERM_CADRE_WRITE, 0, 0, "registry", "Update a cadre; career changes are kept as history"},
	{"GET", "/api/v1/cadres/{id}/history", api_cadres_history, PERM_CADRE_READ, 0, 0, "registry", "Changes of unit, post, rank and status"},
	{"POST", "/api/v1/cadres/{id}/reveal", api_cadres_reveal, PERM_CADRE_REVEAL, 0, 0, "registry", "The unmasked ID and phone numbers (audited)"},

	{"GET", "/api/v1/imports/template", api_import_template, PERM_IMPORT, 0, 0, "import", "The .xlsx template (kind=cadres|units)"},
	{"POST", "/api/v1/imports", api_import_create, PERM_IMPORT, 0, RAW, "import", "Import a .xlsx or .csv file (body) all-or-nothing: kind=cadres|units, filename, dry_run; async=1: queued as a job, 202 with its id"},
	{"GET", "/api/v1/imports", api_import_list, PERM_IMPORT, 0, L, "import", "Import runs: one's own; an organization admin's also those of its region's accounts, with how many ID numbers registered outside the importer's scope each held (filter: flagged)"},
	{"GET", "/api/v1/imports/{id}", api_import_get, PERM_IMPORT, 0, 0, "import", "One import run and its row-by-row errors"},
	{"GET", "/api/v1/imports/{id}/report", api_import_report, PERM_IMPORT, 0, 0, "import", "Error report of a rejected import: its rows with an error column (.xlsx)"},

	{"GET", "/api/v1/users", api_users_list, PERM_USER_READ, 0, L, "accounts", "User accounts"},
	{"POST", "/api/v1/users", api_users_create, PERM_USER_WRITE, 4096, 0, "accounts", "Create an account"},
	{"GET", "/api/v1/users/{id}", api_users_get, PERM_USER_READ, 0, 0, "accounts", "One account"},
	{"PUT", "/api/v1/users/{id}", api_users_update, PERM_USER_WRITE, 4096, 0, "accounts", "Update an account (role, scope, active)"},
	{"POST", "/api/v1/users/{id}/password", api_users_reset_password, PERM_USER_WRITE, 4096, 0, "accounts", "Reset a password (generated when not given) and unlock"},
	{"GET", "/api/v1/audit-log", api_audit_list, PERM_AUDIT_READ, 0, L, "accounts", "Audit log of every write (filters: entity, entity_id)"},
	{"GET", "/api/v1/login-log", api_login_log_list, PERM_AUDIT_READ, 0, L, "accounts", "Login log"},

	{"GET", "/api/v1/plans", api_plans_list, PERM_PLAN_READ, 0, L, "training", "Annual training plans (filter: year)"},
	{"POST", "/api/v1/plans", api_plans_create, PERM_PLAN_WRITE, 0, 0, "training", "Draft a plan (a liaison's is its unit's)"},
	{"GET", "/api/v1/plans/{id}", api_plans_get, PERM_PLAN_READ, 0, 0, "training", "One plan with its approval history"},
	{"PUT", "/api/v1/plans/{id}", api_plans_update, PERM_PLAN_WRITE, 0, 0, "training", "Edit a draft or returned plan"},
	{"POST", "/api/v1/plans/{id}/approval", api_plans_approval, PERM_PLAN_READ, 0, 0, "training", "submit / approve / reject (with comment) along unit → parent → organization department"},
	{"PUT", "/api/v1/plans/{id}/classes/{class_id}", api_plan_classes_add, PERM_PLAN_WRITE, 0, 0, "training", "Put a class of the plan's region into the plan (not while it is under approval; an approved plan takes only a class approved on its own)"},
	{"DELETE", "/api/v1/plans/{id}/classes/{class_id}", api_plan_classes_remove, PERM_PLAN_WRITE, 0, 0, "training", "Take a class out of the plan (the plan with its class count)"},

	{"GET", "/api/v1/classes", api_classes_list, PERM_CLASS_READ, 0, L, "training", "Classes (filters: plan_id, term, status, from, to)"},
	{"POST", "/api/v1/classes", api_classes_create, PERM_CLASS_WRITE, 0, 0, "training", "Create a class"},
	{"GET", "/api/v1/classes/{id}", api_classes_get, PERM_CLASS_READ, 0, 0, "training", "One class"},
	{"PUT", "/api/v1/classes/{id}", api_classes_update, PERM_CLASS_WRITE, 0, 0, "training", "Update a class (send its version)"},
	{"DELETE", "/api/v1/classes/{id}", api_classes_delete, PERM_CLASS_WRITE, 0, 0, "training", "Delete a draft class without trainees"},
	{"POST", "/api/v1/classes/{id}/approval", api_classes_approval, PERM_CLASS_READ, 0, 0, "training", "Approval of an ad-hoc class: submit / approve / reject"},
	{"POST", "/api/v1/classes/{id}/sessions", api_class_sessions_create, PERM_CLASS_WRITE, 0, 0, "timetable", "Add a session (lecture, seminar, site visit …) to a class"},
	{"GET", "/api/v1/classes/{id}/timetable", api_class_timetable, PERM_CLASS_READ, 0, 0, "timetable", "The class's week grid: days, slots, sessions with placements and conflicts"},
	{"GET", "/api/v1/classes/{id}/timetable.pdf", api_class_timetable_pdf, PERM_CLASS_READ, 0, 0, "timetable", "The class's timetable as a printable A4 PDF"},
	{"GET", "/api/v1/classes/{id}/timetable.ics", api_class_timetable_ics, PERM_CLASS_READ, 0, 0, "timetable", "The class's timetable as iCalendar (.ics)"},
	{"POST", "/api/v1/classes/{id}/timetable/solve", api_class_solve, PERM_CLASS_WRITE, 4096, 0, "timetable", "Auto-arrange (the class, or its whole term) in the background: 202 with a job id; its result is a proposal, not applied"},
	{"GET", "/api/v1/classes/{id}/timetable/cost", api_class_timetable_cost, PERM_CLASS_WRITE, 0, 0, "timetable", "The cost of the class's timetable as it stands, by constraint (what a solve starts from)"},
	{"POST", "/api/v1/classes/{id}/timetable/apply", api_class_timetable_apply, PERM_CLASS_WRITE, 4096, 0, "timetable", "Apply one's solve's proposal: refused when the timetable changed since it was made"},
	{"GET", "/api/v1/classes/{id}/timetable/undo", api_class_timetable_undo_state, PERM_CLASS_WRITE, 0, 0, "timetable", "Whether the last applied proposal can be undone, and why not"},
	{"POST", "/api/v1/classes/{id}/timetable/undo", api_class_timetable_undo, PERM_CLASS_WRITE, 0, 0, "timetable", "Undo the last applied proposal: refused when the timetable changed after it"},
	{"PUT", "/api/v1/sessions/{id}", api_sessions_update, PERM_CLASS_WRITE, 0, 0, "timetable", "Edit a session"},
	{"DELETE", "/api/v1/sessions/{id}", api_sessions_delete, PERM_CLASS_WRITE, 0, 0, "timetable", "Remove a session"},
	{"PUT", "/api/v1/sessions/{id}/placement", api_sessions_place, PERM_CLASS_WRITE, 0, 0, "timetable", "Move, pin or unpin a session (dry_run=1: only the conflicts it would cause)"},
	{"GET", "/api/v1/timetable/weights", api_timetable_weights, PERM_CLASS_READ, 0, 0, "timetable", "The soft-constraint weights auto-arrange uses unless told otherwise"},
	{"GET", "/api/v1/jobs/{id}", api_jobs_get, PERM_LOGGED_IN, 0, 0, "jobs", "Progress and result of a background job (one's own), from any server"},
	{"POST", "/api/v1/jobs/{id}/cancel", api_jobs_cancel, PERM_LOGGED_IN, 0, 0, "jobs", "Cancel one's own job: a queued one at once, a running solve at its next step"},
	{"GET", "/api/v1/me/schedule.ics", api_my_schedule_ics, PERM_LOGGED_IN, 0, 0, "timetable", "One's own schedule as iCalendar (.ics) for a phone's calendar"},
	{"GET", "/api/v1/me/schedule", api_my_schedule, PERM_LOGGED_IN, 0, 0, "timetable", "One's own sessions: a trainee's classes, an expert's lectures"},

	{"GET", "/api/v1/experts", api_experts_list, PERM_EXPERT_READ, 0, L, "resources", "Experts (师资库)"},
	{"POST", "/api/v1/experts", api_experts_create, PERM_EXPERT_WRITE, 0, 0, "resources", "Add an expert, with half-day availability"},
	{"GET", "/api/v1/experts/{id}", api_experts_get, PERM_EXPERT_READ, 0, 0, "resources", "One expert with the marked half-days"},
	{"PUT", "/api/v1/experts/{id}", api_experts_update, PERM_EXPERT_WRITE, 0, 0, "resources", "Update an expert and its availability"},
	{"GET", "/api/v1/experts/{id}/timetable", api_expert_timetable, PERM_EXPERT_READ, 0, 0, "timetable", "An expert's week grid (from, to)"},
	{"GET", "/api/v1/experts/{id}/timetable.ics", api_expert_timetable_ics, PERM_EXPERT_READ, 0, 0, "timetable", "An expert's lectures as iCalendar (.ics)"},
	{"GET", "/api/v1/rooms", api_rooms_list, PERM_EXPERT_READ, 0, L, "resources", "Rooms (filter: site)"},
	{"POST", "/api/v1/rooms", api_rooms_create, PERM_ROOM_WRITE, 0, 0, "resources", "Add a room"},
	{"PUT", "/api/v1/rooms/{id}", api_rooms_update, PERM_ROOM_WRITE, 0, 0, "resources", "Update a room"},
	{"GET", "/api/v1/rooms/{id}/timetable", api_room_timetable, PERM_EXPERT_READ, 0, 0, "timetable", "A room's week grid (from, to)"},

	{"GET", "/api/v1/cadres/{id}/ledger", api_ledger_record, PERM_LEDGER_READ, 0, 0, "ledger", "一人一档: the cadre's hours ledger by year and its standing against every requirement window"},
	{"POST", "/api/v1/cadres/{id}/ledger/adjustments", api_ledger_adjust, PERM_LEDGER_WRITE, 0, 0, "ledger", "A manual adjustment (with a reason) appended to the cadre's ledger; the cadre is judged again"},
	{"POST", "/api/v1/ledger/{id}/corrections", api_ledger_correct, PERM_LEDGER_WRITE, 0, 0, "ledger", "A correction of an entry: a new entry naming it, with a reason and the change (entries are never changed)"},
	{"GET", "/api/v1/ledger/imports/online/template", api_online_template, PERM_LEDGER_WRITE, 0, 0, "ledger", "The .xlsx template of an online-academy hours file (网络学院学时)"},
	{"POST", "/api/v1/ledger/imports/online", api_online_import, PERM_LEDGER_WRITE, 8u << 20, RAW, "ledger", "Import an online-academy hours file (.xlsx or .csv body, 8 MB at most) all-or-nothing: ID number, course, hours, completed on; filename, dry_run"},
	{"GET", "/api/v1/requirements", api_requirements_list, PERM_LEDGER_READ, 0, 0, "ledger", "The requirement rule versions in force for the caller's region: its own, inherited or the built-in 2023 rules"},
	{"POST", "/api/v1/requirements", api_requirements_create, PERM_REQUIREMENT_WRITE, 0, 0, "ledger", "A new rule version of the caller's region (closes the earlier open one); its cadres are judged again by a ledger.evaluate job"},
	{"GET", "/api/v1/requirements/{id}", api_requirements_get, PERM_LEDGER_READ, 0, 0, "ledger", "One rule version with its rules"},
	{"GET", "/api/v1/regions/{id}/hours-rules", api_region_hours_rules_get, PERM_REQUIREMENT_WRITE, 0, 0, "ledger", "The region's hours conversion rules (学时折算): its own, inherited or the defaults"},
	{"PUT", "/api/v1/regions/{id}/hours-rules", api_region_hours_rules_put, PERM_REQUIREMENT_WRITE, 0, 0, "ledger", "Set the region's hours conversion rules (send the version read)"},
	{"GET", "/api/v1/classes/{id}/hours-rules", api_class_hours_rules_get, PERM_CLASS_READ, 0, 0, "ledger", "The class's hours conversion rules: its own or its region's"},
	{"PUT", "/api/v1/classes/{id}/hours-rules", api_class_hours_rules_put, PERM_CLASS_WRITE, 0, 0, "ledger", "Set the class's own hours conversion rules (send the version read)"},

	{"GET", "/api/v1/stats/overview", api_stats_overview, PERM_STATS_READ, 0, 0, "dashboard", "Counts, and cadres by rank level per unit type"},
	{"GET", "/api/v1/compliance/summary", api_compliance_summary, PERM_STATS_READ, 0, 0, "compliance", "How the region's cadres stand against the training requirements (学时达标): counts by status, rate, 一把手 coverage, promotions without 任职培训, hours in bins, by region, unit type, unit, category, rank"},
	{"GET", "/api/v1/compliance/behind", api_compliance_behind, PERM_STATS_READ, 0, L, "compliance", "Who is behind or overdue, most missing hours first (name, unit, post, rank; ?format=xlsx exports it, audited)"},
};
/* clang-format on */

const size_t api_route_count = sizeof api_routes / sizeof api_routes[0];
