import { describe, expect, it } from 'vitest';
import { resolveCpuKernel } from '../../../runtime/cpu/kernel-registry.js';

/**
 * The scans' forward passes against the cell equations written out by hand (one unit, two steps),
 * so gate order (LSTM i, f, g, o; GRU r, z, n) is pinned independently of the gradient checks.
 */
const ctx = { training: true, lr: 0, step: 0, seed: 0 };
const σ = (x: number): number => 1 / (1 + Math.exp(-x));

function run(kernel: string, xw: number[], wHh: number[], stored: number, sequences: boolean) {
  const steps = 2;
  const y = new Float32Array(sequences ? steps : 1);
  const saved = new Float32Array(steps * stored);
  resolveCpuKernel(kernel)(
    ctx,
    [{ shape: [1, steps, xw.length / steps], data: Float32Array.from(xw) }, { shape: [wHh.length, 1], data: Float32Array.from(wHh) }],
    [{ shape: sequences ? [1, steps, 1] : [1, 1], data: y }, { shape: [1, steps, stored], data: saved }],
    { units: 1, return_sequences: sequences },
  );
  return [...y];
}

describe('recurrent forward passes', () => {
  it('lstm follows i, f, g, o', () => {
    const xw = [0.1, 0.2, 0.3, 0.4, -0.5, 0.6, -0.7, 0.8];
    const w = [0.5, -0.4, 0.3, 0.2];
    let h = 0;
    let c = 0;
    const hs: number[] = [];
    for (let t = 0; t < 2; t++) {
      const a = [0, 1, 2, 3].map((k) => xw[t * 4 + k]! + w[k]! * h);
      c = σ(a[1]!) * c + σ(a[0]!) * Math.tanh(a[2]!);
      h = σ(a[3]!) * Math.tanh(c);
      hs.push(h);
    }
    run('lstm_scan', xw, w, 6, true).forEach((v, i) => expect(v).toBeCloseTo(hs[i]!, 6));
    expect(run('lstm_scan', xw, w, 6, false)[0]).toBeCloseTo(hs[1]!, 6);
  });

  it('gru follows r, z, n with the reset gate on the recurrent candidate', () => {
    const xw = [0.1, -0.2, 0.3, 0.4, 0.5, -0.6];
    const w = [0.7, -0.3, 0.9];
    let h = 0;
    const hs: number[] = [];
    for (let t = 0; t < 2; t++) {
      const r = σ(xw[t * 3]! + w[0]! * h);
      const z = σ(xw[t * 3 + 1]! + w[1]! * h);
      const n = Math.tanh(xw[t * 3 + 2]! + r * (w[2]! * h));
      h = (1 - z) * n + z * h;
      hs.push(h);
    }
    run('gru_scan', xw, w, 5, true).forEach((v, i) => expect(v).toBeCloseTo(hs[i]!, 6));
  });

  it('rnn is tanh(xw + w_hh·h)', () => {
    const h1 = Math.tanh(0.3);
    const h2 = Math.tanh(-0.2 + 0.5 * h1);
    expect(run('rnn_scan', [0.3, -0.2], [0.5], 1, true).map((v) => +v.toFixed(6))).toEqual([+h1.toFixed(6), +h2.toFixed(6)]);
  });
});
