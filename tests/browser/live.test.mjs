// Live changes while training: moving the deep-depth slider restarts only the deep runs, and
// choosing "plain only" drops the residual runs while the plain ones keep going.
// No timing assertions: the machine may be busy, so every wait is long.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useBrowser } from './harness.mjs';

const browser = useBrowser();
const MINUTE = 60_000;
const QUERY = 'dataset=spiral&arch=mlp&depths=4,10&backend=cpu&autostart=1';
const SHALLOW = 4;

/** Every run the page lists, by id, with its records summed up: count, first and last step. */
function snapshot(page) {
  return page.evaluate(() => {
    const runs = {};
    for (const info of window.playground.runs()) {
      runs[info.id] = { ...info, count: 0, first: null, last: null };
    }
    // Records come run by run, each run's in step order.
    for (const record of window.playground.records()) {
      const run = runs[record.run];
      if (!run) throw new Error(`a record of ${record.run}, which is not a listed run`);
      run.count += 1;
      run.first ??= record.step;
      run.last = record.step;
    }
    return runs;
  });
}

/**
 * Polls snapshots until `done(runs)` holds; `check(runs)` runs on each one (to assert what must
 * hold all along). Stops at the first uncaught error or error shown on the page.
 */
async function waitFor(page, errors, what, done, check = () => {}) {
  const deadline = Date.now() + 5 * MINUTE;
  for (;;) {
    assert.deepEqual(errors.page, [], `no uncaught errors while waiting for ${what}`);
    assert.equal(await browser.shownText(page, '#error'), '', `no error while waiting for ${what}`);
    const runs = await snapshot(page);
    check(runs);
    if (done(runs)) return runs;
    assert.ok(Date.now() < deadline, `${what}: still not so after 5 minutes: ` +
      JSON.stringify(Object.values(runs)));
    await page.waitForTimeout(250);
  }
}

const shallowRuns = (runs) => Object.values(runs).filter((run) => run.depth === SHALLOW);
const deepRuns = (runs) => Object.values(runs).filter((run) => run.depth !== SHALLOW);

/** Asserts that each shallow run of `before` went on in `runs`: same generation, not reset. */
function assertKeptGoing(before, runs) {
  for (const old of shallowRuns(before)) {
    const run = runs[old.id];
    if (!run) continue; // dropped on purpose (the residual runs, once "plain only" is chosen)
    assert.equal(run.generation, old.generation, `${run.id} was not restarted`);
    assert.equal(run.first, old.first, `${run.id} keeps its first records`);
    assert.ok(run.last >= old.last && run.count >= old.count,
      `${run.id} never goes back: step ${old.last} → ${run.last}`);
  }
}

test('live changes restart only the runs they change', { timeout: 25 * MINUTE }, async () => {
  const { page, errors } = await browser.open(`/?${QUERY}`);
  try {
    const started = await waitFor(page, errors, 'four runs with 30 records each', (runs) =>
      Object.keys(runs).length === 4 && Object.values(runs).every((run) => run.count >= 30));
    assert.deepEqual(Object.keys(started).sort(),
      ['plain-10', 'plain-4', 'residual-10', 'residual-4']);

    // A deeper deep net, from the keyboard: the deep runs restart, the shallow ones go on.
    const before = await snapshot(page);
    await page.focus('#depth-deep');
    await page.keyboard.press('ArrowRight');
    const deeper = Number.parseInt(await page.locator('#depth-deep-value').innerText(), 10);
    assert.ok(deeper > 10, `the deep slider moved past 10 layers (shows ${deeper})`);
    let latest = before;
    const moved = await waitFor(page, errors, `${deeper}-layer runs with 5 records each`,
      (runs) => {
        const deep = deepRuns(runs);
        return deep.length === 2 && deep.every((run) => run.depth === deeper && run.count >= 5) &&
          shallowRuns(runs).every((run) => run.last > before[run.id].last);
      },
      (runs) => {
        assertKeptGoing(latest, runs);
        latest = runs;
      });
    const generations = Math.max(...Object.values(before).map((run) => run.generation));
    for (const run of deepRuns(moved)) {
      assert.ok(run.generation > generations, `${run.id} is a new generation`);
      assert.ok(run.first < before[`${run.shortcuts}-${SHALLOW}`].last,
        `${run.id} started again from a small step (${run.first})`);
    }
    assert.deepEqual(Object.keys(moved).sort(),
      [`plain-${deeper}`, 'plain-4', `residual-${deeper}`, 'residual-4']);

    // "plain only": the residual runs go, the plain ones keep training.
    const chosen = latest;
    await page.selectOption('#shortcuts', 'plain');
    const plain = await waitFor(page, errors, 'only plain runs, still training',
      (runs) => Object.values(runs).every((run) => run.shortcuts === 'plain') &&
        Object.keys(runs).length === 2 &&
        Object.values(runs).every((run) => run.last > chosen[run.id].last),
      (runs) => {
        assertKeptGoing(latest, runs);
        latest = { ...latest, ...runs };
      });
    assert.deepEqual(Object.keys(plain).sort(), [`plain-${deeper}`, 'plain-4']);
    const kinds = await page.evaluate(() =>
      [...new Set(window.playground.records().map((record) => record.shortcuts))]);
    assert.deepEqual(kinds, ['plain'], 'only plain records remain');
  } finally {
    await browser.screenshot(page, 'live-changes');
  }
  assert.deepEqual(errors.page, [], 'no uncaught errors');
  assert.deepEqual(errors.console, [], 'no console errors');
  await page.close();
});
