import { attr } from './onnx-graph.js';
import type { OnnxAttribute } from './onnx-model.js';
import { TO_CHANNELS_FIRST, TO_CHANNELS_LAST } from './onnx-layouts.js';
import type { OnnxRule, StepExport } from './onnx-step.js';

/**
 * Convolutions and pools: nnet's channels-last tensors are transposed to ONNX's channels-first
 * around Conv / MaxPool / AveragePool (onnxruntime folds the weight transpose at load and cancels
 * back-to-back transposes), and 'same' padding becomes explicit pads, TensorFlow's split (the odd
 * cell after), as nnet's kernels pad.
 */

interface Window {
  kernel: readonly number[];
  strides: readonly number[];
  dilation: readonly number[];
  padding: string;
}

/** pads [begin…, end…] for the spatial axes of `x` (channels-last), or auto_pad when a size is symbolic. */
function padding(s: StepExport, x: string, w: Window): OnnxAttribute[] {
  const spatial = w.kernel.length;
  if (w.padding !== 'same') return [attr.ints('pads', new Array<number>(2 * spatial).fill(0))];
  const sizes = s.shape(x)!.slice(1, 1 + spatial);
  const begin: number[] = [];
  const end: number[] = [];
  for (let a = 0; a < spatial; a++) {
    const [k, stride, dilation, n] = [w.kernel[a]!, w.strides[a]!, w.dilation[a]!, sizes[a]];
    const span = dilation * (k - 1) + 1;
    let total: number;
    if (typeof n === 'number') total = Math.max((Math.ceil(n / stride) - 1) * stride + span - n, 0);
    else if (stride === 1) total = span - 1;
    else if (w.dilation.every((d) => d === 1)) return [attr.string('auto_pad', 'SAME_UPPER')];
    else return s.refuse(`'same' padding with stride ${stride} and dilation ${dilation} over the symbolic size '${n}' has no ONNX form (onnxruntime's SAME_UPPER takes no dilation)`);
    begin.push(Math.floor(total / 2));
    end.push(total - Math.floor(total / 2));
  }
  return [attr.ints('pads', [...begin, ...end])];
}

function spatialRank(s: StepExport, x: string): 1 | 2 {
  const rank = s.shape(x)!.length - 2;
  if (rank !== 1 && rank !== 2) return s.refuse(`a ${rank}-D window has no ONNX export`);
  return rank;
}

function ints(value: unknown, spatial: number, fallback: number): number[] {
  const list = Array.isArray(value) ? (value as number[]) : [];
  return Array.from({ length: spatial }, (_, i) => list[i] ?? fallback);
}

/** conv1d / conv2d / grouped_conv2d (+bias folded into Conv's B input). nnet's grouped weight [F, k…, C/groups] permutes to ONNX's [F, C/groups, k…], group g the same channels. */
export const conv: OnnxRule = (s) => {
  s.expect(['strides', 'padding', 'dilation', 'groups'], 2);
  const x = s.input(0);
  const spatial = spatialRank(s, x);
  const kernel = s.shape(s.input(1))!.slice(1, 1 + spatial) as number[];
  const window: Window = {
    kernel,
    strides: ints(s.attrs.strides, spatial, 1),
    dilation: ints(s.attrs.dilation, spatial, 1),
    padding: (s.attrs.padding as string | undefined) ?? 'valid',
  };
  const perm = TO_CHANNELS_FIRST[spatial];
  const inputs = [s.op('Transpose', [x], { attributes: [attr.ints('perm', perm)] }), s.op('Transpose', [s.input(1)], { attributes: [attr.ints('perm', perm)] })];
  if (s.bias) inputs.push(s.bias);
  const y = s.op('Conv', inputs, {
    attributes: [
      attr.ints('kernel_shape', kernel),
      attr.ints('strides', window.strides),
      attr.ints('dilations', window.dilation),
      ...padding(s, x, window),
      ...(typeof s.attrs.groups === 'number' ? [attr.int('group', s.attrs.groups)] : []),
    ],
  });
  s.op('Transpose', [y], { outputs: [s.out(0, s.bias !== undefined)!], attributes: [attr.ints('perm', TO_CHANNELS_LAST[spatial])] });
};

/** maxpool2d / avgpool2d (the 1-D pools are these over [N, L, 1, C]); the average leaves padding out of the count. */
export function pool(opType: 'MaxPool' | 'AveragePool'): OnnxRule {
  return (s) => {
    s.expect(['size', 'strides', 'padding'], 1);
    const x = s.input(0);
    const spatial = spatialRank(s, x);
    const size = ints(s.attrs.size, spatial, 1);
    const window: Window = { kernel: size, strides: ints(s.attrs.strides, spatial, 1), dilation: ints([], spatial, 1), padding: (s.attrs.padding as string | undefined) ?? 'valid' };
    const xT = s.op('Transpose', [x], { attributes: [attr.ints('perm', TO_CHANNELS_FIRST[spatial])] });
    const y = s.op(opType, [xT], { attributes: [attr.ints('kernel_shape', size), attr.ints('strides', window.strides), ...padding(s, x, window)] });
    s.op('Transpose', [y], { outputs: [s.out(0)!], attributes: [attr.ints('perm', TO_CHANNELS_LAST[spatial])] });
  };
}

/**
 * The pooling epilogue of a fused convolution (`conv2d+bias+relu+maxpool`, kernels.ts POOL_EPILOGUE):
 * a MaxPool of windows `pool` at stride = window with no padding, whose floor (ceil_mode 0) drops
 * the rows and columns that fill no whole window, as the epilogue does; `x` is the activated map.
 */
export function pooledEpilogue(s: StepExport, x: string, target: string, pool: readonly number[]): void {
  const xT = s.op('Transpose', [x], { attributes: [attr.ints('perm', TO_CHANNELS_FIRST[2])] });
  const y = s.op('MaxPool', [xT], { attributes: [attr.ints('kernel_shape', pool), attr.ints('strides', pool), attr.ints('pads', [0, 0, 0, 0])] });
  s.op('Transpose', [y], { outputs: [target], attributes: [attr.ints('perm', TO_CHANNELS_LAST[2])] });
}

/** global_avg_pool / global_max_pool: a reduction over every axis between the first and the last. */
export function globalPool(opType: 'ReduceMean' | 'ReduceMax'): OnnxRule {
  return (s) => {
    const rank = s.shape(s.input(0))!.length;
    const axes = Array.from({ length: rank - 2 }, (_, i) => i + 1);
    s.op(opType, [s.input(0)], { outputs: [s.out(0)!], attributes: [attr.ints('axes', axes), attr.int('keepdims', 0)] });
  };
}

/**
 * conv1d_transpose / conv2d_transpose (Keras' sizes): ONNX ConvTranspose on channels-first, weights
 * [C, k…, F] → [C, F, k…] by the same permutation. nnet's 'same' crops the convolution's own 'same'
 * padding (TensorFlow's split, max(span − stride, 0) in all); where a window is shorter than its
 * stride, both paddings leave stride − span zero cells at the end: output_padding.
 */
export const convTranspose: OnnxRule = (s) => {
  s.expect(['strides', 'padding', 'dilation'], 2);
  const x = s.input(0);
  const spatial = spatialRank(s, x);
  const kernel = s.shape(s.input(1))!.slice(1, 1 + spatial) as number[];
  const strides = ints(s.attrs.strides, spatial, 1);
  const dilation = ints(s.attrs.dilation, spatial, 1);
  const same = s.attrs.padding === 'same';
  const begin: number[] = [];
  const end: number[] = [];
  const outputPadding: number[] = [];
  for (let a = 0; a < spatial; a++) {
    const span = dilation[a]! * (kernel[a]! - 1) + 1;
    const total = same ? Math.max(span - strides[a]!, 0) : 0;
    begin.push(Math.floor(total / 2));
    end.push(total - Math.floor(total / 2));
    outputPadding.push(Math.max(strides[a]! - span, 0));
  }
  const perm = TO_CHANNELS_FIRST[spatial];
  const y = s.op('ConvTranspose', [s.op('Transpose', [x], { attributes: [attr.ints('perm', perm)] }), s.op('Transpose', [s.input(1)], { attributes: [attr.ints('perm', perm)] })], {
    attributes: [
      attr.ints('kernel_shape', kernel),
      attr.ints('strides', strides),
      attr.ints('dilations', dilation),
      attr.ints('pads', [...begin, ...end]),
      attr.ints('output_padding', outputPadding),
    ],
  });
  s.op('Transpose', [y], { outputs: [s.out(0)!], attributes: [attr.ints('perm', TO_CHANNELS_LAST[spatial])] });
};

/** upsample2d: Resize on channels-first by whole factors; nearest repeats (asymmetric, floor), bilinear samples at half-pixel centres. */
export const upsample: OnnxRule = (s) => {
  s.expect(['size', 'mode'], 1);
  const x = s.input(0);
  const spatial = spatialRank(s, x);
  const size = ints(s.attrs.size, spatial, 1);
  const nearest = s.attrs.mode !== 'bilinear';
  const attributes = nearest
    ? [attr.string('mode', 'nearest'), attr.string('coordinate_transformation_mode', 'asymmetric'), attr.string('nearest_mode', 'floor')]
    : [attr.string('mode', 'linear'), attr.string('coordinate_transformation_mode', 'half_pixel')];
  const xT = s.op('Transpose', [x], { attributes: [attr.ints('perm', TO_CHANNELS_FIRST[spatial])] });
  const y = s.op('Resize', [xT, '', s.floats([1, 1, ...size])], { attributes });
  s.op('Transpose', [y], { outputs: [s.out(0)!], attributes: [attr.ints('perm', TO_CHANNELS_LAST[spatial])] });
};
