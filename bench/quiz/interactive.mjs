// Time from navigation to a quiz page answering to input, in headless
// Chromium (Debian's, through playwright-core), over file://.
//   node bench/quiz/interactive.mjs SITE_DIR PAGE [RUNS]
// Prints the median and worst of RUNS loads of: `ready`, the mark quiz.js
// sets once the page answers to input (ms since navigation start); `script`,
// quiz.js's own work (from its first line to ready: restoring state,
// shuffling, wiring); and the navigation timings for comparison.
import { chromium } from 'playwright-core';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [site, pagePath, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 15);
const url = pathToFileURL(path.resolve(site, pagePath)).href;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const rows = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('[data-quiz-page][data-ready="true"]');
  rows.push(await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const mark = performance.getEntriesByName('lectern-quiz-ready')[0];
    const start = performance.getEntriesByName('lectern-quiz-start')[0];
    return { ready: mark.startTime, script: mark.startTime - start.startTime, responseEnd: nav.responseEnd, domInteractive: nav.domInteractive, load: nav.loadEventEnd, questions: document.querySelectorAll('li.q').length };
  }));
  await context.close();
}
await browser.close();
const stat = (k) => {
  const v = rows.map((r) => r[k]).sort((a, b) => a - b);
  return `${k}: median ${v[Math.floor(v.length / 2)].toFixed(1)} ms, worst ${v[v.length - 1].toFixed(1)} ms`;
};
console.log(`${pagePath}: ${rows[0].questions} questions, ${runs} loads (first load included)`);
for (const k of ['ready', 'script', 'responseEnd', 'domInteractive', 'load']) console.log('  ' + stat(k));
