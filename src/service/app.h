/*
 * app.h — the running program's configuration, keys and database connections.
 *
 * Configuration is a table (app.c): each key has a type, a default, an environment variable
 * that overrides the file, and a line of help. The file is "key = value" lines; `peixun
 * --config FILE` or $PEIXUN_CONFIG names it, and none is needed for a demo.
 *
 * The personal-data key is looked for in $PEIXUN_SECRET_KEY, then in the configured
 * key_file, then in "<database>.key" beside a SQLite database (where `peixun init` and
 * `peixun demo` create it). The database remembers a check value of its key, so starting
 * with the wrong key is refused instead of writing data nobody can read.
 *
 * Each thread gets its own database connection, opened on first use (app_db).
 */
#ifndef PX_APP_H
#define PX_APP_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/secret.h"

struct store;
struct jobs_runner;

struct app {
	char *dsn;
	char *listen;
	long threads;
	char *web_root;
	char *key_file;
	long upload_max_mb;
	long session_idle_minutes;
	long session_max_hours;
	bool cookie_secure;
	bool trust_proxy;
	bool reply_cache;
	/* the job runner (jobs.h): how many of a kind run at once on this server, and its
	 * clocks */
	long jobs_solve_max;
	long jobs_import_max;
	long jobs_evaluate_max;
	long jobs_heartbeat_seconds;
	long jobs_lapse_seconds;
	long jobs_poll_ms;
	/* imports (importer.h): runs an account may start an hour, how many ID numbers
	 * registered outside its scope one file is told of, how long and how much of the
	 * rejected uploads is kept for their error reports */
	long import_runs_per_hour;
	long import_elsewhere_shown;
	long import_report_days;
	long import_keep_mb;
	struct secret_keys keys;
	struct jobs_runner *jobs; /* this process's runner, once started (jobs_runner_start) */
};

/* Defaults, then the file (if path is non-NULL), then the environment. */
px_err app_config_load(struct app *a, const char *dsn, const char *path, struct buf *why);
void app_config_release(struct app *a);
/* Print every key with its value and help (for `peixun config`). */
void app_config_print(const struct app *a);

/* Find the key as described above; with `create`, make "<db>.key" when none exists. */
px_err app_keys_load(struct app *a, bool create, struct buf *why);
/* Compare the key with the database's check value; store it when the database has none. */
px_err app_keys_check(struct app *a, struct store *db, struct buf *why);

enum app_open_flags {
	APP_CREATE_KEY = 1, /* make "<db>.key" when no key is configured */
	APP_MIGRATE = 2,    /* apply pending migrations */
	APP_NO_KEY = 4,     /* the caller needs no personal-data key */
};

/*
 * What a command does first: libsodium, the configuration (dsn, then the file `config` if
 * non-NULL, then the environment), the key, the database, the migrations (APP_MIGRATE) or a
 * check that none is pending, and the key against the database's check value. On failure
 * *why says what went wrong and nothing is left open; on success the caller owns a
 * (app_config_release) and *db (app_close_db).
 */
px_err app_open(struct app *a, const char *dsn, const char *config, unsigned flags,
		struct store **db, struct buf *why);
void app_close_db(struct store *db);
/* The database's last error message (for a command's failure line). */
const char *app_db_error(struct store *db);
/* True for a PostgreSQL DSN. */
bool app_dsn_is_pg(const char *dsn);
/* The schema version this program brings. */
int app_schema_latest(void);

/* This thread's connection (opened and migrated-checked on first use); NULL on failure. */
struct store *app_db(struct app *a);
/* Close every connection app_db opened; call only when no thread uses them any more. */
void app_db_close_all(void);

#endif
