// Who is behind a class, in the browser (issue 9, items 11, 13 and 17): the class form's
// organizer, 班主任 picker, phone and 报到; the class page that shows them; the account page
// that shows (and edits) the classes a 班主任 runs; the plan drawer that puts classes into a
// plan and takes them out; and a trainee's phone: its class with the year, where and when
// to report, whom to call, its seminar's group (分组待定 until groups exist), and its own
// name in the menu.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, shot, loginForm, noHorizontalOverflow, apiLogin, BASE } from './lib.mjs';

const RUN = Date.now().toString(36);
let admin, b, page, klass, plan;

before(async () => {
  admin = await apiLogin('admin');
  // a draft class of 2023 in no plan, and a draft plan of 2023 to put it into
  const k = await admin.post('/classes', { name: `浏览器测试专题班${RUN}`, host: '南安市委党校', location: '南安市委党校', start_date: '2023-11-06', end_date: '2023-11-10', capacity: 40, kind: 'topic' });
  assert.equal(k.status, 201, JSON.stringify(k.data));
  klass = k.data;
  const p = await admin.post('/plans', { title: `南安市2023年专题培训计划${RUN}`, year: 2023, budget: 50000 });
  assert.equal(p.status, 201, JSON.stringify(p.data));
  plan = p.data;
  b = await openBrowser({ width: 1440, height: 900 });
  page = b.page;
});

after(async () => {
  await b?.close();
  if (klass) {
    const cur = (await admin.get(`/classes/${klass.id}`)).data;
    if (cur.plan_id) await admin.del(`/plans/${cur.plan_id}/classes/${klass.id}`);
    await admin.del(`/classes/${klass.id}`);
  }
});

// Pick an option of an open el-select by its text.
async function pickOption(p, text) {
  await p.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: text }).first().click();
}

test('the class form names the organizer, the 班主任 and phone and the report; the class page shows them', async () => {
  await loginForm(page, 'admin');
  await page.waitForURL(/\/overview$/);
  await page.goto(`${BASE}/classes/${klass.id}`);
  await page.locator('[data-test=class-title]').waitFor();
  await page.locator('[data-test=class-edit]').click();
  const dlg = page.locator('[data-test=class-dialog]');
  await dlg.locator('[data-test=c-organizer]').waitFor();
  await dlg.locator('[data-test=c-organizer]').fill('中共南安市委组织部');
  await dlg.locator('[data-test=c-managers]').click();
  await pickOption(page, '林晓燕');
  await page.keyboard.press('Escape');
  await dlg.locator('[data-test=c-manager-phone]').fill('0595-86381234');
  // (el-date-picker does not pass data-test on: the item by its label)
  const report = dlg.locator('.el-form-item', { hasText: '报到日期' }).locator('input');
  await report.fill('2023-11-05');
  await report.press('Enter');
  await shot(page, '60-class-form-managers');
  await dlg.locator('[data-test=c-save]').click();
  await page.locator('[data-test=class-managers]', { hasText: '林晓燕' }).waitFor();
  const basic = await page.locator('.el-descriptions').first().innerText();
  assert.match(basic, /主办单位\s*中共南安市委组织部/);
  assert.match(basic, /班主任电话\s*0595-86381234/);
  assert.match(await page.locator('[data-test=class-report]').innerText(), /2023年11月5日/);
  await shot(page, '61-class-page-managers');
  const saved = (await admin.get(`/classes/${klass.id}`)).data;
  assert.deepEqual(saved.managers.map((m) => m.display_name), ['林晓燕']);
  assert.equal(saved.report_date, '2023-11-05');
});

test('the account page shows the classes a 班主任 runs, and its form edits them', async () => {
  await page.goto(`${BASE}/users`);
  const row = page.locator('[data-test=user-table] .el-table__body tr', { hasText: 'manager' }).first();
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(`林晓燕[\\s\\S]*浏览器测试专题班${RUN}`));
  // the expert who teaches the seed's class is there too (it has no region)
  await page.locator('[data-test=user-table] .el-table__body tr', { hasText: 'expert1' }).waitFor();
  await shot(page, '62-accounts-class-manager');
  await row.getByText('编辑').click();
  const picker = page.locator('[data-test=u-classes]');
  await picker.waitFor();
  assert.match(await picker.innerText(), new RegExp(`浏览器测试专题班${RUN}`));
  await shot(page, '63-account-form-classes');
  // take the class away from it here: the class page no longer names it
  await picker.locator('.el-tag', { hasText: `浏览器测试专题班${RUN}` }).locator('.el-tag__close').click();
  await page.locator('.el-dialog:visible').getByRole('button', { name: '保存' }).click();
  await page.locator('.el-message--success').first().waitFor();
  const after = (await admin.get(`/classes/${klass.id}`)).data;
  assert.deepEqual(after.managers, []);
});

test('a plan takes a class from its drawer and lets it go', async () => {
  await page.goto(`${BASE}/plans`);
  // the demo's plan of 2023 holds Nan'an's classes of the year
  await page.locator('[data-test=plan-link]', { hasText: '南安市2023年度干部教育培训计划' }).click();
  const drawer = page.locator('[data-test=plan-drawer]');
  await drawer.locator('[data-test=plan-class]').nth(6).waitFor();
  assert.equal(await drawer.locator('[data-test=plan-class]').count(), 7);
  await shot(page, '64-plan-drawer-2023');
  await page.keyboard.press('Escape');
  await drawer.waitFor({ state: 'hidden' });

  await page.locator('[data-test=plan-link]', { hasText: plan.title }).click();
  await drawer.getByText('尚无班次纳入本计划').waitFor();
  await drawer.locator('[data-test=plan-class-select]').click();
  await pickOption(page, `浏览器测试专题班${RUN}`);
  await shot(page, '65-plan-drawer-pick');
  await drawer.locator('[data-test=plan-class-add]').click();
  await drawer.locator('[data-test=plan-class]', { hasText: `浏览器测试专题班${RUN}` }).waitFor();
  assert.equal((await admin.get(`/classes/${klass.id}`)).data.plan_id, plan.id);
  // the list's count follows
  await page.locator('.el-table__body tr', { hasText: plan.title }).filter({ hasText: '1' }).waitFor();
  await shot(page, '66-plan-drawer-added');
  await drawer.locator('[data-test=plan-class-remove]').click();
  await page.locator('.el-message-box').getByRole('button', { name: '移出' }).click();
  await drawer.getByText('尚无班次纳入本计划').waitFor();
  assert.equal((await admin.get(`/classes/${klass.id}`)).data.plan_id, null);
  assert.deepEqual(b.errors, []);
});

test("a trainee's phone: its class with the year, 报到, whom to call, its seminar group pending, its own name in the menu", async () => {
  const phone = await openBrowser({ width: 360, height: 640 });
  try {
    const p = phone.page;
    await loginForm(p, 'trainee1');
    await p.waitForURL(/\/schedule$/);
    const card = p.locator('[data-test=schedule-class]');
    await card.first().waitFor();
    assert.equal(await card.count(), 1, 'the class of its schedule');
    assert.match(await card.locator('[data-test=class-dates]').innerText(), /2023年2月18日 至 2023年2月25日/);
    assert.match(await card.locator('[data-test=class-report]').innerText(), /报到\s*2023年2月17日 14:00–20:00 中央党校\(国家行政学院\)学员楼一层大厅/);
    assert.match(await card.locator('[data-test=class-manager]').innerText(), /班主任\s*林晓燕\s*0595-86381234/);
    assert.equal(await card.locator('[data-test=manager-phone]').getAttribute('href'), 'tel:0595-86381234');
    // the days carry their year
    assert.match(await p.locator('[data-test=schedule-day]').first().innerText(), /2023年2月18日/);
    // a seminar of six groups: no groups are formed yet, so it says so (not "分 6 组")
    const seminar = p.locator('[data-test=schedule-item]', { hasText: '主题研讨一' });
    const rooms = await seminar.locator('[data-test=session-rooms]').innerText();
    assert.match(rooms, /^分组待定/);
    assert.ok(!/分 6 组/.test(rooms), rooms);
    assert.ok(await noHorizontalOverflow(p), 'no horizontal overflow');
    await shot(p, '67-phone-schedule-class');
    await seminar.scrollIntoViewIfNeeded();
    await shot(p, '68-phone-schedule-seminar');
    // the menu names the person, not the role twice
    const me = (await p.evaluate(async () => (await (await fetch('/api/v1/session')).json()).user));
    await p.locator('[data-test=menu-toggle]').click();
    await p.locator('.el-drawer [data-test=side-menu] .el-menu-item').first().waitFor();
    const who = await p.locator('[data-test=drawer-user]').innerText();
    assert.equal(who, `${me.display_name} · 学员`);
    assert.notEqual(me.display_name, '学员');
    await shot(p, '69-phone-menu-name');
    assert.deepEqual(phone.errors, []);
  } finally {
    await phone.close();
  }
});

test("a lecturer's phone menu names the lecturer", async () => {
  const phone = await openBrowser({ width: 360, height: 640 });
  try {
    const p = phone.page;
    await loginForm(p, 'expert1');
    await p.waitForURL(/\/schedule$/);
    await p.locator('[data-test=menu-toggle]').click();
    assert.equal(await p.locator('[data-test=drawer-user]').innerText(), '王立新 · 授课专家');
    assert.equal(await p.locator('[data-test=schedule-class]').count(), 0, 'a lecturer has no rosters');
    assert.deepEqual(phone.errors, []);
  } finally {
    await phone.close();
  }
});
