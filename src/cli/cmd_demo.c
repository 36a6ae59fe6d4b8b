/*
 * cmd_demo.c — `peixun demo [--password P] [--cadres N]`: the seed's world in a new database
 * (SPEC §5), built by the demo operation (service/demo.h).
 *
 * The six demo accounts (and viewer1) get the password given with --password, or one
 * generated and printed. A password the policy refuses fails before any database is made.
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/secret.h"
#include "cli/cli.h"
#include "domain/password.h"
#include "service/app.h"
#include "service/demo.h"

static void print_accounts(void)
{
	printf("demo accounts:");
	for (size_t i = 0; i < sizeof svc_demo_accounts / sizeof svc_demo_accounts[0]; i++)
		printf(" %s", svc_demo_accounts[i]);
	printf("\n");
}

struct demo_run {
	const struct demo_options *o;
	const char *generated; /* the password made for the run, or NULL */
};

static int build(struct svc *c, void *arg)
{
	const struct demo_run *run = arg;
	struct demo_report report;
	px_err rc = svc_demo_build(c, run->o, &report);
	for (size_t i = 0; i < report.n_timetables; i++)
		printf("timetable of %s: %zu sessions placed, soft cost %ld\n",
		       report.timetables[i].what, report.timetables[i].placed,
		       report.timetables[i].soft_cost);
	if (report.not_empty)
		return cli_fail(PX_ERR_CONFLICT,
				"%s already holds data; the demo needs a new database",
				c->app->dsn);
	if (rc) {
		if (c->message)
			fprintf(stderr, "peixun: demo: %s\n", c->message);
		return cli_fail(rc, "demo failed: %s", svc_db_message(c));
	}
	printf("demo database %s: 福建省 → 泉州市 → 南安市, %zu units, %d cadres\n", c->app->dsn,
	       report.units, run->o->cadres);
	print_accounts();
	if (run->generated)
		printf("demo password (all accounts): %s\n", run->generated);
	return 0;
}

int cmd_demo(struct cli *cli, int argc, char **argv)
{
	struct demo_options o = { .cadres = 3000 };
	for (int i = 1; i < argc; i++) {
		bool missing = false;
		const char *v;
		if ((v = cli_opt(argc, argv, &i, "--password", &missing)))
			o.password = v;
		else if ((v = cli_opt(argc, argv, &i, "--cadres", &missing)))
			o.cadres = atoi(v);
		else
			return cli_fail(PX_ERR_CONFIG, "demo: %s %s", argv[i],
					missing ? "needs a value" : "is not an option");
		if (missing)
			return cli_fail(PX_ERR_CONFIG, "demo: %s needs a value", argv[i]);
	}
	if (o.cadres < 71 || o.cadres > 500000)
		return cli_fail(PX_ERR_CONFIG, "demo: --cadres must be between 71 and 500000");
	char generated[24];
	if (!o.password) {
		secret_init();
		secret_generate_password(generated);
		o.password = generated;
	} else {
		struct problems pb;
		problems_init(&pb);
		if (password_check(o.password, NULL, "en", &pb)) {
			int status = cli_fail(PX_ERR_WEAK_PASSWORD, "demo --password: %s",
					      pb.items[0].message);
			problems_release(&pb);
			return status;
		}
	}
	struct demo_run run = { &o, o.password == generated ? generated : NULL };
	return cli_with_svc(cli, CLI_CREATE_KEY | CLI_MIGRATE, "zh-CN", build, &run);
}
