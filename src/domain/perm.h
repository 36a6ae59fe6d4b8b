/*
 * perm.h — who may do what, and where: roles × permissions → data scope (SPEC §1).
 *
 * Authorization is two questions, both answered here without I/O:
 *   1. may this role use this permission at all?  perm_scope() returns the data scope,
 *      SCOPE_NONE meaning "no";
 *   2. is this object inside the caller's scope?  scope_contains() compares the object's
 *      place (region path, unit, cadre, class) with the caller's.
 * The API asks (1) for every route from its route table before the handler runs; the
 * operations of src/service/ turn the scope into a filter for the repositories' lists and
 * ask (2) for single objects — answering "not found" for objects outside the scope, so ids
 * cannot be probed.
 */
#ifndef PX_PERM_H
#define PX_PERM_H

#include <stdbool.h>
#include <stdint.h>

enum role {
	ROLE_NONE = 0,
	ROLE_SYSADMIN,
	ROLE_ORG_ADMIN,
	ROLE_CLASS_MANAGER,
	ROLE_UNIT_LIAISON,
	ROLE_TRAINEE,
	ROLE_EXPERT,
	ROLE_VIEWER,
	ROLE__COUNT
};

enum perm {
	PERM_PUBLIC = 0, /* no login needed */
	PERM_LOGGED_IN,  /* any logged-in user (own session, own profile) */
	PERM_REGION_READ,
	PERM_REGION_WRITE,
	PERM_UNIT_READ,
	PERM_UNIT_WRITE,
	PERM_CADRE_READ,
	PERM_CADRE_WRITE,
	PERM_CADRE_REVEAL, /* see ID and phone numbers unmasked */
	PERM_CADRE_EXPORT,
	PERM_IMPORT, /* import units/cadres */
	PERM_USER_READ,
	PERM_USER_WRITE,
	PERM_AUDIT_READ,
	PERM_STATS_READ, /* dashboards and aggregates */
	PERM_PLAN_READ,
	PERM_PLAN_WRITE,   /* draft and submit plans */
	PERM_PLAN_APPROVE, /* the organization department's step of the chain */
	PERM_CLASS_READ,
	PERM_CLASS_WRITE, /* classes, their sessions and timetables */
	PERM_EXPERT_READ,
	PERM_EXPERT_WRITE,
	PERM_ROOM_WRITE,
	PERM_LEDGER_READ,       /* a cadre's hours record (一人一档) and standing */
	PERM_LEDGER_WRITE,      /* adjustments, corrections, online-hours imports */
	PERM_REQUIREMENT_WRITE, /* requirement rule versions and hours conversion rules */
	PERM_EXTERNAL_REPORT,   /* report external training with evidence */
	PERM_EXTERNAL_UNIT,     /* the unit's step of approving a report */
	PERM_EXTERNAL_APPROVE,  /* the organization department's step */
	PERM__COUNT
};

enum scope {
	SCOPE_NONE = 0, /* not allowed */
	SCOPE_ALL,      /* everything */
	SCOPE_REGION,   /* the caller's region subtree */
	SCOPE_UNIT,     /* the caller's unit */
	SCOPE_SELF,     /* the caller's own cadre record */
	SCOPE_CLASSES,  /* trainees and data of the classes the caller manages */
};

/* Who is asking: the logged-in user and where their scope is anchored. The operator at the
 * shell (`peixun import`, `peixun user add` …) is no user: `shell` is set, every permission
 * is granted over everything, and the audit log names no account. */
struct principal {
	bool shell;
	int64_t user_id;
	enum role role;
	int64_t region_id;
	const char *region_path; /* "/1/2/3/" of region_id, "" if none */
	int64_t unit_id;
	int64_t cadre_id;
	int64_t expert_id;
	const char *username;
};

/* Where an object lives, as far as scopes care. Unknown parts are 0 / NULL. */
struct scope_target {
	const char *region_path;
	int64_t unit_id;
	int64_t cadre_id;
};

/* The caller's scope as data, for a repository to turn into a WHERE clause. */
struct scope_filter {
	enum scope scope;
	const char *region_path; /* SCOPE_REGION */
	int64_t unit_id;         /* SCOPE_UNIT */
	int64_t cadre_id;        /* SCOPE_SELF */
	int64_t user_id;         /* SCOPE_CLASSES */
};

/* The operator at the shell (see struct principal). */
extern const struct principal principal_shell;

enum role role_from_code(const char *code);
const char *role_code(enum role r);

/* The scope in which `role` may use `perm`; SCOPE_NONE when it may not. */
enum scope perm_scope(enum role role, enum perm perm);
/* The scope in which this caller may use `perm` (the shell: SCOPE_ALL). */
enum scope principal_scope(const struct principal *p, enum perm perm);
/* The same as a filter; a scope whose anchor the caller lacks (a region scope without a
 * region …) becomes SCOPE_NONE, so it matches nothing rather than everything. */
struct scope_filter scope_filter_for(const struct principal *p, enum perm perm);
/* True when the target lies inside the principal's scope `s`. */
bool scope_contains(const struct principal *p, enum scope s, const struct scope_target *t);
/* True when the target lies inside the caller's scope for `perm` (SCOPE_CLASSES is the
 * class repository's to decide: false here). */
bool principal_may(const struct principal *p, enum perm perm, const struct scope_target *t);
/* Name of a permission, for logs and the OpenAPI description. */
const char *perm_name(enum perm perm);

#endif
