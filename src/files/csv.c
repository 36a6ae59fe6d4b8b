/*
 * csv.c — the .csv half of sheet_read(): RFC 4180 with the habits of files Excel writes.
 *
 * The file is first decoded to UTF-8 as a whole (utf8_decode_file: UTF-8 with or without
 * BOM, else GB18030, the superset of the GBK that Excel on Chinese Windows saves). That copy
 * belongs to the reader, so records are then split in place: an unquoted field is a slice
 * ended by writing a NUL over its delimiter, a quoted field is compacted where it lies
 * (dropping the quotes and halving doubled quotes only ever shortens it). No per-field
 * allocation, one pass, and a row's cells point straight into the decoded text.
 *
 * What is accepted beyond RFC 4180, as Excel does: LF, CRLF or a lone CR ends a record; a
 * final newline does not start an empty record; a quote inside an unquoted field is a plain
 * character; text after a closing quote is kept; a first line "sep=;" names the delimiter;
 * a field written ="…" (the trick exporting systems use to keep ID numbers as text) yields
 * what is inside the quotes. Row numbers count records, as Excel numbers the rows it shows
 * for the file, so a quoted field spanning lines still makes one row.
 */
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/utf8.h"
#include "files/sheet_int.h"

/* Only the first record (or this much of it) is looked at to guess the delimiter. */
#define CSV_SNIFF_BYTES 65536

/* The delimiter among , \t ; that occurs most often, outside quotes, in the first record. */
static char csv_sniff_delimiter(const char *p, const char *end)
{
	static const char candidates[] = { ',', '\t', ';' };
	size_t count[3] = { 0, 0, 0 };
	int quoted = 0;
	if ((size_t)(end - p) > CSV_SNIFF_BYTES)
		end = p + CSV_SNIFF_BYTES;
	for (; p < end; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && (*p == '\n' || *p == '\r'))
			break;
		else if (!quoted)
			for (int i = 0; i < 3; i++)
				count[i] += *p == candidates[i];
	}
	int best = 0;
	for (int i = 1; i < 3; i++)
		if (count[i] > count[best])
			best = i;
	return candidates[best];
}

/* A delimiter cannot be a quote, a line end or NUL. */
static int csv_delimiter_ok(char d)
{
	return d && d != '"' && d != '\n' && d != '\r';
}

/* A first line "sep=X" (Excel's own hint) fixes the delimiter; returns 0 when absent. */
static char csv_sep_line(const char *p, const char *end, const char **after)
{
	if (end - p < 5 || memcmp(p, "sep=", 4) != 0)
		return 0;
	const char *q = p + 5;
	if (q < end && *q != '\n' && *q != '\r')
		return 0;
	if (q < end && *q == '\r')
		q++;
	if (q < end && *q == '\n')
		q++;
	if (!csv_delimiter_ok(p[4]))
		return 0;
	*after = q;
	return p[4];
}

/* ="…" → the text between the quotes, when it holds no other quote: true then. */
static bool csv_unwrap_formula_text(char **s, size_t *len)
{
	char *t = *s;
	size_t n = *len;
	if (n < 3 || t[0] != '=' || t[1] != '"' || t[n - 1] != '"')
		return false;
	if (memchr(t + 2, '"', n - 3))
		return false;
	t[n - 1] = '\0';
	*s = t + 2;
	*len = n - 3;
	return true;
}

static px_err csv_check_bytes(struct sheet_ctx *c, const unsigned char *d, size_t size)
{
	if (size == 0)
		return PX_OK; /* d may be NULL */
	if (size >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF)))
		return sheet_fail(c, SP_CSV_UTF16, 0, 0, NULL);
	if (!memchr(d, 0, size))
		return PX_OK;
	/* ASCII text in UTF-16 without a BOM: every other byte is zero. */
	if (size >= 2 && (d[0] == 0) != (d[1] == 0))
		return sheet_fail(c, SP_CSV_UTF16, 0, 0, NULL);
	return sheet_fail(c, SP_CSV_NUL, 0, 0, NULL);
}

px_err csv_read(const void *data, size_t size, const struct sheet_options *opt, sheet_row_fn fn,
		void *ctx, struct sheet_result *res)
{
	struct sheet_ctx c;
	struct sheet_result res_local;
	sheet_ctx_init(&c, opt, fn, ctx, res, &res_local, SHEET_FORMAT_CSV);
	struct buf text = BUF_INIT(c.lim.max_total_bytes);
	enum text_encoding enc = TEXT_UTF8;
	px_err rc;

	if ((rc = csv_check_bytes(&c, data, size)))
		goto out;
	if (size <= c.lim.max_total_bytes)
		buf_grow(&text, size); /* UTF-8 is copied as it is: in one allocation */
	rc = utf8_decode_file(data, size, &text, &enc);
	c.res->encoding = enc;
	if (rc == PX_ERR_TOO_LARGE) {
		rc = sheet_fail(&c, SP_CSV_TOO_LARGE, 0, 0, NULL);
		goto out;
	} else if (rc) {
		rc = sheet_fail(&c, SP_CSV_ENCODING, 0, 0, NULL);
		goto out;
	}
	if (!text.data)
		goto out; /* an empty file: no rows */

	char *p = text.data;
	char *end = p + text.len; /* *end == '\0' (buf keeps its contents terminated) */
	const char *after_sep = p;
	char delim = c.opt->csv_delimiter;
	if (!csv_delimiter_ok(delim))
		delim = 0;
	char hinted = csv_sep_line(p, end, &after_sep);
	if (hinted) {
		p = (char *)after_sep;
		if (!delim)
			delim = hinted;
	}
	if (!delim)
		delim = csv_sniff_delimiter(p, end);
	c.res->delimiter = delim;

	/* Bytes that end an unquoted field. */
	unsigned char stop[256] = { 0 };
	stop[(unsigned char)delim] = stop['\n'] = stop['\r'] = 1;
	const uint32_t max_cols = c.lim.max_cols;
	const size_t max_cell = c.lim.max_cell_bytes;
	uint32_t rowno = 0;

	while (p < end) {
		if (rowno == UINT32_MAX) {
			rc = sheet_fail(&c, SP_TOO_MANY_ROWS, 0, 0, NULL);
			goto out;
		}
		rowno++;
		size_t ncol = 0;  /* fields stored for this record */
		uint32_t col = 0; /* 1-based number of the current field */
		for (;;) {
			char *start;
			size_t len;
			bool quoted = *p == '"';
			if (col < UINT32_MAX)
				col++;
			if (quoted) {
				char *w = p; /* write position: always behind the read position */
				char *r = p + 1;
				start = w;
				for (;;) {
					char *q = memchr(r, '"', (size_t)(end - r));
					if (!q) {
						rc = sheet_fail(&c, SP_CSV_UNTERMINATED, rowno, col,
								NULL);
						goto out;
					}
					memmove(w, r, (size_t)(q - r));
					w += q - r;
					if (q + 1 < end && q[1] == '"') {
						*w++ = '"';
						r = q + 2;
						continue;
					}
					r = q + 1;
					break;
				}
				while (r < end && !stop[(unsigned char)*r])
					*w++ = *r++;
				len = (size_t)(w - start);
				p = r;
			} else {
				start = p;
				while (p < end && !stop[(unsigned char)*p])
					p++;
				len = (size_t)(p - start);
			}
			char term = p < end ? *p : '\0';
			start[len] = '\0';
			quoted |= csv_unwrap_formula_text(&start, &len);
			if (len > max_cell) {
				rc = sheet_fail(&c, SP_CELL_TOO_LONG, rowno, col, NULL);
				goto out;
			}
			if (col <= max_cols) {
				sheet_cells_reserve(&c, ncol + 1);
				c.cells[ncol++] = (struct sheet_cell){
					.type = len ? SHEET_STRING : SHEET_EMPTY,
					.text = start,
					.len = len,
					.date = DATE_NONE,
					.quoted = quoted,
				};
			} else if (len) {
				/* Empty fields past the limit are dropped, so a line of a million
				 * commas costs no memory; a value there is refused. */
				rc = sheet_fail(&c, SP_TOO_MANY_COLS, rowno, col, NULL);
				goto out;
			}
			if (p >= end)
				break;
			p++; /* past the delimiter or the line end */
			if (term == delim)
				continue;
			if (term == '\r' && p < end && *p == '\n')
				p++;
			break;
		}
		if ((rc = sheet_emit_row(&c, rowno, ncol)))
			goto out;
	}
out:
	buf_release(&text);
	sheet_ctx_release(&c);
	return rc;
}
