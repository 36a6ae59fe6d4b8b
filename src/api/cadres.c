/*
 * cadres.c — /api/v1/cadres: HTTP ↔ the operations of service/cadres.c (the registry of
 * cadres, their history, revealing a protected number, exports).
 */
#include <stddef.h>
#include <string.h>

#include "api/api.h"
#include "api/body.h"
#include "api/query.h"
#include "base/jsonw.h"
#include "service/registry.h"

#define CADRE_FIELD(k, ex)                                                                         \
	{                                                                                          \
		NULL, BODY_TEXT, offsetof(struct cadre_form, in.v[k]), &cadre_fields[k], 0, 0, ex  \
	}

static const struct body_field cadre_body_fields[] = {
	CADRE_FIELD(CF_NAME, "\"林晓梅\""),
	CADRE_FIELD(CF_GENDER, "\"F\""),
	CADRE_FIELD(CF_BIRTH_DATE, "\"1980-03-15\""),
	CADRE_FIELD(CF_ID_NUMBER, "\"35058119800315012X\""),
	CADRE_FIELD(CF_PHONE, "\"13905951234\""),
	CADRE_FIELD(CF_POST, "\"党委副书记\""),
	CADRE_FIELD(CF_IS_HEAD, "false"),
	CADRE_FIELD(CF_RANK_LEVEL, "\"township_section\""),
	CADRE_FIELD(CF_RANK_POSITION, "\"deputy\""),
	CADRE_FIELD(CF_GRADE, "\"\""),
	CADRE_FIELD(CF_CATEGORY, "\"party_gov_leader\""),
	CADRE_FIELD(CF_POST_DATE, "\"2021-09-01\""),
	CADRE_FIELD(CF_PROMOTION_DATE, "\"2018-03-15\""),
	CADRE_FIELD(CF_STATUS, "\"active\""),
	{ "unit_id", BODY_ID, offsetof(struct cadre_form, unit_id), NULL, true,
	  "The unit the cadre works in", "5" },
	{ "version", BODY_INT, offsetof(struct cadre_form, version), NULL, false,
	  "The version an update expects (optimistic locking)", "1" },
	{ "change_reason", BODY_TEXT, offsetof(struct cadre_form, change_reason), NULL, false,
	  "Why the career fields change (kept in the history)", "\"组织调动\"" },
	{ "effective_date", BODY_TEXT, offsetof(struct cadre_form, effective_date), NULL, false,
	  "When the career change took effect", "\"2023-03-01\"" },
};
const struct body_spec api_cadre_body = BODY_SPEC("CadreForm", cadre_body_fields);

/* clang-format off */
static const struct query_field cadre_query_fields[] = {
	{ "region_id", QUERY_ID, offsetof(struct cadre_filter, region_id), NULL, 0, 0, "Cadres of units in this region's subtree" },
	{ "unit_id", QUERY_ID, offsetof(struct cadre_filter, unit_id), NULL, 0, 0, "Cadres of this unit" },
	{ "rank_level", QUERY_CODE, offsetof(struct cadre_filter, rank_level), &enum_rank_level, 0, 0, "Rank level" },
	{ "category", QUERY_CODE, offsetof(struct cadre_filter, category), &enum_category, 0, 0, "Category" },
	{ "status", QUERY_CODE, offsetof(struct cadre_filter, status), &enum_status, 0, 0, "In post, transferred or retired" },
	{ "is_head", QUERY_BOOL, offsetof(struct cadre_filter, is_head), NULL, 0, 0, "1: first-in-command only; 0: the others" },
};
/* clang-format on */
const struct query_spec api_cadre_query = QUERY_SPEC(cadre_query_fields);

px_err api_cadres_list(struct http_req *r)
{
	struct page_query p;
	struct cadre_filter f = { .is_head = -1 };
	if (api_wants_xlsx(r)) /* the list as a file is the export: its permission, its audit */
		return api_cadres_export(r);
	px_err rc = api_list_query(r, &p, 200, &api_cadre_query, &f);
	if (rc)
		return rc;
	/* The busiest reply of the registry: each row written as it is read, without copies
	 * or a jansson tree. */
	struct buf *b = http_reply_begin(r, 200, "application/json; charset=utf-8");
	struct jsonw w = JSONW_INIT(b);
	jw_object(&w);
	jw_key(&w, "items");
	int64_t total = 0;
	bool capped = false;
	rc = svc_cadres_write_page(api_svc(r), &f, &p, &w, &total, &capped);
	if (rc)
		return rc;
	jw_kint(&w, "total", total);
	if (capped) /* a search's total: at least this many */
		jw_kbool(&w, "total_capped", true);
	jw_kint(&w, "page", p.page);
	jw_kint(&w, "page_size", p.page_size);
	jw_end(&w);
	return b->err;
}

px_err api_cadres_get(struct http_req *r)
{
	return api_view_by_id(r, svc_cadre_get, 200);
}

px_err api_cadres_create(struct http_req *r)
{
	struct cadre_form f = { .version = -1 };
	struct api_in in = api_in(r, &api_cadre_body, &f);
	return api_done(r, &in, in.rc ? in.rc : svc_cadre_create(api_svc(r), &f, &in.out), 201);
}

px_err api_cadres_update(struct http_req *r)
{
	struct cadre_form f = { .version = -1 };
	struct api_in in = api_in(r, &api_cadre_body, &f);
	f.id_number_sent = json_object_get(API(r)->body, "id_number") != NULL;
	f.phone_sent = json_object_get(API(r)->body, "phone") != NULL;
	return api_done(r, &in, in.rc ? in.rc : svc_cadre_update(api_svc(r), in.id, &f, &in.out),
			200);
}

px_err api_cadres_history(struct http_req *r)
{
	int64_t id;
	struct svc_page page;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = svc_cadre_history(api_svc(r), id, &page);
	return rc ? rc : api_reply_page(r, &page, NULL);
}

px_err api_cadres_reveal(struct http_req *r)
{
	return api_view_by_id(r, svc_cadre_reveal, 200);
}

px_err api_cadres_export(struct http_req *r)
{
	const char *reveal = http_query(r, "reveal");
	struct page_query p;
	struct cadre_filter f = { .is_head = -1 };
	px_err rc = api_list_query(r, &p, 200, &api_cadre_query, &f);
	if (rc)
		return rc; /* a filter dropped would export the whole scope */
	struct buf out = BUF_INIT(0);
	rc = svc_cadres_export(api_svc(r), &f, p.q, reveal && !strcmp(reveal, "1"), &out);
	if (!rc)
		rc = api_reply_xlsx(r, &out,
				    px_lang_is_en(r->lang) ? "cadres.xlsx" : "干部名册.xlsx");
	buf_release(&out);
	return rc;
}
