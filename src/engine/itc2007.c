/*
 * itc2007.c — `.ctt` reader, conversion to the engine model, solution writer (see itc2007.h).
 *
 * The reader works line by line over the memory buffer with a small tokenizer (blanks and
 * tabs separate fields; CR before LF is tolerated; blank lines are skipped). It is written for
 * untrusted input: counts are bounded before anything is allocated from them, numbers are
 * parsed with overflow checks, and every failure reports the line number. A libFuzzer target
 * (tests/fuzz/fuzz_ctt.c) drives it.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "engine/itc2007.h"

#define ITC_MAX_INPUT     (64u << 20)
#define MAX_COUNT         100000 /* courses, rooms, curricula, unavailability lines */
#define MAX_DAYS          366
#define MAX_PERIODS       48
#define MAX_FIELDS        4096
#define MAX_PERIODS_TOTAL 1000   /* days × periods per day */
#define MAX_LECTURES      100000 /* sum of the courses' lectures */

struct reader {
	const char *p, *end;
	int line; /* number of the line last read */
	bool en;
	char *msg;
	/* the current line's fields */
	const char *field[MAX_FIELDS];
	int flen[MAX_FIELDS];
	int n;
};

static px_err bad(struct reader *r, const char *zh, const char *en, ...)
{
	if (r->msg)
		return PX_ERR_BAD_FILE;
	char tmp[512];
	va_list ap;
	va_start(ap, en);
	/* both formats take the same arguments in the same order */
	vsnprintf(tmp, sizeof tmp, r->en ? en : zh, ap);
	va_end(ap);
	r->msg = xasprintf(r->en ? "line %d: %s" : "第 %d 行:%s", r->line, tmp);
	return PX_ERR_BAD_FILE;
}

/* Read the next non-blank line into fields; false at end of input. */
static bool next_line(struct reader *r)
{
	while (r->p < r->end) {
		const char *s = r->p;
		const char *nl = memchr(s, '\n', (size_t)(r->end - s));
		const char *e = nl ? nl : r->end;
		r->p = nl ? nl + 1 : r->end;
		r->line++;
		r->n = 0;
		const char *q = s;
		while (q < e) {
			while (q < e && (*q == ' ' || *q == '\t' || *q == '\r'))
				q++;
			if (q >= e)
				break;
			const char *t = q;
			while (q < e && *q != ' ' && *q != '\t' && *q != '\r')
				q++;
			if (r->n == MAX_FIELDS) {
				r->n = -1; /* too many fields: reported by the caller */
				return true;
			}
			r->field[r->n] = t;
			r->flen[r->n] = (int)(q - t);
			r->n++;
		}
		if (r->n > 0)
			return true;
	}
	r->n = 0;
	return false;
}

static bool field_is(const struct reader *r, int i, const char *s)
{
	return r->flen[i] == (int)strlen(s) && memcmp(r->field[i], s, (size_t)r->flen[i]) == 0;
}

static char *field_dup(const struct reader *r, int i)
{
	return xstrndup(r->field[i], (size_t)r->flen[i]);
}

/* A non-negative decimal ≤ max. */
static bool field_int(const struct reader *r, int i, int max, int *out)
{
	if (r->flen[i] < 1 || r->flen[i] > 9)
		return false;
	int v = 0;
	for (int k = 0; k < r->flen[i]; k++) {
		char c = r->field[i][k];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

/* Printable copy of field i for messages (truncated). */
static const char *shown(const struct reader *r, int i, char *buf, size_t n)
{
	int len = r->flen[i] < (int)n - 1 ? r->flen[i] : (int)n - 1;
	for (int k = 0; k < len; k++) {
		unsigned char c = (unsigned char)r->field[i][k];
		buf[k] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	buf[len] = 0;
	return buf;
}

static const struct {
	const char *key;
	int max;
} headers[] = {
	{ "Name:", 0 },
	{ "Courses:", MAX_COUNT },
	{ "Rooms:", MAX_COUNT },
	{ "Days:", MAX_DAYS },
	{ "Periods_per_day:", MAX_PERIODS },
	{ "Curricula:", MAX_COUNT },
	{ "Constraints:", MAX_COUNT },
};

static bool expect_section(struct reader *r, const char *title, px_err *rc)
{
	if (!next_line(r)) {
		*rc = bad(r, "文件在 %s 之前结束", "the file ends before %s", title);
		return false;
	}
	if (r->n != 1 || !field_is(r, 0, title)) {
		*rc = bad(r, "此处应为 %s", "expected %s here", title);
		return false;
	}
	return true;
}

/* Hash of ids for the course look-ups, which are the hot path on big inputs. */
struct idmap {
	int *slot;
	size_t cap;
	char **ids;
};

static size_t hash(const char *s, size_t n)
{
	size_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static void idmap_init(struct idmap *m, int n, char **ids)
{
	m->cap = 16;
	while (m->cap < (size_t)n * 2)
		m->cap *= 2;
	m->slot = xmalloc(m->cap * sizeof(int));
	memset(m->slot, -1, m->cap * sizeof(int));
	m->ids = ids;
}

static int idmap_find(const struct idmap *m, const char *s, size_t n)
{
	for (size_t h = hash(s, n) & (m->cap - 1);; h = (h + 1) & (m->cap - 1)) {
		int k = m->slot[h];
		if (k < 0)
			return -1;
		if (strlen(m->ids[k]) == n && !memcmp(m->ids[k], s, n))
			return k;
	}
}

/* Insert id k; false if already present. */
static bool idmap_add(struct idmap *m, int k)
{
	size_t n = strlen(m->ids[k]);
	for (size_t h = hash(m->ids[k], n) & (m->cap - 1);; h = (h + 1) & (m->cap - 1)) {
		if (m->slot[h] < 0) {
			m->slot[h] = k;
			return true;
		}
		if (!strcmp(m->ids[m->slot[h]], m->ids[k]))
			return false;
	}
}

px_err itc_parse(const char *data, size_t len, const char *lang, struct itc_instance *out,
		 char **msg)
{
	px_err rc = PX_OK;
	struct reader r = { .p = data, .end = data + len, .en = px_lang_is_en(lang) };
	struct itc_instance in = { 0 };
	struct idmap courses = { 0 }, teachers = { 0 }, rooms = { 0 }, curricula = { 0 };
	char **course_ids = NULL, **room_ids = NULL, **curr_ids = NULL;
	int counts[7] = { 0 };
	char tmp[64];

	memset(out, 0, sizeof *out);
	if (len > ITC_MAX_INPUT) {
		rc = PX_ERR_TOO_LARGE;
		r.msg = xstrdup(r.en ? "the file is larger than 64 MiB" : "文件超过 64 MiB");
		goto out;
	}
	for (int h = 0; h < 7; h++) {
		if (!next_line(&r)) {
			rc = bad(&r, "文件在头部 %s 之前结束", "the file ends before the header %s",
				 headers[h].key);
			goto out;
		}
		if (r.n != 2 || !field_is(&r, 0, headers[h].key)) {
			rc = bad(&r, "此处应为“%s 值”", "expected \"%s value\" here",
				 headers[h].key);
			goto out;
		}
		if (h == 0) {
			in.name = field_dup(&r, 1);
			continue;
		}
		if (!field_int(&r, 1, headers[h].max, &counts[h]) ||
		    (counts[h] == 0 && h != 5 && h != 6)) {
			rc = bad(&r, "%s 的值 %s 无效或超出范围",
				 "%s: the value %s is invalid or out of range", headers[h].key,
				 shown(&r, 1, tmp, sizeof tmp));
			goto out;
		}
	}
	in.n_courses = counts[1];
	in.n_rooms = counts[2];
	in.days = counts[3];
	in.periods_per_day = counts[4];
	in.n_curricula = counts[5];
	in.n_unavailability = counts[6];

	/* COURSES: id teacher lectures min_days students */
	if (!expect_section(&r, "COURSES:", &rc))
		goto out;
	in.courses = xcalloc((size_t)in.n_courses, sizeof *in.courses);
	course_ids = xcalloc((size_t)in.n_courses, sizeof *course_ids);
	idmap_init(&courses, in.n_courses, course_ids);
	in.teachers = xcalloc((size_t)in.n_courses, sizeof *in.teachers);
	idmap_init(&teachers, in.n_courses, in.teachers);
	int periods = in.days * in.periods_per_day;
	long total_lectures = 0;
	if (periods > MAX_PERIODS_TOTAL) {
		rc = bad(&r, "天数 × 每天节数 = %d,超过上限 %d",
			 "days × periods per day = %d, above the limit %d", periods,
			 MAX_PERIODS_TOTAL);
		goto out;
	}
	for (int i = 0; i < in.n_courses; i++) {
		struct itc_course *c = &in.courses[i];
		if (!next_line(&r)) {
			rc = bad(&r, "文件在第 %d 门课程之前结束(头部声明 %d 门)",
				 "the file ends before course %d (the header announces %d)", i + 1,
				 in.n_courses);
			goto out;
		}
		if (r.n != 5) {
			rc = bad(&r,
				 "课程行应有 5 个字段(编号 教师 课次 最少天数 学生数),实有 %d 个",
				 "a course line needs 5 fields (id teacher lectures min_days "
				 "students), "
				 "found %d",
				 r.n);
			goto out;
		}
		c->id = field_dup(&r, 0);
		course_ids[i] = c->id;
		if (!idmap_add(&courses, i)) {
			rc = bad(&r, "课程编号 %s 重复", "duplicate course id %s", c->id);
			goto out;
		}
		int t = idmap_find(&teachers, r.field[1], (size_t)r.flen[1]);
		if (t < 0) {
			t = in.n_teachers++;
			in.teachers[t] = field_dup(&r, 1);
			idmap_add(&teachers, t);
		}
		c->teacher = t;
		if (!field_int(&r, 2, periods, &c->lectures) || c->lectures < 1 ||
		    !field_int(&r, 3, in.days, &c->min_days) ||
		    !field_int(&r, 4, 1000000, &c->students)) {
			rc = bad(
				&r, "课程 %s 的课次、最少天数或学生数无效或超出范围",
				"course %s: lectures, min_days or students invalid or out of range",
				c->id);
			goto out;
		}
		total_lectures += c->lectures;
		if (total_lectures > MAX_LECTURES) {
			rc = bad(&r, "课次总数超过上限 %d", "more than %d lectures in all",
				 MAX_LECTURES);
			goto out;
		}
	}

	/* ROOMS: id capacity */
	if (!expect_section(&r, "ROOMS:", &rc))
		goto out;
	in.rooms = xcalloc((size_t)in.n_rooms, sizeof *in.rooms);
	room_ids = xcalloc((size_t)in.n_rooms, sizeof *room_ids);
	idmap_init(&rooms, in.n_rooms, room_ids);
	for (int i = 0; i < in.n_rooms; i++) {
		if (!next_line(&r)) {
			rc = bad(&r, "文件在第 %d 间教室之前结束(头部声明 %d 间)",
				 "the file ends before room %d (the header announces %d)", i + 1,
				 in.n_rooms);
			goto out;
		}
		if (r.n != 2) {
			rc = bad(&r, "教室行应有 2 个字段(编号 容量),实有 %d 个",
				 "a room line needs 2 fields (id capacity), found %d", r.n);
			goto out;
		}
		in.rooms[i].id = field_dup(&r, 0);
		room_ids[i] = in.rooms[i].id;
		if (!idmap_add(&rooms, i)) {
			rc = bad(&r, "教室编号 %s 重复", "duplicate room id %s", in.rooms[i].id);
			goto out;
		}
		if (!field_int(&r, 1, 1000000, &in.rooms[i].capacity)) {
			rc = bad(&r, "教室 %s 的容量无效", "room %s: invalid capacity",
				 in.rooms[i].id);
			goto out;
		}
	}

	/* CURRICULA: id n course… */
	if (!expect_section(&r, "CURRICULA:", &rc))
		goto out;
	in.curricula = xcalloc((size_t)(in.n_curricula ? in.n_curricula : 1), sizeof *in.curricula);
	curr_ids = xcalloc((size_t)(in.n_curricula ? in.n_curricula : 1), sizeof *curr_ids);
	idmap_init(&curricula, in.n_curricula, curr_ids);
	for (int i = 0; i < in.n_curricula; i++) {
		struct itc_curriculum *q = &in.curricula[i];
		if (!next_line(&r)) {
			rc = bad(&r, "文件在第 %d 个课程组之前结束(头部声明 %d 个)",
				 "the file ends before curriculum %d (the header announces %d)",
				 i + 1, in.n_curricula);
			goto out;
		}
		int n;
		if (r.n < 2 || !field_int(&r, 1, in.n_courses, &n) || r.n != 2 + n) {
			rc = bad(&r, "课程组行应为“编号 课程数 课程编号…”,且课程数与所列课程一致",
				 "a curriculum line is \"id n course…\" with exactly n courses");
			goto out;
		}
		q->id = field_dup(&r, 0);
		curr_ids[i] = q->id;
		if (!idmap_add(&curricula, i)) {
			rc = bad(&r, "课程组编号 %s 重复", "duplicate curriculum id %s", q->id);
			goto out;
		}
		q->courses = xmalloc((size_t)(n ? n : 1) * sizeof(int));
		for (int k = 0; k < n; k++) {
			int c = idmap_find(&courses, r.field[2 + k], (size_t)r.flen[2 + k]);
			if (c < 0) {
				rc = bad(&r, "课程组 %s 引用了未知课程 %s",
					 "curriculum %s names an unknown course %s", q->id,
					 shown(&r, 2 + k, tmp, sizeof tmp));
				goto out;
			}
			for (int j = 0; j < k; j++)
				if (q->courses[j] == c) {
					rc = bad(&r, "课程组 %s 重复列出课程 %s",
						 "curriculum %s lists course %s twice", q->id,
						 course_ids[c]);
					goto out;
				}
			q->courses[q->n_courses++] = c;
		}
	}

	/* UNAVAILABILITY_CONSTRAINTS: course day period */
	if (!expect_section(&r, "UNAVAILABILITY_CONSTRAINTS:", &rc))
		goto out;
	in.unavailability = xcalloc((size_t)(in.n_unavailability ? in.n_unavailability : 1),
				    sizeof *in.unavailability);
	for (int i = 0; i < in.n_unavailability; i++) {
		struct itc_unavailability *u = &in.unavailability[i];
		if (!next_line(&r)) {
			rc = bad(&r, "文件在第 %d 条不可用约束之前结束(头部声明 %d 条)",
				 "the file ends before constraint %d (the header announces %d)",
				 i + 1, in.n_unavailability);
			goto out;
		}
		if (r.n != 3) {
			rc = bad(&r, "不可用约束行应有 3 个字段(课程 天 节),实有 %d 个",
				 "an unavailability line needs 3 fields (course day period), found "
				 "%d",
				 r.n);
			goto out;
		}
		u->course = idmap_find(&courses, r.field[0], (size_t)r.flen[0]);
		if (u->course < 0) {
			rc = bad(&r, "不可用约束引用了未知课程 %s",
				 "the constraint names an unknown course %s",
				 shown(&r, 0, tmp, sizeof tmp));
			goto out;
		}
		if (!field_int(&r, 1, in.days - 1, &u->day) ||
		    !field_int(&r, 2, in.periods_per_day - 1, &u->period)) {
			rc = bad(&r, "天或节超出范围(天 0..%d,节 0..%d)",
				 "day or period out of range (day 0..%d, period 0..%d)",
				 in.days - 1, in.periods_per_day - 1);
			goto out;
		}
	}
	if (!next_line(&r) || r.n != 1 || !field_is(&r, 0, "END.")) {
		rc = bad(&r, "此处应为 END.(各节的行数是否与头部一致?)",
			 "expected END. here (do the section sizes match the header?)");
		goto out;
	}
	if (next_line(&r)) {
		rc = bad(&r, "END. 之后还有内容", "text after END.");
		goto out;
	}
	*out = in;
	memset(&in, 0, sizeof in);
out:
	if (r.n < 0 && !rc)
		rc = bad(&r, "字段过多", "too many fields");
	itc_instance_release(&in);
	free(courses.slot);
	free(teachers.slot);
	free(rooms.slot);
	free(curricula.slot);
	free(course_ids);
	free(room_ids);
	free(curr_ids);
	if (msg)
		*msg = r.msg;
	else
		free(r.msg);
	return rc;
}

void itc_instance_release(struct itc_instance *in)
{
	free(in->name);
	for (int i = 0; in->courses && i < in->n_courses; i++)
		free(in->courses[i].id);
	for (int i = 0; in->rooms && i < in->n_rooms; i++)
		free(in->rooms[i].id);
	for (int i = 0; in->curricula && i < in->n_curricula; i++) {
		free(in->curricula[i].id);
		free(in->curricula[i].courses);
	}
	for (int i = 0; in->teachers && i < in->n_teachers; i++)
		free(in->teachers[i]);
	free(in->courses);
	free(in->rooms);
	free(in->curricula);
	free(in->unavailability);
	free(in->teachers);
	memset(in, 0, sizeof *in);
}

struct tt_problem *itc_to_problem(const struct itc_instance *in)
{
	struct tt_problem *p = tt_problem_new(in->days, in->periods_per_day);
	struct tt_weights w = tt_weights_itc2007();
	tt_problem_set_weights(p, &w);
	for (int r = 0; r < in->n_rooms; r++)
		tt_add_room(p, in->rooms[r].id, in->rooms[r].capacity, 0);
	for (int t = 0; t < in->n_teachers; t++)
		tt_add_teacher(p, in->teachers[t]);
	for (int q = 0; q < in->n_curricula; q++)
		tt_add_group(p, in->curricula[q].id, 0);
	for (int c = 0; c < in->n_courses; c++) {
		const struct itc_course *ic = &in->courses[c];
		tt_add_course(p, ic->id, ic->min_days, ic->students);
		tt_course_add_teacher(p, c, ic->teacher);
	}
	for (int q = 0; q < in->n_curricula; q++)
		for (int k = 0; k < in->curricula[q].n_courses; k++)
			tt_course_add_group(p, in->curricula[q].courses[k], q);
	for (int i = 0; i < in->n_unavailability; i++) {
		const struct itc_unavailability *u = &in->unavailability[i];
		tt_course_forbid(p, u->course, u->day * in->periods_per_day + u->period);
	}
	for (int c = 0; c < in->n_courses; c++)
		for (int k = 0; k < in->courses[c].lectures; k++)
			tt_add_event(p, c, NULL, TT_ANY_ROOM);
	return p;
}

void itc_write_solution(const struct itc_instance *in, const struct tt_problem *p,
			const struct tt_solution *s, struct buf *out)
{
	for (int e = 0; e < s->n_events; e++) {
		int c = tt_event_course(p, e), q = s->period[e], r = s->room[e];
		if (c < 0 || c >= in->n_courses || q < 0 || r < 0 || r >= in->n_rooms)
			continue;
		buf_printf(out, "%s %s %d %d\n", in->courses[c].id, in->rooms[r].id,
			   q / in->periods_per_day, q % in->periods_per_day);
	}
}
