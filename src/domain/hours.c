/*
 * hours.c — the hours conversion rules (学时折算): see hours.h.
 */
#include "domain/hours.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct hours_rules hours_rules_default = {
	.half_day_centi_hours = 400,
	.evening_centi_hours = 200,
	.minutes_per_hour = 45,
	.short_min_minutes = 15,
	.short_max_minutes = 30,
	.short_centi_hours = 50,
	.day_centi_hours = 800,
	.half_day_centi_days = 50,
	.day_centi_days = 100,
};

#define F(name, member, centi, min, max, zh, en)                                                   \
	{                                                                                          \
		name, offsetof(struct hours_rules, member), centi, min, max, zh, en                \
	}

/* Bounds: a day has 24 hours, a 学时 between 30 and 60 minutes, a session shorter than a
 * 学时 counts at most one. */
const struct hours_rules_field hours_rules_fields[] = {
	F("half_day_hours", half_day_centi_hours, 1, 0, 1200, "半天学时", "Hours of a half-day"),
	F("evening_hours", evening_centi_hours, 1, 0, 800, "晚上学时", "Hours of an evening"),
	F("minutes_per_hour", minutes_per_hour, 0, 30, 60, "每学时分钟数", "Minutes of a 学时"),
	F("short_min_minutes", short_min_minutes, 0, 0, 60, "短课不计学时的分钟数下限",
	  "A shorter session counts nothing (minutes)"),
	F("short_max_minutes", short_max_minutes, 0, 0, 60, "短课计半学时的分钟数上限",
	  "A session up to this long counts the short hours (minutes)"),
	F("short_hours", short_centi_hours, 1, 0, 100, "短课学时", "Hours of a short session"),
	F("day_hours", day_centi_hours, 1, 0, 2400, "每天学时上限", "Most hours of one day"),
	F("half_day_days", half_day_centi_days, 1, 0, 100, "半天折算天数", "Days of a half-day"),
	F("day_days", day_centi_days, 1, 0, 100, "每天折算天数上限", "Most days of one day"),
};
const size_t hours_rules_field_count = sizeof hours_rules_fields / sizeof hours_rules_fields[0];

int64_t *hours_rules_member(struct hours_rules *r, const struct hours_rules_field *f)
{
	return (int64_t *)((char *)r + f->offset);
}

int64_t hours_rules_value(const struct hours_rules *r, const struct hours_rules_field *f)
{
	return *(const int64_t *)((const char *)r + f->offset);
}

static bool en(const char *lang)
{
	return lang && !strncmp(lang, "en", 2);
}

static const struct hours_rules_field *field(const char *name)
{
	for (size_t i = 0; i < hours_rules_field_count; i++)
		if (!strcmp(hours_rules_fields[i].name, name))
			return &hours_rules_fields[i];
	return NULL;
}

/* A value as the text writes it: 400 → "4", 50 → "0.5", 45 → "45". */
static void text_of(const struct hours_rules_field *f, int64_t v, char *out, size_t n)
{
	if (!f->centi || v % 100 == 0)
		snprintf(out, n, "%lld", (long long)(f->centi ? v / 100 : v));
	else if (v % 10 == 0)
		snprintf(out, n, "%lld.%lld", (long long)(v / 100), (long long)(v % 100 / 10));
	else
		snprintf(out, n, "%lld.%02lld", (long long)(v / 100), (long long)(v % 100));
}

static void contradiction(struct problems *pb, const char *lang, const char *name, const char *zh,
			  const char *en_text)
{
	problems_add(pb, 0, field(name)->name, "contradictory", "%s", en(lang) ? en_text : zh);
}

int hours_rules_check(const struct hours_rules *r, struct problems *pb, const char *lang)
{
	size_t before = problems_count(pb);
	bool bounded = true;
	for (size_t i = 0; i < hours_rules_field_count; i++) {
		const struct hours_rules_field *f = &hours_rules_fields[i];
		int64_t v = hours_rules_value(r, f);
		if (v >= f->min && v <= f->max)
			continue;
		bounded = false;
		char lo[24], hi[24];
		text_of(f, f->min, lo, sizeof lo);
		text_of(f, f->max, hi, sizeof hi);
		if (en(lang))
			problems_add(pb, 0, f->name, v < 0 ? "negative" : "out_of_range",
				     "%s: between %s and %s", f->en, lo, hi);
		else
			problems_add(pb, 0, f->name, v < 0 ? "negative" : "out_of_range",
				     "%s应在 %s 至 %s 之间", f->zh, lo, hi);
	}
	if (!bounded)
		return (int)(problems_count(pb) - before);
	if (r->short_min_minutes > r->short_max_minutes)
		contradiction(pb, lang, "short_min_minutes", "不计学时的下限不能大于计半学时的上限",
			      "The lower bound of a short session exceeds its upper bound");
	if (r->short_max_minutes >= r->minutes_per_hour)
		contradiction(pb, lang, "short_max_minutes", "短课上限应小于每学时分钟数",
			      "A short session must be shorter than a 学时");
	if (r->half_day_centi_hours > r->day_centi_hours)
		contradiction(pb, lang, "half_day_hours", "半天学时不能多于每天学时上限",
			      "A half-day cannot count more hours than a whole day");
	if (r->evening_centi_hours > r->day_centi_hours)
		contradiction(pb, lang, "evening_hours", "晚上学时不能多于每天学时上限",
			      "An evening cannot count more hours than a whole day");
	if (r->half_day_centi_days > r->day_centi_days)
		contradiction(pb, lang, "half_day_days", "半天折算天数不能多于每天上限",
			      "A half-day cannot count more days than a whole day");
	if (r->day_centi_days > 0 && r->half_day_centi_days == 0)
		contradiction(pb, lang, "half_day_days", "半天折算天数为 0 时每天不会计天数",
			      "With 0 days a half-day, no day would ever count");
	return (int)(problems_count(pb) - before);
}

/* Minutes since midnight of "HH:MM", or -1. */
static int minutes_of(const char *t)
{
	if (!t || strlen(t) != 5 || t[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (t[i] < '0' || t[i] > '9'))
			return -1;
	int h = (t[0] - '0') * 10 + (t[1] - '0'), m = (t[3] - '0') * 10 + (t[4] - '0');
	return h < 24 && m < 60 ? h * 60 + m : -1;
}

int64_t hours_for_session(const struct hours_rules *r, const char *kind, int slot,
			  const char *start_time, const char *end_time,
			  int64_t credited_centi_hours)
{
	(void)kind; /* every kind counts alike (hours.h) */
	if (credited_centi_hours > 0)
		return credited_centi_hours;
	int a = minutes_of(start_time), b = minutes_of(end_time);
	if (a >= 0 && b > a) {
		int64_t minutes = b - a;
		if (minutes < r->short_min_minutes)
			return 0;
		if (minutes <= r->short_max_minutes)
			return r->short_centi_hours;
		if (r->minutes_per_hour <= 0)
			return 0;
		return (minutes * 200 / r->minutes_per_hour + 1) / 2; /* hundredths, half up */
	}
	if (slot == 0 || slot == 1)
		return r->half_day_centi_hours;
	if (slot == 2)
		return r->evening_centi_hours;
	return 0;
}

/* The slot of a session: its own, else from its start time (before noon a morning, before
 * 18:00 an afternoon, else an evening), else -1. */
static int slot_of(const struct hours_session *s)
{
	if (s->slot >= 0 && s->slot <= 2)
		return s->slot;
	int a = minutes_of(s->start_time);
	return a < 0 ? -1 : a < 12 * 60 ? 0 : a < 18 * 60 ? 1 : 2;
}

static bool same_day(const struct hours_session *a, const struct hours_session *b)
{
	return a->day && b->day && !strcmp(a->day, b->day);
}

void hours_for_attendance(const struct hours_rules *r, const struct hours_session *s, size_t n,
			  int64_t *centi_hours, int64_t *centi_days)
{
	*centi_hours = 0;
	*centi_days = 0;
	for (size_t i = 0; i < n; i++) {
		bool first = true; /* the first session of its day does the day */
		for (size_t k = 0; k < i && first; k++)
			first = !same_day(&s[k], &s[i]);
		if (!first || !s[i].day || !*s[i].day)
			continue;
		int64_t hours = 0;
		bool half[2] = { false, false };
		for (size_t k = i; k < n; k++) {
			if (!same_day(&s[k], &s[i]))
				continue;
			hours += hours_for_session(r, s[k].kind, s[k].slot, s[k].start_time,
						   s[k].end_time, s[k].credited_centi_hours);
			int slot = slot_of(&s[k]);
			if (slot == 0 || slot == 1)
				half[slot] = true;
		}
		int64_t days = (half[0] + half[1]) * r->half_day_centi_days;
		*centi_hours += hours < r->day_centi_hours ? hours : r->day_centi_hours;
		*centi_days += days < r->day_centi_days ? days : r->day_centi_days;
	}
}
