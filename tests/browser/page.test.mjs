// The page without training: the default view, and a URL full of bad values.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useBrowser } from './harness.mjs';

const browser = useBrowser();
const MINUTE = 60_000;

/** The controls are there if some button and some field or menu are shown. */
async function assertControlsShown(page) {
  assert.ok((await page.locator('button:visible').count()) > 0, 'a button is shown');
  const fields = page.locator('input:visible, select:visible');
  assert.ok((await fields.count()) > 0, 'a field or menu is shown');
}

/** Waits until the worker has loaded the wasm (or the page shows why it could not). */
async function waitUntilReady(page) {
  await page.waitForFunction(
    () => {
      const error = document.querySelector('#error');
      if (error?.checkVisibility() && error.textContent.trim()) return true;
      return !['', 'loading', 'preparing'].includes(document.body.dataset.phase ?? '');
    },
    null,
    { timeout: 5 * MINUTE, polling: 500 },
  );
}

test('the default view shows the controls and both panels', { timeout: 10 * MINUTE }, async () => {
  const { page, errors } = await browser.open('/');
  try {
    await waitUntilReady(page);
  } finally {
    await browser.screenshot(page, 'default-view');
  }
  await assertControlsShown(page);
  for (const panel of ['#panel-plain', '#panel-residual']) {
    assert.ok(await page.locator(panel).isVisible(), `${panel} is shown`);
  }
  assert.equal(await browser.shownText(page, '#error'), '', 'no error shown');
  assert.deepEqual(errors.page, [], 'no uncaught errors');
  await page.close();
});

test('bad URL values become warnings, not crashes', { timeout: 10 * MINUTE }, async () => {
  const query = 'depths=abc&lr=NaN&batch=-5&arch=resnet&backend=quantum&steps=1e99';
  const { page, errors } = await browser.open(`/?${query}`);
  try {
    // The worker parses the query once the wasm has loaded; the warnings follow.
    await page.locator('#warnings').waitFor({ state: 'visible', timeout: 5 * MINUTE });
    await page.waitForFunction(() => document.querySelector('#warnings').innerText.trim());
  } finally {
    await browser.screenshot(page, 'bad-url');
  }
  const warnings = await browser.shownText(page, '#warnings');
  assert.notEqual(warnings, '', 'warnings are shown');
  await assertControlsShown(page);
  assert.deepEqual(errors.page, [], 'no uncaught errors');
  await page.close();
});
