// Working without a signal, in a real browser (issue 28, item 7).
//
// The phone (a persistent Chromium profile, 360x740, the demo's secretary in Hindi) logs in
// and lets the app keep its pages; then the network goes away, and it completes three tasks
// (one with a photo), reports a breakdown and records two payments (from a receipt book
// when the receipt-book API answers; otherwise as plain payments, said in the output). The
// outbox lists 6. The browser is closed and opened again on the same profile; the network
// comes back; the first sending is cut off after two records (the third reaches the server,
// but its answer never reaches the phone); "send now" finishes; each record is then on the
// server exactly once, with the phone's done-on date. Last, a conflict: the member (Hindi)
// completes a task offline that the secretary completes online meanwhile; the outbox shows
// "needs your decision" with both versions and the choices. Screenshots of the outbox at 360 px in Hindi: target/screenshots/offline-*.png.
//
//   PAANI_URL=http://127.0.0.1:18080 node offline.mjs
//
// "No network" is both Playwright's offline switch and a proxy of this script's own between
// the browser and the server that drops every connection (so the service worker's own
// requests fail too, whatever the emulation covers). Output: "ok - …" / "not ok - …" lines
// and a count; exit status 1 when a check failed.

import { chromium } from 'playwright-core';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import path from 'node:path';

const TARGET = new URL((process.env.PAANI_URL || 'http://127.0.0.1:18080').replace(/\/+$/, ''));
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PASSWORD = 'paani-demo-2024';
const VIEWPORT = { width: 360, height: 740 };
const SHOTS = fileURLToPath(new URL('../../target/screenshots/', import.meta.url));
const TIMEOUT_MS = 20_000;

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`ok - ${name}`);
    return true;
  } catch (err) {
    failed += 1;
    const [first, ...rest] = String(err && err.message ? err.message : err).replace(/\x1b\[[0-9;]*m/g, '').split('\n');
    console.log(`not ok - ${name}: ${first}`);
    for (const line of rest.slice(0, 6)) if (line.trim()) console.log(`#   ${line}`);
    return false;
  }
}
function assert(cond, msg) { if (!cond) throw new Error(msg); }
async function until(fn, msg, ms = TIMEOUT_MS) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(msg);
}

// ---- the proxy: the phone's network -----------------------------------------------------
const net = {
  down: false,
  // the POST number (counting from 1 after arming) whose answer is lost on the way back
  loseAnswerOf: 0,
  posts: 0,
  // every POST that reached the server: its key, status, whether the answer was a replay
  // and whether the phone never got it
  sent: [],
};
const proxy = http.createServer((req, res) => {
  if (net.down) { req.socket.destroy(); return; }
  let lose = false;
  if (req.method === 'POST' && net.loseAnswerOf) {
    net.posts += 1;
    lose = net.posts === net.loseAnswerOf;
  }
  const upstream = http.request({
    host: TARGET.hostname, port: TARGET.port, method: req.method, path: req.url, headers: req.headers,
  }, (up) => {
    if (req.method === 'POST') {
      net.sent.push({
        key: req.headers['idempotency-key'] || '', path: req.url, status: up.statusCode,
        replayed: up.headers['idempotent-replayed'] === 'true', lost: lose || net.down,
      });
    }
    if (lose || net.down) {
      // the server has answered; the phone never hears it
      up.resume();
      up.on('end', () => req.socket.destroy());
      return;
    }
    res.writeHead(up.statusCode, up.headers);
    up.pipe(res);
  });
  upstream.on('error', () => req.socket.destroy());
  req.pipe(upstream);
});
await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const BASE = `http://127.0.0.1:${proxy.address().port}`;

// ---- the server's side, by the API (never through the proxy) ---------------------------
async function api(token, pathAndQuery) {
  const r = await fetch(new URL(pathAndQuery, TARGET), { headers: { Authorization: `Bearer ${token}` } });
  assert(r.ok, `GET ${pathAndQuery} answered ${r.status}`);
  return r.json();
}
async function tokenOf(user) {
  const r = await fetch(new URL('/api/v1/auth/token', TARGET), {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password: PASSWORD }),
  });
  assert(r.status === 201, `token for ${user}: ${r.status}`);
  return (await r.json()).token;
}
const items = (v) => (Array.isArray(v) ? v : v.items || []);
// every page of a paged list
async function everything(token, pathAndQuery) {
  const out = [];
  for (let n = 1; n < 200; n += 1) {
    const v = await api(token, `${pathAndQuery}${pathAndQuery.includes('?') ? '&' : '?'}page=${n}`);
    const got = items(v);
    out.push(...got);
    if (Array.isArray(v) || got.length === 0 || out.length >= (v.total ?? 0)) break;
  }
  return out;
}

// ---- the phone ----------------------------------------------------------------------------
const profile = await mkdtemp(path.join(tmpdir(), 'paani-offline-'));
await mkdir(SHOTS, { recursive: true });

async function openPhone(dir) {
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_PATH, viewport: VIEWPORT, locale: 'hi-IN', baseURL: BASE,
    serviceWorkers: 'allow',
  });
  ctx.setDefaultTimeout(TIMEOUT_MS);
  const page = ctx.pages()[0] || (await ctx.newPage());
  return { ctx, page };
}
async function setNetwork(ctx, on) {
  net.down = !on;
  await ctx.setOffline(!on);
}
async function logIn(page, user) {
  await page.goto('/login?lang=hi');
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', PASSWORD);
  // "keep me logged in": a phone's session outlives closing the browser
  if (await page.locator('input[name=keep]').count()) await page.locator('input[name=keep]').check();
  await Promise.all([page.waitForNavigation(), page.locator('main form button[type=submit]').first().click()]);
  assert(!new URL(page.url()).pathname.startsWith('/login'), `${user} could not log in`);
}
// the app has installed its worker, which controls the page, and kept its pages
async function letItCache(page) {
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, { timeout: TIMEOUT_MS })
    .catch(async () => { await page.reload(); await page.waitForFunction(() => navigator.serviceWorker.controller); });
  await page.evaluate(() => window.PaaniOutbox.setMeta('refreshed_at', 0));
  await page.reload();
  await page.waitForSelector('html[data-offline-ready]', { state: 'attached' });
  return page.evaluate(() => window.PaaniOutbox.meta('data'));
}
async function outboxCount(page) {
  return page.evaluate(() => window.PaaniOutbox.all().then((a) => a.length));
}
async function jpeg(page) {
  const b64 = await page.evaluate(() => new Promise((resolve) => {
    const c = document.createElement('canvas');
    c.width = 1200; c.height = 900;
    const g = c.getContext('2d');
    g.fillStyle = '#3a7'; g.fillRect(0, 0, 1200, 900); g.fillStyle = '#fff'; g.fillRect(200, 200, 400, 300);
    c.toBlob((b) => { const r = new FileReader(); r.onload = () => resolve(r.result.split(',')[1]); r.readAsDataURL(b); }, 'image/jpeg', 0.9);
  }));
  return Buffer.from(b64, 'base64');
}
async function fillTask(page, taskUrl, withPhoto) {
  const res = await page.goto(taskUrl);
  assert(res && res.ok(), `offline ${taskUrl}: ${res ? res.status() : 'nothing'}`);
  const form = page.locator(`main form[action="${taskUrl}/complete"]`);
  const boxes = form.locator('input[type=checkbox][name^=check_]');
  for (let i = 0; i < (await boxes.count()); i += 1) await boxes.nth(i).check();
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
  const notes = form.locator('textarea[name=notes]');
  if (await notes.count()) await notes.fill(`बिना सिग्नल ${taskUrl}`);
  if (withPhoto) {
    await form.locator('input[name=photo_1]').setInputFiles({ name: 'pump.jpg', mimeType: 'image/jpeg', buffer: await jpeg(page) });
    await page.waitForFunction(() => {
      const f = document.querySelector('main form input[name=photo_1]').files[0];
      return f && f.type === 'image/jpeg' && f.size < 1024 * 1024;
    });
  }
  const doneOn = await form.locator('input[name=done_on]').inputValue();
  await form.locator('button[type=submit].primary').click();
  await page.waitForSelector('#offline-saved');
  return doneOn;
}

let secretaryToken = null;
const today = new Date(Date.now() + 5.5 * 3600 * 1000).toISOString().slice(0, 10); // India
const mark = `ऑफ़लाइन जाँच ${Date.now()}`;
const work = { tasks: [], breakdown: mark, payments: [], books: false };

try {
  secretaryToken = await tokenOf('secretary');
  let phone = await openPhone(profile);

  await check('the secretary logs in and the app keeps its pages (Hindi, 360 px)', async () => {
    await logIn(phone.page, 'secretary');
    const data = await letItCache(phone.page);
    assert(data && data.tasks.length >= 4, `the snapshot has ${data ? data.tasks.length : 0} tasks (4 needed)`);
    assert(data.households && data.households.length >= 2, 'the snapshot has fewer than 2 households with dues');
    work.tasks = data.tasks.slice(0, 3).map((t) => ({ id: t.id, url: t.url }));
    // amounts of this run only (the same demo server may have seen an earlier run)
    const salt = Date.now() % 9000;
    work.payments = data.households.slice(0, 2).map((h, i) => ({ household: h.id, url: h.url, paise: 1000 + salt * 2 + i }));
    for (const p of work.payments) p.amount = (p.paise / 100).toFixed(2);
    // a receipt book for the secretary's phone (where the receipt-book area is there)
    const issued = await fetch(new URL('/api/v1/receipt-books', TARGET), {
      method: 'POST',
      headers: { Authorization: `Bearer ${secretaryToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ collector_id: String(data.user_id), size: '10', device_label: 'offline.mjs' }),
    });
    if (issued.status !== 404) {
      assert(issued.status === 201, `issuing a receipt book answered ${issued.status}: ${(await issued.text()).slice(0, 200)}`);
      await letItCache(phone.page);
    }
    const books = await phone.page.evaluate(() => window.PaaniOutbox.meta('books'));
    work.books = Array.isArray(books) && books.length > 0;
    assert(work.books || issued.status === 404, 'a book was issued but the phone does not have it');
    const kept = await phone.page.evaluate(async (urls) => {
      const out = [];
      for (const u of urls) out.push(Boolean(await caches.match(u)));
      return out;
    }, [...work.tasks.map((t) => t.url), '/breakdowns/new', '/outbox', ...work.payments.map((p) => p.url)]);
    assert(kept.every(Boolean), `pages not kept: ${kept.map((k, i) => (k ? '' : i)).join(' ')}`);
    const persisted = await phone.page.evaluate(() => window.PaaniOutbox.meta('persist_asked'));
    assert(persisted && 'granted' in persisted, 'persistent storage was not asked for');
  });

  await setNetwork(phone.ctx, false);
  await check('offline: three tasks completed (one with a photo) wait in the outbox', async () => {
    for (const [i, t] of work.tasks.entries()) t.doneOn = await fillTask(phone.page, t.url, i === 0);
    assert((await outboxCount(phone.page)) === 3, `outbox has ${await outboxCount(phone.page)}`);
  });
  await check('offline: a breakdown reported', async () => {
    await phone.page.goto('/breakdowns/new');
    const form = phone.page.locator('main form[action="/breakdowns"]');
    await form.locator('textarea[name=description]').fill(work.breakdown);
    await form.locator('button[type=submit].primary, button[type=submit]').last().click();
    await phone.page.waitForSelector('#offline-saved');
  });
  await check(`offline: two payments recorded${''}`, async () => {
    for (const p of work.payments) {
      await phone.page.goto(p.url);
      const form = phone.page.locator('#counter-form');
      await form.locator('input[name=amount]').fill(p.amount);
      if (!(await form.locator('input[name=paid_on]').inputValue())) await form.locator('input[name=paid_on]').fill(today);
      await form.locator('button[type=submit]').click();
      if (work.books) {
        await phone.page.waitForSelector('#provisional-receipt');
        p.receipt = (await phone.page.locator('#provisional-receipt-no').textContent()).trim();
        await phone.page.screenshot({ path: `${SHOTS}offline-provisional-receipt.png`, fullPage: true });
      } else {
        await phone.page.waitForSelector('#offline-saved');
      }
    }
    if (work.books) assert(work.payments[0].receipt !== work.payments[1].receipt, 'two payments took the same receipt number');
    else console.log('# no receipt-book area on this server (POST /api/v1/receipt-books answered 404): plain payments');
  });
  await check('the outbox lists 6, and the banner says so', async () => {
    await phone.page.goto('/outbox');
    await phone.page.waitForSelector('#outbox-list li.outbox-item');
    const n = await phone.page.locator('#outbox-list li.outbox-item').count();
    assert(n === 6, `the outbox lists ${n}`);
    assert(await phone.page.locator('#outbox-banner').isVisible(), 'no banner');
    assert(/6/.test(await phone.page.locator('#outbox-banner .outbox-count').textContent()), 'the banner does not say 6');
    const wide = await phone.page.evaluate(() => document.documentElement.scrollWidth);
    assert(wide <= VIEWPORT.width + 1, `the outbox scrolls sideways (${wide}px)`);
    await phone.page.screenshot({ path: `${SHOTS}offline-outbox-hi-waiting.png`, fullPage: true });
  });

  await check('closing and opening the browser keeps the outbox', async () => {
    await phone.ctx.close();
    phone = await openPhone(profile);
    await setNetwork(phone.ctx, false);
    await phone.page.goto('/outbox');
    await phone.page.waitForSelector('#outbox-list li.outbox-item');
    assert((await phone.page.locator('#outbox-list li.outbox-item').count()) === 6, 'not 6 after reopening');
  });

  await check('back online, a sending cut off after two records resumes without duplicates', async () => {
    net.posts = 0;
    net.sent.length = 0;
    net.loseAnswerOf = 3;
    await setNetwork(phone.ctx, true);
    await phone.page.locator('#outbox-send').click();
    await until(async () => net.sent.some((x) => x.lost), 'the third record never reached the server');
    net.loseAnswerOf = 0;
    await until(async () => (await outboxCount(phone.page)) < 6, 'nothing left the outbox');
    await phone.page.locator('#outbox-send').click();
    await until(async () => (await outboxCount(phone.page)) === 0, 'the outbox did not empty', 30_000);
    const lost = net.sent.find((x) => x.lost);
    assert(lost.key, 'the lost record was sent without an Idempotency-Key');
    const again = net.sent.filter((x) => x.key === lost.key && !x.lost);
    assert(again.length >= 1 && again.every((x) => x.replayed), `the record whose answer was lost was sent again ${again.length} times, replayed: ${again.map((x) => x.replayed).join(',')}`);
    const firsts = net.sent.filter((x) => !x.replayed && x.status < 400);
    assert(firsts.length === 6, `${firsts.length} records were made (6 expected): ${firsts.map((x) => `${x.path} ${x.status}`).join('; ')}`);
    await phone.page.reload();
    await phone.page.waitForSelector('#outbox-empty:not([hidden])');
    assert(!(await phone.page.locator('#outbox-banner').isVisible()), 'the banner is still shown');
    await phone.page.screenshot({ path: `${SHOTS}offline-outbox-hi-sent.png`, fullPage: true });
  });

  await check('each record arrived exactly once, with the phone\'s done-on date', async () => {
    const schemes = new Set((await everything(secretaryToken, '/api/v1/maintenance/tasks?state=done')).map((t) => t.scheme_id));
    const logs = [];
    for (const s of schemes) logs.push(...items(await api(secretaryToken, `/api/v1/maintenance/logs?scheme=${s}`)));
    for (const t of work.tasks) {
      const mine = logs.filter((l) => l.task_id === t.id);
      assert(mine.length === 1, `task ${t.id} has ${mine.length} log entries`);
      assert(mine[0].done_on === t.doneOn, `task ${t.id} done on ${mine[0].done_on}, the phone said ${t.doneOn}`);
    }
    const bds = await everything(secretaryToken, '/api/v1/breakdowns?status=all');
    const mine = bds.filter((b) => b.description === work.breakdown);
    assert(mine.length === 1, `the breakdown arrived ${mine.length} times`);
    for (const p of work.payments) {
      const pays = await everything(secretaryToken, `/api/v1/payments?household=${p.household}`);
      const ours = pays.filter((x) => x.amount_paise === p.paise && !x.cancelled_at);
      assert(ours.length === 1, `the payment of ₹${p.amount} for household ${p.household} arrived ${ours.length} times`);
      if (p.receipt) assert(ours[0].receipt_no === p.receipt, `receipt ${ours[0].receipt_no}, the phone showed ${p.receipt}`);
    }
  });

  await phone.ctx.close();

  // ---- a conflict: the member completes offline what the secretary completes online ----
  const memberProfile = await mkdtemp(path.join(tmpdir(), 'paani-offline-member-'));
  const member = await openPhone(memberProfile);
  await check('a task done meanwhile by someone else needs the user\'s decision: both versions and the choices, kept in the outbox', async () => {
    await logIn(member.page, 'member');
    const data = await letItCache(member.page);
    // a task whose form is the plain work form (not a water test's)
    let task = null;
    for (const t of data.tasks) {
      await member.page.goto(t.url);
      if (await member.page.locator(`main form[action="${t.url}/complete"] textarea[name=notes]`).count()) { task = t; break; }
    }
    assert(task, 'no task with a work form on the member\'s list');
    await setNetwork(member.ctx, false);
    await fillTask(member.page, task.url, false);
    // meanwhile, online, the secretary completes the same task
    const r = await fetch(new URL(`/api/v1/maintenance/tasks/${task.id}/complete`, TARGET), {
      method: 'POST',
      headers: { Authorization: `Bearer ${secretaryToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ done_on: today, notes: 'ऑनलाइन' }),
    });
    assert(r.status < 300, `the secretary could not complete task ${task.id}: ${r.status} ${(await r.text()).slice(0, 200)}`);
    await setNetwork(member.ctx, true);
    net.sent.length = 0;
    await member.page.goto('/outbox');
    await member.page.locator('#outbox-send').click();
    await until(async () => net.sent.some((x) => x.status === 409), 'the server did not answer 409 for the task done meanwhile');
    await member.page.waitForSelector('#outbox-list li[data-state="decision"], #outbox-list li[data-state="failed"]');
    assert((await outboxCount(member.page)) === 1, 'the conflicting record left the outbox');
    await member.page.screenshot({ path: `${SHOTS}offline-outbox-hi-decision.png`, fullPage: true });
    const item = member.page.locator('#outbox-list li.outbox-item').first();
    assert((await item.getAttribute('data-state')) === 'decision', 'the 409 was not shown as "needs your decision"');
    assert((await item.locator('.outbox-theirs').count()) === 1, 'the server\'s version is not shown');
    assert((await item.locator('.outbox-fields').count()) === 1, 'the phone\'s version is not shown');
    assert((await item.locator('button.outbox-choice').count()) >= 1, 'no choice offered');
  });
  await check('a record discarded only after confirming', async () => {
    await member.page.goto('/outbox');
    await member.page.waitForSelector('#outbox-list li.outbox-item');
    await member.page.locator('button.outbox-discard').first().click();
    assert((await outboxCount(member.page)) === 1, 'discarded without confirming');
    await member.page.locator('button.outbox-discard-yes').click();
    await until(async () => (await outboxCount(member.page)) === 0, 'not discarded after confirming');
  });
  await member.ctx.close();
  await rm(memberProfile, { recursive: true, force: true });
} catch (err) {
  failed += 1;
  console.log(`not ok - the offline scenario stopped: ${err && err.stack ? err.stack.split('\n').slice(0, 4).join(' | ') : err}`);
} finally {
  proxy.close();
  await rm(profile, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
