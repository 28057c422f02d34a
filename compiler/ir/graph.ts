import type { AttrValue, Attrs, InitSpec, Origin, TensorType } from './types.js';

/**
 * The IR: a graph of single-output nodes in topological order (a node's inputs always come
 * earlier). The front end builds it with user-facing layer ops (`dense`, `conv2d`, `lstm`...);
 * lowering (compiler/lower/) rewrites those into primitive ops (`matmul`, `bias_add`, `relu`...);
 * later passes fuse, fold and prune. One data structure serves every stage, and
 * `compiler/ir/verify.ts` can check it after any pass.
 */
export interface IRNode {
  id: number;
  /** Op name: an `input`, `param`, `const`, a layer op before lowering, or a primitive op after. */
  op: string;
  inputs: number[];
  attrs: Attrs;
  /** The inferred output type. */
  type: TensorType;
  origin: Origin;
}

export interface ParamInfo {
  /** Node id of the `param` node. */
  node: number;
  /** Stable, user-facing name used in weights files: `h.weight`, `block1/h.bias`, `bn.running_mean`. */
  name: string;
  init: InitSpec;
  /** `false` for non-trained state such as batchnorm running statistics. */
  trainable: boolean;
  /** Per-layer regularisation from the layer's arguments (`dense(..., l2: 1e-4)`). */
  regularize?: { l1?: number; l2?: number };
}

interface GraphInput {
  node: number;
  name: string;
  /** True for inputs that only the loss reads (labels); inference does not need them. */
  labelOnly: boolean;
}

interface GraphOutput {
  name: string;
  node: number;
}

export interface Graph {
  nodes: IRNode[];
  inputs: GraphInput[];
  outputs: GraphOutput[];
  params: ParamInfo[];
}

/** A graph's nodes indexed by id; a hole where no node has that id. */
export type NodeTable = Array<IRNode | undefined>;

/**
 * The nodes by id, in an array: ids are small integers handed out in order (GraphBuilder), and the
 * passes look nodes up tens of thousands of times on a 1,000-layer model, where an array index is
 * several times cheaper than a Map's lookup and its building.
 */
export function nodeTable(nodes: readonly IRNode[]): NodeTable {
  const table = idIndexed<IRNode>(nodes);
  // Index loops here and in idIndexed: a for-of that has not been optimised yet allocates an
  // iterator result per node, and these run several times per compile over every node.
  for (let i = 0; i < nodes.length; i++) table[nodes[i]!.id] = nodes[i]!;
  return table;
}

/**
 * An empty array with a slot for every id of `nodes`. Sized up front: assigning ids out of order
 * into a growing array would turn it into a (slow) dictionary.
 */
export function idIndexed<T>(nodes: readonly IRNode[]): Array<T | undefined> {
  let size = 0;
  for (let i = 0; i < nodes.length; i++) size = Math.max(size, nodes[i]!.id + 1);
  return new Array<T | undefined>(size);
}
