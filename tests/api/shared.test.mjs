// Experts and rooms are shared across regions (SPEC: another region may book 南安's experts
// and rooms), their timetables are not: another region's administrator sees when 南安's
// expert or room is taken — "已占用" at that day, half-day and time — and nothing of the
// class that took it: no class name, topic, description, lecturer, room, id or hours, in
// the week grids, the expert's .ics, the conflicts of its own class's grid, a placement's
// reply and a solve's explanation. 南安's own administrator still sees everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { as, BASE, Client, regionId } from './lib.mjs';

const SEED = '南安市领导干部学习贯彻党的二十大精神暨政治能力提升培训班';
const RANGE = 'from=2023-02-18&to=2023-02-25';

let admin, other, seed, grid, expert, coLecturer, hall, session, secret, original;

// An edit of a session: what it is, with other experts and description.
const edit = (s, experts, description) => ({
  kind: s.kind, topic: s.topic, description, hours: s.hours, room_kind: s.room_kind, groups: s.groups,
  preferred_slot: s.preferred_slot ?? '', start_time: s.time_fixed ? s.start_time : '', end_time: s.time_fixed ? s.end_time : '',
  experts, version: s.version,
});

// Everything of 南安's seed class another region may not read: its name, every session's
// topic and description, every lecturer's name.
function secretsOf(t) {
  const out = new Set([t.class.name]);
  for (const s of t.sessions) {
    out.add(s.topic);
    if (s.description) out.add(s.description);
    for (const e of s.experts) out.add(e.name);
  }
  return out;
}

// The strings of `words` found in the reply's bytes (JSON as sent, or a file).
function leaks(bytes, words) {
  const text = Buffer.isBuffer(bytes) ? bytes.toString('utf8') : JSON.stringify(bytes);
  return [...words].filter((w) => w && text.includes(w));
}

// The documented schema of a route's reply, as openapi.test reads it.
async function schemaOf(path) {
  const doc = await (await fetch(`${BASE}/api/v1/openapi.json`)).json();
  const js = (s) => {
    if (Array.isArray(s)) return s.map(js);
    if (!s || typeof s !== 'object') return s;
    const o = {};
    for (const [k, v] of Object.entries(s)) if (k !== 'nullable') o[k] = js(v);
    return s.nullable === true ? { anyOf: [o, { type: 'null' }] } : o;
  };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'doc', components: js(doc.components) }, 'doc');
  const r = Object.entries(doc.paths[path].get.responses).find(([s]) => s !== 'default')[1];
  const schema = Object.values(r.content)[0].schema;
  return ajv.compile(JSON.parse(JSON.stringify(js(schema)).replaceAll('"#/components/', '"doc#/components/')));
}

const at = (s) => `${s.day}/${s.slot}/${s.start_time}-${s.end_time}`;

test('setup: 惠安县, a county beside 南安 with its own organization admin', async () => {
  admin = await as('admin');
  const sys = await as('sysadmin');
  const g = await sys.post('/api/v1/regions', { name: '惠安县', code: '350521', level: 'county', parent_id: await regionId(sys, '泉州市') });
  assert.equal(g.status, 201, JSON.stringify(g.data));
  const u = await sys.post('/api/v1/users', { username: 'haadmin', display_name: '惠安县委组织部', role: 'org_admin', region_id: g.data.id, password: 'Huian-Admin-2023' });
  assert.equal(u.status, 201, JSON.stringify(u.data));
  other = await new Client().login('haadmin', 'Huian-Admin-2023');
  const pw = await other.put('/api/v1/session/password', { old_password: 'Huian-Admin-2023', new_password: 'Huian-Admin-2024' });
  assert.equal(pw.status, 200, JSON.stringify(pw.data));
  other.csrf = pw.data.csrf_token;

  seed = (await admin.get(`/api/v1/classes?q=${encodeURIComponent('二十大精神')}`)).data.items.find((c) => c.name === SEED);
  assert.ok(seed, 'the seed class');
  assert.equal((await other.get(`/api/v1/classes/${seed.id}`)).status, 404, "惠安 may not read 南安's class");
  grid = (await admin.get(`/api/v1/classes/${seed.id}/timetable`)).data;
  // a lecture of the seed with a second lecturer, so that a co-lecturer is there to leak
  session = grid.sessions.find((s) => s.kind === 'lecture' && s.day && s.room && s.experts.length === 1);
  const second = grid.sessions.find((s) => s.kind === 'lecture' && s.experts.length && s.experts[0].id !== session.experts[0].id);
  expert = session.experts[0];
  coLecturer = second.experts[0];
  hall = session.room;
  original = session;
  const r = await admin.put(`/api/v1/sessions/${session.id}`, edit(session, [expert.id, coLecturer.id], '本讲只给南安的学员看的内容提要'));
  assert.equal(r.status, 200, JSON.stringify(r.data));
  session = r.data;
  grid = (await admin.get(`/api/v1/classes/${seed.id}/timetable`)).data;
  secret = secretsOf(grid);
  assert.ok(secret.has('本讲只给南安的学员看的内容提要') && secret.has(coLecturer.name));
});

test("another region sees 南安's expert and room as 已占用 at their times, nothing of 南安's class", async () => {
  for (const [kind, id, name] of [['experts', expert.id, expert.name], ['rooms', hall.id, hall.name]]) {
    const path = `/api/v1/${kind}/${id}/timetable?${RANGE}`;
    const own = (await admin.get(path)).data;
    const seen = await other.get(path);
    assert.equal(seen.status, 200);
    // the busy times: every session 南安's admin sees is there, at the same day, half-day and time
    assert.ok(own.sessions.length >= (kind === 'rooms' ? 13 : 1));
    assert.deepEqual(seen.data.sessions.map(at).sort(), own.sessions.map(at).sort(), `${kind}: the same busy times`);
    for (const s of seen.data.sessions) {
      assert.equal(s.booked_only, true);
      assert.equal(s.kind_label, '已占用');
      assert.deepEqual([s.id, s.class_id, s.version, s.hours, s.room, s.experts, s.group_rooms, s.conflicts],
        [0, 0, 0, 0, null, [], [], []]);
      assert.deepEqual([s.class_name, s.topic, s.description, s.kind], ['', '', '', '']);
    }
    assert.equal(seen.data.session_count, own.session_count);
    // nothing of the class anywhere in the reply (the expert's or room's own name is its head)
    assert.deepEqual(leaks(seen.data, [...secret].filter((w) => w !== name)), [], `${kind}: nothing of 南安's class`);
    for (const sid of grid.sessions.map((s) => s.id)) assert.ok(!seen.data.sessions.some((s) => s.id === sid));
    // and still the documented shape
    const valid = await schemaOf(`/api/v1/${kind}/{id}/timetable`);
    assert.ok(valid(seen.data), JSON.stringify(valid.errors));
    // 南安's own administrator sees everything, unchanged
    assert.ok(own.sessions.every((s) => s.booked_only === false && s.class_name === SEED));
    assert.ok(leaks(own, [session.topic, coLecturer.name, '本讲只给南安的学员看的内容提要']).length === 3);
  }
});

test("the expert's .ics gives another region busy times only; 南安 gets the lectures", async () => {
  const ics = await other.get(`/api/v1/experts/${expert.id}/timetable.ics`);
  assert.equal(ics.status, 200);
  // long lines are folded (RFC 5545 §3.1): unfolded, a name cannot hide across a fold
  const unfold = (b) => b.toString('utf8').replace(/\r\n[ \t]/g, '');
  const text = unfold(ics.data);
  const own = unfold((await admin.get(`/api/v1/experts/${expert.id}/timetable.ics`)).data);
  const events = (t) => t.match(/BEGIN:VEVENT/g)?.length ?? 0;
  assert.ok(events(text) >= 1);
  assert.equal(events(text), events(own));
  assert.equal(text.match(/SUMMARY:已占用\r\n/g)?.length, events(text));
  assert.deepEqual(text.match(/^DTSTART:.*$/gm).sort(), own.match(/^DTSTART:.*$/gm).sort(), 'the same times');
  assert.doesNotMatch(text, /LOCATION|DESCRIPTION|session-\d+@/);
  assert.deepEqual(leaks(Buffer.from(text), [...secret].filter((w) => w !== expert.name)), []);
  assert.ok(own.includes(session.topic) && own.includes(SEED) && own.includes(`session-${session.id}@peixun`));
});

test("a clash with 南安's class is named as another office's booking, on both sides, in a grid, a move and a solve", async () => {
  const c = await other.post('/api/v1/classes', {
    name: '惠安县乡镇党委书记专题培训班', host: '惠安县委组织部', location: seed.location,
    start_date: seed.start_date, end_date: seed.end_date, capacity: 30, kind: 'topic',
  });
  assert.equal(c.status, 201, JSON.stringify(c.data));
  try {
    const s = await other.post(`/api/v1/classes/${c.data.id}/sessions`, { kind: 'lecture', topic: '惠安的专题讲座', room_kind: 'lecture_hall', experts: [expert.id] });
    assert.equal(s.status, 201, JSON.stringify(s.data));
    // onto the seed's lecture: the same expert, the same hall, the same half-day
    const move = { day: session.day, slot: session.slot, room_id: hall.id };
    const dry = await other.put(`/api/v1/sessions/${s.data.id}/placement?dry_run=1`, move);
    assert.equal(dry.status, 200, JSON.stringify(dry.data));
    const codes = dry.data.session.conflicts.map((x) => x.code).sort();
    assert.ok(codes.includes('expert_clash') && codes.includes('room_clash'), JSON.stringify(dry.data.session.conflicts));
    for (const x of dry.data.session.conflicts.filter((y) => y.code.endsWith('_clash'))) assert.match(x.message, /其他单位的安排/);
    assert.ok(dry.data.affected.length >= 1 && dry.data.affected.every((a) => a.booked_only && a.id === 0), JSON.stringify(dry.data.affected));
    assert.deepEqual(leaks(dry.data, [...secret].filter((w) => w !== expert.name && w !== hall.name)), []);
    const placed = await other.put(`/api/v1/sessions/${s.data.id}/placement`, { ...move, pinned: true });
    assert.equal(placed.status, 200, JSON.stringify(placed.data));

    // 惠安's own grid: its session's clashes name no topic of 南安's, 南安's session is not in it
    const mine = (await other.get(`/api/v1/classes/${c.data.id}/timetable`)).data;
    assert.ok(mine.conflict_count >= 2);
    assert.deepEqual(leaks(mine, [...secret].filter((w) => w !== expert.name)), []);
    // in English too
    const en = await new Client('en').login('haadmin', 'Huian-Admin-2024');
    const enGrid = (await en.get(`/api/v1/classes/${c.data.id}/timetable`)).data;
    assert.ok(enGrid.sessions[0].conflicts.some((x) => x.code === 'expert_clash' && x.message.includes("another office's booking")), JSON.stringify(enGrid.sessions[0].conflicts));

    // 南安's grid: its lecture clashes with another office's booking, not with 惠安's topic
    const seedGrid = (await admin.get(`/api/v1/classes/${seed.id}/timetable`)).data;
    const clashed = seedGrid.sessions.find((x) => x.id === session.id);
    assert.ok(clashed.conflicts.some((x) => x.code === 'expert_clash' && x.message.includes('其他单位的安排')), JSON.stringify(clashed.conflicts));
    assert.deepEqual(leaks(seedGrid, ['惠安的专题讲座', '惠安县乡镇党委书记专题培训班']), []);

    // a solve that cannot avoid the clash (the session is pinned on it) explains itself
    // without naming 南安's lecture
    const job = await other.post(`/api/v1/classes/${c.data.id}/timetable/solve`, { time_limit: 1, seed: 3 });
    assert.equal(job.status, 202, JSON.stringify(job.data));
    let done;
    for (let i = 0; i < 200; i++) {
      done = (await other.get(`/api/v1/jobs/${job.data.job_id}`)).data;
      if (!['queued', 'running'].includes(done.status)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(done.result?.feasible, false, JSON.stringify(done));
    assert.match(done.result.explanation, /其他单位的安排/, done.result.explanation);
    assert.deepEqual(leaks(done, [...secret].filter((w) => w !== expert.name && w !== hall.name)), []);
  } finally {
    // leave the seed as the later tests expect it: no clash, its lecture with one lecturer
    for (const x of (await other.get(`/api/v1/classes/${c.data.id}/timetable`)).data.sessions)
      assert.equal((await other.del(`/api/v1/sessions/${x.id}`)).status, 204);
    assert.equal((await other.del(`/api/v1/classes/${c.data.id}`)).status, 204);
    const now = (await admin.get(`/api/v1/classes/${seed.id}/timetable`)).data.sessions.find((x) => x.id === session.id);
    const r = await admin.put(`/api/v1/sessions/${session.id}`, edit(now, original.experts.map((e) => e.id), original.description));
    assert.equal(r.status, 200, JSON.stringify(r.data));
    assert.equal((await admin.get(`/api/v1/classes/${seed.id}/timetable`)).data.conflict_count, 0);
  }
});

test("a class manager sees the classes it does not manage as booked only; its own in full", async () => {
  const manager = await as('manager');
  const path = `/api/v1/experts/${expert.id}/timetable?${RANGE}`;
  const seen = (await manager.get(path)).data;
  assert.ok(seen.sessions.length >= 1);
  assert.ok(seen.sessions.every((s) => s.booked_only === false && s.class_name === SEED), 'the seed class is its own');
  // a class of the party school's term it does not manage
  const term = (await admin.get(`/api/v1/classes?term=${encodeURIComponent('2023年春季学期')}`)).data.items;
  const mine = new Set((await manager.get(`/api/v1/classes?term=${encodeURIComponent('2023年春季学期')}`)).data.items.map((c) => c.id));
  const foreign = term.find((c) => !mine.has(c.id));
  const fs = (await admin.get(`/api/v1/classes/${foreign.id}/timetable`)).data.sessions.find((s) => s.day && s.experts.length);
  const g = (await manager.get(`/api/v1/experts/${fs.experts[0].id}/timetable?from=${fs.day}&to=${fs.day}`)).data;
  const cell = g.sessions.filter((s) => s.day === fs.day && s.slot === fs.slot);
  assert.ok(cell.length >= 1 && cell.every((s) => s.booked_only && s.kind_label === '已占用'), JSON.stringify(cell));
  assert.deepEqual(leaks(g, [fs.topic, foreign.name]), []);
});
