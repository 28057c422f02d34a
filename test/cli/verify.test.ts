import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../cli/cli-error.js';
import { openTarget } from '../../cli/verify-targets.js';
import { writeWeightsFile } from '../../cli/weights-io.js';
import { testDevice } from '../runtime/webgpu/gpu.js';
import { compileProbe, PROBE, withWrongAdd } from '../runtime/verify/verify-model.js';
import { findTorchPython } from '../compiler/pytorch/python-with-torch.js';
import { runCli } from './run-cli.js';

/**
 * `nnet verify`: passing runs on examples against ONNX (onnxruntime-web), WebGPU (lavapipe; skipped
 * without an adapter) and PyTorch (Debian's python3-torch; skipped without a python that has torch),
 * the table and the exit code 1 with an injected wrong CPU kernel, and the refusals: an unknown target,
 * a model ONNX cannot export, no WebGPU adapter, no torch, a plan for PyTorch.
 */
const gpu = await testDevice();
const torch = findTorchPython();
if (!torch.python) console.warn(`nnet verify --against pytorch tests skipped: ${torch.reason}`);
const withTorch = { env: { NNET_PYTHON: torch.python ?? undefined } };
const dir = mkdtempSync(join(tmpdir(), 'nnet-verify-'));
const probe = join(dir, 'probe.nnet');
writeFileSync(probe, PROBE);

describe('nnet verify', () => {
  for (const example of ['seed', 'iris', 'digits-cnn', 'sequence-lstm', 'tiny-transformer']) {
    it(`${example} agrees with ONNX, layer by layer`, async () => {
      const { code, stdout } = await runCli(['verify', `examples/${example}.nnet`, '--against', 'onnx']);
      expect(code, stdout).toBe(0);
      expect(stdout).toMatch(/^verify \w+: CPU vs ONNX \(onnxruntime-web [\d.]+\) on a random input \(seed 1; batch 2(, seq 6)?\), tolerance 1e-5 × max\(1, \|value\|\)\n/);
      expect(stdout).toMatch(/\d+ layers? within the tolerance 1e-5\n$/);
      expect(stdout).not.toContain('not compared');
    });
  }

  for (const example of ['seed', 'digits-cnn', 'sequence-lstm', 'tiny-transformer']) {
    it.skipIf(!gpu)(`${example} agrees with WebGPU, layer by layer (the default target)`, async () => {
      const { code, stdout } = await runCli(['verify', `examples/${example}.nnet`]);
      expect(code, stdout).toBe(0);
      expect(stdout).toMatch(/CPU vs WebGPU \(.*\) on a random input .*tolerance 1e-4/);
      expect(stdout).not.toContain('FAIL');
    });
  }

  for (const example of ['seed', 'sequence-lstm', 'tiny-transformer']) {
    it.skipIf(!torch.python)(`${example} agrees with PyTorch (the exported model.py), layer by layer`, async () => {
      const { code, stdout } = await runCli(['verify', `examples/${example}.nnet`, '--against', 'pytorch'], withTorch);
      expect(code, stdout).toBe(0);
      expect(stdout).toMatch(/CPU vs PyTorch \(torch [^,]+, .*\) on a random input .*tolerance 1e-5/);
      expect(stdout).not.toContain('FAIL');
      expect(stdout).not.toContain('not compared');
    });
  }

  it.skipIf(!torch.python)('against PyTorch an activation layer fused into the dense before it keeps its own row', async () => {
    const file = join(dir, 'fused.nnet');
    writeFileSync(file, 'model Fused {\n  input x: [batch, 3]\n  h = dense(x, 4)\n  r = h |> relu\n  output y = dense(r, 2)\n}\n');
    const { code, stdout } = await runCli(['verify', file, '--against', 'pytorch'], withTorch);
    expect(code, stdout).toBe(0);
    expect(stdout.split('\n').filter((l) => /^(h|r|y) /.test(l)).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['h dense', 'r relu', 'y dense']);
  });

  it.skipIf(!torch.python)('a wrong CPU kernel against PyTorch: the same layer first', async () => {
    const { code, stdout } = await withWrongAdd(1e-3, () => runCli(['verify', probe, '--against', 'pytorch'], withTorch));
    expect(code).toBe(1);
    expect(stdout).toMatch(/past the tolerance 1e-5; the first is add 's' at .*probe\.nnet:4:7\n$/);
  });

  it('PyTorch refusals: a plan file (NNR7204), no python3 with torch (NNR7202)', async () => {
    const plan = join(dir, 'seed.plan.json');
    expect((await runCli(['compile', 'examples/seed.nnet', '-o', plan])).code).toBe(0);
    const fromPlan = await runCli(['verify', plan, '--against', 'pytorch']);
    expect(fromPlan.code).toBe(1);
    expect(fromPlan.stderr).toMatch(/error NNR7204: --against pytorch needs the \.nnet file/);
    const noTorch = await runCli(['verify', 'examples/seed.nnet', '--against', 'pytorch'], { env: { NNET_PYTHON: join(dir, 'no-such-python') } });
    expect(noTorch.code).toBe(1);
    expect(noTorch.stderr.trim().split('\n')).toHaveLength(1);
    expect(noTorch.stderr).toMatch(/error NNR7202: .*imports torch.*scripts\/install-torch\.sh/);
  });

  it('the seed network: one row per layer with its source place, on the given input and weights', async () => {
    const weights = join(dir, 'seed.safetensors');
    const { code, stdout } = await runCli(['verify', 'examples/seed.nnet', '--against', 'onnx', '--input', '[[0.7, -1.5, 0.2]]']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toContain('on the given input');
    expect(lines[1]).toMatch(/^layer\s+op\s+source\s+max abs\s+max rel$/);
    expect(lines[2]).toMatch(/^h\s+dense\s+examples\/seed\.nnet:5:7\s+\S+\s+\S+\s+ok$/);
    expect(lines[3]).toMatch(/^y\s+dense\s+examples\/seed\.nnet:12:7\s+\S+\s+\S+\s+ok$/);
    expect(lines[4]).toBe('2 layers within the tolerance 1e-5');
    // Weights from a file replace the seeded ones, checked against the plan like nnet run's.
    writeWeightsFile(weights, new Map([['h.weight', { shape: [1], dtype: 'f32', data: Float32Array.of(1) }]]));
    const bad = await runCli(['verify', 'examples/seed.nnet', '--against', 'onnx', '--weights', weights]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/error NNR1102: weights do not match the plan:[\s\S]*h\.weight/);
  });

  it('a wrong CPU kernel: the layer that runs it is marked first, exit code 1', async () => {
    const { code, stdout } = await withWrongAdd(1e-3, () => runCli(['verify', probe, '--against', 'onnx']));
    expect(code).toBe(1);
    const rows = stdout.split('\n').filter((l) => /^(h|s\/dense|s|y|probs) /.test(l));
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(['h', 's/dense', 's', 'y', 'probs']);
    expect(rows[0]).toMatch(/ok$/);
    expect(rows[1]).toMatch(/ok$/);
    expect(rows[2]).toMatch(new RegExp(`^s\\s+add\\s+${probe.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:4:7\\s+1\\.0e-3\\s+\\S+\\s+FAIL  <- first past the tolerance$`));
    expect(stdout).toMatch(new RegExp(`\\d of 5 layers past the tolerance 1e-5; the first is add 's' at .*probe\\.nnet:4:7\\n$`));
  });

  it.skipIf(!gpu)('a wrong CPU kernel against WebGPU: the same layer', async () => {
    const { code, stdout } = await withWrongAdd(1e-3, () => runCli(['verify', probe]));
    expect(code).toBe(1);
    expect(stdout).toMatch(/past the tolerance 1e-4; the first is add 's' at .*probe\.nnet:4:7\n$/);
  });

  it('a looser --tolerance lets the same difference pass', async () => {
    const { code } = await withWrongAdd(1e-3, () => runCli(['verify', probe, '--against', 'onnx', '--tolerance', '1e-2']));
    expect(code).toBe(0);
  });

  it('an unknown target is a usage error naming the targets', async () => {
    const { code, stderr } = await runCli(['verify', probe, '--against', 'tpu']);
    expect(code).toBe(2);
    expect(stderr).toContain('use one of webgpu, onnx, pytorch');
  });

  it('a model whose outputs are its inputs: nothing to compare, said plainly', async () => {
    const file = join(dir, 'identity.nnet');
    writeFileSync(file, 'model Identity {\n  input x: [batch, 3]\n  output x\n}\n');
    const { code, stdout } = await runCli(['verify', file, '--against', 'onnx']);
    expect(code).toBe(0);
    expect(stdout).toBe('verify Identity: nothing to compare, the model computes no layer (its outputs are its inputs)\n');
  });

  it('nnet --help lists it; its own help states the targets and their tolerances', async () => {
    expect((await runCli(['--help'])).stdout).toMatch(/verify \[options\] <model>\s+run a model on the CPU and on another target/);
    const help = (await runCli(['verify', '--help'])).stdout;
    expect(help).toContain('--against <target>');
    expect(help).toMatch(/webgpu 1e-4,\s+onnx 1e-5,\s+pytorch 1e-5/);
  });

  it('no WebGPU adapter: NNR6001 says how to get one, or to compare with ONNX', async () => {
    const { plan, weights } = compileProbe();
    const error = await openTarget('webgpu', plan, weights, { device: { dawnOptions: ['adapter=no-such-adapter-anywhere'] } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe('NNR6001');
    expect((error as CliError).message).toMatch(/scripts\/install-vulkan\.sh.*--against onnx/);
  });
});
