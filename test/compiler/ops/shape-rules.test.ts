import { describe, expect, it } from 'vitest';
import { findOp } from '../../../compiler/ops/registry.js';
import type { ArgValue, OpCall, OpDef } from '../../../compiler/ops/types.js';
import type { Shape, TensorType } from '../../../compiler/ir/types.js';

/** Runs an op's shape rule and parameter count with its defaults filled, as the checker does. */
function call(name: string, shapes: Shape[], args: Record<string, ArgValue> = {}, dtype: TensorType['dtype'] = 'f32') {
  const op = findOp(name) as OpDef;
  const filled: Record<string, ArgValue> = {};
  for (const p of op.params) if (p.kind !== 'tensor' && p.kind !== 'tensors' && p.default !== undefined) filled[p.name] = p.default;
  const c: OpCall = { inputs: shapes.map((shape) => ({ shape, dtype })), args: { ...filled, ...args } };
  const result = op.infer(c);
  if (!result.ok) return { ok: false as const, expected: result.expected, insertBefore: result.insertBefore };
  const params = (op.weights?.(c) ?? []).filter((w) => c.args[w.name] !== false).reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  return { ok: true as const, shape: result.type.shape, dtype: result.type.dtype, params, flops: op.flops(c, result.type), attrs: op.attrs(c, result.type) };
}

describe('dense', () => {
  it('maps [batch, in] to [batch, units] with units·in + units parameters', () => {
    expect(call('dense', [['batch', 3]], { units: 4 })).toMatchObject({ shape: ['batch', 4], params: 16, flops: 4 * (2 * 3 + 1) });
  });
  it('applies per position of a symbolic-length sequence', () => {
    expect(call('dense', [['batch', 'seq', 64]], { units: 256 })).toMatchObject({ shape: ['batch', 'seq', 256], flops: null });
  });
  it('rejects an unflattened image and suggests flatten', () => {
    expect(call('dense', [['batch', 28, 28]], { units: 10 })).toEqual({ ok: false, expected: '[batch, features]', insertBefore: 'flatten' });
  });
  it('drops the bias with bias: false', () => {
    expect(call('dense', [['batch', 3]], { units: 4, bias: false })).toMatchObject({ params: 12 });
  });
  it('records units and activation as attrs', () => {
    expect(call('dense', [['batch', 3]], { units: 4, activation: { name: 'leaky_relu', alpha: 0.2 } })).toMatchObject({
      attrs: { units: 4, activation: { name: 'leaky_relu', alpha: 0.2 } },
    });
  });
});

describe('convolutions and pooling', () => {
  it('conv2d valid 3×3 on 28×28×1 with 32 filters: 26×26×32 and 320 parameters (Keras)', () => {
    expect(call('conv2d', [['batch', 28, 28, 1]], { filters: 32, kernel: 3 })).toMatchObject({ shape: ['batch', 26, 26, 32], params: 320 });
  });
  it('conv2d same padding with stride 2 rounds up', () => {
    expect(call('conv2d', [['batch', 28, 28, 3]], { filters: 8, kernel: 3, stride: 2, padding: 'same' })).toMatchObject({ shape: ['batch', 14, 14, 8], params: 8 * 27 + 8 });
  });
  it('conv2d with dilation widens the window', () => {
    expect(call('conv2d', [['batch', 10, 10, 1]], { filters: 1, kernel: 3, dilation: 2 })).toMatchObject({ shape: ['batch', 6, 6, 1] });
  });
  it('conv2d on [batch, 28, 28] suggests adding a channel', () => {
    expect(call('conv2d', [['batch', 28, 28]], { filters: 4, kernel: 3 })).toMatchObject({ ok: false, insertBefore: 'reshape([28, 28, 1])' });
  });
  it('conv1d keeps symbolic lengths symbolic: seq-2 for a valid 3-wide kernel', () => {
    expect(call('conv1d', [['batch', 'seq', 16]], { filters: 32, kernel: 3 })).toMatchObject({ shape: ['batch', 'seq-2', 32], params: 32 * 3 * 16 + 32 });
  });
  it('conv1d with a stride on a symbolic length', () => {
    expect(call('conv1d', [['batch', 'h', 4]], { filters: 2, kernel: 3, stride: 2 })).toMatchObject({ shape: ['batch', 'floor((h-3)/2)+1', 2] });
  });
  it('maxpool2d halves by default; global pooling keeps channels', () => {
    expect(call('maxpool2d', [['batch', 28, 28, 16]])).toMatchObject({ shape: ['batch', 14, 14, 16], params: 0 });
    expect(call('avgpool1d', [['batch', 9, 4]], { size: 3 })).toMatchObject({ shape: ['batch', 3, 4] });
    expect(call('global_avgpool', [['batch', 7, 7, 64]])).toMatchObject({ shape: ['batch', 64] });
  });
  it('rejects a kernel larger than the input', () => {
    expect(call('conv2d', [['batch', 2, 2, 1]], { filters: 1, kernel: 3 }).ok).toBe(false);
  });
});

describe('recurrent layers (parameter counts as Keras)', () => {
  it('lstm: 4(u·d + u² + u)', () => {
    expect(call('lstm', [['batch', 'seq', 64]], { units: 64 })).toMatchObject({ shape: ['batch', 64], params: 33024 });
  });
  it('gru: 3(u·d + u² + u) (one bias, Keras reset_after=False)', () => {
    expect(call('gru', [['batch', 10, 64]], { units: 32, return_sequences: true })).toMatchObject({ shape: ['batch', 10, 32], params: 9312 });
  });
  it('rnn: u·d + u² + u', () => {
    expect(call('rnn', [['batch', 5, 8]], { units: 16 })).toMatchObject({ params: 16 * 8 + 16 * 16 + 16 });
  });
});

describe('attention, embedding, normalisation', () => {
  it('multi_head_attention: 4(d² + d) parameters, d divisible by heads', () => {
    expect(call('multi_head_attention', [['batch', 'seq', 64]], { heads: 4 })).toMatchObject({ shape: ['batch', 'seq', 64], params: 16640 });
    expect(call('multi_head_attention', [['batch', 'seq', 10]], { heads: 4 }).ok).toBe(false);
  });
  it('embedding needs int ids', () => {
    expect(call('embedding', [['batch', 'seq']], { vocab: 100, dim: 8 }, 'i32')).toMatchObject({ shape: ['batch', 'seq', 8], dtype: 'f32', params: 800 });
    expect(call('embedding', [['batch', 'seq']], { vocab: 100, dim: 8 }).ok).toBe(false);
  });
  it('batchnorm has 4C parameters (2C trainable); layernorm 2C', () => {
    expect(call('batchnorm', [['batch', 12, 12, 32]])).toMatchObject({ params: 128, attrs: { momentum: 0.99, epsilon: 1e-3 } });
    expect(call('layernorm', [['batch', 64]])).toMatchObject({ params: 128 });
  });
});

describe('merges and reshapes', () => {
  it('add broadcasts; mismatched axes fail', () => {
    expect(call('add', [['batch', 4], [4]])).toMatchObject({ shape: ['batch', 4] });
    expect(call('multiply', [['batch', 1, 3], ['batch', 5, 1]])).toMatchObject({ shape: ['batch', 5, 3] });
    expect(call('add', [['batch', 4], ['batch', 5]]).ok).toBe(false);
  });
  it('concat sums the axis and checks the others', () => {
    expect(call('concat', [['batch', 3], ['batch', 5]])).toMatchObject({ shape: ['batch', 8], attrs: { axis: 1 } });
    expect(call('concat', [['batch', 'seq', 3], ['batch', 'seq', 5]], { axis: 1 }).ok).toBe(false);
    expect(call('concat', [['batch', 2, 3], ['batch', 4, 3]], { axis: 1 })).toMatchObject({ shape: ['batch', 6, 3] });
  });
  it('flatten multiplies; reshape infers -1 and checks counts', () => {
    expect(call('flatten', [['batch', 28, 28]])).toMatchObject({ shape: ['batch', 784] });
    expect(call('flatten', [['batch', 'seq', 4]])).toMatchObject({ shape: ['batch', 'seq*4'] });
    expect(call('reshape', [['batch', 784]], { shape: [28, -1, 1] })).toMatchObject({ shape: ['batch', 28, 28, 1], attrs: { shape: ['batch', 28, 28, 1] } });
    expect(call('reshape', [['batch', 784]], { shape: [10, 10] }).ok).toBe(false);
  });
  it('softmax normalises its axis attr', () => {
    expect(call('softmax', [['batch', 'seq', 10]])).toMatchObject({ attrs: { axis: 2 } });
  });
});

describe('softmax axis (issue 10: passed the check, then failed to compile with NN5003)', () => {
  it('accepts the last axis, written -1 or rank-1', () => {
    expect(call('softmax', [['batch', 4, 3]], { axis: 2 })).toMatchObject({ ok: true, attrs: { axis: 2 } });
    expect(call('softmax', [['batch', 4, 3]], { axis: -1 })).toMatchObject({ ok: true, attrs: { axis: 2 } });
  });
  it('rejects another axis in the checker, saying only the last is supported', () => {
    const result = call('softmax', [['batch', 4, 3]], { axis: 1 });
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ expected: expect.stringContaining('the last axis') });
  });
});
