// authz-routes.mjs — the world and the requests behind the authorization matrix
// (authz-matrix.txt, run by authz.test.mjs).
//
// buildWorld() adds the twins to the demo through the API: a second county (石狮市) with its
// own organization admin, viewer, unit, cadre, plan, class, session, expert, room, rejected
// import and solve job; a second township liaison (柳城街道) with its plan and import; a
// trainee of another class (新任科级干部任职培训班, which the demo's class manager does not
// manage); another class manager and another expert. ROUTES then says, for every route,
// which object each (role, case) asks about and with what body — bodies are valid for the
// own case (a 2xx means the write happened), and in the other case carry the target's own
// current values, so even a scope check that wrongly passes changes nothing.
import assert from 'node:assert/strict';
import { Client, PASSWORD, idNumber, xlsxText } from './lib.mjs';

export const ROLES = ['anonymous', 'sysadmin', 'org_admin', 'class_manager', 'unit_liaison', 'trainee', 'expert', 'viewer'];
export const CASES = ['own', 'other', 'none'];
// The demo's account of each role (SPEC §5), password $PEIXUN_PASSWORD.
export const ACCOUNTS = {
  sysadmin: 'sysadmin', org_admin: 'admin', class_manager: 'manager', unit_liaison: 'liaison1',
  trainee: 'trainee1', expert: 'expert1', viewer: 'viewer1',
};
// An id that no object has (the `none` case).
export const MISSING = 999999999;

const TWIN_PW = 'Matrix-Twin-2023a';
const TWIN_PW2 = 'Matrix-Twin-2024b';
const ALT_PW = 'Matrix-Alt-Pass-2023x';
const OWN_YEAR = 2030; // plans of the callers' own scopes
const TWIN_YEAR = 2031; // plans of the twins' scopes
const ID_REGION = '130701'; // ID numbers of this file's cadres (other files use other codes)
const SEED = '南安市领导干部学习贯彻党的二十大精神暨政治能力提升培训班';
const T1 = '2023年春季中青年干部培训班'; // the term class the demo's manager manages
const T2 = '新任科级干部任职培训班'; // a term class it does not manage
const SITE_NN = '矩阵测试培训点';
const SITE_SS = '石狮矩阵培训点';

let serial = 0;
const next = () => ++serial;
// A serial in Chinese numerals, for names that must be unique and may hold no digits.
const cn = (n) => String(n).replace(/\d/g, (d) => '零一二三四五六七八九'[d]);
// This run's tag: names, user names and ID numbers of the world differ from run to run, so
// the suite can run again on the same database (AUTHZ_RUN=N fixes it).
const RUN = Number(process.env.AUTHZ_RUN ?? Date.now() % 13440);
const user = (name) => `${name}-${RUN}`;
const tagged = (name) => `${name}${cn(RUN)}`;
// A name of its own for each object a row makes.
const uniq = (name) => `${name}${cn(RUN)}之${cn(next())}`;
// Distinct valid ID numbers: the birth date carries the run, the sequence number the cadre.
let idSerial = 0;
const runYmd = `19${50 + (RUN % 40)}${String(1 + (Math.floor(RUN / 40) % 12)).padStart(2, '0')}${String(1 + (Math.floor(RUN / 480) % 28)).padStart(2, '0')}`;
const newIdNumber = () => idNumber(ID_REGION, runYmd, ++idSerial);

function ok(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${JSON.stringify(r.data).slice(0, 400)}`);
  return r.data;
}

// A new account logs in and changes its initial password, as it must before anything else.
async function firstLogin(username) {
  const c = await new Client().login(username, TWIN_PW);
  const pw = await c.put('/api/v1/session/password', { old_password: TWIN_PW, new_password: TWIN_PW2 });
  ok(pw, 200, `password change of ${username}`);
  c.csrf = pw.data.csrf_token;
  return c;
}

const csvHeader = '姓名,身份证号,手机号码,单位,职务,是否一把手,职级层次,干部类别,任现职时间\n';
export function cadreCsv(unitName, name, idn) {
  return `${csvHeader}${name},${idn},13800000000,${unitName},科员,否,一般干部,公务员,2020-01-01\n`;
}
function upload(client, csv) {
  return client.raw('POST', '/api/v1/imports?kind=cadres&filename=matrix.csv', {
    body: csv, json: false, headers: { 'Content-Type': 'text/csv' },
  });
}
// A rejected import of the caller's: the id of the run (its report is then readable).
async function rejectedImport(client, unitName) {
  const bad = newIdNumber().slice(0, 17) + 'Y';
  const r = await upload(client, cadreCsv(unitName, '矩阵错行', bad));
  ok(r, 422, 'a rejected import');
  assert.ok(r.data.error.import_id, JSON.stringify(r.data));
  return { id: r.data.error.import_id };
}

async function waitJob(client, id) {
  for (let i = 0; i < 900; i++) {
    const r = await client.get(`/api/v1/jobs/${id}`);
    if (r.status === 200 && (r.data.status === 'done' || r.data.status === 'failed')) return r.data;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`job ${id} did not finish`);
}
export const SOLVE_BODY = { time_limit: 1, whole_term: false, seed: 1 };
async function solveJob(client, classId) {
  const r = await client.post(`/api/v1/classes/${classId}/timetable/solve`, SOLVE_BODY);
  ok(r, 202, `solve of class ${classId}`);
  await waitJob(client, r.data.job_id);
  return { id: r.data.job_id };
}

// The roles that arrange timetables (class.write): the others get no further than 403.
const arranges = (role) => role === 'org_admin' || role === 'class_manager';

function classBody(name, extra = {}) {
  return { name, host: '矩阵测试党校', location: '矩阵测试党校', start_date: '2031-05-06', end_date: '2031-05-08', capacity: 30, kind: 'topic', ...extra };
}
function cadreBody(name, unitId, extra = {}) {
  return {
    name, id_number: newIdNumber(), phone: '13912345678', unit_id: unitId,
    post: '科员', is_head: false, rank_level: 'general', category: 'civil_servant', ...extra,
  };
}
async function sessionIn(client, classId, topic) {
  return ok(await client.post(`/api/v1/classes/${classId}/sessions`, { kind: 'lecture', topic, room_kind: 'none' }), 201, `session in class ${classId}`);
}

// Every (role) client logged in, and the world around them with its twins.
export async function buildWorld() {
  const C = {};
  for (const [role, name] of Object.entries(ACCOUNTS)) C[role] = await new Client().login(name);
  const sys = C.sysadmin, admin = C.org_admin;
  const fx = { region: {}, unit: {}, cadre: {}, user: {}, plan: {}, class: {}, session: {}, expert: {}, room: {}, import: {}, job: {}, created: { sessions: [], units: [], regions: [], classes: [] } };

  // Regions: 南安市 (the demo's), and 石狮市 beside it under 泉州市.
  const regions = (await sys.get('/api/v1/regions')).data.items;
  const byName = (n) => { const g = regions.find((x) => x.name === n); assert.ok(g, n); return g; };
  fx.region.nn = byName('南安市');
  fx.region.ss = regions.find((g) => g.name === '石狮市' && g.parent_id === byName('泉州市').id) // from an earlier run
    ?? ok(await sys.post('/api/v1/regions', { name: '石狮市', code: '350581', level: 'county', parent_id: byName('泉州市').id }), 201, 'region 石狮市');

  // The twins' accounts, and two accounts that only ever are objects (never log in).
  const mk = async (client, body) => ok(await client.post('/api/v1/users', { password: TWIN_PW, ...body }), 201, `account ${body.username}`);
  await mk(sys, { username: user('mx-ssadmin'), display_name: '石狮市委组织部', role: 'org_admin', region_id: fx.region.ss.id });
  await mk(sys, { username: user('mx-ssviewer'), display_name: '石狮市领导', role: 'viewer', region_id: fx.region.ss.id });
  await mk(sys, { username: user('mx-expert2'), display_name: '另一位专家', role: 'expert' });
  const H = { ssadmin: await firstLogin(user('mx-ssadmin')) };
  H.ssviewer = await firstLogin(user('mx-ssviewer'));
  H.expert2 = await firstLogin(user('mx-expert2'));

  const units = (await admin.get('/api/v1/units?page_size=200')).data.items;
  const unit = (n) => { const u = units.find((x) => x.name === n); assert.ok(u, n); return u; };
  fx.unit.xm = unit('溪美街道');
  fx.unit.lc = unit('柳城街道');
  await mk(admin, { username: user('mx-lcliaison'), display_name: '柳城街道联络员', role: 'unit_liaison', unit_id: fx.unit.lc.id });
  await mk(sys, { username: user('mx-manager2'), display_name: '另一位班主任', role: 'class_manager' });
  H.lcliaison = await firstLogin(user('mx-lcliaison'));
  H.manager2 = await firstLogin(user('mx-manager2'));
  fx.user.nn = await mk(admin, { username: user('mx-object-nn'), display_name: '南安对象账号', role: 'viewer', region_id: fx.region.nn.id });

  // The demo's classes; a trainee of T2 (the term's rosters are the registry's general
  // non-head cadres in id order: T1 takes the first 36, T2 the next 37).
  const classes = (await admin.get('/api/v1/classes?page_size=100')).data.items;
  const klass = (n) => { const k = classes.find((x) => x.name === n); assert.ok(k, n); return k; };
  fx.class.seed = klass(SEED);
  fx.class.t1 = klass(T1);
  fx.class.t2 = klass(T2);
  const pool = (await admin.get('/api/v1/cadres?rank_level=general&is_head=0&sort=id&page_size=200')).data.items;
  const cand = pool.slice(36, 73).find((c) => c.unit_id !== fx.unit.xm.id && c.unit_id !== fx.unit.lc.id);
  assert.ok(cand, 'a trainee of T2 outside 溪美 and 柳城');
  await mk(admin, { username: user('mx-trainee2'), display_name: '另一位学员', role: 'trainee', cadre_id: cand.id });
  H.trainee2 = await firstLogin(user('mx-trainee2'));
  const t2classes = (await H.trainee2.get('/api/v1/classes?page_size=50')).data.items.map((c) => c.id);
  assert.ok(t2classes.includes(fx.class.t2.id) && !t2classes.includes(fx.class.t1.id) && !t2classes.includes(fx.class.seed.id),
    `trainee2 is on ${T2} and on no class of the manager's: ${t2classes}`);
  fx.cadre.t2 = cand;
  fx.unit.t2 = units.find((u) => u.id === cand.unit_id);
  fx.cadre.t1 = ok(await admin.get(`/api/v1/cadres/${C.trainee.user.cadre_id}`), 200, 'trainee1 cadre');

  // A class 柳城's liaison sees and 溪美's does not (one of its cadres on the roster, none of 溪美's).
  const mine = new Set((await C.unit_liaison.get('/api/v1/classes?page_size=100')).data.items.map((c) => c.id));
  const lcs = (await H.lcliaison.get('/api/v1/classes?page_size=100')).data.items.filter((c) => !mine.has(c.id));
  fx.class.lc = lcs.find((c) => c.status !== 'archived') ?? lcs[0];
  assert.ok(fx.class.lc, 'a class with 柳城 trainees and none of 溪美');

  // 石狮市: its admin's unit, cadre, plan, class and session, expert, room, import, job.
  const ss = H.ssadmin;
  fx.unit.ss = ok(await ss.post('/api/v1/units', { name: tagged('石狮矩阵街道'), type: 'street', region_id: fx.region.ss.id }), 201, 'unit of 石狮');
  const ssBody = cadreBody(tagged('石矩阵'), fx.unit.ss.id);
  fx.cadre.ss = { ...ok(await ss.post('/api/v1/cadres', ssBody), 201, 'cadre of 石狮'), idn: ssBody.id_number };
  fx.user.ss = await mk(ss, { username: user('mx-object-ss'), display_name: '石狮对象账号', role: 'viewer', region_id: fx.region.ss.id });
  fx.plan.ss = ok(await ss.post('/api/v1/plans', { title: '石狮市矩阵计划', year: TWIN_YEAR }), 201, 'plan of 石狮');
  fx.class.ss = ok(await ss.post('/api/v1/classes', classBody(tagged('石狮市矩阵专题班'))), 201, 'class of 石狮');
  // the twin's class in the twin's plan: a wrongly passing PUT or DELETE of it into / out of
  // the plan by another region would be a no-op / be seen
  ok(await ss.put(`/api/v1/plans/${fx.plan.ss.id}/classes/${fx.class.ss.id}`), 200, 'class of 石狮 into its plan');
  fx.session.ss = await sessionIn(ss, fx.class.ss.id, '矩阵课·石狮');
  fx.expert.ss = ok(await ss.post('/api/v1/experts', { name: tagged('石狮矩阵专家'), institution: '石狮市委党校', title: '讲师', topics: '基层治理', availability: 'open' }), 201, 'expert of 石狮');
  fx.room.ss = ok(await ss.post('/api/v1/rooms', { site: SITE_SS, name: tagged('石狮矩阵教室'), capacity: 40, kind: 'lecture_hall' }), 201, 'room of 石狮');
  fx.import.ss = await rejectedImport(ss, fx.unit.ss.name);
  fx.job.ss = await solveJob(ss, fx.class.ss.id);

  // 南安市: the admin's own objects, and cadres in 溪美 and 柳城.
  const xmBody = cadreBody(tagged('溪矩阵'), fx.unit.xm.id);
  fx.cadre.xm = { ...ok(await admin.post('/api/v1/cadres', xmBody), 201, 'cadre of 溪美'), idn: xmBody.id_number };
  fx.cadre.lc = ok(await admin.post('/api/v1/cadres', cadreBody(tagged('柳矩阵'), fx.unit.lc.id)), 201, 'cadre of 柳城');
  fx.plan.nn = ok(await admin.post('/api/v1/plans', { title: '南安市矩阵计划', year: OWN_YEAR }), 201, 'plan of 南安');
  fx.class.nn = ok(await admin.post('/api/v1/classes', classBody(tagged('南安市矩阵专题班'))), 201, 'class of 南安');
  fx.session.nn = await sessionIn(admin, fx.class.nn.id, '矩阵课·南安');
  fx.expert.nn = ok(await admin.post('/api/v1/experts', { name: tagged('南安矩阵专家'), institution: '南安市委党校', title: '讲师', topics: '乡村振兴', availability: 'open' }), 201, 'expert of 南安');
  fx.room.nn = ok(await admin.post('/api/v1/rooms', { site: SITE_NN, name: tagged('南安矩阵教室'), capacity: 40, kind: 'lecture_hall' }), 201, 'room of 南安');
  fx.import.admin = await rejectedImport(admin, fx.unit.xm.name);
  fx.job.admin = await solveJob(admin, fx.class.nn.id);
  // sessions of demo classes that rows may touch (removed again at the end)
  fx.session.t2 = await sessionIn(admin, fx.class.t2.id, '矩阵课·任职班');
  fx.session.seed = await sessionIn(admin, fx.class.seed.id, '矩阵课·二十大班');
  fx.created.sessions.push(fx.session.t2.id, fx.session.seed.id);

  // The liaisons' plans and imports.
  fx.plan.xm = ok(await C.unit_liaison.post('/api/v1/plans', { title: '溪美街道矩阵计划', year: OWN_YEAR }), 201, 'plan of 溪美');
  fx.plan.lc = ok(await H.lcliaison.post('/api/v1/plans', { title: '柳城街道矩阵计划', year: TWIN_YEAR }), 201, 'plan of 柳城');
  fx.import.liaison = await rejectedImport(C.unit_liaison, fx.unit.xm.name);
  fx.import.lc = await rejectedImport(H.lcliaison, fx.unit.lc.name);

  // The manager's job (before its session exists, so the solve has nothing new to place),
  // then its session in T1.
  fx.job.mgr = await solveJob(C.class_manager, fx.class.t1.id);
  fx.session.mgr = await sessionIn(C.class_manager, fx.class.t1.id, '矩阵课·中青班');
  fx.created.sessions.push(fx.session.mgr.id);

  // Sessions of the twins' classes, for "must not be in my schedule" (placed ones only count).
  fx.schedule = {};
  for (const [k, cl] of Object.entries({ t2: fx.class.t2, seed: fx.class.seed })) {
    fx.schedule[k] = (await admin.get(`/api/v1/classes/${cl.id}/timetable`)).data.sessions.filter((s) => s.slot !== null);
  }
  fx.expertOwn = C.expert.user.expert_id;
  return { C, H, fx };
}

// ---- which object a (role, case) asks about --------------------------------------------

const OWN = {
  region: () => 'nn',
  unit: () => 'xm',
  cadre: (r) => (r === 'class_manager' || r === 'trainee' ? 't1' : 'xm'),
  user: () => 'nn',
  plan: (r) => (r === 'unit_liaison' ? 'xm' : 'nn'),
  class: (r) => ({ class_manager: 't1', unit_liaison: 'seed', trainee: 'seed' })[r] ?? 'nn',
  session: (r) => ({ class_manager: 'mgr', unit_liaison: 'seed', trainee: 'seed' })[r] ?? 'nn',
  expert: () => 'nn',
  room: () => 'nn',
  import: (r) => (r === 'unit_liaison' ? 'liaison' : 'admin'),
  job: (r) => (r === 'class_manager' ? 'mgr' : 'admin'),
};
const OTHER = {
  region: () => 'ss',
  unit: (r) => ({ unit_liaison: 'lc', trainee: 't2' })[r] ?? 'ss',
  cadre: (r) => ({ unit_liaison: 'lc', trainee: 't2', class_manager: 't2' })[r] ?? 'ss',
  user: () => 'ss',
  plan: (r) => (r === 'unit_liaison' ? 'lc' : 'ss'),
  class: (r) => ({ class_manager: 't2', trainee: 't2', unit_liaison: 'lc' })[r] ?? 'ss',
  // (the class only 柳城's liaison sees is a past, archived one: no sessions can be added)
  session: (r) => ({ class_manager: 't2', trainee: 't2' })[r] ?? 'ss',
  expert: () => 'ss',
  room: () => 'ss',
  import: (r) => (r === 'unit_liaison' ? 'lc' : 'ss'),
  job: (r) => (r === 'org_admin' ? 'ss' : 'admin'),
};
// The object (JSON as created or read) for a role and case; null for `none`.
export function pick(w, kind, role, kase) {
  if (kase === 'none') return null;
  const key = (kase === 'own' ? OWN : OTHER)[kind](role);
  const o = w.fx[kind][key];
  assert.ok(o, `fixture ${kind}.${key}`);
  return o;
}
const idOf = (w, kind, role, kase) => (kase === 'none' ? MISSING : pick(w, kind, role, kase).id);

// The caller's own region and unit (as its account anchors them).
const homeRegion = (w) => w.fx.region.nn.id;
// Who keeps an object of the world (to read its current values for a write body).
const keeper = (w, kind, role, kase) => {
  const key = (kase === 'own' ? OWN : OTHER)[kind](role);
  return key === 'ss' ? w.H.ssadmin : w.C.org_admin;
};

// ---- throwaway objects for rows that consume theirs (DELETE, approval) -----------------

// A victim per (kind, case, scope): made on first use, used again until a row consumes it.
async function victim(w, kind, role, kase, make) {
  const key = `${kind}:${kase}:${(kase === 'own' ? OWN : OTHER)[kind](role)}`;
  w.victims ??= {};
  if (!w.victims[key]) w.victims[key] = await make();
  return { obj: w.victims[key], consume: () => { delete w.victims[key]; } };
}

// ---- checks on replies -----------------------------------------------------------------

const items = (res) => (Array.isArray(res.data?.items) ? res.data.items : null);
// For a list in the other case: none of the twin's objects (pred) may be in the reply; with
// :all, some must be (which also shows that the filter reaches them).
function listCheck(pred, what) {
  return (res, { all }) => {
    const list = items(res);
    if (!list) return 'the reply is not a list';
    const hits = list.filter(pred);
    if (all) return hits.length ? null : `none of the twin's ${what} in the reply (scope all: expected some)`;
    return hits.length ? `LEAK: the twin's ${what} in the reply: ${hits.slice(0, 3).map((h) => h.id ?? h.username ?? JSON.stringify(h)).join(', ')}` : null;
  };
}
function textCheck(words, what) {
  return (res, { all }) => {
    const text = Buffer.isBuffer(res.data) ? (res.data[0] === 0x50 ? xlsxText(res.data) : res.data.toString('utf8')) : JSON.stringify(res.data);
    const hits = words.filter((x) => text.includes(x));
    if (all) return hits.length ? null : `the twin's ${what} not in the reply (scope all: expected)`;
    return hits.length ? `LEAK: the twin's ${what} in the reply: ${hits.join(', ')}` : null;
  };
}
const emptyCheck = (res) => {
  const list = items(res);
  return list && list.length ? `expected an empty list, got ${list.length} item(s)` : null;
};

// One's own schedule must hold none of the twin's sessions: for the expert another expert's
// lectures of the seed's class, for everyone else the sessions of 新任科级干部任职培训班
// (mx-trainee2's class).
function scheduleLeak(w, role, ids) {
  const forbidden = new Set(role === 'expert'
    ? w.fx.schedule.seed.filter((s) => !s.experts.some((e) => e.id === w.fx.expertOwn)).map((s) => s.id)
    : w.fx.schedule.t2.map((s) => s.id));
  assert.ok(forbidden.size > 0, 'placed sessions of the twin');
  const hits = ids.filter((id) => forbidden.has(id));
  return hits.length ? `LEAK: ${hits.length} session(s) of the twin's in one's own schedule: ${hits.slice(0, 5).join(', ')}` : null;
}

// ---- write bodies from an object's current values --------------------------------------

async function unitBody(w, client, id) {
  const u = ok(await client.get(`/api/v1/units/${id}`), 200, `unit ${id}`);
  return { name: u.name, short_name: u.short_name, code: u.code, type: u.type, industries: u.industries, region_id: u.region_id, parent_id: u.parent_id, sort_order: u.sort_order };
}
async function cadreBodyOf(client, id) {
  const c = ok(await client.get(`/api/v1/cadres/${id}`), 200, `cadre ${id}`);
  const keys = ['name', 'gender', 'birth_date', 'unit_id', 'post', 'is_head', 'rank_level', 'grade', 'category', 'post_date', 'promotion_date', 'status'];
  return Object.fromEntries(keys.map((k) => [k, c[k]]));
}
async function classBodyOf(client, id) {
  const c = ok(await client.get(`/api/v1/classes/${id}`), 200, `class ${id}`);
  const keys = ['plan_id', 'name', 'host', 'location', 'off_site', 'start_date', 'end_date', 'capacity', 'credited_hours', 'credited_days', 'kind', 'status', 'term', 'batch_no', 'target_levels', 'target_categories'];
  return Object.fromEntries(keys.map((k) => [k, c[k]]));
}
async function sessionOf(client, classId, sessionId) {
  const t = ok(await client.get(`/api/v1/classes/${classId}/timetable`), 200, `timetable of ${classId}`);
  const s = t.sessions.find((x) => x.id === sessionId);
  assert.ok(s, `session ${sessionId} in class ${classId}`);
  return s;
}
function sessionBody(s) {
  const b = { kind: s.kind, topic: s.topic, description: s.description, hours: s.hours, room_kind: s.room_kind, groups: s.groups, preferred_slot: s.preferred_slot };
  if (s.time_fixed) Object.assign(b, { start_time: s.start_time, end_time: s.end_time });
  return b;
}
const sessionClass = (w, role, kase) => {
  const key = (kase === 'own' ? OWN : OTHER).session(role);
  return { nn: w.fx.class.nn, ss: w.fx.class.ss, mgr: w.fx.class.t1, t2: w.fx.class.t2, seed: w.fx.class.seed }[key];
};

// ---- the routes -------------------------------------------------------------------------
//
// kind: public | self | noobj (cases collapse: the same request three times) · list · id ·
// create (the body names a parent) · create-noparent (the body cannot name one: in the
// other/none cases it names the twin's / a missing region and unit anyway, which must be
// ignored). prepare(w, role, kase) → { path, body?, raw?, client?, check?, after? }.

const P = '/api/v1';
const same = (path) => ({ kind: 'noobj', prepare: () => ({ path }) });

// A list: own unfiltered; other filtered towards the twin (pred: what is the twin's); none
// filtered to what does not exist.
function list(path, { other, none, pred, what, text }) {
  return {
    kind: 'list',
    prepare: (w, role, kase) => {
      if (kase === 'own') return { path };
      if (kase === 'none') return { path: path + (none ? `?${none(w, role)}` : ''), check: emptyCheckIf(none) };
      const q = other ? other(w, role) : '';
      return { path: path + (q ? `?${q}` : ''), check: text ? textCheck(text(w, role), what) : listCheck((it) => pred(w, role, it), what) };
    },
  };
}
const emptyCheckIf = (none) => (none ? (res) => (items(res) ? emptyCheck(res) : null) : undefined);
const enc = encodeURIComponent;

// An {id} route on objects of `kind`; body(w, role, kase, obj) for writes.
function byId(kind, tail = '', body) {
  return {
    kind: 'id',
    prepare: async (w, role, kase) => {
      const id = idOf(w, kind, role, kase);
      const b = body ? await body(w, role, kase, kase === 'none' ? null : pick(w, kind, role, kase)) : undefined;
      return { path: `${P}/${kind === 'class' ? 'classes' : kind + 's'}/${id}${tail}`, body: b };
    },
  };
}
const plural = { region: 'regions', unit: 'units', class: 'classes', plan: 'plans', session: 'sessions' };

// ---- the ledger's objects: an entry and a rule version of 南安 (nn) and of 石狮 (ss) ----

const ledgerAdjustment = () => ({ title: '矩阵补录', end_date: '2023-06-30', hours: 0.5, reason: '矩阵测试' });
// one day of 2090–2099 each (a day of its own per row and run)
let farDay = Math.floor(Date.now() / 1000) % 3650;
const farVersion = (title) => {
  const day = new Date(Date.UTC(2090, 0, 1) + (farDay++ % 3650) * 86400000).toISOString().slice(0, 10);
  return { title: uniq(title), effective_from: day, effective_to: day, rules: [{ code: 'far', title: '远期规则', hours_kind: 'online', window_kind: 'year', min_hours: 10 }] };
};
async function ledgerEntry(w, where) {
  w.ledger ??= {};
  if (!w.ledger[`entry:${where}`]) {
    const client = where === 'ss' ? w.H.ssadmin : w.C.org_admin;
    const cadre = where === 'ss' ? w.fx.cadre.ss : w.fx.cadre.xm;
    w.ledger[`entry:${where}`] = ok(await client.post(`${P}/cadres/${cadre.id}/ledger/adjustments`, ledgerAdjustment()), 201, `a ledger entry of ${where}`);
  }
  return w.ledger[`entry:${where}`];
}
async function requirementVersion(w, where) {
  w.ledger ??= {};
  if (!w.ledger[`version:${where}`]) {
    const client = where === 'ss' ? w.H.ssadmin : w.C.org_admin;
    w.ledger[`version:${where}`] = ok(await client.post(`${P}/requirements`, farVersion('矩阵读取版本')), 201, `a rule version of ${where}`);
  }
  return w.ledger[`version:${where}`];
}

// A fresh draft class of 南安 (or of 石狮), removed again at the end if still there.
async function draft(w, ss, name) {
  const c = ok(await (ss ? w.H.ssadmin : w.C.org_admin).post(`${P}/classes`, classBody(uniq(name))), 201, 'a draft class');
  w.fx.created.classes.push({ id: c.id, by: ss ? 'ssadmin' : 'org_admin' });
  return c;
}

// A class into a plan (PUT) or out of it (DELETE): own — the caller's own plan and a fresh
// draft class of 南安 (put into that plan first for a DELETE); other — the twin's plan and
// the twin's class, which is in it; none — a plan that does not exist.
function planClass(remove) {
  return {
    kind: 'id',
    prepare: async (w, role, kase) => {
      if (kase === 'none') return { path: `${P}/plans/${MISSING}/classes/${w.fx.class.nn.id}` };
      if (kase === 'other') return { path: `${P}/plans/${pick(w, 'plan', role, 'other').id}/classes/${w.fx.class.ss.id}` };
      const plan = pick(w, 'plan', role, 'own');
      const c = await draft(w, false, '矩阵入计划班');
      if (remove) ok(await w.C.org_admin.put(`${P}/plans/${plan.id}/classes/${c.id}`), 200, 'a class into the plan');
      return { path: `${P}/plans/${plan.id}/classes/${c.id}` };
    },
  };
}

// A DELETE or an approval step on a fresh object of the scope, made by its keeper.
function consuming(kind, tail, make, body) {
  return {
    kind: 'id',
    prepare: async (w, role, kase) => {
      if (kase === 'none') return { path: `${P}/${plural[kind]}/${MISSING}${tail}`, body };
      const fixed = make(w, role, kase);
      if (fixed.object) return { path: `${P}/${plural[kind]}/${fixed.object.id}${tail}`, body };
      const v = await victim(w, kind, role, kase, fixed.make);
      return {
        path: `${P}/${plural[kind]}/${v.obj.id}${tail}`, body,
        after: (res) => { if (res.status >= 200 && res.status < 300) v.consume(); },
      };
    },
  };
}

export const ROUTES = {
  // ---- system (public: the cases collapse)
  'GET /healthz': { kind: 'public', prepare: () => ({ path: '/healthz' }) },
  'GET /api/v1/openapi.json': { kind: 'public', prepare: () => ({ path: `${P}/openapi.json` }) },
  'GET /api/v1/vocabularies': { kind: 'public', prepare: () => ({ path: `${P}/vocabularies` }) },

  // ---- session (one's own: the cases collapse)
  'POST /api/v1/session': {
    kind: 'public',
    prepare: (w, role) => {
      const c = new Client();
      if (role !== 'anonymous') Object.assign(c, { cookie: w.C[role].cookie, csrf: w.C[role].csrf });
      const body = role === 'anonymous' ? { username: `mx-nobody-${RUN}-${next()}`, password: 'No-Such-Pass-2023' } : { username: ACCOUNTS[role], password: PASSWORD };
      return { client: c, body };
    },
  },
  'GET /api/v1/session': { kind: 'self', prepare: () => ({}) },
  'DELETE /api/v1/session': {
    kind: 'self',
    // a session of its own, so that the role's client stays logged in
    prepare: async (w, role) => ({ client: role === 'anonymous' ? new Client() : await new Client().login(ACCOUNTS[role]) }),
  },
  'PUT /api/v1/session/password': {
    kind: 'self',
    prepare: (w, role) => ({
      body: { old_password: PASSWORD, new_password: ALT_PW },
      after: async (res, client) => {
        if (res.status !== 200) return;
        client.csrf = res.data.csrf_token;
        const back = await client.put(`${P}/session/password`, { old_password: ALT_PW, new_password: PASSWORD });
        assert.equal(back.status, 200, `password of ${role} back: ${JSON.stringify(back.data)}`);
        client.csrf = back.data.csrf_token;
      },
    }),
  },

  // ---- regions
  'GET /api/v1/regions': list(`${P}/regions`, {
    pred: (w, r, it) => it.id === w.fx.region.ss.id || it.parent_id === w.fx.region.ss.id, what: 'region (石狮市)',
  }),
  'POST /api/v1/regions': {
    kind: 'create',
    prepare: (w, role, kase) => ({
      body: { name: uniq('矩阵区'), level: 'township', parent_id: kase === 'none' ? MISSING : pick(w, 'region', role, kase).id },
      after: (res) => { if (res.status === 201) w.fx.created.regions.push(res.data.id); },
    }),
  },
  'GET /api/v1/regions/{id}': byId('region'),
  'PUT /api/v1/regions/{id}': byId('region', '', (w, role, kase, g) => (g ? { name: g.name, code: g.code, level: g.level, sort_order: g.sort_order } : { name: '不存在', level: 'township' })),
  'DELETE /api/v1/regions/{id}': consuming('region', '', (w, role, kase) => ({
    make: async () => {
      const g = ok(await w.C.sysadmin.post(`${P}/regions`, { name: uniq('矩阵待删区'), level: 'township', parent_id: pick(w, 'region', role, kase).id }), 201, 'a region to delete');
      w.fx.created.regions.push(g.id);
      return g;
    },
  })),

  // ---- units
  'GET /api/v1/units/export': list(`${P}/units/export`, {
    other: (w, r) => { const u = pick(w, 'unit', r, 'other'); return `region_id=${u.region_id}&q=${enc(u.name)}`; },
    none: () => `region_id=${MISSING}`,
    text: (w, r) => [pick(w, 'unit', r, 'other').name], what: 'unit',
  }),
  'GET /api/v1/units': list(`${P}/units`, {
    other: (w, r) => { const u = pick(w, 'unit', r, 'other'); return `region_id=${u.region_id}&q=${enc(u.name)}`; },
    none: () => `region_id=${MISSING}`,
    pred: (w, r, it) => it.id === pick(w, 'unit', r, 'other').id, what: 'unit',
  }),
  'POST /api/v1/units': {
    kind: 'create',
    prepare: (w, role, kase) => ({
      body: { name: uniq('矩阵单位'), type: 'institution', region_id: kase === 'none' ? MISSING : pick(w, 'region', role, kase).id },
      after: (res) => { if (res.status === 201) w.fx.created.units.push({ id: res.data.id, by: 'org_admin' }); },
    }),
  },
  'GET /api/v1/units/{id}': byId('unit'),
  'PUT /api/v1/units/{id}': byId('unit', '', async (w, role, kase, u) => (u ? unitBody(w, keeper(w, 'unit', role, kase), u.id) : { name: '不存在', type: 'institution', region_id: homeRegion(w) })),
  'DELETE /api/v1/units/{id}': consuming('unit', '', (w, role, kase) => ({
    make: async () => {
      const ss = OTHER.unit(role) === 'ss' && kase === 'other';
      const by = ss ? w.H.ssadmin : w.C.org_admin;
      const u = ok(await by.post(`${P}/units`, { name: uniq('矩阵待删单位'), type: 'institution', region_id: ss ? w.fx.region.ss.id : homeRegion(w) }), 201, 'a unit to delete');
      w.fx.created.units.push({ id: u.id, by: ss ? 'ssadmin' : 'org_admin' });
      return u;
    },
  })),

  // ---- cadres
  'GET /api/v1/cadres/export': list(`${P}/cadres/export`, {
    other: (w, r) => { const c = pick(w, 'cadre', r, 'other'); return `unit_id=${c.unit_id}&q=${enc(c.name)}`; },
    none: () => `unit_id=${MISSING}`,
    text: (w, r) => [pick(w, 'cadre', r, 'other').name], what: 'cadre',
  }),
  'GET /api/v1/cadres': list(`${P}/cadres`, {
    other: (w, r) => { const c = pick(w, 'cadre', r, 'other'); return `unit_id=${c.unit_id}&q=${enc(c.name)}`; },
    none: () => `unit_id=${MISSING}`,
    pred: (w, r, it) => it.id === pick(w, 'cadre', r, 'other').id || it.unit_id === w.fx.unit.ss.id, what: 'cadre',
  }),
  'POST /api/v1/cadres': {
    kind: 'create',
    prepare: (w, role, kase) => ({ body: cadreBody('矩阵新人', kase === 'own' ? w.fx.unit.xm.id : kase === 'none' ? MISSING : pick(w, 'unit', role, 'other').id) }),
  },
  'GET /api/v1/cadres/{id}': byId('cadre'),
  'PUT /api/v1/cadres/{id}': byId('cadre', '', async (w, role, kase, c) => (c ? cadreBodyOf(kase === 'own' || OTHER.cadre(role) !== 'ss' ? w.C.org_admin : w.H.ssadmin, c.id) : cadreBody('不存在', w.fx.unit.xm.id))),
  'GET /api/v1/cadres/{id}/history': byId('cadre', '/history'),
  'POST /api/v1/cadres/{id}/reveal': byId('cadre', '/reveal', () => ({})),

  // ---- imports
  'GET /api/v1/imports/template': {
    kind: 'noobj',
    // other: the same template; the twin's unit must not be among the choices it offers
    prepare: (w, role, kase) => ({
      path: `${P}/imports/template?kind=cadres`,
      check: kase === 'other' ? textCheck([pick(w, 'unit', role, 'other').name], 'unit') : undefined,
    }),
  },
  'POST /api/v1/imports': {
    kind: 'create',
    prepare: (w, role, kase) => {
      const unitName = kase === 'own' ? w.fx.unit.xm.name : kase === 'none' ? '矩阵不存在的单位' : pick(w, 'unit', role, 'other').name;
      return { path: `${P}/imports?kind=cadres&filename=matrix.csv`, raw: cadreCsv(unitName, '矩阵导入', newIdNumber()) };
    },
  },
  'GET /api/v1/imports': list(`${P}/imports`, {
    other: (w, r) => `q=${user(r === 'unit_liaison' ? 'mx-lcliaison' : 'mx-ssadmin')}`,
    none: () => 'q=mx-no-such-account',
    pred: (w, r, it) => it.id === pick(w, 'import', r, 'other').id, what: 'import run',
  }),
  'GET /api/v1/imports/{id}': byId('import'),
  'GET /api/v1/imports/{id}/report': byId('import', '/report'),

  // ---- accounts and logs
  'GET /api/v1/users': list(`${P}/users`, {
    other: (w, r) => `q=${enc(pick(w, 'user', r, 'other').username)}`,
    none: () => 'q=mx-no-such-account',
    pred: (w, r, it) => it.id === pick(w, 'user', r, 'other').id, what: 'account',
  }),
  'POST /api/v1/users': {
    kind: 'create',
    prepare: (w, role, kase) => ({ body: { username: `mx-new-${RUN}-${next()}`, display_name: '矩阵新账号', role: 'viewer', region_id: kase === 'none' ? MISSING : pick(w, 'region', role, kase).id } }),
  },
  'GET /api/v1/users/{id}': byId('user'),
  'PUT /api/v1/users/{id}': byId('user', '', (w, role, kase, u) => ({ display_name: u ? u.display_name : '不存在' })),
  'POST /api/v1/users/{id}/password': byId('user', '/password', () => ({})),
  'GET /api/v1/audit-log': list(`${P}/audit-log`, {
    other: (w) => `entity=region&entity_id=${w.fx.region.ss.id}`,
    none: () => `entity=region&entity_id=${MISSING}`,
    pred: (w, r, it) => it.entity === 'region' && String(it.entity_id) === String(w.fx.region.ss.id), what: 'audit entries (石狮市)',
  }),
  'GET /api/v1/login-log': list(`${P}/login-log`, {
    other: () => `q=${user('mx-ssadmin')}`,
    none: () => 'q=mx-no-such-account',
    pred: (w, r, it) => it.username === user('mx-ssadmin'), what: "logins (石狮市's admin)",
  }),

  // ---- plans
  'GET /api/v1/plans': list(`${P}/plans`, {
    other: () => `year=${TWIN_YEAR}`,
    none: () => 'year=2999',
    pred: (w, r, it) => (r === 'unit_liaison' ? it.unit_id === w.fx.unit.lc.id : it.region_id === w.fx.region.ss.id), what: 'plan',
  }),
  'POST /api/v1/plans': {
    kind: 'create-noparent',
    prepare: (w, role, kase) => {
      const body = { title: uniq('矩阵计划'), year: OWN_YEAR, budget: 1000 };
      if (kase === 'other') Object.assign(body, { region_id: pick(w, 'region', role, 'other').id, unit_id: pick(w, 'unit', role, 'other').id });
      if (kase === 'none') Object.assign(body, { region_id: MISSING, unit_id: MISSING });
      return {
        body,
        check: (res) => {
          const want = role === 'unit_liaison' ? { region_id: homeRegion(w), unit_id: w.fx.unit.xm.id } : { region_id: homeRegion(w), unit_id: null };
          return res.data.region_id === want.region_id && res.data.unit_id === want.unit_id ? null
            : `the plan landed in region ${res.data.region_id} / unit ${res.data.unit_id}, not the caller's ${JSON.stringify(want)}`;
        },
      };
    },
  },
  'GET /api/v1/plans/{id}': byId('plan'),
  'PUT /api/v1/plans/{id}': byId('plan', '', (w, role, kase, p) => (p ? { title: p.title, year: p.year, budget: p.budget } : { title: '不存在', year: OWN_YEAR })),
  'POST /api/v1/plans/{id}/approval': consuming('plan', '/approval', (w, role, kase) => ({
    make: async () => {
      const key = (kase === 'own' ? OWN : OTHER).plan(role);
      const by = { nn: w.C.org_admin, xm: w.C.unit_liaison, ss: w.H.ssadmin, lc: w.H.lcliaison }[key];
      return ok(await by.post(`${P}/plans`, { title: uniq('矩阵待审计划'), year: kase === 'own' ? OWN_YEAR : TWIN_YEAR }), 201, 'a plan to submit');
    },
  }), { action: 'submit' }),
  'PUT /api/v1/plans/{id}/classes/{class_id}': planClass(false),
  'DELETE /api/v1/plans/{id}/classes/{class_id}': planClass(true),

  // ---- classes
  'GET /api/v1/classes': list(`${P}/classes`, {
    other: (w, r) => `q=${enc(pick(w, 'class', r, 'other').name)}`,
    none: () => `plan_id=${MISSING}`,
    pred: (w, r, it) => it.id === pick(w, 'class', r, 'other').id || it.region_id === w.fx.region.ss.id, what: 'class',
  }),
  'POST /api/v1/classes': {
    kind: 'create',
    prepare: (w, role, kase) => {
      const plan = kase === 'none' ? MISSING : kase === 'other' ? pick(w, 'plan', role, 'other').id : (role === 'org_admin' || role === 'unit_liaison') ? pick(w, 'plan', role, 'own').id : undefined;
      return {
        body: classBody(uniq('矩阵新班'), plan ? { plan_id: plan } : {}),
        check: (res) => (res.data.region_id === homeRegion(w) ? null : `the class landed in region ${res.data.region_id}`),
        after: (res) => { if (res.status === 201) w.fx.created.classes.push({ id: res.data.id, by: 'org_admin' }); },
      };
    },
  },
  'GET /api/v1/classes/{id}': byId('class'),
  'PUT /api/v1/classes/{id}': byId('class', '', async (w, role, kase, c) => (c ? classBodyOf(keeper(w, 'class', role, kase), c.id) : classBody('不存在'))),
  'DELETE /api/v1/classes/{id}': consuming('class', '', (w, role, kase) => {
    // the manager's own classes are the demo's (with trainees: not deletable); others a fresh draft
    if (kase === 'own' && role === 'class_manager') return { object: w.fx.class.t1 };
    const ss = kase === 'other' && OTHER.class(role) === 'ss';
    return { make: async () => draft(w, ss, '矩阵待删班') };
  }),
  'POST /api/v1/classes/{id}/approval': consuming('class', '/approval', (w, role, kase) => {
    if (kase === 'own' && ['class_manager', 'unit_liaison', 'trainee'].includes(role)) return { object: pick(w, 'class', role, 'own') };
    const ss = kase === 'other' && OTHER.class(role) === 'ss';
    return { make: async () => draft(w, ss, '矩阵待审班') };
  }, { action: 'submit' }),
  'POST /api/v1/classes/{id}/sessions': byId('class', '/sessions', () => ({ kind: 'lecture', topic: uniq('矩阵新课'), room_kind: 'none' })),
  'GET /api/v1/classes/{id}/timetable': byId('class', '/timetable'),
  'GET /api/v1/classes/{id}/timetable.pdf': byId('class', '/timetable.pdf'),
  'GET /api/v1/classes/{id}/timetable.ics': byId('class', '/timetable.ics'),
  'POST /api/v1/classes/{id}/timetable/solve': {
    kind: 'id',
    prepare: (w, role, kase) => ({
      path: `${P}/classes/${idOf(w, 'class', role, kase)}/timetable/solve`, body: SOLVE_BODY,
      after: async (res, client) => { if (res.status === 202) await waitJob(client, res.data.job_id); },
    }),
  },
  'GET /api/v1/classes/{id}/timetable/cost': byId('class', '/timetable/cost'),
  // own: a fresh solve of the caller's own class, whose proposal is applied (then undone);
  // other and none: the caller's own finished job, at the twin's or a missing class
  'POST /api/v1/classes/{id}/timetable/apply': {
    kind: 'id',
    prepare: async (w, role, kase) => {
      const id = idOf(w, 'class', role, kase);
      const fresh = kase === 'own' && arranges(role) ? await solveJob(w.C[role], id) : null;
      return { path: `${P}/classes/${id}/timetable/apply`, body: { job_id: (fresh ?? w.fx.job[OWN.job(role)]).id } };
    },
  },
  'GET /api/v1/classes/{id}/timetable/undo': byId('class', '/timetable/undo'),
  'POST /api/v1/classes/{id}/timetable/undo': {
    kind: 'id',
    prepare: async (w, role, kase) => {
      const id = idOf(w, 'class', role, kase);
      if (kase === 'own' && arranges(role)) {
        const c = w.C[role];
        const j = await solveJob(c, id);
        ok(await c.post(`${P}/classes/${id}/timetable/apply`, { job_id: j.id }), 200, `the apply the undo of class ${id} undoes`);
      }
      return { path: `${P}/classes/${id}/timetable/undo` };
    },
  },
  'PUT /api/v1/sessions/{id}': {
    kind: 'id',
    prepare: async (w, role, kase) => {
      if (kase === 'none') return { path: `${P}/sessions/${MISSING}`, body: { kind: 'lecture', topic: '不存在', room_kind: 'none' } };
      const s = pick(w, 'session', role, kase);
      const cur = await sessionOf(keeper(w, 'session', role, kase), sessionClass(w, role, kase).id, s.id);
      return { path: `${P}/sessions/${s.id}`, body: sessionBody(cur) };
    },
  },
  'DELETE /api/v1/sessions/{id}': consuming('session', '', (w, role, kase) => ({
    make: async () => {
      const cl = sessionClass(w, role, kase);
      const by = cl === w.fx.class.ss ? w.H.ssadmin : cl === w.fx.class.t1 ? w.C.class_manager : w.C.org_admin;
      const s = await sessionIn(by, cl.id, uniq('矩阵待删课'));
      w.fx.created.sessions.push(s.id);
      return s;
    },
  })),
  'PUT /api/v1/sessions/{id}/placement': {
    kind: 'id',
    prepare: async (w, role, kase) => {
      if (kase === 'none') return { path: `${P}/sessions/${MISSING}/placement`, body: { pinned: false } };
      const s = pick(w, 'session', role, kase);
      const cur = await sessionOf(keeper(w, 'session', role, kase), sessionClass(w, role, kase).id, s.id);
      return { path: `${P}/sessions/${s.id}/placement`, body: { pinned: cur.pinned } };
    },
  },
  // ---- requirements and the hours ledger (issue 12)
  'GET /api/v1/cadres/{id}/ledger': byId('cadre', '/ledger'),
  'POST /api/v1/cadres/{id}/ledger/adjustments': byId('cadre', '/ledger/adjustments', () => ledgerAdjustment()),
  'GET /api/v1/ledger/imports/online/template': { kind: 'noobj', prepare: () => ({ path: `${P}/ledger/imports/online/template` }) },
  // the cadre an hours file names is its parent: own 溪美's, other 石狮's (unknown to 南安), none a number registered nowhere
  'POST /api/v1/ledger/imports/online': {
    kind: 'create',
    prepare: (w, role, kase) => {
      const idn = kase === 'none' ? newIdNumber() : (kase === 'own' ? w.fx.cadre.xm : w.fx.cadre.ss).idn;
      return { path: `${P}/ledger/imports/online?filename=matrix.csv`, raw: `身份证号,课程名称,学时,完成日期\n${idn},矩阵网络课程${RUN}-${next()},1,2024-01-02\n` };
    },
  },
  'POST /api/v1/ledger/{id}/corrections': {
    kind: 'id',
    prepare: async (w, role, kase) => {
      const id = kase === 'none' ? MISSING : (await ledgerEntry(w, kase === 'own' ? 'nn' : 'ss')).id;
      return { path: `${P}/ledger/${id}/corrections`, body: { reason: '矩阵更正', hours: 0.5 } };
    },
  },
  'GET /api/v1/requirements': same(`${P}/requirements`),
  // a version far in the future (a year of its own each row), which binds no window judged now
  'POST /api/v1/requirements': { kind: 'create-noparent', prepare: () => ({ path: `${P}/requirements`, body: farVersion('矩阵版本') }) },
  'GET /api/v1/requirements/{id}': {
    kind: 'id',
    prepare: async (w, role, kase) => ({ path: `${P}/requirements/${kase === 'none' ? MISSING : (await requirementVersion(w, kase === 'own' ? 'nn' : 'ss')).id}` }),
  },
  'GET /api/v1/regions/{id}/hours-rules': byId('region', '/hours-rules'),
  'PUT /api/v1/regions/{id}/hours-rules': byId('region', '/hours-rules', () => ({ rules: { day_hours: 8 } })),
  'GET /api/v1/classes/{id}/hours-rules': byId('class', '/hours-rules'),
  'PUT /api/v1/classes/{id}/hours-rules': byId('class', '/hours-rules', () => ({ rules: { day_hours: 8 } })),
  'GET /api/v1/timetable/weights': same(`${P}/timetable/weights`),
  'GET /api/v1/jobs/{id}': byId('job'),
  // the jobs of the world have ended: its starter gets past the scope to the state (409)
  'POST /api/v1/jobs/{id}/cancel': byId('job', '/cancel', async () => ({})),
  'GET /api/v1/me/schedule.ics': {
    kind: 'self',
    // other: the twin's sessions must not be in one's own calendar (events are session-N@peixun)
    prepare: (w, role, kase) => ({
      path: `${P}/me/schedule.ics`,
      check: kase === 'other' ? (res) => scheduleLeak(w, role, [...res.data.toString().matchAll(/^UID:session-(\d+)@/gm)].map((m) => Number(m[1]))) : undefined,
    }),
  },
  'GET /api/v1/me/schedule': {
    kind: 'self',
    prepare: (w, role, kase) => ({
      path: `${P}/me/schedule`,
      check: kase === 'other' ? (res) => scheduleLeak(w, role, (res.data.sessions ?? []).map((s) => s.id)) : undefined,
    }),
  },

  // ---- experts and rooms (shared for use, kept by the region that entered them)
  'GET /api/v1/experts': list(`${P}/experts`, {
    other: (w) => `q=${enc(w.fx.expert.ss.name)}`,
    none: () => `q=${enc('矩阵不存在的专家')}`,
    pred: (w, r, it) => it.id === w.fx.expert.ss.id, what: 'expert',
  }),
  'POST /api/v1/experts': {
    kind: 'create-noparent',
    prepare: (w, role, kase) => ({ body: { name: uniq('矩阵新专家'), institution: '矩阵党校', title: '讲师', topics: '测试', availability: 'open', ...(kase === 'other' ? { region_id: w.fx.region.ss.id } : kase === 'none' ? { region_id: MISSING } : {}) } }),
  },
  'GET /api/v1/experts/{id}': byId('expert'),
  'PUT /api/v1/experts/{id}': byId('expert', '', async (w, role, kase, e) => {
    if (!e) return { name: '不存在' };
    const cur = ok(await keeper(w, 'expert', role, kase).get(`${P}/experts/${e.id}`), 200, 'expert');
    return { name: cur.name, institution: cur.institution, title: cur.title, topics: cur.topics, bio: cur.bio, availability: cur.availability };
  }),
  'GET /api/v1/experts/{id}/timetable': byId('expert', '/timetable'),
  'GET /api/v1/experts/{id}/timetable.ics': byId('expert', '/timetable.ics'),
  'GET /api/v1/rooms': list(`${P}/rooms`, {
    other: () => `site=${enc(SITE_SS)}`,
    none: () => `site=${enc('矩阵不存在的地点')}`,
    pred: (w, r, it) => it.id === w.fx.room.ss.id, what: 'room',
  }),
  'POST /api/v1/rooms': {
    kind: 'create-noparent',
    prepare: (w, role, kase) => ({ body: { site: SITE_NN, name: uniq('矩阵新教室'), capacity: 30, kind: 'lecture_hall', ...(kase === 'other' ? { region_id: w.fx.region.ss.id } : kase === 'none' ? { region_id: MISSING } : {}) } }),
  },
  'PUT /api/v1/rooms/{id}': byId('room', '', (w, role, kase, m) => (m ? { site: m.site, name: m.name, capacity: m.capacity, kind: m.kind } : { site: SITE_NN, name: '不存在', capacity: 1, kind: 'lecture_hall' })),
  'GET /api/v1/rooms/{id}/timetable': byId('room', '/timetable'),

  // ---- dashboard (aggregates of one's scope; no object: the cases collapse)
  'GET /api/v1/stats/overview': same(`${P}/stats/overview`),
  'GET /api/v1/compliance/summary': list(`${P}/compliance/summary`, {
    other: (w, r) => `region_id=${pick(w, 'region', r, 'other').id}`,
    none: () => `region_id=${MISSING}`,
    text: (w, r) => [pick(w, 'unit', r, 'other').name], what: 'unit',
  }),
  'GET /api/v1/compliance/behind': list(`${P}/compliance/behind`, {
    other: (w, r) => `region_id=${pick(w, 'region', r, 'other').id}`,
    none: () => `region_id=${MISSING}`,
    pred: (w, r, it) => it.unit_name === pick(w, 'unit', r, 'other').name, what: 'cadre',
  }),
};

// Put the demo back as the other test files expect it: no extra sessions in its classes, no
// throwaway units, regions or draft classes.
export async function cleanup(w) {
  const admin = w.C.org_admin, problems = [];
  for (const id of w.fx.created.sessions) {
    const r = await admin.del(`${P}/sessions/${id}`);
    if (![204, 404].includes(r.status)) problems.push(`session ${id}: ${r.status}`);
  }
  for (const c of w.fx.created.classes) await (c.by === 'ssadmin' ? w.H.ssadmin : admin).del(`${P}/classes/${c.id}`);
  for (const u of w.fx.created.units) await (u.by === 'ssadmin' ? w.H.ssadmin : admin).del(`${P}/units/${u.id}`);
  for (const id of w.fx.created.regions.reverse()) await w.C.sysadmin.del(`${P}/regions/${id}`);
  return problems;
}
