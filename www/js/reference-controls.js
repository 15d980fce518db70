// The reference-runs bar above the charts: load a runs file, clear it, fit the x axis to the
// live runs, and what was loaded (or why a file could not be). Parsing the file is
// reference.js's job; this module keeps `state.reference`, `referenceError` and `fitLive`.

import { parseRunsFile } from './reference.js';

const count = new Intl.NumberFormat('en');

// "plain-20, plain-56, residual-20 and residual-56", or the first few of many.
function runNames(runs) {
  const names = runs.map((run) => run.id);
  if (names.length > 6) return `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
}

export class ReferenceControls {
  // `changed()` runs after the state changed.
  constructor(document, state, changed) {
    const byId = (id) => document.getElementById(id);
    this.nodes = {
      input: byId('reference-file'), clear: byId('reference-clear'), fit: byId('fit-live'),
      fitField: byId('fit-live-field'), summary: byId('reference-summary'),
      error: byId('reference-error'),
    };
    const { input, clear, fit } = this.nodes;
    const set = (changes) => {
      Object.assign(state, changes);
      changed();
    };
    input.addEventListener('change', async () => {
      const [file] = input.files;
      input.value = ''; // so that loading the same file again is a change too
      if (!file) return;
      try {
        set({ reference: parseRunsFile(await file.text(), file.name), referenceError: '' });
      } catch (error) {
        set({ referenceError: error.message }); // the reference drawn so far stays
      }
    });
    clear.addEventListener('click', () => set({ reference: null, referenceError: '' }));
    fit.addEventListener('change', () => set({ fitLive: fit.checked }));
  }

  show(state) {
    const { nodes } = this;
    const { reference, referenceError, fitLive } = state;
    nodes.summary.textContent = reference
      ? `Reference: ${reference.name} · ${runNames(reference.runs)} · up to ` +
        `${count.format(reference.extent.lastStep)} iterations, drawn faded`
      : 'Draw saved runs under the live ones: a file from Download CSV, or the runs.csv or ' +
        'runs.json of cargo run --bin experiment -- --out runs.csv.';
    nodes.clear.hidden = !reference;
    nodes.fitField.hidden = !reference;
    nodes.fit.checked = fitLive;
    nodes.error.textContent = referenceError;
    nodes.error.hidden = !referenceError;
  }
}
