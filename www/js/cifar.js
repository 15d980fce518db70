// The CIFAR-10 file picker: the user's own batch files, chosen or dropped, what they hold, and
// handing them to the worker. Parsing and checking them is the worker's job (src/data/cifar.rs,
// when a session starts); this module keeps `state.cifar` and never looks inside the files.

// One record of the official binary format: a label byte and a 32×32 RGB image.
export const CIFAR_RECORD_BYTES = 3073;

// Files named test_batch* are the test set, every other file training data (as in cifar.rs).
export const isTestFile = (name) => name.split(/[/\\]/).pop().startsWith('test_batch');

// Images in `files` ({name, size}), by set.
export function cifarCounts(files) {
  const counts = { train: 0, test: 0 };
  for (const { name, size } of files) {
    counts[isTestFile(name) ? 'test' : 'train'] += Math.floor(size / CIFAR_RECORD_BYTES);
  }
  return counts;
}

// `files` with `added`: a file of the same name replaces the one before, and the batches list
// in name order (data_batch_1 … data_batch_5, test_batch).
export function mergeFiles(files, added) {
  const byName = new Map(files.map((file) => [file.name, file]));
  for (const file of added) byName.set(file.name, file);
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

// What the worker's 'cifar-files' message carries: each file's name and bytes.
export function readCifarFiles(files) {
  return Promise.all(files.map(async (file) =>
    ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })));
}

const count = new Intl.NumberFormat('en');
const fileSize = (bytes) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB`
  : `${count.format(Math.ceil(bytes / 1e3))} kB`);

function fileText(file) {
  const images = Math.floor(file.size / CIFAR_RECORD_BYTES);
  const set = isTestFile(file.name) ? 'test' : 'training';
  return `${file.name} · ${fileSize(file.size)} · ${count.format(images)} ${set} images`;
}

export class CifarPicker {
  // `state.cifar` is {files (File objects), reading, problem, nudged}. `post(message, transfer)`
  // sends to the worker; `changed()` runs when the user changed the files, `render()` when
  // reading them is over.
  constructor(document, state, { post, changed, render }) {
    this.state = state;
    this.post = post;
    this.changed = changed;
    this.render = render;
    this.sent = Promise.resolve(); // settles once the files chosen last are with the worker
    const byId = (id) => document.getElementById(id);
    this.nodes = {
      box: byId('cifar'), input: byId('cifar-files'), drop: byId('cifar-drop'),
      hint: byId('cifar-hint'), list: byId('cifar-list'), summary: byId('cifar-summary'),
      clear: byId('cifar-clear'),
    };
    const { input, drop, clear } = this.nodes;
    const add = (files) => this.setFiles(mergeFiles(state.cifar.files, files));
    input.addEventListener('change', () => {
      if (input.files.length) add([...input.files]);
      input.value = ''; // so that choosing the same file again is a change too
    });
    clear.addEventListener('click', () => this.setFiles([]));
    const dragging = (on) => (event) => {
      event.preventDefault();
      drop.classList.toggle('dragging', on);
    };
    drop.addEventListener('dragenter', dragging(true));
    drop.addEventListener('dragover', dragging(true));
    drop.addEventListener('dragleave', dragging(false));
    drop.addEventListener('drop', (event) => {
      dragging(false)(event);
      const files = [...(event.dataTransfer?.files ?? [])];
      if (files.length) add(files);
    });
    // A file dropped beside the zone would make the browser leave the page to show it.
    for (const type of ['dragover', 'drop']) {
      document.addEventListener(type, (event) => {
        if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
      });
    }
  }

  setFiles(files) {
    Object.assign(this.state.cifar, { files, problem: '' });
    this.send();
    this.changed();
  }

  // Hand every file to the worker (it keeps only the last list it got); `sent` settles after.
  send() {
    this.sent = this.sendNow();
  }

  async sendNow() {
    const { cifar } = this.state;
    const { files } = cifar;
    cifar.reading = true;
    try {
      const named = await readCifarFiles(files);
      // Files chosen meanwhile replace these, and are on their way.
      if (files === cifar.files) {
        this.post({ type: 'cifar-files', files: named }, named.map((file) => file.bytes.buffer));
      }
    } catch (error) {
      cifar.problem = `The files could not be read: ${error.message}`;
    }
    if (files === cifar.files) cifar.reading = false;
    this.render();
  }

  show(state) {
    const { nodes } = this;
    const { files, reading, problem, nudged } = state.cifar;
    nodes.box.hidden = state.settings?.dataset !== 'cifar10';
    let hint = '';
    if (reading) hint = `Reading ${files.length === 1 ? 'the file' : `${files.length} files`}…`;
    else if (problem) hint = problem;
    else if (!files.length) {
      hint = nudged ? 'Training needs these files: choose or drop them, then press Start.'
        : 'No files loaded yet.';
    }
    nodes.hint.textContent = hint;
    nodes.hint.hidden = !hint;
    nodes.hint.classList.toggle('urgent', Boolean(problem) || (nudged && !files.length));
    const texts = files.map(fileText);
    if (nodes.list.textContent !== texts.join('')) {
      nodes.list.replaceChildren(...texts.map((text) => {
        const item = document.createElement('li');
        item.textContent = text;
        return item;
      }));
    }
    const { train, test } = cifarCounts(files);
    nodes.summary.textContent = files.length
      ? `Loaded: ${count.format(train)} training + ${count.format(test)} test images.` : '';
    nodes.summary.hidden = !files.length;
    nodes.clear.hidden = !files.length;
  }
}
