/*
 * stats.c — the figures behind the dashboards (see registry.h: svc_stats_overview).
 *
 * Everything is counted inside the caller's scope for stats.read: a county's viewer sees
 * its county, a city's the whole city.
 */
#include <string.h>

#include "service/registry.h"
#include "store/registry.h"

static const struct view_field type_fields[] = {
	{ "code", VIEW_TEXT, "Unit type" },
	{ "label", VIEW_TEXT, "Its label" },
};
static const struct view_spec type_shape = VIEW_SPEC("UnitTypeLabel", type_fields);
static const struct view_field series_fields[] = {
	{ "code", VIEW_TEXT, "Rank level" },
	{ "label", VIEW_TEXT, "Its label" },
	{ "data", VIEW_INTS, "Cadres of this rank per unit type, in unit_types' order" },
};
static const struct view_spec series_shape = VIEW_SPEC("RankSeries", series_fields);
static const struct view_field matrix_fields[] = {
	{ "unit_types", VIEW_OBJECTS, "The categories", &type_shape },
	{ "series", VIEW_OBJECTS, "One series per rank level, senior first", &series_shape },
};
static const struct view_spec matrix_shape = VIEW_SPEC("RankByUnitType", matrix_fields);
static const struct view_field stats_fields[] = {
	{ "cadres", VIEW_INT, "Cadres in the caller's scope" },
	{ "units", VIEW_INT, "Units in it" },
	{ "heads", VIEW_INT, "Serving first-in-command leaders (一把手)" },
	{ "by_rank_and_unit_type", VIEW_OBJECT, "Cadres by rank level per unit type",
	  &matrix_shape },
};
const struct view_spec svc_stats_shape = VIEW_SPEC("Overview", stats_fields);

px_err svc_stats_overview(struct svc *c, json_t **out)
{
	struct scope_filter f = svc_scope(c, PERM_STATS_READ);
	struct rank_count *rows;
	size_t n;
	px_err rc = cadres_count_by_rank_and_unit_type(c->db, c->arena, &f, &rows, &n);
	if (rc)
		return rc;
	/* A matrix: one series per rank level, one category per unit type (both in table
	 * order so charts read senior → junior). */
	json_t *types = json_array(), *series = json_array();
	int64_t total = 0;
	for (size_t t = 0; t < enum_unit_type.n; t++)
		json_array_append_new(
			types,
			json_pack("{ss ss}", "code", enum_unit_type.items[t].code, "label",
				  svc_label(c, &enum_unit_type, enum_unit_type.items[t].code)));
	for (size_t k = 0; k < enum_rank_level.n; k++) {
		const char *rank = enum_rank_level.items[k].code;
		json_t *data = json_array();
		for (size_t t = 0; t < enum_unit_type.n; t++) {
			int64_t count = 0;
			for (size_t i = 0; i < n; i++)
				if (!strcmp(rows[i].rank_level, rank) &&
				    !strcmp(rows[i].unit_type, enum_unit_type.items[t].code))
					count = rows[i].count;
			total += count;
			json_array_append_new(data, json_integer(count));
		}
		json_array_append_new(series, json_pack("{ss ss so}", "code", rank, "label",
							svc_label(c, &enum_rank_level, rank),
							"data", data));
	}
	struct unit_query uq = { .scope = f, .page = 1, .page_size = 1 };
	struct unit_row *urows;
	size_t un;
	int64_t units = 0;
	struct cadre_query cq = {
		.scope = f, .is_head = 1, .status = "active", .page = 1, .page_size = 1
	};
	struct cadre_row *crows;
	size_t cn;
	int64_t heads = 0;
	if (!(rc = units_list(c->db, c->arena, &uq, &urows, &un, &units)))
		rc = cadres_list(c->db, c->arena, NULL, &cq, &crows, &cn, &heads);
	if (rc) {
		json_decref(types);
		json_decref(series);
		return rc;
	}
	*out = json_pack("{sI sI sI s{so so}}", "cadres", (json_int_t)total, "units",
			 (json_int_t)units, "heads", (json_int_t)heads, "by_rank_and_unit_type",
			 "unit_types", types, "series", series);
	return PX_OK;
}
