/*
 * ledger.c — the hours ledger (学时档案): appending entries, judging a cadre again, the
 * admin's adjustments and corrections, and a cadre's record (一人一档). See ledger.h and
 * docs/ledger.md.
 *
 * Judging a cadre loads what the domain's req_evaluate needs — its career rebuilt from the
 * registry row and its history (each change of rank, 正/副, grade, category, status or 一把手
 * from its effective date on), its entries, and the requirement versions of its region or its
 * nearest ancestor that has some (else the built-in defaults) — for the years 2019 to this
 * year (China Standard Time), and replaces its compliance rows with the windows found. The
 * record judges afresh too and says, window by window, whether the stored row (what the
 * dashboard reads) holds the same numbers.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "service/ledger.h"
#include "service/ledger_int.h"
#include "service/registry.h"
#include "store/ledger.h"
#include "store/registry.h"

#define FIRST_YEAR  2019
#define MAX_WINDOWS 256

/* ---- the inputs of an evaluation ---- */

struct change {
	int32_t day;
	int64_t id;
	const struct cadre_history *h;
};

static int change_cmp(const void *a, const void *b)
{
	const struct change *x = a, *y = b;
	if (x->day != y->day)
		return x->day > y->day ? -1 : 1; /* newest first */
	return x->id > y->id ? -1 : x->id < y->id ? 1 : 0;
}

static bool career_field(const char *f)
{
	static const char *const fields[] = { "rank_level", "rank_position", "grade",
					      "category",   "status",        "is_head" };
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (!strcmp(f, fields[i]))
			return true;
	return false;
}

static void career_set(struct req_career *s, const char *field, const char *value)
{
	if (!strcmp(field, "rank_level"))
		s->rank_level = value;
	else if (!strcmp(field, "rank_position"))
		s->rank_position = value;
	else if (!strcmp(field, "grade"))
		s->grade = value;
	else if (!strcmp(field, "category"))
		s->category = value;
	else if (!strcmp(field, "status"))
		s->status = value;
	else if (!strcmp(field, "is_head"))
		s->is_head = value && !strcmp(value, "1");
}

/* The day a change took effect: its effective date, else the day it was recorded (CST). */
static int32_t change_day(const struct cadre_history *h)
{
	int32_t d = h->effective_date && *h->effective_date
			    ? date_parse(h->effective_date, strlen(h->effective_date))
			    : DATE_NONE;
	return d != DATE_NONE ? d : (int32_t)((h->changed_at + 8 * 3600) / 86400);
}

/* The career: the row as it is now, walked back through its history (newest first). */
static px_err load_career(struct svc *c, const struct cadre_row *row, struct req_career **out,
			  size_t *n)
{
	struct cadre_history *h;
	size_t nh;
	px_err rc = cadres_history(c->db, c->arena, row->c.id, &h, &nh);
	if (rc)
		return rc;
	struct change *ch = arena_alloc(c->arena, (nh + 1) * sizeof *ch);
	size_t m = 0;
	for (size_t i = 0; i < nh; i++)
		if (career_field(h[i].field))
			ch[m++] = (struct change){ change_day(&h[i]), h[i].id, &h[i] };
	qsort(ch, m, sizeof *ch, change_cmp);
	struct req_career *s = arena_alloc(c->arena, (m + 1) * sizeof *s);
	struct req_career now = { .rank_level = row->c.rank_level,
				  .grade = row->c.grade ? row->c.grade : "",
				  .category = row->c.category,
				  .rank_position = row->c.rank_position ? row->c.rank_position : "",
				  .is_head = row->c.is_head > 0,
				  .status = row->c.status };
	size_t k = 0; /* built newest first, reversed below */
	for (size_t i = 0; i < m; i++) {
		if (!k || s[k - 1].from != ch[i].day) {
			s[k] = now;
			s[k++].from = ch[i].day;
		}
		career_set(&now, ch[i].h->field, ch[i].h->old_value);
	}
	s[k] = now;
	s[k++].from = DATE_NONE;
	for (size_t i = 0; i < k / 2; i++) {
		struct req_career t = s[i];
		s[i] = s[k - 1 - i];
		s[k - 1 - i] = t;
	}
	*out = s;
	*n = k;
	return PX_OK;
}

px_err ledger_versions_for(struct svc *c, const char *region_path, struct req_version_row **rows,
			   size_t *n_rows, int64_t *governing)
{
	/* "/1/2/3/" → 3, 2, 1: the region first */
	int64_t ids[32] = { 0 };
	size_t n = 0;
	for (const char *p = region_path ? region_path : ""; *p && n < 32;) {
		if (*p == '/') {
			p++;
			continue;
		}
		char *end;
		long long id = strtoll(p, &end, 10);
		if (end == p)
			break;
		ids[n++] = id;
		p = end;
	}
	for (size_t i = 0; i < n / 2; i++) {
		int64_t t = ids[i];
		ids[i] = ids[n - 1 - i];
		ids[n - 1 - i] = t;
	}
	struct req_version_row *all;
	size_t na;
	px_err rc = req_versions_of(c->db, c->arena, ids, n, &all, &na);
	*rows = NULL;
	*n_rows = 0;
	*governing = 0;
	for (size_t i = 0; !rc && i < n && !*governing; i++) {
		size_t first = na, count = 0;
		for (size_t k = 0; k < na; k++)
			if (all[k].region_id == ids[i]) {
				if (first == na)
					first = k;
				count++;
			}
		if (count) {
			*rows = &all[first]; /* ordered by region: the region's are together */
			*n_rows = count;
			*governing = ids[i];
		}
	}
	return rc;
}

struct req_version *ledger_domain_versions(struct svc *c, const struct req_version_row *rows,
					   size_t n)
{
	struct req_version *v = arena_alloc(c->arena, (n + 1) * sizeof *v);
	for (size_t i = 0; i < n; i++) {
		const struct req_version_row *r = &rows[i];
		int32_t to = r->effective_to && *r->effective_to
				     ? date_parse(r->effective_to, strlen(r->effective_to))
				     : DATE_NONE;
		v[i] = (struct req_version){
			.id = r->id,
			.from = date_parse(r->effective_from, strlen(r->effective_from)),
			.to = to,
			.title = r->title,
			.rules = r->rules,
			.n = r->n_rules,
		};
	}
	return v;
}

/* Everything an evaluation of one cadre needs, and its windows. */
struct judged {
	struct cadre_row row;
	struct req_version *versions;
	size_t n_versions;
	struct req_window *w;
	size_t n;
};

static px_err judge(struct svc *c, int64_t cadre_id, struct judged *j)
{
	px_err rc = cadres_get(c->db, c->arena, cadre_id, &j->row);
	struct req_career *career = NULL;
	size_t n_career = 0;
	if (!rc)
		rc = load_career(c, &j->row, &career, &n_career);
	struct ledger_entry *e = NULL;
	size_t ne = 0;
	if (!rc)
		rc = ledger_entries_of(c->db, c->arena, cadre_id, &e, &ne);
	struct req_version_row *vr = NULL;
	size_t nv = 0;
	int64_t governing = 0;
	if (!rc)
		rc = ledger_versions_for(c, j->row.region_path, &vr, &nv, &governing);
	if (rc)
		return rc;
	struct req_entry *re = arena_alloc(c->arena, (ne + 1) * sizeof *re);
	for (size_t i = 0; i < ne; i++)
		re[i] = (struct req_entry){ .day = date_parse(e[i].end_date, strlen(e[i].end_date)),
					    .hours_kind = e[i].hours_kind,
					    .training_type = e[i].training_type,
					    .centi_hours = e[i].centi_hours,
					    .centi_days = e[i].centi_days,
					    .classes = e[i].classes };
	const char *pd = j->row.c.promotion_date;
	struct req_cadre rc_in = { .career = career,
				   .n_career = n_career,
				   .promoted_on =
					   pd && *pd ? date_parse(pd, strlen(pd)) : DATE_NONE,
				   .entries = re,
				   .n_entries = ne };
	j->versions = ledger_domain_versions(c, vr, nv);
	j->n_versions = nv;
	int year = 0, month = 0, day = 0;
	date_to_ymd(date_today_cst(), &year, &month, &day);
	size_t cap = 64;
	for (;;) {
		j->w = arena_alloc(c->arena, cap * sizeof *j->w);
		j->n = req_evaluate(j->versions, nv, &rc_in, FIRST_YEAR, year, j->w, cap);
		if (j->n <= cap || cap >= MAX_WINDOWS)
			break;
		cap = j->n < MAX_WINDOWS ? j->n : MAX_WINDOWS;
	}
	if (j->n > cap)
		j->n = cap;
	return PX_OK;
}

static const char *day_text(struct svc *c, int32_t d)
{
	if (d == DATE_NONE)
		return "";
	char *s = arena_alloc(c->arena, 11);
	return date_format(d, s);
}

static struct compliance_row compliance_of_window(struct svc *c, const struct req_window *w)
{
	return (struct compliance_row){
		.window_key = w->key,
		.version_id = w->version_id,
		.rule_code = w->rule->code,
		.hours_kind = w->rule->hours_kind,
		.window_kind = w->rule->window_kind,
		.year = w->year,
		.start_day = w->span_start,
		.end_day = w->span_end,
		.req_centi_days = w->req_centi_days,
		.req_centi_hours = w->req_centi_hours,
		.req_classes = w->req_classes,
		.got_centi_days = w->got_centi_days,
		.got_centi_hours = w->got_centi_hours,
		.got_classes = w->got_classes,
		.met_on = day_text(c, w->met_on),
		.cut = day_text(c, w->cut),
	};
}

px_err svc_ledger_reevaluate_tx(struct svc *c, int64_t cadre_id)
{
	struct judged j;
	px_err rc = judge(c, cadre_id, &j);
	if (rc)
		return rc;
	struct compliance_row *rows = arena_alloc(c->arena, (j.n + 1) * sizeof *rows);
	for (size_t i = 0; i < j.n; i++)
		rows[i] = compliance_of_window(c, &j.w[i]);
	return compliance_replace(c->db, cadre_id, j.row.c.unit_id, rows, j.n);
}

/* ---- entries ---- */

json_t *ledger_amount_json(int64_t centi)
{
	return json_real((double)centi / 100.0);
}

static json_t *entry_view(struct svc *c, const struct ledger_entry *e)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(e->id));
	json_object_set_new(j, "cadre_id", json_integer(e->cadre_id));
	json_object_set_new(j, "hours_kind", json_string(e->hours_kind));
	json_object_set_new(j, "hours_kind_label",
			    json_string(svc_label(c, &enum_hours_kind, e->hours_kind)));
	json_object_set_new(j, "source", json_string(e->source));
	json_object_set_new(j, "source_label",
			    json_string(svc_label(c, &enum_ledger_source, e->source)));
	json_object_set_new(j, "training_type", json_string(e->training_type));
	json_object_set_new(j, "training_type_label",
			    json_string(*e->training_type
						? svc_label(c, &enum_class_kind, e->training_type)
						: ""));
	json_object_set_new(j, "title", json_string(e->title));
	json_object_set_new(j, "organizer", json_string(e->organizer));
	json_object_set_new(j, "start_date", json_string(e->start_date));
	json_object_set_new(j, "end_date", json_string(e->end_date));
	json_object_set_new(j, "hours", ledger_amount_json(e->centi_hours));
	json_object_set_new(j, "days", ledger_amount_json(e->centi_days));
	json_object_set_new(j, "classes", json_integer(e->classes));
	json_object_set_new(j, "class_id", svc_id_json(e->class_id));
	json_object_set_new(j, "corrects_id", svc_id_json(e->corrects_id));
	json_object_set_new(j, "reason", json_string(e->reason));
	json_object_set_new(j, "created_by",
			    json_string(e->created_by_name ? e->created_by_name : ""));
	json_object_set_new(j, "created_at", svc_time_json(e->created_at));
	return j;
}

static const struct view_field entry_fields[] = {
	{ "id", VIEW_INT, "Id" },
	{ "cadre_id", VIEW_INT, "The cadre" },
	{ "hours_kind", VIEW_TEXT, "centralized (集中培训) or online (网络培训)" },
	{ "hours_kind_label", VIEW_TEXT, "Its label" },
	{ "source", VIEW_TEXT, "class, online, external, adjustment or correction" },
	{ "source_label", VIEW_TEXT, "Its label" },
	{ "training_type", VIEW_TEXT,
	  "The class kind that produced it (main, appointment …) or \"\"" },
	{ "training_type_label", VIEW_TEXT, "Its label; \"\" when none" },
	{ "title", VIEW_TEXT, "The class, course or training" },
	{ "organizer", VIEW_TEXT, "Who organized it; \"\" when not said" },
	{ "start_date", VIEW_TEXT, "YYYY-MM-DD or \"\"" },
	{ "end_date", VIEW_TEXT, "YYYY-MM-DD: the day it counts for" },
	{ "hours", VIEW_NUMBER, "学时 credited (a correction's change may be negative)" },
	{ "days", VIEW_NUMBER, "Days (天) credited" },
	{ "classes", VIEW_INT, "Classes completed (1 for a 任职培训 class)" },
	{ "class_id", VIEW_ID, "The class it came from; null when none" },
	{ "corrects_id", VIEW_ID, "A correction: the entry it corrects; else null" },
	{ "reason", VIEW_TEXT, "Why (an adjustment's, a correction's); else \"\"" },
	{ "created_by", VIEW_TEXT, "Who entered it (\"\": the system, an import)" },
	{ "created_at", VIEW_TIME, "When it was entered" },
};
const struct view_spec svc_ledger_entry_shape = VIEW_SPEC("LedgerEntry", entry_fields);

px_err svc_ledger_append_tx(struct svc *c, const struct ledger_entry_in *in, int64_t *id)
{
	struct ledger_entry e = {
		.cadre_id = in->cadre_id,
		.hours_kind = in->hours_kind,
		.source = in->source,
		.training_type = in->training_type ? in->training_type : "",
		.title = in->title,
		.organizer = in->organizer ? in->organizer : "",
		.start_date = in->start_date ? in->start_date : "",
		.end_date = in->end_date,
		.centi_hours = in->centi_hours,
		.centi_days = in->centi_days,
		.classes = in->classes,
		.class_id = in->class_id,
		.import_id = in->import_id,
		.report_id = in->report_id,
		.corrects_id = in->corrects_id,
		.reason = in->reason ? in->reason : "",
		.created_by = c->who->shell ? 0 : c->who->user_id,
	};
	px_err rc = ledger_append(c->db, &e);
	if (!rc && !in->judge_later)
		rc = svc_ledger_reevaluate_tx(c, in->cadre_id);
	struct ledger_entry saved;
	if (!rc)
		rc = ledger_entry_get(c->db, c->arena, e.id, &saved);
	if (!rc) {
		json_t *after = entry_view(c, &saved);
		rc = svc_audit(c, "ledger_append", "ledger_entry", e.id, NULL, after);
		json_decref(after);
	}
	if (!rc && id)
		*id = e.id;
	return rc;
}

/* End a transaction whose audit entries were written inside it. */
px_err ledger_commit(struct svc *c, px_err rc)
{
	if (!rc)
		return store_commit(c->db);
	store_rollback(c->db);
	return rc;
}

int32_t ledger_iso_day(const char *s)
{
	if (!s || strlen(s) != 10)
		return DATE_NONE;
	int32_t d = date_parse(s, 10);
	char back[11];
	return d != DATE_NONE && !strcmp(date_format(d, back), s) ? d : DATE_NONE;
}

/* An amount as sent (学时 or 天) in hundredths: at most two decimals, within [lo, hi]. */
static bool centi_of(struct svc *c, const char *field, double v, int64_t lo, int64_t hi,
		     int64_t *out)
{
	double x = v * 100.0;
	int64_t r = (int64_t)llround(x);
	if (!isfinite(v) || fabs(x - (double)r) > 1e-6) {
		svc_problem(c, field, "invalid", "最多两位小数", "At most two decimals");
		return false;
	}
	if (r < lo) {
		svc_problem(c, field, lo == 0 ? "negative" : "out_of_range",
			    lo == 0 ? "不能为负数" : "超出允许范围",
			    lo == 0 ? "Cannot be negative" : "Out of range");
		return false;
	}
	if (r > hi) {
		svc_problem(c, field, "too_large", "数值过大,超出所涉日期可能的学时或天数",
			    "Too large for the days it covers");
		return false;
	}
	*out = r;
	return true;
}

static const char *text_field(struct svc *c, const char *field, const char *v, size_t max,
			      bool required, const char *zh, const char *en)
{
	const char *t = v ? v : "";
	if (required && !*t)
		svc_problem(c, field, "required", zh, en);
	else if (strlen(t) > max)
		svc_problem(c, field, "too_long", "内容过长", "Too long");
	return t;
}

px_err svc_ledger_adjust(struct svc *c, int64_t cadre_id, const struct ledger_adjustment_form *f,
			 json_t **out)
{
	struct cadre_row row;
	px_err rc = svc_load(c, &svc_cadre_kind, PERM_LEDGER_WRITE, cadre_id, &row);
	if (rc)
		return rc;
	struct ledger_entry_in in = { .cadre_id = cadre_id, .source = "adjustment" };
	in.hours_kind = f->hours_kind && *f->hours_kind ? f->hours_kind : "centralized";
	if (!enum_by_code(&enum_hours_kind, in.hours_kind))
		svc_problem(c, "hours_kind", "invalid", "培训类型应为集中培训或网络培训",
			    "hours_kind: centralized or online");
	in.training_type = f->training_type ? f->training_type : "";
	if (*in.training_type && !enum_by_code(&enum_class_kind, in.training_type))
		svc_problem(c, "training_type", "invalid", "培训班类型不存在",
			    "training_type: no such class kind");
	in.title = text_field(c, "title", f->title, 200, true, "请填写培训名称",
			      "The title is required");
	in.organizer = text_field(c, "organizer", f->organizer, 200, false, "", "");
	in.reason = text_field(c, "reason", f->reason, 500, true, "手工调整须说明原因",
			       "An adjustment needs a reason");
	int32_t today = date_today_cst();
	const char *ed = f->end_date ? f->end_date : "";
	int32_t end = *ed ? ledger_iso_day(ed) : DATE_NONE;
	if (!*ed)
		svc_problem(c, "end_date", "required", "请填写结束日期",
			    "The end date is required");
	else if (end == DATE_NONE)
		svc_problem(c, "end_date", "invalid", "日期格式应为 YYYY-MM-DD",
			    "A date is YYYY-MM-DD");
	else if (end > today)
		svc_problem(c, "end_date", "future", "日期不能晚于今天",
			    "The date cannot be in the future");
	const char *sd = f->start_date ? f->start_date : "";
	int32_t start = *sd ? ledger_iso_day(sd) : end;
	if (*sd && start == DATE_NONE)
		svc_problem(c, "start_date", "invalid", "日期格式应为 YYYY-MM-DD",
			    "A date is YYYY-MM-DD");
	else if (*sd && end != DATE_NONE && start > end)
		svc_problem(c, "start_date", "after_end", "开始日期不能晚于结束日期",
			    "The start is after the end");
	int64_t span = end != DATE_NONE && start != DATE_NONE && start <= end
			       ? (int64_t)end - start + 1
			       : 1;
	in.start_date = sd;
	in.end_date = ed;
	/* no more than 24 学时 and 1 天 a day of what it covers */
	centi_of(c, "hours", f->hours, 0, 2400 * span, &in.centi_hours);
	centi_of(c, "days", f->days, 0, 100 * span, &in.centi_days);
	if (f->classes < 0 || f->classes > 10)
		svc_problem(c, "classes", "out_of_range", "班次数应在 0 至 10 之间",
			    "classes: 0 to 10");
	else
		in.classes = (int)f->classes;
	if (!svc_problems_rc(c) && !in.centi_hours && !in.centi_days && !in.classes)
		svc_problem(c, "hours", "required", "学时、天数、班次至少填一项",
			    "Give hours, days or classes");
	if ((rc = svc_problems_rc(c)))
		return rc;
	int64_t id = 0;
	if ((rc = svc_begin(c)))
		return rc;
	rc = svc_ledger_append_tx(c, &in, &id);
	struct ledger_entry saved;
	if (!rc)
		rc = ledger_entry_get(c->db, c->arena, id, &saved);
	if ((rc = ledger_commit(c, rc)))
		return rc;
	*out = entry_view(c, &saved);
	return PX_OK;
}

/* The entry a chain of corrections starts from, and the net of it with all of them. */
static px_err chain_net(struct svc *c, const struct ledger_entry *e, int64_t *hours, int64_t *days)
{
	struct ledger_entry root = *e;
	px_err rc = PX_OK;
	for (int i = 0; !rc && root.corrects_id && i < 64; i++)
		rc = ledger_entry_get(c->db, c->arena, root.corrects_id, &root);
	*hours = root.centi_hours;
	*days = root.centi_days;
	int64_t queue[256];
	size_t head = 0, tail = 0;
	queue[tail++] = root.id;
	while (!rc && head < tail) {
		struct ledger_entry *k;
		size_t n;
		rc = ledger_corrections_of(c->db, c->arena, queue[head++], &k, &n);
		for (size_t i = 0; !rc && i < n; i++) {
			*hours += k[i].centi_hours;
			*days += k[i].centi_days;
			if (tail < sizeof queue / sizeof queue[0])
				queue[tail++] = k[i].id;
		}
	}
	return rc;
}

px_err svc_ledger_correct(struct svc *c, int64_t entry_id, const struct ledger_correction_form *f,
			  json_t **out)
{
	struct ledger_entry e;
	px_err rc = ledger_entry_get(c->db, c->arena, entry_id, &e);
	struct cadre_row row;
	if (!rc)
		rc = svc_load(c, &svc_cadre_kind, PERM_LEDGER_WRITE, e.cadre_id, &row);
	if (rc)
		return rc;
	struct ledger_entry_in in = { .cadre_id = e.cadre_id,
				      .hours_kind = e.hours_kind,
				      .source = "correction",
				      .training_type = e.training_type,
				      .title = e.title,
				      .organizer = e.organizer,
				      .start_date = e.start_date,
				      .end_date = e.end_date, /* it counts where the entry did */
				      .class_id = e.class_id,
				      .corrects_id = e.id };
	in.reason = text_field(c, "reason", f->reason, 500, true, "更正须说明原因",
			       "A correction needs a reason");
	centi_of(c, "hours", f->hours, -240000, 240000, &in.centi_hours);
	centi_of(c, "days", f->days, -10000, 10000, &in.centi_days);
	if (!svc_problems_rc(c) && !in.centi_hours && !in.centi_days)
		svc_problem(c, "hours", "required", "请填写更正的学时或天数",
			    "Give the change of hours or days");
	if ((rc = svc_problems_rc(c)))
		return rc;
	if ((rc = svc_begin(c)))
		return rc;
	int64_t hours = 0, days = 0, id = 0;
	rc = chain_net(c, &e, &hours, &days);
	if (!rc && hours + in.centi_hours < 0)
		svc_problem(c, "hours", "below_zero", "更正后该条记录的学时不能小于 0",
			    "The entry's hours would go below zero");
	if (!rc && days + in.centi_days < 0)
		svc_problem(c, "days", "below_zero", "更正后该条记录的天数不能小于 0",
			    "The entry's days would go below zero");
	if (!rc)
		rc = svc_problems_rc(c);
	if (!rc)
		rc = svc_ledger_append_tx(c, &in, &id);
	struct ledger_entry saved;
	if (!rc)
		rc = ledger_entry_get(c->db, c->arena, id, &saved);
	if ((rc = ledger_commit(c, rc)))
		return rc;
	*out = entry_view(c, &saved);
	return PX_OK;
}

/* ---- the record (一人一档) ---- */

static json_t *window_view(struct svc *c, const struct req_window *w, int32_t today,
			   const struct compliance_row *stored, size_t n_stored)
{
	struct req_standing s = req_standing(w, today);
	const char *status = req_status_code(s.status);
	bool fresh = false;
	for (size_t i = 0; i < n_stored; i++) {
		const struct compliance_row *r = &stored[i];
		if (strcmp(r->window_key, w->key))
			continue;
		fresh = r->version_id == w->version_id && r->req_centi_days == w->req_centi_days &&
			r->req_centi_hours == w->req_centi_hours &&
			r->req_classes == w->req_classes &&
			r->got_centi_days == w->got_centi_days &&
			r->got_centi_hours == w->got_centi_hours &&
			r->got_classes == w->got_classes &&
			!strcmp(r->met_on, day_text(c, w->met_on));
	}
	json_t *j = json_object();
	json_object_set_new(j, "key", json_string(w->key));
	json_object_set_new(j, "rule_code", json_string(w->rule->code));
	json_object_set_new(j, "rule_title", json_string(w->rule->title));
	json_object_set_new(j, "version_id", svc_id_json(w->version_id));
	json_object_set_new(j, "hours_kind", json_string(w->rule->hours_kind));
	json_object_set_new(j, "hours_kind_label",
			    json_string(svc_label(c, &enum_hours_kind, w->rule->hours_kind)));
	json_object_set_new(j, "window_kind", json_string(w->rule->window_kind));
	json_object_set_new(j, "window_kind_label",
			    json_string(svc_label(c, &enum_window_kind, w->rule->window_kind)));
	json_object_set_new(j, "year", json_integer(w->year));
	json_object_set_new(j, "start", json_string(day_text(c, w->start)));
	json_object_set_new(j, "end", json_string(day_text(c, w->end)));
	json_object_set_new(j, "span_start", json_string(day_text(c, w->span_start)));
	json_object_set_new(j, "span_end", json_string(day_text(c, w->span_end)));
	json_object_set_new(j, "status", json_string(status));
	json_object_set_new(j, "status_label", json_string(svc_label(c, &enum_compliance, status)));
	json_object_set_new(j, "required_hours", ledger_amount_json(w->req_centi_hours));
	json_object_set_new(j, "required_days", ledger_amount_json(w->req_centi_days));
	json_object_set_new(j, "required_classes", json_integer(w->req_classes));
	json_object_set_new(j, "got_hours", ledger_amount_json(w->got_centi_hours));
	json_object_set_new(j, "got_days", ledger_amount_json(w->got_centi_days));
	json_object_set_new(j, "got_classes", json_integer(w->got_classes));
	json_object_set_new(j, "missing_hours", ledger_amount_json(s.missing_centi_hours));
	json_object_set_new(j, "missing_days", ledger_amount_json(s.missing_centi_days));
	json_object_set_new(j, "missing_classes", json_integer(s.missing_classes));
	json_object_set_new(j, "deadline", json_string(day_text(c, s.deadline)));
	json_object_set_new(j, "met_on", json_string(day_text(c, w->met_on)));
	json_object_set_new(j, "cut", json_string(day_text(c, w->cut)));
	json_object_set_new(j, "stored", json_boolean(fresh));
	return j;
}

static const struct view_field window_fields[] = {
	{ "key", VIEW_TEXT, "The window: year:2023:centralized, period:2023:centralized …" },
	{ "rule_code", VIEW_TEXT, "The rule that applies" },
	{ "rule_title", VIEW_TEXT, "Its title" },
	{ "version_id", VIEW_ID, "The rule's version; null: the built-in 2023 rules" },
	{ "hours_kind", VIEW_TEXT, "centralized or online" },
	{ "hours_kind_label", VIEW_TEXT, "Its label" },
	{ "window_kind", VIEW_TEXT, "year, period or promotion" },
	{ "window_kind_label", VIEW_TEXT, "Its label" },
	{ "year", VIEW_INT, "The window's first year" },
	{ "start", VIEW_TEXT, "The window's first day" },
	{ "end", VIEW_TEXT, "Its last day" },
	{ "span_start", VIEW_TEXT, "The first day the rule bound the cadre in it" },
	{ "span_end", VIEW_TEXT, "The last such day" },
	{ "status", VIEW_TEXT, "met, on_track, behind, overdue or left (today, CST)" },
	{ "status_label", VIEW_TEXT, "Its label" },
	{ "required_hours", VIEW_NUMBER, "学时 required (prorated over the span); 0: not asked" },
	{ "required_days", VIEW_NUMBER, "Days required; 0: not asked" },
	{ "required_classes", VIEW_INT, "Classes required; 0: not asked" },
	{ "got_hours", VIEW_NUMBER, "学时 credited in the span" },
	{ "got_days", VIEW_NUMBER, "Days credited" },
	{ "got_classes", VIEW_INT, "Classes credited" },
	{ "missing_hours", VIEW_NUMBER, "学时 still missing (0 when met)" },
	{ "missing_days", VIEW_NUMBER, "Days still missing" },
	{ "missing_classes", VIEW_INT, "Classes still missing" },
	{ "deadline", VIEW_TEXT, "The window's end, or the day the cadre left" },
	{ "met_on", VIEW_TEXT, "The day it was met; \"\" when not" },
	{ "cut", VIEW_TEXT, "The day the cadre left inside it; \"\" when not" },
	{ "stored", VIEW_BOOL,
	  "The stored standing (what the dashboard reads) holds these numbers: false while a "
	  "re-evaluation (a new rule version's ledger.evaluate job) is still to reach the cadre" },
};
static const struct view_spec window_shape = VIEW_SPEC("LedgerWindow", window_fields);

static const struct view_field year_fields[] = {
	{ "year", VIEW_INT, "Calendar year (of the entries' end dates)" },
	{ "centralized_hours", VIEW_NUMBER, "学时 of centralized training" },
	{ "centralized_days", VIEW_NUMBER, "Days of centralized training" },
	{ "online_hours", VIEW_NUMBER, "学时 of online training" },
	{ "entries", VIEW_OBJECTS, "The year's entries, by end date", &svc_ledger_entry_shape },
};
static const struct view_spec year_shape = VIEW_SPEC("LedgerYear", year_fields);

static const struct view_field record_fields[] = {
	{ "cadre", VIEW_OBJECT, "The cadre, masked as the cadre views are", &svc_cadre_shape },
	{ "today", VIEW_TEXT, "The day the standing is for (CST)" },
	{ "years", VIEW_OBJECTS, "The ledger by year, newest first", &year_shape },
	{ "windows", VIEW_OBJECTS, "Every window that binds the cadre, with its standing",
	  &window_shape },
};
const struct view_spec svc_ledger_record_shape = VIEW_SPEC("LedgerRecord", record_fields);

px_err svc_ledger_record(struct svc *c, int64_t cadre_id, json_t **out)
{
	struct cadre_row row;
	px_err rc = svc_load(c, &svc_cadre_kind, PERM_LEDGER_READ, cadre_id, &row);
	struct judged j;
	if (!rc)
		rc = judge(c, cadre_id, &j);
	struct ledger_entry *e = NULL;
	size_t ne = 0;
	if (!rc)
		rc = ledger_entries_of(c->db, c->arena, cadre_id, &e, &ne);
	struct ledger_year_total *t = NULL;
	size_t nt = 0;
	if (!rc)
		rc = ledger_year_totals_of(c->db, c->arena, cadre_id, &t, &nt);
	struct compliance_row *stored = NULL;
	size_t ns = 0;
	if (!rc)
		rc = compliance_of(c->db, c->arena, cadre_id, &stored, &ns);
	if (rc)
		return rc;
	int32_t today = date_today_cst();
	json_t *years = json_array();
	for (size_t i = 0; i < nt; i++) {
		if (i && t[i].year == t[i - 1].year)
			continue;
		int64_t ch = 0, cd = 0, oh = 0;
		for (size_t k = i; k < nt && t[k].year == t[i].year; k++) {
			if (!strcmp(t[k].hours_kind, "online")) {
				oh += t[k].centi_hours;
			} else {
				ch += t[k].centi_hours;
				cd += t[k].centi_days;
			}
		}
		json_t *list = json_array();
		for (size_t k = 0; k < ne; k++)
			if (atoi(e[k].end_date) == t[i].year)
				json_array_append_new(list, entry_view(c, &e[k]));
		json_array_append_new(years, json_pack("{si so so so so}", "year", t[i].year,
						       "centralized_hours", ledger_amount_json(ch),
						       "centralized_days", ledger_amount_json(cd),
						       "online_hours", ledger_amount_json(oh),
						       "entries", list));
	}
	json_t *windows = json_array();
	for (size_t i = 0; i < j.n; i++)
		json_array_append_new(windows, window_view(c, &j.w[i], today, stored, ns));
	*out = json_pack("{so ss so so}", "cadre", svc_cadre_kind.view(c, &row), "today",
			 day_text(c, today), "years", years, "windows", windows);
	return PX_OK;
}
