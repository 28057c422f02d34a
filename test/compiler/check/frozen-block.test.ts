import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';

/** `frozen: true` at a block call: what the summary counts, nesting, and what is refused. */
const BLOCKS = `
block enc(x, width) {
  h = dense(x, width, relu)
  return h |> layernorm |> dense(4)
}
block outer(x) {
  return x |> enc(5) |> dense(3)
}
shared block tower(x) {
  return dense(x, 3)
}
block gate(x, frozen = false) {
  return dense(x, 2, frozen: frozen)
}
`;

const model = (body: string) => `${BLOCKS}\nmodel M {\n  input x: [batch, 6]\n${body}\n}\n`;
const errors = (source: string) => checkSource(source).diagnostics.filter((d) => d.severity === 'error');
const counts = (body: string) => {
  const check = checkSource(model(body));
  expect(check.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const m = check.models[0]!;
  return { trainable: m.trainableParams, frozen: m.totalParams - m.trainableParams, params: m.graph.params };
};

describe('a block frozen at its use', () => {
  it('makes every weight of the expansion non-trainable; another use of the block trains', () => {
    const { trainable, frozen, params } = counts('  output y = concat(x |> enc(8, frozen: true), x |> enc(8))');
    const enc = 6 * 8 + 8 + 2 * 8 + 8 * 4 + 4;
    expect([trainable, frozen]).toEqual([enc, enc]);
    expect(params.filter((p) => !p.trainable).map((p) => p.name)).toEqual(['y/enc/h.weight', 'y/enc/h.bias', 'y/enc/layernorm.gamma', 'y/enc/layernorm.beta', 'y/enc.weight', 'y/enc.bias']);
  });

  it('freezes the blocks used inside it, and frozen: false freezes nothing', () => {
    expect(counts('  output y = x |> outer(frozen: true)').trainable).toBe(0);
    expect(counts('  output y = x |> outer(frozen: false)').frozen).toBe(0);
  });

  it("leaves a block's own parameter named frozen to the block", () => {
    expect(counts('  output y = x |> gate(frozen: true)')).toMatchObject({ trainable: 0, frozen: 14 });
    expect(counts('  output y = x |> gate')).toMatchObject({ trainable: 14, frozen: 0 });
  });

  it('freezes a shared block at every use, and refuses uses that disagree (NN2032, with the first use)', () => {
    expect(counts('  a = x |> tower(frozen: true)\n  output y = a |> dense(6) |> tower(frozen: true)')).toMatchObject({ frozen: 21 });
    const source = model('  a = x |> tower(frozen: true)\n  output y = a |> dense(6) |> tower');
    const [error, ...rest] = errors(source);
    expect(rest).toEqual([]);
    expect(error!.code).toBe('NN2032');
    expect(error!.message).toBe("shared block 'tower' is not frozen here but frozen at its first use");
    expect(error!.range.start).toBe(source.lastIndexOf('tower'));
    expect(error!.related?.[0]?.message).toBe('its first use, frozen, is here');
  });

  it('refuses a frozen: that is not true or false', () => {
    const [error] = errors(model('  output y = x |> enc(8, frozen: 1)'));
    expect(error!.code).toBe('NN2008');
    expect(error!.message).toBe("argument 'frozen' of a block call expects true or false, got the number 1");
  });
});
