// The page's own URL parameters, about how it looks rather than what it trains: `embed`,
// `hide`, `controls` and `theme` (src/settings.rs leaves them to the page, see PAGE_KEYS).
// Checked against whitelists here; what cannot be used becomes a warning, as the worker's do.
// No DOM here, so `node --test tests/js/` can check it.

// What `hide=` and `controls=` may name: the settings, then the other parts of the figure.
export const SETTING_NAMES = ['preset', 'dataset', 'arch', 'depths', 'shortcuts', 'optimizer',
  'lr', 'batch', 'seed', 'backend'];
export const PART_NAMES = ['start', 'pause', 'reset', 'download', 'status', 'insight'];
export const CONTROL_NAMES = [...SETTING_NAMES, ...PART_NAMES];

export const THEMES = ['light', 'dark', 'auto'];
export const DEFAULT_THEME = 'light';

// The keys this module reads; the full page's link drops the embedding ones.
export const PAGE_KEYS = ['embed', 'hide', 'controls', 'theme'];
const EMBEDDING_KEYS = ['embed', 'hide', 'controls'];

const quoted = (text) => `“${text.length > 40 ? `${text.slice(0, 40)}…` : text}”`;

// A comma list of control names → the known ones (in CONTROL_NAMES order) and warnings.
function controlList(key, text, warnings) {
  const names = new Set();
  for (const raw of text.split(',')) {
    const name = raw.trim().toLowerCase();
    if (!name) continue;
    if (CONTROL_NAMES.includes(name)) names.add(name);
    else warnings.push(`${key}: unknown control ${quoted(name)} ignored`);
  }
  return CONTROL_NAMES.filter((name) => names.has(name));
}

/**
 * Reads the page parameters of `query` (a URL query string, with or without `?`, or
 * URLSearchParams). `forceEmbed`: the custom element is always embedded.
 * Returns {embed, theme, hidden: [control names not to show], warnings: [text]}.
 */
export function parsePageParams(query, { forceEmbed = false } = {}) {
  const params = new URLSearchParams(query);
  // A key given twice: the last one counts, as in src/settings.rs.
  const get = (key) => params.getAll(key).at(-1) ?? null;
  const warnings = [];

  const embedText = get('embed');
  let embed = forceEmbed;
  if (embedText !== null && !forceEmbed) {
    // As src/settings.rs reads autostart: a bare `embed` counts as 1.
    if (['1', 'true', 'yes', ''].includes(embedText)) embed = true;
    else if (!['0', 'false', 'no'].includes(embedText)) {
      warnings.push(`embed ${quoted(embedText)} is not 1 or 0: showing the full page`);
    }
  }

  const themeText = get('theme');
  let theme = DEFAULT_THEME;
  if (themeText !== null) {
    const wanted = themeText.trim().toLowerCase();
    if (THEMES.includes(wanted)) theme = wanted;
    else warnings.push(`theme ${quoted(themeText)} is not light, dark or auto: using ${theme}`);
  }

  // `controls=` lists what to keep, `hide=` what to drop; `controls` wins when both are given.
  const keepText = get('controls');
  const hideText = get('hide');
  let hidden = [];
  if (keepText !== null) {
    const keep = controlList('controls', keepText, warnings);
    hidden = CONTROL_NAMES.filter((name) => !keep.includes(name));
    if (hideText !== null) warnings.push('hide is ignored when controls is given');
  } else if (hideText !== null) {
    hidden = controlList('hide', hideText, warnings);
  }
  // An embedded figure stays compact: the insight section only when `controls` names it.
  if (embed && keepText === null && !hidden.includes('insight')) hidden.push('insight');
  return { embed, theme, hidden, warnings };
}

// URLSearchParams writes a comma as %2C; a comma is fine in a query and reads better in a link
// (`depths=6,30`, `hide=seed,lr`).
const readable = (params) => params.toString().replaceAll('%2C', ',');

/** `query` without the embedding parameters: the same view as a full page. */
export function fullPageQuery(query) {
  const params = new URLSearchParams(query);
  for (const key of EMBEDDING_KEYS) params.delete(key);
  return readable(params);
}

/** `query` (the worker's canonical settings query) with the page parameters of `page`. */
export function withPageParams(query, { embed = false, theme = DEFAULT_THEME, hidden = [] }) {
  const params = new URLSearchParams(query);
  if (embed) params.set('embed', '1');
  if (theme !== DEFAULT_THEME) params.set('theme', theme);
  if (hidden.length) params.set('hide', hidden.join(','));
  return readable(params);
}
