/*
 * online_import.c — online-academy hours (网络学院学时) into the hours ledger: the import and
 * its template (ledger.h; docs/ledger.md).
 *
 * The file is read once (files/sheet.h): the header is the first of the top rows that names
 * the ID-number column and at least one more (online_hours.h: the names platforms give
 * them), and every row after it is checked by online_hours_check, its ID number looked up
 * through the blind index among the cadres of the caller's scope for ledger.write (a number
 * outside it reads as unknown: an importer learns nothing of other regions), its name (when
 * the file has one) compared with the registry's. Then, over all rows: the same cadre,
 * course and day twice in the file; the course already in the ledger that day (the file was
 * imported before); more than 24 学时 on one day, the ledger's and the file's together.
 *
 * All or nothing: with any problem the run is recorded as rejected with every problem found
 * (the first 1000 kept), and nothing reaches the ledger. Else, in one transaction, each row
 * is appended as an entry (source and kind "online", the run's import_id, audited entry by
 * entry), each cadre it touched is judged again once, and the run is recorded.
 */
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/secret.h"
#include "domain/columns.h"
#include "domain/online_hours.h"
#include "files/sheet.h"
#include "files/xlsx_write.h"
#include "service/app.h"
#include "service/import_header.h"
#include "service/ledger.h"
#include "service/registry.h"
#include "store/accounts.h"
#include "store/ledger.h"
#include "store/registry.h"

#define ONLINE_MAX_BYTES (8u << 20)
#define ONLINE_MAX_ROWS  20000u
#define KEPT_PROBLEMS    1000

/* A checked row, waiting for the checks over the whole file. */
struct oh_row {
	int64_t cadre_id;
	long row;
	const char *course, *day, *platform;
	int64_t centi_hours;
};

struct oh_run {
	struct svc *c;
	struct field_ctx fc;
	int col[OH__COUNT]; /* 0-based column of each field, -1 when absent */
	uint32_t header_row;
	struct oh_row *rows;
	size_t n, cap;
	size_t total;  /* record rows read */
	char *message; /* a problem of the file as a whole */
	size_t message_size;
};

static bool en(const struct oh_run *r)
{
	return svc_en(r->c);
}

/* Whether row is the header: it names the ID number and at least one more column. */
static bool header_try(struct oh_run *r, const struct sheet_row *row)
{
	int col[OH__COUNT];
	for (int f = 0; f < OH__COUNT; f++)
		col[f] = -1;
	int named = 0;
	for (size_t i = 0; i < row->ncells; i++) {
		char folded[128];
		if (!column_fold(row->cells[i].text, row->cells[i].len, folded, sizeof folded))
			continue;
		int f = column_field(online_hours_fields, online_hours_column_names, OH__COUNT,
				     folded);
		if (f >= 0 && col[f] < 0) {
			col[f] = (int)i;
			named++;
		}
	}
	if (col[OH_ID_NUMBER] < 0 || named < 2)
		return false;
	memcpy(r->col, col, sizeof col);
	return true;
}

static const char *cell(const struct oh_run *r, const struct sheet_row *row, int f)
{
	int i = r->col[f];
	if (i < 0)
		return NULL;
	return (size_t)i < row->ncells ? row->cells[i].text : "";
}

/* The cadre of a valid ID number, inside the caller's scope (0: none there). */
static px_err cadre_of(struct oh_run *r, const struct online_hours_row *in, struct cadre_row *out,
		       int64_t *id)
{
	char hash[33];
	secret_blind_index(svc_keys(r->c), in->id_number, strlen(in->id_number), hash);
	px_err rc = cadres_id_hash_cadre(r->c->db, hash, id);
	if (rc || !*id)
		return rc;
	rc = cadres_get(r->c->db, r->c->arena, *id, out);
	if (rc == PX_ERR_NOT_FOUND) {
		*id = 0;
		return PX_OK;
	}
	if (!rc && !svc_may(r->c, PERM_LEDGER_WRITE,
			    &(struct scope_target){ .region_path = out->region_path,
						    .unit_id = out->c.unit_id,
						    .cadre_id = *id }))
		*id = 0;
	return rc;
}

static px_err on_row(void *ctx, const struct sheet_row *row)
{
	struct oh_run *r = ctx;
	if (!r->header_row) {
		if (header_try(r, row)) {
			r->header_row = row->number;
			const char *missing[OH__COUNT];
			int nm = 0;
			for (int f = 0; f < OH__COUNT; f++)
				if (online_hours_fields[f].required && r->col[f] < 0)
					missing[nm++] =
						field_label(&online_hours_fields[f], r->c->lang);
			if (nm) {
				size_t k = (size_t)snprintf(r->message, r->message_size, "%s",
							    en(r) ? "The file has no column for: "
								  : "文件缺少以下列:");
				for (int i = 0; i < nm && k < r->message_size; i++)
					k += (size_t)snprintf(
						r->message + k, r->message_size - k, "%s%s",
						i ? (en(r) ? ", " : "、") : "", missing[i]);
				return PX_ERR_BAD_FILE;
			}
		} else if (row->number >= IMPORT_HEADER_ROWS) {
			return PX_ERR_BAD_FILE;
		}
		return PX_OK;
	}
	if (import_row_is_example(row))
		return PX_OK;
	const char *cells[OH__COUNT];
	bool any = false;
	for (int f = 0; f < OH__COUNT; f++) {
		cells[f] = cell(r, row, f);
		if (cells[f] && cells[f][strspn(cells[f], " \t")])
			any = true;
	}
	/* a row without an ID number or a course is no record (合计, 填表人, a note) */
	bool id_or_course = (cells[OH_ID_NUMBER] && *cells[OH_ID_NUMBER]) ||
			    (cells[OH_COURSE] && *cells[OH_COURSE]);
	if (!any || !id_or_course)
		return PX_OK;
	if (++r->total > ONLINE_MAX_ROWS) {
		snprintf(r->message, r->message_size,
			 en(r) ? "More than %u rows: import them in several files"
			       : "文件超过 %u 行,请分成几个文件导入",
			 ONLINE_MAX_ROWS);
		return PX_ERR_TOO_LARGE;
	}
	r->fc.row = row->number;
	struct online_hours_row in;
	if (!online_hours_check(&r->fc, cells, &in))
		return PX_OK;
	struct cadre_row cadre;
	int64_t id = 0;
	px_err rc = cadre_of(r, &in, &cadre, &id);
	if (rc)
		return rc;
	if (!id) {
		problems_add(r->fc.pb, row->number, "id_number", "unknown",
			     en(r) ? "No cadre with this ID number in your registry"
				   : "您管理范围内的干部名册中没有此身份证号");
		return PX_OK;
	}
	if (*in.name && strcmp(in.name, cadre.c.name)) {
		problems_add(r->fc.pb, row->number, "name", "mismatch",
			     en(r) ? "The name “%s” is not the name registered with this ID number"
				   : "姓名“%s”与该身份证号登记的姓名不符",
			     in.name);
		return PX_OK;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		struct oh_row *bigger = arena_alloc(r->c->arena, cap * sizeof *bigger);
		if (r->n)
			memcpy(bigger, r->rows, r->n * sizeof *bigger);
		r->rows = bigger;
		r->cap = cap;
	}
	r->rows[r->n++] = (struct oh_row){ .cadre_id = id,
					   .row = row->number,
					   .course = in.course,
					   .day = in.completed_on,
					   .platform = in.platform,
					   .centi_hours = in.centi_hours };
	return PX_OK;
}

static int by_cadre_day(const void *a, const void *b)
{
	const struct oh_row *x = *(const struct oh_row *const *)a,
			    *y = *(const struct oh_row *const *)b;
	if (x->cadre_id != y->cadre_id)
		return x->cadre_id < y->cadre_id ? -1 : 1;
	int d = strcmp(x->day, y->day);
	if (d)
		return d;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* The checks over the whole file, a cadre's day at a time. */
static px_err check_days(struct oh_run *r, struct oh_row **by)
{
	for (size_t i = 0; i < r->n; i++)
		by[i] = &r->rows[i];
	qsort(by, r->n, sizeof *by, by_cadre_day);
	for (size_t i = 0; i < r->n;) {
		size_t j = i;
		while (j < r->n && by[j]->cadre_id == by[i]->cadre_id &&
		       !strcmp(by[j]->day, by[i]->day))
			j++;
		int64_t day_centi = 0;
		for (size_t k = i; k < j; k++) {
			bool dup = false;
			for (size_t m = i; m < k && !dup; m++)
				if (!strcmp(by[m]->course, by[k]->course)) {
					problems_add(r->fc.pb, by[k]->row, "course", "duplicate",
						     en(r) ? "The same course and day as row %ld"
							   : "与第 %ld 行的课程和完成日期重复",
						     by[m]->row);
					dup = true;
				}
			int64_t before;
			bool same;
			px_err rc = ledger_online_day(r->c->db, by[k]->cadre_id, by[k]->day,
						      by[k]->course, &before, &same);
			if (rc)
				return rc;
			if (same && !dup)
				problems_add(
					r->fc.pb, by[k]->row, "course", "already_credited",
					en(r) ? "This course is in the cadre's ledger for that day "
						"already (was the file imported before?)"
					      : "该课程在此完成日期已计入学时档案(文件是否已导入过?"
						")");
			if (k == i)
				day_centi = before;
			if (!dup)
				day_centi += by[k]->centi_hours;
		}
		if (day_centi > OH_DAY_MAX_CENTI && en(r))
			problems_add(
				r->fc.pb, by[j - 1]->row, "hours", "absurd_day",
				"%.2f online hours on %s for this cadre: a day holds 24 at most",
				(double)day_centi / 100.0, by[i]->day);
		else if (day_centi > OH_DAY_MAX_CENTI)
			problems_add(r->fc.pb, by[j - 1]->row, "hours", "absurd_day",
				     "该干部 %s 的网络学时合计 %.2f,超过一天 24 学时", by[i]->day,
				     (double)day_centi / 100.0);
		i = j;
	}
	return PX_OK;
}

/* The problems as the run keeps them (imports.errors_json): the first KEPT_PROBLEMS. */
static char *problems_text(const struct problems *pb)
{
	json_t *a = json_array();
	for (size_t i = 0; i < pb->n && i < KEPT_PROBLEMS; i++) {
		const struct problem *p = &pb->items[i];
		json_array_append_new(a, json_pack("{sI ss ss ss}", "row", (json_int_t)p->row,
						   "field", p->field ? p->field : "", "code",
						   p->code ? p->code : "", "message",
						   p->message ? p->message : ""));
	}
	char *s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return s;
}

static px_err append_all(struct oh_run *r, int64_t import_id, struct oh_row **by,
			 struct online_import_result *res)
{
	struct svc *c = r->c;
	px_err rc = PX_OK;
	for (size_t i = 0; !rc && i < r->n; i++) {
		const struct oh_row *o = &r->rows[i];
		struct ledger_entry_in in = { .cadre_id = o->cadre_id,
					      .hours_kind = "online",
					      .source = "online",
					      .title = o->course,
					      .organizer = o->platform,
					      .end_date = o->day,
					      .centi_hours = o->centi_hours,
					      .import_id = import_id,
					      .judge_later = true };
		rc = svc_ledger_append_tx(c, &in, NULL);
		res->centi_hours += o->centi_hours;
	}
	/* by[] is sorted by cadre: each one judged once */
	for (size_t i = 0; !rc && i < r->n; i++)
		if (!i || by[i]->cadre_id != by[i - 1]->cadre_id) {
			rc = svc_ledger_reevaluate_tx(c, by[i]->cadre_id);
			res->cadres++;
		}
	return rc;
}

px_err svc_online_import(struct svc *c, const char *filename, const void *data, size_t len,
			 bool dry_run, struct online_import_result *res)
{
	memset(res, 0, sizeof *res);
	if (!svc_has(c, PERM_LEDGER_WRITE))
		return PX_ERR_FORBIDDEN;
	if (!len)
		return svc_fail(c, PX_ERR_BAD_FILE, "文件是空的", "The file is empty");
	if (len > ONLINE_MAX_BYTES)
		return svc_fail(c, PX_ERR_TOO_LARGE, "文件超过 8 MB,请分成几个文件导入",
				"The file is larger than 8 MB: import it in several files");
	struct oh_run r = { .c = c,
			    .fc = { .pb = c->problems,
				    .arena = c->arena,
				    .lang = c->lang,
				    .today = date_today_cst() },
			    .message = res->message,
			    .message_size = sizeof res->message };
	struct import_record rec = { .at = time_now(),
				     .user_id = c->who->shell ? 0 : c->who->user_id,
				     .kind = "online_hours",
				     .filename = filename ? filename : "" };
	px_err rc = imports_start(c->db, &rec, c->who->shell ? 0 : c->app->import_runs_per_hour,
				  &res->retry_at);
	if (rc == PX_ERR_RATE_LIMITED)
		return svc_fail(c, rc, "导入过于频繁,请稍后再试",
				"Too many imports: try again later");
	if (rc)
		return rc;
	res->id = rec.id;
	struct sheet_options so = { .lang = c->lang,
				    .limits = { .max_rows = ONLINE_MAX_ROWS * 2,
						.max_total_bytes = 16u * ONLINE_MAX_BYTES } };
	struct sheet_result sr = { 0 };
	rc = sheet_read(data, len, &so, on_row, &r, &sr);
	res->format = sr.format == SHEET_FORMAT_XLSX ? "xlsx" : "csv";
	if (!rc && !r.header_row)
		rc = PX_ERR_BAD_FILE;
	if (rc == PX_ERR_BAD_FILE && !r.header_row && !res->message[0])
		snprintf(res->message, sizeof res->message, "%s",
			 svc_text(c,
				  "找不到表头:文件前 10 行中应有一行写明 "
				  "身份证号、课程名称、学时、完成日期",
				  "No header found: one of the first 10 rows must name the columns "
				  "ID number, course, hours and completed on"));
	else if (rc && !res->message[0] && sr.message[0])
		snprintf(res->message, sizeof res->message, "%s", sr.message);
	struct oh_row **by = arena_alloc(c->arena, (r.n + 1) * sizeof *by);
	if (!rc)
		rc = check_days(&r, by);
	res->total_rows = r.total;
	if (!rc && !r.total && !problems_count(c->problems)) {
		snprintf(res->message, sizeof res->message, "%s",
			 svc_text(c, "文件中没有学时记录", "The file holds no rows of hours"));
		rc = PX_ERR_BAD_FILE;
	}
	if (!rc && problems_count(c->problems))
		rc = PX_ERR_IMPORT_REJECTED;
	/* the entries and the run's record commit together */
	bool writing = !rc && !dry_run;
	px_err wr = writing ? svc_begin(c) : PX_OK;
	if (writing && !wr)
		wr = append_all(&r, rec.id, by, res);
	if (writing && !wr)
		res->imported_rows = r.n;
	else if (writing) {
		store_rollback(c->db);
		res->centi_hours = 0;
	}
	char *errors = problems_text(c->problems);
	rec.status = rc == PX_ERR_IMPORT_REJECTED ? "rejected"
		     : rc || wr                   ? "failed"
		     : dry_run                    ? "checked"
						  : "imported";
	rec.total_rows = (int64_t)r.total;
	rec.imported_rows = (int64_t)res->imported_rows;
	rec.error_count = (int64_t)problems_count(c->problems);
	rec.errors_json = errors ? errors : "[]";
	rec.format = res->format;
	rec.file_enc = "";
	px_err rr = writing && !wr ? PX_OK : svc_begin(c);
	if (!rr)
		rr = imports_finish(c->db, &rec);
	json_t *after =
		json_pack("{ss ss ss sI sI sI sf}", "kind", rec.kind, "filename", rec.filename,
			  "status", rec.status, "total_rows", (json_int_t)rec.total_rows,
			  "imported_rows", (json_int_t)rec.imported_rows, "error_count",
			  (json_int_t)rec.error_count, "hours", (double)res->centi_hours / 100.0);
	rr = svc_commit(c, rr, "import", "import", rec.id, NULL, after);
	json_decref(after);
	free(errors);
	if (rr && writing && !wr)
		res->imported_rows = 0;
	if (rc == PX_ERR_IMPORT_REJECTED)
		return svc_fail(
			c, rc, "导入未执行:文件中有错误行,请按下表逐行修改后重新导入",
			"Nothing was imported: correct the rows listed below and upload again");
	if (rc)
		return rc;
	return wr ? wr : rr;
}

/* ---- the template ---- */

static const char *const help_zh[] = {
	"网络学院学时导入说明",
	"1. 每行一条学习记录:身份证号、课程名称、学时、完成日期必填;姓名、学习平台可不填。",
	("2. 可直接上传网络学院平台导出的 Excel 或 CSV:列的顺序不限,常见列名(身份证号码、课程、"
	 "获得学时、完成时间等)都能识别;第一列为“示例:”的行不会导入。"),
	"3. 学时可带两位小数,须大于 0,一天最多 24 学时;完成日期不能晚于今天。",
	"4. 同一干部同一课程同一完成日期只能有一行,已导入过的记录不会重复计入。",
	"5. 任一行有误则整个文件都不导入,系统会列出每一行的问题,改正后重新上传即可。",
};
static const char *const help_en[] = {
	"Importing online-academy hours",
	("1. One completed course per row: ID number, course, hours and completed on are "
	 "required; name and platform may be left empty."),
	("2. A platform's own Excel or CSV export can be uploaded as it is: columns in any order, "
	 "their usual names are recognized; a row whose first cell starts with \"Example:\" is "
	 "not imported."),
	"3. Hours take up to two decimals, above 0, at most 24 a day; the date not after today.",
	"4. One row per cadre, course and day; a record imported before is not counted again.",
	("5. If any row is wrong nothing is imported: every row's problem is listed; correct them "
	 "and upload again."),
};

px_err svc_online_template(struct svc *c, struct buf *out)
{
	if (!svc_has(c, PERM_LEDGER_WRITE))
		return PX_ERR_FORBIDDEN;
	bool e = svc_en(c);
	struct xlsx_column cols[OH__COUNT] = { { 0 } };
	static const enum xlsx_col_kind kinds[OH__COUNT] = {
		[OH_ID_NUMBER] = XLSX_COL_TEXT,    [OH_NAME] = XLSX_COL_TEXT,
		[OH_COURSE] = XLSX_COL_TEXT,       [OH_HOURS] = XLSX_COL_DECIMAL,
		[OH_COMPLETED_ON] = XLSX_COL_DATE, [OH_PLATFORM] = XLSX_COL_TEXT,
	};
	static const double widths[OH__COUNT] = { 22, 10, 36, 8, 12, 20 };
	for (int f = 0; f < OH__COUNT; f++) {
		cols[f].header = field_label(&online_hours_fields[f], c->lang);
		cols[f].required = online_hours_fields[f].required;
		cols[f].kind = kinds[f];
		cols[f].width = widths[f];
	}
	struct xlsx_value ex[OH__COUNT] = {
		[OH_ID_NUMBER] = xlsx_text(e ? IMPORT_EXAMPLE_EN "350583198001010011"
					     : IMPORT_EXAMPLE_ZH "350583198001010011"),
		[OH_NAME] = xlsx_text(e ? "Zhang San" : "张三"),
		[OH_COURSE] =
			xlsx_text(e ? "Studying the Party's theory" : "深入学习贯彻党的创新理论"),
		[OH_HOURS] = xlsx_number(2.5),
		[OH_COMPLETED_ON] = xlsx_date(date_today_cst()),
		[OH_PLATFORM] = xlsx_text(e ? "China Cadre Network Academy" : "中国干部网络学院"),
	};
	struct xlsx_writer *w;
	px_err rc = xlsx_writer_new(NULL, &w);
	if (rc)
		return rc;
	rc = xlsx_writer_add_sheet(w, e ? "Online hours" : "网络学院学时", cols, OH__COUNT);
	if (!rc)
		rc = xlsx_writer_add_row(w, ex, OH__COUNT, XLSX_ROW_EXAMPLE);
	if (!rc)
		rc = xlsx_writer_add_text_sheet(w, e ? "Instructions" : "填写说明",
						e ? help_en : help_zh,
						sizeof help_zh / sizeof help_zh[0]);
	if (rc) {
		xlsx_writer_free(w);
		return rc;
	}
	return xlsx_writer_finish(w, out);
}

/* ---- the reply ---- */

static const struct view_field result_fields[] = {
	{ "id", VIEW_INT, "The import run (GET /api/v1/imports/{id})" },
	{ "kind", VIEW_TEXT, "online_hours" },
	{ "status", VIEW_TEXT, "imported, or checked (a dry run)" },
	{ "format", VIEW_TEXT, "xlsx or csv" },
	{ "total_rows", VIEW_INT, "Rows read as records" },
	{ "imported_rows", VIEW_INT, "Entries appended to the ledger (0 in a dry run)" },
	{ "cadres", VIEW_INT, "Cadres whose standing was judged again" },
	{ "hours", VIEW_NUMBER, "学时 appended" },
	{ "error_count", VIEW_INT, "0" },
};
const struct view_spec svc_online_import_shape = VIEW_SPEC("OnlineHoursImport", result_fields);

json_t *svc_online_import_view(const struct online_import_result *res, bool dry_run)
{
	return json_pack("{sI ss ss ss sI sI sI sf si}", "id", (json_int_t)res->id, "kind",
			 "online_hours", "status", dry_run ? "checked" : "imported", "format",
			 res->format ? res->format : "", "total_rows", (json_int_t)res->total_rows,
			 "imported_rows", (json_int_t)res->imported_rows, "cadres",
			 (json_int_t)res->cadres, "hours", (double)res->centi_hours / 100.0,
			 "error_count", 0);
}
