/*
 * timetable_doc.h — a timetable as a printable PDF (cairo + pango) and as an iCalendar
 * file (libical).
 *
 * The caller lays the timetable out as data — a title, the days, the three half-day slots
 * and the placed sessions — and gets the bytes back. The PDF is A4 landscape, a grid of
 * days × 上午/下午/晚上 (up to seven days a page), Chinese set in Noto Sans CJK with proper
 * line breaking; the iCalendar file has one event per session in UTC (the times are
 * Beijing time, UTC+8), so any phone's calendar shows them right.
 */
#ifndef PX_TIMETABLE_DOC_H
#define PX_TIMETABLE_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

struct tdoc_item {
	int64_t id;
	const char *uid;         /* the calendar's UID; NULL: "session-<id>@peixun" */
	char day[11];            /* YYYY-MM-DD */
	int slot;                /* 0..2 */
	const char *start, *end; /* "08:30" */
	const char *kind_label;
	const char *topic;
	const char *experts; /* names joined, "" when none */
	const char *room;    /* room name(s), "" when none */
	const char *site;    /* where the room is */
	const char *class_name;
};

struct tdoc {
	const char *title;
	const char *subtitle;
	const char *lang;
	char first_day[11], last_day[11];
	const char *slot_labels[3];
	const char *slot_times[3]; /* "08:30–11:30" */
	const struct tdoc_item *items;
	size_t n;
	const char *footer; /* who is behind it: organizer, contact (may be "") */
	char printed[11];   /* the day it is printed, YYYY-MM-DD ("" leaves it out) */
};

/* A4 landscape PDF of the grid into out. PX_ERR_INVALID for a bad date range. */
px_err tdoc_pdf(const struct tdoc *d, struct buf *out);
/* iCalendar (RFC 5545) into out: one VEVENT per item, UID "session-<id>@peixun" unless the
 * item names its own; LOCATION and DESCRIPTION only when there is something to say. */
px_err tdoc_ics(const struct tdoc *d, struct buf *out);

#endif
