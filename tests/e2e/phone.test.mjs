// Phone width (360×640): the login page and the overview fit the screen without
// horizontal scrolling. The overview is seen by a leader (viewer) account made for this
// run, which also walks the forced password change of a new account.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, shot, loginForm, noHorizontalOverflow, apiLogin, BASE } from './lib.mjs';

let b, page;
const username = 'e2e-viewer-' + Date.now().toString(36);
const first = 'Start-Viewer-2024x';
const second = 'Changed-Viewer-2025y';

before(async () => {
  const admin = await apiLogin('admin');
  const region = (await admin.get('/regions')).data.items.find((g) => g.name === '南安市');
  const r = await admin.post('/users', { username, display_name: '市委领导', role: 'viewer', region_id: region.id, password: first });
  assert.equal(r.status, 201, JSON.stringify(r.data));
  b = await openBrowser({ width: 360, height: 640 });
  page = b.page;
});

after(async () => {
  await b?.close();
});

test('the login page fits a 360 px screen', async () => {
  await page.goto(BASE + '/');
  await page.locator('[data-test=login-submit]').waitFor();
  assert.ok(await noHorizontalOverflow(page), 'no horizontal overflow on the login page');
  await shot(page, '20-phone-login');
});

test('a new viewer must change the password first, then sees the overview that fits the screen', async () => {
  await loginForm(page, username, first);
  // a new account must choose its own password before anything else
  const newPw = page.locator('input[autocomplete=new-password]');
  await newPw.first().waitFor();
  assert.ok(await noHorizontalOverflow(page), 'no horizontal overflow on the password form');
  await shot(page, '21-phone-change-password');
  await newPw.nth(0).fill(second);
  await newPw.nth(1).fill(second);
  await page.locator('.login-card button[type=submit]').click();

  await page.waitForURL(/\/overview$/);
  await page.locator('[data-test=stat-units]', { hasText: '71' }).waitFor();
  await page.locator('[data-test=chart-rank-unit-type] canvas').waitFor();
  assert.ok(await noHorizontalOverflow(page), 'no horizontal overflow on the overview');
  await shot(page, '22-phone-overview');

  // the menu folds into a drawer; a viewer has the overview and reads plans and classes
  await page.locator('[data-test=menu-toggle]').click();
  const items = page.locator('.el-drawer [data-test=side-menu] .el-menu-item');
  await items.first().waitFor();
  assert.deepEqual((await items.allInnerTexts()).map((s) => s.trim()), ['概览', '学时达标', '培训计划', '培训班']);
  await shot(page, '23-phone-menu');
});

test('no uncaught script errors on the phone', () => {
  assert.deepEqual(b.errors, []);
});
