import type { SettingDef } from './settings-types.js';

/** Initialisers for `weight:`, `bias:` and other parameter arguments (docs/language.md). */
const simple = (name: string, doc: string): SettingDef => ({ name, kind: 'initializer', doc, params: [] });

export const INITIALIZERS: readonly SettingDef[] = [
  simple('glorot_uniform', 'Uniform in ±sqrt(6 / (fan_in + fan_out)); the default for weights.'),
  simple('glorot_normal', 'Normal with std sqrt(2 / (fan_in + fan_out)).'),
  simple('he_uniform', 'Uniform in ±sqrt(6 / fan_in); for relu layers.'),
  simple('he_normal', 'Normal with std sqrt(2 / fan_in); for relu layers.'),
  simple('lecun_normal', 'Normal with std sqrt(1 / fan_in).'),
  simple('zeros', 'All zeros; the default for biases.'),
  simple('ones', 'All ones.'),
  { name: 'constant', kind: 'initializer', doc: 'Every element the same value.', params: [{ name: 'value', kind: 'number', doc: 'The value.' }] },
  {
    name: 'normal',
    kind: 'initializer',
    doc: 'Normal distribution.',
    params: [
      { name: 'mean', kind: 'number', doc: 'Mean.', default: 0 },
      { name: 'std', kind: 'number', doc: 'Standard deviation (> 0).', default: 0.05, min: 0, minExclusive: true },
    ],
  },
  {
    name: 'uniform',
    kind: 'initializer',
    doc: 'Uniform distribution in [low, high).',
    params: [
      { name: 'low', kind: 'number', doc: 'Lower bound.', default: -0.05 },
      { name: 'high', kind: 'number', doc: 'Upper bound.', default: 0.05 },
    ],
  },
  {
    name: 'load',
    kind: 'initializer',
    doc: 'Loads the values from a file (safetensors, npy or json), relative to the .nnet file.',
    params: [
      { name: 'path', kind: 'string', doc: 'The file.' },
      { name: 'tensor', kind: 'string', doc: 'The tensor inside a safetensors file.', default: null },
    ],
  },
];
