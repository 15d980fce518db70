// index.html's figure: the page's own document, its URL and its address bar.

import { mount } from './app.js';

const main = document.querySelector('main');
// For the browser tests (tests/browser/); also tells index.html's loader the modules ran.
window.playground = mount(document, {
  query: location.search,
  updateUrl: true,
  fullPage: new URL(location.pathname, location.href).href,
  phaseTarget: document.body,
  themeHolder: document.documentElement,
  viewTarget: main,
});
