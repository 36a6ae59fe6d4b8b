/*
 * sheets.c — a list as a spreadsheet (see sheets.h).
 */
#include "service/sheets.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"

#include "domain/mask.h"
#include "files/xlsx_write.h"

static void put_cell(struct svc *c, struct buf *b, json_t *v, int depth)
{
	if (json_is_string(v)) {
		buf_puts(b, json_string_value(v));
	} else if (json_is_integer(v)) {
		buf_printf(b, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		buf_printf(b, "%.15g", json_real_value(v));
	} else if (json_is_boolean(v)) {
		buf_puts(b, json_is_true(v) ? svc_text(c, "是", "yes") : svc_text(c, "否", "no"));
	} else if (json_is_array(v) && depth < 2) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e)
		{
			if (i)
				buf_puts(b, svc_text(c, "、", ", "));
			put_cell(c, b, e, depth + 1);
		}
	} else if (json_is_object(v) && depth < 2) {
		json_t *name = json_object_get(v, "name");
		if (json_is_string(name))
			buf_puts(b, json_string_value(name));
	}
}

/* "2023-02-18T01:00:00Z" → "2023-02-18 09:00:00", China Standard Time (UTC+8) as the
 * offices read it; what is not such a time as it is. */
static const char *time_text(struct svc *c, json_t *v)
{
	const char *s = json_string_value(v);
	int y, mo, d, h, mi, se;
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &se) != 6 ||
	    !date_valid_ymd(y, mo, d))
		return s ? s : "";
	int64_t t = (int64_t)date_from_ymd(y, mo, d) * 86400 + h * 3600 + mi * 60 + se + 8 * 3600;
	date_to_ymd((int32_t)(t / 86400), &y, &mo, &d);
	int64_t r = t % 86400;
	return arena_printf(c->arena, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, (int)(r / 3600),
			    (int)(r / 60 % 60), (int)(r % 60));
}

static const char *cell_text(struct svc *c, json_t *v)
{
	struct buf b = BUF_INIT(64 * 1024);
	put_cell(c, &b, v, 0);
	const char *s = arena_strdup(c->arena, b.data ? b.data : "");
	buf_release(&b);
	return s;
}

const char *svc_sheet_codes(struct svc *c, json_t *codes, const struct enum_table *t)
{
	struct buf b = BUF_INIT(64 * 1024);
	size_t i;
	json_t *e;
	json_array_foreach(codes, i, e)
	{
		if (i)
			buf_puts(&b, svc_text(c, "、", ", "));
		if (json_is_string(e))
			buf_puts(&b, svc_label(c, t, json_string_value(e)));
	}
	const char *s = arena_strdup(c->arena, b.data ? b.data : "");
	buf_release(&b);
	return s;
}

const char *svc_sheet_filename(struct svc *c, const struct sheet_spec *spec)
{
	return arena_printf(c->arena, "%s.xlsx", svc_text(c, spec->zh, spec->en));
}

px_err svc_list_sheet(struct svc *c, const struct sheet_spec *spec, json_t *items, int64_t total,
		      const char *q, struct buf *out)
{
	struct xlsx_column *cols = arena_alloc(c->arena, spec->n * sizeof *cols);
	struct xlsx_value *vals = arena_alloc(c->arena, spec->n * sizeof *vals);
	for (size_t k = 0; k < spec->n; k++) {
		const struct sheet_column *sc = &spec->cols[k];
		cols[k] = (struct xlsx_column){
			.header = sc->def ? field_label(sc->def, c->lang)
					  : svc_text(c, sc->zh, sc->en),
			.width = sc->width ? sc->width : 16,
			.kind = XLSX_COL_TEXT,
		};
	}
	struct xlsx_writer *w;
	px_err rc = xlsx_writer_new(NULL, &w);
	if (!rc)
		rc = xlsx_writer_add_sheet(w, svc_text(c, spec->zh, spec->en), cols, spec->n);
	size_t i, rows = 0;
	json_t *item;
	json_array_foreach(items, i, item)
	{
		if (rc)
			break;
		for (size_t k = 0; k < spec->n; k++) {
			const struct sheet_column *sc = &spec->cols[k];
			json_t *v = json_object_get(item, sc->key);
			vals[k] = xlsx_text(sc->text   ? sc->text(c, item)
					    : sc->time ? time_text(c, v)
						       : cell_text(c, v));
		}
		rc = xlsx_writer_add_row(w, vals, spec->n, 0);
		rows++;
	}
	if (!rc && (int64_t)rows < total) { /* cut at the cap: say so */
		for (size_t k = 0; k < spec->n; k++)
			vals[k] = xlsx_text("");
		vals[0] = xlsx_text(arena_printf(
			c->arena,
			svc_text(c, "共 %lld 条,仅导出前 %zu 条;请缩小查询范围后分批导出",
				 "%lld rows match, only the first %zu are here: narrow the search "
				 "and export in parts"),
			(long long)total, rows));
		rc = xlsx_writer_add_row(w, vals, spec->n, XLSX_ROW_HIGHLIGHT);
	}
	if (!rc)
		rc = xlsx_writer_finish(w, out);
	else
		xlsx_writer_free(w);
	if (!rc) { /* who took what out, how much, and what was searched for (numbers masked) */
		char *query = arena_strdup(c->arena, q ? q : "");
		mask_numbers(query);
		json_t *what = json_pack("{sI sI ss}", "rows", (json_int_t)rows, "total",
					 (json_int_t)total, "query", query);
		rc = svc_audit(c, "export", spec->entity, 0, NULL, what);
		json_decref(what);
	}
	return rc;
}
