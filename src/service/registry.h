/*
 * registry.h — operations on the registry: regions, units, cadres (regions.c, units.c,
 * cadres.c).
 *
 * Every operation checks the caller's data scope: a list shows only what lies inside it,
 * and a single record outside it is "not found" (so ids cannot be probed). Writes are one
 * transaction each, with their audit entry. Results are JSON views (the same shape the API
 * replies with and the audit log keeps), built in the caller's language; ID and phone
 * numbers in them are always masked.
 */
#ifndef PX_SERVICE_REGISTRY_H
#define PX_SERVICE_REGISTRY_H

#include "domain/cadre.h"
#include "domain/region.h"
#include "domain/unit.h"
#include "service/svc.h"

struct jsonw;
struct buf;

/* ---- regions ---- */

extern const struct svc_kind svc_region_kind;
extern const struct view_spec svc_region_shape;

/* The whole tree inside the caller's scope, in tree order. */
px_err svc_regions_list(struct svc *c, struct svc_page *out);
px_err svc_region_get(struct svc *c, int64_t id, json_t **out);
/* in->parent_id names the parent (0: a root); a missing parent is a problem. */
px_err svc_region_create(struct svc *c, const struct region_input *in, json_t **out);
/* Name, code, level and sort order (the place in the tree stays). */
px_err svc_region_update(struct svc *c, int64_t id, const struct region_input *in, json_t **out);
/* Only an empty region: PX_ERR_CONFLICT while it has sub-regions, units or users. */
px_err svc_region_delete(struct svc *c, int64_t id);

/* ---- units ---- */

extern const struct svc_kind svc_unit_kind;
extern const struct view_spec svc_unit_shape;

/* What a create or an update of a unit brings. */
struct unit_form {
	struct unit_input in; /* the fields as text (NULL = absent) */
	int64_t region_id;    /* 0 = absent, -1 = malformed */
	int64_t parent_id;    /* 主管单位: 0 = none, -1 = malformed */
	int64_t version;      /* the version an update expects; -1 = not given */
};

struct unit_filter {
	int64_t region_id; /* 0 = any; else the region's subtree */
	const char *type;  /* NULL = any */
};

px_err svc_units_list(struct svc *c, const struct unit_filter *f, const struct page_query *p,
		      struct svc_page *out);
px_err svc_unit_get(struct svc *c, int64_t id, json_t **out);
px_err svc_unit_create(struct svc *c, const struct unit_form *f, json_t **out);
/* A unit may not become its own parent or its descendant's child. */
px_err svc_unit_update(struct svc *c, int64_t id, const struct unit_form *f, json_t **out);
/* Only a unit without cadres or accounts: PX_ERR_CONFLICT otherwise. */
px_err svc_unit_delete(struct svc *c, int64_t id);
/* The units as .xlsx into out (same filters as the list; every matching row). */
px_err svc_units_export(struct svc *c, const struct unit_filter *f, const char *q, const char *sort,
			struct buf *out);

/* ---- cadres ---- */

extern const struct svc_kind svc_cadre_kind;
extern const struct view_spec svc_cadre_shape, svc_cadre_history_shape, svc_cadre_reveal_shape,
	svc_stats_shape;

/* What a create or an update of a cadre brings. */
struct cadre_form {
	struct cadre_input in; /* the fields as text */
	/* On update: the number or phone was sent (a value, or null: no number), not left out
	 * (which keeps the stored one). */
	bool id_number_sent, phone_sent;
	int64_t unit_id;                            /* 0 = absent, -1 = malformed */
	int64_t version;                            /* -1 = not given */
	const char *change_reason, *effective_date; /* of career changes (history) */
};

struct cadre_filter {
	int64_t region_id, unit_id;                 /* 0 = any */
	const char *rank_level, *category, *status; /* NULL = any */
	int is_head;                                /* -1 any, 0, 1 */
};

/* One page of cadres written into w as the array of their views (the busiest read: rows are
 * written as they are read, without a jansson tree); *total counts every match, except that
 * a search (q) counts at most a thousand: then *capped is set and *total is that most. */
px_err svc_cadres_write_page(struct svc *c, const struct cadre_filter *f,
			     const struct page_query *p, struct jsonw *w, int64_t *total,
			     bool *capped);
px_err svc_cadre_get(struct svc *c, int64_t id, json_t **out);
/* A number registered already (anywhere) is a "duplicate" problem with PX_ERR_CONFLICT,
 * which says nothing of where. */
px_err svc_cadre_create(struct svc *c, const struct cadre_form *f, json_t **out);
/* Changes of unit, post, rank, grade, category, status and 一把手 are kept as history. */
px_err svc_cadre_update(struct svc *c, int64_t id, const struct cadre_form *f, json_t **out);
/* The history of one cadre, newest first, with labels in the caller's language. */
px_err svc_cadre_history(struct svc *c, int64_t id, struct svc_page *out);
/* The unmasked ID and phone numbers (needs cadre.reveal; the look is audited). */
px_err svc_cadre_reveal(struct svc *c, int64_t id, json_t **out);
/* The cadres as .xlsx into out, masked unless `reveal` (needs cadre.reveal); audited. */
px_err svc_cadres_export(struct svc *c, const struct cadre_filter *f, const char *q, bool reveal,
			 struct buf *out);
/* The overview: counts, and cadres by rank level per unit type (the dashboard chart). */
px_err svc_stats_overview(struct svc *c, json_t **out);

#endif
