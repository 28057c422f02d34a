import { concreteSize, dimProductOf, formatShape } from '../shapes/dims.js';
import type { Dim } from '../ir/types.js';
import { MAX_UNITS, tensorParam } from './common.js';
import { expects, ok, type OpDef } from './types.js';

/**
 * flatten(x): [batch, d1, d2, ...] → [batch, d1·d2·...].
 * reshape(x, shape): [batch, ...] → [batch, ...shape]; `shape` excludes the batch axis and may hold
 * one -1, inferred from the element count. The element counts must agree.
 *
 * IR form: inputs [x]; flatten attrs {}; reshape attrs { shape } (the full output shape, batch included).
 */

export const flatten: OpDef = {
  name: 'flatten',
  category: 'shape',
  doc: 'Collapses every axis after the batch axis into one.',
  params: [tensorParam()],
  shapeRule: '[batch, d1, d2, ...] → [batch, d1·d2·...]',
  irForm: 'inputs [x]; attrs {}',
  infer({ inputs: [x] }) {
    if (x!.shape.length < 2) return expects('[batch, ...] with at least one axis after batch');
    return ok([x!.shape[0]!, dimProductOf(x!.shape.slice(1))], x!.dtype);
  },
  attrs: () => ({}),
  flops: () => 0,
};

export const reshape: OpDef = {
  name: 'reshape',
  category: 'shape',
  doc: 'Gives the sample a new shape with the same number of elements (the batch axis is kept).',
  params: [tensorParam(), { name: 'shape', kind: 'ints', doc: 'The new shape of one sample, e.g. [28, 28, 1]; one -1 is inferred.', min: -1, max: MAX_UNITS }],
  shapeRule: '[batch, ...] → [batch, ...shape]',
  irForm: 'inputs [x]; attrs { shape } (full output shape)',
  infer({ inputs: [x], args }) {
    const target = typeof args.shape === 'number' ? [args.shape] : (args.shape as number[]);
    const have = concreteSize(x!.shape.slice(1));
    const inferred = target.filter((d) => d === -1).length;
    if (inferred > 1 || target.some((d) => d === 0 || d < -1)) return expects('positive sizes with at most one -1', { actual: formatShape(target) });
    const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (have === null) return expects('a sample with a known number of elements');
    let out: Dim[] = target;
    if (inferred === 1) {
      if (have % known !== 0) return expects(`a sample size divisible by ${known}`, { actual: `${formatShape(x!.shape)} (${have} elements)` });
      out = target.map((d) => (d === -1 ? have / known : d));
    } else if (known !== have) {
      return expects(`${known} elements per sample to reshape to ${formatShape(target)}`, { actual: `${formatShape(x!.shape)} (${have} elements)` });
    }
    return ok([x!.shape[0]!, ...out], x!.dtype);
  },
  attrs: (_call, out) => ({ shape: out.shape }),
  flops: () => 0,
};
