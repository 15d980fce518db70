// The training worker: loads the wasm, picks a backend, and trains in a loop off the page's
// main thread. One module worker per page; see README "Worker protocol" for the messages.
//
// page → worker
//   {type: 'parse', query}              read a URL query → 'settings'
//   {type: 'configure', settings}       validate → 'settings'; while a session exists, apply:
//                                       depth/shortcut changes restart only those runs,
//                                       anything else starts a new session (→ 'runs')
//   {type: 'start'} {type: 'pause'}     train / stop training (a session is made on start)
//   {type: 'reset'}                     drop the session; the next start begins at step 0
//   {type: 'cifar-files', files: [{name, bytes: Uint8Array}]}
//                                       the user's CIFAR-10 batch files, for dataset=cifar10
//                                       (checked when a session starts)
//   {type: 'grow', run, depth}          grow the run `run` to `depth` layers by inserting
//                                       identity blocks, as a new run (→ 'runs')
//   {type: 'shortcuts-live', on}        switch the residual runs' shortcuts off or on,
//                                       keeping their weights (→ 'runs')
// worker → page
//   {type: 'settings', settings, warnings, query, depth_choices}
//   {type: 'presets', presets: [{name, label, query}]}   once, when the wasm has loaded
//   {type: 'backend', backend: 'webgpu'|'cpu', adapter, note}   once, before the first 'runs'
//   {type: 'status', phase, text}       phase: loading|preparing|ready|running|paused|done
//   {type: 'runs', session, runs: [{id, shortcuts, depth, family, parameters, generation,
//                                   grown_from, shortcuts_on, events: [{step, what}]}]}
//                                       session: a number that changes with each new session,
//                                       whose runs all start again at step 0; messages of a
//                                       session the page has reset are dropped
//   {type: 'records', session, records: [{run, shortcuts, depth, step, train_loss,
//                                train_error, test_error, ms, diverged, layers?}]}
//                                       layers, every 10th step: {gradient_norms: [a number
//                                       per block], responses: [a number per weight layer]}
//   {type: 'boundaries', session, boundaries: [{run, step, size, extent, classes,
//                                               probabilities: Float32Array}]}
//                                       spirals only: each run's class probabilities on a
//                                       size × size grid, every BOUNDARY_EVERY steps
//   {type: 'plane', session, points: [x0, y0, x1, …], labels}
//                                       spirals only, once a session: held-out points
//   {type: 'refused', action, message}  a grow or shortcut request that could not be done
//   {type: 'error', message}            something the user must see; training stops
//   {type: 'fault', message}            the GPU backend broke: the page restarts the worker
//                                       with backend=cpu and says why

import init, {
  parseSettings, validateSettings, initBackend, presetList, Session,
} from '../resnet-playground.js';

const ready = init();
let settings = null;
let session = null;
let backend = null; // {backend, adapter, note} once chosen
let running = false;
let sessions = 0; // sessions made so far; generations restart at 1 in each new session
let steps = 0; // lockstep steps taken in this session

// Decision boundaries: a grid this many points a side, every this many steps.
const BOUNDARY_SIZE = 48;
const BOUNDARY_EVERY = 25;
const PLANE_POINTS = 300; // held-out points drawn over them

const post = (message) => self.postMessage(message);
const status = (phase, text) => post({ type: 'status', phase, text });

// A wasm trap (a Rust panic, or a GPU fault inside Burn) while on WebGPU is a fault of the GPU
// backend: the page falls back to the CPU backend. Anything else is an error the user must see.
function fail(error) {
  running = false;
  const message = String(error?.message ?? error);
  const trap = error instanceof WebAssembly.RuntimeError || /unreachable|panicked/.test(message);
  post({ type: backend?.backend === 'webgpu' && trap ? 'fault' : 'error', message });
}
self.addEventListener('error', (event) => fail(event.error ?? event.message));
self.addEventListener('unhandledrejection', (event) => fail(event.reason));

// Decide the backend. `auto` takes WebGPU only on a hardware adapter: on a software adapter
// such as SwiftShader the CPU backend trains far faster (README, "Measured").
async function chooseBackend(choice) {
  const gpu = self.navigator.gpu;
  const adapter = gpu ? await gpu.requestAdapter().catch(() => null) : null;
  const info = adapter?.info ?? {};
  const name = [info.vendor, info.architecture, info.device].filter(Boolean).join(' ') ||
    'unknown adapter';
  const software = info.isFallbackAdapter || /swiftshader|llvmpipe|lavapipe/i.test(name);
  const cpu = { backend: 'cpu', adapter: 'CPU (wasm)' };
  if (choice === 'cpu') return { ...cpu, note: 'chosen in the settings' };
  if (!adapter) {
    return { backend: 'cpu', adapter: 'CPU (wasm)', note: gpu
      ? 'WebGPU gave no adapter, so training runs on the CPU backend'
      : 'this browser has no WebGPU, so training runs on the CPU backend' };
  }
  if (choice === 'auto' && software) {
    return { backend: 'cpu', adapter: 'CPU (wasm)',
      note: `the only WebGPU adapter is a software one (${name}); the CPU backend is faster` };
  }
  return { backend: 'webgpu', adapter: name, note: software ? 'software adapter' : '' };
}

async function ensureBackend() {
  if (backend) return true;
  status('preparing', 'choosing a backend…');
  const choice = await chooseBackend(settings.backend);
  if (choice.backend === 'webgpu') {
    status('preparing', 'preparing GPU kernels… (the first steps compile shaders)');
    backend = choice; // so that a panic while checking reports a fault
    try {
      await initBackend('webgpu');
    } catch (error) {
      // Reported once, as a fault; the page starts a CPU worker.
      running = false;
      post({ type: 'fault', message: String(error?.message ?? error) });
      return false;
    }
  } else {
    await initBackend('cpu');
    backend = choice;
  }
  post({ type: 'backend', ...backend });
  return true;
}

let mnistBytes = null;
let cifarFiles = null;
async function dataFor(current) {
  if (current.dataset !== 'mnist') return undefined;
  if (!mnistBytes) {
    status('preparing', 'loading MNIST digits…');
    const response = await fetch(new URL('../data/mnist.bin', import.meta.url));
    if (!response.ok) throw new Error(`could not load the MNIST file (HTTP ${response.status})`);
    mnistBytes = new Uint8Array(await response.arrayBuffer());
  }
  return mnistBytes;
}

// Returns false when the GPU backend failed (the page is told, and starts a CPU worker).
async function newSession() {
  if (!(await ensureBackend())) return false;
  const bytes = await dataFor(settings);
  session?.free();
  session = null; // not the freed one, if the next line throws (say, no CIFAR-10 files)
  session = new Session(settings, bytes, settings.dataset === 'cifar10' ? cifarFiles : undefined);
  sessions += 1;
  steps = 0;
  post({ type: 'runs', session: sessions, runs: session.runs() });
  if (session.hasPlane()) {
    post({ type: 'plane', session: sessions, ...session.planePoints(PLANE_POINTS) });
  }
  await postBoundaries();
  return true;
}

async function postBoundaries() {
  if (session?.hasPlane()) {
    post({ type: 'boundaries', session: sessions,
      boundaries: await session.boundaries(BOUNDARY_SIZE) });
  }
}

// A grow or shortcut request: the runs change, training goes on.
function changeRuns(action, change) {
  if (!session) {
    post({ type: 'refused', action, message: 'start training first' });
    return;
  }
  try {
    change();
  } catch (error) {
    post({ type: 'refused', action, message: String(error?.message ?? error) });
    return;
  }
  post({ type: 'runs', session: sessions, runs: session.runs() });
}

// Steps go through the same queue as messages, so a message is handled between two steps and
// never while a step is in flight.
let stepScheduled = false;
function scheduleStep() {
  if (stepScheduled) return;
  stepScheduled = true;
  setTimeout(() => enqueue(stepOnce), 0);
}

async function stepOnce() {
  stepScheduled = false;
  if (!running || !session) return;
  if (!session.isDone()) {
    post({ type: 'records', session: sessions, records: await session.step() });
    steps += 1;
    if (steps % BOUNDARY_EVERY === 0) await postBoundaries();
  }
  if (session.isDone()) {
    running = false;
    await postBoundaries();
    status('done', 'finished');
  } else {
    scheduleStep();
  }
}

async function handle(message) {
  await ready;
  switch (message.type) {
    case 'parse': {
      const parsed = parseSettings(message.query ?? '');
      settings = parsed.settings;
      post({ type: 'settings', ...parsed });
      break;
    }
    case 'configure': {
      const parsed = validateSettings(message.settings);
      settings = parsed.settings;
      post({ type: 'settings', ...parsed });
      if (session && !session.applyLive(settings)) {
        // Making the session may have said 'preparing' (loading MNIST): training goes on.
        if ((await newSession()) && running) status('running', 'training');
      } else if (session) {
        post({ type: 'runs', session: sessions, runs: session.runs() });
      }
      if (running) scheduleStep();
      break;
    }
    case 'start': {
      if ((!session || session.isDone()) && !(await newSession())) break;
      running = true;
      status('running', 'training');
      scheduleStep();
      break;
    }
    case 'grow':
      changeRuns('grow', () => session.grow(message.run, message.depth));
      await postBoundaries();
      break;
    case 'shortcuts-live':
      changeRuns('shortcuts-live', () => session.setShortcuts(Boolean(message.on)));
      await postBoundaries();
      break;
    case 'cifar-files':
      cifarFiles = message.files;
      break;
    case 'pause':
      running = false;
      status('paused', 'paused');
      break;
    case 'reset':
      running = false;
      session?.free();
      session = null;
      status('ready', 'reset');
      break;
    default:
      post({ type: 'error', message: `unknown message ${message.type}` });
  }
}

// Messages and steps are handled one at a time, in order.
let queue = Promise.resolve();
function enqueue(task) {
  queue = queue.then(task).catch((error) => fail(error));
}
self.addEventListener('message', (event) => enqueue(() => handle(event.data)));
status('loading', 'loading the training engine…');
ready.then(() => {
  post({ type: 'presets', presets: presetList() });
  status('ready', 'ready');
}, (error) => fail(error));
