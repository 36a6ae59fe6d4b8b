/*
 * open.c — what most commands do first (service/app.h: app_open), with the reason of a
 * failure printed the command line's way.
 */
#include "cli/cli.h"
#include "service/app.h"

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
