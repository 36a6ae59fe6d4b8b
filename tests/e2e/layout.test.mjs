// The conventions of an admin UI (issue 9, items 14, 15 and 18) in a real browser: the
// cadre table's columns whole at 1366 and 1920 px and the user's choice of columns kept; the
// breadcrumb, the tabs bar of open pages and the browser tab's title; 导出 on every list,
// 导入 of units with a dropped file and the template's example row; the audit log in words;
// the overview's ring legend in English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  openBrowser, shot, loginForm, apiLogin, BASE, clippedCells, tableScrollsSideways, headers, chooseColumns,
} from './lib.mjs';

const TABLE = '[data-test=cadre-table]';
const DEFAULT_ZH = ['序号', '姓名', '单位', '职务', '职级层次', '干部类别', '一把手', '状态', '操作'];
let b, page;

before(async () => {
  b = await openBrowser({ width: 1366, height: 768 });
  page = b.page;
});
// The units this file imports go again: the browser tests after it see the demo as built
// (71 units).
after(async () => {
  await b?.close();
  const admin = await apiLogin('admin');
  for (const u of (await admin.get('/units?q=' + encodeURIComponent('拖放导入单位'))).data.items) {
    const r = await admin.del(`/units/${u.id}`);
    assert.equal(r.status, 204, `unit ${u.name} deleted`);
  }
});

async function registry() {
  await page.goto(BASE + '/registry');
  await page.locator(`${TABLE} .el-table__body tr`).first().waitFor();
  // the tree picks the node and the first page arrives: rows of the whole region
  await page.locator('[data-test=selected-node]', { hasText: '南安市' }).waitFor();
}

// The table's headers once they are `want` (el-table redraws its columns a moment after
// the choice): the headers it shows then, for the assertion.
async function headersOnce(want) {
  await page.waitForFunction(([sel, w]) => {
    const hs = [...document.querySelectorAll(`${sel} .el-table__header th`)].map((th) => th.innerText.trim());
    return JSON.stringify(hs) === JSON.stringify(w);
  }, [TABLE, want], { timeout: 5000 }).catch(() => {});
  return headers(page, TABLE);
}

// What `probe` finds once the table has settled: asked again (up to 3 s) while it finds
// something, since el-table lays its columns out after it draws them.
async function settled(probe) {
  let v = await probe();
  for (let i = 0; i < 30 && (Array.isArray(v) ? v.length : v); i++) {
    await page.waitForTimeout(100);
    v = await probe();
  }
  return v;
}
const clipped = () => settled(() => clippedCells(page, TABLE));
const sideways = () => settled(() => tableScrollsSideways(page, TABLE));

async function setLang(lang) {
  await page.evaluate((l) => localStorage.setItem('px_lang', l), lang);
}

async function logout() {
  await page.context().clearCookies();
  await page.goto(BASE + '/login');
  await page.locator('[data-test=login-submit]').waitFor();
}

test('1366×768: the cadre table shows a training office\'s columns whole, without scrolling sideways', async () => {
  await loginForm(page, 'admin');
  await page.locator('[data-test=side-menu]').waitFor();
  await registry();
  assert.deepEqual(await headersOnce(DEFAULT_ZH), DEFAULT_ZH);
  assert.equal(await sideways(), false, 'no sideways scrolling');
  assert.deepEqual(await clipped(), []);
  // the 一把手 tag is drawn, whole, in its column
  assert.ok((await page.locator(`${TABLE} .el-table__body .el-tag`, { hasText: '一把手' }).count()) > 0);
  await shot(page, '40-registry-1366');
  await setLang('en');
  await registry();
  assert.deepEqual(await headersOnce(['No.', 'Name', 'Unit', 'Post', 'Rank level', 'Category', 'Head', 'Status', 'Actions']), ['No.', 'Name', 'Unit', 'Post', 'Rank level', 'Category', 'Head', 'Status', 'Actions']);
  assert.equal(await sideways(), false, 'no sideways scrolling in English');
  assert.deepEqual(await clipped(), []);
  await shot(page, '40-registry-1366-en');
  await setLang('zh-CN');
});

test('the columns a user picks stay after a reload, are that user\'s only, and go back to the defaults', async () => {
  await registry();
  await chooseColumns(page, ['id_number', 'phone', 'birth_date', 'gender_label']);
  await chooseColumns(page, ['category_label'], false);
  const picked = ['序号', '姓名', '单位', '职务', '职级层次', '一把手', '性别', '出生日期', '身份证号', '手机号码', '状态', '操作'];
  assert.deepEqual(await headersOnce(picked), picked);
  // the masked numbers whole, in their columns (the table may scroll sideways now)
  const row = await page.locator(`${TABLE} .el-table__body-wrapper tr`).first().innerText();
  assert.match(row, /\d{6}\*{12}/);
  assert.match(row, /1\d\d\*{4}\d{4}/);
  assert.deepEqual(await clipped(), []);
  await shot(page, '41-registry-columns');
  await page.reload();
  await page.locator(`${TABLE} .el-table__body tr`).first().waitFor();
  assert.deepEqual(await headersOnce(picked), picked, 'the choice survives a reload');
  // another person on the same browser has the defaults
  await logout();
  await loginForm(page, 'liaison1');
  await page.locator('[data-test=side-menu]').waitFor();
  await page.locator(`${TABLE} .el-table__body tr`).first().waitFor();
  assert.deepEqual(await headersOnce(DEFAULT_ZH), DEFAULT_ZH);
  await logout();
  await loginForm(page, 'admin');
  await page.locator('[data-test=side-menu]').waitFor();
  await registry();
  assert.deepEqual(await headersOnce(picked), picked, 'and it is still the admin\'s after another login');
  await page.locator('[data-test=column-chooser]').click();
  await page.locator('[data-test=column-reset]').click();
  await page.locator('[data-test=column-chooser]').click();
  assert.deepEqual(await headersOnce(DEFAULT_ZH), DEFAULT_ZH);
});

test('1920×1080, 1440×900 and a phone: the columns whole in both languages', async () => {
  for (const [w, h] of [[1920, 1080], [1440, 900], [360, 640]]) {
    await page.setViewportSize({ width: w, height: h });
    for (const lang of ['zh-CN', 'en']) {
      await setLang(lang);
      await registry();
      // a phone scrolls the table sideways; a desk's screen does not
      if (w > 1000) assert.equal(await sideways(), false, `${w} ${lang}: no sideways scrolling`);
      assert.deepEqual(await clipped(), [], `${w} ${lang}`);
      if (w < 1000) await page.locator(TABLE).scrollIntoViewIfNeeded();
      await shot(page, `42-registry-${w}${lang === 'en' ? '-en' : ''}`);
    }
  }
  await setLang('zh-CN');
  await page.setViewportSize({ width: 1440, height: 900 });
});

test('a breadcrumb, a tabs bar of the pages opened and the title follow the page, and survive a reload', async () => {
  await page.goto(BASE + '/overview');
  await page.locator('[data-test=tabs-bar]').waitFor();
  for (const m of ['registry', 'plans', 'classes']) {
    await page.locator(`[data-test=menu-${m}]`).click();
    await page.waitForURL(new RegExp(`/${m}$`));
  }
  const tabTexts = () => page.locator('[data-test=tab]').evaluateAll((els) => els.map((e) => e.innerText.trim()));
  const active = () => page.locator('[data-test=tab][aria-current=page]').innerText();
  assert.deepEqual(await tabTexts(), ['概览', '干部名册', '培训计划', '培训班']);
  assert.equal((await active()).trim(), '培训班');
  assert.equal(await page.title(), '培训班 - peixun');
  assert.equal((await page.locator('[data-test=breadcrumb]').innerText()).replace(/\s/g, ''), '首页/培训班');
  // a page below a menu page: the class by its name
  const link = page.locator('[data-test=class-link]').first();
  const name = await link.getAttribute('data-name');
  await link.click();
  await page.locator('[data-test=class-title]', { hasText: name }).waitFor();
  await page.waitForFunction((n) => document.title === `${n} - peixun`, name);
  assert.equal((await page.locator('[data-test=breadcrumb]').innerText()).replace(/\s/g, ''), `首页/培训班/${name}`.replace(/\s/g, ''));
  assert.deepEqual(await tabTexts(), ['概览', '干部名册', '培训计划', '培训班', name]);
  await shot(page, '43-tabs-class');
  // a tab opens its page; closing another leaves the page; closing the current one opens its neighbour
  await page.locator('[data-test=tab]', { hasText: '干部名册' }).click();
  await page.waitForURL(/\/registry$/);
  assert.equal((await active()).trim(), '干部名册');
  await page.locator('[data-test=tab]', { hasText: '培训计划' }).locator('[data-test=tab-close]').click();
  assert.deepEqual(await tabTexts(), ['概览', '干部名册', '培训班', name]);
  await page.waitForURL(/\/registry$/);
  await page.locator('[data-test=tab]', { hasText: '干部名册' }).locator('[data-test=tab-close]').click();
  await page.waitForURL(/\/classes$/);
  assert.deepEqual(await tabTexts(), ['概览', '培训班', name]);
  // the home page's tab cannot be closed
  assert.equal(await page.locator('[data-test=tab]', { hasText: '概览' }).locator('[data-test=tab-close]').count(), 0);
  await page.reload();
  await page.locator('[data-test=tabs-bar]').waitFor();
  assert.deepEqual(await tabTexts(), ['概览', '培训班', name], 'the tabs survive a reload');
  // in English: the tabs, the breadcrumb and the title too
  await setLang('en');
  await page.reload();
  await page.locator('[data-test=tab]', { hasText: 'Classes' }).waitFor();
  assert.equal(await page.title(), 'Classes - peixun');
  assert.equal((await page.locator('[data-test=breadcrumb]').innerText()).replace(/\s/g, ''), 'Home/Classes');
  await shot(page, '43-tabs-en');
  await setLang('zh-CN');
  await page.reload();
  await page.locator('[data-test=tabs-more]').click();
  await page.locator('[data-test=tabs-close-all]').click();
  await page.waitForURL(/\/overview$/);
  assert.deepEqual(await tabTexts(), ['概览']);
});

// Each list page as the organization admin, and the file its 导出 saves.
const LISTS = [
  ['units', '单位名单.xlsx'], ['users', '用户.xlsx'], ['plans', '培训计划.xlsx'], ['classes', '培训班.xlsx'],
  ['experts', '师资库.xlsx'], ['rooms', '教室.xlsx'], ['imports', '导入记录.xlsx'],
];

test('every list has 导出 at the end of its toolbar, and it saves the list\'s .xlsx', async () => {
  for (const [name, file] of LISTS) {
    await page.locator(`[data-test=menu-${name}]`).click();
    await page.waitForURL(new RegExp(`/${name}$`));
    const button = page.locator('[data-test=list-export]');
    await button.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    assert.equal(download.suggestedFilename(), file, name);
    const saved = await download.path();
    assert.equal(fs.readFileSync(saved).readUInt32LE(0), 0x04034b50, `${name}: an .xlsx (zip)`);
  }
  await shot(page, '44-list-export');
});

test('units import from a dropped file; the template carries an example row the import skips', async () => {
  await page.locator('[data-test=menu-units]').click();
  await page.waitForURL(/\/units$/);
  await page.locator('[data-test=list-import]').click();
  const dialog = page.locator('.el-dialog', { has: page.locator('[data-test=import-drop]') });
  await dialog.waitFor();
  // the units page imports units: no choice of kind
  assert.equal(await dialog.locator('[data-test=import-kind]').count(), 0);
  assert.equal((await dialog.locator('[data-test=import-kind-fixed]').innerText()).trim(), '单位信息');
  const [tpl] = await Promise.all([page.waitForEvent('download'), dialog.locator('[data-test=import-template]').click()]);
  assert.match(tpl.suggestedFilename(), /单位.*\.xlsx$/);
  assert.match(await dialog.innerText(), /灰色的填写示例,导入时自动跳过/);
  // a file dropped on the dialog, the template's example still in it
  const name = `拖放导入单位${Date.now() % 100000}`;
  const csv = `单位名称,单位类型,所属地区\r\n示例：美山镇,乡镇,南安市\r\n${name},事业单位,南安市\r\n`;
  const dt = await page.evaluateHandle((text) => {
    const d = new DataTransfer();
    d.items.add(new File([text], '单位导入.csv', { type: 'text/csv' }));
    return d;
  }, csv);
  await dialog.locator('[data-test=import-drop]').dispatchEvent('dragenter', { dataTransfer: dt });
  await dialog.locator('[data-test=import-drop]').dispatchEvent('drop', { dataTransfer: dt });
  await dialog.locator('[data-test=import-file-name]', { hasText: '单位导入.csv' }).waitFor();
  await shot(page, '45-import-dropped');
  await dialog.locator('[data-test=import-start]').click();
  await dialog.locator('[data-test=import-success]').waitFor();
  assert.match(await dialog.locator('[data-test=import-success]').innerText(), /导入成功 1 条/);
  await dialog.locator('[data-test=import-close]').click();
  // the unit is there; the example was not imported
  await page.locator('.filters .q input').fill(name);
  await page.locator('.filters .q input').press('Enter');
  await page.locator('[data-test=unit-table] .el-table__body', { hasText: name }).waitFor();
  const admin = await apiLogin('admin');
  assert.equal((await admin.get('/units?q=' + encodeURIComponent('美山镇'))).data.items.filter((u) => u.name.includes('示例')).length, 0);
  // a file of another kind is refused before anything is sent
  const bad = await page.evaluateHandle(() => {
    const d = new DataTransfer();
    d.items.add(new File(['x'], 'notes.txt', { type: 'text/plain' }));
    return d;
  });
  await page.locator('[data-test=list-import]').click();
  await dialog.waitFor();
  await dialog.locator('[data-test=import-drop]').dispatchEvent('drop', { dataTransfer: bad });
  await page.locator('.el-message--error', { hasText: '.xlsx 或 .csv' }).waitFor();
  await dialog.locator('[data-test=import-close]').click();
});

test('the audit log reads in words: who, what, which fields old → new, the command line named', async () => {
  // a change to read: the organization admin renames a unit
  const admin = await apiLogin('admin');
  const u = (await admin.get('/units?q=' + encodeURIComponent('拖放导入单位'))).data.items[0];
  const renamed = u.name + '乙';
  const r = await admin.put(`/units/${u.id}`, { ...u, name: renamed });
  assert.equal(r.status, 200, JSON.stringify(r.data));
  await logout();
  await loginForm(page, 'sysadmin');
  await page.locator('[data-test=menu-logs]').click();
  const table = page.locator('[data-test=audit-table]');
  await table.locator('.el-table__body tr').first().waitFor();
  const update = table.locator('.el-table__body tr', { hasText: '单位名称：' + u.name + ' → ' + renamed });
  await update.waitFor();
  assert.match(await update.innerText(), /admin[\s\S]*修改[\s\S]*单位/);
  await update.locator('.el-table__expand-icon').click();
  const changes = page.locator('[data-test=audit-change-table]').first();
  await changes.waitFor();
  assert.match(await changes.innerText(), /字段\s+变更前\s+变更后[\s\S]*单位名称\s+/);
  await shot(page, '46-audit-log');
  // the demo's entry: the command line and the database, in words
  await page.locator('[data-test=audit-entity]').click();
  const options = await page.locator('.el-select-dropdown__item').allInnerTexts();
  for (const o of ['干部', '单位', '课表', '后台任务', '数据库']) assert.ok(options.includes(o), o);
  await page.locator('.el-select-dropdown__item', { hasText: '数据库' }).click();
  const demo = table.locator('.el-table__body tr').first();
  await demo.locator('td', { hasText: '建立演示数据' }).waitFor();
  assert.match(await demo.innerText(), /命令行[\s\S]*数据库/);
  // nothing of the page is raw JSON or a code
  const text = await page.locator('.page').innerText();
  assert.ok(!/[{}"]/.test(text), text.slice(0, 300));
  assert.ok(!/\(cli\)|database|class_id/.test(text));
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=list-export]').click()]);
  assert.equal(download.suggestedFilename(), '操作日志.xlsx');
  await setLang('en');
  await page.reload();
  await table.locator('.el-table__body tr').first().waitFor();
  await page.locator('[data-test=audit-entity]').click();
  await page.locator('.el-select-dropdown__item', { hasText: 'Unit' }).first().click();
  await table.locator('.el-table__body tr', { hasText: `Unit name: ${u.name} → ${renamed}` }).waitFor();
  await shot(page, '46-audit-log-en');
  await setLang('zh-CN');
});

test('the overview\'s ring legend fits in English at 1366 and 1440 px', async () => {
  await logout();
  await loginForm(page, 'admin');
  await setLang('en');
  for (const w of [1366, 1440]) {
    await page.setViewportSize({ width: w, height: 900 });
    await page.goto(BASE + '/overview');
    const legend = page.locator('[data-test=chart-rank-legend]');
    await legend.locator('[data-test=legend-item]').first().waitFor();
    const fit = await legend.evaluate((ul) => {
      const card = ul.closest('.chart-card').getBoundingClientRect();
      return [...ul.querySelectorAll('li')].map((li) => {
        const r = li.getBoundingClientRect();
        const parts = [li, ...li.querySelectorAll('span')];
        return { text: li.innerText, inside: r.left >= card.left && r.right <= card.right, whole: parts.every((e) => e.scrollWidth <= e.clientWidth + 1) };
      });
    });
    assert.ok(fit.length >= 3, JSON.stringify(fit));
    for (const f of fit) assert.ok(f.inside && f.whole, `${w}: ${JSON.stringify(f)}`);
    assert.ok(fit.some((f) => /General staff/.test(f.text)));
    await shot(page, `47-overview-${w}-en`);
  }
  await setLang('zh-CN');
});

test('no uncaught script errors on the way', () => {
  assert.deepEqual(b.errors, []);
});
