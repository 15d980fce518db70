// The <resnet-playground> custom element: one module script and the element, its attributes
// the URL parameters, the figure in its shadow root (no iframe), served from this origin.
// No timing assertions: every wait polls for a condition.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DIST, serveStatic, useBrowser } from './harness.mjs';

const browser = useBrowser();
const MINUTE = 60_000;

/** A page of text with `element` in it, `above` pixels down, served at /host.html. */
const hostPage = (element, above = 100) => ({
  prepare: (tab) => tab.route('**/host.html', (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><meta charset="utf-8"><title>a blog</title>
<script type="module" src="/js/element.js"></script>
<p style="height: ${above}px">Some text above the figure.</p>
${element}
<p style="height: 3000px">Some text below it.</p>`,
  })),
});

/** The element's last step and phase (it carries data-phase, as the page's body does). */
const progress = (page) => page.evaluate(() => {
  const element = document.querySelector('resnet-playground');
  return {
    step: Math.max(0, ...(element.playground?.records() ?? []).map((record) => record.step)),
    phase: element.dataset.phase,
  };
});

async function waitFor(page, errors, what, done) {
  const deadline = Date.now() + 5 * MINUTE;
  for (;;) {
    assert.deepEqual(errors.page, [], `no uncaught errors while waiting for ${what}`);
    const now = await progress(page);
    if (done(now)) return now;
    assert.ok(Date.now() < deadline, `${what}: not so after 5 minutes (${JSON.stringify(now)})`);
    await page.waitForTimeout(250);
  }
}

test('the element trains with the settings of its attributes', { timeout: 10 * MINUTE },
  async () => {
    const { page, errors } = await browser.open('/host.html', hostPage(
      '<resnet-playground dataset="spiral" arch="mlp" depths="4,8" steps="12" autostart="1" ' +
      'backend="cpu" theme="dark" hide="seed,lr"></resnet-playground>'));
    await waitFor(page, errors, 'the runs to finish', (now) => now.phase === 'done');

    const runs = await page.evaluate(() => document.querySelector('resnet-playground')
      .playground.runs().map((run) => run.id).sort());
    assert.deepEqual(runs, ['plain-4', 'plain-8', 'residual-4', 'residual-8'], 'depths="4,8"');
    assert.equal((await progress(page)).step, 12, 'steps="12"');

    // The figure is in the shadow root (Playwright's CSS selectors reach into open ones).
    assert.equal(await page.evaluate(() => document.querySelector('iframe')), null, 'no iframe');
    assert.ok(await page.evaluate(
      () => document.querySelector('resnet-playground').shadowRoot.getElementById('panel-plain')));
    assert.ok(await page.locator('#depth-deep').isVisible(), 'the depth slider is shown');
    assert.equal(await page.locator('#seed').isVisible(), false, 'hide="seed,lr"');
    assert.equal(await page.locator('#lr').isVisible(), false, 'hide="seed,lr"');
    assert.equal(await page.locator('#reference').isVisible(), false, 'no page chrome');
    const href = new URL(await page.locator('#open-full').getAttribute('href'));
    assert.equal(href.searchParams.get('depths'), '4,8');
    assert.equal(href.searchParams.get('hide'), null);

    const panel = await page.evaluate(() => getComputedStyle(document
      .querySelector('resnet-playground').shadowRoot.getElementById('panel-plain'))
      .backgroundColor);
    assert.equal(panel, 'rgb(30, 41, 59)', 'theme="dark": the dark surface colour');
    await page.evaluate(() => document.querySelector('resnet-playground')
      .setAttribute('theme', 'light'));
    const light = await page.evaluate(() => getComputedStyle(document
      .querySelector('resnet-playground').shadowRoot.getElementById('panel-plain'))
      .backgroundColor);
    assert.equal(light, 'rgb(255, 255, 255)', 'theme="light" set later: the light surface');
    assert.equal(await page.evaluate(() => window.playground), undefined,
      'the element leaves the host page alone');
    const url = await page.evaluate(() => location.href);
    assert.ok(url.endsWith('/host.html'), `the host page's URL is left as it was: ${url}`);
    await browser.screenshot(page, 'element');
    assert.deepEqual(errors.page, [], 'no uncaught errors');
    assert.deepEqual(errors.console, [], 'no console errors');
    await page.close();
  });

test('the element starts in view, pauses out of it and resumes', { timeout: 10 * MINUTE },
  async () => {
    const { page, errors } = await browser.open('/host.html', hostPage(
      '<resnet-playground dataset="spiral" depths="4,6" autostart="1" backend="cpu">' +
      '</resnet-playground>', 2000));
    await page.waitForFunction(() => {
      const root = document.querySelector('resnet-playground').shadowRoot;
      return root?.getElementById('start') && !root.getElementById('start').disabled;
    }, null, { timeout: 5 * MINUTE, polling: 250 });
    assert.equal((await progress(page)).step, 0, 'below the fold: not started');

    await page.evaluate(() => document.querySelector('resnet-playground').scrollIntoView());
    await waitFor(page, errors, 'training in view', (now) => now.step >= 5);
    await page.evaluate(() => scrollTo(0, document.body.scrollHeight));
    const paused = await waitFor(page, errors, 'a pause out of view',
      (now) => now.phase === 'paused');
    await page.waitForTimeout(1500); // several spiral steps, were it still training
    assert.deepEqual(await progress(page), paused, 'no steps out of view');
    await page.evaluate(() => document.querySelector('resnet-playground').scrollIntoView());
    await waitFor(page, errors, 'training to resume', (now) => now.step > paused.step);
    await page.close();
  });

test('the element served from another origin (with CORS) trains too', { timeout: 10 * MINUTE },
  async () => {
    // Two servers on loopback, so two origins: the figure's files (with CORS) and a blog.
    const figure = await serveStatic(DIST, { cors: true });
    const blogDir = mkdtempSync(join(tmpdir(), 'resnet-playground-blog-'));
    writeFileSync(join(blogDir, 'index.html'), `<!doctype html><meta charset="utf-8">
<script type="module" src="${figure.url}/js/element.js"></script>
<resnet-playground dataset="spiral" depths="4,6" steps="8" autostart="1" backend="cpu">
</resnet-playground>`);
    const blog = await serveStatic(blogDir);
    try {
      const { page, errors } = await browser.open(`${blog.url}/`);
      await waitFor(page, errors, 'the runs to finish', (now) => now.phase === 'done');
      assert.equal((await progress(page)).step, 8);
      const runs = await page.evaluate(() => document.querySelector('resnet-playground')
        .playground.runs().map((run) => run.id).sort());
      assert.deepEqual(runs, ['plain-4', 'plain-6', 'residual-4', 'residual-6']);
      const href = await page.locator('#open-full').getAttribute('href');
      assert.ok(href.startsWith(`${figure.url}/?`), `the full page is the figure's: ${href}`);
      assert.deepEqual(errors.page, [], 'no uncaught errors');
      await page.close();
    } finally {
      figure.close();
      blog.close();
      rmSync(blogDir, { recursive: true, force: true });
    }
  });

test('a removed element stops its worker; added again, it starts over', { timeout: 10 * MINUTE },
  async () => {
    const { page, errors } = await browser.open('/host.html', hostPage(
      '<resnet-playground dataset="spiral" depths="4,6" autostart="1" backend="cpu" steps="6">' +
      '</resnet-playground>'));
    await waitFor(page, errors, 'the runs to finish', (now) => now.phase === 'done');
    assert.equal(page.workers().length, 1, 'one worker trains the figure');
    await page.evaluate(() => {
      window.kept = document.querySelector('resnet-playground');
      window.kept.remove();
    });
    await page.waitForFunction(() => window.kept.stopped === true, null, { polling: 100 });
    for (let tries = 0; page.workers().length > 0; tries++) {
      assert.ok(tries < 200, 'the worker of a removed element ends');
      await page.waitForTimeout(50);
    }
    await page.evaluate(() => document.body.append(window.kept));
    await page.waitForFunction(() => {
      const done = window.kept.dataset.phase === 'done';
      return done && window.kept.playground.records().length === 4 * 6;
    }, null, { timeout: 5 * MINUTE, polling: 250 });
    assert.equal(page.workers().length, 1, 'a fresh worker, and only one');
    assert.deepEqual(errors.page, [], 'no uncaught errors');
    await page.close();
  });
