/*
 * imports.c — import runs (the imports table). See accounts.h.
 */
#include "store/accounts.h"

#include <stdio.h>

#include "base/date.h"
#include "store/query.h"

px_err imports_insert(struct store *s, struct import_record *r)
{
	return store_insert_id(s,
			       "INSERT INTO imports (at, user_id, kind, filename, format, status, "
			       "total_rows, imported_rows, error_count, errors_json, file_enc) "
			       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			       &r->id, "iIttttiiitt", r->at, r->user_id, r->kind, r->filename,
			       r->format, r->status, r->total_rows, r->imported_rows,
			       r->error_count, r->errors_json ? r->errors_json : "[]",
			       r->file_enc ? r->file_enc : "");
}

static void read_import(struct arena *a, struct store_stmt *st, void *row)
{
	struct import_record *out = row;
	out->id = store_column_int64(st, 0);
	out->at = store_column_int64(st, 1);
	out->user_id = store_column_int64(st, 2);
	out->kind = row_text(a, st, 3);
	out->filename = row_text(a, st, 4);
	out->format = row_text(a, st, 5);
	out->status = row_text(a, st, 6);
	out->total_rows = store_column_int64(st, 7);
	out->imported_rows = store_column_int64(st, 8);
	out->error_count = store_column_int64(st, 9);
	out->errors_json = row_text(a, st, 10);
	out->file_enc = row_text(a, st, 11);
}

px_err imports_get(struct store *s, struct arena *a, int64_t id, struct import_record *out)
{
	return store_get_row(s, a,
			     "SELECT id, at, COALESCE(user_id, 0), kind, filename, format, status, "
			     "total_rows, imported_rows, error_count, errors_json, file_enc "
			     "FROM imports WHERE id = ?",
			     id, read_import, out);
}
