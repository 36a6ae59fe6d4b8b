/*
 * cmd_import.c — `peixun import` and `peixun export`: the import and export operations
 * (service/importer.h, service/exports.h) from the shell, with the whole database in scope
 * (the operator who can run the program can read the database anyway). Both leave an audit
 * entry.
 *
 *	peixun import --kind cadres|units [--dry-run] [--report OUT.xlsx] FILE
 *	peixun export --kind cadres|units [--unmasked] --out FILE.xlsx
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "service/app.h"
#include "service/exports.h"
#include "service/importer.h"

static px_err read_file(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return PX_ERR_IO;
	char chunk[1 << 16];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(out, chunk, n);
	px_err rc = ferror(f) ? PX_ERR_IO : out->err;
	fclose(f);
	return rc;
}

static px_err write_file(const char *path, const struct buf *b)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return PX_ERR_IO;
	size_t n = b->len ? fwrite(b->data, 1, b->len, f) : 0;
	int bad = n != b->len;
	bad |= fclose(f) != 0;
	return bad ? PX_ERR_IO : PX_OK;
}

/* What the run tells besides its rows: the columns left out, the rows skipped (to `to`). */
static void print_notes(FILE *to, const char *file, const char *lang,
			const struct import_result *res)
{
	if (res->nignored) {
		char *m = import_ignored_message(lang, (const char *const *)res->ignored,
						 res->nignored);
		fprintf(to, "%s\n", m);
		free(m);
	}
	for (size_t i = 0; i < res->nskipped; i++)
		fprintf(to, "%s:%ld: %s: %s\n", file, res->skipped[i].row,
			px_lang_is_en(lang) ? "skipped" : "已跳过", res->skipped[i].reason);
	if (res->skipped_count > res->nskipped)
		fprintf(to, "… %zu %s\n", res->skipped_count - res->nskipped,
			px_lang_is_en(lang) ? "more rows skipped" : "行另已跳过");
}

/* The problems by kind, before the rows. */
static void print_summary(FILE *to, const char *lang, const struct import_result *res)
{
	for (size_t i = 0; i < res->nkinds; i++) {
		const struct import_kind_count *k = &res->kinds[i];
		char *line = import_kind_line(lang, k->message, k->count, k->rows, k->nrows);
		fprintf(to, "  %s\n", line);
		free(line);
	}
}

/* The error report of run `id` into `path`: 0, or a one-line reason why not. */
static const char *write_report(struct svc *c, int64_t id, const char *path)
{
	struct buf out = BUF_INIT(0);
	const char *why = NULL;
	px_err rc = svc_import_report(c, id, &out, NULL);
	if (rc)
		why = c->message && *c->message ? c->message : px_err_message(rc, c->lang);
	else if (write_file(path, &out))
		why = arena_printf(c->arena, "%s: %s", path, strerror(errno));
	buf_release(&out);
	return why;
}

int cmd_import(struct cli *cli, int argc, char **argv)
{
	const char *kind_s = NULL, *report = NULL, *file = NULL;
	bool dry = false;
	for (int i = 1; i < argc; i++) {
		bool missing = false;
		const char *v;
		if ((v = cli_opt(argc, argv, &i, "--kind", &missing)))
			kind_s = v;
		else if ((v = cli_opt(argc, argv, &i, "--report", &missing)))
			report = v;
		else if (!strcmp(argv[i], "--dry-run"))
			dry = true;
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else
			return cli_fail(PX_ERR_CONFIG, "import: %s %s", argv[i],
					missing ? "needs a value" : "is not an option");
		if (missing)
			return cli_fail(PX_ERR_CONFIG, "import: %s needs a value", argv[i]);
	}
	enum import_kind kind;
	if (!import_kind_from(kind_s, &kind) || !file)
		return cli_fail(PX_ERR_CONFIG,
				"usage: peixun import --kind cadres|units [--dry-run] "
				"[--report OUT.xlsx] FILE");
	struct buf data = BUF_INIT(0);
	if (read_file(file, &data)) {
		int status = cli_fail(PX_ERR_IO, "cannot read %s: %s", file, strerror(errno));
		buf_release(&data);
		return status;
	}
	struct app app;
	struct store *db;
	int status = cli_open(cli, 0, &app, &db);
	if (status) {
		buf_release(&data);
		return status;
	}
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	struct import_opts o = {
		.kind = kind, .filename = base, .dry_run = dry, .keep_file = report != NULL
	};
	struct import_result res = { 0 };
	problems_init(&res.problems);
	struct arena arena;
	arena_init(&arena);
	struct problems none;
	problems_init(&none);
	struct svc c;
	svc_init_shell(&c, db, &app, cli->lang, &arena, &none);
	int64_t t0 = time_mono_ms();
	px_err rc = svc_import(&c, &o, data.data, data.len, &res);
	double secs = (double)(time_mono_ms() - t0) / 1000.0;
	if (!rc) {
		printf("%s %zu rows of %s from %s in %.2f s (%.0f rows/s)\n",
		       dry ? "checked" : "imported", res.total_rows, import_kind_name(kind), file,
		       secs, secs > 0 ? (double)res.total_rows / secs : 0.0);
		print_notes(stdout, file, cli->lang, &res);
	} else if (rc == PX_ERR_IMPORT_REJECTED) {
		print_summary(stderr, cli->lang, &res);
		for (size_t i = 0; i < res.problems.n; i++) {
			const struct problem *p = &res.problems.items[i];
			fprintf(stderr, "%s:%ld: %s: %s\n", file, p->row, p->field ? p->field : "",
				p->message);
		}
		if (res.problems.dropped)
			fprintf(stderr, "… and %zu more\n", res.problems.dropped);
		print_notes(stderr, file, cli->lang, &res);
		/* say the report was written only when it was */
		const char *why = report ? write_report(&c, res.id, report) : NULL;
		status = cli_fail(rc, "nothing imported: %zu problem(s) in %zu rows%s%s",
				  problems_count(&res.problems), res.total_rows,
				  !report ? ""
				  : why   ? "; no error report written: "
					  : "; error report written to ",
				  report ? (why ? why : report) : "");
	} else {
		status = cli_fail(rc, "%s: %s", file, res.message[0] ? res.message : res.db_error);
	}
	import_result_release(&res);
	problems_release(&none);
	arena_release(&arena);
	buf_release(&data);
	cli_close(&app, db);
	return status;
}

struct export_run {
	enum import_kind kind;
	bool unmasked;
	const char *out_path;
};

static int export_file(struct svc *c, void *arg)
{
	const struct export_run *e = arg;
	struct buf out = BUF_INIT(0);
	size_t rows = 0;
	px_err rc = svc_export_file(c, e->kind, e->unmasked, e->out_path, &out, &rows);
	if (!rc)
		rc = write_file(e->out_path, &out);
	buf_release(&out);
	if (rc)
		return cli_fail(rc, "export failed: %s",
				rc == PX_ERR_IO ? strerror(errno) : svc_db_message(c));
	printf("exported %zu %s to %s%s\n", rows, import_kind_name(e->kind), e->out_path,
	       e->unmasked ? " (unmasked)" : "");
	return 0;
}

int cmd_export(struct cli *cli, int argc, char **argv)
{
	const char *kind_s = NULL, *out_path = NULL;
	bool unmasked = false;
	for (int i = 1; i < argc; i++) {
		bool missing = false;
		const char *v;
		if ((v = cli_opt(argc, argv, &i, "--kind", &missing)))
			kind_s = v;
		else if ((v = cli_opt(argc, argv, &i, "--out", &missing)))
			out_path = v;
		else if (!strcmp(argv[i], "--unmasked"))
			unmasked = true;
		else
			return cli_fail(PX_ERR_CONFIG, "export: %s %s", argv[i],
					missing ? "needs a value" : "is not an option");
		if (missing)
			return cli_fail(PX_ERR_CONFIG, "export: %s needs a value", argv[i]);
	}
	enum import_kind kind;
	if (!import_kind_from(kind_s, &kind) || !out_path)
		return cli_fail(
			PX_ERR_CONFIG,
			"usage: peixun export --kind cadres|units [--unmasked] --out FILE.xlsx");
	struct export_run run = { kind, unmasked, out_path };
	return cli_with_svc(cli, 0, cli->lang, export_file, &run);
}
