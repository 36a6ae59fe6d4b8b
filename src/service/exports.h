/*
 * exports.h — spreadsheets out of the registry: the import templates, the error report of a
 * rejected import, and the .xlsx exports of cadres and units (exports.c).
 */
#ifndef PX_EXPORTS_H
#define PX_EXPORTS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "service/importer.h"
#include "service/svc.h"

struct import_record;
struct cadre_query;
struct unit_query;
struct secret_keys;

/* The .xlsx template of a kind: header, formats, dropdowns (units in the caller's scope),
 * instructions, in the caller's language. */
px_err svc_import_template(struct svc *c, enum import_kind kind, struct buf *out);

/* The error report of a rejected import run: its rows, an error column, bad rows
 * highlighted (PX_ERR_NOT_FOUND when the run kept no file). The caller has checked that rec
 * is the caller's (svc_import_report). */
px_err import_report(struct svc *c, const struct import_record *rec, struct buf *out);

/* Export a filtered list as .xlsx. With unmasked, ID and phone numbers are decrypted (the
 * caller checks the permission and audits). *rows gets the number of rows written. */
px_err export_cadres(struct store *db, const struct secret_keys *keys, const struct cadre_query *q,
		     bool unmasked, const char *lang, struct buf *out, size_t *rows);
px_err export_units(struct store *db, const struct unit_query *q, const char *lang, struct buf *out,
		    size_t *rows);

/* Every cadre or unit in the caller's scope as .xlsx (the command line's export: the whole
 * database), masked unless `unmasked`; audited with how many rows and the file's name. */
px_err svc_export_file(struct svc *c, enum import_kind kind, bool unmasked, const char *file,
		       struct buf *out, size_t *rows);

#endif
