import type { Plan } from './plan/format.js';
import type { HostTensor } from './tensor.js';

/**
 * What every back end (runtime/cpu, runtime/webgpu) offers the training loop, the CLI and users.
 * Methods are async so a GPU back end can keep work queued; the CPU back end resolves at once.
 * Symbolic dims (batch, seq) are bound from the shapes of the tensors passed in.
 */
export interface Executor {
  readonly plan: Plan;

  /** Runs the forward steps in inference mode (dropout off, batchnorm uses running stats). */
  infer(inputs: Record<string, HostTensor>): Promise<Record<string, HostTensor>>;

  /**
   * One optimisation step on one batch: forward (training mode), loss, backward, update.
   * `inputs` holds the model inputs and the labels. Returns the mean loss of the batch and,
   * when asked, the named outputs of the forward pass (for running metrics).
   */
  trainStep(inputs: Record<string, HostTensor>, options: TrainStepOptions): Promise<TrainStepResult>;

  /**
   * The same step as `trainStep`, finished when it returns: offered by back ends that compute on
   * the calling thread (the CPU), and called by the training loop where present, so that a step
   * makes no promise. With `into`, a result from an earlier call is refilled and returned: the loss,
   * and each asked output copied into the tensor `into.outputs` holds under its name when that has
   * as many values (a new one otherwise). Steady-state steps then allocate nothing; the caller must
   * not keep `into`'s outputs across steps.
   */
  trainStepSync?(inputs: Record<string, HostTensor>, options: TrainStepOptions, into?: TrainStepResult): TrainStepResult;

  /** Forward in inference mode plus the loss, for validation and test sets. */
  evaluate(inputs: Record<string, HostTensor>, options?: { outputs?: string[] }): Promise<TrainStepResult>;

  /**
   * The forward steps in inference mode, like `infer`, returning any of the plan's tensors by name
   * (activations as each step wrote them, inputs, parameters): `nnet verify` compares every layer's
   * values across back ends (runtime/verify/). A tensor whose buffer a later step reuses is read
   * before that step runs.
   */
  inferTensors(inputs: Record<string, HostTensor>, names: readonly string[]): Promise<Map<string, HostTensor>>;

  /** Parameters and non-trained state (batchnorm running stats), keyed by their plan names. */
  getWeights(): Promise<Map<string, HostTensor>>;
  setWeights(weights: Map<string, HostTensor>): Promise<void>;

  /** Optimizer slots (moments, accumulators) and the step counter, for checkpoints and --resume. */
  getOptimizerState(): Promise<{ step: number; slots: Map<string, HostTensor> }>;
  setOptimizerState(state: { step: number; slots: Map<string, HostTensor> }): Promise<void>;

  dispose(): void;

  /**
   * Numerical faults, where a back end can name them cheaply (the CPU does; the training loop
   * checks after every step when present, else once per epoch through `getWeights`):
   * the first parameter or state tensor holding a NaN or an infinity, if any...
   */
  nonFiniteWeight?(): string | null;
  /** ...and, after such a step, the first step of it (in execution order) that wrote a non-finite value. */
  firstNonFinite?(): NonFiniteStep | null;
}

/** Where a non-finite value first appeared in the last step: the phase, the kernel, the tensor and its layer. */
export interface NonFiniteStep {
  phase: string;
  index: number;
  kernel: string;
  tensor: string;
  source?: { layer: string; op: string; line: number; column: number } | undefined;
}

export interface TrainStepOptions {
  /** Learning rate for this step (the loop applies the schedule). */
  lr: number;
  /** Seed for this step's dropout masks, so a run is reproducible. */
  seed: number;
  /** Outputs to read back for metrics; none by default (reading back costs time on a GPU). */
  outputs?: string[];
  /** Skip reading the loss back (GPU back ends read it every N steps). Default false. */
  skipLoss?: boolean;
}

export interface TrainStepResult {
  /** Mean loss over the batch, NaN when skipped. Includes regularisation terms. */
  loss: number;
  outputs: Record<string, HostTensor>;
}

/**
 * The result record a training loop passes to `trainStepSync` for it to refill every step. An instance
 * of a class, not an object literal: V8 shares a literal's hidden class with every other literal whose
 * first property is `loss` (a plan's training section, where it is a tensor's name), so that field
 * would hold any value, boxed: each step's loss a new heap number. A class's field holds numbers only
 * and the step writes the loss into it in place.
 */
class StepResult implements TrainStepResult {
  loss = NaN;
  outputs: Record<string, HostTensor> = {};
}

export function createStepResult(): TrainStepResult {
  return new StepResult();
}
