/*
 * demo.h — what the registry part of `peixun demo` hands to the training part.
 */
#ifndef PX_CLI_DEMO_H
#define PX_CLI_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "store/store.h"

struct demo_refs {
	int64_t region_id;
	const int64_t *heads; /* the 71 first-in-command leaders */
	size_t n_heads;
	const int64_t *others; /* other cadres, for the party school's classes */
	size_t n_others;
	int64_t admin_user, manager_user, expert_user;
};

px_err demo_training(struct store *db, const struct demo_refs *d);

#endif
