// Export and sharing: the JSON download loads back as reference runs, the PNG holds the charts,
// "Copy link" copies the view's URL (or selects it where the clipboard is refused), and the
// Embed dialog's snippets carry the current settings.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseRunsFile } from '../../www/js/reference.js';
import { OUTPUT, useBrowser } from './harness.mjs';

const browser = useBrowser();
const MINUTE = 60_000;
const FAST = 'dataset=spiral&arch=mlp&depths=4,6&backend=cpu';
const STEPS = 30;

/** Clicks `selector` and saves the download it starts as test-output/<name>. */
async function download(page, selector, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = join(OUTPUT, name);
  await file.saveAs(path);
  return path;
}

// The clipboard, seen from the page: what it was given, or a refusal when `refuse` is set.
function recordClipboard() {
  window.copied = [];
  window.refuseClipboard = false;
  navigator.clipboard.writeText = async (text) => {
    if (window.refuseClipboard) throw new DOMException('refused', 'NotAllowedError');
    window.copied.push(text);
  };
}

test('JSON and PNG downloads; the JSON loads back as reference runs', { timeout: 10 * MINUTE },
  async () => {
    const { page, errors } = await browser.open(`/?${FAST}&steps=${STEPS}&autostart=1`);
    await page.waitForFunction(() => document.body.dataset.phase === 'done', null,
      { timeout: 5 * MINUTE, polling: 250 });

    const jsonPath = await download(page, '#download-json', 'export.json');
    const file = JSON.parse(readFileSync(jsonPath, 'utf8'));
    assert.deepEqual(Object.keys(file), ['settings', 'records'], 'the CLI runs.json schema');
    assert.deepEqual(file.settings.depths, [4, 6]);
    assert.equal(file.settings.dataset, 'spiral');
    assert.equal(file.records.length, 4 * STEPS, 'every step of every run');
    assert.deepEqual(Object.keys(file.records[0]).sort(), ['depth', 'diverged', 'ms', 'run',
      'shortcuts', 'step', 'test_error', 'train_error', 'train_loss']);
    const parsed = parseRunsFile(readFileSync(jsonPath, 'utf8'), 'export.json');
    assert.deepEqual(parsed.runs.map((run) => run.id).sort(),
      ['plain-4', 'plain-6', 'residual-4', 'residual-6']);

    // The page itself draws it as reference curves.
    await page.setInputFiles('#reference-file', jsonPath);
    await page.waitForFunction(() => document.querySelector('#reference-summary')
      .innerText.startsWith('Reference: export.json'));
    const summary = await browser.shownText(page, '#reference-summary');
    assert.match(summary, /plain-4, plain-6, residual-4 and residual-6/);
    assert.match(summary, new RegExp(`up to ${STEPS} iterations`));
    assert.equal(await browser.shownText(page, '#reference-error'), '');

    const png = readFileSync(await download(page, '#download-png', 'charts.png'));
    assert.equal(png.subarray(1, 4).toString(), 'PNG', 'a PNG file');
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    const chart = await page.locator('#panel-plain .chart-error canvas').boundingBox();
    assert.ok(width > 2 * chart.width, `both panels side by side: ${width} px wide`);
    assert.ok(height > 2 * chart.height, `error and loss charts: ${height} px tall`);
    assert.deepEqual(errors.page, [], 'no uncaught errors');
    assert.deepEqual(errors.console, [], 'no console errors');
    await page.close();
  });

test('Copy link and the Embed dialog', { timeout: 10 * MINUTE }, async () => {
  const { page, errors } = await browser.open(`/?${FAST}&theme=dark`, {
    prepare: (tab) => tab.addInitScript(recordClipboard),
  });
  await page.waitForFunction(() => !document.querySelector('#controls fieldset').disabled,
    null, { timeout: 5 * MINUTE, polling: 250 });
  const url = await page.evaluate(() => location.href);

  await page.click('#copy-link');
  await page.waitForFunction(() => window.copied.length === 1);
  assert.equal(await page.evaluate(() => window.copied[0]), url);
  assert.match(await browser.shownText(page, '#copy-status'), /Copied/);

  await page.evaluate(() => { window.refuseClipboard = true; });
  await page.click('#copy-link');
  await page.locator('#copy-text').waitFor({ state: 'visible' });
  const selected = await page.evaluate(() => {
    const field = document.querySelector('#copy-text');
    return field.value.slice(field.selectionStart, field.selectionEnd);
  });
  assert.equal(selected, url, 'the link is selected for the user to copy');
  await page.evaluate(() => { window.refuseClipboard = false; });

  await page.keyboard.press('Escape'); // nothing open yet: no effect
  await page.click('#embed-button');
  assert.ok(await page.locator('#embed-dialog').isVisible(), 'the dialog opens');
  await browser.screenshot(page, 'embed-dialog');
  const iframe = await page.locator('#embed-iframe').inputValue();
  assert.match(iframe, /<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?[^"]*depths=4,6[^"]*embed=1/);
  assert.match(iframe, /theme=dark/);
  assert.match(iframe, /resnet-playground:height/);
  const element = await page.locator('#embed-element').inputValue();
  assert.match(element, /<script type="module" src="http:\/\/127\.0\.0\.1:\d+\/js\/element\.js">/);
  assert.match(element, /<resnet-playground [^>]*depths="4,6"[^>]*theme="dark"/);
  await page.click('button[data-copy="embed-element"]');
  await page.waitForFunction(() => window.copied.length === 2);
  assert.equal(await page.evaluate(() => window.copied[1]), element);
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#embed-dialog').isVisible(), false, 'Escape closes it');
  assert.deepEqual(errors.page, [], 'no uncaught errors');
  await page.close();
});
