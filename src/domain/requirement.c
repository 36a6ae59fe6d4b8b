/*
 * requirement.c — the requirement rules, and judging one cadre by them (requirement.h).
 *
 * The readings of docs/ledger.md, in code:
 *   - a window is judged by the version in force on its first day;
 *   - for each day and kind of hours the first year-or-period rule that binds the cadre's
 *     career that day applies (rules run senior first); promotion rules apply besides;
 *   - a window is judged over its span (the days its rule applied), the requirement
 *     prorated by the span's share of the window, rounded up to half a day and half a 学时;
 *     only entries dated inside the span count;
 *   - a cadre that leaves cuts the window; unreached, it is "left", not "overdue";
 *   - an open window is on track when the credited days or hours are at least their share of
 *     the span elapsed, classes rounded to whole ones (one class is due by the span's half).
 * Everything here is arithmetic on day numbers over the caller's arrays: no allocation.
 */
#include "domain/requirement.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/err.h"
#include "domain/enums.h"

/* clang-format off */
static const struct req_rule defaults_rules[] = {
	{ "county_up_period",
	  "县处级以上领导干部、四级调研员以上公务员每5年累计3个月或550学时",
	  "centralized", "period", 5, 2023,
	  "provincial,bureau,county_division",
	  "inspector_1,inspector_2,researcher_1,researcher_2,researcher_3,researcher_4",
	  "", "any", "", 9000, 55000, 0 },
	{ "township_down_yearly",
	  "乡科级及以下领导干部、一级主任科员以下公务员每年累计12天或90学时",
	  "centralized", "year", 1, 0,
	  "township_section,general",
	  "principal_1,principal_2,principal_3,principal_4,clerk_1,clerk_2",
	  "", "any", "", 1200, 9000, 0 },
	{ "online_yearly", "每年网络培训50学时",
	  "online", "year", 1, 0, "", "", "", "any", "", 0, 5000, 0 },
	{ "appointment", "新提任领导干部提任后一年内参加任职培训",
	  "centralized", "promotion", 1, 0, "", "", "", "leading", "appointment", 0, 0, 1 },
};
/* clang-format on */

const struct req_version req_defaults_2023 = {
	.id = 0,
	.from = 19358, /* 2023-01-01 */
	.to = DATE_NONE,
	.title = "2023年《干部教育培训工作条例》",
	.rules = defaults_rules,
	.n = sizeof defaults_rules / sizeof defaults_rules[0],
};

/* ---- small helpers ---- */

/* Is `code` one of the comma-joined codes of `list`? */
static bool list_has(const char *list, const char *code)
{
	if (!list || !code || !*code)
		return false;
	size_t n = strlen(code);
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && memcmp(p, code, n) == 0)
			return true;
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

static bool is_leading(const struct req_career *s)
{
	return s->is_head || (s->rank_position && *s->rank_position) ||
	       (s->category && strcmp(s->category, "party_gov_leader") == 0);
}

static bool is_active(const struct req_career *s)
{
	return s->status && strcmp(s->status, "active") == 0;
}

static bool rule_binds(const struct req_rule *r, const struct req_career *s)
{
	if (*r->levels || *r->grades) {
		if (!list_has(r->levels, s->rank_level) && !list_has(r->grades, s->grade))
			return false;
	}
	if (*r->categories && !list_has(r->categories, s->category))
		return false;
	if (strcmp(r->leading, "leading") == 0)
		return is_leading(s);
	if (strcmp(r->leading, "non_leading") == 0)
		return !is_leading(s);
	return true;
}

static bool is_standing_rule(const struct req_rule *r)
{
	return strcmp(r->window_kind, "year") == 0 || strcmp(r->window_kind, "period") == 0;
}

/* The year-or-period rule of `v` that applies to this stretch for `kind`: the first that
 * binds it. */
static const struct req_rule *applying_rule(const struct req_version *v, const char *kind,
					    const struct req_career *s)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct req_rule *r = &v->rules[i];
		if (is_standing_rule(r) && strcmp(r->hours_kind, kind) == 0 && rule_binds(r, s))
			return r;
	}
	return NULL;
}

static int year_of(int32_t day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	return y;
}

/* The first day of the period of `r` holding year y (floor division: years before the
 * first year have periods too). */
static int period_start_year(const struct req_rule *r, int y)
{
	int len = r->period_years > 0 ? r->period_years : 1;
	int k = y - r->period_first_year;
	int q = k >= 0 ? k / len : -((-k + len - 1) / len);
	return r->period_first_year + q * len;
}

/* One year after `day`: the same date a year on (29 February → 1 March). */
static int32_t year_after(int32_t day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	if (!date_valid_ymd(y + 1, m, d))
		return date_from_ymd(y + 1, 3, 1);
	return date_from_ymd(y + 1, m, d);
}

/* The end of career stretch i (the day before the next begins; far future for the last). */
static int32_t stretch_end(const struct req_cadre *c, size_t i)
{
	return i + 1 < c->n_career ? c->career[i + 1].from - 1 : INT32_MAX;
}

static int32_t stretch_start(const struct req_cadre *c, size_t i)
{
	return c->career[i].from == DATE_NONE ? INT32_MIN + 1 : c->career[i].from;
}

/* The stretch that holds `day`, or -1 before the first. */
static long stretch_at(const struct req_cadre *c, int32_t day)
{
	long at = -1;
	for (size_t i = 0; i < c->n_career; i++)
		if (stretch_start(c, i) <= day)
			at = (long)i;
	return at;
}

static int64_t ceil_half(int64_t num, int64_t den)
{
	/* num/den rounded up to a multiple of 50 (hundredths) */
	int64_t unit = den * 50;
	return (num + unit - 1) / unit * 50;
}

static int64_t prorate(int64_t min, int64_t span_days, int64_t window_days)
{
	if (min <= 0 || span_days >= window_days)
		return min;
	return ceil_half(min * span_days, window_days);
}

/* ---- judging one window ---- */

/* The days of [ws, we] on which `r` (of version v) applies to the cadre, as up to a few
 * segments; returns the number of days, and first/last/cut through the pointers. */
struct span {
	int32_t seg_from[16], seg_to[16];
	size_t n;
	int64_t days;
	int32_t first, last, cut;
};

static bool entry_in_span(const struct span *sp, int32_t day)
{
	for (size_t i = 0; i < sp->n; i++)
		if (day >= sp->seg_from[i] && day <= sp->seg_to[i])
			return true;
	return false;
}

static void span_add(struct span *sp, int32_t a, int32_t b)
{
	if (a > b)
		return;
	if (sp->n > 0 && sp->seg_to[sp->n - 1] + 1 == a) {
		sp->seg_to[sp->n - 1] = b;
	} else if (sp->n < sizeof sp->seg_from / sizeof sp->seg_from[0]) {
		sp->seg_from[sp->n] = a;
		sp->seg_to[sp->n] = b;
		sp->n++;
	} else {
		/* more stretches than a career has: widen the last segment */
		sp->seg_to[sp->n - 1] = b;
	}
	sp->days += (int64_t)b - a + 1;
	if (sp->first == DATE_NONE || a < sp->first)
		sp->first = a;
	if (sp->last == DATE_NONE || b > sp->last)
		sp->last = b;
}

/* The span of a window: the days of [ws, we] on which `r` is the applying rule (r NULL: every
 * day in post, as a promotion's year counts). A stretch that is not active after active days
 * cuts the window. */
static void standing_span(const struct req_version *v, const struct req_rule *r,
			  const struct req_cadre *c, int32_t ws, int32_t we, struct span *sp)
{
	memset(sp, 0, sizeof *sp);
	sp->first = sp->last = sp->cut = DATE_NONE;
	for (size_t i = 0; i < c->n_career; i++) {
		int32_t a = stretch_start(c, i), b = stretch_end(c, i);
		if (a < ws)
			a = ws;
		if (b > we)
			b = we;
		if (a > b)
			continue;
		const struct req_career *s = &c->career[i];
		if (!is_active(s)) {
			if (sp->days > 0 && sp->cut == DATE_NONE)
				sp->cut = a;
			continue;
		}
		if (!r || applying_rule(v, r->hours_kind, s) == r)
			span_add(sp, a, b);
	}
	/* a later stretch under another rule is no cut; only leaving is */
}

static bool counts(const struct req_rule *r, const struct req_entry *e)
{
	if (strcmp(e->hours_kind, r->hours_kind) != 0)
		return false;
	if (*r->training_types && !list_has(r->training_types, e->training_type))
		return false;
	return true;
}

static bool reached(const struct req_window *w, int64_t days, int64_t hours, int classes)
{
	return (w->req_centi_days > 0 && days >= w->req_centi_days) ||
	       (w->req_centi_hours > 0 && hours >= w->req_centi_hours) ||
	       (w->req_classes > 0 && classes >= w->req_classes);
}

/* Sum the counted entries and find the day the requirement was reached for good (entries
 * in date order; a correction may take it back). */
static void tally(struct req_window *w, const struct req_cadre *c, const struct span *sp)
{
	w->got_centi_days = w->got_centi_hours = 0;
	w->got_classes = 0;
	w->met_on = DATE_NONE;
	int64_t days = 0, hours = 0;
	int classes = 0;
	int32_t prev = INT32_MIN;
	for (;;) {
		/* the next day holding counted entries */
		int32_t next = INT32_MAX;
		for (size_t i = 0; i < c->n_entries; i++) {
			const struct req_entry *e = &c->entries[i];
			if (e->day > prev && e->day < next && counts(w->rule, e) &&
			    entry_in_span(sp, e->day))
				next = e->day;
		}
		if (next == INT32_MAX)
			break;
		for (size_t i = 0; i < c->n_entries; i++) {
			const struct req_entry *e = &c->entries[i];
			if (e->day == next && counts(w->rule, e) && entry_in_span(sp, e->day)) {
				days += e->centi_days;
				hours += e->centi_hours;
				classes += e->classes;
			}
		}
		if (reached(w, days, hours, classes)) {
			if (w->met_on == DATE_NONE)
				w->met_on = next;
		} else {
			w->met_on = DATE_NONE;
		}
		prev = next;
	}
	w->got_centi_days = days;
	w->got_centi_hours = hours;
	w->got_classes = classes;
}

struct out {
	struct req_window *w;
	size_t cap, n;
};

static struct req_window *emit(struct out *o)
{
	struct req_window *w = o->n < o->cap ? &o->w[o->n] : NULL;
	o->n++;
	if (w)
		memset(w, 0, sizeof *w);
	return w;
}

static bool emitted(const struct out *o, const char *key)
{
	size_t n = o->n < o->cap ? o->n : o->cap;
	for (size_t i = 0; i < n; i++)
		if (strcmp(o->w[i].key, key) == 0)
			return true;
	return false;
}

static void judge_standing(struct out *o, const struct req_version *v, const struct req_rule *r,
			   const struct req_cadre *c, int32_t ws, int32_t we, int year)
{
	char key[64];
	snprintf(key, sizeof key, "%s:%d:%s", r->window_kind, year, r->code);
	if (emitted(o, key))
		return;
	struct span sp;
	standing_span(v, r, c, ws, we, &sp);
	if (sp.days == 0)
		return;
	struct req_window *w = emit(o);
	if (!w)
		return;
	memcpy(w->key, key, sizeof key);
	w->rule = r;
	w->version_id = v->id;
	w->year = year;
	w->start = ws;
	w->end = we;
	w->span_start = sp.first;
	w->span_end = sp.last;
	w->cut = sp.cut;
	int64_t wd = (int64_t)we - ws + 1;
	w->req_centi_days = prorate(r->min_centi_days, sp.days, wd);
	w->req_centi_hours = prorate(r->min_centi_hours, sp.days, wd);
	w->req_classes = r->min_classes;
	tally(w, c, &sp);
}

/* Promotions: days from which the career holds a leading post when the day before it did
 * not, and the registry's promotion date when its stretch is a leading one. */
static size_t promotions(const struct req_cadre *c, int32_t *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n_career; i++) {
		const struct req_career *s = &c->career[i];
		if (!is_active(s) || !is_leading(s))
			continue;
		bool was = i > 0 && is_active(&c->career[i - 1]) && is_leading(&c->career[i - 1]);
		if (!was && i > 0 && n < cap)
			out[n++] = s->from;
	}
	if (c->promoted_on != DATE_NONE) {
		long at = stretch_at(c, c->promoted_on);
		bool dup = false;
		for (size_t i = 0; i < n; i++)
			dup |= out[i] == c->promoted_on;
		if (at >= 0 && !dup && n < cap && is_active(&c->career[at]) &&
		    is_leading(&c->career[at]))
			out[n++] = c->promoted_on;
	}
	return n;
}

static void judge_promotion(struct out *o, const struct req_version *v, const struct req_rule *r,
			    const struct req_cadre *c, int32_t p)
{
	long at = stretch_at(c, p);
	if (at < 0 || !rule_binds(r, &c->career[at]))
		return;
	char day[11], key[64];
	snprintf(key, sizeof key, "promotion:%s:%s", date_format(p, day), r->code);
	if (emitted(o, key))
		return;
	/* trained before: an entry that counts in the year before the promotion */
	int32_t before = p - (year_after(p) - p);
	for (size_t i = 0; i < c->n_entries; i++) {
		const struct req_entry *e = &c->entries[i];
		if (e->day >= before && e->day < p && counts(r, e) && e->classes > 0)
			return;
	}
	struct span sp;
	int32_t end = year_after(p) - 1;
	standing_span(v, NULL, c, p, end, &sp);
	if (sp.days == 0)
		return;
	struct req_window *w = emit(o);
	if (!w)
		return;
	memcpy(w->key, key, sizeof key);
	w->rule = r;
	w->version_id = v->id;
	w->year = year_of(p);
	w->start = p;
	w->end = end;
	w->span_start = sp.first;
	w->span_end = sp.last;
	w->cut = sp.cut;
	w->req_centi_days = r->min_centi_days;
	w->req_centi_hours = r->min_centi_hours;
	w->req_classes = r->min_classes;
	tally(w, c, &sp);
}

const struct req_version *req_version_at(const struct req_version *v, size_t n, int32_t day)
{
	const struct req_version *best = NULL;
	for (size_t i = 0; i < n; i++)
		if (v[i].from <= day && (v[i].to == DATE_NONE || day <= v[i].to) &&
		    (!best || v[i].from > best->from))
			best = &v[i];
	return best ? best : &req_defaults_2023;
}

size_t req_evaluate(const struct req_version *v, size_t n_versions, const struct req_cadre *cadre,
		    int first_year, int last_year, struct req_window *out, size_t cap)
{
	struct out o = { out, cap, 0 };
	/* years */
	for (int y = first_year; y <= last_year; y++) {
		int32_t ws = date_from_ymd(y, 1, 1), we = date_from_ymd(y, 12, 31);
		const struct req_version *ver = req_version_at(v, n_versions, ws);
		for (size_t i = 0; i < ver->n; i++)
			if (strcmp(ver->rules[i].window_kind, "year") == 0)
				judge_standing(&o, ver, &ver->rules[i], cadre, ws, we, y);
	}
	/* periods: every period that overlaps the years, judged by the version of its first
	 * day */
	for (int y = first_year; y <= last_year; y++) {
		const struct req_version *ver =
			req_version_at(v, n_versions, date_from_ymd(y, 1, 1));
		for (size_t i = 0; i < ver->n; i++) {
			const struct req_rule *r = &ver->rules[i];
			if (strcmp(r->window_kind, "period") != 0)
				continue;
			int ps = period_start_year(r, y);
			const struct req_version *at_start =
				req_version_at(v, n_versions, date_from_ymd(ps, 1, 1));
			const struct req_rule *pr = r;
			if (at_start != ver) {
				/* the period began under another version: its rule of that code */
				pr = NULL;
				for (size_t k = 0; k < at_start->n; k++)
					if (strcmp(at_start->rules[k].code, r->code) == 0 &&
					    strcmp(at_start->rules[k].window_kind, "period") == 0)
						pr = &at_start->rules[k];
				if (!pr)
					continue;
				ps = period_start_year(pr, y);
			}
			int len = pr->period_years > 0 ? pr->period_years : 1;
			judge_standing(&o, at_start, pr, cadre, date_from_ymd(ps, 1, 1),
				       date_from_ymd(ps + len - 1, 12, 31), ps);
		}
	}
	/* promotions */
	int32_t p[16];
	size_t np = promotions(cadre, p, sizeof p / sizeof p[0]);
	for (size_t k = 0; k < np; k++) {
		int32_t end = year_after(p[k]) - 1;
		if (year_of(end) < first_year || year_of(p[k]) > last_year)
			continue;
		const struct req_version *ver = req_version_at(v, n_versions, p[k]);
		for (size_t i = 0; i < ver->n; i++)
			if (strcmp(ver->rules[i].window_kind, "promotion") == 0)
				judge_promotion(&o, ver, &ver->rules[i], cadre, p[k]);
	}
	return o.n;
}

/* ---- standing on a day ---- */

const char *req_status_code(enum req_status s)
{
	static const char *const codes[] = { "met", "on_track", "behind", "overdue", "left" };
	return (unsigned)s < sizeof codes / sizeof codes[0] ? codes[s] : "behind";
}

static int64_t missing(int64_t req, int64_t got)
{
	return req > got ? req - got : 0;
}

struct req_standing req_standing(const struct req_window *w, int32_t today)
{
	struct req_standing s = { 0 };
	s.deadline = w->cut != DATE_NONE ? w->cut : w->span_end;
	if (w->met_on != DATE_NONE) {
		s.status = REQ_MET;
		return s;
	}
	s.missing_centi_days = missing(w->req_centi_days, w->got_centi_days);
	s.missing_centi_hours = missing(w->req_centi_hours, w->got_centi_hours);
	s.missing_classes = (int)missing(w->req_classes, w->got_classes);
	if (w->cut != DATE_NONE && today >= w->cut) {
		s.status = REQ_LEFT;
		return s;
	}
	if (today > w->span_end) {
		s.status = REQ_OVERDUE;
		return s;
	}
	int64_t len = (int64_t)w->span_end - w->span_start + 1;
	int64_t elapsed = (int64_t)today - w->span_start + 1;
	if (elapsed < 0)
		elapsed = 0;
	if (elapsed > len)
		elapsed = len;
	bool on =
		(w->req_centi_days > 0 && w->got_centi_days * len >= w->req_centi_days * elapsed) ||
		(w->req_centi_hours > 0 &&
		 w->got_centi_hours * len >= w->req_centi_hours * elapsed) ||
		(w->req_classes > 0 &&
		 (int64_t)w->got_classes * len * 2 >= (int64_t)w->req_classes * elapsed * 2 - len);
	s.status = on ? REQ_ON_TRACK : REQ_BEHIND;
	return s;
}

/* ---- checking a version ---- */

static bool en(const char *lang)
{
	return px_lang_is_en(lang);
}

static bool codes_known(const char *list, const struct enum_table *t)
{
	if (!list)
		return true;
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char code[64];
		if (len == 0 || len >= sizeof code)
			return false;
		memcpy(code, p, len);
		code[len] = 0;
		if (!enum_by_code(t, code))
			return false;
		if (!e)
			break;
		p = e + 1;
	}
	return true;
}

static bool same_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static bool same_targets(const struct req_rule *a, const struct req_rule *b)
{
	return same_text(a->hours_kind, b->hours_kind) && same_text(a->levels, b->levels) &&
	       same_text(a->grades, b->grades) && same_text(a->categories, b->categories) &&
	       same_text(a->leading, b->leading);
}

#define RULE_PROBLEM(row, field, code, zh, en_)                                                    \
	problems_add(pb, (long)(row), field, code, "%s", en(lang) ? en_ : zh)

static int check_rule(const struct req_rule *r, size_t row, struct problems *pb, const char *lang)
{
	size_t before = problems_count(pb);
	if (!r->code || !*r->code)
		RULE_PROBLEM(row, "code", "required", "规则代码不能为空", "The rule needs a code");
	if (!r->title || !*r->title)
		RULE_PROBLEM(row, "title", "required", "规则名称不能为空",
			     "The rule needs a title");
	if (!r->hours_kind || !enum_by_code(&enum_hours_kind, r->hours_kind))
		RULE_PROBLEM(row, "hours_kind", "invalid", "学时类别应为集中培训或网络培训",
			     "The kind of hours is centralized or online");
	if (!r->window_kind || !enum_by_code(&enum_window_kind, r->window_kind))
		RULE_PROBLEM(row, "window_kind", "invalid",
			     "考核周期应为每年度、每个周期或提任后一年内",
			     "The window is year, period or promotion");
	else if (strcmp(r->window_kind, "period") == 0) {
		if (r->period_years < 2 || r->period_years > 10)
			RULE_PROBLEM(row, "period_years", "invalid", "周期年数应在 2 到 10 年之间",
				     "A period lasts 2 to 10 years");
		if (r->period_first_year < 1990 || r->period_first_year > 2100)
			RULE_PROBLEM(row, "period_first_year", "invalid",
				     "周期起始年份应在 1990 到 2100 年之间",
				     "A period's first year lies between 1990 and 2100");
	}
	if (!codes_known(r->levels, &enum_rank_level))
		RULE_PROBLEM(row, "levels", "invalid", "职级层次中有未知的值",
			     "Rank levels hold an unknown value");
	if (!codes_known(r->grades, &enum_grade))
		RULE_PROBLEM(row, "grades", "invalid", "公务员职级中有未知的值",
			     "Grades hold an unknown value");
	if (!codes_known(r->categories, &enum_category))
		RULE_PROBLEM(row, "categories", "invalid", "干部类别中有未知的值",
			     "Categories hold an unknown value");
	if (!r->leading || !enum_by_code(&enum_leading, r->leading))
		RULE_PROBLEM(row, "leading", "invalid", "职务要求应为不限、领导职务或非领导职务",
			     "The post is any, leading or non_leading");
	if (!codes_known(r->training_types, &enum_class_kind))
		RULE_PROBLEM(row, "training_types", "invalid", "计入的培训类型中有未知的值",
			     "Training types hold an unknown value");
	if (r->min_centi_days < 0 || r->min_centi_hours < 0 || r->min_classes < 0)
		RULE_PROBLEM(row, "min_hours", "negative", "天数、学时和班次不能为负数",
			     "Days, hours and classes cannot be negative");
	else if (r->min_centi_days == 0 && r->min_centi_hours == 0 && r->min_classes == 0)
		RULE_PROBLEM(row, "min_hours", "required", "天数、学时、班次至少要求一项",
			     "Ask for days, hours or classes: at least one");
	if (r->min_centi_days > 36600 || r->min_centi_hours > 500000 || r->min_classes > 100)
		RULE_PROBLEM(row, "min_hours", "too_large",
			     "要求过大（天数至多 366 天，学时至多 5000 学时，班次至多 100 个）",
			     "Too much asked (at most 366 days, 5000 hours, 100 classes)");
	return (int)(problems_count(pb) - before);
}

static bool overlaps(int32_t a_from, int32_t a_to, int32_t b_from, int32_t b_to)
{
	int32_t ae = a_to == DATE_NONE ? INT32_MAX : a_to;
	int32_t be = b_to == DATE_NONE ? INT32_MAX : b_to;
	return a_from <= be && b_from <= ae;
}

int req_version_check(const struct req_version *v, const struct req_version *others, size_t n,
		      int64_t *close_id, struct problems *pb, const char *lang)
{
	size_t before = problems_count(pb);
	*close_id = 0;
	if (!v->title || !*v->title)
		RULE_PROBLEM(0, "title", "required", "版本名称不能为空",
			     "The version needs a title");
	if (v->from == DATE_NONE)
		RULE_PROBLEM(0, "effective_from", "required", "生效日期不能为空",
			     "The version needs the day it takes effect");
	else if (v->to != DATE_NONE && v->to < v->from)
		RULE_PROBLEM(0, "effective_to", "before_start", "失效日期早于生效日期",
			     "It would end before it begins");
	if (v->n == 0)
		RULE_PROBLEM(0, "rules", "required", "版本至少要有一条规则",
			     "A version holds at least one rule");
	for (size_t i = 0; i < v->n; i++) {
		const struct req_rule *r = &v->rules[i];
		if (check_rule(r, i + 1, pb, lang))
			continue;
		for (size_t k = 0; k < i; k++) {
			const struct req_rule *q = &v->rules[k];
			if (same_text(q->code, r->code)) {
				if (en(lang))
					problems_add(pb, (long)i + 1, "code", "duplicate",
						     "Rule %zu has the code of rule %zu (%s)",
						     i + 1, k + 1, r->code);
				else
					problems_add(pb, (long)i + 1, "code", "duplicate",
						     "第 %zu 条规则与第 %zu 条规则代码相同（%s）",
						     i + 1, k + 1, r->code);
			} else if (is_standing_rule(r) && is_standing_rule(q) &&
				   same_targets(q, r)) {
				if (en(lang))
					problems_add(
						pb, (long)i + 1, "levels", "shadowed",
						"Rule %zu binds exactly the cadres of rule %zu "
						"for the same kind of hours: it could never apply",
						i + 1, k + 1);
				else
					problems_add(pb, (long)i + 1, "levels", "shadowed",
						     "第 %zu 条规则与第 %zu "
						     "条规则适用的干部和学时类别完全"
						     "相同，永远不会生效",
						     i + 1, k + 1);
			}
		}
	}
	if (v->from != DATE_NONE) {
		for (size_t i = 0; i < n; i++) {
			const struct req_version *o = &others[i];
			if (o->id == v->id)
				continue;
			/* an open earlier version ends the day before this one begins */
			if (o->to == DATE_NONE && o->from < v->from) {
				bool later_clash = false;
				for (size_t k = 0; k < n; k++)
					if (others[k].id != v->id && others[k].id != o->id &&
					    overlaps(others[k].from, others[k].to, v->from, v->to))
						later_clash = true;
				if (!later_clash) {
					*close_id = o->id;
					continue;
				}
			}
			if (overlaps(o->from, o->to, v->from, v->to)) {
				char f[11], t[11] = "";
				date_format(o->from, f);
				if (o->to != DATE_NONE)
					date_format(o->to, t);
				if (en(lang))
					problems_add(pb, 0, "effective_from", "overlap",
						     "Its dates overlap version \"%s\" (%s to %s)",
						     o->title ? o->title : "", f, *t ? t : "open");
				else
					problems_add(pb, 0, "effective_from", "overlap",
						     "生效期与版本“%s”（%s 至 %s）重叠",
						     o->title ? o->title : "", f, *t ? t : "今后");
			}
		}
	}
	if (problems_count(pb) > before)
		*close_id = 0;
	return (int)(problems_count(pb) - before);
}
