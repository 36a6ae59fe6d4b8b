/*
 * sheet_fixture.h — helpers shared by the files/ unit tests: load a fixture from
 * tests/data (PX_TEST_DATA), and read a spreadsheet into one comparable string.
 *
 * A read is dumped as one line per delivered row, "N: T[text] T[text] …", with T the cell
 * type (E empty, S string, N number, B bool, D date, X error). Comparing whole dumps makes
 * a test say exactly what the reader must produce. The callback also checks each cell's
 * contract (text NUL-terminated at len, valid UTF-8, date set only for dates).
 */
#ifndef PX_TEST_SHEET_FIXTURE_H
#define PX_TEST_SHEET_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "files/sheet.h"

static inline char *fixture_load(const char *name, size_t *size)
{
	const char *dir = getenv("PX_TEST_DATA");
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/data", name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fixture missing: %s\n", path);
		abort();
	}
	struct buf b = BUF_INIT(0);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, size);
}

struct dump {
	struct buf out;
	uint32_t stop_at; /* return stop_err at this row number (0: never) */
	px_err stop_err;
	int contract_broken;
};

static inline px_err dump_row(void *ctx, const struct sheet_row *r)
{
	static const char type_letter[] = "ESNBDX";
	struct dump *d = ctx;
	buf_printf(&d->out, "%u:", (unsigned)r->number);
	for (size_t i = 0; i < r->ncells; i++) {
		const struct sheet_cell *c = &r->cells[i];
		if (!c->text || c->text[c->len] != '\0' || !utf8_valid(c->text, c->len) ||
		    (c->type == SHEET_DATE) != (c->date != DATE_NONE) ||
		    (c->type == SHEET_EMPTY && c->len))
			d->contract_broken = 1;
		buf_printf(&d->out, " %c[%s]", type_letter[c->type], c->text);
	}
	if (r->ncells && r->cells[r->ncells - 1].type == SHEET_EMPTY)
		d->contract_broken = 1; /* trailing empty cells are trimmed */
	buf_putc(&d->out, '\n');
	if (d->stop_at && r->number >= d->stop_at)
		return d->stop_err;
	return PX_OK;
}

/* Read data with opt (may be NULL); *out is the dump (caller frees). */
static inline px_err dump_read(const void *data, size_t size, const struct sheet_options *opt,
			       struct sheet_result *res, char **out)
{
	struct dump d = { .out = BUF_INIT(0) };
	px_err rc = sheet_read(data, size, opt, dump_row, &d, res);
	if (d.contract_broken)
		buf_puts(&d.out, "<cell contract broken>\n");
	*out = buf_detach(&d.out, NULL);
	return rc;
}

static inline px_err dump_fixture(const char *name, const struct sheet_options *opt,
				  struct sheet_result *res, char **out)
{
	size_t n;
	char *data = fixture_load(name, &n);
	px_err rc = dump_read(data, n, opt, res, out);
	free(data);
	return rc;
}

#endif
