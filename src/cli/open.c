/*
 * open.c — what most commands do first: configuration, key, database, migrations.
 */
#include <stdio.h>
#include <string.h>

#include "service/app.h"
#include "base/secret.h"
#include "cli/cli.h"
#include "store/store.h"

int cli_open(struct cli *cli, unsigned flags, struct app *app, struct store **db)
{
	struct buf why = BUF_INIT(4096);
	int status = 0;
	*db = NULL;
	px_err rc = secret_init();
	if (rc) {
		status = cli_fail(rc, "libsodium failed to initialize");
		goto out;
	}
	if ((rc = app_config_load(app, cli->db, cli->config, &why))) {
		status = cli_fail(rc, "%s", why.data);
		goto out;
	}
	if (!(flags & CLI_NO_KEY) && (rc = app_keys_load(app, flags & CLI_CREATE_KEY, &why))) {
		status = cli_fail(rc, "%s", why.data);
		goto out;
	}
	if ((rc = store_open(app->dsn, db, &why))) {
		status = cli_fail(rc, "%s", why.data);
		goto out;
	}
	if (flags & CLI_MIGRATE) {
		int applied;
		if ((rc = store_migrate(*db, &applied, &why))) {
			status = cli_fail(rc, "%s", why.data);
			goto out;
		}
	} else {
		int version = 0;
		if ((rc = store_schema_version(*db, &version))) {
			status = cli_fail(rc, "cannot read the schema version: %s",
					  store_errmsg(*db));
			goto out;
		}
		if (version != store_schema_latest()) {
			status =
				cli_fail(PX_ERR_SCHEMA,
					 "the database is at schema version %d, this program needs "
					 "%d: run `peixun migrate`",
					 version, store_schema_latest());
			goto out;
		}
	}
	if (!(flags & CLI_NO_KEY) && (rc = app_keys_check(app, *db, &why))) {
		status = cli_fail(rc, "%s", why.data ? why.data : store_errmsg(*db));
		goto out;
	}
out:
	if (status) {
		store_close(*db);
		*db = NULL;
		app_config_release(app);
	}
	buf_release(&why);
	return status;
}

void cli_close(struct app *app, struct store *db)
{
	store_close(db);
	app_config_release(app);
}
