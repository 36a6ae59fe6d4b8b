/*
 * registry.h — repositories of the registry: regions, units, cadres and cadre history.
 *
 * Each function writes its SQL once for both backends. Lists take a `struct scope_filter`
 * — the caller's data scope turned into a WHERE clause here, in one place — so no list can
 * forget it. Rows come back in the caller's arena.
 */
#ifndef PX_REGISTRY_H
#define PX_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/secret.h"
#include "domain/cadre.h"
#include "domain/perm.h"
#include "domain/unit.h"
#include "store/store.h"

/* ---- regions ---- */

struct region {
	int64_t id;
	int64_t parent_id; /* 0 for a root */
	const char *code;
	const char *name;
	const char *level;
	const char *path;
	int sort_order;
	int64_t unit_count;
};

/* Insert; sets r->id and r->path (parent's path + id). */
px_err regions_insert(struct store *s, struct region *r);
px_err regions_get(struct store *s, struct arena *a, int64_t id, struct region *out);
/* Every region inside the filter (the whole tree is small), in tree order. */
px_err regions_list(struct store *s, struct arena *a, const struct scope_filter *f,
		    struct region **out, size_t *n);
px_err regions_update(struct store *s, const struct region *r);
/* PX_ERR_CONFLICT when it still has child regions or units. */
px_err regions_delete(struct store *s, int64_t id);
/* How many regions there are (none: a new database). */
px_err regions_count(struct store *s, int64_t *n);

/* ---- units ---- */

struct unit_row {
	struct unit u;
	const char *region_name;
	const char *region_path;
	int64_t cadre_count;
	int64_t version;
	int64_t created_at, updated_at;
};

struct unit_query {
	struct scope_filter scope;
	int64_t region_id; /* 0 = any; else the region's subtree */
	const char *type;  /* NULL = any */
	const char *q;     /* substring of name */
	const char *sort;  /* "name", "-cadre_count" … (see units.c); NULL = sort order */
	long page, page_size;
};

px_err units_insert(struct store *s, struct unit *u);
px_err units_get(struct store *s, struct arena *a, int64_t id, struct unit_row *out);
px_err units_list(struct store *s, struct arena *a, const struct unit_query *q,
		  struct unit_row **items, size_t *n, int64_t *total);
/* Optimistic locking: PX_ERR_CONFLICT when version is not the stored one. */
px_err units_update(struct store *s, const struct unit *u, int64_t version);
px_err units_delete(struct store *s, int64_t id);
/* A unit by exact name (or short name) within a region subtree; PX_ERR_NOT_FOUND. */
px_err units_find_by_name(struct store *s, const char *region_path, const char *name, int64_t *id);

/* ---- cadres ---- */

struct cadre_row {
	struct cadre c; /* id_number and phone hold the MASKED forms */
	const char *unit_name;
	const char *unit_type;
	const char *region_path;
	int64_t region_id;
	int64_t version;
	int64_t created_at, updated_at;
};

struct cadre_query {
	struct scope_filter scope;
	int64_t region_id; /* subtree; 0 = any */
	int64_t unit_id;   /* 0 = any */
	const char *q;     /* a substring of the name or the post, or an exact ID number */
	const char *rank_level, *category, *status; /* NULL = any */
	int is_head;                                /* -1 any, 0, 1 */
	const char *sort;
	long page, page_size;
	int64_t after_id;      /* keyset paging for exports: id > after_id, sorted by id */
	bool birth_month_only; /* sort=birth_date by year and month only (what the caller sees) */
};

/* A cadre about to be inserted, with its protected forms precomputed. Fixed-size: sealing
 * a million rows allocates nothing. */
#define SEALED_MAX 160 /* "v1:" + base64(nonce + MAC + up to 64 bytes) */
struct cadre_sealed {
	char id_hash[33];
	char id_masked[19];
	char sealed[SEALED_MAX];    /* the ID number and the phone, sealed together */
	char phone_enc[SEALED_MAX]; /* "": rows sealed before migration 0005 only */
	char phone_masked[24];
};

/* Encrypt, hash and mask the personal fields of c: cadre_seal_index (the blind index and
 * the masked forms: cheap) then cadre_seal_encrypt (the ciphertexts); cadre_seal does both. */
px_err cadre_seal(const struct secret_keys *k, const struct cadre *c, struct cadre_sealed *out);
void cadre_seal_index(const struct secret_keys *k, const struct cadre *c, struct cadre_sealed *out);
px_err cadre_seal_encrypt(const struct secret_keys *k, const struct cadre *c,
			  struct cadre_sealed *out);

/* Insert (c->unit_id set); sets c->id. PX_ERR_CONFLICT when the ID number exists (and
 * nothing is written, which keeps a PostgreSQL transaction usable). With count_unit the
 * unit's cadre_count follows; importers pass false and call units_add_cadres once per unit
 * at the end. Many rows at once: cadres_bulk.h. */
px_err cadres_insert(struct store *s, struct cadre *c, const struct cadre_sealed *sealed,
		     int64_t now, bool count_unit);
/* Add delta to a unit's cadre_count. */
px_err units_add_cadres(struct store *s, int64_t unit_id, int64_t delta);
px_err cadres_get(struct store *s, struct arena *a, int64_t id, struct cadre_row *out);
/* A page of cadres; total (if non-NULL) counts all matches — with a search (q) that is a
 * scan or a PostgreSQL index lookup, counted up to CADRES_SEARCH_TOTAL_MAX + 1 only, which
 * then means "more than the most" (SQLite's index counts exactly). With keys, a q that is a
 * valid ID number matches that exact number through the blind index. */
#define CADRES_SEARCH_TOTAL_MAX 1000
px_err cadres_list(struct store *s, struct arena *a, const struct secret_keys *keys,
		   const struct cadre_query *q, struct cadre_row **items, size_t *n,
		   int64_t *total);
/* The same page handed row by row to each(ctx, const struct cadre_row *), its strings
 * valid only during the call; a holds the query's own allocations. */
px_err cadres_each(struct store *s, struct arena *a, const struct secret_keys *keys,
		   const struct cadre_query *q, void (*each)(void *ctx, const void *row), void *ctx,
		   int64_t *total);
/* True when a cadre with this ID number hash exists (other than except_id). */
px_err cadres_id_hash_exists(struct store *s, const char *hash, int64_t except_id, bool *exists);
/* The unit of the cadre registered with this ID-number hash; 0 when there is none. */
px_err cadres_id_hash_unit(struct store *s, const char *hash, int64_t *unit_id);
/* The cadre registered with this ID-number hash; 0 when there is none. */
px_err cadres_id_hash_cadre(struct store *s, const char *hash, int64_t *cadre_id);
/* Update a cadre inside the caller's transaction (the units' cadre counts follow a move);
 * optimistic locking on version. Which changes become history is the caller's (the domain's
 * cadre_career_changes); cadres_history_add writes them. */
px_err cadres_update(struct store *s, const struct cadre_row *before, struct cadre *c,
		     const struct cadre_sealed *sealed, int64_t version);
/* Decrypt the ID number and phone of one cadre into the buffers. */
px_err cadres_reveal(struct store *s, const struct secret_keys *k, int64_t id,
		     struct buf *id_number, struct buf *phone);
/* Recount units.cadre_count for every unit (after bulk imports). */
px_err units_recount(struct store *s);

struct cadre_history {
	int64_t id;
	const char *field;
	const char *old_value, *new_value;
	const char *old_label, *new_label;
	const char *effective_date;
	const char *reason;
	int64_t changed_at;
	int64_t changed_by;
	const char *changed_by_name;
};

px_err cadres_history(struct store *s, struct arena *a, int64_t cadre_id,
		      struct cadre_history **out, size_t *n);
/* One history row (changed_by_name and id are not read). */
px_err cadres_history_add(struct store *s, int64_t cadre_id, const struct cadre_history *h);

/* Aggregate for the overview chart: cadres by rank level per unit type. */
struct rank_count {
	const char *unit_type;
	const char *rank_level;
	int64_t count;
};
px_err cadres_count_by_rank_and_unit_type(struct store *s, struct arena *a,
					  const struct scope_filter *f, struct rank_count **out,
					  size_t *n);

#endif
