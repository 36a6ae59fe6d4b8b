// The side menu follows the permissions the server grants: the system admin manages
// accounts and logs but sees no cadre data; a unit liaison sees the registry of its own
// unit only (and its training plans and classes); a lecturer sees its own schedule.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, shot, loginForm, pageApi, apiLogin, BASE, chooseColumns } from './lib.mjs';

let b;

before(async () => { b = await openBrowser({ width: 1366, height: 768 }); });
after(async () => { await b?.close(); });

async function menuOf(page) {
  await page.locator('[data-test=side-menu] .el-menu-item').first().waitFor();
  return (await page.locator('[data-test=side-menu] .el-menu-item').allInnerTexts()).map((s) => s.trim());
}

async function logout(page) {
  await page.locator('[data-test=user-menu]').click();
  await page.locator('.el-dropdown-menu__item', { hasText: '退出登录' }).click();
  await page.locator('.el-message-box .el-button--primary').click();
  await page.locator('[data-test=login-submit]').waitFor();
}

test('the system admin sees accounts and logs, and no registry', async () => {
  const { page } = b;
  await loginForm(page, 'sysadmin');
  assert.deepEqual(await menuOf(page), ['用户管理', '系统日志']);
  // the accounts list answers
  await page.locator('[data-test=user-table] .el-table__body tr', { hasText: 'liaison1' }).waitFor();
  // typing the registry's address leads back to an allowed page
  await page.goto(BASE + '/registry');
  await page.waitForURL(/\/users$/);
  await page.locator('[data-test=menu-logs]').click();
  await page.locator('[data-test=audit-table]').waitFor();
  await shot(page, '30-sysadmin-logs');
  await logout(page);
});

test('a unit liaison sees the registry of its own unit, its plans and the classes its cadres attend', async () => {
  const { page } = b;
  await loginForm(page, 'liaison1');
  assert.deepEqual(await menuOf(page), ['干部名册', '培训计划', '培训班']);
  await page.waitForURL(/\/registry$/);
  const units = page.locator('[data-test=tree-unit]');
  await units.first().waitFor();
  assert.deepEqual(await units.evaluateAll((els) => els.map((e) => e.dataset.name)), ['溪美街道']);
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-test=cadre-table] .el-table__body-wrapper tr')];
    return rows.length > 0 && rows.every((r) => r.innerText.includes('溪美街道'));
  });
  // without cadre.reveal: the number masked to its region code, the birth date to 出生年月
  // (both columns a choice away: 列设置)
  await chooseColumns(page, ['id_number', 'birth_date']);
  const born = await page.evaluate(() => {
    const heads = [...document.querySelectorAll('[data-test=cadre-table] .el-table__header th')].map((th) => th.innerText.trim());
    const col = heads.indexOf('出生年月');
    const row = document.querySelector('[data-test=cadre-table] .el-table__body-wrapper tr');
    return { col, text: col < 0 ? '' : row.querySelectorAll('td')[col].innerText.trim(), row: row.innerText };
  });
  assert.ok(born.col >= 0, 'a 出生年月 column');
  assert.match(born.text, /^\d{4}-\d{2}$/);
  assert.match(born.row, /\d{6}\*{12}/);
  assert.match(await page.locator('[data-test=masked-note]').innerText(), /仅显示年月/);
  await shot(page, '31-liaison-registry');
});

test('a locked account is told so clearly at the login form', async () => {
  const { page } = b;
  await logout(page);
  const admin = await apiLogin('admin');
  const units = (await admin.get('/units?q=' + encodeURIComponent('溪美街道'))).data.items;
  const username = 'e2e-locked-' + Date.now().toString(36);
  const r = await admin.post('/users', { username, display_name: '锁定测试', role: 'unit_liaison', unit_id: units[0].id, password: 'Locked-Start-2024x' });
  assert.equal(r.status, 201, JSON.stringify(r.data));
  // five wrong passwords lock the account (server rule); the sixth try is refused with 423
  for (let i = 0; i < 5; i++) {
    await fetch(BASE + '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: 'wrong-' + i }) });
  }
  await loginForm(page, username, 'Locked-Start-2024x');
  const err = page.locator('[data-test=login-error]');
  await err.waitFor();
  const text = await err.innerText();
  assert.match(text, /账号已锁定/);
  assert.match(text, /15 分钟/);
  await shot(page, '32-login-locked');
});

test('a lecturer sees its own schedule only: its lecture in the seed class', async () => {
  const { page } = b;
  await loginForm(page, 'expert1');
  assert.deepEqual(await menuOf(page), ['我的课表']);
  await page.waitForURL(/\/schedule$/);
  const items = page.locator('[data-test=schedule-item]');
  await items.first().waitFor();
  assert.equal(await items.count(), 1);
  // at the time the engine gave it (the demo's timetable is solved, not written down)
  const own = (await pageApi(page, '/me/schedule')).data.sessions;
  assert.equal(own.length, 1);
  assert.match(own[0].start_time, /^\d\d:\d\d$/);
  assert.match(await items.first().innerText(), new RegExp(`${own[0].start_time}[\\s\\S]*深入学习贯彻党的二十大精神[\\s\\S]*学员楼报告厅`));
  await shot(page, '33-expert-schedule');
  // the registry is not offered, and typing its address leads back
  await page.goto(BASE + '/classes');
  await page.waitForURL(/\/schedule$/);
});

test('no uncaught script errors', () => {
  assert.deepEqual(b.errors, []);
});
