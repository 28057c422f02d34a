import { ACTIVATION_NAMES, activationAlphaDefault, type ActivationName } from '../../runtime/plan/activations.js';
import type { Attrs } from '../ir/types.js';
import { perSampleSize } from '../shapes/dims.js';
import { activationFlops, tensorParam } from './common.js';
import { expects, ok, type OpDef, type ParamDef } from './types.js';

/**
 * Activations, usable as a layer argument (`dense(x, 4, relu)`, `dense(x, 4, leaky_relu(0.2))`)
 * and as a standalone op (`relu(h)`, `h |> softmax`). Shape: unchanged.
 *
 * IR form (standalone): inputs [x]; attrs {} — except leaky_relu and elu { alpha } and softmax { axis }
 * (always normalised to a non-negative axis; the default -1 becomes rank-1).
 * As a layer argument the activation becomes the layer's `activation` attr instead of a node.
 */

/**
 * How the language reference describes each activation. The list itself, and the default of alpha,
 * are the kernel table's (runtime/plan/activations.ts); this record is typed by it, so a new
 * activation without a description is a type error.
 */
const DOCS: Record<ActivationName, string> = {
  linear: 'Identity: y = x.',
  relu: 'y = max(x, 0).',
  leaky_relu: 'y = x for x > 0, alpha·x otherwise.',
  elu: 'y = x for x > 0, alpha·(eˣ − 1) otherwise.',
  gelu: 'Gaussian error linear unit (tanh approximation).',
  sigmoid: 'y = 1 / (1 + e⁻ˣ).',
  tanh: 'Hyperbolic tangent.',
  softplus: 'y = ln(1 + eˣ).',
  silu: 'y = x·sigmoid(x) (also called swish).',
  step: 'y = 1 for x > 0, else 0 (zero gradient: for fixed-weight networks).',
};

function elementwise(name: ActivationName): OpDef {
  const alpha = activationAlphaDefault(name);
  const params: ParamDef[] = [tensorParam()];
  if (alpha !== undefined) params.push({ name: 'alpha', kind: 'number', doc: 'Slope or scale for x ≤ 0.', default: alpha, min: 0 });
  return {
    name,
    category: 'activation',
    doc: DOCS[name],
    params,
    shapeRule: 'unchanged',
    irForm: alpha !== undefined ? 'inputs [x]; attrs { alpha }' : 'inputs [x]; attrs {}',
    infer: ({ inputs: [x] }) => (x!.dtype === 'f32' ? ok(x!.shape) : expects('float input', { actual: 'int' })),
    attrs: (call): Attrs => (alpha !== undefined ? { alpha: call.args.alpha as number } : {}),
    flops: ({ inputs: [x] }) => {
      const n = perSampleSize(x!.shape);
      return n === null ? null : n * activationFlops(name);
    },
  };
}

const softmax: OpDef = {
  name: 'softmax',
  category: 'activation',
  doc: 'Normalised exponentials along the last axis: rows sum to 1 (another axis is refused for now).',
  params: [tensorParam(), { name: 'axis', kind: 'axis', doc: 'The axis to normalise (negative counts from the end).', default: -1 }],
  shapeRule: 'unchanged',
  irForm: 'inputs [x]; attrs { axis } (non-negative)',
  infer({ inputs: [x], args }) {
    const rank = x!.shape.length;
    const axis = args.axis as number;
    if (axis < -rank || axis >= rank || axis === 0 || axis === -rank) return expects(`an axis between 1 and ${rank - 1} (or -1)`, { actual: `axis ${axis}` });
    // The kernels (CPU and WebGPU) and the gradient normalise the last axis only: say so here rather
    // than pass the check and fail to compile.
    if (axis !== -1 && axis !== rank - 1) return expects(`the last axis (axis: -1 or ${rank - 1}; softmax over another axis is not supported yet)`, { actual: `axis ${axis}` });
    return x!.dtype === 'f32' ? ok(x!.shape) : expects('float input', { actual: 'int' });
  },
  attrs: ({ inputs: [x], args }) => {
    const axis = args.axis as number;
    return { axis: axis < 0 ? x!.shape.length + axis : axis };
  },
  flops: ({ inputs: [x] }) => {
    const n = perSampleSize(x!.shape);
    return n === null ? null : 5 * n;
  },
};

export const ACTIVATION_OPS: OpDef[] = [...ACTIVATION_NAMES.map(elementwise), softmax];
