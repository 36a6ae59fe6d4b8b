/*
 * test_requirement.c — the requirement rules' edges (domain/requirement.h, docs/ledger.md):
 * thresholds a half-hour or a day short, days OR hours, the five-year window's first and
 * last day, the year after a promotion (and 29 February), a rank change inside a window,
 * a cadre who leaves, versions in force, and the checks of a new version.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/date.h"
#include "base/problem.h"
#include "domain/requirement.h"

#define D(y, m, d) date_from_ymd(y, m, d)

static const struct req_career township[] = {
	{ DATE_NONE, "township_section", "", "party_gov_leader", "chief", 1, "active" },
};
static const struct req_career county[] = {
	{ DATE_NONE, "county_division", "", "party_gov_leader", "chief", 1, "active" },
};

static struct req_entry centralized(int32_t day, int64_t centi_hours, int64_t centi_days)
{
	return (struct req_entry){ day, "centralized", "topic", centi_hours, centi_days, 1 };
}

/* The window of `key` among the cadre's windows (fails the test when absent). */
static struct req_window windows[64];
static size_t n_windows;

static void judge(const struct req_version *v, size_t nv, const struct req_career *career,
		  size_t n_career, const struct req_entry *e, size_t n_entries, int first, int last)
{
	struct req_cadre c = { career, n_career, DATE_NONE, e, n_entries };
	n_windows = req_evaluate(v, nv, &c, first, last, windows, 64);
	assert_true(n_windows <= 64);
}

static const struct req_window *find(const char *key)
{
	for (size_t i = 0; i < n_windows; i++)
		if (strcmp(windows[i].key, key) == 0)
			return &windows[i];
	return NULL;
}

static const struct req_window *window(const char *key)
{
	const struct req_window *w = find(key);
	if (!w)
		fail_msg("no window %s", key);
	return w;
}

static enum req_status status_on(const char *key, int32_t today)
{
	return req_standing(window(key), today).status;
}

static void test_defaults_start_2023(void **state)
{
	(void)state;
	assert_int_equal(req_defaults_2023.from, D(2023, 1, 1));
	assert_true(req_version_at(NULL, 0, D(2019, 5, 1)) == &req_defaults_2023);
}

static void test_hours_half_short(void **state)
{
	(void)state;
	struct req_entry e[] = { centralized(D(2023, 3, 1), 8950, 0) };
	judge(NULL, 0, township, 1, e, 1, 2023, 2023);
	const struct req_window *w = window("year:2023:township_down_yearly");
	assert_int_equal(w->req_centi_hours, 9000);
	assert_int_equal(w->req_centi_days, 1200);
	assert_int_equal(w->got_centi_hours, 8950);
	struct req_standing s = req_standing(w, D(2024, 1, 5));
	assert_int_equal(s.status, REQ_OVERDUE);
	assert_int_equal(s.missing_centi_hours, 50);
	assert_int_equal(s.deadline, D(2023, 12, 31));

	e[0].centi_hours = 9000;
	judge(NULL, 0, township, 1, e, 1, 2023, 2023);
	assert_int_equal(status_on("year:2023:township_down_yearly", D(2024, 1, 5)), REQ_MET);
	assert_int_equal(window("year:2023:township_down_yearly")->met_on, D(2023, 3, 1));
}

static void test_days_a_day_short_and_days_or_hours(void **state)
{
	(void)state;
	struct req_entry e[] = { centralized(D(2023, 5, 1), 6000, 1100) };
	judge(NULL, 0, township, 1, e, 1, 2023, 2023);
	assert_int_equal(status_on("year:2023:township_down_yearly", D(2024, 1, 1)), REQ_OVERDUE);
	/* 12 days but 60 hours: the days suffice */
	e[0].centi_days = 1200;
	judge(NULL, 0, township, 1, e, 1, 2023, 2023);
	assert_int_equal(status_on("year:2023:township_down_yearly", D(2024, 1, 1)), REQ_MET);
}

static void test_online_hours_do_not_count_as_centralized(void **state)
{
	(void)state;
	struct req_entry e[] = {
		{ D(2023, 4, 1), "online", "", 9000, 0, 0 },
	};
	judge(NULL, 0, township, 1, e, 1, 2023, 2023);
	assert_int_equal(window("year:2023:township_down_yearly")->got_centi_hours, 0);
	assert_int_equal(status_on("year:2023:online_yearly", D(2024, 1, 1)), REQ_MET);
}

static void test_correction_takes_back(void **state)
{
	(void)state;
	struct req_entry e[] = {
		centralized(D(2023, 3, 1), 9000, 0),
		{ D(2023, 3, 1), "centralized", "topic", -1000, 0, 0 },
	};
	judge(NULL, 0, township, 1, e, 2, 2023, 2023);
	const struct req_window *w = window("year:2023:township_down_yearly");
	assert_int_equal(w->got_centi_hours, 8000);
	assert_int_equal(w->met_on, DATE_NONE);
	/* reached, taken back later, reached again: met from the last time */
	struct req_entry f[] = {
		centralized(D(2023, 3, 1), 9000, 0),
		{ D(2023, 4, 1), "centralized", "topic", -1000, 0, 0 },
		centralized(D(2023, 9, 1), 1000, 0),
	};
	judge(NULL, 0, township, 1, f, 3, 2023, 2023);
	assert_int_equal(window("year:2023:township_down_yearly")->met_on, D(2023, 9, 1));
}

static void test_period_first_and_last_day(void **state)
{
	(void)state;
	struct req_entry e[] = {
		centralized(D(2022, 12, 31), 10000, 0), /* the period before */
		centralized(D(2023, 1, 1), 30000, 0),   /* first day */
		centralized(D(2027, 12, 31), 25000, 0), /* last day */
		centralized(D(2028, 1, 1), 99000, 0),   /* the next period */
	};
	judge(NULL, 0, county, 1, e, 4, 2023, 2027);
	const struct req_window *w = window("period:2023:county_up_period");
	assert_int_equal(w->start, D(2023, 1, 1));
	assert_int_equal(w->end, D(2027, 12, 31));
	assert_int_equal(w->req_centi_hours, 55000);
	assert_int_equal(w->req_centi_days, 9000);
	assert_int_equal(w->got_centi_hours, 55000);
	assert_int_equal(w->met_on, D(2027, 12, 31));
	/* no yearly rule binds a county-level leader */
	assert_null(find("year:2023:township_down_yearly"));
	/* on the last day but one it is behind: 300 of 550 after 4 years and 364 days */
	struct req_entry g[] = { e[1] };
	judge(NULL, 0, county, 1, g, 1, 2023, 2027);
	assert_int_equal(status_on("period:2023:county_up_period", D(2027, 12, 30)), REQ_BEHIND);
	assert_int_equal(status_on("period:2023:county_up_period", D(2024, 12, 31)), REQ_ON_TRACK);
	assert_int_equal(status_on("period:2023:county_up_period", D(2028, 1, 1)), REQ_OVERDUE);
	/* the years before 2023 lie in the period 2018–2022 */
	judge(NULL, 0, county, 1, e, 4, 2019, 2023);
	assert_non_null(find("period:2018:county_up_period"));
	assert_int_equal(window("period:2018:county_up_period")->got_centi_hours, 10000);
}

static void test_on_track_and_behind(void **state)
{
	(void)state;
	/* on 2023-07-01, 182 of 365 days have passed: 44.88 学时 are due */
	struct req_entry e[] = { centralized(D(2023, 2, 1), 4500, 0) };
	judge(NULL, 0, township, 1, e, 1, 2023, 2023);
	assert_int_equal(status_on("year:2023:township_down_yearly", D(2023, 7, 1)), REQ_ON_TRACK);
	e[0].centi_hours = 4000;
	judge(NULL, 0, township, 1, e, 1, 2023, 2023);
	assert_int_equal(status_on("year:2023:township_down_yearly", D(2023, 7, 1)), REQ_BEHIND);
	struct req_standing s =
		req_standing(window("year:2023:township_down_yearly"), D(2023, 7, 1));
	assert_int_equal(s.missing_centi_hours, 5000);
	assert_int_equal(s.missing_centi_days, 1200);
}

static void test_rank_change_splits_the_window(void **state)
{
	(void)state;
	/* 乡科级 until 2024-06-30, 县处级 from 2024-07-01 */
	struct req_career career[] = {
		{ DATE_NONE, "township_section", "", "party_gov_leader", "chief", 1, "active" },
		{ D(2024, 7, 1), "county_division", "", "party_gov_leader", "deputy", 0, "active" },
	};
	struct req_entry e[] = {
		centralized(D(2024, 3, 1), 4500, 0), /* under the yearly rule */
		centralized(D(2024, 8, 1), 8000, 0), /* under the period rule */
	};
	judge(NULL, 0, career, 2, e, 2, 2024, 2024);
	const struct req_window *y = window("year:2024:township_down_yearly");
	assert_int_equal(y->span_start, D(2024, 1, 1));
	assert_int_equal(y->span_end, D(2024, 6, 30));
	assert_int_equal(y->req_centi_days, 600);   /* 12 × 182/366 = 5.97 → 6 */
	assert_int_equal(y->req_centi_hours, 4500); /* 90 × 182/366 = 44.75 → 45 */
	assert_int_equal(y->got_centi_hours, 4500); /* August's entry is not the year's */
	assert_int_equal(y->met_on, D(2024, 3, 1));
	const struct req_window *p = window("period:2023:county_up_period");
	assert_int_equal(p->span_start, D(2024, 7, 1));
	assert_int_equal(p->span_end, D(2027, 12, 31));
	assert_int_equal(p->req_centi_hours, 38550); /* 550 × 1279/1826 = 385.24 → 385.5 */
	assert_int_equal(p->req_centi_days, 6350);   /* 90 × 1279/1826 = 63.04 → 63.5 */
	assert_int_equal(p->got_centi_hours, 8000);
	/* no 2025 yearly window: the cadre is county-level all year */
	judge(NULL, 0, career, 2, e, 2, 2025, 2025);
	assert_null(find("year:2025:township_down_yearly"));
}

static void test_left_mid_window(void **state)
{
	(void)state;
	static const char *const leaving[] = { "transferred", "retired" };
	for (size_t k = 0; k < 2; k++) {
		struct req_career career[] = {
			{ DATE_NONE, "township_section", "", "civil_servant", "", 0, "active" },
			{ D(2023, 7, 1), "township_section", "", "civil_servant", "", 0,
			  leaving[k] },
		};
		struct req_entry e[] = { centralized(D(2023, 3, 1), 2000, 0),
					 centralized(D(2023, 8, 1), 9000, 0) };
		judge(NULL, 0, career, 2, e, 2, 2023, 2024);
		const struct req_window *w = window("year:2023:township_down_yearly");
		assert_int_equal(w->cut, D(2023, 7, 1));
		assert_int_equal(w->span_end, D(2023, 6, 30));
		assert_int_equal(w->req_centi_days, 600);   /* 12 × 181/365 = 5.95 → 6 */
		assert_int_equal(w->req_centi_hours, 4500); /* 90 × 181/365 = 44.6 → 45 */
		assert_int_equal(w->got_centi_hours, 2000); /* after leaving: not counted */
		struct req_standing s = req_standing(w, D(2024, 1, 5));
		assert_int_equal(s.status, REQ_LEFT);
		assert_int_equal(s.deadline, D(2023, 7, 1));
		assert_null(find("year:2024:township_down_yearly"));
	}
}

static void test_promotion_year(void **state)
{
	(void)state;
	struct req_career career[] = {
		{ DATE_NONE, "township_section", "", "civil_servant", "", 0, "active" },
		{ D(2024, 6, 15), "township_section", "", "party_gov_leader", "deputy", 0,
		  "active" },
	};
	struct req_entry e[] = {
		{ D(2025, 6, 14), "centralized", "appointment", 4000, 500, 1 },
	};
	judge(NULL, 0, career, 2, e, 1, 2024, 2025);
	const struct req_window *w = window("promotion:2024-06-15:appointment");
	assert_int_equal(w->start, D(2024, 6, 15));
	assert_int_equal(w->end, D(2025, 6, 14));
	assert_int_equal(w->met_on, D(2025, 6, 14));
	/* a day late */
	e[0].day = D(2025, 6, 15);
	judge(NULL, 0, career, 2, e, 1, 2024, 2025);
	assert_int_equal(status_on("promotion:2024-06-15:appointment", D(2024, 12, 1)),
			 REQ_ON_TRACK); /* one class is due by the half of the year */
	assert_int_equal(status_on("promotion:2024-06-15:appointment", D(2025, 6, 14)), REQ_BEHIND);
	assert_int_equal(status_on("promotion:2024-06-15:appointment", D(2025, 6, 15)),
			 REQ_OVERDUE);
	/* a topical class is no 任职培训 */
	e[0] = (struct req_entry){ D(2024, 9, 1), "centralized", "topic", 4000, 500, 1 };
	judge(NULL, 0, career, 2, e, 1, 2024, 2025);
	assert_int_equal(window("promotion:2024-06-15:appointment")->got_classes, 0);
	/* trained before: 任职培训 within the year before the promotion → no window */
	e[0] = (struct req_entry){ D(2023, 6, 20), "centralized", "appointment", 4000, 500, 1 };
	judge(NULL, 0, career, 2, e, 1, 2023, 2025);
	assert_null(find("promotion:2024-06-15:appointment"));
	/* …but one more than a year before does not count */
	e[0].day = D(2023, 6, 14);
	judge(NULL, 0, career, 2, e, 1, 2023, 2025);
	assert_non_null(find("promotion:2024-06-15:appointment"));
}

static void test_promotion_on_29_february(void **state)
{
	(void)state;
	struct req_career career[] = {
		{ DATE_NONE, "general", "principal_2", "civil_servant", "", 0, "active" },
		{ D(2024, 2, 29), "township_section", "", "party_gov_leader", "chief", 1,
		  "active" },
	};
	judge(NULL, 0, career, 2, NULL, 0, 2024, 2025);
	const struct req_window *w = window("promotion:2024-02-29:appointment");
	assert_int_equal(w->end, D(2025, 2, 28));
	assert_int_equal(req_standing(w, D(2024, 5, 1)).status, REQ_ON_TRACK);
	assert_int_equal(req_standing(w, D(2025, 2, 28)).status, REQ_BEHIND);
	assert_int_equal(req_standing(w, D(2025, 3, 1)).status, REQ_OVERDUE);
	/* the registry's promotion date alone opens it too */
	struct req_career now[] = {
		{ DATE_NONE, "township_section", "", "party_gov_leader", "chief", 1, "active" },
	};
	struct req_cadre c = { now, 1, D(2024, 2, 29), NULL, 0 };
	n_windows = req_evaluate(NULL, 0, &c, 2024, 2025, windows, 64);
	assert_non_null(find("promotion:2024-02-29:appointment"));
}

static void test_version_in_force_on_the_first_day(void **state)
{
	(void)state;
	static const struct req_rule rules[] = {
		{ "township_down_yearly", "乡科级每年 100 学时", "centralized", "year", 1, 0,
		  "township_section,general", "", "", "any", "", 0, 10000, 0 },
	};
	struct req_version v[] = {
		{ 7, D(2023, 7, 1), DATE_NONE, "2023 下半年起", rules, 1 },
	};
	judge(v, 1, township, 1, NULL, 0, 2023, 2024);
	assert_int_equal(window("year:2023:township_down_yearly")->req_centi_hours, 9000);
	assert_int_equal(window("year:2023:township_down_yearly")->version_id, 0);
	assert_int_equal(window("year:2024:township_down_yearly")->req_centi_hours, 10000);
	assert_int_equal(window("year:2024:township_down_yearly")->version_id, 7);
	/* the new version has no online rule: 2024 asks for none */
	assert_null(find("year:2024:online_yearly"));
	assert_non_null(find("year:2023:online_yearly"));
}

static void test_version_check(void **state)
{
	(void)state;
	struct problems pb;
	problems_init(&pb);
	static const struct req_rule good[] = {
		{ "a", "每年 90 学时", "centralized", "year", 1, 0, "township_section", "", "",
		  "any", "", 1200, 9000, 0 },
	};
	struct req_version older[] = {
		{ 1, D(2023, 1, 1), DATE_NONE, "2023", good, 1 },
		{ 2, D(2020, 1, 1), D(2022, 12, 31), "2020", good, 1 },
	};
	struct req_version v = { 0, D(2025, 1, 1), DATE_NONE, "2025", good, 1 };
	int64_t close = -1;
	assert_int_equal(req_version_check(&v, older, 2, &close, &pb, "zh-CN"), 0);
	assert_int_equal(close, 1); /* the open 2023 version ends on 2024-12-31 */
	/* inside the closed 2020–2022 version */
	v.from = D(2021, 6, 1);
	v.to = D(2021, 12, 31);
	assert_int_equal(req_version_check(&v, older, 2, &close, &pb, "zh-CN"), 1);
	assert_string_equal(pb.items[pb.n - 1].code, "overlap");
	assert_int_equal(close, 0);
	/* ends before it begins */
	v.from = D(2026, 1, 1);
	v.to = D(2025, 1, 1);
	assert_true(req_version_check(&v, older, 2, &close, &pb, "en") >= 1);
	/* a rule that asks nothing, an unknown level, a period without a first year, and a
	 * rule that shadows another */
	static const struct req_rule bad[] = {
		{ "a", "nothing", "centralized", "year", 1, 0, "", "", "", "any", "", 0, 0, 0 },
		{ "b", "unknown", "centralized", "year", 1, 0, "mayor", "", "", "any", "", 0, 100,
		  0 },
		{ "c", "period", "centralized", "period", 5, 0, "bureau", "", "", "any", "", 0, 100,
		  0 },
		{ "d", "x", "online", "year", 1, 0, "", "", "", "any", "", 0, 100, 0 },
		{ "e", "y", "online", "year", 1, 0, "", "", "", "any", "", 0, 200, 0 },
		{ "d", "dup", "online", "promotion", 1, 0, "", "", "", "leading", "", 0, 0, 1 },
	};
	struct req_version w = { 0, D(2030, 1, 1), DATE_NONE, "bad", bad, 6 };
	size_t before = pb.n;
	assert_int_equal(req_version_check(&w, NULL, 0, &close, &pb, "zh-CN"), 5);
	const char *want[][2] = { { "min_hours", "required" },
				  { "levels", "invalid" },
				  { "period_first_year", "invalid" },
				  { "levels", "shadowed" },
				  { "code", "duplicate" } };
	long rows[] = { 1, 2, 3, 5, 6 };
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(pb.items[before + i].field, want[i][0]);
		assert_string_equal(pb.items[before + i].code, want[i][1]);
		assert_int_equal(pb.items[before + i].row, rows[i]);
	}
	/* the defaults pass their own check */
	assert_int_equal(req_version_check(&req_defaults_2023, NULL, 0, &close, &pb, "zh-CN"), 0);
	problems_release(&pb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_start_2023),
		cmocka_unit_test(test_hours_half_short),
		cmocka_unit_test(test_days_a_day_short_and_days_or_hours),
		cmocka_unit_test(test_online_hours_do_not_count_as_centralized),
		cmocka_unit_test(test_correction_takes_back),
		cmocka_unit_test(test_period_first_and_last_day),
		cmocka_unit_test(test_on_track_and_behind),
		cmocka_unit_test(test_rank_change_splits_the_window),
		cmocka_unit_test(test_left_mid_window),
		cmocka_unit_test(test_promotion_year),
		cmocka_unit_test(test_promotion_on_29_february),
		cmocka_unit_test(test_version_in_force_on_the_first_day),
		cmocka_unit_test(test_version_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
