import { perSampleSize } from '../shapes/dims.js';
import { tensorParam } from './common.js';
import { ok, type OpDef } from './types.js';

/**
 * dropout(x, rate = 0.5): while training, zeroes each element with probability `rate` and scales
 * the rest by 1/(1 − rate); in inference, the identity. Shape unchanged.
 *
 * IR form: inputs [x]; attrs { rate }.
 */
export const dropout: OpDef = {
  name: 'dropout',
  category: 'layer',
  doc: 'Randomly zeroes a fraction `rate` of the values while training (inverted dropout).',
  params: [tensorParam(), { name: 'rate', kind: 'number', doc: 'Fraction dropped, in [0, 1).', default: 0.5, min: 0, max: 1, maxExclusive: true }],
  shapeRule: 'unchanged',
  irForm: 'inputs [x]; attrs { rate }',
  infer: ({ inputs: [x] }) => ok(x!.shape, x!.dtype),
  attrs: (call) => ({ rate: call.args.rate as number }),
  flops: ({ inputs: [x] }) => perSampleSize(x!.shape),
};
