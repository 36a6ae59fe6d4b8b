// The job runner: background jobs live in the database, so any server reports them and
// another takes over when one dies. Cancel, the cap per kind (over the server's cap a
// solve waits queued; over one's own limit it is refused), scope (one's own jobs only),
// large imports as jobs, and kill -9 of the server running a solve: started on server A,
// watched through server B, finished by B (or failed with a reason) after A is killed —
// on both backends, with two processes on one database (a SQLite file of its own, or
// PostgreSQL's peixun_jobs).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { as, assertError, idNumber, Client, BACKEND, PASSWORD } from './lib.mjs';

const BIN = process.env.PEIXUN_BIN;
const SEED = '南安市领导干部学习贯彻党的二十大精神暨政治能力提升培训班';
// Ports of the servers started here: beside those of scripts/test.sh and durability's.
const PORT = Number(process.env.PEIXUN_TEST_PORT_BASE ?? 18080) + 20;
const ENDED = ['done', 'failed', 'cancelled'];
const children = [];
after(() => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Poll until ok(value) or a generous deadline (no timing is asserted, only the order).
async function until(what, get, ok, ms = 120000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(v).slice(0, 300)}`);
    await sleep(200);
  }
}

const job = async (client, id) => {
  const r = await client.get(`/api/v1/jobs/${id}`);
  assert.equal(r.status, 200, JSON.stringify(r.data));
  return r.data;
};

async function seedClass(client) {
  const list = await client.get(`/api/v1/classes?q=${encodeURIComponent('二十大精神')}`);
  const c = list.data.items.find((x) => x.name === SEED);
  assert.ok(c, 'the seed class');
  return c;
}

const placements = async (client, id) => (await client.get(`/api/v1/classes/${id}/timetable`)).data.sessions
  .map((s) => `${s.id}:${s.day}/${s.slot}/${s.room?.id}`).sort().join(' ');

let admin;
test('setup', async () => { admin = await as('admin'); });

test('over the cap a solve waits queued, over one\'s limit it is refused; cancel stops both kinds of wait and saves nothing', async () => {
  const c = await seedClass(admin);
  const before = await placements(admin, c.id);
  const ids = [];
  try {
    // the server runs 2 solves at once (jobs_solve_max): the third waits in the queue
    for (let i = 0; i < 3; i++) {
      const r = await admin.post(`/api/v1/classes/${c.id}/timetable/solve`, { time_limit: 120, seed: 20 + i, whole_term: false });
      assert.equal(r.status, 202, JSON.stringify(r.data));
      assert.equal(r.data.status, 'queued');
      ids.push(r.data.job_id);
    }
    await until('two solves running', async () => Promise.all(ids.slice(0, 2).map((id) => job(admin, id))),
      (js) => js.every((j) => j.status === 'running'));
    const third = await job(admin, ids[2]);
    assert.equal(third.status, 'queued', 'over the cap it waits');
    assert.equal(third.attempts, 0);
    // a fourth unfinished solve of one user is refused, in the user's words
    const fourth = await admin.post(`/api/v1/classes/${c.id}/timetable/solve`, { time_limit: 1 });
    assertError(fourth, 503, 'busy');
    assert.match(fourth.data.error.message, /3 个自动排课任务/);
    // cancel the queued one: at once
    const cq = await admin.post(`/api/v1/jobs/${ids[2]}/cancel`);
    assert.equal(cq.status, 200, JSON.stringify(cq.data));
    assert.equal(cq.data.status, 'cancelled');
    // cancel a running one: marked, and its run stops at its next step
    const cr = await admin.post(`/api/v1/jobs/${ids[0]}/cancel`);
    assert.equal(cr.status, 200, JSON.stringify(cr.data));
    assert.equal(cr.data.cancel_requested, true);
    const stopped = await until('the cancelled solve stops', () => job(admin, ids[0]), (j) => ENDED.includes(j.status));
    assert.equal(stopped.status, 'cancelled', JSON.stringify(stopped));
    assert.equal(stopped.result.code, 'cancelled');
    // a job that has ended has nothing to cancel
    assertError(await admin.post(`/api/v1/jobs/${ids[0]}/cancel`), 409, 'invalid_state');
    // the cap freed a place: nothing is queued any more, and the running one is cancelled too
    assert.equal((await admin.post(`/api/v1/jobs/${ids[1]}/cancel`)).status, 200);
    const second = await until('the second solve stops', () => job(admin, ids[1]), (j) => ENDED.includes(j.status));
    assert.equal(second.status, 'cancelled');
    assert.equal(await placements(admin, c.id), before, 'a cancelled solve saves nothing');
    // cancels are audited
    const log = await (await as('sysadmin')).get(`/api/v1/audit-log?entity=job&entity_id=${ids[0]}`);
    assert.ok(log.data.items.some((e) => e.action === 'cancel' && e.username === 'admin'), JSON.stringify(log.data));
  } finally {
    for (const id of ids) await admin.post(`/api/v1/jobs/${id}/cancel`);
  }
});

test('a job is its creator\'s: anyone else, whatever their role, finds nothing', async () => {
  const c = await seedClass(admin);
  const r = await admin.post(`/api/v1/classes/${c.id}/timetable/solve`, { time_limit: 1, seed: 5, whole_term: false });
  assert.equal(r.status, 202);
  const id = r.data.job_id;
  for (const name of ['manager', 'liaison1', 'trainee1', 'viewer1', 'sysadmin']) {
    const other = await as(name);
    assertError(await other.get(`/api/v1/jobs/${id}`), 404, 'not_found');
    assertError(await other.post(`/api/v1/jobs/${id}/cancel`), 404, 'not_found');
  }
  assertError(await admin.get('/api/v1/jobs/99999999'), 404, 'not_found');
  assertError(await new Client().get(`/api/v1/jobs/${id}`), 401, 'unauthenticated');
  const done = await until('the solve ends', () => job(admin, id), (j) => ENDED.includes(j.status));
  assert.equal(done.status, 'done', JSON.stringify(done.result));
  assert.equal(done.kind, 'timetable.solve');
  assert.equal(done.progress, 1);
  assert.equal(done.result.feasible, true);
});

test('one user\'s unfinished solves stay within the limit however many are asked for at once', async () => {
  const c = await seedClass(admin);
  const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => admin.post(`/api/v1/classes/${c.id}/timetable/solve`, { time_limit: 60, seed: 40 + i, whole_term: false })));
  const ids = replies.filter((r) => r.status === 202).map((r) => r.data.job_id);
  try {
    console.log(`# 8 at once: ${replies.map((r) => r.status).join(' ')}`);
    assert.equal(ids.length, 3, 'the limit is 3');
    for (const r of replies.filter((x) => x.status !== 202)) assertError(r, 503, 'busy');
  } finally {
    for (const id of ids) await admin.post(`/api/v1/jobs/${id}/cancel`);
    for (const id of ids) await until('a solve stops', () => job(admin, id), (j) => ENDED.includes(j.status));
  }
});

test('a large import as a job: 202, then the synchronous reply as its result; a rejected file too; nothing personal in clear', async () => {
  const id = (n) => idNumber('120401', '19880101', n);
  const upload = (body, q = '') => admin.raw('POST', `/api/v1/imports?kind=cadres&filename=${encodeURIComponent('后台.csv')}&async=1${q}`, {
    body: new Uint8Array(Buffer.from(body)), json: false, headers: { 'Content-Type': 'application/octet-stream' },
  });
  const good = ['姓名,身份证号,单位,职级层次,干部类别', `后台甲,${id(1)},溪美街道,一般干部,公务员`, `后台乙,${id(2)},柳城街道,一般干部,公务员`].join('\n');
  const q = await upload(good);
  assert.equal(q.status, 202, JSON.stringify(q.data));
  assert.equal(q.data.status, 'queued');
  const done = await until('the import job ends', () => job(admin, q.data.job_id), (j) => ENDED.includes(j.status));
  assert.equal(done.status, 'done', JSON.stringify(done.result));
  assert.equal(done.kind, 'registry.import');
  assert.equal(done.result.status, 'imported');
  assert.equal(done.result.format, 'csv');
  assert.equal(done.result.total_rows, 2);
  assert.equal(done.result.imported_rows, 2);
  assert.equal(done.result.error_count, 0);
  assert.equal((await admin.get(`/api/v1/imports/${done.result.id}`)).data.status, 'imported');
  assert.equal((await admin.get(`/api/v1/cadres?q=${encodeURIComponent('后台甲')}`)).data.total, 1);
  // a rejected file: failed, with the row-by-row details and the import run's report
  const bad = ['姓名,身份证号,单位,职级层次,干部类别', `后台丙,${id(3)},溪美街道,一般干部,公务员`, '后台丁,350583199001011234,溪美街道,一般干部,公务员'].join('\n');
  const qb = await upload(bad);
  assert.equal(qb.status, 202);
  const failed = await until('the rejected import ends', () => job(admin, qb.data.job_id), (j) => ENDED.includes(j.status));
  assert.equal(failed.status, 'failed');
  assert.equal(failed.result.code, 'import_rejected');
  assert.ok(failed.result.details.some((d) => d.row === 3 && d.field === 'id_number'), JSON.stringify(failed.result));
  assert.equal(failed.result.error_count, 1);
  assert.equal((await admin.get(`/api/v1/imports/${failed.result.import_id}/report`)).status, 200);
  assert.equal((await admin.get(`/api/v1/cadres?q=${encodeURIComponent('后台丙')}`)).data.total, 0);
  // checked as a synchronous import is: the kind, the permission, an empty file
  assertError(await admin.raw('POST', '/api/v1/imports?kind=planets&async=1', { body: new Uint8Array(Buffer.from(good)), json: false }), 422, 'validation_failed', 'kind');
  assertError(await upload(''), 422, 'bad_file');
  const viewer = await as('viewer1');
  assert.equal((await viewer.raw('POST', '/api/v1/imports?kind=cadres&async=1', { body: new Uint8Array(Buffer.from(good)), json: false })).status, 403);
  // the upload was kept sealed: the ID numbers are nowhere in the database's files
  if (BACKEND === 'sqlite' && process.env.PEIXUN_DB && existsSync(process.env.PEIXUN_DB)) {
    for (const f of [process.env.PEIXUN_DB, `${process.env.PEIXUN_DB}-wal`].filter(existsSync)) {
      const bytes = readFileSync(f);
      for (const n of [1, 2, 3]) assert.equal(bytes.indexOf(id(n)), -1, `${id(n)} in clear in ${f}`);
    }
  }
});

// ---- two servers on one database, one of them killed ----

const fastClock = { PEIXUN_JOBS_HEARTBEAT_SECONDS: '1', PEIXUN_JOBS_LAPSE_SECONDS: '4', PEIXUN_JOBS_POLL_MS: '200' };

async function startServer(db, port, env) {
  const child = spawn(BIN, ['--db', db, 'serve', '--listen', `127.0.0.1:${port}`], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  for (let i = 0; i < 400; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200) return child;
    } catch { /* not up yet */ }
    await sleep(50);
  }
  throw new Error('server did not start');
}

// A client of one server (A or B) with a login's cookie: sessions are in the database, so
// a login through one server is good on the other.
class At extends Client {
  constructor(port, login) {
    super();
    this.base = `http://127.0.0.1:${port}`;
    Object.assign(this, login);
  }

  async raw(method, path, { body } = {}) {
    const headers = { 'Accept-Language': this.lang, Cookie: this.cookie, 'Content-Type': 'application/json' };
    if (method !== 'GET') headers['X-CSRF-Token'] = this.csrf;
    const res = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, data: await res.json() };
  }
}

test('kill -9 of the server running a solve: another server reports its progress meanwhile, then takes it over', { skip: !BIN && 'PEIXUN_BIN not set' }, async () => {
  // a database of its own, so that only A and B run jobs on it
  let db, env = { ...fastClock };
  if (BACKEND === 'sqlite') {
    const dir = mkdtempSync(join(process.env.PEIXUN_TMP ?? '/tmp', 'jobs-'));
    db = join(dir, 'jobs.db');
    env.PEIXUN_SECRET_KEY = '';
  } else {
    db = process.env.PEIXUN_DB.replace(/\/peixun$/, '/peixun_jobs');
    assert.notEqual(db, process.env.PEIXUN_DB);
  }
  execFileSync(BIN, ['--db', db, 'demo', '--password', PASSWORD, '--cadres', '200'], { env: { ...process.env, ...env }, stdio: 'ignore' });
  const a = await startServer(db, PORT, env);
  const viaA = new At(PORT, await loginAt(PORT));
  const c = await seedClass(viaA);
  const r = await viaA.post(`/api/v1/classes/${c.id}/timetable/solve`, { time_limit: 20, seed: 9, whole_term: false });
  assert.equal(r.status, 202, JSON.stringify(r.data));
  const id = r.data.job_id;
  // only A runs jobs on this database so far: the solve is A's
  await until('A runs the solve', () => job(viaA, id), (j) => j.status === 'running' && j.progress > 0);
  const b = await startServer(db, PORT + 1, env);
  const viaB = new At(PORT + 1, { cookie: viaA.cookie, csrf: viaA.csrf });
  // B reports the progress of A's run as it moves
  const seen = [];
  await until('progress through B while A runs', async () => {
    const j = await job(viaB, id);
    assert.equal(j.status, 'running', JSON.stringify(j));
    assert.equal(j.attempts, 1, 'still A\'s first run');
    if (!seen.includes(j.progress)) seen.push(j.progress);
    return seen;
  }, (s) => s.length >= 3);
  console.log(`# through B while A runs: progress ${seen.map((p) => p.toFixed(3)).join(' → ')}`);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] > seen[i - 1], 'progress moves forward');
  a.kill('SIGKILL');
  await new Promise((res) => (a.exitCode !== null || a.signalCode ? res() : a.once('exit', res)));
  console.log('# A killed (SIGKILL)');
  // B notices the silence, takes the solve over (it may run again) and finishes it
  const taken = [];
  const end = await until('the solve ends through B', async () => {
    const j = await job(viaB, id);
    if (j.status === 'running' && j.attempts === 2 && !taken.includes(j.progress)) taken.push(j.progress);
    return j;
  }, (j) => ENDED.includes(j.status));
  console.log(`# through B after the kill: ${taken.length ? `run again, progress ${taken.map((p) => p.toFixed(3)).join(' → ')}; ` : ''}${end.status} after ${end.attempts} attempts: ${JSON.stringify(end.result).slice(0, 160)}`);
  if (end.status === 'done') {
    assert.equal(end.attempts, 2, 'run again by B');
    assert.equal(end.result.feasible, true);
    assert.equal((await viaB.get(`/api/v1/classes/${c.id}/timetable`)).data.conflict_count, 0);
  } else {
    assert.equal(end.status, 'failed', JSON.stringify(end));
    assert.equal(end.result.code, 'server_lost');
    assert.ok(end.result.explanation.length > 10, 'a reason in the user\'s words');
  }
  // the command line runs the same job kind now, without a server
  b.kill('SIGTERM');
  await new Promise((res) => (b.exitCode !== null ? res() : b.once('exit', res)));
  const out = execFileSync(BIN, ['--db', db, 'solve', '--class', String(c.id), '--iterations', '3000', '--class-only'], { env: { ...process.env, ...env } }).toString();
  assert.match(out, /sessions placed/);
});

async function loginAt(port) {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  assert.equal(res.status, 201);
  const cookie = /px_session=[^;]+/.exec(res.headers.get('set-cookie'))[0];
  return { cookie, csrf: (await res.json()).csrf_token };
}
