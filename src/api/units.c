/*
 * units.c — /api/v1/regions and /api/v1/units: HTTP ↔ the operations of service/regions.c
 * and service/units.c.
 */
#include <stddef.h>

#include "api/api.h"
#include "api/body.h"
#include "api/query.h"
#include "service/registry.h"

/* ---- regions ---- */

/* clang-format off */
static const struct body_field region_body_fields[] = {
	{ NULL, BODY_TEXT, offsetof(struct region_input, v[RF_NAME]), &region_fields[RF_NAME], 0, 0, "\"永春县\"" },
	{ NULL, BODY_TEXT, offsetof(struct region_input, v[RF_CODE]), &region_fields[RF_CODE], 0, 0, "\"350525\"" },
	{ NULL, BODY_TEXT, offsetof(struct region_input, v[RF_LEVEL]), &region_fields[RF_LEVEL], 0, 0, "\"county\"" },
	{ "parent_id", BODY_ID, offsetof(struct region_input, parent_id), NULL, false, "The parent region (none: a root)", "2" },
	{ "sort_order", BODY_INT, offsetof(struct region_input, sort_order), NULL, false, "Order among its siblings", "9" },
};
/* clang-format on */
const struct body_spec api_region_body = BODY_SPEC("RegionForm", region_body_fields);

px_err api_regions_list(struct http_req *r)
{
	struct svc_page page;
	px_err rc = svc_regions_list(api_svc(r), &page);
	return rc ? rc : api_reply_page(r, &page, NULL);
}

px_err api_regions_create(struct http_req *r)
{
	struct region_input f = { 0 };
	struct api_in in = api_in(r, &api_region_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_region_create(api_svc(r), &f, &in.out), 201);
}

px_err api_regions_get(struct http_req *r)
{
	return api_view_by_id(r, svc_region_get, 200);
}

px_err api_regions_update(struct http_req *r)
{
	struct region_input f = { 0 };
	struct api_in in = api_in(r, &api_region_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_region_update(api_svc(r), in.id, &f, &in.out),
			200);
}

px_err api_regions_delete(struct http_req *r)
{
	return api_delete_by_id(r, svc_region_delete);
}

/* ---- units ---- */

/* clang-format off */
static const struct body_field unit_body_fields[] = {
	{ NULL, BODY_TEXT, offsetof(struct unit_form, in.v[UF_NAME]), &unit_fields[UF_NAME], 0, 0, "\"南安光电信息产业园\"" },
	{ NULL, BODY_TEXT, offsetof(struct unit_form, in.v[UF_SHORT_NAME]), &unit_fields[UF_SHORT_NAME], 0, 0, "\"光电园\"" },
	{ NULL, BODY_TEXT, offsetof(struct unit_form, in.v[UF_TYPE]), &unit_fields[UF_TYPE], 0, 0, "\"zone\"" },
	{ NULL, BODY_CODES, offsetof(struct unit_form, in.v[UF_INDUSTRIES]), &unit_fields[UF_INDUSTRIES], 0, 0, "[\"电子\"]" },
	{ NULL, BODY_TEXT, offsetof(struct unit_form, in.v[UF_CODE]), &unit_fields[UF_CODE], 0, 0, "\"NA-GD\"" },
	{ NULL, BODY_TEXT, offsetof(struct unit_form, in.v[UF_SORT]), &unit_fields[UF_SORT], 0, 0, "90" },
	{ "region_id", BODY_ID, offsetof(struct unit_form, region_id), NULL, true, "The region it belongs to", "3" },
	{ "parent_id", BODY_ID, offsetof(struct unit_form, parent_id), NULL, false, "The unit it answers to (主管单位), none when absent", "null" },
	{ "version", BODY_INT, offsetof(struct unit_form, version), NULL, false, "The version an update expects (optimistic locking); absent: not checked", "null" },
};
/* clang-format on */
const struct body_spec api_unit_body = BODY_SPEC("UnitForm", unit_body_fields);

/* clang-format off */
static const struct query_field unit_query_fields[] = {
	{ "region_id", QUERY_ID, offsetof(struct unit_filter, region_id), NULL, 0, 0, "Units in this region's subtree" },
	{ "type", QUERY_CODE, offsetof(struct unit_filter, type), &enum_unit_type, 0, 0, "Unit type" },
};
/* clang-format on */
const struct query_spec api_unit_query = QUERY_SPEC(unit_query_fields);

px_err api_units_list(struct http_req *r)
{
	struct page_query p;
	struct unit_filter f = { 0 };
	struct svc_page page;
	px_err rc = api_list_query(r, &p, 500, &api_unit_query, &f);
	if (!rc)
		rc = svc_units_list(api_svc(r), &f, &p, &page);
	return rc ? rc : api_reply_page(r, &page, &p);
}

px_err api_units_get(struct http_req *r)
{
	return api_view_by_id(r, svc_unit_get, 200);
}

px_err api_units_create(struct http_req *r)
{
	struct unit_form f = { .version = -1 };
	struct api_in in = api_in(r, &api_unit_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_unit_create(api_svc(r), &f, &in.out), 201);
}

px_err api_units_update(struct http_req *r)
{
	struct unit_form f = { .version = -1 };
	struct api_in in = api_in(r, &api_unit_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_unit_update(api_svc(r), in.id, &f, &in.out),
			200);
}

px_err api_units_delete(struct http_req *r)
{
	return api_delete_by_id(r, svc_unit_delete);
}

px_err api_units_export(struct http_req *r)
{
	struct page_query p;
	struct unit_filter f = { 0 };
	px_err rc = api_list_query(r, &p, 200, &api_unit_query, &f);
	if (rc)
		return rc;
	struct buf out = BUF_INIT(0);
	rc = svc_units_export(api_svc(r), &f, p.q, p.sort, &out);
	if (!rc)
		rc = api_reply_xlsx(r, &out,
				    px_lang_is_en(r->lang) ? "units.xlsx" : "单位名单.xlsx");
	buf_release(&out);
	return rc;
}
