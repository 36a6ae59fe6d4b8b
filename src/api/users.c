/*
 * users.c — /api/v1/users (accounts) and the two logs.
 *
 * The system admin manages every account. An organization admin manages the accounts of
 * its region — liaisons, trainees, class managers and viewers anchored inside it — and can
 * neither create admins nor reach outside its subtree. A new or reset password that the
 * caller does not choose is generated, shown once in the reply, and must be changed at
 * first login.
 */
#include <ctype.h>
#include <string.h>

#include "api/api.h"
#include "base/date.h"
#include "domain/enums.h"
#include "domain/password.h"

px_err api_users_list(struct http_req *r)
{
	struct page_query p;
	api_list_params(r, &p, 200);
	struct user_query q = { .scope = api_scope(r, PERM_USER_READ),
				.q = p.q,
				.role = http_query(r, "role"),
				.sort = p.sort,
				.page = p.page,
				.page_size = p.page_size };
	struct user *items;
	size_t n;
	int64_t total;
	px_err rc = users_list(API(r)->db, &r->arena, &q, &items, &n, &total);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, api_user_json(r, &items[i]));
	return api_reply_list(r, arr, total, &p);
}

static px_err visible_user(struct http_req *r, enum perm perm, struct user *u)
{
	int64_t id;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = users_get(API(r)->db, &r->arena, id, u);
	if (!rc && !api_in_scope(r, perm, &(struct scope_target){ .region_path = u->region_path }))
		rc = PX_ERR_NOT_FOUND;
	return rc;
}

px_err api_users_get(struct http_req *r)
{
	struct user u;
	px_err rc = visible_user(r, PERM_USER_READ, &u);
	return rc ? rc : http_reply_json(r, 200, api_user_json(r, &u));
}

/* Whether the caller may grant this role, or manage an account that has it: the system
 * admin alone grants and manages system admins, organization admins and experts. */
static bool may_manage_role(struct http_req *r, enum role role)
{
	return API(r)->who.role == ROLE_SYSADMIN ||
	       !(role == ROLE_SYSADMIN || role == ROLE_ORG_ADMIN || role == ROLE_EXPERT);
}

/* The account of the path's {id} when the caller may change it (else not found, or
 * forbidden for a role it may not manage). */
static px_err managed_user(struct http_req *r, struct user *u)
{
	px_err rc = visible_user(r, PERM_USER_WRITE, u);
	if (!rc && !may_manage_role(r, role_from_code(u->role)))
		rc = PX_ERR_FORBIDDEN;
	return rc;
}

/*
 * The password a create or a reset sets: the one given, checked against the policy, or else
 * a generated one in `generated` (shown once in the reply; "" when the caller chose). Its
 * hash goes into `hash`.
 */
static px_err new_password(struct http_req *r, const char *given, const char *username,
			   char generated[24], char hash[128])
{
	generated[0] = '\0';
	if (!given || !*given) {
		secret_generate_password(generated);
		given = generated;
	} else if (password_check(given, username, r->lang, &r->problems)) {
		return PX_ERR_WEAK_PASSWORD;
	}
	return secret_password_hash(given, hash);
}

/* An anchor id of the body: absent keeps *out; null, "" or 0 clears it; a positive integer
 * sets it; anything else is a problem (not a silent clear). */
static void anchor_id(struct http_req *r, json_t *body, const char *key, int64_t *out)
{
	json_t *v = json_object_get(body, key);
	if (!v)
		return;
	if (json_is_null(v) || (json_is_string(v) && !*json_string_value(v)) ||
	    (json_is_integer(v) && json_integer_value(v) == 0)) {
		*out = 0;
		return;
	}
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		*out = (int64_t)json_integer_value(v);
		return;
	}
	int64_t id = api_json_id(body, key); /* "12" as elsewhere */
	if (json_is_string(v) && id > 0) {
		*out = id;
		return;
	}
	api_problem(r, key, "invalid", "应为记录编号", "Must be a record id");
}

/* The caller may write users anchored at this path (a system admin anywhere). */
static bool anchor_in_scope(struct http_req *r, const char *path)
{
	return API(r)->who.role == ROLE_SYSADMIN ||
	       api_in_scope(r, PERM_USER_WRITE, &(struct scope_target){ .region_path = path });
}

/* Validate role and scope anchors of a body into u, against what the caller may grant. */
static px_err user_fields(struct http_req *r, json_t *body, struct user *u, bool creating)
{
	struct field_ctx c = { .pb = &r->problems, .arena = &r->arena, .lang = r->lang };
	static const struct field_def name_f = { "display_name", "姓名", "Display name",
						 true,           0,      NULL };
	static const struct field_def role_f = { "role", "角色", "Role", true, 0, NULL };
	if (creating || json_object_get(body, "display_name"))
		u->display_name = field_text(&c, &name_f, api_json_text(r, body, "display_name"),
					     TEXT_PERSON_NAME, 30);
	if (creating || json_object_get(body, "role"))
		u->role = field_enum(&c, &role_f, api_json_text(r, body, "role"), &enum_role);
	if (json_object_get(body, "active"))
		u->active = json_is_true(json_object_get(body, "active"));
	anchor_id(r, body, "region_id", &u->region_id);
	anchor_id(r, body, "unit_id", &u->unit_id);
	anchor_id(r, body, "cadre_id", &u->cadre_id);
	if (r->problems.n)
		return PX_ERR_INVALID;
	enum role role = role_from_code(u->role);
	if (!may_manage_role(r, role)) {
		api_problem(r, "role", "forbidden", "您无权授予该角色",
			    "You may not grant this role");
		return PX_ERR_FORBIDDEN;
	}
	/* The anchor each role needs. */
	if ((role == ROLE_ORG_ADMIN || role == ROLE_VIEWER) && u->region_id <= 0)
		api_problem(r, "region_id", "required", "该角色须指定所属地区",
			    "This role needs a region");
	if (role == ROLE_UNIT_LIAISON && u->unit_id <= 0)
		api_problem(r, "unit_id", "required", "该角色须指定所属单位",
			    "This role needs a unit");
	if (role == ROLE_TRAINEE && u->cadre_id <= 0)
		api_problem(r, "cadre_id", "required", "该角色须关联干部档案",
			    "This role needs a cadre record");
	if (r->problems.n)
		return PX_ERR_INVALID;
	/* Every anchor must exist and lie inside the caller's scope, and they must nest: the
	 * unit inside the region, the cadre inside both. The user's region path is the
	 * outermost. */
	struct arena *a = &r->arena;
	u->region_path = "";
	px_err rc = PX_OK;
	bool ok = true;
	const char *inner = NULL; /* the path the next anchor must lie in */
	if (u->region_id > 0) {
		struct region g;
		if (!(rc = regions_get(API(r)->db, a, u->region_id, &g))) {
			u->region_path = inner = g.path;
			ok = anchor_in_scope(r, g.path);
		}
	}
	if (!rc && ok && u->unit_id > 0) {
		struct unit_row un;
		if (!(rc = units_get(API(r)->db, a, u->unit_id, &un))) {
			ok = anchor_in_scope(r, un.region_path) &&
			     (!inner || !strncmp(un.region_path, inner, strlen(inner)));
			if (!*u->region_path)
				u->region_path = un.region_path;
		}
	}
	if (!rc && ok && u->cadre_id > 0) {
		struct cadre_row cr;
		if (!(rc = cadres_get(API(r)->db, a, u->cadre_id, &cr))) {
			ok = anchor_in_scope(r, cr.region_path) &&
			     (!inner || !strncmp(cr.region_path, inner, strlen(inner))) &&
			     (u->unit_id <= 0 || cr.c.unit_id == u->unit_id);
			if (!*u->region_path)
				u->region_path = cr.region_path;
		}
	}
	if (rc == PX_ERR_NOT_FOUND || (!rc && (!ok || !anchor_in_scope(r, u->region_path)))) {
		api_problem(r, "region_id", "not_found",
			    "所属地区、单位或干部不存在,或不在您的管理范围内",
			    "The region, unit or cadre is not in your scope");
		return PX_ERR_INVALID;
	}
	return rc;
}

static px_err valid_username(struct http_req *r, const char *name)
{
	size_t n = name ? strlen(name) : 0;
	bool ok = n >= 3 && n <= 32;
	for (size_t i = 0; ok && i < n; i++)
		ok = isalnum((unsigned char)name[i]) || strchr("_.-", name[i]);
	if (!ok)
		api_problem(r, "username", "invalid", "用户名须为 3 至 32 位字母、数字或 _ . -",
			    "User name: 3 to 32 letters, digits, '_', '.' or '-'");
	return ok ? PX_OK : PX_ERR_INVALID;
}

px_err api_users_create(struct http_req *r)
{
	json_t *body;
	px_err rc = http_json_body(r, &body);
	if (rc)
		return rc;
	struct user u = { .active = 1, .must_change_password = 1 };
	u.username = api_json_text(r, body, "username");
	const char *password = api_json_text(r, body, "password");
	valid_username(r, u.username);
	rc = user_fields(r, body, &u, true);
	json_decref(body);
	if (rc || r->problems.n)
		return rc ? rc : PX_ERR_INVALID;
	char generated[24], hash[128];
	if ((rc = new_password(r, password, u.username, generated, hash)))
		return rc;
	u.password_hash = hash;
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = users_insert(API(r)->db, &u);
	struct user saved;
	if (!rc)
		rc = users_get(API(r)->db, &r->arena, u.id, &saved);
	json_t *after = rc ? NULL : api_user_json(r, &saved);
	if ((rc = api_audit_commit(r, rc, "create", "user", u.id, NULL, after))) {
		json_decref(after);
		if (rc == PX_ERR_CONFLICT)
			api_problem(r, "username", "duplicate", "该用户名已被使用",
				    "This user name is taken");
		return rc;
	}
	if (generated[0])
		json_object_set_new(after, "initial_password", json_string(generated));
	return http_reply_json(r, 201, after);
}

px_err api_users_update(struct http_req *r)
{
	struct user before;
	px_err rc = managed_user(r, &before);
	if (rc)
		return rc;
	json_t *body;
	if ((rc = http_json_body(r, &body)))
		return rc;
	int64_t version = api_json_version(body, before.version);
	struct user u = before;
	rc = user_fields(r, body, &u, false);
	json_decref(body);
	if (rc)
		return rc;
	if (u.id == API(r)->who.user_id && (!u.active || strcmp(u.role, before.role))) {
		api_problem(r, "role", "self", "不能停用或更改自己的账号角色",
			    "You cannot disable or demote yourself");
		return PX_ERR_INVALID;
	}
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = users_update(API(r)->db, &u, version);
	if (!rc && (!u.active || strcmp(u.role, before.role)))
		rc = sessions_delete_user(API(r)->db, u.id);
	struct user saved;
	if (!rc)
		rc = users_get(API(r)->db, &r->arena, u.id, &saved);
	json_t *after = rc ? NULL : api_user_json(r, &saved);
	return api_commit_write(r, rc, 200, "update", "user", u.id, api_user_json(r, &before),
				after);
}

px_err api_users_reset_password(struct http_req *r)
{
	struct user u;
	px_err rc = managed_user(r, &u);
	if (rc)
		return rc;
	json_t *body = NULL;
	const char *password = NULL;
	if (r->body.len) {
		if ((rc = http_json_body(r, &body)))
			return rc;
		password = api_json_text(r, body, "password");
		json_decref(body);
	}
	char generated[24], hash[128];
	if ((rc = new_password(r, password, u.username, generated, hash)))
		return rc;
	if ((rc = store_begin(API(r)->db)))
		return rc;
	rc = users_set_password(API(r)->db, u.id, hash, true);
	if (!rc)
		rc = sessions_delete_user(API(r)->db, u.id);
	if ((rc = api_audit_commit(r, rc, "reset_password", "user", u.id, NULL, NULL)))
		return rc;
	json_t *j = json_pack("{sI sb}", "id", (json_int_t)u.id, "must_change_password", 1);
	if (generated[0])
		json_object_set_new(j, "initial_password", json_string(generated));
	return http_reply_json(r, 200, j);
}

/* ---- logs ---- */

/* The names of the fields whose values differ between two audit snapshots (either NULL). */
static json_t *changed_fields(json_t *before, json_t *after)
{
	json_t *names = json_array();
	json_t *sides[2] = { after, before };
	for (int k = 0; k < 2; k++) {
		const char *key;
		json_t *v;
		json_object_foreach(sides[k], key, v)
		{
			json_t *other = json_object_get(sides[1 - k], key);
			if (k == 1 && other)
				continue; /* seen from the other side */
			if (!other || !json_equal(v, other))
				json_array_append_new(names, json_string(key));
		}
	}
	return names;
}

/* What of a cadre's audit entry a caller who may read no cadres sees (SPEC §1: the system
 * administrator sees no cadre data): who changed which cadre, when and which fields, not the
 * values; of an export, not what was searched for (a name or a number). */
static void redact_cadre_entry(json_t *j, const char *action, json_t **before, json_t **after)
{
	if (!strcmp(action, "export")) {
		json_object_del(*after, "query");
	} else if (!strcmp(action, "create") || !strcmp(action, "update") ||
		   !strcmp(action, "delete")) {
		json_object_set_new(j, "changed", changed_fields(*before, *after));
		json_object_set_new(j, "redacted", json_true());
		json_decref(*before);
		json_decref(*after);
		*before = *after = NULL;
	}
}

static px_err reply_log(struct http_req *r, bool audit)
{
	struct page_query p;
	api_list_params(r, &p, 200);
	struct log_query q = { .q = p.q,
			       .entity = http_query(r, "entity"),
			       .entity_id = http_query_long(r, "entity_id", 0, 0, INT32_MAX),
			       .page = p.page,
			       .page_size = p.page_size };
	struct log_entry *items;
	size_t n;
	int64_t total;
	px_err rc = audit ? audit_list(API(r)->db, &r->arena, &q, &items, &n, &total)
			  : login_log_list(API(r)->db, &r->arena, &q, &items, &n, &total);
	if (rc)
		return rc;
	bool reads_cadres = perm_scope(API(r)->who.role, PERM_CADRE_READ) != SCOPE_NONE;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		struct log_entry *e = &items[i];
		json_t *j = json_object();
		json_object_set_new(j, "id", json_integer(e->id));
		json_object_set_new(j, "at", api_time_json(e->at));
		json_object_set_new(j, "user_id",
				    e->user_id ? json_integer(e->user_id) : json_null());
		json_object_set_new(j, "username", json_string(e->username));
		json_object_set_new(j, "ip", json_string(e->ip));
		if (audit) {
			json_object_set_new(j, "action", json_string(e->action));
			json_object_set_new(j, "entity", json_string(e->entity));
			json_object_set_new(j, "entity_id", json_string(e->entity_id));
			json_t *b = *e->before_json ? json_loads(e->before_json, 0, NULL) : NULL;
			json_t *a = *e->after_json ? json_loads(e->after_json, 0, NULL) : NULL;
			if (!reads_cadres && !strcmp(e->entity, "cadre"))
				redact_cadre_entry(j, e->action, &b, &a);
			json_object_set_new(j, "before", b ? b : json_null());
			json_object_set_new(j, "after", a ? a : json_null());
		} else {
			json_object_set_new(j, "outcome", json_string(e->action));
			json_object_set_new(j, "user_agent", json_string(e->user_agent));
		}
		json_array_append_new(arr, j);
	}
	return api_reply_list(r, arr, total, &p);
}

px_err api_audit_list(struct http_req *r)
{
	return reply_log(r, true);
}

px_err api_login_log_list(struct http_req *r)
{
	return reply_log(r, false);
}
