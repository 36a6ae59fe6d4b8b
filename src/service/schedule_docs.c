/*
 * schedule_docs.c — timetables as documents (see schedule.h): a class's as a printable A4
 * PDF or iCalendar, an expert's lectures and one's own schedule as iCalendar; the layout and
 * the formats are files/timetable_doc's.
 */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/mem.h"
#include "domain/enums.h"
#include "files/timetable_doc.h"
#include "service/schedule_int.h"

/* The number of 第一 … 第十 (1–10), or 0. */
static int ordinal(const char *s, size_t n)
{
	static const char *const digits[] = { "一", "二", "三", "四", "五",
					      "六", "七", "八", "九", "十" };
	if (n != 6 || strncmp(s, "第", 3))
		return 0;
	for (int i = 0; i < 10; i++)
		if (!strncmp(s + 3, digits[i], 3))
			return i + 1;
	return 0;
}

/*
 * Room names as they fit a cell: three or more that end alike ("第一研讨室" … "第六研讨室")
 * share their ending once — "第一至第六研讨室" when they run in order, else
 * "第一、第三、第五研讨室".
 */
static void join_rooms(struct buf *b, const char *const *names, size_t n, const char *sep)
{
	size_t tail = 0; /* bytes of the common ending, at a character boundary */
	if (n >= 3) {
		size_t shortest = strlen(names[0]);
		for (size_t i = 1; i < n; i++)
			if (strlen(names[i]) < shortest)
				shortest = strlen(names[i]);
		for (size_t k = 1; k < shortest; k++) {
			char ch = names[0][strlen(names[0]) - k];
			bool same = true;
			for (size_t i = 1; i < n && same; i++)
				same = names[i][strlen(names[i]) - k] == ch;
			if (!same)
				break;
			if (((unsigned char)ch & 0xc0) != 0x80) /* a character starts here */
				tail = k;
		}
		if (tail < 6) /* two characters at least (研讨室, 教室) */
			tail = 0;
	}
	if (!tail) {
		for (size_t i = 0; i < n; i++) {
			if (i)
				buf_puts(b, sep);
			buf_puts(b, names[i]);
		}
		return;
	}
	bool run = true;
	for (size_t i = 0; i < n && run; i++)
		run = ordinal(names[i], strlen(names[i]) - tail) ==
			      ordinal(names[0], strlen(names[0]) - tail) + (int)i &&
		      ordinal(names[0], strlen(names[0]) - tail) > 0;
	if (run) {
		buf_add(b, names[0], strlen(names[0]) - tail);
		buf_puts(b, "至");
		buf_puts(b, names[n - 1]);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(b, "、");
		buf_add(b, names[i], strlen(names[i]) - tail);
	}
	buf_puts(b, names[0] + strlen(names[0]) - tail);
}

/* Join the names of a session's experts and rooms into arena strings. */
static void item_names(struct svc *c, const struct timetable_data *d, const struct tsession *t,
		       struct tdoc_item *it)
{
	const char *sep = svc_text(c, "、", ", ");
	struct buf b = BUF_INIT(4096);
	for (int x = 0; x < t->n_experts; x++)
		for (size_t e = 0; e < d->in.n_experts; e++)
			if (d->in.experts[e].id == t->experts[x]) {
				if (b.len)
					buf_puts(&b, sep);
				buf_puts(&b, d->in.experts[e].name);
			}
	it->experts = arena_strdup(c->arena, b.data ? b.data : "");
	buf_reset(&b);
	it->site = "";
	const char **names = arena_alloc(c->arena, (d->in.n_rooms + 1) * sizeof *names);
	size_t n = 0;
	for (size_t m = 0; m < d->in.n_rooms; m++) {
		bool used = d->in.rooms[m].id == t->room_id;
		for (int g = 0; g < t->n_group_rooms; g++)
			used = used || d->in.rooms[m].id == t->group_rooms[g];
		if (!used)
			continue;
		names[n++] = d->in.rooms[m].name;
		it->site = d->in.rooms[m].site;
	}
	join_rooms(&b, names, n, sep);
	it->room = arena_strdup(c->arena, b.data ? b.data : "");
	buf_release(&b);
}

/* The placed sessions of d that `keep` selects (all when NULL) as a document into out. */
static px_err document(struct svc *c, const struct timetable_data *d, schedule_filter *keep,
		       const void *key, const char *title, const char *subtitle, const char *footer,
		       const char *first, const char *last, bool pdf, const char *filename,
		       struct schedule_file *out)
{
	struct tdoc doc = {
		.title = title, .subtitle = subtitle, .lang = c->lang, .footer = footer
	};
	date_format(date_today_cst(), doc.printed);
	snprintf(doc.first_day, sizeof doc.first_day, "%s", first);
	snprintf(doc.last_day, sizeof doc.last_day, "%s", last);
	for (int s = 0; s < SLOTS_PER_DAY; s++) {
		doc.slot_labels[s] = svc_label(c, &enum_slot, enum_slot.items[s].code);
		doc.slot_times[s] = arena_printf(c->arena, "%s–%s", slot_start[s], slot_end[s]);
	}
	struct tdoc_item *items = arena_alloc(c->arena, (d->in.n_sessions + 1) * sizeof *items);
	size_t n = 0;
	for (size_t i = 0; i < d->in.n_sessions; i++) {
		const struct tsession *t = &d->in.sessions[i];
		if (t->slot < 0 || !t->day[0] || (keep && !keep(t, key)))
			continue;
		struct tdoc_item *it = &items[n++];
		memset(it, 0, sizeof *it);
		memcpy(it->day, t->day, sizeof it->day);
		it->slot = t->slot;
		it->start = *t->start_time ? t->start_time : slot_start[t->slot];
		it->end = *t->end_time ? t->end_time : slot_end[t->slot];
		if (schedule_booked_only(c, t, d)) {
			/* another office's session: the time is taken, nothing more (not even an id
			 * that names the session) */
			it->uid =
				arena_printf(c->arena, "busy-%s-%d-%zu@peixun", t->day, t->slot, n);
			it->kind_label = "";
			it->topic = svc_text(c, "已占用", "Booked");
			it->experts = it->room = it->site = it->class_name = "";
			continue;
		}
		it->id = t->id;
		it->kind_label = svc_label(c, &enum_session_kind, t->kind);
		it->topic = t->topic;
		for (size_t k = 0; k < d->in.n_classes; k++)
			if (d->in.classes[k].id == t->class_id)
				it->class_name = d->in.classes[k].name;
		item_names(c, d, t, it);
	}
	doc.items = items;
	doc.n = n;
	buf_init(&out->data, 0);
	out->content_type = pdf ? "application/pdf" : "text/calendar; charset=utf-8";
	out->filename = filename;
	px_err rc = pdf ? tdoc_pdf(&doc, &out->data) : tdoc_ics(&doc, &out->data);
	if (rc)
		buf_release(&out->data);
	return rc;
}

/* Who is behind a class, for the foot of its printed timetable: 主办单位, then its class
 * managers (班主任) and their phone — whatever of them is known. */
static const char *class_footer(struct svc *c, const struct training_class *k)
{
	bool en = svc_en(c);
	struct buf b = BUF_INIT(256);
	if (k->organizer && *k->organizer)
		buf_printf(&b, en ? "Organizer: %s" : "主办单位:%s", k->organizer);
	struct class_manager *m = NULL;
	size_t n = 0;
	if (!class_managers_of(c->db, c->arena, k->id, &m, &n) && n) {
		buf_puts(&b, b.len ? (en ? " · Class manager: " : " · 班主任:")
				   : (en ? "Class manager: " : "班主任:"));
		for (size_t i = 0; i < n; i++) {
			if (i)
				buf_puts(&b, en ? ", " : "、");
			buf_puts(&b, m[i].display_name);
		}
	}
	if (k->manager_phone && *k->manager_phone)
		buf_printf(&b, en ? "%sphone %s" : "%s电话 %s", b.len ? " " : "", k->manager_phone);
	const char *out = arena_strdup(c->arena, b.data ? b.data : "");
	buf_release(&b);
	return out;
}

px_err svc_class_timetable_file(struct svc *c, int64_t class_id, bool pdf,
				struct schedule_file *out)
{
	struct class_row row;
	px_err rc = schedule_class_load(c, PERM_CLASS_READ, class_id, &row);
	if (rc)
		return rc;
	int64_t id = row.c.id;
	struct timetable_data d;
	if ((rc = timetable_load(c->db, &id, 1, c->lang, &d)))
		return rc;
	bool en = svc_en(c);
	const char *sub = arena_printf(c->arena,
				       en ? "%s · %s · %s to %s · %lld trainees"
					  : "承办:%s  地点:%s  时间:%s 至 %s  学员:%lld 人",
				       row.c.host, row.c.location, row.c.start_date, row.c.end_date,
				       (long long)row.c.enrolled);
	const char *title = arena_printf(c->arena, en ? "%s — timetable" : "%s 课程表", row.c.name);
	rc = document(c, &d, schedule_of_class, &id, title, sub, class_footer(c, &row.c),
		      row.c.start_date, row.c.end_date, pdf,
		      arena_printf(c->arena, "%s%s", row.c.name, pdf ? ".pdf" : ".ics"), out);
	timetable_data_release(&d);
	return rc;
}

px_err svc_expert_timetable_ics(struct svc *c, int64_t id, struct schedule_file *out)
{
	struct expert e;
	px_err rc = id > 0 ? experts_get(c->db, c->arena, id, &e) : PX_ERR_NOT_FOUND;
	if (rc)
		return rc;
	struct tsession *own;
	size_t n;
	if ((rc = tsessions_of_expert(c->db, c->arena, id, &own, &n)))
		return rc;
	int64_t ids[SCHEDULE_MAX_CLASSES];
	size_t na = 0;
	for (size_t i = 0; i < n; i++)
		schedule_add_class(ids, &na, own[i].class_id);
	struct timetable_data d = { 0 };
	if (na && (rc = timetable_load(c->db, ids, na, c->lang, &d)))
		return rc;
	/* the lectures of classes the caller may not read are only busy times */
	if (na && (rc = schedule_mark_unreadable(c, &d))) {
		timetable_data_release(&d);
		return rc;
	}
	const char *title =
		arena_printf(c->arena, svc_en(c) ? "%s — lectures" : "%s 授课安排", e.name);
	rc = document(c, &d, schedule_of_expert, &id, title, NULL, "", "2000-01-01", "2000-01-01",
		      false, arena_printf(c->arena, "%s.ics", e.name), out);
	if (na)
		timetable_data_release(&d);
	return rc;
}

px_err svc_my_schedule_ics(struct svc *c, struct schedule_file *out)
{
	struct timetable_data d;
	struct schedule_mine mine;
	px_err rc = schedule_load_mine(c, &d, &mine);
	if (rc)
		return rc;
	rc = document(c, &d, schedule_is_mine, &mine,
		      svc_text(c, "我的培训课表", "My training schedule"), NULL, "", "2000-01-01",
		      "2000-01-01", false, svc_text(c, "我的课表.ics", "my-schedule.ics"), out);
	timetable_data_release(&d);
	return rc;
}
