import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import type { Plan } from '../../../runtime/plan/format.js';
import type { HostTensor } from '../../../runtime/tensor.js';
import { LayerGraph, trainConfig } from '../layer-graph.js';

/**
 * The pooling epilogue (kernels.ts POOL_EPILOGUE): conv2d[+bias][+activation] then a maxpool2d that
 * tiles the map becomes one `conv2d+bias+relu+maxpool` step, or stays apart with a refusal that
 * --explain prints.
 */
interface Net {
  activation?: string | { name: string; alpha: number } | null;
  bias?: boolean;
  size?: number[];
  strides?: number[];
  padding?: string;
  /** The conv's output map [OH, OW] (input OH+2 × OW+2, a 3×3 valid kernel). */
  map?: [number, number];
  /** Who else reads the conv layer's value. */
  alsoRead?: 'layer' | 'output';
}

function convPool(net: Net = {}) {
  const { activation = 'relu', bias = true, size = [2, 2], strides = size, padding = 'valid', map = [5, 5] } = net;
  const g = new LayerGraph();
  const x = g.input('x', ['batch', map[0] + 2, map[1] + 2, 2]);
  const w = g.param('c.weight', [3, 3, 3, 2], { kind: 'glorot_uniform' });
  const inputs = [x, w];
  if (bias) inputs.push(g.param('c.bias', [3], { kind: 'normal', mean: 0, std: 0.5 }));
  const c = g.layer('conv2d', 'c', inputs, { filters: 3, kernel: [3, 3], strides: [1, 1], padding: 'valid', dilation: [1, 1], activation }, ['batch', ...map, 3]);
  const out = (n: number, i: number): number => (padding === 'same' ? Math.ceil(n / strides[i]!) : Math.floor((n - size[i]!) / strides[i]!) + 1);
  const p = g.layer('maxpool2d', 'p', [c], { size, strides, padding }, ['batch', out(map[0], 0), out(map[1], 1), 3]);
  const y = g.dense('y', g.layer('flatten', 'f', [p], {}, ['batch', out(map[0], 0) * out(map[1], 1) * 3]), 2, null);
  g.output('y', y);
  if (net.alsoRead === 'output') g.output('c', c);
  if (net.alsoRead === 'layer') g.output('g', g.layer('global_avg_pool', 'g', [c], {}, ['batch', 3]));
  return { g, y, t: g.label('t', ['batch', 2]) };
}

function inference(net: Net = {}) {
  return compileGraph(convPool(net).g.graph, 'M', null, { target: 'cpu', fuse: true, training: false, verify: true });
}

function tensorShape(plan: Plan, name: string): ReadonlyArray<number | string> | undefined {
  return plan.tensors.find((t) => t.name === name)?.shape;
}

describe('fuse-epilogues: the pooling epilogue', () => {
  it('fuses conv2d + bias + relu + maxpool into one step with the pool window in its attrs, and says so', () => {
    const { plan, explain } = inference();
    const step = plan!.forward[0]!;
    expect(step.kernel).toBe('conv2d+bias+relu+maxpool');
    expect(step.inputs).toEqual(['x', 'c.weight', 'c.bias']);
    expect(step.attrs).toEqual({ strides: [1, 1], padding: 'valid', dilation: [1, 1], pool: [2, 2] });
    expect(step.outputs).toHaveLength(1);
    expect(tensorShape(plan!, step.outputs[0]!)).toEqual(['batch', 2, 2, 3]);
    expect(plan!.forward.map((s) => s.kernel)).not.toContain('maxpool2d');
    expect(explain).toContainEqual(expect.objectContaining({ kind: 'fused', kernel: 'conv2d+bias+relu+maxpool', layer: 'c', op: 'conv2d' }));
  });

  it('fuses uneven windows, a convolution alone, and an alpha next to the pool', () => {
    const uneven = inference({ size: [2, 3], map: [5, 7] }).plan!.forward[0]!;
    expect([uneven.kernel, uneven.attrs.pool]).toEqual(['conv2d+bias+relu+maxpool', [2, 3]]);
    const bare = inference({ activation: null, bias: false }).plan!.forward[0]!;
    expect([bare.kernel, bare.inputs, bare.attrs.pool]).toEqual(['conv2d+maxpool', ['x', 'c.weight'], [2, 2]]);
    const leaky = inference({ activation: { name: 'leaky_relu', alpha: 0.25 } }).plan!.forward[0]!;
    expect(leaky.kernel).toBe('conv2d+bias+leaky_relu+maxpool');
    expect(leaky.attrs).toMatchObject({ alpha: 0.25, pool: [2, 2] });
  });

  it("fuses 'same' padding where the windows divide the map (it pads nothing there)", () => {
    const { plan } = inference({ padding: 'same', map: [4, 6] });
    expect(plan!.forward[0]!.kernel).toBe('conv2d+bias+relu+maxpool');
    expect(tensorShape(plan!, plan!.forward[0]!.outputs[0]!)).toEqual(['batch', 2, 3, 3]);
  });

  const REFUSALS: Array<[string, Net, RegExp]> = [
    ['overlapping windows (size 3, stride 2)', { size: [3, 3], strides: [2, 2] }, /windows \[3, 3\] move by strides \[2, 2\]; a pooled epilogue needs stride = window/],
    ["'same' padding that pads", { padding: 'same' }, /the pool pads \('same' padding on a 5×5 map with windows \[2, 2\]\)/],
    ['a second reader of the activation', { alsoRead: 'layer' }, /the unpooled value is also read by 'g' \(global_avg_pool\)/],
    ['an activation that is a model output', { alsoRead: 'output' }, /the unpooled value is the model output 'c'/],
  ];
  for (const [name, net, reason] of REFUSALS) {
    it(`refuses ${name}, keeping conv2d+bias+relu and the pool apart`, () => {
      const { plan, explain } = inference(net);
      expect(plan!.forward.slice(0, 2).map((s) => s.kernel)).toEqual(['conv2d+bias+relu', 'maxpool2d']);
      expect(explain).toContainEqual(expect.objectContaining({ kind: 'fused', kernel: 'conv2d+bias+relu', layer: 'c' }));
      const refusal = explain.find((e) => e.kind === 'refused')!;
      expect(refusal).toMatchObject({ kernel: 'conv2d+bias+relu+maxpool', layer: 'c', op: 'conv2d' });
      expect(refusal.reason).toMatch(reason);
    });
  }

  it('refuses in training plans, whose gradients read the unpooled values', () => {
    const { g, y, t } = convPool();
    const { plan, explain } = compileGraph(g.graph, 'M', trainConfig({ kind: 'mse', pred: y, target: t }), { target: 'cpu', fuse: true, training: true, verify: true });
    expect(plan!.forward.slice(0, 2).map((s) => s.kernel)).toEqual(['conv2d+bias+relu', 'maxpool2d']);
    const refusal = explain.find((e) => e.kind === 'refused')!;
    expect(refusal.kernel).toBe('conv2d+bias+relu+maxpool');
    expect(refusal.reason).toMatch(/also read by 'p' \(maxpool2d_grad\), 'c' \(relu_grad\): the pooled step keeps no unpooled values for the gradients/);
  });
});

describe('the pooled step on the CPU', () => {
  it("computes what the unfused conv2d, bias_add, relu and maxpool2d compute ('same' pooling where it pads nothing too)", async () => {
    const { createCpuExecutor } = await import('../../../runtime/cpu/index.js');
    const nets: Net[] = [{ map: [5, 7] }, { size: [2, 3], map: [5, 7] }, { activation: null, bias: false, map: [5, 7] }, { padding: 'same', map: [4, 6] }];
    for (const net of nets) {
      const [h, w] = [net.map![0] + 2, net.map![1] + 2];
      const x = { shape: [3, h, w, 2], dtype: 'f32' as const, data: Float32Array.from({ length: 3 * h * w * 2 }, (_, i) => Math.sin(i * 0.7)) };
      const results: HostTensor[] = [];
      for (const fuse of [true, false]) {
        const { plan, weights } = compileGraph(convPool(net).g.graph, 'M', null, { target: 'cpu', fuse, training: false });
        expect(plan!.forward.some((s) => s.kernel.endsWith('+maxpool'))).toBe(fuse);
        results.push((await createCpuExecutor(plan!, weights).infer({ x })).y!);
      }
      expect(results[0]!.shape).toEqual(results[1]!.shape);
      results[0]!.data.forEach((v, i) => expect(Math.abs(v - results[1]!.data[i]!)).toBeLessThan(1e-6));
    }
  });
});
