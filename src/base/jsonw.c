/*
 * jsonw.c — see jsonw.h.
 */
#include "base/jsonw.h"

#include <string.h>

/* Before a value or key at the current level: a comma when something came before. */
static void sep(struct jsonw *w)
{
	if (w->need_comma[w->depth])
		buf_putc(w->b, ',');
	w->need_comma[w->depth] = true;
}

static void open(struct jsonw *w, char c, char closer)
{
	sep(w);
	buf_putc(w->b, c);
	if (w->depth + 1 >= JSONW_DEPTH) {
		if (!w->b->err)
			w->b->err = PX_ERR_INTERNAL;
		return;
	}
	w->depth++;
	w->need_comma[w->depth] = false;
	w->closer[w->depth] = closer;
}

void jw_object(struct jsonw *w)
{
	open(w, '{', '}');
}

void jw_array(struct jsonw *w)
{
	open(w, '[', ']');
}

void jw_end(struct jsonw *w)
{
	if (w->depth == 0)
		return;
	buf_putc(w->b, w->closer[w->depth]);
	w->depth--;
}

void jw_key(struct jsonw *w, const char *key)
{
	/* Keys are the program's own identifiers: no escaping needed. */
	sep(w);
	buf_putc(w->b, '"');
	buf_puts(w->b, key);
	buf_add(w->b, "\":", 2);
	/* the value that follows needs no comma */
	w->need_comma[w->depth] = false;
}

void jw_str(struct jsonw *w, const char *s)
{
	if (!s) {
		jw_null(w);
		return;
	}
	sep(w);
	buf_putc(w->b, '"');
	buf_json_escape(w->b, s, strlen(s));
	buf_putc(w->b, '"');
}

void jw_int(struct jsonw *w, int64_t v)
{
	sep(w);
	char digits[24];
	int n = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		digits[sizeof digits - 1 - n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		digits[sizeof digits - 1 - n++] = '-';
	buf_add(w->b, digits + sizeof digits - n, (size_t)n);
}

void jw_bool(struct jsonw *w, bool v)
{
	sep(w);
	buf_puts(w->b, v ? "true" : "false");
}

void jw_null(struct jsonw *w)
{
	sep(w);
	buf_puts(w->b, "null");
}

void jw_raw(struct jsonw *w, const char *json)
{
	sep(w);
	buf_puts(w->b, json);
}

void jw_kstr(struct jsonw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_str(w, s);
}

void jw_kint(struct jsonw *w, const char *key, int64_t v)
{
	jw_key(w, key);
	jw_int(w, v);
}

void jw_kbool(struct jsonw *w, const char *key, bool v)
{
	jw_key(w, key);
	jw_bool(w, v);
}
