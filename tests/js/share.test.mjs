// The Embed dialog's snippets: an iframe with the height listener, and the custom element.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { elementSnippet, iframeSnippet } from '../../www/js/share.js';

const QUERY = 'depths=4,10&steps=400&embed=1&theme=dark&hide=seed,lr';

test('the iframe snippet points at the embedded page and listens for its height', () => {
  const [iframe, script, ...rest] = iframeSnippet('https://example.org/play/', QUERY).split('\n');
  assert.deepEqual(rest, []);
  const src = 'https://example.org/play/?depths=4,10&amp;steps=400&amp;embed=1&amp;theme=dark' +
    '&amp;hide=seed,lr';
  assert.ok(iframe.startsWith(`<iframe src="${src}" `), iframe);
  assert.match(iframe, / title="[^"]+"/, 'an iframe needs a title for screen readers');
  assert.match(script, /^<script>.*'resnet-playground:height'.*<\/script>$/);
});

test('the element snippet turns the query into attributes (embed is implied)', () => {
  const [script, element] = elementSnippet('https://example.org/play/js/element.js', QUERY)
    .split('\n');
  assert.equal(script,
    '<script type="module" src="https://example.org/play/js/element.js"></script>');
  assert.equal(element, '<resnet-playground depths="4,10" steps="400" theme="dark" ' +
    'hide="seed,lr"></resnet-playground>');
});

test('attribute values are escaped', () => {
  assert.match(elementSnippet('x.js', 'hide=a%22b%26c'), /hide="a&quot;b&amp;c"/);
});
