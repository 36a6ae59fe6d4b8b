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
const OPEN_CLASS = '新任科级干部任职培训班';
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

// A class of the demo that may be arranged: a term class (the seed's class has ended, and
// an ended class is not auto-arranged).
async function seedClass(client) {
  const list = await client.get(`/api/v1/classes?q=${encodeURIComponent(OPEN_CLASS)}`);
  const c = list.data.items.find((x) => x.name === OPEN_CLASS);
  assert.ok(c, OPEN_CLASS);
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

// Two classes of a term of their own, with lectures placed by hand (no rooms, no experts).
const TERM_DAYS = ['2031-09-08', '2031-09-09', '2031-09-10', '2031-09-11', '2031-09-12'];
async function termClass(client, term, name, placed) {
  const body = { name, host: '南安市委党校', location: '南安市委党校', start_date: TERM_DAYS[0], end_date: TERM_DAYS[4], capacity: 30, kind: 'topic', term };
  const c = await client.post('/api/v1/classes', body);
  assert.equal(c.status, 201, JSON.stringify(c.data));
  for (const [i, [day, slot]] of placed.entries()) {
    const s = await client.post(`/api/v1/classes/${c.data.id}/sessions`, { kind: 'lecture', topic: `${name}第${i + 1}讲`, room_kind: 'none' });
    assert.equal(s.status, 201, JSON.stringify(s.data));
    const p = await client.put(`/api/v1/sessions/${s.data.id}/placement`, { day, slot });
    assert.equal(p.status, 200, JSON.stringify(p.data));
  }
  return { ...c.data, body };
}

async function archive(client, c) {
  const sub = await client.post(`/api/v1/classes/${c.id}/approval`, { action: 'submit' });
  assert.equal(sub.status, 200, JSON.stringify(sub.data));
  // another account of the department approves what this one submitted (SPEC §7)
  const a = await (await as('admin2')).post(`/api/v1/classes/${c.id}/approval`, { action: 'approve' });
  assert.equal(a.status, 200, JSON.stringify(a.data));
  const cur = (await client.get(`/api/v1/classes/${c.id}`)).data;
  const r = await client.put(`/api/v1/classes/${c.id}`, { ...c.body, status: 'archived', version: cur.version });
  assert.equal(r.status, 200, JSON.stringify(r.data));
}

test('a queued whole-term solve leaves alone a class archived since it was queued, and one asked for that was archived fails with a reason', async () => {
  const term = `作业测试学期${Date.now() % 100000}`;
  const odd = [[TERM_DAYS[4], 2], [TERM_DAYS[3], 2], [TERM_DAYS[2], 2], [TERM_DAYS[1], 2], [TERM_DAYS[0], 2]];
  const x = await termClass(admin, term, '整学期甲班', odd);
  const y = await termClass(admin, term, '整学期乙班', odd);
  const z = await termClass(admin, `${term}单班`, '单独丙班', odd.slice(0, 2));
  const before = { y: await placements(admin, y.id), z: await placements(admin, z.id) };
  let whole, single;
  await whileCapFull(async () => {
    const w = await admin.post(`/api/v1/classes/${x.id}/timetable/solve`, { time_limit: 2, seed: 3, keep_previous: false });
    assert.equal(w.status, 202, JSON.stringify(w.data));
    assert.equal(w.data.classes, 2, 'both classes of the term, as queued');
    whole = w.data.job_id;
    const s1 = await admin.post(`/api/v1/classes/${z.id}/timetable/solve`, { time_limit: 2, seed: 3, keep_previous: false });
    assert.equal(s1.status, 202, JSON.stringify(s1.data));
    single = s1.data.job_id;
    assert.equal((await job(admin, whole)).status, 'queued');
    // meanwhile two of the classes are archived: closed records (SPEC §7)
    await archive(admin, y);
    await archive(admin, z);
  });
  const w = await until('the whole-term solve ends', () => job(admin, whole), (j) => ENDED.includes(j.status));
  assert.equal(w.status, 'done', JSON.stringify(w.result));
  assert.equal(await placements(admin, y.id), before.y, 'the archived class stayed as it was');
  assert.deepEqual(w.result.skipped, [y.id], 'left where it is, as a class the solve respects');
  assert.equal((await admin.get(`/api/v1/classes/${x.id}/timetable`)).data.conflict_count, 0);
  const s = await until('the single solve ends', () => job(admin, single), (j) => ENDED.includes(j.status));
  assert.equal(s.status, 'failed', JSON.stringify(s));
  assert.equal(s.result.code, 'invalid_state');
  assert.match(s.result.explanation, /归档/);
  assert.equal(await placements(admin, z.id), before.z);
});

test('a class archived while the solve runs is left as it was: its proposal is not applied', async () => {
  const term = `作业运行学期${Date.now() % 100000}`;
  const odd = [[TERM_DAYS[4], 2], [TERM_DAYS[3], 2], [TERM_DAYS[2], 2], [TERM_DAYS[1], 2], [TERM_DAYS[0], 2]];
  const x = await termClass(admin, term, '运行中甲班', odd);
  const y = await termClass(admin, term, '运行中乙班', odd);
  const before = { x: await placements(admin, x.id), y: await placements(admin, y.id) };
  const r = await admin.post(`/api/v1/classes/${x.id}/timetable/solve`, { time_limit: 4, seed: 5, keep_previous: false });
  assert.equal(r.status, 202, JSON.stringify(r.data));
  assert.equal(r.data.classes, 2);
  await until('the solve runs', () => job(admin, r.data.job_id), (j) => j.status === 'running' && j.progress > 0);
  await archive(admin, y);
  const end = await until('the solve ends', () => job(admin, r.data.job_id), (j) => ENDED.includes(j.status));
  assert.equal(end.status, 'done', JSON.stringify(end.result));
  assert.deepEqual(end.result.proposal.classes, [x.id, y.id], 'it was writable when the run began');
  // the apply looks at the classes again: one is a closed record now, so nothing is written
  const a = await admin.post(`/api/v1/classes/${x.id}/timetable/apply`, { job_id: end.id });
  assertError(a, 409, 'invalid_state');
  assert.match(a.data.error.message, /归档/);
  assert.equal(await placements(admin, y.id), before.y, 'the archived class stayed as it was');
  assert.equal(await placements(admin, x.id), before.x, 'and so did the other');
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

// ---- what a queued job finds when it runs ----

// The server's solve workers (jobs_solve_max = 2) kept busy by two long solves of the class
// manager's class, so that what is queued meanwhile waits; `during` runs while they do,
// then they are cancelled (saving nothing) and the queued jobs run.
async function whileCapFull(during) {
  const manager = await as('manager');
  const mine = (await manager.get('/api/v1/classes')).data.items.find((c) => c.status !== 'archived');
  const ids = [];
  try {
    for (const seed of [71, 72]) {
      const r = await manager.post(`/api/v1/classes/${mine.id}/timetable/solve`, { time_limit: 120, seed, whole_term: false });
      assert.equal(r.status, 202, JSON.stringify(r.data));
      ids.push(r.data.job_id);
    }
    await until('the cap is full', () => Promise.all(ids.map((id) => job(manager, id))), (js) => js.every((j) => j.status === 'running'));
    await during();
  } finally {
    for (const id of ids) await manager.post(`/api/v1/jobs/${id}/cancel`);
    for (const id of ids) await until('a cap filler stops', () => job(manager, id), (j) => ENDED.includes(j.status));
  }
}

test('a solve writes nothing and no audit entry; applying its proposal is audited with the request\'s address', async () => {
  const c = await seedClass(admin);
  const before = await placements(admin, c.id);
  const sys = await as('sysadmin');
  const entries = async () => (await sys.get(`/api/v1/audit-log?entity=timetable&entity_id=${c.id}`)).data.items;
  const n = (await entries()).length;
  const r = await admin.post(`/api/v1/classes/${c.id}/timetable/solve`, { time_limit: 1, seed: 6, whole_term: false });
  assert.equal(r.status, 202, JSON.stringify(r.data));
  const done = await until('the solve ends', () => job(admin, r.data.job_id), (j) => ENDED.includes(j.status));
  assert.equal(done.status, 'done', JSON.stringify(done.result));
  assert.equal(await placements(admin, c.id), before, 'a proposal, not applied');
  assert.equal((await entries()).length, n);
  const a = await admin.post(`/api/v1/classes/${c.id}/timetable/apply`, { job_id: done.id });
  assert.equal(a.status, 200, JSON.stringify(a.data));
  const entry = (await entries()).find((e) => e.action === 'solve_apply');
  assert.ok(entry);
  assert.equal(entry.ip, '127.0.0.1');
});

// An account of its own (an organization admin of the seed's region), logged in.
async function ownAccount(name, lang) {
  const sys = await as('sysadmin');
  const body = { username: `${name}${Date.now() % 100000}`, display_name: '任务测试账号', role: 'org_admin', region_id: admin.user.region_id, password: 'Jobs-Test-2023a' };
  const made = await sys.post('/api/v1/users', body);
  assert.equal(made.status, 201, JSON.stringify(made.data));
  const client = await new Client(lang).login(body.username, 'Jobs-Test-2023a');
  if (client.user.must_change_password) {
    const pw = await client.put('/api/v1/session/password', { old_password: 'Jobs-Test-2023a', new_password: 'Jobs-Test-2024b' });
    assert.equal(pw.status, 200, JSON.stringify(pw.data));
    client.csrf = pw.data.csrf_token;
  }
  return { client, user: made.data, body, sys };
}

test('a queued job runs as its creator is when it runs: a disabled account\'s or a demoted one\'s fails with a reason in its language', { skip: !process.env.PEIXUN_DB && 'PEIXUN_DB not set' }, async () => {
  const c = await seedClass(admin);
  const before = await placements(admin, c.id);
  const gone = await ownAccount('jobsgone', 'en');
  const demoted = await ownAccount('jobsdemoted', 'zh-CN');
  const queued = {};
  await whileCapFull(async () => {
    for (const [k, who] of Object.entries({ gone, demoted })) {
      const r = await who.client.post(`/api/v1/classes/${c.id}/timetable/solve`, { time_limit: 2, seed: 8, whole_term: false, keep_previous: false });
      assert.equal(r.status, 202, JSON.stringify(r.data));
      queued[k] = r.data.job_id;
    }
    const change = async (who, what) => {
      const { version } = (await who.sys.get(`/api/v1/users/${who.user.id}`)).data;
      const r = await who.sys.put(`/api/v1/users/${who.user.id}`, { ...who.body, ...what, version });
      assert.equal(r.status, 200, JSON.stringify(r.data));
    };
    await change(gone, { active: false });
    await change(demoted, { role: 'viewer' });
  });
  // neither creator can read its job any more: the database tells
  const ended = async (id) => until('the job ends', async () => jobRow(process.env.PEIXUN_DB, id), (j) => ENDED.includes(j.status));
  const g = await ended(queued.gone);
  assert.equal(g.status, 'failed', JSON.stringify(g));
  assert.match(g.result.explanation, /disabled/);
  const d = await ended(queued.demoted);
  assert.equal(d.status, 'failed', JSON.stringify(d));
  assert.match(d.result.explanation, /无权/);
  assert.equal(await placements(admin, c.id), before, 'nothing was saved');
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

// SQL on a database the tests can reach: the servers' own (PEIXUN_DB) or one of their own.
function sql(db, text) {
  const out = BACKEND === 'sqlite'
    ? execFileSync('sqlite3', ['-cmd', '.timeout 10000', db, text])
    : execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', db, '-c', text]);
  return out.toString().trim();
}
function jobRow(db, id) {
  const [status, result] = sql(db, `SELECT status || '|' || result_json FROM jobs WHERE id = ${Number(id)}`).split(/\|(.*)/s);
  return { status, result: JSON.parse(result || '{}') };
}

// ---- two servers on a database of their own: stops, rescues, lost connections ----

// A database of its own with the demo (a SQLite file, or PostgreSQL's peixun_jobs2), and
// the SQL that reaches it.
async function ownDatabase(name) {
  let db, env = { ...fastClock };
  if (BACKEND === 'sqlite') {
    db = join(mkdtempSync(join(process.env.PEIXUN_TMP ?? '/tmp', `${name}-`)), 'jobs.db');
    env.PEIXUN_SECRET_KEY = '';
  } else {
    db = process.env.PEIXUN_DB.replace(/\/peixun$/, `/${name}`);
    assert.notEqual(db, process.env.PEIXUN_DB);
    sql(process.env.PEIXUN_DB, `DROP DATABASE IF EXISTS ${name}`);
    sql(process.env.PEIXUN_DB, `CREATE DATABASE ${name}`);
  }
  execFileSync(BIN, ['--db', db, 'demo', '--password', PASSWORD, '--cadres', '200'], { env: { ...process.env, ...env }, stdio: 'ignore' });
  return { db, env };
}

const stopped = (child, signal) => new Promise((res) => {
  if (child.exitCode !== null || child.signalCode) res();
  else { child.once('exit', res); child.kill(signal); }
});

async function loginAs(port, username) {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }),
  });
  assert.equal(res.status, 201);
  const cookie = /px_session=[^;]+/.exec(res.headers.get('set-cookie'))[0];
  const data = await res.json();
  return { cookie, csrf: data.csrf_token, user: data.user };
}

test('stops, rescues and lost connections never lose a cancel nor run a job as someone else', { skip: !BIN && 'PEIXUN_BIN not set' }, async (t) => {
  const { db, env } = await ownDatabase('peixun_jobs2');
  const servers = [await startServer(db, PORT + 2, env), await startServer(db, PORT + 3, env)];
  const login = await loginAs(PORT + 2, 'admin');
  const viaA = new At(PORT + 2, login);
  const viaB = new At(PORT + 3, login);
  const c = await seedClass(viaA);
  const now = () => Math.floor(Date.now() / 1000);
  try {
    await t.test('a cancel that reaches a running solve as its server stops is not lost', async () => {
      const r = await viaA.post(`/api/v1/classes/${c.id}/timetable/solve`, { time_limit: 60, seed: 12, whole_term: false });
      assert.equal(r.status, 202, JSON.stringify(r.data));
      const id = r.data.job_id;
      const first = await until('a server runs the solve', () => job(viaA, id), (j) => j.status === 'running');
      const owner = sql(db, `SELECT owner FROM jobs WHERE id = ${id}`);
      const k = owner.includes(`:${servers[0].pid}:`) ? 0 : 1;
      const other = k === 0 ? viaB : viaA;
      // the cancel, then at once SIGTERM to its server, before its run sees the mark
      try {
        const cr = await other.post(`/api/v1/jobs/${id}/cancel`);
        assert.equal(cr.status, 200, JSON.stringify(cr.data));
        await stopped(servers[k], 'SIGTERM');
        console.log(`# cancel, then SIGTERM to the server running it: ${JSON.stringify(await job(other, id)).slice(0, 200)}`);
        // the other server goes on polling: the job must not run again
        await sleep(1500);
        const end = await job(other, id);
        assert.equal(end.status, 'cancelled', JSON.stringify(end));
        assert.equal(end.attempts, first.attempts);
      } finally {
        await other.post(`/api/v1/jobs/${id}/cancel`);
        servers[k] = await startServer(db, PORT + 2 + k, env);
      }
    });

    await t.test('a lost import whose cancel was marked ends failed with its reason, not cancelled', async () => {
      // as left by a server killed during an import marked cancelled by an older version
      const id = sql(db, `INSERT INTO jobs (kind, status, progress, params_json, result_json, lang, created_by, creator_role, owner, attempts, cancel_requested, created_at, updated_at, started_at, heartbeat_at)
        VALUES ('registry.import', 'running', 0, '{"kind":"cadres","filename":"x.csv","dry_run":false}', '{}', 'en', ${login.user.id}, 'org_admin', 'gone:1:x', 1, 1, ${now() - 100}, ${now() - 100}, ${now() - 100}, ${now() - 100}) RETURNING id`);
      const end = await until('the lost import is rescued', () => job(viaA, id), (j) => ENDED.includes(j.status), 30000);
      assert.equal(end.status, 'failed', JSON.stringify(end));
      assert.equal(end.result.code, 'server_lost');
      assert.match(end.result.explanation, /import log/);
    });

    await t.test('a queued job without a creator is not run as the shell', async () => {
      const params = JSON.stringify({ class_id: c.id, classes: [c.id], time_limit_ms: 1000, max_iterations: 0, seed: 1, keep_previous: true });
      const id = sql(db, `INSERT INTO jobs (kind, status, progress, params_json, result_json, lang, created_at, updated_at)
        VALUES ('timetable.solve', 'queued', 0, '${params}', '{}', 'en', ${now()}, ${now()}) RETURNING id`);
      const end = await until('the creatorless job ends', async () => jobRow(db, id), (j) => ENDED.includes(j.status), 30000);
      assert.equal(end.status, 'failed', JSON.stringify(end));
      assert.equal(end.result.code, 'forbidden');
    });


    await t.test('PostgreSQL: a runner whose connections were cut opens them again', { skip: BACKEND !== 'postgresql' && 'PostgreSQL only' }, async () => {
      // the runner's connections are those that claim, beat, rescue or write progress
      const cut = () => Number(sql(db, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND (query LIKE 'UPDATE jobs SET status = ''running''%' OR query LIKE 'UPDATE jobs SET progress%' OR query LIKE 'UPDATE jobs SET heartbeat_at%' OR query LIKE 'SELECT id, kind, attempts, lang, cancel_requested, owner, heartbeat_at FROM jobs%')`));
      await sleep(1500); // every worker has polled, every keeper has looked for lapsed jobs
      console.log(`# cut ${cut()} connections of idle runners`);
      const r = await viaA.post(`/api/v1/classes/${c.id}/timetable/solve`, { time_limit: 30, seed: 13, whole_term: false });
      assert.equal(r.status, 202, JSON.stringify(r.data));
      const id = r.data.job_id;
      const running = await until('a worker claims the solve', () => job(viaA, id), (j) => j.status === 'running' && j.progress > 0, 30000);
      // cut them again while it runs: its server must keep beating (else the other one
      // rescues it), see the cancel, and record how it ended
      await sleep(1500);
      console.log(`# cut ${cut()} connections while a solve runs`);
      await sleep(Number(env.PEIXUN_JOBS_LAPSE_SECONDS) * 1000 + 2000);
      const still = await job(viaA, id);
      assert.equal(still.status, 'running', JSON.stringify(still));
      assert.equal(still.attempts, running.attempts, 'not rescued: its server beat on');
      assert.equal((await viaA.post(`/api/v1/jobs/${id}/cancel`)).status, 200);
      const end = await until('the solve stops', () => job(viaA, id), (j) => ENDED.includes(j.status), 30000);
      assert.equal(end.status, 'cancelled', JSON.stringify(end));
    });
  } finally {
    for (const server of servers) await stopped(server, 'SIGTERM');
  }
});
