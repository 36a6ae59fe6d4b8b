/*
 * test_xlsx.c — the .xlsx reader: files written by LibreOffice and files imitating Excel,
 * every malformed case it must name, its limits, and the pieces (number formats, _xHHHH_
 * escapes, column names). XML-level cases use the parts container (xlsx_read_parts), so
 * each states its broken worksheet in a line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "files/xlsx_int.h"
#include "sheet_fixture.h"

/* ---- whole files ------------------------------------------------------------------- */

static void test_libreoffice_file(void **state)
{
	(void)state;
	struct sheet_result res;
	char *out;
	assert_int_equal(dump_fixture("lo_cadres.xlsx", NULL, &res, &out), PX_OK);
	assert_int_equal(res.format, SHEET_FORMAT_XLSX);
	assert_string_equal(res.sheet_name, "干部名册");
	assert_string_equal(
		out, "1: S[姓名] S[身份证号] S[身份证号(数字)] S[出生日期] S[任职时间] S[手机] "
		     "S[一把手] S[学时] S[备注]\n"
		     /* the ID typed as a number keeps LibreOffice's text; a Chinese date format is
			a date; the phone number stays digits */
		     "2: S[张三] S[350583198001010011] N[3.5058319800101E+017] D[1980-01-01] "
		     "D[2021-06-30] N[13800138000] N[1] N[3.25] S[第一行\n第二行]\n"
		     /* date-time → its date; a time of day stays a number; rich text is joined */
		     "3: S[  李 四  ] S[35058319800101002X] E[] D[1985-12-31] N[0.520833333333333] "
		     "S[13900139000] N[0] N[3] S[富文本单元格]\n"
		     /* row 4 is empty; formulas give their cached values */
		     "5: S[王五 & <赵六>] E[] E[] E[] E[] E[] E[] X[#DIV/0!] S[公式文本]\n"
		     /* an elapsed time [h]:mm is a duration, not a date */
		     "6: S[时长] N[1.5] E[] E[] N[-0.5] E[] E[] E[] S[Z]\n");
	free(out);

	struct sheet_options o = { .sheet_name = "选项" };
	assert_int_equal(dump_fixture("lo_cadres.xlsx", &o, &res, &out), PX_OK);
	assert_string_equal(out, "1: S[男]\n2: S[女]\n");
	free(out);

	o.sheet_name = "没有这个表";
	assert_int_equal(dump_fixture("lo_cadres.xlsx", &o, &res, &out), PX_ERR_BAD_FILE);
	assert_string_equal(res.message, "工作簿中没有指定名称的工作表(没有这个表)");
	free(out);
}

struct date_probe {
	double number;
	int32_t date;
};

static px_err probe_d3(void *ctx, const struct sheet_row *r)
{
	struct date_probe *p = ctx;
	if (r->number == 3) {
		p->number = sheet_row_cell(r, 3)->number;
		p->date = sheet_row_cell(r, 3)->date;
	}
	return PX_OK;
}

static void test_date_keeps_serial(void **state)
{
	(void)state;
	size_t n;
	char *data = fixture_load("lo_cadres.xlsx", &n);
	struct date_probe p = { 0, 0 };
	assert_int_equal(sheet_read(data, n, NULL, probe_d3, &p, NULL), PX_OK);
	assert_int_equal(p.date, date_from_ymd(1985, 12, 31));
	assert_true(fabs(p.number - 31412.3541666667) < 1e-9); /* 08:30 is in the fraction */
	free(data);
}

static void test_excel_like_file(void **state)
{
	(void)state;
	struct sheet_result res;
	char *out;
	assert_int_equal(dump_fixture("excel_like.xlsx", NULL, &res, &out), PX_OK);
	/* the first sheet is hidden and the worksheet lives in sheet7.xml */
	assert_string_equal(res.sheet_name, "干部名册");
	assert_string_equal(
		out,
		"1: S[姓名] S[身份证号]\n"
		/* rich text without its phonetic run; ID as text and as a 15-digit number;
		   built-in 14, Chinese built-in 31 and a custom 年月日 format are dates; built-in
		   21 (h:mm:ss) and [h]:mm:ss are not */
		"2: S[富文本 ] S[350583198001010011] N[3.50583198001010E+17] D[1980-01-01] "
		"D[2021-06-30] D[2021-06-30] N[0.5] N[1.5]\n"
		"4: S[行内] S[姓名x] B[TRUE] X[#DIV/0!] D[2023-02-18] N[-12.5]\n"
		/* cells and rows without r; _x000D_ decoded, _x005F_ escaping kept; spaces kept */
		"5: S[第一行\r\n第二行] S[_x0041_ 与 A] S[  前后空格  ]\n"
		/* row 7 holds only formatted empty cells (up to XFD): not delivered */
		"9: E[] E[] N[13800138000] E[] N[42]\n");
	free(out);
	struct sheet_options o = { .sheet_name = "Sheet3" };
	assert_int_equal(dump_fixture("excel_like.xlsx", &o, &res, &out), PX_OK);
	assert_string_equal(out, "1: N[3]\n"); /* its target was "worksheets/./sub/../sheet1.xml" */
	free(out);
}

static void test_strict_and_1904(void **state)
{
	(void)state;
	struct sheet_result res;
	char *out;
	assert_int_equal(dump_fixture("strict.xlsx", NULL, &res, &out), PX_OK);
	assert_string_equal(out, "1: S[严格] N[7]\n");
	free(out);
	assert_int_equal(dump_fixture("mac1904.xlsx", NULL, &res, &out), PX_OK);
	assert_string_equal(out, "1: D[1904-01-01] D[1908-01-02]\n");
	free(out);
}

/* Every malformed file, its error and the words its message must contain. */
struct bad_case {
	const char *file;
	px_err err;
	const char *zh;
	const char *en;
	size_t max_total;
};

static const struct bad_case bad_cases[] = {
	{ "bad_not_zip.xlsx", PX_ERR_BAD_FILE, "不是 zip 压缩包", "not a zip archive", 0 },
	{ "bad_truncated.xlsx", PX_ERR_BAD_FILE, "已损坏或不完整", "damaged or truncated", 0 },
	{ "bad_ole2.xlsx", PX_ERR_BAD_FILE, "旧版 .xls 文件或加密的工作簿", "old .xls", 0 },
	{ "bad_empty_zip.xlsx", PX_ERR_BAD_FILE, "缺少工作簿", "no workbook part", 0 },
	{ "bad_no_workbook.xlsx", PX_ERR_BAD_FILE, "缺少工作簿(xl/workbook.xml)", "no workbook",
	  0 },
	{ "bad_no_rels.xlsx", PX_ERR_BAD_FILE, "缺少部件(xl/_rels/workbook.xml.rels)",
	  "a part is missing (xl/_rels/workbook.xml.rels)", 0 },
	{ "bad_missing_sheet.xlsx", PX_ERR_BAD_FILE, "缺少部件(xl/worksheets/sheet1.xml)",
	  "missing (xl/worksheets/sheet1.xml)", 0 },
	{ "bad_bomb.xlsx", PX_ERR_TOO_LARGE, "解压后过大(xl/worksheets/sheet1.xml)",
	  "too large once uncompressed", 16 << 20 },
	{ "bad_lying_size.xlsx", PX_ERR_BAD_FILE, "解压后大小与声明不符",
	  "differs from the declared", 0 },
	{ "bad_doctype.xlsx", PX_ERR_BAD_FILE, "DOCTYPE", "DOCTYPE or entity declaration", 0 },
	{ "bad_xxe.xlsx", PX_ERR_BAD_FILE, "DOCTYPE/实体声明(xl/sharedStrings.xml)", "DOCTYPE", 0 },
	{ "bad_sst_index.xlsx", PX_ERR_BAD_FILE, "第 1 行 B 列:单元格引用了不存在的共享字符串",
	  "Row 1, column B: A cell refers to a shared string", 0 },
	{ "bad_ref.xlsx", PX_ERR_BAD_FILE, "单元格位置无效(XFE1)", "Invalid cell reference (XFE1)",
	  0 },
	{ "bad_row_order.xlsx", PX_ERR_BAD_FILE, "第 2 行:行的顺序错乱",
	  "Row 2: Rows are out of order", 0 },
	{ "bad_number.xlsx", PX_ERR_BAD_FILE, "第 1 行 A 列:数值单元格的内容不是数字",
	  "does not hold a number", 0 },
	{ "bad_utf8.xlsx", PX_ERR_ENCODING, "无效的字符编码(xl/sharedStrings.xml", "encoding", 0 },
	{ "bad_xml.xlsx", PX_ERR_BAD_FILE, "格式错误(xl/worksheets/sheet1.xml", "malformed XML",
	  0 },
	{ "bad_attrs.xlsx", PX_ERR_BAD_FILE, "元素属性过多", "too many attributes", 0 },
	{ "bad_bzip2.xlsx", PX_ERR_BAD_FILE, "不支持的压缩方式", "unsupported compression", 0 },
};

static void test_malformed_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *bc = &bad_cases[i];
		for (int en = 0; en < 2; en++) {
			struct sheet_options o = { .format = SHEET_FORMAT_XLSX,
						   .lang = en ? "en" : "zh-CN",
						   .limits = { .max_total_bytes = bc->max_total } };
			struct sheet_result res;
			char *out;
			px_err rc = dump_fixture(bc->file, &o, &res, &out);
			const char *want = en ? bc->en : bc->zh;
			if (rc != bc->err || !strstr(res.message, want))
				fail_msg("%s: rc %d, message \"%s\"; wanted %d with \"%s\"",
					 bc->file, rc, res.message, bc->err, want);
			free(out);
		}
	}
}

static void test_ole2_detected_automatically(void **state)
{
	(void)state;
	struct sheet_result res;
	char *out;
	assert_int_equal(dump_fixture("bad_ole2.xlsx", NULL, &res, &out), PX_ERR_BAD_FILE);
	assert_int_equal(res.format, SHEET_FORMAT_XLSX);
	free(out);
	assert_int_equal(dump_fixture("excel_like.xlsx", NULL, &res, &out), PX_OK);
	assert_int_equal(res.format, SHEET_FORMAT_XLSX);
	free(out);
}

/* ---- XML-level cases through the parts container ---------------------------------- */

/* A workbook of one sheet "S" holding `rows`, with optional shared strings and styles. */
static px_err read_parts(const char *rows, const char *strings, const char *styles,
			 const struct sheet_options *opt, struct sheet_result *res, char **out)
{
	struct buf b = BUF_INIT(0);
#define PART(name, ...)                                                                            \
	do {                                                                                       \
		buf_add(&b, name, strlen(name) + 1);                                               \
		buf_printf(&b, __VA_ARGS__);                                                       \
		buf_add(&b, "", 1);                                                                \
	} while (0)
	PART("_rels/.rels", "<Relationships><Relationship Id=\"r\" Type=\"x/officeDocument\" "
			    "Target=\"xl/workbook.xml\"/></Relationships>");
	PART("xl/workbook.xml",
	     "<workbook xmlns:r=\"urn:r\"><sheets><sheet name=\"S\" r:id=\"rId1\"/></sheets>"
	     "</workbook>");
	PART("xl/_rels/workbook.xml.rels",
	     "<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" "
	     "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"x/sharedStrings\" "
	     "Target=\"sharedStrings.xml\"/><Relationship Id=\"rId3\" Type=\"x/styles\" "
	     "Target=\"styles.xml\"/></Relationships>");
	PART("xl/worksheets/sheet1.xml", "<worksheet><sheetData>%s</sheetData></worksheet>", rows);
	PART("xl/sharedStrings.xml", "<sst>%s</sst>", strings ? strings : "");
	PART("xl/styles.xml", "<styleSheet>%s</styleSheet>", styles ? styles : "");
#undef PART
	struct dump d = { .out = BUF_INIT(0) };
	px_err rc = xlsx_read_parts(b.data, b.len, opt, dump_row, &d, res);
	if (d.contract_broken)
		buf_puts(&d.out, "<cell contract broken>\n");
	*out = buf_detach(&d.out, NULL);
	buf_release(&b);
	return rc;
}

static void test_cell_types(void **state)
{
	(void)state;
	struct sheet_result res;
	char *out;
	assert_int_equal(
		read_parts("<row r=\"2\"><c r=\"A2\" t=\"s\"><v> 1 </v></c><c r=\"B2\" "
			   "t=\"s\"><v>0</v>"
			   "</c><c r=\"C2\" t=\"b\"><v>0</v></c><c r=\"D2\" t=\"e\"><v>#N/A</v></c>"
			   "<c r=\"E2\"><v></v></c><c r=\"F2\" "
			   "t=\"inlineStr\"><is><t><![CDATA[<a&b>]]>"
			   "</t></is></c><c r=\"G2\" t=\"str\"><v>&#x5F20;&amp;</v></c>"
			   "<c r=\"H2\"><v>-1.5e-3</v></c><c r=\"I2\" t=\"d\"><v>2024-02-29</v></c>"
			   "</row>",
			   "<si><t/></si><si><r><t>跨</t></r><r><t>行</t></r></si>", NULL, NULL,
			   &res, &out),
		PX_OK);
	assert_string_equal(out, "2: S[跨行] E[] B[FALSE] X[#N/A] E[] S[<a&b>] S[张&] "
				 "N[-1.5e-3] D[2024-02-29]\n");
	free(out);
}

struct bad_xml {
	const char *rows;
	px_err err;
	const char *message; /* zh-CN, exact */
};

static const struct bad_xml bad_xml_cases[] = {
	{ "<row r=\"1\"><c r=\"B1\"><v>1</v></c><c r=\"A1\"><v>2</v></c></row>", PX_ERR_BAD_FILE,
	  "第 1 行 A 列:单元格顺序错乱或重复" },
	{ "<row r=\"1\"><c r=\"A2\"><v>1</v></c></row>", PX_ERR_BAD_FILE,
	  "第 1 行:单元格位置无效(A2)" },
	{ "<row r=\"0\"/>", PX_ERR_BAD_FILE, "第 1 行:单元格位置无效(0)" },
	{ "<row r=\"1048577\"/>", PX_ERR_BAD_FILE, "第 1 行:单元格位置无效(1048577)" },
	{ "<row r=\"1\"><c r=\"AAAA1\"><v>1</v></c></row>", PX_ERR_BAD_FILE,
	  "第 1 行:单元格位置无效(AAAA1)" },
	{ "<row r=\"1\"><c r=\"A1\" t=\"b\"><v>2</v></c></row>", PX_ERR_BAD_FILE,
	  "第 1 行 A 列:逻辑值单元格的内容无效" },
	{ "<row r=\"1\"><c r=\"A1\" t=\"d\"><v>2023-02-30</v></c></row>", PX_ERR_BAD_FILE,
	  "第 1 行 A 列:日期单元格的内容无效" },
	{ "<row r=\"1\"><c r=\"A1\" t=\"zz\"><v>1</v></c></row>", PX_ERR_BAD_FILE,
	  "第 1 行 A 列:.xlsx 文件内容格式错误(zz)" },
	{ "<row r=\"1\"><c r=\"A1\"><v>inf</v></c></row>", PX_ERR_BAD_FILE,
	  "第 1 行 A 列:数值单元格的内容不是数字" },
	{ "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>-1</v></c></row>", PX_ERR_BAD_FILE,
	  "第 1 行 A 列:单元格引用了不存在的共享字符串" },
	{ "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>4294967296</v></c></row>", PX_ERR_BAD_FILE,
	  "第 1 行 A 列:单元格引用了不存在的共享字符串" },
	{ "<c r=\"A1\"><v>1</v></c>", PX_ERR_BAD_FILE,
	  ".xlsx 文件内容格式错误(xl/worksheets/sheet1.xml)" },
	{ "<row r=\"1\"><row r=\"2\"/></row>", PX_ERR_BAD_FILE,
	  "第 1 行:.xlsx 文件内容格式错误(xl/worksheets/sheet1.xml)" },
	{ "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&foo;</t></is></c></row>",
	  PX_ERR_BAD_FILE, ".xlsx 文件内容格式错误(xl/worksheets/sheet1.xml: 1)" },
	{ "<row r=\"1\"><c r=\"A1\"><v>1</v></c>", PX_ERR_BAD_FILE,
	  ".xlsx 文件内容格式错误(xl/worksheets/sheet1.xml: 1)" },
};

static void test_malformed_xml(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad_xml_cases / sizeof bad_xml_cases[0]; i++) {
		const struct bad_xml *bx = &bad_xml_cases[i];
		struct sheet_result res;
		char *out;
		px_err rc = read_parts(bx->rows, "<si><t>a</t></si>", NULL, NULL, &res, &out);
		if (rc != bx->err || strcmp(res.message, bx->message) != 0)
			fail_msg("%s: rc %d \"%s\"; wanted %d \"%s\"", bx->rows, rc, res.message,
				 bx->err, bx->message);
		free(out);
	}
}

static void test_limits(void **state)
{
	(void)state;
	struct sheet_result res;
	char *out;
	struct sheet_options o = { .limits = { .max_cols = 3 } };
	/* formatted empty cells past the limit are ignored, a value there is refused */
	assert_int_equal(read_parts("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"XFD1\" s=\"1\"/>"
				    "</row>",
				    NULL, NULL, &o, &res, &out),
			 PX_OK);
	assert_string_equal(out, "1: N[1]\n");
	free(out);
	assert_int_equal(read_parts("<row r=\"5\"><c r=\"D5\"><v>1</v></c></row>", NULL, NULL, &o,
				    &res, &out),
			 PX_ERR_TOO_LARGE);
	assert_string_equal(res.message, "第 5 行 D 列:列数超过限制");
	assert_int_equal(res.err_row, 5);
	assert_int_equal(res.err_col, 4);
	free(out);

	o = (struct sheet_options){ .limits = { .max_rows = 2 }, .lang = "en" };
	assert_int_equal(read_parts("<row r=\"1\"><c><v>1</v></c></row><row r=\"3\"><c><v>1</v></c>"
				    "</row>",
				    NULL, NULL, &o, &res, &out),
			 PX_ERR_TOO_LARGE);
	assert_string_equal(res.message, "Row 3: More rows than allowed");
	assert_string_equal(out, "1: N[1]\n");
	free(out);

	o = (struct sheet_options){ .limits = { .max_cell_bytes = 5 } };
	assert_int_equal(
		read_parts("<row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>123456</t></is>"
			   "</c></row>",
			   NULL, NULL, &o, &res, &out),
		PX_ERR_TOO_LARGE);
	assert_string_equal(res.message, "第 2 行 B 列:单元格内容过长");
	free(out);
	assert_int_equal(read_parts("", "<si><t>123456</t></si>", NULL, &o, &res, &out),
			 PX_ERR_TOO_LARGE);
	assert_string_equal(res.message, "单元格内容过长(xl/sharedStrings.xml)");
	free(out);

	/* the byte budget covers every part: here the worksheet no longer fits */
	o = (struct sheet_options){ .limits = { .max_total_bytes = 600 } };
	char rows[1024];
	snprintf(rows, sizeof rows,
		 "<row r=\"1\"><c t=\"inlineStr\"><is><t>%0400d</t></is></c></row>", 0);
	assert_int_equal(read_parts(rows, NULL, NULL, &o, &res, &out), PX_ERR_TOO_LARGE);
	assert_non_null(strstr(res.message, "解压后过大(xl/worksheets/sheet1.xml)"));
	free(out);
}

static void test_number_formats_from_styles(void **state)
{
	(void)state;
	struct sheet_result res;
	char *out;
	const char *styles =
		"<numFmts><numFmt numFmtId=\"14\" formatCode=\"0.00\"/>"
		"<numFmt numFmtId=\"200\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;\"/>"
		"</numFmts><cellStyleXfs><xf numFmtId=\"22\"/></cellStyleXfs>"
		"<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"200\"/>"
		"<xf numFmtId=\"22\"/><xf/></cellXfs>";
	assert_int_equal(
		read_parts("<row r=\"1\"><c s=\"0\"><v>45000</v></c><c s=\"1\"><v>45000</v>"
			   "</c><c s=\"2\"><v>45000</v></c><c s=\"3\"><v>45000.25</v></c>"
			   "<c s=\"4\"><v>45000</v></c><c s=\"99\"><v>45000</v></c>"
			   "<c s=\"2\"><v>-1</v></c><c s=\"2\"><v>60</v></c></row>",
			   NULL, styles, NULL, &res, &out),
		PX_OK);
	/* id 14 redefined as 0.00 is a number; a style index past the table is General; a
	   date-formatted serial outside Excel's calendar (-1, the phantom 1900-02-29) stays a
	   number */
	assert_string_equal(out, "1: N[45000] N[45000] D[2023-03-15] D[2023-03-15] N[45000] "
				 "N[45000] N[-1] N[60]\n");
	free(out);
}

/* Regression: resolving styles was O(cellXfs × numFmts); this styles part took minutes. */
static void test_many_styles(void **state)
{
	(void)state;
	struct buf st = BUF_INIT(0);
	buf_puts(&st, "<numFmts>");
	for (int i = 0; i < 60000; i++)
		buf_printf(&st, "<numFmt numFmtId=\"%d\" formatCode=\"0.0\"/>", 1000 + i);
	/* the same id twice: the later definition wins */
	buf_puts(&st, "<numFmt numFmtId=\"300\" formatCode=\"0.00\"/>"
		      "<numFmt numFmtId=\"300\" formatCode=\"yyyy/m/d\"/></numFmts><cellXfs>");
	for (int i = 0; i < 200000; i++)
		buf_printf(&st, "<xf numFmtId=\"%d\"/>", i == 7 ? 300 : 1000 + i % 60000);
	buf_puts(&st, "</cellXfs>");
	struct sheet_result res;
	char *out;
	assert_int_equal(
		read_parts("<row r=\"1\"><c s=\"7\"><v>45000</v></c><c s=\"8\"><v>45000</v>"
			   "</c></row>",
			   NULL, st.data, NULL, &res, &out),
		PX_OK);
	assert_string_equal(out, "1: D[2023-03-15] N[45000]\n");
	free(out);
	/* one more <xf> than allowed is refused */
	buf_reset(&st);
	buf_puts(&st, "<cellXfs>");
	for (int i = 0; i <= 262144; i++)
		buf_puts(&st, "<xf/>");
	buf_puts(&st, "</cellXfs>");
	assert_int_equal(read_parts("", NULL, st.data, NULL, &res, &out), PX_ERR_TOO_LARGE);
	assert_string_equal(res.message, ".xlsx 文件中的样式或工作表数量超过限制(xl/styles.xml)");
	free(out);
	buf_release(&st);
}

static void test_sheet_choice(void **state)
{
	(void)state;
	struct sheet_result res;
	char *out;
	/* chart sheets are skipped; when every worksheet is hidden the first one is read */
	const char blob[] =
		"xl/workbook.xml\0<workbook xmlns:r=\"u\"><sheets>"
		"<sheet name=\"图\" r:id=\"c\"/><sheet name=\"H1\" state=\"hidden\" r:id=\"a\"/>"
		"<sheet name=\"H2\" state=\"veryHidden\" r:id=\"b\"/></sheets></workbook>\0"
		"xl/_rels/workbook.xml.rels\0<Relationships>"
		"<Relationship Id=\"c\" Type=\"t/chartsheet\" Target=\"chartsheets/sheet1.xml\"/>"
		"<Relationship Id=\"a\" Type=\"t/worksheet\" Target=\"/xl/a.xml\"/>"
		"<Relationship Id=\"b\" Type=\"t/worksheet\" Target=\"b.xml\"/>"
		"<Relationship Id=\"x\" Type=\"t/worksheet\" Target=\"http://evil/\" "
		"TargetMode=\"External\"/></Relationships>\0"
		"xl/a.xml\0<worksheet><sheetData><row><c><v>1</v></c></row></sheetData></"
		"worksheet>\0"
		"xl/b.xml\0<worksheet><sheetData><row><c><v>2</v></c></row></sheetData></"
		"worksheet>";
	struct dump d = { .out = BUF_INIT(0) };
	assert_int_equal(xlsx_read_parts(blob, sizeof blob - 1, NULL, dump_row, &d, &res), PX_OK);
	assert_string_equal(res.sheet_name, "H1");
	assert_string_equal(d.out.data, "1: N[1]\n");
	buf_release(&d.out);
	/* a relationship that climbs out of the package names no part */
	const char escape[] =
		"xl/workbook.xml\0<workbook xmlns:r=\"u\"><sheets><sheet name=\"S\" r:id=\"a\"/>"
		"</sheets></workbook>\0xl/_rels/workbook.xml.rels\0<Relationships><Relationship "
		"Id=\"a\" Type=\"t/worksheet\" Target=\"../../../etc/passwd\"/></Relationships>";
	d = (struct dump){ .out = BUF_INIT(0) };
	assert_int_equal(xlsx_read_parts(escape, sizeof escape - 1, NULL, dump_row, &d, &res),
			 PX_ERR_BAD_FILE);
	assert_string_equal(res.message, ".xlsx 文件不完整:缺少部件(../../../etc/passwd)");
	buf_release(&d.out);
	(void)out;
}

static void test_callback_stops_the_read(void **state)
{
	(void)state;
	size_t n;
	char *data = fixture_load("lo_cadres.xlsx", &n);
	struct dump d = { .out = BUF_INIT(0), .stop_at = 3, .stop_err = PX_ERR_CONFLICT };
	struct sheet_result res;
	assert_int_equal(sheet_read(data, n, NULL, dump_row, &d, &res), PX_ERR_CONFLICT);
	assert_int_equal(res.rows, 3);
	assert_string_equal(res.message, "");
	buf_release(&d.out);
	free(data);
}

static px_err count_rows(void *ctx, const struct sheet_row *r)
{
	uint32_t *n = ctx;
	if (r->number != *n + 1 || r->ncells != 3 || strcmp(r->cells[2].text, "尾") != 0)
		return PX_ERR_INTERNAL;
	(*n)++;
	return PX_OK;
}

static void test_many_rows_stream(void **state)
{
	(void)state;
	struct buf rows = BUF_INIT(0);
	for (int i = 1; i <= 100000; i++)
		buf_printf(&rows,
			   "<row r=\"%d\"><c r=\"A%d\" t=\"s\"><v>%d</v></c><c r=\"B%d\"><v>%d</v>"
			   "</c><c r=\"C%d\" t=\"inlineStr\"><is><t>尾</t></is></c></row>",
			   i, i, i % 2, i, i, i);
	struct buf b = BUF_INIT(0);
	const char head[] =
		"xl/workbook.xml\0<workbook xmlns:r=\"u\"><sheets><sheet name=\"S\" "
		"r:id=\"a\"/></sheets></workbook>\0xl/_rels/workbook.xml.rels\0"
		"<Relationships><Relationship Id=\"a\" Type=\"t/worksheet\" "
		"Target=\"s.xml\"/><Relationship Id=\"b\" Type=\"t/sharedStrings\" "
		"Target=\"sst.xml\"/></Relationships>\0xl/sst.xml\0<sst><si><t>x</t></si>"
		"<si><t>y</t></si></sst>\0xl/s.xml\0<worksheet><sheetData>";
	buf_add(&b, head, sizeof head - 1);
	buf_add(&b, rows.data, rows.len);
	buf_puts(&b, "</sheetData></worksheet>");
	uint32_t n = 0;
	struct sheet_result res;
	assert_int_equal(xlsx_read_parts(b.data, b.len, NULL, count_rows, &n, &res), PX_OK);
	assert_int_equal(n, 100000);
	buf_release(&rows);
	buf_release(&b);
}

/* ---- the pieces -------------------------------------------------------------------- */

static void test_numfmt_classify(void **state)
{
	(void)state;
	static const struct {
		const char *code;
		enum xlsx_numfmt_kind kind;
	} cases[] = {
		{ "General", XLSX_NUMFMT_GENERAL },
		{ "0.00", XLSX_NUMFMT_GENERAL },
		{ "@", XLSX_NUMFMT_GENERAL },
		{ "0.00E+00", XLSX_NUMFMT_GENERAL },
		{ "#,##0.00 \"元\"", XLSX_NUMFMT_GENERAL },
		{ "\"Day\" 0", XLSX_NUMFMT_GENERAL },
		{ "_(* #,##0_);[Red]\\(#,##0\\)", XLSX_NUMFMT_GENERAL },
		{ "[Red][<=100]0;[Blue]0", XLSX_NUMFMT_GENERAL },
		{ "0;\"m\"", XLSX_NUMFMT_GENERAL },
		{ "yyyy-mm-dd", XLSX_NUMFMT_DATE },
		{ "yyyy\\-mm\\-dd", XLSX_NUMFMT_DATE },
		{ "YYYY/MM/DD", XLSX_NUMFMT_DATE },
		{ "yyyy\"年\"m\"月\"d\"日\"", XLSX_NUMFMT_DATE },
		{ "[DBNum1][$-804]yyyy\"年\"m\"月\"d\"日\"", XLSX_NUMFMT_DATE },
		{ "yyyy/m/d h:mm", XLSX_NUMFMT_DATE },
		{ "mmm", XLSX_NUMFMT_DATE },
		{ "dddd", XLSX_NUMFMT_DATE },
		{ "yyyy/m/d;@", XLSX_NUMFMT_DATE },
		{ "h:mm", XLSX_NUMFMT_TIME },
		{ "h:mm AM/PM", XLSX_NUMFMT_TIME },
		{ "mm:ss", XLSX_NUMFMT_TIME },
		{ "[h]:mm:ss", XLSX_NUMFMT_TIME },
		{ "[mm]", XLSX_NUMFMT_TIME },
		{ "h\"时\"mm\"分\"", XLSX_NUMFMT_TIME },
		{ "\"unterminated", XLSX_NUMFMT_GENERAL },
		{ "[unterminated", XLSX_NUMFMT_GENERAL },
		{ "0\\", XLSX_NUMFMT_GENERAL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (xlsx_numfmt_classify(cases[i].code) != cases[i].kind)
			fail_msg("format %s: got %d, wanted %d", cases[i].code,
				 xlsx_numfmt_classify(cases[i].code), cases[i].kind);
	assert_int_equal(xlsx_numfmt_builtin(0), XLSX_NUMFMT_GENERAL);
	assert_int_equal(xlsx_numfmt_builtin(14), XLSX_NUMFMT_DATE);
	assert_int_equal(xlsx_numfmt_builtin(22), XLSX_NUMFMT_DATE);
	assert_int_equal(xlsx_numfmt_builtin(18), XLSX_NUMFMT_TIME);
	assert_int_equal(xlsx_numfmt_builtin(31), XLSX_NUMFMT_DATE);
	assert_int_equal(xlsx_numfmt_builtin(32), XLSX_NUMFMT_TIME);
	assert_int_equal(xlsx_numfmt_builtin(47), XLSX_NUMFMT_TIME);
	assert_int_equal(xlsx_numfmt_builtin(49), XLSX_NUMFMT_GENERAL);
	assert_int_equal(xlsx_numfmt_builtin(58), XLSX_NUMFMT_DATE);
	assert_int_equal(xlsx_numfmt_builtin(164), XLSX_NUMFMT_GENERAL);
}

static void test_unescape(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "a_x000D_b", "a\rb" },
		{ "_x005F_x000D_", "_x000D_" },
		{ "_x0000_", "_x0000_" },
		{ "_xD83D__xDE00_", "\xF0\x9F\x98\x80" },
		{ "_xD83D_", "_xD83D_" },
		{ "_xDE00_x", "_xDE00_x" },
		{ "_x41_", "_x41_" },
		{ "_X0041_", "_X0041_" },
		{ "_x004G_", "_x004G_" },
		{ "__x0041__", "_A_" },
		{ "_x4E2D__x6587_", "中文" },
		{ "no escapes", "no escapes" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[64];
		size_t n = strlen(cases[i].in);
		memcpy(buf, cases[i].in, n + 1);
		xlsx_unescape(buf, &n);
		assert_string_equal(buf, cases[i].out);
		assert_int_equal(n, strlen(cases[i].out));
	}
}

static void test_col_names(void **state)
{
	(void)state;
	char b[8];
	assert_string_equal(sheet_col_name(1, b), "A");
	assert_string_equal(sheet_col_name(26, b), "Z");
	assert_string_equal(sheet_col_name(27, b), "AA");
	assert_string_equal(sheet_col_name(52, b), "AZ");
	assert_string_equal(sheet_col_name(53, b), "BA");
	assert_string_equal(sheet_col_name(702, b), "ZZ");
	assert_string_equal(sheet_col_name(703, b), "AAA");
	assert_string_equal(sheet_col_name(16384, b), "XFD");
	assert_string_equal(sheet_col_name(0, b), "");
	assert_string_equal(sheet_col_name(16385, b), "");
	struct sheet_limits l = sheet_limits_resolve(NULL);
	assert_int_equal(l.max_rows, 1048576);
	assert_int_equal(l.max_cols, 16384);
	assert_int_equal(l.max_cell_bytes, 100000);
	assert_int_equal(l.max_total_bytes, (size_t)1 << 30);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_libreoffice_file),
		cmocka_unit_test(test_date_keeps_serial),
		cmocka_unit_test(test_excel_like_file),
		cmocka_unit_test(test_strict_and_1904),
		cmocka_unit_test(test_malformed_files),
		cmocka_unit_test(test_ole2_detected_automatically),
		cmocka_unit_test(test_cell_types),
		cmocka_unit_test(test_malformed_xml),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_number_formats_from_styles),
		cmocka_unit_test(test_many_styles),
		cmocka_unit_test(test_sheet_choice),
		cmocka_unit_test(test_callback_stops_the_read),
		cmocka_unit_test(test_many_rows_stream),
		cmocka_unit_test(test_numfmt_classify),
		cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_col_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
