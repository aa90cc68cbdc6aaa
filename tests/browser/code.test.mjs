// Code blocks in Debian's Chromium (issue 15): the copy button copies the
// code without prompts, output or line numbers, from the mouse and from the
// keyboard, over file:// and http, at 360 px and on a desktop; it falls back
// to a selection when the clipboard API refuses; long lines scroll inside
// their block; line numbers and marked lines lay out one per line; dark mode
// recolours the code and print is black on white without the button.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, buildSite, repoRoot, bothOrigins, openPage } from './lib.mjs';

let site;
let browser;
let origins;
let closeServer;

before(async () => {
  site = buildSite(path.join(repoRoot, 'tests/fixtures/code-blocks'));
  browser = await launch();
  ({ origins, close: closeServer } = await bothOrigins(site));
});

after(async () => {
  if (browser) await browser.close();
  if (closeServer) await closeServer();
});

const VIEWPORTS = [
  { name: 'phone', viewport: { width: 360, height: 740 } },
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
];

const SESSION_COMMANDS = 'cargo new hello\ncd hello && echo "done" \\\n  > log.txt\napt-get install -y ripgrep';
const NUMBERED_CODE = 'fn main() {\n    println!("hi");\n}';

/** Opens the features page with the clipboard allowed. */
async function features(base, viewport) {
  const opened = await openPage(browser, base + 'code/features.html', viewport);
  await opened.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  return opened;
}

async function clipboard(page) {
  return page.evaluate(() => navigator.clipboard.readText());
}

/** The copy button of the `n`th code block of the page. */
function copyButton(page, n) {
  return page.locator('.code-block').nth(n).locator('button.code-copy');
}

for (const { name: size, viewport } of VIEWPORTS) {
  test(`copy buttons copy the code, not prompts or numbers (file:// and http, ${size})`, async () => {
    for (const { name, base } of origins) {
      const { page, context, problems } = await features(base, viewport);
      try {
        const where = `${name}, ${size}`;
        assert.equal(await page.locator('button.code-copy').count(), await page.locator('.code-block').count(), where);

        // The session: from the keyboard (focus, then Enter).
        await page.evaluate(() => navigator.clipboard.writeText('before'));
        const sessionButton = copyButton(page, 0);
        await sessionButton.focus();
        // It fades in (a short transition): wait for it to be fully shown.
        const shown = await sessionButton.evaluate((b) => new Promise((resolve) => {
          const start = performance.now();
          (function check() {
            if (getComputedStyle(b).opacity === '1') resolve(true);
            else if (performance.now() - start > 2000) resolve(false);
            else requestAnimationFrame(check);
          })();
        }));
        assert.ok(shown, `a focused button shows (${where})`);
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => document.querySelector('.code-copy.done'));
        assert.equal(await clipboard(page), SESSION_COMMANDS, where);
        assert.equal(await sessionButton.textContent(), '已复制', where);
        assert.equal(await page.locator('[role="status"]').textContent(), '已复制', where);

        // Numbered lines: by mouse; the numbers stay behind.
        await copyButton(page, 1).click();
        await page.waitForFunction(() => document.querySelectorAll('.code-copy.done').length === 2);
        assert.equal(await clipboard(page), NUMBERED_CODE, where);

        // A selection of the numbered block does not take the numbers either.
        const selected = await page.evaluate(() => {
          const code = document.querySelectorAll('.code-block')[1].querySelector('code');
          const range = document.createRange();
          range.selectNodeContents(code);
          const sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
          return sel.toString();
        });
        assert.ok(!/1[012]/.test(selected), `selection holds no line numbers: ${JSON.stringify(selected)}`);

        assert.deepEqual(problems, [], where);
      } finally {
        await context.close();
      }
    }
  });

  test(`long lines scroll inside their block, lines lay out one per line (${size})`, async () => {
    for (const { name, base } of origins) {
      const { page, context, problems } = await features(base, viewport);
      try {
        const where = `${name}, ${size}`;
        const m = await page.evaluate(() => {
          const pres = [...document.querySelectorAll('pre.code')];
          const long = pres.find((p) => p.textContent.includes('this-line-is-very-long'));
          const numbered = [...document.querySelectorAll('pre.code.linenos')][0];
          const lines = [...numbered.querySelectorAll('.line')].map((l) => l.getBoundingClientRect());
          const marked = [...document.querySelectorAll('pre.code')].find((p) => p.querySelector('.line.hl'));
          const hl = marked.querySelector('.line.hl').getBoundingClientRect();
          const code = marked.querySelector('code').getBoundingClientRect();
          return {
            page: document.documentElement.scrollWidth,
            window: window.innerWidth,
            longScroll: long.scrollWidth,
            longClient: long.clientWidth,
            lineTops: lines.map((r) => r.top),
            lineHeights: lines.map((r) => r.height),
            hlWidth: hl.width,
            codeWidth: code.width,
            fontSize: parseFloat(getComputedStyle(numbered.querySelector('code')).fontSize),
          };
        });
        assert.ok(m.page <= m.window, `the page does not scroll sideways (${where}): ${m.page} > ${m.window}`);
        assert.ok(m.longScroll > m.longClient, `the long line scrolls inside its block (${where})`);
        assert.equal(m.lineTops.length, 3, where);
        for (let i = 0; i < 3; i++) {
          assert.ok(m.lineHeights[i] > 0 && m.lineHeights[i] < 2 * m.fontSize, `line ${i} is one line high (${where}): ${m.lineHeights[i]}`);
          if (i) assert.ok(Math.abs(m.lineTops[i] - m.lineTops[i - 1] - m.lineHeights[i - 1]) < 1, `no blank line between lines (${where})`);
        }
        assert.ok(m.hlWidth >= m.codeWidth, `a marked line is marked across the block (${where})`);
        assert.deepEqual(problems, [], where);
      } finally {
        await context.close();
      }
    }
  });
}

test('copying falls back to a selection when the clipboard API refuses', async () => {
  for (const { name, base } of origins) {
    const { page, context } = await features(base, { width: 1280, height: 900 });
    try {
      await page.evaluate(() => {
        navigator.clipboard.writeText('before');
        navigator.clipboard.writeText = () => Promise.reject(new Error('refused'));
      });
      await copyButton(page, 1).click();
      await page.waitForFunction(() => document.querySelector('.code-copy.done'));
      assert.equal(await clipboard(page), NUMBERED_CODE, name);
      assert.equal(await copyButton(page, 1).textContent(), '已复制', name);
    } finally {
      await context.close();
    }
  }
});

test('dark mode recolours code; print is black on white without buttons', async () => {
  const { page, context } = await features(origins[0].base, { width: 1280, height: 900 });
  try {
    const colourOf = () => page.evaluate(() => {
      const span = document.querySelector('pre.code.linenos .hl-keyword, pre.code.linenos .hl-storage');
      return { fg: getComputedStyle(span).color, bg: getComputedStyle(span.closest('pre')).backgroundColor };
    });
    const light = await colourOf();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await colourOf();
    assert.notEqual(dark.fg, light.fg, 'the dark palette applies to code');
    assert.notEqual(dark.bg, light.bg);
    // Dark chosen with the toggle, then printed: still black on white.
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    const printed = await page.evaluate(() => {
      const colours = new Set();
      for (const el of document.querySelectorAll('pre.code, pre.code *')) {
        if (el.textContent.trim()) colours.add(getComputedStyle(el).color);
      }
      const pre = document.querySelector('pre.code');
      return {
        colours: [...colours],
        bg: getComputedStyle(pre).backgroundColor,
        buttons: [...document.querySelectorAll('.code-copy')].map((b) => getComputedStyle(b).display),
      };
    });
    assert.deepEqual(printed.colours, ['rgb(0, 0, 0)']);
    assert.equal(printed.bg, 'rgb(255, 255, 255)');
    assert.ok(printed.buttons.length > 0 && printed.buttons.every((d) => d === 'none'), 'no copy button on paper');
  } finally {
    await context.close();
  }
});
