/*
 * itc2007_validate.c — the independent UD2 validator for ITC-2007 track 3 solutions.
 *
 * Written apart from the engine on purpose: it reads the parsed instance and a solution text
 * and recomputes each cost straight from the competition's definitions, with plain tables
 * (course × period → room), no incremental tricks and no shared code with timetable_*.c. The
 * solver's claims are checked against it (the CLI prints its breakdown; the smoke benchmark
 * asserts that it agrees with the engine).
 *
 * Conventions, as in the organisers' validator: a course has at most one lecture per period
 * (a second line for the same course and period is not a distinct lecture, so it counts under
 * Lectures and is otherwise ignored); Lectures counts missing and surplus lectures per course;
 * Conflicts counts, per period, each pair of courses sharing a curriculum or a teacher that
 * both have a lecture then; RoomOccupancy counts the lectures beyond the first in a room and
 * period; compactness counts each lecture of a curriculum with no lecture of that curriculum
 * in the adjacent periods of the same day.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "engine/itc2007.h"

static const char *const hard_label[ITC_HARD__COUNT] = { "Lectures", "Conflicts", "Availability",
							 "RoomOccupancy" };
static const char *const soft_label[ITC_SOFT__COUNT] = { "RoomCapacity", "MinimumWorkingDays",
							 "CurriculumCompactness", "RoomStability" };
static const int soft_weight[ITC_SOFT__COUNT] = { 1, 5, 2, 1 };

static int lookup(const char *tok, size_t n, int count, const char *(*id)(const void *, int),
		  const void *ctx)
{
	for (int i = 0; i < count; i++) {
		const char *s = id(ctx, i);
		if (strlen(s) == n && !memcmp(s, tok, n))
			return i;
	}
	return -1;
}

static const char *course_id(const void *ctx, int i)
{
	return ((const struct itc_instance *)ctx)->courses[i].id;
}

static const char *room_id(const void *ctx, int i)
{
	return ((const struct itc_instance *)ctx)->rooms[i].id;
}

static bool number(const char *s, size_t n, int *out)
{
	if (n < 1 || n > 6)
		return false;
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

px_err itc_validate(const struct itc_instance *in, const char *sol, size_t len, const char *lang,
		    struct itc_cost *out, char **msg)
{
	bool en = px_lang_is_en(lang);
	int C = in->n_courses, R = in->n_rooms, D = in->days, S = in->periods_per_day, P = D * S;
	/* tt[c][p] = room + 1, 0 = no lecture */
	int *tt = xcalloc((size_t)C * P + 1, sizeof(int));
	long extra_lines = 0;
	px_err rc = PX_OK;
	char *err = NULL;
	memset(out, 0, sizeof *out);

	const char *p = sol, *end = sol + len;
	for (int line = 1; p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		const char *tok[5];
		size_t tl[5];
		int n = 0;
		for (const char *q = p; q < e;) {
			while (q < e && (*q == ' ' || *q == '\t' || *q == '\r'))
				q++;
			if (q >= e)
				break;
			const char *t = q;
			while (q < e && *q != ' ' && *q != '\t' && *q != '\r')
				q++;
			if (n < 5) {
				tok[n] = t;
				tl[n] = (size_t)(q - t);
			}
			n++;
		}
		p = nl ? nl + 1 : end;
		if (n == 0)
			continue;
		if (n != 4) {
			err = xasprintf(
				en ? "solution line %d: expected \"CourseID RoomID Day Period\""
				   : "解第 %d 行:应为“课程编号 教室编号 天 节”",
				line);
			rc = PX_ERR_BAD_FILE;
			goto out;
		}
		int c = lookup(tok[0], tl[0], C, course_id, in);
		int r = lookup(tok[1], tl[1], R, room_id, in);
		int d, s;
		if (c < 0 || r < 0) {
			err = xasprintf(
				en ? "solution line %d: unknown %s %.*s"
				   : "解第 %d 行:未知的%s %.*s",
				line, c < 0 ? (en ? "course" : "课程") : (en ? "room" : "教室"),
				(int)(c < 0 ? tl[0] : tl[1]) > 40 ? 40
								  : (int)(c < 0 ? tl[0] : tl[1]),
				c < 0 ? tok[0] : tok[1]);
			rc = PX_ERR_BAD_FILE;
			goto out;
		}
		if (!number(tok[2], tl[2], &d) || !number(tok[3], tl[3], &s) || d >= D || s >= S) {
			err = xasprintf(
				en ? "solution line %d: day or period out of range (day 0..%d, "
				     "period 0..%d)"
				   : "解第 %d 行:天或节超出范围(天 0..%d,节 0..%d)",
				line, D - 1, S - 1);
			rc = PX_ERR_BAD_FILE;
			goto out;
		}
		int *cell = &tt[(size_t)c * P + d * S + s];
		if (*cell)
			extra_lines++;
		else
			*cell = r + 1;
	}

	/* Lectures */
	for (int c = 0; c < C; c++) {
		int lectures = 0;
		for (int q = 0; q < P; q++)
			lectures += tt[(size_t)c * P + q] != 0;
		int diff = lectures - in->courses[c].lectures;
		out->hard[ITC_LECTURES] += diff < 0 ? -diff : diff;
	}
	out->hard[ITC_LECTURES] += extra_lines;

	/* Conflicts: pairs of courses sharing a teacher or a curriculum */
	unsigned char *conflict = xcalloc((size_t)C * C + 1, 1);
	for (int a = 0; a < C; a++)
		for (int b = 0; b < C; b++)
			if (a != b && in->courses[a].teacher == in->courses[b].teacher)
				conflict[(size_t)a * C + b] = 1;
	for (int k = 0; k < in->n_curricula; k++) {
		const struct itc_curriculum *q = &in->curricula[k];
		for (int i = 0; i < q->n_courses; i++)
			for (int j = 0; j < q->n_courses; j++)
				if (q->courses[i] != q->courses[j])
					conflict[(size_t)q->courses[i] * C + q->courses[j]] = 1;
	}
	for (int a = 0; a < C; a++)
		for (int b = a + 1; b < C; b++)
			if (conflict[(size_t)a * C + b])
				for (int q = 0; q < P; q++)
					if (tt[(size_t)a * P + q] && tt[(size_t)b * P + q])
						out->hard[ITC_CONFLICTS]++;
	free(conflict);

	/* Availability */
	for (int i = 0; i < in->n_unavailability; i++) {
		const struct itc_unavailability *u = &in->unavailability[i];
		if (tt[(size_t)u->course * P + u->day * S + u->period])
			out->hard[ITC_AVAILABILITY]++;
	}

	/* RoomOccupancy and RoomCapacity */
	for (int q = 0; q < P; q++)
		for (int r = 0; r < R; r++) {
			int n = 0;
			for (int c = 0; c < C; c++)
				if (tt[(size_t)c * P + q] == r + 1) {
					n++;
					int over = in->courses[c].students - in->rooms[r].capacity;
					if (over > 0)
						out->violations[ITC_ROOM_CAPACITY] += over;
				}
			if (n > 1)
				out->hard[ITC_ROOM_OCCUPANCY] += n - 1;
		}

	/* MinimumWorkingDays and RoomStability */
	for (int c = 0; c < C; c++) {
		int days = 0, rooms = 0;
		for (int d = 0; d < D; d++) {
			bool used = false;
			for (int s = 0; s < S; s++)
				used |= tt[(size_t)c * P + d * S + s] != 0;
			days += used;
		}
		for (int r = 0; r < R; r++) {
			bool used = false;
			for (int q = 0; q < P; q++)
				used |= tt[(size_t)c * P + q] == r + 1;
			rooms += used;
		}
		if (days < in->courses[c].min_days)
			out->violations[ITC_MIN_WORKING_DAYS] += in->courses[c].min_days - days;
		if (rooms > 1)
			out->violations[ITC_ROOM_STABILITY] += rooms - 1;
	}

	/* CurriculumCompactness */
	int *lect = xcalloc((size_t)P + 1, sizeof(int));
	for (int k = 0; k < in->n_curricula; k++) {
		const struct itc_curriculum *q = &in->curricula[k];
		for (int t = 0; t < P; t++) {
			lect[t] = 0;
			for (int i = 0; i < q->n_courses; i++)
				lect[t] += tt[(size_t)q->courses[i] * P + t] != 0;
		}
		for (int d = 0; d < D; d++)
			for (int s = 0; s < S; s++) {
				int t = d * S + s;
				if (!lect[t])
					continue;
				bool prev = s > 0 && lect[t - 1];
				bool next = s < S - 1 && lect[t + 1];
				if (!prev && !next)
					out->violations[ITC_CURRICULUM_COMPACTNESS] += lect[t];
			}
	}
	free(lect);

	for (int h = 0; h < ITC_HARD__COUNT; h++)
		out->hard_total += out->hard[h];
	for (int k = 0; k < ITC_SOFT__COUNT; k++) {
		out->soft[k] = out->violations[k] * soft_weight[k];
		out->soft_total += out->soft[k];
	}
out:
	free(tt);
	if (rc)
		memset(out, 0, sizeof *out);
	if (msg)
		*msg = err;
	else
		free(err);
	return rc;
}

void itc_cost_print(const struct itc_cost *c, struct buf *out)
{
	for (int h = 0; h < ITC_HARD__COUNT; h++)
		buf_printf(out, "%-22s (hard) %6ld\n", hard_label[h], c->hard[h]);
	for (int k = 0; k < ITC_SOFT__COUNT; k++)
		buf_printf(out, "%-22s (soft) %6ld  (%ld violations × %d)\n", soft_label[k],
			   c->soft[k], c->violations[k], soft_weight[k]);
	buf_printf(out, "Hard violations        %13ld\n", c->hard_total);
	buf_printf(out, "Total cost (UD2)       %13ld\n", c->soft_total);
}
