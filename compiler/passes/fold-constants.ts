import { idIndexed, nodeTable, type IRNode } from '../ir/graph.js';
import type { Program } from './program.js';
import { replaceUses } from './program.js';

/**
 * Constant folding and identity removal:
 * - ops whose inputs are all `const` nodes with literal values are evaluated now (the element-wise
 *   and shape ops below; others are left to run);
 * - `linear` and `copy` are identities; a `reshape` to the same shape is dropped; reshape of a reshape
 *   reads the original.
 * Nodes read by the backward pass by id (an activation's output read by its gradient) are left alone.
 */
const FOLDERS: Record<string, (values: number[][], node: IRNode) => number[] | null> = {
  add: ([a, b]) => zip(a!, b!, (x, y) => x + y),
  sub: ([a, b]) => zip(a!, b!, (x, y) => x - y),
  mul: ([a, b]) => zip(a!, b!, (x, y) => x * y),
  scale: ([a], node) => a!.map((x) => x * (node.attrs.factor as number)),
  reshape: ([a]) => a!,
  copy: ([a]) => a!,
  relu: ([a]) => a!.map((x) => Math.max(x, 0)),
  sigmoid: ([a]) => a!.map((x) => 1 / (1 + Math.exp(-x))),
  tanh: ([a]) => a!.map(Math.tanh),
};

function zip(a: number[], b: number[], f: (x: number, y: number) => number): number[] | null {
  if (a.length === b.length) return a.map((x, i) => f(x, b[i]!));
  if (b.length === 1) return a.map((x) => f(x, b[0]!));
  if (a.length === 1) return b.map((y) => f(a[0]!, y));
  return null;
}

function literal(node: IRNode | undefined): number[] | null {
  if (!node || node.op !== 'const') return null;
  const values = node.attrs.values ?? node.attrs.value;
  if (typeof values === 'number') return [values];
  return Array.isArray(values) && values.every((v) => typeof v === 'number') ? (values as number[]) : null;
}

function sameShape(a: IRNode['type'], b: IRNode['type']): boolean {
  return a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}

/** The nodes (by id) that a gradient op reads: flags rather than consumersOf's reader lists, all this pass asks. */
function readByGradients(nodes: readonly IRNode[]): Array<true | undefined> {
  const read = idIndexed<true>(nodes);
  for (let n = 0; n < nodes.length; n++) {
    if (!nodes[n]!.op.endsWith('_grad')) continue;
    const inputs = nodes[n]!.inputs;
    for (let i = 0; i < inputs.length; i++) read[inputs[i]!] = true;
  }
  return read;
}

export function foldConstants(program: Program): Program {
  const { graph } = program;
  const byId = nodeTable(graph.nodes);
  const readByGradient = readByGradients(graph.nodes);
  // An index loop: no iterator result per node while this runs unoptimised (nodeTable in ir/graph.ts).
  for (let n = 0; n < graph.nodes.length; n++) {
    const node = graph.nodes[n]!;
    const folder = FOLDERS[node.op];
    if (folder && node.inputs.length > 0) {
      const inputs = node.inputs.map((i) => literal(byId[i]));
      const values = inputs.every((v) => v !== null) ? folder(inputs as number[][], node) : null;
      if (values) {
        node.op = 'const';
        node.inputs = [];
        node.attrs = { values };
        continue;
      }
    }
    if (node.op !== 'linear' && node.op !== 'copy' && node.op !== 'reshape') continue; // the only ops removed or rewired below
    const source = node.inputs.length > 0 ? byId[node.inputs[0]!] : undefined;
    if (!source || readByGradient[node.id]) continue;
    const identity =
      node.op === 'linear' || node.op === 'copy' || (node.op === 'reshape' && sameShape(node.type, source.type));
    if (identity) {
      replaceUses(program, node.id, source.id);
    } else if (node.op === 'reshape' && source.op === 'reshape') {
      node.inputs = [source.inputs[0]!];
    }
  }
  return program;
}
