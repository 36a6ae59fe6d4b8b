/*
 * hours_doc.h — a cadre's 学时证明 (certificate of training hours) as a printable PDF.
 *
 * The caller lays the record out as data — who, the yearly totals with their standing, the
 * entries — and gets the bytes back: A4 portrait, the issuing institution at the head, the
 * cadre's particulars (no ID number beyond its masked form), a table of years, the entries
 * (continued over as many pages as they need, the table's head repeated), and at the foot
 * the verification number, a QR code of the verification address (libqrencode) and the page
 * numbers. Chinese is set in the PDFs' font (files/pdf.h).
 */
#ifndef PX_HOURS_DOC_H
#define PX_HOURS_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

struct hdoc_year {
	int year;
	int64_t centi_hours; /* centralized 学时, hundredths */
	int64_t centi_days;
	int64_t online_centi_hours;
	const char *standing; /* "已达标", "逾期未完成 · 尚差 2 天或 14.5 学时" … ("" none) */
};

struct hdoc_entry {
	const char *date; /* YYYY-MM-DD (its end) */
	const char *title;
	const char *kind;   /* label: 集中培训 / 网络培训 */
	const char *source; /* label: 培训班 / 网络学院 / 外部培训认定 … */
	int64_t centi_hours;
	int64_t centi_days;
};

struct hdoc {
	const char *lang;
	const char *issuer; /* the institution that issues it: 中共南安市委组织部 */
	const char *name;   /* the cadre */
	const char *gender; /* label */
	const char *unit;
	const char *post;
	const char *rank;      /* rank level (and grade) label */
	const char *id_masked; /* "350583********0012" */
	const char *period;    /* "2019—2023 年" */
	const struct hdoc_year *years;
	size_t n_years;
	const struct hdoc_entry *entries;
	size_t n_entries;
	const char *verify_code; /* printed beside the QR code */
	const char *verify_url;  /* what the QR code holds */
	char printed[11];        /* the day it is issued, YYYY-MM-DD */
};

/* A4 portrait PDF into out. PX_ERR_INVALID when the verification address cannot be encoded
 * as a QR code. */
px_err hdoc_pdf(const struct hdoc *d, struct buf *out);

#endif
