// The charts in words: each run's step and latest training and test error.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RunData } from '../../www/js/store.js';
import { runSummary } from '../../www/js/summary.js';

const info = { id: 'plain-4', shortcuts: 'plain', depth: 4, parameters: 100, generation: 1 };
const record = (step, trainError, testError) => ({
  run: 'plain-4', step, train_loss: 1, train_error: trainError, test_error: testError, ms: 5,
  diverged: false,
});

test('a run before its first step', () => {
  assert.deepEqual(runSummary(new RunData(info, 0)),
    ['plain 4 layers', '0', 'not measured yet', 'not measured yet']);
});

test('the latest training error and the last measured test error', () => {
  const run = new RunData(info, 0);
  run.add(record(1, 0.5, null), 0);
  run.add(record(2, 0.25, 0.3), 1);
  run.add(record(3, 0.125, null), 2);
  assert.deepEqual(runSummary(run), ['plain 4 layers', '3', '12.50 %', '30.00 %']);
});

test('a diverged run says so', () => {
  const run = new RunData(info, 0);
  run.add({ ...record(1, null, null), train_loss: NaN, diverged: true }, 0);
  assert.deepEqual(runSummary(run), ['plain 4 layers (diverged)', '1', 'not measured yet',
    'not measured yet']);
});
