// The authorization matrix (issue 8, item 5): every route × every role × {own, other,
// none} is one row of authz-matrix.txt with the answer the product must give; this file
// enumerates the routes from openapi.json, fails when one lacks rows (or the file names a
// route that does not exist), and runs every row over HTTP with each role's client. The
// objects and bodies behind the rows are in authz-routes.mjs. All mismatches are reported
// together at the end.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { BASE, Client, jobsIdle } from './lib.mjs';
import { ROLES, CASES, ROUTES, buildWorld, cleanup } from './authz-routes.mjs';

const FILE = new URL('./authz-matrix.txt', import.meta.url);

// The error code a status means unless the row names another.
const DEFAULT_CODE = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' };

// Rows of the data file: METHOD PATH ROLE CASE EXPECT, '#' starts a comment.
export function parseMatrix(text) {
  const rows = [], errors = [];
  text.split('\n').forEach((line, i) => {
    const t = line.replace(/#.*/, '').trim();
    if (!t) return;
    const f = t.split(/\s+/);
    const where = `authz-matrix.txt:${i + 1}`;
    if (f.length !== 5) return errors.push(`${where}: expected 5 columns, got ${f.length}`);
    const [method, path, role, kase, expect] = f;
    const m = /^(\d{3})(?::([a-z_]+))?$/.exec(expect);
    if (!/^(GET|POST|PUT|DELETE)$/.test(method)) errors.push(`${where}: method ${method}`);
    if (!ROLES.includes(role)) errors.push(`${where}: role ${role}`);
    if (!CASES.includes(kase)) errors.push(`${where}: case ${kase}`);
    if (!m) return errors.push(`${where}: expect ${expect}`);
    if (m[2] === 'all' && (kase !== 'other' || Number(m[1]) >= 300)) errors.push(`${where}: :all belongs to a 2xx of the other case`);
    const status = Number(m[1]);
    const note = m[2] ?? null;
    const code = status >= 400 ? note ?? DEFAULT_CODE[status] ?? null : null;
    rows.push({ line: i + 1, method, path, role, kase, status, code, all: note === 'all', note });
  });
  return { rows, errors };
}

const { rows, errors: parseErrors } = parseMatrix(readFileSync(FILE, 'utf8'));
let routes = []; // [{key, method, path, perm}]
let w;

after(async () => {
  if (w) {
    const left = await cleanup(w);
    if (left.length) console.log(`authz cleanup: ${left.join('; ')}`);
  }
});

test('the matrix has rows for every route × role × case, and only for routes that exist', async () => {
  assert.deepEqual(parseErrors, []);
  const doc = await (await fetch(BASE + '/api/v1/openapi.json')).json();
  routes = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([m, op]) => ({
    key: `${m.toUpperCase()} ${path}`, method: m.toUpperCase(), path, perm: op['x-permission'],
  })));
  const problems = [];
  const have = new Map();
  for (const r of rows) {
    const k = `${r.method} ${r.path} ${r.role} ${r.kase}`;
    if (have.has(k)) problems.push(`line ${r.line}: ${k} repeats line ${have.get(k)}`);
    have.set(k, r.line);
  }
  const known = new Set(routes.map((r) => r.key));
  for (const r of rows) if (!known.has(`${r.method} ${r.path}`)) problems.push(`line ${r.line}: ${r.method} ${r.path} is not a route`);
  for (const rt of routes) {
    if (!ROUTES[rt.key]) problems.push(`${rt.key}: no request builder in authz-routes.mjs`);
    for (const role of ROLES) for (const kase of CASES) {
      if (!have.has(`${rt.key} ${role} ${kase}`)) problems.push(`${rt.key} ${role} ${kase}: no row`);
    }
  }
  for (const k of Object.keys(ROUTES)) if (!known.has(k)) problems.push(`authz-routes.mjs: ${k} is not a route`);
  if (problems.length) assert.fail(`${problems.length} problem(s) with the matrix's coverage:\n${problems.join('\n')}`);
});

test('every row of the matrix answers as it should, on this backend', { timeout: 30 * 60 * 1000 }, async () => {
  assert.ok(routes.length, 'the routes (previous test)');
  w = await buildWorld();
  // The scope each role holds for each permission, as the server states it (GET /session):
  // a row marked :all must be one where the role's scope for the route's permission is all.
  const scopes = {};
  for (const role of ROLES) scopes[role] = role === 'anonymous' ? {} : (await w.C[role].get('/api/v1/session')).data.user.permissions;
  const perm = Object.fromEntries(routes.map((r) => [r.key, r.perm]));
  const mismatches = [];
  // AUTHZ_TRACE=FILE: every row with what the server answered (to review the rows by).
  const trace = [];
  let ran = 0;
  for (const row of rows) {
    const key = `${row.method} ${row.path}`;
    const spec = ROUTES[key];
    if (!spec) continue; // reported by the coverage test
    const label = `${row.method} ${row.path} ${row.role} ${row.kase}`;
    const want = `${row.status}${row.note ? ':' + row.note : ''}`;
    if (row.all && scopes[row.role]?.[perm[key]] !== 'all') {
      mismatches.push(`${label}: marked :all, but ${row.role}'s scope for ${perm[key]} is ${scopes[row.role]?.[perm[key]] ?? 'none'} (line ${row.line})`);
    }
    if (row.kase === 'other' && row.status < 300 && (spec.kind === 'id' || spec.kind === 'create') && !row.all) {
      mismatches.push(`${label}: reaching the twin's object (${row.status}) is right only for a role whose scope is all — mark it :all or correct it (line ${row.line})`);
    }
    let req;
    try {
      req = await spec.prepare(w, row.role, row.kase);
    } catch (e) {
      mismatches.push(`${label}: could not prepare the request: ${e.message}`);
      continue;
    }
    const client = req.client ?? (row.role === 'anonymous' ? new Client() : w.C[row.role]);
    const path = req.path ?? row.path;
    let res;
    try {
      res = req.raw !== undefined
        ? await client.raw(row.method, path, { body: req.raw, json: false, headers: { 'Content-Type': 'text/csv' } })
        : await client.raw(row.method, path, { body: req.body });
    } catch (e) {
      mismatches.push(`${label}: request failed: ${e.message}`);
      continue;
    }
    ran++;
    const code = res.data?.error?.code;
    const got = `${res.status}${code ? ':' + code : ''}`;
    let problem = null;
    if (res.status !== row.status || (row.code && code !== row.code)) problem = `expected ${want}, got ${got}`;
    else if (req.check && res.status < 300) problem = req.check(res, { all: row.all });
    if (problem) mismatches.push(`${label}: ${problem}  [${path}] (line ${row.line})`);
    trace.push(`${label.padEnd(70)} want ${want.padEnd(26)} got ${got.padEnd(26)} ${req.check ? 'checked ' : ''}${path}${problem ? '  <<< ' + problem : ''}`);
    try {
      if (req.after) await req.after(res, client);
    } catch (e) {
      // a row that could not put things back (a password, a job) leaves the rest unreliable
      mismatches.push(`${label}: after the request: ${e.message} — the rows after it were not run`);
      break;
    }
  }
  if (process.env.AUTHZ_TRACE) writeFileSync(process.env.AUTHZ_TRACE, trace.join('\n') + '\n');
  console.log(`authz matrix: ${ran} rows run, ${mismatches.length} mismatch(es)`);
  assert.ok(ran > 0);
  if (mismatches.length) assert.fail(`${mismatches.length} of ${ran} rows do not answer as the matrix says:\n${mismatches.join('\n')}`);
});

// the matrix's rule versions queue ledger.evaluate jobs: let them end before the next file
after(() => jobsIdle());
