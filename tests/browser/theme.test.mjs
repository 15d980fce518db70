// Themes: theme=dark is in place before the first paint (no white flash), and a theme that is
// not on the whitelist is a warning, not a crash.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useBrowser } from './harness.mjs';

const browser = useBrowser();
const MINUTE = 60_000;

// Runs in the page before any of its own scripts: notes the theme and the background of <html>
// the moment <body> exists. The stylesheets in <head> are loaded by then (the inline script
// after them waits for them), and nothing can be painted before <body> is parsed.
function recordFirstStyle() {
  new MutationObserver((mutations, observer) => {
    if (!document.body) return;
    observer.disconnect();
    window.firstStyle = {
      theme: document.documentElement.dataset.theme ?? null,
      background: getComputedStyle(document.documentElement).backgroundColor,
      modules: Boolean(window.playground), // the page's modules had not run yet
    };
  }).observe(document, { childList: true, subtree: true });
}

// 'rgb(15, 23, 42)' → its relative luminance, 0 (black) to 1 (white).
function luminance(color) {
  const [r, g, b] = color.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

test('theme=dark applies before the first paint', { timeout: 5 * MINUTE }, async () => {
  const { page, errors } = await browser.open('/?theme=dark&backend=cpu&steps=5', {
    prepare: (tab) => tab.addInitScript(recordFirstStyle),
  });
  await page.waitForFunction(() => window.firstStyle);
  const first = await page.evaluate(() => window.firstStyle);
  assert.equal(first.theme, 'dark');
  assert.equal(first.modules, false, 'recorded before the modules ran');
  assert.ok(luminance(first.background) < 0.2, `dark background at first: ${first.background}`);
  const panel = await page.evaluate(
    () => getComputedStyle(document.querySelector('#panel-plain')).backgroundColor);
  assert.ok(luminance(panel) < 0.2, `a dark chart panel: ${panel}`);
  await browser.screenshot(page, 'theme-dark');
  assert.deepEqual(errors.page, [], 'no uncaught errors');
  await page.close();
});

test('the default theme is light; theme=purple warns and stays light',
  { timeout: 10 * MINUTE }, async () => {
    const { page, errors } = await browser.open('/?theme=purple&backend=cpu', {
      prepare: (tab) => tab.addInitScript(recordFirstStyle),
    });
    await page.waitForFunction(() => window.firstStyle);
    const first = await page.evaluate(() => window.firstStyle);
    assert.equal(first.theme, 'light');
    assert.ok(luminance(first.background) > 0.8, `light background: ${first.background}`);
    // The warnings come with the worker's first reply, once the wasm has loaded.
    await page.locator('#warnings').waitFor({ state: 'visible', timeout: 5 * MINUTE });
    assert.match(await browser.shownText(page, '#warnings'), /theme “purple”/);
    assert.deepEqual(errors.page, [], 'no uncaught errors');
    await page.close();
  });

test('theme=auto follows the system, also when it changes', { timeout: 5 * MINUTE }, async () => {
  const { page, errors } = await browser.open('/?theme=auto&backend=cpu', {
    prepare: async (tab) => {
      await tab.emulateMedia({ colorScheme: 'dark' });
      await tab.addInitScript(recordFirstStyle);
    },
  });
  await page.waitForFunction(() => window.firstStyle);
  assert.equal((await page.evaluate(() => window.firstStyle)).theme, 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
  const background = await page.evaluate(
    () => getComputedStyle(document.documentElement).backgroundColor);
  assert.ok(luminance(background) > 0.8, `light again: ${background}`);
  assert.deepEqual(errors.page, [], 'no uncaught errors');
  await page.close();
});
