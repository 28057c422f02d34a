import type { InitSpec, TensorType } from '../ir/types.js';
import { formatShape } from '../shapes/dims.js';
import { expects, type ActivationArg, type ArgValue, type OpCall, type ParamDef, type ShapeResult } from './types.js';

/**
 * Parameter definitions and argument readers shared by the op files, so that `activation`,
 * `weight`, `bias`, `l1` and `l2` read and document the same way on every layer.
 */

/** Hard caps that turn `dense(x, 1e15)` into a clear error instead of an allocation failure. */
export const MAX_UNITS = 1 << 20;
export const MAX_KERNEL = 1024;
/** Parameters of one model (a billion floats is 4 GB: more than any model this tool is for). */
export const MAX_PARAMS = 1e9;

export function tensorParam(name = 'x', doc = 'The input tensor.'): ParamDef {
  return { name, kind: 'tensor', doc };
}

export function unitsParam(name: string, doc: string): ParamDef {
  return { name, kind: 'int', doc, min: 1, max: MAX_UNITS };
}

export const activationParam: ParamDef = {
  name: 'activation',
  kind: 'activation',
  doc: 'Applied to the layer output: relu, gelu, sigmoid, leaky_relu(0.2)...',
  default: { name: 'linear' },
  defaultText: 'linear',
};

export function weightParam(name: string, doc: string, init: InitSpec, optional = false): ParamDef {
  return {
    name,
    kind: 'weight',
    doc: `${doc} An initialiser, a literal list, load("file", "tensor")${optional ? ', or false for none' : ''}.`,
    default: init,
    defaultText: init.kind,
    namedOnly: true,
    optional,
  };
}

export const GLOROT: InitSpec = { kind: 'glorot_uniform' };
export const ZEROS: InitSpec = { kind: 'zeros' };
export const ONES: InitSpec = { kind: 'ones' };

/** `frozen: true`: the layer's weights get no gradient and no update, and count as non-trainable. */
export const frozenParam: ParamDef = { name: 'frozen', kind: 'bool', doc: 'Freeze this layer\'s weights: no gradient, no update, non-trainable in the summary.', default: false, namedOnly: true };

/** `frozen:` at a block call (compiler/check/expand-blocks.ts), as completion and hover show it. */
export const blockFrozenParam: ParamDef = { name: 'frozen', kind: 'bool', doc: 'Freeze every layer this use of the block makes: no gradient, no update, non-trainable in the summary.', default: false, namedOnly: true };

/** `tied(value, transpose: false)`, the weight argument that reuses another layer's weight (compiler/check/evaluate.ts). */
export const TIED = {
  name: 'tied',
  doc: "Reuses a weight of the layer that computed `value` (of the same role, else its only one) instead of making one: GPT's output projection tied to the token embedding.",
  params: [
    { name: 'value', kind: 'tensor', doc: 'The value of the layer whose weight to reuse.' },
    { name: 'transpose', kind: 'bool', doc: 'Read a 2-D weight transposed ([units, in] as [in, units]: a decoder tied to its encoder).', default: false, namedOnly: true },
  ] satisfies ParamDef[],
} as const;

/** How a layer's weights train: l1/l2 penalties, and freezing. */
export const weightTrainingParams: ParamDef[] = [
  { name: 'l1', kind: 'number', doc: 'L1 penalty on this layer\'s weights.', default: 0, namedOnly: true, min: 0 },
  { name: 'l2', kind: 'number', doc: 'L2 penalty on this layer\'s weights.', default: 0, namedOnly: true, min: 0 },
  frozenParam,
];

export function int(call: OpCall, name: string): number {
  return call.args[name] as number;
}

/** An `ints` argument as exactly `n` values: `3` → [3, 3]. */
export function ints(call: OpCall, name: string, n: number): number[] {
  const value = call.args[name];
  if (typeof value === 'number') return Array<number>(n).fill(value);
  return (value as number[]).slice(0, n);
}

export function activationOf(call: OpCall): ActivationArg {
  return call.args.activation as ActivationArg;
}

/** An activation as an IR attribute: a plain name, or `{name, alpha}` when it has an argument. */
export function activationAttr(activation: ActivationArg): ArgValue & ({ [key: string]: number | string } | string) {
  return activation.alpha === undefined ? activation.name : { name: activation.name, alpha: activation.alpha };
}

export function hasWeight(call: OpCall, name: string): boolean {
  return call.args[name] !== false;
}

/** Rough cost of an activation per element, for FLOP counts (exp-based ones cost more). */
export function activationFlops(name: string): number {
  switch (name) {
    case 'linear':
      return 0;
    case 'relu':
    case 'step':
    case 'leaky_relu':
      return 1;
    default:
      return 4;
  }
}

/**
 * Why `x` is not a channels-last tensor with `axes` spatial axes (`layout` says which), or null. A 2-D
 * op given [batch, h, w] of known sizes gets the fix `reshape([h, w, 1])` (one channel).
 */
export function channelsLastRankError(x: TensorType, axes: number, layout: string): ShapeResult | null {
  if (x.shape.length === axes + 2) return null;
  const fix = axes === 2 && x.shape.length === 3 && x.shape.slice(1).every((d) => typeof d === 'number')
    ? `reshape([${x.shape.slice(1).join(', ')}, 1])`
    : undefined;
  return expects(layout, fix ? { insertBefore: fix } : {});
}
