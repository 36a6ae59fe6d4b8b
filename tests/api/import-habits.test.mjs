// Issue 10: rosters as offices really send them — numbers Excel damaged, month dates, folded
// text, the words offices use, unit names as registries write them. Every fixture is made by
// tests/data/import/make_habits.py; runs on both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { as, assertError } from './lib.mjs';

const DATA = new URL('../data/import/', import.meta.url);
const fixture = (name) => new Uint8Array(readFileSync(new URL(name, DATA)));
let admin;

async function upload(body, filename, dry = false) {
  return admin.raw('POST', `/api/v1/imports?kind=cadres${dry ? '&dry_run=1' : ''}&filename=${encodeURIComponent(filename)}`, {
    body, json: false, headers: { 'Content-Type': 'application/octet-stream' },
  });
}

async function find(q) {
  return (await admin.get(`/api/v1/cadres?q=${encodeURIComponent(q)}`)).data;
}

// admin2 (an organization admin of Nan'an too): imports.test.mjs spends admin's hourly imports
test('setup', async () => { admin = await as('admin2'); });

test('an ID number Excel kept as a number is refused even when it passes the check digit', async () => {
  const before = (await admin.get('/api/v1/cadres?page_size=1')).data.total;
  // .xlsx: a numeric cell holding 18 digits that pass the check; beside it a text cell
  const x = await upload(fixture('habits_numeric_id.xlsx'), 'numeric.xlsx');
  assertError(x, 422, 'import_rejected', 'id_number');
  assert.deepEqual(x.data.error.details.map((d) => [d.row, d.field, d.code]), [[2, 'id_number', 'stored_as_number']]);
  assert.match(x.data.error.details[0].message, /存成了数字/);
  assert.match(x.data.error.details[0].message, /设为“文本”格式后重新填写/);
  // .csv: the 15 digits Excel keeps, then 000 — also valid by bad luck
  const c = await upload(fixture('habits_excel_15digits.csv'), '15.csv');
  assertError(c, 422, 'import_rejected', 'id_number');
  assert.equal(c.data.error.details[0].code, 'stored_as_number');
  assert.match(c.data.error.details[0].message, /000/);
  assert.equal((await admin.get('/api/v1/cadres?page_size=1')).data.total, before);
  assert.equal((await find('陈数值')).total, 0);
  // the same number quoted is text on purpose: taken as it is
  const q = await upload(fixture('habits_quoted_000.csv'), 'quoted.csv');
  assert.equal(q.status, 201, JSON.stringify(q.data));
  assert.equal((await find('林引号')).total, 1);
  // bare, ending in 000, but the column's other bare numbers are whole: Excel did not touch
  // it, and the row goes in
  const g = await upload(fixture('habits_genuine_000.csv'), 'genuine.csv');
  assert.equal(g.status, 201, JSON.stringify(g.data));
  assert.equal((await find('周零零')).total, 1);
});

test('month dates, number cells, folded text, office words and unit names import as what they say', async () => {
  const r = await upload(fixture('habits_office.xlsx'), 'office.xlsx');
  assert.equal(r.status, 201, JSON.stringify(r.data));
  assert.equal(r.data.imported_rows, 3);
  // 王　 芳 (U+3000 and a space between): stored 王芳, found by 王芳 and by 王  芳
  const wang = (await find('王芳')).items.find((c) => c.id_number.startsWith('150102'));
  assert.ok(wang, 'found by 王芳');
  assert.equal(wang.name, '王芳');
  assert.ok((await find('王  芳')).items.some((c) => c.id === wang.id), 'found by 王  芳');
  assert.equal(wang.unit_name, '溪美街道'); // 南安市溪美街道
  assert.equal(wang.post, '党委委员'); // NBSP and the trailing space gone
  assert.equal(wang.rank_level, 'township_section'); // 副科级
  assert.equal(wang.rank_position, 'deputy');
  assert.equal(wang.rank_position_label, '副职');
  assert.equal(wang.category, 'civil_servant_ref'); // 参公人员
  assert.equal(wang.category_label, '参照公务员法管理人员');
  assert.equal(wang.status, 'active'); // 在岗
  assert.equal(wang.post_date, '2021-10-01'); // the number 2021.1: October, as 2021.10 lost its 0
  assert.equal(wang.birth_date, '1985-03-01'); // from the full-width ID number; 1985.03 agreed
  const li = (await find('李明')).items.find((c) => c.id_number.startsWith('150102'));
  assert.ok(li, 'found by 李明 (spaces and a zero-width space folded)');
  assert.equal(li.unit_name, '溪美街道'); // 溪美街道办事处
  assert.equal(li.rank_position, 'chief'); // 正科级
  assert.equal(li.post_date, '2016-08-01'); // the number 2016.08
  const zhang = (await find('张卫东')).items.find((c) => c.id_number.startsWith('150102'));
  assert.equal(zhang.unit_name, '市委组织部'); // 中共南安市委组织部
  assert.equal(zhang.rank_level, 'general'); // 科员
  assert.equal(zhang.post_date, '2022-01-01'); // an Excel serial in a General cell
});

test('an invisible character is named by its code; a unit slip suggests the nearest name', async () => {
  const r = await upload(fixture('habits_refused.csv'), 'refused.csv', true);
  assertError(r, 422, 'import_rejected', 'name');
  const byRow = Object.fromEntries(r.data.error.details.map((d) => [d.row, d]));
  assert.equal(byRow[2].code, 'invisible_character');
  assert.match(byRow[2].message, /U\+202E/);
  assert.equal(byRow[3].field, 'unit');
  assert.match(byRow[3].message, /是否为「溪美街道」/);
  const en = await admin.raw('POST', '/api/v1/imports?kind=cadres&dry_run=1&lang=en', {
    body: fixture('habits_refused.csv'), json: false, headers: { 'Content-Type': 'application/octet-stream' },
  });
  assert.match(en.data.error.details.find((d) => d.field === 'unit').message, /did you mean 「溪美街道」/);
});
