// Logging in and out, the session cookie, CSRF, lockout, and error messages by language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { BACKEND, BASE, Client, as, assertError, PASSWORD, regionId, startServer } from './lib.mjs';

// A login sent from another loopback address. The server takes the client's address from
// the socket (X-Forwarded-For only with trust_proxy, which the test servers do not set);
// Linux routes all of 127/8 to lo, and node's http can bind the socket to such a source.
function loginFrom(localAddress, username, password) {
  const url = new URL('/api/v1/session', BASE);
  const body = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Accept-Language': 'zh-CN' },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, data: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

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
  const unknown = `nobody${Date.now() % 100000}`;
  const a = await answers(known);
  const b = await answers(unknown);
  assert.deepEqual(b, a);
  assert.match(a[4], /锁定/);
  assert.match(a[5], /^423 account_locked/);
  // both are locked at that address only: from another, a wrong password is just wrong
  const elsewhere = async (username) => {
    const r = await loginFrom('127.0.0.6', username, 'wrong-7');
    return `${r.status} ${r.data.error.code} ${r.data.error.message}`;
  };
  assert.equal(await elsewhere(known), '401 bad_credentials 用户名或密码错误');
  assert.equal(await elsewhere(unknown), '401 bad_credentials 用户名或密码错误');
});

test("an attacker's failures lock an account at the attacker's address only: the owner logs in from elsewhere", async () => {
  const sys = await as('sysadmin');
  for (const [name, attacker] of [['admin', '127.0.0.2'], ['sysadmin', '127.0.0.3']]) {
    for (let i = 1; i <= 5; i++) {
      const r = await loginFrom(attacker, name, `guess-${i}`);
      assertError(r, 401, 'bad_credentials');
      if (i === 5) assert.match(r.data.error.message, /锁定/);
    }
    // the attacker's address is locked, even with the right password
    assertError(await loginFrom(attacker, name, PASSWORD), 423, 'account_locked');
    // the owner, from its own address (127.0.0.1), is not
    const owner = await new Client().post('/api/v1/session', { username: name, password: PASSWORD });
    assert.equal(owner.status, 201, JSON.stringify(owner.data));
    // and its login does not unlock the attacker's address
    const still = await loginFrom(attacker, name, PASSWORD);
    assertError(still, 423, 'account_locked');
    assert.match(still.data.error.message, /此网络地址/);
  }
  const log = (await sys.get('/api/v1/login-log?q=admin&page_size=50')).data.items.filter((e) => e.username === 'admin');
  assert.ok(log.some((e) => e.outcome === 'locked' && e.ip === '127.0.0.2'), JSON.stringify(log.slice(0, 5)));
  assert.ok(log.some((e) => e.outcome === 'bad_password_locked' && e.ip === '127.0.0.2'));
  assert.ok(log.some((e) => e.outcome === 'ok' && e.ip === '127.0.0.1'));
});

test('an account failing from many addresses slows every address down, and a password reset lifts it', async () => {
  const sys = await as('sysadmin');
  const name = `slow${Date.now() % 100000}`;
  const made = await sys.post('/api/v1/users', { username: name, display_name: '限速测试', role: 'viewer', region_id: await regionId(sys, '南安市'), password: 'Slowdown-Test-2023' });
  assert.equal(made.status, 201, JSON.stringify(made.data));
  // 50 failures from ten addresses, five each (each address locked in turn)
  for (let k = 0; k < 10; k++)
    for (let i = 1; i <= 5; i++) assertError(await loginFrom(`127.0.0.${10 + k}`, name, `guess-${k}-${i}`), 401, 'bad_credentials');
  // the owner's address has no failure of its own, yet waits (15 s after the 50th failure)
  const r = await new Client().post('/api/v1/session', { username: name, password: 'Slowdown-Test-2023' });
  assertError(r, 423, 'account_locked');
  assert.match(r.data.error.message, /秒后再试/);
  const log = (await sys.get(`/api/v1/login-log?q=${name}&page_size=60`)).data.items;
  assert.equal(log[0].outcome, 'throttled');
  assert.ok((await sys.get(`/api/v1/users?q=${name}`)).data.items[0].locked, 'the account shows it is slowed down');
  // an administrator's reset forgets every count of the name
  const reset = await sys.post(`/api/v1/users/${made.data.id}/password`, { password: 'Slowdown-Reset-2024' });
  assert.equal(reset.status, 200, JSON.stringify(reset.data));
  assert.equal((await loginFrom('127.0.0.10', name, 'Slowdown-Reset-2024')).status, 201);
});

test('one address trying many names is locked for every name; other addresses are not', async () => {
  // 100 failures over 100 names that do not exist, from one address
  const spray = '127.0.0.4';
  for (let i = 0; i < 100; i++) assertError(await loginFrom(spray, `spray${Date.now() % 100000}x${i}`, 'Password-123'), 401, 'bad_credentials');
  const r = await loginFrom(spray, 'viewer1', PASSWORD);
  assertError(r, 423, 'account_locked');
  assert.match(r.data.error.message, /此网络地址登录失败次数过多/);
  // viewer1 itself is not locked: from anywhere else it logs in
  assert.equal((await loginFrom('127.0.0.5', 'viewer1', PASSWORD)).status, 201);
  assert.equal((await new Client().post('/api/v1/session', { username: 'viewer1', password: PASSWORD })).status, 201);
});

test('a user name with a control character is refused as such (no account has one)', async () => {
  const r = await new Client().post('/api/v1/session', { username: 'admin\u001f127.0.0.1', password: 'x' });
  assertError(r, 422, 'validation_failed', 'username');
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

test("behind a trusted proxy the client's address is the one the proxy appended, not one the client wrote", { skip: !process.env.PEIXUN_BIN && 'PEIXUN_BIN not set' }, async () => {
  const env = { PEIXUN_TRUST_PROXY: 'true', ...(BACKEND === 'sqlite' ? { PEIXUN_SECRET_KEY: '' } : {}) };
  const children = [];
  const { base } = await startServer(process.env.PEIXUN_BIN, process.env.PEIXUN_DB, env, children);
  try {
    const name = `xff${Date.now() % 100000}`;
    // a client that writes the owner's address first: the proxy appends the real one
    const r = await fetch(`${base}/api/v1/session`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '127.0.0.1, 198.51.100.7' },
      body: JSON.stringify({ username: name, password: 'wrong' }),
    });
    assert.equal(r.status, 401);
    const log = (await (await as('sysadmin')).get(`/api/v1/login-log?q=${name}`)).data.items;
    assert.deepEqual(log.map((e) => e.ip), ['198.51.100.7']);
  } finally {
    for (const c of children) c.kill('SIGKILL');
  }
});
