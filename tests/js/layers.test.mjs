// The per-layer history behind the heatmaps: kept per run and session, bounded, summarised.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LayerHistory, layerSummary, logRange, MAX_SAMPLES, spread } from '../../www/js/layers.js';

const info = (id, generation = 1) => ({ id, generation });
const record = (run, step, norms) => ({
  run, step, layers: { gradient_norms: norms, responses: norms.flatMap((n) => [1, n]) },
});

test('samples are kept per run, and only records with layers count', () => {
  const history = new LayerHistory();
  history.sync([info('plain-6'), info('plain-30')], 1);
  history.add(record('plain-6', 1, [4, 2]));
  history.add({ run: 'plain-6', step: 2, train_loss: 1 }); // no layers this step
  history.add(record('plain-30', 1, [40, 1]));
  history.add(record('not-a-run', 1, [1]));
  assert.deepEqual(history.samples('plain-6').map((s) => s.step), [1]);
  assert.deepEqual(history.samples('plain-30')[0].gradient_norms, [40, 1]);
  assert.deepEqual(history.samples('not-a-run'), []);
});

test('a restarted run or a new session starts empty; the same run keeps its samples', () => {
  const history = new LayerHistory();
  history.sync([info('plain-6')], 1);
  history.add(record('plain-6', 11, [1, 1]));
  history.sync([info('plain-6')], 1);
  assert.equal(history.samples('plain-6').length, 1, 'same session and generation');
  history.sync([info('plain-6', 2)], 1);
  assert.equal(history.samples('plain-6').length, 0, 'a new generation');
  history.add(record('plain-6', 11, [1, 1]));
  history.sync([info('plain-6', 2)], 2);
  assert.equal(history.samples('plain-6').length, 0, 'a new session');
  history.add(record('plain-6', 21, [1, 1]));
  history.add(record('plain-6', 1, [1, 1]));
  assert.deepEqual(history.samples('plain-6').map((s) => s.step), [1], 'steps went back');
});

test('a long run keeps a bounded, evenly thinned history ending at its last sample', () => {
  const history = new LayerHistory();
  history.sync([info('residual-30')], 1);
  for (let step = 1; step <= 10 * 3 * MAX_SAMPLES; step += 10) {
    history.add(record('residual-30', step, [1, 2]));
  }
  const steps = history.samples('residual-30').map((s) => s.step);
  assert.ok(steps.length <= MAX_SAMPLES, `${steps.length} samples`);
  assert.ok(steps.length >= MAX_SAMPLES / 2, `${steps.length} samples`);
  assert.equal(steps.at(-1), 10 * 3 * MAX_SAMPLES - 9);
  assert.deepEqual([...steps].sort((a, b) => a - b), steps, 'in step order');
});

test('the colour scale spans every positive norm, and is never empty', () => {
  assert.deepEqual(logRange([[{ gradient_norms: [0.01, 100, 0] }], [{ gradient_norms: [1] }]]),
    { low: -2, high: 2 });
  assert.deepEqual(logRange([]), { low: -3, high: 0 });
  assert.deepEqual(logRange([[{ gradient_norms: [NaN, Infinity, -1] }]]), { low: -3, high: 0 });
  const flat = logRange([[{ gradient_norms: [10, 10] }]]);
  assert.ok(flat.high > flat.low);
});

test('the summary puts the first block against the last, per run', () => {
  assert.equal(spread({ gradient_norms: [42.9, 1, 0.315] }), 42.9 / 0.315);
  assert.equal(spread({ gradient_norms: [1] }), null);
  assert.equal(spread({ gradient_norms: [1, 0] }), null);
  const history = new LayerHistory();
  history.sync([info('plain-30'), info('residual-30')], 1);
  history.add(record('plain-30', 1, [136, 1]));
  history.add(record('residual-30', 1, [7.04, 1]));
  assert.equal(layerSummary([info('plain-30'), info('residual-30')], history),
    "plain-30 at step 1: the first block's gradient is 136× the last block's; " +
    "residual-30 at step 1: the first block's gradient is 7.0× the last block's.");
  assert.equal(layerSummary([], history), 'No layer measurements yet.');
});

test('a net no gradient reaches is said to be dead, not left out', () => {
  const history = new LayerHistory();
  history.sync([info('plain-30')], 1);
  history.add(record('plain-30', 41, [0, 0, 0]));
  assert.equal(layerSummary([info('plain-30')], history),
    'plain-30 at step 41: no gradient reaches any block (a dead net).');
});

test('a gradient that fades towards the input reads as such', () => {
  const history = new LayerHistory();
  history.sync([info('plain-60')], 1);
  history.add(record('plain-60', 591, [0.002, 1, 0.5]));
  assert.equal(layerSummary([info('plain-60')], history),
    "plain-60 at step 591: the last block's gradient is 250× the first block's.");
});
