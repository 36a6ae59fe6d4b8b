/*
 * ledger_gen.c — the ledger of `make bench-ledger`: about twenty entries a cadre over the
 * years 2019 to 2026 for every cadre of a peixun database, with the year totals and the
 * compliance rows the ledger's operations keep, judged by the same domain code
 * (domain/requirement.c, the built-in rules) — written in bulk (COPY on PostgreSQL), as no
 * office would append twenty million entries one request at a time.
 *
 *	ledger_gen DSN [SEED]
 *
 * Seeded: the same database and seed give the same ledger. The mix is an office's: online
 * courses of a few hours several times a year, one or two centralized classes of one to six
 * days a year, now and then a correction; most cadres reach the yearly 12 days or 90 学时,
 * some fall short, a few train not at all. Prints "entries=N compliance=M seconds=S".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/date.h"
#include "domain/enums.h"
#include "domain/requirement.h"
#include "store/store.h"

#define FIRST_YEAR 2019
#define LAST_YEAR  2026
#define YEARS      (LAST_YEAR - FIRST_YEAR + 1)
#define MAX_E      128

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(struct store *s, const char *what, px_err rc)
{
	fprintf(stderr, "ledger_gen: %s: %s (%s)\n", what, px_err_code(rc),
		s ? store_errmsg(s) : "");
	exit(1);
}

static uint64_t rng_state;
static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

/* A vocabulary code read from the database, as the table's own static string. */
static const char *code_of(const struct enum_table *t, const char *s)
{
	const struct enum_item *it = enum_by_code(t, s);
	return it ? it->code : "";
}

struct cadre {
	int64_t id, unit_id;
	const char *rank_level, *grade, *category, *rank_position, *status;
	int is_head;
	int32_t promoted_on;
};

static const char *const class_titles[] = {
	"乡镇党委书记能力提升专题培训班",
	"年轻干部培训班",
	"乡村振兴专题研讨班",
	"党的二十大精神学习贯彻专题班",
	"基层治理能力提升培训班",
	"招商引资与产业发展专题班",
	"应急管理专题培训班",
	"生态环境保护专题培训班",
};
static const char *const online_titles[] = {
	"习近平新时代中国特色社会主义思想专题",
	"党纪学习教育网络专题",
	"数字政府建设",
	"依法行政与法治思维",
	"防范化解重大风险",
	"中华优秀传统文化",
};

static const char *const index_sql[] = {
	"CREATE INDEX ledger_entries_cadre ON ledger_entries(cadre_id, end_date, id)",
	"CREATE INDEX ledger_entries_class ON ledger_entries(class_id)",
	"CREATE INDEX ledger_entries_corrects ON ledger_entries(corrects_id)",
	"CREATE INDEX compliance_window ON compliance(window_key, unit_id)",
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: ledger_gen DSN [SEED]\n");
		return 2;
	}
	rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) : 20230218;
	if (!rng_state)
		rng_state = 1;
	struct store *s = NULL;
	struct buf why = BUF_INIT(0);
	px_err rc = store_open(argv[1], &s, &why);
	if (rc) {
		fprintf(stderr, "ledger_gen: %s\n", why.data ? why.data : "cannot open");
		return 1;
	}
	double t0 = now();

	/* the cadres */
	size_t n = 0, cap = 1 << 16;
	struct cadre *cs = malloc(cap * sizeof *cs);
	struct store_stmt *st;
	rc = store_prepare(s,
			   "SELECT id, unit_id, rank_level, grade, category, rank_position, "
			   "is_head, status, promotion_date FROM cadres ORDER BY id",
			   &st);
	if (rc)
		die(s, "cadres", rc);
	bool row;
	while (!(rc = store_step(st, &row)) && row) {
		if (n == cap)
			cs = realloc(cs, (cap *= 2) * sizeof *cs);
		struct cadre *c = &cs[n++];
		c->id = store_column_int64(st, 0);
		c->unit_id = store_column_int64(st, 1);
		c->rank_level = code_of(&enum_rank_level, store_column_text(st, 2));
		c->grade = code_of(&enum_grade, store_column_text(st, 3));
		c->category = code_of(&enum_category, store_column_text(st, 4));
		c->rank_position = code_of(&enum_rank_position, store_column_text(st, 5));
		c->is_head = (int)store_column_int64(st, 6);
		c->status = code_of(&enum_status, store_column_text(st, 7));
		const char *p = store_column_text(st, 8);
		c->promoted_on = *p ? date_parse(p, strlen(p)) : DATE_NONE;
	}
	store_done(st);
	if (rc)
		die(s, "cadres", rc);

	/* indexes after the rows: drop them, load, build them again */
	store_exec(s, "DROP INDEX IF EXISTS ledger_entries_cadre");
	store_exec(s, "DROP INDEX IF EXISTS ledger_entries_class");
	store_exec(s, "DROP INDEX IF EXISTS ledger_entries_corrects");
	store_exec(s, "DROP INDEX IF EXISTS compliance_window");
	store_bulk(s, STORE_BULK_LOAD);

	int32_t today = date_from_ymd(2026, 12, 1);
	int64_t entries = 0, windows = 0;
	struct req_entry e[MAX_E];
	char dates[MAX_E][11];
	const char *titles[MAX_E];
	const char *sources[MAX_E];
	struct req_window w[64];
	const size_t batch = 20000;
	for (size_t b = 0; b < n; b += batch) {
		if ((rc = store_begin(s)))
			die(s, "begin", rc);
		size_t end = b + batch < n ? b + batch : n;
		/* entries */
		if ((rc = store_copy_begin(s, "ledger_entries",
					   "cadre_id, hours_kind, source, training_type, title, "
					   "end_date, centi_hours, centi_days, classes, reason, "
					   "created_at",
					   11)))
			die(s, "copy entries", rc);
		/* kept per cadre for the totals and the evaluation below */
		static int counts[20000];
		static struct req_entry *kept[20000];
		for (size_t i = b; i < end; i++) {
			struct cadre *c = &cs[i];
			/* how keen: most reach each year's 12 days or 90 学时 and 50 online
			 * 学时, some fall short, a few hardly train */
			uint32_t keen = rnd(100);
			int k = 0;
			for (int y = FIRST_YEAR; y <= LAST_YEAR && k + 4 < MAX_E; y++) {
				int32_t first = date_from_ymd(y, 1, 1);
				int32_t span = y == LAST_YEAR ? today - first : 365;
				bool good = keen < 70   ? rnd(10) != 0
					    : keen < 92 ? rnd(4) == 0
							: false;
				int days = good        ? 12 + (int)rnd(4)
					   : keen < 92 ? 4 + (int)rnd(7)
						       : (rnd(3) == 0 ? 2 : 0);
				int online = good ? 2 : keen < 92 ? 1 : (int)rnd(2);
				if (days) {
					e[k] = (struct req_entry){
						first + (int32_t)rnd((uint32_t)span),
						"centralized",
						rnd(12) == 0 ? "appointment" : "topic",
						days * 800 - (int64_t)rnd(3) * 200,
						days * 100,
						1
					};
					titles[k] = class_titles[rnd(8)];
					sources[k++] = "class";
				}
				for (int o = 0; o < online && k < MAX_E; o++) {
					int64_t h = (good ? 2500 : 1500) + (int64_t)rnd(11) * 100;
					e[k] = (struct req_entry){
						first + (int32_t)rnd((uint32_t)span),
						"online",
						"",
						h,
						0,
						0
					};
					titles[k] = online_titles[rnd(6)];
					sources[k++] = "online";
				}
			}
			for (int j = 0; j < k; j++)
				date_format(e[j].day, dates[j]);
			/* a correction now and then: half an hour taken back */
			if (k > 0 && k < MAX_E && rnd(20) == 0) {
				e[k] = e[k - 1];
				e[k].centi_hours = -50;
				e[k].centi_days = 0;
				e[k].classes = 0;
				memcpy(dates[k], dates[k - 1], 11);
				titles[k] = titles[k - 1];
				sources[k] = "correction";
				k++;
			}
			for (int j = 0; j < k; j++) {
				rc = store_copy_row(
					s, "itttttiiiti", c->id, e[j].hours_kind, sources[j],
					e[j].training_type, titles[j], dates[j], e[j].centi_hours,
					e[j].centi_days, (int64_t)e[j].classes,
					strcmp(sources[j], "correction") ? "" : "学时录入有误",
					(int64_t)1700000000);
				if (rc)
					die(s, "entry", rc);
			}
			entries += k;
			counts[i - b] = k;
			kept[i - b] = malloc((size_t)(k ? k : 1) * sizeof(struct req_entry));
			memcpy(kept[i - b], e, (size_t)k * sizeof(struct req_entry));
		}
		int64_t stored = 0, failed = 0;
		if ((rc = store_copy_end(s, &stored, &failed)))
			die(s, "copy entries end", rc);

		/* year totals */
		if ((rc = store_copy_begin(s, "ledger_year_totals",
					   "cadre_id, year, hours_kind, centi_hours, centi_days, "
					   "entries",
					   6)))
			die(s, "copy totals", rc);
		for (size_t i = b; i < end; i++) {
			int64_t h[YEARS][2] = { { 0 } }, d[YEARS][2] = { { 0 } };
			int ne[YEARS][2] = { { 0 } };
			for (int j = 0; j < counts[i - b]; j++) {
				const struct req_entry *x = &kept[i - b][j];
				int y, m, dd;
				date_to_ymd(x->day, &y, &m, &dd);
				int kind = strcmp(x->hours_kind, "online") == 0;
				h[y - FIRST_YEAR][kind] += x->centi_hours;
				d[y - FIRST_YEAR][kind] += x->centi_days;
				ne[y - FIRST_YEAR][kind]++;
			}
			for (int y = 0; y < YEARS; y++)
				for (int kind = 0; kind < 2; kind++)
					if (ne[y][kind] &&
					    (rc = store_copy_row(s, "iitiii", cs[i].id,
								 (int64_t)(FIRST_YEAR + y),
								 kind ? "online" : "centralized",
								 h[y][kind], d[y][kind],
								 (int64_t)ne[y][kind])))
						die(s, "total", rc);
		}
		if ((rc = store_copy_end(s, &stored, &failed)))
			die(s, "copy totals end", rc);

		/* compliance: the domain's evaluation of each cadre */
		if ((rc = store_copy_begin(
			     s, "compliance",
			     "cadre_id, window_key, unit_id, version_id, rule_code, "
			     "hours_kind, window_kind, year, start_day, end_day, "
			     "req_centi_days, req_centi_hours, req_classes, "
			     "got_centi_days, got_centi_hours, got_classes, met_on, cut",
			     18)))
			die(s, "copy compliance", rc);
		for (size_t i = b; i < end; i++) {
			struct cadre *c = &cs[i];
			struct req_career career = { DATE_NONE,   c->rank_level,    c->grade,
						     c->category, c->rank_position, c->is_head,
						     c->status };
			struct req_cadre rc_ = { &career, 1, c->promoted_on, kept[i - b],
						 (size_t)counts[i - b] };
			size_t nw = req_evaluate(NULL, 0, &rc_, FIRST_YEAR, LAST_YEAR, w, 64);
			if (nw > 64)
				nw = 64;
			for (size_t k = 0; k < nw; k++) {
				char met[11] = "", cut[11] = "";
				if (w[k].met_on != DATE_NONE)
					date_format(w[k].met_on, met);
				if (w[k].cut != DATE_NONE)
					date_format(w[k].cut, cut);
				rc = store_copy_row(s, "itiItttiiiiiiiiitt", c->id, w[k].key,
						    c->unit_id, w[k].version_id, w[k].rule->code,
						    w[k].rule->hours_kind, w[k].rule->window_kind,
						    (int64_t)w[k].year, (int64_t)w[k].span_start,
						    (int64_t)w[k].span_end, w[k].req_centi_days,
						    w[k].req_centi_hours, (int64_t)w[k].req_classes,
						    w[k].got_centi_days, w[k].got_centi_hours,
						    (int64_t)w[k].got_classes, met, cut);
				if (rc)
					die(s, "compliance row", rc);
			}
			windows += (int64_t)nw;
			free(kept[i - b]);
		}
		if ((rc = store_copy_end(s, &stored, &failed)))
			die(s, "copy compliance end", rc);
		if ((rc = store_commit(s)))
			die(s, "commit", rc);
		fprintf(stderr, "\rledger_gen: %zu of %zu cadres", end, n);
	}
	fprintf(stderr, "\n");
	for (size_t i = 0; i < sizeof index_sql / sizeof index_sql[0]; i++)
		if ((rc = store_exec(s, index_sql[i])))
			die(s, index_sql[i], rc);
	store_bulk(s, STORE_BULK_OFF);
	store_exec(s, store_kind(s) == STORE_PG ? "ANALYZE" : "ANALYZE");
	printf("cadres=%zu entries=%lld compliance=%lld seconds=%.1f\n", n, (long long)entries,
	       (long long)windows, now() - t0);
	free(cs);
	store_close(s);
	buf_release(&why);
	return 0;
}
