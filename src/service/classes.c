/*
 * classes.c — training classes (培训班) and their class managers: see training.h.
 *
 * Where a class lies for a caller depends on the caller's scope: a region (its path), the
 * classes the caller manages (class_managers), or a roster that holds the caller's unit or
 * the caller. A class that belongs to an annual plan is approved with the plan; one outside
 * any plan (ad hoc) goes through the organization department's step itself.
 */
#include <math.h>
#include <string.h>

#include "base/date.h"
#include "service/accounts.h"
#include "service/approvals.h"
#include "service/sheets.h"
#include "store/accounts.h"
#include "store/training.h"

static px_err class_get(struct svc *c, int64_t id, void *row)
{
	return classes_get(c->db, c->arena, id, row);
}

static px_err class_visible(struct svc *c, enum perm perm, const void *row)
{
	const struct class_row *k = row;
	int64_t id = k->c.id;
	bool yes = false;
	px_err rc = PX_OK;
	switch (svc_scope(c, perm).scope) {
	case SCOPE_ALL: return PX_OK;
	case SCOPE_REGION:
		return svc_may(c, perm, &(struct scope_target){ .region_path = k->region_path })
			       ? PX_OK
			       : PX_ERR_NOT_FOUND;
	case SCOPE_CLASSES: rc = class_managed_by(c->db, id, c->who->user_id, &yes); break;
	case SCOPE_UNIT: rc = enrollments_unit_in_class(c->db, id, c->who->unit_id, &yes); break;
	case SCOPE_SELF: rc = enrollments_cadre_in_class(c->db, id, c->who->cadre_id, &yes); break;
	case SCOPE_NONE: break;
	}
	return rc ? rc : yes ? PX_OK : PX_ERR_NOT_FOUND;
}

/* 班主任 of a class as [{id, display_name}] (the people a trainee may call). */
static json_t *class_managers_json(struct svc *c, int64_t class_id)
{
	json_t *list = json_array();
	struct class_manager *m;
	size_t n = 0;
	if (!class_managers_of(c->db, c->arena, class_id, &m, &n))
		for (size_t i = 0; i < n; i++)
			json_array_append_new(list,
					      json_pack("{sI ss}", "id", (json_int_t)m[i].user_id,
							"display_name", m[i].display_name));
	return list;
}

json_t *svc_class_view(struct svc *c, const struct class_row *row)
{
	const struct training_class *k = &row->c;
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(k->id));
	json_object_set_new(j, "plan_id", k->plan_id ? json_integer(k->plan_id) : json_null());
	json_object_set_new(j, "plan_title", json_string(row->plan_title));
	json_object_set_new(j, "region_id", json_integer(k->region_id));
	json_object_set_new(j, "region_name", json_string(row->region_name));
	json_object_set_new(j, "name", json_string(k->name));
	json_object_set_new(j, "host", json_string(k->host));
	json_object_set_new(j, "organizer", json_string(k->organizer ? k->organizer : ""));
	json_object_set_new(j, "location", json_string(k->location));
	json_object_set_new(j, "off_site", json_boolean(k->off_site));
	json_object_set_new(j, "start_date", json_string(k->start_date));
	json_object_set_new(j, "end_date", json_string(k->end_date));
	json_object_set_new(
		j, "days",
		json_integer(date_parse(k->end_date, 10) - date_parse(k->start_date, 10) + 1));
	json_object_set_new(j, "capacity", json_integer(k->capacity));
	json_object_set_new(j, "enrolled", json_integer(k->enrolled));
	json_object_set_new(j, "credited_hours", json_real(k->credited_hours));
	json_object_set_new(j, "credited_days", json_real(k->credited_days));
	json_object_set_new(j, "kind", json_string(k->kind));
	json_object_set_new(j, "kind_label", json_string(svc_label(c, &enum_class_kind, k->kind)));
	json_object_set_new(j, "status", json_string(k->status));
	json_object_set_new(j, "status_label",
			    json_string(svc_label(c, &enum_class_status, k->status)));
	json_object_set_new(j, "approval", json_string(k->approval));
	json_object_set_new(j, "approval_label",
			    json_string(svc_label(c, &enum_approval, k->approval)));
	json_object_set_new(j, "target_levels", svc_codes_json(k->target_levels));
	json_object_set_new(j, "target_categories", svc_codes_json(k->target_categories));
	json_object_set_new(j, "term", json_string(k->term));
	json_object_set_new(j, "batch_no", json_integer(k->batch_no));
	json_object_set_new(j, "managers", class_managers_json(c, k->id));
	json_object_set_new(j, "manager_phone",
			    json_string(k->manager_phone ? k->manager_phone : ""));
	json_object_set_new(j, "report_date", json_string(k->report_date));
	json_object_set_new(j, "report_time", json_string(k->report_time ? k->report_time : ""));
	json_object_set_new(j, "report_place", json_string(k->report_place ? k->report_place : ""));
	json_object_set_new(j, "session_count", json_integer(row->session_count));
	json_object_set_new(j, "placed_count", json_integer(row->placed_count));
	/* hours credited that the timetable does not add up to (a class credited 60 学时 whose
	 * sessions add up to 47): shown on the class page and when it is published */
	double gap = k->credited_hours - row->session_hours;
	json_object_set_new(j, "session_hours", json_real(round(row->session_hours * 100) / 100));
	json_object_set_new(j, "hours_gap",
			    json_real(k->credited_hours > 0 && row->session_count > 0 &&
						      (gap > 0.005 || gap < -0.005)
					      ? round(gap * 100) / 100
					      : 0));
	json_object_set_new(j, "version", json_integer(k->version));
	json_object_set_new(j, "created_at", svc_time_json(row->created_at));
	json_object_set_new(j, "updated_at", svc_time_json(row->updated_at));
	return j;
}

static json_t *class_view(struct svc *c, const void *row)
{
	return svc_class_view(c, row);
}

static const struct view_field class_manager_fields[] = {
	{ "id", VIEW_INT, "The manager's account" },
	{ "display_name", VIEW_TEXT, "Its name" },
};
static const struct view_spec class_manager_shape = VIEW_SPEC("ClassManager", class_manager_fields);

static const struct view_field class_view_fields[] = {
	{ "id", VIEW_INT, "Id" },
	{ "plan_id", VIEW_ID, "The annual plan it belongs to; null: an ad-hoc class" },
	{ "plan_title", VIEW_TEXT, "Its title (\"\" when none)" },
	{ "region_id", VIEW_INT, "The region it belongs to" },
	{ "region_name", VIEW_TEXT, "Its name" },
	{ "name", VIEW_TEXT, "Name" },
	{ "host", VIEW_TEXT, "Who runs it (承办)" },
	{ "organizer", VIEW_TEXT, "Who organizes it (主办单位), \"\" when not given" },
	{ "location", VIEW_TEXT, "Where it is held" },
	{ "off_site", VIEW_BOOL, "Held away from home (异地)" },
	{ "start_date", VIEW_TEXT, "First day (YYYY-MM-DD)" },
	{ "end_date", VIEW_TEXT, "Last day" },
	{ "days", VIEW_INT, "Days from start to end" },
	{ "capacity", VIEW_INT, "Places" },
	{ "enrolled", VIEW_INT, "Trainees on its roster" },
	{ "credited_hours", VIEW_NUMBER, "Hours credited to a trainee who completes it" },
	{ "credited_days", VIEW_NUMBER, "Days credited" },
	{ "kind", VIEW_TEXT, "Kind code (main, topic …)" },
	{ "kind_label", VIEW_TEXT, "Its label" },
	{ "status", VIEW_TEXT, "draft, published, enrolling, running, completed or archived" },
	{ "status_label", VIEW_TEXT, "Its label" },
	{ "approval", VIEW_TEXT,
	  "Its own approval state (none, submitted, approved, rejected); a class in a plan is "
	  "approved with the plan" },
	{ "approval_label", VIEW_TEXT, "Its label" },
	{ "target_levels", VIEW_TEXTS, "Rank levels it is for (codes)" },
	{ "target_categories", VIEW_TEXTS, "Categories it is for (codes)" },
	{ "term", VIEW_TEXT, "Its term: classes auto-arranged together (\"\" when none)" },
	{ "batch_no", VIEW_INT, "Batch (期次), 0 when none" },
	{ "managers", VIEW_OBJECTS, "Its class managers (班主任), by name", &class_manager_shape },
	{ "manager_phone", VIEW_TEXT, "Their contact phone (\"\" when not given)" },
	{ "report_date", VIEW_TEXT,
	  "报到: the day trainees report (\"\": not given, the first day)" },
	{ "report_time", VIEW_TEXT, "Its time as written (\"\" when not given)" },
	{ "report_place", VIEW_TEXT, "Where (\"\": not given, the location)" },
	{ "session_count", VIEW_INT, "Sessions in its timetable" },
	{ "placed_count", VIEW_INT, "Of them placed on a half-day" },
	{ "session_hours", VIEW_NUMBER, "Its sessions' hours added up" },
	{ "hours_gap", VIEW_NUMBER,
	  "Credited hours less the sessions' hours (0 when they agree, or nothing is credited or "
	  "timetabled)" },
	{ "version", VIEW_INT, "Send it back with an update (optimistic locking)" },
	{ "created_at", VIEW_TIME, "Created" },
	{ "updated_at", VIEW_TIME, "Last changed" },
	{ "approvals", VIEW_OBJECTS, "Its approval history, oldest first (one class, an approval)",
	  &svc_approval_shape, true },
};
const struct view_spec svc_class_shape = VIEW_SPEC("Class", class_view_fields);

static const char *levels_cell(struct svc *c, json_t *item)
{
	return svc_sheet_codes(c, json_object_get(item, "target_levels"), &enum_rank_level);
}

static const char *categories_cell(struct svc *c, json_t *item)
{
	return svc_sheet_codes(c, json_object_get(item, "target_categories"), &enum_category);
}

static const struct sheet_column class_columns[] = {
	{ "name", &class_fields[CLF_NAME], NULL, NULL, 36 },
	{ "term", &class_fields[CLF_TERM] },
	{ "kind_label", &class_fields[CLF_KIND], NULL, NULL, 12 },
	{ "status_label", &class_fields[CLF_STATUS], NULL, NULL, 10 },
	{ "approval_label", NULL, "审批状态", "Approval", 12 },
	{ "start_date", &class_fields[CLF_START_DATE], NULL, NULL, 12 },
	{ "end_date", &class_fields[CLF_END_DATE], NULL, NULL, 12 },
	{ "days", NULL, "天数", "Days", 6 },
	{ "host", &class_fields[CLF_HOST], NULL, NULL, 20 },
	{ "location", &class_fields[CLF_LOCATION], NULL, NULL, 20 },
	{ "off_site", &class_fields[CLF_OFF_SITE], NULL, NULL, 8 },
	{ "capacity", &class_fields[CLF_CAPACITY], NULL, NULL, 8 },
	{ "enrolled", NULL, "已调训", "Enrolled", 8 },
	{ "credited_hours", &class_fields[CLF_CREDITED_HOURS], NULL, NULL, 8 },
	{ "credited_days", &class_fields[CLF_CREDITED_DAYS], NULL, NULL, 8 },
	{ "target_levels", &class_fields[CLF_TARGET_LEVELS], NULL, NULL, 20, false, levels_cell },
	{ "target_categories", &class_fields[CLF_TARGET_CATEGORIES], NULL, NULL, 24, false,
	  categories_cell },
	{ "plan_title", NULL, "所属计划", "Plan", 28 },
	{ "region_name", NULL, "所属地区", "Region" },
};
static const struct sheet_spec class_sheet =
	SHEET_SPEC("class", "培训班", "Classes", class_columns);

const struct svc_kind svc_class_kind = {
	.entity = "class",
	.row_size = sizeof(struct class_row),
	.get = class_get,
	.visible = class_visible,
	.view = class_view,
	.shape = &svc_class_shape,
	.sheet = &class_sheet,
};

px_err svc_class_load(struct svc *c, enum perm perm, int64_t id, struct class_row *row)
{
	return svc_load(c, &svc_class_kind, perm, id, row);
}

static px_err list_classes(struct svc *c, const void *query, void **rows, size_t *n, int64_t *total)
{
	return classes_list(c->db, c->arena, query, (struct class_row **)rows, n, total);
}

px_err svc_classes_list(struct svc *c, const struct class_filter *f, const struct page_query *p,
			struct svc_page *out)
{
	struct class_query q = { .scope = svc_scope(c, PERM_CLASS_READ),
				 .plan_id = f->plan_id,
				 .term = f->term,
				 .status = f->status,
				 .q = p->q,
				 .from = f->from,
				 .to = f->to,
				 .page = p->page,
				 .page_size = p->page_size };
	return svc_list_generic(c, &svc_class_kind, list_classes, &q, out);
}

px_err svc_class_get(struct svc *c, int64_t id, json_t **out)
{
	struct class_row row;
	px_err rc = svc_class_load(c, PERM_CLASS_READ, id, &row);
	if (rc)
		return rc;
	*out = svc_class_view(c, &row);
	json_object_set_new(*out, "approvals", svc_approvals_view(c, "class", row.c.id));
	return PX_OK;
}

/* Validate the form into k: the fields; an update's `before` gives what the form leaves out
 * and may (the organizer, the managers' phone, the report, the plan). */
static px_err class_of_form(struct svc *c, const struct class_form *f,
			    const struct training_class *before, struct training_class *k)
{
	struct field_ctx fc = {
		.pb = c->problems, .arena = c->arena, .lang = c->lang, .today = date_today_cst()
	};
	class_validate(&fc, &f->in, k);
	if (before) {
		if (!f->in.organizer)
			k->organizer = before->organizer;
		if (!f->in.manager_phone)
			k->manager_phone = before->manager_phone;
		if (!f->in.report_date)
			memcpy(k->report_date, before->report_date, sizeof k->report_date);
		if (!f->in.report_time)
			k->report_time = before->report_time;
		if (!f->in.report_place)
			k->report_place = before->report_place;
	}
	if (f->plan_id == -2)
		svc_problem(c, "plan_id", "invalid", "应为培训计划编号", "Must be a plan id");
	k->plan_id = f->plan_id > 0 ? f->plan_id : f->plan_id == -1 && before ? before->plan_id : 0;
	return svc_problems_rc(c);
}

/*
 * Whether the class k (its region, status and own approval as they are) may leave the plan
 * `from` for the plan `to` (0: none). Both plans must be the caller's to change (plan.write);
 * a plan under approval holds what it was submitted with; an approved plan takes only a
 * class approved on its own — its approval covered the classes it held (SPEC §7) — and lets
 * go of a class only while it is a draft or approved on its own, so that nothing stays
 * published without an approval; an archived class is a closed record.
 */
static px_err plan_move_check(struct svc *c, const struct training_class *k, int64_t from,
			      int64_t to)
{
	if (from == to)
		return PX_OK;
	if (!strcmp(k->status, "archived"))
		return svc_fail(c, PX_ERR_STATE, "已归档的班次不能调整所属计划",
				"An archived class stays in its plan");
	bool own = !strcmp(k->approval, "approved");
	for (int side = 0; side < 2; side++) {
		int64_t id = side ? to : from;
		if (id <= 0)
			continue;
		struct plan pl;
		px_err rc = plans_get(c->db, c->arena, id, &pl);
		if (rc && rc != PX_ERR_NOT_FOUND)
			return rc;
		if (rc || !svc_may(c, PERM_PLAN_WRITE,
				   &(struct scope_target){ .region_path = pl.region_path })) {
			if (!side)
				return PX_ERR_FORBIDDEN; /* its plan is not the caller's to change
							  */
			svc_problem(c, "plan_id", "not_found", "培训计划不存在或不在您的管理范围内",
				    "No such plan in your scope");
			return PX_ERR_INVALID;
		}
		if (side && pl.region_id != k->region_id) {
			svc_problem(c, "plan_id", "other_region", "班次与培训计划不属于同一地区",
				    "The class and the plan belong to different regions");
			return PX_ERR_INVALID;
		}
		if (!strcmp(pl.status, "submitted"))
			return svc_fail(c, PX_ERR_STATE, "培训计划审批中,不能增减班次",
					"A plan under approval keeps its classes");
		if (!strcmp(pl.status, "approved") && !own && (side || strcmp(k->status, "draft")))
			return side ? svc_fail(c, PX_ERR_STATE,
					       "培训计划已审批通过:新纳入的班次须先单独审批通过",
					       "The plan is approved: a class joins it only once "
					       "approved on its own")
				    : svc_fail(c, PX_ERR_STATE,
					       "该班次随培训计划审批后已不是草稿,"
					       "不能移出已审批的计划",
					       "This class left draft on the plan's approval: it "
					       "cannot "
					       "leave the approved plan");
	}
	return PX_OK;
}

/* A class leaves 草稿 only once approved (on its own, or with its annual plan), and never
 * offers fewer places than it has trainees. */
static px_err class_state_check(struct svc *c, const struct training_class *k, const char *was,
				const char *approval, int64_t enrolled)
{
	if (k->capacity < enrolled) {
		problems_add(c->problems, 0, "capacity", "below_enrolled",
			     svc_en(c) ? "Capacity cannot be below the %lld trainees"
				       : "容量不能少于已报名的 %lld 名学员",
			     (long long)enrolled);
		return PX_ERR_INVALID;
	}
	/* checked when it leaves draft; a class published before keeps its course */
	if (!strcmp(k->status, "draft") || strcmp(was, "draft"))
		return PX_OK;
	bool approved = !strcmp(approval, "approved");
	if (k->plan_id > 0) {
		struct plan pl;
		px_err rc = plans_get(c->db, c->arena, k->plan_id, &pl);
		if (rc)
			return rc;
		approved = approved || !strcmp(pl.status, "approved");
	}
	if (approved)
		return PX_OK;
	return svc_fail(c, PX_ERR_STATE,
			"班次(或其所属年度计划)审批通过后才能发布,请先保存为草稿并提交审批",
			"A class can leave draft only once it (or its annual plan) is approved");
}

/* The managers (班主任) a form names, checked: ids of class-manager accounts the caller may
 * see (one added must be active). *given is false when the form leaves them as they are
 * (absent, or the same set). Only an organization admin changes them. */
struct manager_set {
	bool given;
	int64_t ids[20];
	size_t n;
};

static px_err form_managers(struct svc *c, json_t *ids, int64_t class_id, struct manager_set *out)
{
	out->given = false;
	out->n = 0;
	if (!ids)
		return PX_OK;
	if (!svc_json_ids(ids, out->ids, sizeof out->ids / sizeof out->ids[0], &out->n)) {
		svc_problem(c, "manager_ids", "invalid", "班主任应为至多 20 个不重复的账号编号",
			    "Class managers: at most 20 distinct account ids");
		return PX_ERR_INVALID;
	}
	struct class_manager *cur = NULL;
	size_t m = 0;
	px_err rc = class_id > 0 ? class_managers_of(c->db, c->arena, class_id, &cur, &m) : PX_OK;
	if (rc)
		return rc;
	bool same = m == out->n;
	for (size_t i = 0; same && i < out->n; i++) {
		bool found = false;
		for (size_t k = 0; k < m && !found; k++)
			found = cur[k].user_id == out->ids[i];
		same = found;
	}
	if (same)
		return PX_OK;
	enum scope s = svc_scope(c, PERM_CLASS_WRITE).scope;
	if ((s != SCOPE_REGION && s != SCOPE_ALL) ||
	    svc_scope(c, PERM_USER_READ).scope == SCOPE_NONE) {
		svc_problem(c, "manager_ids", "forbidden", "只有组织部管理员可以指定班主任",
			    "Only an organization admin assigns class managers");
		return PX_ERR_FORBIDDEN;
	}
	for (size_t i = 0; i < out->n; i++) {
		bool had = false;
		for (size_t k = 0; k < m && !had; k++)
			had = cur[k].user_id == out->ids[i];
		struct user u;
		rc = svc_load(c, &svc_user_kind, PERM_USER_READ, out->ids[i], &u);
		if (rc == PX_ERR_NOT_FOUND)
			svc_problem(c, "manager_ids", "not_found",
				    "班主任账号不存在或不在您的管理范围内",
				    "No such account in your scope");
		else if (rc)
			return rc;
		else if (strcmp(u.role, "class_manager"))
			problems_add(c->problems, 0, "manager_ids", "not_class_manager",
				     svc_en(c) ? "%s is not a class manager's account"
					       : "%s 不是班主任账号",
				     u.display_name);
		else if (!u.active && !had)
			problems_add(c->problems, 0, "manager_ids", "inactive",
				     svc_en(c) ? "The account of %s is disabled"
					       : "%s 的账号已停用",
				     u.display_name);
	}
	out->given = true;
	return svc_problems_rc(c);
}

/* Make the class's managers the set given (in the caller's transaction). */
static px_err managers_apply(struct svc *c, int64_t class_id, const struct manager_set *set)
{
	if (!set->given)
		return PX_OK;
	struct class_manager *cur = NULL;
	size_t m = 0;
	px_err rc = class_managers_of(c->db, c->arena, class_id, &cur, &m);
	for (size_t k = 0; !rc && k < m; k++) {
		bool keep = false;
		for (size_t i = 0; i < set->n && !keep; i++)
			keep = set->ids[i] == cur[k].user_id;
		if (!keep)
			rc = class_managers_remove(c->db, class_id, cur[k].user_id);
	}
	for (size_t i = 0; !rc && i < set->n; i++)
		rc = class_managers_set(c->db, class_id, set->ids[i]);
	return rc;
}

struct class_new {
	struct training_class k;
	struct manager_set managers;
};

static px_err insert_class(struct svc *c, void *input, int64_t *id)
{
	struct class_new *in = input;
	px_err rc = classes_insert(c->db, &in->k, c->who->user_id);
	*id = in->k.id;
	return rc ? rc : managers_apply(c, in->k.id, &in->managers);
}

px_err svc_class_create(struct svc *c, const struct class_form *f, json_t **out)
{
	/* A class is made in the creator's region: that needs class.write over a region. A
	 * class manager's scope is the classes it runs, which a new class is not one of. */
	enum scope s = svc_scope(c, PERM_CLASS_WRITE).scope;
	if (s != SCOPE_REGION && s != SCOPE_ALL)
		return PX_ERR_FORBIDDEN;
	struct class_new in;
	px_err rc = class_of_form(c, f, NULL, &in.k);
	if (!rc)
		rc = form_managers(c, f->manager_ids, 0, &in.managers);
	if (rc)
		return rc;
	/* the class belongs to the creator's region */
	in.k.region_id = c->who->region_id;
	if (in.k.region_id <= 0) {
		svc_problem(c, "region_id", "required", "您的账号没有所属地区,不能创建培训班",
			    "Your account has no region to create classes in");
		return PX_ERR_INVALID;
	}
	if ((rc = plan_move_check(c, &in.k, 0, in.k.plan_id)) ||
	    (rc = class_state_check(c, &in.k, "draft", "none", 0)))
		return rc;
	return svc_create_generic(c, &svc_class_kind, insert_class, &in, NULL, out);
}

struct class_change {
	struct training_class k;
	struct manager_set managers;
	int64_t version;
};

static px_err update_class(struct svc *c, const void *before, void *input)
{
	(void)before;
	struct class_change *ch = input;
	px_err rc = classes_update(c->db, &ch->k, ch->version);
	return rc ? rc : managers_apply(c, ch->k.id, &ch->managers);
}

px_err svc_class_update(struct svc *c, int64_t id, const struct class_form *f, json_t **out)
{
	struct class_row before;
	px_err rc = svc_class_load(c, PERM_CLASS_WRITE, id, &before);
	if (rc)
		return rc;
	struct class_change ch = { .version = f->version >= 0 ? f->version : before.c.version };
	if ((rc = class_of_form(c, f, &before.c, &ch.k)) ||
	    (rc = form_managers(c, f->manager_ids, id, &ch.managers)))
		return rc;
	ch.k.id = id;
	ch.k.region_id = before.c.region_id;
	if ((rc = plan_move_check(c, &before.c, before.c.plan_id, ch.k.plan_id)) ||
	    (rc = class_state_check(c, &ch.k, before.c.status, before.c.approval,
				    before.c.enrolled)))
		return rc;
	return svc_update_generic(c, &svc_class_kind, "update", &before, id, update_class, &ch,
				  out);
}

static px_err delete_class(struct svc *c, const void *before, void *input)
{
	(void)input;
	return classes_delete(c->db, ((const struct class_row *)before)->c.id);
}

px_err svc_class_delete(struct svc *c, int64_t id)
{
	struct class_row before;
	px_err rc = svc_class_load(c, PERM_CLASS_WRITE, id, &before);
	if (rc)
		return rc;
	if (before.c.enrolled > 0 || strcmp(before.c.status, "draft"))
		return svc_fail(c, PX_ERR_STATE, "只能删除没有学员的草稿班次",
				"Only a draft class without trainees can be deleted");
	return svc_delete_generic(c, &svc_class_kind, &before, id, delete_class);
}

px_err svc_class_approval(struct svc *c, int64_t id, const struct approval_form *f, json_t **out)
{
	struct class_row row;
	px_err rc = svc_class_load(c, PERM_CLASS_READ, id, &row);
	if (rc)
		return rc;
	enum approval_action a;
	if ((rc = svc_approval_read(c, f, &a)))
		return rc;
	struct approval_chain chain = approval_chain_for(false, false);
	struct approval_state st = { row.c.approval, row.c.step };
	struct scope_target t = { .region_path = row.region_path };
	bool manages = false;
	class_managed_by(c->db, id, c->who->user_id, &manages);
	int64_t submitter = 0;
	approvals_submitter(c->db, "class", id, &submitter);
	struct approval_actor who = { .drafter = manages || svc_may(c, PERM_CLASS_WRITE, &t),
				      .org_approver = svc_may(c, PERM_PLAN_APPROVE, &t),
				      .submitter = submitter > 0 && submitter == c->who->user_id };
	/* one who takes no part in the chain is refused before being told anything of it */
	if (row.c.plan_id > 0 && (who.drafter || who.org_approver))
		return svc_fail(c, PX_ERR_STATE, "该班次随年度培训计划审批,无需单独审批",
				"This class is approved with its annual plan");
	int step_before = row.c.step;
	if ((rc = approval_apply(&chain, &st, a, &who, f->comment && *f->comment)))
		return svc_approval_refused(c, rc, &who);
	if ((rc = svc_begin(c)))
		return rc;
	rc = classes_set_approval(c->db, id, st.status, st.step, row.c.version);
	if (!rc)
		rc = approvals_add(c->db, "class", id, step_before, svc_approval_names[a],
				   f->comment, c->who->user_id);
	struct class_row saved;
	if (!rc)
		rc = classes_get(c->db, c->arena, id, &saved);
	return svc_approval_commit(c, rc, svc_approval_names[a], "class", id,
				   rc ? NULL : svc_class_view(c, &saved), out);
}

/* ---- a plan's classes (the plan's drawer puts them in and takes them out) ---- */

static px_err plan_class_move(struct svc *c, int64_t plan_id, int64_t class_id, bool add,
			      json_t **out)
{
	/* a liaison may write its unit's plans, but no classes */
	if (svc_scope(c, PERM_CLASS_WRITE).scope == SCOPE_NONE)
		return PX_ERR_FORBIDDEN;
	struct plan pl;
	px_err rc = svc_load(c, &svc_plan_kind, PERM_PLAN_WRITE, plan_id, &pl);
	struct class_row row;
	if (!rc)
		rc = svc_class_load(c, PERM_CLASS_WRITE, class_id, &row);
	if (rc)
		return rc;
	if (!add && row.c.plan_id != plan_id)
		return svc_fail(c, PX_ERR_NOT_FOUND, "该班次不在此培训计划中",
				"The class is not in this plan");
	if (add && row.c.plan_id == plan_id)
		return svc_plan_get(c, plan_id, out); /* already in it: nothing to do */
	if (add && row.c.plan_id > 0)
		return svc_fail(c, PX_ERR_STATE, "该班次已纳入其他培训计划,请先从原计划移出",
				"The class is in another plan: take it out of that one first");
	int64_t to = add ? plan_id : 0;
	if ((rc = plan_move_check(c, &row.c, row.c.plan_id, to))) {
		/* the form's field is the path's here: name the class, not plan_id */
		if (rc == PX_ERR_INVALID)
			for (size_t i = 0; i < c->problems->n; i++)
				c->problems->items[i].field = "class_id";
		return rc;
	}
	if ((rc = svc_begin(c)))
		return rc;
	rc = classes_set_plan(c->db, class_id, to, row.c.version);
	json_t *before =
		json_pack("{sI ss so?}", "class_id", (json_int_t)class_id, "class_name", row.c.name,
			  "plan_id", row.c.plan_id ? json_integer(row.c.plan_id) : NULL);
	json_t *after = json_pack("{sI ss so?}", "class_id", (json_int_t)class_id, "class_name",
				  row.c.name, "plan_id", to ? json_integer(to) : NULL);
	rc = svc_commit(c, rc, add ? "add_class" : "remove_class", "plan", plan_id, before, after);
	json_decref(before);
	json_decref(after);
	return rc ? rc : svc_plan_get(c, plan_id, out);
}

px_err svc_plan_class_add(struct svc *c, int64_t plan_id, int64_t class_id, json_t **out)
{
	return plan_class_move(c, plan_id, class_id, true, out);
}

px_err svc_plan_class_remove(struct svc *c, int64_t plan_id, int64_t class_id, json_t **out)
{
	return plan_class_move(c, plan_id, class_id, false, out);
}
