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
    // The doc string: the comment right above the generator; the producer version: nnet's.
    const generator = readFileSync(join(dir, 'Generator.onnx'));
    expect(generator.includes(Buffer.from('A GAN on digits: a generator from 32 latent numbers'))).toBe(true);
    expect(generator.includes(Buffer.from(`nnet\x1a\x05${NNET_VERSION}`, 'latin1'))).toBe(true);
    expect(NNET_VERSION).toBe((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
  });

  it('--expose adds intermediate values as graph outputs; a name the plan lacks is NNR7001', async () => {
    const out = join(dir, 'exposed.onnx');
    const compiled = join(dir, 'seed.json');
    expect((await runCli(['compile', 'examples/seed.nnet', '-o', compiled])).code).toBe(0);
    const plan = JSON.parse(readFileSync(compiled, 'utf8')) as { forward: Array<{ outputs: string[] }> };
    const inner = plan.forward[0]!.outputs[0]!;
    expect((await runCli(['export', 'examples/seed.nnet', '-o', out, '--expose', inner])).code).toBe(0);
    const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(out)));
    expect(session.outputNames).toEqual(['y', inner]);
    const bad = await runCli(['export', 'examples/seed.nnet', '-o', out, '--expose', 'nope']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("error NNR7001: no tensor 'nope' in the plan of Seed");
  });

  it('an unknown format is a usage error; -o is required', async () => {
    expect((await runCli(['export', 'examples/seed.nnet', '--format', 'tflite', '-o', join(dir, 'x')])).code).toBe(2);
    expect((await runCli(['export', 'examples/seed.nnet'])).code).toBe(2);
  });
});
