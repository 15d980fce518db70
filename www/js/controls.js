// The settings form: shows settings in the controls and reads them back. Checking values is
// the worker's job (src/settings.rs); this module only keeps them in a shape it accepts.

const SELECTS = ['dataset', 'arch', 'shortcuts', 'optimizer', 'backend'];
const NUMBERS = ['lr', 'batch', 'seed'];

const layers = (depth) => `${depth} layers`;

// A whole number ≥ 0 from a number input, or `fallback` when the box is empty or not a number
// (the worker expects integers for the batch size and the seed).
function wholeNumber(text, fallback) {
  const value = Number(text);
  return text.trim() === '' || !Number.isFinite(value) ? fallback : Math.max(0, Math.round(value));
}

function positiveNumber(text, fallback) {
  const value = Number(text);
  return text.trim() === '' || !Number.isFinite(value) ? fallback : value;
}

export class Controls {
  // `onChange(name)` runs when the user commits a change to the control `name`.
  constructor(form, onChange) {
    this.fieldset = form.querySelector('fieldset');
    this.inputs = {};
    for (const name of [...SELECTS, ...NUMBERS]) this.inputs[name] = form.querySelector(`#${name}`);
    this.depths = ['shallow', 'deep'].map((role) => ({
      slider: form.querySelector(`#depth-${role}`),
      output: form.querySelector(`#depth-${role}-value`),
    }));
    this.choices = [];
    this.preset = form.querySelector('#preset');
    this.presetField = form.querySelector('#preset-field');
    this.presetOptions = '';

    this.preset.addEventListener('change', () => onChange('preset'));
    for (const [name, input] of Object.entries(this.inputs)) {
      input.addEventListener('change', () => onChange(name));
    }
    this.depths.forEach(({ slider }, index) => {
      // While dragging only the labels follow; the runs change when the slider is let go.
      slider.addEventListener('input', () => this.keepOrder(index));
      slider.addEventListener('change', () => onChange('depths'));
    });
    form.addEventListener('submit', (event) => event.preventDefault());
  }

  setEnabled(enabled) {
    this.fieldset.disabled = !enabled;
  }

  // Put `settings` into the controls; `choices` are the depths the family offers.
  show(settings, choices) {
    for (const name of SELECTS) this.inputs[name].value = settings[name];
    for (const name of NUMBERS) this.inputs[name].value = String(settings[name]);
    this.choices = choices;
    this.depths.forEach(({ slider }, index) => {
      slider.max = String(choices.length - 1);
      const at = choices.indexOf(settings.depths[index]);
      slider.value = String(at >= 0 ? at : index * (choices.length - 1));
    });
    this.showDepths();
  }

  // The presets, with `current` (one of them, or null) chosen. "custom" is offered only while
  // the settings match no preset; the field stays hidden until the worker lists presets.
  showPreset(presets, current) {
    const options = presets.map(({ name, label }) => [name, label]);
    if (!current) options.unshift(['custom', 'custom (no preset)']);
    const key = JSON.stringify(options);
    if (key !== this.presetOptions) {
      this.presetOptions = key;
      this.preset.replaceChildren(...options.map(([value, label]) => new Option(label, value)));
    }
    this.preset.value = current?.name ?? 'custom';
    this.presetField.hidden = presets.length === 0;
  }

  get presetName() {
    return this.preset.value;
  }

  showDepths() {
    for (const { slider, output } of this.depths) {
      const depth = this.choices[Number(slider.value)];
      output.textContent = depth === undefined ? '–' : layers(depth);
      slider.setAttribute('aria-valuetext', output.textContent);
    }
  }

  // The shallow net must stay shallower than the deep one: moving one slider past the other
  // nudges the other along.
  keepOrder(moved) {
    const [shallow, deep] = this.depths.map(({ slider }) => slider);
    const last = this.choices.length - 1;
    let low = Number(shallow.value);
    let high = Number(deep.value);
    if (low >= high) {
      if (moved === 0) {
        low = Math.min(low, last - 1);
        high = low + 1;
      } else {
        high = Math.max(high, 1);
        low = high - 1;
      }
    }
    shallow.value = String(low);
    deep.value = String(high);
    this.showDepths();
  }

  // The settings the controls show, on top of `base` (which carries steps and autostart).
  read(base) {
    const settings = { ...base };
    for (const name of SELECTS) settings[name] = this.inputs[name].value;
    settings.lr = positiveNumber(this.inputs.lr.value, base.lr);
    settings.batch = wholeNumber(this.inputs.batch.value, base.batch);
    settings.seed = wholeNumber(this.inputs.seed.value, base.seed);
    const depths = this.depths.map(({ slider }) => this.choices[Number(slider.value)]);
    if (depths.every((depth) => depth !== undefined)) settings.depths = depths;
    return settings;
  }
}
