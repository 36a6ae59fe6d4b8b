/*
 * online_hours.c — see online_hours.h.
 */
#include "domain/online_hours.h"

#include <math.h>
#include <string.h>

#include "base/arena.h"
#include "base/problem.h"

#define NAMES(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* clang-format off */
const struct field_def online_hours_fields[OH__COUNT] = {
	[OH_ID_NUMBER] = { "id_number", "身份证号", "ID number", true, 18, NULL },
	[OH_NAME] = { "name", "姓名", "Name", false, 50, NULL },
	[OH_COURSE] = { "course", "课程名称", "Course", true, 200, NULL },
	[OH_HOURS] = { "hours", "学时", "Hours", true, 0, NULL },
	[OH_COMPLETED_ON] = { "completed_on", "完成日期", "Completed on", true, 0, NULL },
	[OH_PLATFORM] = { "platform", "学习平台", "Platform", false, 100, NULL },
};

const char *const *const online_hours_column_names[OH__COUNT] = {
	[OH_ID_NUMBER] = NAMES("身份证号码", "公民身份号码", "公民身份证号码", "身份证", "证件号码",
			       "身份证件号码", "ID no.", "ID card"),
	[OH_NAME] = NAMES("学员姓名", "干部姓名", "人员姓名", "名字"),
	[OH_COURSE] = NAMES("课程", "课程名", "课程名称", "培训课程", "学习课程", "课程标题",
			    "专题", "专题名称", "course name", "course title"),
	[OH_HOURS] = NAMES("学时数", "获得学时", "所得学时", "获得学分", "学分", "课时",
			   "学习学时", "credit hours", "credits"),
	[OH_COMPLETED_ON] = NAMES("完成时间", "完成日期", "学习完成时间", "学习完成日期", "结业时间",
				  "结业日期", "考试通过时间", "通过时间", "学习时间", "日期",
				  "date", "completed", "completion date"),
	[OH_PLATFORM] = NAMES("平台", "学习平台", "网络学院", "来源", "培训机构", "platform"),
};
/* clang-format on */

static bool en(const struct field_ctx *c)
{
	return px_lang_is_en(c->lang);
}

static bool check_id(struct field_ctx *c, const char *s, struct online_hours_row *out)
{
	const struct field_def *f = &online_hours_fields[OH_ID_NUMBER];
	const char *t = field_text(c, f, s, TEXT_PLAIN, 32);
	if (!t)
		return false;
	enum idcard_problem p = idcard_check(t, strlen(t), c->today, out->id_number, NULL, NULL);
	if (p == IDCARD_OK)
		return true;
	problems_add(c->pb, c->row, f->name, p == IDCARD_CHECKSUM ? "checksum" : "invalid", "%s",
		     idcard_problem_message(p, c->lang));
	return false;
}

/* 学时 above 0, at most two decimals, at most a day's. */
static bool check_hours(struct field_ctx *c, const char *s, int64_t *centi)
{
	const struct field_def *f = &online_hours_fields[OH_HOURS];
	const char *t = field_text(c, f, s, TEXT_PLAIN, 32);
	if (!t)
		return false;
	if (*t == '-') {
		problems_add(c->pb, c->row, f->name, "negative",
			     en(c) ? "Hours cannot be negative" : "学时不能为负数");
		return false;
	}
	double x = field_decimal(c, f, t, 0, 100000, 0);
	if (x < 0)
		return false;
	int64_t v = (int64_t)llround(x * 100.0);
	if (v <= 0) {
		problems_add(c->pb, c->row, f->name, "not_positive",
			     en(c) ? "Hours must be more than 0" : "学时应大于 0");
		return false;
	}
	if (v > OH_DAY_MAX_CENTI) {
		problems_add(c->pb, c->row, f->name, "absurd",
			     en(c) ? "%g hours in one day cannot be: a day holds 24 at most"
				   : "一天内完成 %g 学时不合常理(一天最多 24 学时)",
			     x);
		return false;
	}
	*centi = v;
	return true;
}

/* Platforms export the moment of completion ("2023-05-18 21:04:33"): its day. */
static const char *date_part(struct field_ctx *c, const char *s)
{
	if (!s)
		return s;
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	if (n > 10 && (s[10] == ' ' || s[10] == 'T') && s[4] == '-' && strchr(s + 10, ':'))
		return arena_strndup(c->arena, s, 10);
	return s;
}

bool online_hours_check(struct field_ctx *c, const char *const cells[OH__COUNT],
			struct online_hours_row *out)
{
	size_t before = problems_count(c->pb);
	*out = (struct online_hours_row){ .name = "", .platform = "" };
	check_id(c, cells[OH_ID_NUMBER], out);
	if (cells[OH_NAME]) {
		const char *t = field_text(c, &online_hours_fields[OH_NAME], cells[OH_NAME],
					   TEXT_PERSON_NAME, 50);
		out->name = t ? t : "";
	}
	const char *t =
		field_text(c, &online_hours_fields[OH_COURSE], cells[OH_COURSE], TEXT_PLAIN, 200);
	out->course = t ? t : "";
	check_hours(c, cells[OH_HOURS], &out->centi_hours);
	t = field_date(c, &online_hours_fields[OH_COMPLETED_ON],
		       date_part(c, cells[OH_COMPLETED_ON]), true);
	out->completed_on = t ? t : "";
	if (cells[OH_PLATFORM]) {
		t = field_text(c, &online_hours_fields[OH_PLATFORM], cells[OH_PLATFORM], TEXT_PLAIN,
			       100);
		out->platform = t ? t : "";
	}
	return problems_count(c->pb) == before;
}
