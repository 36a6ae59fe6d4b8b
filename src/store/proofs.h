/*
 * proofs.h — issued 学时证明 (hours_proofs, 0012) and the public pages' rate limits.
 */
#ifndef PX_STORE_PROOFS_H
#define PX_STORE_PROOFS_H

#include <stdint.h>

#include "base/arena.h"
#include "store/store.h"

struct hours_proof {
	int64_t id;
	const char *code;
	int64_t cadre_id;
	const char *issuer;
	const char *period;
	const char *summary; /* JSON: what the verification page shows */
	int64_t issued_by;
	int64_t issued_at;
	int64_t revoked_at;
	const char *revoke_reason;
};

/* Keep an issued proof; *id gets its id. PX_ERR_CONFLICT when the code is taken. */
px_err proofs_insert(struct store *s, const struct hours_proof *p, int64_t *id);
/* The proof of a verification number (strings in a); PX_ERR_NOT_FOUND if none. */
px_err proofs_by_code(struct store *s, struct arena *a, const char *code, struct hours_proof *out);
/* Revoke a proof (once: PX_ERR_CONFLICT when it already is). */
px_err proofs_revoke(struct store *s, int64_t id, int64_t at, const char *reason);

/*
 * Count one hit of `key` in the current window of `window_seconds` (a fixed window that
 * starts anew once it has passed) in one statement, and return the hits so far in *hits —
 * the same on every app server, as the counter lives in the database.
 */
px_err rate_limit_hit(struct store *s, const char *key, int64_t now, int64_t window_seconds,
		      int64_t *hits);
/* Forget windows that ended before `before` (housekeeping). */
px_err rate_limits_purge(struct store *s, int64_t before);

#endif
