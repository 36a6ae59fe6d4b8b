/*
 * cmd_user.c — `peixun user add …` and `peixun user passwd …`: accounts from the shell, for
 * the first system admin and for recovery, through the same operations as the API
 * (service/users.c) with the operator's principal. The password comes from $PEIXUN_PASSWORD
 * (so it never appears in the process list) or is generated and printed once.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/accounts.h"
#include "service/app.h"

/* The first problem of a refused operation, or the store's message. */
static int user_fail(px_err rc, const struct svc *c, const char *what)
{
	if (c->problems->n)
		return cli_fail(rc, "%s: %s%s%s", what,
				c->problems->items[0].field ? c->problems->items[0].field : "",
				c->problems->items[0].field ? ": " : "",
				c->problems->items[0].message);
	return cli_fail(rc, "%s: %s", what, c->message ? c->message : px_err_code(rc));
}

static int add(struct svc *c, void *arg)
{
	const struct user_form *f = arg;
	json_t *out = NULL;
	px_err rc = svc_user_create(c, f, &out);
	if (rc == PX_ERR_CONFLICT)
		return cli_fail(rc, "user %s exists already", f->username);
	if (rc)
		return user_fail(rc, c, "cannot add user");
	const char *generated = json_string_value(json_object_get(out, "initial_password"));
	if (generated)
		printf("password for %s: %s\n", f->username, generated);
	printf("added %s (%s)\n", f->username, f->role);
	json_decref(out);
	return 0;
}

static int user_add(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_fail(PX_ERR_CONFIG, "user add USERNAME --role ROLE [--name NAME] "
					       "[--region ID] [--unit ID] [--cadre ID]");
	struct user_form f = USER_FORM_INIT;
	f.username = argv[1];
	f.password = getenv("PEIXUN_PASSWORD");
	for (int i = 2; i < argc; i++) {
		bool missing = false;
		const char *v;
		if ((v = cli_opt(argc, argv, &i, "--role", &missing)))
			f.role = v;
		else if ((v = cli_opt(argc, argv, &i, "--name", &missing)))
			f.display_name = v;
		else if ((v = cli_opt(argc, argv, &i, "--region", &missing)))
			f.region_id = atoll(v) > 0 ? atoll(v) : -2;
		else if ((v = cli_opt(argc, argv, &i, "--unit", &missing)))
			f.unit_id = atoll(v) > 0 ? atoll(v) : -2;
		else if ((v = cli_opt(argc, argv, &i, "--cadre", &missing)))
			f.cadre_id = atoll(v) > 0 ? atoll(v) : -2;
		else
			return cli_fail(PX_ERR_CONFIG, "user add: %s %s", argv[i],
					missing ? "needs a value" : "is not an option");
		if (missing)
			return cli_fail(PX_ERR_CONFIG, "user add: %s needs a value", argv[i]);
	}
	if (role_from_code(f.role) == ROLE_NONE)
		return cli_fail(PX_ERR_CONFIG,
				"user add: --role must be one of sysadmin, org_admin, "
				"class_manager, unit_liaison, trainee, expert, viewer");
	return cli_with_svc(cli, CLI_NO_KEY, "en", add, &f);
}

static int passwd(struct svc *c, void *arg)
{
	const char *username = arg;
	int64_t id = 0;
	json_t *out = NULL;
	px_err rc = svc_user_id_by_name(c, username, &id);
	if (rc == PX_ERR_NOT_FOUND)
		return cli_fail(rc, "no user %s", username);
	if (!rc)
		rc = svc_user_reset_password(c, id, getenv("PEIXUN_PASSWORD"), &out);
	if (rc)
		return user_fail(rc, c, "cannot set the password");
	const char *generated = json_string_value(json_object_get(out, "initial_password"));
	if (generated)
		printf("password for %s: %s\n", username, generated);
	printf("password of %s changed; the account is unlocked\n", username);
	json_decref(out);
	return 0;
}

static int user_passwd(struct cli *cli, int argc, char **argv)
{
	if (argc != 2)
		return cli_fail(PX_ERR_CONFIG, "user passwd USERNAME");
	return cli_with_svc(cli, CLI_NO_KEY, "en", passwd, argv[1]);
}

int cmd_user(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "add"))
		return user_add(cli, argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "passwd"))
		return user_passwd(cli, argc - 1, argv + 1);
	return cli_fail(PX_ERR_CONFIG, "user add … | user passwd USERNAME");
}
