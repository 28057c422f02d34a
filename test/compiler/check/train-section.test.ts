import { describe, expect, it } from 'vitest';
import { check, codes } from './helpers.js';

const classifier = (train: string, extra = '') => `model C {
  input x: [batch, 4]
  input label: [batch] int
  input onehot: [batch, 3]
  logits = dense(x, 3)${extra}
  output probs = softmax(logits)
  train {
${train}
  }
}
`;

describe('train section', () => {
  it('fills every default', () => {
    const result = check(classifier('    loss cross_entropy(logits, label)\n    metrics onehot_unused_guard'.replace('\n    metrics onehot_unused_guard', '')));
    const train = result.models[0]!.train!;
    expect(train).toMatchObject({
      loss: { kind: 'cross_entropy', fromLogits: true, sparse: true, delta: 1 },
      optimizer: { kind: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
      schedule: null,
      regularize: { l1: 0, l2: 0 },
      augment: [],
      earlyStopping: null,
      epochs: 10,
      batch: 32,
      validation: 0,
      metrics: [],
      seed: 42,
      data: null,
    });
    const graph = result.models[0]!.graph;
    expect(graph.nodes[train.loss.pred]!.origin.layer).toBe('logits');
    expect(graph.nodes[train.loss.target]!.attrs).toEqual({ name: 'label' });
  });

  it('reads every setting', () => {
    const train = check(classifier(`    loss cross_entropy(logits, onehot, from_logits: true)
    optimizer sgd(lr: 0.1, momentum: 0.9, nesterov: true)
    schedule cosine(min_lr: 1e-5)
    regularize l1(1e-5), l2(1e-4)
    augment noise(0.05)
    epochs 3  batch 8  validation 0.2  seed 1
    early_stopping(monitor: val_accuracy, patience: 2)
    metrics accuracy, mae
    data csv("iris.csv", label: "species")`)).models[0]!.train!;
    expect(train).toMatchObject({
      loss: { sparse: false },
      optimizer: { kind: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true },
      schedule: { kind: 'cosine', epochs: null, minLr: 1e-5, per: 'epoch' },
      warmup: 0,
      clip: { value: null, norm: null },
      regularize: { l1: 1e-5, l2: 1e-4 },
      augment: [{ kind: 'noise', std: 0.05, input: null }],
      earlyStopping: { monitor: 'val_accuracy', patience: 2, minDelta: 0, restoreBest: true },
      epochs: 3,
      batch: 8,
      validation: 0.2,
      seed: 1,
      metrics: [expect.objectContaining({ name: 'accuracy', key: 'accuracy' }), expect.objectContaining({ name: 'mae', key: 'mae' })],
      data: { source: 'iris.csv', options: { label: 'species' } },
    });
  });

  it('reads warmup, per-step schedules, one_cycle and gradient clipping', () => {
    const train = check(classifier(`    loss cross_entropy(logits, label)
    schedule cosine(min_lr: 1e-5, per: step)
    warmup 100
    clip norm(1.0), value(0.5)`)).models[0]!.train!;
    expect(train).toMatchObject({ schedule: { kind: 'cosine', per: 'step' }, warmup: 100, clip: { norm: 1, value: 0.5 } });
    const cycle = check(classifier('    loss cross_entropy(logits, label)\n    schedule one_cycle(pct_start: 0.25)')).models[0]!.train!;
    expect(cycle.schedule).toEqual({ kind: 'one_cycle', pctStart: 0.25, div: 25, finalDiv: 1e4 });
    const bad = check(classifier('    loss cross_entropy(logits, label)\n    clip norm(0), nrom(1)\n    warmup -3\n    schedule step(per: hour)')).diagnostics;
    expect(bad.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)).toEqual([
      'NN3005 max of norm must be > 0, got 0',
      "NN3003 unknown clipping 'nrom'; did you mean 'norm'?",
      expect.stringMatching(/^NN3005 warmup must be a whole number ≥ 0, got -3/),
      expect.stringMatching(/^NN2008 .*per.*/),
    ]);
  });

  it('checks that the loss inputs fit', () => {
    const mse = check(classifier('    loss mse(logits, label)')).diagnostics.find((d) => d.code === 'NN3004')!;
    expect(mse.message).toBe('mse: prediction and target need equal shapes, got [batch, 3] and [batch]');
    expect(mse.related).toHaveLength(2);
    const sparse = check(classifier('    loss cross_entropy(logits, label)').replace('label: [batch] int', 'label: [batch, 3] int')).diagnostics;
    expect(sparse.map((d) => d.message)).toContain('cross_entropy: int class labels need shape [batch] (the prediction [batch, 3] without its class axis), got [batch, 3]');
    expect(codes(classifier('    loss mse(logits, probs)'))).toContain('NN3010');
  });

  it('checks hyper-parameter ranges', () => {
    const messages = check(classifier(`    loss cross_entropy(logits, label)
    optimizer adam(lr: 0, beta2: 1)
    epochs 2.5
    batch 0
    validation 1`)).diagnostics.filter((d) => d.code === 'NN3005').map((d) => d.message);
    expect(messages).toEqual([
      'lr of adam must be > 0, got 0',
      'beta2 of adam must be in [0, 1), got 1',
      'epochs must be a positive whole number, got 2.5',
      'batch must be a positive whole number, got 0',
      'validation must be in [0, 1), got 1',
    ]);
  });

  it('warns about a softmax output read as logits, with a fix', () => {
    const text = classifier('    loss cross_entropy(probs, label)');
    const d = check(text).diagnostics.find((x) => x.code === 'NN3006')!;
    expect(d.message).toBe("'probs' is already a softmax output, but cross_entropy reads logits (from_logits: true)");
    const edit = d.fix!.edits[0]!;
    const fixed = text.slice(0, edit.range.start) + edit.newText + text.slice(edit.range.end);
    expect(fixed).toContain('loss cross_entropy(probs, label, from_logits: false)');
    expect(codes(fixed).filter((c) => c.startsWith('NN3'))).toEqual([]);
  });

  it('warns about sigmoid into multi-class cross-entropy', () => {
    expect(codes(classifier('    loss cross_entropy(logits, label, from_logits: false)', ' |> sigmoid'))).toContain('NN3007');
  });

  it('reports unknown, duplicate and malformed settings and a missing loss', () => {
    expect(codes(classifier('    loss cross_entropy(logits, label)\n    epoch 3'))).toContain('NN3002');
    expect(codes(classifier('    loss cross_entropy(logits, label)\n    epochs 3\n    epochs 4'))).toContain('NN3008');
    expect(codes(classifier('    loss cross_entropy(logits, label)\n    epochs ten'))).toContain('NN3009');
    expect(codes(classifier('    epochs 3'))).toContain('NN3001');
    expect(codes(classifier('    loss cross_entropy(logits, label)\n    augment flip'))).toContain('NN3012');
    expect(codes(classifier('    loss cross_entropy(logits, label)\n    early_stopping(patience: 2)'))).toContain('NN3011');
  });
});

describe('gan', () => {
  const gan = (generatorOut: string, train = '') => `model G {
  input z: [batch, 8]
  output image = dense(z, ${generatorOut})
}
model D {
  input image: [batch, 16]
  output score = dense(image, 1)
}
gan Pair {
  generator G
  discriminator D
  ${train}
}
`;
  it('builds a GanConfig', () => {
    const result = check(gan('16', 'train { epochs 3  batch 4  data digits }'));
    expect(result.diagnostics).toEqual([]);
    expect(result.gans[0]).toMatchObject({ generator: 'G', discriminator: 'D', latentInput: 'z', sampleInput: 'image', epochs: 3, batch: 4, optimizer: { kind: 'adam', lr: 2e-4, beta1: 0.5 } });
  });
  it('checks that the generator output fits the discriminator input', () => {
    expect(check(gan('12')).diagnostics.map((d) => d.code)).toEqual(['NN2024']);
  });
});
