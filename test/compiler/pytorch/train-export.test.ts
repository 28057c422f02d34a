import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';
import { exportPytorch } from '../../../compiler/pytorch/index.js';

const text = readFileSync('examples/xor.nnet', 'utf8');

function trainConfigOf(source: string): Record<string, unknown> {
  const check = checkSource(source);
  const model = check.models[0]!;
  const train = exportPytorch(check, model, source, 'xor.nnet').files.find((f) => f.path === 'train.py')!.text;
  return JSON.parse(/CONFIG = json\.loads\(r'''([\s\S]*?)'''\)/.exec(train)![1]!) as Record<string, unknown>;
}

describe("train.py's settings", () => {
  it('carry the checked train section', () => {
    const config = trainConfigOf(text);
    expect(config.optimizer).toEqual({ kind: 'sgd', lr: 0.5, momentum: 0.9, nesterov: false });
    expect(config.losses).toEqual([{ kind: 'binary_cross_entropy', fromLogits: true, sparse: false, delta: 1, weight: 1, pred: { value: 'logit' }, target: { input: 'target' } }]);
    expect(config.metrics).toEqual([{ name: 'accuracy', key: 'accuracy', pred: { value: 'logit' }, target: { input: 'target' }, k: 5, decision: 0, classes: 1 }]);
    expect(config.data).toEqual({ source: 'data/xor', options: {} });
    expect([config.epochs, config.batch, config.seed]).toEqual([300, 4, 1]);
  });

  it('refuse a setting the loop does not reproduce, by name', () => {
    const check = checkSource(text);
    const model = check.models[0]!;
    (model.train as unknown as Record<string, unknown>).mystery = { every: 3 };
    expect(() => exportPytorch(check, model, text, 'xor.nnet')).toThrow("Xor: the train section's 'mystery' has no PyTorch export yet");
    const again = checkSource(text).models[0]!;
    again.train!.schedule = { kind: 'step', every: 5, gamma: 0.5, per: 'epoch', restart: true } as never;
    expect(() => exportPytorch(check, again, text, 'xor.nnet')).toThrow("Xor: the train section's schedule setting 'restart' has no PyTorch export yet");
  });
});
