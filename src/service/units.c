/*
 * units.c — units (单位) on the region tree: see registry.h.
 *
 * Organization admins edit the units inside their region (unit.write); a liaison and a
 * trainee see their own unit. A unit's 主管单位 (parent) forms the approval chain of its
 * plans, so re-parenting is checked for cycles inside the write's transaction (BEGIN
 * IMMEDIATE on SQLite): two re-parentings at once cannot make a cycle between them.
 */
#include <string.h>

#include "base/date.h"
#include "domain/mask.h"
#include "domain/unit.h"
#include "service/app.h"
#include "service/registry.h"
#include "service/exports.h"
#include "service/sheets.h"
#include "store/registry.h"

static px_err unit_get(struct svc *c, int64_t id, void *row)
{
	return units_get(c->db, c->arena, id, row);
}

static px_err unit_visible(struct svc *c, enum perm perm, const void *row)
{
	const struct unit_row *u = row;
	return svc_may(c, perm,
		       &(struct scope_target){ .region_path = u->region_path, .unit_id = u->u.id })
		       ? PX_OK
		       : PX_ERR_NOT_FOUND;
}

static json_t *unit_view(struct svc *c, const void *row)
{
	const struct unit_row *u = row;
	json_t *j = json_pack(
		"{sI sI ss ss ss ss ss so si sI sI so so}", "id", (json_int_t)u->u.id, "region_id",
		(json_int_t)u->u.region_id, "region_name", u->region_name, "code",
		u->u.code ? u->u.code : "", "name", u->u.name, "short_name",
		u->u.short_name ? u->u.short_name : "", "type", u->u.type, "industries",
		svc_codes_json(u->u.industries), "sort_order", u->u.sort_order, "cadre_count",
		(json_int_t)u->cadre_count, "version", (json_int_t)u->version, "created_at",
		svc_time_json(u->created_at), "updated_at", svc_time_json(u->updated_at));
	json_object_set_new(j, "type_label", json_string(svc_label(c, &enum_unit_type, u->u.type)));
	json_object_set_new(j, "parent_id", svc_id_json(u->u.parent_id));
	return j;
}

static const struct view_field unit_view_fields[] = {
	{ "id", VIEW_INT, "Id" },
	{ "region_id", VIEW_INT, "The region it belongs to" },
	{ "region_name", VIEW_TEXT, "Its name" },
	{ "code", VIEW_TEXT, "Unit code; \"\" when none" },
	{ "name", VIEW_TEXT, "Name" },
	{ "short_name", VIEW_TEXT, "Short name" },
	{ "type", VIEW_TEXT, "township, street, zone, department …" },
	{ "type_label", VIEW_TEXT, "The type in the caller's language" },
	{ "industries", VIEW_TEXTS, "Industry tags (石材, 水暖 …)" },
	{ "sort_order", VIEW_INT, "Order in lists" },
	{ "cadre_count", VIEW_INT, "Cadres registered in it" },
	{ "parent_id", VIEW_ID, "The unit it answers to (主管单位)" },
	{ "version", VIEW_INT, "Send it back with an update (optimistic locking)" },
	{ "created_at", VIEW_TIME, "When it was registered" },
	{ "updated_at", VIEW_TIME, "When it last changed" },
};
const struct view_spec svc_unit_shape = VIEW_SPEC("Unit", unit_view_fields);

static const struct sheet_column unit_columns[] = {
	{ "name", &unit_fields[UF_NAME], NULL, NULL, 26 },
	{ "short_name", &unit_fields[UF_SHORT_NAME] },
	{ "type_label", &unit_fields[UF_TYPE] },
	{ "region_name", &unit_fields[UF_REGION] },
	{ "industries", &unit_fields[UF_INDUSTRIES], NULL, NULL, 24 },
	{ "code", &unit_fields[UF_CODE] },
	{ "sort_order", &unit_fields[UF_SORT], NULL, NULL, 10 },
	{ "cadre_count", NULL, "干部人数", "Cadres", 10 },
};
static const struct sheet_spec unit_sheet = SHEET_SPEC("unit", "单位名单", "Units", unit_columns);

const struct svc_kind svc_unit_kind = {
	.entity = "unit",
	.row_size = sizeof(struct unit_row),
	.get = unit_get,
	.visible = unit_visible,
	.view = unit_view,
	.shape = &svc_unit_shape,
	.sheet = &unit_sheet,
	.stale_zh = "该单位已被他人修改,请刷新后重试",
	.stale_en = "Someone else changed this unit; reload and retry",
};

static struct unit_query unit_query_of(struct svc *c, const struct unit_filter *f, const char *q,
				       const char *sort)
{
	return (struct unit_query){ .scope = svc_scope(c, PERM_UNIT_READ),
				    .region_id = f->region_id,
				    .type = f->type && *f->type ? f->type : NULL,
				    .q = q,
				    .sort = sort };
}

static px_err list_units(struct svc *c, const void *query, void **rows, size_t *n, int64_t *total)
{
	return units_list(c->db, c->arena, query, (struct unit_row **)rows, n, total);
}

px_err svc_units_list(struct svc *c, const struct unit_filter *f, const struct page_query *p,
		      struct svc_page *out)
{
	struct unit_query q = unit_query_of(c, f, p->q, p->sort);
	q.page = p->page;
	q.page_size = p->page_size;
	return svc_list_generic(c, &svc_unit_kind, list_units, &q, out);
}

px_err svc_unit_get(struct svc *c, int64_t id, json_t **out)
{
	struct unit_row u;
	px_err rc = svc_load(c, &svc_unit_kind, PERM_UNIT_READ, id, &u);
	if (!rc)
		*out = unit_view(c, &u);
	return rc;
}

/* Validate the form into u: the fields, the region (inside the caller's write scope) and
 * the parent unit (one the caller may see). */
static px_err unit_of_form(struct svc *c, const struct unit_form *f, struct unit *u)
{
	struct field_ctx fc = { .pb = c->problems, .arena = c->arena, .lang = c->lang };
	unit_validate(&fc, &f->in, u);
	px_err rc = PX_OK;
	if (f->parent_id > 0) {
		struct unit_row pu = { 0 };
		rc = units_get(c->db, c->arena, f->parent_id, &pu);
		rc = svc_check_reference(
			c, rc, PERM_UNIT_READ,
			&(struct scope_target){ .region_path = pu.region_path, .unit_id = pu.u.id },
			"parent_id", "主管单位不存在或不在您的管理范围内",
			"No such parent unit in your scope");
	} else if (f->parent_id < 0) {
		problems_add(c->problems, 0, "parent_id", "invalid", "parent_id");
	}
	u->parent_id = f->parent_id > 0 ? f->parent_id : 0;
	if (!rc && f->region_id == 0)
		svc_problem(c, "region_id", "required", "所属地区不能为空", "Region is required");
	if (!rc && f->region_id > 0) {
		struct region g = { 0 };
		rc = regions_get(c->db, c->arena, f->region_id, &g);
		rc = svc_check_reference(c, rc, PERM_UNIT_WRITE,
					 &(struct scope_target){ .region_path = g.path },
					 "region_id", "所属地区不存在或不在您的管理范围内",
					 "Region: no such region in your scope");
		u->region_id = f->region_id;
	} else if (!rc && f->region_id < 0) {
		svc_problem(c, "region_id", "invalid", "所属地区无效", "Region: invalid id");
	}
	return rc ? rc : svc_problems_rc(c);
}

/* A name or code taken in the region. */
static px_err unit_conflict(struct svc *c)
{
	svc_problem(c, "name", "duplicate", "该地区已有同名单位或相同的单位代码",
		    "A unit with this name or code exists in the region");
	return PX_ERR_CONFLICT;
}

static px_err insert_unit(struct svc *c, void *input, int64_t *id)
{
	struct unit *u = input;
	px_err rc = units_insert(c->db, u);
	*id = u->id;
	return rc == PX_ERR_CONFLICT ? unit_conflict(c) : rc;
}

px_err svc_unit_create(struct svc *c, const struct unit_form *f, json_t **out)
{
	struct unit u;
	px_err rc = unit_of_form(c, f, &u);
	return rc ? rc : svc_create_generic(c, &svc_unit_kind, insert_unit, &u, NULL, out);
}

struct unit_change {
	struct unit u;
	int64_t version;
};

static px_err update_unit(struct svc *c, const void *before, void *input)
{
	struct unit_change *ch = input;
	const struct unit_row *was = before;
	/* Walk up from the new parent: meeting this unit would make a cycle. */
	px_err rc = PX_OK;
	for (int64_t p = ch->u.parent_id, hops = 0; !rc && p > 0 && hops < 64; hops++) {
		if (p == ch->u.id) {
			svc_problem(c, "parent_id", "cycle", "主管单位不能是本单位或其下属单位",
				    "The parent unit cannot be this unit or one under it");
			return PX_ERR_INVALID;
		}
		struct unit_row up;
		if (!(rc = units_get(c->db, c->arena, p, &up)))
			p = up.u.parent_id;
	}
	if (!rc)
		rc = units_update(c->db, &ch->u, ch->version);
	/* A stale version is the generic message; the same version means a taken name. */
	if (rc == PX_ERR_CONFLICT && ch->version == was->version)
		return unit_conflict(c);
	return rc;
}

px_err svc_unit_update(struct svc *c, int64_t id, const struct unit_form *f, json_t **out)
{
	struct unit_row before;
	px_err rc = svc_load(c, &svc_unit_kind, PERM_UNIT_WRITE, id, &before);
	if (rc)
		return rc;
	struct unit_change ch = { .version = f->version >= 0 ? f->version : before.version };
	if ((rc = unit_of_form(c, f, &ch.u)))
		return rc;
	ch.u.id = id;
	return svc_update_generic(c, &svc_unit_kind, "update", &before, id, update_unit, &ch, out);
}

static px_err delete_unit(struct svc *c, const void *before, void *input)
{
	(void)input;
	px_err rc = units_delete(c->db, ((const struct unit_row *)before)->u.id);
	if (rc == PX_ERR_CONFLICT)
		svc_fail(c, rc, "该单位下还有干部或用户账号,不能删除",
			 "The unit still has cadres or user accounts");
	return rc;
}

px_err svc_unit_delete(struct svc *c, int64_t id)
{
	struct unit_row u;
	px_err rc = svc_load(c, &svc_unit_kind, PERM_UNIT_WRITE, id, &u);
	return rc ? rc : svc_delete_generic(c, &svc_unit_kind, &u, id, delete_unit);
}

px_err svc_units_export(struct svc *c, const struct unit_filter *f, const char *q, const char *sort,
			struct buf *out)
{
	struct unit_query uq = unit_query_of(c, f, q, sort);
	size_t rows;
	px_err rc = export_units(c->db, &uq, c->lang, out, &rows);
	if (!rc) { /* who took the list out, how much, what was searched for (as a cadre export) */
		char *query = arena_strdup(c->arena, q ? q : "");
		mask_numbers(query);
		json_t *what = json_pack("{sI ss}", "rows", (json_int_t)rows, "query", query);
		rc = svc_audit(c, "export", "unit", 0, NULL, what);
		json_decref(what);
	}
	return rc;
}
