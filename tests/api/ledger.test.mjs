// The hours ledger (学时档案, issue 12): adjustments and corrections appended to a cadre's
// record, the standing they change, bad input refused with nothing changed, who sees whose
// record, rule versions (overlap refused; a new one judged through the ledger.evaluate job),
// and that no route changes an entry (the store contract shows the databases refuse it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { as, assertError, jobDone, unitByName, uniqueId } from './lib.mjs';

let admin, liaison, trainee, cadre, otherCadre;
const P = '/api/v1';

const record = async (client, id) => {
  const r = await client.get(`${P}/cadres/${id}/ledger`);
  assert.equal(r.status, 200, JSON.stringify(r.data));
  return r.data;
};
const windowOf = (rec, key) => rec.windows.find((w) => w.key === key);
const Y2023 = 'year:2023:township_down_yearly';

test('setup: a 乡科级 cadre of 溪美 with no hours', async () => {
  admin = await as('admin');
  liaison = await as('liaison1');
  trainee = await as('trainee1');
  const xm = await unitByName(admin, '溪美街道');
  const lc = await unitByName(admin, '柳城街道');
  const r = await admin.post(`${P}/cadres`, {
    name: '学时测试', id_number: uniqueId('350583'), phone: '13912345678', unit_id: xm.id, post: '副镇长',
    is_head: false, rank_level: 'township_section', category: 'civil_servant',
  });
  assert.equal(r.status, 201, JSON.stringify(r.data));
  cadre = r.data;
  otherCadre = (await admin.get(`${P}/cadres?unit_id=${lc.id}&page_size=1`)).data.items[0];
  assert.ok(otherCadre);
});

test('89.5 学时 in 2023 is overdue by 0.5; another 0.5 meets it', async () => {
  let r = await admin.post(`${P}/cadres/${cadre.id}/ledger/adjustments`,
    { title: '补录:春季专题培训', start_date: '2023-04-01', end_date: '2023-04-10', hours: 89.5, reason: '补录纸质档案' });
  assert.equal(r.status, 201, JSON.stringify(r.data));
  assert.equal(r.data.source, 'adjustment');
  assert.equal(r.data.hours, 89.5);
  let rec = await record(admin, cadre.id);
  let w = windowOf(rec, Y2023);
  assert.ok(w, JSON.stringify(rec.windows.map((x) => x.key)));
  assert.equal(w.status, 'overdue');
  assert.equal(w.required_hours, 90);
  assert.equal(w.missing_hours, 0.5);
  assert.equal(w.stored, true);
  const y = rec.years.find((x) => x.year === 2023);
  assert.equal(y.centralized_hours, 89.5);
  assert.equal(y.entries.length, 1);
  r = await admin.post(`${P}/cadres/${cadre.id}/ledger/adjustments`,
    { title: '补录:讲座', end_date: '2023-05-10', hours: 0.5, reason: '补录' });
  assert.equal(r.status, 201, JSON.stringify(r.data));
  rec = await record(admin, cadre.id);
  w = windowOf(rec, Y2023);
  assert.equal(w.status, 'met');
  assert.equal(w.met_on, '2023-05-10');
  assert.equal(w.missing_hours, 0);
  assert.equal(rec.years.find((x) => x.year === 2023).centralized_hours, 90);
});

test('a correction names its entry and reason, and changes the standing back', async () => {
  let rec = await record(admin, cadre.id);
  const half = rec.years.find((x) => x.year === 2023).entries.find((e) => e.hours === 0.5);
  const r = await admin.post(`${P}/ledger/${half.id}/corrections`, { reason: '重复登记', hours: -0.5 });
  assert.equal(r.status, 201, JSON.stringify(r.data));
  assert.equal(r.data.source, 'correction');
  assert.equal(r.data.corrects_id, half.id);
  assert.equal(r.data.reason, '重复登记');
  assert.equal(r.data.end_date, '2023-05-10');
  rec = await record(admin, cadre.id);
  assert.equal(windowOf(rec, Y2023).status, 'overdue');
  // the entry itself is unchanged: the correction is an entry of its own
  const again = rec.years.find((x) => x.year === 2023).entries;
  assert.equal(again.find((e) => e.id === half.id).hours, 0.5);
  assert.equal(again.length, 3);
  // its net may not go below zero, also through a correction of the correction
  assertError(await admin.post(`${P}/ledger/${r.data.id}/corrections`, { reason: '再更正', hours: -0.5 }), 422, 'validation_failed', 'hours');
  assertError(await admin.post(`${P}/ledger/999999999/corrections`, { reason: 'x', hours: 1 }), 404, 'not_found');
});

test('bad input is refused naming the field, and nothing changes', async () => {
  const before = await record(admin, cadre.id);
  const adj = (b) => admin.post(`${P}/cadres/${cadre.id}/ledger/adjustments`, { title: '补录', end_date: '2023-06-01', hours: 4, reason: '补录', ...b });
  assertError(await adj({ reason: '' }), 422, 'validation_failed', 'reason');
  assertError(await adj({ end_date: '2999-01-01' }), 422, 'validation_failed', 'end_date');
  assertError(await adj({ end_date: '2023/6/1' }), 422, 'validation_failed', 'end_date');
  assertError(await adj({ hours: -1 }), 422, 'validation_failed', 'hours');
  assertError(await adj({ hours: 25 }), 422, 'validation_failed', 'hours');
  assertError(await adj({ hours: 1.234 }), 422, 'validation_failed', 'hours');
  assertError(await adj({ hours_kind: 'tv' }), 422, 'validation_failed', 'hours_kind');
  const rec = (await admin.post(`${P}/ledger/${before.years[0].entries[0].id}/corrections`, { hours: 1 }));
  assertError(rec, 422, 'validation_failed', 'reason');
  const en = await as('admin', 'en');
  const r = await en.post(`${P}/cadres/${cadre.id}/ledger/adjustments`, { title: 'x', end_date: '2023-06-01', hours: 4 });
  assert.ok(r.data.error.details.find((d) => d.field === 'reason').message.includes('reason'));
  assert.deepEqual(await record(admin, cadre.id), before);
});

test('a liaison sees its unit\'s records only, a trainee its own', async () => {
  assert.equal((await liaison.get(`${P}/cadres/${cadre.id}/ledger`)).status, 200);
  assertError(await liaison.get(`${P}/cadres/${otherCadre.id}/ledger`), 404, 'not_found');
  assert.equal((await liaison.post(`${P}/cadres/${cadre.id}/ledger/adjustments`, { title: 'x', end_date: '2023-01-01', hours: 1, reason: 'x' })).status, 403);
  const own = await trainee.get(`${P}/cadres/${trainee.user.cadre_id}/ledger`);
  assert.equal(own.status, 200);
  assert.equal(own.data.cadre.id, trainee.user.cadre_id);
  assertError(await trainee.get(`${P}/cadres/${cadre.id}/ledger`), 404, 'not_found');
});

test('no route changes or removes an entry', async () => {
  const before = await record(admin, cadre.id);
  const id = before.years[0].entries[0].id;
  for (const m of ['PUT', 'DELETE', 'PATCH']) {
    const r = await admin.raw(m, `${P}/ledger/${id}`, { body: m === 'DELETE' ? undefined : { hours: 0 } });
    assert.ok([404, 405].includes(r.status), `${m}: ${r.status}`);
  }
  assert.deepEqual(await record(admin, cadre.id), before);
});

test('a rank change re-judges the cadre in the same transaction', async () => {
  const { id_number, phone, ...cur } = (await admin.get(`${P}/cadres/${cadre.id}`)).data;
  const r = await admin.put(`${P}/cadres/${cadre.id}`, { ...cur, rank_level: 'county_division', effective_date: '2024-07-01', change_reason: '提拔' });
  assert.equal(r.status, 200, JSON.stringify(r.data));
  const rec = await record(admin, cadre.id);
  const period = rec.windows.find((w) => w.window_kind === 'period' && w.year === 2023);
  assert.ok(period, JSON.stringify(rec.windows.map((w) => w.key)));
  assert.equal(period.span_start, '2024-07-01');
  assert.equal(period.stored, true);
  const y2024 = windowOf(rec, 'year:2024:township_down_yearly');
  assert.equal(y2024.span_end, '2024-06-30');
  assert.ok(y2024.required_hours < 90);
});

test('rule versions: an overlap is refused; a new one is judged through the job', async () => {
  const inForce = await admin.get(`${P}/requirements`);
  assert.equal(inForce.status, 200);
  const body = {
    title: '2019年试行要求', effective_from: '2019-01-01', effective_to: '2019-12-31',
    rules: [{ code: 'county_2019', title: '2019 年县处级 100 学时', hours_kind: 'centralized', window_kind: 'year', levels: ['county_division'], min_hours: 100 },
      { code: 'township_2019', title: '2019 年乡科级 100 学时', hours_kind: 'centralized', window_kind: 'year', levels: ['township_section', 'general'], min_hours: 100 }],
  };
  // a version that contradicts itself: no threshold
  assertError(await admin.post(`${P}/requirements`, { ...body, rules: [{ ...body.rules[0], min_hours: 0 }] }), 422, 'validation_failed', 'min_hours');
  const r = await admin.post(`${P}/requirements`, body);
  if (r.status === 422 && JSON.stringify(r.data).includes('overlap')) return; // a second run on the same database
  assert.equal(r.status, 201, JSON.stringify(r.data));
  assert.equal(r.data.rules.length, 2);
  assert.ok(r.data.job_id > 0);
  assertError(await admin.post(`${P}/requirements`, { ...body, effective_from: '2019-06-01', effective_to: '2020-12-31' }), 422, 'validation_failed', 'effective_from');
  const one = await admin.get(`${P}/requirements/${r.data.id}`);
  assert.equal(one.status, 200);
  assert.equal(one.data.rules[1].min_hours, 100);
  assert.equal((await liaison.get(`${P}/requirements/${r.data.id}`)).status, 200);
  const after = await admin.get(`${P}/requirements`);
  assert.equal(after.data.source, 'own');
  const job = await jobDone(admin, r.data.job_id);
  assert.equal(job.status, 'done', JSON.stringify(job));
  assert.ok(job.result.cadres > 0);
  const rec = await record(admin, cadre.id);
  const w = windowOf(rec, 'year:2019:township_2019');
  assert.equal(w.required_hours, 100);
  assert.equal(w.version_id, r.data.id);
  assert.equal(w.rule_title, '2019 年乡科级 100 学时');
  assert.equal(w.stored, true);
});

test('hours rules: inherited defaults, a put with its version, absurd values refused', async () => {
  const region = admin.user.region_id;
  const g = await admin.get(`${P}/regions/${region}/hours-rules`);
  assert.equal(g.status, 200, JSON.stringify(g.data));
  assert.equal(g.data.rules.day_hours, 8);
  assertError(await admin.put(`${P}/regions/${region}/hours-rules`, { rules: { day_hours: 30 } }), 422, 'validation_failed', 'day_hours');
  assertError(await admin.put(`${P}/regions/${region}/hours-rules`, { rules: { half_day_hours: -1 } }), 422, 'validation_failed', 'half_day_hours');
  assertError(await admin.put(`${P}/regions/${region}/hours-rules`, { rules: { short_min_minutes: 40, short_max_minutes: 20 } }), 422, 'validation_failed', 'short_min_minutes');
  const p = await admin.put(`${P}/regions/${region}/hours-rules`, { rules: { half_day_hours: 3.5 }, version: g.data.version });
  assert.equal(p.status, 200, JSON.stringify(p.data));
  assert.equal(p.data.rules.half_day_hours, 3.5);
  assert.equal(p.data.source, 'own');
  assertError(await admin.put(`${P}/regions/${region}/hours-rules`, { rules: { half_day_hours: 4 }, version: g.data.version }), 409, 'conflict');
  const back = await admin.put(`${P}/regions/${region}/hours-rules`, { rules: { half_day_hours: 4 }, version: p.data.version });
  assert.equal(back.status, 200, JSON.stringify(back.data));
});
