/*
 * problem.c — see problem.h.
 */
#include "base/problem.h"

#include <stdarg.h>
#include <stdio.h>

#include "base/mem.h"

void problems_init(struct problems *p)
{
	*p = (struct problems){ 0 };
}

void problems_release(struct problems *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->items[i].message);
	free(p->items);
	problems_init(p);
}

void problems_add(struct problems *p, long row, const char *field, const char *code,
		  const char *fmt, ...)
{
	size_t max = p->max ? p->max : 1000;
	if (p->n >= max) {
		p->dropped++;
		return;
	}
	if (p->n == p->alloc) {
		p->alloc = p->alloc ? p->alloc * 2 : 8;
		p->items = xrealloc(p->items, p->alloc * sizeof *p->items);
	}
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = xstrdup("?");
	va_end(ap);
	p->items[p->n++] = (struct problem){ row, field, code, msg };
}

size_t problems_count(const struct problems *p)
{
	return p->n + p->dropped;
}
