// The compliance dashboard (学时达标情况) in the browser: as the admin at 1440×900 and as the
// viewer at 360×640 — the KPI cards, the charts, a chart switched to its table, the behind
// list with its pager, nothing wider than the screen. Screenshots 60-… for a look.
//
// Until the ledger's operations fill the compliance rows, the test writes rows of its own
// for 2030 into the server's database (PEIXUN_DB, SQLite or PostgreSQL) — one per serving
// cadre, with credited hours spread over the bins — and opens the page on 1 September 2030.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openBrowser, shot, loginForm, noHorizontalOverflow, pageApi, BASE, idNumber } from './lib.mjs';

const DB = process.env.PEIXUN_DB;
const needsDb = { skip: !DB && 'PEIXUN_DB not set' };
const day = (y, m, d) => Date.UTC(y, m - 1, d) / 86400000;
const URL = '/compliance?window=year:2030&as_of=2030-09-01';

function sql(text) {
  return DB.startsWith('postgres')
    ? execFileSync('psql', ['-qtA', '-d', DB, '-c', text]).toString().trim()
    : execFileSync('sqlite3', ['-cmd', '.timeout 60000', DB, text]).toString().trim();
}

let b;
before(() => {
  if (!DB) return;
  const got = '((id * 37) % 11000)';
  sql(`DELETE FROM compliance WHERE window_key = 'year:2030:township_down_yearly'`);
  sql(`INSERT INTO compliance (cadre_id, window_key, unit_id, rule_code, hours_kind, window_kind, year,
    start_day, end_day, req_centi_days, req_centi_hours, req_classes, got_centi_days, got_centi_hours,
    got_classes, met_on, cut)
    SELECT id, 'year:2030:township_down_yearly', unit_id, 'township_down_yearly', 'centralized', 'year', 2030,
      ${day(2030, 1, 1)}, CASE WHEN id % 50 = 0 THEN ${day(2030, 5, 31)} ELSE ${day(2030, 12, 31)} END,
      0, 9000, 0, 0, ${got}, 0, CASE WHEN ${got} >= 9000 THEN '2030-05-01' ELSE '' END,
      CASE WHEN id % 50 = 0 AND ${got} < 9000 THEN '2030-06-01' ELSE '' END
    FROM cadres WHERE status = 'active'`);
});

after(async () => {
  await b?.close();
});

async function open(width, height, user) {
  await b?.close();
  b = await openBrowser({ width, height });
  await loginForm(b.page, user);
  await b.page.waitForURL(/\/overview$/);
  await b.page.goto(BASE + URL);
  await b.page.locator('[data-test=kpi-rate] .kpi-value', { hasText: '%' }).waitFor();
  await b.page.locator('[data-test=chart-type] canvas').waitFor();
  await b.page.locator('[data-test=behind-table] .el-table__row').first().waitFor();
  return b.page;
}

// Every text of the KPI cards and table cells inside its box (nothing cut off).
async function clipped(page) {
  return page.evaluate(() => [...document.querySelectorAll('.kpi-label, .kpi-value, .kpi-sub, .chart-head h3')]
    .filter((e) => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > window.innerWidth + 1)
    .map((e) => e.textContent.trim()));
}

test('the admin sees the figures, the charts and the behind list at 1440×900', needsDb, async () => {
  const page = await open(1440, 900, 'admin');
  const s = await pageApi(page, '/compliance/summary?window=year:2030&as_of=2030-09-01');
  assert.equal(s.status, 200);
  assert.ok(s.data.totals.all > 100, 'rows enough to chart');
  // the cards say what the summary says
  assert.equal((await page.locator('[data-test=kpi-behind] .kpi-value').innerText()).replace(/\D/g, ''), String(s.data.totals.behind));
  assert.ok(s.data.totals.behind > 0 && s.data.totals.met > 0 && s.data.totals.left > 0);
  for (const k of ['type', 'status', 'unit', 'hours']) await page.locator(`[data-test=chart-${k}] canvas`).waitFor();
  assert.deepEqual(await clipped(page), []);
  assert.ok(await noHorizontalOverflow(page));
  await shot(page, '60-compliance-admin');
  // the bars by unit as a table: one row per unit shown, the statuses as columns
  await page.locator('[data-test=as-table-unit]').click();
  const rows = page.locator('[data-test=table-unit] .el-table__row');
  await rows.first().waitFor();
  assert.equal(await rows.count(), Math.min(15, s.data.by_unit.length));
  assert.ok((await rows.first().innerText()).includes(s.data.by_unit[0].label));
  assert.equal(await page.locator('[data-test=chart-unit]').count(), 0);
  await shot(page, '61-compliance-admin-table');
  // the behind list pages
  const total = (await pageApi(page, '/compliance/behind?window=year:2030&as_of=2030-09-01&page_size=1')).data.total;
  assert.ok((await page.locator('[data-test=behind-pager]').innerText()).includes(String(total)));
  await page.locator('[data-test=behind-pager] .btn-next').click();
  await page.locator('[data-test=behind-table] .el-table__row').first().locator('td', { hasText: '11' }).waitFor();
  // the export downloads the file
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-behind]').click()]);
  assert.match(dl.suggestedFilename(), /\.xlsx$/);
});

test('the admin imports online-academy hours from the dashboard; a bad row is named', needsDb, async () => {
  const page = await open(1440, 900, 'admin');
  await page.locator('[data-test=import-online]').click();
  const dialog = page.locator('.el-dialog', { has: page.locator('[data-test=import-file]') });
  await dialog.waitFor();
  assert.match(await dialog.locator('.el-dialog__title').innerText(), /网络学院学时/);
  const csv = `身份证号,课程名称,学时,完成日期\n${idNumber('11010119700101001')},党史学习教育专题,2,2024-01-05\n`;
  await dialog.locator('[data-test=import-file]').setInputFiles({ name: '网络学院.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await dialog.locator('[data-test=import-file-name]', { hasText: '网络学院.csv' }).waitFor();
  await dialog.locator('[data-test=import-start]').click();
  await dialog.locator('[data-test=import-rejected]').waitFor();
  const row = dialog.locator('[data-test=import-errors] .el-table__row').first();
  assert.match(await row.innerText(), /2[\s\S]*身份证号[\s\S]*没有此身份证号/);
  assert.equal(await dialog.locator('[data-test=import-report]').count(), 0, 'no error report for an hours file');
  await shot(page, '65-compliance-import-online');
  await page.setViewportSize({ width: 360, height: 640 });
  assert.ok(await noHorizontalOverflow(page));
  await shot(page, '66-compliance-import-online-phone');
  await dialog.locator('[data-test=import-close]').click();
});

test('the viewer reads it on a 360 px phone: cards stacked, charts full width', needsDb, async () => {
  const page = await open(360, 640, 'viewer1');
  assert.ok(await noHorizontalOverflow(page), 'no horizontal overflow');
  assert.deepEqual(await clipped(page), []);
  const card = await page.locator('[data-test=card-type]').boundingBox();
  assert.ok(card.width >= 360 - 40, `the chart card is the screen's width (${card.width})`);
  const k1 = await page.locator('[data-test=kpi-rate]').boundingBox();
  const k3 = await page.locator('[data-test=kpi-overdue]').boundingBox();
  assert.ok(k3.y > k1.y + k1.height - 1, 'the cards stack in rows');
  await shot(page, '62-compliance-phone');
  await page.locator('[data-test=as-table-type]').click();
  await page.locator('[data-test=table-type] .el-table__row').first().waitFor();
  await page.locator('[data-test=card-type]').scrollIntoViewIfNeeded();
  assert.ok(await noHorizontalOverflow(page));
  await shot(page, '63-compliance-phone-table');
  await page.locator('[data-test=behind-card]').scrollIntoViewIfNeeded();
  await shot(page, '64-compliance-phone-behind');
  // read-only: nothing on the page writes
  const buttons = await page.locator('.compliance button').allInnerTexts();
  assert.ok(buttons.every((x) => !/新增|编辑|删除|保存|导入/.test(x)), buttons.join('|'));
});

test('no uncaught script errors on the dashboard', () => {
  assert.deepEqual(b?.errors ?? [], []);
});
