/*
 * accounts.h — repositories of users, sessions, the login log and the audit log.
 */
#ifndef PX_ACCOUNTS_H
#define PX_ACCOUNTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "domain/perm.h"
#include "store/registry.h"
#include "store/store.h"

struct user {
	int64_t id;
	const char *username;
	const char *display_name;
	const char *password_hash;
	const char *role;
	int64_t region_id, unit_id, cadre_id, expert_id;
	const char *region_name, *unit_name, *cadre_name;
	const char *region_path; /* of region_id, or of the unit's region */
	int active;
	int failed_logins;    /* the login throttle's count under its name (from every address) */
	int64_t locked_until; /* and the time until which its name is slowed down */
	int must_change_password;
	int64_t last_login_at;
	int64_t version;
	int64_t created_at, updated_at;
};

px_err users_get(struct store *s, struct arena *a, int64_t id, struct user *out);
px_err users_get_by_username(struct store *s, struct arena *a, const char *username,
			     struct user *out);
/* Insert (password_hash already computed); sets u->id. PX_ERR_CONFLICT on a taken name. */
px_err users_insert(struct store *s, struct user *u);
/* Update name, role, scope anchors, active; optimistic on version. */
px_err users_update(struct store *s, const struct user *u, int64_t version);
/* Link an account of role expert to its expert record. */
px_err users_link_expert(struct store *s, int64_t user_id, int64_t expert_id);
px_err users_set_password(struct store *s, int64_t id, const char *hash, bool must_change);

/*
 * Whether the account lies in the region at `path`: anchored inside it, or serving it
 * without a region of its own — a class manager of one of its classes, an expert whose
 * record it entered, or (unless `manage`: to read only) an expert who teaches in one of its
 * classes.
 */
px_err users_in_region(struct store *s, int64_t user_id, const char *path, bool manage, bool *yes);

struct user_query {
	struct scope_filter scope; /* SCOPE_REGION: the accounts of the subtree, as
				      users_in_region reads them (not `manage`) */
	const char *q;
	const char *role;
	const char *sort;
	long page, page_size;
};
px_err users_list(struct store *s, struct arena *a, const struct user_query *q, struct user **items,
		  size_t *n, int64_t *total);

px_err users_login_succeeded(struct store *s, int64_t id);

/* ---- sessions ---- */

struct session_info {
	struct principal who;
	char csrf_token[48];
	int64_t last_seen;
	int64_t expires_at;
	int64_t created_at;
	const char *display_name;
	int must_change_password;
};

px_err sessions_create(struct store *s, const char *token_hash, int64_t user_id, const char *csrf,
		       int64_t expires_at, const char *ip, const char *ua);
/* The session and its user (active accounts only); PX_ERR_NOT_FOUND if none. */
px_err sessions_lookup(struct store *s, struct arena *a, const char *token_hash,
		       struct session_info *out);
px_err sessions_touch(struct store *s, const char *token_hash, int64_t now);
px_err sessions_delete(struct store *s, const char *token_hash);
/* Log a user out everywhere (password change, disabled account). */
px_err sessions_delete_user(struct store *s, int64_t user_id);
px_err sessions_purge_expired(struct store *s, int64_t now, int64_t idle_seconds);

/* ---- the login throttle (0003) ----
 *
 * Failed logins counted under three kinds of key: a user name (with an account or not), a
 * name from one source address (name and source), a source address (name NULL). Each key
 * has a count and a time until which it is held (locked or slowed: the caller decides). */
struct login_count {
	int failed;           /* failures counted under the key */
	int64_t locked_until; /* held until then (epoch seconds; 0: never) */
};
/* The count under the key (zeros when none). */
px_err login_throttle_get(struct store *s, const char *name, const char *source,
			  struct login_count *out);
/*
 * Count a failure at `now` under the key, in one statement (parallel failures each count):
 * the count starts again at 1 when the key's last failure is more than `window` seconds
 * old; when it reaches lock_at (> 0; 0: never), the key is held until now + lock_seconds and
 * its count starts again at 0. *out: the count and the hold after this failure.
 */
px_err login_throttle_fail(struct store *s, const char *name, const char *source, int64_t now,
			   int64_t window, int lock_at, int64_t lock_seconds,
			   struct login_count *out);
/* Hold the key until `until` at least. */
px_err login_throttle_hold(struct store *s, const char *name, const char *source, int64_t until);
/* Forget the key (a name's success from a source). */
px_err login_throttle_clear(struct store *s, const char *name, const char *source);
/* Forget a name and every (name, source) of it: its password was reset or changed. */
px_err login_throttle_forget(struct store *s, const char *name);

/* ---- logs ---- */

px_err login_log_add(struct store *s, const char *username, int64_t user_id, const char *outcome,
		     const char *ip, const char *ua);

/* One audit entry: who (may be NULL for the CLI), action, entity, id, before/after JSON. */
px_err audit_add(struct store *s, const struct principal *who, const char *ip, const char *action,
		 const char *entity, int64_t entity_id, const char *before_json,
		 const char *after_json);

struct log_entry {
	int64_t id;
	int64_t at;
	int64_t user_id;
	const char *username;
	const char *action; /* audit: action; login log: outcome */
	const char *entity; /* audit only */
	const char *entity_id;
	const char *before_json, *after_json;
	const char *ip;
	const char *user_agent;
};

struct log_query {
	const char *q;      /* username or entity */
	const char *entity; /* audit only */
	int64_t entity_id;
	long page, page_size;
};
/* The newest audit entry of entity/entity_id whose action is `a1` or `a2` (a2 may be NULL),
 * into *out (text in the arena): PX_ERR_NOT_FOUND when there is none. What an operation
 * recorded may be what the next one rests on (an applied solve and its undo,
 * service/solve.c): the entries are written in the operations' own transactions. */
px_err audit_last(struct store *s, struct arena *a, const char *entity, int64_t entity_id,
		  const char *a1, const char *a2, struct log_entry *out);
px_err audit_list(struct store *s, struct arena *a, const struct log_query *q,
		  struct log_entry **items, size_t *n, int64_t *total);
px_err login_log_list(struct store *s, struct arena *a, const struct log_query *q,
		      struct log_entry **items, size_t *n, int64_t *total);

/* ---- import runs ---- */

struct import_record {
	int64_t id;
	int64_t at;
	int64_t user_id;
	const char *kind;
	const char *filename;
	const char *format;
	/* "running" (imports_start), then "imported", "rejected", "failed", "checked" (a dry
	 * run) */
	const char *status;
	int64_t total_rows, imported_rows, error_count;
	const char *errors_json;
	const char *file_enc; /* "" when the file was not kept (or no longer is) */
};

/*
 * Start a run: r is inserted as "running" (r->id set) — unless the account has started
 * `per_hour` runs in the hour before r->at: then PX_ERR_RATE_LIMITED, nothing is written and
 * *retry_at is when the oldest of them turns an hour old. per_hour 0, or a run of the shell
 * (user_id 0), is not limited. The count and the insert are one step per account, as in
 * jobs_insert: requests of one account that arrive together cannot all pass the count.
 */
px_err imports_start(struct store *s, struct import_record *r, long per_hour, int64_t *retry_at);
/* The runs an account started after `since`: *count (at most `limit`, when limit > 0) and
 * *nth_at, the time of the limit-th newest (0 when fewer). A look, not a reservation. */
px_err imports_recent(struct store *s, int64_t user_id, int64_t since, long limit, int64_t *count,
		      int64_t *nth_at);
/* The outcome of a run begun by imports_start (status, counts, errors, the kept file). */
px_err imports_finish(struct store *s, const struct import_record *r);
px_err imports_get(struct store *s, struct arena *a, int64_t id, struct import_record *out);
/* Keep an account's kept files within cap bytes (as stored): the newest first, and from the
 * first that does not fit on, every older one is emptied. *dropped (may be NULL): how many. */
px_err imports_cap_kept(struct store *s, int64_t user_id, int64_t cap, int64_t *dropped);
/* Empty the kept file of every run started at or before `before` (*purged: how many), and
 * end as "failed" the runs still "running" that started before `stale` (their server
 * stopped in the middle). */
px_err imports_purge(struct store *s, int64_t before, int64_t stale, int64_t *purged);

/* One run in a list: the record without its file, who started it, and the audit entry of
 * ID numbers registered outside that account's scope ("" when none). */
struct import_run_row {
	struct import_record rec; /* errors_json "" and file_enc NULL: not read */
	bool kept;                /* its file is kept (the error report can be made) */
	const char *username, *display_name, *place; /* place: the account's unit or region */
	const char *elsewhere_json; /* after_json of its "registered_elsewhere" audit entry */
};

struct import_query {
	/* SCOPE_ALL: every run; SCOPE_REGION: runs of the accounts anchored in the subtree
	 * (their region, their unit's, their cadre's unit's); otherwise only user_id's own */
	struct scope_filter scope;
	int64_t user_id;
	const char *q; /* a part of the file name, or the exact user name */
	bool flagged;  /* only runs with a "registered_elsewhere" entry */
	long page, page_size;
};
px_err imports_list(struct store *s, struct arena *a, const struct import_query *q,
		    struct import_run_row **items, size_t *n, int64_t *total);

#endif
