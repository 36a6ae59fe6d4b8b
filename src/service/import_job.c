/*
 * import_job.c — a large import as a job of kind registry.import (see import_job.h and
 * jobs.h).
 *
 * The upload is sealed with the personal-data key into the job's row (nothing personal in
 * clear in the database) and emptied when the job ends. The run is import_run, exactly as a
 * synchronous import runs it, with the creator's scope and language; its result carries
 * what the synchronous reply carries: the import's counts when it went in, or the error
 * with its row-by-row details (and the id of the import run, whose report is one GET away)
 * when it was rejected. An import is one transaction, so it cannot stop half-way: once
 * started it is not cancelled, and one whose server died is not run again (its
 * transaction was rolled back, or had committed just before): the import log says which.
 */
#include "service/import_job.h"

#include <stddef.h>
#include <string.h>

#include "service/app.h"
#include "service/importer.h"
#include "service/jobs.h"
#include "store/jobs.h"

px_err svc_import_queue(struct svc *c, const char *kind, const char *filename, bool dry_run,
			const void *data, size_t n, json_t **out, int64_t *retry_at)
{
	*retry_at = 0;
	enum import_kind k;
	if (!import_kind_from(kind, &k)) {
		svc_problem(c, "kind", "invalid", "导入类型须为 cadres(干部)或 units(单位)",
			    "kind must be cadres or units");
		return PX_ERR_INVALID;
	}
	/* Importing creates records: the caller must be allowed to create that kind. */
	if (!svc_has(c, k == IMPORT_UNITS ? PERM_UNIT_WRITE : PERM_CADRE_WRITE))
		return PX_ERR_FORBIDDEN;
	if (n == 0)
		return svc_fail(c, PX_ERR_BAD_FILE, "上传的文件为空", "The file is empty");
	/* the hourly limit, counting the imports this account has queued already */
	int64_t pending = 0;
	px_err rc = c->who->shell ? PX_OK
				  : jobs_unfinished(c->db, c->who->user_id,
						    job_registry_import.name, &pending);
	if (!rc)
		rc = svc_import_allowed(c, pending, retry_at);
	if (rc)
		return rc;
	json_t *params = json_pack("{ss ss sb}", "kind", import_kind_name(k), "filename",
				   filename ? filename : "", "dry_run", dry_run);
	int64_t id = 0;
	rc = jobs_enqueue(c, &job_registry_import, params, data, n, &id);
	if (!rc)
		*out = json_pack("{sI ss ss}", "job_id", (json_int_t)id, "status", "queued", "kind",
				 import_kind_name(k));
	return rc;
}

/* The row-by-row problems as the error envelope's details. */
static json_t *details_json(struct svc *c, const struct problems *pb)
{
	json_t *details = json_array();
	for (size_t i = 0; i < pb->n; i++) {
		const struct problem *p = &pb->items[i];
		json_t *d = json_object();
		if (p->row)
			json_object_set_new(d, "row", json_integer(p->row));
		if (p->field)
			json_object_set_new(d, "field", json_string(p->field));
		if (p->code)
			json_object_set_new(d, "code", json_string(p->code));
		json_object_set_new(d, "message", json_string(p->message));
		json_array_append_new(details, d);
	}
	if (pb->dropped)
		json_array_append_new(details, json_pack("{ss sI ss}", "code", "more", "count",
							 (json_int_t)pb->dropped, "message",
							 svc_text(c, "其余问题未列出",
								  "further problems not listed")));
	return details;
}

static const struct view_field problem_fields[] = {
	{ "row", VIEW_INT, "The file's row", NULL, true },
	{ "field", VIEW_TEXT, "The column's field", NULL, true },
	{ "code", VIEW_TEXT, "What is wrong, as a code (more: the problems not listed)", NULL,
	  true },
	{ "message", VIEW_TEXT, "What is wrong, in the creator's language" },
	{ "count", VIEW_INT, "How many were not listed (code more)", NULL, true },
};
static const struct view_spec problem_shape = VIEW_SPEC("ImportProblem", problem_fields);

/* An import job's result: the run (GET /imports/{id}) when it went in or was checked, else
 * the error with its row-by-row details. */
static const struct view_field result_fields[] = {
	{ "id", VIEW_INT, "The import run", NULL, true },
	{ "kind", VIEW_TEXT, "cadres or units", NULL, true },
	{ "status", VIEW_TEXT, "imported, or checked (a dry run)", NULL, true },
	{ "format", VIEW_TEXT, "xlsx or csv", NULL, true },
	{ "total_rows", VIEW_INT, "Rows read", NULL, true },
	{ "imported_rows", VIEW_INT, "Rows imported", NULL, true },
	{ "error_count", VIEW_INT, "Rows refused", NULL, true },
	{ "code", VIEW_TEXT, "Why it failed (import_rejected: rows were wrong, nothing went in)",
	  NULL, true },
	{ "message", VIEW_TEXT, "The failure, in the creator's language", NULL, true },
	{ "details", VIEW_OBJECTS, "Its problems", &problem_shape, true },
	{ "import_id", VIEW_INT, "The run that was refused (its error report)", NULL, true },
	{ "explanation", VIEW_TEXT, "Why the run was lost with its server (server_lost)", NULL,
	  true },
	{ "summary", VIEW_OBJECTS, "A refused file's problems by kind", &svc_import_kind_shape,
	  true },
	{ "ignored_columns", VIEW_TEXTS, "Header cells that name no column (not imported)", NULL,
	  true },
	{ "ignored_message", VIEW_TEXT, "The same in words; \"\" when none", NULL, true },
	{ "skipped_rows", VIEW_OBJECTS, "Rows that are no records, skipped",
	  &svc_import_skipped_shape, true },
	{ "skipped_count", VIEW_INT, "How many rows were skipped", NULL, true },
};
const struct view_spec job_registry_import_result = VIEW_SPEC("ImportJobResult", result_fields);

static px_err import_job_run(struct job_run *j)
{
	struct svc *c = j->c;
	enum import_kind kind;
	if (!import_kind_from(json_string_value(json_object_get(j->params, "kind")), &kind))
		return PX_ERR_INVALID;
	/* as at queuing, with the creator's rights as they are now (the runner re-read them) */
	if (!svc_has(c, kind == IMPORT_UNITS ? PERM_UNIT_WRITE : PERM_CADRE_WRITE)) {
		j->result = json_pack(
			"{ss ss}", "code", px_err_code(PX_ERR_FORBIDDEN), "explanation",
			svc_text(c, "创建该任务的账号已无权导入此类记录,任务未运行",
				 "The account that queued this import may no longer create such "
				 "records; the import was not run"));
		return PX_ERR_FORBIDDEN;
	}
	bool dry_run = json_is_true(json_object_get(j->params, "dry_run"));
	const char *filename = json_string_value(json_object_get(j->params, "filename"));
	struct import_opts o = { .kind = kind,
				 .filename = filename ? filename : "",
				 .dry_run = dry_run,
				 .keep_file = true };
	struct import_result res = { 0 };
	problems_init(&res.problems);
	px_err rc = j->input ? svc_import(c, &o, j->input, j->input_len, &res) : PX_ERR_BAD_FILE;
	if (!rc) {
		j->result = json_pack("{sI ss ss ss sI sI si}", "id", (json_int_t)res.id, "kind",
				      import_kind_name(kind), "status",
				      dry_run ? "checked" : "imported", "format",
				      res.format ? res.format : "", "total_rows",
				      (json_int_t)res.total_rows, "imported_rows",
				      (json_int_t)res.imported_rows, "error_count", 0);
		json_object_update_new(j->result, svc_import_notes(c, kind, &res, false));
	} else {
		const char *message = res.message[0] ? res.message : px_err_message(rc, c->lang);
		j->result = json_pack("{ss ss so}", "code", px_err_code(rc), "message", message,
				      "details", details_json(c, &res.problems));
		if (rc == PX_ERR_IMPORT_REJECTED) {
			json_object_update_new(
				j->result,
				json_pack("{sI sI sI}", "import_id", (json_int_t)res.id,
					  "total_rows", (json_int_t)res.total_rows, "error_count",
					  (json_int_t)problems_count(&res.problems)));
			json_object_update_new(j->result, svc_import_notes(c, kind, &res, true));
		} else if (res.id) {
			json_object_set_new(j->result, "import_id", json_integer(res.id));
		}
	}
	import_result_release(&res);
	return rc;
}

const struct job_kind job_registry_import = {
	.name = "registry.import",
	.perm = PERM_IMPORT,
	.cap = offsetof(struct app, jobs_import_max),
	.run = import_job_run,
	.stoppable = false,
	.max_attempts = 1,
	.per_user = 3,
	.busy_zh = "您已有 3 个导入任务在排队或运行,请等其中一个完成后再试",
	.busy_en = "You already have 3 imports queued or running; wait for one to finish",
	.lost_zh = "导入任务所在的服务器在报告结果前意外停止。导入要么整体完成、要么完全未做:"
		   "请在导入记录中查看是否已导入,未导入时请重新上传",
	.lost_en = "The server importing this file stopped before it reported back. An import "
		   "is all or nothing: see the import log for whether it went in, and upload the "
		   "file again if it did not",
};
