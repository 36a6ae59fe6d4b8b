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
	jw_keyn(w, key, strlen(key));
}

void jw_keyn(struct jsonw *w, const char *key, size_t n)
{
	/* Keys are the program's own identifiers: no escaping needed. One append for
	 * `,"key":` — keys are the most frequent thing a list writes. */
	if (buf_grow(w->b, n + 4))
		return;
	char *p = w->b->data + w->b->len;
	if (w->need_comma[w->depth])
		*p++ = ',';
	*p++ = '"';
	memcpy(p, key, n);
	p += n;
	*p++ = '"';
	*p++ = ':';
	*p = '\0';
	w->b->len = (size_t)(p - w->b->data);
	/* the value that follows needs no comma, the key after it does */
	w->need_comma[w->depth] = false;
}

void jw_str(struct jsonw *w, const char *s)
{
	if (!s) {
		jw_null(w);
		return;
	}
	sep(w);
	/* Room for the worst case (every byte a \u00XX) and quotes, then escape in place. */
	size_t n = strlen(s);
	if (buf_grow(w->b, n * 6 + 2))
		return;
	static const char hex[] = "0123456789abcdef";
	char *p = w->b->data + w->b->len;
	*p++ = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\') {
			*p++ = (char)c;
			continue;
		}
		*p++ = '\\';
		switch (c) {
		case '"': *p++ = '"'; break;
		case '\\': *p++ = '\\'; break;
		case '\n': *p++ = 'n'; break;
		case '\r': *p++ = 'r'; break;
		case '\t': *p++ = 't'; break;
		default:
			*p++ = 'u';
			*p++ = '0';
			*p++ = '0';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p++ = '"';
	*p = '\0';
	w->b->len = (size_t)(p - w->b->data);
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
