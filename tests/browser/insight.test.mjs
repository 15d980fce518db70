// The "Inside the nets" section: gradient heatmaps and decision boundaries receive data, a run
// grown by identity blocks starts at its source's loss, and shortcuts switch off and on live.
// No timing assertions: every wait polls for a condition, with a generous limit.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useBrowser } from './harness.mjs';

const browser = useBrowser();
const MINUTE = 60_000;
const QUERY = 'dataset=spiral&arch=mlp&depths=4,10&backend=cpu&autostart=1';

/** Polls `read()` in the page until `done(value)`; fails on any page error meanwhile. */
async function waitFor(page, errors, what, read, done) {
  const deadline = Date.now() + 5 * MINUTE;
  for (;;) {
    assert.deepEqual(errors.page, [], `no uncaught errors while waiting for ${what}`);
    assert.equal(await browser.shownText(page, '#error'), '', `no error while waiting for ${what}`);
    const value = await page.evaluate(read);
    if (done(value)) return value;
    assert.ok(Date.now() < deadline, `${what}: still not so after 5 minutes: ` +
      JSON.stringify(value).slice(0, 500));
    await page.waitForTimeout(250);
  }
}

const runIds = () => window.playground.runs().map((run) => run.id);

test('heatmaps and decision boundaries receive data for every run', async () => {
  const { page, errors } = await browser.open(`/?${QUERY}`);
  const ids = await waitFor(page, errors, 'four runs', runIds, (ids) => ids.length === 4);
  const counts = await waitFor(page, errors, 'three layer samples per run',
    () => window.playground.runs().map((run) => window.playground.layers(run.id)),
    (lists) => lists.every((samples) => samples.length >= 3));
  for (const [index, samples] of counts.entries()) {
    const depth = Number(ids[index].split('-')[1]);
    const blocks = (depth - 2) / 2;
    for (const sample of samples) {
      assert.equal(sample.gradient_norms.length, blocks, `${ids[index]}: one norm per block`);
      assert.equal(sample.responses.length, 2 * blocks, `${ids[index]}: two responses per block`);
      assert.ok(sample.gradient_norms.every((g) => Number.isFinite(g) && g > 0));
    }
    assert.deepEqual(samples.slice(0, 3).map((s) => s.step), [1, 11, 21], 'every 10 steps');
  }
  // One heatmap per run, its pixels painted (not the empty canvas), one column per sample.
  await waitFor(page, errors, 'four heatmaps',
    () => document.querySelectorAll('#heatmaps canvas').length, (n) => n === 4);
  const painted = await page.evaluate(() => [...document.querySelectorAll('#heatmaps canvas')]
    .map((canvas) => {
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      return { width: canvas.width, height: canvas.height, opaque: pixels[3] === 255 };
    }));
  for (const canvas of painted) {
    assert.ok(canvas.width >= 3 && canvas.opaque, JSON.stringify(canvas));
  }
  await waitFor(page, errors, 'the heatmaps in words',
    () => document.getElementById('heatmap-summary').textContent,
    (text) => /plain-10 at step \d+: the (first|last) block's gradient is [\d.]+× the/.test(text));

  const boundaries = await waitFor(page, errors, 'a boundary per run',
    () => window.playground.boundaries(), (list) => list.length === 4);
  for (const boundary of boundaries) {
    assert.equal(boundary.probabilities.length, boundary.size ** 2 * boundary.classes);
  }
  await waitFor(page, errors, 'four boundary pictures',
    () => document.querySelectorAll('#boundaries canvas').length, (n) => n === 4);
  assert.ok(await page.locator('#boundary-field').isVisible());
  await browser.screenshot(page, 'insight');
  await page.close();
});

test('a run grown by identity starts at its source\'s loss', async () => {
  const { page, errors } = await browser.open(`/?${QUERY}`);
  await waitFor(page, errors, '30 steps', () => window.playground.records().length,
    (n) => n >= 4 * 30);
  await page.selectOption('#grow-source', 'residual-4');
  await page.click('#grow');
  const grown = 'residual-10-from-4';
  const records = await waitFor(page, errors, `records of ${grown}`,
    () => window.playground.records(),
    (list) => list.filter((r) => r.run === 'residual-10-from-4').length >= 5);
  const first = records.find((r) => r.run === grown);
  const source = records.find((r) => r.run === 'residual-4' && r.step === first.step);
  assert.ok(source, `residual-4 has a record at step ${first.step}`);
  // The same function on the same batch: the losses differ only by float rounding. 1e-5 of
  // the loss is ~100 float32 ulps, far below any real jump (one SGD step changes it by ~1e-2).
  const gap = Math.abs(first.train_loss - source.train_loss);
  assert.ok(gap <= 1e-5 * source.train_loss,
    `grown ${first.train_loss} vs source ${source.train_loss} at step ${first.step}`);
  const info = await page.evaluate(() => window.playground.runs()
    .find((run) => run.id === 'residual-10-from-4'));
  assert.equal(info.grown_from, 'residual-4');
  assert.equal(info.events[0].step, first.step - 1, 'grown after the step its source had taken');
  // Charted beside the others in the residual panel, as a third line.
  await waitFor(page, errors, 'the grown run in the legend',
    () => document.querySelector('#panel-residual .chart-error').textContent,
    (text) => text.includes('grown from residual-4'));
  await page.close();
});

test('shortcuts switch off and back on while training, keeping the runs', async () => {
  const { page, errors } = await browser.open(`/?${QUERY}`);
  await waitFor(page, errors, '10 steps', () => window.playground.records().length,
    (n) => n >= 4 * 10);
  await page.uncheck('#shortcuts-live');
  const off = await waitFor(page, errors, 'shortcuts off',
    () => window.playground.runs(),
    (runs) => runs.some((run) => run.events.some((e) => e.what === 'shortcuts off')));
  for (const run of off) {
    assert.equal(run.shortcuts_on, false, `${run.id}: no shortcut is on`);
    assert.equal(run.generation <= 4, true, `${run.id} was not restarted`);
  }
  const residual = off.filter((run) => run.shortcuts === 'residual');
  assert.equal(residual.length, 2);
  assert.ok(residual.every((run) => run.events.at(-1).what === 'shortcuts off'));
  assert.ok(off.filter((run) => run.shortcuts === 'plain').every((run) => !run.events.length));
  await page.check('#shortcuts-live');
  const on = await waitFor(page, errors, 'shortcuts on again', () => window.playground.runs(),
    (runs) => runs.filter((run) => run.shortcuts === 'residual').every((run) => run.shortcuts_on));
  assert.ok(on.filter((run) => run.shortcuts === 'residual')
    .every((run) => run.events.map((e) => e.what).join() === 'shortcuts off,shortcuts on'));
  await page.close();
});

test('Reset after quick grows shows no runs of the dropped session', async () => {
  const { page, errors } = await browser.open(`/?${QUERY}`);
  await waitFor(page, errors, '5 steps', () => window.playground.records().length,
    (n) => n >= 4 * 5);
  for (let i = 0; i < 3; i++) {
    await page.evaluate(() => {
      const button = document.getElementById('grow');
      button.disabled = false; // as fast as a user could click before the worker answers
      button.click();
    });
  }
  await page.click('#reset');
  await waitFor(page, errors, 'the reset', () => document.body.dataset.phase,
    (phase) => phase === 'ready');
  await page.waitForTimeout(1000); // what the worker sent before it reset has arrived by now
  assert.deepEqual(await page.evaluate(runIds), [], 'no runs listed after Reset');
  assert.equal(await page.evaluate(() => document.querySelectorAll('#boundaries canvas').length),
    0, 'no boundaries of the dropped session');
  assert.equal(await page.locator('#grow').isDisabled(), true, 'nothing to grow');
  await page.close();
});

test('a new data set clears the old decision boundaries; a finished run will not grow',
  async () => {
    const { page, errors } = await browser.open(`/?${QUERY}&steps=30`);
    await waitFor(page, errors, 'finished', () => document.body.dataset.phase,
      (phase) => phase === 'done');
    await page.selectOption('#grow-source', 'plain-4');
    await page.click('#grow');
    await waitFor(page, errors, 'the refusal', () => document.getElementById('insight-message')
      .textContent, (text) => text.startsWith('Could not grow: the runs have finished'));
    assert.deepEqual((await page.evaluate(runIds)).length, 4, 'no grown run');

    assert.equal(await page.evaluate(() => window.playground.boundaries().length), 4);
    await page.selectOption('#dataset', 'mnist');
    await page.click('#start');
    // The spiral session ended with 4 × 30 records; the MNIST one starts again from none.
    await waitFor(page, errors, 'MNIST runs training', () => window.playground.records().length,
      (n) => n >= 4 && n < 4 * 30);
    assert.equal(await page.evaluate(() => window.playground.boundaries().length), 0);
    assert.equal(await page.locator('#boundary-field').isVisible(), false);
    await page.close();
  });
