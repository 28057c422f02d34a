import type { SourceRange } from '../../grammar/ast.js';
import type { BlockExpansion, SummaryRow, ValueInfo } from '../api-types.js';
import type { Graph, ParamInfo } from '../ir/graph.js';
import type { Attrs, InitSpec, Origin, TensorType } from '../ir/types.js';

/** A weight a shared block's first use made. */
export interface SharedWeight {
  node: number;
  name: string;
  shape: number[];
  range: SourceRange;
}

/** The weight a layer gets: its node, and whether it is new (counted in the summary) — or a shape clash with a shared one. */
export type WeightRef = { node: number; fresh: boolean } | { clash: SharedWeight };

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Builds one model's layer-level IR graph as the checker walks it: `input` nodes, `param` nodes for
 * weights, one node per layer op, in topological order (a node is added after its inputs). Also
 * keeps the summary rows and layer names unique within the model.
 *
 * Structural nodes: `input` attrs { name }, `param` attrs { name } (the ParamInfo carries the
 * initialiser), both with no inputs.
 */
export class LayerGraphBuilder {
  readonly graph: Graph = { nodes: [], inputs: [], outputs: [], params: [] };
  readonly summary: SummaryRow[] = [];
  /** Block expansions in the order they began; `expandBlock` sets each one's `end` when it returns. */
  readonly blocks: BlockExpansion[] = [];
  private readonly layerNames = new Set<string>();

  private readonly prefixes = new Set<string>();

  /**
   * A name for a block expansion's layers (`deep/stage`, then `deep/stage_2`): distinct from every
   * layer and earlier expansion, while the block's own result layer may still take exactly it.
   */
  uniquePrefix(base: string): string {
    let name = base;
    for (let i = 2; this.layerNames.has(name) || this.prefixes.has(name); i++) name = `${base}_${i}`;
    this.prefixes.add(name);
    return name;
  }

  /** Whether an expansion already took this prefix. */
  hasPrefix(name: string): boolean {
    return this.prefixes.has(name);
  }

  /** A layer name not used yet in this model: `h`, then `h_2`, `h_3`... */
  uniqueLayer(base: string): string {
    let name = base;
    // Resume numbering where the last clash with this base stopped: a 10,000-stage pipeline of
    // relu stages must not probe relu_2, relu_3, ... again for every stage.
    for (let i = this.nextSuffix.get(base) ?? 2; this.layerNames.has(name); i++) {
      name = `${base}_${i}`;
      this.nextSuffix.set(base, i + 1);
    }
    this.layerNames.add(name);
    return name;
  }

  private readonly nextSuffix = new Map<string, number>();

  addInput(name: string, type: TensorType, range: SourceRange): number {
    const layer = this.uniqueLayer(name);
    const id = this.add('input', [], { name }, type, { range, layer, op: 'input' });
    this.graph.inputs.push({ node: id, name, labelOnly: false });
    this.summary.push({ layer, op: 'input', outputShape: type.shape, dtype: type.dtype, params: 0, range });
    return id;
  }

  /**
   * A weight for a layer: a new one, or inside a later use of a `shared block` the one its first
   * use made at the same place (the body is the same, so its layers make their weights in the same
   * order); `clash` when that one has another shape (the uses were given different sizes).
   */
  weight(name: string, shape: number[], init: InitSpec, trainable: boolean, origin: Origin, regularize?: ParamInfo['regularize']): WeightRef {
    const frame = this.sharing.at(-1);
    if (!frame) return { node: this.addParam(name, shape, init, trainable, origin, regularize), fresh: true };
    const made = this.sharedWeights.get(frame.block) ?? [];
    this.sharedWeights.set(frame.block, made);
    const earlier = frame.first ? undefined : made[frame.next];
    frame.next++;
    if (earlier) return sameShape(earlier.shape, shape) ? { node: earlier.node, fresh: false } : { clash: earlier };
    const node = this.addParam(name, shape, init, trainable, origin, regularize);
    made.push({ node, name, shape, range: origin.range });
    return { node, fresh: true };
  }

  /**
   * Runs `expand` as a use of the shared block `block`: its weights (and those of blocks it uses
   * that are not shared themselves) are the first use's. An inner shared block keeps its own set.
   */
  withinSharedBlock<T>(block: string, expand: () => T): T {
    this.sharing.push({ block, next: 0, first: !this.sharedWeights.has(block) });
    try {
      return expand();
    } finally {
      this.sharing.pop();
    }
  }

  /** The innermost shared block being expanded, if any. */
  sharedBlock(): string | undefined {
    return this.sharing.at(-1)?.block;
  }

  /**
   * Runs `expand` with every weight it makes frozen (non-trainable): a block call with
   * `frozen: true`. Nested calls inside stay frozen; a tied weight made outside keeps its state.
   */
  withinFrozen<T>(expand: () => T): T {
    this.freezing++;
    try {
      return expand();
    } finally {
      this.freezing--;
    }
  }

  /** Whether the weights made now are frozen by a block call around them. */
  frozen(): boolean {
    return this.freezing > 0;
  }

  /**
   * Records whether the first use of shared block `block` was frozen, and returns that first use
   * for a later one (undefined at the first), so a use that disagrees can be reported.
   */
  sharedFreezing(block: string, frozen: boolean, range: SourceRange): { frozen: boolean; range: SourceRange } | undefined {
    const first = this.sharedFrozen.get(block);
    if (!first) this.sharedFrozen.set(block, { frozen, range });
    return first;
  }

  private freezing = 0;
  private readonly sharedFrozen = new Map<string, { frozen: boolean; range: SourceRange }>();
  private readonly sharedWeights = new Map<string, SharedWeight[]>();
  private readonly sharing: Array<{ block: string; next: number; first: boolean }> = [];

  addParam(name: string, shape: number[], init: InitSpec, trainable: boolean, origin: Origin, regularize?: ParamInfo['regularize']): number {
    const id = this.add('param', [], { name }, { shape, dtype: 'f32' }, origin);
    const info: ParamInfo = { node: id, name, init, trainable };
    if (regularize) info.regularize = regularize;
    this.graph.params.push(info);
    return id;
  }

  addLayer(op: string, inputs: number[], attrs: Attrs, type: TensorType, origin: Origin, params: number): number {
    const id = this.add(op, inputs, attrs, type, origin);
    // The user-facing op (`index`, `scale`), which for most layers is the node's op itself.
    this.summary.push({ layer: origin.layer, op: origin.op, outputShape: type.shape, dtype: type.dtype, params, range: origin.range });
    return id;
  }

  addOutput(name: string, node: number): void {
    this.graph.outputs.push({ name, node });
  }

  private add(op: string, inputs: number[], attrs: Attrs, type: TensorType, origin: Origin): number {
    const id = this.graph.nodes.length;
    this.graph.nodes.push({ id, op, inputs, attrs, type, origin });
    return id;
  }
}

/** Hover and inlay-hint facts per expression; a block expanded twice keeps its first expansion's. */
export class ValueTable {
  // Keyed by start * 2^25 + end: offsets are at most 2^24 (grammar/limits.ts MAX_FILE_CHARACTERS),
  // and a number key spares the language server thousands of key strings per keystroke.
  private readonly byRange = new Map<number, ValueInfo>();

  add(info: ValueInfo): void {
    const key = info.range.start * 0x2000000 + info.range.end;
    if (!this.byRange.has(key)) this.byRange.set(key, info);
  }

  /** In the order they were first added (what merging into another table needs). */
  inOrder(): ValueInfo[] {
    return [...this.byRange.values()];
  }

  list(): ValueInfo[] {
    return [...this.byRange.values()].sort((a, b) => a.range.start - b.range.start || b.range.end - a.range.end);
  }
}
