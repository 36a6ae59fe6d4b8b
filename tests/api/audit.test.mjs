// The audit log as people read it (issue 9, item 14), and every list as .xlsx with its own
// columns, audited like the cadre export (item 18).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { as, assertError, xlsxText, unitByName, regionId, idNumber } from './lib.mjs';

const SRC = new URL('../../src/service/', import.meta.url);
const enc = encodeURIComponent;
let admin, sys, sysEn;

test('setup', async () => {
  admin = await as('admin');
  sys = await as('sysadmin');
  sysEn = await as('sysadmin', 'en');
});

// Every entity and action an operation writes, read from the source: a literal in
// svc_commit / svc_audit / audit_add, a kind's .entity, and the approval actions.
function written() {
  const entities = new Set(), actions = new Set();
  for (const f of readdirSync(SRC).filter((n) => n.endsWith('.c'))) {
    const s = readFileSync(new URL(f, SRC), 'utf8');
    for (const m of s.matchAll(/(?:svc_commit|svc_audit|audit_add)\([^;]*?"(\w+)",\s*"(\w+)"/gs)) {
      actions.add(m[1]);
      entities.add(m[2]);
    }
    for (const m of s.matchAll(/svc_(?:commit|audit)\([^;"]*?"(\w+)",\s*(?:kind == IMPORT_CADRES \? "(\w+)" : "(\w+)"|k->entity|entity)/gs)) {
      actions.add(m[1]);
      if (m[2]) entities.add(m[2]);
      if (m[3]) entities.add(m[3]);
    }
    for (const m of s.matchAll(/\.entity = "(\w+)"/g)) entities.add(m[1]);
    for (const m of s.matchAll(/SHEET_SPEC\("(\w+)"/g)) entities.add(m[1]);
    for (const m of s.matchAll(/svc_approval_names\[\d+\] = \{([^}]*)\}/g)) for (const a of m[1].matchAll(/"(\w+)"/g)) actions.add(a[1]);
  }
  return { entities, actions };
}

test('every entity and action the server writes has a label in both languages', async () => {
  const { entities, actions } = written();
  // the reader finds what it must (a sanity check of the patterns above)
  for (const e of ['cadre', 'unit', 'session', 'timetable', 'database', 'job', 'import', 'plan', 'audit_log']) assert.ok(entities.has(e), e);
  for (const a of ['create', 'update', 'delete', 'place', 'solve', 'demo', 'cancel', 'approve', 'reveal', 'export']) assert.ok(actions.has(a), a);
  const zh = (await admin.get('/api/v1/vocabularies')).data;
  const codes = (v) => new Map(v.map((x) => [x.code, x]));
  const ent = codes(zh.audit_entity), act = codes(zh.audit_action);
  const missing = [...[...entities].filter((e) => !ent.has(e)).map((e) => `entity ${e}`),
    ...[...actions].filter((a) => !act.has(a)).map((a) => `action ${a}`)];
  assert.deepEqual(missing, [], 'add them to enum_audit_entity / enum_audit_action (src/domain/enums.c)');
  for (const x of [...ent.values(), ...act.values()]) {
    assert.ok(/[\u4e00-\u9fff]/.test(x.zh), `${x.code}: Chinese label`);
    assert.ok(x.en && x.en !== x.code, `${x.code}: English label`);
  }
});

test('an update shows the changed fields by their form labels, old → new, in the reader\'s language', async () => {
  const region = await regionId(admin, '南安市');
  const name = `审计显示测试单位${Date.now() % 100000}`;
  const u = await admin.post('/api/v1/units', { name, type: 'institution', region_id: region, industries: ['石材'] });
  assert.equal(u.status, 201, JSON.stringify(u.data));
  const upd = await admin.put(`/api/v1/units/${u.data.id}`, { ...u.data, name: name + '甲', type: 'zone', industries: ['石材', '水暖'] });
  assert.equal(upd.status, 200, JSON.stringify(upd.data));
  const entries = (await sys.get(`/api/v1/audit-log?entity=unit&entity_id=${u.data.id}`)).data.items;
  const update = entries.find((e) => e.action === 'update');
  assert.equal(update.action_label, '修改');
  assert.equal(update.entity_label, '单位');
  assert.equal(update.actor, 'admin');
  const by = Object.fromEntries(update.changes.map((c) => [c.field, c]));
  // the labels of the unit's form (unit_fields), the values in words
  assert.deepEqual(by.name, { field: 'name', label: '单位名称', before: name, after: name + '甲' });
  assert.deepEqual(by.type, { field: 'type', label: '单位类型', before: '事业单位', after: '开发区(园区)' });
  assert.deepEqual(by.industries, { field: 'industries', label: '主导产业', before: '石材', after: '石材、水暖' });
  // nothing a reader has no use for: no version, timestamps or stored labels
  assert.deepEqual(Object.keys(by).sort(), ['industries', 'name', 'type']);
  // the changes follow the form's order
  assert.deepEqual(update.changes.map((c) => c.field), ['name', 'type', 'industries']);
  // a creation: what it holds, the region by name, nothing empty
  const create = entries.find((e) => e.action === 'create');
  const made = Object.fromEntries(create.changes.map((c) => [c.field, c]));
  assert.equal(made.region_name.label, '所属地区');
  assert.equal(made.region_name.after, '南安市');
  assert.equal(made.region_name.before, null);
  assert.ok(!('short_name' in made) && !('region_id' in made) && !('sort_order' in made), JSON.stringify(create.changes));
  // in English: the English labels, and the vocabulary's English words (not the Chinese
  // label stored with the record when it was written)
  const en = (await sysEn.get(`/api/v1/audit-log?entity=unit&entity_id=${u.data.id}`)).data.items.find((e) => e.action === 'update');
  assert.equal(en.action_label, 'Update');
  assert.equal(en.entity_label, 'Unit');
  const type = en.changes.find((c) => c.field === 'type');
  assert.deepEqual([type.label, type.before, type.after], ['Unit type', 'Public institution', 'Development zone / park']);
  assert.equal(en.changes.find((c) => c.field === 'industries').after, '石材, 水暖');
});

test('the shell\'s entries name the command line, and every entry\'s kind has a word', async () => {
  const zh = (await sys.get('/api/v1/audit-log?entity=database')).data.items;
  assert.ok(zh.length >= 1);
  assert.equal(zh[0].actor, '命令行');
  assert.equal(zh[0].entity_label, '数据库');
  assert.equal(zh[0].action_label, '建立演示数据');
  const en = (await sysEn.get('/api/v1/audit-log?entity=database')).data.items[0];
  assert.equal(en.actor, 'command line');
  assert.equal(en.entity_label, 'Database');
  // a solve at the shell: the timetable's record, labelled
  const solve = (await sys.get('/api/v1/audit-log?entity=timetable&page_size=200')).data.items.find((e) => e.actor === '命令行');
  assert.ok(solve, 'the demo\'s solve');
  assert.deepEqual(solve.changes.map((c) => c.label).slice(0, 3), ['培训班(编号)', '排定课次', '软约束代价']);
  // no entry of the log shows a bare code for its kind or action
  const all = (await sys.get('/api/v1/audit-log?page_size=200')).data.items;
  for (const e of all) {
    assert.notEqual(e.entity_label, e.entity, `entity ${e.entity}`);
    assert.notEqual(e.action_label, e.action, `action ${e.action}`);
  }
});

test('a cadre\'s changes show the system administrator labels, not values', async () => {
  const xm = await unitByName(admin, '溪美街道');
  const body = { name: '审计标签', id_number: idNumber('140501', `1986020${1 + (Date.now() % 9)}`, Date.now() % 900), unit_id: xm.id, rank_level: 'general', category: 'civil_servant' };
  const made = await admin.post('/api/v1/cadres', body);
  assert.equal(made.status, 201, JSON.stringify(made.data));
  const c = made.data;
  const r = await admin.put(`/api/v1/cadres/${c.id}`, { ...body, post: '审计标签测试职务', rank_level: 'township_section', version: c.version });
  assert.equal(r.status, 200, JSON.stringify(r.data));
  const entries = (await sys.get(`/api/v1/audit-log?entity=cadre&entity_id=${c.id}`)).data.items;
  const entry = entries.find((e) => e.action === 'update');
  assert.equal(entry.redacted, true);
  assert.deepEqual(entry.changes, [
    { field: 'post', label: '职务', before: null, after: null },
    { field: 'rank_level', label: '职级层次', before: null, after: null },
  ]);
  assert.equal(entry.before, null);
  // a creation: which fields it filled, by label, the unit where the form has it
  const create = entries.find((e) => e.action === 'create');
  assert.deepEqual(create.changes.map((x) => x.label).slice(0, 4), ['姓名', '性别', '出生日期', '身份证号']);
  assert.ok(create.changes.some((x) => x.label === '单位'));
  assert.ok(!JSON.stringify(entries).includes('审计标签测试职务'), 'no value reaches the system admin');
});

// ---- lists as .xlsx

// Each list: who reads it, its path, a header it must carry, the member of its items that
// names a row, the entity of the audit entry, the file's name.
const LISTS = [
  ['admin', '/api/v1/units?page_size=500', '单位名称', 'name', 'unit', '单位名单.xlsx'],
  ['admin', '/api/v1/regions', '区划代码', 'name', 'region', '地区.xlsx'],
  ['sys', '/api/v1/users?page_size=200', '用户名', 'username', 'user', '用户.xlsx'],
  ['admin', '/api/v1/plans?page_size=200', '计划名称', 'title', 'plan', '培训计划.xlsx'],
  ['admin', '/api/v1/classes?page_size=200', '班次名称', 'name', 'class', '培训班.xlsx'],
  ['admin', '/api/v1/experts?page_size=200', '研究领域', 'name', 'expert', '师资库.xlsx'],
  ['admin', '/api/v1/rooms?page_size=500', '所在地点', 'name', 'room', '教室.xlsx'],
  ['sys', '/api/v1/audit-log?page_size=200', '变更内容', 'entity_label', 'audit_log', '操作日志.xlsx'],
  ['sys', '/api/v1/login-log?page_size=200', '结果', 'username', 'login_log', '登录日志.xlsx'],
  ['admin', '/api/v1/imports?page_size=100', '导入人', 'filename', 'import', '导入记录.xlsx'],
];
const xmlText = (v) => String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function upload(client, text, kind, dry = true) {
  const body = new Uint8Array(Buffer.from(text));
  return client.raw('POST', `/api/v1/imports?kind=${kind}&filename=example.csv${dry ? '&dry_run=1' : ''}`, {
    body, json: false, headers: { 'Content-Type': 'application/octet-stream' },
  });
}

test('the template carries one example row, which the import skips', async () => {
  const t = await admin.get('/api/v1/imports/template?kind=cadres');
  const text = xlsxText(t.data);
  assert.ok(text.includes('示例：张三'), 'the example row');
  assert.ok(text.includes('导入时自动跳过'), 'the instructions say so');
  assert.ok(xlsxText((await admin.get('/api/v1/imports/template?kind=units&lang=en')).data).includes('Example: '));
  // the template as downloaded: only the example, so no data rows
  const asIs = await admin.raw('POST', '/api/v1/imports?kind=cadres&filename=template.xlsx&dry_run=1', {
    body: new Uint8Array(t.data), json: false, headers: { 'Content-Type': 'application/octet-stream' },
  });
  assertError(asIs, 422, 'import_rejected');
  assert.equal(asIs.data.error.details[0].code, 'empty', JSON.stringify(asIs.data));
  // the example left in above a real row: the real row alone is read
  const head = '姓名,身份证号,单位,职级层次,干部类别\n';
  const example = '示例：张三,350583198506011239,溪美街道,乡科级,党政领导干部\n';
  const real = `示范者,${idNumber('140501', '19700303', 3)},溪美街道,一般干部,公务员\n`;
  const both = await upload(admin, head + example + real, 'cadres');
  assert.equal(both.status, 200, JSON.stringify(both.data));
  assert.equal(both.data.total_rows, 1);
  // the mark is what is skipped: the same row without it is a row like any other
  const unmarked = await upload(admin, head + example.replace('示例：', '') + real, 'cadres');
  assert.equal(unmarked.data.total_rows ?? unmarked.data.error?.details, 2, JSON.stringify(unmarked.data));
  // units import through the same importer, example and all
  const units = await upload(admin, '单位名称,单位类型,所属地区\n示例:美山镇,乡镇,南安市\n审计导入单位甲,事业单位,南安市\n', 'units');
  assert.equal(units.status, 200, JSON.stringify(units.data));
  assert.equal(units.data.total_rows, 1);
});

test('plans to list: the office\'s own and a township\'s', async () => {
  const tag = Date.now() % 100000;
  const a = await admin.post('/api/v1/plans', { title: `审计导出测试计划${tag}`, year: 2032 });
  assert.equal(a.status, 201, JSON.stringify(a.data));
  const l = await (await as('liaison1')).post('/api/v1/plans', { title: `溪美导出测试计划${tag}`, year: 2032 });
  assert.equal(l.status, 201, JSON.stringify(l.data));
});

test('every list exports the rows it lists, under its own headers, and the export is audited', async () => {
  for (const [who, path, header, key, entity, file] of LISTS) {
    const c = who === 'sys' ? sys : admin;
    const list = await c.get(path);
    assert.equal(list.status, 200, path);
    assert.ok(list.data.items.length > 0, `${path}: rows`);
    const x = await c.get(path + (path.includes('?') ? '&' : '?') + 'format=xlsx');
    assert.equal(x.status, 200, `${path}: ${x.status}`);
    assert.match(x.headers.get('content-type'), /spreadsheetml/);
    assert.ok(decodeURIComponent(x.headers.get('content-disposition')).includes(file), `${path}: ${x.headers.get('content-disposition')}`);
    const text = xlsxText(x.data);
    assert.ok(text.includes(header), `${path}: header ${header}`);
    for (const it of list.data.items.slice(0, 30)) {
      const v = xmlText(it[key]);
      assert.ok(text.includes(v) || text.includes(v.replace(/'/g, '&apos;')), `${path}: row ${it[key]}`);
    }
    const log = (await sys.get(`/api/v1/audit-log?entity=${entity}&page_size=10`)).data.items;
    const e = log.find((l) => l.action === 'export' && l.username === (who === 'sys' ? 'sysadmin' : 'admin'));
    assert.ok(e, `${path}: an export entry`);
    assert.equal(e.after.rows, list.data.items.length, `${path}: rows exported`);
    assert.equal(e.after.total, list.data.total);
  }
});

test('a list\'s export is in the caller\'s language, its scope and its filters', async () => {
  const en = xlsxText((await (await as('admin', 'en')).get('/api/v1/plans?format=xlsx')).data);
  for (const h of ['Title', 'Year', 'Approval']) assert.ok(en.includes(h), h);
  const liaison = await as('liaison1');
  const mine = (await liaison.get('/api/v1/plans?page_size=200')).data.items;
  const all = (await admin.get('/api/v1/plans?page_size=200')).data.items;
  const others = all.filter((p) => !mine.some((m) => m.id === p.id));
  assert.ok(others.length > 0, 'plans the liaison does not see');
  const text = xlsxText((await liaison.get('/api/v1/plans?format=xlsx')).data);
  for (const p of others) assert.ok(!text.includes(p.title), `not ${p.title}`);
  // a filter applies to the file as to the list, and the search is in the audit entry
  const one = xlsxText((await admin.get(`/api/v1/units?format=xlsx&q=${enc('溪美')}`)).data);
  assert.ok(one.includes('溪美街道'));
  assert.ok(!one.includes('向阳乡'));
  const log = (await sys.get('/api/v1/audit-log?entity=unit&page_size=20')).data.items;
  assert.ok(log.some((e) => e.action === 'export' && e.actor === 'admin' && e.after.query === '溪美'));
  // the audit log's file reads as the page does: labels, old → new
  const a = xlsxText((await sys.get('/api/v1/audit-log?format=xlsx&entity=unit')).data);
  assert.match(a, /单位名称：[^<]*→/);
});

test('the dedicated exports are audited; a list without columns of its own is refused', async () => {
  const r = await admin.get('/api/v1/units/export?type=township');
  assert.equal(r.status, 200);
  const log = (await sys.get('/api/v1/audit-log?entity=unit&page_size=20')).data.items;
  assert.ok(log.some((e) => e.action === 'export' && e.actor === 'admin' && typeof e.after.rows === 'number'));
  // the cadre list as a file is the cadre export: its permission and its audit entry
  const manager = await as('manager');
  assert.equal((await manager.get('/api/v1/cadres?page_size=1')).status, 200);
  assertError(await manager.get('/api/v1/cadres?format=xlsx'), 403, 'forbidden');
  const x = await admin.get(`/api/v1/cadres?format=xlsx&unit_id=${(await unitByName(admin, '溪美街道')).id}`);
  assert.equal(x.status, 200);
  assert.match(xlsxText(x.data), /350583\*+/);
  const c = (await admin.get('/api/v1/cadres?page_size=1')).data.items[0];
  assertError(await admin.get(`/api/v1/cadres/${c.id}/history?format=xlsx`), 422, 'validation_failed', 'format');
});
