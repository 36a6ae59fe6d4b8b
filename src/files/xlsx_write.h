/*
 * xlsx_write.h — .xlsx export: lists, import templates and error reports.
 *
 * A small layer over libxlsxwriter that knows what peixun's spreadsheets look like, so that
 * callers describe columns and hand over rows instead of juggling formats:
 *  - a header row in bold on a filled background, frozen, with an autofilter; required
 *    columns (必填) get a red header;
 *  - per column: width, and a kind that sets the number format of the whole column. TEXT
 *    ('@') matters most: a user typing an 18-digit ID number or a phone number into a TEXT
 *    column of a template keeps it as text instead of 3.50583E+17; DATE shows yyyy-mm-dd;
 *  - per column: a dropdown (data validation list), e.g. 性别 男/女 or the 职级 list; long
 *    lists go to a hidden sheet, since Excel caps an inline list at 255 characters;
 *  - per row: a light red highlight (the rows of an error report), and per cell a
 *    stronger mark (the offending cell);
 *  - a plain sheet of instructions (填写说明).
 *
 * libxlsxwriter 1.1.4 writes only to a file, so the workbook goes to a mkstemp() file that
 * xlsx_writer_finish() reads back into memory and unlinks. With constant_memory, rows are
 * streamed to temporary files as they come (strings are then written inline rather than
 * in a shared-string table): memory stays flat for a million-row export.
 *
 * Strings must be UTF-8. Text is always written as a string cell, never as a formula, so a
 * value like "=cmd|' /C calc'!A0" exported from user data stays inert text.
 *
 *	struct xlsx_writer *w;
 *	px_err rc = xlsx_writer_new(NULL, &w);
 *	rc = rc ? rc : xlsx_writer_add_sheet(w, "干部名册", cols, ncols);
 *	rc = rc ? rc : xlsx_writer_add_row(w, values, ncols, 0);           // … per row
 *	rc = rc ? rc : xlsx_writer_add_text_sheet(w, "填写说明", lines, nlines);
 *	struct buf out = BUF_INIT(0);
 *	rc = rc ? (xlsx_writer_free(w), rc) : xlsx_writer_finish(w, &out);  // w is gone
 *
 * A writer is used by one thread at a time; separate writers are independent.
 */
#ifndef PX_FILES_XLSX_WRITE_H
#define PX_FILES_XLSX_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

enum xlsx_col_kind {
	XLSX_COL_GENERAL = 0, /* Excel's General */
	XLSX_COL_TEXT,        /* '@': ID numbers, phone numbers, codes with leading zeros */
	XLSX_COL_DATE,        /* yyyy-mm-dd */
	XLSX_COL_INTEGER,     /* 0 */
	XLSX_COL_DECIMAL,     /* 0.00 (hours, amounts) */
	XLSX_COL__COUNT
};

struct xlsx_column {
	const char *header; /* header text (required) */
	double width;       /* in characters; 0: fit the header (CJK counts double) */
	enum xlsx_col_kind kind;
	bool required;              /* red header: the column must be filled in */
	const char *const *choices; /* dropdown values, NULL-terminated; NULL: no dropdown */
	const char *prompt;         /* shown when a cell of the column is selected (≤ 255
				       characters; only with choices); NULL: none */
};

enum xlsx_value_type { XLSX_BLANK = 0, XLSX_TEXT, XLSX_NUMBER, XLSX_DATE, XLSX_BOOL };

struct xlsx_value {
	enum xlsx_value_type type;
	const char *text; /* XLSX_TEXT; NULL is written as blank */
	double number;    /* XLSX_NUMBER (finite); XLSX_BOOL: non-zero is TRUE */
	int32_t date;     /* XLSX_DATE: days since 1970-01-01 (base/date.h) */
	bool mark;        /* the offending cell of an error report: strong red */
};

static inline struct xlsx_value xlsx_text(const char *s)
{
	return (struct xlsx_value){ .type = XLSX_TEXT, .text = s };
}

static inline struct xlsx_value xlsx_number(double v)
{
	return (struct xlsx_value){ .type = XLSX_NUMBER, .number = v };
}

static inline struct xlsx_value xlsx_date(int32_t days)
{
	return (struct xlsx_value){ .type = XLSX_DATE, .date = days };
}

/* xlsx_writer_add_row() flags */
#define XLSX_ROW_HIGHLIGHT 1u /* light red fill across the row: a row with errors */
#define XLSX_ROW_MUTED     2u /* grey fill across the row: a row an import skipped */
#define XLSX_ROW_EXAMPLE   4u /* grey italics: a template's example row */

struct xlsx_writer_options {
	bool constant_memory; /* stream rows to temporary files: for big exports */
	const char *tmpdir;   /* for the temporary files; NULL: $TMPDIR, else /tmp */
	size_t max_bytes;     /* cap on the finished file; 0: 1 GiB */
};

struct xlsx_writer;

/* A new, empty workbook. opt may be NULL. Free with xlsx_writer_finish() or _free(). */
px_err xlsx_writer_new(const struct xlsx_writer_options *opt, struct xlsx_writer **out);

/*
 * Start a data sheet (ending the previous one) and write its header row. `cols` is
 * copied; the strings it points to must stay valid until the next add_sheet or finish.
 * Errors: PX_ERR_INVALID for a name Excel refuses (over 31 characters, []:*?/\, or
 * already used), an empty header, or a prompt/dropdown over Excel's limits.
 */
px_err xlsx_writer_add_sheet(struct xlsx_writer *w, const char *name,
			     const struct xlsx_column *cols, size_t ncols);

/*
 * The same, with the header on row header_row (0-based) instead of the first: the rows above
 * it can then be written with xlsx_writer_goto_row (a report keeps a file's title rows and
 * row numbers). PX_ERR_INVALID as above, and for header_row > 0 in a constant_memory
 * writer.
 */
px_err xlsx_writer_add_sheet_at(struct xlsx_writer *w, const char *name,
				const struct xlsx_column *cols, size_t ncols, uint32_t header_row);

/*
 * The next row goes to row `row` (0-based), and the following ones below it: a row left
 * out stays empty. Any row but the header's; only forward in a constant_memory writer
 * (else PX_ERR_INVALID).
 */
px_err xlsx_writer_goto_row(struct xlsx_writer *w, uint32_t row);

/*
 * Append a row of n values (n may be less than the column count; more is PX_ERR_INVALID)
 * to the current data sheet. Values are borrowed for the call only. Errors:
 * PX_ERR_ENCODING for text that is not UTF-8, PX_ERR_TOO_LARGE for text over Excel's
 * 32,767 characters or past row 1,048,576, PX_ERR_INVALID for a non-finite number or no
 * sheet. The first error is also kept by the writer: later calls return it and finish
 * fails with it.
 */
px_err xlsx_writer_add_row(struct xlsx_writer *w, const struct xlsx_value *vals, size_t n,
			   unsigned flags);

/* A sheet of instructions: lines[0] as a title, each further line a wrapped paragraph. */
px_err xlsx_writer_add_text_sheet(struct xlsx_writer *w, const char *name, const char *const *lines,
				  size_t n);

/*
 * Write the workbook, append the .xlsx bytes to `out` and free the writer (always, also on
 * failure). Errors: the first error of an earlier call, PX_ERR_IO when the temporary file
 * cannot be written or read, PX_ERR_TOO_LARGE above max_bytes or out's cap.
 */
px_err xlsx_writer_finish(struct xlsx_writer *w, struct buf *out);

/* Discard a writer without producing a file. NULL is fine. */
void xlsx_writer_free(struct xlsx_writer *w);

#endif
