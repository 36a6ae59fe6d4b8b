/*
 * test_online_hours.c — a row of an online-academy hours file (domain/online_hours.h): the
 * edges of its hours (0, 0.01, 24, 24.01, a negative, three decimals), a completion moment
 * counting for its day, a date in the future or that does not exist, an ID number whose
 * check character is wrong, and the column names platforms use.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/problem.h"
#include "domain/columns.h"
#include "domain/online_hours.h"

#define GOOD_ID "110101197001010024"

struct fixture {
	struct arena a;
	struct problems pb;
	struct field_ctx fc;
};

static struct fixture *fx_new(void)
{
	struct fixture *f = calloc(1, sizeof *f);
	arena_init(&f->a);
	problems_init(&f->pb);
	f->fc = (struct field_ctx){ .pb = &f->pb,
				    .arena = &f->a,
				    .lang = "zh-CN",
				    .row = 7,
				    .today = date_parse("2024-06-30", 10) };
	return f;
}

static void fx_free(struct fixture *f)
{
	problems_release(&f->pb);
	arena_release(&f->a);
	free(f);
}

/* Check one row with these hours and date: the code of its first problem, "" when none. */
static const char *check(const char *id, const char *hours, const char *date, int64_t *centi,
			 const char **day)
{
	static char code[64];
	struct fixture *f = fx_new();
	const char *cells[OH__COUNT] = { [OH_ID_NUMBER] = id,
					 [OH_COURSE] = "党史专题",
					 [OH_HOURS] = hours,
					 [OH_COMPLETED_ON] = date };
	struct online_hours_row out;
	bool ok = online_hours_check(&f->fc, cells, &out);
	snprintf(code, sizeof code, "%s", ok ? "" : f->pb.items[0].code);
	if (ok) {
		assert_int_equal(f->pb.n, 0);
	} else {
		assert_int_equal(f->pb.items[0].row, 7);
	}
	if (ok && centi)
		*centi = out.centi_hours;
	static char d[11];
	if (ok && day) {
		snprintf(d, sizeof d, "%s", out.completed_on);
		*day = d;
	}
	fx_free(f);
	return code;
}

static void test_hours_edges(void **state)
{
	(void)state;
	int64_t c = 0;
	assert_string_equal(check(GOOD_ID, "0.01", "2024-01-01", &c, NULL), "");
	assert_int_equal(c, 1);
	assert_string_equal(check(GOOD_ID, "24", "2024-01-01", &c, NULL), "");
	assert_int_equal(c, 2400);
	assert_string_equal(check(GOOD_ID, "24.01", "2024-01-01", NULL, NULL), "absurd");
	assert_string_equal(check(GOOD_ID, "0", "2024-01-01", NULL, NULL), "not_positive");
	assert_string_equal(check(GOOD_ID, "-2", "2024-01-01", NULL, NULL), "negative");
	assert_string_equal(check(GOOD_ID, "2.555", "2024-01-01", NULL, NULL), "invalid_number");
	assert_string_equal(check(GOOD_ID, "两学时", "2024-01-01", NULL, NULL), "invalid_number");
	assert_string_equal(check(GOOD_ID, "", "2024-01-01", NULL, NULL), "required");
}

static void test_dates_and_ids(void **state)
{
	(void)state;
	const char *day = NULL;
	assert_string_equal(check(GOOD_ID, "1", "2024-05-18 21:04:33", NULL, &day), "");
	assert_string_equal(day, "2024-05-18");
	assert_string_equal(check(GOOD_ID, "1", "2024-06-30", NULL, &day), ""); /* today */
	assert_string_equal(check(GOOD_ID, "1", "2024-07-01", NULL, NULL), "future_date");
	assert_string_equal(check(GOOD_ID, "1", "2024-02-30", NULL, NULL), "invalid_date");
	assert_string_equal(check(GOOD_ID, "1", "2024-02-29", NULL, &day), ""); /* a leap day */
	assert_string_equal(check("110101197001010020", "1", "2024-01-01", NULL, NULL), "checksum");
	assert_string_equal(check("11010119700101", "1", "2024-01-01", NULL, NULL), "invalid");
}

static void test_column_names(void **state)
{
	(void)state;
	static const struct {
		const char *header;
		int field;
	} cases[] = {
		{ "身份证号码", OH_ID_NUMBER }, { "课程名称", OH_COURSE },
		{ "获得学时", OH_HOURS },       { "完成时间", OH_COMPLETED_ON },
		{ "学员姓名", OH_NAME },        { "网络学院", OH_PLATFORM },
		{ "学 时", OH_HOURS },          { "备注", -1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char folded[128];
		column_fold(cases[i].header, strlen(cases[i].header), folded, sizeof folded);
		assert_int_equal(column_field(online_hours_fields, online_hours_column_names,
					      OH__COUNT, folded),
				 cases[i].field);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hours_edges),
		cmocka_unit_test(test_dates_and_ids),
		cmocka_unit_test(test_column_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
