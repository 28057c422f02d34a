import type { Graph } from './graph.js';
import { parseKernelName, POOL_EPILOGUE } from '../../runtime/plan/kernels.js';
import { primitiveOutputs, primitiveRule } from './primitives.js';
import type { TensorType } from './types.js';

/**
 * The IR verifier: run after every pass in tests. Checks that node ids are unique, inputs come
 * earlier (topological order), primitive arity matches the rule, and each node's recorded type equals
 * what its shape rule computes. Layer ops (before lowering) are checked for order only, unless
 * `{ primitivesOnly: true }` is asked, which rejects any op that is not a primitive. Given the
 * checker's layer types (`checked`), it also compares each layer's checked type with the type of
 * the node that carries its value after lowering: the front end's shape arithmetic and the
 * primitives' must agree.
 */

/** Ops that are graph structure rather than computation. */
const STRUCTURAL_OPS = new Set(['input', 'param', 'const', 'output_of']);

export interface VerifyOptions {
  primitivesOnly?: boolean;
  /** Layer values with the types the checker gave them: each node must still have that type. */
  checked?: readonly CheckedValue[];
}

/** A layer's value as the front end typed it, and the node that carries it in the graph being verified. */
export interface CheckedValue {
  layer: string;
  op: string;
  node: number;
  type: TensorType;
}

export function verifyGraph(graph: Graph, options: VerifyOptions = {}): string[] {
  const problems: string[] = [];
  const seen = new Map<number, { op: string; type: TensorType; attrs: Graph['nodes'][number]['attrs']; inputs: number[] }>();
  for (const node of graph.nodes) {
    const where = `node ${node.id} (${node.op})`;
    if (seen.has(node.id)) problems.push(`${where}: duplicate id`);
    for (const input of node.inputs) {
      if (!seen.has(input)) problems.push(`${where}: input ${input} is not defined earlier`);
    }
    seen.set(node.id, node);
    if (STRUCTURAL_OPS.has(node.op)) {
      if (node.op === 'output_of') checkOutputOf(graph, node, seen, problems);
      continue;
    }
    const { base, epilogue } = parseKernelName(node.op);
    const rule = primitiveRule(base);
    if (!rule) {
      if (options.primitivesOnly) problems.push(`${where}: not a primitive op`);
      continue;
    }
    epilogue.forEach((element, i) => {
      if (!rule.epilogue) problems.push(`${where}: '${base}' takes no epilogue`);
      else if (element === POOL_EPILOGUE) {
        if (!rule.poolEpilogue || i !== epilogue.length - 1) problems.push(`${where}: '${POOL_EPILOGUE}' must end the epilogue of a kernel that pools`);
      } else if (element !== 'bias' && !primitiveRule(element)?.activation) problems.push(`${where}: '${element}' is not an epilogue element`);
    });
    const arity = rule.arity === 'variadic' ? null : rule.arity + (epilogue.includes('bias') ? 1 : 0);
    if (arity !== null && node.inputs.length !== arity) {
      problems.push(`${where}: expects ${arity} inputs, has ${node.inputs.length}`);
      continue;
    }
    if (node.inputs.some((i) => !seen.has(i))) continue;
    try {
      const inputTypes = node.inputs.map((i) => seen.get(i)!.type);
      const [expected] = primitiveOutputs(node.op, inputTypes, node.attrs);
      if (!sameType(expected!, node.type)) problems.push(`${where}: type ${show(node.type)} but the shape rule gives ${show(expected!)}`);
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
    }
  }
  for (const output of graph.outputs) if (!seen.has(output.node)) problems.push(`output '${output.name}' names missing node ${output.node}`);
  for (const param of graph.params) if (seen.get(param.node)?.op !== 'param') problems.push(`param '${param.name}' is not a param node`);
  for (const input of graph.inputs) if (seen.get(input.node)?.op !== 'input') problems.push(`input '${input.name}' is not an input node`);
  for (const value of options.checked ?? []) {
    // A value no output, loss or gradient needs may have been dropped; one that is still there keeps its type.
    const node = seen.get(value.node);
    if (node && !sameType(node.type, value.type)) {
      problems.push(`${value.op} '${value.layer}': checked as ${show(value.type)} but node ${value.node} (${node.op}) is ${show(node.type)}`);
    }
  }
  return problems;
}

function checkOutputOf(
  _graph: Graph,
  node: Graph['nodes'][number],
  seen: Map<number, { op: string; type: TensorType; attrs: Graph['nodes'][number]['attrs']; inputs: number[] }>,
  problems: string[],
): void {
  const source = seen.get(node.inputs[0] ?? -1);
  const index = node.attrs.index as number;
  if (!source || node.inputs.length !== 1) return void problems.push(`node ${node.id} (output_of): needs exactly one source`);
  try {
    const outputs = primitiveOutputs(source.op, source.inputs.map((i) => seen.get(i)!.type), source.attrs);
    const expected = outputs[index];
    if (!expected) problems.push(`node ${node.id} (output_of): '${source.op}' has no output ${index}`);
    else if (!sameType(expected, node.type)) problems.push(`node ${node.id} (output_of): type ${show(node.type)} but output ${index} is ${show(expected)}`);
  } catch (error) {
    problems.push(`node ${node.id} (output_of): ${(error as Error).message}`);
  }
}

function sameType(a: TensorType, b: TensorType): boolean {
  return a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}

function show(t: TensorType): string {
  return `${t.dtype}[${t.shape.join(', ')}]`;
}

/** Throws with every problem listed; for tests and for the pass pipeline's debug mode. */
export function assertValidGraph(graph: Graph, stage: string, options: VerifyOptions = {}): void {
  const problems = verifyGraph(graph, options);
  if (problems.length > 0) throw new Error(`IR invalid after '${stage}':\n  ${problems.join('\n  ')}`);
}
