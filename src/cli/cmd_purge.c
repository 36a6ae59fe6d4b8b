/*
 * cmd_purge.c — `peixun purge`: the server's housekeeping, once, at the shell.
 *
 *	peixun purge [--older-than DAYS]
 *
 * Expired sessions are deleted, and the kept uploads of rejected imports past their retention
 * (import_report_days, or DAYS; 0: every kept upload): each run keeps its record and its
 * row-by-row errors, its error report says it has expired. `peixun serve` does the same every
 * ten minutes (cli_housekeeping), so this is for a database no server runs on, or for an
 * operator who wants the files gone now.
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/arena.h"
#include "base/problem.h"
#include "cli/cli.h"
#include "service/accounts.h"
#include "service/app.h"
#include "service/importer.h"
#include "service/svc.h"

px_err cli_housekeeping(struct svc *c, long days, int64_t *uploads)
{
	*uploads = 0;
	px_err rc = svc_sessions_purge(c);
	px_err up = svc_imports_purge(c, days, uploads);
	return rc ? rc : up;
}

static int purge(struct svc *c, void *arg)
{
	long days = *(long *)arg;
	int64_t uploads = 0;
	px_err rc = cli_housekeeping(c, days, &uploads);
	if (rc)
		return cli_fail(rc, "purge failed: %s", svc_db_message(c));
	printf("purged: expired sessions; %lld kept upload(s) of rejected imports older than %ld "
	       "day(s)\n",
	       (long long)uploads, days < 0 ? c->app->import_report_days : days);
	return 0;
}

int cmd_purge(struct cli *cli, int argc, char **argv)
{
	long days = -1;
	for (int i = 1; i < argc; i++) {
		bool missing = false;
		const char *v = cli_opt(argc, argv, &i, "--older-than", &missing);
		char *end = NULL;
		if (v)
			days = strtol(v, &end, 10);
		if (!v || !*v || *end || days < 0 || days > 3650)
			return cli_fail(PX_ERR_CONFIG, "purge: %s %s", argv[i],
					missing ? "needs a value"
					: v     ? "is not a number of days (0..3650)"
						: "is not an option");
	}
	return cli_with_svc(cli, CLI_NO_KEY, cli->lang, purge, &days);
}
