// The reply cache (src/http/reply_cache.h): the busiest reads are served again while nothing
// commits — and never after a commit, whether through this server or another process, and
// never to another user. On PostgreSQL there is no cache; the same reads must still be right.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { as, BACKEND, Client, idNumber, jobsIdle } from './lib.mjs';

const BIN = process.env.PEIXUN_BIN;
const URL = `/api/v1/cadres?q=${encodeURIComponent('缓存')}&page_size=20`;
const hit = (r) => r.headers.get('x-peixun-cache') === 'hit';

// a job committing meanwhile (rule versions of earlier files queue ledger.evaluate) would
// retire every cached reply
before(() => jobsIdle());

// GET until the cache answers (each of the server's threads first notices the last commit
// on its own connection); on PostgreSQL it never does.
async function warm(client, path) {
  const first = await client.get(path);
  assert.equal(first.status, 200, JSON.stringify(first.data));
  for (let i = 0; i < 24; i++) {
    const r = await client.get(path);
    assert.deepEqual(r.data, first.data, 'a cached reply is the same reply');
    if (hit(r)) return first.data;
  }
  assert.notEqual(BACKEND, 'sqlite', 'SQLite: repeated reads are served from the cache');
  return first.data;
}

test('cached lists change with every commit and never cross users', async () => {
  const admin = await as('admin');
  // a second liaison, of another unit: the same role as liaison1, another scope
  const sys = await as('sysadmin');
  const other = (await admin.get(`/api/v1/units?q=${encodeURIComponent('柳城街道')}`)).data.items[0];
  const name = `cache${Date.now() % 100000}`;
  const made = await sys.post('/api/v1/users', {
    username: name, display_name: '缓存测试联络员', role: 'unit_liaison', unit_id: other.id, password: 'Cache-Test-2023a',
  });
  assert.equal(made.status, 201, JSON.stringify(made.data));
  const liaison2 = await new Client().login(name, 'Cache-Test-2023a');
  if (liaison2.user.must_change_password) {
    const pw = await liaison2.put('/api/v1/session/password', { old_password: 'Cache-Test-2023a', new_password: 'Cache-Test-2024b' });
    assert.equal(pw.status, 200, JSON.stringify(pw.data));
    liaison2.csrf = pw.data.csrf_token;
  }
  // logging in commits: every client logs in before the cache is warm
  const liaison = await as('liaison1');
  const en = await as('admin', 'en');
  const units = await admin.get(`/api/v1/units?q=${encodeURIComponent('溪美街道')}`);
  const unit = units.data.items[0];
  const body = {
    name: '缓存甲', id_number: idNumber('120301', '19880101', 1), unit_id: unit.id,
    rank_level: 'general', category: 'civil_servant',
  };
  const created = await admin.post('/api/v1/cadres', body);
  assert.equal(created.status, 201, JSON.stringify(created.data));

  const page = await warm(admin, URL);
  assert.equal(page.total, 1);
  assert.equal(page.items[0].name, '缓存甲');
  const one = `/api/v1/cadres/${created.data.id}`;
  await warm(admin, one);

  // a write through the API: the next read is fresh
  const put = await admin.put(one, { ...body, name: '缓存乙', version: created.data.version });
  assert.equal(put.status, 200, JSON.stringify(put.data));
  let r = await admin.get(URL);
  assert.ok(!hit(r), 'no cached reply after a commit');
  assert.equal(r.data.items[0].name, '缓存乙');
  r = await admin.get(one);
  assert.ok(!hit(r));
  assert.equal(r.data.name, '缓存乙');

  // another user asking the very same URL gets their own reply, in their own scope
  await warm(admin, URL);
  r = await liaison.get(URL);
  assert.ok(!hit(r), "the admin's cached reply is not the liaison's");
  assert.ok(r.data.items.every((c) => c.unit_id === liaison.user.unit_id));
  // … nor is one liaison's another liaison's (same role, another unit)
  const own = await warm(liaison, URL);
  assert.equal(own.total, 1);
  r = await liaison2.get(URL);
  assert.ok(!hit(r), "liaison1's cached reply is not liaison2's");
  assert.equal(r.data.total, 0);
  // another page of the same list is another reply
  await warm(admin, URL);
  r = await admin.get(URL + '&page=2');
  assert.ok(!hit(r), 'page 2 is not page 1');
  assert.deepEqual(r.data.items, []);
  assert.equal(r.data.page, 2);
  // and the other language is another reply
  await warm(admin, URL);
  r = await en.get(URL);
  assert.ok(!hit(r));
  assert.equal(r.data.items[0].rank_level_label, 'General staff');
});

test('a commit by another process (the import command) retires cached replies', { skip: !BIN && 'PEIXUN_BIN not set' }, async () => {
  const admin = await as('admin');
  const before = await warm(admin, URL);
  const dir = mkdtempSync(join(process.env.PEIXUN_TMP ?? '/tmp', 'cache-'));
  const csv = join(dir, 'one.csv');
  writeFileSync(csv, '姓名,身份证号,手机号码,单位,职务,是否一把手,职级层次,干部类别,任现职时间\n'
    + `缓存丙,${idNumber('120301', '19880101', 2)},13800000000,溪美街道,科员,否,一般干部,公务员,2020-01-01\n`);
  const env = BACKEND === 'sqlite' ? { ...process.env, PEIXUN_SECRET_KEY: '' } : process.env;
  execFileSync(BIN, ['--db', process.env.PEIXUN_DB, 'import', '--kind', 'cadres', csv], { env });
  const r = await admin.get(URL);
  assert.ok(!hit(r), 'no cached reply after another process committed');
  assert.equal(r.data.total, before.total + 1);
  assert.ok(r.data.items.some((c) => c.name === '缓存丙'));
});
