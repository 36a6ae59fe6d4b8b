/*
 * ledger.h — operations on the hours ledger (学时档案) and the requirements it is judged by
 * (docs/ledger.md).
 *
 * Every source of hours — a class's attendance, an online-academy import, an approved
 * external report, the admin's adjustment, a correction — appends its entries through
 * svc_ledger_append_tx, inside the caller's transaction: the entry, its year totals and the
 * cadre's re-evaluated standing (compliance rows) commit together or not at all. Entries are
 * never changed: a correction is an entry of its own.
 */
#ifndef PX_SERVICE_LEDGER_H
#define PX_SERVICE_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#include "service/svc.h"

/* An entry to append. Strings are codes of the vocabularies of enums.h (hours_kind,
 * ledger_source, class_kind for training_type) or text checked by the caller's form. */
struct ledger_entry_in {
	int64_t cadre_id;
	const char *hours_kind; /* "centralized" | "online" */
	const char *source;     /* "class" | "online" | "external" | "adjustment" | "correction" */
	const char *training_type; /* a class_kind code, or "" */
	const char *title;         /* the class, course or training */
	const char *organizer;     /* "" when none */
	const char *start_date;    /* "" or YYYY-MM-DD */
	const char *end_date;      /* YYYY-MM-DD: the day it counts for */
	int64_t centi_hours;       /* hundredths of a 学时; negative only in a correction */
	int64_t centi_days;
	int classes;      /* 1 for a completed class (任职培训 counts classes), else 0 */
	int64_t class_id; /* the source's record, 0 when none */
	int64_t import_id;
	int64_t report_id;
	int64_t corrects_id; /* a correction: the entry it corrects */
	const char *reason;  /* required for an adjustment and a correction */
	bool judge_later;    /* many entries in one transaction: the caller judges each cadre
				once after the last (svc_ledger_reevaluate_tx) */
};

/*
 * Append one entry inside the caller's open transaction (svc_begin … svc_commit): the row,
 * the cadre's year totals, its re-evaluated compliance rows and an audit entry
 * ("ledger_append", entity "ledger_entry"). The caller has checked its scope over the cadre.
 * *id gets the new entry's id.
 */
px_err svc_ledger_append_tx(struct svc *c, const struct ledger_entry_in *in, int64_t *id);

/*
 * Judge one cadre again (after its entries, rank, category or status changed, or the rules
 * did) inside the caller's open transaction: its compliance rows are replaced by a new
 * evaluation of domain/requirement.h.
 */
px_err svc_ledger_reevaluate_tx(struct svc *c, int64_t cadre_id);

/* ---- operations (ledger.c) ---- */

/* 一人一档: the cadre (ledger.read scope; masked as the cadre views are), its entries by year
 * with the year's totals, and every window with its standing today. */
px_err svc_ledger_record(struct svc *c, int64_t cadre_id, json_t **out);

/* An adjustment by the organization admin (ledger.write): amounts in 学时 and 天 as sent. */
struct ledger_adjustment_form {
	const char *hours_kind; /* "" → centralized */
	const char *training_type, *title, *organizer, *start_date, *end_date, *reason;
	double hours, days;
	int64_t classes;
};
/* Append it: the new entry's view. */
px_err svc_ledger_adjust(struct svc *c, int64_t cadre_id, const struct ledger_adjustment_form *f,
			 json_t **out);

/* A correction of entry `id` (ledger.write over its cadre): the change, with a reason. The net
 * of the entry with all its corrections may not go below zero. */
struct ledger_correction_form {
	const char *reason;
	double hours, days;
};
px_err svc_ledger_correct(struct svc *c, int64_t entry_id, const struct ledger_correction_form *f,
			  json_t **out);

/* ---- online-academy hours (online_import.c) ---- */

struct online_import_result {
	int64_t id;           /* the imports row of the run */
	size_t total_rows;    /* rows read as records */
	size_t imported_rows; /* entries appended */
	size_t cadres;        /* cadres judged again */
	int64_t centi_hours;  /* hours appended, hundredths */
	const char *format;   /* "xlsx" or "csv" */
	int64_t retry_at;     /* PX_ERR_RATE_LIMITED: when to try again */
	char message[320];    /* a problem of the file as a whole, "" when none */
};
/*
 * Import a 网络学院 file of completed courses (ledger.write over each row's cadre): all or
 * nothing. Row problems go to c->problems and the result is PX_ERR_IMPORT_REJECTED; a file
 * that cannot be read is PX_ERR_BAD_FILE / PX_ERR_ENCODING / PX_ERR_TOO_LARGE with
 * res->message. The run is recorded (imports, kind online_hours) in every case but the rate
 * limit's. dry_run checks everything and writes nothing but the record.
 */
px_err svc_online_import(struct svc *c, const char *filename, const void *data, size_t len,
			 bool dry_run, struct online_import_result *res);
/* The reply of an import that went in (or a dry run that passed). */
json_t *svc_online_import_view(const struct online_import_result *res, bool dry_run);
extern const struct view_spec svc_online_import_shape;
/* The template: the columns, an example row, the instructions. */
px_err svc_online_template(struct svc *c, struct buf *out);

/* ---- requirement versions and hours rules (requirements.c) ---- */

/* The versions in force for the caller's region: its own, else its nearest ancestor's, else
 * the built-in defaults (said by `source`). */
px_err svc_requirements_in_force(struct svc *c, json_t **out);
/* One version (of the caller's region, an ancestor or a region under it). */
px_err svc_requirement_get(struct svc *c, int64_t id, json_t **out);
/* A new version of the caller's region (requirement.write): rules as sent (an array of rule
 * objects), checked with req_version_check; an earlier open version is closed the day
 * before it starts, in the same transaction (audited); then the region's cadres are judged
 * again by a ledger.evaluate job: the reply holds its job_id. */
struct requirement_form {
	const char *title, *effective_from, *effective_to, *note;
	json_t *rules; /* borrowed */
};
px_err svc_requirement_create(struct svc *c, const struct requirement_form *f, json_t **out);

/* The hours conversion rules of a region (requirement.write over it) or a class (class.read /
 * class.write): its own, or what it inherits (a class its region's, a region its nearest
 * ancestor's, else the defaults). put takes some or all members (the rest as inherited),
 * checks them with hours_rules_check, and stores them with the version read (0: none yet). */
px_err svc_hours_rules_get(struct svc *c, int64_t region_id, int64_t class_id, json_t **out);
px_err svc_hours_rules_put(struct svc *c, int64_t region_id, int64_t class_id, json_t *rules,
			   int64_t version, json_t **out);

/* The shapes of the views (openapi), and the job kind that judges a region's cadres again. */
extern const struct view_spec svc_ledger_record_shape, svc_ledger_entry_shape,
	svc_requirements_shape, svc_requirement_shape, svc_hours_rules_shape;

#endif
