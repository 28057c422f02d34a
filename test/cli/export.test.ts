import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'nnet-export-'));

describe('nnet export', () => {
  it('writes an ONNX model that onnxruntime runs to the seed output', async () => {
    const out = join(dir, 'seed.onnx');
    const { code, stderr } = await runCli(['export', 'examples/seed.nnet', '--format', 'onnx', '-o', out]);
    expect(code).toBe(0);
    expect(stderr).toContain(`wrote ${out} (Seed, ONNX opset 13`);
    const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(out)));
    const y = (await session.run({ x: new ort.Tensor('float32', Float32Array.of(0.7, -1.5, 0.2), [1, 3]) })).y!.data as Float32Array;
    expect(Math.abs(y[0]! - 0.60530524)).toBeLessThan(1e-6);
    expect(Math.abs(y[1]! - 0.65013656)).toBeLessThan(1e-6);
  });

  it('an unknown format is a usage error; -o is required', async () => {
    expect((await runCli(['export', 'examples/seed.nnet', '--format', 'tflite', '-o', join(dir, 'x')])).code).toBe(2);
    expect((await runCli(['export', 'examples/seed.nnet'])).code).toBe(2);
  });
});
