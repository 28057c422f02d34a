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
  for (const node of graph.nodes) if (node.op === 'input' || node.op === 'param') stack.push(node.id);
  if (training) stack.push(training.loss, ...training.updateNodes, ...training.grads.values());
  const byId = nodeTable(graph.nodes);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (live[id]) continue;
    live[id] = true;
    for (const input of byId[id]?.inputs ?? []) stack.push(input);
  }
  graph.nodes = graph.nodes.filter((n) => live[n.id]);
  if (training) {
    for (const set of [training.lossNodes, training.backwardNodes, training.updateNodes]) {
      for (const id of set) if (!live[id]) set.delete(id);
    }
  }
  return program;
}
