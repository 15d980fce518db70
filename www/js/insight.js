// The "inside the nets" section under the charts: a heatmap of each block's gradient norm over
// time per run, the layers' responses, decision boundaries on the spirals, and the two
// experiments (grow by identity, shortcuts off live). The numbers come from the worker (records'
// `layers`, 'boundaries' and 'plane' messages); the layout is in index.html.

import uPlot from '../vendor/uPlot.esm.js';
import { themeColors } from './charts.js';
import { layerSummary, LayerHistory, logRange, NO_SUMMARY } from './layers.js';

// Viridis at five stops: dark and blue for small gradients, yellow for large ones. Readable
// on light and dark pages alike, and in greyscale.
const VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
// The spirals' three classes, as on the paper-free CS231n pictures: blue, red, yellow.
const CLASS_COLORS = [[37, 99, 235], [220, 38, 38], [234, 179, 8]];

function viridis(t) {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  return VIRIDIS[i].map((c, k) => Math.round(c + f * (VIRIDIS[i + 1][k] - c)));
}

// "plain 30 layers", "residual 30 layers, grown from residual-6"
function runTitle(info) {
  const grown = info.grown_from ? `, grown from ${info.grown_from}` : '';
  const cut = info.shortcuts === 'residual' && !info.shortcuts_on ? ', shortcuts off' : '';
  return `${info.shortcuts} ${info.depth} layers${grown}${cut}`;
}

// Shallow, deep or grown: the run's colour (themeColors), as in the error charts.
function role(info, runs) {
  if (info.grown_from) return 'grown';
  const depths = runs.filter((r) => !r.grown_from).map((r) => r.depth);
  return info.depth === Math.max(...depths) && depths.length > 1 ? 'deep' : 'shallow';
}

export class Insight {
  // `root`: the Document or ShadowRoot holding the section; `send(message)` posts to the worker.
  constructor(root, send) {
    const byId = (id) => root.getElementById(id);
    this.document = root.ownerDocument ?? root;
    this.send = send;
    this.nodes = {
      section: byId('insight'), heatmaps: byId('heatmaps'), summary: byId('heatmap-summary'),
      responses: byId('responses'), boundaries: byId('boundaries'),
      boundaryField: byId('boundary-field'), shortcuts: byId('shortcuts-live'),
      growSource: byId('grow-source'), grow: byId('grow'), message: byId('insight-message'),
    };
    this.history = new LayerHistory();
    this.runs = []; // the worker's run list
    this.deepDepth = null;
    this.boundaries = new Map(); // run id → the latest boundary
    this.plane = null; // {points, labels}
    this.responsePlot = null;
    this.responseKey = '';
    this.lastSummary = 0;
    this.colors = themeColors(this.nodes.section);

    this.nodes.shortcuts.addEventListener('change', () => {
      this.say('');
      send({ type: 'shortcuts-live', on: this.nodes.shortcuts.checked });
    });
    this.nodes.grow.addEventListener('click', () => {
      const run = this.nodes.growSource.value;
      if (!run || !this.deepDepth) return;
      this.say(`growing ${run} to ${this.deepDepth} layers…`);
      this.nodes.grow.disabled = true; // until the worker answers ('runs' or 'refused')
      send({ type: 'grow', run, depth: this.deepDepth });
    });
    new ResizeObserver(() => this.resizeResponses()).observe(this.nodes.responses);
  }

  // The theme changed: new colours for the captions and the responses chart.
  restyle() {
    this.colors = themeColors(this.nodes.section);
    this.responseKey = '';
    this.layersDrawn = '';
  }

  say(text) {
    this.nodes.message.textContent = text;
  }

  // A 'runs' message; `settings`: the worker's checked settings.
  setRuns(runs, session, settings) {
    this.history.sync(runs, session);
    if (session !== this.session) {
      // A new session (other data, other settings): nothing drawn before belongs to it.
      this.session = session;
      this.boundaries.clear();
      this.plane = null;
    }
    const grown = runs.find((r) => r.grown_from && !this.runs.some((o) => o.id === r.id));
    const ended = this.runs.filter((o) => o.grown_from && !runs.some((r) => r.id === o.id));
    if (grown) this.say(`${grown.id} trains beside the others from step ${grown.events[0]?.step}.`);
    else if (ended.length) {
      this.say(`${ended.map((r) => r.id).join(' and ')} ended: a grown run lasts until the ` +
        'settings change.');
    }
    this.runs = runs;
    this.deepDepth = settings?.depths?.[1] ?? null;
    for (const id of this.boundaries.keys()) {
      if (!runs.some((r) => r.id === id)) this.boundaries.delete(id);
    }
    // The switch shows what the worker did: a new session starts with shortcuts on.
    const residual = runs.filter((r) => r.shortcuts === 'residual');
    if (residual.length) this.nodes.shortcuts.checked = residual.some((r) => r.shortcuts_on);
    this.nodes.shortcuts.disabled = residual.length === 0;
    this.showGrowChoices();
  }

  showGrowChoices() {
    const sources = this.runs.filter((r) => !r.grown_from && r.depth < this.deepDepth);
    const options = sources.map((r) =>
      new Option(`${r.shortcuts} ${r.depth} → ${this.deepDepth} layers`, r.id));
    const key = options.map((o) => o.value + o.text).join();
    if (key !== this.growKey) {
      const chosen = this.nodes.growSource.value;
      this.nodes.growSource.replaceChildren(...options);
      if (sources.some((r) => r.id === chosen)) this.nodes.growSource.value = chosen;
      this.growKey = key;
    }
    this.nodes.grow.disabled = sources.length === 0;
    this.nodes.growSource.disabled = sources.length === 0;
  }

  addRecords(records) {
    for (const record of records) this.history.add(record);
  }

  setBoundaries(boundaries) {
    for (const boundary of boundaries) this.boundaries.set(boundary.run, boundary);
  }

  setPlane(plane) {
    this.plane = plane;
  }

  refused({ action, message }) {
    this.say(`${action === 'grow' ? 'Could not grow' : 'Could not switch shortcuts'}: ${message}`);
    this.showGrowChoices();
  }

  reset() {
    this.history = new LayerHistory();
    this.boundaries.clear();
    this.plane = null;
    this.runs = [];
    this.say('');
    this.showGrowChoices();
  }

  // Once per animation frame at most (app.js's redraw).
  draw() {
    // Layer numbers come every 10 steps, frames far more often: repaint only what changed.
    const layers = this.runs.map((r) => {
      const samples = this.history.samples(r.id);
      return `${r.id}:${r.generation}:${samples.length}:${samples.at(-1)?.step}`;
    }).join();
    if (layers !== this.layersDrawn) {
      this.layersDrawn = layers;
      this.drawHeatmaps();
      this.drawResponses();
    }
    this.drawBoundaries();
    // The text summary is for reading, not watching: every few seconds is enough.
    const now = performance.now();
    if (now - this.lastSummary > 3000 || this.nodes.summary.textContent === NO_SUMMARY) {
      const text = layerSummary(this.runs, this.history);
      if (this.nodes.summary.textContent !== text) {
        this.nodes.summary.textContent = text;
        this.lastSummary = now;
      }
    }
  }

  // One figure per run: a canvas `width` × `height` with a caption.
  figures(container, kind, ids) {
    const existing = new Map([...container.children].map((f) => [f.dataset.run, f]));
    const figures = ids.map((id) => {
      let figure = existing.get(id);
      if (!figure) {
        figure = this.document.createElement('figure');
        figure.dataset.run = id;
        figure.className = kind;
        const canvas = this.document.createElement('canvas');
        canvas.setAttribute('role', 'img');
        figure.append(canvas, this.document.createElement('figcaption'));
      }
      return figure;
    });
    const current = [...container.children];
    if (current.length !== figures.length || figures.some((f, i) => f !== current[i])) {
      container.replaceChildren(...figures);
    }
    return figures;
  }

  drawHeatmaps() {
    const runs = this.runs.filter((r) => this.history.samples(r.id).length);
    const range = logRange(runs.map((r) => this.history.samples(r.id)));
    const figures = this.figures(this.nodes.heatmaps, 'heatmap', runs.map((r) => r.id));
    runs.forEach((info, index) => {
      const samples = this.history.samples(info.id);
      const figure = figures[index];
      const canvas = figure.querySelector('canvas');
      const rows = samples[0].gradient_norms.length;
      if (canvas.width !== samples.length || canvas.height !== rows) {
        canvas.width = samples.length;
        canvas.height = rows;
      }
      const context = canvas.getContext('2d');
      const image = context.createImageData(samples.length, rows);
      samples.forEach((sample, column) => {
        sample.gradient_norms.forEach((norm, row) => {
          const t = norm > 0 ? (Math.log10(norm) - range.low) / (range.high - range.low) : 0;
          const [r, g, b] = viridis(t);
          const at = 4 * (row * samples.length + column);
          image.data.set([r, g, b, 255], at);
        });
      });
      context.putImageData(image, 0, 0);
      const last = samples.at(-1);
      canvas.setAttribute('aria-label', `gradient norms of ${runTitle(info)}: ${rows} blocks ` +
        `by ${samples.length} moments up to step ${last.step}`);
      figure.querySelector('figcaption').textContent =
        `${runTitle(info)} · ${rows} block${rows === 1 ? '' : 's'} · to step ${last.step}`;
      figure.style.setProperty('--run-color', this.colors[role(info, this.runs)]);
    });
    const scale = this.nodes.section.querySelector('.heatmap-scale');
    if (scale && Number.isFinite(range.low)) {
      scale.querySelector('.low').textContent = (10 ** range.low).toPrecision(2);
      scale.querySelector('.high').textContent = (10 ** range.high).toPrecision(2);
    }
  }

  drawResponses() {
    const runs = this.runs.filter((r) => this.history.samples(r.id).length);
    const key = runs.map((r) => `${r.id}:${r.generation}`).join();
    if (key !== this.responseKey) {
      this.responseKey = key;
      this.responsePlot?.destroy();
      this.responsePlot = null;
      if (!runs.length) return;
      const series = runs.map((r) => ({
        label: `${runTitle(r)}${r.shortcuts === 'plain' ? ' (dashed)' : ''}`,
        stroke: this.colors[role(r, this.runs)], width: 1.5,
        dash: r.shortcuts === 'plain' ? [6, 4] : undefined, points: { show: false },
        value: (u, v) => (v == null ? '–' : v.toFixed(3)),
      }));
      this.responsePlot = new uPlot({
        width: this.responseWidth(), height: 180,
        series: [{ label: 'layer' }, ...series],
        // Log scale: a deep plain net's first layers can respond 100× more than the rest.
        scales: { x: { time: false }, y: { distr: 3 } },
        // Whole layers only on the x axis.
        axes: [
          { label: 'weight layer (from the input)', labelSize: 24, incrs: [1, 2, 5, 10, 20],
            stroke: this.colors.axis, grid: { stroke: this.colors.grid } },
          { label: 'response std', size: 56, labelSize: 24, stroke: this.colors.axis,
            grid: { stroke: this.colors.grid } }],
        // Legend boxes drawn like their lines: plain nets dashed, residual nets solid.
        legend: {
          live: false, markers: { dash: (u, i) => (u.series[i].dash ? 'dashed' : 'solid') },
        },
        cursor: { drag: { x: false, y: false } },
      }, [[]], this.nodes.responses);
    }
    if (!this.responsePlot) return;
    const latest = runs.map((r) => this.history.samples(r.id).at(-1).responses);
    const layers = Math.max(...latest.map((l) => l.length));
    const xs = Array.from({ length: layers }, (_, i) => i + 1);
    // A silent layer (a grown identity block's branch: exactly 0) has no place on a log scale.
    const positive = (value) => (value > 0 ? value : null);
    this.responsePlot.setData([xs,
      ...latest.map((l) => xs.map((x) => positive(l[x - 1])))]);
  }

  responseWidth() {
    return Math.max(240, this.nodes.responses.clientWidth);
  }

  resizeResponses() {
    this.responsePlot?.setSize({ width: this.responseWidth(), height: 180 });
  }

  drawBoundaries() {
    const runs = this.runs.filter((r) => this.boundaries.has(r.id));
    this.nodes.boundaryField.hidden = runs.length === 0;
    const figures = this.figures(this.nodes.boundaries, 'boundary', runs.map((r) => r.id));
    runs.forEach((info, index) => {
      const boundary = this.boundaries.get(info.id);
      const figure = figures[index];
      const canvas = figure.querySelector('canvas');
      if (figure.dataset.drawn === `${boundary.step}:${info.generation}`) return;
      figure.dataset.drawn = `${boundary.step}:${info.generation}`;
      drawBoundary(canvas, boundary, this.plane);
      canvas.setAttribute('aria-label', `decision boundary of ${runTitle(info)} at step ` +
        `${boundary.step}: the plane coloured by the class the net predicts`);
      figure.querySelector('figcaption').textContent = `${runTitle(info)} · step ${boundary.step}`;
      figure.style.setProperty('--run-color', this.colors[role(info, this.runs)]);
    });
  }
}

// The plane coloured by the predicted class, lighter where the net is unsure, with the held-out
// points on top. Drawn at 4 canvas pixels per grid point.
function drawBoundary(canvas, boundary, plane) {
  const { size, classes, probabilities, extent } = boundary;
  const scale = 4;
  canvas.width = size * scale;
  canvas.height = size * scale;
  const context = canvas.getContext('2d');
  const image = context.createImageData(size, size);
  for (let i = 0; i < size * size; i++) {
    const rgb = [0, 0, 0];
    let top = 0;
    for (let c = 0; c < classes; c++) {
      const p = probabilities[i * classes + c];
      top = Math.max(top, p);
      const color = CLASS_COLORS[c % CLASS_COLORS.length];
      for (let k = 0; k < 3; k++) rgb[k] += p * color[k];
    }
    // Pale towards white as the net is less sure: certainty 1/classes → white.
    const sure = (top - 1 / classes) / (1 - 1 / classes);
    const pale = 0.45 + 0.35 * (1 - sure);
    image.data.set([...rgb.map((v) => Math.round(v + pale * (255 - v))), 255], 4 * i);
  }
  const small = new OffscreenCanvas(size, size);
  small.getContext('2d').putImageData(image, 0, 0);
  context.imageSmoothingEnabled = true;
  context.drawImage(small, 0, 0, canvas.width, canvas.height);
  if (!plane) return;
  const toPixel = (v, flip) => ((flip ? -v : v) + extent) / (2 * extent) * canvas.width;
  for (let i = 0; i < plane.labels.length; i++) {
    const [r, g, b] = CLASS_COLORS[plane.labels[i] % CLASS_COLORS.length];
    context.fillStyle = `rgb(${r} ${g} ${b})`;
    context.strokeStyle = 'rgba(255, 255, 255, 0.9)';
    context.beginPath();
    context.arc(toPixel(plane.points[2 * i], false), toPixel(plane.points[2 * i + 1], true), 2.5,
      0, 2 * Math.PI);
    context.fill();
    context.stroke();
  }
}
