/*
 * system.c — health and vocabularies: see system.h.
 */
#include "service/system.h"

#include "store/settings.h"

static const struct view_field health_fields[] = {
	{ "status", VIEW_TEXT, "ok" },
	{ "database", VIEW_TEXT, "sqlite or postgresql" },
	{ "schema_version", VIEW_INT, "The database's schema version" },
};
const struct view_spec svc_health_shape = VIEW_SPEC("Health", health_fields);

static const struct view_field item_fields[] = {
	{ "code", VIEW_TEXT, "The code the API carries" },
	{ "label", VIEW_TEXT, "The label in the caller's language" },
	{ "zh", VIEW_TEXT, "The Chinese label" },
	{ "en", VIEW_TEXT, "The English label" },
};
static const struct view_spec item_shape = VIEW_SPEC("VocabularyItem", item_fields);

/* One member per vocabulary of svc_vocabularies, in its order. */
static const struct view_field vocab_fields[] = {
	{ "rank_level", VIEW_OBJECTS, "The vocabulary rank_level", &item_shape },
	{ "rank_position", VIEW_OBJECTS, "The vocabulary rank_position (正职 / 副职)",
	  &item_shape },
	{ "grade", VIEW_OBJECTS, "The vocabulary grade", &item_shape },
	{ "category", VIEW_OBJECTS, "The vocabulary category", &item_shape },
	{ "unit_type", VIEW_OBJECTS, "The vocabulary unit_type", &item_shape },
	{ "status", VIEW_OBJECTS, "The vocabulary status", &item_shape },
	{ "gender", VIEW_OBJECTS, "The vocabulary gender", &item_shape },
	{ "region_level", VIEW_OBJECTS, "The vocabulary region_level", &item_shape },
	{ "role", VIEW_OBJECTS, "The vocabulary role", &item_shape },
	{ "class_kind", VIEW_OBJECTS, "The vocabulary class_kind", &item_shape },
	{ "class_status", VIEW_OBJECTS, "The vocabulary class_status", &item_shape },
	{ "session_kind", VIEW_OBJECTS, "The vocabulary session_kind", &item_shape },
	{ "room_kind", VIEW_OBJECTS, "The vocabulary room_kind", &item_shape },
	{ "slot", VIEW_OBJECTS, "The vocabulary slot", &item_shape },
	{ "approval", VIEW_OBJECTS, "The vocabulary approval", &item_shape },
	{ "enrollment", VIEW_OBJECTS, "The vocabulary enrollment", &item_shape },
	{ "audit_entity", VIEW_OBJECTS, "The vocabulary audit_entity", &item_shape },
	{ "audit_action", VIEW_OBJECTS, "The vocabulary audit_action", &item_shape },
	{ "login_outcome", VIEW_OBJECTS, "The vocabulary login_outcome", &item_shape },
	{ "hours_kind", VIEW_OBJECTS, "The vocabulary hours_kind", &item_shape },
	{ "window_kind", VIEW_OBJECTS, "The vocabulary window_kind", &item_shape },
	{ "leading", VIEW_OBJECTS, "The vocabulary leading", &item_shape },
	{ "ledger_source", VIEW_OBJECTS, "The vocabulary ledger_source", &item_shape },
	{ "compliance", VIEW_OBJECTS, "The vocabulary compliance", &item_shape },
	{ "report_status", VIEW_OBJECTS, "The vocabulary report_status", &item_shape },
};
const struct view_spec svc_vocab_shape = VIEW_SPEC("Vocabularies", vocab_fields);

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
		&enum_rank_level, &enum_rank_position, &enum_grade,        &enum_category,
		&enum_unit_type,  &enum_status,        &enum_gender,       &enum_region_level,
		&enum_role,       &enum_class_kind,    &enum_class_status, &enum_session_kind,
		&enum_room_kind,  &enum_slot,          &enum_approval,     &enum_enrollment,
	};
	/* the logs' words (what an audit entry is about and did, a login's outcome) */
	static const struct enum_table *const log_tables[] = {
		&enum_audit_entity,
		&enum_audit_action,
		&enum_login_outcome,
	};
	/* the requirements and the hours ledger */
	static const struct enum_table *const ledger_tables[] = {
		&enum_hours_kind,    &enum_window_kind, &enum_leading,
		&enum_ledger_source, &enum_compliance,  &enum_report_status,
	};
	static const struct {
		const struct enum_table *const *t;
		size_t n;
	} groups[] = { { tables, sizeof tables / sizeof tables[0] },
		       { log_tables, sizeof log_tables / sizeof log_tables[0] },
		       { ledger_tables, sizeof ledger_tables / sizeof ledger_tables[0] } };
	json_t *j = json_object();
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
		for (size_t i = 0; i < groups[g].n; i++) {
			const struct enum_table *t = groups[g].t[i];
			json_t *arr = json_array();
			for (size_t k = 0; k < t->n; k++) {
				const struct enum_item *it = &t->items[k];
				json_array_append_new(arr, json_pack("{ss ss ss ss}", "code",
								     it->code, "label",
								     svc_text(c, it->zh, it->en),
								     "zh", it->zh, "en", it->en));
			}
			json_object_set_new(j, t->name, arr);
		}
	*out = j;
	return PX_OK;
}
