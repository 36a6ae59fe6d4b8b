/*
 * xlsx_parts.c — a workbook given as a plain list of parts, for the fuzzer and for tests.
 *
 * The container is "name\0content\0name\0content…": names and contents alternate,
 * separated by NUL bytes (XML cannot contain NUL, so nothing needs escaping; a final
 * content may run to the end). It lets the fuzzer mutate XML directly, instead of
 * producing zip entries whose CRC never matches, and lets a test state a broken worksheet
 * in a few lines of C.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "files/xlsx_int.h"

struct parts_impl {
	const char *data;
	size_t size;
};

struct parts_stream {
	const char *p;
	size_t left;
};

static px_err parts_open(void *impl, struct sheet_ctx *c, const char *name, size_t budget,
			 void **stream)
{
	struct parts_impl *pi = impl;
	const char *p = pi->data, *end = pi->data + pi->size;
	while (p < end) {
		const char *name_end = memchr(p, '\0', (size_t)(end - p));
		if (!name_end)
			break;
		const char *content = name_end + 1;
		const char *content_end = memchr(content, '\0', (size_t)(end - content));
		if (!content_end)
			content_end = end;
		if ((size_t)(name_end - p) == strlen(name) &&
		    strncasecmp(p, name, (size_t)(name_end - p)) == 0) {
			size_t n = (size_t)(content_end - content);
			if (n > budget)
				return sheet_fail(c, SP_PART_TOO_LARGE, 0, 0, name);
			struct parts_stream *s = xmalloc(sizeof *s);
			s->p = content;
			s->left = n;
			*stream = s;
			return PX_OK;
		}
		p = content_end + 1;
	}
	return PX_ERR_NOT_FOUND;
}

static ssize_t parts_read(void *stream, struct sheet_ctx *c, char *buf, size_t n)
{
	struct parts_stream *s = stream;
	(void)c;
	if (n > s->left)
		n = s->left;
	memcpy(buf, s->p, n);
	s->p += n;
	s->left -= n;
	return (ssize_t)n;
}

static void parts_close(void *stream)
{
	free(stream);
}

static const struct xlsx_source_ops parts_ops = { parts_open, parts_read, parts_close };

px_err xlsx_read_parts(const void *data, size_t size, const struct sheet_options *opt,
		       sheet_row_fn fn, void *ctx, struct sheet_result *res)
{
	struct sheet_ctx c;
	struct sheet_result res_local;
	struct parts_impl pi = { data, size };
	struct xlsx_source src = { &parts_ops, &pi };
	sheet_ctx_init(&c, opt, fn, ctx, res, &res_local, SHEET_FORMAT_XLSX);
	px_err rc = xlsx_read_source(&c, &src);
	sheet_ctx_release(&c);
	return rc;
}
