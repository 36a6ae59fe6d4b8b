/*
 * ledger_int.h — what ledger.c and requirements.c share (not for other modules).
 */
#ifndef PX_SERVICE_LEDGER_INT_H
#define PX_SERVICE_LEDGER_INT_H

#include "domain/requirement.h"
#include "service/svc.h"
#include "store/ledger.h"

/* The versions that govern a region (path "/1/2/3/"): its own, else its nearest ancestor's
 * that has some (*governing: that region; 0 and none: the built-in defaults). */
px_err ledger_versions_for(struct svc *c, const char *region_path, struct req_version_row **rows,
			   size_t *n_rows, int64_t *governing);
/* The rows as the domain's versions (in c->arena). */
struct req_version *ledger_domain_versions(struct svc *c, const struct req_version_row *rows,
					   size_t n);
/* Hundredths as a JSON number (8950 → 89.5). */
json_t *ledger_amount_json(int64_t centi);
/* Commit (rc PX_OK) or roll back a transaction whose audit entries it wrote itself. */
px_err ledger_commit(struct svc *c, px_err rc);
/* The day of a strict YYYY-MM-DD text, else DATE_NONE. */
int32_t ledger_iso_day(const char *s);

#endif
