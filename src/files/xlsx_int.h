/*
 * xlsx_int.h — the pieces of the .xlsx reader, shared inside src/files/ (not a public API).
 *
 * The reader sees a workbook as named parts ("xl/workbook.xml" …) that it streams through
 * libxml2. Where the parts come from is behind a small table of methods, struct
 * xlsx_source, as SQLite puts files behind its VFS: the zip implementation (xlsx_zip.c)
 * serves real files; a plain "name NUL content NUL …" container serves the fuzzer and
 * tests, so they reach the XML handling without having to forge zip CRCs.
 */
#ifndef PX_FILES_XLSX_INT_H
#define PX_FILES_XLSX_INT_H

#include <stdint.h>
#include <sys/types.h>

#include "files/sheet_int.h"

struct xlsx_source_ops {
	/*
	 * Open part `name` (no leading '/'; matched without regard to case, as OPC says).
	 * `budget` is how many more bytes the read may inflate: a part declaring more is
	 * refused before any inflating. Returns PX_OK with *stream set; PX_ERR_NOT_FOUND,
	 * recording nothing, when there is no such part; or a failure recorded with
	 * sheet_fail().
	 */
	px_err (*open)(void *impl, struct sheet_ctx *c, const char *name, size_t budget,
		       void **stream);
	/* Up to n bytes into buf: the count, 0 at the end, -1 after recording a failure
	 * (a part yielding more or fewer bytes than it declared is a failure). */
	ssize_t (*read)(void *stream, struct sheet_ctx *c, char *buf, size_t n);
	void (*close)(void *stream);
};

struct xlsx_source {
	const struct xlsx_source_ops *ops;
	void *impl;
};

/* Read the chosen worksheet of the workbook behind src (see sheet_read() for the rest). */
px_err xlsx_read_source(struct sheet_ctx *c, const struct xlsx_source *src);

/*
 * The zip source over data[0..size) (borrowed). xlsx_zip_open() records its own failure
 * (not a zip, damaged); xlsx_zip_close() accepts what open left, even on failure.
 */
px_err xlsx_zip_open(struct sheet_ctx *c, const void *data, size_t size, struct xlsx_source *src);
void xlsx_zip_close(struct xlsx_source *src);

/*
 * Read a workbook given as a container of parts: "name\0content\0name\0content…" (a final
 * content may lack its NUL). For the fuzzer and for tests that craft XML directly.
 */
px_err xlsx_read_parts(const void *data, size_t size, const struct sheet_options *opt,
		       sheet_row_fn fn, void *ctx, struct sheet_result *res);

/* What a number format shows, which is all the reader needs from styles.xml. */
enum xlsx_numfmt_kind {
	XLSX_NUMFMT_GENERAL = 0, /* numbers, text, anything that is not a date or time */
	XLSX_NUMFMT_DATE,        /* a calendar date, with or without a time of day */
	XLSX_NUMFMT_TIME,        /* a time of day or an elapsed time: not a date */
};

/* The kind of built-in format `id` (0–163), including the East Asian ids 27–36, 50–58. */
enum xlsx_numfmt_kind xlsx_numfmt_builtin(unsigned id);

/* The kind of a format code such as "yyyy/m/d", "[h]:mm", "0.00", 'yyyy"年"m"月"'. */
enum xlsx_numfmt_kind xlsx_numfmt_classify(const char *code);

/*
 * Decode OOXML's escapes of characters XML cannot carry, "_xHHHH_" (e.g. "_x000D_" for a
 * carriage return; "_x005F_" escapes the underscore itself), in s[0..*len) in place; s must
 * be NUL-terminated and stays so.
 * An escape that would decode to NUL or to a lone surrogate is left as written.
 */
void xlsx_unescape(char *s, size_t *len);

#endif
