// The page's own URL parameters: whitelists, and a warning for each value that is not used.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CONTROL_NAMES, fullPageQuery, parsePageParams, withPageParams,
} from '../../www/js/page-params.js';

test('no page parameters: the full page, light theme, everything shown', () => {
  assert.deepEqual(parsePageParams('?depths=6,30&steps=40'),
    { embed: false, theme: 'light', hidden: [], warnings: [] });
});

test('embed and theme take only their whitelisted values', () => {
  assert.equal(parsePageParams('embed=1').embed, true);
  assert.equal(parsePageParams('embed=0').embed, false);
  assert.equal(parsePageParams('theme=dark').theme, 'dark');
  assert.equal(parsePageParams('theme=AUTO').theme, 'auto');

  assert.equal(parsePageParams('embed=yes').embed, true, 'as autostart=yes');
  assert.equal(parsePageParams('embed').embed, true, 'a bare key counts as 1');
  const purple = parsePageParams('theme=purple&embed=maybe');
  assert.equal(purple.theme, 'light');
  assert.equal(purple.embed, false);
  assert.equal(purple.warnings.length, 2);
  assert.match(purple.warnings.join('\n'), /theme “purple” is not light, dark or auto/);
  assert.match(purple.warnings.join('\n'), /embed “maybe” is not 1 or 0/);
});

test('the custom element is always embedded', () => {
  assert.equal(parsePageParams('embed=0', { forceEmbed: true }).embed, true);
});

test('hide= drops the named controls and warns about unknown names', () => {
  const page = parsePageParams('embed=1&hide=seed, LR,nonsense,,seed');
  assert.deepEqual(page.hidden, ['lr', 'seed', 'insight'], 'embedded: no insight section');
  assert.deepEqual(page.warnings, ['hide: unknown control “nonsense” ignored']);
  assert.deepEqual(parsePageParams('hide=seed').hidden, ['seed'], 'the full page keeps it');
  assert.ok(!parsePageParams('embed=1&controls=depths,insight').hidden.includes('insight'));
});

test('controls= keeps only the named controls and wins over hide=', () => {
  const page = parsePageParams('embed=1&controls=depths,start,pause&hide=depths');
  assert.deepEqual(page.hidden,
    CONTROL_NAMES.filter((name) => !['depths', 'start', 'pause'].includes(name)));
  assert.ok(page.hidden.includes('insight'), 'the insight section is hidden unless named');
  assert.deepEqual(page.warnings, ['hide is ignored when controls is given']);
  assert.deepEqual(parsePageParams('controls=').hidden, CONTROL_NAMES, 'an empty list keeps none');
});

test('the full page link drops embed, hide and controls and keeps the rest', () => {
  assert.equal(fullPageQuery('depths=4%2C10&embed=1&hide=seed&controls=start&theme=dark'),
    'depths=4,10&theme=dark');
});

test('page parameters are added to a settings query', () => {
  assert.equal(withPageParams('steps=5', { embed: true, theme: 'dark', hidden: ['seed', 'lr'] }),
    'steps=5&embed=1&theme=dark&hide=seed,lr');
  assert.equal(withPageParams('steps=5', { theme: 'light' }), 'steps=5');
});

test('a key given twice: the last one counts, as for the training settings', () => {
  const page = parsePageParams('theme=dark&theme=light&embed=0&embed=1');
  assert.equal(page.theme, 'light');
  assert.equal(page.embed, true);
});
