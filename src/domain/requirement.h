/*
 * requirement.h — who must be trained how much, by when (学时要求, SPEC §2; docs/ledger.md).
 *
 * A requirement rule says whom it binds (rank levels or grades, categories, leading post or
 * not), what they must reach (days OR hours OR a number of classes — any one suffices), in
 * which window (a calendar year; a period of N years counted from a first year; the year
 * after a promotion to a leading post) and of which kind of hours (centralized 集中培训,
 * online 网络培训). Rules come in versions with an effective date; the 2023 rules of the
 * 《干部教育培训工作条例》 are built in (req_defaults_2023) for a region that has none.
 *
 * req_evaluate() judges one cadre: given its career (the rank, category and status it held
 * from each date on), its ledger entries and the versions of its region, it lists every
 * window that binds the cadre with what was required and what it got. It is pure: the
 * service loads the inputs and keeps the result (store: compliance). How the rules are
 * read where they are silent — the version of a window, a rank change inside a window, a
 * cadre who leaves — is written down in docs/ledger.md and pinned by
 * tests/unit/domain/test_requirement.c.
 *
 * Amounts are hundredths (centi): 9000 centi-hours = 90 学时, 1200 centi-days = 12 天.
 * Dates are day numbers (base/date.h).
 */
#ifndef PX_REQUIREMENT_H
#define PX_REQUIREMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/problem.h"

/* Vocabularies (codes; labels in enums.c): hours_kind centralized | online; window_kind
 * year | period | promotion; leading any | leading | non_leading. */

struct req_rule {
	const char *code;  /* unique in its version: "township_yearly" */
	const char *title; /* what people read: "乡科级及以下每年 12 天或 90 学时" */
	const char *hours_kind;
	const char *window_kind;
	int period_years;      /* window_kind period: its length (5); else 1 */
	int period_first_year; /* window_kind period: a year a period starts (2023) */
	/* Whom: rank_level in levels OR grade in grades (both "" = every cadre), and category
	 * in categories ("" = any), and leading as said. Codes joined by ','. */
	const char *levels;
	const char *grades;
	const char *categories;
	const char *leading;
	/* Which entries count: their training_type in these ("" = every entry of hours_kind). */
	const char *training_types;
	/* Reached when any nonzero one is: days ≥ min_centi_days, hours ≥ min_centi_hours,
	 * classes ≥ min_classes. */
	int64_t min_centi_days;
	int64_t min_centi_hours;
	int min_classes;
};

struct req_version {
	int64_t id;   /* 0: the built-in defaults */
	int32_t from; /* effective from this day */
	int32_t to;   /* to this day inclusive; DATE_NONE = open */
	const char *title;
	const struct req_rule *rules;
	size_t n;
};

/* The 2023 rules, in force from 2023-01-01 for a region with no version of its own. */
extern const struct req_version req_defaults_2023;

/* The version in force on `day` among `v` (one region's, any order), else the defaults. */
const struct req_version *req_version_at(const struct req_version *v, size_t n, int32_t day);

/*
 * Check a version before it is saved: each rule on its own (a known vocabulary code in
 * every list, a threshold that is not zero, a period with a length and a first year, a
 * unique code, a title) and the rules together (two year-or-period rules of one kind of
 * hours binding exactly the same cadres: the second could never apply), and the version
 * against the region's others (`others`, its id excluded): its dates may not overlap one,
 * except that an open earlier version is closed the day before it starts — *close_id then
 * gets that version's id (0: none). A rule's problem carries the rule's position (1-based)
 * as its row and the field's name ("min_hours"); the version's own have row 0. Returns the
 * number of problems added.
 */
int req_version_check(const struct req_version *v, const struct req_version *others, size_t n,
		      int64_t *close_id, struct problems *pb, const char *lang);

/* One stretch of a cadre's career: from day `from` on (DATE_NONE: since ever) it held these
 * (codes of enums.h). A stretch whose status is not "active" binds no rule. */
struct req_career {
	int32_t from;
	const char *rank_level;
	const char *grade;
	const char *category;
	const char *rank_position; /* chief | deputy | "" */
	int is_head;
	const char *status;
};

/* A ledger entry as the rules see it (corrections included: their amounts may be
 * negative). */
struct req_entry {
	int32_t day; /* its end date */
	const char *hours_kind;
	const char *training_type;
	int64_t centi_hours;
	int64_t centi_days;
	int classes;
};

struct req_cadre {
	const struct req_career *career; /* sorted by from */
	size_t n_career;
	/* The cadre's promotion date as the registry holds it (DATE_NONE: none); a promotion
	 * when the career stretch holding it is a leading post. */
	int32_t promoted_on;
	const struct req_entry *entries; /* any order */
	size_t n_entries;
};

/* A window that binds the cadre, and how the cadre stands in it. */
struct req_window {
	char key[48]; /* "year:2023:centralized", "period:2023:centralized", "promotion:2024-06-15"
		       */
	const struct req_rule *rule; /* points into the version's rules */
	int64_t version_id;
	int year;           /* the window's first year */
	int32_t start, end; /* the window itself (a year, a period, a promotion's year) */
	/* The days of the window in which the rule bound the cadre: the part that is judged
	 * (first and last such day; the requirement is prorated by their count). */
	int32_t span_start, span_end;
	int32_t cut; /* the day the cadre left (调离, 退休) inside the window; DATE_NONE */
	int64_t req_centi_days, req_centi_hours;
	int req_classes;
	int64_t got_centi_days, got_centi_hours;
	int got_classes;
	int32_t met_on; /* the day the requirement was reached; DATE_NONE */
};

/*
 * Judge the cadre for every window that begins in [first_year, last_year] (periods: every
 * period that overlaps them) and binds it. `v` are the region's versions (any order).
 * Writes up to `cap` windows into out (year windows by year, then periods, then promotions)
 * and returns how many there are (more than cap: call again with more room).
 */
size_t req_evaluate(const struct req_version *v, size_t n_versions, const struct req_cadre *cadre,
		    int first_year, int last_year, struct req_window *out, size_t cap);

enum req_status {
	REQ_MET,      /* reached */
	REQ_ON_TRACK, /* open, and the credited share at least the elapsed share */
	REQ_BEHIND,   /* open, and behind the elapsed share */
	REQ_OVERDUE,  /* ended unreached */
	REQ_LEFT,     /* the cadre left inside the window unreached: not counted as overdue */
};

/* Vocabulary code of a status: "met", "on_track", "behind", "overdue", "left". */
const char *req_status_code(enum req_status s);

/* How a window stands on `today`: the status, and what is still missing (≥ 0). */
struct req_standing {
	enum req_status status;
	int64_t missing_centi_days, missing_centi_hours;
	int missing_classes;
	int32_t deadline; /* the window's end (the cut day when cut) */
};

struct req_standing req_standing(const struct req_window *w, int32_t today);

#endif
