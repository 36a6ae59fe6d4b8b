/*
 * online_hours.h — a row of an online-academy hours file (网络学院学时), as a pure rule.
 *
 * 网络学院 platforms (中国干部网络学院, a province's 干部网络学院 …) export what each cadre
 * completed as a sheet: the ID number, usually the name, the course, the 学时 it earned and
 * the day it was completed, sometimes the platform. Each office names the columns its own
 * way; the names below are those seen, folded as the registry's are (columns.h).
 *
 * A row is refused (with the field and the reason in the caller's language) when the ID
 * number is not a valid one, the course is empty or too long, the hours are not a number
 * above 0 with at most two decimals, or more than a day holds (24 学时), or the date is not
 * a date or lies in the future. What needs more than the row — whether the number is a
 * cadre of the importer's scope, duplicates within the file and against the ledger, the sum
 * of a day — is the service's (service/online_import.c).
 *
 * Pure: no I/O.
 */
#ifndef PX_ONLINE_HOURS_H
#define PX_ONLINE_HOURS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/idcard.h"
#include "domain/fields.h"

enum online_hours_field {
	OH_ID_NUMBER,
	OH_NAME,
	OH_COURSE,
	OH_HOURS,
	OH_COMPLETED_ON,
	OH_PLATFORM,
	OH__COUNT
};

extern const struct field_def online_hours_fields[OH__COUNT];
extern const char *const *const online_hours_column_names[OH__COUNT];

/* The most 学时 one day can hold, in hundredths. */
#define OH_DAY_MAX_CENTI 2400

struct online_hours_row {
	char id_number[IDCARD_LEN + 1]; /* normalized */
	const char *name;               /* "" when the file has none */
	const char *course;
	const char *completed_on; /* YYYY-MM-DD */
	const char *platform;     /* "" when none */
	int64_t centi_hours;
};

/* Check one row's cells (NULL: the column is absent) into out; false after adding its
 * problems to c (c->row names the row). */
bool online_hours_check(struct field_ctx *c, const char *const cells[OH__COUNT],
			struct online_hours_row *out);

#endif
