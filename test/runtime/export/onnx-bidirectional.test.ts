import { describe, expect, it } from 'vitest';
import type { HostTensor } from '../../../runtime/tensor.js';
import { compareWithOnnxRuntime, compiled } from './onnx-harness.js';
import { SEQUENCE_LENGTH } from './random-models.js';

/**
 * Bidirectional recurrences lower to a reversed read of the sequence over its symbolic length,
 * exported as a Slice whose end is computed at run time (below 0 → through index 0). Every merge
 * mode, every recurrent kind, both GRU forms.
 */
const MODELS: Record<string, string> = {
  'lstm concat, last state': `model M {
  input x: [batch, seq, 5]
  output y = lstm(x, 6, bidirectional: concat)
}`,
  'gru reset_after sum, sequences': `model M {
  input x: [batch, seq, 5]
  output y = gru(x, 4, return_sequences: true, reset_after: true, bidirectional: sum)
}`,
  'gru mul, rnn ave': `model M {
  input x: [batch, seq, 5]
  g = gru(x, 4, return_sequences: true, bidirectional: mul)
  output y = rnn(g, 3, bidirectional: ave)
}`,
};

describe('ONNX export of bidirectional recurrences (tolerance 1e-5)', () => {
  for (const [name, source] of Object.entries(MODELS)) {
    it(name, async () => {
      const { maxDiff } = await compareWithOnnxRuntime(compiled(source), 3);
      expect(maxDiff).toBeLessThan(1e-5);
    });
  }
});

/**
 * Masked recurrences: ONNX's sequence_lens (the mask's lengths) and ReverseSequence for the reverse
 * direction. Rows of lengths 16, 9 and 1 of the 16 steps (batch 3), as an int and as a float mask.
 */
const LENGTHS = [SEQUENCE_LENGTH, 9, 1];
function paddedMask(dtype: 'i32' | 'f32'): HostTensor {
  const values = LENGTHS.flatMap((length) => Array.from({ length: SEQUENCE_LENGTH }, (_, t) => (t < length ? 1 : 0)));
  return { shape: [LENGTHS.length, SEQUENCE_LENGTH], dtype, data: dtype === 'i32' ? Int32Array.from(values) : Float32Array.from(values) };
}

const MASKED: Record<string, [string, 'i32' | 'f32']> = {
  'masked lstm concat, sequences (int mask)': [`model M {
  input x: [batch, seq, 5]
  input mask: [batch, seq] int
  output y = lstm(x, 6, return_sequences: true, mask: mask, bidirectional: concat)
}`, 'i32'],
  'masked gru reset_after ave, last state (float mask)': [`model M {
  input x: [batch, seq, 5]
  input mask: [batch, seq]
  output y = gru(x, 4, reset_after: true, mask: mask, bidirectional: ave)
}`, 'f32'],
  'masked rnn, then masked gru: last states': [`model M {
  input x: [batch, seq, 5]
  input mask: [batch, seq] int
  r = rnn(x, 3, return_sequences: true, mask: mask)
  output y = gru(r, 4, mask: mask, bidirectional: sum)
}`, 'i32'],
};

describe('ONNX export of masked recurrences (sequence_lens, ReverseSequence; tolerance 1e-5)', () => {
  for (const [name, [source, dtype]] of Object.entries(MASKED)) {
    it(name, async () => {
      const { maxDiff } = await compareWithOnnxRuntime(compiled(source), 3, {}, { mask: paddedMask(dtype) });
      expect(maxDiff).toBeLessThan(1e-5);
    });
  }
});
