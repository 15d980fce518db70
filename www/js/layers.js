// Per-layer numbers from the worker's records (`layers`: each block's gradient norm and each
// layer's response, every few steps), kept per run for the insight section. No DOM here, so
// `node --test tests/js/` can check it.

// Samples kept per run; past this, every other old sample is dropped, so a long run keeps its
// whole history at a coarser grain.
export const MAX_SAMPLES = 400;

export class LayerHistory {
  constructor() {
    // run id → {session, generation, samples: [{step, gradient_norms, responses}]}
    this.runs = new Map();
  }

  // A 'runs' message: a run keeps its samples only if it is the same run of the same session.
  sync(runs, session) {
    const next = new Map();
    for (const info of runs) {
      const old = this.runs.get(info.id);
      const same = old && old.session === session && old.generation === info.generation;
      next.set(info.id, same ? old : { session, generation: info.generation, samples: [] });
    }
    this.runs = next;
  }

  add(record) {
    const run = this.runs.get(record.run);
    if (!run || !record.layers) return;
    const last = run.samples.at(-1);
    if (last && record.step <= last.step) run.samples.length = 0; // the run started again
    run.samples.push({ step: record.step, ...record.layers });
    if (run.samples.length > MAX_SAMPLES) {
      run.samples = run.samples.filter((_, i) => i % 2 === 1 || i === run.samples.length - 1);
    }
  }

  samples(id) {
    return this.runs.get(id)?.samples ?? [];
  }
}

// The log10 range of every positive gradient norm in `sampleLists`, shared by all heatmaps so
// that one colour means one size everywhere. Never empty: {low, high} with high > low.
export function logRange(sampleLists) {
  let low = Infinity;
  let high = -Infinity;
  for (const samples of sampleLists) {
    for (const { gradient_norms: norms } of samples) {
      for (const norm of norms) {
        if (!(norm > 0) || !Number.isFinite(norm)) continue;
        const log = Math.log10(norm);
        low = Math.min(low, log);
        high = Math.max(high, log);
      }
    }
  }
  if (!Number.isFinite(low)) return { low: -3, high: 0 };
  return high - low < 0.5 ? { low: low - 0.25, high: high + 0.25 } : { low, high };
}

// How many times larger the gradient reaching the first block is than the last block's, in
// the latest sample; null without two blocks or with a zero.
export function spread(sample) {
  const norms = sample?.gradient_norms ?? [];
  if (norms.length < 2 || !(norms.at(-1) > 0) || !(norms[0] > 0)) return null;
  return norms[0] / norms.at(-1);
}

export const NO_SUMMARY = 'No layer measurements yet.';

const ratio = (value) => (value >= 10 ? value.toFixed(0) : value.toFixed(1));

// The heatmaps in words, for screen readers and for anyone who wants the number.
export function layerSummary(runs, history) {
  const parts = [];
  for (const info of runs) {
    const sample = history.samples(info.id).at(-1);
    const norms = sample?.gradient_norms ?? [];
    if (norms.length && norms.every((norm) => norm === 0)) {
      parts.push(`${info.id} at step ${sample.step}: no gradient reaches any block (a dead net)`);
      continue;
    }
    const times = spread(sample);
    if (times === null) continue;
    // Always "bigger is N× smaller", so that a fading gradient reads as plainly as a growing one.
    const [big, small, factor] = times >= 1
      ? ['first', 'last', times] : ['last', 'first', 1 / times];
    parts.push(`${info.id} at step ${sample.step}: the ${big} block's gradient is ` +
      `${ratio(factor)}× the ${small} block's`);
  }
  return parts.length ? `${parts.join('; ')}.` : NO_SUMMARY;
}
