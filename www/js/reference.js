// Reference runs: a runs file saved by the page's Download CSV or written by the `experiment`
// CLI (src/export.rs), read back as curves to draw faded under the live ones. One schema, as
// CSV or as JSON `{settings, records}`. No DOM here, so `node --test tests/js/` can check it.

import { CSV_COLUMNS } from './csv.js';

export const RUNS_CSV_HEADER = CSV_COLUMNS.join(',');

// A long reference run (the paper's 64,000 iterations) is drawn with at most this many points
// per curve, like the live runs (store.js).
export const MAX_REFERENCE_POINTS = 2000;

const KINDS = ['plain', 'residual'];

// `plain-20-seed2` → run `plain-20`, seed 2: the CLI adds the suffix when it trains several
// seeds. A name without one has seed null.
export function splitSeed(name) {
  const match = /^(.+)-seed(\d+)$/.exec(name);
  return match ? { base: match[1], seed: Number(match[2]) } : { base: name, seed: null };
}

// One CSV line → its cells. A quoted cell may hold commas and doubled quotes (csv.js writes
// them so); a line ending in an open quote is an error.
function csvCells(line) {
  if (!line.includes('"')) return line.split(',');
  const cells = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else {
      cell += c;
    }
  }
  if (quoted) throw new Error('a quoted cell is not closed');
  cells.push(cell);
  return cells;
}

// A number from a CSV cell or a JSON value: empty or null → null (not measured); the spellings
// of non-finite numbers that csv.js and Rust write (`nan`, `NaN`, `inf`, `-inf`) are read too.
const NON_FINITE = { nan: NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity,
  infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity };

function numberOrNull(value, field) {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return value;
  const number = Number(value);
  if (!Number.isNaN(number) && String(value).trim() !== '') return number;
  const special = NON_FINITE[String(value).trim().toLowerCase()];
  if (special === undefined) throw new Error(`${field} “${value}” is not a number`);
  return special;
}

function wholeNumber(value, field, min) {
  const number = numberOrNull(value, field);
  if (number === null) throw new Error(`${field} is missing`);
  if (!Number.isInteger(number) || number < min) {
    throw new Error(`${field} “${value}” is not a whole number of at least ${min}`);
  }
  return number;
}

function fraction(value, field) {
  const number = numberOrNull(value, field);
  if (Number.isFinite(number) && (number < 0 || number > 1)) {
    throw new Error(`${field} ${value} is not a fraction from 0 to 1`);
  }
  return number;
}

// A record from either format, checked; `fields` holds the raw values by column name.
function record(fields) {
  const run = fields.run === null || fields.run === undefined ? '' : String(fields.run);
  if (!run) throw new Error('the run name is missing');
  if (!KINDS.includes(fields.shortcuts)) {
    throw new Error(`shortcuts “${fields.shortcuts ?? ''}” is not plain or residual`);
  }
  return {
    run,
    shortcuts: fields.shortcuts,
    depth: wholeNumber(fields.depth, 'depth', 1),
    step: wholeNumber(fields.step, 'step', 0),
    train_loss: numberOrNull(fields.train_loss, 'train_loss'),
    train_error: fraction(fields.train_error, 'train_error'),
    test_error: fraction(fields.test_error, 'test_error'),
  };
}

function fromCsv(text) {
  const lines = text.split(/\r?\n/);
  if (lines[0].trim() !== RUNS_CSV_HEADER) {
    throw new Error(`it is not a runs file: its first line should be ${RUNS_CSV_HEADER}`);
  }
  const records = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    try {
      const cells = csvCells(lines[i]);
      if (cells.length !== CSV_COLUMNS.length) {
        throw new Error(`it has ${cells.length} cells, not ${CSV_COLUMNS.length}`);
      }
      const [run, shortcuts, depth, step, loss, train, testError] = cells;
      records.push(record({ run, shortcuts, depth, step, train_loss: loss, train_error: train,
        test_error: testError }));
    } catch (error) {
      throw new Error(`line ${i + 1}: ${error.message}`);
    }
  }
  return { settings: null, records };
}

function fromJson(text) {
  let file;
  try {
    file = JSON.parse(text);
  } catch (error) {
    throw new Error(`it is not valid JSON (${error.message})`);
  }
  if (!Array.isArray(file?.records)) {
    throw new Error('it is not a runs file: it has no "records" list');
  }
  const records = file.records.map((fields, index) => {
    try {
      if (typeof fields !== 'object' || fields === null) throw new Error('it is not an object');
      return record(fields);
    } catch (error) {
      throw new Error(`record ${index + 1}: ${error.message}`);
    }
  });
  return { settings: typeof file.settings === 'object' ? file.settings : null, records };
}

// Every `stride`-th point and the last one, so that at most `maxPoints` remain.
export function downsample(xs, ys, maxPoints = MAX_REFERENCE_POINTS) {
  if (xs.length <= maxPoints) return [xs, ys];
  const stride = Math.ceil(xs.length / (maxPoints - 1));
  const keep = [];
  for (let i = 0; i < xs.length; i += stride) keep.push(i);
  if (keep.at(-1) !== xs.length - 1) keep.push(xs.length - 1);
  return [keep.map((i) => xs[i]), keep.map((i) => ys[i])];
}

// One curve: the steps where `field` was measured and its values there, downsampled.
function curve(records, field, maxPoints) {
  const measured = records.filter((r) => r[field] !== null);
  return downsample(measured.map((r) => r.step), measured.map((r) => r[field]), maxPoints);
}

// Records → one entry per run, in the order the runs first appear, each curve sorted by step.
function groupRuns(records, maxPoints) {
  const byRun = new Map();
  for (const r of records) {
    const first = byRun.get(r.run)?.[0];
    if (first && (first.shortcuts !== r.shortcuts || first.depth !== r.depth)) {
      throw new Error(`run ${r.run} mixes ${first.shortcuts}-${first.depth} and ` +
        `${r.shortcuts}-${r.depth} records`);
    }
    if (!byRun.has(r.run)) byRun.set(r.run, []);
    byRun.get(r.run).push(r);
  }
  return [...byRun.entries()].map(([id, list]) => {
    list.sort((a, b) => a.step - b.step);
    const { base, seed } = splitSeed(id);
    return {
      id, base, seed, shortcuts: list[0].shortcuts, depth: list[0].depth,
      records: list.length, lastStep: list.at(-1).step,
      train: curve(list, 'train_error', maxPoints),
      test: curve(list, 'test_error', maxPoints),
      loss: curve(list, 'train_loss', maxPoints),
    };
  });
}

// The ranges the charts need to fit every run: the highest error (a fraction), the smallest
// and largest positive training loss (null when none), and the last step.
function extentOf(records) {
  const extent = { errorMax: 0, lossMin: null, lossMax: null, lastStep: 0 };
  for (const r of records) {
    for (const error of [r.train_error, r.test_error]) {
      if (Number.isFinite(error)) extent.errorMax = Math.max(extent.errorMax, error);
    }
    if (Number.isFinite(r.train_loss) && r.train_loss > 0) {
      extent.lossMin = Math.min(extent.lossMin ?? Infinity, r.train_loss);
      extent.lossMax = Math.max(extent.lossMax ?? 0, r.train_loss);
    }
    extent.lastStep = Math.max(extent.lastStep, r.step);
  }
  return extent;
}

// Read a runs file: `text` is its contents, `name` its file name (for messages and legends).
// Returns {name, settings (JSON only, else null), runs, extent}; each run's `train`, `test` and
// `loss` are `[steps, values]` with errors as fractions. A file that is not a runs file throws an
// Error whose message says why in plain words.
export function parseRunsFile(text, name = 'the file', maxPoints = MAX_REFERENCE_POINTS) {
  const body = String(text).replace(/^\uFEFF/, '').trim();
  try {
    if (!body) throw new Error('it is empty');
    const { settings, records } = /^[[{]/.test(body) ? fromJson(body) : fromCsv(body);
    if (records.length === 0) throw new Error('it holds no records');
    return { name, settings, runs: groupRuns(records, maxPoints), extent: extentOf(records) };
  } catch (error) {
    throw new Error(`${name} could not be read: ${error.message}.`);
  }
}
