/*
 * fuzz_fields.c — the validators every form field and spreadsheet cell goes through:
 * cadre_validate and unit_validate on fields cut from the input at '|' (so a seed is
 * readable: "张三|男||350583198001010011|…"), plus date_parse, idcard_check, utf8_trim and
 * the GB18030 decoder on the raw bytes, and mask_numbers on the raw text and on every problem
 * message (as the importer masks them before they are stored).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/idcard.h"
#include "base/utf8.h"
#include "domain/cadre.h"
#include "domain/mask.h"
#include "domain/unit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	struct arena a;
	arena_init(&a);
	char *text = arena_strndup(&a, (const char *)data, size);
	size_t n = strlen(text); /* a NUL in the input ends the text, as in C strings */

	date_parse(text, n);
	char id[IDCARD_LEN + 1];
	int32_t birth;
	char gender;
	idcard_check(text, n, date_from_ymd(2026, 11, 29), id, &birth, &gender);
	const char *t = text;
	utf8_trim(&t, n);
	struct buf b = BUF_INIT(1 << 16);
	enum text_encoding enc;
	utf8_decode_file((const char *)data, size, &b, &enc);
	buf_release(&b);
	char *masked = arena_strdup(&a, text);
	mask_numbers(masked);
	if (strlen(masked) > n) /* masking never lengthens a text */
		abort();

	struct cadre_input ci = { { 0 } };
	struct unit_input ui = { { 0 } };
	char *p = arena_strdup(&a, text);
	for (int f = 0; f < CF__COUNT && p; f++) {
		char *bar = strchr(p, '|');
		if (bar)
			*bar = '\0';
		ci.v[f] = p;
		if (f < UF__COUNT)
			ui.v[f] = p;
		p = bar ? bar + 1 : NULL;
	}
	struct problems pb;
	problems_init(&pb);
	struct field_ctx c = { .pb = &pb,
			       .arena = &a,
			       .lang = size & 1 ? "en" : "zh-CN",
			       .row = 2,
			       .today = date_from_ymd(2026, 11, 29) };
	struct cadre out;
	cadre_validate(&c, &ci, &out);
	struct unit u;
	unit_validate(&c, &ui, &u);
	for (size_t i = 0; i < pb.n; i++)
		mask_numbers(pb.items[i].message);
	problems_release(&pb);
	arena_release(&a);
	return 0;
}
