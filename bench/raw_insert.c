/*
 * raw_insert.c — the baseline for the import benchmark: the same CSV rows, split on commas
 * and inserted as they are with one prepared statement in one transaction, into a fresh
 * SQLite file with the same settings as peixun's (WAL, synchronous=FULL). No validation,
 * no encryption, no lookups: the fastest a C program can put these rows into SQLite.
 *
 *	raw_insert DB CSV bare     a table of text columns, no indexes
 *	raw_insert DB CSV indexed  the same plus the three indexes peixun's cadres table has
 *	raw_insert DB SRC stored   the rows as peixun stores them (ciphertexts, blind index,
 *	                           masked copies), read beforehand from the cadres table of the
 *	                           peixun database SRC, into a table and indexes made from
 *	                           SRC's own schema, the indexes built after the rows (the
 *	                           faster order) with the sorter settings peixun uses
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

/* The stored rows of SRC's cadres table, all in memory before the clock starts. */
#define STORED_COLS 22

struct stored {
	char *text;     /* every value, NUL-terminated, one after another */
	size_t *offset; /* rows * STORED_COLS offsets into text */
	int *type;      /* of each value: SQLITE_INTEGER or SQLITE_TEXT */
	long rows;
};

static void load_stored(const char *src, struct stored *out, char **table_sql, char **index_sql)
{
	sqlite3 *db;
	check(sqlite3_open(src, &db), db, "open source");
	sqlite3_stmt *st;
	check(sqlite3_prepare_v2(
		      db,
		      "SELECT group_concat(sql, ';') FROM sqlite_master WHERE tbl_name = "
		      "'cadres' AND sql IS NOT NULL AND type = ? ",
		      -1, &st, 0),
	      db, "schema");
	for (int i = 0; i < 2; i++) {
		sqlite3_bind_text(st, 1, i ? "index" : "table", -1, SQLITE_STATIC);
		check(sqlite3_step(st), db, "schema");
		*(i ? index_sql : table_sql) = strdup((const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	check(sqlite3_prepare_v2(db, "SELECT * FROM cadres", -1, &st, 0), db, "select");
	if (sqlite3_column_count(st) != STORED_COLS) {
		fprintf(stderr, "raw_insert: %s: cadres has %d columns, not %d\n", src,
			sqlite3_column_count(st), STORED_COLS);
		exit(1);
	}
	size_t cap = 1 << 20, used = 0, rcap = 1024;
	out->text = malloc(cap);
	out->offset = malloc(rcap * STORED_COLS * sizeof *out->offset);
	out->type = malloc(rcap * STORED_COLS * sizeof *out->type);
	out->rows = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if ((size_t)out->rows == rcap) {
			rcap *= 2;
			out->offset =
				realloc(out->offset, rcap * STORED_COLS * sizeof *out->offset);
			out->type = realloc(out->type, rcap * STORED_COLS * sizeof *out->type);
		}
		for (int c = 0; c < STORED_COLS; c++) {
			const char *v = (const char *)sqlite3_column_text(st, c);
			size_t n = strlen(v ? v : "") + 1;
			while (used + n > cap)
				out->text = realloc(out->text, cap *= 2);
			memcpy(out->text + used, v ? v : "", n);
			size_t k = (size_t)out->rows * STORED_COLS + (size_t)c;
			out->offset[k] = used;
			out->type[k] = sqlite3_column_type(st, c);
			used += n;
		}
		out->rows++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static int stored_main(const char *path, const char *src)
{
	struct stored rows;
	char *table_sql, *index_sql;
	load_stored(src, &rows, &table_sql, &index_sql);
	sqlite3 *db;
	check(sqlite3_open(path, &db), db, "open");
	check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", 0, 0, 0), db,
	      "pragma");
	check(sqlite3_exec(db, table_sql, 0, 0, 0), db, "create");
	/* CREATE INDEX sorts fastest in small runs: peixun's bulk-load settings */
	check(sqlite3_exec(db, "PRAGMA cache_size=-2048; PRAGMA threads=2;", 0, 0, 0), db,
	      "pragma");
	char sql[200] = "INSERT INTO cadres VALUES (?";
	for (int c = 1; c < STORED_COLS; c++)
		strcat(sql, ", ?");
	strcat(sql, ")");
	sqlite3_stmt *st;
	check(sqlite3_prepare_v2(db, sql, -1, &st, 0), db, "prepare");
	double t0 = now();
	check(sqlite3_exec(db, "BEGIN", 0, 0, 0), db, "begin");
	for (long r = 0; r < rows.rows; r++) {
		for (int c = 0; c < STORED_COLS; c++) {
			size_t k = (size_t)r * STORED_COLS + (size_t)c;
			const char *v = rows.text + rows.offset[k];
			if (rows.type[k] == SQLITE_INTEGER)
				sqlite3_bind_int64(st, c + 1, atoll(v));
			else
				sqlite3_bind_text(st, c + 1, v, -1, SQLITE_STATIC);
		}
		check(sqlite3_step(st), db, "insert");
		sqlite3_reset(st);
	}
	check(sqlite3_exec(db, index_sql, 0, 0, 0), db, "index");
	check(sqlite3_exec(db, "COMMIT", 0, 0, 0), db, "commit");
	double secs = now() - t0;
	printf("rows=%ld seconds=%.3f rows_per_s=%.0f\n", rows.rows, secs,
	       (double)rows.rows / secs);
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(rows.text);
	free(rows.offset);
	free(rows.type);
	free(table_sql);
	free(index_sql);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr,
			"usage: raw_insert DB CSV bare|indexed, raw_insert DB SRC stored\n");
		return 2;
	}
	if (!strcmp(argv[3], "stored"))
		return stored_main(argv[1], argv[2]);
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
