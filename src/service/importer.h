/*
 * importer.h — spreadsheets in and out of the registry: import, template, error report,
 * export. Shared by the HTTP API and the CLI.
 *
 * An import is all-or-nothing. The file is read once, row by row (files/sheet.h); every row
 * is validated by the same domain rules as a form (cadre_validate, unit_validate), its unit
 * or region resolved inside the caller's scope, and its ID number checked against earlier
 * rows of the file and against the database. Rows are inserted inside one transaction for
 * as long as no problem has been seen; after the first problem the rest of the file is
 * still checked (so the report lists every bad row) but nothing more is written, and the
 * transaction is rolled back. The run is recorded in the imports table either way, keeping
 * a rejected file (encrypted) so its error report can show every row beside its errors.
 */
#ifndef PX_IMPORTER_H
#define PX_IMPORTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/problem.h"
#include "base/secret.h"
#include "domain/perm.h"
#include "store/registry.h"

enum import_kind { IMPORT_CADRES, IMPORT_UNITS };

/* "cadres" / "units" → kind; false if neither. */
bool import_kind_from(const char *s, enum import_kind *kind);
const char *import_kind_name(enum import_kind kind);

struct import_opts {
	enum import_kind kind;
	const char *filename;
	const char *lang;
	const struct principal *who; /* NULL: the command line, whole database in scope */
	const char *ip;
	bool dry_run;   /* check everything, write nothing (but the record) */
	bool keep_file; /* keep a rejected file for its error report */
};

struct import_result {
	int64_t id; /* the imports row */
	size_t total_rows;
	size_t imported_rows;
	struct problems problems; /* row-level problems (release with problems_release) */
	char message[320];        /* file-level problem, "" when none */
	const char *format;       /* "xlsx" or "csv" */
};

/*
 * Import data[0..len). Returns PX_OK when every row was imported (or checked, for a dry
 * run); PX_ERR_IMPORT_REJECTED with res->problems when rows were bad (nothing imported);
 * PX_ERR_BAD_FILE / PX_ERR_ENCODING / PX_ERR_TOO_LARGE with res->message for the file as a
 * whole; other errors from the database. res->problems must be initialized by the caller.
 */
px_err import_run(struct store *db, const struct secret_keys *keys, const void *data, size_t len,
		  const struct import_opts *o, struct import_result *res);

/* The .xlsx template: header, formats, dropdowns (units in the caller's scope), instructions. */
px_err import_template(struct store *db, enum import_kind kind, const struct principal *who,
		       const char *lang, struct buf *out);

/* The error report of a rejected import: its rows, an error column, bad rows highlighted. */
px_err import_report(struct store *db, const struct secret_keys *keys, int64_t import_id,
		     const char *lang, struct buf *out);

/* Export a filtered list as .xlsx. With unmasked, ID and phone numbers are decrypted (the
 * caller checks the permission and audits). *rows gets the number of rows written. */
px_err export_cadres(struct store *db, const struct secret_keys *keys, const struct cadre_query *q,
		     bool unmasked, const char *lang, struct buf *out, size_t *rows);
px_err export_units(struct store *db, const struct unit_query *q, const char *lang, struct buf *out,
		    size_t *rows);

#endif
