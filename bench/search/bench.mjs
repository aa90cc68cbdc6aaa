// lectern vs Pagefind on one built site, in headless Debian Chromium.
//
//   node bench/search/bench.mjs perf SITE QUERIES_FILE          > perf.json
//   node bench/search/bench.mjs relevance SITE RELEVANCE_JSON   > relevance.json
//
// SITE is a lectern build on which `pagefind --site SITE --output-subdir pagefind`
// has been run. lectern is queried from file:// through the benchmark hooks,
// doing what the header's search box does: window.__lecternSearch.queryPages(
// text, 0, 5) (search grouped by page + the stored sections of those 5 pages'
// first section and up to 3 hits each; since issue 17), or, on a build from
// before it, .query(text, 0, 8) (search + stored sections of the first 8 hits). Pagefind is queried over a
// loopback HTTP server (it cannot load from file://) through its JS API:
// pagefind.search(text) then .data() of the first 8 results (what its UI
// needs to draw them).
//
// perf: for every query, a fresh browser context (empty cache) opens the home
// page and runs that one query: "first query" time, files and bytes loaded
// (lectern: sizes on disk of every script the search inserted; Pagefind: body
// sizes of every response under /pagefind/). Then one page per tool runs every
// query once (loading its index files) and times 100 queries cycling through
// the list: p50/p95.
//
// relevance: for each {q, expect: [page paths]} the rank (1-based) of the first
// result on an expected page, counted over distinct pages (lectern returns
// sections; several sections of one page count as one page) and, for lectern,
// also over raw results as the dropdown lists them.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';
import http from 'node:http';
import { launch } from '../../tests/browser/lib.mjs';

/** Static server on 127.0.0.1 with Content-Length and Cache-Control (as a real
 * host would send), so Pagefind's repeated fetches hit the browser cache. */
function serve(dir) {
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm' };
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(dir, path.normalize(rel).replace(/^(\.\.[/\\])+/, ''));
    let body;
    try { body = file.startsWith(dir) ? fs.readFileSync(file) : null; } catch { body = null; }
    if (!body) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream', 'content-length': body.length, 'cache-control': 'public, max-age=3600' });
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) })));
}

const [mode, siteArg, inputArg] = process.argv.slice(2);
if (!mode || !siteArg || !inputArg) {
  console.error('usage: bench.mjs perf|relevance SITE INPUT');
  process.exit(2);
}
const site = path.resolve(siteArg);
const N_DROPDOWN = 8;
/* The search box's query (see the top comment): what a build's search.js offers. */
const dropdownQuery = (q) => (window.__lecternSearch.queryPages ? window.__lecternSearch.queryPages(q, 0, 5) : window.__lecternSearch.query(q, 0, 8));
const percentile = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

/** Normalises a result URL to a path relative to the site root. */
function pagePath(url, base) {
  let u = url.split('#')[0].split('?')[0];
  if (base && u.startsWith(base)) u = u.slice(base.length);
  u = decodeURIComponent(u.replace(/^https?:\/\/[^/]+/, '')).replace(/^\/+/, '');
  if (u === '' || u.endsWith('/')) u += 'index.html';
  return u;
}

// ---- lectern (file://) ---------------------------------------------------------

const home = pathToFileURL(path.join(site, 'index.html')).href;
const siteBase = pathToFileURL(site).href + '/';

async function lecternPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__benchScripts = [];
    const append = Node.prototype.appendChild;
    Node.prototype.appendChild = function (child) {
      if (child.tagName === 'SCRIPT' && child.src) {
        const rec = { src: child.src, start: performance.now(), end: null };
        child.addEventListener('load', () => { rec.end = performance.now(); });
        window.__benchScripts.push(rec);
      }
      return append.call(this, child);
    };
  });
  await page.goto(home);
  await page.waitForFunction(() => window.__lecternSearch && window.__lecternSearch.query);
  return { page, context };
}

function fileBytes(src) {
  const p = decodeURIComponent(new URL(src).pathname);
  const raw = fs.readFileSync(p);
  return { raw: raw.length, gz: zlib.gzipSync(raw, { level: 6 }).length };
}

async function lecternCold(browser, q) {
  const { page, context } = await lecternPage(browser);
  const r = await page.evaluate(async ({ q, run }) => {
    const dropdownQuery = eval(run);
    const t0 = performance.now();
    const res = await dropdownQuery(q);
    return { ms: performance.now() - t0, hits: res.outcome.total, scripts: window.__benchScripts.map((r) => ({ src: r.src, start: r.start - t0, end: r.end - t0 })) };
  }, { q, run: dropdownQuery.toString() });
  await context.close();
  let raw = 0, gz = 0, fixed = 0;
  const loaded = [];
  // loaded: [file, bytes, ms from the query call to insertion, ms to its load event]
  for (const { src: s, start, end } of r.scripts) {
    const b = fileBytes(s);
    raw += b.raw; gz += b.gz;
    if (/search-engine\.js|\/meta\.js/.test(s)) fixed += b.raw;
    loaded.push([s.split('/').pop().split('?')[0], b.raw, Math.round(start), Math.round(end)]);
  }
  return { q, ms: r.ms, files: r.scripts.length, bytes: raw, gzBytes: gz, fixedBytes: fixed, hits: r.hits, loaded };
}

async function lecternWarm(browser, queries) {
  const { page, context } = await lecternPage(browser);
  const out = await page.evaluate(async ({ queries, run }) => {
    const dropdownQuery = eval(run);
    for (const q of queries) await dropdownQuery(q);
    const times = [];
    for (let i = 0; i < 100; i++) {
      const t0 = performance.now();
      await dropdownQuery(queries[i % queries.length]);
      times.push(performance.now() - t0);
    }
    return times;
  }, { queries, run: dropdownQuery.toString() });
  await context.close();
  return out;
}

async function lecternRank(browser, q, limit) {
  const { page, context } = await lecternPage(browser);
  const r = await page.evaluate(async ({ q, limit }) => {
    const res = await window.__lecternSearch.query(q, 0, limit);
    return { total: res.outcome.total, partial: !!res.outcome.partial, hrefs: res.items.map((i) => i.href), titles: res.items.map((i) => i.titleHtml.replace(/<[^>]+>/g, '')) };
  }, { q, limit });
  await context.close();
  return { ...r, pages: r.hrefs.map((h) => pagePath(new URL(h, home).href, siteBase)) };
}

// ---- Pagefind (http://127.0.0.1) -------------------------------------------------

async function pagefindPage(browser, base) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const responses = [];
  page.on('response', (resp) => {
    if (resp.url().includes('/pagefind/')) responses.push(resp.body().then((b) => ({ url: resp.url(), bytes: b.length })).catch(() => ({ url: resp.url(), bytes: 0 })));
  });
  await page.goto(base + 'index.html', { waitUntil: 'load' });
  return { page, context, responses };
}

const PF_QUERY = async ({ q, n, base }) => {
  const t0 = performance.now();
  if (!window.__pf) {
    window.__pf = await import(base + 'pagefind/pagefind.js');
    await window.__pf.init();
  }
  const s = await window.__pf.search(q);
  const data = await Promise.all(s.results.slice(0, n).map((r) => r.data()));
  return { ms: performance.now() - t0, hits: s.results.length, urls: data.map((d) => d.url), titles: data.map((d) => d.meta && d.meta.title) };
};

async function pagefindCold(browser, base, q) {
  const { page, context, responses } = await pagefindPage(browser, base);
  const r = await page.evaluate(PF_QUERY, { q, n: N_DROPDOWN, base });
  await page.waitForTimeout(50);
  const rs = await Promise.all(responses);
  await context.close();
  let bytes = 0, fixed = 0;
  for (const x of rs) {
    bytes += x.bytes;
    if (/pagefind\.js|\.wasm|entry\.json|\.pf_meta/.test(x.url)) fixed += x.bytes;
  }
  return { q, ms: r.ms, files: rs.length, bytes, gzBytes: bytes, fixedBytes: fixed, hits: r.hits, loaded: rs.map((x) => [x.url.split('/').pop(), x.bytes]) };
}

async function pagefindWarm(browser, base, queries) {
  const { page, context } = await pagefindPage(browser, base);
  const times = [];
  for (const q of queries) await page.evaluate(PF_QUERY, { q, n: N_DROPDOWN, base });
  const out = await page.evaluate(async ({ queries, n, base, src }) => {
    const f = eval('(' + src + ')');
    const times = [];
    for (let i = 0; i < 100; i++) times.push((await f({ q: queries[i % queries.length], n, base })).ms);
    return times;
  }, { queries, n: N_DROPDOWN, base, src: PF_QUERY.toString() });
  times.push(...out);
  await context.close();
  return times;
}

async function pagefindRank(browser, base, q, limit) {
  const { page, context } = await pagefindPage(browser, base);
  const r = await page.evaluate(PF_QUERY, { q, n: limit, base });
  await context.close();
  return { total: r.hits, pages: r.urls.map((u) => pagePath(u, null)), titles: r.titles };
}

// ---- main ----------------------------------------------------------------------

const browser = await launch();
const server = await serve(site);
const base = server.url;
try {
  if (mode === 'perf') {
    const queries = fs.readFileSync(inputArg, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
    const result = { site, queries, lectern: { cold: [] }, pagefind: { cold: [] } };
    // BENCH_TOOLS=lectern skips Pagefind (for quick reruns of lectern alone).
    const tools = (process.env.BENCH_TOOLS || 'lectern,pagefind').split(',');
    for (const q of queries) {
      result.lectern.cold.push(await lecternCold(browser, q));
      if (tools.includes('pagefind')) result.pagefind.cold.push(await pagefindCold(browser, base, q));
    }
    result.lectern.warm = await lecternWarm(browser, queries);
    if (tools.includes('pagefind')) result.pagefind.warm = await pagefindWarm(browser, base, queries);
    for (const tool of tools) {
      const t = result[tool];
      const colds = t.cold.map((r) => r.ms);
      t.summary = {
        firstMedian: percentile(colds, 0.5), firstMax: Math.max(...colds),
        bytesMedian: percentile(t.cold.map((r) => r.bytes), 0.5),
        gzBytesMedian: percentile(t.cold.map((r) => r.gzBytes), 0.5),
        bytesMax: Math.max(...t.cold.map((r) => r.bytes)),
        fixedBytes: percentile(t.cold.map((r) => r.fixedBytes), 0.5),
        filesMedian: percentile(t.cold.map((r) => r.files), 0.5),
        p50: percentile(t.warm, 0.5), p95: percentile(t.warm, 0.95), max: Math.max(...t.warm),
      };
    }
    console.log(JSON.stringify(result, null, 1));
  } else if (mode === 'relevance') {
    const cases = JSON.parse(fs.readFileSync(inputArg, 'utf8'));
    const LIMIT = 20;
    const rows = [];
    for (const c of cases) {
      const l = await lecternRank(browser, c.q, LIMIT);
      const p = await pagefindRank(browser, base, c.q, LIMIT);
      const rankIn = (pages) => {
        const distinct = [...new Set(pages)];
        const i = distinct.findIndex((pg) => c.expect.includes(pg));
        return i < 0 ? null : i + 1;
      };
      const rawRank = (() => { const i = l.pages.findIndex((pg) => c.expect.includes(pg)); return i < 0 ? null : i + 1; })();
      rows.push({
        q: c.q, expect: c.expect,
        lectern: { rank: rankIn(l.pages), rawRank, total: l.total, partial: l.partial, top: [...new Set(l.pages)].slice(0, 3), firstTitles: l.titles.slice(0, 3) },
        pagefind: { rank: rankIn(p.pages), total: p.total, top: [...new Set(p.pages)].slice(0, 3) },
      });
    }
    const rate = (k) => rows.filter((r) => r[k].rank !== null && r[k].rank <= 3).length;
    const rawRate = rows.filter((r) => r.lectern.rawRank !== null && r.lectern.rawRank <= 3).length;
    console.log(JSON.stringify({ site, rows, top3: { lectern: rate('lectern'), lecternRaw: rawRate, pagefind: rate('pagefind'), n: rows.length } }, null, 1));
  }
} finally {
  await browser.close();
  await server.close();
}
