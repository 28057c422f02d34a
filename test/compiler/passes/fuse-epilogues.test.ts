import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import { LayerGraph, trainConfig } from '../layer-graph.js';
import type { HostData } from '../../../runtime/tensor.js';

function kernels(steps: { kernel: string }[]): string[] {
  return steps.map((s) => s.kernel);
}

function mlp(activation: string) {
  const g = new LayerGraph();
  const x = g.input('x', ['batch', 4]);
  const h = g.dense('h', x, 5, activation);
  const y = g.dense('y', h, 2, null);
  g.output('y', y);
  const t = g.label('t', ['batch', 2]);
  return { g, y, t };
}

describe('fuse-epilogues', () => {
  it('fuses matmul + bias + activation into one step in inference plans, and says so', () => {
    const { g } = mlp('relu');
    const { plan, explain } = compileGraph(g.graph, 'M', null, { target: 'cpu', fuse: true, training: false, verify: true });
    expect(kernels(plan!.forward)).toEqual(['matmul+bias+relu', 'matmul+bias']);
    expect(explain.filter((e) => e.kind === 'fused').map((e) => [e.kernel, e.layer, e.op])).toEqual([
      ['matmul+bias+relu', 'h', 'dense'],
      ['matmul+bias', 'y', 'dense'],
    ]);
    expect(explain[0]!.range).toEqual(g.graph.nodes[3]!.origin.range);
  });

  it('--no-fuse keeps the ops apart', () => {
    const { g } = mlp('relu');
    const { plan, explain } = compileGraph(g.graph, 'M', null, { target: 'cpu', fuse: false, training: false, verify: true });
    expect(kernels(plan!.forward)).toEqual(['matmul', 'bias_add', 'relu', 'matmul', 'bias_add']);
    expect(explain).toEqual([]);
  });

  it('fuses fully in training plans when the activation gradient reads the output (relu)', () => {
    const { g, y, t } = mlp('relu');
    const { plan } = compileGraph(g.graph, 'M', trainConfig({ kind: 'mse', pred: y, target: t }), { target: 'cpu', fuse: true, training: true, verify: true });
    expect(kernels(plan!.forward)).toEqual(['matmul+bias+relu', 'matmul+bias']);
    const grad = plan!.backward.find((s) => s.kernel === 'relu_grad')!;
    expect(grad.inputs[1]).toBe(plan!.forward[0]!.outputs[0]);
  });

  it('keeps the pre-activation as a second output when the gradient needs it (gelu)', () => {
    const { g, y, t } = mlp('gelu');
    const { plan, explain } = compileGraph(g.graph, 'M', trainConfig({ kind: 'mse', pred: y, target: t }), { target: 'cpu', fuse: true, training: true, verify: true });
    const fused = plan!.forward[0]!;
    expect(fused.kernel).toBe('matmul+bias+gelu');
    expect(fused.outputs).toHaveLength(2);
    const grad = plan!.backward.find((s) => s.kernel === 'gelu_grad')!;
    expect(grad.inputs[1]).toBe(fused.outputs[1]);
    expect(explain[0]).toMatchObject({ kind: 'fused', kernel: 'matmul+bias+gelu', reason: 'also writes the pre-activation for gelu_grad' });
  });

  it('refuses to fuse the activation when the pre-activation is a model output', () => {
    const g = new LayerGraph();
    const x = g.input('x', ['batch', 4]);
    const h = g.dense('h', x, 3, null);
    const a = g.layer('relu', 'a', [h], {}, ['batch', 3]);
    g.output('h', h);
    g.output('a', a);
    const { plan, explain } = compileGraph(g.graph, 'M', null, { target: 'cpu', fuse: true, training: false, verify: true });
    expect(kernels(plan!.forward)).toEqual(['matmul+bias', 'relu']);
    expect(explain).toContainEqual(expect.objectContaining({ kind: 'refused', kernel: 'matmul+bias+relu', layer: 'h', reason: "the pre-activation is the model output 'h'" }));
  });

  it('refuses when another layer also reads the intermediate', () => {
    const g = new LayerGraph();
    const x = g.input('x', ['batch', 4]);
    const h = g.dense('h', x, 3, null);
    const a = g.layer('relu', 'a', [h], {}, ['batch', 3]);
    const b = g.layer('sigmoid', 'b', [h], {}, ['batch', 3]);
    const s = g.layer('add', 's', [a, b], {}, ['batch', 3]);
    g.output('s', s);
    const { plan, explain } = compileGraph(g.graph, 'M', null, { target: 'cpu', fuse: true, training: false, verify: true });
    expect(kernels(plan!.forward)).toEqual(['matmul+bias', 'relu', 'sigmoid', 'add']);
    const refusal = explain.find((e) => e.kind === 'refused')!;
    expect(refusal.reason).toMatch(/also read by 'b' \(sigmoid\)/);
    expect(refusal.range).toEqual(g.graph.nodes[h]!.origin.range);
  });

  it('refuses bias fusion when the matmul result is the model output', () => {
    const g = new LayerGraph();
    const x = g.input('x', ['batch', 4]);
    const w = g.param('p.weight', [3, 4], { kind: 'glorot_uniform' });
    const m = g.layer('matmul', 'p', [x, w], { transA: false, transB: true }, ['batch', 3]);
    const bias = g.param('p.bias', [3], { kind: 'zeros' });
    const y = g.layer('bias_add', 'q', [m, bias], {}, ['batch', 3]);
    g.output('m', m);
    g.output('y', y);
    const { plan, explain } = compileGraph(g.graph, 'M', null, { target: 'cpu', fuse: true, training: false, verify: true });
    expect(kernels(plan!.forward)).toEqual(['matmul', 'bias_add']);
    expect(explain[0]).toMatchObject({ kind: 'refused', kernel: 'matmul+bias', reason: "the matmul result is the model output 'm'" });
  });

  it('fused and unfused plans compute the same outputs', async () => {
    const { createCpuExecutor } = await import('../../../runtime/cpu/index.js');
    const { g } = mlp('silu');
    const x = { shape: [3, 4], dtype: 'f32' as const, data: Float32Array.from({ length: 12 }, (_, i) => Math.sin(i)) };
    const results: HostData[] = [];
    for (const fuse of [true, false]) {
      const { plan, weights } = compileGraph(g.graph, 'M', null, { target: 'cpu', fuse, training: false });
      results.push((await createCpuExecutor(plan!, weights).infer({ x })).y!.data);
    }
    results[0]!.forEach((v, i) => expect(Math.abs(v - results[1]![i]!)).toBeLessThan(1e-6));
  });
});
