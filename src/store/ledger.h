/*
 * ledger.h — the repository of the hours ledger (学时档案) and the requirements it is judged
 * by (migration 0011; docs/ledger.md): entries and their year totals, each cadre's
 * compliance rows, requirement versions with their rules, and the hours conversion rules.
 *
 * ledger_entries is appended only: this file has an INSERT for it and nothing else, and both
 * databases refuse an UPDATE or DELETE of it (0011's triggers; scripts/layers.py fails on any
 * such statement in src/). Strings of the rows read live in the caller's arena.
 */
#ifndef PX_STORE_LEDGER_H
#define PX_STORE_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "domain/requirement.h"
#include "store/store.h"

struct ledger_entry {
	int64_t id;
	int64_t cadre_id;
	const char *hours_kind, *source, *training_type;
	const char *title, *organizer;
	const char *start_date, *end_date; /* "" or YYYY-MM-DD; end_date always set */
	int64_t centi_hours, centi_days;
	int classes;
	int64_t class_id, import_id, report_id, corrects_id; /* 0: none */
	const char *reason;
	int64_t created_by;
	const char *created_by_name; /* read only */
	int64_t created_at;
};

/*
 * Append an entry (created_at is now) and add it to the cadre's year totals (the year of
 * end_date) in one call; call it inside a transaction so that both commit together. e->id
 * gets the new id.
 */
px_err ledger_append(struct store *s, struct ledger_entry *e);
/* One entry; PX_ERR_NOT_FOUND when none. */
px_err ledger_entry_get(struct store *s, struct arena *a, int64_t id, struct ledger_entry *out);
/* A cadre's entries, by end_date then id. */
px_err ledger_entries_of(struct store *s, struct arena *a, int64_t cadre_id,
			 struct ledger_entry **out, size_t *n);
/* The corrections of an entry (entries whose corrects_id is it), oldest first. */
px_err ledger_corrections_of(struct store *s, struct arena *a, int64_t entry_id,
			     struct ledger_entry **out, size_t *n);

/* What the ledger holds already of a cadre's online hours on one day (an online-hours
 * import's checks): *day_centi the sum of its online entries ending that day (corrections
 * included), *same whether one of them is the course `title`. */
px_err ledger_online_day(struct store *s, int64_t cadre_id, const char *day, const char *title,
			 int64_t *day_centi, bool *same);

struct ledger_year_total {
	int year;
	const char *hours_kind;
	int64_t centi_hours, centi_days;
	int entries;
};
/* A cadre's totals by year (newest first) and kind. */
px_err ledger_year_totals_of(struct store *s, struct arena *a, int64_t cadre_id,
			     struct ledger_year_total **out, size_t *n);

/* A compliance row: a window of req_evaluate as stored. */
struct compliance_row {
	const char *window_key;
	int64_t version_id; /* 0: the built-in defaults */
	const char *rule_code, *hours_kind, *window_kind;
	int year;
	int32_t start_day, end_day;
	int64_t req_centi_days, req_centi_hours;
	int req_classes;
	int64_t got_centi_days, got_centi_hours;
	int got_classes;
	const char *met_on, *cut; /* YYYY-MM-DD or "" */
};
/* Replace the cadre's compliance rows with these (derived data: deleted and inserted whole;
 * in the caller's transaction). */
px_err compliance_replace(struct store *s, int64_t cadre_id, int64_t unit_id,
			  const struct compliance_row *rows, size_t n);
/* The cadre's rows, by window_kind, year, key. */
px_err compliance_of(struct store *s, struct arena *a, int64_t cadre_id,
		     struct compliance_row **out, size_t *n);

/* A requirement version with its rules (rules in seq order). */
struct req_version_row {
	int64_t id;
	int64_t region_id;
	const char *region_name;
	const char *title;
	const char *effective_from, *effective_to; /* effective_to "" = open */
	const char *note;
	int64_t version;
	int64_t created_by;
	int64_t created_at, updated_at;
	struct req_rule *rules;
	size_t n_rules;
};
/* The versions of these regions (a region and its ancestors), each with its rules, by
 * region then effective_from. */
px_err req_versions_of(struct store *s, struct arena *a, const int64_t *region_ids, size_t n_ids,
		       struct req_version_row **out, size_t *n);
/* One version with its rules; PX_ERR_NOT_FOUND when none. */
px_err req_version_get(struct store *s, struct arena *a, int64_t id, struct req_version_row *out);
/* Insert a version and its rules (v->rules[0..n_rules)); v->id gets the new id. */
px_err req_version_insert(struct store *s, struct req_version_row *v);
/* Close the open version `id` on `to` (YYYY-MM-DD): PX_ERR_CONFLICT when it is not open. */
px_err req_version_close(struct store *s, int64_t id, const char *to);

/* The hours conversion rules of a region (class_id 0) or a class (region_id 0) as their JSON
 * text: *text NULL and *version 0 when none is stored. */
px_err hours_rules_get(struct store *s, struct arena *a, int64_t region_id, int64_t class_id,
		       const char **text, int64_t *version);
/* Store them: version 0 inserts (PX_ERR_CONFLICT when a row exists already), else updates the
 * row of that version (PX_ERR_CONFLICT when stale). */
px_err hours_rules_put(struct store *s, int64_t region_id, int64_t class_id, const char *text,
		       int64_t version, int64_t user_id);

/* The ids of the cadres of units in the region's subtree (path "/1/2/"), by id. */
px_err ledger_cadres_in_region(struct store *s, struct arena *a, const char *region_path,
			       int64_t **ids, size_t *n);

#endif
