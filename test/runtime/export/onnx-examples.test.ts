import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';
import { compareWithOnnxRuntime, compiled } from './onnx-harness.js';

/** Every model of every example (a gan's generator and discriminator alike) runs in onnxruntime as in nnet. */
const EXAMPLES = readdirSync('examples').filter((f) => f.endsWith('.nnet')).sort();

describe('ONNX export of the examples, run in onnxruntime against nnet run (tolerance 1e-5)', () => {
  for (const file of EXAMPLES) {
    const source = readFileSync(`examples/${file}`, 'utf8');
    for (const model of checkSource(source).models.map((m) => m.name)) {
      it(`${file}: ${model}`, async () => {
        const { maxDiff } = await compareWithOnnxRuntime(compiled(source, { model, path: `examples/${file}` }), 7);
        expect(maxDiff).toBeLessThan(1e-5);
      });
    }
  }
});
