import { describe, expect, it } from 'vitest';
import { lowerGraph } from '../../../compiler/lower/lower.js';
import { LoweringError } from '../../../compiler/lower/lower-context.js';
import { verifyGraph } from '../../../compiler/ir/verify.js';
import { LayerGraph, seedGraph } from '../layer-graph.js';

describe('lowering', () => {
  it('dense becomes matmul (transB) → bias_add → activation, and the result verifies', () => {
    const { graph } = lowerGraph(seedGraph().graph);
    expect(graph.nodes.filter((n) => n.op !== 'param' && n.op !== 'input').map((n) => n.op)).toEqual([
      'matmul', 'bias_add', 'sigmoid', 'matmul', 'bias_add', 'sigmoid',
    ]);
    expect(graph.nodes.find((n) => n.op === 'matmul')!.attrs).toEqual({ transA: false, transB: true });
    expect(graph.nodes.find((n) => n.op === 'matmul')!.type.shape).toEqual(['batch', 4]);
    expect(verifyGraph(graph, { primitivesOnly: true })).toEqual([]);
    expect(graph.outputs[0]!.node).toBe(graph.nodes[graph.nodes.length - 1]!.id);
    expect(graph.params.map((p) => p.name)).toEqual(['h.weight', 'h.bias', 'y.weight', 'y.bias']);
  });

  it('keeps origins: every primitive names its layer and user-facing op', () => {
    const { graph } = lowerGraph(seedGraph().graph);
    const matmul = graph.nodes.find((n) => n.op === 'matmul')!;
    expect(matmul.origin.layer).toBe('h');
    expect(matmul.origin.op).toBe('dense');
  });

  it('flatten multiplies the non-batch axes; concat and multiply lower to primitives', () => {
    const g = new LayerGraph();
    const x = g.input('x', ['batch', 2, 3]);
    const f = g.layer('flatten', 'f', [x], {}, ['batch', 6]);
    const c = g.layer('concat', 'c', [f, f], { axis: 1 }, ['batch', 12]);
    const m = g.layer('multiply', 'm', [c, c, c], {}, ['batch', 12]);
    g.output('m', m);
    const { graph } = lowerGraph(g.graph);
    expect(graph.nodes.slice(1).map((n) => `${n.op}[${n.type.shape.join(',')}]`)).toEqual(['reshape[batch,6]', 'concat[batch,12]', 'mul[batch,12]', 'mul[batch,12]']);
    expect(verifyGraph(graph, { primitivesOnly: true })).toEqual([]);
  });

  it('rejects an op it cannot lower with its layer and range', () => {
    const g = new LayerGraph();
    const x = g.input('x', ['batch', 4]);
    g.output('y', g.layer('mystery', 'q', [x], {}, ['batch', 4]));
    expect(() => lowerGraph(g.graph)).toThrow(LoweringError);
    expect(() => lowerGraph(g.graph)).toThrow(/cannot lower 'mystery'/);
  });
});

describe('IR verifier', () => {
  it('reports order, arity and type problems', () => {
    const { graph } = lowerGraph(seedGraph().graph);
    const matmul = graph.nodes.find((n) => n.op === 'matmul')!;
    matmul.type = { shape: ['batch', 5], dtype: 'f32' };
    const bias = graph.nodes.find((n) => n.op === 'bias_add')!;
    bias.inputs = [bias.inputs[0]!];
    const sigmoid = graph.nodes.find((n) => n.op === 'sigmoid')!;
    sigmoid.inputs = [999];
    const problems = verifyGraph(graph);
    expect(problems).toContainEqual(expect.stringMatching(/matmul\): type f32\[batch, 5\] but the shape rule gives f32\[batch, 4\]/));
    expect(problems).toContainEqual(expect.stringMatching(/bias_add\): expects 2 inputs, has 1/));
    expect(problems).toContainEqual(expect.stringMatching(/sigmoid\): input 999 is not defined earlier/));
  });

  it('rejects layer ops when asked for primitives only', () => {
    expect(verifyGraph(seedGraph().graph, { primitivesOnly: true })).toContainEqual(expect.stringMatching(/dense\): not a primitive op/));
    expect(verifyGraph(seedGraph().graph)).toEqual([]);
  });
});
