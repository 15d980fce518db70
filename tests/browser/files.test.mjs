// Presets, the user's CIFAR-10 files and reference runs, through the page's own controls.
// No timing assertions; every wait is long.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { useBrowser } from './harness.mjs';

const browser = useBrowser();
const MINUTE = 60_000;
const SPIRAL = '/?dataset=spiral&arch=mlp&depths=4,10&backend=cpu';
const folder = mkdtempSync(join(tmpdir(), 'resnet-playground-files-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function fixture(name, contents) {
  const path = join(folder, name);
  writeFileSync(path, contents);
  return path;
}

async function openReady(path) {
  const opened = await browser.open(path);
  await opened.page.waitForFunction(() => !['loading', 'preparing', '']
    .includes(document.body.dataset.phase ?? ''), null, { timeout: 5 * MINUTE, polling: 500 });
  return opened;
}

const legend = (page, panel) => page.$$eval(`#panel-${panel} .chart-error .u-legend .u-label`,
  (labels) => labels.map((label) => label.textContent));

/** Waits until the legend of `panel` does (`shown`) or does not list reference runs. */
const waitForReference = (page, panel, shown) => page.waitForFunction(({ panel, shown }) => {
  const labels = document.querySelectorAll(`#panel-${panel} .chart-error .u-legend .u-label`);
  return [...labels].some((label) => label.textContent.startsWith('ref:')) === shown;
}, { panel, shown });

test('a preset applies all its settings and shows in the URL', { timeout: 10 * MINUTE },
  async () => {
    const { page, errors } = await openReady(SPIRAL);
    assert.equal(await page.inputValue('#preset'), 'custom');
    await page.selectOption('#preset', 'quick-spiral');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('depths') === '4,60');
    const params = new URLSearchParams(await page.evaluate(() => location.search));
    assert.equal(params.get('backend'), 'cpu', 'a preset keeps the backend');
    assert.equal(await page.inputValue('#preset'), 'quick-spiral');
    assert.equal(await page.locator('#preset option[value="custom"]').count(), 0);
    await page.fill('#seed', '7');
    await page.locator('#seed').blur();
    await page.waitForFunction(() => document.querySelector('#preset').value === 'custom');
    assert.deepEqual(errors.page, [], 'no uncaught errors');
    await page.close();
  });

test('CIFAR-10 files: a hint without them, a plain error for a bad one',
  { timeout: 10 * MINUTE }, async () => {
    const { page, errors } = await openReady(SPIRAL);
    assert.ok(await page.locator('#cifar').isHidden(), 'no file picker for spirals');
    await page.selectOption('#dataset', 'cifar10');
    await page.locator('#cifar').waitFor({ state: 'visible' });
    await page.click('#start');
    await page.locator('#error').waitFor({ state: 'visible', timeout: 5 * MINUTE });
    assert.match(await browser.shownText(page, '#error'), /CIFAR-10 needs your batch files/);
    assert.match(await browser.shownText(page, '#cifar-hint'), /choose or drop them/);

    const record = Buffer.alloc(3073, 7); // label 7, then the pixels
    const good = fixture('data_batch_1.bin', Buffer.concat([record, record]));
    const testBatch = fixture('test_batch.bin', record);
    const bad = fixture('data_batch_2.bin', Buffer.alloc(100));
    await page.setInputFiles('#cifar-files', [good, testBatch, bad]);
    await page.waitForFunction(() => document.querySelector('#cifar-summary').checkVisibility());
    assert.equal(await browser.shownText(page, '#cifar-summary'),
      'Loaded: 2 training + 1 test images.');
    assert.equal(await page.locator('#cifar-list li').count(), 3);
    await page.click('#start');
    await page.waitForFunction(() => document.querySelector('#error').textContent.includes('100'),
      null, { timeout: 5 * MINUTE });
    assert.match(await browser.shownText(page, '#error'), /data_batch_2\.bin is not a CIFAR-10/);
    await browser.screenshot(page, 'cifar-files');
    assert.deepEqual(errors.page, [], 'no uncaught errors');
    await page.close();
  });

test('reference runs are drawn, and a bad file changes nothing', { timeout: 10 * MINUTE },
  async () => {
    const { page, errors } = await openReady(SPIRAL);
    const lines = ['run,shortcuts,depth,step,train_loss,train_error,test_error,ms'];
    for (let step = 8; step <= 64_000; step += 8) {
      for (const [run, depth] of [['plain-20', 20], ['plain-56', 56]]) {
        const testError = step % 400 === 0 ? 0.3 : '';
        lines.push(`${run}-seed2,plain,${depth},${step},1.5,0.25,${testError},20`);
      }
    }
    await page.setInputFiles('#reference-file', fixture('runs.csv', lines.join('\n')));
    await waitForReference(page, 'plain', true);
    assert.match(await browser.shownText(page, '#reference-summary'), /runs\.csv.*64,000/);
    const plain = await legend(page, 'plain');
    assert.ok(plain.includes('ref: plain-56-seed2 (runs.csv), train'), plain.join(' | '));
    assert.ok(plain.includes('ref: plain-56-seed2 (runs.csv), test'), plain.join(' | '));
    assert.ok(!(await legend(page, 'residual')).some((label) => label.startsWith('ref:')));

    await page.setInputFiles('#reference-file', fixture('notes.csv', 'not,a,runs,file\n'));
    await page.locator('#reference-error').waitFor({ state: 'visible' });
    assert.match(await browser.shownText(page, '#reference-error'), /notes\.csv could not be/);
    assert.deepEqual(await legend(page, 'plain'), plain, 'the reference drawn stays');

    await page.check('#fit-live');
    await page.click('#reference-clear');
    await waitForReference(page, 'plain', false);
    assert.ok(await page.locator('#reference-clear').isHidden());
    assert.deepEqual(errors.page, [], 'no uncaught errors');
    await page.close();
  });
