/*
 * import_header.h — the header row of an imported sheet, found by content: shared by the
 * import (importer.c) and its error report (exports.c). Internal to the service layer.
 *
 * The header is the first row that names at least two known columns (by the Chinese label,
 * the English label or the API name; "*" and "(必填)" marks are ignored), so a title row
 * above it does no harm and columns may come in any order.
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
#define IMPORT_HEADER_ROWS 10 /* the header must be among the first rows */

struct import_header {
	const struct field_def *fields;
	int nfields;
	int col[IMPORT_MAX_FIELDS]; /* 0-based column of each field, -1 when absent */
	uint32_t row;               /* 0 until found */
};

/* The fields of a kind (cadre_fields or unit_fields) and how many. */
const struct field_def *import_kind_fields(enum import_kind kind, int *n);
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

#endif
