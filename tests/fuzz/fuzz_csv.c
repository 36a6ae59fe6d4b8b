/*
 * fuzz_csv.c — libFuzzer target for the .csv reader.
 *
 * The first byte picks the options (delimiter guessed or given, tight or default limits),
 * the rest is the file. Checks, besides memory safety: cells are NUL-terminated UTF-8 of
 * their stated length, rows ascend, and a failure carries a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/utf8.h"
#include "files/sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static px_err check_row(void *ctx, const struct sheet_row *r)
{
	uint32_t *last = ctx;
	if (r->number <= *last || r->ncells == 0)
		abort();
	*last = r->number;
	for (size_t i = 0; i < r->ncells; i++) {
		const struct sheet_cell *c = &r->cells[i];
		if (!c->text || c->text[c->len] != '\0' || strlen(c->text) != c->len ||
		    !utf8_valid(c->text, c->len) || c->date != DATE_NONE ||
		    (c->type != SHEET_STRING && c->type != SHEET_EMPTY) ||
		    (c->type == SHEET_EMPTY) != (c->len == 0))
			abort();
	}
	if (r->cells[r->ncells - 1].type == SHEET_EMPTY)
		abort();
	return PX_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delimiters[] = { 0, ',', '\t', ';', '|', '"', '\n' };
	uint8_t sel = size ? data[0] : 0;
	struct sheet_options o = {
		.format = SHEET_FORMAT_CSV,
		.lang = sel & 0x80 ? "en" : NULL,
		.csv_delimiter = delimiters[sel % sizeof delimiters],
	};
	if (sel & 0x40)
		o.limits = (struct sheet_limits){
			.max_rows = 50, .max_cols = 8, .max_cell_bytes = 64, .max_total_bytes = 4096
		};
	if (size)
		data++, size--;
	struct sheet_result res;
	uint32_t last = 0;
	px_err rc = sheet_read(data, size, &o, check_row, &last, &res);
	if (rc != PX_OK && (!res.message[0] || !utf8_valid(res.message, strlen(res.message))))
		abort();
	return 0;
}
