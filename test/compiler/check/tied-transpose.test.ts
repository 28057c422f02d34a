import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';
import { exportPytorch } from '../../../compiler/pytorch/index.js';

/** tied(value, transpose: true): the checker's shapes, counts and errors, and the PyTorch export's tie. */
const model = (decoder: string) => `model Ae {
  input x: [batch, 6]
  enc = dense(x, 3, tanh)
  output y = ${decoder}
}
`;

const errors = (source: string) => checkSource(source).diagnostics.filter((d) => d.severity === 'error');

describe('tied(value, transpose: true)', () => {
  it('reads a [units, in] weight as [in, units]: counted once, the tying layer shows its own bias', () => {
    const check = checkSource(model('dense(enc, 6, weight: tied(enc, transpose: true))'));
    expect(check.diagnostics).toEqual([]);
    const m = check.models[0]!;
    expect(m.graph.params.map((p) => p.name)).toEqual(['enc.weight', 'enc.bias', 'y.bias']);
    expect(m.trainableParams).toBe(3 * 6 + 3 + 6);
    const transpose = m.graph.nodes.find((n) => n.op === 'transpose')!;
    expect(transpose.type.shape).toEqual([6, 3]);
    expect(m.graph.nodes[transpose.inputs[0]!]!.op).toBe('param');
  });

  it('refuses a weight whose transpose has the wrong shape, and names the transpose it would need', () => {
    const source = model('dense(enc, 6, weight: tied(enc))');
    const [error] = errors(source);
    expect(error!.code).toBe('NN2031');
    expect(error!.message).toBe("tied(enc) gives 'enc.weight' of shape [3, 6], but the weight of dense needs [6, 3]");
    const [wrong] = errors(model('dense(enc, 4, weight: tied(enc, transpose: true))'));
    expect(wrong!.message).toBe("tied(enc) gives 'enc.weight' of shape [3, 6], read transposed as [6, 3], but the weight of dense needs [4, 3]");
    expect(wrong!.range.start).toBe(model('dense(enc, 4, weight: tied(enc, transpose: true))').indexOf('tied('));
  });

  it('refuses a transpose of a weight that is not 2-D', () => {
    const source = `model C {
  input x: [batch, 8, 8, 2]
  a = conv2d(x, 2, 3)
  output y = conv2d(a, 2, 3, weight: tied(a, transpose: true))
}
`;
    const [error] = errors(source);
    expect(error!.code).toBe('NN2031');
    expect(error!.message).toContain("'a.weight' of shape [2, 3, 3, 2], which transpose: true cannot read (only a 2-D weight transposes)");
  });

  it('refuses a misspelt or non-boolean transpose', () => {
    const [misspelt] = errors(model('dense(enc, 6, weight: tied(enc, transpos: true))'));
    expect(misspelt!.code).toBe('NN2007');
    expect(misspelt!.fix?.edits[0]?.newText).toBe('transpose');
    const [number] = errors(model('dense(enc, 6, weight: tied(enc, transpose: 1))'));
    expect(number!.code).toBe('NN2008');
    expect(number!.message).toBe("argument 'transpose' of tied expects true or false, got the number 1");
  });

  it('the PyTorch export ties the tying layer\'s weight to the parameter, transposed (no module for the transpose)', () => {
    const text = model('dense(enc, 6, weight: tied(enc, transpose: true))');
    const check = checkSource(text);
    const py = exportPytorch(check, check.models[0]!, text, 'ae.nnet').files.find((f) => f.path === 'model.py')!.text;
    expect(py).toContain('tie_transposed(self._modules["y"], "weight", self._modules["enc"], "weight")');
    expect(py).toContain('TIED_TRANSPOSED = {"y.weight": "enc.weight"}');
    expect(py).not.toContain('Transpose([1, 0])');
  });
});
