/*
 * main.c — entry point of `peixun`: global options, then one row of the command table.
 *
 * main stays thin (as in h2o): every command is a function in cmd_<name>.c, and adding a
 * command is adding a row to `commands` below.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static int cmd_help(struct cli *cli, int argc, char **argv);

/* clang-format off */
static const struct cli_command commands[] = {
	{"init", cmd_init, "", "create a new database (and its key file) with the schema"},
	{"migrate", cmd_migrate, "", "apply pending schema migrations"},
	{"serve", cmd_serve, "[--listen HOST:PORT]", "serve the web UI and the API"},
	{"demo", cmd_demo, "[--password P] [--cadres N]", "build the seed's world (Nan'an, 71 units, cadres, demo accounts) in a new database"},
	{"user", cmd_user, "add USERNAME --role ROLE [--name N] [--region ID] [--unit ID] [--cadre ID] | passwd USERNAME", "manage accounts (the password comes from $PEIXUN_PASSWORD or is generated)"},
	{"import", cmd_import, "--kind cadres|units [--dry-run] [--report OUT.xlsx] FILE", "import a .xlsx or .csv file, all or nothing"},
	{"export", cmd_export, "--kind cadres|units [--unmasked] --out FILE.xlsx", "export the registry to .xlsx (numbers masked unless --unmasked)"},
	{"config", cmd_config, "", "print the configuration in effect"},
	{"purge", cmd_purge, "[--older-than DAYS]", "the server's housekeeping, once: expired sessions, and the kept uploads of rejected imports older than import_report_days (or DAYS)"},
	{"solve", cmd_solve, "--ctt FILE [--time SECONDS] [--seed N] [--iterations N] [--out FILE] | --class ID [--time SECONDS] [--seed N] [--iterations N] [--class-only] [--fresh] [--apply]", "solve an ITC-2007 curriculum timetabling instance, or propose a timetable for a class (and its term) of the database with the timetable engine (--apply applies it)"},
	{"validate", cmd_validate, "--ctt FILE --solution FILE", "score an ITC-2007 solution (UD2 cost by constraint) with the independent validator"},
	{"help", cmd_help, "", "list the commands"},
};
/* clang-format on */

#define N_COMMANDS (sizeof commands / sizeof commands[0])

int cli_exit_status(px_err e)
{
	if (e == PX_OK)
		return 0;
	if (e == PX_ERR_CONFIG)
		return 2;
	return 1;
}

int cli_fail(px_err e, const char *fmt, ...)
{
	va_list ap;
	fputs("peixun: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return cli_exit_status(e ? e : PX_ERR_INTERNAL);
}

const char *cli_opt(int argc, char **argv, int *i, const char *name, bool *missing)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		if (missing)
			*missing = true;
		return NULL;
	}
	*i += 1;
	return argv[*i];
}

static int cmd_help(struct cli *cli, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("usage: %s [--db PATH|postgresql://…] COMMAND [ARGS…]\n\ncommands:\n", cli->argv0);
	for (size_t i = 0; i < N_COMMANDS; i++)
		printf("  %-8s %s\n           %s\n", commands[i].name, commands[i].usage,
		       commands[i].summary);
	return 0;
}

int main(int argc, char **argv)
{
	struct cli cli = { .db = getenv("PEIXUN_DB"),
			   .config = getenv("PEIXUN_CONFIG"),
			   .lang = getenv("LANG"),
			   .argv0 = "peixun" };
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		bool missing = false;
		const char *v;
		if ((v = cli_opt(argc, argv, &i, "--db", &missing)))
			cli.db = v;
		else if ((v = cli_opt(argc, argv, &i, "--config", &missing)))
			cli.config = v;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return cmd_help(&cli, 0, NULL);
		else
			return cli_fail(PX_ERR_CONFIG, "unknown option %s (try: peixun help)",
					argv[i]);
		if (missing)
			return cli_fail(PX_ERR_CONFIG, "%s needs a value", argv[i]);
	}
	if (!cli.db || !*cli.db)
		cli.db = "peixun.db";
	if (i >= argc)
		return cmd_help(&cli, 0, NULL);
	for (size_t k = 0; k < N_COMMANDS; k++)
		if (!strcmp(argv[i], commands[k].name))
			return commands[k].run(&cli, argc - i, argv + i);
	return cli_fail(PX_ERR_CONFIG, "unknown command '%s' (try: peixun help)", argv[i]);
}
