/*
 * cadre.h — the cadre (干部) record and its validation rules (SPEC §2).
 *
 * cadre_validate() is the one place that decides whether a cadre is acceptable; the API's
 * create/update and the spreadsheet importer both call it, so a form and a file are held
 * to the same rules. It is pure: the caller resolves the unit and looks for duplicates in
 * the database.
 */
#ifndef PX_CADRE_H
#define PX_CADRE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/idcard.h"
#include "domain/fields.h"

/* Field indexes into cadre_fields[] and struct cadre_input.v[]. */
enum cadre_field {
	CF_NAME,
	CF_GENDER,
	CF_BIRTH_DATE,
	CF_ID_NUMBER,
	CF_PHONE,
	CF_UNIT,
	CF_POST,
	CF_IS_HEAD,
	CF_RANK_LEVEL,
	CF_RANK_POSITION,
	CF_GRADE,
	CF_CATEGORY,
	CF_POST_DATE,
	CF_PROMOTION_DATE,
	CF_STATUS,
	CF__COUNT
};

/* The columns of the import template, in order, with their labels. */
extern const struct field_def cadre_fields[CF__COUNT];

/* Raw text as typed (NULL = absent). The unit is resolved by the caller. */
struct cadre_input {
	const char *v[CF__COUNT];
};

/* A validated, normalized cadre. Strings point into the validation arena. */
struct cadre {
	int64_t id;
	int64_t unit_id;
	const char *name;
	char gender[2];      /* "M" or "F" */
	char birth_date[11]; /* YYYY-MM-DD, from the ID number */
	char id_number[IDCARD_LEN + 1];
	const char *phone; /* "" when none */
	const char *post;
	int is_head;
	const char *rank_level;    /* codes of enums.h */
	const char *rank_position; /* "chief", "deputy" or "" (not said) */
	const char *grade;
	const char *category;
	const char *post_date; /* "" or YYYY-MM-DD */
	const char *promotion_date;
	const char *status;
};

/*
 * Validate and normalize `in` into `out`. Adds every problem found to c->pb and returns
 * the number added (0 = valid). Gender and birth date, when given, must agree with the ID
 * number; when absent they are taken from it. Dates may not lie in the future, and the post
 * and promotion dates may not precede the 16th birthday.
 */
int cadre_validate(struct field_ctx *c, const struct cadre_input *in, struct cadre *out);

/* A career field that an update changes: kept as history, never overwritten (SPEC §2). */
struct cadre_change {
	const char *field;                 /* "post", "rank_level" … "unit" */
	const char *old_value, *new_value; /* codes (or the unit ids, as text) */
	const struct enum_table *labels;   /* the vocabulary of the codes, or NULL */
};
#define CADRE_CAREER_FIELDS 8

/* The career fields (unit, post, rank level and its 正/副, grade, category, status, 一把手) whose
 * values differ between before and after, into out; returns how many. Unit ids are written as text
 * into the arena. */
size_t cadre_career_changes(struct arena *a, const struct cadre *before, const struct cadre *after,
			    struct cadre_change out[CADRE_CAREER_FIELDS]);

#endif
