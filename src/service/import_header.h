/*
 * import_header.h — the layout of an imported sheet, found by content: its header row, the
 * columns it names and those it does not, and the rows that are not records (合计, 填表人,
 * a lone 序号). Shared by the import (importer.c) and its error report (exports.c). Internal
 * to the service layer.
 *
 * The header is the first row that names at least two known columns. A header cell names a
 * field by any of the names offices use for it (domain/columns.h: 身份证号码 for 身份证号,
 * 手机 for 手机号码 …) after folding (full-width letters and digits, spaces and line breaks,
 * the "*" and "(必填)" marks), so a title row above it does no harm and columns may come in
 * any order. A header cell that names no field — or a field named already by a column to
 * its left — is a column left out: the import names it back. 序号 is a row counter, left out
 * without a word.
 *
 * Everything here is decided once, at the header; a data row costs import_row_skip (a look
 * at its first cells) and nothing else: the bulk path of a million rows stays as it was.
 */
#ifndef PX_IMPORT_HEADER_H
#define PX_IMPORT_HEADER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "domain/fields.h"
#include "files/sheet.h"
#include "service/importer.h"

#define IMPORT_MAX_FIELDS  16
#define IMPORT_MAX_IGNORED 32
#define IMPORT_HEADER_ROWS 10 /* the header must be among the first rows */

struct import_header {
	const struct field_def *fields;
	const char *const *const *aliases; /* the other names of each field (domain/columns.h) */
	int nfields;
	int col[IMPORT_MAX_FIELDS];      /* 0-based column of each field, -1 when absent */
	int counter_col;                 /* the 序号 column, -1 when none */
	int ignored[IMPORT_MAX_IGNORED]; /* columns whose header names no field, left to right */
	int nignored;
	uint32_t row; /* 0 until found */
};

/* The fields of a kind (cadre_fields or unit_fields) and how many. */
const struct field_def *import_kind_fields(enum import_kind kind, int *n);
/* An empty header of a kind, to be found with import_header_try. */
void import_header_init(struct import_header *h, enum import_kind kind);
/* Try row as the header; true (and h filled) when it names at least two fields. */
bool import_header_try(struct import_header *h, const struct sheet_row *row);
/*
 * A template's example row (svc_import_template): its first filled cell begins with
 * "示例：" (or "示例:", "Example:"), which a person's name cannot hold (names refuse ':'),
 * nor a unit's in practice. The import and its error report skip such a row (it is not
 * counted), so a clerk who leaves the example in imports only the
 * real rows; one who edits the example into a real row removes the mark with its name.
 */
#define IMPORT_EXAMPLE_ZH "示例："
#define IMPORT_EXAMPLE_EN "Example: "
bool import_row_is_example(const struct sheet_row *row);
/* The cell of field f as NUL-terminated text in the arena (NULL when the column is absent). */
const char *import_cell_text(struct arena *a, const struct import_header *h,
			     const struct sheet_row *row, int f);
/* The header text of column col as a person reads it (spaces and line breaks run together
 * into one space, at most 40 characters), in the arena. */
const char *import_header_label(struct arena *a, const struct sheet_row *row, int col);

/* A row of the table that is no record (none: it is one). */
enum import_skip {
	IMPORT_ROW,
	IMPORT_SKIP_BLANK,       /* nothing but spaces */
	IMPORT_SKIP_COUNTER,     /* only a 序号 */
	IMPORT_SKIP_TOTAL,       /* 合计：N人, 总计 … */
	IMPORT_SKIP_SIGN_OFF,    /* 填表人：…, 审核人：… */
	IMPORT_SKIP_NOTE,        /* 备注：…, 说明：…, 注：… */
	IMPORT_SKIP_NO_REQUIRED, /* none of the required columns holds anything */
	IMPORT_SKIP__COUNT
};
/*
 * Whether row (after the header) is no record, and what it is. Careful rather than eager: a
 * row is skipped only when it plainly is not a record — its first cell (after a 序号) opens
 * with 合计/填表人/备注… and a colon, or is 合计 alone, or it has nothing in any of the
 * required columns.
 */
enum import_skip import_row_skip(const struct import_header *h, const struct sheet_row *row);
/* The reason's code ("total") and its words in the language ("合计行"). */
const char *import_skip_code(enum import_skip s);
const char *import_skip_reason(enum import_skip s, const char *lang);

#endif
