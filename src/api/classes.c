/*
 * classes.c — /api/v1/plans and /api/v1/classes: annual plans with their approval chain,
 * and training classes (ad-hoc ones go through the chain themselves).
 *
 * Who sees a class: the organization admin of its region; the class manager of it; a unit
 * liaison when a cadre of its unit is on the roster; a trainee on the roster; a viewer of
 * the region. Who may change it: the organization admin and its class manager.
 */
#include <string.h>

#include "api/api.h"
#include "base/date.h"
#include "domain/approval.h"
#include "domain/enums.h"
#include "store/training.h"

/* ---- JSON ---- */

json_t *api_class_json(struct http_req *r, const struct class_row *row)
{
	const struct training_class *c = &row->c;
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(c->id));
	json_object_set_new(j, "plan_id", c->plan_id ? json_integer(c->plan_id) : json_null());
	json_object_set_new(j, "plan_title", json_string(row->plan_title));
	json_object_set_new(j, "region_id", json_integer(c->region_id));
	json_object_set_new(j, "region_name", json_string(row->region_name));
	json_object_set_new(j, "name", json_string(c->name));
	json_object_set_new(j, "host", json_string(c->host));
	json_object_set_new(j, "location", json_string(c->location));
	json_object_set_new(j, "off_site", json_boolean(c->off_site));
	json_object_set_new(j, "start_date", json_string(c->start_date));
	json_object_set_new(j, "end_date", json_string(c->end_date));
	json_object_set_new(
		j, "days",
		json_integer(date_parse(c->end_date, 10) - date_parse(c->start_date, 10) + 1));
	json_object_set_new(j, "capacity", json_integer(c->capacity));
	json_object_set_new(j, "enrolled", json_integer(c->enrolled));
	json_object_set_new(j, "credited_hours", json_real(c->credited_hours));
	json_object_set_new(j, "credited_days", json_real(c->credited_days));
	json_object_set_new(j, "kind", json_string(c->kind));
	json_object_set_new(j, "kind_label", json_string(api_label(r, &enum_class_kind, c->kind)));
	json_object_set_new(j, "status", json_string(c->status));
	json_object_set_new(j, "status_label",
			    json_string(api_label(r, &enum_class_status, c->status)));
	json_object_set_new(j, "approval", json_string(c->approval));
	json_object_set_new(j, "approval_label",
			    json_string(api_label(r, &enum_approval, c->approval)));
	json_object_set_new(j, "target_levels", api_codes_json(c->target_levels));
	json_object_set_new(j, "target_categories", api_codes_json(c->target_categories));
	json_object_set_new(j, "term", json_string(c->term));
	json_object_set_new(j, "batch_no", json_integer(c->batch_no));
	json_object_set_new(j, "session_count", json_integer(row->session_count));
	json_object_set_new(j, "placed_count", json_integer(row->placed_count));
	json_object_set_new(j, "version", json_integer(c->version));
	json_object_set_new(j, "created_at", api_time_json(row->created_at));
	json_object_set_new(j, "updated_at", api_time_json(row->updated_at));
	return j;
}

/* The chain a plan's approval walks: the one it was submitted into, less a parent step whose
 * parent the unit no longer has (plans from before 0004 read the units as they are). */
static struct approval_chain plan_chain(const struct plan *p)
{
	bool parent = p->unit_parent_id > 0;
	if (p->chain_parent >= 0 && !strcmp(p->status, "submitted"))
		parent = parent && p->chain_parent;
	return approval_chain_for(p->unit_id > 0, parent);
}

static json_t *plan_json(struct http_req *r, const struct plan *p)
{
	struct approval_chain chain = plan_chain(p);
	struct approval_state st = { p->status, p->step };
	const char *waiting = approval_waiting_for(&chain, &st);
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(p->id));
	json_object_set_new(j, "region_id", json_integer(p->region_id));
	json_object_set_new(j, "region_name", json_string(p->region_name));
	json_object_set_new(j, "unit_id", p->unit_id ? json_integer(p->unit_id) : json_null());
	json_object_set_new(j, "unit_name", json_string(p->unit_name));
	json_object_set_new(j, "year", json_integer(p->year));
	json_object_set_new(j, "title", json_string(p->title));
	json_object_set_new(j, "budget", json_real((double)p->budget_cents / 100.0));
	json_object_set_new(j, "status", json_string(p->status));
	json_object_set_new(j, "status_label",
			    json_string(api_label(r, &enum_approval, p->status)));
	json_object_set_new(j, "waiting_for", waiting ? json_string(waiting) : json_null());
	json_object_set_new(j, "class_count", json_integer(p->class_count));
	json_object_set_new(j, "version", json_integer(p->version));
	json_object_set_new(j, "created_at", api_time_json(p->created_at));
	return j;
}

/* ---- classes ---- */

px_err api_class_visible(struct http_req *r, enum perm perm, int64_t id, struct class_row *row)
{
	px_err rc = classes_get(API(r)->db, &r->arena, id, row);
	if (rc)
		return rc;
	struct scope_filter f = api_scope(r, perm);
	int64_t n = 0;
	switch (f.scope) {
	case SCOPE_ALL: return PX_OK;
	case SCOPE_REGION:
		return api_in_scope(r, perm,
				    &(struct scope_target){ .region_path = row->region_path })
			       ? PX_OK
			       : PX_ERR_NOT_FOUND;
	case SCOPE_CLASSES: {
		bool yes = false;
		rc = class_managed_by(API(r)->db, id, API(r)->who.user_id, &yes);
		return rc ? rc : yes ? PX_OK : PX_ERR_NOT_FOUND;
	}
	case SCOPE_UNIT:
		rc = store_query_int64(API(r)->db,
				       "SELECT COUNT(*) FROM enrollments e JOIN cadres c ON c.id = "
				       "e.cadre_id WHERE e.class_id = ? AND c.unit_id = ?",
				       &n, "ii", id, API(r)->who.unit_id);
		return rc ? rc : n ? PX_OK : PX_ERR_NOT_FOUND;
	case SCOPE_SELF:
		rc = store_query_int64(API(r)->db,
				       "SELECT COUNT(*) FROM enrollments WHERE class_id = ? AND "
				       "cadre_id = ?",
				       &n, "ii", id, API(r)->who.cadre_id);
		return rc ? rc : n ? PX_OK : PX_ERR_NOT_FOUND;
	case SCOPE_NONE: break;
	}
	return PX_ERR_NOT_FOUND;
}

px_err api_class_from_path(struct http_req *r, enum perm perm, struct class_row *row)
{
	int64_t id;
	px_err rc = http_param_id(r, "id", &id);
	return rc ? rc : api_class_visible(r, perm, id, row);
}

px_err api_classes_list(struct http_req *r)
{
	struct page_query p;
	api_list_params(r, &p, 200);
	struct class_query q = { .scope = api_scope(r, PERM_CLASS_READ),
				 .plan_id = http_query_long(r, "plan_id", 0, 0, INT32_MAX),
				 .term = http_query(r, "term"),
				 .status = http_query(r, "status"),
				 .q = p.q,
				 .from = http_query(r, "from"),
				 .to = http_query(r, "to"),
				 .page = p.page,
				 .page_size = p.page_size };
	struct class_row *items;
	size_t n;
	int64_t total = 0;
	px_err rc = classes_list(API(r)->db, &r->arena, &q, &items, &n, &total);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, api_class_json(r, &items[i]));
	return api_reply_list(r, arr, total, &p);
}

static json_t *approvals_json(struct http_req *r, const char *entity, int64_t id)
{
	struct approval_entry *items;
	size_t n;
	json_t *arr = json_array();
	if (approvals_list(API(r)->db, &r->arena, entity, id, &items, &n))
		return arr;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{sI si ss ss ss so}", "id",
						     (json_int_t)items[i].id, "step", items[i].step,
						     "action", items[i].action, "comment",
						     items[i].comment, "user", items[i].user_name,
						     "at", api_time_json(items[i].at)));
	return arr;
}

px_err api_classes_get(struct http_req *r)
{
	struct class_row row;
	px_err rc = api_class_from_path(r, PERM_CLASS_READ, &row);
	if (rc)
		return rc;
	int64_t id = row.c.id;
	json_t *j = api_class_json(r, &row);
	json_object_set_new(j, "approvals", approvals_json(r, "class", id));
	return http_reply_json(r, 200, j);
}

static px_err class_from_body(struct http_req *r, json_t *body, struct training_class *c)
{
	struct field_ctx fc = {
		.pb = &r->problems, .arena = &r->arena, .lang = r->lang, .today = date_today_cst()
	};
	struct class_input in = {
		.name = api_json_text(r, body, "name"),
		.host = api_json_text(r, body, "host"),
		.location = api_json_text(r, body, "location"),
		.off_site = api_json_text(r, body, "off_site"),
		.start_date = api_json_text(r, body, "start_date"),
		.end_date = api_json_text(r, body, "end_date"),
		.capacity = api_json_text(r, body, "capacity"),
		.credited_hours = api_json_text(r, body, "credited_hours"),
		.credited_days = api_json_text(r, body, "credited_days"),
		.kind = api_json_text(r, body, "kind"),
		.status = api_json_text(r, body, "status"),
		.term = api_json_text(r, body, "term"),
		.batch_no = api_json_text(r, body, "batch_no"),
		/* target lists may come as arrays of codes */
		.target_levels = api_json_codes(r, body, "target_levels"),
		.target_categories = api_json_codes(r, body, "target_categories"),
	};
	class_validate(&fc, &in, c);
	int64_t plan_id = api_json_id(body, "plan_id");
	if (plan_id > 0) {
		struct plan pl = { 0 };
		px_err rc = plans_get(API(r)->db, &r->arena, plan_id, &pl);
		if ((rc = api_check_reference(
			     r, rc, PERM_PLAN_READ,
			     &(struct scope_target){ .region_path = pl.region_path }, "plan_id",
			     "培训计划不存在或不在您的管理范围内", "No such plan in your scope")))
			return rc;
		c->plan_id = plan_id;
	}
	return r->problems.n ? PX_ERR_INVALID : PX_OK;
}

/* A class leaves 草稿 only once approved (on its own, or with its annual plan), and never
 * offers fewer places than it has trainees. (Known gap: a class added to a plan after the
 * plan was approved rides on that approval.) */
static px_err class_state_check(struct http_req *r, const struct training_class *c, const char *was,
				const char *approval, int64_t enrolled)
{
	if (c->capacity < enrolled) {
		problems_add(&r->problems, 0, "capacity", "below_enrolled",
			     px_lang_is_en(r->lang) ? "Capacity cannot be below the %lld trainees"
						    : "容量不能少于已报名的 %lld 名学员",
			     (long long)enrolled);
		return PX_ERR_INVALID;
	}
	/* checked when it leaves draft; a class published before keeps its course */
	if (!strcmp(c->status, "draft") || strcmp(was, "draft"))
		return PX_OK;
	bool approved = !strcmp(approval, "approved");
	if (c->plan_id > 0) {
		struct plan pl;
		px_err rc = plans_get(API(r)->db, &r->arena, c->plan_id, &pl);
		if (rc)
			return rc;
		approved = !strcmp(pl.status, "approved");
	}
	if (approved)
		return PX_OK;
	r->message =
		px_lang_is_en(r->lang)
			? "A class can leave draft only once it (or its annual plan) is approved"
			: "班次(或其所属年度计划)审批通过后才能发布,请先保存为草稿并提交审批";
	return PX_ERR_STATE;
}

px_err api_classes_create(struct http_req *r)
{
	json_t *body;
	px_err rc = http_json_body(r, &body);
	if (rc)
		return rc;
	struct training_class c;
	rc = class_from_body(r, body, &c);
	json_decref(body);
	if (rc)
		return rc;
	/* the class belongs to the creator's region */
	c.region_id = API(r)->who.region_id;
	if (c.region_id <= 0) {
		api_problem(r, "region_id", "required", "您的账号没有所属地区,不能创建培训班",
			    "Your account has no region to create classes in");
		return PX_ERR_INVALID;
	}
	if ((rc = class_state_check(r, &c, "draft", "none", 0)))
		return rc;
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = classes_insert(API(r)->db, &c, API(r)->who.user_id);
	struct class_row saved;
	if (!rc)
		rc = classes_get(API(r)->db, &r->arena, c.id, &saved);
	json_t *after = rc ? NULL : api_class_json(r, &saved);
	return api_commit_write(r, rc, 201, "create", "class", c.id, NULL, after);
}

px_err api_classes_update(struct http_req *r)
{
	struct class_row before;
	px_err rc = api_class_from_path(r, PERM_CLASS_WRITE, &before);
	if (rc)
		return rc;
	int64_t id = before.c.id;
	json_t *body;
	if ((rc = http_json_body(r, &body)))
		return rc;
	int64_t version = api_json_version(body, before.c.version);
	struct training_class c;
	rc = class_from_body(r, body, &c);
	json_decref(body);
	if (rc)
		return rc;
	c.id = id;
	c.region_id = before.c.region_id;
	if ((rc = class_state_check(r, &c, before.c.status, before.c.approval, before.c.enrolled)))
		return rc;
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = classes_update(API(r)->db, &c, version);
	struct class_row saved;
	if (!rc)
		rc = classes_get(API(r)->db, &r->arena, id, &saved);
	json_t *after = rc ? NULL : api_class_json(r, &saved);
	return api_commit_write(r, rc, 200, "update", "class", id, api_class_json(r, &before),
				after);
}

px_err api_classes_delete(struct http_req *r)
{
	struct class_row before;
	px_err rc = api_class_from_path(r, PERM_CLASS_WRITE, &before);
	if (rc)
		return rc;
	int64_t id = before.c.id;
	if (before.c.enrolled > 0 || strcmp(before.c.status, "draft")) {
		r->message = px_lang_is_en(r->lang)
				     ? "Only a draft class without trainees can be deleted"
				     : "只能删除没有学员的草稿班次";
		return PX_ERR_STATE;
	}
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = classes_delete(API(r)->db, id);
	return api_commit_write(r, rc, 204, "delete", "class", id, api_class_json(r, &before),
				NULL);
}

/* ---- approval chains ---- */

static px_err approval_body(struct http_req *r, enum approval_action *a, const char **comment)
{
	json_t *body;
	px_err rc = http_json_body(r, &body);
	if (rc)
		return rc;
	const char *action = api_json_text(r, body, "action");
	*comment = api_json_text(r, body, "comment");
	json_decref(body);
	if (!approval_action_from(action, a)) {
		api_problem(r, "action", "unknown_value",
			    "操作应为 submit(提交)、approve(通过)或 reject(退回)",
			    "action must be submit, approve or reject");
		return PX_ERR_INVALID;
	}
	if (*comment && strlen(*comment) > 1000) {
		api_problem(r, "comment", "too_long", "意见过长", "The comment is too long");
		return PX_ERR_INVALID;
	}
	/* free text, several lines allowed, but no control characters: C0, DEL, C1 (U+0080–9F)
	 * or the bidi overrides that reorder what a reader sees (U+202A–202E, U+2066–2069) */
	for (const unsigned char *c = (const unsigned char *)*comment; c && *c; c++)
		if ((*c < 0x20 && *c != '\n' && *c != '\r' && *c != '\t') || *c == 0x7f ||
		    (c[0] == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f) ||
		    (c[0] == 0xe2 && c[1] == 0x80 && c[2] >= 0xaa && c[2] <= 0xae) ||
		    (c[0] == 0xe2 && c[1] == 0x81 && c[2] >= 0xa6 && c[2] <= 0xa9)) {
			api_problem(r, "comment", "invalid_characters", "意见含有控制字符",
				    "The comment contains control characters");
			return PX_ERR_INVALID;
		}
	return PX_OK;
}

static px_err approval_error(struct http_req *r, px_err rc)
{
	bool en = px_lang_is_en(r->lang);
	if (rc == PX_ERR_STATE)
		r->message = en ? "This action does not fit the current approval state"
				: "当前审批状态下不能执行该操作";
	else if (rc == PX_ERR_FORBIDDEN)
		r->message =
			en ? "This step of the approval is not yours" : "当前审批环节不由您办理";
	else if (rc == PX_ERR_INVALID)
		api_problem(r, "comment", "required", "退回时须填写意见",
			    "Give a reason when returning");
	return rc;
}

/*
 * The end of an approval step (as api_commit_write): the audit entry with the record after
 * it, the commit, and the record with its approval history. Takes `after`.
 */
static px_err approval_commit(struct http_req *r, px_err rc, const char *action, const char *entity,
			      int64_t id, json_t *after)
{
	if ((rc = api_audit_commit(r, rc, action, entity, id, NULL, after))) {
		json_decref(after);
		return rc;
	}
	json_object_set_new(after, "approvals", approvals_json(r, entity, id));
	return http_reply_json(r, 200, after);
}

/* Org admins approve inside their region; a liaison approves for its unit's children. */
static struct approval_actor plan_actor(struct http_req *r, const struct plan *p)
{
	struct approval_actor who = { 0 };
	who.drafter =
		p->created_by == API(r)->who.user_id ||
		(API(r)->who.role == ROLE_UNIT_LIAISON && p->unit_id == API(r)->who.unit_id) ||
		(API(r)->who.role == ROLE_ORG_ADMIN && p->unit_id == 0 &&
		 api_in_scope(r, PERM_PLAN_WRITE,
			      &(struct scope_target){ .region_path = p->region_path }));
	who.parent_approver = API(r)->who.role == ROLE_UNIT_LIAISON && p->unit_parent_id > 0 &&
			      p->unit_parent_id == API(r)->who.unit_id;
	who.org_approver = api_in_scope(r, PERM_PLAN_APPROVE,
					&(struct scope_target){ .region_path = p->region_path });
	return who;
}

/* ---- plans ---- */

static px_err visible_plan(struct http_req *r, struct plan *p)
{
	int64_t id;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = plans_get(API(r)->db, &r->arena, id, p);
	if (rc)
		return rc;
	struct scope_filter f = api_scope(r, PERM_PLAN_READ);
	if (f.scope == SCOPE_UNIT)
		return p->unit_id == API(r)->who.unit_id || p->unit_parent_id == API(r)->who.unit_id
			       ? PX_OK
			       : PX_ERR_NOT_FOUND;
	return api_in_scope(r, PERM_PLAN_READ,
			    &(struct scope_target){ .region_path = p->region_path })
		       ? PX_OK
		       : PX_ERR_NOT_FOUND;
}

px_err api_plans_list(struct http_req *r)
{
	struct page_query lp;
	api_list_params(r, &lp, 200);
	struct scope_filter f = api_scope(r, PERM_PLAN_READ);
	struct plan *items;
	size_t n;
	int64_t total = 0;
	px_err rc =
		plans_list(API(r)->db, &r->arena, &f, (int)http_query_long(r, "year", 0, 0, 3000),
			   lp.page, lp.page_size, &items, &n, &total);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, plan_json(r, &items[i]));
	return api_reply_list(r, arr, total, &lp);
}

px_err api_plans_get(struct http_req *r)
{
	struct plan p;
	px_err rc = visible_plan(r, &p);
	if (rc)
		return rc;
	json_t *j = plan_json(r, &p);
	json_object_set_new(j, "approvals", approvals_json(r, "plan", p.id));
	return http_reply_json(r, 200, j);
}

static px_err plan_fields(struct http_req *r, json_t *body, struct plan *p)
{
	struct field_ctx fc = { .pb = &r->problems, .arena = &r->arena, .lang = r->lang };
	static const struct field_def title_f = { "title", "计划名称", "Title", true, 0, NULL };
	static const struct field_def year_f = { "year", "年度", "Year", true, 0, NULL };
	static const struct field_def budget_f = { "budget", "预算(元)", "Budget", false, 0, NULL };
	p->title = field_text(&fc, &title_f, api_json_text(r, body, "title"), TEXT_PLAIN, 100);
	p->year = field_int(&fc, &year_f, api_json_text(r, body, "year"), 2000, 2100, 0);
	double budget = field_decimal(&fc, &budget_f, api_json_text(r, body, "budget"), 0, 1e11, 0);
	p->budget_cents = (int64_t)(budget * 100 + 0.5);
	return r->problems.n ? PX_ERR_INVALID : PX_OK;
}

px_err api_plans_create(struct http_req *r)
{
	json_t *body;
	px_err rc = http_json_body(r, &body);
	if (rc)
		return rc;
	struct plan p = { .created_by = API(r)->who.user_id };
	rc = plan_fields(r, body, &p);
	json_decref(body);
	if (rc)
		return rc;
	if (API(r)->who.role == ROLE_UNIT_LIAISON) {
		struct unit_row u;
		if ((rc = units_get(API(r)->db, &r->arena, API(r)->who.unit_id, &u)))
			return rc;
		p.unit_id = u.u.id;
		p.region_id = u.u.region_id;
	} else {
		p.region_id = API(r)->who.region_id;
	}
	if (p.region_id <= 0)
		return PX_ERR_FORBIDDEN;
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = plans_insert(API(r)->db, &p);
	struct plan saved;
	if (!rc)
		rc = plans_get(API(r)->db, &r->arena, p.id, &saved);
	json_t *after = rc ? NULL : plan_json(r, &saved);
	return api_commit_write(r, rc, 201, "create", "plan", p.id, NULL, after);
}

px_err api_plans_update(struct http_req *r)
{
	struct plan before;
	px_err rc = visible_plan(r, &before);
	if (rc)
		return rc;
	if (!plan_actor(r, &before).drafter)
		return PX_ERR_FORBIDDEN;
	if (!strcmp(before.status, "submitted") || !strcmp(before.status, "approved")) {
		r->message = px_lang_is_en(r->lang)
				     ? "A plan under approval or approved cannot be edited"
				     : "审批中或已通过的计划不能修改";
		return PX_ERR_STATE;
	}
	json_t *body;
	if ((rc = http_json_body(r, &body)))
		return rc;
	int64_t version = api_json_version(body, before.version);
	struct plan p = before;
	rc = plan_fields(r, body, &p);
	json_decref(body);
	if (rc)
		return rc;
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = plans_update(API(r)->db, &p, version);
	struct plan saved;
	if (!rc)
		rc = plans_get(API(r)->db, &r->arena, p.id, &saved);
	json_t *after = rc ? NULL : plan_json(r, &saved);
	return api_commit_write(r, rc, 200, "update", "plan", p.id, plan_json(r, &before), after);
}

px_err api_plans_approval(struct http_req *r)
{
	struct plan p;
	px_err rc = visible_plan(r, &p);
	if (rc)
		return rc;
	enum approval_action a;
	const char *comment;
	if ((rc = approval_body(r, &a, &comment)))
		return rc;
	/* a submission takes the chain as the units stand now, and keeps it */
	struct approval_chain chain =
		a == APPROVAL_SUBMIT ? approval_chain_for(p.unit_id > 0, p.unit_parent_id > 0)
				     : plan_chain(&p);
	int chain_parent =
		a == APPROVAL_SUBMIT ? p.unit_id > 0 && p.unit_parent_id > 0 : p.chain_parent;
	struct approval_state st = { p.status, p.step };
	struct approval_actor who = plan_actor(r, &p);
	int step_before = p.step;
	if ((rc = approval_apply(&chain, &st, a, &who, comment && *comment)))
		return approval_error(r, rc);
	static const char *const names[] = { "submit", "approve", "reject" };
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = plans_set_approval(API(r)->db, p.id, st.status, st.step, chain_parent, p.version);
	if (!rc)
		rc = approvals_add(API(r)->db, "plan", p.id, step_before, names[a], comment,
				   API(r)->who.user_id);
	struct plan saved;
	if (!rc)
		rc = plans_get(API(r)->db, &r->arena, p.id, &saved);
	return approval_commit(r, rc, names[a], "plan", p.id, rc ? NULL : plan_json(r, &saved));
}

px_err api_classes_approval(struct http_req *r)
{
	struct class_row row;
	px_err rc = api_class_from_path(r, PERM_CLASS_READ, &row);
	if (rc)
		return rc;
	int64_t id = row.c.id;
	if (row.c.plan_id > 0) {
		r->message = px_lang_is_en(r->lang) ? "This class is approved with its annual plan"
						    : "该班次随年度培训计划审批,无需单独审批";
		return PX_ERR_STATE;
	}
	enum approval_action a;
	const char *comment;
	if ((rc = approval_body(r, &a, &comment)))
		return rc;
	struct approval_chain chain = approval_chain_for(false, false);
	struct approval_state st = { row.c.approval, row.c.step };
	struct scope_target t = { .region_path = row.region_path };
	bool manages = false;
	class_managed_by(API(r)->db, id, API(r)->who.user_id, &manages);
	struct approval_actor who = { .drafter = manages || api_in_scope(r, PERM_CLASS_WRITE, &t),
				      .org_approver = api_in_scope(r, PERM_PLAN_APPROVE, &t) };
	int step_before = row.c.step;
	if ((rc = approval_apply(&chain, &st, a, &who, comment && *comment)))
		return approval_error(r, rc);
	static const char *const names[] = { "submit", "approve", "reject" };
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = classes_set_approval(API(r)->db, id, st.status, st.step, row.c.version);
	if (!rc)
		rc = approvals_add(API(r)->db, "class", id, step_before, names[a], comment,
				   API(r)->who.user_id);
	struct class_row saved;
	if (!rc)
		rc = classes_get(API(r)->db, &r->arena, id, &saved);
	return approval_commit(r, rc, names[a], "class", id, rc ? NULL : api_class_json(r, &saved));
}
