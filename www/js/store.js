// Every record of every run, kept in full for the CSV, and the downsampled columns the charts
// draw. No DOM here, so `node --test tests/js/` can check it.

// uPlot stays fast and memory stays bounded when each series has at most this many points.
export const MAX_CHART_POINTS = 2000;

// A growable column of numbers in a Float64Array: 8 bytes a value however long training runs.
// In the error columns NaN stands for "not measured" (null in a record).
class Column {
  constructor() {
    this.values = new Float64Array(1024);
    this.length = 0;
  }

  push(value) {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  at(index) {
    return this.values[index];
  }
}

const orNaN = (value) => (value === null || value === undefined ? NaN : value);
const orNull = (value) => (Number.isNaN(value) ? null : value);

// One run of the current session: its info from the worker's 'runs' message and its records.
export class RunData {
  constructor(info, session) {
    this.info = info;
    this.session = session;
    this.clear();
  }

  clear() {
    this.step = new Column();
    this.loss = new Column();
    this.trainError = new Column();
    this.testError = new Column();
    this.ms = new Column();
    this.tested = []; // rows that have a test error (measured every few dozen steps)
    this.diverged = false;
    this.msAverage = null;
    this.lastTime = null; // when the last record came
    this.resetRate();
  }

  get length() {
    return this.step.length;
  }

  get lastStep() {
    return this.length ? this.step.at(this.length - 1) : 0;
  }

  add(record, now) {
    // A step at or before the last one means the run started again from step 0.
    if (this.length && record.step <= this.lastStep) this.clear();
    this.step.push(record.step);
    this.loss.push(record.train_loss);
    this.trainError.push(orNaN(record.train_error));
    this.testError.push(orNaN(record.test_error));
    this.ms.push(record.ms);
    if (record.test_error !== null && record.test_error !== undefined) {
      this.tested.push(this.length - 1);
    }
    this.diverged ||= Boolean(record.diverged);
    this.msAverage = this.msAverage === null ? record.ms : 0.9 * this.msAverage + 0.1 * record.ms;
    this.lastTime = now;
    this.noteRate(record.step, now);
  }

  // Steps per second by the wall clock, over windows of at least a second.
  noteRate(step, now) {
    const rate = this.rate;
    if (rate.time === null) {
      Object.assign(rate, { time: now, step });
    } else if (now - rate.time >= 1000) {
      rate.perSecond = ((step - rate.step) * 1000) / (now - rate.time);
      Object.assign(rate, { time: now, step });
    }
  }

  // Steps per second, or null when unknown or when the run has stopped stepping (diverged,
  // at its step limit, paused) for longer than two seconds.
  stepsPerSecond(now) {
    const stale = this.lastTime === null || now - this.lastTime > 2000;
    return stale ? null : this.rate.perSecond;
  }

  // After a pause the next window must not count the time spent paused.
  resetRate() {
    this.rate = { time: null, step: 0, perSecond: null };
  }

  record(row) {
    const { id, shortcuts, depth } = this.info;
    return {
      run: id, shortcuts, depth, step: this.step.at(row), train_loss: this.loss.at(row),
      train_error: orNull(this.trainError.at(row)), test_error: orNull(this.testError.at(row)),
      ms: this.ms.at(row), diverged: this.diverged && row === this.length - 1,
    };
  }
}

// The runs listed in a 'runs' message. A run keeps its records only when it is the same run
// of the same session (same `session` number and `generation`); any other run starts empty.
export function syncRuns(previous, runs, session) {
  const next = new Map();
  for (const info of runs) {
    const old = previous.get(info.id);
    const same = old && old.session === session && old.info.generation === info.generation;
    if (same) old.info = info;
    next.set(info.id, same ? old : new RunData(info, session));
  }
  return next;
}

// Every record so far, run by run, for the CSV and the browser tests.
export function allRecords(runs) {
  const records = [];
  for (const run of runs.values()) {
    for (let row = 0; row < run.length; row++) records.push(run.record(row));
  }
  return records;
}

// A stride from 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, …: up to 50 it divides 50, so test
// errors (measured every 50 steps) land exactly on charted steps.
export function niceStride(minimum) {
  for (const stride of [1, 2, 5, 10, 25, 50]) if (stride >= minimum) return stride;
  for (let base = 100; ; base *= 10) {
    for (const stride of [base, 2.5 * base, 5 * base]) if (stride >= minimum) return stride;
  }
}

// Index of the last row whose step is ≤ `x` (rows are in increasing step order).
function rowAtOrBefore(steps, length, x) {
  let low = 0;
  let high = length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (steps.at(middle) <= x) low = middle;
    else high = middle - 1;
  }
  return low;
}

const percent = (fraction) => (Number.isFinite(fraction) ? fraction * 100 : null);
const positive = (value) => (Number.isFinite(value) && value > 0 ? value : null);

// Columns for uPlot on one shared step axis: every `stride`-th step plus the latest one, so a
// series never has more than about `maxPoints` points. Non-finite values become null so that
// the axes never break. `errorMax` (%) and `lossMin`/`lossMax` let every chart share a scale.
export function chartData(runs, maxPoints = MAX_CHART_POINTS) {
  let maxStep = 0;
  for (const run of runs.values()) maxStep = Math.max(maxStep, run.lastStep);
  const stride = niceStride(maxStep / maxPoints);
  const xs = [];
  for (let x = stride; x <= maxStep; x += stride) xs.push(x);
  if (maxStep > 0 && xs[xs.length - 1] !== maxStep) xs.push(maxStep);

  const series = new Map();
  const range = { errorMax: 0, lossMin: Infinity, lossMax: 0 };
  for (const [id, run] of runs) {
    const train = new Array(xs.length).fill(null);
    const test = new Array(xs.length).fill(null);
    const loss = new Array(xs.length).fill(null);
    if (run.length) {
      const first = run.step.at(0);
      for (let k = 0; k < xs.length; k++) {
        if (xs[k] < first || xs[k] > run.lastStep) continue;
        const row = rowAtOrBefore(run.step, run.length, xs[k]);
        train[k] = percent(run.trainError.at(row));
        loss[k] = positive(run.loss.at(row));
      }
      for (const row of run.tested) {
        const k = Math.min(Math.ceil(run.step.at(row) / stride), xs.length) - 1;
        test[k] = percent(run.testError.at(row));
      }
    }
    for (let k = 0; k < xs.length; k++) {
      range.errorMax = Math.max(range.errorMax, train[k] ?? 0, test[k] ?? 0);
      if (loss[k] === null) continue;
      range.lossMin = Math.min(range.lossMin, loss[k]);
      range.lossMax = Math.max(range.lossMax, loss[k]);
    }
    series.set(id, { train, test, loss });
  }
  return { xs, series, stride, ...range };
}
