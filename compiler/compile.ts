import type { SourceRange } from '../grammar/ast.js';
import type { Plan, PlanTarget } from '../runtime/plan/format.js';
import type { CheckResult } from './api-types.js';
import { appendTraining } from './autodiff/backward.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { backendDiagnostic } from './emit/backend-diagnostics.js';
import { emitPlan } from './emit/emit-plan.js';
import { emitWebGpuPrograms, WebGpuEmitError } from './emit/webgpu/index.js';
import { concreteShape, InitError, initialValues } from './emit/init-weights.js';
import { LineMap } from '../diagnostics/line-map.js';
import { readWeightFile } from './emit/weight-files.js';
import { nodeTable, type Graph } from './ir/graph.js';
import { assertValidGraph } from './ir/verify.js';
import { LoweringError, lowerGraph } from './lower/lower.js';
import { runPasses } from './passes/pipeline.js';
import type { ExplainEntry, Program } from './passes/program.js';
import type { TrainConfig } from './train-config.js';
import { overBudget } from '../runtime/plan/memory-budget.js';

export type { ExplainEntry } from './passes/program.js';

/** The plan does not fit the memory limit (NN5007); `args` fill the template. */
class MemoryBudgetError extends Error {
  constructor(readonly args: [string, string, string, string, string]) {
    super(args.join(' '));
  }
}

/**
 * The back half of the compiler, one call: layer graph → lower → (autodiff) → passes → plan + weights.
 *
 *   compileModel(check, 'Digits', { target: 'cpu', fuse: true, training: true, text })
 *     → { plan, weights, explain, diagnostics }
 *
 * `plan` is null when there are error diagnostics. `weights` holds every param, non-trained state,
 * const and optimizer slot that does not start at zero (Adagrad's accumulator), initialised
 * deterministically from the train section's seed (0 without one), keyed by plan tensor name; the
 * executors start the slots it leaves out at zero. Pass the source `text` so steps carry line/column.
 */
export interface CompileOptions {
  target: PlanTarget;
  fuse: boolean;
  /** Emit loss, backward and update steps (needs a train section). */
  training: boolean;
  /** Path of the .nnet file (for messages and relative weight files). */
  path?: string;
  /** The source text, to turn ranges into line and column. */
  text?: string;
  /** Overrides the train section's seed for weight initialisation. */
  seed?: number;
  /** Run the IR verifier after every pass (tests). */
  verify?: boolean;
  /**
   * Refuse (NN5007) a plan that needs more bytes than this at `batch` (weights, optimizer state and
   * peak activations), before any weight is allocated. Undefined: no limit (the CLI passes one).
   */
  memoryLimit?: number;
  /** The batch size the memory limit applies at (default: the train section's, else 1). */
  batch?: number;
  /**
   * False: return the plan with no weights, reading no weight file and allocating nothing (the
   * language server's code lens only counts the plan's fused steps).
   */
  initialiseWeights?: boolean;
}

type WeightData = Float32Array | Int32Array;

export interface CompileResult {
  plan: Plan | null;
  weights: Map<string, WeightData>;
  explain: ExplainEntry[];
  diagnostics: Diagnostic[];
}

export function compileModel(check: CheckResult, modelName: string, options: CompileOptions): CompileResult {
  const fail = (diagnostic: Diagnostic): CompileResult => ({ plan: null, weights: new Map(), explain: [], diagnostics: [diagnostic] });
  const model = check.models.find((m) => m.name === modelName);
  if (!model) return fail(backendDiagnostic('NN5001', check.file.range, modelName));
  if (!model.ok) return fail(backendDiagnostic('NN5002', model.range, modelName));
  if (options.training && !model.train) return fail(backendDiagnostic('NN5004', model.range, modelName));
  return reportingBackendErrors(model.range, () => compileGraph(model.graph, model.name, options.training ? model.train : null, options, model.train));
}

/** Runs a compilation, turning the back end's errors into diagnostics (at `range` when they carry none). */
export function reportingBackendErrors(range: SourceRange, compile: () => CompileResult): CompileResult {
  const fail = (diagnostic: Diagnostic): CompileResult => ({ plan: null, weights: new Map(), explain: [], diagnostics: [diagnostic] });
  try {
    return compile();
  } catch (error) {
    if (error instanceof LoweringError) return fail(backendDiagnostic('NN5003', error.range, error.message));
    if (error instanceof InitError) return fail(backendDiagnostic('NN5005', range, error.message));
    if (error instanceof WebGpuEmitError) return fail(backendDiagnostic('NN5006', range, error.message));
    if (error instanceof MemoryBudgetError) return fail(backendDiagnostic('NN5007', range, ...error.args));
    throw error;
  }
}

/** The same pipeline on a bare layer graph (tests build graphs by hand). */
export function compileGraph(
  layers: Graph,
  modelName: string,
  train: TrainConfig | null,
  options: CompileOptions,
  settings: TrainConfig | null = train,
): CompileResult {
  const { graph, idMap } = lowerGraph(layers);
  const checked = layers.nodes.map((n) => ({ layer: n.origin.layer, op: n.op, node: idMap.get(n.id)!, type: n.type }));
  if (options.verify) assertValidGraph(graph, 'lower', { primitivesOnly: true, checked });
  const program: Program = { graph, training: null, explain: [], checked };
  if (train) {
    const node = (id: number): number => idMap.get(id)!;
    program.metric = { prediction: node(train.loss.pred), target: node(train.loss.target) };
    const masked = (mask: number | null | undefined) => (mask === null || mask === undefined ? {} : { mask: node(mask) });
    program.metrics = train.metrics.map((m) => ({ prediction: node(m.prediction), target: node(m.target), ...masked(m.mask) }));
    program.losses = train.losses.map((t) => (t.kind === 'value' ? { value: node(t.value) } : { prediction: node(t.pred), target: node(t.target), ...masked(t.mask) }));
    program.training = appendTraining(graph, {
      losses: train.losses.map((t) => (t.kind === 'value' ? { ...t, value: node(t.value) } : { ...t, pred: node(t.pred), target: node(t.target), mask: t.mask === null || t.mask === undefined ? null : node(t.mask) })),
      optimizer: train.optimizer,
      regularize: train.regularize,
      clip: train.clip,
    });
    if (options.verify) assertValidGraph(graph, 'autodiff', { primitivesOnly: true, checked });
  }
  runPasses(program, { fuse: options.fuse, verify: options.verify ?? false });
  const { plan: cpuPlan, names } = emitPlan(program, {
    target: options.target,
    model: modelName,
    train: settings,
    lines: options.text !== undefined ? new LineMap(options.text) : null,
  });
  // The WebGPU target is the same plan plus one WGSL program per step (compiler/emit/webgpu/).
  const plan = options.target === 'webgpu' ? emitWebGpuPrograms(cpuPlan) : cpuPlan;
  if (options.memoryLimit !== undefined) {
    const over = overBudget(plan, options.batch ?? plan.memory?.referenceBatch ?? 1, options.memoryLimit);
    if (over) throw new MemoryBudgetError(over.args);
  }
  if (options.initialiseWeights === false) return { plan, weights: new Map(), explain: program.explain, diagnostics: [] };
  const seed = options.seed ?? settings?.seed ?? 0;
  const weights = new Map<string, WeightData>();
  const nodesById = nodeTable(graph.nodes);
  // Index loops: no iterator result per node while this runs unoptimised (nodeTable in ir/graph.ts).
  for (let p = 0; p < graph.params.length; p++) {
    const param = graph.params[p]!;
    const node = nodesById[param.node]!;
    const shape = concreteShape(node.type.shape, param.name);
    const init = param.init;
    weights.set(
      param.name,
      init.kind === 'file'
        ? readWeightFile(init.path, init.tensor, options.path, shape.reduce((a, b) => a * b, 1), param.name)
        : initialValues(init, shape, seed, param.name),
    );
  }
  const slots = program.training?.slots ?? [];
  for (let s = 0; s < slots.length; s++) {
    const slot = slots[s]!;
    // Slots that start at zero are left out: every executor creates its own slots zeroed
    // (checkWeights' allowMissingOptimizer), so arrays of zeros here (twice the parameters for Adam,
    // 34 MB for the 1,000-layer model) would only be allocated, copied and dropped.
    if (slot.init === 0) continue;
    const node = nodesById[slot.node]!;
    weights.set(slot.name, new Float32Array(concreteShape(node.type.shape, slot.name).reduce((a, b) => a * b, 1)).fill(slot.init));
  }
  for (let n = 0; n < graph.nodes.length; n++) {
    const node = graph.nodes[n]!;
    if (node.op !== 'const') continue;
    const values = node.attrs.values ?? node.attrs.value ?? [];
    const list = (Array.isArray(values) ? values : [values]) as number[];
    weights.set(names[node.id]!, node.type.dtype === 'i32' ? Int32Array.from(list) : Float32Array.from(list));
  }
  return { plan, weights, explain: program.explain, diagnostics: [] };
}
