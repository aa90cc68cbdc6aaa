// Prints the Markdown tables of bench/search/RESULTS.md from a run.sh work dir.
//   node bench/search/summarize.mjs [WORK_DIR]
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const work = process.argv[2] || '/tmp/search-bench';
const read = (f) => fs.readFileSync(path.join(work, f), 'utf8');
const time = (name) => {
  const t = read(`${name}.time`);
  const wall = t.match(/Elapsed \(wall clock\) time.*: (.*)/)[1];
  const [m, s] = wall.split(':').map(Number);
  const cpu = Number(t.match(/User time \(seconds\): (.*)/)[1]) + Number(t.match(/System time \(seconds\): (.*)/)[1]);
  return { wall: m * 60 + s, cpu, rssMB: Number(t.match(/Maximum resident set size \(kbytes\): (\d+)/)[1]) / 1024 };
};
const du = (p) => Number(execFileSync('du', ['-sb', p]).toString().split('\t')[0]);
const MB = (b) => (b / 2 ** 20).toFixed(1) + ' MB';
const KB = (b) => (b / 1024).toFixed(1) + ' KB';
const ms = (x) => x.toFixed(x < 10 ? 2 : 0) + ' ms';

const on = time('build-on'), off = time('build-off'), pf = time('pagefind');
const perf = JSON.parse(read('perf-10000.json'));
const L = perf.lectern.summary, P = perf.pagefind.summary;
const lBytes = du(path.join(work, 'site/search'));
const pBytes = du(path.join(work, 'site/pagefind'));
const count = (d) => execFileSync('find', [d, '-type', 'f']).toString().trim().split('\n').length;

const pfVersion = JSON.parse(fs.readFileSync(new URL('./node_modules/pagefind/package.json', import.meta.url), 'utf8')).version;
console.log(`| 10,000 pages | lectern (file://) | Pagefind ${pfVersion} (http://127.0.0.1) |`);
console.log('|---|---:|---:|');
console.log(`| index build time (wall) | ${(on.wall - off.wall).toFixed(1)} s (build ${on.wall.toFixed(1)} s with search − ${off.wall.toFixed(1)} s without) | ${pf.wall.toFixed(1)} s (separate run on the built site) |`);
console.log(`| index build CPU (user+sys) | ${(on.cpu - off.cpu).toFixed(1)} s | ${pf.cpu.toFixed(1)} s |`);
console.log(`| peak memory | ${on.rssMB.toFixed(0)} MB whole build (${off.rssMB.toFixed(0)} MB without search) | ${pf.rssMB.toFixed(0)} MB |`);
console.log(`| index bytes (du -sb) | ${MB(lBytes)} in ${count(path.join(work, 'site/search'))} files | ${MB(pBytes)} in ${count(path.join(work, 'site/pagefind'))} files |`);
console.log(`| bytes loaded, first query (median of ${perf.queries.length}) | ${KB(L.bytesMedian)} (${KB(L.gzBytesMedian)} if gzipped); max ${KB(L.bytesMax)} | ${KB(P.bytesMedian)}; max ${KB(P.bytesMax)} |`);
console.log(`| … of which engine + metadata (lectern: search-engine.js + meta.js; Pagefind: pagefind.js, wasm, entry, meta) | ${KB(L.fixedBytes)} | ${KB(P.fixedBytes)} |`);
console.log(`| files loaded, first query (median) | ${L.filesMedian} | ${P.filesMedian} |`);
console.log(`| first query (median / max) | ${ms(L.firstMedian)} / ${ms(L.firstMax)} | ${ms(P.firstMedian)} / ${ms(P.firstMax)} |`);
console.log(`| warm p50 / p95 / max (100 queries) | ${ms(L.p50)} / ${ms(L.p95)} / ${ms(L.max)} | ${ms(P.p50)} / ${ms(P.p95)} / ${ms(P.max)} |`);
console.log(`| bytes per query, lectern ÷ Pagefind | ${(100 * L.bytesMedian / P.bytesMedian).toFixed(0)}% | |`);

console.log('\nPer query (first query of a fresh page):\n');
console.log('| query | lectern ms | lectern files | lectern KB | lectern results | Pagefind ms | Pagefind files | Pagefind KB | Pagefind results |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
perf.queries.forEach((q, i) => {
  const l = perf.lectern.cold[i], p = perf.pagefind.cold[i];
  console.log(`| ${q} | ${l.ms.toFixed(0)} | ${l.files} | ${(l.bytes / 1024).toFixed(1)} | ${l.hits} | ${p.ms.toFixed(0)} | ${p.files} | ${(p.bytes / 1024).toFixed(1)} | ${p.hits} |`);
});

if (fs.existsSync(path.join(work, 'relevance.json'))) {
  const rel = JSON.parse(read('relevance.json'));
  const r = (x) => (x === null ? '—' : String(x));
  console.log('\nRelevance on the shipped course (rank of the first result on an expected page, counted over distinct pages; lectern raw = position in its section list):\n');
  console.log('| # | query | expected page(s) | lectern rank | lectern raw | Pagefind rank | lectern #1 | Pagefind #1 |');
  console.log('|---:|---|---|---:|---:|---:|---|---|');
  rel.rows.forEach((x, i) => {
    console.log(`| ${i + 1} | ${x.q} | ${x.expect.join('<br>')} | ${r(x.lectern.rank)}${x.lectern.partial ? ' (partial)' : ''} | ${r(x.lectern.rawRank)} | ${r(x.pagefind.rank)} | ${x.lectern.top[0] || '—'} | ${x.pagefind.top[0] || '—'} |`);
  });
  const mrr = (k, f = 'rank') => (rel.rows.reduce((s, x) => s + (x[k][f] ? 1 / x[k][f] : 0), 0) / rel.rows.length).toFixed(3);
  const first = (k) => rel.rows.filter((x) => x[k].rank === 1).length;
  console.log(`\ntop-3 hit rate: lectern ${rel.top3.lectern}/${rel.top3.n} (raw section list ${rel.top3.lecternRaw}/${rel.top3.n}), Pagefind ${rel.top3.pagefind}/${rel.top3.n}; ` +
    `rank 1: lectern ${first('lectern')}/${rel.top3.n}, Pagefind ${first('pagefind')}/${rel.top3.n}; MRR: lectern ${mrr('lectern')}, Pagefind ${mrr('pagefind')}`);
}
