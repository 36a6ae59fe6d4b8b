/*
 * jsonw.h — writing JSON straight into a buffer, for the replies that must be fast.
 *
 * jansson builds a tree of reference-counted values and then serializes it: right for
 * most replies, but a page of twenty cadres is five hundred small allocations. The writer
 * appends text as it goes, inserting commas itself; keys and strings are escaped with
 * buf_json_escape. Errors (the buffer's cap) are sticky in the buffer, as always.
 *
 *	struct jsonw w = JSONW_INIT(&b);
 *	jw_object(&w);
 *	jw_key(&w, "id"); jw_int(&w, 7);
 *	jw_key(&w, "tags"); jw_array(&w); jw_str(&w, "a"); jw_end(&w);
 *	jw_end(&w);
 */
#ifndef PX_JSONW_H
#define PX_JSONW_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"

#define JSONW_DEPTH 32

struct jsonw {
	struct buf *b;
	int depth;
	bool need_comma[JSONW_DEPTH];
	char closer[JSONW_DEPTH];
};

#define JSONW_INIT(b)                                                                              \
	{                                                                                          \
		(b), 0, { false },                                                                 \
		{                                                                                  \
			0                                                                          \
		}                                                                                  \
	}

void jw_object(struct jsonw *w);
void jw_array(struct jsonw *w);
/* Close the innermost object or array. */
void jw_end(struct jsonw *w);
void jw_key(struct jsonw *w, const char *key);
void jw_keyn(struct jsonw *w, const char *key, size_t n);
/* A string value; NULL writes null. */
void jw_str(struct jsonw *w, const char *s);
void jw_int(struct jsonw *w, int64_t v);
void jw_bool(struct jsonw *w, bool v);
void jw_null(struct jsonw *w);
/* Pre-serialized JSON text as a value (trusted: written by this program). */
void jw_raw(struct jsonw *w, const char *json);
/* Shorthands for a key and its value. The key must be a string literal: its length is
 * known at compile time (a page of cadres writes five hundred keys). */
#define jw_kstr(w, key, s)  (jw_keyn((w), "" key, sizeof(key) - 1), jw_str((w), (s)))
#define jw_kint(w, key, v)  (jw_keyn((w), "" key, sizeof(key) - 1), jw_int((w), (v)))
#define jw_kbool(w, key, v) (jw_keyn((w), "" key, sizeof(key) - 1), jw_bool((w), (v)))

#endif
