// Acknowledged writes survive kill -9 of the server. On SQLite the test builds its own
// database and restarts the server on it; on PostgreSQL it starts a second app server on
// the shared database, writes through it, kills it, and reads through the first — which
// is also the scale-out arrangement (several stateless servers, one database).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { as, idNumber, BACKEND, BASE, PASSWORD } from './lib.mjs';

const BIN = process.env.PEIXUN_BIN;
// Ports of the servers started here: beside those of scripts/test.sh.
const PORT = Number(process.env.PEIXUN_TEST_PORT_BASE ?? 18080) + 10;
const children = [];
after(() => children.forEach((c) => c.kill('SIGKILL')));

async function startServer(db, port, env = {}) {
  const child = spawn(BIN, ['--db', db, 'serve', '--listen', `127.0.0.1:${port}`], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200) return child;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not start');
}

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
    let server = await startServer(db, PORT, env);
    const ids = await writeMany(`http://127.0.0.1:${PORT}`, 25, '120201');
    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));
    server = await startServer(db, PORT, env);
    const res = await fetch(`http://127.0.0.1:${PORT}/api/v1/session`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    const cookie = /px_session=[^;]+/.exec(res.headers.get('set-cookie'))[0];
    for (const id of ids) {
      const r = await fetch(`http://127.0.0.1:${PORT}/api/v1/cadres/${id}`, { headers: { Cookie: cookie } });
      assert.equal(r.status, 200, `cadre ${id} after kill -9`);
    }
    server.kill('SIGKILL');
  } else {
    const second = await startServer(process.env.PEIXUN_DB, PORT + 1);
    const ids = await writeMany(`http://127.0.0.1:${PORT + 1}`, 25, '120202');
    second.kill('SIGKILL');
    const admin = await as('admin'); // through the first server
    for (const id of ids) assert.equal((await admin.get(`/api/v1/cadres/${id}`)).status, 200);
    assert.ok(BASE);
  }
});
