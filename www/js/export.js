// Saving what the page shows: the runs as JSON (the CLI's `--out runs.json` schema, which the
// reference bar loads back) and the charts as one PNG.

import { themeColors } from './charts.js';

/** Offers `blob` as a download named `name`. */
export function saveFile(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The runs file as JSON: `{settings, records}`, as src/export.rs's RunsFile serialises it —
 * the worker's settings and every record (errors as fractions, null where not measured).
 */
export function runsJson(settings, records) {
  return JSON.stringify({ settings, records });
}

/** The PNG's legend line: what was trained, what the colours and dashes mean, how far. */
export function pngLegend(settings, runs) {
  const [shallow, deep] = settings.depths;
  const steps = Math.max(0, ...[...runs.values()].map((run) => run.lastStep));
  const grown = [...runs.values()].find((run) => run.info.grown_from)?.info;
  const green = grown ? `, green: ${grown.depth} layers grown from ${grown.grown_from}` : '';
  return `${settings.dataset} · ${settings.arch} · blue: ${shallow} layers, red: ${deep} ` +
    `layers${green} · solid: training error, dashed: test error · step ${steps}`;
}

const PAD = 16; // CSS pixels around and between the pieces of the PNG
const TITLE = 28; // height of a panel's title line
const LEGEND = 28; // height of the legend line at the bottom

/**
 * One PNG of both panels' charts: each panel's title over its two uPlot canvases, side by
 * side, and a legend line under them. `panels`: charts.js Panels; `legend`: the line's text.
 * Resolves to a Blob, or null when there is nothing drawn yet.
 */
export function chartsPng(panels, legend) {
  const columns = panels.map((panel) => ({
    title: panel.element.querySelector('h2').innerText.trim(),
    canvases: Object.values(panel.plots).filter(Boolean).map((plot) => plot.ctx.canvas),
  }));
  const first = columns[0]?.canvases[0];
  if (!first) return Promise.resolve(null);
  // The canvases are in device pixels; the text is scaled to match.
  const scale = first.width / first.getBoundingClientRect().width || devicePixelRatio || 1;
  const gap = PAD * scale;
  const columnWidth = Math.max(...columns.flatMap((c) => c.canvases.map((canvas) => canvas.width)));
  const columnHeight = Math.max(...columns.map((c) =>
    c.canvases.reduce((sum, canvas) => sum + canvas.height + gap, TITLE * scale)));
  const out = document.createElement('canvas');
  out.width = Math.round(gap + columns.length * (columnWidth + gap));
  out.height = Math.round(gap + columnHeight + LEGEND * scale + gap);

  const colors = themeColors(panels[0].element);
  const ctx = out.getContext('2d');
  ctx.fillStyle = colors.page;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = colors.text;
  ctx.textBaseline = 'top';
  columns.forEach((column, index) => {
    const x = gap + index * (columnWidth + gap);
    ctx.font = `600 ${18 * scale}px system-ui, sans-serif`;
    ctx.fillText(column.title, x, gap);
    let y = gap + TITLE * scale;
    for (const canvas of column.canvases) {
      ctx.drawImage(canvas, x, y);
      y += canvas.height + gap;
    }
  });
  ctx.font = `${14 * scale}px system-ui, sans-serif`;
  ctx.fillText(legend, gap, gap + columnHeight, out.width - 2 * gap);
  return new Promise((resolve) => out.toBlob(resolve, 'image/png'));
}
