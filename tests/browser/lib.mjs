// Shared helpers for the browser tests: Debian's Chromium through
// playwright-core (never a downloaded browser), a static HTTP server on
// loopback, and building sites with the lectern binary.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The lectern binary: LECTERN_BIN, else target/release, else target/debug. */
export function lecternBin() {
  if (process.env.LECTERN_BIN) return process.env.LECTERN_BIN;
  for (const p of ['target/release/lectern', 'target/debug/lectern']) {
    const full = path.join(repoRoot, p);
    if (fs.existsSync(full)) return full;
  }
  throw new Error('no lectern binary: run `cargo build` first or set LECTERN_BIN');
}

// Every temporary folder a test makes, removed when its process ends (a test
// run used to leave a built site behind in /tmp for every test file).
const temporary = [];
process.on('exit', () => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder named `prefix…`, removed when the process exits. */
export function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

/** Writes `files` (path relative to `dir` → text) under `dir`, making folders. */
export function writeFiles(dir, files) {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

/** Builds the course in `root` into a fresh temporary folder and returns it. */
export function buildSite(root, extraArgs = []) {
  const out = tempDir('lectern-site-');
  const site = path.join(out, 'site');
  execFileSync(lecternBin(), ['build', '--root', root, '--out', site, ...extraArgs], { stdio: 'pipe' });
  return site;
}

/** Builds the course `write(dir)` makes and starts what a browser test of
 * it needs: the site, served over file:// and http (`origins`), and
 * Chromium. `stop()` ends both. */
export async function startFixture(prefix, write) {
  const course = tempDir(prefix);
  write(course);
  const site = buildSite(course);
  const { origins, close } = await bothOrigins(site);
  const browser = await launch();
  return {
    site, origins, browser,
    async stop() { await browser.close(); await close(); },
  };
}

/** The shipped course, built once per test process. */
let shipped;
export function shippedSite() {
  if (!shipped) shipped = buildSite(repoRoot);
  return shipped;
}

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // file:// pages may read their own folder's scripts; nothing more is relaxed.
];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

/** Serves `dir` on 127.0.0.1 at a free port. Returns { url, close }. */
export function serve(dir) {
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml', '.jpg': 'image/jpeg', '.webmanifest': 'application/manifest+json' };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(dir, path.normalize(rel).replace(/^(\.\.[/\\])+/, ''));
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

/** Base URLs to run a scenario under: the site from disk and over HTTP. */
export async function bothOrigins(dir) {
  const server = await serve(dir);
  return {
    origins: [
      { name: 'file', base: pathToFileURL(dir).href + '/' },
      { name: 'http', base: server.url },
    ],
    close: server.close,
  };
}

/** Opens a page and records console errors and failed requests. */
export async function openPage(browser, url, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`requestfailed: ${req.url()}`));
  await page.goto(url);
  return { page, context, problems };
}
