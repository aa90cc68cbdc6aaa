// Search results by page in a real browser (Debian's Chromium through
// playwright-core), from disk (file://) and over HTTP, at 360 px and on a
// desktop: one entry per page with at most three of its sections under it
// (quiz questions under their bank's page), the kind filters of the results
// page with their counts and their place in the URL, "show more" paging
// through pages, synonyms from course.yaml ("也搜索了：…"), a Traditional
// Chinese query finding Simplified text, and the "N+" count of a common word
// answered from the head of its postings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, writeFiles, startFixture } from './lib.mjs';

/** More pages holding 星火 than the index keeps in a postings head (64),
 * so a query for it is answered from the head and only a lower bound of its
 * pages is known. */
const COMMON_PAGES = 80;

function writeCourse(dir) {
  const satisfaction = [
    '---\ntitle: 任务1 顾客满意度\n---\n',
    '顾客满意度是顾客对服务的感知与期望之比。\n',
    ...['测量', '公式', '调查', '指数', '改进', '报告'].map((h) => `## 顾客满意度${h}\n\n本节讨论顾客满意度的${h}，以及它与忠诚度的关系。\n`),
  ].join('\n');
  const files = {
    'course.yaml': 'title: 分组测试课程\nlanguage: zh-CN\nsearch:\n  synonyms:\n    - 蛋挞 蛋塔\n',
    'content/01-service/index.md': '---\ntitle: 项目一 服务\n---\n\n本项目介绍服务的基础知识。\n',
    'content/01-service/01-satisfaction.md': satisfaction,
    'content/01-service/02-bakery.md': '---\ntitle: 任务2 面包房\n---\n\n## 招牌点心\n\n这家面包房的蛋挞每天早上出炉，常常很快卖完；菜单上写作蛋塔。\n',
    'content/01-service/case-survey.md': '---\ntitle: 案例：一次满意度调查\nkind: case\n---\n\n某酒店每季度做一次顾客满意度调查，并把结果告诉每一位员工。\n',
    'content/01-service/review.md': '---\ntitle: 项目一 知识巩固\nkind: qa\n---\n\n## 怎样提高顾客满意度？\n\n先了解顾客的期望，再让感知超过期望。\n\n## 什么是服务？\n\n服务是为他人做事并让其受益的活动。\n',
    'quizzes/01-service.yaml': [
      'chapter: service', 'title: 项目一 练习题', 'questions:',
      ...[1, 2, 3, 4, 5].map((n) => `  - id: q-satisfaction-${n}\n    type: single\n    prompt: 关于顾客满意度的第${n}个说法，哪一项正确？\n    options: [甲, 乙]\n    answer: A`),
    ].join('\n') + '\n',
  };
  for (let n = 1; n <= COMMON_PAGES; n++) {
    const nn = String(n).padStart(2, '0');
    files[`content/02-spark/${nn}-part${nn}.md`] = `---\ntitle: 第${n}部分\n---\n\n第${n}部分也提到了星火计划。\n`;
  }
  // A page whose best section ranks first but whose other two rank below
  // twenty short pages: its group reaches hits the engine was not asked to
  // mark, which must still show (and be marked).
  const long = '这一段很长，讲的是航海的历史与港口的变迁。'.repeat(40);
  files['content/03-sea/index.md'] = '---\ntitle: 项目三 航海\n---\n\n本项目讲航海。\n';
  files['content/03-sea/01-voyage.md'] = `---\ntitle: 任务1 远航\n---\n\n## 灯塔\n\n灯塔指引船只。\n\n## 长篇一\n\n${long}夜里远处有灯塔。${long}\n\n## 长篇二\n\n${long}港口旁边有灯塔。${long}\n`;
  for (let n = 1; n <= 20; n++) {
    const nn = String(n).padStart(2, '0');
    files[`content/03-sea/${nn}-port${nn}.md`] = `---\ntitle: 港口${n}\n---\n\n灯塔。\n`;
  }
  files['content/02-spark/index.md'] = '---\ntitle: 项目二 计划\n---\n\n本项目列出许多部分。\n';
  writeFiles(dir, files);
}

let browser, origins, fixture;
before(async () => {
  fixture = await startFixture('lectern-search-groups-', writeCourse);
  ({ browser, origins } = fixture);
});
after(async () => {
  await fixture?.stop();
});

async function open(url, viewport) {
  const opened = await openPage(browser, url, viewport);
  opened.page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) opened.problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  opened.clean = () => opened.problems.filter((p) => !p.startsWith('console: Failed to load resource'));
  return opened;
}

/** The pages a result list shows, each with its sections. */
function readPages(page, listSelector) {
  return page.$$eval(`${listSelector} > .lectern-result`, (items) => items.map((li) => ({
    title: li.querySelector('.lectern-result__page .lectern-result__title').textContent,
    marked: [...li.querySelectorAll('.lectern-result__page .lectern-result__title mark')].map((m) => m.textContent),
    kind: li.querySelector('.lectern-result__kind').textContent,
    href: li.querySelector('.lectern-result__page a').getAttribute('href'),
    sections: [...li.querySelectorAll('.lectern-result__section')].map((s) => ({
      heading: s.querySelector('.lectern-result__heading').textContent,
      href: s.querySelector('a').getAttribute('href'),
      marked: [...s.querySelectorAll('.lectern-result__snippet mark')].map((m) => m.textContent),
    })),
  })));
}

async function searchBox(page, q) {
  await page.fill('#lectern-search-input', q);
  await page.waitForFunction((q) => {
    const panel = document.querySelector('.lectern-search__panel');
    return panel && !panel.hidden && panel.getAttribute('data-query') === q;
  }, q);
  return readPages(page, '.lectern-search__results');
}

/** Waits until the results page shows `q` (with `kind`, '' for all). */
function resultsShown(page, q, kind = '') {
  return page.waitForFunction(([q, kind]) => {
    const s = document.getElementById('lectern-search-page');
    return s.getAttribute('data-query') === q && s.getAttribute('data-kind') === kind;
  }, [q, kind]);
}

/** The filter buttons: [label without count, count text, pressed, disabled]. */
function filters(page) {
  return page.$$eval('.lectern-search-page__kind', (b) => b.map((x) => [
    x.firstChild.textContent.trim(), x.querySelector('.lectern-search-page__kind-count')?.textContent ?? '',
    x.getAttribute('aria-pressed'), x.disabled,
  ]));
}

/** Nothing wider than the window: no horizontal scrolling. */
async function assertNoOverflow(page, what) {
  const { scroll, width, wide } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
    wide: [...document.querySelectorAll('.lectern-result, .lectern-search-page__kind, .lectern-search__panel:not([hidden])')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5).length,
  }));
  assert.ok(scroll <= width, `${what}: the page scrolls sideways (${scroll} > ${width})`);
  assert.equal(wide, 0, `${what}: results or filters stick out of the window`);
}

const SATISFACTION = '顾客满意度';
const VIEWPORTS = { narrow: { width: 360, height: 740 }, desktop: { width: 1280, height: 900 } };

for (const originName of ['file', 'http']) {
  const origin = () => origins.find((o) => o.name === originName).base;
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    const where = `${originName}, ${size}`;

    // Proves the header box lists each page once, at most three sections under it,
    // quiz questions under their bank's page, and counts pages and sections.
    test(`${where}: the search box groups results by page`, async () => {
      const { page, context, clean } = await open(origin() + 'index.html', viewport);
      const pages = await searchBox(page, SATISFACTION);
      const titles = pages.map((p) => p.title);
      assert.equal(new Set(titles).size, titles.length, `each page once: ${titles}`);
      assert.deepEqual(new Set(titles), new Set(['任务1 顾客满意度', '案例：一次满意度调查', '项目一 知识巩固', '项目一 练习题']));
      assert.equal(titles[0], '任务1 顾客满意度', 'the teaching page whose title holds the query comes first');
      const lesson = pages[0];
      assert.equal(lesson.kind, '教材');
      assert.equal(lesson.sections.length, 3, 'six matching sections, three shown');
      for (const s of lesson.sections) {
        assert.match(s.heading, /^顾客满意度/);
        assert.match(s.href, /satisfaction\.html\?highlight=%E9%A1%BE.*#/, 'a section links to its anchor with the query');
      }
      const quiz = pages.find((p) => p.title === '项目一 练习题');
      assert.equal(quiz.kind, '习题');
      assert.equal(quiz.sections.length, 3, 'five matching questions, three shown under their bank');
      assert.ok(quiz.sections.every((s) => /^quizzes\/01-service\.html\?highlight=.*#q-/.test(s.href)), JSON.stringify(quiz.sections));
      assert.equal(pages.find((p) => p.kind === '案例').title, '案例：一次满意度调查');
      // 4 pages; sections: 1 + 6 (lesson), 1 (case), 1 (Q&A), 5 (questions) = 14.
      assert.equal(await page.textContent('.lectern-search__all'), '查看全部结果（4 个页面，14 处匹配）');
      await assertNoOverflow(page, 'search box');

      const [voyage] = await searchBox(page, '灯塔');
      assert.equal(voyage.title, '任务1 远航');
      assert.deepEqual(voyage.sections.map((s) => [s.heading, s.marked]), [['灯塔', ['灯塔']], ['长篇一', ['灯塔']], ['长篇二', ['灯塔']]]);
      assert.deepEqual(clean(), []);
      await context.close();
    });

    // Proves the kind filters show their counts, change the list and the URL,
    // survive a reload, and disable a kind known to have nothing.
    test(`${where}: kind filters on the results page`, async () => {
      const { page, context, clean } = await open(origin() + 'search.html?q=' + encodeURIComponent(SATISFACTION), viewport);
      await resultsShown(page, SATISFACTION);
      assert.deepEqual(await filters(page), [
        ['全部', '4', 'true', false], ['教材', '1', 'false', false], ['案例', '1', 'false', false],
        ['问答', '1', 'false', false], ['习题', '1', 'false', false],
      ]);
      assert.equal((await readPages(page, '.lectern-search-page__results')).length, 4);
      assert.match(await page.textContent('.lectern-search-page__status'), /^共找到 4 个页面，14 处匹配。/);
      await assertNoOverflow(page, 'results page');

      await page.click('.lectern-search-page__kind[data-kind="quiz"]');
      await resultsShown(page, SATISFACTION, 'quiz');
      let shown = await readPages(page, '.lectern-search-page__results');
      assert.deepEqual(shown.map((p) => [p.title, p.kind, p.sections.length]), [['项目一 练习题', '习题', 3]]);
      assert.match(await page.textContent('.lectern-search-page__status'), /^共找到 1 个页面，5 处匹配。/);
      assert.equal(new URL(page.url()).searchParams.get('kind'), 'quiz');
      assert.equal(await page.getAttribute('.lectern-search-page__kind[data-kind="quiz"]', 'aria-pressed'), 'true');
      assert.equal(await page.getAttribute('.lectern-search-page__kind[data-kind=""]', 'aria-pressed'), 'false');

      await page.reload();
      await resultsShown(page, SATISFACTION, 'quiz');
      shown = await readPages(page, '.lectern-search-page__results');
      assert.deepEqual(shown.map((p) => p.title), ['项目一 练习题'], 'the filter survives a reload');

      await page.click('.lectern-search-page__kind[data-kind=""]');
      await resultsShown(page, SATISFACTION, '');
      assert.equal(new URL(page.url()).searchParams.has('kind'), false);
      assert.equal((await readPages(page, '.lectern-search-page__results')).length, 4);

      // A query found only in teaching text: the other kinds are disabled.
      await page.fill('#lectern-search-page-input', '面包房');
      await page.press('#lectern-search-page-input', 'Enter');
      await resultsShown(page, '面包房');
      assert.deepEqual((await filters(page)).map((f) => [f[0], f[1], f[3]]), [
        ['全部', '1', false], ['教材', '1', false], ['案例', '0', true], ['问答', '0', true], ['习题', '0', true],
      ]);
      assert.equal(new URL(page.url()).searchParams.get('q'), '面包房');
      assert.deepEqual(clean(), []);
      await context.close();
    });

    // Proves a synonym group of course.yaml widens the query and the box says so.
    test(`${where}: synonyms are searched and named`, async () => {
      const { page, context, clean } = await open(origin() + 'index.html', viewport);
      const pages = await searchBox(page, '蛋塔');
      assert.deepEqual(pages.map((p) => p.title), ['任务2 面包房']);
      assert.equal(await page.textContent('.lectern-search__status'), '也搜索了：蛋挞');
      // The section holds both spellings: each is marked, not only the one that scored best.
      const marked = await page.$$eval('.lectern-search__results mark', (ms) => ms.map((m) => m.textContent));
      assert.deepEqual([...new Set(marked)].sort(), ['蛋塔', '蛋挞'], JSON.stringify(marked));
      assert.deepEqual(clean(), []);
      await context.close();
    });

    // Proves a Traditional Chinese query finds the Simplified text, page first.
    test(`${where}: a Traditional query finds Simplified text`, async () => {
      const { page, context, clean } = await open(origin() + 'index.html', viewport);
      const pages = await searchBox(page, '顧客滿意度');
      assert.equal(pages[0]?.title, '任务1 顾客满意度', JSON.stringify(pages.map((p) => p.title)));
      // Found as the whole word (folded), not as a partial match of its shared characters 意度.
      assert.deepEqual(pages[0].marked, ['顾客满意度']);
      assert.equal(await page.textContent('.lectern-search__status'), '', 'no "partial matches" note');
      assert.equal(pages.length, 4);
      assert.deepEqual(clean(), []);
      await context.close();
    });

    // Proves a word on more pages than a postings head shows "N+" pages, and
    // "show more" on the results page adds further pages, never a page twice.
    test(`${where}: N+ counts and paging through pages`, async () => {
      const { page, context, clean } = await open(origin() + 'index.html', viewport);
      const pages = await searchBox(page, '星火');
      assert.equal(pages.length, 5);
      assert.match(await page.textContent('.lectern-search__all'), /^查看全部结果（\d+\+ 个页面，80 处匹配）$/);

      await page.goto(origin() + 'search.html?q=' + encodeURIComponent('星火'));
      await resultsShown(page, '星火');
      assert.match(await page.textContent('.lectern-search-page__status'), /^共找到 \d+\+ 个页面，80 处匹配。/);
      assert.match((await filters(page))[0][1], /^\d+\+$/, 'the All count is a lower bound too');
      let titles = (await readPages(page, '.lectern-search-page__results')).map((p) => p.title);
      assert.equal(titles.length, 10);
      for (let round = 0; round < 10 && await page.isVisible('.lectern-search-page__more'); round++) {
        const before = titles.length;
        await page.click('.lectern-search-page__more');
        await page.waitForFunction((n) => document.querySelectorAll('.lectern-search-page__results > .lectern-result').length > n, before);
        titles = (await readPages(page, '.lectern-search-page__results')).map((p) => p.title);
      }
      assert.equal(titles.length, COMMON_PAGES, 'every page, after showing more');
      assert.equal(new Set(titles).size, titles.length, 'no page twice');
      assert.match(await page.textContent('.lectern-search-page__status'), new RegExp(`^共找到 ${COMMON_PAGES} 个页面，${COMMON_PAGES} 处匹配。`));
      assert.deepEqual(clean(), []);
      await context.close();
    });
  }
}
