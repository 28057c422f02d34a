import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSafetensors } from '../../runtime/weights/safetensors.js';
import { XOR_SOURCE } from '../runtime/train/helpers.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'nnet-compile-'));

describe('nnet compile', () => {
  it('writes a plan and its safetensors weights; --explain lists fused groups with file:line:col', async () => {
    const plan = join(dir, 'seed.plan.json');
    const { code, stdout, stderr } = await runCli(['compile', 'examples/seed.nnet', '-o', plan, '--explain']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      "examples/seed.nnet:5:7: fused matmul+bias+sigmoid (dense 'h')\nexamples/seed.nnet:12:7: fused matmul+bias+sigmoid (dense 'y')\n",
    );
    expect(stderr).toContain(`wrote ${plan}`);
    const doc = JSON.parse(readFileSync(plan, 'utf8'));
    expect(doc.format).toBe('nnet-plan');
    expect(doc.weights).toEqual({ file: 'seed.safetensors' });
    expect(doc.forward.map((s: { kernel: string }) => s.kernel)).toEqual(['matmul+bias+sigmoid', 'matmul+bias+sigmoid']);
    const weights = readSafetensors(new Uint8Array(readFileSync(join(dir, 'seed.safetensors'))));
    expect(Array.from(weights.tensors.get('h.bias')!.data)).toEqual(Array.from(Float32Array.of(0.1, -0.2, 0.3, 0.4)));
  });

  it('--embed-weights puts the weights into the plan as base64 safetensors and writes no weights file', async () => {
    const plan = join(dir, 'embedded.plan.json');
    const { code, stderr } = await runCli(['compile', 'examples/seed.nnet', '--target', 'webgpu', '--embed-weights', '-o', plan]);
    expect(code).toBe(0);
    expect(stderr).toContain('weights embedded');
    expect(existsSync(join(dir, 'embedded.safetensors'))).toBe(false);
    const doc = JSON.parse(readFileSync(plan, 'utf8'));
    expect(doc.target).toBe('webgpu');
    const weights = readSafetensors(new Uint8Array(Buffer.from(doc.weights.base64, 'base64')));
    expect(Array.from(weights.tensors.get('h.bias')!.data)).toEqual(Array.from(Float32Array.of(0.1, -0.2, 0.3, 0.4)));
  });

  it('--no-fuse keeps matmul, bias and activation apart', async () => {
    const plan = join(dir, 'unfused.plan.json');
    expect((await runCli(['compile', 'examples/seed.nnet', '-o', plan, '--no-fuse'])).code).toBe(0);
    const kernels = JSON.parse(readFileSync(plan, 'utf8')).forward.map((s: { kernel: string }) => s.kernel);
    expect(kernels).not.toContain('matmul+bias+sigmoid');
    expect(kernels.length).toBeGreaterThanOrEqual(6);
  });

  it('compiles the training steps of a model with a train section', async () => {
    const file = join(dir, 'xor.nnet');
    writeFileSync(file, XOR_SOURCE);
    expect((await runCli(['compile', file])).code).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, 'xor.plan.json'), 'utf8'));
    expect(doc.backward.length).toBeGreaterThan(0);
    expect(doc.update.length).toBeGreaterThan(0);
  });

  it('prints diagnostics and exits 1 for a model with errors; 2 for a bad target', async () => {
    const file = join(dir, 'broken.nnet');
    writeFileSync(file, 'model M {\n  input x: [batch, 3]\n  y = dense(x, 2, nosuch)\n  output y\n}\n');
    const { code, stderr } = await runCli(['compile', file]);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`${file.replace(/[.]/g, '\\.')}:3:\\d+: error NN\\d{4}`));
    expect((await runCli(['compile', 'examples/seed.nnet', '--target', 'tpu'])).code).toBe(2);
  });
});
