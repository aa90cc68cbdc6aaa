// The installable offline site (issue 18), in Debian's Chromium: the shipped
// course hosted under a sub-path (/course/) by a local HTTP server. Save for
// offline use, wait for the service worker, then with the browser offline
// AND the server down: open another chapter, search in Chinese, answer a
// quiz question, drill a card. Then a new build with a changed page: online,
// a reload offers the update; accepting it shows the new page offline. Over
// file:// no service worker is registered and nothing errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { repoRoot, lecternBin, tempDir, launch } from './lib.mjs';

const SUB = '/course/';
const CHANGED = 'content/07-handling-complaints/index.md';
let course, site, browser, server, base, down = false;

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json' };

function build() {
  execFileSync(lecternBin(), ['build', '--root', course, '--out', site], { stdio: 'pipe' });
}

before(async () => {
  course = tempDir('lectern-offline-course-');
  for (const part of ['content', 'quizzes']) fs.cpSync(path.join(repoRoot, part), path.join(course, part), { recursive: true });
  fs.copyFileSync(path.join(repoRoot, 'course.yaml'), path.join(course, 'course.yaml'));
  site = path.join(tempDir('lectern-offline-site-'), 'site');
  build();
  server = http.createServer((req, res) => {
    // "Down": the connection is dropped, as when the network is gone.
    if (down) { req.socket.destroy(); return; }
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(SUB)) { res.writeHead(404); res.end(); return; }
    let rel = decodeURIComponent(url.pathname.slice(SUB.length));
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.join(site, path.normalize(rel));
    if (!file.startsWith(site) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); res.end('not found'); return; }
    res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(fs.readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}${SUB}`;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.close(r) : r()));
});

function watch(page) {
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

async function goOffline(context, offline) {
  down = offline;
  await context.setOffline(offline);
}

async function saveForOffline(page) {
  await page.goto(base + 'index.html');
  await page.waitForSelector('.offline-panel:not([hidden]) .offline-save:not([hidden])');
  const status = await page.textContent('.offline-status');
  assert.match(status, /\d+ 个文件，约 \d+(\.\d)? MB/, status);
  const seen = [];
  await page.exposeFunction('noteProgress', (v) => seen.push(v));
  await page.evaluate(() => {
    const bar = document.querySelector('.offline-progress');
    new MutationObserver(() => window.noteProgress(`${bar.value}/${bar.max}`)).observe(bar, { attributes: true });
  });
  await page.click('.offline-save');
  await page.waitForSelector('.offline-panel[data-state="saved"]', { timeout: 120000 });
  assert.ok(seen.length > 3, `the progress bar moved: ${seen.join(' ')}`);
  assert.match(await page.textContent('.offline-status'), /已保存到本机.*最后更新/);
  return page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    return { scope: reg.scope, controlled: !!navigator.serviceWorker.controller };
  });
}

test('http under a sub-path: save for offline, then read, search, quiz and drill with no network; a new build is offered and shown offline', { timeout: 300000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = watch(page);
  const sw = await saveForOffline(page);
  assert.equal(sw.scope, base, 'the worker\'s scope is the sub-path');
  assert.ok(sw.controlled, 'the page is controlled by the worker');
  const manifest = await page.getAttribute('link[rel="manifest"]', 'href');
  assert.equal(manifest, 'manifest.webmanifest');

  await goOffline(context, true);
  // Another chapter, never visited.
  await page.goto(base + 'customer-records/index.html');
  assert.match(await page.textContent('h1'), /客户档案|项目九/);
  // Chinese search, from the header box.
  await page.fill('#lectern-search-input', '投诉');
  await page.waitForFunction(() => {
    const panel = document.querySelector('.lectern-search__panel');
    return panel && !panel.hidden && panel.getAttribute('data-query') === '投诉' && panel.querySelectorAll('.lectern-result').length > 0;
  });
  // A quiz question, answered and graded.
  await page.goto(base + 'quizzes/01-understanding-customer-service.html');
  await page.waitForSelector('[data-quiz-page][data-ready="true"]');
  const first = 'li.q[data-qid="c1-single-customer-connotation"]';
  await page.check(`${first} input[value="0"]`);
  await page.click(`${first} button[data-action="check"]`);
  assert.match(await page.textContent(`${first} .q-result`), /回答正确|回答错误/);
  // The drill.
  await page.goto(base + 'drill.html');
  await page.waitForSelector('.drill-card:not([hidden])');
  // A page with ?teacher (print.html) is the cached print.html.
  await page.goto(base + 'print.html?teacher');
  assert.ok(await page.isVisible('.print-book details.reveal'));
  assert.deepEqual(problems.filter((p) => !/Failed to load resource/.test(p)), []);

  // A new build with a changed page (and so new hashes everywhere it shows).
  const marker = '离线更新测试标记';
  const file = path.join(course, CHANGED);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8') + `\n\n${marker}\n`);
  build();
  await goOffline(context, false);
  // Still the saved build until the reader accepts: never a mix.
  await page.goto(base + 'handling-complaints/index.html');
  assert.ok(!(await page.textContent('main')).includes(marker), 'the old build is shown until the update is accepted');
  await page.goto(base + 'index.html');
  await page.waitForSelector('.offline-update:not([hidden])', { timeout: 120000 });
  await Promise.all([page.waitForEvent('load'), page.click('.offline-update')]);
  await page.waitForSelector('.offline-panel[data-state="saved"]');

  await goOffline(context, true);
  await page.goto(base + 'handling-complaints/index.html');
  assert.ok((await page.textContent('main')).includes(marker), 'the new page, offline');
  await goOffline(context, false);
  await context.close();
});

test('the panel at 360 px', { timeout: 120000 }, async () => {
  down = false;
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto(base + 'index.html');
  await page.waitForSelector('.offline-panel:not([hidden])');
  const box = await page.locator('.offline-panel').boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 360, `inside the screen: ${JSON.stringify(box)}`);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 360), true, 'no sideways scrolling');
  if (process.env.LECTERN_SCREENSHOTS) await page.screenshot({ path: path.join(process.env.LECTERN_SCREENSHOTS, 'offline-360.png'), fullPage: false });
  await context.close();
});

test('file://: no service worker, no panel, no errors', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = watch(page);
  const failed = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  await page.goto(pathToFileURL(site).href + '/index.html');
  await page.goto(pathToFileURL(site).href + '/customer-records/index.html');
  const state = await page.evaluate(async () => ({
    api: 'serviceWorker' in navigator,
    registrations: 'serviceWorker' in navigator ? (await navigator.serviceWorker.getRegistrations().catch(() => [])).length : 0,
  }));
  assert.equal(state.registrations, 0);
  await page.goto(pathToFileURL(site).href + '/index.html');
  assert.equal(await page.isVisible('.offline-panel'), false);
  assert.deepEqual(problems, []);
  assert.deepEqual(failed, []);
  await context.close();
});
