/*
 * unit.h — the unit (单位) record and its validation, shared by the API and the importer.
 */
#ifndef PX_UNIT_H
#define PX_UNIT_H

#include <stdint.h>

#include "domain/fields.h"

enum unit_field {
	UF_NAME,
	UF_SHORT_NAME,
	UF_TYPE,
	UF_REGION,
	UF_INDUSTRIES,
	UF_CODE,
	UF_SORT,
	UF__COUNT
};

extern const struct field_def unit_fields[UF__COUNT];

struct unit_input {
	const char *v[UF__COUNT];
};

struct unit {
	int64_t id;
	int64_t region_id;
	int64_t parent_id; /* 主管单位, 0 when none */
	const char *name;
	const char *short_name;
	const char *type;       /* code of enum_unit_type */
	const char *industries; /* tags joined by ',' (input may use , 、 ; or spaces) */
	const char *code;       /* "" when none */
	int sort_order;
};

/* Validate and normalize; returns the number of problems added. The region is resolved by
 * the caller. */
int unit_validate(struct field_ctx *c, const struct unit_input *in, struct unit *out);

/*
 * How a unit's name is written in a registry against how the unit list writes it: the name
 * without the 中共 of a party organ, without any of the region names in `regions` in front
 * (南安市溪美街道, 福建省南安市…; each also without its 市/县/区/省: 南安市委组织部) and
 * without a trailing 办事处 or 人民政府 (溪美街道办事处, 英都镇人民政府). Into out (size
 * bytes, NUL-terminated); returns its length.
 */
size_t unit_name_key(const char *name, const char *const *regions, size_t nregions, char *out,
		     size_t size);
/* How alike two names are, 0 … 1: the Dice coefficient of their pairs of neighbouring
 * characters (a single character counts as its own pair). */
double unit_name_similarity(const char *a, const char *b);

#endif
