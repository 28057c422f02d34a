import { formatShape, perSampleSize, windowOutput } from '../shapes/dims.js';
import type { Dim } from '../ir/types.js';
import { channelsLastRankError, ints, MAX_KERNEL, tensorParam } from './common.js';
import { expects, ok, type OpCall, type OpDef } from './types.js';

/**
 * maxpool1d / avgpool1d(x, size = 2, stride = size, padding = valid): [batch, len, c] → [batch, len', c]
 * maxpool2d / avgpool2d(x, size = 2, stride = size, padding = valid): [batch, h, w, c] → [batch, h', w', c]
 * global_avgpool / global_maxpool(x): [batch, ..., c] → [batch, c]
 *
 * IR form: inputs [x]; windowed pools attrs { size: int[], strides: int[], padding };
 * global pools attrs {}.
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
    params: [tensorParam()],
    shapeRule: '[batch, ..., c] → [batch, c]',
    irForm: 'inputs [x]; attrs {}',
    infer({ inputs: [x] }) {
      if (x!.shape.length < 3) return expects('[batch, ..., channels] with at least one axis to pool');
      return ok([x!.shape[0]!, x!.shape.at(-1)!]);
    },
    attrs: () => ({}),
    flops: ({ inputs: [x] }) => perSampleSize(x!.shape),
  };
}

export const maxpool1d = windowedPool('max', 1);
export const maxpool2d = windowedPool('max', 2);
export const avgpool1d = windowedPool('avg', 1);
export const avgpool2d = windowedPool('avg', 2);
export const global_avgpool = globalPool('avg');
export const global_maxpool = globalPool('max');
