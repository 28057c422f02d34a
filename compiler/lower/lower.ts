import type { Graph } from '../ir/graph.js';
import { primitiveRule } from '../ir/primitives.js';
import { activationRules } from './activations.js';
import { attentionRules } from './attention.js';
import { convRules } from './conv.js';
import { recurrentRules } from './recurrent.js';
import { denseRules } from './dense.js';
import { GraphBuilder } from './graph-builder.js';
import { LoweringError, type LowerRule } from './lower-context.js';
import { mathRules } from './math.js';
import { mergeRules } from './merge.js';
import { normalizationRules } from './normalization.js';
import { shapeRules } from './shape-ops.js';

/** Every layer op the back end lowers, found by name. One file per op family. */
export const LOWER_RULES: Record<string, LowerRule> = {
  ...denseRules,
  ...activationRules,
  ...mergeRules,
  ...mathRules,
  ...shapeRules,
  ...normalizationRules,
  ...convRules,
  ...recurrentRules,
  ...attentionRules,
};

export { LoweringError } from './lower-context.js';

export interface Lowered {
  graph: Graph;
  /** Layer-graph node id → the primitive-graph node that carries the same value. */
  idMap: Map<number, number>;
}

/** Rewrites a layer-level graph into primitives, keeping inputs, params and outputs (re-numbered). */
export function lowerGraph(layers: Graph): Lowered {
  const graph: Graph = { nodes: [], inputs: [], outputs: [], params: [] };
  const builder = new GraphBuilder(graph);
  const idMap = new Map<number, number>();
  for (const node of layers.nodes) {
    const inputs = node.inputs.map((i) => {
      const mapped = idMap.get(i);
      if (mapped === undefined) throw new Error(`layer graph not in topological order at node ${node.id}`);
      return mapped;
    });
    let id: number;
    if (node.op === 'input' || node.op === 'param' || node.op === 'const') {
      id = builder.addTyped(node.op, [], node.attrs, node.type, node.origin);
    } else if (LOWER_RULES[node.op]) {
      id = LOWER_RULES[node.op]!({ builder, node, inputs });
    } else if (primitiveRule(node.op)) {
      id = builder.add(node.op, inputs, node.attrs, node.origin);
    } else {
      throw new LoweringError(`the back end cannot lower '${node.op}' yet`, node.origin.layer, node.origin.range);
    }
    idMap.set(node.id, id);
  }
  const map = (id: number): number => idMap.get(id)!;
  graph.inputs = layers.inputs.map((i) => ({ ...i, node: map(i.node) }));
  graph.outputs = layers.outputs.map((o) => ({ ...o, node: map(o.node) }));
  graph.params = layers.params.map((p) => ({ ...p, node: map(p.node) }));
  return { graph, idMap };
}
