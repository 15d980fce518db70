// Usable by everyone: the page from the keyboard alone, a text summary of the charts for
// screen readers, and a 360 px wide phone screen with finger-sized sliders.
// No timing assertions: every wait polls for a condition.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useBrowser } from './harness.mjs';

const browser = useBrowser();
const MINUTE = 60_000;
const FAST = 'dataset=spiral&arch=mlp&depths=4,6&backend=cpu';

const lastStep = (page) => page.evaluate(
  () => Math.max(0, ...window.playground.records().map((record) => record.step)));

/** Presses Tab until `id` has the focus; fails after `limit` presses. */
async function tabTo(page, id, limit = 60) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.id) === id) return;
  }
  assert.fail(`#${id} not reached with ${limit} presses of Tab`);
}

/** The focused element's outline, as drawn (its :focus-visible style). */
const focusOutline = (page) => page.evaluate(() => {
  const style = getComputedStyle(document.activeElement);
  return `${style.outlineStyle} ${style.outlineWidth}`;
});

test('Start, Pause and the depth slider work from the keyboard alone',
  { timeout: 10 * MINUTE }, async () => {
    const { page, errors } = await browser.open(`/?${FAST}`);
    await page.waitForFunction(() => !document.querySelector('#start').disabled, null,
      { timeout: 5 * MINUTE, polling: 250 });

    await tabTo(page, 'depth-deep');
    assert.notEqual(await focusOutline(page), 'none 0px', 'the focused slider is outlined');
    assert.equal(await page.locator('#depth-deep-value').innerText(), '6 layers');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('#depth-deep-value').innerText(), '8 layers');
    assert.equal(await page.locator('#depth-deep').getAttribute('aria-valuetext'), '8 layers');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('depths') === '4,8');

    await tabTo(page, 'start');
    assert.notEqual(await focusOutline(page), 'none 0px', 'the focused button is outlined');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.playground.records().some((r) => r.step >= 5),
      null, { timeout: 5 * MINUTE, polling: 250 });
    const runs = await page.evaluate(() => window.playground.runs().map((run) => run.id).sort());
    assert.deepEqual(runs, ['plain-4', 'plain-8', 'residual-4', 'residual-8']);

    // Start is disabled while training: the next stop of Tab is Pause.
    await tabTo(page, 'pause', 3);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.body.dataset.phase === 'paused', null,
      { timeout: 5 * MINUTE, polling: 250 });
    const paused = await lastStep(page);

    // The charts in words: the tables catch up once training has stopped.
    await page.waitForFunction((step) => document.querySelector('#panel-plain .chart-summary')
      .innerText.includes(String(step)), paused);
    const summary = await page.locator('#panel-plain .chart-summary').innerText();
    assert.match(summary, /plain 4 layers/);
    assert.match(summary, /plain 8 layers/);
    assert.match(summary, /\d+\.\d\d %/, 'a training error in percent');
    assert.deepEqual(errors.page, [], 'no uncaught errors');
    await page.close();
  });

test('a 360 px wide screen: no sideways scrolling, 44 px sliders', { timeout: 10 * MINUTE },
  async () => {
    for (const query of [`${FAST}&steps=20&autostart=1`, `${FAST}&embed=1`]) {
      const { page, errors } = await browser.open(`/?${query}`, {
        prepare: (tab) => tab.setViewportSize({ width: 360, height: 800 }),
      });
      await page.waitForFunction(() => !document.querySelector('#controls fieldset').disabled,
        null, { timeout: 5 * MINUTE, polling: 250 });
      if (query.includes('autostart')) {
        // Finished, so that the legends hold numbers, the widest they get.
        await page.waitForFunction(() => document.body.dataset.phase === 'done', null,
          { timeout: 5 * MINUTE, polling: 250 });
      }
      await browser.screenshot(page, query.includes('embed') ? 'phone-embed' : 'phone');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `${query}: the page is ${width} px wide`);
      for (const slider of ['#depth-shallow', '#depth-deep']) {
        const box = await page.locator(slider).boundingBox();
        assert.ok(box.height >= 44, `${slider} is ${box.height} px tall`);
      }
      assert.deepEqual(errors.page, [], 'no uncaught errors');
      await page.close();
    }
  });

test('reduced motion: autostart=1 does not start, and says so', { timeout: 10 * MINUTE },
  async () => {
    const { page, errors } = await browser.open(`/?${FAST}&autostart=1`, {
      prepare: (tab) => tab.emulateMedia({ reducedMotion: 'reduce' }),
    });
    await page.locator('#notice').waitFor({ state: 'visible', timeout: 5 * MINUTE });
    assert.match(await browser.shownText(page, '#notice'), /reduced motion/);
    assert.ok(await page.locator('#start').isEnabled(), 'Start waits for the user');
    assert.equal(await lastStep(page), 0, 'no step taken');
    const spinning = await page.evaluate(
      () => getComputedStyle(document.querySelector('.spinner')).animationName);
    assert.equal(spinning, 'none', 'the spinner does not spin');
    assert.deepEqual(errors.page, [], 'no uncaught errors');
    await page.close();
  });
