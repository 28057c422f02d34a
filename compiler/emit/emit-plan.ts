import type { Plan, PlanAttr, PlanSource, PlanStep, PlanTarget, PlanTensor, TensorRole } from '../../runtime/plan/format.js';
import { idIndexed, nodeTable, type IRNode } from '../ir/graph.js';
import type { TensorType } from '../ir/types.js';
import { kernelBase } from '../../runtime/plan/kernels.js';
import { primitiveOutputs, primitiveRule } from '../ir/primitives.js';
import type { TrainConfig } from '../train-config.js';
import type { LossSettings, LossTerm, MetricSpec, PlanTrainSettings } from '../../runtime/plan/train-settings.js';
import type { Program } from '../passes/program.js';
import { dimSymbols } from '../../runtime/plan/dims.js';
import { planMemory, type StepTensors } from './memory-plan.js';
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

/** The plan, and the tensor name of every node that has one (indexed by node id, a hole for the others). */
export function emitPlan(program: Program, options: EmitOptions): { plan: Plan; names: Array<string | undefined> } {
  const { graph, training } = program;
  const nodes = graph.nodes;
  const tensors: PlanTensor[] = [];
  /** Node id → the index of its tensor in `tensors`: the memory plan works on these indices, not on names. */
  const tensorOf = idIndexed<number>(nodes);
  const used = new Set<string>();
  const unique = (base: string): string => {
    // One lookup for a name not seen yet (almost every name): add it and see whether the set grew.
    let name = base;
    for (let k = 2, size = used.size; used.add(name).size === size; k++) name = `${base}#${k}`;
    return name;
  };
  const addTensor = (name: string, type: TensorType, role: TensorRole): number => {
    tensors.push({ name, shape: type.shape.slice(), dtype: type.dtype, role });
    return tensors.length - 1;
  };
  const nameOf = (tensor: number): string => tensors[tensor]!.name;

  const nodesById = nodeTable(nodes);
  const inputsByNode = new Map(graph.inputs.map((i) => [i.node, i]));
  const paramsByNode = new Map(graph.params.map((p) => [p.node, p]));
  const slotsByNode = new Map((training?.slots ?? []).map((s) => [s.node, s]));
  const roleOf = (node: IRNode): TensorRole => {
    if (training?.lossNodes.has(node.id)) return node.type.shape.length === 0 ? 'loss' : 'grad';
    if (training?.backwardNodes.has(node.id)) return 'grad';
    return 'activation';
  };

  const sources = new SourceTable(options.lines);

  // Index loops over the nodes (here and below): no iterator result per node while this runs unoptimised.
  // Interface tensors first: their names are fixed by the source (inputs, parameter names).
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n]!;
    const input = inputsByNode.get(node.id);
    const param = paramsByNode.get(node.id);
    const slot = slotsByNode.get(node.id);
    if (input) tensorOf[node.id] = addTensor(unique(input.name), node.type, input.labelOnly ? 'label' : 'input');
    else if (param) tensorOf[node.id] = addTensor(unique(param.name), node.type, param.trainable ? 'param' : 'state');
    else if (slot) tensorOf[node.id] = addTensor(unique(slot.name), node.type, 'optimizer');
    else if (node.op === 'const') tensorOf[node.id] = addTensor(unique(`${node.origin.layer}.const`), node.type, 'const');
  }

  /** node id → its `output_of` nodes by output index. */
  const extras = new Map<number, IRNode[]>();
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n]!;
    if (node.op !== 'output_of') continue;
    const list = extras.get(node.inputs[0]!) ?? [];
    list[node.attrs.index as number] = node;
    extras.set(node.inputs[0]!, list);
  }

  // The steps by phase; the backward steps that compute the loss come first, so evaluate can run just them.
  const forward = new StepList();
  const lossSteps = new StepList();
  const gradSteps = new StepList();
  const update = new StepList();
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n]!;
    if (tensorOf[node.id] !== undefined || node.op === 'output_of' || node.op === 'input' || node.op === 'param' || node.op === 'const') continue;
    const reads = node.inputs.map((i) => tensorOf[i]!);
    const rule = primitiveRule(kernelBase(node.op))!;
    const isUpdate = training?.updateNodes.has(node.id) ?? false;
    let writes: number[];
    /** A backward step is a loss step when it writes the tensor of a loss node. */
    let writesLoss = training?.lossNodes.has(node.id) ?? false;
    if (rule.inPlace && isUpdate) {
      // Optimizer updates write the parameter and its slots in place.
      writes = [reads[0]!, ...reads.slice(2)];
    } else {
      const tensor = addTensor(unique(`${node.origin.layer}/${node.op}`), node.type, roleOf(node));
      tensorOf[node.id] = tensor;
      writes = [tensor];
      const read = extras.get(node.id);
      // A matmul or conv writes its optional pre-activation output only when something reads it. The
      // other outputs' types come from the shape rule, asked only for ops that have other outputs.
      const types = rule.outputCount === 1 || (rule.epilogue && !read?.[1]) ? [] : primitiveOutputs(node.op, node.inputs.map((i) => nodesById[i]!.type), node.attrs);
      for (let index = 1; index < types.length; index++) {
        const extra = read?.[index];
        if (!extra && rule.epilogue) break;
        const extraTensor = addTensor(unique(`${nameOf(tensor)}:${index}`), types[index]!, extra ? roleOf(extra) : roleOf(node));
        if (extra) {
          tensorOf[extra.id] = extraTensor;
          if (training?.lossNodes.has(extra.id)) writesLoss = true;
        }
        writes.push(extraTensor);
      }
    }
    const step: PlanStep = { kernel: node.op, inputs: reads.map(nameOf), outputs: writes.map(nameOf), attrs: node.attrs as Record<string, PlanAttr>, source: sources.of(node) };
    const phase = isUpdate ? update : training?.backwardNodes.has(node.id) ? (writesLoss ? lossSteps : gradSteps) : forward;
    phase.push(step, { reads, writes });
  }

  const names = tensorOf.map((k) => (k === undefined ? undefined : nameOf(k)));
  const nodeName = (node: number): string => names[node]!;
  const outputs = graph.outputs.map((o) => ({ name: o.name, tensor: nodeName(o.node) }));
  const dims: Record<string, number | null> = {};
  const seen = new Set<string>();
  for (let k = 0; k < tensors.length; k++) {
    const shape = tensors[k]!.shape;
    for (let i = 0; i < shape.length; i++) {
      const d = shape[i]!;
      if (typeof d === 'number' || seen.has(d)) continue;
      seen.add(d);
      for (const s of dimSymbols(d)) dims[s] = null;
    }
  }
  const referenceBatch = options.train?.batch ?? 1;
  const bindings = Object.fromEntries(Object.keys(dims).map((d) => [d, d === 'batch' ? referenceBatch : 1]));
  const prediction = program.metric ? nodeName(program.metric.prediction) : undefined;
  const target = program.metric ? nodeName(program.metric.target) : undefined;
  const metricNodes = training ? (program.metrics ?? []).flatMap((m) => [m.prediction, ...(m.mask === undefined ? [] : [m.mask])]) : [];
  const keepAlive = [...graph.outputs.map((o) => o.node), ...(training ? [training.loss] : []), ...(training && program.metric ? [program.metric.prediction] : []), ...metricNodes];
  // concat, not flatMap: V8's flatMap flattens generically, element by element.
  const memory = planMemory(tensors, forward.uses.concat(lossSteps.uses, gradSteps.uses, update.uses), keepAlive.map((node) => tensorOf[node]!), bindings, referenceBatch);

  const plan: Plan = {
    format: 'nnet-plan',
    version: 1,
    target: options.target,
    model: options.model,
    dims,
    tensors,
    inputs: graph.inputs.filter((i) => !i.labelOnly).map((i) => nodeName(i.node)),
    labels: graph.inputs.filter((i) => i.labelOnly).map((i) => nodeName(i.node)),
    outputs,
    forward: forward.steps,
    backward: [...lossSteps.steps, ...gradSteps.steps],
    update: update.steps,
    training: training && options.train ? { loss: nodeName(training.loss), config: planTrainSettings(options.train, program, nodeName), lossSteps: lossSteps.steps.length, ...(prediction && target ? { prediction, target } : {}) } : null,
    memory,
    programs: {},
    weights: null,
  };
  return { plan, names };
}

/** Steps of one phase, and the tensors each reads and writes by index (for the memory plan). */
class StepList {
  readonly steps: PlanStep[] = [];
  readonly uses: StepTensors[] = [];

  push(step: PlanStep, uses: StepTensors): void {
    this.steps.push(step);
    this.uses.push(uses);
  }
}

/**
 * Each step's source location, one object per origin: the nodes that lowering and autodiff make for
 * a layer share its origin, so a 1,000-layer training plan's 5,122 steps need 1,002 of these
 * (fewer objects for the collector to copy while the compile runs).
 */
class SourceTable {
  private readonly byOrigin = new Map<IRNode['origin'], PlanSource>();

  constructor(private readonly lines: LineMap | null) {}

  of(node: IRNode): PlanSource {
    const origin = node.origin;
    let source = this.byOrigin.get(origin);
    if (source === undefined) {
      const { line, column } = this.lines ? this.lines.lineColumn(origin.range.start) : { line: 0, column: 0 };
      source = { layer: origin.layer, op: origin.op, line, column };
      this.byOrigin.set(origin, source);
    }
    return source;
  }
}

/** The train section as the plan records it: node ids and source ranges left out, nothing shared with `train`. */
function planTrainSettings(train: TrainConfig, program: Program, name: (node: number) => string): PlanTrainSettings {
  const { loss, data } = train;
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
