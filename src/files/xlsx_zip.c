/*
 * xlsx_zip.c — parts of an .xlsx served from its zip archive in memory (libzip).
 *
 * The archive is opened from the caller's bytes (zip_source_buffer: no copy, no file) with
 * ZIP_CHECKCONS, so a central directory that disagrees with the local headers is refused
 * up front. Each part is then checked before a byte is inflated: it must be stored or
 * deflated (the only methods OOXML uses; bzip2/xz/… would only widen the attack surface),
 * not encrypted, and its declared size must fit what is left of the read's budget. While
 * inflating, the bytes actually produced are counted: a part that yields more than it
 * declared (the classic zip bomb lies about its size) is cut off at once, and one that
 * yields less is truncated. libzip also checks each part's CRC at its end.
 */
#include <stdlib.h>
#include <zip.h>

#include "base/mem.h"
#include "files/xlsx_int.h"

struct zip_impl {
	zip_t *za;
};

struct zip_stream {
	zip_file_t *zf;
	const char *name; /* borrowed from the caller of open, which outlives the stream */
	zip_uint64_t declared;
	zip_uint64_t produced;
};

static px_err zip_part_open(void *impl, struct sheet_ctx *c, const char *name, size_t budget,
			    void **stream)
{
	struct zip_impl *z = impl;
	zip_int64_t idx = zip_name_locate(z->za, name, ZIP_FL_NOCASE);
	if (idx < 0)
		return PX_ERR_NOT_FOUND;
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(z->za, (zip_uint64_t)idx, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
		return sheet_fail(c, SP_ZIP_CORRUPT, 0, 0, name);
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
		return sheet_fail(c, SP_ZIP_ENCRYPTED, 0, 0, name);
	if (!(st.valid & ZIP_STAT_COMP_METHOD) ||
	    (st.comp_method != ZIP_CM_STORE && st.comp_method != ZIP_CM_DEFLATE))
		return sheet_fail(c, SP_ZIP_METHOD, 0, 0, name);
	if (st.size > budget)
		return sheet_fail(c, SP_PART_TOO_LARGE, 0, 0, name);
	zip_file_t *zf = zip_fopen_index(z->za, (zip_uint64_t)idx, 0);
	if (!zf)
		return sheet_fail(c, SP_ZIP_CORRUPT, 0, 0, name);
	struct zip_stream *s = xcalloc(1, sizeof *s);
	s->zf = zf;
	s->name = name;
	s->declared = st.size;
	*stream = s;
	return PX_OK;
}

static ssize_t zip_part_read(void *stream, struct sheet_ctx *c, char *buf, size_t n)
{
	struct zip_stream *s = stream;
	zip_uint64_t left = s->declared - s->produced;
	/* Ask for one byte more than is left, so that a part longer than declared shows. */
	zip_uint64_t want = n < left + 1 ? n : left + 1;
	zip_int64_t got = zip_fread(s->zf, buf, want);
	if (got < 0) {
		sheet_fail(c, SP_ZIP_CORRUPT, 0, 0, s->name);
		return -1;
	}
	s->produced += (zip_uint64_t)got;
	if (s->produced > s->declared || (got == 0 && s->produced != s->declared)) {
		sheet_fail(c, SP_ZIP_SIZE_MISMATCH, 0, 0, s->name);
		return -1;
	}
	return (ssize_t)got;
}

static void zip_part_close(void *stream)
{
	struct zip_stream *s = stream;
	if (!s)
		return;
	zip_fclose(s->zf);
	free(s);
}

static const struct xlsx_source_ops zip_ops = { zip_part_open, zip_part_read, zip_part_close };

px_err xlsx_zip_open(struct sheet_ctx *c, const void *data, size_t size, struct xlsx_source *src)
{
	src->ops = &zip_ops;
	src->impl = NULL;
	if (size == 0)
		return sheet_fail(c, SP_EMPTY_FILE, 0, 0, NULL);
	if (sheet_is_ole2(data, size))
		return sheet_fail(c, SP_OLE2, 0, 0, NULL);
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *zs = zip_source_buffer_create(data, size, 0, &ze);
	if (!zs) {
		zip_error_fini(&ze);
		return sheet_fail(c, SP_NOT_ZIP, 0, 0, NULL);
	}
	zip_t *za = zip_open_from_source(zs, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (!za) {
		int code = zip_error_code_zip(&ze);
		zip_source_free(zs);
		zip_error_fini(&ze);
		/* A file that starts like a zip but has no directory at its end was cut off. */
		const unsigned char *d = data;
		int zip_start = size >= 4 && d[0] == 'P' && d[1] == 'K' && d[2] == 3 && d[3] == 4;
		return sheet_fail(c,
				  code == ZIP_ER_NOZIP && !zip_start ? SP_NOT_ZIP : SP_ZIP_CORRUPT,
				  0, 0, NULL);
	}
	zip_error_fini(&ze);
	struct zip_impl *z = xcalloc(1, sizeof *z);
	z->za = za;
	src->impl = z;
	return PX_OK;
}

void xlsx_zip_close(struct xlsx_source *src)
{
	struct zip_impl *z = src->impl;
	if (!z)
		return;
	zip_discard(z->za);
	free(z);
	src->impl = NULL;
}
