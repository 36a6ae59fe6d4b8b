/*
 * unit.c — see unit.h.
 */
#include "domain/unit.h"

#include <stdbool.h>
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

/* s without prefix p (of n bytes) in front: true when it had it. */
static bool cut_front(const char **s, size_t *len, const char *p, size_t n)
{
	if (n == 0 || n >= *len || memcmp(*s, p, n))
		return false;
	*s += n;
	*len -= n;
	return true;
}

/* Whether s starts with what follows 市/县/区 in an organ's name (市委, 县政府, 区人大 …). */
static bool organ(const char *s, size_t len)
{
	static const char *const heads[] = { "委", "政府", "人大", "政协", "纪委", "直属" };
	for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++)
		if (len >= strlen(heads[i]) && !memcmp(s, heads[i], strlen(heads[i])))
			return true;
	return false;
}

size_t unit_name_key(const char *name, const char *const *regions, size_t nregions, char *out,
		     size_t size)
{
	const char *s = name;
	size_t len = strlen(name);
	cut_front(&s, &len, "中共", strlen("中共"));
	for (bool again = true; again;) { /* 福建省泉州市南安市… */
		again = false;
		for (size_t i = 0; i < nregions && !again; i++) {
			size_t n = strlen(regions[i]);
			bool level = n > 3 && (!strcmp(regions[i] + n - 3, "市") ||
					       !strcmp(regions[i] + n - 3, "县") ||
					       !strcmp(regions[i] + n - 3, "区") ||
					       !strcmp(regions[i] + n - 3, "省"));
			/* 南安市委组织部 is 市委组织部 of 南安: the 市 stays before 委, 政府 … */
			if (level && len > n && memcmp(s, regions[i], n) == 0 &&
			    organ(s + n, len - n))
				n -= 3;
			if (cut_front(&s, &len, regions[i], n))
				again = true;
			else if (level)
				again = cut_front(&s, &len, regions[i], n - 3);
		}
	}
	static const char *const tails[] = { "办事处", "人民政府" };
	for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
		size_t n = strlen(tails[i]);
		if (len > n && !memcmp(s + len - n, tails[i], n))
			len -= n;
	}
	if (len >= size)
		len = size - 1;
	memcpy(out, s, len);
	out[len] = '\0';
	return len;
}

/* The byte offsets of the first (at most max) characters of s, and at[n] the end of the
 * last: their count n. */
static size_t chars_of(const char *s, size_t *at, size_t max)
{
	size_t n = 0, i = 0;
	while (s[i] && n < max) {
		at[n++] = i;
		do
			i++;
		while ((s[i] & 0xC0) == 0x80);
	}
	at[n] = i;
	return n;
}

#define SIMILAR_CHARS 64

double unit_name_similarity(const char *a, const char *b)
{
	size_t pa[SIMILAR_CHARS + 1], pb[SIMILAR_CHARS + 1];
	size_t na = chars_of(a, pa, SIMILAR_CHARS), nb = chars_of(b, pb, SIMILAR_CHARS);
	if (!na || !nb)
		return 0;
	size_t ga = na > 1 ? na - 1 : 1, gb = nb > 1 ? nb - 1 : 1; /* pairs of each */
	bool used[SIMILAR_CHARS] = { false };
	size_t common = 0;
	for (size_t i = 0; i < ga; i++) {
		size_t la = pa[i + (na > 1 ? 2 : 1)] - pa[i];
		for (size_t j = 0; j < gb; j++) {
			size_t lb = pb[j + (nb > 1 ? 2 : 1)] - pb[j];
			if (!used[j] && la == lb && !memcmp(a + pa[i], b + pb[j], la)) {
				used[j] = true;
				common++;
				break;
			}
		}
	}
	return 2.0 * (double)common / (double)(ga + gb);
}
