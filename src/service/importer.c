/*
 * importer.c — see importer.h.
 *
 * The header row is found by content: the first row that names at least two known columns
 * (by the Chinese label, the English label or the API name; "*" and "(必填)" marks are
 * ignored), so a title row above it does no harm and columns may come in any order.
 */
#include "service/importer.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "domain/cadre.h"
#include "domain/enums.h"
#include "domain/unit.h"
#include "files/sheet.h"
#include "files/xlsx_write.h"
#include "store/accounts.h"

#define MAX_FIELDS         16
#define HEADER_SEARCH_ROWS 10
#define KEEP_FILE_MAX      (32u * 1024 * 1024)
#define BULK_LOAD_BYTES    (4u * 1024 * 1024) /* about 40,000 cadres */
#define BATCH_ROWS         512                /* rows handed to the writer thread at a time */
#define BATCHES            8
#define SEAL_BEHIND        2  /* full batches waiting: the reader encrypts the next one */
#define MANY_ROWS          64 /* rows a statement where each costs a round trip (PostgreSQL) */

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

static const struct field_def *kind_fields(enum import_kind kind, int *n)
{
	*n = kind == IMPORT_CADRES ? CF__COUNT : UF__COUNT;
	return kind == IMPORT_CADRES ? cadre_fields : unit_fields;
}

/* ---- header ---------------------------------------------------------------------------- */

struct header {
	const struct field_def *fields;
	int nfields;
	int col[MAX_FIELDS]; /* 0-based column of each field, -1 when absent */
	uint32_t row;        /* 0 until found */
};

/* The header text without marks and spaces, into out. */
static void header_norm(const char *s, size_t n, char *out, size_t size)
{
	static const char *const marks[] = {
		"*",  "\xEF\xBC\x8A" /* ＊ */, "(必填)", "(必填)", "(选填)", "(选填)", " ",
		"\t", "\xE3\x80\x80"
	};
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < size;) {
		size_t skip = 0;
		for (size_t m = 0; m < sizeof marks / sizeof marks[0] && !skip; m++) {
			size_t ml = strlen(marks[m]);
			if (ml <= n - i && !memcmp(s + i, marks[m], ml))
				skip = ml;
		}
		if (skip) {
			i += skip;
			continue;
		}
		out[k++] = s[i++];
	}
	out[k] = '\0';
}

static int header_field(const struct header *h, const char *text, size_t n)
{
	char norm[128];
	header_norm(text, n, norm, sizeof norm);
	if (!*norm)
		return -1;
	for (int f = 0; f < h->nfields; f++)
		if (!strcmp(norm, h->fields[f].zh) || !strcasecmp(norm, h->fields[f].en) ||
		    !strcmp(norm, h->fields[f].name))
			return f;
	return -1;
}

/* Try row as the header; true when it names at least two fields. */
static bool header_try(struct header *h, const struct sheet_row *row)
{
	int col[MAX_FIELDS], found = 0;
	for (int f = 0; f < h->nfields; f++)
		col[f] = -1;
	for (size_t c = 0; c < row->ncells; c++) {
		int f = header_field(h, row->cells[c].text, row->cells[c].len);
		if (f >= 0 && col[f] < 0) {
			col[f] = (int)c;
			found++;
		}
	}
	if (found < 2)
		return false;
	memcpy(h->col, col, sizeof col);
	h->row = row->number;
	return true;
}

/* The cell of field f as NUL-terminated text in the arena (NULL when the column is absent). */
static const char *cell_text(struct arena *a, const struct header *h, const struct sheet_row *row,
			     int f)
{
	if (h->col[f] < 0)
		return NULL;
	const struct sheet_cell *c = sheet_row_cell(row, (size_t)h->col[f]);
	return arena_strndup(a, c->text, c->len);
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
	struct store *db;
	const struct secret_keys *keys;
	const struct import_opts *o;
	struct import_result *res;
	struct header h;
	struct arena row_arena;
	struct arena *ra; /* where this row's strings go: row_arena, or the batch it joins */
	struct field_ctx fc;
	bool writing;            /* still inserting: no problem seen yet */
	struct map seen_ids;     /* ID number blind index → first row, -1 when in the database */
	struct cadres_bulk bulk; /* an active bulk load (SQLite): no indexes until the end */
	struct writer *w;        /* during a bulk load: the thread that inserts */
	struct map unit_by_name; /* name hash → unit id (or -1: not found) */
	struct map unit_counts;  /* unit id → cadres added */
	struct map region_by_name;
	struct scope_filter scope;
	int64_t now;
	uint32_t rows_seen;
};

/*
 * A bulk load in two threads. This one reads and checks rows; a writer thread encrypts
 * and inserts them. Rows go over in batches of BATCH_ROWS, each batch owning the arena its
 * rows' strings live in, through a queue of at most BATCHES. Encryption is the work that
 * can go either way: when SEAL_BEHIND batches wait for the writer, the reader encrypts the
 * next batch itself, which keeps both threads busy (a million rows: reading 1.9 s instead
 * of 4 s on one thread). While the writer runs it owns the store connection: the reader
 * takes `db_lock` for the rare lookup it still makes (a unit name not seen before). The
 * first insert that fails stops the writer; the reader sees it on its next row and stops.
 * On PostgreSQL, where every statement is a round trip, the writer inserts MANY_ROWS rows a
 * statement (100,000 rows: 8.4 s one by one).
 */
struct sealed_row {
	struct cadre c;
	struct cadre_sealed z;
	int64_t row; /* in the file */
};

struct batch {
	struct arena arena;
	size_t n;
	bool sealed; /* by the reader (else the writer encrypts) */
	struct sealed_row rows[BATCH_ROWS];
};

struct writer {
	struct store *db;
	const struct secret_keys *keys;
	bool many; /* MANY_ROWS rows a statement (the indexes stay: PostgreSQL) */
	int64_t now;
	pthread_t thread;
	pthread_mutex_t db_lock;
	pthread_mutex_t lock; /* the rest */
	pthread_cond_t changed;
	struct batch *full[BATCHES]; /* a ring, oldest at head */
	size_t head, nfull;
	struct batch *spare[BATCHES];
	size_t nspare;
	struct batch *filling; /* the reader's */
	bool done;
	px_err rc;          /* the first failure, */
	int64_t failed_row; /* on this row of the file */
	atomic_bool failed; /* rc is set: the reader stops handing over (read without lock) */
};

/* A batch a row a statement (SQLite: a statement costs no round trip); *row: the row that
 * failed. */
static px_err writer_insert_each(struct writer *w, struct batch *b, int64_t *row)
{
	px_err rc = PX_OK;
	for (size_t i = 0; !rc && i < b->n; i++) {
		struct sealed_row *sr = &b->rows[i];
		*row = sr->row;
		if (!b->sealed)
			rc = cadre_seal_encrypt(w->keys, &sr->c, &sr->z);
		if (!rc)
			rc = cadres_insert_bulk(w->db, &sr->c, &sr->z, w->now);
	}
	return rc;
}

/* A batch in statements of MANY_ROWS rows; *row: the row that failed. */
static px_err writer_insert_many(struct writer *w, struct batch *b, int64_t *row)
{
	const struct cadre *c[MANY_ROWS];
	const struct cadre_sealed *z[MANY_ROWS];
	px_err rc = PX_OK;
	for (size_t i = 0; !rc && i < b->n; i += MANY_ROWS) {
		size_t k = b->n - i < MANY_ROWS ? b->n - i : MANY_ROWS, refused = k;
		for (size_t j = 0; !rc && j < k; j++) {
			struct sealed_row *sr = &b->rows[i + j];
			*row = sr->row;
			if (!b->sealed)
				rc = cadre_seal_encrypt(w->keys, &sr->c, &sr->z);
			c[j] = &sr->c;
			z[j] = &sr->z;
		}
		if (!rc)
			rc = cadres_insert_many(w->db, c, z, k, w->now, &refused);
		if (!rc && refused < k) { /* registered meanwhile, by someone else */
			rc = PX_ERR_CONFLICT;
			*row = b->rows[i + refused].row;
		}
	}
	return rc;
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->nfull && !w->done)
			pthread_cond_wait(&w->changed, &w->lock);
		if (!w->nfull)
			break;
		struct batch *b = w->full[w->head];
		w->head = (w->head + 1) % BATCHES;
		w->nfull--;
		px_err rc = w->rc;
		pthread_mutex_unlock(&w->lock);
		pthread_mutex_lock(&w->db_lock);
		int64_t row = 0;
		if (!rc) /* after a failure the rest only goes back to the spares */
			rc = w->many ? writer_insert_many(w, b, &row)
				     : writer_insert_each(w, b, &row);
		pthread_mutex_unlock(&w->db_lock);
		arena_reset(&b->arena);
		b->n = 0;
		pthread_mutex_lock(&w->lock);
		if (rc && !w->rc) {
			w->rc = rc;
			w->failed_row = row;
			atomic_store(&w->failed, true);
		}
		w->spare[w->nspare++] = b;
		pthread_cond_broadcast(&w->changed);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static void writer_free(struct writer *w)
{
	w->spare[w->nspare++] = w->filling;
	for (size_t i = 0; i < w->nspare; i++) {
		arena_release(&w->spare[i]->arena);
		free(w->spare[i]);
	}
	pthread_mutex_destroy(&w->db_lock);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->changed);
}

static px_err writer_start(struct writer *w, struct store *db, const struct secret_keys *keys,
			   int64_t now, bool many)
{
	*w = (struct writer){ .db = db, .keys = keys, .now = now, .many = many };
	for (int i = 0; i < BATCHES; i++) {
		struct batch *b = xcalloc(1, sizeof *b);
		arena_init(&b->arena);
		w->spare[w->nspare++] = b;
	}
	w->filling = w->spare[--w->nspare];
	pthread_mutex_init(&w->db_lock, NULL);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->changed, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w)) {
		writer_free(w);
		return PX_ERR_INTERNAL;
	}
	return PX_OK;
}

/* Queue the filling batch and take a spare one (a failure of the writer shows in `failed`). */
static void writer_hand_over(struct writer *w)
{
	pthread_mutex_lock(&w->lock);
	while (w->nfull == BATCHES || !w->nspare)
		pthread_cond_wait(&w->changed, &w->lock);
	w->full[(w->head + w->nfull++) % BATCHES] = w->filling;
	w->filling = w->spare[--w->nspare];
	w->filling->sealed = w->nfull >= SEAL_BEHIND;
	pthread_cond_broadcast(&w->changed);
	pthread_mutex_unlock(&w->lock);
}

/* Insert what is left (unless `flush` is false), wait for the writer, free the batches:
 * the writer's error, if it had one, and its row. */
static px_err writer_finish(struct writer *w, bool flush, int64_t *failed_row)
{
	if (flush && w->filling->n)
		writer_hand_over(w);
	pthread_mutex_lock(&w->lock);
	w->done = true;
	pthread_cond_broadcast(&w->changed);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	px_err rc = w->rc;
	*failed_row = w->failed_row;
	writer_free(w);
	return rc;
}

/* Rows' strings go to the arena of the batch being filled while rows are inserted. */
static void use_arena(struct run *r, struct arena *a)
{
	r->ra = a;
	r->fc.arena = a;
}

static int en(const struct run *r)
{
	return px_lang_is_en(r->o->lang);
}

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
	if (r->w)
		pthread_mutex_lock(&r->w->db_lock);
	px_err rc = units_find_by_name(r->db, path, name, id);
	if (r->w)
		pthread_mutex_unlock(&r->w->db_lock);
	if (rc == PX_ERR_NOT_FOUND) {
		*id = 0;
		rc = PX_OK;
	}
	if (!rc && r->scope.scope == SCOPE_UNIT && *id != r->scope.unit_id)
		*id = 0;
	if (!rc && r->scope.scope != SCOPE_ALL && r->scope.scope != SCOPE_REGION &&
	    r->scope.scope != SCOPE_UNIT)
		*id = 0;
	*slot = *id > 0 ? *id : -1;
	return rc;
}

static const char *already_registered(const struct run *r)
{
	return en(r) ? "This ID number is already registered" : "该身份证号已登记,不能重复导入";
}

static void row_problem(struct run *r, const char *field, const char *code, const char *msg)
{
	problems_add(&r->res->problems, r->fc.row, field, code, "%s", msg);
}

/* Where an ID number (by its blind index) was seen: its first row in the file, -1 when it is
 * in the database (known during a bulk load), 0 when it is new — and then it is recorded at
 * `row`. Two numbers whose first 64 bits agree but not the rest are rare enough to be told
 * apart by rebuilding the unique index: the second is simply not recorded. */
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

static void preload_hash(void *ctx, const char *hex)
{
	seen_id(ctx, hex, -1);
}

/*
 * An ID number typed into a General-format cell becomes a number that Excel keeps to 15
 * digits (1.20101198001011E+17): the number is lost, not mistyped. Say so, with the fix,
 * instead of "must have 18 characters".
 */
static void number_hint(struct run *r, const struct sheet_row *row, size_t before)
{
	if (r->h.col[CF_ID_NUMBER] < 0)
		return;
	const struct sheet_cell *c = sheet_row_cell(row, (size_t)r->h.col[CF_ID_NUMBER]);
	if (c->type != SHEET_NUMBER || !strpbrk(c->text, "Ee."))
		return;
	for (size_t i = before; i < r->res->problems.n; i++) {
		struct problem *p = &r->res->problems.items[i];
		if (!p->field || strcmp(p->field, "id_number"))
			continue;
		free(p->message);
		p->code = "stored_as_number";
		p->message =
			xstrdup(en(r) ? "The ID number was saved as a number and lost its last "
					"digits; format the column as text and type it again"
				      : "身份证号被 Excel 存成了数字,末几位已丢失:请将该列设为"
					"“文本”格式后重新填写");
	}
}

static px_err cadre_row(struct run *r, const struct sheet_row *row)
{
	struct cadre_input in = { 0 };
	for (int f = 0; f < CF__COUNT; f++)
		in.v[f] = cell_text(r->ra, &r->h, row, f);
	size_t before = problems_count(&r->res->problems);
	struct cadre c;
	cadre_validate(&r->fc, &in, &c);
	number_hint(r, row, before);
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
			char msg[300];
			snprintf(msg, sizeof msg,
				 en(r) ? "Unit \"%s\" does not exist or is outside your scope"
				       : "单位「%s」不存在或不在您的管理范围内",
				 name);
			row_problem(r, "unit", "not_found", msg);
		}
	}
	struct cadre_sealed z;
	z.id_hash[0] = '\0';
	bool known = false; /* in the database already */
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
	}
	bool ok = problems_count(&r->res->problems) == before;
	if (ok && !known && !r->writing && z.id_hash[0] && !r->bulk.preloaded) {
		px_err rc = cadres_id_hash_exists(r->db, z.id_hash, 0, &known);
		if (rc)
			return rc;
	}
	if (ok && known) {
		row_problem(r, "id_number", "duplicate", already_registered(r));
		ok = false;
	}
	if (!ok) {
		r->writing = false;
		use_arena(r, &r->row_arena); /* no more batches */
		return PX_OK;
	}
	if (!r->writing)
		return PX_OK;
	px_err rc = PX_OK;
	if (r->w && atomic_load_explicit(&r->w->failed, memory_order_relaxed)) {
		/* the writer failed; import_run reports it once the writer has stopped */
		r->writing = false;
		use_arena(r, &r->row_arena);
		return PX_OK;
	}
	if (r->w) { /* the writer inserts (and encrypts, unless this batch is sealed here) */
		struct batch *b = r->w->filling;
		if (b->sealed && (rc = cadre_seal_encrypt(r->keys, &c, &z)))
			return rc;
		b->rows[b->n++] = (struct sealed_row){ .c = c, .z = z, .row = row->number };
		if (b->n == BATCH_ROWS) {
			writer_hand_over(r->w); /* a failure is seen on the next row */
			use_arena(r, &r->w->filling->arena);
		}
	} else if (!(rc = cadre_seal_encrypt(r->keys, &c, &z)))
		rc = r->bulk.active ? cadres_insert_bulk(r->db, &c, &z, r->now)
				    : cadres_insert(r->db, &c, &z, r->now, false);
	if (rc == PX_ERR_CONFLICT) {
		row_problem(r, "id_number", "duplicate", already_registered(r));
		r->writing = false;
		return PX_OK;
	}
	if (rc)
		return rc;
	bool fresh;
	*map_slot(&r->unit_counts, (uint64_t)c.unit_id, &fresh) += 1;
	r->res->imported_rows++;
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
		in.v[f] = cell_text(&r->row_arena, &r->h, row, f);
	size_t before = problems_count(&r->res->problems);
	struct unit u;
	unit_validate(&r->fc, &in, &u);
	const char *region = in.v[UF_REGION];
	size_t rlen = region ? utf8_trim(&region, strlen(region)) : 0;
	if (rlen == 0 && r->o->who && r->o->who->region_id > 0) {
		u.region_id = r->o->who->region_id; /* the admin's own region is the default */
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

static px_err on_row(void *ctx, const struct sheet_row *row)
{
	struct run *r = ctx;
	if (!r->h.row) {
		if (++r->rows_seen > HEADER_SEARCH_ROWS)
			return PX_ERR_BAD_FILE;
		header_try(&r->h, row);
		return PX_OK;
	}
	if (r->ra == &r->row_arena)
		arena_reset(&r->row_arena);
	r->fc.row = row->number;
	r->res->total_rows++;
	return r->o->kind == IMPORT_CADRES ? cadre_row(r, row) : unit_row(r, row);
}

/* After the header: every required column must be there. */
static void check_columns(struct run *r)
{
	for (int f = 0; f < r->h.nfields; f++) {
		const struct field_def *fd = &r->h.fields[f];
		if (!fd->required || r->h.col[f] >= 0)
			continue;
		/* Columns with a default for this caller. */
		if (r->o->kind == IMPORT_CADRES && f == CF_UNIT && r->scope.scope == SCOPE_UNIT)
			continue;
		if (r->o->kind == IMPORT_UNITS && f == UF_REGION && r->o->who &&
		    r->o->who->region_id > 0)
			continue;
		problems_add(&r->res->problems, r->h.row, fd->name, "missing_column",
			     en(r) ? "The column \"%s\" is missing" : "缺少「%s」列",
			     field_label(fd, r->o->lang));
	}
}

static char *problems_json(const struct problems *pb)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < pb->n; i++) {
		const struct problem *p = &pb->items[i];
		json_array_append_new(arr,
				      json_pack("{sI ss ss ss}", "row", (json_int_t)p->row, "field",
						p->field ? p->field : "", "code",
						p->code ? p->code : "", "message", p->message));
	}
	char *s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return s;
}

static px_err record(struct run *r, const void *data, size_t len, const char *status)
{
	struct import_record rec = { .at = r->now,
				     .user_id = r->o->who ? r->o->who->user_id : 0,
				     .kind = import_kind_name(r->o->kind),
				     .filename = r->o->filename ? r->o->filename : "",
				     .format = r->res->format ? r->res->format : "",
				     .status = status,
				     .total_rows = (int64_t)r->res->total_rows,
				     .imported_rows = (int64_t)r->res->imported_rows,
				     .error_count = (int64_t)problems_count(&r->res->problems) };
	char *errors = problems_json(&r->res->problems);
	rec.errors_json = errors;
	struct buf file = BUF_INIT(0);
	if (!strcmp(status, "rejected") && r->o->keep_file && len <= KEEP_FILE_MAX)
		secret_encrypt(r->keys, data, len, &file);
	rec.file_enc = file.data ? file.data : "";
	px_err rc = store_begin(r->db);
	if (!rc)
		rc = imports_insert(r->db, &rec);
	if (!rc) {
		json_t *after = json_pack(
			"{ss ss ss sI sI sI}", "kind", rec.kind, "filename", rec.filename, "status",
			status, "total_rows", (json_int_t)rec.total_rows, "imported_rows",
			(json_int_t)rec.imported_rows, "error_count", (json_int_t)rec.error_count);
		char *a = json_dumps(after, JSON_COMPACT);
		rc = audit_add(r->db, r->o->who, r->o->ip, "import", "import", rec.id, NULL, a);
		free(a);
		json_decref(after);
	}
	if (!rc)
		rc = store_commit(r->db);
	else
		store_rollback(r->db);
	r->res->id = rec.id;
	free(errors);
	buf_release(&file);
	return rc;
}

px_err import_run(struct store *db, const struct secret_keys *keys, const void *data, size_t len,
		  const struct import_opts *o, struct import_result *res)
{
	struct run r = { .db = db, .keys = keys, .o = o, .res = res, .now = time_now() };
	r.h.fields = kind_fields(o->kind, &r.h.nfields);
	arena_init(&r.row_arena);
	r.ra = &r.row_arena;
	r.fc = (struct field_ctx){ .pb = &res->problems,
				   .arena = &r.row_arena,
				   .lang = o->lang,
				   .today = date_today_cst() };
	if (o->who)
		r.scope = scope_filter_for(o->who, PERM_IMPORT);
	else
		r.scope.scope = SCOPE_ALL;
	res->total_rows = res->imported_rows = 0;
	res->message[0] = '\0';
	res->id = 0;
	r.writing = !o->dry_run;

	px_err rc = PX_OK;
	if (r.scope.scope == SCOPE_NONE)
		return PX_ERR_FORBIDDEN;
	if (o->kind == IMPORT_UNITS && (rc = load_regions(&r)))
		goto out;
	/* A large file of cadres is a bulk load (see cadres_bulk_begin). */
	bool bulk = o->kind == IMPORT_CADRES && !o->dry_run && len > BULK_LOAD_BYTES;
	store_bulk(db, bulk ? STORE_BULK_LOAD : STORE_BULK_WRITE);
	if ((rc = store_begin(db)))
		goto out;
	if (bulk && (rc = cadres_bulk_begin(db, &r.bulk, preload_hash, &r))) {
		cadres_bulk_end(db, &r.bulk, false);
		store_rollback(db);
		goto out;
	}
	/* ... in two threads where a thread can be had (else in this one, only slower) */
	struct writer w;
	if (r.bulk.preloaded && r.writing && !writer_start(&w, db, keys, r.now, !r.bulk.active)) {
		r.w = &w;
		use_arena(&r, &w.filling->arena);
	}
	/* Registries are narrow and their cells short: refuse anything wider early. */
	struct sheet_options so = { .lang = o->lang,
				    .limits = { .max_cols = 100, .max_cell_bytes = 4096 } };
	struct sheet_result sr = { 0 };
	/* The header check runs when the header row is seen: wrap on_row to do it once. */
	rc = sheet_read(data, len, &so, on_row, &r, &sr);
	if (r.w) {
		use_arena(&r, &r.row_arena);
		int64_t failed_row;
		px_err wrc = writer_finish(&w, !rc && r.writing, &failed_row);
		if (wrc == PX_ERR_CONFLICT) /* as cadre_row says it on one thread */
			problems_add(&res->problems, failed_row, "id_number", "duplicate", "%s",
				     already_registered(&r));
		else if (!rc)
			rc = wrc;
		r.w = NULL;
	}
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
	if (!rc && r.h.row)
		check_columns(&r);
	if (!rc && res->total_rows == 0 && !problems_count(&res->problems))
		problems_add(&res->problems, r.h.row, NULL, "empty",
			     en(&r) ? "The file has no data rows" : "文件中没有数据行");
	if (!rc && problems_count(&res->problems))
		rc = PX_ERR_IMPORT_REJECTED;
	if (r.bulk.n) { /* a load that is rolled back gets its indexes back from the rollback */
		px_err brc = cadres_bulk_end(db, &r.bulk, !rc && !o->dry_run);
		if (!rc)
			rc = brc;
	}
	/* Bring the per-unit counters up to date in the same transaction. */
	for (size_t i = 0; !rc && i < r.unit_counts.cap; i++)
		if (r.unit_counts.e[i].key)
			rc = units_add_cadres(db, (int64_t)r.unit_counts.e[i].key,
					      r.unit_counts.e[i].val);
	if (!rc && !o->dry_run) {
		rc = store_commit(db);
	} else {
		store_rollback(db);
		res->imported_rows = 0;
	}
	{
		const char *status = rc == PX_OK ? (o->dry_run ? "checked" : "imported")
				     : rc == PX_ERR_IMPORT_REJECTED ? "rejected"
								    : "failed";
		px_err rec_rc = record(&r, data, len, status);
		if (!rc)
			rc = rec_rc;
	}
out:
	store_bulk(db, STORE_BULK_OFF);
	arena_release(&r.row_arena);
	map_release(&r.seen_ids);
	map_release(&r.unit_by_name);
	map_release(&r.unit_counts);
	map_release(&r.region_by_name);
	return rc;
}

/* ---- template ------------------------------------------------------------------------- */

/* NULL-terminated labels of a vocabulary in the language, from the arena. */
static const char *const *enum_choices(struct arena *a, const struct enum_table *t,
				       const char *lang)
{
	const char **v = arena_alloc(a, (t->n + 1) * sizeof *v);
	for (size_t i = 0; i < t->n; i++)
		v[i] = px_lang_is_en(lang) ? t->items[i].en : t->items[i].zh;
	return v;
}

static enum xlsx_col_kind cadre_col_kind(int f)
{
	switch (f) {
	case CF_ID_NUMBER:
	case CF_PHONE: return XLSX_COL_TEXT;
	case CF_BIRTH_DATE:
	case CF_POST_DATE:
	case CF_PROMOTION_DATE: return XLSX_COL_DATE;
	default: return XLSX_COL_GENERAL;
	}
}

static const char *const cadre_help_zh[] = {
	"干部信息导入说明",
	"1. 请在「干部名册」工作表中逐行填写,第一行为表头,请勿修改或删除表头;列的顺序可以调整。",
	"2. 红色表头为必填列:姓名、身份证号、单位、职级层次、干部类别。",
	"3. 身份证号须为 18 "
	"位并通过校验位检查;性别和出生日期可不填,系统按身份证号自动识别,填写时须与身份证号一致。",
	"4. 单位须填写系统中已有的单位全称或简称(可从下拉列表选择);单位联络员可不填,默认为本单位。",
	"5. 日期格式为 2023-02-18,也可写作 2023/2/18 或 2023年2月18日。",
	"6. "
	"导入要么全部成功,要么全部不导入:任何一行有错,系统会给出逐行错误报告("
	"可下载带「错误说明」列的 Excel),修改后重新导入即可。",
	"7. 同一身份证号在文件中或系统中已存在时不能重复导入。也可保存为 CSV(UTF-8 或 GBK "
	"编码均可)后导入。",
};
static const char *const cadre_help_en[] = {
	"Importing cadres",
	"1. Fill in one cadre per row on the first sheet. Keep the header row; columns may be "
	"reordered.",
	"2. Columns with a red header are required: name, ID number, unit, rank level, category.",
	"3. The ID number must have 18 characters and a valid check digit. Gender and birth date "
	"may be left empty: they are read from the ID number; if given, they must agree with it.",
	"4. The unit must be the full or short name of a unit in the system (pick it from the "
	"list). Unit liaisons may leave it empty for their own unit.",
	"5. Dates look like 2023-02-18 (2023/2/18 and 2023年2月18日 work too).",
	"6. An import is all or nothing: if any row is wrong, nothing is imported and you get a "
	"row-by-row error report (an Excel file with an error column). Fix the rows and import "
	"again.",
	"7. An ID number already in the file or in the system cannot be imported twice. A CSV file "
	"(UTF-8 or GBK) works as well.",
};
static const char *const unit_help_zh[] = {
	"单位信息导入说明",
	"1. 请在第一个工作表中逐行填写,第一行为表头,请勿修改表头。",
	("2. 红色表头为必填列:单位名称、单位类型、所属地区(组织部管理员可不填所属地区,"
	 "默认为本地区)。"),
	"3. 单位类型可选:乡镇、街道、开发区(园区)、市直部门、国有企业、事业单位、其他。",
	"4. 主导产业可填写多个,用顿号或逗号分隔,如:石材、水暖。",
	"5. 同一地区内单位名称不能重复;导入要么全部成功,要么全部不导入,并给出逐行错误报告。",
};
static const char *const unit_help_en[] = {
	"Importing units",
	"1. Fill in one unit per row on the first sheet. Keep the header row.",
	"2. Columns with a red header are required: name, type and region (organization admins may "
	"leave the region empty for their own).",
	"3. Unit types: township, sub-district, development zone / park, city department, "
	"state-owned enterprise, public institution, other.",
	"4. Several industries may be listed, separated by commas.",
	"5. Unit names must be unique within a region. An import is all or nothing, with a "
	"row-by-row error report.",
};

/* Unit names in scope (for the template's dropdown), NULL-terminated, from the arena. */
static const char *const *unit_choices(struct store *db, struct arena *a,
				       const struct scope_filter *scope)
{
	struct unit_query q = { .scope = *scope, .page = 1, .page_size = 5000 };
	struct unit_row *items;
	size_t n = 0;
	int64_t total;
	if (units_list(db, a, &q, &items, &n, &total))
		n = 0;
	const char **v = arena_alloc(a, (n + 1) * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = items[i].u.name;
	return v;
}

px_err import_template(struct store *db, enum import_kind kind, const struct principal *who,
		       const char *lang, struct buf *out)
{
	struct arena a;
	arena_init(&a);
	int nf;
	const struct field_def *fields = kind_fields(kind, &nf);
	struct xlsx_column cols[MAX_FIELDS] = { { 0 } };
	struct scope_filter scope = who ? scope_filter_for(who, PERM_IMPORT)
					: (struct scope_filter){ .scope = SCOPE_ALL };
	static const char *const yes_no_zh[] = { "是", "否", NULL };
	static const char *const yes_no_en[] = { "yes", "no", NULL };
	for (int f = 0; f < nf; f++) {
		cols[f].header = field_label(&fields[f], lang);
		cols[f].required = fields[f].required;
		cols[f].width = 14;
	}
	if (kind == IMPORT_CADRES) {
		for (int f = 0; f < nf; f++)
			cols[f].kind = cadre_col_kind(f);
		cols[CF_ID_NUMBER].width = 22;
		cols[CF_UNIT].width = 24;
		cols[CF_POST].width = 18;
		cols[CF_GENDER].choices = enum_choices(&a, &enum_gender, lang);
		cols[CF_IS_HEAD].choices = px_lang_is_en(lang) ? yes_no_en : yes_no_zh;
		cols[CF_RANK_LEVEL].choices = enum_choices(&a, &enum_rank_level, lang);
		cols[CF_GRADE].choices = enum_choices(&a, &enum_grade, lang);
		cols[CF_CATEGORY].choices = enum_choices(&a, &enum_category, lang);
		cols[CF_STATUS].choices = enum_choices(&a, &enum_status, lang);
		cols[CF_UNIT].choices = unit_choices(db, &a, &scope);
		if (scope.scope == SCOPE_UNIT)
			cols[CF_UNIT].required = false;
	} else {
		cols[UF_NAME].width = 26;
		cols[UF_TYPE].choices = enum_choices(&a, &enum_unit_type, lang);
		cols[UF_CODE].kind = XLSX_COL_TEXT;
		cols[UF_SORT].kind = XLSX_COL_INTEGER;
		if (who && who->region_id > 0)
			cols[UF_REGION].required = false;
	}
	bool en_lang = px_lang_is_en(lang);
	const char *sheet = kind == IMPORT_CADRES ? (en_lang ? "Cadres" : "干部名册")
						  : (en_lang ? "Units" : "单位");
	const char *const *help = kind == IMPORT_CADRES ? (en_lang ? cadre_help_en : cadre_help_zh)
							: (en_lang ? unit_help_en : unit_help_zh);
	size_t nhelp = kind == IMPORT_CADRES ? sizeof cadre_help_zh / sizeof cadre_help_zh[0]
					     : sizeof unit_help_zh / sizeof unit_help_zh[0];
	struct xlsx_writer *w;
	px_err rc = xlsx_writer_new(NULL, &w);
	if (!rc)
		rc = xlsx_writer_add_sheet(w, sheet, cols, (size_t)nf);
	if (!rc)
		rc = xlsx_writer_add_text_sheet(w, en_lang ? "Instructions" : "填写说明", help,
						nhelp);
	if (!rc)
		rc = xlsx_writer_finish(w, out);
	else
		xlsx_writer_free(w);
	arena_release(&a);
	return rc;
}

/* ---- error report ------------------------------------------------------------------------ */

struct report {
	struct xlsx_writer *w;
	struct header h;
	json_t *errors; /* array of {row, field, code, message} */
	const char *lang;
	struct arena arena;
	uint32_t rows_seen;
	px_err err;
};

static px_err report_row(void *ctx, const struct sheet_row *row)
{
	struct report *rp = ctx;
	arena_release(&rp->arena);
	if (!rp->h.row) {
		if (++rp->rows_seen > HEADER_SEARCH_ROWS || !header_try(&rp->h, row))
			return PX_OK;
		size_t n = row->ncells + 1;
		struct xlsx_column *cols = xcalloc(n, sizeof *cols);
		for (size_t c = 0; c < row->ncells; c++) {
			cols[c].header = *row->cells[c].text ? row->cells[c].text : " ";
			cols[c].kind = XLSX_COL_TEXT;
			cols[c].width = 14;
		}
		/* Wider columns where the values are long. */
		static const int wide[] = { CF_ID_NUMBER, CF_UNIT, CF_POST };
		for (size_t k = 0; rp->h.fields == cadre_fields && k < sizeof wide / sizeof wide[0];
		     k++)
			if (rp->h.col[wide[k]] >= 0)
				cols[rp->h.col[wide[k]]].width = 22;
		cols[n - 1].header = px_lang_is_en(rp->lang) ? "Errors" : "错误说明";
		cols[n - 1].width = 60;
		cols[n - 1].required = true;
		px_err rc = xlsx_writer_add_sheet(
			rp->w, px_lang_is_en(rp->lang) ? "Error report" : "错误报告", cols, n);
		free(cols);
		return rc;
	}
	size_t ncols = row->ncells;
	for (int f = 0; f < rp->h.nfields; f++)
		if (rp->h.col[f] >= 0 && (size_t)rp->h.col[f] + 1 > ncols)
			ncols = (size_t)rp->h.col[f] + 1;
	struct xlsx_value *vals = arena_alloc(&rp->arena, (ncols + 1) * sizeof *vals);
	for (size_t c = 0; c < ncols; c++)
		vals[c] = xlsx_text(sheet_row_cell(row, c)->text);
	struct buf msg = BUF_INIT(8192);
	size_t i;
	json_t *e;
	json_array_foreach(rp->errors, i, e)
	{
		if (json_integer_value(json_object_get(e, "row")) != row->number)
			continue;
		if (msg.len)
			buf_puts(&msg, ";");
		buf_puts(&msg, json_string_value(json_object_get(e, "message")));
		const char *field = json_string_value(json_object_get(e, "field"));
		for (int f = 0; field && f < rp->h.nfields; f++)
			if (!strcmp(rp->h.fields[f].name, field) && rp->h.col[f] >= 0)
				vals[rp->h.col[f]].mark = true;
	}
	vals[ncols] = xlsx_text(msg.data ? msg.data : "");
	/* The error column sits after the header's last column. */
	px_err rc = xlsx_writer_add_row(rp->w, vals, ncols + 1, msg.len ? XLSX_ROW_HIGHLIGHT : 0);
	buf_release(&msg);
	return rc;
}

px_err import_report(struct store *db, const struct secret_keys *keys, int64_t import_id,
		     const char *lang, struct buf *out)
{
	struct arena a;
	arena_init(&a);
	struct import_record rec;
	struct buf file = BUF_INIT(0);
	struct report rp = { .lang = lang };
	arena_init(&rp.arena);
	px_err rc = imports_get(db, &a, import_id, &rec);
	if (!rc && !*rec.file_enc)
		rc = PX_ERR_NOT_FOUND;
	if (!rc)
		rc = secret_decrypt(keys, rec.file_enc, &file);
	enum import_kind kind = IMPORT_CADRES;
	import_kind_from(rec.kind, &kind);
	rp.h.fields = kind_fields(kind, &rp.h.nfields);
	if (!rc) {
		rp.errors = json_loads(rec.errors_json, 0, NULL);
		if (!json_is_array(rp.errors)) {
			json_decref(rp.errors);
			rp.errors = json_array();
		}
		rc = xlsx_writer_new(NULL, &rp.w);
	}
	if (!rc) {
		struct sheet_options so = { .lang = lang };
		rc = sheet_read(file.data, file.len, &so, report_row, &rp, NULL);
		if (!rc && !rp.h.row)
			rc = PX_ERR_BAD_FILE;
		if (!rc)
			rc = xlsx_writer_finish(rp.w, out);
		else
			xlsx_writer_free(rp.w);
	}
	json_decref(rp.errors);
	arena_release(&rp.arena);
	buf_release(&file);
	arena_release(&a);
	return rc;
}

/* ---- export ------------------------------------------------------------------------------ */

px_err export_cadres(struct store *db, const struct secret_keys *keys, const struct cadre_query *q,
		     bool unmasked, const char *lang, struct buf *out, size_t *rows)
{
	struct xlsx_column cols[CF__COUNT] = { { 0 } };
	for (int f = 0; f < CF__COUNT; f++) {
		cols[f].header = field_label(&cadre_fields[f], lang);
		cols[f].kind = cadre_col_kind(f);
		cols[f].width = f == CF_ID_NUMBER ? 22 : f == CF_UNIT ? 24 : 14;
	}
	struct xlsx_writer_options wo = { .constant_memory = true };
	struct xlsx_writer *w;
	px_err rc = xlsx_writer_new(&wo, &w);
	if (!rc)
		rc = xlsx_writer_add_sheet(w, px_lang_is_en(lang) ? "Cadres" : "干部名册", cols,
					   CF__COUNT);
	struct cadre_query page = *q;
	page.after_id = 0;
	page.page = 1;
	page.page_size = 1000;
	page.sort = NULL;
	*rows = 0;
	struct arena a;
	arena_init(&a);
	bool en_lang = px_lang_is_en(lang);
	while (!rc) {
		arena_release(&a);
		struct cadre_row *items;
		size_t n;
		/* id > after_id keeps each page cheap however deep the export goes */
		rc = cadres_list(db, &a, keys, &page, &items, &n, NULL);
		if (rc || n == 0)
			break;
		for (size_t i = 0; !rc && i < n; i++) {
			const struct cadre *c = &items[i].c;
			struct buf id = BUF_INIT(64), phone = BUF_INIT(64);
			const char *idv = c->id_number, *phonev = c->phone;
			if (unmasked && !(rc = cadres_reveal(db, keys, c->id, &id, &phone))) {
				idv = id.data ? id.data : "";
				phonev = phone.data ? phone.data : "";
			}
			struct xlsx_value v[CF__COUNT] = {
				[CF_NAME] = xlsx_text(c->name),
				[CF_GENDER] = xlsx_text(enum_label(&enum_gender, c->gender, lang)),
				[CF_BIRTH_DATE] =
					xlsx_date(date_parse(c->birth_date, strlen(c->birth_date))),
				[CF_ID_NUMBER] = xlsx_text(idv),
				[CF_PHONE] = xlsx_text(phonev),
				[CF_UNIT] = xlsx_text(items[i].unit_name),
				[CF_POST] = xlsx_text(c->post),
				[CF_IS_HEAD] = xlsx_text(c->is_head ? (en_lang ? "yes" : "是")
								    : (en_lang ? "no" : "否")),
				[CF_RANK_LEVEL] = xlsx_text(
					enum_label(&enum_rank_level, c->rank_level, lang)),
				[CF_GRADE] = xlsx_text(
					*c->grade ? enum_label(&enum_grade, c->grade, lang) : ""),
				[CF_CATEGORY] =
					xlsx_text(enum_label(&enum_category, c->category, lang)),
				[CF_POST_DATE] = *c->post_date
							 ? xlsx_date(date_parse(c->post_date, 10))
							 : xlsx_text(""),
				[CF_PROMOTION_DATE] =
					*c->promotion_date
						? xlsx_date(date_parse(c->promotion_date, 10))
						: xlsx_text(""),
				[CF_STATUS] = xlsx_text(enum_label(&enum_status, c->status, lang)),
			};
			if (!rc)
				rc = xlsx_writer_add_row(w, v, CF__COUNT, 0);
			buf_release(&id);
			buf_release(&phone);
			(*rows)++;
		}
		page.after_id = items[n - 1].c.id;
		if (n < (size_t)page.page_size)
			break;
	}
	arena_release(&a);
	if (!rc)
		return xlsx_writer_finish(w, out);
	xlsx_writer_free(w);
	return rc;
}

px_err export_units(struct store *db, const struct unit_query *q, const char *lang, struct buf *out,
		    size_t *rows)
{
	struct xlsx_column cols[UF__COUNT + 1] = { { 0 } };
	for (int f = 0; f < UF__COUNT; f++) {
		cols[f].header = field_label(&unit_fields[f], lang);
		cols[f].width = f == UF_NAME ? 26 : 14;
	}
	cols[UF_CODE].kind = XLSX_COL_TEXT;
	cols[UF__COUNT].header = px_lang_is_en(lang) ? "Cadres" : "干部人数";
	cols[UF__COUNT].kind = XLSX_COL_INTEGER;
	struct xlsx_writer *w;
	px_err rc = xlsx_writer_new(NULL, &w);
	if (!rc)
		rc = xlsx_writer_add_sheet(w, px_lang_is_en(lang) ? "Units" : "单位", cols,
					   UF__COUNT + 1);
	struct unit_query page = *q;
	page.page_size = 500;
	*rows = 0;
	struct arena a;
	arena_init(&a);
	for (page.page = 1; !rc; page.page++) {
		arena_release(&a);
		struct unit_row *items;
		size_t n;
		int64_t total;
		rc = units_list(db, &a, &page, &items, &n, &total);
		for (size_t i = 0; !rc && i < n; i++) {
			struct unit_row *u = &items[i];
			struct xlsx_value v[UF__COUNT + 1] = {
				[UF_NAME] = xlsx_text(u->u.name),
				[UF_SHORT_NAME] = xlsx_text(u->u.short_name),
				[UF_TYPE] = xlsx_text(enum_label(&enum_unit_type, u->u.type, lang)),
				[UF_REGION] = xlsx_text(u->region_name),
				[UF_INDUSTRIES] = xlsx_text(u->u.industries),
				[UF_CODE] = xlsx_text(u->u.code),
				[UF_SORT] = xlsx_number(u->u.sort_order),
				[UF__COUNT] = xlsx_number((double)u->cadre_count),
			};
			rc = xlsx_writer_add_row(w, v, UF__COUNT + 1, 0);
			(*rows)++;
		}
		if (rc || n < (size_t)page.page_size)
			break;
	}
	arena_release(&a);
	if (!rc)
		return xlsx_writer_finish(w, out);
	xlsx_writer_free(w);
	return rc;
}
