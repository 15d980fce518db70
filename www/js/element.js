// <resnet-playground>: the figure in any page's own DOM, in a shadow root, without an iframe.
//
//   <script type="module" src="https://…/js/element.js"></script>
//   <resnet-playground depths="6,30" steps="400" autostart="1" theme="dark" hide="seed,lr">
//   </resnet-playground>
//
// The attributes are the URL parameters (README, "URL parameters" and "Embedding"); the figure
// is always the embedded one. Its markup is index.html's <main>, fetched once, so the page and
// the element never drift apart; its styles are the page's stylesheets, linked in the shadow
// root. Only `theme` is read again when it changes; the others are read when the element is
// added to the page.

import { DEFAULT_THEME, PAGE_KEYS, THEMES } from './page-params.js';

// The settings' URL parameters (src/settings.rs) and the page's own, minus `embed`.
const ATTRIBUTES = ['dataset', 'arch', 'depths', 'shortcuts', 'lr', 'batch', 'optimizer', 'seed',
  'backend', 'steps', 'autostart', 'drops', 'augment',
  ...PAGE_KEYS.filter((key) => key !== 'embed')];

// Where the page is served: element.js lives in its js/ folder.
const PAGE = new URL('../', import.meta.url);
const STYLESHEETS = ['style.css', 'files.css', 'vendor/uPlot.min.css'];

let markup = null; // index.html's <main>, fetched by the first element
let figures = 0; // elements mounted so far: each gets its own instance of app.js's state

function figureMarkup() {
  markup ??= fetch(new URL('index.html', PAGE)).then((response) => {
    if (!response.ok) throw new Error(`index.html: HTTP ${response.status}`);
    return response.text();
  }).then((html) => new DOMParser().parseFromString(html, 'text/html').querySelector('main'));
  return markup;
}

function linkStylesheet(shadow, href) {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = new URL(href, PAGE).href;
  const loaded = new Promise((resolve) => {
    link.addEventListener('load', resolve);
    link.addEventListener('error', resolve); // unstyled is better than nothing
  });
  shadow.append(link);
  return loaded;
}

const darkScheme = matchMedia('(prefers-color-scheme: dark)');

class ResnetPlayground extends HTMLElement {
  static observedAttributes = ['theme'];

  async connectedCallback() {
    if (this.shadowRoot) {
      // Moved within the page, it goes on as it was; added again after a removal, it starts
      // over with a fresh worker.
      if (this.stopped) this.playground?.restart();
      this.stopped = false;
      return;
    }
    const shadow = this.attachShadow({ mode: 'open' });
    this.showTheme();
    darkScheme.addEventListener('change', () => this.showTheme());
    try {
      const [main] = await Promise.all([figureMarkup(),
        ...STYLESHEETS.map((href) => linkStylesheet(shadow, href))]);
      shadow.append(document.importNode(main, true));
      // The theme's colours must be in place before the charts read them: styles first.
      figures += 1;
      const { mount } = await import(`./app.js?figure=${figures}`);
      this.playground = mount(shadow, {
        query: this.query(),
        forceEmbed: true,
        updateUrl: false,
        fullPage: PAGE.href,
        phaseTarget: this,
        themeHolder: this,
        viewTarget: this,
      });
    } catch (error) {
      const message = document.createElement('p');
      message.setAttribute('role', 'alert');
      message.textContent = `The ResNet playground could not be loaded (${error.message}).`;
      shadow.append(message);
    }
  }

  // Removed from the page (not just moved): its worker, the wasm and the data go.
  disconnectedCallback() {
    setTimeout(() => {
      if (this.isConnected || this.stopped) return;
      this.playground?.stop();
      this.stopped = true;
    }, 0);
  }

  attributeChangedCallback() {
    this.showTheme();
  }

  // The attributes as a URL query, for app.js and the worker to check like a page URL.
  query() {
    const params = new URLSearchParams();
    for (const name of ATTRIBUTES) {
      if (this.hasAttribute(name)) params.set(name, this.getAttribute(name));
    }
    return params.toString();
  }

  // data-theme on the element is what style.css's :host([data-theme="dark"]) reads; `auto`
  // follows the system. A theme not on the list is light (app.js warns about it).
  showTheme() {
    const wanted = (this.getAttribute('theme') ?? '').trim().toLowerCase();
    const theme = THEMES.includes(wanted) ? wanted : DEFAULT_THEME;
    const auto = darkScheme.matches ? 'dark' : 'light';
    this.dataset.theme = theme === 'auto' ? auto : theme;
  }
}

if (!customElements.get('resnet-playground')) {
  customElements.define('resnet-playground', ResnetPlayground);
}
