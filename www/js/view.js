// The page around the charts: the status line, the loading state, warnings, notices, errors
// and which buttons can be pressed. Reads the state object, never changes it.

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumSignificantDigits: 3 });
const BUSY = new Set(['preparing', 'running']); // 'loading' has its own banner and spinner

function backendText(state) {
  const backend = state.backend;
  if (!backend) {
    const choice = state.settings?.backend ?? 'auto';
    return `Backend: chosen when training starts (${choice})`;
  }
  const name = backend.backend === 'webgpu' ? 'WebGPU' : 'CPU';
  const note = backend.note ? ` · ${backend.note}` : '';
  return `Backend: ${name} · adapter: ${backend.adapter}${note}`;
}

function phaseText(state) {
  if (state.error) return 'stopped';
  const waiting = state.phase === 'running' &&
    [...state.runs.values()].every((run) => run.length === 0);
  let text = state.phase === 'done' ? 'finished' : state.phaseText;
  if (waiting) text = 'training: waiting for the first step…';
  const steps = state.settings?.steps ?? 0;
  if (steps > 0) text += ` (stops after ${steps} steps)`;
  // A schedule set by a preset or the URL (drops=, augment=): there is no control for it.
  const drops = state.settings?.drops ?? [];
  if (drops.length) text += ` · learning rate ÷10 at step ${drops.join(' and ')}`;
  if (state.settings?.augment) text += ' · pad-crop-flip augmentation';
  return text;
}

function runText(run, now, running) {
  const { shortcuts, depth, parameters, grown_from: from } = run.info;
  const grown = from ? `, grown from ${from}` : '';
  const parts = [`${shortcuts} ${depth} layers${grown} (${compact.format(parameters)} parameters)`,
    `step ${run.lastStep}`];
  if (shortcuts === 'residual' && run.info.shortcuts_on === false) parts.push('shortcuts off');
  const perSecond = running && !run.diverged ? run.stepsPerSecond(now) : null;
  if (perSecond !== null) parts.push(`${perSecond.toFixed(1)} steps/s`);
  if (run.msAverage !== null) parts.push(`${run.msAverage.toFixed(1)} ms a step`);
  if (run.diverged) parts.push('diverged');
  return parts.join(' · ');
}

export class View {
  // `root`: the Document or ShadowRoot of the figure; `phaseTarget`: the element whose
  // data-phase says what the figure is doing (the page's body, or the custom element).
  constructor(root, phaseTarget) {
    const byId = (id) => root.getElementById(id);
    this.body = phaseTarget;
    this.nodes = {
      loading: byId('loading'), error: byId('error'), notice: byId('notice'),
      warnings: byId('warnings'), warningList: byId('warnings').querySelector('ul'),
      phase: byId('phase'), backend: byId('backend-status'), runs: byId('run-status'),
      start: byId('start'), pause: byId('pause'), reset: byId('reset'),
      downloads: ['download-csv', 'download-json', 'download-png'].map(byId),
    };
  }

  // Cheap: safe to call straight from a message handler.
  renderStatus(state) {
    const { nodes } = this;
    nodes.phase.textContent = phaseText(state);
    nodes.phase.classList.toggle('busy', BUSY.has(state.phase) && !state.error);
    nodes.backend.textContent = backendText(state);
    nodes.loading.hidden = state.ready || Boolean(state.error);
    this.body.dataset.phase = state.error ? 'error' : state.phase;
  }

  renderRuns(state) {
    const list = this.nodes.runs;
    const runs = [...state.runs.values()];
    const now = performance.now();
    while (list.children.length > runs.length) list.lastElementChild.remove();
    while (list.children.length < runs.length) list.append(document.createElement('li'));
    runs.forEach((run, index) => {
      const item = list.children[index];
      const text = runText(run, now, state.running);
      if (item.textContent !== text) item.textContent = text;
      item.classList.toggle('diverged', run.diverged);
    });
  }

  renderMessages(state) {
    const { nodes } = this;
    nodes.error.hidden = !state.error;
    nodes.error.textContent = state.error;
    nodes.notice.hidden = !state.notice;
    nodes.notice.textContent = state.notice;
    nodes.warnings.hidden = state.warnings.length === 0;
    nodes.warningList.replaceChildren(...state.warnings.map((warning) => {
      const item = document.createElement('li');
      item.textContent = warning;
      return item;
    }));
  }

  renderButtons(state) {
    const { nodes } = this;
    const usable = Boolean(state.settings) && !state.loadFailed;
    nodes.start.disabled = !usable || state.running;
    nodes.pause.disabled = !usable || !state.running;
    nodes.reset.disabled = !usable;
    for (const button of nodes.downloads) button.disabled = !usable;
  }
}
