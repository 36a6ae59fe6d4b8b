/*
 * xlsx_numfmt.c — telling date formats from the others, and OOXML's _xHHHH_ escapes.
 *
 * An .xlsx stores a date as a plain number (days since 1900) whose cell style points at a
 * number format; only the format says "this is a date". Built-in formats are known by id
 * (a table below; ids 27–36 and 50–58 are the ones Excel uses for Chinese, Japanese and
 * Korean dates such as yyyy"年"m"月"d"日"). A custom format is classified by scanning its
 * code the way Excel tokenizes it: quoted text, backslash escapes, _x and *x fillers and
 * [bracketed] colours or locales are skipped; then y or d means a date, h or s a time, and
 * m is a month unless it sits among time tokens. An elapsed time such as [h]:mm is a
 * duration, not a date, so it is TIME.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "files/xlsx_int.h"

struct builtin_range {
	uint8_t first, last;
	uint8_t kind;
};

static const struct builtin_range builtin_ranges[] = {
	{ 14, 17, XLSX_NUMFMT_DATE }, /* m/d/yyyy, d-mmm-yy, d-mmm, mmm-yy */
	{ 18, 21, XLSX_NUMFMT_TIME }, /* h:mm AM/PM, h:mm:ss AM/PM, h:mm, h:mm:ss */
	{ 22, 22, XLSX_NUMFMT_DATE }, /* m/d/yyyy h:mm */
	{ 27, 31, XLSX_NUMFMT_DATE }, /* zh-CN: yyyy"年"m"月", m"月"d"日", yyyy"年"m"月"d"日" … */
	{ 32, 35, XLSX_NUMFMT_TIME },                               /* zh-CN: h"时"mm"分" … */
	{ 36, 36, XLSX_NUMFMT_DATE }, { 45, 47, XLSX_NUMFMT_TIME }, /* mm:ss, [h]:mm:ss, mmss.0 */
	{ 50, 54, XLSX_NUMFMT_DATE }, { 55, 56, XLSX_NUMFMT_TIME }, /* 上午/下午h"时"mm"分" … */
	{ 57, 58, XLSX_NUMFMT_DATE },
};

enum xlsx_numfmt_kind xlsx_numfmt_builtin(unsigned id)
{
	for (size_t i = 0; i < sizeof builtin_ranges / sizeof builtin_ranges[0]; i++)
		if (id >= builtin_ranges[i].first && id <= builtin_ranges[i].last)
			return (enum xlsx_numfmt_kind)builtin_ranges[i].kind;
	return XLSX_NUMFMT_GENERAL;
}

/* A bracket holding only h, m or s letters ([h], [mm], [ss]) is an elapsed-time token. */
static int elapsed_token(const char *p, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strchr("hHmMsS", p[i]))
			return 0;
	return 1;
}

enum xlsx_numfmt_kind xlsx_numfmt_classify(const char *code)
{
	int date = 0, time = 0, month_or_minute = 0;
	for (const char *p = code; *p && *p != ';'; p++) {
		switch (*p) {
		case '"': {
			const char *q = strchr(p + 1, '"');
			if (!q)
				goto done;
			p = q;
			break;
		}
		case '\\':
		case '_':
		case '*':
			if (!p[1])
				goto done;
			p++;
			break;
		case '[': {
			const char *q = strchr(p + 1, ']');
			if (!q)
				goto done;
			if (elapsed_token(p + 1, (size_t)(q - p - 1)))
				time = 1;
			p = q;
			break;
		}
		case 'G':
		case 'g':
			if (strncasecmp(p, "General", 7) == 0)
				p += 6;
			break;
		case 'A':
		case 'a':
			if (strncasecmp(p, "AM/PM", 5) == 0) {
				time = 1;
				p += 4;
			} else if (strncasecmp(p, "A/P", 3) == 0) {
				time = 1;
				p += 2;
			}
			break;
		case 'y':
		case 'Y':
		case 'd':
		case 'D': date = 1; break;
		case 'h':
		case 'H':
		case 's':
		case 'S': time = 1; break;
		case 'm':
		case 'M': month_or_minute = 1; break;
		default: break;
		}
	}
done:
	if (date || (month_or_minute && !time))
		return XLSX_NUMFMT_DATE;
	if (time || month_or_minute)
		return XLSX_NUMFMT_TIME;
	return XLSX_NUMFMT_GENERAL;
}

static int hex4(const char *s, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char ch = s[i];
		unsigned d;
		if (ch >= '0' && ch <= '9')
			d = (unsigned)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			d = (unsigned)(ch - 'a' + 10);
		else if (ch >= 'A' && ch <= 'F')
			d = (unsigned)(ch - 'A' + 10);
		else
			return 0;
		v = v * 16 + d;
	}
	*out = v;
	return 1;
}

/* "_xHHHH_" at s[0..7)? */
static int escape_at(const char *s, size_t left, unsigned *cp)
{
	return left >= 7 && s[0] == '_' && s[1] == 'x' && s[6] == '_' && hex4(s + 2, cp);
}

static size_t put_utf8(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

void xlsx_unescape(char *s, size_t *len)
{
	size_t n = *len;
	char *first = memchr(s, '_', n);
	if (!first)
		return;
	size_t r = (size_t)(first - s), w = r;
	while (r < n) {
		unsigned cp, lo;
		if (s[r] != '_' || !escape_at(s + r, n - r, &cp)) {
			s[w++] = s[r++];
			continue;
		}
		size_t used = 7;
		if (cp >= 0xD800 && cp <= 0xDBFF && escape_at(s + r + 7, n - r - 7, &lo) &&
		    lo >= 0xDC00 && lo <= 0xDFFF) {
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			used = 14;
		} else if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
			s[w++] = s[r++]; /* keep as written */
			continue;
		}
		/* Every escape is at least 7 bytes and decodes to at most 4: w stays behind r. */
		w += put_utf8(s + w, cp);
		r += used;
	}
	s[w] = '\0';
	*len = w;
}
