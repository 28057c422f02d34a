import { formatShape, perSampleSize, sameDim, windowOutput } from '../shapes/dims.js';
import type { Dim } from '../ir/types.js';
import { channelsLastRankError, ints, MAX_KERNEL, tensorParam } from './common.js';
import { expects, ok, type OpCall, type OpDef } from './types.js';

/**
 * maxpool1d / avgpool1d(x, size = 2, stride = size, padding = valid): [batch, len, c] → [batch, len', c]
 * maxpool2d / avgpool2d(x, size = 2, stride = size, padding = valid): [batch, h, w, c] → [batch, h', w', c]
 * global_avgpool / global_maxpool(x, mask: none): [batch, ..., c] → [batch, c]; with `mask: m`
 * [batch, seq] over a sequence [batch, seq, c], the steps where m is 0 (padding) are left out
 * (Keras' masked GlobalAveragePooling1D; the max likewise; a row with no step left gives 0).
 *
 * IR form: inputs [x, mask?]; windowed pools attrs { size: int[], strides: int[], padding };
 * global pools attrs { masked? }.
 */

function windowedPool(kind: 'max' | 'avg', axes: 1 | 2): OpDef {
  const name = `${kind}pool${axes}d`;
  const layout = axes === 1 ? '[batch, length, channels]' : '[batch, height, width, channels]';
  const strides = (call: OpCall): number[] =>
    call.args.stride === null ? ints(call, 'size', axes) : ints(call, 'stride', axes);
  return {
    name,
    category: 'layer',
    doc: `${kind === 'max' ? 'Maximum' : 'Average'} over ${axes === 1 ? 'windows of a sequence' : 'windows of an image'}, per channel.`,
    params: [
      tensorParam(),
      { name: 'size', kind: 'ints', doc: 'Window size.', default: 2, min: 1, max: MAX_KERNEL },
      { name: 'stride', kind: 'ints', doc: 'Step between windows (default: the window size).', default: null, defaultText: 'size', min: 1, max: MAX_KERNEL },
      { name: 'padding', kind: 'choice', doc: '`valid` or `same`.', default: 'valid', choices: ['valid', 'same'] },
    ],
    shapeRule: axes === 1 ? '[batch, len, c] → [batch, len\', c]' : '[batch, h, w, c] → [batch, h\', w\', c]',
    irForm: 'inputs [x]; attrs { size: int[], strides: int[], padding }',
    infer(call) {
      const x = call.inputs[0]!;
      const rankError = channelsLastRankError(x, axes, layout);
      if (rankError) return rankError;
      if (x.dtype !== 'f32') return expects('float input', { actual: `${formatShape(x.shape)} int` });
      const size = ints(call, 'size', axes);
      const stride = strides(call);
      const spatial: Dim[] = [];
      for (let a = 0; a < axes; a++) {
        const out = windowOutput(x.shape[1 + a]!, size[a]!, stride[a]!, 1, call.args.padding as 'same' | 'valid');
        if (typeof out === 'number' && out < 1) return expects(`an input of at least ${size[a]} along axis ${1 + a}`);
        spatial.push(out);
      }
      return ok([x.shape[0]!, ...spatial, x.shape.at(-1)!]);
    },
    attrs: (call) => ({ size: ints(call, 'size', axes), strides: strides(call), padding: call.args.padding as string }),
    flops(call, out) {
      const outputs = perSampleSize(out.shape);
      return outputs === null ? null : outputs * ints(call, 'size', axes).reduce((a, b) => a * b, 1);
    },
  };
}

function globalPool(kind: 'max' | 'avg'): OpDef {
  return {
    name: `global_${kind}pool`,
    category: 'layer',
    doc: `${kind === 'max' ? 'Maximum' : 'Mean'} over every axis between batch and channels.`,
    params: [
      tensorParam(),
      {
        name: 'mask',
        kind: 'tensor',
        doc: 'A sequence\'s [batch, seq] mask (int or float): steps where it is 0 (padding) are left out of the pool; a row with none left gives 0.',
        default: null,
        defaultText: 'none (every step)',
        namedOnly: true,
      },
    ],
    shapeRule: '[batch, ..., c] → [batch, c]; mask [batch, seq] with x [batch, seq, c]',
    irForm: 'inputs [x, mask?]; attrs { masked? }',
    infer({ inputs: [x, mask] }) {
      if (x!.shape.length < 3) return expects('[batch, ..., channels] with at least one axis to pool');
      if (mask && (x!.shape.length !== 3 || mask.shape.length !== 2 || !sameDim(mask.shape[0]!, x!.shape[0]!) || !sameDim(mask.shape[1]!, x!.shape[1]!))) {
        return expects(x!.shape.length === 3 ? `a mask [${x!.shape[0]}, ${x!.shape[1]}] (x's batch and steps)` : 'a sequence [batch, seq, channels] with a mask', { actual: `mask ${formatShape(mask.shape)}`, input: 1 });
      }
      return ok([x!.shape[0]!, x!.shape.at(-1)!]);
    },
    attrs: (call): Record<string, boolean> => (call.inputs.length > 1 ? { masked: true } : {}),
    flops: ({ inputs: [x] }) => perSampleSize(x!.shape),
  };
}

export const maxpool1d = windowedPool('max', 1);
export const maxpool2d = windowedPool('max', 2);
export const avgpool1d = windowedPool('avg', 1);
export const avgpool2d = windowedPool('avg', 2);
export const global_avgpool = globalPool('avg');
export const global_maxpool = globalPool('max');
