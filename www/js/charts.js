// The two chart panels, Plain and Residual: error (%) and training loss against iterations,
// drawn with uPlot from columns made by store.js's chartData.

import uPlot from '../vendor/uPlot.esm.js';

// One colour per depth role, the same in both panels, so shallow and deep nets compare at a
// glance. Training error is solid, test error dashed.
const ROLES = [
  { name: 'shallow', color: '#2563eb' },
  { name: 'deep', color: '#dc2626' },
];
const HEIGHTS = { error: 260, loss: 170 };

const formatPercent = (u, value) => (value === null ? '–' : `${value.toFixed(2)} %`);
const formatLoss = (u, value) => (value === null ? '–' : value.toPrecision(4));

// Scales shared by both panels, so the same height means the same error everywhere.
const shared = { errorTop: 100, lossLow: 0.01, lossHigh: 10 };

export function setSharedRanges(data) {
  shared.errorTop = data.errorMax > 0 ? Math.min(100, Math.ceil((data.errorMax * 1.05) / 5) * 5)
    : 100;
  const hasLoss = data.lossMax > 0 && Number.isFinite(data.lossMin);
  shared.lossLow = hasLoss ? 10 ** Math.floor(Math.log10(data.lossMin)) : 0.01;
  shared.lossHigh = hasLoss ? 10 ** Math.ceil(Math.log10(data.lossMax)) : 10;
  if (shared.lossHigh <= shared.lossLow) shared.lossHigh = shared.lossLow * 10;
}

// On the log-scaled loss axis, grid lines at 1, 2 and 5 per decade (uPlot draws all nine).
const leadingDigit = (value) => Math.round(value / 10 ** Math.floor(Math.log10(value) + 1e-9));
const oneTwoFive = (u, splits) =>
  splits.map((value) => ([1, 2, 5].includes(leadingDigit(value)) ? value : null));

// Test errors are sparse (one every 50 steps): hovering shows the nearest measured one.
const HOVER_REACH = 100;
function nearestMeasured(u, seriesIndex, hovered) {
  const ys = u.data[seriesIndex];
  if (!u.series[seriesIndex].spanGaps || ys[hovered] !== null) return hovered;
  for (let distance = 1; distance <= HOVER_REACH; distance++) {
    if (ys[hovered - distance] != null) return hovered - distance;
    if (ys[hovered + distance] != null) return hovered + distance;
  }
  return hovered;
}

// Dots on a sparse series while it has few points, so that the first test error shows.
function fewPoints(u, seriesIndex) {
  let count = 0;
  for (const y of u.data[seriesIndex]) if (y !== null && ++count > 30) return false;
  return true;
}

const markerStyle = (u, seriesIndex) => (u.series[seriesIndex].dash ? 'dashed' : 'solid');

function axes(kind) {
  const grid = { stroke: '#e5e7eb' };
  const y = kind === 'error'
    ? { label: 'error (%)', grid }
    : {
      label: 'training loss', grid: { ...grid, filter: oneTwoFive }, ticks: { filter: oneTwoFive },
    };
  return [
    { label: 'iterations', grid, labelSize: 24 },
    { ...y, size: 56, labelSize: 24 },
  ];
}

function options(kind, width, series) {
  const y = kind === 'error'
    ? { range: () => [0, shared.errorTop] }
    : { distr: 3, range: () => [shared.lossLow, shared.lossHigh] };
  return {
    width,
    height: HEIGHTS[kind],
    series: [{ label: 'iteration' }, ...series],
    scales: { x: { time: false, range: (u, min, max) => [0, max > 0 ? max : 100] }, y },
    axes: axes(kind),
    // Hovering one chart shows the same iteration in every chart.
    cursor: { sync: { key: 'iterations' }, dataIdx: nearestMeasured },
    // Legend boxes drawn like their lines: dashed for test error.
    legend: { live: true, markers: { width: 2, dash: markerStyle } },
  };
}

// The run of each role in this panel (shallow first), or undefined where there is none.
function byRole(runs) {
  const sorted = [...runs].sort((a, b) => a.info.depth - b.info.depth);
  return ROLES.map((role, index) => sorted[index]);
}

function runLabel(run, role) {
  if (!run) return `${role.name} net`;
  return `${run.info.depth} layers${run.diverged ? ' (diverged)' : ''}`;
}

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
    new ResizeObserver(() => this.resize()).observe(element);
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

  // Series names change only when runs are made, restart or diverge: rebuild the plots then.
  rebuild(roles) {
    const errorSeries = [];
    const lossSeries = [];
    ROLES.forEach((role, index) => {
      const label = runLabel(roles[index], role);
      const line = { stroke: role.color, width: 2 };
      errorSeries.push({ ...line, label: `${label}, train`, value: formatPercent });
      errorSeries.push({
        ...line, label: `${label}, test`, width: 1.5, dash: [6, 4], spanGaps: true,
        points: { show: fewPoints, size: 5 }, value: formatPercent,
      });
      lossSeries.push({ ...line, width: 1.5, label, value: formatLoss });
    });
    const width = this.width();
    for (const [kind, series] of [['error', errorSeries], ['loss', lossSeries]]) {
      this.plots[kind]?.destroy();
      const empty = [[], ...series.map(() => [])];
      this.plots[kind] = new uPlot(options(kind, width, series), empty, this.targets[kind]);
    }
  }

  // `runs`: this panel's RunData; `data`: chartData() of every run; `active`: whether the
  // settings train this kind of net at all.
  draw(runs, data, active) {
    const roles = byRole(runs);
    const signature = roles.map((run) => (run ? `${run.info.id}:${run.diverged}` : '-')).join();
    if (signature !== this.signature) {
      this.rebuild(roles);
      this.signature = signature;
    }
    const nothing = data.xs.map(() => null);
    const columns = roles.map((run) => (run && data.series.get(run.info.id)) ||
      { train: nothing, test: nothing, loss: nothing });
    this.plots.error.setData([data.xs, ...columns.flatMap((c) => [c.train, c.test])]);
    this.plots.loss.setData([data.xs, ...columns.map((c) => c.loss)]);
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
