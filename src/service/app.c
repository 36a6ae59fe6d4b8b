/*
 * app.c — see app.h.
 */
#include "service/app.h"

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"
#include "store/settings.h"
#include "store/store.h"

enum cfg_type { CFG_STR, CFG_LONG, CFG_BOOL };

struct cfg_key {
	const char *name;
	enum cfg_type type;
	size_t offset;
	const char *def;
	const char *env;
	const char *help;
};

/* clang-format off */
static const struct cfg_key cfg_keys[] = {
	{"listen", CFG_STR, offsetof(struct app, listen), "127.0.0.1:8080", "PEIXUN_LISTEN", "address and port to serve on"},
	{"threads", CFG_LONG, offsetof(struct app, threads), "0", "PEIXUN_THREADS", "worker threads, each with one database connection (0: one per CPU, at least 4)"},
	{"web_root", CFG_STR, offsetof(struct app, web_root), "", "PEIXUN_WEB", "directory of the built web UI (default: web/dist beside the program or in the current directory)"},
	{"key_file", CFG_STR, offsetof(struct app, key_file), "", "PEIXUN_KEY_FILE", "file holding the 64-hex-digit personal-data key"},
	{"upload_max_mb", CFG_LONG, offsetof(struct app, upload_max_mb), "20", "PEIXUN_UPLOAD_MAX_MB", "largest accepted upload, in MiB"},
	{"session_idle_minutes", CFG_LONG, offsetof(struct app, session_idle_minutes), "30", "PEIXUN_SESSION_IDLE_MINUTES", "a session ends after this long without requests"},
	{"session_max_hours", CFG_LONG, offsetof(struct app, session_max_hours), "12", "PEIXUN_SESSION_MAX_HOURS", "a session ends this long after login"},
	{"cookie_secure", CFG_BOOL, offsetof(struct app, cookie_secure), "false", "PEIXUN_COOKIE_SECURE", "mark the session cookie Secure (set behind HTTPS)"},
	{"trust_proxy", CFG_BOOL, offsetof(struct app, trust_proxy), "false", "PEIXUN_TRUST_PROXY", "take the client address from X-Forwarded-For (its last address, the one the proxy appended): only behind a proxy every client must pass"},
	{"reply_cache", CFG_BOOL, offsetof(struct app, reply_cache), "true", "PEIXUN_REPLY_CACHE", "serve the busiest reads again while nothing commits (SQLite)"},
	{"jobs_solve_max", CFG_LONG, offsetof(struct app, jobs_solve_max), "2", "PEIXUN_JOBS_SOLVE_MAX", "timetable solves running at once on this server (each takes a core); more wait queued; 0: this server runs none"},
	{"jobs_import_max", CFG_LONG, offsetof(struct app, jobs_import_max), "1", "PEIXUN_JOBS_IMPORT_MAX", "background imports running at once on this server; more wait queued; 0: this server runs none"},
	{"jobs_evaluate_max", CFG_LONG, offsetof(struct app, jobs_evaluate_max), "1", "PEIXUN_JOBS_EVALUATE_MAX", "re-evaluations of a region's cadres after a new requirement version (ledger.evaluate) running at once on this server; 0: this server runs none"},
	{"jobs_heartbeat_seconds", CFG_LONG, offsetof(struct app, jobs_heartbeat_seconds), "5", "PEIXUN_JOBS_HEARTBEAT_SECONDS", "how often a server marks the jobs it runs as alive"},
	{"jobs_lapse_seconds", CFG_LONG, offsetof(struct app, jobs_lapse_seconds), "30", "PEIXUN_JOBS_LAPSE_SECONDS", "a running job without a heartbeat for this long lost its server: it is run again or failed"},
	{"jobs_poll_ms", CFG_LONG, offsetof(struct app, jobs_poll_ms), "1000", "PEIXUN_JOBS_POLL_MS", "how often an idle server looks for jobs queued by the others"},
	{"import_runs_per_hour", CFG_LONG, offsetof(struct app, import_runs_per_hour), "20", "PEIXUN_IMPORT_RUNS_PER_HOUR", "imports (dry runs included) one account may start in any hour; more are refused (429) until the oldest is an hour old; 0: no limit"},
	{"import_elsewhere_shown", CFG_LONG, offsetof(struct app, import_elsewhere_shown), "3", "PEIXUN_IMPORT_ELSEWHERE_SHOWN", "ID numbers registered outside the importer's scope that one file is told of; the file's later ID numbers are then not checked for it (docs/security.md)"},
	{"import_report_days", CFG_LONG, offsetof(struct app, import_report_days), "3", "PEIXUN_IMPORT_REPORT_DAYS", "a rejected upload is kept (encrypted) this many days for its error report, then deleted; 0: until the next purge"},
	{"import_keep_mb", CFG_LONG, offsetof(struct app, import_keep_mb), "30", "PEIXUN_IMPORT_KEEP_MB", "kept uploads of one account, in MiB as stored: beyond it the oldest are deleted"},
};
/* clang-format on */

#define N_KEYS (sizeof cfg_keys / sizeof cfg_keys[0])

static px_err cfg_set(struct app *a, const struct cfg_key *k, const char *v, struct buf *why)
{
	char *field = (char *)a + k->offset;
	switch (k->type) {
	case CFG_STR:
		free(*(char **)field);
		*(char **)field = xstrdup(v);
		return PX_OK;
	case CFG_LONG: {
		char *end;
		errno = 0;
		long n = strtol(v, &end, 10);
		if (errno || end == v || *end || n < 0) {
			buf_printf(why, "config %s: '%s' is not a whole number", k->name, v);
			return PX_ERR_CONFIG;
		}
		*(long *)field = n;
		return PX_OK;
	}
	case CFG_BOOL:
		if (!strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "yes"))
			*(bool *)field = true;
		else if (!strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "no"))
			*(bool *)field = false;
		else {
			buf_printf(why, "config %s: '%s' is not true or false", k->name, v);
			return PX_ERR_CONFIG;
		}
		return PX_OK;
	}
	return PX_ERR_INTERNAL;
}

static const struct cfg_key *cfg_find(const char *name)
{
	for (size_t i = 0; i < N_KEYS; i++)
		if (!strcmp(cfg_keys[i].name, name))
			return &cfg_keys[i];
	return NULL;
}

static px_err cfg_file(struct app *a, const char *path, struct buf *why)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		buf_printf(why, "cannot read config %s: %s", path, strerror(errno));
		return PX_ERR_CONFIG;
	}
	char line[1024];
	int lineno = 0;
	px_err rc = PX_OK;
	while (!rc && fgets(line, sizeof line, f)) {
		lineno++;
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#' || *p == '\n' || *p == '\0')
			continue;
		char *eq = strchr(p, '=');
		if (!eq) {
			buf_printf(why, "%s:%d: expected key = value", path, lineno);
			rc = PX_ERR_CONFIG;
			break;
		}
		char *kend = eq;
		while (kend > p && (kend[-1] == ' ' || kend[-1] == '\t'))
			kend--;
		*kend = '\0';
		char *v = eq + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		size_t vn = strlen(v);
		while (vn && (v[vn - 1] == '\n' || v[vn - 1] == '\r' || v[vn - 1] == ' '))
			v[--vn] = '\0';
		const struct cfg_key *k = cfg_find(p);
		if (!k) {
			buf_printf(why, "%s:%d: unknown key '%s'", path, lineno, p);
			rc = PX_ERR_CONFIG;
			break;
		}
		rc = cfg_set(a, k, v, why);
	}
	fclose(f);
	return rc;
}

px_err app_config_load(struct app *a, const char *dsn, const char *path, struct buf *why)
{
	memset(a, 0, sizeof *a);
	a->dsn = xstrdup(dsn);
	px_err rc = PX_OK;
	for (size_t i = 0; i < N_KEYS && !rc; i++)
		rc = cfg_set(a, &cfg_keys[i], cfg_keys[i].def, why);
	if (!rc && path && *path)
		rc = cfg_file(a, path, why);
	for (size_t i = 0; i < N_KEYS && !rc; i++) {
		const char *v = getenv(cfg_keys[i].env);
		if (v && *v)
			rc = cfg_set(a, &cfg_keys[i], v, why);
	}
	if (!rc && a->threads == 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		/* at least 4: a long import must not stall everyone */
		a->threads = cpus < 4 ? 4 : cpus > 64 ? 64 : cpus;
	}
	if (!rc && (a->threads < 1 || a->threads > 256)) {
		buf_printf(why, "config threads: %ld is out of range 1..256", a->threads);
		rc = PX_ERR_CONFIG;
	}
	if (!rc &&
	    (a->jobs_solve_max > 64 || a->jobs_import_max > 64 || a->jobs_evaluate_max > 64)) {
		buf_puts(why,
			 "config jobs_solve_max, jobs_import_max, jobs_evaluate_max: at most 64");
		rc = PX_ERR_CONFIG;
	}
	if (!rc && (a->jobs_heartbeat_seconds < 1 ||
		    a->jobs_lapse_seconds < 2 * a->jobs_heartbeat_seconds)) {
		buf_printf(why,
			   "config jobs_heartbeat_seconds (%ld) must be at least 1 and "
			   "jobs_lapse_seconds (%ld) at least twice as long",
			   a->jobs_heartbeat_seconds, a->jobs_lapse_seconds);
		rc = PX_ERR_CONFIG;
	}
	if (!rc && (a->import_elsewhere_shown < 1 || a->import_elsewhere_shown > 1000)) {
		buf_printf(why, "config import_elsewhere_shown: %ld is out of range 1..1000",
			   a->import_elsewhere_shown);
		rc = PX_ERR_CONFIG;
	}
	if (!rc && (a->import_report_days > 3650 || a->import_keep_mb > 1024 * 1024)) {
		buf_puts(why, "config import_report_days: at most 3650; import_keep_mb: at most "
			      "1048576");
		rc = PX_ERR_CONFIG;
	}
	if (!rc && (a->jobs_poll_ms < 10 || a->jobs_poll_ms > 600000)) {
		buf_printf(why, "config jobs_poll_ms: %ld is out of range 10..600000",
			   a->jobs_poll_ms);
		rc = PX_ERR_CONFIG;
	}
	return rc;
}

void app_config_release(struct app *a)
{
	for (size_t i = 0; i < N_KEYS; i++)
		if (cfg_keys[i].type == CFG_STR)
			free(*(char **)((char *)a + cfg_keys[i].offset));
	free(a->dsn);
	memset(a, 0, sizeof *a);
}

void app_config_print(const struct app *a)
{
	for (size_t i = 0; i < N_KEYS; i++) {
		const struct cfg_key *k = &cfg_keys[i];
		const char *field = (const char *)a + k->offset;
		printf("# %s (env %s)\n", k->help, k->env);
		switch (k->type) {
		case CFG_STR: printf("%s = %s\n", k->name, *(char *const *)field); break;
		case CFG_LONG: printf("%s = %ld\n", k->name, *(const long *)field); break;
		case CFG_BOOL:
			printf("%s = %s\n", k->name, *(const bool *)field ? "true" : "false");
			break;
		}
	}
}

px_err app_keys_load(struct app *a, bool create, struct buf *why)
{
	const char *env = getenv("PEIXUN_SECRET_KEY");
	if (env && *env) {
		if (secret_keys_from_hex(&a->keys, env)) {
			buf_puts(why, "PEIXUN_SECRET_KEY must be 64 hex characters");
			return PX_ERR_NO_KEY;
		}
		return PX_OK;
	}
	if (a->key_file && *a->key_file)
		return secret_keys_from_file(&a->keys, a->key_file, why);
	if (store_dsn_is_pg(a->dsn)) {
		buf_puts(why, "no personal-data key: set PEIXUN_SECRET_KEY or key_file in the "
			      "configuration");
		return PX_ERR_NO_KEY;
	}
	char *path = xasprintf("%s.key", a->dsn);
	px_err rc = PX_OK;
	if (access(path, F_OK) != 0) {
		if (!create) {
			buf_printf(why,
				   "no personal-data key: set PEIXUN_SECRET_KEY, key_file in the "
				   "configuration, or create %s with `peixun init`",
				   path);
			rc = PX_ERR_NO_KEY;
			goto out;
		}
		if ((rc = secret_key_file_create(path, why)))
			goto out;
	}
	rc = secret_keys_from_file(&a->keys, path, why);
	if (!rc) {
		free(a->key_file);
		a->key_file = path;
		path = NULL;
	}
out:
	free(path);
	return rc;
}

px_err app_keys_check(struct app *a, struct store *db, struct buf *why)
{
	char check[65], stored[65];
	secret_key_check_value(&a->keys, check);
	px_err rc = settings_get(db, "key_check", stored, sizeof stored);
	if (rc == PX_ERR_NOT_FOUND)
		return settings_add(db, "key_check", check);
	if (rc)
		return rc;
	if (!secret_equal(stored, check)) {
		buf_puts(why, "the personal-data key does not match this database (wrong key file "
			      "or PEIXUN_SECRET_KEY)");
		return PX_ERR_NO_KEY;
	}
	return PX_OK;
}

/* Each thread's connection, and a list of all of them so that they can be closed when the
 * server's threads are gone. */
static _Thread_local struct store *tls_db;
static pthread_mutex_t all_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store **all_dbs;
static size_t n_all_dbs;

struct store *app_db(struct app *a)
{
	if (tls_db)
		return tls_db;
	struct buf why = BUF_INIT(1024);
	if (store_open(a->dsn, &tls_db, &why)) {
		fprintf(stderr, "peixun: %s\n", why.data ? why.data : "cannot open the database");
		tls_db = NULL;
	} else {
		pthread_mutex_lock(&all_lock);
		all_dbs = xrealloc(all_dbs, (n_all_dbs + 1) * sizeof *all_dbs);
		all_dbs[n_all_dbs++] = tls_db;
		pthread_mutex_unlock(&all_lock);
	}
	buf_release(&why);
	return tls_db;
}

void app_db_close_all(void)
{
	pthread_mutex_lock(&all_lock);
	for (size_t i = 0; i < n_all_dbs; i++)
		store_close(all_dbs[i]);
	free(all_dbs);
	all_dbs = NULL;
	n_all_dbs = 0;
	pthread_mutex_unlock(&all_lock);
	tls_db = NULL;
}

px_err app_open(struct app *a, const char *dsn, const char *config, unsigned flags,
		struct store **db, struct buf *why)
{
	*db = NULL;
	px_err rc = secret_init();
	if (rc) {
		buf_puts(why, "libsodium failed to initialize");
		return rc;
	}
	if ((rc = app_config_load(a, dsn, config, why)))
		return rc;
	if (!(flags & APP_NO_KEY) && (rc = app_keys_load(a, flags & APP_CREATE_KEY, why)))
		goto fail;
	if ((rc = store_open(a->dsn, db, why)))
		goto fail;
	if (flags & APP_MIGRATE) {
		int applied;
		if ((rc = store_migrate(*db, &applied, why)))
			goto fail;
	} else {
		int version = 0;
		if ((rc = store_schema_version(*db, &version))) {
			buf_printf(why, "cannot read the schema version: %s", store_errmsg(*db));
			goto fail;
		}
		if (version != store_schema_latest()) {
			buf_printf(
				why,
				"the database is at schema version %d, this program needs %d: run "
				"`peixun migrate`",
				version, store_schema_latest());
			rc = PX_ERR_SCHEMA;
			goto fail;
		}
	}
	if (!(flags & APP_NO_KEY) && (rc = app_keys_check(a, *db, why))) {
		if (!why->len)
			buf_puts(why, store_errmsg(*db));
		goto fail;
	}
	return PX_OK;
fail:
	store_close(*db);
	*db = NULL;
	app_config_release(a);
	return rc;
}

void app_close_db(struct store *db)
{
	store_close(db);
}

const char *app_db_error(struct store *db)
{
	return store_errmsg(db);
}

bool app_dsn_is_pg(const char *dsn)
{
	return store_dsn_is_pg(dsn);
}

int app_schema_latest(void)
{
	return store_schema_latest();
}
