// The embedded figure (`embed=1`, or the <resnet-playground> element): which controls show,
// the page chrome it leaves out, the link to the full page, and its height for the parent.

import { SETTING_NAMES } from './page-params.js';

// Where each name of `hide=` / `controls=` lives in the figure's markup (index.html's <main>).
const PARTS = {
  start: ['#start'], pause: ['#pause'], reset: ['#reset'], status: ['#status'],
  download: ['#download-csv', '#download-png', '#download-json'], insight: ['#insight'],
  preset: ['#preset-field'], depths: ['#depth-shallow', '#depth-deep'],
};
// Always left out of the figure: the parts of the full page around the experiment.
const CHROME = ['#reference', '#backend-status', '#page-tools'];

const omit = (element) => element?.setAttribute('data-omitted', '');

function elementsOf(root, name) {
  const selectors = PARTS[name] ?? [`#${name}`];
  const found = selectors.map((selector) => root.querySelector(selector)).filter(Boolean);
  // A setting's input is shown with its label: hide the field around it.
  return SETTING_NAMES.includes(name) ? found.map((input) => input.closest('.field')) : found;
}

/**
 * Marks what the embedded figure leaves out (CSS: `[data-omitted]`): the chrome, and the
 * controls named in `hidden`. A group whose every control is left out goes too.
 */
export function omitControls(root, hidden, { embed }) {
  if (embed) for (const selector of CHROME) omit(root.querySelector(selector));
  for (const name of hidden) elementsOf(root, name).forEach(omit);
  const allOmitted = (names) => names.every((name) => hidden.includes(name));
  if (allOmitted(SETTING_NAMES)) omit(root.querySelector('#controls fieldset'));
  if (allOmitted(['start', 'pause', 'reset', 'download'])) {
    omit(root.querySelector('#controls .actions'));
  }
  if (allOmitted([...SETTING_NAMES, 'start', 'pause', 'reset', 'download'])) {
    omit(root.querySelector('#controls'));
  }
}

export const HEIGHT_MESSAGE = 'resnet-playground:height';

/**
 * In an iframe, tells the parent page the height of the content in CSS pixels whenever it
 * changes: `{type: 'resnet-playground:height', height}` (README, "Embedding").
 */
export function postHeightToParent() {
  if (window.parent === window) return;
  let last = 0;
  const html = document.documentElement;
  new ResizeObserver(() => {
    const height = Math.ceil(html.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    // Only a height, nothing private: any parent may read it.
    window.parent.postMessage({ type: HEIGHT_MESSAGE, height }, '*');
  }).observe(html);
}

// A module worker from `url`. Browsers start workers only from the page's own origin: for a
// figure served from elsewhere (the element's scripts on another host, with CORS), a worker
// from a same-origin blob imports the real one.
export function newWorker(url) {
  if (url.origin === location.origin) return new Worker(url, { type: 'module' });
  const source = `import ${JSON.stringify(url.href)};`;
  const blob = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  return new Worker(blob, { type: 'module' });
}
