import { applyActivation } from './activations.js';
import { activationAttr, type LowerRule } from './lower-context.js';

/**
 * conv1d / conv2d(x, filters, kernel, ...): inputs [x, weight, bias?] → conv → bias_add → activation,
 * the same shape as dense so the same epilogue fusion applies.
 */
function lowerConv(op: 'conv1d' | 'conv2d' | 'conv1d_transpose' | 'conv2d_transpose'): LowerRule {
  return (ctx) => {
    const [x, weight, bias] = ctx.inputs;
    const { builder, node } = ctx;
    const attrs = { strides: node.attrs.strides ?? [], padding: node.attrs.padding ?? 'valid', dilation: node.attrs.dilation ?? [] };
    let y = builder.add(op, [x!, weight!], attrs, node.origin);
    if (bias !== undefined) y = builder.add('bias_add', [y, bias], {}, node.origin);
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
  upsample1d: lowerUpsample(1),
  upsample2d: lowerUpsample(2),
  maxpool2d: lowerPool('max', 2),
  avgpool2d: lowerPool('avg', 2),
  maxpool1d: lowerPool('max', 1),
  avgpool1d: lowerPool('avg', 1),
  global_avgpool: ({ builder, node, inputs }) => builder.add('global_avg_pool', inputs.slice(0, 1), {}, node.origin),
  global_maxpool: ({ builder, node, inputs }) => builder.add('global_max_pool', inputs.slice(0, 1), {}, node.origin),
};
