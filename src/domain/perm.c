/*
 * perm.c — the permission matrix of perm.h, as one table.
 *
 * Read a row as "this role may use these permissions in these scopes". Anything not in the
 * table is SCOPE_NONE. The system admin manages accounts and the region tree but sees no
 * cadre data (SPEC §1); the viewer sees aggregates only.
 */
#include "domain/perm.h"

#include <string.h>

struct grant {
	enum role role;
	enum perm perm;
	enum scope scope;
};

/* clang-format off */
static const struct grant grants[] = {
	{ROLE_SYSADMIN, PERM_REGION_READ, SCOPE_ALL},
	{ROLE_SYSADMIN, PERM_REGION_WRITE, SCOPE_ALL},
	{ROLE_SYSADMIN, PERM_UNIT_READ, SCOPE_ALL},
	{ROLE_SYSADMIN, PERM_USER_READ, SCOPE_ALL},
	{ROLE_SYSADMIN, PERM_USER_WRITE, SCOPE_ALL},
	{ROLE_SYSADMIN, PERM_AUDIT_READ, SCOPE_ALL},

	{ROLE_ORG_ADMIN, PERM_REGION_READ, SCOPE_REGION},
	{ROLE_ORG_ADMIN, PERM_UNIT_READ, SCOPE_REGION},
	{ROLE_ORG_ADMIN, PERM_UNIT_WRITE, SCOPE_REGION},
	{ROLE_ORG_ADMIN, PERM_CADRE_READ, SCOPE_REGION},
	{ROLE_ORG_ADMIN, PERM_CADRE_WRITE, SCOPE_REGION},
	{ROLE_ORG_ADMIN, PERM_CADRE_REVEAL, SCOPE_REGION},
	{ROLE_ORG_ADMIN, PERM_CADRE_EXPORT, SCOPE_REGION},
	{ROLE_ORG_ADMIN, PERM_IMPORT, SCOPE_REGION},
	{ROLE_ORG_ADMIN, PERM_USER_READ, SCOPE_REGION},
	{ROLE_ORG_ADMIN, PERM_USER_WRITE, SCOPE_REGION},
	{ROLE_ORG_ADMIN, PERM_STATS_READ, SCOPE_REGION},

	{ROLE_CLASS_MANAGER, PERM_REGION_READ, SCOPE_ALL},
	{ROLE_CLASS_MANAGER, PERM_UNIT_READ, SCOPE_ALL},
	{ROLE_CLASS_MANAGER, PERM_CADRE_READ, SCOPE_CLASSES},

	{ROLE_UNIT_LIAISON, PERM_UNIT_READ, SCOPE_UNIT},
	{ROLE_UNIT_LIAISON, PERM_CADRE_READ, SCOPE_UNIT},
	{ROLE_UNIT_LIAISON, PERM_CADRE_WRITE, SCOPE_UNIT},
	{ROLE_UNIT_LIAISON, PERM_CADRE_EXPORT, SCOPE_UNIT},
	{ROLE_UNIT_LIAISON, PERM_IMPORT, SCOPE_UNIT},

	{ROLE_TRAINEE, PERM_UNIT_READ, SCOPE_UNIT},
	{ROLE_TRAINEE, PERM_CADRE_READ, SCOPE_SELF},

	{ROLE_VIEWER, PERM_REGION_READ, SCOPE_REGION},
	{ROLE_VIEWER, PERM_UNIT_READ, SCOPE_REGION},
	{ROLE_VIEWER, PERM_STATS_READ, SCOPE_REGION},
	{ROLE_VIEWER, PERM_PLAN_READ, SCOPE_REGION},
	{ROLE_VIEWER, PERM_CLASS_READ, SCOPE_REGION},

	/* training: plans, classes, timetables */
	{ROLE_ORG_ADMIN, PERM_PLAN_READ, SCOPE_REGION},
	{ROLE_ORG_ADMIN, PERM_PLAN_WRITE, SCOPE_REGION},
	{ROLE_ORG_ADMIN, PERM_PLAN_APPROVE, SCOPE_REGION},
	{ROLE_ORG_ADMIN, PERM_CLASS_READ, SCOPE_REGION},
	{ROLE_ORG_ADMIN, PERM_CLASS_WRITE, SCOPE_REGION},
	{ROLE_ORG_ADMIN, PERM_EXPERT_READ, SCOPE_ALL},
	{ROLE_ORG_ADMIN, PERM_EXPERT_WRITE, SCOPE_ALL},
	{ROLE_ORG_ADMIN, PERM_ROOM_WRITE, SCOPE_ALL},

	{ROLE_CLASS_MANAGER, PERM_CLASS_READ, SCOPE_CLASSES},
	{ROLE_CLASS_MANAGER, PERM_CLASS_WRITE, SCOPE_CLASSES},
	{ROLE_CLASS_MANAGER, PERM_EXPERT_READ, SCOPE_ALL},

	{ROLE_UNIT_LIAISON, PERM_PLAN_READ, SCOPE_UNIT},
	{ROLE_UNIT_LIAISON, PERM_PLAN_WRITE, SCOPE_UNIT},
	{ROLE_UNIT_LIAISON, PERM_CLASS_READ, SCOPE_UNIT},

	{ROLE_TRAINEE, PERM_CLASS_READ, SCOPE_SELF},

	/* requirements and the hours ledger (docs/ledger.md) */
	{ROLE_ORG_ADMIN, PERM_LEDGER_READ, SCOPE_REGION},
	{ROLE_ORG_ADMIN, PERM_LEDGER_WRITE, SCOPE_REGION},
	{ROLE_ORG_ADMIN, PERM_REQUIREMENT_WRITE, SCOPE_REGION},
	{ROLE_ORG_ADMIN, PERM_EXTERNAL_APPROVE, SCOPE_REGION},
	{ROLE_UNIT_LIAISON, PERM_LEDGER_READ, SCOPE_UNIT},
	{ROLE_UNIT_LIAISON, PERM_EXTERNAL_REPORT, SCOPE_UNIT},
	{ROLE_UNIT_LIAISON, PERM_EXTERNAL_UNIT, SCOPE_UNIT},
	{ROLE_TRAINEE, PERM_LEDGER_READ, SCOPE_SELF},
	{ROLE_TRAINEE, PERM_EXTERNAL_REPORT, SCOPE_SELF},
};
/* clang-format on */

static const char *const role_codes[ROLE__COUNT] = {
	[ROLE_NONE] = "",
	[ROLE_SYSADMIN] = "sysadmin",
	[ROLE_ORG_ADMIN] = "org_admin",
	[ROLE_CLASS_MANAGER] = "class_manager",
	[ROLE_UNIT_LIAISON] = "unit_liaison",
	[ROLE_TRAINEE] = "trainee",
	[ROLE_EXPERT] = "expert",
	[ROLE_VIEWER] = "viewer",
};

static const char *const perm_names[PERM__COUNT] = {
	[PERM_PUBLIC] = "public",
	[PERM_LOGGED_IN] = "logged_in",
	[PERM_REGION_READ] = "region.read",
	[PERM_REGION_WRITE] = "region.write",
	[PERM_UNIT_READ] = "unit.read",
	[PERM_UNIT_WRITE] = "unit.write",
	[PERM_CADRE_READ] = "cadre.read",
	[PERM_CADRE_WRITE] = "cadre.write",
	[PERM_CADRE_REVEAL] = "cadre.reveal",
	[PERM_CADRE_EXPORT] = "cadre.export",
	[PERM_IMPORT] = "import",
	[PERM_USER_READ] = "user.read",
	[PERM_USER_WRITE] = "user.write",
	[PERM_AUDIT_READ] = "audit.read",
	[PERM_STATS_READ] = "stats.read",
	[PERM_PLAN_READ] = "plan.read",
	[PERM_PLAN_WRITE] = "plan.write",
	[PERM_PLAN_APPROVE] = "plan.approve",
	[PERM_CLASS_READ] = "class.read",
	[PERM_CLASS_WRITE] = "class.write",
	[PERM_EXPERT_READ] = "expert.read",
	[PERM_EXPERT_WRITE] = "expert.write",
	[PERM_ROOM_WRITE] = "room.write",
	[PERM_LEDGER_READ] = "ledger.read",
	[PERM_LEDGER_WRITE] = "ledger.write",
	[PERM_REQUIREMENT_WRITE] = "requirement.write",
	[PERM_EXTERNAL_REPORT] = "external.report",
	[PERM_EXTERNAL_UNIT] = "external.unit",
	[PERM_EXTERNAL_APPROVE] = "external.approve",
};

enum role role_from_code(const char *code)
{
	for (int r = 1; r < ROLE__COUNT; r++)
		if (code && !strcmp(code, role_codes[r]))
			return (enum role)r;
	return ROLE_NONE;
}

const char *role_code(enum role r)
{
	return (unsigned)r < ROLE__COUNT ? role_codes[r] : "";
}

const char *perm_name(enum perm perm)
{
	return (unsigned)perm < PERM__COUNT ? perm_names[perm] : "?";
}

enum scope perm_scope(enum role role, enum perm perm)
{
	if (role == ROLE_NONE)
		return perm == PERM_PUBLIC ? SCOPE_ALL : SCOPE_NONE;
	if (perm == PERM_PUBLIC || perm == PERM_LOGGED_IN)
		return SCOPE_ALL;
	for (size_t i = 0; i < sizeof grants / sizeof grants[0]; i++)
		if (grants[i].role == role && grants[i].perm == perm)
			return grants[i].scope;
	return SCOPE_NONE;
}

const struct principal principal_shell = { .shell = true, .region_path = "", .username = "" };

enum scope principal_scope(const struct principal *p, enum perm perm)
{
	return p->shell ? SCOPE_ALL : perm_scope(p->role, perm);
}

struct scope_filter scope_filter_for(const struct principal *p, enum perm perm)
{
	struct scope_filter f = { .scope = principal_scope(p, perm) };
	f.unit_id = p->unit_id;
	f.cadre_id = p->cadre_id;
	f.user_id = p->user_id;
	f.region_path = p->region_path;
	if (f.scope == SCOPE_REGION && (!p->region_path || !*p->region_path))
		f.scope = SCOPE_NONE;
	if (f.scope == SCOPE_UNIT && p->unit_id <= 0)
		f.scope = SCOPE_NONE;
	if (f.scope == SCOPE_SELF && p->cadre_id <= 0)
		f.scope = SCOPE_NONE;
	return f;
}

bool principal_may(const struct principal *p, enum perm perm, const struct scope_target *t)
{
	return scope_contains(p, scope_filter_for(p, perm).scope, t);
}

bool scope_contains(const struct principal *p, enum scope s, const struct scope_target *t)
{
	switch (s) {
	case SCOPE_ALL: return true;
	case SCOPE_REGION:
		return p->region_path && *p->region_path && t->region_path &&
		       !strncmp(t->region_path, p->region_path, strlen(p->region_path));
	case SCOPE_UNIT: return p->unit_id > 0 && t->unit_id == p->unit_id;
	case SCOPE_SELF: return p->cadre_id > 0 && t->cadre_id == p->cadre_id;
	case SCOPE_CLASSES: /* decided by the class repository, which knows the rosters */
	case SCOPE_NONE: break;
	}
	return false;
}
