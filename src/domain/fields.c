/*
 * fields.c — see fields.h.
 */
#include "domain/fields.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/utf8.h"

const char *field_label(const struct field_def *f, const char *lang)
{
	return px_lang_is_en(lang) ? f->en : f->zh;
}

static int en(const struct field_ctx *c)
{
	return px_lang_is_en(c->lang);
}

/* Trim and check presence; returns the trimmed text in the arena, "" or NULL. */
static const char *take(struct field_ctx *c, const struct field_def *f, const char *s, size_t *len)
{
	if (!s)
		s = "";
	size_t n = strlen(s);
	if (!utf8_valid(s, n)) {
		problems_add(c->pb, c->row, f->name, "invalid_utf8",
			     en(c) ? "%s: the text is not valid UTF-8" : "%s:文本编码无效",
			     field_label(f, c->lang));
		return NULL;
	}
	if (utf8_foldable(s, n)) {
		struct buf b = BUF_INIT(0);
		unsigned cp = utf8_fold(s, n, &b);
		s = arena_strndup(c->arena, b.data ? b.data : "", b.len);
		n = b.len;
		buf_release(&b);
		if (cp) {
			problems_add(c->pb, c->row, f->name, "invisible_character",
				     en(c) ? "%s contains an invisible character (U+%04X): delete "
					     "it and type the value again"
					   : "%s含有不可见字符(U+%04X),请删除后重新填写",
				     field_label(f, c->lang), cp);
			return NULL;
		}
	}
	n = utf8_trim(&s, n);
	if (n == 0) {
		if (f->required) {
			problems_add(c->pb, c->row, f->name, "required",
				     en(c) ? "%s is required" : "%s不能为空",
				     field_label(f, c->lang));
			return NULL;
		}
		*len = 0;
		return "";
	}
	if (utf8_has_control(s, n)) {
		problems_add(c->pb, c->row, f->name, "invalid_characters",
			     en(c) ? "%s contains control characters" : "%s含有控制字符",
			     field_label(f, c->lang));
		return NULL;
	}
	*len = n;
	return arena_strndup(c->arena, s, n);
}

/* Decode one code point of valid UTF-8 at s; returns its byte length. */
static size_t decode(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xE0) {
		*cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if (s[0] < 0xF0) {
		*cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) |
		      (s[2] & 0x3F);
		return 3;
	}
	*cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
	      ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
	return 4;
}

static bool name_char(uint32_t cp)
{
	return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cp == ' ' || cp == '.' ||
	       cp == '-' || cp == 0x00B7 || cp == 0x2022 || cp == 0x30FB ||
	       (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x323AF);
}

/* A name without the spaces that stand between two CJK characters (王 芳 → 王芳: offices pad
 * two-character names to line up with three); spaces between Latin words stay. */
static const char *name_spaces(struct arena *a, const char *t)
{
	size_t n = strlen(t);
	char *out = arena_alloc(a, n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		bool cjk_before = k > 0 && (unsigned char)out[k - 1] >= 0x80;
		bool cjk_after = i + 1 < n && (unsigned char)t[i + 1] >= 0x80;
		if (t[i] == ' ' && cjk_before && cjk_after)
			continue;
		out[k++] = t[i];
	}
	out[k] = '\0';
	return out;
}

static bool plain_char(uint32_t cp)
{
	return cp >= 0x80 || cp == 0 || !strchr("<>\"';\\`", (int)cp);
}

const char *field_text(struct field_ctx *c, const struct field_def *f, const char *s,
		       enum text_kind kind, size_t max_chars)
{
	size_t n;
	const char *t = take(c, f, s, &n);
	if (!t || !n)
		return t;
	if (utf8_length(t, n) > max_chars) {
		problems_add(c->pb, c->row, f->name, "too_long",
			     en(c) ? "%s is longer than %zu characters" : "%s不能超过 %zu 个字",
			     field_label(f, c->lang), max_chars);
		return NULL;
	}
	if (kind == TEXT_PERSON_NAME && strchr(t, ' '))
		t = name_spaces(c->arena, t);
	const unsigned char *p = (const unsigned char *)t;
	while (*p) {
		uint32_t cp;
		size_t k = decode(p, &cp);
		bool ok = kind == TEXT_PERSON_NAME ? name_char(cp) : plain_char(cp);
		if (!ok) {
			problems_add(c->pb, c->row, f->name, "invalid_characters",
				     en(c) ? "%s contains a character that is not allowed: %.*s"
					   : "%s含有不允许的字符:%.*s",
				     field_label(f, c->lang), (int)k, (const char *)p);
			return NULL;
		}
		p += k;
	}
	return t;
}

const char *field_enum(struct field_ctx *c, const struct field_def *f, const char *s,
		       const struct enum_table *t)
{
	size_t n;
	const char *v = take(c, f, s, &n);
	if (!v || !n)
		return v;
	const struct enum_item *it = enum_find(t, v, n);
	if (!it)
		it = enum_synonym(t, v, n, NULL); /* 正科级, 在岗, 参公人员 … */
	if (!it) {
		char allowed[512];
		enum_list_labels(t, c->lang, allowed, sizeof allowed);
		problems_add(c->pb, c->row, f->name, "unknown_value",
			     en(c) ? "%s: unknown value \"%s\"; use one of: %s"
				   : "%s:无法识别「%s」,可选值为 %s",
			     field_label(f, c->lang), v, allowed);
		return NULL;
	}
	return it->code;
}

/* field_date and field_month_date: month NULL when a month without its day is no date. */
static const char *date_of(struct field_ctx *c, const struct field_def *f, const char *s,
			   bool not_future, bool *month)
{
	size_t n;
	const char *v = take(c, f, s, &n);
	if (!v || !n)
		return v;
	int32_t d = date_parse(v, n);
	if (d == DATE_NONE && month && (d = date_parse_month(v, n)) != DATE_NONE)
		*month = true;
	if (d == DATE_NONE) {
		problems_add(c->pb, c->row, f->name, "invalid_date",
			     en(c) ? "%s: \"%s\" is not a valid date (use 2023-02-18)"
				   : "%s:「%s」不是有效日期(格式如 2023-02-18)",
			     field_label(f, c->lang), v);
		return NULL;
	}
	if (not_future && c->today != DATE_NONE && d > c->today) {
		problems_add(c->pb, c->row, f->name, "future_date",
			     en(c) ? "%s cannot be in the future" : "%s不能晚于今天",
			     field_label(f, c->lang));
		return NULL;
	}
	char *out = arena_alloc(c->arena, 11);
	return date_format(d, out);
}

const char *field_date(struct field_ctx *c, const struct field_def *f, const char *s,
		       bool not_future)
{
	return date_of(c, f, s, not_future, NULL);
}

const char *field_month_date(struct field_ctx *c, const struct field_def *f, const char *s,
			     bool not_future, bool *month)
{
	*month = false;
	return date_of(c, f, s, not_future, month);
}

int field_bool(struct field_ctx *c, const struct field_def *f, const char *s)
{
	static const char *const yes[] = { "是", "1", "true", "yes", "y", "Y", "TRUE", "Yes", "√" };
	static const char *const no[] = { "否", "0", "false", "no", "n", "N", "FALSE", "No", "" };
	size_t n;
	const char *v = take(c, f, s, &n);
	if (!v)
		return -1;
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (!strcmp(v, yes[i]))
			return 1;
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (!strcmp(v, no[i]))
			return 0;
	problems_add(c->pb, c->row, f->name, "invalid_boolean",
		     en(c) ? "%s: write yes or no" : "%s:请填写“是”或“否”",
		     field_label(f, c->lang));
	return -1;
}

const char *field_phone(struct field_ctx *c, const struct field_def *f, const char *s)
{
	size_t n;
	const char *v = take(c, f, s, &n);
	if (!v || !n)
		return v;
	const char *typed = v; /* for the message */
	if (strchr(v, ' ')) {  /* 138 0000 0000 */
		char *t = arena_strdup(c->arena, v), *k = t;
		for (const char *p = t; *p; p++)
			if (*p != ' ')
				*k++ = *p;
		*k = '\0';
		v = t;
		n = strlen(v);
	}
	size_t digits = 0;
	bool ok = n <= 20;
	for (size_t i = 0; ok && i < n; i++) {
		if (v[i] >= '0' && v[i] <= '9')
			digits++;
		else if (v[i] != '-' || i == 0)
			ok = false;
	}
	if (ok && v[0] == '1' && digits == n)
		ok = n == 11; /* a mobile number */
	else if (ok)
		ok = digits >= 7 && digits <= 16;
	if (!ok) {
		problems_add(c->pb, c->row, f->name, "invalid_phone",
			     en(c) ? "%s: \"%s\" is not a valid phone number"
				   : "%s:「%s」不是有效的电话号码",
			     field_label(f, c->lang), typed);
		return NULL;
	}
	return v;
}

int field_int(struct field_ctx *c, const struct field_def *f, const char *s, int min, int max,
	      int def)
{
	size_t n;
	const char *v = take(c, f, s, &n);
	if (!v)
		return INT32_MIN;
	if (!n)
		return def;
	char *end;
	long x = strtol(v, &end, 10);
	if (*end || x < min || x > max) {
		problems_add(c->pb, c->row, f->name, "invalid_number",
			     en(c) ? "%s must be a whole number from %d to %d"
				   : "%s应为 %d 至 %d 之间的整数",
			     field_label(f, c->lang), min, max);
		return INT32_MIN;
	}
	return (int)x;
}

double field_decimal(struct field_ctx *c, const struct field_def *f, const char *s, double min,
		     double max, double def)
{
	size_t n;
	const char *v = take(c, f, s, &n);
	if (!v)
		return -1;
	if (!n)
		return def;
	char *end;
	double x = strtod(v, &end);
	const char *dot = strchr(v, '.');
	if (*end || !(x >= min && x <= max) || (dot && strlen(dot + 1) > 2)) {
		problems_add(c->pb, c->row, f->name, "invalid_number",
			     en(c) ? "%s must be a number from %g to %g (2 decimals at most)"
				   : "%s应为 %g 至 %g 之间的数(最多两位小数)",
			     field_label(f, c->lang), min, max);
		return -1;
	}
	return x;
}

const char *field_enum_list(struct field_ctx *c, const struct field_def *f, const char *s,
			    const struct enum_table *t)
{
	size_t n;
	const char *v = take(c, f, s, &n);
	if (!v || !n)
		return v;
	char *out = arena_alloc(c->arena, n * 2 + 2);
	size_t k = 0;
	const char *p = v;
	while (*p) {
		size_t len = strcspn(p, ",、,");
		const char *q = p;
		size_t tl = utf8_trim(&q, len);
		if (tl) {
			const struct enum_item *it = enum_find(t, q, tl);
			if (!it) {
				problems_add(c->pb, c->row, f->name, "unknown_value",
					     en(c) ? "%s: unknown value \"%.*s\""
						   : "%s:无法识别「%.*s」",
					     field_label(f, c->lang), (int)tl, q);
				return NULL;
			}
			if (k)
				out[k++] = ',';
			memcpy(out + k, it->code, strlen(it->code));
			k += strlen(it->code);
		}
		p += len;
		/* skip the separator: ',' is 1 byte, '、' and ',' 3 */
		if (*p == ',')
			p++;
		else if (*p)
			p += 3;
	}
	out[k] = '\0';
	return out;
}

const char *field_search_text(struct arena *a, const char *q)
{
	if (!q || !*q || !utf8_valid(q, strlen(q)))
		return q;
	const char *t = q;
	if (utf8_foldable(q, strlen(q))) {
		struct buf b = BUF_INIT(0);
		utf8_fold(q, strlen(q), &b);
		t = arena_strndup(a, b.data ? b.data : "", b.len);
		buf_release(&b);
	}
	return strchr(t, ' ') ? name_spaces(a, t) : t;
}
