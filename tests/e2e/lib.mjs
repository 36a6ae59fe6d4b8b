// lib.mjs — shared setup of the browser tests: Debian's chromium through playwright-core
// (no browser download is possible here), a fresh profile per context, screenshots into
// $PEIXUN_SHOTS, and a small API client for preparing data over HTTP.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const BASE = process.env.PEIXUN_URL ?? 'http://127.0.0.1:18080';
export const PASSWORD = process.env.PEIXUN_PASSWORD ?? 'Demo-Peixun-2023';
export const SHOTS = process.env.PEIXUN_SHOTS ?? path.join(os.tmpdir(), 'peixun-shots');
const TMP = process.env.PEIXUN_TMP ?? os.tmpdir();
const CHROMIUM = process.env.PEIXUN_CHROMIUM ?? '/usr/bin/chromium';

fs.mkdirSync(SHOTS, { recursive: true });

// Chromium names a downloaded file in the file system's character set, which it takes from
// the locale: without one (LANG unset, as on a bare machine or in CI) that is ASCII, a name
// like "南安市…课表.pdf" cannot be written, and the file becomes "download" — whatever the
// page or Content-Disposition says. A desktop has a UTF-8 locale; so does the browser here.
function browserEnv() {
  const env = { ...process.env };
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  if (!/utf-?8/i.test(locale)) {
    delete env.LC_ALL;
    env.LANG = 'C.UTF-8';
  }
  return env;
}

// A browser context with its own fresh user-data dir; close() removes the dir too.
export async function openBrowser({ width = 1366, height = 768 } = {}) {
  const dir = fs.mkdtempSync(path.join(TMP, 'chromium-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width, height },
    locale: 'zh-CN',
    acceptDownloads: true,
    env: browserEnv(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  ctx.setDefaultTimeout(15000);
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return {
    ctx, page, errors,
    async close() {
      await ctx.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function shot(page, name) {
  const file = path.join(SHOTS, name + '.png');
  // finished CSS transitions, so a fading dialog or a growing bar shows its end state
  await page.screenshot({ path: file, animations: 'disabled' });
  return file;
}

// Log in through the form; waits for the layout's side menu.
export async function loginForm(page, username, password = PASSWORD) {
  await page.goto(BASE + '/');
  await page.locator('[data-test=username]').fill(username);
  await page.locator('[data-test=password]').fill(password);
  await page.locator('[data-test=login-submit]').click();
}

// JSON over the page's own session (cookie), for checks that the UI does not show.
export async function pageApi(page, pathAndQuery) {
  return page.evaluate(async (p) => {
    const r = await fetch('/api/v1' + p, { headers: { Accept: 'application/json' } });
    return { status: r.status, data: await r.json() };
  }, pathAndQuery);
}

// True when the document is no wider than the viewport (no horizontal scrolling).
export async function noHorizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
}

// A minimal HTTP client (Node's fetch) with the session cookie and the CSRF token.
export async function apiLogin(username, password = PASSWORD) {
  const res = await fetch(BASE + '/api/v1/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(res.status, 201, `login ${username}`);
  const cookie = /px_session=[^;]*/.exec(res.headers.get('set-cookie'))[0];
  const { csrf_token: csrf } = await res.json();
  const call = async (method, p, body) => {
    const r = await fetch(BASE + '/api/v1' + p, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, data: r.status === 204 ? null : await r.json() };
  };
  return { get: (p) => call('GET', p), post: (p, b) => call('POST', p, b), put: (p, b) => call('PUT', p, b), del: (p) => call('DELETE', p) };
}

// A valid ID number (GB 11643 check digit) for a 17-digit body; `wrong` breaks the check digit.
export function idNumber(d17, wrong = false) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...d17].reduce((s, c, i) => s + Number(c) * w[i], 0);
  const check = '10X98765432'[sum % 11];
  if (!wrong) return d17 + check;
  return d17 + (check === '0' ? '1' : '0');
}
