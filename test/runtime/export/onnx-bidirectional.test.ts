import { describe, expect, it } from 'vitest';
import { compareWithOnnxRuntime, compiled } from './onnx-harness.js';

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
