/*
 * bench_sheet.c — how fast the spreadsheet reader and writer are, against baselines run
 * in the same process on the same data.
 *
 *	bench_sheet [ROWS [SAVE.xlsx]]  (default 1,000,000 rows × 12 columns)
 *	bench_sheet FILE.xlsx|FILE.csv
 *
 * CSV: parse time against a plain byte scan counting commas and newlines (the floor any
 * parser stands on). XLSX: the same rows written with xlsx_writer in constant-memory mode
 * (inline strings), and up to 300,000 of them with shared strings as Excel writes, then
 * read; the baseline is inflating the worksheet part alone (libzip, no XML). Prints
 * rows per second and the ratios; asserts nothing (timings belong here, not in tests).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/mem.h"
#include "files/sheet.h"
#include "files/xlsx_write.h"

static px_err count_row(void *ctx, const struct sheet_row *r)
{
	uint64_t *cells = ctx;
	*cells += r->ncells;
	return PX_OK;
}

static double seconds_since(int64_t start_ms)
{
	return (double)(time_mono_ms() - start_ms) / 1000.0;
}

static void make_csv(struct buf *b, long rows)
{
	buf_puts(b, "序号,姓名,性别,身份证号,出生日期,单位,职务,职级,手机,入职日期,学时,备注\r\n");
	for (long i = 1; i < rows; i++)
		buf_printf(b,
			   "%ld,张%ld,%s,35058319800101%04ld,1980-01-%02ld,溪美街道,科员,乡科级,"
			   "138%08ld,2010-07-01,%ld.5,\"备注,含逗号\"\r\n",
			   i, i % 1000, i % 2 ? "男" : "女", i % 10000, i % 28 + 1, i, i % 100);
}

static double baseline_scan(const char *p, size_t n, uint64_t *count)
{
	int64_t t = time_mono_ms();
	uint64_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += p[i] == ',' || p[i] == '\n';
	*count = c;
	return seconds_since(t);
}

static void bench_csv(long rows)
{
	struct buf b = BUF_INIT(0);
	make_csv(&b, rows);
	uint64_t cells = 0, scanned = 0;
	struct sheet_result res;
	int64_t t = time_mono_ms();
	px_err rc = sheet_read(b.data, b.len, NULL, count_row, &cells, &res);
	double parse = seconds_since(t);
	double base = baseline_scan(b.data, b.len, &scanned);
	printf("csv   %ld rows, %.1f MB: parse %.3f s (%.2f M rows/s, rc %d); byte scan %.3f s "
	       "(%llu separators); ratio %.1f\n",
	       (long)res.rows, b.len / 1e6, parse, res.rows / parse / 1e6, rc, base,
	       (unsigned long long)scanned, base > 0 ? parse / base : 0);
	buf_release(&b);
}

static px_err write_xlsx(long rows, bool constant_memory, struct buf *out, double *secs)
{
	static const struct xlsx_column cols[] = {
		{ "序号", 0, XLSX_COL_INTEGER, false, NULL, NULL },
		{ "姓名", 0, XLSX_COL_TEXT, false, NULL, NULL },
		{ "性别", 0, XLSX_COL_GENERAL, false, NULL, NULL },
		{ "身份证号", 0, XLSX_COL_TEXT, false, NULL, NULL },
		{ "出生日期", 0, XLSX_COL_DATE, false, NULL, NULL },
		{ "单位", 0, XLSX_COL_GENERAL, false, NULL, NULL },
		{ "职务", 0, XLSX_COL_GENERAL, false, NULL, NULL },
		{ "职级", 0, XLSX_COL_GENERAL, false, NULL, NULL },
		{ "手机", 0, XLSX_COL_TEXT, false, NULL, NULL },
		{ "入职日期", 0, XLSX_COL_DATE, false, NULL, NULL },
		{ "学时", 0, XLSX_COL_DECIMAL, false, NULL, NULL },
		{ "备注", 0, XLSX_COL_GENERAL, false, NULL, NULL },
	};
	struct xlsx_writer_options o = { .constant_memory = constant_memory };
	struct xlsx_writer *w;
	int64_t t = time_mono_ms();
	px_err rc = xlsx_writer_new(&o, &w);
	if (rc)
		return rc;
	rc = xlsx_writer_add_sheet(w, "干部名册", cols, 12);
	char name[32], id[32], phone[32];
	for (long i = 1; !rc && i < rows; i++) {
		snprintf(name, sizeof name, "张%ld", i % 1000);
		snprintf(id, sizeof id, "35058319800101%04ld", i % 10000);
		snprintf(phone, sizeof phone, "138%08ld", i);
		struct xlsx_value v[12] = {
			xlsx_number((double)i),
			xlsx_text(name),
			xlsx_text(i % 2 ? "男" : "女"),
			xlsx_text(id),
			xlsx_date(date_from_ymd(1980, 1, (int)(i % 28) + 1)),
			xlsx_text("溪美街道"),
			xlsx_text("科员"),
			xlsx_text("乡科级"),
			xlsx_text(phone),
			xlsx_date(date_from_ymd(2010, 7, 1)),
			xlsx_number((double)(i % 100) + 0.5),
			xlsx_text("备注,含逗号"),
		};
		rc = xlsx_writer_add_row(w, v, 12, 0);
	}
	if (rc) {
		xlsx_writer_free(w);
		return rc;
	}
	rc = xlsx_writer_finish(w, out);
	*secs = seconds_since(t);
	return rc;
}

/* Inflate the first worksheet part without parsing: the floor for reading an .xlsx. */
static double baseline_inflate(const struct buf *x, uint64_t *bytes)
{
	*bytes = 0;
	int64_t t = time_mono_ms();
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(x->data, x->len, 0, &ze);
	zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!za)
		return 0;
	zip_file_t *zf = zip_fopen(za, "xl/worksheets/sheet1.xml", 0);
	char *chunk = xmalloc(65536);
	zip_int64_t got;
	uint64_t total = 0;
	while (zf && (got = zip_fread(zf, chunk, 65536)) > 0)
		total += (uint64_t)got;
	*bytes = total;
	free(chunk);
	if (zf)
		zip_fclose(zf);
	zip_discard(za);
	zip_error_fini(&ze);
	return seconds_since(t);
}

static void report_xlsx(const struct buf *x, const char *what)
{
	uint64_t cells = 0;
	struct sheet_result res;
	int64_t t = time_mono_ms();
	px_err rc = sheet_read(x->data, x->len, NULL, count_row, &cells, &res);
	double parse = seconds_since(t);
	uint64_t xml_bytes;
	double base = baseline_inflate(x, &xml_bytes);
	printf("xlsx  %s %ld rows, %.1f MB zipped, sheet XML %.1f MB: read %.3f s (%.0f k rows/s, "
	       "%.1f M cells/s, %.0f MB/s of XML, rc %d %s); inflate only %.3f s; ratio %.1f\n",
	       what, (long)res.rows, x->len / 1e6, xml_bytes / 1e6, parse, res.rows / parse / 1e3,
	       cells / parse / 1e6, xml_bytes / parse / 1e6, rc, res.message, base,
	       base > 0 ? parse / base : 0);
}

static void bench_xlsx(long rows, bool constant_memory, const char *save)
{
	struct buf x = BUF_INIT(0);
	double wsecs = 0;
	px_err rc = write_xlsx(rows, constant_memory, &x, &wsecs);
	const char *mode = constant_memory ? "constant memory, inline strings" : "shared strings";
	printf("xlsx  write %ld rows (%s): %.2f s (%.0f k rows/s, rc %d)\n", rows, mode, wsecs,
	       rows / wsecs / 1e3, rc);
	if (!rc)
		report_xlsx(&x, mode);
	if (!rc && save) {
		FILE *f = fopen(save, "wb");
		if (!f || fwrite(x.data, 1, x.len, f) != x.len)
			perror(save);
		if (f)
			fclose(f);
	}
	buf_release(&x);
}

static void bench_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(1);
	}
	struct buf b = BUF_INIT(0);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	if (b.len >= 2 && b.data[0] == 'P' && b.data[1] == 'K') {
		report_xlsx(&b, path);
	} else {
		uint64_t cells = 0;
		struct sheet_result res;
		int64_t t = time_mono_ms();
		px_err rc = sheet_read(b.data, b.len, NULL, count_row, &cells, &res);
		double parse = seconds_since(t);
		printf("csv   %s: %ld rows in %.3f s (%.2f M rows/s), rc %d %s\n", path,
		       (long)res.rows, parse, res.rows / parse / 1e6, rc, res.message);
	}
	buf_release(&b);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strspn(argv[1], "0123456789") != strlen(argv[1])) {
		bench_file(argv[1]);
		return 0;
	}
	long rows = argc > 1 ? atol(argv[1]) : 1000000;
	bench_csv(rows);
	bench_xlsx(rows, true, argc > 2 ? argv[2] : NULL);
	/* Excel's own layout; libxlsxwriter then holds every cell in memory, so fewer rows */
	bench_xlsx(rows < 300000 ? rows : 300000, false, NULL);
	return 0;
}
