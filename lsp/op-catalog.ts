import { BIDIRECTIONAL_WRAPPER } from '../compiler/check/bidirectional-sugar.js';
import { TIED } from '../compiler/ops/common.js';
import { SPLIT } from '../compiler/ops/split.js';
import { OPS, SETTINGS, TRAIN_KEYS } from '../compiler/ops/registry.js';
import type { SettingDef } from '../compiler/ops/settings-types.js';
import type { ArgValue, OpDef, ParamDef } from '../compiler/ops/types.js';
import { Catalog, type CatalogEntry, type CatalogParam, type EntryKind } from './catalog.js';

/**
 * The editor's vocabulary, read from the compiler's op registry (compiler/ops/registry.ts): every
 * op with its parameters, defaults, docs and shape rule, and the train section's keys, losses,
 * optimizers, schedules, regularisers, augmentations, metrics and initialisers.
 */
export function loadCatalog(): Catalog {
  const entries: CatalogEntry[] = [
    ...OPS.map(opEntry),
    ...SETTINGS.map(settingEntry),
    { name: TIED.name, kind: 'initializer', params: TIED.params.map(param), doc: TIED.doc },
    bidirectionalEntry(),
    // Several values, so not an op of the registry; completed and documented like one.
    { name: SPLIT.name, kind: 'layer', params: SPLIT.params.map(param), doc: SPLIT.doc, shapeRule: SPLIT.shapeRule },
    ...Object.entries(TRAIN_KEYS)
      .filter(([key]) => !SETTINGS.some((s) => s.kind === 'callback' && s.name === key))
      .map(([name, doc]): CatalogEntry => ({ name, kind: 'setting', params: [], doc })),
  ];
  return new Catalog(entries);
}

function opEntry(op: OpDef): CatalogEntry {
  return {
    name: op.name,
    kind: op.category === 'activation' ? 'activation' : 'layer',
    params: op.params.map(param),
    doc: op.doc,
    shapeRule: op.shapeRule,
  };
}

const SETTING_KINDS: Record<SettingDef['kind'], EntryKind> = {
  loss: 'loss',
  optimizer: 'optimizer',
  schedule: 'schedule',
  clip: 'clip',
  regularizer: 'regularizer',
  augmentation: 'augment',
  metric: 'metric',
  initializer: 'initializer',
  // `early_stopping(...)` is written as a statement of the train section.
  callback: 'setting',
};

function settingEntry(setting: SettingDef): CatalogEntry {
  return { name: setting.name, kind: SETTING_KINDS[setting.kind], params: setting.params.map(param), doc: setting.doc };
}

/** `bidirectional(lstm(...), merge: concat)`: a layer whose first argument is a recurrent call, not the tensor. */
function bidirectionalEntry(): CatalogEntry {
  const { name, doc, shapeRule, layer, merge } = BIDIRECTIONAL_WRAPPER;
  return {
    name,
    kind: 'layer',
    doc,
    shapeRule,
    params: [
      { name: layer.name, doc: layer.doc, tensor: false, calls: layer.calls },
      { name: merge.name, doc: merge.doc, default: merge.default, choices: merge.choices },
    ],
  };
}

function param(def: ParamDef): CatalogParam {
  const out: CatalogParam = { name: def.name, doc: def.doc };
  if (def.kind === 'tensor' || def.kind === 'tensors') out.tensor = true;
  if (def.choices) out.choices = def.choices;
  if (def.defaultText !== undefined) out.default = def.defaultText;
  else if (def.default !== undefined) out.default = describeDefault(def.default);
  return out;
}

/** A default as source text: `0.001`, `relu`, `glorot_uniform`, `[1, 1]`, `none`. */
function describeDefault(value: ArgValue): string {
  if (value === null) return 'none';
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  if (typeof value === 'object') return 'name' in value ? value.name : value.kind;
  return String(value);
}
