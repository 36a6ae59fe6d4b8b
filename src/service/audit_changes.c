/*
 * audit_changes.c — an audit entry as people read it: what changed, field by field, with
 * the field's label and the old and new values in words (see accounts.h).
 *
 * An entry keeps the record's view before and after (svc_commit), or what an action did (an
 * export's rows, a solve's cost). The changes are the members whose values differ — all the
 * members of the side there is for a creation, a deletion or an action. A member's label is
 * the domain's (the field tables the forms and imports validate by: cadre_fields,
 * class_fields …), so the log names a field as the form does; members that are no field of
 * a form (a unit's name beside its id, a session's experts, an export's row count) have a
 * row in `members` below. A value of a vocabulary is its label in the caller's language
 * (not the label stored with the view, which is in the writer's); a record named beside its
 * id is shown by name. What the reader needs not see — ids, versions, timestamps, the labels
 * stored beside codes, counts derived from other records — is left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "domain/cadre.h"
#include "domain/region.h"
#include "domain/training.h"
#include "domain/unit.h"
#include "service/accounts.h"

/* A value longer than this many bytes is cut (a session's description, a long conflict). */
#define VALUE_MAX 300

/* The field table of each entity's views. */
static const struct {
	const char *entity;
	const struct field_def *defs;
	size_t n;
} entity_fields[] = {
	{ "cadre", cadre_fields, CF__COUNT },   { "unit", unit_fields, UF__COUNT },
	{ "region", region_fields, RF__COUNT }, { "plan", plan_fields, PF__COUNT },
	{ "class", class_fields, CLF__COUNT },  { "expert", expert_fields, EF__COUNT },
	{ "room", room_fields, RMF__COUNT },    { "session", session_fields, SF__COUNT },
};

/* Members of views and action records that are no field of a domain table, or that read
 * better with another label or vocabulary than the table's (zh NULL: the table's label). A
 * row of an entity comes before a row for every entity (NULL). */
static const struct member {
	const char *entity, *key, *zh, *en;
	const struct enum_table *choices; /* a code's label; an integer indexes the table */
} members[] = {
	/* a record named beside its id */
	{ NULL, "unit_name", "单位", "Unit", NULL },
	{ NULL, "region_name", "所属地区", "Region", NULL },
	{ NULL, "plan_title", "所属计划", "Plan", NULL },
	{ NULL, "class_name", "培训班", "Class", NULL },
	{ NULL, "cadre_name", "关联干部", "Cadre", NULL },
	{ NULL, "parent_id", "上级(编号)", "Parent (id)", NULL },
	{ NULL, "expert_id", "关联专家(编号)", "Expert (id)", NULL },
	/* accounts */
	{ "user", "username", "用户名", "User name", NULL },
	{ "user", "display_name", "姓名", "Name", NULL },
	{ "user", "role", "角色", "Role", &enum_role },
	{ "user", "active", "启用", "Active", NULL },
	{ "user", "locked", "锁定", "Locked", NULL },
	{ "user", "must_change_password", "须修改密码", "Must change password", NULL },
	/* plans and classes */
	{ "plan", "status", "审批状态", "Approval", &enum_approval },
	{ "class", "approval", "审批状态", "Approval", &enum_approval },
	/* timetables */
	{ "session", "slot", NULL, NULL, &enum_slot },
	{ "session", "preferred_slot", NULL, NULL, &enum_slot },
	{ "session", "experts", "授课专家", "Experts", NULL },
	{ "session", "room", "教室", "Room", NULL },
	{ "session", "room_id", "教室(编号)", "Room (id)", NULL },
	{ "session", "group_rooms", "分组教室", "Group rooms", NULL },
	{ "session", "conflicts", "冲突", "Conflicts", NULL },
	{ "session", "pinned", "固定", "Pinned", NULL },
	{ "session", "time_fixed", "固定时间", "Fixed times", NULL },
	{ "expert", "slots", "标记的半天", "Marked half-days", NULL },
	{ "expert", "availability", NULL, NULL, &enum_availability },
	{ "timetable", "classes", "培训班(编号)", "Classes (ids)", NULL },
	{ "timetable", "sessions", "排定课次", "Sessions placed", NULL },
	{ "timetable", "soft_cost", "软约束代价", "Soft cost", NULL },
	{ "timetable", "iterations", "迭代次数", "Iterations", NULL },
	/* imports, exports, looks at numbers */
	{ "import", "kind", "导入内容", "What", &enum_import_kind },
	{ "import", "status", "结果", "Outcome", &enum_import_status },
	{ "import", "count", "范围外已登记的身份证号", "ID numbers registered elsewhere", NULL },
	{ "import", "shown", "其中已告知", "Of them told", NULL },
	{ "cadre", "fields", "查看的字段", "Fields shown", NULL },
	{ NULL, "filename", "文件名", "File name", NULL },
	{ NULL, "file", "文件", "File", NULL },
	{ NULL, "total_rows", "总行数", "Rows", NULL },
	{ NULL, "imported_rows", "导入行数", "Rows imported", NULL },
	{ NULL, "error_count", "错误数", "Errors", NULL },
	{ NULL, "dry_run", "仅校验", "Check only", NULL },
	{ NULL, "rows", "行数", "Rows", NULL },
	{ NULL, "total", "共计", "In all", NULL },
	{ NULL, "unmasked", "含完整号码", "Full numbers", NULL },
	{ NULL, "query", "查询条件", "Search", NULL },
	/* jobs, the demo */
	{ "job", "kind", "任务类型", "Kind", NULL },
	{ "job", "status", "状态", "Status", NULL },
	{ "job", "cancel_requested", "已请求取消", "Cancel asked", NULL },
	{ "database", "demo", "演示数据", "Demo data", NULL },
};
#define N_MEMBERS (sizeof members / sizeof members[0])

/* Members nobody reads in a change: ids, versions, times, a view's derived counts. */
static const char *const hidden[] = {
	"id",
	"version",
	"created_at",
	"updated_at",
	"booked_only",
	"unit_type",
	"cadre_count",
	"class_count",
	"days",
	"enrolled",
	"session_count",
	"placed_count",
	"session_hours",
	"hours_gap",
	"waiting_for",
	"last_login_at",
	"progress",
	"attempts",
	"started_at",
	"finished_at",
	"result",
	"permissions",
	"approvals",
};

static bool is_hidden(const char *key, json_t *before, json_t *after)
{
	for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
		if (!strcmp(key, hidden[i]))
			return true;
	size_t n = strlen(key);
	/* a code's stored label (the code is shown in the caller's language) */
	if (n > 6 && !strcmp(key + n - 6, "_label"))
		return true;
	/* an id beside its record's name or title */
	if (n > 3 && !strcmp(key + n - 3, "_id")) {
		char name[64];
		for (int k = 0; k < 2; k++) {
			snprintf(name, sizeof name, "%.*s_%s", (int)(n - 3), key,
				 k ? "title" : "name");
			if (json_object_get(before, name) || json_object_get(after, name))
				return true;
		}
	}
	return false;
}

/* The field of the entity's table named key, or NULL. */
static const struct field_def *domain_field(const char *entity, const char *key, size_t *rank)
{
	for (size_t t = 0; t < sizeof entity_fields / sizeof entity_fields[0]; t++) {
		if (strcmp(entity_fields[t].entity, entity))
			continue;
		for (size_t i = 0; i < entity_fields[t].n; i++)
			if (!strcmp(entity_fields[t].defs[i].name, key)) {
				*rank = i;
				return &entity_fields[t].defs[i];
			}
	}
	return NULL;
}

static const struct member *member_of(const char *entity, const char *key, size_t *rank)
{
	for (int generic = 0; generic < 2; generic++)
		for (size_t i = 0; i < N_MEMBERS; i++)
			if (!strcmp(members[i].key, key) &&
			    (generic ? !members[i].entity
				     : members[i].entity && !strcmp(members[i].entity, entity))) {
				*rank = i;
				return &members[i];
			}
	return NULL;
}

/* What a member is called and by which vocabulary its values are read; *rank orders the
 * changes as the form does (its table's order, then the members', then the rest). */
struct member_info {
	const char *label;
	const struct enum_table *choices;
	size_t rank;
};

static struct member_info member_info(struct svc *c, const char *entity, const char *key)
{
	struct member_info m = { key, NULL, 100000 };
	size_t fr = 0, mr = 0, n = strlen(key);
	const struct field_def *d = domain_field(entity, key, &fr);
	if (!d && n > 5 && n < 64 && !strcmp(key + n - 5, "_name")) { /* unit_name: the unit */
		char field[64];
		snprintf(field, sizeof field, "%.*s", (int)(n - 5), key);
		d = domain_field(entity, field, &fr);
	}
	const struct member *x = member_of(entity, key, &mr);
	if (d) {
		m.label = field_label(d, c->lang);
		m.choices = d->choices;
		m.rank = fr;
	} else if (x) {
		m.rank = 1000 + mr;
	}
	if (x && x->zh)
		m.label = svc_text(c, x->zh, x->en);
	if (x && x->choices)
		m.choices = x->choices;
	return m;
}

static void put_value(struct svc *c, struct buf *b, json_t *v, const struct enum_table *choices,
		      int depth);

/* An object inside a value: what names it. */
static void put_object(struct svc *c, struct buf *b, json_t *o, int depth)
{
	static const char *const names[] = { "name", "title", "topic", "message", "label" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		json_t *n = json_object_get(o, names[i]);
		if (json_is_string(n)) {
			buf_puts(b, json_string_value(n));
			return;
		}
	}
	json_t *day = json_object_get(o, "day"), *slot = json_object_get(o, "slot");
	if (json_is_string(day)) { /* a half-day: 2023-02-18 上午 */
		buf_puts(b, json_string_value(day));
		if (slot) {
			buf_putc(b, ' ');
			put_value(c, b, slot, &enum_slot, depth + 1);
		}
		return;
	}
	char *text = json_dumps(o, JSON_COMPACT);
	buf_puts(b, text ? text : "");
	free(text);
}

static void put_value(struct svc *c, struct buf *b, json_t *v, const struct enum_table *choices,
		      int depth)
{
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		buf_puts(b, choices && *s ? enum_label(choices, s, c->lang) : s);
	} else if (json_is_boolean(v)) {
		buf_puts(b, json_is_true(v) ? svc_text(c, "是", "yes") : svc_text(c, "否", "no"));
	} else if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);
		if (choices && i >= 0 && (size_t)i < choices->n)
			buf_puts(b, svc_text(c, choices->items[i].zh, choices->items[i].en));
		else
			buf_printf(b, "%lld", (long long)i);
	} else if (json_is_real(v)) {
		buf_printf(b, "%.15g", json_real_value(v));
	} else if (json_is_array(v) && depth < 3) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e)
		{
			if (i)
				buf_puts(b, svc_text(c, "、", ", "));
			put_value(c, b, e, choices, depth + 1);
		}
	} else if (json_is_object(v) && depth < 3) {
		put_object(c, b, v, depth);
	}
}

/* A member's value in words, in the arena; NULL for none (absent, null, the id 0). */
static const char *value_text(struct svc *c, const char *key, json_t *v,
			      const struct enum_table *choices)
{
	size_t kn = strlen(key);
	if (!v || json_is_null(v) ||
	    (kn > 3 && !strcmp(key + kn - 3, "_id") && json_is_integer(v) &&
	     !json_integer_value(v)))
		return NULL;
	struct buf b = BUF_INIT(VALUE_MAX * 4);
	put_value(c, &b, v, choices, 0);
	size_t n = b.len;
	if (n > VALUE_MAX) { /* cut at a character's start */
		n = VALUE_MAX;
		while (n > 0 && ((unsigned char)b.data[n] & 0xC0) == 0x80)
			n--;
	}
	const char *s =
		b.data ? arena_printf(c->arena, "%.*s%s", (int)n, b.data, n < b.len ? "…" : "")
		       : "";
	buf_release(&b);
	return s;
}

/* An empty value: a creation or a deletion leaves it out — also no and 0 (of a record: not
 * off-site, batch 0), which an action's record keeps (a solve's cost 0). */
static bool empty(json_t *v, bool record)
{
	return !v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)) ||
	       (json_is_array(v) && !json_array_size(v)) ||
	       (json_is_object(v) && !json_object_size(v)) ||
	       (record && (json_is_false(v) || (json_is_integer(v) && !json_integer_value(v)) ||
			   (json_is_real(v) && json_real_value(v) == 0)));
}

struct change {
	const char *key;
	struct member_info m;
};

static int by_rank(const void *a, const void *b)
{
	const struct change *x = a, *y = b;
	if (x->m.rank != y->m.rank)
		return x->m.rank < y->m.rank ? -1 : 1;
	return strcmp(x->key, y->key);
}

json_t *audit_changes(struct svc *c, const char *entity, const char *action, json_t *before,
		      json_t *after, bool values)
{
	bool record = !strcmp(action, "create") || !strcmp(action, "delete");
	json_t *out = json_array();
	if (!json_is_object(before))
		before = NULL;
	if (!json_is_object(after))
		after = NULL;
	size_t cap = json_object_size(before) + json_object_size(after), n = 0;
	if (!cap)
		return out;
	struct change *ch = arena_alloc(c->arena, cap * sizeof *ch);
	json_t *sides[2] = { after, before };
	for (int k = 0; k < 2; k++) {
		const char *key;
		json_t *v;
		json_object_foreach(sides[k], key, v)
		{
			json_t *other = json_object_get(sides[1 - k], key);
			if (k == 1 && after && other)
				continue; /* seen from the after side */
			if (is_hidden(key, before, after))
				continue;
			/* both sides: what differs; one side: what it holds */
			if (before && after ? other && json_equal(v, other) : empty(v, record))
				continue;
			ch[n++] = (struct change){ key, member_info(c, entity, key) };
		}
	}
	qsort(ch, n, sizeof *ch, by_rank);
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_pack("{ss ss}", "field", ch[i].key, "label", ch[i].m.label);
		const char *b =
			values ? value_text(c, ch[i].key, json_object_get(before, ch[i].key),
					    ch[i].m.choices)
			       : NULL;
		const char *a = values ? value_text(c, ch[i].key, json_object_get(after, ch[i].key),
						    ch[i].m.choices)
				       : NULL;
		json_object_set_new(e, "before", b ? json_string(b) : json_null());
		json_object_set_new(e, "after", a ? json_string(a) : json_null());
		json_array_append_new(out, e);
	}
	return out;
}

const char *audit_changes_text(struct svc *c, json_t *changes)
{
	struct buf b = BUF_INIT(64 * 1024);
	size_t i;
	json_t *e;
	json_array_foreach(changes, i, e)
	{
		const char *before = json_string_value(json_object_get(e, "before"));
		const char *after = json_string_value(json_object_get(e, "after"));
		if (i)
			buf_puts(&b, svc_text(c, "；", "; "));
		buf_puts(&b, json_string_value(json_object_get(e, "label")));
		if (!before && !after)
			continue;
		buf_puts(&b, svc_text(c, "：", ": "));
		if (before)
			buf_puts(&b, *before ? before : "—");
		if (before && after)
			buf_puts(&b, " → ");
		if (after)
			buf_puts(&b, *after ? after : "—");
	}
	const char *s = arena_strdup(c->arena, b.data ? b.data : "");
	buf_release(&b);
	return s;
}
