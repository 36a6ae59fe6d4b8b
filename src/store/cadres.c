/*
 * cadres.c — cadres (干部) and their history. See registry.h.
 *
 * Personal numbers are sealed before they reach SQL (cadre_seal): the row keeps the
 * ciphertext, a blind index for exact lookups and duplicate checks, and the masked text
 * that lists show, so listing never decrypts. Updates append one cadre_history row per
 * changed career field; nothing is overwritten without a trace. units.cadre_count follows
 * every insert and move in the same transaction.
 */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/mem.h"
#include "domain/mask.h"
#include "store/cadres_sql.h"
#include "store/query.h"
#include "store/registry.h"

void cadre_seal_index(const struct secret_keys *k, const struct cadre *c, struct cadre_sealed *out)
{
	secret_blind_index(k, c->id_number, strlen(c->id_number), out->id_hash);
	mask_idcard(c->id_number, out->id_masked);
	out->phone_masked[0] = '\0';
	if (c->phone && *c->phone)
		mask_phone(c->phone, out->phone_masked, sizeof out->phone_masked);
}

/* The ID number and the phone sealed as one value: "ID\x1fphone" (neither can hold the
 * separator: both are validated digits), or the ID number alone when there is no phone. */
#define SEALED_SEP '\x1f'

px_err cadre_seal_encrypt(const struct secret_keys *k, const struct cadre *c,
			  struct cadre_sealed *out)
{
	char plain[IDCARD_LEN + 1 + SEALED_MAX];
	int n = c->phone && *c->phone ? snprintf(plain, sizeof plain, "%s%c%s", c->id_number,
						 SEALED_SEP, c->phone)
				      : snprintf(plain, sizeof plain, "%s", c->id_number);
	if (n < 0 || (size_t)n >= sizeof plain)
		return PX_ERR_TOO_LARGE;
	out->phone_enc[0] = '\0';
	return secret_encrypt_to(k, plain, (size_t)n, out->sealed, sizeof out->sealed);
}

px_err cadre_seal(const struct secret_keys *k, const struct cadre *c, struct cadre_sealed *out)
{
	cadre_seal_index(k, c, out);
	return cadre_seal_encrypt(k, c, out);
}

px_err units_add_cadres(struct store *s, int64_t unit_id, int64_t delta)
{
	return store_run(s, "UPDATE units SET cadre_count = cadre_count + ? WHERE id = ?", PX_OK,
			 "ii", delta, unit_id);
}

#define CADRE_INSERT                                                                               \
	"INSERT INTO cadres (" CADRE_COLUMNS ") VALUES "                                           \
	"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

/*
 * The search index (migration 0007). PostgreSQL's is an index of the table, kept by the
 * server; SQLite's is an FTS5 table that the store writes beside every insert and update.
 */
static px_err search_add(struct store *s, int64_t id, const char *name, const char *post)
{
	if (store_kind(s) != STORE_SQLITE)
		return PX_OK;
	return store_run(
		s, "INSERT INTO cadres_search (rowid, grams) VALUES (?, px_search_text(?, ?))",
		PX_OK, "itt", id, name, post ? post : "");
}

/* Unwrite what search_add wrote for these very values (FTS5's delete of a row without
 * stored text). */
static px_err search_remove(struct store *s, int64_t id, const char *name, const char *post)
{
	if (store_kind(s) != STORE_SQLITE)
		return PX_OK;
	return store_run(s,
			 "INSERT INTO cadres_search (cadres_search, rowid, grams) "
			 "VALUES ('delete', ?, px_search_text(?, ?))",
			 PX_OK, "itt", id, name, post ? post : "");
}

px_err cadres_search_index_new(struct store *s, int64_t *after_id)
{
	if (store_kind(s) != STORE_SQLITE)
		return PX_OK;
	px_err rc = store_run(s,
			      "INSERT INTO cadres_search (rowid, grams) "
			      "SELECT id, px_search_text(name, post) FROM cadres WHERE id > ?",
			      PX_OK, "i", *after_id);
	return rc ? rc
		  : store_query_int64(s, "SELECT COALESCE(MAX(id), 0) FROM cadres", after_id, "");
}

static px_err insert_row(struct store *s, struct cadre *c, const struct cadre_sealed *z,
			 int64_t now, bool count_unit, bool index)
{
	/* PX_ERR_CONFLICT: the ID number is registered already */
	px_err rc =
		store_insert_id(s, CADRE_INSERT " ON CONFLICT (id_hash) DO NOTHING RETURNING id",
				&c->id, CADRE_FIELDS_FMT "ii", CADRE_FIELDS(c, z), now, now);
	if (!rc && index)
		rc = search_add(s, c->id, c->name, c->post);
	if (!rc && count_unit)
		rc = units_add_cadres(s, c->unit_id, 1);
	return rc;
}

px_err cadres_insert(struct store *s, struct cadre *c, const struct cadre_sealed *z, int64_t now,
		     bool count_unit)
{
	return insert_row(s, c, z, now, count_unit, true);
}

px_err cadres_insert_unindexed(struct store *s, struct cadre *c, const struct cadre_sealed *z,
			       int64_t now)
{
	return insert_row(s, c, z, now, false, false);
}

#define CADRE_COLS                                                                                 \
	"c.id, c.unit_id, c.name, c.gender, c.birth_date, c.id_masked, c.phone_masked, c.post, "   \
	"c.is_head, c.rank_level, c.grade, c.category, c.post_date, c.promotion_date, c.status, "  \
	"c.version, c.created_at, c.updated_at, u.name, u.type, g.id, g.path, c.rank_position"
#define CADRE_FROM                                                                                 \
	" FROM cadres c JOIN units u ON u.id = c.unit_id JOIN regions g ON g.id = u.region_id"
#define CADRE_SELECT "SELECT " CADRE_COLS CADRE_FROM

/*
 * The FROM of a list's statements. SQLite plans without statistics and, given a region's
 * range of paths, walks regions → units → cadres_unit and fetches every cadre of the scope by
 * its rowid: for a scope of a million cadres that is a million random reads (a count of a
 * search for one character 0.34 → 1.9 s). The unary + makes c.unit_id no index key, so the
 * cadres are read in their order (a range of ids, the FTS5 matches, the page's order) and
 * each finds its unit and region by primary key; a unit's scope names c.unit_id itself
 * (qb_scope). PostgreSQL plans with statistics and keeps the plain join.
 */
static const char *cadres_from(struct store *s)
{
	return store_kind(s) == STORE_SQLITE ? " FROM cadres c JOIN units u ON u.id = +c.unit_id "
					       "JOIN regions g ON g.id = u.region_id"
					     : CADRE_FROM;
}
#define CADRE_NCOLS 23

/* A short column into a fixed field, cut to fit. */
static void copy_col(struct store_stmt *st, int i, char *out, size_t size)
{
	size_t n;
	const char *t = store_column_textn(st, i, &n);
	if (n >= size)
		n = size - 1;
	memcpy(out, t, n);
	out[n] = '\0';
}

static void read_cadre(struct arena *a, struct store_stmt *st, void *out)
{
	struct cadre_row *r = out;
	struct cadre *c = &r->c;
	c->id = store_column_int64(st, 0);
	c->unit_id = store_column_int64(st, 1);
	c->name = row_text(a, st, 2);
	copy_col(st, 3, c->gender, sizeof c->gender);
	copy_col(st, 4, c->birth_date, sizeof c->birth_date);
	copy_col(st, 5, c->id_number, sizeof c->id_number);
	c->phone = row_text(a, st, 6);
	c->post = row_text(a, st, 7);
	c->is_head = (int)store_column_int64(st, 8);
	c->rank_level = row_text(a, st, 9);
	c->grade = row_text(a, st, 10);
	c->category = row_text(a, st, 11);
	c->post_date = row_text(a, st, 12);
	c->promotion_date = row_text(a, st, 13);
	c->status = row_text(a, st, 14);
	r->version = store_column_int64(st, 15);
	r->created_at = store_column_int64(st, 16);
	r->updated_at = store_column_int64(st, 17);
	r->unit_name = row_text(a, st, 18);
	r->unit_type = row_text(a, st, 19);
	r->region_id = store_column_int64(st, 20);
	r->region_path = row_text(a, st, 21);
	c->rank_position = row_text(a, st, 22);
}

px_err cadres_get(struct store *s, struct arena *a, int64_t id, struct cadre_row *out)
{
	return store_get_row(s, a, CADRE_SELECT " WHERE c.id = ?", id, read_cadre, out);
}

static const struct sort_key cadre_sorts[] = {
	{ "id", "c.id" },
	{ "name", "c.name" },
	{ "birth_date", "c.birth_date" },
	{ "unit", "c.unit_id" },
	{ "rank_level", "c.rank_level" },
	{ "post_date", "c.post_date" },
	{ "updated_at", "c.updated_at" },
};

/* The same for a caller who sees birth dates as year and month: the order of the days must
 * not tell what the list hides (ties go by id). */
static const struct sort_key cadre_sorts_month[] = {
	{ "id", "c.id" },
	{ "name", "c.name" },
	{ "birth_date", "substr(c.birth_date, 1, 7)" },
	{ "unit", "c.unit_id" },
	{ "rank_level", "c.rank_level" },
	{ "post_date", "c.post_date" },
	{ "updated_at", "c.updated_at" },
};

/* True when the query has no filter beyond scope, region and unit. */
static bool plain_query(const struct cadre_query *q)
{
	return !(q->q && *q->q) && !q->rank_level && !q->category && !q->status && q->is_head < 0 &&
	       q->after_id <= 0;
}

/* A token of the SQLite search index: a character that the ASCII tokenizer keeps (any
 * non-ASCII one, ASCII letters and digits). */
static bool token_char(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

#define SEARCH_CHARS 64 /* characters of q the index looks up (more only narrow it further) */

/*
 * The tokens of q to look up, as the rows are indexed: its pairs of neighbouring characters
 * (each once). SQLite (fts): as an FTS5 query, the pairs of token characters (what the ASCII
 * tokenizer keeps whole) ANDed; empty for a single character or a q without such a pair,
 * which is then a scan. PostgreSQL: an array literal of the pairs (px_search_grams has every
 * pair), or of q's one character (and every character).
 */
static void search_tokens(const char *text, bool fts, struct buf *m)
{
	const char *at[SEARCH_CHARS + 1];
	size_t n = 0;
	for (const char *p = text; *p && n < SEARCH_CHARS;) {
		at[n++] = p;
		do
			p++;
		while ((*p & 0xC0) == 0x80);
		at[n] = p;
	}
	bool paired[SEARCH_CHARS] = { false };
	for (size_t pass = 0; pass < (fts ? 1 : 2); pass++) { /* FTS5 has no single characters */
		for (size_t i = 0; i < n; i++) {
			bool pair = pass == 0;
			bool keep = fts ? token_char((unsigned char)*at[i]) : true;
			if (pair && (i + 1 >= n || !keep ||
				     (fts && !token_char((unsigned char)*at[i + 1]))))
				continue;
			if (!pair && (paired[i] || !keep))
				continue;
			if (pair)
				paired[i] = paired[i + 1] = true;
			const char *t = at[i];
			size_t len = (size_t)(at[i + (pair ? 2 : 1)] - t);
			bool again = false; /* the same token before */
			for (size_t j = 0; j < i && !again; j++)
				again = (size_t)(at[j + (pair ? 2 : 1)] - at[j]) == len &&
					!memcmp(at[j], t, len);
			if (again)
				continue;
			if (fts) {
				buf_puts(m, m->len ? " AND \"" : "\"");
				buf_add(m, t, len);
			} else { /* an element of a text[] literal, quoted */
				buf_puts(m, m->len ? ",\"" : "{\"");
				for (size_t k = 0; k < len; k++) {
					if (t[k] == '"' || t[k] == '\\')
						buf_putc(m, '\\');
					buf_putc(m, t[k]);
				}
			}
			buf_putc(m, '"');
		}
	}
	if (!fts && m->len)
		buf_putc(m, '}');
}

/*
 * q as a substring of the name or the post: the rows whose name or post holds q's tokens
 * (search_tokens), from the search index of characters and pairs (SQLite: the FTS5 table
 * cadres_search; PostgreSQL: the GIN index of px_search_grams), then the substring itself.
 * A q without a token (SQLite: ASCII punctuation only) is a scan.
 */
static void search_filter(struct store *s, struct arena *a, struct qb *q, const char *text)
{
	bool fts = store_kind(s) == STORE_SQLITE;
	struct buf m = BUF_INIT(0);
	search_tokens(text, fts, &m);
	if (m.len && !m.err) {
		qb_where(q, fts ? "c.id IN (SELECT rowid FROM cadres_search WHERE cadres_search "
				  "MATCH ?)"
				: "px_search_grams(c.name, c.post) @> CAST(? AS TEXT[])");
		qb_arg_text(q, arena_strdup(a, m.data));
	}
	buf_release(&m);
	qb_where(q, "(c.name LIKE ? ESCAPE '\\' OR c.post LIKE ? ESCAPE '\\')");
	const char *pat = like_contains(a, text);
	qb_arg_text(q, pat);
	qb_arg_text(q, pat);
}

/* True when SQLite's search index answers text (it has a pair of token characters). */
static bool search_indexed(struct store *s, const char *text)
{
	if (store_kind(s) != STORE_SQLITE)
		return false;
	struct buf m = BUF_INIT(0);
	search_tokens(text, true, &m);
	bool any = m.len && !m.err;
	buf_release(&m);
	return any;
}

static void cadre_filters(struct store *s, struct arena *a, struct qb *q,
			  const struct cadre_query *cq, const struct secret_keys *keys)
{
	qb_scope(q, &cq->scope, true);
	if (cq->region_id > 0)
		qb_region_subtree(q, "g.path", cq->region_id);
	if (cq->unit_id > 0) {
		qb_where(q, "c.unit_id = ?");
		qb_arg_int(q, cq->unit_id);
	}
	if (cq->q && *cq->q) {
		size_t n = strlen(cq->q);
		if (keys && n == IDCARD_LEN &&
		    idcard_check(cq->q, n, DATE_NONE, NULL, NULL, NULL) == IDCARD_OK) {
			char *h = arena_alloc(a, 33);
			char norm[IDCARD_LEN + 1];
			idcard_check(cq->q, n, DATE_NONE, norm, NULL, NULL);
			secret_blind_index(keys, norm, IDCARD_LEN, h);
			qb_where(q, "c.id_hash = ?");
			qb_arg_text(q, h);
		} else {
			search_filter(s, a, q, cq->q);
		}
	}
	if (cq->rank_level) {
		qb_where(q, "c.rank_level = ?");
		qb_arg_text(q, cq->rank_level);
	}
	if (cq->category) {
		qb_where(q, "c.category = ?");
		qb_arg_text(q, cq->category);
	}
	if (cq->status) {
		qb_where(q, "c.status = ?");
		qb_arg_text(q, cq->status);
	}
	if (cq->is_head >= 0) {
		qb_where(q, "c.is_head = ?");
		qb_arg_int(q, cq->is_head);
	}
	if (cq->after_id > 0) {
		qb_where(q, "c.id > ?");
		qb_arg_int(q, cq->after_id);
	}
}

/*
 * The total of a query without filters beyond scope, region and unit, from the counters
 * that units and regions keep (never a count over the cadres): the SQL of one value into q,
 * which may also go into another statement as a scalar subquery. A region's scope is its
 * own counter (its subtree, kept by the triggers of migration 0007), the whole registry the
 * sum of the roots'; with a region or unit filter, the units' counters inside both. False
 * when the query needs counting (a filter of cadres' own fields, a scope of single cadres).
 */
static bool counter_total(struct qb *q, const char *select, const struct cadre_query *cq)
{
	enum scope sc = cq->scope.scope;
	if (!plain_query(cq) || (sc != SCOPE_ALL && sc != SCOPE_REGION && sc != SCOPE_UNIT))
		return false;
	qb_init(q, select);
	if (cq->region_id <= 0 && cq->unit_id <= 0 && sc == SCOPE_REGION) {
		qb_sql(q, "SELECT COALESCE((SELECT cadre_count FROM regions WHERE path = ?), 0)");
		qb_arg_text(q, cq->scope.region_path);
	} else if (cq->region_id <= 0 && cq->unit_id <= 0 && sc == SCOPE_ALL) {
		qb_sql(q,
		       "SELECT COALESCE(SUM(cadre_count), 0) FROM regions WHERE parent_id IS NULL");
	} else {
		/* the regions join only when a region decides */
		bool by_region = cq->region_id > 0 || sc == SCOPE_REGION;
		qb_sql(q, by_region ? "SELECT COALESCE(SUM(u.cadre_count), 0) FROM units u "
				      "JOIN regions g ON g.id = u.region_id"
				    : "SELECT COALESCE(SUM(u.cadre_count), 0) FROM units u");
		qb_scope(q, &cq->scope, false);
		if (cq->region_id > 0)
			qb_region_subtree(q, "g.path", cq->region_id);
		if (cq->unit_id > 0) {
			qb_where(q, "u.id = ?");
			qb_arg_int(q, cq->unit_id);
		}
	}
	return true;
}

_Static_assert(CADRES_SEARCH_TOTAL_MAX == 1000, "count_cadres' LIMIT is one more");

static px_err count_cadres(struct store *s, struct arena *a, const struct cadre_query *cq,
			   const struct secret_keys *keys, int64_t *total)
{
	struct qb q;
	if (!counter_total(&q, "", cq)) {
		/* A search counts its matches up to one past the most: a common character (王,
		 * 长) matches a tenth or half of a province, which no index counts in
		 * milliseconds, and nobody pages through more than a thousand anyway. Not on
		 * SQLite when its index answers: there the LIMIT inside a subquery turns the plan
		 * round (the cadres scanned, the index's rows probed: 0.7 s for a rare pair), and
		 * the index's own count is a matter of milliseconds. */
		bool search = cq->q && *cq->q && !search_indexed(s, cq->q);
		qb_init(&q, search ? "SELECT COUNT(*) FROM (SELECT 1" : "SELECT COUNT(*)");
		qb_sql(&q, cadres_from(s));
		cadre_filters(s, a, &q, cq, keys);
		if (search)
			qb_sql(&q, " LIMIT 1001) t");
	}
	return qb_count(s, &q, total);
}

/* The page query of a list after q's SELECT and columns: from, filters, order, page. */
static void cadre_page_rest(struct store *s, struct arena *a, struct qb *q,
			    const struct cadre_query *cq, const struct secret_keys *keys)
{
	qb_sql(q, cadres_from(s));
	cadre_filters(s, a, q, cq, keys);
	if (cq->after_id > 0 || !cq->sort)
		qb_sql(q, " ORDER BY c.id");
	else if (cq->birth_month_only)
		qb_order(q, cadre_sorts_month,
			 sizeof cadre_sorts_month / sizeof cadre_sorts_month[0], cq->sort, "c.id");
	else
		qb_order(q, cadre_sorts, sizeof cadre_sorts / sizeof cadre_sorts[0], cq->sort,
			 "c.id");
	qb_page(q, cq->after_id > 0 ? 1 : cq->page, cq->page_size);
}

px_err cadres_list(struct store *s, struct arena *a, const struct secret_keys *keys,
		   const struct cadre_query *cq, struct cadre_row **items, size_t *n,
		   int64_t *total)
{
	px_err rc = PX_OK;
	if (total && (rc = count_cadres(s, a, cq, keys, total)))
		return rc;
	struct qb q;
	qb_init(&q, "SELECT " CADRE_COLS);
	cadre_page_rest(s, a, &q, cq, keys);
	return qb_rows(s, a, &q, read_cadre, sizeof **items, (void **)items, n);
}

/* A row of the page with the total of the list beside it (the column after the cadre's). */
struct row_total {
	struct cadre_row row; /* first: what `each` is given */
	int64_t total;
	bool seen;
};

static void read_cadre_total(struct arena *a, struct store_stmt *st, void *out)
{
	struct row_total *r = out;
	read_cadre(a, st, &r->row);
	r->total = store_column_int64(st, CADRE_NCOLS);
	r->seen = true;
}

px_err cadres_each(struct store *s, struct arena *a, const struct secret_keys *keys,
		   const struct cadre_query *cq, void (*each)(void *ctx, const void *row),
		   void *ctx, int64_t *total)
{
	struct qb q;
	struct row_total row = { .seen = false };
	/* The total from the counters comes with the page's rows, one statement instead of two
	 * (a round trip fewer on PostgreSQL); only an empty page asks for it on its own. */
	if (total && counter_total(&q, "SELECT " CADRE_COLS ", (", cq)) {
		qb_sql(&q, ")");
		q.has_where = false; /* the subquery's WHERE was its own */
		cadre_page_rest(s, a, &q, cq, keys);
		px_err rc = qb_each(s, &q, read_cadre_total, &row, each, ctx);
		if (rc || row.seen) {
			*total = row.total;
			return rc;
		}
		return count_cadres(s, a, cq, keys, total);
	}
	px_err rc = PX_OK;
	if (total && (rc = count_cadres(s, a, cq, keys, total)))
		return rc;
	qb_init(&q, "SELECT " CADRE_COLS);
	cadre_page_rest(s, a, &q, cq, keys);
	return qb_each(s, &q, read_cadre, &row.row, each, ctx);
}

px_err cadres_id_hash_exists(struct store *s, const char *hash, int64_t except_id, bool *exists)
{
	int64_t id;
	px_err rc = store_query_int64(s, "SELECT id FROM cadres WHERE id_hash = ? AND id <> ?", &id,
				      "ti", hash, except_id);
	*exists = !rc;
	return rc == PX_ERR_NOT_FOUND ? PX_OK : rc;
}

px_err cadres_id_hash_unit(struct store *s, const char *hash, int64_t *unit_id)
{
	px_err rc = store_query_int64(s, "SELECT unit_id FROM cadres WHERE id_hash = ?", unit_id,
				      "t", hash);
	if (rc == PX_ERR_NOT_FOUND) {
		*unit_id = 0;
		rc = PX_OK;
	}
	return rc;
}

px_err cadres_id_hash_cadre(struct store *s, const char *hash, int64_t *cadre_id)
{
	px_err rc = store_query_int64(s, "SELECT id FROM cadres WHERE id_hash = ?", cadre_id, "t",
				      hash);
	if (rc == PX_ERR_NOT_FOUND) {
		*cadre_id = 0;
		rc = PX_OK;
	}
	return rc;
}

px_err cadres_history_add(struct store *s, int64_t cadre_id, const struct cadre_history *h)
{
	return store_run(s,
			 "INSERT INTO cadre_history (cadre_id, field, old_value, new_value, "
			 "old_label, new_label, effective_date, reason, changed_at, "
			 "changed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			 PX_OK, "itttttttiI", cadre_id, h->field, h->old_value, h->new_value,
			 h->old_label, h->new_label, h->effective_date ? h->effective_date : "",
			 h->reason ? h->reason : "", h->changed_at, h->changed_by);
}

px_err cadres_update(struct store *s, const struct cadre_row *before, struct cadre *c,
		     const struct cadre_sealed *z, int64_t version)
{
	const struct cadre *b = &before->c;
	/* A stale version changes nothing at all (the caller rolls back what came before). */
	px_err rc =
		store_run(s,
			  "UPDATE cadres SET unit_id = ?, name = ?, gender = ?, birth_date = ?, "
			  "sealed = ?, id_hash = ?, id_masked = ?, phone_enc = ?, "
			  "phone_masked = ?, post = ?, is_head = ?, rank_level = ?, grade = ?, "
			  "category = ?, post_date = ?, promotion_date = ?, status = ?, "
			  "rank_position = ?, updated_at = ?, version = version + 1 "
			  "WHERE id = ? AND version = ?",
			  PX_ERR_CONFLICT, CADRE_FIELDS_FMT "iii", CADRE_FIELDS(c, z), time_now(),
			  b->id, version);
	const char *bpost = b->post ? b->post : "", *cpost = c->post ? c->post : "";
	if (!rc && (strcmp(b->name, c->name) || strcmp(bpost, cpost))) {
		rc = search_remove(s, b->id, b->name, bpost);
		if (!rc)
			rc = search_add(s, b->id, c->name, cpost);
	}
	if (!rc && b->unit_id != c->unit_id) {
		rc = units_add_cadres(s, b->unit_id, -1);
		if (!rc)
			rc = units_add_cadres(s, c->unit_id, 1);
	}
	if (!rc)
		c->id = b->id;
	return rc;
}

px_err cadres_reveal(struct store *s, const struct secret_keys *k, int64_t id,
		     struct buf *id_number, struct buf *phone)
{
	struct store_stmt *st;
	px_err rc = store_prepare(s, "SELECT sealed, phone_enc FROM cadres WHERE id = ?", &st);
	if (rc)
		return rc;
	bool row = false;
	rc = store_bindf(st, "i", id);
	if (!rc)
		rc = store_step(st, &row);
	if (!rc && !row)
		rc = PX_ERR_NOT_FOUND;
	size_t start = id_number->len;
	if (!rc)
		rc = secret_decrypt(k, store_column_text(st, 0), id_number);
	char *sep = rc ? NULL : memchr(id_number->data + start, SEALED_SEP, id_number->len - start);
	if (sep) { /* "ID\x1fphone" */
		buf_add(phone, sep + 1, (size_t)(id_number->data + id_number->len - sep - 1));
		id_number->len = (size_t)(sep - id_number->data);
		id_number->data[id_number->len] = '\0';
		rc = phone->err;
	} else if (!rc && *store_column_text(st, 1)) { /* sealed before migration 0005 */
		rc = secret_decrypt(k, store_column_text(st, 1), phone);
	}
	store_done(st);
	return rc;
}

static void read_history(struct arena *a, struct store_stmt *st, void *out)
{
	struct cadre_history *h = out;
	h->id = store_column_int64(st, 0);
	h->field = row_text(a, st, 1);
	h->old_value = row_text(a, st, 2);
	h->new_value = row_text(a, st, 3);
	h->old_label = row_text(a, st, 4);
	h->new_label = row_text(a, st, 5);
	h->effective_date = row_text(a, st, 6);
	h->reason = row_text(a, st, 7);
	h->changed_at = store_column_int64(st, 8);
	h->changed_by = store_column_int64(st, 9);
	h->changed_by_name = row_text(a, st, 10);
}

px_err cadres_history(struct store *s, struct arena *a, int64_t cadre_id,
		      struct cadre_history **out, size_t *n)
{
	struct qb q;
	qb_init(&q, "SELECT h.id, h.field, h.old_value, h.new_value, h.old_label, "
		    "h.new_label, h.effective_date, h.reason, h.changed_at, "
		    "COALESCE(h.changed_by, 0), COALESCE(us.display_name, '') "
		    "FROM cadre_history h LEFT JOIN users us ON us.id = h.changed_by "
		    "WHERE h.cadre_id = ? ORDER BY h.id DESC LIMIT 500");
	qb_arg_int(&q, cadre_id);
	return qb_rows(s, a, &q, read_history, sizeof **out, (void **)out, n);
}

px_err cadres_count_by_rank_and_unit_type(struct store *s, struct arena *a,
					  const struct scope_filter *f, struct rank_count **out,
					  size_t *n)
{
	struct qb q;
	qb_init(&q, "SELECT u.type, c.rank_level, COUNT(*)");
	qb_sql(&q, cadres_from(s));
	qb_scope(&q, f, true);
	qb_where(&q, "c.status = 'active'");
	qb_sql(&q, " GROUP BY u.type, c.rank_level ORDER BY u.type, c.rank_level");
	struct store_stmt *st = NULL;
	px_err rc = qb_prepare(s, &q, &st);
	size_t cap = 64;
	*out = arena_alloc(a, cap * sizeof **out);
	*n = 0;
	bool row = false;
	while (!rc && !(rc = store_step(st, &row)) && row && *n < cap) {
		struct rank_count *r = &(*out)[(*n)++];
		r->unit_type = row_text(a, st, 0);
		r->rank_level = row_text(a, st, 1);
		r->count = store_column_int64(st, 2);
	}
	store_done(st);
	qb_release(&q);
	return rc;
}
