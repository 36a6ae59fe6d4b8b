/*
 * units.c — /api/v1/regions and /api/v1/units: the tree and the units on it.
 *
 * Regions are the frame every data scope hangs on, so only the system admin edits them;
 * organization admins edit the units inside their region. Every write is one transaction
 * with its audit entry.
 */
#include <string.h>

#include "api/api.h"
#include "domain/enums.h"

/* ---- regions ---- */

px_err api_regions_list(struct http_req *r)
{
	struct scope_filter f = api_scope(r, PERM_REGION_READ);
	struct region *items;
	size_t n;
	px_err rc = regions_list(API(r)->db, &r->arena, &f, &items, &n);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, api_region_json(r, &items[i]));
	struct list_params p = { 1, (long)n, NULL, NULL };
	return api_reply_list(r, arr, (int64_t)n, &p);
}

static px_err region_from_body(struct http_req *r, json_t *body, struct region *g)
{
	struct field_ctx c = { .pb = &r->problems, .arena = &r->arena, .lang = r->lang };
	static const struct field_def name_f = { "name", "名称", "Name", true };
	static const struct field_def code_f = { "code", "区划代码", "Code", false };
	static const struct field_def level_f = { "level", "层级", "Level", true };
	g->name = field_text(&c, &name_f, api_json_text(r, body, "name"), TEXT_PLAIN, 50);
	g->code = field_text(&c, &code_f, api_json_text(r, body, "code"), TEXT_PLAIN, 12);
	g->level = field_enum(&c, &level_f, api_json_text(r, body, "level"), &enum_region_level);
	json_t *so = json_object_get(body, "sort_order");
	g->sort_order = json_is_integer(so) ? (int)json_integer_value(so) : 0;
	return r->problems.n ? PX_ERR_INVALID : PX_OK;
}

px_err api_regions_create(struct http_req *r)
{
	json_t *body;
	px_err rc = http_json_body(r, &body);
	if (rc)
		return rc;
	struct region g = { 0 };
	g.parent_id = api_json_id(body, "parent_id");
	rc = region_from_body(r, body, &g);
	json_decref(body);
	if (g.parent_id < 0) {
		problems_add(&r->problems, 0, "parent_id", "invalid", "parent_id");
		rc = PX_ERR_INVALID;
	}
	if (rc)
		return rc;
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = regions_insert(API(r)->db, &g);
	struct region saved;
	if (!rc)
		rc = regions_get(API(r)->db, &r->arena, g.id, &saved);
	json_t *after = rc ? NULL : api_region_json(r, &saved);
	rc = api_commit_write(r, rc, 201, "create", "region", g.id, NULL, after);
	if (rc == PX_ERR_NOT_FOUND) { /* the parent */
		problems_add(&r->problems, 0, "parent_id", "not_found", "parent_id");
		return PX_ERR_INVALID;
	}
	return rc;
}

/* Load a region visible to the caller (else not found). */
static px_err visible_region(struct http_req *r, enum perm perm, struct region *g)
{
	int64_t id;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = regions_get(API(r)->db, &r->arena, id, g);
	if (!rc && !api_in_scope(r, perm, &(struct scope_target){ .region_path = g->path }))
		rc = PX_ERR_NOT_FOUND;
	return rc;
}

px_err api_regions_get(struct http_req *r)
{
	struct region g;
	px_err rc = visible_region(r, PERM_REGION_READ, &g);
	return rc ? rc : http_reply_json(r, 200, api_region_json(r, &g));
}

px_err api_regions_update(struct http_req *r)
{
	struct region before;
	px_err rc = visible_region(r, PERM_REGION_WRITE, &before);
	if (rc)
		return rc;
	json_t *body;
	if ((rc = http_json_body(r, &body)))
		return rc;
	struct region g = before;
	rc = region_from_body(r, body, &g);
	json_decref(body);
	if (rc)
		return rc;
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = regions_update(API(r)->db, &g);
	struct region saved;
	if (!rc)
		rc = regions_get(API(r)->db, &r->arena, g.id, &saved);
	json_t *after = rc ? NULL : api_region_json(r, &saved);
	json_t *b = api_region_json(r, &before);
	return api_commit_write(r, rc, 200, "update", "region", g.id, b, after);
}

px_err api_regions_delete(struct http_req *r)
{
	struct region g;
	px_err rc = visible_region(r, PERM_REGION_WRITE, &g);
	if (rc)
		return rc;
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = regions_delete(API(r)->db, g.id);
	rc = api_commit_write(r, rc, 204, "delete", "region", g.id, api_region_json(r, &g), NULL);
	if (rc == PX_ERR_CONFLICT)
		r->message = px_lang_is_en(r->lang)
				     ? "The region still has sub-regions, units or users"
				     : "该地区下还有下级地区、单位或用户,不能删除";
	return rc;
}

/* ---- units ---- */

px_err api_units_list(struct http_req *r)
{
	struct list_params p;
	api_list_params(r, &p, 500);
	struct unit_query q = {
		.scope = api_scope(r, PERM_UNIT_READ),
		.region_id = http_query_long(r, "region_id", 0, 0, INT32_MAX),
		.type = http_query(r, "type"),
		.q = p.q,
		.sort = p.sort,
		.page = p.page,
		.page_size = p.page_size,
	};
	struct unit_row *items;
	size_t n;
	int64_t total;
	px_err rc = units_list(API(r)->db, &r->arena, &q, &items, &n, &total);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, api_unit_json(r, &items[i]));
	return api_reply_list(r, arr, total, &p);
}

static px_err visible_unit(struct http_req *r, enum perm perm, int64_t id, struct unit_row *u)
{
	px_err rc = units_get(API(r)->db, &r->arena, id, u);
	if (!rc && !api_in_scope(r, perm,
				 &(struct scope_target){ .region_path = u->region_path,
							 .unit_id = u->u.id }))
		rc = PX_ERR_NOT_FOUND;
	return rc;
}

/* Validate the body into u; region_id must name a region inside the caller's scope. */
static px_err unit_from_body(struct http_req *r, json_t *body, struct unit *u)
{
	struct field_ctx c = { .pb = &r->problems, .arena = &r->arena, .lang = r->lang };
	struct unit_input in = { 0 };
	for (int i = 0; i < UF__COUNT; i++)
		in.v[i] = api_json_text(r, body, unit_fields[i].name);
	in.v[UF_INDUSTRIES] = api_json_codes(r, body, "industries");
	int64_t region_id = api_json_id(body, "region_id");
	unit_validate(&c, &in, u);
	int64_t parent = api_json_id(body, "parent_id");
	if (parent > 0) {
		struct unit_row pu = { 0 };
		px_err rc = units_get(API(r)->db, &r->arena, parent, &pu);
		if ((rc = api_check_reference(r, rc, PERM_UNIT_READ,
					      &(struct scope_target){ .region_path = pu.region_path,
								      .unit_id = pu.u.id },
					      "parent_id", "主管单位不存在或不在您的管理范围内",
					      "No such parent unit in your scope")))
			return rc;
	} else if (parent < 0) {
		problems_add(&r->problems, 0, "parent_id", "invalid", "parent_id");
	}
	u->parent_id = parent > 0 ? parent : 0;
	if (region_id == 0)
		api_problem(r, "region_id", "required", "所属地区不能为空", "Region is required");
	if (region_id > 0) {
		struct region g = { 0 };
		px_err rc = regions_get(API(r)->db, &r->arena, region_id, &g);
		if ((rc = api_check_reference(r, rc, PERM_UNIT_WRITE,
					      &(struct scope_target){ .region_path = g.path },
					      "region_id", "所属地区不存在或不在您的管理范围内",
					      "Region: no such region in your scope")))
			return rc;
		u->region_id = region_id;
	} else if (region_id < 0) {
		api_problem(r, "region_id", "invalid", "所属地区无效", "Region: invalid id");
	}
	return r->problems.n ? PX_ERR_INVALID : PX_OK;
}

static px_err unit_conflict(struct http_req *r)
{
	api_problem(r, "name", "duplicate", "该地区已有同名单位或相同的单位代码",
		    "A unit with this name or code exists in the region");
	return PX_ERR_CONFLICT;
}

px_err api_units_create(struct http_req *r)
{
	json_t *body;
	px_err rc = http_json_body(r, &body);
	if (rc)
		return rc;
	struct unit u;
	rc = unit_from_body(r, body, &u);
	json_decref(body);
	if (rc)
		return rc;
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = units_insert(API(r)->db, &u);
	struct unit_row saved;
	if (!rc)
		rc = units_get(API(r)->db, &r->arena, u.id, &saved);
	json_t *after = rc ? NULL : api_unit_json(r, &saved);
	rc = api_commit_write(r, rc, 201, "create", "unit", u.id, NULL, after);
	return rc == PX_ERR_CONFLICT ? unit_conflict(r) : rc;
}

px_err api_units_get(struct http_req *r)
{
	int64_t id;
	struct unit_row u;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = visible_unit(r, PERM_UNIT_READ, id, &u);
	return rc ? rc : http_reply_json(r, 200, api_unit_json(r, &u));
}

px_err api_units_update(struct http_req *r)
{
	int64_t id;
	struct unit_row before;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = visible_unit(r, PERM_UNIT_WRITE, id, &before);
	if (rc)
		return rc;
	json_t *body;
	if ((rc = http_json_body(r, &body)))
		return rc;
	int64_t version = api_json_version(body, before.version);
	struct unit u;
	rc = unit_from_body(r, body, &u);
	json_decref(body);
	if (rc)
		return rc;
	u.id = id;
	/* A unit may not become its own parent, nor its descendant's child: the approval chain
	 * walks up the parents. Checked inside the write's transaction (BEGIN IMMEDIATE on
	 * SQLite), so two re-parentings at once cannot make a cycle between them. */
	if ((rc = store_begin(API(r)->db)))
		return rc;
	for (int64_t p = u.parent_id, hops = 0; !rc && p > 0 && hops < 64; hops++) {
		struct unit_row up;
		if (p == id) {
			store_rollback(API(r)->db);
			api_problem(r, "parent_id", "cycle", "主管单位不能是本单位或其下属单位",
				    "The parent unit cannot be this unit or one under it");
			return PX_ERR_INVALID;
		}
		if (!(rc = units_get(API(r)->db, &r->arena, p, &up)))
			p = up.u.parent_id;
	}
	if (rc) {
		store_rollback(API(r)->db);
		return rc;
	}
	rc = units_update(API(r)->db, &u, version);
	struct unit_row saved;
	if (!rc)
		rc = units_get(API(r)->db, &r->arena, id, &saved);
	json_t *after = rc ? NULL : api_unit_json(r, &saved);
	rc = api_commit_write(r, rc, 200, "update", "unit", id, api_unit_json(r, &before), after);
	if (rc == PX_ERR_CONFLICT && version != before.version) {
		r->message = px_lang_is_en(r->lang)
				     ? "Someone else changed this unit; reload and retry"
				     : "该单位已被他人修改,请刷新后重试";
		return rc;
	}
	return rc == PX_ERR_CONFLICT ? unit_conflict(r) : rc;
}

px_err api_units_delete(struct http_req *r)
{
	int64_t id;
	struct unit_row u;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = visible_unit(r, PERM_UNIT_WRITE, id, &u);
	if (rc)
		return rc;
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = units_delete(API(r)->db, id);
	rc = api_commit_write(r, rc, 204, "delete", "unit", id, api_unit_json(r, &u), NULL);
	if (rc == PX_ERR_CONFLICT)
		r->message = px_lang_is_en(r->lang) ? "The unit still has cadres or user accounts"
						    : "该单位下还有干部或用户账号,不能删除";
	return rc;
}
