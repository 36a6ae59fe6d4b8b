/*
 * import_header.c — see import_header.h.
 */
#include "service/import_header.h"

#include <string.h>
#include <strings.h>

#include "domain/cadre.h"
#include "domain/unit.h"

const struct field_def *import_kind_fields(enum import_kind kind, int *n)
{
	*n = kind == IMPORT_CADRES ? CF__COUNT : UF__COUNT;
	return kind == IMPORT_CADRES ? cadre_fields : unit_fields;
}

/* The header text without marks and spaces, into out. */
static void header_norm(const char *s, size_t n, char *out, size_t size)
{
	static const char *const marks[] = {
		"*",  "\xEF\xBC\x8A" /* ＊ */, "(必填)", "(必填)", "(选填)", "(选填)", " ",
		"\t", "\xE3\x80\x80"
	};
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < size;) {
		size_t skip = 0;
		for (size_t m = 0; m < sizeof marks / sizeof marks[0] && !skip; m++) {
			size_t ml = strlen(marks[m]);
			if (ml <= n - i && !memcmp(s + i, marks[m], ml))
				skip = ml;
		}
		if (skip) {
			i += skip;
			continue;
		}
		out[k++] = s[i++];
	}
	out[k] = '\0';
}

static int header_field(const struct import_header *h, const char *text, size_t n)
{
	char norm[128];
	header_norm(text, n, norm, sizeof norm);
	if (!*norm)
		return -1;
	for (int f = 0; f < h->nfields; f++)
		if (!strcmp(norm, h->fields[f].zh) || !strcasecmp(norm, h->fields[f].en) ||
		    !strcmp(norm, h->fields[f].name))
			return f;
	return -1;
}

bool import_header_try(struct import_header *h, const struct sheet_row *row)
{
	int col[IMPORT_MAX_FIELDS], found = 0;
	for (int f = 0; f < h->nfields; f++)
		col[f] = -1;
	for (size_t c = 0; c < row->ncells; c++) {
		int f = header_field(h, row->cells[c].text, row->cells[c].len);
		if (f >= 0 && col[f] < 0) {
			col[f] = (int)c;
			found++;
		}
	}
	if (found < 2)
		return false;
	memcpy(h->col, col, sizeof col);
	h->row = row->number;
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
