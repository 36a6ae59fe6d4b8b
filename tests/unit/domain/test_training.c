/*
 * test_training.c — the pure training rules: the approval chain, class/session validation,
 * the schedule builder (a small class solved by the engine, no database) and the conflict
 * finder of hand-made placements.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "domain/approval.h"
#include "domain/schedule.h"
#include "domain/training.h"

static void test_approval_chain(void **state)
{
	(void)state;
	struct approval_chain c = approval_chain_for(true, true);
	assert_int_equal(c.n, 2);
	struct approval_actor drafter = { .drafter = true };
	struct approval_actor parent = { .parent_approver = true };
	struct approval_actor org = { .org_approver = true };
	struct approval_actor stranger = { 0 };
	struct approval_state s = { "none", 0 };
	/* a stranger is refused in every state, before the state is looked at */
	assert_int_equal(approval_apply(&c, &s, APPROVAL_APPROVE, &stranger, false),
			 PX_ERR_FORBIDDEN);
	assert_int_equal(approval_apply(&c, &s, APPROVAL_APPROVE, &org, false), PX_ERR_STATE);
	assert_int_equal(approval_apply(&c, &s, APPROVAL_SUBMIT, &org, false), PX_ERR_FORBIDDEN);
	assert_int_equal(approval_apply(&c, &s, APPROVAL_SUBMIT, &drafter, false), PX_OK);
	assert_string_equal(approval_waiting_for(&c, &s), "parent");
	/* the department cannot jump the parent's step */
	assert_int_equal(approval_apply(&c, &s, APPROVAL_APPROVE, &org, false), PX_ERR_FORBIDDEN);
	assert_int_equal(approval_apply(&c, &s, APPROVAL_REJECT, &parent, false), PX_ERR_INVALID);
	assert_int_equal(approval_apply(&c, &s, APPROVAL_APPROVE, &parent, false), PX_OK);
	assert_string_equal(s.status, "submitted");
	assert_string_equal(approval_waiting_for(&c, &s), "org");
	assert_int_equal(approval_apply(&c, &s, APPROVAL_REJECT, &org, true), PX_OK);
	assert_string_equal(s.status, "rejected");
	assert_null(approval_waiting_for(&c, &s));
	assert_int_equal(approval_apply(&c, &s, APPROVAL_SUBMIT, &drafter, false), PX_OK);
	assert_string_equal(approval_waiting_for(&c, &s), "parent");
	assert_int_equal(approval_apply(&c, &s, APPROVAL_APPROVE, &parent, false), PX_OK);
	assert_int_equal(approval_apply(&c, &s, APPROVAL_APPROVE, &org, false), PX_OK);
	assert_string_equal(s.status, "approved");
	assert_int_equal(approval_apply(&c, &s, APPROVAL_SUBMIT, &drafter, false), PX_ERR_STATE);
	/* drafted by the department itself: one step */
	struct approval_chain one = approval_chain_for(false, false);
	assert_int_equal(one.n, 1);
	/* waiting at the parent's step when the unit lost its parent: the department's turn
	 * now (the chain is one step), not stuck */
	struct approval_state stuck = { "submitted", 1 };
	assert_string_equal(approval_waiting_for(&one, &stuck), "org");
	assert_int_equal(approval_apply(&one, &stuck, APPROVAL_APPROVE, &parent, false),
			 PX_ERR_FORBIDDEN);
	assert_int_equal(approval_apply(&one, &stuck, APPROVAL_APPROVE, &org, false), PX_OK);
	assert_string_equal(stuck.status, "approved");
	/* the department drafted and submitted it: the submitter approves and rejects no step,
	 * another account of the department does (SPEC §7) */
	struct approval_actor self = { .drafter = true, .org_approver = true, .submitter = true };
	struct approval_actor colleague = { .drafter = true, .org_approver = true };
	struct approval_state own = { "submitted", 0 };
	assert_int_equal(approval_apply(&one, &own, APPROVAL_APPROVE, &self, false),
			 PX_ERR_FORBIDDEN);
	assert_int_equal(approval_apply(&one, &own, APPROVAL_REJECT, &self, true),
			 PX_ERR_FORBIDDEN);
	assert_string_equal(own.status, "submitted");
	assert_int_equal(approval_apply(&one, &own, APPROVAL_APPROVE, &colleague, false), PX_OK);
	assert_string_equal(own.status, "approved");
	enum approval_action a;
	assert_true(approval_action_from("resubmit", &a));
	assert_int_equal(a, APPROVAL_SUBMIT);
	assert_false(approval_action_from("veto", &a));
}

static void test_class_validation(void **state)
{
	(void)state;
	struct problems pb;
	struct arena ar;
	problems_init(&pb);
	arena_init(&ar);
	struct field_ctx c = { .pb = &pb, .arena = &ar, .lang = "zh-CN" };
	struct class_input in = { .name = "南安市领导干部培训班",
				  .host = "中央党校",
				  .start_date = "2023/2/18",
				  .end_date = "2023-02-25",
				  .capacity = "71",
				  .kind = "异地培训",
				  .target_levels = "乡科级、县处级",
				  .credited_hours = "60" };
	struct training_class k;
	assert_int_equal(class_validate(&c, &in, &k), 0);
	assert_string_equal(k.start_date, "2023-02-18");
	assert_string_equal(k.kind, "offsite");
	assert_string_equal(k.target_levels, "township_section,county_division");
	assert_string_equal(k.status, "draft");
	struct class_input bad = { .name = "",
				   .host = "x",
				   .start_date = "2023-02-25",
				   .end_date = "2023-02-18",
				   .capacity = "-1",
				   .kind = "夜校",
				   .credited_hours = "1.234" };
	assert_int_equal(class_validate(&c, &bad, &k), 5);
	problems_release(&pb);
	struct session_input s = { .kind = "主题研讨",
				   .topic = "研讨",
				   .groups = "6",
				   .slot = "晚上",
				   .day = "2023-02-20",
				   .start_time = "19:00",
				   .end_time = "18:00" };
	struct tsession t;
	assert_int_equal(session_validate(&c, &s, &t), 1);
	assert_string_equal(pb.items[0].field, "end_time");
	assert_int_equal(t.slot, 2);
	assert_int_equal(t.groups, 6);
	problems_release(&pb);
	arena_release(&ar);
}

/* A three-day class: 6 lectures by 3 experts (one restricted to two half-days), a seminar
 * of 3 groups, opening and closing; one lecture hall and three seminar rooms. */
static int64_t experts3[3][1] = { { 1 }, { 2 }, { 3 } };

static void fill(struct tsession *t, int64_t id, const char *kind, const char *topic,
		 const char *room_kind, int groups, int64_t *expert)
{
	memset(t, 0, sizeof *t);
	t->id = id;
	t->class_id = 1;
	t->kind = kind;
	t->topic = topic;
	t->room_kind = room_kind;
	t->groups = groups;
	t->preferred_slot = -1;
	t->slot = -1;
	t->start_time = t->end_time = "";
	t->experts = expert;
	t->n_experts = expert ? 1 : 0;
}

static void test_schedule_small_class(void **state)
{
	(void)state;
	struct training_class k = {
		.id = 1, .name = "测试班", .location = "党校", .capacity = 30, .enrolled = 30
	};
	strcpy(k.start_date, "2023-02-18");
	strcpy(k.end_date, "2023-02-20");
	struct expert ex[3] = { { .id = 1, .name = "甲", .availability = "open" },
				{ .id = 2, .name = "乙", .availability = "open" },
				{ .id = 3, .name = "丙", .availability = "restricted" } };
	struct expert_slot slots[2] = { { 3, "2023-02-19", 0 }, { 3, "2023-02-19", 1 } };
	struct room rooms[4] = { { .id = 10,
				   .site = "党校",
				   .name = "教室",
				   .capacity = 40,
				   .kind = "lecture_hall" },
				 { .id = 11,
				   .site = "党校",
				   .name = "研讨一",
				   .capacity = 10,
				   .kind = "seminar_room" },
				 { .id = 12,
				   .site = "党校",
				   .name = "研讨二",
				   .capacity = 10,
				   .kind = "seminar_room" },
				 { .id = 13,
				   .site = "党校",
				   .name = "研讨三",
				   .capacity = 10,
				   .kind = "seminar_room" } };
	struct tsession s[9];
	fill(&s[0], 100, "opening", "开班", "lecture_hall", 1, NULL);
	fill(&s[1], 101, "lecture", "一", "lecture_hall", 1, experts3[0]);
	fill(&s[2], 102, "lecture", "二", "lecture_hall", 1, experts3[0]);
	fill(&s[3], 103, "lecture", "三", "lecture_hall", 1, experts3[1]);
	fill(&s[4], 104, "lecture", "四", "lecture_hall", 1, experts3[1]);
	fill(&s[5], 105, "lecture", "五", "lecture_hall", 1, experts3[2]);
	fill(&s[6], 106, "lecture", "六", "lecture_hall", 1, experts3[2]);
	fill(&s[7], 107, "seminar", "研讨", "seminar_room", 3, NULL);
	fill(&s[8], 108, "closing", "结业", "lecture_hall", 1, NULL);
	int64_t order[1][2] = { { 105, 107 } };
	struct schedule_input in = { .classes = &k,
				     .n_classes = 1,
				     .sessions = s,
				     .n_sessions = 9,
				     .experts = ex,
				     .n_experts = 3,
				     .slots = slots,
				     .n_slots = 2,
				     .rooms = rooms,
				     .n_rooms = 4,
				     .order = (const int64_t(*)[2])order,
				     .n_order = 1,
				     .lang = "zh-CN" };
	struct tt_problem *p;
	struct schedule_map map;
	struct problems pb;
	problems_init(&pb);
	assert_int_equal(schedule_build(&in, &p, &map, &pb), PX_OK);
	assert_int_equal(map.days, 3);
	assert_int_equal(map.n_events, 11); /* 8 + two more seminar groups */
	struct tt_options opt = { .seed = 1, .max_iterations = 200000 };
	struct tt_solution sol;
	struct tt_report rep;
	assert_int_equal(tt_solve(p, &opt, &sol, &rep), PX_OK);
	struct arena ar;
	arena_init(&ar);
	schedule_apply(&map, &sol, s, 9, &ar);
	/* and back: the placements as a solution are the engine's, at the engine's cost */
	struct tt_solution back;
	schedule_current(&map, p, s, 9, &back);
	assert_int_equal(back.n_events, sol.n_events);
	for (int e = 0; e < sol.n_events; e++) {
		assert_int_equal(back.period[e], sol.period[e]);
		assert_int_equal(back.room[e], sol.room[e]);
	}
	struct tt_cost c;
	assert_int_equal(tt_evaluate(p, &back, &c), PX_OK);
	assert_int_equal(c.hard_total, 0);
	assert_int_equal(c.soft_total, rep.cost.soft_total);
	tt_solution_release(&back);
	/* the restricted expert teaches only on the 19th, in its two half-days */
	assert_string_equal(s[5].day, "2023-02-19");
	assert_string_equal(s[6].day, "2023-02-19");
	assert_true(s[5].slot <= 1 && s[6].slot <= 1);
	/* the seminar: three distinct seminar rooms, after lecture five */
	assert_int_equal(s[7].n_group_rooms, 2);
	assert_true(s[7].room_id >= 11 && s[7].group_rooms[0] >= 11 && s[7].group_rooms[1] >= 11);
	assert_true(s[7].room_id != s[7].group_rooms[0] &&
		    s[7].group_rooms[0] != s[7].group_rooms[1]);
	assert_true(strcmp(s[7].day, s[5].day) > 0 ||
		    (!strcmp(s[7].day, s[5].day) && s[7].slot > s[5].slot));
	/* opening first, closing last */
	for (int i = 1; i < 8; i++) {
		assert_true(strcmp(s[0].day, s[i].day) < 0 ||
			    (!strcmp(s[0].day, s[i].day) && s[0].slot < s[i].slot));
		assert_true(strcmp(s[8].day, s[i].day) > 0 ||
			    (!strcmp(s[8].day, s[i].day) && s[8].slot > s[i].slot));
	}
	/* the engine's solution has no conflicts by the conflict finder either */
	struct schedule_conflicts cf;
	schedule_conflicts(&in, &cf);
	assert_int_equal(cf.n, 0);
	schedule_conflicts_release(&cf);
	/* move lecture two onto lecture one: class and room clash, both sessions marked */
	memcpy(s[2].day, s[1].day, sizeof s[2].day);
	s[2].slot = s[1].slot;
	s[2].room_id = s[1].room_id;
	schedule_conflicts(&in, &cf);
	int clash_101 = 0, clash_102 = 0, expert_clash = 0;
	for (size_t i = 0; i < cf.n; i++) {
		clash_101 +=
			cf.items[i].session_id == 101 && !strcmp(cf.items[i].code, "class_clash");
		clash_102 +=
			cf.items[i].session_id == 102 && !strcmp(cf.items[i].code, "class_clash");
		expert_clash += !strcmp(cf.items[i].code, "expert_clash");
	}
	assert_int_equal(clash_101, 1);
	assert_int_equal(clash_102, 1);
	assert_int_equal(expert_clash, 2); /* both are expert 甲's */
	schedule_conflicts_release(&cf);
	tt_solution_release(&sol);
	tt_report_release(&rep);
	tt_problem_free(p);
	schedule_map_release(&map);
	arena_release(&ar);
	problems_release(&pb);
}

static void test_schedule_infeasible_is_explained(void **state)
{
	(void)state;
	struct training_class k = { .id = 1, .name = "排不下", .location = "党校", .capacity = 30 };
	strcpy(k.start_date, "2023-02-18");
	strcpy(k.end_date, "2023-02-19");
	struct expert ex = { .id = 1, .name = "张三", .availability = "restricted" };
	struct expert_slot slots[2] = { { 1, "2023-02-18", 0 }, { 1, "2023-02-18", 1 } };
	struct room rm = {
		.id = 10, .site = "党校", .name = "教室", .capacity = 40, .kind = "lecture_hall"
	};
	struct tsession s[3];
	int64_t e1[1] = { 1 };
	fill(&s[0], 1, "lecture", "一", "lecture_hall", 1, e1);
	fill(&s[1], 2, "lecture", "二", "lecture_hall", 1, e1);
	fill(&s[2], 3, "lecture", "三", "lecture_hall", 1, e1);
	struct schedule_input in = { .classes = &k,
				     .n_classes = 1,
				     .sessions = s,
				     .n_sessions = 3,
				     .experts = &ex,
				     .n_experts = 1,
				     .slots = slots,
				     .n_slots = 2,
				     .rooms = &rm,
				     .n_rooms = 1,
				     .lang = "zh-CN" };
	struct tt_problem *p;
	struct schedule_map map;
	struct problems pb;
	problems_init(&pb);
	assert_int_equal(schedule_build(&in, &p, &map, &pb), PX_OK);
	struct tt_options opt = { .seed = 1, .max_iterations = 10000 };
	struct tt_solution sol;
	struct tt_report rep;
	assert_int_equal(tt_solve(p, &opt, &sol, &rep), PX_ERR_INFEASIBLE);
	char *why = tt_report_explain(&rep, "zh-CN");
	assert_non_null(strstr(why, "张三"));
	assert_non_null(strstr(why, "2 个可用半天"));
	free(why);
	/* a class at a site without rooms is refused before solving, with a reason */
	k.location = "别处";
	tt_solution_release(&sol);
	tt_report_release(&rep);
	tt_problem_free(p);
	schedule_map_release(&map);
	assert_int_equal(schedule_build(&in, &p, &map, &pb), PX_ERR_INVALID);
	assert_string_equal(pb.items[0].code, "no_rooms");
	problems_release(&pb);
}

/* A class the reader may not see (another office's, sharing an expert and a room): the
 * clashes with its session say so without its topic, and neither a problem nor the engine
 * names the class. */
static void test_schedule_unreadable_class_is_not_named(void **state)
{
	(void)state;
	struct training_class k[2] = { { .id = 1, .name = "本单位的班", .location = "党校" },
				       { .id = 2, .name = "别处的班", .location = "党校" } };
	for (int i = 0; i < 2; i++) {
		k[i].capacity = 30;
		strcpy(k[i].start_date, "2023-02-18");
		strcpy(k[i].end_date, "2023-02-19");
	}
	struct expert ex = { .id = 1, .name = "张三", .availability = "open" };
	struct room rm = {
		.id = 10, .site = "党校", .name = "教室", .capacity = 40, .kind = "lecture_hall"
	};
	int64_t e1[1] = { 1 };
	struct tsession s[2];
	fill(&s[0], 1, "lecture", "本单位的讲座", "lecture_hall", 1, e1);
	fill(&s[1], 2, "lecture", "秘密讲座", "lecture_hall", 1, e1);
	s[1].class_id = 2;
	for (int i = 0; i < 2; i++) {
		strcpy(s[i].day, "2023-02-18");
		s[i].slot = 0;
		s[i].room_id = 10;
	}
	bool unreadable[2] = { false, true };
	struct schedule_input in = { .classes = k,
				     .n_classes = 2,
				     .sessions = s,
				     .n_sessions = 2,
				     .experts = &ex,
				     .n_experts = 1,
				     .rooms = &rm,
				     .n_rooms = 1,
				     .lang = "zh-CN" };
	for (int pass = 0; pass < 3; pass++) {
		/* 0: everything readable (names shown); 1: zh-CN, 2: en with class 2 unreadable */
		in.unreadable = pass ? unreadable : NULL;
		in.lang = pass == 2 ? "en" : "zh-CN";
		struct schedule_conflicts cf;
		schedule_conflicts(&in, &cf);
		int named = 0, booked = 0, on_mine = 0;
		for (size_t i = 0; i < cf.n; i++) {
			named += strstr(cf.items[i].message, "秘密讲座") != NULL;
			booked += strstr(cf.items[i].message, pass == 2 ? "another office's booking"
									: "其他单位的安排") != NULL;
			on_mine += cf.items[i].session_id == 1;
		}
		assert_int_equal(on_mine, 2); /* the room and the expert */
		assert_int_equal(named, pass ? 0 : 4);
		assert_int_equal(booked, pass ? 4 : 0);
		schedule_conflicts_release(&cf);
	}
	/* the engine's names and the problems: class 2's site has no rooms */
	in.lang = "zh-CN";
	k[1].location = "别处";
	struct tt_problem *p;
	struct schedule_map map;
	struct problems pb;
	problems_init(&pb);
	assert_int_equal(schedule_build(&in, &p, &map, &pb), PX_ERR_INVALID);
	assert_int_equal(pb.n, 1);
	assert_null(strstr(pb.items[0].message, "别处的班"));
	assert_non_null(strstr(pb.items[0].message, "其他单位的安排"));
	problems_release(&pb);
	/* both at the same half-day, pinned: infeasible, and the explanation does not name the
	 * other office's lecture */
	k[1].location = "党校";
	s[0].pinned = s[1].pinned = 1;
	problems_init(&pb);
	assert_int_equal(schedule_build(&in, &p, &map, &pb), PX_OK);
	struct tt_options opt = { .seed = 1, .max_iterations = 1000 };
	struct tt_solution sol;
	struct tt_report rep;
	assert_int_equal(tt_solve(p, &opt, &sol, &rep), PX_ERR_INFEASIBLE);
	char *why = tt_report_explain(&rep, "zh-CN");
	assert_null(strstr(why, "秘密讲座"));
	assert_null(strstr(why, "别处的班"));
	assert_non_null(strstr(why, "其他单位的安排"));
	free(why);
	tt_solution_release(&sol);
	tt_report_release(&rep);
	tt_problem_free(p);
	schedule_map_release(&map);
	problems_release(&pb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_approval_chain),
		cmocka_unit_test(test_class_validation),
		cmocka_unit_test(test_schedule_small_class),
		cmocka_unit_test(test_schedule_infeasible_is_explained),
		cmocka_unit_test(test_schedule_unreadable_class_is_not_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
