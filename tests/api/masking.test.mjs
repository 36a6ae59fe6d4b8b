// Personal data as roles without cadre.reveal see it (issue 9, items 1 and 4): whatever a
// unit liaison or a class manager reads about a cadre — the list, the record, its history,
// the masked export — taken together, leaves the ID number undetermined; and no ID or phone
// number is stored in clear outside the sealed column (import problems, an export's search
// text in the audit log, an import job's result).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { as, xlsxText, idNumber, unitByName, BACKEND } from './lib.mjs';

// What docs/security.md states: a cadre born in a month of D days has D × 500 candidates
// (the day, and the 3-digit sequence number whose last digit's parity is the gender; the
// check digit follows from the rest). February of a common year is the least: 14,000.
const AT_LEAST = 14000;

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkDigit = (d17) => '10X98765432'[[...d17].reduce((s, c, i) => s + Number(c) * W[i], 0) % 11];
const DAY = 86400000;
const ymd = (t) => new Date(t).toISOString().slice(0, 10).replaceAll('-', '');

// The cells of the first sheet, row by row, as text ({A: '姓名', B: …}): inline or shared
// strings, numbers as written.
function sheetRows(buf) {
  const text = xlsxText(buf);
  const sst = [...text.matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    [...m[1].matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((t) => t[1]).join(''));
  const sheet = text.slice(text.indexOf('<sheetData'), text.indexOf('</sheetData>'));
  return [...sheet.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)].map((r) => {
    const cells = {};
    for (const c of r[1].matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const body = c[3] ?? '';
      const v = /<v>([^<]*)<\/v>/.exec(body)?.[1];
      const t = [...body.matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((x) => x[1]).join('');
      cells[c[1]] = / t="s"/.test(c[2]) ? sst[Number(v)] : (v ?? t);
    }
    return cells;
  });
}

// A spreadsheet cell of a date column: a serial day number (1900 system) or text.
function cellDate(v) {
  if (/^\d+(\.\d+)?$/.test(v)) return ymd((Math.floor(Number(v)) - 25569) * DAY);
  return v.replace(/[-./]/g, '');
}

// Everything known about one cadre's ID number from what was seen: the characters shown in
// any masked form, the birth date's leading digits (full date, year-month or year), the
// gender, and the latest birth date its career dates allow (a career date is refused before
// the 16th birthday: born <= date - 16 × 365 days).
function knowledge() {
  return { id: Array(18).fill(null), birth: '', gender: null, bornBy: Date.now() };
}

function learnMask(k, masked) {
  assert.equal(masked.length, 18, masked);
  [...masked].forEach((ch, i) => {
    if (!/[0-9X]/.test(ch)) return;
    assert.ok(k.id[i] === null || k.id[i] === ch, `masks agree at ${i}`);
    k.id[i] = ch;
  });
}

function learnBirth(k, shown) {
  const digits = shown.replace(/[-./]/g, '');
  assert.match(digits, /^\d{4,8}$/, shown);
  if (digits.length > k.birth.length) {
    assert.ok(digits.startsWith(k.birth), `birth dates agree: ${shown}`);
    k.birth = digits;
  } else {
    assert.ok(k.birth.startsWith(digits), `birth dates agree: ${shown}`);
  }
}

function learnCareer(k, date) {
  if (!date) return;
  const t = Date.parse(date.length === 8 ? `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}` : date);
  k.bornBy = Math.min(k.bornBy, t - 16 * 365 * DAY);
}

// The ID numbers consistent with k: every birth day from 1900 to bornBy, every sequence
// number, the check digit computed; each filtered by what is known. The region code must
// be known (shown, or guessed from the unit: the test assumes it is).
function candidates(k) {
  const region = k.id.slice(0, 6).join('');
  assert.match(region, /^\d{6}$/, 'the region code is known (or guessable from the unit)');
  const fits = (s, from) => [...s].every((ch, i) => k.id[from + i] === null || k.id[from + i] === ch);
  const out = { count: 0, has: (id) => fits(id, 0) && consistent(id) };
  function consistent(id) {
    const born = id.slice(6, 14);
    const t = Date.parse(`${born.slice(0, 4)}-${born.slice(4, 6)}-${born.slice(6)}`);
    return born.startsWith(k.birth) && t <= k.bornBy && ymd(t) === born &&
      (k.gender === null || (Number(id[16]) % 2 === 1) === (k.gender === 'M')) &&
      checkDigit(id.slice(0, 17)) === id[17];
  }
  for (let t = Date.UTC(1900, 0, 1); t <= k.bornBy; t += DAY) {
    const born = ymd(t);
    if (!born.startsWith(k.birth) || !fits(born, 6)) continue;
    for (let seq = 0; seq < 1000; seq++) {
      const s = String(seq).padStart(3, '0');
      if (!fits(s, 14)) continue;
      if (k.gender !== null && (seq % 2 === 1) !== (k.gender === 'M')) continue;
      const check = checkDigit(region + born + s);
      if (k.id[17] === null || k.id[17] === check) out.count++;
    }
  }
  return out;
}

// Everything the role reads about the cadres in its scope: the list (every page, each sort
// on the birth date), each record and its history, and the masked export.
async function whatItSees(client, ids) {
  const seen = new Map(ids.map((id) => [id, { k: knowledge(), name: null }]));
  const learnRecord = (c) => {
    const s = seen.get(c.id);
    if (!s) return;
    s.name = c.name;
    learnMask(s.k, c.id_number);
    learnBirth(s.k, c.birth_date);
    s.k.gender = c.gender;
    learnCareer(s.k, c.post_date);
    learnCareer(s.k, c.promotion_date);
  };
  for (const sort of ['', '&sort=birth_date', '&sort=-birth_date']) {
    const r = await client.get(`/api/v1/cadres?page_size=200${sort}`);
    assert.equal(r.status, 200);
    r.data.items.forEach(learnRecord);
  }
  for (const id of ids) {
    const r = await client.get(`/api/v1/cadres/${id}`);
    assert.equal(r.status, 200);
    learnRecord(r.data);
    const h = await client.get(`/api/v1/cadres/${id}/history`);
    assert.equal(h.status, 200);
    for (const e of h.data.items)
      for (const v of [e.old_value, e.new_value, e.old_label, e.new_label, e.reason])
        assert.doesNotMatch(v, /\d{6,}/, 'no run of digits in the history');
  }
  const x = await client.get('/api/v1/cadres/export');
  if (x.status === 403) return seen; // a class manager exports no registry
  assert.equal(x.status, 200);
  const rows = sheetRows(x.data);
  const header = rows.find((r) => Object.values(r).includes('身份证号'));
  assert.ok(header, 'the export has a header row');
  const col = (...names) => Object.keys(header).find((c) => names.includes(header[c]));
  const [cName, cId, cBirth, cPost, cPromo] = [col('姓名'), col('身份证号'),
    col('出生日期', '出生年月'), col('任现职时间'), col('提拔时间')];
  for (const s of seen.values()) {
    const row = rows.find((r) => r[cName] === s.name && r[cId] && s.k.id.every((ch, i) => ch === null || r[cId][i] === ch));
    assert.ok(row, `${s.name} in the export`);
    learnMask(s.k, row[cId]);
    if (cBirth && row[cBirth]) learnBirth(s.k, cellDate(row[cBirth]));
    for (const c of [cPost, cPromo]) if (c && row[c]) learnCareer(s.k, cellDate(row[c]));
  }
  return seen;
}

for (const who of ['liaison1', 'manager']) {
  test(`${who} cannot rebuild an ID number from all it reads (more than ${AT_LEAST - 1} candidates each)`, async () => {
    const client = await as(who);
    const admin = await as('admin');
    const list = (await client.get('/api/v1/cadres?page_size=200')).data.items;
    assert.ok(list.length >= 6, `${who} reads cadres`);
    // three of each gender
    const pick = [...list.filter((c) => c.gender === 'M').slice(0, 3), ...list.filter((c) => c.gender === 'F').slice(0, 3)];
    const seen = await whatItSees(client, pick.map((c) => c.id));
    for (const [id, s] of seen) {
      const c = candidates(s.k);
      const real = (await admin.post(`/api/v1/cadres/${id}/reveal`, {})).data.id_number;
      assert.ok(c.has(real), `the real number of ${s.name} is among the candidates`);
      assert.ok(c.count >= AT_LEAST, `${s.name}: ${c.count} candidates remain (of ${real.slice(0, 6)}…); at least ${AT_LEAST} expected`);
    }
  });
}

// The order of a sort by birth date tells no more than the dates shown: cadres born in the
// same month come in the order of their ids (the list's tiebreak), not of their days.
test('the liaison sorts by birth date only as far as it sees it (year and month, then id)', async () => {
  const client = await as('liaison1');
  let ties = 0;
  for (const sort of ['birth_date', '-birth_date']) {
    const items = (await client.get(`/api/v1/cadres?page_size=200&sort=${sort}`)).data.items;
    const desc = sort.startsWith('-');
    for (let i = 1; i < items.length; i++) {
      const [a, b] = desc ? [items[i], items[i - 1]] : [items[i - 1], items[i]];
      assert.ok(a.birth_date <= b.birth_date, `${a.birth_date} before ${b.birth_date}`);
      if (a.birth_date !== b.birth_date) continue;
      ties++;
      assert.ok(a.id < b.id, `cadres born in ${a.birth_date} in the order of their ids: ${a.id} ${b.id}`);
    }
  }
  assert.ok(ties > 0, 'some cadres of the unit share a birth month');
});

test('the organization admin, who may reveal, still reads the full birth date', async () => {
  const admin = await as('admin');
  const c = (await admin.get('/api/v1/cadres?page_size=1')).data.items[0];
  assert.match(c.birth_date, /^\d{4}-\d{2}-\d{2}$/);
  const real = (await admin.post(`/api/v1/cadres/${c.id}/reveal`, {})).data.id_number;
  assert.equal(c.birth_date.replaceAll('-', ''), real.slice(6, 14));
  const mine = (await (await as('liaison1')).get(`/api/v1/cadres?page_size=1`)).data.items[0];
  assert.match(mine.birth_date, /^\d{4}-\d{2}$/);
});

// ---- item 4: nothing personal in clear in what is stored beside the registry ----

// One value from the server's own database (tests read PEIXUN_DB as imports.test does).
function sql(text) {
  const db = process.env.PEIXUN_DB;
  return BACKEND === 'sqlite'
    ? execFileSync('sqlite3', [db, text]).toString().trim()
    : execFileSync('psql', ['-qtA', '-d', db, '-c', text]).toString().trim();
}
const needsDb = { skip: !process.env.PEIXUN_DB && 'PEIXUN_DB not set' };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function jobEnd(client, id) {
  for (let i = 0; i < 600; i++) {
    const j = (await client.get(`/api/v1/jobs/${id}`)).data;
    if (['done', 'failed', 'cancelled'].includes(j.status)) return j;
    await sleep(200);
  }
  throw new Error(`job ${id} did not end`);
}

// A file whose cells put an ID number into the rank column and a malformed phone number
// (both quoted back by the problems), beside a well-formed row.
const shifted = idNumber('350583', '19850312', 671);
const badPhone = '138 1234 56789';
const rejected = () => new Uint8Array(Buffer.from([
  '姓名,身份证号,单位,职级层次,干部类别,手机号码',
  `错列甲,${idNumber('110109', '19800101', 1)},溪美街道,${shifted},公务员,`,
  `错列乙,${idNumber('110109', '19800101', 2)},溪美街道,一般干部,公务员,${badPhone}`,
].join('\n')));
const digitsOf = (s) => s.replace(/\D/g, '');

function assertMaskedText(text, where) {
  assert.ok(!text.includes(shifted), `${where}: the ID number in clear`);
  assert.ok(!digitsOf(text).includes(digitsOf(badPhone)), `${where}: the phone number in clear`);
}

test('import problems quote ID and phone numbers masked, in the reply and in imports.errors_json', needsDb, async () => {
  const liaison = await as('liaison1');
  const r = await liaison.raw('POST', `/api/v1/imports?kind=cadres&filename=${encodeURIComponent('错列.csv')}`, {
    body: rejected(), json: false, headers: { 'Content-Type': 'application/octet-stream' },
  });
  assert.equal(r.status, 422, JSON.stringify(r.data));
  const details = r.data.error.details;
  const rank = details.find((d) => d.field === 'rank_level');
  const phone = details.find((d) => d.field === 'phone');
  assert.ok(rank && phone, JSON.stringify(details));
  assert.ok(rank.message.includes('350583************'), rank.message);
  assert.ok(phone.message.includes('138 **** *6789'), phone.message);
  assertMaskedText(JSON.stringify(r.data), 'the reply');
  const id = r.data.error.import_id ?? (await liaison.get('/api/v1/imports?page_size=1')).data.items[0].id;
  const run = await liaison.get(`/api/v1/imports/${id}`);
  assert.equal(run.status, 200);
  assertMaskedText(JSON.stringify(run.data.errors), 'the import run');
  const stored = sql(`SELECT errors_json FROM imports WHERE id = ${Number(id)}`);
  assert.ok(stored.includes('350583************'), stored);
  assertMaskedText(stored, 'imports.errors_json');
  // the error report still shows the uploader its own cells, from the file kept sealed
  const report = await liaison.get(`/api/v1/imports/${id}/report`);
  assert.equal(report.status, 200);
  const text = xlsxText(report.data);
  assert.ok(text.includes(shifted), 'the uploader\'s own cell in its report');
  assert.ok(text.includes('350583************'), 'the problem beside it, masked');
});

test('an import job\'s stored result holds the problems masked', needsDb, async () => {
  const liaison = await as('liaison1');
  const q = await liaison.raw('POST', `/api/v1/imports?kind=cadres&async=1&filename=${encodeURIComponent('错列.csv')}`, {
    body: rejected(), json: false, headers: { 'Content-Type': 'application/octet-stream' },
  });
  assert.equal(q.status, 202, JSON.stringify(q.data));
  const j = await jobEnd(liaison, q.data.job_id);
  assert.equal(j.status, 'failed', JSON.stringify(j));
  assert.ok(JSON.stringify(j.result).includes('350583************'), JSON.stringify(j.result));
  assertMaskedText(JSON.stringify(j.result), 'the job');
  const stored = sql(`SELECT result_json || params_json || payload FROM jobs WHERE id = ${Number(q.data.job_id)}`);
  assert.ok(stored.includes('350583************'), stored);
  assertMaskedText(stored, 'jobs');
});

test('an export searched by ID or phone number records the search masked in audit_log', needsDb, async () => {
  const liaison = await as('liaison1');
  const admin = await as('admin');
  const mine = (await liaison.get('/api/v1/cadres?page_size=200')).data.items.find((c) => c.phone);
  assert.ok(mine, 'a cadre with a phone number');
  const real = (await admin.post(`/api/v1/cadres/${mine.id}/reveal`, {})).data;
  assert.match(real.phone, /^1\d{10}$/);
  for (const [q, masked] of [[real.id_number, real.id_number.slice(0, 6) + '*'.repeat(12)],
    [real.phone, real.phone.slice(0, 3) + '****' + real.phone.slice(-4)]]) {
    const before = Number(sql('SELECT COALESCE(MAX(id), 0) FROM audit_log'));
    const x = await liaison.get(`/api/v1/cadres/export?q=${encodeURIComponent(q)}`);
    assert.equal(x.status, 200);
    const stored = sql(`SELECT after_json FROM audit_log WHERE id > ${before} AND action = 'export'`);
    assert.ok(stored, 'the export is audited');
    assert.equal(JSON.parse(stored).query, masked, stored);
    assert.ok(!stored.includes(q), `the search text in clear: ${stored}`);
  }
});
