// Accessibility of the shipped course, audited by axe-core in Debian's
// Chromium: every kind of page (home, chapter overview, section, case, Q&A,
// question bank, exam, printable paper, answer key, 错题本, search, 404), in
// light and dark mode, on a 390 px phone and on a desktop, must report no
// violation of WCAG 2.1 A/AA or of axe's best practices. Every content page
// and bank is audited once more on the desktop in light mode, so a table or
// link in one section cannot hide behind the sample; a bank answered and the
// exam submitted (feedback, explanations, key points shown) are audited in
// both modes. And at 360 px nothing inside the main column may be wider than
// the screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { launch, shippedSite, serve } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

let site;
let browser;
let server;

before(async () => {
  site = shippedSite();
  browser = await launch();
  server = await serve(site);
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
});

/** Every built page of the site, relative to its root with '/'. */
function htmlPages(dir = site, prefix = '') {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + e.name;
    if (e.isDirectory()) {
      if (e.name !== 'static') out.push(...htmlPages(path.join(dir, e.name), rel + '/'));
    } else if (e.name.endsWith('.html')) out.push(rel);
  }
  return out.sort();
}

/** The body class of a built page: its kind (page-chapter, page-case, …). */
function kindOf(rel) {
  const html = fs.readFileSync(path.join(site, rel), 'utf8');
  return (html.match(/<body class="([^"]*)"/) || [])[1] || '';
}

/** One page of each kind, found by the kind its body carries. */
function samplePages() {
  const pages = htmlPages();
  const first = (kind) => {
    const found = pages.find((p) => kindOf(p).split(/\s+/).includes(kind));
    assert.ok(found, `the shipped site has a page of kind ${kind}`);
    return found;
  };
  return {
    home: 'index.html',
    chapter: first('page-chapter'),
    section: first('page-section'),
    case: first('page-case'),
    qa: first('page-qa'),
    quiz: first('page-quiz'),
    exam: first('page-exam'),
    paper: first('page-paper'),
    key: first('page-answer-key'),
    notebook: 'notebook.html',
    search: 'search.html',
    404: '404.html',
    drill: 'drill.html',
    print: 'print.html',
    'print, teacher': 'print/handling-complaints.html?teacher',
  };
}

const MODES = [
  { name: 'light, desktop', colorScheme: 'light', viewport: { width: 1280, height: 900 } },
  { name: 'dark, desktop', colorScheme: 'dark', viewport: { width: 1280, height: 900 } },
  { name: 'light, 390 px', colorScheme: 'light', viewport: { width: 390, height: 844 } },
  { name: 'dark, 390 px', colorScheme: 'dark', viewport: { width: 390, height: 844 } },
];

/** Runs axe on `rel` and returns its violations, one line per element. */
async function audit(page, rel) {
  await page.goto(server.url + rel);
  await page.waitForLoadState('load');
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary.split('\n').slice(1, 2).join('').trim()}`) }));
  }, AXE_TAGS);
  return violations.flatMap((v) => v.nodes.map((n) => `${rel}: ${v.id} (${v.impact}) ${n}`));
}

for (const mode of MODES) {
  test(`axe: every kind of page, ${mode.name}: no violation`, async () => {
    const context = await browser.newContext({ viewport: mode.viewport, colorScheme: mode.colorScheme });
    const page = await context.newPage();
    const found = [];
    try {
      for (const [kind, rel] of Object.entries(samplePages())) {
        const v = await audit(page, rel);
        found.push(...v.map((line) => `[${kind}] ${line}`));
      }
    } finally {
      await context.close();
    }
    assert.deepEqual(found, [], `axe violations (${mode.name}):\n${found.join('\n')}`);
  });
}

/** Runs axe on the page as it stands (after clicks), like `audit`. */
async function auditHere(page, rel) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary.split('\n').slice(1, 2).join('').trim()}`) }));
  }, AXE_TAGS);
  return violations.flatMap((v) => v.nodes.map((n) => `${rel} (answered): ${v.id} (${v.impact}) ${n}`));
}

for (const colorScheme of ['light', 'dark']) {
  test(`axe: a bank answered and the exam submitted, ${colorScheme}: no violation`, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
    const page = await context.newPage();
    page.on('dialog', (d) => d.accept());
    const found = [];
    try {
      const { quiz, exam } = samplePages();
      await page.goto(server.url + quiz);
      // Pick the first option of every choice question, then check every question:
      // right and wrong feedback, explanations and key points all show.
      await page.evaluate(() => {
        document.querySelectorAll('.q').forEach((q) => {
          const first = q.querySelector('input[type="radio"], input[type="checkbox"]');
          if (first) first.click();
        });
        document.querySelectorAll('button[data-action="check"]').forEach((b) => b.click());
      });
      const graded = () => page.$$eval('.q-result', (els) => els.filter((e) => e.textContent.trim() !== '').length);
      assert.ok((await graded()) >= 10, 'the bank shows its feedback');
      found.push(...(await auditHere(page, quiz)));
      await page.goto(server.url + exam);
      await page.click('button[data-action="submit"]');
      await page.waitForTimeout(200);
      assert.ok((await graded()) >= 40, 'the exam shows its feedback');
      found.push(...(await auditHere(page, exam)));
    } finally {
      await context.close();
    }
    assert.deepEqual(found, [], `axe violations (${colorScheme}):\n${found.join('\n')}`);
  });
}

test('axe: every page of the course, light, desktop: no violation', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  const found = [];
  try {
    for (const rel of htmlPages()) found.push(...(await audit(page, rel)));
  } finally {
    await context.close();
  }
  assert.deepEqual(found, [], `axe violations:\n${found.join('\n')}`);
});

/** Elements inside the main column wider than the screen, or whose content
 * spills out of their own box (a table cell's text or bar running over the
 * next column). Content inside a horizontally scrolling box (a wide table's
 * wrapper, a code block) may be wider than the screen; the box itself may
 * not, and nothing inside it may spill out of its own box either. */
async function overflowing(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const main = document.querySelector('main') || document.body;
    const out = [];
    const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
    const walk = (el, insideScroller) => {
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') return;
      const r = el.getBoundingClientRect();
      const name = el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + (el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : '');
      const text = (el.textContent || '').trim().slice(0, 30);
      if (!insideScroller && r.width > 0 && (r.right > width + 1 || r.left < -1)) {
        out.push(`${name} spans ${Math.round(r.left)}–${Math.round(r.right)} px of ${width}: “${text}”`);
      } else if (!scrolls(el) && !['hidden', 'clip'].includes(style.overflowX) && style.display !== 'inline'
        && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
        out.push(`${name}'s content is ${el.scrollWidth} px wide in its ${el.clientWidth} px box: “${text}”`);
      }
      for (const child of el.children) walk(child, insideScroller || scrolls(el));
    };
    for (const child of main.children) walk(child, false);
    return out;
  });
}

test('360 px: nothing in the main column is wider than the screen, on any page', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const found = [];
  try {
    for (const rel of htmlPages()) {
      await page.goto(server.url + rel);
      await page.waitForLoadState('load');
      found.push(...(await overflowing(page)).map((line) => `${rel}: ${line}`));
    }
  } finally {
    await context.close();
  }
  assert.deepEqual(found, [], `too wide at 360 px:\n${found.join('\n')}`);
});
