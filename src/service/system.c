/*
 * system.c — health and vocabularies: see system.h.
 */
#include "service/system.h"

#include "store/settings.h"

px_err svc_health(struct svc *c, json_t **out)
{
	int version = 0;
	px_err rc = store_ping(c->db, &version);
	if (rc)
		return PX_ERR_DB;
	*out = json_pack("{ss ss si}", "status", "ok", "database", c->db->drv->name,
			 "schema_version", version);
	return PX_OK;
}

px_err svc_vocabularies(struct svc *c, json_t **out)
{
	static const struct enum_table *const tables[] = {
		&enum_rank_level, &enum_grade,        &enum_category,     &enum_unit_type,
		&enum_status,     &enum_gender,       &enum_region_level, &enum_role,
		&enum_class_kind, &enum_class_status, &enum_session_kind, &enum_room_kind,
		&enum_slot,       &enum_approval,     &enum_enrollment,
	};
	json_t *j = json_object();
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		json_t *arr = json_array();
		for (size_t k = 0; k < tables[i]->n; k++) {
			const struct enum_item *it = &tables[i]->items[k];
			json_array_append_new(arr, json_pack("{ss ss ss ss}", "code", it->code,
							     "label", svc_text(c, it->zh, it->en),
							     "zh", it->zh, "en", it->en));
		}
		json_object_set_new(j, tables[i]->name, arr);
	}
	*out = j;
	return PX_OK;
}
