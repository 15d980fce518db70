// The CIFAR-10 file list the page shows (www/js/cifar.js); the files themselves are checked in
// Rust (src/data/cifar.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { cifarCounts, isTestFile, mergeFiles } from '../../www/js/cifar.js';

const file = (name, records) => ({ name, size: records * 3073 });

test('test_batch files are the test set, every other file training data', () => {
  assert.equal(isTestFile('test_batch.bin'), true);
  assert.equal(isTestFile('cifar-10-batches-bin/test_batch.bin'), true);
  assert.equal(isTestFile('data_batch_1.bin'), false);
  assert.equal(isTestFile('my_test_batch.bin'), false);
});

test('images are counted as size / 3073, by set', () => {
  const files = [1, 2, 3, 4, 5].map((n) => file(`data_batch_${n}.bin`, 10_000));
  files.push(file('test_batch.bin', 10_000));
  assert.deepEqual(cifarCounts(files), { train: 50_000, test: 10_000 });
  assert.deepEqual(cifarCounts([]), { train: 0, test: 0 });
});

test('files chosen again replace those of the same name, and list in name order', () => {
  const first = [file('test_batch.bin', 1), file('data_batch_2.bin', 1)];
  const merged = mergeFiles(first, [file('data_batch_1.bin', 1), file('test_batch.bin', 2)]);
  assert.deepEqual(merged.map((f) => [f.name, f.size / 3073]),
    [['data_batch_1.bin', 1], ['data_batch_2.bin', 1], ['test_batch.bin', 2]]);
});
