// Relevance of lectern's search on the shipped course: for every query of
// tests/search_relevance.tsv, where the page a student expects comes among the
// distinct pages of the results (rank 1, top 3), with the browser's engine
// (search-engine.js as the site ships it) on the built index, in Node.
//
//   node tests/search_relevance.mjs SITE_DIR [--json] [--min-rank1 0.9 --min-top3 0.97]
//
// Prints the misses and the rates; with --min-*, exits 1 below them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

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

const cases = readCases();
const idx = openIndex();
let rank1 = 0, top3 = 0;
const rows = [];
for (const c of cases) {
  const pages = await topPages(idx, c.q, 3);
  const r1 = c.expect.includes(pages[0]);
  const t3 = pages.some((p) => c.expect.includes(p));
  rank1 += r1; top3 += t3;
  rows.push({ ...c, pages, r1, t3 });
}
const n = cases.length;
const summary = { queries: n, rank1, top3, rank1Rate: rank1 / n, top3Rate: top3 / n };
if (args.includes('--json')) console.log(JSON.stringify({ summary, rows }, null, 1));
else {
  for (const r of rows) if (!r.r1) console.log(`${r.t3 ? 'top3' : 'MISS'}\t${r.kind}\t${r.q}\texpect ${r.expect[0]}\tgot ${r.pages.join(' , ')}`);
  console.log(`rank-1 ${rank1}/${n} (${(100 * rank1 / n).toFixed(1)} %), top-3 ${top3}/${n} (${(100 * top3 / n).toFixed(1)} %)`);
}
const min1 = opt('--min-rank1'), min3 = opt('--min-top3');
if ((min1 !== null && rank1 / n < min1) || (min3 !== null && top3 / n < min3)) process.exit(1);
