// Logging in and out, the session cookie, CSRF, lockout, and error messages by language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, as, assertError, PASSWORD, regionId } from './lib.mjs';

test('login sets an HttpOnly SameSite=Strict cookie and returns the user and a CSRF token', async () => {
  const c = new Client();
  const r = await c.post('/api/v1/session', { username: 'admin', password: PASSWORD });
  assert.equal(r.status, 201);
  assert.match(r.setCookie, /px_session=[A-Za-z0-9_-]{40,}/);
  assert.match(r.setCookie, /HttpOnly/);
  assert.match(r.setCookie, /SameSite=Strict/);
  assert.equal(r.data.user.username, 'admin');
  assert.equal(r.data.user.role, 'org_admin');
  assert.equal(r.data.user.region_name, '南安市');
  assert.ok(r.data.csrf_token.length >= 40);
  assert.equal(r.data.user.password_hash, undefined);
  const me = await c.get('/api/v1/session');
  assert.equal(me.status, 200);
  assert.equal(me.data.csrf_token, r.data.csrf_token);
});

test('wrong password: 401 in Chinese by default, English on request', async () => {
  const zh = await new Client('zh-CN').post('/api/v1/session', { username: 'admin', password: 'nope' });
  assertError(zh, 401, 'bad_credentials');
  assert.equal(zh.data.error.message, '用户名或密码错误');
  const en = await new Client('en-US,en;q=0.9').post('/api/v1/session', { username: 'no-such-user', password: 'x' });
  assertError(en, 401, 'bad_credentials');
  assert.equal(en.data.error.message, 'Wrong user name or password');
});

test('missing fields name the field', async () => {
  const r = await new Client().post('/api/v1/session', { username: '' });
  assertError(r, 422, 'validation_failed', 'username');
  assert.ok(r.data.error.details.some((d) => d.field === 'password'));
});

test('a protected route without a session is 401, a logged-out session too', async () => {
  const anon = new Client();
  assertError(await anon.get('/api/v1/cadres'), 401, 'unauthenticated');
  const c = await as('admin');
  assert.equal((await c.get('/api/v1/cadres?page_size=1')).status, 200);
  const out = await c.del('/api/v1/session');
  assert.equal(out.status, 204);
  assertError(await c.get('/api/v1/cadres'), 401, 'unauthenticated');
});

test('a write without the CSRF token is refused and changes nothing', async () => {
  const c = await as('admin');
  const units = await c.get('/api/v1/units?page_size=1');
  const unit = units.data.items[0];
  const body = { name: unit.name + '(改)', type: unit.type, region_id: unit.region_id, version: unit.version };
  const r = await c.raw('PUT', `/api/v1/units/${unit.id}`, { body, csrf: false });
  assertError(r, 403, 'csrf_failed');
  const wrong = await c.raw('PUT', `/api/v1/units/${unit.id}`, { body, csrf: false, headers: { 'X-CSRF-Token': 'forged' } });
  assertError(wrong, 403, 'csrf_failed');
  const after = await c.get(`/api/v1/units/${unit.id}`);
  assert.equal(after.data.name, unit.name);
  assert.equal(after.data.version, unit.version);
});

test('a JSON write must be sent as JSON', async () => {
  const c = await as('admin');
  const r = await c.raw('POST', '/api/v1/units', { body: 'name=x', json: false, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assertError(r, 415, 'unsupported_media_type');
});

test('the sixth wrong password finds the account locked, even with the right password', async () => {
  const admin = await as('sysadmin');
  const name = `lock${Date.now() % 100000}`;
  const created = await admin.post('/api/v1/users', {
    username: name, display_name: '锁定测试', role: 'viewer', region_id: await regionId(admin, '南安市'), password: 'Lockout-Test-2023',
  });
  assert.equal(created.status, 201, JSON.stringify(created.data));
  const c = new Client();
  for (let i = 1; i <= 5; i++) {
    const r = await c.post('/api/v1/session', { username: name, password: `wrong-${i}` });
    assertError(r, 401, 'bad_credentials');
  }
  const sixth = await c.post('/api/v1/session', { username: name, password: 'wrong-6' });
  assertError(sixth, 423, 'account_locked');
  const right = await c.post('/api/v1/session', { username: name, password: 'Lockout-Test-2023' });
  assertError(right, 423, 'account_locked');
  // an admin's password reset unlocks it
  const reset = await admin.post(`/api/v1/users/${created.data.id}/password`, { password: 'Unlocked-Test-2024' });
  assert.equal(reset.status, 200);
  const again = await c.post('/api/v1/session', { username: name, password: 'Unlocked-Test-2024' });
  assert.equal(again.status, 201);
  assert.equal(again.data.user.must_change_password, true);
  // the login log has it all
  const log = await admin.get(`/api/v1/login-log?q=${name}&page_size=50`);
  const outcomes = log.data.items.map((e) => e.outcome);
  assert.ok(outcomes.includes('bad_password_locked'));
  assert.ok(outcomes.filter((o) => o === 'locked').length >= 2);
  assert.equal(outcomes[0], 'ok');
});

test('password change enforces the policy and ends other sessions', async () => {
  const admin = await as('sysadmin');
  const name = `pw${Date.now() % 100000}`;
  await admin.post('/api/v1/users', { username: name, display_name: '改密测试', role: 'viewer', region_id: await regionId(admin, '南安市'), password: 'First-Password-1' });
  const a = await new Client().login(name, 'First-Password-1');
  const b = await new Client().login(name, 'First-Password-1');
  const weak = await a.put('/api/v1/session/password', { old_password: 'First-Password-1', new_password: 'short' });
  assertError(weak, 422, 'weak_password', 'password');
  const ok = await a.put('/api/v1/session/password', { old_password: 'First-Password-1', new_password: 'Second-Password-2' });
  assert.equal(ok.status, 200, JSON.stringify(ok.data));
  a.csrf = ok.data.csrf_token;
  assert.equal((await a.get('/api/v1/session')).status, 200);
  assertError(await b.get('/api/v1/session'), 401, 'unauthenticated');
});

test('an unknown user name fails exactly as a known one, lockout included', async () => {
  const sys = await as('sysadmin');
  const known = `enum${Date.now() % 100000}`;
  const created = await sys.post('/api/v1/users', {
    username: known, display_name: '枚举测试', role: 'viewer', region_id: await regionId(sys, '南安市'), password: 'Enumerate-Test-2023',
  });
  assert.equal(created.status, 201, JSON.stringify(created.data));
  const answers = async (username) => {
    const c = new Client();
    const out = [];
    for (let i = 1; i <= 6; i++) {
      const r = await c.post('/api/v1/session', { username, password: `wrong-${i}` });
      out.push(`${r.status} ${r.data.error.code} ${r.data.error.message}`);
    }
    return out;
  };
  const a = await answers(known);
  const b = await answers(`nobody${Date.now() % 100000}`);
  assert.deepEqual(b, a);
  assert.match(a[4], /锁定/);
  assert.match(a[5], /^423 account_locked/);
});

test('the reply to a login shows the account as its session does (a trainee sees whose account it is)', async () => {
  const c = new Client();
  const r = await c.post('/api/v1/session', { username: 'trainee1', password: PASSWORD });
  assert.equal(r.status, 201);
  assert.ok(r.data.user.cadre_name.length > 0, JSON.stringify(r.data.user));
  c.csrf = r.data.csrf_token;
  const s = await c.get('/api/v1/session');
  assert.equal(s.data.user.cadre_name, r.data.user.cadre_name);
});
