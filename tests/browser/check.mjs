// Browser smoke check for paani.
//
// Logs in as each demo user (password `paani-demo-2024`) on a phone-sized screen
// (360x740), checks that the home page rendered and does not scroll sideways, and
// saves full-page screenshots to target/screenshots/ at the repository root.
// Then each role's main journeys, in Hindi and in English, at 360x740 (`allJourneys`):
// the villager files a complaint on a scheme's public page /c/<code> and looks up its
// status; the member completes a task with a photo and a failed check; the operator (member, Hindi)
// logs today's supply as usual with a meter reading; the tester (member, Hindi) records an FTK
// test from a check in "my tasks" and sees it classified; the engineer moves
// a breakdown a step from the review page; the secretary adds a household, raises its
// demand, takes a partial payment and prints the A6 and 58 mm receipts, records an
// expense, and plans a meeting with its attendance and minutes. Every step saves
// <role>-<lang>-<step>.png (the member's scheme health card: member-<lang>-scheme-health.png)
// and fails on sideways scrolling; on the member's pages in Hindi
// it fails on English words other than codes, numbers, units and what users typed. Each
// journey prints its time. Then the photo shrinking, a form's errors without script, the
// engineer's review on a 1280 px screen, the counter, the inbox and the dashboards.
// Last, a crawl: as each role, in Hindi and in English, every page reachable by links from
// the home page (a couple per route pattern), and the public pages without login, at
// 360x740; it fails listing each page that scrolls sideways or answers an error, and saves
// the widest offender per role and language as crawl-<role>-<lang>-widest.png.
//
//   PAANI_URL=http://127.0.0.1:18080 node check.mjs
//   PAANI_CRAWL_ONLY=1 PAANI_URL=... node check.mjs    (only the crawl, while fixing pages)
//   PAANI_JOURNEYS_ONLY=1 PAANI_URL=... node check.mjs (only the journeys in both languages)
//   PAANI_STEP=tester-ftk PAANI_URL=... node check.mjs  (only the tester's FTK test, Hindi)
//
// The server must be running with the demo data (`paani serve --demo ...`).
// This script never downloads a browser: it uses the system Chromium at
// CHROMIUM_PATH (default /usr/bin/chromium).
//
// Output: one "ok - ..." / "not ok - ..." line per check, then "N passed, M failed".
// Exit status is non-zero when any check failed.

import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const BASE_URL = (process.env.PAANI_URL || 'http://127.0.0.1:18080').replace(/\/+$/, '');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PASSWORD = 'paani-demo-2024';
const USERS = ['admin', 'officer', 'engineer', 'secretary', 'member'];
const VIEWPORT = { width: 360, height: 740 };
const WIDE_VIEWPORT = { width: 1280, height: 900 };
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
 * A fresh context and page (phone size unless told). Same-origin HTTP errors (>= 400) and uncaught
 * page errors are collected in `problems` so a check can report them.
 */
async function newPage(browser, viewport = VIEWPORT) {
  const context = await browser.newContext({ viewport, baseURL: BASE_URL });
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

/** document.documentElement.scrollWidth must fit the viewport (360 px on a phone; 1 px rounding allowed). */
async function assertNoHorizontalScroll(page) {
  const viewport = page.viewportSize() || VIEWPORT;
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(width <= viewport.width + 1, `page scrolls sideways: scrollWidth ${width} > ${viewport.width}`);
}

/**
 * Submit a form whose answer comes back to the same address (a redirect to the page itself):
 * waiting for the URL would pass at once, so wait for the new document to be committed, then
 * loaded.
 */
async function submitAndReload(page, button) {
  await Promise.all([
    page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() }),
    button.click(),
  ]);
  await page.waitForLoadState('load');
}

async function screenshot(page, file) {
  await page.screenshot({ path: path.join(SHOTS_DIR, file), fullPage: true });
}

/** Fill and submit the login form, then wait for the redirect to the home page. */
/**
 * Print the page to PDF as the browser's print dialog would (the page's own CSS size) and
 * check the first page's size in millimetres (±1 mm), read from the PDF's MediaBox.
 */
async function assertPrintedPage(page, what, widthMm, heightMm) {
  const pdf = (await page.pdf({ preferCSSPageSize: true, printBackground: true })).toString('latin1');
  const box = /\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(pdf);
  assert(box, `${what}: the PDF has no page size`);
  const mm = (pt) => (Number(pt) * 25.4) / 72;
  const [w, h] = [mm(box[3]) - mm(box[1]), mm(box[4]) - mm(box[2])];
  assert(Math.abs(w - widthMm) <= 1 && Math.abs(h - heightMm) <= 1,
    `${what} prints on ${w.toFixed(1)} × ${h.toFixed(1)} mm, not ${widthMm} × ${heightMm} mm`);
}

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

// ---------------------------------------------------------------------------------------------
// Journeys in both languages. Each role's main journey runs in Hindi and in English at 360 × 740;
// every step saves `<role>-<lang>-<step>.png` and fails when the page scrolls sideways. On the
// member's pages in Hindi the visible text must hold no English word but codes, numbers, units and
// what users typed (the demo data's records, and what the journeys themselves typed).

const LANGS = ['hi', 'en'];

/** Log in, then switch the session to `lang` with the `?lang=` switch every page honours. */
async function logInAs(page, username, lang) {
  await logIn(page, username);
  const res = await page.goto(`/?lang=${lang}`);
  assert(res && res.ok(), `GET /?lang=${lang} answered ${res ? res.status() : 'nothing'}`);
  const htmlLang = await page.locator('html').getAttribute('lang');
  assert(htmlLang === lang, `<html lang> is ${JSON.stringify(htmlLang)}, expected "${lang}"`);
}

/** Run a journey's check and print how long it took. */
async function timedCheck(name, fn) {
  const started = Date.now();
  const result = await check(name, fn);
  console.log(`# ${name}: ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return result;
}

/** What the journeys typed into records: shown back on later pages, it is the user's own text. */
const TYPED = new Set();

/** Type into a field and remember the text as the user's own. */
async function typeIn(locator, text) {
  TYPED.add(text);
  await locator.fill(text);
}

/** The string literals of Rust source ({ s, start, end }), past comments, chars and raw strings. */
function rustStringLiterals(src) {
  const out = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '/' && src[i + 1] === '/') {
      i = src.indexOf('\n', i);
      if (i < 0) break;
    } else if (ch === '\'' && (src[i + 2] === '\'' || (src[i + 1] === '\\' && src[i + 3] === '\''))) {
      i += src[i + 1] === '\\' ? 4 : 3; // a char literal such as '"'
    } else if (ch === 'r' && /^r#*"/.test(src.slice(i, i + 4)) && !/[\w]/.test(src[i - 1] || '')) {
      const hashes = /^r(#*)"/.exec(src.slice(i, i + 4))[1];
      const close = `"${hashes}`;
      const from = i + 2 + hashes.length;
      const to = src.indexOf(close, from);
      if (to < 0) break;
      out.push({ s: src.slice(from, to), start: i, end: to + close.length });
      i = to + close.length;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      out.push({ s: src.slice(i + 1, j), start: i, end: j + 1 });
      i = j + 1;
    } else {
      i += 1;
    }
  }
  return out;
}

/**
 * The demo data's typed records (names of people, firms, committees; notes and descriptions), read
 * from src/demo/mod.rs: every string literal with Latin letters, and the literal pieces of those
 * built with format!. A literal written next to its Hindi form (`("Submersible pump", "सबमर्सिबल
 * पंप")`) is not a typed record: a Hindi page must show the Hindi, so it is left out.
 */
function demoTypedPhrases() {
  let src = '';
  try {
    src = readFileSync(fileURLToPath(new URL('../../src/demo/mod.rs', import.meta.url)), 'utf8');
  } catch {
    return [];
  }
  const literals = rustStringLiterals(src);
  const twinned = new Set();
  literals.forEach((l, i) => {
    const next = literals[i + 1];
    if (next && /^\s*,\s*$/.test(src.slice(l.end, next.start)) && /[\u0900-\u097F]/.test(next.s)) twinned.add(l.s);
  });
  const phrases = new Set();
  for (const { s } of literals) {
    if (twinned.has(s) || !/[A-Za-z]/.test(s) || /[\u0900-\u097F]/.test(s)) continue;
    // identifiers, keys and paths are not text anyone reads
    if (/^[a-z0-9_:./-]*$/.test(s)) continue;
    for (const piece of s.split(/\{[^}]*\}/)) {
      const p = piece.trim();
      if (/[A-Za-z]{2}/.test(p)) phrases.add(p);
    }
  }
  return [...phrases];
}

let demoPhrases = null;

/** Codes, numbers and units the Hindi pages keep as they are (no Hindi spelling in use). */
const KEPT_UNITS = new Set(['m', 'mm', 'km', 'kL', 'L', 'mg/L', 'pH', 'kW', 'V']);
/**
 * Names of products a page may mention: Paani itself (the Hindi locale writes it so, and it signs
 * the automatic escalations), the phone's browser on the account page, WhatsApp.
 */
const BRANDS = new Set(['Paani', 'WhatsApp', 'Chrome', 'Chromium', 'HeadlessChrome', 'Linux', 'Android', 'Firefox', 'Safari', 'Windows', 'iPhone', 'Edge', 'Mozilla']);

/**
 * The English words on a Hindi page: its visible text, leaving out elements marked as another
 * language (the language switch), addresses, codes (any word with a digit, or in capitals), units,
 * product names, and the records users typed. Returns the words with a bit of their context.
 */
async function englishWordsOnHindiPage(page, username) {
  if (!demoPhrases) demoPhrases = demoTypedPhrases();
  const text = await page.evaluate(() => {
    const parts = [];
    const walk = (node) => {
      if (node.nodeType === Node.TEXT_NODE) {
        parts.push(node.textContent);
        return;
      }
      if (node.nodeType !== Node.ELEMENT_NODE) return;
      const el = node;
      if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(el.tagName)) return;
      if (el.hasAttribute('lang') && !el.getAttribute('lang').startsWith('hi')) return;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') return;
      if (el.tagName === 'OPTION' || el.tagName === 'TEXTAREA' || el.tagName === 'INPUT') {
        // what a field holds is the user's; the options of a select are read
        if (el.tagName === 'OPTION') parts.push(` ${el.textContent} `);
        if (el.tagName === 'INPUT' && el.placeholder) parts.push(` ${el.placeholder} `);
        return;
      }
      for (const child of el.childNodes) walk(child);
      if (style.display !== 'inline') parts.push('\n');
    };
    walk(document.body);
    return parts.join('');
  });
  let rest = ` ${text} `;
  rest = rest.replace(/\b(?:https?:\/\/|www\.)\S+/g, ' ').replace(/\S+@\S+/g, ' ').replace(/\b[\w-]+(?:\.[\w-]+)+\b/g, ' ');
  // the records users typed, longest first so a name inside a longer note goes with the note
  const typed = [...demoPhrases, ...TYPED, username].filter(Boolean).sort((a, b) => b.length - a.length);
  for (const phrase of typed) rest = rest.split(phrase).join(' ');
  const found = new Map();
  for (const word of rest.split(/[\s,;:()[\]{}"'“”‘’|·•—–!?]+/)) {
    if (!/[A-Za-z]/.test(word)) continue;
    const bare = word.replace(/^[^A-Za-z0-9₹]+|[^A-Za-z0-9/]+$/g, '');
    if (/\d/.test(bare)) continue; // a code or a number: 23010101-B24, A6, ₹5.0k
    if (/^[A-Z][A-Z/&-]+$/.test(bare)) continue; // CSV, LGD, UPI, JPEG
    if (KEPT_UNITS.has(bare) || BRANDS.has(bare)) continue;
    if (/^\/[\w/-]*$/.test(bare)) continue; // a path shown as text
    if (!found.has(bare)) {
      const at = text.indexOf(bare);
      found.set(bare, text.slice(Math.max(0, at - 30), at + bare.length + 30).replace(/\s+/g, ' ').trim());
    }
  }
  return [...found.entries()].map(([word, context]) => `"${word}" in "…${context}…"`);
}

/** Fail listing the English words, and where, on a member's page in Hindi. */
async function assertHindiOnly(page, username) {
  const words = await englishWordsOnHindiPage(page, username);
  const where = new URL(page.url());
  assert(words.length === 0,
    `${words.length} English word(s) on ${where.pathname}${where.search} in Hindi\n${words.slice(0, 8).join('\n')}`);
}

/**
 * One step of a journey: a screenshot `<role>-<lang>-<step>.png`, no sideways scrolling, and on the
 * member's pages in Hindi, no English.
 */
async function journeyStep(page, role, lang, step) {
  await screenshot(page, `${role}-${lang}-${step}.png`);
  await assertNoHorizontalScroll(page).catch((e) => { throw new Error(`${role} ${lang} ${step} (${new URL(page.url()).pathname}): ${e.message}`); });
  if (role === 'member' && lang === 'hi') await assertHindiOnly(page, 'member');
}

/** A money amount as shown (₹1,234.50) in paise. */
function paiseOf(text) {
  const m = /([\d,]+)(?:\.(\d{2}))?/.exec((text || '').replace(/\s/g, ''));
  assert(m, `no amount in ${JSON.stringify(text)}`);
  return Number(m[1].replace(/,/g, '')) * 100 + Number(m[2] || 0);
}

/** Today's date in India (the server's day), as YYYY-MM-DD. */
function todayInIndia() {
  return new Date(Date.now() + 5.5 * 3600 * 1000).toISOString().slice(0, 10);
}

/** A photo as a phone would send it: a JPEG of `w` × `h` drawn in the page. */
async function makeJpeg(page, w, h) {
  const b64 = await page.evaluate(async ([width, height]) => {
    const c = document.createElement('canvas');
    c.width = width;
    c.height = height;
    const g = c.getContext('2d');
    for (let i = 0; i < 60; i += 1) {
      g.fillStyle = `hsl(${(i * 47) % 360} 60% ${30 + (i % 40)}%)`;
      g.fillRect((i * 71) % width, (i * 43) % height, 120, 90);
    }
    const blob = await new Promise((r) => c.toBlob(r, 'image/jpeg', 0.8));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(bin);
  }, [w, h]);
  return Buffer.from(b64, 'base64');
}

/**
 * Follow a link to a form's own short page when the page has one, else use the form on the page:
 * `formSel` is the form, `linkSel` the link to its page.
 */
async function formHereOrLinked(page, formSel, linkSel) {
  if ((await page.locator(formSel).count()) === 0) {
    const link = page.locator(linkSel).first();
    assert((await link.count()) === 1, `no form (${formSel}) and no link to it (${linkSel}) on ${new URL(page.url()).pathname}`);
    await Promise.all([page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() }), link.click()]);
    await page.waitForLoadState('load');
  }
  const form = page.locator(formSel).first();
  assert((await form.count()) === 1, `no form ${formSel} on ${new URL(page.url()).pathname}`);
  return form;
}

/** Collect the page's dialogs (alert, confirm, ...) and dismiss them: a dialog means injected script ran. */
function collectDialogs(page) {
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  return dialogs;
}

/** No script ran or was injected: the pages carry no <script> at all, and no dialog opened. */
async function assertNoScript(page, dialogs) {
  // Our own progressive-enhancement files (/static/*.js, e.g. the copy button) are allowed;
  // any inline script, or one from elsewhere, is what typed text must never become.
  const scripts = await page.evaluate(() => Array.from(document.scripts)
    .filter((s) => !(s.getAttribute('src') || '').match(/^\/static\/[a-z-]+\.js$/) || s.text.trim() !== '')
    .map((s) => s.outerHTML.slice(0, 120)));
  assert(scripts.length === 0, `${scripts.length} <script> element(s) on ${new URL(page.url()).pathname}\n${scripts.join('\n')}`);
  assert(dialogs.length === 0, `a dialog opened: ${dialogs.join('; ')}`);
}

/**
 * A scheme that takes public complaints, found the way a secretary would: its printed card
 * carries the QR code `/c/<code>/qr.svg` and the code. Tries the first few schemes in service
 * on /schemes (a scheme in an inactive GP has no complaint page). Returns { id, code }.
 */
async function findComplaintScheme(page) {
  const res = await page.goto('/schemes');
  assert(res && res.ok(), `GET /schemes answered ${res ? res.status() : 'nothing'}`);
  const hrefs = await page
    .locator('ul.cards li.card.scheme:not(.status-decommissioned) a.title')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  const schemes = hrefs.filter((h) => /^\/schemes\/\d+$/.test(h || ''));
  assert(schemes.length > 0, 'no scheme in service on /schemes');
  const tried = [];
  for (const href of schemes.slice(0, 5)) {
    const card = await page.goto(`${href}/card`);
    assert(card && card.ok(), `GET ${href}/card answered ${card ? card.status() : 'nothing'}`);
    const qr = page.locator('img[src^="/c/"][src$="/qr.svg"]');
    assert((await qr.count()) === 1, `no complaint QR code on ${href}/card`);
    const src = await qr.getAttribute('src');
    const code = decodeURIComponent(src.slice('/c/'.length, -'/qr.svg'.length));
    assert(code.length > 0, `no scheme code in the QR address ${src}`);
    const head = await page.locator('header.card-head').textContent();
    assert(head.includes(code), `the card does not print the code ${code}`);
    const url = (await page.locator('.complaint-qr code').textContent()).trim();
    assert(url.endsWith(`/c/${code}`), `the card prints the complaint address ${url}, expected …/c/${code}`);
    const qrWidth = await qr.evaluate((img) => (img.complete
      ? img.naturalWidth
      : new Promise((resolve) => {
        img.addEventListener('load', () => resolve(img.naturalWidth));
        img.addEventListener('error', () => resolve(0));
      })));
    assert(qrWidth > 0, `the QR image ${src} did not load`);
    const probe = await page.request.get(`/c/${encodeURIComponent(code)}`);
    if (probe.ok()) return { id: Number(href.split('/').pop()), code };
    tried.push(`${code}: HTTP ${probe.status()}`);
  }
  throw new Error(`no scheme's complaint page opened (${tried.join(', ')})`);
}

/** A made-up Indian mobile number, new on each run so the per-phone daily allowance is not used up. */
function randomMobile() {
  return `98${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

/**
 * A villager (no account, phone screen, no cookies) files a complaint on a scheme's public
 * page and looks its status up by number and phone; staff then read it as plain text.
 */
async function villagerComplaint(browser, lang) {
  const staff = await newPage(browser);
  const villager = await newPage(browser);
  // a villager has no account: the language is the browser's choice, kept in a cookie
  await villager.context.addCookies([{ name: 'paani_lang', value: lang, url: BASE_URL }]);
  const started = Date.now();
  try {
    let scheme = null;
    const found = await check(`complaint page found from a scheme card (${lang})`, async () => {
      await logIn(staff.page, 'admin');
      scheme = await findComplaintScheme(staff.page);
      assertNoProblems(staff.problems);
    });
    const names = ['villager files a complaint', 'villager sees the complaint status', 'complaint text reaches staff as plain text']
      .map((n) => `${n} (${lang})`);
    if (!found) {
      for (const name of names) notOk(name, 'skipped: no scheme takes complaints');
      return;
    }

    const { context, page, problems } = villager;
    const dialogs = collectDialogs(page);
    const phone = randomMobile();
    const said = lang === 'hi' ? 'हैंडपंप टूटा है' : 'Handpump broken';
    TYPED.add(said);
    TYPED.add('alert(1)'); // the markup is dropped, the words are kept as typed
    const description = `<script>alert(1)</script>${said}`;
    let number = null;
    const filed = await check(names[0], async () => {
      const cookies = (await context.cookies()).filter((k) => k.name !== 'paani_lang');
      assert(cookies.length === 0, `the villager's browser already has cookies: ${cookies.map((k) => k.name).join(', ')}`);
      const formPath = `/c/${encodeURIComponent(scheme.code)}`;
      const res = await page.goto(formPath);
      assert(res && res.ok(), `GET ${formPath} answered ${res ? res.status() : 'nothing'}`);
      assert((await page.locator('form.logout').count()) === 0, 'the public page shows a logged-in header');
      const htmlLang = await page.locator('html').getAttribute('lang');
      assert(htmlLang === lang, `<html lang> is ${JSON.stringify(htmlLang)}, expected "${lang}"`);
      await journeyStep(page, 'villager', lang, 'complaint-page');
      const form = page.locator('main form[method=post]');
      assert((await form.count()) === 1, 'no complaint form');
      await typeIn(form.locator('input[name=name]'), lang === 'hi' ? 'सुनीता देवी' : 'Sunita Devi');
      await form.locator('input[name=phone]').fill(phone);
      const village = form.locator('select[name=village_id]');
      if ((await village.count()) === 1) {
        const values = await village.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
        assert(values.length > 0, 'the village list offers no village');
        await village.selectOption(values[0]);
      }
      const category = form.locator('select[name=category]');
      const categories = await category.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
      assert(categories.length > 0, 'no complaint category to choose');
      await category.selectOption(categories[0]);
      const supplies = form.locator('input[type=radio][name=supply]');
      assert((await supplies.count()) > 0, 'no supply choice');
      const stopped = form.locator('input[type=radio][name=supply][value=stopped]');
      await ((await stopped.count()) === 1 ? stopped : supplies.first()).check();
      await form.locator('textarea[name=description]').fill(description);
      await journeyStep(page, 'villager', lang, 'complaint-form');
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/c/status', { waitUntil: 'load' }),
        form.locator('button[type=submit]').click(),
      ]).catch(async (err) => {
        const alert = (await page.locator('[role=alert], .error, .field-error').allTextContents().catch(() => [])).join(' / ');
        throw new Error(`did not reach /c/status after filing (now at ${new URL(page.url()).pathname})${alert ? `: ${alert.trim().slice(0, 200)}` : ''}\n${err.message}`);
      });
      number = new URL(page.url()).searchParams.get('number');
      assert(number, `no complaint number in ${page.url()}`);
      assert((await page.locator('.flash').count()) === 1, 'no confirmation message');
      const prefilled = await page.locator('main form input[name=number]').inputValue();
      assert(prefilled === number, `the number field holds ${JSON.stringify(prefilled)}, expected ${JSON.stringify(number)}`);
      assert((await page.locator('#complaint').count()) === 0, 'the complaint is shown before the phone was given');
      await journeyStep(page, 'villager', lang, 'complaint-filed');
      await assertNoScript(page, dialogs);
      assertNoProblems(problems);
    });

    if (!filed) {
      for (const name of names.slice(1)) notOk(name, 'skipped: the complaint was not filed');
      return;
    }
    await check(names[1], async () => {
      const form = page.locator('main form[action="/c/status"]');
      await form.locator('input[name=phone]').fill(phone);
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/c/status' && url.searchParams.has('phone'), { waitUntil: 'load' }),
        form.locator('button[type=submit]').click(),
      ]);
      const section = page.locator('section#complaint');
      assert((await section.count()) === 1, `no complaint shown for ${number}${await page.locator('[role=alert]').first().textContent({ timeout: 1000 }).then((t) => `: ${t.trim()}`).catch(() => '')}`);
      const heading = (await section.locator('h2').textContent()).trim();
      assert(heading.includes(number), `the complaint heading "${heading}" does not show ${number}`);
      const badge = ((await section.locator('.badge').first().textContent()) || '').trim();
      assert(badge.length > 0, 'no status badge');
      await journeyStep(page, 'villager', lang, 'status');
      await assertNoScript(page, dialogs);
      assertNoProblems(problems);
    });

    // The status page does not show the description; staff pages do.
    staff.problems.length = 0;
    await check(names[2], async () => {
      const staffDialogs = collectDialogs(staff.page);
      // newest first, so the complaint is on the first page however many the scheme has
      const listPath = `/breakdowns?scheme=${scheme.id}&status=reported&sort=newest`;
      const res = await staff.page.goto(listPath);
      assert(res && res.ok(), `GET ${listPath} answered ${res ? res.status() : 'nothing'}`);
      const link = staff.page.locator('ul.cards a.title', { hasText: number });
      assert((await link.count()) === 1, `complaint ${number} is not in the scheme's breakdown list`);
      await Promise.all([staff.page.waitForURL((url) => /^\/breakdowns\/\d+$/.test(url.pathname)), link.click()]);
      const main = await staff.page.locator('main').textContent();
      assert(main.includes(said), 'the complaint text is not shown');
      assert(!main.includes('<script'), 'the markup was kept: free text is to be stored as plain text');
      await assertNoScript(staff.page, staffDialogs);
      assertNoProblems(staff.problems);
    });
  } finally {
    console.log(`# villager journey (${lang}): ${((Date.now() - started) / 1000).toFixed(1)}s`);
    await villager.context.close();
    await staff.context.close();
  }
}

/**
 * Photos on weak networks: on the member's task form a big camera photo is made smaller in
 * the browser before it is sent (the stored photo's longest side is at most 1600 px), and a
 * file too large that the browser cannot read as a picture is refused before sending, with
 * the message in the page's language.
 */
async function memberPhotoShrunk(browser) {
  const { context, page, problems } = await newPage(browser);
  try {
    await check('member photo is shrunk before upload', async () => {
      await logIn(page, 'member');
      const first = page.locator('ul.tasks a.task').first();
      assert((await first.count()) === 1, 'no task on the member\'s home page');
      await Promise.all([page.waitForURL((url) => /^\/tasks\/\d+$/.test(url.pathname)), first.click()]);
      const schemeHref = await page.locator('p.crumbs a').first().getAttribute('href');
      const script = page.locator('script[src="/static/photo-shrink.js"]');
      assert((await script.count()) === 1, 'the task form does not load the photo script');
      const input = page.locator('main form input[name=photo_1]');

      // a file over the limit that is no picture: refused here, with the page's message
      const maxBytes = Number(await script.getAttribute('data-max-bytes'));
      const junk = Buffer.alloc(maxBytes + 1024, 7);
      await input.setInputFiles({ name: 'junk.jpg', mimeType: 'image/jpeg', buffer: junk });
      const message = page.locator('main form [data-photo-message]');
      await message.waitFor({ state: 'visible' });
      const expected = await script.getAttribute('data-too-large');
      assert((await message.textContent()) === expected, `refusal says ${await message.textContent()}, not ${expected}`);
      assert((await input.evaluate((el) => el.files.length)) === 0, 'the refused file is still chosen');

      // a big camera photo (4000 × 3000), made in the page
      const big = await page.evaluate(async () => {
        const c = document.createElement('canvas');
        c.width = 4000;
        c.height = 3000;
        const g = c.getContext('2d');
        for (let i = 0; i < 400; i += 1) {
          g.fillStyle = `hsl(${(i * 37) % 360} 70% ${30 + (i % 40)}%)`;
          g.fillRect((i * 97) % 4000, (i * 53) % 3000, 300, 200);
        }
        const blob = await new Promise((r) => c.toBlob(r, 'image/png'));
        const bytes = new Uint8Array(await blob.arrayBuffer());
        let bin = '';
        for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return btoa(bin);
      });
      const buffer = Buffer.from(big, 'base64');
      await input.setInputFiles({ name: 'IMG_4000.png', mimeType: 'image/png', buffer });
      // the input now holds the smaller JPEG
      await page.waitForFunction(() => {
        const f = document.querySelector('main form input[name=photo_1]').files[0];
        return f && f.type === 'image/jpeg';
      });
      const sent = await input.evaluate((el) => el.files[0].size);
      assert(sent < buffer.length, `the photo was not made smaller (${sent} of ${buffer.length} bytes)`);
      assert(!(await message.isVisible()), 'a message is still shown for a good photo');
      const boxes = page.locator('main form input[type=checkbox]');
      for (let i = 0; i < (await boxes.count()); i += 1) await boxes.nth(i).check();
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/tasks'),
        page.locator('main form button[type=submit].primary').click(),
      ]);
      // the stored photo, as the scheme's maintenance log shows it
      const res = await page.goto(`${schemeHref}/maintenance`);
      assert(res && res.ok(), `GET ${schemeHref}/maintenance answered ${res ? res.status() : 'nothing'}`);
      const full = page.locator('a[href^="/photos/"][href$="/full"]').first();
      assert((await full.count()) === 1, 'no stored photo on the scheme\'s maintenance log');
      const href = await full.getAttribute('href');
      const [w, h] = await page.evaluate(async (u) => {
        const img = new Image();
        img.src = u;
        await img.decode();
        return [img.naturalWidth, img.naturalHeight];
      }, href);
      assert(Math.max(w, h) <= 1600 && Math.max(w, h) >= 1500, `the stored photo is ${w} × ${h}`);
      assertNoProblems(problems);
    });
  } finally {
    await context.close();
  }
}

/**
 * Forms that forgive, without script: a cash-book entry that fails comes back with the
 * summary of its errors focused and on screen (the form is at the bottom of a long page),
 * and the head chosen is still chosen.
 */
async function secretaryFormErrorsNoScript(browser) {
  const context = await browser.newContext({ viewport: VIEWPORT, baseURL: BASE_URL, javaScriptEnabled: false });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  try {
    await check('a failed form opens at its error summary (no script)', async () => {
      await logIn(page, 'secretary');
      const res = await page.goto('/cashbook');
      assert(res && res.ok(), `GET /cashbook answered ${res ? res.status() : 'nothing'}`);
      // the entry form has a short page of its own, linked from the top of the long one
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/cashbook/new'),
        page.locator('#cashbook-add-link').click(),
      ]);
      const form = page.locator('form[action="/cashbook"]');
      const head = form.locator('select[name=head]');
      await head.selectOption({ index: 3 });
      const chosen = await head.inputValue();
      await form.locator('input[name=amount]').fill('abc');
      const [posted] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
        form.locator('button[type=submit]').click(),
      ]);
      assert(posted.status() === 422, `the failed entry answered ${posted.status()}`);
      await page.waitForLoadState('load');
      const summary = page.locator('form[action="/cashbook"] .error-summary');
      assert((await summary.count()) === 1, 'no error summary in the cash-book form');
      assert((await summary.locator('a[href="#amount"]').count()) === 1, 'the summary does not link to the amount');
      const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
      assert(focused === 'error-summary', `the focus is on ${focused}, not on the summary`);
      const [top, bottom] = await summary.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return [r.top, r.bottom];
      });
      assert(top >= 0 && bottom <= VIEWPORT.height, `the summary is off screen (${top}–${bottom})`);
      assert((await head.inputValue()) === chosen, 'the chosen head was reset');
      await screenshot(page, 'cashbook-error-summary.png');
      await assertNoHorizontalScroll(page);
    });
  } finally {
    await context.close();
  }
}

/** The engineer's review page and a breakdown on a laptop-sized screen (1280 px). */
async function engineerReview(browser) {
  const { context, page, problems } = await newPage(browser, WIDE_VIEWPORT);
  try {
    let breakdownPath = null;
    const reviewed = await check('engineer review page (1280)', async () => {
      await logIn(page, 'engineer');
      const res = await page.goto('/breakdowns/review');
      assert(res && res.ok(), `GET /breakdowns/review answered ${res ? res.status() : 'nothing'}`);
      const h1 = ((await page.locator('main h1').textContent()) || '').trim();
      assert(h1 === 'Breakdown review', `the heading is ${JSON.stringify(h1)}`);
      const filters = page.locator('main form.filters[action="/breakdowns/review"]');
      assert((await filters.count()) === 1, 'no filter form');
      for (const field of ['select[name=status]', 'select[name=gp]', 'select[name=category]', 'select[name=age]', 'select[name=sort]', 'input[name=month]']) {
        assert((await filters.locator(field).count()) === 1, `no ${field} in the filter form`);
      }
      const figures = await page.locator('section.stats p strong').allTextContents();
      assert(figures.length > 0, 'no summary figures (section.stats)');
      assert(figures.every((f) => f.trim().length > 0), `an empty summary figure: ${JSON.stringify(figures)}`);
      for (const title of ['By gram panchayat', 'By month']) {
        const table = page.locator('main section').filter({ has: page.locator('h2', { hasText: title }) }).locator('table');
        assert((await table.count()) === 1, `no "${title}" table`);
        assert((await table.locator('tbody tr').count()) > 0, `the "${title}" table has no rows`);
      }
      assert((await page.locator('main table').count()) >= 3, 'no breakdown list table');

      // every breakdown, whatever its status
      await filters.locator('select[name=status]').selectOption('all');
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/breakdowns/review' && url.searchParams.get('status') === 'all', { waitUntil: 'load' }),
        filters.locator('button[type=submit]').click(),
      ]);
      assert((await filters.locator('select[name=status]').inputValue()) === 'all', 'the status filter was not kept');
      await screenshot(page, 'review-1280.png');
      const hrefs = await page.locator('main table').first().locator('tbody a')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      breakdownPath = hrefs.find((h) => /^\/breakdowns\/\d+$/.test(h || '')) || null;

      // only those reported more than 30 days ago
      await filters.locator('select[name=age]').selectOption('30+');
      await Promise.all([
        page.waitForURL((url) => url.searchParams.get('age') === '30+', { waitUntil: 'load' }),
        filters.locator('button[type=submit]').click(),
      ]);
      const url = new URL(page.url());
      assert(url.searchParams.get('status') === 'all', `the status filter was dropped: ${url.search}`);
      assert((await filters.locator('select[name=age]').inputValue()) === '30+', 'the age filter was not kept');
      const ages = await page.locator('main table').first().locator('tbody tr').evaluateAll((rows) => rows
        .filter((r) => r.querySelector('td.age'))
        .map((r) => Number(r.querySelector('td.age').textContent.trim())));
      const young = ages.filter((a) => !(a >= 30));
      assert(young.length === 0, `the 30+ filter lists breakdowns aged ${young.slice(0, 5).join(', ')} days`);
      assertNoProblems(problems);
    });

    // Its own check, so a layout fault does not hide whether the page works.
    if (reviewed) {
      problems.length = 0;
      await check('engineer review page fits 1280 px', async () => {
        const res = await page.goto('/breakdowns/review?status=all');
        assert(res && res.ok(), `GET /breakdowns/review answered ${res ? res.status() : 'nothing'}`);
        await assertNoHorizontalScroll(page);
        assertNoProblems(problems);
      });
    }

    const name = 'engineer opens a breakdown (1280)';
    if (!reviewed || !breakdownPath) {
      notOk(name, reviewed ? 'skipped: no breakdown in the review list' : 'skipped: the review page failed');
      return;
    }
    problems.length = 0;
    await check(name, async () => {
      const res = await page.goto(breakdownPath);
      assert(res && res.ok(), `GET ${breakdownPath} answered ${res ? res.status() : 'nothing'}`);
      assert((await page.locator('main h1').count()) === 1, 'no page heading');
      const actions = page.locator('#review-actions');
      assert((await actions.count()) === 1, 'the engineer does not see #review-actions');
      const visit = actions.locator('form[action$="/visit"]');
      assert((await visit.count()) === 1, 'no technical visit form');
      assert((await visit.locator('input[name=visit_on][type=date]').count()) === 1, 'no visit date field');
      const level = actions.locator('form[action$="/level"]');
      assert((await level.count()) === 1, 'no escalation level form');
      assert((await level.locator('select[name=level] option').count()) > 0, 'no escalation level to choose');
      assert((await level.locator('input[name=note]').count()) === 1, 'no reason field for the escalation level');
      await screenshot(page, 'breakdown-engineer.png');
      await assertNoHorizontalScroll(page);
      assertNoProblems(problems);
    });
  } finally {
    await context.close();
  }
}

/**
 * The counter (in Hindi): find a household on the payments page by its connection number,
 * tap it, record what it owes, and print: three taps, the print button shown by the script.
 */
async function secretaryCounter(browser) {
  const { context, page, problems } = await newPage(browser);
  try {
    await check('secretary takes a payment at the counter in three taps', async () => {
      await logIn(page, 'secretary');
      let res = await page.goto('/defaulters?months=1');
      assert(res && res.ok(), `GET /defaulters answered ${res ? res.status() : 'nothing'}`);
      const term = ((await page.locator('#defaulters tbody a').first().textContent()) || '').trim();
      assert(term.length > 0, 'no household on the defaulters list');
      res = await page.goto('/payments');
      assert(res && res.ok(), `GET /payments answered ${res ? res.status() : 'nothing'}`);
      await page.locator('#find').fill(term);
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/payments' && url.searchParams.has('find'), { waitUntil: 'load' }),
        page.locator('#counter button[type=submit]').click(),
      ]);
      await screenshot(page, 'counter-found-secretary.png');
      await assertNoHorizontalScroll(page);
      const row = page.locator('#found a.found-row').first();
      assert((await row.count()) === 1, `nothing found for ${JSON.stringify(term)}`);
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/payments/new', { waitUntil: 'load' }),
        row.click(),
      ]);
      const amount = await page.locator('#amount').inputValue();
      assert(/^\d+(\.\d{2})?$/.test(amount), `the amount due is not filled in (${JSON.stringify(amount)})`);
      await screenshot(page, 'counter-form-secretary.png');
      await assertNoHorizontalScroll(page);
      await Promise.all([
        page.waitForURL((url) => /^\/payments\/\d+\/receipt$/.test(url.pathname), { waitUntil: 'load' }),
        page.locator('#counter-form button[type=submit]').click(),
      ]);
      assert(await page.locator('#print-receipt').isVisible(), 'no print button on the receipt');
      await screenshot(page, 'counter-receipt-secretary.png');
      assertNoProblems(problems);
    });
  } finally {
    await context.close();
  }
}

/**
 * The member (in `lang`) records a task from their list: the checklist with one item not done,
 * the readings, a photo, and the asset's condition "failed"; the answer is the breakdown form,
 * filled in for that asset. The stored photo then shows on the scheme's maintenance log.
 */
async function memberJourney(browser, lang) {
  const { context, page, problems } = await newPage(browser);
  try {
    await timedCheck(`member completes a task with a photo and a failed check (${lang})`, async () => {
      await logInAs(page, 'member', lang);
      await page.goto('/tasks');
      await journeyStep(page, 'member', lang, 'tasks');
      // a task on an asset (its condition can be set) with a checklist
      const hrefs = await page.locator('ul.tasks a.task').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert(hrefs.length > 0, 'no task on the member\'s list');
      let taskPath = null;
      for (const href of hrefs) {
        const res = await page.goto(href);
        assert(res && res.ok(), `GET ${href} answered ${res ? res.status() : 'nothing'}`);
        if ((await page.locator('main form select[name=asset_status]').count()) === 1
          && (await page.locator('main form input[type=checkbox][name^=check_]').count()) >= 2) {
          taskPath = href;
          break;
        }
      }
      assert(taskPath, `none of the member's ${hrefs.length} tasks is on an asset with a checklist`);
      const schemeHref = await page.locator('p.crumbs a').first().getAttribute('href');
      await journeyStep(page, 'member', lang, 'task');
      const form = page.locator(`main form[action="${taskPath}/complete"]`);
      const boxes = form.locator('input[type=checkbox][name^=check_]');
      const n = await boxes.count();
      for (let i = 0; i < n - 1; i += 1) await boxes.nth(i).check(); // the last item was not right
      // each reading inside its normal range where the form gives one
      const readings = form.locator('input[name^=reading_]');
      for (let i = 0; i < (await readings.count()); i += 1) {
        const input = readings.nth(i);
        const hint = await input.evaluate((el) => {
          const next = el.nextElementSibling;
          return next && next.classList.contains('hint') ? next.textContent : '';
        });
        const bounds = (hint.match(/\d+(?:\.\d+)?/g) || []).map(Number);
        await input.fill(bounds.length >= 2 ? String((bounds[0] + bounds[1]) / 2) : '2');
      }
      await typeIn(form.locator('textarea[name=notes]'), lang === 'hi' ? 'आख़िरी जाँच ठीक नहीं निकली' : 'The last check was not right');
      await form.locator('select[name=asset_status]').selectOption('failed');
      const photo = await makeJpeg(page, 1200, 900);
      const input = form.locator('input[name=photo_1]');
      await input.setInputFiles({ name: 'pump.jpg', mimeType: 'image/jpeg', buffer: photo });
      await page.waitForFunction(() => {
        const f = document.querySelector('main form input[name=photo_1]').files[0];
        return f && f.type === 'image/jpeg';
      });
      await journeyStep(page, 'member', lang, 'task-filled');
      // a failed condition leads straight to the breakdown form for the asset
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/breakdowns/new', { waitUntil: 'load' }),
        form.locator('button[type=submit].primary').click(),
      ]).catch(async (err) => {
        const errs = (await page.locator('.field-error, .error-summary').allTextContents().catch(() => [])).join(' / ');
        throw new Error(`the failed task did not lead to the breakdown form (now at ${new URL(page.url()).pathname})${errs ? `: ${errs.trim().slice(0, 200)}` : ''}\n${err.message}`);
      });
      const url = new URL(page.url());
      assert(url.searchParams.get('task') === taskPath.split('/').pop(), `the breakdown form is not for the task: ${url.search}`);
      assert((await page.locator('.flash').count()) === 1, 'no confirmation after recording the work');
      await journeyStep(page, 'member', lang, 'report-breakdown');
      // the task is done, and its photo is on the scheme's maintenance log
      await page.goto('/tasks');
      assert((await page.locator(`a[href="${taskPath}"]`).count()) === 0, 'the done task is still listed');
      const res = await page.goto(`${schemeHref}/maintenance`);
      assert(res && res.ok(), `GET ${schemeHref}/maintenance answered ${res ? res.status() : 'nothing'}`);
      assert((await page.locator('a[href^="/photos/"][href$="/full"]').count()) > 0, 'no stored photo on the scheme\'s maintenance log');
      await journeyStep(page, 'member', lang, 'maintenance-log');
      assertNoProblems(problems);
    });
    // the member's other main pages, in the journey's language
    problems.length = 0;
    await timedCheck(`member's main pages (${lang})`, async () => {
      for (const [route, step] of [['/', 'home'], ['/dashboard', 'dashboard'], ['/breakdowns', 'breakdowns'], ['/schemes', 'schemes'], ['/inbox', 'inbox'], ['/account', 'account']]) {
        const res = await page.goto(route);
        assert(res && res.ok(), `GET ${route} answered ${res ? res.status() : 'nothing'}`);
        await journeyStep(page, 'member', lang, step);
        if (lang === 'en' && route === '/') {
          // the finder of English words finds them where they are
          const words = await englishWordsOnHindiPage(page, 'member');
          assert(words.length >= 5, `only ${words.length} English words found on the English home page: ${words.join('; ')}`);
        }
      }
      const first = page.locator('main a[href^="/breakdowns/"]').filter({ hasText: /B\d+/ }).first();
      if ((await first.count()) === 1) {
        await Promise.all([page.waitForURL((u) => /^\/breakdowns\/\d+$/.test(u.pathname)), first.click()]);
        await journeyStep(page, 'member', lang, 'breakdown');
      }
      // the scheme page as its health card (issue 33): every block there, named screenshot
      // member-<lang>-scheme-health.png, no sideways scrolling, in Hindi no English
      await page.goto('/schemes');
      const scheme = await page.locator('main a[href^="/schemes/"]').evaluateAll((as) => as
        .map((a) => a.getAttribute('href')).find((h) => /^\/schemes\/\d+$/.test(h || '')));
      assert(scheme, 'no scheme on the member\'s scheme list');
      const sres = await page.goto(scheme);
      assert(sres && sres.ok(), `GET ${scheme} answered ${sres ? sres.status() : 'nothing'}`);
      for (const block of ['breakdowns', 'uptime', 'maintenance', 'assets', 'billing', 'costs']) {
        assert((await page.locator(`main #health-${block}`).count()) === 1, `the scheme page has no ${block} block`);
      }
      await journeyStep(page, 'member', lang, 'scheme-health');
      assertNoProblems(problems);
    });
  } finally {
    await context.close();
  }
}

/**
 * The engineer (in `lang`, on a phone) opens the review page, then a breakdown from it, and takes
 * it one step on in its workflow (work started, with who does it); the status changes.
 */
async function engineerJourney(browser, lang) {
  const { context, page, problems } = await newPage(browser);
  try {
    await timedCheck(`engineer reviews a breakdown and moves it a step (${lang})`, async () => {
      await logInAs(page, 'engineer', lang);
      let res = await page.goto('/breakdowns/review');
      assert(res && res.ok(), `GET /breakdowns/review answered ${res ? res.status() : 'nothing'}`);
      await journeyStep(page, 'engineer', lang, 'review');
      const hrefs = [...new Set(await page.locator('main a[href^="/breakdowns/"]')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')).filter((h) => /^\/breakdowns\/\d+$/.test(h))))];
      assert(hrefs.length > 0, 'no breakdown on the review page');
      // the first open one the engineer can start work on (else resolve)
      let chosen = null;
      for (const href of hrefs.slice(0, 12)) {
        res = await page.goto(href);
        assert(res && res.ok(), `GET ${href} answered ${res ? res.status() : 'nothing'}`);
        for (const to of ['in_progress', 'acknowledged', 'resolved']) {
          if ((await page.locator(`#steps form#step-${to}`).count()) === 1) {
            chosen = { href, to };
            break;
          }
        }
        if (chosen) break;
      }
      assert(chosen, `none of ${Math.min(hrefs.length, 12)} breakdowns on the review page can be moved on`);
      const before = ((await page.locator('main .badge').first().textContent()) || '').trim();
      await journeyStep(page, 'engineer', lang, 'breakdown');
      const form = page.locator(`#steps form#step-${chosen.to}`);
      const name = form.locator('input[name=assigned_name]');
      if ((await name.count()) === 1) await typeIn(name, lang === 'hi' ? 'शिव पंप वर्क्स' : 'Shiv Pump Works');
      const phone = form.locator('input[name=assigned_phone]');
      if ((await phone.count()) === 1) await phone.fill(randomMobile());
      const resolution = form.locator('input[name=resolution]');
      if ((await resolution.count()) === 1) await typeIn(resolution, lang === 'hi' ? 'वाल्व बदला गया' : 'Valve replaced');
      await typeIn(form.locator('input[name=note]'), lang === 'hi' ? 'कल सुबह मिस्त्री पहुँचेगा' : 'The mechanic comes tomorrow morning');
      await submitAndReload(page, form.locator('button[type=submit]'));
      assert(new URL(page.url()).pathname === chosen.href, `the step answered with ${new URL(page.url()).pathname}`);
      assert((await page.locator('.flash').count()) === 1, 'no confirmation after the step');
      assert((await page.locator(`#steps form#step-${chosen.to}`).count()) === 0, `the step "${chosen.to}" is still offered after taking it`);
      const after = ((await page.locator('main .badge').first().textContent()) || '').trim();
      assert(after !== before, `the status stayed ${JSON.stringify(before)}`);
      await journeyStep(page, 'engineer', lang, 'moved');
      assertNoProblems(problems);
    });
  } finally {
    await context.close();
  }
}

/**
 * The secretary's month (in `lang`, on a phone): a new household, the month's demands raised for
 * it, a partial payment with its A6 and 58 mm receipts (printed to PDF at their sizes) and the
 * receipt's shared link, an expense in the cash book, and a committee meeting planned, with its
 * attendance, minutes and an action item, printed in the meeting's language.
 */
async function secretaryJourney(browser, lang) {
  const { context, page, problems } = await newPage(browser);
  const hi = lang === 'hi';
  const step = (name) => journeyStep(page, 'secretary', lang, name);
  const run = `${Date.now() % 100000}`;
  let loggedIn = false;
  const logInOnce = async () => {
    if (!loggedIn) await logInAs(page, 'secretary', lang);
    loggedIn = true;
  };
  try {
    let ledgerPath = null;
    const added = await timedCheck(`secretary adds a household and raises its demand (${lang})`, async () => {
      await logInOnce();
      let res = await page.goto('/households');
      assert(res && res.ok(), `GET /households answered ${res ? res.status() : 'nothing'}`);
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/households/new', { waitUntil: 'load' }),
        page.locator('main a[href^="/households/new"]').first().click(),
      ]);
      // a secretary of several GPs chooses one first
      if ((await page.locator('main form[method=get] select[name=gp]').count()) === 1) {
        await submitAndReload(page, page.locator('main form[method=get] button[type=submit]'));
      }
      const form = page.locator('main form[method=post]');
      await typeIn(form.locator('input[name=connection_no]'), `BR-${lang.toUpperCase()}-${run}`);
      await typeIn(form.locator('input[name=head_name]'), hi ? 'रामू प्रजापति' : 'Ramu Prajapati');
      await form.locator('select[name=village_id]').selectOption({ index: 0 });
      const scheme = form.locator('select[name=scheme_id]');
      if ((await scheme.locator('option').count()) > 1) await scheme.selectOption({ index: 1 });
      await form.locator('input[name=members]').fill('5');
      await form.locator('input[name=connected_on]').fill(`${todayInIndia().slice(0, 7)}-01`);
      await form.locator('input[name=phone]').fill(randomMobile());
      await step('household-form');
      await Promise.all([
        page.waitForURL((url) => /^\/households\/\d+$/.test(url.pathname), { waitUntil: 'load' }),
        form.locator('button[type=submit].primary').click(),
      ]).catch(async (err) => {
        const errs = (await page.locator('.field-error').allTextContents().catch(() => [])).join(' / ');
        throw new Error(`the household was not saved${errs ? `: ${errs.slice(0, 200)}` : ''}\n${err.message}`);
      });
      assert((await page.locator('.flash').count()) === 1, 'no confirmation after saving the household');
      const householdPath = new URL(page.url()).pathname;
      ledgerPath = `${householdPath}/ledger`;
      await step('household');

      // this month's demands: the new household's is the one to raise
      res = await page.goto('/demands');
      assert(res && res.ok(), `GET /demands answered ${res ? res.status() : 'nothing'}`);
      const raise = page.locator('main form[method=post][action="/demands"]');
      assert((await raise.count()) === 1, 'nothing to raise on /demands after adding a household');
      const expected = Number(await raise.locator('input[name=expected]').inputValue());
      assert(expected >= 1, `the preview offers ${expected} demands`);
      await step('demands');
      await submitAndReload(page, raise.locator('button[type=submit]'));
      assert((await page.locator('.flash').count()) === 1, 'no confirmation after raising the demands');
      assert((await page.locator('main form[method=post][action="/demands"]').count()) === 0, 'the demands are offered again after raising them');
      await step('demands-raised');
      assertNoProblems(problems);
    });

    let receiptPath = null;
    problems.length = 0;
    const paid = added && await timedCheck(`secretary records a partial payment and prints the receipts (${lang})`, async () => {
      let res = await page.goto(ledgerPath);
      assert(res && res.ok(), `GET ${ledgerPath} answered ${res ? res.status() : 'nothing'}`);
      const due = paiseOf(await page.locator('#balance').textContent());
      assert(due >= 200, `the new household owes ${due} paise after the demand`);
      const part = due > 5000 ? 50 : Math.floor(due / 200); // part of what is owed, in whole rupees
      const form = page.locator('#record-payment form');
      await form.locator('input[name=amount]').fill(String(part));
      await step('ledger');
      await Promise.all([
        page.waitForURL((url) => /^\/payments\/\d+\/receipt$/.test(url.pathname), { waitUntil: 'load' }),
        form.locator('button[type=submit]').click(),
      ]);
      receiptPath = new URL(page.url()).pathname;
      const number = ((await page.locator('#receipt-no').textContent()) || '').trim();
      assert(/^\d+\/\d{4}-\d{2}\/\d{6}$/.test(number), `the receipt number is ${JSON.stringify(number)}`);
      const amount = paiseOf(await page.locator('#receipt-amount').textContent());
      assert(amount === part * 100, `the receipt shows ${amount} paise, paid ${part * 100}`);
      assert((await page.locator('.flash').count()) === 1, 'no confirmation after recording the payment');
      if (part === 50) {
        const words = ((await page.locator('#receipt-words').textContent()) || '').trim();
        assert(words.includes(hi ? 'पचास' : 'Fifty'), `the amount in words is ${JSON.stringify(words)}`);
      }
      await step('receipt-a6');
      await assertPrintedPage(page, 'A6 receipt', 105, 148);

      res = await page.goto(`${receiptPath}?layout=58mm`);
      assert(res && res.ok(), `GET ${receiptPath}?layout=58mm answered ${res ? res.status() : 'nothing'}`);
      assert((await page.locator('article.receipt-58mm').count()) === 1, 'the 58 mm layout is not used');
      await step('receipt-58mm');
      await page.emulateMedia({ media: 'print' });
      await screenshot(page, `secretary-${lang}-receipt-58mm-print.png`);
      await assertPrintedPage(page, '58 mm receipt', 58, 210);
      await page.emulateMedia({ media: 'screen' });
      // the shared link is absolute (server.base_url), a link to tap, and goes to WhatsApp too
      const link = ((await page.locator('#share-link').textContent()) || '').trim();
      assert(/^https?:\/\/[^/]+\/r\/[A-Za-z0-9_-]{40,}$/.test(link), `the share link is ${JSON.stringify(link)}`);
      assert((await page.locator('#share-link').getAttribute('href')) === link, 'the share link is not a link');
      const wa = new URL((await page.locator('#share-whatsapp').getAttribute('href')) || '');
      assert(wa.origin === 'https://wa.me' && (wa.searchParams.get('text') || '').endsWith(link), `the WhatsApp link is ${wa.href}`);
      const anon = await browser.newContext({ baseURL: BASE_URL, viewport: VIEWPORT });
      try {
        const p2 = await anon.newPage();
        res = await p2.goto(link);
        assert(res && res.ok(), `GET ${link} without login answered ${res ? res.status() : 'nothing'}`);
        assert((await p2.locator('#receipt-no').count()) === 1, 'the shared link shows no receipt');
      } finally {
        await anon.close();
      }
      // partly paid: the rest is still owed
      res = await page.goto(ledgerPath);
      const left = paiseOf(await page.locator('#balance').textContent());
      assert(left === due - part * 100, `the ledger shows ${left} paise owed, expected ${due - part * 100}`);
      await step('ledger-after');
      assertNoProblems(problems);
    });

    problems.length = 0;
    await timedCheck(`secretary records an expense in the cash book (${lang})`, async () => {
      await logInOnce();
      const res = await page.goto('/cashbook');
      assert(res && res.ok(), `GET /cashbook answered ${res ? res.status() : 'nothing'}`);
      const form = await formHereOrLinked(page, 'main form[action="/cashbook"]', '#cashbook-add-link');
      const head = form.locator('select[name=head]');
      const expense = await head.locator('option[value^="expense:"]').first().getAttribute('value');
      await head.selectOption(expense);
      await form.locator('input[name=amount]').fill('350');
      await typeIn(form.locator('input[name=party]'), hi ? 'गणेश इलेक्ट्रिकल्स' : 'Ganesh Electricals');
      await typeIn(form.locator('input[name=voucher_no]'), `V-${run}`);
      await step('expense-form');
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/cashbook', { waitUntil: 'load' }),
        form.locator('button[type=submit]').click(),
      ]);
      assert((await page.locator('.flash').count()) === 1, 'no confirmation after the cash-book entry');
      assert((await page.locator('#cashbook').textContent()).includes(`V-${run}`), 'the expense is not in the month\'s cash book');
      await step('cashbook');
      assertNoProblems(problems);
    });

    problems.length = 0;
    await timedCheck(`secretary plans a meeting, records attendance and minutes (${lang})`, async () => {
      await logInOnce();
      let res = await page.goto('/committees');
      assert(res && res.ok(), `GET /committees answered ${res ? res.status() : 'nothing'}`);
      const href = await page.locator('#committees a.title').first().getAttribute('href');
      assert(/^\/committees\/\d+$/.test(href || ''), `no committee listed (${href})`);
      res = await page.goto(href);
      assert(res && res.ok(), `GET ${href} answered ${res ? res.status() : 'nothing'}`);
      const rules = await page.locator('#composition tbody tr').count();
      assert(rules === 4, `the composition table has ${rules} rules, expected 4`);
      assert((await page.locator('#members tbody tr').count()) >= 10, 'fewer than 10 members listed');
      await step('committee');
      // the planning form: on its own page (a link) or on the committee's page
      const plan = await formHereOrLinked(page, 'main form:has(textarea[name=agenda])', 'main a[href*="/meetings/new"]');
      await plan.locator('select[name=lang]').selectOption(lang);
      await typeIn(plan.locator('input[name=venue]'), hi ? 'स्कूल का बरामदा' : 'School verandah');
      const agenda = hi ? ['ओ एंड एम कोष का हिसाब', 'राइजिंग मेन की मरम्मत'] : ['Accounts of the O&M fund', 'Repair of the rising main'];
      agenda.forEach((a) => TYPED.add(a));
      await plan.locator('textarea[name=agenda]').fill(agenda.join('\n'));
      await step('meeting-plan');
      await Promise.all([
        page.waitForURL((url) => /^\/meetings\/\d+$/.test(url.pathname), { waitUntil: 'load' }),
        plan.locator('button[type=submit]').click(),
      ]);
      const meetingPath = new URL(page.url()).pathname;
      await step('meeting');
      // attendance: everyone but the last two, on its own page or on the meeting's
      const attendance = await formHereOrLinked(page, `main form[action="${meetingPath}/attendance"]`, `main a[href^="${meetingPath}/attendance"]`);
      const boxes = attendance.locator('input[name=present]');
      const n = await boxes.count();
      assert(n >= 10, `only ${n} members to tick`);
      for (let i = 0; i < n - 2; i += 1) await boxes.nth(i).check();
      await attendance.locator('input[name=others_present]').fill('12');
      await attendance.locator('input[name=others_women]').fill('7');
      await step('attendance');
      await Promise.all([
        page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() }),
        attendance.locator('button[type=submit]').click(),
      ]);
      await page.waitForLoadState('load');
      if (new URL(page.url()).pathname !== meetingPath) await page.goto(meetingPath);
      assert((await page.locator('#quorum .status-functional').count()) === 1,
        `the quorum is not shown as met: ${JSON.stringify(((await page.locator('#quorum').textContent()) || '').trim().slice(0, 120))}`);
      // the minutes, below the quorum
      const minutes = page.locator('#minutes-form');
      assert((await minutes.count()) === 1, 'no minutes form after the attendance');
      const decisions = hi ? ['हिसाब सर्वसम्मति से पास हुआ।', 'मिस्त्री एक हफ़्ते में राइजिंग मेन ठीक करेगा।']
        : ['Accounts passed unanimously.', 'The plumber will repair the rising main within a week.'];
      await typeIn(minutes.locator('textarea[name^=decision_]').first(), decisions[0]);
      await typeIn(minutes.locator('textarea[name^=decision_]').nth(1), decisions[1]);
      await submitAndReload(page, minutes.locator('button[type=submit]'));
      const actionForm = page.locator('#action-form form');
      await page.locator('#action-form summary').click();
      const action = hi ? 'राइजिंग मेन की मरम्मत कराएँ' : 'Repair the rising main';
      await typeIn(actionForm.locator('textarea[name=description]'), action);
      await actionForm.locator('select[name=owner_member_id]').selectOption({ index: 1 });
      await submitAndReload(page, actionForm.locator('button[type=submit]'));
      const open = await page.locator('#actions tbody tr.action-open').count();
      assert(open === 1, `${open} open action items on the meeting, expected 1`);
      await step('minutes');
      res = await page.goto(`${meetingPath}/print`);
      assert(res && res.ok(), `GET ${meetingPath}/print answered ${res ? res.status() : 'nothing'}`);
      const present = await page.locator('#attendance-table tbody tr').count();
      assert(present === n, `the printed attendance lists ${present} members, expected ${n}`);
      const statement = ((await page.locator('#quorum-statement').textContent()) || '').trim();
      const met = hi ? 'कोरम पूरा' : 'Quorum met';
      assert(statement.includes(met), `the printed quorum statement is ${JSON.stringify(statement)}, not in the meeting's language`);
      assert((await page.locator('#actions-table').textContent()).includes(action), 'the action item is not printed');
      await step('minutes-page');
      // as printed (an A4 page, wider than the phone: no sideways check)
      await page.emulateMedia({ media: 'print' });
      await screenshot(page, `secretary-${lang}-minutes-print.png`);
      await page.emulateMedia({ media: 'screen' });
      assertNoProblems(problems);
    });
  } finally {
    await context.close();
  }
}

/** The secretary sees the bell's unread count, opens the inbox and follows a reminder. */
async function secretaryInbox(browser) {
  const { context, page, problems } = await newPage(browser);
  try {
    await check('secretary opens the inbox of unread reminders (360)', async () => {
      await logIn(page, 'secretary');
      // the server's first sweep runs at start-up; give it a moment on a slow machine
      let count = '';
      for (let i = 0; i < 20 && !count; i += 1) {
        await page.goto('/');
        count = ((await page.locator('#bell .count').textContent({ timeout: 500 }).catch(() => '')) || '').trim();
        if (!count) await page.waitForTimeout(1000);
      }
      assert(/^\d+$/.test(count) && Number(count) > 0, `the bell shows ${JSON.stringify(count)}`);
      let res = await page.goto('/inbox');
      assert(res && res.ok(), `GET /inbox answered ${res ? res.status() : 'nothing'}`);
      const items = await page.locator('#inbox li.unread').count();
      assert(items > 0, 'no unread reminder in the inbox');
      await screenshot(page, 'inbox-secretary.png');
      await assertNoHorizontalScroll(page);
      const first = page.locator('#inbox li.unread a.title').first();
      await Promise.all([page.waitForLoadState('load'), first.click()]);
      assert(new URL(page.url()).pathname !== '/inbox', 'following a reminder opens its subject');
      res = await page.goto('/inbox?unread=true');
      const after = await page.locator('#inbox li.unread').count();
      assert(after === items - 1, `${after} unread after opening one, expected ${items - 1}`);
      assertNoProblems(problems);
    });
  } finally {
    await context.close();
  }
}

/** Each role's dashboard on a phone (360) and a laptop (1280): charts with their data tables, no sideways scroll. */
async function dashboards(browser) {
  for (const username of USERS) {
    for (const width of [360, 1280]) {
      const { context, page, problems } = await newPage(browser, { width, height: width === 360 ? 740 : 900 });
      try {
        await check(`${username} dashboard (${width})`, async () => {
          await logIn(page, username);
          const res = await page.goto('/dashboard');
          assert(res && res.ok(), `GET /dashboard answered ${res ? res.status() : 'nothing'}`);
          const charts = await page.locator('#dash-charts svg.chart').count();
          assert(charts >= 4, `${charts} charts on the dashboard`);
          const tables = await page.locator('#dash-charts details table').count();
          assert(tables === charts, `${tables} data tables for ${charts} charts`);
          if (['secretary', 'member'].includes(username)) {
            // a GP's page reads top to bottom, most urgent first
            const order = await page.evaluate(() => ['dash-now', 'dash-schemes', 'dash-money', 'dash-charts']
              .map((id) => document.getElementById(id)?.getBoundingClientRect().top ?? -1));
            assert(order.every((t, i) => t >= 0 && (i === 0 || t > order[i - 1])), `sections out of order: ${order}`);
          } else {
            const rows = await page.locator('#dash-table tbody tr').count();
            assert(rows > 0, 'no rows on the area dashboard');
            if (width === 1280) {
              await Promise.all([page.waitForLoadState('load'), page.locator('#dash-table thead a', { hasText: /Name|नाम/ }).first().click()]);
              const sorted = await page.locator('#dash-table thead th[aria-sort]').textContent();
              assert(/Name|नाम/.test(sorted), `sorting by name marks ${sorted}`);
            }
          }
          await screenshot(page, `dashboard-${username}-${width}.png`);
          await assertNoHorizontalScroll(page);
          assertNoProblems(problems);
        });
      } finally {
        await context.close();
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The sideways-scroll crawl: every page a role can reach by GET links from its home page, at
// 360 × 740, in Hindi and in English, and the public pages without login. A page fails when its
// document scrolls sideways (scrollWidth > clientWidth) or when it answers an error status.

/** Links the crawl never follows: leaving, downloads, pictures, machine endpoints. */
const CRAWL_SKIP = [
  /^\/logout\b/, /\.(csv|pdf|svg|png|jpe?g|json)$/i, /\/export\b/, /\/photos?\//, /^\/static\//,
  /^\/api\/(?!docs$)/, /^\/metrics$/, /^\/healthz$/,
];
/**
 * How many addresses of one route pattern (ids and codes replaced) the crawl opens: two in Hindi
 * (longer words), one in English, so that the ten crawls stay within about two minutes.
 */
const CRAWL_PER_PATTERN = { hi: 2, en: 1 };
/** The most pages one crawl (a role in a language) opens; a guard for the CI time. */
const CRAWL_MAX_PAGES = 160;

/** The route pattern of a same-origin address: segments with digits become "*", query values dropped. */
function routePattern(url) {
  const segs = url.pathname.split('/').map((s) => (/\d/.test(s) ? '*' : s));
  const keys = [...new Set(url.searchParams.keys())].sort();
  return `${segs.join('/')}${keys.length ? `?${keys.join('&')}` : ''}`;
}

/** The address to crawl from an href on `from`, or null when the crawl must not follow it. */
function crawlTarget(href, from) {
  if (!href || /^(mailto|tel|javascript|sms|whatsapp):/i.test(href)) return null;
  let url;
  try {
    url = new URL(href, from);
  } catch {
    return null;
  }
  if (url.origin !== new URL(BASE_URL).origin) return null;
  // a language switch would change the language the crawl is reading in
  if (url.searchParams.has('lang') || url.searchParams.has('format')) return null;
  if (CRAWL_SKIP.some((re) => re.test(url.pathname))) return null;
  url.hash = '';
  return url;
}

/**
 * How wide the open page is, and when it is too wide the elements that stick out furthest
 * (tag#id.class, right edge) so the report says what to fix.
 */
async function measureWidth(page) {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const result = { scrollWidth: root.scrollWidth, clientWidth: width, culprits: [], cutCells: [] };
    // a table laid out as cards on a phone (.stack) shows every cell on screen, even inside a
    // box that scrolls (its amount, phone, status and deadline must never be cut off)
    for (const table of document.querySelectorAll('table.stack')) {
      for (const cell of table.querySelectorAll('td, th')) {
        const r = cell.getBoundingClientRect();
        if (r.width > 0 && r.right > width + 1) {
          result.cutCells.push(`${table.id ? `#${table.id} ` : ''}${cell.dataset.label || cell.tagName} to ${Math.round(r.right)}px`);
        }
      }
    }
    if (root.scrollWidth <= width) return result;
    const name = (el) => {
      let n = el.tagName.toLowerCase();
      if (el.id) n += `#${el.id}`;
      if (el.classList.length) n += `.${[...el.classList].join('.')}`;
      return n;
    };
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 1 && r.width > 0) {
        // the outermost element that overflows in its own right: its parent fits
        const pr = el.parentElement ? el.parentElement.getBoundingClientRect() : null;
        if (!pr || pr.right <= width + 1 || el.scrollWidth > el.clientWidth + 1) {
          const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
          wide.push({ el: name(el), right: Math.round(r.right), text });
        }
      }
    }
    wide.sort((a, b) => b.right - a.right);
    result.culprits = wide.slice(0, 4).map((w) => `${w.el} to ${w.right}px "${w.text}"`);
    return result;
  });
}

/**
 * Open `starts` and every page reachable from them by links, breadth first; returns the pages that
 * failed ({ url, why, width }) and every address seen, and keeps `extra` for public pages found.
 */
async function crawl(page, starts, label, lang, seenPublic) {
  const offenders = [];
  const queue = starts.map((s) => new URL(s, BASE_URL));
  const visited = new Set();
  const perPattern = new Map();
  let widest = null;
  let opened = 0;
  const admit = (url) => {
    const key = url.pathname + url.search;
    if (visited.has(key)) return;
    const pattern = routePattern(url);
    const n = perPattern.get(pattern) || 0;
    if (n >= CRAWL_PER_PATTERN[lang]) return;
    perPattern.set(pattern, n + 1);
    visited.add(key);
    queue.push(url);
  };
  for (const url of queue.splice(0)) admit(url);
  while (queue.length > 0 && opened < CRAWL_MAX_PAGES) {
    const url = queue.shift();
    const where = url.pathname + url.search;
    opened += 1;
    let res;
    try {
      res = await page.goto(where, { waitUntil: 'load' });
    } catch (err) {
      offenders.push({ url: where, why: `did not load: ${String(err.message).split('\n')[0]}` });
      continue;
    }
    const status = res ? res.status() : 0;
    if (status >= 400 || !res) {
      offenders.push({ url: where, why: `HTTP ${status}` });
      continue;
    }
    const type = (await res.headerValue('content-type')) || '';
    if (!type.includes('text/html')) continue;
    // a redirect (for example to the login page) is measured where it landed
    const landed = new URL(page.url());
    if (landed.pathname === '/login' && url.pathname !== '/login' && !label.startsWith('public')) {
      offenders.push({ url: where, why: 'sent to the login page' });
      continue;
    }
    // every page the member can open, in Hindi: English words are listed for the record (the
    // journeys' pages fail on them; these also show other roles' registers a member may read)
    if (label === 'member-hi') {
      const words = await englishWordsOnHindiPage(page, 'member');
      if (words.length > 0) console.log(`# note: English on ${where} (member, hi): ${words.slice(0, 6).join('; ')}`);
    }
    const m = await measureWidth(page);
    if (m.cutCells.length > 0) {
      offenders.push({ url: where, why: `cells of a card table off screen: ${m.cutCells.slice(0, 4).join('; ')}` });
    }
    if (m.scrollWidth > m.clientWidth) {
      offenders.push({ url: where, why: `scrolls sideways: ${m.scrollWidth} > ${m.clientWidth}`, width: m.scrollWidth, culprits: m.culprits });
      if (!widest || m.scrollWidth > widest.width) {
        widest = { url: where, width: m.scrollWidth };
        await screenshot(page, `crawl-${label}-widest.png`);
      }
    }
    const hrefs = await page.evaluate(() => [
      ...Array.from(document.querySelectorAll('a[href]:not([download])'), (a) => a.getAttribute('href')),
      // a scheme's public complaint page, from its QR code
      ...Array.from(document.querySelectorAll('img[src^="/c/"][src$="/qr.svg"]'), (i) => i.getAttribute('src').replace(/\/qr\.svg$/, '')),
    ]);
    for (const href of hrefs) {
      const next = crawlTarget(href, page.url());
      if (!next) continue;
      if (seenPublic && /^\/(c|r)\//.test(next.pathname)) seenPublic.add(next.pathname);
      admit(next);
    }
  }
  if (queue.length > 0) console.log(`# ${label}: stopped after ${CRAWL_MAX_PAGES} pages, ${queue.length} left unopened`);
  return { offenders, opened };
}

/** Report one crawl as one check: every failing page on its own line. */
async function crawlCheck(name, fn) {
  await check(name, async () => {
    const started = Date.now();
    const { offenders, opened } = await fn();
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`# ${name}: ${opened} pages in ${secs}s`);
    if (offenders.length > 0) {
      const lines = offenders.map((o) => `${o.url}: ${o.why}${o.culprits && o.culprits.length ? ` (${o.culprits.join('; ')})` : ''}`);
      for (const line of lines) console.log(`#   ${line}`);
      throw new Error(`${offenders.length} page(s) of ${opened} fail`);
    }
  });
}

/** Every role, both languages, then the public pages in both languages. */
async function crawlAllPages(browser) {
  const seenPublic = new Set();
  for (const username of USERS) {
    for (const lang of ['hi', 'en']) {
      await crawlCheck(`no page scrolls sideways at 360 px: ${username} (${lang})`, async () => {
        const { context, page } = await newPage(browser);
        try {
          await logIn(page, username);
          const res = await page.goto(`/?lang=${lang}`);
          assert(res && res.ok(), `GET /?lang=${lang} answered ${res ? res.status() : 'nothing'}`);
          const htmlLang = await page.locator('html').getAttribute('lang');
          assert(htmlLang === lang, `<html lang> is ${JSON.stringify(htmlLang)}, expected "${lang}"`);
          return await crawl(page, ['/'], `${username}-${lang}`, lang, seenPublic);
        } finally {
          await context.close();
        }
      });
    }
  }
  for (const lang of ['hi', 'en']) {
    await crawlCheck(`no public page scrolls sideways at 360 px (${lang})`, async () => {
      const context = await browser.newContext({ viewport: VIEWPORT, baseURL: BASE_URL });
      await context.addCookies([{ name: 'paani_lang', value: lang, url: BASE_URL }]);
      const page = await context.newPage();
      page.setDefaultTimeout(TIMEOUT_MS);
      try {
        return await crawl(page, ['/login', '/c/status', ...seenPublic], `public-${lang}`, lang, null);
      } finally {
        await context.close();
      }
    });
  }
}

/**
 * The operator (the Hindi demo `member`, on a phone) logs today's supply of their scheme: from
 * the list of schemes to the scheme's supply page, "water supplied as usual today" with a bulk
 * meter reading above the last one, and the day then shows in the last 14 days with that
 * reading. Needs a fresh demo server (today not yet logged).
 */
async function memberSupplyJourney(browser) {
  const lang = 'hi';
  const { context, page, problems } = await newPage(browser);
  try {
    await timedCheck('operator logs a day\'s supply on a phone (hi)', async () => {
      await logInAs(page, 'member', lang);
      let res = await page.goto('/supply');
      assert(res && res.ok(), `GET /supply answered ${res ? res.status() : 'nothing'}`);
      await journeyStep(page, 'member', lang, 'supply-schemes');
      const href = await page.locator('#supply-schemes a').first().getAttribute('href');
      assert(href && /^\/schemes\/\d+\/supply$/.test(href), `no scheme to log on /supply: ${href}`);
      res = await page.goto(href);
      assert(res && res.ok(), `GET ${href} answered ${res ? res.status() : 'nothing'}`);
      await journeyStep(page, 'member', lang, 'supply-scheme');
      const form = page.locator('form#supply-usual');
      assert((await form.count()) === 1, `no "supplied as usual" form on ${href}: is today already logged? (use a fresh demo server)`);
      // a reading above every meter figure the last 14 days show (so above the last reading)
      const meters = await page.locator('#supply-days tbody td:nth-child(6)').allTextContents();
      const figures = meters.flatMap((t) => (t.match(/\d+(?:\.\d+)?/g) || []).map(Number));
      const reading = `${Math.floor(Math.max(0, ...figures)) + 7}.250`;
      await form.locator('input[name=bulk_meter_kl]').fill(reading);
      await journeyStep(page, 'member', lang, 'supply-usual-filled');
      await submitAndReload(page, form.locator('button[type=submit].primary'));
      assert(new URL(page.url()).pathname === href, `after logging the page is ${new URL(page.url()).pathname}, not ${href}`);
      assert((await page.locator('.flash').count()) === 1, 'no confirmation after logging the day');
      assert((await page.locator('form#supply-usual').count()) === 0, 'the "as usual" form is still offered for a logged day');
      const today = todayInIndia();
      const row = page.locator('#supply-days tbody tr').filter({ has: page.locator(`a[href$="on=${today}"]`) });
      assert((await row.count()) === 1, `today (${today}) is not in the last 14 days`);
      const text = await row.innerText();
      assert(text.includes(reading), `today's row does not show the reading ${reading}: ${text.replace(/\s+/g, ' ')}`);
      await journeyStep(page, 'member', lang, 'supply-logged');
      assertNoProblems(problems);
    });
  } finally {
    await context.close();
  }
}

/**
 * A villager (no account, phone screen) opens the public page of a scheme with an open
 * contamination incident (the demo has one in Banapura) and reads the advisory in Hindi and in
 * English, and when the water was last tested.
 */
async function villagerAdvisory(browser, lang) {
  const staff = await newPage(browser);
  const villager = await newPage(browser);
  await villager.context.addCookies([{ name: 'paani_lang', value: lang, url: BASE_URL }]);
  try {
    await check(`villager sees the water advisory on a phone (${lang})`, async () => {
      await logIn(staff.page, 'admin');
      const list = await staff.page.goto('/water-quality/incidents');
      assert(list && list.ok(), `GET /water-quality/incidents answered ${list ? list.status() : 'nothing'}`);
      const first = staff.page.locator('#wq-incidents a[href^="/water-quality/incidents/"]').first();
      assert((await first.count()) === 1, 'the demo has no open contamination incident');
      await staff.page.goto(await first.getAttribute('href'));
      const schemeHref = await staff.page.locator('main a[href^="/schemes/"]').first().getAttribute('href');
      const card = await staff.page.goto(`${schemeHref}/card`);
      assert(card && card.ok(), `GET ${schemeHref}/card answered ${card ? card.status() : 'nothing'}`);
      const src = await staff.page.locator('img[src^="/c/"][src$="/qr.svg"]').getAttribute('src');
      const path = src.slice(0, -'/qr.svg'.length);
      const { page, problems } = villager;
      const res = await page.goto(path);
      assert(res && res.ok(), `GET ${path} answered ${res ? res.status() : 'nothing'}`);
      const box = page.locator('#wq-advisory');
      assert((await box.count()) === 1 && (await box.isVisible()), 'no advisory on the public page');
      const hi = (await box.locator('p[lang=hi]').first().textContent()).trim();
      const en = (await box.locator('p[lang=en]').first().textContent()).trim();
      assert(/[\u0900-\u097F]/.test(hi), `the Hindi advisory is not in Devanagari: ${hi}`);
      assert(/[A-Za-z]/.test(en), `no English advisory: ${en}`);
      assert((await page.locator('#wq-last-tested').count()) === 1, 'the page does not say when the water was last tested');
      await journeyStep(page, 'villager', lang, 'advisory');
      assertNoProblems(problems);
    });
  } finally {
    await villager.context.close();
    await staff.context.close();
  }
}

/**
 * A trained tester (the Hindi demo `member`, on Banapura's register of testers) opens a field
 * test kit check from "my tasks" on a phone, records an FTK test with the batch in use and a
 * fluoride reading above the permissible limit, and sees each value and the test classified in
 * Hindi.
 */
async function testerFtkJourney(browser) {
  const lang = 'hi';
  const { context, page, problems } = await newPage(browser);
  try {
    await timedCheck('tester records an FTK test on a phone (hi)', async () => {
      await logInAs(page, 'member', lang);
      let res = await page.goto('/tasks');
      assert(res && res.ok(), `GET /tasks answered ${res ? res.status() : 'nothing'}`);
      await journeyStep(page, 'member', lang, 'ftk-my-tasks');
      // the check tasks lead to their point's test form: find an FTK one
      const hrefs = [...new Set(await page.locator('main a[href^="/tasks/"]').evaluateAll(
        (as) => as.map((a) => a.getAttribute('href')).filter((h) => /^\/tasks\/\d+$/.test(h)),
      ))];
      let task = null;
      for (const href of hrefs) {
        const r = await page.request.get(href, { maxRedirects: 0 });
        if (/\/samples\/new\?kind=ftk$/.test(r.headers().location || '')) { task = href; break; }
      }
      assert(task, `no FTK check among the member's ${hrefs.length} tasks`);
      await Promise.all([
        page.waitForURL((url) => /^\/water-quality\/points\/\d+\/samples\/new$/.test(url.pathname), { waitUntil: 'load' }),
        page.locator(`main a[href="${task}"]`).first().click(),
      ]);
      await journeyStep(page, 'member', lang, 'ftk-form');
      const form = page.locator('main form[action$="/samples"]');
      // the demo's batch in use: named by the four-month period it was received in
      const today = todayInIndia();
      const [y, m] = today.split('-').map(Number);
      const first = Math.floor((m - 1) / 4) * 4 + 1;
      await form.locator('input[name=kit_batch]').fill(`FTK-${y}-${String(first).padStart(2, '0')}`);
      const expires = new Date(Date.UTC(y, first - 1, 1) + 540 * 86400 * 1000).toISOString().slice(0, 10);
      await form.locator('input[name=kit_expires_on]').fill(expires);
      await form.locator('input[name=v_ph]').fill('7.4');
      await form.locator('input[name=v_turbidity]').fill('0.8');
      await form.locator('input[name=v_fluoride]').fill('1.8');
      await form.locator('input[name=v_nitrate]').fill('20');
      await journeyStep(page, 'member', lang, 'ftk-filled');
      await Promise.all([
        page.waitForURL((url) => /^\/water-quality\/samples\/\d+$/.test(url.pathname), { waitUntil: 'load' }),
        form.locator('button[type=submit].primary').click(),
      ]);
      const overall = (await page.locator('#wq-overall').innerText()).trim();
      assert(overall.includes('अनुमेय सीमा से अधिक'), `the test is not classified beyond the permissible limit in Hindi: ${overall}`);
      const rows = await page.locator('#wq-sample-values tbody tr').allInnerTexts();
      const ph = rows.find((r) => r.includes('7.4'));
      assert(ph && ph.includes('स्वीकार्य सीमा के भीतर'), `the pH of 7.4 is not shown within the acceptable limit: ${ph}`);
      await journeyStep(page, 'member', lang, 'ftk-classified');
      assertNoProblems(problems);
    });
  } finally {
    await context.close();
  }
}

/** Every role's main journeys, in Hindi and then in English. */
async function allJourneys(browser) {
  for (const lang of LANGS) {
    await villagerComplaint(browser, lang);
    await villagerAdvisory(browser, lang);
    await memberJourney(browser, lang);
    if (lang === 'hi') await memberSupplyJourney(browser);
    if (lang === 'hi') await testerFtkJourney(browser);
    await engineerJourney(browser, lang);
    await secretaryJourney(browser, lang);
  }
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
    if (process.env.PAANI_CRAWL_ONLY) {
      await crawlAllPages(browser);
      return;
    }
    if (process.env.PAANI_STEP === 'tester-ftk') {
      await testerFtkJourney(browser);
      return;
    }
    if (process.env.PAANI_JOURNEYS_ONLY) {
      await allJourneys(browser);
      return;
    }
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

    // Each role's main journeys in Hindi and in English, on a phone.
    await allJourneys(browser);

    // The member's photo is made smaller in the browser before it is sent.
    await memberPhotoShrunk(browser);

    // A failed form opens at the summary of its errors, without script.
    await secretaryFormErrorsNoScript(browser);

    // The engineer's review page on a laptop-sized screen.
    await engineerReview(browser);

    // The secretary's counter: find, pay, print.
    await secretaryCounter(browser);

    // The secretary's reminders.
    await secretaryInbox(browser);

    // Every role's dashboard, phone and laptop.
    await dashboards(browser);

    // Every page of every role at 360 px, in Hindi and English: none scrolls sideways.
    await crawlAllPages(browser);
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
