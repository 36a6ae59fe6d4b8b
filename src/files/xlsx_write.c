/*
 * xlsx_write.c — see xlsx_write.h.
 *
 * Formats are libxlsxwriter objects owned by the workbook; the writer creates each
 * combination it needs once — column kind × row style (plain, highlighted row, marked
 * cell) — and looks it up in a small table. A data sheet remembers its column kinds so
 * that every value is written with its column's number format, and the autofilter is laid
 * over the header and all rows when the sheet ends (the last row is known only then).
 *
 * Dropdowns: Excel keeps an inline list ("男,女") only up to 255 characters and cannot
 * hold a comma inside a choice. Longer lists, or lists with commas, are written to a
 * hidden sheet ("_lists1", one column per list, written row by row so that constant-memory
 * mode, which only appends, accepts them) and the validation refers to that range.
 */
#include "files/xlsx_write.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "base/mem.h"
#include "base/utf8.h"

#define XLSX_INLINE_LIST_MAX 255   /* characters, Excel's limit for an inline list */
#define XLSX_MAX_CELL_CHARS  32767 /* Excel's limit for a cell */
#define XLSX_HEADER_FILL     0xDDEBF7
#define XLSX_HIGHLIGHT_FILL  0xFFC7CE /* Excel's "Bad" style */
#define XLSX_HIGHLIGHT_FONT  0x9C0006
#define XLSX_MARK_FILL       0xFF7C80
#define XLSX_MUTED_FILL      0xEDEDED /* a row an import skipped: grey, not red */
#define XLSX_MUTED_FONT      0x7F7F7F
#define XLSX_REQUIRED_FONT   0xC00000
#define XLSX_EXAMPLE_FONT    0x808080 /* a template's example row: grey italics */
#define XLSX_EXCEL_EPOCH     25569    /* Excel serial of 1970-01-01 */

enum row_style {
	STYLE_PLAIN,
	STYLE_HIGHLIGHT,
	STYLE_MARK,
	STYLE_MUTED,
	STYLE_EXAMPLE,
	STYLE__COUNT
};

/* Number format of each column kind: Excel's built-in id where there is one (49 is the
 * text format '@' as Excel itself writes it), else a format code. */
struct kind_format {
	uint8_t builtin;
	const char *code;
};

/* clang-format off */
static const struct kind_format kind_numfmt[XLSX_COL__COUNT] = {
	[XLSX_COL_GENERAL] = {0, NULL},
	[XLSX_COL_TEXT]    = {49, NULL},
	[XLSX_COL_DATE]    = {0, "yyyy-mm-dd"},
	[XLSX_COL_INTEGER] = {1, NULL},
	[XLSX_COL_DECIMAL] = {2, NULL},
};
/* clang-format on */

struct xlsx_writer {
	lxw_workbook *wb;
	char path[PATH_MAX];
	size_t max_bytes;
	px_err err; /* sticky: the first failure */

	lxw_format *fmt[XLSX_COL__COUNT][STYLE__COUNT];
	lxw_format *header, *header_required, *title, *paragraph;

	/* the current data sheet */
	lxw_worksheet *ws;
	enum xlsx_col_kind *kinds;
	size_t ncols;
	lxw_row_t next_row;
	lxw_row_t header_row; /* where the current sheet's header is (0 unless add_sheet_at) */
	lxw_row_t last_row;   /* the lowest row written */
	bool streaming;       /* constant_memory: rows only forward */
	unsigned nlists;      /* hidden list sheets made so far */
};

static px_err from_lxw(lxw_error e)
{
	switch (e) {
	case LXW_NO_ERROR: return PX_OK;
	case LXW_ERROR_MEMORY_MALLOC_FAILED: return PX_ERR_NOMEM;
	case LXW_ERROR_CREATING_XLSX_FILE:
	case LXW_ERROR_CREATING_TMPFILE:
	case LXW_ERROR_READING_TMPFILE:
	case LXW_ERROR_ZIP_FILE_OPERATION:
	case LXW_ERROR_ZIP_FILE_ADD:
	case LXW_ERROR_ZIP_CLOSE: return PX_ERR_IO;
	case LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED:
	case LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE: return PX_ERR_TOO_LARGE;
	default: return PX_ERR_INVALID;
	}
}

static px_err fail(struct xlsx_writer *w, px_err e)
{
	if (!w->err)
		w->err = e;
	return e;
}

px_err xlsx_writer_new(const struct xlsx_writer_options *opt, struct xlsx_writer **out)
{
	static const struct xlsx_writer_options defaults;
	if (!opt)
		opt = &defaults;
	*out = NULL;
	const char *dir = opt->tmpdir ? opt->tmpdir : getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	struct xlsx_writer *w = xcalloc(1, sizeof *w);
	w->max_bytes = opt->max_bytes ? opt->max_bytes : (size_t)1 << 30;
	w->streaming = opt->constant_memory;
	int n = snprintf(w->path, sizeof w->path, "%s/peixun-export-XXXXXX", dir);
	if (n < 0 || (size_t)n >= sizeof w->path) {
		free(w);
		return PX_ERR_IO;
	}
	int fd = mkstemp(w->path);
	if (fd < 0) {
		free(w);
		return PX_ERR_IO;
	}
	close(fd);
	lxw_workbook_options lo = {
		.constant_memory = opt->constant_memory ? LXW_TRUE : LXW_FALSE,
		.tmpdir = opt->tmpdir ? (char *)opt->tmpdir : NULL,
		.use_zip64 = LXW_FALSE,
	};
	w->wb = workbook_new_opt(w->path, &lo);
	if (!w->wb) {
		unlink(w->path);
		free(w);
		return PX_ERR_NOMEM;
	}

	for (int k = 0; k < XLSX_COL__COUNT; k++)
		for (int s = 0; s < STYLE__COUNT; s++) {
			if (s == STYLE_PLAIN && k == XLSX_COL_GENERAL)
				continue; /* General and unstyled: no format at all */
			lxw_format *f = workbook_add_format(w->wb);
			if (kind_numfmt[k].code)
				format_set_num_format(f, kind_numfmt[k].code);
			else if (kind_numfmt[k].builtin)
				format_set_num_format_index(f, kind_numfmt[k].builtin);
			if (s == STYLE_EXAMPLE) {
				format_set_italic(f);
				format_set_font_color(f, XLSX_EXAMPLE_FONT);
			} else if (s != STYLE_PLAIN) {
				format_set_pattern(f, LXW_PATTERN_SOLID);
				format_set_bg_color(f, s == STYLE_MARK    ? XLSX_MARK_FILL
						       : s == STYLE_MUTED ? XLSX_MUTED_FILL
									  : XLSX_HIGHLIGHT_FILL);
				format_set_font_color(f, s == STYLE_MUTED ? XLSX_MUTED_FONT
									  : XLSX_HIGHLIGHT_FONT);
			}
			if (s == STYLE_MARK)
				format_set_bold(f);
			w->fmt[k][s] = f;
		}
	for (int r = 0; r < 2; r++) {
		lxw_format *f = workbook_add_format(w->wb);
		format_set_bold(f);
		format_set_pattern(f, LXW_PATTERN_SOLID);
		format_set_bg_color(f, XLSX_HEADER_FILL);
		format_set_border(f, LXW_BORDER_THIN);
		format_set_align(f, LXW_ALIGN_CENTER);
		format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
		format_set_text_wrap(f);
		if (r)
			format_set_font_color(f, XLSX_REQUIRED_FONT);
		*(r ? &w->header_required : &w->header) = f;
	}
	w->title = workbook_add_format(w->wb);
	format_set_bold(w->title);
	format_set_font_size(w->title, 14);
	w->paragraph = workbook_add_format(w->wb);
	format_set_text_wrap(w->paragraph);
	format_set_align(w->paragraph, LXW_ALIGN_VERTICAL_TOP);
	*out = w;
	return PX_OK;
}

/* Display width of UTF-8 text in Excel's character units: CJK and other wide scripts 2. */
static double text_width(const char *s)
{
	double width = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			width += *p >= 0xE1 ? 2 : 1; /* U+1000 and above: mostly wide */
	return width;
}

/* Finish the current data sheet: the autofilter covers the header and every row. */
static void end_sheet(struct xlsx_writer *w)
{
	if (!w->ws)
		return;
	if (w->ncols) {
		lxw_row_t last = w->last_row > w->header_row ? w->last_row : w->header_row;
		worksheet_autofilter(w->ws, w->header_row, 0, last, (lxw_col_t)(w->ncols - 1));
	}
	w->ws = NULL;
	free(w->kinds);
	w->kinds = NULL;
	w->ncols = 0;
	w->next_row = w->header_row = w->last_row = 0;
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Does "_xHHHH_" start at s? */
static int ooxml_escape_at(const char *s)
{
	return s[0] == '_' && s[1] == 'x' && is_hex(s[2]) && is_hex(s[3]) && is_hex(s[4]) &&
	       is_hex(s[5]) && s[6] == '_';
}

/*
 * Text that itself reads "_xHHHH_" would come back from Excel as the character U+HHHH,
 * and libxlsxwriter does not escape it: escape its underscore as "_x005F_". Returns a
 * malloc'd copy, or NULL when s needs no escaping.
 */
static char *escape_underscores(const char *s)
{
	size_t n = 0, extra = 0;
	for (; s[n]; n++)
		if (ooxml_escape_at(s + n))
			extra += 6;
	if (!extra)
		return NULL;
	char *out = xmalloc(n + extra + 1), *w = out;
	for (const char *p = s; *p; p++) {
		if (ooxml_escape_at(p)) {
			memcpy(w, "_x005F", 6);
			w += 6;
		}
		*w++ = *p;
	}
	*w = '\0';
	return out;
}

/* Write a string cell, escaped for OOXML; a string with nothing in it is a blank. */
static lxw_error write_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
			    lxw_format *f)
{
	if (!*s)
		return f ? worksheet_write_blank(ws, row, col, f) : LXW_NO_ERROR;
	char *esc = escape_underscores(s);
	lxw_error e = worksheet_write_string(ws, row, col, esc ? esc : s, f);
	free(esc);
	return e;
}

/* Characters of choices joined by commas, or SIZE_MAX when one holds a comma. */
static size_t inline_list_length(const char *const *choices)
{
	size_t total = 0;
	for (size_t i = 0; choices[i]; i++) {
		if (strchr(choices[i], ','))
			return SIZE_MAX;
		total += utf8_length(choices[i], strlen(choices[i])) + (i ? 1 : 0);
	}
	return total;
}

static size_t count_choices(const char *const *choices)
{
	size_t n = 0;
	while (choices[n])
		n++;
	return n;
}

/*
 * Write the lists too long to be inline to a new hidden sheet, one column each, and give
 * each such column's validation formula in formulas[col] (malloc'd, caller frees).
 */
static px_err write_list_sheet(struct xlsx_writer *w, const struct xlsx_column *cols, size_t ncols,
			       char **formulas)
{
	size_t longest = 0, nlong = 0;
	for (size_t c = 0; c < ncols; c++)
		if (cols[c].choices && inline_list_length(cols[c].choices) > XLSX_INLINE_LIST_MAX) {
			size_t n = count_choices(cols[c].choices);
			longest = n > longest ? n : longest;
			nlong++;
		}
	if (!nlong)
		return PX_OK;
	if (longest > LXW_ROW_MAX)
		return PX_ERR_TOO_LARGE;
	char name[32];
	snprintf(name, sizeof name, "_lists%u", ++w->nlists);
	lxw_worksheet *ls = workbook_add_worksheet(w->wb, name);
	if (!ls)
		return PX_ERR_INVALID;
	worksheet_hide(ls);
	for (size_t r = 0; r < longest; r++) {
		lxw_col_t lc = 0;
		for (size_t c = 0; c < ncols; c++) {
			if (!cols[c].choices ||
			    inline_list_length(cols[c].choices) <= XLSX_INLINE_LIST_MAX)
				continue;
			if (r < count_choices(cols[c].choices)) {
				const char *v = cols[c].choices[r];
				if (!utf8_valid(v, strlen(v)))
					return PX_ERR_ENCODING;
				lxw_error e = write_text(ls, (lxw_row_t)r, lc, v, NULL);
				if (e)
					return from_lxw(e);
			}
			lc++;
		}
	}
	lxw_col_t lc = 0;
	for (size_t c = 0; c < ncols; c++) {
		if (!cols[c].choices || inline_list_length(cols[c].choices) <= XLSX_INLINE_LIST_MAX)
			continue;
		char colname[8];
		lxw_col_to_name(colname, lc++, LXW_FALSE);
		formulas[c] = xasprintf("='%s'!$%s$1:$%s$%zu", name, colname, colname,
					count_choices(cols[c].choices));
	}
	return PX_OK;
}

static px_err add_validation(struct xlsx_writer *w, lxw_col_t col, const struct xlsx_column *spec,
			     const char *formula)
{
	lxw_data_validation dv;
	memset(&dv, 0, sizeof dv);
	if (formula) {
		dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
		dv.value_formula = (char *)formula;
	} else {
		dv.validate = LXW_VALIDATION_TYPE_LIST;
		dv.value_list = (char **)spec->choices;
	}
	dv.ignore_blank = LXW_VALIDATION_ON;
	dv.show_error = LXW_VALIDATION_ON;
	dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
	dv.error_title = "输入有误";
	dv.error_message = "请从下拉列表中选择。";
	if (spec->prompt) {
		dv.show_input = LXW_VALIDATION_ON;
		dv.input_message = (char *)spec->prompt;
	}
	lxw_error e = worksheet_data_validation_range(w->ws, w->header_row + 1, col,
						      LXW_ROW_MAX - 1, col, &dv);
	return from_lxw(e);
}

px_err xlsx_writer_add_sheet(struct xlsx_writer *w, const char *name,
			     const struct xlsx_column *cols, size_t ncols)
{
	return xlsx_writer_add_sheet_at(w, name, cols, ncols, 0);
}

px_err xlsx_writer_add_sheet_at(struct xlsx_writer *w, const char *name,
				const struct xlsx_column *cols, size_t ncols, uint32_t header_row)
{
	px_err rc = PX_OK;
	char **formulas = NULL;
	if (w->err)
		return w->err;
	end_sheet(w);
	if (!name || !utf8_valid(name, strlen(name)) || ncols > LXW_COL_MAX || (ncols && !cols) ||
	    header_row >= LXW_ROW_MAX - 1 || (header_row && w->streaming)) {
		rc = PX_ERR_INVALID;
		goto out;
	}
	for (size_t c = 0; c < ncols; c++)
		if (!cols[c].header || !*cols[c].header ||
		    !utf8_valid(cols[c].header, strlen(cols[c].header)) ||
		    (unsigned)cols[c].kind >= XLSX_COL__COUNT ||
		    (cols[c].prompt && (!utf8_valid(cols[c].prompt, strlen(cols[c].prompt)) ||
					utf8_length(cols[c].prompt, strlen(cols[c].prompt)) >
						XLSX_INLINE_LIST_MAX))) {
			rc = PX_ERR_INVALID;
			goto out;
		}
	if (workbook_validate_sheet_name(w->wb, name) != LXW_NO_ERROR) {
		rc = PX_ERR_INVALID;
		goto out;
	}
	w->ws = workbook_add_worksheet(w->wb, name);
	if (!w->ws) {
		rc = PX_ERR_INVALID;
		goto out;
	}
	w->kinds = xcalloc(ncols ? ncols : 1, sizeof *w->kinds);
	w->ncols = ncols;
	w->header_row = w->last_row = ncols ? header_row : 0;
	formulas = xcalloc(ncols ? ncols : 1, sizeof *formulas);
	if ((rc = write_list_sheet(w, cols, ncols, formulas)))
		goto out;
	for (size_t c = 0; c < ncols; c++) {
		const struct xlsx_column *spec = &cols[c];
		lxw_col_t col = (lxw_col_t)c;
		w->kinds[c] = spec->kind;
		double width = spec->width > 0 ? spec->width : text_width(spec->header) + 4;
		if (width < 8)
			width = 8;
		if (width > 255)
			width = 255;
		lxw_error e = worksheet_set_column(w->ws, col, col, width,
						   w->fmt[spec->kind][STYLE_PLAIN]);
		if (!e)
			e = write_text(w->ws, w->header_row, col, spec->header,
				       spec->required ? w->header_required : w->header);
		if ((rc = from_lxw(e)))
			goto out;
		if (spec->choices && spec->choices[0] &&
		    (rc = add_validation(w, col, spec, formulas[c])))
			goto out;
	}
	if (ncols) {
		worksheet_freeze_panes(w->ws, w->header_row + 1, 0);
		w->next_row = w->header_row + 1;
	}
out:
	if (formulas)
		for (size_t c = 0; c < ncols; c++)
			free(formulas[c]);
	free(formulas);
	return rc ? fail(w, rc) : PX_OK;
}

px_err xlsx_writer_add_row(struct xlsx_writer *w, const struct xlsx_value *vals, size_t n,
			   unsigned flags)
{
	if (w->err)
		return w->err;
	if (!w->ws || (n && !vals) || (w->ncols && n > w->ncols) || n > LXW_COL_MAX)
		return fail(w, PX_ERR_INVALID);
	if (w->next_row >= LXW_ROW_MAX)
		return fail(w, PX_ERR_TOO_LARGE);
	lxw_row_t row = w->next_row;
	enum row_style base = (flags & XLSX_ROW_HIGHLIGHT) ? STYLE_HIGHLIGHT
			      : (flags & XLSX_ROW_MUTED)   ? STYLE_MUTED
			      : (flags & XLSX_ROW_EXAMPLE) ? STYLE_EXAMPLE
							   : STYLE_PLAIN;
	size_t width = base != STYLE_PLAIN && base != STYLE_EXAMPLE && w->ncols > n ? w->ncols : n;
	for (size_t c = 0; c < width; c++) {
		const struct xlsx_value *v = c < n ? &vals[c] : NULL;
		enum xlsx_col_kind kind = c < w->ncols ? w->kinds[c] : XLSX_COL_GENERAL;
		enum row_style style = v && v->mark ? STYLE_MARK : base;
		lxw_format *f = w->fmt[kind][style];
		lxw_col_t col = (lxw_col_t)c;
		lxw_error e = LXW_NO_ERROR;
		enum xlsx_value_type type = v ? v->type : XLSX_BLANK;
		if (type == XLSX_TEXT && !v->text)
			type = XLSX_BLANK;
		switch (type) {
		case XLSX_TEXT: {
			size_t len = strlen(v->text);
			if (!utf8_valid(v->text, len))
				return fail(w, PX_ERR_ENCODING);
			if (utf8_length(v->text, len) > XLSX_MAX_CELL_CHARS)
				return fail(w, PX_ERR_TOO_LARGE);
			e = write_text(w->ws, row, col, v->text, f);
			break;
		}
		case XLSX_NUMBER:
			if (!isfinite(v->number))
				return fail(w, PX_ERR_INVALID);
			e = worksheet_write_number(w->ws, row, col, v->number, f);
			break;
		case XLSX_DATE: {
			/* Serials before 1900-03-01 meet Excel's phantom 1900-02-29: refuse. */
			double serial = (double)v->date + XLSX_EXCEL_EPOCH;
			if (v->date == INT32_MIN || serial < 61 || serial > 2958465)
				return fail(w, PX_ERR_INVALID);
			e = worksheet_write_number(w->ws, row, col, serial,
						   w->fmt[XLSX_COL_DATE][style]);
			break;
		}
		case XLSX_BOOL:
			e = worksheet_write_boolean(w->ws, row, col, v->number != 0, f);
			break;
		case XLSX_BLANK:
		default:
			if (f) /* a blank without a format is nothing at all */
				e = worksheet_write_blank(w->ws, row, col, f);
			break;
		}
		if (e)
			return fail(w, from_lxw(e));
	}
	if (row > w->last_row)
		w->last_row = row;
	w->next_row++;
	return PX_OK;
}

px_err xlsx_writer_goto_row(struct xlsx_writer *w, uint32_t row)
{
	if (w->err)
		return w->err;
	if (!w->ws || row >= LXW_ROW_MAX || (w->ncols && row == w->header_row) ||
	    (w->streaming && row < w->next_row))
		return fail(w, PX_ERR_INVALID);
	w->next_row = row;
	return PX_OK;
}

px_err xlsx_writer_add_text_sheet(struct xlsx_writer *w, const char *name, const char *const *lines,
				  size_t n)
{
	if (w->err)
		return w->err;
	end_sheet(w);
	if (!name || !utf8_valid(name, strlen(name)) || (n && !lines) || n > LXW_ROW_MAX)
		return fail(w, PX_ERR_INVALID);
	if (workbook_validate_sheet_name(w->wb, name) != LXW_NO_ERROR)
		return fail(w, PX_ERR_INVALID);
	lxw_worksheet *ws = workbook_add_worksheet(w->wb, name);
	if (!ws)
		return fail(w, PX_ERR_INVALID);
	worksheet_set_column(ws, 0, 0, 100, w->paragraph);
	for (size_t i = 0; i < n; i++) {
		const char *s = lines[i] ? lines[i] : "";
		size_t len = strlen(s);
		if (!utf8_valid(s, len))
			return fail(w, PX_ERR_ENCODING);
		if (utf8_length(s, len) > XLSX_MAX_CELL_CHARS)
			return fail(w, PX_ERR_TOO_LARGE);
		if (!len)
			continue;
		lxw_error e = write_text(ws, (lxw_row_t)i, 0, s, i == 0 ? w->title : w->paragraph);
		if (e)
			return fail(w, from_lxw(e));
	}
	return PX_OK;
}

/* Append the file at path to out, refusing more than max bytes. */
static px_err slurp(const char *path, size_t max, struct buf *out)
{
	px_err rc = PX_OK;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return PX_ERR_IO;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		rc = PX_ERR_IO;
		goto out;
	}
	if ((uint64_t)st.st_size > max) {
		rc = PX_ERR_TOO_LARGE;
		goto out;
	}
	size_t size = (size_t)st.st_size, got = 0;
	if ((rc = buf_grow(out, size)))
		goto out;
	while (got < size) {
		ssize_t r = read(fd, out->data + out->len + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			rc = PX_ERR_IO;
			goto out;
		}
		got += (size_t)r;
	}
	out->len += size;
	out->data[out->len] = '\0';
out:
	close(fd);
	return rc;
}

px_err xlsx_writer_finish(struct xlsx_writer *w, struct buf *out)
{
	px_err rc = w->err;
	end_sheet(w);
	lxw_error e = workbook_close(w->wb); /* frees the workbook, whatever happens */
	w->wb = NULL;
	if (!rc)
		rc = from_lxw(e);
	if (!rc)
		rc = slurp(w->path, w->max_bytes, out);
	unlink(w->path);
	free(w);
	return rc;
}

void xlsx_writer_free(struct xlsx_writer *w)
{
	if (!w)
		return;
	end_sheet(w);
	if (w->wb)
		lxw_workbook_free(w->wb);
	unlink(w->path);
	free(w);
}
