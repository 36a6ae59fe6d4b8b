/*
 * cmd_db.c — `peixun init`, `peixun migrate` and `peixun config`.
 */
#include <stdio.h>
#include <unistd.h>

#include "service/app.h"
#include "cli/cli.h"

int cmd_init(struct cli *cli, int argc, char **argv)
{
	if (argc > 1)
		return cli_fail(PX_ERR_CONFIG, "init takes no arguments");
	(void)argv;
	if (!app_dsn_is_pg(cli->db) && access(cli->db, F_OK) == 0)
		return cli_fail(PX_ERR_CONFLICT, "%s already exists; init makes a new database",
				cli->db);
	struct app app;
	struct store *db;
	int status = cli_open(cli, CLI_CREATE_KEY | CLI_MIGRATE, &app, &db);
	if (status)
		return status;
	printf("created %s (schema version %d)\n", cli->db, app_schema_latest());
	if (app.key_file && *app.key_file)
		printf("personal-data key: %s (keep it safe and backed up: without it the ID "
		       "and phone numbers cannot be read)\n",
		       app.key_file);
	app_close_db(db);
	app_config_release(&app);
	return 0;
}

int cmd_migrate(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_fail(PX_ERR_CONFIG, "migrate takes no arguments");
	struct app app;
	struct store *db;
	int status = cli_open(cli, CLI_NO_KEY | CLI_MIGRATE, &app, &db);
	if (status)
		return status;
	printf("schema version %d\n", app_schema_latest());
	app_close_db(db);
	app_config_release(&app);
	return 0;
}

int cmd_config(struct cli *cli, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct app app;
	struct buf why = BUF_INIT(1024);
	px_err rc = app_config_load(&app, cli->db, cli->config, &why);
	if (rc) {
		int status = cli_fail(rc, "%s", why.data);
		buf_release(&why);
		return status;
	}
	printf("# database: %s\n", app.dsn);
	app_config_print(&app);
	app_config_release(&app);
	buf_release(&why);
	return 0;
}
