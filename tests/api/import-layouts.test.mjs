// Rosters as offices lay them out (issue 10, items 2, 6, 7, 8): headers under the names
// their own forms use, columns that are not imported named back, rows that are no people
// skipped and listed, the error report of any layout, and errors grouped by kind.
// The fixtures are tests/data/import/cadres_{office_headers,not_people,not_people_bad,
// note_right,trailing_cols}.xlsx and cadres_header_problem.csv (make.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import zlib from 'node:zlib';
import { as, assertError, idNumber, BACKEND } from './lib.mjs';

const DATA = new URL('../data/import/', import.meta.url);
const fixture = (name) => new Uint8Array(readFileSync(new URL(name, DATA)));
let admin;

function upload(client, body, { kind = 'cadres', filename = 'upload', dry = false, lang } = {}) {
  const q = `kind=${kind}&filename=${encodeURIComponent(filename)}${dry ? '&dry_run=1' : ''}${lang ? `&lang=${lang}` : ''}`;
  return client.raw('POST', `/api/v1/imports?${q}`, {
    body: typeof body === 'string' ? new Uint8Array(Buffer.from(body)) : body,
    json: false, headers: { 'Content-Type': 'application/octet-stream' },
  });
}

// The parts of an .xlsx (a zip) by name, inflated.
function unzip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a zip file');
  const parts = new Map();
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0, n = buf.readUInt16LE(eocd + 10); i < n; i++) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30);
    const comment = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString();
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    parts.set(name, (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8'));
    p += 46 + nameLen + extra + comment;
  }
  return parts;
}

const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

// The first sheet of an .xlsx as {ref → {text, fill}}: each cell's text and its fill colour
// (RRGGBB, '' when none), and the other sheets' texts.
function sheetCells(buf) {
  const parts = unzip(buf);
  const strings = [...(parts.get('xl/sharedStrings.xml') ?? '').matchAll(/<si>(.*?)<\/si>/gs)]
    .map((m) => unescape([...m[1].matchAll(/<t[^>]*>(.*?)<\/t>/gs)].map((t) => t[1]).join('')));
  const styles = parts.get('xl/styles.xml');
  const fills = [...styles.matchAll(/<fill>(.*?)<\/fill>/gs)].map((m) => /rgb="FF(\w{6})"/.exec(m[1])?.[1] ?? '');
  const xfs = [.../<cellXfs[^>]*>(.*?)<\/cellXfs>/s.exec(styles)[1].matchAll(/<xf [^>]*>/g)]
    .map((m) => fills[Number(/fillId="(\d+)"/.exec(m[0])?.[1] ?? 0)] ?? '');
  const cells = new Map();
  for (const m of parts.get('xl/worksheets/sheet1.xml').matchAll(/<c r="(\w+)"([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
    const s = /s="(\d+)"/.exec(m[2]);
    const v = /<v>(.*?)<\/v>/s.exec(m[3] ?? '')?.[1] ?? '';
    const text = / t="s"/.test(m[2]) && v !== '' ? strings[Number(v)] : unescape(v);
    cells.set(m[1], { text, fill: s ? xfs[Number(s[1])] : '' });
  }
  const others = [...parts.keys()].filter((k) => /worksheets\/sheet[2-9]/.test(k)).map((k) => parts.get(k)).join('')
    + strings.join('\n');
  return { cells, others };
}
const RED = 'FFC7CE', MARK = 'FF7C80', GREY = 'EDEDED';

test('setup', async () => { admin = await as('admin'); });

test('headers as offices word them import every column; the columns left out are named back', async () => {
  // 姓　名, 公民身份号码⏎（必填）, 工作单位*, 联系电话, 现任职务, 职务层次, 人员类别, 出生年月,
  // 任现职务时间 — and 备注, 审核意见, which are no columns; 序号 is a row counter
  const dry = await upload(admin, fixture('cadres_office_headers.xlsx'), { dry: true, filename: 'office.xlsx' });
  assert.equal(dry.status, 200, JSON.stringify(dry.data));
  assert.equal(dry.data.total_rows, 3);
  assert.deepEqual(dry.data.ignored_columns, ['备注', '审核意见']);
  assert.equal(dry.data.ignored_message, '以下列未导入:备注、审核意见');
  const en = await upload(admin, fixture('cadres_office_headers.xlsx'), { dry: true, lang: 'en' });
  assert.equal(en.data.ignored_message, 'These columns were not imported: 备注, 审核意见');
  const r = await upload(admin, fixture('cadres_office_headers.xlsx'), { filename: 'office.xlsx' });
  assert.equal(r.status, 201, JSON.stringify(r.data));
  assert.equal(r.data.imported_rows, 3);
  assert.deepEqual(r.data.ignored_columns, ['备注', '审核意见']);
  // the reworded columns went in: phones and posts are not empty
  const c = (await admin.get(`/api/v1/cadres?q=${encodeURIComponent('洪文斌')}`)).data.items[0];
  assert.equal(c.unit_name, '柳城街道');
  assert.equal(c.post, '科员');
  assert.equal(c.rank_level, 'general');
  assert.equal(c.category, 'civil_servant');
  assert.equal(c.post_date, '2021-03-01');
  const shown = (await admin.post(`/api/v1/cadres/${c.id}/reveal`, {})).data;
  assert.equal(shown.phone, '13905951234');
  assert.equal(shown.id_number, idNumber('150121', '19850202', 22));
  const rec = (await admin.get(`/api/v1/imports/${r.data.id}`)).data;
  assert.deepEqual(rec.ignored_columns, ['备注', '审核意见']);
  assert.equal(rec.ignored_message, '以下列未导入:备注、审核意见');
  assert.deepEqual(rec.errors, []);
  // a refused file says it too
  const bad = await upload(admin, fixture('cadres_trailing_cols.xlsx'));
  assertError(bad, 422, 'import_rejected', 'id_number');
  assert.deepEqual(bad.data.error.ignored_columns, ['备注', '审核意见']);
  assert.equal(bad.data.error.ignored_message, '以下列未导入:备注、审核意见');
});

test('header cells are folded: full-width letters, spaces of every kind, line breaks, marks', async () => {
  const id = idNumber('150131', '19800101', 11);
  const csv = ['序号,"姓\u00a0名\n",身份证号码（必填）,＊单位名称,职级,人员类别,手机号,Ｅｍａｉｌ,职级（公务员）',
    `1,折叠甲,${id},溪美街道,一般干部,公务员,13905950001,a@b.c,一级科员`].join('\n');
  const r = await upload(admin, csv, { dry: true });
  assert.equal(r.status, 200, JSON.stringify(r.data));
  assert.deepEqual(r.data.ignored_columns, ['Ｅｍａｉｌ']);
  // the same field twice: the second column is named back, not silently dropped
  const twice = await upload(admin, ['姓名,身份证号,单位,职级层次,干部类别,手机,电话',
    `折叠乙,${idNumber('150131', '19800101', 22)},溪美街道,一般干部,公务员,13905950002,0595-1234567`].join('\n'), { dry: true });
  assert.equal(twice.status, 200, JSON.stringify(twice.data));
  assert.deepEqual(twice.data.ignored_columns, ['电话']);
});

test('a missing required column is one error, first; 300 rows are not validated one by one', async () => {
  const r = await upload(admin, fixture('cadres_header_problem.csv'), { filename: 'header.csv' });
  assertError(r, 422, 'import_rejected', 'id_number');
  const e = r.data.error;
  assert.equal(e.details.length, 1, JSON.stringify(e.details.slice(0, 3)));
  assert.deepEqual([e.details[0].row, e.details[0].code], [1, 'missing_column']);
  // it names the column it could not place: the one meant is often among them
  assert.equal(e.details[0].message, '缺少「身份证号」列(未能识别的列:证件号)');
  assert.equal(e.error_count, 1);
  assert.equal(e.total_rows, 300);
  assert.deepEqual(e.ignored_columns, ['证件号']);
  assert.deepEqual(e.summary, [{ field: 'id_number', code: 'missing_column', label: '身份证号', message: e.details[0].message, count: 1, rows: [1] }]);
  const rec = (await admin.get(`/api/v1/imports/${e.import_id}`)).data;
  assert.equal(rec.error_count, 1);
  assert.equal(rec.summary.length, 1);
  // the report heads its error column with it
  const rep = await admin.get(`/api/v1/imports/${e.import_id}/report`);
  assert.equal(rep.status, 200);
  const { cells } = sheetCells(rep.data);
  assert.match(cells.get('G1').text, /^错误说明:缺少「身份证号」列/);
  assert.equal(cells.get('G2')?.text ?? '', '');
});

test('rows that are no people are skipped and listed, not errors', async () => {
  const r = await upload(admin, fixture('cadres_not_people.xlsx'), { filename: 'not_people.xlsx' });
  assert.equal(r.status, 201, JSON.stringify(r.data));
  assert.equal(r.data.imported_rows, 3);
  assert.equal(r.data.total_rows, 3);
  assert.deepEqual(r.data.skipped_rows.map((s) => [s.row, s.code, s.reason]), [
    [5, 'row_number_only', '只有序号'], [6, 'blank', '空白行'], [7, 'total', '合计行'],
    [8, 'sign_off', '落款(填表人、审核人等)'], [9, 'note', '填表说明'], [10, 'note', '填表说明'],
    [11, 'note', '填表说明'], [12, 'sign_off', '落款(填表人、审核人等)'],
  ]);
  assert.equal(r.data.skipped_count, 8);
  // the run keeps them; read in English, the reasons are English
  const en = await as('admin', 'en');
  const rec = (await en.get(`/api/v1/imports/${r.data.id}`)).data;
  assert.equal(rec.skipped_count, 8);
  assert.deepEqual(rec.skipped_rows[2], { row: 7, code: 'total', reason: 'Totals row' });
  // with a bad row among them: one error, the skipped rows grey in the report, the bad one red
  const bad = await upload(admin, fixture('cadres_not_people_bad.xlsx'));
  assertError(bad, 422, 'import_rejected', 'id_number');
  assert.deepEqual(bad.data.error.details.map((d) => [d.row, d.code]), [[3, 'checksum']]);
  assert.equal(bad.data.error.skipped_count, 8);
  const rep = await admin.get(`/api/v1/imports/${bad.data.error.import_id}/report`);
  assert.equal(rep.status, 200);
  const { cells, others } = sheetCells(rep.data);
  assert.equal(cells.get('N1').text, '错误说明');
  assert.deepEqual([cells.get('N3').text, cells.get('N3').fill, cells.get('E3').fill, cells.get('B3').fill], ['身份证号校验位错误', RED, MARK, RED]);
  assert.deepEqual([cells.get('N7').text, cells.get('A7').text, cells.get('A7').fill], ['已跳过:合计行', '合计：3人', GREY]);
  assert.deepEqual([cells.get('N12').text, cells.get('I12').text, cells.get('N12').fill], ['已跳过:落款(填表人、审核人等)', '审核人：李四', GREY]);
  assert.equal(cells.get('A2').fill, '', 'a good row stays plain');
  assert.match(others, /身份证号校验位错误:1 行\(第 3 行\)/);
  assert.match(others, /8 行不是人员信息/);
});

test('only rows that plainly are no people are skipped', async () => {
  const id = (n) => idNumber('150132', '19800101', n);
  const csv = ['序号,姓名,身份证号,单位,职级层次,干部类别,职务',
    `1,注明,${id(1)},溪美街道,一般干部,公务员,科员`, // a name that opens with 注: a person
    '2,只填姓名,,,,,', // a name and nothing else: a person with empty columns
    '3,,,,,,科员', // nothing in any required column: no person
    `4,合计人,${id(4)},溪美街道,一般干部,公务员,`, // 合计 inside a name: a person
    '\u3000合 计：3人', // spaces before and inside the word
  ].join('\n');
  const r = await upload(admin, csv, { dry: true });
  assertError(r, 422, 'import_rejected', 'id_number');
  assert.deepEqual(r.data.error.skipped_rows.map((s) => [s.row, s.code]), [[4, 'no_required'], [6, 'total']]);
  assert.deepEqual([...new Set(r.data.error.details.map((d) => d.row))], [3]);
  assert.equal(r.data.error.total_rows, 3);
});

test('errors are grouped by kind with counts, above the rows; counted past the 1000 listed', async () => {
  const rows = ['姓名,身份证号,单位,职级层次,干部类别'];
  const cn = (n) => [...String(n)].map((d) => '甲乙丙丁戊己庚辛壬癸'[d]).join('');
  for (let i = 0; i < 300; i++) {
    let num = idNumber('150133', `1980${String(1 + Math.floor(i / 28)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`, 11);
    if (i % 25 === 3) num = num.slice(0, 17) + (num[17] === '0' ? '1' : '0'); // 12 bad check digits
    rows.push(`分组${cn(i)},${num},${i % 100 === 7 ? '不存在的单位' : '溪美街道'},一般干部,公务员`); // 3 unknown units
  }
  const r = await upload(admin, rows.join('\n'), { dry: true });
  assertError(r, 422, 'import_rejected', 'id_number');
  const e = r.data.error;
  assert.equal(e.details.length, 15);
  assert.deepEqual(e.summary.map((k) => [k.field, k.code, k.label, k.count]), [['id_number', 'checksum', '身份证号', 12], ['unit', 'not_found', '单位', 3]]);
  assert.equal(e.summary[0].message, '身份证号校验位错误');
  assert.deepEqual(e.summary[0].rows, [5, 30, 55, 80, 105]);
  assert.deepEqual((await admin.get(`/api/v1/imports/${e.import_id}`)).data.summary.map((k) => k.count), [12, 3]);
  // 1,200 bad rows: 1,000 listed, every one counted
  const many = ['姓名,身份证号,单位,职级层次,干部类别'];
  for (let i = 0; i < 1200; i++) many.push(`多错${cn(i)},12345,溪美街道,一般干部,公务员`);
  const m = await upload(admin, many.join('\n'), { dry: true });
  assertError(m, 422, 'import_rejected', 'id_number');
  assert.equal(m.data.error.error_count, 1200);
  assert.deepEqual(m.data.error.summary.map((k) => [k.code, k.count]), [['length', 1200]]);
  assert.ok(m.data.error.details.length <= 1001);
  assert.deepEqual((await admin.get(`/api/v1/imports/${m.data.error.import_id}`)).data.summary.map((k) => k.count), [1200]);
});

test('the error report always comes: a note right of the table, trailing empty columns', async () => {
  // A1 a title, P1 a date far to the right, N3 a note beside a row, D4 a bad check digit,
  // A6 填表人 below the table
  const r = await upload(admin, fixture('cadres_note_right.xlsx'), { filename: 'note_right.xlsx' });
  assertError(r, 422, 'import_rejected', 'id_number');
  assert.deepEqual(r.data.error.details.map((d) => d.row), [4]);
  const rep = await admin.get(`/api/v1/imports/${r.data.error.import_id}/report`);
  assert.equal(rep.status, 200, JSON.stringify(rep.data).slice(0, 300));
  const { cells } = sheetCells(rep.data);
  // the clerk's own sheet: its title, its row numbers, every cell where it was
  assert.equal(cells.get('A1').text, '南安市干部信息表');
  assert.equal(cells.get('P1').text, '填报日期：2024年3月');
  assert.equal(cells.get('A2').text, '姓名');
  assert.equal(cells.get('N3').text, '注：该同志2023年调入');
  // 错误说明 after the last column used anywhere (P), every bad cell marked
  assert.equal(cells.get('Q2').text, '错误说明');
  assert.deepEqual([cells.get('Q4').text, cells.get('Q4').fill, cells.get('D4').fill, cells.get('A4').text], ['身份证号校验位错误', RED, MARK, '吕秀英']);
  assert.deepEqual([cells.get('A6').text, cells.get('Q6').text, cells.get('Q6').fill], ['填表人：王五', '已跳过:落款(填表人、审核人等)', GREY]);
  // 备注 and 审核意见 after the table, empty below their header: the errors go after them
  const t = await upload(admin, fixture('cadres_trailing_cols.xlsx'));
  const trep = await admin.get(`/api/v1/imports/${t.data.error.import_id}/report`);
  assert.equal(trep.status, 200);
  const tc = sheetCells(trep.data).cells;
  assert.deepEqual([tc.get('M1').text, tc.get('N1').text, tc.get('O1').text], ['备注', '审核意见', '错误说明']);
  assert.equal(tc.get('O3').text, '身份证号校验位错误');
  assert.equal(tc.get('M3')?.text ?? '', '');
  assert.equal(tc.get('N3')?.text ?? '', '');
});

test('peixun import --report writes the report it names, or says why it did not', {
  skip: !process.env.PEIXUN_BIN && 'PEIXUN_BIN not set',
}, () => {
  const dir = mkdtempSync(join(process.env.PEIXUN_TMP ?? '/tmp', 'report-'));
  // the suite's own database, as the shell: a dry run records the run and writes nothing else
  const env = { ...process.env, PEIXUN_SECRET_KEY: BACKEND === 'sqlite' ? '' : (process.env.PEIXUN_SECRET_KEY ?? '') };
  const file = new URL('cadres_note_right.xlsx', DATA).pathname;
  try {
    const out = join(dir, '错误报告.xlsx');
    const run = (report) => spawnSync(process.env.PEIXUN_BIN, ['--db', process.env.PEIXUN_DB, 'import', '--kind', 'cadres', '--dry-run', '--report', report, file], { env, encoding: 'utf8' });
    const r = run(out);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /身份证号校验位错误:1 行\(第 4 行\)\n/);
    assert.match(r.stderr, /cadres_note_right\.xlsx:4: id_number: 身份证号校验位错误/);
    assert.match(r.stderr, /cadres_note_right\.xlsx:6: 已跳过: 落款/);
    assert.match(r.stderr, /error report written to .*错误报告\.xlsx/);
    assert.ok(existsSync(out), 'the report is where it says');
    const { cells } = sheetCells(readFileSync(out));
    assert.equal(cells.get('Q4').text, '身份证号校验位错误');
    // a place it cannot write: it says so, and that no report was written
    const nowhere = join(dir, 'no-such-dir', 'r.xlsx');
    const r2 = run(nowhere);
    assert.notEqual(r2.status, 0);
    assert.match(r2.stderr, /no error report written: .*no-such-dir/);
    assert.doesNotMatch(r2.stderr, /report written to/);
    assert.ok(!existsSync(nowhere));
    // a file that goes in says what it left out
    const csv = join(dir, 'ok.csv');
    writeFileSync(csv, ['序号,姓名,身份证号,单位,职级层次,干部类别,备注', `1,命令行,${idNumber('150134', '19800101', 11)},溪美街道,一般干部,公务员,`, '合计:1人'].join('\n'));
    const ok = spawnSync(process.env.PEIXUN_BIN, ['--db', process.env.PEIXUN_DB, 'import', '--kind', 'cadres', '--dry-run', csv], { env, encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^checked 1 rows/);
    assert.match(ok.stdout, /以下列未导入:备注\n/);
    assert.match(ok.stdout, /ok\.csv:3: 已跳过: 合计行/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
