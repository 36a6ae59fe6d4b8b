// Who is behind a class and who may reach whom (issue 9, items 9, 11, 13 and 17): a class's
// organizer (主办单位), its class managers (班主任) and their phone, where and when trainees
// report (报到); the accounts without a region that serve a region (a class manager of its
// classes, an expert it entered or who teaches for it) and what another region sees of
// them; a plan's classes put in and taken out; what a trainee's phone is told; and the
// printed timetable that says it all without cutting anything off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { as, assertError, BACKEND, Client, PASSWORD, regionId } from './lib.mjs';

const SEED = '南安市领导干部学习贯彻党的二十大精神暨政治能力提升培训班';
const RUN = Date.now() % 100000;
const PW = 'Class-People-2023a';
const PW2 = 'Class-People-2024b';
let admin, sys, manager, other, seed;

// A new account's first login, with the password change it must make first.
async function firstLogin(username, password = PW) {
  const c = await new Client().login(username, password);
  const r = await c.put('/api/v1/session/password', { old_password: password, new_password: PW2 });
  assert.equal(r.status, 200, JSON.stringify(r.data));
  c.csrf = r.data.csrf_token;
  return c;
}

function classBody(name, extra = {}) {
  return { name, host: '南安市委党校', location: '南安市委党校', start_date: '2024-09-02', end_date: '2024-09-06', capacity: 40, kind: 'topic', ...extra };
}

// The text of a PDF: as laid out, or (raw) in the order it was set, a cell's lines together.
function pdfText(buf, raw = false) {
  const dir = mkdtempSync(join(process.env.PEIXUN_TMP ?? '/tmp', 'pdf-'));
  writeFileSync(join(dir, 't.pdf'), buf);
  return execFileSync('pdftotext', [raw ? '-raw' : '-layout', join(dir, 't.pdf'), '-'], { encoding: 'utf8' });
}
const squeeze = (s) => s.replace(/\s+/g, '');
// SQL straight into the suite's database (nothing in the API forms seminar groups yet)
function sql(text) {
  const db = process.env.PEIXUN_DB;
  return BACKEND === 'sqlite' ? execFileSync('sqlite3', [db, text]).toString().trim()
    : execFileSync('psql', ['-qtA', '-d', db, '-c', text]).toString().trim();
}

test('setup: a county beside 南安 with an organization admin of its own', async () => {
  admin = await as('admin');
  sys = await as('sysadmin');
  manager = await as('manager');
  const g = await sys.post('/api/v1/regions', { name: `德化县${RUN}`, level: 'county', parent_id: await regionId(sys, '泉州市') });
  assert.equal(g.status, 201, JSON.stringify(g.data));
  const u = await sys.post('/api/v1/users', { username: `dhadmin-${RUN}`, display_name: '德化县委组织部', role: 'org_admin', region_id: g.data.id, password: PW });
  assert.equal(u.status, 201, JSON.stringify(u.data));
  other = await firstLogin(`dhadmin-${RUN}`);
  seed = (await admin.get(`/api/v1/classes?q=${encodeURIComponent('二十大精神')}`)).data.items.find((c) => c.name === SEED);
  assert.ok(seed);
});

test("the seed's class says who organizes it, who runs it and where to report; the form keeps what it leaves out", async () => {
  assert.equal(seed.organizer, '中共南安市委组织部');
  assert.equal(seed.host, '中央党校(国家行政学院)');
  assert.deepEqual(seed.managers.map((m) => m.display_name), ['林晓燕']);
  assert.equal(seed.manager_phone, '0595-86381234');
  assert.equal(seed.report_date, '2023-02-17');
  assert.ok(seed.report_time && seed.report_place);

  const made = await admin.post('/api/v1/classes', classBody(`联系人测试班${RUN}`, {
    organizer: '中共南安市委组织部', manager_phone: '13905951234', report_date: '2024-09-01', report_time: '14:00–18:00', report_place: '南安市委党校学员楼大厅',
  }));
  assert.equal(made.status, 201, JSON.stringify(made.data));
  assert.equal(made.data.organizer, '中共南安市委组织部');
  assert.equal(made.data.manager_phone, '13905951234');
  assert.equal(made.data.report_date, '2024-09-01');
  // an update that does not name them keeps them (an older client, a class manager's form)
  const { organizer, manager_phone, report_date, report_time, report_place, ...rest } = made.data;
  const kept = await admin.put(`/api/v1/classes/${made.data.id}`, { ...classBody(made.data.name), version: rest.version });
  assert.equal(kept.status, 200, JSON.stringify(kept.data));
  assert.deepEqual([kept.data.organizer, kept.data.manager_phone, kept.data.report_date, kept.data.report_time, kept.data.report_place],
    [organizer, manager_phone, report_date, report_time, report_place]);
  // bad values are named, in the user's language, and change nothing
  assertError(await admin.put(`/api/v1/classes/${made.data.id}`, { ...classBody(made.data.name), manager_phone: '12345', version: kept.data.version }), 422, 'validation_failed', 'manager_phone');
  assertError(await admin.put(`/api/v1/classes/${made.data.id}`, { ...classBody(made.data.name), report_date: '2024-09-03', version: kept.data.version }), 422, 'validation_failed', 'report_date');
  const en = await as('admin', 'en');
  const late = await en.put(`/api/v1/classes/${made.data.id}`, { ...classBody(made.data.name), report_date: '2024-07-01', version: kept.data.version });
  assertError(late, 422, 'validation_failed', 'report_date');
  assert.match(late.data.error.details.find((d) => d.field === 'report_date').message, /30 days/);
  assert.equal((await admin.get(`/api/v1/classes/${made.data.id}`)).data.version, kept.data.version);
  assert.equal((await admin.del(`/api/v1/classes/${made.data.id}`)).status, 204);
});

test('the organization admin sees the class manager and the expert who serve its classes; another region does not', async () => {
  const list = (await admin.get('/api/v1/users?page_size=200')).data.items;
  const mgr = list.find((u) => u.username === 'manager');
  const exp = list.find((u) => u.username === 'expert1');
  assert.ok(mgr, "南安's admin lists the seed's class manager");
  assert.ok(exp, "南安's admin lists the seed's lecturer");
  // the classes the manager runs show on its account
  assert.deepEqual(mgr.classes.map((c) => c.name).sort(), [SEED, '2023年春季中青年干部培训班'].sort());
  assert.equal(mgr.classes_elsewhere, 0);
  assert.equal((await admin.get(`/api/v1/users/${mgr.id}`)).status, 200);
  // another region: neither in its list, nor by id, nor to reset
  const theirs = (await other.get('/api/v1/users?page_size=200')).data.items.map((u) => u.username);
  assert.ok(!theirs.includes('manager') && !theirs.includes('expert1'), JSON.stringify(theirs));
  assertError(await other.get(`/api/v1/users/${mgr.id}`), 404, 'not_found');
  assertError(await other.get(`/api/v1/users/${exp.id}`), 404, 'not_found');
  assertError(await other.post(`/api/v1/users/${mgr.id}/password`, {}), 404, 'not_found');
  assertError(await other.post(`/api/v1/users/${exp.id}/password`, {}), 404, 'not_found');
  assert.ok(!(await other.get(`/api/v1/users?q=manager`)).data.items.some((u) => u.username === 'manager'));
});

test('the admin resets the expert it entered; a region where the expert only teaches sees the account and may not reset it', async () => {
  const exp = (await admin.get('/api/v1/users?q=expert1')).data.items.find((u) => u.username === 'expert1');
  // 德化 puts 南安's lecturer on a session of its own class: now it sees the account…
  const k = await other.post('/api/v1/classes', classBody(`德化借用专家班${RUN}`));
  assert.equal(k.status, 201, JSON.stringify(k.data));
  const s = await other.post(`/api/v1/classes/${k.data.id}/sessions`, { kind: 'lecture', topic: '借用专家的讲座', room_kind: 'none', experts: [exp.expert_id] });
  assert.equal(s.status, 201, JSON.stringify(s.data));
  assert.deepEqual(s.data.experts.map((e) => e.id), [exp.expert_id]);
  const seen = await other.get(`/api/v1/users/${exp.id}`);
  assert.equal(seen.status, 200, JSON.stringify(seen.data));
  assert.ok((await other.get('/api/v1/users?q=expert1')).data.items.some((u) => u.id === exp.id));
  // …but may not reset its password or rename it: the account is kept where the record was entered
  assertError(await other.post(`/api/v1/users/${exp.id}/password`, {}), 403, 'forbidden');
  assertError(await other.put(`/api/v1/users/${exp.id}`, { display_name: '改名' }), 403, 'forbidden');
  // 南安's admin may: a reset, the expert logs in with it and sets the demo's password again
  const reset = await admin.post(`/api/v1/users/${exp.id}/password`, { password: PW });
  assert.equal(reset.status, 200, JSON.stringify(reset.data));
  assert.equal(reset.data.must_change_password, true);
  const back = await new Client().login('expert1', PW);
  const pw = await back.put('/api/v1/session/password', { old_password: PW, new_password: PASSWORD });
  assert.equal(pw.status, 200, JSON.stringify(pw.data));
  await as('expert1');
  assert.equal((await other.del(`/api/v1/sessions/${s.data.id}`)).status, 204);
  assert.equal((await other.del(`/api/v1/classes/${k.data.id}`)).status, 204);
  assertError(await other.get(`/api/v1/users/${exp.id}`), 404, 'not_found');
});

test('managing an expert account gives no power to grant roles: an admin makes no admin and unmakes no expert', async () => {
  const exp = (await admin.get('/api/v1/users?q=expert1')).data.items.find((u) => u.username === 'expert1');
  const renamed = await admin.put(`/api/v1/users/${exp.id}`, { display_name: '王立新教授' });
  assert.equal(renamed.status, 200, JSON.stringify(renamed.data));
  assert.equal((await admin.put(`/api/v1/users/${exp.id}`, { display_name: '王立新' })).status, 200);
  assertError(await admin.put(`/api/v1/users/${exp.id}`, { role: 'viewer', region_id: seed.region_id }), 403, 'forbidden', 'role');
  const v = await admin.post('/api/v1/users', { username: `cpview-${RUN}`, display_name: '查看账号', role: 'viewer', region_id: seed.region_id, password: PW });
  assert.equal(v.status, 201, JSON.stringify(v.data));
  assertError(await admin.put(`/api/v1/users/${v.data.id}`, { role: 'org_admin' }), 403, 'forbidden', 'role');
  assertError(await admin.put(`/api/v1/users/${v.data.id}`, { role: 'expert' }), 403, 'forbidden', 'role');
  assert.equal((await admin.get(`/api/v1/users/${v.data.id}`)).data.role, 'viewer');
});

test("a class manager without a region is the admin's to reset while it runs the region's classes", async () => {
  // made in 南安, given a class, then its region taken away by the system admin
  const name = `cm-${RUN}`;
  const u = await admin.post('/api/v1/users', { username: name, display_name: '陈班主任', role: 'class_manager', region_id: seed.region_id, password: PW });
  assert.equal(u.status, 201, JSON.stringify(u.data));
  const k = await admin.post('/api/v1/classes', classBody(`班主任测试班${RUN}`, { manager_ids: [u.data.id] }));
  assert.equal(k.status, 201, JSON.stringify(k.data));
  assert.deepEqual(k.data.managers.map((m) => m.id), [u.data.id]);
  const bare = await sys.put(`/api/v1/users/${u.data.id}`, { region_id: null });
  assert.equal(bare.status, 200, JSON.stringify(bare.data));
  assert.equal(bare.data.region_id, null);
  const seen = await admin.get(`/api/v1/users/${u.data.id}`);
  assert.equal(seen.status, 200, JSON.stringify(seen.data));
  assert.deepEqual(seen.data.classes.map((c) => c.id), [k.data.id]);
  assert.equal((await admin.post(`/api/v1/users/${u.data.id}/password`, {})).status, 200);
  const renamed = await admin.put(`/api/v1/users/${u.data.id}`, { display_name: '陈晓班主任' });
  assert.equal(renamed.status, 200, JSON.stringify(renamed.data));
  assert.equal(renamed.data.region_id, null, 'it stays without a region');
  assertError(await other.get(`/api/v1/users/${u.data.id}`), 404, 'not_found');
  assertError(await other.post(`/api/v1/users/${u.data.id}/password`, {}), 404, 'not_found');
  // off its last class of 南安 it is out of sight again
  const off = await admin.put(`/api/v1/classes/${k.data.id}`, { ...classBody(k.data.name), manager_ids: [], version: k.data.version });
  assert.equal(off.status, 200, JSON.stringify(off.data));
  assert.deepEqual(off.data.managers, []);
  assertError(await admin.get(`/api/v1/users/${u.data.id}`), 404, 'not_found');
  assert.equal((await admin.del(`/api/v1/classes/${k.data.id}`)).status, 204);
});

test('the class form names its managers: class-manager accounts in sight, by an organization admin', async () => {
  const mgr = (await admin.get('/api/v1/users?q=manager')).data.items.find((u) => u.username === 'manager');
  const liaison = (await admin.get('/api/v1/users?q=liaison1')).data.items.find((u) => u.username === 'liaison1');
  const k = await admin.post('/api/v1/classes', classBody(`班主任指定班${RUN}`, { manager_ids: [mgr.id] }));
  assert.equal(k.status, 201, JSON.stringify(k.data));
  assert.deepEqual(k.data.managers, [{ id: mgr.id, display_name: '林晓燕' }]);
  // the manager now runs it: the class is in its list, and on its account
  assert.ok((await manager.get('/api/v1/classes?page_size=100')).data.items.some((c) => c.id === k.data.id));
  assert.ok((await admin.get(`/api/v1/users/${mgr.id}`)).data.classes.some((c) => c.id === k.data.id));
  const body = (extra) => ({ ...classBody(k.data.name), version: k.data.version, ...extra });
  assertError(await admin.put(`/api/v1/classes/${k.data.id}`, body({ manager_ids: [liaison.id] })), 422, 'validation_failed', 'manager_ids');
  assertError(await admin.put(`/api/v1/classes/${k.data.id}`, body({ manager_ids: [999999999] })), 422, 'validation_failed', 'manager_ids');
  // not a list of distinct ids
  for (const bad of [[mgr.id, mgr.id], [0], ['1'], 7, Array.from({ length: 21 }, (_, i) => i + 1)])
    assertError(await admin.put(`/api/v1/classes/${k.data.id}`, body({ manager_ids: bad })), 422, 'validation_failed', 'manager_ids');
  assertError(await admin.put(`/api/v1/classes/${k.data.id}`, body({ manager_ids: 'manager' })), 422, 'validation_failed', 'manager_ids');
  // 德化's admin cannot name 南安's manager (not in its sight)
  const theirs = await other.post('/api/v1/classes', classBody(`德化班主任班${RUN}`, { manager_ids: [mgr.id] }));
  assertError(theirs, 422, 'validation_failed', 'manager_ids');
  // the class manager may send its class's managers back unchanged, not change them
  const same = await manager.put(`/api/v1/classes/${k.data.id}`, body({ manager_ids: [mgr.id] }));
  assert.equal(same.status, 200, JSON.stringify(same.data));
  assertError(await manager.put(`/api/v1/classes/${k.data.id}`, { ...body({ manager_ids: [] }), version: same.data.version }), 403, 'forbidden');
  assert.deepEqual((await admin.get(`/api/v1/classes/${k.data.id}`)).data.managers.map((m) => m.id), [mgr.id]);
  // the account form sets the classes a manager runs, within the admin's classes
  const acct = await admin.put(`/api/v1/users/${mgr.id}`, { class_ids: (await admin.get(`/api/v1/users/${mgr.id}`)).data.classes.map((c) => c.id).filter((id) => id !== k.data.id) });
  assert.equal(acct.status, 200, JSON.stringify(acct.data));
  assert.ok(!acct.data.classes.some((c) => c.id === k.data.id));
  assert.deepEqual((await admin.get(`/api/v1/classes/${k.data.id}`)).data.managers, []);
  const again = await admin.put(`/api/v1/users/${mgr.id}`, { class_ids: [...acct.data.classes.map((c) => c.id), k.data.id] });
  assert.equal(again.status, 200, JSON.stringify(again.data));
  assert.ok(again.data.classes.some((c) => c.id === k.data.id));
  assertError(await admin.put(`/api/v1/users/${liaison.id}`, { class_ids: [k.data.id] }), 422, 'validation_failed', 'class_ids');
  assertError(await admin.put(`/api/v1/users/${mgr.id}`, { class_ids: [k.data.id, k.data.id] }), 422, 'validation_failed', 'class_ids');
  const dh = await other.post('/api/v1/classes', classBody(`德化自己的班${RUN}`));
  assertError(await admin.put(`/api/v1/users/${mgr.id}`, { class_ids: [k.data.id, dh.data.id] }), 422, 'validation_failed', 'class_ids');
  // the audit log has the change of managers
  const audit = (await sys.get(`/api/v1/audit-log?entity=user&entity_id=${mgr.id}`)).data.items;
  assert.ok(audit.some((e) => e.action === 'update'), JSON.stringify(audit.slice(0, 2)));
  const off = await admin.put(`/api/v1/classes/${k.data.id}`, { ...classBody(k.data.name), manager_ids: [], version: (await admin.get(`/api/v1/classes/${k.data.id}`)).data.version });
  assert.equal(off.status, 200, JSON.stringify(off.data));
  assert.equal((await admin.del(`/api/v1/classes/${k.data.id}`)).status, 204);
  assert.equal((await other.del(`/api/v1/classes/${dh.data.id}`)).status, 204);
});

test("the demo's 2023 plan holds Nan'an's classes of the year", async () => {
  const plans = (await admin.get('/api/v1/plans?year=2023')).data.items;
  const p = plans.find((x) => x.title === '南安市2023年度干部教育培训计划');
  assert.ok(p, JSON.stringify(plans));
  assert.equal(p.status, 'approved');
  assert.equal(p.class_count, 7);
  const classes = (await admin.get(`/api/v1/classes?plan_id=${p.id}&page_size=50`)).data.items.map((c) => c.name);
  assert.ok(classes.includes(SEED) && classes.includes('2023年春季中青年干部培训班'), JSON.stringify(classes));
  assert.equal(seed.plan_id, p.id);
});

test('a plan takes classes in and lets them go, in scope, audited, not while it is under approval', async () => {
  const plan = await admin.post('/api/v1/plans', { title: `南安市2024年专题计划${RUN}`, year: 2024 });
  assert.equal(plan.status, 201, JSON.stringify(plan.data));
  const k = await admin.post('/api/v1/classes', classBody(`纳入计划班${RUN}`));
  const put = await admin.put(`/api/v1/plans/${plan.data.id}/classes/${k.data.id}`);
  assert.equal(put.status, 200, JSON.stringify(put.data));
  assert.equal(put.data.class_count, 1);
  assert.equal((await admin.get(`/api/v1/classes/${k.data.id}`)).data.plan_id, plan.data.id);
  assert.equal((await admin.put(`/api/v1/plans/${plan.data.id}/classes/${k.data.id}`)).data.class_count, 1, 'twice is once');
  // another region's admin: neither the plan nor the class
  assertError(await other.put(`/api/v1/plans/${plan.data.id}/classes/${k.data.id}`), 404, 'not_found');
  assertError(await other.del(`/api/v1/plans/${plan.data.id}/classes/${k.data.id}`), 404, 'not_found');
  const dh = await other.post('/api/v1/classes', classBody(`德化纳入班${RUN}`));
  assertError(await admin.put(`/api/v1/plans/${plan.data.id}/classes/${dh.data.id}`), 404, 'not_found');
  // a liaison writes its unit's plans, not classes; a class manager writes no plans
  assertError(await (await as('liaison1')).put(`/api/v1/plans/${plan.data.id}/classes/${k.data.id}`), 403, 'forbidden');
  assertError(await manager.put(`/api/v1/plans/${plan.data.id}/classes/${k.data.id}`), 403, 'forbidden');
  // a class is in one plan at most
  const p2 = await admin.post('/api/v1/plans', { title: `南安市2024年第二计划${RUN}`, year: 2024 });
  assertError(await admin.put(`/api/v1/plans/${p2.data.id}/classes/${k.data.id}`), 409, 'invalid_state');
  assertError(await admin.del(`/api/v1/plans/${p2.data.id}/classes/${k.data.id}`), 404, 'not_found');
  // under approval it keeps its classes; the class form cannot take one out either
  assert.equal((await admin.post(`/api/v1/plans/${plan.data.id}/approval`, { action: 'submit' })).status, 200);
  assertError(await admin.del(`/api/v1/plans/${plan.data.id}/classes/${k.data.id}`), 409, 'invalid_state');
  const k2 = await admin.post('/api/v1/classes', classBody(`迟到的班${RUN}`));
  assertError(await admin.put(`/api/v1/plans/${plan.data.id}/classes/${k2.data.id}`), 409, 'invalid_state');
  const cur = (await admin.get(`/api/v1/classes/${k.data.id}`)).data;
  assertError(await admin.put(`/api/v1/classes/${k.data.id}`, { ...classBody(cur.name), plan_id: null, version: cur.version }), 409, 'invalid_state');
  // approved (by another account of the office): a class joins only once approved on its own
  assert.equal((await (await as('admin2')).post(`/api/v1/plans/${plan.data.id}/approval`, { action: 'approve' })).status, 200);
  assertError(await admin.put(`/api/v1/plans/${plan.data.id}/classes/${k2.data.id}`), 409, 'invalid_state');
  // the draft may still leave it
  const out = await admin.del(`/api/v1/plans/${plan.data.id}/classes/${k.data.id}`);
  assert.equal(out.status, 200, JSON.stringify(out.data));
  assert.equal(out.data.class_count, 0);
  assert.equal((await admin.get(`/api/v1/classes/${k.data.id}`)).data.plan_id, null);
  const audit = (await sys.get(`/api/v1/audit-log?entity=plan&entity_id=${plan.data.id}`)).data.items.map((e) => e.action);
  assert.ok(audit.includes('add_class') && audit.includes('remove_class'), JSON.stringify(audit));
  for (const [c, id] of [[admin, k.data.id], [admin, k2.data.id], [other, dh.data.id]]) assert.equal((await c.del(`/api/v1/classes/${id}`)).status, 204);
});

test("a trainee's schedule tells the class's dates, where and when to report, its 班主任 and the trainee's seminar group", async () => {
  const trainee = await as('trainee1');
  const mine = await trainee.get('/api/v1/me/schedule');
  assert.equal(mine.status, 200);
  const k = mine.data.classes.find((c) => c.name === SEED);
  assert.ok(k, JSON.stringify(mine.data.classes.map((c) => c.name)));
  assert.equal(k.start_date, '2023-02-18');
  assert.deepEqual(k.managers, [{ display_name: '林晓燕' }]);
  assert.equal(k.manager_phone, '0595-86381234');
  assert.equal(k.report_date, '2023-02-17');
  assert.equal(k.report_given, true);
  assert.equal(k.organizer, '中共南安市委组织部');
  assert.equal(k.seminar_group, 0, 'no seminar groups are formed yet');
  // a past class that says nothing of its report: the first day and the location
  const past = mine.data.classes.find((c) => c.name !== SEED);
  if (past) {
    assert.equal(past.report_given, false);
    assert.equal(past.report_date, past.start_date);
    assert.equal(past.report_place, past.location);
  }
  // once groups are formed (enrollments.seminar_group) the trainee is told its own
  if (process.env.PEIXUN_DB) {
    const where = `class_id = ${k.id} AND cadre_id = ${trainee.user.cadre_id}`;
    sql(`UPDATE enrollments SET seminar_group = 4 WHERE ${where}`);
    try {
      assert.equal((await trainee.get('/api/v1/me/schedule')).data.classes.find((c) => c.id === k.id).seminar_group, 4);
    } finally {
      sql(`UPDATE enrollments SET seminar_group = 0 WHERE ${where}`);
    }
  }
  // an expert has no rosters
  assert.deepEqual((await (await as('expert1')).get('/api/v1/me/schedule')).data.classes, []);
  // the menu's name is the person's
  assert.notEqual(trainee.user.display_name, '学员');
  assert.equal((await as('expert1')).user.display_name, '王立新');
});

test('the printed timetable names the organizer, the 班主任 and phone, and cuts nothing off', async () => {
  const text = pdfText((await admin.get(`/api/v1/classes/${seed.id}/timetable.pdf`)).data);
  assert.match(text, /主办单位:中共南安市委组织部/);
  assert.match(text, /班主任:林晓燕/);
  assert.ok(text.includes('0595-86381234'));
  assert.match(text, /打印日期 \d{4}-\d{2}-\d{2}/);
  assert.ok(!text.includes('2023年南安市') && !/peixun/i.test(text.split('\n').slice(-6).join('\n')), 'no program name in the footer');
  // a crowded half-day: four long lectures and a seminar of six rooms named unalike
  const k = await admin.post('/api/v1/classes', classBody(`拥挤课表测试班${RUN}`, { organizer: '中共南安市委组织部' }));
  const rooms = (await admin.get(`/api/v1/rooms?site=${encodeURIComponent('南安市委党校')}&page_size=50`)).data.items;
  const seminarRooms = rooms.filter((r) => r.kind === 'seminar_room').slice(0, 3);
  const hall = rooms.find((r) => r.kind === 'lecture_hall');
  const topics = [
    '习近平新时代中国特色社会主义思想的世界观和方法论专题研究与实践运用',
    '以高质量党建引领基层治理现代化的南安探索与经验启示',
    '县域经济高质量发展中的产业链供应链韧性和安全水平提升路径',
    '数字政府建设背景下领导干部数字素养与技能提升专题',
  ];
  for (const topic of topics) {
    const s = await admin.post(`/api/v1/classes/${k.data.id}/sessions`, { kind: 'lecture', topic, room_kind: 'none' });
    assert.equal(s.status, 201, JSON.stringify(s.data));
    const p = await admin.put(`/api/v1/sessions/${s.data.id}/placement`, { day: '2024-09-03', slot: 0, room_id: hall.id });
    assert.equal(p.status, 200, JSON.stringify(p.data));
  }
  const sem = await admin.post(`/api/v1/classes/${k.data.id}/sessions`, { kind: 'seminar', topic: '分组研讨:学以致用谈体会', room_kind: 'seminar_room', groups: 3 });
  assert.equal(sem.status, 201, JSON.stringify(sem.data));
  const sp = await admin.put(`/api/v1/sessions/${sem.data.id}/placement`, { day: '2024-09-03', slot: 0, room_id: seminarRooms[0].id, group_rooms: seminarRooms.slice(1).map((r) => r.id) });
  assert.equal(sp.status, 200, JSON.stringify(sp.data));
  const crowdedPdf = (await admin.get(`/api/v1/classes/${k.data.id}/timetable.pdf`)).data;
  if (process.env.PEIXUN_TMP) writeFileSync(join(process.env.PEIXUN_TMP, 'crowded.pdf'), crowdedPdf);
  const crowded = squeeze(pdfText(crowdedPdf, true));
  assert.ok(!crowded.includes('…'), 'nothing cut off');
  for (const t of [...topics, '分组研讨:学以致用谈体会', ...seminarRooms.map((r) => r.name)]) assert.ok(crowded.includes(squeeze(t)), `${t} printed whole`);
  const tt = (await admin.get(`/api/v1/classes/${k.data.id}/timetable`)).data;
  for (const s of tt.sessions) assert.equal((await admin.del(`/api/v1/sessions/${s.id}`)).status, 204);
  assert.equal((await admin.del(`/api/v1/classes/${k.data.id}`)).status, 204);
});
