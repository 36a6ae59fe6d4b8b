/*
 * jsonw.c — see jsonw.h.
 */
#include "base/jsonw.h"

#include <string.h>

/* Room for n more bytes: the common case without a call. */
static inline bool room(struct buf *b, size_t n)
{
	if (b->alloc > b->len + n && !b->err && (!b->cap || b->len + n <= b->cap))
		return true;
	return buf_grow(b, n) == PX_OK;
}

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
	if (!room(w->b, n + 4))
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

/* True when one of the 8 bytes of v is below 0x20, '"' or '\\' (may also say true for a
 * byte next to one that is: the caller then looks byte by byte). */
static inline bool word_needs_escape(uint64_t v)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t q = v ^ (ones * '"'), bs = v ^ (ones * '\\');
	uint64_t ctl = (v - ones * 0x20) & ~v;
	uint64_t quote = (q - ones) & ~q;
	uint64_t back = (bs - ones) & ~bs;
	return ((ctl | quote | back) & highs) != 0;
}

/* How many leading bytes of s need no escaping: a word at a time, then byte by byte. */
static size_t plain_run(const unsigned char *s, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t v;
		memcpy(&v, s + i, 8);
		if (word_needs_escape(v))
			break;
	}
	while (i < n && s[i] >= 0x20 && s[i] != '"' && s[i] != '\\')
		i++;
	return i;
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
	if (!room(w->b, n * 6 + 2))
		return;
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	char *p = w->b->data + w->b->len;
	*p++ = '"';
	for (size_t i = 0; i < n;) {
		size_t run = plain_run(u + i, n - i);
		memcpy(p, u + i, run);
		p += run;
		i += run;
		if (i == n)
			break;
		unsigned char c = u[i++];
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
