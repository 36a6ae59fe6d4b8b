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

#include <stdint.h>

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

#endif
