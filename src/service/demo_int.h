/*
 * demo_int.h — what the registry part of the demo (demo.c) hands to its training part
 * (demo_training.c).
 */
#ifndef PX_SERVICE_DEMO_INT_H
#define PX_SERVICE_DEMO_INT_H

#include <stddef.h>
#include <stdint.h>

#include "service/demo.h"

struct demo_refs {
	int64_t region_id;
	const int64_t *heads; /* the 71 first-in-command leaders */
	size_t n_heads;
	const int64_t *others; /* other cadres, for the party school's classes */
	size_t n_others;
	int64_t admin_user, admin2_user, manager_user, expert_user;
};

/* The classes: four past ones, the seed's and the party school's term, with their rosters,
 * experts, rooms and timetables (each timetable into out); and Nan'an's 2023 plan, approved,
 * holding the seed's class and the term's. */
px_err svc_demo_training(struct svc *c, const struct demo_refs *d, struct demo_report *out);

#endif
