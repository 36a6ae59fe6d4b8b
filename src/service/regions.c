/*
 * regions.c — the region tree (行政区划): see registry.h.
 *
 * Regions are the frame every data scope hangs on, so only the system admin edits them
 * (region.write); anyone who may read regions sees the subtree of their scope.
 */
#include <string.h>

#include "domain/region.h"
#include "service/registry.h"
#include "service/sheets.h"
#include "store/registry.h"

static px_err region_get(struct svc *c, int64_t id, void *row)
{
	return regions_get(c->db, c->arena, id, row);
}

static px_err region_visible(struct svc *c, enum perm perm, const void *row)
{
	const struct region *g = row;
	return svc_may(c, perm, &(struct scope_target){ .region_path = g->path })
		       ? PX_OK
		       : PX_ERR_NOT_FOUND;
}

static json_t *region_view(struct svc *c, const void *row)
{
	const struct region *g = row;
	return json_pack("{sI so ss ss ss ss si sI}", "id", (json_int_t)g->id, "parent_id",
			 svc_id_json(g->parent_id), "code", g->code, "name", g->name, "level",
			 g->level, "level_label", svc_label(c, &enum_region_level, g->level),
			 "sort_order", g->sort_order, "unit_count", (json_int_t)g->unit_count);
}

static const struct view_field region_fields_view[] = {
	{ "id", VIEW_INT, "Id" },
	{ "parent_id", VIEW_ID, "The parent region; null for a root" },
	{ "code", VIEW_TEXT, "Administrative code (区划代码)" },
	{ "name", VIEW_TEXT, "Name" },
	{ "level", VIEW_TEXT, "province, city, county …" },
	{ "level_label", VIEW_TEXT, "The level in the caller's language" },
	{ "sort_order", VIEW_INT, "Order among siblings" },
	{ "unit_count", VIEW_INT, "Units directly in it" },
};
const struct view_spec svc_region_shape = VIEW_SPEC("Region", region_fields_view);

static const struct sheet_column region_columns[] = {
	{ "name", &region_fields[RF_NAME] },
	{ "code", &region_fields[RF_CODE] },
	{ "level_label", &region_fields[RF_LEVEL] },
	{ "unit_count", NULL, "单位数", "Units", 10 },
};
static const struct sheet_spec region_sheet =
	SHEET_SPEC("region", "地区", "Regions", region_columns);

const struct svc_kind svc_region_kind = {
	.entity = "region",
	.row_size = sizeof(struct region),
	.get = region_get,
	.visible = region_visible,
	.view = region_view,
	.shape = &svc_region_shape,
	.sheet = &region_sheet,
};

static px_err list_regions(struct svc *c, const void *query, void **rows, size_t *n, int64_t *total)
{
	(void)query;
	struct scope_filter f = svc_scope(c, PERM_REGION_READ);
	px_err rc = regions_list(c->db, c->arena, &f, (struct region **)rows, n);
	*total = (int64_t)*n;
	return rc;
}

px_err svc_regions_list(struct svc *c, struct svc_page *out)
{
	return svc_list_generic(c, &svc_region_kind, list_regions, NULL, out);
}

px_err svc_region_get(struct svc *c, int64_t id, json_t **out)
{
	struct region g;
	px_err rc = svc_load(c, &svc_region_kind, PERM_REGION_READ, id, &g);
	if (!rc)
		*out = region_view(c, &g);
	return rc;
}

/* The checked fields of the input into g; PX_ERR_INVALID after problems. */
static px_err region_fields_of(struct svc *c, const struct region_input *in, struct region *g)
{
	struct field_ctx fc = { .pb = c->problems, .arena = c->arena, .lang = c->lang };
	struct region_fields_out v;
	region_validate(&fc, in, &v);
	g->name = v.name;
	g->code = v.code;
	g->level = v.level;
	g->sort_order = (int)in->sort_order;
	return svc_problems_rc(c);
}

static px_err insert_region(struct svc *c, void *input, int64_t *id)
{
	struct region *g = input;
	px_err rc = regions_insert(c->db, g);
	if (rc == PX_ERR_NOT_FOUND) { /* the parent */
		svc_problem(c, "parent_id", "not_found", "上级地区不存在", "No such parent region");
		return PX_ERR_INVALID;
	}
	if (rc == PX_ERR_CONFLICT)
		svc_problem(c, "name", "duplicate", "同一上级地区下已有同名地区",
			    "A region of this name exists under the same parent");
	*id = g->id;
	return rc;
}

px_err svc_region_create(struct svc *c, const struct region_input *in, json_t **out)
{
	struct region g = { .parent_id = in->parent_id > 0 ? in->parent_id : 0 };
	px_err rc = region_fields_of(c, in, &g);
	return rc ? rc : svc_create_generic(c, &svc_region_kind, insert_region, &g, NULL, out);
}

static px_err update_region(struct svc *c, const void *before, void *input)
{
	(void)before;
	return regions_update(c->db, input);
}

px_err svc_region_update(struct svc *c, int64_t id, const struct region_input *in, json_t **out)
{
	struct region before;
	px_err rc = svc_load(c, &svc_region_kind, PERM_REGION_WRITE, id, &before);
	if (rc)
		return rc;
	struct region g = before;
	if ((rc = region_fields_of(c, in, &g)))
		return rc;
	return svc_update_generic(c, &svc_region_kind, "update", &before, id, update_region, &g,
				  out);
}

static px_err delete_region(struct svc *c, const void *before, void *input)
{
	(void)input;
	px_err rc = regions_delete(c->db, ((const struct region *)before)->id);
	if (rc == PX_ERR_CONFLICT)
		svc_fail(c, rc, "该地区下还有下级地区、单位或用户,不能删除",
			 "The region still has sub-regions, units or users");
	return rc;
}

px_err svc_region_delete(struct svc *c, int64_t id)
{
	struct region g;
	px_err rc = svc_load(c, &svc_region_kind, PERM_REGION_WRITE, id, &g);
	return rc ? rc : svc_delete_generic(c, &svc_region_kind, &g, id, delete_region);
}
