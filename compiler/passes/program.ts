import type { SourceRange } from '../../grammar/ast.js';
import type { TrainingGraph } from '../autodiff/training-graph.js';
import { idIndexed, type Graph, type IRNode } from '../ir/graph.js';
import type { CheckedValue } from '../ir/verify.js';

/** One line of `nnet compile --explain`: a fused group, or a fusion that was refused and why. */
export interface ExplainEntry {
  kind: 'fused' | 'refused';
  /** The fused kernel (`matmul+bias+relu`), or the one that would have been formed. */
  kernel: string;
  layer: string;
  op: string;
  range: SourceRange;
  /** Refusals: why; fused groups in training plans: what extra output was kept. */
  reason?: string;
}

/** What the passes transform: the graph plus the training bookkeeping that autodiff added. */
export interface Program {
  graph: Graph;
  training: TrainingGraph | null;
  explain: ExplainEntry[];
  /**
   * Each layer's value as the checker typed it and the node that now carries it; the verifier
   * compares the two after lowering and after every pass. Optional: hand-built programs in tests
   * have no checked layers.
   */
  checked?: CheckedValue[];
  /** The loss's prediction and target nodes: the running metrics compare these two. */
  metric?: { prediction: number; target: number };
  /** The nodes each metric of the train section compares (and the mask of the rows it counts), in its order. */
  metrics?: Array<{ prediction: number; target: number; mask?: number }>;
  /** The nodes each loss term reads, in its order: the plan's train config names them. */
  losses?: Array<{ prediction: number; target: number; mask?: number } | { value: number }>;
}

/** node id → the nodes that read it (indexed by id, as nodeTable is; a hole where none does). */
export function consumersOf(graph: Graph): Array<IRNode[] | undefined> {
  const readers = idIndexed<IRNode[]>(graph.nodes);
  // Index loops: no iterator results while this is not yet optimised (nodeTable in ir/graph.ts).
  const nodes = graph.nodes;
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n]!;
    for (let i = 0; i < node.inputs.length; i++) {
      const input = node.inputs[i]!;
      const list = readers[input];
      // A node reading one value twice is listed once: it is then this list's last entry.
      if (list === undefined) readers[input] = [node];
      else if (list[list.length - 1] !== node) list.push(node);
    }
  }
  return readers;
}

/** Replaces every use of `from` by `to` (inputs, outputs, training bookkeeping). */
export function replaceUses(program: Program, from: number, to: number): void {
  for (const node of program.graph.nodes) node.inputs = node.inputs.map((i) => (i === from ? to : i));
  for (const output of program.graph.outputs) if (output.node === from) output.node = to;
  for (const value of program.checked ?? []) if (value.node === from) value.node = to;
  const pairs = [program.metric, ...(program.metrics ?? []), ...(program.losses ?? [])];
  for (const pair of pairs) {
    if (!pair) continue;
    if ('value' in pair) {
      if (pair.value === from) pair.value = to;
      continue;
    }
    if (pair.prediction === from) pair.prediction = to;
    if (pair.target === from) pair.target = to;
    if ('mask' in pair && pair.mask === from) pair.mask = to;
  }
  const training = program.training;
  if (training) {
    if (training.loss === from) training.loss = to;
    for (const [name, grad] of training.grads) if (grad === from) training.grads.set(name, to);
  }
}
