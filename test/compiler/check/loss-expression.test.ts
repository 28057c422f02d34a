import { describe, expect, it } from 'vitest';
import { check, covered } from './helpers.js';

/** Two heads on one trunk, and a [1, 1] scalar `r` the model computes from its own input `c`. */
const heads = (loss: string, extra = '') => `model Heads {
  input x: [batch, 4]
  input c: [1, 3]
  input label: [batch] int
  input target: [batch, 2]
  h = dense(x, 8, relu)
  logits = dense(h, 3)
  out = dense(h, 2)
  r = dense(c, 1, sigmoid)
  output probs = softmax(logits)
  output out
  output r
  train {
    loss ${loss}${extra}
  }
}
`;

function errors(text: string): Array<{ code: string; message: string; at: string }> {
  return check(text).diagnostics.filter((d) => d.severity === 'error').map((d) => ({ code: d.code, message: d.message, at: covered(text, d.range) }));
}

describe('the loss expression', () => {
  it('reads a weighted sum of losses and scalar model values into terms, in writing order', () => {
    const text = heads('cross_entropy(logits, label) + 0.5 * mse(out, target) - r / 4 + huber(out, target, delta: 2) * 2');
    const result = check(text);
    expect(errors(text)).toEqual([]);
    const train = result.models[0]!.train!;
    const graph = result.models[0]!.graph;
    const layer = (node: number) => graph.nodes[node]!.origin.layer;
    expect(train.losses.map((t) => (t.kind === 'value' ? ['value', layer(t.value), t.weight] : [t.kind, layer(t.pred), t.weight]))).toEqual([
      ['cross_entropy', 'logits', 1],
      ['mse', 'out', 0.5],
      ['value', 'r', -0.25],
      ['huber', 'out', 2],
    ]);
    expect(train.loss).toMatchObject({ kind: 'cross_entropy', sparse: true });
  });

  it('takes constant weights from lets and arithmetic, and unary minus', () => {
    const text = heads('mse(out, target) + -(beta * 2) * r', '').replace('  h = dense', '  let beta = 0.25\n  h = dense');
    expect(errors(text)).toEqual([]);
    expect(check(text).models[0]!.train!.losses.map((t) => t.weight)).toEqual([1, -0.5]);
  });

  it('refuses what is not a weighted sum, at the offending part, with NN3013', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['mse(out, target) * mse(out, target)', 'mse(out, target)', /multiplies two losses/],
      ['mse(out, target) + h', 'h', /term 'h' must be a float scalar, got shape \[batch, 8\]; reduce it/],
      ['mse(out, target) + 3', '3', /constant term/],
      ['mse(out, target) / mse(out, target)', 'mse(out, target)', /divides by a loss/],
      ['mse(out, target) / 0', '0', /divides a term by zero/],
      ['r', 'r', /needs at least one loss function/],
      ['mse(out, target) + r * out', 'r * out', /combines tensor 'r' and tensor 'out'/],
      ['r * mse(out, target)', 'r', /weights a term by tensor 'r'; weights are constants/],
    ];
    for (const [loss, at, message] of cases) {
      const found = errors(heads(loss));
      expect(found, loss).toHaveLength(1);
      expect(found[0], loss).toMatchObject({ code: 'NN3013', at });
      expect(found[0]!.message, loss).toMatch(message);
    }
  });

  it('checks each loss of the sum as a single loss is checked (shapes, unknown names with did-you-mean)', () => {
    expect(errors(heads('cross_entropy(logits, label) + mse(out, label)')).map((e) => e.code)).toEqual(['NN3004']);
    const unknown = errors(heads('cross_entropy(logits, label) + mes(out, target)'));
    expect(unknown).toMatchObject([{ code: 'NN3003', at: 'mes' }]);
    expect(unknown[0]!.message).toMatch(/did you mean 'mse'/);
  });

  it('reads label smoothing and class weights, and checks them', () => {
    const text = heads('cross_entropy(logits, label, label_smoothing: 0.1, class_weights: [1, 2, 0.5])');
    expect(errors(text)).toEqual([]);
    expect(check(text).models[0]!.train!.loss).toMatchObject({ smoothing: 0.1, classWeights: [1, 2, 0.5] });
    expect(errors(heads('cross_entropy(logits, label, class_weights: [1, 2])'))).toMatchObject([{ code: 'NN3004', at: '[1, 2]', message: "cross_entropy: class_weights has 2 values; expected 3, one per class of 'logits'" }]);
    expect(errors(heads('cross_entropy(logits, label, label_smoothing: 1)'))).toMatchObject([{ code: 'NN3005' }]);
    expect(errors(heads('cross_entropy(logits, label, class_weights: [1, -2, 1])'))).toMatchObject([{ code: 'NN3005' }]);
    expect(errors(heads('mse(out, target, label_smoothing: 0.1)'))).toMatchObject([{ code: 'NN2007' }]);
  });

  it('is one setting: a second loss line is still NN3008', () => {
    const text = heads('mse(out, target)', '\n    loss cross_entropy(logits, label)');
    expect(errors(text).map((e) => e.code)).toEqual(['NN3008']);
  });
});

describe('metrics', () => {
  it('default to the first loss\'s prediction and target, and name their own with arguments', () => {
    const text = heads('cross_entropy(logits, label) + mse(out, target)', '\n    metrics accuracy, f1, precision, recall, top_k_accuracy(k: 2), mae(out, target), loss');
    expect(errors(text)).toEqual([]);
    const result = check(text);
    const graph = result.models[0]!.graph;
    const metrics = result.models[0]!.train!.metrics.map((m) => [m.key, graph.nodes[m.prediction]!.origin.layer, graph.nodes[m.target]!.origin.layer]);
    expect(metrics).toEqual([
      ['accuracy', 'logits', 'label'],
      ['f1', 'logits', 'label'],
      ['precision', 'logits', 'label'],
      ['recall', 'logits', 'label'],
      ['top2_accuracy', 'logits', 'label'],
      ['mae(out)', 'out', 'target'],
    ]);
  });

  it('refuse an unknown metric with did-you-mean', () => {
    const found = errors(heads('mse(out, target)', '\n    metrics acuracy'));
    expect(found).toMatchObject([{ code: 'NN3003', at: 'acuracy' }]);
  });
});
