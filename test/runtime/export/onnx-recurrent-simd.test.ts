import { describe, expect, it } from 'vitest';
import { compareWithOnnxRuntime, compiled } from './onnx-harness.js';

/**
 * Recurrent layers whose units are a multiple of 4 run their forward cells on the WASM SIMD exp and
 * tanh (runtime/cpu/wasm/recurrent-simd.ts), and so do sigmoid and tanh as passes of their own: the
 * same 1e-5 against onnxruntime as the JS kernels are held to.
 */
const MODELS: Record<string, string> = {
  'lstm 8 units, sequences, then lstm 12, last state': `model M {
  input x: [batch, seq, 5]
  output y = x |> lstm(8, return_sequences: true) |> lstm(12)
}`,
  'gru 8 units, then gru reset_after 4 with a recurrent bias': `model M {
  input x: [batch, seq, 5]
  output y = x |> gru(8, return_sequences: true) |> gru(4, reset_after: true, recurrent_bias: normal(0.0, 0.5))
}`,
  'rnn 8 units, then sigmoid and tanh as passes': `model M {
  input x: [batch, seq, 5]
  h = rnn(x, 8)
  output y = tanh(sigmoid(h))
}`,
};

describe('ONNX export of recurrences on the SIMD cells (tolerance 1e-5)', () => {
  for (const [name, source] of Object.entries(MODELS)) {
    it(name, async () => {
      const { maxDiff } = await compareWithOnnxRuntime(compiled(source), 3);
      expect(maxDiff).toBeLessThan(1e-5);
    });
  }
});
