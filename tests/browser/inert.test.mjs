// Inert content (docs/security.md): a course whose every untrusted field
// holds script — titles, course.yaml, front matter (summary, objectives,
// tags, case question prompts and scoring points), Q&A questions, quiz
// prompts, options, feedback, explanations, key points, references, exam
// titles and instructions — is built and browsed in Debian's Chromium, over
// file:// and over HTTP, page by page, with the quizzes answered, the
// answers revealed, the 错题本 filled and the search run for the hostile text
// itself. Nothing may run: no payload records itself in window.__pwned,
// document.title never changes, no dialog opens, and no element of the page
// carries the payload as markup (an event handler, a script, a javascript:
// link). Each field's text must still be shown — as text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFiles, startFixture } from './lib.mjs';

/** Script in every form a field could smuggle it: an attribute break-out, a
 * closing tag for each raw-text context (<title>, <textarea>, <script> of JSON
 * data), an event handler, an SVG onload, a Markdown javascript: link, an HTML
 * javascript: link and an iframe. `PWNTEXT-<field>` at the end shows that the
 * field was displayed, as text. */
function hostile(field) {
  const rec = `(window.__pwned=window.__pwned||[]).push('${field}`;
  return `"'><img src=x onerror="${rec}-img');alert(1)">` +
    `</title></textarea></script><script>${rec}-script');document.title=String.fromCharCode(88,88)</script>` +
    `<svg onload="${rec}-svg')"></svg>` +
    ` [点我](javascript:${rec}-md')) ` +
    `<a href="javascript:${rec}-href')">链接</a> ` +
    `<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe> PWNTEXT-${field}`;
}

/** YAML's double-quoted scalars take JSON strings as they are. */
const y = (field) => JSON.stringify(hostile(field));

function writeCourse(dir) {
  const files = {
    'course.yaml': [
      `title: ${y('course-title')}`,
      `subtitle: ${y('course-subtitle')}`,
      `author: ${y('course-author')}`,
      `description: ${y('course-description')}`,
      '',
    ].join('\n'),
    'content/index.md': `---\ntitle: 首页\n---\n\n这门课程的每个字段都藏着脚本。\n`,
    'content/01-hostile/index.md': [
      '---',
      `title: ${y('chapter-title')}`,
      `summary: ${y('chapter-summary')}`,
      'hours: 2',
      'objectives:',
      '  knowledge:',
      `    - ${y('objective-knowledge')}`,
      '  skills:',
      `    - ${y('objective-skill')}`,
      '---',
      '',
      '本章的正文是作者可信的 Markdown，这里不放脚本。',
      '',
    ].join('\n'),
    'content/01-hostile/01-page.md': [
      '---',
      `title: ${y('page-title')}`,
      `summary: ${y('page-summary')}`,
      `tags: [${y('page-tag')}]`,
      '---',
      '',
      '## 普通小节',
      '',
      '正文没有脚本。',
      '',
    ].join('\n'),
    'content/01-hostile/case-shop.md': [
      '---',
      `title: ${y('case-title')}`,
      'kind: case',
      `summary: ${y('case-summary')}`,
      'questions:',
      `  - prompt: ${y('case-prompt')}`,
      '    points:',
      `      - ${y('case-point')}`,
      '---',
      '',
      '一位客人走进小店。',
      '',
    ].join('\n'),
    'content/01-hostile/review.md': [
      '---',
      `title: ${y('qa-title')}`,
      'kind: qa',
      '---',
      '',
      `## ${hostile('qa-question')}`,
      '',
      '参考答案是作者写的正文。',
      '',
    ].join('\n'),
    'quizzes/hostile.yaml': [
      'chapter: hostile',
      `title: ${y('bank-title')}`,
      'questions:',
      '  - id: h-single',
      '    type: single',
      `    prompt: ${y('single-prompt')}`,
      '    options:',
      `      - ${y('option-plain')}`,
      `      - text: ${y('option-text')}`,
      `        feedback: ${y('option-feedback')}`,
      '    answer: A',
      `    explanation: ${y('single-explanation')}`,
      `    tags: [${y('question-tag')}]`,
      '  - id: h-tf',
      '    type: true_false',
      `    prompt: ${y('tf-prompt')}`,
      '    answer: false',
      `    explanation: ${y('tf-explanation')}`,
      '  - id: h-fill',
      '    type: fill',
      `    prompt: ${JSON.stringify(hostile('fill-prompt') + ' 客户分为____客户和外部客户。')}`,
      '    answer: [内部]',
      '  - id: h-short',
      '    type: short',
      `    prompt: ${y('short-prompt')}`,
      '    key_points:',
      `      - text: ${y('key-point')}`,
      `        synonyms: [${y('key-point-synonym')}]`,
      `    reference: ${y('short-reference')}`,
      '  - id: h-case',
      '    type: case',
      '    case: hostile/case-shop',
      `    prompt: ${y('case-question-lead')}`,
      '    questions:',
      `      - prompt: ${y('case-sub-prompt')}`,
      `        key_points: [${y('case-key-point')}]`,
      '',
    ].join('\n'),
    'quizzes/exams/final.yaml': [
      `title: ${y('exam-title')}`,
      'seed: 7',
      `instructions: ${y('exam-instructions')}`,
      'sections:',
      `  - title: ${y('section-title')}`,
      `    instructions: ${y('section-instructions')}`,
      '    draw:',
      '      - { chapter: hostile, count: 5 }',
      '',
    ].join('\n'),
  };
  writeFiles(dir, files);
}

let browser, origins, fixture;
before(async () => {
  fixture = await startFixture('lectern-inert-course-', writeCourse);
  ({ browser, origins } = fixture);
});
after(async () => {
  await fixture?.stop();
});

/** A fresh profile whose dialogs are recorded (and dismissed), with the
 * page's own errors collected. */
async function fresh() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const dialogs = [];
  const errors = [];
  page.on('dialog', (d) => { dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => errors.push(e.message));
  await context.route('**/favicon.ico', (r) => r.fulfill({ status: 204, body: '' }));
  return { context, page, dialogs, errors };
}

/** Everything that would show that a payload ran, or could run on a click. */
async function evidence(page) {
  return page.evaluate(() => {
    const found = [];
    if (window.__pwned !== undefined) found.push(`window.__pwned = ${JSON.stringify(window.__pwned)}`);
    if (document.title === 'XX') found.push('document.title was changed');
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) {
        const v = a.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
        if (a.name.startsWith('on') && /pwned/.test(a.value)) found.push(`<${el.localName} ${a.name}="${a.value}">`);
        if ((a.name === 'href' || a.name === 'src' || a.name === 'action' || a.name === 'formaction') && v.startsWith('javascript:')) {
          found.push(`<${el.localName} ${a.name}="${a.value}">`);
        }
        if (a.name === 'srcdoc') found.push(`<${el.localName} srcdoc>`);
      }
      if (el.localName === 'script' && /pwned/.test(el.textContent) && !/^application\/json$/.test(el.type)) {
        found.push(`<script>${el.textContent.slice(0, 80)}</script>`);
      }
      if (el.localName === 'iframe') found.push('<iframe>');
    }
    return found;
  });
}

/** Opens `url`, waits for the scripts to settle, hovers and reveals what
 * can be revealed, and checks that nothing ran. Returns the page's text. */
async function visit(t, url) {
  const { page } = t;
  await page.goto(url);
  await page.waitForLoadState('load');
  if (await page.$('[data-quiz-page]')) await page.waitForSelector('[data-quiz-page][data-ready="true"]');
  // Open every <details> (answers, scoring points, solutions) and hover
  // over everything a mouse could reach.
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  // (A handler that did not fire would still be caught by `evidence`.)
  const reachable = page.locator('main :is(li, p, h1, h2, summary, label) >> visible=true');
  const n = Math.min(await reachable.count(), 20);
  for (let i = 0; i < n; i++) await reachable.nth(i).hover({ timeout: 500 }).catch(() => {});
  await page.waitForTimeout(200);
  assert.deepEqual(await evidence(page), [], `${url}: a payload is live`);
  assert.deepEqual(t.dialogs, [], `${url}: a dialog opened`);
  return page.evaluate(() => document.documentElement.textContent);
}

/** The fields each page shows; each must appear there as text. */
const SHOWN = {
  'index.html': ['course-title', 'course-subtitle', 'course-author', 'chapter-title', 'chapter-summary', 'objective-knowledge', 'objective-skill'],
  'hostile/index.html': ['chapter-title', 'objective-knowledge', 'objective-skill', 'page-title', 'page-summary', 'case-title', 'qa-title', 'bank-title'],
  'hostile/page.html': ['page-title', 'course-title'],
  'hostile/case-shop.html': ['case-title', 'case-prompt', 'case-point'],
  'hostile/review.html': ['qa-title', 'qa-question'],
  'quizzes/hostile.html': ['bank-title', 'single-prompt', 'option-plain', 'option-text', 'option-feedback', 'single-explanation', 'tf-prompt', 'tf-explanation', 'fill-prompt', 'short-prompt', 'key-point', 'short-reference', 'case-question-lead', 'case-sub-prompt', 'case-key-point'],
  'exams/final.html': ['exam-title', 'exam-instructions', 'section-title', 'section-instructions', 'single-prompt'],
  'exams/final-paper.html': ['exam-title', 'exam-instructions', 'section-title', 'single-prompt', 'option-text'],
  'exams/final-key.html': ['exam-title', 'single-explanation', 'key-point', 'short-reference'],
  '404.html': ['course-title'],
};

for (const originName of ['file', 'http']) {
  const base = () => origins.find((o) => o.name === originName).base;

  // Proves every page shows every hostile field as text and runs none of it.
  test(`${originName}: every page shows the hostile fields as text and runs nothing`, async () => {
    const t = await fresh();
    for (const [url, fields] of Object.entries(SHOWN)) {
      const text = await visit(t, base() + url);
      for (const f of fields) assert.ok(text.includes(`PWNTEXT-${f}`), `${url} does not show ${f}`);
      assert.ok(text.includes('<img src=x onerror='), `${url}: the markup reads as text`);
    }
    assert.deepEqual(t.errors, []);
    await t.context.close();
  });

  // Proves answering the quiz (feedback, explanations, key points revealed),
  // the 错题本 that re-renders those questions from data, and the home
  // page's progress table built from bank titles all stay inert.
  test(`${originName}: answering, the 错题本 and the progress table run nothing`, async () => {
    const t = await fresh();
    const { page } = t;
    await visit(t, base() + 'quizzes/hostile.html');
    await page.check('li.q[data-qid="h-single"] input[value="1"]');
    await page.click('li.q[data-qid="h-single"] button[data-action="check"]');
    await page.check('li.q[data-qid="h-tf"] input[value="true"]');
    await page.click('li.q[data-qid="h-tf"] button[data-action="check"]');
    await page.fill('li.q[data-qid="h-short"] textarea', 'onerror <img src=x onerror=alert(1)> script');
    await page.click('li.q[data-qid="h-short"] button[data-action="check"]');
    await page.fill('li.q[data-qid="h-fill"] input.q-blank', '<script>alert(1)</script>');
    await page.click('li.q[data-qid="h-fill"] button[data-action="check"]');
    assert.match(await page.textContent('li.q[data-qid="h-single"] .q-result'), /回答错误/);
    // Every link a learner could click in the revealed text goes nowhere harmful.
    for (const a of await page.$$('li.q a')) await a.click({ timeout: 1000 }).catch(() => {});
    assert.deepEqual(await evidence(page), []);
    let text = await visit(t, base() + 'notebook.html');
    await page.waitForSelector('.notebook-questions > li.q');
    for (const f of ['single-prompt', 'option-text', 'tf-prompt']) assert.ok(text.includes(`PWNTEXT-${f}`) || (await page.textContent('main')).includes(`PWNTEXT-${f}`), `the 错题本 shows ${f}`);
    assert.deepEqual(await evidence(page), []);
    text = await visit(t, base() + 'index.html');
    await page.waitForSelector('[data-lectern-overview]:not([hidden])');
    assert.ok((await page.textContent('[data-lectern-overview]')).includes('PWNTEXT-'), 'the progress table names the bank');
    assert.deepEqual(await evidence(page), []);
    assert.deepEqual(t.dialogs, []);
    assert.deepEqual(t.errors, []);
    await t.context.close();
  });

  // Proves searching for the hostile text itself lists it in titles and
  // snippets as text, on the header box and on the results page.
  test(`${originName}: search results for the hostile text are inert`, async () => {
    const t = await fresh();
    const { page } = t;
    await visit(t, base() + 'hostile/page.html');
    for (const q of ['onerror', 'pwned', 'script', 'PWNTEXT', '点我']) {
      await page.fill('#lectern-search-input', q);
      await page.waitForFunction((q) => {
        const panel = document.querySelector('.lectern-search__panel');
        return panel && !panel.hidden && panel.getAttribute('data-query') === q;
      }, q);
      const results = await page.$$eval('.lectern-search__results .lectern-result', (r) => r.length);
      assert.ok(results > 0, `${q}: no results`);
      assert.equal(await page.$$eval('.lectern-search__results img, .lectern-search__results svg, .lectern-search__results script, .lectern-search__results iframe', (x) => x.length), 0, `${q}: markup in the results`);
      await page.hover('.lectern-search__results .lectern-result');
      assert.deepEqual(await evidence(page), [], `${q}: a payload is live`);
    }
    const snippets = await page.$$eval('.lectern-search__results .lectern-result__snippet', (s) => s.map((x) => x.textContent).join(' '));
    assert.match(snippets, /点我/);
    const text = await visit(t, base() + 'search.html?q=' + encodeURIComponent('onerror'));
    await page.waitForFunction(() => document.getElementById('lectern-search-page').getAttribute('data-query') === 'onerror');
    assert.ok((await page.textContent('.lectern-search-page__results')).includes('<img src=x onerror='), 'snippets show the markup as text');
    assert.ok(text.length > 0);
    assert.deepEqual(await evidence(page), []);
    // A hostile ?highlight= (a crafted link) is shown as text, too.
    await visit(t, base() + 'hostile/page.html?highlight=' + encodeURIComponent('普通 <img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'));
    await page.waitForTimeout(300);
    assert.deepEqual(await evidence(page), []);
    assert.deepEqual(t.dialogs, []);
    assert.deepEqual(t.errors, []);
    await t.context.close();
  });
}
