// The charts in words, for screen readers: a table per panel with each run's step and latest
// training and test error. Updated every few seconds at most, so that it is not read out (or
// rebuilt) on every step.

export const SUMMARY_INTERVAL_MS = 3000;

const percent = (fraction) =>
  (Number.isFinite(fraction) ? `${(fraction * 100).toFixed(2)} %` : 'not measured yet');

/** The latest numbers of one run (a store.js RunData). */
export function runSummary(run) {
  const last = run.length - 1;
  const tested = run.tested.at(-1);
  return [
    `${run.info.shortcuts} ${run.info.depth} layers${run.diverged ? ' (diverged)' : ''}`,
    String(run.lastStep),
    last >= 0 ? percent(run.trainError.at(last)) : 'not measured yet',
    tested === undefined ? 'not measured yet' : percent(run.testError.at(tested)),
  ];
}

/** Fills `table`'s body with a row per run of `runs`. */
export function renderSummary(table, runs) {
  const body = table.tBodies[0];
  const rows = runs.length ? runs.map(runSummary) : [['no runs yet', '–', '–', '–']];
  const text = JSON.stringify(rows);
  if (body.dataset.shown === text) return;
  body.dataset.shown = text;
  body.replaceChildren(...rows.map((cells) => {
    const row = document.createElement('tr');
    for (const cell of cells) row.append(Object.assign(document.createElement('td'),
      { textContent: cell }));
    return row;
  }));
}

/**
 * Each panel's table (`.chart-summary table`), filled every SUMMARY_INTERVAL_MS at most, when
 * training starts or stops, and once more a while after the last change (records still come
 * just after a Pause): `redraw()` is asked for then.
 */
export class Summaries {
  constructor(panels, redraw) {
    this.panels = panels;
    this.tables = panels.map((panel) => panel.element.querySelector('.chart-summary table'));
    this.redraw = redraw;
    this.time = -Infinity;
    this.running = null;
    this.timer = null;
  }

  // `runs`: id → RunData (store.js); `running`: whether training is on.
  render(runs, running) {
    const now = performance.now();
    const wait = this.time + SUMMARY_INTERVAL_MS - now;
    if (wait > 0 && running === this.running) {
      this.timer ??= setTimeout(() => {
        this.timer = null;
        this.redraw();
      }, wait);
      return;
    }
    Object.assign(this, { time: now, running });
    this.panels.forEach((panel, index) => renderSummary(this.tables[index],
      [...runs.values()].filter((run) => run.info.shortcuts === panel.shortcuts)));
  }
}
