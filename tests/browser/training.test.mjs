// Trains every run to the end on each backend and checks that the loss falls.
// No timing assertions: WebGPU here is SwiftShader, a CPU emulation that compiles shaders slowly.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useBrowser } from './harness.mjs';

const browser = useBrowser();
const MINUTE = 60_000;

/** Waits until training is done, the page shows an error, or an uncaught error is thrown. */
async function waitForTraining(page, errors, timeout) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (errors.page.length > 0) return `uncaught error: ${errors.page[0]}`;
    const state = await page.evaluate(() => {
      const error = document.querySelector('#error');
      const message = error?.checkVisibility() ? error.textContent.trim() : '';
      if (message) return `page error: ${message}`;
      return document.body.dataset.phase === 'done' ? 'done' : null;
    });
    if (state) return state;
    await page.waitForTimeout(1000);
  }
  return `not done after ${timeout / MINUTE} minutes`;
}

/** Records grouped per run as 'plain-4', 'residual-10', …, each sorted by step. */
function recordsPerRun(records) {
  const runs = {};
  for (const record of records) {
    assert.equal(record.run, `${record.shortcuts}-${record.depth}`, 'run names its kind and depth');
    (runs[record.run] ??= []).push(record);
  }
  for (const list of Object.values(runs)) list.sort((a, b) => a.step - b.step);
  return runs;
}

const mean = (values) => values.reduce((sum, v) => sum + v, 0) / values.length;

async function trainAndCheck({ query, backend, label, depths, screenshot, timeout }) {
  const { page, errors } = await browser.open(`/?${query}&autostart=1`);
  let outcome;
  try {
    outcome = await waitForTraining(page, errors, timeout);
  } finally {
    await browser.screenshot(page, screenshot); // also when it failed: that is when it helps
  }
  assert.equal(outcome, 'done');

  const chosen = await page.evaluate(() => window.playground.backend());
  assert.equal(chosen.backend, backend, `backend: ${JSON.stringify(chosen)}`);
  assert.match(await browser.shownText(page, '#backend-status'), new RegExp(label));

  const runs = recordsPerRun(await page.evaluate(() => window.playground.records()));
  const expected = ['plain', 'residual'].flatMap((kind) => depths.map((d) => `${kind}-${d}`));
  assert.deepEqual(Object.keys(runs).sort(), expected.sort(), 'one set of records per run');

  for (const [name, records] of Object.entries(runs)) {
    // The first and last ten records, or halves when a run logged fewer than twenty.
    const k = Math.min(10, Math.floor(records.length / 2));
    assert.ok(k >= 1, `${name}: only ${records.length} records`);
    const first = mean(records.slice(0, k).map((r) => r.train_loss));
    const last = mean(records.slice(-k).map((r) => r.train_loss));
    assert.ok(last < first, `${name}: loss went from ${first} to ${last}`);
  }

  for (const panel of ['#panel-plain', '#panel-residual']) {
    assert.ok(await page.locator(panel).isVisible(), `${panel} is shown`);
  }
  assert.deepEqual(errors.page, [], 'no uncaught errors');
  assert.deepEqual(errors.console, [], 'no console errors');
  await page.close();
}

test('WebGPU: MNIST MLPs train and the loss falls', { timeout: 25 * MINUTE }, () =>
  trainAndCheck({
    query: 'dataset=mnist&arch=mlp&depths=4,10&backend=webgpu&steps=40',
    backend: 'webgpu',
    label: 'WebGPU',
    depths: [4, 10],
    screenshot: 'webgpu-mnist-mlp',
    timeout: 20 * MINUTE,
  }),
);

test('CPU: MNIST CNNs train and the loss falls', { timeout: 25 * MINUTE }, () =>
  trainAndCheck({
    query: 'dataset=mnist&arch=cnn&depths=8,14&backend=cpu&steps=30',
    backend: 'cpu',
    label: 'CPU',
    depths: [8, 14],
    screenshot: 'cpu-mnist-cnn',
    timeout: 20 * MINUTE,
  }),
);
