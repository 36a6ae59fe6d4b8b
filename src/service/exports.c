/*
 * exports.c — spreadsheets out of the registry: see exports.h.
 *
 * The template carries the header (required columns in red), cell formats (ID and phone
 * numbers as text, dates as dates), dropdowns of the vocabularies and of the units in the
 * caller's scope, and a sheet of instructions. The error report reads the rejected file
 * again (kept encrypted with its run) and writes each row beside its problems, the bad
 * cells marked. Exports page through the list by id (keyset), so a million rows cost
 * memory for one page only.
 */
#include "service/exports.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/mem.h"
#include "domain/cadre.h"
#include "domain/enums.h"
#include "domain/mask.h"
#include "domain/unit.h"
#include "files/sheet.h"
#include "files/xlsx_write.h"
#include "service/app.h"
#include "service/import_header.h"
#include "store/accounts.h"

/* ---- template ------------------------------------------------------------------------- */

/* NULL-terminated labels of a vocabulary in the language, from the arena. */
static const char *const *enum_choices(struct arena *a, const struct enum_table *t,
				       const char *lang)
{
	const char **v = arena_alloc(a, (t->n + 1) * sizeof *v);
	for (size_t i = 0; i < t->n; i++)
		v[i] = px_lang_is_en(lang) ? t->items[i].en : t->items[i].zh;
	return v;
}

static enum xlsx_col_kind cadre_col_kind(int f)
{
	switch (f) {
	case CF_ID_NUMBER:
	case CF_PHONE: return XLSX_COL_TEXT;
	case CF_BIRTH_DATE:
	case CF_POST_DATE:
	case CF_PROMOTION_DATE: return XLSX_COL_DATE;
	default: return XLSX_COL_GENERAL;
	}
}

static const char *const cadre_help_zh[] = {
	"干部信息导入说明",
	"1. 请在「干部名册」工作表中逐行填写,第一行为表头,请勿修改或删除表头;列的顺序可以调整。",
	"2. 红色表头为必填列:姓名、身份证号、单位、职级层次、干部类别。",
	"3. 身份证号须为 18 "
	"位并通过校验位检查;性别和出生日期可不填,系统按身份证号自动识别,填写时须与身份证号一致。",
	"4. 单位须填写系统中已有的单位全称或简称(可从下拉列表选择);单位联络员可不填,默认为本单位。",
	"5. 日期格式为 2023-02-18,也可写作 2023/2/18 或 2023年2月18日。",
	"6. "
	"导入要么全部成功,要么全部不导入:任何一行有错,系统会给出逐行错误报告("
	"可下载带「错误说明」列的 Excel),修改后重新导入即可。",
	"7. 同一身份证号在文件中或系统中已存在时不能重复导入。也可保存为 CSV(UTF-8 或 GBK "
	"编码均可)后导入。",
	"8. 第 2 行是填写示例(灰色斜体,姓名以「示例：」开头),导入时自动跳过,可以保留,也可以删除;"
	"照着示例填写自己的数据时,请写在下面的行里。",
};
static const char *const cadre_help_en[] = {
	"Importing cadres",
	"1. Fill in one cadre per row on the first sheet. Keep the header row; columns may be "
	"reordered.",
	"2. Columns with a red header are required: name, ID number, unit, rank level, category.",
	"3. The ID number must have 18 characters and a valid check digit. Gender and birth date "
	"may be left empty: they are read from the ID number; if given, they must agree with it.",
	"4. The unit must be the full or short name of a unit in the system (pick it from the "
	"list). Unit liaisons may leave it empty for their own unit.",
	"5. Dates look like 2023-02-18 (2023/2/18 and 2023年2月18日 work too).",
	"6. An import is all or nothing: if any row is wrong, nothing is imported and you get a "
	"row-by-row error report (an Excel file with an error column). Fix the rows and import "
	"again.",
	"7. An ID number already in the file or in the system cannot be imported twice. A CSV file "
	"(UTF-8 or GBK) works as well.",
	"8. Row 2 is an example (grey italics, its name begins with \"Example:\"). The import "
	"skips "
	"it: keep it or delete it, and write your own rows below it.",
};
static const char *const unit_help_zh[] = {
	"单位信息导入说明",
	"1. 请在第一个工作表中逐行填写,第一行为表头,请勿修改表头。",
	("2. 红色表头为必填列:单位名称、单位类型、所属地区(组织部管理员可不填所属地区,"
	 "默认为本地区)。"),
	"3. 单位类型可选:乡镇、街道、开发区(园区)、市直部门、国有企业、事业单位、其他。",
	"4. 主导产业可填写多个,用顿号或逗号分隔,如:石材、水暖。",
	"5. 同一地区内单位名称不能重复;导入要么全部成功,要么全部不导入,并给出逐行错误报告。",
	"6. 第 2 "
	"行是填写示例(灰色斜体,单位名称以「示例：」开头),导入时自动跳过,可以保留,也可以删除。",
};
static const char *const unit_help_en[] = {
	"Importing units",
	"1. Fill in one unit per row on the first sheet. Keep the header row.",
	"2. Columns with a red header are required: name, type and region (organization admins may "
	"leave the region empty for their own).",
	"3. Unit types: township, sub-district, development zone / park, city department, "
	"state-owned enterprise, public institution, other.",
	"4. Several industries may be listed, separated by commas.",
	"5. Unit names must be unique within a region. An import is all or nothing, with a "
	"row-by-row error report.",
	"6. Row 2 is an example (grey italics, its name begins with \"Example:\"). The import "
	"skips "
	"it: keep it or delete it.",
};

/* Unit names in scope (for the template's dropdown), NULL-terminated, from the arena. */
static const char *const *unit_choices(struct store *db, struct arena *a,
				       const struct scope_filter *scope)
{
	struct unit_query q = { .scope = *scope, .page = 1, .page_size = 5000 };
	struct unit_row *items;
	size_t n = 0;
	int64_t total;
	if (units_list(db, a, &q, &items, &n, &total))
		n = 0;
	const char **v = arena_alloc(a, (n + 1) * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = items[i].u.name;
	return v;
}

/* The template's example row (grey, its name marked 示例：, skipped by the import:
 * import_header.h), in the language; the unit is the first the caller may fill in. */
static void example_row(enum import_kind kind, const char *lang, const struct xlsx_column *cols,
			struct xlsx_value *v)
{
	bool en = px_lang_is_en(lang);
	for (int f = 0; f < IMPORT_MAX_FIELDS; f++)
		v[f] = xlsx_text("");
	if (kind == IMPORT_CADRES) {
		const char *unit = cols[CF_UNIT].choices && cols[CF_UNIT].choices[0]
					   ? cols[CF_UNIT].choices[0]
					   : (en ? "Xiamei Sub-district" : "溪美街道");
		v[CF_NAME] =
			xlsx_text(en ? IMPORT_EXAMPLE_EN "Zhang San" : IMPORT_EXAMPLE_ZH "张三");
		v[CF_GENDER] = xlsx_text(enum_label(&enum_gender, "M", lang));
		v[CF_BIRTH_DATE] = xlsx_date(date_from_ymd(1985, 6, 1));
		v[CF_ID_NUMBER] = xlsx_text("350583198506011239"); /* its check digit holds */
		v[CF_PHONE] = xlsx_text("13800000000");
		v[CF_UNIT] = xlsx_text(unit);
		v[CF_POST] = xlsx_text(en ? "Party secretary" : "党工委书记");
		v[CF_IS_HEAD] = xlsx_text(en ? "yes" : "是");
		v[CF_RANK_LEVEL] =
			xlsx_text(enum_label(&enum_rank_level, "township_section", lang));
		v[CF_GRADE] = xlsx_text(enum_label(&enum_grade, "principal_1", lang));
		v[CF_CATEGORY] = xlsx_text(enum_label(&enum_category, "party_gov_leader", lang));
		v[CF_POST_DATE] = xlsx_date(date_from_ymd(2021, 6, 1));
		v[CF_PROMOTION_DATE] = xlsx_date(date_from_ymd(2019, 3, 1));
		v[CF_STATUS] = xlsx_text(enum_label(&enum_status, "active", lang));
	} else {
		v[UF_NAME] = xlsx_text(en ? IMPORT_EXAMPLE_EN "Meishan Town"
					  : IMPORT_EXAMPLE_ZH "美山镇");
		v[UF_SHORT_NAME] = xlsx_text(en ? "Meishan" : "美山");
		v[UF_TYPE] = xlsx_text(enum_label(&enum_unit_type, "township", lang));
		v[UF_REGION] = xlsx_text(en ? "Nan'an City" : "南安市");
		v[UF_INDUSTRIES] = xlsx_text(en ? "stone, plumbing" : "石材、水暖");
		v[UF_CODE] = xlsx_text("");
		v[UF_SORT] = xlsx_number(10);
	}
}

px_err svc_import_template(struct svc *c, enum import_kind kind, struct buf *out)
{
	struct store *db = c->db;
	const struct principal *who = c->who;
	const char *lang = c->lang;
	struct arena a;
	arena_init(&a);
	int nf;
	const struct field_def *fields = import_kind_fields(kind, &nf);
	struct xlsx_column cols[IMPORT_MAX_FIELDS] = { { 0 } };
	struct scope_filter scope = svc_scope(c, PERM_IMPORT);
	static const char *const yes_no_zh[] = { "是", "否", NULL };
	static const char *const yes_no_en[] = { "yes", "no", NULL };
	for (int f = 0; f < nf; f++) {
		cols[f].header = field_label(&fields[f], lang);
		cols[f].required = fields[f].required;
		cols[f].width = 14;
	}
	if (kind == IMPORT_CADRES) {
		for (int f = 0; f < nf; f++)
			cols[f].kind = cadre_col_kind(f);
		cols[CF_ID_NUMBER].width = 22;
		cols[CF_UNIT].width = 24;
		cols[CF_POST].width = 18;
		cols[CF_GENDER].choices = enum_choices(&a, &enum_gender, lang);
		cols[CF_IS_HEAD].choices = px_lang_is_en(lang) ? yes_no_en : yes_no_zh;
		cols[CF_RANK_LEVEL].choices = enum_choices(&a, &enum_rank_level, lang);
		cols[CF_RANK_POSITION].choices = enum_choices(&a, &enum_rank_position, lang);
		cols[CF_GRADE].choices = enum_choices(&a, &enum_grade, lang);
		cols[CF_CATEGORY].choices = enum_choices(&a, &enum_category, lang);
		cols[CF_STATUS].choices = enum_choices(&a, &enum_status, lang);
		cols[CF_UNIT].choices = unit_choices(db, &a, &scope);
		if (scope.scope == SCOPE_UNIT)
			cols[CF_UNIT].required = false;
	} else {
		cols[UF_NAME].width = 26;
		cols[UF_TYPE].choices = enum_choices(&a, &enum_unit_type, lang);
		cols[UF_CODE].kind = XLSX_COL_TEXT;
		cols[UF_SORT].kind = XLSX_COL_INTEGER;
		if (who->region_id > 0)
			cols[UF_REGION].required = false;
	}
	bool en_lang = px_lang_is_en(lang);
	const char *sheet = kind == IMPORT_CADRES ? (en_lang ? "Cadres" : "干部名册")
						  : (en_lang ? "Units" : "单位");
	const char *const *help = kind == IMPORT_CADRES ? (en_lang ? cadre_help_en : cadre_help_zh)
							: (en_lang ? unit_help_en : unit_help_zh);
	size_t nhelp = kind == IMPORT_CADRES ? sizeof cadre_help_zh / sizeof cadre_help_zh[0]
					     : sizeof unit_help_zh / sizeof unit_help_zh[0];
	struct xlsx_value example[IMPORT_MAX_FIELDS];
	example_row(kind, lang, cols, example);
	struct xlsx_writer *w;
	px_err rc = xlsx_writer_new(NULL, &w);
	if (!rc)
		rc = xlsx_writer_add_sheet(w, sheet, cols, (size_t)nf);
	if (!rc)
		rc = xlsx_writer_add_row(w, example, (size_t)nf, XLSX_ROW_EXAMPLE);
	if (!rc)
		rc = xlsx_writer_add_text_sheet(w, en_lang ? "Instructions" : "填写说明", help,
						nhelp);
	if (!rc)
		rc = xlsx_writer_finish(w, out);
	else
		xlsx_writer_free(w);
	arena_release(&a);
	return rc;
}

/* ---- error report ------------------------------------------------------------------------ */

/*
 * The report is the uploaded sheet as it was — its title rows, its row numbers, every column
 * it used — with one column more, 错误说明, after the last column used anywhere in the sheet
 * (a note to the right of the table, a 备注 column left empty below its header: the error
 * text never lands in them). The kept file is read twice: once for the header and that last
 * column, once to write. A bad row is light red and its bad cells strong red; a row the
 * import skipped (合计, 填表人 …) is grey with the reason; problems of the header (a missing
 * column) head the error column. A second sheet sums the problems up by kind.
 */

struct report_note {
	long row;
	const char *field;   /* "" when none */
	const char *message; /* borrowed from the stored JSON */
	bool skipped;
	size_t order;
};

/* A row above the header (a title), kept from the first pass. */
struct report_title {
	uint32_t number;
	size_t ncells;
	const char **cells;
};

struct report {
	struct xlsx_writer *w;
	struct import_header h;
	const char *lang;
	struct arena arena; /* a row's */
	struct arena keep;  /* the titles' */
	uint32_t rows_seen;
	bool started; /* the sheet is there (the header written) */
	size_t width; /* cells of the widest row of the sheet */
	struct report_title titles[IMPORT_HEADER_ROWS];
	size_t ntitles;
	struct report_note *notes; /* by row */
	size_t nnotes, next;
	px_err err;
};

static int note_order(const void *a, const void *b)
{
	const struct report_note *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

/* The first pass: the header, and the widest row of the whole sheet. */
static px_err report_scan(void *ctx, const struct sheet_row *row)
{
	struct report *rp = ctx;
	if (row->ncells > rp->width)
		rp->width = row->ncells;
	if (rp->h.row || ++rp->rows_seen > IMPORT_HEADER_ROWS || import_header_try(&rp->h, row))
		return PX_OK;
	struct report_title *t = &rp->titles[rp->ntitles++];
	t->number = row->number;
	t->ncells = row->ncells;
	t->cells = arena_alloc(&rp->keep, (row->ncells + 1) * sizeof *t->cells);
	for (size_t c = 0; c < row->ncells; c++)
		t->cells[c] = arena_strndup(&rp->keep, row->cells[c].text, row->cells[c].len);
	return PX_OK;
}

/* The row's cells as text, `width` of them, and a free one after them. */
static struct xlsx_value *row_values(struct report *rp, const struct sheet_row *row)
{
	struct xlsx_value *vals = arena_alloc(&rp->arena, (rp->width + 1) * sizeof *vals);
	for (size_t c = 0; c < rp->width; c++)
		vals[c] = xlsx_text(sheet_row_cell(row, c)->text);
	vals[rp->width] = xlsx_text("");
	return vals;
}

/* The notes of rows before `row` are of rows the file does not have (any more): dropped. */
static void notes_upto(struct report *rp, long row)
{
	while (rp->next < rp->nnotes && rp->notes[rp->next].row < row)
		rp->next++;
}

static px_err report_header(struct report *rp, const struct sheet_row *row)
{
	bool en = px_lang_is_en(rp->lang);
	size_t n = rp->width + 1;
	struct xlsx_column *cols = xcalloc(n, sizeof *cols);
	for (size_t c = 0; c < rp->width; c++) {
		const char *t = sheet_row_cell(row, c)->text;
		cols[c].header = *t ? t : " ";
		cols[c].kind = XLSX_COL_TEXT;
		cols[c].width = 14;
	}
	/* Wider columns where the values are long. */
	static const int wide[] = { CF_ID_NUMBER, CF_UNIT, CF_POST };
	for (size_t k = 0; rp->h.fields == cadre_fields && k < sizeof wide / sizeof wide[0]; k++)
		if (rp->h.col[wide[k]] >= 0)
			cols[rp->h.col[wide[k]]].width = 22;
	/* the header's own problems (a missing column) head the error column */
	struct buf head = BUF_INIT(16384);
	buf_puts(&head, en ? "Errors" : "错误说明");
	notes_upto(rp, row->number);
	for (bool first = true;
	     rp->next < rp->nnotes && rp->notes[rp->next].row == (long)row->number; rp->next++) {
		buf_puts(&head, first ? (en ? ": " : ":") : (en ? "; " : ";"));
		buf_puts(&head, rp->notes[rp->next].message);
		first = false;
	}
	cols[n - 1].header = head.data;
	cols[n - 1].width = 60;
	cols[n - 1].required = true;
	px_err rc = xlsx_writer_add_sheet_at(rp->w, en ? "Error report" : "错误报告", cols, n,
					     row->number - 1);
	free(cols);
	buf_release(&head);
	rp->started = !rc;
	/* the title rows above it, as they were */
	for (size_t i = 0; !rc && i < rp->ntitles; i++) {
		const struct report_title *t = &rp->titles[i];
		struct xlsx_value *vals = arena_alloc(&rp->arena, (t->ncells + 1) * sizeof *vals);
		for (size_t c = 0; c < t->ncells; c++)
			vals[c] = xlsx_text(t->cells[c]);
		rc = xlsx_writer_goto_row(rp->w, t->number - 1);
		if (!rc)
			rc = xlsx_writer_add_row(rp->w, vals, t->ncells, 0);
	}
	return rc;
}

static px_err report_row(void *ctx, const struct sheet_row *row)
{
	struct report *rp = ctx;
	arena_release(&rp->arena);
	if (row->number == rp->h.row)
		return report_header(rp, row);
	if (!rp->started)
		return PX_OK; /* a title row: written with the header */
	if (import_row_is_example(row))
		return PX_OK; /* the template's example row: the import skipped it too */
	struct xlsx_value *vals = row_values(rp, row);
	struct buf msg = BUF_INIT(8192);
	bool bad = false, skipped = false;
	notes_upto(rp, row->number);
	for (; rp->next < rp->nnotes && rp->notes[rp->next].row == (long)row->number; rp->next++) {
		const struct report_note *n = &rp->notes[rp->next];
		if (msg.len)
			buf_puts(&msg, ";");
		if (n->skipped) {
			buf_puts(&msg, px_lang_is_en(rp->lang) ? "Skipped: " : "已跳过:");
			skipped = true;
		} else {
			bad = true;
		}
		buf_puts(&msg, n->message);
		for (int f = 0; !n->skipped && *n->field && f < rp->h.nfields; f++)
			if (!strcmp(rp->h.fields[f].name, n->field) && rp->h.col[f] >= 0 &&
			    (size_t)rp->h.col[f] < rp->width)
				vals[rp->h.col[f]].mark = true;
	}
	vals[rp->width] = xlsx_text(msg.data ? msg.data : "");
	px_err rc = xlsx_writer_goto_row(rp->w, row->number - 1);
	if (!rc)
		rc = xlsx_writer_add_row(rp->w, vals, rp->width + 1,
					 bad       ? XLSX_ROW_HIGHLIGHT
					 : skipped ? XLSX_ROW_MUTED
						   : 0);
	buf_release(&msg);
	return rc;
}
px_err import_report(struct svc *c, const struct import_record *rec, struct buf *out)
{
	const char *lang = c->lang;
	bool en = px_lang_is_en(lang);
	struct buf file = BUF_INIT(0);
	struct report rp = { .lang = lang };
	arena_init(&rp.arena);
	arena_init(&rp.keep);
	enum import_kind kind = IMPORT_CADRES;
	import_kind_from(rec->kind, &kind);
	import_header_init(&rp.h, kind);
	json_t *stored = json_loads(rec->errors_json, 0, NULL);
	size_t nstored = json_array_size(stored);
	rp.notes = xcalloc(nstored + 1, sizeof *rp.notes);
	const char **summary = xcalloc(nstored + 3, sizeof *summary), **ignored = NULL;
	size_t nsummary = 0, nignored = 0, skipped = 0;
	ignored = xcalloc(nstored + 1, sizeof *ignored);
	size_t i;
	json_t *e;
	json_array_foreach(stored, i, e)
	{
		const char *what = json_string_value(json_object_get(e, "kind"));
		const char *field = json_string_value(json_object_get(e, "field"));
		const char *message = json_string_value(json_object_get(e, "message"));
		if (!message)
			continue;
		if (!what || !strcmp(what, "skipped")) {
			rp.notes[rp.nnotes++] = (struct report_note){
				.row = (long)json_integer_value(json_object_get(e, "row")),
				.field = field ? field : "",
				.message = message,
				.skipped = what != NULL,
				.order = i,
			};
			skipped += what != NULL;
		} else if (!strcmp(what, "ignored")) {
			ignored[nignored++] = message;
		} else if (!strcmp(what, "skipped_more")) {
			skipped = (size_t)json_integer_value(json_object_get(e, "count"));
		} else if (!strcmp(what, "summary")) {
			json_t *rows = json_object_get(e, "rows");
			long r[IMPORT_KIND_ROWS];
			size_t nr = 0;
			for (size_t k = 0; k < json_array_size(rows) && nr < IMPORT_KIND_ROWS; k++)
				r[nr++] = (long)json_integer_value(json_array_get(rows, k));
			char *line = import_kind_line(
				lang, message,
				(size_t)json_integer_value(json_object_get(e, "count")), r, nr);
			summary[nsummary++] = arena_strdup(&rp.keep, line);
			free(line);
		}
	}
	if (nignored) {
		char *m = import_ignored_message(lang, ignored, nignored);
		summary[nsummary++] = arena_strdup(&rp.keep, m);
		free(m);
	}
	if (skipped)
		summary[nsummary++] = arena_printf(
			&rp.keep,
			en ? "%zu rows are no records (totals, sign-off, notes …) and were "
			     "skipped: "
			     "grey in the report"
			   : "%zu 行不是人员信息(合计、落款、说明等),已跳过:报告中以灰色标出",
			skipped);
	qsort(rp.notes, rp.nnotes, sizeof *rp.notes, note_order);

	px_err rc = *rec->file_enc ? PX_OK : PX_ERR_NOT_FOUND;
	if (!rc)
		rc = secret_decrypt(svc_keys(c), rec->file_enc, &file);
	/* read as the import read it */
	struct sheet_options so = { .lang = lang,
				    .limits = { .max_cols = 100, .max_cell_bytes = 4096 } };
	if (!rc)
		rc = sheet_read(file.data, file.len, &so, report_scan, &rp, NULL);
	if (!rc && !rp.h.row)
		rc = PX_ERR_BAD_FILE;
	if (!rc)
		rc = xlsx_writer_new(NULL, &rp.w);
	if (!rc) {
		rc = sheet_read(file.data, file.len, &so, report_row, &rp, NULL);
		if (!rc && nsummary) {
			const char **lines = arena_alloc(&rp.keep, (nsummary + 1) * sizeof *lines);
			lines[0] = en ? "Errors by kind" : "错误汇总";
			memcpy(lines + 1, summary, nsummary * sizeof *lines);
			rc = xlsx_writer_add_text_sheet(rp.w, en ? "Summary" : "汇总", lines,
							nsummary + 1);
		}
		if (!rc)
			rc = xlsx_writer_finish(rp.w, out);
		else
			xlsx_writer_free(rp.w);
	}
	json_decref(stored);
	free(rp.notes);
	free(summary);
	free(ignored);
	arena_release(&rp.arena);
	arena_release(&rp.keep);
	buf_release(&file);
	return rc;
}

/* ---- export ------------------------------------------------------------------------------ */

px_err export_cadres(struct store *db, const struct secret_keys *keys, const struct cadre_query *q,
		     bool unmasked, const char *lang, struct buf *out, size_t *rows)
{
	struct xlsx_column cols[CF__COUNT] = { { 0 } };
	for (int f = 0; f < CF__COUNT; f++) {
		cols[f].header = field_label(&cadre_fields[f], lang);
		cols[f].kind = cadre_col_kind(f);
		cols[f].width = f == CF_ID_NUMBER ? 22 : f == CF_UNIT ? 24 : 14;
	}
	/* A masked file shows what a role without cadre.reveal sees: the year and month of
	 * birth (出生年月), which with the masked number leave it undetermined (domain/mask.h). */
	if (!unmasked) {
		cols[CF_BIRTH_DATE].header = px_lang_is_en(lang) ? "Born (year-month)" : "出生年月";
		cols[CF_BIRTH_DATE].kind = XLSX_COL_TEXT;
	}
	struct xlsx_writer_options wo = { .constant_memory = true };
	struct xlsx_writer *w;
	px_err rc = xlsx_writer_new(&wo, &w);
	if (!rc)
		rc = xlsx_writer_add_sheet(w, px_lang_is_en(lang) ? "Cadres" : "干部名册", cols,
					   CF__COUNT);
	struct cadre_query page = *q;
	page.after_id = 0;
	page.page = 1;
	page.page_size = 1000;
	page.sort = NULL;
	*rows = 0;
	struct arena a;
	arena_init(&a);
	bool en_lang = px_lang_is_en(lang);
	while (!rc) {
		arena_release(&a);
		struct cadre_row *items;
		size_t n;
		/* id > after_id keeps each page cheap however deep the export goes */
		rc = cadres_list(db, &a, keys, &page, &items, &n, NULL);
		if (rc || n == 0)
			break;
		for (size_t i = 0; !rc && i < n; i++) {
			const struct cadre *c = &items[i].c;
			struct buf id = BUF_INIT(64), phone = BUF_INIT(64);
			const char *idv = c->id_number, *phonev = c->phone;
			char month[8];
			mask_birth_month(c->birth_date, month);
			if (unmasked && !(rc = cadres_reveal(db, keys, c->id, &id, &phone))) {
				idv = id.data ? id.data : "";
				phonev = phone.data ? phone.data : "";
			}
			struct xlsx_value v[CF__COUNT] = {
				[CF_NAME] = xlsx_text(c->name),
				[CF_GENDER] = xlsx_text(enum_label(&enum_gender, c->gender, lang)),
				[CF_BIRTH_DATE] =
					unmasked ? xlsx_date(date_parse(c->birth_date,
									strlen(c->birth_date)))
						 : xlsx_text(month),
				[CF_ID_NUMBER] = xlsx_text(idv),
				[CF_PHONE] = xlsx_text(phonev),
				[CF_UNIT] = xlsx_text(items[i].unit_name),
				[CF_POST] = xlsx_text(c->post),
				[CF_IS_HEAD] = xlsx_text(c->is_head ? (en_lang ? "yes" : "是")
								    : (en_lang ? "no" : "否")),
				[CF_RANK_LEVEL] = xlsx_text(
					enum_label(&enum_rank_level, c->rank_level, lang)),
				[CF_RANK_POSITION] = xlsx_text(
					*c->rank_position ? enum_label(&enum_rank_position,
								       c->rank_position, lang)
							  : ""),
				[CF_GRADE] = xlsx_text(
					*c->grade ? enum_label(&enum_grade, c->grade, lang) : ""),
				[CF_CATEGORY] =
					xlsx_text(enum_label(&enum_category, c->category, lang)),
				[CF_POST_DATE] = *c->post_date
							 ? xlsx_date(date_parse(c->post_date, 10))
							 : xlsx_text(""),
				[CF_PROMOTION_DATE] =
					*c->promotion_date
						? xlsx_date(date_parse(c->promotion_date, 10))
						: xlsx_text(""),
				[CF_STATUS] = xlsx_text(enum_label(&enum_status, c->status, lang)),
			};
			if (!rc)
				rc = xlsx_writer_add_row(w, v, CF__COUNT, 0);
			buf_release(&id);
			buf_release(&phone);
			(*rows)++;
		}
		page.after_id = items[n - 1].c.id;
		if (n < (size_t)page.page_size)
			break;
	}
	arena_release(&a);
	if (!rc)
		return xlsx_writer_finish(w, out);
	xlsx_writer_free(w);
	return rc;
}

px_err export_units(struct store *db, const struct unit_query *q, const char *lang, struct buf *out,
		    size_t *rows)
{
	struct xlsx_column cols[UF__COUNT + 1] = { { 0 } };
	for (int f = 0; f < UF__COUNT; f++) {
		cols[f].header = field_label(&unit_fields[f], lang);
		cols[f].width = f == UF_NAME ? 26 : 14;
	}
	cols[UF_CODE].kind = XLSX_COL_TEXT;
	cols[UF__COUNT].header = px_lang_is_en(lang) ? "Cadres" : "干部人数";
	cols[UF__COUNT].kind = XLSX_COL_INTEGER;
	struct xlsx_writer *w;
	px_err rc = xlsx_writer_new(NULL, &w);
	if (!rc)
		rc = xlsx_writer_add_sheet(w, px_lang_is_en(lang) ? "Units" : "单位", cols,
					   UF__COUNT + 1);
	struct unit_query page = *q;
	page.page_size = 500;
	*rows = 0;
	struct arena a;
	arena_init(&a);
	for (page.page = 1; !rc; page.page++) {
		arena_release(&a);
		struct unit_row *items;
		size_t n;
		int64_t total;
		rc = units_list(db, &a, &page, &items, &n, &total);
		for (size_t i = 0; !rc && i < n; i++) {
			struct unit_row *u = &items[i];
			struct xlsx_value v[UF__COUNT + 1] = {
				[UF_NAME] = xlsx_text(u->u.name),
				[UF_SHORT_NAME] = xlsx_text(u->u.short_name),
				[UF_TYPE] = xlsx_text(enum_label(&enum_unit_type, u->u.type, lang)),
				[UF_REGION] = xlsx_text(u->region_name),
				[UF_INDUSTRIES] = xlsx_text(u->u.industries),
				[UF_CODE] = xlsx_text(u->u.code),
				[UF_SORT] = xlsx_number(u->u.sort_order),
				[UF__COUNT] = xlsx_number((double)u->cadre_count),
			};
			rc = xlsx_writer_add_row(w, v, UF__COUNT + 1, 0);
			(*rows)++;
		}
		if (rc || n < (size_t)page.page_size)
			break;
	}
	arena_release(&a);
	if (!rc)
		return xlsx_writer_finish(w, out);
	xlsx_writer_free(w);
	return rc;
}

px_err svc_export_file(struct svc *c, enum import_kind kind, bool unmasked, const char *file,
		       struct buf *out, size_t *rows)
{
	px_err rc;
	*rows = 0;
	if (kind == IMPORT_CADRES) {
		struct cadre_query q = { .scope = svc_scope(c, PERM_CADRE_EXPORT), .is_head = -1 };
		rc = export_cadres(c->db, svc_keys(c), &q, unmasked, c->lang, out, rows);
	} else {
		struct unit_query q = { .scope = svc_scope(c, PERM_UNIT_READ) };
		rc = export_units(c->db, &q, c->lang, out, rows);
	}
	if (!rc) { /* who took the data out, how much, where to, and whether unmasked */
		char *where = arena_strdup(c->arena, file);
		mask_numbers(where); /* a file named after someone's number */
		json_t *j = json_pack("{sI sb ss}", "rows", (json_int_t)*rows, "unmasked", unmasked,
				      "file", where);
		rc = svc_audit(c, "export", kind == IMPORT_CADRES ? "cadre" : "unit", 0, NULL, j);
		json_decref(j);
	}
	return rc;
}
