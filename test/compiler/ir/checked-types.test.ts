import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import { verifyGraph } from '../../../compiler/ir/verify.js';
import { lowerGraph } from '../../../compiler/lower/lower.js';
import { runPasses } from '../../../compiler/passes/pipeline.js';
import type { Program } from '../../../compiler/passes/program.js';
import { LayerGraph } from '../layer-graph.js';

/** x [batch, 5, 6, 2] → conv2d kernel 3×2 valid, dilation 2 along height → [batch, 1, 5, 3], declared as `declared`. */
function dilatedConv(declared: [number, number]) {
  const g = new LayerGraph();
  const x = g.input('x', ['batch', 5, 6, 2]);
  const w = g.param('c.weight', [3, 3, 2, 2], { kind: 'glorot_uniform' });
  const c = g.layer('conv2d', 'c', [x, w], { filters: 3, kernel: [3, 2], strides: [1, 1], padding: 'valid', dilation: [2, 1], activation: 'relu' }, ['batch', ...declared, 3]);
  g.output('y', g.layer('relu', 'r', [c], {}, ['batch', ...declared, 3]));
  return g;
}

describe('the verifier compares each layer with its checked type', () => {
  it('accepts lowering that agrees with the checker', () => {
    expect(() => compileGraph(dilatedConv([1, 5]).graph, 'M', null, { target: 'cpu', fuse: true, training: false, verify: true })).not.toThrow();
  });

  it('names the layer whose lowered type differs from the checked one', () => {
    expect(() => compileGraph(dilatedConv([2, 5]).graph, 'M', null, { target: 'cpu', fuse: true, training: false, verify: true })).toThrow(
      /IR invalid after 'lower':\n {2}conv2d 'c': checked as f32\[batch, 2, 5, 3\] but node \d+ \(relu\) is f32\[batch, 1, 5, 3\]/,
    );
  });

  it('follows a value through the passes (fusion keeps the node that carries it)', () => {
    const g = dilatedConv([1, 5]);
    const { graph, idMap } = lowerGraph(g.graph);
    const checked = g.graph.nodes.map((n) => ({ layer: n.origin.layer, op: n.op, node: idMap.get(n.id)!, type: n.type }));
    const program: Program = { graph, training: null, explain: [], checked };
    runPasses(program, { fuse: true, verify: true });
    const conv = program.checked!.find((v) => v.op === 'conv2d')!;
    expect(program.graph.nodes.find((n) => n.id === conv.node)?.op).toBe('conv2d+relu');
    // A wrong type recorded for a value that survives the passes is reported.
    conv.type = { shape: ['batch', 2, 5, 3], dtype: 'f32' };
    expect(verifyGraph(program.graph, { checked: program.checked! })).toEqual([
      `conv2d 'c': checked as f32[batch, 2, 5, 3] but node ${conv.node} (conv2d+relu) is f32[batch, 1, 5, 3]`,
    ]);
  });
});
