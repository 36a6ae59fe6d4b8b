/*
 * sheets.h — a list as .xlsx (any list of the API, ?format=xlsx): the list's own columns,
 * headed in the caller's language, and an audit entry of the export.
 *
 * Each list describes its spreadsheet beside its view (a `struct sheet_spec` in the
 * operation's file: which members of the view, in which order, under which header), and
 * hands it out with its page (svc_page.sheet). A header is the domain field's label when the
 * column is a field of a form (so a sheet, a form and an import template name it alike),
 * else the column's own. The rows are the list's own — the same scope, filters and masking
 * as the JSON reply — up to the cap of a spreadsheet list (10,000 rows, api/common.c); a
 * list cut there says so in a last row.
 */
#ifndef PX_SERVICE_SHEETS_H
#define PX_SERVICE_SHEETS_H

#include <jansson.h>
#include <stdbool.h>

#include "base/buf.h"
#include "domain/fields.h"
#include "service/svc.h"

struct sheet_column {
	const char *key;             /* the member of the list's view */
	const struct field_def *def; /* a form's field: its label heads the column */
	const char *zh, *en;         /* else this header */
	unsigned width;              /* in characters; 0: 16 */
	bool time;                   /* an ISO 8601 UTC time, shown in Beijing time */
	/* The cell's text when it is not the member as it stands (in c->arena); NULL: the
	 * member (a string; a number; yes/no; an array's items joined; an object's name). */
	const char *(*text)(struct svc *c, json_t *item);
};

struct sheet_spec {
	const char *entity;  /* what the audit entry says was exported (enum_audit_entity) */
	const char *zh, *en; /* the sheet's name, and the file's (.xlsx added) */
	const struct sheet_column *cols;
	size_t n;
};

#define SHEET_SPEC(entity, zh, en, cols)                                                           \
	{                                                                                          \
		entity, zh, en, cols, sizeof cols / sizeof cols[0]                                 \
	}

/*
 * The items (the views of a list page; `total` match in all) as one sheet into out, by spec,
 * and the audit entry "export" of spec->entity with the rows written, the total and the
 * search text `q` (numbers in it masked). Does not take items.
 */
px_err svc_list_sheet(struct svc *c, const struct sheet_spec *spec, json_t *items, int64_t total,
		      const char *q, struct buf *out);

/* Codes (a JSON array) as their labels in the caller's language, joined (in c->arena). */
const char *svc_sheet_codes(struct svc *c, json_t *codes, const struct enum_table *t);

/* The file's name of a spec's sheet in the caller's language ("培训计划.xlsx", in c->arena). */
const char *svc_sheet_filename(struct svc *c, const struct sheet_spec *spec);

#endif
