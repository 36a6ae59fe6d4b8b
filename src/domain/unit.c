/*
 * unit.c — see unit.h.
 */
#include "domain/unit.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

/* clang-format off */
const struct field_def unit_fields[UF__COUNT] = {
	[UF_NAME] = {"name", "单位名称", "Unit name", true, 100, NULL},
	[UF_SHORT_NAME] = {"short_name", "单位简称", "Short name", false, 30, NULL},
	[UF_TYPE] = {"type", "单位类型", "Unit type", true, 0, &enum_unit_type},
	[UF_REGION] = {"region", "所属地区", "Region", true, 50, NULL},
	[UF_INDUSTRIES] = {"industries", "主导产业", "Industries", false, 200, NULL},
	[UF_CODE] = {"code", "单位代码", "Unit code", false, 32, NULL},
	[UF_SORT] = {"sort_order", "排序号", "Sort order", false, 9, NULL},
};
/* clang-format on */

/* Split on , , 、 ; ; and spaces; check each tag; join with ','. */
static const char *industries(struct field_ctx *c, const char *s)
{
	const struct field_def *f = &unit_fields[UF_INDUSTRIES];
	/* ';' separates tags here, but is refused in plain text: turn it into ',' first. */
	char *copy = s ? arena_strdup(c->arena, s) : NULL;
	for (char *p = copy; p && *p; p++)
		if (*p == ';')
			*p = ',';
	const char *t = field_text(c, f, copy, TEXT_PLAIN, f->max);
	if (!t || !*t)
		return t;
	static const char *const seps[] = { ",", ",", "、", ";", " ", "\xE3\x80\x80" };
	struct buf out = BUF_INIT(1024);
	const char *p = t;
	int tags = 0;
	while (*p) {
		size_t best = strlen(p), sep_len = 0;
		for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
			const char *q = strstr(p, seps[i]);
			if (q && (size_t)(q - p) < best) {
				best = (size_t)(q - p);
				sep_len = strlen(seps[i]);
			}
		}
		if (best > 0) {
			if (best > 30 || tags >= 20) {
				problems_add(c->pb, c->row, f->name, "too_long", "%s",
					     px_lang_is_en(c->lang)
						     ? "Industries: at most 20 tags of 30 bytes"
						     : "主导产业:最多 20 项,每项不超过 10 个字");
				buf_release(&out);
				return NULL;
			}
			if (tags++)
				buf_putc(&out, ',');
			buf_add(&out, p, best);
		}
		p += best + sep_len;
	}
	const char *r = arena_strdup(c->arena, out.data ? out.data : "");
	buf_release(&out);
	return r;
}

int unit_validate(struct field_ctx *c, const struct unit_input *in, struct unit *out)
{
	size_t before = problems_count(c->pb);
	memset(out, 0, sizeof *out);
	const struct field_def *f = unit_fields;
	out->name = field_text(c, &f[UF_NAME], in->v[UF_NAME], TEXT_PLAIN, f[UF_NAME].max);
	out->short_name = field_text(c, &f[UF_SHORT_NAME], in->v[UF_SHORT_NAME], TEXT_PLAIN,
				     f[UF_SHORT_NAME].max);
	out->type = field_enum(c, &f[UF_TYPE], in->v[UF_TYPE], f[UF_TYPE].choices);
	out->industries = industries(c, in->v[UF_INDUSTRIES]);
	out->code = field_text(c, &f[UF_CODE], in->v[UF_CODE], TEXT_PLAIN, f[UF_CODE].max);
	const char *sort = field_text(c, &f[UF_SORT], in->v[UF_SORT], TEXT_PLAIN, f[UF_SORT].max);
	if (sort && *sort) {
		char *end;
		long v = strtol(sort, &end, 10);
		if (*end || v < 0) {
			problems_add(c->pb, c->row, "sort_order", "invalid_number", "%s",
				     px_lang_is_en(c->lang) ? "Sort order must be a whole number"
							    : "排序号应为非负整数");
		}
		out->sort_order = (int)v;
	}
	return (int)(problems_count(c->pb) - before);
}
