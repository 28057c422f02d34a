import { nodeTable, type Graph, type IRNode, type NodeTable } from '../ir/graph.js';
import { primitiveOutputs } from '../ir/primitives.js';
import type { Attrs, Origin, TensorType } from '../ir/types.js';

/**
 * Appends primitive nodes to a graph, computing each node's type from the primitive shape rules.
 * Lowering, autodiff and fusion all build through it, so every node they create is typed the same way.
 * Multi-output primitives (dropout, batchnorm, losses) return their first output; `outputOf` adds an
 * `output_of` node for a later one.
 */
export class GraphBuilder {
  private nextId: number;
  private readonly byId: NodeTable;
  private readonly extraOutputs = new Map<string, number>();

  constructor(readonly graph: Graph) {
    this.nextId = graph.nodes.reduce((max, n) => Math.max(max, n.id), -1) + 1;
    this.byId = nodeTable(graph.nodes);
    // An index loop: no iterator result per node while this runs unoptimised (nodeTable in ir/graph.ts).
    for (let n = 0; n < graph.nodes.length; n++) {
      const node = graph.nodes[n]!;
      if (node.op === 'output_of') this.extraOutputs.set(`${node.inputs[0]}:${node.attrs.index}`, node.id);
    }
  }

  node(id: number): IRNode {
    const node = this.byId[id];
    if (!node) throw new Error(`IR node ${id} not found`);
    return node;
  }

  type(id: number): TensorType {
    return this.node(id).type;
  }

  /**
   * The types of `ids`. A loop rather than `ids.map((i) => this.type(i))`: this runs for every node
   * built (tens of thousands per 1,000-layer compile), and that arrow is a new closure per call.
   */
  private typesOf(ids: readonly number[]): TensorType[] {
    const types: TensorType[] = [];
    for (let i = 0; i < ids.length; i++) types.push(this.type(ids[i]!));
    return types;
  }

  /** Adds a node whose type is given (inputs, params, consts). */
  addTyped(op: string, inputs: number[], attrs: Attrs, type: TensorType, origin: Origin): number {
    const node: IRNode = { id: this.nextId++, op, inputs, attrs, type, origin };
    this.graph.nodes.push(node);
    this.byId[node.id] = node; // ids grow one by one: this appends
    return node.id;
  }

  /** Adds a primitive (or fused) op; its type comes from the shape rule. */
  add(op: string, inputs: number[], attrs: Attrs, origin: Origin): number {
    const types = primitiveOutputs(op, this.typesOf(inputs), attrs);
    return this.addTyped(op, inputs, attrs, types[0]!, origin);
  }

  /** The `index`-th output of a multi-output node (shared when asked twice). */
  outputOf(source: number, index: number): number {
    const key = `${source}:${index}`;
    const existing = this.extraOutputs.get(key);
    if (existing !== undefined) return existing;
    const node = this.node(source);
    const types = primitiveOutputs(node.op, this.typesOf(node.inputs), node.attrs);
    const type = types[index];
    if (!type) throw new Error(`'${node.op}' has no output ${index}`);
    const id = this.addTyped('output_of', [source], { index }, type, node.origin);
    this.extraOutputs.set(key, id);
    return id;
  }
}
