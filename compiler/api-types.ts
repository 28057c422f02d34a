import type { FileNode, SourceRange } from '../grammar/ast.js';
import type { Diagnostic } from '../diagnostics/types.js';
import type { Graph } from './ir/graph.js';
import type { TensorType } from './ir/types.js';
import type { GanConfig, TrainConfig } from './train-config.js';

/**
 * What the front end (parse + resolve + check) returns. The CLI (`nnet check`), the language
 * server and the back end all start from this one result: nobody re-parses or re-derives shapes.
 */
export interface CheckResult {
  file: FileNode;
  /** Syntax and semantic diagnostics, sorted by position, at most one per code and position. */
  diagnostics: Diagnostic[];
  models: CheckedModel[];
  gans: GanConfig[];
  /** Every declared name and its uses, for go-to-definition, references, rename and highlights. */
  symbols: SymbolInfo[];
  /** The type of every expression that computes a tensor, for hover and inlay hints. */
  values: ValueInfo[];
}

export interface CheckedModel {
  name: string;
  range: SourceRange;
  /** Layer-level IR, shape-checked. Present even when the model has errors (best effort). */
  graph: Graph;
  train: TrainConfig | null;
  summary: SummaryRow[];
  totalParams: number;
  trainableParams: number;
  /** True when no error diagnostic lies inside this model (or in a block it expands). */
  ok: boolean;
  /** Every block expansion in the graph, an enclosing one before those inside it (`nnet graph` clusters). */
  blocks: BlockExpansion[];
}

/** One expansion of a block: its graph nodes are the ids `first` ≤ id < `end`. */
export interface BlockExpansion {
  block: string;
  /** The expansion's layer-name prefix (`h/decoder`), or the statement's name when the call computes it. */
  name: string;
  first: number;
  end: number;
}

/** One line of the Keras-like summary: a layer, its output shape, its parameter count. */
export interface SummaryRow {
  layer: string;
  op: string;
  outputShape: TensorType['shape'];
  dtype: TensorType['dtype'];
  params: number;
  range: SourceRange;
}

export type SymbolKind = 'model' | 'block' | 'gan' | 'const' | 'input' | 'output' | 'value' | 'param' | 'dim';

export interface SymbolInfo {
  name: string;
  kind: SymbolKind;
  /** Enclosing model, block or gan name; '' at top level. */
  container: string;
  /** The declaring identifier's range (rename edits it together with `references`). */
  definition: SourceRange;
  /** The whole declaration (for document symbols and folding). */
  declaration: SourceRange;
  references: SourceRange[];
  /** Tensor type, for values, inputs and outputs. */
  type?: TensorType;
}

export interface ValueInfo {
  /** The expression or pipeline stage that computes the value. */
  range: SourceRange;
  type: TensorType;
  /** The op that computed it (`dense`) and its input types, for hover. */
  op?: string;
  inputTypes?: TensorType[];
  params?: number;
  /** Floating point operations per sample (multiply-adds count 2). */
  flopsPerSample?: number;
}
