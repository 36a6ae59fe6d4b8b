/*
 * test_hours.c — the hours conversion rules (学时折算, domain/hours.h): a session's hours at
 * the edges of a short session (14, 15, 30, 31 minutes), a half-day, an evening, the day's
 * cap, two half-days making one 天, credited hours winning, and the rules' checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/hours.h"

static const struct hours_rules *R = &hours_rules_default;

static int64_t timed(const char *a, const char *b)
{
	return hours_for_session(R, "lecture", 0, a, b, 0);
}

static void test_session_edges(void **state)
{
	(void)state;
	assert_int_equal(timed("09:00", "09:14"), 0);
	assert_int_equal(timed("09:00", "09:15"), 50);
	assert_int_equal(timed("09:00", "09:30"), 50);
	assert_int_equal(timed("09:00", "09:31"), 69); /* 31/45 of a 学时, half up */
	assert_int_equal(timed("09:00", "09:45"), 100);
	assert_int_equal(timed("08:30", "10:00"), 200);
	/* no exact times: by the slot */
	assert_int_equal(hours_for_session(R, "lecture", 0, "", "", 0), 400);
	assert_int_equal(hours_for_session(R, "seminar", 1, NULL, NULL, 0), 400);
	assert_int_equal(hours_for_session(R, "lecture", 2, "", "", 0), 200);
	assert_int_equal(hours_for_session(R, "lecture", -1, "", "", 0), 0);
	/* the session's own hours win when > 0 */
	assert_int_equal(hours_for_session(R, "lecture", 0, "09:00", "09:10", 350), 350);
	/* a bad or backwards time falls back to the slot */
	assert_int_equal(hours_for_session(R, "lecture", 0, "10:00", "09:00", 0), 400);
	/* other rules: 50 minutes a 学时 */
	struct hours_rules r = hours_rules_default;
	r.minutes_per_hour = 50;
	assert_int_equal(hours_for_session(&r, "lecture", 0, "09:00", "09:50", 0), 100);
}

static void test_attendance_days(void **state)
{
	(void)state;
	int64_t h, d;
	/* a full day: morning and afternoon → 8 学时, 1 天 */
	struct hours_session full[] = {
		{ "2023-03-01", "lecture", 0, "", "", 0 },
		{ "2023-03-01", "seminar", 1, "", "", 0 },
	};
	hours_for_attendance(R, full, 2, &h, &d);
	assert_int_equal(h, 800);
	assert_int_equal(d, 100);
	/* one half-day: 0.5 天 */
	hours_for_attendance(R, full, 1, &h, &d);
	assert_int_equal(h, 400);
	assert_int_equal(d, 50);
	/* two sessions in one half-day are still half a day; a day with an evening too is
	 * capped at 8 学时 and 1 天; another day adds its own */
	struct hours_session week[] = {
		{ "2023-03-02", "lecture", 0, "08:30", "10:00", 0 },
		{ "2023-03-01", "lecture", 0, "", "", 0 },
		{ "2023-03-02", "lecture", 0, "10:15", "11:45", 0 },
		{ "2023-03-01", "seminar", 1, "", "", 0 },
		{ "2023-03-01", "exchange", 2, "", "", 0 },
	};
	hours_for_attendance(R, week, 5, &h, &d);
	assert_int_equal(h, 800 + 400);
	assert_int_equal(d, 100 + 50);
	/* a session without a slot takes it from its start time */
	struct hours_session after[] = {
		{ "2023-03-03", "lecture", -1, "14:30", "16:00", 0 },
		{ "2023-03-03", "lecture", -1, "19:00", "19:45", 0 },
	};
	hours_for_attendance(R, after, 2, &h, &d);
	assert_int_equal(h, 300);
	assert_int_equal(d, 50);
	/* a cap of 6 学时 a day */
	struct hours_rules six = hours_rules_default;
	six.day_centi_hours = 600;
	hours_for_attendance(&six, full, 2, &h, &d);
	assert_int_equal(h, 600);
	hours_for_attendance(R, NULL, 0, &h, &d);
	assert_int_equal(h + d, 0);
}

static int has(const struct problems *pb, const char *field, const char *code)
{
	for (size_t i = 0; i < pb->n; i++)
		if (!strcmp(pb->items[i].field, field) && !strcmp(pb->items[i].code, code))
			return 1;
	return 0;
}

static void test_rules_check(void **state)
{
	(void)state;
	struct problems pb;
	problems_init(&pb);
	assert_int_equal(hours_rules_check(R, &pb, "zh-CN"), 0);
	struct hours_rules r = hours_rules_default;
	r.half_day_centi_hours = -100;
	r.day_centi_hours = 2500; /* more than 24 hours */
	assert_int_equal(hours_rules_check(&r, &pb, "en"), 2);
	assert_true(has(&pb, "half_day_hours", "negative"));
	assert_true(has(&pb, "day_hours", "out_of_range"));
	problems_release(&pb);
	problems_init(&pb);
	r = hours_rules_default;
	r.short_min_minutes = 40; /* above short_max and a 学时 */
	r.short_max_minutes = 20;
	r.half_day_centi_hours = 900; /* a half-day above the day's cap */
	r.half_day_centi_days = 0;
	hours_rules_check(&r, &pb, "zh-CN");
	assert_true(has(&pb, "short_min_minutes", "contradictory"));
	assert_true(has(&pb, "half_day_hours", "contradictory"));
	assert_true(has(&pb, "half_day_days", "contradictory"));
	problems_release(&pb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session_edges),
		cmocka_unit_test(test_attendance_days),
		cmocka_unit_test(test_rules_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
