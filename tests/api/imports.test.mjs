// Imports and exports: all-or-nothing, row-by-row errors, templates, reports, masking,
// scope, and every kind of bad file the issue names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync, execFileSync } from 'node:child_process';
import { as, assertError, xlsxText, unitByName, idNumber, BACKEND } from './lib.mjs';

const DATA = new URL('../data/import/', import.meta.url);
const fixture = (name) => new Uint8Array(readFileSync(new URL(name, DATA)));
let admin;

async function upload(client, body, kind = 'cadres', filename = 'upload') {
  return client.raw('POST', `/api/v1/imports?kind=${kind}&filename=${encodeURIComponent(filename)}`, {
    body, json: false, headers: { 'Content-Type': 'application/octet-stream' },
  });
}

async function total(client = admin, q = '') {
  return (await client.get(`/api/v1/cadres?page_size=1${q}`)).data.total;
}

test('setup', async () => { admin = await as('admin'); });

test('the template is a real .xlsx with the columns, dropdowns and instructions', async () => {
  const r = await admin.get('/api/v1/imports/template?kind=cadres');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  assert.match(r.headers.get('content-disposition'), /attachment; .*filename\*=UTF-8''/);
  const text = xlsxText(r.data);
  for (const h of ['姓名', '身份证号', '单位', '职级层次', '干部类别', '填写说明', '乡科级', '溪美街道']) assert.ok(text.includes(h), h);
  const en = await admin.get('/api/v1/imports/template?kind=units&lang=en');
  assert.ok(xlsxText(en.data).includes('Unit name'));
  assertError(await admin.get('/api/v1/imports/template?kind=planets'), 422, 'validation_failed', 'kind');
  assertError(await admin.get('/api/v1/imports/template'), 422, 'validation_failed', 'kind');
});

test('an office-made .xlsx with a title row imports whole', async () => {
  const before = await total();
  const r = await upload(admin, fixture('cadres_good.xlsx'), 'cadres', '干部.xlsx');
  assert.equal(r.status, 201, JSON.stringify(r.data));
  assert.equal(r.data.imported_rows, 3);
  assert.equal(r.data.format, 'xlsx');
  assert.equal(await total(), before + 3);
  const c = (await admin.get(`/api/v1/cadres?q=${encodeURIComponent('林志远')}`)).data.items[0];
  assert.equal(c.unit_name, '溪美街道');
  assert.equal(c.birth_date, '1980-01-01');
  assert.equal(c.post_date, '2021-03-01');
  assert.equal(c.grade_label, '一级科员');
  // importing the same file again: every row is a duplicate, nothing changes
  const again = await upload(admin, fixture('cadres_good.xlsx'));
  assertError(again, 422, 'import_rejected', 'id_number');
  assert.equal(again.data.error.details.length, 3);
  assert.ok(again.data.error.details.every((d) => d.code === 'duplicate'));
  assert.equal(await total(), before + 3);
});

test('one bad row rejects the whole file, names the row, and the report shows it', async () => {
  const before = await total();
  const r = await upload(admin, fixture('cadres_one_bad.xlsx'), 'cadres', 'one_bad.xlsx');
  assertError(r, 422, 'import_rejected', 'id_number');
  assert.deepEqual(r.data.error.details.map((d) => [d.row, d.field, d.code]), [[3, 'id_number', 'checksum']]);
  assert.equal(r.data.error.details[0].message, '身份证号校验位错误');
  assert.equal(await total(), before);
  assert.equal((await admin.get(`/api/v1/cadres?q=${encodeURIComponent('郑好')}`)).data.total, 0);
  const rec = await admin.get(`/api/v1/imports/${r.data.error.import_id}`);
  assert.equal(rec.data.status, 'rejected');
  assert.equal(rec.data.imported_rows, 0);
  assert.equal(rec.data.errors[0].row, 3);
  const rep = await admin.get(`/api/v1/imports/${r.data.error.import_id}/report`);
  assert.equal(rep.status, 200);
  const text = xlsxText(rep.data);
  for (const s of ['错误说明', '身份证号校验位错误', '郑好', '吴错', '许对']) assert.ok(text.includes(s), s);
  // another user cannot fetch someone else's import or report
  const liaison = await as('liaison1');
  assertError(await liaison.get(`/api/v1/imports/${r.data.error.import_id}/report`), 404, 'not_found');
});

test('duplicates inside the file are named with the row they repeat', async () => {
  const r = await upload(admin, fixture('cadres_dupes.xlsx'));
  assertError(r, 422, 'import_rejected', 'id_number');
  assert.equal(r.data.error.details[0].row, 4);
  assert.equal(r.data.error.details[0].code, 'duplicate_in_file');
  assert.match(r.data.error.details[0].message, /第 2 行/);
});

test('an ID number Excel turned into a number gets a hint, not just "18 characters"', async () => {
  const r = await upload(admin, fixture('cadres_numeric_id.xlsx'));
  assertError(r, 422, 'import_rejected', 'id_number');
  assert.equal(r.data.error.details[0].code, 'stored_as_number');
});

test('GBK CSV files from Excel import; a bad row in one is named', async () => {
  const before = await total();
  const ok = await upload(admin, fixture('cadres_gbk.csv'), 'cadres', 'gbk.csv');
  assert.equal(ok.status, 201, JSON.stringify(ok.data));
  assert.equal(ok.data.format, 'csv');
  assert.equal((await admin.get(`/api/v1/cadres?q=${encodeURIComponent('赵钱')}`)).data.items[0].unit_name, '美林街道');
  const bad = await upload(admin, fixture('cadres_gbk_bad.csv'), 'cadres', 'gbk_bad.csv');
  assertError(bad, 422, 'import_rejected', 'id_number');
  assert.equal(bad.data.error.details[0].row, 3);
  assert.equal(await total(), before + 2);
});

test('malformed, truncated, empty and undecodable files get a named error and change nothing', async () => {
  const before = await total();
  const good = fixture('cadres_good.xlsx');
  const cases = [
    ['truncated', good.subarray(0, Math.floor(good.length / 2)), 'bad_file'],
    ['not a zip but says PK', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6]), 'bad_file'],
    ['invalid UTF-8 and GB18030', new Uint8Array(Buffer.concat([Buffer.from('姓名,身份证号,单位\n'), Buffer.from([0xff, 0xfe, 0xff]), Buffer.from(',1,2\n')])), 'bad_encoding'],
    ['no header', new Uint8Array(Buffer.from('a,b,c\n1,2,3\n')), 'bad_file'],
  ];
  for (const [what, body, code] of cases) {
    const r = await upload(admin, body);
    assertError(r, 422, code);
    assert.ok(r.data.error.message.length > 4, what);
  }
  assertError(await upload(admin, new Uint8Array(0)), 422, 'bad_file');
  assert.equal(await total(), before);
});

test('a 50 MB upload is refused with 413 and changes nothing', async () => {
  const before = await total();
  const big = new Uint8Array(50 * 1024 * 1024).fill(0x41);
  const r = await upload(admin, big);
  assertError(r, 413, 'payload_too_large');
  assert.equal(await total(), before);
});

test('injection strings in names are row errors; nothing is imported', async () => {
  const before = await total();
  const id = (n) => idNumber('120107', '19900101', n);
  const csv = ['姓名,身份证号,单位,职级层次,干部类别',
    `正常人,${id(1)},溪美街道,一般干部,公务员`,
    `"Robert'); DROP TABLE cadres;--",${id(2)},溪美街道,一般干部,公务员`,
    `<script>alert(1)</script>,${id(3)},溪美街道,一般干部,公务员`].join('\n');
  const r = await upload(admin, new Uint8Array(Buffer.from(csv)));
  assertError(r, 422, 'import_rejected', 'name');
  assert.deepEqual(r.data.error.details.map((d) => [d.row, d.field, d.code]), [[3, 'name', 'invalid_characters'], [4, 'name', 'invalid_characters']]);
  assert.equal(await total(), before);
  assert.equal((await admin.get(`/api/v1/cadres?q=${encodeURIComponent('正常人')}`)).data.total, 0);
});

test('a liaison imports only into its own unit', async () => {
  const liaison = await as('liaison1');
  const own = await unitByName(admin, '溪美街道');
  const before = await total(admin, `&unit_id=${own.id}`);
  const id = (n) => idNumber('120108', '19910101', n);
  const other = ['姓名,身份证号,单位,职级层次,干部类别', `越界,${id(1)},柳城街道,一般干部,公务员`].join('\n');
  const r = await upload(liaison, new Uint8Array(Buffer.from(other)));
  assertError(r, 422, 'import_rejected', 'unit');
  assert.equal(r.data.error.details[0].code, 'not_found');
  // with the unit column left out, the liaison's own unit is used
  const mine = ['姓名,身份证号,职级层次,干部类别', `本单位,${id(2)},一般干部,公务员`].join('\n');
  const ok = await upload(liaison, new Uint8Array(Buffer.from(mine)));
  assert.equal(ok.status, 201, JSON.stringify(ok.data));
  assert.equal(await total(admin, `&unit_id=${own.id}`), before + 1);
});

test('units import: whole file, duplicates refused', async () => {
  const r = await upload(admin, fixture('units_good.xlsx'), 'units', 'units.xlsx');
  assert.equal(r.status, 201, JSON.stringify(r.data));
  const u = await unitByName(admin, '南安市光电信息产业园');
  assert.equal(u.type, 'zone');
  assert.deepEqual(u.industries, ['电子', '新材料']);
  const again = await upload(admin, fixture('units_good.xlsx'), 'units');
  assertError(again, 422, 'import_rejected', 'name');
});

test('exports are .xlsx, masked, and scoped; unmasked only with reveal rights, audited', async () => {
  const r = await admin.get('/api/v1/cadres/export?is_head=1');
  assert.equal(r.status, 200);
  const text = xlsxText(r.data);
  assert.ok(text.includes('谢晓敏'));
  assert.match(text, /350583\*{12}/);
  assert.doesNotMatch(text, /350583\d{8}\d{3}[\dX]/);
  const liaison = await as('liaison1');
  const other = await unitByName(admin, '柳城街道');
  const le = await liaison.get(`/api/v1/cadres/export?unit_id=${other.id}`);
  assert.equal(le.status, 200);
  const ltext = xlsxText(le.data);
  const otherHead = (await admin.get(`/api/v1/cadres?unit_id=${other.id}&is_head=1`)).data.items[0];
  assert.ok(!ltext.includes(otherHead.name), 'no cadre of another unit in the liaison export');
  assertError(await liaison.get('/api/v1/cadres/export?reveal=1'), 403, 'forbidden');
  const un = await admin.get('/api/v1/cadres/export?is_head=1&reveal=1');
  assert.match(xlsxText(un.data), /350583\d{11}[\dX]/);
  const s = await as('sysadmin');
  const log = await s.get('/api/v1/audit-log?entity=cadre&page_size=50');
  const exports = log.data.items.filter((e) => e.action === 'export');
  assert.ok(exports.some((e) => e.after.unmasked === true && e.after.rows === 71));
  assert.ok(exports.some((e) => e.username === 'liaison1'));
});

test('any list exports to .xlsx with ?format=xlsx, in the caller\'s scope', async () => {
  const units = await admin.get('/api/v1/units?format=xlsx');
  assert.equal(units.status, 200);
  const t = xlsxText(units.data);
  for (const s of ['单位', '干部人数', '溪美街道', '向阳乡']) assert.ok(t.includes(s), s);
  const s = await as('sysadmin');
  const users = xlsxText((await s.get('/api/v1/users?format=xlsx&lang=en')).data);
  for (const x of ['User name', 'Role', 'liaison1', 'trainee1']) assert.ok(users.includes(x), x);
  assert.ok(!users.includes('argon2'), 'no password hashes');
  const logins = xlsxText((await s.get('/api/v1/login-log?format=xlsx')).data);
  assert.ok(logins.includes('admin'));
  const liaison = await as('liaison1');
  const mine = xlsxText((await liaison.get('/api/v1/units?format=xlsx')).data);
  assert.ok(mine.includes('溪美街道'));
  assert.ok(!mine.includes('柳城街道'));
});

test('a big file is a bulk load: duplicates against the database are still found, indexes come back', async () => {
  // over 4 MB of CSV takes the bulk path (indexes dropped during the load, rebuilt after)
  const rows = ['姓名,身份证号,手机号码,单位,职务,职级层次,干部类别'];
  const n = 50000;
  for (let i = 0; i < n; i++) {
    const d = new Date(Date.UTC(1960, 0, 1) + Math.floor(i / 500) * 86400000);
    const ymd = d.toISOString().slice(0, 10).replace(/-/g, '');
    rows.push(`批量${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑寅卯辰巳午未申酉戌亥'[Math.floor(i / 10) % 12]},${idNumber('130101', ymd, (i % 500) * 2 + 1)},138${String(i).padStart(8, '0')},溪美街道,科员${i},一般干部,公务员`);
  }
  const head = (await admin.get('/api/v1/cadres?is_head=1&page_size=1')).data.items[0];
  const known = (await admin.post(`/api/v1/cadres/${head.id}/reveal`, {})).data.id_number;
  const withDup = [...rows, `重复者,${known},13800000000,溪美街道,科员,一般干部,公务员`].join('\n');
  // a bad row far into the file, after many batches went in: the whole load is undone
  const bad = rows.slice();
  const f = bad[30001].split(',');
  f[1] = f[1].slice(0, 17) + (f[1][17] === '0' ? '1' : '0'); // a wrong check digit
  bad[30001] = f.join(',');
  const midway = await upload(admin, new Uint8Array(Buffer.from(bad.join('\n'))), 'cadres', 'big.csv');
  assertError(midway, 422, 'import_rejected', 'id_number');
  assert.deepEqual(midway.data.error.details.map((d) => d.row), [30002]);
  assert.ok(Buffer.byteLength(withDup) > 4 * 1024 * 1024);
  const before = await total();
  const r = await upload(admin, new Uint8Array(Buffer.from(withDup)), 'cadres', 'big.csv');
  assertError(r, 422, 'import_rejected', 'id_number');
  assert.deepEqual(r.data.error.details.map((d) => [d.row, d.code]), [[n + 2, 'duplicate']]);
  assert.equal(await total(), before);
  // the lookup by ID number (the unique index) still works after the rolled-back load
  assert.equal((await admin.get(`/api/v1/cadres?q=${known}`)).data.total, 1);
  const ok = await upload(admin, new Uint8Array(Buffer.from(rows.join('\n'))), 'cadres', 'big.csv');
  assert.equal(ok.status, 201, JSON.stringify(ok.data).slice(0, 500));
  assert.equal(ok.data.imported_rows, n);
  assert.equal(await total(), before + n);
  const probe = rows[12345].split(',')[1];
  const found = await admin.get(`/api/v1/cadres?q=${probe}`);
  assert.equal(found.data.total, 1);
  assert.equal(found.data.items[0].unit_name, '溪美街道');
  const byName = await admin.get(`/api/v1/cadres?sort=name&page_size=1&q=${encodeURIComponent('批量')}`);
  // a search counts to a thousand and says there are more (total_capped)
  assert.equal(byName.data.total, 1000);
  assert.equal(byName.data.total_capped, true);
  assert.ok(byName.data.items[0].name.includes('批量'));
  // rows on both sides of the loader's batches (512 rows) come back as they were written
  for (const i of [0, 511, 512, 513, 4095, 4096, 33333, n - 1]) {
    const [name, id, phone, , post] = rows[i + 1].split(',');
    const hit = (await admin.get(`/api/v1/cadres?q=${id}`)).data.items;
    assert.equal(hit.length, 1, `row ${i}`);
    assert.deepEqual([hit[0].name, hit[0].post], [name, post], `row ${i}`);
    const shown = (await admin.post(`/api/v1/cadres/${hit[0].id}/reveal`, {})).data;
    assert.deepEqual([shown.id_number, shown.phone], [id, phone], `row ${i}`);
  }
  // the server still holds its locks on the database after a bulk load: another process
  // cannot take the database out of WAL mode under it
  if (BACKEND === 'sqlite' && process.env.PEIXUN_DB) {
    const r = spawnSync('sqlite3', [process.env.PEIXUN_DB, 'PRAGMA journal_mode=DELETE'], { encoding: 'utf8' });
    assert.notEqual(r.stdout.trim(), 'delete', r.stdout + r.stderr);
  }
  // and the same file again: every row a duplicate, found from the stored hashes
  const again = await upload(admin, new Uint8Array(Buffer.from(rows.slice(0, 20001).join('\n') + '\n' + rows.slice(20001).join('\n'))), 'cadres', 'big.csv');
  assertError(again, 422, 'import_rejected', 'id_number');
  assert.equal(again.data.error.error_count, n);
  assert.equal(await total(), before + n);
});

// A bulk load's rows are inserted by a second thread; when one of its inserts fails (SQLite:
// a constraint) or is skipped (PostgreSQL: ON CONFLICT, the ID registered meanwhile), the
// file is rejected on that row, as on one thread. A trigger stands in for either.
function sql(db, text) {
  return BACKEND === 'sqlite'
    ? execFileSync('sqlite3', [db, text]).toString().trim()
    : execFileSync('psql', ['-qtA', '-d', db, '-c', text]).toString().trim();
}

test('a bulk load whose insert is refused names the row and imports nothing', {
  skip: !process.env.PEIXUN_BIN && 'PEIXUN_BIN not set',
}, () => {
  const dir = mkdtempSync(join(process.env.PEIXUN_TMP ?? '/tmp', 'bulk-'));
  let db = join(dir, 'b.db');
  const env = { ...process.env, PEIXUN_SECRET_KEY: '' };
  if (BACKEND !== 'sqlite') { // a database of its own beside the server's
    db = process.env.PEIXUN_DB.replace(/\/[^/]*$/, '/bulk_refuse');
    sql(process.env.PEIXUN_DB, 'DROP DATABASE IF EXISTS bulk_refuse');
    sql(process.env.PEIXUN_DB, 'CREATE DATABASE bulk_refuse');
    env.PEIXUN_SECRET_KEY = '5'.repeat(64);
  }
  try {
    const bin = process.env.PEIXUN_BIN;
    execFileSync(bin, ['--db', db, 'demo', '--password', 'Demo-Peixun-2023', '--cadres', '71'], { env });
    if (BACKEND === 'sqlite') {
      sql(db, "CREATE TRIGGER refuse BEFORE INSERT ON cadres WHEN NEW.name = '拒收者' BEGIN SELECT RAISE(ABORT, 'refused'); END;");
    } else {
      sql(db, "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.name = '拒收者' THEN RETURN NULL; END IF; RETURN NEW; END $$");
      sql(db, 'CREATE TRIGGER refuse BEFORE INSERT ON cadres FOR EACH ROW EXECUTE FUNCTION refuse()');
    }
    const rows = ['姓名,身份证号,手机号码,单位,职务,职级层次,干部类别'];
    for (let i = 0; i < 60000; i++) {
      const d = new Date(Date.UTC(1961, 0, 1) + Math.floor(i / 500) * 86400000);
      const ymd = d.toISOString().slice(0, 10).replace(/-/g, '');
      rows.push(`${i === 41000 ? '拒收者' : '批量某'},${idNumber('130102', ymd, (i % 500) * 2 + 1)},13800000000,溪美街道,科员,一般干部,公务员`);
    }
    const csv = join(dir, 'big.csv');
    writeFileSync(csv, rows.join('\n'));
    const r = spawnSync(bin, ['--db', db, 'import', '--kind', 'cadres', csv], { env, encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /big\.csv:41002: id_number: /, r.stderr);
    assert.match(r.stderr, /nothing imported: 1 problem/);
    assert.equal(sql(db, 'SELECT COUNT(*) FROM cadres'), '71');
    assert.equal(sql(db, 'SELECT status FROM imports ORDER BY id DESC LIMIT 1'), 'rejected');
    if (BACKEND === 'sqlite') { // the rollback, not a rebuild, gave the three indexes back
      assert.equal(sql(db, "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cadres' AND sql IS NOT NULL ORDER BY name)"), 'cadres_id_hash,cadres_name,cadres_unit');
      assert.equal(sql(db, 'PRAGMA integrity_check'), 'ok');
    } else { // … and the four that PostgreSQL dropped for the load
      assert.equal(sql(db, "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'cadres'"), 'cadres_id_hash,cadres_name,cadres_pkey,cadres_search,cadres_unit');
    }
    // the other way a database refuses a row (SQLite: skipped; PostgreSQL: an exception
    // that undoes the whole COPY): the same row is named, nothing imported
    if (BACKEND === 'sqlite') {
      sql(db, "DROP TRIGGER refuse; CREATE TRIGGER refuse BEFORE INSERT ON cadres WHEN NEW.name = '拒收者' BEGIN SELECT RAISE(IGNORE); END;");
    } else {
      sql(db, "CREATE OR REPLACE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.name = '拒收者' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$");
    }
    const r2 = spawnSync(bin, ['--db', db, 'import', '--kind', 'cadres', csv], { env, encoding: 'utf8' });
    assert.notEqual(r2.status, 0);
    assert.match(r2.stderr, /big\.csv:41002: /, r2.stderr);
    assert.match(r2.stderr, /nothing imported: 1 problem/);
    assert.equal(sql(db, 'SELECT COUNT(*) FROM cadres'), '71');
    // without the trigger the same file goes in whole
    sql(db, 'DROP TRIGGER refuse' + (BACKEND === 'sqlite' ? '' : ' ON cadres'));
    const ok = spawnSync(bin, ['--db', db, 'import', '--kind', 'cadres', csv], { env, encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(sql(db, 'SELECT COUNT(*) FROM cadres'), String(71 + 60000));
    assert.equal(sql(db, "SELECT cadre_count FROM units WHERE name = '溪美街道'"), sql(db, "SELECT COUNT(*) FROM cadres c JOIN units u ON u.id = c.unit_id WHERE u.name = '溪美街道'"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (BACKEND !== 'sqlite') sql(process.env.PEIXUN_DB, 'DROP DATABASE IF EXISTS bulk_refuse');
  }
});

test('an upload\'s file name with a control character is refused, naming it; nothing is recorded', async () => {
  const csv = new Uint8Array(Buffer.from('单位名称,单位类型,所属地区\n控制字符测试中心,事业单位,南安市\n'));
  for (const name of ['a\r\nX-Injected: 1.csv', 'tab\there.csv', 'del\u007f.csv', 'c1\u0085.csv', 'report\u202Evsc.exe', 'iso\u2067x.csv']) {
    const r = await upload(admin, csv, 'units', name);
    assertError(r, 422, 'validation_failed', 'filename');
    assert.match(r.data.error.details[0].message, /控制字符/);
  }
  // a NUL would cut the value short before any reader sees it (a%00.exe read as "a")
  const nul = await upload(admin, csv, 'units', 'report.csv\u0000.exe');
  assertError(nul, 422, 'validation_failed', 'query');
  assert.match(nul.data.error.details[0].message, /空字符/);
  const long = await upload(admin, csv, 'units', '长'.repeat(201) + '.csv');
  assertError(long, 422, 'validation_failed', 'filename');
  // a clean name still goes, and is what the run keeps
  const ok = await admin.raw('POST', `/api/v1/imports?kind=units&dry_run=1&filename=${encodeURIComponent('单位 名单(2024).csv')}`, {
    body: csv, json: false, headers: { 'Content-Type': 'application/octet-stream' },
  });
  assert.equal(ok.status, 200, JSON.stringify(ok.data));
  assert.equal((await admin.get(`/api/v1/imports/${ok.data.id}`)).data.filename, '单位 名单(2024).csv');
  assertError(await admin.raw('POST', '/api/v1/imports?kind=units&dry_run=perhaps', {
    body: csv, json: false, headers: { 'Content-Type': 'application/octet-stream' },
  }), 422, 'validation_failed', 'dry_run');
});
