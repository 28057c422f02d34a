import { idIndexed, nodeTable } from '../ir/graph.js';
import type { Program } from './program.js';

/**
 * Removes nodes nothing needs. Roots: model outputs, the loss, optimizer updates, and every input,
 * param and optimizer slot (they are the plan's interface even when unused).
 */
export function dropDeadNodes(program: Program): Program {
  const { graph, training } = program;
  const live = idIndexed<true>(graph.nodes);
  const stack: number[] = graph.outputs.map((o) => o.node);
  // Index loops: no iterator result per node while this runs unoptimised (nodeTable in ir/graph.ts).
  const nodes = graph.nodes;
  for (let n = 0; n < nodes.length; n++) if (nodes[n]!.op === 'input' || nodes[n]!.op === 'param') stack.push(nodes[n]!.id);
  if (training) stack.push(training.loss, ...training.updateNodes, ...training.grads.values());
  const byId = nodeTable(graph.nodes);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (live[id]) continue;
    live[id] = true;
    const inputs = byId[id]?.inputs ?? [];
    for (let i = 0; i < inputs.length; i++) stack.push(inputs[i]!);
  }
  graph.nodes = graph.nodes.filter((n) => live[n.id]);
  if (training) {
    for (const set of [training.lossNodes, training.backwardNodes, training.updateNodes]) {
      // forEach rather than for-of, for the same reason (deleting the visited entry is allowed).
      set.forEach((id) => {
        if (!live[id]) set.delete(id);
      });
    }
  }
  return program;
}
