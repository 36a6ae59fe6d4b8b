// The registry in a real browser against the real server: log in through the form, the
// overview, the region → unit tree (71 units under 南安市), a unit's cadres, a cadre's
// masked numbers and the audited reveal, an import that the server rejects whole (a bad
// ID number among good rows) with nothing imported, and the English switch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, shot, loginForm, pageApi, idNumber, chooseColumns } from './lib.mjs';

let b, page;

before(async () => {
  b = await openBrowser({ width: 1366, height: 768 });
  page = b.page;
});

after(async () => {
  await b?.close();
});

test('a wrong password shows the server\'s message; the right one opens the admin\'s menu', async () => {
  await loginForm(page, 'admin', 'not-the-password');
  const err = page.locator('[data-test=login-error]');
  await err.waitFor();
  assert.match(await err.innerText(), /用户名或密码错误/);
  await shot(page, '01-login-error');

  await page.locator('[data-test=password]').fill(process.env.PEIXUN_PASSWORD ?? 'Demo-Peixun-2023');
  await page.locator('[data-test=login-submit]').click();
  await page.locator('[data-test=side-menu]').waitFor();
  const menu = await page.locator('[data-test=side-menu] .el-menu-item').allInnerTexts();
  assert.deepEqual(menu.map((s) => s.trim()), ['概览', '学时达标', '干部名册', '培训计划', '培训班', '师资库', '教室', '单位管理', '导入记录', '用户管理']);
  // the organization admin has no system logs
  assert.equal(await page.locator('[data-test=menu-logs]').count(), 0);
  assert.match(await page.locator('[data-test=role-tag]').innerText(), /组织部管理员/);
});

test('the overview shows the counts and the chart of rank levels per unit type', async () => {
  await page.waitForURL(/\/overview$/);
  const units = page.locator('[data-test=stat-units]');
  await units.filter({ hasText: '71' }).waitFor();
  assert.match(await page.locator('[data-test=stat-heads]').innerText(), /71/);
  // ECharts draws into a canvas inside the chart's container
  await page.locator('[data-test=chart-rank-unit-type] canvas').waitFor();
  await shot(page, '02-overview');
});

test('the registry tree holds 南安市 with its 71 units; a unit shows its cadres', async () => {
  await page.locator('[data-test=menu-registry]').click();
  await page.waitForURL(/\/registry$/);
  const region = page.locator('[data-test=tree-region][data-name="南安市"]');
  await region.waitFor();
  assert.match(await region.locator('[data-test=region-unit-count]').innerText(), /\b71\b/);
  const unitNodes = page.locator('[data-test=tree-unit]');
  await unitNodes.nth(70).waitFor();
  assert.equal(await unitNodes.count(), 71);
  // the first page lists cadres of the whole region
  await page.locator('[data-test=cadre-table] .el-table__body tr').first().waitFor();
  await shot(page, '03-registry');

  const unit = (await pageApi(page, '/units?q=' + encodeURIComponent('水头镇'))).data.items.find((u) => u.name === '水头镇');
  assert.ok(unit && unit.cadre_count > 0);
  await page.locator('[data-test=tree-unit][data-name="水头镇"]').click();
  await page.locator('[data-test=selected-node]', { hasText: '水头镇' }).waitFor();
  await page.locator('[data-test=cadre-pager] .el-pagination__total', { hasText: String(unit.cadre_count) }).waitFor();
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-test=cadre-table] .el-table__body-wrapper tr')];
    return rows.length > 0 && rows.every((r) => r.innerText.includes('水头镇'));
  });
  // numbers are masked in the list (their columns are a choice away: 列设置)
  await chooseColumns(page, ['id_number', 'phone']);
  const firstRow = await page.locator('[data-test=cadre-table] .el-table__body-wrapper tr').first().innerText();
  assert.match(firstRow, /\d{6}\*{12}/);
  assert.match(firstRow, /1\d\d\*{4}\d{4}/);
  await shot(page, '04-registry-unit');
});

test('a cadre opens in a drawer; revealing the numbers asks first and shows them in full', async () => {
  await page.locator('[data-test=cadre-table] .el-table__body-wrapper tr').first().locator('.el-link').click();
  const drawer = page.locator('.el-drawer', { has: page.locator('[data-test=id-number]') });
  await drawer.waitFor();
  assert.match(await drawer.locator('[data-test=id-number]').innerText(), /^\d{6}\*{12}$/);
  // the organization admin may reveal: the birth date in full
  assert.match(await drawer.locator('[data-test=birth-date]').innerText(), /^\d{4}-\d{2}-\d{2}$/);
  await drawer.locator('[data-test=reveal]').click();
  const box = page.locator('.el-message-box');
  await box.waitFor();
  assert.match(await box.innerText(), /操作日志/);
  await shot(page, '05-reveal-confirm');
  await box.locator('.el-button--primary').click();
  await box.waitFor({ state: 'hidden' });
  await page.waitForFunction(() => /^\d{17}[\dX]$/.test(document.querySelector('[data-test=id-number]')?.textContent.trim() ?? ''));
  await shot(page, '06-cadre-drawer');
  await drawer.locator('.el-drawer__close-btn').click();
  await drawer.waitFor({ state: 'hidden' });
});

test('editing a cadre shows the server\'s field errors at the fields and saves nothing', async () => {
  const row = page.locator('[data-test=cadre-table] .el-table__body-wrapper tr').first();
  const before = (await pageApi(page, '/cadres?unit_id=' + (await pageApi(page, '/units?q=' + encodeURIComponent('水头镇'))).data.items[0].id + '&page_size=1')).data.items[0];
  await row.locator('button', { hasText: '编辑' }).click();
  const drawer = page.locator('.el-drawer', { has: page.locator('[data-test=save-cadre]') });
  await drawer.waitFor();
  await drawer.locator('[data-test=f-id]').fill('35058319800101123');
  await drawer.locator('[data-test=save-cadre]').click();
  const itemError = drawer.locator('.el-form-item', { has: page.locator('[data-test=f-id]') }).locator('.el-form-item__error');
  await itemError.waitFor();
  assert.match(await itemError.innerText(), /身份证号/);
  assert.match(await drawer.locator('[data-test=form-error]').innerText(), /输入有误/);
  await shot(page, '06b-cadre-edit-error');
  // opened for editing from the row, 取消 closes the drawer in one click
  await drawer.locator('.el-drawer__footer button', { hasText: '取消' }).click();
  await drawer.waitFor({ state: 'hidden' });
  const after = (await pageApi(page, '/cadres/' + before.id)).data;
  assert.equal(after.version, before.version);
});

// Two good rows and, between them, one whose ID number has a wrong check digit. The
// whole file must be rejected: the dialog names row 3 (the header is row 1, as in Excel)
// and the ID-number problem, and none of the three cadres exists afterwards.
const header = '姓名,性别,出生日期,身份证号,手机号码,单位,职务,是否一把手,职级层次,公务员职级,干部类别,任现职时间,提拔时间,状态';
const good1 = idNumber('11010819800101003');
const bad = idNumber('11010819810202004', true);
const good2 = idNumber('11010819820303005');
const csv = [
  header,
  `导入测试甲,,,${good1},13900000001,水头镇,科员,否,一般干部,,公务员,2020-01-01,,在职`,
  `导入测试乙,,,${bad},13900000002,水头镇,科员,否,一般干部,,公务员,2020-01-01,,在职`,
  `导入测试丙,,,${good2},13900000003,水头镇,科员,否,一般干部,,公务员,2020-01-01,,在职`,
].join('\r\n') + '\r\n';

test('an import with one bad row is rejected whole, row by row, and imports nothing', async () => {
  const before = (await pageApi(page, '/cadres?page_size=1')).data.total;
  await page.locator('[data-test=open-import]').click();
  const dialog = page.locator('.el-dialog', { has: page.locator('[data-test=import-file]') });
  await dialog.waitFor();
  await dialog.locator('[data-test=import-file]').setInputFiles({
    name: '干部导入-e2e.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8'),
  });
  await dialog.locator('[data-test=import-file-name]', { hasText: '干部导入-e2e.csv' }).waitFor();
  await shot(page, '07-import-picked');
  try {
    await dialog.locator('[data-test=import-start]').click();
    await checkRejection(dialog);
  } finally {
    // leave the page usable for the next test even when an assertion failed
    await dialog.locator('[data-test=import-close]').click();
    await dialog.waitFor({ state: 'hidden' });
  }

  // nothing was imported: the total is unchanged and none of the three ID numbers exists
  assert.equal((await pageApi(page, '/cadres?page_size=1')).data.total, before);
  for (const id of [good1, bad, good2]) {
    assert.equal((await pageApi(page, '/cadres?q=' + id)).data.total, 0, id);
  }
  // and the UI finds none of the names either
  await page.locator('[data-test=cadre-q]').fill('导入测试');
  await page.locator('[data-test=cadre-q]').press('Enter');
  await page.locator('[data-test=cadre-table] .el-table__empty-text').waitFor();
  assert.match(await page.locator('[data-test=cadre-pager] .el-pagination__total').innerText(), /\b0\b/);
  await shot(page, '09-after-rejected-import');
  // a search that matches more than the server counts (员: half the posts) says "1000+"
  const wide = (await pageApi(page, '/cadres?page_size=1&q=' + encodeURIComponent('员'))).data;
  assert.equal(wide.total_capped, true);
  await page.locator('[data-test=tree-region][data-name="南安市"]').scrollIntoViewIfNeeded();
  await page.locator('[data-test=tree-region][data-name="南安市"]').click(); // the whole region
  await page.locator('[data-test=selected-node]', { hasText: '南安市' }).waitFor();
  await page.locator('[data-test=cadre-q]').fill('员');
  await page.locator('[data-test=cadre-q]').press('Enter');
  await page.locator('[data-test=total-capped]', { hasText: '共 1000+ 条' }).waitFor();
  await shot(page, '09b-search-counted-to-1000');
});

async function checkRejection(dialog) {
  const rejected = dialog.locator('[data-test=import-rejected]');
  await rejected.waitFor();
  await shot(page, '08-import-rejected');
  const text = await rejected.innerText();
  assert.match(text, /导入未执行/); // the server's message
  assert.match(text, /本次未导入任何数据/);
  const rows = await dialog.locator('[data-test=import-errors] .el-table__body tr').allInnerTexts();
  const idRow = rows.map((r) => r.split('\t').map((c) => c.trim())).find((c) => c[1] === '身份证号');
  assert.ok(idRow, `an error row for the ID number: ${JSON.stringify(rows)}`);
  assert.equal(idRow[0], '3');
  assert.match(idRow[2], /校验位/);
  // the good rows are not reported, only the bad one
  assert.ok(rows.every((r) => !/^\s*(2|4)\s/.test(r)), JSON.stringify(rows));
  assert.equal(await dialog.locator('[data-test=import-report]').count(), 1);
}

test('switching to English turns the menu and the page into English, and it stays after a reload', async () => {
  await page.locator('[data-test=lang-switch]').first().click();
  await page.locator('.el-dropdown-menu__item', { hasText: 'English' }).click();
  await page.locator('[data-test=menu-registry]', { hasText: 'Cadre registry' }).waitFor();
  const menu = await page.locator('[data-test=side-menu] .el-menu-item').allInnerTexts();
  assert.deepEqual(menu.map((s) => s.trim()), ['Overview', 'Training compliance', 'Cadre registry', 'Training plans', 'Classes', 'Experts', 'Rooms', 'Units', 'Import log', 'Accounts']);
  // labels that come from the server follow too (role, rank levels)
  await page.locator('[data-test=role-tag]', { hasText: 'Organization department administrator' }).waitFor();
  await page.locator('[data-test=cadre-table] .el-table__header', { hasText: 'Rank level' }).waitFor();
  await shot(page, '10-english');
  await page.reload();
  await page.locator('[data-test=menu-overview]', { hasText: 'Overview' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
});

test('no uncaught script errors on the way', () => {
  assert.deepEqual(b.errors, []);
});
