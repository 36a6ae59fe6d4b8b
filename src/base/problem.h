/*
 * problem.h — a list of named problems with the input: which row, which field, what.
 *
 * Validation never stops at the first bad field: the user fixes a form or a spreadsheet in
 * one pass only if every problem is reported. Domain rules add problems here; the API turns
 * the list into {"error":{"details":[{"row","field","code","message"}…]}} and the importer
 * into an error column. Messages are already in the user's language when added.
 */
#ifndef PX_PROBLEM_H
#define PX_PROBLEM_H

#include <stddef.h>

struct problem {
	long row;          /* spreadsheet row (1-based, as Excel shows it) or 0 */
	const char *field; /* API field name, e.g. "id_number"; static string */
	const char *code;  /* snake_case reason, e.g. "checksum"; static string */
	char *message;     /* owned */
};

struct problems {
	struct problem *items;
	size_t n, alloc;
	size_t max; /* stop recording after this many (0 = 1000); `dropped` counts the rest */
	size_t dropped;
};

void problems_init(struct problems *p);
void problems_release(struct problems *p);
void problems_add(struct problems *p, long row, const char *field, const char *code,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Total problems seen, including dropped ones. */
size_t problems_count(const struct problems *p);

#endif
