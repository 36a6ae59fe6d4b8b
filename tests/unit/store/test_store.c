/*
 * test_store.c — the store contract: one suite, run against every backend.
 *
 * The DSN comes from $PEIXUN_TEST_DSN (a PostgreSQL URL), else a fresh SQLite file in
 * /tmp. `make test` runs it twice: on SQLite and on the throwaway PostgreSQL. The database
 * is emptied first, so the suite always starts from migration 0.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "base/secret.h"
#include "store/accounts.h"
#include "store/cadres_bulk.h"
#include "store/jobs.h"
#include "store/ledger.h"
#include "store/list.h"
#include "store/migrations.h"
#include "store/query.h"
#include "store/registry.h"
#include "store/store.h"
#include "store/training.h"

static struct store *db;
static struct secret_keys keys;
static char sqlite_path[64];

static int setup(void **state)
{
	(void)state;
	const char *dsn = getenv("PEIXUN_TEST_DSN");
	struct buf why = BUF_INIT(0);
	if (!dsn || !*dsn) {
		snprintf(sqlite_path, sizeof sqlite_path, "/tmp/peixun-store-%d.db", (int)getpid());
		unlink(sqlite_path);
		dsn = sqlite_path;
	}
	if (store_open(dsn, &db, &why)) {
		fprintf(stderr, "cannot open %s: %s\n", dsn, why.data);
		return -1;
	}
	buf_release(&why);
	if (store_kind(db) == STORE_PG &&
	    store_exec(db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
		return -1;
	secret_init();
	secret_keys_from_hex(&keys,
			     "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
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

static void test_migrate_twice(void **state)
{
	(void)state;
	int applied = -1, version = -1;
	struct buf why = BUF_INIT(0);
	assert_int_equal(store_migrate(db, &applied, &why), PX_OK);
	assert_int_equal(applied, store_schema_latest());
	assert_int_equal(store_migrate(db, &applied, &why), PX_OK);
	assert_int_equal(applied, 0);
	assert_int_equal(store_schema_version(db, &version), PX_OK);
	assert_int_equal(version, store_schema_latest());
	buf_release(&why);
}

static void test_placeholders_and_types(void **state)
{
	(void)state;
	struct store_stmt *st;
	/* a '?' inside a string literal is not a parameter */
	assert_int_equal(store_prepare(db,
				       "SELECT '?' || CAST(? AS TEXT), CAST(? AS BIGINT), "
				       "CAST(? AS TEXT)",
				       &st),
			 PX_OK);
	assert_int_equal(store_bindf(st, "tin", "南安", (int64_t)9007199254740993LL), PX_OK);
	bool row = false;
	assert_int_equal(store_step(st, &row), PX_OK);
	assert_true(row);
	assert_string_equal(store_column_text(st, 0), "?南安");
	assert_int_equal(store_column_int64(st, 1), 9007199254740993LL);
	assert_true(store_column_is_null(st, 2));
	assert_int_equal(store_step(st, &row), PX_OK);
	assert_false(row);
	store_done(st);
	/* the cache hands back the same statement, reset */
	struct store_stmt *again;
	assert_int_equal(store_prepare(db,
				       "SELECT '?' || CAST(? AS TEXT), CAST(? AS BIGINT), "
				       "CAST(? AS TEXT)",
				       &again),
			 PX_OK);
	assert_ptr_equal(st, again);
	store_done(again);
	/* a syntax error is a database error, not a crash */
	assert_int_equal(store_prepare(db, "SELEC nonsense", &st), PX_ERR_DB);
}

static int64_t add_region(const char *name, int64_t parent)
{
	struct region r = { .parent_id = parent, .name = name, .level = "county" };
	assert_int_equal(regions_insert(db, &r), PX_OK);
	return r.id;
}

static int64_t add_unit(int64_t region, const char *name)
{
	struct unit u = { .region_id = region, .name = name, .type = "township" };
	assert_int_equal(units_insert(db, &u), PX_OK);
	return u.id;
}

static int64_t add_cadre(int64_t unit, const char *name, const char *id17)
{
	struct cadre c = { .unit_id = unit,
			   .name = name,
			   .rank_level = "township_section",
			   .category = "civil_servant",
			   .status = "active",
			   .post = "镇长",
			   .is_head = 1,
			   .phone = "13800001111" };
	snprintf(c.id_number, sizeof c.id_number, "%s", id17);
	c.id_number[17] = idcard_check_char(id17);
	c.id_number[18] = '\0';
	strcpy(c.gender, "M");
	strcpy(c.birth_date, "1980-01-01");
	struct cadre_sealed z;
	assert_int_equal(cadre_seal(&keys, &c, &z), PX_OK);
	px_err rc = cadres_insert(db, &c, &z, time_now(), true);
	assert_int_equal(rc, PX_OK);
	return c.id;
}

static int64_t region_a, region_b, unit_a, unit_b, cadre_a;

static void test_regions_units_paths(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	int64_t prov = add_region("福建省", 0);
	int64_t city = add_region("泉州市", prov);
	region_a = add_region("南安市", city);
	region_b = add_region("晋江市", city);
	struct region r;
	assert_int_equal(regions_get(db, &a, region_a, &r), PX_OK);
	char want[64];
	snprintf(want, sizeof want, "/%lld/%lld/%lld/", (long long)prov, (long long)city,
		 (long long)region_a);
	assert_string_equal(r.path, want);
	/* the same name twice under one parent is a conflict */
	struct region dup = { .parent_id = city, .name = "南安市", .level = "county" };
	assert_int_equal(regions_insert(db, &dup), PX_ERR_CONFLICT);

	unit_a = add_unit(region_a, "溪美街道");
	unit_b = add_unit(region_b, "安海镇");
	struct region *list;
	size_t n;
	struct scope_filter f = { .scope = SCOPE_REGION, .region_path = r.path };
	assert_int_equal(regions_list(db, &a, &f, &list, &n), PX_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "南安市");
	assert_int_equal(list[0].unit_count, 1);
	/* a region with units cannot be deleted */
	assert_int_equal(regions_delete(db, region_a), PX_ERR_CONFLICT);
	int64_t found = 0;
	assert_int_equal(units_find_by_name(db, r.path, "溪美街道", &found), PX_OK);
	assert_int_equal(found, unit_a);
	assert_int_equal(units_find_by_name(db, r.path, "安海镇", &found), PX_ERR_NOT_FOUND);
	arena_release(&a);
}

static void test_cadres_scope_and_counts(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	cadre_a = add_cadre(unit_a, "张三", "35058319800101001");
	add_cadre(unit_a, "李四", "35058319810101002");
	add_cadre(unit_b, "王五", "35058219820101003");

	/* the same ID number twice is refused by the unique blind index */
	struct cadre dup = {
		.unit_id = unit_b, .name = "重复", .rank_level = "general", .category = "other"
	};
	strcpy(dup.id_number, "350583198001010011");
	strcpy(dup.gender, "M");
	strcpy(dup.birth_date, "1980-01-01");
	struct cadre_sealed z;
	assert_int_equal(cadre_seal(&keys, &dup, &z), PX_OK);
	bool exists = false;
	assert_int_equal(cadres_id_hash_exists(db, z.id_hash, 0, &exists), PX_OK);
	assert_true(exists);
	assert_int_equal(cadres_insert(db, &dup, &z, time_now(), true), PX_ERR_CONFLICT);

	struct region ra;
	assert_int_equal(regions_get(db, &a, region_a, &ra), PX_OK);
	struct cadre_query q = { .scope = { .scope = SCOPE_REGION, .region_path = ra.path },
				 .is_head = -1,
				 .page = 1,
				 .page_size = 10 };
	struct cadre_row *rows;
	size_t n;
	int64_t total;
	assert_int_equal(cadres_list(db, &a, &keys, &q, &rows, &n, &total), PX_OK);
	assert_int_equal(total, 2);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].c.id_number, "350583************"); /* masked */
	assert_string_equal(rows[0].c.phone, "138****1111");

	/* a liaison's scope is one unit */
	q.scope = (struct scope_filter){ .scope = SCOPE_UNIT, .unit_id = unit_b };
	assert_int_equal(cadres_list(db, &a, &keys, &q, &rows, &n, &total), PX_OK);
	assert_int_equal(total, 1);
	assert_string_equal(rows[0].c.name, "王五");
	/* search by exact ID number goes through the blind index */
	q.scope = (struct scope_filter){ .scope = SCOPE_ALL };
	q.q = "350583198001010011";
	assert_int_equal(cadres_list(db, &a, &keys, &q, &rows, &n, &total), PX_OK);
	assert_int_equal(total, 1);
	assert_string_equal(rows[0].c.name, "张三");
	/* search with LIKE metacharacters is literal */
	q.q = "%";
	assert_int_equal(cadres_list(db, &a, &keys, &q, &rows, &n, &total), PX_OK);
	assert_int_equal(total, 0);
	q.q = "李";
	assert_int_equal(cadres_list(db, &a, &keys, &q, &rows, &n, &total), PX_OK);
	assert_int_equal(total, 1);

	struct buf id = BUF_INIT(0), phone = BUF_INIT(0);
	assert_int_equal(cadres_reveal(db, &keys, cadre_a, &id, &phone), PX_OK);
	assert_string_equal(id.data, "350583198001010011");
	assert_string_equal(phone.data, "13800001111");
	/* one sealed value a person; nothing of either number in the clear */
	struct store_stmt *st;
	bool row = false;
	assert_int_equal(
		store_prepare(db, "SELECT sealed, phone_enc FROM cadres WHERE id = ?", &st), PX_OK);
	assert_int_equal(store_bindf(st, "i", cadre_a), PX_OK);
	assert_int_equal(store_step(st, &row), PX_OK);
	assert_true(row);
	assert_string_equal(store_column_text(st, 1), "");
	assert_null(strstr(store_column_text(st, 0), "13800001111"));
	assert_null(strstr(store_column_text(st, 0), "350583"));
	char *sealed = strdup(store_column_text(st, 0));
	store_done(st);
	/* a row sealed before migration 0005: the ID number alone, the phone beside it */
	struct buf old_id = BUF_INIT(0), old_phone = BUF_INIT(0);
	assert_int_equal(secret_encrypt(&keys, "350583198001010011", 18, &old_id), PX_OK);
	assert_int_equal(secret_encrypt(&keys, "13900002222", 11, &old_phone), PX_OK);
	assert_int_equal(store_run(db, "UPDATE cadres SET sealed = ?, phone_enc = ? WHERE id = ?",
				   PX_OK, "tti", old_id.data, old_phone.data, cadre_a),
			 PX_OK);
	buf_reset(&id);
	buf_reset(&phone);
	assert_int_equal(cadres_reveal(db, &keys, cadre_a, &id, &phone), PX_OK);
	assert_string_equal(id.data, "350583198001010011");
	assert_string_equal(phone.data, "13900002222");
	/* and one without a phone */
	assert_int_equal(
		store_run(db, "UPDATE cadres SET phone_enc = '' WHERE id = ?", PX_OK, "i", cadre_a),
		PX_OK);
	buf_reset(&id);
	buf_reset(&phone);
	assert_int_equal(cadres_reveal(db, &keys, cadre_a, &id, &phone), PX_OK);
	assert_string_equal(id.data, "350583198001010011");
	assert_int_equal(phone.len, 0);
	assert_int_equal(store_run(db, "UPDATE cadres SET sealed = ? WHERE id = ?", PX_OK, "ti",
				   sealed, cadre_a),
			 PX_OK);
	free(sealed);
	buf_release(&old_id);
	buf_release(&old_phone);
	buf_release(&id);
	buf_release(&phone);
	arena_release(&a);
}

/* One text column of one row, copied into out. */
static void query_text(const char *sql, int64_t id, char *out, size_t size)
{
	struct store_stmt *st;
	bool row = false;
	assert_int_equal(store_prepare(db, sql, &st), PX_OK);
	assert_int_equal(store_bindf(st, "i", id), PX_OK);
	assert_int_equal(store_step(st, &row), PX_OK);
	assert_true(row);
	snprintf(out, size, "%s", store_column_text(st, 0));
	store_done(st);
}

/*
 * Migration 0008 over rows written before it: a cadre's mask of the older rule (region code
 * and last 4, which beside the birth date gave the whole number), the same inside audit
 * entries, an export's search text, import problems and an import job's result quoting ID
 * and phone numbers. The migration is undone in schema_migrations and run again, as on a
 * database of version 7.
 */
static void test_migration_0008_masks(void **state)
{
	(void)state;
	assert_int_equal(store_run(db,
				   "UPDATE cadres SET id_masked = '350583********0011' "
				   "WHERE id = ?",
				   PX_OK, "i", cadre_a),
			 PX_OK);
	const char *view = "{\"birth_date\":\"1980-01-01\",\"id\":12345678,"
			   "\"id_number\":\"350583********0011\",\"phone\":\"138****1111\"}";
	assert_int_equal(audit_add(db, NULL, "", "update", "cadre", cadre_a, view, view), PX_OK);
	assert_int_equal(audit_add(db, NULL, "", "export", "cadre", 0, NULL,
				   "{\"query\":\"350583198001010011\",\"rows\":1,"
				   "\"unmasked\":false}"),
			 PX_OK);
	/* not a cadre's entry: left alone */
	assert_int_equal(
		audit_add(db, NULL, "", "update", "unit", 1, NULL, "{\"message\":\"13800001111\"}"),
		PX_OK);
	struct import_record imp = {
		.at = time_now(),
		.kind = "cadres",
		.filename = "x.csv",
		.format = "csv",
		.status = "rejected",
		.error_count = 2,
		.errors_json = "[{\"row\":2,\"field\":\"rank_level\",\"code\":\"unknown_value\","
			       "\"message\":\"职级层次:无法识别「350583198001010011」\"},"
			       "{\"row\":1048576,\"field\":\"phone\",\"code\":\"invalid_phone\","
			       "\"message\":\"手机号码:「138 0000 11112」不是有效的电话号码\"}]",
		.file_enc = "",
	};
	int64_t retry_at = 0;
	assert_int_equal(imports_start(db, &imp, 0, &retry_at), PX_OK);
	assert_int_equal(imports_finish(db, &imp), PX_OK);
	int64_t job = 0;
	assert_int_equal(
		store_insert_id(
			db,
			"INSERT INTO jobs (kind, status, result_json, created_at, updated_at) "
			"VALUES ('registry.import', 'failed', ?, 0, 0) RETURNING id",
			&job, "t",
			"{\"code\":\"import_rejected\",\"details\":[{\"row\":3,"
			"\"message\":\"「13800001111」\"}]}"),
		PX_OK);

	struct buf why = BUF_INIT(0);
	assert_int_equal(store_migration_rerun(db, 8, &why), PX_OK);
	buf_release(&why);

	char text[1024];
	query_text("SELECT id_masked FROM cadres WHERE id = ?", cadre_a, text, sizeof text);
	assert_string_equal(text, "350583************");
	query_text("SELECT after_json FROM audit_log WHERE entity = 'cadre' AND action = 'update' "
		   "AND entity_id = CAST(? AS TEXT)",
		   cadre_a, text, sizeof text);
	assert_string_equal(text,
			    "{\"birth_date\":\"1980-01-01\",\"id\":12345678,"
			    "\"id_number\":\"350583************\",\"phone\":\"138****1111\"}");
	query_text("SELECT before_json FROM audit_log WHERE entity = 'cadre' AND action = 'update' "
		   "AND entity_id = CAST(? AS TEXT)",
		   cadre_a, text, sizeof text);
	assert_non_null(strstr(text, "\"350583************\""));
	query_text("SELECT after_json FROM audit_log WHERE action = 'export' AND id > ?", 0, text,
		   sizeof text);
	assert_string_equal(text, "{\"query\":\"350583************\",\"rows\":1,"
				  "\"unmasked\":false}");
	query_text("SELECT after_json FROM audit_log WHERE entity = 'unit' AND id > ?", 0, text,
		   sizeof text);
	assert_string_equal(text, "{\"message\":\"13800001111\"}");
	query_text("SELECT errors_json FROM imports WHERE id = ?", imp.id, text, sizeof text);
	assert_non_null(strstr(text, "无法识别「350583************」"));
	assert_non_null(strstr(text, "「138 **** *1112」")); /* 12 digits: 3 + 4 kept */
	assert_non_null(strstr(text, "\"row\":1048576"));
	assert_null(strstr(text, "350583198001010011"));
	query_text("SELECT result_json FROM jobs WHERE id = ?", job, text, sizeof text);
	assert_non_null(strstr(text, "「138****1111」"));
	/* and again: nothing left to change */
	assert_int_equal(store_remask_0008(db), PX_OK);
	query_text("SELECT id_masked FROM cadres WHERE id = ?", cadre_a, text, sizeof text);
	assert_string_equal(text, "350583************");
}

static void test_cadre_update_keeps_history(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct cadre_row before;
	assert_int_equal(cadres_get(db, &a, cadre_a, &before), PX_OK);
	struct cadre c = before.c;
	strcpy(c.id_number, "350583198001010011");
	c.phone = "";
	c.unit_id = unit_b;
	c.rank_level = "county_division";
	c.post = "党委书记";
	struct cadre_sealed z;
	assert_int_equal(cadre_seal(&keys, &c, &z), PX_OK);
	/* The row and, in the same transaction, the history rows of the career fields that
	 * the domain says changed (as the cadre service writes them). */
	assert_int_equal(store_begin(db), PX_OK);
	assert_int_equal(cadres_update(db, &before, &c, &z, before.version), PX_OK);
	struct cadre_change ch[CADRE_CAREER_FIELDS];
	size_t nch = cadre_career_changes(&a, &before.c, &c, ch);
	for (size_t i = 0; i < nch; i++) {
		struct cadre_history e = { .field = ch[i].field,
					   .old_value = ch[i].old_value,
					   .new_value = ch[i].new_value,
					   .reason = "提拔",
					   .effective_date = "2024-01-01",
					   .changed_at = 1 };
		e.old_label =
			ch[i].labels ? enum_label(ch[i].labels, e.old_value, "zh-CN") : e.old_value;
		e.new_label =
			ch[i].labels ? enum_label(ch[i].labels, e.new_value, "zh-CN") : e.new_value;
		assert_int_equal(cadres_history_add(db, cadre_a, &e), PX_OK);
	}
	assert_int_equal(store_commit(db), PX_OK);
	/* a second update with the old version loses */
	assert_int_equal(cadres_update(db, &before, &c, &z, before.version), PX_ERR_CONFLICT);
	struct cadre_history *h;
	size_t n;
	assert_int_equal(cadres_history(db, &a, cadre_a, &h, &n), PX_OK);
	assert_int_equal(n, 3); /* post, rank_level, unit */
	int seen = 0;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(h[i].field, "unit")) { /* the API test checks the unit names */
			assert_int_equal(atoll(h[i].old_value), unit_a);
			assert_int_equal(atoll(h[i].new_value), unit_b);
			seen |= 1;
		}
		if (!strcmp(h[i].field, "rank_level")) {
			assert_string_equal(h[i].old_label, "乡科级");
			assert_string_equal(h[i].new_label, "县处级");
			assert_string_equal(h[i].reason, "提拔");
			seen |= 2;
		}
	}
	assert_int_equal(seen, 3);
	/* unit counters followed the move */
	struct unit_row ua, ub;
	assert_int_equal(units_get(db, &a, unit_a, &ua), PX_OK);
	assert_int_equal(units_get(db, &a, unit_b, &ub), PX_OK);
	assert_int_equal(ua.cadre_count, 1);
	assert_int_equal(ub.cadre_count, 2);
	arena_release(&a);
}

static void test_transactions_roll_back(void **state)
{
	(void)state;
	assert_int_equal(store_begin(db), PX_OK);
	add_unit(region_a, "临时单位");
	store_rollback(db);
	int64_t found;
	assert_int_equal(units_find_by_name(db, "/", "临时单位", &found), PX_ERR_NOT_FOUND);
	/* a conflict is reported without failing the transaction: the caller decides */
	assert_int_equal(store_begin(db), PX_OK);
	add_unit(region_a, "临时单位二");
	struct unit u = { .region_id = region_a, .name = "溪美街道", .type = "street" };
	assert_int_equal(units_insert(db, &u), PX_ERR_CONFLICT);
	assert_int_equal(store_commit(db), PX_OK);
	assert_int_equal(units_find_by_name(db, "/", "临时单位二", &found), PX_OK);
	/* a failed statement (here a unit of a region that does not exist) makes the commit
	 * fail and roll everything back */
	assert_int_equal(store_begin(db), PX_OK);
	add_unit(region_a, "临时单位三");
	struct unit orphan = { .region_id = 999999, .name = "无主单位", .type = "street" };
	assert_int_not_equal(units_insert(db, &orphan), PX_OK);
	assert_int_not_equal(store_commit(db), PX_OK);
	assert_int_equal(units_find_by_name(db, "/", "临时单位三", &found), PX_ERR_NOT_FOUND);
}

static int64_t count_units(struct store *s)
{
	int64_t n = -1;
	assert_int_equal(store_query_int64(s, "SELECT COUNT(*) FROM units", &n, ""), PX_OK);
	return n;
}

/* A GET's read snapshot (SQLite): steady reads, and a write inside it is neither held
 * back nor made on stale data. PostgreSQL keeps no snapshot: reads see the newest. */
static void test_read_snapshot(void **state)
{
	(void)state;
	struct store *other;
	struct buf why = BUF_INIT(0);
	const char *dsn = getenv("PEIXUN_TEST_DSN");
	assert_int_equal(store_open(dsn && *dsn ? dsn : sqlite_path, &other, &why), PX_OK);
	buf_release(&why);
	bool sqlite = store_kind(db) == STORE_SQLITE;

	int64_t before = count_units(db);
	store_snapshot_begin(db);
	assert_int_equal(count_units(db), before);
	struct unit u = { .region_id = region_a, .name = "快照外单位", .type = "street" };
	assert_int_equal(units_insert(other, &u), PX_OK);
	assert_int_equal(count_units(db), sqlite ? before : before + 1);
	/* a write through the snapshot's connection ends the snapshot and lands at once */
	int64_t id = add_unit(region_a, "快照内单位");
	assert_true(id > 0);
	assert_int_equal(count_units(other), before + 2);
	assert_int_equal(count_units(db), before + 2);
	store_snapshot_end(db);
	/* a transaction started inside a snapshot commits normally */
	store_snapshot_begin(db);
	assert_int_equal(store_begin(db), PX_OK);
	add_unit(region_a, "快照内单位二");
	assert_int_equal(store_commit(db), PX_OK);
	store_snapshot_end(db);
	assert_int_equal(count_units(other), before + 3);
	store_close(other);
}

static uint64_t generation_of_a_snapshot(struct store *s)
{
	store_snapshot_begin(s);
	uint64_t g = store_generation(s);
	count_units(s);
	store_snapshot_end(s);
	return g;
}

/* store_generation (the reply cache's guard): steady while nothing commits; new after a
 * commit through this connection, through another connection, and by another process
 * (a plain sqlite3 connection that knows nothing of peixun), and no vouching for a snapshot
 * that a commit of this process may have overtaken. */
static void test_generation(void **state)
{
	(void)state;
	if (store_kind(db) != STORE_SQLITE) {
		store_snapshot_begin(db);
		assert_true(store_generation(db) == 0);
		store_snapshot_end(db);
		return;
	}
	assert_true(store_generation(db) == 0); /* outside a snapshot */
	generation_of_a_snapshot(db);           /* the first ask notices everything before */
	uint64_t g1 = generation_of_a_snapshot(db);
	assert_true(g1 != 0);
	assert_true(generation_of_a_snapshot(db) == g1);

	int64_t id = add_unit(region_a, "代数单位");
	uint64_t g2 = generation_of_a_snapshot(db);
	assert_true(g2 > g1);

	struct store *other;
	struct buf why = BUF_INIT(0);
	assert_int_equal(store_open(sqlite_path, &other, &why), PX_OK);
	buf_release(&why);
	struct unit u = { .region_id = region_a, .name = "代数单位二", .type = "street" };
	assert_int_equal(units_insert(other, &u), PX_OK);
	uint64_t g3 = generation_of_a_snapshot(db);
	assert_true(g3 == 0 || g3 > g2);
	g3 = generation_of_a_snapshot(db);
	assert_true(g3 > g2);

	/* a commit of this process after the snapshot began */
	store_snapshot_begin(db);
	count_units(db);
	struct unit u2 = { .region_id = region_a, .name = "代数单位三", .type = "street" };
	assert_int_equal(units_insert(other, &u2), PX_OK);
	assert_true(store_generation(db) == 0);
	store_snapshot_end(db);
	store_close(other);
	uint64_t g4 = generation_of_a_snapshot(db);
	g4 = g4 ? g4 : generation_of_a_snapshot(db);
	assert_true(g4 > g3);

	/* another process: only SQLite's data_version tells */
	sqlite3 *raw;
	assert_int_equal(sqlite3_open(sqlite_path, &raw), SQLITE_OK);
	char *sql = sqlite3_mprintf("UPDATE units SET name = '外部进程改名' WHERE id = %lld",
				    (long long)id);
	assert_int_equal(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(sql);
	sqlite3_close(raw);
	assert_true(generation_of_a_snapshot(db) == 0);
	uint64_t g5 = generation_of_a_snapshot(db);
	assert_true(g5 > g4);
	assert_true(generation_of_a_snapshot(db) == g5);
}

/* The login throttle (0003): a count under a name, a (name, source) and a source, each its
 * own; a lock at the count's limit; a count that starts again after the window; holds,
 * clears and a name forgotten with all its pairs and nothing else. */
static void test_login_throttle(void **state)
{
	(void)state;
	int64_t now = time_now();
	struct login_count n;
	assert_int_equal(login_throttle_get(db, "nobody9", NULL, &n), PX_OK);
	assert_int_equal(n.failed, 0);
	assert_int_equal(n.locked_until, 0);
	/* the fifth failure from one address locks the name there, and only there */
	for (int i = 1; i <= 4; i++) {
		assert_int_equal(
			login_throttle_fail(db, "nobody9", "10.0.0.1", now, 900, 5, 900, &n),
			PX_OK);
		assert_int_equal(n.failed, i);
		assert_int_equal(n.locked_until, 0);
	}
	assert_int_equal(login_throttle_fail(db, "nobody9", "10.0.0.1", now, 900, 5, 900, &n),
			 PX_OK);
	assert_int_equal(n.failed, 0);
	assert_int_equal(n.locked_until, now + 900);
	assert_int_equal(login_throttle_get(db, "nobody9", "10.0.0.1", &n), PX_OK);
	assert_int_equal(n.locked_until, now + 900);
	assert_int_equal(login_throttle_get(db, "nobody9", "10.0.0.2", &n), PX_OK);
	assert_int_equal(n.locked_until, 0);
	assert_int_equal(login_throttle_get(db, "nobody9", NULL, &n), PX_OK);
	assert_int_equal(n.failed, 0); /* nothing was counted under the bare name */
	/* a count without a lock (lock_at 0) goes on; one older than the window starts again */
	for (int i = 1; i <= 7; i++)
		assert_int_equal(login_throttle_fail(db, "nobody9", NULL, now, 900, 0, 0, &n),
				 PX_OK);
	assert_int_equal(n.failed, 7);
	assert_int_equal(n.locked_until, 0);
	assert_int_equal(login_throttle_fail(db, "nobody9", NULL, now + 900, 900, 0, 0, &n), PX_OK);
	assert_int_equal(n.failed, 8); /* the last failure 900 s ago: still within */
	assert_int_equal(login_throttle_fail(db, "nobody9", NULL, now + 1801, 900, 0, 0, &n),
			 PX_OK);
	assert_int_equal(n.failed, 1);
	/* a hold only ever lengthens */
	assert_int_equal(login_throttle_hold(db, "nobody9", NULL, now + 60), PX_OK);
	assert_int_equal(login_throttle_hold(db, "nobody9", NULL, now + 30), PX_OK);
	assert_int_equal(login_throttle_get(db, "nobody9", NULL, &n), PX_OK);
	assert_int_equal(n.locked_until, now + 60);
	/* a source counts whatever the names */
	assert_int_equal(login_throttle_fail(db, NULL, "10.0.0.1", now, 900, 2, 900, &n), PX_OK);
	assert_int_equal(login_throttle_fail(db, NULL, "10.0.0.1", now, 900, 2, 900, &n), PX_OK);
	assert_int_equal(n.locked_until, now + 900);
	/* a name that starts like another is another: nobody9's pair and nobody90's */
	assert_int_equal(login_throttle_fail(db, "nobody90", "10.0.0.1", now, 900, 5, 900, &n),
			 PX_OK);
	assert_int_equal(login_throttle_fail(db, "nobody9", "10.0.0.2", now, 900, 5, 900, &n),
			 PX_OK);
	/* clearing a pair leaves the rest */
	assert_int_equal(login_throttle_clear(db, "nobody9", "10.0.0.2"), PX_OK);
	assert_int_equal(login_throttle_get(db, "nobody9", "10.0.0.2", &n), PX_OK);
	assert_int_equal(n.failed, 0);
	assert_int_equal(login_throttle_get(db, "nobody9", "10.0.0.1", &n), PX_OK);
	assert_int_equal(n.locked_until, now + 900);
	/* the purge keeps fresh rows */
	assert_int_equal(sessions_purge_expired(db, time_now(), 1800), PX_OK);
	assert_int_equal(login_throttle_get(db, "nobody9", "10.0.0.1", &n), PX_OK);
	assert_int_equal(n.locked_until, now + 900);
	/* forgetting a name: the name and its pairs, not a longer name's nor the source */
	assert_int_equal(login_throttle_forget(db, "nobody9"), PX_OK);
	assert_int_equal(login_throttle_get(db, "nobody9", "10.0.0.1", &n), PX_OK);
	assert_int_equal(n.locked_until, 0);
	assert_int_equal(login_throttle_get(db, "nobody9", NULL, &n), PX_OK);
	assert_int_equal(n.locked_until, 0);
	assert_int_equal(login_throttle_get(db, "nobody90", "10.0.0.1", &n), PX_OK);
	assert_int_equal(n.failed, 1);
	assert_int_equal(login_throttle_get(db, NULL, "10.0.0.1", &n), PX_OK);
	assert_int_equal(n.locked_until, now + 900);
}

static void test_users_sessions_lockout(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct user u = { .username = "liaison9",
			  .display_name = "联络员",
			  .password_hash = "x",
			  .role = "unit_liaison",
			  .unit_id = unit_a,
			  .active = 1 };
	assert_int_equal(users_insert(db, &u), PX_OK);
	struct user dup = u;
	assert_int_equal(users_insert(db, &dup), PX_ERR_CONFLICT);
	/* the account shows the throttle's count under its name (from every address) */
	struct login_count lc;
	for (int i = 0; i < 3; i++)
		assert_int_equal(
			login_throttle_fail(db, "liaison9", NULL, time_now(), 900, 0, 0, &lc),
			PX_OK);
	assert_int_equal(login_throttle_hold(db, "liaison9", NULL, time_now() + 60), PX_OK);
	struct user got;
	assert_int_equal(users_get_by_username(db, &a, "liaison9", &got), PX_OK);
	assert_int_equal(got.failed_logins, 3);
	assert_true(got.locked_until > time_now() + 50);
	/* a new password does not touch it: the operation forgets the name (service) */
	assert_int_equal(login_throttle_forget(db, "liaison9"), PX_OK);
	assert_int_equal(users_get_by_username(db, &a, "liaison9", &got), PX_OK);
	assert_int_equal(got.failed_logins, 0);
	assert_int_equal(got.locked_until, 0);

	assert_int_equal(
		sessions_create(db, "hash1", u.id, "csrf1", time_now() + 3600, "127.0.0.1", "test"),
		PX_OK);
	struct session_info si;
	assert_int_equal(sessions_lookup(db, &a, "hash1", &si), PX_OK);
	assert_int_equal(si.who.role, ROLE_UNIT_LIAISON);
	assert_int_equal(si.who.unit_id, unit_a);
	assert_string_equal(si.csrf_token, "csrf1");
	assert_int_equal(sessions_delete_user(db, u.id), PX_OK);
	assert_int_equal(sessions_lookup(db, &a, "hash1", &si), PX_ERR_NOT_FOUND);

	struct principal who = { .user_id = u.id, .username = "liaison9" };
	assert_int_equal(
		audit_add(db, &who, "127.0.0.1", "update", "cadre", 7, "{\"a\":1}", "{\"a\":2}"),
		PX_OK);
	struct log_query lq = { .entity = "cadre", .entity_id = 7, .page = 1, .page_size = 5 };
	struct log_entry *items;
	size_t n;
	int64_t total;
	assert_int_equal(audit_list(db, &a, &lq, &items, &n, &total), PX_OK);
	assert_int_equal(total, 1);
	assert_string_equal(items[0].after_json, "{\"a\":2}");
	assert_string_equal(items[0].username, "liaison9");
	arena_release(&a);
}

/* ---- store_list: the one skeleton of the repositories' lists ---- */

struct unit_pick {
	int64_t id;
	const char *name;
	int sort_order;
};

static void read_unit_pick(struct arena *a, struct store_stmt *st, void *out)
{
	struct unit_pick *u = out;
	u->id = store_column_int64(st, 0);
	u->name = row_text(a, st, 1);
	u->sort_order = (int)store_column_int64(st, 2);
}

struct unit_pick_query {
	int64_t region_id;
	int extra_args; /* parameters to add beyond the region's (to overflow the builder) */
};

static void unit_pick_filter(struct arena *a, struct qb *q, const void *query)
{
	(void)a;
	const struct unit_pick_query *uq = query;
	qb_where(q, "u.region_id = ?");
	qb_arg_int(q, uq->region_id);
	for (int i = 0; i < uq->extra_args; i++) {
		qb_where(q, "u.id <> ?");
		qb_arg_int(q, -1);
	}
}

static const struct sort_key unit_pick_sorts[] = {
	{ "sort_order", "u.sort_order" },
	{ "name", "u.name" },
};

static const struct list_spec unit_pick_list = {
	.columns = "SELECT u.id, u.name, u.sort_order",
	.from = " FROM units u JOIN regions g ON g.id = u.region_id",
	.count_from = " FROM units u",
	.sorts = unit_pick_sorts,
	.n_sorts = 2,
	.tiebreak = "u.id",
	.filter = unit_pick_filter,
	.read = read_unit_pick,
	.row_size = sizeof(struct unit_pick),
};

/* The names of a page, joined by ',' (arena). */
static const char *page_names(struct arena *a, const struct unit_pick *rows, size_t n)
{
	const char *s = "";
	for (size_t i = 0; i < n; i++)
		s = arena_printf(a, "%s%s%s", s, i ? "," : "", rows[i].name);
	return s;
}

static void test_store_list(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	int64_t region = add_region("列表测试市", 0);
	/* sort orders 2, 1, 2, 3, 1: two ties that only the id decides */
	static const char *const names[] = { "丙", "甲", "丁", "戊", "乙" };
	static const int orders[] = { 2, 1, 2, 3, 1 };
	int64_t ids[5];
	for (int i = 0; i < 5; i++) {
		struct unit u = { .region_id = region,
				  .name = names[i],
				  .type = "township",
				  .sort_order = orders[i] };
		assert_int_equal(units_insert(db, &u), PX_OK);
		ids[i] = u.id;
	}
	add_unit(region_a, "别处的单位"); /* outside the filter */
	struct unit_pick_query q = { .region_id = region };
	struct unit_pick *rows;
	size_t n;
	int64_t total = -1;
	struct list_page page = { NULL, 1, 10 };
	/* the default key, ties by id */
	assert_int_equal(store_list(db, &a, &unit_pick_list, &q, &page, (void **)&rows, &n, &total),
			 PX_OK);
	assert_int_equal(total, 5);
	assert_int_equal(n, 5);
	assert_string_equal(page_names(&a, rows, n), "甲,乙,丙,丁,戊");
	assert_int_equal(rows[0].id, ids[1]);
	/* descending: the tiebreak turns too */
	page.sort = "-sort_order";
	assert_int_equal(store_list(db, &a, &unit_pick_list, &q, &page, (void **)&rows, &n, &total),
			 PX_OK);
	assert_string_equal(page_names(&a, rows, n), "戊,丁,丙,乙,甲");
	/* an unknown key is the default one, never SQL */
	page.sort = "u.id; DROP TABLE units";
	assert_int_equal(store_list(db, &a, &unit_pick_list, &q, &page, (void **)&rows, &n, &total),
			 PX_OK);
	assert_string_equal(page_names(&a, rows, n), "甲,乙,丙,丁,戊");
	/* the second page of two; the total counts every match */
	page = (struct list_page){ "sort_order", 2, 2 };
	assert_int_equal(store_list(db, &a, &unit_pick_list, &q, &page, (void **)&rows, &n, &total),
			 PX_OK);
	assert_int_equal(total, 5);
	assert_string_equal(page_names(&a, rows, n), "丙,丁");
	/* past the end: no rows, the same total */
	page.page = 4;
	assert_int_equal(store_list(db, &a, &unit_pick_list, &q, &page, (void **)&rows, &n, &total),
			 PX_OK);
	assert_int_equal(n, 0);
	assert_int_equal(total, 5);
	/* a fixed order ignores the caller's sort */
	struct list_spec fixed = unit_pick_list;
	fixed.sorts = NULL;
	fixed.n_sorts = 0;
	fixed.order = "u.id DESC";
	page = (struct list_page){ "-name", 1, 3 };
	assert_int_equal(store_list(db, &a, &fixed, &q, &page, (void **)&rows, &n, &total), PX_OK);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].id, ids[4]);
	assert_int_equal(rows[2].id, ids[2]);
	/* no filter: every unit */
	fixed.filter = NULL;
	page = (struct list_page){ NULL, 1, 100 };
	assert_int_equal(store_list(db, &a, &fixed, NULL, &page, (void **)&rows, &n, &total),
			 PX_OK);
	assert_true(total >= 6);
	assert_int_equal((int64_t)n, total);
	/* filters needing more parameters than a query holds: refused, nothing run */
	q.extra_args = QB_MAX_ARGS;
	page = (struct list_page){ NULL, 1, 10 };
	assert_int_equal(store_list(db, &a, &unit_pick_list, &q, &page, (void **)&rows, &n, &total),
			 PX_ERR_INTERNAL);
	assert_int_equal(n, 0);
	arena_release(&a);
}

/* The lists of the training repositories, through store_list with their filters. */
static void test_training_lists(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct region ra;
	assert_int_equal(regions_get(db, &a, region_a, &ra), PX_OK);
	/* plans: a liaison sees its unit's and those of the units under it */
	struct unit child = { .region_id = region_a,
			      .parent_id = unit_a,
			      .name = "下属中心",
			      .type = "institution" };
	assert_int_equal(units_insert(db, &child), PX_OK);
	struct plan p1 = { .region_id = region_a, .unit_id = unit_a, .year = 2024, .title = "一" };
	struct plan p2 = {
		.region_id = region_a, .unit_id = child.id, .year = 2025, .title = "二"
	};
	struct plan p3 = { .region_id = region_b, .unit_id = unit_b, .year = 2024, .title = "三" };
	assert_int_equal(plans_insert(db, &p1), PX_OK);
	assert_int_equal(plans_insert(db, &p2), PX_OK);
	assert_int_equal(plans_insert(db, &p3), PX_OK);
	struct scope_filter liaison = { .scope = SCOPE_UNIT, .unit_id = unit_a };
	struct plan *plans;
	size_t n;
	int64_t total;
	assert_int_equal(plans_list(db, &a, &liaison, 0, 1, 10, &plans, &n, &total), PX_OK);
	assert_int_equal(total, 2);
	assert_string_equal(plans[0].title, "二"); /* newest year first */
	assert_int_equal(plans_list(db, &a, &liaison, 2024, 1, 10, &plans, &n, &total), PX_OK);
	assert_int_equal(total, 1);
	struct scope_filter region = { .scope = SCOPE_REGION, .region_path = ra.path };
	assert_int_equal(plans_list(db, &a, &region, 0, 1, 1, &plans, &n, &total), PX_OK);
	assert_int_equal(total, 2);
	assert_int_equal(n, 1);

	/* classes: scope, search, term and dates */
	static const struct {
		const char *name, *start, *end, *term;
	} ks[] = {
		{ "乡村振兴专题班", "2024-03-04", "2024-03-08", "春季" },
		{ "数字经济专题班", "2024-03-11", "2024-03-15", "春季" },
		{ "秋季主体班", "2024-09-02", "2024-09-20", "" },
	};
	int64_t kid[3];
	for (int i = 0; i < 3; i++) {
		struct training_class k = { .region_id = region_a,
					    .plan_id = i == 0 ? p1.id : 0,
					    .name = ks[i].name,
					    .capacity = 30,
					    .kind = "topic",
					    .status = "draft",
					    .term = ks[i].term };
		snprintf(k.start_date, sizeof k.start_date, "%s", ks[i].start);
		snprintf(k.end_date, sizeof k.end_date, "%s", ks[i].end);
		assert_int_equal(classes_insert(db, &k, 0), PX_OK);
		kid[i] = k.id;
	}
	struct class_query cq = { .scope = region, .page = 1, .page_size = 10 };
	struct class_row *classes;
	assert_int_equal(classes_list(db, &a, &cq, &classes, &n, &total), PX_OK);
	assert_int_equal(total, 3);
	assert_int_equal(classes[0].c.id, kid[2]); /* latest start first */
	assert_string_equal(classes[2].plan_title, "一");
	cq.term = "春季";
	cq.q = "数字";
	assert_int_equal(classes_list(db, &a, &cq, &classes, &n, &total), PX_OK);
	assert_int_equal(total, 1);
	assert_int_equal(classes[0].c.id, kid[1]);
	cq = (struct class_query){ .scope = region,
				   .from = "2024-03-08",
				   .to = "2024-03-10",
				   .page = 1,
				   .page_size = 10 };
	assert_int_equal(classes_list(db, &a, &cq, &classes, &n, &total), PX_OK);
	assert_int_equal(total, 1); /* overlapping: the first ends on the 8th */
	assert_int_equal(classes[0].c.id, kid[0]);
	struct user manager;
	assert_int_equal(users_get_by_username(db, &a, "liaison9", &manager), PX_OK);
	assert_int_equal(class_managers_set(db, kid[1], manager.id), PX_OK);
	cq = (struct class_query){ .scope = { .scope = SCOPE_CLASSES, .user_id = manager.id },
				   .page = 1,
				   .page_size = 10 };
	assert_int_equal(classes_list(db, &a, &cq, &classes, &n, &total), PX_OK);
	assert_int_equal(total, 1);
	assert_int_equal(classes[0].c.id, kid[1]);

	/* experts by name, institution or topic; rooms by site, then kind, then entry */
	struct expert e1 = { .name = "黄老师", .institution = "党校", .topics = "乡村振兴" };
	struct expert e2 = { .name = "陈老师", .institution = "大学", .topics = "数字经济" };
	assert_int_equal(experts_insert(db, &e1), PX_OK);
	assert_int_equal(experts_insert(db, &e2), PX_OK);
	struct expert *experts;
	assert_int_equal(experts_list(db, &a, "数字", 1, 10, &experts, &n, &total), PX_OK);
	assert_int_equal(total, 1);
	assert_string_equal(experts[0].name, "陈老师");
	assert_int_equal(experts_list(db, &a, NULL, 1, 1, &experts, &n, &total), PX_OK);
	assert_int_equal(total, 2);
	assert_string_equal(experts[0].name, "黄老师");
	static const struct {
		const char *site, *name, *kind;
	} rs[] = {
		{ "乙校", "一室", "seminar_room" },
		{ "甲校", "研讨室", "seminar_room" },
		{ "甲校", "报告厅", "lecture_hall" },
	};
	int64_t rid[3];
	for (int i = 0; i < 3; i++) {
		struct room r = {
			.site = rs[i].site, .name = rs[i].name, .capacity = 20, .kind = rs[i].kind
		};
		assert_int_equal(rooms_insert(db, &r), PX_OK);
		rid[i] = r.id;
	}
	struct room *rooms;
	assert_int_equal(rooms_list(db, &a, "甲校", 1, 10, &rooms, &n, &total), PX_OK);
	assert_int_equal(total, 2);
	assert_int_equal(rooms[0].id, rid[2]); /* lecture_hall before seminar_room */
	assert_int_equal(rooms_list(db, &a, NULL, 1, 10, &rooms, &n, &total), PX_OK);
	assert_int_equal(total, 3);
	arena_release(&a);
}

/*
 * Migration 0010's fields of a class, its managers (班主任) and the accounts without a region
 * that serve a region (issue 9, items 9 and 11): a class manager of one of its classes, an
 * expert it entered (also to manage) or who teaches one of its sessions (to read only).
 */
static void test_class_people(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct region ra, rb;
	assert_int_equal(regions_get(db, &a, region_a, &ra), PX_OK);
	assert_int_equal(regions_get(db, &a, region_b, &rb), PX_OK);
	struct training_class k = { .region_id = region_a,
				    .name = "联系人班",
				    .capacity = 30,
				    .kind = "topic",
				    .status = "draft",
				    .organizer = "中共南安市委组织部",
				    .manager_phone = "0595-86381234",
				    .report_time = "14:00–20:00",
				    .report_place = "学员楼大厅" };
	snprintf(k.start_date, sizeof k.start_date, "2024-05-06");
	snprintf(k.end_date, sizeof k.end_date, "2024-05-10");
	snprintf(k.report_date, sizeof k.report_date, "2024-05-05");
	assert_int_equal(classes_insert(db, &k, 0), PX_OK);
	struct class_row row;
	assert_int_equal(classes_get(db, &a, k.id, &row), PX_OK);
	assert_string_equal(row.c.organizer, "中共南安市委组织部");
	assert_string_equal(row.c.manager_phone, "0595-86381234");
	assert_string_equal(row.c.report_date, "2024-05-05");
	assert_string_equal(row.c.report_time, "14:00–20:00");
	assert_string_equal(row.c.report_place, "学员楼大厅");
	row.c.organizer = "中共南安市委";
	row.c.report_date[0] = '\0';
	assert_int_equal(classes_update(db, &row.c, row.c.version), PX_OK);
	assert_int_equal(classes_get(db, &a, k.id, &row), PX_OK);
	assert_string_equal(row.c.organizer, "中共南安市委");
	assert_string_equal(row.c.report_date, "");
	struct plan pl = { .region_id = region_a, .year = 2024, .title = "联系人计划" };
	assert_int_equal(plans_insert(db, &pl), PX_OK);
	assert_int_equal(classes_set_plan(db, k.id, pl.id, row.c.version), PX_OK);
	assert_int_equal(classes_set_plan(db, k.id, 0, row.c.version), PX_ERR_CONFLICT); /* stale */
	assert_int_equal(classes_get(db, &a, k.id, &row), PX_OK);
	assert_int_equal(row.c.plan_id, pl.id);

	/* accounts without a region: a class manager and an expert */
	struct user cm = { .username = "cm0009",
			   .display_name = "陈班主任",
			   .password_hash = "x",
			   .role = "class_manager",
			   .active = 1 };
	struct user ex = { .username = "ex0009",
			   .display_name = "黄老师",
			   .password_hash = "x",
			   .role = "expert",
			   .active = 1 };
	assert_int_equal(users_insert(db, &cm), PX_OK);
	assert_int_equal(users_insert(db, &ex), PX_OK);
	bool yes = true;
	assert_int_equal(users_in_region(db, cm.id, ra.path, false, &yes), PX_OK);
	assert_false(yes);
	assert_int_equal(class_managers_set(db, k.id, cm.id), PX_OK);
	struct class_manager *m;
	size_t n;
	assert_int_equal(class_managers_of(db, &a, k.id, &m, &n), PX_OK);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].display_name, "陈班主任");
	struct managed_class *mc;
	assert_int_equal(classes_managed_by(db, &a, cm.id, &mc, &n), PX_OK);
	assert_int_equal(n, 1);
	assert_string_equal(mc[0].region_path, ra.path);
	assert_int_equal(users_in_region(db, cm.id, ra.path, true, &yes), PX_OK);
	assert_true(yes);
	assert_int_equal(users_in_region(db, cm.id, rb.path, false, &yes), PX_OK);
	assert_false(yes);
	struct user_query uq = { .scope = { .scope = SCOPE_REGION, .region_path = ra.path },
				 .q = "0009",
				 .page = 1,
				 .page_size = 10 };
	struct user *users;
	int64_t total;
	assert_int_equal(users_list(db, &a, &uq, &users, &n, &total), PX_OK);
	assert_int_equal(total, 1); /* the class manager; the expert serves nobody yet */
	assert_int_equal(users[0].id, cm.id);
	/* the expert: entered by region b, teaching in a class of region a */
	struct expert e = { .region_id = region_b, .name = "黄老师" };
	assert_int_equal(experts_insert(db, &e), PX_OK);
	assert_int_equal(users_link_expert(db, ex.id, e.id), PX_OK);
	assert_int_equal(users_in_region(db, ex.id, rb.path, true, &yes), PX_OK);
	assert_true(yes);
	assert_int_equal(users_in_region(db, ex.id, ra.path, false, &yes), PX_OK);
	assert_false(yes);
	struct tsession t = { .class_id = k.id,
			      .kind = "lecture",
			      .topic = "讲座",
			      .room_kind = "none",
			      .groups = 1,
			      .preferred_slot = -1,
			      .slot = -1 };
	assert_int_equal(sessions_insert_class(db, &t), PX_OK);
	assert_int_equal(session_experts_set(db, t.id, &e.id, 1), PX_OK);
	assert_int_equal(users_in_region(db, ex.id, ra.path, false, &yes), PX_OK);
	assert_true(yes); /* to read */
	assert_int_equal(users_in_region(db, ex.id, ra.path, true, &yes), PX_OK);
	assert_false(yes); /* not to manage */
	assert_int_equal(users_list(db, &a, &uq, &users, &n, &total), PX_OK);
	assert_int_equal(total, 2);
	/* a class manager re-roled is no longer one of the class's */
	assert_int_equal(class_managers_remove(db, k.id, cm.id), PX_OK);
	assert_int_equal(users_in_region(db, cm.id, ra.path, false, &yes), PX_OK);
	assert_false(yes);
	arena_release(&a);
}

/* The jobs repository: a queue several servers share (store/jobs.h). */
static int64_t queue_job(const struct principal *who, const char *payload)
{
	struct job j = { .kind = "test.kind",
			 .params_json = "{\"n\":1}",
			 .lang = "en",
			 .creator = *who,
			 .creator_ip = "10.0.0.1" };
	assert_int_equal(jobs_insert(db, &j, payload, 0), PX_OK);
	assert_true(j.id > 0);
	return j.id;
}

/* No job of the tests' kind left unfinished by a test before (one that failed half-way). */
static void jobs_clean(void)
{
	assert_int_equal(store_run(db,
				   "UPDATE jobs SET status = 'failed' WHERE kind = 'test.kind' AND "
				   "status IN ('queued', 'running')",
				   PX_OK, ""),
			 PX_OK);
}

static void test_jobs_queue(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct user u = { .username = "jobs9",
			  .display_name = "排课员",
			  .password_hash = "x",
			  .role = "org_admin",
			  .region_id = region_a,
			  .active = 1 };
	assert_int_equal(users_insert(db, &u), PX_OK);
	struct principal who = { .user_id = u.id,
				 .role = ROLE_ORG_ADMIN,
				 .username = "jobs9",
				 .region_id = region_a,
				 .region_path = "/1/2/3/",
				 .unit_id = 0 };
	int64_t id = queue_job(&who, "v1:sealed");

	/* what was queued reads back, with the creator's scope */
	struct job j;
	assert_int_equal(jobs_get(db, &a, id, &j), PX_OK);
	assert_string_equal(j.status, "queued");
	assert_string_equal(j.kind, "test.kind");
	assert_string_equal(j.params_json, "{\"n\":1}");
	assert_string_equal(j.lang, "en");
	assert_int_equal(j.creator.user_id, u.id);
	assert_int_equal(j.creator.role, ROLE_ORG_ADMIN);
	assert_string_equal(j.creator.region_path, "/1/2/3/");
	assert_string_equal(j.creator.username, "jobs9");
	assert_string_equal(j.creator_ip, "10.0.0.1");
	assert_string_equal(j.owner, "");
	assert_int_equal(j.attempts, 0);
	const char *payload;
	assert_int_equal(jobs_payload(db, &a, id, &payload), PX_OK);
	assert_string_equal(payload, "v1:sealed");
	int64_t open = 0;
	assert_int_equal(jobs_unfinished(db, u.id, "test.kind", &open), PX_OK);
	assert_int_equal(open, 1);

	/* one claim takes it; nothing is left for a second, nor for another kind */
	bool got = false;
	assert_int_equal(jobs_claim(db, &a, "other.kind", "A", &j, &got), PX_OK);
	assert_false(got);
	assert_int_equal(jobs_claim(db, &a, "test.kind", "A", &j, &got), PX_OK);
	assert_true(got);
	assert_int_equal(j.id, id);
	assert_string_equal(j.status, "running");
	assert_string_equal(j.owner, "A");
	assert_int_equal(j.attempts, 1);
	assert_true(j.heartbeat_at > 0 && j.started_at > 0);
	assert_int_equal(jobs_claim(db, &a, "test.kind", "B", &j, &got), PX_OK);
	assert_false(got);

	/* progress and heartbeat only for the owner */
	bool lost = true, cancel = true;
	assert_int_equal(jobs_progress(db, id, "A", 0.5, "{\"best\":3}", &lost, &cancel), PX_OK);
	assert_false(lost);
	assert_false(cancel);
	assert_int_equal(jobs_progress(db, id, "B", 0.9, NULL, &lost, &cancel), PX_OK);
	assert_true(lost);
	assert_int_equal(jobs_get(db, &a, id, &j), PX_OK);
	assert_true(j.progress > 0.49 && j.progress < 0.51);
	assert_string_equal(j.result_json, "{\"best\":3}");
	struct job_beat beats[4];
	size_t n = 0;
	assert_int_equal(jobs_heartbeat(db, "A", beats, 4, &n), PX_OK);
	assert_int_equal(n, 1);
	assert_int_equal(beats[0].id, id);
	assert_false(beats[0].cancel_requested);
	assert_int_equal(jobs_heartbeat(db, "B", beats, 4, &n), PX_OK);
	assert_int_equal(n, 0);
	bool yes = false;
	assert_int_equal(jobs_confirm(db, id, "A", &yes), PX_OK);
	assert_true(yes);

	/* a cancel of a running job is a mark its runner sees in the heartbeat and progress */
	const char *was = NULL;
	assert_int_equal(jobs_cancel(db, id, true, &was), PX_OK);
	assert_string_equal(was, "running");
	assert_int_equal(jobs_heartbeat(db, "A", beats, 4, &n), PX_OK);
	assert_int_equal(n, 1);
	assert_true(beats[0].cancel_requested);
	assert_int_equal(jobs_progress(db, id, "A", 0.6, NULL, &lost, &cancel), PX_OK);
	assert_false(lost);
	assert_true(cancel);
	assert_int_equal(jobs_confirm(db, id, "A", &yes), PX_OK);
	assert_false(yes);
	/* only the owner ends it; then it is over for everyone */
	assert_int_equal(jobs_finish(db, id, "B", "done", "{}"), PX_ERR_NOT_FOUND);
	assert_int_equal(jobs_finish(db, id, "A", "cancelled", "{\"code\":\"cancelled\"}"), PX_OK);
	assert_int_equal(jobs_get(db, &a, id, &j), PX_OK);
	assert_string_equal(j.status, "cancelled");
	assert_true(j.finished_at > 0);
	assert_int_equal(jobs_payload(db, &a, id, &payload), PX_OK);
	assert_string_equal(payload, ""); /* the sealed input goes with the job's end */
	assert_int_equal(jobs_cancel(db, id, true, &was), PX_ERR_STATE);
	assert_int_equal(jobs_unfinished(db, u.id, "test.kind", &open), PX_OK);
	assert_int_equal(open, 0);

	/* a queued job is cancelled at once and never claimed */
	int64_t q = queue_job(&who, NULL);
	assert_int_equal(jobs_cancel(db, q, true, &was), PX_OK);
	assert_string_equal(was, "queued");
	assert_int_equal(jobs_claim(db, &a, "test.kind", "A", &j, &got), PX_OK);
	assert_false(got);

	/* done: progress 1 */
	int64_t d = queue_job(&who, NULL);
	assert_int_equal(jobs_claim(db, &a, "test.kind", "A", &j, &got), PX_OK);
	assert_true(got && j.id == d);
	assert_int_equal(jobs_finish(db, d, "A", "done", "{\"ok\":true}"), PX_OK);
	assert_int_equal(jobs_get(db, &a, d, &j), PX_OK);
	assert_string_equal(j.status, "done");
	assert_true(j.progress > 0.99);

	/* a server that stops gives its job back, the attempt not counted */
	int64_t r = queue_job(&who, NULL);
	assert_int_equal(jobs_claim(db, &a, "test.kind", "A", &j, &got), PX_OK);
	assert_int_equal(jobs_release(db, r, "B"), PX_ERR_NOT_FOUND);
	assert_int_equal(jobs_release(db, r, "A"), PX_OK);
	assert_int_equal(jobs_get(db, &a, r, &j), PX_OK);
	assert_string_equal(j.status, "queued");
	assert_int_equal(j.attempts, 0);
	assert_string_equal(j.owner, "");

	/* rescue: a running job whose heartbeat is older than the lapse is found, taken over
	 * (back to the queue) or ended; a fresh heartbeat is not */
	assert_int_equal(jobs_claim(db, &a, "test.kind", "A", &j, &got), PX_OK);
	assert_true(got && j.id == r);
	struct job *lapsed;
	size_t nl = 0;
	assert_int_equal(jobs_lapsed(db, &a, time_now() - 60, 10, &lapsed, &nl), PX_OK);
	assert_int_equal(nl, 0);
	int64_t later = time_now() + 60; /* as if a minute had passed without a heartbeat */
	assert_int_equal(jobs_lapsed(db, &a, later, 10, &lapsed, &nl), PX_OK);
	assert_int_equal(nl, 1);
	assert_int_equal(lapsed[0].id, r);
	assert_string_equal(lapsed[0].kind, "test.kind");
	assert_string_equal(lapsed[0].owner, "A");
	assert_int_equal(lapsed[0].attempts, 1);
	bool done = false;
	assert_int_equal(jobs_requeue_lapsed(db, r, time_now() - 60, &done), PX_OK);
	assert_false(done); /* its heartbeat is not that old */
	assert_int_equal(jobs_requeue_lapsed(db, r, later, &done), PX_OK);
	assert_true(done);
	assert_int_equal(jobs_requeue_lapsed(db, r, later, &done), PX_OK);
	assert_false(done); /* only once */
	assert_int_equal(jobs_progress(db, r, "A", 0.7, NULL, &lost, &cancel), PX_OK);
	assert_true(lost); /* the old owner cannot write to it any more */
	assert_int_equal(jobs_claim(db, &a, "test.kind", "B", &j, &got), PX_OK);
	assert_true(got && j.id == r);
	assert_int_equal(j.attempts, 2);
	assert_int_equal(
		jobs_end_lapsed(db, r, later, "failed", "{\"code\":\"server_lost\"}", &done),
		PX_OK);
	assert_true(done);
	assert_int_equal(jobs_get(db, &a, r, &j), PX_OK);
	assert_string_equal(j.status, "failed");
	assert_string_equal(j.result_json, "{\"code\":\"server_lost\"}");
	assert_int_equal(jobs_finish(db, r, "B", "done", "{}"), PX_ERR_NOT_FOUND);
	arena_release(&a);
}

/* PostgreSQL: two servers claiming at once skip each other's locked rows instead of waiting
 * or taking the same job (FOR UPDATE SKIP LOCKED). */
static void test_jobs_claim_skip_locked(void **state)
{
	(void)state;
	const char *dsn = getenv("PEIXUN_TEST_DSN");
	if (!dsn || !*dsn)
		skip();
	struct store *other;
	struct buf why = BUF_INIT(0);
	assert_int_equal(store_open(dsn, &other, &why), PX_OK);
	buf_release(&why);
	struct arena a;
	arena_init(&a);
	int64_t first = queue_job(&principal_shell, NULL);
	int64_t second = queue_job(&principal_shell, NULL);
	struct job j1, j2;
	bool got1 = false, got2 = false;
	assert_int_equal(store_begin(db), PX_OK); /* the first claim holds its row lock … */
	assert_int_equal(jobs_claim(db, &a, "test.kind", "A", &j1, &got1), PX_OK);
	assert_true(got1);
	assert_int_equal(j1.id, first);
	/* … and the second claimer takes the next job at once */
	assert_int_equal(jobs_claim(other, &a, "test.kind", "B", &j2, &got2), PX_OK);
	assert_true(got2);
	assert_int_equal(j2.id, second);
	assert_int_equal(store_commit(db), PX_OK);
	assert_int_equal(jobs_finish(db, first, "A", "done", "{}"), PX_OK);
	assert_int_equal(jobs_finish(other, second, "B", "done", "{}"), PX_OK);
	store_close(other);
	arena_release(&a);
}

/* A user's cancel that reaches a running job just before its server gives it back
 * (shutdown: jobs_release) or another server rescues it (jobs_requeue_lapsed) is not lost:
 * the user was told "cancel_requested": true, so the job ends cancelled instead of running
 * again (the review's test, kept as it was written: review 01cd6ab). */
static void test_review_cancel_survives_requeue(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	int64_t id = queue_job(&principal_shell, NULL);
	struct job j;
	bool got = false;
	const char *was = NULL;
	/* shutdown path: claimed, cancel marked, released before the run saw the mark */
	assert_int_equal(jobs_claim(db, &a, "test.kind", "A", &j, &got), PX_OK);
	assert_true(got && j.id == id);
	assert_int_equal(jobs_cancel(db, id, true, &was), PX_OK);
	assert_string_equal(was, "running");
	assert_int_equal(jobs_release(db, id, "A"), PX_OK);
	assert_int_equal(jobs_get(db, &a, id, &j), PX_OK);
	printf("after release: status=%s cancel_requested=%d\n", j.status, j.cancel_requested);
	assert_int_equal(jobs_claim(db, &a, "test.kind", "B", &j, &got), PX_OK);
	printf("claimed again by B: got=%d cancel_requested=%d\n", got, got && j.cancel_requested);
	/* the cancel must survive: either the job is ended, or its claim still says cancel */
	assert_true(!got || j.cancel_requested);
	arena_release(&a);
}

/* The same across both ways a running job goes back to the queue: it ends cancelled, with
 * its end time, its input gone and a result that says so; and a claim never takes (nor
 * forgets) a job whose cancel was asked. */
static void test_jobs_cancel_survives_release_and_rescue(void **state)
{
	(void)state;
	jobs_clean();
	struct arena a;
	arena_init(&a);
	struct job j;
	bool got = false, done = false;
	const char *was = NULL, *payload = NULL;
	/* shutdown: the server gives back a job whose cancel it had not seen yet */
	int64_t id = queue_job(&principal_shell, "v1:sealed");
	assert_int_equal(jobs_claim(db, &a, "test.kind", "A", &j, &got), PX_OK);
	assert_true(got && j.id == id);
	assert_int_equal(jobs_cancel(db, id, true, &was), PX_OK);
	assert_int_equal(jobs_release(db, id, "A"), PX_OK);
	assert_int_equal(jobs_get(db, &a, id, &j), PX_OK);
	assert_string_equal(j.status, "cancelled");
	assert_true(j.cancel_requested);
	assert_true(j.finished_at > 0);
	assert_string_equal(j.result_json, "{\"code\":\"cancelled\"}");
	assert_int_equal(j.attempts, 1); /* it ran, and that was its end */
	assert_int_equal(jobs_payload(db, &a, id, &payload), PX_OK);
	assert_string_equal(payload, "");
	assert_int_equal(jobs_claim(db, &a, "test.kind", "B", &j, &got), PX_OK);
	assert_false(got);
	/* rescue: the cancel arrives after the keeper read the lapsed job, before its requeue */
	int64_t r = queue_job(&principal_shell, "v1:sealed");
	assert_int_equal(jobs_claim(db, &a, "test.kind", "A", &j, &got), PX_OK);
	assert_true(got && j.id == r);
	assert_int_equal(jobs_cancel(db, r, true, &was), PX_OK);
	assert_int_equal(jobs_requeue_lapsed(db, r, time_now() + 60, &done), PX_OK);
	assert_true(done);
	assert_int_equal(jobs_get(db, &a, r, &j), PX_OK);
	assert_string_equal(j.status, "cancelled");
	assert_true(j.finished_at > 0);
	assert_string_equal(j.result_json, "{\"code\":\"cancelled\"}");
	assert_int_equal(jobs_payload(db, &a, r, &payload), PX_OK);
	assert_string_equal(payload, "");
	assert_int_equal(jobs_claim(db, &a, "test.kind", "B", &j, &got), PX_OK);
	assert_false(got);
	/* a queued row that says cancel (written by an older version) is not claimed, and the
	 * claim does not clear the mark */
	int64_t q = queue_job(&principal_shell, NULL);
	assert_int_equal(
		store_run(db, "UPDATE jobs SET cancel_requested = 1 WHERE id = ?", PX_OK, "i", q),
		PX_OK);
	assert_int_equal(jobs_claim(db, &a, "test.kind", "A", &j, &got), PX_OK);
	assert_false(got);
	assert_int_equal(jobs_get(db, &a, q, &j), PX_OK);
	assert_true(j.cancel_requested);
	assert_int_equal(store_run(db, "DELETE FROM jobs WHERE id = ?", PX_OK, "i", q), PX_OK);
	arena_release(&a);
}

/* A kind that cannot stop (an import, one transaction) is cancelled while queued, never once
 * claimed: the repository decides in the same statement as the mark, so a claim between
 * the caller's look at the job and its cancel cannot slip a mark onto a running import
 * (which a rescue would then have ended "cancelled" although it may have gone in). */
static void test_jobs_cancel_only_what_can_stop(void **state)
{
	(void)state;
	jobs_clean();
	struct arena a;
	arena_init(&a);
	struct job j;
	bool got = false;
	const char *was = NULL;
	int64_t q = queue_job(&principal_shell, NULL);
	assert_int_equal(jobs_cancel(db, q, false, &was), PX_OK);
	assert_string_equal(was, "queued");
	assert_int_equal(jobs_get(db, &a, q, &j), PX_OK);
	assert_string_equal(j.status, "cancelled");
	int64_t id = queue_job(&principal_shell, NULL);
	assert_int_equal(jobs_claim(db, &a, "test.kind", "A", &j, &got), PX_OK);
	assert_true(got && j.id == id);
	assert_int_equal(jobs_cancel(db, id, false, &was), PX_ERR_STATE);
	assert_string_equal(was, "running");
	assert_int_equal(jobs_get(db, &a, id, &j), PX_OK);
	assert_string_equal(j.status, "running");
	assert_false(j.cancel_requested);
	assert_int_equal(jobs_finish(db, id, "A", "done", "{}"), PX_OK);
	assert_int_equal(jobs_cancel(db, id, false, &was), PX_ERR_STATE);
	assert_string_equal(was, "ended");
	assert_int_equal(jobs_cancel(db, id, true, &was), PX_ERR_STATE);
	assert_string_equal(was, "ended");
	arena_release(&a);
}

/* Another server's keeper, rescuing a job while its owner saves (on its own connection). */
struct rescuer {
	struct store *s;
	int64_t id, before;
	bool done;
	px_err rc;
};

static void *rescue_thread(void *arg)
{
	struct rescuer *r = arg;
	r->rc = jobs_requeue_lapsed(r->s, r->id, r->before, &r->done);
	return NULL;
}

static struct store *second_connection(void)
{
	const char *dsn = getenv("PEIXUN_TEST_DSN");
	struct store *other;
	struct buf why = BUF_INIT(0);
	assert_int_equal(store_open(dsn && *dsn ? dsn : sqlite_path, &other, &why), PX_OK);
	buf_release(&why);
	return other;
}

/* The confirm inside a run's saving transaction (job_confirm) keeps the job the run's until
 * that transaction ends: it writes the heartbeat, so its row lock (PostgreSQL) or the write
 * lock (SQLite) holds a rescue back until the commit, and the rescue then finds the
 * heartbeat fresh. Without it a rescue requeues the job between the confirm and the commit
 * (PostgreSQL) or right after the commit (SQLite), and both runs save. (The review's
 * test_review_confirm_holds_no_lock rescued on the same thread that held the transaction,
 * which waits for ever once the confirm locks; here the rescue has a thread of its own.) */
static void test_jobs_confirm_holds_the_job(void **state)
{
	(void)state;
	jobs_clean();
	struct store *other = second_connection();
	struct arena a;
	arena_init(&a);
	int64_t id = queue_job(&principal_shell, NULL);
	struct job j;
	bool got = false, yes = false;
	assert_int_equal(jobs_claim(db, &a, "test.kind", "A", &j, &got), PX_OK);
	assert_true(got && j.id == id);
	/* its server has been silent for a while: the heartbeat is older than the lapse */
	assert_int_equal(store_run(db, "UPDATE jobs SET heartbeat_at = ? WHERE id = ?", PX_OK, "ii",
				   time_now() - 100, id),
			 PX_OK);
	assert_int_equal(store_begin(db), PX_OK); /* the run's saving transaction */
	assert_int_equal(jobs_confirm(db, id, "A", &yes), PX_OK);
	assert_true(yes);
	struct rescuer r = { .s = other, .id = id, .before = time_now() - 50 };
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, rescue_thread, &r), 0);
	usleep(300 * 1000); /* the rescue reaches the job while the save is still open */
	assert_int_equal(store_commit(db), PX_OK);
	pthread_join(t, NULL);
	assert_int_equal(r.rc, PX_OK);
	assert_false(r.done); /* the confirm's heartbeat won */
	assert_int_equal(jobs_get(db, &a, id, &j), PX_OK);
	assert_string_equal(j.status, "running");
	assert_string_equal(j.owner, "A");
	assert_int_equal(jobs_finish(db, id, "A", "done", "{}"), PX_OK);
	/* a job cancelled or no longer its own is not confirmed */
	int64_t c = queue_job(&principal_shell, NULL);
	const char *was;
	assert_int_equal(jobs_claim(db, &a, "test.kind", "A", &j, &got), PX_OK);
	assert_true(got && j.id == c);
	assert_int_equal(jobs_confirm(db, c, "B", &yes), PX_OK);
	assert_false(yes);
	assert_int_equal(jobs_cancel(db, c, true, &was), PX_OK);
	assert_int_equal(jobs_confirm(db, c, "A", &yes), PX_OK);
	assert_false(yes);
	assert_int_equal(jobs_finish(db, c, "A", "cancelled", "{}"), PX_OK);
	store_close(other);
	arena_release(&a);
}
/* A request of the same user, queuing on its own connection while another is halfway. */
struct enqueuer {
	struct store *s;
	struct job j;
	px_err rc;
};

static void *enqueue_thread(void *arg)
{
	struct enqueuer *e = arg;
	e->rc = jobs_insert(e->s, &e->j, NULL, 1);
	return NULL;
}

/* The per-user limit holds for requests that arrive together: the count and the insert are
 * one step per user (SQLite: the write transaction; PostgreSQL: the user's row locked), so
 * a second request waits for the first and then counts its job. (Counted first and inserted
 * after, as the runner did, both requests found nothing unfinished and both went in: the
 * API test of 8 solves at once saw 4 or 5 of them accepted against a limit of 3.) */
static void test_jobs_per_user_limit_holds_at_once(void **state)
{
	(void)state;
	jobs_clean();
	struct arena a;
	arena_init(&a);
	struct user u = { .username = "jobs10",
			  .display_name = "排课员",
			  .password_hash = "x",
			  .role = "org_admin",
			  .region_id = region_a,
			  .active = 1 };
	assert_int_equal(users_insert(db, &u), PX_OK);
	struct principal who = { .user_id = u.id, .role = ROLE_ORG_ADMIN, .username = "jobs10" };
	struct store *other = second_connection();
	struct job first = { .kind = "test.kind", .lang = "en", .creator = who };
	/* the first request is between its count and its commit … */
	assert_int_equal(store_begin(other), PX_OK);
	assert_int_equal(jobs_insert(other, &first, NULL, 1), PX_OK);
	/* … when the second one comes */
	struct enqueuer e = { .s = db, .j = { .kind = "test.kind", .lang = "en", .creator = who } };
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, enqueue_thread, &e), 0);
	usleep(300 * 1000);
	assert_int_equal(store_commit(other), PX_OK);
	pthread_join(t, NULL);
	assert_int_equal(e.rc, PX_ERR_BUSY);
	int64_t open = 0;
	assert_int_equal(jobs_unfinished(db, u.id, "test.kind", &open), PX_OK);
	assert_int_equal(open, 1);
	/* another user, and the shell, are not held to this user's count */
	assert_int_equal(
		jobs_insert(db, &(struct job){ .kind = "test.kind", .creator = principal_shell },
			    NULL, 1),
		PX_OK);
	struct job again = { .kind = "test.kind", .lang = "en", .creator = who };
	assert_int_equal(jobs_insert(db, &again, NULL, 2), PX_OK);
	assert_int_equal(jobs_insert(db, &again, NULL, 2), PX_ERR_BUSY);
	store_close(other);
	arena_release(&a);
}

/* A job queued at the shell says so in its row; one queued by nobody is refused, so no row
 * without a creator can be taken for the shell's (which may do anything). */
static void test_jobs_shell_is_said_not_inferred(void **state)
{
	(void)state;
	jobs_clean();
	struct arena a;
	arena_init(&a);
	struct job j;
	int64_t id = queue_job(&principal_shell, NULL);
	assert_int_equal(jobs_get(db, &a, id, &j), PX_OK);
	assert_true(j.creator.shell);
	assert_int_equal(j.creator.user_id, 0);
	struct job nobody = { .kind = "test.kind",
			      .lang = "en",
			      .creator = { .role = ROLE_ORG_ADMIN } };
	assert_int_equal(jobs_insert(db, &nobody, NULL, 0), PX_ERR_INVALID);
	/* a row without a creator that does not say "shell" (written by hand, or by an older
	 * version) reads as nobody's, not as the shell's */
	assert_int_equal(
		store_run(db, "UPDATE jobs SET creator_role = '' WHERE id = ?", PX_OK, "i", id),
		PX_OK);
	assert_int_equal(jobs_get(db, &a, id, &j), PX_OK);
	assert_false(j.creator.shell);
	assert_int_equal(j.creator.user_id, 0);
	struct user u = { .username = "jobs11",
			  .display_name = "排课员",
			  .password_hash = "x",
			  .role = "org_admin",
			  .region_id = region_a,
			  .active = 1 };
	assert_int_equal(users_insert(db, &u), PX_OK);
	int64_t mine =
		queue_job(&(struct principal){ .user_id = u.id, .role = ROLE_ORG_ADMIN }, NULL);
	assert_int_equal(jobs_get(db, &a, mine, &j), PX_OK);
	assert_false(j.creator.shell);
	assert_int_equal(j.creator.user_id, u.id);
	assert_int_equal(j.creator.role, ROLE_ORG_ADMIN);
	arena_release(&a);
}

/* The creator of a job as the account is now, not as the job's snapshot of it: the runner
 * reads it at the claim (a disabled account's, or a demoted one's, jobs do not run). */
static void test_jobs_creator_as_now(void **state)
{
	(void)state;
	jobs_clean();
	struct arena a;
	arena_init(&a);
	struct user u = { .username = "jobs12",
			  .display_name = "排课员",
			  .password_hash = "x",
			  .role = "org_admin",
			  .region_id = region_a,
			  .active = 1 };
	assert_int_equal(users_insert(db, &u), PX_OK);
	struct principal p;
	bool active = false;
	assert_int_equal(jobs_creator(db, &a, u.id, &p, &active), PX_OK);
	assert_true(active);
	assert_false(p.shell);
	assert_int_equal(p.user_id, u.id);
	assert_int_equal(p.role, ROLE_ORG_ADMIN);
	assert_int_equal(p.region_id, region_a);
	assert_string_equal(p.region_path, "/1/2/3/");
	assert_string_equal(p.username, "jobs12");
	struct user now;
	assert_int_equal(users_get(db, &a, u.id, &now), PX_OK);
	now.role = "viewer";
	now.region_id = region_b;
	now.active = 0;
	assert_int_equal(users_update(db, &now, now.version), PX_OK);
	assert_int_equal(jobs_creator(db, &a, u.id, &p, &active), PX_OK);
	assert_false(active);
	assert_int_equal(p.role, ROLE_VIEWER);
	assert_int_equal(p.region_id, region_b);
	assert_string_not_equal(p.region_path, "/1/2/3/");
	assert_int_equal(jobs_creator(db, &a, 999999, &p, &active), PX_ERR_NOT_FOUND);
	arena_release(&a);
}

/* A class changed by another connection while a solve's saving transaction holds it. */
struct class_writer {
	struct store *s;
	int64_t id;
	atomic_int *committed;
	bool after_commit;
	px_err rc;
};

static void *class_writer_thread(void *arg)
{
	struct class_writer *w = arg;
	w->rc = store_run(w->s, "UPDATE classes SET status = 'archived' WHERE id = ?", PX_OK, "i",
			  w->id);
	w->after_commit = atomic_load(w->committed) != 0;
	return NULL;
}

/* The classes a solve saves are held by its saving transaction (jobs_hold_classes): an
 * archive that comes after the solve looked at them waits for the solve's commit, so the
 * look stays true until then. */
static void test_jobs_hold_classes(void **state)
{
	(void)state;
	int64_t id = 0;
	assert_int_equal(store_query_int64(db, "SELECT MIN(id) FROM classes", &id, ""), PX_OK);
	assert_true(id > 0);
	struct store *other = second_connection();
	atomic_int committed = 0;
	struct class_writer w = { .s = other, .id = id, .committed = &committed };
	int64_t ids[] = { id, id + 100000 }; /* one that is not there is no error */
	assert_int_equal(store_begin(db), PX_OK);
	assert_int_equal(jobs_hold_classes(db, ids, 2), PX_OK);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, class_writer_thread, &w), 0);
	usleep(300 * 1000);
	atomic_store(&committed, 1);
	assert_int_equal(store_commit(db), PX_OK);
	pthread_join(t, NULL);
	assert_int_equal(w.rc, PX_OK);
	assert_true(w.after_commit);
	store_close(other);
}

/* ---- issue 8: the scope's path range, search, COPY and bulk loads ---- */

static int64_t cadre_in(int64_t unit, const char *name, const char *post, int seq)
{
	struct cadre c = { .unit_id = unit,
			   .name = name,
			   .rank_level = "general",
			   .category = "civil_servant",
			   .status = "active",
			   .post = post,
			   .phone = "" };
	char id17[32];
	snprintf(id17, sizeof id17, "11010119900101%03d", seq % 1000);
	memcpy(c.id_number, id17, 17);
	c.id_number[17] = idcard_check_char(id17);
	c.id_number[18] = '\0';
	strcpy(c.gender, "M");
	strcpy(c.birth_date, "1990-01-01");
	struct cadre_sealed z;
	assert_int_equal(cadre_seal(&keys, &c, &z), PX_OK);
	assert_int_equal(cadres_insert(db, &c, &z, time_now(), true), PX_OK);
	return c.id;
}

static void count_row(void *ctx, const void *row)
{
	(void)row;
	(*(size_t *)ctx)++;
}

/* The total of a list, as the page of cadres_list and as the one of cadres_each (which may
 * read it with the page's rows) count it: the same. */
static int64_t list_total(const struct cadre_query *q)
{
	struct arena a;
	arena_init(&a);
	struct cadre_row *rows;
	size_t n, m = 0;
	int64_t total = -1, again = -2;
	assert_int_equal(cadres_list(db, &a, &keys, q, &rows, &n, &total), PX_OK);
	assert_true((int64_t)n <= total);
	assert_int_equal(cadres_each(db, &a, &keys, q, count_row, &m, &again), PX_OK);
	assert_int_equal(again, total);
	assert_int_equal(m, n);
	arena_release(&a);
	return total;
}

/* Import runs: the hourly limit holds for requests that arrive together (the count and the
 * insert are one step per account), kept files stay within an account's cap (the oldest go
 * first), a purge empties the files past their retention and ends runs a stopped server
 * left running, and the list keeps to its scope and reads the "registered elsewhere" entry. */
struct starter {
	struct store *s;
	struct import_record r;
	long per_hour;
	int64_t retry_at;
	px_err rc;
};

static void *start_thread(void *arg)
{
	struct starter *t = arg;
	t->rc = imports_start(t->s, &t->r, t->per_hour, &t->retry_at);
	return NULL;
}

static void test_import_runs(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct user u = { .username = "imports1",
			  .display_name = "导入员",
			  .password_hash = "x",
			  .role = "unit_liaison",
			  .unit_id = unit_a,
			  .active = 1 };
	assert_int_equal(users_insert(db, &u), PX_OK);
	int64_t now = time_now(), retry = 0;
	int64_t ids[4];
	for (int i = 0; i < 3; i++) {
		struct import_record r = { .at = now - 300 + 100 * i,
					   .user_id = u.id,
					   .kind = "cadres",
					   .filename = "f.csv" };
		assert_int_equal(imports_start(db, &r, 3, &retry), PX_OK);
		ids[i] = r.id;
	}
	struct import_record over = {
		.at = now, .user_id = u.id, .kind = "cadres", .filename = ""
	};
	assert_int_equal(imports_start(db, &over, 3, &retry), PX_ERR_RATE_LIMITED);
	assert_int_equal(retry, now - 300 + 3600); /* the oldest of the three turns an hour old */
	/* an hour after the oldest it may go again; the shell, and no limit, are not held back */
	over.at = now - 300 + 3600;
	assert_int_equal(imports_start(db, &over, 3, &retry), PX_OK);
	ids[3] = over.id;
	struct import_record shell = { .at = now, .kind = "units", .filename = "" };
	assert_int_equal(imports_start(db, &shell, 1, &retry), PX_OK);
	struct import_record free_run = { .at = now, .user_id = u.id, .kind = "cadres" };
	assert_int_equal(imports_start(db, &free_run, 0, &retry), PX_OK);

	/* two requests together: the second waits for the first and counts its run */
	struct user v = { .username = "imports2",
			  .display_name = "导入员二",
			  .password_hash = "x",
			  .role = "unit_liaison",
			  .unit_id = unit_b,
			  .active = 1 };
	assert_int_equal(users_insert(db, &v), PX_OK);
	struct store *other = second_connection();
	struct import_record first = { .at = now, .user_id = v.id, .kind = "cadres" };
	assert_int_equal(store_begin(other), PX_OK);
	assert_int_equal(imports_start(other, &first, 1, &retry), PX_OK);
	struct starter t = { .s = db,
			     .r = { .at = now, .user_id = v.id, .kind = "cadres" },
			     .per_hour = 1 };
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, start_thread, &t), 0);
	usleep(300 * 1000);
	assert_int_equal(store_commit(other), PX_OK);
	pthread_join(th, NULL);
	assert_int_equal(t.rc, PX_ERR_RATE_LIMITED);
	store_close(other);

	/* the outcome, with a kept file of 400 characters each: a cap of 1000 keeps two */
	char file[401];
	memset(file, 'k', 400);
	file[400] = '\0';
	for (int i = 0; i < 3; i++) {
		struct import_record r = { .id = ids[i],
					   .format = "csv",
					   .status = "rejected",
					   .total_rows = 5,
					   .error_count = 1,
					   .errors_json = "[{\"row\":2}]",
					   .file_enc = file };
		assert_int_equal(imports_finish(db, &r), PX_OK);
	}
	int64_t dropped = -1;
	assert_int_equal(imports_cap_kept(db, u.id, 1000, &dropped), PX_OK);
	assert_int_equal(dropped, 1);
	struct import_record got;
	assert_int_equal(imports_get(db, &a, ids[0], &got), PX_OK);
	assert_string_equal(got.file_enc, "");
	assert_string_equal(got.status, "rejected");
	assert_int_equal(got.error_count, 1);
	assert_string_equal(got.errors_json, "[{\"row\":2}]");
	assert_int_equal(imports_get(db, &a, ids[1], &got), PX_OK);
	assert_string_equal(got.file_enc, file);
	/* a newest file larger than the cap is not kept either */
	assert_int_equal(imports_cap_kept(db, u.id, 399, &dropped), PX_OK);
	assert_int_equal(dropped, 2);
	assert_int_equal(imports_get(db, &a, ids[2], &got), PX_OK);
	assert_string_equal(got.file_enc, "");

	/* the purge: files of runs up to `before`, and runs still running since before `stale` */
	struct import_record r1 = { .id = ids[1], .status = "rejected", .file_enc = file };
	struct import_record r2 = { .id = ids[2], .status = "rejected", .file_enc = file };
	assert_int_equal(imports_finish(db, &r1), PX_OK);
	assert_int_equal(imports_finish(db, &r2), PX_OK);
	int64_t purged = -1;
	assert_int_equal(imports_purge(db, now - 200, now - 3600, &purged), PX_OK);
	assert_int_equal(purged, 1); /* ids[1] (now - 200); ids[2] (now - 100) stays */
	assert_int_equal(imports_get(db, &a, ids[2], &got), PX_OK);
	assert_string_equal(got.file_enc, file);
	assert_int_equal(imports_get(db, &a, ids[3], &got), PX_OK);
	assert_string_equal(got.status, "running"); /* started after `stale` */
	assert_int_equal(imports_purge(db, now - 200, now + 86400, &purged), PX_OK);
	assert_int_equal(imports_get(db, &a, ids[3], &got), PX_OK);
	assert_string_equal(got.status, "failed");

	/* the list: the account's own runs; a region's, of its accounts; flagged, with the count */
	struct principal who = { .user_id = u.id,
				 .role = ROLE_UNIT_LIAISON,
				 .username = "imports1" };
	assert_int_equal(audit_add(db, &who, "", "registered_elsewhere", "import", ids[2], "",
				   "{\"count\":7,\"shown\":3}"),
			 PX_OK);
	struct import_run_row *rows;
	size_t n;
	int64_t total;
	struct import_query q = { .scope = { .scope = SCOPE_UNIT, .unit_id = unit_a },
				  .user_id = v.id,
				  .page = 1,
				  .page_size = 50 };
	assert_int_equal(imports_list(db, &a, &q, &rows, &n, &total), PX_OK);
	assert_int_equal(total, 1); /* v's own: the first of the two together */
	struct region ra;
	assert_int_equal(regions_get(db, &a, region_a, &ra), PX_OK);
	q.scope = (struct scope_filter){ .scope = SCOPE_REGION, .region_path = ra.path };
	assert_int_equal(imports_list(db, &a, &q, &rows, &n, &total), PX_OK);
	bool has_u = false, has_v = false;
	for (size_t i = 0; i < n; i++) {
		has_u |= rows[i].rec.user_id == u.id;
		has_v |= rows[i].rec.user_id == v.id;
	}
	assert_true(has_u);
	assert_false(has_v); /* unit_b lies in region_b */
	q.flagged = true;
	assert_int_equal(imports_list(db, &a, &q, &rows, &n, &total), PX_OK);
	assert_int_equal(total, 1);
	assert_int_equal(rows[0].rec.id, ids[2]);
	assert_true(rows[0].kept);
	assert_string_equal(rows[0].username, "imports1");
	assert_string_equal(rows[0].place, "溪美街道");
	assert_string_equal(rows[0].elsewhere_json, "{\"count\":7,\"shown\":3}");
	arena_release(&a);
}

/* Regions whose paths are prefixes of each other as text (/…/6/ and /…/60/): a region's
 * scope is its subtree, not every path that starts with the same characters. */
static int64_t prefix_region, prefix_unit, longer_region, longer_unit;
static char prefix_path[64];

static void test_scope_path_prefixes(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	int64_t root = add_region("前缀省", 0);
	char name[32];
	int64_t made[400];
	int n = 0, x = -1, y = -1;
	while (x < 0 && n < 400) {
		snprintf(name, sizeof name, "区%d", n);
		made[n] = add_region(name, root);
		for (int i = 0; i < n && x < 0; i++) {
			char a_id[24], b_id[24];
			snprintf(a_id, sizeof a_id, "%lld", (long long)made[i]);
			snprintf(b_id, sizeof b_id, "%lld", (long long)made[n]);
			if (!strncmp(b_id, a_id, strlen(a_id))) {
				x = i;
				y = n;
			}
		}
		n++;
	}
	assert_true(x >= 0);
	prefix_region = made[x];
	longer_region = made[y];
	struct region r;
	assert_int_equal(regions_get(db, &a, prefix_region, &r), PX_OK);
	snprintf(prefix_path, sizeof prefix_path, "%s", r.path);
	struct region r2;
	assert_int_equal(regions_get(db, &a, longer_region, &r2), PX_OK);
	assert_int_equal(strncmp(r2.path, r.path, strlen(r.path) - 1), 0); /* '/…/6' of '/…/60/' */
	prefix_unit = add_unit(prefix_region, "前缀单位");
	longer_unit = add_unit(longer_region, "更长单位");
	cadre_in(prefix_unit, "前缀甲", "科员", 1);
	cadre_in(longer_unit, "前缀乙", "科员", 2);

	struct cadre_query q = { .scope = { .scope = SCOPE_REGION, .region_path = prefix_path },
				 .is_head = -1,
				 .page = 1,
				 .page_size = 10 };
	assert_int_equal(list_total(&q), 1); /* the total from the units' counters */
	q.q = "前缀";
	assert_int_equal(list_total(&q), 1); /* counted */
	q.q = NULL;
	q.scope = (struct scope_filter){ .scope = SCOPE_ALL };
	q.region_id = prefix_region;
	assert_int_equal(list_total(&q), 1);
	q.region_id = longer_region;
	assert_int_equal(list_total(&q), 1);
	q.region_id = root;
	assert_int_equal(list_total(&q), 2);
	/* units and regions in the same scope */
	struct unit_query uq = { .scope = { .scope = SCOPE_REGION, .region_path = prefix_path },
				 .page = 1,
				 .page_size = 10 };
	struct unit_row *units;
	size_t nu;
	int64_t total;
	assert_int_equal(units_list(db, &a, &uq, &units, &nu, &total), PX_OK);
	assert_int_equal(total, 1);
	assert_string_equal(units[0].u.name, "前缀单位");
	struct region *regions;
	size_t nr;
	struct scope_filter f = { .scope = SCOPE_REGION, .region_path = prefix_path };
	assert_int_equal(regions_list(db, &a, &f, &regions, &nr), PX_OK);
	assert_int_equal(nr, 1);
	/* the successor of a path: its last byte plus one */
	char up[16];
	assert_true(path_successor("/1/2/", up, sizeof up));
	assert_string_equal(up, "/1/20");
	assert_true(path_successor("a\xff\xff", up, sizeof up));
	assert_string_equal(up, "b");
	assert_false(path_successor("\xff", up, sizeof up));
	assert_false(path_successor("/123456789012345/", up, sizeof up));
	arena_release(&a);
}

/* q: a substring of the name or the post (1, 2, 3 characters, Latin), or an exact ID
 * number, always inside the caller's scope; the index follows every insert and update. */
static void test_search(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	int64_t u_in = add_unit(prefix_region, "检索单位"),
		u_out = add_unit(longer_region, "检索外");
	int64_t qm = cadre_in(u_in, "张清明", "科员", 11);
	cadre_in(u_in, "李清", "副镇长", 12);
	cadre_in(u_in, "王明清", "党委书记", 13);
	cadre_in(u_in, "清", "科员", 14);
	cadre_in(u_in, "Zhang Wei", "Officer", 15);
	cadre_in(u_in, "A-B", "科员", 16);
	cadre_in(u_out, "张清明", "纪委书记", 17);
	struct cadre_query q = { .scope = { .scope = SCOPE_REGION, .region_path = prefix_path },
				 .is_head = -1,
				 .page = 1,
				 .page_size = 10 };
	static const struct {
		const char *q;
		int64_t in_scope, everywhere;
	} cases[] = {
		{ "清", 4, 5 },     { "清明", 1, 2 },  { "明清", 1, 1 }, { "张清明", 1, 2 },
		{ "Wei", 1, 1 },    { "ang W", 1, 1 }, { "书记", 1, 3 }, { "纪委书记", 0, 1 },
		{ "-", 1, 1 },      { "A-B", 1, 1 },   { "清清", 0, 0 }, { "%", 0, 0 },
		{ "李清副", 0, 0 }, /* across the name and the post: no substring of either */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		q.q = cases[i].q;
		q.scope =
			(struct scope_filter){ .scope = SCOPE_REGION, .region_path = prefix_path };
		if (list_total(&q) != cases[i].in_scope)
			fail_msg("q=%s in scope: %lld", cases[i].q, (long long)list_total(&q));
		q.scope = (struct scope_filter){ .scope = SCOPE_ALL };
		if (list_total(&q) != cases[i].everywhere)
			fail_msg("q=%s: %lld", cases[i].q, (long long)list_total(&q));
	}
	/* LIKE's own case rule on each database: SQLite folds A–Z, PostgreSQL does not */
	q.q = "zhang";
	assert_int_equal(list_total(&q), store_kind(db) == STORE_SQLITE ? 1 : 0);
	/* an ID number, exactly */
	char id17[18] = "11010119900101011", id[19];
	memcpy(id, id17, 17);
	id[17] = idcard_check_char(id17);
	id[18] = '\0';
	q.q = id;
	assert_int_equal(list_total(&q), 1);
	q.scope = (struct scope_filter){ .scope = SCOPE_UNIT, .unit_id = u_out };
	assert_int_equal(list_total(&q), 0);
	/* a renamed cadre is found by its new name only */
	struct cadre_row before;
	assert_int_equal(cadres_get(db, &a, qm, &before), PX_OK);
	struct cadre c = before.c;
	memcpy(c.id_number, id, sizeof c.id_number);
	c.phone = "";
	c.name = "张晓明";
	c.post = "镇长";
	struct cadre_sealed z;
	assert_int_equal(cadre_seal(&keys, &c, &z), PX_OK);
	assert_int_equal(cadres_update(db, &before, &c, &z, before.version), PX_OK);
	q.scope = (struct scope_filter){ .scope = SCOPE_REGION, .region_path = prefix_path };
	q.q = "张清明";
	assert_int_equal(list_total(&q), 0);
	q.q = "晓明";
	assert_int_equal(list_total(&q), 1);
	q.q = "镇长"; /* and 李清's 副镇长 */
	assert_int_equal(list_total(&q), 2);
	q.q = "清";
	assert_int_equal(list_total(&q), 3);
	arena_release(&a);
}

/* store_copy: many rows at once, their text exact, a failure deep in it named. */
static void test_copy(void **state)
{
	(void)state;
	static const char *const odd = "tab\there, newline\nthere, back\\slash, \\N, 中文";
	assert_int_equal(store_begin(db), PX_OK);
	assert_int_equal(store_copy_begin(db, "settings", "key, value", 2), PX_OK);
	char key[32];
	for (int i = 1; i <= 3000; i++) {
		snprintf(key, sizeof key, "copy.%d", i);
		assert_int_equal(store_copy_row(db, "tt", key, i == 7 ? odd : "v"), PX_OK);
	}
	int64_t stored, failed;
	assert_int_equal(store_copy_end(db, &stored, &failed), PX_OK);
	assert_int_equal(stored, 3000);
	assert_int_equal(failed, 0);
	assert_int_equal(store_commit(db), PX_OK);
	struct store_stmt *st;
	bool row = false;
	assert_int_equal(store_prepare(db, "SELECT value FROM settings WHERE key = 'copy.7'", &st),
			 PX_OK);
	assert_int_equal(store_step(st, &row), PX_OK);
	assert_true(row);
	assert_string_equal(store_column_text(st, 0), odd);
	store_done(st);
	/* a duplicate key at row 2,500 of the next copy: named, and nothing of it stays */
	assert_int_equal(store_begin(db), PX_OK);
	assert_int_equal(store_copy_begin(db, "settings", "key, value", 2), PX_OK);
	px_err rc = PX_OK;
	for (int i = 1; i <= 3000 && !rc; i++) {
		snprintf(key, sizeof key, "copy2.%d", i == 2500 ? 10 : i);
		rc = store_copy_row(db, "tt", key, "w");
	}
	px_err end = store_copy_end(db, &stored, &failed);
	assert_int_equal(rc ? rc : end, PX_ERR_CONFLICT);
	assert_int_equal(failed, 2500);
	assert_int_not_equal(store_commit(db), PX_OK);
	int64_t n = -1;
	assert_int_equal(store_query_int64(db,
					   "SELECT COUNT(*) FROM settings WHERE key LIKE "
					   "'copy2.%'",
					   &n, ""),
			 PX_OK);
	assert_int_equal(n, 0);
}

static int64_t hashes_seen, hashes_with_unit;
static void count_hash(void *ctx, const char *hash, int64_t unit_id)
{
	(void)ctx;
	(void)hash;
	hashes_seen++;
	hashes_with_unit += unit_id > 0;
}

static int64_t count_cadres(void)
{
	int64_t n = -1;
	assert_int_equal(store_query_int64(db, "SELECT COUNT(*) FROM cadres", &n, ""), PX_OK);
	return n;
}

/* Load rows 1..n into unit (names 批量N, ID numbers from `base` + N on, the refused one
 * `refuse_at` named 拒收者) in one transaction; what cadres_load_end said, and its row. */
static px_err bulk_load(int64_t unit, int base, int n, int refuse_at, int64_t rows_hint,
			bool commit, int64_t *failed_row)
{
	struct cadres_load_opts o = { .keys = &keys,
				      .now = time_now(),
				      .bulk = true,
				      .rows_hint = rows_hint,
				      .each_hash = count_hash,
				      .with_units = true };
	struct cadres_load *l;
	hashes_seen = hashes_with_unit = 0;
	store_bulk(db, STORE_BULK_LOAD);
	assert_int_equal(store_begin(db), PX_OK);
	assert_int_equal(cadres_load_begin(db, &o, &l), PX_OK);
	assert_int_equal(hashes_seen, count_cadres());
	assert_int_equal(hashes_with_unit, hashes_seen); /* every hash comes with its unit */
	px_err rc = PX_OK;
	for (int i = 1; i <= n && !rc && !cadres_load_failed(l); i++) {
		struct arena *a = cadres_load_arena(l);
		assert_non_null(a);
		struct cadre c = { .unit_id = unit,
				   .name = i == refuse_at ? "拒收者" : arena_printf(a, "批量%d", i),
				   .rank_level = "general",
				   .category = "civil_servant",
				   .status = "active",
				   .post = i == 3 ? "科\\员\t甲" : "科员",
				   .phone = "13800000000" };
		char id17[32];
		snprintf(id17, sizeof id17, "1201011990010%d%03d", 1 + (base + i) / 1000 % 10,
			 (base + i) % 1000);
		memcpy(c.id_number, id17, 17);
		c.id_number[17] = idcard_check_char(id17);
		c.id_number[18] = '\0';
		strcpy(c.gender, "M");
		strcpy(c.birth_date, "1990-01-01");
		struct cadre_sealed z;
		cadre_seal_index(&keys, &c, &z);
		rc = cadres_load_add(l, &c, &z, i + 1);
	}
	assert_int_equal(rc, PX_OK);
	px_err end = cadres_load_end(l, commit, failed_row);
	if (!end && commit) { /* the units' counters are the caller's, as the importer's */
		assert_int_equal(units_add_cadres(db, unit, n), PX_OK);
		assert_int_equal(store_commit(db), PX_OK);
	} else
		store_rollback(db);
	store_bulk(db, STORE_BULK_OFF);
	return end;
}

static void test_bulk_load(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	int64_t unit = add_unit(prefix_region, "批量单位"), before = count_cadres(), row = -1;
	/* whole: 2,000 rows in batches, the indexes dropped and rebuilt (rows_hint: a load
	 * larger than the table), every row found again by name and by ID number */
	assert_int_equal(bulk_load(unit, 0, 2000, 0, 1000000, true, &row), PX_OK);
	assert_int_equal(count_cadres(), before + 2000);
	struct cadre_query q = { .scope = { .scope = SCOPE_REGION, .region_path = prefix_path },
				 .is_head = -1,
				 .q = "批量",
				 .page = 1,
				 .page_size = 10 };
	/* a search counts to one past the most (CADRES_SEARCH_TOTAL_MAX): "more" — SQLite's
	 * index of pairs counts exactly */
	int64_t t = list_total(&q);
	assert_true(t == 2000 || t == CADRES_SEARCH_TOTAL_MAX + 1);
	q.q = "批量1999";
	assert_int_equal(list_total(&q), 1);
	q.q = "员\t甲";
	assert_int_equal(list_total(&q), 1);
	char id17[18] = "12010119900101513", id[19];
	memcpy(id, id17, 17);
	id[17] = idcard_check_char(id17);
	id[18] = '\0';
	q.q = id;
	struct cadre_row *rows;
	size_t n;
	int64_t total;
	assert_int_equal(cadres_list(db, &a, &keys, &q, &rows, &n, &total), PX_OK);
	assert_int_equal(total, 1);
	assert_string_equal(rows[0].c.name, "批量513");
	struct buf idn = BUF_INIT(0), phone = BUF_INIT(0);
	assert_int_equal(cadres_reveal(db, &keys, rows[0].c.id, &idn, &phone), PX_OK);
	assert_string_equal(idn.data, id);
	assert_string_equal(phone.data, "13800000000");
	buf_release(&idn);
	buf_release(&phone);
	int64_t indexes = 0;
	assert_int_equal(
		store_query_int64(
			db,
			store_kind(db) == STORE_SQLITE
				? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' "
				  "AND tbl_name = 'cadres' AND sql IS NOT NULL"
				: "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'cadres'",
			&indexes, ""),
		PX_OK);
	assert_int_equal(indexes, store_kind(db) == STORE_SQLITE ? 3 : 5);
	/* the same rows again: the unique index, rebuilt, refuses them */
	assert_int_equal(bulk_load(unit, 0, 600, 0, 1000000, true, &row), PX_ERR_CONFLICT);
	assert_int_equal(count_cadres(), before + 2000);

	/* a row the database refuses deep in the load (a trigger: SQLite aborts, PostgreSQL
	 * raises), with the indexes kept (PostgreSQL) or dropped: named, nothing stays */
	bool sqlite = store_kind(db) == STORE_SQLITE;
	assert_int_equal(
		store_exec(db, sqlite ? "CREATE TRIGGER refuse BEFORE INSERT ON cadres WHEN "
					"NEW.name = '拒收者' BEGIN SELECT RAISE(ABORT, 'refused'); "
					"END"
				      : "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql "
					"AS $$ BEGIN IF NEW.name = '拒收者' THEN RAISE EXCEPTION "
					"'refused'; END IF; RETURN NEW; END $$; CREATE TRIGGER "
					"refuse BEFORE INSERT ON cadres FOR EACH ROW EXECUTE "
					"FUNCTION refuse()"),
		PX_OK);
	for (int hint = 0; hint < 2; hint++) {
		row = -1;
		px_err rc = bulk_load(unit, 3000, 3000, 2345, hint ? 1000000 : 1, true, &row);
		assert_int_not_equal(rc, PX_OK);
		if (row != 2346)
			fail_msg("hint %d: rc %d row %lld: %s", hint, rc, (long long)row,
				 store_errmsg(db));
		assert_int_equal(count_cadres(), before + 2000);
	}
	/* … or skips (a row the table did not take): the same */
	assert_int_equal(store_exec(db, sqlite ? "DROP TRIGGER refuse; CREATE TRIGGER refuse "
						 "BEFORE INSERT ON cadres WHEN NEW.name = "
						 "'拒收者' BEGIN SELECT RAISE(IGNORE); END"
					       : "CREATE OR REPLACE FUNCTION refuse() RETURNS "
						 "trigger LANGUAGE plpgsql AS $$ BEGIN IF "
						 "NEW.name = '拒收者' THEN RETURN NULL; END IF; "
						 "RETURN NEW; END $$"),
			 PX_OK);
	row = -1;
	assert_int_equal(bulk_load(unit, 3000, 3000, 2345, 1, true, &row), PX_ERR_CONFLICT);
	assert_int_equal(row, 2346);
	assert_int_equal(count_cadres(), before + 2000);
	assert_int_equal(store_exec(db, sqlite ? "DROP TRIGGER refuse"
					       : "DROP TRIGGER refuse ON cadres; DROP FUNCTION "
						 "refuse()"),
			 PX_OK);
	/* a load that is given up (the caller found a bad row): nothing stays */
	assert_int_equal(bulk_load(unit, 3000, 1500, 0, 1, false, &row), PX_OK);
	assert_int_equal(count_cadres(), before + 2000);
	arena_release(&a);
}

/* The totals of lists without filters come from counters (units', regions'): they stay
 * exactly the number of cadres through inserts, bulk loads, moves of cadres and of units. */
static int64_t count_sql(const char *sql, const char *path)
{
	int64_t n = -1;
	assert_int_equal(store_query_int64(db, sql, &n, path ? "t" : "", path), PX_OK);
	return n;
}

static void check_counters(void)
{
	/* every region's counter is the count of the cadres of its subtree */
	int64_t wrong = count_sql(
		"SELECT COUNT(*) FROM regions g WHERE g.cadre_count <> (SELECT COUNT(*) FROM "
		"cadres c JOIN units u ON u.id = c.unit_id JOIN regions r ON r.id = u.region_id "
		"WHERE substr(r.path, 1, length(g.path)) = g.path)",
		NULL);
	assert_int_equal(wrong, 0);
	struct cadre_query q = {
		.scope = { .scope = SCOPE_ALL }, .is_head = -1, .page = 1, .page_size = 5
	};
	assert_int_equal(list_total(&q), count_cadres());
	int64_t in_prefix = -1;
	assert_int_equal(store_query_int64(db,
					   "SELECT COUNT(*) FROM cadres c JOIN units u ON u.id = "
					   "c.unit_id JOIN regions g ON g.id = u.region_id WHERE "
					   "substr(g.path, 1, length(?)) = ?",
					   &in_prefix, "tt", prefix_path, prefix_path),
			 PX_OK);
	q.scope = (struct scope_filter){ .scope = SCOPE_REGION, .region_path = prefix_path };
	assert_int_equal(list_total(&q), in_prefix);
}

static void test_region_counters(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	check_counters();
	/* a unit moves to another region, its cadres with it */
	struct unit_row ur;
	assert_int_equal(units_get(db, &a, prefix_unit, &ur), PX_OK);
	struct unit u = ur.u;
	u.region_id = longer_region;
	assert_int_equal(units_update(db, &u, ur.version), PX_OK);
	check_counters();
	struct cadre_query q = { .scope = { .scope = SCOPE_REGION, .region_path = prefix_path },
				 .is_head = -1,
				 .page = 1,
				 .page_size = 5 };
	int64_t in_prefix = list_total(&q);
	u.region_id = prefix_region;
	assert_int_equal(units_update(db, &u, ur.version + 1), PX_OK);
	check_counters();
	assert_int_equal(list_total(&q), in_prefix + 1); /* 前缀甲 is back */
	/* an empty page still has its total */
	q.page = 1000;
	assert_int_equal(list_total(&q), in_prefix + 1);
	arena_release(&a);
}

/* The hours ledger (0011): an append adds to the year totals in the same call; a correction
 * names its entry; the database itself refuses an UPDATE or a DELETE of an entry (both
 * backends' triggers), inside a transaction too; compliance rows are replaced whole; rule
 * versions keep their rules and close once; hours rules insert once and update by version. */
static void test_ledger_append_only(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	int64_t cadre = add_cadre(unit_a, "学时甲", "35058319800101007");
	struct ledger_entry e = { .cadre_id = cadre,
				  .hours_kind = "centralized",
				  .source = "adjustment",
				  .title = "补录",
				  .end_date = "2023-03-01",
				  .centi_hours = 8950,
				  .centi_days = 1100,
				  .reason = "补录纸质档案" };
	assert_int_equal(store_begin(db), PX_OK);
	assert_int_equal(ledger_append(db, &e), PX_OK);
	assert_int_equal(store_commit(db), PX_OK);
	int64_t first = e.id;
	struct ledger_entry more = e;
	more.end_date = "2023-12-31";
	more.centi_hours = 50;
	more.centi_days = 0;
	assert_int_equal(ledger_append(db, &more), PX_OK);
	struct ledger_entry fix = e;
	fix.source = "correction";
	fix.corrects_id = first;
	fix.centi_hours = -950;
	fix.centi_days = -100;
	fix.end_date = "2024-01-05"; /* a correction counts in its own year */
	assert_int_equal(ledger_append(db, &fix), PX_OK);
	struct ledger_year_total *t;
	size_t n;
	assert_int_equal(ledger_year_totals_of(db, &a, cadre, &t, &n), PX_OK);
	assert_int_equal(n, 2);
	assert_int_equal(t[0].year, 2024);
	assert_int_equal(t[0].centi_hours, -950);
	assert_int_equal(t[1].year, 2023);
	assert_int_equal(t[1].centi_hours, 9000);
	assert_int_equal(t[1].centi_days, 1100);
	assert_int_equal(t[1].entries, 2);
	struct ledger_entry *c;
	assert_int_equal(ledger_corrections_of(db, &a, first, &c, &n), PX_OK);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].centi_hours, -950);
	assert_string_equal(c[0].reason, "补录纸质档案");
	struct ledger_entry got;
	assert_int_equal(ledger_entry_get(db, &a, first, &got), PX_OK);
	assert_int_equal(got.centi_hours, 8950);
	assert_int_equal(ledger_entry_get(db, &a, first + 1000, &got), PX_ERR_NOT_FOUND);
	/* the database refuses to change or remove an entry, and the entry stays as it was */
	assert_int_not_equal(store_run(db,
				       "UPDATE ledger_entries SET centi_hours = 9000 WHERE id = ?",
				       PX_OK, "i", first),
			     PX_OK);
	assert_int_not_equal(
		store_run(db, "DELETE FROM ledger_entries WHERE id = ?", PX_OK, "i", first), PX_OK);
	assert_int_equal(store_begin(db), PX_OK);
	store_run(db, "DELETE FROM ledger_entries WHERE cadre_id = ?", PX_OK, "i", cadre);
	assert_int_not_equal(store_commit(db), PX_OK);
	struct ledger_entry *all;
	assert_int_equal(ledger_entries_of(db, &a, cadre, &all, &n), PX_OK);
	assert_int_equal(n, 3);
	assert_int_equal(all[0].centi_hours, 8950);
	assert_string_equal(all[2].end_date, "2024-01-05");
	/* compliance rows are derived: replaced whole */
	struct compliance_row rows[2] = {
		{ .window_key = "year:2023:centralized",
		  .rule_code = "township_down_yearly",
		  .hours_kind = "centralized",
		  .window_kind = "year",
		  .year = 2023,
		  .start_day = 19358,
		  .end_day = 19722,
		  .req_centi_hours = 9000,
		  .got_centi_hours = 9000,
		  .met_on = "2023-12-31" },
		{ .window_key = "year:2023:online",
		  .rule_code = "online_yearly",
		  .hours_kind = "online",
		  .window_kind = "year",
		  .year = 2023,
		  .start_day = 19358,
		  .end_day = 19722,
		  .req_centi_hours = 5000 },
	};
	assert_int_equal(compliance_replace(db, cadre, unit_a, rows, 2), PX_OK);
	assert_int_equal(compliance_replace(db, cadre, unit_a, rows + 1, 1), PX_OK);
	struct compliance_row *cr;
	assert_int_equal(compliance_of(db, &a, cadre, &cr, &n), PX_OK);
	assert_int_equal(n, 1);
	assert_string_equal(cr[0].rule_code, "online_yearly");
	assert_int_equal(cr[0].version_id, 0);
	/* a version with its rules; closing it once */
	struct req_rule rule = { .code = "r1",
				 .title = "每年 10 天",
				 .hours_kind = "centralized",
				 .window_kind = "year",
				 .period_years = 1,
				 .leading = "any",
				 .min_centi_days = 1000 };
	struct req_version_row v = { .region_id = region_a,
				     .title = "2025 版",
				     .effective_from = "2025-01-01",
				     .rules = &rule,
				     .n_rules = 1 };
	assert_int_equal(req_version_insert(db, &v), PX_OK);
	struct req_version_row *vs;
	assert_int_equal(req_versions_of(db, &a, (int64_t[]){ region_b, region_a }, 2, &vs, &n),
			 PX_OK);
	assert_int_equal(n, 1);
	assert_int_equal(vs[0].n_rules, 1);
	assert_int_equal(vs[0].rules[0].min_centi_days, 1000);
	assert_string_equal(vs[0].effective_to, "");
	assert_int_equal(req_version_close(db, v.id, "2025-12-31"), PX_OK);
	assert_int_equal(req_version_close(db, v.id, "2025-12-30"), PX_ERR_CONFLICT);
	struct req_version_row back;
	assert_int_equal(req_version_get(db, &a, v.id, &back), PX_OK);
	assert_string_equal(back.effective_to, "2025-12-31");
	assert_string_equal(back.rules[0].code, "r1");
	/* hours rules: inserted once, updated by version */
	const char *text;
	int64_t version;
	assert_int_equal(hours_rules_get(db, &a, region_a, 0, &text, &version), PX_OK);
	assert_null(text);
	assert_int_equal(hours_rules_put(db, region_a, 0, "{\"day_hours\":6}", 0, 0), PX_OK);
	assert_int_equal(hours_rules_put(db, region_a, 0, "{}", 0, 0), PX_ERR_CONFLICT);
	assert_int_equal(hours_rules_get(db, &a, region_a, 0, &text, &version), PX_OK);
	assert_string_equal(text, "{\"day_hours\":6}");
	assert_int_equal(version, 1);
	assert_int_equal(hours_rules_put(db, region_a, 0, "{}", 1, 0), PX_OK);
	assert_int_equal(hours_rules_put(db, region_a, 0, "{}", 1, 0), PX_ERR_CONFLICT);
	int64_t *ids;
	struct region rg;
	assert_int_equal(regions_get(db, &a, region_a, &rg), PX_OK);
	assert_int_equal(ledger_cadres_in_region(db, &a, rg.path, &ids, &n), PX_OK);
	bool found = false;
	for (size_t i = 0; i < n; i++)
		found |= ids[i] == cadre;
	assert_true(found);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate_twice),
		cmocka_unit_test(test_placeholders_and_types),
		cmocka_unit_test(test_regions_units_paths),
		cmocka_unit_test(test_cadres_scope_and_counts),
		cmocka_unit_test(test_migration_0008_masks),
		cmocka_unit_test(test_cadre_update_keeps_history),
		cmocka_unit_test(test_transactions_roll_back),
		cmocka_unit_test(test_read_snapshot),
		cmocka_unit_test(test_generation),
		cmocka_unit_test(test_users_sessions_lockout),
		cmocka_unit_test(test_login_throttle),
		cmocka_unit_test(test_store_list),
		cmocka_unit_test(test_training_lists),
		cmocka_unit_test(test_class_people),
		cmocka_unit_test(test_jobs_queue),
		cmocka_unit_test(test_jobs_claim_skip_locked),
		cmocka_unit_test(test_review_cancel_survives_requeue),
		cmocka_unit_test(test_jobs_cancel_survives_release_and_rescue),
		cmocka_unit_test(test_jobs_confirm_holds_the_job),
		cmocka_unit_test(test_jobs_cancel_only_what_can_stop),
		cmocka_unit_test(test_jobs_per_user_limit_holds_at_once),
		cmocka_unit_test(test_jobs_shell_is_said_not_inferred),
		cmocka_unit_test(test_jobs_creator_as_now),
		cmocka_unit_test(test_jobs_hold_classes),
		cmocka_unit_test(test_import_runs),
		cmocka_unit_test(test_scope_path_prefixes),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_bulk_load),
		cmocka_unit_test(test_region_counters),
		cmocka_unit_test(test_ledger_append_only),
	};
	const char *dsn = getenv("PEIXUN_TEST_DSN");
	printf("store contract on %s\n", dsn && *dsn ? "PostgreSQL" : "SQLite");
	return cmocka_run_group_tests(tests, setup, teardown);
}
