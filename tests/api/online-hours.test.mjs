// Online-academy hours (网络学院学时) into the ledger: POST /api/v1/ledger/imports/online.
// A platform's file as it comes (title row, its own column names, a datetime of completion)
// goes in whole and the cadres' online standing follows; the same file again, and every
// kind of bad row (unknown or out-of-scope ID number, duplicates, negative, absurd or
// future hours, a day over 24 学时, a name that is not the number's), is refused whole with
// the row and field named, in the caller's language, and nothing changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { as, assertError, idNumber, unitByName, xlsxFile, xlsxText } from './lib.mjs';

const P = '/api/v1';
let admin, adminEn, liaison, trainee;
let a, b; // two cadres of 溪美街道
const ids = {};

// A cadre of this file (ID numbers of region 520102, which no other file uses): created, or
// found when an earlier run on this database created it.
async function cadre(name, unit, seq) {
  const id = idNumber('520102', '19780315', seq);
  const r = await admin.post(`${P}/cadres`, {
    name, id_number: id, phone: '13912345678', unit_id: unit.id, post: '科员',
    is_head: false, rank_level: 'township_section', category: 'civil_servant',
  });
  if (r.status === 201) return { ...r.data, idn: id };
  assert.equal(r.status, 409, JSON.stringify(r.data));
  const found = await admin.get(`${P}/cadres?q=${id}`);
  assert.equal(found.data.items.length, 1);
  return { ...found.data.items[0], idn: id };
}

const upload = (client, body, query = '') =>
  client.raw('POST', `${P}/ledger/imports/online?filename=online.xlsx${query}`, {
    body, headers: { 'Content-Type': 'application/octet-stream' },
  });
const csv = (lines) => new TextEncoder().encode(lines.join('\r\n') + '\r\n');
const entries = async (c) => {
  const r = await admin.get(`${P}/cadres/${c.id}/ledger`);
  assert.equal(r.status, 200);
  return r.data.years.flatMap((y) => y.entries);
};
const online2023 = async (c) => {
  const r = await admin.get(`${P}/cadres/${c.id}/ledger`);
  return r.data.windows.find((w) => w.key === 'year:2023:online_yearly');
};

test('setup', async () => {
  admin = await as('admin');
  adminEn = await as('admin', 'en');
  liaison = await as('liaison1');
  trainee = await as('trainee1');
  const xm = await unitByName(admin, '溪美街道');
  a = await cadre('网学甲', xm, 11);
  b = await cadre('网学乙', xm, 12);
  for (const c of [a, b]) ids[c.id] = (await entries(c)).length;
});

test('the template names the columns and explains them', async () => {
  const r = await admin.get(`${P}/ledger/imports/online/template`);
  assert.equal(r.status, 200);
  const text = xlsxText(r.data);
  for (const h of ['身份证号', '课程名称', '学时', '完成日期', '填写说明', '示例：']) assert.ok(text.includes(h), h);
  // uploaded as it is, the example row is skipped: nothing to import
  const back = await upload(admin, new Uint8Array(r.data));
  assertError(back, 422, 'bad_file');
  assert.match(back.data.error.message, /没有学时记录/);
  assert.equal((await trainee.get(`${P}/ledger/imports/online/template`)).status, 403);
});

test('a platform export goes in whole; the online standing follows', async () => {
  const before = await online2023(a);
  const file = xlsxFile([
    ['2023年度干部网络学院学习情况'],
    ['序号', '学员姓名', '身份证号码', '课程', '获得学时', '完成时间', '平台'],
    [1, '网学甲', a.idn, '习近平新时代中国特色社会主义思想专题', 3, '2023-03-02 21:14:05', '中国干部网络学院'],
    [2, '网学甲', a.idn, '乡村振兴战略解读', 2.5, { date: '2023-06-10' }, '福建干部网络学院'],
    [3, '', a.idn.toLowerCase(), '数字政府建设', 0.5, { date: '2023-06-10' }, ''],
    [4, '网学乙', b.idn, '乡村振兴战略解读', 1, { date: '2023-06-11' }, ''],
    ['合计：4 条'],
  ]);
  const dry = await upload(admin, file, '&dry_run=1');
  assert.equal(dry.status, 200, JSON.stringify(dry.data));
  assert.equal(dry.data.status, 'checked');
  assert.equal((await entries(a)).length, ids[a.id], 'a dry run writes nothing');
  const r = await upload(admin, file);
  assert.equal(r.status, 201, JSON.stringify(r.data));
  assert.equal(r.data.kind, 'online_hours');
  assert.equal(r.data.format, 'xlsx');
  assert.equal(r.data.total_rows, 4);
  assert.equal(r.data.imported_rows, 4);
  assert.equal(r.data.cadres, 2);
  assert.equal(r.data.hours, 7);
  const got = (await entries(a)).filter((e) => e.source === 'online');
  assert.equal(got.length, 3);
  const first = got.find((e) => e.title.startsWith('习近平'));
  assert.equal(first.end_date, '2023-03-02');
  assert.equal(first.hours_kind, 'online');
  assert.equal(first.organizer, '中国干部网络学院');
  const w = await online2023(a);
  assert.ok(w, 'the online window of 2023');
  assert.equal(w.got_hours, (before ? before.got_hours : 0) + 6);
  assert.equal(w.stored, true, 'the stored standing (the dashboard\'s) was judged in the import');
  const run = await admin.get(`${P}/imports/${r.data.id}`);
  assert.equal(run.status, 200);
  assert.equal(run.data.status, 'imported');
  assert.equal(run.data.kind, 'online_hours');
  const log = await (await as('sysadmin')).get(`${P}/audit-log?entity=ledger_entry&page_size=20`);
  assert.equal(log.status, 200, JSON.stringify(log.data));
  const appended = new Set(log.data.items.filter((e) => e.action === 'ledger_append').map((e) => String(e.entity_id)));
  for (const e of got) assert.ok(appended.has(String(e.id)), `entry ${e.id} audited`);
});

test('the same file again is refused whole: every row already credited', async () => {
  const n = (await entries(a)).length;
  const file = csv([
    '身份证号,课程名称,学时,完成日期',
    `${a.idn},乡村振兴战略解读,2.5,2023-06-10`,
    `${b.idn},乡村振兴战略解读,1,2023-06-11`,
  ]);
  const r = await upload(admin, file);
  assertError(r, 422, 'import_rejected');
  const d = r.data.error.details;
  assert.deepEqual(d.map((x) => [x.row, x.field, x.code]), [[2, 'course', 'already_credited'], [3, 'course', 'already_credited']]);
  assert.match(d[0].message, /已计入学时档案/);
  assert.ok(r.data.error.import_id > 0);
  assert.equal((await entries(a)).length, n, 'nothing appended');
  const run = await admin.get(`${P}/imports/${r.data.error.import_id}`);
  assert.equal(run.data.status, 'rejected');
});

test('bad rows: each named by row and field, in the caller\'s language; nothing changes', async () => {
  const na = (await entries(a)).length, nb = (await entries(b)).length;
  const unknown = idNumber('520102', '19790101', 999); // valid, registered nowhere
  const future = new Date(Date.now() + 3 * 86400000).toISOString().slice(0, 10);
  const lines = [
    '姓名,身份证号,课程名称,学时,完成日期',
    `网学甲,${a.idn},新课一,2,2024-01-05`,        // 2: fine
    `,${unknown},新课二,2,2024-01-05`,              // 3: unknown ID number
    `,${a.idn.slice(0, 17)}0,新课三,2,2024-01-05`, // 4: checksum
    `,${a.idn},新课一,2,2024-01-05`,               // 5: duplicate of row 2
    `,${a.idn},新课四,-3,2024-01-06`,              // 6: negative
    `,${a.idn},新课五,25,2024-01-07`,              // 7: absurd (> 24)
    `,${a.idn},新课六,2,${future}`,                // 8: future
    `,${a.idn},新课七,2,2024-02-30`,               // 9: no such date
    `,${b.idn},新课八,14,2024-01-08`,              // 10 and 11: 28 学时 on one day
    `,${b.idn},新课九,14,2024-01-08`,
    `张三,${b.idn},新课十,1,2024-01-09`,            // 12: not the number's name
    `,${a.idn},,2,2024-01-10`,                      // 13: no course
  ];
  const r = await upload(admin, csv(lines));
  assertError(r, 422, 'import_rejected');
  const got = r.data.error.details.map((x) => [x.row, x.field, x.code]);
  const want = [[3, 'id_number', 'unknown'], [4, 'id_number', 'checksum'], [5, 'course', 'duplicate'],
    [6, 'hours', 'negative'], [7, 'hours', 'absurd'], [8, 'completed_on'], [9, 'completed_on'],
    [11, 'hours', 'absurd_day'], [12, 'name', 'mismatch'], [13, 'course', 'required']];
  for (const [row, field, code] of want)
    assert.ok(got.some((g) => g[0] === row && g[1] === field && (!code || g[2] === code)), `row ${row} ${field} ${code ?? ''}: ${JSON.stringify(got)}`);
  assert.ok(!got.some((g) => g[0] === 2 || g[0] === 10), 'good rows are not blamed');
  const msg = (row) => r.data.error.details.find((x) => x.row === row).message;
  assert.match(msg(5), /与第 2 行/);
  assert.match(msg(7), /24 学时/);
  assert.match(msg(11), /超过一天 24 学时/);
  assert.equal((await entries(a)).length, na);
  assert.equal((await entries(b)).length, nb);
  // English
  const e = await upload(adminEn, csv(lines));
  assertError(e, 422, 'import_rejected');
  assert.match(e.data.error.details.find((x) => x.row === 3).message, /No cadre with this ID number/);
  assert.match(e.data.error.details.find((x) => x.row === 7).message, /a day holds 24 at most/);
});

test('a liaison holds no ledger.write: refused before the file is read', async () => {
  const nb = (await entries(b)).length;
  const r = await upload(liaison, csv(['身份证号,课程名称,学时,完成日期', `${b.idn},联络员导入课程,3,2024-03-01`]));
  assertError(r, 403, 'forbidden');
  assert.equal((await entries(b)).length, nb);
});

test('files that are not a table of hours', async () => {
  assertError(await upload(trainee, csv(['身份证号,课程名称,学时,完成日期'])), 403, 'forbidden');
  let r = await upload(admin, csv(['身份证号,课程名称,完成日期', `${a.idn},某课,2024-01-01`]));
  assertError(r, 422, 'bad_file');
  assert.match(r.data.error.message, /缺少以下列:学时/);
  r = await upload(admin, csv(['甲,乙,丙', '1,2,3']));
  assertError(r, 422, 'bad_file');
  assert.match(r.data.error.message, /找不到表头/);
  r = await upload(admin, new Uint8Array(0));
  assertError(r, 422, 'bad_file');
});
