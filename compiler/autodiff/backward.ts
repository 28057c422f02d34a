import { idIndexed, type Graph, type IRNode, type ParamInfo } from '../ir/graph.js';
import type { Origin } from '../ir/types.js';
import { GraphBuilder } from '../lower/graph-builder.js';
import type { ClipSpec } from '../../runtime/plan/train-settings.js';
import type { LossSpec, LossTermSpec, OptimizerSpec } from '../train-config.js';
import { lossKernel } from './losses.js';
import { optimizerPlan } from './optimizers.js';
import { GRAD_RULES } from './rules/index.js';
import type { TrainingGraph } from './training-graph.js';

/** A term of the total loss, with node ids of the primitive graph. */
type TrainingLossTerm =
  | (Pick<LossSpec, 'kind' | 'fromLogits' | 'sparse' | 'delta' | 'smoothing' | 'classWeights' | 'pred' | 'target' | 'range'> & { weight: number; mask?: number | null })
  | Extract<LossTermSpec, { kind: 'value' }>;

export interface TrainingSpec {
  /** The loss is Σ weight · term; at least one term is a loss function. */
  losses: TrainingLossTerm[];
  optimizer: OptimizerSpec;
  /** Gradient clipping before the optimizer reads the gradients. */
  clip: ClipSpec;
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
  const start = graph.nodes.length;

  // The data loss Σ weight · term, and the gradient each term seeds the sweep with.
  const seeds = new Map<number, number[]>();
  const seed = (node: number, grad: number): void => void seeds.set(node, [...(seeds.get(node) ?? []), grad]);
  let loss: number | null = null;
  for (const term of spec.losses) {
    const origin: Origin = { range: term.range, layer: 'loss', op: term.kind };
    let value: number;
    if (term.kind === 'value') {
      value = term.value;
      seed(term.value, b.addTyped('const', [], { value: term.weight }, b.type(term.value), origin));
    } else {
      const mask = term.mask ?? null;
      const { kernel, attrs } = lossKernel(term, mask !== null);
      value = b.add(kernel, [term.pred, term.target, ...(mask !== null ? [mask] : [])], attrs, origin);
      const dpred = b.outputOf(value, 1);
      seed(term.pred, term.weight === 1 ? dpred : b.add('scale', [dpred], { factor: term.weight }, origin));
    }
    if (term.weight !== 1) value = b.add('scale', [value], { factor: term.weight }, origin);
    if (b.type(value).shape.length > 0) value = b.add('reshape', [value], { shape: [] }, origin);
    loss = loss === null ? value : b.add('add', [loss, value], {}, origin);
  }
  if (loss === null) throw new Error('appendTraining needs at least one loss term');
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
  const gradOf = sweep(b, forward, trainable, seeds);

  const grads = new Map<string, number>();
  for (const param of graph.params) {
    if (!param.trainable) continue;
    const grad = gradOf[param.node];
    if (grad === undefined) continue;
    const penalty = penalties.get(param.name);
    grads.set(param.name, penalty ? b.add('l1_l2_grad', [grad, param.node], penalty, b.node(param.node).origin) : grad);
  }
  const paramsByName = new Map<string, ParamInfo>();
  for (const param of graph.params) if (!paramsByName.has(param.name)) paramsByName.set(param.name, param); // the first, as find gave
  clipGradients(b, grads, spec.clip, (name) => b.node(paramsByName.get(name)!.node).origin);
  const backwardNodes = new Set(graph.nodes.slice(start).map((n) => n.id));

  const updateStart = graph.nodes.length;
  const optimizer = optimizerPlan(spec.optimizer);
  const slots: TrainingGraph['slots'] = [];
  for (const param of graph.params) {
    const grad = grads.get(param.name);
    if (grad === undefined) continue;
    const paramNode = b.node(param.node);
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

/**
 * Gradient clipping, in place on `grads` (param name → gradient node): by value, each element
 * clamped to [−value, value]; then by global norm as PyTorch's clip_grad_norm_ does it, every
 * gradient times min(1, norm / (‖g‖ + 1e-6)), ‖g‖ the L2 norm over all the gradients together.
 */
function clipGradients(b: GraphBuilder, grads: Map<string, number>, clip: ClipSpec, originOf: (param: string) => Origin): void {
  if (clip.value !== null) {
    for (const [name, grad] of grads) grads.set(name, b.add('unary', [grad], { op: 'clip', a: -clip.value, b: clip.value }, originOf(name)));
  }
  if (clip.norm === null || grads.size === 0) return;
  let sumSquares: number | null = null;
  for (const [name, grad] of grads) {
    const squares = b.add('l1_l2_penalty', [grad], { l1: 0, l2: 1 }, originOf(name));
    sumSquares = sumSquares === null ? squares : b.add('add', [sumSquares, squares], {}, originOf(name));
  }
  const origin = originOf(grads.keys().next().value!);
  const norm = b.add('unary', [b.add('unary', [sumSquares!], { op: 'sqrt' }, origin)], { op: 'affine', a: 1, b: 1e-6 }, origin);
  const factor = b.add('unary', [b.add('unary', [norm], { op: 'reciprocal', a: clip.norm }, origin)], { op: 'clip', a: 0, b: 1 }, origin);
  for (const [name, grad] of grads) grads.set(name, b.add('mul', [grad, factor], {}, originOf(name)));
}

/** Reverse-mode sweep from the seeds (node → gradients of the loss); returns node id → its gradient node (a hole for nodes that need none). */
function sweep(b: GraphBuilder, forward: IRNode[], trainable: Set<number>, seeds: Map<number, number[]>): Array<number | undefined> {
  // Only values that depend on a trainable parameter need a gradient; statistics outputs never do.
  // Index loops and id-indexed arrays: no iterator result per node while this runs unoptimised and
  // no hashing (nodeTable in ir/graph.ts).
  const needsGrad = idIndexed<true>(forward);
  for (let n = 0; n < forward.length; n++) {
    const node = forward[n]!;
    if (trainable.has(node.id)) needsGrad[node.id] = true;
    else if (node.op !== 'output_of' && node.inputs.some((i) => needsGrad[i])) needsGrad[node.id] = true;
  }

  /** Forward node id → the gradients reaching it so far; then its summed gradient. */
  const pending = idIndexed<number[]>(forward);
  seeds.forEach((grads, node) => (pending[node] = [...grads]));
  const done = idIndexed<number>(forward);
  for (let i = forward.length - 1; i >= 0; i--) {
    const node = forward[i]!;
    const parts = pending[node.id];
    if (!parts) continue;
    let dy = parts[0]!;
    for (let k = 1; k < parts.length; k++) dy = b.add('add', [dy, parts[k]!], {}, node.origin);
    done[node.id] = dy;
    if (node.op === 'input' || node.op === 'param' || node.op === 'const' || node.op === 'output_of') continue;
    const rule = GRAD_RULES[node.op];
    if (!rule) throw new Error(`no gradient rule for '${node.op}' (layer '${node.origin.layer}')`);
    const inputGrads = rule(b, node, dy);
    for (let k = 0; k < node.inputs.length; k++) {
      const input = node.inputs[k]!;
      const grad = inputGrads[k];
      if (grad === null || grad === undefined || !needsGrad[input]) continue;
      const list = pending[input];
      if (list) list.push(grad);
      else pending[input] = [grad];
    }
  }
  return done;
}
