// Runs files read back as reference curves (www/js/reference.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { recordsToCsv } from '../../www/js/csv.js';
import { downsample, parseRunsFile, splitSeed } from '../../www/js/reference.js';

const HEADER = 'run,shortcuts,depth,step,train_loss,train_error,test_error,ms';

// What the CLI writes (src/export.rs): lockstep records of two runs, test error every 2 steps.
const CLI_CSV = [
  HEADER,
  'plain-20,plain,20,1,2.3,0.9,,12.5',
  'plain-56,plain,56,1,2.4,0.91,,30',
  'plain-20,plain,20,2,2.1,0.8,0.85,12',
  'plain-56,plain,56,2,2.35,0.9,0.9,31',
  '',
].join('\n');

const byId = (file) => Object.fromEntries(file.runs.map((run) => [run.id, run]));

test('a CSV from the CLI gives one run per name with its curves', () => {
  const file = parseRunsFile(CLI_CSV, 'runs.csv');
  assert.equal(file.name, 'runs.csv');
  assert.equal(file.settings, null);
  const runs = byId(file);
  assert.deepEqual(Object.keys(runs), ['plain-20', 'plain-56']);
  const run = runs['plain-20'];
  assert.equal(run.shortcuts, 'plain');
  assert.equal(run.depth, 20);
  assert.equal(run.seed, null);
  assert.equal(run.lastStep, 2);
  assert.deepEqual(run.train, [[1, 2], [0.9, 0.8]]);
  assert.deepEqual(run.loss, [[1, 2], [2.3, 2.1]]);
  assert.deepEqual(run.test, [[2], [0.85]], 'only measured test errors are kept');
});

test('empty fields are null, and a run with none measured has an empty curve', () => {
  const text = `${HEADER}\nresidual-8,residual,8,1,,,,3\nresidual-8,residual,8,2,1.5,,,3\n`;
  const [run] = parseRunsFile(text, 'r.csv').runs;
  assert.deepEqual(run.train, [[], []]);
  assert.deepEqual(run.test, [[], []]);
  assert.deepEqual(run.loss, [[2], [1.5]]);
});

test('the page’s own Download CSV reads back, nan and inf included', () => {
  const records = [1, 2, 3].map((step) => ({
    run: 'residual-6', shortcuts: 'residual', depth: 6, step, train_loss: step === 3 ? NaN : 1,
    train_error: 0.5, test_error: step === 2 ? 0.25 : null, ms: 2, diverged: false,
  }));
  const [run] = parseRunsFile(recordsToCsv(records), 'resnet-playground.csv').runs;
  assert.equal(run.id, 'residual-6');
  assert.deepEqual(run.loss[0], [1, 2, 3]);
  assert.ok(Number.isNaN(run.loss[1][2]), 'nan reads as NaN');
  assert.deepEqual(run.test, [[2], [0.25]]);
});

test('a JSON file from the CLI reads like the CSV', () => {
  const records = CLI_CSV.trim().split('\n').slice(1).map((line) => {
    const [run, shortcuts, depth, step, loss, train, testError, ms] = line.split(',');
    const value = (text) => (text === '' ? null : Number(text));
    return { run, shortcuts, depth: Number(depth), step: Number(step), train_loss: Number(loss),
      train_error: value(train), test_error: value(testError), ms: Number(ms), diverged: false };
  });
  const settings = { dataset: 'cifar10', arch: 'cnn', depths: [20, 56] };
  const file = parseRunsFile(JSON.stringify({ settings, records }), 'runs.json');
  assert.deepEqual(file.settings, settings);
  const csv = parseRunsFile(CLI_CSV, 'runs.json');
  assert.deepEqual(file.runs, csv.runs);
});

test('JSON nulls (serde writes NaN as null) and records out of order', () => {
  const records = [
    { run: 'plain-8', shortcuts: 'plain', depth: 8, step: 2, train_loss: null, train_error: null,
      test_error: null, ms: 1, diverged: true },
    { run: 'plain-8', shortcuts: 'plain', depth: 8, step: 1, train_loss: 3, train_error: 0.7,
      test_error: null, ms: 1, diverged: false },
  ];
  const [run] = parseRunsFile(JSON.stringify({ settings: {}, records }), 'x.json').runs;
  assert.deepEqual(run.train, [[1], [0.7]]);
  assert.equal(run.lastStep, 2);
});

test('a seed suffix names the seed and keeps the runs apart', () => {
  assert.deepEqual(splitSeed('plain-20-seed2'), { base: 'plain-20', seed: 2 });
  assert.deepEqual(splitSeed('plain-20'), { base: 'plain-20', seed: null });
  const text = [HEADER, 'plain-20-seed1,plain,20,1,2,0.5,,1', 'plain-20-seed2,plain,20,1,2,0.6,,1']
    .join('\n');
  const runs = parseRunsFile(text, 'seeds.csv').runs;
  assert.deepEqual(runs.map((run) => [run.id, run.base, run.seed]),
    [['plain-20-seed1', 'plain-20', 1], ['plain-20-seed2', 'plain-20', 2]]);
});

test('long runs are downsampled and keep their last step', () => {
  const lines = [HEADER];
  for (let step = 1; step <= 64_000; step++) lines.push(`plain-56,plain,56,${step},1,0.5,,1`);
  const [run] = parseRunsFile(lines.join('\n'), 'long.csv').runs;
  assert.ok(run.train[0].length <= 2000, `${run.train[0].length} points`);
  assert.equal(run.train[0].at(-1), 64_000);
  assert.equal(run.train[0][0], 1);
  assert.equal(run.records, 64_000);
  const [xs] = downsample([1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, 6, 7], 3);
  assert.ok(xs.length <= 3 && xs.at(-1) === 7 && xs[0] === 1, `${xs}`);
});

test('bad files throw an Error that says why in plain words', () => {
  const bad = {
    'empty.csv': ['', /empty.csv could not be read: it is empty/],
    'other.csv': ['a,b,c\n1,2,3\n', /first line should be run,shortcuts,depth/],
    'header.csv': [`${HEADER}\n`, /holds no records/],
    'short.csv': [`${HEADER}\nplain-4,plain,4,1\n`, /line 2: it has 4 cells, not 8/],
    'kind.csv': [`${HEADER}\nx-4,wide,4,1,1,0.5,,1\n`, /line 2: shortcuts “wide” is not plain/],
    'step.csv': [`${HEADER}\nplain-4,plain,4,one,1,0.5,,1\n`, /line 2: step “one” is not a/],
    'percent.csv': [`${HEADER}\nplain-4,plain,4,1,1,50,,1\n`, /train_error 50 is not a fraction/],
    'quote.csv': [`${HEADER}\n"plain-4,plain,4,1,1,0.5,,1\n`, /line 2: a quoted cell is not/],
    'mixed.csv': [`${HEADER}\nr,plain,4,1,1,0.5,,1\nr,plain,6,2,1,0.5,,1\n`, /run r mixes/],
    'broken.json': ['{"records": [', /broken.json could not be read: it is not valid JSON/],
    'list.json': ['{"settings": {}}', /has no "records" list/],
    'record.json': ['{"records": [{"run": "p", "shortcuts": "plain", "depth": 0, "step": 1}]}',
      /record 1: depth “0” is not a whole number of at least 1/],
  };
  for (const [name, [text, message]] of Object.entries(bad)) {
    assert.throws(() => parseRunsFile(text, name), (error) => {
      assert.ok(error instanceof Error, name);
      assert.match(error.message, message, name);
      return true;
    });
  }
});

test('the extent covers every record, for the charts’ shared scales', () => {
  const { extent } = parseRunsFile(CLI_CSV, 'runs.csv');
  assert.deepEqual(extent, { errorMax: 0.91, lossMin: 2.1, lossMax: 2.4, lastStep: 2 });
});
