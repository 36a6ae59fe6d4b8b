/*
 * api.h — what every resource file of the API shares: the route table, the request's
 * context, list parameters, reading JSON fields, and replies.
 *
 * A handler turns the request into a call of an operation of src/service/ and its result
 * into a reply; the operation checks scope, runs the transaction and writes the audit
 * entry. The request's context (struct api_ctx, set up by the server hooks of request.c)
 * holds the connection, the caller and the operations' context `svc`.
 */
#ifndef PX_API_H
#define PX_API_H

#include <jansson.h>

#include "http/http.h"

struct body_spec;
#include "service/app.h"
#include "service/svc.h"

extern const struct route api_routes[];
extern const size_t api_route_count;

/* What the API keeps of a request (http_req.ctx). */
struct api_ctx {
	struct app *app;
	struct store *db; /* this thread's connection */
	struct principal who;
	char session_hash[65];
	char csrf_token[48];
	int64_t session_expires;
	struct svc svc; /* the operations' context: db, who, language, arena, problems */
	json_t *body;   /* the parsed JSON body (api_body), freed when the request ends */
};

#define API(r) ((struct api_ctx *)(r)->ctx)

/* The operations' context of the request. */
static inline struct svc *api_svc(struct http_req *r)
{
	return &API(r)->svc;
}

/* The server's options for the API: its routes and hooks, over the application's
 * configuration (request.c). */
void api_server_options(struct app *app, struct http_server_options *o);

/* Fill the caller from the session cookie (auth.c); ROLE_NONE when there is none. */
px_err api_authenticate(struct http_req *r);

/* page ≥ 1 (default 1), page_size ≥ 1 (default 20, at most max), q (at most 200
 * characters, trimmed) and sort; a malformed one is a problem naming it (PX_ERR_INVALID). */
px_err api_list_params(struct http_req *r, struct page_query *p, long max_page_size);
/* The same and the list's own filters by their spec (query.h), every problem reported. */
struct query_spec;
px_err api_list_query(struct http_req *r, struct page_query *p, long max_page_size,
		      const struct query_spec *spec, void *filter);
/* An operation's page as {"items", "total", "page", "page_size"} (takes its items); p NULL:
 * the whole list on one page. With ?format=xlsx the same list (every matching row, up to
 * 10,000) as a spreadsheet by the page's sheet, audited as an export (service/sheets.h); a
 * list without a sheet is a problem on `format`. */
px_err api_reply_page(struct http_req *r, struct svc_page *page, const struct page_query *p);
/* ?format=xlsx was asked for. */
bool api_wants_xlsx(struct http_req *r);
/* The end of a handler: with rc == PX_OK, the reply `status` with `out` (taken; 204 and
 * NULL: no body); otherwise rc (out is freed). */
px_err api_reply(struct http_req *r, px_err rc, int status, json_t *out);
/*
 * What a handler reads before its one call — the path's {id}, when its pattern has one, and
 * the body by its spec (NULL: none) into the operation's input — and where the call puts
 * its view. A handler is then:
 *	struct x_form f = X_FORM_INIT;
 *	struct api_in in = api_in(r, &api_x_body, &f);
 *	return api_done(r, &in, in.rc ? in.rc : svc_x_update(api_svc(r), in.id, &f, &in.out), 200);
 */
struct api_in {
	px_err rc; /* the first error of reading (then no call) */
	int64_t id;
	json_t *out; /* the call's view, for api_done */
};
struct api_in api_in(struct http_req *r, const struct body_spec *spec, void *input);
/* The same for a body that may be empty (read as {}). */
struct api_in api_in_optional(struct http_req *r, const struct body_spec *spec, void *input);
/* The end of such a handler: rc, or the reply `status` with in->out (taken). */
px_err api_done(struct http_req *r, struct api_in *in, px_err rc, int status);

/* The handlers that are one call by the path's {id}: a read or an action replying its view
 * (`status`), and a delete (204). */
typedef px_err api_view_fn(struct svc *c, int64_t id, json_t **out);
typedef px_err api_delete_fn(struct svc *c, int64_t id);
px_err api_view_by_id(struct http_req *r, api_view_fn *op, int status);
px_err api_delete_by_id(struct http_req *r, api_delete_fn *op);

/* An .xlsx download named `filename`. */
px_err api_reply_xlsx(struct http_req *r, const struct buf *file, const char *filename);

/* A field of a JSON object as text: strings as they are, numbers and booleans printed,
 * null/absent → NULL. The text lives in the request arena. */
const char *api_json_text(struct http_req *r, json_t *obj, const char *key);
/* An id field: positive integer or numeric string; 0 when absent or null. -1 if malformed. */
int64_t api_json_id(json_t *obj, const char *key);
/* A field that lists codes: an array of strings joined by commas (any other element becomes
 * "\x01", which fails every check), or else the field as api_json_text. */
const char *api_json_codes(struct http_req *r, json_t *obj, const char *key);
/* A problem with the request's `field` (code: "required", "invalid", "duplicate" …),
 * its message zh or en in the caller's language. */
void api_problem(struct http_req *r, const char *field, const char *code, const char *zh,
		 const char *en);

/* ISO 8601 UTC text of an epoch time, or JSON null for 0. */
json_t *api_time_json(int64_t t);

/* Handlers, by file. */
route_handler api_health, api_openapi, api_vocabularies;
route_handler api_login, api_logout, api_session_get, api_password_change;
route_handler api_regions_list, api_regions_create, api_regions_get, api_regions_update,
	api_regions_delete;
route_handler api_units_list, api_units_create, api_units_get, api_units_update, api_units_delete,
	api_units_export;
route_handler api_cadres_list, api_cadres_create, api_cadres_get, api_cadres_update,
	api_cadres_history, api_cadres_reveal, api_cadres_export;
route_handler api_users_list, api_users_create, api_users_get, api_users_update,
	api_users_reset_password;
route_handler api_audit_list, api_login_log_list;
route_handler api_stats_overview;
route_handler api_compliance_summary, api_compliance_behind;
route_handler api_import_template, api_import_create, api_import_list, api_import_get,
	api_import_report;
route_handler api_plans_list, api_plans_create, api_plans_get, api_plans_update, api_plans_approval,
	api_plan_classes_add, api_plan_classes_remove;
route_handler api_classes_list, api_classes_create, api_classes_get, api_classes_update,
	api_classes_delete, api_classes_approval;
route_handler api_experts_list, api_experts_create, api_experts_get, api_experts_update;
route_handler api_rooms_list, api_rooms_create, api_rooms_update;
route_handler api_class_sessions_create, api_sessions_update, api_sessions_delete,
	api_sessions_place;
route_handler api_class_timetable, api_expert_timetable, api_room_timetable, api_class_solve,
	api_my_schedule, api_class_timetable_pdf, api_class_timetable_ics, api_expert_timetable_ics,
	api_my_schedule_ics, api_timetable_weights, api_class_timetable_cost,
	api_class_timetable_apply, api_class_timetable_undo_state, api_class_timetable_undo;
route_handler api_jobs_get, api_jobs_cancel;
route_handler api_ledger_record, api_ledger_adjust, api_ledger_correct, api_requirements_list,
	api_requirements_get, api_requirements_create, api_region_hours_rules_get,
	api_region_hours_rules_put, api_class_hours_rules_get, api_class_hours_rules_put,
	api_online_import, api_online_template;

/* The body of an approval step, shared by plans.c and classes.c. */
struct body_spec;
extern const struct body_spec api_approval_body;

#endif
