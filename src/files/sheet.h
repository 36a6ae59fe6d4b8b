/*
 * sheet.h — one streaming row reader for the spreadsheets users upload: .xlsx and .csv.
 *
 * Training offices keep their registries in Excel and send them as .xlsx or as a .csv that
 * Excel saved (often GBK on Chinese Windows). The importer does not care which: it wants
 * one row at a time, each cell as UTF-8 text with a type, and the row number Excel shows so
 * that an error report can say "第 12 行". sheet_read() gives exactly that.
 *
 * Design:
 *  - Streaming. Rows are handed to a callback as they are parsed; nothing holds the whole
 *    grid. An .xlsx worksheet is inflated and parsed in 64 KiB chunks (libzip + a libxml2
 *    SAX push parser); only the shared-string table is kept whole, because cells refer to it
 *    by index. A .csv is decoded to UTF-8 once and then split in place.
 *  - Exact text. A number keeps the text written in the file: "350583198001010011" stays
 *    that string, never 3.5E17. A numeric cell with a date format becomes type DATE with
 *    text YYYY-MM-DD.
 *  - Hostile input is expected. Every size is capped (struct sheet_limits); a malformed file
 *    ends the read with PX_ERR_BAD_FILE, PX_ERR_ENCODING or PX_ERR_TOO_LARGE and a one-line
 *    message, in the caller's language, naming what is wrong and where (docs/files.md lists
 *    what is defended against).
 *
 * Thread safety: calls share no mutable state; any number may run at once.
 */
#ifndef PX_FILES_SHEET_H
#define PX_FILES_SHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/utf8.h"

/* Excel's own grid: 1,048,576 rows × 16,384 columns (A … XFD). */
#define SHEET_EXCEL_MAX_ROWS 1048576u
#define SHEET_EXCEL_MAX_COLS 16384u

enum sheet_cell_type {
	SHEET_EMPTY = 0,
	SHEET_STRING, /* text; every non-empty .csv field is a string */
	SHEET_NUMBER, /* text = the number exactly as written in the file */
	SHEET_BOOL,   /* text = "TRUE" or "FALSE" */
	SHEET_DATE,   /* text = YYYY-MM-DD */
	SHEET_ERROR,  /* text = Excel's error value, e.g. "#N/A", "#DIV/0!" */
};

struct sheet_cell {
	enum sheet_cell_type type;
	const char *text; /* UTF-8, NUL-terminated, never NULL ("" when empty) */
	size_t len;       /* bytes of text */
	double number;    /* NUMBER: the value; DATE: the Excel serial (time of day kept in
			     the fraction); BOOL: 0 or 1; otherwise 0 */
	int32_t date;     /* DATE: days since 1970-01-01 (base/date.h); otherwise DATE_NONE */
	bool quoted;      /* text on purpose: a .csv field written in quotes or as ="…" (Excel
			     writes a number bare), an .xlsx string cell (not a formula's) */
};

/*
 * One row as the callback sees it. cells[0] is column A. ncells stops after the last
 * non-empty cell (trailing empty cells are not counted); cells before it that the file left
 * out are SHEET_EMPTY. Rows without any non-empty cell are not delivered, so numbers may
 * jump. Everything a row points to is valid only during the callback: copy what you keep.
 */
struct sheet_row {
	uint32_t number; /* 1-based, as Excel shows it; for .csv the record number */
	size_t ncells;
	const struct sheet_cell *cells;
};

/*
 * Caps on what a file may make us do. A zero field takes its default (in brackets).
 *  max_rows        highest row number that may hold data          [1,048,576]
 *  max_cols        highest column number that may hold data       [16,384]
 *  max_cell_bytes  UTF-8 bytes in one cell                         [100,000]
 *  max_total_bytes .xlsx: bytes inflated from the zip, all parts together (this also
 *                  bounds the shared strings held in memory); .csv: bytes of the text
 *                  after decoding to UTF-8                          [1 GiB]
 * Passing a cap → PX_ERR_TOO_LARGE. Empty cells beyond max_cols (Excel writes them for
 * formatting) are ignored rather than refused.
 */
struct sheet_limits {
	uint32_t max_rows;
	uint32_t max_cols;
	size_t max_cell_bytes;
	size_t max_total_bytes;
};

enum sheet_format {
	SHEET_FORMAT_AUTO = 0, /* by content: a zip is .xlsx, an OLE2 file is refused with a
				  message (old .xls or password-protected), else .csv */
	SHEET_FORMAT_XLSX,
	SHEET_FORMAT_CSV,
};

struct sheet_options {
	enum sheet_format format;
	struct sheet_limits limits;
	const char *lang;       /* messages in English when px_lang_is_en(lang), else zh-CN */
	char csv_delimiter;     /* 0: detect among ',' '\t' ';' from the first record */
	const char *sheet_name; /* .xlsx: read this worksheet; NULL: the first visible one */
};

/* What the read found; filled by sheet_read() whether it succeeds or fails. */
struct sheet_result {
	enum sheet_format format;    /* the format actually read */
	enum text_encoding encoding; /* .csv: UTF-8 (with or without BOM) or GB18030 */
	char delimiter;              /* .csv: the delimiter used */
	char sheet_name[128];        /* .xlsx: name of the worksheet read */
	uint32_t rows;               /* rows delivered to the callback */
	uint32_t last_row;           /* number of the last row delivered */
	/* On failure: where (0 when not tied to a cell) and a one-line message for the user
	 * ("" when the callback stopped the read: its error is its own to explain). */
	uint32_t err_row;
	uint32_t err_col;
	char message[320];
};

/*
 * Called once per row, in order. Return PX_OK to go on; any other value stops the read and
 * becomes sheet_read()'s return value.
 */
typedef px_err (*sheet_row_fn)(void *ctx, const struct sheet_row *row);

/*
 * Read the first visible worksheet of an .xlsx, or a .csv, from data[0..size) (borrowed;
 * not modified; must stay valid during the call). opt may be NULL (all defaults); res may
 * be NULL. Returns PX_OK after the last row, the callback's error, or:
 *  PX_ERR_BAD_FILE  not a spreadsheet, truncated, malformed XML or zip, missing parts,
 *                   unterminated quote in a .csv …
 *  PX_ERR_ENCODING  text that is neither UTF-8 nor GB18030, UTF-16, invalid UTF-8 in XML
 *  PX_ERR_TOO_LARGE a limit was passed
 * with res->message saying which and where. Rows already delivered stay delivered: an
 * importer that must be all-or-nothing collects first and commits after PX_OK.
 */
px_err sheet_read(const void *data, size_t size, const struct sheet_options *opt, sheet_row_fn fn,
		  void *ctx, struct sheet_result *res);

/* The same, for a known format (sheet_read() dispatches to these). */
px_err xlsx_read(const void *data, size_t size, const struct sheet_options *opt, sheet_row_fn fn,
		 void *ctx, struct sheet_result *res);
px_err csv_read(const void *data, size_t size, const struct sheet_options *opt, sheet_row_fn fn,
		void *ctx, struct sheet_result *res);

/* The limits with every zero field replaced by its default. */
struct sheet_limits sheet_limits_resolve(const struct sheet_limits *in);

/* The cell at 0-based column col, or a static empty cell past the end of the row. */
const struct sheet_cell *sheet_row_cell(const struct sheet_row *row, size_t col);

/* Column letters for a 1-based column number: 1 → "A", 28 → "AB"; out needs 8 bytes.
 * Returns out ("" for 0 or a number beyond XFD). */
char *sheet_col_name(uint32_t col, char out[8]);

#endif
