/*
 * cli.h — the `peixun` command line: global options and the command table.
 *
 *	peixun [--db PATH|postgresql://…] COMMAND [ARGS…]
 *
 * Each command lives in cmd_<name>.c and has the signature of cli_run_fn. It returns the
 * process exit status: 0 on success, non-zero after printing one line "peixun: <reason>"
 * to stderr (cli_fail does both).
 */
#ifndef PX_CLI_H
#define PX_CLI_H

#include <stdbool.h>

#include "base/err.h"

struct cli {
	const char *db;   /* --db, else $PEIXUN_DB, else ./peixun.db */
	const char *lang; /* for messages: $LANG, zh-CN by default */
	const char *argv0;
};

typedef int cli_run_fn(struct cli *cli, int argc, char **argv);

struct cli_command {
	const char *name;
	cli_run_fn *run;
	const char *usage;   /* arguments after the command name */
	const char *summary; /* one line for `peixun help` */
};

/* Print "peixun: <message>" (printf-style) to stderr and return the exit status for `e`. */
int cli_fail(px_err e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The exit status that reports `e` (0 for PX_OK). */
int cli_exit_status(px_err e);

/*
 * Option parsing shared by the commands: returns the value of "--name VALUE" or
 * "--name=VALUE" at argv[*i] (advancing *i past a separate value), or NULL when argv[*i] is
 * not that option. Sets *missing when the option is present without a value.
 */
const char *cli_opt(int argc, char **argv, int *i, const char *name, bool *missing);

cli_run_fn cmd_solve;
cli_run_fn cmd_validate;

#endif
