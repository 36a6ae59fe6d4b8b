/*
 * test_xlsx_write.c — the .xlsx writer: what it writes is read back by sheet_read()
 * (round trips in normal and constant-memory mode), the template features are in the
 * sheet XML (frozen header, autofilter, dropdowns, hidden list sheet), errors are named
 * and sticky, and no temporary file is left behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <math.h>
#include <unistd.h>
#include <zip.h>

#include "files/xlsx_write.h"
#include "sheet_fixture.h"

static const char *const sexes[] = { "男", "女", NULL };
static const char *const ranks[] = { "厅局级", "县处级", "乡科级", "一般干部", NULL };

/* 80 units, one with a comma: too long and unfit for an inline list. */
static char unit_names[80][32];
static const char *units[81];

static void init_units(void)
{
	for (int i = 0; i < 80; i++) {
		snprintf(unit_names[i], sizeof unit_names[i], i == 7 ? "单位%02d,分部" : "单位%02d",
			 i);
		units[i] = unit_names[i];
	}
	units[80] = NULL;
}

static const struct xlsx_column columns[] = {
	{ "姓名", 0, XLSX_COL_TEXT, true, NULL, NULL },
	{ "性别", 0, XLSX_COL_GENERAL, true, sexes, "请选择 男 或 女" },
	{ "身份证号", 22, XLSX_COL_TEXT, true, NULL, NULL },
	{ "手机", 14, XLSX_COL_TEXT, false, NULL, NULL },
	{ "出生日期", 12, XLSX_COL_DATE, false, NULL, NULL },
	{ "职级", 0, XLSX_COL_GENERAL, false, ranks, NULL },
	{ "单位", 20, XLSX_COL_GENERAL, false, units, NULL },
	{ "学时", 0, XLSX_COL_DECIMAL, false, NULL, NULL },
	{ "一把手", 0, XLSX_COL_GENERAL, false, NULL, NULL },
	{ "错误说明", 40, XLSX_COL_TEXT, false, NULL, NULL },
};
#define NCOLS (sizeof columns / sizeof columns[0])

static const char *const notes[] = { "填写说明", "1. 红色表头的列必须填写。", NULL,
				     "2. 身份证号、手机号按文本填写,不要改成数字格式。" };

/* Write the template with three rows; returns the .xlsx in *out. */
static px_err write_book(bool constant_memory, const char *tmpdir, struct buf *out)
{
	struct xlsx_writer_options o = { .constant_memory = constant_memory, .tmpdir = tmpdir };
	struct xlsx_writer *w;
	px_err rc = xlsx_writer_new(&o, &w);
	if (rc)
		return rc;
	rc = xlsx_writer_add_sheet(w, "干部名册", columns, NCOLS);
	struct xlsx_value row[NCOLS] = {
		xlsx_text("张三"),
		xlsx_text("男"),
		xlsx_text("350583198001010011"),
		xlsx_text("13800138000"),
		xlsx_date(date_from_ymd(1980, 1, 1)),
		xlsx_text("县处级"),
		xlsx_text("单位07,分部"),
		xlsx_number(3.5),
		{ .type = XLSX_BOOL, .number = 1 },
		{ .type = XLSX_BLANK },
	};
	if (!rc)
		rc = xlsx_writer_add_row(w, row, NCOLS, 0);
	/* an error-report row: highlighted, with the offending cell marked */
	row[0] = xlsx_text("=1+2");
	row[2] = xlsx_text("35058319800101002X");
	row[2].mark = true;
	row[3] = xlsx_text("0591-22334455");
	row[7] = xlsx_number(-1e15);
	row[8] = (struct xlsx_value){ .type = XLSX_BOOL, .number = 0 };
	row[9] = xlsx_text("身份证号校验位错误 _x0041_ a\x01z");
	if (!rc)
		rc = xlsx_writer_add_row(w, row, NCOLS, XLSX_ROW_HIGHLIGHT);
	/* a short row: the highlight still spans every column */
	if (!rc)
		rc = xlsx_writer_add_row(w, row, 1, XLSX_ROW_HIGHLIGHT);
	if (!rc)
		rc = xlsx_writer_add_text_sheet(w, "填写说明", notes, 4);
	if (rc) {
		xlsx_writer_free(w);
		return rc;
	}
	return xlsx_writer_finish(w, out);
}

static const char expected_rows[] =
	"1: S[姓名] S[性别] S[身份证号] S[手机] S[出生日期] S[职级] S[单位] S[学时] S[一把手] "
	"S[错误说明]\n"
	"2: S[张三] S[男] S[350583198001010011] S[13800138000] D[1980-01-01] S[县处级] "
	"S[单位07,分部] N[3.5] B[TRUE]\n"
	"3: S[=1+2] S[男] S[35058319800101002X] S[0591-22334455] D[1980-01-01] S[县处级] "
	"S[单位07,分部] N[-1000000000000000] B[FALSE] S[身份证号校验位错误 _x0041_ a\x01z]\n"
	"4: S[=1+2]\n";

/* The named part of an .xlsx, NUL-terminated; caller frees. */
static char *zip_part(const struct buf *x, const char *name)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(x->data, x->len, 0, &ze);
	zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(za);
	zip_stat_t st;
	assert_int_equal(zip_stat(za, name, 0, &st), 0);
	char *data = xmalloc(st.size + 1);
	zip_file_t *zf = zip_fopen(za, name, 0);
	assert_int_equal(zip_fread(zf, data, st.size), (zip_int64_t)st.size);
	data[st.size] = '\0';
	zip_fclose(zf);
	zip_discard(za);
	zip_error_fini(&ze);
	return data;
}

static int dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int empty = 1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

static void round_trip(bool constant_memory)
{
	char tmpdir[] = "/tmp/px-xlsx-test-XXXXXX";
	assert_non_null(mkdtemp(tmpdir));
	struct buf x = BUF_INIT(0);
	assert_int_equal(write_book(constant_memory, tmpdir, &x), PX_OK);
	assert_true(dir_is_empty(tmpdir)); /* the temporary .xlsx is gone */
	rmdir(tmpdir);

	struct sheet_result res;
	char *out;
	assert_int_equal(dump_read(x.data, x.len, NULL, &res, &out), PX_OK);
	assert_string_equal(res.sheet_name, "干部名册"); /* not the hidden list sheet */
	assert_string_equal(out, expected_rows);
	free(out);

	struct sheet_options o = { .sheet_name = "填写说明" };
	assert_int_equal(dump_read(x.data, x.len, &o, &res, &out), PX_OK);
	assert_string_equal(out, "1: S[填写说明]\n2: S[1. 红色表头的列必须填写。]\n"
				 "4: S[2. 身份证号、手机号按文本填写,不要改成数字格式。]\n");
	free(out);

	/* the long dropdown list lives on a hidden sheet, the short ones inline */
	o.sheet_name = "_lists1";
	assert_int_equal(dump_read(x.data, x.len, &o, &res, &out), PX_OK);
	assert_int_equal(res.rows, 80);
	assert_non_null(strstr(out, "\n8: S[单位07,分部]\n"));
	free(out);
	char *wb = zip_part(&x, "xl/workbook.xml");
	assert_non_null(strstr(wb, "name=\"_lists1\" sheetId=\"2\" state=\"hidden\""));
	free(wb);
	char *sheet = zip_part(&x, "xl/worksheets/sheet1.xml");
	assert_non_null(strstr(sheet,
			       "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" "
			       "state=\"frozen\"/>"));
	assert_non_null(strstr(sheet, "<autoFilter ref=\"A1:J4\"/>"));
	assert_non_null(strstr(sheet, "prompt=\"请选择 男 或 女\" sqref=\"B2:B1048576\"><formula1>"
				      "\"男,女\"</formula1>"));
	assert_non_null(strstr(sheet, "<formula1>\"厅局级,县处级,乡科级,一般干部\"</formula1>"));
	assert_non_null(strstr(sheet, "sqref=\"G2:G1048576\"><formula1>'_lists1'!$A$1:$A$80"
				      "</formula1>"));
	free(sheet);
	/* the ID column's cells and the column itself carry the text format '@' (id 49) */
	char *styles = zip_part(&x, "xl/styles.xml");
	assert_non_null(strstr(styles, "numFmtId=\"49\""));
	free(styles);
	buf_release(&x);
}

static void test_round_trip(void **state)
{
	(void)state;
	round_trip(false);
}

static void test_round_trip_constant_memory(void **state)
{
	(void)state;
	round_trip(true);
}

static void test_errors(void **state)
{
	(void)state;
	struct xlsx_writer *w;
	struct xlsx_value v = xlsx_text("x");
	assert_int_equal(xlsx_writer_new(NULL, &w), PX_OK);
	assert_int_equal(xlsx_writer_add_row(w, &v, 1, 0), PX_ERR_INVALID); /* no sheet yet */
	xlsx_writer_free(w);

	static const char *const bad_names[] = {
		"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二", "a/b", "[x]",
		"'q'"
	};
	for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
		assert_int_equal(xlsx_writer_new(NULL, &w), PX_OK);
		assert_int_equal(xlsx_writer_add_sheet(w, bad_names[i], columns, 1),
				 PX_ERR_INVALID);
		xlsx_writer_free(w);
	}
	assert_int_equal(xlsx_writer_new(NULL, &w), PX_OK);
	assert_int_equal(xlsx_writer_add_sheet(w, "表", columns, 2), PX_OK);
	assert_int_equal(xlsx_writer_add_text_sheet(w, "表", notes, 1), PX_ERR_INVALID); /* used */
	xlsx_writer_free(w);

	struct {
		struct xlsx_value v;
		size_t n;
		px_err err;
	} cases[] = {
		{ xlsx_text("\xC3("), 1, PX_ERR_ENCODING },
		{ xlsx_number(NAN), 1, PX_ERR_INVALID },
		{ xlsx_number(INFINITY), 1, PX_ERR_INVALID },
		{ xlsx_date(date_from_ymd(1900, 2, 28)), 1, PX_ERR_INVALID },
		{ xlsx_date(DATE_NONE), 1, PX_ERR_INVALID },
		{ xlsx_text("x"), 3, PX_ERR_INVALID }, /* more values than columns */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct xlsx_value vals[3] = { cases[i].v, cases[i].v, cases[i].v };
		assert_int_equal(xlsx_writer_new(NULL, &w), PX_OK);
		assert_int_equal(xlsx_writer_add_sheet(w, "表", columns, 2), PX_OK);
		assert_int_equal(xlsx_writer_add_row(w, vals, cases[i].n, 0), cases[i].err);
		/* sticky: later calls and finish report the first error, and produce nothing */
		v = xlsx_text("ok");
		assert_int_equal(xlsx_writer_add_row(w, &v, 1, 0), cases[i].err);
		struct buf out = BUF_INIT(0);
		assert_int_equal(xlsx_writer_finish(w, &out), cases[i].err);
		assert_int_equal(out.len, 0);
		buf_release(&out);
	}

	/* Excel's cell limit is 32,767 characters (not bytes) */
	struct buf big = BUF_INIT(0);
	for (int i = 0; i < 32767; i++)
		buf_puts(&big, "字");
	assert_int_equal(xlsx_writer_new(NULL, &w), PX_OK);
	assert_int_equal(xlsx_writer_add_sheet(w, "表", NULL, 0), PX_OK);
	v = xlsx_text(big.data);
	assert_int_equal(xlsx_writer_add_row(w, &v, 1, 0), PX_OK);
	buf_puts(&big, "字");
	v = xlsx_text(big.data);
	assert_int_equal(xlsx_writer_add_row(w, &v, 1, 0), PX_ERR_TOO_LARGE);
	xlsx_writer_free(w);
	buf_release(&big);

	/* the finished file is capped */
	struct xlsx_writer_options o = { .max_bytes = 1000 };
	assert_int_equal(xlsx_writer_new(&o, &w), PX_OK);
	assert_int_equal(xlsx_writer_add_sheet(w, "表", columns, 2), PX_OK);
	struct buf out = BUF_INIT(0);
	assert_int_equal(xlsx_writer_finish(w, &out), PX_ERR_TOO_LARGE);
	buf_release(&out);
}

static void test_free_removes_temp_file(void **state)
{
	(void)state;
	char tmpdir[] = "/tmp/px-xlsx-test-XXXXXX";
	assert_non_null(mkdtemp(tmpdir));
	struct xlsx_writer_options o = { .tmpdir = tmpdir, .constant_memory = true };
	struct xlsx_writer *w;
	assert_int_equal(xlsx_writer_new(&o, &w), PX_OK);
	assert_false(dir_is_empty(tmpdir));
	assert_int_equal(xlsx_writer_add_sheet(w, "表", columns, 2), PX_OK);
	xlsx_writer_free(w);
	assert_true(dir_is_empty(tmpdir));
	rmdir(tmpdir);
	xlsx_writer_free(NULL);
}

static px_err count_rows(void *ctx, const struct sheet_row *r)
{
	uint32_t *n = ctx;
	char want[16];
	snprintf(want, sizeof want, "%u", (unsigned)r->number - 1);
	if (r->number > 1 && (r->ncells != 4 || strcmp(r->cells[3].text, want) != 0 ||
			      r->cells[2].type != SHEET_DATE))
		return PX_ERR_INTERNAL;
	(*n)++;
	return PX_OK;
}

static void test_big_export_streams(void **state)
{
	(void)state;
	struct xlsx_writer_options o = { .constant_memory = true };
	struct xlsx_writer *w;
	static const struct xlsx_column cols[] = {
		{ "姓名", 0, XLSX_COL_TEXT, false, NULL, NULL },
		{ "身份证号", 0, XLSX_COL_TEXT, false, NULL, NULL },
		{ "日期", 0, XLSX_COL_DATE, false, NULL, NULL },
		{ "序号", 0, XLSX_COL_INTEGER, false, NULL, NULL }
	};
	assert_int_equal(xlsx_writer_new(&o, &w), PX_OK);
	assert_int_equal(xlsx_writer_add_sheet(w, "导出", cols, 4), PX_OK);
	for (int i = 1; i <= 30000; i++) {
		struct xlsx_value v[4] = { xlsx_text("王五"), xlsx_text("350583198001010011"),
					   xlsx_date(date_from_ymd(2023, 2, 18)), xlsx_number(i) };
		assert_int_equal(xlsx_writer_add_row(w, v, 4, 0), PX_OK);
	}
	struct buf x = BUF_INIT(0);
	assert_int_equal(xlsx_writer_finish(w, &x), PX_OK);
	uint32_t n = 0;
	assert_int_equal(sheet_read(x.data, x.len, NULL, count_rows, &n, NULL), PX_OK);
	assert_int_equal(n, 30001);
	buf_release(&x);
}

/* A header further down (a report keeping a file's title rows), rows placed by number, a
 * grey row. */
static void test_header_at_and_rows_placed(void **state)
{
	(void)state;
	struct xlsx_writer *w;
	assert_int_equal(xlsx_writer_new(NULL, &w), PX_OK);
	struct xlsx_column cols[2] = { { .header = "姓名" }, { .header = "错误说明" } };
	assert_int_equal(xlsx_writer_add_sheet_at(w, "报告", cols, 2, 2), PX_OK);
	struct xlsx_value title[] = { xlsx_text("南安市干部信息表") };
	struct xlsx_value row[] = { xlsx_text("张三"), xlsx_text("已跳过:合计行") };
	assert_int_equal(xlsx_writer_goto_row(w, 2), PX_ERR_INVALID); /* the header's row */
	xlsx_writer_free(w);
	assert_int_equal(xlsx_writer_new(NULL, &w), PX_OK);
	assert_int_equal(xlsx_writer_add_sheet_at(w, "报告", cols, 2, 2), PX_OK);
	assert_int_equal(xlsx_writer_goto_row(w, 0), PX_OK); /* above the header */
	assert_int_equal(xlsx_writer_add_row(w, title, 1, 0), PX_OK);
	assert_int_equal(xlsx_writer_goto_row(w, 5), PX_OK); /* rows 4 and 5 left empty */
	assert_int_equal(xlsx_writer_add_row(w, row, 2, XLSX_ROW_MUTED), PX_OK);
	struct buf x = BUF_INIT(0);
	assert_int_equal(xlsx_writer_finish(w, &x), PX_OK);
	char *out;
	struct sheet_result res;
	assert_int_equal(dump_read(x.data, x.len, NULL, &res, &out), PX_OK);
	assert_string_equal(out, "1: S[南安市干部信息表]\n3: S[姓名] S[错误说明]\n6: S[张三] "
				 "S[已跳过:合计行]\n");
	free(out);
	char *sheet = zip_part(&x, "xl/worksheets/sheet1.xml");
	assert_non_null(strstr(sheet, "<autoFilter ref=\"A3:B6\"/>"));
	assert_non_null(strstr(sheet, "ySplit=\"3\" topLeftCell=\"A4\""));
	free(sheet);
	char *styles = zip_part(&x, "xl/styles.xml");
	assert_non_null(strstr(styles, "FFEDEDED")); /* the grey of a skipped row */
	free(styles);
	buf_release(&x);
	/* a streaming writer goes only forward, and has its header on top */
	struct xlsx_writer_options o = { .constant_memory = true };
	assert_int_equal(xlsx_writer_new(&o, &w), PX_OK);
	assert_int_equal(xlsx_writer_add_sheet_at(w, "报告", cols, 2, 2), PX_ERR_INVALID);
	xlsx_writer_free(w);
	assert_int_equal(xlsx_writer_new(&o, &w), PX_OK);
	assert_int_equal(xlsx_writer_add_sheet(w, "报告", cols, 2), PX_OK);
	assert_int_equal(xlsx_writer_goto_row(w, 4), PX_OK);
	assert_int_equal(xlsx_writer_add_row(w, row, 2, 0), PX_OK);
	assert_int_equal(xlsx_writer_goto_row(w, 2), PX_ERR_INVALID);
	xlsx_writer_free(w);
}

int main(void)
{
	init_units();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_constant_memory),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_free_removes_temp_file),
		cmocka_unit_test(test_big_export_streams),
		cmocka_unit_test(test_header_at_and_rows_placed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
