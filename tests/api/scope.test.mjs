// Roles and data scope (SPEC §1): a liaison of one township can never reach another
// township's cadres, whatever URL, id or filter it sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { as, assertError, unitByName } from './lib.mjs';

let admin, liaison, own, other, otherCadre;

test('setup', async () => {
  admin = await as('admin');
  liaison = await as('liaison1');
  own = await unitByName(admin, '溪美街道');
  other = await unitByName(admin, '柳城街道');
  const r = await admin.get(`/api/v1/cadres?unit_id=${other.id}&page_size=1`);
  otherCadre = r.data.items[0];
  assert.ok(otherCadre);
  assert.equal(liaison.user.unit_id, own.id);
});

test('the liaison lists only its own unit', async () => {
  const r = await liaison.get('/api/v1/cadres?page_size=200');
  assert.equal(r.status, 200);
  assert.ok(r.data.total > 0);
  assert.equal(r.data.total, own.cadre_count);
  assert.ok(r.data.items.every((c) => c.unit_id === own.id));
  const units = await liaison.get('/api/v1/units');
  assert.deepEqual(units.data.items.map((u) => u.id), [own.id]);
});

test("another township's cadre by id is 404 for read, update, history and reveal", async () => {
  assertError(await liaison.get(`/api/v1/cadres/${otherCadre.id}`), 404, 'not_found');
  assertError(await liaison.get(`/api/v1/cadres/${otherCadre.id}/history`), 404, 'not_found');
  const put = await liaison.put(`/api/v1/cadres/${otherCadre.id}`, { ...otherCadre, name: '篡改' });
  assertError(put, 404, 'not_found');
  const reveal = await liaison.post(`/api/v1/cadres/${otherCadre.id}/reveal`, {});
  assert.ok([403, 404].includes(reveal.status));
  const still = await admin.get(`/api/v1/cadres/${otherCadre.id}`);
  assert.equal(still.data.name, otherCadre.name);
});

test("another township's cadres by list filter come back empty", async () => {
  for (const q of [`unit_id=${other.id}`, `region_id=${other.region_id}`, `q=${encodeURIComponent(otherCadre.name)}`]) {
    const r = await liaison.get(`/api/v1/cadres?${q}&page_size=200`);
    assert.equal(r.status, 200);
    assert.ok(r.data.items.every((c) => c.unit_id === own.id), q);
    if (q.startsWith('unit_id')) assert.equal(r.data.total, 0);
  }
  assertError(await liaison.get(`/api/v1/units/${other.id}`), 404, 'not_found');
});

test('the liaison cannot move a cadre into another unit or create one there', async () => {
  const mine = (await liaison.get('/api/v1/cadres?page_size=1')).data.items[0];
  const r = await liaison.put(`/api/v1/cadres/${mine.id}`, { ...mine, unit_id: other.id });
  assertError(r, 422, 'validation_failed', 'unit_id');
  const after = await liaison.get(`/api/v1/cadres/${mine.id}`);
  assert.equal(after.data.unit_id, own.id);
});

test('the liaison may not see unmasked numbers, manage users or read the audit log', async () => {
  const mine = (await liaison.get('/api/v1/cadres?page_size=1')).data.items[0];
  assert.match(mine.id_number, /^\d{6}\*{12}$/);
  assert.match(mine.birth_date, /^\d{4}-\d{2}$/);
  assertError(await liaison.post(`/api/v1/cadres/${mine.id}/reveal`, {}), 403, 'forbidden');
  assertError(await liaison.get('/api/v1/users'), 403, 'forbidden');
  assertError(await liaison.get('/api/v1/audit-log'), 403, 'forbidden');
});

test('a trainee sees only its own record', async () => {
  const t = await as('trainee1');
  const r = await t.get('/api/v1/cadres?page_size=50');
  assert.equal(r.data.total, 1);
  assert.equal(r.data.items[0].id, t.user.cadre_id);
  assertError(await t.get(`/api/v1/cadres/${otherCadre.id}`), 404, 'not_found');
});

test('the system admin manages accounts but sees no cadre data', async () => {
  const s = await as('sysadmin');
  assertError(await s.get('/api/v1/cadres'), 403, 'forbidden');
  assertError(await s.get(`/api/v1/cadres/${otherCadre.id}`), 403, 'forbidden');
  assert.equal((await s.get('/api/v1/users')).status, 200);
});

test('the organization admin sees its region and may reveal, which is audited', async () => {
  const r = await admin.post(`/api/v1/cadres/${otherCadre.id}/reveal`, {});
  assert.equal(r.status, 200);
  assert.match(r.data.id_number, /^\d{17}[\dX]$/);
  assert.equal(r.data.id_number.slice(0, 6), otherCadre.id_number.slice(0, 6));
  assert.equal(r.data.id_number.slice(6, 14), otherCadre.birth_date.replaceAll('-', '')); // the admin reads it in full
  const s = await as('sysadmin');
  const log = await s.get(`/api/v1/audit-log?entity=cadre&entity_id=${otherCadre.id}`);
  assert.ok(log.data.items.some((e) => e.action === 'reveal' && e.username === 'admin'));
});

test('an organization admin cannot grant admin roles', async () => {
  const r = await admin.post('/api/v1/users', { username: 'sneaky1', display_name: '越权', role: 'sysadmin' });
  assertError(r, 403, 'forbidden', 'role');
});

test("a class manager's list counts only its trainees, not whole units", async () => {
  const manager = await as('manager');
  const all = await manager.get('/api/v1/cadres?page_size=200');
  assert.equal(all.status, 200);
  assert.ok(all.data.items.length > 0, 'the manager sees the trainees of its classes');
  assert.equal(all.data.total, all.data.items.length, 'the total is what the manager can page through');
  const unitId = all.data.items[0].unit_id;
  const inUnit = await manager.get(`/api/v1/cadres?unit_id=${unitId}&page_size=200`);
  assert.equal(inUnit.data.total, inUnit.data.items.length);
  const whole = await admin.get(`/api/v1/cadres?unit_id=${unitId}&page_size=1`);
  assert.ok(inUnit.data.total < whole.data.total, 'fewer than the whole unit');
});

test('a malformed filter is a 422 naming it, never a filter dropped (a list or an export of the whole scope)', async () => {
  const a = await as('admin');
  const long = encodeURIComponent('张'.repeat(201));
  for (const [path, field] of [
    ['/api/v1/cadres?unit_id=abc', 'unit_id'], ['/api/v1/cadres?unit_id=-1', 'unit_id'],
    ['/api/v1/cadres?region_id=1.5', 'region_id'], ['/api/v1/cadres?is_head=perhaps', 'is_head'],
    ['/api/v1/cadres?status=gone', 'status'], [`/api/v1/cadres?q=${long}`, 'q'],
    ['/api/v1/cadres?page=0', 'page'], ['/api/v1/cadres?page_size=x', 'page_size'],
    ['/api/v1/cadres/export?unit_id=abc', 'unit_id'], ['/api/v1/cadres/export?is_head=yes', 'is_head'],
    ['/api/v1/units?type=planet', 'type'], ['/api/v1/units/export?region_id=x', 'region_id'],
    ['/api/v1/classes?from=2023-02-30', 'from'], ['/api/v1/classes?plan_id=0', 'plan_id'],
    ['/api/v1/plans?year=abc', 'year'], ['/api/v1/users?role=king', 'role'],
  ]) {
    const r = await a.get(path);
    assertError(r, 422, 'validation_failed', field);
  }
  // the well-formed ones still filter
  const unit = await unitByName(a, '溪美街道');
  const r = await a.get(`/api/v1/cadres?unit_id=${unit.id}&is_head=1`);
  assert.equal(r.status, 200);
  assert.ok(r.data.items.length >= 1 && r.data.items.every((c) => c.unit_id === unit.id && c.is_head));
});
