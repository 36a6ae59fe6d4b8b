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

// A small .xlsx of rows (arrays of cells: a string, a number, or {date: 'YYYY-MM-DD'}), as a
// platform's export is: one worksheet, inline strings, a date format on date cells, the
// parts stored (not deflated) in the zip. Enough to upload what a test needs.
export function xlsxFile(rows) {
  const esc = (t) => String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const col = (i) => (i < 26 ? '' : String.fromCharCode(64 + Math.floor(i / 26))) + String.fromCharCode(65 + (i % 26));
  const serial = (d) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) / 86400000 + 25569;
  const sheet = rows.map((r, ri) => `<row r="${ri + 1}">${r.map((v, ci) => {
    const ref = `${col(ci)}${ri + 1}`;
    if (v === null || v === undefined || v === '') return '';
    if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`;
    if (v.date) return `<c r="${ref}" s="1"><v>${serial(v.date)}</v></c>`;
    return `<c r="${ref}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`;
  }).join('')}</row>`).join('');
  const parts = {
    '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
    '_rels/.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    'xl/workbook.xml': '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="学习记录" sheetId="1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
    'xl/styles.xml': '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>',
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheet}</sheetData></worksheet>`,
  };
  const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc32 = (b) => { let c = 0xffffffff; for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const locals = [], centrals = [];
  let offset = 0;
  for (const [name, text] of Object.entries(parts)) {
    const data = Buffer.from(text, 'utf8'), nm = Buffer.from(name, 'utf8'), crc = crc32(data);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0); h.writeUInt16LE(20, 4); h.writeUInt16LE(0x0800, 6); h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(data.length, 18); h.writeUInt32LE(data.length, 22); h.writeUInt16LE(nm.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(20, 4); c.writeUInt16LE(20, 6); c.writeUInt16LE(0x0800, 8); c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(data.length, 20); c.writeUInt32LE(data.length, 24); c.writeUInt16LE(nm.length, 28); c.writeUInt32LE(offset, 42);
    locals.push(h, nm, data); centrals.push(c, nm);
    offset += 30 + nm.length + data.length;
  }
  const cd = Buffer.concat(centrals), end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(centrals.length / 2, 8); end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, cd, end]));
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
