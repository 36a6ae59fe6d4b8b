/*
 * fuzz_xlsx.c — libFuzzer target for the .xlsx reader.
 *
 * An input starting with "PK" (or the OLE2 magic) goes through the whole path: libzip,
 * size checks, then XML. Anything else is read as a parts container ("name\0content\0…",
 * see xlsx_parts.c), which lets mutations reach the XML handlers directly instead of
 * dying on a zip CRC. Besides "no crash, no leak, no UB", it checks the reader's promises:
 * every delivered cell is NUL-terminated UTF-8 of its stated length, rows ascend, and a
 * failure carries a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/utf8.h"
#include "files/sheet.h"
#include "files/xlsx_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct check {
	uint32_t last_row;
};

static px_err check_row(void *ctx, const struct sheet_row *r)
{
	struct check *k = ctx;
	if (r->number <= k->last_row || r->number > SHEET_EXCEL_MAX_ROWS || r->ncells == 0 ||
	    r->ncells > SHEET_EXCEL_MAX_COLS)
		abort();
	k->last_row = r->number;
	for (size_t i = 0; i < r->ncells; i++) {
		const struct sheet_cell *c = &r->cells[i];
		if (!c->text || c->text[c->len] != '\0' || strlen(c->text) != c->len ||
		    !utf8_valid(c->text, c->len) ||
		    (c->type == SHEET_DATE) != (c->date != DATE_NONE))
			abort();
	}
	if (r->cells[r->ncells - 1].type == SHEET_EMPTY)
		abort();
	return PX_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sheet_options o = {
		.format = SHEET_FORMAT_XLSX,
		.lang = size & 1 ? "en" : "zh-CN",
		.limits = { .max_total_bytes = 8u << 20, .max_cell_bytes = 4096, .max_cols = 512 },
	};
	struct sheet_result res;
	struct check k = { 0 };
	px_err rc;
	if (size >= 2 && ((data[0] == 'P' && data[1] == 'K') || data[0] == 0xD0))
		rc = sheet_read(data, size, &o, check_row, &k, &res);
	else
		rc = xlsx_read_parts(data, size, &o, check_row, &k, &res);
	if (rc != PX_OK && (!res.message[0] || !utf8_valid(res.message, strlen(res.message))))
		abort();
	if (rc == PX_OK && res.rows && res.last_row != k.last_row)
		abort();
	return 0;
}
