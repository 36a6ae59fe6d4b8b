// lib.mjs — a small HTTP client for the API tests: cookies, the CSRF header, JSON.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

export const BASE = process.env.PEIXUN_URL ?? 'http://127.0.0.1:18080';
export const PASSWORD = process.env.PEIXUN_PASSWORD ?? 'Demo-Peixun-2023';
export const BACKEND = process.env.PEIXUN_BACKEND ?? 'sqlite';

export class Client {
  // base: another server than the suite's (one a test started itself)
  constructor(lang = 'zh-CN', base = BASE) {
    this.base = base;
    this.cookie = '';
    this.csrf = '';
    this.user = null;
    this.lang = lang;
  }

  async raw(method, path, { body, headers = {}, csrf = true, json = true } = {}) {
    const h = { 'Accept-Language': this.lang, ...headers };
    if (this.cookie) h.Cookie = this.cookie;
    if (csrf && this.csrf && method !== 'GET') h['X-CSRF-Token'] = this.csrf;
    let payload = body;
    if (body !== undefined && json && !(body instanceof Uint8Array) && typeof body !== 'string') {
      payload = JSON.stringify(body);
      h['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual' });
    const set = res.headers.get('set-cookie');
    if (set) {
      const m = /px_session=([^;]*)/.exec(set);
      if (m) this.cookie = m[1] ? `px_session=${m[1]}` : '';
    }
    const type = res.headers.get('content-type') ?? '';
    const data = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, data, setCookie: set };
  }

  get(path, opts) { return this.raw('GET', path, opts); }
  post(path, body, opts) { return this.raw('POST', path, { ...opts, body }); }
  put(path, body, opts) { return this.raw('PUT', path, { ...opts, body }); }
  del(path, opts) { return this.raw('DELETE', path, opts); }

  async login(username, password = PASSWORD) {
    const r = await this.post('/api/v1/session', { username, password });
    assert.equal(r.status, 201, `login ${username}: ${JSON.stringify(r.data)}`);
    this.csrf = r.data.csrf_token;
    this.user = r.data.user;
    return this;
  }
}

export async function as(username, lang) {
  return new Client(lang).login(username);
}

// Assert an error envelope: status, code, and (optionally) a detail for a field.
export function assertError(r, status, code, field) {
  assert.equal(r.status, status, JSON.stringify(r.data));
  assert.ok(r.data.error, 'error envelope');
  assert.equal(r.data.error.code, code, JSON.stringify(r.data));
  assert.equal(typeof r.data.error.message, 'string');
  assert.ok(Array.isArray(r.data.error.details));
  if (field) {
    assert.ok(r.data.error.details.some((d) => d.field === field),
      `a detail for ${field}: ${JSON.stringify(r.data.error.details)}`);
  }
}

// A valid synthetic ID number (GB 11643 check digit) for a birth date and sequence.
export function idNumber(region, ymd, seq) {
  const d17 = `${region}${ymd}${String(seq).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...d17].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return d17 + '10X98765432'[sum % 11];
}

// Distinct ID numbers without randomness: each test file passes its own region code
// (110101, 110102 …), so files cannot collide with each other or with the demo (350583).
const counters = new Map();
export function uniqueId(region) {
  const n = (counters.get(region) ?? 0) + 1;
  counters.set(region, n);
  const month = String(1 + (Math.floor(n / 28) % 12)).padStart(2, '0');
  const day = String(1 + (n % 28)).padStart(2, '0');
  return idNumber(region, `19${70 + Math.floor(n / 336)}${month}${day}`, n % 1000);
}

export async function regionId(client, name) {
  const r = await client.get('/api/v1/regions');
  const g = r.data.items.find((x) => x.name === name);
  assert.ok(g, `region ${name}`);
  return g.id;
}

export async function unitByName(client, name) {
  const r = await client.get(`/api/v1/units?q=${encodeURIComponent(name)}&page_size=50`);
  const u = r.data.items.find((x) => x.name === name);
  assert.ok(u, `unit ${name}`);
  return u;
}

// The text of every XML part of an .xlsx (a zip), concatenated: enough to check what a
// generated workbook says without a spreadsheet library.
import zlib from 'node:zlib';
export function xlsxText(buf) {
  assert.equal(buf.readUInt32LE(0), 0x04034b50, 'a zip file');
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'zip end record');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  let text = '';
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30);
    const comment = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString();
    const lStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(lStart, lStart + size);
    if (name.endsWith('.xml')) text += (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8');
    p += 46 + nameLen + extra + comment;
  }
  return text;
}

// A peixun server of a test's own: on a port the kernel says is free (a listener on port 0,
// closed again), and up only when this process says it serves there — its "serving" line on
// stdout — and /healthz answers. Whatever else answers on a port cannot pass for it: a
// second server on a port in use fails to start (no SO_REUSEPORT) and the start is refused.
export async function startServer(bin, db, env = {}, children = [], at = 0, cwd = undefined) {
  const { createServer } = await import('node:net');
  const { spawn } = await import('node:child_process');
  const port = at || await new Promise((resolve, reject) => {
    const s = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
  const child = spawn(bin, ['--db', db, 'serve', '--listen', `127.0.0.1:${port}`], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'], cwd,
  });
  children.push(child);
  let out = '';
  const serving = new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes(`peixun serving http://127.0.0.1:${port}/`)) resolve();
    });
    child.once('exit', (code, sig) => reject(new Error(`server exited (${code ?? sig}) before serving: ${out}`)));
  });
  await serving;
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 400; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).status === 200) return { child, port, base };
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server on ${port} did not answer /healthz`);
}

// A statement straight on the server's database (PEIXUN_DB), for what no route shows:
// sqlite3 (waiting up to a minute for the write lock) or psql. Its rows as text.
export function sql(text) {
  const db = process.env.PEIXUN_DB;
  return BACKEND === 'sqlite'
    ? execFileSync('sqlite3', ['-cmd', '.timeout 60000', db, text]).toString().trim()
    : execFileSync('psql', ['-qtA', '-d', db, '-c', text]).toString().trim();
}

// Wait until no job of these kinds is queued or running, for as long as they move on (a
// ledger.evaluate job of the demo's 3,000 cadres takes minutes under the sanitizers): the
// jobs that rule versions queue commit cadre after cadre, which would retire cached replies
// and replace compliance rows under a test that counts on neither. Throws when they stop
// moving for a minute and a half.
export async function jobsIdle(kinds = ['ledger.evaluate']) {
  if (!process.env.PEIXUN_DB) return;
  const list = kinds.map((k) => `'${k}'`).join(', ');
  let seen = '', still = 0;
  for (;;) {
    const now = sql(`SELECT COUNT(*), COALESCE(SUM(progress), 0), COALESCE(MAX(updated_at), 0) FROM jobs WHERE kind IN (${list}) AND status IN ('queued', 'running')`);
    if (now.startsWith('0|') || now.startsWith('0\t') || now === '0') return;
    still = now === seen ? still + 1 : 0;
    seen = now;
    if (still > 450) throw new Error(`jobs of ${list} have not moved for 90 s: ${now}`);
    await new Promise((ok) => setTimeout(ok, 200));
  }
}

// Wait for one's own job to finish (done, failed or cancelled) for as long as it moves on;
// throws when its progress stands still for a minute and a half. The job's last view.
export async function jobDone(client, id) {
  let seen = '', still = 0;
  for (;;) {
    const job = (await client.get(`/api/v1/jobs/${id}`)).data;
    if (['done', 'failed', 'cancelled'].includes(job.status)) return job;
    const now = `${job.status} ${job.progress} ${job.updated_at}`;
    still = now === seen ? still + 1 : 0;
    seen = now;
    if (still > 450) throw new Error(`job ${id} has not moved for 90 s: ${JSON.stringify(job)}`);
    await new Promise((ok) => setTimeout(ok, 200));
  }
}
