import { describe, expect, it } from 'vitest';
import { ConfigError, readLoopConfig } from '../../../runtime/train/config.js';
import { userErrorLine } from '../../../cli/model-loading.js';
import { trainable, XOR_SOURCE } from './helpers.js';

describe('readLoopConfig', () => {
  const { plan } = trainable(XOR_SOURCE);

  it('reads the settings the compiler wrote, with overrides', () => {
    const config = readLoopConfig(plan, { epochs: 3 });
    expect(config).toMatchObject({ loss: { kind: 'cross_entropy', fromLogits: true, sparse: true }, lr: 0.05, epochs: 3, batch: 4, seed: 1 });
    expect(config.data).toEqual({ source: 'xor', options: {} });
    expect(config.metrics).toEqual([{ name: 'accuracy', key: 'accuracy', prediction: plan.training!.prediction, target: 'label' }]);
  });

  it('gives every missing field its default (a plan file may lack them)', () => {
    const bare = { ...plan, training: { ...plan.training!, config: {} as never } };
    expect(readLoopConfig(bare)).toMatchObject({ loss: { kind: 'mse' }, lr: 0.001, epochs: 10, batch: 32, validation: 0, metrics: [], seed: 42, schedule: null, earlyStopping: null });
  });

  it('falls back to the defaults the checker gives a train section that only names its loss', () => {
    const { plan: minimal } = trainable('model M {\n  input x: [batch, 2]\n  input t: [batch, 1]\n  output y = dense(x, 1)\n  train { loss mse(y, t) }\n}\n');
    const config = minimal.training!.config!;
    const bare = { ...minimal, training: { ...minimal.training!, config: { loss: config.loss } as never } };
    expect(readLoopConfig(bare)).toEqual(readLoopConfig(minimal));
  });

  it('refuses settings a plan file got wrong, with a message the CLI shows as NNR5103', () => {
    const broken = (config: object) => ({ ...plan, training: { ...plan.training!, config: { ...plan.training!.config, ...config } as never } });
    const cases: Array<[object, RegExp]> = [
      [{ loss: { kind: 'hinge' } }, /the loss .* "hinge"; expected one of mse/],
      [{ earlyStopping: { monitor: 'f1', patience: 1, minDelta: 0, restoreBest: false } }, /early stopping monitor .* "f1"/],
      [{ schedule: { kind: 'linear' } }, /the schedule .* "linear"/],
      [{ augment: [{ kind: 'rotate' }] }, /an augmentation .* "rotate"/],
      [{ metrics: ['loss', 'auc'] }, /a metric .* "auc"/],
      [{ metrics: [{ name: 'auc', key: 'auc', prediction: 'p', target: 't' }] }, /a metric .* "auc"/],
      [{ metrics: [{ name: 'f1', key: 'f1' }] }, /metric "f1" .* needs a key, a prediction and a target/],
      [{ batch: 0 }, /batch must be a positive integer, got 0/],
    ];
    for (const [config, message] of cases) {
      let error: unknown;
      try {
        readLoopConfig(broken(config));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
      expect(userErrorLine(error)).toMatch(/^error NNR5103: /);
    }
  });
});
