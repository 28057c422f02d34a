import type { SourceRange } from '../../grammar/ast.js';
import type { Graph, IRNode } from '../ir/graph.js';
import type { TensorType } from '../ir/types.js';

/**
 * The two training graphs of a GAN, built from its checked generator and discriminator:
 *
 * - the discriminator's: the discriminator as written, plus a target input (1 for real samples,
 *   0 for generated ones) for its binary cross-entropy;
 * - the generator's: the generator feeding the discriminator (its sample input replaced by the
 *   generator's output), the discriminator's weights frozen (`trainable: false`, so no update
 *   step and no gradient for them, while gradients still flow through its layers), plus a target
 *   input (always 1: the generator is trained to make the discriminator say "real").
 *
 * In the generator's graph the discriminator's weights are named `discriminator/<name>`, so they
 * never clash with the generator's; after every discriminator step the loop copies them over.
 */
export interface GanGraphs {
  discriminator: TrainingGraph;
  generator: TrainingGraph;
}

export interface TrainingGraph {
  graph: Graph;
  /** The logit node and the target input node of the binary cross-entropy. */
  pred: number;
  target: number;
}

/** Name of the target input in both graphs: not an identifier, so no model input can take it. */
export const GAN_TARGET = 'gan/target';
/** Prefix of the discriminator's weights in the generator's graph. */
export const FROZEN_PREFIX = 'discriminator/';

export function ganGraphs(generator: Graph, discriminator: Graph, sampleInput: string, range: SourceRange): GanGraphs {
  const score = discriminator.outputs[0]!;
  const fake = generator.outputs[0]!;

  // The target has the score's shape ([batch, 1], with the models' own name for the batch dim).
  const targetType: TensorType = { shape: [...discriminator.nodes[score.node]!.type.shape], dtype: 'f32' };
  const d = copyGraph(discriminator);
  const dTarget = addTarget(d, targetType, range);

  const g = copyGraph(generator);
  const ids = new Map<number, number>();
  const sample = discriminator.inputs.find((i) => i.name === sampleInput)!;
  ids.set(sample.node, fake.node);
  for (const node of discriminator.nodes) {
    if (node.id === sample.node) continue;
    const id = g.nodes.length;
    ids.set(node.id, id);
    g.nodes.push({ ...node, id, inputs: node.inputs.map((i) => ids.get(i)!) });
  }
  for (const param of discriminator.params) {
    g.params.push({ ...param, node: ids.get(param.node)!, name: FROZEN_PREFIX + param.name, trainable: false });
  }
  // Other discriminator inputs (labels only its own train section read) stay unfed: none may be used.
  g.outputs.push({ name: FROZEN_PREFIX + score.name, node: ids.get(score.node)! });
  const gTarget = addTarget(g, targetType, range);

  return {
    discriminator: { graph: d, pred: score.node, target: dTarget },
    generator: { graph: g, pred: ids.get(score.node)!, target: gTarget },
  };
}

function copyGraph(graph: Graph): Graph {
  return {
    nodes: graph.nodes.map((n) => ({ ...n })),
    inputs: graph.inputs.map((i) => ({ ...i })),
    outputs: graph.outputs.map((o) => ({ ...o })),
    params: graph.params.map((p) => ({ ...p })),
  };
}

function addTarget(graph: Graph, type: TensorType, range: SourceRange): number {
  const id = graph.nodes.length;
  const node: IRNode = { id, op: 'input', inputs: [], attrs: { name: GAN_TARGET }, type, origin: { range, layer: GAN_TARGET, op: 'input' } };
  graph.nodes.push(node);
  graph.inputs.push({ node: id, name: GAN_TARGET, labelOnly: true });
  return id;
}
