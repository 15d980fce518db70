// The page's record store and chart downsampling (www/js/store.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { allRecords, chartData, niceStride, RunData, syncRuns } from '../../www/js/store.js';

const info = (id, depth, generation = 1) =>
  ({ id, shortcuts: id.split('-')[0], depth, family: 'mlp', parameters: 1000, generation });

function fill(run, steps, { testEvery = 50, lossAt = () => 1 } = {}) {
  for (let step = 1; step <= steps; step++) {
    run.add({
      run: run.info.id, shortcuts: run.info.shortcuts, depth: run.info.depth, step,
      train_loss: lossAt(step), train_error: 0.5, ms: 2,
      test_error: step % testEvery === 0 ? 0.25 : null, diverged: false,
    }, step);
  }
}

test('records come back as the worker sent them, null errors included', () => {
  const runs = syncRuns(new Map(), [info('plain-6', 6)], 1);
  fill(runs.get('plain-6'), 60);
  const records = allRecords(runs);
  assert.equal(records.length, 60);
  assert.equal(records[0].test_error, null);
  assert.equal(records[49].test_error, 0.25);
  assert.equal(records[59].step, 60);
});

test('a run keeps its records only within the same session and generation', () => {
  let runs = syncRuns(new Map(), [info('plain-6', 6), info('plain-30', 30, 2)], 1);
  fill(runs.get('plain-6'), 10);
  fill(runs.get('plain-30'), 10);
  runs = syncRuns(runs, [info('plain-6', 6), info('plain-32', 32, 3)], 1);
  assert.equal(runs.get('plain-6').length, 10);
  assert.equal(runs.get('plain-32').length, 0);
  assert.equal(runs.has('plain-30'), false);
  runs = syncRuns(runs, [info('plain-6', 6)], 2);
  assert.equal(runs.get('plain-6').length, 0, 'a new session starts every run over');
});

test('a step that goes back means the run restarted', () => {
  const run = new RunData(info('residual-6', 6), 1);
  fill(run, 20);
  fill(run, 5);
  assert.equal(run.length, 5);
});

test('charted series stay under the point limit and keep the latest step', () => {
  const runs = syncRuns(new Map(), [info('plain-6', 6)], 1);
  fill(runs.get('plain-6'), 12_345);
  const data = chartData(runs, 2000);
  assert.ok(data.xs.length <= 2001, `${data.xs.length} points`);
  assert.equal(data.xs.at(-1), 12_345);
  const { train, test } = data.series.get('plain-6');
  assert.equal(train.at(-1), 50);
  assert.equal(test.filter((v) => v !== null).length, Math.floor(12_345 / 50));
});

test('non-finite values are charted as null', () => {
  const runs = syncRuns(new Map(), [info('plain-6', 6)], 1);
  fill(runs.get('plain-6'), 3, { lossAt: (step) => (step === 3 ? NaN : 1) });
  const { loss } = chartData(runs).series.get('plain-6');
  assert.deepEqual(loss, [1, 1, null]);
});

test('strides up to 50 divide 50, so test errors land on charted steps', () => {
  assert.deepEqual([0.2, 1, 1.5, 3, 7, 20, 40, 90, 300].map(niceStride),
    [1, 1, 2, 5, 10, 25, 50, 100, 500]);
});
