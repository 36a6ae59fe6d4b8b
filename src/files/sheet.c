/*
 * sheet.c — the format-neutral half of the row reader: picking the format, the limits and
 * their defaults, the table of problems and how their messages read, and row delivery.
 *
 * Messages are composed from a location ("第 12 行 C 列:" / "Row 12, column C: "), the
 * problem's text from the table, and an optional detail in brackets (a part name, the
 * offending value). Keeping the wording in one table keeps the two languages in step.
 */
#include "files/sheet_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/mem.h"

const char sheet_empty_text[1] = "";

struct problem_row {
	enum sheet_problem problem;
	px_err err;
	const char *zh;
	const char *en;
};

/* One row per line reads better than any wrapping. */
/* clang-format off */
static const struct problem_row problem_table[] = {
	{SP_EMPTY_FILE, PX_ERR_BAD_FILE, "文件为空", "The file is empty"},
	{SP_OLE2, PX_ERR_BAD_FILE, "这是旧版 .xls 文件或加密的工作簿,请在 Excel 中另存为 .xlsx(不设密码)后再导入", "This is an old .xls file or a password-protected workbook; save it as .xlsx without a password and import again"},
	{SP_NOT_ZIP, PX_ERR_BAD_FILE, "不是有效的 .xlsx 文件:不是 zip 压缩包", "Not a valid .xlsx file: not a zip archive"},
	{SP_ZIP_CORRUPT, PX_ERR_BAD_FILE, ".xlsx 文件已损坏或不完整", "The .xlsx file is damaged or truncated"},
	{SP_ZIP_ENCRYPTED, PX_ERR_BAD_FILE, ".xlsx 文件中有加密内容,无法读取", "The .xlsx file contains encrypted parts"},
	{SP_ZIP_METHOD, PX_ERR_BAD_FILE, ".xlsx 文件使用了不支持的压缩方式", "The .xlsx file uses an unsupported compression method"},
	{SP_ZIP_SIZE_MISMATCH, PX_ERR_BAD_FILE, ".xlsx 文件已损坏:解压后大小与声明不符", "The .xlsx file is damaged: a part's size differs from the declared size"},
	{SP_PART_TOO_LARGE, PX_ERR_TOO_LARGE, ".xlsx 文件解压后过大", "The .xlsx file is too large once uncompressed"},
	{SP_TOTAL_TOO_LARGE, PX_ERR_TOO_LARGE, ".xlsx 文件解压后的总大小超过限制", "The .xlsx file's uncompressed parts exceed the size limit"},
	{SP_NO_WORKBOOK, PX_ERR_BAD_FILE, "不是有效的 .xlsx 文件:缺少工作簿", "Not a valid .xlsx file: no workbook part"},
	{SP_NO_SHEET, PX_ERR_BAD_FILE, "工作簿中没有工作表", "The workbook has no worksheet"},
	{SP_SHEET_NOT_FOUND, PX_ERR_BAD_FILE, "工作簿中没有指定名称的工作表", "The workbook has no worksheet of that name"},
	{SP_MISSING_PART, PX_ERR_BAD_FILE, ".xlsx 文件不完整:缺少部件", "The .xlsx file is incomplete: a part is missing"},
	{SP_XML_MALFORMED, PX_ERR_BAD_FILE, ".xlsx 文件内容格式错误", "The .xlsx file has malformed XML"},
	{SP_XML_DOCTYPE, PX_ERR_BAD_FILE, ".xlsx 文件含有不允许的 DOCTYPE/实体声明", "The .xlsx file has a DOCTYPE or entity declaration, which is not allowed"},
	{SP_XML_ENCODING, PX_ERR_ENCODING, ".xlsx 文件中有无效的字符编码", "The .xlsx file has invalid character encoding"},
	{SP_XML_TOO_MANY_ATTRS, PX_ERR_BAD_FILE, ".xlsx 文件内容异常:元素属性过多", "The .xlsx file is abnormal: an element has too many attributes"},
	{SP_XML_TOO_MANY_ITEMS, PX_ERR_TOO_LARGE, ".xlsx 文件中的样式或工作表数量超过限制", "The .xlsx file has more styles or sheets than allowed"},
	{SP_BAD_REF, PX_ERR_BAD_FILE, "单元格位置无效", "Invalid cell reference"},
	{SP_ROW_ORDER, PX_ERR_BAD_FILE, "行的顺序错乱或重复", "Rows are out of order or repeated"},
	{SP_CELL_ORDER, PX_ERR_BAD_FILE, "单元格顺序错乱或重复", "Cells are out of order or repeated"},
	{SP_BAD_NUMBER, PX_ERR_BAD_FILE, "数值单元格的内容不是数字", "A numeric cell does not hold a number"},
	{SP_BAD_BOOL, PX_ERR_BAD_FILE, "逻辑值单元格的内容无效", "A boolean cell holds neither 0 nor 1"},
	{SP_BAD_DATE, PX_ERR_BAD_FILE, "日期单元格的内容无效", "A date cell does not hold a valid date"},
	{SP_SST_INDEX, PX_ERR_BAD_FILE, "单元格引用了不存在的共享字符串", "A cell refers to a shared string that does not exist"},
	{SP_TOO_MANY_ROWS, PX_ERR_TOO_LARGE, "行数超过限制", "More rows than allowed"},
	{SP_TOO_MANY_COLS, PX_ERR_TOO_LARGE, "列数超过限制", "More columns than allowed"},
	{SP_CELL_TOO_LONG, PX_ERR_TOO_LARGE, "单元格内容过长", "Cell text too long"},
	{SP_CSV_UNTERMINATED, PX_ERR_BAD_FILE, "引号未闭合:从这一行开始的带引号字段直到文件末尾都没有结束引号", "Unterminated quote: the quoted field starting on this row never ends"},
	{SP_CSV_NUL, PX_ERR_BAD_FILE, "文件含有空字符(NUL),不是文本文件", "The file contains NUL bytes; it is not a text file"},
	{SP_CSV_UTF16, PX_ERR_ENCODING, "文件是 UTF-16 编码,请另存为 UTF-8 或 GBK 编码的 CSV", "The file is UTF-16; save it as a UTF-8 or GBK CSV"},
	{SP_CSV_ENCODING, PX_ERR_ENCODING, "文件编码无法识别,请使用 UTF-8 或 GB18030(GBK)", "Unknown text encoding; use UTF-8 or GB18030 (GBK)"},
	{SP_CSV_TOO_LARGE, PX_ERR_TOO_LARGE, "文件过大", "The file is too large"},
};
/* clang-format on */

_Static_assert(sizeof problem_table / sizeof problem_table[0] == SP__COUNT,
	       "problem_table must have one row per sheet_problem");

static const struct sheet_options default_options;

struct sheet_limits sheet_limits_resolve(const struct sheet_limits *in)
{
	struct sheet_limits l = in ? *in : (struct sheet_limits){ 0 };
	if (!l.max_rows || l.max_rows > SHEET_EXCEL_MAX_ROWS)
		l.max_rows = SHEET_EXCEL_MAX_ROWS;
	if (!l.max_cols || l.max_cols > SHEET_EXCEL_MAX_COLS)
		l.max_cols = SHEET_EXCEL_MAX_COLS;
	if (!l.max_cell_bytes)
		l.max_cell_bytes = 100000;
	if (!l.max_total_bytes)
		l.max_total_bytes = (size_t)1 << 30;
	return l;
}

void sheet_ctx_init(struct sheet_ctx *c, const struct sheet_options *opt, sheet_row_fn fn,
		    void *fn_ctx, struct sheet_result *res, struct sheet_result *res_local,
		    enum sheet_format format)
{
	memset(c, 0, sizeof *c);
	c->opt = opt ? opt : &default_options;
	c->lim = sheet_limits_resolve(&c->opt->limits);
	c->lang = c->opt->lang;
	c->res = res ? res : res_local;
	memset(c->res, 0, sizeof *c->res);
	c->res->format = format;
	c->fn = fn;
	c->fn_ctx = fn_ctx;
}

void sheet_ctx_release(struct sheet_ctx *c)
{
	free(c->cells);
	c->cells = NULL;
	c->cells_alloc = 0;
}

px_err sheet_fail(struct sheet_ctx *c, enum sheet_problem p, uint32_t row, uint32_t col,
		  const char *detail)
{
	const struct problem_row *pr = &problem_table[(unsigned)p < SP__COUNT ? p : SP_ZIP_CORRUPT];
	struct sheet_result *r = c->res;
	if (c->err)
		return c->err; /* the first failure explains; later ones are its echoes */
	c->err = pr->err;
	int en = px_lang_is_en(c->lang);
	char where[64] = "";
	char colname[8];
	if (row && col)
		snprintf(where, sizeof where,
			 en ? "Row %u, column %s: " : "第 %u 行 %s 列:", (unsigned)row,
			 sheet_col_name(col, colname));
	else if (row)
		snprintf(where, sizeof where, en ? "Row %u: " : "第 %u 行:", (unsigned)row);
	else if (col)
		snprintf(where, sizeof where,
			 en ? "Column %s: " : "%s 列:", sheet_col_name(col, colname));
	if (detail && *detail)
		snprintf(r->message, sizeof r->message, en ? "%s%s (%.120s)" : "%s%s(%.120s)",
			 where, en ? pr->en : pr->zh, detail);
	else
		snprintf(r->message, sizeof r->message, "%s%s", where, en ? pr->en : pr->zh);
	/* snprintf may have cut a multi-byte character in half: drop the broken tail. */
	size_t n = strlen(r->message);
	while (n && !utf8_valid(r->message, n))
		r->message[--n] = '\0';
	r->err_row = row;
	r->err_col = col;
	return pr->err;
}

void sheet_cells_reserve(struct sheet_ctx *c, size_t n)
{
	if (n <= c->cells_alloc)
		return;
	size_t alloc = c->cells_alloc ? c->cells_alloc : 16;
	while (alloc < n)
		alloc *= 2;
	c->cells = xrealloc(c->cells, alloc * sizeof *c->cells);
	c->cells_alloc = alloc;
}

px_err sheet_emit_row(struct sheet_ctx *c, uint32_t number, size_t n)
{
	while (n && c->cells[n - 1].type == SHEET_EMPTY)
		n--;
	if (!n)
		return PX_OK;
	if (number > c->lim.max_rows)
		return sheet_fail(c, SP_TOO_MANY_ROWS, number, 0, NULL);
	struct sheet_row row = { .number = number, .ncells = n, .cells = c->cells };
	c->res->rows++;
	c->res->last_row = number;
	return c->fn ? c->fn(c->fn_ctx, &row) : PX_OK;
}

const struct sheet_cell *sheet_row_cell(const struct sheet_row *row, size_t col)
{
	static const struct sheet_cell empty = { SHEET_EMPTY, sheet_empty_text, 0, 0, DATE_NONE };
	return col < row->ncells ? &row->cells[col] : &empty;
}

char *sheet_col_name(uint32_t col, char out[8])
{
	char tmp[8];
	size_t n = 0;
	out[0] = '\0';
	if (col == 0 || col > SHEET_EXCEL_MAX_COLS)
		return out;
	while (col) {
		col--;
		tmp[n++] = (char)('A' + col % 26);
		col /= 26;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
	return out;
}

/* Compound File Binary (OLE2): old .xls, and also every password-protected .xlsx. */
static const unsigned char ole2_magic[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };

px_err sheet_read(const void *data, size_t size, const struct sheet_options *opt, sheet_row_fn fn,
		  void *ctx, struct sheet_result *res)
{
	enum sheet_format f = opt ? opt->format : SHEET_FORMAT_AUTO;
	if (f == SHEET_FORMAT_AUTO) {
		const unsigned char *p = data;
		if (size >= 4 && p[0] == 'P' && p[1] == 'K' && p[2] < 9 && p[3] < 9)
			f = SHEET_FORMAT_XLSX;
		else if (sheet_is_ole2(data, size))
			f = SHEET_FORMAT_XLSX; /* xlsx_read() explains the refusal */
		else
			f = SHEET_FORMAT_CSV;
	}
	if (f == SHEET_FORMAT_XLSX)
		return xlsx_read(data, size, opt, fn, ctx, res);
	return csv_read(data, size, opt, fn, ctx, res);
}

int sheet_is_ole2(const void *data, size_t size)
{
	return size >= 8 && memcmp(data, ole2_magic, 8) == 0;
}
