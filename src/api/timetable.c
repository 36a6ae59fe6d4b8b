/*
 * timetable.c — the timetable routes: week grids (/classes/{id}/timetable,
 * /experts/{id}/timetable, /rooms/{id}/timetable), documents (.pdf, .ics), auto-arrange
 * (/classes/{id}/timetable/solve, a job that proposes), the current cost, applying a
 * proposal and undoing the last one applied (/classes/{id}/timetable/cost, /apply, /undo),
 * the default weights and one's own schedule (/me/schedule): HTTP ↔ the operations of
 * service/schedule.h.
 */
#include <stddef.h>

#include "api/api.h"
#include "api/body.h"
#include "service/schedule.h"

static const struct body_field solve_body_fields[] = {
	{ "time_limit", BODY_RAW, offsetof(struct solve_form, time_limit), NULL, false,
	  "Seconds to search, 1..300 (default 10)", "60" },
	{ "max_iterations", BODY_RAW, offsetof(struct solve_form, max_iterations), NULL, false,
	  "A fixed number of iterations instead, reproducible with a seed (0: search by time)",
	  "0" },
	{ "seed", BODY_RAW, offsetof(struct solve_form, seed), NULL, false,
	  "The random seed (default: the clock)", "7" },
	{ "keep_previous", BODY_RAW, offsetof(struct solve_form, keep_previous), NULL, false,
	  "Start from the current placements and move as little as possible (default true)",
	  "true" },
	{ "whole_term", BODY_RAW, offsetof(struct solve_form, whole_term), NULL, false,
	  "Arrange the class's term with it, as far as the caller may change it (default true)",
	  "true" },
	{ "weights", BODY_RAW, offsetof(struct solve_form, weights), NULL, false,
	  "Soft-constraint weights 0..1000 by key (GET /timetable/weights)",
	  "{\"preference\": 3}" },
};
const struct body_spec api_solve_body = BODY_SPEC("SolveOptions", solve_body_fields);

px_err api_class_timetable(struct http_req *r)
{
	int64_t id;
	json_t *out = NULL;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = svc_class_timetable(api_svc(r), id, &out);
	return api_reply(r, rc, 200, out);
}

static px_err resource_grid(struct http_req *r, bool expert)
{
	int64_t id;
	json_t *out = NULL;
	const char *from = http_query(r, "from"), *to = http_query(r, "to");
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = expert ? svc_expert_timetable(api_svc(r), id, from, to, &out)
			    : svc_room_timetable(api_svc(r), id, from, to, &out);
	return api_reply(r, rc, 200, out);
}

px_err api_expert_timetable(struct http_req *r)
{
	return resource_grid(r, true);
}

px_err api_room_timetable(struct http_req *r)
{
	return resource_grid(r, false);
}

px_err api_timetable_weights(struct http_req *r)
{
	json_t *out = NULL;
	px_err rc = svc_timetable_weights(api_svc(r), &out);
	return api_reply(r, rc, 200, out);
}

px_err api_class_solve(struct http_req *r)
{
	struct solve_form f = { 0 };
	struct api_in in = api_in_optional(r, &api_solve_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_class_solve(api_svc(r), in.id, &f, &in.out),
			202);
}

px_err api_class_timetable_cost(struct http_req *r)
{
	return api_view_by_id(r, svc_timetable_cost, 200);
}

struct apply_form {
	const json_t *job_id;
};
static const struct body_field apply_body_fields[] = {
	{ "job_id", BODY_RAW, offsetof(struct apply_form, job_id), NULL, true,
	  "The caller's finished solve of the class (POST …/timetable/solve) whose proposal to "
	  "apply",
	  "1" },
};
const struct body_spec api_apply_body = BODY_SPEC("ApplyProposal", apply_body_fields);

px_err api_class_timetable_apply(struct http_req *r)
{
	struct apply_form f = { 0 };
	struct api_in in = api_in(r, &api_apply_body, &f);
	return api_done(r, &in,
			in.rc ? in.rc : svc_timetable_apply(api_svc(r), in.id, f.job_id, &in.out),
			200);
}

px_err api_class_timetable_undo_state(struct http_req *r)
{
	return api_view_by_id(r, svc_timetable_undo_state, 200);
}

px_err api_class_timetable_undo(struct http_req *r)
{
	return api_view_by_id(r, svc_timetable_undo, 200);
}

px_err api_my_schedule(struct http_req *r)
{
	json_t *out = NULL;
	px_err rc = svc_my_schedule(api_svc(r), &out);
	return api_reply(r, rc, 200, out);
}

/* ---- documents ---- */

static px_err reply_file(struct http_req *r, px_err rc, struct schedule_file *f)
{
	if (!rc)
		rc = http_reply_bytes(r, 200, f->content_type, f->data.data, f->data.len,
				      f->filename);
	buf_release(&f->data);
	return rc;
}

static px_err class_file(struct http_req *r, bool pdf)
{
	int64_t id;
	struct schedule_file f = { .data = BUF_INIT(0) };
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = svc_class_timetable_file(api_svc(r), id, pdf, &f);
	return reply_file(r, rc, &f);
}

px_err api_class_timetable_pdf(struct http_req *r)
{
	return class_file(r, true);
}

px_err api_class_timetable_ics(struct http_req *r)
{
	return class_file(r, false);
}

px_err api_expert_timetable_ics(struct http_req *r)
{
	int64_t id;
	struct schedule_file f = { .data = BUF_INIT(0) };
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = svc_expert_timetable_ics(api_svc(r), id, &f);
	return reply_file(r, rc, &f);
}

px_err api_my_schedule_ics(struct http_req *r)
{
	struct schedule_file f = { .data = BUF_INIT(0) };
	return reply_file(r, svc_my_schedule_ics(api_svc(r), &f), &f);
}
