/*
 * test_itc2007.c — the .ctt reader (strictness, named errors), the independent UD2 validator
 * on hand-computed cases, and solve → write → validate agreeing with the engine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "engine/itc2007.h"
#include "engine/timetable.h"

/*
 * A tiny instance: 2 days × 3 periods, rooms r1 (40 seats) and r2 (20 seats).
 * cA and cC share teacher tX; cA and cB form curriculum q1; cC may not meet on day 1 period 2.
 */
static const char tiny[] = "Name: Tiny\n"
			   "Courses: 3\n"
			   "Rooms: 2\n"
			   "Days: 2\n"
			   "Periods_per_day: 3\n"
			   "Curricula: 1\n"
			   "Constraints: 1\n"
			   "\n"
			   "COURSES:\n"
			   "cA tX 2 2 30\n"
			   "cB tY 2 1 50\n"
			   "cC tX 1 1 10\n"
			   "\n"
			   "ROOMS:\n"
			   "r1 40\n"
			   "r2 20\n"
			   "\n"
			   "CURRICULA:\n"
			   "q1 2 cA cB\n"
			   "\n"
			   "UNAVAILABILITY_CONSTRAINTS:\n"
			   "cC 1 2\n"
			   "\n"
			   "END.\n";

static void parse_tiny(struct itc_instance *in)
{
	char *msg = NULL;
	assert_int_equal(itc_parse(tiny, strlen(tiny), "en", in, &msg), PX_OK);
	assert_null(msg);
}

static void test_parse(void **state)
{
	(void)state;
	struct itc_instance in;
	parse_tiny(&in);
	assert_string_equal(in.name, "Tiny");
	assert_int_equal(in.n_courses, 3);
	assert_int_equal(in.n_teachers, 2);
	assert_int_equal(in.courses[2].teacher, in.courses[0].teacher);
	assert_int_equal(in.courses[1].students, 50);
	assert_int_equal(in.rooms[1].capacity, 20);
	assert_int_equal(in.curricula[0].n_courses, 2);
	assert_int_equal(in.curricula[0].courses[1], 1);
	assert_int_equal(in.unavailability[0].course, 2);
	assert_int_equal(in.unavailability[0].day, 1);
	assert_int_equal(in.unavailability[0].period, 2);
	itc_instance_release(&in);

	/* CRLF line endings and tabs are fine */
	struct buf b = BUF_INIT(0);
	for (const char *p = tiny; *p; p++) {
		if (*p == '\n')
			buf_putc(&b, '\r');
		buf_putc(&b, *p == ' ' ? '\t' : *p);
	}
	assert_int_equal(itc_parse(b.data, b.len, "en", &in, NULL), PX_OK);
	itc_instance_release(&in);
	buf_release(&b);
}

/* Replace the first `from` in tiny by `to` and parse; returns the message (caller frees). */
static char *parse_edited(const char *from, const char *to, px_err want)
{
	const char *at = strstr(tiny, from);
	assert_non_null(at);
	struct buf b = BUF_INIT(0);
	buf_add(&b, tiny, (size_t)(at - tiny));
	buf_puts(&b, to);
	buf_puts(&b, at + strlen(from));
	struct itc_instance in;
	char *msg = NULL;
	assert_int_equal(itc_parse(b.data, b.len, "en", &in, &msg), want);
	assert_null(in.courses); /* nothing kept on failure */
	buf_release(&b);
	assert_non_null(msg);
	return msg;
}

static void expect_error(const char *from, const char *to, const char *needle)
{
	char *msg = parse_edited(from, to, PX_ERR_BAD_FILE);
	if (!strstr(msg, needle))
		fail_msg("message \"%s\" lacks \"%s\"", msg, needle);
	free(msg);
}

static void test_parse_errors(void **state)
{
	(void)state;
	expect_error("q1 2 cA cB", "q1 2 cA cZ",
		     "line 19: curriculum q1 names an unknown course cZ");
	expect_error("cC 1 2", "cC 2 0", "line 22: day or period out of range");
	expect_error("cC 1 2", "cC 1 3", "out of range");
	expect_error("cC 1 2", "cX 1 2", "unknown course cX");
	expect_error("cB tY 2 1 50", "cA tY 2 1 50", "line 11: duplicate course id cA");
	expect_error("r2 20", "r1 20", "duplicate room id r1");
	expect_error("Courses: 3", "Courses: 4", "line 14: a course line needs 5 fields");
	expect_error("Rooms: 2", "Rooms: 3", "line 18: a room line needs 2 fields");
	expect_error("Constraints: 1", "Constraints: 0", "expected END.");
	expect_error("Curricula: 1", "Curricula: 2", "line 21");
	expect_error("q1 2 cA cB", "q1 3 cA cB", "exactly n courses");
	expect_error("q1 2 cA cB", "q1 2 cA cA", "lists course cA twice");
	expect_error("cB tY 2 1 50", "cB tY 2 1", "needs 5 fields");
	expect_error("cB tY 2 1 50", "cB tY two 1 50", "course cB");
	expect_error("Days: 2", "Days: 0", "Days:");
	expect_error("Days: 2", "Dais: 2", "expected \"Days: value\"");
	expect_error("END.\n", "END.\nmore\n", "text after END.");
	expect_error("ROOMS:", "ROOMZ:", "expected ROOMS:");

	/* truncated anywhere: always a named error, never a crash */
	size_t n = strlen(tiny);
	for (size_t cut = 0; cut + 1 < n; cut += 7) {
		struct itc_instance in;
		char *msg = NULL;
		px_err rc = itc_parse(tiny, cut, "zh", &in, &msg);
		assert_int_equal(rc, PX_ERR_BAD_FILE);
		assert_non_null(msg);
		assert_non_null(strstr(msg, "第"));
		free(msg);
	}
}

static void validate(const struct itc_instance *in, const char *sol, struct itc_cost *c)
{
	char *msg = NULL;
	px_err rc = itc_validate(in, sol, strlen(sol), "en", c, &msg);
	if (rc)
		fail_msg("validate: %s", msg);
}

static void test_validator_feasible(void **state)
{
	(void)state;
	struct itc_instance in;
	parse_tiny(&in);
	struct itc_cost c;
	/*
	 * cA r1 d0p0, cA r1 d0p1, cB r1 d0p2, cB r2 d1p0, cC r2 d1p1:
	 *   hard: every lecture placed, no shared period between cA–cB (curriculum) or cA–cC
	 *   (teacher), cC avoids d1p2, no room holds two: all 0.
	 *   RoomCapacity: cB (50) in r1 (40) → 10, cB in r2 (20) → 30; total 40.
	 *   MinimumWorkingDays: cA wants 2 days, has 1 → 1 violation × 5 = 5.
	 *   CurriculumCompactness: q1 on day 0 fills p0–p2 (none isolated); on day 1 cB at p0 has
	 *   no q1 neighbour (cC at p1 is not in q1) → 1 × 2 = 2.
	 *   RoomStability: cB uses r1 and r2 → 1.
	 *   total 40 + 5 + 2 + 1 = 48.
	 */
	validate(&in, "cA r1 0 0\ncA r1 0 1\ncB r1 0 2\ncB r2 1 0\ncC r2 1 1\n", &c);
	assert_int_equal(c.hard_total, 0);
	assert_int_equal(c.soft[ITC_ROOM_CAPACITY], 40);
	assert_int_equal(c.violations[ITC_MIN_WORKING_DAYS], 1);
	assert_int_equal(c.soft[ITC_MIN_WORKING_DAYS], 5);
	assert_int_equal(c.soft[ITC_CURRICULUM_COMPACTNESS], 2);
	assert_int_equal(c.soft[ITC_ROOM_STABILITY], 1);
	assert_int_equal(c.soft_total, 48);

	/* lines in any order, blank lines and CRLF: same cost */
	validate(&in, "\ncC r2 1 1\r\ncB r2 1 0\ncB r1 0 2\n\ncA r1 0 1\ncA r1 0 0", &c);
	assert_int_equal(c.soft_total, 48);
	itc_instance_release(&in);
}

static void test_validator_hard(void **state)
{
	(void)state;
	struct itc_instance in;
	parse_tiny(&in);
	struct itc_cost c;
	/*
	 * cA twice in d0p0: one distinct lecture of 2 (1 missing) + 1 duplicate line → Lectures 2.
	 * cB r2 d0p0 meets cA (curriculum q1) → Conflicts 1.
	 * cC r2 d1p2 is unavailable → Availability 1; cB r2 d1p2 shares r2 with cC →
	 * RoomOccupancy 1.
	 * Soft: RoomCapacity cB in r2 twice → 30 + 30 = 60; MinimumWorkingDays cA 1 day of 2 → 5;
	 * compactness q1: d0p0 holds 2 lectures with empty d0p1 → 2, d1p2 holds 1 with empty
	 * d1p1 → 1; 3 × 2 = 6; RoomStability 0 → soft total 71.
	 */
	validate(&in, "cA r1 0 0\ncA r1 0 0\ncB r2 0 0\ncC r2 1 2\ncB r2 1 2\n", &c);
	assert_int_equal(c.hard[ITC_LECTURES], 2);
	assert_int_equal(c.hard[ITC_CONFLICTS], 1);
	assert_int_equal(c.hard[ITC_AVAILABILITY], 1);
	assert_int_equal(c.hard[ITC_ROOM_OCCUPANCY], 1);
	assert_int_equal(c.hard_total, 5);
	assert_int_equal(c.soft[ITC_ROOM_CAPACITY], 60);
	assert_int_equal(c.soft[ITC_MIN_WORKING_DAYS], 5);
	assert_int_equal(c.violations[ITC_CURRICULUM_COMPACTNESS], 3);
	assert_int_equal(c.soft[ITC_ROOM_STABILITY], 0);
	assert_int_equal(c.soft_total, 71);

	/* an empty solution misses all 5 lectures and every course its minimum days */
	validate(&in, "", &c);
	assert_int_equal(c.hard[ITC_LECTURES], 5);
	assert_int_equal(c.soft[ITC_MIN_WORKING_DAYS], (2 + 1 + 1) * 5);

	/* malformed solutions are named errors */
	char *msg = NULL;
	assert_int_equal(itc_validate(&in, "cA r1 0\n", 8, "en", &c, &msg), PX_ERR_BAD_FILE);
	assert_non_null(strstr(msg, "line 1"));
	free(msg);
	assert_int_equal(itc_validate(&in, "cA r1 0 0\ncA r9 0 1\n", 20, "en", &c, &msg),
			 PX_ERR_BAD_FILE);
	assert_non_null(strstr(msg, "line 2: unknown room r9"));
	free(msg);
	assert_int_equal(itc_validate(&in, "cA r1 2 0\n", 10, "en", &c, &msg), PX_ERR_BAD_FILE);
	assert_non_null(strstr(msg, "out of range"));
	free(msg);
	itc_instance_release(&in);
}

static void test_solve_and_validate(void **state)
{
	(void)state;
	struct itc_instance in;
	parse_tiny(&in);
	struct tt_problem *p = itc_to_problem(&in);
	assert_int_equal(tt_problem_events(p), 5);
	struct tt_options opt = { .seed = 7, .max_iterations = 50000 };
	struct tt_solution s;
	struct tt_report rep;
	assert_int_equal(tt_solve(p, &opt, &s, &rep), PX_OK);
	assert_true(rep.feasible);
	struct buf text = BUF_INIT(0);
	itc_write_solution(&in, p, &s, &text);
	struct itc_cost c;
	validate(&in, text.data, &c);
	assert_int_equal(c.hard_total, 0);
	assert_int_equal(c.soft_total, rep.cost.soft_total);
	/* the optimum is 20: cB (50 students) exceeds the largest room (40) by 10 in each of its
	 * 2 lectures; everything else can be perfect (cA d0p0 + cB d0p1 and cA d1p0 + cB d1p1,
	 * all in r1; cC in d0p2) */
	assert_int_equal(c.soft_total, 20);
	buf_release(&text);
	tt_report_release(&rep);
	tt_solution_release(&s);
	tt_problem_free(p);
	itc_instance_release(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_validator_feasible),
		cmocka_unit_test(test_validator_hard),
		cmocka_unit_test(test_solve_and_validate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
