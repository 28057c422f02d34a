import { applyActivation } from './activations.js';
import { lowerMaskedPool } from './masked-pool.js';
import { activationAttr, type LowerRule } from './lower-context.js';

/**
 * conv1d / conv2d(x, filters, kernel, ...): inputs [x, weight, bias?] → conv → bias_add → activation,
 * the same shape as dense so the same epilogue fusion applies. A grouped conv2d is grouped_conv2d.
 */
function lowerConv(op: 'conv1d' | 'conv2d' | 'conv1d_transpose' | 'conv2d_transpose'): LowerRule {
  return (ctx) => {
    const [x, weight, bias] = ctx.inputs;
    const { builder, node } = ctx;
    const attrs = { strides: node.attrs.strides ?? [], padding: node.attrs.padding ?? 'valid', dilation: node.attrs.dilation ?? [] };
    const groups = typeof node.attrs.groups === 'number' ? node.attrs.groups : 1;
    let y = groups > 1 ? builder.add('grouped_conv2d', [x!, weight!], { ...attrs, groups }, node.origin) : builder.add(op, [x!, weight!], attrs, node.origin);
    if (bias !== undefined) y = builder.add('bias_add', [y, bias], {}, node.origin);
    return applyActivation(ctx, y, activationAttr(node.attrs.activation));
  };
}

/**
 * depthwise_conv2d: inputs [x, weight [C·M, kh, kw, 1], bias?] → grouped_conv2d with C groups.
 * separable_conv2d: inputs [x, depthwise, pointwise [filters, 1, 1, C·M], bias?] → the depthwise
 * convolution (no bias), then a 1×1 conv2d, bias and activation.
 */
function lowerDepthwise(separable: boolean): LowerRule {
  return (ctx) => {
    const { builder, node, inputs } = ctx;
    const [x, depthwise] = inputs;
    const channels = builder.type(x!).shape.at(-1) as number;
    const attrs = { strides: node.attrs.strides ?? [], padding: node.attrs.padding ?? 'valid', dilation: node.attrs.dilation ?? [], groups: channels };
    let y = builder.add('grouped_conv2d', [x!, depthwise!], attrs, node.origin);
    let rest = inputs.slice(2);
    if (separable) {
      y = builder.add('conv2d', [y, rest[0]!], { strides: [1, 1], padding: 'valid', dilation: [1, 1] }, node.origin);
      rest = rest.slice(1);
    }
    if (rest[0] !== undefined) y = builder.add('bias_add', [y, rest[0]], {}, node.origin);
    return applyActivation(ctx, y, activationAttr(node.attrs.activation));
  };
}

/** upsample2d directly; upsample1d as upsample2d over [batch, len, 1, c] (size [s, 1]). */
function lowerUpsample(axes: 1 | 2): LowerRule {
  return ({ builder, node, inputs }) => {
    const size = node.attrs.size as number[];
    const mode = node.attrs.mode as string;
    if (axes === 2) return builder.add('upsample2d', inputs.slice(0, 1), { size, mode }, node.origin);
    const [batch, len, channels] = builder.type(inputs[0]!).shape;
    const image = builder.add('reshape', inputs.slice(0, 1), { shape: [batch!, len!, 1, channels!] }, node.origin);
    const up = builder.add('upsample2d', [image], { size: [size[0]!, 1], mode }, node.origin);
    const shape = builder.type(up).shape;
    return builder.add('reshape', [up], { shape: [shape[0]!, shape[1]!, shape[3]!] }, node.origin);
  };
}

/** Windowed pools; the 1-D forms run as 2-D pools over [batch, len, 1, c]. */
function lowerPool(kind: 'max' | 'avg', axes: 1 | 2): LowerRule {
  return ({ builder, node, inputs }) => {
    const size = node.attrs.size as number[];
    const strides = (node.attrs.strides as number[] | undefined) ?? size;
    const padding = (node.attrs.padding as string | undefined) ?? 'valid';
    const op = `${kind}pool2d`;
    if (axes === 2) return builder.add(op, inputs.slice(0, 1), { size, strides, padding }, node.origin);
    const [batch, len, channels] = builder.type(inputs[0]!).shape;
    const image = builder.add('reshape', inputs.slice(0, 1), { shape: [batch!, len!, 1, channels!] }, node.origin);
    const pooled = builder.add(op, [image], { size: [size[0]!, 1], strides: [strides[0]!, 1], padding }, node.origin);
    const shape = builder.type(pooled).shape;
    return builder.add('reshape', [pooled], { shape: [shape[0]!, shape[1]!, shape[3]!] }, node.origin);
  };
}

export const convRules: Record<string, LowerRule> = {
  conv1d: lowerConv('conv1d'),
  conv2d: lowerConv('conv2d'),
  conv1d_transpose: lowerConv('conv1d_transpose'),
  conv2d_transpose: lowerConv('conv2d_transpose'),
  depthwise_conv2d: lowerDepthwise(false),
  separable_conv2d: lowerDepthwise(true),
  upsample1d: lowerUpsample(1),
  upsample2d: lowerUpsample(2),
  maxpool2d: lowerPool('max', 2),
  avgpool2d: lowerPool('avg', 2),
  maxpool1d: lowerPool('max', 1),
  avgpool1d: lowerPool('avg', 1),
  global_avgpool: (ctx) => (ctx.node.attrs.masked === true ? lowerMaskedPool('avg')(ctx) : ctx.builder.add('global_avg_pool', ctx.inputs.slice(0, 1), {}, ctx.node.origin)),
  global_maxpool: (ctx) => (ctx.node.attrs.masked === true ? lowerMaskedPool('max')(ctx) : ctx.builder.add('global_max_pool', ctx.inputs.slice(0, 1), {}, ctx.node.origin)),
};
