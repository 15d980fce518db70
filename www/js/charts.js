// The two chart panels, Plain and Residual: error (%) and training loss against iterations,
// drawn with uPlot from columns made by store.js's chartData, with the runs of a reference
// file (reference.js) drawn thin and faded under the live ones.

import uPlot from '../vendor/uPlot.esm.js';

// One colour per depth role, the same in both panels, so shallow and deep nets compare at a
// glance (the CSS properties --shallow and --deep); a run grown from the shallow one by
// identity blocks (insight.js) is the third, --grown. Training error is solid, test error
// dashed.
const ROLES = [{ name: 'shallow' }, { name: 'deep' }, { name: 'grown' }];
export const HEIGHTS = { error: 260, loss: 170 };
// Reference runs: 35 % opacity (a hex alpha), and --between (grey) for a depth between the
// shallowest and the deepest of the file.
const FADED = '59';

// uPlot draws axes and lines on a canvas, which CSS cannot reach: the colours of the theme
// come from the custom properties of style.css, as `element` inherits them.
export function themeColors(element) {
  const style = getComputedStyle(element);
  const read = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  return {
    axis: read('--chart-axis', '#374151'), grid: read('--chart-grid', '#e5e7eb'),
    shallow: read('--shallow', '#2563eb'), deep: read('--deep', '#dc2626'),
    grown: read('--grown', '#16a34a'),
    between: read('--between', '#6b7280'), page: read('--page', '#f8fafc'),
    text: read('--text', '#1f2937'),
  };
}

// uPlot passes undefined where a series has no point at a step another series has.
const formatPercent = (u, value) => (value == null ? '–' : `${value.toFixed(2)} %`);
const formatLoss = (u, value) => (value == null ? '–' : value.toPrecision(4));

// Scales shared by both panels, so the same height means the same error everywhere. `xMax` is
// the live runs' last step when the x axis fits them, else null (fit everything drawn).
const shared = { errorTop: 100, lossLow: 0.01, lossHigh: 10, xMax: null };

// `data`: chartData() of the live runs; `reference`: a parsed runs file or null; `fitLive`:
// whether the x axis ends at the live runs' last step rather than the reference's.
export function setSharedRanges(data, reference = null, fitLive = false) {
  const extent = reference?.extent;
  const errorMax = Math.max(data.errorMax, (extent?.errorMax ?? 0) * 100);
  const lossMin = Math.min(data.lossMin, extent?.lossMin ?? Infinity);
  const lossMax = Math.max(data.lossMax, extent?.lossMax ?? 0);
  shared.errorTop = errorMax > 0 ? Math.min(100, Math.ceil((errorMax * 1.05) / 5) * 5) : 100;
  const hasLoss = lossMax > 0 && Number.isFinite(lossMin);
  shared.lossLow = hasLoss ? 10 ** Math.floor(Math.log10(lossMin)) : 0.01;
  shared.lossHigh = hasLoss ? 10 ** Math.ceil(Math.log10(lossMax)) : 10;
  if (shared.lossHigh <= shared.lossLow) shared.lossHigh = shared.lossLow * 10;
  shared.xMax = fitLive && reference && data.xs.length ? data.xs.at(-1) : null;
}

// On the log-scaled loss axis, grid lines at 1, 2 and 5 per decade (uPlot draws all nine).
const leadingDigit = (value) => Math.round(value / 10 ** Math.floor(Math.log10(value) + 1e-9));
const oneTwoFive = (u, splits) =>
  splits.map((value) => ([1, 2, 5].includes(leadingDigit(value)) ? value : null));

// Test errors are sparse (one every 50 steps): hovering shows the nearest measured one. Every
// series also skips undefined, which only pads it onto another series' steps (uPlot.join).
const HOVER_REACH = 100;
function nearestMeasured(u, seriesIndex, hovered) {
  const ys = u.data[seriesIndex];
  const sparse = u.series[seriesIndex].spanGaps;
  const missing = (index) => ys[index] === undefined || (sparse && ys[index] === null);
  if (!missing(hovered)) return hovered;
  for (let distance = 1; distance <= HOVER_REACH; distance++) {
    if (hovered - distance >= 0 && !missing(hovered - distance)) return hovered - distance;
    if (hovered + distance < ys.length && !missing(hovered + distance)) return hovered + distance;
  }
  return hovered;
}

// Dots on a sparse series while it has few points, so that the first test error shows.
function fewPoints(u, seriesIndex) {
  let count = 0;
  for (const y of u.data[seriesIndex]) if (y != null && ++count > 30) return false;
  return true;
}

const markerStyle = (u, seriesIndex) => (u.series[seriesIndex].dash ? 'dashed' : 'solid');

function axes(kind, colors) {
  const grid = { stroke: colors.grid };
  const ticks = { stroke: colors.grid };
  const y = kind === 'error'
    ? { label: 'error (%)', grid }
    : {
      label: 'training loss', grid: { ...grid, filter: oneTwoFive },
      ticks: { ...ticks, filter: oneTwoFive },
    };
  return [
    { label: 'iterations', grid, ticks, stroke: colors.axis, labelSize: 24 },
    { ticks, ...y, stroke: colors.axis, size: 56, labelSize: 24 },
  ];
}

const xRange = (u, min, max) => [0, shared.xMax ?? (max > 0 ? max : 100)];

// Things done to a run while it trained (grown, shortcuts switched), as dashed vertical lines
// at their steps: `u.events` is [{step, what, color}], set by Panel.draw.
function drawEvents(u) {
  const context = u.ctx;
  const { top, height } = u.bbox;
  context.save();
  context.setLineDash([3, 3]);
  context.lineWidth = devicePixelRatio;
  context.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
  // Labels that would overlap go one line lower each.
  const lines = []; // per text line, where its last label ends
  const events = [...(u.events ?? [])].sort((a, b) => a.step - b.step);
  for (const { step, what, color } of events) {
    const x = Math.round(u.valToPos(step, 'x', true));
    if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
    const left = x + 4 * devicePixelRatio;
    let line = lines.findIndex((end) => end < left);
    if (line < 0) line = lines.push(0) - 1;
    lines[line] = left + context.measureText(what).width + 6 * devicePixelRatio;
    context.strokeStyle = color;
    context.fillStyle = color;
    context.beginPath();
    context.moveTo(x, top);
    context.lineTo(x, top + height);
    context.stroke();
    context.fillText(what, left, top + (12 + 13 * line) * devicePixelRatio);
  }
  context.restore();
}

function options(kind, width, series, colors) {
  const y = kind === 'error'
    ? { range: () => [0, shared.errorTop] }
    : { distr: 3, range: () => [shared.lossLow, shared.lossHigh] };
  return {
    width,
    height: HEIGHTS[kind],
    series: [{ label: 'iteration' }, ...series],
    scales: { x: { time: false, range: xRange }, y },
    axes: axes(kind, colors),
    // Hovering one chart shows the same iteration in every chart.
    cursor: { sync: { key: 'iterations' }, dataIdx: nearestMeasured },
    // Legend boxes drawn like their lines: dashed for test error.
    legend: { live: true, markers: { width: 2, dash: markerStyle } },
    hooks: { draw: [drawEvents] },
  };
}

// The run of each role in this panel (shallow first), or undefined where there is none; the
// grown role only while a grown run exists.
function byRole(runs) {
  const sorted = runs.filter((run) => !run.info.grown_from)
    .sort((a, b) => a.info.depth - b.info.depth);
  const grown = runs.find((run) => run.info.grown_from);
  return grown ? [sorted[0], sorted[1], grown] : [sorted[0], sorted[1]];
}

function runLabel(run, role) {
  if (!run) return `${role.name} net`;
  const { depth, grown_from: from } = run.info;
  return `${depth} layers${from ? ` grown from ${from}` : ''}${run.diverged ? ' (diverged)' : ''}`;
}

const percentOrNull = (fraction) => (Number.isFinite(fraction) ? fraction * 100 : null);
const positiveOrNull = (value) => (Number.isFinite(value) && value > 0 ? value : null);

// The reference file's runs of one kind, ready to draw: each coloured like the live role of
// the same rank (the file's shallowest depth blue, its deepest red), with its error and loss
// columns joined onto one step axis once, so a frame only joins them with the live columns.
function referenceCurves(reference, shortcuts, colors) {
  const runs = reference?.runs.filter((run) => run.shortcuts === shortcuts) ?? [];
  if (!runs.length) return null;
  const depths = [...new Set(runs.map((run) => run.depth))].sort((a, b) => a - b);
  const colorOf = (depth) => {
    if (depths.length > 1 && depth === depths[0]) return colors.shallow;
    if (depths.length > 1 && depth === depths.at(-1)) return colors.deep;
    return colors.between;
  };
  const column = ([xs, ys], value) => [xs, ys.map(value)];
  return {
    runs: runs.map((run) => ({
      label: `ref: ${run.id} (${reference.name})`, color: colorOf(run.depth) + FADED,
    })),
    error: uPlot.join(runs.flatMap((run) =>
      [column(run.train, percentOrNull), column(run.test, percentOrNull)])),
    loss: uPlot.join(runs.map((run) => column(run.loss, positiveOrNull))),
  };
}

// The live columns, and the reference's where there is one, on one step axis. Steps that only
// one side has are undefined on the other, and uPlot draws a line straight across them.
const withReference = (live, reference) => (reference ? uPlot.join([live, reference]) : live);

export class Panel {
  constructor(element, shortcuts) {
    this.element = element;
    this.shortcuts = shortcuts;
    this.note = element.querySelector('.panel-note');
    this.targets = {
      error: element.querySelector('.chart-error'),
      loss: element.querySelector('.chart-loss'),
    };
    this.plots = { error: null, loss: null };
    this.signature = null;
    this.reference = null; // the parsed runs file drawn, and its curves for this panel
    this.curves = null;
    this.references = 0; // reference files shown so far
    this.colors = themeColors(element);
    new ResizeObserver(() => this.resize()).observe(element);
  }

  // The theme changed: the next draw reads its colours and builds the plots again.
  restyle() {
    this.colors = themeColors(this.element);
    this.reference = undefined;
  }

  width() {
    return Math.max(240, this.targets.error.clientWidth);
  }

  resize() {
    const width = this.width();
    for (const [kind, plot] of Object.entries(this.plots)) {
      if (plot && plot.width !== width) plot.setSize({ width, height: HEIGHTS[kind] });
    }
  }

  // Series names change only when runs are made, restart or diverge, or a reference file comes
  // or goes: rebuild the plots then.
  rebuild(roles) {
    const errorSeries = [];
    const lossSeries = [];
    ROLES.slice(0, roles.length).forEach((role, index) => {
      const label = runLabel(roles[index], role);
      const line = { stroke: this.colors[role.name], width: 2 };
      errorSeries.push({ ...line, label: `${label}, train`, value: formatPercent });
      errorSeries.push({
        ...line, label: `${label}, test`, width: 1.5, dash: [6, 4], spanGaps: true,
        points: { show: fewPoints, size: 5 }, value: formatPercent,
      });
      lossSeries.push({ ...line, width: 1.5, label, value: formatLoss });
    });
    for (const { label, color } of this.curves?.runs ?? []) {
      const line = { stroke: color, width: 1, value: formatPercent };
      errorSeries.push({ ...line, label: `${label}, train` });
      errorSeries.push({ ...line, label: `${label}, test`, dash: [6, 4], spanGaps: true });
      lossSeries.push({ ...line, label, value: formatLoss });
    }
    const width = this.width();
    const live = { error: 2 * roles.length, loss: roles.length };
    for (const [kind, series] of [['error', errorSeries], ['loss', lossSeries]]) {
      this.plots[kind]?.destroy();
      const empty = [[], ...series.map(() => [])];
      const settings = options(kind, width, series, this.colors);
      this.plots[kind] = new uPlot(settings, empty, this.targets[kind]);
      // Legend rows after the x value and the live runs' belong to the reference runs.
      this.plots[kind].root.querySelectorAll('.u-legend .u-series').forEach((row, index) =>
        row.classList.toggle('reference', index > live[kind]));
    }
  }

  // `runs`: this panel's RunData; `data`: chartData() of every run; `active`: whether the
  // settings train this kind of net at all; `reference`: a parsed runs file, or null.
  draw(runs, data, active, reference = null) {
    const roles = byRole(runs);
    if (reference !== this.reference) {
      this.reference = reference;
      this.curves = referenceCurves(reference, this.shortcuts, this.colors);
      this.references += 1;
    }
    const signature = roles
      .map((run) => (run ? `${run.info.id}:${run.info.generation}:${run.diverged}` : '-'))
      .concat(this.references).join();
    if (signature !== this.signature) {
      this.rebuild(roles);
      this.signature = signature;
    }
    const nothing = data.xs.map(() => null);
    const columns = roles.map((run) => (run && data.series.get(run.info.id)) ||
      { train: nothing, test: nothing, loss: nothing });
    const error = [data.xs, ...columns.flatMap((c) => [c.train, c.test])];
    const loss = [data.xs, ...columns.map((c) => c.loss)];
    const events = roles.flatMap((run, index) => (run?.info.events ?? [])
      .map((event) => ({ ...event, what: `${run.info.depth}: ${event.what}`,
        color: this.colors[ROLES[index].name] })));
    this.plots.error.events = events;
    this.plots.loss.events = events;
    this.plots.error.setData(withReference(error, this.curves?.error));
    this.plots.loss.setData(withReference(loss, this.curves?.loss));
    this.element.classList.toggle('inactive', !active);
    this.element.classList.toggle('diverged', roles.some((run) => run?.diverged));
    this.note.textContent = panelNote(roles, active, this.shortcuts);
  }
}

function panelNote(roles, active, shortcuts) {
  if (!active) return `not trained: choose “${shortcuts} only” or “plain and residual”`;
  const diverged = roles.filter((run) => run?.diverged).map((run) => run.info.depth);
  if (diverged.length) {
    const nets = diverged.map((depth) => `${depth}-layer`).join(' and ');
    const whose = diverged.length > 1 ? "nets' losses" : "net's loss";
    return `diverged: the ${nets} ${whose} became NaN or infinite`;
  }
  return '';
}
