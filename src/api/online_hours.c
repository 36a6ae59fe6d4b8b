/*
 * online_hours.c — /api/v1/ledger/imports/online: an online-academy hours file (网络学院学时)
 * into the hours ledger, all or nothing, and its template (service/ledger.h).
 *
 * The upload is the raw file as the body (8 MB at most), the file's name and dry_run in the
 * query, as for registry imports. A refused file answers 422 import_rejected with one detail
 * per problem ({row, field, code, message}) and the import_id of the run.
 */
#include <stddef.h>

#include "api/api.h"
#include "api/query.h"
#include "service/ledger.h"

static const char xlsx_type[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

struct online_query {
	const char *filename;
	int dry_run;
};

/* clang-format off */
static const struct query_field online_query_fields[] = {
	{ "filename", QUERY_TEXT, offsetof(struct online_query, filename), NULL, 0, 0, "The file's name, for the run" },
	{ "dry_run", QUERY_BOOL, offsetof(struct online_query, dry_run), NULL, 0, 0, "1: check every row, write nothing (200)" },
};
/* clang-format on */
const struct query_spec api_online_import_query = QUERY_SPEC(online_query_fields);

px_err api_online_template(struct http_req *r)
{
	struct buf out = BUF_INIT(0);
	px_err rc = svc_online_template(api_svc(r), &out);
	if (!rc)
		rc = http_reply_bytes(r, 200, xlsx_type, out.data, out.len,
				      px_lang_is_en(r->lang) ? "online-hours-template.xlsx"
							     : "网络学院学时导入模板.xlsx");
	buf_release(&out);
	return rc;
}

px_err api_online_import(struct http_req *r)
{
	struct online_query q = { .filename = "" };
	px_err rc = api_query(r, &api_online_import_query, &q);
	if (rc)
		return rc;
	struct online_import_result res;
	rc = svc_online_import(api_svc(r), q.filename, r->body.data, r->body.len, q.dry_run, &res);
	if (!rc)
		return http_reply_json(r, q.dry_run ? 200 : 201,
				       svc_online_import_view(&res, q.dry_run));
	if (rc == PX_ERR_IMPORT_REJECTED) {
		r->error_extra = json_pack("{sI sI sI}", "import_id", (json_int_t)res.id,
					   "total_rows", (json_int_t)res.total_rows, "error_count",
					   (json_int_t)problems_count(&r->problems));
	} else if (res.message[0]) {
		r->message = arena_strdup(&r->arena, res.message);
		if (res.id)
			r->error_extra = json_pack("{sI}", "import_id", (json_int_t)res.id);
	}
	return rc;
}
