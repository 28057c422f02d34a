import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import { initialValues } from '../../../compiler/emit/init-weights.js';
import { validatePlan } from '../../../runtime/plan/validate.js';
import { LayerGraph, trainConfig } from '../layer-graph.js';

function deepMlp(layers: number) {
  const g = new LayerGraph();
  let h = g.input('x', ['batch', 8]);
  for (let i = 0; i < layers; i++) h = g.dense(`h${i}`, h, 8, 'tanh');
  g.output('y', h);
  const t = g.label('t', ['batch', 8]);
  return { g, y: h, t };
}

/** Simulates the plan and checks that no slot holds two live tensors at once. */
function assertNoOverlap(plan: NonNullable<ReturnType<typeof compileGraph>['plan']>): void {
  const steps = [...plan.forward, ...plan.backward, ...plan.update];
  const slotOwner = new Map<number, string>();
  const lastUse = new Map<string, number>();
  steps.forEach((s, i) => [...s.inputs, ...s.outputs].forEach((n) => lastUse.set(n, i)));
  for (const o of plan.outputs) lastUse.set(o.tensor, Infinity);
  const byName = new Map(plan.tensors.map((t) => [t.name, t]));
  steps.forEach((s, i) => {
    for (const name of s.inputs) {
      const t = byName.get(name)!;
      if (t.buffer !== undefined) expect(slotOwner.get(t.buffer), `step ${i} reads '${name}' after its slot was reused`).toBe(name);
    }
    for (const name of s.outputs) {
      const t = byName.get(name)!;
      if (t.buffer === undefined) continue;
      const owner = slotOwner.get(t.buffer);
      if (owner && owner !== name) expect(lastUse.get(owner)! < i, `'${name}' overwrites live '${owner}'`).toBe(true);
      slotOwner.set(t.buffer, name);
    }
  });
}

describe('emit: plan', () => {
  it('reuses buffers by lifetime in an inference plan: two slots for a chain, outputs kept', () => {
    const { g } = deepMlp(6);
    const { plan } = compileGraph(g.graph, 'Deep', null, { target: 'cpu', fuse: true, training: false });
    const pooled = plan!.tensors.filter((t) => t.buffer !== undefined);
    expect(pooled).toHaveLength(6);
    expect(plan!.memory!.bufferBytes.length).toBeLessThanOrEqual(3);
    assertNoOverlap(plan!);
    expect(plan!.memory!.peakBytes).toBe(plan!.memory!.bufferBytes.reduce((a, b) => a + b, 0) + 6 * (64 + 8) * 4 + 2 * 8 * 4); // + params + input and label at batch 1
  });

  it('keeps forward activations alive for the backward pass in training plans', () => {
    const { g, y, t } = deepMlp(4);
    const { plan } = compileGraph(g.graph, 'Deep', trainConfig({ kind: 'mse', pred: y, target: t }, { kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }), { target: 'cpu', fuse: true, training: true, verify: true });
    assertNoOverlap(plan!);
    expect(plan!.memory!.referenceBatch).toBe(4);
    expect(plan!.tensors.filter((t) => t.role === 'optimizer').map((t) => t.name)).toContain('h0.weight.m');
    expect(plan!.training!.lossSteps).toBe(1);
    expect(plan!.update.every((s) => s.kernel === 'adam_update')).toBe(true);
    expect(() => validatePlan(JSON.parse(JSON.stringify(plan)))).not.toThrow();
  });

  it('records source locations (line and column) when given the text', () => {
    const { g } = deepMlp(1);
    const text = 'model M {\n  input x: [batch, 8]\n  h0 = dense(x, 8, tanh)\n}';
    g.graph.nodes.find((n) => n.op === 'dense')!.origin.range = { start: text.indexOf('dense'), end: text.indexOf('dense') + 5 };
    const { plan } = compileGraph(g.graph, 'M', null, { target: 'cpu', fuse: true, training: false, text });
    expect(plan!.forward[0]!.source).toEqual({ layer: 'h0', op: 'dense', line: 3, column: 8 });
  });

  it('initialises weights deterministically from the seed, per parameter name', () => {
    const a = initialValues({ kind: 'glorot_uniform' }, [4, 3], 7, 'h.weight');
    const b = initialValues({ kind: 'glorot_uniform' }, [4, 3], 7, 'h.weight');
    const c = initialValues({ kind: 'glorot_uniform' }, [4, 3], 8, 'h.weight');
    expect([...a]).toEqual([...b]);
    expect([...a]).not.toEqual([...c]);
    const limit = Math.sqrt(6 / (3 + 4));
    expect(a.every((v) => Math.abs(v) <= limit)).toBe(true);
    const normal = initialValues({ kind: 'he_normal' }, [200, 50], 1, 'w');
    const std = Math.sqrt(normal.reduce((s, v) => s + v * v, 0) / normal.length);
    expect(Math.abs(std - Math.sqrt(2 / 50))).toBeLessThan(0.01);
  });
});

describe('emit: webgpu target', () => {
  it('is the same plan plus a program per step, and it validates', () => {
    const { g } = deepMlp(2);
    const { plan, diagnostics } = compileGraph(g.graph, 'Deep', null, { target: 'webgpu', fuse: true, training: false });
    expect(diagnostics).toEqual([]);
    expect(plan!.target).toBe('webgpu');
    expect(plan!.forward.every((s) => s.program !== undefined && plan!.programs[s.program] !== undefined)).toBe(true);
    expect(() => validatePlan(JSON.parse(JSON.stringify(plan)))).not.toThrow();
  });
});
