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
#include <stdint.h>

#include "base/err.h"

struct cli {
	const char *db;     /* --db, else $PEIXUN_DB, else ./peixun.db */
	const char *config; /* --config, else $PEIXUN_CONFIG, else none */
	const char *lang;   /* for messages: $LANG, zh-CN by default */
	const char *argv0;
};

struct app;
struct store;

enum cli_open_flags {
	CLI_CREATE_KEY = 1, /* make "<db>.key" when no key is configured */
	CLI_MIGRATE = 2,    /* apply pending migrations */
	CLI_NO_KEY = 4,     /* the command needs no personal-data key */
};

/*
 * Load the configuration and key, open the database, migrate if asked, and check the key
 * against the database. On failure prints the reason and returns the exit status (non-zero);
 * on success returns 0 and the caller owns app (app_config_release) and db (store_close).
 */
int cli_open(struct cli *cli, unsigned flags, struct app *app, struct store **db);
/* What cli_open gave, given back: the connection closed, the configuration released. */
void cli_close(struct app *app, struct store *db);
/* The database's last error message, for a command's failure line. */
const char *cli_db_error(struct store *db);
/* cli_open with flags, then op(c, arg) on a shell context in lang (an arena and a problem
 * list of its own, c->app the configuration), then everything closed; op's exit status. */
struct svc;
int cli_with_svc(struct cli *cli, unsigned flags, const char *lang,
		 int (*op)(struct svc *c, void *arg), void *arg);

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

cli_run_fn cmd_init, cmd_migrate, cmd_serve, cmd_demo, cmd_user, cmd_config, cmd_import, cmd_export,
	cmd_solve, cmd_validate, cmd_purge;

struct svc;
/* The housekeeping of a server, once (cmd_purge.c): expired sessions, and the kept uploads of
 * rejected imports older than `days` (< 0: import_report_days). *uploads: how many went. */
px_err cli_housekeeping(struct svc *c, long days, int64_t *uploads);

#endif
