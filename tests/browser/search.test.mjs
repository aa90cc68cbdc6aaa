// Search in a real browser (Debian's Chromium through playwright-core), on a
// small purpose-built course, from disk (file://) and over HTTP: Chinese
// queries of 1, 2, 4 and 6 characters, English, mixed, no result; snippets
// highlighted and escaped; keyboard navigation; a result opening at its
// section with the query highlighted; the full results page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildSite, openPage, tempDir, writeFiles, startFixture } from './lib.mjs';

/** The fixture course: each page exists to be found by one of the queries below. */
function writeCourse(dir, { searchEnabled = true } = {}) {
  const files = {
    'course.yaml': `title: 搜索测试课程\nlanguage: zh-CN\n${searchEnabled ? '' : 'search:\n  enabled: false\n'}`,
    'content/01-customers/index.md': '---\ntitle: 项目一 认识客户\n---\n\n本项目介绍客户的内涵与分类，是后续学习的基础。\n',
    'content/01-customers/01-types.md': [
      '---\ntitle: 任务1 客户的类型\n---\n',
      '做客户服务，第一步是弄清“客户”到底是谁。\n',
      '## 客户的分类\n\n按来源可以分为内部客户和外部客户。内部客户是企业内部接受本岗位服务的同事。\n',
      '## 忠诚客户\n\n忠诚客户是企业生存的基石，培养忠诚客户也是客户服务的最终目标。\n',
      // A long section whose only rare phrase sits deep inside: the snippet must move to it,
      // and opening the result must scroll to it.
      '## 长篇说明\n\n' + '前言部分讨论了许多与本节无关的内容。'.repeat(60) + '这里提到了稀有的词语：琥珀色的灯塔。' + '后记部分同样很长。'.repeat(60) + '\n',
      '## 网页安全\n\n在网页中写 `<script>alert(1)</script>` 这样的标签是危险的。\n',
    ].join('\n'),
    'content/01-customers/02-service.md': [
      '---\ntitle: 任务2 客户服务的类型\n---\n',
      '## 优质服务型\n\n优质服务型的企业会使用客户关系管理（Customer Relationship Management，CRM）系统记录每一位客户的需求。\n',
      '## 漠不关心型\n\n漠不关心型的服务既不讲程序，也不关心客户的感受。\n',
    ].join('\n'),
    'content/01-customers/case-hotel.md': '---\ntitle: 案例：东方饭店的优质服务\nkind: case\nquestions:\n  - prompt: 东方饭店靠什么留住客人？\n    points:\n      - 个性化服务：记住客人的姓名和喜好\n---\n\n余先生第三次入住东方饭店，服务员一眼就认出了他，并叫出了他的名字。这种个性化服务令他非常感动。\n',
    'content/01-customers/review.md': '---\ntitle: 项目一 知识巩固\nkind: qa\n---\n\n## 什么是客户服务？\n\n客户服务是企业在适当的时间和地点，以适当的方式为客户提供产品或服务，满足客户需求的过程。\n',
    'content/02-complaints/index.md': '---\ntitle: 项目二 处理投诉\n---\n\n## 投诉处理的六个步骤\n\n第一步是倾听，第二步是道歉，然后分析原因、提出方案、执行方案并跟踪回访。\n\n## 服务补救\n\n服务补救是在服务失误发生后，企业针对客户的抱怨所采取的行动。\n',
    'content/02-complaints/01-english.md': '---\ntitle: Handling complaints in English\n---\n\n## Listening first\n\nListen to the customer before you answer. Customers expect empathy and a quick reply.\n',
  };
  writeFiles(dir, files);
}

let browser, site, origins, fixture;
before(async () => {
  fixture = await startFixture('lectern-search-course-', writeCourse);
  ({ browser, site, origins } = fixture);
});
after(async () => {
  await fixture?.stop();
});

/** Opens a page, recording which URL answered with an error status: the
 * console only says "Failed to load resource", and over HTTP that includes
 * Chromium's own request for /favicon.ico, which is not the site's doing.
 * (Missing files under file:// show up as failed requests.) */
async function open(url) {
  const opened = await openPage(browser, url);
  opened.page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) opened.problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  opened.clean = () => opened.problems.filter((p) => !p.startsWith('console: Failed to load resource'));
  return opened;
}

/** Types a query into the header box and waits until the panel shows its
 * results: the pages listed, each with its sections. */
async function searchFor(page, q) {
  await page.fill('#lectern-search-input', q);
  await page.waitForFunction((q) => {
    const panel = document.querySelector('.lectern-search__panel');
    return panel && !panel.hidden && panel.getAttribute('data-query') === q;
  }, q);
  return page.$$eval('.lectern-search__results > .lectern-result', (items) => items.map((li) => ({
    title: li.querySelector('.lectern-result__title').textContent,
    kind: li.querySelector('.lectern-result__kind').textContent,
    crumbs: li.querySelector('.lectern-result__page .lectern-result__crumbs')?.textContent ?? '',
    snippet: li.querySelector('.lectern-result__page .lectern-result__snippet')?.innerHTML ?? '',
    href: li.querySelector('.lectern-result__page a').getAttribute('href'),
    sections: [...li.querySelectorAll('.lectern-result__section')].map((s) => ({
      heading: s.querySelector('.lectern-result__heading').textContent,
      snippet: s.querySelector('.lectern-result__snippet')?.innerHTML ?? '',
      href: s.querySelector('a').getAttribute('href'),
    })),
  })));
}

/** [query, page title or section heading expected among the top three pages, the page's kind label]. */
const EXPECTED = [
  ['诉', '投诉处理的六个步骤', '教材'],            // one character
  ['投诉', '投诉处理的六个步骤', '教材'],          // two
  ['忠诚客户', '忠诚客户', '教材'],                // four
  ['客户关系管理', '优质服务型', '教材'],          // six
  ['empathy', 'Listening first', '教材'],          // an English word
  ['Custom', 'Listening first', '教材'],           // an English prefix
  ['CRM系统', '优质服务型', '教材'],              // mixed
  ['个性化服务', '案例：东方饭店的优质服务', '案例'], // a case study
  ['什么是客户服务', '什么是客户服务？', '问答'],   // a Q&A entry
];

for (const originName of ['file', 'http']) {
  const origin = () => origins.find((o) => o.name === originName).base;

  // Proves each kind of query finds its named page among the top results, and a query with no match says so.
  test(`${originName}: queries find their pages`, async () => {
    const { page, context, clean } = await open(origin() + 'customers/types.html');
    for (const [q, title, kind] of EXPECTED) {
      const results = await searchFor(page, q);
      const top = results.slice(0, 3);
      const names = (r) => [r.title, ...r.sections.map((s) => s.heading)];
      const found = top.find((r) => names(r).includes(title));
      assert.ok(found, `${q}: top 3 are ${JSON.stringify(top.map(names))}, expected ${title}`);
      assert.equal(found.kind, kind, `${q}: kind`);
    }
    const none = await searchFor(page, '量子纠缠');
    assert.equal(none.length, 0);
    assert.match(await page.textContent('.lectern-search__status'), /没有找到与“量子纠缠”相关的内容/);
    assert.deepEqual(clean(), []);
    await context.close();
  });

  // Proves snippets move to the match deep inside a long section, mark it, and escape the section's text.
  test(`${originName}: snippets are highlighted and escaped`, async () => {
    const { page, context, clean } = await open(origin() + 'index.html');
    const [deepPage] = await searchFor(page, '琥珀色的灯塔');
    assert.equal(deepPage.title, '任务1 客户的类型');
    assert.equal(deepPage.crumbs, '项目一 认识客户');
    const [deep] = deepPage.sections;
    assert.equal(deep.heading, '长篇说明');
    assert.match(deep.snippet, /^….*<mark>琥珀色的灯塔<\/mark>.*…$/);
    const [unsafe] = (await searchFor(page, 'alert'))[0].sections;
    assert.match(unsafe.snippet, /&lt;script&gt;<mark>alert<\/mark>\(1\)&lt;\/script&gt;/);
    assert.equal(await page.$$eval('.lectern-search__results script', (s) => s.length), 0);
    // A partial match says it is one.
    await searchFor(page, '客户满意度');
    assert.match(await page.textContent('.lectern-search__status'), /没有完全匹配的结果/);
    assert.deepEqual(clean(), []);
    await context.close();
  });

  // Proves `/` focuses the box, arrows move through results (wrapping), Enter opens the
  // chosen result at its section, and the page highlights the query there.
  test(`${originName}: keyboard navigation opens a result at its section`, async () => {
    const { page, context, clean } = await open(origin() + 'complaints/english.html');
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'lectern-search-input');
    await page.keyboard.type('长篇说明');
    await page.waitForFunction(() => document.querySelector('.lectern-search__panel').getAttribute('data-query') === '长篇说明');
    // The options are the pages and, under each, its sections, in reading order.
    const options = () => page.$$eval('.lectern-search__results [role="option"]', (o) => o.map((x) => ({
      id: x.id, selected: x.getAttribute('aria-selected'), section: x.classList.contains('lectern-result__section'),
      name: (x.querySelector('.lectern-result__title') || x.querySelector('.lectern-result__heading')).textContent,
    })));
    const selected = async () => (await options()).findIndex((o) => o.selected === 'true');
    const all = await options();
    assert.deepEqual(all.slice(0, 2).map((o) => [o.name, o.section]), [['任务1 客户的类型', false], ['长篇说明', true]]);
    assert.equal(new Set(all.map((o) => o.id)).size, all.length, 'option ids are unique');
    await page.keyboard.press('ArrowDown');
    assert.equal(await selected(), 0);
    await page.keyboard.press('ArrowUp');
    assert.equal(await selected(), all.length - 1, 'ArrowUp from the first result wraps to the last');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await selected(), 1, 'the page\'s section comes right after it');
    const activedescendant = await page.getAttribute('#lectern-search-input', 'aria-activedescendant');
    assert.equal(activedescendant, all[1].id);
    await Promise.all([page.waitForURL(/types\.html\?highlight=/), page.keyboard.press('Enter')]);
    assert.equal(decodeURIComponent(new URL(page.url()).hash), '#长篇说明');
    await page.waitForSelector('mark.lectern-highlight');
    assert.deepEqual(await page.$$eval('mark.lectern-highlight', (m) => m.map((x) => x.textContent)), ['长篇说明']);
    const inView = await page.evaluate(() => {
      const r = document.getElementById('长篇说明').getBoundingClientRect();
      return r.bottom > 0 && r.top < window.innerHeight;
    });
    assert.ok(inView, 'the section heading is scrolled into view');
    // Escape closes the panel; the highlight bar clears the marks.
    await page.click('.lectern-highlight-bar__clear');
    assert.equal(await page.$$eval('mark.lectern-highlight', (m) => m.length), 0);
    assert.deepEqual(clean(), []);
    await context.close();
  });

  // Proves a result deep in a long section opens with the match highlighted and scrolled to.
  test(`${originName}: the opened page highlights the query in the text`, async () => {
    const { page, context, clean } = await open(origin() + 'index.html');
    const [deep] = (await searchFor(page, '琥珀色的灯塔'))[0].sections;
    await Promise.all([page.waitForURL(/highlight=/), page.click('.lectern-result__section a')]);
    await page.waitForSelector('mark.lectern-highlight');
    const marks = await page.$$eval('mark.lectern-highlight', (m) => m.map((x) => x.textContent));
    assert.deepEqual(marks, ['琥珀色的灯塔']);
    assert.ok(deep.href.includes('#'), 'the result links to its section anchor');
    assert.deepEqual(clean(), []);
    await context.close();
  });

  // Proves the full results page runs the query from ?q= and lists every page once.
  test(`${originName}: the results page lists all results`, async () => {
    const { page, context, clean } = await open(origin() + 'search.html?q=' + encodeURIComponent('客户'));
    await page.waitForFunction(() => document.getElementById('lectern-search-page').getAttribute('data-query') === '客户');
    const titles = await page.$$eval('.lectern-search-page__results > .lectern-result .lectern-result__title', (t) => t.map((x) => x.textContent));
    assert.ok(titles.length >= 5, `only ${titles.length} pages`);
    assert.equal(new Set(titles).size, titles.length, 'each page once');
    assert.match(await page.textContent('.lectern-search-page__status'), new RegExp(`共找到 ${titles.length} 个页面，\\d+ 处匹配`));
    assert.equal(await page.inputValue('#lectern-search-page-input'), '客户');
    assert.deepEqual(clean(), []);
    await context.close();
  });
}

// Proves `search: enabled: false` leaves out the index, the box and the scripts.
test('search can be turned off in course.yaml', () => {
  const course = tempDir('lectern-search-off-');
  writeCourse(course, { searchEnabled: false });
  const off = buildSite(course);
  assert.equal(fs.existsSync(path.join(off, 'search')), false);
  const html = fs.readFileSync(path.join(off, 'index.html'), 'utf8');
  assert.equal(html.includes('lectern-search'), false);
  assert.equal(html.includes('search.js'), false);
});
