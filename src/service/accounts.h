/*
 * accounts.h — operations on accounts, sessions and the logs (users.c, sessions.c, logs.c).
 *
 * The system admin manages every account. An organization admin manages the accounts of
 * its region — liaisons, trainees, class managers and viewers anchored inside it — and can
 * neither create admins nor reach outside its subtree. A new or reset password that the
 * caller does not choose is generated and shown once (`initial_password` in the view), and
 * must be changed at first login — except for accounts the operator makes at the shell.
 *
 * Sessions live in the database (any app server answers any request): the cookie carries a
 * random token, the database keeps its hash with the CSRF token and the expiries.
 */
#ifndef PX_SERVICE_ACCOUNTS_H
#define PX_SERVICE_ACCOUNTS_H

#include "service/svc.h"

/* ---- users ---- */

extern const struct svc_kind svc_user_kind;
extern const struct view_spec svc_user_shape, svc_password_reset_shape, svc_session_shape,
	svc_audit_shape, svc_login_shape;

/* What a create or an update of an account brings (NULL / 0 / -1 = absent). */
struct user_form {
	const char *username; /* create only */
	const char *password; /* create: NULL or "" generates one */
	const char *display_name;
	const char *role;
	int active;                           /* -1 = absent */
	int64_t region_id, unit_id, cadre_id; /* -1 = absent; 0 = clear; -2 = malformed */
	json_t *class_ids; /* a class manager's classes (班主任): an array of class ids among the
			      caller's own classes, which it then runs exactly (its classes
			      elsewhere stay); NULL = absent */
	int64_t version;   /* -1 = not given */
};
#define USER_FORM_INIT                                                                             \
	{                                                                                          \
		.active = -1, .region_id = -1, .unit_id = -1, .cadre_id = -1, .version = -1        \
	}

px_err svc_users_list(struct svc *c, const char *role, const struct page_query *p,
		      struct svc_page *out);
px_err svc_user_get(struct svc *c, int64_t id, json_t **out);
px_err svc_user_create(struct svc *c, const struct user_form *f, json_t **out);
/* Nobody disables or demotes themselves; a disabled or re-roled account is logged out. */
px_err svc_user_update(struct svc *c, int64_t id, const struct user_form *f, json_t **out);
/* A new password (generated when NULL or ""), checked against the policy; the account is
 * unlocked and logged out everywhere, and must change it at next login unless the operator
 * at the shell set it. */
px_err svc_user_reset_password(struct svc *c, int64_t id, const char *password, json_t **out);
/* The id of the account with this name (for the command line). */
px_err svc_user_id_by_name(struct svc *c, const char *username, int64_t *id);

/* ---- sessions ---- */

struct session_start {
	char token[44];  /* the cookie's value */
	char csrf[44];   /* the CSRF token */
	int64_t max_age; /* seconds */
	json_t *user;    /* the session's view: user and permissions (caller decrefs) */
};

/* Check a user name and password; on success a new session (login log either way). An
 * unknown name fails exactly as a known one would, lockout included, so answers and timing
 * do not tell which names exist. */
px_err svc_login(struct svc *c, const char *username, const char *password, const char *user_agent,
		 struct session_start *out);
/* The caller of a session token, into who, csrf (48 bytes) and *expires; *must_change when
 * the password must be changed first. PX_ERR_NOT_FOUND for no session (or an expired one,
 * which is deleted). Keeps strings in c->arena. */
px_err svc_session_find(struct svc *c, const char *token, char hash[65], struct principal *who,
			char *csrf, int64_t *expires, bool *must_change);
/* The view of the caller's session: its user and permissions. */
px_err svc_session_view(struct svc *c, const char *csrf, json_t **out);
px_err svc_logout(struct svc *c, const char *session_hash, const char *user_agent);
/* Change one's own password (the current one must be right); other sessions end, and a
 * fresh one replaces this one. */
px_err svc_password_change(struct svc *c, const char *old_pw, const char *new_pw,
			   const char *user_agent, struct session_start *out);
/* Delete sessions past their expiry (the server's housekeeping). */
px_err svc_sessions_purge(struct svc *c);

/* ---- logs ---- */

struct log_filter {
	const char *entity; /* audit only */
	int64_t entity_id;
};

/*
 * What changed between two snapshots of a record of `entity` (either may be NULL; one alone:
 * what it holds — of a creation or deletion, what is not empty, no or 0), as an array of {field,
 * label, before, after}: the label the domain's field table gives the field (else audit_changes.c's
 * own), the values in words in the caller's language (null: none). With values false, before and
 * after are null (a redacted entry). In the order of the entity's form; ids, versions, times and
 * derived counts are left out. Caller decrefs; texts in c->arena.
 */
json_t *audit_changes(struct svc *c, const char *entity, const char *action, json_t *before,
		      json_t *after, bool values);
/* The changes as one line: "职务：副镇长 → 镇长；…" (in c->arena). */
const char *audit_changes_text(struct svc *c, json_t *changes);

/* The audit log; a caller who may read no cadres sees of a cadre's entry who changed which
 * fields and when, not the values (SPEC §1). */
px_err svc_audit_list(struct svc *c, const struct log_filter *f, const struct page_query *p,
		      struct svc_page *out);
px_err svc_login_log_list(struct svc *c, const struct page_query *p, struct svc_page *out);

#endif
