// The CSV the page's "Download CSV" button saves (www/js/csv.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { csvCell, recordsToCsv } from '../../www/js/csv.js';

const record = (fields) => ({
  run: 'plain-20', shortcuts: 'plain', depth: 20, step: 1, train_loss: 2.3,
  train_error: 0.9, test_error: null, ms: 12.5, diverged: false, ...fields,
});

test('the header names the columns in order', () => {
  const [header] = recordsToCsv([]).split('\n');
  assert.equal(header, 'run,shortcuts,depth,step,train_loss,train_error,test_error,ms');
});

test('no records gives only the header line', () => {
  assert.equal(recordsToCsv([]), 'run,shortcuts,depth,step,train_loss,train_error,test_error,ms\n');
});

test('errors stay fractions and null becomes an empty cell', () => {
  const lines = recordsToCsv([
    record({ step: 49, train_error: 0.25, test_error: null }),
    record({ step: 50, train_error: 0.125, test_error: 0.0625 }),
  ]).trim().split('\n');
  assert.deepEqual(lines.slice(1), [
    'plain-20,plain,20,49,2.3,0.25,,12.5',
    'plain-20,plain,20,50,2.3,0.125,0.0625,12.5',
  ]);
});

test('a training error not yet measured is empty too', () => {
  const [, line] = recordsToCsv([record({ train_error: null })]).split('\n');
  assert.equal(line.split(',')[5], '');
});

test('a diverged loss is written so that Python and pandas read it back', () => {
  assert.equal(csvCell(NaN), 'nan');
  assert.equal(csvCell(Infinity), 'inf');
  assert.equal(csvCell(-Infinity), '-inf');
  const [, line] = recordsToCsv([record({ train_loss: NaN, diverged: true })]).split('\n');
  assert.equal(line.split(',')[4], 'nan');
});

test('text with a comma or a quote is quoted', () => {
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell(undefined), '');
});
