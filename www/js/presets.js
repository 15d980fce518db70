// The named presets the worker lists once it has loaded ('presets': [{name, label, query}], see
// src/presets.rs): which one the current settings are, and the query that applies one.
// No DOM here, so `node --test tests/js/` can check it.

// Where a run trains and whether the page starts on load say nothing about the experiment: a
// preset neither sets them nor needs them to match. The worker picks its backend once, so
// applying a preset keeps the backend the page already has.
const NOT_EXPERIMENT = ['backend', 'autostart'];

function experiment(query) {
  const params = new URLSearchParams(query);
  for (const key of NOT_EXPERIMENT) params.delete(key);
  params.sort();
  return params.toString();
}

// The preset whose settings `query` (a canonical query from the worker) has, or null.
export function matchingPreset(presets, query) {
  const wanted = experiment(query);
  return presets.find((preset) => experiment(preset.query) === wanted) ?? null;
}

// The query that applies `preset` on top of the page's current `query`: every setting from the
// preset except the backend, which stays as it is.
export function presetQuery(preset, query) {
  const params = new URLSearchParams(preset.query);
  const backend = new URLSearchParams(query).get('backend');
  if (backend) params.set('backend', backend);
  params.delete('autostart');
  return params.toString();
}
