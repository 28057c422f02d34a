import { dimProductOf, formatShape, perSampleSize } from '../shapes/dims.js';
import { channelsLastRankError, ints, MAX_KERNEL, tensorParam } from './common.js';
import { expects, ok, type OpDef } from './types.js';

/**
 * upsample1d(x, size = 2, mode = nearest): [batch, len, c] → [batch, len·size, c]
 * upsample2d(x, size = 2, mode = nearest): [batch, h, w, c] → [batch, h·sh, w·sw, c]
 *
 * Keras' UpSampling1D / UpSampling2D: nearest repeats each cell, bilinear (linear in 1-D) interpolates
 * at half-pixel centres like Keras, PyTorch (align_corners=False) and ONNX Resize (half_pixel).
 * No parameters.
 *
 * IR form: inputs [x]; attrs { size: int[], mode }.
 */
function upsampleDef(axes: 1 | 2): OpDef {
  const layout = axes === 1 ? '[batch, length, channels]' : '[batch, height, width, channels]';
  const smooth = axes === 1 ? 'linear' : 'bilinear';
  return {
    name: `upsample${axes}d`,
    category: 'layer',
    doc: `Upsampling of ${axes === 1 ? 'a sequence' : 'an image'} by whole factors: nearest repeats each cell, ${smooth} interpolates (half-pixel centres, as Keras and PyTorch).`,
    params: [
      tensorParam(),
      { name: 'size', kind: 'ints', doc: `Factor per axis: ${axes === 1 ? 'a number' : 'a number or [h, w]'}.`, default: 2, min: 1, max: MAX_KERNEL },
      { name: 'mode', kind: 'choice', doc: `\`nearest\` or \`${smooth}\`.`, default: 'nearest', choices: ['nearest', smooth] },
    ],
    shapeRule: axes === 1 ? '[batch, len, c] → [batch, len·size, c]' : '[batch, h, w, c] → [batch, h·sh, w·sw, c]',
    irForm: 'inputs [x]; attrs { size: int[], mode }',
    infer(call) {
      const x = call.inputs[0]!;
      const rankError = channelsLastRankError(x, axes, layout);
      if (rankError) return rankError;
      if (x.dtype !== 'f32') return expects('float input', { actual: `${formatShape(x.shape)} int` });
      const size = ints(call, 'size', axes);
      return ok([x.shape[0]!, ...size.map((s, a) => dimProductOf([x.shape[1 + a]!, s])), x.shape.at(-1)!]);
    },
    attrs: (call) => ({ size: ints(call, 'size', axes), mode: call.args.mode === 'nearest' ? 'nearest' : 'bilinear' }),
    flops(call, out) {
      const outputs = perSampleSize(out.shape);
      return outputs === null ? null : call.args.mode === 'nearest' ? 0 : outputs * 7;
    },
  };
}

export const upsample1d = upsampleDef(1);
export const upsample2d = upsampleDef(2);
