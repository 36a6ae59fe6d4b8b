/*
 * cadres_bulk.c — loading many cadres at once: see cadres_bulk.h.
 *
 * A bulk load in two threads. The caller's thread hands rows over in batches of BATCH_ROWS,
 * each batch owning the arena its rows' strings live in, through a queue of at most
 * BATCHES; the writer thread takes them in order. Encryption is the work that can go either
 * way: when SEAL_BEHIND batches wait for the writer, the caller seals the next batch itself,
 * which keeps both threads busy (a million rows on SQLite: reading 1.9 s instead of 4 s on
 * one thread). A batch is one store_copy: one COPY on PostgreSQL, where each statement is a
 * round trip (a million rows one INSERT at a time took minutes; 64 rows a statement,
 * 17,800 rows/s), and on SQLite 512 prepared inserts into the table without its indexes.
 *
 * The indexes of cadres are dropped for the load and built again at the end (drop_indexes):
 * on SQLite always, on PostgreSQL for a load at least as large as the table. Building an
 * index sorts its keys once, against a million random insertions into a b-tree (a million
 * rows into PostgreSQL with its five indexes kept: 0.2 × SQLite's rate).
 *
 * How a refused row is found: SQLite says so on the row's own insert; PostgreSQL undoes the
 * whole COPY and names the line of the data, which is a row of the batch; a row that a
 * trigger skipped shows as a COPY that took fewer rows than it was given, and the first row
 * of the batch whose ID number is not stored is the one.
 */
#include "store/cadres_bulk.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "store/cadres_sql.h"

#define BATCH_ROWS  512 /* rows handed to the writer thread at a time: one store_copy */
#define BATCHES     8
#define SEAL_BEHIND 2  /* full batches waiting: the caller seals the next one */
#define MAX_INDEXES 16 /* and foreign keys (PostgreSQL) */

struct load_row {
	struct cadre c;
	struct cadre_sealed z;
	int64_t row; /* in the file */
};

struct batch {
	struct arena arena;
	size_t n;
	bool sealed; /* by the caller (else the writer encrypts) */
	struct load_row rows[BATCH_ROWS];
};

struct cadres_load {
	struct store *db;
	const struct secret_keys *keys;
	int64_t now;
	bool bulk;
	/* the indexes (and PostgreSQL's foreign keys) of cadres dropped for the load: the
	 * statements that make them again */
	char *index_sql[MAX_INDEXES];
	int nindex;
	int64_t first_id;   /* the highest id before the load */
	int64_t indexed_id; /* the search index covers the cadres up to this id (SQLite) */
	/* the writer thread (bulk; threaded false: the batches are written by the caller) */
	bool threaded;
	pthread_t thread;
	pthread_mutex_t db_lock; /* the connection */
	pthread_mutex_t lock;    /* the rest */
	pthread_cond_t changed;
	struct batch *full[BATCHES]; /* a ring, oldest at head */
	size_t head, nfull;
	struct batch *spare[BATCHES];
	size_t nspare;
	struct batch *filling; /* the caller's */
	bool done;
	px_err rc;          /* the first failure, */
	int64_t failed_row; /* on this row of the file */
	atomic_bool failed; /* rc is set: the caller stops handing over (read without lock) */
};

/* ---- the indexes out of the way for the load ---- */

/*
 * Drop the indexes of cadres, keeping the statements that make them again; the unique one
 * first, so that it is rebuilt first at the end and checks before the others cost. On
 * PostgreSQL the primary key stays (other tables refer to it; ids grow, so it is cheap to
 * keep), and the foreign key to units goes too, to be validated at the end with one join
 * instead of a lookup a row (a million rows: 19 s with it, 7 s without, on a busy machine).
 * Dropping holds every reader of cadres on PostgreSQL until the load commits, which is why
 * it is only for loads as large as the table there (rebuilding a table's indexes for a few
 * rows costs more than keeping them up to date).
 */
static px_err drop_indexes(struct cadres_load *l)
{
	bool sqlite = store_kind(l->db) == STORE_SQLITE;
	struct store_stmt *st;
	px_err rc = store_prepare(
		l->db,
		sqlite ? "SELECT 'DROP INDEX ' || name, sql FROM sqlite_master WHERE "
			 "type = 'index' AND tbl_name = 'cadres' AND sql IS NOT NULL "
			 "ORDER BY (name = 'cadres_id_hash') DESC"
		       : "SELECT d, c FROM (SELECT 'DROP INDEX ' || i.relname AS d, "
			 "pg_get_indexdef(i.oid) AS c FROM pg_index x "
			 "JOIN pg_class i ON i.oid = x.indexrelid "
			 "WHERE x.indrelid = CAST('cadres' AS regclass) AND NOT EXISTS "
			 "(SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) "
			 "UNION ALL SELECT 'ALTER TABLE cadres DROP CONSTRAINT ' || conname, "
			 "'ALTER TABLE cadres ADD CONSTRAINT ' || conname || ' ' || "
			 "pg_get_constraintdef(oid) FROM pg_constraint WHERE "
			 "conrelid = CAST('cadres' AS regclass) AND contype = 'f') x "
			 "ORDER BY d LIKE '%cadres_id_hash' DESC, d",
		&st);
	if (rc)
		return rc;
	char *drop[MAX_INDEXES];
	int n = 0;
	bool row = false;
	while (!rc && !(rc = store_step(st, &row)) && row && l->nindex < MAX_INDEXES) {
		drop[n++] = xstrdup(store_column_text(st, 0));
		l->index_sql[l->nindex++] = xstrdup(store_column_text(st, 1));
	}
	store_done(st);
	for (int i = 0; i < n; i++) {
		if (!rc)
			rc = store_exec(l->db, drop[i]);
		free(drop[i]);
	}
	return rc;
}

/* Make again what drop_indexes dropped (with rebuild; else only forget it: the rollback
 * brings it back). */
static px_err rebuild_indexes(struct cadres_load *l, bool rebuild)
{
	px_err rc = PX_OK;
	for (int i = 0; i < l->nindex; i++) {
		if (!rc && rebuild)
			rc = store_exec(l->db, l->index_sql[i]);
		free(l->index_sql[i]);
	}
	l->nindex = 0;
	return rc;
}

/* ---- writing a batch ---- */

static int hash_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The first row of b whose ID number was not stored (by this load: ids above first_id):
 * the one a trigger skipped. One query, read once against the batch's hashes, sorted. */
static px_err find_skipped(struct cadres_load *l, const struct batch *b, int64_t *row)
{
	*row = 0;
	const char **hashes = xcalloc(b->n + 1, sizeof *hashes);
	bool *stored = xcalloc(b->n + 1, sizeof *stored);
	for (size_t i = 0; i < b->n; i++)
		hashes[i] = b->rows[i].z.id_hash;
	qsort(hashes, b->n, sizeof *hashes, hash_cmp);
	struct store_stmt *st;
	px_err rc = store_prepare(l->db, "SELECT id_hash FROM cadres WHERE id > ?", &st);
	if (!rc)
		rc = store_bindf(st, "i", l->first_id);
	bool more = false;
	while (!rc && !(rc = store_step(st, &more)) && more) {
		const char *h = store_column_text(st, 0);
		const char **at = bsearch(&h, hashes, b->n, sizeof *hashes, hash_cmp);
		if (at)
			stored[at - hashes] = true;
	}
	store_done(st);
	for (size_t i = 0; !rc && i < b->n; i++) {
		const char *h = b->rows[i].z.id_hash,
			   **at = bsearch(&h, hashes, b->n, sizeof *hashes, hash_cmp);
		if (at && !stored[at - hashes]) {
			*row = b->rows[i].row;
			break;
		}
	}
	free(hashes);
	free(stored);
	return rc ? rc : PX_ERR_CONFLICT;
}

/* Seal what the caller has not and store the batch; *row: the row that failed (0 when the
 * failure is not one row's). */
static px_err write_batch(struct cadres_load *l, struct batch *b, int64_t *row)
{
	*row = 0;
	px_err rc = store_copy_begin(l->db, "cadres", CADRE_COLUMNS, CADRE_NCOLUMNS);
	if (rc)
		return rc;
	for (size_t i = 0; !rc && i < b->n; i++) {
		struct load_row *r = &b->rows[i];
		if (!b->sealed)
			rc = cadre_seal_encrypt(l->keys, &r->c, &r->z);
		if (!rc)
			rc = store_copy_row(l->db, CADRE_FIELDS_FMT "ii",
					    CADRE_FIELDS(&r->c, &r->z), l->now, l->now);
		if (rc)
			*row = r->row;
	}
	int64_t stored, failed;
	px_err end = store_copy_end(l->db, &stored, &failed);
	if (!rc && end && failed > 0 && (size_t)failed <= b->n)
		*row = b->rows[failed - 1].row;
	if (!rc)
		rc = end;
	if (!rc && stored < (int64_t)b->n)
		rc = find_skipped(l, b, row);
	return rc;
}

/* ---- the writer thread ---- */

static void *writer_main(void *arg)
{
	struct cadres_load *l = arg;
	pthread_mutex_lock(&l->lock);
	for (;;) {
		while (!l->nfull && !l->done)
			pthread_cond_wait(&l->changed, &l->lock);
		if (!l->nfull)
			break;
		struct batch *b = l->full[l->head];
		l->head = (l->head + 1) % BATCHES;
		l->nfull--;
		px_err rc = l->rc;
		pthread_mutex_unlock(&l->lock);
		int64_t row = 0;
		if (!rc) { /* after a failure the rest only goes back to the spares */
			pthread_mutex_lock(&l->db_lock);
			rc = write_batch(l, b, &row);
			pthread_mutex_unlock(&l->db_lock);
		}
		arena_reset(&b->arena);
		b->n = 0;
		pthread_mutex_lock(&l->lock);
		if (rc && !l->rc) {
			l->rc = rc;
			l->failed_row = row;
			atomic_store(&l->failed, true);
		}
		l->spare[l->nspare++] = b;
		pthread_cond_broadcast(&l->changed);
	}
	pthread_mutex_unlock(&l->lock);
	return NULL;
}

/* Queue the filling batch and take a spare one; without a thread, write it here. */
static void hand_over(struct cadres_load *l)
{
	if (!l->threaded) {
		int64_t row = 0;
		px_err rc = l->rc ? l->rc : write_batch(l, l->filling, &row);
		if (rc && !l->rc) {
			l->rc = rc;
			l->failed_row = row;
			atomic_store(&l->failed, true);
		}
		arena_reset(&l->filling->arena);
		l->filling->n = 0;
		return;
	}
	pthread_mutex_lock(&l->lock);
	while (l->nfull == BATCHES || !l->nspare)
		pthread_cond_wait(&l->changed, &l->lock);
	l->full[(l->head + l->nfull++) % BATCHES] = l->filling;
	l->filling = l->spare[--l->nspare];
	l->filling->sealed = l->nfull >= SEAL_BEHIND;
	pthread_cond_broadcast(&l->changed);
	pthread_mutex_unlock(&l->lock);
}

static void load_free(struct cadres_load *l)
{
	if (l->filling)
		l->spare[l->nspare++] = l->filling;
	for (size_t i = 0; i < l->nspare; i++) {
		arena_release(&l->spare[i]->arena);
		free(l->spare[i]);
	}
	rebuild_indexes(l, false);
	pthread_mutex_destroy(&l->db_lock);
	pthread_mutex_destroy(&l->lock);
	pthread_cond_destroy(&l->changed);
	free(l);
}

/* ---- the interface ---- */

px_err cadres_load_begin(struct store *s, const struct cadres_load_opts *o,
			 struct cadres_load **out)
{
	struct cadres_load *l = xcalloc(1, sizeof *l);
	*l = (struct cadres_load){ .db = s, .keys = o->keys, .now = o->now, .bulk = o->bulk };
	atomic_init(&l->failed, false);
	pthread_mutex_init(&l->db_lock, NULL);
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->changed, NULL);
	*out = NULL;
	px_err rc =
		store_query_int64(s, "SELECT COALESCE(MAX(id), 0) FROM cadres", &l->first_id, "");
	l->indexed_id = l->first_id;
	if (rc || !o->bulk) {
		if (rc)
			load_free(l);
		else
			*out = l;
		return rc;
	}
	struct store_stmt *st;
	rc = store_prepare(s,
			   o->with_units ? "SELECT id_hash, unit_id FROM cadres"
					 : "SELECT id_hash, 0 FROM cadres",
			   &st);
	bool row = false;
	int64_t stored = 0;
	while (!rc && !(rc = store_step(st, &row)) && row) {
		o->each_hash(o->ctx, store_column_text(st, 0), store_column_int64(st, 1));
		stored++;
	}
	store_done(st);
	if (!rc && (store_kind(s) == STORE_SQLITE || o->rows_hint >= stored))
		rc = drop_indexes(l);
	for (int i = 0; !rc && i < BATCHES; i++) {
		struct batch *b = xcalloc(1, sizeof *b);
		arena_init(&b->arena);
		l->spare[l->nspare++] = b;
	}
	if (rc) {
		load_free(l);
		return rc;
	}
	l->filling = l->spare[--l->nspare];
	l->threaded = pthread_create(&l->thread, NULL, writer_main, l) == 0;
	*out = l;
	return PX_OK;
}

struct arena *cadres_load_arena(struct cadres_load *l)
{
	return l->bulk ? &l->filling->arena : NULL;
}

px_err cadres_load_add(struct cadres_load *l, const struct cadre *c, const struct cadre_sealed *z,
		       int64_t row)
{
	if (!l->bulk) {
		struct cadre copy = *c;
		struct cadre_sealed sealed = *z;
		px_err rc = cadre_seal_encrypt(l->keys, &copy, &sealed);
		return rc ? rc : cadres_insert_unindexed(l->db, &copy, &sealed, l->now);
	}
	if (atomic_load_explicit(&l->failed, memory_order_relaxed))
		return PX_OK; /* cadres_load_end reports it */
	struct batch *b = l->filling;
	struct load_row *r = &b->rows[b->n];
	*r = (struct load_row){ .c = *c, .z = *z, .row = row };
	if (b->sealed) {
		px_err rc = cadre_seal_encrypt(l->keys, &r->c, &r->z);
		if (rc)
			return rc;
	}
	if (++b->n == BATCH_ROWS)
		hand_over(l); /* a failure is seen on the next row */
	return PX_OK;
}

bool cadres_load_failed(struct cadres_load *l)
{
	return atomic_load_explicit(&l->failed, memory_order_relaxed);
}

void cadres_load_lock(struct cadres_load *l)
{
	if (l->threaded)
		pthread_mutex_lock(&l->db_lock);
}

void cadres_load_unlock(struct cadres_load *l)
{
	if (l->threaded)
		pthread_mutex_unlock(&l->db_lock);
}

px_err cadres_load_end(struct cadres_load *l, bool keep, int64_t *failed_row)
{
	*failed_row = 0;
	if (!l)
		return PX_OK;
	if (!l->bulk) {
		px_err rc = keep ? cadres_search_index_new(l->db, &l->indexed_id) : PX_OK;
		load_free(l);
		return rc;
	}
	if (keep && !l->rc && l->filling->n)
		hand_over(l);
	if (l->threaded) {
		pthread_mutex_lock(&l->lock);
		l->done = true;
		pthread_cond_broadcast(&l->changed);
		pthread_mutex_unlock(&l->lock);
		pthread_join(l->thread, NULL);
	}
	px_err rc = l->rc;
	*failed_row = l->failed_row;
	/* SQLite's search index takes the new rows in one statement: FTS5 writes its pending
	 * tokens out at every statement that opens a savepoint, so a statement a batch (or a
	 * row) cost twice as much */
	if (!rc && keep)
		rc = cadres_search_index_new(l->db, &l->indexed_id);
	/* a load that is rolled back gets its indexes back from the rollback */
	px_err irc = rebuild_indexes(l, keep && !rc);
	if (!rc)
		rc = irc;
	/* PostgreSQL plans by its statistics: after a load that changed the table's size, the
	 * old ones would have the list page join a million rows as if they were 71 */
	if (!rc && keep && store_kind(l->db) == STORE_PG)
		rc = store_exec(l->db, "ANALYZE cadres");
	load_free(l);
	return rc;
}
