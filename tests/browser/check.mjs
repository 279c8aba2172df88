// Browser smoke check for paani.
//
// Logs in as each demo user (password `paani-demo-2024`) on a phone-sized screen
// (360x740), checks that the home page rendered and does not scroll sideways, and
// saves full-page screenshots to target/screenshots/ at the repository root.
//
//   PAANI_URL=http://127.0.0.1:18080 node check.mjs
//
// The server must be running with the demo data (`paani serve --demo ...`).
// This script never downloads a browser: it uses the system Chromium at
// CHROMIUM_PATH (default /usr/bin/chromium).
//
// Output: one "ok - ..." / "not ok - ..." line per check, then "N passed, M failed".
// Exit status is non-zero when any check failed.

import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const BASE_URL = (process.env.PAANI_URL || 'http://127.0.0.1:18080').replace(/\/+$/, '');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PASSWORD = 'paani-demo-2024';
const USERS = ['admin', 'officer', 'engineer', 'secretary', 'member'];
const VIEWPORT = { width: 360, height: 740 };
const TIMEOUT_MS = 20_000;
const SHOTS_DIR = fileURLToPath(new URL('../../target/screenshots/', import.meta.url));

let passed = 0;
let failed = 0;

function ok(name) {
  passed += 1;
  console.log(`ok - ${name}`);
}

function notOk(name, reason) {
  failed += 1;
  // Keep the result on one line; further detail goes on "#" lines after it.
  // eslint-disable-next-line no-control-regex
  const text = String(reason).replace(/\x1b\[[0-9;]*m/g, ''); // Playwright colours its call logs
  const [first, ...rest] = text.split('\n');
  console.log(`not ok - ${name}: ${first}`);
  for (const line of rest.slice(0, 8)) if (line.trim()) console.log(`#   ${line}`);
}

/** Run one named check; an exception (failed assertion, timeout, ...) makes it "not ok". */
async function check(name, fn) {
  try {
    await fn();
    ok(name);
    return true;
  } catch (err) {
    notOk(name, err && err.message ? err.message : err);
    return false;
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/**
 * A fresh context and page at phone size. Same-origin HTTP errors (>= 400) and uncaught
 * page errors are collected in `problems` so a check can report them.
 */
async function newPage(browser) {
  const context = await browser.newContext({ viewport: VIEWPORT, baseURL: BASE_URL });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  page.setDefaultNavigationTimeout(TIMEOUT_MS);
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('response', (res) => {
    const url = res.url();
    if (res.status() >= 400 && url.startsWith(BASE_URL) && !url.endsWith('/favicon.ico')) {
      // A wrong password answers 401 on the login page; that is reported by the login check itself.
      if (!(res.request().method() === 'POST' && new URL(url).pathname === '/login')) {
        problems.push(`HTTP ${res.status()} for ${res.request().method()} ${url}`);
      }
    }
  });
  return { context, page, problems };
}

function assertNoProblems(problems) {
  // eslint-disable-next-line no-param-reassign
  assert(problems.length === 0, `${problems.length} problem(s) on the page\n${problems.join('\n')}`);
}

/** document.documentElement.scrollWidth must fit the 360 px viewport (1 px rounding allowed). */
async function assertNoHorizontalScroll(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(width <= VIEWPORT.width + 1, `page scrolls sideways: scrollWidth ${width} > ${VIEWPORT.width}`);
}

async function screenshot(page, file) {
  await page.screenshot({ path: path.join(SHOTS_DIR, file), fullPage: true });
}

/** Fill and submit the login form, then wait for the redirect to the home page. */
async function logIn(page, username) {
  const res = await page.goto('/login');
  assert(res && res.ok(), `GET /login answered ${res ? res.status() : 'nothing'}`);
  const form = page.locator('form#login-form');
  await form.locator('input[name=username]').fill(username);
  await form.locator('input[name=password]').fill(PASSWORD);
  // The form's own POST answer: a redirect when the login worked, 401/429 with the form again when not.
  const [posted] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
    form.locator('button[type=submit]').click(),
  ]);
  if (posted.status() >= 400) {
    await page.waitForLoadState('load');
    const alert = (await page.locator('[role=alert], .error, .flash').first().textContent({ timeout: 1000 }).catch(() => null)) || '';
    throw new Error(`login answered HTTP ${posted.status()}${alert ? `: ${alert.trim().slice(0, 200)}` : ''}`);
  }
  try {
    await page.waitForURL((url) => url.pathname === '/', { waitUntil: 'load' });
  } catch {
    const where = new URL(page.url()).pathname;
    const alert = (await page.locator('[role=alert], .error, .flash').first().textContent({ timeout: 1000 }).catch(() => null)) || '';
    throw new Error(`did not reach / after logging in (now at ${where})${alert ? `: ${alert.trim().slice(0, 200)}` : ''}`);
  }
}

/** The checks that a logged-in page rendered. */
async function assertLoggedInHome(page) {
  assert((await page.locator('main').count()) > 0, 'no <main> element on the home page');
  assert((await page.locator('form#login-form').count()) === 0, 'the login form is still shown (login failed?)');
}

async function main() {
  await mkdir(SHOTS_DIR, { recursive: true });

  let browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  } catch (err) {
    notOk('launch chromium', `could not start ${CHROMIUM_PATH} (set CHROMIUM_PATH): ${err.message}`);
    return;
  }

  try {
    // The login page itself.
    await check('login page', async () => {
      const { context, page, problems } = await newPage(browser);
      try {
        const res = await page.goto('/login');
        assert(res && res.ok(), `GET /login answered ${res ? res.status() : 'nothing'}`);
        await page.locator('form#login-form').waitFor();
        await screenshot(page, 'login.png');
        await assertNoHorizontalScroll(page);
        assertNoProblems(problems);
      } finally {
        await context.close();
      }
    });

    // Each demo user's home page.
    for (const username of USERS) {
      const { context, page, problems } = await newPage(browser);
      try {
        const loggedIn = await check(`${username} home`, async () => {
          await logIn(page, username);
          await screenshot(page, `home-${username}.png`);
          await assertLoggedInHome(page);
          await assertNoHorizontalScroll(page);
          assertNoProblems(problems);
        });

        // The administrator's main pages, and one journey: adding a village through the form.
        if (username === 'admin' && loggedIn) {
          for (const [route, file] of [
            ['/places', 'admin-places.png'],
            ['/admin/users', 'admin-users.png'],
            ['/admin/users/new', 'admin-user-new.png'],
            ['/admin/audit', 'admin-audit.png'],
          ]) {
            problems.length = 0;
            await check(`admin page ${route}`, async () => {
              const res = await page.goto(route);
              assert(res && res.ok(), `GET ${route} answered ${res ? res.status() : 'nothing'}`);
              await screenshot(page, file);
              assert((await page.locator('main h1').count()) === 1, 'no page heading');
              await assertNoHorizontalScroll(page);
              assertNoProblems(problems);
            });
          }
          problems.length = 0;
          await check('admin adds a village', async () => {
            await page.goto('/admin/places/new?level=village&parent=23010101');
            const form = page.locator('main form');
            await form.locator('input[name=lgd_code]').fill('2301010177');
            await form.locator('input[name=name]').fill('Browser Gaon');
            await form.locator('input[name=name_hi]').fill('ब्राउज़र गाँव');
            await Promise.all([
              page.waitForURL((url) => /^\/places\/\d+$/.test(url.pathname), { waitUntil: 'load' }),
              form.locator('button[type=submit]').click(),
            ]);
            await screenshot(page, 'admin-village-added.png');
            assert((await page.locator('.flash').count()) === 1, 'no confirmation message');
            assert((await page.locator('main h1').textContent()).includes('Browser Gaon'), 'the new village is not shown');
            assertNoProblems(problems);
          });
        }

        // The secretary's scheme register: the list, a scheme, the asset form, the card.
        if (username === 'secretary' && loggedIn) {
          problems.length = 0;
          await check('secretary scheme pages', async () => {
            let res = await page.goto('/schemes');
            assert(res && res.ok(), `GET /schemes answered ${res ? res.status() : 'nothing'}`);
            await screenshot(page, 'schemes-list.png');
            await assertNoHorizontalScroll(page);
            const first = page.locator('ul.cards a.title').first();
            assert((await first.count()) === 1, 'no scheme in the list');
            await Promise.all([page.waitForURL((url) => /^\/schemes\/\d+$/.test(url.pathname)), first.click()]);
            await screenshot(page, 'scheme-detail.png');
            await assertNoHorizontalScroll(page);
            const schemePath = new URL(page.url()).pathname;
            res = await page.goto(`${schemePath}/assets/new`);
            assert(res && res.ok(), `GET ${schemePath}/assets/new answered ${res ? res.status() : 'nothing'}`);
            await screenshot(page, 'asset-form.png');
            await assertNoHorizontalScroll(page);
            // a wrong form keeps the input and says what is wrong beside the field
            const form = page.locator('main form');
            await form.locator('input[name=name]').fill('Pump 9');
            await form.locator('input[name=capacity]').fill('-4');
            await form.locator('button[type=submit]').click();
            await page.waitForLoadState('load');
            assert((await page.locator('.field-error').count()) >= 1, 'no error beside the capacity field');
            assert((await form.locator('input[name=name]').inputValue()) === 'Pump 9', 'the typed name was lost');
            await screenshot(page, 'asset-form-error.png');
            res = await page.goto(`${schemePath}/card`);
            assert(res && res.ok(), 'the scheme card did not open');
            await screenshot(page, 'scheme-card.png');
            assertNoProblems(problems.filter((p) => !p.includes('HTTP 422')));
          });
        }

        // The member's home is their task list: complete one task from it at phone size.
        if (username === 'member' && loggedIn) {
          problems.length = 0;
          await check('member completes a task', async () => {
            const first = page.locator('ul.tasks a.task').first();
            assert((await first.count()) === 1, 'no task on the member\'s home page');
            await screenshot(page, 'member-tasks-before.png');
            await Promise.all([page.waitForURL((url) => /^\/tasks\/\d+$/.test(url.pathname)), first.click()]);
            const taskPath = new URL(page.url()).pathname;
            await screenshot(page, 'member-task-form.png');
            await assertNoHorizontalScroll(page);
            const boxes = page.locator('main form input[type=checkbox]');
            for (let i = 0; i < (await boxes.count()); i += 1) await boxes.nth(i).check();
            const reading = page.locator('main form input[name=reading_0]');
            if ((await reading.count()) === 1) await reading.fill('0.4');
            await Promise.all([
              page.waitForURL((url) => url.pathname === '/tasks'),
              page.locator('main form button[type=submit].primary').click(),
            ]);
            await screenshot(page, 'member-tasks-after.png');
            assert((await page.locator('.flash').count()) === 1, 'no confirmation after recording the work');
            assert((await page.locator(`a[href="${taskPath}"]`).count()) === 0, 'the done task is still listed');
            await assertNoHorizontalScroll(page);
            assertNoProblems(problems);
          });
        }

        // The secretary's home page in Hindi, in the same (logged-in) session.
        if (username === 'secretary') {
          const name = 'secretary home (hi)';
          if (!loggedIn) {
            notOk(name, 'skipped: the secretary could not log in');
            continue;
          }
          problems.length = 0;
          await check(name, async () => {
            const res = await page.goto('/?lang=hi');
            assert(res && res.ok(), `GET /?lang=hi answered ${res ? res.status() : 'nothing'}`);
            await screenshot(page, 'home-secretary-hi.png');
            const lang = await page.locator('html').getAttribute('lang');
            assert(lang === 'hi', `<html lang> is ${JSON.stringify(lang)}, expected "hi"`);
            await assertLoggedInHome(page);
            await assertNoHorizontalScroll(page);
            assertNoProblems(problems);
          });
        }
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
}

try {
  await main();
} catch (err) {
  notOk('browser check', err && err.stack ? err.stack : err);
}
console.log(`# screenshots in ${SHOTS_DIR}`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
