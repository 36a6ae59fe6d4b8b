/*
 * imports.c — /api/v1/imports: HTTP ↔ the import operations (service/importer.h) and the
 * import templates (service/exports.h).
 *
 * An upload is the raw file as the request body (capped by upload_max_mb), with the kind
 * and the file name in the query. A rejected import answers 422 import_rejected with one
 * detail per problem ({row, field, code, message}), the problems by kind above them
 * (summary: "身份证号校验位错误：12 行"), the columns the file holds that were not imported
 * (ignored_columns), the rows that are no records (skipped_rows) and the id of the import
 * run, whose report (the uploaded rows with an error column) is then one GET away. With async=1 the
 * upload is queued as a job instead (service/import_job.h): 202 with the job's id. An
 * account over its hourly number of imports gets 429 rate_limited with the time it may try
 * again (Retry-After, and retry_at in the error object).
 */
#include <stddef.h>
#include <string.h>

#include "api/api.h"
#include "api/query.h"
#include "base/date.h"
#include "base/utf8.h"
#include "service/exports.h"
#include "service/import_job.h"
#include "service/importer.h"

static const char xlsx_type[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/* What an upload's query says: the kind, the file's name, a dry run, the job queue. */
struct import_query {
	const char *kind, *filename;
	int dry_run, async;
};

/* clang-format off */
static const struct query_field template_query_fields[] = {
	{ "kind", QUERY_CODE, offsetof(struct import_query, kind), &enum_import_kind, 0, 0, "What the template is for (required)" },
};
static const struct query_field import_query_fields[] = {
	{ "kind", QUERY_CODE, offsetof(struct import_query, kind), &enum_import_kind, 0, 0, "What the file holds (required)" },
	{ "filename", QUERY_TEXT, offsetof(struct import_query, filename), NULL, 0, 0, "The file's name, for the run and its error report" },
	{ "dry_run", QUERY_BOOL, offsetof(struct import_query, dry_run), NULL, 0, 0, "1: check every row, write nothing (200)" },
	{ "async", QUERY_BOOL, offsetof(struct import_query, async), NULL, 0, 0, "1: queue it as a job (202 with its job_id; its result is this reply)" },
};
static const struct query_field import_list_fields[] = {
	{ "flagged", QUERY_BOOL, offsetof(struct import_filter, flagged), NULL, 0, 0, "1: only runs that held ID numbers registered outside their importer's scope" },
};
/* clang-format on */
const struct query_spec api_import_template_query = QUERY_SPEC(template_query_fields);
const struct query_spec api_import_query = QUERY_SPEC(import_query_fields);
const struct query_spec api_import_list_query = QUERY_SPEC(import_list_fields);

/* A refusal by the hourly limit: when to try again, in the error object (and so in its
 * Retry-After header). */
static void rate_limited(struct http_req *r, int64_t retry_at)
{
	int64_t wait = retry_at - time_now();
	char iso[32];
	json_decref(r->error_extra);
	r->error_extra = json_pack("{ss sI}", "retry_at", time_format_iso(retry_at, iso),
				   "retry_after", (json_int_t)(wait > 1 ? wait : 1));
}

/* The query by spec, and the kind it must name. */
static px_err import_query(struct http_req *r, const struct query_spec *spec,
			   struct import_query *q, enum import_kind *kind)
{
	px_err rc = api_query(r, spec, q);
	if (rc)
		return rc;
	if (q->kind && import_kind_from(q->kind, kind))
		return PX_OK;
	api_problem(r, "kind", "invalid", "导入类型须为 cadres(干部)或 units(单位)",
		    "kind must be cadres or units");
	return PX_ERR_INVALID;
}

px_err api_import_template(struct http_req *r)
{
	struct import_query q = { 0 };
	enum import_kind kind;
	px_err rc = import_query(r, &api_import_template_query, &q, &kind);
	if (rc)
		return rc;
	struct buf out = BUF_INIT(0);
	rc = svc_import_template(api_svc(r), kind, &out);
	if (!rc) {
		bool en = px_lang_is_en(r->lang);
		const char *name =
			kind == IMPORT_CADRES
				? (en ? "cadre-import-template.xlsx" : "干部信息导入模板.xlsx")
				: (en ? "unit-import-template.xlsx" : "单位信息导入模板.xlsx");
		rc = http_reply_bytes(r, 200, xlsx_type, out.data, out.len, name);
	}
	buf_release(&out);
	return rc;
}

px_err api_import_create(struct http_req *r)
{
	struct import_query q = { .filename = "" };
	enum import_kind kind;
	px_err rc = import_query(r, &api_import_query, &q, &kind);
	if (rc)
		return rc;
	if (q.async) {
		json_t *out = NULL;
		int64_t retry_at = 0;
		rc = svc_import_queue(api_svc(r), q.kind, q.filename, q.dry_run, r->body.data,
				      r->body.len, &out, &retry_at);
		if (rc == PX_ERR_RATE_LIMITED)
			rate_limited(r, retry_at);
		return api_reply(r, rc, 202, out);
	}
	struct import_opts o = { .kind = kind,
				 .filename = q.filename,
				 .dry_run = q.dry_run,
				 .keep_file = true,
				 .upload = true };
	struct import_result res = { 0 };
	problems_init(&res.problems);
	rc = svc_import(api_svc(r), &o, r->body.data, r->body.len, &res);
	if (!rc) {
		json_t *body = json_pack("{sI ss ss ss sI sI si}", "id", (json_int_t)res.id, "kind",
					 import_kind_name(kind), "status",
					 o.dry_run ? "checked" : "imported", "format",
					 res.format ? res.format : "", "total_rows",
					 (json_int_t)res.total_rows, "imported_rows",
					 (json_int_t)res.imported_rows, "error_count", 0);
		json_object_update_new(body, svc_import_notes(api_svc(r), kind, &res, false));
		rc = http_reply_json(r, o.dry_run ? 200 : 201, body);
	} else if (rc == PX_ERR_IMPORT_REJECTED) {
		/* the problems by kind above the rows, the columns left out, the rows skipped */
		r->error_extra = svc_import_notes(api_svc(r), kind, &res, true);
		json_object_update_new(r->error_extra,
				       json_pack("{sI sI sI}", "import_id", (json_int_t)res.id,
						 "total_rows", (json_int_t)res.total_rows,
						 "error_count",
						 (json_int_t)problems_count(&res.problems)));
		problems_release(&r->problems);
		r->problems = res.problems; /* the reply owns them now */
		problems_init(&res.problems);
	} else if (res.message[0]) {
		r->message = arena_strdup(&r->arena, res.message);
		if (rc == PX_ERR_RATE_LIMITED)
			rate_limited(r, res.retry_at);
		else if (res.id)
			r->error_extra = json_pack("{sI}", "import_id", (json_int_t)res.id);
	}
	import_result_release(&res);
	return rc;
}

px_err api_import_list(struct http_req *r)
{
	struct page_query p;
	struct import_filter f = { 0 };
	struct svc_page page;
	px_err rc = api_list_query(r, &p, 100, &api_import_list_query, &f);
	if (!rc)
		rc = svc_imports_list(api_svc(r), &f, &p, &page);
	return rc ? rc : api_reply_page(r, &page, &p);
}

px_err api_import_get(struct http_req *r)
{
	int64_t id;
	json_t *out = NULL;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = svc_import_get(api_svc(r), id, &out);
	return api_reply(r, rc, 200, out);
}

px_err api_import_report(struct http_req *r)
{
	int64_t id;
	px_err rc = http_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct buf out = BUF_INIT(0);
	const char *filename = "";
	rc = svc_import_report(api_svc(r), id, &out, &filename);
	if (!rc) {
		const char *base = *filename ? filename : "import";
		const char *name =
			arena_printf(&r->arena, "%s-%s.xlsx",
				     px_lang_is_en(r->lang) ? "errors" : "错误报告", base);
		rc = http_reply_bytes(r, 200, xlsx_type, out.data, out.len, name);
	}
	buf_release(&out);
	return rc;
}
