import type { PlanDim, PlanStep } from '../plan/format.js';
import type { OnnxAttribute } from './onnx-model.js';
import type { OnnxGraph } from './onnx-graph.js';

/** NNR7001: the plan holds something ONNX export cannot express; the message names the step and kernel. */
export class ExportError extends Error {
  readonly code = 'NNR7001';
  format(): string {
    return `error ${this.code}: ${this.message}`;
  }
}

/**
 * What an op mapping sees of one plan step: its inputs by position, the names its outputs must take,
 * the plan's shapes, and a node emitter. A mapping writes the base kernel's outputs; the fused
 * epilogue (bias, activation) is applied after it by the exporter, unless the mapping folds the bias
 * into its own node (Gemm's C, Conv's B): it then asks for `out(0, true)`.
 */
export interface StepExport {
  readonly step: PlanStep;
  readonly attrs: PlanStep['attrs'];
  readonly graph: OnnxGraph;
  /** The step's input `i` (the base kernel's inputs, then the bias of a `bias` epilogue). */
  input(i: number): string;
  /** The bias a fused `+bias` epilogue adds, or undefined. */
  readonly bias: string | undefined;
  /** The name output `i` must take; `foldsBias` when the mapping's node already added `bias`. Undefined for an omitted optional output. */
  out(i: number, foldsBias?: boolean): string | undefined;
  /** A plan tensor's shape (undefined for names the export made up). */
  shape(name: string): readonly PlanDim[] | undefined;
  /** The step that wrote a plan tensor among the forward steps before this one. */
  producer(name: string): PlanStep | undefined;
  /** Emits a node and returns its first output (a fresh name unless `outputs` names them). */
  op(opType: string, inputs: readonly string[], options?: { attributes?: OnnxAttribute[]; outputs?: readonly string[] }): string;
  /** An int64 constant: shapes, axes, indices. */
  ints(values: readonly number[], dims?: readonly number[]): string;
  floats(values: readonly number[], dims?: readonly number[]): string;
  /** An int64 scalar (shape []) holding a plan dim: a number, or an expression over the inputs' symbolic dims. */
  dim(value: PlanDim): string;
  /** Throws NNR7001 naming the step and its kernel. */
  refuse(reason: string): never;
  /**
   * Refuses a step that carries an attribute (or more inputs) than the mapping was written for: a
   * kernel that gains a variant (a GRU's reset form, a mask) is refused until its mapping reads it,
   * never exported wrong.
   */
  expect(attrs: readonly string[], inputs?: number): void;
}

/** One op's mapping: a function that emits its nodes, or a stated refusal (NNR7001 with the reason). */
export type OnnxRule = ((s: StepExport) => void) | { refused: string };
