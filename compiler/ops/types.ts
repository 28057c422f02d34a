import type { Attrs, InitSpec, Shape, TensorType } from '../ir/types.js';

/**
 * What every op of the language declares, in one place: its signature (for the checker, completion,
 * hover and signature help), its shape rule, its parameters, its cost, and the IR node it becomes.
 *
 * IR form: a layer op becomes ONE IR node whose `op` is the op's name, whose inputs are the tensor
 * arguments followed by the op's parameter nodes in `weights()` order (a weight given as `false`,
 * such as `bias: false`, is left out), and whose attrs are those returned by `attrs()`. Each op file
 * documents its exact form; the back end lowers from it.
 */

/** How an argument is read. */
type ArgKind =
  /** One tensor value (the first parameter of most ops). */
  | 'tensor'
  /** One or more tensors (add, concat, multiply). */
  | 'tensors'
  /** A positive whole number (units, filters, heads). */
  | 'int'
  /** A whole number, possibly negative (an axis). */
  | 'axis'
  | 'number'
  | 'bool'
  | 'string'
  /** An activation name, optionally with arguments: `relu`, `leaky_relu(0.2)`. */
  | 'activation'
  /** A weight: an initialiser, a literal nested list, `load(...)`, or `false` where allowed. */
  | 'weight'
  /** A whole number or a list of them (kernel sizes, strides, target shapes). */
  | 'ints'
  /** A list of numbers (class weights), each within the parameter's range. */
  | 'numbers'
  /** Axes: a whole number, a symbolic dim's name (`seq`), or a list of them (reductions). */
  | 'axes'
  /** One of the `choices` words (`same`, `valid`). */
  | 'choice'
  /** A bare name taken as a word (monitor: val_loss, data digits). */
  | 'word'
  /** Anything; the owner validates it (data options). */
  | 'any';

export interface ActivationArg {
  name: string;
  alpha?: number;
  axis?: number;
}

/** `false` for a weight that is switched off (`bias: false`). */
type WeightArg = InitSpec | false;

export type ArgValue = number | string | boolean | number[] | Array<number | string> | ActivationArg | WeightArg | null;

export interface ParamDef {
  name: string;
  kind: ArgKind;
  doc: string;
  /** Absent: the argument is required. */
  default?: ArgValue;
  /** How the default reads in docs and completion (`glorot_uniform`, `zeros | false`). */
  defaultText?: string;
  /** Only as `name: value` (never positional). Tensor parameters are always positional. */
  namedOnly?: boolean;
  choices?: readonly string[];
  /** Inclusive lower and upper bounds, or exclusive where marked. */
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  /** `weight` kind: whether `false` switches the weight off. */
  optional?: boolean;
}

/** A call after argument matching: tensor inputs' types and every other argument with defaults filled. */
export interface OpCall {
  inputs: TensorType[];
  args: Record<string, ArgValue>;
  /** The parameters given in the call (by position or name): tells which optional tensor parameters `inputs` holds. */
  given?: ReadonlySet<string>;
}

/** A parameter tensor the op owns. */
export interface WeightDef {
  /** Matches the `weight`-kind ParamDef that sets it, and names it `<layer>.<name>`. */
  name: string;
  shape: number[];
  init: InitSpec;
  trainable: boolean;
  /** Global l1/l2 regularisation applies (weights and kernels, not biases or norms). */
  regularized: boolean;
}

/** A shape rule's verdict: the output type, or a message in the form "expects X, got Y". */
export type ShapeResult =
  | { ok: true; type: TensorType }
  | {
      ok: false;
      /** What the op wants (`[batch, features]`), shown as "<op> expects <expected>, got <actual>". */
      expected: string;
      /** What it got; by default the first input's shape. */
      actual?: string;
      /** The input index whose shape is at fault (for the "shape comes from" note). */
      input?: number;
      /** A repair: insert this pipeline stage before the op. */
      insertBefore?: string;
    };

type OpCategory = 'layer' | 'activation' | 'merge' | 'shape' | 'math';

export interface OpDef {
  name: string;
  category: OpCategory;
  /** One sentence for hover and docs. */
  doc: string;
  /** The tensor parameters first, then the rest in positional order. */
  params: readonly ParamDef[];
  /** Human-readable shape rule for docs and hover: `[batch, ..., in] → [batch, ..., units]`. */
  shapeRule: string;
  /** IR inputs and attrs, for docs: `inputs [x, weight, bias?]; attrs {units, activation}`. */
  irForm: string;
  infer(call: OpCall): ShapeResult;
  /** Parameter tensors, in IR input order; called only when `infer` succeeded. */
  weights?(call: OpCall): WeightDef[];
  attrs(call: OpCall, out: TensorType): Attrs;
  /** Floating point operations per sample (a multiply-add counts 2); null when a dim is symbolic. */
  flops(call: OpCall, out: TensorType): number | null;
}

export function ok(shape: Shape, dtype: TensorType['dtype'] = 'f32'): ShapeResult {
  return { ok: true, type: { shape, dtype } };
}

export function expects(expected: string, extra: Omit<Extract<ShapeResult, { ok: false }>, 'ok' | 'expected'> = {}): ShapeResult {
  return { ok: false, expected, ...extra };
}
