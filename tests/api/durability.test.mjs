// Acknowledged writes survive kill -9 of the server. On SQLite the test builds its own
// database and restarts the server on it; on PostgreSQL it starts a second app server on
// the shared database, writes through it, kills it, and reads through the first — which
// is also the scale-out arrangement (several stateless servers, one database).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { as, idNumber, BACKEND, BASE, PASSWORD, startServer } from './lib.mjs';

const BIN = process.env.PEIXUN_BIN;
const children = [];
after(() => children.forEach((c) => c.kill('SIGKILL')));

async function writeMany(base, count, region) {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  const cookie = /px_session=[^;]+/.exec(res.headers.get('set-cookie'))[0];
  const { csrf_token: csrf } = await res.json();
  const headers = { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf };
  const units = await (await fetch(`${base}/api/v1/units?q=${encodeURIComponent('水头镇')}`, { headers })).json();
  const ids = [];
  for (let i = 1; i <= count; i++) {
    const r = await fetch(`${base}/api/v1/cadres`, {
      method: 'POST', headers,
      body: JSON.stringify({ name: `持久${"甲乙丙丁戊己庚辛壬癸"[i % 10]}${"子丑寅卯辰巳午未申酉戌亥"[Math.floor(i / 10) % 12]}`, id_number: idNumber(region, '19920101', i), unit_id: units.items[0].id, rank_level: 'general', category: 'civil_servant' }),
    });
    assert.equal(r.status, 201);
    ids.push((await r.json()).id);
  }
  return ids;
}

test('acknowledged writes survive kill -9', { skip: !BIN && 'PEIXUN_BIN not set' }, async () => {
  if (BACKEND === 'sqlite') {
    const dir = mkdtempSync(join(process.env.PEIXUN_TMP ?? '/tmp', 'durable-'));
    const db = join(dir, 'd.db');
    execFileSync(BIN, ['--db', db, 'demo', '--password', PASSWORD, '--cadres', '200'], { env: { ...process.env, PEIXUN_SECRET_KEY: '' } });
    const env = { PEIXUN_SECRET_KEY: '' };
    let { child: server, base } = await startServer(BIN, db, env, children);
    const ids = await writeMany(base, 25, '120201');
    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));
    ({ child: server, base } = await startServer(BIN, db, env, children));
    const res = await fetch(`${base}/api/v1/session`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    const cookie = /px_session=[^;]+/.exec(res.headers.get('set-cookie'))[0];
    for (const id of ids) {
      const r = await fetch(`${base}/api/v1/cadres/${id}`, { headers: { Cookie: cookie } });
      assert.equal(r.status, 200, `cadre ${id} after kill -9`);
    }
    server.kill('SIGKILL');
  } else {
    const { child: second, base } = await startServer(BIN, process.env.PEIXUN_DB, {}, children);
    const ids = await writeMany(base, 25, '120202');
    second.kill('SIGKILL');
    const admin = await as('admin'); // through the first server
    for (const id of ids) assert.equal((await admin.get(`/api/v1/cadres/${id}`)).status, 200);
    assert.ok(BASE);
  }
});

test('a server killed with connections open starts again on its port at once', { skip: !BIN && 'PEIXUN_BIN not set' }, async () => {
  const env = BACKEND === 'sqlite' ? { PEIXUN_SECRET_KEY: '' } : {};
  let { child: server, port, base } = await startServer(BIN, process.env.PEIXUN_DB, env, children);
  // connections the server closes first leave its side of them in TIME_WAIT for a minute
  for (let i = 0; i < 5; i++) assert.equal((await fetch(`${base}/healthz`)).status, 200);
  server.kill('SIGKILL');
  await new Promise((r) => server.once('exit', r));
  ({ child: server } = await startServer(BIN, process.env.PEIXUN_DB, env, children, port));
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
  server.kill('SIGKILL');
});

test('a server started from any directory serves the web UI, not only from the checkout', { skip: !BIN && 'PEIXUN_BIN not set' }, async () => {
  const { resolve } = await import('node:path');
  const env = BACKEND === 'sqlite' ? { PEIXUN_SECRET_KEY: '' } : {};
  const elsewhere = mkdtempSync(join(process.env.PEIXUN_TMP ?? '/tmp', 'cwd-'));
  const db = /^postgres/.test(process.env.PEIXUN_DB) ? process.env.PEIXUN_DB : resolve(process.env.PEIXUN_DB);
  const { child, base } = await startServer(resolve(BIN), db, env, children, 0, elsewhere);
  const page = await fetch(`${base}/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  assert.match(await page.text(), /<div id="app"/);
  // and a page of the app's own routes (history mode) too
  assert.equal((await fetch(`${base}/registry`)).status, 200);
  child.kill('SIGKILL');
});

test('a second server on a port in use does not start (nor share the port with the first)', { skip: !BIN && 'PEIXUN_BIN not set' }, async () => {
  const { spawnSync } = await import('node:child_process');
  const { port } = new URL(BASE);
  // the key of the database the suite's server runs on (a SQLite file's key file beside it)
  const env = BACKEND === 'sqlite' ? { ...process.env, PEIXUN_SECRET_KEY: '' } : process.env;
  const r = spawnSync(BIN, ['--db', process.env.PEIXUN_DB, 'serve', '--listen', `127.0.0.1:${port}`], {
    env, encoding: 'utf8', timeout: 20000,
  });
  assert.notEqual(r.status, 0, 'it must fail, not serve');
  assert.match(r.stderr, /cannot listen on 127\.0\.0\.1:\d+/);
});
