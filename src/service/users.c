/*
 * users.c — user accounts: see accounts.h.
 *
 * An account's scope hangs on its anchors (a region, a unit, a cadre record), which must
 * exist, lie inside the caller's scope, and nest: the unit inside the region, the cadre
 * inside both. The role decides which anchor it needs.
 */
#include <ctype.h>
#include <string.h>

#include "base/date.h"
#include "base/secret.h"
#include "domain/password.h"
#include "service/accounts.h"
#include "service/sheets.h"
#include "service/training.h"
#include "store/accounts.h"
#include "store/registry.h"
#include "store/training.h"

static px_err user_get(struct svc *c, int64_t id, void *row)
{
	return users_get(c->db, c->arena, id, row);
}

/* Inside the caller's scope: anchored there, or (an account without a region) serving it
 * — store/accounts.h, users_in_region, names who; to write, an expert who only teaches
 * there is not enough. */
static px_err user_visible(struct svc *c, enum perm perm, const void *row)
{
	const struct user *u = row;
	if (svc_may(c, perm, &(struct scope_target){ .region_path = u->region_path }))
		return PX_OK;
	struct scope_filter f = svc_scope(c, perm);
	if (f.scope != SCOPE_REGION || *u->region_path)
		return PX_ERR_NOT_FOUND;
	bool yes = false;
	px_err rc = users_in_region(c->db, u->id, f.region_path, perm == PERM_USER_WRITE, &yes);
	return rc ? rc : yes ? PX_OK : PX_ERR_NOT_FOUND;
}

/* The classes a class manager runs: those the caller may read, and how many others. */
static void managed_classes(struct svc *c, const struct user *u, json_t *j)
{
	json_t *list = json_array();
	int64_t elsewhere = 0;
	struct managed_class *m = NULL;
	size_t n = 0;
	if (!strcmp(u->role, "class_manager") &&
	    !classes_managed_by(c->db, c->arena, u->id, &m, &n)) {
		struct scope_filter f = svc_scope(c, PERM_CLASS_READ);
		for (size_t i = 0; i < n; i++) {
			/* a class read by region, or one the caller runs itself */
			bool mine =
				f.scope == SCOPE_ALL ||
				svc_may(c, PERM_CLASS_READ,
					&(struct scope_target){ .region_path = m[i].region_path });
			if (!mine && f.scope == SCOPE_CLASSES)
				class_managed_by(c->db, m[i].id, c->who->user_id, &mine);
			if (!mine) {
				elsewhere++;
				continue;
			}
			json_array_append_new(
				list, json_pack("{sI ss ss ss}", "id", (json_int_t)m[i].id, "name",
						m[i].name, "start_date", m[i].start_date,
						"end_date", m[i].end_date));
		}
	}
	json_object_set_new(j, "classes", list);
	json_object_set_new(j, "classes_elsewhere", json_integer(elsewhere));
}

static json_t *user_view(struct svc *c, const void *row)
{
	const struct user *u = row;
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(u->id));
	json_object_set_new(j, "username", json_string(u->username));
	json_object_set_new(j, "display_name", json_string(u->display_name));
	json_object_set_new(j, "role", json_string(u->role));
	json_object_set_new(j, "role_label", json_string(svc_label(c, &enum_role, u->role)));
	json_object_set_new(j, "region_id", svc_id_json(u->region_id));
	json_object_set_new(j, "region_name", json_string(u->region_name ? u->region_name : ""));
	json_object_set_new(j, "unit_id", svc_id_json(u->unit_id));
	json_object_set_new(j, "unit_name", json_string(u->unit_name ? u->unit_name : ""));
	json_object_set_new(j, "cadre_id", svc_id_json(u->cadre_id));
	/* Whose account a trainee's is, is cadre data: not for a caller who may read no cadres
	 * (the system admin, SPEC §1), who sees only that one is linked. */
	bool names = svc_has(c, PERM_CADRE_READ);
	json_object_set_new(j, "cadre_name",
			    json_string(names && u->cadre_name ? u->cadre_name : ""));
	json_object_set_new(j, "expert_id", svc_id_json(u->expert_id));
	json_object_set_new(j, "active", json_boolean(u->active));
	json_object_set_new(j, "locked", json_boolean(u->locked_until > time_now()));
	json_object_set_new(j, "must_change_password", json_boolean(u->must_change_password));
	json_object_set_new(j, "last_login_at", svc_time_json(u->last_login_at));
	json_object_set_new(j, "version", json_integer(u->version));
	json_object_set_new(j, "created_at", svc_time_json(u->created_at));
	managed_classes(c, u, j);
	return j;
}

static const struct view_field managed_class_fields[] = {
	{ "id", VIEW_INT, "The class" },
	{ "name", VIEW_TEXT, "Its name" },
	{ "start_date", VIEW_TEXT, "First day" },
	{ "end_date", VIEW_TEXT, "Last day" },
};
static const struct view_spec svc_managed_class_shape =
	VIEW_SPEC("ManagedClass", managed_class_fields);

static const struct view_field user_view_fields[] = {
	{ "id", VIEW_INT, "Id" },
	{ "username", VIEW_TEXT, "Log-in name" },
	{ "display_name", VIEW_TEXT, "The name people see" },
	{ "role", VIEW_TEXT, "Role code" },
	{ "role_label", VIEW_TEXT, "Its label" },
	{ "region_id", VIEW_ID, "Region the scope hangs on" },
	{ "region_name", VIEW_TEXT, "Its name" },
	{ "unit_id", VIEW_ID, "Unit the scope hangs on" },
	{ "unit_name", VIEW_TEXT, "Its name" },
	{ "cadre_id", VIEW_ID, "A trainee's own cadre record" },
	{ "cadre_name", VIEW_TEXT, "Its name (\"\" for a caller who may read no cadres)" },
	{ "expert_id", VIEW_ID, "An expert's own record" },
	{ "active", VIEW_BOOL, "false: disabled" },
	{ "locked", VIEW_BOOL,
	  "Slowed down now: its failed log-ins from every address passed the account's limit "
	  "(a wait of up to a minute between tries; a lock from one address shows in the login "
	  "log)" },
	{ "must_change_password", VIEW_BOOL, "Must change the password before anything else" },
	{ "last_login_at", VIEW_TIME, "Last log-in" },
	{ "version", VIEW_INT, "Send it back with an update (optimistic locking)" },
	{ "created_at", VIEW_TIME, "Created" },
	{ "classes", VIEW_OBJECTS,
	  "A class manager's classes (班主任) that the caller may read, the latest first; [] for "
	  "other roles",
	  &svc_managed_class_shape },
	{ "classes_elsewhere", VIEW_INT, "How many more it runs outside the caller's scope" },
	{ "initial_password", VIEW_TEXT, "A generated password, shown once (create only)", NULL,
	  true },
	{ "permissions", VIEW_OBJECT,
	  "Permission → scope (all, region, unit, self, classes); the session's user only", NULL,
	  true },
};
const struct view_spec svc_user_shape = VIEW_SPEC("User", user_view_fields);

static const struct view_field reset_view_fields[] = {
	{ "id", VIEW_INT, "The account" },
	{ "must_change_password", VIEW_BOOL, "Must change it at next log-in" },
	{ "initial_password", VIEW_TEXT, "The generated password, shown once", NULL, true },
};
const struct view_spec svc_password_reset_shape =
	VIEW_SPEC("PasswordResetResult", reset_view_fields);

static const struct sheet_column user_columns[] = {
	{ "username", NULL, "用户名", "User name" },
	{ "display_name", NULL, "姓名/名称", "Name", 20 },
	{ "role_label", NULL, "角色", "Role", 20 },
	{ "region_name", NULL, "所属地区", "Region" },
	{ "unit_name", NULL, "所属单位", "Unit", 20 },
	{ "cadre_name", NULL, "关联干部", "Cadre" },
	{ "active", NULL, "启用", "Active", 8 },
	{ "locked", NULL, "已锁定", "Locked", 8 },
	{ "last_login_at", NULL, "最近登录", "Last login", 20, true },
	{ "created_at", NULL, "创建时间", "Created", 20, true },
};
static const struct sheet_spec user_sheet = SHEET_SPEC("user", "用户", "Accounts", user_columns);

const struct svc_kind svc_user_kind = {
	.entity = "user",
	.row_size = sizeof(struct user),
	.get = user_get,
	.visible = user_visible,
	.view = user_view,
	.shape = &svc_user_shape,
	.sheet = &user_sheet,
};

static px_err list_users(struct svc *c, const void *query, void **rows, size_t *n, int64_t *total)
{
	return users_list(c->db, c->arena, query, (struct user **)rows, n, total);
}

px_err svc_users_list(struct svc *c, const char *role, const struct page_query *p,
		      struct svc_page *out)
{
	struct user_query q = { .scope = svc_scope(c, PERM_USER_READ),
				.q = p->q,
				.role = role,
				.sort = p->sort,
				.page = p->page,
				.page_size = p->page_size };
	return svc_list_generic(c, &svc_user_kind, list_users, &q, out);
}

px_err svc_user_get(struct svc *c, int64_t id, json_t **out)
{
	struct user u;
	px_err rc = svc_load(c, &svc_user_kind, PERM_USER_READ, id, &u);
	if (!rc)
		*out = user_view(c, &u);
	return rc;
}

px_err svc_user_id_by_name(struct svc *c, const char *username, int64_t *id)
{
	struct user u;
	px_err rc = users_get_by_username(c->db, c->arena, username, &u);
	if (!rc)
		*id = u.id;
	return rc;
}

/* Whether the caller may grant this role: the system admin alone (and the shell) grants
 * system admins, organization admins and experts. */
static bool may_grant_role(const struct svc *c, enum role role)
{
	return c->who->shell || c->who->role == ROLE_SYSADMIN ||
	       !(role == ROLE_SYSADMIN || role == ROLE_ORG_ADMIN || role == ROLE_EXPERT);
}

/* Whether the caller may manage an account of this role that lies in its scope: every role
 * but the system admin's and the organization admins' — an expert's too (its password reset,
 * its name), though not made or unmade an expert. */
static bool may_manage_account(const struct svc *c, enum role role)
{
	return c->who->shell || c->who->role == ROLE_SYSADMIN ||
	       !(role == ROLE_SYSADMIN || role == ROLE_ORG_ADMIN);
}

/* The account `id` when the caller may change it: else not found, or forbidden for a role
 * it may not manage — or for an account it may only look at (an expert who teaches in the
 * caller's classes but whose record another office keeps). */
static px_err managed_user(struct svc *c, int64_t id, struct user *u)
{
	px_err rc = svc_load(c, &svc_user_kind, PERM_USER_WRITE, id, u);
	if (rc == PX_ERR_NOT_FOUND && !svc_load(c, &svc_user_kind, PERM_USER_READ, id, u))
		return svc_fail(c, PX_ERR_FORBIDDEN, "该账号由其专家信息录入地区管理,您只能查看",
				"This account is managed where its expert record was entered; you "
				"may only look at it");
	if (!rc && !may_manage_account(c, role_from_code(u->role)))
		rc = PX_ERR_FORBIDDEN;
	return rc;
}

/*
 * The password a create or a reset sets: the one given, checked against the policy, or else
 * a generated one in `generated` (shown once; "" when the caller chose). Its hash goes into
 * `hash`.
 */
static px_err new_password(struct svc *c, const char *given, const char *username,
			   char generated[24], char hash[128])
{
	generated[0] = '\0';
	if (!given || !*given) {
		secret_generate_password(generated);
		given = generated;
	} else if (password_check(given, username, c->lang, c->problems)) {
		return PX_ERR_WEAK_PASSWORD;
	}
	return secret_password_hash(given, hash);
}

/* The caller may write users anchored at this path (a system admin anywhere). */
static bool anchor_in_scope(const struct svc *c, const char *path)
{
	return c->who->role == ROLE_SYSADMIN ||
	       svc_may(c, PERM_USER_WRITE, &(struct scope_target){ .region_path = path });
}

/* An anchor of the form onto *out: absent keeps it, 0 clears it, malformed is a problem. */
static void anchor(struct svc *c, const char *field, int64_t v, int64_t *out)
{
	if (v == -2)
		svc_problem(c, field, "invalid", "应为记录编号", "Must be a record id");
	else if (v >= 0)
		*out = v;
}

/* Validate role and scope anchors of a form into u, against what the caller may grant. */
static px_err user_fields(struct svc *c, const struct user_form *f, struct user *u, bool creating)
{
	struct field_ctx fc = { .pb = c->problems, .arena = c->arena, .lang = c->lang };
	static const struct field_def name_f = { "display_name", "姓名", "Display name",
						 true,           30,     NULL };
	static const struct field_def role_f = { "role", "角色", "Role", true, 0, &enum_role };
	/* what the account is before the form (an update's u is the account as it stands) */
	const char *was_role = u->role ? u->role : "";
	bool was_anchored = u->region_id > 0 || u->unit_id > 0 || u->cadre_id > 0;
	if (creating || f->display_name)
		u->display_name =
			field_text(&fc, &name_f, f->display_name, TEXT_PERSON_NAME, name_f.max);
	if (creating || f->role)
		u->role = field_enum(&fc, &role_f, f->role, role_f.choices);
	if (f->active >= 0)
		u->active = f->active;
	anchor(c, "region_id", f->region_id, &u->region_id);
	anchor(c, "unit_id", f->unit_id, &u->unit_id);
	anchor(c, "cadre_id", f->cadre_id, &u->cadre_id);
	if (c->problems->n)
		return PX_ERR_INVALID;
	enum role role = role_from_code(u->role);
	bool regranted = creating || strcmp(u->role, was_role);
	if (regranted && (!may_grant_role(c, role) ||
			  (!creating && !may_grant_role(c, role_from_code(was_role))))) {
		svc_problem(c, "role", "forbidden", "您无权授予该角色",
			    "You may not grant this role");
		return PX_ERR_FORBIDDEN;
	}
	/* The anchor each role needs. */
	if ((role == ROLE_ORG_ADMIN || role == ROLE_VIEWER) && u->region_id <= 0)
		svc_problem(c, "region_id", "required", "该角色须指定所属地区",
			    "This role needs a region");
	if (role == ROLE_UNIT_LIAISON && u->unit_id <= 0)
		svc_problem(c, "unit_id", "required", "该角色须指定所属单位",
			    "This role needs a unit");
	if (role == ROLE_TRAINEE && u->cadre_id <= 0)
		svc_problem(c, "cadre_id", "required", "该角色须关联干部档案",
			    "This role needs a cadre record");
	if (c->problems->n)
		return PX_ERR_INVALID;
	/* Every anchor must exist and lie inside the caller's scope, and they must nest: the
	 * unit inside the region, the cadre inside both. The user's region path is the
	 * outermost. */
	u->region_path = "";
	px_err rc = PX_OK;
	bool ok = true;
	const char *inner = NULL; /* the path the next anchor must lie in */
	if (u->region_id > 0) {
		struct region g;
		if (!(rc = regions_get(c->db, c->arena, u->region_id, &g))) {
			u->region_path = inner = g.path;
			ok = anchor_in_scope(c, g.path);
		}
	}
	if (!rc && ok && u->unit_id > 0) {
		struct unit_row un;
		if (!(rc = units_get(c->db, c->arena, u->unit_id, &un))) {
			ok = anchor_in_scope(c, un.region_path) &&
			     (!inner || !strncmp(un.region_path, inner, strlen(inner)));
			if (!*u->region_path)
				u->region_path = un.region_path;
		}
	}
	if (!rc && ok && u->cadre_id > 0) {
		struct cadre_row cr;
		if (!(rc = cadres_get(c->db, c->arena, u->cadre_id, &cr))) {
			ok = anchor_in_scope(c, cr.region_path) &&
			     (!inner || !strncmp(cr.region_path, inner, strlen(inner))) &&
			     (u->unit_id <= 0 || cr.c.unit_id == u->unit_id);
			if (!*u->region_path)
				u->region_path = cr.region_path;
		}
	}
	/* An account without a region that the caller may manage because it serves the
	 * caller's region (users_in_region: a class manager, an expert) stays without one. */
	bool serving = !creating && !was_anchored && !*u->region_path &&
		       (role == ROLE_CLASS_MANAGER || role == ROLE_EXPERT);
	if (rc == PX_ERR_NOT_FOUND ||
	    (!rc && (!ok || (!serving && !anchor_in_scope(c, u->region_path))))) {
		svc_problem(c, "region_id", "not_found",
			    "所属地区、单位或干部不存在,或不在您的管理范围内",
			    "The region, unit or cadre is not in your scope");
		return PX_ERR_INVALID;
	}
	return rc;
}

static px_err valid_username(struct svc *c, const char *name)
{
	size_t n = name ? strlen(name) : 0;
	bool ok = n >= 3 && n <= 32;
	for (size_t i = 0; ok && i < n; i++)
		ok = isalnum((unsigned char)name[i]) || strchr("_.-", name[i]);
	if (!ok)
		svc_problem(c, "username", "invalid", "用户名须为 3 至 32 位字母、数字或 _ . -",
			    "User name: 3 to 32 letters, digits, '_', '.' or '-'");
	return ok ? PX_OK : PX_ERR_INVALID;
}

/* The classes a form gives a class manager (class_ids), checked: classes the caller may
 * write, for an account of role class_manager, by a caller that writes classes by region. */
struct class_set {
	bool given;
	int64_t ids[64];
	size_t n;
};

static px_err form_classes(struct svc *c, json_t *ids, const char *role, struct class_set *out)
{
	out->given = false;
	out->n = 0;
	if (!ids)
		return PX_OK;
	if (!svc_json_ids(ids, out->ids, sizeof out->ids / sizeof out->ids[0], &out->n)) {
		svc_problem(c, "class_ids", "invalid", "负责班次应为至多 64 个不重复的班次编号",
			    "Classes: at most 64 distinct class ids");
		return PX_ERR_INVALID;
	}
	if (!out->n && strcmp(role, "class_manager"))
		return PX_OK; /* no classes for an account that runs none: nothing to do */
	enum scope s = svc_scope(c, PERM_CLASS_WRITE).scope;
	if (s != SCOPE_REGION && s != SCOPE_ALL) {
		svc_problem(c, "class_ids", "forbidden", "只有组织部管理员可以指定班主任负责的班次",
			    "Only an organization admin assigns classes to a class manager");
		return PX_ERR_FORBIDDEN;
	}
	if (strcmp(role, "class_manager")) {
		svc_problem(c, "class_ids", "not_class_manager", "只有班主任账号可以负责班次",
			    "Only a class manager's account runs classes");
		return PX_ERR_INVALID;
	}
	for (size_t i = 0; i < out->n; i++) {
		struct class_row row;
		px_err rc = svc_class_load(c, PERM_CLASS_WRITE, out->ids[i], &row);
		if (rc == PX_ERR_NOT_FOUND) {
			svc_problem(c, "class_ids", "not_found", "班次不存在或不在您的管理范围内",
				    "No such class in your scope");
			return PX_ERR_INVALID;
		}
		if (rc)
			return rc;
	}
	out->given = true;
	return PX_OK;
}

/* Make the account run exactly the given classes among those the caller may write (in the
 * caller's transaction). */
static px_err classes_apply(struct svc *c, int64_t user_id, const struct class_set *set)
{
	if (!set->given)
		return PX_OK;
	struct managed_class *m = NULL;
	size_t n = 0;
	px_err rc = classes_managed_by(c->db, c->arena, user_id, &m, &n);
	for (size_t k = 0; !rc && k < n; k++) {
		bool keep = false;
		for (size_t i = 0; i < set->n && !keep; i++)
			keep = set->ids[i] == m[k].id;
		struct class_row row;
		if (!keep && !svc_class_load(c, PERM_CLASS_WRITE, m[k].id, &row))
			rc = class_managers_remove(c->db, m[k].id, user_id);
	}
	for (size_t i = 0; !rc && i < set->n; i++)
		rc = class_managers_set(c->db, set->ids[i], user_id);
	return rc;
}

struct user_new {
	struct user u;
	struct class_set classes;
};

static px_err insert_user(struct svc *c, void *input, int64_t *id)
{
	struct user_new *in = input;
	px_err rc = users_insert(c->db, &in->u);
	*id = in->u.id;
	if (rc == PX_ERR_CONFLICT)
		svc_problem(c, "username", "duplicate", "该用户名已被使用",
			    "This user name is taken");
	return rc ? rc : classes_apply(c, in->u.id, &in->classes);
}

px_err svc_user_create(struct svc *c, const struct user_form *f, json_t **out)
{
	/* An account the operator makes at the shell keeps the password the operator chose. */
	struct user_new in = { .u = { .active = 1, .must_change_password = !c->who->shell } };
	struct user *u = &in.u;
	u->username = f->username;
	struct user_form named = *f;
	if (!named.display_name && c->who->shell) /* `peixun user add` without --name */
		named.display_name = enum_label(&enum_role, f->role, "zh-CN");
	f = &named;
	valid_username(c, u->username);
	px_err rc = user_fields(c, f, u, true);
	if (rc || c->problems->n)
		return rc ? rc : PX_ERR_INVALID;
	if ((rc = form_classes(c, f->class_ids, u->role, &in.classes)))
		return rc;
	char generated[24], hash[128];
	if ((rc = new_password(c, f->password, u->username, generated, hash)))
		return rc;
	u->password_hash = hash;
	json_t *view = NULL;
	rc = svc_create_generic(c, &svc_user_kind, insert_user, &in, NULL, &view);
	if (!rc && generated[0])
		json_object_set_new(view, "initial_password", json_string(generated));
	if (!rc)
		*out = view;
	return rc;
}

struct user_change {
	struct user u;
	struct class_set classes;
	int64_t version;
};

static px_err update_user(struct svc *c, const void *before, void *input)
{
	const struct user *b = before;
	struct user_change *ch = input;
	px_err rc = users_update(c->db, &ch->u, ch->version);
	if (!rc && (!ch->u.active || strcmp(ch->u.role, b->role)))
		rc = sessions_delete_user(c->db, ch->u.id);
	return rc ? rc : classes_apply(c, ch->u.id, &ch->classes);
}

px_err svc_user_update(struct svc *c, int64_t id, const struct user_form *f, json_t **out)
{
	struct user before;
	px_err rc = managed_user(c, id, &before);
	if (rc)
		return rc;
	struct user_change ch = { .u = before,
				  .version = f->version >= 0 ? f->version : before.version };
	if ((rc = user_fields(c, f, &ch.u, false)))
		return rc;
	if (ch.u.id == c->who->user_id && (!ch.u.active || strcmp(ch.u.role, before.role))) {
		svc_problem(c, "role", "self", "不能停用或更改自己的账号角色",
			    "You cannot disable or demote yourself");
		return PX_ERR_INVALID;
	}
	if ((rc = form_classes(c, f->class_ids, ch.u.role, &ch.classes)))
		return rc;
	return svc_update_generic(c, &svc_user_kind, "update", &before, id, update_user, &ch, out);
}

px_err svc_user_reset_password(struct svc *c, int64_t id, const char *password, json_t **out)
{
	struct user u;
	px_err rc = managed_user(c, id, &u);
	if (rc)
		return rc;
	char generated[24], hash[128];
	if ((rc = new_password(c, password, u.username, generated, hash)))
		return rc;
	bool must_change = !c->who->shell;
	if ((rc = svc_begin(c)))
		return rc;
	rc = users_set_password(c->db, u.id, hash, must_change);
	/* a reset unlocks: the failed logins counted under the name, from anywhere, go */
	if (!rc)
		rc = login_throttle_forget(c->db, u.username);
	if (!rc)
		rc = sessions_delete_user(c->db, u.id);
	if ((rc = svc_commit(c, rc, "reset_password", "user", u.id, NULL, NULL)))
		return rc;
	*out = json_pack("{sI sb}", "id", (json_int_t)u.id, "must_change_password", must_change);
	if (generated[0])
		json_object_set_new(*out, "initial_password", json_string(generated));
	return PX_OK;
}
