// The shipped course, built by the lectern binary, in Debian's Chromium:
// opened from disk (file://) and over HTTP, read through the sidebar and
// previous/next, in dark mode, at 360 px, printed, and crawled for broken
// links. Every visited page must log no console error and fail no request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch, buildSite, repoRoot, bothOrigins, openPage } from './lib.mjs';

let site; // folder of the built site
let browser;
let origins; // [{ name: 'file' | 'http', base }]
let closeServer;

before(async () => {
  site = buildSite(repoRoot);
  browser = await launch();
  ({ origins, close: closeServer } = await bothOrigins(site));
});

after(async () => {
  if (browser) await browser.close();
  if (closeServer) await closeServer();
  if (site) fs.rmSync(path.dirname(site), { recursive: true, force: true });
});

/** Every file of the built site, relative to its root with '/'. */
function siteFiles(dir = site, prefix = '') {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + e.name;
    if (e.isDirectory()) out.push(...siteFiles(path.join(dir, e.name), rel + '/'));
    else out.push(rel);
  }
  return out.sort();
}

/** The chapters of the shipped course: top-level folders of content/. */
const chapterCount = fs
  .readdirSync(path.join(repoRoot, 'content'), { withFileTypes: true })
  .filter((e) => e.isDirectory()).length;

/** The URL of every page of the shipped course's content/ (docs/format.md:
 * numeric prefixes dropped, .md → .html), drafts left out. */
function contentPageUrls(dir = path.join(repoRoot, 'content'), prefix = '') {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const name = e.name.replace(/^\d+[-_. ](?=.)/, '');
    if (e.isDirectory()) out.push(...contentPageUrls(path.join(dir, e.name), prefix + name + '/'));
    else if (e.name.endsWith('.md') && !/^---\n[\s\S]*?^draft:\s*true\s*$[\s\S]*?^---$/m.test(fs.readFileSync(path.join(dir, e.name), 'utf8'))) {
      out.push(prefix + name.replace(/\.md$/, '.html'));
    }
  }
  return out.sort();
}

/** The page's path relative to the site root, whatever the origin. */
function relPath(url, base) {
  return decodeURIComponent(new URL(url).pathname).slice(decodeURIComponent(new URL(base).pathname).length);
}

/** Clicks `locator` and waits for the page it leads to. */
async function follow(page, locator) {
  const from = page.url();
  await Promise.all([page.waitForURL((u) => u.href !== from), locator.click()]);
  await page.waitForLoadState('load');
}

/** Late errors (a favicon, a deferred script) arrive after `load`: wait a moment, then check. */
async function assertSettled(page, problems, where) {
  await page.waitForTimeout(500);
  assertClean(problems, where);
}

function assertClean(problems, where) {
  assert.deepEqual(problems, [], `console errors or failed requests ${where}`);
}

for (const originName of ['file', 'http']) {
  const originOf = () => origins.find((o) => o.name === originName);

  test(`${originName}: every chapter is reached through the sidebar`, async () => {
    const { base } = originOf();
    const { page, context, problems } = await openPage(browser, base + 'index.html');
    try {
      const chapters = await page.$$eval('#site-nav .nav-chapter > a', (as) => as.map((a) => a.textContent.trim()));
      assert.equal(chapters.length, chapterCount, `the sidebar lists ${chapterCount} chapters: ${chapters}`);
      for (let i = 0; i < chapters.length; i++) {
        const link = page.locator('#site-nav .nav-chapter > a').nth(i);
        await follow(page, link);
        assert.equal((await page.locator('main h1').first().textContent()).trim(), chapters[i], `chapter ${i + 1}'s page`);
        const current = await page.$eval('#site-nav [aria-current="page"]', (a) => a.textContent.trim());
        assert.equal(current, chapters[i], 'the sidebar marks the current chapter');
        assertClean(problems, `on ${page.url()}`);
      }
      await assertSettled(page, problems, `once ${page.url()} settled`);
    } finally {
      await context.close();
    }
  });

  test(`${originName}: previous/next walk the whole course, forward and back`, async () => {
    const { base } = originOf();
    const { page, context, problems } = await openPage(browser, base + 'index.html');
    try {
      const chapterUrls = await page.$$eval('#site-nav .nav-chapter > a', (as) => as.map((a) => a.href));
      const forward = [relPath(page.url(), base)];
      assert.equal(await page.locator('a[rel="prev"]').count(), 0, 'the home page has no previous page');
      while (await page.locator('a[rel="next"]').count()) {
        const title = (await page.locator('a[rel="next"] .pager-title').textContent()).trim();
        await follow(page, page.locator('a[rel="next"]'));
        assert.equal((await page.locator('main h1').first().textContent()).trim(), title, 'next leads to the page it names');
        // Clicking `prev` everywhere would double the walk; its target is checked here, and clicked below.
        const prev = await page.$eval('a[rel="prev"]', (a) => a.href);
        assert.equal(relPath(prev, base), forward[forward.length - 1], `prev of ${page.url()}`);
        forward.push(relPath(page.url(), base));
        assert.ok(forward.length < 500, 'next links loop');
        assertClean(problems, `on ${page.url()}`);
      }
      for (const c of chapterUrls) {
        assert.ok(forward.includes(relPath(c, base)), `next never reaches ${c}`);
      }
      assert.equal(new Set(forward).size, forward.length, 'no page is visited twice');
      assert.deepEqual([...forward].sort(), contentPageUrls(), 'next visits every page of content/');

      for (let i = forward.length - 2; i >= Math.max(0, forward.length - 4); i--) {
        await follow(page, page.locator('a[rel="prev"]'));
        assert.equal(relPath(page.url(), base), forward[i], 'clicking prev goes back one page');
      }
      assertClean(problems, 'while walking back');
      await assertSettled(page, problems, `once ${page.url()} settled`);
    } finally {
      await context.close();
    }
  });

  test(`${originName}: the dark-mode toggle works and is remembered`, async () => {
    const { base } = originOf();
    const { page, context, problems } = await openPage(browser, base + 'understanding-customer-service/index.html');
    try {
      const state = () =>
        page.evaluate(() => ({
          theme: document.documentElement.getAttribute('data-theme'),
          bg: getComputedStyle(document.body).backgroundColor,
          pressed: document.querySelector('.theme-toggle').getAttribute('aria-pressed'),
        }));
      const light = await state();
      assert.equal(light.pressed, 'false', 'light by default (the system is light)');
      await page.click('.theme-toggle');
      const dark = await state();
      assert.equal(dark.theme, 'dark');
      assert.equal(dark.pressed, 'true');
      assert.notEqual(dark.bg, light.bg, 'the page background changes');
      await page.reload();
      assert.deepEqual(await state(), dark, 'dark after a reload');
      await follow(page, page.locator('a[rel="next"]'));
      assert.equal((await state()).theme, 'dark', 'dark on the next page');
      await page.click('.theme-toggle');
      await page.reload();
      const back = await state();
      assert.equal(back.theme, 'light');
      assert.equal(back.bg, light.bg);
      assertClean(problems, 'while toggling dark mode');
      await assertSettled(page, problems, `once ${page.url()} settled`);
    } finally {
      await context.close();
    }
  });
}

test('dark mode follows the system until the reader chooses', async () => {
  const { base } = origins.find((o) => o.name === 'http');
  const bg = async (colorScheme) => {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await page.goto(base + 'index.html');
    const value = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await context.close();
    return value;
  };
  assert.notEqual(await bg('dark'), await bg('light'));
});

// Without a declared icon, Chromium asks an HTTP server for /favicon.ico and
// logs the 404 as a console error on every page; from disk it does not ask.
test('every page declares an icon, so no /favicon.ico is requested', () => {
  const missing = siteFiles()
    .filter((f) => f.endsWith('.html'))
    .filter((f) => !/<link[^>]+rel="(shortcut )?icon"/.test(fs.readFileSync(path.join(site, f), 'utf8')));
  assert.deepEqual(missing, [], 'pages without <link rel="icon">');
});

test('no link of any page is broken (crawl of every HTML file, from disk)', async () => {
  const base = pathToFileURL(site).href + '/';
  const pages = siteFiles().filter((f) => f.endsWith('.html'));
  assert.ok(pages.length > chapterCount * 3, `the site has its pages: ${pages.length}`);
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`${page.url()}: console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`${page.url()}: pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`${page.url()}: requestfailed: ${r.url()}`));
  const found = new Map(); // page → { links, ids }
  try {
    for (const rel of pages) {
      await page.goto(base + rel);
      found.set(rel, await page.evaluate(() => ({
        links: [...document.querySelectorAll('[href], [src]')].flatMap((el) =>
          ['href', 'src'].filter((a) => el.hasAttribute(a)).map((a) => ({ tag: el.tagName.toLowerCase(), value: el.getAttribute(a) }))),
        ids: [...document.querySelectorAll('[id]')].map((el) => el.id),
      })));
    }
    await page.waitForTimeout(500);
  } finally {
    await context.close();
  }
  const broken = [];
  for (const [rel, { links }] of found) {
    const pageUrl = new URL(rel, base);
    for (const { tag, value } of links) {
      const at = `${rel}: <${tag}> ${value}`;
      if (/^[a-z][a-z0-9+.-]*:/i.test(value) && !value.startsWith('file:')) continue; // https:, mailto:, data:, javascript:
      if (value.startsWith('/')) { broken.push(`${at}: absolute`); continue; }
      const target = new URL(value, pageUrl);
      const file = fileURLToPath(target);
      const targetRel = path.relative(site, file).split(path.sep).join('/');
      const [pathPart] = value.split(/[?#]/);
      if (pathPart && (pathPart.endsWith('/') || !/\.[a-z0-9]+$/i.test(pathPart))) { broken.push(`${at}: not a file name`); continue; }
      if (targetRel.startsWith('..')) { broken.push(`${at}: outside the site`); continue; }
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) { broken.push(`${at}: ${targetRel} does not exist`); continue; }
      const fragment = decodeURIComponent(target.hash.slice(1));
      if (fragment && targetRel.endsWith('.html')) {
        const ids = found.get(targetRel)?.ids ?? [];
        if (!ids.includes(fragment)) broken.push(`${at}: no id "${fragment}" in ${targetRel}`);
      }
    }
  }
  assert.deepEqual(broken, [], `${broken.length} broken link(s)`);
  assert.deepEqual(problems, [], 'console errors or failed requests while crawling');
});

test('at 360 px wide, pages do not overflow sideways', async () => {
  const { base } = origins.find((o) => o.name === 'http');
  const html = siteFiles().filter((f) => f.endsWith('.html'));
  const withTag = (re) => html.find((f) => re.test(fs.readFileSync(path.join(site, f), 'utf8')));
  const chosen = new Set([
    'index.html',
    'understanding-customer-service/index.html',
    'understanding-customer-service/customers.html',
    'understanding-customer-service/case-oriental-hotel.html',
    'understanding-customer-service/review.html',
    withTag(/<table/),
    withTag(/<pre/),
  ].filter(Boolean));
  assert.ok(chosen.size >= 6, [...chosen].join(', '));
  for (const rel of chosen) {
    const { page, context, problems } = await openPage(browser, base + rel, { width: 360, height: 740 });
    try {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `${rel} is ${width} px wide at a 360 px viewport`);
      const navRight = () => page.$eval('#site-nav', (n) => n.getBoundingClientRect().right);
      assert.ok(await page.isVisible('.nav-toggle'), `${rel}: the menu button is shown`);
      assert.ok((await navRight()) <= 0, `${rel}: the sidebar is folded away`);
      await page.click('.nav-toggle');
      await page.waitForFunction(() => document.getElementById('site-nav').getBoundingClientRect().left >= 0, null, { timeout: 2000 });
      assertClean(problems, `on ${rel}`);
      await assertSettled(page, problems, `once ${page.url()} settled`);
    } finally {
      await context.close();
    }
  }
});

test('printing hides the navigation and the answers; ?teacher opens every answer', async () => {
  for (const { name, base } of origins) {
    const qa = base + 'understanding-customer-service/review.html';
    const { page, context, problems } = await openPage(browser, qa);
    try {
      const shown = (sel) => page.$$eval(sel, (els) => els.filter((e) => getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0).length);
      assert.ok((await shown('details.reveal')) > 1, `${name}: the Q&A page has answer cards`);
      assert.equal(await page.$$eval('details.reveal[open]', (d) => d.length), 0, `${name}: answers start closed`);
      await page.emulateMedia({ media: 'print' });
      for (const sel of ['.site-header', '.site-nav', '.pager', '.breadcrumbs', '.toc']) {
        assert.equal(await shown(sel), 0, `${name}: ${sel} is hidden in print`);
      }
      assert.equal(await shown('details.reveal'), 0, `${name}: a student's printout has no answers`);
      assert.ok((await shown('.qa-question')) > 1, `${name}: the questions are printed`);

      await page.emulateMedia({ media: 'screen' });
      await page.goto(qa + '?teacher');
      const total = await page.$$eval('details.reveal', (d) => d.length);
      assert.equal(await page.$$eval('details.reveal[open]', (d) => d.length), total, `${name}: ?teacher opens all ${total} answers`);
      await page.emulateMedia({ media: 'print' });
      assert.equal(await shown('details.reveal'), total, `${name}: the teacher's printout has every answer`);
      assert.equal(await shown('.site-nav'), 0);
      assertClean(problems, `on ${qa}`);
      await assertSettled(page, problems, `once ${page.url()} settled`);
    } finally {
      await context.close();
    }
  }
});
