/*
 * cmd_serve.c — `peixun serve`: the web UI and the API.
 *
 * Applies pending migrations, checks the personal-data key against the database (refusing
 * to start without one), finds the built web UI, starts the job runner (service/jobs.h:
 * this server's workers claim queued jobs, beat for the ones it runs and rescue those whose
 * server died), and serves until SIGINT or SIGTERM. Every ten minutes (and once at the
 * start) it does the housekeeping that `peixun purge` does at the shell: expired sessions go,
 * and so do the kept uploads of rejected imports past import_report_days. On the way out the
 * runner gives interruptible jobs back to the queue.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "base/date.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "service/accounts.h"
#include "service/importer.h"
#include "service/jobs.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The web UI: configured (web_root), else the checkout's web/dist seen from the program in
 * its build tree (<checkout>/<build>/src/cli/peixun), else an installed one
 * (<prefix>/bin/peixun → <prefix>/share/peixun/web), else ./web/dist — so that `peixun
 * serve` started from any directory serves it. */
static char *find_web_root(const struct app *app)
{
	if (app->web_root && *app->web_root)
		return xstrdup(app->web_root);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		static const char *const rel[] = { "/../../../web/dist", "/../share/peixun/web" };
		for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
			char *p = xasprintf("%s%s", exe, rel[i]);
			if (is_dir(p))
				return p;
			free(p);
		}
	}
	return is_dir("web/dist") ? xstrdup("web/dist") : NULL;
}

int cmd_serve(struct cli *cli, int argc, char **argv)
{
	const char *listen = NULL;
	for (int i = 1; i < argc; i++) {
		bool missing = false;
		const char *v = cli_opt(argc, argv, &i, "--listen", &missing);
		if (v)
			listen = v;
		else
			return cli_fail(PX_ERR_CONFIG, "serve: %s %s", argv[i],
					missing ? "needs a value" : "is not an option");
	}
	struct app app;
	struct store *db;
	int status = cli_open(cli, CLI_MIGRATE, &app, &db);
	if (status)
		return status;
	if (listen) {
		free(app.listen);
		app.listen = xstrdup(listen);
	}
	char *web = find_web_root(&app);
	struct http_server_options o = {
		.listen = app.listen,
		.threads = (int)app.threads,
		.web_root = web,
		.upload_max = (size_t)app.upload_max_mb * 1024 * 1024,
		.trust_proxy = app.trust_proxy,
		.reply_cache = app.reply_cache,
	};
	api_server_options(&app, &o);
	struct http_server *server = NULL;
	struct buf why = BUF_INIT(1024);
	px_err rc = jobs_runner_start(&app, &why);
	if (!rc && (rc = http_server_start(&o, &server, &why)))
		jobs_runner_stop(&app);
	if (rc) {
		status = cli_fail(rc, "%s", why.data);
		app_db_close_all();
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	printf("peixun serving http://%s/ (%s, database %s)\n", app.listen,
	       web ? web : "no web UI built: API only", app.dsn);
	fflush(stdout);
	/* the housekeeping, every ten minutes */
	struct arena a;
	struct problems pb;
	arena_init(&a);
	problems_init(&pb);
	struct svc c;
	svc_init_shell(&c, db, &app, "en", &a, &pb);
	int64_t next_purge = 0;
	while (!stop) {
		if (time_mono_ms() >= next_purge) {
			int64_t uploads = 0;
			if (!cli_housekeeping(&c, -1, &uploads) && uploads > 0)
				fprintf(stderr,
					"peixun: deleted %lld kept upload(s) of rejected imports "
					"older than %ld day(s)\n",
					(long long)uploads, app.import_report_days);
			arena_reset(&a);
			next_purge = time_mono_ms() + 10 * 60 * 1000;
		}
		usleep(200 * 1000);
	}
	problems_release(&pb);
	arena_release(&a);
	printf("peixun: stopping\n");
	http_server_stop(server);
	jobs_runner_stop(&app);
	app_db_close_all();
out:
	buf_release(&why);
	free(web);
	cli_close(&app, db);
	return status;
}
