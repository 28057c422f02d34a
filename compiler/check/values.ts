import type { SourceRange } from '../../grammar/ast.js';
import type { InitSpec, TensorType } from '../ir/types.js';
import type { ActivationArg } from '../ops/types.js';

/**
 * What an expression evaluates to while checking. Tensors are IR nodes; everything else is a
 * compile-time value (constants fold as they are evaluated). A bare name that resolves to nothing in
 * scope stays a `word` until its consumer decides: `padding: same` and `monitor: val_loss` are words,
 * `dense(x, 4, reluu)` is an unknown activation, `add(x, hh)` an undefined name.
 */
export type Value =
  | TensorValue
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'list'; items: Value[]; range: SourceRange }
  | { kind: 'word'; name: string; range: SourceRange }
  | { kind: 'activation'; activation: ActivationArg }
  | { kind: 'init'; spec: InitSpec }
  | { kind: 'dim'; name: string }
  /** `tied(emb)`: a weight argument that reuses a weight of the layer that computed `emb` (`transpose: true`: read transposed). */
  | { kind: 'tie'; layer: TensorValue; range: SourceRange; transpose: boolean }
  /** The parts of a `split` taken by a tuple assignment, one per name (null for `_`); nothing else sees it. */
  | { kind: 'parts'; parts: Array<TensorValue | null> }
  /** Already reported: consumers stay silent to avoid cascades. */
  | { kind: 'error' };

export interface TensorValue {
  kind: 'tensor';
  node: number;
  type: TensorType;
  /** Where the value was defined: the "shape comes from" location of shape errors. */
  origin: SourceRange;
  /** The user-facing name (`h`, `x`) for messages. */
  name: string;
  /** The last op applied, and its activation, for the loss warnings (softmax into from-logits...). */
  lastOp: string;
}

export const ERROR: Value = { kind: 'error' };

/** How a value is named in "expected X, got Y" messages. */
export function describe(value: Value): string {
  switch (value.kind) {
    case 'tensor':
      return `tensor '${value.name}'`;
    case 'number':
      return `the number ${value.value}`;
    case 'string':
      return `the string "${value.value}"`;
    case 'bool':
      return String(value.value);
    case 'list':
      return 'a list';
    case 'word':
      return `'${value.name}'`;
    case 'activation':
      return `the activation ${value.activation.name}`;
    case 'init':
      return `the initialiser ${value.spec.kind}`;
    case 'dim':
      return `the dim ${value.name}`;
    case 'tie':
      return `tied(${value.layer.name}${value.transpose ? ', transpose: true' : ''})`;
    case 'parts':
      return `the ${value.parts.length} parts of a split`;
    case 'error':
      return 'an invalid value';
  }
}
