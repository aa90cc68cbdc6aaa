// Search benchmark on a built lectern site, in headless Chromium from file://:
// index size, the first query of a fresh page (engine, meta and shard loads
// included) with the bytes it loaded, then p50/p95 over 100 warm queries.
//
//   node bench/search_bench.mjs [SITE_DIR] [QUERIES_FILE]
//
// SITE_DIR defaults to the shipped course, built into a temporary folder.
// QUERIES_FILE has one query per line (default: a Chinese set for the course).
// Prints a Markdown table for bench/RESULTS.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, shippedSite } from '../tests/browser/lib.mjs';

const site = process.argv[2] ? path.resolve(process.argv[2]) : shippedSite();
const queries = process.argv[3]
  ? fs.readFileSync(process.argv[3], 'utf8').split('\n').map((l) => l.trim()).filter(Boolean)
  : ['客户', '忠诚客户', '投诉处理', '服务补救', '客户满意度', '客户关系管理', 'SMART', '首问负责制', '诉', 'CRM系统'];

function dirBytes(dir) {
  return fs.readdirSync(dir).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0);
}
const kb = (b) => (b / 1024).toFixed(1);
const percentile = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

const browser = await launch();
const home = pathToFileURL(path.join(site, 'index.html')).href;
const rows = [];
for (const q of queries) {
  const page = await browser.newPage();
  // Records every script the search inserts, to count the bytes a query loads.
  await page.addInitScript(() => {
    window.__benchScripts = [];
    const append = Node.prototype.appendChild;
    Node.prototype.appendChild = function (child) {
      if (child.tagName === 'SCRIPT' && child.src) window.__benchScripts.push(child.src);
      return append.call(this, child);
    };
  });
  await page.goto(home);
  await page.waitForFunction(() => window.__lecternSearch && window.__lecternSearch.query);
  const cold = await page.evaluate(async (q) => {
    const t0 = performance.now();
    const r = await window.__lecternSearch.query(q, 0, 8);
    return { ms: performance.now() - t0, hits: r.outcome.hits.length, scripts: window.__benchScripts.slice() };
  }, q);
  const bytes = cold.scripts.reduce((s, src) => s + fs.statSync(decodeURIComponent(new URL(src).pathname)).size, 0);
  rows.push({ q, coldMs: cold.ms, files: cold.scripts.length, bytes, hits: cold.hits });
  await page.close();
}

// Warm: one page, every query once to load its shards, then 100 timed queries.
const page = await browser.newPage();
await page.goto(home);
await page.waitForFunction(() => window.__lecternSearch && window.__lecternSearch.query);
const warm = await page.evaluate(async (queries) => {
  for (const q of queries) await window.__lecternSearch.query(q, 0, 8);
  const times = [];
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    await window.__lecternSearch.query(queries[i % queries.length], 0, 8);
    times.push(performance.now() - t0);
  }
  return times;
}, queries);
await browser.close();

const indexBytes = dirBytes(path.join(site, 'search'));
const shards = fs.readdirSync(path.join(site, 'search')).filter((f) => f.startsWith('shard-')).length;
console.log(`site: ${site}`);
console.log(`machine: ${os.cpus().length} × ${os.cpus()[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; Chromium headless, file://\n`);
console.log(`index: ${kb(indexBytes)} KB in search/ (${shards} shards); engine script ${kb(fs.statSync(path.join(site, 'static/search-engine.js')).size)} KB\n`);
console.log('| query | first query (ms) | files loaded | KB loaded | results |');
console.log('|---|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.q} | ${r.coldMs.toFixed(0)} | ${r.files} | ${kb(r.bytes)} | ${r.hits} |`);
const colds = rows.map((r) => r.coldMs);
console.log(`\nfirst query: median ${percentile(colds, 0.5).toFixed(0)} ms, max ${Math.max(...colds).toFixed(0)} ms; ` +
  `KB loaded: median ${kb(percentile(rows.map((r) => r.bytes), 0.5))}`);
console.log(`warm, 100 queries: p50 ${percentile(warm, 0.5).toFixed(2)} ms, p95 ${percentile(warm, 0.95).toFixed(2)} ms`);
