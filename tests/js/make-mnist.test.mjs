// The converter's output must be what src/data/mnist.rs accepts, and the same on every run.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../www/tools/make-mnist.mjs', import.meta.url));
const PIXELS = 28 * 28;

/** CRC-32 (IEEE) written independently of the converter's, bitwise like the Rust one. */
function crc32(bytes) {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

let dir;
let first;
let second;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'make-mnist-'));
  const run = (name) => {
    const out = join(dir, name);
    execFileSync(process.execPath, [SCRIPT, out], { stdio: 'pipe' });
    return readFileSync(out);
  };
  first = run('a.bin');
  second = run('b.bin');
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('header fields', () => {
  assert.equal(first.subarray(0, 8).toString('latin1'), 'RPMNIST\0');
  const words = [0, 1, 2, 3, 4].map((i) => first.readUInt32LE(8 + 4 * i));
  assert.deepEqual(words, [1, 10_000, 28, 28, 8_000]); // version, count, rows, cols, train
});

test('size is header plus labels plus pixels', () => {
  assert.equal(first.length, 32 + 10_000 * (1 + PIXELS));
});

test('checksum covers everything after the header', () => {
  assert.equal(first.readUInt32LE(28), crc32(first.subarray(32)));
});

test('labels are digits and every class is in both splits', () => {
  const labels = first.subarray(32, 32 + 10_000);
  assert.ok(labels.every((l) => l <= 9));
  for (const part of [labels.subarray(0, 8_000), labels.subarray(8_000)]) {
    assert.equal(new Set(part).size, 10);
  }
});

test('pixels use the whole 0-255 range', () => {
  const pixels = first.subarray(32 + 10_000);
  assert.equal(Math.min(...pixels.subarray(0, 100 * PIXELS)), 0);
  assert.equal(Math.max(...pixels.subarray(0, 100 * PIXELS)), 255);
});

test('two runs give identical bytes', () => {
  assert.ok(first.equals(second));
});
