/*
 * region.h — the region (行政区划) record's fields and their validation.
 *
 * Regions are the frame every data scope hangs on (province → city → county); the tree
 * itself (parents, paths) is the store's, the fields are checked here.
 */
#ifndef PX_REGION_H
#define PX_REGION_H

#include "domain/fields.h"

enum region_field { RF_NAME, RF_CODE, RF_LEVEL, RF__COUNT };

extern const struct field_def region_fields[RF__COUNT];

struct region_input {
	const char *v[RF__COUNT]; /* raw text, NULL = absent */
	int64_t parent_id;        /* 0 = a root; -1 = malformed */
	int64_t sort_order;
};

/* The checked fields of a region. */
struct region_fields_out {
	const char *name, *code, *level;
};

/* Validate and normalize; returns the number of problems added. */
int region_validate(struct field_ctx *c, const struct region_input *in,
		    struct region_fields_out *out);

#endif
