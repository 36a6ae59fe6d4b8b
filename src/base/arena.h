/*
 * arena.h — a region allocator: many small allocations, one free.
 *
 * Each HTTP request and each CLI command owns one arena; everything a handler builds for
 * its answer (strings, parsed query parameters, rows) comes from it and dies with it, so a
 * handler never frees piecemeal and never leaks on an error path. Memory is taken in blocks
 * of 16 KiB (larger requests get their own block).
 */
#ifndef PX_ARENA_H
#define PX_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
	size_t used_total;
};

void arena_init(struct arena *a);
/* Free every block; the arena is empty and reusable afterwards. */
void arena_release(struct arena *a);
/* Empty the arena but keep one block for what comes next: a loop that allocates a little
 * per turn and starts afresh each turn then stays out of malloc. */
void arena_reset(struct arena *a);
/* Zeroed memory aligned for any type; never NULL (aborts on out-of-memory). */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
