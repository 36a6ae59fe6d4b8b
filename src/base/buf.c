/*
 * buf.c — see buf.h.
 */
#include "base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

void buf_init(struct buf *b, size_t cap)
{
	*b = (struct buf)BUF_INIT(cap);
}

void buf_release(struct buf *b)
{
	size_t cap = b->cap;
	free(b->data);
	buf_init(b, cap);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->err = PX_OK;
	if (b->data)
		b->data[0] = '\0';
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p = b->data;
	if (!p)
		p = xstrdup("");
	if (len)
		*len = b->len;
	buf_init(b, b->cap);
	return p;
}

px_err buf_grow(struct buf *b, size_t n)
{
	if (b->err)
		return b->err;
	if (b->cap && (n > b->cap || b->len > b->cap - n)) {
		b->err = PX_ERR_TOO_LARGE;
		return b->err;
	}
	size_t need = b->len + n + 1;
	if (need <= b->alloc)
		return PX_OK;
	size_t alloc = b->alloc ? b->alloc : 64;
	while (alloc < need)
		alloc = alloc < ((size_t)1 << 40) ? alloc * 2 : need;
	b->data = xrealloc(b->data, alloc);
	b->alloc = alloc;
	return PX_OK;
}

void buf_add(struct buf *b, const void *data, size_t n)
{
	/* Fast path: room already there (the cap was checked when it was made). */
	if (!(b->alloc > b->len + n && !b->err && (!b->cap || b->len + n <= b->cap)) &&
	    buf_grow(b, n))
		return;
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
	if (b->alloc > b->len + 1 && !b->err && (!b->cap || b->len < b->cap)) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return;
	}
	buf_add(b, &c, 1);
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		if (!b->err)
			b->err = PX_ERR_INTERNAL;
		return;
	}
	if ((size_t)n < sizeof small) {
		buf_add(b, small, (size_t)n);
		return;
	}
	if (buf_grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void buf_json_escape(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_add(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': buf_add(b, "\\\"", 2); break;
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			buf_add(b, u, 6);
		}
		}
	}
	buf_add(b, s + run, n - run);
}

void buf_xml_escape(struct buf *b, const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_add(b, s + run, i - run);
		buf_puts(b, rep);
		run = i + 1;
	}
	buf_add(b, s + run, n - run);
}
