/*
 * cadres.c — the registry of cadres (干部): see registry.h.
 *
 * Lists and single reads show ID and phone numbers masked, whatever the role; the full
 * numbers come only from svc_cadre_reveal, which needs cadre.reveal and leaves an audit
 * entry naming who looked. The birth date, which is 8 of the number's digits, is shown in
 * full only to a caller who may reveal the cadre's numbers anyway; anyone else reads its
 * year and month, and sorts by those (domain/mask.h: what the rest leaves undetermined). Writes go
 * through cadre_validate (the same rules as the importer), refuse a second cadre with the same ID
 * number (saying nothing of where it is registered), keep every career change as history, and write
 * the audit entry in the same transaction with masked numbers only.
 */
#include <string.h>

#include "base/date.h"
#include "base/jsonw.h"
#include "domain/mask.h"
#include "service/app.h"
#include "service/exports.h"
#include "service/ledger.h"
#include "service/registry.h"
#include "store/registry.h"
#include "store/training.h"

static px_err cadre_get(struct svc *c, int64_t id, void *row)
{
	return cadres_get(c->db, c->arena, id, row);
}

static px_err cadre_visible(struct svc *c, enum perm perm, const void *row)
{
	const struct cadre_row *r = row;
	struct scope_filter f = svc_scope(c, perm);
	if (f.scope == SCOPE_CLASSES) { /* a class manager: the trainees on its rosters */
		bool yes = false;
		px_err rc = enrollments_managed_by(c->db, c->who->user_id, r->c.id, &yes);
		return rc ? rc : yes ? PX_OK : PX_ERR_NOT_FOUND;
	}
	struct scope_target t = { .region_path = r->region_path,
				  .unit_id = r->c.unit_id,
				  .cadre_id = r->c.id };
	return scope_contains(c->who, f.scope, &t) ? PX_OK : PX_ERR_NOT_FOUND;
}

/* A time as ISO 8601 text, or null for 0. */
static void jw_time(struct jsonw *w, const char *key, int64_t t)
{
	jw_key(w, key);
	if (t <= 0) {
		jw_null(w);
		return;
	}
	char s[21];
	jw_str(w, time_format_iso(t, s));
}

/* May the caller read this cadre's birth date in full: may it reveal the cadre's numbers? */
static bool sees_birth_date(struct svc *c, const struct cadre_row *row)
{
	struct scope_target t = { .region_path = row->region_path,
				  .unit_id = row->c.unit_id,
				  .cadre_id = row->c.id };
	return svc_may(c, PERM_CADRE_REVEAL, &t);
}

/* The view of a cadre straight into a JSON writer (the fast path of lists). */
static void cadre_write(struct svc *c, struct jsonw *w, const struct cadre_row *row)
{
	const struct cadre *d = &row->c;
	char month[8];
	mask_birth_month(d->birth_date, month);
	jw_object(w);
	jw_kint(w, "id", d->id);
	jw_kstr(w, "name", d->name);
	jw_kstr(w, "gender", d->gender);
	jw_kstr(w, "gender_label", svc_label(c, &enum_gender, d->gender));
	jw_kstr(w, "birth_date", sees_birth_date(c, row) ? d->birth_date : month);
	jw_kstr(w, "id_number", d->id_number);
	jw_kstr(w, "phone", d->phone ? d->phone : "");
	jw_kint(w, "unit_id", d->unit_id);
	jw_kstr(w, "unit_name", row->unit_name);
	jw_kstr(w, "unit_type", row->unit_type);
	jw_kstr(w, "post", d->post ? d->post : "");
	jw_kbool(w, "is_head", d->is_head > 0);
	jw_kstr(w, "rank_level", d->rank_level);
	jw_kstr(w, "rank_level_label", svc_label(c, &enum_rank_level, d->rank_level));
	jw_kstr(w, "rank_position", d->rank_position ? d->rank_position : "");
	jw_kstr(w, "rank_position_label",
		d->rank_position && *d->rank_position
			? svc_label(c, &enum_rank_position, d->rank_position)
			: "");
	jw_kstr(w, "grade", d->grade ? d->grade : "");
	jw_kstr(w, "grade_label", d->grade && *d->grade ? svc_label(c, &enum_grade, d->grade) : "");
	jw_kstr(w, "category", d->category);
	jw_kstr(w, "category_label", svc_label(c, &enum_category, d->category));
	jw_kstr(w, "post_date", d->post_date ? d->post_date : "");
	jw_kstr(w, "promotion_date", d->promotion_date ? d->promotion_date : "");
	jw_kstr(w, "status", d->status);
	jw_kstr(w, "status_label", svc_label(c, &enum_status, d->status));
	jw_kint(w, "version", row->version);
	jw_time(w, "created_at", row->created_at);
	jw_time(w, "updated_at", row->updated_at);
	jw_end(w);
}

static json_t *cadre_view(struct svc *c, const void *row)
{
	struct buf b = BUF_INIT(0);
	struct jsonw w = JSONW_INIT(&b);
	cadre_write(c, &w, row);
	json_t *j = json_loadb(b.data, b.len, 0, NULL);
	buf_release(&b);
	return j ? j : json_object();
}

static const struct view_field cadre_view_fields[] = {
	{ "id", VIEW_INT, "Id" },
	{ "name", VIEW_TEXT, "Name" },
	{ "gender", VIEW_TEXT, "M or F" },
	{ "gender_label", VIEW_TEXT, "男 / 女 (or English)" },
	{ "birth_date", VIEW_TEXT,
	  "Birth date as the caller may see it: YYYY-MM-DD with cadre.reveal, else YYYY-MM" },
	{ "id_number", VIEW_TEXT, "The ID number, masked to its region code (350583************)" },
	{ "phone", VIEW_TEXT, "The phone number, masked" },
	{ "unit_id", VIEW_INT, "Unit" },
	{ "unit_name", VIEW_TEXT, "Its name" },
	{ "unit_type", VIEW_TEXT, "Its type" },
	{ "post", VIEW_TEXT, "Post (职务)" },
	{ "is_head", VIEW_BOOL, "First-in-command (一把手)" },
	{ "rank_level", VIEW_TEXT, "Rank level code (职级层次)" },
	{ "rank_level_label", VIEW_TEXT, "Its label" },
	{ "rank_position", VIEW_TEXT, "chief (正职), deputy (副职) or \"\" (not said)" },
	{ "rank_position_label", VIEW_TEXT, "Its label; \"\" when not said" },
	{ "grade", VIEW_TEXT, "Civil-service grade code; \"\" when none" },
	{ "grade_label", VIEW_TEXT, "Its label" },
	{ "category", VIEW_TEXT, "Category code (干部类别)" },
	{ "category_label", VIEW_TEXT, "Its label" },
	{ "post_date", VIEW_TEXT, "In the current post since (YYYY-MM-DD or \"\")" },
	{ "promotion_date", VIEW_TEXT, "Promoted on (YYYY-MM-DD or \"\")" },
	{ "status", VIEW_TEXT, "active, transferred or retired" },
	{ "status_label", VIEW_TEXT, "Its label" },
	{ "version", VIEW_INT, "Send it back with an update (optimistic locking)" },
	{ "created_at", VIEW_TIME, "When it was registered" },
	{ "updated_at", VIEW_TIME, "When it last changed" },
};
const struct view_spec svc_cadre_shape = VIEW_SPEC("Cadre", cadre_view_fields);

static const struct view_field history_view_fields[] = {
	{ "id", VIEW_INT, "Id" },
	{ "field", VIEW_TEXT, "unit, post, rank_level, grade, category, status or is_head" },
	{ "field_label", VIEW_TEXT, "Its label" },
	{ "old_value", VIEW_TEXT, "Before (a code, or the unit's id)" },
	{ "new_value", VIEW_TEXT, "After" },
	{ "old_label", VIEW_TEXT, "Before, as people read it" },
	{ "new_label", VIEW_TEXT, "After, as people read it" },
	{ "effective_date", VIEW_TEXT, "When it took effect" },
	{ "reason", VIEW_TEXT, "Why" },
	{ "changed_at", VIEW_TIME, "When it was recorded" },
	{ "changed_by", VIEW_TEXT, "Who recorded it" },
};
const struct view_spec svc_cadre_history_shape = VIEW_SPEC("CadreChange", history_view_fields);

static const struct view_field reveal_view_fields[] = {
	{ "id", VIEW_INT, "The cadre" },
	{ "id_number", VIEW_TEXT, "The ID number, unmasked" },
	{ "phone", VIEW_TEXT, "The phone number, unmasked" },
};
const struct view_spec svc_cadre_reveal_shape = VIEW_SPEC("CadreNumbers", reveal_view_fields);

const struct svc_kind svc_cadre_kind = {
	.entity = "cadre",
	.row_size = sizeof(struct cadre_row),
	.get = cadre_get,
	.visible = cadre_visible,
	.view = cadre_view,
	.shape = &svc_cadre_shape,
	.stale_zh = "该干部信息已被他人修改,请刷新后重试",
	.stale_en = "Someone else changed this cadre; reload and retry",
};

static struct cadre_query cadre_query_of(struct svc *c, enum perm perm,
					 const struct cadre_filter *f, const char *q)
{
	return (struct cadre_query){
		.scope = svc_scope(c, perm),
		.region_id = f->region_id,
		.unit_id = f->unit_id,
		.q = field_search_text(c->arena, q),
		.rank_level = f->rank_level && *f->rank_level ? f->rank_level : NULL,
		.category = f->category && *f->category ? f->category : NULL,
		.status = f->status && *f->status ? f->status : NULL,
		.is_head = f->is_head,
		/* perm.c grants cadre.reveal in the scope of cadre.read or not at all */
		.birth_month_only = !svc_has(c, PERM_CADRE_REVEAL),
	};
}

struct page_writer {
	struct svc *c;
	struct jsonw *w;
};

static void write_row(void *ctx, const void *row)
{
	struct page_writer *o = ctx;
	cadre_write(o->c, o->w, row);
}

px_err svc_cadres_write_page(struct svc *c, const struct cadre_filter *f,
			     const struct page_query *p, struct jsonw *w, int64_t *total,
			     bool *capped)
{
	struct cadre_query q = cadre_query_of(c, PERM_CADRE_READ, f, p->q);
	q.sort = p->sort;
	q.page = p->page;
	q.page_size = p->page_size;
	struct page_writer out = { c, w };
	jw_array(w);
	px_err rc = cadres_each(c->db, c->arena, svc_keys(c), &q, write_row, &out, total);
	jw_end(w);
	*capped = q.q && *q.q && *total > CADRES_SEARCH_TOTAL_MAX;
	if (*capped)
		*total = CADRES_SEARCH_TOTAL_MAX;
	return rc;
}

px_err svc_cadre_get(struct svc *c, int64_t id, json_t **out)
{
	struct cadre_row r;
	px_err rc = svc_load(c, &svc_cadre_kind, PERM_CADRE_READ, id, &r);
	if (!rc)
		*out = cadre_view(c, &r);
	return rc;
}

/* Validate the form into d: the fields of cadre_validate and the unit, which must lie
 * inside the caller's write scope. */
static px_err cadre_of_form(struct svc *c, const struct cadre_form *f, struct cadre *d)
{
	struct field_ctx fc = {
		.pb = c->problems, .arena = c->arena, .lang = c->lang, .today = date_today_cst()
	};
	cadre_validate(&fc, &f->in, d);
	if (f->unit_id <= 0) {
		svc_problem(c, "unit_id", "required", "单位不能为空", "Unit is required");
	} else {
		struct unit_row u = { 0 };
		px_err rc = units_get(c->db, c->arena, f->unit_id, &u);
		rc = svc_check_reference(
			c, rc, PERM_CADRE_WRITE,
			&(struct scope_target){ .region_path = u.region_path, .unit_id = u.u.id },
			"unit_id", "单位不存在或不在您的管理范围内",
			"Unit: no such unit in your scope");
		if (rc)
			return rc;
		d->unit_id = f->unit_id;
	}
	if (f->change_reason && strlen(f->change_reason) > 300)
		svc_problem(c, "change_reason", "too_long", "变动原因过长",
			    "The reason is too long");
	return svc_problems_rc(c);
}

static px_err duplicate_id(struct svc *c)
{
	svc_problem(c, "id_number", "duplicate", "该身份证号已登记,不能重复录入",
		    "A cadre with this ID number is already registered");
	return PX_ERR_CONFLICT;
}

/* Seal the personal fields and refuse a number registered on another cadre. */
static px_err seal_unique(struct svc *c, const struct cadre *d, int64_t self,
			  struct cadre_sealed *z)
{
	px_err rc = cadre_seal(svc_keys(c), d, z);
	bool exists = false;
	if (!rc)
		rc = cadres_id_hash_exists(c->db, z->id_hash, self, &exists);
	return rc ? rc : exists ? duplicate_id(c) : PX_OK;
}

struct cadre_write_input {
	struct cadre d;
	struct cadre_sealed z;
	int64_t version;
	const char *reason, *effective_date;
};

static px_err insert_cadre(struct svc *c, void *input, int64_t *id)
{
	struct cadre_write_input *in = input;
	px_err rc = cadres_insert(c->db, &in->d, &in->z, time_now(), true);
	*id = in->d.id;
	return rc == PX_ERR_CONFLICT ? duplicate_id(c) : rc;
}

px_err svc_cadre_create(struct svc *c, const struct cadre_form *f, json_t **out)
{
	struct cadre_write_input in = { 0 };
	px_err rc = cadre_of_form(c, f, &in.d);
	if (!rc)
		rc = seal_unique(c, &in.d, 0, &in.z);
	return rc ? rc : svc_create_generic(c, &svc_cadre_kind, insert_cadre, &in, NULL, out);
}

/* The row, then one history entry per changed career field (labels in the caller's
 * language, the unit by name). */
static px_err update_cadre(struct svc *c, const void *before, void *input)
{
	const struct cadre_row *b = before;
	struct cadre_write_input *in = input;
	px_err rc = cadres_update(c->db, b, &in->d, &in->z, in->version);
	struct cadre_change ch[CADRE_CAREER_FIELDS];
	size_t n = rc ? 0 : cadre_career_changes(c->arena, &b->c, &in->d, ch);
	int64_t now = time_now();
	for (size_t i = 0; !rc && i < n; i++) {
		struct cadre_history h = { .field = ch[i].field,
					   .old_value = ch[i].old_value,
					   .new_value = ch[i].new_value,
					   .effective_date = in->effective_date,
					   .reason = in->reason,
					   .changed_at = now,
					   .changed_by = c->who->user_id };
		h.old_label = ch[i].labels ? svc_label(c, ch[i].labels, h.old_value) : h.old_value;
		h.new_label = ch[i].labels ? svc_label(c, ch[i].labels, h.new_value) : h.new_value;
		if (!strcmp(h.field, "unit")) {
			struct unit_row nu;
			rc = units_get(c->db, c->arena, in->d.unit_id, &nu);
			h.old_label = b->unit_name;
			h.new_label = rc ? "" : nu.u.name;
		}
		if (!rc)
			rc = cadres_history_add(c->db, b->c.id, &h);
	}
	/* a change of what the requirement rules look at judges the cadre again, in the same
	 * transaction (docs/ledger.md) */
	bool judged = false;
	for (size_t i = 0; i < n; i++)
		judged |= strcmp(ch[i].field, "post") !=
			  0; /* the unit too: compliance rows carry it */
	if (!rc && judged)
		rc = svc_ledger_reevaluate_tx(c, b->c.id);
	return rc;
}

px_err svc_cadre_update(struct svc *c, int64_t id, const struct cadre_form *f, json_t **out)
{
	struct cadre_row before;
	px_err rc = svc_load(c, &svc_cadre_kind, PERM_CADRE_WRITE, id, &before);
	if (rc)
		return rc;
	/* An ID number or phone left out keeps the stored one. */
	struct buf idn = BUF_INIT(64), phone = BUF_INIT(64);
	struct cadre_form form = *f;
	if ((rc = cadres_reveal(c->db, svc_keys(c), id, &idn, &phone)))
		goto out;
	if (!form.id_number_sent)
		form.in.v[CF_ID_NUMBER] = idn.data ? idn.data : "";
	if (!form.phone_sent)
		form.in.v[CF_PHONE] = phone.data ? phone.data : "";
	struct cadre_write_input in = { .version = f->version >= 0 ? f->version : before.version,
					.reason = f->change_reason,
					.effective_date = f->effective_date };
	rc = cadre_of_form(c, &form, &in.d);
	if (!rc)
		rc = seal_unique(c, &in.d, id, &in.z);
	if (!rc)
		rc = svc_update_generic(c, &svc_cadre_kind, "update", &before, id, update_cadre,
					&in, out);
out:
	buf_release(&idn);
	buf_release(&phone);
	return rc;
}

/* The labels of the history's field names. */
static const struct {
	const char *field, *zh, *en;
} history_names[] = {
	{ "unit", "单位", "Unit" },
	{ "post", "职务", "Post" },
	{ "rank_level", "职级层次", "Rank level" },
	{ "grade", "公务员职级", "Grade" },
	{ "category", "干部类别", "Category" },
	{ "status", "状态", "Status" },
	{ "is_head", "一把手", "First-in-command" },
};

px_err svc_cadre_history(struct svc *c, int64_t id, struct svc_page *out)
{
	struct cadre_row r;
	px_err rc = svc_load(c, &svc_cadre_kind, PERM_CADRE_READ, id, &r);
	struct cadre_history *h;
	size_t n;
	if (rc || (rc = cadres_history(c->db, c->arena, r.c.id, &h, &n)))
		return rc;
	out->sheet = NULL; /* a cadre's history is not exported */
	out->items = json_array();
	out->total = (int64_t)n;
	for (size_t i = 0; i < n; i++) {
		const char *label = h[i].field;
		for (size_t k = 0; k < sizeof history_names / sizeof history_names[0]; k++)
			if (!strcmp(history_names[k].field, h[i].field))
				label = svc_text(c, history_names[k].zh, history_names[k].en);
		json_array_append_new(
			out->items,
			json_pack("{sI ss ss ss ss ss ss ss ss so ss}", "id", (json_int_t)h[i].id,
				  "field", h[i].field, "field_label", label, "old_value",
				  h[i].old_value, "new_value", h[i].new_value, "old_label",
				  h[i].old_label, "new_label", h[i].new_label, "effective_date",
				  h[i].effective_date, "reason", h[i].reason, "changed_at",
				  svc_time_json(h[i].changed_at), "changed_by",
				  h[i].changed_by_name));
	}
	return PX_OK;
}

px_err svc_cadre_reveal(struct svc *c, int64_t id, json_t **out)
{
	struct cadre_row r;
	px_err rc = svc_load(c, &svc_cadre_kind, PERM_CADRE_REVEAL, id, &r);
	if (rc)
		return rc;
	struct buf idn = BUF_INIT(64), phone = BUF_INIT(64);
	if ((rc = cadres_reveal(c->db, svc_keys(c), r.c.id, &idn, &phone)))
		goto out;
	/* Looking at personal data is itself recorded. */
	json_t *what = json_pack("{ss}", "fields", "id_number,phone");
	rc = svc_audit(c, "reveal", "cadre", r.c.id, NULL, what);
	json_decref(what);
	if (!rc)
		*out = json_pack("{sI ss ss}", "id", (json_int_t)r.c.id, "id_number",
				 idn.data ? idn.data : "", "phone", phone.data ? phone.data : "");
out:
	buf_release(&idn);
	buf_release(&phone);
	return rc;
}

px_err svc_cadres_export(struct svc *c, const struct cadre_filter *f, const char *q, bool reveal,
			 struct buf *out)
{
	if (!svc_has(c, PERM_CADRE_EXPORT) || (reveal && !svc_has(c, PERM_CADRE_REVEAL)))
		return PX_ERR_FORBIDDEN;
	struct cadre_query cq =
		cadre_query_of(c, reveal ? PERM_CADRE_REVEAL : PERM_CADRE_EXPORT, f, q);
	size_t rows = 0;
	px_err rc = export_cadres(c->db, svc_keys(c), &cq, reveal, c->lang, out, &rows);
	if (!rc) {
		/* Who took personal data out, how much, and whether unmasked; what was searched
		 * for, an ID or phone number in it masked as the lists show it. */
		char *query = arena_strdup(c->arena, q ? q : "");
		mask_numbers(query);
		json_t *what = json_pack("{sI sb ss}", "rows", (json_int_t)rows, "unmasked", reveal,
					 "query", query);
		rc = svc_audit(c, "export", "cadre", 0, NULL, what);
		json_decref(what);
	}
	return rc;
}
