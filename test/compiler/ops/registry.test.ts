import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPS, SETTINGS, TRAIN_KEYS } from '../../../compiler/ops/registry.js';

describe('op registry', () => {
  it('has unique names, docs, shape rules and IR forms for every op', () => {
    const names = OPS.map((op) => op.name);
    expect(new Set(names).size).toBe(names.length);
    for (const op of OPS) {
      expect(op.doc.length, op.name).toBeGreaterThan(10);
      expect(op.shapeRule.length, op.name).toBeGreaterThan(0);
      expect(op.irForm, op.name).toMatch(/^inputs \[/);
      for (const p of op.params) expect(p.doc.length, `${op.name}.${p.name}`).toBeGreaterThan(0);
    }
  });

  it('covers the vocabulary of issue 2', () => {
    const names = new Set(OPS.map((op) => op.name));
    const vocabulary = 'dense conv1d conv2d maxpool1d maxpool2d avgpool1d avgpool2d global_avgpool global_maxpool flatten reshape dropout batchnorm layernorm embedding rnn lstm gru multi_head_attention positional_encoding add concat multiply step relu leaky_relu elu gelu sigmoid tanh softmax softplus silu linear';
    for (const name of vocabulary.split(' ')) expect(names.has(name), name).toBe(true);
    const settings = new Set(SETTINGS.map((s) => `${s.kind}:${s.name}`));
    for (const name of 'mse mae binary_cross_entropy cross_entropy huber kl_divergence'.split(' ')) expect(settings.has(`loss:${name}`)).toBe(true);
    for (const name of 'gd sgd adam adamw adagrad rmsprop'.split(' ')) expect(settings.has(`optimizer:${name}`)).toBe(true);
  });

  it('is documented op by op in docs/language.md', () => {
    const doc = readFileSync(new URL('../../../docs/language.md', import.meta.url), 'utf8');
    for (const op of OPS) expect(doc, op.name).toContain(`#### ${op.name}\n`);
    for (const [key, text] of Object.entries(TRAIN_KEYS)) expect(doc, key).toContain(`| \`${key}\` | ${text} |`);
  });
});
