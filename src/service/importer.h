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

/* A row of the file that is no record (合计, 填表人, a lone 序号 …): skipped, not an error. */
struct import_skipped {
	long row;
	const char
		*code; /* "total", "sign_off", "note", "row_number_only", "blank", "no_required" */
	const char *reason; /* in the caller's language (static) */
};
#define IMPORT_SKIPPED_KEPT 1000 /* listed; the rest only counted */
#define IMPORT_KIND_ROWS    5    /* rows listed with a kind of problem */

/* The problems of one kind — one field, one code — counted over the whole file, also past
 * the problems kept (res->problems keeps the first 1000). */
struct import_kind_count {
	const char *field; /* static, NULL for the file as a whole */
	const char *code;  /* static */
	char *message;     /* the first one's (owned) */
	size_t count;
	long rows[IMPORT_KIND_ROWS]; /* the first rows of the kind */
	size_t nrows;
};

struct import_result {
	int64_t id;        /* the imports row */
	size_t total_rows; /* rows read as records (skipped rows not counted) */
	size_t imported_rows;
	struct problems problems; /* row-level problems (release with problems_release) */
	char **ignored;           /* header texts of the columns not imported, left to right */
	size_t nignored;
	struct import_skipped *skipped;  /* the first IMPORT_SKIPPED_KEPT rows skipped */
	size_t nskipped, skipped_count;  /* kept, and all */
	struct import_kind_count *kinds; /* the problems by kind, most frequent first (after
					  * svc_import) */
	size_t nkinds;
	char message[320];  /* file-level problem, "" when none */
	char db_error[320]; /* after another error: the database's last message (for the
			     * operator at the command line, not for an API reply) */
	const char *format; /* "xlsx" or "csv" */
	int64_t retry_at;   /* PX_ERR_RATE_LIMITED: when the account may import again */
};

/* Release what svc_import put into res (its problems too). */
void import_result_release(struct import_result *res);

/*
 * Import data[0..len) as the caller of c (the shell: the whole database in scope; else
 * PX_ERR_FORBIDDEN without the right to create that kind). Returns PX_OK when every row was
 * imported (or checked, for a dry run); PX_ERR_IMPORT_REJECTED with res->problems when rows
 * were bad (nothing imported); PX_ERR_BAD_FILE / PX_ERR_ENCODING / PX_ERR_TOO_LARGE with
 * res->message for the file as a whole; PX_ERR_RATE_LIMITED with res->message and
 * res->retry_at when the account started import_runs_per_hour runs in the past hour (dry
 * runs and refused files included; nothing is read or recorded); other errors from the
 * database. res->problems must be initialized by the caller.
 *
 * Whatever the outcome once the header is found, res->ignored names the header cells that
 * named no field (序号 aside), res->skipped the rows that are no records, and res->kinds
 * counts the problems by field and code. A required column that is missing is one problem
 * (on the header row), and the rows are then not validated one by one.
 *
 * An ID number registered outside the caller's scope is told as such for the first
 * import_elsewhere_shown rows of a file; every later ID number of the file is then "not
 * checked" (code not_checked), whether registered or not, and the run's audit entry
 * "registered_elsewhere" holds how many there were (docs/security.md).
 */
px_err svc_import(struct svc *c, const struct import_opts *o, const void *data, size_t len,
		  struct import_result *res);

/*
 * What an import's reply tells besides its counts or its errors, as JSON members to add to
 * it: ignored_columns (the header texts) with ignored_message ("以下列未导入:备注、审核意见"
 * in c's language, "" when none), skipped_rows [{row, code, reason}] with skipped_count, and
 * with_summary also summary [{field, code, label, message, count, rows}] (the problems by
 * kind, label the field's in c's language). A new object.
 */
json_t *svc_import_notes(const struct svc *c, enum import_kind kind,
			 const struct import_result *res, bool with_summary);
/* "以下列未导入:备注、审核意见" of names[0..n) in the language ("" when n is 0); malloc'd. */
char *import_ignored_message(const char *lang, const char *const *names, size_t n);
/* One kind of problem as a line for a person: "身份证号校验位错误：12 行(第 3、5、9 … 行)";
 * malloc'd. */
char *import_kind_line(const char *lang, const char *message, size_t count, const long *rows,
		       size_t nrows);

/* The reply of an import that went in (or, dry, was checked), of one import run, and of a
 * run in the list. */
extern const struct view_spec svc_import_result_shape, svc_import_shape, svc_import_run_shape;
/* A skipped row and a kind of problem, as svc_import_notes gives them. */
extern const struct view_spec svc_import_skipped_shape, svc_import_kind_shape;

/* The message of a refusal by the hourly limit (retry_at: when it ends), in c's language. */
void import_rate_message(const struct svc *c, int64_t retry_at, char *out, size_t size);
/* Whether the caller may start one more import now, besides `pending` it has queued: PX_OK,
 * or PX_ERR_RATE_LIMITED with c->message and *retry_at. A look before queuing a job; the
 * count that decides is svc_import's. */
px_err svc_import_allowed(struct svc *c, int64_t pending, int64_t *retry_at);

/* The runs the caller may look at: its own; an organization admin's (SCOPE_REGION) also
 * those of the accounts of its region, with how many ID numbers registered outside their
 * importer's scope each held (never on one's own runs); the shell's every run. */
struct import_filter {
	int flagged; /* only runs that held such numbers */
};
px_err svc_imports_list(struct svc *c, const struct import_filter *f, const struct page_query *p,
			struct svc_page *out);
/* Delete the kept files of runs older than `days` (< 0: import_report_days), and end the runs
 * left "running" by a server that stopped. *purged: how many files. */
px_err svc_imports_purge(struct svc *c, long days, int64_t *purged);

/* One of the caller's own import runs as JSON (the shell: any), else PX_ERR_NOT_FOUND. */
px_err svc_import_get(struct svc *c, int64_t id, json_t **out);
/* The error report (.xlsx) of one of the caller's own rejected runs; *filename (may be
 * NULL) gets the name of the file it came from ("" when none), in c->arena. PX_ERR_GONE, with
 * c->message, when its file is no longer kept (its retention ended, or the account's cap of
 * kept uploads took it). */
px_err svc_import_report(struct svc *c, int64_t id, struct buf *out, const char **filename);

#endif
