/*
 * imports.c — /api/v1/imports and the .xlsx exports: the HTTP side of importer.h.
 *
 * An upload is the raw file as the request body (capped by upload_max_mb), with the kind
 * and the file name in the query. A rejected import answers 422 import_rejected with one
 * detail per problem ({row, field, code, message}) and the id of the import run, whose
 * report (the uploaded rows with an error column) is then one GET away. With async=1 the
 * upload is queued as a job instead (service/import_job.h): 202 with the job's id.
 */
#include <string.h>

#include "api/api.h"
#include "service/import_job.h"
#include "service/importer.h"
#include "base/utf8.h"

static const char xlsx_type[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

static px_err import_kind_param(struct http_req *r, enum import_kind *kind)
{
	if (import_kind_from(http_query(r, "kind"), kind))
		return PX_OK;
	api_problem(r, "kind", "invalid", "导入类型须为 cadres(干部)或 units(单位)",
		    "kind must be cadres or units");
	return PX_ERR_INVALID;
}

px_err api_import_template(struct http_req *r)
{
	enum import_kind kind;
	px_err rc = import_kind_param(r, &kind);
	if (rc)
		return rc;
	struct buf out = BUF_INIT(0);
	rc = import_template(API(r)->db, kind, &API(r)->who, r->lang, &out);
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

static bool query_true(struct http_req *r, const char *name)
{
	const char *v = http_query(r, name);
	return v && (!strcmp(v, "1") || !strcmp(v, "true"));
}

/* ?async=1: the upload queued as a job (registry.import); 202 with its id, whose result
 * is what the synchronous reply would have been. */
static px_err import_queue(struct http_req *r)
{
	const char *filename = http_query(r, "filename");
	if (!filename || !utf8_valid(filename, strlen(filename)) || strlen(filename) > 200)
		filename = "";
	json_t *out = NULL;
	px_err rc = svc_import_queue(api_svc(r), http_query(r, "kind"), filename,
				     query_true(r, "dry_run"), r->body.data, r->body.len, &out);
	return api_reply(r, rc, 202, out);
}

px_err api_import_create(struct http_req *r)
{
	if (query_true(r, "async"))
		return import_queue(r);
	enum import_kind kind;
	px_err rc = import_kind_param(r, &kind);
	if (rc)
		return rc;
	/* Importing creates records: the caller must be allowed to create that kind. */
	if (perm_scope(API(r)->who.role,
		       kind == IMPORT_UNITS ? PERM_UNIT_WRITE : PERM_CADRE_WRITE) == SCOPE_NONE)
		return PX_ERR_FORBIDDEN;
	const char *filename = http_query(r, "filename");
	if (!filename || !utf8_valid(filename, strlen(filename)) || strlen(filename) > 200)
		filename = "";
	const char *dry = http_query(r, "dry_run");
	struct import_opts o = { .kind = kind,
				 .filename = filename,
				 .lang = r->lang,
				 .who = &API(r)->who,
				 .ip = r->ip,
				 .dry_run = dry && (!strcmp(dry, "1") || !strcmp(dry, "true")),
				 .keep_file = true };
	if (r->body.len == 0) {
		r->message = px_lang_is_en(r->lang) ? "The file is empty" : "上传的文件为空";
		return PX_ERR_BAD_FILE;
	}
	struct import_result res = { 0 };
	problems_init(&res.problems);
	rc = import_run(API(r)->db, &API(r)->app->keys, r->body.data, r->body.len, &o, &res);
	if (!rc) {
		rc = http_reply_json(r, o.dry_run ? 200 : 201,
				     json_pack("{sI ss ss ss sI sI si}", "id", (json_int_t)res.id,
					       "kind", import_kind_name(kind), "status",
					       o.dry_run ? "checked" : "imported", "format",
					       res.format ? res.format : "", "total_rows",
					       (json_int_t)res.total_rows, "imported_rows",
					       (json_int_t)res.imported_rows, "error_count", 0));
	} else if (rc == PX_ERR_IMPORT_REJECTED) {
		problems_release(&r->problems);
		r->problems = res.problems; /* the reply owns them now */
		problems_init(&res.problems);
		r->error_extra = json_pack("{sI sI sI}", "import_id", (json_int_t)res.id,
					   "total_rows", (json_int_t)res.total_rows, "error_count",
					   (json_int_t)problems_count(&r->problems));
	} else if (res.message[0]) {
		r->message = arena_strdup(&r->arena, res.message);
		if (res.id)
			r->error_extra = json_pack("{sI}", "import_id", (json_int_t)res.id);
	}
	problems_release(&res.problems);
	return rc;
}

/* An import run the caller may see: its own. */
static px_err own_import(struct http_req *r, struct import_record *rec)
{
	int64_t id;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = imports_get(API(r)->db, &r->arena, id, rec);
	if (!rc && rec->user_id != API(r)->who.user_id)
		rc = PX_ERR_NOT_FOUND;
	return rc;
}

px_err api_import_get(struct http_req *r)
{
	struct import_record rec;
	px_err rc = own_import(r, &rec);
	if (rc)
		return rc;
	json_t *errors = json_loads(rec.errors_json, 0, NULL);
	return http_reply_json(
		r, 200,
		json_pack("{sI so ss ss ss ss sI sI sI so sb}", "id", (json_int_t)rec.id, "at",
			  api_time_json(rec.at), "kind", rec.kind, "filename", rec.filename,
			  "format", rec.format, "status", rec.status, "total_rows",
			  (json_int_t)rec.total_rows, "imported_rows",
			  (json_int_t)rec.imported_rows, "error_count", (json_int_t)rec.error_count,
			  "errors", errors ? errors : json_array(), "has_report",
			  *rec.file_enc != '\0'));
}

px_err api_import_report(struct http_req *r)
{
	struct import_record rec;
	px_err rc = own_import(r, &rec);
	if (rc)
		return rc;
	struct buf out = BUF_INIT(0);
	rc = import_report(API(r)->db, &API(r)->app->keys, rec.id, r->lang, &out);
	if (!rc) {
		const char *base = *rec.filename ? rec.filename : "import";
		const char *name =
			arena_printf(&r->arena, "%s-%s.xlsx",
				     px_lang_is_en(r->lang) ? "errors" : "错误报告", base);
		rc = http_reply_bytes(r, 200, xlsx_type, out.data, out.len, name);
	}
	buf_release(&out);
	return rc;
}
