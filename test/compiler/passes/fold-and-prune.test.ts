import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import { lowerGraph } from '../../../compiler/lower/lower.js';
import { dropDeadNodes } from '../../../compiler/passes/drop-dead-nodes.js';
import { foldConstants } from '../../../compiler/passes/fold-constants.js';
import { PASSES, STAGES } from '../../../compiler/passes/pipeline.js';
import { verifyGraph } from '../../../compiler/ir/verify.js';
import { LayerGraph } from '../layer-graph.js';

describe('fold-constants and drop-dead-nodes', () => {
  it('the pass list is named and ordered', () => {
    expect(PASSES.map((p) => p.name)).toEqual(['fold-constants', 'fuse-epilogues', 'drop-dead-nodes']);
    expect(STAGES).toEqual(['lower', 'autodiff', 'fold-constants', 'fuse-epilogues', 'drop-dead-nodes', 'emit', 'plan-memory', 'init-weights']);
  });

  it('folds an op over constants into a constant, and drops what nothing reads', () => {
    const g = new LayerGraph();
    const x = g.input('x', ['batch', 2]);
    const c1 = g.layer('const', 'c1', [], { values: [1, 2] }, [2]);
    const c2 = g.layer('const', 'c2', [], { values: [10, 20] }, [2]);
    const sum = g.layer('add', 'sum', [c1, c2], {}, [2]);
    const y = g.layer('add', 'y', [x, sum], {}, ['batch', 2]);
    g.layer('relu', 'unused', [x], {}, ['batch', 2]);
    g.output('y', y);
    const program = { graph: lowerGraph(g.graph).graph, training: null, explain: [] };
    foldConstants(program);
    const folded = program.graph.nodes.find((n) => n.origin.layer === 'sum')!;
    expect(folded.op).toBe('const');
    expect(folded.attrs.values).toEqual([11, 22]);
    dropDeadNodes(program);
    expect(program.graph.nodes.map((n) => n.op)).toEqual(['input', 'const', 'add']);
    expect(verifyGraph(program.graph, { primitivesOnly: true })).toEqual([]);
  });

  it('removes identities: reshape to the same shape, reshape of a reshape', () => {
    const g = new LayerGraph();
    const x = g.input('x', ['batch', 2, 3]);
    const f = g.layer('flatten', 'f', [x], {}, ['batch', 6]);
    const r = g.layer('reshape', 'r', [f], { shape: ['batch', 3, 2] }, ['batch', 3, 2]);
    const same = g.layer('reshape', 's', [r], { shape: ['batch', 3, 2] }, ['batch', 3, 2]);
    g.output('y', same);
    const { plan } = compileGraph(g.graph, 'M', null, { target: 'cpu', fuse: true, training: false, verify: true });
    expect(plan!.forward.map((s) => [s.kernel, s.inputs[0]])).toEqual([['reshape', 'x']]);
  });
});
