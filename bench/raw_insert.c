/*
 * raw_insert.c — the baseline for the import benchmark: the same CSV rows, split on commas
 * and inserted as they are with one prepared statement in one transaction, into a fresh
 * SQLite file with the same settings as peixun's (WAL, synchronous=FULL). No validation,
 * no encryption, no lookups: the fastest a C program can put these rows into SQLite.
 *
 *	raw_insert DB CSV bare     a table of text columns, no indexes
 *	raw_insert DB CSV indexed  the same plus the three indexes peixun's cadres table has
 *
 * Prints "rows=N seconds=S rows_per_s=R".
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check(int rc, sqlite3 *db, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "raw_insert: %s: %s\n", what, sqlite3_errmsg(db));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: raw_insert DB CSV bare|indexed\n");
		return 2;
	}
	FILE *f = fopen(argv[2], "r");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	sqlite3 *db;
	check(sqlite3_open(argv[1], &db), db, "open");
	check(sqlite3_exec(db,
			   "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA "
			   "cache_size=-262144;",
			   0, 0, 0),
	      db, "pragma");
	check(sqlite3_exec(
		      db,
		      "CREATE TABLE t (name TEXT, id_number TEXT, phone TEXT, unit TEXT, "
		      "post TEXT, is_head TEXT, rank_level TEXT, category TEXT, post_date TEXT)",
		      0, 0, 0),
	      db, "create");
	if (!strcmp(argv[3], "indexed"))
		check(sqlite3_exec(db,
				   "CREATE UNIQUE INDEX t_id ON t(id_number);"
				   "CREATE INDEX t_unit ON t(unit);"
				   "CREATE INDEX t_name ON t(name);",
				   0, 0, 0),
		      db, "index");
	sqlite3_stmt *st;
	check(sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &st,
				 0),
	      db, "prepare");
	char line[4096];
	long rows = 0;
	double t0 = now();
	check(sqlite3_exec(db, "BEGIN", 0, 0, 0), db, "begin");
	if (!fgets(line, sizeof line, f)) /* header */
		return 1;
	while (fgets(line, sizeof line, f)) {
		char *p = line;
		for (int i = 1; i <= 9; i++) {
			char *end = strpbrk(p, ",\n");
			size_t n = end ? (size_t)(end - p) : strlen(p);
			sqlite3_bind_text(st, i, p, (int)n, SQLITE_TRANSIENT);
			p = end ? end + 1 : p + n;
		}
		check(sqlite3_step(st), db, "insert");
		sqlite3_reset(st);
		rows++;
	}
	check(sqlite3_exec(db, "COMMIT", 0, 0, 0), db, "commit");
	double secs = now() - t0;
	printf("rows=%ld seconds=%.3f rows_per_s=%.0f\n", rows, secs, (double)rows / secs);
	sqlite3_finalize(st);
	sqlite3_close(db);
	fclose(f);
	return 0;
}
