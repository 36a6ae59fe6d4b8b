/*
 * timetable_doc.c — see timetable_doc.h.
 *
 * The PDF is drawn on a cairo PDF surface streamed into the caller's buffer; text goes
 * through pango (layouts with a width wrap by word and CJK character), so fonts are embedded
 * as subsets. Column widths share the page evenly among the days shown on it; each slot's
 * row is as tall as its fullest cell (page()), so no text is ever cut off.
 */
#include "files/timetable_doc.h"

#include <cairo-pdf.h>
#include <libical/ical.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "files/pdf.h"

#define PAGE_W        842.0 /* A4 landscape, points */
#define PAGE_H        595.0
#define MARGIN        28.0
#define DAYS_PER_PAGE 8 /* a week and a day: the seed's 8-day class fits one page */

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int length)
{
	struct buf *b = closure;
	buf_add(b, data, length);
	return b->err ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static const char *weekday(int32_t d, bool en)
{
	static const char *const zh[] = { "星期一", "星期二", "星期三", "星期四",
					  "星期五", "星期六", "星期日" };
	static const char *const e[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	return en ? e[date_weekday(d)] : zh[date_weekday(d)];
}

/* The text of one session in a cell: its kind (unless the topic says it already:
 * "开班式暨…"), the topic, then lecturers and rooms. Into out (size bytes). */
static void item_text(const struct tdoc_item *it, char *out, size_t size)
{
	const char *kind = it->kind_label ? it->kind_label : "";
	if (*kind && !strncmp(it->topic, kind, strlen(kind)))
		kind = "";
	bool experts = it->experts && *it->experts, room = it->room && *it->room;
	snprintf(out, size, "%s%s%s%s%s%s%s", kind, *kind ? " · " : "", it->topic,
		 experts || room ? "\n" : "", experts ? it->experts : "",
		 experts && room ? " · " : "", room ? it->room : "");
}

#define ITEM_GAP 5.0 /* between two sessions of a cell */
#define CELL_PAD 4.0

/* The height the sessions of (day, slot) take in a column of width w at font `style`. */
static double cell_height(cairo_t *cr, const struct tdoc *d, const char *day, int slot, double w,
			  const char *style)
{
	double h = 0;
	char body[1024];
	for (size_t k = 0; k < d->n; k++) {
		const struct tdoc_item *it = &d->items[k];
		if (it->slot != slot || strcmp(it->day, day))
			continue;
		item_text(it, body, sizeof body);
		h += (h > 0 ? ITEM_GAP : 0) + pdf_text_height(cr, body, w, style);
	}
	return h;
}

/*
 * One page: the title and subtitle, a grid of `days` days from `from` × the three slots,
 * and the footer. Nothing in a cell is cut off: each slot's row is as tall as its fullest
 * cell needs, the height left over is shared out evenly, and when the rows do not fit at
 * 7.5 pt the sessions are set smaller (down to 5.5 pt) until they do.
 */
static void page(cairo_t *cr, const struct tdoc *d, int32_t from, int days, int page_no, int pages)
{
	bool en = d->lang && !strncmp(d->lang, "en", 2);
	cairo_set_source_rgb(cr, 0.65, 0.10, 0.10);
	double y = MARGIN;
	y += pdf_text(cr, d->title, MARGIN, y, PAGE_W - 2 * MARGIN, 0, "Bold 15", true) + 4;
	cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
	if (d->subtitle)
		y += pdf_text(cr, d->subtitle, MARGIN, y, PAGE_W - 2 * MARGIN, 0, "9", true) + 8;
	/* the footer, from the bottom up: it may take two lines */
	char foot[1024], when[64] = "";
	if (d->printed[0])
		snprintf(when, sizeof when, en ? "printed %s · " : "打印日期 %s · ", d->printed);
	snprintf(foot, sizeof foot, en ? "%s%s%spage %d of %d" : "%s%s%s第 %d 页,共 %d 页",
		 d->footer ? d->footer : "", d->footer && *d->footer ? " · " : "", when, page_no,
		 pages);
	double footer_h = pdf_text_height(cr, foot, PAGE_W - 2 * MARGIN, "7.5") + 8;
	double label_w = en ? 72 : 62; /* "Afternoon" in bold on one line */
	double col_w = (PAGE_W - 2 * MARGIN - label_w) / days;
	double head_h = 30;
	double avail = PAGE_H - y - MARGIN - footer_h - head_h;
	double x0 = MARGIN, y0 = y;
	/* the rows' heights at the largest size that fits */
	static const char *const sizes[] = { "7.5", "7", "6.5", "6", "5.5" };
	const char *style = sizes[0];
	char labels[3][96];
	double label_h[3], need[3];
	for (int sl = 0; sl < 3; sl++) {
		snprintf(labels[sl], sizeof labels[sl], "%s\n%s",
			 d->slot_labels[sl] ? d->slot_labels[sl] : "",
			 d->slot_times[sl] ? d->slot_times[sl] : "");
		label_h[sl] = pdf_text_height(cr, labels[sl], label_w - 4, "Bold 9");
	}
	for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
		style = sizes[z];
		double total = 0;
		for (int sl = 0; sl < 3; sl++) {
			need[sl] = label_h[sl] + 2 * CELL_PAD; /* the slot's label */
			for (int i = 0; i < days; i++) {
				char day[11];
				date_format(from + i, day);
				double h =
					cell_height(cr, d, day, sl, col_w - 2 * CELL_PAD, style) +
					2 * CELL_PAD;
				if (h > need[sl])
					need[sl] = h;
			}
			total += need[sl];
		}
		if (total <= avail)
			break;
	}
	double spare = avail - need[0] - need[1] - need[2];
	double row_h[3];
	for (int sl = 0; sl < 3; sl++)
		row_h[sl] = need[sl] + (spare > 0 ? spare / 3 : 0);
	/* header */
	cairo_set_source_rgb(cr, 0.96, 0.91, 0.90);
	cairo_rectangle(cr, x0, y0, PAGE_W - 2 * MARGIN, head_h);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
	for (int i = 0; i < days; i++) {
		int yy, m, dd;
		date_to_ymd(from + i, &yy, &m, &dd);
		char h[64];
		if (en)
			snprintf(h, sizeof h, "%s %d/%d", weekday(from + i, true), m, dd);
		else
			snprintf(h, sizeof h, "%d月%d日 %s", m, dd, weekday(from + i, false));
		pdf_text(cr, h, x0 + label_w + i * col_w + 2, y0 + 8, col_w - 4, 0, "Bold 9", true);
	}
	double ry = y0 + head_h;
	for (int sl = 0; sl < 3; sl++) {
		pdf_text(cr, labels[sl], x0 + 2, ry + (row_h[sl] - label_h[sl]) / 2, label_w - 4, 0,
			 "Bold 9", true);
		for (int i = 0; i < days; i++) {
			char day[11];
			date_format(from + i, day);
			double cx = x0 + label_w + i * col_w + CELL_PAD, cy = ry + CELL_PAD;
			for (size_t k = 0; k < d->n; k++) {
				const struct tdoc_item *it = &d->items[k];
				if (it->slot != sl || strcmp(it->day, day))
					continue;
				char body[1024];
				item_text(it, body, sizeof body);
				cairo_set_source_rgb(cr, 0.12, 0.12, 0.12);
				cy += pdf_text(cr, body, cx, cy, col_w - 2 * CELL_PAD, 0, style,
					       false) +
				      ITEM_GAP;
			}
		}
		ry += row_h[sl];
	}
	/* grid lines */
	cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
	cairo_set_line_width(cr, 0.6);
	double table_h = ry - y0;
	cairo_rectangle(cr, x0, y0, PAGE_W - 2 * MARGIN, table_h);
	for (int i = 0; i <= days; i++) {
		double x = x0 + label_w + i * col_w;
		cairo_move_to(cr, x, y0);
		cairo_line_to(cr, x, y0 + table_h);
	}
	double yy = y0 + head_h;
	for (int sl = 0; sl <= 3; sl++) {
		cairo_move_to(cr, x0, yy);
		cairo_line_to(cr, PAGE_W - MARGIN, yy);
		if (sl < 3)
			yy += row_h[sl];
	}
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
	pdf_text(cr, foot, MARGIN, ry + 6, PAGE_W - 2 * MARGIN, 0, "7.5", true);
}

px_err tdoc_pdf(const struct tdoc *d, struct buf *out)
{
	int32_t first = date_parse(d->first_day, strlen(d->first_day));
	int32_t last = date_parse(d->last_day, strlen(d->last_day));
	if (first == DATE_NONE || last == DATE_NONE || last < first || last - first > 400)
		return PX_ERR_INVALID;
	int total = last - first + 1;
	int pages = (total + DAYS_PER_PAGE - 1) / DAYS_PER_PAGE;
	cairo_surface_t *surface =
		cairo_pdf_surface_create_for_stream(write_buf, out, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, d->title);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "peixun");
	cairo_t *cr = cairo_create(surface);
	for (int p = 0; p < pages; p++) {
		int days = total - p * DAYS_PER_PAGE;
		if (days > DAYS_PER_PAGE)
			days = DAYS_PER_PAGE;
		page(cr, d, first + p * DAYS_PER_PAGE, days, p + 1, pages);
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	cairo_status_t st = cairo_surface_status(surface);
	cairo_surface_destroy(surface);
	if (out->err)
		return out->err;
	return st == CAIRO_STATUS_SUCCESS ? PX_OK : PX_ERR_IO;
}

/* "YYYY-MM-DD" + "HH:MM" Beijing time → a UTC icaltimetype. */
static struct icaltimetype utc_time(const char *day, const char *hm)
{
	int h = 0, m = 0;
	sscanf(hm, "%d:%d", &h, &m);
	int32_t d = date_parse(day, strlen(day));
	int64_t t = (int64_t)d * 86400 + h * 3600 + m * 60 - 8 * 3600;
	return icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
}

px_err tdoc_ics(const struct tdoc *d, struct buf *out)
{
	icalcomponent *cal =
		icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
				    icalproperty_new_prodid("-//peixun//timetable//ZH"),
				    icalproperty_new_calscale("GREGORIAN"),
				    icalproperty_new_method(ICAL_METHOD_PUBLISH), (void *)0);
	icalproperty *name = icalproperty_new_x(d->title);
	icalproperty_set_x_name(name, "X-WR-CALNAME");
	icalcomponent_add_property(cal, name);
	struct icaltimetype now = icaltime_current_time_with_zone(icaltimezone_get_utc_timezone());
	for (size_t i = 0; i < d->n; i++) {
		const struct tdoc_item *it = &d->items[i];
		if (!it->day[0] || it->slot < 0)
			continue;
		char uid[64], summary[512], location[300], desc[1024];
		if (it->uid)
			snprintf(uid, sizeof uid, "%s", it->uid);
		else
			snprintf(uid, sizeof uid, "session-%lld@peixun", (long long)it->id);
		snprintf(summary, sizeof summary, "%s%s%s", it->kind_label ? it->kind_label : "",
			 it->kind_label && *it->kind_label ? ":" : "", it->topic);
		snprintf(location, sizeof location, "%s%s%s", it->site ? it->site : "",
			 it->site && *it->site && it->room && *it->room ? " " : "",
			 it->room ? it->room : "");
		snprintf(desc, sizeof desc, "%s%s%s", it->class_name ? it->class_name : "",
			 it->experts && *it->experts ? "\n" : "", it->experts ? it->experts : "");
		icalcomponent *ev =
			icalcomponent_vanew(ICAL_VEVENT_COMPONENT, icalproperty_new_uid(uid),
					    icalproperty_new_dtstamp(now),
					    icalproperty_new_dtstart(utc_time(it->day, it->start)),
					    icalproperty_new_dtend(utc_time(it->day, it->end)),
					    icalproperty_new_summary(summary), (void *)0);
		if (*location)
			icalcomponent_add_property(ev, icalproperty_new_location(location));
		if (*desc)
			icalcomponent_add_property(ev, icalproperty_new_description(desc));
		icalcomponent_add_component(cal, ev);
	}
	char *text = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	if (!text)
		return PX_ERR_INTERNAL;
	buf_puts(out, text);
	free(text);
	return out->err;
}
