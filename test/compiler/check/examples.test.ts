import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';
import { check, example } from './helpers.js';

const examples = readdirSync(new URL('../../../examples/', import.meta.url)).filter((f) => f.endsWith('.nnet'));

describe('examples', () => {
  it.each(examples)('%s checks clean and starts with a comment saying what it shows', (name) => {
    const text = example(name);
    expect(text.startsWith('//')).toBe(true);
    const result = check(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.models.every((m) => m.ok)).toBe(true);
  });

  it('seed: [batch,3] → [batch,4] → [batch,2], 26 parameters, literal weights in the IR', () => {
    const [seed] = check(example('seed.nnet')).models;
    expect(seed!.summary.map((r) => r.outputShape)).toEqual([['batch', 3], ['batch', 4], ['batch', 2]]);
    expect(seed!.totalParams).toBe(26);
    const weight = seed!.graph.params.find((p) => p.name === 'h.weight')!;
    expect(weight.init).toEqual({ kind: 'literal', values: [0.5, -0.6, 0.1, 0.7, -0.8, 0.2, -0.1, 0.9, -0.3, 0.3, 0.1, -0.4] });
    const dense = seed!.graph.nodes.find((n) => n.op === 'dense' && n.origin.layer === 'y')!;
    expect(dense.attrs).toEqual({ units: 2, activation: 'sigmoid' });
    expect(dense.inputs.map((i) => seed!.graph.nodes[i]!.op)).toEqual(['dense', 'param', 'param']);
  });

  it('digits-mlp: 784-512-256-10 with sparse cross-entropy from logits', () => {
    const [mlp] = check(example('digits-mlp.nnet')).models;
    expect(mlp!.totalParams).toBe(784 * 512 + 512 + 512 * 256 + 256 + 256 * 10 + 10);
    expect(mlp!.train).toMatchObject({ loss: { kind: 'cross_entropy', sparse: true, fromLogits: true }, epochs: 10, batch: 64, data: { source: 'digits' } });
  });

  it('fills values for hover: every layer with its op, params and FLOPs', () => {
    const text = example('seed.nnet');
    const hidden = check(text).values.find((v) => v.op === 'dense')!;
    expect(hidden).toMatchObject({ type: { shape: ['batch', 4] }, params: 16, inputTypes: [{ shape: ['batch', 3], dtype: 'f32' }], flopsPerSample: 4 * (2 * 3 + 1 + 4) });
  });

  it('checks a generated 1,000-layer model (its time is measured by bench/parse-check.mjs)', () => {
    const lines = ['model Deep {', '  input x: [batch, 32]', '  h0 = dense(x, 32, relu)'];
    for (let i = 1; i < 1000; i++) lines.push(`  h${i} = dense(h${i - 1}, 32, relu)`);
    lines.push('  output h999', '}');
    const text = lines.join('\n');
    const result = checkSource(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.models[0]!.summary).toHaveLength(1001);
  });
});
