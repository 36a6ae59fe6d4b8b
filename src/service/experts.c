/*
 * experts.c — experts (师资库) and their half-day availability: see training.h.
 *
 * Every region may use every expert (a party school invites lecturers from anywhere), so
 * reading one needs no scope; changing one is for the region that keeps it (svc_kept_here). The
 * marked half-days are replaced as a whole with the record, in its transaction.
 */
#include <string.h>

#include "base/date.h"
#include "service/training.h"
#include "service/sheets.h"
#include "store/training.h"

static px_err expert_get(struct svc *c, int64_t id, void *row)
{
	return experts_get(c->db, c->arena, id, row);
}

/* Shared for use across regions: every caller with expert.read sees every expert. */
static px_err expert_visible(struct svc *c, enum perm perm, const void *row)
{
	(void)c;
	(void)perm;
	(void)row;
	return PX_OK;
}

static json_t *expert_json(struct svc *c, const struct expert *e, bool with_slots)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(e->id));
	json_object_set_new(j, "name", json_string(e->name));
	json_object_set_new(j, "institution", json_string(e->institution));
	json_object_set_new(j, "title", json_string(e->title));
	json_object_set_new(j, "topics", json_string(e->topics));
	json_object_set_new(j, "bio", json_string(e->bio));
	json_object_set_new(j, "availability", json_string(e->availability));
	json_object_set_new(j, "version", json_integer(e->version));
	if (with_slots) {
		struct expert_slot *slots;
		size_t n;
		json_t *arr = json_array();
		if (!expert_slots_get(c->db, c->arena, e->id, &slots, &n))
			for (size_t i = 0; i < n; i++)
				json_array_append_new(arr, json_pack("{ss si}", "day", slots[i].day,
								     "slot", slots[i].slot));
		json_object_set_new(j, "slots", arr);
	}
	return j;
}

/* The record with its marked half-days: a single expert's reply and its audit entries. */
static json_t *expert_view(struct svc *c, const void *row)
{
	return expert_json(c, row, true);
}

/* A row of the list: without the half-days (a query each). */
static json_t *expert_brief(struct svc *c, const void *row)
{
	return expert_json(c, row, false);
}

static const struct view_field slot_view_fields[] = {
	{ "day", VIEW_TEXT, "The day (YYYY-MM-DD)" },
	{ "slot", VIEW_INT, "0 morning, 1 afternoon, 2 evening" },
};
static const struct view_spec slot_shape = VIEW_SPEC("ExpertHalfDay", slot_view_fields);

static const struct view_field expert_view_fields[] = {
	{ "id", VIEW_INT, "Id" },
	{ "name", VIEW_TEXT, "Name" },
	{ "institution", VIEW_TEXT, "Where the expert works" },
	{ "title", VIEW_TEXT, "Title or post" },
	{ "topics", VIEW_TEXT, "What the expert lectures on" },
	{ "bio", VIEW_TEXT, "Biography" },
	{ "availability", VIEW_TEXT,
	  "open: any half-day but the marked ones; restricted: only the marked ones" },
	{ "version", VIEW_INT, "Send it back with an update (optimistic locking)" },
	{ "slots", VIEW_OBJECTS, "The marked half-days (one expert; not in the list)", &slot_shape,
	  true },
};
const struct view_spec svc_expert_shape = VIEW_SPEC("Expert", expert_view_fields);

const struct svc_kind svc_expert_kind = {
	.entity = "expert",
	.row_size = sizeof(struct expert),
	.get = expert_get,
	.visible = expert_visible,
	.view = expert_view,
	.shape = &svc_expert_shape,
};

static const char *availability_cell(struct svc *c, json_t *item)
{
	return svc_label(c, &enum_availability,
			 json_string_value(json_object_get(item, "availability")));
}

static const struct sheet_column expert_columns[] = {
	{ "name", &expert_fields[EF_NAME] },
	{ "title", &expert_fields[EF_TITLE], NULL, NULL, 20 },
	{ "institution", &expert_fields[EF_INSTITUTION], NULL, NULL, 28 },
	{ "topics", &expert_fields[EF_TOPICS], NULL, NULL, 40 },
	{ "availability", &expert_fields[EF_AVAILABILITY], NULL, NULL, 14, false,
	  availability_cell },
};
static const struct sheet_spec expert_sheet =
	SHEET_SPEC("expert", "师资库", "Experts", expert_columns);

static const struct svc_kind expert_list_kind = {
	.entity = "expert",
	.row_size = sizeof(struct expert),
	.get = expert_get,
	.visible = expert_visible,
	.view = expert_brief,
	.shape = &svc_expert_shape,
	.sheet = &expert_sheet,
};

static px_err list_experts(struct svc *c, const void *query, void **rows, size_t *n, int64_t *total)
{
	const struct page_query *p = query;
	return experts_list(c->db, c->arena, p->q, p->page, p->page_size, (struct expert **)rows, n,
			    total);
}

px_err svc_experts_list(struct svc *c, const struct page_query *p, struct svc_page *out)
{
	return svc_list_generic(c, &expert_list_kind, list_experts, p, out);
}

px_err svc_expert_get(struct svc *c, int64_t id, json_t **out)
{
	struct expert e;
	px_err rc = svc_load(c, &svc_expert_kind, PERM_EXPERT_READ, id, &e);
	if (!rc)
		*out = expert_view(c, &e);
	return rc;
}

/* What a create or an update writes: the record and, unless n is SIZE_MAX (not given), its
 * marked half-days. */
struct expert_write {
	struct expert e;
	struct expert_slot *slots;
	size_t n;
	int64_t version;
};

/* "slots": [{"day":"2023-02-18","slot":0}, …] into w (n = SIZE_MAX when absent). */
static px_err slots_of_form(struct svc *c, json_t *v, int64_t expert_id, struct expert_write *w)
{
	w->n = SIZE_MAX;
	if (!v)
		return PX_OK;
	if (!json_is_array(v) || json_array_size(v) > 2000) {
		svc_problem(c, "slots", "invalid", "可授课时段应为 {day, slot} 的列表",
			    "slots must be a list of {day, slot}");
		return PX_ERR_INVALID;
	}
	w->n = json_array_size(v);
	w->slots = arena_alloc(c->arena, (w->n + 1) * sizeof *w->slots);
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e)
	{
		const char *day = json_string_value(json_object_get(e, "day"));
		json_t *slot = json_object_get(e, "slot");
		int32_t d = day ? date_parse(day, strlen(day)) : DATE_NONE;
		if (d == DATE_NONE || !json_is_integer(slot) || json_integer_value(slot) < 0 ||
		    json_integer_value(slot) > 2) {
			problems_add(c->problems, (long)i + 1, "slots", "invalid", "%s",
				     svc_text(c, "时段须有有效日期和 0–2 的时段号",
					      "a slot needs a valid day and slot 0–2"));
			return PX_ERR_INVALID;
		}
		w->slots[i].expert_id = expert_id;
		date_format(d, w->slots[i].day);
		w->slots[i].slot = (int)json_integer_value(slot);
	}
	return PX_OK;
}

/* Validate the form into w: the fields first, then (when they are right) the half-days. */
static px_err expert_of_form(struct svc *c, const struct expert_form *f, int64_t expert_id,
			     struct expert_write *w)
{
	struct field_ctx fc = { .pb = c->problems, .arena = c->arena, .lang = c->lang };
	expert_validate(&fc, &f->in, &w->e);
	px_err rc = svc_problems_rc(c);
	return rc ? rc : slots_of_form(c, f->slots, expert_id, w);
}

static px_err write_slots(struct svc *c, const struct expert_write *w)
{
	return w->n == SIZE_MAX ? PX_OK : expert_slots_set(c->db, w->e.id, w->slots, w->n);
}

static px_err insert_expert(struct svc *c, void *input, int64_t *id)
{
	struct expert_write *w = input;
	px_err rc = experts_insert(c->db, &w->e);
	for (size_t i = 0; !rc && w->n != SIZE_MAX && i < w->n; i++)
		w->slots[i].expert_id = w->e.id;
	if (!rc)
		rc = write_slots(c, w);
	*id = w->e.id;
	return rc;
}

px_err svc_expert_create(struct svc *c, const struct expert_form *f, json_t **out)
{
	struct expert_write w = { 0 };
	px_err rc = expert_of_form(c, f, 0, &w);
	if (rc)
		return rc;
	w.e.region_id = c->who->region_id;
	return svc_create_generic(c, &svc_expert_kind, insert_expert, &w, NULL, out);
}

static px_err update_expert(struct svc *c, const void *before, void *input)
{
	(void)before;
	struct expert_write *w = input;
	px_err rc = experts_update(c->db, &w->e, w->version);
	return rc ? rc : write_slots(c, w);
}

px_err svc_expert_update(struct svc *c, int64_t id, const struct expert_form *f, json_t **out)
{
	struct expert before;
	px_err rc = svc_load(c, &svc_expert_kind, PERM_EXPERT_WRITE, id, &before);
	if (!rc)
		rc = svc_kept_here(c, before.region_id);
	if (rc)
		return rc;
	struct expert_write w = { .version = f->version >= 0 ? f->version : before.version };
	if ((rc = expert_of_form(c, f, id, &w)))
		return rc;
	w.e.id = id;
	return svc_update_generic(c, &svc_expert_kind, "update", &before, id, update_expert, &w,
				  out);
}
