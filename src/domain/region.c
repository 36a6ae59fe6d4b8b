/*
 * region.c — see region.h.
 */
#include "domain/region.h"

/* clang-format off */
const struct field_def region_fields[RF__COUNT] = {
	[RF_NAME] = {"name", "名称", "Name", true, 50, NULL},
	[RF_CODE] = {"code", "区划代码", "Code", false, 12, NULL},
	[RF_LEVEL] = {"level", "层级", "Level", true, 0, &enum_region_level},
};
/* clang-format on */

int region_validate(struct field_ctx *c, const struct region_input *in,
		    struct region_fields_out *out)
{
	size_t before = problems_count(c->pb);
	const struct field_def *f = region_fields;
	out->name = field_text(c, &f[RF_NAME], in->v[RF_NAME], TEXT_PLAIN, f[RF_NAME].max);
	out->code = field_text(c, &f[RF_CODE], in->v[RF_CODE], TEXT_PLAIN, f[RF_CODE].max);
	out->level = field_enum(c, &f[RF_LEVEL], in->v[RF_LEVEL], f[RF_LEVEL].choices);
	if (in->parent_id < 0)
		problems_add(c->pb, c->row, "parent_id", "invalid", "parent_id");
	return (int)(problems_count(c->pb) - before);
}
