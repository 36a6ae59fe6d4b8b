/*
 * importer.c — the import operation: see importer.h.
 *
 * One pass over the file (files/sheet.h). The header row is found by content
 * (import_header.h). Each row is validated by the domain, its unit (or region) resolved by
 * name inside the caller's scope — each name once, remembered in a small map — and its ID
 * number's blind index checked against the rows before it and against the database. Good
 * rows of cadres go to a loader of the store (store/cadres_bulk.h), which writes them while
 * this thread reads on: rows as they come for a small file, a bulk load for a large one
 * (over BULK_LOAD_BYTES), where every stored hash is read into the map first so that no row
 * needs a query. Units are few and are inserted one by one. The per-unit cadre counters are
 * brought up to date in the same transaction, and the run is recorded either way.
 *
 * An ID number registered already is said so when its cadre lies inside the caller's scope.
 * One registered outside it is said so for the first import_elsewhere_shown rows of a file;
 * after that, every later ID number of the file is answered "not checked", registered or
 * not, so that a file cannot test numbers against the whole registry (docs/security.md),
 * and the count goes to the audit log. A run is started (imports_start) before the file is
 * read, in one step with the count of the account's runs of the past hour: over
 * import_runs_per_hour it is refused and nothing is read. A rejected run keeps its file for
 * the error report within import_keep_mb per account, until svc_imports_purge removes it
 * after import_report_days.
 */
#include "service/importer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "domain/cadre.h"
#include "domain/enums.h"
#include "domain/mask.h"
#include "domain/unit.h"
#include "files/sheet.h"
#include "service/app.h"
#include "service/exports.h"
#include "service/import_header.h"
#include "service/sheets.h"
#include "store/accounts.h"
#include "store/cadres_bulk.h"
#include "store/registry.h"

#define KEEP_FILE_MAX   (32u * 1024 * 1024)
#define BULK_LOAD_BYTES (4u * 1024 * 1024) /* about 40,000 cadres */
#define BYTES_A_ROW     100                /* of cadres in a CSV file, about */

bool import_kind_from(const char *s, enum import_kind *kind)
{
	if (s && !strcmp(s, "cadres"))
		*kind = IMPORT_CADRES;
	else if (s && !strcmp(s, "units"))
		*kind = IMPORT_UNITS;
	else
		return false;
	return true;
}

const char *import_kind_name(enum import_kind kind)
{
	return kind == IMPORT_CADRES ? "cadres" : "units";
}

/* ---- a small map of 64-bit keys to 64-bit values (open addressing, 0 = empty key) ------ */

struct map_entry {
	uint64_t key;
	uint64_t extra; /* a second key half, for 128-bit keys (0 when unused) */
	int64_t val;
};

/* One array of entries: a probe into a million ID numbers touches one cache line. */
struct map {
	struct map_entry *e;
	size_t cap, n;
};

static void map_release(struct map *m)
{
	free(m->e);
	*m = (struct map){ 0 };
}

/* Room for n keys without growing (cap stays a power of two, at most half full). */
static void map_reserve(struct map *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 1024;
	while (cap < 2 * n + 2)
		cap *= 2;
	if (cap == m->cap)
		return;
	struct map bigger = { .e = xcalloc(cap, sizeof *bigger.e), .cap = cap, .n = m->n };
	for (size_t i = 0; i < m->cap; i++) {
		const struct map_entry *x = &m->e[i];
		if (!x->key)
			continue;
		size_t j = (size_t)(x->key * 0x9E3779B97F4A7C15ULL) & (cap - 1);
		while (bigger.e[j].key)
			j = (j + 1) & (cap - 1);
		bigger.e[j] = *x;
	}
	map_release(m);
	*m = bigger;
}

/* The slot of key (inserting it, with `extra`, when absent: *fresh). */
static size_t map_index(struct map *m, uint64_t key, uint64_t extra, bool *fresh)
{
	if (!key)
		key = 1;
	if (m->n * 2 >= m->cap)
		map_reserve(m, m->n + 1);
	size_t i = (size_t)(key * 0x9E3779B97F4A7C15ULL) & (m->cap - 1);
	while (m->e[i].key && m->e[i].key != key)
		i = (i + 1) & (m->cap - 1);
	*fresh = !m->e[i].key;
	if (*fresh) {
		m->e[i] = (struct map_entry){ key, extra, 0 };
		m->n++;
	}
	return i;
}

static int64_t *map_slot(struct map *m, uint64_t key, bool *fresh)
{
	size_t i = map_index(m, key, 0, fresh); /* may grow m: index first, then the entry */
	return &m->e[i].val;
}

static uint64_t hash_text(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* The two 64-bit halves of a 32-hex-digit blind index. */
static void hash_halves(const char *hex, uint64_t *a, uint64_t *b)
{
	uint64_t h[2] = { 0, 0 };
	for (int i = 0; i < 32 && hex[i]; i++)
		h[i / 16] = h[i / 16] << 4 |
			    (uint64_t)(hex[i] <= '9' ? hex[i] - '0' : (hex[i] | 0x20) - 'a' + 10);
	*a = h[0];
	*b = h[1];
}

/* ---- the import run --------------------------------------------------------------------- */

struct run {
	struct svc *c;
	struct store *db;
	const struct secret_keys *keys;
	const struct import_opts *o;
	struct import_result *res;
	struct import_header h;
	struct arena row_arena;
	struct arena *ra; /* where this row's strings go: row_arena, or the loader's batch */
	struct field_ctx fc;
	bool writing;             /* still inserting: no problem seen yet */
	bool preloaded;           /* seen_ids holds every ID number stored (a bulk load) */
	struct map seen_ids;      /* ID number blind index → first row, -1 when in the database */
	struct cadres_load *load; /* the store's loader of cadres, while writing */
	struct map unit_by_name;  /* name hash → unit id (or -1: not found) */
	struct map unit_counts;   /* unit id → cadres added */
	struct map region_by_name;
	struct map unit_in_scope; /* unit id → 1: inside the caller's scope, 2: outside */
	struct scope_filter scope;
	int64_t now;
	uint32_t rows_seen;
	long shown;        /* ID numbers registered outside the scope a file is told of */
	int64_t elsewhere; /* rows whose ID number is registered outside the scope */
	bool withholding;  /* `shown` of them told: later numbers are not checked for the caller */
	int64_t run_id;    /* the run's row (imports_start) */
	/* the units in scope by their names as registries write them (unit_match), read when a
	 * name is first not found */
	struct arena units_arena;
	bool units_read;
	size_t nunits;
	struct unit_name *units;
	const char **region_names;
	size_t nregion_names;
	int64_t bare_plain; /* bare .csv ID numbers of 18 digits not ending in 000 (number_hint) */
	long *suspects;     /* rows whose bare ID number ends in 000 and passed every check */
	size_t nsuspects, suspects_cap;
	const char **hints; /* the nearest names of names not found (unit_by_name: -2 - index) */
	size_t nhints, hints_cap;
	bool columns_missing; /* a required column is: the rows are not validated */
	size_t tallied;       /* problems counted into res->kinds so far */
};

struct unit_name {
	int64_t id;
	const char *name, *key, *short_key;
};

/* This row's strings go where the loader wants them (its batch), else to the row arena. */
static void next_arena(struct run *r)
{
	struct arena *a = r->writing && r->load ? cadres_load_arena(r->load) : NULL;
	r->ra = a ? a : &r->row_arena;
	r->fc.arena = r->ra;
}

static int en(const struct run *r)
{
	return svc_en(r->c);
}

static px_err unit_match(struct run *r, const char *name, int64_t *id, const char **hint);

/* Resolve a unit name in the caller's scope; 0 when not found. */
static px_err resolve_unit(struct run *r, const char *name, int64_t *id)
{
	bool fresh;
	int64_t *slot = map_slot(&r->unit_by_name, hash_text(name), &fresh);
	if (!fresh) {
		*id = *slot > 0 ? *slot : 0;
		return PX_OK;
	}
	const char *path = r->scope.scope == SCOPE_REGION ? r->scope.region_path : "/";
	if (r->load)
		cadres_load_lock(r->load);
	px_err rc = units_find_by_name(r->db, path, name, id);
	if (r->load)
		cadres_load_unlock(r->load);
	if (rc == PX_ERR_NOT_FOUND) {
		*id = 0;
		rc = PX_OK;
	}
	const char *hint = NULL;
	if (!rc && !*id)
		rc = unit_match(r, name, id, &hint);
	if (!rc && r->scope.scope == SCOPE_UNIT && *id != r->scope.unit_id)
		*id = 0;
	if (!rc && r->scope.scope != SCOPE_ALL && r->scope.scope != SCOPE_REGION &&
	    r->scope.scope != SCOPE_UNIT)
		*id = 0;
	*slot = *id > 0 ? *id : -1;
	if (!*id && hint) {
		if (r->nhints == r->hints_cap) {
			size_t cap = r->hints_cap ? 2 * r->hints_cap : 16;
			const char **grown = arena_alloc(&r->units_arena, cap * sizeof *grown);
			if (r->nhints)
				memcpy(grown, r->hints, r->nhints * sizeof *grown);
			r->hints = grown;
			r->hints_cap = cap;
		}
		r->hints[r->nhints] = hint;
		*slot = -2 - (int64_t)r->nhints++;
	}
	return rc;
}

/* The nearest unit names of a name resolve_unit did not find; NULL when none is near. */
static const char *unit_hint(struct run *r, const char *name)
{
	bool fresh;
	int64_t v = *map_slot(&r->unit_by_name, hash_text(name), &fresh);
	return v <= -2 && (size_t)(-2 - v) < r->nhints ? r->hints[-2 - v] : NULL;
}

/* The caller's units, each with its name as unit_name_key writes it, and the region names
 * that registries put in front (the caller's region, its ancestors and its subtree's). */
static px_err read_units(struct run *r)
{
	struct arena *a = &r->units_arena;
	r->units_read = true;
	struct scope_filter f = r->scope;
	struct region *rs = NULL;
	size_t nr = 0;
	struct scope_filter rf = f;
	if (rf.scope == SCOPE_UNIT)
		rf.scope = SCOPE_NONE;
	px_err rc = rf.scope == SCOPE_NONE ? PX_OK : regions_list(r->db, a, &rf, &rs, &nr);
	size_t nnames = 0;
	const char **names = arena_alloc(a, (nr + 8) * sizeof *names);
	for (size_t i = 0; i < nr; i++)
		names[nnames++] = rs[i].name;
	/* the regions above the caller's: from its path (/1/2/3/) */
	for (const char *p = f.scope == SCOPE_REGION ? f.region_path : ""; !rc && p && *p;) {
		long long id = strtoll(p + 1, NULL, 10);
		struct region g;
		if (id > 0 && !regions_get(r->db, a, id, &g) && nnames < nr + 8)
			names[nnames++] = g.name;
		p = strchr(p + 1, '/');
		if (p && !p[1])
			break;
	}
	size_t cap = 0;
	for (long page = 1; !rc; page++) {
		struct unit_query q = { .scope = f, .page = page, .page_size = 1000 };
		struct unit_row *items;
		size_t n;
		int64_t total;
		if ((rc = units_list(r->db, a, &q, &items, &n, &total)) || n == 0)
			break;
		if (r->nunits + n > cap) {
			struct unit_name *grown =
				arena_alloc(a, (cap = 2 * (r->nunits + n)) * sizeof *grown);
			if (r->nunits)
				memcpy(grown, r->units, r->nunits * sizeof *grown);
			r->units = grown;
		}
		for (size_t i = 0; i < n; i++) {
			struct unit_name *u = &r->units[r->nunits++];
			char key[400];
			u->id = items[i].u.id;
			u->name = items[i].u.name;
			unit_name_key(u->name, names, nnames, key, sizeof key);
			u->key = arena_strdup(a, key);
			const char *sn = items[i].u.short_name;
			unit_name_key(sn && *sn ? sn : u->name, names, nnames, key, sizeof key);
			u->short_key = arena_strdup(a, key);
		}
		if (n < 1000)
			break;
	}
	r->region_names = names;
	r->nregion_names = nnames;
	return rc;
}

/*
 * A unit name that is not a unit's own: the unit it plainly is (南安市溪美街道, 溪美街道办事处,
 * 中共南安市委组织部 — the same name once the region names, 中共 and the 办事处 are off) when
 * exactly one unit is, else 0 and in *hint the nearest names for the message.
 */
static px_err unit_match(struct run *r, const char *name, int64_t *id, const char **hint)
{
	*id = 0;
	*hint = NULL;
	if (!r->units_read) {
		if (r->load)
			cadres_load_lock(r->load);
		px_err rc = read_units(r);
		if (r->load)
			cadres_load_unlock(r->load);
		if (rc)
			return rc;
	}
	char key[400];
	unit_name_key(name, r->region_names, r->nregion_names, key, sizeof key);
	size_t found = 0;
	for (size_t i = 0; i < r->nunits && *key; i++)
		if (!strcmp(key, r->units[i].key) || !strcmp(key, r->units[i].short_key)) {
			if (!found++)
				*id = r->units[i].id;
		}
	if (found == 1)
		return PX_OK;
	*id = 0;
	/* the three nearest, if any is near enough to be a slip */
	const struct unit_name *best[3] = { NULL, NULL, NULL };
	double score[3] = { 0, 0, 0 };
	for (size_t i = 0; i < r->nunits; i++) {
		double sc = unit_name_similarity(key, r->units[i].key);
		for (int k = 0; k < 3; k++)
			if (sc >= 0.5 && sc > score[k]) {
				for (int m = 2; m > k; m--) {
					best[m] = best[m - 1];
					score[m] = score[m - 1];
				}
				best[k] = &r->units[i];
				score[k] = sc;
				break;
			}
	}
	if (best[0]) {
		struct buf b = BUF_INIT(0);
		for (int k = 0; k < 3 && best[k]; k++)
			buf_printf(&b, "%s「%s」", k ? (en(r) ? " or " : "或") : "", best[k]->name);
		*hint = arena_strdup(&r->units_arena, b.data ? b.data : "");
		buf_release(&b);
	}
	return PX_OK;
}

static const char *already_registered(const struct run *r)
{
	return en(r) ? "This ID number is already registered" : "该身份证号已登记,不能重复导入";
}

static void row_problem(struct run *r, const char *field, const char *code, const char *msg)
{
	problems_add(&r->res->problems, r->fc.row, field, code, "%s", msg);
}

/* Whether the cadre registered in unit `unit_id` lies inside the caller's scope (each unit
 * looked up once). */
static px_err owner_in_scope(struct run *r, int64_t unit_id, bool *in)
{
	*in = r->scope.scope == SCOPE_ALL;
	if (*in || unit_id <= 0)
		return PX_OK;
	bool fresh;
	int64_t *slot = map_slot(&r->unit_in_scope, (uint64_t)unit_id, &fresh);
	if (fresh) {
		struct arena a;
		arena_init(&a);
		struct unit_row u;
		if (r->load)
			cadres_load_lock(r->load);
		px_err rc = units_get(r->db, &a, unit_id, &u);
		if (r->load)
			cadres_load_unlock(r->load);
		struct scope_target t = { .region_path = rc ? "" : u.region_path,
					  .unit_id = unit_id };
		*slot = !rc && svc_may(r->c, PERM_IMPORT, &t) ? 1 : 2;
		arena_release(&a);
		if (rc && rc != PX_ERR_NOT_FOUND)
			return rc;
	}
	*in = *slot == 1;
	return PX_OK;
}

/* A row whose ID number is not checked for the caller: `shown` numbers of its file were
 * registered outside its scope already. Said of every later number, registered or not. */
static void withheld(struct run *r)
{
	problems_add(
		&r->res->problems, r->fc.row, "id_number", "not_checked",
		en(r) ? "This ID number was not checked: %ld ID numbers of this file are "
			"registered outside your scope, and the later ones are not checked one "
			"by one; deal with those rows first, then upload the file again"
		      : "该身份证号未予核对:本文件已有 %ld 个身份证号在您的管理范围以外登记,"
			"其后的身份证号不再逐一核对。请先处理这些行,再重新上传",
		r->shown);
}

/* A row whose ID number is registered, its cadre in unit `owner` (0: not known). Inside the
 * caller's scope it is said so; outside, for the first `shown` such rows of the file, and
 * then the file's later numbers are not checked for the caller (docs/security.md). */
static px_err registered(struct run *r, int64_t owner)
{
	bool in = false;
	px_err rc = owner_in_scope(r, owner, &in);
	if (rc)
		return rc;
	if (in) {
		row_problem(r, "id_number", "duplicate", already_registered(r));
		return PX_OK;
	}
	r->elsewhere++;
	if (r->withholding) {
		withheld(r);
		return PX_OK;
	}
	row_problem(
		r, "id_number", "registered_elsewhere",
		en(r) ? "This ID number is registered outside your scope and cannot be imported "
			"here; if the cadre has moved to you, ask the organization department "
			"to transfer the record"
		      : "该身份证号已在您的管理范围以外登记,不能在此导入;如该干部已调入,"
			"请联系组织部办理调动");
	if (r->elsewhere >= r->shown)
		r->withholding = true;
	return PX_OK;
}

/* The unit of the cadre registered with this hash (0: none), on the loader's connection. */
static px_err hash_owner(struct run *r, const char *hex, int64_t *owner)
{
	if (r->load)
		cadres_load_lock(r->load);
	px_err rc = cadres_id_hash_unit(r->db, hex, owner);
	if (r->load)
		cadres_load_unlock(r->load);
	return rc;
}

/* Where an ID number (by its blind index) was seen: its first row in the file, -1 - its
 * cadre's unit (-1: unit not known) when it is in the database (known during a bulk load), 0
 * when it is new — and then it is recorded at `row`. Two numbers whose first 64 bits agree
 * but not the rest are rare enough to be told apart by rebuilding the unique index: the
 * second is simply not recorded. */
static int64_t seen_id(struct run *r, const char *hex, int64_t row)
{
	uint64_t a, b;
	hash_halves(hex, &a, &b);
	bool fresh;
	size_t i = map_index(&r->seen_ids, a, b, &fresh);
	if (fresh) {
		r->seen_ids.e[i].val = row;
		return 0;
	}
	return r->seen_ids.e[i].extra == b ? r->seen_ids.e[i].val : 0;
}

static void preload_hash(void *ctx, const char *hex, int64_t unit_id)
{
	seen_id(ctx, hex, -1 - (unit_id > 0 ? unit_id : 0));
}

/*
 * An ID number that Excel kept as a number has lost its last digits: a double holds 15–17 of
 * them, and Excel shows and saves 15 (350583198001016529 becomes 350583198001016000, or
 * 3.50583198001016E+17 in a narrow column). It is refused as such even when what is left
 * happens to pass the check digit (about 1 in 11 do), rather than stored wrong: an .xlsx
 * numeric cell and a bare E-notation field of a .csv always. A bare .csv field (Excel writes
 * numbers without quotes) of 18 digits ending in 000 is a suspect: a real number ends so once
 * in about 11,000, and Excel damages a column whole, so one bare number of the column that
 * does not end in 000 clears them all. Suspects that pass every check are written and judged
 * at the end of the file (id_suspects_judged); one that fails a check is said to be damaged at
 * once. A real number ending in 000 can always go in quoted or as ="…". Every other problem
 * of a damaged ID number is replaced by this one.
 */
enum id_damage { ID_INTACT, ID_DAMAGED, ID_SUSPECT };

static enum id_damage id_damage(const struct sheet_cell *c, bool *plain)
{
	*plain = false;
	if (c->type == SHEET_NUMBER)
		return ID_DAMAGED;
	if (c->type != SHEET_STRING || c->quoted)
		return ID_INTACT;
	size_t digits = 0;
	bool exp = false;
	for (size_t i = 0; i < c->len; i++) {
		char ch = c->text[i];
		if (ch >= '0' && ch <= '9')
			digits++;
		else if ((ch == 'E' || ch == 'e') && i > 0)
			exp = true;
		else if (ch != '.' && ch != '+' && ch != ' ')
			return ID_INTACT;
	}
	if (exp)
		return digits > 0 ? ID_DAMAGED : ID_INTACT;
	if (digits != 18 || c->len != 18)
		return ID_INTACT;
	*plain = memcmp(c->text + 15, "000", 3) != 0;
	return *plain ? ID_INTACT : ID_SUSPECT;
}

static void damaged_id(struct run *r, long row, bool csv)
{
	problems_add(&r->res->problems, row, "id_number", "stored_as_number", "%s",
		     en(r) ? (csv ? "The ID number was saved as a number and lost its last "
				    "digits (…000); format the column as text and type it again "
				    "(a number that really ends in 000: put it in quotes)"
				  : "The ID number was saved as a number and lost its last digits; "
				    "format the column as text and type it again")
			   : (csv ? "身份证号被 Excel 存成了数字,末几位已丢失(变成 000):"
				    "请将该列设为“文本”格式后重新填写(号码末三位确为 000 的,"
				    "请将号码用英文双引号括起)"
				  : "身份证号被 Excel 存成了数字,末几位已丢失:请将该列设为"
				    "“文本”格式后重新填写"));
}

static void number_hint(struct run *r, const struct sheet_row *row, size_t first)
{
	if (r->h.col[CF_ID_NUMBER] < 0)
		return;
	const struct sheet_cell *c = sheet_row_cell(row, (size_t)r->h.col[CF_ID_NUMBER]);
	bool plain;
	enum id_damage d = id_damage(c, &plain);
	r->bare_plain += plain;
	if (d == ID_INTACT)
		return;
	struct problems *pb = &r->res->problems;
	size_t k = first;
	bool said = false; /* the ID number has a problem */
	for (size_t i = k; i < pb->n; i++) {
		if (pb->items[i].field && !strcmp(pb->items[i].field, "id_number")) {
			free(pb->items[i].message);
			said = true;
		} else {
			pb->items[k++] = pb->items[i];
		}
	}
	pb->n = k;
	if (d == ID_DAMAGED || said) {
		damaged_id(r, row->number, c->type == SHEET_STRING);
		return;
	}
	if (r->nsuspects == r->suspects_cap) {
		r->suspects_cap = r->suspects_cap ? 2 * r->suspects_cap : 16;
		r->suspects = xrealloc(r->suspects, r->suspects_cap * sizeof *r->suspects);
	}
	r->suspects[r->nsuspects++] = row->number;
}

/* At the end of the file: suspects of a column without a bare number that does not end in
 * 000 were damaged by Excel (their rows were written: the problems roll the file back). */
static void id_suspects_judged(struct run *r)
{
	for (size_t i = 0; i < r->nsuspects && !r->bare_plain; i++)
		damaged_id(r, r->suspects[i], true);
}

/*
 * A number in a date column (a General cell, not one Excel formats as a date): 1976.08 or
 * 1976.1 is a year and month as the 干部任免审批表 writes them (the fraction read as two
 * digits: 1976.1 is October, as Excel drops the 0 of 1976.10); an Excel serial (up to 2100)
 * is that day. Anything else stays the text written, for the date check to judge.
 */
static const char *date_cell_text(struct arena *a, const struct sheet_cell *c, const char *text)
{
	double v = c->number;
	if (c->type != SHEET_NUMBER)
		return text;
	if (v >= 1900 && v < 2100 && v != (double)(long)v) {
		long y = (long)v, m = lround((v - (double)y) * 100);
		return m >= 1 && m <= 12 ? arena_printf(a, "%04ld-%02ld", y, m) : text;
	}
	int32_t d = v >= 1 && v < 73051 ? date_from_excel_serial(v) : DATE_NONE;
	if (d == DATE_NONE)
		return text;
	char *out = arena_alloc(a, 11);
	return date_format(d, out);
}

static px_err cadre_row(struct run *r, const struct sheet_row *row)
{
	struct cadre_input in = { 0 };
	for (int f = 0; f < CF__COUNT; f++)
		in.v[f] = import_cell_text(r->ra, &r->h, row, f);
	static const int date_fields[] = { CF_BIRTH_DATE, CF_POST_DATE, CF_PROMOTION_DATE };
	for (size_t k = 0; k < sizeof date_fields / sizeof date_fields[0]; k++) {
		int f = date_fields[k];
		if (in.v[f])
			in.v[f] = date_cell_text(r->ra, sheet_row_cell(row, (size_t)r->h.col[f]),
						 in.v[f]);
	}
	size_t before = problems_count(&r->res->problems);
	size_t listed = r->res->problems.n; /* where this row's problems start in the list */
	struct cadre c;
	cadre_validate(&r->fc, &in, &c);
	number_hint(r, row, listed);
	const char *unit = in.v[CF_UNIT];
	size_t ulen = unit ? utf8_trim(&unit, strlen(unit)) : 0;
	if (ulen == 0 && r->scope.scope == SCOPE_UNIT) {
		c.unit_id = r->scope.unit_id; /* a liaison's own unit is the default */
	} else if (ulen == 0) {
		row_problem(r, "unit", "required", en(r) ? "Unit is required" : "单位不能为空");
	} else {
		char *name = arena_strndup(r->ra, unit, ulen);
		px_err rc = resolve_unit(r, name, &c.unit_id);
		if (rc)
			return rc;
		if (!c.unit_id) {
			char msg[600];
			const char *hint = unit_hint(r, name);
			int k = snprintf(
				msg, sizeof msg,
				en(r) ? "Unit \"%s\" does not exist or is outside your scope"
				      : "单位「%s」不存在或不在您的管理范围内",
				name);
			if (hint && k > 0 && (size_t)k < sizeof msg)
				snprintf(msg + k, sizeof msg - (size_t)k,
					 en(r) ? "; did you mean %s?" : ",是否为%s?", hint);
			row_problem(r, "unit", "not_found", msg);
		}
	}
	struct cadre_sealed z;
	z.id_hash[0] = '\0';
	bool known = false; /* in the database already */
	int64_t owner = 0;  /* and then its cadre's unit (0: not known) */
	if (c.id_number[0]) {
		cadre_seal_index(r->keys, &c, &z);
		int64_t first = seen_id(r, z.id_hash, row->number);
		if (first > 0) {
			char msg[200];
			snprintf(msg, sizeof msg,
				 en(r) ? "The ID number repeats row %lld"
				       : "身份证号与第 %lld 行重复",
				 (long long)first);
			row_problem(r, "id_number", "duplicate_in_file", msg);
		}
		known = first < 0;
		owner = known ? -1 - first : 0;
	}
	bool ok = problems_count(&r->res->problems) == before;
	if (ok && !known && !r->writing && z.id_hash[0] && !r->preloaded) {
		px_err rc = hash_owner(r, z.id_hash, &owner);
		if (rc)
			return rc;
		known = owner > 0;
	}
	if (ok && known) {
		px_err rc = registered(r, owner);
		if (rc)
			return rc;
		ok = false;
	} else if (ok && r->withholding && z.id_hash[0]) {
		withheld(r);
		ok = false;
	}
	if (ok && r->writing && cadres_load_failed(r->load))
		ok = false; /* the store refused a row before: svc_import names it */
	if (!ok) {
		r->writing = false;
		next_arena(r); /* no more batches */
		return PX_OK;
	}
	if (!r->writing)
		return PX_OK;
	px_err rc = cadres_load_add(r->load, &c, &z, row->number);
	if (rc == PX_ERR_CONFLICT) {
		r->writing = false;
		next_arena(r);
		if (!(rc = hash_owner(r, z.id_hash, &owner)))
			rc = registered(r, owner);
		return rc;
	}
	if (rc)
		return rc;
	bool fresh;
	*map_slot(&r->unit_counts, (uint64_t)c.unit_id, &fresh) += 1;
	r->res->imported_rows++;
	next_arena(r);
	return PX_OK;
}

static px_err load_regions(struct run *r)
{
	struct arena a;
	arena_init(&a);
	struct region *rs;
	size_t n;
	struct scope_filter f = r->scope;
	if (f.scope == SCOPE_UNIT || f.scope == SCOPE_SELF)
		f.scope = SCOPE_NONE;
	px_err rc = regions_list(r->db, &a, &f, &rs, &n);
	for (size_t i = 0; !rc && i < n; i++) {
		bool fresh;
		int64_t *slot = map_slot(&r->region_by_name, hash_text(rs[i].name), &fresh);
		*slot = fresh ? rs[i].id : -1; /* a name used twice is ambiguous */
	}
	arena_release(&a);
	return rc;
}

static px_err unit_row(struct run *r, const struct sheet_row *row)
{
	struct unit_input in = { 0 };
	for (int f = 0; f < UF__COUNT; f++)
		in.v[f] = import_cell_text(&r->row_arena, &r->h, row, f);
	size_t before = problems_count(&r->res->problems);
	struct unit u;
	unit_validate(&r->fc, &in, &u);
	const char *region = in.v[UF_REGION];
	size_t rlen = region ? utf8_trim(&region, strlen(region)) : 0;
	if (rlen == 0 && r->c->who->region_id > 0) {
		u.region_id = r->c->who->region_id; /* the admin's own region is the default */
	} else if (rlen == 0) {
		row_problem(r, "region", "required",
			    en(r) ? "Region is required" : "所属地区不能为空");
	} else {
		char *name = arena_strndup(&r->row_arena, region, rlen);
		bool fresh;
		int64_t *slot = map_slot(&r->region_by_name, hash_text(name), &fresh);
		if (fresh)
			*slot = 0;
		if (*slot <= 0) {
			char msg[300];
			snprintf(msg, sizeof msg,
				 *slot < 0 ? (en(r) ? "Region \"%s\" is ambiguous"
						    : "地区「%s」有重名,无法确定")
					   : (en(r) ? "Region \"%s\" does not exist or is outside "
						      "your scope"
						    : "地区「%s」不存在或不在您的管理范围内"),
				 name);
			row_problem(r, "region", "not_found", msg);
		}
		u.region_id = *slot;
	}
	if (u.name && *u.name && u.region_id > 0) {
		bool fresh;
		char key[64];
		snprintf(key, sizeof key, "%lld/", (long long)u.region_id);
		int64_t *first = map_slot(&r->seen_ids, hash_text(key) ^ hash_text(u.name), &fresh);
		if (fresh) {
			*first = row->number;
		} else {
			char msg[200];
			snprintf(msg, sizeof msg,
				 en(r) ? "The unit repeats row %lld" : "单位名称与第 %lld 行重复",
				 (long long)*first);
			row_problem(r, "name", "duplicate_in_file", msg);
		}
	}
	bool ok = problems_count(&r->res->problems) == before;
	if (!ok || !r->writing) {
		if (ok && u.region_id > 0) {
			/* not writing any more: still tell whether the name is taken */
			struct region g;
			int64_t id;
			if (!regions_get(r->db, &r->row_arena, u.region_id, &g) &&
			    !units_find_by_name(r->db, g.path, u.name, &id)) {
				struct unit_row ur;
				if (!units_get(r->db, &r->row_arena, id, &ur) &&
				    ur.u.region_id == u.region_id) {
					row_problem(
						r, "name", "duplicate",
						en(r) ? "A unit with this name exists in the region"
						      : "该地区已有同名单位");
					ok = false;
				}
			}
		}
		if (!ok)
			r->writing = false;
		return PX_OK;
	}
	px_err rc = units_insert(r->db, &u);
	if (rc == PX_ERR_CONFLICT) {
		row_problem(r, "name", "duplicate",
			    en(r) ? "A unit with this name or code exists in the region"
				  : "该地区已有同名单位或相同的单位代码");
		r->writing = false;
		return PX_OK;
	}
	if (rc)
		return rc;
	r->res->imported_rows++;
	return PX_OK;
}

#define PROBLEMS_KEPT 1000 /* problems listed; the rest only counted (by kind) */

/* Count the problems added since the last call into res->kinds, and keep only the first
 * PROBLEMS_KEPT (problems_add itself keeps no more than its max, and would lose what the
 * rest were: res->problems.max is lifted, and the list trimmed here instead). Costs nothing
 * for a good row. */
static void tally(struct run *r)
{
	struct import_result *res = r->res;
	struct problems *pb = &res->problems;
	for (; r->tallied < pb->n; r->tallied++) {
		const struct problem *p = &pb->items[r->tallied];
		struct import_kind_count *k = NULL;
		for (size_t i = 0; i < res->nkinds && !k; i++) {
			struct import_kind_count *x = &res->kinds[i];
			bool same_field = x->field == p->field ||
					  (x->field && p->field && !strcmp(x->field, p->field));
			bool same_code = x->code == p->code ||
					 (x->code && p->code && !strcmp(x->code, p->code));
			if (same_field && same_code)
				k = x;
		}
		if (!k) {
			res->kinds = xrealloc(res->kinds, (res->nkinds + 1) * sizeof *res->kinds);
			k = &res->kinds[res->nkinds++];
			*k = (struct import_kind_count){ .field = p->field,
							 .code = p->code ? p->code : "",
							 .message = xstrdup(p->message) };
		}
		k->count++;
		if (k->nrows < IMPORT_KIND_ROWS && (!k->nrows || k->rows[k->nrows - 1] != p->row))
			k->rows[k->nrows++] = p->row;
	}
	if (pb->n > PROBLEMS_KEPT) {
		for (size_t i = PROBLEMS_KEPT; i < pb->n; i++)
			free(pb->items[i].message);
		pb->dropped += pb->n - PROBLEMS_KEPT;
		pb->n = r->tallied = PROBLEMS_KEPT;
	}
}

/* Problems of the file as a whole first, then the most frequent kinds. */
static int kind_order(const void *a, const void *b)
{
	const struct import_kind_count *x = a, *y = b;
	bool fx = !strcmp(x->code, "missing_column"), fy = !strcmp(y->code, "missing_column");
	if (fx != fy)
		return fx ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return (x->rows[0] > y->rows[0]) - (x->rows[0] < y->rows[0]);
}

/* At the header: every required column must be there — one problem each, on the header
 * row, naming the columns that were not recognized (the one meant may be among them). */
static void check_columns(struct run *r)
{
	struct buf unknown = BUF_INIT(8192);
	for (size_t i = 0; i < r->res->nignored; i++) {
		if (i)
			buf_puts(&unknown, en(r) ? ", " : "、");
		buf_puts(&unknown, r->res->ignored[i]);
	}
	for (int f = 0; f < r->h.nfields; f++) {
		const struct field_def *fd = &r->h.fields[f];
		if (!fd->required || r->h.col[f] >= 0)
			continue;
		/* Columns with a default for this caller. */
		if (r->o->kind == IMPORT_CADRES && f == CF_UNIT && r->scope.scope == SCOPE_UNIT)
			continue;
		if (r->o->kind == IMPORT_UNITS && f == UF_REGION && r->c->who->region_id > 0)
			continue;
		const char *label = field_label(fd, r->c->lang);
		if (unknown.len)
			problems_add(
				&r->res->problems, r->h.row, fd->name, "missing_column",
				en(r) ? "The column \"%s\" is missing (columns not recognized: "
					"%s)"
				      : "缺少「%s」列(未能识别的列:%s)",
				label, unknown.data);
		else
			problems_add(&r->res->problems, r->h.row, fd->name, "missing_column",
				     en(r) ? "The column \"%s\" is missing" : "缺少「%s」列",
				     label);
		r->columns_missing = true;
	}
	buf_release(&unknown);
	if (r->columns_missing) {
		r->writing = false; /* and the rows are not looked at one by one */
		next_arena(r);
	}
}

/* The header row: what it names, what it leaves out, and whether it lacks a column. */
static void header_found(struct run *r, const struct sheet_row *row)
{
	struct import_result *res = r->res;
	res->ignored = xcalloc((size_t)r->h.nignored + 1, sizeof *res->ignored);
	for (int i = 0; i < r->h.nignored; i++)
		res->ignored[res->nignored++] =
			xstrdup(import_header_label(&r->row_arena, row, r->h.ignored[i]));
	arena_reset(&r->row_arena);
	check_columns(r);
	tally(r);
}

static void skipped(struct run *r, const struct sheet_row *row, enum import_skip s)
{
	struct import_result *res = r->res;
	if (res->skipped_count++ >= IMPORT_SKIPPED_KEPT)
		return;
	if (!res->skipped)
		res->skipped = xcalloc(IMPORT_SKIPPED_KEPT, sizeof *res->skipped);
	res->skipped[res->nskipped++] =
		(struct import_skipped){ row->number, import_skip_code(s),
					 import_skip_reason(s, r->c->lang) };
}

static px_err on_row(void *ctx, const struct sheet_row *row)
{
	struct run *r = ctx;
	if (!r->h.row) {
		if (++r->rows_seen > IMPORT_HEADER_ROWS)
			return PX_ERR_BAD_FILE;
		if (import_header_try(&r->h, row))
			header_found(r, row);
		return PX_OK;
	}
	if (import_row_is_example(row))
		return PX_OK; /* the template's example row, left in */
	enum import_skip s = import_row_skip(&r->h, row);
	if (s != IMPORT_ROW) {
		skipped(r, row, s);
		return PX_OK;
	}
	if (r->ra == &r->row_arena)
		arena_reset(&r->row_arena);
	r->fc.row = row->number;
	r->res->total_rows++;
	if (r->columns_missing)
		return PX_OK;
	px_err rc = r->o->kind == IMPORT_CADRES ? cadre_row(r, row) : unit_row(r, row);
	if (r->tallied != r->res->problems.n)
		tally(r);
	return rc;
}

/* What the run's record keeps (imports.errors_json): the problems, and beside them, told
 * apart by "kind", the columns left out ("ignored": the header text as message), the rows
 * skipped ("skipped": the reason's code and words) and the problems by kind ("summary",
 * with count and rows) — one array, so that the table needs no new column. */
static char *run_json(const struct import_result *res, long header_row)
{
	json_t *arr = json_array();
	const struct problems *pb = &res->problems;
	for (size_t i = 0; i < pb->n; i++) {
		const struct problem *p = &pb->items[i];
		json_array_append_new(arr,
				      json_pack("{sI ss ss ss}", "row", (json_int_t)p->row, "field",
						p->field ? p->field : "", "code",
						p->code ? p->code : "", "message", p->message));
	}
	for (size_t i = 0; i < res->nignored; i++)
		json_array_append_new(arr, json_pack("{ss sI ss ss ss}", "kind", "ignored", "row",
						     (json_int_t)header_row, "field", "", "code",
						     "ignored_column", "message", res->ignored[i]));
	for (size_t i = 0; i < res->nskipped; i++) {
		const struct import_skipped *k = &res->skipped[i];
		json_array_append_new(arr, json_pack("{ss sI ss ss ss}", "kind", "skipped", "row",
						     (json_int_t)k->row, "field", "", "code",
						     k->code, "message", k->reason));
	}
	if (res->skipped_count > res->nskipped)
		json_array_append_new(arr, json_pack("{ss sI ss ss ss sI}", "kind", "skipped_more",
						     "row", (json_int_t)0, "field", "", "code",
						     "more", "message", "", "count",
						     (json_int_t)res->skipped_count));
	for (size_t i = 0; i < res->nkinds; i++) {
		const struct import_kind_count *k = &res->kinds[i];
		json_t *rows = json_array();
		for (size_t j = 0; j < k->nrows; j++)
			json_array_append_new(rows, json_integer(k->rows[j]));
		json_array_append_new(arr,
				      json_pack("{ss sI ss ss ss sI so}", "kind", "summary", "row",
						(json_int_t)0, "field", k->field ? k->field : "",
						"code", k->code, "message", k->message, "count",
						(json_int_t)k->count, "rows", rows));
	}
	char *s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return s;
}

/* Problems quote cells (an ID number shifted into the rank column comes back in the message)
 * and are stored (imports.errors_json, an import job's result): ID and phone numbers in them
 * are masked as the lists show them, in the reply too. The error report still shows the
 * uploader its own cells, from the file kept sealed. */
static void mask_problems(struct import_result *res)
{
	for (size_t i = 0; i < res->problems.n; i++)
		mask_numbers(res->problems.items[i].message);
	for (size_t i = 0; i < res->nkinds; i++)
		mask_numbers(res->kinds[i].message);
	mask_numbers(res->message);
}

/* The run's outcome, into the row imports_start made: the file kept for a rejected run's
 * report (within the account's cap), the audit entry, and one more for ID numbers registered
 * outside the caller's scope (how many, never which). */
static px_err record(struct run *r, const void *data, size_t len, const char *status)
{
	struct import_record rec = { .id = r->run_id,
				     .at = r->now,
				     .user_id = r->c->who->user_id,
				     .kind = import_kind_name(r->o->kind),
				     .filename = r->o->filename ? r->o->filename : "",
				     .format = r->res->format ? r->res->format : "",
				     .status = status,
				     .total_rows = (int64_t)r->res->total_rows,
				     .imported_rows = (int64_t)r->res->imported_rows,
				     .error_count = (int64_t)problems_count(&r->res->problems) };
	char *errors = run_json(r->res, (long)r->h.row);
	rec.errors_json = errors;
	struct buf file = BUF_INIT(0);
	if (!strcmp(status, "rejected") && r->o->keep_file && len <= KEEP_FILE_MAX)
		secret_encrypt(r->keys, data, len, &file);
	rec.file_enc = file.data ? file.data : "";
	px_err rc = svc_begin(r->c);
	if (!rc)
		rc = imports_finish(r->db, &rec);
	if (!rc && *rec.file_enc && rec.user_id > 0)
		rc = imports_cap_kept(r->db, rec.user_id, r->c->app->import_keep_mb * 1024 * 1024,
				      NULL);
	if (!rc && r->elsewhere) {
		json_t *what = json_pack(
			"{sI sI ss ss sb}", "count", (json_int_t)r->elsewhere, "shown",
			(json_int_t)(r->elsewhere < r->shown ? r->elsewhere : r->shown), "kind",
			rec.kind, "filename", rec.filename, "dry_run", r->o->dry_run);
		rc = svc_audit(r->c, "registered_elsewhere", "import", rec.id, NULL, what);
		json_decref(what);
	}
	json_t *after = json_pack("{ss ss ss sI sI sI}", "kind", rec.kind, "filename", rec.filename,
				  "status", status, "total_rows", (json_int_t)rec.total_rows,
				  "imported_rows", (json_int_t)rec.imported_rows, "error_count",
				  (json_int_t)rec.error_count);
	rc = svc_commit(r->c, rc, "import", "import", rec.id, NULL, after);
	json_decref(after);
	r->res->id = rec.id;
	free(errors);
	buf_release(&file);
	return rc;
}

px_err svc_import(struct svc *c, const struct import_opts *o, const void *data, size_t len,
		  struct import_result *res)
{
	res->total_rows = res->imported_rows = 0;
	res->message[0] = res->db_error[0] = '\0';
	res->id = 0;
	res->problems.max = SIZE_MAX; /* tally() keeps the first PROBLEMS_KEPT */
	/* Importing creates records: the caller must be allowed to create that kind. */
	if (!svc_has(c, o->kind == IMPORT_UNITS ? PERM_UNIT_WRITE : PERM_CADRE_WRITE))
		return PX_ERR_FORBIDDEN;
	if (o->upload && len == 0) {
		snprintf(res->message, sizeof res->message, "%s",
			 svc_text(c, "上传的文件为空", "The file is empty"));
		return PX_ERR_BAD_FILE;
	}
	struct run r = {
		.c = c, .db = c->db, .keys = svc_keys(c), .o = o, .res = res, .now = time_now()
	};
	import_header_init(&r.h, o->kind);
	arena_init(&r.row_arena);
	arena_init(&r.units_arena);
	r.ra = &r.row_arena;
	r.fc = (struct field_ctx){ .pb = &res->problems,
				   .arena = &r.row_arena,
				   .lang = c->lang,
				   .today = date_today_cst() };
	r.scope = svc_scope(c, PERM_IMPORT);
	r.writing = !o->dry_run;

	px_err rc = PX_OK;
	if (r.scope.scope == SCOPE_NONE)
		return PX_ERR_FORBIDDEN;
	r.shown = c->app->import_elsewhere_shown > 0 ? c->app->import_elsewhere_shown : 1;
	/* The run's row first, counted against the account's runs of the past hour: over the
	 * limit nothing is read. */
	struct import_record start = { .at = r.now,
				       .user_id = c->who->shell ? 0 : c->who->user_id,
				       .kind = import_kind_name(o->kind),
				       .filename = o->filename ? o->filename : "" };
	rc = imports_start(r.db, &start, c->who->shell ? 0 : c->app->import_runs_per_hour,
			   &res->retry_at);
	if (rc == PX_ERR_RATE_LIMITED) {
		import_rate_message(c, res->retry_at, res->message, sizeof res->message);
		goto out;
	}
	if (rc)
		goto out;
	r.run_id = res->id = start.id;
	if (o->kind == IMPORT_UNITS && (rc = load_regions(&r)))
		goto finish;
	/* A large file of cadres is a bulk load (see cadres_bulk.h). */
	bool bulk = o->kind == IMPORT_CADRES && !o->dry_run && len > BULK_LOAD_BYTES;
	store_bulk(r.db, bulk ? STORE_BULK_LOAD : STORE_BULK_WRITE);
	if ((rc = svc_begin(c)))
		goto finish;
	if (o->kind == IMPORT_CADRES && r.writing) {
		struct cadres_load_opts lo = { .keys = r.keys,
					       .now = r.now,
					       .bulk = bulk,
					       .rows_hint = (int64_t)(len / BYTES_A_ROW),
					       .each_hash = preload_hash,
					       .with_units = r.scope.scope != SCOPE_ALL,
					       .ctx = &r };
		if ((rc = cadres_load_begin(r.db, &lo, &r.load))) {
			store_rollback(r.db);
			goto finish;
		}
		r.preloaded = bulk;
		next_arena(&r);
	}
	/* Registries are narrow and their cells short: refuse anything wider early. */
	struct sheet_options so = { .lang = c->lang,
				    .limits = { .max_cols = 100, .max_cell_bytes = 4096 } };
	struct sheet_result sr = { 0 };
	rc = sheet_read(data, len, &so, on_row, &r, &sr);
	res->format = sr.format == SHEET_FORMAT_XLSX ? "xlsx" : "csv";
	if (!rc && !r.h.row) {
		rc = PX_ERR_BAD_FILE;
		snprintf(res->message, sizeof res->message, "%s",
			 en(&r) ? "No header row found: the first rows must name the columns "
				  "(use the template)"
				: "未找到表头行:前几行中应有列名(请使用导入模板)");
	} else if (rc == PX_ERR_BAD_FILE && !sr.message[0] && !r.h.row) {
		snprintf(res->message, sizeof res->message, "%s",
			 en(&r) ? "No header row in the first 10 rows (use the template)"
				: "前 10 行中未找到表头行(请使用导入模板)");
	} else if (rc && sr.message[0]) {
		snprintf(res->message, sizeof res->message, "%s", sr.message);
	}
	if (!rc)
		id_suspects_judged(&r);
	if (!rc && res->total_rows == 0 && !problems_count(&res->problems))
		problems_add(&res->problems, r.h.row, NULL, "empty",
			     en(&r) ? "The file has no data rows" : "文件中没有数据行");
	/* The loader writes what it still holds only for a file that goes in whole. */
	if (r.load) {
		next_arena(&r);
		r.ra = r.fc.arena = &r.row_arena;
		int64_t failed_row;
		bool keep = !rc && r.writing && !problems_count(&res->problems);
		px_err lrc = cadres_load_end(r.load, keep, &failed_row);
		r.load = NULL;
		if (lrc == PX_ERR_CONFLICT && failed_row > 0) /* as a row's own insert says it */
			problems_add(&res->problems, failed_row, "id_number", "duplicate", "%s",
				     already_registered(&r));
		else if (lrc && failed_row > 0) /* a row the database would not take */
			problems_add(&res->problems, failed_row, NULL, "refused", "%s",
				     en(&r) ? "The database refused this row"
					    : "数据库拒绝写入此行");
		else if (!rc)
			rc = lrc;
	}
	tally(&r);
	if (res->nkinds > 1)
		qsort(res->kinds, res->nkinds, sizeof *res->kinds, kind_order);
	if (!rc && problems_count(&res->problems))
		rc = PX_ERR_IMPORT_REJECTED;
	/* Bring the per-unit counters up to date in the same transaction. */
	for (size_t i = 0; !rc && i < r.unit_counts.cap; i++)
		if (r.unit_counts.e[i].key)
			rc = units_add_cadres(r.db, (int64_t)r.unit_counts.e[i].key,
					      r.unit_counts.e[i].val);
	if (!rc && !o->dry_run) {
		rc = store_commit(r.db);
	} else {
		store_rollback(r.db);
		res->imported_rows = 0;
	}
finish:
	store_bulk(r.db, STORE_BULK_OFF);
	mask_problems(res);
	{
		const char *status = rc == PX_OK ? (o->dry_run ? "checked" : "imported")
				     : rc == PX_ERR_IMPORT_REJECTED ? "rejected"
								    : "failed";
		px_err rec_rc = record(&r, data, len, status);
		if (!rc)
			rc = rec_rc;
	}
out:
	if (rc && rc != PX_ERR_IMPORT_REJECTED && rc != PX_ERR_RATE_LIMITED)
		snprintf(res->db_error, sizeof res->db_error, "%s", store_errmsg(r.db));
	store_bulk(r.db, STORE_BULK_OFF);
	arena_release(&r.row_arena);
	arena_release(&r.units_arena);
	free(r.suspects);
	map_release(&r.seen_ids);
	map_release(&r.unit_by_name);
	map_release(&r.unit_counts);
	map_release(&r.region_by_name);
	map_release(&r.unit_in_scope);
	return rc;
}

/* ---- the runs ---------------------------------------------------------------------------- */

/* An import run the caller may see: its own (the shell: any). */
static px_err own_import(struct svc *c, int64_t id, struct import_record *rec)
{
	px_err rc = id > 0 ? imports_get(c->db, c->arena, id, rec) : PX_ERR_NOT_FOUND;
	if (!rc && !c->who->shell && rec->user_id != c->who->user_id)
		rc = PX_ERR_NOT_FOUND;
	return rc;
}

static const struct view_field import_skipped_fields[] = {
	{ "row", VIEW_INT, "The file's row" },
	{ "code", VIEW_TEXT,
	  "total, sign_off, note, row_number_only, blank, or no_required (every required column "
	  "empty)" },
	{ "reason", VIEW_TEXT, "Why, in the language of the request" },
};
const struct view_spec svc_import_skipped_shape =
	VIEW_SPEC("ImportSkippedRow", import_skipped_fields);

static const struct view_field import_kind_fields_view[] = {
	{ "field", VIEW_TEXT, "The column's field (\"\" when none)" },
	{ "code", VIEW_TEXT, "What is wrong, as a code" },
	{ "label", VIEW_TEXT,
	  "The column's label in the language of the request (\"\" when none)" },
	{ "message", VIEW_TEXT, "The first such problem's message" },
	{ "count", VIEW_INT, "How many problems of this kind the file has" },
	{ "rows", VIEW_INTS, "The first rows with it (at most 5)" },
};
const struct view_spec svc_import_kind_shape =
	VIEW_SPEC("ImportErrorKind", import_kind_fields_view);

static const struct view_field import_result_fields[] = {
	{ "id", VIEW_INT, "The import run (GET /api/v1/imports/{id})" },
	{ "kind", VIEW_TEXT, "cadres or units" },
	{ "status", VIEW_TEXT, "imported, or checked (a dry run: nothing written)" },
	{ "format", VIEW_TEXT, "xlsx or csv" },
	{ "total_rows", VIEW_INT, "Rows read" },
	{ "imported_rows", VIEW_INT, "Rows imported (0 for a dry run)" },
	{ "error_count", VIEW_INT, "Rows refused: 0 here (a refused file answers 422)" },
	{ "ignored_columns", VIEW_TEXTS,
	  "Header cells that name no column of the kind (not imported); 序号 is not among them" },
	{ "ignored_message", VIEW_TEXT,
	  "The same in words (以下列未导入:备注、审核意见); \"\" when none" },
	{ "skipped_rows", VIEW_OBJECTS,
	  "Rows that are no records (合计, 填表人, a lone 序号 …): skipped, not errors (the first "
	  "1000)",
	  &svc_import_skipped_shape },
	{ "skipped_count", VIEW_INT, "How many rows were skipped" },
};
const struct view_spec svc_import_result_shape = VIEW_SPEC("ImportResult", import_result_fields);

static const struct view_field import_error_fields[] = {
	{ "row", VIEW_INT, "The file's row (0: the file as a whole)" },
	{ "field", VIEW_TEXT, "The column's field (\"\" when none)" },
	{ "code", VIEW_TEXT, "What is wrong, as a code" },
	{ "message", VIEW_TEXT, "What is wrong, in the language of the upload" },
};
static const struct view_spec import_error_shape = VIEW_SPEC("ImportRowError", import_error_fields);

static const struct view_field import_fields[] = {
	{ "id", VIEW_INT, "The import run" },
	{ "at", VIEW_TIME, "When it ran" },
	{ "kind", VIEW_TEXT, "cadres or units" },
	{ "filename", VIEW_TEXT, "The uploaded file's name (\"\" when not given)" },
	{ "format", VIEW_TEXT, "xlsx or csv" },
	{ "status", VIEW_TEXT,
	  "imported, checked (a dry run), rejected, failed (the file as a whole), or running" },
	{ "total_rows", VIEW_INT, "Rows read" },
	{ "imported_rows", VIEW_INT, "Rows imported" },
	{ "error_count", VIEW_INT, "Rows refused" },
	{ "errors", VIEW_OBJECTS, "The refused rows' problems", &import_error_shape },
	{ "summary", VIEW_OBJECTS,
	  "The problems by kind (one field, one code) with their count, the header's first, then "
	  "the most frequent",
	  &svc_import_kind_shape },
	{ "ignored_columns", VIEW_TEXTS, "Header cells that name no column (not imported)" },
	{ "ignored_message", VIEW_TEXT, "The same in words; \"\" when none" },
	{ "skipped_rows", VIEW_OBJECTS, "Rows that are no records, skipped (the first 1000)",
	  &svc_import_skipped_shape },
	{ "skipped_count", VIEW_INT, "How many rows were skipped" },
	{ "has_report", VIEW_BOOL, "An error report is kept (GET /api/v1/imports/{id}/report)" },
	{ "report_expires_at", VIEW_TIME,
	  "When the kept file, and with it the report, is deleted (import_report_days after the "
	  "run); null when none is kept" },
};
const struct view_spec svc_import_shape = VIEW_SPEC("ImportRun", import_fields);

/* When a kept file goes: import_report_days after its run. */
static int64_t report_expiry(const struct svc *c, int64_t at)
{
	return at + c->app->import_report_days * 86400;
}

/* The skip of a stored reason code (IMPORT_ROW when unknown). */
static enum import_skip skip_from_code(const char *code)
{
	for (int s = IMPORT_ROW + 1; s < IMPORT_SKIP__COUNT; s++)
		if (code && !strcmp(code, import_skip_code((enum import_skip)s)))
			return (enum import_skip)s;
	return IMPORT_ROW;
}

/* The label of field `name` of a kind in the language ("" when none). */
static const char *kind_field_label(enum import_kind kind, const char *name, const char *lang)
{
	int n;
	const struct field_def *fields = import_kind_fields(kind, &n);
	for (int f = 0; name && *name && f < n; f++)
		if (!strcmp(fields[f].name, name))
			return field_label(&fields[f], lang);
	return "";
}

char *import_ignored_message(const char *lang, const char *const *names, size_t n)
{
	if (!n)
		return xstrdup("");
	bool en_ = px_lang_is_en(lang);
	struct buf b = BUF_INIT(16384);
	buf_puts(&b, en_ ? "These columns were not imported: " : "以下列未导入:");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(&b, en_ ? ", " : "、");
		buf_puts(&b, names[i]);
	}
	char *out = xstrdup(b.data ? b.data : "");
	buf_release(&b);
	return out;
}

char *import_kind_line(const char *lang, const char *message, size_t count, const long *rows,
		       size_t nrows)
{
	bool en_ = px_lang_is_en(lang);
	struct buf b = BUF_INIT(4096);
	buf_puts(&b, message);
	if (count > 1)
		buf_puts(&b, en_ ? " (and the like)" : " 等");
	buf_printf(&b, en_ ? ": %zu %s" : ":%zu %s", count,
		   en_ ? (count == 1 ? "row" : "rows") : "行");
	size_t shown = 0;
	for (size_t i = 0; i < nrows; i++) {
		if (rows[i] <= 0)
			continue;
		buf_printf(&b, "%s%ld", shown++ ? (en_ ? ", " : "、") : (en_ ? " (row " : "(第 "),
			   rows[i]);
	}
	if (shown)
		buf_puts(&b, count > shown ? (en_ ? " …)" : " … 行)") : (en_ ? ")" : " 行)"));
	char *out = xstrdup(b.data ? b.data : "");
	buf_release(&b);
	return out;
}

static json_t *kind_json(const struct svc *c, enum import_kind kind, const char *field,
			 const char *code, const char *message, size_t count, json_t *rows)
{
	return json_pack("{ss ss ss ss sI so}", "field", field ? field : "", "code", code, "label",
			 kind_field_label(kind, field, c->lang), "message", message, "count",
			 (json_int_t)count, "rows", rows);
}

json_t *svc_import_notes(const struct svc *c, enum import_kind kind,
			 const struct import_result *res, bool with_summary)
{
	json_t *ignored = json_array(), *skipped = json_array();
	for (size_t i = 0; i < res->nignored; i++)
		json_array_append_new(ignored, json_string(res->ignored[i]));
	for (size_t i = 0; i < res->nskipped; i++) {
		const struct import_skipped *k = &res->skipped[i];
		json_array_append_new(
			skipped,
			json_pack("{sI ss ss}", "row", (json_int_t)k->row, "code", k->code,
				  "reason", import_skip_reason(skip_from_code(k->code), c->lang)));
	}
	char *msg =
		import_ignored_message(c->lang, (const char *const *)res->ignored, res->nignored);
	json_t *out =
		json_pack("{so ss so sI}", "ignored_columns", ignored, "ignored_message", msg,
			  "skipped_rows", skipped, "skipped_count", (json_int_t)res->skipped_count);
	free(msg);
	if (with_summary) {
		json_t *summary = json_array();
		for (size_t i = 0; i < res->nkinds; i++) {
			const struct import_kind_count *k = &res->kinds[i];
			json_t *rows = json_array();
			for (size_t j = 0; j < k->nrows; j++)
				json_array_append_new(rows, json_integer(k->rows[j]));
			json_array_append_new(summary, kind_json(c, kind, k->field, k->code,
								 k->message, k->count, rows));
		}
		json_object_set_new(out, "summary", summary);
	}
	return out;
}

void import_result_release(struct import_result *res)
{
	problems_release(&res->problems);
	for (size_t i = 0; i < res->nignored; i++)
		free(res->ignored[i]);
	free(res->ignored);
	free(res->skipped);
	for (size_t i = 0; i < res->nkinds; i++)
		free(res->kinds[i].message);
	free(res->kinds);
	res->ignored = NULL;
	res->skipped = NULL;
	res->kinds = NULL;
	res->nignored = res->nskipped = res->skipped_count = res->nkinds = 0;
}

/* The summary of a run recorded before runs kept one: the kept problems by kind. */
static json_t *summary_of(const struct svc *c, enum import_kind kind, json_t *errors)
{
	json_t *out = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(errors, i, e)
	{
		const char *field = json_string_value(json_object_get(e, "field"));
		const char *code = json_string_value(json_object_get(e, "code"));
		json_int_t row = json_integer_value(json_object_get(e, "row"));
		size_t j;
		json_t *k, *hit = NULL;
		json_array_foreach(out, j, k)
		{
			if (!strcmp(json_string_value(json_object_get(k, "field")),
				    field ? field : "") &&
			    !strcmp(json_string_value(json_object_get(k, "code")),
				    code ? code : ""))
				hit = k;
		}
		if (!hit) {
			const char *m = json_string_value(json_object_get(e, "message"));
			hit = kind_json(c, kind, field, code ? code : "", m ? m : "", 0,
					json_array());
			json_array_append_new(out, hit);
		}
		json_object_set_new(
			hit, "count",
			json_integer(json_integer_value(json_object_get(hit, "count")) + 1));
		json_t *rows = json_object_get(hit, "rows");
		if (json_array_size(rows) < IMPORT_KIND_ROWS)
			json_array_append_new(rows, json_integer(row));
	}
	return out;
}

px_err svc_import_get(struct svc *c, int64_t id, json_t **out)
{
	struct import_record rec;
	px_err rc = own_import(c, id, &rec);
	if (rc)
		return rc;
	enum import_kind kind = IMPORT_CADRES;
	import_kind_from(rec.kind, &kind);
	json_t *stored = json_loads(rec.errors_json, 0, NULL);
	json_t *errors = json_array(), *summary = json_array(), *ignored = json_array(),
	       *skipped = json_array();
	json_int_t skipped_count = 0;
	size_t i;
	json_t *e;
	json_array_foreach(stored, i, e)
	{
		const char *what = json_string_value(json_object_get(e, "kind"));
		const char *code = json_string_value(json_object_get(e, "code"));
		const char *message = json_string_value(json_object_get(e, "message"));
		if (!what) {
			json_array_append(errors, e);
		} else if (!strcmp(what, "ignored")) {
			json_array_append_new(ignored, json_string(message ? message : ""));
		} else if (!strcmp(what, "skipped")) {
			json_array_append_new(
				skipped,
				json_pack("{sO ss ss}", "row", json_object_get(e, "row"), "code",
					  code ? code : "", "reason",
					  import_skip_reason(skip_from_code(code), c->lang)));
			skipped_count++;
		} else if (!strcmp(what, "skipped_more")) {
			skipped_count = json_integer_value(json_object_get(e, "count"));
		} else if (!strcmp(what, "summary")) {
			json_t *rows = json_object_get(e, "rows");
			json_array_append_new(
				summary,
				kind_json(c, kind, json_string_value(json_object_get(e, "field")),
					  code ? code : "", message ? message : "",
					  (size_t)json_integer_value(json_object_get(e, "count")),
					  json_is_array(rows) ? json_incref(rows) : json_array()));
		}
	}
	if (!json_array_size(summary) && json_array_size(errors)) {
		json_decref(summary);
		summary = summary_of(c, kind, errors);
	}
	size_t nignored = json_array_size(ignored);
	const char **names = xcalloc(nignored + 1, sizeof *names);
	for (size_t k = 0; k < nignored; k++)
		names[k] = json_string_value(json_array_get(ignored, k));
	char *msg = import_ignored_message(c->lang, names, nignored);
	free(names);
	json_decref(stored);
	bool kept = *rec.file_enc != '\0';
	*out = json_pack("{sI so ss ss ss ss sI sI sI so sb so}", "id", (json_int_t)rec.id, "at",
			 svc_time_json(rec.at), "kind", rec.kind, "filename", rec.filename,
			 "format", rec.format, "status", rec.status, "total_rows",
			 (json_int_t)rec.total_rows, "imported_rows", (json_int_t)rec.imported_rows,
			 "error_count", (json_int_t)rec.error_count, "errors", errors, "has_report",
			 kept, "report_expires_at",
			 kept ? svc_time_json(report_expiry(c, rec.at)) : json_null());
	json_object_update_new(*out,
			       json_pack("{so so ss so sI}", "summary", summary, "ignored_columns",
					 ignored, "ignored_message", msg, "skipped_rows", skipped,
					 "skipped_count", skipped_count));
	free(msg);
	return PX_OK;
}

/* "2024-05-02 15:42" in China's time (UTC+8), the minute rounded up. */
static void cst_minute(int64_t t, char *out, size_t size)
{
	t += 8 * 3600 + 59;
	int y, m, d;
	date_to_ymd((int32_t)(t / 86400), &y, &m, &d);
	snprintf(out, size, "%04d-%02d-%02d %02d:%02d", y, m, d, (int)(t % 86400 / 3600),
		 (int)(t % 3600 / 60));
}

px_err svc_import_report(struct svc *c, int64_t id, struct buf *out, const char **filename)
{
	struct import_record rec;
	px_err rc = own_import(c, id, &rec);
	if (!rc && !*rec.file_enc && strcmp(rec.status, "rejected"))
		return svc_fail(c, PX_ERR_NOT_FOUND, "只有被拒绝的导入才有错误报告",
				"Only a rejected import has an error report");
	if (!rc && !*rec.file_enc) {
		/* the file is gone: its retention ended, or the account's cap took it */
		char until[32], zh[400], en_[400];
		int64_t expiry = report_expiry(c, rec.at);
		cst_minute(expiry, until, sizeof until);
		if (time_now() >= expiry) {
			snprintf(zh, sizeof zh,
				 "该导入的错误报告已过期:上传的文件只保留 %ld 天(至 %s),已删除。"
				 "各行的错误说明仍可在导入记录中查看",
				 c->app->import_report_days, until);
			snprintf(
				en_, sizeof en_,
				"The error report of this import has expired: uploads are kept %ld "
				"days (until %s, UTC+8) and this one was deleted; the rows' errors "
				"can still be read in the import's record",
				c->app->import_report_days, until);
		} else {
			snprintf(
				zh, sizeof zh,
				"该导入的上传文件已删除,无法再生成错误报告:每个账号最多保留 %ld MB "
				"的上传文件(较早的先删除),过大的文件不保留,管理员也可提前清理。"
				"各行的错误说明仍可在导入记录中查看",
				c->app->import_keep_mb);
			snprintf(
				en_, sizeof en_,
				"The upload of this import was deleted, so it has no error report: "
				"an account keeps at most %ld MB of uploads (the oldest go first), "
				"none that is too large, and an administrator may clear them "
				"sooner; the rows' errors can still be read in the import's record",
				c->app->import_keep_mb);
		}
		c->message = arena_strdup(c->arena, svc_text(c, zh, en_));
		return PX_ERR_GONE;
	}
	if (!rc)
		rc = import_report(c, &rec, out);
	if (!rc && filename)
		*filename = rec.filename;
	return rc;
}

void import_rate_message(const struct svc *c, int64_t retry_at, char *out, size_t size)
{
	char when[32];
	cst_minute(retry_at, when, sizeof when);
	long n = c->app->import_runs_per_hour;
	if (svc_en(c))
		snprintf(out, size,
			 "Too many imports: an account may import %ld times an hour, dry runs "
			 "included; try again after %s (UTC+8)",
			 n, when);
	else
		snprintf(
			out, size,
			"导入过于频繁:每个账号每小时最多导入 %ld 次(试导入也计在内),请于 %s 后再试",
			n, when);
}

px_err svc_import_allowed(struct svc *c, int64_t pending, int64_t *retry_at)
{
	*retry_at = 0;
	long limit = c->app->import_runs_per_hour;
	if (c->who->shell || limit <= 0)
		return PX_OK;
	int64_t now = time_now(), n = 0, nth = 0;
	long room = limit - (long)pending; /* what the recent runs may still take */
	px_err rc = room > 0 ? imports_recent(c->db, c->who->user_id, now - 3600, room, &n, &nth)
			     : PX_OK;
	if (rc)
		return rc;
	if (room > 0 && n < room)
		return PX_OK;
	*retry_at = room > 0 ? nth + 3600 : now + 3600;
	char msg[320];
	import_rate_message(c, *retry_at, msg, sizeof msg);
	c->message = arena_strdup(c->arena, msg);
	return PX_ERR_RATE_LIMITED;
}

/* ---- the list of runs, the purge ------------------------------------------------------------ */

static const struct view_field import_run_fields[] = {
	{ "id", VIEW_INT, "The import run" },
	{ "at", VIEW_TIME, "When it ran" },
	{ "user_id", VIEW_ID, "Who ran it (null: the shell)" },
	{ "username", VIEW_TEXT, "Their log-in name (\"\": the shell)" },
	{ "display_name", VIEW_TEXT, "Their name" },
	{ "place", VIEW_TEXT, "Their unit, or their region" },
	{ "kind", VIEW_TEXT, "cadres or units" },
	{ "filename", VIEW_TEXT, "The uploaded file's name (\"\" when not given)" },
	{ "format", VIEW_TEXT, "xlsx or csv" },
	{ "status", VIEW_TEXT,
	  "imported, checked (a dry run), rejected, failed (the file as a whole), or running" },
	{ "total_rows", VIEW_INT, "Rows read" },
	{ "imported_rows", VIEW_INT, "Rows imported" },
	{ "error_count", VIEW_INT, "Rows refused" },
	{ "has_report", VIEW_BOOL, "An error report is kept (its creator's to read)" },
	{ "report_expires_at", VIEW_TIME, "When the kept file goes; null when none is kept" },
	{ "registered_elsewhere", VIEW_INT,
	  "ID numbers of the file registered outside its importer's scope, of which it was told "
	  "only the first few (docs/security.md); null on one's own runs",
	  NULL, false, true },
};
const struct view_spec svc_import_run_shape = VIEW_SPEC("ImportRunItem", import_run_fields);

static json_t *run_view(struct svc *c, const struct import_run_row *w)
{
	const struct import_record *r = &w->rec;
	json_t *elsewhere = json_null();
	if (c->who->shell || r->user_id != c->who->user_id) {
		json_t *a = *w->elsewhere_json ? json_loads(w->elsewhere_json, 0, NULL) : NULL;
		json_t *n = json_object_get(a, "count");
		elsewhere = json_integer(json_is_integer(n) ? json_integer_value(n) : 0);
		json_decref(a);
	}
	return json_pack(
		"{sI so so ss ss ss ss ss ss ss sI sI sI sb so so}", "id", (json_int_t)r->id, "at",
		svc_time_json(r->at), "user_id", svc_id_json(r->user_id), "username", w->username,
		"display_name", w->display_name, "place", w->place, "kind", r->kind, "filename",
		r->filename, "format", r->format, "status", r->status, "total_rows",
		(json_int_t)r->total_rows, "imported_rows", (json_int_t)r->imported_rows,
		"error_count", (json_int_t)r->error_count, "has_report", w->kept,
		"report_expires_at", w->kept ? svc_time_json(report_expiry(c, r->at)) : json_null(),
		"registered_elsewhere", elsewhere);
}

static const char *import_kind_cell(struct svc *c, json_t *item)
{
	return svc_label(c, &enum_import_kind, json_string_value(json_object_get(item, "kind")));
}

static const char *import_status_cell(struct svc *c, json_t *item)
{
	return svc_label(c, &enum_import_status,
			 json_string_value(json_object_get(item, "status")));
}

static const struct sheet_column import_columns[] = {
	{ "at", NULL, "导入时间", "Time", 20, true },
	{ "username", NULL, "用户名", "User name" },
	{ "display_name", NULL, "导入人", "Who", 16 },
	{ "place", NULL, "单位或地区", "Unit or region", 20 },
	{ "kind", NULL, "类型", "Kind", 8, false, import_kind_cell },
	{ "filename", NULL, "文件名", "File name", 28 },
	{ "status", NULL, "结果", "Outcome", 10, false, import_status_cell },
	{ "total_rows", NULL, "总行数", "Rows", 8 },
	{ "imported_rows", NULL, "导入行数", "Imported", 8 },
	{ "error_count", NULL, "错误数", "Errors", 8 },
	{ "registered_elsewhere", NULL, "范围外已登记", "Registered elsewhere", 10 },
};
static const struct sheet_spec import_sheet =
	SHEET_SPEC("import", "导入记录", "Imports", import_columns);

px_err svc_imports_list(struct svc *c, const struct import_filter *f, const struct page_query *p,
			struct svc_page *out)
{
	struct import_query q = { .scope = svc_scope(c, PERM_IMPORT),
				  .user_id = c->who->user_id,
				  .q = p->q,
				  .flagged = f && f->flagged,
				  .page = p->page,
				  .page_size = p->page_size };
	if (q.scope.scope == SCOPE_NONE)
		return PX_ERR_FORBIDDEN;
	struct import_run_row *rows;
	size_t n;
	px_err rc = imports_list(c->db, c->arena, &q, &rows, &n, &out->total);
	if (rc)
		return rc;
	out->sheet = &import_sheet;
	out->items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out->items, run_view(c, &rows[i]));
	return PX_OK;
}

px_err svc_imports_purge(struct svc *c, long days, int64_t *purged)
{
	int64_t now = time_now();
	if (days < 0)
		days = c->app->import_report_days;
	/* a run still "running" a day after it started lost its server: no import takes that
	 * long */
	return imports_purge(c->db, now - (int64_t)days * 86400, now - 86400, purged);
}
