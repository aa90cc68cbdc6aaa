// Whole-course print and the flashcard drill (issue 18), in Debian's Chromium
// on the shipped course. print.html: every page in reading order, the
// contents' links landing inside the document, no answers unless ?teacher,
// every answer with it; the PDF Chromium prints starts each chapter on a new
// sheet (read back with pdftotext). The drill: five cards graded with the
// keyboard and the mouse, a reload keeps the schedule, the home page counts
// what is due; over file:// and http, at 360 px and desktop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { shippedSite, launch, bothOrigins, tempDir } from './lib.mjs';

let site, browser, origins, closeServer;
const fileBase = () => origins.find((o) => o.name === 'file').base;
const httpBase = () => origins.find((o) => o.name === 'http').base;

before(async () => {
  site = shippedSite();
  browser = await launch();
  ({ origins, close: closeServer } = await bothOrigins(site));
});
after(async () => {
  await browser?.close();
  await closeServer?.();
});

async function fresh(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => d.accept());
  await context.route('**/favicon.ico', (r) => r.fulfill({ status: 204, body: '' }));
  return { context, page, problems };
}

/** The anchor print pages give the page at `url` (render/print.rs `anchor_of`). */
const anchorOf = (url) => 'p-' + url.replace(/\.html$/, '').replace(/[^\p{L}\p{N}_-]/gu, '-');

/** Reading order, from the home page and each chapter's contents: [{ url, title, chapter }]. */
async function readingOrder(page) {
  await page.goto(fileBase() + 'index.html');
  const chapters = await page.$$eval('.chapter-cards h3 a', (as) => as.map((a) => a.getAttribute('href')));
  const order = [];
  for (const url of chapters) {
    await page.goto(fileBase() + url);
    order.push({ url, title: (await page.textContent('main h1')).trim(), chapter: true, text: await page.$eval('main .prose', (p) => p.textContent.trim().slice(0, 40)).catch(() => '') });
    const pages = await page.$$eval('.page-list a', (as) => as.map((a) => a.getAttribute('href')).filter((h) => !h.includes('quizzes/')));
    for (const href of pages) {
      const abs = new URL(href, fileBase() + url).href.slice(fileBase().length);
      order.push({ url: abs, chapter: false });
    }
  }
  for (const o of order.filter((x) => !x.chapter)) {
    await page.goto(fileBase() + o.url);
    o.title = (await page.textContent('main h1')).trim();
    o.text = await page.$eval('main .prose p', (p) => p.textContent.trim().slice(0, 40)).catch(() => '');
  }
  return order;
}

test('print.html: every page in reading order, contents linking inside, links made internal, answers only with ?teacher', { timeout: 180000 }, async () => {
  const { context, page, problems } = await fresh();
  const order = await readingOrder(page);
  assert.ok(order.length > 50, `the shipped course has its pages: ${order.length}`);
  for (const base of [fileBase(), httpBase()]) {
    await page.goto(base + 'print.html');
    assert.equal(await page.textContent('.print-title'), '客户服务实务');
    assert.match(await page.textContent('.print-author'), /课程组/);
    assert.ok(await page.isVisible('.print-subtitle'));
    const ids = await page.$$eval('.print-part-title', (hs) => hs.map((h) => h.id));
    assert.deepEqual(ids, order.map((o) => anchorOf(o.url)), 'every page, in reading order');
    const text = await page.textContent('.print-main');
    for (const o of order) if (o.text) assert.ok(text.includes(o.text), `${o.url}'s text is in print.html: ${o.text}`);
    // Every link inside the document lands on an element of it.
    const broken = await page.$$eval('a[href^="#"]', (as) => as.map((a) => a.getAttribute('href')).filter((h) => !document.getElementById(decodeURIComponent(h.slice(1)))));
    assert.deepEqual(broken, []);
    const tocLinks = await page.$$eval('.print-toc a', (as) => as.length);
    assert.equal(tocLinks, order.length);
    // No link leads to a page that is in the document.
    const pages = new Set(order.map((o) => o.url));
    const outward = await page.$$eval('.print-main a[href]:not([href^="#"])', (as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(outward.filter((h) => pages.has(h.split('#')[0])), []);
    // The student's copy: no answer shown anywhere.
    const answers = await page.$$eval('.print-main .answer', (a) => a.length);
    assert.ok(answers >= 31 + 9, `Q&A answers and case scoring points are in the document: ${answers}`);
    assert.equal(await page.$$eval('.print-main .answer', (as) => as.filter((a) => a.offsetParent !== null).length), 0);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.$$eval('.print-main .answer', (as) => as.filter((a) => a.offsetParent !== null).length), 0);
    await page.emulateMedia({ media: 'screen' });
    // The teacher's copy: every answer.
    await page.goto(base + 'print.html?teacher');
    assert.equal(await page.$$eval('.print-main .answer', (as) => as.filter((a) => a.offsetParent !== null).length), answers);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.$$eval('.print-main .answer', (as) => as.filter((a) => a.offsetParent !== null).length), answers);
    await page.emulateMedia({ media: 'screen' });
  }
  // Reached from the sidebar's tools, and print pages are not searchable.
  await page.goto(fileBase() + 'service-mindset/index.html');
  assert.equal(await page.getAttribute('.nav-extra a[href$="print.html"]', 'href'), '../print.html');
  await page.click('.print-links a');
  assert.match(page.url(), /print\/service-mindset\.html$/);
  const meta = JSON.stringify(fs.readdirSync(path.join(site, 'search')).map((f) => fs.readFileSync(path.join(site, 'search', f), 'utf8')).join('')).includes('print.html');
  assert.equal(meta, false, 'the search index never names print.html');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the PDF Chromium prints starts every chapter on a new sheet', { timeout: 180000 }, async () => {
  const { context, page } = await fresh();
  const dir = tempDir('lectern-pdf-');
  const pdfText = async (url, name) => {
    await page.goto(url);
    await page.emulateMedia({ media: 'print' });
    const file = path.join(dir, name);
    await page.pdf({ path: file, format: 'A4', printBackground: true });
    if (process.env.LECTERN_SCREENSHOTS) fs.copyFileSync(file, path.join(process.env.LECTERN_SCREENSHOTS, name));
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\f').filter((p, i, all) => i < all.length - 1 || p.trim());
  };
  const firstLine = (p) => p.split('\n').map((l) => l.trim()).find(Boolean) || '';
  await page.goto(fileBase() + 'print.html');
  const chapters = await page.$$eval('.print-chapter h1', (hs) => hs.map((h) => h.textContent.trim()));
  assert.equal(chapters.length, 9);
  const pages = await pdfText(fileBase() + 'print.html', 'course.pdf');
  assert.equal(firstLine(pages[0]), '客户服务实务', 'page 1: the cover');
  assert.equal(firstLine(pages[1]), '目录', 'page 2: the contents');
  const starts = pages.map(firstLine);
  let at = 2;
  for (const title of chapters) {
    const found = starts.indexOf(title, at);
    assert.ok(found >= at, `a page begins with ${title} (pages' first lines: ${starts.slice(at, at + 5).join(' | ')})`);
    at = found + 1;
  }
  assert.ok(pages.length > 9 + 2 + 20, `the whole course prints on many pages: ${pages.length}`);
  // A chapter's own print page: cover, contents, then the chapter.
  const one = await pdfText(fileBase() + 'print/handling-complaints.html?teacher', 'chapter.pdf');
  assert.equal(firstLine(one[0]), '客户服务实务');
  assert.equal(firstLine(one[2]), chapters[6]);
  assert.ok(one.join('').includes('参考答案'), 'the teacher\'s copy prints the answers');
  await context.close();
});

for (const [label, viewport] of [['desktop', { width: 1280, height: 900 }], ['360 px', { width: 360, height: 740 }]]) {
  for (const originName of ['file', 'http']) {
    test(`${originName}, ${label}: drill five cards, reload, the schedule is kept and the home page counts it`, { timeout: 60000 }, async () => {
      const { context, page, problems } = await fresh(viewport);
      const base = originName === 'file' ? fileBase() : httpBase();
      await page.goto(base + 'index.html');
      const before = await page.textContent('.drill-panel [data-drill-count=""]');
      const [, due0, total] = before.match(/(\d+) 张 \/ 共 (\d+) 张/).map(Number);
      assert.equal(due0, total, 'every card is due the first time');
      // From a Q&A page: its own cards only.
      await page.goto(base + 'handling-complaints/review.html');
      await page.click('.drill-link a');
      await page.waitForSelector('.drill-card:not([hidden])');
      const own = Number((await page.textContent('.drill-count')).match(/共 (\d+) 张/)[1]);
      assert.ok(own > 0 && own < total, `the page's cards: ${own}`);
      assert.ok((await page.getAttribute('.drill-card', 'data-card')).startsWith('handling-complaints/review.html#'));
      // From the home page: every chapter's.
      await page.goto(base + 'index.html');
      await page.click('.drill-panel a.button');
      await page.waitForSelector('.drill-card:not([hidden])');
      assert.match(await page.textContent('.drill-count'), new RegExp(`共 ${total} 张`));
      const graded = [];
      for (let i = 0; i < 5; i++) {
        const key = await page.getAttribute('.drill-card', 'data-card');
        assert.equal(await page.isVisible('.drill-answer'), false, 'the answer waits');
        if (i % 2 === 0) {
          await page.keyboard.press('Space');
          assert.ok(await page.isVisible('.drill-answer'));
          await page.keyboard.press(i === 0 ? '2' : '1');
        } else {
          await page.click('.drill-reveal');
          assert.equal(await page.getAttribute('.drill-reveal', 'aria-expanded'), 'true');
          await page.click('.drill-yes');
        }
        graded.push(key);
      }
      assert.equal(new Set(graded).size, 5, 'five different cards');
      if (label === '360 px') {
        assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 360), true, 'no sideways scrolling');
      }
      if (process.env.LECTERN_SCREENSHOTS && originName === 'http') {
        await page.keyboard.press('Space');
        await page.screenshot({ path: path.join(process.env.LECTERN_SCREENSHOTS, `drill-${viewport.width}.png`) });
      }
      await page.reload();
      await page.waitForSelector('.drill-card:not([hidden])');
      const after = await page.getAttribute('.drill-card', 'data-card');
      assert.ok(!graded.includes(after), 'a graded card is not due again today');
      const schedule = await page.evaluate(() => JSON.parse(localStorage.getItem('lectern:客户服务实务:drill')));
      assert.deepEqual(Object.keys(schedule).sort(), [...graded].sort());
      assert.equal(schedule[graded[0]].box, 1);
      assert.equal(schedule[graded[0]].lapses, 1);
      assert.equal(schedule[graded[1]].box, 1);
      await page.goto(base + 'index.html');
      const count = await page.textContent('.drill-panel [data-drill-count=""]');
      assert.match(count, new RegExp(`${total - 5} 张 / 共 ${total} 张`));
      assert.match(await page.textContent('.drill-panel [data-drill-count="handling-complaints"]'), /待复习 \d 张 \/ 共 \d 张/);
      if (process.env.LECTERN_SCREENSHOTS && originName === 'http') await page.screenshot({ path: path.join(process.env.LECTERN_SCREENSHOTS, `home-${viewport.width}.png`), fullPage: true });
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
}
