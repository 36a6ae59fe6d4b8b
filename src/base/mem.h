/*
 * mem.h — allocation that never returns NULL.
 *
 * peixun does not try to limp on after malloc fails: a server that cannot allocate a few
 * bytes cannot answer anyway, and half-handled NULLs are where bugs hide. These wrappers
 * print one line and abort. Buffers fed by users are capped elsewhere (buf.h), so an
 * attacker cannot drive the process out of memory through them.
 */
#ifndef PX_MEM_H
#define PX_MEM_H

#include <stddef.h>
#include <stdlib.h> /* free() pairs with the x* allocators */

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Returns a NUL-terminated copy; caller frees. xstrdup(NULL) returns NULL. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
