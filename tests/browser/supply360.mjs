// A quick look at the supply pages in Hindi on a 360 px phone: the supply list, a scheme's
// supply page (the last days with each reading's source), its day page, its devices (keys)
// page, and the Har Ghar Jal summary, GP and village pages. For each page it reports whether
// it scrolls sideways and the English words on it (outside elements marked with another
// language, links, codes and numbers), and saves a screenshot under target/screenshots/.
//
//   PAANI_URL=http://127.0.0.1:18100 node tests/browser/supply360.mjs
//
// The server must run with the demo data (`paani serve --demo …`). Exit status 1 when a
// page scrolls sideways, answers an error or shows English words.

import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const BASE = (process.env.PAANI_URL || 'http://127.0.0.1:18100').replace(/\/+$/, '');
const SHOTS = fileURLToPath(new URL('../../target/screenshots/', import.meta.url));
// words the Hindi pages keep: units, codes and names of products
const KEPT = new Set(['kL', 'L', 'kWh', 'lpcd', 'WhatsApp', 'Paani', 'CSV', 'API', 'LGD', 'IMIS', 'OK']);

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium' });
const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'hi-IN' });
const page = await context.newPage();
await mkdir(SHOTS, { recursive: true });
let bad = 0;

async function login(user) {
  await page.goto(`${BASE}/login?lang=hi`);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', 'paani-demo-2024');
  await Promise.all([page.waitForNavigation(), page.locator('form button[type=submit]').first().click()]);
}

async function englishWords() {
  return page.evaluate((kept) => {
    const parts = [];
    const walk = (n) => {
      if (n.nodeType === Node.TEXT_NODE) { parts.push(n.textContent); return; }
      if (n.nodeType !== Node.ELEMENT_NODE) return;
      if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'CODE'].includes(n.tagName)) return;
      if (n.hasAttribute('lang') && !n.getAttribute('lang').startsWith('hi')) return;
      const s = getComputedStyle(n);
      if (s.display === 'none' || s.visibility === 'hidden') return;
      if (['INPUT', 'TEXTAREA'].includes(n.tagName)) return;
      for (const c of n.childNodes) walk(c);
      parts.push(' ');
    };
    walk(document.body);
    const text = parts.join('').replace(/\bhttps?:\/\/\S+/g, ' ');
    const out = new Set();
    for (const w of text.split(/[\s,;:()[\]{}"'|·•—–!?/]+/)) {
      const bare = w.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
      if (!/[A-Za-z]{2}/.test(bare) || /\d/.test(bare) || /^[A-Z][A-Z&-]+$/.test(bare) || kept.includes(bare)) continue;
      out.add(bare);
    }
    return [...out];
  }, [...KEPT]);
}

async function look(name, path) {
  const res = await page.goto(`${BASE}${path}${path.includes('?') ? '&' : '?'}lang=hi`);
  const status = res ? res.status() : 0;
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  const words = await englishWords();
  await page.screenshot({ path: `${SHOTS}supply360-${name}.png`, fullPage: true });
  const fine = status === 200 && wide <= 361 && words.length === 0;
  if (!fine) bad += 1;
  console.log(`${fine ? 'ok' : 'not ok'} - ${name} ${path}: ${status}, ${wide}px${words.length ? `, English: ${words.join(' ')}` : ''}`);
}

/** The first link on the page whose address matches `re`. */
async function firstLink(re) {
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
  return hrefs.find((h) => re.test(h));
}

await login(process.env.PAANI_USER || 'secretary');
await look('supply-list', '/supply');
const schemes = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')).filter((h) => /^\/schemes\/\d+\/supply$/.test(h)));
for (const s of schemes.slice(0, Number(process.env.PAANI_SCHEMES || 3))) {
  const id = s.split('/')[2];
  await look(`scheme-${id}`, s);
  await look(`month-${id}`, `${s}/month`);
  const day = await firstLink(/\/supply\/day\?on=/);
  if (day) await look(`day-${id}`, day);
  await look(`devices-${id}`, `${s}/devices`);
  await look(`schedule-${id}`, `${s}/schedule`);
}
await look('hgj', '/har-ghar-jal');
const gp = await firstLink(/^\/har-ghar-jal\/gps\/\d+/);
if (gp) {
  await look('hgj-gp', gp);
  const village = await firstLink(/^\/har-ghar-jal\/villages\/\d+$/);
  if (village) await look('hgj-village', village);
}
await browser.close();
process.exit(bad ? 1 : 0);
