import { describe, expect, it } from 'vitest';
import { attentionKernels } from '../../../runtime/cpu/kernels/attention.js';
import { random } from './float-data.js';

/**
 * positional_encoding, whose table is kept between calls of the same [t, d], against the formula
 * (x + sin/cos of pos / 10000^(2⌊e/2⌋/d), rounded once to float32: exact equality), shapes changing
 * between calls so that a kept table of another shape would show.
 */
const ctx = { training: true, lr: 0, step: 0, seed: 0 };

describe('positional_encoding on the CPU', () => {
  for (const [n, t, d] of [[2, 5, 8], [3, 5, 8], [1, 7, 6], [2, 5, 8], [2, 4, 5]] as const) {
    it(`[${n}, ${t}, ${d}] equals the formula`, () => {
      const x = random(n * t * d, t + d);
      const y = new Float32Array(n * t * d);
      attentionKernels.positional_encoding(ctx, [{ shape: [n, t, d], data: x }], [{ shape: [n, t, d], data: y }], {});
      const want = new Float32Array(n * t * d);
      for (let b = 0; b < n; b++) {
        for (let pos = 0; pos < t; pos++) {
          for (let e = 0; e < d; e++) {
            const angle = pos / Math.pow(10000, (2 * Math.floor(e / 2)) / d);
            const i = (b * t + pos) * d + e;
            want[i] = x[i]! + (e % 2 === 0 ? Math.sin(angle) : Math.cos(angle));
          }
        }
      }
      expect(Array.from(y)).toEqual(Array.from(want));
    });
  }
});
