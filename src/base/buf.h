/*
 * buf.h — a growable byte buffer with a maximum size and a sticky error.
 *
 * Modelled on SQLite's sqlite3_str and curl's dynbuf: append as much as you like, check
 * once at the end. When an append would pass `cap`, the buffer stops growing, remembers
 * PX_ERR_TOO_LARGE and ignores later appends, so code that builds a reply from user data
 * cannot be driven past its cap. The contents are always NUL-terminated.
 *
 *	struct buf b = BUF_INIT(1 << 20);
 *	buf_puts(&b, "x");
 *	buf_printf(&b, "%d", n);
 *	if (b.err) ...;
 *	char *s = buf_detach(&b, NULL);   // caller now owns s
 *
 * buf_release() frees the contents and leaves an empty buffer with the same cap.
 */
#ifndef PX_BUF_H
#define PX_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct buf {
	char *data;
	size_t len;
	size_t alloc;
	size_t cap; /* maximum len; 0 means unlimited */
	px_err err; /* sticky: first failure */
};

#define BUF_INIT(cap_)                                                                             \
	{                                                                                          \
		NULL, 0, 0, (cap_), PX_OK                                                          \
	}

void buf_init(struct buf *b, size_t cap);
void buf_release(struct buf *b);
/* Empty the buffer, keep its memory and cap, clear the error. */
void buf_reset(struct buf *b);
/* Hand the contents to the caller (who frees them) and empty the buffer. */
char *buf_detach(struct buf *b, size_t *len);

void buf_add(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Ensure room for n more bytes; returns 0 on success, or the sticky error. */
px_err buf_grow(struct buf *b, size_t n);

/* Append s with JSON string escaping (no quotes added). */
void buf_json_escape(struct buf *b, const char *s, size_t n);
/* Append s with HTML/XML escaping of & < > " '. */
void buf_xml_escape(struct buf *b, const char *s, size_t n);

#endif
