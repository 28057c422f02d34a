import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import { gemm } from '../../../runtime/cpu/kernels/matmul.js';
import { markCacheable, markWritten, packedOperand } from '../../../runtime/cpu/packed-operands.js';
import { f32, i32 } from '../../../runtime/tensor.js';
import { LayerGraph, trainConfig } from '../../compiler/layer-graph.js';

/**
 * Packed weights are reused only while the weight is unchanged: the cache itself, gemm on a
 * cacheable operand, and the executor end to end (training steps and setWeights must be seen by the
 * next inference). The oracle for the executor is a fresh executor built from the same weights, which
 * has never packed anything.
 */
describe('packed operand cache', () => {
  it('packs once per version and only for declared buffers', () => {
    const weight = Float32Array.from([1, 2, 3]);
    let packs = 0;
    const pack = (into: Float32Array): void => {
      packs++;
      into.set(weight);
    };
    expect(packedOperand(weight, 'copy', Float32Array, 3, pack)).toBeNull();
    markCacheable(weight);
    const first = packedOperand(weight, 'copy', Float32Array, 3, pack);
    expect(packedOperand(weight, 'copy', Float32Array, 3, pack)).toBe(first);
    expect(packs).toBe(1);
    weight[0] = 10;
    markWritten(weight);
    expect([...packedOperand(weight, 'copy', Float32Array, 3, pack)!]).toEqual([10, 2, 3]);
    expect(packs).toBe(2);
    packedOperand(weight, 'other layout', Float32Array, 3, pack);
    expect(packs).toBe(3);
  });

  it('gemm reads a rewritten cacheable operand after markWritten', () => {
    const m = 6, n = 5, k = 3; // m > 4: the packed path
    const a = Float32Array.from({ length: m * k }, (_, i) => i % 4);
    const b = Float32Array.from({ length: k * n }, (_, i) => i / 7);
    markCacheable(b);
    const c = new Float32Array(m * n);
    gemm(a, k, 1, b, n, 1, c, m, n, k);
    b.fill(1);
    markWritten(b);
    gemm(a, k, 1, b, n, 1, c, m, n, k);
    for (let i = 0; i < m; i++) {
      const rowSum = a[i * k]! + a[i * k + 1]! + a[i * k + 2]!;
      for (let j = 0; j < n; j++) expect(c[i * n + j]).toBe(rowSum);
    }
  });
});

function model() {
  const g = new LayerGraph();
  const x = g.input('x', ['batch', 3]);
  const h = g.dense('h', x, 7, 'tanh');
  const logits = g.dense('logits', h, 2, null);
  g.output('logits', logits);
  const label = g.label('label', ['batch'], 'i32');
  const config = trainConfig(
    { kind: 'cross_entropy', pred: logits, target: label, sparse: true, fromLogits: true },
    { kind: 'adam', lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    { seed: 5 },
  );
  return compileGraph(g.graph, 'Cached', config, { target: 'cpu', fuse: true, training: true, verify: true });
}

// Batch 8 takes the packed path (cached weights); batch 2 the few-rows path.
const X8 = f32([8, 3], Array.from({ length: 24 }, (_, i) => Math.sin(i)));
const LABELS8 = i32([8], [0, 1, 1, 0, 1, 0, 0, 1]);
const X2 = f32([2, 3], [0.5, -1, 2, 1, 0, -0.5]);

describe('cpu executor with packed weights', () => {
  it('sees the weights each training step wrote', async () => {
    const { plan, weights } = model();
    const executor = createCpuExecutor(plan!, weights);
    const before = await executor.infer({ x: X8 });
    for (let step = 0; step < 3; step++) {
      await executor.trainStep({ x: X8, label: LABELS8 }, { lr: 0.1, seed: step });
      const got = await executor.infer({ x: X8 });
      const fresh = createCpuExecutor(plan!, weights);
      await fresh.setWeights(await executor.getWeights());
      const want = await fresh.infer({ x: X8 });
      expect([...got.logits!.data]).toEqual([...want.logits!.data]);
      expect(await fresh.infer({ x: X2 })).toEqual(await executor.infer({ x: X2 }));
    }
    expect([...(await executor.infer({ x: X8 })).logits!.data]).not.toEqual([...before.logits!.data]);
  });

  it('sees weights replaced with setWeights', async () => {
    const { plan, weights } = model();
    const executor = createCpuExecutor(plan!, weights);
    const original = await executor.getWeights();
    await executor.infer({ x: X8 });
    const scaled = new Map([...original].map(([name, t]) => [name, { ...t, data: Float32Array.from(t.data, (v) => v * 2) }]));
    await executor.setWeights(scaled);
    const fresh = createCpuExecutor(plan!, weights);
    await fresh.setWeights(scaled);
    expect([...(await executor.infer({ x: X8 })).logits!.data]).toEqual([...(await fresh.infer({ x: X8 })).logits!.data]);
  });
});
