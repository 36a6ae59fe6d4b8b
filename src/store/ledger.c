/*
 * ledger.c — the hours ledger's repository: see ledger.h. SQL written once for both
 * databases; the only statement on ledger_entries that writes is the INSERT of
 * ledger_append.
 */
#include "store/ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "store/query.h"

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

px_err ledger_append(struct store *s, struct ledger_entry *e)
{
	int64_t now = time_now();
	int64_t year = e->end_date ? atoi(e->end_date) : 0;
	px_err rc = store_insert_id(
		s,
		"INSERT INTO ledger_entries (cadre_id, hours_kind, source, training_type, title, "
		"organizer, start_date, end_date, centi_hours, centi_days, classes, class_id, "
		"import_id, report_id, corrects_id, reason, created_by, created_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		&e->id, "itttttttiiiIIIItIi", e->cadre_id, e->hours_kind, e->source,
		or_empty(e->training_type), e->title, or_empty(e->organizer),
		or_empty(e->start_date), e->end_date, e->centi_hours, e->centi_days,
		(int64_t)e->classes, e->class_id, e->import_id, e->report_id, e->corrects_id,
		or_empty(e->reason), e->created_by, now);
	e->created_at = now;
	if (rc)
		return rc;
	return store_run(s,
			 "INSERT INTO ledger_year_totals (cadre_id, year, hours_kind, centi_hours, "
			 "centi_days, entries) VALUES (?, ?, ?, ?, ?, 1) "
			 "ON CONFLICT (cadre_id, year, hours_kind) DO UPDATE SET "
			 "centi_hours = ledger_year_totals.centi_hours + excluded.centi_hours, "
			 "centi_days = ledger_year_totals.centi_days + excluded.centi_days, "
			 "entries = ledger_year_totals.entries + 1",
			 PX_OK, "iitii", e->cadre_id, year, e->hours_kind, e->centi_hours,
			 e->centi_days);
}

#define ENTRY_SELECT                                                                               \
	"SELECT e.id, e.cadre_id, e.hours_kind, e.source, e.training_type, e.title, e.organizer, " \
	"e.start_date, e.end_date, e.centi_hours, e.centi_days, e.classes, "                       \
	"COALESCE(e.class_id, 0), COALESCE(e.import_id, 0), COALESCE(e.report_id, 0), "            \
	"COALESCE(e.corrects_id, 0), e.reason, COALESCE(e.created_by, 0), "                        \
	"COALESCE(us.display_name, ''), e.created_at "                                             \
	"FROM ledger_entries e LEFT JOIN users us ON us.id = e.created_by"

static void read_entry(struct arena *a, struct store_stmt *st, void *out)
{
	struct ledger_entry *e = out;
	e->id = store_column_int64(st, 0);
	e->cadre_id = store_column_int64(st, 1);
	e->hours_kind = row_text(a, st, 2);
	e->source = row_text(a, st, 3);
	e->training_type = row_text(a, st, 4);
	e->title = row_text(a, st, 5);
	e->organizer = row_text(a, st, 6);
	e->start_date = row_text(a, st, 7);
	e->end_date = row_text(a, st, 8);
	e->centi_hours = store_column_int64(st, 9);
	e->centi_days = store_column_int64(st, 10);
	e->classes = (int)store_column_int64(st, 11);
	e->class_id = store_column_int64(st, 12);
	e->import_id = store_column_int64(st, 13);
	e->report_id = store_column_int64(st, 14);
	e->corrects_id = store_column_int64(st, 15);
	e->reason = row_text(a, st, 16);
	e->created_by = store_column_int64(st, 17);
	e->created_by_name = row_text(a, st, 18);
	e->created_at = store_column_int64(st, 19);
}

px_err ledger_entry_get(struct store *s, struct arena *a, int64_t id, struct ledger_entry *out)
{
	return store_get_row(s, a, ENTRY_SELECT " WHERE e.id = ?", id, read_entry, out);
}

px_err ledger_entries_of(struct store *s, struct arena *a, int64_t cadre_id,
			 struct ledger_entry **out, size_t *n)
{
	struct qb q;
	qb_init(&q, ENTRY_SELECT " WHERE e.cadre_id = ? ORDER BY e.end_date, e.id");
	qb_arg_int(&q, cadre_id);
	return qb_rows(s, a, &q, read_entry, sizeof **out, (void **)out, n);
}

px_err ledger_corrections_of(struct store *s, struct arena *a, int64_t entry_id,
			     struct ledger_entry **out, size_t *n)
{
	struct qb q;
	qb_init(&q, ENTRY_SELECT " WHERE e.corrects_id = ? ORDER BY e.id");
	qb_arg_int(&q, entry_id);
	return qb_rows(s, a, &q, read_entry, sizeof **out, (void **)out, n);
}

static void read_total(struct arena *a, struct store_stmt *st, void *out)
{
	struct ledger_year_total *t = out;
	t->year = (int)store_column_int64(st, 0);
	t->hours_kind = row_text(a, st, 1);
	t->centi_hours = store_column_int64(st, 2);
	t->centi_days = store_column_int64(st, 3);
	t->entries = (int)store_column_int64(st, 4);
}

px_err ledger_year_totals_of(struct store *s, struct arena *a, int64_t cadre_id,
			     struct ledger_year_total **out, size_t *n)
{
	struct qb q;
	qb_init(&q, "SELECT year, hours_kind, centi_hours, centi_days, entries "
		    "FROM ledger_year_totals WHERE cadre_id = ? ORDER BY year DESC, hours_kind");
	qb_arg_int(&q, cadre_id);
	return qb_rows(s, a, &q, read_total, sizeof **out, (void **)out, n);
}

px_err ledger_online_day(struct store *s, int64_t cadre_id, const char *day, const char *title,
			 int64_t *day_centi, bool *same)
{
	*day_centi = 0;
	*same = false;
	struct store_stmt *st;
	px_err rc = store_prepare(s,
				  "SELECT COALESCE(SUM(centi_hours), 0), "
				  "COALESCE(SUM(CASE WHEN title = ? AND source = 'online' THEN 1 "
				  "ELSE 0 END), 0) FROM ledger_entries WHERE cadre_id = ? AND "
				  "end_date = ? AND hours_kind = 'online'",
				  &st);
	if (rc)
		return rc;
	rc = store_bindf(st, "tit", title, cadre_id, day);
	bool row = false;
	if (!rc)
		rc = store_step(st, &row);
	if (!rc && row) {
		*day_centi = store_column_int64(st, 0);
		*same = store_column_int64(st, 1) > 0;
	}
	store_done(st);
	return rc;
}

px_err compliance_replace(struct store *s, int64_t cadre_id, int64_t unit_id,
			  const struct compliance_row *rows, size_t n)
{
	px_err rc = store_begin(s);
	if (!rc)
		rc = store_run(s, "DELETE FROM compliance WHERE cadre_id = ?", PX_OK, "i",
			       cadre_id);
	for (size_t i = 0; !rc && i < n; i++) {
		const struct compliance_row *r = &rows[i];
		rc = store_run(s,
			       "INSERT INTO compliance (cadre_id, window_key, unit_id, version_id, "
			       "rule_code, hours_kind, window_kind, year, start_day, end_day, "
			       "req_centi_days, req_centi_hours, req_classes, got_centi_days, "
			       "got_centi_hours, got_classes, met_on, cut) "
			       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			       PX_OK, "itiItttiiiiiiiiitt", cadre_id, r->window_key, unit_id,
			       r->version_id, r->rule_code, r->hours_kind, r->window_kind,
			       (int64_t)r->year, (int64_t)r->start_day, (int64_t)r->end_day,
			       r->req_centi_days, r->req_centi_hours, (int64_t)r->req_classes,
			       r->got_centi_days, r->got_centi_hours, (int64_t)r->got_classes,
			       or_empty(r->met_on), or_empty(r->cut));
	}
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

static void read_compliance(struct arena *a, struct store_stmt *st, void *out)
{
	struct compliance_row *r = out;
	r->window_key = row_text(a, st, 0);
	r->version_id = store_column_int64(st, 1);
	r->rule_code = row_text(a, st, 2);
	r->hours_kind = row_text(a, st, 3);
	r->window_kind = row_text(a, st, 4);
	r->year = (int)store_column_int64(st, 5);
	r->start_day = (int32_t)store_column_int64(st, 6);
	r->end_day = (int32_t)store_column_int64(st, 7);
	r->req_centi_days = store_column_int64(st, 8);
	r->req_centi_hours = store_column_int64(st, 9);
	r->req_classes = (int)store_column_int64(st, 10);
	r->got_centi_days = store_column_int64(st, 11);
	r->got_centi_hours = store_column_int64(st, 12);
	r->got_classes = (int)store_column_int64(st, 13);
	r->met_on = row_text(a, st, 14);
	r->cut = row_text(a, st, 15);
}

px_err compliance_of(struct store *s, struct arena *a, int64_t cadre_id,
		     struct compliance_row **out, size_t *n)
{
	struct qb q;
	qb_init(&q, "SELECT window_key, COALESCE(version_id, 0), rule_code, hours_kind, "
		    "window_kind, year, start_day, end_day, req_centi_days, req_centi_hours, "
		    "req_classes, got_centi_days, got_centi_hours, got_classes, met_on, cut "
		    "FROM compliance WHERE cadre_id = ? "
		    "ORDER BY CASE window_kind WHEN 'year' THEN 0 WHEN 'period' THEN 1 ELSE 2 END, "
		    "year, window_key");
	qb_arg_int(&q, cadre_id);
	return qb_rows(s, a, &q, read_compliance, sizeof **out, (void **)out, n);
}

#define VERSION_SELECT                                                                             \
	"SELECT v.id, v.region_id, g.name, v.title, v.effective_from, v.effective_to, v.note, "    \
	"v.version, COALESCE(v.created_by, 0), v.created_at, v.updated_at "                        \
	"FROM requirement_versions v JOIN regions g ON g.id = v.region_id"

static void read_version(struct arena *a, struct store_stmt *st, void *out)
{
	struct req_version_row *v = out;
	v->id = store_column_int64(st, 0);
	v->region_id = store_column_int64(st, 1);
	v->region_name = row_text(a, st, 2);
	v->title = row_text(a, st, 3);
	v->effective_from = row_text(a, st, 4);
	v->effective_to = row_text(a, st, 5);
	v->note = row_text(a, st, 6);
	v->version = store_column_int64(st, 7);
	v->created_by = store_column_int64(st, 8);
	v->created_at = store_column_int64(st, 9);
	v->updated_at = store_column_int64(st, 10);
	v->rules = NULL;
	v->n_rules = 0;
}

static void read_rule(struct arena *a, struct store_stmt *st, void *out)
{
	struct req_rule *r = out;
	r->code = row_text(a, st, 0);
	r->title = row_text(a, st, 1);
	r->hours_kind = row_text(a, st, 2);
	r->window_kind = row_text(a, st, 3);
	r->period_years = (int)store_column_int64(st, 4);
	r->period_first_year = (int)store_column_int64(st, 5);
	r->levels = row_text(a, st, 6);
	r->grades = row_text(a, st, 7);
	r->categories = row_text(a, st, 8);
	r->leading = row_text(a, st, 9);
	r->training_types = row_text(a, st, 10);
	r->min_centi_days = store_column_int64(st, 11);
	r->min_centi_hours = store_column_int64(st, 12);
	r->min_classes = (int)store_column_int64(st, 13);
}

static px_err load_rules(struct store *s, struct arena *a, struct req_version_row *v)
{
	struct qb q;
	qb_init(&q, "SELECT code, title, hours_kind, window_kind, period_years, "
		    "period_first_year, levels, grades, categories, leading_post, training_types, "
		    "min_centi_days, min_centi_hours, min_classes "
		    "FROM requirement_rules WHERE version_id = ? ORDER BY seq");
	qb_arg_int(&q, v->id);
	return qb_rows(s, a, &q, read_rule, sizeof *v->rules, (void **)&v->rules, &v->n_rules);
}

px_err req_versions_of(struct store *s, struct arena *a, const int64_t *region_ids, size_t n_ids,
		       struct req_version_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!n_ids)
		return PX_OK;
	struct qb q;
	qb_init(&q, VERSION_SELECT " WHERE v.region_id IN (");
	for (size_t i = 0; i < n_ids; i++) {
		qb_sql(&q, i ? ", ?" : "?");
		qb_arg_int(&q, region_ids[i]);
	}
	qb_sql(&q, ") ORDER BY v.region_id, v.effective_from, v.id");
	px_err rc = qb_rows(s, a, &q, read_version, sizeof **out, (void **)out, n);
	for (size_t i = 0; !rc && i < *n; i++)
		rc = load_rules(s, a, &(*out)[i]);
	return rc;
}

px_err req_version_get(struct store *s, struct arena *a, int64_t id, struct req_version_row *out)
{
	px_err rc = store_get_row(s, a, VERSION_SELECT " WHERE v.id = ?", id, read_version, out);
	return rc ? rc : load_rules(s, a, out);
}

px_err req_version_insert(struct store *s, struct req_version_row *v)
{
	int64_t now = time_now();
	px_err rc = store_insert_id(s,
				    "INSERT INTO requirement_versions (region_id, title, "
				    "effective_from, effective_to, note, created_by, created_at, "
				    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
				    &v->id, "ittttIii", v->region_id, v->title, v->effective_from,
				    or_empty(v->effective_to), or_empty(v->note), v->created_by,
				    now, now);
	for (size_t i = 0; !rc && i < v->n_rules; i++) {
		const struct req_rule *r = &v->rules[i];
		rc = store_run(s,
			       "INSERT INTO requirement_rules (version_id, seq, code, title, "
			       "hours_kind, window_kind, period_years, period_first_year, levels, "
			       "grades, categories, leading_post, training_types, min_centi_days, "
			       "min_centi_hours, min_classes) "
			       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			       PX_OK, "iittttiitttttiii", v->id, (int64_t)i, r->code, r->title,
			       r->hours_kind, r->window_kind, (int64_t)r->period_years,
			       (int64_t)r->period_first_year, or_empty(r->levels),
			       or_empty(r->grades), or_empty(r->categories),
			       r->leading && *r->leading ? r->leading : "any",
			       or_empty(r->training_types), r->min_centi_days, r->min_centi_hours,
			       (int64_t)r->min_classes);
	}
	return rc;
}

px_err req_version_close(struct store *s, int64_t id, const char *to)
{
	return store_run(s,
			 "UPDATE requirement_versions SET effective_to = ?, updated_at = ?, "
			 "version = version + 1 WHERE id = ? AND effective_to = ''",
			 PX_ERR_CONFLICT, "tii", to, time_now(), id);
}

struct rules_text {
	const char *text;
	int64_t version;
};

static void read_rules_text(struct arena *a, struct store_stmt *st, void *out)
{
	struct rules_text *t = out;
	t->text = row_text(a, st, 0);
	t->version = store_column_int64(st, 1);
}

px_err hours_rules_get(struct store *s, struct arena *a, int64_t region_id, int64_t class_id,
		       const char **text, int64_t *version)
{
	struct qb q;
	qb_init(&q, "SELECT rules, version FROM hours_rules WHERE COALESCE(region_id, 0) = ? "
		    "AND COALESCE(class_id, 0) = ?");
	qb_arg_int(&q, region_id);
	qb_arg_int(&q, class_id);
	struct rules_text *rows = NULL;
	size_t n = 0;
	px_err rc = qb_rows(s, a, &q, read_rules_text, sizeof *rows, (void **)&rows, &n);
	*text = !rc && n ? rows[0].text : NULL;
	*version = !rc && n ? rows[0].version : 0;
	return rc;
}

px_err hours_rules_put(struct store *s, int64_t region_id, int64_t class_id, const char *text,
		       int64_t version, int64_t user_id)
{
	int64_t now = time_now();
	if (version <= 0) {
		int64_t id = 0;
		return store_insert_id(s,
				       "INSERT INTO hours_rules (region_id, class_id, rules, "
				       "updated_by, updated_at) VALUES (?, ?, ?, ?, ?) "
				       "ON CONFLICT DO NOTHING RETURNING id",
				       &id, "IItIi", region_id, class_id, text, user_id, now);
	}
	return store_run(s,
			 "UPDATE hours_rules SET rules = ?, updated_by = ?, updated_at = ?, "
			 "version = version + 1 WHERE COALESCE(region_id, 0) = ? "
			 "AND COALESCE(class_id, 0) = ? AND version = ?",
			 PX_ERR_CONFLICT, "tIiiii", text, user_id, now, region_id, class_id,
			 version);
}

px_err ledger_cadres_in_region(struct store *s, struct arena *a, const char *region_path,
			       int64_t **ids, size_t *n)
{
	struct qb q;
	qb_init(&q, "SELECT c.id FROM cadres c JOIN units u ON u.id = c.unit_id "
		    "JOIN regions g ON g.id = u.region_id");
	struct scope_filter f = { .scope = SCOPE_REGION, .region_path = region_path };
	qb_scope(&q, &f, false);
	qb_sql(&q, " ORDER BY c.id");
	return qb_rows(s, a, &q, row_read_id, sizeof **ids, (void **)ids, n);
}
