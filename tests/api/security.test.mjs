// Findings of an adversarial pass over the API, each kept as a test: account anchors outside
// one's region, units created through an import by a role that may not create units, a unit
// made its own parent, cadre contents in the audit log for the system administrator, an
// account that has not changed its initial password, and an anchor id that is not an id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { as, assertError, BASE, Client, idNumber, regionId, unitByName, xlsxText } from './lib.mjs';

let admin, sys, otherUnit, jj;

// A second county (晋江市) with its own administrator and one unit: outside 南安's scope.
test('setup: a unit in another region', async () => {
  admin = await as('admin');
  sys = await as('sysadmin');
  const city = await regionId(sys, '泉州市');
  const g = await sys.post('/api/v1/regions', { name: '晋江市', code: '350582', level: 'county', parent_id: city });
  assert.equal(g.status, 201, JSON.stringify(g.data));
  const u = await sys.post('/api/v1/users', { username: 'jjadmin', display_name: '晋江市委组织部', role: 'org_admin', region_id: g.data.id, password: 'Jinjiang-Admin-2023' });
  assert.equal(u.status, 201, JSON.stringify(u.data));
  jj = await new Client().login('jjadmin', 'Jinjiang-Admin-2023');
  // an account with an initial password may do nothing but change it
  assertError(await jj.get('/api/v1/units'), 403, 'password_change_required');
  assertError(await jj.post('/api/v1/units', { name: '晋江某局', type: 'department', region_id: g.data.id }), 403, 'password_change_required');
  assert.equal((await jj.get('/api/v1/session')).status, 200);
  assert.equal((await jj.get('/api/v1/vocabularies')).status, 200, 'what needs no login stays open');
  const pw = await jj.put('/api/v1/session/password', { old_password: 'Jinjiang-Admin-2023', new_password: 'Jinjiang-Admin-2024' });
  assert.equal(pw.status, 200, JSON.stringify(pw.data));
  jj.csrf = pw.data.csrf_token;
  const unit = await jj.post('/api/v1/units', { name: '晋江市安海镇', type: 'township', region_id: g.data.id });
  assert.equal(unit.status, 201, JSON.stringify(unit.data));
  otherUnit = unit.data;
});

test("an org admin cannot anchor an account in another region's unit, whatever region it names", async () => {
  const nanan = await regionId(admin, '南安市');
  const before = (await sys.get('/api/v1/users?page_size=200')).data.total;
  for (const body of [
    { username: 'evil_liaison', display_name: '越权联络员', role: 'unit_liaison', region_id: nanan, unit_id: otherUnit.id },
    { username: 'evil_liaison', display_name: '越权联络员', role: 'unit_liaison', unit_id: otherUnit.id },
  ]) {
    const r = await admin.post('/api/v1/users', body);
    assertError(r, 422, 'validation_failed', 'region_id');
  }
  assert.equal((await sys.get('/api/v1/users?page_size=200')).data.total, before, 'no account was made');
  // nor move an existing account there
  const liaison = (await admin.get('/api/v1/users?q=liaison1')).data.items[0];
  const r = await admin.put(`/api/v1/users/${liaison.id}`, { unit_id: otherUnit.id, version: liaison.version });
  assertError(r, 422, 'validation_failed', 'region_id');
  // an anchor that is not an id is an error, not a silent clear
  const bad = await admin.put(`/api/v1/users/${liaison.id}`, { region_id: 'abc', version: liaison.version });
  assertError(bad, 422, 'validation_failed', 'region_id');
  const neg = await admin.put(`/api/v1/users/${liaison.id}`, { unit_id: -7, version: liaison.version });
  assertError(neg, 422, 'validation_failed', 'unit_id');
});

test('a liaison cannot create units through an import', async () => {
  const liaison = await as('liaison1');
  const csv = '单位名称,单位类型,所属地区\n联络员私建单位,街道,\n';
  const r = await liaison.raw('POST', '/api/v1/imports?kind=units', { body: csv, json: false, headers: { 'Content-Type': 'text/csv' } });
  assertError(r, 403, 'forbidden');
  const found = await admin.get(`/api/v1/units?q=${encodeURIComponent('联络员私建单位')}`);
  assert.equal(found.data.total, 0);
});

test('a unit cannot become its own parent, nor its child\'s child', async () => {
  const xm = await unitByName(admin, '溪美街道');
  const self = await admin.put(`/api/v1/units/${xm.id}`, { ...xm, parent_id: xm.id, version: xm.version });
  assertError(self, 422, 'validation_failed', 'parent_id');
  const child = await admin.post('/api/v1/units', { name: '循环测试站', type: 'institution', region_id: xm.region_id, parent_id: xm.id });
  assert.equal(child.status, 201, JSON.stringify(child.data));
  const loop = await admin.put(`/api/v1/units/${xm.id}`, { ...xm, parent_id: child.data.id, version: xm.version });
  assertError(loop, 422, 'validation_failed', 'parent_id');
});

test('the system administrator sees who changed a cadre, not what the record held', async () => {
  const xm = await unitByName(admin, '溪美街道');
  const body = { name: '审计测试', id_number: idNumber('120401', '19850101', 1), unit_id: xm.id, rank_level: 'general', category: 'civil_servant' };
  const made = await admin.post('/api/v1/cadres', body);
  assert.equal(made.status, 201, JSON.stringify(made.data));
  const c = made.data;
  const u = await admin.put(`/api/v1/cadres/${c.id}`, { ...body, post: '审计测试职务', version: c.version });
  assert.equal(u.status, 200, JSON.stringify(u.data));
  const log = await sys.get(`/api/v1/audit-log?entity=cadre&entity_id=${c.id}`);
  const entry = log.data.items.find((e) => e.action === 'update');
  assert.ok(entry, 'the update is in the log');
  assert.equal(entry.username, 'admin');
  assert.equal(entry.before, null);
  assert.equal(entry.after, null);
  assert.equal(entry.redacted, true);
  assert.deepEqual(entry.changed.filter((f) => f !== 'version' && f !== 'updated_at'), ['post']);
  assert.ok(!JSON.stringify(log.data).includes(c.name), 'no cadre name in what the system admin reads');
});

test("a seminar's group rooms are real, distinct rooms, one per further group", async () => {
  const seed = (await admin.get(`/api/v1/classes?q=${encodeURIComponent('二十大精神')}`)).data.items[0];
  const t = (await admin.get(`/api/v1/classes/${seed.id}/timetable`)).data;
  const sem = t.sessions.find((s) => s.kind === 'seminar');
  const rooms = sem.group_rooms.map((g) => g.room_id);
  const put = (group_rooms) => admin.put(`/api/v1/sessions/${sem.id}/placement?dry_run=1`, { group_rooms });
  assertError(await put(rooms.map(() => rooms[0])), 422, 'validation_failed', 'group_rooms');
  assertError(await put([sem.room.id, ...rooms.slice(1)]), 422, 'validation_failed', 'group_rooms');
  assertError(await put([...rooms, rooms[0] + 1000]), 422, 'validation_failed', 'group_rooms');
  assertError(await put(['abc']), 422, 'validation_failed', 'group_rooms');
  assertError(await put('abc'), 422, 'validation_failed', 'group_rooms');
  const ok = await put(rooms);
  assert.equal(ok.status, 200, JSON.stringify(ok.data));
});

test('an approval comment may hold any text but control characters', async () => {
  const plan = await admin.post('/api/v1/plans', { title: '意见测试计划', year: 2025 });
  assert.equal(plan.status, 201, JSON.stringify(plan.data));
  const r = await admin.post(`/api/v1/plans/${plan.data.id}/approval`, { action: 'submit', comment: '同意\u001b[31m' });
  assertError(r, 422, 'validation_failed', 'comment');
  const ok = await admin.post(`/api/v1/plans/${plan.data.id}/approval`, { action: 'submit', comment: '请审批;预算见附件 <2025>\n第二行' });
  assert.equal(ok.status, 200, JSON.stringify(ok.data));
});

test('a class is published only once approved, and never below its trainees', async () => {
  const body = { name: '未审批专题班', host: '南安市委党校', location: '南安市委党校', start_date: '2025-05-06', end_date: '2025-05-08', capacity: 30, kind: 'topic' };
  assertError(await admin.post('/api/v1/classes', { ...body, status: 'enrolling' }), 409, 'invalid_state');
  const draft = await admin.post('/api/v1/classes', body);
  assert.equal(draft.status, 201, JSON.stringify(draft.data));
  assertError(await admin.put(`/api/v1/classes/${draft.data.id}`, { ...body, status: 'published', version: draft.data.version }), 409, 'invalid_state');
  // an approved class with trainees keeps at least their places
  const term = (await admin.get(`/api/v1/classes?term=${encodeURIComponent('2023年春季学期')}`)).data.items[0];
  const full = (await admin.get(`/api/v1/classes/${term.id}`)).data;
  const r = await admin.put(`/api/v1/classes/${term.id}`, { ...full, capacity: 1, version: full.version });
  assertError(r, 422, 'validation_failed', 'capacity');
  assert.equal((await admin.get(`/api/v1/classes/${term.id}`)).data.capacity, full.capacity);
});

test("another region's administrator may use 南安's experts and rooms, not change them", async () => {
  const e = (await jj.get(`/api/v1/experts?q=${encodeURIComponent('王立新')}`)).data.items[0];
  assert.ok(e, 'the shared expert pool is readable');
  const full = (await jj.get(`/api/v1/experts/${e.id}`)).data;
  assertError(await jj.put(`/api/v1/experts/${e.id}`, { ...full, title: '改掉', version: full.version }), 403, 'forbidden');
  const room = (await jj.get('/api/v1/rooms?page_size=1')).data.items[0];
  assertError(await jj.put(`/api/v1/rooms/${room.id}`, { ...room, capacity: 1, version: room.version }), 403, 'forbidden');
  assert.notEqual((await admin.get(`/api/v1/rooms/${room.id}`)).data.capacity, 1);
  // 南安's own administrator still may
  const own = (await admin.get(`/api/v1/experts/${e.id}`)).data;
  const ok = await admin.put(`/api/v1/experts/${e.id}`, { ...own, version: own.version });
  assert.equal(ok.status, 200, JSON.stringify(ok.data));
});

test("a trainee's account made by the org admin stays in the admin's view (its region is its cadre's)", async () => {
  const cadre = (await admin.get('/api/v1/cadres?page_size=1&is_head=0')).data.items[0];
  const made = await admin.post('/api/v1/users', { username: 'trainee_scope', display_name: '学员账号', role: 'trainee', cadre_id: cadre.id });
  assert.equal(made.status, 201, JSON.stringify(made.data));
  assert.equal((await admin.get(`/api/v1/users/${made.data.id}`)).status, 200);
  const list = await admin.get('/api/v1/users?q=trainee_scope');
  assert.equal(list.data.total, 1);
});

test("a seminar's room cannot be one of its groups' rooms; fewer groups drop the rooms of those gone", async () => {
  const seed = (await admin.get(`/api/v1/classes?q=${encodeURIComponent('二十大精神')}`)).data.items[0];
  const t = (await admin.get(`/api/v1/classes/${seed.id}/timetable`)).data;
  const sem = t.sessions.find((s) => s.kind === 'seminar');
  const r = await admin.put(`/api/v1/sessions/${sem.id}/placement?dry_run=1`, { room_id: sem.group_rooms[0].room_id });
  assertError(r, 422, 'validation_failed', 'room_id');
  // a placement outside the class's dates still sees the clashes on that day
  const lecture = t.sessions.find((s) => s.kind === 'lecture' && s.room);
  const other = (await admin.get(`/api/v1/classes?term=${encodeURIComponent('2023年春季学期')}`)).data.items[0];
  const busy = (await admin.get(`/api/v1/classes/${other.id}/timetable`)).data.sessions.find((s) => s.day && s.room);
  const out = await admin.put(`/api/v1/sessions/${lecture.id}/placement?dry_run=1`, { day: busy.day, slot: busy.slot, room_id: busy.room.id });
  const codes = out.data.session.conflicts.map((c) => c.code);
  assert.ok(codes.includes('outside_dates') && codes.includes('room_clash'), JSON.stringify(codes));
});

test("the system administrator does not read what an export searched for", async () => {
  const r = await admin.get(`/api/v1/cadres/export?q=${encodeURIComponent('审计测试')}`);
  assert.equal(r.status, 200);
  const log = await sys.get('/api/v1/audit-log?entity=cadre&page_size=50');
  const exp = log.data.items.find((e) => e.action === 'export' && e.username === 'admin');
  assert.ok(exp, 'the export is logged');
  assert.equal(typeof exp.after.rows, 'number');
  assert.ok(!('query' in exp.after));
  assert.ok(!JSON.stringify(log.data).includes('审计测试'));
});

test('a seminar given fewer groups keeps only the rooms of the groups it still has', async () => {
  const body = { name: '分组缩减测试班', host: '南安市委党校', location: '南安市委党校', start_date: '2025-06-02', end_date: '2025-06-04', capacity: 30, kind: 'topic' };
  const c = (await admin.post('/api/v1/classes', body)).data;
  const s = await admin.post(`/api/v1/classes/${c.id}/sessions`, { kind: 'seminar', topic: '分组研讨', room_kind: 'seminar_room', groups: 3 });
  assert.equal(s.status, 201, JSON.stringify(s.data));
  const rooms = (await admin.get(`/api/v1/rooms?site=${encodeURIComponent('中央党校(国家行政学院)')}`)).data.items.filter((m) => m.kind === 'seminar_room');
  const placed = await admin.put(`/api/v1/sessions/${s.data.id}/placement`, { day: '2025-06-02', slot: 2, room_id: rooms[0].id, group_rooms: [rooms[1].id, rooms[2].id] });
  assert.equal(placed.status, 200, JSON.stringify(placed.data));
  const upd = await admin.put(`/api/v1/sessions/${s.data.id}`, { kind: 'seminar', topic: '分组研讨', room_kind: 'seminar_room', groups: 2 });
  assert.equal(upd.status, 200, JSON.stringify(upd.data));
  const t = (await admin.get(`/api/v1/classes/${c.id}/timetable`)).data.sessions.find((x) => x.id === s.data.id);
  assert.deepEqual(t.group_rooms.map((g) => g.room_id), [rooms[1].id]);
  // what the grid sends back when pinning is accepted
  const pin = await admin.put(`/api/v1/sessions/${s.data.id}/placement`, { pinned: true, group_rooms: t.group_rooms.map((g) => g.room_id) });
  assert.equal(pin.status, 200, JSON.stringify(pin.data));
});

test("an archived class's timetable is a closed record", async () => {
  const body = { name: '归档测试班', host: '南安市委党校', location: '南安市委党校', start_date: '2025-07-01', end_date: '2025-07-02', capacity: 30, kind: 'topic' };
  const c = (await admin.post('/api/v1/classes', body)).data;
  const s = (await admin.post(`/api/v1/classes/${c.id}/sessions`, { kind: 'lecture', topic: '归档前的课', room_kind: 'none' })).data;
  assert.equal((await admin.put(`/api/v1/sessions/${s.id}/placement`, { day: '2025-07-01', slot: 0 })).status, 200);
  const sub = await admin.post(`/api/v1/classes/${c.id}/approval`, { action: 'submit' });
  assert.equal(sub.status, 200, JSON.stringify(sub.data));
  // who submitted it approves no step of it (SPEC §7): the office's other account does
  const ok = await (await as('admin2')).post(`/api/v1/classes/${c.id}/approval`, { action: 'approve' });
  assert.equal(ok.status, 200, JSON.stringify(ok.data));
  const cur = (await admin.get(`/api/v1/classes/${c.id}`)).data;
  const arch = await admin.put(`/api/v1/classes/${c.id}`, { ...body, status: 'archived', version: cur.version });
  assert.equal(arch.status, 200, JSON.stringify(arch.data));
  assertError(await admin.put(`/api/v1/sessions/${s.id}/placement`, { pinned: true }), 409, 'invalid_state');
  assertError(await admin.post(`/api/v1/classes/${c.id}/sessions`, { kind: 'lecture', topic: '补一课', room_kind: 'none' }), 409, 'invalid_state');
  assertError(await admin.post(`/api/v1/classes/${c.id}/timetable/solve`, { time_limit: 1 }), 409, 'invalid_state');
  assertError(await admin.del(`/api/v1/sessions/${s.id}`), 409, 'invalid_state');
  // reading it still works, and so do its documents
  assert.equal((await admin.get(`/api/v1/classes/${c.id}/timetable`)).data.sessions.length, 1);
  assert.equal((await admin.get(`/api/v1/classes/${c.id}/timetable.pdf`)).status, 200);
});

test('the system admin sees that a trainee account is linked to a cadre, not whose (SPEC §1)', async () => {
  const sys = await as('sysadmin');
  const admin = await as('admin');
  const bySys = (await sys.get('/api/v1/users?role=trainee&page_size=200')).data.items;
  const byAdmin = (await admin.get('/api/v1/users?role=trainee&page_size=200')).data.items;
  const t1 = (l) => l.find((u) => u.username === 'trainee1');
  assert.ok(t1(bySys).cadre_id > 0);
  assert.equal(t1(bySys).cadre_name, '');
  assert.ok(t1(byAdmin).cadre_name.length > 0, 'the organization admin sees the name');
  // nor by naming a cadre id in a write and reading the reply
  const probe = await sys.put(`/api/v1/users/${t1(bySys).id}`, { cadre_id: t1(bySys).cadre_id });
  assert.equal(probe.status, 200, JSON.stringify(probe.data));
  assert.equal(probe.data.cadre_name, '');
});

test('a body declared larger than its cap is refused at once, without waiting for it', async () => {
  const net = await import('node:net');
  const { hostname, port } = new URL(BASE);
  const reply = await new Promise((resolve, reject) => {
    const s = net.connect(Number(port), hostname, () => {
      // the headers promise 100 GB and one byte follows; the rest never comes
      s.write('POST /api/v1/cadres HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Content-Length: 99999999999\r\n\r\n{');
    });
    let got = '';
    s.on('data', (d) => { got += d; if (got.includes('\r\n\r\n')) { s.destroy(); resolve(got); } });
    s.on('close', () => resolve(got)); // before: closed after 60 s with no answer at all
    s.on('error', reject);
  });
  assert.match(reply, /^HTTP\/1\.1 413 /);
});

test('ids are read strictly: +1, 01 and 1%00 name no record', async () => {
  const admin = await as('admin');
  const one = (await admin.get('/api/v1/cadres?page_size=1')).data.items[0].id;
  assert.equal((await admin.get(`/api/v1/cadres/${one}`)).status, 200);
  for (const bad of [`+${one}`, `0${one}`, `${one}%00`, `${one}%00x`, `${one}.0`, ` ${one}`])
    assertError(await admin.get(`/api/v1/cadres/${bad}`), 404, 'not_found');
});

test('media types are case-insensitive: Application/JSON is JSON', async () => {
  const r = await fetch(`${BASE}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'Application/JSON; Charset=UTF-8' },
    body: JSON.stringify({ username: 'nobody_media_type', password: 'not-the-password' }),
  });
  assert.equal(r.status, 401); // a wrong password, not an unsupported media type
  assert.equal((await r.json()).error.code, 'bad_credentials');
});

test('the audit log does not tell the system admin whose account a trainee\'s is', async () => {
  const admin = await as('admin');
  const sys = await as('sysadmin');
  const cadre = (await admin.get('/api/v1/cadres?page_size=1&q=' + encodeURIComponent('何'))).data.items[0];
  const u = await admin.post('/api/v1/users', {
    username: `trainee_audit_${Date.now() % 100000}`, display_name: '审计测试', role: 'trainee', cadre_id: cadre.id,
  });
  assert.equal(u.status, 201, JSON.stringify(u.data));
  assert.equal(u.data.cadre_name, cadre.name, 'the organization admin sees it');
  const log = await sys.get(`/api/v1/audit-log?entity=user&entity_id=${u.data.id}`);
  const entry = log.data.items.find((e) => e.action === 'create');
  assert.ok(entry);
  assert.equal(JSON.stringify(entry).includes(cadre.name), false, JSON.stringify(entry.after));
  assert.equal(entry.after.cadre_id, cadre.id, 'that it is linked still shows');
  const byAdmin = (await admin.get(`/api/v1/audit-log?entity=user&entity_id=${u.data.id}`));
  assert.equal(byAdmin.status, 403); // the audit log is the system admin's (audit.read)
});

test("another region's administrator, who holds cadre.reveal, reveals none of 南安's cadres", async () => {
  const nanan = (await admin.get('/api/v1/cadres?page_size=5&is_head=1')).data.items;
  assert.ok(nanan.length > 0);
  for (const c of nanan) {
    assertError(await jj.post(`/api/v1/cadres/${c.id}/reveal`, {}), 404, 'not_found');
    assertError(await jj.get(`/api/v1/cadres/${c.id}`), 404, 'not_found');
  }
  // its own cadre it may reveal (the right is there: the refusal above is the scope's)
  const mine = await jj.post('/api/v1/cadres', {
    name: '晋江测试干部', id_number: '350582199001011231', unit_id: otherUnit.id, rank_level: 'general', category: 'civil_servant',
  });
  assert.equal(mine.status, 201, JSON.stringify(mine.data));
  assert.equal((await jj.post(`/api/v1/cadres/${mine.data.id}/reveal`, {})).data.id_number, '350582199001011231');
  // an unmasked export holds its own region only, whatever it filters by
  const names = nanan.map((c) => c.name);
  const all = await jj.get('/api/v1/cadres/export?reveal=1');
  assert.equal(all.status, 200);
  const text = xlsxText(all.data);
  assert.ok(text.includes('350582199001011231'), 'its own cadre, unmasked');
  for (const n of names) assert.ok(!text.includes(n), `南安's ${n} in 晋江's export`);
  const byUnit = await jj.get(`/api/v1/cadres/export?reveal=1&unit_id=${nanan[0].unit_id}`);
  if (byUnit.status === 200) for (const n of names) assert.ok(!xlsxText(byUnit.data).includes(n), n);
  else assert.ok([404, 422].includes(byUnit.status), String(byUnit.status));
});
