/*
 * sheet_int.h — what the .csv and .xlsx readers share inside src/files/ (not a public API).
 *
 * A read has one struct sheet_ctx: the resolved limits, the caller's callback and result,
 * and a reusable array of cells for the row being built. Failures go through sheet_fail(),
 * which looks the problem up in one table (code + zh-CN + en text) and writes the message,
 * so every reader words its errors the same way and adding a problem is adding a row.
 */
#ifndef PX_FILES_SHEET_INT_H
#define PX_FILES_SHEET_INT_H

#include "files/sheet.h"

/* Every problem a reader can report; the order matches the table in sheet.c. */
enum sheet_problem {
	SP_EMPTY_FILE,
	SP_OLE2,
	SP_NOT_ZIP,
	SP_ZIP_CORRUPT,
	SP_ZIP_ENCRYPTED,
	SP_ZIP_METHOD,
	SP_ZIP_SIZE_MISMATCH,
	SP_PART_TOO_LARGE,
	SP_TOTAL_TOO_LARGE,
	SP_NO_WORKBOOK,
	SP_NO_SHEET,
	SP_SHEET_NOT_FOUND,
	SP_MISSING_PART,
	SP_XML_MALFORMED,
	SP_XML_DOCTYPE,
	SP_XML_ENCODING,
	SP_XML_TOO_MANY_ATTRS,
	SP_XML_TOO_MANY_ITEMS,
	SP_BAD_REF,
	SP_ROW_ORDER,
	SP_CELL_ORDER,
	SP_BAD_NUMBER,
	SP_BAD_BOOL,
	SP_BAD_DATE,
	SP_SST_INDEX,
	SP_TOO_MANY_ROWS,
	SP_TOO_MANY_COLS,
	SP_CELL_TOO_LONG,
	SP_CSV_UNTERMINATED,
	SP_CSV_NUL,
	SP_CSV_UTF16,
	SP_CSV_ENCODING,
	SP_CSV_TOO_LARGE,
	SP__COUNT
};

struct sheet_ctx {
	struct sheet_limits lim;
	const char *lang;
	const struct sheet_options *opt; /* never NULL: points at defaults when the caller
					    passed NULL */
	struct sheet_result *res;        /* never NULL */
	sheet_row_fn fn;
	void *fn_ctx;
	px_err err;               /* the first failure recorded by sheet_fail() */
	struct sheet_cell *cells; /* the row being built; grown by sheet_cells_reserve() */
	size_t cells_alloc;
};

/* Set up ctx for one read (clears *res) and release it afterwards. */
void sheet_ctx_init(struct sheet_ctx *c, const struct sheet_options *opt, sheet_row_fn fn,
		    void *fn_ctx, struct sheet_result *res, struct sheet_result *res_local,
		    enum sheet_format format);
void sheet_ctx_release(struct sheet_ctx *c);

/*
 * Record a failure: fills res->err_row/err_col/message from the problem table, with an
 * optional `detail` (a part name, a cell's text …; NULL for none) appended in brackets.
 * row/col are 1-based, 0 when unknown. Returns the problem's px_err so callers can write
 * `rc = sheet_fail(...); goto out;`. Only the first failure of a read is kept.
 */
px_err sheet_fail(struct sheet_ctx *c, enum sheet_problem p, uint32_t row, uint32_t col,
		  const char *detail);

/* Make room for n cells in c->cells; new cells are not initialized. */
void sheet_cells_reserve(struct sheet_ctx *c, size_t n);

/*
 * Deliver row `number` made of c->cells[0..n): trims trailing empty cells, skips an empty
 * row, enforces max_rows, counts it in res and calls the callback. Returns the callback's
 * error or PX_ERR_TOO_LARGE.
 */
px_err sheet_emit_row(struct sheet_ctx *c, uint32_t number, size_t n);

/* True for a Compound File Binary (OLE2) file: an old .xls or a password-protected .xlsx. */
int sheet_is_ole2(const void *data, size_t size);

/* The shared empty string cells point at. */
extern const char sheet_empty_text[1];

#endif
