/*
 * open.c — what most commands do first (service/app.h: app_open), with the reason of a
 * failure printed the command line's way.
 */
#include "cli/cli.h"
#include "base/arena.h"
#include "base/problem.h"
#include "service/app.h"
#include "service/svc.h"

int cli_open(struct cli *cli, unsigned flags, struct app *app, struct store **db)
{
	struct buf why = BUF_INIT(4096);
	unsigned f = (flags & CLI_CREATE_KEY ? APP_CREATE_KEY : 0) |
		     (flags & CLI_MIGRATE ? APP_MIGRATE : 0) |
		     (flags & CLI_NO_KEY ? APP_NO_KEY : 0);
	px_err rc = app_open(app, cli->db, cli->config, f, db, &why);
	int status = rc ? cli_fail(rc, "%s", why.data ? why.data : px_err_code(rc)) : 0;
	buf_release(&why);
	return status;
}

void cli_close(struct app *app, struct store *db)
{
	app_close_db(db);
	app_config_release(app);
}

const char *cli_db_error(struct store *db)
{
	return app_db_error(db);
}

int cli_with_svc(struct cli *cli, unsigned flags, const char *lang,
		 int (*op)(struct svc *c, void *arg), void *arg)
{
	struct app app;
	struct store *db;
	int status = cli_open(cli, flags, &app, &db);
	if (status)
		return status;
	struct arena a;
	struct problems pb;
	arena_init(&a);
	problems_init(&pb);
	struct svc c;
	svc_init_shell(&c, db, &app, lang, &a, &pb);
	status = op(&c, arg);
	problems_release(&pb);
	arena_release(&a);
	cli_close(&app, db);
	return status;
}
