// Sections of any depth in Debian's Chromium (issue 14): a lectern course
// whose chapter holds a section that holds a section. Over file:// and http,
// at 360 px and on a desktop: the sidebar shows the current branch open
// without any script having run, its fold toggles, the breadcrumbs name
// every level, previous/next go depth first, and a search result names the
// full path to a page three levels down.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, buildSite, repoRoot, bothOrigins, openPage } from './lib.mjs';

let site;
let browser;
let origins;
let closeServer;

before(async () => {
  site = buildSite(path.join(repoRoot, 'tests/fixtures/nested'));
  browser = await launch();
  ({ origins, close: closeServer } = await bothOrigins(site));
});

after(async () => {
  if (browser) await browser.close();
  if (closeServer) await closeServer();
});

const VIEWPORTS = [
  { name: 'phone', viewport: { width: 360, height: 740 } },
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
];

for (const { name: origin } of [{ name: 'file' }, { name: 'http' }]) {
  for (const { name, viewport } of VIEWPORTS) {
    test(`the tree three levels deep, ${origin}, ${name}`, async () => {
      const base = origins.find((o) => o.name === origin).base;
      const { page, context, problems } = await openPage(browser, base + 'basics/deep/deeper/bottom.html', viewport);
      try {
        if (viewport.width < 700) {
          await page.click('.nav-toggle');
          await page.waitForSelector('#site-nav', { state: 'visible' });
        }
        // The branch holding the page is open and its link is current.
        const current = page.locator('#site-nav a[aria-current="page"]');
        assert.equal(await current.textContent(), '最底层的页面');
        assert.ok(await current.isVisible(), 'the current page is visible in the sidebar');
        const open = await page.$$eval('#site-nav details.nav-branch', (ds) => ds.map((d) => [d.dataset.navBranch, d.open]));
        assert.deepEqual(open, [['basics/deep/index.html', true], ['basics/deep/deeper/index.html', true]]);

        // The fold closes and opens from its toggle (no script needed).
        const outer = page.locator('details[data-nav-branch="basics/deep/index.html"] > summary');
        await outer.click();
        assert.equal(await current.isVisible(), false, 'closing the section hides its pages');
        await outer.click();
        assert.ok(await current.isVisible());

        // Breadcrumbs through every level.
        const crumbs = await page.$$eval('.breadcrumbs li', (lis) => lis.map((li) => li.textContent.trim()));
        assert.deepEqual(crumbs, ['嵌套课程', '第一章 基础', '深入一层', '再深一层', '最底层的页面']);

        // Previous and next in reading order across levels (the menu
        // closed first on a phone, where it covers the page).
        if (viewport.width < 700) await page.keyboard.press('Escape');
        assert.equal(await page.textContent('.pager-prev .pager-title'), '再深一层');
        await page.click('.pager-next');
        await page.waitForURL(/after\.html$/);
        assert.equal(await page.textContent('main h1'), '章末小结');
        // Back at the chapter's level the sections are closed again.
        const closed = await page.$$eval('#site-nav details.nav-branch', (ds) => ds.map((d) => d.open));
        assert.deepEqual(closed, [false, false]);

        // No element of the main column is wider than the screen.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `page overflows by ${overflow}px`);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  test(`a search result names every level, ${origin}`, async () => {
    const base = origins.find((o) => o.name === origin).base;
    const { page, context, problems } = await openPage(browser, base + 'index.html');
    try {
      await page.fill('#lectern-search-input', 'zebrafinch');
      await page.waitForFunction(() => {
        const panel = document.querySelector('.lectern-search__panel');
        return panel && !panel.hidden && panel.getAttribute('data-query') === 'zebrafinch';
      });
      const crumbs = await page.$$eval('.lectern-search__results .lectern-result__crumbs', (c) => c.map((x) => x.textContent));
      // The page's own title is its result's title, not repeated in its breadcrumb.
      assert.deepEqual(crumbs.slice(0, 1), ['第一章 基础 › 深入一层 › 再深一层']);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}
