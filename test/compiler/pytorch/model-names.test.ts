import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run-cli.js';
import { findTorchPython } from './python-with-torch.js';

/**
 * A model named like something model.py defines at its top level (`F` is torch.nn.functional,
 * `Dense` a layer class, `MODELS` the registry) gets a class name of its own instead of shadowing
 * it: `class F(nn.Module)` made every `F.linear` in the file fail ("type object 'F' has no
 * attribute 'linear'").
 */
const SOURCE = (name: string): string => `model ${name} {
  input x: [batch, 4]
  output y = x |> dense(3, relu)
}
`;
const torch = findTorchPython();

describe('PyTorch export: class names never shadow model.py\'s own names', () => {
  for (const name of ['F', 'Dense', 'MODELS', 'torch']) {
    it(`a model named ${name}`, async () => {
      const root = mkdtempSync(join(tmpdir(), 'nnet-pytorch-names-'));
      const file = join(root, 'm.nnet');
      writeFileSync(file, SOURCE(name));
      const out = join(root, 'out');
      const exported = await runCli(['export', file, '--format', 'pytorch', '-o', out]);
      expect(exported.code, exported.stderr).toBe(0);
      const model = readFileSync(join(out, 'model.py'), 'utf8').split('# ---- the models ----')[1] ?? '';
      expect(model).not.toContain(`class ${name}(nn.Module)`);
      expect(model).toContain(`class Model_${name}(nn.Module)`);
    });
  }

  it.skipIf(!torch.python)(`layers named like nn.Module's attributes (half, float, eval) run (${torch.reason})`, async () => {
    const root = mkdtempSync(join(tmpdir(), 'nnet-pytorch-names-'));
    const file = join(root, 'layers.nnet');
    writeFileSync(file, 'model M {\n  input x: [batch, 4]\n  half = dense(x, 3)\n  float = half |> relu\n  eval = dense(float, 2)\n  output y = eval |> tanh\n}\n');
    const verified = await runCli(['verify', file, '--against', 'pytorch'], { env: { NNET_PYTHON: torch.python! } });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });

  it.skipIf(!torch.python)(`the model named F runs in PyTorch and equals the CPU (${torch.reason})`, async () => {
    const root = mkdtempSync(join(tmpdir(), 'nnet-pytorch-names-'));
    const file = join(root, 'f.nnet');
    writeFileSync(file, SOURCE('F'));
    const verified = await runCli(['verify', file, '--against', 'pytorch'], { env: { NNET_PYTHON: torch.python! } });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });
});
