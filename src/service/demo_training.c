/*
 * demo_training.c — the training part of the demo world (demo.h): the seed's class and a
 * party school's term.
 *
 * The seed's class: 南安市领导干部学习贯彻党的二十大精神暨政治能力提升培训班 at
 * 中央党校(国家行政学院), 2023-02-18 to 2023-02-25, the 71 first-in-command leaders on its
 * roster; twelve lectures on twelve topics chosen for Nan'an (the 20th Congress,
 * high-quality development, industry upgrading, the digital turn of the stone industry,
 * science and technology, education, people's well-being, cadre conduct …) by twelve
 * experts who can each teach only on some half-days; two evening seminars, each held by six
 * groups in six seminar rooms; the visit to the Party history museum; opening and closing.
 *
 * The term: 南安市委党校 2023 年春季学期, six classes at once on the same fortnight, sharing
 * twenty teachers and ten rooms (four classrooms, six seminar rooms).
 *
 * Both timetables are made by the engine (a fixed iteration budget, so the demo is the same
 * every time) and must come out feasible; the demo fails otherwise. Expert and teacher
 * names are made up.
 */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "service/demo_int.h"
#include "service/timetable.h"
#include "store/accounts.h"
#include "store/demo.h"
#include "store/training.h"

static const char seed_site[] = "中央党校(国家行政学院)";
static const char school_site[] = "南安市委党校";
static const char nanan_org[] = "中共南安市委组织部"; /* 主办: who organizes Nan'an's classes */

/* clang-format off */
static const struct {
	const char *topic;
	const char *name, *dept, *title;
	const char *available; /* half-days the expert can teach: "day offset:slot," … */
} seed_lectures[] = {
	{"深入学习贯彻党的二十大精神", "王立新", "马克思主义学院", "教授", "0:1,1:0,1:1"},
	{"以中国式现代化全面推进中华民族伟大复兴", "李海峰", "科学社会主义教研部", "教授", "1:0,1:1,2:0"},
	{"完整准确全面贯彻新发展理念,推动高质量发展", "陈建华", "经济学教研部", "教授", "2:0,2:1,3:0"},
	{"构建新发展格局与县域产业转型升级", "刘志强", "经济学教研部", "研究员", "2:1,3:0,3:1"},
	{"数字经济与传统产业数字化、智能化转型", "赵文博", "科学技术与社会教研部", "教授", "3:0,3:1,4:0"},
	{"实施创新驱动发展战略,加快实现高水平科技自立自强", "孙明远", "科学技术与社会教研部", "教授", "3:1,4:0,4:1"},
	{"办好人民满意的教育", "吴振宇", "社会和生态文明教研部", "副教授", "4:0,4:1,5:0"},
	{"增进民生福祉,提高人民生活品质", "郑晓光", "社会和生态文明教研部", "教授", "4:1,5:0,5:1"},
	{"提高领导干部政治判断力、政治领悟力、政治执行力", "冯家骏", "党的建设教研部", "教授", "5:0,5:1,6:0"},
	{"全面从严治党与激励干部担当作为", "何思远", "党的建设教研部", "教授", "5:1,6:0,6:1"},
	{"全面推进乡村振兴与县域经济高质量发展", "林东升", "公共管理教研部", "研究员", "6:0,6:1,7:0"},
	{"坚定文化自信,建设社会主义文化强国", "许文涛", "文史教研部", "教授", "0:1,6:1,7:0"},
};
/* clang-format on */

/* The approval history of a class the demo enters as approved: submitted by the class
 * manager three weeks before it begins, approved by the organization department a week
 * later (09:00 China time). */
static px_err approved_history(struct store *db, const struct demo_refs *d, int64_t class_id,
			       const char *start)
{
	int64_t day0 = (int64_t)date_parse(start, strlen(start)) * 86400 + 3600;
	px_err rc = approvals_add(db, "class", class_id, 0, "submit", "", d->manager_user);
	if (!rc)
		rc = approvals_add(db, "class", class_id, 0, "approve", "同意举办", d->admin_user);
	if (!rc)
		rc = demo_approvals_date(db, "class", class_id, day0 - 21 * 86400,
					 day0 - 14 * 86400);
	return rc;
}

static px_err add_room(struct store *db, int64_t region_id, const char *site, const char *name,
		       int cap, const char *kind, int64_t *id)
{
	/* entered by the region's organization department, which keeps it */
	struct room r = {
		.region_id = region_id, .site = site, .name = name, .capacity = cap, .kind = kind
	};
	px_err rc = rooms_insert(db, &r);
	if (id)
		*id = r.id;
	return rc;
}

static px_err add_expert(struct store *db, int64_t region_id, const char *name,
			 const char *institution, const char *title, const char *topics,
			 const char *availability, int64_t *id)
{
	struct expert e = { .region_id = region_id,
			    .name = name,
			    .institution = institution,
			    .title = title,
			    .topics = topics,
			    .bio = "",
			    .availability = availability };
	px_err rc = experts_insert(db, &e);
	*id = e.id;
	return rc;
}

/* "d:s,d:s" offsets from `first` → marked half-days. */
static px_err mark_slots(struct store *db, int64_t expert_id, int32_t first, const char *spec)
{
	struct expert_slot slots[32];
	size_t n = 0;
	for (const char *p = spec; *p && n < 32;) {
		int d, s, used;
		if (sscanf(p, "%d:%d%n", &d, &s, &used) != 2)
			break;
		slots[n].expert_id = expert_id;
		date_format(first + d, slots[n].day);
		slots[n].slot = s;
		n++;
		p += used;
		if (*p == ',')
			p++;
	}
	return expert_slots_set(db, expert_id, slots, n);
}

static px_err add_session(struct store *db, int64_t class_id, const char *kind, const char *topic,
			  double hours, const char *room_kind, int groups, int order,
			  const int64_t *experts, size_t n_experts, int64_t *id)
{
	struct tsession t = { .class_id = class_id,
			      .kind = kind,
			      .topic = topic,
			      .hours = hours,
			      .room_kind = room_kind,
			      .groups = groups,
			      .preferred_slot = -1,
			      .slot = -1,
			      .sort_order = order };
	px_err rc = sessions_insert_class(db, &t);
	if (!rc && n_experts)
		rc = session_experts_set(db, t.id, experts, n_experts);
	if (id)
		*id = t.id;
	return rc;
}

/* Timetable the classes with the engine and write its proposal at once (the demo is its
 * own operator, inside its one transaction); a plan that is not feasible fails the demo.
 * The cost it reports is the timetable's, by timetable_cost: what the API says of it too. */
static px_err solve(struct svc *c, const int64_t *ids, size_t n, const char *what,
		    struct demo_report *report)
{
	struct solve_request rq = { .class_ids = ids,
				    .n_classes = n,
				    .max_iterations = 600000,
				    .seed = 20230218,
				    .lang = "zh-CN" };
	struct solve_outcome out;
	px_err rc = timetable_solve(c->db, &rq, &out);
	if (rc) {
		c->message = arena_printf(
			c->arena, "the %s timetable is not feasible: %s", what,
			out.explanation ? out.explanation
					: (out.problems.n ? out.problems.items[0].message : "?"));
		solve_outcome_release(&out);
		return rc;
	}
	rc = timetable_write_moves(c->db, c->arena, json_object_get(out.proposal, "moves"));
	if (!rc) {
		json_t *after =
			json_pack("{sO sI sI}", "classes", json_object_get(out.proposal, "classes"),
				  "sessions", (json_int_t)out.placed, "soft_cost",
				  (json_int_t)out.after.soft_total);
		rc = svc_audit(c, "solve", "timetable", n == 1 ? ids[0] : 0, NULL, after);
		json_decref(after);
	}
	if (!rc && report->n_timetables < sizeof report->timetables / sizeof report->timetables[0])
		report->timetables[report->n_timetables++] = (struct demo_timetable){
			.what = what, .placed = out.placed, .soft_cost = out.after.soft_total
		};
	solve_outcome_release(&out);
	return rc;
}

static px_err seed_class(struct svc *sc, const struct demo_refs *d, struct demo_report *report)
{
	struct store *db = sc->db;
	int32_t first = date_from_ymd(2023, 2, 18);
	struct training_class c = {
		.region_id = d->region_id,
		.name = "南安市领导干部学习贯彻党的二十大精神暨政治能力提升培训班",
		.host = seed_site,
		.organizer = nanan_org,
		.location = seed_site,
		.off_site = 1,
		/* the class manager travels with the class: made-up numbers */
		.manager_phone = "0595-86381234",
		.report_time = "14:00–20:00",
		.report_place = "中央党校(国家行政学院)学员楼一层大厅",
		.capacity = 71,
		.credited_hours = 60,
		.credited_days = 8,
		.kind = "offsite",
		.status = "completed",
		.approval = "approved",
		.target_levels = "township_section",
		.target_categories = "party_gov_leader"
	};
	snprintf(c.start_date, sizeof c.start_date, "2023-02-18");
	snprintf(c.end_date, sizeof c.end_date, "2023-02-25");
	snprintf(c.report_date, sizeof c.report_date, "2023-02-17"); /* the day before */
	px_err rc = classes_insert(db, &c, 0);
	if (!rc)
		rc = approved_history(db, d, c.id, c.start_date);
	if (!rc && d->manager_user)
		rc = class_managers_set(db, c.id, d->manager_user);
	for (size_t i = 0; !rc && i < d->n_heads; i++)
		rc = enrollments_add(db, c.id, d->heads[i], "completed");
	int64_t hall;
	if (!rc)
		rc = add_room(db, d->region_id, seed_site, "学员楼报告厅", 120, "lecture_hall",
			      &hall);
	static const char *const seminar_rooms[] = { "第一研讨室", "第二研讨室", "第三研讨室",
						     "第四研讨室", "第五研讨室", "第六研讨室" };
	for (size_t i = 0; !rc && i < 6; i++)
		rc = add_room(db, d->region_id, seed_site, seminar_rooms[i], 14, "seminar_room",
			      NULL);
	int64_t opening = 0, closing = 0, lectures[12] = { 0 }, seminars[2] = { 0 };
	if (!rc)
		rc = add_session(db, c.id, "opening", "开班式暨开班第一课", 1.5, "lecture_hall", 1,
				 0, NULL, 0, &opening);
	for (size_t i = 0; !rc && i < 12; i++) {
		int64_t e;
		char institution[128];
		snprintf(institution, sizeof institution, "中央党校(国家行政学院)%s",
			 seed_lectures[i].dept);
		rc = add_expert(db, d->region_id, seed_lectures[i].name, institution,
				seed_lectures[i].title, seed_lectures[i].topic, "restricted", &e);
		if (!rc)
			rc = mark_slots(db, e, first, seed_lectures[i].available);
		if (!rc && i == 0 && d->expert_user)
			rc = users_link_expert(db, d->expert_user, e);
		if (!rc)
			rc = add_session(db, c.id, "lecture", seed_lectures[i].topic, 3,
					 "lecture_hall", 1, (int)i + 1, &e, 1, &lectures[i]);
	}
	if (!rc)
		rc = add_session(db, c.id, "seminar",
				 "主题研讨一:在“深学”中深刻理解高质量发展,在“争优”中推进具体工作",
				 2.5, "seminar_room", 6, 20, NULL, 0, &seminars[0]);
	if (!rc)
		rc = add_session(db, c.id, "seminar",
				 "主题研讨二:“争优争先争效”,领导干部如何提升领导力和执行力", 2.5,
				 "seminar_room", 6, 21, NULL, 0, &seminars[1]);
	if (!rc)
		rc = add_session(db, c.id, "site_visit", "现场教学:参观中国共产党历史展览馆", 3,
				 "none", 1, 22, NULL, 0, NULL);
	if (!rc)
		rc = add_session(db, c.id, "closing", "结业式暨学习心得交流", 1.5, "lecture_hall",
				 1, 30, NULL, 0, &closing);
	/* each seminar discusses the lectures before it */
	for (size_t i = 0; !rc && i < 4; i++)
		rc = session_order_add(db, lectures[i], seminars[0]);
	for (size_t i = 4; !rc && i < 10; i++)
		rc = session_order_add(db, lectures[i], seminars[1]);
	if (!rc)
		rc = session_order_add(db, seminars[0], seminars[1]);
	if (!rc)
		rc = solve(sc, &c.id, 1, "the seed's class", report);
	return rc;
}

/* clang-format off */
static const struct {
	const char *name, *kind, *target;
	int sessions;
} term_classes[] = {
	{"2023年春季中青年干部培训班", "main", "general", 14},
	{"新任科级干部任职培训班", "appointment", "township_section", 12},
	{"乡村振兴专题培训班", "topic", "township_section", 10},
	{"数字经济与产业转型专题培训班", "topic", "township_section", 10},
	{"基层治理能力提升专题培训班", "topic", "general", 10},
	{"公务员初任培训班", "main", "general", 12},
};
static const char *const term_teachers[] = {
	"黄志明", "陈丽华", "林国栋", "蔡文静", "洪建新", "傅晓东", "苏雅琴", "叶振华", "许明辉", "庄秀英",
	"郑海涛", "吴建平", "李慧敏", "张国强", "刘晓红", "杨文斌", "何丽娟", "戴志远", "潘建国", "施美玲",
};
static const char *const term_topics[] = {
	"习近平新时代中国特色社会主义思想概论", "党的二十大报告专题解读", "党章党规党纪教育", "中国式现代化的南安实践",
	"县域经济高质量发展", "领导干部依法行政", "基层社会治理创新", "乡村振兴战略与实践",
	"数字政府建设", "安全生产与应急管理", "公文写作与调查研究", "群众工作方法",
	"廉政教育专题", "党史学习教育", "生态文明建设", "营商环境优化",
};
/* clang-format on */

static px_err school_term(struct svc *sc, const struct demo_refs *d, struct demo_report *report)
{
	struct store *db = sc->db;
	int32_t first = date_from_ymd(2023, 3, 6);
	px_err rc = PX_OK;
	static const char *const halls[] = { "第一教室", "第二教室", "第三教室", "第四教室" };
	static const int hall_caps[] = { 60, 60, 45, 45 };
	static const char *const rooms[] = { "研讨室A", "研讨室B", "研讨室C",
					     "研讨室D", "研讨室E", "研讨室F" };
	for (size_t i = 0; !rc && i < 4; i++)
		rc = add_room(db, d->region_id, school_site, halls[i], hall_caps[i], "lecture_hall",
			      NULL);
	for (size_t i = 0; !rc && i < 6; i++)
		rc = add_room(db, d->region_id, school_site, rooms[i], 16, "seminar_room", NULL);
	int64_t teachers[20];
	for (size_t i = 0; !rc && i < 20; i++) {
		rc = add_expert(db, d->region_id, term_teachers[i], "中共南安市委党校",
				i % 3 ? "讲师" : "副教授", term_topics[i % 16], "open",
				&teachers[i]);
		/* each teacher has two busy half-days in the fortnight */
		char busy[32];
		snprintf(busy, sizeof busy, "%zu:%zu,%zu:%zu", (i * 3) % 12, i % 2,
			 (i * 5 + 2) % 12, (i + 1) % 2);
		if (!rc)
			rc = mark_slots(db, teachers[i], first, busy);
	}
	int64_t ids[6];
	size_t next_cadre = 0;
	for (size_t k = 0; !rc && k < 6; k++) {
		struct training_class c = { .region_id = d->region_id,
					    .name = term_classes[k].name,
					    .host = school_site,
					    .organizer = nanan_org,
					    .location = school_site,
					    .manager_phone = k == 0 ? "0595-86382345" : "",
					    .capacity = 40,
					    .credited_hours = 80,
					    .credited_days = 12,
					    .kind = term_classes[k].kind,
					    .status = "published",
					    .approval = "approved",
					    .target_levels = term_classes[k].target,
					    .target_categories = "civil_servant",
					    .term = "2023年春季学期" };
		snprintf(c.start_date, sizeof c.start_date, "2023-03-06");
		snprintf(c.end_date, sizeof c.end_date, "2023-03-17");
		rc = classes_insert(db, &c, 0);
		if (!rc)
			rc = approved_history(db, d, c.id, c.start_date);
		ids[k] = c.id;
		/* 36–40 trainees from the registry (not the heads, who are at the seed's class) */
		for (int t = 0; !rc && t < 36 + (int)k % 5 && next_cadre < d->n_others; t++)
			rc = enrollments_add(db, c.id, d->others[next_cadre++], "confirmed");
		int64_t opening = 0;
		if (!rc)
			rc = add_session(db, c.id, "opening", "开班式", 1, "lecture_hall", 1, 0,
					 NULL, 0, &opening);
		int n = term_classes[k].sessions;
		for (int s = 0; !rc && s < n; s++) {
			const int64_t *t = &teachers[(k * 7 + (size_t)s * 3) % 20];
			const char *topic = term_topics[(k * 5 + (size_t)s) % 16];
			if (s == n / 2)
				rc = add_session(db, c.id, "seminar", "分组研讨:学以致用谈体会", 3,
						 "seminar_room", 3, s + 1, NULL, 0, NULL);
			else if (s == n - 2)
				rc = add_session(db, c.id, "site_visit",
						 "现场教学:南安市乡村振兴示范村", 3, "none", 1,
						 s + 1, NULL, 0, NULL);
			else
				rc = add_session(db, c.id, "lecture", topic, 3, "lecture_hall", 1,
						 s + 1, t, 1, NULL);
		}
		if (!rc)
			rc = add_session(db, c.id, "closing", "结业式", 1, "lecture_hall", 1, 99,
					 NULL, 0, NULL);
		if (!rc && d->manager_user && k == 0)
			rc = class_managers_set(db, c.id, d->manager_user);
	}
	if (!rc)
		rc = solve(sc, ids, 6, "the party school's spring term (6 classes)", report);
	return rc;
}

/* Training histories: four completed classes of 2021–2022 whose rosters are spread over the
 * registry, so that cadres have records before the seed's class. */
static px_err past_classes(struct store *db, const struct demo_refs *d)
{
	static const struct {
		const char *name, *kind, *start, *end;
		double hours;
	} past[] = {
		{ "2021年春季中青年干部培训班", "main", "2021-04-06", "2021-04-16", 80 },
		{ "2021年秋季乡科级领导干部进修班", "main", "2021-10-11", "2021-10-22", 90 },
		{ "2022年数字经济专题培训班", "topic", "2022-05-09", "2022-05-13", 36 },
		{ "2022年秋季基层党组织书记培训班", "topic", "2022-09-19", "2022-09-23", 36 },
	};
	px_err rc = PX_OK;
	for (size_t k = 0; !rc && k < sizeof past / sizeof past[0]; k++) {
		struct training_class c = { .region_id = d->region_id,
					    .name = past[k].name,
					    .host = school_site,
					    .organizer = nanan_org,
					    .location = school_site,
					    .capacity = 120,
					    .credited_hours = past[k].hours,
					    .credited_days = past[k].hours / 7.5,
					    .kind = past[k].kind,
					    .status = "archived",
					    .approval = "approved",
					    .target_categories = "civil_servant" };
		snprintf(c.start_date, sizeof c.start_date, "%s", past[k].start);
		snprintf(c.end_date, sizeof c.end_date, "%s", past[k].end);
		rc = classes_insert(db, &c, 0);
		if (!rc)
			rc = approved_history(db, d, c.id, c.start_date);
		/* every fourth cadre of the pool, offset by the class: about 75 each */
		for (size_t i = k; !rc && i < d->n_others; i += 4)
			rc = enrollments_add(db, c.id, d->others[i], "completed");
		for (size_t i = k; !rc && i < d->n_heads; i += 4)
			rc = enrollments_add(db, c.id, d->heads[i], "completed");
	}
	return rc;
}

/* Nan'an's 2023 plan (年度培训计划), drafted by the organization department and approved by
 * another account of it in January, holding the year's classes: the seed's and the term's. */
static px_err plan_2023(struct store *db, const struct demo_refs *d)
{
	struct plan p = { .region_id = d->region_id,
			  .year = 2023,
			  .title = "南安市2023年度干部教育培训计划",
			  .budget_cents = 186000000,
			  .created_by = d->admin_user };
	px_err rc = plans_insert(db, &p);
	if (!rc)
		rc = approvals_add(db, "plan", p.id, 0, "submit", "", d->admin_user);
	if (!rc)
		rc = approvals_add(db, "plan", p.id, 0, "approve", "同意",
				   d->admin2_user ? d->admin2_user : d->admin_user);
	if (!rc) /* the department's own plan: one step, the department's (chain_parent 0) */
		rc = plans_set_approval(db, p.id, "approved", 1, 0, p.version ? p.version : 1);
	int64_t day0 = (int64_t)date_from_ymd(2023, 1, 9) * 86400 + 3600;
	if (!rc)
		rc = demo_approvals_date(db, "plan", p.id, day0, day0 + 7 * 86400);
	if (!rc)
		rc = demo_plan_hold(db, p.id, d->region_id, "2023-01-01", "2023-12-31");
	return rc;
}

px_err svc_demo_training(struct svc *c, const struct demo_refs *d, struct demo_report *out)
{
	px_err rc = past_classes(c->db, d);
	if (!rc)
		rc = seed_class(c, d, out);
	if (!rc)
		rc = school_term(c, d, out);
	if (!rc)
		rc = plan_2023(c->db, d);
	return rc;
}
