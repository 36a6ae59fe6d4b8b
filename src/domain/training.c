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
static const struct field_def class_f[] = {
	{"name", "班次名称", "Class name", true, 0, NULL},
	{"host", "承办机构", "Host institution", true, 0, NULL},
	{"location", "培训地点", "Location", false, 0, NULL},
	{"off_site", "异地培训", "Off-site", false, 0, NULL},
	{"start_date", "开班日期", "Start date", true, 0, NULL},
	{"end_date", "结业日期", "End date", true, 0, NULL},
	{"capacity", "计划人数", "Capacity", true, 0, NULL},
	{"credited_hours", "认定学时", "Credited hours", false, 0, NULL},
	{"credited_days", "认定天数", "Credited days", false, 0, NULL},
	{"kind", "班次类型", "Kind", true, 0, NULL},
	{"status", "状态", "Status", false, 0, NULL},
	{"target_levels", "调训对象职级", "Target rank levels", false, 0, NULL},
	{"target_categories", "调训对象类别", "Target categories", false, 0, NULL},
	{"term", "学期", "Term", false, 0, NULL},
	{"batch_no", "批次", "Batch", false, 0, NULL},
};
/* clang-format on */

int class_validate(struct field_ctx *c, const struct class_input *in, struct training_class *out)
{
	size_t before = problems_count(c->pb);
	memset(out, 0, sizeof *out);
	out->name = field_text(c, &class_f[0], in->name, TEXT_PLAIN, 100);
	out->host = field_text(c, &class_f[1], in->host, TEXT_PLAIN, 100);
	out->location = field_text(c, &class_f[2], in->location, TEXT_PLAIN, 100);
	out->off_site = field_bool(c, &class_f[3], in->off_site);
	const char *s = field_date(c, &class_f[4], in->start_date, false);
	const char *e = field_date(c, &class_f[5], in->end_date, false);
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
	out->capacity = field_int(c, &class_f[6], in->capacity, 1, 10000, 0);
	out->credited_hours = field_decimal(c, &class_f[7], in->credited_hours, 0, 10000, 0);
	out->credited_days = field_decimal(c, &class_f[8], in->credited_days, 0, 366, 0);
	out->kind = field_enum(c, &class_f[9], in->kind, &enum_class_kind);
	out->status = field_enum(c, &class_f[10], in->status, &enum_class_status);
	if (out->status && !*out->status)
		out->status = "draft";
	out->target_levels = field_enum_list(c, &class_f[11], in->target_levels, &enum_rank_level);
	out->target_categories =
		field_enum_list(c, &class_f[12], in->target_categories, &enum_category);
	out->term = field_text(c, &class_f[13], in->term, TEXT_PLAIN, 50);
	out->batch_no = field_int(c, &class_f[14], in->batch_no, 0, 100, 0);
	out->approval = "none";
	return (int)(problems_count(c->pb) - before);
}

/* clang-format off */
static const struct field_def expert_f[] = {
	{"name", "姓名", "Name", true, 0, NULL},
	{"institution", "单位", "Institution", false, 0, NULL},
	{"title", "职称/职务", "Title", false, 0, NULL},
	{"topics", "研究领域", "Topics", false, 0, NULL},
	{"bio", "简介", "Biography", false, 0, NULL},
	{"availability", "可授课时间方式", "Availability", false, 0, NULL},
};
/* clang-format on */

int expert_validate(struct field_ctx *c, const struct expert_input *in, struct expert *out)
{
	size_t before = problems_count(c->pb);
	memset(out, 0, sizeof *out);
	out->name = field_text(c, &expert_f[0], in->name, TEXT_PERSON_NAME, 50);
	out->institution = field_text(c, &expert_f[1], in->institution, TEXT_PLAIN, 100);
	out->title = field_text(c, &expert_f[2], in->title, TEXT_PLAIN, 100);
	out->topics = field_text(c, &expert_f[3], in->topics, TEXT_PLAIN, 500);
	out->bio = field_text(c, &expert_f[4], in->bio, TEXT_PLAIN, 2000);
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
static const struct field_def room_f[] = {
	{"site", "所在地点", "Site", true, 0, NULL},
	{"name", "名称", "Name", true, 0, NULL},
	{"capacity", "容量", "Capacity", true, 0, NULL},
	{"kind", "类型", "Kind", true, 0, NULL},
};
/* clang-format on */

int room_validate(struct field_ctx *c, const struct room_input *in, struct room *out)
{
	size_t before = problems_count(c->pb);
	memset(out, 0, sizeof *out);
	out->site = field_text(c, &room_f[0], in->site, TEXT_PLAIN, 100);
	out->name = field_text(c, &room_f[1], in->name, TEXT_PLAIN, 50);
	out->capacity = field_int(c, &room_f[2], in->capacity, 1, 5000, 0);
	out->kind = field_enum(c, &room_f[3], in->kind, &enum_room_kind);
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
static const struct field_def session_f[] = {
	{"kind", "课程类型", "Kind", true, 0, NULL},
	{"topic", "专题/内容", "Topic", true, 0, NULL},
	{"description", "说明", "Description", false, 0, NULL},
	{"hours", "学时", "Hours", false, 0, NULL},
	{"room_kind", "教室要求", "Room", false, 0, NULL},
	{"groups", "分组数", "Groups", false, 0, NULL},
	{"preferred_slot", "希望时段", "Preferred slot", false, 0, NULL},
	{"day", "日期", "Date", false, 0, NULL},
	{"slot", "时段", "Slot", false, 0, NULL},
	{"start_time", "开始时间", "Start time", false, 0, NULL},
	{"end_time", "结束时间", "End time", false, 0, NULL},
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
	memset(out, 0, sizeof *out);
	out->kind = field_enum(c, &session_f[0], in->kind, &enum_session_kind);
	out->topic = field_text(c, &session_f[1], in->topic, TEXT_PLAIN, 200);
	out->description = field_text(c, &session_f[2], in->description, TEXT_PLAIN, 2000);
	out->hours = field_decimal(c, &session_f[3], in->hours, 0, 24, 0);
	out->room_kind = field_enum(c, &session_f[4], in->room_kind, &enum_room_kind);
	if (out->room_kind && !*out->room_kind)
		out->room_kind = "any";
	out->groups = field_int(c, &session_f[5], in->groups, 1, 50, 1);
	out->preferred_slot = slot_value(c, &session_f[6], in->preferred_slot);
	const char *d = field_date(c, &session_f[7], in->day, false);
	if (d)
		snprintf(out->day, sizeof out->day, "%s", d);
	out->slot = slot_value(c, &session_f[8], in->slot);
	if (d && *d && out->slot == -1)
		problems_add(c->pb, c->row, "slot", "required", "%s",
			     en(c) ? "A dated session needs a slot" : "指定日期时须同时指定时段");
	out->start_time = field_time(c, &session_f[9], in->start_time);
	out->end_time = field_time(c, &session_f[10], in->end_time);
	if (out->start_time && out->end_time && *out->start_time && *out->end_time &&
	    strcmp(out->start_time, out->end_time) >= 0)
		problems_add(c->pb, c->row, "end_time", "before_start", "%s",
			     en(c) ? "The end time is not after the start time"
				   : "结束时间应晚于开始时间");
	return (int)(problems_count(c->pb) - before);
}
