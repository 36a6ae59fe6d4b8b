/*
 * test_compliance.c — the store contract of the dashboard's SQL (store/compliance.h), on
 * every backend: the status the SQL computes from a compliance row is the one
 * req_standing() of domain/requirement.c computes from the same numbers, on the days where
 * the two could part (a span's first and last day and the days around them, the day a
 * cadre left, the exact on-track boundary of hours, days and classes, a leap year's span,
 * negative corrections), and for rows drawn at random. Then the selectors (year, period,
 * promotion), the scope and the filters, the histogram and the behind list.
 *
 * $PEIXUN_TEST_DSN: a PostgreSQL URL, else a fresh SQLite file in /tmp (as test_store.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "base/idcard.h"
#include "base/secret.h"
#include "store/compliance.h"
#include "store/migrations.h"
#include "store/registry.h"
#include "store/store.h"

static struct store *db;
static struct secret_keys keys;
static char sqlite_path[64];
static int64_t county_a, county_b, unit_a1, unit_a2, unit_b;
static const char *path_a;
static struct arena arena;

/* The rows as the test wrote them, to judge with req_standing. */
struct row {
	int64_t cadre_id, unit_id;
	const char *key, *hours_kind, *window_kind;
	int year;
	int32_t start, end;
	int64_t req_days, req_hours;
	int req_classes;
	int64_t got_days, got_hours;
	int got_classes;
	int32_t met_on, cut;
	const char *category;
	int is_head;
};
#define MAX_ROWS 400
static struct row rows[MAX_ROWS];
static size_t n_rows;

static int64_t add_region(const char *name, int64_t parent)
{
	struct region r = { .parent_id = parent, .name = name, .level = "county" };
	assert_int_equal(regions_insert(db, &r), PX_OK);
	return r.id;
}

static int64_t add_unit(int64_t region, const char *name, const char *type)
{
	struct unit u = { .region_id = region, .name = name, .type = type };
	assert_int_equal(units_insert(db, &u), PX_OK);
	return u.id;
}

static int64_t add_cadre(int64_t unit, int serial, const char *category, int is_head)
{
	char name[32], id17[18];
	snprintf(name, sizeof name, "干部%03d", serial);
	snprintf(id17, sizeof id17, "3505831980%07u", (unsigned)serial % 10000000u);
	struct cadre c = { .unit_id = unit,
			   .name = name,
			   .rank_level = "township_section",
			   .category = category,
			   .status = "active",
			   .post = "科员",
			   .is_head = is_head,
			   .phone = "13800001111" };
	snprintf(c.id_number, sizeof c.id_number, "%s", id17);
	c.id_number[17] = idcard_check_char(id17);
	c.id_number[18] = '\0';
	strcpy(c.gender, "M");
	strcpy(c.birth_date, "1980-01-01");
	struct cadre_sealed z;
	assert_int_equal(cadre_seal(&keys, &c, &z), PX_OK);
	assert_int_equal(cadres_insert(db, &c, &z, time_now(), true), PX_OK);
	return c.id;
}

static int32_t ymd(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

/* Write a row (and keep it) for a new cadre of `unit`. */
static struct row *put(int64_t unit, struct row r)
{
	assert_true(n_rows < MAX_ROWS);
	static int serial;
	r.unit_id = unit;
	if (!r.category)
		r.category = "civil_servant";
	if (!r.hours_kind)
		r.hours_kind = "centralized";
	if (!r.key)
		r.key = "year:2023:township_down_yearly";
	if (!r.window_kind)
		r.window_kind = "year";
	if (!r.year)
		r.year = 2023;
	if (!r.start && !r.end) {
		r.start = ymd(r.year, 1, 1);
		r.end = ymd(r.year, 12, 31);
	}
	if (!r.met_on)
		r.met_on = DATE_NONE;
	if (!r.cut)
		r.cut = DATE_NONE;
	r.cadre_id = add_cadre(unit, ++serial, r.category, r.is_head);
	char met[11] = "", cut[11] = "";
	if (r.met_on != DATE_NONE)
		date_format(r.met_on, met);
	if (r.cut != DATE_NONE)
		date_format(r.cut, cut);
	assert_int_equal(
		store_run(
			db,
			"INSERT INTO compliance (cadre_id, window_key, unit_id, version_id, "
			"rule_code, hours_kind, window_kind, year, start_day, end_day, "
			"req_centi_days, req_centi_hours, req_classes, got_centi_days, "
			"got_centi_hours, got_classes, met_on, cut) VALUES (?, ?, ?, NULL, 'r', ?, "
			"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			PX_OK, "itittiiiiiiiiitt", r.cadre_id, r.key, r.unit_id, r.hours_kind,
			r.window_kind, (int64_t)r.year, (int64_t)r.start, (int64_t)r.end,
			r.req_days, r.req_hours, (int64_t)r.req_classes, r.got_days, r.got_hours,
			(int64_t)r.got_classes, met, cut),
		PX_OK);
	rows[n_rows] = r;
	return &rows[n_rows++];
}

static struct req_standing judge(const struct row *r, int32_t today)
{
	struct req_window w = { 0 };
	w.start = w.span_start = r->start;
	w.end = w.span_end = r->end;
	w.cut = r->cut;
	w.met_on = r->met_on;
	w.req_centi_days = r->req_days;
	w.req_centi_hours = r->req_hours;
	w.req_classes = r->req_classes;
	w.got_centi_days = r->got_days;
	w.got_centi_hours = r->got_hours;
	w.got_classes = r->got_classes;
	return req_standing(&w, today);
}

static int setup(void **state)
{
	(void)state;
	const char *dsn = getenv("PEIXUN_TEST_DSN");
	struct buf why = BUF_INIT(0);
	if (!dsn || !*dsn) {
		snprintf(sqlite_path, sizeof sqlite_path, "/tmp/peixun-compliance-%d.db",
			 (int)getpid());
		unlink(sqlite_path);
		dsn = sqlite_path;
	}
	if (store_open(dsn, &db, &why)) {
		fprintf(stderr, "cannot open %s: %s\n", dsn, why.data);
		return -1;
	}
	if (store_kind(db) == STORE_PG &&
	    store_exec(db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
		return -1;
	int applied;
	if (store_migrate(db, &applied, &why))
		return -1;
	buf_release(&why);
	secret_init();
	secret_keys_from_hex(&keys,
			     "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
	arena_init(&arena);
	int64_t prov = add_region("福建省", 0);
	int64_t city = add_region("泉州市", prov);
	county_a = add_region("南安市", city);
	county_b = add_region("晋江市", city);
	struct region r;
	if (regions_get(db, &arena, county_a, &r))
		return -1;
	path_a = r.path;
	unit_a1 = add_unit(county_a, "溪美街道", "subdistrict");
	unit_a2 = add_unit(county_a, "官桥镇", "township");
	unit_b = add_unit(county_b, "安海镇", "township");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_release(&arena);
	store_close(db);
	if (sqlite_path[0]) {
		unlink(sqlite_path);
		char wal[80];
		snprintf(wal, sizeof wal, "%s-wal", sqlite_path);
		unlink(wal);
		snprintf(wal, sizeof wal, "%s-shm", sqlite_path);
		unlink(wal);
	}
	return 0;
}

static struct compliance_query year_2023(int32_t today)
{
	return (struct compliance_query){ .scope = { .scope = SCOPE_ALL },
					  .window_kind = "year",
					  .year = 2023,
					  .hours_kind = "centralized",
					  .today = today };
}

/* The SQL's counts by status over the rows of the selection against req_standing's. */
static void check_day(const struct compliance_query *q, bool (*in)(const struct row *),
		      int32_t today)
{
	int64_t want[COMPLIANCE_STATUSES] = { 0 }, got[COMPLIANCE_STATUSES] = { 0 };
	int64_t want_behind = 0;
	for (size_t i = 0; i < n_rows; i++)
		if (in(&rows[i])) {
			enum req_status s = judge(&rows[i], today).status;
			want[s]++;
			want_behind += s == REQ_BEHIND || s == REQ_OVERDUE;
		}
	struct compliance_group *g;
	size_t n;
	struct compliance_query at = *q;
	at.today = today;
	assert_int_equal(compliance_groups(db, &arena, &at, &g, &n), PX_OK);
	for (size_t i = 0; i < n; i++)
		for (int s = 0; s < COMPLIANCE_STATUSES; s++)
			got[s] += g[i].count[s];
	char day[11];
	for (int s = 0; s < COMPLIANCE_STATUSES; s++)
		if (want[s] != got[s]) {
			fprintf(stderr, "%s: %s want %lld got %lld\n", date_format(today, day),
				req_status_code((enum req_status)s), (long long)want[s],
				(long long)got[s]);
			fail();
		}
	/* the behind list holds the same windows, each with req_standing's status */
	struct compliance_behind *b;
	int64_t total;
	assert_int_equal(compliance_behind_list(db, &arena, &at, NULL, 1, MAX_ROWS, &b, &n, &total),
			 PX_OK);
	assert_int_equal(total, want_behind);
	assert_int_equal(n, (size_t)want_behind);
	for (size_t i = 0; i < n; i++) {
		const struct row *r = NULL;
		for (size_t k = 0; k < n_rows; k++)
			if (rows[k].cadre_id == b[i].cadre_id &&
			    !strcmp(rows[k].key, b[i].window_key))
				r = &rows[k];
		assert_non_null(r);
		struct req_standing s = judge(r, today);
		assert_int_equal(b[i].status, s.status);
		assert_int_equal(b[i].missing_centi_hours, s.missing_centi_hours);
		assert_int_equal(b[i].missing_centi_days, s.missing_centi_days);
		assert_int_equal(b[i].missing_classes, s.missing_classes);
		assert_int_equal(b[i].deadline, s.deadline);
		if (i > 0) /* most missing hours first */
			assert_true(b[i - 1].missing_centi_hours >= b[i].missing_centi_hours);
	}
}

static bool in_year_2023(const struct row *r)
{
	return !strncmp(r->key, "year:2023:", 10) && !strcmp(r->hours_kind, "centralized");
}

static void test_status_matches_req_standing(void **state)
{
	(void)state;
	int32_t jan1 = ymd(2023, 1, 1), dec31 = ymd(2023, 12, 31);
	/* exactly on the hours boundary on 14 March (day 73 of 365: 9000 × 73 / 365 = 1800) */
	put(unit_a1, (struct row){ .req_days = 1200, .req_hours = 9000, .got_hours = 1800 });
	/* days only, on the boundary on day 73 as well (1200 × 73 / 365 = 240) */
	put(unit_a1, (struct row){ .req_days = 1200, .got_days = 240 });
	/* met early; met with nothing credited (a threshold of another kind reached) */
	put(unit_a2,
	    (struct row){ .req_hours = 9000, .got_hours = 9500, .met_on = ymd(2023, 5, 2) });
	put(unit_a2, (struct row){ .req_hours = 9000, .met_on = ymd(2023, 12, 31) });
	/* left on 1 July: the span ends the day before */
	put(unit_a2, (struct row){ .req_hours = 4500,
				   .got_hours = 100,
				   .start = jan1,
				   .end = ymd(2023, 6, 30),
				   .cut = ymd(2023, 7, 1) });
	/* a rank change: the yearly rule bound from 1 July on only */
	put(unit_a1,
	    (struct row){
		    .req_hours = 4550, .got_hours = 0, .start = ymd(2023, 7, 1), .end = dec31 });
	/* a correction took more back than was credited */
	put(unit_a1, (struct row){ .req_hours = 9000, .got_hours = -200 });
	/* classes: one 任职培训 due by the half of the span (odd and even lengths) */
	put(unit_a2, (struct row){ .req_classes = 1, .got_classes = 0 });
	put(unit_a2,
	    (struct row){ .req_classes = 1, .start = ymd(2023, 3, 1), .end = ymd(2024, 2, 29) });
	/* a first-in-command leader behind, another on track */
	put(unit_a1, (struct row){ .req_hours = 9000, .got_hours = 100, .is_head = 1 });
	put(unit_a1, (struct row){ .req_hours = 9000,
				   .got_hours = 9000,
				   .is_head = 1,
				   .category = "party_gov_leader" });
	/* rows of other windows and kinds that a year's selection leaves out */
	put(unit_a1, (struct row){ .key = "year:2023:online_yearly",
				   .hours_kind = "online",
				   .req_hours = 5000 });
	put(unit_a1, (struct row){ .key = "year:2022:township_down_yearly",
				   .year = 2022,
				   .req_hours = 9000 });
	put(unit_a2, (struct row){ .key = "period:2023:county_up_period",
				   .window_kind = "period",
				   .start = jan1,
				   .end = ymd(2027, 12, 31),
				   .req_days = 9000,
				   .req_hours = 55000,
				   .got_hours = 12000 });
	put(unit_a2, (struct row){ .key = "promotion:2023-06-15:appointment",
				   .window_kind = "promotion",
				   .start = ymd(2023, 6, 15),
				   .end = ymd(2024, 6, 14),
				   .req_classes = 1 });
	put(unit_a2, (struct row){ .key = "promotion:2023-02-01:appointment",
				   .window_kind = "promotion",
				   .start = ymd(2023, 2, 1),
				   .end = ymd(2024, 1, 31),
				   .req_classes = 1,
				   .got_classes = 1,
				   .met_on = ymd(2023, 4, 1) });
	/* random rows, drawn the same every run */
	srand(12);
	for (int i = 0; i < 60; i++) {
		int32_t s = jan1 + rand() % 200, e = s + 30 + rand() % (dec31 - s - 29);
		struct row r = { .start = s,
				 .end = e,
				 .req_hours = (rand() % 4) ? 9000 : 0,
				 .req_days = (rand() % 3) ? 0 : 1200,
				 .req_classes = (rand() % 7) ? 0 : 1 };
		if (!r.req_hours && !r.req_days && !r.req_classes)
			r.req_hours = 9000;
		r.got_hours = rand() % 9000;
		r.got_days = rand() % 1200;
		r.got_classes = 0;
		if (rand() % 9 == 0)
			r.cut = e + 1;
		if (rand() % 11 == 0)
			r.met_on = s + rand() % 30;
		put(i % 3 == 0 ? unit_a1 : unit_a2, r);
	}
	struct compliance_query q = year_2023(0);
	/* the edge days of every row, and a day in each month */
	for (size_t i = 0; i < n_rows; i++) {
		if (!in_year_2023(&rows[i]))
			continue;
		int32_t d[] = { rows[i].start - 1, rows[i].start, rows[i].start + 1,
				rows[i].end - 1,   rows[i].end,   rows[i].end + 1 };
		for (size_t k = 0; k < sizeof d / sizeof d[0]; k++)
			check_day(&q, in_year_2023, d[k]);
		if (rows[i].cut != DATE_NONE) {
			check_day(&q, in_year_2023, rows[i].cut - 1);
			check_day(&q, in_year_2023, rows[i].cut);
		}
	}
	for (int m = 1; m <= 12; m++)
		check_day(&q, in_year_2023, ymd(2023, m, 14));
	check_day(&q, in_year_2023, ymd(2023, 3, 15));
	check_day(&q, in_year_2023, ymd(2023, 7, 2));
	/* the boundaries bite: on track on 14 March, behind on the 15th */
	struct compliance_behind *b;
	size_t n;
	int64_t total;
	q.today = ymd(2023, 3, 14);
	assert_int_equal(compliance_behind_list(db, &arena, &q, NULL, 1, 400, &b, &n, &total),
			 PX_OK);
	for (size_t i = 0; i < n; i++)
		assert_false(b[i].cadre_id == rows[0].cadre_id ||
			     b[i].cadre_id == rows[1].cadre_id);
	q.today = ymd(2023, 3, 15);
	assert_int_equal(compliance_behind_list(db, &arena, &q, "behind", 1, 400, &b, &n, &total),
			 PX_OK);
	int seen = 0;
	for (size_t i = 0; i < n; i++)
		seen += b[i].cadre_id == rows[0].cadre_id || b[i].cadre_id == rows[1].cadre_id;
	assert_int_equal(seen, 2);
}

static bool in_period(const struct row *r)
{
	return !strncmp(r->key, "period:2023:", 12);
}

static bool in_promotion_2023(const struct row *r)
{
	return !strncmp(r->key, "promotion:2023-", 15);
}

static void test_selectors_scope_filters(void **state)
{
	(void)state;
	/* a row of the other county, outside the scope of 南安市 */
	put(unit_b, (struct row){ .req_hours = 9000, .got_hours = 10 });
	struct compliance_query q = year_2023(ymd(2023, 9, 1));
	/* the period holding 2025 is the one of 2023 */
	q.window_kind = "period";
	q.year = 2025;
	check_day(&q, in_period, ymd(2025, 6, 1));
	q.year = 2028; /* the next period: nothing yet */
	struct compliance_group *g;
	size_t n;
	assert_int_equal(compliance_groups(db, &arena, &q, &g, &n), PX_OK);
	assert_int_equal(n, 0);
	q.window_kind = "promotion";
	q.year = 2023;
	check_day(&q, in_promotion_2023, ymd(2023, 9, 1));
	check_day(&q, in_promotion_2023, ymd(2024, 7, 1));

	/* the scope of 南安市 leaves 晋江市's row out; a unit filter keeps its unit's */
	q = year_2023(ymd(2023, 9, 1));
	int64_t all = 0, nanan = 0, a1 = 0, heads = 0, leaders = 0;
	assert_int_equal(compliance_groups(db, &arena, &q, &g, &n), PX_OK);
	for (size_t i = 0; i < n; i++)
		for (int s = 0; s < COMPLIANCE_STATUSES; s++)
			all += g[i].count[s];
	q.scope = (struct scope_filter){ .scope = SCOPE_REGION, .region_path = path_a };
	assert_int_equal(compliance_groups(db, &arena, &q, &g, &n), PX_OK);
	for (size_t i = 0; i < n; i++) {
		assert_true(g[i].unit_id == unit_a1 || g[i].unit_id == unit_a2);
		assert_string_equal(g[i].region_path, path_a);
		for (int s = 0; s < COMPLIANCE_STATUSES; s++) {
			nanan += g[i].count[s];
			heads += g[i].is_head ? g[i].count[s] : 0;
		}
	}
	assert_int_equal(all, nanan + 1);
	assert_int_equal(heads, 2);
	q.unit_id = unit_a1;
	q.category = "party_gov_leader";
	assert_int_equal(compliance_groups(db, &arena, &q, &g, &n), PX_OK);
	for (size_t i = 0; i < n; i++)
		for (int s = 0; s < COMPLIANCE_STATUSES; s++)
			leaders += g[i].count[s];
	assert_int_equal(leaders, 1);
	q.category = NULL;
	q.unit_id = 0;
	q.unit_type = "subdistrict";
	assert_int_equal(compliance_groups(db, &arena, &q, &g, &n), PX_OK);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(g[i].unit_id, unit_a1);
		for (int s = 0; s < COMPLIANCE_STATUSES; s++)
			a1 += g[i].count[s];
	}
	assert_true(a1 > 0 && a1 < nanan);
	q.unit_type = NULL;
	q.region_id = county_b; /* outside the scope: nothing, not 晋江市's rows */
	assert_int_equal(compliance_groups(db, &arena, &q, &g, &n), PX_OK);
	assert_int_equal(n, 0);
	q.scope = (struct scope_filter){ .scope = SCOPE_NONE };
	q.region_id = 0;
	assert_int_equal(compliance_groups(db, &arena, &q, &g, &n), PX_OK);
	assert_int_equal(n, 0);

	/* the children of the city: the two counties */
	struct compliance_region *ch;
	struct region ra;
	assert_int_equal(regions_get(db, &arena, county_a, &ra), PX_OK);
	assert_int_equal(compliance_child_regions(db, &arena, ra.parent_id, &ch, &n), PX_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ch[0].name, "南安市");
}

static void test_histogram_and_promotions(void **state)
{
	(void)state;
	struct compliance_query q = year_2023(ymd(2023, 9, 1));
	int64_t edges[] = { 3000, 6000, 9000 }, counts[5], want[5] = { 0 };
	for (size_t i = 0; i < n_rows; i++) {
		if (!in_year_2023(&rows[i]))
			continue;
		int64_t h = rows[i].got_hours;
		want[h <= 0 ? 0 : h < 3000 ? 1 : h < 6000 ? 2 : h < 9000 ? 3 : 4]++;
	}
	assert_int_equal(compliance_histogram(db, &q, edges, 3, counts), PX_OK);
	for (int i = 0; i < 5; i++)
		assert_int_equal(counts[i], want[i]);
	assert_true(want[0] > 0 && want[4] > 0);

	/* promotions open on 1 September 2023: the two of 2023; one not met */
	int64_t open, unmet;
	assert_int_equal(compliance_promotions_open(db, &q, &open, &unmet), PX_OK);
	assert_int_equal(open, 2);
	assert_int_equal(unmet, 1);
	q.today = ymd(2024, 2, 1); /* the one of February has ended */
	assert_int_equal(compliance_promotions_open(db, &q, &open, &unmet), PX_OK);
	assert_int_equal(open, 1);
	assert_int_equal(unmet, 1);
	q.today = ymd(2024, 6, 15);
	assert_int_equal(compliance_promotions_open(db, &q, &open, &unmet), PX_OK);
	assert_int_equal(open, 0);
	q.today = ymd(2023, 9, 1);
	q.unit_id = unit_a1; /* the promotions are 官桥镇's */
	assert_int_equal(compliance_promotions_open(db, &q, &open, &unmet), PX_OK);
	assert_int_equal(open, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_matches_req_standing),
		cmocka_unit_test(test_selectors_scope_filters),
		cmocka_unit_test(test_histogram_and_promotions),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
