// The import dialog with a clerk's file (issue 10): a refused file sums its problems up by
// kind above the row list, names the columns it did not import and lists the rows that are no
// people; a file that passes says the same of its columns and rows. At 1440×900 and on a
// 360×640 phone, without horizontal scrolling. Dry runs and refusals only: nothing imported.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, shot, loginForm, noHorizontalOverflow, idNumber, BASE } from './lib.mjs';

const browsers = [];
after(async () => { for (const b of browsers) await b.close(); });

// 30 cadres of region 150141: rows 5, 10, 15, 20 with a wrong check digit, two of an
// unknown unit; a 备注 and an 审核意见 column; 合计 and 填表人 below the table.
function refused() {
  const rows = ['序号,姓名,身份证号,单位,职级层次,干部类别,备注,审核意见'];
  for (let i = 1; i <= 30; i++) {
    const d17 = `150141198001${String(i).padStart(2, '0')}011`;
    const unit = i === 7 || i === 23 ? '溪美街道办' : '溪美街道';
    rows.push(`${i},界面${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑寅卯辰巳午未申酉'[Math.floor(i / 10)]},${idNumber(d17, i % 5 === 4)},${unit},一般干部,公务员,,`);
  }
  rows.push('合计:30人', '填表人:张三,,,联系电话:0595-86381234');
  return rows.join('\r\n') + '\r\n';
}

function passes() {
  return ['序号,姓 名,公民身份号码,工作单位,职务层次,人员类别,联系电话,备注',
    `1,界面好甲,${idNumber('15014219800101011')},溪美街道,一般干部,公务员,13905950001,`,
    `2,界面好乙,${idNumber('15014219800102011')},柳城街道,一般干部,公务员,13905950002,调入`,
    '3', '合计:2人'].join('\r\n') + '\r\n';
}

async function openDialog(page) {
  await page.goto(BASE + '/registry');
  await page.locator('[data-test=open-import]').click();
  const dialog = page.locator('.el-dialog', { has: page.locator('[data-test=import-file]') });
  await dialog.waitFor();
  return dialog;
}

async function pick(dialog, name, text) {
  await dialog.locator('[data-test=import-file]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
  await dialog.locator('[data-test=import-file-name]', { hasText: name }).waitFor();
}

for (const [label, size, prefix] of [['desktop', { width: 1440, height: 900 }, '50'], ['phone', { width: 360, height: 640 }, '51']]) {
  test(`${label}: a refused file shows its errors by kind above the rows, the columns not imported, the rows skipped`, async () => {
    const b = await openBrowser(size);
    browsers.push(b);
    const { page } = b;
    await loginForm(page, 'admin');
    await page.waitForURL(/\/overview$/);
    const dialog = await openDialog(page);
    await pick(dialog, '界面-分组.csv', refused());
    await dialog.locator('[data-test=import-start]').click();
    await dialog.locator('[data-test=import-rejected]').waitFor();
    const summary = dialog.locator('[data-test=import-summary]');
    await summary.waitFor();
    const items = await summary.locator('[data-test=import-summary-item]').allInnerTexts();
    assert.equal(items.length, 2, items.join('\n'));
    assert.match(items[0], /身份证号[\s\S]*身份证号校验位错误[\s\S]*6 行[\s\S]*如第 5、10、15、20、25 …/);
    assert.match(items[1], /单位[\s\S]*溪美街道办[\s\S]*2 行/);
    assert.equal((await dialog.locator('[data-test=import-ignored]').innerText()).trim(), '以下列未导入:备注、审核意见');
    const skipped = await dialog.locator('[data-test=import-skipped]').innerText();
    assert.match(skipped, /2 行不是人员信息,已跳过/);
    assert.match(skipped, /第 32 行:合计行/);
    assert.match(skipped, /第 33 行:落款/);
    // the kinds come above the row list, which still lists every row
    const table = dialog.locator('[data-test=import-errors]');
    assert.ok((await summary.boundingBox()).y < (await table.boundingBox()).y);
    assert.equal(await table.locator('.el-table__body tr').count(), 8);
    assert.ok(await noHorizontalOverflow(page));
    await dialog.locator('.el-dialog__body').evaluate((e) => { e.scrollTop = 0; });
    await shot(page, `${prefix}-import-summary-${label}`);
    if (label === 'phone') { // the summary and the notes, scrolled to
      await summary.evaluate((e) => e.scrollIntoView({ block: 'start' }));
      await shot(page, `${prefix}b-import-summary-${label}-scrolled`);
    }
    await dialog.locator('[data-test=import-close]').click();
    await dialog.waitFor({ state: 'hidden' });
    assert.deepEqual(b.errors, []);
  });

  test(`${label}: a file that passes says which columns it left out and which rows it skipped`, async () => {
    const b = browsers.at(-1);
    const { page } = b;
    const dialog = await openDialog(page);
    await pick(dialog, '界面-通过.csv', passes());
    await dialog.locator('.el-checkbox', { hasText: '仅校验' }).click();
    await dialog.locator('[data-test=import-start]').click();
    await dialog.locator('[data-test=import-success]').waitFor();
    assert.match(await dialog.locator('[data-test=import-success]').innerText(), /校验通过 2 条/);
    assert.equal((await dialog.locator('[data-test=import-ignored]').innerText()).trim(), '以下列未导入:备注');
    const skipped = await dialog.locator('[data-test=import-skipped]').innerText();
    assert.match(skipped, /第 4 行:只有序号/);
    assert.match(skipped, /第 5 行:合计行/);
    assert.ok(await noHorizontalOverflow(page));
    await shot(page, `${prefix}-import-notes-${label}`);
    if (label === 'phone') {
      await dialog.locator('[data-test=import-ignored]').evaluate((e) => e.scrollIntoView({ block: 'start' }));
      await shot(page, `${prefix}b-import-notes-${label}-scrolled`);
    }
    await dialog.locator('[data-test=import-close]').click();
    await dialog.waitFor({ state: 'hidden' });
    assert.deepEqual(b.errors, []);
  });
}
