// The registry over HTTP: units, cadres, history, audit, validation and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { as, assertError, uniqueId, unitByName, Client, BASE } from './lib.mjs';

const REGION = '110101';
let admin, unit;

test('setup', async () => {
  admin = await as('admin');
  unit = await unitByName(admin, '水头镇');
});

test('the demo has Nan\'an\'s 71 units, each with one first-in-command', async () => {
  // other test files may add units; the demo's 71 are those with a first-in-command
  const r = await admin.get('/api/v1/units?page_size=200');
  assert.ok(r.data.total >= 71);
  const names = r.data.items.map((u) => u.name);
  for (const n of ['溪美街道', '柳城街道', '美林街道', '石井镇', '眉山乡', '向阳乡']) assert.ok(names.includes(n), n);
  const heads = await admin.get('/api/v1/cadres?is_head=1&page_size=200');
  assert.equal(heads.data.total, 71);
  assert.equal(new Set(heads.data.items.map((c) => c.unit_id)).size, 71);
  assert.ok(heads.data.items.every((c) => c.rank_level === 'township_section'));
  assert.ok(heads.data.items.some((c) => c.name === '谢晓敏'));
});

test('lists page, search and sort', async () => {
  const p1 = await admin.get('/api/v1/cadres?page=1&page_size=10&sort=name');
  const p2 = await admin.get('/api/v1/cadres?page=2&page_size=10&sort=name');
  assert.equal(p1.data.items.length, 10);
  assert.equal(p1.data.page, 1);
  assert.equal(p1.data.page_size, 10);
  assert.ok(p1.data.total >= 3000);
  assert.ok(p1.data.items.at(-1).name.localeCompare(p2.data.items[0].name, 'en') <= 0);
  const desc = await admin.get('/api/v1/cadres?page_size=5&sort=-birth_date');
  const dates = desc.data.items.map((c) => c.birth_date);
  assert.deepEqual([...dates].sort().reverse(), dates);
  const q = await admin.get(`/api/v1/cadres?q=${encodeURIComponent('谢晓敏')}`);
  assert.equal(q.data.total, 1);
  // an unknown sort key falls back to the default instead of reaching SQL
  const bad = await admin.get('/api/v1/cadres?sort=name;DROP TABLE cadres&page_size=1');
  assert.equal(bad.status, 200);
});

function newCadre(extra = {}) {
  return {
    name: '测试干部', id_number: uniqueId(REGION), phone: '13912345678', unit_id: unit.id,
    post: '副镇长', is_head: false, rank_level: 'township_section', category: 'party_gov_leader',
    post_date: '2021-06-01', ...extra,
  };
}

test('create, read masked, update with history, all audited', async () => {
  const body = newCadre();
  const r = await admin.post('/api/v1/cadres', body);
  assert.equal(r.status, 201, JSON.stringify(r.data));
  const c = r.data;
  assert.equal(c.id_number, body.id_number.slice(0, 6) + '*'.repeat(12));
  assert.equal(c.phone, '139****5678');
  assert.equal(c.birth_date.replaceAll('-', ''), body.id_number.slice(6, 14)); // the admin may reveal: in full
  assert.equal(c.rank_level_label, '乡科级');

  const other = await unitByName(admin, '石井镇');
  const u = await admin.put(`/api/v1/cadres/${c.id}`, {
    ...body, unit_id: other.id, post: '镇长', rank_level: 'county_division', version: c.version,
    change_reason: '调任', effective_date: '2024-03-01',
  });
  assert.equal(u.status, 200, JSON.stringify(u.data));
  assert.equal(u.data.unit_name, '石井镇');
  assert.equal(u.data.version, c.version + 1);

  const h = await admin.get(`/api/v1/cadres/${c.id}/history`);
  const byField = Object.fromEntries(h.data.items.map((e) => [e.field, e]));
  assert.equal(byField.unit.old_label, '水头镇');
  assert.equal(byField.unit.new_label, '石井镇');
  assert.equal(byField.post.new_value, '镇长');
  assert.equal(byField.rank_level.new_label, '县处级');
  assert.equal(byField.rank_level.reason, '调任');
  assert.equal(byField.rank_level.changed_by, '南安市委组织部');

  // a stale version loses and changes nothing
  const stale = await admin.put(`/api/v1/cadres/${c.id}`, { ...body, unit_id: other.id, post: '书记', version: c.version });
  assertError(stale, 409, 'conflict');
  assert.equal((await admin.get(`/api/v1/cadres/${c.id}`)).data.post, '镇长');

  const s = await as('sysadmin');
  const log = await s.get(`/api/v1/audit-log?entity=cadre&entity_id=${c.id}`);
  const actions = log.data.items.map((e) => e.action);
  assert.deepEqual(actions.sort(), ['create', 'update']);
  const upd = log.data.items.find((e) => e.action === 'update');
  // the system administrator sees which fields changed, not the values (no cadre data)
  assert.equal(upd.before, null);
  assert.equal(upd.redacted, true);
  for (const f of ['unit_name', 'post', 'rank_level']) assert.ok(upd.changed.includes(f), f);
  assert.ok(!upd.changed.includes('name'));
  assert.equal(upd.username, 'admin');
  // no plaintext personal numbers in the audit log
  assert.ok(!JSON.stringify(log.data).includes(body.id_number));
  assert.ok(!JSON.stringify(log.data).includes(body.phone));
});

async function cadreTotal() {
  return (await admin.get('/api/v1/cadres?page_size=1')).data.total;
}

test('invalid ID numbers are refused with the reason, naming the field', async () => {
  const before = await cadreTotal();
  const good = uniqueId(REGION);
  const cases = {
    checksum: good.slice(0, 17) + (good[17] === '0' ? '1' : '0'),
    length: good.slice(0, 17),
    invalid_characters: good.slice(0, 10) + 'AB' + good.slice(12),
    birth_date: '11010519991332001X'.slice(0, 17) + '1',
  };
  for (const [code, id] of Object.entries(cases)) {
    const r = await admin.post('/api/v1/cadres', newCadre({ id_number: id }));
    assertError(r, 422, 'validation_failed', 'id_number');
    const d = r.data.error.details.find((x) => x.field === 'id_number');
    assert.equal(d.code, code, `${id}: ${JSON.stringify(d)}`);
  }
  const en = new Client('en');
  Object.assign(en, { cookie: admin.cookie, csrf: admin.csrf });
  const r = await en.post('/api/v1/cadres', newCadre({ id_number: cases.checksum }));
  assert.equal(r.data.error.details.find((x) => x.field === 'id_number').message, "the ID number's check digit is wrong");
  assert.equal(await cadreTotal(), before);
});

test('a duplicate ID number is a conflict naming the field', async () => {
  const body = newCadre();
  assert.equal((await admin.post('/api/v1/cadres', body)).status, 201);
  const before = await cadreTotal();
  const dup = await admin.post('/api/v1/cadres', { ...body, name: '重复' });
  assertError(dup, 409, 'conflict', 'id_number');
  // the same number with a lower-case x or spaces is the same number
  assert.equal(await cadreTotal(), before);
});

test('SQL and HTML injection in names gets a named error and changes nothing', async () => {
  const before = await cadreTotal();
  for (const name of ["Robert'); DROP TABLE cadres;--", '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '张三" OR "1"="1']) {
    const r = await admin.post('/api/v1/cadres', newCadre({ name }));
    assertError(r, 422, 'validation_failed', 'name');
    assert.equal(r.data.error.details[0].code, 'invalid_characters');
  }
  const unitBefore = (await admin.get('/api/v1/units?page_size=1')).data.total;
  const r = await admin.post('/api/v1/units', { name: '<b>单位</b>', type: 'township', region_id: unit.region_id });
  assertError(r, 422, 'validation_failed', 'name');
  assert.equal((await admin.get('/api/v1/units?page_size=1')).data.total, unitBefore);
  assert.equal(await cadreTotal(), before);
  // and search text with SQL in it is just text
  const q = await admin.get(`/api/v1/cadres?q=${encodeURIComponent("' OR 1=1 --")}`);
  assert.equal(q.status, 200);
  assert.equal(q.data.total, 0);
});

test('invalid UTF-8 and malformed JSON are refused', async () => {
  const before = await cadreTotal();
  const bytes = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('","unit_id":1}')]);
  const r = await admin.raw('POST', '/api/v1/cadres', { body: new Uint8Array(bytes), json: false, headers: { 'Content-Type': 'application/json' } });
  assertError(r, 400, 'bad_json');
  const trunc = await admin.raw('POST', '/api/v1/cadres', { body: '{"name": "张', json: false, headers: { 'Content-Type': 'application/json' } });
  assertError(trunc, 400, 'bad_json');
  const arr = await admin.raw('POST', '/api/v1/cadres', { body: '[1,2]', json: false, headers: { 'Content-Type': 'application/json' } });
  assertError(arr, 400, 'bad_json');
  assert.equal(await cadreTotal(), before);
});

test('an oversized JSON body is 413', async () => {
  const big = { ...newCadre(), post: 'x'.repeat(400 * 1024) };
  const r = await admin.post('/api/v1/cadres', big);
  assertError(r, 413, 'payload_too_large');
});

test('units: create, duplicate name, update, delete', async () => {
  const r = await admin.post('/api/v1/units', { name: '测试产业园', type: '开发区', region_id: unit.region_id, industries: ['石材', '电子'] });
  assert.equal(r.status, 201, JSON.stringify(r.data));
  assert.equal(r.data.type, 'zone');
  assert.deepEqual(r.data.industries, ['石材', '电子']);
  const dup = await admin.post('/api/v1/units', { name: '测试产业园', type: 'zone', region_id: unit.region_id });
  assertError(dup, 409, 'conflict', 'name');
  const upd = await admin.put(`/api/v1/units/${r.data.id}`, { name: '测试产业园区', type: 'zone', region_id: unit.region_id, version: r.data.version });
  assert.equal(upd.status, 200);
  assert.equal(upd.data.name, '测试产业园区');
  const del = await admin.del(`/api/v1/units/${r.data.id}`);
  assert.equal(del.status, 204);
  assertError(await admin.get(`/api/v1/units/${r.data.id}`), 404, 'not_found');
  // a unit with cadres cannot be deleted
  assertError(await admin.del(`/api/v1/units/${unit.id}`), 409, 'conflict');
});

test('healthz and the OpenAPI document cover every route, each protected as declared', async () => {
  const h = await fetch(BASE + '/healthz');
  assert.equal(h.status, 200);
  assert.equal((await h.json()).status, 'ok');
  const doc = await (await fetch(BASE + '/api/v1/openapi.json')).json();
  assert.equal(doc.openapi, '3.0.3');
  const ops = Object.entries(doc.paths).flatMap(([p, item]) => Object.entries(item).map(([m, op]) => ({ p, m, op })));
  assert.ok(ops.length >= 30);
  for (const { p, m, op } of ops) {
    assert.ok(op.summary, `${m} ${p} has a summary`);
    if (op['x-permission'] === 'public') continue;
    const url = p.replace(/\{[^}]+\}/g, '1');
    const r = await fetch(BASE + url, { method: m.toUpperCase() });
    assert.equal(r.status, 401, `${m.toUpperCase()} ${p} without a session`);
  }
});

test('unknown API paths are 404 JSON, wrong methods 405', async () => {
  const r = await admin.get('/api/v1/nope');
  assertError(r, 404, 'not_found');
  const m = await admin.raw('PATCH', '/api/v1/cadres', {});
  assertError(m, 405, 'method_not_allowed');
});

test('an update that sends the ID number as null asks for it; one that leaves it out keeps it', async () => {
  const body = newCadre();
  const c = (await admin.post('/api/v1/cadres', body)).data;
  const { id_number: _, ...rest } = body;
  const kept = await admin.put(`/api/v1/cadres/${c.id}`, { ...rest, unit_id: body.unit_id, version: c.version });
  assert.equal(kept.status, 200, JSON.stringify(kept.data));
  assert.equal(kept.data.id_number, c.id_number);
  const cleared = await admin.put(`/api/v1/cadres/${c.id}`, { ...rest, id_number: null, version: kept.data.version });
  assertError(cleared, 422, 'validation_failed', 'id_number');
  const phoneless = await admin.put(`/api/v1/cadres/${c.id}`, { ...rest, phone: null, version: kept.data.version });
  assert.equal(phoneless.status, 200, JSON.stringify(phoneless.data));
  assert.equal(phoneless.data.phone, '');
});
