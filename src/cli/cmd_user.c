/*
 * cmd_user.c — `peixun user add …` and `peixun user passwd …`: accounts from the shell,
 * for the first system admin and for recovery. The password comes from $PEIXUN_PASSWORD
 * (so it never appears in the process list) or is generated and printed once.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/app.h"
#include "base/secret.h"
#include "cli/cli.h"
#include "domain/password.h"
#include "store/accounts.h"

static int choose_password(const char *username, char out[128])
{
	const char *env = getenv("PEIXUN_PASSWORD");
	if (env && *env) {
		struct problems pb;
		problems_init(&pb);
		if (password_check(env, username, "en", &pb)) {
			int status = cli_fail(PX_ERR_WEAK_PASSWORD, "PEIXUN_PASSWORD: %s",
					      pb.items[0].message);
			problems_release(&pb);
			return status;
		}
		snprintf(out, 128, "%s", env);
		return 0;
	}
	char generated[24];
	secret_generate_password(generated);
	snprintf(out, 128, "%s", generated);
	printf("password for %s: %s\n", username, generated);
	return 0;
}

static int user_add(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_fail(PX_ERR_CONFIG, "user add USERNAME --role ROLE [--name NAME] "
					       "[--region ID] [--unit ID] [--cadre ID]");
	struct user u = { .username = argv[1], .display_name = argv[1], .active = 1 };
	for (int i = 2; i < argc; i++) {
		bool missing = false;
		const char *v;
		if ((v = cli_opt(argc, argv, &i, "--role", &missing)))
			u.role = v;
		else if ((v = cli_opt(argc, argv, &i, "--name", &missing)))
			u.display_name = v;
		else if ((v = cli_opt(argc, argv, &i, "--region", &missing)))
			u.region_id = atoll(v);
		else if ((v = cli_opt(argc, argv, &i, "--unit", &missing)))
			u.unit_id = atoll(v);
		else if ((v = cli_opt(argc, argv, &i, "--cadre", &missing)))
			u.cadre_id = atoll(v);
		else
			return cli_fail(PX_ERR_CONFIG, "user add: %s %s", argv[i],
					missing ? "needs a value" : "is not an option");
		if (missing)
			return cli_fail(PX_ERR_CONFIG, "user add: %s needs a value", argv[i]);
	}
	if (role_from_code(u.role) == ROLE_NONE)
		return cli_fail(PX_ERR_CONFIG,
				"user add: --role must be one of sysadmin, org_admin, "
				"class_manager, unit_liaison, trainee, expert, viewer");
	char password[128], hash[128];
	int status = choose_password(u.username, password);
	if (status)
		return status;
	if (secret_password_hash(password, hash))
		return cli_fail(PX_ERR_NOMEM, "cannot hash the password");
	u.password_hash = hash;
	struct app app;
	struct store *db;
	if ((status = cli_open(cli, CLI_NO_KEY, &app, &db)))
		return status;
	px_err rc = store_begin(db);
	if (!rc)
		rc = users_insert(db, &u);
	if (!rc) {
		json_t *j = json_pack("{ss ss}", "username", u.username, "role", u.role);
		char *after = json_dumps(j, JSON_COMPACT);
		rc = audit_add(db, NULL, "", "create", "user", u.id, NULL, after);
		free(after);
		json_decref(j);
	}
	if (!rc)
		rc = store_commit(db);
	else
		store_rollback(db);
	if (rc == PX_ERR_CONFLICT)
		status = cli_fail(rc, "user %s exists already", u.username);
	else if (rc)
		status = cli_fail(rc, "cannot add user: %s", store_errmsg(db));
	else
		printf("added %s (%s)\n", u.username, u.role);
	store_close(db);
	app_config_release(&app);
	return status;
}

static int user_passwd(struct cli *cli, int argc, char **argv)
{
	if (argc != 2)
		return cli_fail(PX_ERR_CONFIG, "user passwd USERNAME");
	char password[128], hash[128];
	int status = choose_password(argv[1], password);
	if (status)
		return status;
	if (secret_password_hash(password, hash))
		return cli_fail(PX_ERR_NOMEM, "cannot hash the password");
	struct app app;
	struct store *db;
	if ((status = cli_open(cli, CLI_NO_KEY, &app, &db)))
		return status;
	struct arena a;
	arena_init(&a);
	struct user u;
	px_err rc = users_get_by_username(db, &a, argv[1], &u);
	if (!rc)
		rc = store_begin(db);
	if (!rc) {
		rc = users_set_password(db, u.id, hash, false);
		if (!rc)
			rc = sessions_delete_user(db, u.id);
		if (!rc)
			rc = audit_add(db, NULL, "", "reset_password", "user", u.id, NULL, NULL);
		if (!rc)
			rc = store_commit(db);
		else
			store_rollback(db);
	}
	if (rc == PX_ERR_NOT_FOUND)
		status = cli_fail(rc, "no user %s", argv[1]);
	else if (rc)
		status = cli_fail(rc, "cannot set the password: %s", store_errmsg(db));
	else
		printf("password of %s changed; the account is unlocked\n", argv[1]);
	arena_release(&a);
	store_close(db);
	app_config_release(&app);
	return status;
}

int cmd_user(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "add"))
		return user_add(cli, argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "passwd"))
		return user_passwd(cli, argc - 1, argv + 1);
	return cli_fail(PX_ERR_CONFIG, "user add … | user passwd USERNAME");
}
