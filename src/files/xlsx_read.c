/*
 * xlsx_read.c — the .xlsx half of sheet_read(): from parts to rows.
 *
 * The workbook is found the way Office finds it, never by guessing file names:
 * _rels/.rels names the main part (normally xl/workbook.xml), its relationships part
 * (xl/_rels/workbook.xml.rels) maps each <sheet r:id> to a worksheet part and names the
 * styles and shared-strings parts. Then, in this order:
 *   styles.xml         only what tells a date from a number: numFmts and cellXfs;
 *   sharedStrings.xml  kept whole (cells refer to it by index): one buffer of
 *                      NUL-terminated strings plus an offset per string;
 *   the worksheet      streamed; each <row> becomes one callback.
 *
 * Every part goes through the same driver (parse_part): 64 KiB chunks from the source are
 * counted against the read's byte budget, scanned for tags with absurdly many attributes
 * (libxml2 2.9 checks duplicate attributes in quadratic time), and pushed into a libxml2
 * SAX2 push parser — no DOM, no xmlReader node objects, which keeps a million-row sheet
 * fast and its memory flat. The parser is hardened: no network, no entity substitution, a
 * DOCTYPE stops the parse (so no internal or external entities, no billion laughs), the
 * default size and depth limits stay on (no XML_PARSE_HUGE), and libxml2's errors come to
 * us instead of stderr. Element names are matched by local name, which covers both the
 * transitional and the strict OOXML namespaces.
 */
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/date.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "files/xlsx_int.h"

#define XLSX_CHUNK      65536
#define XLSX_MAX_ATTRS  256    /* per tag; OOXML elements carry fewer than 30 */
#define XLSX_MAX_RELS   4096   /* relationships in one .rels part */
#define XLSX_MAX_SHEETS 1024   /* Excel allows as many as memory does; real files, dozens */
#define XLSX_MAX_XFS    262144 /* cell formats; Excel's own limit is 64,000 */
#define XLSX_MAX_FMTS   65536  /* custom number formats */
#define XLSX_MAX_META   4096   /* bytes of a relationship target, sheet name, format code */

struct rel {
	const char *id;
	const char *type;
	const char *target;
};

struct sheet_entry {
	const char *name;
	const char *rid;
	int hidden;
};

struct custom_fmt {
	uint32_t id;
	uint32_t order; /* position in styles.xml: a later definition of an id wins */
	uint8_t kind;
};

enum cell_kind {
	CELL_NUMBER,
	CELL_SHARED,
	CELL_INLINE,
	CELL_STR,
	CELL_BOOL,
	CELL_ERROR,
	CELL_DATE
};

struct xlsx_reader;

/* The element callbacks of one kind of part. */
struct part_handlers {
	void (*start)(struct xlsx_reader *x, const char *name, int nattr, const xmlChar **attrs);
	void (*end)(struct xlsx_reader *x, const char *name);
};

struct xlsx_reader {
	struct sheet_ctx *c;
	const struct xlsx_source *src;
	xmlParserCtxtPtr xml;
	const struct part_handlers *h;
	const char *part; /* being parsed, for messages */
	size_t total;     /* bytes inflated so far, all parts */
	char *chunk;
	struct arena arena; /* names and paths; live for the whole read */

	/* the attribute guard's state, carried across chunks */
	int guard_state;
	char guard_quote;
	unsigned guard_attrs;

	/* text of the element being collected (<v>, <t>) */
	struct buf text;
	int collecting;

	/* relationships of the last .rels part parsed */
	struct rel *rels;
	size_t nrels, rels_alloc;

	/* workbook.xml */
	struct sheet_entry *sheets;
	size_t nsheets, sheets_alloc;
	int date1904;
	int saw_workbook;

	/* styles.xml: numFmtId of each cellXfs <xf>, resolved to a kind afterwards */
	struct custom_fmt *fmts;
	size_t nfmts, fmts_alloc;
	uint32_t *xf_fmt;
	uint8_t *xf_kind;
	size_t nxf, xf_alloc;
	int in_cellxfs;

	/* sharedStrings.xml */
	struct buf sst;
	size_t *sst_off;
	size_t nsst, sst_alloc;
	int in_si;
	int rph_depth; /* inside <rPh>: phonetic hints, not cell text */

	/* the worksheet */
	int in_sheetdata, in_row, in_cell, in_is;
	uint32_t row, prev_row;
	uint32_t col, prev_col;
	enum cell_kind cell_kind;
	uint32_t cell_style;
	int cell_has_value;
	size_t ncells;  /* cells placed in the current row */
	size_t *rowoff; /* per cell: offset of its text in rowtext, or SIZE_MAX */
	size_t rowoff_alloc;
	struct buf rowtext;
};

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init_once(void)
{
	xmlInitParser();
}

/* ---- failures ---------------------------------------------------------------------- */

/* Record a failure and stop the parse in progress. */
static void stop(struct xlsx_reader *x, enum sheet_problem p, uint32_t row, uint32_t col,
		 const char *detail)
{
	sheet_fail(x->c, p, row, col, detail);
	if (x->xml)
		xmlStopParser(x->xml);
}

static int failed(const struct xlsx_reader *x)
{
	return x->c->err != PX_OK;
}

static void sax_error(void *ctx, xmlErrorPtr e)
{
	struct xlsx_reader *x = ctx;
	if (!e || e->level < XML_ERR_ERROR || failed(x))
		return;
	char detail[160];
	snprintf(detail, sizeof detail, "%s: %d", x->part, e->line);
	int enc = e->code == XML_ERR_INVALID_CHAR || e->code == XML_ERR_INVALID_ENCODING ||
		  e->code == XML_ERR_UNKNOWN_ENCODING || e->code == XML_ERR_UNSUPPORTED_ENCODING;
	stop(x, enc ? SP_XML_ENCODING : SP_XML_MALFORMED, 0, 0, detail);
}

/* libxml2 reports a few problems (encoding conversion) outside any parser context. */
static void quiet_generic_error(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* ---- attributes -------------------------------------------------------------------- */

/*
 * The value of attribute `name` (a local name; with want_ns, only one in a namespace, as
 * r:id) as a NUL-terminated copy in out[outsize], or NULL when absent or too long.
 */
static const char *attr(int nattr, const xmlChar **a, const char *name, int want_ns, char *out,
			size_t outsize)
{
	for (int i = 0; i < nattr; i++, a += 5) {
		if (strcmp((const char *)a[0], name) != 0 || (want_ns && !a[2]))
			continue;
		size_t n = (size_t)(a[4] - a[3]);
		if (n >= outsize)
			return NULL;
		memcpy(out, a[3], n);
		out[n] = '\0';
		return out;
	}
	return NULL;
}

/* The same, copied into the read's arena (for names kept until the end). */
static const char *attr_keep(struct xlsx_reader *x, int nattr, const xmlChar **a, const char *name,
			     int want_ns)
{
	for (int i = 0; i < nattr; i++, a += 5) {
		if (strcmp((const char *)a[0], name) != 0 || (want_ns && !a[2]))
			continue;
		size_t n = (size_t)(a[4] - a[3]);
		if (n > XLSX_MAX_META) {
			stop(x, SP_XML_TOO_MANY_ITEMS, 0, 0, x->part);
			return NULL;
		}
		return arena_strndup(&x->arena, (const char *)a[3], n);
	}
	return NULL;
}

/* A non-negative decimal integer below 2^32 made of digits only. */
static int parse_u32(const char *s, size_t n, uint32_t *out)
{
	uint64_t v = 0;
	if (n == 0 || n > 10)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return 0;
	*out = (uint32_t)v;
	return 1;
}

static int parse_u32z(const char *s, uint32_t *out)
{
	return s && parse_u32(s, strlen(s), out);
}

/* Grow an array of `size`-byte items to hold n+1, refusing past `max`. */
static int grow(void **arr, size_t *alloc, size_t n, size_t size, size_t max)
{
	if (n >= max)
		return 0;
	if (n < *alloc)
		return 1;
	size_t na = *alloc ? *alloc * 2 : 16;
	*arr = xrealloc(*arr, na * size);
	*alloc = na;
	return 1;
}

/* ---- the part driver --------------------------------------------------------------- */

enum { GUARD_TEXT, GUARD_TAG, GUARD_QUOTE };

/* The bytes that change the guard's state inside a tag. */
static const unsigned char guard_stop[256] = { ['>'] = 1, ['"'] = 1, ['\''] = 1, ['='] = 1 };

/* Count attributes ('=' outside quotes) per tag in raw XML; 0, or -1 when over the cap. */
static int guard_scan(struct xlsx_reader *x, const char *p, size_t n)
{
	const char *end = p + n;
	int st = x->guard_state;
	char q = x->guard_quote;
	unsigned k = x->guard_attrs;
	int rc = 0;
	while (p < end) {
		if (st == GUARD_TEXT) {
			p = memchr(p, '<', (size_t)(end - p));
			if (!p)
				break;
			p++;
			st = GUARD_TAG;
			k = 0;
		} else if (st == GUARD_QUOTE) {
			p = memchr(p, q, (size_t)(end - p));
			if (!p)
				break;
			p++;
			st = GUARD_TAG;
		} else {
			while (p < end && !guard_stop[(unsigned char)*p])
				p++;
			if (p == end)
				break;
			char ch = *p++;
			if (ch == '>') {
				st = GUARD_TEXT;
			} else if (ch == '"' || ch == '\'') {
				st = GUARD_QUOTE;
				q = ch;
			} else if (ch == '=' && ++k > XLSX_MAX_ATTRS) {
				rc = -1;
				break;
			}
		}
	}
	x->guard_state = st;
	x->guard_quote = q;
	x->guard_attrs = k;
	return rc;
}

static void sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		      const xmlChar *uri, int nns, const xmlChar **ns, int nattr, int ndefaulted,
		      const xmlChar **attrs)
{
	struct xlsx_reader *x = ctx;
	(void)prefix, (void)uri, (void)nns, (void)ns, (void)ndefaulted;
	if (!failed(x))
		x->h->start(x, (const char *)localname, nattr, attrs);
}

static void sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
	struct xlsx_reader *x = ctx;
	(void)prefix, (void)uri;
	if (!failed(x))
		x->h->end(x, (const char *)localname);
}

static void sax_text(void *ctx, const xmlChar *s, int len)
{
	struct xlsx_reader *x = ctx;
	if (!x->collecting || failed(x))
		return;
	buf_add(&x->text, s, (size_t)len);
	if (x->text.err)
		stop(x, SP_CELL_TOO_LONG, x->row, x->col, x->row ? NULL : x->part);
}

static void sax_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	struct xlsx_reader *x = ctx;
	(void)name, (void)ext, (void)sys;
	stop(x, SP_XML_DOCTYPE, 0, 0, x->part);
}

static void sax_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *pub,
			    const xmlChar *sys, xmlChar *content)
{
	struct xlsx_reader *x = ctx;
	(void)name, (void)type, (void)pub, (void)sys, (void)content;
	stop(x, SP_XML_DOCTYPE, 0, 0, x->part);
}

/*
 * Stream part `name` through handlers h. A missing part is PX_ERR_NOT_FOUND (recorded as
 * SP_MISSING_PART when `required`); any other failure is recorded.
 */
static px_err parse_part(struct xlsx_reader *x, const char *name, const struct part_handlers *h,
			 int required)
{
	void *stream = NULL;
	px_err rc = x->src->ops->open(x->src->impl, x->c, name,
				      x->c->lim.max_total_bytes - x->total, &stream);
	if (rc == PX_ERR_NOT_FOUND && required)
		rc = sheet_fail(x->c, SP_MISSING_PART, 0, 0, name);
	if (rc)
		return rc;

	xmlSAXHandler sax;
	memset(&sax, 0, sizeof sax);
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = sax_start;
	sax.endElementNs = sax_end;
	sax.characters = sax_text;
	sax.cdataBlock = sax_text;
	sax.internalSubset = sax_doctype;
	sax.entityDecl = sax_entity_decl;
	sax.serror = sax_error;

	x->part = name;
	x->h = h;
	x->guard_state = GUARD_TEXT;
	x->guard_attrs = 0;
	x->collecting = 0;
	x->xml = xmlCreatePushParserCtxt(&sax, x, NULL, 0, name);
	if (!x->xml) {
		rc = PX_ERR_NOMEM;
		goto out;
	}
	xmlCtxtUseOptions(x->xml, XML_PARSE_NONET);
	for (;;) {
		ssize_t n = x->src->ops->read(stream, x->c, x->chunk, XLSX_CHUNK);
		if (n < 0)
			break;
		if ((size_t)n > x->c->lim.max_total_bytes - x->total) {
			stop(x, SP_TOTAL_TOO_LARGE, 0, 0, name);
			break;
		}
		x->total += (size_t)n;
		if (guard_scan(x, x->chunk, (size_t)n)) {
			stop(x, SP_XML_TOO_MANY_ATTRS, 0, 0, name);
			break;
		}
		xmlParseChunk(x->xml, x->chunk, (int)n, n == 0);
		if (failed(x) || n == 0)
			break;
	}
	if (!failed(x) && !x->xml->wellFormed)
		sheet_fail(x->c, SP_XML_MALFORMED, 0, 0, name);
	rc = x->c->err;
out:
	if (x->xml) {
		xmlFreeParserCtxt(x->xml);
		x->xml = NULL;
	}
	x->src->ops->close(stream);
	return rc;
}

/* ---- relationships ----------------------------------------------------------------- */

static void rels_start(struct xlsx_reader *x, const char *name, int nattr, const xmlChar **a)
{
	if (strcmp(name, "Relationship") != 0)
		return;
	char mode[16];
	const char *m = attr(nattr, a, "TargetMode", 0, mode, sizeof mode);
	if (m && strcmp(m, "External") == 0)
		return;
	const char *id = attr_keep(x, nattr, a, "Id", 0);
	const char *type = attr_keep(x, nattr, a, "Type", 0);
	const char *target = attr_keep(x, nattr, a, "Target", 0);
	if (!id || !type || !target)
		return;
	if (!grow((void **)&x->rels, &x->rels_alloc, x->nrels, sizeof *x->rels, XLSX_MAX_RELS)) {
		stop(x, SP_XML_TOO_MANY_ITEMS, 0, 0, x->part);
		return;
	}
	x->rels[x->nrels++] = (struct rel){ id, type, target };
}

static void ignore_end(struct xlsx_reader *x, const char *name)
{
	(void)x, (void)name;
}

static const struct part_handlers rels_handlers = { rels_start, ignore_end };

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static const struct rel *rel_by_type(const struct xlsx_reader *x, const char *suffix)
{
	for (size_t i = 0; i < x->nrels; i++)
		if (ends_with(x->rels[i].type, suffix))
			return &x->rels[i];
	return NULL;
}

static const struct rel *rel_by_id(const struct xlsx_reader *x, const char *id)
{
	for (size_t i = 0; i < x->nrels; i++)
		if (strcmp(x->rels[i].id, id) == 0)
			return &x->rels[i];
	return NULL;
}

/*
 * The part a relationship target names: absolute ("/xl/…") or relative to dir (which ends
 * in '/' or is ""), with "." and ".." resolved. NULL when it climbs above the root.
 */
static const char *resolve_target(struct xlsx_reader *x, const char *dir, const char *target)
{
	const char *joined =
		target[0] == '/' ? target + 1 : arena_printf(&x->arena, "%s%s", dir, target);
	size_t n = strlen(joined);
	char *out = arena_alloc(&x->arena, n + 1);
	size_t w = 0;
	const char *p = joined;
	while (*p) {
		const char *seg = p;
		while (*p && *p != '/')
			p++;
		size_t len = (size_t)(p - seg);
		if (*p == '/')
			p++;
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			if (w == 0)
				return NULL;
			w--; /* drop the '/' ending the last segment, then the segment */
			while (w && out[w - 1] != '/')
				w--;
			continue;
		}
		memcpy(out + w, seg, len);
		w += len;
		if (*p || p[-1] == '/')
			out[w++] = '/';
	}
	while (w && out[w - 1] == '/')
		w--;
	out[w] = '\0';
	return w ? out : NULL;
}

/* ---- workbook.xml ------------------------------------------------------------------ */

static void workbook_start(struct xlsx_reader *x, const char *name, int nattr, const xmlChar **a)
{
	char v[16];
	if (strcmp(name, "workbook") == 0) {
		x->saw_workbook = 1;
	} else if (strcmp(name, "workbookPr") == 0) {
		const char *d = attr(nattr, a, "date1904", 0, v, sizeof v);
		x->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
	} else if (strcmp(name, "sheet") == 0) {
		const char *sname = attr_keep(x, nattr, a, "name", 0);
		const char *rid = attr_keep(x, nattr, a, "id", 1);
		const char *state = attr(nattr, a, "state", 0, v, sizeof v);
		if (!sname || !rid)
			return;
		if (!grow((void **)&x->sheets, &x->sheets_alloc, x->nsheets, sizeof *x->sheets,
			  XLSX_MAX_SHEETS)) {
			stop(x, SP_XML_TOO_MANY_ITEMS, 0, 0, x->part);
			return;
		}
		x->sheets[x->nsheets++] = (struct sheet_entry){
			sname, rid,
			state && (strcmp(state, "hidden") == 0 || strcmp(state, "veryHidden") == 0)
		};
	}
}

static const struct part_handlers workbook_handlers = { workbook_start, ignore_end };

/* ---- styles.xml -------------------------------------------------------------------- */

static void styles_start(struct xlsx_reader *x, const char *name, int nattr, const xmlChar **a)
{
	char v[16];
	uint32_t id = 0;
	if (strcmp(name, "cellXfs") == 0) {
		x->in_cellxfs = 1;
	} else if (strcmp(name, "xf") == 0 && x->in_cellxfs) {
		if (!grow((void **)&x->xf_fmt, &x->xf_alloc, x->nxf, sizeof *x->xf_fmt,
			  XLSX_MAX_XFS)) {
			stop(x, SP_XML_TOO_MANY_ITEMS, 0, 0, x->part);
			return;
		}
		parse_u32z(attr(nattr, a, "numFmtId", 0, v, sizeof v), &id);
		x->xf_fmt[x->nxf++] = id;
	} else if (strcmp(name, "numFmt") == 0) {
		char code[512];
		const char *fc = attr(nattr, a, "formatCode", 0, code, sizeof code);
		if (!fc || !parse_u32z(attr(nattr, a, "numFmtId", 0, v, sizeof v), &id))
			return;
		if (!grow((void **)&x->fmts, &x->fmts_alloc, x->nfmts, sizeof *x->fmts,
			  XLSX_MAX_FMTS)) {
			stop(x, SP_XML_TOO_MANY_ITEMS, 0, 0, x->part);
			return;
		}
		x->fmts[x->nfmts] = (struct custom_fmt){ id, (uint32_t)x->nfmts,
							 (uint8_t)xlsx_numfmt_classify(fc) };
		x->nfmts++;
	}
}

static void styles_end(struct xlsx_reader *x, const char *name)
{
	if (strcmp(name, "cellXfs") == 0)
		x->in_cellxfs = 0;
}

static const struct part_handlers styles_handlers = { styles_start, styles_end };

static int fmt_cmp(const void *a, const void *b)
{
	const struct custom_fmt *p = a, *q = b;
	if (p->id != q->id)
		return p->id < q->id ? -1 : 1;
	return p->order < q->order ? -1 : p->order > q->order;
}

/*
 * Each cell format's kind: a custom code defined in the file wins over the built-in id.
 * Sorting the custom formats (and keeping the last definition of each id) makes this
 * n log n: a styles.xml of 262,144 <xf> and 65,536 <numFmt> stays cheap.
 */
static void styles_resolve(struct xlsx_reader *x)
{
	if (x->nfmts)
		qsort(x->fmts, x->nfmts, sizeof *x->fmts, fmt_cmp);
	size_t n = 0;
	for (size_t i = 0; i < x->nfmts; i++) {
		if (n && x->fmts[n - 1].id == x->fmts[i].id)
			n--;
		x->fmts[n++] = x->fmts[i];
	}
	x->nfmts = n;
	x->xf_kind = xmalloc(x->nxf ? x->nxf : 1);
	for (size_t i = 0; i < x->nxf; i++) {
		struct custom_fmt key = { x->xf_fmt[i], 0, 0 };
		const struct custom_fmt *f = NULL;
		size_t lo = 0, hi = x->nfmts;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (x->fmts[mid].id < key.id)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < x->nfmts && x->fmts[lo].id == key.id)
			f = &x->fmts[lo];
		x->xf_kind[i] = f ? f->kind : (uint8_t)xlsx_numfmt_builtin(key.id);
	}
}

/* ---- sharedStrings.xml and inline strings ----------------------------------------- */

/* <t> text counts inside <si> or <is>, directly or in a rich-text run <r>, not in <rPh>. */
static void string_start(struct xlsx_reader *x, const char *name)
{
	if (strcmp(name, "t") == 0 && !x->rph_depth)
		x->collecting = 1;
	else if (strcmp(name, "rPh") == 0)
		x->rph_depth++;
}

static void string_end(struct xlsx_reader *x, const char *name)
{
	if (strcmp(name, "t") == 0)
		x->collecting = 0;
	else if (strcmp(name, "rPh") == 0 && x->rph_depth)
		x->rph_depth--;
}

static void sst_start(struct xlsx_reader *x, const char *name, int nattr, const xmlChar **a)
{
	(void)nattr, (void)a;
	if (strcmp(name, "si") == 0) {
		x->in_si = 1;
		x->rph_depth = 0;
		buf_reset(&x->text);
	} else if (x->in_si) {
		string_start(x, name);
	}
}

static void sst_end(struct xlsx_reader *x, const char *name)
{
	if (strcmp(name, "si") != 0) {
		if (x->in_si)
			string_end(x, name);
		return;
	}
	x->in_si = 0;
	x->collecting = 0;
	size_t len = x->text.len;
	if (x->text.data)
		xlsx_unescape(x->text.data, &len);
	if (!grow((void **)&x->sst_off, &x->sst_alloc, x->nsst, sizeof *x->sst_off, SIZE_MAX)) {
		stop(x, SP_XML_TOO_MANY_ITEMS, 0, 0, x->part);
		return;
	}
	x->sst_off[x->nsst++] = x->sst.len;
	buf_add(&x->sst, x->text.data ? x->text.data : "", len);
	buf_add(&x->sst, "", 1);
	if (x->sst.err)
		stop(x, SP_TOTAL_TOO_LARGE, 0, 0, x->part);
}

static const struct part_handlers sst_handlers = { sst_start, sst_end };

/* ---- the worksheet ----------------------------------------------------------------- */

/* "C12" → column 3, row 12. Both parts are checked against Excel's grid. */
static int parse_ref(const char *s, uint32_t *col, uint32_t *row)
{
	uint32_t c = 0;
	size_t i = 0;
	for (; s[i] >= 'A' && s[i] <= 'Z'; i++) {
		if (i == 3)
			return 0;
		c = c * 26 + (uint32_t)(s[i] - 'A' + 1);
	}
	if (c == 0 || c > SHEET_EXCEL_MAX_COLS)
		return 0;
	uint32_t r;
	if (!parse_u32(s + i, strlen(s + i), &r) || r == 0 || r > SHEET_EXCEL_MAX_ROWS)
		return 0;
	*col = c;
	*row = r;
	return 1;
}

static void row_start(struct xlsx_reader *x, int nattr, const xmlChar **a)
{
	char v[32];
	const char *r = attr(nattr, a, "r", 0, v, sizeof v);
	uint32_t n;
	if (x->in_row) {
		stop(x, SP_XML_MALFORMED, x->row, 0, x->part);
		return;
	}
	if (r) {
		if (!parse_u32z(r, &n) || n == 0 || n > SHEET_EXCEL_MAX_ROWS) {
			stop(x, SP_BAD_REF, x->prev_row + 1, 0, r);
			return;
		}
	} else {
		n = x->prev_row + 1;
	}
	if (n <= x->prev_row) {
		stop(x, SP_ROW_ORDER, n, 0, NULL);
		return;
	}
	if (n > SHEET_EXCEL_MAX_ROWS) {
		stop(x, SP_BAD_REF, n, 0, NULL);
		return;
	}
	x->in_row = 1;
	x->row = n;
	x->prev_col = 0;
	x->ncells = 0;
	buf_reset(&x->rowtext);
}

static void row_end(struct xlsx_reader *x)
{
	x->in_row = 0;
	x->prev_row = x->row;
	struct sheet_cell *cells = x->c->cells;
	for (size_t i = 0; i < x->ncells; i++)
		if (x->rowoff[i] != SIZE_MAX)
			cells[i].text = x->rowtext.data + x->rowoff[i];
	if (x->rowtext.err) {
		stop(x, SP_TOTAL_TOO_LARGE, x->row, 0, NULL);
		return;
	}
	px_err rc = sheet_emit_row(x->c, x->row, x->ncells);
	if (rc) {
		/* The callback's own error, or max_rows: either way the read ends here. */
		if (!x->c->err)
			x->c->err = rc;
		xmlStopParser(x->xml);
	}
	x->row = 0;
	x->col = 0;
}

struct cell_type_name {
	const char *name;
	enum cell_kind kind;
};

static const struct cell_type_name cell_types[] = {
	{ "n", CELL_NUMBER }, { "s", CELL_SHARED }, { "inlineStr", CELL_INLINE },
	{ "str", CELL_STR },  { "b", CELL_BOOL },   { "e", CELL_ERROR },
	{ "d", CELL_DATE },
};

static void cell_start(struct xlsx_reader *x, int nattr, const xmlChar **a)
{
	char v[32];
	if (!x->in_row || x->in_cell) {
		stop(x, SP_XML_MALFORMED, x->row, 0, x->part);
		return;
	}
	const char *r = attr(nattr, a, "r", 0, v, sizeof v);
	uint32_t col, row;
	if (r) {
		if (!parse_ref(r, &col, &row) || row != x->row) {
			stop(x, SP_BAD_REF, x->row, 0, r);
			return;
		}
	} else {
		col = x->prev_col + 1;
		if (col > SHEET_EXCEL_MAX_COLS) {
			stop(x, SP_BAD_REF, x->row, 0, NULL);
			return;
		}
	}
	if (col <= x->prev_col) {
		stop(x, SP_CELL_ORDER, x->row, col, NULL);
		return;
	}
	x->col = col;
	x->cell_kind = CELL_NUMBER;
	const char *t = attr(nattr, a, "t", 0, v, sizeof v);
	if (t) {
		size_t i = 0, n = sizeof cell_types / sizeof cell_types[0];
		while (i < n && strcmp(cell_types[i].name, t) != 0)
			i++;
		if (i == n) {
			stop(x, SP_XML_MALFORMED, x->row, col, t);
			return;
		}
		x->cell_kind = cell_types[i].kind;
	}
	x->cell_style = 0;
	parse_u32z(attr(nattr, a, "s", 0, v, sizeof v), &x->cell_style);
	x->in_cell = 1;
	x->in_is = 0;
	x->rph_depth = 0;
	x->cell_has_value = 0;
	buf_reset(&x->text);
}

/* XML whitespace off both ends. */
static const char *trim_ws(const char *s, size_t *n)
{
	size_t len = *n;
	while (len && strchr(" \t\r\n", *s)) {
		s++;
		len--;
	}
	while (len && strchr(" \t\r\n", s[len - 1]))
		len--;
	*n = len;
	return s;
}

/* [+-] digits [. digits] [e [+-] digits], with at least one mantissa digit. */
static int number_syntax_ok(const char *s, size_t n)
{
	size_t i = 0, digits = 0, exp_digits = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (!digits)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			exp_digits++;
		if (!exp_digits)
			return 0;
	}
	return i == n;
}

/* Put `cell` at column x->col of the row; text of `len` bytes at rowtext offset `off`. */
static void place_cell(struct xlsx_reader *x, struct sheet_cell cell, size_t off)
{
	size_t idx = x->col - 1;
	sheet_cells_reserve(x->c, idx + 1);
	if (idx + 1 > x->rowoff_alloc) {
		x->rowoff_alloc = x->c->cells_alloc;
		x->rowoff = xrealloc(x->rowoff, x->rowoff_alloc * sizeof *x->rowoff);
	}
	for (size_t i = x->ncells; i < idx; i++) {
		x->c->cells[i] =
			(struct sheet_cell){ SHEET_EMPTY, sheet_empty_text, 0, 0, DATE_NONE };
		x->rowoff[i] = SIZE_MAX;
	}
	x->c->cells[idx] = cell;
	x->rowoff[idx] = off;
	x->ncells = idx + 1;
}

/* Append text to the row's text; returns its offset. */
static size_t row_text(struct xlsx_reader *x, const char *s, size_t n)
{
	size_t off = x->rowtext.len;
	buf_add(&x->rowtext, s, n);
	buf_add(&x->rowtext, "", 1);
	return off;
}

static void cell_end(struct xlsx_reader *x)
{
	x->in_cell = 0;
	x->collecting = 0;
	x->prev_col = x->col;
	struct sheet_cell cell = { SHEET_EMPTY, sheet_empty_text, 0, 0, DATE_NONE };
	size_t off = SIZE_MAX;
	size_t n = x->text.len;
	char *raw = x->text.data ? x->text.data : (char *)sheet_empty_text;
	const char *s;
	uint32_t idx;
	char datebuf[16];

	if (!x->cell_has_value && x->cell_kind != CELL_INLINE)
		goto place;
	switch (x->cell_kind) {
	case CELL_SHARED:
		s = trim_ws(raw, &n);
		if (!parse_u32(s, n, &idx) || idx >= x->nsst) {
			stop(x, SP_SST_INDEX, x->row, x->col, NULL);
			return;
		}
		cell.text = x->sst.data + x->sst_off[idx];
		cell.len = (idx + 1 < x->nsst ? x->sst_off[idx + 1] : x->sst.len) -
			   x->sst_off[idx] - 1;
		cell.type = cell.len ? SHEET_STRING : SHEET_EMPTY;
		cell.quoted = true;
		break;
	case CELL_INLINE:
	case CELL_STR:
		xlsx_unescape(raw, &n);
		if (n) {
			cell.type = SHEET_STRING;
			cell.quoted = x->cell_kind == CELL_INLINE; /* a formula's result is not */
			cell.len = n;
			off = row_text(x, raw, n);
		}
		break;
	case CELL_ERROR:
		s = trim_ws(raw, &n);
		if (n) {
			cell.type = SHEET_ERROR;
			cell.len = n;
			off = row_text(x, s, n);
		}
		break;
	case CELL_BOOL:
		s = trim_ws(raw, &n);
		if (n == 0)
			break;
		if ((n == 1 && *s == '1') || (n == 4 && strncmp(s, "true", 4) == 0))
			cell.number = 1;
		else if (!((n == 1 && *s == '0') || (n == 5 && strncmp(s, "false", 5) == 0))) {
			stop(x, SP_BAD_BOOL, x->row, x->col, NULL);
			return;
		}
		cell.type = SHEET_BOOL;
		cell.len = cell.number ? 4 : 5;
		off = row_text(x, cell.number ? "TRUE" : "FALSE", cell.len);
		break;
	case CELL_DATE: {
		/* ISO 8601, as strict OOXML may write: 2023-02-18 or 2023-02-18T08:30:00 */
		s = trim_ws(raw, &n);
		if (n == 0)
			break;
		int y, m, d;
		if (n < 10 || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || s[4] != '-' ||
		    s[7] != '-' || (n > 10 && s[10] != 'T') || !date_valid_ymd(y, m, d)) {
			stop(x, SP_BAD_DATE, x->row, x->col, NULL);
			return;
		}
		cell.type = SHEET_DATE;
		cell.date = date_from_ymd(y, m, d);
		cell.number = (double)(cell.date - date_from_ymd(1899, 12, 30));
		cell.len = 10;
		off = row_text(x, date_format(cell.date, datebuf), 10);
		break;
	}
	case CELL_NUMBER: {
		s = trim_ws(raw, &n);
		if (n == 0)
			break;
		if (!number_syntax_ok(s, n)) {
			stop(x, SP_BAD_NUMBER, x->row, x->col, NULL);
			return;
		}
		((char *)s)[n] = '\0'; /* trim_ws only ever shortens: s[n] is inside text */
		cell.number = strtod(s, NULL);
		int is_date =
			x->cell_style < x->nxf && x->xf_kind[x->cell_style] == XLSX_NUMFMT_DATE;
		int32_t days = DATE_NONE;
		if (is_date)
			days = date_from_excel_serial(cell.number + (x->date1904 ? 1462 : 0));
		if (days != DATE_NONE) {
			cell.type = SHEET_DATE;
			cell.date = days;
			cell.len = 10;
			off = row_text(x, date_format(days, datebuf), 10);
		} else {
			cell.type = SHEET_NUMBER;
			cell.len = n;
			off = row_text(x, s, n);
		}
		break;
	}
	}
place:
	if (x->col > x->c->lim.max_cols) {
		if (cell.type != SHEET_EMPTY)
			stop(x, SP_TOO_MANY_COLS, x->row, x->col, NULL);
		return;
	}
	place_cell(x, cell, off);
}

static void sheet_start(struct xlsx_reader *x, const char *name, int nattr, const xmlChar **a)
{
	if (!x->in_sheetdata) {
		if (strcmp(name, "sheetData") == 0)
			x->in_sheetdata = 1;
		return;
	}
	if (x->in_cell) {
		if (strcmp(name, "v") == 0) {
			x->collecting = 1;
			x->cell_has_value = 1;
			buf_reset(&x->text);
		} else if (strcmp(name, "is") == 0) {
			x->in_is = 1;
			buf_reset(&x->text);
		} else if (x->in_is) {
			string_start(x, name);
		}
	} else if (strcmp(name, "c") == 0) {
		cell_start(x, nattr, a);
	} else if (strcmp(name, "row") == 0) {
		row_start(x, nattr, a);
	}
}

static void sheet_end(struct xlsx_reader *x, const char *name)
{
	if (!x->in_sheetdata)
		return;
	if (x->in_cell) {
		if (strcmp(name, "c") == 0)
			cell_end(x);
		else if (strcmp(name, "v") == 0)
			x->collecting = 0;
		else if (strcmp(name, "is") == 0)
			x->in_is = 0;
		else if (x->in_is)
			string_end(x, name);
	} else if (strcmp(name, "row") == 0) {
		row_end(x);
	} else if (strcmp(name, "sheetData") == 0) {
		x->in_sheetdata = 0;
	}
}

static const struct part_handlers sheet_handlers = { sheet_start, sheet_end };

/* ---- the whole read ---------------------------------------------------------------- */

/* The worksheet to read: by name, else the first visible one, else the first at all. */
static const char *choose_sheet(struct xlsx_reader *x, const char *dir)
{
	const char *want = x->c->opt->sheet_name;
	const struct sheet_entry *pick = NULL, *hidden = NULL;
	const char *pick_path = NULL, *hidden_path = NULL;
	for (size_t i = 0; i < x->nsheets && !pick; i++) {
		const struct sheet_entry *s = &x->sheets[i];
		if (want && strcmp(s->name, want) != 0)
			continue;
		const struct rel *r = rel_by_id(x, s->rid);
		if (!r) {
			sheet_fail(x->c, SP_MISSING_PART, 0, 0, s->name);
			return NULL;
		}
		if (!ends_with(r->type, "/worksheet"))
			continue;
		const char *path = resolve_target(x, dir, r->target);
		if (!path) {
			sheet_fail(x->c, SP_MISSING_PART, 0, 0, r->target);
			return NULL;
		}
		if (s->hidden && !want) {
			if (!hidden) {
				hidden = s;
				hidden_path = path;
			}
			continue;
		}
		pick = s;
		pick_path = path;
	}
	if (!pick) {
		pick = hidden;
		pick_path = hidden_path;
	}
	if (!pick) {
		sheet_fail(x->c, want ? SP_SHEET_NOT_FOUND : SP_NO_SHEET, 0, 0, want);
		return NULL;
	}
	/* Keep the name whole: cut before a character that would not fit. */
	char *out = x->c->res->sheet_name;
	size_t n = strlen(pick->name), max = sizeof x->c->res->sheet_name - 1;
	if (n > max) {
		n = max;
		while (n && ((unsigned char)pick->name[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(out, pick->name, n);
	out[n] = '\0';
	return pick_path;
}

/* A part named by a relationship of the workbook, or NULL when there is none. */
static const char *related_part(struct xlsx_reader *x, const char *dir, const char *type)
{
	const struct rel *r = rel_by_type(x, type);
	return r ? resolve_target(x, dir, r->target) : NULL;
}

px_err xlsx_read_source(struct sheet_ctx *c, const struct xlsx_source *src)
{
	struct xlsx_reader x;
	memset(&x, 0, sizeof x);
	x.c = c;
	x.src = src;
	x.chunk = xmalloc(XLSX_CHUNK);
	arena_init(&x.arena);
	buf_init(&x.text, c->lim.max_cell_bytes);
	buf_init(&x.sst, c->lim.max_total_bytes);
	buf_init(&x.rowtext, c->lim.max_total_bytes);
	pthread_once(&xml_once, xml_init_once);
	xmlGenericErrorFunc old_generic = xmlGenericError;
	void *old_generic_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, quiet_generic_error);
	px_err rc;

	/* 1. The main part, from the package relationships; xl/workbook.xml by default. */
	const char *workbook = "xl/workbook.xml";
	rc = parse_part(&x, "_rels/.rels", &rels_handlers, 0);
	if (rc && rc != PX_ERR_NOT_FOUND)
		goto out;
	const struct rel *main_rel = rel_by_type(&x, "/officeDocument");
	if (main_rel) {
		workbook = resolve_target(&x, "", main_rel->target);
		if (!workbook) {
			rc = sheet_fail(c, SP_NO_WORKBOOK, 0, 0, main_rel->target);
			goto out;
		}
	}

	/* 2. The workbook's relationships: xl/_rels/workbook.xml.rels */
	const char *slash = strrchr(workbook, '/');
	const char *dir =
		slash ? arena_strndup(&x.arena, workbook, (size_t)(slash - workbook + 1)) : "";
	const char *base = slash ? slash + 1 : workbook;
	x.nrels = 0;
	const char *wb_rels = arena_printf(&x.arena, "%s_rels/%s.rels", dir, base);

	/* 3. The workbook itself: its sheets in tab order. */
	rc = parse_part(&x, workbook, &workbook_handlers, 0);
	if (rc == PX_ERR_NOT_FOUND || (!rc && !x.saw_workbook))
		rc = sheet_fail(c, SP_NO_WORKBOOK, 0, 0, workbook);
	if (rc)
		goto out;
	if ((rc = parse_part(&x, wb_rels, &rels_handlers, 1)))
		goto out;
	const char *sheet = choose_sheet(&x, dir);
	if (!sheet) {
		rc = c->err;
		goto out;
	}

	/* 4. Styles (which cells are dates) and shared strings, when the workbook has them. */
	const char *styles = related_part(&x, dir, "/styles");
	if (styles && (rc = parse_part(&x, styles, &styles_handlers, 1)))
		goto out;
	styles_resolve(&x);
	const char *strings = related_part(&x, dir, "/sharedStrings");
	if (strings && (rc = parse_part(&x, strings, &sst_handlers, 1)))
		goto out;

	/* 5. The rows. */
	rc = parse_part(&x, sheet, &sheet_handlers, 1);
out:
	xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
	free(x.chunk);
	arena_release(&x.arena);
	buf_release(&x.text);
	buf_release(&x.sst);
	buf_release(&x.rowtext);
	free(x.rels);
	free(x.sheets);
	free(x.fmts);
	free(x.xf_fmt);
	free(x.xf_kind);
	free(x.sst_off);
	free(x.rowoff);
	return rc;
}

px_err xlsx_read(const void *data, size_t size, const struct sheet_options *opt, sheet_row_fn fn,
		 void *ctx, struct sheet_result *res)
{
	struct sheet_ctx c;
	struct sheet_result res_local;
	struct xlsx_source src;
	sheet_ctx_init(&c, opt, fn, ctx, res, &res_local, SHEET_FORMAT_XLSX);
	px_err rc = xlsx_zip_open(&c, data, size, &src);
	if (!rc)
		rc = xlsx_read_source(&c, &src);
	xlsx_zip_close(&src);
	sheet_ctx_release(&c);
	return rc;
}
