/*
 * training.c — see training.h.
 */
#include "domain/training.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/err.h"
#include "domain/enums.h"

const char *const slot_start[SLOTS_PER_DAY] = { "08:30", "14:30", "19:00" };
const char *const slot_end[SLOTS_PER_DAY] = { "11:30", "17:30", "21:00" };

static int en(const struct field_ctx *c)
{
	return px_lang_is_en(c->lang);
}

/* clang-format off */
const struct field_def plan_fields[PF__COUNT] = {
	[PF_TITLE] = {"title", "计划名称", "Title", true, 100, NULL},
	[PF_YEAR] = {"year", "年度", "Year", true, 0, NULL},
	[PF_BUDGET] = {"budget", "预算(元)", "Budget", false, 0, NULL},
};
/* clang-format on */

int plan_validate(struct field_ctx *c, const struct plan_input *in, struct plan_draft *out)
{
	size_t before = problems_count(c->pb);
	const struct field_def *f = plan_fields;
	out->title = field_text(c, &f[PF_TITLE], in->v[PF_TITLE], TEXT_PLAIN, f[PF_TITLE].max);
	out->year = field_int(c, &f[PF_YEAR], in->v[PF_YEAR], 2000, 2100, 0);
	double budget = field_decimal(c, &f[PF_BUDGET], in->v[PF_BUDGET], 0, 1e11, 0);
	out->budget_cents = (int64_t)(budget * 100 + 0.5);
	return (int)(problems_count(c->pb) - before);
}

/* clang-format off */
const struct field_def class_fields[CLF__COUNT] = {
	[CLF_NAME] = {"name", "班次名称", "Class name", true, 100, NULL},
	[CLF_HOST] = {"host", "承办机构", "Host institution", true, 100, NULL},
	[CLF_LOCATION] = {"location", "培训地点", "Location", false, 100, NULL},
	[CLF_OFF_SITE] = {"off_site", "异地培训", "Off-site", false, 0, NULL},
	[CLF_START_DATE] = {"start_date", "开班日期", "Start date", true, 0, NULL},
	[CLF_END_DATE] = {"end_date", "结业日期", "End date", true, 0, NULL},
	[CLF_CAPACITY] = {"capacity", "计划人数", "Capacity", true, 0, NULL},
	[CLF_CREDITED_HOURS] = {"credited_hours", "认定学时", "Credited hours", false, 0, NULL},
	[CLF_CREDITED_DAYS] = {"credited_days", "认定天数", "Credited days", false, 0, NULL},
	[CLF_KIND] = {"kind", "班次类型", "Kind", true, 0, &enum_class_kind},
	[CLF_STATUS] = {"status", "状态", "Status", false, 0, &enum_class_status},
	[CLF_TARGET_LEVELS] = {"target_levels", "调训对象职级", "Target rank levels", false, 0, &enum_rank_level},
	[CLF_TARGET_CATEGORIES] = {"target_categories", "调训对象类别", "Target categories", false, 0, &enum_category},
	[CLF_TERM] = {"term", "学期", "Term", false, 50, NULL},
	[CLF_BATCH_NO] = {"batch_no", "批次", "Batch", false, 0, NULL},
	[CLF_ORGANIZER] = {"organizer", "主办单位", "Organizer", false, 100, NULL},
	[CLF_MANAGER_PHONE] = {"manager_phone", "班主任电话", "Class manager's phone", false, 20, NULL},
	[CLF_REPORT_DATE] = {"report_date", "报到日期", "Report date", false, 0, NULL},
	[CLF_REPORT_TIME] = {"report_time", "报到时间", "Report time", false, 30, NULL},
	[CLF_REPORT_PLACE] = {"report_place", "报到地点", "Report place", false, 100, NULL},
};
/* clang-format on */

int class_validate(struct field_ctx *c, const struct class_input *in, struct training_class *out)
{
	size_t before = problems_count(c->pb);
	const struct field_def *f = class_fields;
	memset(out, 0, sizeof *out);
	out->name = field_text(c, &f[CLF_NAME], in->name, TEXT_PLAIN, f[CLF_NAME].max);
	out->host = field_text(c, &f[CLF_HOST], in->host, TEXT_PLAIN, f[CLF_HOST].max);
	out->location =
		field_text(c, &f[CLF_LOCATION], in->location, TEXT_PLAIN, f[CLF_LOCATION].max);
	out->off_site = field_bool(c, &f[CLF_OFF_SITE], in->off_site);
	const char *s = field_date(c, &f[CLF_START_DATE], in->start_date, false);
	const char *e = field_date(c, &f[CLF_END_DATE], in->end_date, false);
	if (s)
		snprintf(out->start_date, sizeof out->start_date, "%s", s);
	if (e)
		snprintf(out->end_date, sizeof out->end_date, "%s", e);
	if (s && e && *s && *e) {
		int32_t ds = date_parse(s, 10), de = date_parse(e, 10);
		if (de < ds)
			problems_add(c->pb, c->row, "end_date", "before_start", "%s",
				     en(c) ? "The end date is before the start date"
					   : "结业日期不能早于开班日期");
		else if (de - ds > 366)
			problems_add(c->pb, c->row, "end_date", "too_long", "%s",
				     en(c) ? "A class cannot last more than a year"
					   : "培训班时长不能超过一年");
	}
	out->capacity = field_int(c, &f[CLF_CAPACITY], in->capacity, 1, 10000, 0);
	out->credited_hours =
		field_decimal(c, &f[CLF_CREDITED_HOURS], in->credited_hours, 0, 10000, 0);
	out->credited_days = field_decimal(c, &f[CLF_CREDITED_DAYS], in->credited_days, 0, 366, 0);
	out->kind = field_enum(c, &f[CLF_KIND], in->kind, f[CLF_KIND].choices);
	out->status = field_enum(c, &f[CLF_STATUS], in->status, f[CLF_STATUS].choices);
	if (out->status && !*out->status)
		out->status = "draft";
	out->target_levels = field_enum_list(c, &f[CLF_TARGET_LEVELS], in->target_levels,
					     f[CLF_TARGET_LEVELS].choices);
	out->target_categories =
		field_enum_list(c, &f[CLF_TARGET_CATEGORIES], in->target_categories,
				f[CLF_TARGET_CATEGORIES].choices);
	out->term = field_text(c, &f[CLF_TERM], in->term, TEXT_PLAIN, f[CLF_TERM].max);
	out->batch_no = field_int(c, &f[CLF_BATCH_NO], in->batch_no, 0, 100, 0);
	out->organizer =
		field_text(c, &f[CLF_ORGANIZER], in->organizer, TEXT_PLAIN, f[CLF_ORGANIZER].max);
	out->manager_phone = field_phone(c, &f[CLF_MANAGER_PHONE], in->manager_phone);
	const char *r = field_date(c, &f[CLF_REPORT_DATE], in->report_date, false);
	if (r)
		snprintf(out->report_date, sizeof out->report_date, "%s", r);
	if (r && *r && s && *s) {
		int32_t dr = date_parse(r, 10), ds = date_parse(s, 10);
		if (dr > ds)
			problems_add(c->pb, c->row, "report_date", "after_start", "%s",
				     en(c) ? "Trainees report on the first day or before it"
					   : "报到日期不能晚于开班日期");
		else if (ds - dr > 30)
			problems_add(c->pb, c->row, "report_date", "too_early", "%s",
				     en(c) ? "The report date is more than 30 days before the start"
					   : "报到日期不能早于开班日期 30 天以上");
	}
	out->report_time = field_text(c, &f[CLF_REPORT_TIME], in->report_time, TEXT_PLAIN,
				      f[CLF_REPORT_TIME].max);
	out->report_place = field_text(c, &f[CLF_REPORT_PLACE], in->report_place, TEXT_PLAIN,
				       f[CLF_REPORT_PLACE].max);
	out->approval = "none";
	return (int)(problems_count(c->pb) - before);
}

/* clang-format off */
const struct field_def expert_fields[EF__COUNT] = {
	[EF_NAME] = {"name", "姓名", "Name", true, 50, NULL},
	[EF_INSTITUTION] = {"institution", "单位", "Institution", false, 100, NULL},
	[EF_TITLE] = {"title", "职称/职务", "Title", false, 100, NULL},
	[EF_TOPICS] = {"topics", "研究领域", "Topics", false, 500, NULL},
	[EF_BIO] = {"bio", "简介", "Biography", false, 2000, NULL},
	[EF_AVAILABILITY] = {"availability", "可授课时间方式", "Availability", false, 0, NULL},
};
/* clang-format on */

int expert_validate(struct field_ctx *c, const struct expert_input *in, struct expert *out)
{
	size_t before = problems_count(c->pb);
	const struct field_def *f = expert_fields;
	memset(out, 0, sizeof *out);
	out->name = field_text(c, &f[EF_NAME], in->name, TEXT_PERSON_NAME, f[EF_NAME].max);
	out->institution = field_text(c, &f[EF_INSTITUTION], in->institution, TEXT_PLAIN,
				      f[EF_INSTITUTION].max);
	out->title = field_text(c, &f[EF_TITLE], in->title, TEXT_PLAIN, f[EF_TITLE].max);
	out->topics = field_text(c, &f[EF_TOPICS], in->topics, TEXT_PLAIN, f[EF_TOPICS].max);
	out->bio = field_text(c, &f[EF_BIO], in->bio, TEXT_PLAIN, f[EF_BIO].max);
	const char *a = in->availability;
	if (!a || !*a || !strcmp(a, "open"))
		out->availability = "open";
	else if (!strcmp(a, "restricted"))
		out->availability = "restricted";
	else
		problems_add(
			c->pb, c->row, "availability", "unknown_value", "%s",
			en(c) ? "Availability must be open or restricted"
			      : "可授课时间方式应为 open(除标记外均可)或 restricted(仅标记时段)");
	return (int)(problems_count(c->pb) - before);
}

/* clang-format off */
const struct field_def room_fields[RMF__COUNT] = {
	[RMF_SITE] = {"site", "所在地点", "Site", true, 100, NULL},
	[RMF_NAME] = {"name", "名称", "Name", true, 50, NULL},
	[RMF_CAPACITY] = {"capacity", "容量", "Capacity", true, 0, NULL},
	[RMF_KIND] = {"kind", "类型", "Kind", true, 0, &enum_room_kind},
};
/* clang-format on */

int room_validate(struct field_ctx *c, const struct room_input *in, struct room *out)
{
	size_t before = problems_count(c->pb);
	const struct field_def *f = room_fields;
	memset(out, 0, sizeof *out);
	out->site = field_text(c, &f[RMF_SITE], in->site, TEXT_PLAIN, f[RMF_SITE].max);
	out->name = field_text(c, &f[RMF_NAME], in->name, TEXT_PLAIN, f[RMF_NAME].max);
	out->capacity = field_int(c, &f[RMF_CAPACITY], in->capacity, 1, 5000, 0);
	out->kind = field_enum(c, &f[RMF_KIND], in->kind, f[RMF_KIND].choices);
	if (out->kind && (!strcmp(out->kind, "any") || !strcmp(out->kind, "none"))) {
		problems_add(c->pb, c->row, "kind", "unknown_value", "%s",
			     en(c) ? "A room is a lecture hall, a seminar room or off-site"
				   : "教室类型应为教室/报告厅、研讨室或现场/校外");
		out->kind = NULL;
	}
	return (int)(problems_count(c->pb) - before);
}

const char *field_time(struct field_ctx *c, const struct field_def *f, const char *s)
{
	if (!s || !*s)
		return "";
	int h, m;
	char tail;
	if (strlen(s) != 5 || sscanf(s, "%2d:%2d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 ||
	    m < 0 || m > 59) {
		problems_add(c->pb, c->row, f->name, "invalid_time",
			     en(c) ? "%s must look like 08:30" : "%s格式应为 08:30",
			     field_label(f, c->lang));
		return NULL;
	}
	return arena_strdup(c->arena, s);
}

/* clang-format off */
const struct field_def session_fields[SF__COUNT] = {
	[SF_KIND] = {"kind", "课程类型", "Kind", true, 0, &enum_session_kind},
	[SF_TOPIC] = {"topic", "专题/内容", "Topic", true, 200, NULL},
	[SF_DESCRIPTION] = {"description", "说明", "Description", false, 2000, NULL},
	[SF_HOURS] = {"hours", "学时", "Hours", false, 0, NULL},
	[SF_ROOM_KIND] = {"room_kind", "教室要求", "Room", false, 0, &enum_room_kind},
	[SF_GROUPS] = {"groups", "分组数", "Groups", false, 0, NULL},
	[SF_PREFERRED_SLOT] = {"preferred_slot", "希望时段", "Preferred slot", false, 0, NULL},
	[SF_DAY] = {"day", "日期", "Date", false, 0, NULL},
	[SF_SLOT] = {"slot", "时段", "Slot", false, 0, NULL},
	[SF_START_TIME] = {"start_time", "开始时间", "Start time", false, 0, NULL},
	[SF_END_TIME] = {"end_time", "结束时间", "End time", false, 0, NULL},
};
/* clang-format on */

/* A slot given as 0/1/2 or morning/上午 …; -1 when empty; -2 after a problem. */
static int slot_value(struct field_ctx *c, const struct field_def *f, const char *s)
{
	if (!s || !*s)
		return -1;
	if (s[0] >= '0' && s[0] <= '2' && !s[1])
		return s[0] - '0';
	const struct enum_item *it = enum_find(&enum_slot, s, strlen(s));
	if (it)
		return (int)(it - enum_slot.items);
	problems_add(c->pb, c->row, f->name, "unknown_value",
		     en(c) ? "%s must be morning, afternoon or evening" : "%s应为上午、下午或晚上",
		     field_label(f, c->lang));
	return -2;
}

int session_validate(struct field_ctx *c, const struct session_input *in, struct tsession *out)
{
	size_t before = problems_count(c->pb);
	const struct field_def *f = session_fields;
	memset(out, 0, sizeof *out);
	out->kind = field_enum(c, &f[SF_KIND], in->kind, f[SF_KIND].choices);
	out->topic = field_text(c, &f[SF_TOPIC], in->topic, TEXT_PLAIN, f[SF_TOPIC].max);
	out->description = field_text(c, &f[SF_DESCRIPTION], in->description, TEXT_PLAIN,
				      f[SF_DESCRIPTION].max);
	out->hours = field_decimal(c, &f[SF_HOURS], in->hours, 0, 24, 0);
	out->room_kind = field_enum(c, &f[SF_ROOM_KIND], in->room_kind, f[SF_ROOM_KIND].choices);
	if (out->room_kind && !*out->room_kind)
		out->room_kind = "any";
	out->groups = field_int(c, &f[SF_GROUPS], in->groups, 1, 50, 1);
	out->preferred_slot = slot_value(c, &f[SF_PREFERRED_SLOT], in->preferred_slot);
	const char *d = field_date(c, &f[SF_DAY], in->day, false);
	if (d)
		snprintf(out->day, sizeof out->day, "%s", d);
	out->slot = slot_value(c, &f[SF_SLOT], in->slot);
	if (d && *d && out->slot == -1)
		problems_add(c->pb, c->row, "slot", "required", "%s",
			     en(c) ? "A dated session needs a slot" : "指定日期时须同时指定时段");
	out->start_time = field_time(c, &f[SF_START_TIME], in->start_time);
	out->end_time = field_time(c, &f[SF_END_TIME], in->end_time);
	if (out->start_time && out->end_time && *out->start_time && *out->end_time &&
	    strcmp(out->start_time, out->end_time) >= 0)
		problems_add(c->pb, c->row, "end_time", "before_start", "%s",
			     en(c) ? "The end time is not after the start time"
				   : "结束时间应晚于开始时间");
	return (int)(problems_count(c->pb) - before);
}
