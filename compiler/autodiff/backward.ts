import type { Graph, IRNode } from '../ir/graph.js';
import type { Origin } from '../ir/types.js';
import { GraphBuilder } from '../lower/graph-builder.js';
import type { LossSpec, OptimizerSpec } from '../train-config.js';
import { lossKernel } from './losses.js';
import { optimizerPlan } from './optimizers.js';
import { GRAD_RULES } from './rules/index.js';
import type { TrainingGraph } from './training-graph.js';

export interface TrainingSpec {
  /** pred and target are node ids of the primitive graph. */
  loss: Pick<LossSpec, 'kind' | 'fromLogits' | 'sparse' | 'delta' | 'pred' | 'target' | 'range'>;
  optimizer: OptimizerSpec;
  /** Global penalties, applied to trainable params of rank ≥ 2 (weights and kernels, not biases or norms). */
  regularize: { l1: number; l2: number };
}

/**
 * Appends to a primitive graph: the loss, regularisation penalties, the backward pass (reverse sweep,
 * one gradient rule per op, gradients of a value used twice summed with `add`) and one optimizer update
 * per trainable parameter with its state slots. Mutates `graph`; returns what was added.
 */
export function appendTraining(graph: Graph, spec: TrainingSpec): TrainingGraph {
  const b = new GraphBuilder(graph);
  const forward = [...graph.nodes];
  const lossOrigin: Origin = { range: spec.loss.range, layer: 'loss', op: spec.loss.kind };
  const start = graph.nodes.length;

  const { kernel, attrs } = lossKernel(spec.loss);
  const dataLoss = b.add(kernel, [spec.loss.pred, spec.loss.target], attrs, lossOrigin);
  const dpred = b.outputOf(dataLoss, 1);
  let loss = dataLoss;
  const penalties = new Map<string, { l1: number; l2: number }>();
  for (const param of graph.params) {
    if (!param.trainable) continue;
    const global = b.type(param.node).shape.length >= 2 ? spec.regularize : { l1: 0, l2: 0 };
    const l1 = global.l1 + (param.regularize?.l1 ?? 0);
    const l2 = global.l2 + (param.regularize?.l2 ?? 0);
    if (l1 === 0 && l2 === 0) continue;
    penalties.set(param.name, { l1, l2 });
    const origin = b.node(param.node).origin;
    loss = b.add('add', [loss, b.add('l1_l2_penalty', [param.node], { l1, l2 }, origin)], {}, origin);
  }
  const lossNodes = new Set(graph.nodes.slice(start).map((n) => n.id));

  const trainable = new Set(graph.params.filter((p) => p.trainable).map((p) => p.node));
  const gradOf = sweep(b, forward, trainable, spec.loss.pred, dpred);

  const backwardNodes = new Set(graph.nodes.slice(start).map((n) => n.id));
  const grads = new Map<string, number>();
  const updateStart = graph.nodes.length;
  const optimizer = optimizerPlan(spec.optimizer);
  const slots: TrainingGraph['slots'] = [];
  for (const param of graph.params) {
    if (!param.trainable) continue;
    let grad = gradOf.get(param.node);
    if (grad === undefined) continue;
    const paramNode = b.node(param.node);
    const penalty = penalties.get(param.name);
    if (penalty) {
      grad = b.add('l1_l2_grad', [grad, param.node], penalty, paramNode.origin);
      backwardNodes.add(grad);
    }
    grads.set(param.name, grad);
    const slotNodes = optimizer.slots.map((slot) => {
      const name = `${param.name}.${slot.name}`;
      const node = b.addTyped('param', [], { slot: slot.name, of: param.name }, paramNode.type, paramNode.origin);
      slots.push({ node, name, param: param.name, init: slot.init });
      return node;
    });
    b.add(optimizer.kernel, [param.node, grad, ...slotNodes], optimizer.attrs, paramNode.origin);
  }
  const updateNodes = new Set(graph.nodes.slice(updateStart).filter((n) => n.op !== 'param' && !backwardNodes.has(n.id)).map((n) => n.id));
  return { loss, lossNodes, backwardNodes, updateNodes, slots, grads };
}

/** Reverse-mode sweep from `dpred`; returns node id → its gradient node, for nodes that need one. */
function sweep(b: GraphBuilder, forward: IRNode[], trainable: Set<number>, pred: number, dpred: number): Map<number, number> {
  // Only values that depend on a trainable parameter need a gradient; statistics outputs never do.
  const needsGrad = new Set<number>();
  for (const node of forward) {
    if (trainable.has(node.id)) needsGrad.add(node.id);
    else if (node.op !== 'output_of' && node.inputs.some((i) => needsGrad.has(i))) needsGrad.add(node.id);
  }

  const pending = new Map<number, number[]>([[pred, [dpred]]]);
  const done = new Map<number, number>();
  for (let i = forward.length - 1; i >= 0; i--) {
    const node = forward[i]!;
    const parts = pending.get(node.id);
    if (!parts) continue;
    const dy = parts.slice(1).reduce((acc, g) => b.add('add', [acc, g], {}, node.origin), parts[0]!);
    done.set(node.id, dy);
    if (node.op === 'input' || node.op === 'param' || node.op === 'const' || node.op === 'output_of') continue;
    const rule = GRAD_RULES[node.op];
    if (!rule) throw new Error(`no gradient rule for '${node.op}' (layer '${node.origin.layer}')`);
    const inputGrads = rule(b, node, dy);
    node.inputs.forEach((input, k) => {
      const grad = inputGrads[k];
      if (grad === null || grad === undefined || !needsGrad.has(input)) return;
      const list = pending.get(input) ?? [];
      list.push(grad);
      pending.set(input, list);
    });
  }
  return done;
}
