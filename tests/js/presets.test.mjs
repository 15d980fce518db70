// Presets: matching the current settings, and the query that applies one (www/js/presets.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { matchingPreset, presetQuery } from '../../www/js/presets.js';

// Queries as src/settings.rs's to_query writes them.
const query = (changes = {}) => {
  const params = new URLSearchParams('dataset=spiral&arch=mlp&depths=4,30&shortcuts=both&lr=0.05' +
    '&batch=64&optimizer=sgd&seed=1&backend=auto&steps=1000&autostart=0');
  for (const [key, value] of Object.entries(changes)) params.set(key, value);
  return params.toString();
};
const PRESETS = [
  { name: 'browser-default', label: 'Default', query: query({ dataset: 'mnist', depths: '6,30' }) },
  { name: 'quick-spiral', label: 'Quick', query: query() },
];

test('settings equal to a preset match it, whatever the backend and autostart', () => {
  assert.equal(matchingPreset(PRESETS, query())?.name, 'quick-spiral');
  const cpu = query({ backend: 'cpu', autostart: '1' });
  assert.equal(matchingPreset(PRESETS, cpu)?.name, 'quick-spiral');
});

test('any other difference is custom', () => {
  assert.equal(matchingPreset(PRESETS, query({ lr: '0.1' })), null);
  assert.equal(matchingPreset(PRESETS, query({ steps: '0' })), null);
  assert.equal(matchingPreset([], query()), null);
});

test('applying a preset keeps the backend and takes everything else from the preset', () => {
  const current = query({ dataset: 'mnist', lr: '0.2', backend: 'cpu', autostart: '1' });
  const params = new URLSearchParams(presetQuery(PRESETS[1], current));
  assert.equal(params.get('backend'), 'cpu');
  assert.equal(params.get('dataset'), 'spiral');
  assert.equal(params.get('lr'), '0.05');
  assert.equal(params.get('autostart'), null, 'a preset does not start training');
  assert.equal(matchingPreset(PRESETS, params.toString())?.name, 'quick-spiral');
});
