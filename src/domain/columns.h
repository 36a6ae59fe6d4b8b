/*
 * columns.h — the names offices give the columns of a registry file, beside the field
 * tables (cadre_fields, unit_fields) whose columns they name.
 *
 * A dozen HR offices write 身份证号 as 身份证号码, 公民身份号码 or 身份证, and 联系电话 as
 * 手机号码, 手机 or 电话; a header cell may hold 姓 名 with a space, 姓名⏎ with a line break,
 * （必填） in full-width parentheses or a "*" mark. A header cell is folded first
 * (column_fold: full-width letters, digits and punctuation to ASCII, ASCII letters to
 * lower case, every kind of space and line break removed, the required marks dropped) and
 * then looked up among each field's names: its Chinese label, its English label, its API
 * name and the aliases below — every one of them folded the same way, so the table is
 * written as people write it. A row counter (序号) is a column of its own kind: not data,
 * never imported and never named back as a column left out.
 *
 * Pure: no I/O, no allocation.
 */
#ifndef PX_COLUMNS_H
#define PX_COLUMNS_H

#include <stddef.h>

#include "domain/fields.h"

/* Aliases of each field of cadre_fields / unit_fields (besides its labels and API name),
 * NULL-terminated. */
extern const char *const *const cadre_column_names[];
extern const char *const *const unit_column_names[];

/* The folded header text of s[0..n) into out (NUL-terminated, at most size - 1 bytes; the
 * input is read only as far as out has room). Returns the folded length. */
size_t column_fold(const char *s, size_t n, char *out, size_t size);

/* The field of fields[0..nfields) (with aliases[f], may be NULL) that folded header text
 * names, or -1. */
int column_field(const struct field_def *fields, const char *const *const *aliases, int nfields,
		 const char *folded);

/* Whether folded header text names a row counter (序号, No. …). */
bool column_is_counter(const char *folded);

#endif
