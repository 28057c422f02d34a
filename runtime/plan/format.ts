import type { PlanTrainSettings } from './train-settings.js';

/**
 * The executable plan: the contract between the compiler (which writes it) and the runtimes (which
 * validate and run it). Pure data, JSON-serialisable; the runtime never needs the compiler.
 * docs/plan.md documents every field; runtime/plan/validate.ts enforces it.
 */

export const PLAN_FORMAT = 'nnet-plan';
export const PLAN_VERSION = 1;

export type PlanTarget = 'cpu' | 'webgpu';

/** A concrete size or a symbolic dim expression (`batch`, `seq-2`) bound when the plan runs. */
export type PlanDim = number | string;
export type PlanDType = 'f32' | 'i32';

export type TensorRole =
  | 'input'
  | 'label'
  | 'param'
  | 'state'
  | 'const'
  | 'activation'
  | 'grad'
  | 'optimizer'
  | 'loss';

export interface PlanTensor {
  name: string;
  shape: PlanDim[];
  dtype: PlanDType;
  role: TensorRole;
  /** Buffer slot assigned by the compiler's memory planner; tensors whose lifetimes do not overlap share one. */
  buffer?: number;
}

export type PlanAttr = number | string | boolean | null | PlanAttr[] | { [key: string]: PlanAttr };

/** Where a step came from, for error messages (`step 12 (dense 'h' at digits.nnet:7:5)`). */
export interface PlanSource {
  layer: string;
  op: string;
  line: number;
  column: number;
}

/**
 * A WGSL compute program. Its bind group 0 holds, in order: one storage buffer per `bindings` entry,
 * the `params` uniform (one 4-byte field per entry), and when `runtime` is true the executor's
 * run-time uniform (step seed, learning rate). docs/webgpu.md has the details.
 */
export interface WgslProgram {
  /** Structural cache key; identical programs share one entry of `Plan.programs`. */
  key: string;
  code: string;
  entryPoint: string;
  workgroupSize: [number, number, number];
  /** Dispatch size per axis: a number or a dim expression over symbolic dims (`ceil(batch*512/64)`). */
  dispatch: [PlanDim, PlanDim, PlanDim];
  bindings: ProgramBinding[];
  params: ProgramParam[];
  runtime: boolean;
}

export interface ProgramBinding {
  /** Which step tensor is bound: `inputs[index]` or `outputs[index]`. */
  from: 'input' | 'output';
  index: number;
  access: 'read' | 'read_write';
}

export interface ProgramParam {
  name: string;
  type: 'u32' | 'f32';
  /** A size (dim expression over the plan's symbolic dims) or a constant. */
  value: PlanDim;
}

export interface PlanStep {
  /**
   * Kernel name, with a fused epilogue written after `+`: `matmul+bias+relu`. The base kernel and each
   * epilogue element must be in runtime/plan/kernels.ts.
   */
  kernel: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, PlanAttr>;
  source?: PlanSource;
  /** WebGPU plans: key into `Plan.programs`. */
  program?: string;
}

interface PlanTraining {
  /** Name of the scalar loss tensor. */
  loss: string;
  /** The loss, optimizer and loop settings of the train section. */
  config: PlanTrainSettings;
  /**
   * How many leading `backward` steps compute the loss (data loss and regularisation penalties);
   * `evaluate` runs only these after the forward steps. Absent: every backward step up to the one
   * that writes `loss`.
   */
  lossSteps?: number;
  /**
   * The tensors the loss compares: its prediction and its target (a label or any input). The running
   * metrics (accuracy, mae) compare these two. Absent (older plans): the first output and first label.
   */
  prediction?: string;
  target?: string;
}

export interface PlanMemory {
  /** Bytes of every buffer slot at the plan's reference batch size. */
  bufferBytes: number[];
  referenceBatch: number;
  peakBytes: number;
}

export interface Plan {
  format: typeof PLAN_FORMAT;
  version: number;
  target: PlanTarget;
  model: string;
  /** Symbolic dims and their fixed values where known (`{ batch: null }` means bound at run time). */
  dims: Record<string, number | null>;
  tensors: PlanTensor[];
  inputs: string[];
  labels: string[];
  outputs: Array<{ name: string; tensor: string }>;
  forward: PlanStep[];
  /** Loss and backward steps; present when the model has a train section. */
  backward: PlanStep[];
  /** Optimizer update steps, run after backward. */
  update: PlanStep[];
  training: PlanTraining | null;
  memory: PlanMemory | null;
  /** WebGPU plans: the WGSL programs, shared by structural key. */
  programs: Record<string, WgslProgram>;
  /** Weights: a safetensors file next to the plan, or the same bytes embedded as base64. */
  weights: { file: string } | { base64: string } | null;
}
