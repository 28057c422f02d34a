import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run-cli.js';
import { findTorchPython } from './python-with-torch.js';
import { trainBoth } from './train-both.js';

/**
 * PyTorch export of tied weights (one Parameter in two modules, as PyTorch users tie them; a
 * transposed tie reads it through a forward pre-hook) and of
 * the cross-entropies with label smoothing and class weights (nnet's formulas: runtime/plan/kernels.ts).
 * Each model trains full-batch, so every epoch is one step whatever the shuffle: train.py's weights
 * after three steps equal `nnet train`'s within 1e-5 (the tolerance of ddp.test.ts), and its test loss
 * within 2e-4. forward.test.ts compares the forward pass (tied.nnet) within 1e-5.
 */
const torch = findTorchPython();
const root = mkdtempSync(join(tmpdir(), 'nnet-pytorch-tied-'));


// A dense tied to a dense (b reads a.weight), sparse cross-entropy from logits, smoothed and weighted.
const TIED_CE = `model TiedSmooth {
  input features: [batch, 4]
  input label: [batch] int
  a = dense(features, 4, tanh)
  b = dense(a, 4, tanh, weight: tied(a))
  logits = dense(b, 3)
  output probs = softmax(logits)
  train {
    loss cross_entropy(logits, label, label_smoothing: 0.1, class_weights: [1, 2, 0.5])
    optimizer adam(lr: 0.05)
    epochs 3
    batch 120
    data iris
  }
}
`;

// Binary cross-entropy on probabilities (the clipped form), smoothed and weighted, plus the same from logits.
const BINARY = `model BinarySmooth {
  input x: [batch, 2]
  input target: [batch, 1]
  hidden = dense(x, 8, tanh)
  logit = dense(hidden, 1)
  output probability = sigmoid(logit)
  train {
    loss binary_cross_entropy(probability, target, from_logits: false, label_smoothing: 0.2, class_weights: [0.5, 3]) + 0.5 * binary_cross_entropy(logit, target, label_smoothing: 0.1, class_weights: [2, 1])
    optimizer sgd(lr: 0.5, momentum: 0.9)
    epochs 3
    batch 4
    data xor
  }
}
`;

// A tied-weights autoencoder: the decoder's weight is the encoder's, transposed (one Parameter).
const TIED_TRANSPOSE = `model TiedAe {
  input features: [batch, 4]
  code = dense(features, 2, tanh)
  output recon = dense(code, 4, weight: tied(code, transpose: true))
  train {
    loss mse(recon, features)
    optimizer adam(lr: 0.05)
    epochs 3
    batch 120
    data iris
  }
}
`;

async function compare(name: string, source: string, builtin: string): Promise<{ dir: string; nnet: Map<string, Float32Array> }> {
  const file = join(root, `${name}.nnet`);
  writeFileSync(file, source);
  const dir = join(root, name);
  const { printed, nnetStdout, nnet } = await trainBoth(torch.python!, file, dir, async () => {
    expect((await runCli(['data', 'export', builtin, join(dir, 'data', builtin)])).code).toBe(0);
  });
  const testLoss = (text: string): number => Number(/test loss: (\d+\.\d+)/.exec(text)![1]);
  expect(Math.abs(testLoss(printed) - testLoss(nnetStdout))).toBeLessThanOrEqual(2e-4);
  return { dir, nnet };
}

describe.skipIf(!torch.python)(`PyTorch export: tied weights, label smoothing and class weights (${torch.reason})`, () => {
  it("a tied dense and a smoothed, class-weighted cross-entropy: train.py's steps equal nnet train's within 1e-5", async () => {
    const { dir, nnet } = await compare('tied', TIED_CE, 'iris');
    expect(nnet.has('b.weight')).toBe(false);
    // In PyTorch the tie is one Parameter: state_dict() lists it under both names (the same storage),
    // a state_dict saved by torch loads strictly, and the optimizer sees it once.
    const check = execFileSync(
      torch.python!,
      [
        '-c',
        `import json, model
m = model.TiedSmooth.from_safetensors('torch.safetensors')
sd = m.state_dict()
m2 = model.TiedSmooth()
m2.load_state_dict(sd, strict=True)
print(json.dumps({'keys': sorted(sd), 'same': sd['b.weight'].data_ptr() == sd['a.weight'].data_ptr(), 'shared': m2._modules['b'].weight is m2._modules['a'].weight, 'parameters': len(list(m.parameters())), 'tied': m.TIED}))`,
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(JSON.parse(check)).toEqual({
      keys: ['a.bias', 'a.weight', 'b.bias', 'b.weight', 'logits.bias', 'logits.weight'],
      same: true,
      shared: true,
      parameters: 5,
      tied: { 'b.weight': 'a.weight' },
    });
  }, 300_000);

  it("a transposed tie (a tied-weights autoencoder): train.py's steps equal nnet train's; state_dict() holds the weight once", async () => {
    const { dir, nnet } = await compare('tied-transpose', TIED_TRANSPOSE, 'iris');
    expect([...nnet.keys()].sort()).toEqual(['code.bias', 'code.weight', 'recon.bias']);
    const check = execFileSync(
      torch.python!,
      ['-c', `import json, model
m = model.TiedAe.from_safetensors('torch.safetensors')
print(json.dumps({'keys': sorted(m.state_dict()), 'parameters': len(list(m.parameters())), 'transposed': m.TIED_TRANSPOSED}))`],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(JSON.parse(check)).toEqual({ keys: ['code.bias', 'code.weight', 'recon.bias'], parameters: 3, transposed: { 'recon.weight': 'code.weight' } });
  }, 300_000);

  it("binary cross-entropies with smoothing and class weights, on probabilities and on logits: train.py's steps equal nnet train's", async () => {
    await compare('binary', BINARY, 'xor');
  }, 300_000);
});
