// The quiz runtime in Debian's Chromium, over file:// and over HTTP, on the
// fixture course tests/fixtures/quiz-browser (its bank lists the answers):
// practice and exam mode scores, answers and score kept across a reload, the
// 错题本 and its retry, the printed paper without answers, hostile question
// text that runs nothing, keyboard use and a 360 px screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { repoRoot, buildSite, launch, bothOrigins } from './lib.mjs';

const BANK = 'quizzes/01-basics.html';
let site, browser, origins, closeServer;

before(async () => {
  site = buildSite(path.join(repoRoot, 'tests/fixtures/quiz-browser'));
  browser = await launch();
  ({ origins, close: closeServer } = await bothOrigins(site));
});
after(async () => {
  await browser?.close();
  await closeServer?.();
});

/** A fresh browser profile (its own localStorage) with a page that records errors. */
async function fresh(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => d.accept());
  // Chromium asks an HTTP server for /favicon.ico on its own; that 404 is not the site's.
  await context.route('**/favicon.ico', (r) => r.fulfill({ status: 204, body: '' }));
  return { context, page, problems };
}

async function open(page, url) {
  await page.goto(url);
  await page.waitForSelector('[data-quiz-page][data-ready="true"]');
}

const q = (id) => `li.q[data-qid="${id}"]`;

/** Picks options by their original index (robust to shuffling). */
async function pick(page, id, ...indexes) {
  for (const i of indexes) await page.check(`${q(id)} input[value="${i}"]`);
}

async function answerAll(page, { single, multi, tf, fill, short, hostile, caseText }) {
  await pick(page, 'b-single', single);
  await pick(page, 'b-multi', ...multi);
  await page.check(`${q('b-tf')} input[value="${tf}"]`);
  const blanks = page.locator(`${q('b-fill')} input.q-blank`);
  await blanks.nth(0).fill(fill[0]);
  await blanks.nth(1).fill(fill[1]);
  await page.fill(`${q('b-short')} textarea`, short);
  await pick(page, 'b-hostile', hostile);
  await page.fill(`${q('b-case')} textarea`, caseText);
}

for (const originName of ['file', 'http']) {
  const base = () => origins.find((o) => o.name === originName).base;

  test(`${originName}: practice mode grades each question and totals the score`, async () => {
    const { context, page, problems } = await fresh();
    await open(page, base() + BANK);
    await answerAll(page, { single: 1, multi: [0], tf: 'true', fill: ['按部就班型', 'ＹＯＵ'], short: '态度热情', hostile: 0, caseText: '店长及时道歉了' });
    for (const id of ['b-single', 'b-multi', 'b-tf', 'b-fill', 'b-short', 'b-hostile', 'b-case']) {
      await page.click(`${q(id)} button[data-action="check"]`);
    }
    assert.match(await page.textContent(`${q('b-single')} .q-result`), /回答正确/);
    assert.match(await page.textContent(`${q('b-multi')} .q-result`), /部分正确 · 得分 1 \/ 2/);
    assert.match(await page.textContent(`${q('b-tf')} .q-result`), /回答错误/);
    assert.match(await page.textContent(`${q('b-fill')} .q-result`), /得分 1 \/ 2/);
    // The explanation opens with the verdict.
    assert.equal(await page.getAttribute(`${q('b-single')} details.q-solution`, 'open'), '');
    // Free answers: the suggested key points are ticked; the learner confirms.
    assert.deepEqual(await page.$$eval(`${q('b-short')} input.q-kp-box`, (b) => b.map((x) => x.checked)), [true, false]);
    await page.click(`${q('b-short')} button.q-confirm`);
    assert.match(await page.textContent(`${q('b-short')} .q-result`), /已确认得分 2 \/ 4/);
    await page.click(`${q('b-case')} button.q-confirm`);
    // 2 + 1 + 0 + 1 + 2 + 1 + 2 = 9 of 14.
    assert.match(await page.textContent('.quiz-score'), /得分 9 \/ 14（64\.3%）/);
    assert.match(await page.textContent('.quiz-verdict'), /及格/);
    // Results are announced in the live region.
    await page.waitForFunction(() => /得分/.test(document.querySelector('.quiz-live').textContent));
    assert.deepEqual(problems, []);
    await context.close();
  });

  test(`${originName}: exam mode grades at the end; answers and score survive a reload; retry wrong ones`, async () => {
    const { context, page, problems } = await fresh();
    await open(page, base() + BANK);
    await page.check('input[name="quiz-mode"][value="exam"]');
    assert.equal(await page.isVisible(`${q('b-single')} button[data-action="check"]`), false, 'no per-question check in exam mode');
    await answerAll(page, { single: 1, multi: [0, 2], tf: 'true', fill: ['按部就班型', '优质服务'], short: '要热情，帮助客户解决问题', hostile: 0, caseText: '及时道歉' });
    assert.equal(await page.isVisible(`${q('b-tf')} .q-result`), false, 'no feedback before submitting');
    await page.click('button[data-action="submit"]');
    // Everything right but the true/false question: 13 of 14.
    assert.match(await page.textContent('.quiz-score'), /得分 13 \/ 14（92\.9%）/);
    assert.match(await page.textContent(`${q('b-tf')} .q-result`), /回答错误/);

    await page.reload();
    await page.waitForSelector('[data-quiz-page][data-ready="true"]');
    assert.match(await page.textContent('.quiz-score'), /得分 13 \/ 14（92\.9%）/);
    assert.equal(await page.isChecked(`${q('b-single')} input[value="1"]`), true);
    assert.equal(await page.inputValue(`${q('b-short')} textarea`), '要热情，帮助客户解决问题');
    assert.match(await page.textContent('.quiz-record'), /最高 92\.9%/);

    await page.click('button[data-action="retry-wrong"]');
    assert.equal(await page.isVisible(q('b-single')), false, 'right answers are set aside');
    assert.equal(await page.isVisible(q('b-tf')), true);
    await page.check(`${q('b-tf')} input[value="false"]`);
    await page.click('button[data-action="submit"]');
    assert.match(await page.textContent('.quiz-score'), /得分 14 \/ 14（100%）/);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test(`${originName}: wrong answers land in the 错题本, and leave after two right retries`, async () => {
    const { context, page, problems } = await fresh();
    await open(page, base() + BANK);
    await page.check(`${q('b-tf')} input[value="true"]`);
    await page.click(`${q('b-tf')} button[data-action="check"]`);
    await pick(page, 'b-single', 1);
    await page.click(`${q('b-single')} button[data-action="check"]`);

    await open(page, base() + 'notebook.html');
    assert.deepEqual(await page.$$eval('.notebook-questions > li.q', (l) => l.map((x) => x.dataset.qid)), ['b-tf']);
    assert.match(await page.textContent('.notebook-count'), /共 1 道错题/);
    assert.match(await page.textContent(`${q('b-tf')} .nb-meta`), /基础练习/);
    await page.check(`${q('b-tf')} input[value="false"]`);
    await page.click(`${q('b-tf')} button[data-action="check"]`);
    assert.match(await page.textContent(`${q('b-tf')} .nb-info`), /再答对 1 次即移出/);
    await page.click(`${q('b-tf')} button.nb-again`);
    await page.check(`${q('b-tf')} input[value="false"]`);
    await page.click(`${q('b-tf')} button[data-action="check"]`);
    assert.match(await page.textContent(`${q('b-tf')} .nb-info`), /已移出错题本/);

    await page.reload();
    await page.waitForSelector('[data-quiz-page][data-ready="true"]');
    assert.equal(await page.isVisible('.notebook-empty'), true);
    // The home page's progress table counts what was tried.
    await page.goto(base() + 'index.html');
    await page.waitForSelector('[data-lectern-overview]:not([hidden])');
    assert.match(await page.textContent('[data-bank="01-basics"] .po-tried'), /^2 \/ 7$/);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test(`${originName}: question text with </script> and <img onerror> shows as text and runs nothing`, async () => {
    const { context, page, problems } = await fresh();
    await open(page, base() + BANK);
    const prompt = await page.textContent(`${q('b-hostile')} .q-prompt`);
    assert.match(prompt, /<\/script><script>window\.__pwned = 1<\/script><img src=x onerror="window\.__pwned = 2">/);
    assert.match(await page.textContent(`${q('b-hostile')} .q-options`), /<b onmouseover="window\.__pwned = 3">这个<\/b>/);
    await page.hover(`${q('b-hostile')} .q-option`);
    await pick(page, 'b-hostile', 1);
    await page.click(`${q('b-hostile')} button[data-action="check"]`);
    assert.equal(await page.$$eval(`${q('b-hostile')} a[href^="javascript"]`, (a) => a.length), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.$$eval(`${q('b-hostile')} img, ${q('b-hostile')} script`, (x) => x.length), 0);
    await open(page, base() + 'notebook.html');
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'nor on the notebook page');
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('the printed exam paper shows the questions and no answers', async () => {
  const { context, page } = await fresh();
  await page.goto(origins[0].base + 'exams/final-paper.html');
  await page.emulateMedia({ media: 'print' });
  const text = await page.innerText('body');
  assert.match(text, /期末测试/);
  assert.match(text, /一、单项选择题/);
  assert.match(text, /客户服务的核心是哪一层？/);
  assert.match(text, /总分 7 分/); // 2 × 3 + 1
  assert.doesNotMatch(text, /正确答案|答案与解析|价值服务是服务真正的/);
  assert.equal(await page.isVisible('.site-nav'), false);
  // The answer key has them.
  await page.goto(origins[0].base + 'exams/final-key.html');
  assert.match(await page.innerText('main'), /正确答案：B/);
  await context.close();
});

test('the exam page counts down once answering starts, and submits when time is up', async () => {
  const { context, page, problems } = await fresh();
  await open(page, origins[1].base + 'exams/final.html');
  assert.equal(await page.isVisible('.quiz-timer'), false);
  await page.check(`${q('b-tf')} input[value="false"]`);
  assert.match(await page.textContent('.quiz-timer'), /剩余时间 (30:00|29:5\d)/);
  // Move the deadline into the past and reload: the exam submits itself.
  await page.evaluate(() => {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k.endsWith(':page:final')) { const s = JSON.parse(localStorage.getItem(k)); s.deadline = Date.now() - 1000; localStorage.setItem(k, JSON.stringify(s)); }
    }
  });
  await page.reload();
  await page.waitForSelector('.quiz-summary:not([hidden])');
  assert.match(await page.textContent('.quiz-score'), /得分 1 \/ 7/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('keyboard only: choose an option, check it, read the verdict', async () => {
  const { context, page } = await fresh();
  await open(page, origins[0].base + BANK);
  await page.focus(`${q('b-tf')} input[value="true"]`);
  await page.keyboard.press('ArrowDown'); // radio groups move with the arrows
  assert.equal(await page.isChecked(`${q('b-tf')} input[value="false"]`), true);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.action), 'check');
  await page.keyboard.press('Enter');
  assert.match(await page.textContent(`${q('b-tf')} .q-result`), /回答正确/);
  await context.close();
});

test('usable 360 px wide: nothing overflows sideways', async () => {
  const { context, page } = await fresh({ width: 360, height: 740 });
  for (const url of [BANK, 'exams/final.html', 'exams/final-paper.html', 'notebook.html', 'index.html']) {
    await page.goto(origins[0].base + url);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `${url} is ${width}px wide`);
  }
  await context.close();
});
