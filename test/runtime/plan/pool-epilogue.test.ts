import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import { PlanError } from '../../../runtime/plan/errors.js';
import type { Plan, PlanStep } from '../../../runtime/plan/format.js';
import { validatePlan } from '../../../runtime/plan/validate.js';
import { LayerGraph } from '../../compiler/layer-graph.js';

/**
 * Validation of the pooling epilogue (kernels.ts POOL_EPILOGUE): `conv2d[+bias][+activation]+maxpool`
 * with its `pool` attribute [ph, pw], the pooled y [N, ⌊OH/ph⌋, ⌊OW/pw⌋, F] and no pre output.
 *
 * The pooled step is made by hand from an unfused plan (conv2d, bias_add, relu, maxpool2d): the
 * four steps become one that reads the conv's inputs and the bias and writes the pool's output, so
 * the test does not depend on what the fusion pass decides.
 */
/** x [batch, 7, 7, 2] → conv 3×3 valid [batch, 5, 5, 3] → pool [2, 3]: [batch, 2, 1, 3] (a row and two columns dropped). */
function planDoc(): any {
  const g = new LayerGraph();
  const x = g.input('x', ['batch', 7, 7, 2]);
  const w = g.param('c.weight', [3, 3, 3, 2], { kind: 'glorot_uniform' });
  const b = g.param('c.bias', [3], { kind: 'zeros' });
  const c = g.layer('conv2d', 'c', [x, w, b], { filters: 3, kernel: [3, 3], strides: [1, 1], padding: 'valid', dilation: [1, 1], activation: 'relu' }, ['batch', 5, 5, 3]);
  const p = g.layer('maxpool2d', 'p', [c], { size: [2, 3], strides: [2, 3], padding: 'valid' }, ['batch', 2, 1, 3]);
  g.output('y', p);
  const { plan } = compileGraph(g.graph, 'M', null, { target: 'cpu', fuse: false, training: false });
  const doc = JSON.parse(JSON.stringify(plan)) as Plan;
  expect(doc.forward.map((s) => s.kernel)).toEqual(['conv2d', 'bias_add', 'relu', 'maxpool2d']);
  const [conv, bias, , pool] = doc.forward as [PlanStep, PlanStep, PlanStep, PlanStep];
  doc.forward = [{ ...conv, kernel: 'conv2d+bias+relu+maxpool', inputs: [...conv.inputs, bias.inputs[1]!], outputs: pool.outputs, attrs: { ...conv.attrs, pool: [2, 3] } }];
  return doc;
}

function problemOf(change: (doc: any) => void): string {
  const doc = planDoc();
  change(doc);
  try {
    validatePlan(doc);
  } catch (error) {
    expect(error).toBeInstanceOf(PlanError);
    return `${(error as PlanError).code} ${(error as PlanError).message}`;
  }
  throw new Error('expected a PlanError');
}

describe('plan validation: the pooling epilogue', () => {
  it('accepts conv2d+bias+relu+maxpool with its pooled output, and conv2d+maxpool alone', () => {
    expect(() => validatePlan(planDoc())).not.toThrow();
    const bare = planDoc();
    bare.forward[0].kernel = 'conv2d+maxpool';
    bare.forward[0].inputs.pop();
    expect(() => validatePlan(bare)).not.toThrow();
  });

  const CASES: Array<[string, (doc: any) => void, RegExp]> = [
    ['maxpool before the activation', (d) => (d.forward[0].kernel = 'conv2d+bias+maxpool+relu'), /^NNR1006 .*the epilogue must be \[bias\]\[\+activation\]\[\+maxpool\]/],
    ['two biases', (d) => (d.forward[0].kernel = 'conv2d+bias+bias+maxpool'), /^NNR1006 .*the epilogue must be/],
    ['two pools', (d) => (d.forward[0].kernel = 'conv2d+bias+relu+maxpool+maxpool'), /^NNR1006 .*the epilogue must be/],
    ['maxpool on a matmul', (d) => (d.forward[0].kernel = 'matmul+bias+relu+maxpool'), /^NNR1006 .*'matmul' takes no maxpool epilogue/],
    ['maxpool on a 1-D convolution', (d) => (d.forward[0].kernel = 'conv1d+bias+maxpool'), /^NNR1006 .*'conv1d' takes no maxpool epilogue/],
    ['no pool attribute', (d) => delete d.forward[0].attrs.pool, /^NNR1008 .*attribute 'pool' is missing/],
    ['a pool that is not int[]', (d) => (d.forward[0].attrs.pool = 2), /^NNR1008 .*'pool' must be int\[\]/],
    ['a pool of one axis', (d) => (d.forward[0].attrs.pool = [2]), /^NNR1008 .*'pool' must be two window sizes ≥ 1 \[ph, pw\], got \[2\]/],
    ['an empty window', (d) => (d.forward[0].attrs.pool = [0, 2]), /^NNR1008 .*'pool' must be two window sizes ≥ 1/],
    ['a pre output', (d) => d.forward[0].outputs.push('c/conv2d'), /^NNR1007 .*a pooled step writes only its pooled y/],
    ['the unpooled output shape', (d) => (d.tensors.find((t: any) => t.name === 'p/maxpool2d').shape = ['batch', 5, 5, 3]), /^NNR1015 .*output 'p\/maxpool2d' is declared \[61, 5, 5, 3\], but the kernel makes \[61, 2, 1, 3\]/],
    ['a pool that leaves a window out', (d) => (d.forward[0].attrs.pool = [2, 2]), /^NNR1015 .*declared \[61, 2, 1, 3\], but the kernel makes \[61, 2, 2, 3\]/],
  ];
  for (const [name, change, expected] of CASES) {
    it(`rejects ${name}`, () => {
      expect(problemOf(change)).toMatch(expected);
    });
  }
});
