// The page: one state object, the training worker, and the wiring between the controls, the
// worker and the charts. The message protocol is described at the top of worker.js.
//
// `mount(root, options)` wires one figure: index.html's (page.js mounts it on the document) or
// a <resnet-playground> element's (element.js, on its shadow root). The state lives in this
// module, so each element imports its own instance of it (`app.js?figure=N`).

import { CifarPicker } from './cifar.js';
import { Controls } from './controls.js';
import { Panel, setSharedRanges } from './charts.js';
import { recordsToCsv } from './csv.js';
import { newWorker, omitControls, postHeightToParent } from './embed.js';
import { chartsPng, pngLegend, runsJson, saveFile } from './export.js';
import { Insight } from './insight.js';
import { fullPageQuery, parsePageParams, withPageParams } from './page-params.js';
import { matchingPreset, presetQuery } from './presets.js';
import { ReferenceControls } from './reference-controls.js';
import { Share } from './share.js';
import { allRecords, chartData, syncRuns } from './store.js';
import { Summaries } from './summary.js';
import { View } from './view.js';
import { reducedMotion, Visibility } from './visibility.js';

// Loading the wasm (tens of megabytes) and compiling it can take a while on a slow link or
// machine; only after this long without a 'ready' does the page call the worker broken.
const READY_TIMEOUT_MS = 180_000;

const state = {
  worker: null,
  settings: null, // the worker's checked settings (see src/settings.rs)
  query: '', // their canonical URL query
  depthChoices: [],
  warnings: [],
  phase: 'loading',
  phaseText: 'loading the training engine…',
  ready: false, // the worker has loaded the wasm
  loadFailed: false,
  running: false, // training was started and has not stopped
  backend: null, // {backend, adapter, note} once the worker has chosen one
  runInfo: [], // the last 'runs' message's list
  runs: new Map(), // run id → RunData (store.js)
  session: 0, // the worker's latest session number ('runs')
  droppedSession: 0, // sessions up to this one were reset: their late messages are dropped
  notice: '',
  error: '',
  // One entry per 'parse' or 'configure' sent and not yet answered, in order (the worker
  // answers in order): what to do with its 'settings' reply — 'configure', 'start' or null.
  followUps: [],
  autostarted: false,
  autostartWaiting: false, // autostart=1, but the figure is not visible yet
  pausedByVisibility: false, // training was paused because the figure went out of sight
  page: null, // the page parameters (page-params.js): embed, theme, hidden, warnings
  presets: [], // [{name, label, query}] from the worker
  // The user's CIFAR-10 batch files (File objects); `problem`: why they could not be read;
  // `nudged`: Start was pressed for CIFAR-10 without them.
  cifar: { files: [], reading: false, problem: '', nudged: false },
  reference: null, // a runs file drawn under the live runs (reference.js), or null
  referenceError: '', // why the last file chosen could not be drawn
  fitLive: false, // the x axis ends at the live runs' last step, not the reference's
};

const post = (message, transfer = []) => state.worker?.postMessage(message, transfer);
// Start, pause and reset wait for CIFAR-10 files still being read, and keep their order.
const postAfterFiles = (message) => cifar.sent.then(() => post(message));

// A message the worker answers with 'settings'; `followUp` says what to do with the answer.
function request(message, followUp = null) {
  state.followUps.push(followUp);
  post(message);
}

// The Document or ShadowRoot the figure is mounted on, and what mount() was told.
let root = document;
let options = null;
let view;
let panels;
let controls;
let cifar;
let references;
let visibility;
let summaries; // the charts in words (summary.js)
let insight; // the "Inside the nets" section (insight.js)

// Charts and the run list redraw at most once per animation frame, however many records come.
let frameRequested = false;
function redraw() {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(() => {
    frameRequested = false;
    const data = chartData(state.runs);
    setSharedRanges(data, state.reference, state.fitLive);
    const shortcuts = state.settings?.shortcuts ?? 'both';
    for (const panel of panels) {
      const runs = [...state.runs.values()].filter((run) => run.info.shortcuts === panel.shortcuts);
      const active = shortcuts === 'both' || shortcuts === panel.shortcuts;
      panel.draw(runs, data, active, state.reference);
    }
    view.renderRuns(state);
    view.renderStatus(state);
    summaries.render(state.runs, state.running);
    insight.draw();
  });
}

function render() {
  view.renderStatus(state);
  view.renderMessages(state);
  view.renderButtons(state);
  cifar.show(state);
  references.show(state);
  redraw();
}

// ---- the worker -----------------------------------------------------------------------------

let readyTimer = null;

// A fresh worker that reads `query`; `resume` starts training once its settings arrive.
function startWorker(query, resume) {
  state.worker?.terminate();
  const worker = newWorker(new URL('./worker.js', import.meta.url));
  Object.assign(state, {
    worker, ready: false, loadFailed: false, running: false, backend: null, runInfo: [],
    runs: new Map(), phase: 'loading', phaseText: 'loading the training engine…', error: '',
    followUps: [], session: 0, droppedSession: 0,
  });
  insight.reset();
  // Messages from a worker that was replaced (after a fault) are ignored.
  worker.addEventListener('message', (event) => {
    if (worker === state.worker) handle(event.data);
  });
  worker.addEventListener('error', (event) => {
    if (worker !== state.worker || state.ready) return; // once ready, the worker reports itself
    const detail = event.message ? ` (${event.message})` : '';
    failToLoad(`The training engine could not be loaded${detail}: a file may be missing, or ` +
      'this browser cannot run WebAssembly in a module worker.');
  });
  clearTimeout(readyTimer);
  readyTimer = setTimeout(() => {
    if (worker === state.worker && !state.ready) {
      failToLoad(`The training engine did not start within ${READY_TIMEOUT_MS / 60_000} minutes.`);
    }
  }, READY_TIMEOUT_MS);
  request({ type: 'parse', query }, resume ? 'start' : null);
  if (state.cifar.files.length) cifar.send(); // a new worker has none of them
  render();
}

function failToLoad(message) {
  Object.assign(state, { loadFailed: true, running: false, phase: 'error' });
  state.error = `${message} Reload the page to try again.`;
  render();
}

const handlers = {
  settings(message) {
    Object.assign(state, {
      settings: message.settings, query: message.query,
      warnings: [...state.page.warnings, ...message.warnings], depthChoices: message.depth_choices,
    });
    const next = state.followUps.shift() ?? null;
    if (next === 'configure') request({ type: 'configure', settings: message.settings });
    // While the user's later changes are still on their way, the controls keep showing them:
    // redrawing them from an older reply would undo what the user just did.
    if (state.followUps.length === 0) {
      if (options.updateUrl) history.replaceState(null, '', `?${pageQuery(message.query)}`);
      controls.show(message.settings, message.depth_choices);
      controls.showPreset(state.presets, matchingPreset(state.presets, message.query));
    }
    controls.setEnabled(true);
    const autostart = message.settings.autostart && !state.autostarted;
    state.autostarted = true;
    if (next === 'start') start();
    else if (autostart) autostartWhenVisible();
    showFullPageLink();
  },
  presets({ presets }) {
    state.presets = presets;
    controls.showPreset(presets, state.settings && matchingPreset(presets, state.query));
  },
  backend({ backend, adapter, note }) {
    state.backend = { backend, adapter, note };
  },
  status({ phase, text }) {
    Object.assign(state, { phase, phaseText: text });
    if (phase !== 'loading') {
      state.ready = true;
      state.loadFailed = false;
      if (state.error.startsWith('The training engine')) state.error = '';
    }
    if (phase === 'done' || phase === 'paused') state.running = false;
    if (phase === 'running') state.running = true; // a Start sent after a Pause still in flight
  },
  runs({ runs, session }) {
    state.session = session ?? 0;
    state.runInfo = runs;
    state.runs = syncRuns(state.runs, runs, session ?? 0);
    insight.setRuns(runs, session ?? 0, state.settings);
  },
  records({ records }) {
    const now = performance.now();
    for (const record of records) state.runs.get(record.run)?.add(record, now);
    insight.addRecords(records);
  },
  boundaries({ boundaries }) {
    insight.setBoundaries(boundaries);
  },
  plane(message) {
    insight.setPlane(message);
  },
  refused(message) {
    insight.refused(message);
  },
  error({ message }) {
    Object.assign(state, { error: `Training stopped: ${message}`, running: false });
    if (!state.ready) {
      // The engine itself failed to start: nothing can train until the page is reloaded.
      clearTimeout(readyTimer);
      Object.assign(state, { loadFailed: true, error: `The training engine failed: ${message}` });
    }
  },
  // The GPU backend broke: carry on with the same settings on the CPU backend. This is not a
  // divergence of any run, so it gets its own notice and the charts start over.
  fault({ message }) {
    state.notice = `The GPU backend failed (${message}); switched to the CPU backend.`;
    startWorker(withParams(state.query, { backend: 'cpu' }), state.running);
  },
};

function handle(message) {
  // A grow or a step already under way when the page reset still reports: not any more.
  if (message?.session !== undefined && message.session <= state.droppedSession) return;
  const handler = handlers[message?.type];
  if (!handler) {
    console.warn('unknown message from the worker', message);
    return;
  }
  handler(message);
  if (message.type !== 'fault') render();
}

// `query` with some parameters set (a value) or removed (null).
function withParams(query, changes) {
  const params = new URLSearchParams(query);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) params.delete(key);
    else params.set(key, value);
  }
  return params.toString();
}

// ---- user actions ----------------------------------------------------------------------------

function controlChanged(name) {
  if (!state.settings) return;
  const settings = controls.read(state.settings);
  if (name === 'preset') {
    // All of the preset's settings at once, checked by the worker, then applied.
    const preset = state.presets.find((p) => p.name === controls.presetName);
    if (preset) request({ type: 'parse', query: presetQuery(preset, state.query) }, 'configure');
  } else if (name === 'arch' || name === 'optimizer') {
    // A new family or optimizer brings its own default depths or learning rate: let the
    // worker fill them in, then apply the result.
    const dependent = name === 'arch' ? 'depths' : 'lr';
    // Built from what the controls show, so other changes still on their way are kept.
    const shown = { ...settings, depths: settings.depths.join(','),
      autostart: Number(settings.autostart) };
    request({ type: 'parse', query: withParams(state.query, { ...shown, [dependent]: null }) },
      'configure');
  } else if (name === 'backend' && state.backend) {
    // The worker picks its backend once: another backend needs another worker.
    startWorker(withParams(state.query, { backend: settings.backend }), state.running);
  } else {
    request({ type: 'configure', settings });
  }
}

function start() {
  if (state.running || state.loadFailed) return;
  Object.assign(state, { running: true, error: '', pausedByVisibility: false,
    autostartWaiting: false });
  for (const run of state.runs.values()) run.resetRate();
  // Without files the worker says so; the hint by the file picker says what to do.
  if (state.settings?.dataset === 'cifar10' && !state.cifar.files.length) {
    state.cifar.nudged = true;
  }
  postAfterFiles({ type: 'start' });
  render();
}

function pause() {
  state.running = false;
  state.pausedByVisibility = false;
  postAfterFiles({ type: 'pause' });
  render();
}

function reset() {
  Object.assign(state, { running: false, runInfo: [], runs: new Map(), error: '',
    droppedSession: state.session });
  insight.reset();
  postAfterFiles({ type: 'reset' });
  render();
}

// New CIFAR-10 files: a CIFAR-10 session already made starts over with them.
function cifarChanged() {
  if (state.settings?.dataset === 'cifar10' && state.runInfo.length) {
    const resume = state.running;
    reset();
    if (resume) start();
  }
  render();
}

function downloadCsv() {
  const blob = new Blob([recordsToCsv(allRecords(state.runs))], { type: 'text/csv' });
  saveFile(blob, 'resnet-playground.csv');
}

function downloadJson() {
  const json = runsJson(state.settings, allRecords(state.runs));
  saveFile(new Blob([json], { type: 'application/json' }), 'resnet-playground.json');
}

async function downloadPng() {
  const png = await chartsPng(panels, pngLegend(state.settings, state.runs));
  if (png) saveFile(png, 'resnet-playground.png');
}

// ---- visibility, embedding -------------------------------------------------------------------

// autostart=1 starts once the figure can be seen (an embedded one when it scrolls into view),
// never for someone who asked their system for reduced motion.
function autostartWhenVisible() {
  if (reducedMotion()) {
    state.notice = 'Training did not start on its own: this device asks for reduced motion. ' +
      'Press Start to train.';
  } else if (visibility.visible) {
    start();
  } else {
    state.autostartWaiting = true;
  }
}

// Out of sight, training pauses; back in sight it resumes, but only if it was paused that way
// (a user's Pause stays).
function visibilityChanged(visible) {
  if (!visible && state.running) {
    pause();
    state.pausedByVisibility = true;
  } else if (visible && (state.pausedByVisibility || state.autostartWaiting)) {
    start();
  }
}

// The URL of the page: the settings' canonical query and the page's own parameters.
const pageQuery = (query) => withPageParams(query, state.page);

// The full page showing `query` (an embedded figure's page parameters dropped).
function fullPageUrl(query) {
  const url = new URL(options.fullPage);
  url.search = fullPageQuery(query);
  return url.href;
}

function showFullPageLink() {
  const link = root.getElementById('open-full');
  if (!link || !state.page.embed) return;
  link.href = fullPageUrl(pageQuery(state.query));
  link.hidden = false;
}

/**
 * Wires the figure inside `figureRoot` (a Document or ShadowRoot holding index.html's <main>)
 * and starts its worker. Options: `query` (URL query: settings and page parameters),
 * `forceEmbed` (the element), `updateUrl` (keep the address bar in step: the page only),
 * `fullPage` (URL of the full page), `phaseTarget` (element that gets data-phase), `themeHolder`
 * (element whose data-theme holds the theme), `viewTarget` (element whose scrolling out of
 * view pauses an embedded figure). Returns what the browser tests read.
 */
export function mount(figureRoot, mountOptions) {
  root = figureRoot;
  options = mountOptions;
  state.page = parsePageParams(options.query, { forceEmbed: options.forceEmbed });
  view = new View(root, options.phaseTarget);
  panels = ['plain', 'residual'].map(
    (shortcuts) => new Panel(root.getElementById(`panel-${shortcuts}`), shortcuts));
  controls = new Controls(root.getElementById('controls'), controlChanged);
  cifar = new CifarPicker(root, state, { post, changed: cifarChanged, render });
  references = new ReferenceControls(root, state, render);
  insight = new Insight(root, post);

  root.getElementById('start').addEventListener('click', start);
  root.getElementById('pause').addEventListener('click', pause);
  root.getElementById('reset').addEventListener('click', reset);
  root.getElementById('download-csv').addEventListener('click', downloadCsv);
  root.getElementById('download-json').addEventListener('click', downloadJson);
  root.getElementById('download-png').addEventListener('click', downloadPng);
  summaries = new Summaries(panels, redraw);
  new Share(root, {
    link: () => fullPageUrl(pageQuery(state.query)),
    embedQuery: () => withPageParams(state.query, { ...state.page, embed: true }),
    pageUrl: options.fullPage,
    scriptUrl: new URL('./element.js', import.meta.url).href,
  });

  omitControls(root, state.page.hidden, state.page);
  visibility = new Visibility(state.page.embed ? options.viewTarget : null, visibilityChanged);
  if (state.page.embed && root === document) postHeightToParent();
  // uPlot's canvases take the theme's colours when the plots are built: rebuild them.
  new MutationObserver(() => {
    for (const panel of panels) panel.restyle();
    insight.restyle();
    redraw();
  }).observe(options.themeHolder, { attributes: true, attributeFilter: ['data-theme'] });

  startWorker(options.query, false);
  return {
    records: () => allRecords(state.runs),
    runs: () => state.runInfo,
    backend: () => state.backend,
    // A removed <resnet-playground> stops its worker; added again, it starts a fresh one
    // (and trains at once if its settings say autostart).
    stop: () => {
      state.worker?.terminate();
      Object.assign(state, { worker: null, running: false });
    },
    restart: () => startWorker(state.query || options.query, Boolean(state.settings?.autostart)),
    layers: (run) => insight.history.samples(run),
    boundaries: () => [...insight.boundaries.values()]
      .map((boundary) => ({ ...boundary, probabilities: [...boundary.probabilities] })),
  };
}
