/*
 * sheets.c — a list as a spreadsheet: the columns a list may show, in order, with their
 * headers in both languages (see sheets.h).
 */
#include "service/sheets.h"

#include <string.h>

#include "files/xlsx_write.h"

/* Columns a list may show in a spreadsheet, in this order, with their headers. */
static const struct {
	const char *key, *zh, *en;
} list_columns[] = {
	{ "at", "时间", "Time" },
	{ "username", "用户名", "User name" },
	{ "display_name", "姓名", "Name" },
	{ "name", "名称", "Name" },
	{ "short_name", "简称", "Short name" },
	{ "type_label", "类型", "Type" },
	{ "level_label", "层级", "Level" },
	{ "role_label", "角色", "Role" },
	{ "region_name", "所属地区", "Region" },
	{ "unit_name", "单位", "Unit" },
	{ "cadre_name", "关联干部", "Cadre" },
	{ "industries", "主导产业", "Industries" },
	{ "cadre_count", "干部人数", "Cadres" },
	{ "unit_count", "单位数", "Units" },
	{ "code", "代码", "Code" },
	{ "action", "操作", "Action" },
	{ "entity", "对象", "Object" },
	{ "entity_id", "对象编号", "Object id" },
	{ "outcome", "结果", "Outcome" },
	{ "ip", "IP 地址", "IP address" },
	{ "user_agent", "客户端", "Client" },
	{ "active", "启用", "Active" },
	{ "locked", "锁定", "Locked" },
	{ "last_login_at", "最近登录", "Last login" },
	{ "created_at", "创建时间", "Created" },
};
#define N_LIST_COLUMNS (sizeof list_columns / sizeof list_columns[0])

static const char *cell_text(struct arena *a, json_t *v, bool en)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return arena_printf(a, "%lld", (long long)json_integer_value(v));
	if (json_is_boolean(v))
		return json_is_true(v) ? (en ? "yes" : "是") : (en ? "no" : "否");
	if (json_is_array(v)) {
		struct buf b = BUF_INIT(4096);
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e)
		{
			if (i)
				buf_puts(&b, en ? ", " : "、");
			if (json_is_string(e))
				buf_puts(&b, json_string_value(e));
		}
		const char *t = arena_strdup(a, b.data ? b.data : "");
		buf_release(&b);
		return t;
	}
	return "";
}

px_err svc_list_sheet(struct svc *c, json_t *items, struct buf *out)
{
	bool en = svc_en(c);
	struct xlsx_column cols[N_LIST_COLUMNS];
	const char *keys[N_LIST_COLUMNS];
	size_t n = 0;
	json_t *first = json_array_get(items, 0);
	for (size_t k = 0; k < N_LIST_COLUMNS; k++) {
		if (first && !json_object_get(first, list_columns[k].key))
			continue;
		keys[n] = list_columns[k].key;
		cols[n] = (struct xlsx_column){ .header = en ? list_columns[k].en
							     : list_columns[k].zh,
						.width = 16 };
		n++;
	}
	struct xlsx_writer *w;
	px_err rc = xlsx_writer_new(NULL, &w);
	if (!rc)
		rc = xlsx_writer_add_sheet(w, en ? "List" : "列表", cols, n);
	size_t i;
	json_t *item;
	struct xlsx_value vals[N_LIST_COLUMNS];
	json_array_foreach(items, i, item)
	{
		if (rc)
			break;
		for (size_t k = 0; k < n; k++)
			vals[k] =
				xlsx_text(cell_text(c->arena, json_object_get(item, keys[k]), en));
		rc = xlsx_writer_add_row(w, vals, n, 0);
	}
	if (!rc)
		rc = xlsx_writer_finish(w, out);
	else
		xlsx_writer_free(w);
	return rc;
}
