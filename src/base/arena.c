/*
 * arena.c — see arena.h.
 */
#include "base/arena.h"

#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#define ARENA_BLOCK 16384

struct arena_block {
	struct arena_block *next;
	size_t size;
	size_t used;
	alignas(max_align_t) unsigned char data[];
};

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->used_total = 0;
}

void arena_release(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	arena_init(a);
}

void arena_reset(struct arena *a)
{
	struct arena_block *keep = NULL, *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		if (!keep && b->size == ARENA_BLOCK)
			keep = b;
		else
			free(b);
		b = next;
	}
	arena_init(a);
	if (keep) {
		keep->next = NULL;
		keep->used = 0;
		a->head = keep;
	}
}

void *arena_alloc(struct arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	n = (n + align - 1) & ~(align - 1);
	if (n == 0)
		n = align;
	struct arena_block *b = a->head;
	if (!b || b->size - b->used < n) {
		size_t size = n > ARENA_BLOCK / 2 ? n : ARENA_BLOCK;
		struct arena_block *nb = xmalloc(sizeof *nb + size);
		nb->size = size;
		nb->used = 0;
		if (b && size == n && b->size - b->used > 0) {
			/* A big one-off: put it behind the current block so that block's tail
			 * stays usable for small allocations. */
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += n;
	a->used_total += n;
	memset(p, 0, n);
	return p;
}

/* arena_alloc without the zeroing, for memory about to be overwritten whole. */
static void *arena_alloc_raw(struct arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	size_t need = (n + align - 1) & ~(align - 1);
	struct arena_block *b = a->head;
	if (b && need && b->size - b->used >= need) {
		void *p = b->data + b->used;
		b->used += need;
		a->used_total += need;
		return p;
	}
	return arena_alloc(a, n);
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc_raw(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	/* Never true; tells gcc so, or with -fsanitize=undefined its nonnull check makes a
	 * path with fmt == NULL and -Wformat-truncation fails the build. */
	if (!fmt)
		return arena_strdup(a, "");
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return arena_strdup(a, "");
	char *p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
