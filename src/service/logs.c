/*
 * logs.c — the audit log and the login log: see accounts.h.
 */
#include <string.h>

#include "service/accounts.h"
#include "service/sheets.h"
#include "store/accounts.h"

static const struct view_field audit_change_fields[] = {
	{ "field", VIEW_TEXT, "The member of the record (post, unit_name …)" },
	{ "label", VIEW_TEXT, "Its label in the caller's language, as the form names it" },
	{ "before", VIEW_TEXT, "The value before, in words (null: none, or redacted)", NULL, false,
	  true },
	{ "after", VIEW_TEXT, "The value after, in words (null: none, or redacted)", NULL, false,
	  true },
};
static const struct view_spec audit_change_shape = VIEW_SPEC("AuditChange", audit_change_fields);

static const struct view_field audit_view_fields[] = {
	{ "id", VIEW_INT, "Id" },
	{ "at", VIEW_TIME, "When" },
	{ "user_id", VIEW_ID, "Who (null: the shell)" },
	{ "username", VIEW_TEXT, "Their log-in name" },
	{ "ip", VIEW_TEXT, "From where" },
	{ "actor", VIEW_TEXT, "Who, as people read it: the log-in name, or 命令行 / command line" },
	{ "action", VIEW_TEXT,
	  "create, update, delete, reveal, export … (vocabulary audit_action)" },
	{ "action_label", VIEW_TEXT, "The action in the caller's language" },
	{ "entity", VIEW_TEXT, "What kind of record (vocabulary audit_entity)" },
	{ "entity_label", VIEW_TEXT, "The kind in the caller's language" },
	{ "entity_id", VIEW_TEXT, "Which one" },
	{ "before", VIEW_ANY, "The record before (null: none, or redacted)" },
	{ "after", VIEW_ANY, "The record after" },
	{ "changes", VIEW_OBJECTS,
	  "What changed, field by field, labelled and in words (redacted: the fields only)",
	  &audit_change_shape },
	{ "changed", VIEW_TEXTS, "Redacted entries: the names of the fields that changed", NULL,
	  true },
	{ "redacted", VIEW_BOOL, "The values are hidden from the caller", NULL, true },
};
const struct view_spec svc_audit_shape = VIEW_SPEC("AuditEntry", audit_view_fields);

static const struct view_field login_view_fields[] = {
	{ "id", VIEW_INT, "Id" },
	{ "at", VIEW_TIME, "When" },
	{ "user_id", VIEW_ID, "The account (null: no such name)" },
	{ "username", VIEW_TEXT, "The name tried" },
	{ "ip", VIEW_TEXT, "From where" },
	{ "outcome", VIEW_TEXT,
	  "ok, bad_password, bad_password_locked (locked the name at that address), locked "
	  "(refused: the name is locked at that address), throttled (refused: the name is "
	  "slowed down everywhere), source_locked (refused: the address is locked), unknown_user, "
	  "disabled, logout" },
	{ "outcome_label", VIEW_TEXT, "The outcome in the caller's language" },
	{ "user_agent", VIEW_TEXT, "The client" },
};
const struct view_spec svc_login_shape = VIEW_SPEC("LoginEntry", login_view_fields);

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

static json_t *entry_view(struct svc *c, const struct log_entry *e, bool audit, bool reads_cadres)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(e->id));
	json_object_set_new(j, "at", svc_time_json(e->at));
	json_object_set_new(j, "user_id", svc_id_json(e->user_id));
	json_object_set_new(j, "username", json_string(e->username));
	json_object_set_new(j, "ip", json_string(e->ip));
	if (audit) {
		/* an entry of the shell (a command, the demo) has no account: audit_add */
		bool shell = e->user_id <= 0 && !strcmp(e->username, "(cli)");
		json_object_set_new(
			j, "actor",
			json_string(shell ? svc_text(c, "命令行", "command line") : e->username));
		json_object_set_new(j, "action", json_string(e->action));
		json_object_set_new(j, "action_label",
				    json_string(svc_label(c, &enum_audit_action, e->action)));
		json_object_set_new(j, "entity", json_string(e->entity));
		json_object_set_new(j, "entity_label",
				    json_string(svc_label(c, &enum_audit_entity, e->entity)));
		json_object_set_new(j, "entity_id", json_string(e->entity_id));
		json_t *b = *e->before_json ? json_loads(e->before_json, 0, NULL) : NULL;
		json_t *a = *e->after_json ? json_loads(e->after_json, 0, NULL) : NULL;
		bool values = true;
		json_t *was = NULL, *now = NULL; /* what the changes are made of */
		if (!reads_cadres && !strcmp(e->entity, "cadre") &&
		    (!strcmp(e->action, "create") || !strcmp(e->action, "update") ||
		     !strcmp(e->action, "delete"))) {
			was = json_incref(b);
			now = json_incref(a);
			values = false;
		}
		if (!reads_cadres && !strcmp(e->entity, "cadre"))
			redact_cadre_entry(j, e->action, &b, &a);
		if (!reads_cadres && !strcmp(e->entity, "user")) {
			/* whose account a trainee's is, is cadre data (users.c's view) */
			json_object_del(b, "cadre_name");
			json_object_del(a, "cadre_name");
		}
		json_object_set_new(j, "changes",
				    audit_changes(c, e->entity, e->action, values ? b : was,
						  values ? a : now, values));
		json_decref(was);
		json_decref(now);
		json_object_set_new(j, "before", b ? b : json_null());
		json_object_set_new(j, "after", a ? a : json_null());
	} else {
		json_object_set_new(j, "outcome", json_string(e->action));
		json_object_set_new(j, "outcome_label",
				    json_string(svc_label(c, &enum_login_outcome, e->action)));
		json_object_set_new(j, "user_agent", json_string(e->user_agent));
	}
	return j;
}

/* ---- the logs as spreadsheets ---- */

static const char *changes_cell(struct svc *c, json_t *item)
{
	return audit_changes_text(c, json_object_get(item, "changes"));
}

static const struct sheet_column audit_columns[] = {
	{ "at", NULL, "时间", "Time", 20, true },
	{ "actor", NULL, "用户", "User", 14 },
	{ "action_label", NULL, "操作", "Action", 16 },
	{ "entity_label", NULL, "对象类型", "Entity", 12 },
	{ "entity_id", NULL, "对象编号", "Entity id", 10 },
	{ "changes", NULL, "变更内容", "Changes", 80, false, changes_cell },
	{ "ip", NULL, "IP 地址", "IP address", 16 },
};
static const struct sheet_spec audit_sheet =
	SHEET_SPEC("audit_log", "操作日志", "Audit log", audit_columns);

static const struct sheet_column login_columns[] = {
	{ "at", NULL, "时间", "Time", 20, true },
	{ "username", NULL, "用户名", "User name", 16 },
	{ "outcome_label", NULL, "结果", "Outcome", 20 },
	{ "ip", NULL, "IP 地址", "IP address", 16 },
	{ "user_agent", NULL, "客户端", "Client", 60 },
};
static const struct sheet_spec login_sheet =
	SHEET_SPEC("login_log", "登录日志", "Sign-in log", login_columns);

static px_err list_log(struct svc *c, bool audit, const struct log_filter *f,
		       const struct page_query *p, struct svc_page *out)
{
	struct log_query q = { .q = p->q,
			       .entity = f ? f->entity : NULL,
			       .entity_id = f ? f->entity_id : 0,
			       .page = p->page,
			       .page_size = p->page_size };
	struct log_entry *items;
	size_t n;
	px_err rc = audit ? audit_list(c->db, c->arena, &q, &items, &n, &out->total)
			  : login_log_list(c->db, c->arena, &q, &items, &n, &out->total);
	if (rc)
		return rc;
	bool reads_cadres = svc_has(c, PERM_CADRE_READ);
	out->sheet = audit ? &audit_sheet : &login_sheet;
	out->items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out->items, entry_view(c, &items[i], audit, reads_cadres));
	return PX_OK;
}

px_err svc_audit_list(struct svc *c, const struct log_filter *f, const struct page_query *p,
		      struct svc_page *out)
{
	return list_log(c, true, f, p, out);
}

px_err svc_login_log_list(struct svc *c, const struct page_query *p, struct svc_page *out)
{
	return list_log(c, false, NULL, p, out);
}
