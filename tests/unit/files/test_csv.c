/*
 * test_csv.c — the .csv reader: encodings (GBK from Excel, UTF-8 with BOM, UTF-16
 * refused), RFC 4180 quoting, delimiters, row numbering, limits, and its error messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sheet_fixture.h"

static px_err read_str(const char *text, const struct sheet_options *opt, struct sheet_result *res,
		       char **out)
{
	return dump_read(text, strlen(text), opt, res, out);
}

static void test_gbk_from_excel(void **state)
{
	(void)state;
	struct sheet_result res;
	char *out;
	assert_int_equal(dump_fixture("gbk.csv", NULL, &res, &out), PX_OK);
	assert_int_equal(res.format, SHEET_FORMAT_CSV);
	assert_int_equal(res.encoding, TEXT_GB18030);
	assert_int_equal(res.delimiter, ',');
	assert_int_equal(res.rows, 3);
	assert_string_equal(out, "1: S[姓名] S[身份证号] S[出生日期] S[单位] S[备注]\n"
				 "2: S[张三] S[350583198001010011] S[1980-01-01] S[溪美街道] "
				 "S[一把手]\n"
				 "3: S[李四] S[35058319800101002X] S[1985/12/31] S[柳城街道]\n");
	free(out);
}

static void test_utf8_bom(void **state)
{
	(void)state;
	struct sheet_result res;
	char *out;
	assert_int_equal(dump_fixture("utf8_bom.csv", NULL, &res, &out), PX_OK);
	assert_int_equal(res.encoding, TEXT_UTF8);
	/* the BOM is not part of the first header */
	assert_memory_equal(out, "1: S[姓名] ", strlen("1: S[姓名] "));
	free(out);
}

static void test_libreoffice_gb18030(void **state)
{
	(void)state;
	struct sheet_result res;
	char *out;
	assert_int_equal(dump_fixture("lo_cadres_gb18030.csv", NULL, &res, &out), PX_OK);
	assert_int_equal(res.encoding, TEXT_GB18030);
	assert_non_null(strstr(out, "2: S[张三] S[350583198001010011] S[3.5058319800101E+017] "
				    "S[1980-01-01]"));
	/* a quoted cell spanning two lines is one row: the next record is row 3 */
	assert_non_null(strstr(out, "S[第一行\n第二行]\n3: S[  李 四  ]"));
	assert_non_null(strstr(out, "\n5: S[王五 & <赵六>]"));
	free(out);
}

static void test_quoting(void **state)
{
	(void)state;
	struct sheet_result res;
	char *out;
	assert_int_equal(dump_fixture("quoted.csv", NULL, &res, &out), PX_OK);
	assert_string_equal(out, "1: S[姓名] S[备注] S[金额]\n"
				 "2: S[王五] S[第一行\n第二行, 含逗号] S[1,234]\n"
				 "3: S[赵\"六\"] S[350583198001010011]\n"
				 "5: S[末行]\n");
	assert_int_equal(res.rows, 4);
	assert_int_equal(res.last_row, 5);
	free(out);

	/* lenient like Excel: a quote inside an unquoted field, text after a closing quote */
	assert_int_equal(read_str("a\"b,\"x\"y,\"\"\n", NULL, &res, &out), PX_OK);
	assert_string_equal(out, "1: S[a\"b] S[xy]\n");
	free(out);
}

static void test_line_endings_and_blank_rows(void **state)
{
	(void)state;
	struct sheet_result res;
	char *out;
	assert_int_equal(read_str("a,b\r\nc\rd\n\n\r\n,,\ne", NULL, &res, &out), PX_OK);
	assert_string_equal(out, "1: S[a] S[b]\n2: S[c]\n3: S[d]\n7: S[e]\n");
	free(out);
	/* a final newline does not make a row; trailing empty fields are trimmed */
	assert_int_equal(read_str("x,,\n", NULL, &res, &out), PX_OK);
	assert_string_equal(out, "1: S[x]\n");
	assert_int_equal(res.last_row, 1);
	free(out);
	/* an empty field between values stays */
	assert_int_equal(read_str(",x\n", NULL, &res, &out), PX_OK);
	assert_string_equal(out, "1: E[] S[x]\n");
	free(out);
	assert_int_equal(read_str("", NULL, &res, &out), PX_OK);
	assert_string_equal(out, "");
	assert_int_equal(res.rows, 0);
	free(out);
	assert_int_equal(sheet_read(NULL, 0, NULL, NULL, NULL, NULL), PX_OK);
	struct sheet_options x = { .format = SHEET_FORMAT_XLSX };
	assert_int_equal(sheet_read(NULL, 0, &x, NULL, NULL, &res), PX_ERR_BAD_FILE);
	assert_string_equal(res.message, "文件为空");
}

static void test_delimiters(void **state)
{
	(void)state;
	struct sheet_result res;
	char *out;
	assert_int_equal(dump_fixture("tab.tsv", NULL, &res, &out), PX_OK);
	assert_int_equal(res.delimiter, '\t');
	assert_string_equal(out, "1: S[姓名] S[身份证号]\n2: S[张三] S[350583198001010011]\n");
	free(out);
	assert_int_equal(dump_fixture("semicolon.csv", NULL, &res, &out), PX_OK);
	assert_int_equal(res.delimiter, ';');
	assert_string_equal(out, "1: S[姓名] S[金额]\n2: S[张三] S[1,5]\n");
	free(out);
	/* commas in quotes do not count when guessing */
	assert_int_equal(read_str("\"a,b,c\";d\n", NULL, &res, &out), PX_OK);
	assert_int_equal(res.delimiter, ';');
	free(out);
	/* the caller's delimiter wins */
	struct sheet_options o = { .csv_delimiter = ',' };
	assert_int_equal(read_str("a;b,c\n", &o, &res, &out), PX_OK);
	assert_string_equal(out, "1: S[a;b] S[c]\n");
	free(out);
	/* Excel's "sep=" first line names the delimiter and is not a row */
	assert_int_equal(read_str("sep=|\r\n姓名|电话\r\n张三|138\r\n", NULL, &res, &out), PX_OK);
	assert_int_equal(res.delimiter, '|');
	assert_string_equal(out, "1: S[姓名] S[电话]\n2: S[张三] S[138]\n");
	free(out);
}

static void test_formula_text_unwrapped(void **state)
{
	(void)state;
	struct sheet_result res;
	char *out;
	/* ="…" is how exporting systems keep ID numbers as text */
	assert_int_equal(read_str("=\"350583198001010011\",\"=\"\"0591\"\"\",=1+2,=\"a\"b\"\n",
				  NULL, &res, &out),
			 PX_OK);
	assert_string_equal(out, "1: S[350583198001010011] S[0591] S[=1+2] S[=\"a\"b\"]\n");
	free(out);
}

static void test_unterminated_quote_names_row(void **state)
{
	(void)state;
	struct sheet_result res;
	char *out;
	assert_int_equal(dump_fixture("unterminated.csv", NULL, &res, &out), PX_ERR_BAD_FILE);
	assert_int_equal(res.err_row, 3);
	assert_int_equal(res.err_col, 2);
	assert_int_equal(res.rows, 2); /* rows before it were delivered */
	assert_non_null(strstr(res.message, "第 3 行 B 列"));
	assert_non_null(strstr(res.message, "引号未闭合"));
	free(out);
	struct sheet_options en = { .lang = "en-US" };
	assert_int_equal(dump_fixture("unterminated.csv", &en, &res, &out), PX_ERR_BAD_FILE);
	assert_string_equal(res.message, "Row 3, column B: Unterminated quote: the quoted field "
					 "starting on this row never ends");
	free(out);
}

static void test_encodings_refused(void **state)
{
	(void)state;
	struct sheet_result res;
	char *out;
	assert_int_equal(dump_fixture("utf16.csv", NULL, &res, &out), PX_ERR_ENCODING);
	assert_non_null(strstr(res.message, "UTF-16"));
	free(out);
	assert_int_equal(dump_fixture("bad_encoding.csv", NULL, &res, &out), PX_ERR_ENCODING);
	assert_non_null(strstr(res.message, "GB18030"));
	free(out);
	/* UTF-16 without BOM, and NUL bytes in general */
	static const char u16[] = { 'a', 0, ',', 0, 'b', 0, '\n', 0 };
	assert_int_equal(dump_read(u16, sizeof u16, NULL, &res, &out), PX_ERR_ENCODING);
	free(out);
	static const char nul[] = { 'a', ',', 'b', 0, 'c', '\n' };
	assert_int_equal(dump_read(nul, sizeof nul, NULL, &res, &out), PX_ERR_BAD_FILE);
	assert_non_null(strstr(res.message, "NUL"));
	free(out);
	/* a BOM followed by invalid UTF-8 is not re-read as GB18030 */
	assert_int_equal(read_str("\xEF\xBB\xBF"
				  "a,\xC3\n",
				  NULL, &res, &out),
			 PX_ERR_ENCODING);
	free(out);
}

static void test_limits(void **state)
{
	(void)state;
	struct sheet_result res;
	char *out;
	struct sheet_options o = { .limits = { .max_cols = 3 } };
	/* empty fields past the limit cost nothing; a value there is refused */
	assert_int_equal(read_str("a,b,c,,,,,\n", &o, &res, &out), PX_OK);
	free(out);
	assert_int_equal(read_str("a,b,c\nd,e,f,g\n", &o, &res, &out), PX_ERR_TOO_LARGE);
	assert_int_equal(res.err_row, 2);
	assert_int_equal(res.err_col, 4);
	assert_non_null(strstr(res.message, "第 2 行 D 列"));
	free(out);

	o = (struct sheet_options){ .limits = { .max_cell_bytes = 4 } };
	assert_int_equal(read_str("abcd,\"ab\"\"c\"\nabcde\n", &o, &res, &out), PX_ERR_TOO_LARGE);
	assert_int_equal(res.err_row, 2);
	assert_string_equal(out, "1: S[abcd] S[ab\"c]\n");
	free(out);

	o = (struct sheet_options){ .limits = { .max_rows = 2 } };
	assert_int_equal(read_str("a\nb\n\n", &o, &res, &out), PX_OK); /* row 3 is empty */
	free(out);
	assert_int_equal(read_str("a\nb\nc\n", &o, &res, &out), PX_ERR_TOO_LARGE);
	assert_int_equal(res.err_row, 3);
	assert_int_equal(res.rows, 2);
	free(out);

	o = (struct sheet_options){ .limits = { .max_total_bytes = 10 } };
	assert_int_equal(read_str("0123456789\n", &o, &res, &out), PX_ERR_TOO_LARGE);
	free(out);
	assert_int_equal(read_str("012345678\n", &o, &res, &out), PX_OK);
	free(out);
}

static void test_callback_stops_the_read(void **state)
{
	(void)state;
	struct sheet_result res;
	struct dump d = { .out = BUF_INIT(0), .stop_at = 2, .stop_err = PX_ERR_INVALID };
	const char *text = "a\nb\nc\n";
	assert_int_equal(sheet_read(text, strlen(text), NULL, dump_row, &d, &res), PX_ERR_INVALID);
	assert_string_equal(d.out.data, "1: S[a]\n2: S[b]\n");
	assert_string_equal(res.message, ""); /* the callback explains its own error */
	buf_release(&d.out);
}

/* Many rows: every one arrives, in order, numbered, and nothing is kept between them. */
static px_err count_rows(void *ctx, const struct sheet_row *r)
{
	uint32_t *n = ctx;
	if (r->number != *n + 1 || r->ncells != 12 || strcmp(r->cells[11].text, "末") != 0)
		return PX_ERR_INTERNAL;
	(*n)++;
	return PX_OK;
}

static void test_many_rows(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(0);
	for (int i = 0; i < 200000; i++)
		buf_printf(&b, "%d,张三,350583198001010011,1980-01-01,\"a,b\",1,2,3,4,5,6,末\r\n",
			   i);
	uint32_t n = 0;
	struct sheet_result res;
	assert_int_equal(sheet_read(b.data, b.len, NULL, count_rows, &n, &res), PX_OK);
	assert_int_equal(n, 200000);
	assert_int_equal(res.rows, 200000);
	buf_release(&b);
}

static void test_auto_detects_csv(void **state)
{
	(void)state;
	struct sheet_result res;
	char *out;
	/* text that starts like nothing else is a .csv; "PK" alone is not a zip */
	assert_int_equal(read_str("PK,x\n", NULL, &res, &out), PX_OK);
	assert_int_equal(res.format, SHEET_FORMAT_CSV);
	assert_string_equal(out, "1: S[PK] S[x]\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gbk_from_excel),
		cmocka_unit_test(test_utf8_bom),
		cmocka_unit_test(test_libreoffice_gb18030),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_line_endings_and_blank_rows),
		cmocka_unit_test(test_delimiters),
		cmocka_unit_test(test_formula_text_unwrapped),
		cmocka_unit_test(test_unterminated_quote_names_row),
		cmocka_unit_test(test_encodings_refused),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_callback_stops_the_read),
		cmocka_unit_test(test_many_rows),
		cmocka_unit_test(test_auto_detects_csv),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
