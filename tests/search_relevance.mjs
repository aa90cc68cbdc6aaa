// Relevance of lectern's search on the shipped course: for every query of
// tests/search_relevance.tsv, where the page a student expects comes among the
// distinct pages of the results (rank 1, top 3), with the browser's engine
// (search-engine.js as the site ships it) on the built index, in Node; with
// --browser, in Debian's Chromium instead: SITE_DIR/search.html opened from
// disk (file://), each query typed into its form, the pages read off the
// rendered results list (the whole path a student's search takes).
//
//   node tests/search_relevance.mjs SITE_DIR [--browser] [--json] [--min-rank1 0.9 --min-top3 0.97]
//
// Prints the misses and the rates; with --min-*, exits 1 below them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import vm from 'node:vm';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const site = args[0];
if (!site) { console.error('usage: node tests/search_relevance.mjs SITE_DIR [--json] [--min-rank1 R] [--min-top3 R]'); process.exit(2); }
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : null; };
const E = require(join(site, 'static/search-engine.js'));

export function readCases(file = fileURLToPath(new URL('./search_relevance.tsv', import.meta.url))) {
  return readFileSync(file, 'utf8').split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .slice(1)
    .map((l) => { const [q, expect, kind] = l.split('\t'); return { q, expect: expect.split('|'), kind }; });
}

function openIndex() {
  let last;
  globalThis.__lecternSearch = { register(kind, n, payload) { last = payload; } };
  const name = (kind, n) => (kind === 'meta' ? 'meta.js' : `${kind}-${n}.js`);
  return E.createIndex((kind, n) => {
    vm.runInThisContext(readFileSync(join(site, 'search', name(kind, n)), 'utf8'));
    return Promise.resolve(last);
  });
}

const pageOf = (url) => url.split('#')[0];

/* The first `n` distinct pages of a query's results: through the engine's
 * grouping when it has one (what the UI shows), else by first appearance. */
async function topPages(idx, q, n) {
  if (idx.searchPages) {
    const r = await idx.searchPages(q, n);
    const top = r.pages.slice(0, n);
    const stored = await idx.docs(top.map((p) => p.first));
    return stored.map((s) => pageOf(s[1]));
  }
  const r = await idx.search(q);
  const stored = await idx.docs(r.hits.map((h) => h.doc));
  const pages = [];
  for (const s of stored) {
    const p = pageOf(s[1]);
    if (!pages.includes(p)) pages.push(p);
    if (pages.length >= n) break;
  }
  return pages;
}

/* The results page in Chromium, over file://: `top(q, n)` submits q and
 * returns the first n pages its list shows, as paths from the site root. */
async function openResultsPage() {
  const { launch } = await import('./browser/lib.mjs');
  const browser = await launch();
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const base = pathToFileURL(site).href + '/';
  await page.goto(base + 'search.html');
  const top = async (q, n) => {
    await page.fill('#lectern-search-page-input', q);
    await page.press('#lectern-search-page-input', 'Enter');
    await page.waitForFunction((q) => document.getElementById('lectern-search-page').getAttribute('data-query') === q, q, { timeout: 5000 })
      .catch(async (e) => { throw new Error(`${q}: ${await page.textContent('.lectern-search-page__status')} ${page.url()} ${e.message}`); });
    const hrefs = await page.$$eval('.lectern-search-page__results > .lectern-result .lectern-result__page a', (a) => a.map((x) => x.href));
    if (errors.length) throw new Error(errors.join('; '));
    return hrefs.slice(0, n).map((h) => decodeURIComponent(new URL(h).pathname).slice(new URL(base).pathname.length));
  };
  return { top, close: () => browser.close() };
}

const cases = readCases();
const inBrowser = args.includes('--browser');
const idx = inBrowser ? null : openIndex();
const browserPage = inBrowser ? await openResultsPage() : null;
let rank1 = 0, top3 = 0;
const rows = [];
for (const c of cases) {
  const pages = inBrowser ? await browserPage.top(c.q, 3) : await topPages(idx, c.q, 3);
  const r1 = c.expect.includes(pages[0]);
  const t3 = pages.some((p) => c.expect.includes(p));
  rank1 += r1; top3 += t3;
  rows.push({ ...c, pages, r1, t3 });
}
await browserPage?.close();
const n = cases.length;
const summary = { where: inBrowser ? 'chromium, file://, search.html' : 'node', queries: n, rank1, top3, rank1Rate: rank1 / n, top3Rate: top3 / n };
if (args.includes('--json')) console.log(JSON.stringify({ summary, rows }, null, 1));
else {
  for (const r of rows) if (!r.r1) console.log(`${r.t3 ? 'top3' : 'MISS'}\t${r.kind}\t${r.q}\texpect ${r.expect[0]}\tgot ${r.pages.join(' , ')}`);
  console.log(`${summary.where}: rank-1 ${rank1}/${n} (${(100 * rank1 / n).toFixed(1)} %), top-3 ${top3}/${n} (${(100 * top3 / n).toFixed(1)} %)`);
}
const min1 = opt('--min-rank1'), min3 = opt('--min-top3');
if ((min1 !== null && rank1 / n < min1) || (min3 !== null && top3 / n < min3)) process.exit(1);
