// The OpenAPI document: valid OpenAPI 3.0, every route documented with its body and reply
// schemas, and every documented example, sent as written, answered with the documented
// status and a reply that matches the documented schema exactly (no member missing, none
// extra: the views' shapes are the schemas).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { as, BASE, Client } from './lib.mjs';

// Writes that take no body: the rest must have a request schema.
const BODYLESS = new Set([
  'DELETE /api/v1/session', 'POST /api/v1/cadres/{id}/reveal', 'POST /api/v1/jobs/{id}/cancel',
  'POST /api/v1/classes/{id}/timetable/undo',
  'PUT /api/v1/plans/{id}/classes/{class_id}', // the path says which class goes into which plan
]);

let doc;
const ops = []; // {key, method, path, op}

test('the document is valid OpenAPI 3.0', async () => {
  const res = await fetch(`${BASE}/api/v1/openapi.json`);
  assert.equal(res.status, 200);
  doc = await res.json();
  assert.equal(doc.openapi, '3.0.3');
  const v = new Validator();
  const r = await v.validate(structuredClone(doc));
  assert.ok(r.valid, JSON.stringify(r.errors, null, 1)?.slice(0, 3000));
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item))
      ops.push({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, op });
  assert.ok(ops.length > 40);
});

test('every route is documented: a request schema for its body, a response schema', () => {
  const missing = ops.filter((o) => o.op['x-undocumented']).map((o) => o.key);
  assert.deepEqual(missing, [], 'routes without documentation');
  for (const o of ops) {
    if (o.op['x-undocumented']) continue;
    const ok = Object.keys(o.op.responses).filter((s) => s !== 'default');
    assert.equal(ok.length, 1, `${o.key}: one success response`);
    const writes = !['GET', 'DELETE'].includes(o.method);
    if (writes && !o.op.requestBody && !BODYLESS.has(o.key))
      assert.fail(`${o.key}: a write without a request schema`);
  }
});

// The reply's schema, resolved against the document's components.
function responseOf(o) {
  const [status, r] = Object.entries(o.op.responses).find(([s]) => s !== 'default');
  const content = r.content ?? {};
  const type = Object.keys(content)[0];
  return { status: Number(status), type, schema: type ? content[type].schema : null };
}

// An OpenAPI 3.0 schema as JSON Schema: `nullable` (which widens the type beside it, or an
// allOf of a reference) becomes "or null".
function jsonSchema(s) {
  if (Array.isArray(s)) return s.map(jsonSchema);
  if (!s || typeof s !== 'object') return s;
  const out = {};
  for (const [k, v] of Object.entries(s)) if (k !== 'nullable') out[k] = jsonSchema(v);
  return s.nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

function validatorFor(schema) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'doc', components: jsonSchema(doc.components) }, 'doc');
  const fix = (s) => JSON.parse(JSON.stringify(s).replaceAll('"#/components/', '"doc#/components/'));
  return ajv.compile(fix(jsonSchema(schema)));
}

test('every documented example answers as documented, its reply matching the schema', async () => {
  const clients = new Map();
  const client = async (name) => {
    if (!name) return new Client();
    if (!clients.has(name)) clients.set(name, await as(name));
    return clients.get(name);
  };
  const created = new Map(); // collection path → id its create example returned
  const examples = ops.filter((o) => o.op['x-example']);
  // Creates first, then the creates inside what they made (a session of the new class, a
  // solve of it), then reads, then changes of what was created, deletes last and in reverse
  // (a class's session before the class); the logout runs on a session of its own. A job
  // changes by itself: it is read and cancelled as soon as it is queued, while it runs.
  const rank = (o) => {
    const ex = o.op['x-example'];
    if (o.method === 'POST' && !ex.path.includes('@new')) return 0;
    if (ex.creates || o.path.startsWith('/api/v1/jobs/')) return 1;
    if (o.method === 'GET') return 2;
    if (o.method === 'DELETE') return o.path === '/api/v1/session' ? 5 : 4;
    return 3;
  };
  const order = new Map(examples.map((o, i) => [o, i]));
  examples.sort((a, b) => rank(a) - rank(b) || (rank(a) === 4 ? -1 : 1) * (order.get(a) - order.get(b)));
  const failures = [];
  for (const o of examples) {
    const ex = o.op['x-example'];
    let path = ex.path;
    const at = path.indexOf('/@new');
    if (at >= 0) {
      const id = created.get(path.slice(0, at));
      if (!id) { failures.push(`${o.key}: no id created for ${path.slice(0, at)}`); continue; }
      path = path.replace('@new', String(id));
    }
    // the example body is what its request schema describes
    if (ex.body !== undefined) {
      const validate = validatorFor(o.op.requestBody.content['application/json'].schema);
      if (!validate(ex.body))
        failures.push(`${o.key}: the example body does not match its schema: ${JSON.stringify(validate.errors).slice(0, 600)}`);
    }
    const c = o.path === '/api/v1/session' && o.method === 'DELETE' ? await as(ex.as) : await client(ex.as);
    // an upload's example is a file, sent as the raw body its request schema says
    const body = ex.file !== undefined ? new Uint8Array(Buffer.from(ex.file)) : ex.body;
    if (ex.file !== undefined && !o.op.requestBody?.content['application/octet-stream'])
      failures.push(`${o.key}: an example file for a route that takes no file`);
    const r = await c.raw(o.method, path, body !== undefined ? { body, ...(ex.file !== undefined && { json: false, headers: { 'Content-Type': 'application/octet-stream' } }) } : {});
    const want = responseOf(o);
    if (r.status !== want.status) {
      failures.push(`${o.key} (${path} as ${ex.as}): ${r.status}, documented ${want.status}: ${JSON.stringify(r.data).slice(0, 300)}`);
      continue;
    }
    const into = ex.creates ?? (at < 0 ? path.split('?')[0] : null);
    const id = r.data?.id ?? r.data?.job_id;
    if (o.method === 'POST' && into && id) created.set(into, id);
    if (!want.type) continue; // 204
    if (want.type === 'application/json') {
      if (!want.schema) continue;
      const validate = validatorFor(want.schema);
      if (!validate(r.data))
        failures.push(`${o.key}: reply does not match its schema: ${JSON.stringify(validate.errors).slice(0, 600)}`);
    } else {
      const type = r.headers.get('content-type') ?? '';
      if (!type.startsWith(want.type)) failures.push(`${o.key}: content type ${type}, documented ${want.type}`);
      if (!(r.data instanceof Buffer) || r.data.length === 0) failures.push(`${o.key}: an empty file`);
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(examples.length >= 60, `examples sent: ${examples.length}`);
});
