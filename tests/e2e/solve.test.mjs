// 自动排课 proposes; the manager looks, applies, and can undo (issue 9, item 10), in a real
// browser at 1440×900 and on a 360 px phone: the class manager's term class, put out of
// order first (a lecture moved onto another's half-day and room, another taken off the
// grid), is auto-arranged; the dialog shows the cost now → proposed by constraint and the
// sessions it changes, and nothing is saved; on the grid the proposal's cards stand where
// it puts them, outlined and tagged, with the comparison in its bar; applying writes exactly
// that; undo puts back exactly the timetable before. A run can be stopped, saving nothing.
// The class's placements are put back afterwards for the API tests that run next.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, shot, loginForm, pageApi, noHorizontalOverflow, apiLogin, BASE } from './lib.mjs';

const T1 = '2023年春季中青年干部培训班';
let b, page, manager, t1, original, disordered;

const card = (p, id) => p.locator(`[data-test=tt-card][data-id="${id}"]`);
const where = (s) => `${s.id} ${s.day ?? '-'}/${s.slot ?? '-'} ${s.room?.id ?? 0} +${[...s.group_rooms].sort((x, y) => x.group - y.group).map((g) => g.room_id).join(',')}`;
const placements = async (p) => (await pageApi(p, `/classes/${t1.id}/timetable`)).data.sessions.map(where).sort().join('\n');
const put = (s) => (s.day
  ? { day: s.day, slot: s.slot, room_id: s.room?.id ?? 0, group_rooms: [...s.group_rooms].sort((x, y) => x.group - y.group).map((g) => g.room_id), pinned: s.pinned }
  : { day: '', pinned: s.pinned });

before(async () => {
  manager = await apiLogin('manager');
  t1 = (await manager.get('/classes?q=' + encodeURIComponent(T1))).data.items.find((c) => c.name === T1);
  assert.ok(t1, 'the manager\'s term class');
  original = (await manager.get(`/classes/${t1.id}/timetable`)).data.sessions;
  // out of order: lecture a onto lecture b's half-day and room, lecture c off the grid
  const lectures = original.filter((s) => s.kind === 'lecture' && s.day && !s.pinned);
  const [a, bl] = [lectures[0], lectures.find((s) => s.day !== lectures[0].day || s.slot !== lectures[0].slot)];
  const c = lectures.find((s) => s !== a && s !== bl);
  assert.equal((await manager.put(`/sessions/${a.id}/placement`, { day: bl.day, slot: bl.slot, room_id: bl.room.id })).status, 200);
  assert.equal((await manager.put(`/sessions/${c.id}/placement`, { day: '' })).status, 200);
  disordered = { a, bl, c };
  b = await openBrowser({ width: 1440, height: 900 });
  page = b.page;
});

after(async () => {
  await b?.close();
  if (!original) return;
  const now = (await manager.get(`/classes/${t1.id}/timetable`)).data.sessions;
  for (const o of original) {
    const n = now.find((s) => s.id === o.id);
    if (n && where(n) === where(o) && n.pinned === o.pinned) continue;
    const r = await manager.put(`/sessions/${o.id}/placement`, put(o));
    assert.equal(r.status, 200, JSON.stringify(r.data));
  }
  assert.equal((await manager.get(`/classes/${t1.id}/timetable`)).data.conflict_count, 0, 'the term class is left without conflicts');
});

// Start a solve in the open dialog and wait for its end; the dialog.
async function solve(p, seconds) {
  await p.locator('[data-test=tt-solve]').click();
  const dialog = p.locator('[data-test=solve-dialog]');
  await dialog.locator('[data-test=solve-current]').waitFor();
  await dialog.locator('[data-test=solve-time-limit] input').fill(String(seconds));
  await dialog.locator('[data-test=solve-start]').click();
  return dialog;
}

test('the dialog shows the cost now; the solve\'s proposal (cost now → proposed, what changes) saves nothing', async () => {
  await loginForm(page, 'manager');
  await page.locator('[data-test=side-menu]').first().waitFor();
  await page.goto(`${BASE}/classes/${t1.id}?tab=timetable`);
  await card(page, disordered.a.id).waitFor();
  assert.notEqual(await page.locator('[data-test=tt-conflict-badge]').getAttribute('data-count'), '0');
  const before = await placements(page);
  const dialog = await solve(page, 2);
  await dialog.locator('[data-test=solve-success], [data-test=solve-failed], [data-test=solve-error]').waitFor({ timeout: 60000 });
  const ok = dialog.locator('[data-test=solve-success]');
  assert.equal(await ok.count(), 1, await dialog.innerText());
  assert.match(await ok.innerText(), /已得出方案:调整 \d+ 项课程/);
  assert.match(await ok.innerText(), /尚未应用/);
  const moves = Number(await dialog.locator('[data-test=solve-moves]').getAttribute('data-count'));
  assert.ok(moves >= 2, `the out-of-order lectures move: ${moves}`);
  // cost now → proposed: the clash and the unplaced lecture go
  const row = (key) => dialog.locator(`[data-test=cost-row][data-key=${key}]`);
  assert.ok(Number(await row('hard').getAttribute('data-before')) > 0);
  assert.equal(await row('hard').getAttribute('data-after'), '0');
  assert.ok(Number(await row('unplaced').getAttribute('data-before')) >= 1);
  assert.equal(await row('unplaced').getAttribute('data-after'), '0');
  assert.match(await row('soft').innerText(), /软约束成本合计/);
  await shot(page, '48-solve-proposal-dialog');
  assert.equal(await placements(page), before, 'nothing saved');
});

let shownAt;
test('on the grid the proposal\'s cards stand where it puts them, outlined and tagged; its bar compares the cost', async () => {
  const saved = await placements(page);
  const dialog = page.locator('[data-test=solve-dialog]');
  await dialog.locator('[data-test=solve-preview]').click();
  await dialog.waitFor({ state: 'hidden' });
  const bar = page.locator('[data-test=tt-proposal]');
  await bar.waitFor();
  const moves = Number(await bar.getAttribute('data-moves'));
  const proposed = page.locator('[data-test=tt-card]:not([data-proposed=""])');
  assert.equal(await proposed.count(), moves);
  // the lecture that was off the grid has a place; the two that clashed no longer do
  assert.equal(await card(page, disordered.c.id).getAttribute('data-proposed'), 'placed');
  assert.notEqual(await card(page, disordered.c.id).getAttribute('data-day'), '');
  assert.match(await card(page, disordered.c.id).locator('[data-test=tt-proposed-tag]').innerText(), /^新排入/);
  assert.equal(await page.locator('[data-test=tt-conflict-badge]').getAttribute('data-count'), '0');
  assert.ok(await card(page, disordered.c.id).evaluate((e) => getComputedStyle(e).outlineStyle === 'solid'), 'outlined');
  // no dragging while a proposal is shown
  assert.equal(await card(page, disordered.a.id).evaluate((e) => e.classList.contains('editable')), false);
  assert.match(await bar.innerText(), /自动排课方案\(尚未应用\)[\s\S]*软约束成本 \d+ → \d+/);
  await page.locator('[data-test=tt-proposal-toggle]').click();
  const details = page.locator('[data-test=tt-proposal-details]');
  await details.waitFor();
  assert.equal(await details.locator('[data-test=tt-proposal-moves] li').count(), moves);
  assert.match(await details.locator(`[data-test=tt-proposal-moves] li[data-id="${disordered.c.id}"]`).innerText(), /新排入[\s\S]*未安排 → \d+月\d+日/);
  await card(page, disordered.c.id).scrollIntoViewIfNeeded();
  await shot(page, '49-solve-proposal-grid');
  await page.locator('[data-test=tt-conflict-badge]').scrollIntoViewIfNeeded();
  await shot(page, '49b-solve-proposal-bar');
  // a card the proposal moves to another half-day says where it was
  const moved = page.locator('[data-test=tt-card][data-proposed=moved]').first();
  assert.match(await moved.locator('[data-test=tt-proposed-tag]').innerText(), /^调时段\s*原 \S+ (上午|下午|晚上)$/);
  // what the grid shows now is what applying will write
  shownAt = (await page.locator('[data-test=tt-grid] [data-test=tt-card]').evaluateAll((els) => els.map((e) => `${e.dataset.id} ${e.dataset.day}/${e.dataset.slot}`))).sort();
  assert.equal(await placements(page), saved, 'still nothing saved');
});

test('applying writes exactly the proposal; undo puts back exactly what was there before', async () => {
  const before = await placements(page);
  await page.locator('[data-test=tt-proposal-apply]').click();
  await page.locator('.el-message--success', { hasText: '已应用方案' }).waitFor();
  await page.locator('[data-test=tt-proposal]').waitFor({ state: 'detached' });
  const server = (await pageApi(page, `/classes/${t1.id}/timetable`)).data;
  assert.equal(server.conflict_count, 0);
  assert.deepEqual(server.sessions.map((s) => `${s.id} ${s.day ?? ''}/${s.slot ?? ''}`).sort(), shownAt);
  await page.locator('[data-test=tt-conflict-badge][data-count="0"]').waitFor();
  const undo = page.locator('[data-test=tt-undo]');
  await undo.waitFor();
  await shot(page, '50-solve-applied');
  await undo.click();
  const box = page.locator('.el-message-box');
  await box.waitFor();
  assert.match(await box.innerText(), /恢复到原来的安排/);
  await shot(page, '51-solve-undo-confirm');
  await box.locator('.el-button--primary').click();
  await page.locator('.el-message--success', { hasText: '已撤销' }).waitFor();
  await undo.waitFor({ state: 'detached' });
  assert.equal(await placements(page), before, 'exactly the timetable before the apply');
  await page.locator('[data-test=tt-conflict-badge]:not([data-count="0"])').waitFor();
  await shot(page, '52-solve-undone');
});

test('自动排课 can be stopped while it runs: nothing of it is saved', async () => {
  const before = await placements(page);
  const dialog = await solve(page, 60);
  await dialog.locator('[data-test=solve-stop]').click();
  await dialog.locator('[data-test=solve-cancelled]').waitFor({ timeout: 30000 });
  assert.equal(await dialog.locator('[data-test=solve-progress]').getAttribute('data-status'), 'cancelled');
  await shot(page, '53-solve-stopped');
  await dialog.locator('.el-dialog__footer button', { hasText: '关闭' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await placements(page), before);
});

test('no uncaught script errors on the desktop', () => {
  assert.deepEqual(b.errors, []);
});

test('on a 360 px phone the proposal reads in the dialog and in the grid\'s bar; discarding it leaves the timetable as it was', async () => {
  const phone = await openBrowser({ width: 360, height: 640 });
  try {
    const p = phone.page;
    await loginForm(p, 'manager');
    await p.waitForURL((u) => !u.pathname.endsWith('/login'));
    await p.goto(`${BASE}/classes/${t1.id}?tab=timetable`);
    await card(p, disordered.a.id).waitFor();
    const before = await placements(p);
    const dialog = await solve(p, 2);
    await dialog.locator('[data-test=solve-success]').waitFor({ timeout: 60000 });
    await shot(p, '54-phone-solve-proposal');
    await dialog.locator('[data-test=cost-compare]').scrollIntoViewIfNeeded();
    await shot(p, '54b-phone-solve-proposal-cost');
    await dialog.locator('[data-test=solve-preview]').click();
    const bar = p.locator('[data-test=tt-proposal]');
    await bar.waitFor();
    await p.locator('[data-test=tt-proposal-toggle]').click();
    await p.locator('[data-test=tt-proposal-details]').waitFor();
    assert.ok(await noHorizontalOverflow(p), 'the page does not scroll sideways');
    const box = await bar.boundingBox();
    assert.ok(box.width <= 360, `the bar fits: ${box.width}`);
    await bar.scrollIntoViewIfNeeded();
    await shot(p, '55-phone-solve-proposal-bar');
    const proposed = p.locator('[data-test=tt-card]:not([data-proposed=""])').first();
    await proposed.scrollIntoViewIfNeeded();
    assert.ok(await noHorizontalOverflow(p));
    await shot(p, '56-phone-solve-proposed-card');
    await p.locator('[data-test=tt-proposal-discard]').click();
    await bar.waitFor({ state: 'detached' });
    assert.equal(await placements(p), before);
    assert.deepEqual(phone.errors, []);
  } finally {
    await phone.close();
  }
});
