/*
 * fields.h — checks shared by every registry form and spreadsheet column.
 *
 * Each check reads one user-supplied text, adds a named problem when it is wrong (in the
 * user's language, naming the field by its label), and returns the normalized value.
 * Text is trimmed (ASCII spaces and the ideographic space U+3000) and must be valid UTF-8
 * without control characters. Names allow only what names contain — CJK ideographs,
 * Latin letters, the middle dot of minority names (·), spaces, '.' and '-' — so markup or
 * SQL pasted into a name is refused with a reason rather than stored.
 */
#ifndef PX_FIELDS_H
#define PX_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/problem.h"
#include "domain/enums.h"

/* A field of a form or a spreadsheet column: API name, the labels people see, and what the
 * checks hold it to. The same table validates a value and documents it (the API's request
 * schemas are generated from it), so the two cannot disagree. */
struct field_def {
	const char *name;
	const char *zh;
	const char *en;
	bool required;
	unsigned max;                     /* at most this many characters; 0: the check's own */
	const struct enum_table *choices; /* a vocabulary whose code (or label) it must be */
};

const char *field_label(const struct field_def *f, const char *lang);

/* Where problems go and in which language; row is the spreadsheet row or 0. */
struct field_ctx {
	struct problems *pb;
	struct arena *arena;
	const char *lang;
	long row;
	int32_t today;
};

enum text_kind {
	TEXT_PERSON_NAME, /* CJK, Latin letters, ·, space, . - */
	TEXT_PLAIN,       /* any printable text except < > " ' ; \ ` */
};

/*
 * Check text of at most max_chars characters. Returns the trimmed copy (in the arena), ""
 * for an empty optional field, or NULL after adding a problem.
 */
const char *field_text(struct field_ctx *c, const struct field_def *f, const char *s,
		       enum text_kind kind, size_t max_chars);
/* A vocabulary value given as code or label → its code; "" when empty and optional. */
const char *field_enum(struct field_ctx *c, const struct field_def *f, const char *s,
		       const struct enum_table *t);
/* A date (formats of date_parse) → "YYYY-MM-DD"; "" when empty and optional; not after
 * today when not_future. */
const char *field_date(struct field_ctx *c, const struct field_def *f, const char *s,
		       bool not_future);
/* field_date that also takes a month without its day (1985.03, 1985年3月, 1985-3: the
 * registry's 出生年月 and 任现职时间), as the first of the month, *month then true. */
const char *field_month_date(struct field_ctx *c, const struct field_def *f, const char *s,
			     bool not_future, bool *month);
/* 是/否, yes/no, true/false, 1/0, Y/N → 1/0; -1 after adding a problem. Empty → 0. */
int field_bool(struct field_ctx *c, const struct field_def *f, const char *s);
/* A whole number in [min, max]; def when empty; INT32_MIN after adding a problem. */
int field_int(struct field_ctx *c, const struct field_def *f, const char *s, int min, int max,
	      int def);
/* A decimal in [min, max] (at most 2 decimals); def when empty; -1 after adding a problem
 * (so min must be ≥ 0). */
double field_decimal(struct field_ctx *c, const struct field_def *f, const char *s, double min,
		     double max, double def);
/* Codes of a vocabulary separated by ',' or '、' → codes joined by ','; "" when empty. */
const char *field_enum_list(struct field_ctx *c, const struct field_def *f, const char *s,
			    const struct enum_table *t);
/* A search text folded as a name is (full-width forms, spaces, no space between two CJK
 * characters), so that 王  芳 finds 王芳; NULL and invalid UTF-8 come back as they are. */
const char *field_search_text(struct arena *a, const char *q);
/* A phone number: 11-digit mobile starting with 1, or a landline of digits and '-'. */
const char *field_phone(struct field_ctx *c, const struct field_def *f, const char *s);

#endif
