// Numerical questions (计算题) and bank descriptions in Debian's Chromium,
// over file:// and HTTP, on tests/fixtures/quiz-numerical: a number typed
// the way people type it is graded, a partly right one earns its share,
// text that is not a number says so, the answer survives a reload, and the
// description shows inside the question it precedes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { repoRoot, buildSite, launch, bothOrigins } from './lib.mjs';

const BANK = 'quizzes/01-sums.html';
let site, browser, origins, closeServer;

before(async () => {
  site = buildSite(path.join(repoRoot, 'tests/fixtures/quiz-numerical'));
  browser = await launch();
  ({ origins, close: closeServer } = await bothOrigins(site));
});
after(async () => {
  await browser?.close();
  await closeServer?.();
});

const q = (id) => `li.q[data-qid="${id}"]`;

async function fresh(viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await context.route('**/favicon.ico', (r) => r.fulfill({ status: 204, body: '' }));
  return { context, page, problems };
}

async function open(page, url) {
  await page.goto(url);
  await page.waitForSelector('[data-quiz-page][data-ready="true"]');
}

for (const originName of ['file', 'http']) {
  const base = () => origins.find((o) => o.name === originName).base;

  for (const viewport of [{ width: 360, height: 740 }, { width: 1280, height: 900 }]) {
    test(`${originName}, ${viewport.width} px: numbers graded, partial share, not-a-number note, kept across a reload`, async () => {
      const { context, page, problems } = await fresh(viewport);
      await open(page, base() + BANK);
      // The description sits inside the first question's item, above its head.
      assert.equal((await page.textContent(`${q('n-total')} .q-description`)).trim(), '下面两题只填数字。');

      await page.fill(`${q('n-total')} input.q-number`, '３７,６');
      await page.click(`${q('n-total')} button[data-action="check"]`);
      assert.match(await page.textContent(`${q('n-total')} .q-result`), /回答正确 · 得分 2 \/ 2/);

      await page.fill(`${q('n-year')} input.q-number`, '一八二二');
      await page.click(`${q('n-year')} button[data-action="check"]`);
      const verdict = await page.textContent(`${q('n-year')} .q-result`);
      assert.match(verdict, /回答错误/);
      assert.match(verdict, /填写的不是数字/);
      assert.match(verdict, /正确答案：1822/);
      assert.equal(await page.getAttribute(`${q('n-year')} input.q-number`, 'class'), 'q-number is-wrong');

      // The typed number survives a reload, graded as before.
      await page.reload();
      await page.waitForSelector('[data-quiz-page][data-ready="true"]');
      assert.equal(await page.inputValue(`${q('n-total')} input.q-number`), '３７,６');
      assert.match(await page.textContent(`${q('n-total')} .q-result`), /得分 2 \/ 2/);

      // Nothing overflows sideways at 360 px.
      const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
      assert.equal(wide, false);
      assert.deepEqual(problems, []);
      await context.close();
    });
  }

  test(`${originName}: a partly right number earns its share`, async () => {
    const { context, page, problems } = await fresh({ width: 1280, height: 900 });
    await open(page, base() + BANK);
    await page.fill(`${q('n-total')} input.q-number`, '35');
    await page.click(`${q('n-total')} button[data-action="check"]`);
    const verdict = await page.textContent(`${q('n-total')} .q-result`);
    assert.match(verdict, /部分正确 · 得分 1 \/ 2/);
    assert.match(verdict, /正确答案：37\.5 ± 0\.5 \/ 30 – 40（50%）/);
    assert.deepEqual(problems, []);
    await context.close();
  });
}
