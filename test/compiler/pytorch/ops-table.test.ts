import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';
import { OPS } from '../../../compiler/ops/registry.js';
import { exportPytorch, PYTORCH_OPS, PytorchExportError } from '../../../compiler/pytorch/index.js';

describe('the PyTorch export table', () => {
  it('has an entry for every op of the language', () => {
    const missing = OPS.map((op) => op.name).filter((name) => !Object.hasOwn(PYTORCH_OPS, name));
    // A new op of the language is one entry in compiler/pytorch/ops.ts (PYTORCH_OPS, with a module in
    // python/layers.ts where no existing one fits) and a line in test/compiler/pytorch/all-ops.nnet.
    expect(missing, 'ops without a PyTorch export entry (compiler/pytorch/ops.ts)').toEqual([]);
  });

  it('refuses an op or an attribute it does not know, by name and line', () => {
    const text = 'model M {\n  input x: [batch, 4]\n  output y = dense(x, 2)\n}\n';
    const check = checkSource(text);
    const model = check.models[0]!;
    const node = model.graph.nodes.find((n) => n.op === 'dense')!;
    node.attrs.use_magic = true;
    expect(() => exportPytorch(check, model, text, 'm.nnet')).toThrow(/layer 'y' \(dense, m\.nnet:3:14\): dense's 'use_magic' has no PyTorch export yet/);
    node.op = 'frobnicate';
    expect(() => exportPytorch(check, model, text, 'm.nnet')).toThrow(PytorchExportError);
    expect(() => exportPytorch(check, model, text, 'm.nnet')).toThrow(/op 'frobnicate' has no PyTorch export yet/);
  });

  it('names every submodule after its nnet layer, so state_dict keys are nnet weight names', () => {
    const text = 'model M {\n  input x: [batch, 4]\n  h = x |> dense(3, relu) |> batchnorm\n  output y = dense(h, 2)\n}\n';
    const check = checkSource(text);
    const { files } = exportPytorch(check, check.models[0]!, text, 'm.nnet');
    const model = files.find((f) => f.path === 'model.py')!.text;
    expect(model).toContain('self._modules["h/dense"] = Dense(4, 3, bias=True, activation="relu")');
    expect(model).toContain('self._modules["h"] = BatchNorm(3, momentum=0.99, epsilon=0.001)');
    expect(model).toContain('self._modules["y"] = Dense(3, 2, bias=True, activation="linear")');
    expect(check.models[0]!.graph.params.map((p) => p.name)).toEqual(['h/dense.weight', 'h/dense.bias', 'h.gamma', 'h.beta', 'h.running_mean', 'h.running_var', 'y.weight', 'y.bias']);
  });
});
