// Embedding: embed=1 shows only the chosen controls, links to the full page, tells its parent
// its height, and trains only while it can be seen (scrolled into view, tab shown), resuming
// where it left off but never over a user's Pause.
// No timing assertions: every wait polls for a condition.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useBrowser } from './harness.mjs';

const browser = useBrowser();
const MINUTE = 60_000;
const FAST = 'dataset=spiral&arch=mlp&depths=4,6&backend=cpu';
const CONTROL_IDS = ['preset', 'dataset', 'arch', 'depth-shallow', 'depth-deep', 'shortcuts',
  'optimizer', 'lr', 'batch', 'seed', 'backend', 'start', 'pause', 'reset', 'download-csv'];

/** Which of CONTROL_IDS are shown, once the worker has sent its settings and presets. */
async function shownControls(page) {
  await page.waitForFunction(() => !document.querySelector('#controls fieldset').disabled &&
    document.querySelector('#preset').options.length > 0,
  null, { timeout: 5 * MINUTE, polling: 250 });
  const shown = [];
  for (const id of CONTROL_IDS) if (await page.locator(`#${id}`).isVisible()) shown.push(id);
  return shown;
}

/** The last step any run has reached in `frame` (a Page or Frame), and its phase. */
const progress = (frame) => frame.evaluate(() => ({
  step: Math.max(0, ...window.playground.records().map((record) => record.step)),
  phase: document.body.dataset.phase,
}));

/** Polls `frame` until `done(progress)` holds; fails on an error shown or thrown. */
async function waitFor(frame, errors, what, done) {
  const deadline = Date.now() + 5 * MINUTE;
  for (;;) {
    assert.deepEqual(errors.page, [], `no uncaught errors while waiting for ${what}`);
    const error = await frame.evaluate(() => document.querySelector('#error').innerText.trim());
    assert.equal(error, '', `no error while waiting for ${what}`);
    const now = await progress(frame);
    if (done(now)) return now;
    assert.ok(Date.now() < deadline, `${what}: not so after 5 minutes (${JSON.stringify(now)})`);
    await frame.waitForTimeout(250);
  }
}

/** Waits a little and checks that training stands still at `paused`. */
async function assertStaysPaused(frame, paused, why) {
  await frame.waitForTimeout(1500); // long enough for several spiral steps, were it training
  const later = await progress(frame);
  assert.equal(later.phase, 'paused', `${why}: still paused`);
  assert.equal(later.step, paused.step, `${why}: no steps while paused`);
}

test('hide= leaves out the named controls and the page chrome', { timeout: 10 * MINUTE },
  async () => {
    const { page, errors } = await browser.open(
      `/?${FAST}&embed=1&hide=seed,lr,reset,status,nonsense&theme=dark`);
    const shown = await shownControls(page);
    assert.deepEqual(shown, CONTROL_IDS.filter((id) => !['seed', 'lr', 'reset'].includes(id)),
      'everything but seed, lr and reset');
    for (const chrome of ['header.intro', 'footer', '#reference', '#status']) {
      assert.equal(await page.locator(chrome).isVisible(), false, `${chrome} is left out`);
    }
    const warnings = await browser.shownText(page, '#warnings');
    assert.match(warnings, /hide: unknown control “nonsense”/);

    const link = page.locator('#open-full');
    assert.ok(await link.isVisible(), 'the full-page link is shown');
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.equal(await link.getAttribute('rel'), 'noopener');
    const href = new URL(await link.getAttribute('href'));
    assert.equal(href.pathname, '/');
    for (const key of ['embed', 'hide', 'controls']) {
      assert.equal(href.searchParams.get(key), null, `the link drops ${key}`);
    }
    assert.equal(href.searchParams.get('depths'), '4,6', 'the link keeps the settings');
    assert.equal(href.searchParams.get('theme'), 'dark', 'and the theme');
    await browser.screenshot(page, 'embed-hide');
    assert.deepEqual(errors.page, [], 'no uncaught errors');
    await page.close();
  });

test('controls= keeps only the named controls', { timeout: 10 * MINUTE }, async () => {
  const { page, errors } = await browser.open(`/?${FAST}&embed=1&controls=depths,start,pause`);
  assert.deepEqual(await shownControls(page), ['depth-shallow', 'depth-deep', 'start', 'pause']);
  assert.equal(await page.locator('#status').isVisible(), false, 'status not listed: left out');
  assert.deepEqual(errors.page, [], 'no uncaught errors');
  await page.close();
});

test('a hidden tab pauses training; shown again it resumes, but a Pause stays',
  { timeout: 10 * MINUTE }, async () => {
    const { page, errors } = await browser.open(`/?${FAST}&autostart=1`);
    const setTab = (state) => page.evaluate((visibility) => {
      Object.defineProperty(document, 'visibilityState', {
        configurable: true, get: () => visibility,
      });
      document.dispatchEvent(new Event('visibilitychange'));
    }, state);
    await waitFor(page, errors, 'training', (now) => now.step >= 5);

    await setTab('hidden');
    const paused = await waitFor(page, errors, 'a pause', (now) => now.phase === 'paused');
    await assertStaysPaused(page, paused, 'tab hidden');

    await setTab('visible');
    await waitFor(page, errors, 'training to resume', (now) => now.step > paused.step + 5);

    // The user's Pause: hiding and showing the tab must not start training again.
    await page.click('#pause');
    const userPaused = await waitFor(page, errors, 'the Pause', (now) => now.phase === 'paused');
    await setTab('hidden');
    await setTab('visible');
    await assertStaysPaused(page, userPaused, 'after a Pause');
    assert.ok(await page.locator('#start').isEnabled(), 'Start can be pressed');
    await page.close();
  });

// A blog post: text, the figure further down, more text. The iframe and the height listener
// are README's snippet (without loading="lazy", so that the test sees it load below the fold).
function hostPage(src) {
  return `<!doctype html><meta charset="utf-8"><title>host</title>
<p style="height: 1500px">A long post.</p>
<iframe src="${src}" title="ResNet playground" style="width:100%;border:0" height="720"></iframe>
<script>
  window.heights = [];
  addEventListener('message', (e) => {
    if (e.data?.type !== 'resnet-playground:height') return;
    window.heights.push(e.data);
    for (const f of document.querySelectorAll('iframe'))
      if (f.contentWindow === e.source) f.style.height = e.data.height + 'px';
  });
</script>
<p style="height: 3000px">More text.</p>`;
}

test('an embedded figure posts its height, starts in view and pauses out of it',
  { timeout: 10 * MINUTE }, async () => {
    const { page, errors } = await browser.open('/host.html', {
      prepare: (tab) => tab.route('**/host.html', (route) => route.fulfill({
        contentType: 'text/html', body: hostPage(`/?${FAST}&embed=1&autostart=1`),
      })),
    });
    const frame = await (await page.waitForSelector('iframe')).contentFrame();
    await frame.waitForFunction(() => window.playground);

    // Loaded below the fold: ready, but autostart waits until it is seen.
    await frame.waitForFunction(() => document.body.dataset.phase === 'ready' &&
      !document.querySelector('#start').disabled, null, { timeout: 5 * MINUTE, polling: 250 });
    assert.equal((await progress(frame)).step, 0, 'no step before it is seen');

    // The height message: the documented shape, and the listener sized the iframe by it.
    await page.waitForFunction(() => window.heights.length > 0);
    const height = await frame.evaluate(
      () => Math.ceil(document.documentElement.getBoundingClientRect().height));
    await page.waitForFunction((h) => window.heights.at(-1).height === h, height);
    const message = await page.evaluate(() => window.heights.at(-1));
    assert.deepEqual(Object.keys(message).sort(), ['height', 'type']);
    assert.equal(message.type, 'resnet-playground:height');
    assert.ok(Number.isInteger(message.height) && message.height > 200, `${message.height}`);
    const iframeHeight = await page.evaluate(() => document.querySelector('iframe').style.height);
    assert.equal(iframeHeight, `${height}px`, 'the snippet set the iframe height');

    await page.evaluate(() => document.querySelector('iframe').scrollIntoView());
    await waitFor(frame, errors, 'training once in view', (now) => now.step >= 5);

    await page.evaluate(() => scrollTo(0, document.body.scrollHeight));
    const paused = await waitFor(frame, errors, 'a pause out of view',
      (now) => now.phase === 'paused');
    await assertStaysPaused(frame, paused, 'scrolled out of view');

    await page.evaluate(() => document.querySelector('iframe').scrollIntoView());
    await waitFor(frame, errors, 'training to resume in view', (now) => now.step > paused.step);
    await browser.screenshot(page, 'embed-iframe');
    await page.close();
  });
