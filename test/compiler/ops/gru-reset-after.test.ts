import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../compiler/compile.js';
import { checkSource } from '../../../compiler/index.js';
import { CpuExecutor } from '../../../runtime/cpu/index.js';

/**
 * gru(..., reset_after: true): the GRU of Keras (reset_after=True) and PyTorch, with two biases.
 * Its outputs against torch.nn.GRU given the same weights (test/runtime/cpu/fixtures/gru-torch.py:
 * PyTorch's weight_ih, weight_hh, bias_ih, bias_hh are nnet's w_ih, w_hh, bias, recurrent_bias, gate
 * order r, z, n), and Keras' parameter counts.
 */
const torch = JSON.parse(readFileSync(new URL('../../runtime/cpu/fixtures/gru-torch.json', import.meta.url), 'utf8')) as Record<string, number[]>;
const check = (text: string) => checkSource(text, { path: 'test.nnet' });

function rows(values: number[], width: number): string {
  const out: string[] = [];
  for (let i = 0; i < values.length; i += width) out.push(`[${values.slice(i, i + width).join(', ')}]`);
  return `[${out.join(', ')}]`;
}

describe('gru with reset_after (two biases)', () => {
  it('matches torch.nn.GRU given the same weights, to 1e-5', async () => {
    const text = `model G {
  input x: [batch, 4, 2]
  output y = gru(x, 3, return_sequences: true, reset_after: true,
                 w_ih: ${rows(torch.w_ih!, 2)}, w_hh: ${rows(torch.w_hh!, 3)},
                 bias: [${torch.b_ih!.join(', ')}], recurrent_bias: [${torch.b_hh!.join(', ')}])
}
`;
    const result = check(text);
    expect(result.diagnostics).toEqual([]);
    const { plan, weights } = compileModel(result, 'G', { target: 'cpu', fuse: true, training: false });
    expect(plan!.forward.map((s) => s.kernel)).toContain('gru_reset_after_scan');
    const out = await new CpuExecutor(plan!, weights).infer({ x: { shape: [2, 4, 2], dtype: 'f32', data: Float32Array.from(torch.x!) } });
    expect(out.y!.shape).toEqual([2, 4, 3]);
    [...out.y!.data].forEach((v, i) => expect(Math.abs(v - torch.y![i]!), `element ${i}`).toBeLessThan(1e-5));
  });

  it("has Keras' parameter counts: GRU(64) on 32 features, 18,816 with reset_after, 18,624 without", () => {
    const result = check(`model M {
  input x: [batch, seq, 32]
  a = gru(x, 64, reset_after: true)
  b = gru(x, 64)
  c = gru(x, 64, reset_after: true, bias: false)
  output y = concat(a, b, c)
}
`);
    expect(result.diagnostics).toEqual([]);
    const params = (layer: string) => result.models[0]!.summary.find((r) => r.layer === layer)!.params;
    expect([params('a'), params('b'), params('c')]).toEqual([18_816, 18_624, 18_816 - 192]);
    const weights = result.models[0]!.graph.params.filter((p) => p.name.startsWith('a.')).map((p) => p.name);
    expect(weights).toEqual(['a.w_ih', 'a.w_hh', 'a.bias', 'a.recurrent_bias']);
  });

  it('trains on the CPU: 30 Adam steps lower the loss of a fixed batch by more than 5%', async () => {
    const text = `model T {
  input x: [batch, seq, 3]
  input t: [batch, 2]
  output y = x |> gru(5, reset_after: true) |> dense(2)
  train { loss mse(y, t)  optimizer adam(lr: 0.02) }
}
`;
    const { plan, weights } = compileModel(check(text), 'T', { target: 'cpu', fuse: true, training: true });
    const executor = new CpuExecutor(plan!, weights);
    const x = { shape: [4, 6, 3], dtype: 'f32' as const, data: Float32Array.from({ length: 72 }, (_, i) => Math.sin(i * 0.37)) };
    const t = { shape: [4, 2], dtype: 'f32' as const, data: Float32Array.from({ length: 8 }, (_, i) => Math.cos(i * 0.9)) };
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) losses.push((await executor.trainStep({ x, t }, { lr: 0.02, seed: step })).loss);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.95);
  });
});
