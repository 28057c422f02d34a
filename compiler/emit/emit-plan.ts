import type { Plan, PlanAttr, PlanSource, PlanStep, PlanTarget, PlanTensor, TensorRole } from '../../runtime/plan/format.js';
import { nodeTable, type IRNode } from '../ir/graph.js';
import { parseKernelName } from '../../runtime/plan/kernels.js';
import { primitiveOutputs, primitiveRule } from '../ir/primitives.js';
import type { TrainConfig } from '../train-config.js';
import type { LossSettings, LossTerm, MetricSpec, PlanTrainSettings } from '../../runtime/plan/train-settings.js';
import type { Program } from '../passes/program.js';
import { dimSymbols } from '../../runtime/plan/dims.js';
import { planMemory } from './memory-plan.js';
import type { LineMap } from '../../diagnostics/line-map.js';

/**
 * Turns an optimised program into a plan: one tensor per value (named after its layer and op), one
 * step per computing node, split into forward, backward and update by what autodiff recorded, with
 * each step's source location; then the memory plan.
 */
export interface EmitOptions {
  target: PlanTarget;
  model: string;
  train: TrainConfig | null;
  lines: LineMap | null;
}

/** The plan, and the tensor name of every node that has one. */
export function emitPlan(program: Program, options: EmitOptions): { plan: Plan; names: Map<number, string> } {
  const { graph, training } = program;
  const names = new Map<number, string>();
  const tensors: PlanTensor[] = [];
  const used = new Set<string>();
  const unique = (base: string): string => {
    // One lookup for a name not seen yet (almost every name): add it and see whether the set grew.
    let name = base;
    for (let k = 2, size = used.size; used.add(name).size === size; k++) name = `${base}#${k}`;
    return name;
  };
  const addTensor = (name: string, node: Pick<IRNode, 'type'>, role: TensorRole): string => {
    tensors.push({ name, shape: node.type.shape.slice(), dtype: node.type.dtype, role });
    return name;
  };

  const nodesById = nodeTable(graph.nodes);
  const inputsByNode = new Map(graph.inputs.map((i) => [i.node, i]));
  const paramsByNode = new Map(graph.params.map((p) => [p.node, p]));
  const slotsByNode = new Map((training?.slots ?? []).map((s) => [s.node, s]));
  const roleOf = (node: IRNode): TensorRole => {
    if (training?.lossNodes.has(node.id)) return node.type.shape.length === 0 ? 'loss' : 'grad';
    if (training?.backwardNodes.has(node.id)) return 'grad';
    return 'activation';
  };

  // Index loops over the nodes (here and below): no iterator result per node while this runs unoptimised.
  const nodes = graph.nodes;
  // Interface tensors first: their names are fixed by the source (inputs, parameter names).
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n]!;
    const input = inputsByNode.get(node.id);
    const param = paramsByNode.get(node.id);
    const slot = slotsByNode.get(node.id);
    if (input) names.set(node.id, addTensor(unique(input.name), node, input.labelOnly ? 'label' : 'input'));
    else if (param) names.set(node.id, addTensor(unique(param.name), node, param.trainable ? 'param' : 'state'));
    else if (slot) names.set(node.id, addTensor(unique(slot.name), node, 'optimizer'));
    else if (node.op === 'const') names.set(node.id, addTensor(unique(`${node.origin.layer}.const`), node, 'const'));
  }

  const forward: PlanStep[] = [];
  const backward: PlanStep[] = [];
  const update: PlanStep[] = [];
  /** node id → its `output_of` nodes by output index. */
  const extras = new Map<number, IRNode[]>();
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n]!;
    if (node.op !== 'output_of') continue;
    const list = extras.get(node.inputs[0]!) ?? [];
    list[node.attrs.index as number] = node;
    extras.set(node.inputs[0]!, list);
  }

  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n]!;
    if (names.has(node.id) || node.op === 'output_of' || node.op === 'input' || node.op === 'param' || node.op === 'const') continue;
    const inputs = node.inputs.map((i) => names.get(i)!);
    const { base } = parseKernelName(node.op);
    const rule = primitiveRule(base)!;
    let outputs: string[];
    if (rule.inPlace && training?.updateNodes.has(node.id)) {
      // Optimizer updates write the parameter and its slots in place.
      outputs = [inputs[0]!, ...inputs.slice(2)];
    } else {
      const name = unique(`${node.origin.layer}/${node.op}`);
      names.set(node.id, addTensor(name, node, roleOf(node)));
      outputs = [name];
      const read = extras.get(node.id);
      // A matmul or conv writes its optional pre-activation output only when something reads it.
      const types = rule.epilogue && !read?.[1] ? [] : primitiveOutputs(node.op, node.inputs.map((i) => nodesById[i]!.type), node.attrs);
      for (let index = 1; index < types.length; index++) {
        const extra = read?.[index];
        if (!extra && rule.epilogue) break;
        const extraName = unique(`${name}:${index}`);
        addTensor(extraName, { type: types[index]! }, extra ? roleOf(extra) : roleOf(node));
        if (extra) names.set(extra.id, extraName);
        outputs.push(extraName);
      }
    }
    const step: PlanStep = { kernel: node.op, inputs, outputs, attrs: node.attrs as Record<string, PlanAttr>, source: sourceOf(node, options.lines) };
    if (training?.updateNodes.has(node.id)) update.push(step);
    else if (training?.backwardNodes.has(node.id)) backward.push(step);
    else forward.push(step);
  }
  // Loss steps first in backward, so evaluate can run just them.
  const lossTensors = new Set([...(training?.lossNodes ?? [])].flatMap((id) => names.get(id) ?? []));
  const isLoss = (step: PlanStep): boolean => step.outputs.some((o) => lossTensors.has(o));
  const lossSteps = backward.filter(isLoss);
  const gradSteps = backward.filter((s) => !isLoss(s));

  const outputs = graph.outputs.map((o) => ({ name: o.name, tensor: names.get(o.node)! }));
  const dims: Record<string, number | null> = {};
  const seen = new Set<string>();
  for (const t of tensors) {
    for (const d of t.shape) {
      if (typeof d === 'number' || seen.has(d)) continue;
      seen.add(d);
      for (const s of dimSymbols(d)) dims[s] = null;
    }
  }
  const referenceBatch = options.train?.batch ?? 1;
  const bindings = Object.fromEntries(Object.keys(dims).map((d) => [d, d === 'batch' ? referenceBatch : 1]));
  const prediction = program.metric ? names.get(program.metric.prediction) : undefined;
  const target = program.metric ? names.get(program.metric.target) : undefined;
  const metricTensors = training ? (program.metrics ?? []).flatMap((m) => [names.get(m.prediction)!, ...(m.mask === undefined ? [] : [names.get(m.mask)!])]) : [];
  const keepAlive = new Set([...outputs.map((o) => o.tensor), ...(training ? [names.get(training.loss)!] : []), ...(training && prediction ? [prediction] : []), ...metricTensors]);
  const steps = [...forward, ...lossSteps, ...gradSteps, ...update];
  const memory = planMemory(tensors, steps, keepAlive, bindings, referenceBatch);

  const plan: Plan = {
    format: 'nnet-plan',
    version: 1,
    target: options.target,
    model: options.model,
    dims,
    tensors,
    inputs: graph.inputs.filter((i) => !i.labelOnly).map((i) => names.get(i.node)!),
    labels: graph.inputs.filter((i) => i.labelOnly).map((i) => names.get(i.node)!),
    outputs,
    forward,
    backward: [...lossSteps, ...gradSteps],
    update,
    training: training && options.train ? { loss: names.get(training.loss)!, config: planTrainSettings(options.train, program, names), lossSteps: lossSteps.length, ...(prediction && target ? { prediction, target } : {}) } : null,
    memory,
    programs: {},
    weights: null,
  };
  return { plan, names };
}

function sourceOf(node: IRNode, lines: LineMap | null): PlanSource {
  const { line, column } = lines ? lines.lineColumn(node.origin.range.start) : { line: 0, column: 0 };
  return { layer: node.origin.layer, op: node.origin.op, line, column };
}

/** The train section as the plan records it: node ids and source ranges left out, nothing shared with `train`. */
function planTrainSettings(train: TrainConfig, program: Program, names: Map<number, string>): PlanTrainSettings {
  const { loss, data } = train;
  const name = (node: number): string => names.get(node)!;
  const settings = (l: LossSettings): LossSettings => ({ kind: l.kind, fromLogits: l.fromLogits, sparse: l.sparse, delta: l.delta, smoothing: l.smoothing, classWeights: l.classWeights });
  const losses: LossTerm[] = train.losses.map((term, i) => {
    const nodes = program.losses![i]!;
    return 'value' in nodes
      ? { kind: 'value', weight: term.weight, value: name(nodes.value) }
      : { ...settings(term as LossSettings), weight: term.weight, prediction: name(nodes.prediction), target: name(nodes.target), ...(nodes.mask === undefined ? {} : { mask: name(nodes.mask) }) };
  });
  const metrics: MetricSpec[] = train.metrics.map((m, i) => {
    const nodes = program.metrics![i]!;
    return { name: m.name, key: m.key, prediction: name(nodes.prediction), target: name(nodes.target), ...(nodes.mask === undefined ? {} : { mask: name(nodes.mask) }), ...(m.k === undefined ? {} : { k: m.k }) };
  });
  return structuredClone({
    loss: settings(loss),
    losses,
    optimizer: train.optimizer,
    schedule: train.schedule,
    warmup: train.warmup,
    clip: train.clip,
    regularize: train.regularize,
    augment: train.augment,
    earlyStopping: train.earlyStopping,
    epochs: train.epochs,
    batch: train.batch,
    validation: train.validation,
    metrics,
    seed: train.seed,
    data: data ? { source: data.source, options: data.options } : null,
  });
}
