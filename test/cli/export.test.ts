import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { NNET_VERSION } from '../../cli/version.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'nnet-export-'));

describe('nnet export', () => {
  it('writes an ONNX model that onnxruntime runs to the seed output', async () => {
    const out = join(dir, 'seed.onnx');
    const { code, stderr } = await runCli(['export', 'examples/seed.nnet', '--format', 'onnx', '-o', out]);
    expect(code).toBe(0);
    expect(stderr).toContain(`wrote ${out} (Seed, ONNX opset 17`);
    const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(out)));
    const y = (await session.run({ x: new ort.Tensor('float32', Float32Array.of(0.7, -1.5, 0.2), [1, 3]) })).y!.data as Float32Array;
    expect(Math.abs(y[0]! - 0.60530524)).toBeLessThan(1e-6);
    expect(Math.abs(y[1]! - 0.65013656)).toBeLessThan(1e-6);
  });

  it("a gan exports its generator by default and by the gan's name, its discriminator by name; nnet's version is package.json's", async () => {
    for (const [args, model] of [[[], 'Generator'], [['--model', 'DigitsGan'], 'Generator'], [['--model', 'Discriminator'], 'Discriminator']] as const) {
      const out = join(dir, `${model}.onnx`);
      const { code, stderr } = await runCli(['export', 'examples/gan.nnet', '-o', out, ...args]);
      expect(code, stderr).toBe(0);
      expect(stderr).toContain(`(${model}, ONNX opset 17`);
      const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(out)));
      expect(session.inputNames).toEqual([model === 'Generator' ? 'z' : 'image']);
    }
    expect(NNET_VERSION).toBe((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
  });

  it('an unknown format is a usage error; -o is required', async () => {
    expect((await runCli(['export', 'examples/seed.nnet', '--format', 'tflite', '-o', join(dir, 'x')])).code).toBe(2);
    expect((await runCli(['export', 'examples/seed.nnet'])).code).toBe(2);
  });
});
