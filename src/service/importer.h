/*
 * importer.h — spreadsheets into the registry: the import operation and its runs. Shared by
 * the HTTP API and the CLI. (Templates, error reports and exports: exports.h.)
 *
 * An import is all-or-nothing. The file is read once, row by row (files/sheet.h); every row
 * is validated by the same domain rules as a form (cadre_validate, unit_validate), its unit
 * or region resolved inside the caller's scope, and its ID number checked against earlier
 * rows of the file and against the database. Rows go to the store (a loader, store/
 * cadres_bulk.h, for cadres) inside one transaction for as long as no problem has been seen;
 * after the first problem the rest of the file is still checked (so the report lists every
 * bad row) but nothing more is written, and the transaction is rolled back. The run is
 * recorded in the imports table either way, keeping a rejected file (encrypted) so its
 * error report can show every row beside its errors.
 */
#ifndef PX_IMPORTER_H
#define PX_IMPORTER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/problem.h"
#include "service/svc.h"

enum import_kind { IMPORT_CADRES, IMPORT_UNITS };

/* "cadres" / "units" → kind; false if neither. */
bool import_kind_from(const char *s, enum import_kind *kind);
const char *import_kind_name(enum import_kind kind);

struct import_opts {
	enum import_kind kind;
	const char *filename;
	bool dry_run;   /* check everything, write nothing (but the record) */
	bool keep_file; /* keep a rejected file for its error report */
	bool upload;    /* an upload: an empty one is "the file is empty", before anything */
};

struct import_result {
	int64_t id; /* the imports row */
	size_t total_rows;
	size_t imported_rows;
	struct problems problems; /* row-level problems (release with problems_release) */
	char message[320];        /* file-level problem, "" when none */
	char db_error[320];       /* after another error: the database's last message (for the
				   * operator at the command line, not for an API reply) */
	const char *format;       /* "xlsx" or "csv" */
};

/*
 * Import data[0..len) as the caller of c (the shell: the whole database in scope; else
 * PX_ERR_FORBIDDEN without the right to create that kind). Returns PX_OK when every row was
 * imported (or checked, for a dry run); PX_ERR_IMPORT_REJECTED with res->problems when rows
 * were bad (nothing imported); PX_ERR_BAD_FILE / PX_ERR_ENCODING / PX_ERR_TOO_LARGE with
 * res->message for the file as a whole; other errors from the database. res->problems must be
 * initialized by the caller.
 */
px_err svc_import(struct svc *c, const struct import_opts *o, const void *data, size_t len,
		  struct import_result *res);

/* The reply of an import that went in (or, dry, was checked), and of one import run. */
extern const struct view_spec svc_import_result_shape, svc_import_shape;

/* One of the caller's own import runs as JSON (the shell: any), else PX_ERR_NOT_FOUND. */
px_err svc_import_get(struct svc *c, int64_t id, json_t **out);
/* The error report (.xlsx) of one of the caller's own rejected runs; *filename (may be
 * NULL) gets the name of the file it came from ("" when none), in c->arena. */
px_err svc_import_report(struct svc *c, int64_t id, struct buf *out, const char **filename);

#endif
