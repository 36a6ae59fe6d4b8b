// Name search on the cadre list (`q`): a substring of the name or the post — one, two or
// three Chinese characters, Latin letters — or an exact ID number, answered through the
// search index on both databases and always inside the caller's scope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { as, uniqueId, unitByName } from './lib.mjs';

let admin, liaison, ids;

async function found(client, q) {
  const r = await client.get(`/api/v1/cadres?page_size=50&q=${encodeURIComponent(q)}`);
  assert.equal(r.status, 200, JSON.stringify(r.data));
  assert.equal(r.data.items.length, Math.min(r.data.total, 50));
  return r.data.items.map((c) => c.name).sort();
}

test('setup: cadres with rare characters, in two units', async () => {
  admin = await as('admin');
  liaison = await as('liaison1'); // 溪美街道
  const xm = await unitByName(admin, '溪美街道');
  const lc = await unitByName(admin, '柳城街道');
  ids = {};
  for (const [name, unit, post] of [
    ['燚', xm, '科员'], ['犇燚', xm, '科员'], ['犇燚骉', xm, '燚骉办主任'],
    ['Ben Yibiao', xm, 'Officer'], ['犇燚垚', lc, '科员'],
  ]) {
    const id = uniqueId('110109');
    const r = await admin.post('/api/v1/cadres', {
      name, id_number: id, unit_id: unit.id, post, rank_level: 'general', category: 'civil_servant',
    });
    assert.equal(r.status, 201, JSON.stringify(r.data));
    ids[name] = id;
  }
});

test('one, two and three characters, anywhere in the name', async () => {
  assert.deepEqual(await found(admin, '燚'), ['燚', '犇燚', '犇燚垚', '犇燚骉']);
  assert.deepEqual(await found(admin, '犇燚'), ['犇燚', '犇燚垚', '犇燚骉']);
  assert.deepEqual(await found(admin, '燚骉'), ['犇燚骉']);
  assert.deepEqual(await found(admin, '犇燚骉'), ['犇燚骉']);
  assert.deepEqual(await found(admin, '骉燚'), []);
  assert.deepEqual(await found(admin, '犇骉'), [], 'both characters, but not as a substring');
});

test('the post, Latin names, and an ID number', async () => {
  assert.deepEqual(await found(admin, '骉办'), ['犇燚骉']);
  assert.deepEqual(await found(admin, 'Yibiao'), ['Ben Yibiao']);
  assert.deepEqual(await found(admin, 'n Yib'), ['Ben Yibiao']);
  assert.deepEqual(await found(admin, ids['犇燚']), ['犇燚']);
});

test('a name outside the caller\'s scope is not found', async () => {
  assert.deepEqual(await found(admin, '犇燚垚'), ['犇燚垚']);
  assert.deepEqual(await found(liaison, '犇燚垚'), []);
  assert.deepEqual(await found(liaison, ids['犇燚垚']), []);
  assert.deepEqual(await found(liaison, '燚'), ['燚', '犇燚', '犇燚骉']);
});

test('a renamed cadre is found by its new name only', async () => {
  const one = (await admin.get(`/api/v1/cadres?q=${ids['燚']}`)).data.items[0];
  const full = (await admin.get(`/api/v1/cadres/${one.id}`)).data;
  const put = await admin.put(`/api/v1/cadres/${one.id}`, {
    name: '垚', id_number: ids['燚'], unit_id: full.unit_id, post: full.post,
    rank_level: full.rank_level, category: full.category, version: full.version,
  });
  assert.equal(put.status, 200, JSON.stringify(put.data));
  assert.deepEqual(await found(admin, '燚'), ['犇燚', '犇燚垚', '犇燚骉']);
  assert.deepEqual(await found(admin, '垚'), ['垚', '犇燚垚']);
});

test('a search counts up to a thousand matches, then says "more" (total_capped)', async () => {
  // 员 ends half the demo's posts (科员, 办事员 …): more than the most a search counts
  const many = await admin.get(`/api/v1/cadres?page_size=20&q=${encodeURIComponent('员')}`);
  assert.equal(many.status, 200, JSON.stringify(many.data));
  assert.equal(many.data.total, 1000);
  assert.equal(many.data.total_capped, true);
  assert.equal(many.data.items.length, 20);
  // its last counted page is full, and the rows are the same search's
  const last = await admin.get(`/api/v1/cadres?page_size=20&page=50&q=${encodeURIComponent('员')}`);
  assert.equal(last.data.items.length, 20);
  assert.ok(last.data.items.every((c) => c.name.includes('员') || c.post.includes('员')));
  // a search that matches fewer is counted exactly and says nothing more
  const few = await admin.get(`/api/v1/cadres?page_size=20&q=${encodeURIComponent('燚骉')}`);
  assert.equal(few.data.total, 1); // 犇燚骉, whose post is 燚骉办主任 too
  assert.equal('total_capped' in few.data, false);
  // nor does a list without a search, however long
  const all = await admin.get('/api/v1/cadres?page_size=1');
  assert.ok(all.data.total > 1000, `the demo has ${all.data.total} cadres`);
  assert.equal('total_capped' in all.data, false);
});
