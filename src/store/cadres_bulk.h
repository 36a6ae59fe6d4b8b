/*
 * cadres_bulk.h — many cadres at once (an import): the store's half of the work.
 *
 * The importer (service/importer.c) reads the rows, checks them by the domain's rules and
 * resolves their units; a loader stores them, in one of two ways the importer picks with
 * `bulk` (a large file), without knowing the database:
 *
 *   - rows as they come (a few thousand): each row is sealed and inserted at once
 *     (cadres_insert), and an ID number registered already is PX_ERR_CONFLICT for that row
 *     right away;
 *   - a bulk load: first every ID-number hash already stored is handed to the caller, who
 *     then finds duplicates without a query a row. Rows go to a writer thread in batches,
 *     which seals (encrypts) them and stores them with store_copy — PostgreSQL's COPY, or
 *     on SQLite a prepared INSERT a row — into a table whose indexes are dropped for the
 *     load and rebuilt, sorted, at the end (several times cheaper than keeping them up to
 *     date row by row; rebuilding the unique index is the last word on duplicates; on
 *     PostgreSQL only for a load as large as the table, as its readers wait). Meanwhile the
 *     caller's thread reads and checks the next rows, and seals a batch itself when two wait
 *     for the writer. The writer owns the connection while it runs: a lookup the caller
 *     still needs (a unit name not seen before) goes between cadres_load_lock and
 *     cadres_load_unlock. The first row the database refuses stops the writer:
 *     cadres_load_failed says so from then on, and cadres_load_end names the row. Where no
 *     thread can be had, the batches are written on the caller's thread (only slower).
 *
 * Everything happens inside the caller's transaction, so a load that is rolled back leaves
 * the table and its indexes as they were; that is why a load about to be rolled back ends
 * with `keep` false: the rollback brings the indexes back, building them first would only
 * cost seconds. The units' cadre counts are the caller's (units_add_cadres).
 */
#ifndef PX_CADRES_BULK_H
#define PX_CADRES_BULK_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/secret.h"
#include "store/registry.h"

struct cadres_load;

struct cadres_load_opts {
	const struct secret_keys *keys;
	int64_t now; /* created_at and updated_at of every row */
	bool bulk;   /* a bulk load (above); else rows as they come */
	/* bulk: about how many rows are coming (PostgreSQL drops and rebuilds its indexes for a
	 * load at least as large as the table: its readers then wait for the load) */
	int64_t rows_hint;
	/* bulk: called with every ID-number hash stored already, before the first row, and
	 * with its cadre's unit when with_units is set (else 0: the hashes alone are read
	 * from their index) */
	void (*each_hash)(void *ctx, const char *hash, int64_t unit_id);
	bool with_units;
	void *ctx;
};

/* Start a load inside the caller's transaction; *out is freed by cadres_load_end (also
 * when this fails: then *out is NULL and nothing needs ending). */
px_err cadres_load_begin(struct store *s, const struct cadres_load_opts *o,
			 struct cadres_load **out);
/* Where the strings of the next row should live until cadres_load_add has taken it (a
 * batch's arena), or NULL: anywhere that lasts until cadres_load_add returns. Ask again
 * after every row. */
struct arena *cadres_load_arena(struct cadres_load *l);
/*
 * Hand one row over: c checked, its unit resolved, z with the blind index and masked forms
 * (cadre_seal_index), `row` its number in the file. Rows as they come: stored now, and
 * PX_ERR_CONFLICT when the ID number is registered (nothing written). Bulk: queued, so
 * PX_OK unless the writer has failed (cadres_load_failed).
 */
px_err cadres_load_add(struct cadres_load *l, const struct cadre *c, const struct cadre_sealed *z,
		       int64_t row);
/* True once a row handed over was refused: hand no more, end the load. */
bool cadres_load_failed(struct cadres_load *l);
/* Around a query of the caller's on the same connection while a bulk load runs. */
void cadres_load_lock(struct cadres_load *l);
void cadres_load_unlock(struct cadres_load *l);
/*
 * End the load and free it. With keep, the rows not yet written are written and the
 * indexes rebuilt; without, what is pending is dropped (the caller rolls back). Returns the
 * first failure, with *failed_row the number in the file of the row the database refused
 * (0 when the failure is no row's): PX_ERR_CONFLICT for an ID number registered meanwhile,
 * another constraint or a row a trigger skipped; whatever the database said otherwise (a
 * trigger's exception). A duplicate among the rows themselves shows as PX_ERR_CONFLICT from
 * rebuilding the unique index, on no row.
 */
px_err cadres_load_end(struct cadres_load *l, bool keep, int64_t *failed_row);

#endif
