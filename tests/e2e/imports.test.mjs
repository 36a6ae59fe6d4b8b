// 导入记录 in a real browser: a liaison's dry run holding ID numbers registered in another
// township shows to the organization admin as a flagged run with the count (the liaison was
// told of the first three only), and the English labels fit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, shot, loginForm, apiLogin, BASE, PASSWORD } from './lib.mjs';

let b;

before(async () => { b = await openBrowser({ width: 1366, height: 768 }); });
after(async () => { await b?.close(); });

// liaison1 (溪美街道) checks a file of four cadres registered in 柳城街道.
async function probe() {
  const admin = await apiLogin('admin');
  const unit = (await admin.get('/units?q=' + encodeURIComponent('柳城街道'))).data.items.find((u) => u.name === '柳城街道');
  const cadres = (await admin.get(`/cadres?unit_id=${unit.id}&page_size=4`)).data.items;
  assert.equal(cadres.length, 4);
  const ids = [];
  for (const c of cadres) ids.push((await admin.post(`/cadres/${c.id}/reveal`, {})).data.id_number);
  const login = await fetch(BASE + '/api/v1/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'liaison1', password: PASSWORD }),
  });
  const cookie = /px_session=[^;]*/.exec(login.headers.get('set-cookie'))[0];
  const { csrf_token: csrf } = await login.json();
  const csv = ['姓名,身份证号,职级层次,干部类别', ...ids.map((id, i) => `试探${'甲乙丙丁'[i]},${id},一般干部,公务员`)].join('\n');
  const r = await fetch(BASE + '/api/v1/imports?kind=cadres&dry_run=1&filename=' + encodeURIComponent('e2e-试探.csv'), {
    method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'text/csv' }, body: csv,
  });
  const body = await r.json();
  assert.equal(r.status, 422, JSON.stringify(body));
  assert.deepEqual(body.error.details.map((d) => d.code), ['registered_elsewhere', 'registered_elsewhere', 'registered_elsewhere', 'not_checked']);
  return body.error.import_id;
}

test('the organization admin sees a liaison\'s run that held numbers registered elsewhere, flagged with their count', async () => {
  const id = await probe();
  const { page } = b;
  await loginForm(page, 'admin');
  await page.locator('[data-test=menu-imports]').click();
  await page.waitForURL(/\/imports$/);
  await page.locator('[data-test=imports-flagged]').click();
  // the choice searches at once: wait for that answer
  const answered = page.waitForResponse((r) => r.url().includes('/api/v1/imports?') && r.url().includes('flagged=1'));
  await page.locator('.el-select-dropdown__item', { hasText: '只看范围外已登记的' }).click();
  await answered;
  // Element Plus may hold two masks a moment (one fading out): wait until none shows
  await page.waitForFunction(() => [...document.querySelectorAll('[data-test=import-table] .el-loading-mask')]
    .every((m) => getComputedStyle(m).display === 'none' || !m.getClientRects().length));
  const row = page.locator('[data-test=import-table] .el-table__body tr', { hasText: 'e2e-试探.csv' }).first();
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, /溪美街道联络员 · 溪美街道/);
  assert.match(text, /未通过/);
  assert.equal((await row.locator('[data-test=import-elsewhere]').innerText()).trim(), '4 个');
  assert.doesNotMatch(text, /\d{15,}/, 'no ID number shown');
  // every row of the flagged list is flagged
  const rows = page.locator('[data-test=import-table] .el-table__body tr');
  assert.equal(await rows.count(), await page.locator('[data-test=import-table] [data-test=import-elsewhere]').count());
  await shot(page, '40-admin-import-log');
  assert.ok(id > 0);
});
