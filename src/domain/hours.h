/*
 * hours.h — how attendance becomes hours and days (学时折算, SPEC §2; docs/ledger.md).
 *
 * Local rules differ (4 学时 a half-day here, 3.5 there; 45 or 50 minutes to the 学时), so
 * they are data: struct hours_rules, one per region and optionally one per class (store:
 * hours_rules). The service reads and writes them as a small JSON object whose members are
 * hours_rules_fields[] (a value in hundredths is written as a decimal: "half_day_hours": 4);
 * this file only knows the struct.
 *
 * A session counts, in this order:
 *   1. its own credited hours when they are more than 0 (a class manager said so);
 *   2. with exact times (HH:MM–HH:MM): under short_min_minutes 0, up to short_max_minutes
 *      half a 学时 (short_centi_hours), longer minutes / minutes_per_hour, in hundredths
 *      rounded half up (90 minutes of 45 = 2 学时, 31 minutes = 0.69);
 *   3. else by its slot: a morning or afternoon half_day_hours, an evening evening_hours.
 * A day of a trainee counts at most day_hours, and for days: every half-day (morning,
 * afternoon) attended counts half_day_days, a day at most day_days; evenings count no days.
 * Every session's kind counts alike.
 */
#ifndef PX_HOURS_H
#define PX_HOURS_H

#include <stddef.h>
#include <stdint.h>

#include "base/problem.h"

struct hours_rules {
	int64_t half_day_centi_hours; /* a morning or an afternoon: 400 */
	int64_t evening_centi_hours;  /* an evening: 200 */
	int64_t minutes_per_hour;     /* a 学时 of a session with exact times: 45 */
	int64_t short_min_minutes;    /* shorter: nothing (15) */
	int64_t short_max_minutes;    /* up to this long: short_centi_hours (30) */
	int64_t short_centi_hours;    /* 50 */
	int64_t day_centi_hours;      /* the most one day counts: 800 */
	int64_t half_day_centi_days;  /* a half-day attended: 50 (0.5 天) */
	int64_t day_centi_days;       /* the most one day counts: 100 (1 天) */
};

/* The defaults (the values above). */
extern const struct hours_rules hours_rules_default;

/* A member of the rules' JSON text: its name, where it is, whether the text carries it in
 * hundredths written as a decimal (centi) or as a whole number, its bounds (in the struct's
 * units), and its labels. */
struct hours_rules_field {
	const char *name; /* "half_day_hours" */
	size_t offset;    /* offsetof(struct hours_rules, …) */
	int centi;        /* 1: the text's 4 is 400 here */
	int64_t min, max;
	const char *zh, *en;
};
extern const struct hours_rules_field hours_rules_fields[];
extern const size_t hours_rules_field_count;

/* The member `f` of r. */
int64_t *hours_rules_member(struct hours_rules *r, const struct hours_rules_field *f);
int64_t hours_rules_value(const struct hours_rules *r, const struct hours_rules_field *f);

/*
 * Check the rules: every member inside its bounds (negative and absurd values), and the
 * members together (short_min_minutes ≤ short_max_minutes, short_max_minutes below
 * minutes_per_hour … ; a half-day of more hours than a day; two half-days of days more than a
 * day's). Problems name the member. Returns how many were added.
 */
int hours_rules_check(const struct hours_rules *r, struct problems *pb, const char *lang);

/* The hundredths of a 学时 one session counts (see above). slot: 0 morning, 1 afternoon,
 * 2 evening, -1 not placed; start/end "HH:MM" or "" (NULL as ""); credited_centi_hours the
 * session's own hours in hundredths. kind is a session_kind code (counted alike). */
int64_t hours_for_session(const struct hours_rules *r, const char *kind, int slot,
			  const char *start_time, const char *end_time,
			  int64_t credited_centi_hours);

/* A session a trainee attended. */
struct hours_session {
	const char *day; /* YYYY-MM-DD */
	const char *kind;
	int slot; /* 0 morning, 1 afternoon, 2 evening; -1: from its start time, else none */
	const char *start_time, *end_time;
	int64_t credited_centi_hours;
};

/* What one trainee's attended sessions of a class count (any order): the hours, each day
 * capped at day_centi_hours, and the days, each half-day half_day_centi_days, a day capped at
 * day_centi_days. */
void hours_for_attendance(const struct hours_rules *r, const struct hours_session *s, size_t n,
			  int64_t *centi_hours, int64_t *centi_days);

#endif
