/*
 * query.c — reading query strings by their specs (see query.h).
 */
#include "api/query.h"

#include <string.h>

#include "base/date.h"
#include "base/utf8.h"

#define QUERY_TEXT_MAX 200

static void bad(struct http_req *r, const char *name, const char *zh, const char *en)
{
	problems_add(&r->problems, 0, name, "invalid", "%s: %s", name,
		     px_lang_is_en(r->lang) ? en : zh);
}

/* A control character — C0, DEL, C1, or a bidirectional override or isolate (U+202A–202E,
 * U+2066–2069: "report\u202Efdp.exe" shows as "reportexe.pdf") — in valid UTF-8 v[0..len):
 * no name, search or file name holds one, and one carried into a header, a log line, a
 * spreadsheet cell or a file list could forge or disguise what follows it. */
static bool has_control(const char *v, size_t len)
{
	const unsigned char *p = (const unsigned char *)v;
	for (size_t i = 0; i < len; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f)
			return true;
		if (p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f)
			return true; /* U+0080–009F */
		if (p[i] == 0xe2 && i + 2 < len &&
		    ((p[i + 1] == 0x80 && p[i + 2] >= 0xaa && p[i + 2] <= 0xae) ||
		     (p[i + 1] == 0x81 && p[i + 2] >= 0xa6 && p[i + 2] <= 0xa9)))
			return true; /* U+202A–202E, U+2066–2069 */
	}
	return false;
}

/* A whole number, strictly: an optional minus, then digits (at most 18). */
static bool whole(const char *v, int64_t *out)
{
	const char *p = v;
	bool neg = *p == '-';
	p += neg;
	size_t n = strlen(p);
	if (n == 0 || n > 18)
		return false;
	int64_t x = 0;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		x = x * 10 + (*p - '0');
	}
	*out = neg ? -x : x;
	return true;
}

static void read_field(struct http_req *r, const struct query_field *f, char *filter)
{
	const char *v = http_query(r, f->name);
	if (!v || !*v)
		return;
	void *dst = filter + f->offset;
	int64_t n;
	switch (f->type) {
	case QUERY_ID:
		if (whole(v, &n) && n > 0)
			*(int64_t *)dst = n;
		else
			bad(r, f->name, "应为记录编号", "must be a record id");
		return;
	case QUERY_INT:
		if (whole(v, &n) && n >= f->min && n <= f->max)
			*(int64_t *)dst = n;
		else
			problems_add(&r->problems, 0, f->name, "invalid", "%s: %s %ld–%ld", f->name,
				     px_lang_is_en(r->lang) ? "must be a whole number within"
							    : "应为整数,范围",
				     f->min, f->max);
		return;
	case QUERY_BOOL:
		if (!strcmp(v, "1") || !strcmp(v, "true"))
			*(int *)dst = 1;
		else if (!strcmp(v, "0") || !strcmp(v, "false"))
			*(int *)dst = 0;
		else
			bad(r, f->name, "应为 1(是)或 0(否)", "must be 1 (yes) or 0 (no)");
		return;
	case QUERY_TEXT: {
		size_t len = utf8_trim(&v, strlen(v));
		if (!utf8_valid(v, len))
			bad(r, f->name, "含有无效字符", "is not valid UTF-8");
		else if (has_control(v, len))
			bad(r, f->name, "含有控制字符(如换行、制表符、方向控制符)",
			    "holds a control character (a line break, a tab, a direction override "
			    "…)");
		else if (utf8_length(v, len) > QUERY_TEXT_MAX)
			bad(r, f->name, "过长(最多 200 个字)",
			    "is too long (at most 200 characters)");
		else if (len)
			*(const char **)dst = arena_strndup(&r->arena, v, len);
		return;
	}
	case QUERY_CODE:
		if (enum_by_code(f->choices, v))
			*(const char **)dst = v;
		else
			bad(r, f->name, "不是可选的值", "is not one of the codes allowed");
		return;
	case QUERY_DATE: {
		int32_t d = date_parse(v, strlen(v));
		char iso[11];
		if (d > 0 && strlen(v) == 10 && !strcmp(date_format(d, iso), v))
			*(const char **)dst = v;
		else
			bad(r, f->name, "应为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD");
		return;
	}
	}
}

px_err api_query(struct http_req *r, const struct query_spec *spec, void *filter)
{
	size_t before = problems_count(&r->problems);
	for (size_t i = 0; spec && i < spec->n; i++)
		read_field(r, &spec->fields[i], filter);
	return problems_count(&r->problems) > before ? PX_ERR_INVALID : PX_OK;
}
