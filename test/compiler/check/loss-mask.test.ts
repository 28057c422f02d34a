import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';

/** `mask:` on every loss: the shapes each takes, and NN3004 located at the mask with both shapes' origins. */
const model = (loss: string, target = '[batch, seq, 3]') => `model M {
  input x: [batch, seq, 4]
  input m: [batch, seq] int
  input e: [batch, seq, 3]
  input t: ${target}
  h = dense(x, 3)
  output p = softmax(h)
  train {
    loss ${loss}
  }
}
`;

const errors = (source: string) => checkSource(source).diagnostics.filter((d) => d.severity === 'error');

describe('loss mask:', () => {
  it('a mask of the steps ([batch, seq]) on every loss, and of the elements on the per-element ones', () => {
    for (const loss of ['mse', 'mae', 'huber', 'binary_cross_entropy']) {
      for (const mask of ['m', 'e']) {
        const check = checkSource(model(`${loss}(h, t, mask: ${mask})`));
        expect(errors(model(`${loss}(h, t, mask: ${mask})`)), `${loss} mask ${mask}`).toEqual([]);
        expect(check.models[0]!.train!.loss.mask, `${loss} mask ${mask}`).toBe(check.models[0]!.graph.inputs.find((i) => i.name === mask)!.node);
      }
    }
    expect(errors(model('kl_divergence(p, t, mask: m)'))).toEqual([]);
    expect(errors(model('cross_entropy(h, t, mask: m)'))).toEqual([]);
  });

  it('refuses an element mask on a loss over the last axis, naming the row shape', () => {
    const source = model('kl_divergence(p, t, mask: e)');
    const [error] = errors(source);
    expect(error!.code).toBe('NN3004');
    expect(error!.message).toContain('the mask needs shape [batch, seq] (the prediction [batch, seq, 3] without its class axis), got [batch, seq, 3]');
    expect(error!.range.start).toBe(source.indexOf('e)'));
  });

  it('refuses a mask of another shape on a per-element loss, naming both shapes it takes', () => {
    const source = model('mse(h, t, mask: x)');
    const [error] = errors(source);
    expect(error!.code).toBe('NN3004');
    expect(error!.message).toContain('the mask needs shape [batch, seq] (the prediction [batch, seq, 3] without its last axis) or [batch, seq, 3] (one per element), got [batch, seq, 4]');
    expect(error!.related?.map((r) => r.message)).toEqual(["'x' gets its shape [batch, seq, 4] here", "'h' gets its shape [batch, seq, 3] here"]);
  });

  it('a rank-1 prediction takes only a mask of its own shape', () => {
    const source = `model R {
  input x: [batch, 4]
  input m: [batch]
  input t: [batch]
  output y = dense(x, 1) |> squeeze(1)
  train {
    loss mse(y, t, mask: m)
  }
}
`;
    expect(errors(source)).toEqual([]);
    const [error] = errors(source.replace('input m: [batch]', 'input m: [batch, 4]'));
    expect(error!.message).toContain("the mask needs shape [batch] (the prediction's), got [batch, 4]");
  });
});
