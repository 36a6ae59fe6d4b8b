/*
 * demo.h — the seed's world as one operation (`peixun demo`, SPEC §5).
 *
 * 福建省 → 泉州市 → 南安市 with Nan'an's 71 units and their first-in-command leaders, a few
 * thousand other cadres, the seven demo accounts, the seed's class of 2023-02-18..25 and a
 * party school's spring term, both timetabled by the engine, and four past classes as
 * training histories. Everything comes from fixed seeds, so two demo databases are the same
 * apart from the random parts of encryption.
 */
#ifndef PX_SERVICE_DEMO_H
#define PX_SERVICE_DEMO_H

#include "service/svc.h"

struct demo_options {
	const char *password; /* every demo account's (the caller checked it against the
			       * policy) */
	int cadres;           /* how many cadres in all: 71 (the heads) to 500,000 */
};

/* A timetable the demo had the engine make. */
struct demo_timetable {
	const char *what; /* "the seed's class" … */
	size_t placed;    /* sessions placed */
	long soft_cost;   /* its cost as saved (timetable_cost: what the API shows of it) */
};

struct demo_report {
	bool not_empty; /* the database held data already: nothing was written */
	size_t units;   /* units made */
	struct demo_timetable timetables[2];
	size_t n_timetables; /* made so far, also when a later step failed */
};

/* The demo accounts, in the order they are made (for the command's summary). */
extern const char *const svc_demo_accounts[8];

/*
 * Build the seed's world in the empty database c->db, in one transaction with its audit
 * entry. PX_ERR_CONFLICT with out->not_empty when the database holds regions already. A
 * timetable the engine cannot make feasible fails the whole (c->message says which and
 * why); any other failure is the store's (its message).
 */
px_err svc_demo_build(struct svc *c, const struct demo_options *o, struct demo_report *out);

#endif
