/*
 * cadres_sql.h — the cadres table's stored columns as the inserts and the update bind them:
 * the one list that cadres.c (one row, the update) and cadres_bulk.c (a bulk load) share.
 * Internal to the store.
 */
#ifndef PX_CADRES_SQL_H
#define PX_CADRES_SQL_H

#include <stdint.h>

#include "base/err.h"

/* unit_id … status, rank_position, then created_at and updated_at: the columns of an insert. */
#define CADRE_COLUMNS                                                                              \
	"unit_id, name, gender, birth_date, sealed, id_hash, id_masked, phone_enc, "               \
	"phone_masked, post, is_head, rank_level, grade, category, post_date, promotion_date, "    \
	"status, rank_position, created_at, updated_at"
#define CADRE_NCOLUMNS 20

/* A cadre's stored fields as parameters, unit_id … rank_position in the order of CADRE_COLUMNS (and
 * of the update's SET), with their store_bindf format. */
#define CADRE_FIELDS_FMT "itttttttttittttttt"
#define CADRE_FIELDS(c, z)                                                                         \
	(c)->unit_id, (c)->name, (c)->gender, (c)->birth_date, (z)->sealed, (z)->id_hash,          \
		(z)->id_masked, (z)->phone_enc, (z)->phone_masked, (c)->post ? (c)->post : "",     \
		(int64_t)((c)->is_head > 0), (c)->rank_level, (c)->grade ? (c)->grade : "",        \
		(c)->category, (c)->post_date ? (c)->post_date : "",                               \
		(c)->promotion_date ? (c)->promotion_date : "",                                    \
		(c)->status ? (c)->status : "active", (c)->rank_position ? (c)->rank_position : ""

struct store;
struct cadre;
struct cadre_sealed;

/* cadres_insert without the unit's count and without the search index: a load's row, whose
 * index entry cadres_search_index_new writes at the load's end. */
px_err cadres_insert_unindexed(struct store *s, struct cadre *c, const struct cadre_sealed *z,
			       int64_t now);

/* SQLite: every cadre with an id above *after_id into the search index, in one statement
 * (a bulk load's rows, at its end), *after_id set to the highest id there is. PostgreSQL:
 * nothing (its index keeps itself). */
px_err cadres_search_index_new(struct store *s, int64_t *after_id);

#endif
