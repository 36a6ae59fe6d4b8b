/*
 * import_header.c — see import_header.h.
 */
#include "service/import_header.h"

#include <string.h>

#include "base/err.h"
#include "domain/cadre.h"
#include "domain/columns.h"
#include "domain/unit.h"

const struct field_def *import_kind_fields(enum import_kind kind, int *n)
{
	*n = kind == IMPORT_CADRES ? CF__COUNT : UF__COUNT;
	return kind == IMPORT_CADRES ? cadre_fields : unit_fields;
}

void import_header_init(struct import_header *h, enum import_kind kind)
{
	*h = (struct import_header){ .counter_col = -1 };
	h->fields = import_kind_fields(kind, &h->nfields);
	h->aliases = kind == IMPORT_CADRES ? cadre_column_names : unit_column_names;
	for (int f = 0; f < IMPORT_MAX_FIELDS; f++)
		h->col[f] = -1;
}

bool import_header_try(struct import_header *h, const struct sheet_row *row)
{
	struct import_header t = *h;
	int found = 0;
	for (int f = 0; f < t.nfields; f++)
		t.col[f] = -1;
	t.counter_col = -1;
	t.nignored = 0;
	for (size_t c = 0; c < row->ncells; c++) {
		char folded[128];
		if (!column_fold(row->cells[c].text, row->cells[c].len, folded, sizeof folded))
			continue;
		int f = column_field(t.fields, t.aliases, t.nfields, folded);
		if (f >= 0 && t.col[f] < 0) {
			t.col[f] = (int)c;
			found++;
		} else if (f < 0 && t.counter_col < 0 && column_is_counter(folded)) {
			t.counter_col = (int)c;
		} else if (t.nignored < IMPORT_MAX_IGNORED) {
			t.ignored[t.nignored++] = (int)c; /* unknown, or a field named twice */
		}
	}
	if (found < 2)
		return false;
	t.row = row->number;
	*h = t;
	return true;
}

bool import_row_is_example(const struct sheet_row *row)
{
	static const char *const marks[] = { "示例：", "示例:", "example:" };
	for (size_t c = 0; c < row->ncells; c++) {
		const char *t = row->cells[c].text;
		size_t n = row->cells[c].len;
		while (n && (*t == ' ' || *t == '\t')) {
			t++;
			n--;
		}
		if (!n)
			continue; /* the first filled cell decides */
		for (size_t m = 0; m < sizeof marks / sizeof marks[0]; m++) {
			size_t ml = strlen(marks[m]);
			if (n >= ml && !strncasecmp(t, marks[m], ml))
				return true;
		}
		return false;
	}
	return false;
}

const char *import_cell_text(struct arena *a, const struct import_header *h,
			     const struct sheet_row *row, int f)
{
	if (h->col[f] < 0)
		return NULL;
	const struct sheet_cell *c = sheet_row_cell(row, (size_t)h->col[f]);
	return arena_strndup(a, c->text, c->len);
}

/* The length of the space (of any kind, or a line break) at s[0..n), 0 when none. */
static size_t space_at(const unsigned char *s, size_t n)
{
	if (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		return 1;
	if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) /* NBSP */
		return 2;
	if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) /* U+3000 */
		return 3;
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] >= 0x8B && s[2] <= 0x8D) /* ZW */
		return 3;
	if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) /* BOM */
		return 3;
	return 0;
}

const char *import_header_label(struct arena *a, const struct sheet_row *row, int col)
{
	const struct sheet_cell *c = sheet_row_cell(row, (size_t)col);
	const unsigned char *s = (const unsigned char *)c->text;
	char *out = arena_alloc(a, c->len + 8);
	size_t k = 0, chars = 0;
	bool gap = false;
	for (size_t i = 0; i < c->len;) {
		size_t sp = space_at(s + i, c->len - i);
		if (sp) {
			gap = k > 0;
			i += sp;
			continue;
		}
		if (chars == 40) {
			memcpy(out + k, "…", strlen("…"));
			k += strlen("…");
			break;
		}
		if (gap)
			out[k++] = ' ';
		gap = false;
		do
			out[k++] = (char)s[i++];
		while (i < c->len && (s[i] & 0xC0) == 0x80);
		chars++;
	}
	out[k] = '\0';
	return out;
}

/* Nothing but spaces (or nothing). */
static bool cell_blank(const struct sheet_cell *c)
{
	const unsigned char *s = (const unsigned char *)c->text;
	for (size_t i = 0, sp; i < c->len; i += sp)
		if (!(sp = space_at(s + i, c->len - i)))
			return false;
	return true;
}

/* A 序号: a whole number of up to 7 digits, perhaps with "." or "、" after it. */
static bool cell_counter(const struct sheet_cell *c)
{
	const char *s = c->text;
	size_t n = c->len;
	n = utf8_trim(&s, n);
	size_t d = 0;
	while (d < n && s[d] >= '0' && s[d] <= '9')
		d++;
	if (d == 0 || d > 7)
		return false;
	if (d < n && c->type == SHEET_NUMBER && s[d] == '.') { /* 12.0 */
		size_t z = d + 1;
		while (z < n && s[z] == '0')
			z++;
		return z == n;
	}
	return d == n || (d + 1 == n && s[d] == '.') ||
	       (n - d == strlen("、") && !memcmp(s + d, "、", n - d));
}

/* Words that open a row which is no record; with a colon after them (or alone, for the
 * totals). Already folded (columns.h): ":" stands for "：" too. */
static const struct {
	const char *word;
	enum import_skip kind;
	bool alone; /* the word alone, or before a number, is enough */
} opening[] = {
	{ "合计", IMPORT_SKIP_TOTAL, true },         { "总计", IMPORT_SKIP_TOTAL, true },
	{ "小计", IMPORT_SKIP_TOTAL, true },         { "共计", IMPORT_SKIP_TOTAL, true },
	{ "填表人", IMPORT_SKIP_SIGN_OFF, false },   { "制表人", IMPORT_SKIP_SIGN_OFF, false },
	{ "审核人", IMPORT_SKIP_SIGN_OFF, false },   { "审批人", IMPORT_SKIP_SIGN_OFF, false },
	{ "填报人", IMPORT_SKIP_SIGN_OFF, false },   { "经办人", IMPORT_SKIP_SIGN_OFF, false },
	{ "负责人", IMPORT_SKIP_SIGN_OFF, false },   { "单位负责人", IMPORT_SKIP_SIGN_OFF, false },
	{ "联系人", IMPORT_SKIP_SIGN_OFF, false },   { "联系电话", IMPORT_SKIP_SIGN_OFF, false },
	{ "填表单位", IMPORT_SKIP_SIGN_OFF, false }, { "填报单位", IMPORT_SKIP_SIGN_OFF, false },
	{ "填表日期", IMPORT_SKIP_SIGN_OFF, false }, { "填报日期", IMPORT_SKIP_SIGN_OFF, false },
	{ "制表日期", IMPORT_SKIP_SIGN_OFF, false }, { "审核", IMPORT_SKIP_SIGN_OFF, false },
	{ "审核意见", IMPORT_SKIP_SIGN_OFF, false }, { "备注", IMPORT_SKIP_NOTE, false },
	{ "说明", IMPORT_SKIP_NOTE, false },         { "注", IMPORT_SKIP_NOTE, false },
	{ "附注", IMPORT_SKIP_NOTE, false },         { "填表说明", IMPORT_SKIP_NOTE, false },
	{ "填报说明", IMPORT_SKIP_NOTE, false },
};

static enum import_skip opening_word(const struct sheet_cell *c)
{
	/* A name first: no word opens with its first character (a look at 3 bytes, before any
	 * folding — this runs for every row of a million). */
	const char *t = c->text;
	size_t len = c->len;
	for (size_t sp; len && (sp = space_at((const unsigned char *)t, len));) {
		t += sp;
		len -= sp;
	}
	bool may = len < 3 || (unsigned char)*t < 0xE0; /* not a plain CJK start: fold and see */
	for (size_t i = 0; !may && i < sizeof opening / sizeof opening[0]; i++)
		may = !memcmp(t, opening[i].word, 3);
	if (!may)
		return IMPORT_ROW;
	char f[48];
	size_t n = column_fold(c->text, c->len, f, sizeof f);
	for (size_t i = 0; i < sizeof opening / sizeof opening[0]; i++) {
		size_t wl = strlen(opening[i].word);
		if (n < wl || memcmp(f, opening[i].word, wl))
			continue;
		char next = f[wl];
		if (next == ':' || (opening[i].alone && (!next || (next >= '0' && next <= '9'))))
			return opening[i].kind;
	}
	return IMPORT_ROW;
}

enum import_skip import_row_skip(const struct import_header *h, const struct sheet_row *row)
{
	size_t c0 = 0;
	while (c0 < row->ncells && cell_blank(&row->cells[c0]))
		c0++;
	if (c0 == row->ncells)
		return IMPORT_SKIP_BLANK;
	/* a 序号 first: what follows it decides */
	if ((h->counter_col >= 0 ? (int)c0 == h->counter_col : c0 == 0) &&
	    cell_counter(&row->cells[c0])) {
		size_t c1 = c0 + 1;
		while (c1 < row->ncells && cell_blank(&row->cells[c1]))
			c1++;
		if (c1 == row->ncells)
			return IMPORT_SKIP_COUNTER;
		c0 = c1;
	}
	enum import_skip s = opening_word(&row->cells[c0]);
	if (s != IMPORT_ROW)
		return s;
	bool any_required = false;
	for (int f = 0; f < h->nfields; f++) {
		if (!h->fields[f].required || h->col[f] < 0)
			continue;
		if (!cell_blank(sheet_row_cell(row, (size_t)h->col[f])))
			return IMPORT_ROW;
		any_required = true;
	}
	return any_required ? IMPORT_SKIP_NO_REQUIRED : IMPORT_ROW;
}

const char *import_skip_code(enum import_skip s)
{
	static const char *const codes[IMPORT_SKIP__COUNT] = {
		[IMPORT_ROW] = "",
		[IMPORT_SKIP_BLANK] = "blank",
		[IMPORT_SKIP_COUNTER] = "row_number_only",
		[IMPORT_SKIP_TOTAL] = "total",
		[IMPORT_SKIP_SIGN_OFF] = "sign_off",
		[IMPORT_SKIP_NOTE] = "note",
		[IMPORT_SKIP_NO_REQUIRED] = "no_required",
	};
	return (unsigned)s < IMPORT_SKIP__COUNT ? codes[s] : "";
}

const char *import_skip_reason(enum import_skip s, const char *lang)
{
	static const char *const words[IMPORT_SKIP__COUNT][2] = {
		[IMPORT_ROW] = { "", "" },
		[IMPORT_SKIP_BLANK] = { "空白行", "Blank row" },
		[IMPORT_SKIP_COUNTER] = { "只有序号", "Only a row number" },
		[IMPORT_SKIP_TOTAL] = { "合计行", "Totals row" },
		[IMPORT_SKIP_SIGN_OFF] = { "落款(填表人、审核人等)",
					   "Sign-off line (filled in by, checked by …)" },
		[IMPORT_SKIP_NOTE] = { "填表说明", "Notes" },
		[IMPORT_SKIP_NO_REQUIRED] = { "必填列均为空", "Every required column is empty" },
	};
	return (unsigned)s < IMPORT_SKIP__COUNT ? words[s][px_lang_is_en(lang) ? 1 : 0] : "";
}
