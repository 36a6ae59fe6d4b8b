// compliance.test.mjs — the compliance dashboard (学时达标情况, issue 12 item 4):
// GET /api/v1/compliance/summary and /behind, on both backends.
//
// The figures are read from the compliance rows the ledger keeps. Until the ledger's
// operations create them, the test writes rows of its own straight into the server's
// database (PEIXUN_DB, as masking.test does) for a year nobody else uses (2031), and reads
// them with as_of inside that year; a change of a row stands for what an adjustment's
// re-evaluation writes. When POST /cadres/{id}/ledger/adjustments exists, the last test also
// makes a behind cadre of 2023 met through it and watches the summary follow.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { as, assertError, BACKEND, jobsIdle, sql, xlsxText } from './lib.mjs';

const P = '/api/v1';
const enc = encodeURIComponent;
const needsDb = { skip: !process.env.PEIXUN_DB && 'PEIXUN_DB not set' };
const day = (y, m, d) => Date.UTC(y, m - 1, d) / 86400000;
const KEY = 'year:2031:township_down_yearly';
const Q = `window=year:2031&hours_kind=centralized&as_of=2031-07-02`;


let admin, viewer, cadres, unit;
// 2031: 365 days; on 2 July 183 have passed, so 90 学时 × 183 / 365 = 45.12 are due.
const rows = [
  { got: 1000, met: '' },        // behind: 80 missing
  { got: 3000, met: '' },        // behind: 60 missing
  { got: 5000, met: '' },        // on track
  { got: 9500, met: '2031-05-01' }, // met
  { got: 200, met: '', cut: '2031-03-01' }, // left (span ends the day before)
];

before(async () => {
  admin = await as('admin');
  viewer = await as('viewer1');
  if (!process.env.PEIXUN_DB) return;
  // cadres of one unit of the admin's region: the first with a first-in-command leader
  const heads = (await admin.get(`${P}/cadres?is_head=1&status=active&page_size=1`)).data.items;
  unit = heads[0].unit_id;
  const list = (await admin.get(`${P}/cadres?unit_id=${unit}&status=active&page_size=50`)).data.items;
  assert.ok(list.length >= rows.length, 'cadres enough in one unit');
  cadres = [list.find((c) => c.is_head), ...list.filter((c) => !c.is_head)].slice(0, rows.length);
  // a ledger.evaluate job (queued by a rule version another test made) replaces whole cadres'
  // compliance rows: wait until none runs before writing these by hand
  await jobsIdle();
  sql(`DELETE FROM compliance WHERE window_key = '${KEY}'`);
  rows.forEach((r, i) => {
    const c = cadres[i];
    const end = r.cut ? day(2031, 2, 28) : day(2031, 12, 31);
    sql(`INSERT INTO compliance (cadre_id, window_key, unit_id, rule_code, hours_kind, window_kind, year,
      start_day, end_day, req_centi_days, req_centi_hours, req_classes, got_centi_days, got_centi_hours,
      got_classes, met_on, cut) VALUES (${c.id}, '${KEY}', ${c.unit_id}, 'township_down_yearly', 'centralized',
      'year', 2031, ${day(2031, 1, 1)}, ${end}, 0, 9000, 0, 0, ${r.got}, 0, '${r.met}', '${r.cut ?? ''}')`);
  });
});

test('the summary counts the windows by status, with the rate, 一把手 and the bins', needsDb, async () => {
  const r = await viewer.get(`${P}/compliance/summary?${Q}`);
  assert.equal(r.status, 200, JSON.stringify(r.data));
  const s = r.data;
  assert.equal(s.window, 'year:2031');
  assert.equal(s.as_of, '2031-07-02');
  assert.deepEqual(
    { all: s.totals.all, met: s.totals.met, on_track: s.totals.on_track, behind: s.totals.behind, overdue: s.totals.overdue, left: s.totals.left },
    { all: 5, met: 1, on_track: 1, behind: 2, overdue: 0, left: 1 });
  assert.equal(s.totals.rate, 0.25); // 1 / (5 − 1)
  assert.deepEqual({ all: s.heads.all, met: s.heads.met }, { all: 1, met: 0 });
  assert.equal(s.requirement_hours, 90);
  assert.deepEqual(s.histogram.map((b) => b.label), ['0', '<30', '30–60', '60–90', '≥90']);
  assert.deepEqual(s.histogram.map((b) => b.count), [0, 2, 2, 0, 1]);
  const u = s.by_unit.find((x) => x.code === String(unit));
  assert.equal(u.all, 5);
  assert.equal(s.by_unit_type.reduce((n, g) => n + g.all, 0), 5);
  assert.equal(s.by_region.reduce((n, g) => n + g.all, 0), 5);
  assert.equal(s.by_rank_level.reduce((n, g) => n + g.all, 0), 5);
  // on 1 January 2032 the open ones are overdue; the one who left is not
  const late = (await viewer.get(`${P}/compliance/summary?window=year:2031&as_of=2032-01-01`)).data;
  assert.deepEqual([late.totals.overdue, late.totals.left, late.totals.met], [3, 1, 1]);
  // the filters narrow it: another unit, another kind of hours, the period windows
  assert.equal((await viewer.get(`${P}/compliance/summary?${Q}&unit_id=${unit}`)).data.totals.all, 5);
  assert.equal((await viewer.get(`${P}/compliance/summary?${Q}&unit_id=999999999`)).data.totals.all, 0);
  assert.equal((await viewer.get(`${P}/compliance/summary?window=year:2031&hours_kind=online&as_of=2031-07-02`)).data.totals.all, 0);
  assert.equal((await viewer.get(`${P}/compliance/summary?window=period:2031&as_of=2031-07-02`)).data.window, 'period:2031');
});

test('a malformed window or status is a problem naming it', async () => {
  assertError(await viewer.get(`${P}/compliance/summary?window=decade:2031`), 422, 'validation_failed', 'window');
  assertError(await viewer.get(`${P}/compliance/summary?window=year:31`), 422, 'validation_failed', 'window');
  assertError(await viewer.get(`${P}/compliance/summary?hours_kind=weekly`), 422, 'validation_failed', 'hours_kind');
  assertError(await viewer.get(`${P}/compliance/behind?status=met`), 422, 'validation_failed', 'status');
  assertError(await viewer.get(`${P}/compliance/behind?unit_id=abc`), 422, 'validation_failed', 'unit_id');
});

test('the behind list: most missing hours first, no ID or phone number', needsDb, async () => {
  const r = await viewer.get(`${P}/compliance/behind?${Q}`);
  assert.equal(r.status, 200);
  assert.equal(r.data.total, 2);
  assert.deepEqual(r.data.items.map((x) => x.name), [cadres[0].name, cadres[1].name]);
  assert.deepEqual(r.data.items.map((x) => x.missing_hours), [80, 60]);
  const it = r.data.items[0];
  assert.equal(it.deadline, '2031-12-31');
  assert.equal(it.status, 'behind');
  assert.equal(it.status_label, '进度滞后');
  assert.equal(it.post, cadres[0].post);
  for (const k of ['id', 'cadre_id', 'id_number', 'phone', 'birth_date', 'gender']) assert.ok(!(k in it), k);
  // paged
  const p2 = (await viewer.get(`${P}/compliance/behind?${Q}&page=2&page_size=1`)).data;
  assert.deepEqual([p2.total, p2.items.length, p2.items[0].name], [2, 1, cadres[1].name]);
  // overdue only, after the year
  const late = (await viewer.get(`${P}/compliance/behind?window=year:2031&as_of=2032-01-01&status=overdue`)).data;
  assert.equal(late.total, 3);
  assert.equal(late.items[0].missing_hours, 80);
});

test('a liaison, a trainee, a class manager and the system admin may not read it', async () => {
  for (const who of ['liaison1', 'trainee1', 'manager', 'sysadmin', 'expert1']) {
    const c = await as(who);
    assert.equal((await c.get(`${P}/compliance/summary`)).status, 403, who);
    assert.equal((await c.get(`${P}/compliance/behind?format=xlsx`)).status, 403, who);
  }
});

test('the export is the list\'s columns and nothing more, audited', needsDb, async () => {
  const file = await viewer.get(`${P}/compliance/behind?${Q}&format=xlsx`);
  assert.equal(file.status, 200);
  assert.match(file.headers.get('content-type'), /spreadsheetml/);
  const text = xlsxText(file.data);
  for (const h of ['姓名', '单位', '职务', '职级', '差额学时', '截止日期', cadres[0].name, cadres[1].name]) assert.ok(text.includes(h), h);
  assert.ok(!text.includes(cadres[2].name), 'not the one on track');
  for (const c of cadres.slice(0, 2)) {
    assert.ok(!text.includes(c.id_number), 'no ID number, not even masked');
    assert.ok(!text.includes(c.phone), 'no phone');
  }
  for (const h of ['身份证', '手机', '出生']) assert.ok(!text.includes(h), h);
  const en = xlsxText((await (await as('admin', 'en')).get(`${P}/compliance/behind?${Q}&format=xlsx`)).data);
  assert.ok(en.includes('Hours missing'));
  const sys = await as('sysadmin');
  const log = (await sys.get(`${P}/audit-log?entity=compliance&page_size=20`)).data.items;
  assert.ok(log.some((e) => e.action === 'export' && e.actor === 'viewer1' && e.after.rows === 2), JSON.stringify(log.slice(0, 2)));
});

test('the summary follows when a behind cadre becomes met', needsDb, async () => {
  const before = (await admin.get(`${P}/compliance/summary?${Q}`)).data.totals;
  // what the ledger's re-evaluation writes after an adjustment of 80 学时
  sql(`UPDATE compliance SET got_centi_hours = 9000, met_on = '2031-07-01' WHERE window_key = '${KEY}' AND cadre_id = ${cadres[0].id}`);
  const after = (await admin.get(`${P}/compliance/summary?${Q}`)).data;
  assert.equal(after.totals.met, before.met + 1);
  assert.equal(after.totals.behind, before.behind - 1);
  assert.equal(after.heads.met, 1, 'the 一把手 is now covered');
  assert.equal((await admin.get(`${P}/compliance/behind?${Q}`)).data.total, 1);
});

test('an adjustment through the ledger makes a behind cadre met', async (t) => {
  const doc = (await admin.get(`${P}/openapi.json`)).data;
  if (!doc.paths['/api/v1/cadres/{id}/ledger/adjustments']) return t.skip('the ledger API has not landed');
  const Y = 'window=year:2023&as_of=2023-12-01';
  const behind = (await admin.get(`${P}/compliance/behind?${Y}&status=behind&page_size=1`)).data.items[0];
  if (!behind) return t.skip('no one behind in 2023');
  const found = (await admin.get(`${P}/cadres?q=${enc(behind.name)}&page_size=20`)).data.items
    .find((c) => c.name === behind.name && c.post === behind.post);
  const s0 = (await admin.get(`${P}/compliance/summary?${Y}`)).data.totals;
  const r = await admin.post(`${P}/cadres/${found.id}/ledger/adjustments`, {
    hours_kind: 'centralized', start_date: '2023-06-01', end_date: '2023-06-30', hours: behind.missing_hours + 1, days: 0,
    title: '补录集中培训', reason: '达标看板测试',
  });
  assert.ok([200, 201].includes(r.status), JSON.stringify(r.data));
  const s1 = (await admin.get(`${P}/compliance/summary?${Y}`)).data.totals;
  assert.equal(s1.met, s0.met + 1);
});
