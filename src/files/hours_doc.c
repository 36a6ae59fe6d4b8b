/*
 * hours_doc.c — see hours_doc.h.
 *
 * Drawn twice: once to count the pages (the footer says "第 1 页，共 3 页"), once to keep.
 * Rows are as tall as their wrapped text; a row that does not fit goes to the next page
 * under a repeated head, so nothing is ever cut off.
 */
#include "files/hours_doc.h"

#include <cairo-pdf.h>
#include <qrencode.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "files/pdf.h"

#define PAGE_W   595.0 /* A4 portrait, points */
#define PAGE_H   842.0
#define MARGIN   48.0
#define FOOT_H   30.0
#define QR_SIZE  78.0
#define CELL_PAD 4.0

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int length)
{
	struct buf *b = closure;
	buf_add(b, data, length);
	return b->err ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* Hundredths as a decimal without trailing zeros: 9000 → "90", 8950 → "89.5". */
static const char *amount(int64_t centi, char *out, size_t size)
{
	const char *sign = centi < 0 ? "-" : "";
	int64_t a = centi < 0 ? -centi : centi;
	if (a % 100 == 0)
		snprintf(out, size, "%s%lld", sign, (long long)(a / 100));
	else if (a % 10 == 0)
		snprintf(out, size, "%s%lld.%lld", sign, (long long)(a / 100),
			 (long long)(a % 100 / 10));
	else
		snprintf(out, size, "%s%lld.%02lld", sign, (long long)(a / 100),
			 (long long)(a % 100));
	return out;
}

struct layout {
	cairo_t *cr;
	const struct hdoc *d;
	bool en;
	int page, pages;
	double y;
};

static const char *tr(const struct layout *l, const char *zh, const char *en)
{
	return l->en ? en : zh;
}

static void footer(struct layout *l)
{
	char foot[256];
	if (l->en)
		snprintf(foot, sizeof foot, "Verification number %s · page %d of %d",
			 l->d->verify_code, l->page, l->pages);
	else
		snprintf(foot, sizeof foot, "验证码 %s · 第 %d 页，共 %d 页", l->d->verify_code,
			 l->page, l->pages);
	cairo_set_source_rgb(l->cr, 0.35, 0.35, 0.35);
	pdf_text(l->cr, foot, MARGIN, PAGE_H - MARGIN + 10, PAGE_W - 2 * MARGIN, 0, "7.5", true);
	cairo_set_source_rgb(l->cr, 0, 0, 0);
}

static void new_page(struct layout *l)
{
	footer(l);
	cairo_show_page(l->cr);
	l->page++;
	l->y = MARGIN;
}

/* A table: its columns' widths (shares of the text width) and alignments. */
struct table {
	size_t n;
	const double *share;
	const bool *center;
};

static double row_height(struct layout *l, const struct table *t, const char *const *cells,
			 const char *style)
{
	double w = PAGE_W - 2 * MARGIN, h = 0;
	for (size_t i = 0; i < t->n; i++) {
		double ch = pdf_text_height(l->cr, cells[i], t->share[i] * w - 2 * CELL_PAD, style);
		if (ch > h)
			h = ch;
	}
	return h + 2 * CELL_PAD;
}

static void draw_row(struct layout *l, const struct table *t, const char *const *cells,
		     const char *style, double h, bool shade)
{
	double w = PAGE_W - 2 * MARGIN, x = MARGIN;
	if (shade) {
		cairo_set_source_rgb(l->cr, 0.93, 0.94, 0.96);
		cairo_rectangle(l->cr, MARGIN, l->y, w, h);
		cairo_fill(l->cr);
		cairo_set_source_rgb(l->cr, 0, 0, 0);
	}
	for (size_t i = 0; i < t->n; i++) {
		double cw = t->share[i] * w;
		pdf_text(l->cr, cells[i], x + CELL_PAD, l->y + CELL_PAD, cw - 2 * CELL_PAD, 0,
			 style, t->center[i]);
		x += cw;
	}
	cairo_set_line_width(l->cr, 0.5);
	cairo_set_source_rgb(l->cr, 0.55, 0.55, 0.55);
	cairo_rectangle(l->cr, MARGIN, l->y, w, h);
	x = MARGIN;
	for (size_t i = 0; i + 1 < t->n; i++) {
		x += t->share[i] * w;
		cairo_move_to(l->cr, x, l->y);
		cairo_line_to(l->cr, x, l->y + h);
	}
	cairo_stroke(l->cr);
	cairo_set_source_rgb(l->cr, 0, 0, 0);
	l->y += h;
}

static double bottom(void)
{
	return PAGE_H - MARGIN - FOOT_H;
}

/* Rows under a head that is repeated on every page the table runs onto. */
static void table_rows(struct layout *l, const struct table *t, const char *const *head,
		       const char *const *cells, size_t rows)
{
	double hh = row_height(l, t, head, "Bold 9");
	if (l->y + hh + 20 > bottom())
		new_page(l);
	draw_row(l, t, head, "Bold 9", hh, true);
	for (size_t r = 0; r < rows; r++) {
		const char *const *row = cells + r * t->n;
		double h = row_height(l, t, row, "9");
		if (l->y + h > bottom()) {
			new_page(l);
			draw_row(l, t, head, "Bold 9", hh, true);
		}
		draw_row(l, t, row, "9", h, false);
	}
}

static void heading(struct layout *l, const char *text)
{
	if (l->y + 40 > bottom())
		new_page(l);
	l->y += 10;
	l->y += pdf_text(l->cr, text, MARGIN, l->y, PAGE_W - 2 * MARGIN, 0, "Bold 11", false) + 4;
}

static void qr(cairo_t *cr, const QRcode *q, double x, double y, double size)
{
	double m = size / (q->width + 2); /* a quiet zone of one module */
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, size, size);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int r = 0; r < q->width; r++)
		for (int c = 0; c < q->width; c++)
			if (q->data[r * q->width + c] & 1)
				cairo_rectangle(cr, x + (c + 1) * m, y + (r + 1) * m, m, m);
	cairo_fill(cr);
}

static void particulars(struct layout *l)
{
	static const double share[] = { 0.14, 0.36, 0.14, 0.36 };
	static const bool center[] = { true, false, true, false };
	const struct table t = { 4, share, center };
	const struct hdoc *d = l->d;
	const char *cells[] = {
		tr(l, "姓名", "Name"),     d->name, tr(l, "性别", "Gender"),     d->gender,
		tr(l, "工作单位", "Unit"), d->unit, tr(l, "职务", "Post"),       d->post,
		tr(l, "职级", "Rank"),     d->rank, tr(l, "身份证号", "ID no."), d->id_masked,
	};
	for (size_t r = 0; r < 3; r++) {
		const char *const *row = cells + r * 4;
		draw_row(l, &t, row, "10", row_height(l, &t, row, "10"), false);
	}
	static const double share2[] = { 0.14, 0.86 };
	static const bool center2[] = { true, false };
	const struct table t2 = { 2, share2, center2 };
	const char *period[] = { tr(l, "统计期间", "Period"), d->period };
	draw_row(l, &t2, period, "10", row_height(l, &t2, period, "10"), false);
}

static void years(struct layout *l)
{
	static const double share[] = { 0.11, 0.16, 0.12, 0.13, 0.48 };
	static const bool center[] = { true, true, true, true, false };
	const struct table t = { 5, share, center };
	const char *head[] = { tr(l, "年度", "Year"), tr(l, "集中学时", "Centralized"),
			       tr(l, "集中天数", "Days"), tr(l, "网络学时", "Online"),
			       tr(l, "达标情况", "Standing") };
	const struct hdoc *d = l->d;
	size_t n = d->n_years;
	const char *cells[5 * 64];
	char text[64][4][24];
	if (n > 64)
		n = 64;
	for (size_t i = 0; i < n; i++) {
		const struct hdoc_year *y = &d->years[i];
		snprintf(text[i][0], sizeof text[i][0], "%d", y->year);
		amount(y->centi_hours, text[i][1], sizeof text[i][1]);
		amount(y->centi_days, text[i][2], sizeof text[i][2]);
		amount(y->online_centi_hours, text[i][3], sizeof text[i][3]);
		for (int k = 0; k < 4; k++)
			cells[i * 5 + k] = text[i][k];
		cells[i * 5 + 4] = y->standing ? y->standing : "";
	}
	table_rows(l, &t, head, cells, n);
}

static void entries(struct layout *l)
{
	static const double share[] = { 0.15, 0.42, 0.12, 0.13, 0.09, 0.09 };
	static const bool center[] = { true, false, true, true, true, true };
	const struct table t = { 6, share, center };
	const char *head[] = { tr(l, "日期", "Date"),  tr(l, "培训项目", "Training"),
			       tr(l, "类别", "Kind"),  tr(l, "来源", "Source"),
			       tr(l, "学时", "Hours"), tr(l, "天数", "Days") };
	const struct hdoc *d = l->d;
	double hh = row_height(l, &t, head, "Bold 9");
	if (l->y + hh + 20 > bottom())
		new_page(l);
	draw_row(l, &t, head, "Bold 9", hh, true);
	for (size_t i = 0; i < d->n_entries; i++) {
		const struct hdoc_entry *e = &d->entries[i];
		char h[24], dd[24];
		const char *row[] = { e->date,
				      e->title,
				      e->kind,
				      e->source,
				      amount(e->centi_hours, h, sizeof h),
				      amount(e->centi_days, dd, sizeof dd) };
		double rh = row_height(l, &t, row, "9");
		if (l->y + rh > bottom()) {
			new_page(l);
			draw_row(l, &t, head, "Bold 9", hh, true);
		}
		draw_row(l, &t, row, "9", rh, false);
	}
	if (d->n_entries == 0) {
		const char *none[] = { "", tr(l, "（无记录）", "(none)"), "", "", "", "" };
		draw_row(l, &t, none, "9", row_height(l, &t, none, "9"), false);
	}
}

/* The statement, the issuer and date, and the QR code with its number: kept together. */
static void closing(struct layout *l, const QRcode *q)
{
	const struct hdoc *d = l->d;
	double need = QR_SIZE + 40;
	if (l->y + need > bottom())
		new_page(l);
	l->y += 14;
	double w = PAGE_W - 2 * MARGIN - QR_SIZE - 16;
	double y0 = l->y;
	l->y += pdf_text(l->cr,
			 tr(l, "兹证明该同志在上述期间参加干部教育培训的情况如上表所列。",
			    "This certifies the cadre's training in the period above as listed."),
			 MARGIN, l->y, w, 0, "10", false) +
		8;
	char line[512];
	snprintf(line, sizeof line, "%s%s", tr(l, "出具单位：", "Issued by: "), d->issuer);
	l->y += pdf_text(l->cr, line, MARGIN, l->y, w, 0, "10", false) + 4;
	snprintf(line, sizeof line, "%s%s", tr(l, "出具日期：", "Date of issue: "), d->printed);
	l->y += pdf_text(l->cr, line, MARGIN, l->y, w, 0, "10", false) + 4;
	snprintf(line, sizeof line, "%s%s", tr(l, "验证码：", "Verification number: "),
		 d->verify_code);
	l->y += pdf_text(l->cr, line, MARGIN, l->y, w, 0, "10", false) + 4;
	l->y += pdf_text(l->cr,
			 tr(l, "扫描右侧二维码或访问验证地址核验本证明。",
			    "Scan the code or visit the verification address to check it."),
			 MARGIN, l->y, w, 0, "8", false);
	double qx = PAGE_W - MARGIN - QR_SIZE;
	qr(l->cr, q, qx, y0, QR_SIZE);
	if (l->y < y0 + QR_SIZE)
		l->y = y0 + QR_SIZE;
}

static void document(struct layout *l, const QRcode *q)
{
	const struct hdoc *d = l->d;
	l->page = 1;
	l->y = MARGIN;
	l->y += pdf_text(l->cr, tr(l, "干部教育培训学时证明", "Certificate of Training Hours"),
			 MARGIN, l->y, PAGE_W - 2 * MARGIN, 0, "Bold 20", true) +
		6;
	l->y += pdf_text(l->cr, d->issuer, MARGIN, l->y, PAGE_W - 2 * MARGIN, 0, "10", true) + 14;
	particulars(l);
	heading(l, tr(l, "年度学时", "Hours (学时) and days by year"));
	years(l);
	heading(l, tr(l, "培训记录", "Training record"));
	entries(l);
	closing(l, q);
	footer(l);
	cairo_show_page(l->cr);
}

px_err hdoc_pdf(const struct hdoc *d, struct buf *out)
{
	QRcode *q = QRcode_encodeString(d->verify_url ? d->verify_url : "", 0, QR_ECLEVEL_M,
					QR_MODE_8, 1);
	if (!q)
		return PX_ERR_INVALID;
	struct layout l = { .d = d, .en = px_lang_is_en(d->lang) };
	/* count the pages on a surface that keeps nothing */
	struct buf scratch;
	buf_init(&scratch, 1 << 16);
	cairo_surface_t *s =
		cairo_pdf_surface_create_for_stream(write_buf, &scratch, PAGE_W, PAGE_H);
	l.cr = cairo_create(s);
	l.pages = 1;
	document(&l, q);
	int pages = l.page;
	cairo_destroy(l.cr);
	cairo_surface_destroy(s);
	buf_release(&scratch);

	s = cairo_pdf_surface_create_for_stream(write_buf, out, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
				       l.en ? "Certificate of Training Hours"
					    : "干部教育培训学时证明");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "peixun");
	l.cr = cairo_create(s);
	l.pages = pages;
	document(&l, q);
	cairo_destroy(l.cr);
	cairo_surface_finish(s);
	cairo_status_t st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	QRcode_free(q);
	if (out->err)
		return out->err;
	return st == CAIRO_STATUS_SUCCESS ? PX_OK : PX_ERR_IO;
}
